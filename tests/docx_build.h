/*
 * docx_build.h -- test helpers that write .docx packages in memory with
 * libzip: a package from named parts, and a report text turned into a Word
 * document whose numbering is automatic.
 *
 * docx_from_text() reads a report as the engine would (paragraphs are
 * lines; blank lines are ignored) and writes each paragraph as a w:p:
 *   - a leading label 一、 （一） 一是 becomes numbering level 0, 1, 2 of one
 *     chineseCounting list (lvlText "%1、" "（%2）" "%3是"); the label is
 *     removed from the text, so only the numbering can bring it back;
 *   - "# " and "## " become the styles Heading1 and Heading2 (outline levels
 *     0 and 1); Heading2 carries the level-0 numbering in styles.xml, so a
 *     "## 一、" heading is numbered through its style;
 *   - "**text**" becomes a bold run;
 *   - consecutive lines with tabs become one table, one row per line and one
 *     cell per tab-separated field; in a column headed 方面/类别 an empty
 *     cell under a filled one is a vertically merged continuation (w:vMerge),
 *     and a row "heading<TAB>" is one cell spanning the table (w:gridSpan);
 *   - when `decorate` is set, paragraphs carry, by their index, markup that
 *     must not change the accepted text: deleted and moved-from runs,
 *     inserted and moved-to runs, a hidden run, a footnote reference, field
 *     codes with their results, simple fields, property changes holding other
 *     numbering, mc:AlternateContent with a fallback copy, whole deleted
 *     paragraphs, and paragraphs split in two by a deleted paragraph mark.
 * The text is trusted: its labels must count as Word would count them.
 */
#ifndef RECTIFY_DOCX_BUILD_H
#define RECTIFY_DOCX_BUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"
#include "text.h"

struct docx_part {
	const char *name;
	const char *data;
	size_t len;             /* 0: strlen(data) */
};

/* A ZIP package of the given parts, in memory (malloc'd; caller frees).
 * method is ZIP_CM_DEFLATE or ZIP_CM_STORE; password, when not NULL,
 * encrypts every entry with AES-256.  NULL on failure. */
static inline char *docx_zip(const struct docx_part *parts, size_t n, int method,
			     const char *password, size_t *len)
{
	*len = 0;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	zip_error_fini(&ze);
	if (!za)
		return NULL;
	zip_source_keep(src);
	for (size_t i = 0; i < n; i++) {
		size_t l = parts[i].len ? parts[i].len : strlen(parts[i].data);
		zip_source_t *s = zip_source_buffer(za, parts[i].data, l, 0);
		zip_int64_t idx = zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zip_source_free(s);
			zip_discard(za);
			zip_source_free(src);
			return NULL;
		}
		zip_set_file_compression(za, (zip_uint64_t)idx, method, 0);
		if (password)
			zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, password);
	}
	if (zip_close(za) < 0) {
		zip_discard(za);
		zip_source_free(src);
		return NULL;
	}
	char *out = NULL;
	if (zip_source_open(src) == 0) {
		zip_source_seek(src, 0, SEEK_END);
		zip_int64_t size = zip_source_tell(src);
		zip_source_seek(src, 0, SEEK_SET);
		out = malloc(size > 0 ? (size_t)size : 1);
		if (out && zip_source_read(src, out, (zip_uint64_t)size) != size) {
			free(out);
			out = NULL;
		}
		*len = (size_t)size;
		zip_source_close(src);
	}
	zip_source_free(src);
	return out;
}

#define DOCX_W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOCX_DOC_OPEN                                                                    \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                \
	"<w:document xmlns:w=\"" DOCX_W_NS "\" xmlns:r=\"http://schemas.openxmlformats.org/" \
	"officeDocument/2006/relationships\" xmlns:mc=\"http://schemas.openxmlformats.org/" \
	"markup-compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/office/word/" \
	"2010/wordprocessingShape\" mc:Ignorable=\"wps\"><w:body>"
#define DOCX_DOC_CLOSE "<w:sectPr/></w:body></w:document>"

static const char docx_content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
	"relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd."
	"openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd."
	"openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd."
	"openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>"
	"<Override PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd."
	"openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/></Types>";

static const char docx_root_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

static const char docx_doc_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/styles\" Target=\"styles.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/numbering\" Target=\"numbering.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/footnotes\" Target=\"footnotes.xml\"/>"
	"<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/hyperlink\" Target=\"http://example.org/\" TargetMode=\"External\"/>"
	"</Relationships>";

/* The footnote the decorated paragraphs refer to; its text is not read. */
static const char docx_footnotes[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<w:footnotes xmlns:w=\"" DOCX_W_NS "\">"
	"<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p>"
	"</w:footnote><w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r>"
	"<w:continuationSeparator/></w:r></w:p></w:footnote>"
	"<w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>脚注里的话。</w:t>"
	"</w:r></w:p></w:footnote></w:footnotes>";

static const char docx_styles[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<w:styles xmlns:w=\"" DOCX_W_NS "\">"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
	"</w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr>"
	"<w:outlineLvl w:val=\"1\"/></w:pPr></w:style>"
	"</w:styles>";

static const char docx_numbering[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<w:numbering xmlns:w=\"" DOCX_W_NS "\">"
	"<w:abstractNum w:abstractNumId=\"7\">"
	"<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
	"<w:pStyle w:val=\"Heading2\"/><w:suff w:val=\"nothing\"/><w:lvlText w:val=\"%1、\"/></w:lvl>"
	"<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
	"<w:suff w:val=\"nothing\"/><w:lvlText w:val=\"（%2）\"/></w:lvl>"
	"<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
	"<w:suff w:val=\"nothing\"/><w:lvlText w:val=\"%3是\"/></w:lvl>"
	"</w:abstractNum>"
	"<w:num w:numId=\"1\"><w:abstractNumId w:val=\"7\"/></w:num>"
	"</w:numbering>";

static inline void docx_xml_text(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_putc(b, s[i]);
		}
	}
}

/* A run holding s[0..n), bold or not. */
static inline void docx_run(struct buf *b, const char *s, size_t n, int bold)
{
	if (n == 0)
		return;
	buf_puts(b, "<w:r>");
	if (bold)
		buf_puts(b, "<w:rPr><w:b/></w:rPr>");
	buf_puts(b, "<w:t xml:space=\"preserve\">");
	docx_xml_text(b, s, n);
	buf_puts(b, "</w:t></w:r>");
}

/* A character boundary near the middle of s[0..n). */
static inline size_t docx_mid(const char *s, size_t n)
{
	size_t m = n / 2;
	while (m > 0 && ((unsigned char)s[m] & 0xC0) == 0x80)
		m--;
	return m;
}

/* The runs of a paragraph's text, decorated by index k (see the top). */
static inline void docx_runs(struct buf *b, const char *s, size_t n, int bold, int decorate,
			     unsigned k)
{
	size_t m = docx_mid(s, n);
	if (!decorate || n < 6) {
		docx_run(b, s, n, bold);
		return;
	}
	switch (k % 5) {
	case 0: /* a choice and a fallback copy */
		buf_puts(b, "<mc:AlternateContent><mc:Choice Requires=\"wps\">");
		docx_run(b, s, m, bold);
		buf_puts(b, "</mc:Choice><mc:Fallback>");
		docx_run(b, s, m, bold);
		buf_puts(b, "</mc:Fallback></mc:AlternateContent>");
		docx_run(b, s + m, n - m, bold);
		break;
	case 1: /* deletions and insertions */
		docx_run(b, s, m, bold);
		buf_puts(b, "<w:del w:id=\"1\" w:author=\"a\"><w:r><w:delText>删去的话</w:delText>"
			    "</w:r></w:del><w:ins w:id=\"2\" w:author=\"a\">");
		docx_run(b, s + m, n - m, bold);
		buf_puts(b, "</w:ins><w:moveFrom w:id=\"3\" w:author=\"a\"><w:r><w:t>移走的话"
			    "</w:t></w:r></w:moveFrom>");
		break;
	case 2: /* a field code with its result, hidden text, a footnote */
		buf_puts(b, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>"
			    " QUOTE \"代码\" </w:instrText></w:r><w:r><w:fldChar "
			    "w:fldCharType=\"separate\"/></w:r>");
		docx_run(b, s, m, bold);
		buf_puts(b, "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
			    "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的字</w:t></w:r>"
			    "<w:bookmarkStart w:id=\"0\" w:name=\"m\"/><w:proofErr w:type=\"spellStart\"/>");
		docx_run(b, s + m, n - m, bold);
		buf_puts(b, "<w:bookmarkEnd w:id=\"0\"/><w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/>"
			    "</w:rPr><w:footnoteReference w:id=\"1\"/></w:r>");
		break;
	case 3: /* moved-to text and a property change */
		buf_puts(b, "<w:moveTo w:id=\"4\" w:author=\"a\">");
		docx_run(b, s, m, bold);
		buf_puts(b, "</w:moveTo><w:r><w:rPr><w:i/><w:rPrChange w:id=\"5\" w:author=\"a\">"
			    "<w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr><w:t xml:space=\"preserve\">");
		docx_xml_text(b, s + m, n - m);
		buf_puts(b, "</w:t></w:r>");
		break;
	default: /* a simple field and a hyperlink */
		buf_puts(b, "<w:fldSimple w:instr=\" DOCPROPERTY x \">");
		docx_run(b, s, m, bold);
		buf_puts(b, "</w:fldSimple><w:hyperlink r:id=\"rId9\">");
		docx_run(b, s + m, n - m, bold);
		buf_puts(b, "</w:hyperlink>");
		break;
	}
}

/* Length of a label 一、 （一） 一是 at s (0 when none) and its level. */
static inline size_t docx_label(const char *s, size_t n, int *level)
{
	if (n > 3 && memcmp(s, "（", 3) == 0) {
		size_t k = text_cn_number_span(s + 3, n - 3);
		if (k && k <= 9 && n >= 6 + k && memcmp(s + 3 + k, "）", 3) == 0) {
			*level = 1;
			return 6 + k;
		}
		return 0;
	}
	size_t k = text_cn_number_span(s, n);
	if (!k || k > 9 || n < k + 3)
		return 0;
	if (memcmp(s + k, "、", 3) == 0) {
		*level = 0;
		return k + 3;
	}
	if (memcmp(s + k, "是", 3) == 0) {
		*level = 2;
		return k + 3;
	}
	return 0;
}

/* Cell c (0-based) of a tab-separated row: its text in *cs, *cn; 0 when
 * the row has fewer cells. */
static inline int docx_cell(const char *s, size_t n, size_t c, const char **cs, size_t *cn)
{
	for (;;) {
		const char *tab = memchr(s, '\t', n);
		size_t l = tab ? (size_t)(tab - s) : n;
		if (c == 0) {
			*cs = s;
			*cn = l;
			return 1;
		}
		if (!tab)
			return 0;
		s += l + 1;
		n -= l + 1;
		c--;
	}
}

static inline size_t docx_cells(const char *s, size_t n)
{
	size_t c = 1;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\t';
	return c;
}

/* A row that is one heading across the table: one filled cell and one empty
 * one ("二、作风建设方面<TAB>") in a table of more than two columns. */
static inline int docx_span_row(const char *s, size_t n, size_t ncols)
{
	return ncols > 2 && n > 1 && s[n - 1] == '\t' && docx_cells(s, n) == 2 &&
	       memchr(s, '\t', n) == s + n - 1;
}

/* A header cell naming the column of areas (方面, 类别 …), whose empty cells
 * below a filled one are written as a vertically merged cell. */
static inline int docx_area_header(const char *s, size_t n)
{
	static const char *const names[] = {"方面", "类别", "问题类别", "问题方面", "所属方面",
					    "领域", "类型"};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (n == strlen(names[i]) && memcmp(s, names[i], n) == 0)
			return 1;
	return 0;
}

/*
 * A w:tbl for the rows of text[0..len) (one row a line, cells separated by
 * tabs).  In a column whose header (first row) names the areas, an empty
 * cell below a filled one continues it (w:vMerge), the filled one starting
 * the merge (w:vMerge w:val="restart"); a row "heading<TAB>" is one cell
 * spanning the table (w:gridSpan).  Returns the paragraph counter k after
 * the rows.
 */
static inline unsigned docx_table(struct buf *b, const char *text, size_t len, int decorate,
				  unsigned k)
{
	struct row {
		const char *s;
		size_t n;
	} rows[512];
	size_t nr = 0, pos = 0;
	while (pos < len && nr < ARRAY_LEN(rows)) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - pos;
		while (n && (text[pos + n - 1] == '\r' || text[pos + n - 1] == ' '))
			n--;
		if (n) {
			rows[nr].s = text + pos;
			rows[nr].n = n;
			nr++;
		}
		pos = end + 1;
	}
	if (nr == 0)
		return k;
	size_t ncols = docx_cells(rows[0].s, rows[0].n);
	buf_puts(b, "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
	for (size_t r = 0; r < nr; r++) {
		const char *s = rows[r].s;
		size_t n = rows[r].n;
		k++;
		buf_puts(b, "<w:tr>");
		if (docx_span_row(s, n, ncols)) {
			buf_printf(b, "<w:tc><w:tcPr><w:gridSpan w:val=\"%zu\"/></w:tcPr><w:p>", ncols);
			docx_runs(b, s, n - 1, 0, decorate, k);
			buf_puts(b, "</w:p></w:tc></w:tr>");
			continue;
		}
		size_t nc = docx_cells(s, n);
		for (size_t c = 0; c < nc; c++) {
			const char *cs = "", *hs = "", *ps = "", *ns = "";
			size_t cn = 0, hn = 0, pn = 0, nn = 0;
			docx_cell(s, n, c, &cs, &cn);
			const char *merge = NULL;
			if (r > 0 && docx_cell(rows[0].s, rows[0].n, c, &hs, &hn) &&
			    docx_area_header(hs, hn)) {
				int prev = r > 1 && !docx_span_row(rows[r - 1].s, rows[r - 1].n, ncols) &&
					   docx_cell(rows[r - 1].s, rows[r - 1].n, c, &ps, &pn);
				int next = r + 1 < nr &&
					   !docx_span_row(rows[r + 1].s, rows[r + 1].n, ncols) &&
					   docx_cell(rows[r + 1].s, rows[r + 1].n, c, &ns, &nn);
				if (cn == 0 && prev)
					merge = "<w:vMerge/>";
				else if (cn > 0 && next && nn == 0)
					merge = "<w:vMerge w:val=\"restart\"/>";
			}
			buf_puts(b, "<w:tc>");
			if (merge)
				buf_printf(b, "<w:tcPr>%s</w:tcPr>", merge);
			buf_puts(b, "<w:p>");
			docx_runs(b, cs, cn, 0, decorate, k);
			buf_puts(b, "</w:p></w:tc>");
		}
		buf_puts(b, "</w:tr>");
	}
	buf_puts(b, "</w:tbl>");
	return k;
}

/* word/document.xml for a report text (see the top of this file). */
static inline void docx_document(struct buf *b, const char *text, size_t len, int decorate)
{
	buf_puts(b, DOCX_DOC_OPEN);
	unsigned k = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *s = text + pos;
		size_t n = end - pos;
		pos = end + 1;
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		if (n == 0)
			continue;
		k++;
		if (memchr(s, '\t', n)) {
			/* The whole table: this line and the following lines with
			 * tabs (blank lines between rows are ignored). */
			size_t tstart = (size_t)(s - text), tend = end, rpos = pos;
			while (rpos < len) {
				const char *rnl = memchr(text + rpos, '\n', len - rpos);
				size_t rend = rnl ? (size_t)(rnl - text) : len;
				size_t rn = rend - rpos;
				while (rn && (text[rpos + rn - 1] == '\r' || text[rpos + rn - 1] == ' '))
					rn--;
				if (rn && !memchr(text + rpos, '\t', rn))
					break;
				if (rn)
					tend = rend;
				rpos = rend + 1;
			}
			k = docx_table(b, text + tstart, tend - tstart, decorate, k - 1);
			pos = tend + 1;
			continue;
		}
		const char *style = NULL;
		if (n > 3 && memcmp(s, "## ", 3) == 0) {
			style = "Heading2";
			s += 3;
			n -= 3;
		} else if (n > 2 && memcmp(s, "# ", 2) == 0) {
			style = "Heading1";
			s += 2;
			n -= 2;
		}
		int bold = 0;
		if (n > 4 && memcmp(s, "**", 2) == 0 && memcmp(s + n - 2, "**", 2) == 0) {
			bold = 1;
			s += 2;
			n -= 4;
		}
		int level = -1;
		size_t ll = docx_label(s, n, &level);
		s += ll;
		n -= ll;
		int h2 = style && strcmp(style, "Heading2") == 0;
		char ppr[512];
		int off = snprintf(ppr, sizeof ppr, "<w:pPr>");
		if (style)
			off += snprintf(ppr + off, sizeof ppr - (size_t)off,
					"<w:pStyle w:val=\"%s\"/>", style);
		if (ll && !(h2 && level == 0))
			off += snprintf(ppr + off, sizeof ppr - (size_t)off,
					"<w:numPr><w:ilvl w:val=\"%d\"/><w:numId w:val=\"1\"/></w:numPr>",
					level);
		else if (!ll && h2)
			/* Heading2 numbers through its style; this one is not numbered. */
			off += snprintf(ppr + off, sizeof ppr - (size_t)off,
					"<w:numPr><w:numId w:val=\"0\"/></w:numPr>");
		if (decorate && k % 4 == 2)
			/* An old numbering that a change replaced. */
			off += snprintf(ppr + off, sizeof ppr - (size_t)off,
					"<w:pPrChange w:id=\"9\" w:author=\"a\"><w:pPr><w:numPr>"
					"<w:ilvl w:val=\"3\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
					"</w:pPrChange>");
		snprintf(ppr + off, sizeof ppr - (size_t)off, "</w:pPr>");
		if (decorate && k % 7 == 3)
			/* A whole paragraph deleted, its mark too. */
			buf_puts(b, "<w:p><w:pPr><w:rPr><w:del w:id=\"6\" w:author=\"a\"/></w:rPr></w:pPr>"
				    "<w:del w:id=\"7\" w:author=\"a\"><w:r><w:delText>整段删去</w:delText>"
				    "</w:r></w:del></w:p>");
		if (decorate && k % 7 == 5 && n >= 12) {
			/* Split in two by a deleted mark: the second mark holds the
			 * paragraph's properties. */
			size_t m = docx_mid(s, n);
			buf_puts(b, "<w:p><w:pPr><w:rPr><w:del w:id=\"8\" w:author=\"a\"/></w:rPr>"
				    "</w:pPr>");
			docx_run(b, s, m, bold);
			buf_puts(b, "</w:p><w:p>");
			buf_puts(b, ppr);
			docx_run(b, s + m, n - m, bold);
			buf_puts(b, "</w:p>");
			continue;
		}
		buf_puts(b, "<w:p>");
		buf_puts(b, ppr);
		docx_runs(b, s, n, bold, decorate, k);
		buf_puts(b, "</w:p>");
	}
	buf_puts(b, DOCX_DOC_CLOSE);
}

/* A whole .docx for a report text; caller frees.  NULL on failure. */
static inline char *docx_from_text(const char *text, size_t len, int decorate, size_t *out_len)
{
	struct buf doc = BUF_INIT(0);
	docx_document(&doc, text, len, decorate);
	struct docx_part parts[] = {
		{"[Content_Types].xml", docx_content_types, 0},
		{"_rels/.rels", docx_root_rels, 0},
		{"word/_rels/document.xml.rels", docx_doc_rels, 0},
		{"word/styles.xml", docx_styles, 0},
		{"word/numbering.xml", docx_numbering, 0},
		{"word/footnotes.xml", docx_footnotes, 0},
		{"word/document.xml", doc.p, doc.len},
	};
	char *z = docx_zip(parts, ARRAY_LEN(parts), ZIP_CM_DEFLATE, NULL, out_len);
	buf_release(&doc);
	return z;
}

#endif
