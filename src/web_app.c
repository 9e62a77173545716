/*
 * web_app.c -- the rectify web application the router serves: its
 * settings, its clock, the route table, and the hooks that make it up
 * (struct web_app): sessions (web_session.c), authorisation
 * (web_authz.c), the per-request context (web_ctx.c), the error page and
 * the Chinese of the store's refusals (web_error.c).
 *
 * A route names who may call it (.perm, a P_* of web_int.h) and what it
 * does (.action, an ACT_* of web_int.h); app_authorize checks both, and
 * the handler reads the action it was allowed from the request (r->action,
 * req_task_action), never from the URL.
 */
#include <time.h>

#include "web_int.h"

struct app_config app_cfg = {"rectify.db", NULL, 12 * 3600, 7 * 24 * 3600, 600, NULL, 0, 0};

int64_t app_now(void)
{
	return app_cfg.clock ? app_cfg.clock() : (int64_t)time(NULL);
}

/* ---- the routes -------------------------------------------------------------- */

/*
 * Each route: method and pattern, its handler (.page, .api or .raw), who
 * may call it (.perm), what it does (.action: a tree correction, or to the
 * task its :id names ACT_VIEW or ACT_TASK(TACT_x)), and what the router
 * allows (.flags).
 */
static const struct route routes[] = {
	/* public */
	{"GET", "/login", .page = page_login, .flags = R_PUBLIC},
	{"POST", "/login", .page = form_login, .flags = R_PUBLIC | R_NOCSRF},
	{"GET", "/healthz", .api = api_health, .flags = R_PUBLIC | R_NOSESSION | R_JSON},
	{"GET", "/static/app.css", .raw = web_static, .flags = R_PUBLIC | R_NOSESSION},
	{"GET", "/static/app.js", .raw = web_static, .flags = R_PUBLIC | R_NOSESSION},
	{"GET", "/static/favicon.svg", .raw = web_static, .flags = R_PUBLIC | R_NOSESSION},
	/* the session */
	{"POST", "/logout", .raw = form_logout, .perm = P_READ},
	{"GET", "/password", .page = page_password, .perm = P_READ},
	{"POST", "/password", .raw = form_password, .perm = P_READ},
	/* pages */
	{"GET", "/", .page = page_home, .perm = P_READ},
	{"GET", "/tasks", .page = page_tasks, .perm = P_READ},
	{"GET", "/tasks/:id", .page = page_task, .perm = P_READ, .action = ACT_VIEW},
	{"GET", "/tasks/:id/form", .page = page_task_form, .perm = P_READ, .action = ACT_VIEW},
	{"POST", "/tasks/:id/progress", .raw = form_task_progress,
	 .perm = P_READ, .action = ACT_TASK(TACT_PROGRESS), .flags = R_UPLOAD},
	{"POST", "/tasks/:id/submit", .raw = form_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_SUBMIT)},
	{"POST", "/tasks/:id/approve", .raw = form_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_APPROVE)},
	{"POST", "/tasks/:id/return", .raw = form_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_RETURN)},
	{"POST", "/tasks/:id/reopen", .raw = form_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_REOPEN)},
	{"POST", "/tasks/:id/stage", .raw = form_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_STAGE)},
	{"POST", "/tasks/:id/confirm", .raw = form_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_CONFIRM)},
	{"POST", "/tasks/:id/assign", .raw = form_task_assign,
	 .perm = P_ADMIN, .action = ACT_TASK(TACT_ASSIGN)},
	{"POST", "/tasks/:id/extend", .raw = form_task_extend,
	 .perm = P_READ, .action = ACT_TASK(TACT_EXTEND)},
	{"POST", "/tasks/:id/extend-decide", .raw = form_task_extend,
	 .perm = P_READ, .action = ACT_TASK(TACT_EXTEND_DECIDE)},
	{"GET", "/evidence/:id", .raw = raw_evidence, .perm = P_READ},
	{"GET", "/mine", .page = page_mine, .perm = P_READ},
	{"GET", "/commitments", .page = page_commitments, .perm = P_READ},
	{"POST", "/commitments/:id/activities", .raw = form_activity,
	 .perm = P_ACTIVITY, .flags = R_UPLOAD},
	{"GET", "/reports", .page = page_reports, .perm = P_READ},
	{"POST", "/reports", .raw = form_report_upload, .perm = P_ADMIN, .flags = R_UPLOAD},
	{"GET", "/reports/preview", .page = page_report_preview, .perm = P_ADMIN},
	{"POST", "/reports/confirm", .page = form_report_confirm, .perm = P_ADMIN},
	{"GET", "/reports/:id", .page = page_report, .perm = P_READ},
	{"POST", "/reports/:id/nodes/:id/rename", .raw = form_node_edit, .perm = P_ADMIN,
	 .action = ACT_NODE_RENAME},
	{"POST", "/reports/:id/nodes/:id/move", .raw = form_node_edit, .perm = P_ADMIN,
	 .action = ACT_NODE_MOVE},
	{"POST", "/reports/:id/nodes/:id/merge", .raw = form_node_edit, .perm = P_ADMIN,
	 .action = ACT_NODE_MERGE},
	{"POST", "/reports/:id/nodes/:id/split", .raw = form_node_edit, .perm = P_ADMIN,
	 .action = ACT_NODE_SPLIT},
	{"GET", "/admin", .page = page_admin, .perm = P_ADMIN},
	{"POST", "/admin/units", .raw = form_admin_unit, .perm = P_ADMIN},
	{"POST", "/admin/users", .raw = form_admin_user, .perm = P_ADMIN},
	{"POST", "/admin/users/:id", .raw = form_admin_user_update, .perm = P_ADMIN},
	{"POST", "/admin/campaigns", .raw = form_admin_campaign, .perm = P_ADMIN},
	{"GET", "/audit", .page = page_audit, .perm = P_AUDIT},
	{"GET", "/admin/audit", .page = page_audit, .perm = P_AUDIT},
	/* the JSON API */
	{"POST", "/api/v1/login", .api = api_login,
	 .flags = R_JSON | R_PUBLIC | R_NOCSRF | R_JSONBODY},
	{"POST", "/api/v1/logout", .api = api_logout, .perm = P_READ, .flags = R_JSON | R_JSONBODY},
	{"GET", "/api/v1/tasks", .raw = api_tasks, .perm = P_READ, .flags = R_JSON},
	{"GET", "/api/v1/tasks/:id", .raw = api_task,
	 .perm = P_READ, .action = ACT_VIEW, .flags = R_JSON},
	{"POST", "/api/v1/tasks/:id/progress", .raw = api_task_progress, .perm = P_READ,
	 .action = ACT_TASK(TACT_PROGRESS), .flags = R_JSON | R_UPLOAD | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/submit", .raw = api_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_SUBMIT), .flags = R_JSON | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/approve", .raw = api_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_APPROVE), .flags = R_JSON | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/return", .raw = api_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_RETURN), .flags = R_JSON | R_JSONBODY},
	{"POST", "/api/v1/tasks/:id/reopen", .raw = api_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_REOPEN), .flags = R_JSON | R_JSONBODY},
	{"GET", "/api/v1/commitments", .api = api_commitments, .perm = P_READ, .flags = R_JSON},
	/* downloads (page_export.c) and the spreadsheet import (page_import.c);
	 * at the end, so the fuzzer's seeds keep their route numbers */
	{"GET", "/export/ledger", .raw = raw_export_ledger, .perm = P_READ},
	{"GET", "/export/report", .raw = raw_export_report, .perm = P_READ},
	{"GET", "/api/v1/export", .raw = raw_export_ledger, .perm = P_READ, .flags = R_JSON},
	{"GET", "/api/v1/report", .raw = raw_export_report, .perm = P_READ, .flags = R_JSON},
	{"GET", "/tasks/import", .page = page_import, .perm = P_ADMIN},
	{"POST", "/tasks/import", .page = form_import_preview, .perm = P_ADMIN, .flags = R_UPLOAD},
	{"POST", "/tasks/import/confirm", .page = form_import_confirm, .perm = P_ADMIN},
	/* the admin page's unit and setting forms; at the end too */
	{"POST", "/admin/units/:id", .raw = form_admin_unit_update, .perm = P_ADMIN},
	{"POST", "/admin/settings", .raw = form_admin_setting, .perm = P_ADMIN},
	/* 催办 and the inbox (page_notify.c); at the end too */
	{"POST", "/tasks/:id/urge", .raw = form_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_URGE)},
	{"POST", "/api/v1/tasks/:id/urge", .raw = api_task_action,
	 .perm = P_READ, .action = ACT_TASK(TACT_URGE), .flags = R_JSON | R_JSONBODY},
	{"GET", "/notifications", .page = page_notifications, .perm = P_READ},
	{"POST", "/notifications/read", .raw = form_notifications_read, .perm = P_READ},
	{"POST", "/notifications/channels", .raw = form_notifications_channels, .perm = P_READ},
	{"GET", "/api/v1/notifications", .api = api_notifications, .perm = P_READ, .flags = R_JSON},
	{"POST", "/api/v1/notifications/read", .api = api_notifications_read,
	 .perm = P_READ, .flags = R_JSON | R_JSONBODY},
	/* bulk actions (page_bulk.c); at the end too */
	{"POST", "/tasks/bulk/confirm", .page = form_bulk_confirm, .perm = P_BULK, .flags = R_LIST},
	{"POST", "/tasks/bulk", .page = form_bulk_apply, .perm = P_BULK, .flags = R_LIST},
	{"POST", "/api/v1/tasks/bulk", .api = api_tasks_bulk,
	 .perm = P_BULK, .flags = R_JSON | R_JSONBODY},
};

const struct web_app rectify_app = {
	.routes = routes,
	.nroutes = ARRAY_LEN(routes),
	.session = app_session,
	.authorize = app_authorize,
	.error_page = app_error_page,
	.begin = app_begin,
	.end = app_end,
	.session_free = app_session_free,
	.login_path = "/login",
	.explain = app_explain,
};
