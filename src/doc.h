/*
 * doc.h -- the document engine: a self-inspection report (对照检查材料) as
 * offices have it -- text in any of the encodings text.h decodes, Markdown,
 * text pasted from PDF, .docx, or a PDF's text layer -- turned into a tree:
 *
 *     doc
 *      ├─ sections      一、…  (role: problems / causes / measures / last_year / other)
 *      │   ├─ areas     （一）…
 *      │   │   └─ items 一是… (lead, text, examples)
 *      │   └─ items     items directly under a section (typically the causes)
 *      ├─ commitments   不少于12次 … (min, period, subject, per)
 *      ├─ deadlines     2022年6月底前, 长期坚持, 立行立改 …
 *      └─ placeholders  x, XX, 某某, （）… left unfilled
 *
 * Every node carries the span [start, end) of source text it came from, in
 * bytes of the decoded source (doc->src).  The engine never touches the
 * database: `rectify parse` and `rectify lint` run without one.
 *
 * Ownership: everything hangs off the struct doc and is freed by doc_free().
 * Strings in the tree are normalised (full-width digits and letters made
 * half-width, half-width punctuation inside Chinese text made full-width,
 * straight quotes made Chinese quotes); the source text is kept as decoded.
 */
#ifndef RECTIFY_DOC_H
#define RECTIFY_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "util.h"

enum doc_role {
	DOC_ROLE_PROBLEMS,
	DOC_ROLE_CAUSES,
	DOC_ROLE_MEASURES,
	DOC_ROLE_LAST_YEAR,
	DOC_ROLE_OTHER,
	DOC_ROLE_PROGRESS,      /* what was done: 整改落实情况, 整改进展 (reports on rectification) */
	DOC_ROLE__MAX
};

enum doc_kind {
	DOC_KIND_TEAM,
	DOC_KIND_INDIVIDUAL,
	DOC_KIND_PLAN,
	DOC_KIND_REPORT,
	DOC_KIND_UNKNOWN,
	DOC_KIND_NOTICE,        /* a 通知 that lays down requirements */
	DOC_KIND_LIST,          /* a 问题清单: problems only */
	DOC_KIND__MAX
};

/* Numbering styles.  Heading styles open sections and areas; inline styles
 * enumerate items and may also start in the middle of a paragraph. */
enum doc_style {
	DOC_STYLE_NONE,
	DOC_STYLE_CN_DUN,       /* 一、 */
	DOC_STYLE_CN_PAREN,     /* （一） (一) */
	DOC_STYLE_PART,         /* 第一部分 第一章 第一节 */
	DOC_STYLE_AR_DOT,       /* 1. 1、 1． */
	DOC_STYLE_MD,           /* a Markdown heading with no number */
	DOC_STYLE_AR_PAREN,     /* （1） (1) ⑴ */
	DOC_STYLE_CIRCLED,      /* ① */
	DOC_STYLE_CN_SHI,       /* 一是 */
	DOC_STYLE_CN_YAO,       /* 一要 */
	DOC_STYLE_DI,           /* 第一， */
	DOC_STYLE_SEQ,          /* 首先 其次 再次 最后 */
	DOC_STYLE_TABLE,        /* a row of a table (label: its 序号 cell as written) */
	DOC_STYLE_GENRE,        /* an unnumbered item opened by its form: 关于“…”的问题, 存在问题： */
	DOC_STYLE__MAX
};

enum doc_period {
	DOC_PERIOD_YEAR,
	DOC_PERIOD_HALF,
	DOC_PERIOD_QUARTER,
	DOC_PERIOD_MONTH,
	DOC_PERIOD_WEEK,
	DOC_PERIOD_NONE,
	DOC_PERIOD__MAX
};

enum doc_per { DOC_PER_TEAM, DOC_PER_MEMBER, DOC_PER__MAX };

enum doc_deadline_kind {
	DOC_DEADLINE_DATE,
	DOC_DEADLINE_ONGOING,
	DOC_DEADLINE_IMMEDIATE,
	DOC_DEADLINE__MAX
};

struct doc_span {
	uint32_t start, end;
};

/* A labelled node's numbering, as written. */
struct doc_label {
	char *text;             /* canonical label: "一、" "（一）" "一是" "1." ; "" when none */
	enum doc_style style;
	int number;             /* 1-based; 0 when none */
	struct doc_span span;   /* of the label as written */
	unsigned inline_start;  /* 1 when it began in the middle of a paragraph */
};

struct doc_example {
	char *text;             /* "比如，……。" */
	struct doc_span span;
};

/*
 * The columns of a 整改任务清单 and the labelled fields of an audit-style
 * item (存在问题：… 整改措施：… 责任单位：…): one vocabulary for tables in
 * reports and for spreadsheet ledgers (data/fields.txt, doc_field_of_header).
 */
enum doc_field {
	DOC_FIELD_SEQ,          /* 序号 */
	DOC_FIELD_AREA,         /* 方面, 类别 */
	DOC_FIELD_PROBLEM,      /* 存在问题, 问题表现 */
	DOC_FIELD_MEASURES,     /* 整改措施, 采取措施 */
	DOC_FIELD_GOAL,         /* 整改目标 */
	DOC_FIELD_LEADER,       /* 责任领导, 牵头领导, 责任人 */
	DOC_FIELD_UNIT,         /* 责任单位, 牵头单位 */
	DOC_FIELD_DEADLINE,     /* 完成时限, 整改时限 */
	DOC_FIELD_PROGRESS,     /* 进展情况, 整改情况 */
	DOC_FIELD_STATUS,       /* 整改状态, 是否完成 */
	DOC_FIELD_LIGHT,        /* 红黄绿灯 */
	DOC_FIELD_EVIDENCE,     /* 佐证材料 */
	DOC_FIELD_NOTE,         /* 备注 */
	DOC_FIELD__MAX
};

struct doc_field_value {
	enum doc_field field;
	char *text;             /* normalised; lines of a list joined by '\n' */
	struct doc_span span;
};

struct doc_item {
	struct doc_label label;
	char *lead;             /* first clause, without label and closing 。 */
	char *text;             /* all of the item after its label */
	struct doc_span span, lead_span;
	struct doc_example *examples;
	size_t n_examples;
	/* What a table row or labelled fields said of the item beside its
	 * problem (measures, leader, unit, deadline ...), in field order; none
	 * for an item of running text. */
	struct doc_field_value *fields;
	size_t n_fields;
};

struct doc_area {
	struct doc_label label;
	char *title;            /* "在……方面"; for "（一）标题。正文" the part before 。 */
	char *text;             /* the rest: summary sentences that are not items */
	struct doc_span span, title_span;
	struct doc_item *items;
	size_t n_items;
};

struct doc_section {
	struct doc_label label;
	char *title;
	char *text;             /* introduction before the first area or item */
	enum doc_role role;
	struct doc_span span, title_span;
	struct doc_area *areas;
	size_t n_areas;
	struct doc_item *items; /* directly under the section (no areas) */
	size_t n_items;
};

struct doc_commitment {
	char *text;             /* the clause that states it */
	int min;
	enum doc_period period;
	char *subject;          /* "理论中心组学习会" */
	char *unit;             /* "次" */
	enum doc_per per;
	struct doc_span span;
};

struct doc_deadline {
	char *text;
	enum doc_deadline_kind kind;
	char date[11];          /* YYYY-MM-DD, or "" when the year is unknown */
	struct doc_span span;
};

struct doc_placeholder {
	char *text;
	char *context;          /* a few characters either side */
	struct doc_span span;
};

/*
 * Where normalised text came from.  Normalisation changes few characters, so
 * the map from normalised bytes to source offsets is piecewise: from byte
 * `norm` of the text on (up to the next mark), the character starting at
 * byte i came from source offset src + (i - norm).  Use doc_text_src() and
 * doc_text_span() rather than reading marks.
 */
struct doc_mark {
	uint32_t norm, src;
};

/* A paragraph as the engine assembled it: lines joined, page artefacts
 * dropped.  Lint walks these for rules on running text.  In a report
 * written in traditional characters the text is the simplified twin's
 * (doc_hant.c); the spans are the same. */
struct doc_para {
	struct doc_span span;
	char *text;             /* normalised text, NUL-terminated */
	size_t len;
	struct doc_mark *marks; /* sorted by norm; marks[0].norm == 0 */
	size_t n_marks;
};

struct doc {
	char *src;              /* decoded source text, NUL-terminated */
	size_t len;
	size_t input_bytes;     /* as read, before decoding */
	const char *encoding;   /* "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE", ... */
	const char *format;     /* "text", "markdown", "docx", "pdf" */
	char sha256[65];        /* of src */
	char *title;            /* "" when the report has none */
	struct doc_span title_span;
	char *preamble;         /* text between the title and the first section */
	enum doc_kind kind;
	int year;               /* the year the report speaks of; 0 when unknown */

	struct doc_section *sections;
	size_t n_sections;
	struct doc_commitment *commitments;
	size_t n_commitments;
	struct doc_deadline *deadlines;
	size_t n_deadlines;
	struct doc_placeholder *placeholders;
	size_t n_placeholders;
	struct doc_para *paras;
	size_t n_paras;
	uint32_t *line_starts;  /* offset of each line's first byte, for doc_line_col */
	size_t n_lines;

	struct arena arena;     /* owns every string and array above but src */

	/* Traditional script (doc_hant.c).  1 when the source is written in
	 * traditional characters: the engine read a simplified twin of it,
	 * of the same length, and gave every string of the tree its characters
	 * as written (the paragraphs' texts stay simplified, for lint). */
	int traditional;
	/* Private to doc_hant.c: the twin while the parse runs; NULL after. */
	struct doc_hant *hant_fold;
};

/*
 * Parse a report from raw bytes (any supported format; `name` is only used
 * to recognise the format by its extension and may be NULL).  On success
 * *out is the tree, freed with doc_free().  Errors: RC_TOOBIG over
 * TEXT_MAX_INPUT, RC_INVALID for unusable input (empty, binary, unknown
 * encoding), RC_MEDIA for a broken .docx or PDF, or a PDF without text (a
 * scan); e->msg says what is wrong.
 */
enum rc doc_parse(const void *data, size_t len, const char *name, struct doc **out,
		  struct err *e);

/* The same, taking ownership of data (malloc'd with room for a NUL after len
 * bytes, as util_read_file gives): it is freed, or becomes the doc's source
 * without a copy, whatever the result. */
enum rc doc_parse_take(char *data, size_t len, const char *name, struct doc **out,
		       struct err *e);

/* Parse already-decoded source text (UTF-8, LF).  Takes a copy of src. */
enum rc doc_parse_text(const char *src, size_t len, struct doc **out, struct err *e);

void doc_free(struct doc *d);

/* The JSON contract of `rectify parse --json` (docs/PARSE-JSON.md). */
void doc_to_json(const struct doc *d, struct buf *out);
/* The same written to a stdio stream (a FILE *) as it is produced, so that
 * a large report never needs its whole JSON in memory; RC_IO on a write
 * error. */
enum rc doc_to_json_file(const struct doc *d, void *stdio_file);
/*
 * doc_parse_take and doc_to_json_file in one (`rectify parse --json`): on a
 * large report the tree is written while another thread still finds the
 * commitments and deadlines.  The same bytes as the two calls.  An input
 * the parser refuses writes nothing and returns what doc_parse_take would;
 * a write error is RC_IO ("cannot write the output").
 */
enum rc doc_parse_json_file(char *data, size_t len, const char *name, void *stdio_file,
			    struct err *e);
/* The indented, readable view of `rectify parse`. */
void doc_to_text(const struct doc *d, struct buf *out);

/* Names used in the JSON contract. */
const char *doc_role_name(enum doc_role r);          /* "problems" ... */
const char *doc_kind_name(enum doc_kind k);          /* "team" ... */
const char *doc_period_name(enum doc_period p);      /* "year" ... */
const char *doc_per_name(enum doc_per p);            /* "team" "member" */
const char *doc_deadline_kind_name(enum doc_deadline_kind k);
const char *doc_style_name(enum doc_style s);        /* "cn-dun" ... */
const char *doc_field_name(enum doc_field f);        /* "measures" ... */
/* The customary Chinese header of a field: "整改措施" ... */
const char *doc_field_title(enum doc_field f);
/* The field a table header cell or a field label names ("完成时限（年月日）",
 * "牵头领导：", "整改举措"), or DOC_FIELD__MAX when none. */
enum doc_field doc_field_of_header(const char *cell);
/* The text of field f of an item, or NULL. */
const char *doc_item_field(const struct doc_item *it, enum doc_field f);

/* Source offset of the character that starts at byte off of the normalised
 * text of p (off == p->len gives p->span.end). */
uint32_t doc_para_src(const struct doc_para *p, size_t off);
/* Source span of normalised bytes [a, b) of paragraph p (a < b <= p->len). */
struct doc_span doc_para_span(const struct doc *d, const struct doc_para *p, size_t a, size_t b);

/* 1-based line and column (characters) of a source offset. */
void doc_line_col(const struct doc *d, uint32_t off, unsigned *line, unsigned *col);

/* Normalise a string the way tree strings are normalised (see the top of
 * this file).  Returns a malloc'd string; the caller frees. */
char *doc_normalise(const char *s, size_t n);

/* Section role from a section title, by the keyword lists of data/roles.txt. */
enum doc_role doc_role_of_title(const char *title);

/* The first year followed by 年 in normalised text s (2023年, 2023 年,
 * 二〇二三年; 1949..2199), 0 when none: how a report's year is read where
 * its title names one (struct doc.year). */
int doc_year_in(const char *s);

/* Recognise a deadline expression in s[0..n) (e.g. "6月底前", "长期坚持");
 * year resolves dates that name none (0: leave date empty).  Returns 1 and
 * fills *dl (text and span left empty) when s holds one. */
int doc_deadline_parse(const char *s, size_t n, int year, struct doc_deadline *dl);

#endif
