/* Unit tests of the configuration file (conf.c) and of the client address
 * behind a trusted proxy (web_proxy.c). */
#include "testutil.h"

#include "buf.h"
#include "conf.h"
#include "web.h"

static enum rc parse(const char *text, struct conf *c, struct err *e)
{
	return conf_parse(text, strlen(text), "t.conf", c, e);
}

static void test_conf_keys(void **state)
{
	(void)state;
	struct conf c;
	struct err e = {0};
	assert_int_equal(parse("\xEF\xBB\xBF# comment\n\n  listen =  0.0.0.0:9000  \r\n"
			       "database=/var/lib/rectify/x.db\n"
			       "public_url = https://ledger.example\n"
			       "time_zone = Asia/Shanghai\n"
			       "trusted_proxies = 10.0.0.0/8, ::1 192.168.1.7\n"
			       "backup_directory = /srv/backups\nbackup_keep = 30\n"
			       "threads = 4\nlog_level = info\n"
			       "tls_certificate =\n",
			       &c, &e),
			 RC_OK);
	assert_string_equal(c.listen, "0.0.0.0:9000");
	assert_string_equal(c.database, "/var/lib/rectify/x.db");
	assert_string_equal(c.public_url, "https://ledger.example");
	assert_string_equal(c.time_zone, "Asia/Shanghai");
	assert_string_equal(c.backup_directory, "/srv/backups");
	assert_null(c.tls_certificate); /* an empty value keeps the default */
	assert_int_equal(c.backup_keep, 30);
	assert_int_equal(c.threads, 4);
	assert_int_equal(c.log_level, 3);
	assert_int_equal(c.n_proxies, 3);
	assert_int_equal(c.proxies[0].bits, 96 + 8);
	assert_int_equal(c.proxies[1].bits, 128);
	conf_release(&c);
	/* A PostgreSQL database by its URL. */
	assert_int_equal(parse("database = postgresql://rectify@db.internal/ledger\n", &c, &e),
			 RC_OK);
	assert_string_equal(c.database, "postgresql://rectify@db.internal/ledger");
	conf_release(&c);
	/* Nothing set: the defaults. */
	assert_int_equal(parse("", &c, &e), RC_OK);
	assert_null(c.listen);
	assert_int_equal(c.log_level, -1);
	conf_release(&c);
}

/* Every refusal names the file and the line, and says what is wrong. */
static void test_conf_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"listen = 1.2.3.4\n", "t.conf:1: listen = 1.2.3.4: the value is not HOST:PORT"},
		{"\n\nlisten = :80\nlisten = :81\n", "t.conf:4: listen is set already, on line 3"},
		{"# x\nlisen = :80\n", "t.conf:2: unknown key 'lisen'"},
		{"listen\n", "t.conf:1: expected KEY = VALUE"},
		{"database = var/x.db\n", "t.conf:1: database = var/x.db: the value is not an absolute"},
		{"database = /var/../etc/x\n", "has '..' in it"},
		{"database = mysql://x/y\n", "the value is not an absolute path"},
		{"backup_keep = 0\n", "t.conf:1: backup_keep = 0: the value is out of range (1..1000)"},
		{"backup_keep = 12x\n", "is not a whole number"},
		{"threads = 65\n", "out of range (0..64)"},
		{"log_level = loud\n", "is not one of error, warning, info, debug"},
		{"public_url = ftp://x\n", "does not start with http:// or https://"},
		{"time_zone = ../../etc/passwd\n", "is not a zone name"},
		{"trusted_proxies = 10.0.0.0/33\n", "not an address or address/bits"},
		{"trusted_proxies = example.org\n", "not an address or address/bits"},
		{"listen = :80\x01\n", "t.conf:1: a control character (0x01)"},
		{"tls_key = /k\n", "t.conf:1: tls_key needs tls_certificate as well"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct conf c;
		struct err e = {0};
		assert_int_equal(parse(cases[i].text, &c, &e), RC_INVALID);
		if (!strstr(e.msg, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i].msg);
		assert_null(c.listen);
	}
	/* A NUL byte, a long line, a large file. */
	struct conf c;
	struct err e = {0};
	assert_int_equal(conf_parse("listen = :80\n\0x", 15, "t.conf", &c, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "t.conf:2: a control character (0x00)"));
	char *big = xmalloc(CONF_MAX_FILE + 2);
	memset(big, '#', CONF_MAX_FILE + 1);
	big[CONF_MAX_FILE + 1] = '\0';
	assert_int_equal(parse(big, &c, &e), RC_TOOBIG);
	big[2000] = '\0';
	assert_int_equal(parse(big, &c, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "t.conf:1: the line is longer than 1024 bytes"));
	free(big);
	/* 33 proxies. */
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "trusted_proxies =");
	for (int i = 0; i < 33; i++)
		buf_printf(&b, " 10.0.0.%d", i);
	assert_int_equal(parse(b.p, &c, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "more than 32"));
	buf_release(&b);
}

static void to_buf(void *arg, const char *s)
{
	buf_puts(arg, s);
}

/* The sample file, written from the table, parses and names every key. */
static void test_conf_sample(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(0);
	conf_write_sample(to_buf, &b);
	struct conf c;
	struct err e = {0};
	assert_int_equal(conf_parse(b.p, b.len, "sample", &c, &e), RC_OK);
	assert_string_equal(c.database, "/var/lib/rectify/rectify.db");
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.backup_keep, 14);
	for (size_t i = 0; i < conf_nkeys; i++) {
		char key[64];
		snprintf(key, sizeof key, "\n%s%s = ", conf_keys[i].sample == CONF_EXAMPLE ? "#" : "",
			 conf_keys[i].name);
		assert_non_null(strstr(b.p, key));
	}
	conf_release(&c);
	buf_release(&b);
}

static void test_prefixes(void **state)
{
	(void)state;
	struct net_prefix p;
	uint8_t a[16];
	assert_true(net_prefix_parse("10.1.2.3/8", 10, &p));
	assert_true(net_addr_parse("10.200.0.1", 10, a));
	assert_true(net_prefix_has(&p, a));
	assert_true(net_addr_parse("11.0.0.1", 8, a));
	assert_false(net_prefix_has(&p, a));
	assert_true(net_prefix_parse("fd00::/8", 8, &p));
	assert_true(net_addr_parse("fdab::1", 7, a));
	assert_true(net_prefix_has(&p, a));
	assert_true(net_addr_parse("fe80::1", 7, a));
	assert_false(net_prefix_has(&p, a));
	assert_true(net_prefix_parse("0.0.0.0/0", 9, &p));
	assert_true(net_addr_parse("8.8.8.8", 7, a));
	assert_true(net_prefix_has(&p, a));
	assert_false(net_prefix_parse("1.2.3.4/", 8, &p));
	assert_false(net_prefix_parse("1.2.3/8", 7, &p));
	assert_false(net_prefix_parse("::1/129", 7, &p));
}

/* X-Forwarded-For counts only from a trusted proxy, read from the right. */
static void test_client_addr(void **state)
{
	(void)state;
	char out[64];
	web_proxies_set(NULL, 0);
	web_client_addr("127.0.0.1", "203.0.113.9", out, sizeof out);
	assert_string_equal(out, "127.0.0.1"); /* no proxies configured */
	struct net_prefix p[2];
	assert_true(net_prefix_parse("127.0.0.1", 9, &p[0]));
	assert_true(net_prefix_parse("10.0.0.0/8", 10, &p[1]));
	web_proxies_set(p, 2);
	web_client_addr("192.0.2.5", "203.0.113.9", out, sizeof out);
	assert_string_equal(out, "192.0.2.5"); /* an untrusted peer's header is ignored */
	web_client_addr("127.0.0.1", NULL, out, sizeof out);
	assert_string_equal(out, "127.0.0.1");
	web_client_addr("127.0.0.1", "203.0.113.9", out, sizeof out);
	assert_string_equal(out, "203.0.113.9");
	/* The client forged the left part; the proxies appended the right. */
	web_client_addr("127.0.0.1", "1.1.1.1, 203.0.113.9 ,10.0.0.2", out, sizeof out);
	assert_string_equal(out, "203.0.113.9");
	/* All trusted: the leftmost. */
	web_client_addr("127.0.0.1", "10.1.1.1, 10.0.0.2", out, sizeof out);
	assert_string_equal(out, "10.1.1.1");
	/* Junk stops the walk at the last good address. */
	web_client_addr("127.0.0.1", "junk, 10.0.0.3", out, sizeof out);
	assert_string_equal(out, "10.0.0.3");
	web_client_addr("127.0.0.1", "nonsense", out, sizeof out);
	assert_string_equal(out, "127.0.0.1");
	web_client_addr("127.0.0.1", "", out, sizeof out);
	assert_string_equal(out, "127.0.0.1");
	web_client_addr("127.0.0.1", ",,,", out, sizeof out);
	assert_string_equal(out, "127.0.0.1");
	web_client_addr("127.0.0.1", "2001:db8::7", out, sizeof out);
	assert_string_equal(out, "2001:db8::7");
	web_proxies_set(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_keys),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_conf_sample),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_client_addr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
