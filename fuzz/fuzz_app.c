/*
 * fuzz_app.c -- hostile requests against the real application: the route
 * table of web_app.c, its authorisation, sessions and CSRF, and every page,
 * form and API handler, on a temporary database filled with a small
 * campaign (units, one user of each role, a report with tasks in several
 * states, evidence, an extension request).
 *
 * Requests are built without a socket (fuzz_http covers libmicrohttpd's
 * parsing) and go through web_dispatch(), so the fuzzer spends its time in
 * the handlers.  Input layout:
 *
 *   byte 0   who: bits 0-2 a user (admin, leader, leader2, handler,
 *            reviewer, observer; 6 and 7: no session), bit 3 a wrong CSRF
 *            token, bit 4 the body as JSON where the route takes it
 *   byte 1   the route (index into the app's table)
 *   byte 2+  the :id parameters, one byte each (small ids, 0xff: huge)
 *   then     lines: the first is the query (k=v&k=v, taken as it is), the
 *            others form fields "k=v", or "@name=content" for an uploaded
 *            file whose content is the rest of the input; with bit 4 the
 *            rest is the JSON body
 *
 * Besides the sanitizers, the target checks what must hold for any request:
 * a complete response with a status the router gives; no 500 (a handler
 * that writes invalid HTML or a store error is a bug); no hostile markup
 * from the input echoed raw into a page.
 *
 * Routes that hash passwords (login, password changes, new users) are left
 * out: Argon2id would make every run take a tenth of a second.  Writes
 * accumulate; every 256 runs the database is restored from its template.
 */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "web_int.h"

enum { NUSERS = 6 };

static char dir[64], db_path[96], tmpl_path[96];
static struct who users[NUSERS];
static char tokens[NUSERS][STORE_TOKEN_HEX], csrfs[NUSERS][STORE_TOKEN_HEX];
static unsigned runs;

static int64_t fixed_clock(void)
{
	return 1713916800; /* 2024-04-24 */
}

static const char report[] =
	"# 县林业局领导班子对照检查材料\n\n"
	"## 一、存在的问题\n\n"
	"（一）在理论学习方面\n\n"
	"一是学习不够深入。比如，全年集中学习仅4次。\n\n"
	"二是调研成果转化不够。例如，3篇调研报告没有提出对策。\n\n"
	"（二）在服务群众方面\n\n"
	"一是下基层次数少。比如，全年到林场不足5次。\n\n"
	"二是政策宣传不到位。\n\n"
	"## 二、原因分析\n\n"
	"一是思想认识不到位。\n\n"
	"## 三、整改措施\n\n"
	"（一）加强学习。全年集中学习不少于12次，2024年6月底前完成专题研讨。\n\n"
	"（二）改进作风。每季度到林场调研不少于2次，2024年9月底前完成。\n";

#define CHECK(x)                                                                       \
	do {                                                                           \
		if ((x) != RC_OK) {                                                    \
			fprintf(stderr, "fuzz_app setup: %s failed: %s\n", #x, e.msg); \
			abort();                                                       \
		}                                                                      \
	} while (0)

static void fill(struct store *st)
{
	struct err e = {0};
	const struct who sys = WHO_SYSTEM;
	int32_t today;
	CHECK(store_today(app_cfg.today, &today, &e));
	int64_t root, a, b;
	CHECK(store_unit_add(st, &sys, "县林业局", 0, &root, &e));
	CHECK(store_unit_add(st, &sys, "造林股", root, &a, &e));
	CHECK(store_unit_add(st, &sys, "<b>资源</b>股", root, &b, &e));
	static const struct {
		const char *login, *name;
		enum role role;
		int unit;
	} us[NUSERS] = {{"admin", "办公室", ROLE_ADMIN, 1},     {"leader", "王", ROLE_LEADER, 1},
			{"leader2", "李", ROLE_LEADER, 2},      {"handler", "陈", ROLE_HANDLER, 1},
			{"reviewer", "赵", ROLE_REVIEWER, 0},   {"observer", "孙", ROLE_OBSERVER, 0}};
	const int64_t unit[] = {0, a, b};
	for (int i = 0; i < NUSERS; i++) {
		int64_t id;
		CHECK(store_user_add(st, &sys, us[i].login, us[i].name, us[i].role, unit[us[i].unit],
				     "password-1", &id, &e));
		users[i] = (struct who){id, us[i].role, unit[us[i].unit]};
	}
	struct doc *d;
	CHECK(doc_parse(report, sizeof report - 1, "r.md", &d, &e));
	struct report_import in = {0};
	struct import_result res;
	enum rc rc = store_report_import(st, &users[0], d, &in, today - 40, &res, &e);
	doc_free(d);
	CHECK(rc);
	struct task_filter f = TASK_FILTER_INIT;
	struct task_list l = {0};
	CHECK(store_task_list(st, &users[0], &f, today, &l, &e));
	char path[] = "/tmp/rectify-fuzz-ev-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	unlink(path);
	if (write(fd, "<html>evidence</html>", 21) != 21)
		abort();
	for (size_t i = 0; i < l.n; i++) {
		struct task_assign as = {0};
		as.leader_id = users[i % 2 ? 2 : 1].user_id;
		as.unit_id = i % 2 ? b : a;
		as.goal = "目标";
		int64_t v;
		CHECK(store_task_assign(st, &users[0], l.rows[i].id, l.rows[i].version, &as,
					today - 40, &v, &e));
		if (i == 3)
			continue; /* one not started */
		lseek(fd, 0, SEEK_SET);
		struct evidence_in ev = {"记录.html", "text/html", fd, NULL};
		const struct who *by = &users[i % 2 ? 2 : 1];
		CHECK(store_task_progress(st, by, l.rows[i].id, v, "进展", &ev, 1, today - 20, NULL,
					  &v, &e));
		if (i >= 1)
			CHECK(store_task_act(st, by, l.rows[i].id, v, TACT_SUBMIT, NULL, today - 10, &v,
					     &e));
		if (i == 2)
			CHECK(store_task_act(st, &users[4], l.rows[i].id, v, TACT_APPROVE, NULL,
					     today - 5, &v, &e));
		if (i == 0)
			CHECK(store_task_extend(st, by, l.rows[i].id, v, today + 200, "延期理由", today,
						NULL, &v, &e));
	}
	close(fd);
	task_list_release(&l);
}

/* The temporary database goes when the fuzzer exits. */
static void cleanup(void)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char p[128];
	for (size_t i = 0; i < ARRAY_LEN(suffix); i++) {
		snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
		unlink(p);
		snprintf(p, sizeof p, "%s%s", tmpl_path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	log_level = 0;
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/rectify-fuzz-app-XXXXXX", base);
	if (!mkdtemp(dir))
		abort();
	snprintf(db_path, sizeof db_path, "%s/app.db", dir);
	snprintf(tmpl_path, sizeof tmpl_path, "%s/template.db", dir);
	atexit(cleanup);
	app_cfg.db_path = db_path;
	app_cfg.today = "2024-04-24";
	app_cfg.clock = fixed_clock;
	struct err e = {0};
	struct store *st;
	CHECK(store_open(tmpl_path, STORE_CREATE, &st, &e));
	fill(st);
	store_close(st);
	CHECK(store_restore(db_path, tmpl_path, &e));
	return 0;
}

/* The session of user u, made again when a request ended it. */
static void session_for(int u)
{
	struct err e = {0};
	struct store *st = app_thread_store(&e);
	if (!st)
		abort();
	struct who w;
	if (tokens[u][0] &&
	    store_session_get(st, tokens[u], fixed_clock(), 0, &w, NULL, NULL, NULL, NULL) == RC_OK)
		return;
	if (store_session_new(st, users[u].user_id, fixed_clock(), 1 << 30, tokens[u], csrfs[u],
			      NULL) != RC_OK)
		tokens[u][0] = '\0'; /* a deactivated user: no session */
}

static bool skipped(const struct route *rt)
{
	static const char *const skip[] = {"/login", "/api/v1/login", "/password", "/admin/users"};
	if (strcmp(rt->method, "POST") != 0)
		return false;
	for (size_t i = 0; i < ARRAY_LEN(skip); i++)
		if (strcmp(rt->pattern, skip[i]) == 0)
			return true;
	return false;
}

/* The path of rt with its :id parameters from *data. */
static char *route_path(const struct route *rt, const uint8_t **data, size_t *size)
{
	struct buf b = BUF_INIT(4096);
	for (const char *p = rt->pattern; *p;) {
		if (*p != ':') {
			buf_putc(&b, *p++);
			continue;
		}
		while (*p && *p != '/')
			p++;
		unsigned v = 1;
		if (*size) {
			v = **data;
			(*data)++;
			(*size)--;
		}
		if (v == 0xff)
			buf_puts(&b, "999999999999");
		else
			buf_printf(&b, "%u", v % 40 + 1);
	}
	return buf_detach(&b, NULL);
}

static void add_pairs(struct req *r, bool form, const char *s, size_t n, char sep)
{
	const char *end = s + n;
	while (s < end) {
		const char *e = memchr(s, sep, (size_t)(end - s));
		if (!e)
			e = end;
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (eq && eq > s) {
			char *k = xstrndup(s, (size_t)(eq - s));
			if (web_req_add(r, form, k, eq + 1, (size_t)(e - eq - 1)) != RC_OK) {
				free(k);
				return;
			}
			free(k);
		}
		s = e + 1;
	}
}

static void check_response(const struct req *r, const uint8_t *data, size_t size)
{
	int st = r->resp.status;
	if (st == 500) {
		fprintf(stderr, "500 on %s %s: %s\n", r->route ? r->route->method : "?",
			r->path ? r->path : "?", r->err.msg);
		abort();
	}
	static const int ok[] = {200, 303, 304, 400, 401, 403, 404, 409, 413, 415, 429};
	bool known = false;
	for (size_t i = 0; i < ARRAY_LEN(ok); i++)
		known = known || st == ok[i];
	if (!known) {
		fprintf(stderr, "status %d\n", st);
		abort();
	}
	if (!r->resp.ctype && r->resp.body.len) {
		fprintf(stderr, "a body without a type\n");
		abort();
	}
	/* Markup the input carried never comes back raw in a page. */
	if (r->resp.ctype && strncmp(r->resp.ctype, "text/html", 9) == 0 && r->resp.body.p &&
	    memmem(data, size, "<zz", 3) && memmem(r->resp.body.p, r->resp.body.len, "<zz", 3)) {
		fprintf(stderr, "raw input markup in the page\n");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 64 * 1024)
		return 0;
	if (++runs % 256 == 0) {
		struct err e = {0};
		CHECK(store_restore(db_path, tmpl_path, &e));
		cache_clear();
	}
	const struct web_app *app = &rectify_app;
	uint8_t who = data[0];
	const struct route *rt = &app->routes[data[1] % app->nroutes];
	data += 2;
	size -= 2;
	if (skipped(rt))
		return 0;
	int u = who & 7;
	bool session = u < NUSERS, bad_csrf = who & 8, json = who & 16;
	if (session)
		session_for(u);
	struct req r;
	web_req_init(&r);
	r.method = strcmp(rt->method, "GET") == 0 ? WEB_GET : WEB_POST;
	r.path = route_path(rt, &data, &size);
	r.host = xstrdup("127.0.0.1:8080");
	snprintf(r.addr, sizeof r.addr, "127.0.0.1");
	if (session && tokens[u][0]) {
		r.cookie_session = xstrdup(tokens[u]);
		if (r.method == WEB_POST)
			r.csrf_header = xstrdup(bad_csrf ? "0000" : csrfs[u]);
	}
	const char *p = (const char *)data, *end = p + size;
	const char *nl = memchr(p, '\n', size);
	add_pairs(&r, false, p, (size_t)((nl ? nl : end) - p), '&');
	p = nl ? nl + 1 : end;
	if (json && (rt->flags & R_JSONBODY)) {
		r.body_kind = WEB_BODY_JSON;
		buf_append(&r.body, p, (size_t)(end - p));
	} else if (r.method == WEB_POST) {
		r.body_kind = (rt->flags & R_UPLOAD) ? WEB_BODY_MULTIPART : WEB_BODY_FORM;
		while (p < end) {
			const char *e = memchr(p, '\n', (size_t)(end - p));
			if (!e || *p == '@')
				e = end; /* a file's content runs to the end */
			const char *eq = memchr(p, '=', (size_t)(e - p));
			if (*p == '@' && eq && (rt->flags & R_UPLOAD)) {
				char *name = xstrndup(p + 1, (size_t)(eq - p - 1));
				const char *field = strcmp(rt->pattern, "/reports") == 0 ||
							    strcmp(rt->pattern, "/tasks/import") == 0
						    ? "file"
						    : "files";
				if (web_req_file_begin(&r, field, name, "application/octet-stream") == RC_OK)
					web_req_file_write(&r, eq + 1, (size_t)(e - eq - 1));
				free(name);
			} else {
				add_pairs(&r, true, p, (size_t)(e - p), '\n');
			}
			p = e + 1;
		}
	}
	web_dispatch(app, &r);
	web_job_run(app, &r); /* an export, as a job thread would run it */
	check_response(&r, data, size);
	/* A streamed body: read it whole, as the server would. */
	if (r.resp.reader) {
		char chunk[65536];
		for (uint64_t pos = 0; pos < r.resp.reader_size;) {
			ssize_t n = r.resp.reader(r.resp.reader_cls, pos, chunk, sizeof chunk);
			if (n <= 0)
				abort(); /* the evidence exists: it must read whole */
			pos += (uint64_t)n;
		}
	}
	web_req_release(&r);
	return 0;
}
