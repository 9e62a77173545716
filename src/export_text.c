/*
 * export_text.c -- the progress report as Markdown and as HTML.
 *
 * Markdown: the title as "#", headings as "##", an area's lead in bold,
 * each chart as a small table of its figures (Markdown has no pictures of
 * its own), then the appendix table with line breaks as <br> and pipes
 * escaped.
 *
 * HTML: one self-contained page (no script, no external resource) that
 * prints as the official format: A4 with the GB/T 9704 margins, 仿宋 3号
 * body at 28.95 pt line pitch indented two characters, 小标宋 title, 黑体 and
 * 楷体 headings, with the font stacks falling back to what the machine has
 * (FangSong, STFangsong, Noto Serif CJK …).  Charts are inline SVG; the
 * appendix starts on a new page and its table header repeats on each.
 * Every text from the ledger is escaped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_int.h"

static enum rc flush(struct buf *b, FILE *f, struct err *e)
{
	if (b->len && fwrite(b->p, 1, b->len, f) != b->len)
		return ERR(e, RC_IO, "cannot write the report: %s", strerror(errno));
	buf_reset(b);
	return RC_OK;
}

static enum rc finish(struct buf *b, FILE *f, enum rc rc, const char *tmp, struct err *e)
{
	if (!rc)
		rc = flush(b, f, e);
	buf_release(b);
	if (fclose(f) != 0 && !rc)
		rc = ERR(e, RC_IO, "cannot write %s: %s", tmp, strerror(errno));
	return rc;
}

static const char *const head_cols[] = {"序号", "问题", "整改措施", "责任领导", "责任单位",
					"整改时限", "进展情况", "状态"};

/* ---- Markdown ------------------------------------------------------------ */

/* Text for Markdown: characters with a meaning escaped; in a table cell
 * pipes escaped and line breaks as <br>. */
static void md_text(struct buf *b, const char *s, int cell)
{
	for (; s && *s; s++) {
		if (strchr("\\*_`[]<>#|", *s))
			buf_putc(b, '\\');
		if (*s == '\n' && cell) {
			buf_puts(b, "<br>");
			continue;
		}
		buf_putc(b, *s);
	}
}

static void md_chart(struct buf *b, const struct chart *c)
{
	buf_puts(b, "| ");
	md_text(b, c->title, 1);
	for (size_t s = 0; s < c->n_series; s++) {
		buf_puts(b, " | ");
		md_text(b, c->s[s].name, 1);
	}
	buf_puts(b, " |\n|---");
	for (size_t s = 0; s < c->n_series; s++)
		buf_puts(b, "|--:");
	buf_puts(b, "|\n");
	for (size_t i = 0; i < c->n_cats; i++) {
		buf_puts(b, "| ");
		md_text(b, c->cats[i], 1);
		for (size_t s = 0; s < c->n_series; s++)
			buf_printf(b, " | %g", c->s[s].v[i]);
		buf_puts(b, " |\n");
	}
	buf_putc(b, '\n');
}

void report_row_md(struct buf *b, const struct export_row *r)
{
	const char *cells[] = {r->problem, r->measures, r->leader, r->unit, r->deadline,
			       r->progress, task_status_name(r->status)};
	buf_printf(b, "| %d |", r->seq);
	for (size_t c = 0; c < ARRAY_LEN(cells); c++) {
		buf_putc(b, ' ');
		md_text(b, cells[c], 1);
		buf_puts(b, " |");
	}
	buf_putc(b, '\n');
}

enum rc report_write_md(const struct report_model *m, FILE *rows, const char *tmp,
			struct err *e)
{
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return ERR(e, RC_IO, "cannot write %s: %s", tmp, strerror(errno));
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "# ");
	md_text(&b, m->title, 0);
	buf_puts(&b, "\n\n");
	if (m->report_to) {
		md_text(&b, m->report_to, 0);
		buf_puts(&b, "\n\n");
	}
	for (size_t i = 0; i < m->n_blocks; i++) {
		const struct rblock *k = &m->blocks[i];
		switch (k->kind) {
		case RB_H1:
			buf_puts(&b, "## ");
			md_text(&b, k->text, 0);
			break;
		case RB_PARA:
			if (k->lead) {
				buf_puts(&b, "**");
				md_text(&b, k->lead, 0);
				buf_puts(&b, "**");
			}
			md_text(&b, k->text, 0);
			break;
		case RB_CHART:
			md_chart(&b, &m->charts[k->chart]);
			buf_puts(&b, "*");
			md_text(&b, k->text, 0);
			buf_puts(&b, "*");
			break;
		case RB_ATTACH_NOTE:
		case RB_SIGNER:
		case RB_DATE:
			md_text(&b, k->text, 0);
			break;
		}
		buf_puts(&b, "\n\n");
	}
	buf_puts(&b, "---\n\n## 附件：");
	md_text(&b, m->ledger_title, 0);
	buf_puts(&b, "\n\n|");
	for (size_t c = 0; c < ARRAY_LEN(head_cols); c++)
		buf_printf(&b, " %s |", head_cols[c]);
	buf_puts(&b, "\n|");
	for (size_t c = 0; c < ARRAY_LEN(head_cols); c++)
		buf_puts(&b, "---|");
	buf_putc(&b, '\n');
	enum rc rc = flush(&b, f, e);
	if (!rc)
		rc = export_copy(rows, f, e);
	return finish(&b, f, rc, tmp, e);
}

/* ---- HTML ------------------------------------------------------------------ */

static const char html_style[] =
	"@page{size:A4;margin:37mm 26mm 35mm 28mm}"
	"@page appendix{size:A4 landscape;margin:28mm 35mm 30mm 37mm}"
	"body{margin:0 auto;max-width:156mm;padding:12mm 0;color:#000;"
	"font-family:'仿宋_GB2312','FangSong_GB2312','仿宋','FangSong','STFangsong',"
	"'Noto Serif CJK SC','Source Han Serif SC',serif;font-size:16pt;line-height:28.95pt}"
	"h1{font-family:'方正小标宋简体','FZXiaoBiaoSong-B05S','小标宋','华文中宋','STZhongsong',"
	"'Noto Serif CJK SC','Source Han Serif SC',serif;font-size:22pt;font-weight:normal;"
	"text-align:center;line-height:35pt;margin:0 0 28.95pt}"
	"h2{font-family:'黑体','SimHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif;"
	"font-size:16pt;font-weight:normal;margin:0;text-indent:2em}"
	"p{margin:0;text-indent:2em;text-align:justify}"
	".lead{font-family:'楷体_GB2312','KaiTi_GB2312','楷体','KaiTi','STKaiti',serif}"
 ".date{text-align:right;padding-right:4em;margin-top:28.95pt}"
	".to{text-indent:0}.signer{text-align:right;padding-right:2em;margin-top:28.95pt}"
	".signer+.date{margin-top:0;padding-right:2em}"
	".note{margin-top:28.95pt}"
	"figure{margin:12pt 0;text-align:center;page-break-inside:avoid}"
	"figcaption{font-size:14pt}"
	"svg.chart{max-width:100%;height:auto}"
	".appendix{page:appendix;page-break-before:always;max-width:225mm}"
	".appendix .label{font-family:'黑体','SimHei','Noto Sans CJK SC',sans-serif;text-indent:0}"
	"table{border-collapse:collapse;width:100%;font-size:10.5pt;line-height:1.4}"
	"th,td{border:1px solid #000;padding:2pt 3pt;vertical-align:middle;text-align:left}"
	"th{font-family:'黑体','SimHei','Noto Sans CJK SC',sans-serif;font-weight:normal;"
	"background:#d9e1f2;text-align:center}"
	"thead{display:table-header-group}"
	"td.red{background:#f4cccc}td.yellow{background:#fff2cc}"
	"@media screen{body{padding:12mm 8mm}.appendix{max-width:none}}";

static void html_text(struct buf *b, const char *s, int br)
{
	if (!br) {
		export_xml_text(b, s);
		return;
	}
	for (const char *p = s ? s : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *part = xstrndup(p, n);
		export_xml_text(b, part);
		free(part);
		if (!nl)
			break;
		buf_puts(b, "<br>");
		p = nl + 1;
	}
}

void report_row_html(struct buf *b, const struct export_row *r)
{
	buf_printf(b, "<tr><td>%d</td>", r->seq);
	const char *cells[] = {r->problem, r->measures, r->leader, r->unit, r->deadline,
			       r->progress};
	for (size_t c = 0; c < ARRAY_LEN(cells); c++) {
		buf_puts(b, "<td>");
		html_text(b, cells[c], 1);
		buf_puts(b, "</td>");
	}
	buf_printf(b, "<td%s>%s</td></tr>\n",
		   r->light == LIGHT_RED ? " class=\"red\"" :
		   r->light == LIGHT_YELLOW ? " class=\"yellow\"" : "",
		   task_status_name(r->status));
}

enum rc report_write_html(const struct report_model *m, FILE *rows, const char *tmp,
			  struct err *e)
{
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return ERR(e, RC_IO, "cannot write %s: %s", tmp, strerror(errno));
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		     "<meta name=\"generator\" content=\"rectify\"><title>");
	export_xml_text(&b, m->title);
	buf_printf(&b, "</title><style>%s</style></head><body><main><h1>", html_style);
	html_text(&b, m->title_lines, 1);
	buf_puts(&b, "</h1>\n");
	if (m->report_to) {
		buf_puts(&b, "<p class=\"to\">");
		export_xml_text(&b, m->report_to);
		buf_puts(&b, "</p>\n");
	}
	for (size_t i = 0; i < m->n_blocks; i++) {
		const struct rblock *k = &m->blocks[i];
		switch (k->kind) {
		case RB_H1:
			buf_puts(&b, "<h2>");
			export_xml_text(&b, k->text);
			buf_puts(&b, "</h2>");
			break;
		case RB_PARA:
			buf_puts(&b, "<p>");
			if (k->lead) {
				buf_puts(&b, "<span class=\"lead\">");
				export_xml_text(&b, k->lead);
				buf_puts(&b, "</span>");
			}
			html_text(&b, k->text, 1);
			buf_puts(&b, "</p>");
			break;
		case RB_CHART:
			buf_puts(&b, "<figure>");
			chart_svg(&m->charts[k->chart], 640, &b);
			buf_puts(&b, "<figcaption>");
			export_xml_text(&b, k->text);
			buf_puts(&b, "</figcaption></figure>");
			break;
		case RB_ATTACH_NOTE:
			buf_puts(&b, "<p class=\"note\">");
			export_xml_text(&b, k->text);
			buf_puts(&b, "</p>");
			break;
		case RB_SIGNER:
			buf_puts(&b, "<p class=\"signer\">");
			export_xml_text(&b, k->text);
			buf_puts(&b, "</p>");
			break;
		case RB_DATE:
			buf_puts(&b, "<p class=\"date\">");
			export_xml_text(&b, k->text);
			buf_puts(&b, "</p>");
			break;
		}
		buf_putc(&b, '\n');
	}
	buf_puts(&b, "</main>\n<section class=\"appendix\"><p class=\"label\">附件</p><h1>");
	export_xml_text(&b, m->ledger_title);
	buf_puts(&b, "</h1><table><thead><tr>");
	for (size_t c = 0; c < ARRAY_LEN(head_cols); c++)
		buf_printf(&b, "<th scope=\"col\">%s</th>", head_cols[c]);
	buf_puts(&b, "</tr></thead><tbody>\n");
	enum rc rc = flush(&b, f, e);
	if (!rc)
		rc = export_copy(rows, f, e);
	if (!rc)
		buf_puts(&b, "</tbody></table></section></body></html>\n");
	return finish(&b, f, rc, tmp, e);
}
