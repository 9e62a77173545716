/*
 * test_web.c -- the web infrastructure without a network: the HTML writer,
 * the router driven with fake requests against a small route table, login
 * throttling, tokens and cookies, charts and static files, the sessions'
 * idle clock; and the application itself (web_app.c and the files
 * of its hooks, page_*.c) driven with
 * fake requests as each role against an in-memory store filled through the
 * store API, with a fake clock.
 */
#include "testutil.h"
#include "pgtest.h"

#include <math.h>
#include <sys/stat.h>
#include <sodium.h>

#include "doc.h"
#include "sheet.h"
#include "web_int.h"

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

static enum rc page_one_task(struct req *r, struct html *h)
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
	{"GET", "/pub", .page = page_pub, .flags = R_PUBLIC},
	{"GET", "/t/:id", .page = page_one_task, .perm = PERM_ANY},
	{"POST", "/t/:id/do", .raw = raw_do, .perm = PERM_ANY},
	{"POST", "/admin/do", .raw = raw_do, .perm = PERM_ADMIN},
	{"POST", "/api/echo", .api = api_echo, .perm = PERM_ANY, .flags = R_JSON | R_JSONBODY},
	{"GET", "/api/t/:id", .api = api_echo, .perm = PERM_ANY, .flags = R_JSON},
	{"POST", "/login", .raw = raw_do, .flags = R_PUBLIC | R_NOCSRF},
	{"GET", "/bad", .page = page_bad, .flags = R_PUBLIC},
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
	if (r->route->perm == PERM_ADMIN)
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
	/* A form takes WEB_MAX_FIELDS fields, WEB_MAX_LIST_FIELDS on a route
	 * flagged R_LIST (a checkbox per task of a bulk action); the query
	 * keeps its bound there too. */
	static const struct route plain = {"POST", "/p", .flags = 0},
				  list = {"POST", "/l", .flags = R_LIST};
	const struct route *rt[] = {&plain, &list};
	const int max[] = {WEB_MAX_FIELDS, WEB_MAX_LIST_FIELDS};
	for (int k = 0; k < 2; k++) {
		req_new(&r, WEB_POST, rt[k]->pattern, NULL);
		r.route = rt[k];
		for (int i = 0; i < max[k]; i++)
			assert_int_equal(web_req_add(&r, true, "task", "1:1", 3), RC_OK);
		assert_int_equal(web_req_add(&r, true, "task", "1:1", 3), RC_TOOBIG);
		for (int i = 0; i < WEB_MAX_FIELDS; i++)
			assert_int_equal(web_req_add(&r, false, "q", "1", 1), RC_OK);
		assert_int_equal(web_req_add(&r, false, "q", "1", 1), RC_TOOBIG);
		web_req_release(&r);
	}
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
	/* What a browser strips or reads as a slash makes another host. */
	static const char *const bad[] = {"//evil.example", "/\\evil.example", "\\/evil.example",
					  "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
					  "\t//evil.example", " //evil.example", "/ /evil.example",
					  "/x\\..\\..\\/evil", "/\x7f/evil", "", "evil.example",
					  "javascript:alert(1)", "/\x01/evil"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		web_redirect(&r, "%s", bad[i]);
		assert_string_equal(r.resp.location, "/");
		assert_false(web_local_target(bad[i]));
	}
	static const char *const good[] = {"/", "/tasks?page=2&q=%2F%2Fx", "/%2F/evil.example",
					   "/%5C/x", "/tasks/3#n4"};
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		web_redirect(&r, "%s", good[i]);
		assert_string_equal(r.resp.location, good[i]);
	}
	web_send_file(&r, dup(0), 0, "application/pdf", "整改 报告\".pdf");
	assert_string_equal(r.resp.hdr[0].value,
			    "attachment; filename=\"file.pdf\"; filename*=UTF-8''%E6%95%B4%E6%94%B9"
			    "%20%E6%8A%A5%E5%91%8A%22.pdf");
	web_req_release(&r);
}

/* ---- throttling, tokens, static ------------------------------------------------ */

/* A new empty ledger for the tests of what the servers share. */
static struct store *shared_store(void)
{
	char db[256];
	test_db_fresh(db, sizeof db);
	struct store *st;
	struct err e = {0};
	assert_int_equal(store_open(db, STORE_CREATE, &st, &e), RC_OK);
	return st;
}

/* A check that must pass, and a failure counted. */
#define PASSES(st, acct, addr) \
	assert_int_equal(web_throttle_check((st), (acct), (addr), NULL, NULL), RC_OK)
#define FAILS(st, acct, addr) \
	assert_int_equal(web_throttle_fail((st), (acct), (addr), NULL), RC_OK)
#define REFUSED(st, acct, addr, wait) \
	assert_int_equal(web_throttle_check((st), (acct), (addr), (wait), NULL), RC_THROTTLED)

static void test_throttle(void **state)
{
	(void)state;
	struct store *st = shared_store();
	struct web_throttle_limits l = {3, 5, 60};
	web_throttle_configure(&l);
	for (int i = 0; i < 3; i++) {
		PASSES(st, "alice", "10.0.0.1");
		FAILS(st, "alice", "10.0.0.1");
	}
	unsigned wait = 0;
	/* alice's own address is refused for alice; elsewhere she is slowed */
	REFUSED(st, "alice", "10.0.0.1", &wait);
	assert_true(wait > 1 && wait <= 60);
	REFUSED(st, "alice", "10.0.0.2", &wait);
	assert_true(wait > 0 && wait <= 1);
	/* another account from the same address is still fine ... */
	PASSES(st, "bob", "10.0.0.1");
	FAILS(st, "bob", "10.0.0.1");
	FAILS(st, "carol", "10.0.0.1");
	/* ... until the address reaches its own limit */
	REFUSED(st, "dave", "10.0.0.1", NULL);
	PASSES(st, "dave", "10.0.0.9");
	/* IPv6 addresses count per /64 */
	for (int i = 0; i < 5; i++) {
		char a[64];
		snprintf(a, sizeof a, "2001:db8:1:2::%x", i + 1);
		FAILS(st, NULL, a);
	}
	REFUSED(st, "erin", "2001:db8:1:2::ffff", NULL);
	PASSES(st, "erin", "2001:db8:1:3::1");
	/* success clears the account */
	assert_int_equal(store_login_clear(st, NULL), RC_OK);
	FAILS(st, "frank", "10.0.0.3");
	FAILS(st, "frank", "10.0.0.3");
	assert_int_equal(web_throttle_success(st, "frank", "10.0.0.3", NULL), RC_OK);
	FAILS(st, "frank", "10.0.0.3");
	FAILS(st, "frank", "10.0.0.3");
	PASSES(st, "frank", "10.0.0.4");
	struct web_throttle_limits def = {5, 20, 900};
	web_throttle_configure(&def);
	store_close(st);
}

static time_t throttle_now;

static time_t throttle_clock(void)
{
	return throttle_now;
}

/* The default policy against a guesser: failures from more addresses than
 * the store keeps counters for, at names nobody has, cannot flush an
 * account's count; five bad guesses at the admin stop the guesser's
 * address, slow the account for everyone by a growing delay, and never
 * lock the admin out for the window.  Windows end. */
static void test_throttle_policy(void **state)
{
	(void)state;
	struct store *st = shared_store();
	throttle_now = 1000000;
	web_throttle_clock(throttle_clock);
	unsigned wait;
	/* Five guesses at alice from five addresses: she is slowed. */
	for (int i = 0; i < 5; i++) {
		char a[32];
		snprintf(a, sizeof a, "10.1.0.%d", i + 1);
		PASSES(st, "alice", a);
		FAILS(st, "alice", a);
	}
	REFUSED(st, "alice", "10.9.9.9", &wait);
	assert_int_equal(wait, 1);
	/* More addresses than the store keeps, failing at made-up names: the
	 * oldest address counters go, hers stays. */
	const int flood = STORE_LOGIN_ROWS + 200;
	for (int i = 0; i < flood; i++) {
		char a[32];
		snprintf(a, sizeof a, "10.2.%d.%d", i / 250, i % 250 + 1);
		FAILS(st, NULL, a);
	}
	assert_int_equal(test_int(st, "SELECT count(*) FROM login_fail WHERE account = 0"),
			 STORE_LOGIN_ROWS);
	assert_int_equal(test_int(st, "SELECT count(*) FROM login_fail WHERE key = 'i 10.2.0.1'"),
			 0);
	REFUSED(st, "alice", "10.9.9.9", &wait);
	/* Each further guess doubles the wait, up to WEB_THROTTLE_DELAY_MAX. */
	unsigned prev = 0;
	for (int i = 0; i < 10; i++) {
		throttle_now += prev ? prev : 1; /* as fast as allowed */
		char a[32];
		snprintf(a, sizeof a, "10.3.0.%d", i + 1);
		PASSES(st, "alice", a);
		FAILS(st, "alice", a);
		REFUSED(st, "alice", "10.9.9.9", &wait);
		assert_true(wait >= prev && wait <= WEB_THROTTLE_DELAY_MAX);
		prev = wait;
	}
	assert_int_equal(prev, WEB_THROTTLE_DELAY_MAX);
	/* Her window ends 900 s after its first failure: she is let in. */
	throttle_now = 1000000 + 900;
	PASSES(st, "alice", "10.9.9.9");

	/* The admin: five bad guesses from one address. */
	assert_int_equal(store_login_clear(st, NULL), RC_OK);
	for (int i = 0; i < 5; i++) {
		PASSES(st, "admin", "10.6.6.6");
		FAILS(st, "admin", "10.6.6.6");
	}
	/* The guesser's address is refused for the admin for the window ... */
	throttle_now += 30;
	REFUSED(st, "admin", "10.6.6.6", &wait);
	assert_true(wait > 800);
	/* ... the admin, elsewhere, waits a second at most, then logs in. */
	assert_int_equal(web_throttle_check(st, "admin", "10.0.0.1", &wait, NULL), RC_OK);
	assert_int_equal(web_throttle_success(st, "admin", "10.0.0.1", NULL), RC_OK);
	PASSES(st, "admin", "10.0.0.1");
	/* The periodic sweep removes what has run out, and only that. */
	throttle_now += 900;
	FAILS(st, NULL, "10.7.7.7");
	assert_int_equal(web_throttle_sweep(st, NULL), RC_OK);
	assert_int_equal(test_int(st, "SELECT count(*) FROM login_fail"), 1);
	web_throttle_clock(NULL);
	store_close(st);
}

/* Two handles on one new ledger at file (test_db_at), as two servers
 * would have: its name in db. */
static void two_servers(const char *file, char *db, size_t n, struct store **one,
			struct store **two)
{
	test_db_at(file, db, n);
	test_db_empty(db);
	assert_int_equal(store_open(db, STORE_CREATE, one, NULL), RC_OK);
	assert_int_equal(store_open(db, 0, two, NULL), RC_OK);
}

/* Two servers are two handles on one database: what one counts, the other
 * refuses. */
static void test_throttle_shared(void **state)
{
	(void)state;
	char db[256];
	struct store *one, *two;
	two_servers("/tmp/rectify-test-throttle-shared.db", db, sizeof db, &one, &two);
	for (int i = 0; i < 20; i++)
		FAILS(i % 2 ? one : two, "alice", "10.4.0.1");
	unsigned wait = 0;
	REFUSED(one, "alice", "10.4.0.1", &wait);
	assert_true(wait > 800);
	REFUSED(two, "bob", "10.4.0.1", NULL);
	store_close(one);
	store_close(two);
	test_db_drop(db);
}

/* A database that cannot be read is an error, never a pass; a failure
 * that cannot be counted is an error, never only a wrong password. */
static void test_throttle_fails_closed(void **state)
{
	(void)state;
	struct store *st = shared_store();
	test_sql(st, "DROP TABLE login_fail");
	struct err e = {0};
	unsigned wait = 7;
	enum rc rc = web_throttle_check(st, "alice", "10.5.0.1", &wait, &e);
	assert_true(rc != RC_OK && rc != RC_THROTTLED);
	assert_int_equal(wait, 0);
	assert_true(web_throttle_fail(st, "alice", "10.5.0.1", &e) != RC_OK);
	store_close(st);
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

/* ---- the sessions' idle clock ---------------------------------------------------------- */

static void test_idle_clock(void **state)
{
	(void)state;
	web_idle_reset();
	const int64_t idle = 100, every = 10;
	/* Unknown here: counts from the database's last_seen, and is written
	 * at once (that last_seen is old). */
	assert_int_equal(web_idle_touch("a", 1000, 950, idle, every), WEB_IDLE_WRITE);
	assert_int_equal(web_idle_touch("b", 1000, 899, idle, every), WEB_IDLE_DEAD); /* 101 s */
	assert_int_equal(web_idle_count(), 1);
	/* Uses in between writes are kept here; a write at most every 10 s. */
	assert_int_equal(web_idle_touch("a", 1005, 950, idle, every), WEB_IDLE_OK);
	assert_int_equal(web_idle_touch("a", 1009, 950, idle, every), WEB_IDLE_OK);
	assert_int_equal(web_idle_touch("a", 1010, 950, idle, every), WEB_IDLE_WRITE);
	/* The row written by another thread (a newer last_seen) counts too. */
	assert_int_equal(web_idle_touch("a", 1015, 1014, idle, every), WEB_IDLE_OK);
	/* Every use renews it: alive 100 s after the last one, not after the
	 * stale last_seen the caller passes. */
	assert_int_equal(web_idle_touch("a", 1115, 950, idle, every), WEB_IDLE_WRITE);
	assert_int_equal(web_idle_touch("a", 1216, 950, idle, every), WEB_IDLE_DEAD);
	assert_int_equal(web_idle_count(), 0);               /* and forgotten */
	/* Forgotten (a restart): the database's last_seen is the clock. */
	assert_int_equal(web_idle_touch("c", 2000, 1950, idle, every), WEB_IDLE_WRITE);
	web_idle_reset();
	assert_int_equal(web_idle_touch("c", 2090, 2000, idle, every), WEB_IDLE_WRITE);
	web_idle_reset();
	assert_int_equal(web_idle_touch("c", 2101, 2000, idle, every), WEB_IDLE_DEAD);
	/* A last_seen in the future counts as now. */
	assert_int_equal(web_idle_touch("c", 3000, 99999, idle, every), WEB_IDLE_OK);
	assert_int_equal(web_idle_touch("c", 3010, 0, idle, every), WEB_IDLE_WRITE);
	/* Forget (logout), sweep. */
	web_idle_forget("c");
	assert_int_equal(web_idle_count(), 0);
	assert_int_equal(web_idle_touch("d", 3000, 3000, idle, every), WEB_IDLE_OK);
	assert_int_equal(web_idle_touch("e", 3050, 3050, idle, every), WEB_IDLE_OK);
	assert_int_equal(web_idle_sweep(3120, idle), 1);     /* d: 120 s */
	assert_int_equal(web_idle_count(), 1);
	assert_int_equal(web_idle_touch("e", 3120, 3050, idle, every), WEB_IDLE_WRITE);
	/* Bounded: past WEB_IDLE_MAX live sessions the least recent go. */
	char tok[32];
	for (int i = 0; i < WEB_IDLE_MAX + 500; i++) {
		snprintf(tok, sizeof tok, "t%d", i);
		assert_int_not_equal(web_idle_touch(tok, 5000 + i, 5000 + i, 1000000, 60),
				     WEB_IDLE_DEAD);
	}
	assert_true(web_idle_count() <= WEB_IDLE_MAX);
	assert_true(web_idle_count() > WEB_IDLE_MAX - WEB_IDLE_SHARDS * 64);
	/* The most recent are kept: renewed from their last use here, not
	 * from the (far past) last_seen passed. */
	snprintf(tok, sizeof tok, "t%d", WEB_IDLE_MAX + 499);
	assert_int_not_equal(web_idle_touch(tok, 5000 + WEB_IDLE_MAX + 600, 0, 1000, 60),
			     WEB_IDLE_DEAD);
	web_idle_reset();
	assert_int_equal(web_idle_count(), 0);
}

static void test_attachment_names(void **state)
{
	(void)state;
	char *c = web_attachment("report 2024.pdf");
	assert_string_equal(c, "attachment; filename=\"report 2024.pdf\"; "
			       "filename*=UTF-8''report%202024.pdf");
	free(c);
	c = web_attachment("会议\"纪要\";\r\n.docx");
	assert_string_equal(c, "attachment; filename=\"file.docx\"; filename*=UTF-8''"
			       "%E4%BC%9A%E8%AE%AE%22%E7%BA%AA%E8%A6%81%22%3B%0D%0A.docx");
	free(c);
	c = web_attachment(".htaccess");
	assert_string_equal(c, "attachment; filename=\"file\"; filename*=UTF-8''.htaccess");
	free(c);
}

/* ---- the application, against an in-memory store --------------------------------------- */

/* The hostile strings every page must escape. */
#define EVIL_LEAD "<script>alert(\"x\")</script>'&amp;"
#define EVIL_LEAD_HTML "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;amp;"
#define EVIL_UNIT "<b>农田</b>建设股\""
#define EVIL_NAME "李<img src=x onerror=alert(1)>"

static const char app_report[] =
	"# 县农机中心领导班子对照检查材料\n\n"
	"## 一、存在的问题\n\n"
	"（一）在理论学习方面\n\n"
	"一是学习不够深入。比如，全年集中学习仅4次。\n\n"
	"二是调研成果转化不够。例如，3篇调研报告没有提出对策。\n\n"
	"（二）在服务群众方面\n\n"
	"一是下基层次数少。比如，全年到乡镇农机站不足5次。\n\n"
	"## 二、原因分析\n\n"
	"一是思想认识不到位。\n\n"
	"## 三、整改措施\n\n"
	"（一）加强学习。全年集中学习不少于12次，2024年6月底前完成专题研讨。\n\n"
	"（二）改进作风。每季度到乡镇农机站调研不少于2次，2024年9月底前完成。\n";

enum { U_ADMIN, U_LEADER, U_LEADER2, U_HANDLER, U_HANDLER2, U_REVIEWER, U_OBSERVER, U__MAX };

static struct {
	struct store *st;
	struct who who[U__MAX];
	char token[U__MAX][STORE_TOKEN_HEX], csrf[U__MAX][STORE_TOKEN_HEX];
	int64_t unit_a, unit_b;         /* 产业发展股 (the handler's), the evil one (handler2's) */
	int64_t task_a, task_b, task_c; /* a in unit_a with the evil lead; b in unit_b; c unassigned */
	int64_t evidence, evidence_html;
	int64_t report;
	int64_t now;
	unsigned char blob[200000];     /* the evidence's bytes */
} A;

static int64_t fake_clock(void)
{
	return A.now;
}

static int app_setup(void **state)
{
	(void)state;
	struct err e = {0};
	cache_clear();
	web_idle_reset();
	app_cfg.today = "2024-04-24";
	app_cfg.clock = fake_clock;
	app_cfg.session_idle = 12 * 3600;
	app_cfg.session_max = 7 * 24 * 3600;
	A.now = 1713916800; /* 2024-04-24 00:00 UTC */
	int32_t today;
	assert_int_equal(store_today(app_cfg.today, &today, &e), RC_OK);
	char db[256];
	test_db_fresh(db, sizeof db);
	assert_int_equal(store_open(db, STORE_CREATE, &A.st, &e), RC_OK);
	app_use_store(A.st);
	const struct who sys = WHO_SYSTEM;
	int64_t root, office;
	assert_int_equal(store_unit_add(A.st, &sys, "县农机中心", 0, &root, &e), RC_OK);
	assert_int_equal(store_unit_add(A.st, &sys, "办公室", root, &office, &e), RC_OK);
	assert_int_equal(store_unit_add(A.st, &sys, "产业发展股", root, &A.unit_a, &e), RC_OK);
	assert_int_equal(store_unit_add(A.st, &sys, EVIL_UNIT, root, &A.unit_b, &e), RC_OK);
	static const struct {
		const char *login, *name;
		enum role role;
		int unit; /* 0 none, 1 office, 2 a, 3 b */
	} users[U__MAX] = {
		{"admin", "周办", ROLE_ADMIN, 1},       {"leader", "王领导", ROLE_LEADER, 2},
		{"leader2", EVIL_NAME, ROLE_LEADER, 3}, {"handler", "陈承办", ROLE_HANDLER, 2},
		{"handler2", "赵承办", ROLE_HANDLER, 3}, {"reviewer", "钱审核", ROLE_REVIEWER, 0},
		{"observer", "孙督导", ROLE_OBSERVER, 0},
	};
	const int64_t units[] = {0, office, A.unit_a, A.unit_b};
	for (int i = 0; i < U__MAX; i++) {
		int64_t id;
		assert_int_equal(store_user_add(A.st, &sys, users[i].login, users[i].name, users[i].role,
						units[users[i].unit], "password-1", &id, &e),
				 RC_OK);
		A.who[i] = (struct who){id, users[i].role, units[users[i].unit]};
		assert_int_equal(store_session_new(A.st, id, A.now, app_cfg.session_max, A.token[i],
						   A.csrf[i], &e),
				 RC_OK);
	}
	struct doc *d;
	assert_int_equal(doc_parse(app_report, sizeof app_report - 1, "r.md", &d, &e), RC_OK);
	struct report_import in = {0};
	in.filename = "对照检查材料.md";
	struct import_result res;
	assert_int_equal(store_report_import(A.st, &A.who[U_ADMIN], d, &in, today - 30, &res, &e),
			 RC_OK);
	doc_free(d);
	A.report = res.report_id;
	assert_int_equal(res.n_tasks, 3);
	struct task_filter f = TASK_FILTER_INIT;
	struct task_list l = {0};
	assert_int_equal(store_task_list(A.st, &A.who[U_ADMIN], &f, today, &l, &e), RC_OK);
	assert_int_equal(l.n, 3);
	A.task_a = l.rows[0].id;
	A.task_b = l.rows[1].id;
	A.task_c = l.rows[2].id;
	task_list_release(&l);
	/* Task a: the leader, unit a, its lead renamed to something hostile. */
	struct task t;
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_a, today, &t, &e), RC_OK);
	struct report rp = {0};
	assert_int_equal(store_report_get(A.st, &A.who[U_ADMIN], A.report, &rp, &e), RC_OK);
	assert_int_equal(store_node_rename(A.st, &A.who[U_ADMIN], t.problem_id, rp.version, EVIL_LEAD,
					   today, &e),
			 RC_OK);
	report_release(&rp);
	struct task_assign as = {0};
	as.leader_id = A.who[U_LEADER].user_id;
	as.unit_id = A.unit_a;
	as.goal = "目标<i>斜体</i>";
	int64_t v;
	assert_int_equal(store_task_assign(A.st, &A.who[U_ADMIN], A.task_a, t.version, &as, today,
					   &v, &e),
			 RC_OK);
	task_release(&t);
	/* Evidence: 200 kB of bytes, and an HTML file. */
	for (size_t i = 0; i < sizeof A.blob; i++)
		A.blob[i] = (unsigned char)(i * 7 + i / 251);
	memcpy(A.blob, "\x89PNG\r\n\x1a\n", 8); /* its first bytes say PNG */
	char path[] = "/tmp/rectify-test-web-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, A.blob, sizeof A.blob), (ssize_t)sizeof A.blob);
	char hpath[] = "/tmp/rectify-test-web-XXXXXX";
	int hfd = mkstemp(hpath);
	assert_true(hfd >= 0);
	unlink(hpath);
	assert_int_equal(write(hfd, "<script>x</script>", 18), 18);
	lseek(fd, 0, SEEK_SET);
	lseek(hfd, 0, SEEK_SET);
	struct evidence_in ev[2] = {{"佐证 \"材料\".bin", "image/png", fd, NULL},
				    {"页面.html", "text/html", hfd, NULL}};
	int64_t pid;
	assert_int_equal(store_task_progress(A.st, &A.who[U_LEADER], A.task_a, v, "进展<b>粗体</b>",
					     ev, 2, today, &pid, &v, &e),
			 RC_OK);
	close(fd);
	close(hfd);
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_a, today, &t, &e), RC_OK);
	assert_int_equal(t.n_progress, 1);
	assert_int_equal(t.progress[0].n_evidence, 2);
	A.evidence = t.progress[0].evidence[0].id;
	A.evidence_html = t.progress[0].evidence[1].id;
	task_release(&t);
	/* Task b: leader2, the hostile unit. */
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_b, today, &t, &e), RC_OK);
	as.leader_id = A.who[U_LEADER2].user_id;
	as.unit_id = A.unit_b;
	assert_int_equal(store_task_assign(A.st, &A.who[U_ADMIN], A.task_b, t.version, &as, today,
					   NULL, &e),
			 RC_OK);
	task_release(&t);
	return 0;
}

static int app_teardown(void **state)
{
	(void)state;
	app_use_store(NULL);
	store_close(A.st);
	cache_clear();
	web_idle_reset();
	app_cfg.clock = NULL;
	return 0;
}

/* A request as user u (-1: nobody); method, path, then form fields as
 * key, value pairs, NULL-terminated.  POSTs carry the user's CSRF token. */
static struct req *app_req(int u, enum web_method m, const char *path, ...)
{
	struct req *r = xmalloc(sizeof *r);
	web_req_init(r);
	r->method = m;
	const char *q = strchr(path, '?');
	r->path = q ? xstrndup(path, (size_t)(q - path)) : xstrdup(path);
	if (q) {
		char *qs = xstrdup(q + 1);
		for (char *kv = strtok(qs, "&"); kv; kv = strtok(NULL, "&")) {
			char *eq = strchr(kv, '=');
			if (eq)
				*eq++ = '\0';
			assert_int_equal(web_req_add(r, false, kv, eq ? eq : "", eq ? strlen(eq) : 0),
					 RC_OK);
		}
		free(qs);
	}
	r->host = xstrdup("127.0.0.1:8080");
	if (u >= 0)
		r->cookie_session = xstrdup(A.token[u]);
	va_list ap;
	va_start(ap, path);
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		r->body_kind = WEB_BODY_FORM;
		assert_int_equal(web_req_add(r, true, k, v, strlen(v)), RC_OK);
	}
	va_end(ap);
	if (m == WEB_POST && u >= 0)
		r->csrf_header = xstrdup(A.csrf[u]);
	web_dispatch(&rectify_app, r);
	return r;
}

static void app_req_free(struct req *r)
{
	web_req_release(r);
	free(r);
}

/* The response body as one string (with a spliced fragment put back). */
static char *app_body(const struct req *r)
{
	struct buf b = BUF_INIT(0);
	const char *p = r->resp.body.p ? r->resp.body.p : "";
	size_t at = r->resp.splice ? r->resp.splice_at : r->resp.body.len;
	buf_append(&b, p, at);
	if (r->resp.splice)
		buf_append(&b, r->resp.splice, r->resp.splice_len);
	buf_append(&b, p + at, r->resp.body.len - at);
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

static bool has(const char *html, const char *s)
{
	return strstr(html, s) != NULL;
}

static char *task_path(int64_t id, const char *suffix)
{
	return xasprintf("/tasks/%lld%s", (long long)id, suffix);
}

/* GET a page as u; returns its status and (when out) its body. */
static int app_get(int u, const char *path, char **out)
{
	struct req *r = app_req(u, WEB_GET, path, NULL);
	int status = r->resp.status;
	if (out)
		*out = app_body(r);
	app_req_free(r);
	return status;
}

static void test_app_task_page_actions_by_role(void **state)
{
	(void)state;
	char *p = task_path(A.task_a, "");
	static const struct {
		int u, status;
		const char *shown, *hidden;
	} cases[] = {
		/* admin: assign and progress, nothing of the reviewer's */
		{U_ADMIN, 200, "/assign\"|/progress\"|/submit\"|/urge\"", "/approve\"|/return\"|督导组只读"},
		/* its leader: progress, submit, extension; not assign, not 催办 */
		{U_LEADER, 200, "/progress\"|/submit\"|/extend\"",
		 "/assign\"|/approve\"|/extend-decide\"|/urge\""},
		/* a handler of its unit: progress only */
		{U_HANDLER, 200, "/progress\"", "/submit\"|/extend\"|/assign\"|/approve\"|/urge\""},
		/* the other leader: reads, may do nothing */
		{U_LEADER2, 200, "没有可进行的操作", "/progress\"|/submit\"|/assign\""},
		/* a reviewer before any submission: nothing to review yet, but 催办 */
		{U_REVIEWER, 200, "/urge\"", "/approve\"|/return\"|/progress\""},
		{U_OBSERVER, 200, "督导组只读", "name=\"version\"|/progress\"|<form method=\"post\" action=\"/tasks"},
		/* a handler of another unit: not found at all */
		{U_HANDLER2, 404, "没有找到", EVIL_LEAD_HTML},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *html = NULL;
		int st = app_get(cases[i].u, p, &html);
		if (st != cases[i].status)
			fprintf(stderr, "case %zu: status %d\n", i, st);
		assert_int_equal(st, cases[i].status);
		char *list = xstrdup(cases[i].shown);
		for (char *w = strtok(list, "|"); w; w = strtok(NULL, "|")) {
			if (!has(html, w))
				fprintf(stderr, "case %zu: missing %s\n", i, w);
			assert_true(has(html, w));
		}
		free(list);
		list = xstrdup(cases[i].hidden);
		for (char *w = strtok(list, "|"); w; w = strtok(NULL, "|")) {
			if (has(html, w))
				fprintf(stderr, "case %zu: unexpected %s\n", i, w);
			assert_false(has(html, w));
		}
		free(list);
		free(html);
	}
	free(p);
}

/* No page lets the hostile strings through: they appear escaped, never raw. */
static void test_app_pages_escape(void **state)
{
	(void)state;
	char *task = task_path(A.task_a, ""), *task_b = task_path(A.task_b, "");
	char report[64];
	snprintf(report, sizeof report, "/reports/%lld", (long long)A.report);
	const struct {
		int u;
		const char *path;
		const char *must; /* an escaped form that must appear */
	} pages[] = {
		{U_ADMIN, task, EVIL_LEAD_HTML},
		{U_LEADER, task, EVIL_LEAD_HTML},
		{U_ADMIN, "/tasks", EVIL_LEAD_HTML},
		{U_ADMIN, "/tasks?q=script", EVIL_LEAD_HTML},
		{U_LEADER, "/mine", EVIL_LEAD_HTML},
		{U_HANDLER, "/mine", EVIL_LEAD_HTML},
		{U_ADMIN, report, EVIL_LEAD_HTML},
		{U_ADMIN, "/", "&lt;b&gt;农田&lt;/b&gt;建设股&quot;"},
		{U_ADMIN, task_b, "&lt;b&gt;农田&lt;/b&gt;建设股&quot;"},
		{U_LEADER2, "/", "李&lt;img src=x onerror=alert(1)&gt;"},
		{U_ADMIN, "/admin", "李&lt;img src=x onerror=alert(1)&gt;"},
		{U_ADMIN, "/tasks?q=<script>", "value=\"&lt;script&gt;\""},
	};
	for (size_t i = 0; i < ARRAY_LEN(pages); i++) {
		char *html = NULL;
		int st = app_get(pages[i].u, pages[i].path, &html);
		if (st != 200 || !has(html, pages[i].must))
			fprintf(stderr, "page %zu %s: %d\n", i, pages[i].path, st);
		assert_int_equal(st, 200);
		assert_true(has(html, pages[i].must));
		assert_false(has(html, "<script>alert"));
		assert_false(has(html, "<img src=x"));
		assert_false(has(html, "<b>农田"));
		assert_false(has(html, "<i>斜体"));
		assert_false(has(html, "<b>粗体"));
		assert_false(has(html, "onerror=alert(1)>"));
		free(html);
	}
	free(task);
	free(task_b);
}

static void test_app_navigation_by_role(void **state)
{
	(void)state;
	static const struct {
		int u;
		const char *shown, *hidden;
	} cases[] = {
		{U_ADMIN, "href=\"/admin\"", "href=\"/audit\">日志"},
		{U_REVIEWER, "href=\"/audit\">日志", "href=\"/admin\""},
		{U_LEADER, "href=\"/mine\"", "href=\"/admin"},
		{U_OBSERVER, "href=\"/audit\">日志", "href=\"/admin"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *html = NULL;
		assert_int_equal(app_get(cases[i].u, "/", &html), 200);
		assert_true(has(html, cases[i].shown));
		assert_false(has(html, cases[i].hidden));
		free(html);
	}
	/* The dashboard says what each commitment behind promises: the period,
	 * the count and its unit. */
	char *home = NULL;
	assert_int_equal(app_get(U_OBSERVER, "/", &home), 200);
	assert_true(has(home, "承诺落后"));
	assert_true(has(home, "（每年不少于 12次）"));
	free(home);
	/* Admin pages: 403 for everybody else, with a Chinese page. */
	char *html = NULL;
	assert_int_equal(app_get(U_LEADER, "/admin", &html), 403);
	assert_true(has(html, "没有权限"));
	free(html);
	assert_int_equal(app_get(U_REVIEWER, "/admin/audit", NULL), 200);
	assert_int_equal(app_get(U_OBSERVER, "/admin/audit", NULL), 200); /* the log, read-only */
	/* Without a session, pages go to the login form. */
	struct req *r = app_req(-1, WEB_GET, "/tasks", NULL);
	assert_int_equal(r->resp.status, 303);
	assert_string_equal(r->resp.location, "/login?next=/tasks");
	app_req_free(r);
}

/* The store's English refusals reach people in Chinese. */
/* The office cannot leave itself without an admin from the web either. */
static void test_app_last_admin(void **state)
{
	(void)state;
	struct user u;
	struct arena ar = {0};
	int64_t me = A.who[U_ADMIN].user_id;
	assert_int_equal(store_user_get(A.st, me, &u, &ar, NULL), RC_OK);
	char ver[24], path[64];
	snprintf(ver, sizeof ver, "%lld", (long long)u.version);
	snprintf(path, sizeof path, "/admin/users/%lld", (long long)me);
	arena_release(&ar);
	static const char *const how[][2] = {{"admin", "0"}, {"reviewer", "1"}};
	for (size_t i = 0; i < ARRAY_LEN(how); i++) {
		struct req *r = app_req(U_ADMIN, WEB_POST, path, "version", ver, "role", how[i][0],
					"unit", "", "active", how[i][1], NULL);
		assert_int_equal(r->resp.status, 409);
		char *b = app_body(r);
		assert_true(has(b, "最后一位启用的办公室管理员"));
		free(b);
		app_req_free(r);
	}
	assert_int_equal(store_user_get(A.st, me, &u, &ar, NULL), RC_OK);
	assert_int_equal(u.role, ROLE_ADMIN);
	assert_true(u.active);
	arena_release(&ar);
}

/* The login form's "next", as the server hands it over (decoded once):
 * the usual ways out of the origin all land on "/". */
static void test_app_login_next_is_local(void **state)
{
	(void)state;
	static const char *const bad[] = {"//evil.example", "/\\evil.example", "\\/evil.example",
					  "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
					  "\t/\t/evil.example", "https://evil.example", "/login"};
	for (int logged = 0; logged < 2; logged++) {
		for (size_t i = 0; i < ARRAY_LEN(bad) + 1; i++) {
			struct req *r = xmalloc(sizeof *r);
			web_req_init(r);
			r->method = WEB_GET;
			r->path = xstrdup("/login");
			r->host = xstrdup("127.0.0.1:8080");
			const char *n = i < ARRAY_LEN(bad) ? bad[i] : "/tasks/2?x=%2F%2F";
			assert_int_equal(web_req_add(r, false, "next", n, strlen(n)), RC_OK);
			if (logged)
				r->cookie_session = xstrdup(A.token[U_ADMIN]);
			web_dispatch(&rectify_app, r);
			const char *want = i < ARRAY_LEN(bad) ? "/" : n;
			if (logged) {
				assert_int_equal(r->resp.status, 303);
				assert_string_equal(r->resp.location, want);
			} else {
				assert_int_equal(r->resp.status, 200);
				char *b = app_body(r);
				char *field = xasprintf("name=\"next\" value=\"%s\"",
							i < ARRAY_LEN(bad) ? "/" : "/tasks/2?x=%2F%2F");
				assert_true(has(b, field));
				free(field);
				free(b);
			}
			app_req_free(r);
		}
	}
}

static void test_app_refusals_in_chinese(void **state)
{
	(void)state;
	char *p = task_path(A.task_c, "/extend");
	/* leader2 may see task c but may not ask for its extension */
	struct req *r = app_req(U_LEADER2, WEB_POST, p, "version", "1", "to", "2025-01-01", "reason",
				"x", NULL);
	assert_int_equal(r->resp.status, 403);
	char *html = app_body(r);
	assert_true(has(html, "只有该事项的责任领导或办公室可以申请延期"));
	assert_false(has(html, "rule W10"));
	free(html);
	app_req_free(r);
	free(p);
	/* The JSON API: Chinese message, the English as detail. */
	p = xasprintf("/api/v1/tasks/%lld/submit", (long long)A.task_a);
	r = app_req(U_HANDLER, WEB_POST, p, NULL);
	assert_int_equal(r->resp.status, 403);
	html = app_body(r);
	assert_true(has(html, "\"message\":\"只有该事项的责任领导或办公室可以申请销号。\""));
	assert_true(has(html, "\"code\":\"W3-role\""));
	free(html);
	app_req_free(r);
	free(p);
	/* The Chinese follows the code, whatever the English says. */
	assert_string_equal(app_explain_code(STORE_E_W10_PENDING),
			    "已有一项延期申请等待审批，审批后才能再次申请。");
	assert_null(app_explain_code("no-such-code"));
	assert_null(app_explain_code(NULL));
}

/* app_explain_code: every refusal code of the store (STORE_REFUSALS) has a
 * Chinese message, so none reaches a browser as English. */
static void test_app_explain_every_code(void **state)
{
	(void)state;
#define REFUSAL_CODE(c) c,
	static const char *const codes[] = {STORE_REFUSALS(REFUSAL_CODE)};
#undef REFUSAL_CODE
	for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
		const char *zh = app_explain_code(codes[i]);
		if (!zh || !*zh)
			fail_msg("refusal code %s has no Chinese message", codes[i]);
	}
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The route table's named fields agree with its patterns and handlers:
 * a public route asks for nothing, any other for a known permission; a
 * route that reads or acts on a task has the task's :id first; a task
 * action is posted to the path that ends in its name (the task page's
 * forms and the flash after them are that name), and every action has its
 * form route; a tree correction ends in its own name; the handlers that
 * read an action from the request are given one. */
static void test_app_routes_table(void **state)
{
	(void)state;
	static const char *const node_edit[] = {
		[ACT_NODE_RENAME] = "rename", [ACT_NODE_MOVE] = "move",
		[ACT_NODE_MERGE] = "merge",   [ACT_NODE_SPLIT] = "split",
	};
	bool form_of[TACT__MAX] = {0};
	for (size_t i = 0; i < rectify_app.nroutes; i++) {
		const struct route *rt = &rectify_app.routes[i];
		const char *last = strrchr(rt->pattern, '/') + 1;
		bool post = strcmp(rt->method, "POST") == 0;
		if (rt->flags & R_PUBLIC) {
			assert_int_equal(rt->perm, 0);
			assert_int_equal(rt->action, ACT_NONE);
			continue;
		}
		if (rt->perm < P_READ || rt->perm >= P__MAX)
			fail_msg("route %s %s: permission %u", rt->method, rt->pattern, rt->perm);
		enum task_action a = act_task(rt->action);
		if (rt->action >= ACT_VIEW)
			assert_true(starts(rt->pattern, "/tasks/:id") ||
				    starts(rt->pattern, "/api/v1/tasks/:id"));
		if (a != TACT__MAX) {
			assert_true(post);
			assert_string_equal(last, task_action_name(a));
			if (starts(rt->pattern, "/tasks/"))
				form_of[a] = true;
		} else if (rt->action == ACT_VIEW) {
			assert_false(post);
		} else if (rt->action != ACT_NONE) {
			assert_true(rt->action < ARRAY_LEN(node_edit));
			assert_true(starts(rt->pattern, "/reports/:id/nodes/:id/"));
			assert_string_equal(last, node_edit[rt->action]);
			assert_true(rt->raw == form_node_edit);
		}
		if (rt->raw == form_task_action || rt->raw == api_task_action ||
		    rt->raw == form_task_extend || rt->raw == form_task_assign ||
		    rt->raw == form_task_progress || rt->raw == api_task_progress)
			assert_int_not_equal(a, TACT__MAX);
		if (rt->raw == form_node_edit)
			assert_true(rt->action != ACT_NONE && rt->action < ACT_VIEW);
	}
	for (int a = 0; a < TACT__MAX; a++)
		if (!form_of[a])
			fail_msg("no route /tasks/:id/%s", task_action_name((enum task_action)a));
}

/* Each route as each role meets its permission (struct route.perm): where
 * app_role_may() says no, 403 before the handler runs, so nothing is
 * written; where it says yes, a GET is answered otherwise.  (POSTs that
 * are allowed would change the ledger: the workflow tests make them.) */
static void test_app_route_permissions(void **state)
{
	(void)state;
	for (size_t i = 0; i < rectify_app.nroutes; i++) {
		const struct route *rt = &rectify_app.routes[i];
		if (rt->flags & R_PUBLIC)
			continue;
		struct buf p = BUF_INIT(0);
		for (const char *s = rt->pattern; *s;) {
			if (starts(s, ":id")) {
				buf_printf(&p, "%lld", (long long)A.task_a);
				s += 3;
			} else {
				buf_putc(&p, *s++);
			}
		}
		buf_putc(&p, '\0');
		char *path = buf_detach(&p, NULL);
		bool get = strcmp(rt->method, "GET") == 0;
		for (int u = 0; u < U__MAX; u++) {
			bool may = app_role_may(A.who[u].role, rt->perm);
			if (may && !get)
				continue;
			struct req *r = app_req(u, get ? WEB_GET : WEB_POST, path, NULL);
			char *b = app_body(r);
			if ((r->resp.status == 403) == may)
				fail_msg("%s %s as %s: %d", rt->method, path,
					 role_name(A.who[u].role), r->resp.status);
			if (!may)
				assert_true(has(b, "不能进行此操作"));
			free(b);
			app_req_free(r);
		}
		free(path);
	}
}

/* POST a task action as u on task id, with the task's current version and
 * the form fields that follow (name, value, …, NULL); returns the status,
 * and the redirect's target in where. */
static int app_act(int u, int64_t id, const char *action, char *where, size_t n, ...)
{
	int32_t today;
	assert_int_equal(store_today(app_cfg.today, &today, NULL), RC_OK);
	struct task t;
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], id, today, &t, NULL), RC_OK);
	char ver[24], path[64];
	snprintf(ver, sizeof ver, "%lld", (long long)t.version);
	task_release(&t);
	snprintf(path, sizeof path, "/tasks/%lld/%s", (long long)id, action);
	struct req *r = xmalloc(sizeof *r);
	web_req_init(r);
	r->method = WEB_POST;
	r->path = xstrdup(path);
	r->host = xstrdup("127.0.0.1:8080");
	r->cookie_session = xstrdup(A.token[u]);
	r->csrf_header = xstrdup(A.csrf[u]);
	r->body_kind = WEB_BODY_FORM;
	assert_int_equal(web_req_add(r, true, "version", ver, strlen(ver)), RC_OK);
	va_list ap;
	va_start(ap, n);
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		assert_int_equal(web_req_add(r, true, k, v, strlen(v)), RC_OK);
	}
	va_end(ap);
	web_dispatch(&rectify_app, r);
	int status = r->resp.status;
	if (status != 303) {
		char *b = app_body(r);
		char *m = strstr(b, "flash err");
		fprintf(stderr, "%.300s\n", m ? m : b);
		free(b);
	}
	snprintf(where, n, "%s", r->resp.location ? r->resp.location : "");
	app_req_free(r);
	return status;
}

/* A task action's handler does the action its route was authorised for,
 * read from the request and not from the URL: one handler serves 催办,
 * 申请销号 and 退回, another both the request for more time and its
 * decision, and each lands on the task with the flash of that action. */
static void test_app_task_actions_by_route(void **state)
{
	(void)state;
	static const struct {
		int u;
		const char *action, *k1, *v1, *k2, *v2;
		enum task_status after;
	} steps[] = {
		{U_ADMIN, "assign", "goal", "按期完成整改", NULL, NULL, TASK_IN_PROGRESS},
		{U_REVIEWER, "urge", "message", "请加快进度", NULL, NULL, TASK_IN_PROGRESS},
		{U_LEADER, "extend", "to", "2024-09-30", "reason", "需要调研", TASK_IN_PROGRESS},
		{U_REVIEWER, "extend-decide", "decision", "refuse", "reason", "时限不变",
		 TASK_IN_PROGRESS},
		{U_LEADER, "submit", "reason", "已完成", NULL, NULL, TASK_SUBMITTED},
		{U_REVIEWER, "return", "reason", "佐证不足", NULL, NULL, TASK_IN_PROGRESS},
	};
	int32_t today;
	assert_int_equal(store_today(app_cfg.today, &today, NULL), RC_OK);
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		char where[128], want[128];
		int st = app_act(steps[i].u, A.task_a, steps[i].action, where, sizeof where,
				 steps[i].k1, steps[i].v1, steps[i].k2, steps[i].v2, NULL);
		if (st != 303)
			fail_msg("%s: %d", steps[i].action, st);
		snprintf(want, sizeof want, "/tasks/%lld?ok=%s", (long long)A.task_a,
			 steps[i].action);
		assert_string_equal(where, want);
		struct task t;
		assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_a, today, &t, NULL),
				 RC_OK);
		assert_int_equal(t.status, steps[i].after);
		const struct task_event *last = &t.events[t.n_events - 1];
		const char *want_event = strcmp(steps[i].action, "extend-decide") == 0
						 ? "extend-refuse"
						 : steps[i].action;
		if (strcmp(last->action, want_event) != 0)
			fail_msg("%s: the last event is %s", steps[i].action, last->action);
		task_release(&t);
	}
}

static void test_app_evidence_streams(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof path, "/evidence/%lld", (long long)A.evidence);
	struct req *r = app_req(U_OBSERVER, WEB_GET, path, NULL);
	assert_int_equal(r->resp.status, 200);
	assert_non_null(r->resp.reader);
	assert_int_equal(r->resp.reader_size, sizeof A.blob);
	assert_string_equal(r->resp.ctype, "image/png");
	assert_int_equal(r->resp.body.len, 0);  /* nothing copied up front */
	const char *cd = NULL;
	for (unsigned i = 0; i < r->resp.nhdr; i++)
		if (strcmp(r->resp.hdr[i].name, "Content-Disposition") == 0)
			cd = r->resp.hdr[i].value;
	assert_non_null(cd);
	assert_true(has(cd, "attachment; filename=\"file.bin\"; filename*=UTF-8''%E4%BD%90%E8%AF%81%20"));
	/* Read it as the server would, in pieces of odd sizes. */
	unsigned char *got = xmalloc(sizeof A.blob);
	uint64_t pos = 0;
	while (pos < sizeof A.blob) {
		size_t want = 7001;
		if (want > sizeof A.blob - pos)
			want = sizeof A.blob - pos;
		ssize_t n = r->resp.reader(r->resp.reader_cls, pos, (char *)got + pos, want);
		assert_int_equal(n, want); /* all that was asked for, up to the end */
		pos += (uint64_t)n;
	}
	assert_memory_equal(got, A.blob, sizeof A.blob);
	/* Past the end: an error, so a server would cut the connection. */
	char one;
	assert_int_equal(r->resp.reader(r->resp.reader_cls, sizeof A.blob, &one, 1), -1);
	free(got);
	app_req_free(r);
	/* Shown in place when asked: an image by its bytes, in a sandbox. */
	snprintf(path, sizeof path, "/evidence/%lld?inline=1", (long long)A.evidence);
	r = app_req(U_OBSERVER, WEB_GET, path, NULL);
	assert_int_equal(r->resp.status, 200);
	assert_string_equal(r->resp.ctype, "image/png");
	const char *disp = NULL, *csp = NULL;
	for (unsigned i = 0; i < r->resp.nhdr; i++) {
		if (strcmp(r->resp.hdr[i].name, "Content-Disposition") == 0)
			disp = r->resp.hdr[i].value;
		if (strcmp(r->resp.hdr[i].name, "Content-Security-Policy") == 0)
			csp = r->resp.hdr[i].value;
	}
	assert_non_null(disp);
	assert_true(has(disp, "inline; filename="));
	assert_non_null(csp);
	assert_string_equal(csp, "sandbox");
	app_req_free(r);
	/* The task page shows the image as a thumbnail, the HTML file as a
	 * download only. */
	char *tp = task_path(A.task_a, ""), *html = NULL;
	assert_int_equal(app_get(U_OBSERVER, tp, &html), 200);
	snprintf(path, sizeof path, "<img src=\"/evidence/%lld?inline=1\"", (long long)A.evidence);
	assert_true(has(html, path));
	snprintf(path, sizeof path, "/evidence/%lld?inline=1", (long long)A.evidence_html);
	assert_false(has(html, path));
	free(html);
	free(tp);
	/* The 销号审批表 of the task: the evidence listed, blanks to sign;
	 * outside the caller's units, not found. */
	tp = task_path(A.task_a, "/form");
	assert_int_equal(app_get(U_OBSERVER, tp, &html), 200);
	assert_true(has(html, "整改事项销号审批表"));
	assert_true(has(html, "页面.html"));
	assert_true(has(html, "签字："));
	free(html);
	assert_int_equal(app_get(U_HANDLER2, tp, NULL), 404);
	free(tp);
	/* HTML evidence: never as HTML, not even when asked to show it. */
	for (int shown = 0; shown < 2; shown++) {
		snprintf(path, sizeof path, "/evidence/%lld%s", (long long)A.evidence_html,
			 shown ? "?inline=1" : "");
		r = app_req(U_LEADER, WEB_GET, path, NULL);
		assert_int_equal(r->resp.status, 200);
		assert_string_equal(r->resp.ctype, "application/octet-stream");
		for (unsigned i = 0; i < r->resp.nhdr; i++)
			if (strcmp(r->resp.hdr[i].name, "Content-Disposition") == 0)
				assert_true(has(r->resp.hdr[i].value, "attachment;"));
		app_req_free(r);
	}
	/* Out of scope: 404, and no reader left behind. */
	r = app_req(U_HANDLER2, WEB_GET, path, NULL);
	assert_int_equal(r->resp.status, 404);
	assert_null(r->resp.reader);
	app_req_free(r);
}

/* The admin page's forms carry the version they were drawn with: a change
 * made against a stale one is refused (409, in Chinese) and writes nothing;
 * a form without a version is refused outright. */
static void test_app_admin_forms_versions(void **state)
{
	(void)state;
	struct err e = {0};
	struct arena ar = {0};
	const int64_t uid = A.who[U_HANDLER2].user_id;
	struct user u;
	assert_int_equal(store_user_get(A.st, uid, &u, &ar, &e), RC_OK);
	const int64_t v0 = u.version;
	char *html = NULL;
	assert_int_equal(app_get(U_ADMIN, "/admin", &html), 200);
	/* Every column is named (axe-core: empty-table-header). */
	assert_null(strstr(html, "<th></th>"));
	char *want = xasprintf("action=\"/admin/users/%lld\"", (long long)uid);
	char *form = strstr(html, want);
	assert_non_null(form);
	char *vfield = xasprintf("name=\"version\" value=\"%lld\"", (long long)v0);
	char *end = strstr(form, "</form>");
	assert_non_null(end);
	char *at = strstr(form, vfield);
	assert_true(at && at < end);
	free(vfield);
	free(want);
	free(html);
	char *p = xasprintf("/admin/users/%lld", (long long)uid);
	char ver[24], unit[24];
	snprintf(ver, sizeof ver, "%lld", (long long)v0);
	snprintf(unit, sizeof unit, "%lld", (long long)A.unit_b);
	/* A save that changes nothing writes nothing. */
	struct req *r = app_req(U_ADMIN, WEB_POST, p, "version", ver, "role", "handler", "unit",
				unit, "active", "1", NULL);
	assert_int_equal(r->resp.status, 400);
	html = app_body(r);
	assert_true(has(html, "内容没有变化，无需保存。"));
	free(html);
	app_req_free(r);
	assert_int_equal(store_user_get(A.st, uid, &u, &ar, &e), RC_OK);
	assert_int_equal(u.version, v0);
	/* The first save wins ... */
	r = app_req(U_ADMIN, WEB_POST, p, "version", ver, "role", "leader", "unit", unit, "active",
		    "1", NULL);
	assert_int_equal(r->resp.status, 303);
	app_req_free(r);
	assert_int_equal(store_user_get(A.st, uid, &u, &ar, &e), RC_OK);
	assert_int_equal(u.version, v0 + 1);
	/* ... the second, drawn from the same page, is told the user changed. */
	r = app_req(U_ADMIN, WEB_POST, p, "version", ver, "role", "observer", "unit", "0", "active",
		    "0", NULL);
	assert_int_equal(r->resp.status, 409);
	html = app_body(r);
	assert_true(has(html, "内容已被他人修改，请刷新页面，看过最新内容后再操作。"));
	free(html);
	app_req_free(r);
	/* No version: refused before anything is read. */
	r = app_req(U_ADMIN, WEB_POST, p, "role", "observer", "unit", "0", "active", "0", NULL);
	assert_int_equal(r->resp.status, 400);
	app_req_free(r);
	assert_int_equal(store_user_get(A.st, uid, &u, &ar, &e), RC_OK);
	assert_int_equal(u.version, v0 + 1);
	assert_int_equal(u.role, ROLE_LEADER);
	assert_int_equal(u.active, 1);
	/* Back to a handler, for the tests that follow. */
	snprintf(ver, sizeof ver, "%lld", (long long)(v0 + 1));
	r = app_req(U_ADMIN, WEB_POST, p, "version", ver, "role", "handler", "unit", unit, "active",
		    "1", NULL);
	assert_int_equal(r->resp.status, 303);
	app_req_free(r);
	free(p);
	/* A unit's name and a setting: the same. */
	struct unit un;
	assert_int_equal(store_unit_get(A.st, A.unit_b, &un, &ar, &e), RC_OK);
	snprintf(ver, sizeof ver, "%lld", (long long)un.version);
	char parent[24];
	snprintf(parent, sizeof parent, "%lld", (long long)un.parent_id);
	p = xasprintf("/admin/units/%lld", (long long)A.unit_b);
	char *name = xasprintf("%s（甲）", un.name);
	r = app_req(U_ADMIN, WEB_POST, p, "version", ver, "name", name, "parent", parent, NULL);
	assert_int_equal(r->resp.status, 303);
	app_req_free(r);
	r = app_req(U_ADMIN, WEB_POST, p, "version", ver, "name", "别的名字", "parent", parent, NULL);
	assert_int_equal(r->resp.status, 409);
	app_req_free(r);
	assert_int_equal(store_unit_get(A.st, A.unit_b, &un, &ar, &e), RC_OK);
	assert_string_equal(un.name, name);
	free(name);
	free(p);
	r = app_req(U_ADMIN, WEB_POST, "/admin/settings", "version", "0", "key", "review_months",
		    "value", "12", NULL);
	assert_int_equal(r->resp.status, 303);
	app_req_free(r);
	r = app_req(U_ADMIN, WEB_POST, "/admin/settings", "version", "0", "key", "review_months",
		    "value", "3", NULL);
	assert_int_equal(r->resp.status, 409);
	app_req_free(r);
	int64_t months, mver;
	assert_int_equal(store_setting_get(A.st, SETTING_REVIEW_MONTHS, &months, &mver, &e), RC_OK);
	assert_int_equal(months, 12);
	assert_int_equal(mver, 1);
	/* Put things back for the tests that follow. */
	assert_int_equal(store_setting_set(A.st, &A.who[U_ADMIN], SETTING_REVIEW_MONTHS, 6, 1, NULL,
					   &e),
			 RC_OK);
	arena_release(&ar);
}

static void test_app_session_idle_and_absolute(void **state)
{
	(void)state;
	const int64_t t0 = A.now, h = 3600;
	char token[STORE_TOKEN_HEX], csrf[STORE_TOKEN_HEX];
	/* A fresh session for the observer. */
	assert_int_equal(store_session_new(A.st, A.who[U_OBSERVER].user_id, t0, app_cfg.session_max,
					   token, csrf, NULL),
			 RC_OK);
	memcpy(A.token[U_OBSERVER], token, sizeof token);
	/* Used every 11 hours: alive for the whole week, although it is far
	 * past 12 hours since login. */
	int64_t t;
	for (t = t0 + 11 * h; t < t0 + 7 * 24 * h; t += 11 * h) {
		A.now = t;
		assert_int_equal(app_get(U_OBSERVER, "/api/v1/tasks", NULL), 200);
	}
	/* Seven days after login it ends, however recently it was used. */
	A.now = t0 + 7 * 24 * h;
	assert_int_equal(app_get(U_OBSERVER, "/api/v1/tasks", NULL), 401);

	/* Idle: 12 hours without use ends it; the purge deletes the row. */
	A.now = t0;
	assert_int_equal(store_session_new(A.st, A.who[U_OBSERVER].user_id, t0, app_cfg.session_max,
					   token, csrf, NULL),
			 RC_OK);
	memcpy(A.token[U_OBSERVER], token, sizeof token);
	A.now = t0 + 2 * h;
	assert_int_equal(app_get(U_OBSERVER, "/api/v1/tasks", NULL), 200);
	A.now = t0 + 14 * h;   /* 12 h after the last use */
	assert_int_equal(app_get(U_OBSERVER, "/api/v1/tasks", NULL), 200);
	A.now = t0 + 26 * h + 1;
	struct req *r = app_req(U_OBSERVER, WEB_GET, "/tasks", NULL);
	assert_int_equal(r->resp.status, 303);
	assert_string_equal(r->resp.location, "/login?next=/tasks&ended=1");
	assert_non_null(r->new_cookie);
	assert_true(has(r->new_cookie, "Max-Age=0"));
	app_req_free(r);
	struct who w;
	assert_int_equal(store_session_get(A.st, token, A.now, app_cfg.session_idle, &w, NULL, NULL,
					   NULL, NULL),
			 RC_AUTH);
	app_tick(NULL);
	assert_int_equal(store_session_get(A.st, token, t0 + 3 * h, 0, &w, NULL, NULL, NULL, NULL),
			 RC_AUTH);
	/* The tick purges every idle row: the fixture's sessions, unused since
	 * t0, are gone too (a fresh set is made at the end). */
	assert_int_equal(store_session_get(A.st, A.token[U_HANDLER], t0, 0, &w, NULL, NULL, NULL,
					   NULL),
			 RC_AUTH);

	/* The idle clock is the row's last_seen: a server restart (the memory
	 * of web_idle.c gone) keeps a session that was in use alive, and still
	 * ends one left idle. */
	A.now = t0;
	assert_int_equal(store_session_new(A.st, A.who[U_OBSERVER].user_id, t0, app_cfg.session_max,
					   token, csrf, NULL),
			 RC_OK);
	memcpy(A.token[U_OBSERVER], token, sizeof token);
	A.now = t0 + 11 * h;
	assert_int_equal(app_get(U_OBSERVER, "/api/v1/tasks", NULL), 200);
	int64_t seen = 0;
	assert_int_equal(store_session_get(A.st, token, A.now, app_cfg.session_idle, &w, NULL, NULL,
					   &seen, NULL),
			 RC_OK);
	assert_int_equal(seen, t0 + 11 * h); /* written: the last write was long ago */
	/* Uses within a minute of a write stay in memory. */
	A.now = t0 + 11 * h + 30;
	assert_int_equal(app_get(U_OBSERVER, "/api/v1/tasks", NULL), 200);
	assert_int_equal(store_session_get(A.st, token, A.now, app_cfg.session_idle, &w, NULL, NULL,
					   &seen, NULL),
			 RC_OK);
	assert_int_equal(seen, t0 + 11 * h);
	web_idle_reset();
	app_session_cache_clear();
	A.now = t0 + 13 * h;   /* 2 h after its last use, 13 h after login */
	assert_int_equal(app_get(U_OBSERVER, "/api/v1/tasks", NULL), 200);
	web_idle_reset();
	app_session_cache_clear();
	A.now = t0 + 25 * h + 1; /* 12 h and a second after that use */
	assert_int_equal(app_get(U_OBSERVER, "/api/v1/tasks", NULL), 401);

	/* The tick deletes the rows of sessions past their lifetime. */
	A.now = t0;
	assert_int_equal(store_session_new(A.st, A.who[U_OBSERVER].user_id, t0, 60, token, csrf,
					   NULL),
			 RC_OK);
	A.now = t0 + 61;
	app_tick(NULL);
	assert_int_equal(store_session_get(A.st, token, t0 + 1, 0, &w, NULL, NULL, NULL, NULL),
			 RC_AUTH);
	int purged = -1;
	assert_int_equal(store_session_purge(A.st, t0 + 61, app_cfg.session_idle, &purged, NULL),
			 RC_OK);
	assert_int_equal(purged, 0);

	A.now = t0;
	web_idle_reset();
	app_session_cache_clear();
	for (int i = 0; i < U__MAX; i++)
		assert_int_equal(store_session_new(A.st, A.who[i].user_id, A.now, app_cfg.session_max,
						   A.token[i], A.csrf[i], NULL),
				 RC_OK);
}

static void test_app_password_change_ends_other_sessions(void **state)
{
	(void)state;
	const int64_t t0 = A.now;
	char other[STORE_TOKEN_HEX], csrf[STORE_TOKEN_HEX];
	assert_int_equal(store_session_new(A.st, A.who[U_HANDLER].user_id, t0, app_cfg.session_max,
					   other, csrf, NULL),
			 RC_OK);
	struct req *r = app_req(U_HANDLER, WEB_POST, "/password", "old", "password-1", "new",
				"password-2", "again", "password-2", NULL);
	assert_int_equal(r->resp.status, 303);
	assert_string_equal(r->resp.location, "/password?ok=password");
	/* This browser gets a new session... */
	assert_non_null(r->new_cookie);
	assert_int_equal(strncmp(r->new_cookie, WEB_COOKIE "=", strlen(WEB_COOKIE) + 1), 0);
	char fresh[STORE_TOKEN_HEX];
	snprintf(fresh, sizeof fresh, "%.64s", r->new_cookie + strlen(WEB_COOKIE) + 1);
	assert_true(web_token_valid(fresh));
	assert_string_not_equal(fresh, A.token[U_HANDLER]);
	app_req_free(r);
	/* ... the old cookie and the other browser's are dead ... */
	struct who w;
	assert_int_equal(store_session_get(A.st, A.token[U_HANDLER], t0, 0, &w, NULL, NULL, NULL, NULL),
			 RC_AUTH);
	assert_int_equal(store_session_get(A.st, other, t0, 0, &w, NULL, NULL, NULL, NULL), RC_AUTH);
	assert_int_equal(app_get(U_HANDLER, "/api/v1/tasks", NULL), 401);
	/* ... and the new one works. */
	assert_int_equal(store_session_get(A.st, fresh, t0, 0, &w, csrf, NULL, NULL, NULL), RC_OK);
	memcpy(A.token[U_HANDLER], fresh, sizeof fresh);
	memcpy(A.csrf[U_HANDLER], csrf, sizeof csrf);
	assert_int_equal(app_get(U_HANDLER, "/api/v1/tasks", NULL), 200);
	/* A wrong current password changes nothing. */
	r = app_req(U_HANDLER, WEB_POST, "/password", "old", "password-1", "new", "password-3",
		    "again", "password-3", NULL);
	assert_int_equal(r->resp.status, 400);
	app_req_free(r);
	assert_int_equal(app_get(U_HANDLER, "/api/v1/tasks", NULL), 200);
}

/* ---- downloads and the spreadsheet import ------------------------------------------------ */

static const char *resp_header(const struct req *r, const char *name)
{
	for (unsigned i = 0; i < r->resp.nhdr; i++)
		if (strcmp(r->resp.hdr[i].name, name) == 0)
			return r->resp.hdr[i].value;
	return NULL;
}

/* GET path as u and run the job the handler left, as a job thread would. */
static struct req *app_job(int u, const char *path)
{
	struct req *r = app_req(u, WEB_GET, path, NULL);
	if (r->resp.job) {
		assert_int_equal(r->resp.status, 0);    /* nothing answered yet */
		web_job_run(&rectify_app, r);
		assert_null(r->resp.job);
		assert_null(r->ctx);                    /* the app's end ran */
	}
	return r;
}

/* The file a download sends, whole. */
static char *resp_file(const struct req *r, size_t *len)
{
	assert_true(r->resp.fd >= 0);
	struct stat st;
	assert_int_equal(fstat(r->resp.fd, &st), 0);
	assert_int_equal((uint64_t)st.st_size, r->resp.fd_size);
	assert_int_equal(st.st_nlink, 0);          /* already removed from the disk */
	char *p = xmalloc(r->resp.fd_size + 1);
	assert_int_equal(pread(r->resp.fd, p, r->resp.fd_size, 0), (ssize_t)r->resp.fd_size);
	p[r->resp.fd_size] = '\0';
	*len = r->resp.fd_size;
	return p;
}

/* The problems of a ledger file, as the importer reads them back. */
static size_t sheet_rows(const char *data, size_t len, const char *name, struct sheet_ledger *m)
{
	struct sheet sh;
	struct err e = {0};
	assert_int_equal(sheet_read(data, len, name, &sh, &e), RC_OK);
	assert_int_equal(sheet_ledger_map(&sh, 2024, m, &e), RC_OK);
	sheet_release(&sh);
	return m->n_rows;
}

/* Exports write under $TMPDIR: a fresh one per test, which must be empty
 * again at the end (tmpdir_end removes it, and fails when it cannot). */
static char export_tmp[64];

static void tmpdir_begin(void)
{
	snprintf(export_tmp, sizeof export_tmp, "/tmp/rectify-test-exports-XXXXXX");
	assert_non_null(mkdtemp(export_tmp));
	setenv("TMPDIR", export_tmp, 1);
}

static void tmpdir_end(void)
{
	unsetenv("TMPDIR");
	assert_int_equal(rmdir(export_tmp), 0);   /* nothing left behind */
}

/* The audit log: the office, reviewers and observers read it, in words,
 * filtered by task, person, action and days; others are refused. */
static void test_app_audit_log(void **state)
{
	(void)state;
	struct err e = {0};
	int32_t today;
	assert_int_equal(store_today(app_cfg.today, &today, &e), RC_OK);
	/* Task a: progress, 申请销号, and 退回 with a reason. */
	struct task t;
	assert_int_equal(store_task_get(A.st, &A.who[U_LEADER], A.task_a, today, &t, &e), RC_OK);
	int64_t v = t.version, pid;
	int seq = t.seq;
	task_release(&t);
	assert_int_equal(store_task_progress(A.st, &A.who[U_LEADER], A.task_a, v, "已完成自查", NULL,
					     0, today, &pid, &v, &e),
			 RC_OK);
	assert_int_equal(store_task_act(A.st, &A.who[U_LEADER], A.task_a, v, TACT_SUBMIT, NULL, today,
					&v, &e),
			 RC_OK);
	assert_int_equal(store_task_act(A.st, &A.who[U_REVIEWER], A.task_a, v, TACT_RETURN,
					"佐证不足，补充会议记录", today, &v, &e),
			 RC_OK);
	char *path = xasprintf("/audit?task=%lld", (long long)A.task_a), *html = NULL;
	char want[64];
	snprintf(want, sizeof want, "第%d项", seq);
	/* The observer reads it, in words, the chain verified. */
	assert_int_equal(app_get(U_OBSERVER, path, &html), 200);
	assert_true(has(html, "校验通过"));
	assert_true(has(html, "钱审核"));
	assert_true(has(html, "退回"));
	assert_true(has(html, want));
	assert_true(has(html, "：佐证不足，补充会议记录"));
	assert_true(has(html, "<details>"));            /* the hash on demand */
	free(html);
	/* By action: only the 退回; by person: only theirs. */
	assert_int_equal(app_get(U_REVIEWER, "/audit?action=return", &html), 200);
	assert_true(has(html, "佐证不足"));
	assert_false(has(html, "已完成自查"));
	assert_false(has(html, "王领导"));
	free(html);
	assert_int_equal(app_get(U_ADMIN, "/audit?actor=leader&action=submit", &html), 200);
	assert_true(has(html, "王领导"));
	assert_false(has(html, "钱审核"));
	free(html);
	/* By days: none in a year to come, today's in today. */
	assert_int_equal(app_get(U_OBSERVER, "/audit?from=2099-01-01", &html), 200);
	assert_true(has(html, "没有符合条件的记录"));
	free(html);
	/* Others: refused, and not offered the link on the task page. */
	assert_int_equal(app_get(U_LEADER, "/audit", NULL), 403);
	assert_int_equal(app_get(U_HANDLER, "/audit", NULL), 403);
	char *tp = task_path(A.task_a, "");
	assert_int_equal(app_get(U_LEADER, tp, &html), 200);
	assert_false(has(html, "/audit?task="));
	free(html);
	assert_int_equal(app_get(U_OBSERVER, tp, &html), 200);
	assert_true(has(html, "/audit?task="));
	free(html);
	free(tp);
	free(path);
}

/* The office relinks a task to other measures on the task page: the form
 * lists the report's measures, ticked as linked; what is sent replaces
 * them. */
static void test_app_relink_measures(void **state)
{
	(void)state;
	struct err e = {0};
	int32_t today;
	assert_int_equal(store_today(app_cfg.today, &today, &e), RC_OK);
	struct report rp = {0};
	assert_int_equal(store_report_get(A.st, &A.who[U_ADMIN], A.report, &rp, &e), RC_OK);
	int64_t m[2] = {0, 0};
	size_t nm = 0;
	for (size_t i = 0; i < rp.n_nodes && nm < 2; i++)
		if (rp.nodes[i].role == DOC_ROLE_MEASURES && rp.nodes[i].kind != NODE_SECTION &&
		    rp.nodes[i].kind != NODE_EXAMPLE)
			m[nm++] = rp.nodes[i].id;
	report_release(&rp);
	assert_int_equal(nm, 2);
	struct task t;
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_c, today, &t, &e), RC_OK);
	char ver[24], id0[24], id1[24], box[64];
	snprintf(ver, sizeof ver, "%lld", (long long)t.version);
	task_release(&t);
	snprintf(id0, sizeof id0, "%lld", (long long)m[0]);
	snprintf(id1, sizeof id1, "%lld", (long long)m[1]);
	/* Task a's measure makes a commitment: its counter is on the page. */
	char *pa = task_path(A.task_a, ""), *html = NULL;
	assert_int_equal(app_get(U_OBSERVER, pa, &html), 200);
	assert_true(has(html, "量化承诺"));
	assert_true(has(html, "序时应达"));
	assert_true(has(html, "要求 12次"));
	free(html);
	free(pa);
	/* The form offers both. */
	char *page = task_path(A.task_c, "");
	assert_int_equal(app_get(U_ADMIN, page, &html), 200);
	snprintf(box, sizeof box, "name=\"measure\" value=\"%s\"", id1);
	assert_true(has(html, box));
	free(html);
	/* Linked to the second one only. */
	char *path = task_path(A.task_c, "/assign");
	struct req *r = app_req(U_ADMIN, WEB_POST, path, "version", ver, "goal", "", "measures_shown",
				"1", "measure", id1, NULL);
	assert_int_equal(r->resp.status, 303);
	app_req_free(r);
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_c, today, &t, &e), RC_OK);
	assert_int_equal(t.n_measures, 1);
	assert_int_equal(t.measures[0].node_id, m[1]);
	snprintf(ver, sizeof ver, "%lld", (long long)t.version);
	task_release(&t);
	/* A node that is no measure: refused, nothing changed. */
	r = app_req(U_ADMIN, WEB_POST, path, "version", ver, "goal", "", "measures_shown", "1", "measure",
		    "999999", NULL);
	assert_true(r->resp.status >= 400 && r->resp.status < 500);
	app_req_free(r);
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_c, today, &t, &e), RC_OK);
	assert_int_equal(t.n_measures, 1);
	assert_int_equal(t.measures[0].node_id, m[1]);
	/* A commitment ticked links the measure that states it (the first),
	 * beside the measures ticked. */
	struct commitment_list cl = {0};
	assert_int_equal(store_commitment_list(A.st, &A.who[U_ADMIN], t.campaign_id, today, &cl, &e),
			 RC_OK);
	int64_t c0 = 0, node;
	for (size_t i = 0; i < cl.n && !c0; i++) {
		assert_int_equal(store_commitment_measure(A.st, &A.who[U_ADMIN], cl.v[i].id, &node, &e),
				 RC_OK);
		if (node == m[0])
			c0 = cl.v[i].id;
	}
	commitment_list_release(&cl);
	assert_true(c0 > 0);
	char cid[24];
	snprintf(cid, sizeof cid, "%lld", (long long)c0);
	snprintf(ver, sizeof ver, "%lld", (long long)t.version);
	task_release(&t);
	r = app_req(U_ADMIN, WEB_POST, path, "version", ver, "goal", "", "measures_shown", "1",
		    "measure", id1, "measure", id0, "commitment", cid, NULL);
	assert_int_equal(r->resp.status, 303);
	app_req_free(r);
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_c, today, &t, &e), RC_OK);
	assert_int_equal(t.n_measures, 2);
	assert_int_equal(t.measures[0].node_id + t.measures[1].node_id, m[0] + m[1]);
	snprintf(ver, sizeof ver, "%lld", (long long)t.version);
	task_release(&t);
	/* The same measures again, the first through its commitment. */
	r = app_req(U_ADMIN, WEB_POST, path, "version", ver, "goal", "", "measures_shown", "1",
		    "measure", id1, "commitment", cid, NULL);
	assert_int_equal(r->resp.status, 303);
	app_req_free(r);
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_c, today, &t, &e), RC_OK);
	assert_int_equal(t.n_measures, 2);
	assert_int_equal(t.measures[0].node_id + t.measures[1].node_id, m[0] + m[1]);
	task_release(&t);
	free(path);
	free(page);
}

static void test_app_export_ledger_scoped(void **state)
{
	(void)state;
	tmpdir_begin();
	/* The office: every task, as a workbook the importer reads back. */
	struct req *r = app_job(U_ADMIN, "/export/ledger?format=xlsx");
	assert_int_equal(r->resp.status, 200);
	assert_string_equal(r->resp.ctype,
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	const char *cd = resp_header(r, "Content-Disposition");
	assert_non_null(cd);
	/* 整改台账-2024-04-24.xlsx */
	assert_string_equal(cd, "attachment; filename=\"file.xlsx\"; filename*=UTF-8''"
				"%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6-2024-04-24.xlsx");
	size_t len;
	char *data = resp_file(r, &len);
	struct sheet_ledger m = {0};
	assert_int_equal(sheet_rows(data, len, "x.xlsx", &m), 3);
	sheet_ledger_release(&m);
	free(data);
	app_req_free(r);
	/* A handler of unit a: its task only, and a name that says whose. */
	r = app_job(U_HANDLER, "/api/v1/export?format=csv");
	assert_int_equal(r->resp.status, 200);
	assert_string_equal(r->resp.ctype, "text/csv; charset=utf-8");
	assert_true(has(resp_header(r, "Content-Disposition"),
			"%E4%BA%A7%E4%B8%9A%E5%8F%91%E5%B1%95%E8%82%A1-2024-04-24.csv")); /* 产业发展股 */
	data = resp_file(r, &len);
	assert_int_equal(memcmp(data, "\xEF\xBB\xBF", 3), 0);
	assert_int_equal(sheet_rows(data, len, "x.csv", &m), 1);
	assert_true(has(m.rows[0].problem, "学习不够深入"));   /* task a */
	assert_string_equal(m.rows[0].unit, "产业发展股");
	sheet_ledger_release(&m);
	free(data);
	app_req_free(r);
	/* handler2 (the other unit) sees task b only. */
	r = app_job(U_HANDLER2, "/export/ledger?format=csv");
	data = resp_file(r, &len);
	assert_int_equal(sheet_rows(data, len, "x.csv", &m), 1);
	assert_true(has(m.rows[0].problem, "调研成果转化不够"));   /* task b */
	sheet_ledger_release(&m);
	free(data);
	app_req_free(r);
	/* A filter: the tasks /tasks shows for it, and a name that says so. */
	char path[96];
	snprintf(path, sizeof path, "/export/ledger?format=csv&unit=%lld", (long long)A.unit_b);
	r = app_job(U_OBSERVER, path);
	assert_int_equal(r->resp.status, 200);
	assert_true(has(resp_header(r, "Content-Disposition"),
			"-%E7%AD%9B%E9%80%89%E7%BB%93%E6%9E%9C-2024-04-24.csv")); /* -筛选结果- */
	data = resp_file(r, &len);
	assert_int_equal(sheet_rows(data, len, "x.csv", &m), 1);
	assert_true(has(m.rows[0].problem, "调研成果转化不够"));   /* task b */
	sheet_ledger_release(&m);
	free(data);
	app_req_free(r);
	/* A filter nothing matches: a header and no rows. */
	r = app_job(U_OBSERVER, "/export/ledger?format=xlsx&q=nothing-like-this");
	assert_int_equal(r->resp.status, 200);
	data = resp_file(r, &len);
	assert_int_equal(sheet_rows(data, len, "x.xlsx", &m), 0);
	sheet_ledger_release(&m);
	free(data);
	app_req_free(r);
	tmpdir_end();
}

static void test_app_export_report(void **state)
{
	(void)state;
	tmpdir_begin();
	static const struct {
		const char *format, *ctype, *ext;
	} f[] = {
		{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		 "docx"},
		{"md", "text/markdown; charset=utf-8", "md"},
		{"html", "text/html; charset=utf-8", "html"},
	};
	for (size_t i = 0; i < ARRAY_LEN(f); i++) {
		char path[96];
		snprintf(path, sizeof path, "/export/report?format=%s&as_of=2024-05-31", f[i].format);
		struct req *r = app_job(U_OBSERVER, path);
		assert_int_equal(r->resp.status, 200);
		assert_string_equal(r->resp.ctype, f[i].ctype);
		char want[160];
		/* 整改落实情况报告-2024-05-31.EXT */
		snprintf(want, sizeof want, "%%E6%%95%%B4%%E6%%94%%B9%%E8%%90%%BD%%E5%%AE%%9E%%E6%%83"
				"%%85%%E5%%86%%B5%%E6%%8A%%A5%%E5%%91%%8A-2024-05-31.%s", f[i].ext);
		assert_true(has(resp_header(r, "Content-Disposition"), want));
		size_t len;
		char *data = resp_file(r, &len);
		/* The document engine reads it back as a report. */
		struct doc *d = NULL;
		struct err e = {0};
		char name[32];
		snprintf(name, sizeof name, "r.%s", f[i].ext);
		if (strcmp(f[i].ext, "html") != 0) {
			assert_int_equal(doc_parse(data, len, name, &d, &e), RC_OK);
			assert_true(has(d->title, "整改落实情况的报告"));
			assert_int_equal(d->kind, DOC_KIND_REPORT);
			doc_free(d);
		} else {
			assert_true(has(data, "整改落实情况的报告"));
			assert_true(has(data, "<svg"));
			assert_null(strstr(data, "<script>alert"));  /* the hostile lead escaped */
		}
		free(data);
		app_req_free(r);
	}
	/* The handler's report speaks of its unit's task only. */
	struct req *r = app_job(U_HANDLER, "/api/v1/report?format=md");
	size_t len;
	char *data = resp_file(r, &len);
	assert_true(has(data, "学习不够深入"));             /* task a */
	assert_null(strstr(data, "调研成果转化不够"));      /* task b, another unit's */
	assert_null(strstr(data, "下基层次数少"));          /* task c, no unit's */
	free(data);
	app_req_free(r);
	tmpdir_end();
}

static int64_t ticking_clock(void)
{
	return A.now++;
}

static void test_app_export_refusals_and_bounds(void **state)
{
	(void)state;
	tmpdir_begin();
	char *body;
	/* The wrong family of formats, a bad day, a bad campaign: 400. */
	assert_int_equal(app_get(U_ADMIN, "/export/ledger?format=docx", NULL), 400);
	assert_int_equal(app_get(U_ADMIN, "/export/report?format=xlsx", NULL), 400);
	assert_int_equal(app_get(U_ADMIN, "/api/v1/report?format=md&as_of=2024-02-30", &body), 400);
	assert_true(has(body, "\"error\":\"invalid\""));
	assert_true(has(body, "YYYY-MM-DD"));
	free(body);
	assert_int_equal(app_get(U_ADMIN, "/export/ledger?format=xlsx&status=done", NULL), 400);
	struct req *r = app_job(U_ADMIN, "/api/v1/export?format=csv&campaign=99");
	assert_int_equal(r->resp.status, 404);
	assert_true(r->resp.fd < 0);
	app_req_free(r);
	/* Nobody: 401 for the API, the login page for the page. */
	assert_int_equal(app_get(-1, "/api/v1/export?format=csv", NULL), 401);
	assert_int_equal(app_get(-1, "/export/ledger?format=csv", NULL), 303);
	/* Past the size bound: 413, nothing sent. */
	app_cfg.export_max = 100;
	r = app_job(U_ADMIN, "/api/v1/export?format=csv");
	assert_int_equal(r->resp.status, 413);
	assert_true(r->resp.fd < 0);
	body = app_body(r);
	assert_true(has(body, "上限"));
	free(body);
	app_req_free(r);
	app_cfg.export_max = 0;
	/* Past the time bound (a clock that moves a second a look): 413. */
	int64_t (*saved)(void) = app_cfg.clock;
	int64_t t0 = A.now;
	app_cfg.clock = ticking_clock;
	app_cfg.export_s = 1;
	r = app_job(U_OBSERVER, "/export/ledger?format=xlsx");
	assert_int_equal(r->resp.status, 413);
	body = app_body(r);
	assert_true(has(body, "时限"));
	free(body);
	app_req_free(r);
	app_cfg.export_s = 0;
	app_cfg.clock = saved;
	A.now = t0;
	/* A server going down: the job gives up. */
	volatile bool stopping = true;
	r = app_req(U_ADMIN, WEB_GET, "/export/report?format=docx", NULL);
	r->stopping = &stopping;
	web_job_run(&rectify_app, r);
	assert_int_equal(r->resp.status, 429);
	app_req_free(r);
	tmpdir_end();
}

/* ---- the staged uploads ---- */

/* user n of a ledger that has users 1 … n. */
static int64_t stage_user(struct store *st, int n)
{
	char login[32];
	snprintf(login, sizeof login, "u%d", n);
	/* Behind the store's back: no password to hash. */
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO \"user\"(login, name, role, pwhash, created)"
		 " VALUES ('%s', '%s', 4, '-', '2024-01-01')", login, login);
	test_sql(st, sql);
	snprintf(sql, sizeof sql, "SELECT id FROM \"user\" WHERE login = '%s'", login);
	return test_int(st, sql);
}

/* Read back user's upload token (RC_OK with its bytes in got, or the rc). */
static enum rc stage_back(struct store *st, int64_t user, const char *token, int64_t now,
			  char *got, size_t n, char *name, size_t name_n)
{
	char *data = NULL;
	size_t len = 0;
	struct err e = {0};
	enum rc rc = stage_read(st, user, token, now, 1 << 20, "gone", &data, &len, name, name_n,
				&e);
	if (rc == RC_NOTFOUND)
		assert_string_equal(e.msg, "gone");
	if (!rc)
		snprintf(got, n, "%.*s", (int)len, data);
	free(data);
	return rc;
}

static void test_stage(void **state)
{
	(void)state;
	struct store *st = shared_store();
	int64_t u7 = stage_user(st, 7), u8 = stage_user(st, 8);
	char t1[WEB_STAGE_TOKEN], t2[WEB_STAGE_TOKEN], name[64], got[16];
	assert_int_equal(stage_put(st, u7, "first", 5, "a.csv", 1000, t1, NULL), RC_OK);
	assert_int_equal(strlen(t1), WEB_STAGE_TOKEN - 1);
	assert_int_equal(stage_back(st, u7, t1, 1001, got, sizeof got, name, sizeof name), RC_OK);
	assert_string_equal(name, "a.csv");
	assert_string_equal(got, "first");
	/* Another user's token, a wrong one, a truncated one: nothing. */
	assert_int_equal(stage_back(st, u8, t1, 1001, got, sizeof got, name, sizeof name),
			 RC_NOTFOUND);
	char bad[WEB_STAGE_TOKEN];
	memcpy(bad, t1, sizeof bad);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	assert_int_equal(stage_back(st, u7, bad, 1001, got, sizeof got, name, sizeof name),
			 RC_NOTFOUND);
	bad[10] = '\0';
	assert_int_equal(stage_back(st, u7, bad, 1001, got, sizeof got, name, sizeof name),
			 RC_NOTFOUND);
	assert_int_equal(stage_back(st, u7, NULL, 1001, got, sizeof got, name, sizeof name),
			 RC_NOTFOUND);
	/* A user's new upload replaces the old one; bytes of any value, NUL
	 * included, come back as they went. */
	assert_int_equal(stage_put(st, u7, "sec\0nd\xff", 7, "b.csv", 1002, t2, NULL), RC_OK);
	assert_int_equal(stage_back(st, u7, t1, 1003, got, sizeof got, name, sizeof name),
			 RC_NOTFOUND);
	char *data;
	size_t len;
	assert_int_equal(stage_read(st, u7, t2, 1003, 100, "gone", &data, &len, name, sizeof name,
				    NULL), RC_OK);
	assert_int_equal(len, 7);
	assert_memory_equal(data, "sec\0nd\xff", 7);
	assert_int_equal(data[7], '\0');
	free(data);
	/* Over the caller's bound: refused, not cut. */
	assert_int_equal(stage_read(st, u7, t2, 1003, 6, "gone", &data, &len, name, sizeof name,
				    NULL), RC_TOOBIG);
	assert_null(data);
	assert_int_equal(stage_count(st), 1);
	/* Expiry. */
	assert_int_equal(stage_back(st, u7, t2, 1002 + WEB_STAGE_TTL, got, sizeof got, name,
				    sizeof name), RC_NOTFOUND);
	assert_int_equal(stage_sweep(st, 1002 + WEB_STAGE_TTL, NULL), RC_OK);
	assert_int_equal(stage_count(st), 0);
	/* Bounded: past WEB_STAGE_MAX users the oldest goes. */
	int64_t users[WEB_STAGE_MAX + 1];
	for (int u = 0; u <= WEB_STAGE_MAX; u++)
		users[u] = stage_user(st, 100 + u);
	char first[WEB_STAGE_TOKEN], tok[WEB_STAGE_TOKEN];
	assert_int_equal(stage_put(st, users[0], "x", 1, "x.csv", 2000, first, NULL), RC_OK);
	for (int u = 1; u <= WEB_STAGE_MAX; u++)
		assert_int_equal(stage_put(st, users[u], "y", 1, "y.csv", 2000 + u, tok, NULL),
				 RC_OK);
	assert_int_equal(stage_count(st), WEB_STAGE_MAX);
	assert_int_equal(stage_back(st, users[0], first, 2100, got, sizeof got, name, sizeof name),
			 RC_NOTFOUND);
	assert_int_equal(stage_back(st, users[WEB_STAGE_MAX], tok, 2100, got, sizeof got, name,
				    sizeof name), RC_OK);
	stage_drop(st, users[WEB_STAGE_MAX], tok);
	assert_int_equal(stage_count(st), WEB_STAGE_MAX - 1);
	store_close(st);
}

/* An upload staged through one server is confirmed through another: two
 * handles on one database. */
static void test_stage_shared(void **state)
{
	(void)state;
	char db[256];
	struct store *one, *two;
	two_servers("/tmp/rectify-test-stage-shared.db", db, sizeof db, &one, &two);
	int64_t u = stage_user(one, 1);
	char tok[WEB_STAGE_TOKEN], got[16], name[16];
	assert_int_equal(stage_put(one, u, "bytes", 5, "r.docx", 5000, tok, NULL), RC_OK);
	assert_int_equal(stage_back(two, u, tok, 5001, got, sizeof got, name, sizeof name), RC_OK);
	assert_string_equal(got, "bytes");
	assert_string_equal(name, "r.docx");
	stage_drop(two, u, tok);
	assert_int_equal(stage_back(one, u, tok, 5002, got, sizeof got, name, sizeof name),
			 RC_NOTFOUND);
	store_close(one);
	store_close(two);
	test_db_drop(db);
}

/* POST /tasks/import with data as the file upload.csv, as u. */
static struct req *upload(int u, const char *data)
{
	struct req *r = xmalloc(sizeof *r);
	web_req_init(r);
	r->method = WEB_POST;
	r->path = xstrdup("/tasks/import");
	r->host = xstrdup("127.0.0.1:8080");
	r->cookie_session = xstrdup(A.token[u]);
	r->csrf_header = xstrdup(A.csrf[u]);
	r->body_kind = WEB_BODY_MULTIPART;
	assert_int_equal(web_req_file_begin(r, "file", "导入台账.csv", "text/csv"), RC_OK);
	assert_int_equal(web_req_file_write(r, data, strlen(data)), RC_OK);
	web_dispatch(&rectify_app, r);
	return r;
}

/* The value of the hidden field name in html ("" when none). */
static void hidden(const char *html, const char *name, char *out, size_t n)
{
	char pat[64];
	snprintf(pat, sizeof pat, "name=\"%s\" value=\"", name);
	const char *p = strstr(html, pat);
	out[0] = '\0';
	if (p)
		snprintf(out, n, "%.*s", (int)strcspn(p + strlen(pat), "\""), p + strlen(pat));
}

static int64_t task_total(void)
{
	struct task_filter f = TASK_FILTER_INIT;
	struct task_list l = {0};
	int32_t today;
	assert_int_equal(store_today(app_cfg.today, &today, NULL), RC_OK);
	assert_int_equal(store_task_list(A.st, &A.who[U_ADMIN], &f, today, &l, NULL), RC_OK);
	int64_t n = l.total;
	task_list_release(&l);
	return n;
}

static const char import_csv[] =
	"问题类别/方面,问题表现,整改措施,责任人,责任单位,完成时限,整改状态\n"
	"服务群众,窗口办事排队时间长，高峰期超过1小时,推行预约办理,王领导,产业发展股,2024-09-30,整改中\n"
	"服务群众,政策宣传不到位,印发明白纸,不存在的人,新设的办事大厅,长期坚持,未启动\n"
	"服务群众,,没有问题的一行,王领导,产业发展股,2024-10-01,整改中\n";

/* POST /tasks/import/confirm as u with the fields given, with or without
 * the CSRF token. */
static struct req *confirm(int u, bool csrf, const char *stage, const char *plan, bool skip,
			   bool again)
{
	struct req *r = xmalloc(sizeof *r);
	web_req_init(r);
	r->method = WEB_POST;
	r->path = xstrdup("/tasks/import/confirm");
	r->host = xstrdup("127.0.0.1:8080");
	r->cookie_session = xstrdup(A.token[u]);
	if (csrf)
		r->csrf_header = xstrdup(A.csrf[u]);
	r->body_kind = WEB_BODY_FORM;
	assert_int_equal(web_req_add(r, true, "stage", stage, strlen(stage)), RC_OK);
	assert_int_equal(web_req_add(r, true, "plan", plan, strlen(plan)), RC_OK);
	if (skip)
		assert_int_equal(web_req_add(r, true, "skip_bad", "1", 1), RC_OK);
	if (again)
		assert_int_equal(web_req_add(r, true, "again", "1", 1), RC_OK);
	web_dispatch(&rectify_app, r);
	return r;
}

/* Upload import_csv as the admin and read its preview's hidden fields;
 * returns the preview's URL (free it) and its body in *html (free it). */
static char *upload_preview(char stage[64], char plan[80], char **html)
{
	struct req *r = upload(U_ADMIN, import_csv);
	assert_int_equal(r->resp.status, 303);
	assert_int_equal(strncmp(r->resp.location, "/tasks/import?stage=", 20), 0);
	char *where = xstrdup(r->resp.location);
	app_req_free(r);
	assert_int_equal(app_get(U_ADMIN, where, html), 200);
	hidden(*html, "stage", stage, 64);
	hidden(*html, "plan", plan, 80);
	assert_int_equal(strlen(stage), 32);
	assert_int_equal(strlen(plan), 64);
	return where;
}

static void test_app_import_preview_confirm(void **state)
{
	(void)state;
	assert_int_equal(store_staged_clear(A.st, NULL), RC_OK);
		const int64_t before = task_total();
	int64_t unit;
	/* Only the office: others are refused before anything is read. */
	struct req *r = upload(U_HANDLER, import_csv);
	assert_int_equal(r->resp.status, 403);
	app_req_free(r);
	r = upload(U_OBSERVER, import_csv);
	assert_int_equal(r->resp.status, 403);
	app_req_free(r);
	assert_int_equal(app_get(U_REVIEWER, "/tasks/import", NULL), 403);
	assert_int_equal(stage_count(A.st), 0);
	/* A file that is no ledger: the form again, saying why. */
	char *html;
	r = upload(U_ADMIN, "just some words\nand more\n");
	assert_int_equal(r->resp.status, 400);
	html = app_body(r);
	assert_true(has(html, "没有找到表头"));
	assert_true(has(html, "type=\"file\""));
	free(html);
	app_req_free(r);
	assert_int_equal(stage_count(A.st), 0);

	/* The upload: kept, its preview at a URL of its own. */
	char stage[64], plan[80];
	char *where = upload_preview(stage, plan, &html);
	assert_true(has(html, "各列的识别结果"));
	assert_true(has(html, "责任人"));                    /* the header found for 责任领导 */
	assert_true(has(html, "完成时限"));                  /* and for 整改时限 */
	assert_true(has(html, "新设的办事大厅"));            /* a unit to create */
	assert_true(has(html, "不存在的人"));                /* a leader left out */
	assert_true(has(html, "问题表现为空"));              /* the row not understood */
	assert_true(has(html, "窗口办事排队时间长"));        /* the first rows */
	assert_true(has(html, "确认导入 2 项"));
	free(html);
	assert_int_equal(stage_count(A.st), 1);
	assert_int_equal(app_get(U_OBSERVER, where, NULL), 403);

	/* Confirmations that write nothing. */
	r = confirm(U_ADMIN, false, stage, plan, true, false);
	assert_int_equal(r->resp.status, 403);   /* no CSRF token */
	app_req_free(r);
	r = confirm(U_ADMIN, true, stage, "0000", true, false);
	assert_int_equal(r->resp.status, 409);   /* not what the preview showed */
	html = app_body(r);
	assert_true(has(html, "有了变化"));
	free(html);
	app_req_free(r);
	r = confirm(U_ADMIN, true, stage, plan, false, false);
	assert_int_equal(r->resp.status, 400);   /* a row not understood, not skipped */
	html = app_body(r);
	assert_true(has(html, "有 1 行无法识别"));
	free(html);
	app_req_free(r);
	r = confirm(U_ADMIN, true, "0123456789abcdef0123456789abcdef", plan, true, false);
	assert_int_equal(r->resp.status, 404);   /* no such upload */
	app_req_free(r);
	assert_int_equal(task_total(), before);
	assert_int_equal(store_unit_find(A.st, "新设的办事大厅", &unit, NULL), RC_NOTFOUND);

	/* Confirmed, skipping the bad row: the unit, then the two rows. */
	r = confirm(U_ADMIN, true, stage, plan, true, false);
	assert_int_equal(r->resp.status, 303);
	assert_string_equal(r->resp.location, "/tasks?ok=ledger&n=2");
	app_req_free(r);
	assert_int_equal(task_total(), before + 2);
	assert_int_equal(store_unit_find(A.st, "新设的办事大厅", &unit, NULL), RC_OK);
	assert_int_equal(stage_count(A.st), 0);      /* used up */
	assert_int_equal(app_get(U_ADMIN, where, &html), 404);
	assert_true(has(html, "已过期"));
	free(html);
	free(where);
	assert_int_equal(app_get(U_ADMIN, "/tasks?ok=ledger&n=2", &html), 200);
	assert_true(has(html, "台账已导入，生成了 2 项整改事项。"));
	free(html);
	/* The leader no account answers to: no leader, the name kept. */
	struct task_filter f = TASK_FILTER_INIT;
	f.q = "政策宣传不到位";
	struct task_list l = {0};
	int32_t today;
	assert_int_equal(store_today(app_cfg.today, &today, NULL), RC_OK);
	assert_int_equal(store_task_list(A.st, &A.who[U_ADMIN], &f, today, &l, NULL), RC_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.rows[0].leader_id, 0);
	assert_string_equal(l.rows[0].leader_text, "不存在的人");
	char *tp = task_path(l.rows[0].id, "");
	task_list_release(&l);
	assert_int_equal(app_get(U_ADMIN, tp, &html), 200);
	assert_true(has(html, "不存在的人（台账所填，未关联账号）"));
	free(html);
	free(tp);
	/* The ledger's row names it too, and the API gives it as leader_text. */
	assert_int_equal(app_get(U_ADMIN, "/tasks?q=政策宣传", &html),
			 200);
	assert_true(has(html, "不存在的人<span class=\"muted small\">（未关联账号）</span>"));
	free(html);
	assert_int_equal(app_get(U_ADMIN, "/api/v1/tasks?q=政策宣传",
				 &html),
			 200);
	assert_true(has(html, "\"leader\":null,\"leader_text\":\"不存在的人\""));
	free(html);

	/* The same file again: no unit to create now; the store refuses the
	 * duplicate, which the preview says, until 再次导入 is ticked. */
	char plan2[80];
	where = upload_preview(stage, plan2, &html);
	assert_false(has(html, "导入时将在单位树的顶层新建"));
	free(html);
	assert_string_not_equal(plan, plan2);
	r = confirm(U_ADMIN, true, stage, plan2, true, false);
	assert_int_equal(r->resp.status, 409);
	html = app_body(r);
	assert_true(has(html, "已经导入过"));
	free(html);
	app_req_free(r);
	assert_int_equal(task_total(), before + 2);
	r = confirm(U_ADMIN, true, stage, plan2, true, true);
	assert_int_equal(r->resp.status, 303);
	app_req_free(r);
	assert_int_equal(task_total(), before + 4);
	free(where);
	struct verify_result v;
	assert_int_equal(store_verify(A.st, &v, NULL), RC_OK);
	assert_true(v.ok);
}

/* Carried over into a new campaign (last: it changes the current campaign):
 * the old task's page says where it went on, the new one where it came
 * from, and the old campaign's dashboard counts them apart. */
static void test_app_carried_over(void **state)
{
	(void)state;
	struct err e = {0};
	int32_t today;
	assert_int_equal(store_today(app_cfg.today, &today, &e), RC_OK);
	struct task t;
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_a, today, &t, &e), RC_OK);
	int64_t old_campaign = t.campaign_id;
	int seq = t.seq;
	task_release(&t);
	struct campaign_new cn = {.year = 2025, .title = "2025年度整改", .started = STORE_NO_DAY,
				  .carry_from = old_campaign};
	int64_t nc;
	int carried;
	assert_int_equal(store_campaign_new(A.st, &A.who[U_ADMIN], &cn, today, &nc, &carried, &e),
			 RC_OK);
	assert_int_equal(carried, 7);
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], A.task_a, today, &t, &e), RC_OK);
	int64_t went_on = t.carried_id;
	assert_int_equal(went_on, 8);
	char *path = xasprintf("/tasks/%lld", (long long)A.task_a);
	char *html = NULL;
	assert_int_equal(app_get(U_ADMIN, path, &html), 200);
	char *want = xasprintf("<dt>状态</dt><dd>转入下一批次</dd>");
	assert_true(has(html, want));
	free(want);
	want = xasprintf("<a href=\"/tasks/%lld\">转入2025年度第%d项</a>", (long long)went_on,
			 t.carried_seq);
	assert_true(has(html, want));
	free(want);
	free(html);
	free(path);
	path = xasprintf("/tasks/%lld", (long long)went_on);
	assert_int_equal(app_get(U_ADMIN, path, &html), 200);
	task_release(&t);
	struct task nt;
	assert_int_equal(store_task_get(A.st, &A.who[U_ADMIN], went_on, today, &nt, &e), RC_OK);
	assert_int_equal(nt.origin_year, 2024);
	want = xasprintf("<a href=\"/tasks/%lld\">由%d年度第%d项转入</a>", (long long)A.task_a,
			 nt.origin_year, seq);
	task_release(&nt);
	assert_true(has(html, want));
	free(want);
	free(html);
	free(path);
	/* The old campaign's numbers: nothing open is left there. */
	struct dashboard d;
	assert_int_equal(store_dashboard(A.st, &A.who[U_ADMIN], old_campaign, today, &d, &e), RC_OK);
	assert_int_equal(d.by_status[TASK_CARRIED], carried);
	dashboard_release(&d);
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
		cmocka_unit_test(test_throttle_policy),
		cmocka_unit_test(test_throttle_shared),
		cmocka_unit_test(test_throttle_fails_closed),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_idle_clock),
		cmocka_unit_test(test_attachment_names),
		cmocka_unit_test(test_stage),
		cmocka_unit_test(test_stage_shared),
	};
	const struct CMUnitTest app_tests[] = {
		cmocka_unit_test(test_app_task_page_actions_by_role),
		cmocka_unit_test(test_app_pages_escape),
		cmocka_unit_test(test_app_navigation_by_role),
		cmocka_unit_test(test_app_refusals_in_chinese),
		cmocka_unit_test(test_app_explain_every_code),
		cmocka_unit_test(test_app_routes_table),
		cmocka_unit_test(test_app_route_permissions),
		cmocka_unit_test(test_app_login_next_is_local),
		cmocka_unit_test(test_app_last_admin),
		cmocka_unit_test(test_app_evidence_streams),
		cmocka_unit_test(test_app_admin_forms_versions),
		cmocka_unit_test(test_app_session_idle_and_absolute),
		cmocka_unit_test(test_app_password_change_ends_other_sessions),
		cmocka_unit_test(test_app_export_ledger_scoped),
		cmocka_unit_test(test_app_export_report),
		cmocka_unit_test(test_app_export_refusals_and_bounds),
		cmocka_unit_test(test_app_import_preview_confirm),
		cmocka_unit_test(test_app_audit_log),
		cmocka_unit_test(test_app_relink_measures),
		cmocka_unit_test(test_app_task_actions_by_route),
		cmocka_unit_test(test_app_carried_over),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	return failed + cmocka_run_group_tests(app_tests, app_setup, app_teardown);
}
