/*
 * store_commit.c -- commitments and their activities (compliance per
 * period, 序时进度).
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
	struct dbq *q = stmt_get(st, ST_MEMBERS, e);
	if (!q)
		return RC_INTERNAL;
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct member *m = VEC_PUSH(mem);
		m->id = col_int64(q, 0);
		m->name = col_str(q, 1, &out->arena);
	}
	stmt_reset(q);
	if (r != DB_DONE) {
		VEC_FREE(mem);
		return stmt_failed(st);
	}
	VEC(struct commitment) v = {0};
	rc = stmt_query(st, ST_COMMITMENT_LIST, ARGS(A_INT(campaign)), &q, e);
	if (rc) {
		VEC_FREE(mem);
		return rc;
	}
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct commitment *c = VEC_PUSH(v);
		c->id = col_int64(q, 0);
		c->campaign_id = col_int64(q, 1);
		c->report_id = col_id(q, 2);
		c->text = col_str(q, 3, &out->arena);
		c->subject = col_str(q, 4, &out->arena);
		c->unit = col_str(q, 5, &out->arena);
		c->min = col_int(q, 6);
		c->period = (enum doc_period)col_int(q, 7);
		c->per = (enum doc_per)col_int(q, 8);
		c->since = col_int(q, 9);
	}
	stmt_reset(q);
	if (r != DB_DONE) {
		VEC_FREE(v);
		VEC_FREE(mem);
		return store_dberr(st, e, "commitments");
	}
	for (size_t i = 0; i < v.n && !rc; i++) {
		struct commitment *c = &v.v[i];
		VEC(struct act) acts = {0};
		if ((rc = stmt_query(st, ST_ACTIVITY_DAYS, ARGS(A_INT(c->id)), &q, e)))
			break;
		while ((r = stmt_step(st, q, e)) == DB_ROW) {
			struct act *x = VEC_PUSH(acts);
			x->day = col_int(q, 0);
			/* Participants as "1,5,9". */
			const char *w = col_text(q, 1);
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
		stmt_reset(q);
		if (r != DB_DONE) {
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
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_COMMITMENT_MEASURES,
			ARGS(A_INT(id), A_INT(DOC_ROLE_MEASURES)), &q, e);
	if (rc)
		return rc;
	int r, rows = 0;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		rows++;
		if (commitment_in_measure(col_text(q, 0),
					  col_text(q, 2))) {
			*node_id = col_int64(q, 1);
			r = DB_DONE;
			break;
		}
	}
	stmts_reset(st);
	if (r != DB_DONE)
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
	struct dbq *q;
	rc = stmt_query(st, ST_ACTIVITY_INSERT,
			ARGS(A_INT(a->commitment_id), A_INT(a->day), A_TEXT(a->note ? a->note : ""),
			     A_ID(st->tx_who->user_id), A_TEXT(st->tx_at)), &q, e);
	if (rc)
		return rc;
	if ((rc = stmt_done(st, q, e)))
		return rc;
	x->id = db_last_id(st);
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
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_ACTIVITY_LIST, ARGS(A_INT(commitment_id)), &q, e);
	if (rc)
		return rc;
	VEC(struct activity) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct activity *x = VEC_PUSH(v);
		x->id = col_int64(q, 0);
		x->commitment_id = col_int64(q, 1);
		x->day = col_day(q, 2);
		x->note = col_str(q, 3, ar);
		x->by = col_str(q, 4, ar);
	}
	stmt_reset(q);
	for (size_t i = 0; i < v.n && r == DB_DONE; i++) {
		struct activity *x = &v.v[i];
		VEC(const char *) names = {0};
		if (stmt_query(st, ST_ACTIVITY_WHO, ARGS(A_INT(x->id)), &q, e)) {
			r = DB_ERROR;
			break;
		}
		while ((r = stmt_step(st, q, e)) == DB_ROW)
			*VEC_PUSH(names) = col_str(q, 0, ar);
		stmt_reset(q);
		VEC_TO_ARENA(names, ar, x->who, x->n_who);
		if (r != DB_DONE)
			break;
		VEC(struct evidence_meta) ev = {0};
		if (stmt_query(st, ST_ACTIVITY_EVIDENCE, ARGS(A_INT(x->id)), &q, e)) {
			r = DB_ERROR;
			break;
		}
		while ((r = stmt_step(st, q, e)) == DB_ROW) {
			struct evidence_meta *m = VEC_PUSH(ev);
			m->id = col_int64(q, 0);
			m->name = col_str(q, 1, ar);
			m->mime = col_str(q, 2, ar);
			m->size = col_int64(q, 3);
			snprintf(m->sha256, sizeof m->sha256, "%s",
				 col_text(q, 4));
		}
		stmt_reset(q);
		VEC_TO_ARENA(ev, ar, x->evidence, x->n_evidence);
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		activity_list_release(out);
		return store_dberr(st, e, "activities");
	}
	VEC_TO_ARENA(v, ar, out->v, out->n);
	return RC_OK;
}
