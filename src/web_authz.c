/*
 * web_authz.c -- the web application's one authorisation function.
 *
 * Authorisation happens in app_authorize() and nowhere else: the route's
 * permission (which roles may call it at all) and, for a task route, the
 * task as the caller sees it -- loaded through the store with the caller's
 * identity, so a task outside a handler's units is RC_NOTFOUND whatever
 * the URL -- and the action the route performs, which must be among the
 * actions the store grants (struct task.actions, from task_may()).  The
 * loaded task is kept in the request for the handler.
 */
#include "web_int.h"

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

enum rc app_authorize(struct req *r)
{
	const struct who *w = WHO(r);
	const struct route *rt = r->route;
	if (!app_role_may(w->role, rt->perm))
		return ERR(&r->err, RC_DENIED, "您的角色（%s）不能进行此操作。", role_name_zh(w->role));
	if (rt->action < ACT_VIEW)
		return RC_OK; /* no task */
	struct actx *a = r->ctx;
	enum rc rc = store_task_get(a->db, w, r->param[0], a->today, &a->task, &r->err);
	if (rc != RC_OK)
		return rc; /* RC_NOTFOUND outside the caller's scope */
	if (rt->action == ACT_VIEW)
		return RC_OK;
	enum task_action ta = act_task(rt->action);
	if (ta == TACT__MAX)
		return ERR(&r->err, RC_INTERNAL, "route %s has an unknown action %u", rt->pattern,
			   rt->action);
	if (a->task.actions & (1u << ta))
		return RC_OK;
	rc = task_may(w, &a->task.facts, ta, &r->err);
	if (rc == RC_OK) /* the store's list and its rule disagree: refuse anyway */
		rc = ERR(&r->err, RC_DENIED, "不能对此事项进行“%s”。", task_action_label(ta));
	return rc;
}
