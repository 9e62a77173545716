/*
 * page_task.c -- 事项: one task with its problem, measures, goal, people,
 * deadline, progress timeline and review history, and exactly the actions
 * the caller may take now (struct task.actions); the forms of those
 * actions; evidence downloads; and the task endpoints of the API.
 *
 * By the time a handler here runs, app_authorize() has loaded the task
 * with the caller's identity (so it is in scope) into ACTX(r)->task and,
 * for an action route, found the action among those allowed; the handler
 * reads that action from the request (req_task_action), not the URL.  Every write
 * names the version the form was drawn from: a stale one is 409.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "export.h"
#include "web_int.h"

/* ---- shared ------------------------------------------------------------------------- */

/* The version a write is made against: the form's or JSON's "version", or,
 * for API calls that leave it out, the version just loaded. */
static enum rc write_version(struct req *r, bool required, int64_t *v)
{
	json_t *j = r->json ? json_object_get(r->json, "version") : NULL;
	if (j) {
		if (!json_is_integer(j))
			return ERR(&r->err, RC_INVALID, "version 应为整数");
		*v = json_integer_value(j);
		return RC_OK;
	}
	int64_t x;
	if (web_arg_int(r, "version", 0, INT64_MAX / 2, -1, &x) != RC_OK)
		return RC_INVALID;
	if (x < 0) {
		if (required)
			return ERR(&r->err, RC_INVALID, "缺少版本号（version），请刷新页面后重试。");
		x = ACTX(r)->task.version;
	}
	*v = x;
	return RC_OK;
}

/* A text argument from the form or the JSON body. */
static const char *text_arg(struct req *r, const char *name)
{
	if (r->json) {
		json_t *j = json_object_get(r->json, name);
		return json_is_string(j) ? json_string_value(j) : NULL;
	}
	return web_arg(r, name);
}

static void version_field(struct html *h, const struct task *t)
{
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)t->version);
	html_open(h, "input", "type", "hidden", "name", "version", "value", v, NULL);
}

/* ---- the page ----------------------------------------------------------------------------- */

/* The pending 催办 and the 退回 in force (struct task.urge, .returned), at
 * the top of the page: who, when, what they said. */
static void banner(struct req *r, struct html *h, const char *cls, const char *head,
		   const struct task_event *e, const char *said)
{
	char at[32];
	store_day_time(e->day, e->at, ACTX(r)->today, at, sizeof at);
	html_open(h, "div", "class", cls, "role", "alert", NULL);
	html_elem(h, "b", head, NULL);
	html_lit(h, "　");
	html_text(h, e->actor);
	html_lit(h, " · ");
	html_text(h, at);
	if (e->reason && *e->reason) {
		html_open(h, "div", NULL);
		html_text(h, said);
		html_text(h, e->reason);
		html_close(h, 1);
	}
	html_close(h, 1);
}

static void banners(struct req *r, struct html *h, const struct task *t)
{
	if (t->urge)
		banner(r, h, "flash warn banner urged", "催办：请尽快办理", t->urge, "催办事项：");
	if (t->returned)
		banner(r, h, "flash err banner returned", "已被退回，请整改后重新申请销号", t->returned,
		       "退回理由：");
}

/* The problem's text with its examples set apart: the parts of the text
 * that are examples are shown once, in their own boxes, after the rest. */
static void problem_text(struct html *h, const struct task *t)
{
	html_open(h, "p", "class", "problem", NULL);
	html_elem(h, "b", t->label, NULL);
	html_lit(h, " ");
	const char *s = t->text ? t->text : "";
	size_t n = strlen(s);
	bool *shown = xcalloc(t->n_examples + 1, sizeof *shown);
	for (size_t i = 0; i < n;) {
		size_t next = n, which = 0, len = 0;
		for (size_t k = 0; k < t->n_examples; k++) {
			const char *f = t->examples[k] && *t->examples[k] ? strstr(s + i, t->examples[k])
									 : NULL;
			if (f && (size_t)(f - s) < next && !shown[k]) {
				next = (size_t)(f - s);
				which = k;
				len = strlen(t->examples[k]);
			}
		}
		html_textn(h, s + i, next - i);
		if (next == n)
			break;
		shown[which] = true;
		i = next + len;
	}
	html_close(h, 1);
	for (size_t k = 0; k < t->n_examples; k++)
		html_elem(h, "div", t->examples[k], "class", "example", NULL);
	free(shown);
}

/* When an event happened (store_day_time: its day and local time, or just
 * the ledger's day when the clock time would contradict it). */
static void event_time(struct req *r, const struct task_event *e, char *out, size_t n)
{
	store_day_time(e->day, e->at, ACTX(r)->today, out, n);
}

/* Is commitment c stated by one of the task's measures
 * (commitment_in_measure, the store's rule)? */
static bool measures_state(const struct task *t, const struct commitment *c)
{
	for (size_t k = 0; k < t->n_measures; k++)
		if (commitment_in_measure(c->text, t->measures[k].text))
			return true;
	return false;
}

/* A commitment's counter of its current period: done, due by now
 * (序时应达), required; and its light. */
static void commitment_counter(struct html *h, const struct commitment *c)
{
	const struct compliance *cur = NULL;
	for (size_t k = 0; k < c->n_periods; k++)
		if (c->periods[k].current)
			cur = &c->periods[k];
	html_open(h, "span", "class", "counter", NULL);
	if (cur)
		html_printf(h, "本期完成 %d / 序时应达 %d / 要求 %d%s", cur->count, cur->expected,
			    c->min, c->unit && *c->unit ? c->unit : "次");
	else
		html_printf(h, "要求 %d%s", c->min, c->unit && *c->unit ? c->unit : "次");
	html_close(h, 1);
	if (cur)
		page_light(h, cur->behind ? LIGHT_RED : LIGHT_GREEN);
}

/* The commitments the task's measures make (不少于12次…, found in their
 * text), each with its counter of the current period: done, due by now
 * (序时应达), required. */
static void measured_by(struct req *r, struct html *h, const struct task *t)
{
	if (!t->n_measures)
		return;
	struct commitment_list cl = {0};
	if (store_commitment_list(ACTX(r)->db, WHO(r), t->campaign_id, ACTX(r)->today, &cl, NULL) !=
	    RC_OK) {
		commitment_list_release(&cl);
		return;
	}
	bool any = false;
	for (size_t i = 0; i < cl.n; i++) {
		const struct commitment *c = &cl.v[i];
		if (!measures_state(t, c))
			continue;
		if (!any) {
			html_elem(h, "h2", "量化承诺", NULL);
			html_open(h, "ul", "class", "commit-counters", NULL);
			any = true;
		}
		html_open(h, "li", NULL);
		html_elem(h, "a", c->text, "href", "/commitments", NULL);
		commitment_counter(h, c);
		html_close(h, 1);
	}
	if (any)
		html_close(h, 1);
	commitment_list_release(&cl);
}

/* The commitments of the task's report to link it to, those its measures
 * state ticked: a commitment ticked links the task to the measure that
 * states it (store_commitment_measure), beside the measures ticked above;
 * one is unlinked with its measure.  Drawn under measures_choice(). */
static void commitments_choice(struct req *r, struct html *h, const struct task *t)
{
	struct commitment_list cl = {0};
	if (store_commitment_list(ACTX(r)->db, WHO(r), t->campaign_id, ACTX(r)->today, &cl, NULL) !=
	    RC_OK) {
		commitment_list_release(&cl);
		return;
	}
	bool any = false;
	for (size_t i = 0; i < cl.n; i++) {
		const struct commitment *c = &cl.v[i];
		if (c->report_id != t->report_id)
			continue;
		if (!any) {
			html_open(h, "fieldset", "class", "form-row measures-choice", NULL);
			html_elem(h, "legend", "对应的量化承诺", NULL);
			html_elem(h, "p", "勾选承诺即关联写有该承诺的整改措施；取消关联请在上方取消该措施。",
				  "class", "hint", NULL);
			any = true;
		}
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)c->id);
		html_open(h, "label", "class", "check", NULL);
		html_elem(h, "input", NULL, "type", "checkbox", "name", "commitment", "value", id,
			  "checked", measures_state(t, c) ? "checked" : NULL, NULL);
		html_lit(h, " ");
		html_text(h, c->text);
		html_lit(h, " ");
		commitment_counter(h, c);
		html_close(h, 1);
	}
	if (any)
		html_close(h, 1);
	commitment_list_release(&cl);
}

/* The measures of the task's report to link it to, those linked ticked:
 * the items of the measures sections, and their areas that have none. */
static bool measures_choice(struct req *r, struct html *h, const struct task *t)
{
	struct report rp = {0};
	if (store_report_get(ACTX(r)->db, WHO(r), t->report_id, &rp, NULL) != RC_OK) {
		report_release(&rp);
		return false;
	}
	bool any = false;
	for (size_t i = 0; i < rp.n_nodes; i++) {
		const struct report_node *nd = &rp.nodes[i];
		if (nd->role != DOC_ROLE_MEASURES || nd->kind == NODE_SECTION || nd->kind == NODE_EXAMPLE)
			continue;
		/* An area with items is chosen through its items. */
		if (nd->kind == NODE_AREA && i + 1 < rp.n_nodes && rp.nodes[i + 1].parent_id == nd->id &&
		    rp.nodes[i + 1].kind == NODE_ITEM)
			continue;
		if (!any) {
			html_open(h, "fieldset", "class", "form-row measures-choice", NULL);
			html_elem(h, "legend", "对应的整改措施", NULL);
			html_elem(h, "input", NULL, "type", "hidden", "name", "measures_shown", "value", "1",
				  NULL);
			any = true;
		}
		bool on = false;
		for (size_t k = 0; k < t->n_measures && !on; k++)
			on = t->measures[k].node_id == nd->id;
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)nd->id);
		html_open(h, "label", "class", "check", NULL);
		html_elem(h, "input", NULL, "type", "checkbox", "name", "measure", "value", id, "checked",
			  on ? "checked" : NULL, NULL);
		html_lit(h, " ");
		html_text(h, nd->label);
		html_text(h, nd->title && *nd->title ? nd->title : nd->text);
		html_close(h, 1);
	}
	if (any)
		html_close(h, 1);
	report_release(&rp);
	return any;
}

static void fact(struct html *h, const char *dt, const char *dd)
{
	html_elem(h, "dt", dt, NULL);
	html_elem(h, "dd", dd && *dd ? dd : "—", NULL);
}

static void evidence_list(struct html *h, const struct evidence_meta *ev, size_t n)
{
	if (!n)
		return;
	html_open(h, "ul", "class", "files", NULL);
	for (size_t i = 0; i < n; i++) {
		char href[40], size[48];
		snprintf(href, sizeof href, "/evidence/%lld", (long long)ev[i].id);
		if (ev[i].size >= 1 << 20)
			snprintf(size, sizeof size, "（%.1f MB）", (double)ev[i].size / (1 << 20));
		else if (ev[i].size >= 1024)
			snprintf(size, sizeof size, "（%.0f KB）", (double)ev[i].size / 1024 + 0.5);
		else
			snprintf(size, sizeof size, "（%lld 字节）", (long long)ev[i].size);
		html_open(h, "li", NULL);
		/* Images and PDFs open in place (the server checks their bytes);
		 * an image shows a thumbnail. */
		const char *m = ev[i].mime ? ev[i].mime : "";
		bool image = strncmp(m, "image/", 6) == 0, pdf = strcmp(m, "application/pdf") == 0;
		char shown[56];
		snprintf(shown, sizeof shown, "%s?inline=1", href);
		if (image) {
			html_open(h, "a", "href", shown, "class", "thumb", NULL);
			html_elem(h, "img", NULL, "src", shown, "alt", ev[i].name, "loading", "lazy",
				  "height", "64", NULL);
			html_close(h, 1);
		}
		html_elem(h, "a", ev[i].name, "href", image || pdf ? shown : href, "download",
			  image || pdf ? NULL : "", NULL);
		html_elem(h, "span", size, "class", "muted small", NULL);
		if (image || pdf) {
			html_lit(h, " ");
			html_elem(h, "a", "下载", "href", href, "download", "", "class", "small", NULL);
		}
		html_close(h, 1);
	}
	html_close(h, 1);
}

/* The form of action a on task t, posted to its route (/tasks/:id/NAME,
 * task_action_name), headed title, with the CSRF field and the version
 * it was drawn from. */
static void action_form_begin(struct html *h, struct req *r, const struct task *t,
			      enum task_action a, const char *title, bool multipart)
{
	char href[64];
	snprintf(href, sizeof href, "/tasks/%lld/%s", (long long)t->id, task_action_name(a));
	html_open(h, "form", "method", "post", "action", href, "enctype",
		  multipart ? "multipart/form-data" : NULL, NULL);
	html_elem(h, "h3", title, NULL);
	page_csrf(r, h);
	version_field(h, t);
}

/* A text field of an action's form, for a text the store takes up to
 * max_bytes bytes (STORE_TEXT_MAX, STORE_NOTE_MAX). */
static void textarea(struct html *h, const char *name, const char *label, bool required,
		     const char *hint, size_t max_bytes)
{
	char ml[24];
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", label, NULL);
	html_open(h, "textarea", "name", name, "required", required ? "" : NULL, "maxlength",
		  page_maxlength(ml, max_bytes), "rows", "3", "aria-label", label, NULL);
	html_close(h, 1);
	if (hint)
		html_elem(h, "div", hint, "class", "hint", NULL);
	html_close(h, 1);
}

/* 报送进展: the text and the evidence files. */
static void progress_form(struct req *r, struct html *h, const struct task *t)
{
	action_form_begin(h, r, t, TACT_PROGRESS, "报送进展", true);
	textarea(h, "text", "进展情况", true, "写明做了什么、取得什么效果。", STORE_TEXT_MAX);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "佐证材料（可多选，单个不超过 32 MB）", "for", "files", NULL);
	html_open(h, "input", "type", "file", "id", "files", "name", "files", "multiple", "", NULL);
	html_close(h, 1);
	html_elem(h, "button", "报送", "type", "submit", "class", "btn", NULL);
	html_close(h, 1);
}

/* The forms of the actions among `allowed` that take only a reason (the
 * review's, 申请销号 and 催办). */
static void reason_forms(struct req *r, struct html *h, const struct task *t, unsigned allowed)
{
	static const struct {
		enum task_action act;
		const char *title, *label, *hint, *button, *class;
		bool required;
	} reasons[] = {
		{TACT_SUBMIT, "申请销号", "说明（可选）", "申请销号需已有带佐证材料的进展。", "申请销号",
		 "btn ok", false},
		{TACT_APPROVE, "审核通过，销号", "审核意见（可选）", NULL, "销号", "btn ok", false},
		{TACT_STAGE, "确认阶段性完成", "审核意见（可选）",
		 "长期坚持事项：本阶段完成，继续定期回头看。", "阶段性完成", "btn", false},
		{TACT_RETURN, "退回", "退回理由（必填）", NULL, "退回", "btn warn", true},
		{TACT_REOPEN, "重新打开", "理由（必填）", "回头看发现问题反弹时重新打开。", "重新打开",
		 "btn warn", true},
		{TACT_CONFIRM, "回头看确认", "回头看情况（可选）", NULL, "确认整改成果巩固", "btn ok",
		 false},
		{TACT_URGE, "催办", "催办事项（可选）",
		 "责任领导和承办人会收到提醒；在他们报送进展前，事项页顶部一直显示催办。", "催办",
		 "btn warn", false},
	};
	for (size_t i = 0; i < ARRAY_LEN(reasons); i++) {
		if (!(allowed & (1u << reasons[i].act)))
			continue;
		action_form_begin(h, r, t, reasons[i].act, reasons[i].title, false);
		textarea(h, "reason", reasons[i].label, reasons[i].required, reasons[i].hint,
			 STORE_NOTE_MAX);
		html_elem(h, "button", reasons[i].button, "type", "submit", "class", reasons[i].class,
			  NULL);
		html_close(h, 1);
	}
}

/* 申请延期: the new day and the reason. */
static void extend_form(struct req *r, struct html *h, const struct task *t)
{
	action_form_begin(h, r, t, TACT_EXTEND, "申请延期", false);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "延至", "for", "to", NULL);
	html_open(h, "input", "type", "date", "id", "to", "name", "to", "required", "", NULL);
	html_close(h, 1);
	textarea(h, "reason", "延期理由（必填）", true, NULL, STORE_NOTE_MAX);
	html_elem(h, "button", "提交延期申请", "type", "submit", "class", "btn ghost", NULL);
	html_close(h, 1);
}

/* 延期审批: an opinion, and a button each to approve and to refuse. */
static void extend_decide_form(struct req *r, struct html *h, const struct task *t)
{
	action_form_begin(h, r, t, TACT_EXTEND_DECIDE, "延期审批", false);
	textarea(h, "reason", "审批意见（可选）", false, NULL, STORE_NOTE_MAX);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "button", "同意延期", "type", "submit", "name", "decision", "value", "approve",
		  "class", "btn ok", NULL);
	html_lit(h, " ");
	html_elem(h, "button", "不同意", "type", "submit", "name", "decision", "value", "refuse",
		  "class", "btn warn", NULL);
	html_close(h, 2);
}

/* A select of the 分解交办 form opened: id and name `name`, labelled
 * label, its first option （不变）; assign_option adds the choices, and the
 * caller closes the select and its row. */
static void assign_select_open(struct html *h, const char *name, const char *label)
{
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", label, "for", name, NULL);
	html_open(h, "select", "id", name, "name", name, NULL);
	html_elem(h, "option", "（不变）", "value", "", NULL);
}

static void assign_option(struct html *h, int64_t id, const char *name, bool selected)
{
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)id);
	html_elem(h, "option", name, "value", v, "selected", selected ? "" : NULL, NULL);
}

/* The deadline of the 分解交办 form: a field while there is none, else
 * what it is and how it changes (延期). */
static void assign_deadline(struct html *h, const struct task *t)
{
	if (t->deadline_kind == DEADLINE_NONE) {
		html_open(h, "div", "class", "form-row", NULL);
		html_elem(h, "label", "整改时限", "for", "deadline", NULL);
		html_open(h, "input", "type", "text", "id", "deadline", "name", "deadline",
			  "placeholder", "2024-06-30、长期坚持 或 立行立改", NULL);
		html_elem(h, "div", "时限设定后只能通过延期审批调整。", "class", "hint", NULL);
		html_close(h, 1);
	} else {
		char dl[64];
		deadline_format(t->deadline_kind, t->deadline, dl, sizeof dl);
		html_open(h, "p", "class", "hint", NULL);
		html_printf(h, "整改时限已定为 %s，如需调整请由责任领导申请延期。", dl);
		html_close(h, 1);
	}
}

/* 分解交办: the leader (active leaders of us), the unit (ul), the measures
 * and commitments of the report, the first deadline, the goal. */
static void assign_form(struct req *r, struct html *h, const struct task *t,
			const struct user_list *us, const struct unit_list *ul)
{
	action_form_begin(h, r, t, TACT_ASSIGN, "分解交办", false);
	assign_select_open(h, "leader", "责任领导");
	for (size_t i = 0; i < us->n; i++)
		if (us->v[i].role == ROLE_LEADER && us->v[i].active)
			assign_option(h, us->v[i].id, us->v[i].name, us->v[i].id == t->leader_id);
	html_close(h, 2);
	assign_select_open(h, "unit", "责任单位");
	for (size_t i = 0; i < ul->n; i++)
		assign_option(h, ul->v[i].id, ul->v[i].name, ul->v[i].id == t->unit_id);
	html_close(h, 2);
	if (measures_choice(r, h, t))
		commitments_choice(r, h, t);
	assign_deadline(h, t);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "整改目标", "for", "goal", NULL);
	char ml[24];
	html_open(h, "textarea", "id", "goal", "name", "goal", "rows", "2", "maxlength",
		  page_maxlength(ml, STORE_TEXT_MAX), NULL);
	html_text(h, t->goal);
	html_close(h, 2);
	html_elem(h, "button", "保存交办", "type", "submit", "class", "btn", NULL);
	html_close(h, 1);
}

/* 办理: the forms of the actions the caller may take now (struct
 * task.actions), or why there are none; us and ul are the choices of
 * 分解交办 (assign_choices_load). */
static void actions_panel(struct req *r, struct html *h, const struct task *t,
			  const struct user_list *us, const struct unit_list *ul)
{
	html_open(h, "section", "class", "card noprint", "id", "actions", NULL);
	html_elem(h, "h2", "办理", NULL);
	unsigned a = t->actions;
	if (!a) {
		html_elem(h, "p",
			  WHO(r)->role == ROLE_OBSERVER ? "督导组只读：可以查看，不能修改。"
							: "当前状态下，您对此事项没有可进行的操作。",
			  "class", "muted", NULL);
		html_close(h, 1);
		return;
	}
	html_open(h, "div", "class", "actions", NULL);
	if (a & (1u << TACT_PROGRESS))
		progress_form(r, h, t);
	reason_forms(r, h, t, a);
	if (a & (1u << TACT_EXTEND))
		extend_form(r, h, t);
	if (a & (1u << TACT_EXTEND_DECIDE))
		extend_decide_form(r, h, t);
	if (a & (1u << TACT_ASSIGN))
		assign_form(r, h, t, us, ul);
	html_close(h, 2);
}

/* The choices of 分解交办 when the caller may assign (us, ul; empty
 * otherwise), read before anything is drawn: a failure to read them is
 * the page's, not an empty list. */
static enum rc assign_choices_load(struct req *r, const struct task *t, struct user_list *us,
				   struct unit_list *ul)
{
	if (!(t->actions & (1u << TACT_ASSIGN)))
		return RC_OK;
	enum rc rc = store_user_list(ACTX(r)->db, WHO(r), us, &r->err);
	if (rc == RC_OK)
		rc = store_unit_list(ACTX(r)->db, WHO(r), ul, &r->err);
	return rc;
}

/* The crumbs, the flash, the banners, and the heading with the task's
 * number, lead, light and status. */
static void task_head(struct req *r, struct html *h, const struct task *t, const char *title)
{
	html_open(h, "div", "class", "crumbs", NULL);
	html_elem(h, "a", "整改台账", "href", "/tasks", NULL);
	html_lit(h, " › ");
	html_text(h, title);
	html_close(h, 1);
	page_flash(r, h);
	banners(r, h, t);
	html_open(h, "div", "class", "task-head", NULL);
	html_open(h, "h1", NULL);
	html_text(h, title);
	html_lit(h, "　");
	html_text(h, t->lead);
	html_close(h, 1);
	if (t->light != LIGHT_NONE)
		page_light(h, t->light);
	page_status(h, t->status);
	html_close(h, 1);
}

/* The task's measures as a list, or a word that there are none. */
static void measures_list(struct html *h, const struct task *t)
{
	if (!t->n_measures) {
		html_elem(h, "p", "尚未关联整改措施。", "class", "muted", NULL);
		return;
	}
	html_open(h, "ol", "class", "measures", NULL);
	for (size_t i = 0; i < t->n_measures; i++) {
		html_open(h, "li", NULL);
		if (t->measures[i].title && *t->measures[i].title) {
			html_elem(h, "b", t->measures[i].title, NULL);
			html_lit(h, " ");
		}
		html_text(h, t->measures[i].text);
		html_close(h, 1);
	}
	html_close(h, 1);
}

/* The card of what is to be done: the problem (with its area and
 * examples), the measures and the commitments they make, the goal. */
static void problem_card(struct req *r, struct html *h, const struct task *t)
{
	page_card(h, "问题");
	if (t->area && *t->area)
		html_elem(h, "p", t->area, "class", "muted", NULL);
	problem_text(h, t);
	html_elem(h, "h2", "整改措施", NULL);
	measures_list(h, t);
	measured_by(r, h, t);
	html_elem(h, "h2", "整改目标", NULL);
	html_elem(h, "p", t->goal && *t->goal ? t->goal : "尚未填写。", "class",
		  t->goal && *t->goal ? NULL : "muted", NULL);
	html_close(h, 1);
}

/* Where a carried-over task went on (to the next campaign) and where it
 * came from, as facts with links. */
static void carried_facts(struct html *h, const struct task *t)
{
	for (int k = 0; k < 2; k++) {
		int64_t to = k ? t->carried_id : t->origin_id;
		if (!to)
			continue;
		char href[40], text[80];
		snprintf(href, sizeof href, "/tasks/%lld", (long long)to);
		if (k)
			snprintf(text, sizeof text, "转入%d年度第%d项", t->carried_year,
				 t->carried_seq);
		else
			snprintf(text, sizeof text, "由%d年度第%d项转入", t->origin_year,
				 t->origin_seq);
		html_elem(h, "dt", k ? "去向" : "来源", NULL);
		html_open(h, "dd", NULL);
		html_elem(h, "a", text, "href", href, NULL);
		html_close(h, 1);
	}
}

/* 基本信息: the people, the deadline, status and light, the campaigns it
 * was carried between, and its days. */
static void facts_card(struct html *h, const struct task *t)
{
	char s[128], d[11];
	page_card(h, "基本信息");
	html_open(h, "dl", "class", "facts", NULL);
	if ((!t->leader_name || !*t->leader_name) && t->leader_text && *t->leader_text) {
		/* imported from a ledger, naming no account: the name as written */
		char lt[300];
		snprintf(lt, sizeof lt, "%.240s（台账所填，未关联账号）", t->leader_text);
		fact(h, "责任领导", lt);
	} else {
		fact(h, "责任领导", t->leader_name);
	}
	fact(h, "责任单位", t->unit_name);
	deadline_format(t->deadline_kind, t->deadline, s, sizeof s);
	fact(h, "整改时限", s[0] ? s : "未定");
	fact(h, "状态", task_status_name(t->status));
	fact(h, "红黄绿灯", t->light != LIGHT_NONE ? light_name_zh(t->light)
			    : t->status == TASK_CARRIED ? "—" : "已销号");
	carried_facts(h, t);
	store_day_format(t->last_activity, d);
	fact(h, "最近进展", t->n_progress ? d : "尚无进展");
	if (t->review_due != STORE_NO_DAY) {
		store_day_format(t->review_due, d);
		fact(h, "回头看日期", d);
	}
	store_day_format(t->created, d);
	fact(h, "建立日期", d);
	html_close(h, 2);
}

/* 进展情况: the progress reported, latest first, with its evidence. */
static void progress_card(struct html *h, const struct task *t)
{
	page_card(h, "进展情况");
	if (!t->n_progress) {
		html_elem(h, "p", "尚无进展。", "class", "muted", NULL);
	} else {
		html_open(h, "ol", "class", "timeline", NULL);
		for (size_t i = t->n_progress; i-- > 0;) {
			const struct task_progress *p = &t->progress[i];
			char d[11];
			html_open(h, "li", NULL);
			store_day_format(p->day, d);
			html_open(h, "div", "class", "when", NULL);
			html_text(h, d);
			html_lit(h, " · ");
			html_text(h, p->author);
			html_close(h, 1);
			html_elem(h, "div", p->text, NULL);
			evidence_list(h, p->evidence, p->n_evidence);
			html_close(h, 1);
		}
		html_close(h, 1);
	}
	html_close(h, 1);
}

/* An extension request's state in Chinese (待审批 …). */
static const char *extension_state_zh(const char *state)
{
	static const struct {
		const char *k, *v;
	} st[] = {{"pending", "待审批"}, {"approved", "已同意"}, {"refused", "未同意"}};
	for (size_t j = 0; j < ARRAY_LEN(st); j++)
		if (strcmp(state, st[j].k) == 0)
			return st[j].v;
	return state;
}

/* 延期申请: the requests for more time and what became of them (nothing
 * when there were none); when, as the 办理记录 says it. */
static void extensions_card(struct req *r, struct html *h, const struct task *t)
{
	if (!t->n_extensions)
		return;
	page_card(h, "延期申请");
	html_open(h, "table", NULL);
	html_lit(h, "<thead><tr><th>申请时间</th><th>原时限</th><th>延至</th><th>理由</th>"
		    "<th>申请人</th><th>结果</th></tr></thead>");
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < t->n_extensions; i++) {
		const struct task_extension *x = &t->extensions[i];
		char at[32], s[128], d[11];
		html_open(h, "tr", NULL);
		store_day_time(x->day, x->at, ACTX(r)->today, at, sizeof at);
		html_elem(h, "td", at, "class", "nowrap", NULL);
		deadline_format(x->from_kind, x->from_day, s, sizeof s);
		html_elem(h, "td", s, NULL);
		store_day_format(x->to_day, d);
		html_elem(h, "td", d, NULL);
		html_elem(h, "td", x->reason, NULL);
		html_elem(h, "td", x->requester, NULL);
		html_open(h, "td", NULL);
		html_text(h, extension_state_zh(x->state));
		if (x->note && *x->note) {
			html_lit(h, "：");
			html_text(h, x->note);
		}
		html_close(h, 2);
	}
	html_close(h, 3);
}

/* 办理记录: every event of the task, latest first, with its change of
 * status and reason; then the links to the task's 销号审批表 and, for the
 * roles that read it, its audit records. */
static void events_card(struct req *r, struct html *h, const struct task *t)
{
	page_card(h, "办理记录");
	html_open(h, "ol", "class", "timeline", NULL);
	for (size_t i = t->n_events; i-- > 0;) {
		const struct task_event *e = &t->events[i];
		html_open(h, "li", "class", "ev", NULL);
		html_open(h, "div", "class", "when", NULL);
		char at[32];
		event_time(r, e, at, sizeof at);
		html_text(h, at);
		html_lit(h, " · ");
		html_text(h, e->actor);
		html_close(h, 1);
		html_open(h, "div", NULL);
		html_elem(h, "b", page_action_zh(e->action), NULL);
		if (e->from != e->to && (unsigned)e->from < TASK_STATUS__MAX) {
			html_lit(h, "：");
			html_text(h, task_status_name(e->from));
			html_lit(h, " → ");
			html_text(h, task_status_name(e->to));
		}
		html_close(h, 1);
		if (e->reason && *e->reason)
			html_elem(h, "div", e->reason, "class", "muted", NULL);
		html_close(h, 1);
	}
	html_close(h, 1);
	html_open(h, "p", "class", "small noprint", NULL);
	char href[64];
	snprintf(href, sizeof href, "/tasks/%lld/form", (long long)t->id);
	html_elem(h, "a", "销号审批表（打印）", "href", href, NULL);
	if (app_role_may(WHO(r)->role, P_AUDIT)) {
		snprintf(href, sizeof href, "/audit?task=%lld", (long long)t->id);
		html_lit(h, "　");
		html_elem(h, "a", "本事项的审计记录 →", "href", href, NULL);
	}
	html_close(h, 2);
}

/* GET /tasks/:id -- whoever may read the task (app_authorize loaded it in
 * the caller's scope): what is to be done, the facts, the progress and
 * the requests for more time, the actions the caller may take now, and
 * the record of what was done. */
enum rc page_task(struct req *r, struct html *h)
{
	const struct task *t = &ACTX(r)->task;
	struct user_list us = {0};
	struct unit_list ul = {0};
	enum rc rc = assign_choices_load(r, t, &us, &ul);
	if (rc == RC_OK) {
		char title[64];
		snprintf(title, sizeof title, "第 %d 项", t->seq);
		page_begin(r, h, title, NAV_TASKS);
		task_head(r, h, t, title);
		html_open(h, "div", "class", "grid-2", NULL);
		problem_card(r, h, t);
		facts_card(h, t);
		html_close(h, 1);
		progress_card(h, t);
		extensions_card(r, h, t);
		/* The actions come after the progress and the extension
		 * requests, which are what a reviewer (and the next reporter)
		 * reads before acting. */
		actions_panel(r, h, t, &us, &ul);
		events_card(r, h, t);
		page_end(r, h);
	}
	user_list_release(&us);
	unit_list_release(&ul);
	return rc;
}

/* ---- the forms ---------------------------------------------------------------------------------- */

/* Turn the uploaded files into the store's evidence list (rewound fds). */
static size_t evidence_from_files(struct req *r, struct evidence_in *ev, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->files.n && n < max; i++) {
		struct web_file *f = &r->files.v[i];
		if (strcmp(f->field, "files") != 0 || (f->size == 0 && !*f->name))
			continue;
		lseek(f->fd, 0, SEEK_SET);
		ev[n].name = *f->name ? f->name : "附件";
		ev[n].mime = *f->type ? f->type : NULL;
		ev[n].fd = f->fd;
		ev[n].path = NULL;
		n++;
	}
	return n;
}

static enum rc do_progress(struct req *r, int64_t *nv)
{
	int64_t version;
	enum rc rc = write_version(r, !(r->route->flags & R_JSON), &version);
	if (rc != RC_OK)
		return rc;
	const char *text = text_arg(r, "text");
	if (!text || !*text)
		return ERR(&r->err, RC_INVALID, "请填写进展情况。");
	struct evidence_in ev[WEB_MAX_FILES];
	size_t n = evidence_from_files(r, ev, ARRAY_LEN(ev));
	struct actx *a = ACTX(r);
	int64_t pid;
	return store_task_progress(a->db, WHO(r), a->task.id, version, text, ev, n, a->today, &pid,
				   nv, &r->err);
}

enum rc form_task_progress(struct req *r)
{
	int64_t nv;
	enum rc rc = do_progress(r, &nv);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/tasks/%lld?ok=progress", (long long)ACTX(r)->task.id);
	return RC_OK;
}

static enum rc do_action(struct req *r, int64_t *nv)
{
	enum task_action a = req_task_action(r);
	if (a == TACT__MAX)
		return ERR(&r->err, RC_INTERNAL, "route %s has no task action", r->route->pattern);
	int64_t version;
	enum rc rc = write_version(r, !(r->route->flags & R_JSON), &version);
	if (rc != RC_OK)
		return rc;
	const char *reason = text_arg(r, "reason"); /* required or not: the store's rule W8 */
	struct actx *x = ACTX(r);
	if (a == TACT_URGE) {
		const char *msg = text_arg(r, "message");
		return store_task_urge(x->db, WHO(r), x->task.id, version, msg ? msg : reason,
				       x->today, nv, &r->err);
	}
	return store_task_act(x->db, WHO(r), x->task.id, version, a, reason, x->today, nv,
			      &r->err);
}

enum rc form_task_action(struct req *r)
{
	int64_t nv;
	enum rc rc = do_action(r, &nv);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/tasks/%lld?ok=%s", (long long)ACTX(r)->task.id,
		     task_action_name(req_task_action(r)));
	return RC_OK;
}

/* A positive id from a form field's value; RC_INVALID with bad, else. */
static enum rc form_id(struct req *r, const char *val, const char *bad, int64_t *id)
{
	char *end;
	long long v = strtoll(val, &end, 10);
	if (*end || v <= 0)
		return ERR(&r->err, RC_INVALID, "%s", bad);
	*id = v;
	return RC_OK;
}

/* Measure node added to as's measures (ids), or, when once, left as it is
 * when there already; RC_INVALID past TASK_MEASURES_MAX. */
static enum rc assign_measure_add(struct req *r, struct task_assign *as, int64_t *ids,
				  int64_t node, bool once)
{
	for (size_t k = 0; once && k < as->n_measures; k++)
		if (ids[k] == node)
			return RC_OK;
	if (as->n_measures == TASK_MEASURES_MAX)
		return ERR(&r->err, RC_INVALID, "一个事项最多对应 %d 条措施。", TASK_MEASURES_MAX);
	ids[as->n_measures++] = node;
	return RC_OK;
}

/* Are as's measures those task t has now? */
static bool assign_same_measures(const struct task_assign *as, const int64_t *ids,
				 const struct task *t)
{
	bool same = as->n_measures == t->n_measures;
	for (size_t i = 0; same && i < as->n_measures; i++) {
		bool found = false;
		for (size_t k = 0; k < t->n_measures && !found; k++)
			found = t->measures[k].node_id == ids[i];
		same = found;
	}
	return same;
}

/* The measures of the 分解交办 form, when it showed them: every "measure"
 * ticked, and for each commitment ticked the measure that states it (once);
 * as it is when they are the task's measures already. */
static enum rc assign_measures(struct req *r, struct task_assign *as,
			       int64_t ids[TASK_MEASURES_MAX])
{
	if (!web_form(r, "measures_shown"))
		return RC_OK;
	enum rc rc = RC_OK;
	for (size_t i = 0; rc == RC_OK && i < r->form.n; i++) {
		int64_t node = 0;
		if (strcmp(r->form.v[i].key, "measure") != 0)
			continue;
		rc = form_id(r, r->form.v[i].val, "措施的编号无效。", &node);
		if (rc == RC_OK)
			rc = assign_measure_add(r, as, ids, node, false);
	}
	for (size_t i = 0; rc == RC_OK && i < r->form.n; i++) {
		int64_t commitment = 0, node = 0;
		if (strcmp(r->form.v[i].key, "commitment") != 0)
			continue;
		rc = form_id(r, r->form.v[i].val, "承诺的编号无效。", &commitment);
		if (rc == RC_OK)
			rc = store_commitment_measure(ACTX(r)->db, WHO(r), commitment, &node,
						      &r->err);
		if (rc == RC_OK)
			rc = assign_measure_add(r, as, ids, node, true);
	}
	if (rc == RC_OK && !assign_same_measures(as, ids, &ACTX(r)->task)) {
		as->set_measures = 1;
		as->measure_ids = ids;
	}
	return rc;
}

/* POST /tasks/:id/assign -- admin (TACT_ASSIGN): leader, unit, the first
 * deadline, goal and measures. */
enum rc form_task_assign(struct req *r)
{
	int64_t version, leader, unit;
	enum rc rc = write_version(r, true, &version);
	if (rc != RC_OK)
		return rc;
	if (web_arg_int(r, "leader", 0, INT64_MAX / 2, 0, &leader) != RC_OK ||
	    web_arg_int(r, "unit", 0, INT64_MAX / 2, 0, &unit) != RC_OK)
		return RC_INVALID;
	struct task_assign as = {0};
	as.leader_id = leader;
	as.unit_id = unit;
	as.deadline_kind = DEADLINE_NONE;
	const char *dl = web_form(r, "deadline");
	if (dl && *dl && deadline_parse(dl, &as.deadline_kind, &as.deadline) != 0)
		return ERR(&r->err, RC_INVALID, "无法识别的整改时限：%.60s（应为 2024-06-30、长期坚持或立行立改）",
			   dl);
	as.goal = web_form(r, "goal");
	int64_t ids[TASK_MEASURES_MAX];
	rc = assign_measures(r, &as, ids);
	if (rc != RC_OK)
		return rc;
	struct actx *a = ACTX(r);
	rc = store_task_assign(a->db, WHO(r), a->task.id, version, &as, a->today, NULL, &r->err);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/tasks/%lld?ok=assign", (long long)a->task.id);
	return RC_OK;
}

enum rc form_task_extend(struct req *r)
{
	int64_t version;
	enum rc rc = write_version(r, true, &version);
	if (rc != RC_OK)
		return rc;
	struct actx *a = ACTX(r);
	const char *reason = web_form(r, "reason");
	bool decide = req_task_action(r) == TACT_EXTEND_DECIDE;
	if (decide) {
		const char *d = web_form(r, "decision");
		if (!d || (strcmp(d, "approve") != 0 && strcmp(d, "refuse") != 0))
			return ERR(&r->err, RC_INVALID, "请选择同意或不同意。");
		rc = store_task_extend_decide(a->db, WHO(r), a->task.id, version, 0,
					      strcmp(d, "approve") == 0, reason, a->today, NULL,
					      &r->err);
	} else {
		const char *to = web_form(r, "to");
		int32_t day;
		if (!to || store_day_parse(to, &day) != 0)
			return ERR(&r->err, RC_INVALID, "请填写延期后的日期（如 2024-09-30）。");
		int64_t ext;
		rc = store_task_extend(a->db, WHO(r), a->task.id, version, day, reason, a->today,
				       &ext, NULL, &r->err);
	}
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/tasks/%lld?ok=%s", (long long)a->task.id,
		     task_action_name(req_task_action(r)));
	return RC_OK;
}

/*
 * Evidence types a browser may be told as they are: documents, images,
 * archives, audio and video that no browser runs as a page.  Anything else
 * -- HTML, SVG, XML, scripts, or a type the client made up -- goes out as
 * application/octet-stream.  Evidence is always an attachment, with nosniff.
 */
static const char *evidence_type(const char *mime)
{
	static const char *const safe[] = {
		"application/pdf", "application/ofd", "application/zip",
		"application/x-7z-compressed", "application/vnd.rar", "application/x-rar-compressed",
		"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"application/vnd.oasis.opendocument.text",
		"application/vnd.oasis.opendocument.spreadsheet", "application/wps-office.wps",
		"application/wps-office.et", "application/wps-office.dps", "text/plain", "text/csv",
		"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff",
		"audio/mpeg", "audio/mp4", "audio/wav", "video/mp4", "video/mpeg",
	};
	if (mime) {
		size_t n = strcspn(mime, "; ");
		for (size_t i = 0; i < ARRAY_LEN(safe); i++)
			if (strlen(safe[i]) == n && strncasecmp(mime, safe[i], n) == 0)
				return safe[i];
	}
	return "application/octet-stream";
}

/* The type of a file that a browser may show in place, from its first
 * bytes (never from its name or the type its uploader claimed): images and
 * PDF; NULL for anything else, which stays a download. */
static const char *shown_type(const unsigned char *b, size_t n)
{
	if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return "image/jpeg";
	if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
		return "image/gif";
	if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return "application/pdf";
	return NULL;
}

/* One download in progress: which evidence, read as whom.  Holds no store
 * handle: each piece is read on the thread that sends it, through that
 * thread's own connection, and store_evidence_read() checks scope again. */
struct ev_stream {
	int64_t id;
	struct who who;
};

static ssize_t ev_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct ev_stream *s = cls;
	struct err e = {0};
	struct store *db = app_thread_store(&e);
	size_t got = 0;
	if (db)
		store_evidence_read(db, &s->who, s->id, pos, buf, max, &got, &e);
	if (got == 0) {
		log_error("evidence %lld at %llu: %s", (long long)s->id, (unsigned long long)pos,
			  e.msg[0] ? e.msg : "ended early");
		return -1;
	}
	return (ssize_t)got;
}

/* GET /evidence/:id -- streamed straight out of the database as it is
 * sent (64 KiB at a time), as an attachment, never rendered inline. */
enum rc raw_evidence(struct req *r)
{
	struct actx *a = ACTX(r);
	struct evidence_meta m;
	struct arena ar = {0};
	enum rc rc = store_evidence_meta(a->db, WHO(r), r->param[0], &m, &ar, &r->err);
	if (rc != RC_OK) {
		arena_release(&ar);
		return rc;
	}
	/* ?inline=1: shown in place when its first bytes say it is an image
	 * or a PDF. */
	const char *shown = NULL, *q = web_query(r, "inline");
	if (m.size > 0 && q && strcmp(q, "1") == 0) {
		unsigned char head[16];
		size_t got = 0;
		struct err e = {0};
		if (store_evidence_read(a->db, WHO(r), m.id, 0, (char *)head, sizeof head, &got,
					&e) == RC_OK)
			shown = shown_type(head, got);
	}
	if (m.size > 0) {
		struct ev_stream *s = xmalloc(sizeof *s);
		s->id = m.id;
		s->who = *WHO(r);
		web_send_stream(r, (uint64_t)m.size, shown ? shown : evidence_type(m.mime), m.name,
				shown != NULL, ev_read, free, s);
	} else { /* an empty file: an empty body */
		r->resp.ctype = evidence_type(m.mime);
		char *cd = web_attachment(m.name);
		web_resp_header(r, "Content-Disposition", cd);
		free(cd);
	}
	arena_release(&ar);
	return RC_OK;
}

/* ---- the API ---------------------------------------------------------------------------------------- */

/* The task as JSON (export_json_task, docs/LEDGER-JSON.md): the same
 * bytes as `rectify task show --json`. */
static enum rc task_json(struct req *r, const struct task *t)
{
	export_json_task(&r->resp.body, t);
	r->resp.ctype = "application/json; charset=utf-8";
	return r->resp.body.err;
}

/* GET /api/v1/tasks/:id -- whoever may read the task. */
enum rc api_task(struct req *r)
{
	return task_json(r, &ACTX(r)->task);
}

/* After a write, answer with the task as it now is. */
static enum rc reload(struct req *r)
{
	struct actx *a = ACTX(r);
	int64_t id = a->task.id;
	task_release(&a->task);
	enum rc rc = store_task_get(a->db, WHO(r), id, a->today, &a->task, &r->err);
	if (rc != RC_OK)
		return rc;
	return task_json(r, &a->task);
}

enum rc api_task_progress(struct req *r)
{
	int64_t nv;
	enum rc rc = do_progress(r, &nv);
	if (rc != RC_OK)
		return rc;
	return reload(r);
}

enum rc api_task_action(struct req *r)
{
	int64_t nv;
	enum rc rc = do_action(r, &nv);
	if (rc != RC_OK)
		return rc;
	return reload(r);
}
