/*
 * export_report.c -- the 整改落实情况报告 as a model of text blocks and charts,
 * computed from the ledger (export_int.h), and export_report() which builds
 * it and hands it to the writer of the chosen format.
 *
 * The text follows the customary shape of such a report: an opening that
 * states the figures; 一、总体进展情况 with the lights and the charts;
 * 二、各方面整改落实情况, per area what was completed (with the latest
 * progress reported) and what remains and why (overdue by how many days,
 * due soon, no progress reported, waiting for review, ongoing); 三、承诺事项
 * 落实情况, each quantitative commitment against its current period;
 * 四、存在的问题和下一步打算; the note of the appendix and the date.  Every
 * figure comes from the ledger; nothing is invented.  Lists are bounded (at
 * most AREA_LIST tasks each way per area, AREAS_MAX areas) so that the text
 * stays a report whatever the size of the ledger; the appendix has every
 * task.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_int.h"
#include "text.h"

#define AREA_LIST 5
#define AREAS_MAX 40

static const char *const cn_ord[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

/* "一" … "十", then digits. */
static void put_cn(struct buf *b, int n)
{
	if (n >= 1 && n <= 10)
		buf_puts(b, cn_ord[n - 1]);
	else if (n > 10 && n < 20)
		buf_printf(b, "十%s", cn_ord[n - 11]);
	else if (n >= 20 && n < 100)
		buf_printf(b, "%s十%s", cn_ord[n / 10 - 1], n % 10 ? cn_ord[n % 10 - 1] : "");
	else
		buf_printf(b, "%d", n);
}

/* At most max characters of s[0..n), with "…" when cut. */
static const char *cut(struct arena *a, const char *s, size_t n, size_t max)
{
	size_t off = 0, chars = 0;
	while (off < n && chars < max) {
		off += (size_t)text_utf8_len((unsigned char)s[off]);
		chars++;
	}
	if (off > n)
		off = n;
	if (off == n)
		return arena_strndup(a, s, n);
	char *r = arena_alloc(a, off + 4);
	memcpy(r, s, off);
	memcpy(r + off, "…", 4);
	return r;
}

/* The lead of a problem: up to its first 。；, at most 40 characters. */
static const char *lead_of(struct arena *a, const char *p)
{
	const char *end = p + strlen(p);
	const char *stops[] = {"。", "；", "！", "？"};
	for (size_t i = 0; i < ARRAY_LEN(stops); i++) {
		const char *s = strstr(p, stops[i]);
		if (s && s < end)
			end = s;
	}
	return cut(a, p, (size_t)(end - p), 40);
}

/* The text of the latest progress entry ("YYYY-MM-DD text" lines). */
static const char *last_progress(struct arena *a, const char *p, char date[11])
{
	date[0] = '\0';
	if (!p || !*p)
		return NULL;
	const char *nl = strrchr(p, '\n');
	const char *line = nl ? nl + 1 : p;
	if (strlen(line) > 11 && line[4] == '-' && line[7] == '-' && line[10] == ' ') {
		memcpy(date, line, 10);
		date[10] = '\0';
		line += 11;
	}
	/* Drop a closing 。 so that the caller can punctuate. */
	size_t n = strlen(line);
	if (n >= 3 && memcmp(line + n - 3, "。", 3) == 0)
		n -= 3;
	return n ? cut(a, line, n, 80) : NULL;
}

struct area_task {
	int seq;
	const char *lead, *unit, *deadline, *progress;
	char progress_day[11];
	enum task_status status;
	enum light light;
};

struct area_sum {
	const char *name;
	int total, closed, staged, carried, open, red, yellow;
	struct area_task done[AREA_LIST], left[AREA_LIST];
	int n_done, n_left;
};

/* Rank of a remaining task: red first, then yellow, then the rest. */
static int left_rank(const struct area_task *t)
{
	return t->light == LIGHT_RED ? 0 : t->light == LIGHT_YELLOW ? 1 : 2;
}

static void block(struct report_model *m, enum rblock_kind k, const char *lead, const char *text,
		  int chart)
{
	if (m->n_blocks == m->cap_blocks) {
		m->cap_blocks = m->cap_blocks ? m->cap_blocks * 2 : 64;
		m->blocks = xreallocarray(m->blocks, m->cap_blocks, sizeof *m->blocks);
	}
	m->blocks[m->n_blocks++] = (struct rblock){k, lead, text, chart};
}

static const char *dup_buf(struct report_model *m, struct buf *b)
{
	const char *s = arena_strndup(&m->arena, b->p ? b->p : "", b->len);
	buf_reset(b);
	return s;
}

static void pct(struct buf *b, int part, int total)
{
	if (total <= 0)
		buf_puts(b, "0");
	else
		buf_printf(b, "%.1f", 100.0 * part / total);
}

/* Why a task is not done, in words. */
static void why_left(struct buf *b, const struct area_task *t, int32_t as_of)
{
	int32_t day;
	int has_day = t->deadline && store_day_parse(t->deadline, &day) == 0;
	if (t->status == TASK_SUBMITTED)
		buf_puts(b, "已申请销号，待审核");
	else if (t->light == LIGHT_GREY)
		buf_puts(b, "尚未明确责任领导、责任单位或整改时限，待交办");
	else if (t->light == LIGHT_RED && has_day)
		buf_printf(b, "已超过整改时限%d天", as_of - day);
	else if (t->light == LIGHT_RED)
		buf_puts(b, "已超过整改时限");
	else if (t->light == LIGHT_YELLOW && has_day && day - as_of <= LIGHT_WARN_DAYS)
		buf_printf(b, "距整改时限还有%d天", day - as_of);
	else if (t->light == LIGHT_YELLOW && !t->progress) {
		buf_printf(b, "已%d天以上未报送进展", LIGHT_STALE_DAYS);
		return;
	} else if (t->light == LIGHT_YELLOW)
		buf_printf(b, "已%d天以上未报送新的进展", LIGHT_STALE_DAYS);
	else if (t->deadline && strstr(t->deadline, "长期坚持"))
		buf_puts(b, "属长期坚持事项，需持续推进");
	else if (t->status == TASK_NOT_STARTED)
		buf_puts(b, "尚未启动");
	else
		buf_puts(b, "正在按计划推进");
	if (t->progress)
		buf_printf(b, "，最近进展：%s", t->progress);
	else if (t->status != TASK_SUBMITTED)
		buf_puts(b, "，尚未报送进展");
}

static void add_chart(struct report_model *m, const struct chart *c, const char *caption)
{
	m->charts = xreallocarray(m->charts, m->n_charts + 1, sizeof *m->charts);
	m->charts[m->n_charts] = *c;
	block(m, RB_CHART, NULL, arena_strdup(&m->arena, caption), (int)m->n_charts);
	m->n_charts++;
}

/* A stacked progress chart of groups (areas or units): the first
 * REPORT_PROGRESS_BARS a bar each, the rest together as one more bar, 其他. */
static void progress_chart(struct report_model *m, const char *title, const struct dash_group *g,
			   size_t n, const char *caption)
{
	struct chart c = {.kind = CHART_HBAR_STACKED, .title = title, .n_series = 3};
	c.s[0].name = "已销号";
	c.s[0].color = 0x2E9D4A;
	c.s[1].name = "阶段性完成";
	c.s[1].color = 0x6FB7E9;
	c.s[2].name = "未完成";
	c.s[2].color = 0xF0A030;
	size_t max = REPORT_PROGRESS_BARS;
	for (size_t i = 0; i < n; i++) {
		size_t k = i < max ? i : max;
		if (i <= max)
			c.cats[k] = i < max ? (g[i].name && *g[i].name ? g[i].name : "（未分配）")
					    : "其他";
		c.s[0].v[k] += g[i].closed;
		c.s[1].v[k] += g[i].staged;
		c.s[2].v[k] += g[i].total - g[i].closed - g[i].staged - g[i].carried;
	}
	c.n_cats = n <= max ? n : max + 1;
	add_chart(m, &c, caption);
}

/* The line of open tasks week by week (at most CHART_MAX_CATS weeks, the
 * latest), as figure fig. */
static void weeks_chart(struct report_model *m, const struct dashboard *d, int fig)
{
	struct chart t = {.kind = CHART_LINE, .title = "未完成事项变化", .n_series = 1};
	t.s[0].name = "未销号事项";
	t.s[0].color = 0xC0392B;
	size_t from = d->n_weeks > CHART_MAX_CATS ? d->n_weeks - CHART_MAX_CATS : 0;
	for (size_t i = from; i < d->n_weeks; i++) {
		int y, mo, dd;
		char day[16];
		store_day_to_ymd(d->weeks[i].day, &y, &mo, &dd);
		snprintf(day, sizeof day, "%d/%d", mo, dd);
		t.cats[t.n_cats] = arena_strdup(&m->arena, day);
		t.s[0].v[t.n_cats++] = d->weeks[i].open;
	}
	char cap[64];
	snprintf(cap, sizeof cap, "图%d 未完成事项变化（按周）", fig);
	add_chart(m, &t, cap);
}

/* The current period of each commitment (at most 12) against what it
 * should have reached by now, as figure fig; none when no commitment has a
 * period yet. */
static void commitments_chart(struct report_model *m, const struct commitment_list *cl, int fig)
{
	struct chart k = {.kind = CHART_COLUMN, .title = "承诺事项本期落实", .n_series = 2,
			  .labels = 1};
	k.s[0].name = "本期完成";
	k.s[0].color = 0x2E86C1;
	k.s[1].name = "序时应完成";
	k.s[1].color = 0xBBBBBB;
	for (size_t i = 0; i < cl->n && k.n_cats < 12; i++) {
		const struct commitment *cm = &cl->v[i];
		if (!cm->n_periods)
			continue;
		const struct compliance *p = &cm->periods[cm->n_periods - 1];
		k.cats[k.n_cats] = cm->subject && *cm->subject ? cm->subject : "承诺";
		k.s[0].v[k.n_cats] = p->count;
		k.s[1].v[k.n_cats++] = p->expected;
	}
	if (!k.n_cats)
		return;
	char cap[64];
	snprintf(cap, sizeof cap, "图%d 承诺事项本期落实情况", fig);
	add_chart(m, &k, cap);
}

/* The lights as columns (红灯, 黄灯, 绿灯, 待交办, 已销号). */
static void lights_chart(struct report_model *m, const struct dashboard *d)
{
	/* The open tasks by light, 待交办 (grey: no leader, unit or deadline
	 * yet) among them, then those closed. */
	static const char *const names[] = {"红灯", "黄灯", "绿灯", "待交办", "已销号"};
	static const uint32_t colors[] = {0xD93025, 0xF5C518, 0x2E9D4A, 0x5F6B78, 0x9AA0A6};
	const int values[] = {d->by_light[LIGHT_RED], d->by_light[LIGHT_YELLOW],
			      d->by_light[LIGHT_GREEN], d->by_light[LIGHT_GREY],
			      d->by_status[TASK_CLOSED]};
	_Static_assert(ARRAY_LEN(names) == ARRAY_LEN(colors) && ARRAY_LEN(names) == ARRAY_LEN(values),
		       "one name, colour and value per column");
	struct chart c = {.kind = CHART_COLUMN, .title = "红黄绿灯分布", .n_series = 1,
			  .labels = 1, .n_cats = ARRAY_LEN(names)};
	c.s[0].name = "事项数";
	c.s[0].color = 0x888888;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		c.cats[i] = names[i];
		c.s[0].v[i] = values[i];
		c.s[0].point_color[i] = colors[i];
	}
	add_chart(m, &c, "图2 红黄绿灯分布");
}

/* The figures of 一、总体进展情况: progress by area, the lights, then those
 * that have something to show, numbered on (the weeks, progress by unit,
 * the commitments). */
static void charts(struct report_model *m, const struct export_ledger *l)
{
	const struct dashboard *d = l->dash;
	if (!d || !d->total)
		return;
	if (d->n_areas)
		progress_chart(m, "各方面整改进度", d->areas, d->n_areas, "图1 各方面整改进度");
	lights_chart(m, d);
	int fig = 3;
	if (d->n_weeks >= 2)
		weeks_chart(m, d, fig++);
	if (d->n_units >= 2) {
		char cap[64];
		snprintf(cap, sizeof cap, "图%d 各责任单位整改进度", fig++);
		progress_chart(m, "各责任单位整改进度", d->units, d->n_units, cap);
	}
	if (l->commitments && l->commitments->n)
		commitments_chart(m, l->commitments, fig);
}

static void commitments_text(struct report_model *m, const struct export_ledger *l,
			     struct buf *b)
{
	const struct commitment_list *cl = l->commitments;
	if (!cl || !cl->n) {
		block(m, RB_PARA, NULL, "对照检查材料未作出量化承诺，本部分不作统计。", 0);
		return;
	}
	int met = 0, behind = 0;
	for (size_t i = 0; i < cl->n; i++) {
		const struct commitment *c = &cl->v[i];
		if (!c->n_periods)
			continue;
		const struct compliance *p = &c->periods[c->n_periods - 1];
		met += p->met;
		behind += p->behind;
	}
	buf_printf(b, "对照检查材料作出量化承诺%zu项。按本期计，已达标%d项，序时进度落后%d项，"
		      "其余正在推进。具体如下：", cl->n, met, behind);
	block(m, RB_PARA, NULL, dup_buf(m, b), 0);
	static const char *const period[DOC_PERIOD__MAX] = {"每年", "每半年", "每季度", "每月",
							    "每周", "累计"};
	for (size_t i = 0; i < cl->n; i++) {
		const struct commitment *c = &cl->v[i];
		const char *unit = c->unit && *c->unit ? c->unit : "次";
		buf_printf(b, "%zu.%s：要求%s%s不少于%d%s", i + 1,
			   c->subject && *c->subject ? c->subject : "承诺事项",
			   c->per == DOC_PER_MEMBER ? "每人" : "",
			   (unsigned)c->period < DOC_PERIOD__MAX ? period[c->period] : "", c->min, unit);
		if (c->n_periods) {
			const struct compliance *p = &c->periods[c->n_periods - 1];
			char a[32], z[32];
			export_day_cn(p->start, a, sizeof a);
			export_day_cn(p->end, z, sizeof z);
			buf_printf(b, "；本期（%s至%s）已完成%d%s", a, z, p->count, unit);
			if (p->current && !p->met && p->expected > 0)
				buf_printf(b, "，按序时进度应完成%d%s", p->expected, unit);
			buf_puts(b, p->met ? "，已达标" : p->behind ? "，进度落后" : "，正在推进");
			for (size_t k = 0; k < p->n_behind_who; k++)
				buf_printf(b, "%s%s", k ? "、" : "（落后：", p->behind_who[k]);
			if (p->n_behind_who)
				buf_puts(b, "）");
			int past_behind = 0;
			for (size_t k = 0; k + 1 < c->n_periods; k++)
				past_behind += c->periods[k].behind;
			if (past_behind)
				buf_printf(b, "；此前有%d个周期未达标", past_behind);
		}
		buf_puts(b, "。");
		block(m, RB_PARA, NULL, dup_buf(m, b), 0);
	}
}

/* What the one pass over the rows gathers: the totals by status and light,
 * and per area (at most AREAS_MAX; more_areas counts the rows of the rest)
 * its counts and the tasks to name. */
struct tally {
	VEC(struct area_sum) areas;
	int total, by_status[TASK_STATUS__MAX], by_light[LIGHT__MAX];
	int more_areas;
};

/* The heading part of the model: titles, 主送机关, 署名 and 成文日期. */
static void model_head(struct report_model *m, const struct export_ledger *l,
		       struct export_names *names)
{
	struct arena *a = &m->arena;
	export_names(l->title, l->report_title, names);
	m->title = arena_strdup(a, names->title);
	m->ledger_title = arena_strdup(a, names->ledger);
	struct buf tb = BUF_INIT(0);
	export_title_break(m->title, EXPORT_TITLE_HALF, &tb);
	m->title_lines = dup_buf(m, &tb);
	if (l->report_to && *l->report_to) {
		/* 主送机关 end with a full-width colon (GB/T 9704 7.3.4). */
		size_t n = strlen(l->report_to);
		int colon = n >= 3 && memcmp(l->report_to + n - 3, "：", 3) == 0;
		buf_printf(&tb, "%s%s", l->report_to, colon ? "" : "：");
		m->report_to = dup_buf(m, &tb);
	}
	if (l->signer && *l->signer)
		m->signer = arena_strdup(a, l->signer);
	buf_release(&tb);
	export_day_cn(l->as_of, m->date_cn, sizeof m->date_cn);
}

/* The area named an (其他方面 when none), added when new; NULL when
 * AREAS_MAX areas are already there. */
static struct area_sum *area_of(struct tally *t, struct arena *a, const char *an)
{
	for (size_t i = 0; i < t->areas.n; i++)
		if (strcmp(t->areas.v[i].name, an) == 0)
			return &t->areas.v[i];
	if (t->areas.n >= AREAS_MAX)
		return NULL;
	struct area_sum *s = VEC_PUSH(t->areas);
	s->name = arena_strdup(a, an);
	return s;
}

/* The slot of s->left that a remaining task takes: a free one, else that of
 * a less urgent task (the AREA_LIST most urgent are kept); -1 for none. */
static int left_slot(struct area_sum *s, const struct area_task *at)
{
	if (s->n_left < AREA_LIST)
		return s->n_left++;
	int worst = -1;
	for (int k = 0; k < AREA_LIST; k++)
		if (worst < 0 || left_rank(&s->left[k]) > left_rank(&s->left[worst]))
			worst = k;
	return left_rank(at) < left_rank(&s->left[worst]) ? worst : -1;
}

/* Count row r in its area and keep it among the tasks the area names. */
static void area_add(struct area_sum *s, struct arena *a, const struct export_row *r)
{
	s->total++;
	int done = r->status == TASK_CLOSED || r->status == TASK_STAGED;
	s->closed += r->status == TASK_CLOSED;
	s->staged += r->status == TASK_STAGED;
	s->carried += r->status == TASK_CARRIED;
	s->open += !done && r->status != TASK_CARRIED;
	if (r->status == TASK_CARRIED)
		return;         /* goes on in the next campaign: neither list */
	s->red += r->light == LIGHT_RED;
	s->yellow += r->light == LIGHT_YELLOW;
	struct area_task at = {.seq = r->seq, .status = r->status, .light = r->light};
	if (done && s->n_done < AREA_LIST) {
		at.lead = lead_of(a, r->problem ? r->problem : "");
		at.progress = last_progress(a, r->progress, at.progress_day);
		s->done[s->n_done++] = at;
	} else if (!done) {
		int slot = left_slot(s, &at);
		if (slot >= 0) {
			at.lead = lead_of(a, r->problem ? r->problem : "");
			at.unit = arena_strdup(a, r->unit ? r->unit : "");
			at.deadline = arena_strdup(a, r->deadline ? r->deadline : "");
			at.progress = last_progress(a, r->progress, at.progress_day);
			s->left[slot] = at;
		}
	}
}

/* Count row r in the totals and in its area. */
static void tally_row(struct tally *t, struct arena *a, const struct export_row *r)
{
	t->total++;
	if ((unsigned)r->status < TASK_STATUS__MAX)
		t->by_status[r->status]++;
	if ((unsigned)r->light < LIGHT__MAX)
		t->by_light[r->light]++;
	struct area_sum *s = area_of(t, a, r->area && *r->area ? r->area : "其他方面");
	if (s)
		area_add(s, a, r);
	else
		t->more_areas++;
}

/* Remaining tasks of each area in 序号 order within their rank. */
static void areas_sort_left(struct tally *t)
{
	for (size_t i = 0; i < t->areas.n; i++) {
		struct area_sum *s = &t->areas.v[i];
		for (int x = 1; x < s->n_left; x++)
			for (int y = x; y > 0; y--) {
				struct area_task *p = &s->left[y - 1], *q = &s->left[y];
				if (left_rank(p) > left_rank(q) ||
				    (left_rank(p) == left_rank(q) && p->seq > q->seq)) {
					struct area_task tmp = *p;
					*p = *q;
					*q = tmp;
				}
			}
	}
}

/* One pass over the rows (l->next), each handed to on_row too; then the
 * lists in order.  Errors: those of l->next and of on_row. */
static enum rc tally_rows(const struct export_ledger *l, struct tally *t, struct arena *a,
			  enum rc (*on_row)(void *ctx, const struct export_row *r, struct err *e),
			  void *ctx, struct err *e)
{
	for (;;) {
		const struct export_row *r;
		enum rc rc = l->next(l->ctx, &r, e);
		if (!rc && r && on_row)
			rc = on_row(ctx, r, e);
		if (rc)
			return rc;
		if (!r)
			break;
		tally_row(t, a, r);
	}
	areas_sort_left(t);
	return RC_OK;
}

/* The opening paragraph: the figures of the whole ledger. */
static void opening_text(struct report_model *m, const struct export_names *names,
			 const struct tally *t, struct buf *b)
{
	int closed = t->by_status[TASK_CLOSED], staged = t->by_status[TASK_STAGED];
	int carried = t->by_status[TASK_CARRIED];
	buf_printf(b, "%s逐项制定整改措施，明确责任领导、责任单位和"
		      "整改时限，建立整改台账，推动整改落实。截至%s，%d项整改事项中，已销号%d项，"
		      "阶段性完成%d项，申请销号%d项，正在整改%d项，未启动%d项，",
		   names->opening, m->date_cn, t->total, closed, staged,
		   t->by_status[TASK_SUBMITTED], t->by_status[TASK_IN_PROGRESS],
		   t->by_status[TASK_NOT_STARTED]);
	if (carried)
		buf_printf(b, "转入下一批次%d项，", carried);
	buf_puts(b, "销号率");
	pct(b, closed, t->total);
	buf_puts(b, "%。现将整改落实情况报告如下。");
	block(m, RB_PARA, NULL, dup_buf(m, b), 0);
}

/* 一、总体进展情况: progress, the lights, what waits; the charts. */
static void overall_text(struct report_model *m, const struct export_ledger *l,
			 const struct tally *t, struct buf *b)
{
	const int *by_light = t->by_light;
	int closed = t->by_status[TASK_CLOSED], staged = t->by_status[TASK_STAGED];
	int carried = t->by_status[TASK_CARRIED];
	block(m, RB_H1, NULL, "一、总体进展情况", 0);
	buf_printf(b, "从进度看，已完成（含阶段性完成）%d项，占", closed + staged);
	pct(b, closed + staged, t->total);
	buf_printf(b, "%%；尚未完成%d项。从预警看，红灯（超过整改时限未完成）%d项，黄灯（距时限"
		      "不足%d天或%d天以上未报送进展）%d项，绿灯%d项。",
		   t->total - closed - staged - carried, by_light[LIGHT_RED], LIGHT_WARN_DAYS,
		   LIGHT_STALE_DAYS, by_light[LIGHT_YELLOW], by_light[LIGHT_GREEN]);
	if (by_light[LIGHT_GREY])
		buf_printf(b, "另有%d项尚未明确责任领导、责任单位或整改时限，待交办。",
			   by_light[LIGHT_GREY]);
	if (l->dash && l->dash->review_due)
		buf_printf(b, "已销号事项中，%d项已到“回头看”时间。", l->dash->review_due);
	if (l->dash && l->dash->pending_extensions)
		buf_printf(b, "另有%d项延期申请待审批。", l->dash->pending_extensions);
	block(m, RB_PARA, NULL, dup_buf(m, b), 0);
	if (l->charts)
		charts(m, l);
}

/* The paragraph of area number i (from 1): its counts and what it
 * completed, under its lead "（一）name。". */
static void area_done_text(struct report_model *m, const struct area_sum *s, int i,
			   struct buf *b)
{
	buf_puts(b, "（");
	put_cn(b, i);
	buf_printf(b, "）%s。", s->name);
	const char *lead = dup_buf(m, b);
	buf_printf(b, "本方面整改事项%d项，已销号%d项，阶段性完成%d项，", s->total, s->closed,
		   s->staged);
	if (s->carried)
		buf_printf(b, "转入下一批次%d项，", s->carried);
	buf_printf(b, "尚未完成%d项", s->open);
	if (s->red)
		buf_printf(b, "，其中超期%d项", s->red);
	buf_puts(b, "。");
	for (int k = 0; k < s->n_done; k++) {
		buf_puts(b, k ? "；" : "已完成的事项中，");
		put_cn(b, k + 1);
		buf_printf(b, "是%s", s->done[k].lead);
		if (s->done[k].progress)
			buf_printf(b, "，%s", s->done[k].progress);
	}
	if (s->n_done)
		buf_puts(b, s->closed + s->staged > s->n_done ? "等。" : "。");
	block(m, RB_PARA, lead, dup_buf(m, b), 0);
}

/* The paragraph of an area's remaining tasks and why each is not done. */
static void area_left_text(struct report_model *m, const struct area_sum *s, int32_t as_of,
			   struct buf *b)
{
	if (!s->n_left)
		return;
	buf_puts(b, "尚未完成的事项及原因：");
	for (int k = 0; k < s->n_left; k++) {
		const struct area_task *at = &s->left[k];
		if (k)
			buf_puts(b, "；");
		put_cn(b, k + 1);
		buf_printf(b, "是%s（第%d项", at->lead, at->seq);
		if (at->unit && *at->unit)
			buf_printf(b, "，%s", at->unit);
		int32_t dday;
		if (at->deadline && store_day_parse(at->deadline, &dday) == 0)
			buf_printf(b, "，时限%s", at->deadline);
		else if (at->deadline && *at->deadline)
			buf_printf(b, "，%s", at->deadline);
		buf_puts(b, "），");
		why_left(b, at, as_of);
	}
	buf_puts(b, "。");
	if (s->open > s->n_left)
		buf_printf(b, "其余%d项见附件。", s->open - s->n_left);
	block(m, RB_PARA, NULL, dup_buf(m, b), 0);
}

/* 二、各方面整改落实情况: two paragraphs an area. */
static void areas_text(struct report_model *m, const struct export_ledger *l,
		       const struct tally *t, struct buf *b)
{
	block(m, RB_H1, NULL, "二、各方面整改落实情况", 0);
	if (!t->areas.n)
		block(m, RB_PARA, NULL, "台账中尚无整改事项。", 0);
	for (size_t i = 0; i < t->areas.n; i++) {
		area_done_text(m, &t->areas.v[i], (int)i + 1, b);
		area_left_text(m, &t->areas.v[i], l->as_of, b);
	}
	if (t->more_areas)
		block(m, RB_PARA, NULL, arena_strdup(&m->arena, "其余方面的整改事项见附件。"), 0);
}

/* Commitments whose current period is behind. */
static int commitments_behind(const struct export_ledger *l)
{
	int behind = 0;
	for (size_t i = 0; l->commitments && i < l->commitments->n; i++) {
		const struct commitment *c = &l->commitments->v[i];
		behind += c->n_periods && c->periods[c->n_periods - 1].behind;
	}
	return behind;
}

/* The next shortcoming's number, after the sentence that opens the list. */
static void shortcoming(struct buf *b, int *n)
{
	buf_puts(b, (*n)++ ? "" : "整改工作还存在一些不足：");
	put_cn(b, *n);
}

/* ", 主要集中在A、B、C": the (at most three) areas with most overdue tasks.
 * Each is named once: its red count is cleared. */
static void overdue_areas(struct tally *t, struct buf *b)
{
	for (int shown = 0; shown < 3; shown++) {
		size_t top = t->areas.n;
		for (size_t i = 0; i < t->areas.n; i++)
			if (t->areas.v[i].red > 0 &&
			    (top == t->areas.n || t->areas.v[i].red > t->areas.v[top].red))
				top = i;
		if (top == t->areas.n)
			break;
		const char *nm = t->areas.v[top].name;
		if (strncmp(nm, "在", 3) == 0 && strlen(nm) > 3)
			nm += 3;                /* "在……方面" reads "集中在……方面" */
		buf_printf(b, "%s%s", shown ? "、" : "，主要集中在", nm);
		t->areas.v[top].red = 0;
	}
}

/* The paragraph of 四 on what falls short: overdue, yellow, commitments
 * behind (behind of them). */
static void shortcomings_text(struct report_model *m, struct tally *t, int behind,
			      struct buf *b)
{
	int n = 0;
	if (t->by_light[LIGHT_RED]) {
		shortcoming(b, &n);
		buf_printf(b, "是部分事项整改滞后，%d项已超过整改时限仍未完成",
			   t->by_light[LIGHT_RED]);
		overdue_areas(t, b);
		buf_puts(b, "；");
	}
	if (t->by_light[LIGHT_YELLOW]) {
		shortcoming(b, &n);
		buf_printf(b, "是%d项事项临近整改时限或较长时间未报送进展；",
			   t->by_light[LIGHT_YELLOW]);
	}
	if (behind) {
		shortcoming(b, &n);
		buf_printf(b, "是%d项承诺事项序时进度落后；", behind);
	}
	if (n) {
		buf_truncate(b, b->len - 3);    /* the last "；" */
		buf_puts(b, "。");
	} else {
		buf_puts(b, "整改工作总体按计划推进，目前没有超期或预警事项。");
	}
	block(m, RB_PARA, NULL, dup_buf(m, b), 0);
}

/* The paragraph of 四 on the next steps, one for each shortcoming and two
 * that always stand. */
static void next_steps_text(struct report_model *m, const struct tally *t, int behind,
			    struct buf *b)
{
	int n = 0;
	buf_puts(b, "下一步，班子将坚持目标不变、标准不降、力度不减，逐项对账销号：");
	if (t->by_light[LIGHT_RED]) {
		put_cn(b, ++n);
		buf_printf(b, "是对%d项超期事项逐项督办，查明原因，明确完成时间；",
			   t->by_light[LIGHT_RED]);
	}
	if (t->by_light[LIGHT_YELLOW]) {
		put_cn(b, ++n);
		buf_printf(b, "是对%d项黄灯事项加强调度，督促按时报送进展；",
			   t->by_light[LIGHT_YELLOW]);
	}
	if (behind) {
		put_cn(b, ++n);
		buf_puts(b, "是对进度落后的承诺事项补齐差额，确保全年任务完成；");
	}
	put_cn(b, ++n);
	buf_puts(b, "是对已销号事项开展“回头看”，防止问题反弹回潮；");
	put_cn(b, ++n);
	buf_puts(b, "是对长期坚持事项建立常态化机制，定期评估成效，以整改实效推动各项工作。");
	block(m, RB_PARA, NULL, dup_buf(m, b), 0);
}

/* The note of the appendix, 署名 and 成文日期. */
static void closing_blocks(struct report_model *m, struct buf *b)
{
	buf_printf(b, "附件：%s", m->ledger_title);
	block(m, RB_ATTACH_NOTE, NULL, dup_buf(m, b), 0);
	if (m->signer)
		block(m, RB_SIGNER, NULL, m->signer, 0);
	block(m, RB_DATE, NULL, m->date_cn, 0);
}

enum rc report_model_build(const struct export_ledger *l, struct report_model *m,
			   enum rc (*on_row)(void *ctx, const struct export_row *r,
					     struct err *e),
			   void *ctx, struct err *e)
{
	memset(m, 0, sizeof *m);
	struct export_names names;
	model_head(m, l, &names);
	struct tally t = {0};
	enum rc rc = tally_rows(l, &t, &m->arena, on_row, ctx, e);
	if (rc) {
		VEC_FREE(t.areas);
		return rc;
	}
	struct buf b = BUF_INIT(0);
	opening_text(m, &names, &t, &b);
	overall_text(m, l, &t, &b);
	areas_text(m, l, &t, &b);
	block(m, RB_H1, NULL, "三、承诺事项落实情况", 0);
	commitments_text(m, l, &b);
	block(m, RB_H1, NULL, "四、存在的问题和下一步打算", 0);
	int behind = commitments_behind(l);
	shortcomings_text(m, &t, behind, &b);
	next_steps_text(m, &t, behind, &b);
	closing_blocks(m, &b);
	buf_release(&b);
	VEC_FREE(t.areas);
	return RC_OK;
}

void report_model_release(struct report_model *m)
{
	free(m->blocks);
	free(m->charts);
	arena_release(&m->arena);
	memset(m, 0, sizeof *m);
}

void export_xml_text(struct buf *b, const char *s)
{
	if (!s)
		return;
	const char *run = s;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
				rep = "";       /* not allowed in XML 1.0 */
		}
		if (rep) {
			buf_append(b, run, (size_t)(s - run));
			buf_puts(b, rep);
			run = s + 1;
		}
	}
	buf_append(b, run, (size_t)(s - run));
}

/* The appendix rows, written while the model is built. */
struct appendix {
	enum export_format f;
	FILE *out;
	struct buf b;
};

static enum rc appendix_row(void *ctx, const struct export_row *row, struct err *e)
{
	struct appendix *a = ctx;
	/* The row with the task's own measures (export_task_measures). */
	struct export_row own = *row;
	struct buf mb = BUF_INIT(0);
	export_task_measures(row->problem, row->measures, &mb);
	own.measures = mb.p ? mb.p : "";
	const struct export_row *r = &own;
	if (a->f == EXPORT_DOCX)
		report_row_docx(&a->b, r);
	else if (a->f == EXPORT_MD)
		report_row_md(&a->b, r);
	else
		report_row_html(&a->b, r);
	buf_release(&mb);
	if (a->b.len > (1u << 20)) {
		if (fwrite(a->b.p, 1, a->b.len, a->out) != a->b.len)
			return ERR(e, RC_IO, "cannot write a temporary file: %s", strerror(errno));
		buf_reset(&a->b);
	}
	return RC_OK;
}

enum rc export_copy(FILE *from, FILE *to, struct err *e)
{
	char *chunk = xmalloc(1 << 16);
	size_t n;
	enum rc rc = RC_OK;
	while ((n = fread(chunk, 1, 1 << 16, from)) > 0)
		if (fwrite(chunk, 1, n, to) != n) {
			rc = ERR(e, RC_IO, "cannot write the report: %s", strerror(errno));
			break;
		}
	if (!rc && ferror(from))
		rc = ERR(e, RC_IO, "cannot read a temporary file: %s", strerror(errno));
	free(chunk);
	return rc;
}

enum rc export_report(const struct export_ledger *l, enum export_format f, const char *path,
		      struct err *e)
{
	if (f != EXPORT_DOCX && f != EXPORT_MD && f != EXPORT_HTML)
		return ERR(e, RC_INVALID, "a report is written as docx, md or html, not %s",
			   export_format_name(f));
	struct appendix ap = {.f = f, .out = tmpfile(), .b = BUF_INIT(0)};
	if (!ap.out)
		return ERR(e, RC_IO, "cannot create a temporary file: %s", strerror(errno));
	struct report_model m;
	enum rc rc = report_model_build(l, &m, appendix_row, &ap, e);
	if (!rc && ap.b.len && fwrite(ap.b.p, 1, ap.b.len, ap.out) != ap.b.len)
		rc = ERR(e, RC_IO, "cannot write a temporary file: %s", strerror(errno));
	buf_release(&ap.b);
	if (!rc && fflush(ap.out) != 0)
		rc = ERR(e, RC_IO, "cannot write a temporary file: %s", strerror(errno));
	char *tmp = NULL;
	if (!rc)
		rc = export_tmp_create(path, &tmp, e);
	if (!rc) {
		rewind(ap.out);
		rc = f == EXPORT_DOCX ? report_write_docx(&m, ap.out, tmp, e)
		     : f == EXPORT_MD ? report_write_md(&m, ap.out, tmp, e)
				      : report_write_html(&m, ap.out, tmp, e);
	}
	report_model_release(&m);
	fclose(ap.out);
	if (rc) {
		export_tmp_discard(tmp);
		return rc;
	}
	rc = export_tmp_commit(tmp, path, e);
	free(tmp);
	return rc;
}
