/*
 * page_home.c -- 总览: the dashboard at "/": counts by status and by light,
 * completion by area and by unit, the burn-down, overdue tasks and
 * commitments behind, drawn from store_dashboard() as the caller sees the
 * ledger.  The body is cached per scope, today and generation like the
 * ledger, since the aggregates walk the whole campaign.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "web_int.h"

static void kpi(struct html *h, const char *cls, int n, const char *label, const char *href)
{
	char num[16];
	snprintf(num, sizeof num, "%d", n);
	html_open(h, "a", "class", cls, "href", href, NULL);
	html_elem(h, "div", num, "class", "n", NULL);
	html_elem(h, "div", label, "class", "t", NULL);
	html_close(h, 1);
}

static void group_bars(struct html *h, const char *title, const struct dash_group *g, size_t n)
{
	struct chart_bar *bars = xcalloc(n + 1, sizeof *bars);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (g[i].total == g[i].carried)
			continue;
		bars[k].label = g[i].id ? g[i].name : "未分配";
		/* Tasks carried into the next campaign go on there. */
		bars[k].done = g[i].closed + g[i].staged;
		bars[k].total = g[i].total - g[i].carried;
		k++;
	}
	chart_bars(h, title, bars, k);
	free(bars);
}

#define HOME_LIST_ROWS 10     /* rows of the overdue and yellow lists */

/*
 * The overdue or the yellow list: the first HOME_LIST_ROWS tasks, with a
 * link to all of them.  For a role that may 催办, each task that may be
 * urged has a checkbox, and a button 催办 of the ticked ones; both name
 * the form "bulk-home" drawn outside this cached fragment.
 */
static void task_list_card(struct req *r, struct html *h, const char *title, const char *none,
			   const struct task_row *rows, size_t n, int total, const char *all,
			   const char *all_href)
{
	enum role role = WHO(r)->role;
	bool pick = false;
	for (size_t i = 0; i < n && i < HOME_LIST_ROWS; i++)
		pick |= bulk_may_urge(role, rows[i].status);
	page_card(h, title);
	if (!n) {
		html_elem(h, "p", none, "class", "muted", NULL);
		html_close(h, 1);
		return;
	}
	html_open(h, "table", NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	if (pick) {
		html_open(h, "th", "scope", "col", "class", "pick", NULL);
		html_elem(h, "span", "选择", "class", "sr-only", NULL);
		html_close(h, 1);
	}
	html_elem(h, "th", "序号", "scope", "col", "class", "num", NULL);
	html_elem(h, "th", "问题", "scope", "col", NULL);
	html_elem(h, "th", "责任单位", "scope", "col", NULL);
	html_elem(h, "th", "时限", "scope", "col", NULL);
	html_close(h, 2);
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < n && i < HOME_LIST_ROWS; i++) {
		const struct task_row *t = &rows[i];
		char seq[16], href[40], day[64];
		snprintf(seq, sizeof seq, "%d", t->seq);
		snprintf(href, sizeof href, "/tasks/%lld", (long long)t->id);
		deadline_format(t->deadline_kind, t->deadline, day, sizeof day);
		html_open(h, "tr", NULL);
		if (pick) {
			html_open(h, "td", "class", "pick", NULL);
			if (bulk_may_urge(role, t->status))
				bulk_checkbox(h, "bulk-home", t);
			html_close(h, 1);
		}
		html_elem(h, "td", seq, "class", "num", NULL);
		html_open(h, "td", NULL);
		page_light(h, t->light);
		html_lit(h, " ");
		html_elem(h, "a", t->lead, "href", href, NULL);
		html_close(h, 1);
		html_elem(h, "td", t->unit_name[0] ? t->unit_name : "—", NULL);
		html_elem(h, "td", day[0] ? day : "未定", "class", "nowrap", NULL);
		html_close(h, 1);
	}
	html_close(h, 2);
	html_open(h, "div", "class", "list-foot", NULL);
	if (pick)
		html_elem(h, "button", "催办勾选的事项", "type", "submit", "form", "bulk-home", "class",
			  "btn warn small", NULL);
	if (total > HOME_LIST_ROWS)
		html_elem(h, "a", all, "href", all_href, NULL);
	html_close(h, 2);
}

/* No campaign yet: what to do about it, by role. */
static void dashboard_empty(struct req *r, struct html *h)
{
	html_open(h, "div", "class", "card", NULL);
	html_elem(h, "h2", "还没有整改批次", NULL);
	html_elem(h, "p",
		  WHO(r)->role == ROLE_ADMIN ? "请在“材料”中上传对照检查材料，系统会生成整改事项。"
					     : "请等待办公室导入对照检查材料。",
		  NULL);
	html_close(h, 1);
}

/* The counts across the top, each a link to the ledger filtered so. */
static void dashboard_kpis(struct html *h, const struct dashboard *d)
{
	html_open(h, "div", "class", "kpis", NULL);
	kpi(h, "kpi", d->total, "整改事项", "/tasks");
	kpi(h, "kpi", d->by_status[TASK_NOT_STARTED], "未启动", "/tasks?status=not_started");
	kpi(h, "kpi", d->by_status[TASK_IN_PROGRESS], "整改中", "/tasks?status=in_progress");
	kpi(h, "kpi yellow", d->by_status[TASK_SUBMITTED], "申请销号", "/tasks?status=submitted");
	kpi(h, "kpi done", d->by_status[TASK_CLOSED] + d->by_status[TASK_STAGED],
	    "已销号/阶段性完成", "/tasks?status=closed");
	kpi(h, "kpi red", d->by_light[LIGHT_RED], "红灯（逾期）", "/tasks?light=red");
	kpi(h, "kpi yellow", d->by_light[LIGHT_YELLOW], "黄灯（临期或停滞）", "/tasks?light=yellow");
	if (d->by_light[LIGHT_GREY]) /* 待交办: a leader, unit or deadline still to set */
		kpi(h, "kpi grey", d->by_light[LIGHT_GREY], "待交办", "/tasks?light=grey");
	kpi(h, "kpi", d->review_due, "待回头看", "/tasks?review_due=1");
	if (d->by_status[TASK_CARRIED])
		kpi(h, "kpi", d->by_status[TASK_CARRIED], "转入下一批次", "/tasks?status=carried");
	html_close(h, 1);
}

/* 红黄绿灯: the tasks by light, and the closed and carried ones. */
static void lights_donut(struct html *h, const struct dashboard *d)
{
	static const char *const names[] = {"红灯", "黄灯", "绿灯", "待交办", "已销号",
					    "转入下一批次"};
	static const char *const cls[] = {"c-red", "c-yellow", "c-green", "c-grey", "c-closed",
					  "c-carried"};
	double v[] = {d->by_light[LIGHT_RED],  d->by_light[LIGHT_YELLOW], d->by_light[LIGHT_GREEN],
		      d->by_light[LIGHT_GREY], d->by_status[TASK_CLOSED], d->by_status[TASK_CARRIED]};
	chart_donut(h, "红黄绿灯", names, cls, v, d->by_status[TASK_CARRIED] ? 6 : 5);
}

/* 整改状态: the tasks by status in one stacked bar. */
static void status_bar(struct html *h, const struct dashboard *d)
{
	static const char *const names[] = {"未启动", "整改中", "申请销号", "阶段性完成", "已销号",
					    "转入下一批次"};
	static const char *const cls[] = {"c-not_started", "c-in_progress", "c-submitted",
					  "c-staged", "c-closed", "c-carried"};
	const char *label[] = {"全部事项"};
	double v[] = {d->by_status[TASK_NOT_STARTED], d->by_status[TASK_IN_PROGRESS],
		      d->by_status[TASK_SUBMITTED], d->by_status[TASK_STAGED],
		      d->by_status[TASK_CLOSED], d->by_status[TASK_CARRIED]};
	chart_stacked(h, "整改状态", label, 1, names, cls, d->by_status[TASK_CARRIED] ? 6 : 5, v);
}

/* 燃尽图: the open tasks week by week against an even pace to zero
 * (nothing before the first week). */
static void burn_down(struct html *h, const struct dashboard *d)
{
	if (d->n_weeks <= 0)
		return;
	size_t n = d->n_weeks;
	const char **x = xcalloc(n, sizeof *x);
	char(*xs)[11] = xcalloc(n, sizeof *xs);
	double *act = xcalloc(n, sizeof *act), *ideal = xcalloc(n, sizeof *ideal);
	double start = d->weeks[0].open;
	for (size_t i = 0; i < n; i++) {
		int y, m, dd;
		store_day_to_ymd(d->weeks[i].day, &y, &m, &dd);
		snprintf(xs[i], sizeof xs[i], "%d/%d", m, dd);
		x[i] = xs[i];
		act[i] = d->weeks[i].open;
		ideal[i] = n > 1 ? start * (1.0 - (double)i / (double)(n - 1)) : start;
	}
	chart_line(h, "燃尽图（每周未销号事项）", x, n, act, ideal, "未销号", "均衡进度");
	free(x);
	free(xs);
	free(act);
	free(ideal);
}

/* Two cards side by side: the lights, then the statuses with the
 * burn-down. */
static void dashboard_charts(struct html *h, const struct dashboard *d)
{
	html_open(h, "div", "class", "grid", NULL);
	page_card(h, NULL);
	lights_donut(h, d);
	html_close(h, 1);
	page_card(h, NULL);
	status_bar(h, d);
	burn_down(h, d);
	html_close(h, 2); /* the card, the grid */
}

/* Completion by area and by unit, side by side. */
static void dashboard_groups(struct html *h, const struct dashboard *d)
{
	html_open(h, "div", "class", "grid", NULL);
	page_card(h, NULL);
	group_bars(h, "各方面完成率", d->areas, d->n_areas);
	html_close(h, 1);
	page_card(h, NULL);
	group_bars(h, "各单位完成率", d->units, d->n_units);
	html_close(h, 2);
}

/* The overdue and the yellow tasks, side by side. */
static void dashboard_lists(struct req *r, struct html *h, const struct dashboard *d)
{
	html_open(h, "div", "class", "grid", NULL);
	task_list_card(r, h, "逾期事项", "没有逾期事项。", d->overdue, d->n_overdue,
		       d->by_light[LIGHT_RED], "查看全部逾期事项 →", "/tasks?light=red");
	task_list_card(r, h, "黄灯事项", "没有临期或停滞的事项。", d->yellow, d->n_yellow,
		       d->by_light[LIGHT_YELLOW], "查看全部黄灯事项 →", "/tasks?light=yellow");
	html_close(h, 1);
}

/* One commitment behind: what it promises, and which period is behind --
 * the current one against its share to date, else the latest one
 * missed. */
static void commitment_behind(struct html *h, const struct commitment *c)
{
	html_open(h, "li", NULL);
	html_elem(h, "a", c->subject && *c->subject ? c->subject : c->text, "href", "/commitments",
		  NULL);
	const struct compliance *cur = NULL, *missed = NULL;
	for (size_t k = 0; k < c->n_periods; k++) {
		const struct compliance *p = &c->periods[k];
		if (p->current && p->behind)
			cur = p;
		else if (!p->current && p->behind)
			missed = p;
	}
	html_open(h, "span", "class", "muted", NULL);
	html_printf(h, "（%s%s不少于 %d%s）", c->per == DOC_PER_MEMBER ? "每名成员" : "",
		    page_period_zh(c->period), c->min, c->unit ? c->unit : "");
	if (cur) {
		html_printf(h, "：本期已完成 %d，按序时应达 %d", cur->count, cur->expected);
	} else if (missed) {
		char d1[11], d2[11];
		store_day_format(missed->start, d1);
		store_day_format(missed->end, d2);
		html_printf(h, "：%s 至 %s 只完成 %d", d1, d2, missed->count);
	}
	html_close(h, 2);
}

/* 承诺落后: the commitments behind, or a word that none is. */
static void commitments_behind_card(struct html *h, const struct commitment_list *cl)
{
	html_open(h, "div", "class", "grid", NULL);
	page_card(h, "承诺落后");
	if (!cl->n) {
		html_elem(h, "p", "各项承诺均按序时进度推进。", "class", "muted", NULL);
	} else {
		html_open(h, "ul", "class", "behind", NULL);
		for (size_t i = 0; i < cl->n; i++)
			commitment_behind(h, &cl->v[i]);
		html_close(h, 1);
	}
	html_close(h, 2);
}

/* The dashboard's body, the part that is cached: the counts, the charts,
 * the lists of tasks late or near it, and the commitments behind, from
 * store_dashboard() as the caller sees the ledger; a word of what to do
 * when there is no campaign yet. */
static enum rc dashboard_body(struct req *r, struct html *h)
{
	struct actx *a = ACTX(r);
	struct dashboard d = {0};
	enum rc rc = store_dashboard(a->db, WHO(r), 0, a->today, &d, &r->err);
	if (rc == RC_NOTFOUND) {
		dashboard_empty(r, h);
		rc = RC_OK;
	} else if (rc == RC_OK) {
		dashboard_kpis(h, &d);
		dashboard_charts(h, &d);
		dashboard_groups(h, &d);
		dashboard_lists(r, h, &d);
		commitments_behind_card(h, &d.commitments_behind);
	}
	dashboard_release(&d);
	return rc;
}

/* 生成整改落实情况报告: a download form (GET, so no CSRF): the day the
 * report speaks as of, and the format -- Word in the official layout, or
 * HTML and Markdown to edit or publish. */
static void report_form(struct req *r, struct html *h)
{
	html_open(h, "form", "class", "report-bar noprint", "method", "get", "action",
		  "/export/report", NULL);
	html_elem(h, "span", "整改落实情况报告", "class", "report-title", NULL);
	html_open(h, "label", NULL);
	html_text(h, "截至");
	html_open(h, "input", "type", "date", "name", "as_of", "value", r->today, "required", "",
		  "aria-label", "截至日期", NULL);
	html_close(h, 1);
	html_open(h, "label", NULL);
	html_text(h, "格式");
	html_open(h, "select", "name", "format", "aria-label", "报告格式", NULL);
	html_elem(h, "option", "Word 文档（.docx，公文格式）", "value", "docx", "selected", "", NULL);
	html_elem(h, "option", "网页（.html）", "value", "html", NULL);
	html_elem(h, "option", "Markdown（.md）", "value", "md", NULL);
	html_close(h, 2);
	html_elem(h, "button", "生成报告", "type", "submit", "class", "btn", NULL);
	html_close(h, 1);
}

enum rc page_home(struct req *r, struct html *h)
{
	struct actx *a = ACTX(r);
	uint64_t gen = app_gen(r);
	const struct who *w = WHO(r);
	char key[96];
	if (w->role == ROLE_HANDLER)
		snprintf(key, sizeof key, "home|h%lld|%s", (long long)w->unit_id, a->today_s);
	else
		snprintf(key, sizeof key, "home|all|%d|%s", (int)w->role, a->today_s);
	struct blob *frag = cache_get(key, gen);
	if (!frag) {
		struct buf b = BUF_INIT(0);
		struct html sub;
		html_init(&sub, &b);
		enum rc rc = dashboard_body(r, &sub);
		if (rc == RC_OK)
			frag = html_frag_take(&sub);
		buf_release(&b);
		if (rc != RC_OK || !frag) {
			cache_abandon(key, gen);
			return rc != RC_OK ? rc : ERR(&r->err, RC_INTERNAL, "dashboard fragment");
		}
		cache_put(key, gen, frag);
	}
	page_begin(r, h, "总览", NAV_HOME);
	char title[256];
	app_campaign_title(r, title, sizeof title);
	html_elem(h, "h1", title[0] ? title : "总览", NULL);
	page_flash(r, h);
	if (title[0])
		report_form(r, h);
	html_frag_splice(h, r, frag);
	bulk_home_form(r, h);
	page_end(r, h);
	return RC_OK;
}
