/* Unit tests of doc_pdf.c: PDF reports read through their text layer.
 *
 * The PDF files are written here by hand (pdf_build.h): pages of Helvetica
 * text must come out in order, one page after the other, with the page
 * numbers and running headers gone once the engine has the text; a file
 * with pages but no text (a scan), a damaged or truncated file and one over
 * the page bound are refused with one clear line; a PDF is a PDF whatever
 * its name. */
#include "testutil.h"

#include "doc.h"
#include "doc_int.h"
#include "pdf_build.h"

static char *pdf_text(const char *data, size_t len, enum rc want, struct err *e)
{
	char *text = NULL;
	size_t tl = 0;
	enum rc rc = doc_pdf_to_text(data, len, &text, &tl, e);
	if (rc != want)
		fail_msg("rc %s, want %s: %s", rc_name(rc), rc_name(want), e->msg);
	if (rc) {
		assert_null(text);
		assert_null(strchr(e->msg, '\n'));
		return NULL;
	}
	assert_non_null(text);
	assert_int_equal(strlen(text), tl);
	return text;
}

static void test_pdf_one_page(void **state)
{
	(void)state;
	static const char *const pages[] = {
		"BT /F1 12 Tf 72 760 Td (Page one) Tj 0 -16 Td (A second line \\(with brackets\\)) "
		"Tj ET",
	};
	size_t len;
	char *pdf = pdf_pages(pages, 1, &len);
	struct err e = {0};
	char *text = pdf_text(pdf, len, RC_OK, &e);
	assert_string_equal(text, "Page one\nA second line (with brackets)\n");
	free(text);
	free(pdf);
}

/* Two pages with a page number at the foot of each: the text has each
 * page's lines in reading order (the body above the foot, whatever order
 * the operators draw them in), pages separated by a newline; the engine
 * drops the page numbers. */
static void test_pdf_two_pages(void **state)
{
	(void)state;
	static const char *const pages[] = {
		"BT /F1 10 Tf 290 40 Td (- 1 -) Tj ET "
		"BT /F1 16 Tf 72 760 Td (Page one) Tj ET "
		"BT /F1 12 Tf 72 700 Td (1. The first item of the report.) Tj ET",
		"BT /F1 12 Tf 72 760 Td (2. The second item, on page two.) Tj ET "
		"BT /F1 10 Tf 290 40 Td (- 2 -) Tj ET",
	};
	size_t len;
	char *pdf = pdf_pages(pages, 2, &len);
	struct err e = {0};
	char *text = pdf_text(pdf, len, RC_OK, &e);
	/* poppler keeps no space in a gap that small. */
	assert_string_equal(text, "Page one\n1. The first item of the report.\n-1-\n"
				  "2. The second item, on page two.\n-2-\n");
	free(text);

	struct doc *d = NULL;
	assert_int_equal(doc_parse(pdf, len, "report.pdf", &d, &e), RC_OK);
	assert_string_equal(d->format, "pdf");
	assert_string_equal(d->encoding, "UTF-8");
	assert_int_equal(d->input_bytes, len);
	assert_string_equal(d->title, "Page one");
	for (size_t i = 0; i < d->n_paras; i++) {
		assert_null(strstr(d->paras[i].text, "-1-"));
		assert_null(strstr(d->paras[i].text, "-2-"));
	}
	assert_int_equal(d->n_paras, 3);
	assert_string_equal(d->paras[2].text, "2. The second item, on page two.");
	doc_free(d);
	free(pdf);
}

/* A running header on every page, the first included, is not the title. */
static void test_pdf_running_header(void **state)
{
	(void)state;
	static const char *const pages[] = {
		"BT /F1 9 Tf 72 810 Td (Office of the Board) Tj ET "
		"BT /F1 16 Tf 72 760 Td (Annual Review) Tj ET "
		"BT /F1 12 Tf 72 700 Td (First page text.) Tj ET",
		"BT /F1 9 Tf 72 810 Td (Office of the Board) Tj ET "
		"BT /F1 12 Tf 72 760 Td (Second page text.) Tj ET",
		"BT /F1 9 Tf 72 810 Td (Office of the Board) Tj ET "
		"BT /F1 12 Tf 72 760 Td (Third page text.) Tj ET",
	};
	size_t len;
	char *pdf = pdf_pages(pages, 3, &len);
	struct err e = {0};
	char *text = pdf_text(pdf, len, RC_OK, &e);
	assert_string_equal(text, "Annual Review\nFirst page text.\nSecond page text.\n"
				  "Third page text.\n");
	free(text);
	free(pdf);

	/* A first line that no other page starts with stays. */
	static const char *const other[] = {
		"BT /F1 16 Tf 72 760 Td (Annual Review) Tj ET",
		"BT /F1 12 Tf 72 760 Td (Annual Review of the year) Tj ET",
	};
	pdf = pdf_pages(other, 2, &len);
	text = pdf_text(pdf, len, RC_OK, &e);
	assert_string_equal(text, "Annual Review\nAnnual Review of the year\n");
	free(text);
	free(pdf);
}

/* Pages, but not one character of text: a scan. */
static void test_pdf_scan(void **state)
{
	(void)state;
	static const char *const pages[] = {
		"0.5 g 72 72 451 698 re f",
		"q 1 0 0 1 0 0 cm 0 0 m 595 842 l S Q",
	};
	size_t len;
	char *pdf = pdf_pages(pages, 2, &len);
	struct err e = {0};
	pdf_text(pdf, len, RC_MEDIA, &e);
	assert_non_null(strstr(e.msg, "no text layer"));
	assert_non_null(strstr(e.msg, "OCR"));
	assert_non_null(strstr(e.msg, "Word"));

	struct doc *d = NULL;
	assert_int_equal(doc_parse(pdf, len, "scan.pdf", &d, &e), RC_MEDIA);
	assert_null(d);
	assert_int_equal(rc_exit_code(RC_MEDIA), 2);
	free(pdf);

	/* Text of white space only is no text either. */
	static const char *const blank[] = {"BT /F1 12 Tf 72 760 Td (   ) Tj ET"};
	pdf = pdf_pages(blank, 1, &len);
	pdf_text(pdf, len, RC_MEDIA, &e);
	assert_non_null(strstr(e.msg, "no text layer"));
	free(pdf);
}

/* Damaged files: truncated at every tenth of its length, garbage after the
 * header, a header alone.  Each is refused (RC_MEDIA) or, where poppler
 * repairs what is left, read; never anything else. */
static void test_pdf_broken(void **state)
{
	(void)state;
	static const char *const pages[] = {
		"BT /F1 12 Tf 72 760 Td (Page one) Tj ET",
		"BT /F1 12 Tf 72 760 Td (Page two) Tj ET",
	};
	size_t len;
	char *pdf = pdf_pages(pages, 2, &len);
	struct err e = {0};
	for (size_t cut = 5; cut < len; cut += len / 10) {
		char *text = NULL;
		size_t tl = 0;
		enum rc rc = doc_pdf_to_text(pdf, cut, &text, &tl, &e);
		if (rc) {
			assert_int_equal(rc, RC_MEDIA);
			assert_null(strchr(e.msg, '\n'));
		} else {
			assert_non_null(strstr(text, "Page one"));
		}
		free(text);
	}
	/* Cut before the first page's object: nothing to repair. */
	char *cut = strstr(pdf, "4 0 obj");
	assert_non_null(cut);
	pdf_text(pdf, (size_t)(cut - pdf), RC_MEDIA, &e);
	assert_non_null(strstr(e.msg, "damaged"));
	free(pdf);

	static const char garbage[] = "%PDF-1.7\n\x01\x02garbage \xFF\xFE stream endstream 9 0 R\n";
	pdf_text(garbage, sizeof garbage - 1, RC_MEDIA, &e);
	assert_non_null(strstr(e.msg, "damaged"));
	pdf_text("%PDF-", 5, RC_MEDIA, &e);

	struct doc *d = NULL;
	assert_int_equal(doc_parse(garbage, sizeof garbage - 1, "report.txt", &d, &e), RC_MEDIA);
	assert_non_null(strstr(e.msg, "PDF"));
}

/* Encrypted with a user password: refused as such. */
static void test_pdf_encrypted(void **state)
{
	(void)state;
	static const char *const pages[] = {"BT /F1 12 Tf 72 760 Td (Secret) Tj ET"};
	size_t len;
	char *pdf = pdf_pages(pages, 1, &len);
	/* A standard security handler (RC4, 40 bits) whose keys match no
	 * empty password: poppler asks for one. */
	char *tr = strstr(pdf, "/Root 1 0 R >>");
	assert_non_null(tr);
	struct buf b = BUF_INIT(0);
	buf_append(&b, pdf, (size_t)(tr - pdf));
	buf_puts(&b, "/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
		     "/O <0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF> "
		     "/U <FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210> >> "
		     "/ID [<00112233445566778899AABBCCDDEEFF><00112233445566778899AABBCCDDEEFF>] >>");
	buf_puts(&b, tr + strlen("/Root 1 0 R >>"));
	free(pdf);
	struct err e = {0};
	pdf_text(b.p, b.len, RC_MEDIA, &e);
	assert_non_null(strstr(e.msg, "password"));
	buf_release(&b);
}

/* A PDF is recognised by "%PDF-" in its first KiB, whatever its name;
 * other text that merely mentions it later is text. */
static void test_pdf_by_signature(void **state)
{
	(void)state;
	static const char *const pages[] = {"BT /F1 12 Tf 72 760 Td (Page one) Tj ET"};
	size_t len;
	char *pdf = pdf_pages(pages, 1, &len);
	static const char *const names[] = {"report.txt", "report.docx", "report.md", "report",
					    NULL};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct doc *d = NULL;
		struct err e = {0};
		if (doc_parse(pdf, len, names[i], &d, &e) != RC_OK)
			fail_msg("%s: %s", names[i] ? names[i] : "(no name)", e.msg);
		assert_string_equal(d->format, "pdf");
		assert_string_equal(d->title, "Page one");
		doc_free(d);
	}
	/* Taken over from a malloc'd buffer (doc_parse_take). */
	char *copy = malloc(len + 1);
	assert_non_null(copy);
	memcpy(copy, pdf, len);
	struct doc *d = NULL;
	struct err e = {0};
	assert_int_equal(doc_parse_take(copy, len, "x.txt", &d, &e), RC_OK);
	assert_string_equal(d->format, "pdf");
	doc_free(d);

	/* Junk before the header (some generators write a few bytes). */
	struct buf b = BUF_INIT(0);
	for (int i = 0; i < 60; i++)
		buf_puts(&b, "junk ");
	buf_append(&b, pdf, len);
	assert_int_equal(doc_parse(b.p, b.len, "report.pdf", &d, &e), RC_OK);
	assert_string_equal(d->format, "pdf");
	doc_free(d);
	buf_release(&b);
	free(pdf);

	/* "%PDF-" past the first KiB of a text report is text. */
	b = (struct buf)BUF_INIT(0);
	buf_puts(&b, "Report\n");
	for (int i = 0; i < 40; i++)
		buf_puts(&b, "A line of the report that says nothing much at all.\n");
	buf_puts(&b, "See %PDF-1.4 files.\n");
	assert_int_equal(doc_parse(b.p, b.len, "report.txt", &d, &e), RC_OK);
	assert_string_equal(d->format, "text");
	doc_free(d);
	buf_release(&b);
}

/* More pages than DOC_PDF_MAX_PAGES: refused before any is read. */
static void test_pdf_too_many_pages(void **state)
{
	(void)state;
	static const char *const content[] = {"BT /F1 12 Tf 72 760 Td (Page) Tj ET"};
	size_t len;
	char *pdf = pdf_build(content, NULL, 1, DOC_PDF_MAX_PAGES + 1, &len);
	struct err e = {0};
	pdf_text(pdf, len, RC_TOOBIG, &e);
	assert_non_null(strstr(e.msg, "10000"));
	free(pdf);
}

/* More text than TEXT_MAX_INPUT: pages sharing one content stream of
 * 64 KiB of text, in a file far smaller than that. */
static void test_pdf_too_much_text(void **state)
{
	(void)state;
	struct buf c = BUF_INIT(0);
	buf_puts(&c, "BT /F1 2 Tf 10 830 Td 2.5 TL (");
	for (int line = 0; line < 160; line++) {
		for (int i = 0; i < 40; i++)
			buf_puts(&c, "xxxxxxxxx ");
		buf_puts(&c, ") '\n(");
	}
	buf_puts(&c, ") ' ET");
	const char *content[] = {c.p};
	size_t cl[] = {c.len};
	/* What one page gives (poppler drops some lines' ends). */
	size_t len;
	char *pdf = pdf_build(content, cl, 1, 1, &len);
	struct err e = {0};
	char *one = pdf_text(pdf, len, RC_OK, &e);
	size_t per_page = strlen(one);
	assert_int_equal(per_page, 50000);
	free(one);
	free(pdf);
	size_t pages = TEXT_MAX_INPUT / per_page + 2;
	assert_true(pages <= DOC_PDF_MAX_PAGES);
	pdf = pdf_build(content, cl, 1, pages, &len);
	assert_true(len < TEXT_MAX_INPUT / 8);
	pdf_text(pdf, len, RC_TOOBIG, &e);
	assert_non_null(strstr(e.msg, "16 MiB"));
	free(pdf);
	buf_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_one_page),
		cmocka_unit_test(test_pdf_two_pages),
		cmocka_unit_test(test_pdf_running_header),
		cmocka_unit_test(test_pdf_scan),
		cmocka_unit_test(test_pdf_broken),
		cmocka_unit_test(test_pdf_encrypted),
		cmocka_unit_test(test_pdf_by_signature),
		cmocka_unit_test(test_pdf_too_many_pages),
		cmocka_unit_test(test_pdf_too_much_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
