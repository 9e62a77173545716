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
	{"GET", "/tasks/:id/form", page_task_form, NULL, NULL, R_PERM(P_READ) | V},
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
	{"GET", "/reports/preview", page_report_preview, NULL, NULL, R_PERM(P_ADMIN)},
	{"POST", "/reports/confirm", form_report_confirm, NULL, NULL, R_PERM(P_ADMIN)},
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
	{"GET", "/audit", page_audit, NULL, NULL, R_PERM(P_AUDIT)},
	{"GET", "/admin/audit", page_audit, NULL, NULL, R_PERM(P_AUDIT)},
	/* the JSON API */
	{"POST", "/api/v1/login", NULL, api_login, NULL, R_JSON | R_PUBLIC | R_NOCSRF | R_JSONBODY},
	{"POST", "/api/v1/logout", NULL, api_logout, NULL, R_JSON | R_PERM(P_READ) | R_JSONBODY},
	{"GET", "/api/v1/tasks", NULL, NULL, api_tasks, R_JSON | R_PERM(P_READ)},
	{"GET", "/api/v1/tasks/:id", NULL, NULL, api_task, R_JSON | R_PERM(P_READ) | V},
	{"POST", "/api/v1/tasks/:id/progress", NULL, NULL, api_task_progress,
	 R_JSON | R_PERM(P_READ) | T(TACT_PROGRESS) | R_UPLOAD | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/submit", NULL, NULL, api_task_action,
	 R_JSON | R_PERM(P_READ) | T(TACT_SUBMIT) | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/approve", NULL, NULL, api_task_action,
	 R_JSON | R_PERM(P_READ) | T(TACT_APPROVE) | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/return", NULL, NULL, api_task_action,
	 R_JSON | R_PERM(P_READ) | T(TACT_RETURN) | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/reopen", NULL, NULL, api_task_action,
	 R_JSON | R_PERM(P_READ) | T(TACT_REOPEN) | R_JSONBODY},
	{"GET", "/api/v1/commitments", NULL, api_commitments, NULL, R_JSON | R_PERM(P_READ)},
	/* downloads (page_export.c) and the spreadsheet import (page_import.c);
	 * at the end, so the fuzzer's seeds keep their route numbers */
	{"GET", "/export/ledger", NULL, NULL, raw_export_ledger, R_PERM(P_READ)},
	{"GET", "/export/report", NULL, NULL, raw_export_report, R_PERM(P_READ)},
	{"GET", "/api/v1/export", NULL, NULL, raw_export_ledger, R_JSON | R_PERM(P_READ)},
	{"GET", "/api/v1/report", NULL, NULL, raw_export_report, R_JSON | R_PERM(P_READ)},
	{"GET", "/tasks/import", page_import, NULL, NULL, R_PERM(P_ADMIN)},
	{"POST", "/tasks/import", form_import_preview, NULL, NULL, R_PERM(P_ADMIN) | R_UPLOAD},
	{"POST", "/tasks/import/confirm", form_import_confirm, NULL, NULL, R_PERM(P_ADMIN)},
	/* the admin page's unit and setting forms; at the end too */
	{"POST", "/admin/units/:id", NULL, NULL, form_admin_unit_update, R_PERM(P_ADMIN)},
	{"POST", "/admin/settings", NULL, NULL, form_admin_setting, R_PERM(P_ADMIN)},
	/* 催办 and the inbox (page_notify.c); at the end too */
	{"POST", "/tasks/:id/urge", NULL, NULL, form_task_action, R_PERM(P_READ) | T(TACT_URGE)},
	{"POST", "/api/v1/tasks/:id/urge", NULL, NULL, api_task_action,
	 R_JSON | R_PERM(P_READ) | T(TACT_URGE) | R_JSONBODY},
	{"GET", "/notifications", page_notifications, NULL, NULL, R_PERM(P_READ)},
	{"POST", "/notifications/read", NULL, NULL, form_notifications_read, R_PERM(P_READ)},
	{"POST", "/notifications/channels", NULL, NULL, form_notifications_channels,
	 R_PERM(P_READ)},
	{"GET", "/api/v1/notifications", NULL, api_notifications, NULL, R_JSON | R_PERM(P_READ)},
	{"POST", "/api/v1/notifications/read", NULL, api_notifications_read, NULL,
	 R_JSON | R_PERM(P_READ) | R_JSONBODY},
	/* bulk actions (page_bulk.c); at the end too */
	{"POST", "/tasks/bulk/confirm", form_bulk_confirm, NULL, NULL, R_PERM(P_BULK) | R_LIST},
	{"POST", "/tasks/bulk", form_bulk_apply, NULL, NULL, R_PERM(P_BULK) | R_LIST},
	{"POST", "/api/v1/tasks/bulk", NULL, api_tasks_bulk, NULL,
	 R_JSON | R_PERM(P_BULK) | R_JSONBODY},
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
	enum rc rc = store_today_of(db, app_cfg.today, &a->today, &r->err);
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
		a->gen = store_generation(a->db, &a->commits);
		a->have_gen = true;
	}
	return a->gen;
}

uint64_t app_commit_gen(struct req *r)
{
	app_gen(r);
	return ((struct actx *)r->ctx)->commits;
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
 * (every request renews it; the clock is the session row's last_seen,
 * written at most once per idle_every() seconds, with web_idle.c holding
 * the uses in between), app_cfg.session_max seconds after login (the row's
 * `expires`), logout, a password change (the store deletes the user's
 * sessions), or the user being deactivated.  store_session_purge() deletes
 * the rows of expired and idle sessions.
 *
 * A small per-thread cache of live sessions, valid while the commit
 * generation is unchanged (any committed write moves it, whatever the
 * connection or process: a logout, a password change, a purge, a write of
 * last_seen) and the session has not expired, saves the session query on
 * a page view; the idle clock is consulted on every request regardless.
 */
enum { SESS_CACHE = 32 };
struct sess_entry {
	uint64_t gen;
	int64_t expires, seen;
	struct sess s;
};
static __thread struct sess_entry sess_cache[SESS_CACHE];

void app_session_cache_clear(void)
{
	memset(sess_cache, 0, sizeof sess_cache);
}

/* How often a session's use is written to the database: about once a
 * minute, and often enough for short idle bounds (tests). */
static int64_t idle_every(void)
{
	int64_t every = app_cfg.session_idle / 4;
	if (every > STORE_SESSION_TOUCH_S)
		every = STORE_SESSION_TOUCH_S;
	return every > 0 ? every : 1;
}

/* The session is over: delete it, and the browser's cookie with it. */
static void session_dead(struct req *r, bool delete_row)
{
	if (delete_row)
		store_session_delete(ACTX(r)->db, r->cookie_session, NULL);
	web_idle_forget(r->cookie_session);
	free(r->new_cookie);
	r->new_cookie = web_cookie(NULL, r->tls);
}

/* The session of the cookie from the database into *s; RC_AUTH when there
 * is none (ended, expired, idle). */
static enum rc session_load(struct req *r, int64_t now, struct sess *s, int64_t *expires,
			    int64_t *seen)
{
	struct actx *a = r->ctx;
	struct err e = {0};
	enum rc rc = store_session_get(a->db, r->cookie_session, now, app_cfg.session_idle,
				       &s->who, s->csrf, expires, seen, &e);
	if (rc != RC_OK) {
		if (rc != RC_AUTH)
			r->err = e;
		return rc;
	}
	struct user u;
	struct arena ar = {0};
	rc = store_user_get(a->db, s->who.user_id, &u, &ar, &r->err);
	if (rc == RC_OK) {
		snprintf(s->login, sizeof s->login, "%s", u.login);
		snprintf(s->name, sizeof s->name, "%s", u.name);
		snprintf(s->unit_name, sizeof s->unit_name, "%s", u.unit_name ? u.unit_name : "");
		snprintf(s->token, sizeof s->token, "%s", r->cookie_session);
	}
	arena_release(&ar);
	return rc;
}

static enum rc app_session(struct req *r)
{
	if (!web_token_valid(r->cookie_session))
		return RC_OK;
	int64_t now = app_now();
	uint64_t gen = app_commit_gen(r);
	unsigned h = 0;
	for (const char *p = r->cookie_session; *p; p++)
		h = h * 31u + (unsigned char)*p;
	struct sess_entry *ce = &sess_cache[h % SESS_CACHE];
	struct sess *s = xcalloc(1, sizeof *s);
	int64_t expires = 0, seen = 0;
	bool cached = ce->gen == gen && ce->expires > now &&
		      strcmp(ce->s.token, r->cookie_session) == 0;
	enum rc rc = RC_OK;
	if (cached) {
		*s = ce->s;
		expires = ce->expires;
		seen = ce->seen;
	} else {
		rc = session_load(r, now, s, &expires, &seen);
	}
	enum web_idle v = WEB_IDLE_DEAD;
	if (rc == RC_OK)
		v = web_idle_touch(r->cookie_session, now, seen, app_cfg.session_idle, idle_every());
	if (rc == RC_OK && v == WEB_IDLE_DEAD && cached) {
		/* The cached last_seen may be older than the row's: ask the row. */
		ce->gen = 0;
		cached = false;
		rc = session_load(r, now, s, &expires, &seen);
		if (rc == RC_OK)
			v = web_idle_touch(r->cookie_session, now, seen, app_cfg.session_idle,
					   idle_every());
	}
	if (rc == RC_OK && v == WEB_IDLE_WRITE) {
		struct err e = {0};
		rc = store_session_touch(ACTX(r)->db, r->cookie_session, now, &e);
		if (rc == RC_OK) {
			seen = now;
		} else if (rc != RC_AUTH) {
			/* The use is not recorded this time; the next one is. */
			log_warn("session use not recorded: %s", e.msg);
			rc = RC_OK;
		}
	}
	if (rc != RC_OK || v == WEB_IDLE_DEAD) {
		free(s);
		ce->gen = 0;
		if (rc != RC_OK && rc != RC_AUTH)
			return rc;
		/* Idle by this process's clock: the row goes now; otherwise the
		 * store has it ended already. */
		session_dead(r, rc == RC_OK);
		return RC_OK;
	}
	ce->gen = gen;
	ce->expires = expires;
	ce->seen = seen;
	ce->s = *s;
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
	web_idle_touch(token, now, now, app_cfg.session_idle, idle_every());
	free(r->new_cookie);
	r->new_cookie = web_cookie(token, r->tls);
	snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
	sodium_memzero(token, sizeof token);
	return RC_OK;
}

static int64_t head_logged; /* app_now() of the last app_log_head */

void app_log_head(struct store *db)
{
	char head[STORE_HEAD_LEN];
	struct err e = {0};
	if (store_audit_head(db, head, &e) != RC_OK) {
		log_error("reading the audit head: %s", e.msg);
		return;
	}
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s rectify: audit head %s (rectify verify --head checks the ledger against it)\n",
	       when, head[0] ? head : "(empty)");
	fflush(stdout);
	head_logged = app_now();
}

void app_tick(void *arg)
{
	(void)arg;
	struct err e = {0};
	struct store *db = app_thread_store(&e);
	int64_t now = app_now();
	if (db && now - head_logged >= 24 * 3600)
		app_log_head(db);
	int purged = 0;
	if (db && store_session_purge(db, now, app_cfg.session_idle, &purged, &e) != RC_OK)
		db = NULL;
	if (!db)
		log_error("purging sessions: %s", e.msg);
	size_t idle = web_idle_sweep(now, app_cfg.session_idle);
	if (purged || idle)
		log_info("sessions: %d ended deleted, %zu idle forgotten", purged, idle);
}

static void sess_free(void *p)
{
	free(p);
}

/* ---- the one authorisation function ------------------------------------------------------ */

bool app_role_may(enum role role, unsigned perm)
{
	switch (perm) {
	case P_READ:
		return true;
	case P_ADMIN:
		return role == ROLE_ADMIN;
	case P_AUDIT:
		return role == ROLE_ADMIN || role == ROLE_REVIEWER || role == ROLE_OBSERVER;
	case P_ACTIVITY:
		return role == ROLE_ADMIN || role == ROLE_LEADER || role == ROLE_HANDLER;
	case P_BULK:
		return bulk_actions(role) != 0;
	default:
		return false;
	}
}

static enum rc app_authorize(struct req *r)
{
	const struct who *w = WHO(r);
	unsigned flags = r->route->flags;
	if (!app_role_may(w->role, R_GET_PERM(flags)))
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

const char *page_maxlength(char out[static 24], size_t bytes)
{
	snprintf(out, 24, "%zu", bytes / 3);
	return out;
}

void page_checkbox(struct html *h, const char *name, const char *label)
{
	html_open(h, "div", "class", "form-row", NULL);
	html_open(h, "label", "class", "check", NULL);
	html_open(h, "input", "type", "checkbox", "name", name, "value", "1", NULL);
	html_text(h, label);
	html_close(h, 2);
}

void page_light(struct html *h, enum light l)
{
	static const char *const cls[LIGHT__MAX] = {"light none", "light green", "light yellow",
						    "light red", "light grey"};
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
		{"unit-edit", "单位已保存。"}, {"setting", "设置已保存。"},
		{"node", "结构已更正。"},         {"urge", "已催办，责任领导和承办人会收到提醒。"},
		{"read", "已标为已读。"},        {"channels", "通知方式已保存。"},
	};
	const char *ok = web_query(r, "ok");
	if (!ok)
		return;
	bulk_flash(r, h);
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
		{"user-update-password", "修改用户并重置密码"}, {"unit-update", "修改单位"},
		{"import-closed", "导入（已销号）"},
		{"tree-edit", "更正结构"},    {"move", "移动条目"},         {"merge", "合并条目"},
		{"split", "拆分条目"},        {"rename", "修改要点"},       {"setting", "修改设置"},
		{"create", "建立事项"},       {"carry", "结转"},  {"carry-out", "转入下一批次"},           {"delete", "删除"},
		{"user-email", "设置邮箱"},   {"user-notify", "设置通知方式"},
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

/* Per-generation memo of small per-user numbers. */
struct memo {
	uint64_t gen;
	int64_t user;
	int32_t today;
	int value;
	char text[256];
};
static __thread struct memo todo_memo[8], unread_memo[8], title_memo;

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
		int64_t todo;
		if (store_office_todo(a->db, w, 0, &todo, NULL) == RC_OK)
			n = (int)todo; /* tasks, not missing fields */
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

int app_unread_count(struct req *r)
{
	const struct who *w = WHO(r);
	uint64_t gen = app_commit_gen(r);
	struct memo *m = &unread_memo[(uint64_t)w->user_id % ARRAY_LEN(unread_memo)];
	if (m->gen == gen && m->user == w->user_id)
		return m->value;
	int64_t n = 0;
	if (store_notify_unread(ACTX(r)->db, w, &n, NULL) != RC_OK)
		n = 0;
	m->gen = gen;
	m->user = w->user_id;
	m->value = (int)n;
	return (int)n;
}

void app_campaign_title(struct req *r, char *out, size_t n)
{
	struct actx *a = r->ctx;
	uint64_t gen = app_gen(r);
	struct memo *m = &title_memo;
	if (m->gen != gen || !m->user) {
		if (store_campaign_current_title(a->db, m->text, sizeof m->text, NULL) != RC_OK)
			m->text[0] = '\0';
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
			html_open(h, "span", "class", "unit", NULL);
			html_lit(h, " · ");
			html_text(h, s->unit_name);
			html_close(h, 1);
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
		{
			int n = app_unread_count(r);
			html_open(h, "a", "href", "/notifications", "title", "我的消息", NULL);
			html_lit(h, "消息 ");
			char num[16];
			snprintf(num, sizeof num, "%d", n);
			html_elem(h, "span", num, "class", n ? "todo unread" : "todo zero", NULL);
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
			{NAV_AUDIT, "日志", "/audit"},
		};
		enum role role = WHO(r)->role;
		html_open(h, "nav", "class", "nav", "aria-label", "主导航", NULL);
		html_open(h, "ul", NULL);
		for (size_t i = 0; i < ARRAY_LEN(items); i++) {
			const char *href = items[i].href;
			/* The office reaches the log from 管理; reviewers and
			 * observers, who read it too, from 日志. */
			if ((items[i].nav == NAV_ADMIN && !app_role_may(role, P_ADMIN)) ||
			    (items[i].nav == NAV_AUDIT &&
			     (app_role_may(role, P_ADMIN) || !app_role_may(role, P_AUDIT))))
				continue;
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
 * The store speaks English (its messages serve the command line too) and
 * marks each refusal with a stable code (store.h, STORE_E_*): the refusals
 * people can meet in the browser are put into Chinese here by that code.
 * A message without a known code written mostly in Latin letters is
 * replaced by the rc's Chinese message, its English kept as the detail in
 * small print; a Chinese message passes as it is.
 */
/* A bound of the store in bytes, as people count: a character of Chinese
 * is three of them. */
#define ZH_BYTES(n) STR(n) " 字节（一个汉字占 3 字节）"
static const struct {
	const char *code, *zh;
} explained[] = {
	{STORE_E_W14_OBSERVER, "督导组只能查看，不能修改。"},
	{STORE_E_W1_ROLE, "只有办公室可以分解交办事项。"},
	{STORE_E_W1_CLOSED, "事项已销号，不能再修改交办信息；如需调整，请审核人先重新打开。"},
	{STORE_E_W2_ROLE, "进展只能由该事项的责任领导、责任单位的承办人或办公室报送。"},
	{STORE_E_W2_SUBMITTED, "事项已申请销号，审核期间不能报送进展。"},
	{STORE_E_W2_CLOSED, "事项已销号，不能再报送进展。"},
	{STORE_E_W3_ROLE, "只有该事项的责任领导或办公室可以申请销号。"},
	{STORE_E_W3_STATUS, "只有“整改中”或“阶段性完成”的事项可以申请销号。"},
	{STORE_E_W4_EVIDENCE, "申请销号前，至少要报送一条附有佐证材料的进展。"},
	{STORE_E_W5_ROLE, "只有审核人可以审核销号申请。"},
	{STORE_E_W5_STATUS, "只有处于“申请销号”的事项可以审核。"},
	{STORE_E_W5_OWN, "您是此事项的责任领导、进展报送人或销号申请人，不能审核自己经手的事项，请由其他审核人审核。"},
	{STORE_E_W6_ONGOING, "阶段性完成只适用于长期坚持的事项。"},
	{STORE_E_W7_ROLE, "只有审核人可以重新打开事项。"},
	{STORE_E_W7_STATUS, "只有“已销号”或“阶段性完成”的事项可以重新打开。"},
	{STORE_E_W8_REASON, "退回和重新打开都要填写理由，不超过 " ZH_BYTES(STORE_NOTE_MAX) "。"},
	{STORE_E_W9_DEADLINE, "整改时限已经设定，只能通过延期申请调整。"},
	{STORE_E_W10_ROLE, "只有该事项的责任领导或办公室可以申请延期。"},
	{STORE_E_W10_CLOSED, "事项已销号，不能申请延期。"},
	{STORE_E_W10_NO_DEADLINE, "事项还没有整改时限，请办公室先在分解交办时设定。"},
	{STORE_E_W10_PENDING, "已有一项延期申请等待审批，审批后才能再次申请。"},
	{STORE_E_W10_REASON, "请填写延期理由，不超过 " ZH_BYTES(STORE_NOTE_MAX) "。"},
	{STORE_E_W10_TODAY, "延期后的日期必须晚于今天。"},
	{STORE_E_W10_EARLIER, "延期后的日期必须晚于现在的整改时限。"},
	{STORE_E_W11_ROLE, "只有审核人可以审批延期申请。"},
	{STORE_E_W11_NONE, "没有等待审批的延期申请。"},
	{STORE_E_W12_ROLE, "只有审核人可以确认回头看。"},
	{STORE_E_W12_NONE, "此事项现在没有需要确认的回头看。"},
	{STORE_E_W12_NOT_DUE, "回头看还没有到期，到期后才能确认。"},
	{STORE_E_W13_ROLE, "只有办公室、责任领导和承办人可以登记活动。"},
	{STORE_E_W17_ROLE, "只有办公室和审核人可以催办。"},
	{STORE_E_W17_STATUS, "只有“未启动”或“整改中”的事项可以催办。"},
	{STORE_E_EMAIL, "邮箱地址无效（形如 name@example.cn，不超过 254 个字符，不含空格）。"},
	{STORE_E_NOTIFY_PAGE, "消息分页参数超出范围。"},
	{STORE_E_BULK, "批量操作的事项无效：没有选择事项，或同一事项出现了两次。"},
	{STORE_E_BULK_SIZE, "一次批量操作最多 " STR(TASK_BULK_MAX) " 项事项，请缩小筛选范围或分批操作。"},
	{STORE_E_STALE, "内容已被他人修改，请刷新页面，看过最新内容后再操作。"},
	{STORE_E_ADMIN_ONLY, "只有办公室可以进行这项管理操作。"},
	{STORE_E_AUDIT_ROLE, "只有办公室、审核人和督导组可以查看审计日志。"},
	{STORE_E_PASSWORD_OTHER, "只有办公室可以修改其他用户的密码。"},
	{STORE_E_NO_TASK, "没有找到这个整改事项，或者您无权查看。"},
	{STORE_E_NO_UNIT, "没有找到所选的单位。"},
	{STORE_E_NO_USER, "没有找到这个用户。"},
	{STORE_E_NO_CAMPAIGN, "没有找到这个整改批次，或者还没有建立批次。"},
	{STORE_E_W16_CARRIED, "此事项已转入下一批次，请在新批次中对应的事项上继续办理。"},
	{STORE_E_NO_CAMPAIGN_YET, "还没有建立整改批次：上传一份对照检查材料或导入一份台账即可建立。"},
	{STORE_E_NO_REPORT, "没有找到这份材料。"},
	{STORE_E_NO_NODE, "没有找到材料中的这个条目。"},
	{STORE_E_NO_COMMITMENT, "没有找到这项承诺。"},
	{STORE_E_NO_EVIDENCE, "没有找到这个佐证材料，或者您无权查看。"},
	{STORE_E_DATE, "日期无效，请填写 1900 年到 9999 年之间的日期。"},
	{STORE_E_SEARCH, "搜索文字不能超过 " ZH_BYTES(STORE_SEARCH_MAX) "。"},
	{STORE_E_GOAL, "整改目标过长，不能超过 " ZH_BYTES(STORE_TEXT_MAX) "。"},
	{STORE_E_NOTE, "意见或备注过长，不能超过 " ZH_BYTES(STORE_NOTE_MAX) "。"},
	{STORE_E_PROGRESS_TEXT, "请填写进展情况，不超过 " ZH_BYTES(STORE_TEXT_MAX) "。"},
	{STORE_E_NOTHING_TO_ASSIGN, "交办信息没有变化，无需保存。"},
	{STORE_E_NOTHING_TO_CHANGE, "内容没有变化，无需保存。"},
	{STORE_E_NOT_LEADER, "所选责任领导不是在用的责任领导账号。"},
	{STORE_E_NOT_MEASURE, "所选的整改措施不是本材料“措施”部分的条目。"},
	{STORE_E_MEASURES, "一个事项最多关联 " STR(TASK_MEASURES_MAX) " 条整改措施。"},
	{STORE_E_EVIDENCE_COUNT, "一次最多上传 " STR(EVIDENCE_MAX_FILES) " 个佐证材料。"},
	{STORE_E_EVIDENCE_NAME, "佐证材料的文件名无效：须为 1 到 " STR(EVIDENCE_NAME_MAX) " 字节的 UTF-8 文字，不能含路径或控制字符。请改名后重新上传。"},
	{STORE_E_EVIDENCE_TYPE, "佐证材料的文件类型无效。"},
	{STORE_E_EVIDENCE_FILE, "佐证材料无法读取，请重新选择文件。"},
	{STORE_E_EVIDENCE_EMPTY, "佐证材料是空文件，请重新选择文件。"},
	{STORE_E_EVIDENCE_BIG, "佐证材料过大（每个文件不超过 32 MiB）。"},
	{STORE_E_ACTIVITY_DAY, "活动日期不能晚于今天。"},
	{STORE_E_PARTICIPANTS, "参加人员无效或过多（最多 " STR(ACTIVITY_WHO_MAX) " 人）。"},
	{STORE_E_UNIT_NAME, "请填写单位名称，不超过 " ZH_BYTES(STORE_NAME_MAX) "，不能含控制字符。"},
	{STORE_E_UNIT_TAKEN, "已有同名的单位。"},
	{STORE_E_UNIT_CYCLE, "不能把单位放到它自己或它的下级单位之下。"},
	{STORE_E_UNIT_DEPTH, "单位层级过深：顶级单位之下最多 " STR(STORE_UNIT_DEPTH_MAX) " 级。"},
	{STORE_E_LOGIN, "用户名只能由字母、数字、“.”、“_”或“-”组成，不超过 " STR(STORE_LOGIN_MAX) " 个字符。"},
	{STORE_E_LOGIN_TAKEN, "已有同名的用户。"},
	{STORE_E_USER_NAME, "请填写姓名，不超过 " ZH_BYTES(STORE_NAME_MAX) "，不能含控制字符。"},
	{STORE_E_ROLE, "未知的角色。"},
	{STORE_E_LAST_ADMIN, "这是最后一位启用的办公室管理员，不能停用或改为其他角色。请先将另一位用户设为启用的办公室管理员。"},
	{STORE_E_UNIT_NEEDED, "责任领导和承办人必须属于一个单位。"},
	{STORE_E_PASSWORD_SHORT, "密码至少 " STR(STORE_PASSWORD_MIN) " 个字符。"},
	{STORE_E_PASSWORD_LONG, "密码过长（不超过 " STR(STORE_PASSWORD_MAX) " 字节）。"},
	{STORE_E_PASSWORD_OLD, "当前密码不正确。"},
	{STORE_E_SETTING_RANGE, "设置的数值超出允许的范围。"},
	{STORE_E_YEAR, "年度应在 1900 到 9999 之间。"},
	{STORE_E_CAMPAIGN_TITLE, "请填写批次标题，不超过 " ZH_BYTES(STORE_TITLE_MAX) "。"},
	{STORE_E_CAMPAIGN_THEME, "批次主题过长，不能超过 " ZH_BYTES(STORE_TITLE_MAX) "。"},
	{STORE_E_CAMPAIGN_AREAS, "框架方面最多 " STR(CAMPAIGN_AREAS_MAX) " 个，每个不超过 " ZH_BYTES(STORE_TITLE_MAX) "。"},
	{STORE_E_REPORT_DUPLICATE, "这份材料已经导入过。确需再次导入，请勾选“同一文件已导入过时仍再次导入”。"},
	{STORE_E_REPORT_EMPTY, "材料中没有找到“问题”部分的条目，无法生成整改事项。请检查材料的标题和编号。"},
	{STORE_E_TREE_LEAD, "请填写标题，不超过 " ZH_BYTES(STORE_LEAD_MAX) "。"},
	{STORE_E_TREE_KIND, "这个条目不能这样更正，请刷新页面后重试。"},
	{STORE_E_TREE_MOVE_PLACE, "只能移到同一部分（问题或措施）下的另一个方面。"},
	{STORE_E_TREE_MOVE_SAME, "本条已经在这个方面中。"},
	{STORE_E_TREE_MERGE_PLACE, "只能合并同一部分中的条目。"},
	{STORE_E_TREE_MERGE_SELF, "不能把条目并入它自己。"},
	{STORE_E_TREE_HISTORY, "被并入条目的整改事项已有进展、延期申请或状态变化，不能合并。"},
	{STORE_E_TREE_SPLIT, "拆分位置不在本条之内，请刷新页面后重新选择。"},
	{STORE_E_NO_DATABASE, "找不到数据库文件，请先用 rectify init 建立。"},
	{STORE_E_NO_SETTING, "没有这项设置。"},
	{STORE_E_PAGE, "分页参数超出范围：页码从 1 开始，每页 1 到 " STR(TASK_PER_PAGE_MAX) " 条。"},
	{STORE_E_FILTER, "筛选条件无效，请重新选择。"},
	{STORE_E_ASSIGN, "交办信息无效：请重新选择责任领导、责任单位和整改时限。"},
	{STORE_E_ACTION, "这项操作不适用于此处，请刷新页面后重试。"},
	{STORE_E_LOGIN_FAILED, "用户名或密码错误。"},
	{STORE_E_USER_INACTIVE, "该用户已停用。"},
	{STORE_E_SESSION, "登录已失效，请重新登录。"},
	{STORE_E_LEDGER_ROW, "台账中有一行无法读取，请按说明修改后重新导入。"},
	{STORE_E_LEDGER_SIZE, "台账中没有可导入的行，或超过了 " STR(LEDGER_ROWS_MAX) " 行的上限。"},
	{STORE_E_SAME_FILE, "备份或恢复的目标就是正在使用的数据库文件，请另选一个文件。"},
	{STORE_E_CONSTRAINT, "数据库拒绝了填写的内容，请检查后重试。"},
};

static size_t explained_at(const char *code)
{
	for (size_t i = 0; code && i < ARRAY_LEN(explained); i++)
		if (strcmp(code, explained[i].code) == 0)
			return i;
	return ARRAY_LEN(explained);
}

const char *app_explain_code(const char *code)
{
	size_t i = explained_at(code);
	return i < ARRAY_LEN(explained) ? explained[i].zh : NULL;
}

static const char *app_explain(enum rc rc, const char *code, const char *msg,
			       const char **detail)
{
	*detail = NULL;
	size_t i = explained_at(code);
	if (i < ARRAY_LEN(explained)) {
		/* Its English names the row and the cell: the detail says which. */
		if (strcmp(code, STORE_E_LEDGER_ROW) == 0 && *msg)
			*detail = msg;
		return explained[i].zh;
	}
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
