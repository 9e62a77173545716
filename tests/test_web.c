/*
 * test_web.c -- the web infrastructure without a network: the HTML writer,
 * the router driven with fake requests against a small route table, login
 * throttling, tokens and cookies, charts and static files.
 */
#include "testutil.h"

#include <math.h>
#include <sodium.h>

#include "web.h"

/* ---- the HTML writer ---------------------------------------------------- */

static char *render(void (*fn)(struct html *), enum rc *rc)
{
	struct buf b = BUF_INIT(0);
	struct html h;
	html_init(&h, &b);
	fn(&h);
	*rc = html_finish(&h);
	char *s = buf_detach(&b, NULL);
	return s;
}

static void draw_escape(struct html *h)
{
	html_open(h, "p", "title", "a\"b'<c>&", NULL);
	html_text(h, "<script>alert(1)</script> & 中文");
}

static void test_html_escapes_text_and_attributes(void **state)
{
	(void)state;
	enum rc rc;
	char *s = render(draw_escape, &rc);
	assert_int_equal(rc, RC_OK);
	assert_string_equal(s, "<p title=\"a&quot;b&#39;&lt;c&gt;&amp;\">&lt;script&gt;alert(1)"
			       "&lt;/script&gt; &amp; 中文</p>");
	free(s);
}

static void draw_bad_utf8(struct html *h)
{
	html_textn(h, "a\xff" "b\0c\xe4\xb8", 7);
}

static void test_html_invalid_utf8_replaced(void **state)
{
	(void)state;
	enum rc rc;
	char *s = render(draw_bad_utf8, &rc);
	assert_int_equal(rc, RC_OK);
	assert_string_equal(s, "a\xEF\xBF\xBD" "bc\xEF\xBF\xBD\xEF\xBF\xBD");
	free(s);
}

static void draw_js_url(struct html *h)
{
	html_elem(h, "a", "x", "href", "javascript:alert(1)", NULL);
}

static void draw_external_url(struct html *h)
{
	html_elem(h, "a", "x", "href", "//evil.example/", NULL);
}

static void draw_onclick(struct html *h)
{
	html_elem(h, "a", "x", "onclick", "alert(1)", NULL);
}

static void draw_style(struct html *h)
{
	html_elem(h, "div", "x", "style", "color:red", NULL);
}

static void draw_bad_tag(struct html *h)
{
	html_open(h, "p><script", NULL);
}

static void draw_overclose(struct html *h)
{
	html_open(h, "p", NULL);
	html_close(h, 2);
}

static void test_html_refuses_misuse(void **state)
{
	(void)state;
	void (*bad[])(struct html *) = {draw_js_url, draw_external_url, draw_onclick, draw_style,
					draw_bad_tag, draw_overclose};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		enum rc rc;
		char *s = render(bad[i], &rc);
		assert_int_equal(rc, RC_INTERNAL);
		assert_null(strstr(s, "javascript:"));
		assert_null(strstr(s, "onclick"));
		assert_null(strstr(s, "<script"));
		free(s);
	}
}

static void draw_nesting(struct html *h)
{
	html_open(h, "div", "class", "a", NULL);
	int d = html_depth(h);
	html_open(h, "ul", NULL);
	html_open(h, "li", NULL);
	html_open(h, "input", "type", "text", "name", "q", "value", "", NULL); /* void */
	html_open(h, "a", "href", "/tasks/1?x=1&y=2", "selected", "", "title", NULL, NULL);
	html_lit(h, "<b>lit</b>");
	html_close_to(h, d);
	html_int(h, -42);
	html_printf(h, "%d<%s>", 7, "x");
}

static void test_html_stack(void **state)
{
	(void)state;
	enum rc rc;
	char *s = render(draw_nesting, &rc);
	assert_int_equal(rc, RC_OK);
	assert_string_equal(s, "<div class=\"a\"><ul><li><input type=\"text\" name=\"q\" value>"
			       "<a href=\"/tasks/1?x=1&amp;y=2\" selected><b>lit</b></a></li></ul>"
			       "-427&lt;x&gt;</div>");
	free(s);
}

/* ---- charts ---------------------------------------------------------------- */

static void draw_charts(struct html *h)
{
	struct chart_bar bars[] = {{"在<学习>方面", 3, 4}, {"空", 0, 0}};
	chart_bars(h, "完成率", bars, 2);
	const char *labels[] = {"甲", "乙"};
	const char *names[] = {"已销号", "整改中"};
	const char *cls[] = {"c-closed", "c-in_progress"};
	double v[] = {1, 2, 3, 0};
	chart_stacked(h, "状态", labels, 2, names, cls, 2, v);
	const char *x[] = {"1月", "2月", "3月"};
	double act[] = {10, 7, NAN}, ideal[] = {10, 5, 0};
	chart_line(h, "燃尽", x, 3, act, ideal, "未销号", "计划");
	double d[] = {1, 2, 0};
	const char *dn[] = {"红灯", "黄灯", "绿灯"}, *dc[] = {"c-red", "c-yellow", "c-green"};
	chart_donut(h, "灯", dn, dc, d, 3);
}

static void test_charts(void **state)
{
	(void)state;
	enum rc rc;
	char *s = render(draw_charts, &rc);
	assert_int_equal(rc, RC_OK);
	assert_non_null(strstr(s, "在&lt;学习&gt;方面"));     /* labels escaped */
	assert_non_null(strstr(s, "<svg viewBox="));
	assert_non_null(strstr(s, "role=\"img\" aria-label=\"完成率\""));
	assert_non_null(strstr(s, "<td class=\"num\">75%</td>")); /* the text alternative */
	assert_non_null(strstr(s, "<polyline points=\"44.0,12.0"));  /* ideal starts at the top */
	assert_non_null(strstr(s, "stroke-dasharray=\"33.33 66.67\""));
	/* 4 figures, all closed */
	size_t open = 0, close = 0;
	for (const char *p = s; (p = strstr(p, "<figure")); p++)
		open++;
	for (const char *p = s; (p = strstr(p, "</figure>")); p++)
		close++;
	assert_int_equal(open, 4);
	assert_int_equal(close, 4);
	free(s);
}

/* ---- the router --------------------------------------------------------------- */

static int handler_runs;

static enum rc page_pub(struct req *r, struct html *h)
{
	(void)r;
	handler_runs++;
	html_elem(h, "p", "公开", NULL);
	return RC_OK;
}

static enum rc page_task(struct req *r, struct html *h)
{
	handler_runs++;
	html_open(h, "p", NULL);
	html_printf(h, "task %lld", (long long)r->param[0]);
	html_close(h, 1);
	return RC_OK;
}

static enum rc raw_do(struct req *r)
{
	handler_runs++;
	const char *v = web_form(r, "v");
	if (v && strcmp(v, "stale") == 0)
		return ERR(&r->err, RC_CONFLICT, "版本已过期");
	web_redirect(r, "/t/%lld", (long long)r->param[0]);
	return RC_OK;
}

static enum rc api_echo(struct req *r, json_t **out)
{
	handler_runs++;
	*out = json_pack("{s:O}", "got", json_object_get(r->json, "x"));
	return RC_OK;
}

static enum rc page_bad(struct req *r, struct html *h)
{
	(void)r;
	handler_runs++;
	html_open(h, "a", "href", "javascript:x", NULL);
	return RC_OK;
}

enum { PERM_ANY = 1, PERM_ADMIN = 2 };

static const struct route test_routes[] = {
	{"GET", "/pub", page_pub, NULL, NULL, R_PUBLIC},
	{"GET", "/t/:id", page_task, NULL, NULL, R_PERM(PERM_ANY)},
	{"POST", "/t/:id/do", NULL, NULL, raw_do, R_PERM(PERM_ANY)},
	{"POST", "/admin/do", NULL, NULL, raw_do, R_PERM(PERM_ADMIN)},
	{"POST", "/api/echo", NULL, api_echo, NULL, R_JSON | R_JSONBODY | R_PERM(PERM_ANY)},
	{"GET", "/api/t/:id", NULL, api_echo, NULL, R_JSON | R_PERM(PERM_ANY)},
	{"POST", "/login", NULL, NULL, raw_do, R_PUBLIC | R_NOCSRF},
	{"GET", "/bad", page_bad, NULL, NULL, R_PUBLIC},
};

static enum rc fake_session(struct req *r)
{
	if (r->cookie_session && strcmp(r->cookie_session, "good") == 0) {
		r->logged_in = true;
		snprintf(r->csrf, sizeof r->csrf, "tok");
	}
	return RC_OK;
}

/* The fake user is no admin, and task 99 belongs to another unit. */
static enum rc fake_authorize(struct req *r)
{
	if (R_GET_PERM(r->route->flags) == PERM_ADMIN)
		return RC_DENIED;
	if (r->param[0] == 99)
		return RC_NOTFOUND;
	return RC_OK;
}

static const struct web_app test_app = {
	.routes = test_routes,
	.nroutes = ARRAY_LEN(test_routes),
	.session = fake_session,
	.authorize = fake_authorize,
	.login_path = "/login",
};

static void req_new(struct req *r, enum web_method m, const char *path, const char *cookie)
{
	web_req_init(r);
	r->method = m;
	r->path = xstrdup(path);
	r->cookie_session = cookie ? xstrdup(cookie) : NULL;
	r->host = xstrdup("127.0.0.1:8080");
}

static int run(struct req *r)
{
	handler_runs = 0;
	web_dispatch(&test_app, r);
	return r->resp.status;
}

static const char *body(struct req *r)
{
	return r->resp.body.p ? r->resp.body.p : "";
}

static void test_router_public_and_404(void **state)
{
	(void)state;
	struct req r;
	req_new(&r, WEB_GET, "/pub", NULL);
	assert_int_equal(run(&r), 200);
	assert_int_equal(handler_runs, 1);
	assert_non_null(strstr(body(&r), "公开"));
	web_req_release(&r);

	const char *missing[] = {"/nope", "/t/", "/t/abc", "/t/0", "/t/1/", "/t/12x",
				 "/t/1234567890123456", "/pub/"};
	for (size_t i = 0; i < ARRAY_LEN(missing); i++) {
		req_new(&r, WEB_GET, missing[i], "good");
		assert_int_equal(run(&r), 404);
		assert_int_equal(handler_runs, 0);
		web_req_release(&r);
	}
	req_new(&r, WEB_GET, "/api/nothing", "good");
	assert_int_equal(run(&r), 404);
	assert_non_null(strstr(body(&r), "\"error\":\"not_found\""));
	web_req_release(&r);
}

static void test_router_login_required(void **state)
{
	(void)state;
	struct req r;
	req_new(&r, WEB_GET, "/t/5", NULL);
	assert_int_equal(run(&r), 303);
	assert_string_equal(r.resp.location, "/login?next=/t/5");
	assert_int_equal(handler_runs, 0);
	web_req_release(&r);

	req_new(&r, WEB_GET, "/api/t/5", "bad");
	assert_int_equal(run(&r), 401);
	assert_non_null(strstr(body(&r), "\"error\":\"unauthenticated\""));
	assert_string_equal(r.resp.ctype, "application/json; charset=utf-8");
	web_req_release(&r);

	req_new(&r, WEB_GET, "/t/5", "good");
	assert_int_equal(run(&r), 200);
	assert_non_null(strstr(body(&r), "task 5"));
	web_req_release(&r);
}

static void test_router_authorize(void **state)
{
	(void)state;
	struct req r;
	req_new(&r, WEB_GET, "/t/99", "good");
	assert_int_equal(run(&r), 404);
	assert_int_equal(handler_runs, 0);
	web_req_release(&r);

	req_new(&r, WEB_POST, "/admin/do", "good");
	r.csrf_header = xstrdup("tok");
	assert_int_equal(run(&r), 403);
	assert_int_equal(handler_runs, 0);
	web_req_release(&r);
}

static void test_router_csrf(void **state)
{
	(void)state;
	struct req r;
	/* no token */
	req_new(&r, WEB_POST, "/t/5/do", "good");
	assert_int_equal(run(&r), 403);
	assert_int_equal(handler_runs, 0);
	assert_non_null(strstr(body(&r), "CSRF"));
	web_req_release(&r);
	/* wrong token */
	req_new(&r, WEB_POST, "/t/5/do", "good");
	web_req_add(&r, true, "csrf", "tok2", 4);
	assert_int_equal(run(&r), 403);
	web_req_release(&r);
	/* form field */
	req_new(&r, WEB_POST, "/t/5/do", "good");
	web_req_add(&r, true, "csrf", "tok", 3);
	assert_int_equal(run(&r), 303);
	assert_int_equal(handler_runs, 1);
	assert_string_equal(r.resp.location, "/t/5");
	web_req_release(&r);
	/* header, but from another site */
	req_new(&r, WEB_POST, "/t/5/do", "good");
	r.csrf_header = xstrdup("tok");
	r.origin = xstrdup("http://evil.example");
	assert_int_equal(run(&r), 403);
	assert_int_equal(handler_runs, 0);
	web_req_release(&r);
	/* header, same origin */
	req_new(&r, WEB_POST, "/t/5/do", "good");
	r.csrf_header = xstrdup("tok");
	r.origin = xstrdup("http://127.0.0.1:8080");
	assert_int_equal(run(&r), 303);
	web_req_release(&r);
	/* the login route is exempt from the token, not from the origin check */
	req_new(&r, WEB_POST, "/login", NULL);
	assert_int_equal(run(&r), 303);
	web_req_release(&r);
	req_new(&r, WEB_POST, "/login", NULL);
	r.origin = xstrdup("https://evil.example");
	assert_int_equal(run(&r), 403);
	web_req_release(&r);
}

static void test_router_errors(void **state)
{
	(void)state;
	struct req r;
	/* a handler's conflict: 409 with its message */
	req_new(&r, WEB_POST, "/t/5/do", "good");
	web_req_add(&r, true, "csrf", "tok", 3);
	web_req_add(&r, true, "v", "stale", 5);
	assert_int_equal(run(&r), 409);
	assert_non_null(strstr(body(&r), "版本已过期"));
	assert_null(r.resp.location);
	web_req_release(&r);
	/* JSON bodies */
	req_new(&r, WEB_POST, "/api/echo", "good");
	r.csrf_header = xstrdup("tok");
	r.body_kind = WEB_BODY_JSON;
	buf_puts(&r.body, "{\"x\": [1, \"<b>\"]}");
	assert_int_equal(run(&r), 200);
	assert_string_equal(body(&r), "{\"got\":[1,\"<b>\"]}");
	web_req_release(&r);

	req_new(&r, WEB_POST, "/api/echo", "good");
	r.csrf_header = xstrdup("tok");
	r.body_kind = WEB_BODY_JSON;
	buf_puts(&r.body, "{\"x\": 1, \"x\": 2}");
	assert_int_equal(run(&r), 400);
	assert_non_null(strstr(body(&r), "\"error\":\"invalid\""));
	assert_int_equal(handler_runs, 0);
	web_req_release(&r);

	req_new(&r, WEB_POST, "/t/5/do", "good");
	r.csrf_header = xstrdup("tok");
	r.body_kind = WEB_BODY_JSON;
	buf_puts(&r.body, "{}");
	assert_int_equal(run(&r), 415);
	web_req_release(&r);
	/* an early error from the server */
	req_new(&r, WEB_POST, "/api/echo", "good");
	r.early = RC_TOOBIG;
	snprintf(r.early_msg, sizeof r.early_msg, "太大");
	assert_int_equal(run(&r), 413);
	assert_string_equal(body(&r), "{\"error\":\"too_large\",\"message\":\"太大\"}");
	web_req_release(&r);
	/* a page that writes bad HTML is a 500, its output discarded */
	req_new(&r, WEB_GET, "/bad", NULL);
	assert_int_equal(run(&r), 500);
	assert_null(strstr(body(&r), "javascript"));
	web_req_release(&r);
}

static void test_req_args(void **state)
{
	(void)state;
	struct req r;
	req_new(&r, WEB_GET, "/pub", NULL);
	web_req_add(&r, false, "page", "3", 1);
	web_req_add(&r, false, "neg", "-2", 2);
	web_req_add(&r, false, "bad", "3x", 2);
	web_req_add(&r, false, "nul", "a\0b", 3);
	web_req_add(&r, false, "utf", "\xff", 1);
	int64_t v;
	assert_int_equal(web_arg_int(&r, "page", 1, 10, 1, &v), RC_OK);
	assert_int_equal(v, 3);
	assert_int_equal(web_arg_int(&r, "missing", 1, 10, 7, &v), RC_OK);
	assert_int_equal(v, 7);
	assert_int_equal(web_arg_int(&r, "neg", -5, 10, 1, &v), RC_OK);
	assert_int_equal(v, -2);
	assert_int_equal(web_arg_int(&r, "neg", 1, 10, 1, &v), RC_INVALID);
	assert_int_equal(web_arg_int(&r, "bad", 1, 10, 1, &v), RC_INVALID);
	assert_null(web_arg(&r, "nul"));
	assert_null(web_arg(&r, "utf"));
	for (int i = 5; i < WEB_MAX_FIELDS; i++)
		assert_int_equal(web_req_add(&r, false, "k", "v", 1), RC_OK);
	assert_int_equal(web_req_add(&r, false, "k", "v", 1), RC_TOOBIG);
	web_req_release(&r);
}

static void test_req_files(void **state)
{
	(void)state;
	struct req r;
	req_new(&r, WEB_POST, "/up", NULL);
	assert_int_equal(web_req_file_begin(&r, "files", "C:\\docs\\..\\证明.pdf", "application/pdf"),
			 RC_OK);
	assert_string_equal(r.files.v[0].name, "证明.pdf");
	assert_int_equal(web_req_file_write(&r, "abc", 3), RC_OK);
	assert_int_equal(web_req_file_write(&r, "def", 3), RC_OK);
	assert_int_equal(r.files.v[0].size, 6);
	char got[8] = {0};
	assert_int_equal(pread(r.files.v[0].fd, got, sizeof got, 0), 6);
	assert_string_equal(got, "abcdef");
	for (int i = 1; i < WEB_MAX_FILES; i++)
		assert_int_equal(web_req_file_begin(&r, "files", "x", ""), RC_OK);
	assert_int_equal(web_req_file_begin(&r, "files", "x", ""), RC_TOOBIG);
	web_req_release(&r);
}

static void test_redirect_is_local(void **state)
{
	(void)state;
	struct req r;
	req_new(&r, WEB_GET, "/pub", NULL);
	web_redirect(&r, "%s", "//evil.example/");
	assert_string_equal(r.resp.location, "/");
	web_redirect(&r, "%s", "https://evil.example/");
	assert_string_equal(r.resp.location, "/");
	web_redirect(&r, "/tasks/%d\r\nSet-Cookie: x", 3);
	assert_string_equal(r.resp.location, "/");
	web_redirect(&r, "/tasks/%d", 3);
	assert_string_equal(r.resp.location, "/tasks/3");
	web_send_file(&r, dup(0), 0, "application/pdf", "整改 报告\".pdf");
	assert_string_equal(r.resp.hdr[0].value,
			    "attachment; filename=\"file.pdf\"; filename*=UTF-8''%E6%95%B4%E6%94%B9"
			    "%20%E6%8A%A5%E5%91%8A%22.pdf");
	web_req_release(&r);
}

/* ---- throttling, tokens, static ------------------------------------------------ */

static void test_throttle(void **state)
{
	(void)state;
	web_throttle_reset();
	struct web_throttle_limits l = {3, 5, 60};
	web_throttle_configure(&l);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(web_throttle_check("alice", "10.0.0.1", NULL), RC_OK);
		web_throttle_fail("alice", "10.0.0.1");
	}
	unsigned wait = 0;
	assert_int_equal(web_throttle_check("alice", "10.0.0.2", &wait), RC_THROTTLED);
	assert_true(wait > 0 && wait <= 60);
	/* another account from the same address is still fine ... */
	assert_int_equal(web_throttle_check("bob", "10.0.0.1", NULL), RC_OK);
	web_throttle_fail("bob", "10.0.0.1");
	web_throttle_fail("carol", "10.0.0.1");
	/* ... until the address reaches its own limit */
	assert_int_equal(web_throttle_check("dave", "10.0.0.1", NULL), RC_THROTTLED);
	assert_int_equal(web_throttle_check("dave", "10.0.0.9", NULL), RC_OK);
	/* IPv6 addresses count per /64 */
	for (int i = 0; i < 5; i++) {
		char a[64];
		snprintf(a, sizeof a, "2001:db8:1:2::%x", i + 1);
		web_throttle_fail(NULL, a);
	}
	assert_int_equal(web_throttle_check("erin", "2001:db8:1:2::ffff", NULL), RC_THROTTLED);
	assert_int_equal(web_throttle_check("erin", "2001:db8:1:3::1", NULL), RC_OK);
	/* success clears the account */
	web_throttle_reset();
	web_throttle_fail("frank", "10.0.0.3");
	web_throttle_fail("frank", "10.0.0.3");
	web_throttle_success("frank", "10.0.0.3");
	web_throttle_fail("frank", "10.0.0.3");
	web_throttle_fail("frank", "10.0.0.3");
	assert_int_equal(web_throttle_check("frank", "10.0.0.4", NULL), RC_OK);
	web_throttle_reset();
	struct web_throttle_limits def = {5, 20, 900};
	web_throttle_configure(&def);
}

static void test_tokens(void **state)
{
	(void)state;
	char tok[WEB_TOKEN_LEN + 1];
	memset(tok, 'a', WEB_TOKEN_LEN);
	tok[WEB_TOKEN_LEN] = '\0';
	assert_true(web_token_valid(tok));
	tok[3] = 'G';
	assert_false(web_token_valid(tok));
	assert_false(web_token_valid("abc"));
	assert_false(web_token_valid(NULL));
	assert_true(web_token_equal("abc", "abc"));
	assert_false(web_token_equal("abc", "abd"));
	assert_false(web_token_equal("abc", "ab"));
	assert_false(web_token_equal("", ""));
	char *c = web_cookie("t0k", true);
	assert_string_equal(c, WEB_COOKIE "=t0k; Path=/; HttpOnly; SameSite=Strict; Secure");
	free(c);
	c = web_cookie(NULL, false);
	assert_string_equal(c, WEB_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	free(c);
}

static void test_static(void **state)
{
	(void)state;
	struct req r;
	req_new(&r, WEB_GET, "/static/app.css", NULL);
	assert_int_equal(web_static(&r), RC_OK);
	assert_true(r.resp.cacheable);
	assert_true(r.resp.body.len > 1000);
	char etag[32];
	snprintf(etag, sizeof etag, "%s", r.resp.hdr[0].value);
	assert_int_equal(strlen(etag), 18);
	const char *url = web_static_url("/static/app.css");
	assert_int_equal(strncmp(url, "/static/app.css?v=", 18), 0);
	assert_int_equal(strncmp(url + 18, etag + 1, 16), 0);
	web_req_release(&r);
	req_new(&r, WEB_GET, "/static/app.css", NULL);
	r.if_none_match = xstrdup(etag);
	assert_int_equal(web_static(&r), RC_OK);
	assert_int_equal(r.resp.status, 304);
	assert_int_equal(r.resp.body.len, 0);
	web_req_release(&r);
	req_new(&r, WEB_GET, "/static/nope.css", NULL);
	assert_int_equal(web_static(&r), RC_NOTFOUND);
	web_req_release(&r);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	log_level = 0;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escapes_text_and_attributes),
		cmocka_unit_test(test_html_invalid_utf8_replaced),
		cmocka_unit_test(test_html_refuses_misuse),
		cmocka_unit_test(test_html_stack),
		cmocka_unit_test(test_charts),
		cmocka_unit_test(test_router_public_and_404),
		cmocka_unit_test(test_router_login_required),
		cmocka_unit_test(test_router_authorize),
		cmocka_unit_test(test_router_csrf),
		cmocka_unit_test(test_router_errors),
		cmocka_unit_test(test_req_args),
		cmocka_unit_test(test_req_files),
		cmocka_unit_test(test_redirect_is_local),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_static),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
