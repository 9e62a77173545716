/*
 * web_app.c -- the rectify web application the router serves: its
 * settings, its clock, the route table, and the hooks that make it up
 * (struct web_app): sessions (web_session.c), authorisation
 * (web_authz.c), the per-request context (web_ctx.c), the error page and
 * the Chinese of the store's refusals (web_error.c).
 */
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
