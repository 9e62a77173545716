/*
 * web_router.c -- the route table, the request's fields and files, and the
 * one path every request takes once its body has arrived:
 *
 *     early error? -> JSON body -> app begin -> session -> login required?
 *     -> origin and CSRF (every state-changing request) -> authorize ->
 *     handler -> error rendering -> app end
 *
 * Nothing here knows libmicrohttpd: web_server.c fills struct req and turns
 * r->resp into a response, and tests and the fuzzer may do the same with a
 * request they build themselves.
 *
 * Invariants:
 *   - A handler runs only after the checks its route's flags ask for have
 *     passed, and runs at most once.
 *   - Whatever happens, r->resp is complete when web_dispatch returns: a
 *     status, a content type, a body (or file), and no half-written page
 *     (a failing handler's partial output is discarded).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "web.h"

/* ---- the request ------------------------------------------------------- */

void web_req_init(struct req *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->body, WEB_MAX_BODY);
	buf_init(&r->resp.body, 0);
	r->resp.fd = -1;
}

static void kv_free(struct web_kv *kv)
{
	free(kv->key);
	free(kv->val);
}

void web_req_release(struct req *r)
{
	for (size_t i = 0; i < r->query.n; i++)
		kv_free(&r->query.v[i]);
	for (size_t i = 0; i < r->form.n; i++)
		kv_free(&r->form.v[i]);
	VEC_FREE(r->query);
	VEC_FREE(r->form);
	for (size_t i = 0; i < r->files.n; i++) {
		struct web_file *f = &r->files.v[i];
		if (f->fd >= 0)
			close(f->fd);
		free(f->field);
		free(f->name);
		free(f->type);
	}
	VEC_FREE(r->files);
	buf_release(&r->body);
	if (r->json)
		json_decref(r->json);
	free(r->path);
	free(r->cookie_session);
	free(r->cookie_login);
	free(r->csrf_header);
	free(r->origin);
	free(r->host);
	free(r->if_none_match);
	free(r->user_agent);
	free(r->referer);
	free(r->new_cookie);
	if (r->user && r->app && r->app->session_free)
		r->app->session_free(r->user);
	web_resp_unsplice(r);
	web_resp_unstream(r);
	web_resp_unjob(r);
	buf_release(&r->resp.body);
	if (r->resp.fd >= 0)
		close(r->resp.fd);
	free(r->resp.location);
	for (unsigned i = 0; i < r->resp.nhdr; i++)
		free(r->resp.hdr[i].value);
	memset(r, 0, sizeof *r);
	r->resp.fd = -1;
}

static const char *kv_get(const struct web_kv *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].key, name) != 0)
			continue;
		size_t bad;
		if (strlen(v[i].val) != v[i].len || !text_utf8_valid(v[i].val, v[i].len, &bad))
			return NULL;
		return v[i].val;
	}
	return NULL;
}

const char *web_query(const struct req *r, const char *name)
{
	return kv_get(r->query.v, r->query.n, name);
}

const char *web_form(const struct req *r, const char *name)
{
	return kv_get(r->form.v, r->form.n, name);
}

const char *web_arg(const struct req *r, const char *name)
{
	const char *v = web_form(r, name);
	return v ? v : web_query(r, name);
}

enum rc web_arg_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t def,
		    int64_t *out)
{
	const char *v = web_arg(r, name);
	if (!v || !*v) {
		*out = def;
		return RC_OK;
	}
	int64_t x = 0;
	const char *p = v;
	bool neg = false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (!*p || strlen(p) > 18)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		x = x * 10 + (*p - '0');
	}
	if (neg)
		x = -x;
	if (x < min || x > max)
		goto bad;
	*out = x;
	return RC_OK;
bad:
	return ERR(&r->err, RC_INVALID, "参数 %s 应为 %lld 到 %lld 之间的整数", name, (long long)min,
		   (long long)max);
}

enum rc web_req_add(struct req *r, bool to_form, const char *key, const char *val, size_t len)
{
	size_t n = to_form ? r->form.n : r->query.n;
	int max = to_form && r->route && (r->route->flags & R_LIST) ? WEB_MAX_LIST_FIELDS
								      : WEB_MAX_FIELDS;
	if (n >= (size_t)max)
		return ERR(&r->err, RC_TOOBIG, "表单字段过多（上限 %d 个）", max);
	if (len > WEB_MAX_FIELD)
		return ERR(&r->err, RC_TOOBIG, "字段 %.40s 过长（上限 %d 字节）", key, WEB_MAX_FIELD);
	struct web_kv *kv = to_form ? VEC_PUSH(r->form) : VEC_PUSH(r->query);
	kv->key = xstrdup(key);
	kv->val = xstrndup(val ? val : "", len);
	kv->len = len;
	return RC_OK;
}

enum rc web_req_append(struct req *r, const char *key, const char *data, size_t len)
{
	struct web_kv *kv = r->form.n ? &r->form.v[r->form.n - 1] : NULL;
	if (!kv || strcmp(kv->key, key) != 0)
		return web_req_add(r, true, key, data, len);
	if (kv->len + len > WEB_MAX_FIELD)
		return ERR(&r->err, RC_TOOBIG, "字段 %.40s 过长（上限 %d 字节）", key, WEB_MAX_FIELD);
	kv->val = xrealloc(kv->val, kv->len + len + 1);
	memcpy(kv->val + kv->len, data, len);
	kv->len += len;
	kv->val[kv->len] = '\0';
	return RC_OK;
}

/* An unlinked temporary file, read-write. */
static int tmpfile_fd(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
#ifdef O_TMPFILE
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	char *path = xasprintf("%s/rectify-upload-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

/* The base name of a client's file name, without directories of either
 * convention.  Nothing else is changed here: the store judges and cleans an
 * evidence name (store_task.c, evidence_name), the same for the web and the
 * command line, and an import keeps its own name (store_report.c). */
static char *clean_name(const char *name)
{
	if (!name)
		return xstrdup("");
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	return xstrdup(base);
}

enum rc web_req_file_begin(struct req *r, const char *field, const char *filename,
			   const char *type)
{
	if (r->files.n >= WEB_MAX_FILES)
		return ERR(&r->err, RC_TOOBIG, "一次最多上传 %d 个文件", WEB_MAX_FILES);
	int fd = tmpfile_fd();
	if (fd < 0)
		return ERR(&r->err, RC_IO, "无法创建临时文件：%s", strerror(errno));
	struct web_file *f = VEC_PUSH(r->files);
	f->fd = fd;
	f->field = xstrdup(field ? field : "");
	f->name = clean_name(filename);
	f->type = xstrdup(type ? type : "");
	return RC_OK;
}

enum rc web_req_file_write(struct req *r, const char *data, size_t len)
{
	if (r->files.n == 0)
		return ERR(&r->err, RC_INTERNAL, "file data without a file");
	struct web_file *f = &r->files.v[r->files.n - 1];
	uint64_t total = 0;
	for (size_t i = 0; i < r->files.n; i++)
		total += r->files.v[i].size;
	if (f->size + len > WEB_MAX_FILE)
		return ERR(&r->err, RC_TOOBIG, "单个文件不能超过 %d MB", WEB_MAX_FILE >> 20);
	if (total + len > WEB_MAX_UPLOAD)
		return ERR(&r->err, RC_TOOBIG, "一次上传不能超过 %d MB", WEB_MAX_UPLOAD >> 20);
	while (len > 0) {
		ssize_t w = write(f->fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return ERR(&r->err, RC_IO, "写入临时文件失败：%s", strerror(errno));
		data += w;
		len -= (size_t)w;
		f->size += (uint64_t)w;
	}
	return RC_OK;
}

void web_resp_unsplice(struct req *r)
{
	if (r->resp.splice_free)
		r->resp.splice_free(r->resp.splice_cls);
	r->resp.splice = NULL;
	r->resp.splice_len = r->resp.splice_at = 0;
	r->resp.splice_free = NULL;
	r->resp.splice_cls = NULL;
}

/*
 * A browser's URL parser (WHATWG) drops tabs and newlines anywhere, strips
 * leading spaces and controls, and reads '\\' as '/': "/\t/evil.example"
 * and "/\\evil.example" are another host.  A target is local only when it
 * holds no byte that parser would drop or turn, and starts with exactly one
 * '/'; percent-escapes stay escapes in a path, so they cannot make a second.
 */
bool web_local_target(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '\\')
			return false;
	return true;
}

void web_redirect(struct req *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *loc = NULL;
	if (vasprintf(&loc, fmt, ap) < 0)
		loc = NULL;
	va_end(ap);
	free(r->resp.location);
	/* Local targets only: an open redirect is a phishing aid. */
	if (!loc || !web_local_target(loc)) {
		free(loc);
		loc = xstrdup("/");
	}
	r->resp.location = loc;
}

void web_resp_header(struct req *r, const char *name, const char *value)
{
	if (r->resp.nhdr >= WEB_MAX_RESP_HEADERS || strpbrk(value, "\r\n"))
		return;
	r->resp.hdr[r->resp.nhdr].name = name;
	r->resp.hdr[r->resp.nhdr].value = xstrdup(value);
	r->resp.nhdr++;
}

char *web_attachment(const char *name)
{
	return web_disposition("attachment", name);
}

char *web_disposition(const char *kind, const char *name)
{
	struct buf b = BUF_INIT(0);
	buf_puts(&b, kind);
	buf_puts(&b, "; filename=\"");
	bool plain = name[0] && name[0] != '.' && strlen(name) <= 100;
	for (const char *p = name; plain && *p; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || strchr("._- ", *p);
	if (plain) {
		buf_puts(&b, name);
	} else {
		buf_puts(&b, "file");
		const char *ext = strrchr(name, '.');
		if (ext && strlen(ext) <= 8)
			for (const char *p = ext; *p; p++)
				if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || *p == '.')
					buf_putc(&b, *p);
	}
	/* RFC 5987: attr-char as it is, every other byte percent-encoded. */
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$&+-.^_`|~", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return buf_detach(&b, NULL);
}

void web_send_file(struct req *r, int fd, uint64_t size, const char *ctype, const char *name)
{
	if (r->resp.fd >= 0)
		close(r->resp.fd);
	r->resp.fd = fd;
	r->resp.fd_size = size;
	r->resp.ctype = ctype;
	char *cd = web_attachment(name);
	web_resp_header(r, "Content-Disposition", cd);
	free(cd);
}

void web_resp_unstream(struct req *r)
{
	if (r->resp.reader_free)
		r->resp.reader_free(r->resp.reader_cls);
	r->resp.reader = NULL;
	r->resp.reader_free = NULL;
	r->resp.reader_cls = NULL;
	r->resp.reader_size = 0;
}

void web_send_stream(struct req *r, uint64_t size, const char *ctype, const char *name,
		     bool shown, ssize_t (*reader)(void *cls, uint64_t pos, char *buf, size_t max),
		     void (*free_fn)(void *cls), void *cls)
{
	web_resp_unstream(r);
	r->resp.reader = reader;
	r->resp.reader_free = free_fn;
	r->resp.reader_cls = cls;
	r->resp.reader_size = size;
	r->resp.ctype = ctype;
	char *cd = web_disposition(shown ? "inline" : "attachment", name);
	web_resp_header(r, "Content-Disposition", cd);
	free(cd);
	/* Shown in the browser, a file still runs nothing and reaches
	 * nothing: a sandbox with no permission at all. */
	if (shown)
		web_resp_header(r, "Content-Security-Policy", "sandbox");
}

void web_resp_job(struct req *r, enum rc (*fn)(struct req *r, void *cls),
		  void (*free_fn)(void *cls), void *cls)
{
	web_resp_unjob(r);
	r->resp.job = fn;
	r->resp.job_free = free_fn;
	r->resp.job_cls = cls;
}

void web_resp_unjob(struct req *r)
{
	if (r->resp.job_free)
		r->resp.job_free(r->resp.job_cls);
	r->resp.job = NULL;
	r->resp.job_free = NULL;
	r->resp.job_cls = NULL;
}

bool web_stopping(const struct req *r)
{
	return r->stopping && *r->stopping;
}

/* ---- routes -------------------------------------------------------------- */

/* Match path against pattern; :name segments take positive integers of at
 * most 15 digits. */
static bool match(const char *pat, const char *path, int64_t *param)
{
	int np = 0;
	while (*pat && *path) {
		if (*pat == ':') {
			while (*pat && *pat != '/')
				pat++;
			int64_t v = 0;
			int digits = 0;
			while (*path >= '0' && *path <= '9') {
				if (++digits > 15)
					return false;
				v = v * 10 + (*path - '0');
				path++;
			}
			if (digits == 0 || v == 0 || (*path && *path != '/'))
				return false;
			if (np < WEB_MAX_PARAMS)
				param[np++] = v;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	return *pat == '\0' && *path == '\0';
}

enum rc web_route_match(const struct web_app *app, struct req *r)
{
	r->app = app;
	if (!r->path)
		return RC_NOTFOUND;
	enum web_method m = r->method == WEB_HEAD ? WEB_GET : r->method;
	static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", ""};
	const char *mn = names[m <= WEB_OTHER ? m : WEB_OTHER];
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct route *rt = &app->routes[i];
		if (rt->method[0] != mn[0] || rt->method[1] != mn[1] || strcmp(rt->method, mn) != 0)
			continue;
		int64_t param[WEB_MAX_PARAMS] = {0};
		if (match(rt->pattern, r->path, param)) {
			r->route = rt;
			memcpy(r->param, param, sizeof param);
			return RC_OK;
		}
	}
	return RC_NOTFOUND;
}

size_t web_route_body_limit(const struct req *r)
{
	if (!r->route)
		return 0;
	if (r->route->flags & R_UPLOAD)
		return WEB_MAX_UPLOAD + WEB_MAX_BODY;
	if (r->method == WEB_GET || r->method == WEB_HEAD)
		return 0;
	return WEB_MAX_BODY;
}

/* ---- errors and headers ---------------------------------------------------- */

const char *web_rc_message(enum rc rc)
{
	switch (rc) {
	case RC_OK: return "成功";
	case RC_INVALID: return "请求有误，请检查填写的内容。";
	case RC_NOTFOUND: return "没有找到这个页面或事项，或者您无权查看。";
	case RC_DENIED: return "您没有进行此操作的权限。";
	case RC_CONFLICT: return "内容已被他人修改，请刷新后再试。";
	case RC_TOOBIG: return "提交的内容超过了大小限制。";
	case RC_AUTH: return "请先登录。";
	case RC_MEDIA: return "不支持的内容类型或文件格式。";
	case RC_THROTTLED: return "尝试次数过多，请稍后再试。";
	case RC_IO: case RC_DB: case RC_INTERNAL: default:
		return "服务器内部错误，请稍后再试或联系管理员。";
	}
}

static void json_error(struct req *r, enum rc rc, const char *code, const char *msg,
		       const char *detail)
{
	json_t *o = json_pack("{s:s, s:s*, s:s, s:s*}", "error", rc_name(rc), "code", code,
			      "message", msg, "detail", detail);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	buf_reset(&r->resp.body);
	buf_puts(&r->resp.body, s ? s : "{\"error\":\"internal\"}");
	free(s);
	json_decref(o);
	r->resp.ctype = "application/json; charset=utf-8";
}

static void plain_error_page(struct req *r, struct html *h, const char *msg)
{
	(void)r;
	html_lit(h, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		    "<title>出错了</title></head><body>");
	html_elem(h, "h1", "出错了", NULL);
	html_elem(h, "p", msg, NULL);
	html_open(h, "p", NULL);
	html_elem(h, "a", "返回首页", "href", "/", NULL);
	html_close(h, 1);
	html_lit(h, "</body></html>");
}

void web_render_error(struct req *r, enum rc rc, const char *msg)
{
	if (rc == RC_OK)
		rc = RC_INTERNAL;
	/* Server-side failures keep their detail in the log, not the page. */
	if (rc == RC_IO || rc == RC_DB || rc == RC_INTERNAL) {
		if (msg && *msg)
			log_error("%s %s: %s", r->route ? r->route->method : "-",
				  r->path ? r->path : "-", msg);
		msg = NULL;
	}
	const char *detail = NULL;
	/* The refusal's code, when msg is the one that came with it. */
	const char *code = msg && msg == r->err.msg ? r->err.code : NULL;
	if (!msg || !*msg)
		msg = web_rc_message(rc);
	else if (r->app && r->app->explain)
		msg = r->app->explain(rc, code, msg, &detail);
	if (r->resp.fd >= 0) {
		close(r->resp.fd);
		r->resp.fd = -1;
	}
	web_resp_unsplice(r);
	web_resp_unstream(r);
	web_resp_unjob(r);
	free(r->resp.location);
	r->resp.location = NULL;
	/* Handler headers go, except Retry-After, which belongs to the error. */
	unsigned kept = 0;
	for (unsigned i = 0; i < r->resp.nhdr; i++) {
		if (strcmp(r->resp.hdr[i].name, "Retry-After") == 0)
			r->resp.hdr[kept++] = r->resp.hdr[i];
		else
			free(r->resp.hdr[i].value);
	}
	r->resp.nhdr = kept;
	r->resp.cacheable = false;
	r->resp.no_store = true;
	r->resp.status = rc_http_status(rc);
	bool json = (r->route && (r->route->flags & R_JSON)) ||
		    (!r->route && r->path && strncmp(r->path, "/api/", 5) == 0);
	if (rc == RC_AUTH && !json && r->app && r->app->login_path && r->method == WEB_GET) {
		/* Pages send the browser to the login form, then back here. */
		buf_reset(&r->resp.body);
		struct buf next = BUF_INIT(WEB_MAX_URL * 3);
		for (const unsigned char *p = (const unsigned char *)(r->path ? r->path : "/"); *p; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '/' ||
			    (*p >= 'A' && *p <= 'Z'))
				buf_putc(&next, (char)*p);
			else
				buf_printf(&next, "%%%02X", *p);
		/* A session cookie the app no longer accepts: say the session ended. */
		web_redirect(r, "%s?next=%s%s", r->app->login_path, next.p ? next.p : "/",
			     r->cookie_session ? "&ended=1" : "");
		buf_release(&next);
		r->resp.status = 303;
		r->resp.ctype = "text/html; charset=utf-8";
		return;
	}
	if (json) {
		json_error(r, rc, code, msg, detail);
		return;
	}
	buf_reset(&r->resp.body);
	struct html h;
	html_init(&h, &r->resp.body);
	if (r->app && r->app->error_page)
		r->app->error_page(r, &h, rc, msg, detail);
	else
		plain_error_page(r, &h, msg);
	if (html_finish(&h) != RC_OK) {
		buf_reset(&r->resp.body);
		html_init(&h, &r->resp.body);
		plain_error_page(r, &h, msg);
		html_finish(&h);
	}
	r->resp.ctype = "text/html; charset=utf-8";
}

/* Sent with every response, error or not, page or file.  The policy
 * admits scripts and styles only from this server's own files: no inline
 * script, no inline style, no framing, forms posting only here. */
const struct web_header_lit web_fixed_headers[] = {
	{"Content-Security-Policy",
	 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	 "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};
const size_t web_nfixed_headers = ARRAY_LEN(web_fixed_headers);

/* ---- dispatch ---------------------------------------------------------------- */

/* Origin must name the host the request was sent to, when the browser says
 * where the request comes from. */
static bool origin_ok(const struct req *r)
{
	if (!r->origin)
		return true;
	if (!r->host)
		return false;
	const char *o = r->origin;
	if (strncmp(o, "http://", 7) == 0)
		o += 7;
	else if (strncmp(o, "https://", 8) == 0)
		o += 8;
	else
		return false;
	return strcmp(o, r->host) == 0;
}

static enum rc check_csrf(struct req *r)
{
	if (!origin_ok(r))
		return ERR(&r->err, RC_DENIED, "请求来源与本站不符，已拒绝。");
	if (r->route->flags & R_NOCSRF)
		return RC_OK;
	const char *t = r->csrf_header;
	if (!t)
		t = web_form(r, "csrf");
	if (!t && r->json) {
		json_t *v = json_object_get(r->json, "csrf");
		t = json_is_string(v) ? json_string_value(v) : NULL;
	}
	if (!t || !r->csrf[0] || !web_token_equal(t, r->csrf))
		return ERR(&r->err, RC_DENIED, "安全校验（CSRF）失败：请刷新页面后重新提交。");
	return RC_OK;
}

static enum rc parse_json(struct req *r)
{
	json_error_t je;
	r->json = json_loadb(r->body.p ? r->body.p : "", r->body.len,
			     JSON_REJECT_DUPLICATES, &je);
	if (!r->json)
		return ERR(&r->err, RC_INVALID, "JSON 格式错误（第 %d 行第 %d 列）：%.200s", je.line,
			   je.column, je.text);
	if (!json_is_object(r->json))
		return ERR(&r->err, RC_INVALID, "JSON 请求体应为对象");
	return RC_OK;
}

static enum rc run_handler(struct req *r)
{
	const struct route *rt = r->route;
	if (rt->page) {
		struct html h;
		html_init(&h, &r->resp.body);
		enum rc rc = rt->page(r, &h);
		if (rc != RC_OK)
			return rc;
		if (r->resp.location) {
			buf_reset(&r->resp.body);
			web_resp_unsplice(r);
			return RC_OK;
		}
		rc = html_finish(&h);
		if (rc != RC_OK)
			return ERR(&r->err, rc, "page %s produced invalid HTML", rt->pattern);
		if (!r->resp.ctype)
			r->resp.ctype = "text/html; charset=utf-8";
		return RC_OK;
	}
	if (rt->api) {
		json_t *out = NULL;
		enum rc rc = rt->api(r, &out);
		if (rc != RC_OK) {
			json_decref(out);
			return rc;
		}
		if (!out)
			out = json_object();
		char *s = json_dumps(out, JSON_COMPACT);
		json_decref(out);
		if (!s)
			return ERR(&r->err, RC_INTERNAL, "cannot serialise JSON");
		buf_puts(&r->resp.body, s);
		free(s);
		r->resp.ctype = "application/json; charset=utf-8";
		return RC_OK;
	}
	if (rt->raw)
		return rt->raw(r);
	return ERR(&r->err, RC_INTERNAL, "route %s has no handler", rt->pattern);
}

static enum rc dispatch(const struct web_app *app, struct req *r)
{
	if (r->early != RC_OK)
		return ERR(&r->err, r->early, "%s", r->early_msg);
	if (!r->route && web_route_match(app, r) != RC_OK) {
		/* Who asks decides only how the 404 page looks. */
		if (app->session && r->body_kind == WEB_BODY_NONE && app->session(r) != RC_OK)
			err_clear(&r->err);
		return ERR(&r->err, RC_NOTFOUND, "没有这个页面，请检查网址。");
	}
	const struct route *rt = r->route;
	switch (r->body_kind) {
	case WEB_BODY_NONE:
	case WEB_BODY_FORM:
		break;
	case WEB_BODY_MULTIPART:
		if (!(rt->flags & R_UPLOAD) && r->files.n > 0)
			return ERR(&r->err, RC_MEDIA, "此处不接受文件上传");
		break;
	case WEB_BODY_JSON:
		if (!(rt->flags & R_JSONBODY))
			return ERR(&r->err, RC_MEDIA, "此处不接受 JSON 请求体");
		if (parse_json(r) != RC_OK)
			return RC_INVALID;
		break;
	case WEB_BODY_OTHER:
		if (r->body.len > 0)
			return ERR(&r->err, RC_MEDIA, "不支持的请求体类型");
		break;
	}
	enum rc rc;
	if (app->session && !(rt->flags & R_NOSESSION)) {
		rc = app->session(r);
		if (rc != RC_OK)
			return rc;
	}
	if (!(rt->flags & R_PUBLIC) && !r->logged_in)
		return ERR(&r->err, RC_AUTH, "请先登录。");
	if (r->method != WEB_GET && r->method != WEB_HEAD) {
		rc = check_csrf(r);
		if (rc != RC_OK)
			return rc;
	}
	if (!(rt->flags & R_PUBLIC) && app->authorize) {
		rc = app->authorize(r);
		if (rc != RC_OK)
			return rc;
		r->action = rt->action; /* what the handler may do */
	}
	return run_handler(r);
}

/* The end of a request's handling, on whichever thread ran it: a failure
 * logged (server-side ones with their place) and rendered, or the status
 * of a success. */
static void finish(struct req *r, enum rc rc)
{
	if (rc != RC_OK) {
		if (rc == RC_INTERNAL || rc == RC_DB || rc == RC_IO)
			log_error("%s %s: %s (%s:%d)", r->route ? r->route->method : "-",
				  r->path ? r->path : "-", r->err.msg[0] ? r->err.msg : rc_name(rc),
				  r->err.file ? r->err.file : "-", r->err.line);
		web_render_error(r, rc, r->err.rc == rc ? r->err.msg : NULL);
	} else if (!r->resp.job) {
		if (r->resp.location && !r->resp.status)
			r->resp.status = 303;
		if (!r->resp.status)
			r->resp.status = 200;
	}
}

void web_job_run(const struct web_app *app, struct req *r)
{
	if (!r->resp.job)
		return;
	enum rc (*fn)(struct req *, void *) = r->resp.job;
	void (*free_fn)(void *) = r->resp.job_free;
	void *cls = r->resp.job_cls;
	r->resp.job = NULL;
	r->resp.job_free = NULL;
	r->resp.job_cls = NULL;
	err_clear(&r->err);
	enum rc rc = RC_OK;
	bool begun = false;
	if (app->begin) {
		rc = app->begin(r);
		begun = rc == RC_OK;
	}
	if (rc == RC_OK)
		rc = fn(r, cls);
	if (free_fn)
		free_fn(cls);
	if (rc == RC_OK && r->resp.job) /* a job does not leave another */
		rc = ERR(&r->err, RC_INTERNAL, "a job left a job");
	finish(r, rc);
	if (begun && app->end)
		app->end(r);
}

void web_dispatch(const struct web_app *app, struct req *r)
{
	r->app = app;
	enum rc rc = RC_OK;
	bool begun = false;
	if (r->early == RC_OK && app->begin) {
		rc = app->begin(r);
		begun = rc == RC_OK;
	}
	if (rc == RC_OK)
		rc = dispatch(app, r);
	finish(r, rc);
	if (begun && app->end)
		app->end(r);
}
