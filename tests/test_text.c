/* Unit tests of the text module: UTF-8, Chinese numerals, decoding. */
#include "testutil.h"

#include <iconv.h>

#include "text.h"

static void test_text_utf8_valid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n;
		bool ok;
		size_t bad;
	} cases[] = {
		{"plain ascii", 11, true, 0},
		{"中文", 6, true, 0},
		{"\xF0\x9F\x98\x80", 4, true, 0},         /* U+1F600 */
		{"\xC0\xAF", 2, false, 0},                /* overlong '/' */
		{"\xE0\x80\xAF", 3, false, 0},            /* overlong */
		{"\xED\xA0\x80", 3, false, 0},            /* surrogate */
		{"\xF4\x90\x80\x80", 4, false, 0},        /* above U+10FFFF */
		{"ab\xE4\xB8", 4, false, 2},              /* truncated */
		{"abcdefgh\x80", 9, false, 8},            /* lone continuation after the fast path */
		{"\xE4\xB8\xAD\xFF", 4, false, 3},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t bad = 99;
		bool ok = text_utf8_valid(cases[i].s, cases[i].n, &bad);
		assert_int_equal(ok, cases[i].ok);
		if (!ok)
			assert_int_equal(bad, cases[i].bad);
	}
}

static void test_text_utf8_count_back(void **state)
{
	(void)state;
	const char *s = "a中b文cdefghijk字";
	assert_int_equal(text_utf8_count(s, strlen(s)), 14);
	/* Byte 2 is inside 中 (bytes 1..3). */
	assert_int_equal(text_utf8_back(s, 2), 1);
	assert_int_equal(text_utf8_back(s, 4), 4);
	char out[4];
	assert_int_equal(text_utf8_put(0x4E2D, out), 3);
	assert_memory_equal(out, "中", 3);
}

static void test_text_cn_number(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int v;
	} cases[] = {
		{"一", 1}, {"十", 10}, {"十五", 15}, {"二十", 20}, {"二十一", 21}, {"九十九", 99},
		{"一百", 100}, {"一百零二", 102}, {"两", 2}, {"三千零一", 3001},
		{"二三", -1}, {"零", -1}, {"十十", -1}, {"", -1}, {"五x", -1},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		assert_int_equal(text_cn_number(cases[i].s, strlen(cases[i].s)), cases[i].v);
	assert_int_equal(text_cn_number_span("十五是", strlen("十五是")), 6);
	assert_int_equal(text_cn_number_span("是十五", strlen("是十五")), 0);
}

static void test_text_line_col(void **state)
{
	(void)state;
	const char *s = "第一行\n第二行abc\n";
	unsigned line, col;
	text_line_col(s, strlen(s), 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	size_t off = (size_t)(strstr(s, "abc") - s);
	text_line_col(s, strlen(s), off, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 4);
}

/* Convert UTF-8 to another encoding for the decoding tests. */
static char *encode(const char *to, const char *s, size_t *outlen)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t cap = strlen(s) * 4 + 8, il = strlen(s), ol = cap;
	char *out = xmalloc(cap), *op = out, *ip = (char *)s;
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*outlen = cap - ol;
	return out;
}

static const char sample[] = "一、存在的问题\n一是学习不够深入。比如，全年只学了3次。\n";

static void test_text_decode_utf8_forms(void **state)
{
	(void)state;
	struct text_src t;
	struct err e = {0};
	assert_int_equal(text_decode(sample, strlen(sample), &t, &e), RC_OK);
	assert_string_equal(t.encoding, "UTF-8");
	assert_string_equal(t.p, sample);
	text_src_release(&t);

	/* BOM and CRLF: the same text, the BOM gone, LF endings. */
	const char *crlf = "\xEF\xBB\xBF一、存在的问题\r\n一是学习不够深入。比如，全年只学了3次。\r\n";
	assert_int_equal(text_decode(crlf, strlen(crlf), &t, &e), RC_OK);
	assert_string_equal(t.encoding, "UTF-8 (BOM)");
	assert_string_equal(t.p, sample);
	assert_int_equal(t.input_bytes, strlen(crlf));
	text_src_release(&t);

	/* Old Mac CR endings. */
	const char *cr = "一、存在的问题\r一是学习不够深入。比如，全年只学了3次。\r";
	assert_int_equal(text_decode(cr, strlen(cr), &t, &e), RC_OK);
	assert_string_equal(t.p, sample);
	text_src_release(&t);
}

static void test_text_decode_gb18030_utf16(void **state)
{
	(void)state;
	struct text_src t;
	struct err e = {0};
	size_t n;
	char *gb = encode("GB18030", sample, &n);
	assert_int_equal(text_decode(gb, n, &t, &e), RC_OK);
	assert_string_equal(t.encoding, "GB18030");
	assert_string_equal(t.p, sample);
	text_src_release(&t);
	free(gb);

	char *u16 = encode("UTF-16LE", sample, &n);
	char *withbom = xmalloc(n + 2);
	memcpy(withbom, "\xFF\xFE", 2);
	memcpy(withbom + 2, u16, n);
	assert_int_equal(text_decode(withbom, n + 2, &t, &e), RC_OK);
	assert_string_equal(t.encoding, "UTF-16LE");
	assert_string_equal(t.p, sample);
	text_src_release(&t);
	free(withbom);
	free(u16);
}

static void test_text_decode_refusals(void **state)
{
	(void)state;
	struct text_src t;
	struct err e = {0};
	assert_int_equal(text_decode("", 0, &t, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(text_decode(" \n\t\n", 4, &t, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(text_decode("ab\0cd", 5, &t, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "binary"));
	/* Control characters throughout. */
	char ctl[200];
	for (size_t i = 0; i < sizeof ctl; i++)
		ctl[i] = (char)(i % 2 ? 'a' : 0x01);
	assert_int_equal(text_decode(ctl, sizeof ctl, &t, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "binary"));
	/* Bytes that are neither UTF-8 nor GB18030 text. */
	unsigned char junk[256];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(0x80 + (i * 37) % 128);
	assert_int_equal(text_decode(junk, sizeof junk, &t, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "undetectable encoding"));
	/* Over the bound: refused before any work. */
	assert_int_equal(text_decode(sample, (size_t)TEXT_MAX_INPUT + 1, &t, &e), RC_TOOBIG);
	assert_non_null(strstr(e.msg, "16 MiB"));
	/* A bad byte after a UTF-8 BOM is named with its offset. */
	assert_int_equal(text_decode("\xEF\xBB\xBF" "ab\xFF", 6, &t, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "byte 5"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_utf8_valid),
		cmocka_unit_test(test_text_utf8_count_back),
		cmocka_unit_test(test_text_cn_number),
		cmocka_unit_test(test_text_line_col),
		cmocka_unit_test(test_text_decode_utf8_forms),
		cmocka_unit_test(test_text_decode_gb18030_utf16),
		cmocka_unit_test(test_text_decode_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
