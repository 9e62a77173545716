/*
 * doc_pdf.c -- PDF reports to the plain text the engine parses, through
 * their text layer (poppler's GLib interface).
 *
 * The file is opened from memory (poppler_document_new_from_bytes over the
 * caller's bytes, no copy and no temporary file) and each page's text is
 * taken in reading order (poppler_page_get_text).  Pages are joined the way
 * text pasted from a PDF looks: each page's lines, with the blank lines at
 * its top and bottom dropped, then a newline, then the next page.  Page
 * numbers and running headers and footers stay in the text: doc_lines.c
 * drops them, and joins a paragraph broken across pages, as it does for any
 * pasted PDF text.  One case it cannot see is handled here, where the pages
 * are known: a header that is also on the first page, above the title (see
 * drop_first_header).
 *
 * Characters a text layer may hold that are not text are removed: form
 * feeds and vertical tabs end a line, CR and CR LF become LF, tabs stay
 * (table cells), other C0 and C1 control characters and NUL are dropped;
 * bytes that are not UTF-8 (poppler should give none) become U+FFFD.  A
 * single space that poppler infers from a gap between two Chinese
 * characters, or between a Chinese character and a Latin letter or digit
 * (the extra room Word and LibreOffice leave around "2024" in Chinese text),
 * is dropped: it was never typed, and would hide years and numbers from the
 * engine.
 *
 * Refused, with a one-line message, as RC_MEDIA: a password-protected or
 * damaged file, one with no pages, and one whose pages hold no text at all
 * (a scan: OCR it, or use the Word file it was made from).  Bounds
 * (docs/LIMITS.md): PDF_MAX_PAGES pages, TEXT_MAX_INPUT bytes of text
 * (RC_TOOBIG); the file itself is bounded by the caller at TEXT_MAX_INPUT.
 */
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"

/* poppler and GLib, loaded on the first PDF (util_dl_load): the functions
 * used, with the types of their declarations. */
#define PDF_FUNCS(X)                                                                    \
	X(g_bytes_new_static) X(g_bytes_unref) X(g_clear_error) X(g_free) X(g_object_unref) \
	X(g_utf8_validate) X(g_utf8_make_valid) X(poppler_error_quark)                      \
	X(poppler_document_get_n_pages) X(poppler_document_get_page)                        \
	X(poppler_document_new_from_bytes) X(poppler_page_get_text)
#define PDF_FN(f) __typeof__(&f) f;
#define PDF_NAME(f) #f,
static struct {
	PDF_FUNCS(PDF_FN)
} pdf;
static const char *const pdf_names[] = {PDF_FUNCS(PDF_NAME)};
static pthread_once_t pdf_once = PTHREAD_ONCE_INIT;
static char pdf_missing[256];   /* why poppler could not be loaded, "" when it was */

static void pdf_load(void)
{
	void *fns[ARRAY_LEN(pdf_names)];
	_Static_assert(sizeof fns == sizeof pdf, "one pointer per function");
	if (util_dl_load(POPPLER_SONAME, pdf_names, fns, ARRAY_LEN(pdf_names), pdf_missing,
			 sizeof pdf_missing) == 0)
		memcpy(&pdf, fns, sizeof pdf);
}

#define PDF_MAX_PAGES DOC_PDF_MAX_PAGES /* pages of a PDF report (10,000) */
#define PDF_MAX_TEXT TEXT_MAX_INPUT     /* bytes of text taken from all pages */

/* One line of what a failed poppler call said (its message may have more). */
static const char *first_line(const GError *ge, char *tmp, size_t size)
{
	const char *m = ge && ge->message && *ge->message ? ge->message : "unknown error";
	size_t n = strcspn(m, "\r\n");
	if (n >= size)
		n = size - 1;
	memcpy(tmp, m, n);
	tmp[n] = '\0';
	return tmp;
}

static enum rc open_error(const GError *ge, struct err *e)
{
	if (ge && ge->domain == pdf.poppler_error_quark() && ge->code == POPPLER_ERROR_ENCRYPTED)
		return ERR(e, RC_MEDIA, "the PDF is password-protected: save or print it again "
					"without a password, or use the original Word file");
	char tmp[200];
	return ERR(e, RC_MEDIA, "the PDF is damaged or truncated and cannot be read (%s)",
		   first_line(ge, tmp, sizeof tmp));
}

/* A character that a page of nothing but it holds no text. */
static int is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == 0xA0 || c == 0x3000 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF;
}

/* A single space between a and b is layout, not text. */
static int gap_only(uint32_t a, uint32_t b)
{
	return (text_is_cjk(a) && (text_is_cjk(b) || text_is_ascii_alnum(b))) ||
	       (text_is_ascii_alnum(a) && text_is_cjk(b));
}

/* Append page text s[0..n) (valid UTF-8) to out, cleaned as the top of this
 * file says, without its leading and trailing blank lines, and ending with a
 * newline.  Returns the number of characters that are not white space. */
static size_t append_page(struct buf *out, const char *s, size_t n)
{
	size_t start = out->len, last_text = out->len;
	size_t chars = 0, spaces = 0;   /* ASCII spaces read and not yet written */
	uint32_t prev = 0;              /* the last character written on the line */
	int any = 0;
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t k = (size_t)text_utf8_next(s + i, n - i, &c);
		if (c == '\r' || c == '\f' || c == '\v' || c == '\n') {
			if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
				k = 2;
			i += k;
			spaces = 0;
			prev = 0;
			if (!any) {
				/* A blank line at the top of the page. */
				buf_truncate(out, start);
				continue;
			}
			buf_putc(out, '\n');
			continue;
		}
		i += k;
		if ((c < 0x20 && c != '\t') || c == 0x7F || (c >= 0x80 && c < 0xA0))
			continue;
		if (c == ' ') {
			spaces++;
			continue;
		}
		/* A space poppler put for a gap between Chinese characters, or
		 * between Chinese and Latin letters or digits (autospacing),
		 * was not typed. */
		if (spaces && !(spaces == 1 && prev && gap_only(prev, c)))
			while (spaces--)
				buf_putc(out, ' ');
		spaces = 0;
		buf_append(out, s + i - k, k);
		prev = c;
		if (!is_space(c)) {
			chars++;
			any = 1;
			last_text = out->len;
		}
	}
	/* Drop the trailing blank lines and white space. */
	if (!any) {
		buf_truncate(out, start);
		return 0;
	}
	buf_truncate(out, last_text);
	buf_putc(out, '\n');
	return chars;
}

/* The length of the first line of page text p[0..n) (which ends with a
 * newline when n > 0). */
static size_t line_len(const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	return nl ? (size_t)(nl - p) : n;
}

/*
 * A running header printed on every page, the first one included, is the
 * first line of the text, where doc_lines.c keeps a repeated line (it takes
 * it for the title that a header repeats).  When the first page's top line
 * is also the top line of another page, it is a header: it is removed from
 * the top of every page that has it.  top[i] is where page i starts in b
 * (top[n] is the end).
 */
static void drop_first_header(struct buf *b, const size_t *top, size_t n)
{
	if (n < 2 || top[1] == top[0])
		return;
	size_t hl = line_len(b->p + top[0], top[1] - top[0]);
	const char *h = b->p + top[0];
	int again = 0;
	for (size_t i = 1; i < n && !again; i++)
		again = top[i + 1] - top[i] > hl && line_len(b->p + top[i], top[i + 1] - top[i]) == hl &&
			memcmp(b->p + top[i], h, hl) == 0;
	if (!again)
		return;
	char *hdr = xstrndup(h, hl);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = top[i], end = top[i + 1];
		if (end - r > hl && memcmp(b->p + r, hdr, hl) == 0 && b->p[r + hl] == '\n')
			r += hl + 1;
		memmove(b->p + w, b->p + r, end - r);
		w += end - r;
	}
	free(hdr);
	buf_truncate(b, w);
}

enum rc doc_pdf_to_text(const void *data, size_t len, char **text, size_t *text_len,
			struct err *e)
{
	*text = NULL;
	*text_len = 0;
	pthread_once(&pdf_once, pdf_load);
	if (pdf_missing[0])
		return ERR(e, RC_MEDIA, "PDF files cannot be read here: %s", pdf_missing);
	GBytes *bytes = pdf.g_bytes_new_static(data, len);
	GError *ge = NULL;
	PopplerDocument *pd = pdf.poppler_document_new_from_bytes(bytes, NULL, &ge);
	pdf.g_bytes_unref(bytes);
	if (!pd) {
		enum rc rc = open_error(ge, e);
		pdf.g_clear_error(&ge);
		return rc;
	}
	pdf.g_clear_error(&ge);
	enum rc rc = RC_OK;
	int pages = pdf.poppler_document_get_n_pages(pd);
	if (pages <= 0) {
		rc = ERR(e, RC_MEDIA, "the PDF is damaged or truncated: it has no pages");
		goto out;
	}
	if (pages > PDF_MAX_PAGES) {
		rc = ERR(e, RC_TOOBIG, "the PDF has %d pages; the limit is %d", pages,
			 PDF_MAX_PAGES);
		goto out;
	}
	struct buf b = BUF_INIT(PDF_MAX_TEXT);
	size_t chars = 0;
	size_t *top = xmalloc(((size_t)pages + 1) * sizeof *top);
	for (int i = 0; i < pages && !b.err; i++) {
		top[i] = b.len;
		PopplerPage *page = pdf.poppler_document_get_page(pd, i);
		if (!page)
			continue;
		char *t = pdf.poppler_page_get_text(page);
		pdf.g_object_unref(page);
		if (!t)
			continue;
		size_t tl = strlen(t);
		if (!pdf.g_utf8_validate(t, (gssize)tl, NULL)) {
			char *v = pdf.g_utf8_make_valid(t, (gssize)tl);
			pdf.g_free(t);
			t = v;
			tl = strlen(t);
		}
		chars += append_page(&b, t, tl);
		pdf.g_free(t);
	}
	top[pages] = b.len;
	if (!b.err)
		drop_first_header(&b, top, (size_t)pages);
	free(top);
	if (b.err) {
		buf_release(&b);
		rc = ERR(e, RC_TOOBIG, "the text of the PDF is more than %u MiB",
			 PDF_MAX_TEXT >> 20);
		goto out;
	}
	if (chars == 0) {
		buf_release(&b);
		rc = ERR(e, RC_MEDIA, "the PDF has %d page%s but no text layer (a scan?): run OCR "
				      "on it or use the original Word file", pages,
			 pages == 1 ? "" : "s");
		goto out;
	}
	*text = buf_detach(&b, text_len);
out:
	pdf.g_object_unref(pd);
	return rc;
}
