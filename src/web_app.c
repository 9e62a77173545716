/*
 * web_app.c -- the rectify web application: its route table, the one
 * authorisation function, sessions, the per-thread store handles, and the
 * page chrome.
 *
 * Authorisation happens in app_authorize() and nowhere else: the route's
 * permission (which roles may call it at all) and, for a task route, the
 * task as the caller sees it -- loaded through the store with the caller's
 * identity, so a task outside a handler's units is RC_NOTFOUND whatever
 * the URL -- and the action the route performs, which must be among the
 * actions the store grants (struct task.actions, from task_may()).  The
 * loaded task is kept in the request for the handler.
 *
 * Store handles: one SQLite connection per server thread, opened on the
 * thread's first request and registered so app_close_all() can close them
 * once the server has stopped.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web_int.h"

struct app_config app_cfg = {"rectify.db", NULL, 12 * 3600, 7 * 24 * 3600, 600, NULL, 0, 0};

int64_t app_now(void)
{
	return app_cfg.clock ? app_cfg.clock() : (int64_t)time(NULL);
}

/* ---- the routes -------------------------------------------------------------- */

#define T(a) R_ACT(A_TASK(a))
#define V R_ACT(A_VIEW)

static const struct route routes[] = {
	/* public */
	{"GET", "/login", page_login, NULL, NULL, R_PUBLIC},
	{"POST", "/login", form_login, NULL, NULL, R_PUBLIC | R_NOCSRF},
	{"GET", "/healthz", NULL, api_health, NULL, R_PUBLIC | R_NOSESSION | R_JSON},
	{"GET", "/static/app.css", NULL, NULL, web_static, R_PUBLIC | R_NOSESSION},
	{"GET", "/static/app.js", NULL, NULL, web_static, R_PUBLIC | R_NOSESSION},
	{"GET", "/static/favicon.svg", NULL, NULL, web_static, R_PUBLIC | R_NOSESSION},
	/* the session */
	{"POST", "/logout", NULL, NULL, form_logout, R_PERM(P_READ)},
	{"GET", "/password", page_password, NULL, NULL, R_PERM(P_READ)},
	{"POST", "/password", NULL, NULL, form_password, R_PERM(P_READ)},
	/* pages */
	{"GET", "/", page_home, NULL, NULL, R_PERM(P_READ)},
	{"GET", "/tasks", page_tasks, NULL, NULL, R_PERM(P_READ)},
	{"GET", "/tasks/:id", page_task, NULL, NULL, R_PERM(P_READ) | V},
	{"POST", "/tasks/:id/progress", NULL, NULL, form_task_progress,
	 R_PERM(P_READ) | T(TACT_PROGRESS) | R_UPLOAD},
	{"POST", "/tasks/:id/submit", NULL, NULL, form_task_action, R_PERM(P_READ) | T(TACT_SUBMIT)},
	{"POST", "/tasks/:id/approve", NULL, NULL, form_task_action,
	 R_PERM(P_READ) | T(TACT_APPROVE)},
	{"POST", "/tasks/:id/return", NULL, NULL, form_task_action, R_PERM(P_READ) | T(TACT_RETURN)},
	{"POST", "/tasks/:id/reopen", NULL, NULL, form_task_action, R_PERM(P_READ) | T(TACT_REOPEN)},
	{"POST", "/tasks/:id/stage", NULL, NULL, form_task_action, R_PERM(P_READ) | T(TACT_STAGE)},
	{"POST", "/tasks/:id/confirm", NULL, NULL, form_task_action,
	 R_PERM(P_READ) | T(TACT_CONFIRM)},
	{"POST", "/tasks/:id/assign", NULL, NULL, form_task_assign, R_PERM(P_ADMIN) | T(TACT_ASSIGN)},
	{"POST", "/tasks/:id/extend", NULL, NULL, form_task_extend, R_PERM(P_READ) | T(TACT_EXTEND)},
	{"POST", "/tasks/:id/extend-decide", NULL, NULL, form_task_extend,
	 R_PERM(P_READ) | T(TACT_EXTEND_DECIDE)},
	{"GET", "/evidence/:id", NULL, NULL, raw_evidence, R_PERM(P_READ)},
	{"GET", "/mine", page_mine, NULL, NULL, R_PERM(P_READ)},
	{"GET", "/commitments", page_commitments, NULL, NULL, R_PERM(P_READ)},
	{"POST", "/commitments/:id/activities", NULL, NULL, form_activity,
	 R_PERM(P_ACTIVITY) | R_UPLOAD},
	{"GET", "/reports", page_reports, NULL, NULL, R_PERM(P_READ)},
	{"POST", "/reports", NULL, NULL, form_report_upload, R_PERM(P_ADMIN) | R_UPLOAD},
	{"GET", "/reports/:id", page_report, NULL, NULL, R_PERM(P_READ)},
	{"POST", "/reports/:id/nodes/:id/rename", NULL, NULL, form_node_edit, R_PERM(P_ADMIN)},
	{"POST", "/reports/:id/nodes/:id/move", NULL, NULL, form_node_edit, R_PERM(P_ADMIN)},
	{"POST", "/reports/:id/nodes/:id/merge", NULL, NULL, form_node_edit, R_PERM(P_ADMIN)},
	{"POST", "/reports/:id/nodes/:id/split", NULL, NULL, form_node_edit, R_PERM(P_ADMIN)},
	{"GET", "/admin", page_admin, NULL, NULL, R_PERM(P_ADMIN)},
	{"POST", "/admin/units", NULL, NULL, form_admin_unit, R_PERM(P_ADMIN)},
	{"POST", "/admin/users", NULL, NULL, form_admin_user, R_PERM(P_ADMIN)},
	{"POST", "/admin/users/:id", NULL, NULL, form_admin_user_update, R_PERM(P_ADMIN)},
	{"POST", "/admin/campaigns", NULL, NULL, form_admin_campaign, R_PERM(P_ADMIN)},
	{"GET", "/admin/audit", page_audit, NULL, NULL, R_PERM(P_AUDIT)},
	/* the JSON API */
	{"POST", "/api/v1/login", NULL, api_login, NULL, R_JSON | R_PUBLIC | R_NOCSRF | R_JSONBODY},
	{"POST", "/api/v1/logout", NULL, api_logout, NULL, R_JSON | R_PERM(P_READ) | R_JSONBODY},
	{"GET", "/api/v1/tasks", NULL, NULL, api_tasks, R_JSON | R_PERM(P_READ)},
	{"GET", "/api/v1/tasks/:id", NULL, api_task, NULL, R_JSON | R_PERM(P_READ) | V},
	{"POST", "/api/v1/tasks/:id/progress", NULL, api_task_progress, NULL,
	 R_JSON | R_PERM(P_READ) | T(TACT_PROGRESS) | R_UPLOAD | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/submit", NULL, api_task_action, NULL,
	 R_JSON | R_PERM(P_READ) | T(TACT_SUBMIT) | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/approve", NULL, api_task_action, NULL,
	 R_JSON | R_PERM(P_READ) | T(TACT_APPROVE) | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/return", NULL, api_task_action, NULL,
	 R_JSON | R_PERM(P_READ) | T(TACT_RETURN) | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/reopen", NULL, api_task_action, NULL,
	 R_JSON | R_PERM(P_READ) | T(TACT_REOPEN) | R_JSONBODY},
	{"GET", "/api/v1/commitments", NULL, api_commitments, NULL, R_JSON | R_PERM(P_READ)},
	/* downloads (page_export.c) and the spreadsheet import (page_import.c);
	 * at the end, so the fuzzer's seeds keep their route numbers */
	{"GET", "/export/ledger", NULL, NULL, raw_export_ledger, R_PERM(P_READ)},
	{"GET", "/export/report", NULL, NULL, raw_export_report, R_PERM(P_REPORTS)},
	{"GET", "/api/v1/export", NULL, NULL, raw_export_ledger, R_JSON | R_PERM(P_READ)},
	{"GET", "/api/v1/report", NULL, NULL, raw_export_report, R_JSON | R_PERM(P_REPORTS)},
	{"GET", "/tasks/import", page_import, NULL, NULL, R_PERM(P_ADMIN)},
	{"POST", "/tasks/import", form_import_preview, NULL, NULL, R_PERM(P_ADMIN) | R_UPLOAD},
	{"POST", "/tasks/import/confirm", form_import_confirm, NULL, NULL, R_PERM(P_ADMIN)},
};

/* ---- per-thread store handles ---------------------------------------------------- */

static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static VEC(struct store *) handles;
static __thread struct store *thread_db;

void app_close_all(void)
{
	pthread_mutex_lock(&handles_lock);
	for (size_t i = 0; i < handles.n; i++)
		store_close(handles.v[i]);
	VEC_FREE(handles);
	pthread_mutex_unlock(&handles_lock);
	thread_db = NULL;
}

void app_use_store(struct store *st)
{
	thread_db = st;
}

struct store *app_thread_store(struct err *e)
{
	if (!thread_db) {
		struct store *st;
		if (store_open(app_cfg.db_path, 0, &st, e) != RC_OK)
			return NULL;
		pthread_mutex_lock(&handles_lock);
		*VEC_PUSH(handles) = st;
		pthread_mutex_unlock(&handles_lock);
		thread_db = st;
	}
	return thread_db;
}

static enum rc app_begin(struct req *r)
{
	struct store *db = app_thread_store(&r->err);
	if (!db)
		return r->err.rc ? r->err.rc : RC_DB;
	struct actx *a = xcalloc(1, sizeof *a);
	a->db = db;
	enum rc rc = store_today(app_cfg.today, &a->today, &r->err);
	if (rc != RC_OK) {
		free(a);
		return rc;
	}
	store_day_format(a->today, a->today_s);
	r->today = a->today_s;
	r->ctx = a;
	return RC_OK;
}

uint64_t app_gen(struct req *r)
{
	struct actx *a = r->ctx;
	if (!a->have_gen) {
		a->gen = store_generation(a->db);
		a->have_gen = true;
	}
	return a->gen;
}

static void app_end(struct req *r)
{
	struct actx *a = r->ctx;
	if (!a)
		return;
	task_release(&a->task);
	free(a);
	r->ctx = NULL;
}

/* ---- sessions ------------------------------------------------------------------------ */

/*
 * A session ends at the first of: app_cfg.session_idle seconds without use
 * (every request renews it; the idle clock is web_idle.c's, in memory),
 * app_cfg.session_max seconds after login (the row's `expires` in the
 * database, which store_session_purge() deletes once past), logout, a
 * password change (the store deletes the user's sessions), or the user
 * being deactivated.
 *
 * A small per-thread cache of live sessions, valid while the database
 * generation is unchanged (any write, a new session or a logout included,
 * moves it) and the session has not expired, saves the session query on a
 * page view; the idle clock is consulted on every request regardless.
 */
enum { SESS_CACHE = 32 };
struct sess_entry {
	uint64_t gen;
	int64_t expires;
	struct sess s;
};
static __thread struct sess_entry sess_cache[SESS_CACHE];

/* The session is over: delete it, and the browser's cookie with it. */
static void session_dead(struct req *r, bool delete_row)
{
	if (delete_row)
		store_session_delete(ACTX(r)->db, r->cookie_session, NULL);
	free(r->new_cookie);
	r->new_cookie = web_cookie(NULL, r->tls);
}

static enum rc app_session(struct req *r)
{
	if (!web_token_valid(r->cookie_session))
		return RC_OK;
	struct actx *a = r->ctx;
	int64_t now = app_now();
	uint64_t gen = app_gen(r);
	unsigned h = 0;
	for (const char *p = r->cookie_session; *p; p++)
		h = h * 31u + (unsigned char)*p;
	struct sess_entry *ce = &sess_cache[h % SESS_CACHE];
	struct sess *s = xcalloc(1, sizeof *s);
	int64_t expires = 0;
	if (ce->gen == gen && ce->expires > now && strcmp(ce->s.token, r->cookie_session) == 0) {
		*s = ce->s;
		expires = ce->expires;
	} else {
		struct err e = {0};
		enum rc rc = store_session_get(a->db, r->cookie_session, now, &s->who, s->csrf,
					       &expires, &e);
		if (rc == RC_AUTH) {
			free(s);
			session_dead(r, false);
			return RC_OK;
		}
		if (rc != RC_OK) {
			free(s);
			r->err = e;
			return rc;
		}
		struct user u;
		struct arena ar = {0};
		rc = store_user_get(a->db, s->who.user_id, &u, &ar, &r->err);
		if (rc != RC_OK) {
			arena_release(&ar);
			free(s);
			return rc;
		}
		snprintf(s->login, sizeof s->login, "%s", u.login);
		snprintf(s->name, sizeof s->name, "%s", u.name);
		snprintf(s->unit_name, sizeof s->unit_name, "%s", u.unit_name ? u.unit_name : "");
		snprintf(s->token, sizeof s->token, "%s", r->cookie_session);
		arena_release(&ar);
		ce->gen = gen;
		ce->expires = expires;
		ce->s = *s;
	}
	/* Sessions are stored to live session_max from login, so that is when
	 * this one began: the idle clock's fallback. */
	if (!web_idle_touch(r->cookie_session, now, expires - app_cfg.session_max,
			    app_cfg.session_idle)) {
		free(s);
		ce->gen = 0;
		session_dead(r, true);
		return RC_OK;
	}
	r->user = s;
	r->logged_in = true;
	snprintf(r->csrf, sizeof r->csrf, "%s", s->csrf);
	return RC_OK;
}

enum rc app_session_start(struct req *r, int64_t user_id)
{
	char token[STORE_TOKEN_HEX], csrf[STORE_TOKEN_HEX];
	int64_t now = app_now();
	enum rc rc = store_session_new(ACTX(r)->db, user_id, now, app_cfg.session_max, token, csrf,
				       &r->err);
	if (rc != RC_OK)
		return rc;
	web_idle_touch(token, now, now, app_cfg.session_idle);
	free(r->new_cookie);
	r->new_cookie = web_cookie(token, r->tls);
	snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
	sodium_memzero(token, sizeof token);
	return RC_OK;
}

void app_tick(void *arg)
{
	(void)arg;
	struct err e = {0};
	struct store *db = app_thread_store(&e);
	int64_t now = app_now();
	int purged = 0;
	if (db && store_session_purge(db, now, &purged, &e) != RC_OK)
		db = NULL;
	if (!db)
		log_error("purging sessions: %s", e.msg);
	size_t idle = web_idle_sweep(now, app_cfg.session_idle);
	if (purged || idle)
		log_info("sessions: %d past their lifetime deleted, %zu idle forgotten", purged, idle);
}

static void sess_free(void *p)
{
	free(p);
}

/* ---- the one authorisation function ------------------------------------------------------ */

static bool role_may(enum role role, unsigned perm)
{
	switch (perm) {
	case P_READ:
	case P_REPORTS:
		return true;
	case P_ADMIN:
		return role == ROLE_ADMIN;
	case P_AUDIT:
		return role == ROLE_ADMIN || role == ROLE_REVIEWER;
	case P_ACTIVITY:
		return role == ROLE_ADMIN || role == ROLE_LEADER || role == ROLE_HANDLER;
	default:
		return false;
	}
}

static enum rc app_authorize(struct req *r)
{
	const struct who *w = WHO(r);
	unsigned flags = r->route->flags;
	if (!role_may(w->role, R_GET_PERM(flags)))
		return ERR(&r->err, RC_DENIED, "您的角色（%s）不能进行此操作。", role_name_zh(w->role));
	unsigned act = R_GET_ACT(flags);
	if (act == 0)
		return RC_OK;
	struct actx *a = r->ctx;
	enum rc rc = store_task_get(a->db, w, r->param[0], a->today, &a->task, &r->err);
	if (rc != RC_OK)
		return rc; /* RC_NOTFOUND outside the caller's scope */
	a->have_task = true;
	if (act == A_VIEW)
		return RC_OK;
	enum task_action ta = (enum task_action)(act - 1);
	if (a->task.actions & (1u << ta))
		return RC_OK;
	rc = task_may(w, &a->task.facts, ta, &r->err);
	if (rc == RC_OK) /* the store's list and its rule disagree: refuse anyway */
		rc = ERR(&r->err, RC_DENIED, "不能对此事项进行“%s”。", task_action_label(ta));
	return rc;
}

/* ---- the chrome ---------------------------------------------------------------------------- */

void page_csrf(struct req *r, struct html *h)
{
	html_open(h, "input", "type", "hidden", "name", "csrf", "value", r->csrf, NULL);
}

void page_light(struct html *h, enum light l)
{
	static const char *const cls[LIGHT__MAX] = {"light none", "light green", "light yellow",
						    "light red"};
	html_elem(h, "span", l == LIGHT_NONE ? "—" : light_name_zh(l), "class",
		  cls[(unsigned)l < LIGHT__MAX ? l : 0], NULL);
}

void page_status(struct html *h, enum task_status s)
{
	char cls[40];
	snprintf(cls, sizeof cls, "st %s", task_status_key(s));
	html_elem(h, "span", task_status_name(s), "class", cls, NULL);
}

void page_flash(struct req *r, struct html *h)
{
	static const struct {
		const char *key, *msg;
	} msgs[] = {
		{"progress", "进展已报送。"}, {"submit", "已申请销号，等待审核。"},
		{"approve", "已销号。"}, {"return", "已退回整改。"}, {"reopen", "已重新打开。"},
		{"stage", "已确认阶段性完成。"}, {"confirm", "回头看已确认。"},
		{"assign", "交办信息已保存。"}, {"extend", "延期申请已提交。"},
		{"extend-decide", "延期申请已处理。"}, {"activity", "活动已登记。"},
		{"imported", "材料已导入，整改事项已生成。"}, {"password", "密码已修改。"},
		{"unit", "单位已添加。"}, {"user", "用户已保存。"}, {"campaign", "批次已创建。"},
		{"node", "结构已更正。"},
	};
	const char *ok = web_query(r, "ok");
	if (!ok)
		return;
	for (size_t i = 0; i < ARRAY_LEN(msgs); i++)
		if (strcmp(ok, msgs[i].key) == 0)
			html_elem(h, "div", msgs[i].msg, "class", "flash ok", "role", "status", NULL);
}

const char *page_action_zh(const char *action)
{
	static const struct {
		const char *k, *zh;
	} names[] = {
		{"import", "导入"},           {"progress", "报送进展"},     {"evidence", "上传佐证材料"},
		{"extend", "申请延期"},       {"extend-approve", "同意延期"}, {"extend-refuse", "不同意延期"},
		{"activity", "登记活动"},     {"campaign-new", "新建批次"}, {"campaign-current", "设为当前批次"},
		{"unit-add", "添加单位"},     {"unit-move", "调整上级单位"}, {"unit-rename", "单位改名"},
		{"user-add", "添加用户"},     {"user-update", "修改用户"},  {"user-password", "修改密码"},
		{"tree-edit", "更正结构"},    {"move", "移动条目"},         {"merge", "合并条目"},
		{"split", "拆分条目"},        {"rename", "修改要点"},       {"setting", "修改设置"},
		{"create", "建立事项"},       {"carry", "结转"},           {"delete", "删除"},
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (strcmp(action, names[i].k) == 0)
			return names[i].zh;
	enum task_action ta;
	if (task_action_parse(action, &ta) == 0)
		return task_action_label(ta);
	return action;
}

const char *page_period_zh(enum doc_period p)
{
	static const char *const n[DOC_PERIOD__MAX] = {"每年", "每半年", "每季度", "每月", "每周",
						       "全期"};
	return (unsigned)p < DOC_PERIOD__MAX ? n[p] : "";
}

void page_time(const char *iso, char *out, size_t n)
{
	struct tm tm = {0};
	if (iso && sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		time_t t = timegm(&tm);
		struct tm lt;
		localtime_r(&t, &lt);
		strftime(out, n, "%Y-%m-%d %H:%M", &lt);
		return;
	}
	snprintf(out, n, "%s", iso ? iso : "");
}

/* Per-generation memo of small per-user numbers. */
struct memo {
	uint64_t gen;
	int64_t user;
	int32_t today;
	int value;
	char text[256];
};
static __thread struct memo todo_memo[8], title_memo;

static int count_tasks(struct req *r, int status, int64_t leader)
{
	struct task_filter f = TASK_FILTER_INIT;
	f.status = status;
	f.leader_id = leader;
	f.per_page = 1;
	struct task_list l = {0};
	int n = 0;
	if (store_task_list(ACTX(r)->db, WHO(r), &f, ACTX(r)->today, &l, NULL) == RC_OK)
		n = (int)l.total;
	task_list_release(&l);
	return n;
}

int app_todo_count(struct req *r)
{
	const struct who *w = WHO(r);
	struct actx *a = r->ctx;
	uint64_t gen = app_gen(r);
	struct memo *m = &todo_memo[(uint64_t)w->user_id % ARRAY_LEN(todo_memo)];
	if (m->gen == gen && m->user == w->user_id && m->today == a->today)
		return m->value;
	int n = 0;
	switch (w->role) {
	case ROLE_LEADER:
		n = count_tasks(r, TASK_NOT_STARTED, w->user_id) +
		    count_tasks(r, TASK_IN_PROGRESS, w->user_id);
		break;
	case ROLE_HANDLER:
		n = count_tasks(r, TASK_NOT_STARTED, 0) + count_tasks(r, TASK_IN_PROGRESS, 0);
		break;
	case ROLE_REVIEWER: {
		struct dashboard d = {0};
		if (store_dashboard(a->db, w, 0, a->today, &d, NULL) == RC_OK)
			n = d.by_status[TASK_SUBMITTED] + d.pending_extensions + d.review_due;
		dashboard_release(&d);
		break;
	}
	case ROLE_ADMIN: {
		struct check_report c = {0};
		if (store_check(a->db, w, 0, a->today, &c, NULL) == RC_OK)
			n = c.count[CHECK_PROBLEM_NO_TASK] + c.count[CHECK_TASK_NO_LEADER] +
			    c.count[CHECK_TASK_NO_UNIT] + c.count[CHECK_TASK_NO_DEADLINE];
		check_report_release(&c);
		break;
	}
	default:
		break;
	}
	m->gen = gen;
	m->user = w->user_id;
	m->today = a->today;
	m->value = n;
	return n;
}

void app_campaign_title(struct req *r, char *out, size_t n)
{
	struct actx *a = r->ctx;
	uint64_t gen = app_gen(r);
	struct memo *m = &title_memo;
	if (m->gen != gen || !m->user) {
		m->text[0] = '\0';
		int64_t id;
		if (store_campaign_current(a->db, &id, NULL) == RC_OK) {
			struct campaign_list l = {0};
			if (store_campaign_get(a->db, WHO(r), id, &l, NULL) == RC_OK && l.n)
				snprintf(m->text, sizeof m->text, "%s", l.v[0].title);
			campaign_list_release(&l);
		}
		m->gen = gen;
		m->user = 1;
	}
	snprintf(out, n, "%s", m->text);
}

static void head_only(struct html *h, const char *title)
{
	html_lit(h, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
	html_open(h, "title", NULL);
	html_text(h, title);
	html_lit(h, " · 整改台账");
	html_close(h, 1);
	html_open(h, "link", "rel", "stylesheet", "href", web_static_url("/static/app.css"), NULL);
	html_open(h, "link", "rel", "icon", "type", "image/svg+xml", "href",
		  web_static_url("/static/favicon.svg"), NULL);
	html_open(h, "script", "src", web_static_url("/static/app.js"), "defer", "", NULL);
	html_close(h, 1);
	html_lit(h, "</head>");
}

void page_begin(struct req *r, struct html *h, const char *title, enum nav nav)
{
	head_only(h, title);
	html_open(h, "body", NULL);
	html_open(h, "header", "class", "top", NULL);
	html_open(h, "div", "class", "top-in", NULL);
	html_elem(h, "a", "整改台账", "class", "brand", "href", "/", NULL);
	if (r->logged_in) {
		char ct[256];
		app_campaign_title(r, ct, sizeof ct);
		if (ct[0])
			html_elem(h, "span", ct, "class", "campaign", "title", ct, NULL);
		const struct sess *s = SESS(r);
		html_open(h, "div", "class", "who", NULL);
		html_open(h, "span", NULL);
		html_text(h, s->name);
		if (s->unit_name[0]) {
			html_lit(h, " · ");
			html_text(h, s->unit_name);
		}
		html_close(h, 1);
		html_elem(h, "span", role_name_zh(s->who.role), "class", "role", NULL);
		if (s->who.role != ROLE_OBSERVER) {
			int n = app_todo_count(r);
			html_open(h, "a", "href", "/mine", "title", "我的待办", NULL);
			html_lit(h, "待办 ");
			char num[16];
			snprintf(num, sizeof num, "%d", n);
			html_elem(h, "span", num, "class", n ? "todo" : "todo zero", NULL);
			html_close(h, 1);
		}
		html_elem(h, "a", "修改密码", "href", "/password", NULL);
		html_open(h, "form", "method", "post", "action", "/logout", NULL);
		page_csrf(r, h);
		html_elem(h, "button", "退出", "type", "submit", "class", "linkbtn", NULL);
		html_close(h, 1);
		html_close(h, 1); /* who */
	}
	html_close(h, 2); /* top-in, header */
	if (r->logged_in) {
		static const struct {
			enum nav nav;
			const char *label, *href;
		} items[] = {
			{NAV_HOME, "总览", "/"},       {NAV_REPORTS, "材料", "/reports"},
			{NAV_TASKS, "台账", "/tasks"}, {NAV_MINE, "我的", "/mine"},
			{NAV_COMMIT, "承诺", "/commitments"}, {NAV_ADMIN, "管理", "/admin"},
		};
		enum role role = WHO(r)->role;
		html_open(h, "nav", "class", "nav", "aria-label", "主导航", NULL);
		html_open(h, "ul", NULL);
		for (size_t i = 0; i < ARRAY_LEN(items); i++) {
			const char *href = items[i].href;
			if (items[i].nav == NAV_ADMIN) {
				if (role == ROLE_REVIEWER)
					href = "/admin/audit";
				else if (role != ROLE_ADMIN)
					continue;
			}
			html_open(h, "li", NULL);
			html_elem(h, "a", items[i].label, "href", href, "class",
				  items[i].nav == nav ? "on" : NULL, "aria-current",
				  items[i].nav == nav ? "page" : NULL, NULL);
			html_close(h, 1);
		}
		html_close(h, 2);
	}
	html_open(h, "main", NULL);
	if (r->logged_in) {
		/* On paper the header is gone: say whose ledger and of which day. */
		char ct[256];
		app_campaign_title(r, ct, sizeof ct);
		html_open(h, "div", "class", "print-only", NULL);
		html_text(h, ct);
		html_lit(h, " · 打印日期 ");
		html_text(h, r->today);
		html_lit(h, " · ");
		html_text(h, SESS(r)->name);
		html_close(h, 1);
	}
}

void page_end(struct req *r, struct html *h)
{
	(void)r;
	html_close_to(h, 1); /* back to <body> */
	html_open(h, "footer", "class", "foot", NULL);
	html_lit(h, "rectify 整改台账 " RECTIFY_VERSION);
	html_close_to(h, 0);
	html_lit(h, "</html>\n");
}

/*
 * The store speaks English (its messages serve the command line too): the
 * refusals people can meet in the browser are put into Chinese here, found
 * by a piece of the store's message.  Anything else written mostly in
 * Latin letters is replaced by the rc's Chinese message, its English kept
 * as the detail in small print; a Chinese message passes as it is.
 */
static const struct {
	const char *has, *zh;
} explained[] = { /* searched in order: a longer piece before its prefix */
	{"rule W14", "督导组只能查看，不能修改。"},
	{"rule W1: only", "只有办公室可以分解交办事项。"},
	{"rule W1: the task is", "事项已销号，不能再修改交办信息；如需调整，请审核人先重新打开。"},
	{"rule W2: progress is reported", "进展只能由该事项的责任领导、责任单位的承办人或办公室报送。"},
	{"rule W2: the task is under review", "事项已申请销号，审核期间不能报送进展。"},
	{"rule W2: the task is", "事项已销号，不能再报送进展。"},
	{"rule W3: only", "只有该事项的责任领导或办公室可以申请销号。"},
	{"rule W3:", "只有“整改中”或“阶段性完成”的事项可以申请销号。"},
	{"rule W4", "申请销号前，至少要报送一条附有佐证材料的进展。"},
	{"rule W5: only a reviewer", "只有审核人可以审核销号申请。"},
	{"rule W5:", "只有处于“申请销号”的事项可以审核。"},
	{"rule W6", "阶段性完成只适用于长期坚持的事项。"},
	{"rule W7: only a reviewer", "只有审核人可以重新打开事项。"},
	{"rule W7:", "只有“已销号”或“阶段性完成”的事项可以重新打开。"},
	{"rule W8", "退回和重新打开都要填写理由（不超过 5000 字节）。"},
	{"rule W9", "整改时限已经设定，只能通过延期申请调整。"},
	{"rule W10: an extension is requested", "只有该事项的责任领导或办公室可以申请延期。"},
	{"rule W10: an extension request is already", "已有一项延期申请等待审批，审批后才能再次申请。"},
	{"rule W10: an extension request needs", "请填写延期理由（不超过 5000 字节）。"},
	{"rule W10: the new deadline must be after the current", "延期后的日期必须晚于现在的整改时限。"},
	{"rule W10: the new deadline must be after today", "延期后的日期必须晚于今天。"},
	{"rule W10: the task has no deadline", "事项还没有整改时限，请办公室先在分解交办时设定。"},
	{"rule W10: the task", "事项已销号，不能申请延期。"},
	{"rule W11: no extension", "没有等待审批的延期申请。"},
	{"rule W11:", "只有审核人可以审批延期申请。"},
	{"rule W12: no", "此事项现在没有需要确认的回头看。"},
	{"rule W12: the 回头看 of this task is due", "回头看还没有到期，到期后才能确认。"},
	{"rule W12:", "只有审核人可以确认回头看。"},
	{"rule W13", "只有办公室、责任领导和承办人可以登记活动。"},
	{"no pending extension", "没有等待审批的延期申请。"},
	{"nothing to assign", "交办信息没有变化，无需保存。"},
	{" is empty", "佐证材料是空文件，请重新选择文件。"},
	{"was changed by someone else", "内容已被他人修改，请刷新页面，看过最新内容后再操作。"},
	{"already imported as report", "这份材料已经导入过。确需再次导入，请勾选“同一文件已导入过时仍再次导入”。"},
	{"has no problem item", "材料中没有找到“问题”部分的条目，无法生成整改事项。请检查材料的标题和编号。"},
	{"the split point", "拆分位置不在本条之内，请刷新页面后重新选择。"},
	{"is already in that area", "本条已经在这个方面中。"},
	{"moves only to an area of the same", "只能移到同一部分（问题或措施）下的另一个方面。"},
	{"merged only within one section", "只能合并同一部分中的条目。"},
	{"the task of the item being merged already has", "被并入条目的整改事项已有进展、延期申请或状态变化，不能合并。"},
	{"the new lead must be", "标题须为 1 到 2000 字节的文字。"},
	{"an item cannot be merged with itself", "不能把条目并入它自己。"},
	{"a unit named", "已有同名的单位。"},
	{"exists already", "已有同名的用户或单位。"},
	{"a login is 1 to 64", "用户名只能由字母、数字、“.”、“_”或“-”组成，不超过 64 个字符。"},
	{"belongs to a unit", "责任领导和承办人必须属于一个单位。"},
	{"the password must have at least", "密码至少 8 个字符。"},
	{"the password must have at most", "密码过长（不超过 256 字节）。"},
	{"the year must be between", "年度应在 1900 到 9999 之间。"},
	{"a campaign needs a title", "请填写批次标题（不超过 500 字节）。"},
	{"not in the future", "活动日期不能晚于今天。"},
	{"is not an active leader", "所选责任领导不是在用的责任领导账号。"},
	{"a progress entry needs a text", "进展情况须为 1 到 20000 字节的文字。"},
	{"evidence name", "佐证材料的文件名无效（不能含路径或控制字符）。"},
	{"bad MIME type", "佐证材料的文件类型无效。"},
	{"the note", "意见或备注过长（不超过 5000 字节）。"},
	{"the goal must be", "整改目标过长（不超过 20000 字节）。"},
	{"the search text is limited", "搜索文字不能超过 200 字节。"},
};

static const char *app_explain(enum rc rc, const char *msg, const char **detail)
{
	*detail = NULL;
	for (size_t i = 0; i < ARRAY_LEN(explained); i++)
		if (strstr(msg, explained[i].has))
			return explained[i].zh;
	/* Chinese enough to read as it is? */
	size_t latin = 0, wide = 0;
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			latin++;
		else if (*p >= 0xE0) /* the lead byte of a three- or four-byte character */
			wide++;
	}
	if (latin <= 2 * wide)
		return msg;
	*detail = msg;
	return web_rc_message(rc);
}

/* The path of the Referer when it is a page of this server, else NULL. */
static const char *local_referer(const struct req *r)
{
	const char *p = r->referer;
	if (!p || !r->host)
		return NULL;
	if (strncmp(p, "http://", 7) == 0)
		p += 7;
	else if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else
		return NULL;
	size_t n = strlen(r->host);
	if (strncmp(p, r->host, n) != 0 || p[n] != '/' || p[n + 1] == '/' || p[n + 1] == '\\')
		return NULL;
	return p + n;
}

static void app_error_page(struct req *r, struct html *h, enum rc rc, const char *msg,
			   const char *detail)
{
	static const char *const heads[] = {
		[RC_INVALID] = "填写的内容有误", [RC_NOTFOUND] = "找不到这个页面",
		[RC_DENIED] = "没有权限", [RC_CONFLICT] = "内容已有变动",
		[RC_TOOBIG] = "内容太大", [RC_MEDIA] = "格式不支持",
		[RC_THROTTLED] = "操作过于频繁", [RC_AUTH] = "需要登录",
	};
	const char *head = (unsigned)rc < ARRAY_LEN(heads) && heads[rc] ? heads[rc] : "出错了";
	char title[96];
	snprintf(title, sizeof title, "%s（%d）", head, rc_http_status(rc));
	if (r->logged_in && r->ctx) {
		page_begin(r, h, title, NAV_NONE);
	} else {
		head_only(h, title);
		html_open(h, "body", NULL);
		html_open(h, "header", "class", "top", NULL);
		html_open(h, "div", "class", "top-in", NULL);
		html_elem(h, "a", "整改台账", "class", "brand", "href", "/", NULL);
		html_close(h, 2);
		html_open(h, "main", NULL);
	}
	html_open(h, "div", "class", "card error-card", NULL);
	html_elem(h, "h1", title, NULL);
	html_elem(h, "p", msg, "class", "flash err", "role", "alert", NULL);
	if (detail)
		html_elem(h, "p", detail, "class", "muted small", "lang", "en", NULL);
	html_open(h, "p", "class", "error-actions", NULL);
	const char *back = local_referer(r);
	if (back && r->method == WEB_POST) {
		/* A fresh copy of the page the form was sent from. */
		html_elem(h, "a", rc == RC_CONFLICT ? "刷新原页面" : "返回原页面", "href", back, "class",
			  "btn", NULL);
		html_lit(h, " ");
	}
	html_elem(h, "a", "返回首页", "href", "/", "class", "btn ghost", NULL);
	html_close(h, 2);
	if (r->logged_in && r->ctx) {
		page_end(r, h);
	} else {
		html_close_to(h, 0);
		html_lit(h, "</html>\n");
	}
}

const struct web_app rectify_app = {
	.routes = routes,
	.nroutes = ARRAY_LEN(routes),
	.session = app_session,
	.authorize = app_authorize,
	.error_page = app_error_page,
	.begin = app_begin,
	.end = app_end,
	.session_free = sess_free,
	.login_path = "/login",
	.explain = app_explain,
};
