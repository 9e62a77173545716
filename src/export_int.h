/*
 * export_int.h -- private to the export module (export_*.c).
 *
 * The progress report is built once as a model (export_report.c): a list of
 * blocks of text -- title, headings, paragraphs, charts -- computed from the
 * dashboard, the commitments and one pass over the task rows.  During that
 * pass each row is also written, in the chosen format, as a row of the
 * appendix table into a temporary file; each format then renders the model
 * (export_docx.c, export_text.c for Markdown and HTML) and copies those
 * rows in after the table's head.  Charts are data
 * (struct chart) drawn as DrawingML for Word and as SVG for the web
 * (export_chart.c).
 */
#ifndef RECTIFY_EXPORT_INT_H
#define RECTIFY_EXPORT_INT_H

#include <stdio.h>

#include "buf.h"
#include "export.h"

/* ---- charts ------------------------------------------------------------- */

enum chart_kind {
	CHART_HBAR_STACKED,     /* horizontal bars, series stacked (progress by area/unit) */
	CHART_COLUMN,           /* vertical bars, series side by side */
	CHART_LINE,             /* one line per series over the categories */
	CHART__MAX
};

#define CHART_MAX_SERIES 4
#define CHART_MAX_CATS 60
/* The report's progress charts (by area, by unit) name this many groups,
 * a bar each, and put the rest together in one bar more, 其他. */
#define REPORT_PROGRESS_BARS 20

struct chart_series {
	const char *name;
	uint32_t color;         /* 0xRRGGBB */
	double v[CHART_MAX_CATS];
	uint32_t point_color[CHART_MAX_CATS]; /* per-point colours (column charts); 0 none */
};

struct chart {
	enum chart_kind kind;
	const char *title;
	const char *cats[CHART_MAX_CATS];
	size_t n_cats;
	struct chart_series s[CHART_MAX_SERIES];
	size_t n_series;
	int labels;             /* show each value on its bar */
};

/* The chart as an SVG element (inline in HTML; width w px, height computed
 * from the number of categories), escaped for HTML. */
void chart_svg(const struct chart *c, int w, struct buf *out);
/* The chart part of a .docx (word/charts/chartN.xml), a DrawingML
 * c:chartSpace with literal data, so no embedded workbook is needed. */
void chart_drawingml(const struct chart *c, struct buf *out);
/* Height in millimetres the chart wants at the docx text width. */
int chart_height_mm(const struct chart *c);

/* ---- the report model ---------------------------------------------------- */

enum rblock_kind {
	RB_H1,                  /* 一、…  (黑体) */
	RB_PARA,                /* body text; lead, when set, in 楷体 before it */
	RB_CHART,               /* chart index, caption in text */
	RB_ATTACH_NOTE,         /* 附件：… (after the body) */
	RB_SIGNER,              /* 发文机关署名, right, above the date */
	RB_DATE,                /* 成文日期, right */
};

struct rblock {
	enum rblock_kind kind;
	const char *lead;       /* "（一）理论学习方面。" or NULL */
	const char *text;
	int chart;
};

struct report_model {
	const char *title;              /* "…整改落实情况报告" */
	const char *title_lines;        /* the same broken into lines ('\n') for the page */
	const char *report_to;          /* 主送机关 with its closing "：", or NULL */
	const char *signer;             /* 发文机关署名, or NULL */
	const char *ledger_title;       /* "…整改台账" (the appendix) */
	char date_cn[32];               /* "2024年12月31日" */
	struct rblock *blocks;
	size_t n_blocks, cap_blocks;
	struct chart *charts;
	size_t n_charts;
	struct arena arena;
};

/* Build the model, reading every task row once through l->next and
 * handing each to on_row (which writes its appendix row).  Errors: those of
 * l->next and of on_row. */
enum rc report_model_build(const struct export_ledger *l, struct report_model *m,
			   enum rc (*on_row)(void *ctx, const struct export_row *r,
					     struct err *e),
			   void *ctx, struct err *e);
void report_model_release(struct report_model *m);

/* One row of the appendix table in each format, appended to b. */
void report_row_docx(struct buf *b, const struct export_row *r);
void report_row_md(struct buf *b, const struct export_row *r);
void report_row_html(struct buf *b, const struct export_row *r);

/* Writers: the model, with the appendix rows copied from `rows` (a file of
 * report_row_* output, read from its start), into the file `tmp`. */
enum rc report_write_docx(const struct report_model *m, FILE *rows, const char *tmp,
			  struct err *e);
enum rc report_write_md(const struct report_model *m, FILE *rows, const char *tmp,
			struct err *e);
enum rc report_write_html(const struct report_model *m, FILE *rows, const char *tmp,
			  struct err *e);

/* Copy what is left of `from` to `to`.  RC_IO. */
enum rc export_copy(FILE *from, FILE *to, struct err *e);

/* XML/HTML text escaping (& < > " and control characters dropped). */
void export_xml_text(struct buf *b, const char *s);

#endif
