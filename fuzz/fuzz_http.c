/*
 * fuzz_http.c -- hostile HTTP requests through the whole request path:
 * libmicrohttpd's parser and post processor (urlencoded and multipart),
 * the server's limits, the router (session, CSRF, JSON bodies) and small
 * handlers that read fields and files, all in one process over a socket
 * pair (no network).
 *
 * The first input byte chooses the shape: raw bytes sent as they are, or a
 * well-formed request line and headers (route, content type, session and
 * CSRF token chosen by the next bytes) with the rest of the input as body,
 * so that the fuzzer spends its time inside the body parsers.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "web.h"

static enum rc page_form(struct req *r, struct html *h)
{
	html_open(h, "ul", NULL);
	for (size_t i = 0; i < r->form.n; i++)
		html_elem(h, "li", web_form(r, r->form.v[i].key), "title", r->form.v[i].key, NULL);
	for (size_t i = 0; i < r->files.n; i++) {
		char b[64];
		ssize_t n = pread(r->files.v[i].fd, b, sizeof b, 0);
		html_open(h, "li", NULL);
		html_text(h, r->files.v[i].name);
		if (n > 0)
			html_textn(h, b, (size_t)n);
		html_close(h, 1);
	}
	int64_t page;
	if (web_arg_int(r, "page", 1, 1000, 1, &page) != RC_OK)
		return RC_INVALID;
	return RC_OK;
}

static enum rc api_json(struct req *r, json_t **out)
{
	json_t *x = json_object_get(r->json, "text");
	if (x && !json_is_string(x))
		return ERR(&r->err, RC_INVALID, "text 应为字符串");
	*out = json_pack("{s:O?, s:i}", "text", x, "files", (int)r->files.n);
	return *out ? RC_OK : RC_INTERNAL;
}

static enum rc raw_redirect(struct req *r)
{
	web_redirect(r, "/t/%lld", (long long)r->param[0]);
	return RC_OK;
}

static const struct route routes[] = {
	{"GET", "/", .page = page_form, .flags = R_PUBLIC},
	{"GET", "/t/:id", .page = page_form},
	{"POST", "/t/:id/progress", .page = page_form, .flags = R_UPLOAD},
	{"POST", "/t/:id/submit", .raw = raw_redirect},
	{"POST", "/api/v1/tasks/:id/progress", .api = api_json,
	 .flags = R_JSON | R_UPLOAD | R_JSONBODY},
	{"POST", "/api/v1/login", .api = api_json, .flags = R_JSON | R_PUBLIC | R_NOCSRF | R_JSONBODY},
	{"GET", "/static/app.css", .raw = web_static, .flags = R_PUBLIC | R_NOSESSION},
};

static enum rc session(struct req *r)
{
	if (r->cookie_session && strcmp(r->cookie_session, "good") == 0) {
		r->logged_in = true;
		snprintf(r->csrf, sizeof r->csrf, "tok");
	}
	return RC_OK;
}

static enum rc authorize(struct req *r)
{
	return r->param[0] == 7 ? RC_NOTFOUND : RC_OK;
}

static const struct web_app app = {routes, ARRAY_LEN(routes), session, authorize, NULL,
				   NULL, NULL, NULL, "/login"};

static struct web_server *server;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	log_level = 0;
	struct web_config c = {.app = &app, .external = true, .timeout_s = 5};
	if (web_server_start(&c, &server, NULL) != RC_OK)
		abort();
	return 0;
}

static void build(struct buf *out, const uint8_t *data, size_t size)
{
	static const char *const targets[] = {
		"POST /t/3/progress", "POST /api/v1/tasks/3/progress", "POST /api/v1/login",
		"POST /t/3/submit", "GET /t/3?page=2&q=%E4%B8%AD", "POST /t/7/progress",
		"GET /static/app.css", "POST /nope"};
	static const char *const types[] = {
		"application/x-www-form-urlencoded", "multipart/form-data; boundary=XyZ",
		"application/json", "text/plain", "multipart/form-data", NULL};
	uint8_t sel = size > 1 ? data[1] : 0, flags = data[0];
	const char *t = targets[sel % ARRAY_LEN(targets)];
	const char *ct = types[(sel / 8) % ARRAY_LEN(types)];
	data += 2;
	size -= 2;
	buf_printf(out, "%s HTTP/1.1\r\nHost: 127.0.0.1\r\n", t);
	if (flags & 2)
		buf_puts(out, "Cookie: " WEB_COOKIE "=good\r\n");
	if (flags & 4)
		buf_puts(out, "X-CSRF-Token: tok\r\n");
	if (flags & 8)
		buf_puts(out, "Origin: http://127.0.0.1\r\n");
	if (ct)
		buf_printf(out, "Content-Type: %s\r\n", ct);
	if (flags & 16) {
		buf_puts(out, "Transfer-Encoding: chunked\r\n\r\n");
		buf_printf(out, "%zx\r\n", size);
		buf_append(out, data, size);
		buf_puts(out, "\r\n0\r\n\r\n");
	} else {
		buf_printf(out, "Content-Length: %zu\r\n\r\n", size);
		buf_append(out, data, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 256 * 1024)
		return 0;
	struct buf req = BUF_INIT(0);
	if ((data[0] & 1) == 0)
		buf_append(&req, data + 1, size - 1);
	else
		build(&req, data, size);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	if (web_server_add_socket(server, sv[1]) != RC_OK) {
		close(sv[0]);
		buf_release(&req);
		return 0;
	}
	size_t sent = 0;
	char junk[16384];
	bool eof = false, shut = false;
	for (int round = 0; round < 2000 && !eof; round++) {
		if (sent < req.len) {
			ssize_t w = send(sv[0], req.p + sent, req.len - sent, MSG_NOSIGNAL);
			if (w > 0)
				sent += (size_t)w;
			else if (w < 0 && errno != EAGAIN)
				sent = req.len;
		} else if (!shut) {
			shutdown(sv[0], SHUT_WR);
			shut = true;
		}
		web_server_poll(server);
		for (;;) {
			ssize_t n = recv(sv[0], junk, sizeof junk, 0);
			if (n == 0)
				eof = true;
			if (n <= 0)
				break;
		}
	}
	close(sv[0]);
	for (int i = 0; i < 4; i++)
		web_server_poll(server);
	buf_release(&req);
	return 0;
}
