/*
 * test_http.c -- the server on a real socket: what a broken network or a
 * hostile client sends that only the wire shows.  A request with both
 * Content-Length and Transfer-Encoding, a chunked body with a long chunk
 * extension, the bounds of the request head (its lines, its URL with the
 * query, Host), the deadline for the head and the rate for a body, and the
 * share of connection slots per address.
 *
 * Loopback only: the server listens on 127.0.0.1, the clients bind to
 * 127.0.0.x addresses (all of 127/8 is the loopback interface on Linux).
 * Every read has a timeout, every test a bounded number of connections.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <time.h>

#include "web.h"

static enum rc page_hello(struct req *r, struct html *h)
{
	(void)r;
	html_elem(h, "p", "你好", NULL);
	return RC_OK;
}

static enum rc api_echo(struct req *r, json_t **out)
{
	(void)r;
	*out = json_pack("{s:b}", "ok", 1);
	return *out ? RC_OK : RC_INTERNAL;
}

static const struct route routes[] = {
	{"GET", "/", .page = page_hello, .flags = R_PUBLIC},
	{"POST", "/api/echo", .api = api_echo, .flags = R_JSON | R_PUBLIC | R_NOCSRF | R_JSONBODY},
	{"POST", "/api/up", .api = api_echo,
	 .flags = R_JSON | R_PUBLIC | R_NOCSRF | R_JSONBODY | R_UPLOAD},
};

static enum rc session(struct req *r)
{
	(void)r;
	return RC_OK;
}

static enum rc authorize(struct req *r)
{
	(void)r;
	return RC_OK;
}

static const struct web_app app = {routes, ARRAY_LEN(routes), session, authorize, NULL,
				   NULL, NULL, NULL, "/login", NULL};

static struct web_server *start(unsigned max_conns, unsigned head_s)
{
	struct web_config c = {.listen = "127.0.0.1:0", .app = &app, .threads = 2,
			       .max_conns = max_conns, .head_s = head_s, .timeout_s = 30};
	struct web_server *s = NULL;
	struct err e = {0};
	assert_int_equal(web_server_start(&c, &s, &e), RC_OK);
	return s;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void nap_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* A connection to the server from 127.0.0.<from>; -1 when refused. */
static int dial(struct web_server *s, int from)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in me = {.sin_family = AF_INET};
	me.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)from);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
	struct sockaddr_in to = {.sin_family = AF_INET};
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons((uint16_t)web_server_port(s));
	if (connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return; /* the server may have closed; the reply says */
		p += w;
		n -= (size_t)w;
	}
}

/* Read until the server closes or ms pass; the bytes (NUL-terminated) and
 * whether it closed. */
static char *read_until_close(int fd, int ms, bool *closed)
{
	struct buf b = BUF_INIT(1 << 20);
	double end = now_s() + ms / 1000.0;
	*closed = false;
	for (;;) {
		int left = (int)((end - now_s()) * 1000);
		if (left <= 0)
			break;
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, left) <= 0)
			break;
		char chunk[4096];
		ssize_t n = recv(fd, chunk, sizeof chunk, 0);
		if (n <= 0) {
			*closed = true;
			break;
		}
		buf_append(&b, chunk, (size_t)n);
	}
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* One request on a fresh connection: the answer, and that it closed. */
static char *exchange(struct web_server *s, const char *req, size_t len, bool *closed)
{
	int fd = dial(s, 1);
	assert_true(fd >= 0);
	send_all(fd, req, len);
	char *got = read_until_close(fd, 3000, closed);
	close(fd);
	return got;
}

/* Item: Content-Length with Transfer-Encoding is refused and the connection
 * closed, so a request hidden behind it is never answered. */
static void test_smuggling_refused(void **state)
{
	(void)state;
	struct web_server *s = start(0, 0);
	static const char req[] = "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "Content-Type: application/json\r\nContent-Length: 4\r\n"
				  "Transfer-Encoding: chunked\r\n\r\n"
				  "2\r\n{}\r\n0\r\n\r\n"
				  "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	bool closed;
	char *got = exchange(s, req, sizeof req - 1, &closed);
	assert_true(strncmp(got, "HTTP/1.1 400 ", 13) == 0);
	assert_int_equal(count(got, "HTTP/1.1 "), 1);
	assert_null(strstr(got, "你好"));
	assert_true(closed);
	free(got);
	web_server_stop(s, 0);
}

/* Item: a chunked body with a 20 KB chunk extension: a 4xx, never 500, and
 * closed.  (Chunked bodies are not taken at all: 411.) */
static void test_chunk_extension(void **state)
{
	(void)state;
	struct web_server *s = start(0, 0);
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2;");
	for (int i = 0; i < 20000; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\r\n{}\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
	bool closed;
	char *got = exchange(s, b.p, b.len, &closed);
	assert_true(strncmp(got, "HTTP/1.1 411 ", 13) == 0 || strncmp(got, "HTTP/1.1 400 ", 13) == 0 ||
		    strncmp(got, "HTTP/1.1 413 ", 13) == 0);
	assert_int_equal(count(got, "HTTP/1.1 "), 1);
	assert_true(closed);
	free(got);
	buf_release(&b);
	web_server_stop(s, 0);
}

/* Item: the head's bounds as docs/LIMITS.md states them. */
static void test_head_bounds(void **state)
{
	(void)state;
	struct web_server *s = start(0, 0);
	struct buf b = BUF_INIT(0);
	bool closed;
	/* 100 header lines: 431 */
	buf_puts(&b, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "X-Junk-%d: 1\r\n", i);
	buf_puts(&b, "\r\n");
	char *got = exchange(s, b.p, b.len, &closed);
	assert_true(strncmp(got, "HTTP/1.1 431 ", 13) == 0);
	free(got);
	/* a URL over 4 KiB by its query: 414; under it: served */
	buf_reset(&b);
	buf_puts(&b, "GET /?q=");
	for (int i = 0; i < WEB_MAX_URL; i++)
		buf_putc(&b, 'a');
	buf_puts(&b, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
	got = exchange(s, b.p, b.len, &closed);
	assert_true(strncmp(got, "HTTP/1.1 414 ", 13) == 0);
	assert_true(closed);
	free(got);
	buf_reset(&b);
	buf_puts(&b, "GET /?q=");
	for (int i = 0; i < WEB_MAX_URL - 16; i++)
		buf_putc(&b, 'a');
	buf_puts(&b, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
	got = exchange(s, b.p, b.len, &closed);
	assert_true(strncmp(got, "HTTP/1.1 200 ", 13) == 0);
	free(got);
	/* HTTP/1.1 without Host: 400 (RFC 9112 §3.2); HTTP/1.0 may omit it */
	static const char nohost[] = "GET / HTTP/1.1\r\n\r\n";
	got = exchange(s, nohost, sizeof nohost - 1, &closed);
	assert_true(strncmp(got, "HTTP/1.1 400 ", 13) == 0);
	free(got);
	static const char old[] = "GET / HTTP/1.0\r\n\r\n";
	got = exchange(s, old, sizeof old - 1, &closed);
	assert_non_null(strstr(got, " 200 "));
	free(got);
	/* JSON on an upload route, declared over 256 KiB: 413 before the body */
	buf_reset(&b);
	buf_printf(&b, "POST /api/up HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
		       "Content-Length: %d\r\n\r\n{",
		   WEB_MAX_BODY + 1);
	double t0 = now_s();
	got = exchange(s, b.p, b.len, &closed);
	assert_true(strncmp(got, "HTTP/1.1 413 ", 13) == 0);
	assert_true(closed);
	assert_true(now_s() - t0 < 2.0);
	free(got);
	buf_release(&b);
	web_server_stop(s, 0);
}

/* Item: the whole head within the deadline, however the bytes trickle;
 * a body at least WEB_BODY_MIN_RATE once it had as long. */
static void test_slow_head_and_body(void **state)
{
	(void)state;
	struct web_server *s = start(0, 2);
	/* A header line every 300 ms: the idle timer never fires, the deadline
	 * does (2 s, swept every 250 ms). */
	int fd = dial(s, 2);
	assert_true(fd >= 0);
	send_all(fd, "GET / HTTP/1.1\r\n", 16);
	double t0 = now_s();
	bool closed = false;
	for (int i = 0; i < 40 && !closed; i++) {
		char line[32];
		int n = snprintf(line, sizeof line, "X-Slow-%d: 1\r\n", i);
		send_all(fd, line, (size_t)n);
		free(read_until_close(fd, 300, &closed));
	}
	assert_true(closed);
	double took = now_s() - t0;
	assert_true(took >= 1.9 && took < 6.0);
	close(fd);
	/* A body of 100 kB at 20 bytes every 300 ms. */
	fd = dial(s, 2);
	assert_true(fd >= 0);
	static const char head[] = "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				   "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
	send_all(fd, head, sizeof head - 1);
	t0 = now_s();
	closed = false;
	for (int i = 0; i < 40 && !closed; i++) {
		send_all(fd, "                    ", 20);
		free(read_until_close(fd, 300, &closed));
	}
	assert_true(closed);
	took = now_s() - t0;
	assert_true(took >= 1.9 && took < 6.0);
	close(fd);
	/* A request sent at once is served, and the connection kept: the head
	 * deadline runs again from the answer. */
	fd = dial(s, 2);
	static const char get[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	send_all(fd, get, sizeof get - 1);
	char *got = read_until_close(fd, 1000, &closed);
	assert_non_null(strstr(got, "HTTP/1.1 200 "));
	assert_false(closed);
	free(got);
	send_all(fd, get, sizeof get - 1);
	got = read_until_close(fd, 1000, &closed);
	assert_non_null(strstr(got, "HTTP/1.1 200 "));
	free(got);
	close(fd);
	web_server_stop(s, 0);
}

/* Item: slow connections from five addresses cannot fill every slot: with
 * the head deadline far off (30 s), a fresh client from a sixth address is
 * still served within a second. */
static void test_fair_slots(void **state)
{
	(void)state;
	enum { MAX = 32, ADDRS = 5, EACH = 12 };
	struct web_server *s = start(MAX, 30);
	int fds[ADDRS * EACH];
	int n = 0;
	for (int k = 0; k < EACH; k++) {
		for (int a = 0; a < ADDRS; a++) {
			int fd = dial(s, 10 + a);
			if (fd >= 0)
				send_all(fd, "GET / HTTP/1.1\r\nX-Slow: 1\r\n", 27);
			fds[n++] = fd;
		}
		nap_ms(20);
	}
	nap_ms(300);
	int fd = dial(s, 99);
	assert_true(fd >= 0);
	double t0 = now_s();
	static const char get[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	send_all(fd, get, sizeof get - 1);
	bool closed;
	char *got = read_until_close(fd, 1000, &closed);
	if (!strstr(got, "HTTP/1.1 200 "))
		fprintf(stderr, "fresh client got '%.60s' after %.2f s\n", got, now_s() - t0);
	assert_non_null(strstr(got, "HTTP/1.1 200 "));
	assert_true(now_s() - t0 < 1.0);
	free(got);
	close(fd);
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	web_server_stop(s, 0);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0)
		return 1;
	log_level = 0;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smuggling_refused),
		cmocka_unit_test(test_chunk_extension),
		cmocka_unit_test(test_head_bounds),
		cmocka_unit_test(test_slow_head_and_body),
		cmocka_unit_test(test_fair_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
