/*
 * store_commit.c -- commitments and their activities (compliance per
 * period, 序时进度), the dashboard aggregates, the reconciliation (对账),
 * and what the exports read (the task iterator, the campaign's status
 * history).
 *
 * Periods are calendar periods on day numbers: years, halves, quarters,
 * months and ISO weeks (Monday first; day 0, 1970-01-01, was a Thursday).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

/* ---- periods ------------------------------------------------------------ */

/* The period of kind p holding day d: [*start, *end]. */
static void period_of(enum doc_period p, int32_t d, int32_t from, int32_t *start, int32_t *end)
{
	int y, m, dd;
	store_day_to_ymd(d, &y, &m, &dd);
	switch (p) {
	case DOC_PERIOD_YEAR:
		*start = store_day_from_ymd(y, 1, 1);
		*end = store_day_from_ymd(y + 1, 1, 1) - 1;
		break;
	case DOC_PERIOD_HALF: {
		int h = m <= 6 ? 1 : 7;
		*start = store_day_from_ymd(y, h, 1);
		*end = store_day_add_months(*start, 6) - 1;
		break;
	}
	case DOC_PERIOD_QUARTER: {
		int q = (m - 1) / 3 * 3 + 1;
		*start = store_day_from_ymd(y, q, 1);
		*end = store_day_add_months(*start, 3) - 1;
		break;
	}
	case DOC_PERIOD_MONTH:
		*start = store_day_from_ymd(y, m, 1);
		*end = store_day_add_months(*start, 1) - 1;
		break;
	case DOC_PERIOD_WEEK: {
		int wd = ((d + 3) % 7 + 7) % 7; /* Monday 0 */
		*start = d - wd;
		*end = *start + 6;
		break;
	}
	default:
		*start = from;
		*end = d;
		break;
	}
}

/* ---- commitments ---------------------------------------------------------- */

void commitment_list_release(struct commitment_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

struct act {
	int32_t day;
	int64_t *who;
	size_t n_who;
};

struct member {
	int64_t id;
	const char *name;
	int count;
};

static void compliance_of(struct commitment *c, const struct act *acts, size_t n_acts,
			  struct member *mem, size_t n_mem, int32_t started, int32_t today,
			  struct arena *a)
{
	VEC(struct compliance) v = {0};
	if (today < started) {
		c->periods = arena_alloc(a, sizeof *c->periods);
		return;
	}
	int32_t s, e;
	period_of(c->period, started, started, &s, &e);
	int per_member = c->per == DOC_PER_MEMBER && n_mem > 0;
	for (int guard = 0; s <= today && guard < 2000; guard++) {
		if (c->period == DOC_PERIOD_NONE)
			e = today;
		struct compliance *p = VEC_PUSH(v);
		p->start = s;
		p->end = e;
		p->current = today >= s && today <= e;
		/* The share of the period passed counts from the campaign's start
		 * when the period began before it. */
		int32_t from = s < started ? started : s;
		int32_t length = e - from + 1, elapsed = p->current ? today - from + 1 : length;
		p->expected = p->current && c->period != DOC_PERIOD_NONE
				      ? (int)((int64_t)c->min * elapsed / length)
				      : c->min;
		int team = 0;
		for (size_t m = 0; m < n_mem; m++)
			mem[m].count = 0;
		for (size_t i = 0; i < n_acts; i++) {
			if (acts[i].day < s || acts[i].day > e)
				continue;
			team++;
			for (size_t k = 0; k < acts[i].n_who; k++)
				for (size_t m = 0; m < n_mem; m++)
					if (mem[m].id == acts[i].who[k])
						mem[m].count++;
		}
		if (per_member) {
			int least = -1;
			size_t n_behind = 0;
			int bar = p->current ? p->expected : c->min;
			for (size_t m = 0; m < n_mem; m++) {
				if (least < 0 || mem[m].count < least)
					least = mem[m].count;
				n_behind += mem[m].count < bar;
			}
			p->count = least < 0 ? 0 : least;
			p->behind_who = arena_alloc(a, (n_behind ? n_behind : 1) * sizeof(char *));
			for (size_t m = 0; m < n_mem; m++)
				if (mem[m].count < bar)
					p->behind_who[p->n_behind_who++] = mem[m].name;
		} else {
			p->count = team;
		}
		p->met = p->count >= c->min;
		p->behind = !p->met && (!p->current || p->count < p->expected);
		if (p->behind)
			c->behind = 1;
		if (c->period == DOC_PERIOD_NONE)
			break;
		int32_t ns, ne;
		period_of(c->period, e + 1, started, &ns, &ne);
		s = ns;
		e = ne;
	}
	VEC_TO_ARENA(v, a, c->periods, c->n_periods);
}

enum rc commitments_load(struct store *st, int64_t campaign_id, int32_t today, int only_behind,
			 struct commitment_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int64_t campaign;
	enum rc rc = campaign_resolve(st, campaign_id, &campaign, e);
	if (rc)
		return rc;
	int64_t started;
	if ((rc = stmt_int64(st, ST_CAMPAIGN_STARTED, ARGS(A_INT(campaign)), today, &started, e)))
		return rc;
	struct arena tmp = {0};
	/* Members: the active leaders. */
	VEC(struct member) mem = {0};
	sqlite3_stmt *q = stmt_get(st, ST_MEMBERS, e);
	if (!q)
		return RC_INTERNAL;
	int r;
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
		struct member *m = VEC_PUSH(mem);
		m->id = sqlite3_column_int64(q, 0);
		m->name = col_str(q, 1, &out->arena);
	}
	sqlite3_reset(q);
	if (r != SQLITE_DONE) {
		VEC_FREE(mem);
		return stmt_failed(st);
	}
	VEC(struct commitment) v = {0};
	q = stmt_get(st, ST_COMMITMENT_LIST, e);
	if (!q) {
		VEC_FREE(mem);
		return RC_INTERNAL;
	}
	sqlite3_bind_int64(q, 1, campaign);
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
		struct commitment *c = VEC_PUSH(v);
		c->id = sqlite3_column_int64(q, 0);
		c->campaign_id = sqlite3_column_int64(q, 1);
		c->report_id = col_id(q, 2);
		c->text = col_str(q, 3, &out->arena);
		c->subject = col_str(q, 4, &out->arena);
		c->unit = col_str(q, 5, &out->arena);
		c->min = sqlite3_column_int(q, 6);
		c->period = (enum doc_period)sqlite3_column_int(q, 7);
		c->per = (enum doc_per)sqlite3_column_int(q, 8);
		c->since = sqlite3_column_int(q, 9);
	}
	sqlite3_reset(q);
	if (r != SQLITE_DONE) {
		VEC_FREE(v);
		VEC_FREE(mem);
		return store_dberr(st, e, "commitments");
	}
	for (size_t i = 0; i < v.n && !rc; i++) {
		struct commitment *c = &v.v[i];
		VEC(struct act) acts = {0};
		if ((rc = stmt_query(st, ST_ACTIVITY_DAYS, ARGS(A_INT(c->id)), &q, e)))
			break;
		while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
			struct act *x = VEC_PUSH(acts);
			x->day = sqlite3_column_int(q, 0);
			/* Participants as "1,5,9". */
			const char *w = (const char *)sqlite3_column_text(q, 1);
			size_t n = 0;
			for (const char *p = w; p && *p; p++)
				n += *p == ',';
			x->who = arena_alloc(&tmp, (n + 1) * sizeof *x->who);
			for (const char *p = w; p && *p;) {
				x->who[x->n_who++] = strtoll(p, NULL, 10);
				p = strchr(p, ',');
				if (p)
					p++;
			}
		}
		sqlite3_reset(q);
		if (r != SQLITE_DONE) {
			VEC_FREE(acts);
			rc = stmt_failed(st);
			break;
		}
		c->n_activities = (int)acts.n;
		/* A commitment made in the middle of the campaign (its report
		 * imported later) counts from then: no period before it is missed. */
		int32_t from = c->since > started ? c->since : (int32_t)started;
		compliance_of(c, acts.v, acts.n, mem.v, mem.n, from, today, &out->arena);
		VEC_FREE(acts);
	}
	if (rc) {
		VEC_FREE(v);
		VEC_FREE(mem);
		arena_release(&tmp);
		return rc;
	}
	size_t k = 0;
	for (size_t i = 0; i < v.n; i++)
		if (!only_behind || v.v[i].behind)
			v.v[k++] = v.v[i];
	out->v = arena_alloc(&out->arena, (k ? k : 1) * sizeof *out->v);
	if (k)
		memcpy(out->v, v.v, k * sizeof *v.v);
	out->n = k;
	VEC_FREE(v);
	VEC_FREE(mem);
	arena_release(&tmp);
	return RC_OK;
}

enum rc store_commitment_list(struct store *st, const struct who *w, int64_t campaign_id,
			      int32_t today, struct commitment_list *out, struct err *e)
{
	(void)w;
	enum rc rc = commitments_load(st, campaign_id, today, 0, out, e);
	stmts_reset(st);
	if (rc)
		commitment_list_release(out);
	return rc;
}

int commitment_in_measure(const char *commitment_text, const char *measure_text)
{
	return commitment_text && *commitment_text && measure_text &&
	       strstr(measure_text, commitment_text) != NULL;
}

enum rc store_commitment_measure(struct store *st, const struct who *w, int64_t id,
				 int64_t *node_id, struct err *e)
{
	(void)w;
	*node_id = 0;
	sqlite3_stmt *q = stmt_get(st, ST_COMMITMENT_MEASURES, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int(q, 2, DOC_ROLE_MEASURES);
	int r, rows = 0;
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
		rows++;
		if (commitment_in_measure((const char *)sqlite3_column_text(q, 0),
					  (const char *)sqlite3_column_text(q, 2))) {
			*node_id = sqlite3_column_int64(q, 1);
			r = SQLITE_DONE;
			break;
		}
	}
	stmts_reset(st);
	if (r != SQLITE_DONE)
		return stmt_failed(st);
	if (!rows)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_COMMITMENT, "no commitment %lld", (long long)id);
	if (!*node_id)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_COMMITMENT,
			    "no measure of its report states commitment %lld", (long long)id);
	return RC_OK;
}

struct activity_arg {
	const struct activity_new *a;
	int32_t today;
	int64_t id;
};

static enum rc activity_tx(struct store *st, void *arg, struct err *e)
{
	struct activity_arg *x = arg;
	const struct activity_new *a = x->a;
	int ok;
	enum rc rc = stmt_exists(st, ST_COMMITMENT_EXISTS, ARGS(A_INT(a->commitment_id)), &ok, e);
	if (rc)
		return rc;
	if (!ok)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_COMMITMENT, "no commitment %lld",
			    (long long)a->commitment_id);
	for (size_t i = 0; i < a->n_who; i++) {
		if ((rc = stmt_exists(st, ST_USER_ROLE, ARGS(A_INT(a->who_ids[i])), &ok, e)))
			return rc;
		if (!ok)
			return ERRC(e, RC_INVALID, STORE_E_PARTICIPANTS, "no user %lld",
				    (long long)a->who_ids[i]);
	}
	sqlite3_stmt *q = stmt_get(st, ST_ACTIVITY_INSERT, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, a->commitment_id);
	sqlite3_bind_int(q, 2, a->day);
	bind_text(q, 3, a->note ? a->note : "");
	bind_id(q, 4, st->tx_who->user_id);
	bind_text(q, 5, st->tx_at);
	if ((rc = stmt_done(st, q, e)))
		return rc;
	x->id = sqlite3_last_insert_rowid(st->db);
	/* Named participants; else a leader who logs their own activity.  The
	 * office's clerk who records a meeting did not take part in it. */
	int64_t self = st->tx_who->user_id;
	const int64_t *who = a->n_who ? a->who_ids : &self;
	size_t n_who = a->n_who ? a->n_who : (self && st->tx_who->role == ROLE_LEADER ? 1 : 0);
	for (size_t i = 0; i < n_who; i++)
		if ((rc = stmt_run(st, ST_ACTIVITY_WHO_ADD, ARGS(A_INT(x->id), A_INT(who[i])), e)))
			return rc;
	if ((rc = audit_insert(st, "activity", ENT_ACTIVITY, x->id, e)))
		return rc;
	for (size_t i = 0; i < a->n_evidence; i++) {
		int64_t eid;
		if ((rc = evidence_store(st, &a->evidence[i], 0, x->id, &eid, e)))
			return rc;
	}
	return RC_OK;
}

enum rc store_activity_add(struct store *st, const struct who *w, const struct activity_new *a,
			   int32_t today, int64_t *id, struct err *e)
{
	if (w->role == ROLE_OBSERVER)
		return ERRC(e, RC_DENIED, STORE_E_W14_OBSERVER,
			    "rule W14: observers (督导组) change nothing");
	if (w->role == ROLE_REVIEWER)
		return ERRC(e, RC_DENIED, STORE_E_W13_ROLE,
			    "rule W13: activities are logged by the office, leaders "
			    "and handlers");
	if (!store_day_valid(a->day) || a->day > today)
		return ERRC(e, RC_INVALID, STORE_E_ACTIVITY_DAY,
			    "an activity needs a date that is not in the future");
	if (a->note && (strlen(a->note) > STORE_NOTE_MAX ||
			!text_utf8_valid(a->note, strlen(a->note), NULL)))
		return ERRC(e, RC_INVALID, STORE_E_NOTE,
			    "the note must be at most %d bytes of UTF-8", STORE_NOTE_MAX);
	if (a->n_who > ACTIVITY_WHO_MAX)
		return ERRC(e, RC_INVALID, STORE_E_PARTICIPANTS, "at most %d participants",
			    ACTIVITY_WHO_MAX);
	enum rc rc = evidence_check(a->evidence, a->n_evidence, e);
	if (rc)
		return rc;
	struct activity_arg x = {a, today, 0};
	rc = store_tx(st, w, activity_tx, &x, e);
	if (!rc && id)
		*id = x.id;
	return rc;
}

void activity_list_release(struct activity_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

enum rc store_activity_list(struct store *st, const struct who *w, int64_t commitment_id,
			    struct activity_list *out, struct err *e)
{
	(void)w;
	memset(out, 0, sizeof *out);
	struct arena *ar = &out->arena;
	sqlite3_stmt *q = stmt_get(st, ST_ACTIVITY_LIST, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, commitment_id);
	VEC(struct activity) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
		struct activity *x = VEC_PUSH(v);
		x->id = sqlite3_column_int64(q, 0);
		x->commitment_id = sqlite3_column_int64(q, 1);
		x->day = col_day(q, 2);
		x->note = col_str(q, 3, ar);
		x->by = col_str(q, 4, ar);
	}
	sqlite3_reset(q);
	for (size_t i = 0; i < v.n && r == SQLITE_DONE; i++) {
		struct activity *x = &v.v[i];
		VEC(const char *) names = {0};
		if (stmt_query(st, ST_ACTIVITY_WHO, ARGS(A_INT(x->id)), &q, e)) {
			r = SQLITE_ERROR;
			break;
		}
		while ((r = stmt_step(st, q, e)) == SQLITE_ROW)
			*VEC_PUSH(names) = col_str(q, 0, ar);
		sqlite3_reset(q);
		VEC_TO_ARENA(names, ar, x->who, x->n_who);
		if (r != SQLITE_DONE)
			break;
		VEC(struct evidence_meta) ev = {0};
		if (stmt_query(st, ST_ACTIVITY_EVIDENCE, ARGS(A_INT(x->id)), &q, e)) {
			r = SQLITE_ERROR;
			break;
		}
		while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
			struct evidence_meta *m = VEC_PUSH(ev);
			m->id = sqlite3_column_int64(q, 0);
			m->name = col_str(q, 1, ar);
			m->mime = col_str(q, 2, ar);
			m->size = sqlite3_column_int64(q, 3);
			snprintf(m->sha256, sizeof m->sha256, "%s",
				 (const char *)sqlite3_column_text(q, 4));
		}
		sqlite3_reset(q);
		VEC_TO_ARENA(ev, ar, x->evidence, x->n_evidence);
	}
	stmts_reset(st);
	if (r != SQLITE_DONE) {
		VEC_FREE(v);
		activity_list_release(out);
		return store_dberr(st, e, "activities");
	}
	VEC_TO_ARENA(v, ar, out->v, out->n);
	return RC_OK;
}

/* ---- dashboard ---------------------------------------------------------------- */

void dashboard_release(struct dashboard *d)
{
	commitment_list_release(&d->commitments_behind);
	arena_release(&d->arena);
	memset(d, 0, sizeof *d);
}

static enum rc groups_load(struct store *st, enum stmt s, int64_t campaign, int64_t scope,
			   int32_t today, struct dash_group **out, size_t *n, struct arena *a,
			   struct err *e)
{
	sqlite3_stmt *q = stmt_get(st, s, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, campaign);
	sqlite3_bind_int64(q, 2, scope);
	sqlite3_bind_int(q, 3, today);
	bind_light_rule(q);
	VEC(struct dash_group) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
		struct dash_group *g = VEC_PUSH(v);
		g->id = col_id(q, 0);
		g->name = col_str(q, 1, a);
		g->total = sqlite3_column_int(q, 2);
		g->closed = sqlite3_column_int(q, 3);
		g->staged = sqlite3_column_int(q, 4);
		g->red = sqlite3_column_int(q, 5);
		g->yellow = sqlite3_column_int(q, 6);
		g->green = sqlite3_column_int(q, 7);
		g->carried = sqlite3_column_int(q, 8);
		g->grey = sqlite3_column_int(q, 9);
	}
	sqlite3_reset(q);
	if (r != SQLITE_DONE) {
		VEC_FREE(v);
		return store_dberr(st, e, "dashboard");
	}
	VEC_TO_ARENA(v, a, *out, *n);
	return RC_OK;
}

static enum rc weeks_load(struct store *st, enum stmt s, int64_t campaign, int64_t scope,
			  int32_t today, struct dashboard *d, struct err *e);

/* The counts recomputed from the tasks (the reference: verify and the tests
 * compare the kept ones with it). */
static enum rc dashboard_recount(struct store *st, const struct who *w, int64_t campaign,
				 int32_t today, struct dashboard *d, struct err *e)
{
	int64_t scope = who_scope(w);
	struct arena *a = &d->arena;
	sqlite3_stmt *q = stmt_get(st, ST_DASH_TOTALS, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, campaign);
	sqlite3_bind_int64(q, 2, scope);
	sqlite3_bind_int(q, 3, today);
	bind_light_rule(q);
	int r;
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
		int s = sqlite3_column_int(q, 0);
		int n = sqlite3_column_int(q, 1);
		if (s >= 0 && s < TASK_STATUS__MAX)
			d->by_status[s] += n;
		d->total += n;
		d->by_light[LIGHT_RED] += sqlite3_column_int(q, 2);
		d->by_light[LIGHT_YELLOW] += sqlite3_column_int(q, 3);
		d->by_light[LIGHT_GREEN] += sqlite3_column_int(q, 4);
		d->review_due += sqlite3_column_int(q, 5);
		d->by_light[LIGHT_GREY] += sqlite3_column_int(q, 6);
	}
	sqlite3_reset(q);
	if (r != SQLITE_DONE)
		return stmt_failed(st);
	d->by_light[LIGHT_NONE] = d->by_status[TASK_CLOSED] + d->by_status[TASK_CARRIED];
	enum rc rc = groups_load(st, ST_DASH_AREAS, campaign, scope, today, &d->areas, &d->n_areas,
				 a, e);
	if (!rc)
		rc = groups_load(st, ST_DASH_UNITS, campaign, scope, today, &d->units, &d->n_units,
				 a, e);
	if (rc)
		return rc;
	return weeks_load(st, ST_DASH_DELTAS, campaign, scope, today, d, e);
}

/* Burn-down: open tasks at the end of each week, from the changes per day
 * (s: ST_DASH_DELTAS, or ST_DASH_WEEK for the whole campaign). */
static enum rc weeks_load(struct store *st, enum stmt s, int64_t campaign, int64_t scope,
			  int32_t today, struct dashboard *d, struct err *e)
{
	struct arena *a = &d->arena;
	int64_t started64;
	enum rc rc = stmt_int64(st, ST_CAMPAIGN_STARTED, ARGS(A_INT(campaign)), today, &started64,
				e);
	if (rc)
		return rc;
	int32_t started = (int32_t)started64;
	sqlite3_stmt *q = stmt_get(st, s, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, campaign);
	if (s == ST_DASH_DELTAS)
		sqlite3_bind_int64(q, 2, scope);
	VEC(struct dash_week) wk = {0};
	int open = 0;
	int32_t end = started + (7 - ((started + 3) % 7 + 7) % 7) - 1; /* the Sunday */
	if (end > today)
		end = today;
	int r = stmt_step(st, q, e);
	while (started <= today && wk.n < 1000) {
		while (r == SQLITE_ROW && sqlite3_column_int(q, 0) <= end) {
			open += sqlite3_column_int(q, 1);
			r = stmt_step(st, q, e);
		}
		struct dash_week *x = VEC_PUSH(wk);
		x->day = end;
		x->open = open;
		if (end >= today)
			break;
		end += 7;
		if (end > today)
			end = today;
	}
	sqlite3_reset(q);
	if (r != SQLITE_DONE && r != SQLITE_ROW) {
		VEC_FREE(wk);
		return store_dberr(st, e, "dashboard");
	}
	VEC_TO_ARENA(wk, a, d->weeks, d->n_weeks);
	return RC_OK;
}

/*
 * The kept counts (dash_unit, dash_area, dash_week: see DASH_SCHEMA in
 * store_sql.h).  A task counts in dash_unit and dash_area under its status
 * and its light (and review flag) at the day D of dash_day.  Read on
 * another day, the tasks whose light can have moved between D and today --
 * those with a deadline, a staleness or a review day in between, a few
 * hundred a day at 100,000 tasks -- are taken out under their key at D and
 * put back under their key today (ST_DASH_MOVED).  A writable handle first
 * moves D to today (store_dash_roll), so that the correction stays small.
 */
struct dash_key {
	int64_t id;
	size_t group;
};

static int key_cmp(const void *a, const void *b)
{
	const struct dash_key *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static struct dash_group *group_of(struct dash_group *g, const struct dash_key *k, size_t n,
				   int64_t id)
{
	if (!n)
		return NULL;
	struct dash_key want = {id, 0};
	const struct dash_key *f = bsearch(&want, k, n, sizeof *k, key_cmp);
	return f ? &g[f->group] : NULL;
}

/* n tasks of a status and light (and review flag) into a group and the totals. */
static void count_in(struct dashboard *d, struct dash_group *g, int status, int light, int due,
		     int n)
{
	if (g) {
		g->total += n;
		g->closed += status == TASK_CLOSED ? n : 0;
		g->staged += status == TASK_STAGED ? n : 0;
		g->carried += status == TASK_CARRIED ? n : 0;
		g->red += light == LIGHT_RED ? n : 0;
		g->yellow += light == LIGHT_YELLOW ? n : 0;
		g->green += light == LIGHT_GREEN ? n : 0;
		g->grey += light == LIGHT_GREY ? n : 0;
	}
	if (d) {
		d->total += n;
		if (status >= 0 && status < TASK_STATUS__MAX)
			d->by_status[status] += n;
		if (light > LIGHT_NONE && light < LIGHT__MAX)
			d->by_light[light] += n;
		d->review_due += due ? n : 0;
	}
}

/* qsort has no context argument: the groups being sorted (per thread). */
static _Thread_local struct {
	const struct dash_group *g;
	const int *unnamed;
} unit_sort_ctx;

static int unit_cmp(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct dash_group *g = unit_sort_ctx.g;
	int ni = unit_sort_ctx.unnamed[i], nj = unit_sort_ctx.unnamed[j];
	if (ni != nj)
		return ni - nj;
	int c = strcmp(g[i].name, g[j].name);
	if (c)
		return c;
	return g[i].id < g[j].id ? -1 : g[i].id > g[j].id;
}

static enum rc dashboard_kept(struct store *st, const struct who *w, int64_t campaign,
			      int32_t today, struct dashboard *d, struct err *e)
{
	int64_t scope = who_scope(w);
	struct arena *a = &d->arena;
	enum rc rc = RC_OK;
	VEC(struct dash_group) units = {0}, areas = {0};
	VEC(struct dash_key) ukeys = {0}, akeys = {0};
	VEC(int64_t) area_ids = {0}; /* the lowest area id of each group */
	VEC(int) unnamed = {0};      /* of each unit group: no name */
	sqlite3_stmt *q = stmt_get(st, ST_DASH_DAY, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	int32_t day = r == SQLITE_ROW ? sqlite3_column_int(q, 0) : today;
	sqlite3_reset(q);
	if (r != SQLITE_ROW)
		return store_dberr(st, e, "dashboard day");
	/* Units: rows come unit by unit (sorted by name at the end). */
	q = stmt_get(st, ST_DASH_UNIT_ROWS, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, campaign);
	sqlite3_bind_int64(q, 2, scope);
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		if (!units.n || units.v[units.n - 1].id != id) {
			struct dash_group *g = VEC_PUSH(units);
			memset(g, 0, sizeof *g);
			g->id = id;
			g->name = col_str(q, 1, a);
			/* no unit, or a unit that is gone: after the named ones */
			*VEC_PUSH(unnamed) = sqlite3_column_int(q, 6);
			struct dash_key *k = VEC_PUSH(ukeys);
			k->id = id;
			k->group = units.n - 1;
		}
		count_in(d, &units.v[units.n - 1], sqlite3_column_int(q, 2),
			 sqlite3_column_int(q, 3), sqlite3_column_int(q, 4),
			 sqlite3_column_int(q, 5));
	}
	sqlite3_reset(q);
	if (r != SQLITE_DONE) {
		rc = store_dberr(st, e, "dashboard");
		goto out;
	}
	/* Areas of the whole campaign: rows come title by title. */
	if (!scope) {
		q = stmt_get(st, ST_DASH_AREA_ROWS, e);
		if (!q) {
			rc = RC_INTERNAL;
			goto out;
		}
		sqlite3_bind_int64(q, 1, campaign);
		const char *title = NULL;
		while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(q, 0);
			const char *t = (const char *)sqlite3_column_text(q, 1);
			int64_t first = sqlite3_column_int64(q, 2);
			if (!areas.n || strcmp(title, t ? t : "") != 0) {
				struct dash_group *g = VEC_PUSH(areas);
				memset(g, 0, sizeof *g);
				g->name = col_str(q, 1, a);
				g->id = first;
				title = g->name;
				*VEC_PUSH(area_ids) = id;
			}
			struct dash_group *g = &areas.v[areas.n - 1];
			if (first < g->id)
				g->id = first;
			int64_t *low = &area_ids.v[areas.n - 1];
			if (id && (!*low || id < *low))
				*low = id;
			if (!akeys.n || akeys.v[akeys.n - 1].id != id) {
				struct dash_key *k = VEC_PUSH(akeys);
				k->id = id;
				k->group = areas.n - 1;
			}
			count_in(NULL, g, sqlite3_column_int(q, 3), sqlite3_column_int(q, 4), 0,
				 sqlite3_column_int(q, 5));
		}
		sqlite3_reset(q);
		if (r != SQLITE_DONE) {
			rc = store_dberr(st, e, "dashboard");
			goto out;
		}
	}
	if (ukeys.n)
		qsort(ukeys.v, ukeys.n, sizeof *ukeys.v, key_cmp);
	if (akeys.n)
		qsort(akeys.v, akeys.n, sizeof *akeys.v, key_cmp);
	/* The tasks whose light moved between D and today. */
	if (day != today) {
		q = stmt_get(st, ST_DASH_MOVED, e);
		if (!q) {
			rc = RC_INTERNAL;
			goto out;
		}
		sqlite3_bind_int64(q, 1, campaign);
		sqlite3_bind_int64(q, 2, scope);
		sqlite3_bind_int(q, 3, today);
		sqlite3_bind_int(q, 4, day < today ? day : today);
		sqlite3_bind_int(q, 5, day < today ? today : day);
		bind_light_rule(q);
		while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
			int64_t unit = sqlite3_column_int64(q, 0), area = sqlite3_column_int64(q, 1);
			int status = sqlite3_column_int(q, 2), n = sqlite3_column_int(q, 7);
			int l0 = sqlite3_column_int(q, 3), due0 = sqlite3_column_int(q, 4);
			int l1 = sqlite3_column_int(q, 5), due1 = sqlite3_column_int(q, 6);
			if (l0 == l1 && due0 == due1)
				continue;
			struct dash_group *u = group_of(units.v, ukeys.v, ukeys.n, unit);
			struct dash_group *g = group_of(areas.v, akeys.v, akeys.n, area);
			count_in(d, u, status, l0, due0, -n);
			count_in(d, u, status, l1, due1, n);
			count_in(NULL, g, status, l0, 0, -n);
			count_in(NULL, g, status, l1, 0, n);
		}
		sqlite3_reset(q);
		if (r != SQLITE_DONE) {
			rc = store_dberr(st, e, "dashboard");
			goto out;
		}
	}
	d->by_light[LIGHT_NONE] = d->by_status[TASK_CLOSED] + d->by_status[TASK_CARRIED];
	if (scope) {
		rc = groups_load(st, ST_DASH_AREAS, campaign, scope, today, &d->areas, &d->n_areas,
				 a, e);
		if (!rc)
			rc = weeks_load(st, ST_DASH_DELTAS, campaign, scope, today, d, e);
	} else {
		/* In the order of their first task (held in id meanwhile), each
		 * named by its lowest area id. */
		struct dash_key *order = xreallocarray(NULL, areas.n ? areas.n : 1, sizeof *order);
		for (size_t i = 0; i < areas.n; i++)
			order[i] = (struct dash_key){areas.v[i].id, i};
		qsort(order, areas.n, sizeof *order, key_cmp);
		d->areas = arena_alloc(a, (areas.n ? areas.n : 1) * sizeof *d->areas);
		for (size_t i = 0; i < areas.n; i++) {
			d->areas[i] = areas.v[order[i].group];
			d->areas[i].id = area_ids.v[order[i].group];
		}
		d->n_areas = areas.n;
		free(order);
		rc = weeks_load(st, ST_DASH_WEEK, campaign, 0, today, d, e);
	}
	/* Units by name (SQLite's BINARY order is strcmp's), the unnamed last. */
	if (!rc) {
		size_t *order = xreallocarray(NULL, units.n ? units.n : 1, sizeof *order);
		for (size_t i = 0; i < units.n; i++)
			order[i] = i;
		unit_sort_ctx.g = units.v;
		unit_sort_ctx.unnamed = unnamed.v;
		qsort(order, units.n, sizeof *order, unit_cmp);
		d->units = arena_alloc(a, (units.n ? units.n : 1) * sizeof *d->units);
		for (size_t i = 0; i < units.n; i++)
			d->units[i] = units.v[order[i]];
		d->n_units = units.n;
		free(order);
	}
out:
	VEC_FREE(units);
	VEC_FREE(areas);
	VEC_FREE(ukeys);
	VEC_FREE(akeys);
	VEC_FREE(area_ids);
	VEC_FREE(unnamed);
	return rc;
}

static enum rc dash_day_get(struct store *st, int32_t *day, struct err *e);

/* The dashboard's list of the tasks of one light, the nearest deadline
 * first (at most 50), copied into d's arena. */
static enum rc dash_list(struct store *st, const struct who *w, int64_t campaign, enum light light,
			 int32_t today, struct dashboard *d, struct task_row **rows, size_t *n,
			 struct err *e)
{
	struct task_filter f = TASK_FILTER_INIT;
	f.campaign_id = campaign;
	f.light = (int)light;
	f.sort = TASK_SORT_DEADLINE;
	f.per_page = 50;
	f.no_total = 1; /* by_light[] */
	struct task_list l;
	enum rc rc = store_task_list(st, w, &f, today, &l, e);
	if (rc)
		return rc;
	*rows = arena_alloc(&d->arena, (l.n ? l.n : 1) * sizeof **rows);
	for (size_t i = 0; i < l.n; i++) {
		struct task_row *r = &(*rows)[i];
		*r = l.rows[i];
		r->area = arena_strdup(&d->arena, r->area);
		r->label = arena_strdup(&d->arena, r->label);
		r->lead = arena_strdup(&d->arena, r->lead);
		r->leader_name = arena_strdup(&d->arena, r->leader_name);
		r->leader_text = arena_strdup(&d->arena, r->leader_text);
		r->unit_name = arena_strdup(&d->arena, r->unit_name);
	}
	*n = l.n;
	task_list_release(&l);
	return RC_OK;
}

enum rc store_dashboard(struct store *st, const struct who *w, int64_t campaign_id,
			int32_t today, struct dashboard *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int64_t campaign;
	enum rc rc = campaign_resolve(st, campaign_id, &campaign, e);
	int32_t day;
	if (!rc)
		rc = dash_day_get(st, &day, e);
	if (!rc && !st->readonly && !st->in_tx && day != today)
		store_dash_roll(st, today, NULL); /* on failure, the reader corrects */
	bool kept = !st->dash_recount;
	if (!rc && kept)
		rc = dash_rule_same(st, &kept, e);
	if (!rc)
		rc = (kept ? dashboard_kept : dashboard_recount)(st, w, campaign, today, out, e);
	if (!rc) {
		sqlite3_stmt *q = stmt_get(st, ST_DASH_EXTENSIONS, e);
		if (!q)
			rc = RC_INTERNAL;
		else {
			sqlite3_bind_int64(q, 1, campaign);
			sqlite3_bind_int64(q, 2, who_scope(w));
			int r = stmt_step(st, q, e);
			if (r == SQLITE_ROW)
				out->pending_extensions = sqlite3_column_int(q, 0);
			else
				rc = store_dberr(st, e, "dashboard");
			sqlite3_reset(q);
		}
	}
	stmts_reset(st);
	if (!rc)
		rc = dash_list(st, w, campaign, LIGHT_RED, today, out, &out->overdue, &out->n_overdue,
			       e);
	if (!rc)
		rc = dash_list(st, w, campaign, LIGHT_YELLOW, today, out, &out->yellow,
			       &out->n_yellow, e);
	if (!rc) {
		rc = commitments_load(st, campaign, today, 1, &out->commitments_behind, e);
		stmts_reset(st);
	}
	if (rc)
		dashboard_release(out);
	return rc;
}

void store_dashboard_recount(struct store *st, int on)
{
	st->dash_recount = on;
}

/* The day the kept counts are of (STORE_NO_DAY: none). */
static enum rc dash_day_get(struct store *st, int32_t *day, struct err *e)
{
	int64_t d;
	enum rc rc = stmt_int64(st, ST_DASH_DAY, NO_ARGS, STORE_NO_DAY, &d, e);
	*day = rc ? STORE_NO_DAY : (int32_t)d;
	return rc;
}

int32_t store_dash_day(struct store *st)
{
	int32_t day;
	dash_day_get(st, &day, NULL);
	return day;
}

struct roll {
	int32_t today;
};

static enum rc roll_step(struct store *st, enum stmt s, int64_t campaign, int32_t lo, int32_t hi,
			 int sign, struct err *e)
{
	sqlite3_stmt *q = stmt_get(st, s, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, campaign);
	sqlite3_bind_int(q, 4, lo);
	sqlite3_bind_int(q, 5, hi);
	sqlite3_bind_int(q, 6, sign);
	bind_light_rule(q);
	return stmt_done(st, q, e);
}

static enum rc roll_tx(struct store *st, void *arg, struct err *e)
{
	const struct roll *x = arg;
	int32_t day;
	enum rc rc = dash_day_get(st, &day, e);
	if (rc)
		return rc;
	if (day == STORE_NO_DAY)
		return store_dberr(st, e, "dashboard day");
	if (day == x->today)
		return RC_OK;
	int32_t lo = day < x->today ? day : x->today, hi = day < x->today ? x->today : day;
	VEC(int64_t) ids = {0};
	sqlite3_stmt *q = stmt_get(st, ST_DASH_CAMPAIGNS, e);
	if (!q)
		return RC_INTERNAL;
	int r;
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW)
		*VEC_PUSH(ids) = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	rc = r == SQLITE_DONE ? RC_OK : stmt_failed(st);
	/* Out under the old day, in under the new: the same tasks both times. */
	for (size_t i = 0; !rc && i < ids.n; i++) {
		rc = roll_step(st, ST_DASH_ROLL_UNIT, ids.v[i], lo, hi, -1, e);
		if (!rc)
			rc = roll_step(st, ST_DASH_ROLL_AREA, ids.v[i], lo, hi, -1, e);
	}
	if (!rc) {
		q = stmt_get(st, ST_DASH_DAY_SET, e);
		if (!q)
			rc = RC_INTERNAL;
		else {
			sqlite3_bind_int(q, 1, x->today);
			rc = stmt_done(st, q, e);
		}
	}
	for (size_t i = 0; !rc && i < ids.n; i++) {
		rc = roll_step(st, ST_DASH_ROLL_UNIT, ids.v[i], lo, hi, 1, e);
		if (!rc)
			rc = roll_step(st, ST_DASH_ROLL_AREA, ids.v[i], lo, hi, 1, e);
	}
	VEC_FREE(ids);
	return rc;
}

enum rc store_dash_roll(struct store *st, int32_t today, struct err *e)
{
	struct roll x = {today};
	return store_tx(st, &WHO_SYSTEM, roll_tx, &x, e);
}

enum rc store_dash_check(struct store *st, int64_t *wrong, struct err *e)
{
	*wrong = 0;
	sqlite3_stmt *q = stmt_get(st, ST_DASH_VERIFY, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	if (r == SQLITE_ROW)
		*wrong = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return r == SQLITE_ROW ? RC_OK : store_dberr(st, e, "dashboard counts");
}

/* ---- reconciliation ------------------------------------------------------------- */

static const char *const check_names[CHECK__MAX] = {
	"problem-no-task", "task-no-leader",  "task-no-unit",	   "task-no-deadline",
	"task-no-measure", "measure-unused", "review-due", "extension-pending",
};
static const char *const check_labels[CHECK__MAX] = {
	"问题未生成整改事项", "未明确责任领导", "未明确责任单位", "未明确整改时限",
	"未对应整改措施",     "措施未对应问题", "回头看到期",	 "延期申请待审批",
};

const char *check_kind_name(enum check_kind k)
{
	return (unsigned)k < CHECK__MAX ? check_names[k] : "?";
}

const char *check_kind_label(enum check_kind k)
{
	return (unsigned)k < CHECK__MAX ? check_labels[k] : "?";
}

void check_report_release(struct check_report *r)
{
	arena_release(&r->arena);
	memset(r, 0, sizeof *r);
}

enum rc store_check(struct store *st, const struct who *w, int64_t campaign_id, int32_t today,
		    struct check_report *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int64_t campaign;
	enum rc rc = campaign_resolve(st, campaign_id, &campaign, e);
	if (rc) {
		stmts_reset(st);
		return rc;
	}
	int64_t scope = who_scope(w);
	static const struct {
		enum check_kind kind;
		enum stmt s;
		int nodes;      /* about the report's nodes: not for handlers */
	} checks[] = {
		{CHECK_PROBLEM_NO_TASK, ST_CHECK_PROBLEM_NO_TASK, 1},
		{CHECK_TASK_NO_LEADER, ST_CHECK_NO_LEADER, 0},
		{CHECK_TASK_NO_UNIT, ST_CHECK_NO_UNIT, 0},
		{CHECK_TASK_NO_DEADLINE, ST_CHECK_NO_DEADLINE, 0},
		{CHECK_TASK_NO_MEASURE, ST_CHECK_NO_MEASURE, 0},
		{CHECK_MEASURE_UNUSED, ST_CHECK_MEASURE_UNUSED, 1},
		{CHECK_REVIEW_DUE, ST_CHECK_REVIEW_DUE, 0},
		{CHECK_EXTENSION_PENDING, ST_CHECK_EXTENSION, 0},
	};
	VEC(struct check_item) v = {0};
	for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
		if (checks[i].nodes && scope)
			continue;
		sqlite3_stmt *q = stmt_get(st, checks[i].s, e);
		if (!q) {
			VEC_FREE(v);
			return RC_INTERNAL;
		}
		sqlite3_bind_int64(q, 1, campaign);
		sqlite3_bind_int64(q, 2, scope);
		sqlite3_bind_int(q, 3, today);
		int r;
		while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
			struct check_item *c = VEC_PUSH(v);
			c->kind = checks[i].kind;
			c->id = sqlite3_column_int64(q, 0);
			c->seq = sqlite3_column_int(q, 1);
			c->label = col_str(q, 2, &out->arena);
			c->text = col_str(q, 3, &out->arena);
			out->count[c->kind]++;
		}
		sqlite3_reset(q);
		if (r != SQLITE_DONE) {
			VEC_FREE(v);
			stmts_reset(st);
			check_report_release(out);
			return store_dberr(st, e, "check");
		}
	}
	stmts_reset(st);
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

/* ---- exports ---------------------------------------------------------------------- */

/*
 * A statement that walks the rows of a campaign's tasks in 序号 order (in
 * its column seq_col), read beside the tasks: seek(seq) steps past the rows of
 * lower 序号 and says whether the current row belongs to task seq.  A step
 * that fails is an error, never the end of the rows.
 */
struct side {
	sqlite3_stmt *q;
	int seq_col;
	int row;                        /* q holds a row */
	int done;                       /* q returned SQLITE_DONE */
};

static enum rc side_step(struct store *st, struct side *s, struct err *e)
{
	int r = stmt_step(st, s->q, e);
	s->row = r == SQLITE_ROW;
	s->done = r == SQLITE_DONE;
	if (!s->row && !s->done)
		return stmt_failed(st);
	return RC_OK;
}

/* *at = 1 when the current row is one of task seq's.  Errors: RC_DB. */
static enum rc side_seek(struct store *st, struct side *s, int seq, int *at, struct err *e)
{
	*at = 0;
	while (!s->done) {
		if (!s->row) {
			enum rc rc = side_step(st, s, e);
			if (rc)
				return rc;
			continue;
		}
		int k = sqlite3_column_int(s->q, s->seq_col);
		if (k > seq)
			return RC_OK;
		if (k == seq) {
			*at = 1;
			return RC_OK;
		}
		s->row = 0;
	}
	return RC_OK;
}

enum { SIDE_MEASURES, SIDE_PROGRESS, SIDE_EVENTS, SIDE__MAX };

struct unit_handlers {
	int64_t unit_id;
	const char *names;              /* "张三、李四" */
};

struct task_iter {
	struct store *st;
	sqlite3_stmt *q;                /* private: survives other calls */
	struct side side[SIDE__MAX];    /* private too */
	struct unit_handlers *handlers; /* by unit_id, in keep */
	size_t n_handlers;
	struct export_row row;
	struct task_event review;
	struct buf measures, progress;  /* the current row's, as they are joined */
	char deadline[48];              /* the current row's */
	struct arena arena;             /* the current row's strings */
	struct arena keep;              /* the iterator's own (handlers) */
	int32_t today;
};

/* The handlers of each unit, by unit, "、" between the names. */
static enum rc load_handlers(struct task_iter *it, struct err *e)
{
	sqlite3_stmt *q = stmt_get(it->st, ST_EXPORT_HANDLERS, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int(q, 1, ROLE_HANDLER);
	VEC(struct unit_handlers) v = {0};
	struct buf b = BUF_INIT(0);
	int r;
	while ((r = stmt_step(it->st, q, e)) == SQLITE_ROW) {
		int64_t unit = sqlite3_column_int64(q, 0);
		if (!v.n || v.v[v.n - 1].unit_id != unit) {
			if (v.n)
				v.v[v.n - 1].names = arena_strndup(&it->keep, b.p, b.len);
			buf_reset(&b);
			VEC_PUSH(v)->unit_id = unit;
		}
		if (b.len)
			buf_puts(&b, "、");
		buf_puts(&b, (const char *)sqlite3_column_text(q, 1));
	}
	if (v.n)
		v.v[v.n - 1].names = arena_strndup(&it->keep, b.p ? b.p : "", b.len);
	buf_release(&b);
	sqlite3_reset(q);
	if (r != SQLITE_DONE) {
		VEC_FREE(v);
		return stmt_failed(it->st);
	}
	VEC_TO_ARENA(v, &it->keep, it->handlers, it->n_handlers);
	return RC_OK;
}

static const char *handlers_of(const struct task_iter *it, int64_t unit)
{
	size_t lo = 0, hi = it->n_handlers;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (it->handlers[mid].unit_id < unit)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < it->n_handlers && it->handlers[lo].unit_id == unit ? it->handlers[lo].names
									: "";
}

enum rc store_task_iter_open(struct store *st, const struct who *w, int64_t campaign_id,
			     int32_t today, struct task_iter **out, struct err *e)
{
	*out = NULL;
	int64_t campaign;
	enum rc rc = campaign_resolve(st, campaign_id, &campaign, e);
	stmts_reset(st);
	if (rc)
		return rc;
	struct task_iter *it = xcalloc(1, sizeof *it);
	it->st = st;
	it->today = today;
	it->measures = (struct buf)BUF_INIT(0);
	it->progress = (struct buf)BUF_INIT(0);
	static const enum stmt sides[SIDE__MAX] = {
		[SIDE_MEASURES] = ST_EXPORT_MEASURES, [SIDE_PROGRESS] = ST_EXPORT_PROGRESS,
		[SIDE_EVENTS] = ST_EVENT_LIST};
	rc = stmt_prepare_private(st, ST_EXPORT_TASKS, &it->q, e);
	for (int k = 0; !rc && k < SIDE__MAX; k++)
		rc = stmt_prepare_private(st, sides[k], &it->side[k].q, e);
	it->side[SIDE_EVENTS].seq_col = 1;
	if (!rc)
		rc = load_handlers(it, e);
	if (rc) {
		store_task_iter_close(it);
		return rc;
	}
	sqlite3_bind_int64(it->q, 1, campaign);
	sqlite3_bind_int64(it->q, 2, who_scope(w));
	sqlite3_bind_int(it->q, 3, TASK_CARRIED);
	for (int k = 0; k < SIDE__MAX; k++) {
		sqlite3_bind_int64(it->side[k].q, 1, campaign);
		sqlite3_bind_int64(it->side[k].q, 2, who_scope(w));
	}
	*out = it;
	return RC_OK;
}

/* The measures of task seq, one a line (label then text), into
 * it->measures. */
static enum rc row_measures(struct task_iter *it, int seq, struct err *e)
{
	struct side *s = &it->side[SIDE_MEASURES];
	struct buf *b = &it->measures;
	buf_reset(b);
	for (;;) {
		int at;
		enum rc rc = side_seek(it->st, s, seq, &at, e);
		if (rc || !at)
			return rc;
		if (b->len)
			buf_putc(b, '\n');
		const char *label = (const char *)sqlite3_column_text(s->q, 1);
		if (label && *label)
			buf_puts(b, label);
		buf_puts(b, (const char *)sqlite3_column_text(s->q, 2));
		s->row = 0;
	}
}

/* The progress of task seq, "YYYY-MM-DD text" one a line, into
 * it->progress. */
static enum rc row_progress(struct task_iter *it, int seq, struct err *e)
{
	struct side *s = &it->side[SIDE_PROGRESS];
	struct buf *b = &it->progress;
	buf_reset(b);
	for (;;) {
		int at;
		enum rc rc = side_seek(it->st, s, seq, &at, e);
		if (rc || !at)
			return rc;
		char d[11];
		store_day_format(col_day(s->q, 1), d);
		if (b->len)
			buf_putc(b, '\n');
		buf_puts(b, d);
		buf_putc(b, ' ');
		buf_puts(b, (const char *)sqlite3_column_text(s->q, 2));
		s->row = 0;
	}
}

/* From the events of task seq (ST_EVENT_LIST's columns): when it was last
 * closed, and the reviewers' latest decision. */
static enum rc row_events(struct task_iter *it, struct export_row *x, struct err *e)
{
	struct side *s = &it->side[SIDE_EVENTS];
	const char *closed = NULL;
	struct arena *a = &it->arena;
	x->review = NULL;
	for (;;) {
		int at;
		enum rc rc = side_seek(it->st, s, x->seq, &at, e);
		if (rc)
			return rc;
		if (!at)
			break;
		sqlite3_stmt *q = s->q;
		const char *action = (const char *)sqlite3_column_text(q, 3);
		if (sqlite3_column_int(q, 5) == TASK_CLOSED)
			closed = col_str(q, 9, a);
		if (task_event_is_review(action)) {
			struct task_event *v = &it->review;
			v->id = sqlite3_column_int64(q, 2);
			v->action = col_str(q, 3, a);
			v->from = sqlite3_column_type(q, 4) == SQLITE_NULL
					  ? TASK_STATUS__MAX
					  : (enum task_status)sqlite3_column_int(q, 4);
			v->to = (enum task_status)sqlite3_column_int(q, 5);
			v->actor_id = col_id(q, 6);
			v->actor = col_str(q, 7, a);
			v->reason = col_str(q, 8, a);
			v->at = col_str(q, 9, a);
			v->day = col_day(q, 10);
			x->review = v;
		}
		s->row = 0;
	}
	x->closed_at = "";
	if (closed && x->status == TASK_CLOSED) {
		char t[32];
		util_local_time(closed, t, sizeof t);
		x->closed_at = arena_strdup(a, t);
	}
	return RC_OK;
}

/* Column i of q as text, "" for NULL; valid until q's next step. */
static const char *col_text(sqlite3_stmt *q, int i)
{
	const char *s = (const char *)sqlite3_column_text(q, i);
	return s ? s : "";
}

enum rc store_task_iter_next(struct task_iter *it, const struct export_row **row, struct err *e)
{
	*row = NULL;
	arena_release(&it->arena);
	int r = stmt_step(it->st, it->q, e);
	if (r == SQLITE_DONE)
		return RC_OK;
	if (r != SQLITE_ROW)
		return stmt_failed(it->st);
	sqlite3_stmt *q = it->q;
	struct export_row *x = &it->row;
	memset(x, 0, sizeof *x);
	x->task_id = sqlite3_column_int64(q, 0);
	x->seq = sqlite3_column_int(q, 1);
	/* The task's own strings are q's, valid until its next step (the
	 * next call): handed on, not copied. */
	x->area = col_text(q, 2);
	const char *lead = col_text(q, 3);
	const char *text = col_text(q, 4);
	/* 问题: the lead, then the rest of the text when it says more. */
	x->problem = *text ? text : lead;
	x->goal = col_text(q, 5);
	x->leader = col_text(q, 6);
	x->unit = col_text(q, 7);
	enum deadline_kind dk = (enum deadline_kind)sqlite3_column_int(q, 8);
	int32_t dl = col_day(q, 9);
	deadline_format(dk, dl, it->deadline, sizeof it->deadline);
	x->deadline = it->deadline;
	x->status = (enum task_status)sqlite3_column_int(q, 10);
	x->light = light_compute(x->status, task_assigned(col_id(q, 15), col_id(q, 16), dk), dl,
				 col_day(q, 11), it->today);
	x->n_evidence = sqlite3_column_int(q, 12);
	x->n_progress = sqlite3_column_int(q, 13);
	x->origin_id = col_id(q, 14);
	x->handlers = handlers_of(it, col_id(q, 16));
	x->origin_seq = sqlite3_column_int(q, 17);
	x->origin_year = sqlite3_column_int(q, 18);
	x->carried_seq = sqlite3_column_int(q, 19);
	x->carried_year = sqlite3_column_int(q, 20);
	x->extension_to = sqlite3_column_int(q, 21);   /* NULL: 0 */
	enum rc rc = row_measures(it, x->seq, e);
	if (rc)
		return rc;
	x->measures = it->measures.p ? it->measures.p : "";
	if ((rc = row_progress(it, x->seq, e)))
		return rc;
	x->progress = it->progress.p ? it->progress.p : "";
	if ((rc = row_events(it, x, e)))
		return rc;
	*row = x;
	return RC_OK;
}

void store_task_iter_close(struct task_iter *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->q);
	for (int k = 0; k < SIDE__MAX; k++)
		sqlite3_finalize(it->side[k].q);
	stmts_reset(it->st);
	buf_release(&it->measures);
	buf_release(&it->progress);
	arena_release(&it->arena);
	arena_release(&it->keep);
	free(it);
}

void event_list_release(struct event_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

enum rc store_event_list(struct store *st, const struct who *w, int64_t campaign_id,
			 struct event_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int64_t campaign;
	enum rc rc = campaign_resolve(st, campaign_id, &campaign, e);
	if (rc) {
		stmts_reset(st);
		return rc;
	}
	sqlite3_stmt *q = stmt_get(st, ST_EVENT_LIST, e);
	if (!q)
		return RC_INTERNAL;
	sqlite3_bind_int64(q, 1, campaign);
	sqlite3_bind_int64(q, 2, who_scope(w));
	VEC(struct event_row) v = {0};
	struct arena *a = &out->arena;
	int r;
	while ((r = stmt_step(st, q, e)) == SQLITE_ROW) {
		struct event_row *x = VEC_PUSH(v);
		x->task_id = sqlite3_column_int64(q, 0);
		x->seq = sqlite3_column_int(q, 1);
		x->ev.id = sqlite3_column_int64(q, 2);
		x->ev.action = col_str(q, 3, a);
		x->ev.from = sqlite3_column_type(q, 4) == SQLITE_NULL
				     ? TASK_STATUS__MAX
				     : (enum task_status)sqlite3_column_int(q, 4);
		x->ev.to = (enum task_status)sqlite3_column_int(q, 5);
		x->ev.actor_id = col_id(q, 6);
		x->ev.actor = col_str(q, 7, a);
		x->ev.reason = col_str(q, 8, a);
		x->ev.at = col_str(q, 9, a);
		x->ev.day = col_day(q, 10);
	}
	stmts_reset(st);
	if (r != SQLITE_DONE) {
		VEC_FREE(v);
		event_list_release(out);
		return store_dberr(st, e, "events");
	}
	VEC_TO_ARENA(v, a, out->v, out->n);
	return RC_OK;
}
