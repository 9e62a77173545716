/*
 * page_audit.c -- the audit log (审计日志): every change to the ledger as
 * the chain recorded it, read by the office, reviewers and observers
 * (督导组) alike, as the store allows.  Filters by task, person, action and
 * days; each entry in words ("赵敏 退回 第14项：理由…"), its hash on
 * demand; the chain verified at the top.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web_int.h"

/* The audit log's entities, as the office would say them. */
static const char *audit_entity_zh(const char *entity)
{
	static const struct {
		const char *k, *zh;
	} names[] = {
		{"setting", "设置"},     {"unit", "单位"},         {"user", "用户"},
		{"campaign", "批次"},    {"report", "材料"},       {"node", "材料条目"},
		{"task", "事项"},        {"progress", "进展"},     {"evidence", "佐证材料"},
		{"task_event", "办理记录"}, {"extension", "延期申请"}, {"commitment", "承诺"},
		{"activity", "活动"},
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (strcmp(entity, names[i].k) == 0)
			return names[i].zh;
	return entity;
}

/* The UTC stamp (as audit rows are stamped) of the local midnight that
 * starts day ymd ("2024-03-05"), plus days; "" when ymd is not a date. */
static void day_bound(const char *ymd, int days, char *out, size_t n)
{
	struct tm tm = {0};
	out[0] = '\0';
	if (!ymd || sscanf(ymd, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3 ||
	    tm.tm_year < 1970 || tm.tm_year > 9999 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	struct tm u;
	if (t == (time_t)-1 || !gmtime_r(&t, &u))
		return;
	strftime(out, n, "%Y-%m-%dT%H:%M:%S.000Z", &u);
}

/* A filter's text field: the form's value, or "". */
static const char *arg(struct req *r, const char *name)
{
	const char *v = web_query(r, name);
	return v ? v : "";
}

static void filter_form(struct req *r, struct html *h, const struct audit_list *actions)
{
	html_open(h, "form", "method", "get", "action", "/audit", "class", "filters", NULL);
	html_open(h, "label", NULL);
	html_lit(h, "事项编号 ");
	html_elem(h, "input", NULL, "type", "text", "name", "task", "value", arg(r, "task"),
		  "inputmode", "numeric", "size", "6", NULL);
	html_close(h, 1);
	html_open(h, "label", NULL);
	html_lit(h, "人员（登录名） ");
	html_elem(h, "input", NULL, "type", "text", "name", "actor", "value", arg(r, "actor"),
		  "size", "10", NULL);
	html_close(h, 1);
	html_open(h, "label", NULL);
	html_lit(h, "操作 ");
	html_open(h, "select", "name", "action", NULL);
	html_elem(h, "option", "全部", "value", "", NULL);
	const char *want = arg(r, "action");
	for (size_t i = 0; i < actions->n; i++) {
		const char *a = actions->v[i].action;
		html_elem(h, "option", page_action_zh(a), "value", a, "selected",
			  strcmp(a, want) == 0 ? "selected" : NULL, NULL);
	}
	html_close(h, 2);
	html_open(h, "label", NULL);
	html_lit(h, "从 ");
	html_elem(h, "input", NULL, "type", "date", "name", "from", "value", arg(r, "from"), NULL);
	html_close(h, 1);
	html_open(h, "label", NULL);
	html_lit(h, "到 ");
	html_elem(h, "input", NULL, "type", "date", "name", "to", "value", arg(r, "to"), NULL);
	html_close(h, 1);
	html_elem(h, "button", "筛选", "type", "submit", NULL);
	html_elem(h, "a", "清除", "href", "/audit", NULL);
	html_close(h, 1);
}

/* One entry in words: who did what to which, and why. */
static void entry(struct html *h, const struct audit_row *a)
{
	char at[32], what[64], href[48] = "";
	util_local_time(a->at, at, sizeof at);
	html_open(h, "tr", NULL);
	html_elem(h, "td", at, "class", "nowrap", NULL);
	html_open(h, "td", NULL);
	if (strcmp(a->actor, "system") == 0) {
		html_lit(h, "系统（命令行）");
	} else {
		html_text(h, a->actor_name[0] ? a->actor_name : a->actor);
		if (a->actor_name[0]) {
			html_lit(h, " ");
			html_elem(h, "span", a->actor, "class", "muted small", NULL);
		}
	}
	html_close(h, 1);
	html_elem(h, "td", page_action_zh(a->action), "title", a->action, NULL);
	html_open(h, "td", "class", "what", NULL);
	if (a->task_id) {
		if (a->task_seq)
			snprintf(what, sizeof what, "第%d项", a->task_seq);
		else
			snprintf(what, sizeof what, "事项 %lld", (long long)a->task_id);
		snprintf(href, sizeof href, "/tasks/%lld", (long long)a->task_id);
	} else {
		snprintf(what, sizeof what, "%s %lld", audit_entity_zh(a->entity),
			 (long long)a->entity_id);
		if (strcmp(a->entity, "report") == 0)
			snprintf(href, sizeof href, "/reports/%lld", (long long)a->entity_id);
	}
	if (href[0])
		html_elem(h, "a", what, "href", href, NULL);
	else
		html_text(h, what);
	if (a->task_id && strcmp(a->entity, "task") != 0) {
		html_lit(h, " ");
		html_elem(h, "span", audit_entity_zh(a->entity), "class", "muted small", NULL);
	}
	if (a->reason[0]) {
		html_lit(h, "：");
		html_text(h, a->reason);
	}
	html_close(h, 1);
	/* The hash on demand: a reader checks it against a copy kept apart. */
	html_open(h, "td", "class", "small", NULL);
	html_open(h, "details", NULL);
	char id[32];
	snprintf(id, sizeof id, "#%lld", (long long)a->id);
	html_elem(h, "summary", id, NULL);
	html_elem(h, "code", a->hash, "class", "hash", NULL);
	html_close(h, 2);
	html_close(h, 1);
}

enum rc page_audit(struct req *r, struct html *h)
{
	struct store *db = ACTX(r)->db;
	int64_t task = 0, before = 0;
	enum rc rc;
	if ((rc = web_arg_int(r, "task", 0, INT64_MAX / 2, 0, &task)) != RC_OK ||
	    (rc = web_arg_int(r, "before", 0, INT64_MAX / 2, 0, &before)) != RC_OK)
		return rc;
	char from[40], to[40];
	day_bound(web_query(r, "from"), 0, from, sizeof from);
	day_bound(web_query(r, "to"), 1, to, sizeof to);
	struct audit_filter f = {.task_id = task, .actor = arg(r, "actor"),
				 .action = arg(r, "action"), .from = from, .to = to,
				 .before_id = before, .limit = AUDIT_PAGE_MAX};
	struct verify_result v;
	if ((rc = store_verify(db, &v, &r->err)) != RC_OK)
		return rc;
	struct audit_list al = {0}, actions = {0};
	if ((rc = store_audit_query(db, WHO(r), &f, &al, &r->err)) != RC_OK ||
	    (rc = store_audit_actions(db, WHO(r), &actions, &r->err)) != RC_OK) {
		audit_list_release(&al);
		audit_list_release(&actions);
		return rc;
	}
	page_begin(r, h, "审计日志", WHO(r)->role == ROLE_ADMIN ? NAV_ADMIN : NAV_AUDIT);
	html_elem(h, "h1", "审计日志", NULL);
	html_open(h, "div", "class", v.ok ? "flash ok" : "flash err", "role", "status", NULL);
	if (v.ok)
		html_printf(h, "校验通过：哈希链完整，共 %lld 条记录，%lld 个台账对象与记录一致。链头 %.16s…",
			    (long long)v.rows, (long long)v.entities, v.head);
	else
		html_printf(h, "校验失败：第 %lld 条记录起不一致。%s", (long long)v.first_bad, v.msg);
	html_close(h, 1);
	filter_form(r, h, &actions);
	if (al.n == 0) {
		html_elem(h, "p", "没有符合条件的记录。", "class", "muted", NULL);
	} else {
		html_open(h, "div", "class", "tablewrap", NULL);
		html_open(h, "table", NULL);
		html_lit(h, "<thead><tr><th>时间</th><th>人员</th><th>操作</th><th>对象与说明</th>"
			    "<th>记录与哈希</th></tr></thead>");
		html_open(h, "tbody", NULL);
		for (size_t i = 0; i < al.n; i++)
			entry(h, &al.v[i]);
		html_close(h, 3);
	}
	if (al.n == AUDIT_PAGE_MAX) {
		/* The next page: the same filter, older rows. */
		struct buf next = BUF_INIT(0);
		buf_printf(&next, "/audit?before=%lld", (long long)al.v[al.n - 1].id);
		static const char *const keep[] = {"task", "actor", "action", "from", "to"};
		for (size_t k = 0; k < ARRAY_LEN(keep); k++) {
			const char *val = web_query(r, keep[k]);
			if (val && *val) {
				buf_printf(&next, "&%s=", keep[k]);
				web_url_encode(&next, val);
			}
		}
		html_open(h, "p", NULL);
		html_elem(h, "a", "更早的记录 →", "href", next.p, NULL);
		html_close(h, 1);
		buf_release(&next);
	}
	audit_list_release(&al);
	audit_list_release(&actions);
	page_end(r, h);
	return RC_OK;
}
