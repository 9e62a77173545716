/*
 * page_closeout.c -- the 销号审批表 of a task: one A4 page the office
 * prints and the responsible unit, the leader and the reviewer sign when a
 * task is closed: the problem, its measures and goal, who is responsible,
 * what was done (the progress reports), the evidence, the reviewers'
 * opinions so far, and blanks for the signatures and dates.
 */
#include <stdio.h>
#include <string.h>

#include "web_int.h"

/* A row of the form: its name, and what follows is its content. */
static void row_open(struct html *h, const char *name)
{
	html_open(h, "tr", NULL);
	html_elem(h, "th", name, "scope", "row", NULL);
	html_open(h, "td", "colspan", "3", NULL);
}

static void row_text(struct html *h, const char *name, const char *text)
{
	row_open(h, name);
	html_text(h, text && *text ? text : "—");
	html_close(h, 2);
}

/* A row to sign: the opinion's room, then 签字 and 日期. */
static void row_sign(struct html *h, const char *name)
{
	row_open(h, name);
	html_open(h, "div", "class", "sign", NULL);
	html_elem(h, "span", "签字：", NULL);
	html_elem(h, "span", "日期：　　　　年　　月　　日", NULL);
	html_close(h, 3);
}

enum rc page_task_form(struct req *r, struct html *h)
{
	const struct task *t = &ACTX(r)->task;
	char title[64], s[128];
	snprintf(title, sizeof title, "第 %d 项销号审批表", t->seq);
	page_begin(r, h, title, NAV_TASKS);
	html_open(h, "div", "class", "crumbs", NULL);
	html_elem(h, "a", "整改台账", "href", "/tasks", NULL);
	html_lit(h, " › ");
	snprintf(s, sizeof s, "/tasks/%lld", (long long)t->id);
	char back[32];
	snprintf(back, sizeof back, "第 %d 项", t->seq);
	html_elem(h, "a", back, "href", s, NULL);
	html_lit(h, " › 销号审批表");
	html_close(h, 1);
	html_open(h, "article", "class", "closeout", NULL);
	html_elem(h, "h1", "整改事项销号审批表", NULL);
	char ct[256];
	app_campaign_title(r, ct, sizeof ct);
	html_elem(h, "p", ct, "class", "closeout-sub", NULL);
	html_open(h, "table", "class", "closeout-form", NULL);
	/* Number and deadline, then who answers for it. */
	html_open(h, "tr", NULL);
	html_elem(h, "th", "事项序号", "scope", "row", NULL);
	snprintf(s, sizeof s, "第 %d 项", t->seq);
	html_elem(h, "td", s, NULL);
	html_elem(h, "th", "整改时限", "scope", "row", NULL);
	deadline_format(t->deadline_kind, t->deadline, s, sizeof s);
	html_elem(h, "td", s[0] ? s : "未定", NULL);
	html_close(h, 1);
	html_open(h, "tr", NULL);
	html_elem(h, "th", "责任领导", "scope", "row", NULL);
	html_elem(h, "td", t->leader_name && *t->leader_name ? t->leader_name
			   : t->leader_text && *t->leader_text ? t->leader_text : "—", NULL);
	html_elem(h, "th", "责任单位", "scope", "row", NULL);
	html_elem(h, "td", t->unit_name && *t->unit_name ? t->unit_name : "—", NULL);
	html_close(h, 1);
	/* The problem, as the report states it. */
	row_open(h, "存在问题");
	if (t->area && *t->area)
		html_elem(h, "div", t->area, "class", "muted small", NULL);
	html_text(h, t->text && *t->text ? t->text : t->lead);
	html_close(h, 2);
	row_open(h, "整改措施");
	if (t->n_measures == 0)
		html_text(h, "—");
	for (size_t i = 0; i < t->n_measures; i++) {
		html_open(h, "p", NULL);
		html_text(h, t->measures[i].label);
		html_text(h, t->measures[i].text);
		html_close(h, 1);
	}
	html_close(h, 2);
	row_text(h, "整改目标", t->goal);
	/* What was done: the progress reports, oldest first. */
	row_open(h, "整改完成情况");
	if (t->n_progress == 0)
		html_text(h, "（尚未报送进展）");
	size_t n_files = 0;
	for (size_t i = 0; i < t->n_progress; i++) {
		const struct task_progress *p = &t->progress[i];
		char day[11];
		store_day_format(p->day, day);
		html_open(h, "p", NULL);
		html_elem(h, "span", day, "class", "muted", NULL);
		html_lit(h, " ");
		html_text(h, p->text);
		html_close(h, 1);
		n_files += p->n_evidence;
	}
	html_close(h, 2);
	row_open(h, "佐证材料");
	if (n_files == 0)
		html_text(h, "—");
	else {
		html_open(h, "ol", NULL);
		for (size_t i = 0; i < t->n_progress; i++)
			for (size_t k = 0; k < t->progress[i].n_evidence; k++)
				html_elem(h, "li", t->progress[i].evidence[k].name, NULL);
		html_close(h, 1);
	}
	html_close(h, 2);
	/* The reviewers' opinions so far (退回 with its reason, 销号). */
	row_open(h, "审核意见");
	if (t->n_reviews == 0)
		html_text(h, "—");
	for (size_t i = 0; i < t->n_reviews; i++) {
		const struct task_event *e = &t->reviews[i];
		char day[11];
		store_day_format(e->day, day);
		html_open(h, "p", NULL);
		html_elem(h, "span", day, "class", "muted", NULL);
		html_lit(h, " ");
		html_text(h, e->actor);
		html_lit(h, " ");
		html_elem(h, "b", page_action_zh(e->action), NULL);
		if (e->reason && *e->reason) {
			html_lit(h, "：");
			html_text(h, e->reason);
		}
		html_close(h, 1);
	}
	html_close(h, 2);
	row_sign(h, "责任单位意见");
	row_sign(h, "责任领导意见");
	row_sign(h, "审核意见（纪委/督查室）");
	html_close(h, 1);
	html_elem(h, "p", "用浏览器的“打印”得到 A4 纸质表格，签字后作为销号依据存档。",
		  "class", "muted small noprint", NULL);
	html_close(h, 1);
	page_end(r, h);
	return RC_OK;
}
