/*
 * page_commit.c -- 承诺: each quantitative commitment with its compliance
 * per period (who is behind), the activity log, and the form to log an
 * activity (admins, leaders, handlers: rule W13); and GET
 * /api/v1/commitments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web_int.h"

static void period_label(const struct compliance *p, char *out, size_t n)
{
	char a[11], b[11];
	store_day_format(p->start, a);
	store_day_format(p->end, b);
	snprintf(out, n, "%s 至 %s", a, b);
}

static void activity_form(struct req *r, struct html *h, const struct commitment *c,
			  const struct user_list *leaders)
{
	char href[64];
	snprintf(href, sizeof href, "/commitments/%lld/activities", (long long)c->id);
	html_open(h, "details", "class", "noprint", NULL);
	html_elem(h, "summary", "登记一次活动", "class", "btn ghost", NULL);
	html_open(h, "form", "method", "post", "action", href, "enctype", "multipart/form-data",
		  NULL);
	page_csrf(r, h);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "日期", NULL);
	html_open(h, "input", "type", "date", "name", "day", "value", r->today, "max", r->today,
		  "required", "", "aria-label", "日期", NULL);
	html_close(h, 1);
	/* Who took part: the team members, all ticked for a team commitment,
	 * the leader logging it for a per-member one. */
	if (leaders->n) {
		bool all = c->per != DOC_PER_MEMBER;
		html_open(h, "fieldset", "class", "form-row", NULL);
		html_elem(h, "legend", "参加人员", NULL);
		for (size_t i = 0; i < leaders->n; i++) {
			const struct user *u = &leaders->v[i];
			if (u->role != ROLE_LEADER || !u->active)
				continue;
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)u->id);
			html_open(h, "label", NULL);
			html_open(h, "input", "type", "checkbox", "name", "who", "value", id, "checked",
				  all || u->id == WHO(r)->user_id ? "" : NULL, NULL);
			html_text(h, u->name);
			html_lit(h, "　");
			html_close(h, 1);
		}
		html_close(h, 1);
	}
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "内容", NULL);
	char ml[24];
	html_open(h, "textarea", "name", "note", "rows", "2", "maxlength",
		  page_maxlength(ml, STORE_NOTE_MAX), "aria-label", "内容", NULL);
	html_close(h, 2);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "佐证材料", NULL);
	html_open(h, "input", "type", "file", "name", "files", "multiple", "", "aria-label",
		  "佐证材料", NULL);
	html_close(h, 1);
	html_elem(h, "button", "登记", "type", "submit", "class", "btn", NULL);
	html_close(h, 2);
}

enum rc page_commitments(struct req *r, struct html *h)
{
	struct actx *a = ACTX(r);
	struct commitment_list cl = {0};
	enum rc rc = store_commitment_list(a->db, WHO(r), 0, a->today, &cl, &r->err);
	if (rc != RC_OK && rc != RC_NOTFOUND) {
		commitment_list_release(&cl);
		return rc;
	}
	struct user_list us = {0};
	store_user_list(a->db, WHO(r), &us, NULL);
	/* With several reports in the campaign, each commitment says whose. */
	struct report_list rl = {0};
	store_report_list(a->db, WHO(r), 0, &rl, NULL);
	enum role role = WHO(r)->role;
	bool may_log = role == ROLE_ADMIN || role == ROLE_LEADER || role == ROLE_HANDLER;
	page_begin(r, h, "承诺事项", NAV_COMMIT);
	html_elem(h, "h1", "承诺事项", NULL);
	page_flash(r, h);
	if (cl.n == 0)
		html_elem(h, "p", "本批次材料中没有可量化的承诺。", "class", "card muted", NULL);
	for (size_t i = 0; i < cl.n; i++) {
		const struct commitment *c = &cl.v[i];
		html_open(h, "section", "class", "card", NULL);
		html_open(h, "div", "class", "task-head", NULL);
		html_elem(h, "h2", c->subject && *c->subject ? c->subject : "承诺", NULL);
		html_elem(h, "span", c->behind ? "落后" : "正常", "class",
			  c->behind ? "light red" : "light green", NULL);
		html_open(h, "span", "class", "muted", NULL);
		html_printf(h, "%s不少于 %d %s · %s", page_period_zh(c->period), c->min,
			    c->unit && *c->unit ? c->unit : "次",
			    c->per == DOC_PER_MEMBER ? "每位班子成员" : "班子整体");
		html_close(h, 2);
		html_open(h, "p", "class", "muted small", NULL);
		html_text(h, c->text);
		for (size_t k = 0; rl.n > 1 && k < rl.n; k++)
			if (rl.v[k].id == c->report_id)
				html_printf(h, "（出自《%s》）", rl.v[k].title);
		html_close(h, 1);
		if (c->n_periods) {
			html_open(h, "table", "class", "commit", NULL);
			html_lit(h, "<thead><tr><th>期间</th><th class=\"num\">完成</th>"
				    "<th class=\"num\">序时应达</th><th class=\"num\">要求</th>"
				    "<th>情况</th></tr></thead>");
			html_open(h, "tbody", NULL);
			for (size_t k = c->n_periods; k-- > 0;) {
				const struct compliance *p = &c->periods[k];
				char lbl[40], n1[16], n2[16], n3[16];
				period_label(p, lbl, sizeof lbl);
				snprintf(n1, sizeof n1, "%d", p->count);
				snprintf(n2, sizeof n2, "%d", p->expected);
				snprintf(n3, sizeof n3, "%d", c->min);
				html_open(h, "tr", NULL);
				html_open(h, "td", "class", "nowrap", NULL);
				html_text(h, lbl);
				if (p->current)
					html_elem(h, "span", "本期", "class", "tag", NULL);
				html_close(h, 1);
				html_elem(h, "td", n1, "class", "num", NULL);
				html_elem(h, "td", n2, "class", "num", NULL);
				html_elem(h, "td", n3, "class", "num", NULL);
				html_open(h, "td", NULL);
				if (p->met)
					html_elem(h, "span", "已完成", "class", "light green", NULL);
				else if (p->behind)
					html_elem(h, "span", p->current ? "落后于序时进度" : "未完成",
						  "class", "light red", NULL);
				else
					html_elem(h, "span", "进行中", "class", "light yellow", NULL);
				if (p->n_behind_who) {
					html_open(h, "span", "class", "muted small", NULL);
					html_lit(h, "　落后：");
					for (size_t j = 0; j < p->n_behind_who; j++) {
						if (j)
							html_lit(h, "、");
						html_text(h, p->behind_who[j]);
					}
					html_close(h, 1);
				}
				html_close(h, 2);
			}
			html_close(h, 2);
		}
		struct activity_list al = {0};
		if (store_activity_list(a->db, WHO(r), c->id, &al, NULL) == RC_OK && al.n) {
			html_elem(h, "h3", "活动记录", NULL);
			html_open(h, "ol", "class", "timeline", NULL);
			for (size_t k = 0; k < al.n && k < 30; k++) {
				const struct activity *x = &al.v[k];
				char d[11];
				store_day_format(x->day, d);
				html_open(h, "li", NULL);
				html_open(h, "div", "class", "when", NULL);
				html_text(h, d);
				html_lit(h, " · 登记人 ");
				html_text(h, x->by);
				if (x->n_who) {
					html_lit(h, " · 参加：");
					for (size_t j = 0; j < x->n_who; j++) {
						if (j)
							html_lit(h, "、");
						html_text(h, x->who[j]);
					}
				}
				html_close(h, 1);
				if (x->note && *x->note)
					html_elem(h, "div", x->note, NULL);
				for (size_t j = 0; j < x->n_evidence; j++) {
					char href[40];
					snprintf(href, sizeof href, "/evidence/%lld",
						 (long long)x->evidence[j].id);
					html_elem(h, "a", x->evidence[j].name, "href", href, "download",
						  "", NULL);
					html_lit(h, " ");
				}
				html_close(h, 1);
			}
			html_close(h, 1);
		}
		activity_list_release(&al);
		if (may_log)
			activity_form(r, h, c, &us);
		html_close(h, 1);
	}
	user_list_release(&us);
	report_list_release(&rl);
	commitment_list_release(&cl);
	page_end(r, h);
	return RC_OK;
}

enum rc form_activity(struct req *r)
{
	struct activity_new an = {0};
	an.commitment_id = r->param[0];
	const char *day = web_form(r, "day");
	if (!day || store_day_parse(day, &an.day) != 0)
		return ERR(&r->err, RC_INVALID, "请填写活动日期（如 2024-03-01）。");
	int64_t ids[WEB_MAX_FIELDS];
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < ARRAY_LEN(ids); i++) {
		if (strcmp(r->form.v[i].key, "who") != 0)
			continue;
		char *end;
		long long v = strtoll(r->form.v[i].val, &end, 10);
		if (*end || v <= 0)
			return ERR(&r->err, RC_INVALID, "参加人员无效");
		ids[n++] = v;
	}
	an.who_ids = ids;
	an.n_who = n;
	an.note = web_form(r, "note");
	struct evidence_in ev[WEB_MAX_FILES];
	size_t ne = 0;
	for (size_t i = 0; i < r->files.n && ne < ARRAY_LEN(ev); i++) {
		struct web_file *f = &r->files.v[i];
		if (f->size == 0 && !*f->name)
			continue;
		lseek(f->fd, 0, SEEK_SET);
		ev[ne++] = (struct evidence_in){*f->name ? f->name : "附件", *f->type ? f->type : NULL,
						f->fd, NULL};
	}
	an.evidence = ev;
	an.n_evidence = ne;
	int64_t id;
	enum rc rc = store_activity_add(ACTX(r)->db, WHO(r), &an, ACTX(r)->today, &id, &r->err);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/commitments?ok=activity");
	return RC_OK;
}

enum rc api_commitments(struct req *r, json_t **out)
{
	struct actx *a = ACTX(r);
	struct commitment_list cl = {0};
	enum rc rc = store_commitment_list(a->db, WHO(r), 0, a->today, &cl, &r->err);
	if (rc != RC_OK) {
		commitment_list_release(&cl);
		return rc;
	}
	static const char *const periods[DOC_PERIOD__MAX] = {"year", "half", "quarter", "month",
							     "week", "none"};
	json_t *arr = json_array();
	for (size_t i = 0; i < cl.n; i++) {
		const struct commitment *c = &cl.v[i];
		json_t *ps = json_array();
		for (size_t k = 0; k < c->n_periods; k++) {
			const struct compliance *p = &c->periods[k];
			char s[11], e[11];
			store_day_format(p->start, s);
			store_day_format(p->end, e);
			json_t *who = json_array();
			for (size_t j = 0; j < p->n_behind_who; j++)
				json_array_append_new(who, json_string(p->behind_who[j]));
			json_array_append_new(ps, json_pack("{s:s, s:s, s:i, s:i, s:b, s:b, s:b, s:o}",
							    "start", s, "end", e, "count", p->count,
							    "expected", p->expected, "current",
							    p->current, "met", p->met, "behind",
							    p->behind, "behind_who", who));
		}
		json_array_append_new(
			arr, json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:i, s:b, s:o}", "id",
				       (json_int_t)c->id, "text", c->text ? c->text : "", "subject",
				       c->subject ? c->subject : "", "min", c->min, "period",
				       periods[(unsigned)c->period < DOC_PERIOD__MAX ? c->period : 5],
				       "per", c->per == DOC_PER_MEMBER ? "member" : "team",
				       "n_activities", c->n_activities, "behind", c->behind, "periods",
				       ps));
	}
	commitment_list_release(&cl);
	*out = json_pack("{s:o}", "commitments", arr);
	return RC_OK;
}
