/*
 * store_dash.c -- the dashboard: counts by status, light, area, unit and
 * week, kept by triggers in the same transaction as every change and rolled
 * over at the day boundary (dash_day), with the full recount they are
 * checked against, and the overdue and due-soon lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

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
	struct dbq *q;
	enum rc rc = stmt_query(st, s, ARGS(A_INT(campaign), A_INT(scope), A_INT(today)), &q, e);
	if (rc)
		return rc;
	bind_light_rule(q);
	VEC(struct dash_group) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct dash_group *g = VEC_PUSH(v);
		g->id = col_id(q, 0);
		g->name = col_str(q, 1, a);
		g->total = col_int(q, 2);
		g->closed = col_int(q, 3);
		g->staged = col_int(q, 4);
		g->red = col_int(q, 5);
		g->yellow = col_int(q, 6);
		g->green = col_int(q, 7);
		g->carried = col_int(q, 8);
		g->grey = col_int(q, 9);
	}
	stmt_reset(q);
	if (r != DB_DONE) {
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
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_DASH_TOTALS,
			ARGS(A_INT(campaign), A_INT(scope), A_INT(today)), &q, e);
	if (rc)
		return rc;
	bind_light_rule(q);
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		int s = col_int(q, 0);
		int n = col_int(q, 1);
		if (s >= 0 && s < TASK_STATUS__MAX)
			d->by_status[s] += n;
		d->total += n;
		d->by_light[LIGHT_RED] += col_int(q, 2);
		d->by_light[LIGHT_YELLOW] += col_int(q, 3);
		d->by_light[LIGHT_GREEN] += col_int(q, 4);
		d->review_due += col_int(q, 5);
		d->by_light[LIGHT_GREY] += col_int(q, 6);
	}
	stmt_reset(q);
	if (r != DB_DONE)
		return stmt_failed(st);
	d->by_light[LIGHT_NONE] = d->by_status[TASK_CLOSED] + d->by_status[TASK_CARRIED];
	rc = groups_load(st, ST_DASH_AREAS, campaign, scope, today, &d->areas, &d->n_areas,
				 a, e);
	if (!rc)
		rc = groups_load(st, ST_DASH_UNITS, campaign, scope, today, &d->units, &d->n_units,
				 a, e);
	if (rc)
		return rc;
	return weeks_load(st, ST_DASH_DELTAS, campaign, scope, today, d, e);
}

/* Burn-down: open tasks at the end of each week, from the changes per day
 * (s: ST_DASH_DELTAS or ST_DASH_DELTAS_IN, or ST_DASH_WEEK for the whole
 * campaign). */
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
	struct dbq *q;
	rc = stmt_query(st, s, ARGS(A_INT(campaign)), &q, e);
	if (rc)
		return rc;
	if (s != ST_DASH_WEEK)
		bind_int64(q, 2, scope);
	VEC(struct dash_week) wk = {0};
	int open = 0;
	int32_t end = started + (7 - ((started + 3) % 7 + 7) % 7) - 1; /* the Sunday */
	if (end > today)
		end = today;
	int r = stmt_step(st, q, e);
	while (started <= today && wk.n < 1000) {
		while (r == DB_ROW && col_int(q, 0) <= end) {
			open += col_int(q, 1);
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
	stmt_reset(q);
	if (r != DB_DONE && r != DB_ROW) {
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
	struct dbq *q = stmt_get(st, ST_DASH_DAY, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	int32_t day = r == DB_ROW ? col_int(q, 0) : today;
	stmt_reset(q);
	if (r != DB_ROW)
		return store_dberr(st, e, "dashboard day");
	/* Units: rows come unit by unit (sorted by name at the end). */
	rc = stmt_query(st, ST_DASH_UNIT_ROWS, ARGS(A_INT(campaign), A_INT(scope)), &q, e);
	if (rc)
		return rc;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		int64_t id = col_int64(q, 0);
		if (!units.n || units.v[units.n - 1].id != id) {
			struct dash_group *g = VEC_PUSH(units);
			memset(g, 0, sizeof *g);
			g->id = id;
			g->name = col_str(q, 1, a);
			/* no unit, or a unit that is gone: after the named ones */
			*VEC_PUSH(unnamed) = col_int(q, 6);
			struct dash_key *k = VEC_PUSH(ukeys);
			k->id = id;
			k->group = units.n - 1;
		}
		count_in(d, &units.v[units.n - 1], col_int(q, 2),
			 col_int(q, 3), col_int(q, 4),
			 col_int(q, 5));
	}
	stmt_reset(q);
	if (r != DB_DONE) {
		rc = store_dberr(st, e, "dashboard");
		goto out;
	}
	/* Areas of the whole campaign: rows come title by title. */
	if (!scope) {
		rc = stmt_query(st, ST_DASH_AREA_ROWS, ARGS(A_INT(campaign)), &q, e);
		if (rc)
			goto out;
		const char *title = NULL;
		while ((r = stmt_step(st, q, e)) == DB_ROW) {
			int64_t id = col_int64(q, 0);
			const char *t = col_text(q, 1);
			int64_t first = col_int64(q, 2);
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
			count_in(NULL, g, col_int(q, 3), col_int(q, 4), 0,
				 col_int(q, 5));
		}
		stmt_reset(q);
		if (r != DB_DONE) {
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
		rc = stmt_query(st, ST_DASH_MOVED,
				ARGS(A_INT(campaign), A_INT(scope), A_INT(today),
				     A_INT(day < today ? day : today),
				     A_INT(day < today ? today : day)), &q, e);
		if (rc)
			goto out;
		bind_light_rule(q);
		while ((r = stmt_step(st, q, e)) == DB_ROW) {
			int64_t unit = col_int64(q, 0), area = col_int64(q, 1);
			int status = col_int(q, 2), n = col_int(q, 7);
			int l0 = col_int(q, 3), due0 = col_int(q, 4);
			int l1 = col_int(q, 5), due1 = col_int(q, 6);
			if (l0 == l1 && due0 == due1)
				continue;
			struct dash_group *u = group_of(units.v, ukeys.v, ukeys.n, unit);
			struct dash_group *g = group_of(areas.v, akeys.v, akeys.n, area);
			count_in(d, u, status, l0, due0, -n);
			count_in(d, u, status, l1, due1, n);
			count_in(NULL, g, status, l0, 0, -n);
			count_in(NULL, g, status, l1, 0, n);
		}
		stmt_reset(q);
		if (r != DB_DONE) {
			rc = store_dberr(st, e, "dashboard");
			goto out;
		}
	}
	d->by_light[LIGHT_NONE] = d->by_status[TASK_CLOSED] + d->by_status[TASK_CARRIED];
	if (scope) {
		rc = groups_load(st, ST_DASH_AREAS_IN, campaign, scope, today, &d->areas,
				 &d->n_areas, a, e);
		if (!rc)
			rc = weeks_load(st, ST_DASH_DELTAS_IN, campaign, scope, today, d, e);
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
		struct dbq *q;
		rc = stmt_query(st, ST_DASH_EXTENSIONS,
				ARGS(A_INT(campaign), A_INT(who_scope(w))), &q, e);
		if (!rc) {
			int r = stmt_step(st, q, e);
			if (r == DB_ROW)
				out->pending_extensions = col_int(q, 0);
			else
				rc = store_dberr(st, e, "dashboard");
			stmt_reset(q);
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
	struct dbq *q;
	enum rc rc = stmt_query(st, s, ARGS(A_INT(campaign)), &q, e);
	if (rc)
		return rc;
	bind_int(q, 4, lo);
	bind_int(q, 5, hi);
	bind_int(q, 6, sign);
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
	struct dbq *q = stmt_get(st, ST_DASH_CAMPAIGNS, e);
	if (!q)
		return RC_INTERNAL;
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW)
		*VEC_PUSH(ids) = col_int64(q, 0);
	stmt_reset(q);
	rc = r == DB_DONE ? RC_OK : stmt_failed(st);
	/* Out under the old day, in under the new: the same tasks both times. */
	for (size_t i = 0; !rc && i < ids.n; i++) {
		rc = roll_step(st, ST_DASH_ROLL_UNIT, ids.v[i], lo, hi, -1, e);
		if (!rc)
			rc = roll_step(st, ST_DASH_ROLL_AREA, ids.v[i], lo, hi, -1, e);
	}
	if (!rc)
		rc = stmt_run(st, ST_DASH_DAY_SET, ARGS(A_INT(x->today)), e);
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
	struct dbq *q = stmt_get(st, ST_DASH_VERIFY, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW)
		*wrong = col_int64(q, 0);
	stmt_reset(q);
	return r == DB_ROW ? RC_OK : store_dberr(st, e, "dashboard counts");
}
