/*
 * export_docx.c -- the progress report as a .docx in the official document
 * format of GB/T 9704-2012, written part by part with libzip (the XML is
 * ours).
 *
 * Page and type, as the standard sets them:
 *   - A4 portrait; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
 *     (a type area of 156 x 225 mm);
 *   - body 仿宋_GB2312 3号 (16 pt), 22 lines of 28 characters: lines at a
 *     fixed pitch of 28.95 pt (exact spacing and a line grid of 579 twips),
 *     characters condensed by 0.25 pt so that 28 fill the 156 mm line (a
 *     character grid, docGrid linesAndChars, would do the same in Word but
 *     LibreOffice lays it out far wider), first lines indented two
 *     characters;
 *   - title 方正小标宋简体 2号 (22 pt), centred, a blank line under it;
 *     first-level headings 黑体, second-level (the lead of an area's
 *     paragraph) 楷体_GB2312, both 3号;
 *   - page numbers 宋体 4号 (14 pt) "— 1 —" at the foot, on the outer side:
 *     odd pages right and even pages left, one character in (separate odd
 *     and even footers, evenAndOddHeaders);
 *   - 主送机关 under the title after a blank line, flush left (7.3.4);
 *   - 附件说明 under the body; then, a line below, the 发文机关署名 two
 *     characters in from the right and the 成文日期 under it, its first
 *     character two to the right of the signer's first, or, when the date
 *     is the longer, the date two characters in and the signer moved left
 *     to keep the two-character step (7.3.5.2, unsealed documents); with
 *     no signer, the date right with four characters to spare;
 *   - the appendix (附件) on new pages in a landscape section: "附件" in 黑体
 *     at the top left, its title, and the ledger table with a repeated
 *     header row.
 * Fonts the machine lacks are named with alternatives in fontTable.xml
 * (仿宋_GB2312 -> 仿宋 -> FangSong; 方正小标宋简体 -> 小标宋 …) so that Word,
 * WPS and LibreOffice each find a near substitute.
 *
 * Charts are DrawingML chart parts (export_chart.c) placed inline.  The
 * document part is assembled in a temporary file (the appendix rows copied
 * in from theirs), so a ledger of any size takes no more memory than one
 * row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "export_int.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_WP "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_C "http://schemas.openxmlformats.org/drawingml/2006/chart"
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT "application/vnd.openxmlformats-officedocument."

#define F_BODY "仿宋_GB2312"
#define F_TITLE "方正小标宋简体"
#define F_H1 "黑体"
#define F_H2 "楷体_GB2312"
#define F_PAGE "宋体"

/* Page geometry in twips (1 mm = 56.69 twips). */
#define PAGE_W 11906
#define PAGE_H 16838
#define M_TOP 2098      /* 37 mm */
#define M_BOTTOM 1984   /* 35 mm */
#define M_LEFT 1587     /* 28 mm */
#define M_RIGHT 1474    /* 26 mm */
#define M_FOOTER 1247   /* 22 mm: the page number's dash line 7 mm under the type area */
#define LINE_PITCH 579  /* 28.95 pt */
#define EMU_PER_MM 36000

static const char content_types_head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
	"relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"" CT
	"wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"" CT "wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"" CT
	"wordprocessingml.settings+xml\"/>"
	"<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT
	"wordprocessingml.fontTable+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT "wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/word/footer2.xml\" ContentType=\"" CT "wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-"
	"package.core-properties+xml\"/>";

static const char root_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
	"relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>";

/* Fonts with the alternatives an office suite may fall back to. */
static const char font_table[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:fonts xmlns:w=\"" NS_W "\">"
	"<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
	"<w:font w:name=\"仿宋\"><w:altName w:val=\"FangSong\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
	"<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"小标宋\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"script\"/><w:pitch w:val=\"fixed\"/></w:font>"
	"<w:font w:name=\"小标宋\"><w:altName w:val=\"华文中宋\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>"
	"<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
	"<w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
	"<w:font w:name=\"楷体\"><w:altName w:val=\"KaiTi\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
	"<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/>"
	"<w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>"
	"<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/>"
	"<w:pitch w:val=\"variable\"/></w:font></w:fonts>";

static const char settings[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:settings xmlns:w=\"" NS_W "\"><w:zoom w:percent=\"100\"/><w:evenAndOddHeaders/>"
	"<w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
	"w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	"<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>";

#define RFONTS(f) "<w:rFonts w:ascii=\"" f "\" w:eastAsia=\"" f "\" w:hAnsi=\"" f "\" w:cs=\"" f "\"/>"

static const char styles[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles xmlns:w=\"" NS_W "\">"
	"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\""
	F_BODY "\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/><w:spacing w:val=\"-5\"/>"
	"<w:kern w:val=\"2\"/>"
	"<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>"
	"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:line=\"579\" "
	"w:lineRule=\"exact\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>"
	/* Normal: the body, two characters in */
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
	"<w:qFormat/><w:pPr><w:widowControl/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"
	"</w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
	"<w:spacing w:line=\"700\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" "
	"w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"9\"/></w:pPr><w:rPr>"
	RFONTS(F_TITLE) "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
	"<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>" RFONTS(F_H1) "</w:rPr></w:style>"
	"<w:style w:type=\"character\" w:styleId=\"Lead2\"><w:name w:val=\"Lead 2\"/><w:rPr>"
	RFONTS(F_H2) "</w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Chart\"><w:name w:val=\"Chart\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:snapToGrid w:val=\"0\"/>"
	"<w:spacing w:before=\"120\" w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" "
	"w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
	"<w:jc w:val=\"center\"/></w:pPr><w:rPr><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr>"
	"</w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"AttachLabel\"><w:name w:val=\"Attachment label\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
	"<w:jc w:val=\"left\"/></w:pPr><w:rPr>" RFONTS(F_H1) "</w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table text\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"260\" "
	"w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/>"
	"</w:pPr><w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"TableHead\"><w:name w:val=\"Table head\"/>"
	"<w:basedOn w:val=\"TableText\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr>"
	RFONTS(F_H1) "</w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" "
	"w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr><w:rPr>"
	RFONTS(F_PAGE) "<w:spacing w:val=\"0\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr>"
	"</w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"AttachTitle\"><w:name w:val=\"Attachment title\"/>"
	"<w:basedOn w:val=\"Title\"/><w:pPr><w:spacing w:line=\"560\" w:lineRule=\"exact\"/></w:pPr>"
	"<w:rPr><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/></w:rPr></w:style>"
	"</w:styles>";

/* The footer of odd (right) or even (left) pages: "— N —", one character
 * (of 14 pt) in from the outer side. */
static void footer(struct buf *b, int odd)
{
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		      "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:p><w:pPr>"
		      "<w:pStyle w:val=\"Footer\"/><w:ind w:%s=\"280\" w:firstLineChars=\"0\" "
		      "w:firstLine=\"0\"/><w:jc w:val=\"%s\"/></w:pPr>"
		      "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
		      "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		      "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
		      "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		      "<w:r><w:t>%d</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		      "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>",
		   odd ? "right" : "left", odd ? "right" : "left", odd ? 1 : 2);
}

static void sect(struct buf *b, int landscape)
{
	buf_puts(b, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdF1\"/>"
		    "<w:footerReference w:type=\"even\" r:id=\"rIdF2\"/>");
	if (landscape)
		/* The appendix: landscape A4, type area 225 mm wide (the table's
		 * width), the page number 15 mm from the foot. */
		buf_printf(b, "<w:type w:val=\"nextPage\"/><w:pgSz w:w=\"%d\" w:h=\"%d\" "
			      "w:orient=\"landscape\"/><w:pgMar w:top=\"1587\" w:right=\"1984\" "
			      "w:bottom=\"1701\" w:left=\"2098\" w:header=\"851\" w:footer=\"850\" "
			      "w:gutter=\"0\"/><w:pgNumType w:fmt=\"decimal\"/>"
			      "<w:cols w:space=\"425\"/><w:docGrid w:type=\"lines\" w:linePitch=\"312\"/>",
			   PAGE_H, PAGE_W);
	else
		buf_printf(b, "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
			      "w:bottom=\"%d\" w:left=\"%d\" w:header=\"851\" w:footer=\"%d\" "
			      "w:gutter=\"0\"/><w:pgNumType w:fmt=\"decimal\" w:start=\"1\"/>"
			      "<w:cols w:space=\"425\"/><w:docGrid w:type=\"lines\" "
			      "w:linePitch=\"%d\"/>",
			   PAGE_W, PAGE_H, M_TOP, M_RIGHT, M_BOTTOM, M_LEFT, M_FOOTER, LINE_PITCH);
	buf_puts(b, "</w:sectPr>");
}

/* A run of text; line breaks inside become w:br. */
static void run(struct buf *b, const char *style, const char *s)
{
	buf_puts(b, "<w:r>");
	if (style)
		buf_printf(b, "<w:rPr><w:rStyle w:val=\"%s\"/></w:rPr>", style);
	buf_puts(b, "<w:t xml:space=\"preserve\">");
	for (const char *p = s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *part = xstrndup(p, n);
		export_xml_text(b, part);
		free(part);
		if (!nl)
			break;
		buf_puts(b, "</w:t><w:br/><w:t xml:space=\"preserve\">");
		p = nl + 1;
	}
	buf_puts(b, "</w:t></w:r>");
}

static void para(struct buf *b, const char *pstyle, const char *ppr_extra, const char *lead,
		 const char *text)
{
	buf_puts(b, "<w:p>");
	if (pstyle || ppr_extra) {
		buf_puts(b, "<w:pPr>");
		if (pstyle)
			buf_printf(b, "<w:pStyle w:val=\"%s\"/>", pstyle);
		if (ppr_extra)
			buf_puts(b, ppr_extra);
		buf_puts(b, "</w:pPr>");
	}
	if (lead)
		run(b, "Lead2", lead);
	if (text && *text)
		run(b, NULL, text);
	buf_puts(b, "</w:p>");
}

static void chart_para(struct buf *b, const struct chart *c, int n)
{
	long cx = 150L * EMU_PER_MM, cy = (long)chart_height_mm(c) * EMU_PER_MM;
	buf_printf(b, "<w:p><w:pPr><w:pStyle w:val=\"Chart\"/></w:pPr><w:r><w:drawing>"
		      "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
		      "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
		      "<wp:docPr id=\"%d\" name=\"图表 %d\"/><wp:cNvGraphicFramePr/>"
		      "<a:graphic><a:graphicData uri=\"" NS_C "\"><c:chart r:id=\"rIdC%d\"/>"
		      "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
		   cx, cy, n, n, n);
}

/* The width in twips of a line of body text (3号, condensed by 0.25 pt):
 * a Chinese character 315, a digit or Latin letter half of 320 less 5. */
#define BODY_CHAR 315
static int body_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80)
			w += 155;
		else if ((*p & 0xC0) != 0x80)
			w += BODY_CHAR;
	return w;
}

/* The 发文机关署名 and the 成文日期 under it (GB/T 9704-2012 7.3.5.2). */
static void signature(struct buf *b, const char *signer, const char *date)
{
	int sw = body_width(signer), dw = body_width(date), c2 = 2 * BODY_CHAR;
	int sr, dr;                     /* right indents */
	if (dw > sw) {
		dr = c2;
		sr = c2 + dw + c2 - sw;
	} else {
		sr = c2;
		dr = sw - dw;
	}
	char ppr[160];
	para(b, NULL, NULL, NULL, "");
	snprintf(ppr, sizeof ppr, "<w:ind w:right=\"%d\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
		 "<w:jc w:val=\"right\"/>", sr);
	para(b, NULL, ppr, NULL, signer);
	/* no extra room between the digits and 年月日: the width is as counted */
	snprintf(ppr, sizeof ppr, "<w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:ind w:right=\"%d\" "
		 "w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/>", dr);
	para(b, NULL, ppr, NULL, date);
}

/* The appendix table's columns: header, width in twips, field. */
static const struct {
	const char *head;
	int width;
} cols[] = {{"序号", 600}, {"问题", 2900}, {"整改措施", 2900}, {"责任领导", 1000},
	    {"责任单位", 1150}, {"整改时限", 1250}, {"进展情况", 2056}, {"状态", 900}};

static void cell(struct buf *b, int width, const char *style, const char *fill, const char *s)
{
	buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
	if (fill)
		buf_printf(b, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%s\"/>", fill);
	buf_puts(b, "<w:vAlign w:val=\"center\"/></w:tcPr>");
	/* one paragraph a line */
	const char *p = s ? s : "";
	do {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		buf_printf(b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
		if (n) {
			char *part = xstrndup(p, n);
			run(b, NULL, part);
			free(part);
		}
		buf_puts(b, "</w:p>");
		p = nl ? nl + 1 : NULL;
	} while (p);
	buf_puts(b, "</w:tc>");
}

static enum rc flush(struct buf *b, FILE *f, struct err *e)
{
	if (b->len && fwrite(b->p, 1, b->len, f) != b->len)
		return ERR(e, RC_IO, "cannot write the report: %s", strerror(errno));
	buf_reset(b);
	return RC_OK;
}

void report_row_docx(struct buf *b, const struct export_row *r)
{
	char seq[16];
	snprintf(seq, sizeof seq, "%d", r->seq);
	const char *fill = r->light == LIGHT_RED ? "F4CCCC" : r->light == LIGHT_YELLOW ? "FFF2CC"
										      : NULL;
	buf_puts(b, "<w:tr>");
	cell(b, cols[0].width, "TableHead", NULL, seq);
	cell(b, cols[1].width, "TableText", NULL, r->problem);
	cell(b, cols[2].width, "TableText", NULL, r->measures);
	cell(b, cols[3].width, "TableText", NULL, r->leader);
	cell(b, cols[4].width, "TableText", NULL, r->unit);
	cell(b, cols[5].width, "TableText", NULL, r->deadline);
	cell(b, cols[6].width, "TableText", NULL, r->progress);
	cell(b, cols[7].width, "TableText", fill, task_status_name(r->status));
	buf_puts(b, "</w:tr>");
}

/* word/document.xml into f. */
static enum rc document(const struct report_model *m, FILE *rows, FILE *f, struct err *e)
{
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		     "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\" xmlns:wp=\"" NS_WP
		     "\" xmlns:a=\"" NS_A "\" xmlns:c=\"" NS_C "\"><w:body>");
	para(&b, "Title", NULL, NULL, m->title_lines);
	para(&b, NULL, NULL, NULL, "");
	if (m->report_to)
		para(&b, NULL, "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>", NULL, m->report_to);
	int chart_no = 0;
	for (size_t i = 0; i < m->n_blocks; i++) {
		const struct rblock *k = &m->blocks[i];
		switch (k->kind) {
		case RB_H1:
			para(&b, "Heading1", NULL, NULL, k->text);
			break;
		case RB_PARA:
			para(&b, NULL, NULL, k->lead, k->text);
			break;
		case RB_CHART:
			chart_para(&b, &m->charts[k->chart], ++chart_no);
			para(&b, "Caption", NULL, NULL, k->text);
			break;
		case RB_ATTACH_NOTE:
			para(&b, NULL, NULL, NULL, "");
			para(&b, NULL, NULL, NULL, k->text);
			break;
		case RB_SIGNER:
			signature(&b, k->text, m->date_cn);
			break;
		case RB_DATE:
			if (m->signer)
				break;          /* under the signer */
			para(&b, NULL, NULL, NULL, "");
			para(&b, NULL, "<w:ind w:right=\"1280\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
				 "<w:jc w:val=\"right\"/>", NULL, k->text);
			break;
		}
	}
	/* The body's section ends here; the appendix is landscape. */
	buf_puts(&b, "<w:p><w:pPr>");
	sect(&b, 0);
	buf_puts(&b, "</w:pPr></w:p>");
	para(&b, "AttachLabel", NULL, NULL, "附件");
	para(&b, NULL, NULL, NULL, "");
	para(&b, "AttachTitle", NULL, NULL, m->ledger_title);
	para(&b, NULL, NULL, NULL, "");
	buf_puts(&b, "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/>"
		     "<w:tblBorders>");
	static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
	for (size_t i = 0; i < ARRAY_LEN(sides); i++)
		buf_printf(&b, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
			   sides[i]);
	buf_puts(&b, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"57\" "
		     "w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>"
		     "<w:tblLook w:val=\"04A0\"/></w:tblPr><w:tblGrid>");
	for (size_t i = 0; i < ARRAY_LEN(cols); i++)
		buf_printf(&b, "<w:gridCol w:w=\"%d\"/>", cols[i].width);
	buf_puts(&b, "</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
	for (size_t i = 0; i < ARRAY_LEN(cols); i++)
		cell(&b, cols[i].width, "TableHead", "D9E1F2", cols[i].head);
	buf_puts(&b, "</w:tr>");
	enum rc rc = flush(&b, f, e);
	if (!rc)
		rc = export_copy(rows, f, e);
	if (!rc) {
		buf_puts(&b, "</w:tbl><w:p/>");
		sect(&b, 1);
		buf_puts(&b, "</w:body></w:document>");
		rc = flush(&b, f, e);
	}
	buf_release(&b);
	return rc;
}

/* Add a part from a buf (handed over to libzip). */
static int add(zip_t *z, const char *name, struct buf *b)
{
	size_t n;
	char *p = buf_detach(b, &n);
	zip_source_t *s = zip_source_buffer(z, p, n, 1);
	if (!s) {
		free(p);
		return -1;
	}
	if (zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
		zip_source_free(s);
		return -1;
	}
	return 0;
}

static int add_lit(zip_t *z, const char *name, const char *lit)
{
	struct buf b = BUF_INIT(0);
	buf_puts(&b, lit);
	return add(z, name, &b);
}

enum rc report_write_docx(const struct report_model *m, FILE *rows, const char *tmp,
			  struct err *e)
{
	FILE *doc = tmpfile();
	if (!doc)
		return ERR(e, RC_IO, "cannot create a temporary file: %s", strerror(errno));
	enum rc rc = document(m, rows, doc, e);
	if (!rc && fflush(doc) != 0)
		rc = ERR(e, RC_IO, "cannot write the report: %s", strerror(errno));
	if (rc) {
		fclose(doc);
		return rc;
	}
	int zerr = 0;
	zip_t *z = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z) {
		fclose(doc);
		return ERR(e, RC_IO, "cannot write the report (libzip error %d)", zerr);
	}
	struct buf b = BUF_INIT(0);
	int bad = 0;
	buf_puts(&b, content_types_head);
	for (size_t i = 0; i < m->n_charts; i++)
		buf_printf(&b, "<Override PartName=\"/word/charts/chart%zu.xml\" ContentType=\"" CT
			       "drawingml.chart+xml\"/>", i + 1);
	buf_puts(&b, "</Types>");
	bad |= add(z, "[Content_Types].xml", &b);
	bad |= add_lit(z, "_rels/.rels", root_rels);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		     "relationships\"><Relationship Id=\"rIdS\" Type=\"" REL "styles\" "
		     "Target=\"styles.xml\"/><Relationship Id=\"rIdT\" Type=\"" REL "settings\" "
		     "Target=\"settings.xml\"/><Relationship Id=\"rIdO\" Type=\"" REL "fontTable\" "
		     "Target=\"fontTable.xml\"/><Relationship Id=\"rIdF1\" Type=\"" REL "footer\" "
		     "Target=\"footer1.xml\"/><Relationship Id=\"rIdF2\" Type=\"" REL "footer\" "
		     "Target=\"footer2.xml\"/>");
	for (size_t i = 0; i < m->n_charts; i++)
		buf_printf(&b, "<Relationship Id=\"rIdC%zu\" Type=\"" REL "chart\" "
			       "Target=\"charts/chart%zu.xml\"/>", i + 1, i + 1);
	buf_puts(&b, "</Relationships>");
	bad |= add(z, "word/_rels/document.xml.rels", &b);
	bad |= add_lit(z, "word/styles.xml", styles);
	bad |= add_lit(z, "word/settings.xml", settings);
	bad |= add_lit(z, "word/fontTable.xml", font_table);
	footer(&b, 1);
	bad |= add(z, "word/footer1.xml", &b);
	footer(&b, 0);
	bad |= add(z, "word/footer2.xml", &b);
	for (size_t i = 0; i < m->n_charts; i++) {
		char name[64];
		snprintf(name, sizeof name, "word/charts/chart%zu.xml", i + 1);
		chart_drawingml(&m->charts[i], &b);
		bad |= add(z, name, &b);
	}
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		     "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
		     "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		     "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
		     "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	export_xml_text(&b, m->title);
	buf_puts(&b, "</dc:title><dc:creator>rectify</dc:creator><dc:language>zh-CN</dc:language>"
		     "</cp:coreProperties>");
	bad |= add(z, "docProps/core.xml", &b);
	buf_release(&b);
	/* The document part streams from its temporary file; libzip closes it. */
	rewind(doc);
	zip_source_t *s = zip_source_filep(z, doc, 0, 0);
	zip_int64_t idx = s ? zip_file_add(z, "word/document.xml", s, ZIP_FL_ENC_UTF_8) : -1;
	if (!s)
		fclose(doc);
	else if (idx < 0)
		zip_source_free(s);
	else
		zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
	if (bad || idx < 0) {
		zip_discard(z);
		return ERR(e, RC_IO, "cannot assemble the .docx");
	}
	if (zip_close(z) < 0) {
		rc = ERR(e, RC_IO, "cannot write the .docx: %s", zip_strerror(z));
		zip_discard(z);
		return rc;
	}
	return RC_OK;
}
