/*
 * web_int.h -- what the pages and the API of the web application share
 * (private to the web module: the application's web_app.c, web_ctx.c,
 * web_session.c, web_authz.c, web_chrome.c, web_error.c, and page_*.c).
 *
 * Per request the app keeps a struct actx in r->ctx (the thread's store
 * handle, today, and the task the authorisation step loaded) and, once the
 * session is known, a struct sess in r->user (who is calling).  A handler
 * reads both; it never opens the store itself and never checks permissions
 * the route table already states: web_authz.c's app_authorize() decided them,
 * and the route's action it allowed is in r->action (req_task_action).
 */
#ifndef RECTIFY_WEB_INT_H
#define RECTIFY_WEB_INT_H

#include "store.h"
#include "web.h"

/* Route permissions (struct route.perm): which roles may call a route at
 * all (app_role_may). */
enum perm {
	P_READ = 1,     /* every role */
	P_ADMIN,        /* 办公室 */
	P_AUDIT,        /* admin, reviewer and observer: the audit log (as the store allows) */
	P_ACTIVITY,     /* admin, leader, handler: log an activity (rule W13) */
	P_BULK,         /* the roles with a bulk action (page_bulk.c; admin, reviewer) */
	P__MAX
};

/* Route actions (struct route.action): what a route does, which the
 * handler reads from the request (r->action, req_task_action) once
 * app_authorize has allowed it; the task actions also to the task the
 * route's first :id names. */
enum {
	ACT_NONE = 0,           /* the permission is all */
	ACT_NODE_RENAME,        /* the tree corrections of a report (page_report.c): */
	ACT_NODE_MOVE,          /*   the permission is all, the store checks the rest */
	ACT_NODE_MERGE,
	ACT_NODE_SPLIT,
	ACT_VIEW,               /* reads the task: it must be in the caller's scope */
	ACT_TASK0,              /* ACT_TASK(TACT_x): does TACT_x, which the store must grant */
};
#define ACT_TASK(a) (ACT_TASK0 + (unsigned)(a))
/* The task action of a route action; TACT__MAX when it is none. */
static inline enum task_action act_task(unsigned action)
{
	return action >= ACT_TASK0 && action - ACT_TASK0 < TACT__MAX
		       ? (enum task_action)(action - ACT_TASK0)
		       : TACT__MAX;
}

struct sess {
	struct who who;
	char login[72];
	char name[128];
	char unit_name[128];
	char csrf[STORE_TOKEN_HEX];
	char token[STORE_TOKEN_HEX];
};

struct actx {
	struct store *db;
	int32_t today;
	char today_s[11];
	struct task task;       /* loaded by app_authorize for task routes */
	bool have_gen;
	uint64_t gen;           /* store_generation(), read once per request */
	uint64_t commits;       /* its *commits: moves on any commit, sessions' too */
};

/* The ledger's generation for this request (one query, then remembered):
 * for what is drawn from the ledger. */
uint64_t app_gen(struct req *r);
/* The commit generation of the same query: for what sessions' writes
 * change (the cache of sessions). */
uint64_t app_commit_gen(struct req *r);

static inline struct actx *ACTX(struct req *r)
{
	return r->ctx;
}
static inline struct sess *SESS(struct req *r)
{
	return r->user;
}
static inline const struct who *WHO(struct req *r)
{
	return &((struct sess *)r->user)->who;
}
/* The task action r's handler was authorised for (its route's
 * ACT_TASK(a)), as the router handed it on; TACT__MAX when none. */
static inline enum task_action req_task_action(const struct req *r)
{
	return act_task(r->action);
}

/* ---- web_app.c: the application ---- */

/* The app's settings, set once before the server starts. */
struct app_config {
	const char *db_path;
	const char *today;              /* RECTIFY_TODAY override or NULL */
	int64_t session_idle;           /* seconds without use that end a session (12 h) */
	int64_t session_max;            /* seconds after login that end it anyway (7 days) */
	unsigned purge_s;               /* seconds between purges of ended sessions (600) */
	int64_t (*clock)(void);         /* Unix time; NULL: time(NULL) (tests set a fake) */
	/* Downloads made on request (page_export.c); 0: the WEB_EXPORT_* default. */
	unsigned export_s;              /* seconds one export may take */
	uint64_t export_max;            /* bytes of row text one export may take in */
};
enum {
	WEB_EXPORT_SECONDS = 120,
	WEB_EXPORT_MAX_MB = 256,
};
extern struct app_config app_cfg;
/* The routes and the hooks below, as the router and the server take them. */
extern const struct web_app rectify_app;
/* The app's clock (app_cfg.clock or the real one). */
int64_t app_now(void);

/* ---- web_ctx.c: store handles, the request's context, housekeeping ---- */

/* Close the per-thread store handles (after the server stopped). */
void app_close_all(void);
/* Use st as the calling thread's store handle instead of opening
 * app_cfg.db_path (tests and the fuzzer; the caller keeps it and closes it
 * after the last request; NULL goes back to opening). */
void app_use_store(struct store *st);
/* The calling thread's store handle, opened on first use; NULL (with e
 * set) when the database cannot be opened. */
struct store *app_thread_store(struct err *e);
/* The begin and end hooks: r->ctx, a struct actx with the thread's store
 * handle and today (r->today), made; and freed with the task it holds. */
enum rc app_begin(struct req *r);
void app_end(struct req *r);
/* Housekeeping, from the server's tick: delete the sessions past their
 * lifetime from the database and forget the idle ones. */
void app_tick(void *arg);
/* Print the audit chain's head to standard output, the server's log: a
 * witness outside the database for `rectify verify --head` (at start, then
 * daily from app_tick). */
void app_log_head(struct store *db);

/* ---- web_session.c: sessions ---- */

/* The session hook: the session of r's cookie, when live, in r->user (a
 * struct sess, freed by app_session_free), r->logged_in and r->csrf; an
 * ended one's cookie cleared.  RC_OK whether or not there is one. */
enum rc app_session(struct req *r);
void app_session_free(void *sess);
/* Start a session for user_id: a new token in the cookie, r->csrf set. */
enum rc app_session_start(struct req *r, int64_t user_id);
/* Forget the sessions this thread has cached (tests: a server restart). */
void app_session_cache_clear(void);

/* ---- web_authz.c: authorisation ---- */

/* May a role do what the permission P_* covers?  (The one table routes are
 * checked against; pages ask it before they offer a link.) */
bool app_role_may(enum role role, unsigned perm);
/* The authorize hook: the route's permission for the caller's role and,
 * for a task route, the task loaded as the caller sees it into
 * ACTX(r)->task (RC_NOTFOUND out of scope) and the route's action among
 * those the store grants on it (RC_DENIED with the store's reason). */
enum rc app_authorize(struct req *r);

/* ---- web_chrome.c: the page chrome and the pieces pages share ---- */

enum nav { NAV_HOME, NAV_REPORTS, NAV_TASKS, NAV_MINE, NAV_COMMIT, NAV_ADMIN, NAV_AUDIT, NAV_NONE };
/* The page chrome: doctype, head, header with campaign, user, role and
 * 待办, navigation; page_end closes everything. */
void page_begin(struct req *r, struct html *h, const char *title, enum nav nav);
void page_end(struct req *r, struct html *h);
/* The chrome of a page drawn without a session or a context (an error
 * before either): head, the header's brand, <main>; page_end_bare closes
 * it, without the footer. */
void page_begin_bare(struct html *h, const char *title);
void page_end_bare(struct html *h);
/* A card of a page: <section class="card"> opened, with its <h2> title
 * when not NULL; the caller closes it. */
void page_card(struct html *h, const char *title);
/* A hidden CSRF field for a form. */
void page_csrf(struct req *r, struct html *h);
/* The maxlength attribute of a field whose text the store takes up to
 * `bytes` bytes of UTF-8 (a STORE_*_MAX of store.h).  HTML counts UTF-16
 * code units and one is at most three bytes of UTF-8 (a line break, sent as
 * CR LF, two), so bytes / 3 of them can never pass the store's bound.
 * Writes the number into out and returns out. */
const char *page_maxlength(char out[static 24], size_t bytes);
/* A form row holding one checkbox `name` (value 1) with its label text. */
void page_checkbox(struct html *h, const char *name, const char *label);
/* A flash message from ?ok=… after a redirect. */
void page_flash(struct req *r, struct html *h);
/* <span class="light red">红灯</span> and <span class="st closed">已销号</span>. */
void page_light(struct html *h, enum light l);
void page_status(struct html *h, enum task_status s);
/* What an audited action or a task event ("import", "submit",
 * "extend-approve" …) is called in Chinese; the name itself when unknown. */
const char *page_action_zh(const char *action);
/* "每年", "每季度" … "全期" for a commitment's period. */
const char *page_period_zh(enum doc_period p);
/* The 待办 count of the caller (cached per database generation). */
int app_todo_count(struct req *r);
/* The caller's unread notifications (消息), remembered per user while no
 * commit happens on this thread's handle (reading one is a commit). */
int app_unread_count(struct req *r);
/* Current campaign title ("" when none), cached per generation. */
void app_campaign_title(struct req *r, char *out, size_t n);

/* ---- web_error.c: errors as people read them ---- */

/* The explain hook (struct web_app): the Chinese of a store refusal by its
 * code, a message in English replaced by rc's Chinese one with the
 * English as *detail, a Chinese message as it is. */
const char *app_explain(enum rc rc, const char *code, const char *msg, const char **detail);
/* The Chinese message for a store refusal code (STORE_E_*), or NULL when
 * the code is NULL or has none. */
const char *app_explain_code(const char *code);
/* The error_page hook: the page of an error with its message and detail,
 * in the chrome when there is a session, with a way back. */
void app_error_page(struct req *r, struct html *h, enum rc rc, const char *msg,
		    const char *detail);
/* ---- the render cache (web_cache.c) ---- */

/* A reference-counted immutable byte string. */
struct blob;
struct blob *blob_new(const void *p, size_t len);
void blob_unref(struct blob *b);
const char *blob_data(const struct blob *b);
size_t blob_len(const struct blob *b);
/* Send b as part of r's response at the current end of r->resp.body,
 * without copying; takes over the caller's reference. */
void blob_splice(struct req *r, struct blob *b);
/* Look key up at generation gen: a new reference, or NULL.  NULL means the
 * caller should draw the value and then cache_put() it -- or, when it
 * cannot, cache_abandon() the key, since others may be waiting for it. */
struct blob *cache_get(const char *key, uint64_t gen);
/* Store val (the cache takes its own reference) and wake the waiters. */
void cache_put(const char *key, uint64_t gen, struct blob *val);
void cache_abandon(const char *key, uint64_t gen);
void cache_clear(void);

/* HTML fragments: bytes that came out of the HTML writer, kept in the
 * cache and put back into a page (web_html.c). */
struct blob *html_frag_take(struct html *h);
void html_frag_put(struct html *h, const struct blob *b);
/* Put b into the page being written into r's response without copying it:
 * the response holds the reference (taken over from the caller) until
 * sent.  Falls back to a copy when h does not write r's body. */
void html_frag_splice(struct html *h, struct req *r, struct blob *b);
/* s as a query argument's value (web_html.c): unreserved characters as
 * they are, every other byte percent-encoded. */
void web_url_encode(struct buf *b, const char *s);

/* ---- pages and API handlers ---- */

enum rc page_login(struct req *r, struct html *h);
enum rc form_login(struct req *r, struct html *h);
enum rc form_logout(struct req *r);
enum rc page_password(struct req *r, struct html *h);
enum rc form_password(struct req *r);

enum rc page_home(struct req *r, struct html *h);
enum rc page_tasks(struct req *r, struct html *h);
enum rc page_task(struct req *r, struct html *h);
enum rc page_task_form(struct req *r, struct html *h);   /* 销号审批表 (page_closeout.c) */
enum rc form_task_action(struct req *r);
enum rc form_task_progress(struct req *r);
enum rc form_task_assign(struct req *r);
enum rc form_task_extend(struct req *r);
enum rc raw_evidence(struct req *r);
enum rc page_mine(struct req *r, struct html *h);
/* page_notify.c: 消息, the caller's inbox, and its API. */
enum rc page_notifications(struct req *r, struct html *h);
enum rc form_notifications_read(struct req *r);
enum rc form_notifications_channels(struct req *r);
/* The admin page's card of the delivery's channels (smtp_url …), and its
 * form (under /admin/settings, key = the setting). */
void admin_channels(struct req *r, struct html *h);
/* A form for each text setting of [from, to) (the admin page draws the
 * report's 主送机关 and 署名 with its other settings). */
void admin_text_settings(struct req *r, struct html *h, enum store_text_setting from,
			 enum store_text_setting to);
enum rc form_admin_channel(struct req *r, enum store_text_setting s, int64_t version);
enum rc api_notifications(struct req *r, json_t **out);
enum rc api_notifications_read(struct req *r, json_t **out);
enum rc page_commitments(struct req *r, struct html *h);
enum rc form_activity(struct req *r);
enum rc page_reports(struct req *r, struct html *h);
enum rc page_report(struct req *r, struct html *h);
/* A report's source format as people call it ("docx": Word 文档). */
const char *report_format_zh(const char *format);
/* 材料体检 of d as a card, against the problem items of the campaigns
 * before campaign_id (0: every campaign); the findings link to their
 * spans on report report_id's page (0: not imported yet, no links). */
struct doc;
void report_lint_card(struct req *r, struct html *h, const struct doc *d, int64_t campaign_id,
		      int64_t report_id);
/* page_report_import.c: 材料 › 上传 in two steps, as the spreadsheet import:
 * the upload (kept by web_stage.c), its preview (tree, findings, campaign),
 * the confirmation that makes the tasks. */
enum rc form_report_upload(struct req *r);
enum rc page_report_preview(struct req *r, struct html *h);
enum rc form_report_confirm(struct req *r, struct html *h);
/* The tree corrections: the route's action (ACT_NODE_*) says which. */
enum rc form_node_edit(struct req *r);
enum rc page_admin(struct req *r, struct html *h);
enum rc form_admin_unit(struct req *r);
enum rc form_admin_user(struct req *r);
enum rc form_admin_user_update(struct req *r);
enum rc form_admin_unit_update(struct req *r);
enum rc form_admin_setting(struct req *r);
enum rc form_admin_campaign(struct req *r);
enum rc page_audit(struct req *r, struct html *h);

enum rc api_login(struct req *r, json_t **out);
enum rc api_logout(struct req *r, json_t **out);
enum rc api_tasks(struct req *r);
enum rc api_task(struct req *r);
enum rc api_task_progress(struct req *r);
enum rc api_task_action(struct req *r);
enum rc api_commitments(struct req *r, json_t **out);
enum rc api_health(struct req *r, json_t **out);

/* page_export.c: the ledger (xlsx, csv; filtered as /tasks is) and the
 * progress report (docx, md, html) as attachments, pages and API alike. */
enum rc raw_export_ledger(struct req *r);
enum rc raw_export_report(struct req *r);
/* Whether f narrows the ledger (page, size and sort aside). */
bool tasks_filter_narrows(const struct task_filter *f);

/* page_import.c: a spreadsheet ledger imported from the browser (admin):
 * upload, preview (the columns understood, the rows not), confirm. */
enum rc page_import(struct req *r, struct html *h);
enum rc form_import_preview(struct req *r, struct html *h);
enum rc form_import_confirm(struct req *r, struct html *h);

/* web_stage.c: uploads kept between a preview and its confirmation, in
 * the database (store_web.c), so that any server finds them; per user, for
 * WEB_STAGE_TTL seconds; at most WEB_STAGE_MAX at once (the oldest go). */
enum { WEB_STAGE_MAX = 16, WEB_STAGE_TTL = 3600, WEB_STAGE_TOKEN = 33 };
/* Keep len bytes of data for user_id, named name; token gets its hex name
 * ('' on failure).  A user's earlier staged upload goes.  The store's
 * error when it cannot be kept. */
enum rc stage_put(struct store *st, int64_t user_id, const char *data, size_t len,
		  const char *name, int64_t now, char token[WEB_STAGE_TOKEN], struct err *e);
/* The caller's staged upload read back (at most max bytes, malloc'd with
 * room for a NUL, and its name): RC_NOTFOUND with `gone` as the message
 * when it has expired, was replaced or is another user's; the store's
 * error when it cannot be read. */
enum rc stage_read(struct store *st, int64_t user_id, const char *token, int64_t now,
		   size_t max, const char *gone, char **data, size_t *len, char *name,
		   size_t name_size, struct err *e);
void stage_drop(struct store *st, int64_t user_id, const char *token);
/* The uploads past their time at now go (the server's periodic tick). */
enum rc stage_sweep(struct store *st, int64_t now, struct err *e);
size_t stage_count(struct store *st);

/* Shared by the page and the API: parse the ledger filter from the query
 * (status, light, area, unit, leader, q, sort, page, per_page).
 * RC_INVALID with a Chinese message for a bad value. */
enum rc tasks_filter_parse(struct req *r, struct task_filter *f);
/* The filter's conditions as a query (no sort, page or per_page), for
 * links and forms that act on what the filter matches. */
void tasks_filter_query(struct buf *b, const struct task_filter *f);

/* ---- page_bulk.c: bulk actions ---- */
/* The bulk actions a role may take (a bit per action of page_bulk.c's
 * table; 0: none), as task_may() grants them on a task at work. */
unsigned bulk_actions(enum role role);
/* May role urge a task in status s (the dashboard's checkboxes)? */
bool bulk_may_urge(enum role role, enum task_status s);
/* The checkbox of one task for the form with id form (value "ID:VERSION"),
 * labelled 选择第 N 项. */
void bulk_checkbox(struct html *h, const char *form, const struct task_row *t);
/* page_ledger.c: what the ledger's filters offer -- the units in tree order
 * (depth from 0) and the active leaders -- loaded once per shape of the
 * ledger (store_shape) and per thread; valid until the request ends. */
struct ledger_opt {
	int64_t id;
	const char *name;
	int depth;
};
void ledger_names(struct req *r, const struct ledger_opt **units, size_t *n_units,
		  const struct ledger_opt **leaders, size_t *n_leaders);
/* The bulk form under 台账 (form id "bulk"): scope, action, its argument;
 * total is the number of tasks the filter f matches.  Nothing for a role
 * without bulk actions. */
void bulk_ledger_form(struct req *r, struct html *h, const struct task_filter *f, int64_t total);
/* The dashboard's empty form "bulk-home" (CSRF, action urge) that its
 * lists' checkboxes and button name. */
void bulk_home_form(struct req *r, struct html *h);
/* The flash after a bulk action (?ok=bulk&act=…&n=…). */
void bulk_flash(struct req *r, struct html *h);
enum rc form_bulk_confirm(struct req *r, struct html *h);
enum rc form_bulk_apply(struct req *r, struct html *h);
enum rc api_tasks_bulk(struct req *r, json_t **out);
/* Login with throttling, creating a session and setting the cookie. */
enum rc app_login(struct req *r, const char *login, const char *password);

#endif
