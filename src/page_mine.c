/*
 * page_mine.c -- 我的: each role's own work.
 *   leader    the tasks they lead, and the per-member commitments
 *   handler   their units' open tasks
 *   reviewer  close-out requests, extension requests, 回头看 due
 *   admin     the tasks still needing 交办, each once with what it lacks,
 *             and the rest of 对账 (store_check)
 *   observer  overdue tasks
 * The counts here are the 待办 shown in the header (app_todo_count).
 * Leaders and handlers see first what was urged (催办) and returned (退回).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

/* A compact task table of one filtered query; returns the total. */
static int64_t task_block(struct req *r, struct html *h, const char *title,
			  const struct task_filter *f, const char *more_href, const char *empty)
{
	struct task_list l = {0};
	enum rc rc = store_task_list(ACTX(r)->db, WHO(r), f, ACTX(r)->today, &l, &r->err);
	html_open(h, "section", "class", "card", NULL);
	html_open(h, "h2", NULL);
	html_text(h, title);
	if (rc == RC_OK) {
		html_open(h, "span", "class", "muted", NULL);
		html_printf(h, "（%lld）", (long long)l.total);
		html_close(h, 1);
	}
	html_close(h, 1);
	if (rc != RC_OK || l.n == 0) {
		html_elem(h, "p", rc == RC_OK ? empty : "暂无整改批次。", "class", "muted", NULL);
	} else {
		html_open(h, "table", "class", "ledger compact", NULL);
		html_lit(h, "<thead><tr><th class=\"num\">序号</th><th>灯</th><th>问题</th>"
			    "<th>责任单位</th><th>时限</th><th>状态</th></tr></thead>");
		html_open(h, "tbody", NULL);
		for (size_t i = 0; i < l.n; i++) {
			const struct task_row *t = &l.rows[i];
			char seq[16], href[40], dl[64];
			snprintf(seq, sizeof seq, "%d", t->seq);
			snprintf(href, sizeof href, "/tasks/%lld", (long long)t->id);
			deadline_format(t->deadline_kind, t->deadline, dl, sizeof dl);
			html_open(h, "tr", NULL);
			html_elem(h, "td", seq, "class", "num", NULL);
			html_open(h, "td", NULL);
			page_light(h, t->light);
			html_close(h, 1);
			html_open(h, "td", "class", "lead", NULL);
			html_elem(h, "a", t->lead, "href", href, NULL);
			html_close(h, 1);
			html_elem(h, "td", t->unit_name[0] ? t->unit_name : "—", NULL);
			html_elem(h, "td", dl[0] ? dl : "未定", "class", "nowrap", NULL);
			html_open(h, "td", NULL);
			page_status(h, t->status);
			html_close(h, 2);
		}
		html_close(h, 2);
		if (l.total > (int64_t)l.n && more_href)
			html_elem(h, "a", "在台账中查看全部 →", "href", more_href, NULL);
	}
	html_close(h, 1);
	int64_t total = rc == RC_OK ? l.total : 0;
	task_list_release(&l);
	return total;
}

/* The tasks wanting attention first (store_task_attention): urged, then
 * returned, for the leader and the handlers.  Nothing when empty. */
static void attention_block(struct req *r, struct html *h, enum attention k)
{
	struct task_list l = {0};
	if (store_task_attention(ACTX(r)->db, WHO(r), k, ACTX(r)->today, &l, NULL) != RC_OK ||
	    !l.n) {
		task_list_release(&l);
		return;
	}
	html_open(h, "section", "class", k == ATTN_URGED ? "card attention urged"
							  : "card attention returned", NULL);
	html_open(h, "h2", NULL);
	html_text(h, k == ATTN_URGED ? "被催办的事项" : "被退回的事项");
	html_open(h, "span", "class", "muted", NULL);
	html_printf(h, "（%zu）", l.n);
	html_close(h, 2);
	html_open(h, "ul", NULL);
	for (size_t i = 0; i < l.n; i++) {
		char href[40];
		snprintf(href, sizeof href, "/tasks/%lld", (long long)l.rows[i].id);
		html_open(h, "li", NULL);
		html_open(h, "a", "href", href, NULL);
		html_printf(h, "第 %d 项　", l.rows[i].seq);
		html_text(h, l.rows[i].lead);
		html_close(h, 1);
		if (l.rows[i].unit_name[0]) {
			html_lit(h, "　");
			html_elem(h, "span", l.rows[i].unit_name, "class", "muted small", NULL);
		}
		html_close(h, 1);
	}
	html_close(h, 2);
	task_list_release(&l);
}

static void member_commitments(struct req *r, struct html *h)
{
	struct commitment_list cl = {0};
	if (store_commitment_list(ACTX(r)->db, WHO(r), 0, ACTX(r)->today, &cl, NULL) != RC_OK) {
		commitment_list_release(&cl);
		return;
	}
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "个人承诺", NULL);
	bool any = false;
	const char *me = SESS(r)->name;
	for (size_t i = 0; i < cl.n; i++) {
		const struct commitment *c = &cl.v[i];
		if (c->per != DOC_PER_MEMBER)
			continue;
		any = true;
		/* Behind in the current period, or short in an earlier one. */
		const char *state = "按进度";
		for (size_t k = 0; k < c->n_periods; k++) {
			const struct compliance *p = &c->periods[k];
			for (size_t j = 0; j < p->n_behind_who; j++)
				if (strcmp(p->behind_who[j], me) == 0)
					state = p->current ? "落后于序时进度" : "往期未完成";
		}
		bool behind = strcmp(state, "按进度") != 0;
		html_open(h, "p", "class", "commit-line", NULL);
		html_elem(h, "b", c->subject && *c->subject ? c->subject : c->text, NULL);
		html_elem(h, "span", state, "class", behind ? "light red" : "light green", NULL);
		html_close(h, 1);
		html_elem(h, "p", c->text, "class", "muted small", NULL);
	}
	if (!any)
		html_elem(h, "p", "没有按个人计算的承诺。", "class", "muted", NULL);
	html_elem(h, "a", "去登记活动 →", "href", "/commitments", NULL);
	html_close(h, 1);
	commitment_list_release(&cl);
}

/* The tasks 对账 finds without a leader, unit or deadline, each once
 * with what it lacks (bits of 1 << kind), in 序号 order. */
struct need {
	int64_t id;
	int seq;
	const char *text;
	unsigned lacks;
};

static bool lack_kind(enum check_kind k)
{
	return k == CHECK_TASK_NO_LEADER || k == CHECK_TASK_NO_UNIT || k == CHECK_TASK_NO_DEADLINE;
}

static size_t needs_of(const struct check_report *c, struct need **out)
{
	struct need *v = xcalloc(c->n ? c->n : 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct check_item *it = &c->v[i];
		if (!lack_kind(it->kind))
			continue;
		size_t k = 0;
		while (k < n && v[k].id != it->id)
			k++;
		if (k == n) {
			/* in 序号 order: insert */
			while (k > 0 && v[k - 1].seq > it->seq) {
				v[k] = v[k - 1];
				k--;
			}
			v[k] = (struct need){it->id, it->seq, it->text && *it->text ? it->text
										   : it->label, 0};
			n++;
		}
		v[k].lacks |= 1u << it->kind;
	}
	*out = v;
	return n;
}

static void admin_todo(struct req *r, struct html *h)
{
	struct check_report c = {0};
	enum rc rc = store_check(ACTX(r)->db, WHO(r), 0, ACTX(r)->today, &c, NULL);
	struct need *need = NULL;
	size_t n = rc == RC_OK ? needs_of(&c, &need) : 0;
	html_open(h, "section", "class", "card", NULL);
	html_open(h, "h2", NULL);
	html_text(h, "待交办事项");
	html_open(h, "span", "class", "muted", NULL);
	html_printf(h, "（%zu）", n);
	html_close(h, 2);
	if (!n) {
		html_elem(h, "p", rc == RC_OK ? "每个事项都已明确责任领导、责任单位和整改时限。"
					      : "暂无整改批次。",
			  "class", "muted", NULL);
	} else {
		html_open(h, "table", NULL);
		html_lit(h, "<thead><tr><th class=\"num\">序号</th><th>问题</th><th>尚缺</th></tr></thead>");
		html_open(h, "tbody", NULL);
		for (size_t i = 0; i < n && i < 200; i++) {
			char seq[16], href[40];
			snprintf(seq, sizeof seq, "%d", need[i].seq);
			snprintf(href, sizeof href, "/tasks/%lld#actions", (long long)need[i].id);
			html_open(h, "tr", NULL);
			html_elem(h, "td", seq, "class", "num", NULL);
			html_open(h, "td", NULL);
			html_elem(h, "a", need[i].text, "href", href, NULL);
			html_close(h, 1);
			html_open(h, "td", "class", "nowrap", NULL);
			static const struct {
				enum check_kind k;
				const char *zh;
			} parts[] = {{CHECK_TASK_NO_LEADER, "领导"},
				     {CHECK_TASK_NO_UNIT, "单位"},
				     {CHECK_TASK_NO_DEADLINE, "时限"}};
			bool first = true;
			for (size_t k = 0; k < ARRAY_LEN(parts); k++) {
				if (!(need[i].lacks & (1u << parts[k].k)))
					continue;
				if (!first)
					html_lit(h, " / ");
				html_text(h, parts[k].zh);
				first = false;
			}
			html_close(h, 2);
		}
		html_close(h, 2);
	}
	html_close(h, 1);
	free(need);
	/* The rest of 对账: problems without a task, measures, … */
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "对账", NULL);
	size_t rest = 0;
	for (size_t i = 0; rc == RC_OK && i < c.n; i++)
		rest += !lack_kind(c.v[i].kind);
	if (!rest) {
		html_elem(h, "p", rc == RC_OK ? "台账完整：每个问题都有事项，每个事项都对应整改措施。"
					      : "暂无整改批次。",
			  "class", "muted", NULL);
	} else {
		html_open(h, "table", NULL);
		html_lit(h, "<thead><tr><th>类别</th><th class=\"num\">序号</th><th>内容</th></tr></thead>");
		html_open(h, "tbody", NULL);
		size_t shown = 0;
		for (size_t i = 0; i < c.n && shown < 200; i++) {
			const struct check_item *it = &c.v[i];
			if (lack_kind(it->kind))
				continue;
			shown++;
			html_open(h, "tr", NULL);
			html_elem(h, "td", check_kind_label(it->kind), "class", "nowrap", NULL);
			char seq[16];
			snprintf(seq, sizeof seq, "%d", it->seq);
			html_elem(h, "td", it->seq ? seq : "", "class", "num", NULL);
			html_open(h, "td", NULL);
			if (it->seq) {
				char href[40];
				snprintf(href, sizeof href, "/tasks/%lld", (long long)it->id);
				html_elem(h, "a", it->text && *it->text ? it->text : it->label, "href",
					  href, NULL);
			} else {
				html_text(h, it->label);
				html_lit(h, " ");
				html_text(h, it->text);
			}
			html_close(h, 2);
		}
		html_close(h, 2);
	}
	html_close(h, 1);
	check_report_release(&c);
}

static void reviewer_extensions(struct req *r, struct html *h)
{
	struct check_report c = {0};
	enum rc rc = store_check(ACTX(r)->db, WHO(r), 0, ACTX(r)->today, &c, NULL);
	html_open(h, "section", "class", "card", NULL);
	html_open(h, "h2", NULL);
	html_text(h, "延期申请");
	html_open(h, "span", "class", "muted", NULL);
	html_printf(h, "（%d）", rc == RC_OK ? c.count[CHECK_EXTENSION_PENDING] : 0);
	html_close(h, 2);
	bool any = false;
	if (rc == RC_OK) {
		html_open(h, "ul", NULL);
		for (size_t i = 0; i < c.n; i++) {
			if (c.v[i].kind != CHECK_EXTENSION_PENDING)
				continue;
			any = true;
			char href[48];
			snprintf(href, sizeof href, "/tasks/%lld#actions", (long long)c.v[i].id);
			html_open(h, "li", NULL);
			html_open(h, "a", "href", href, NULL);
			html_printf(h, "第 %d 项　", c.v[i].seq);
			html_text(h, c.v[i].text);
			html_close(h, 2);
		}
		html_close(h, 1);
	}
	if (!any)
		html_elem(h, "p", "没有待审批的延期申请。", "class", "muted", NULL);
	html_close(h, 1);
	check_report_release(&c);
}

enum rc page_mine(struct req *r, struct html *h)
{
	const struct who *w = WHO(r);
	page_begin(r, h, "我的", NAV_MINE);
	html_open(h, "h1", NULL);
	html_text(h, "我的工作");
	html_open(h, "span", "class", "muted small", NULL);
	html_lit(h, "　");
	html_text(h, SESS(r)->name);
	html_lit(h, " · ");
	html_text(h, role_name_zh(w->role));
	html_close(h, 2);
	page_flash(r, h);
	struct task_filter f = TASK_FILTER_INIT;
	f.sort = TASK_SORT_DEADLINE;
	f.per_page = 20;
	char more[64];
	if (w->role == ROLE_LEADER || w->role == ROLE_HANDLER) {
		attention_block(r, h, ATTN_URGED);
		attention_block(r, h, ATTN_RETURNED);
	}
	switch (w->role) {
	case ROLE_LEADER:
		f.leader_id = w->user_id;
		f.status = TASK_NOT_STARTED;
		snprintf(more, sizeof more, "/tasks?leader=%lld&status=not_started",
			 (long long)w->user_id);
		task_block(r, h, "我负责的事项：未启动", &f, more, "没有未启动的事项。");
		f.status = TASK_IN_PROGRESS;
		snprintf(more, sizeof more, "/tasks?leader=%lld&status=in_progress",
			 (long long)w->user_id);
		task_block(r, h, "我负责的事项：整改中（可申请销号）", &f, more, "没有整改中的事项。");
		f.status = TASK_SUBMITTED;
		snprintf(more, sizeof more, "/tasks?leader=%lld&status=submitted",
			 (long long)w->user_id);
		task_block(r, h, "已申请销号，等待审核", &f, more, "没有等待审核的事项。");
		member_commitments(r, h);
		break;
	case ROLE_HANDLER:
		f.status = TASK_NOT_STARTED;
		task_block(r, h, "本单位事项：未启动", &f, "/tasks?status=not_started",
			   "没有未启动的事项。");
		f.status = TASK_IN_PROGRESS;
		task_block(r, h, "本单位事项：整改中（请及时报送进展）", &f, "/tasks?status=in_progress",
			   "没有整改中的事项。");
		f.status = -1;
		f.light = LIGHT_RED;
		task_block(r, h, "本单位逾期事项", &f, "/tasks?light=red", "没有逾期事项。");
		break;
	case ROLE_REVIEWER:
		f.status = TASK_SUBMITTED;
		task_block(r, h, "待审核的销号申请", &f, "/tasks?status=submitted", "没有待审核的申请。");
		reviewer_extensions(r, h);
		f.status = -1;
		f.review_due = 1;
		task_block(r, h, "回头看到期", &f, "/tasks?review_due=1", "没有到期的回头看。");
		break;
	case ROLE_ADMIN:
		admin_todo(r, h);
		f.light = LIGHT_RED;
		task_block(r, h, "逾期事项", &f, "/tasks?light=red", "没有逾期事项。");
		break;
	default:
		f.light = LIGHT_RED;
		task_block(r, h, "逾期事项（督导关注）", &f, "/tasks?light=red", "没有逾期事项。");
		f.light = -1;
		f.status = TASK_SUBMITTED;
		task_block(r, h, "申请销号中的事项", &f, "/tasks?status=submitted", "没有。");
		break;
	}
	page_end(r, h);
	return RC_OK;
}
