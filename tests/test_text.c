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

/* RFC 3629 read plainly: true, or false with *bad at the start of the first
 * sequence that is not a character. */
static bool ref_valid(const unsigned char *s, size_t n, size_t *bad)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t need = 0;
		unsigned lo = 0x80, hi = 0xBF;
		if (c < 0x80)
			need = 0;
		else if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		else
			goto no;
		if (i + need >= n + (need == 0))
			goto no;
		for (size_t k = 1; k <= need; k++)
			if (s[i + k] < (k == 1 ? lo : 0x80) || s[i + k] > (k == 1 ? hi : 0xBF))
				goto no;
		i += need + 1;
		continue;
	no:
		*bad = i;
		return false;
	}
	return true;
}

/* The validator against the plain reading on every two-byte string and on
 * three- and four-byte strings of telling bytes, each alone, after eight
 * ASCII bytes and across the validator's 64-byte blocks. */
static void test_text_utf8_exhaustive(void **state)
{
	(void)state;
	static const unsigned char tell[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
					     0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
					     0xED, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF};
	enum { T = sizeof tell };
	unsigned char buf[80];
	size_t checked = 0;
	for (unsigned long k = 0; k < 65536ul + T * T * T + T * T * T * T; k++) {
		unsigned char seq[4];
		size_t len;
		if (k < 65536) {
			seq[0] = (unsigned char)(k >> 8), seq[1] = (unsigned char)k, len = 2;
		} else if (k < 65536ul + T * T * T) {
			unsigned long r = k - 65536;
			seq[0] = tell[r / (T * T)], seq[1] = tell[r / T % T], seq[2] = tell[r % T];
			len = 3;
		} else {
			unsigned long r = k - 65536 - T * T * T;
			seq[0] = tell[r / (T * T * T)], seq[1] = tell[r / (T * T) % T];
			seq[2] = tell[r / T % T], seq[3] = tell[r % T];
			len = 4;
		}
		static const size_t pads[] = {0, 8, 62};
		for (size_t pi = 0; pi < ARRAY_LEN(pads); pi++) {
			memset(buf, 'a', pads[pi]);
			memcpy(buf + pads[pi], seq, len);
			size_t n = pads[pi] + len, bad = 99, want_bad = 99;
			bool want = ref_valid(buf, n, &want_bad);
			bool got = text_utf8_valid((const char *)buf, n, &bad);
			if (got != want || (!got && bad != want_bad))
				fail_msg("%02X %02X %02X %02X (%zu bytes after %zu): got %d at %zu, want %d at %zu",
					 seq[0], seq[1], len > 2 ? seq[2] : 0, len > 3 ? seq[3] : 0, len,
					 pads[pi], got, bad, want, want_bad);
			checked++;
		}
	}
	assert_int_equal(checked, 1233408);
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
		cmocka_unit_test(test_text_utf8_exhaustive),
		cmocka_unit_test(test_text_utf8_count_back),
		cmocka_unit_test(test_text_cn_number),
		cmocka_unit_test(test_text_line_col),
		cmocka_unit_test(test_text_decode_utf8_forms),
		cmocka_unit_test(test_text_decode_gb18030_utf16),
		cmocka_unit_test(test_text_decode_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
