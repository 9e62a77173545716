/* Unit tests of buf.c and util.c. */
#include "testutil.h"

#include "buf.h"

static void test_buf_append_printf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "abc");
	buf_printf(&b, "-%d-%s", 42, "x");
	buf_putc(&b, '!');
	assert_string_equal(b.p, "abc-42-x!");
	assert_int_equal(b.len, 9);
	/* A long printf takes the slow path. */
	char big[600];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_printf(&b, "%s", big);
	assert_int_equal(b.len, 9 + 599);
	assert_int_equal(b.err, RC_OK);
	buf_release(&b);
}

static void test_buf_cap_is_sticky(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(8);
	buf_puts(&b, "12345");
	buf_puts(&b, "6789");          /* would pass 8 */
	assert_int_equal(b.err, RC_TOOBIG);
	assert_int_equal(b.len, 5);
	buf_puts(&b, "1");             /* no-op once the error is set */
	assert_int_equal(b.len, 5);
	assert_string_equal(b.p, "12345");
	buf_release(&b);
}

static void test_buf_detach(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "hello");
	size_t n;
	char *p = buf_detach(&b, &n);
	assert_int_equal(n, 5);
	assert_string_equal(p, "hello");
	assert_null(b.p);
	free(p);
	/* Detaching an empty buffer gives an empty string, not NULL. */
	p = buf_detach(&b, &n);
	assert_non_null(p);
	assert_int_equal(n, 0);
	free(p);
}

static void test_buf_json_str(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(0);
	buf_json_str(&b, "a\"b\\c\n\x01中", strlen("a\"b\\c\n\x01中"));
	assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\u0001中\"");
	buf_reset(&b);
	/* Longer than one escaping slice. */
	char *s = xmalloc(10001);
	memset(s, '"', 10000);
	s[10000] = '\0';
	buf_json_str(&b, s, 10000);
	assert_int_equal(b.len, 20002);
	free(s);
	buf_release(&b);
}

static void test_rc_tables(void **state)
{
	(void)state;
	assert_int_equal(rc_http_status(RC_NOTFOUND), 404);
	assert_int_equal(rc_http_status(RC_CONFLICT), 409);
	assert_int_equal(rc_http_status(RC_THROTTLED), 429);
	assert_int_equal(rc_exit_code(RC_INVALID), 2);
	assert_string_equal(rc_name(RC_DENIED), "forbidden");
	struct err e = {0};
	assert_int_equal(ERR(&e, RC_INVALID, "bad %d", 7), RC_INVALID);
	assert_string_equal(e.msg, "bad 7");
	assert_int_equal(e.rc, RC_INVALID);
}

static void test_arena(void **state)
{
	(void)state;
	struct arena a = {0};
	char *first = arena_strdup(&a, "first");
	for (int i = 0; i < 10000; i++) {
		char *p = arena_alloc(&a, 100);
		assert_int_equal(((uintptr_t)p) & 7, 0);
		assert_int_equal(p[99], 0);
	}
	char *big = arena_alloc(&a, 3u << 20);  /* larger than a chunk */
	big[(3u << 20) - 1] = 1;
	assert_string_equal(first, "first");
	arena_release(&a);
	assert_null(a.head);
}

/* Part names of an Office package, as relationships name them. */
/* The eight-bytes-at-a-time tests against one byte at a time: every byte
 * value in every position, among neighbours just above and below it. */
static void test_util_bytes(void **state)
{
	(void)state;
	static const unsigned probes[] = {0x01, 0x20, 0x21, 0x22, 0x5C, 0x80, 0xE3, 0xEF};
	static const unsigned char fills[] = {0x00, 0x21, 0x7F, 0x80, 0xE4, 0xFF};
	for (size_t f = 0; f < ARRAY_LEN(fills); f++)
		for (unsigned v = 0; v < 256; v++)
			for (int pos = 0; pos < 8; pos++) {
				unsigned char b[8];
				memset(b, fills[f], 8);
				b[pos] = (unsigned char)v;
				uint64_t w;
				memcpy(&w, b, 8);
				for (size_t k = 0; k < ARRAY_LEN(probes); k++) {
					unsigned c = probes[k];
					int eq = 0, below = 0;
					for (int i = 0; i < 8; i++) {
						eq |= b[i] == c;
						below |= b[i] < c;
					}
					assert_int_equal(util_bytes_eq(w, c) != 0, eq);
					if (c <= 0x80)
						assert_int_equal(util_bytes_below(w, c) != 0, below);
				}
			}
}

/* Random hex: the length asked for, hex digits only, never twice the same. */
static void test_random_hex(void **state)
{
	(void)state;
	char a[65], b[65], small[33];
	util_random_hex(a, sizeof a);
	util_random_hex(b, sizeof b);
	util_random_hex(small, sizeof small);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strlen(small), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_not_equal(a, b);
}

static void test_part_name(void **state)
{
	(void)state;
	static const struct {
		const char *base, *target, *want;
	} cases[] = {
		{"", "word/document.xml", "word/document.xml"},
		{"word/", "styles.xml", "word/styles.xml"},
		{"word/", "/word/numbering.xml", "word/numbering.xml"},
		{"xl/", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"},
		{"xl/worksheets/", "../sharedStrings.xml", "xl/sharedStrings.xml"},
		{"xl/", "./a/./b.xml", "xl/a/b.xml"},
		{"xl/", "../../../../x.xml", "x.xml"}, /* never above the root */
		{"", "a//b.xml", "a/b.xml"},
	};
	char out[64];
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int n = util_part_name(cases[i].base, cases[i].target, out, sizeof out);
		assert_int_equal(n, (int)strlen(cases[i].want));
		assert_string_equal(out, cases[i].want);
	}
	char small[8];
	assert_int_equal(util_part_name("xl/", "worksheets/sheet1.xml", small, sizeof small), -1);
	assert_int_equal(util_part_name("xl/worksheets/", "a.xml", small, sizeof small), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_append_printf),
		cmocka_unit_test(test_buf_cap_is_sticky),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_buf_json_str),
		cmocka_unit_test(test_rc_tables),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_util_bytes),
		cmocka_unit_test(test_random_hex),
		cmocka_unit_test(test_part_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
