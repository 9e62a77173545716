/*
 * web_chrome.c -- the page chrome: the head, the header with the campaign,
 * the caller, role, 待办 and 消息 counts, the navigation the role may use,
 * and the footer; and the small pieces pages share (CSRF field, maxlength,
 * lights, statuses, flash messages, action and period names).  The header's
 * counts are remembered per user and ledger generation on each thread.
 */
#include <stdio.h>
#include <string.h>

#include "web_int.h"

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

/* The doctype and the <head> of a page titled title. */
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

void page_card(struct html *h, const char *title)
{
	html_open(h, "section", "class", "card", NULL);
	if (title)
		html_elem(h, "h2", title, NULL);
}

/* A count in the header: a link to href (its title the same), the label,
 * and the number n in a badge of class cls, or "todo zero" when n is 0. */
static void header_count(struct html *h, const char *href, const char *title,
			 const char *label, int n, const char *cls)
{
	html_open(h, "a", "href", href, "title", title, NULL);
	html_text(h, label);
	char num[16];
	snprintf(num, sizeof num, "%d", n);
	html_elem(h, "span", num, "class", n ? cls : "todo zero", NULL);
	html_close(h, 1);
}

/* The header's right side for a session: the campaign, who is calling
 * (name, unit, role), the 待办 and 消息 counts, and the ways to change
 * the password and to leave. */
static void header_who(struct req *r, struct html *h)
{
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
	if (s->who.role != ROLE_OBSERVER)
		header_count(h, "/mine", "我的待办", "待办 ", app_todo_count(r), "todo");
	header_count(h, "/notifications", "我的消息", "消息 ", app_unread_count(r), "todo unread");
	html_elem(h, "a", "修改密码", "href", "/password", NULL);
	html_open(h, "form", "method", "post", "action", "/logout", NULL);
	page_csrf(r, h);
	html_elem(h, "button", "退出", "type", "submit", "class", "linkbtn", NULL);
	html_close(h, 2); /* form, who */
}

/* The navigation: the pages the caller's role may open, nav marked as
 * the current one. */
static void nav_bar(struct req *r, struct html *h, enum nav nav)
{
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
		/* The office reaches the log from 管理; reviewers and
		 * observers, who read it too, from 日志. */
		if ((items[i].nav == NAV_ADMIN && !app_role_may(role, P_ADMIN)) ||
		    (items[i].nav == NAV_AUDIT &&
		     (app_role_may(role, P_ADMIN) || !app_role_may(role, P_AUDIT))))
			continue;
		html_open(h, "li", NULL);
		html_elem(h, "a", items[i].label, "href", items[i].href, "class",
			  items[i].nav == nav ? "on" : NULL, "aria-current",
			  items[i].nav == nav ? "page" : NULL, NULL);
		html_close(h, 1);
	}
	html_close(h, 2);
}

/* On paper the header is gone: a line of whose ledger, of which day, and
 * who printed it. */
static void print_line(struct req *r, struct html *h)
{
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

/* The head, and the header opened with the brand in it. */
static void top_open(struct html *h, const char *title)
{
	head_only(h, title);
	html_open(h, "body", NULL);
	html_open(h, "header", "class", "top", NULL);
	html_open(h, "div", "class", "top-in", NULL);
	html_elem(h, "a", "整改台账", "class", "brand", "href", "/", NULL);
}

void page_begin(struct req *r, struct html *h, const char *title, enum nav nav)
{
	top_open(h, title);
	if (r->logged_in)
		header_who(r, h);
	html_close(h, 2); /* top-in, header */
	if (r->logged_in)
		nav_bar(r, h, nav);
	html_open(h, "main", NULL);
	if (r->logged_in)
		print_line(r, h);
}

void page_begin_bare(struct html *h, const char *title)
{
	top_open(h, title);
	html_close(h, 2);
	html_open(h, "main", NULL);
}

void page_end_bare(struct html *h)
{
	html_close_to(h, 0);
	html_lit(h, "</html>\n");
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
