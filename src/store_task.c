/*
 * store_task.c -- tasks: the list (filters, sort, pages), the detail with
 * the actions the caller may take, and every write of the workflow
 * (assign, progress with evidence, the status actions, extensions), plus
 * reading evidence back.
 *
 * Invariants:
 *   - Every read joins the caller's scope into its WHERE clause; there is
 *     no way to read a task without a struct who.
 *   - Every write loads the task's facts under that scope (RC_NOTFOUND
 *     outside it), asks task_may(), then updates with "AND version = ?"
 *     and bumps the version: zero rows changed is RC_CONFLICT.
 *   - task.n_progress, n_evidence and last_activity are updated in the same
 *     transaction as the progress they count.
 *   - The list query is assembled only from the literal fragments below
 *     (shape bits choose them); its prepared forms are cached per shape.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"
#include "text.h"

/* ---- inserting tasks and events ------------------------------------------- */

enum rc event_add(struct store *st, int64_t task_id, const char *action, int from,
		  enum task_status to, const char *reason, int32_t day, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_EVENT_INSERT, ARGS(A_INT(task_id), A_TEXT(action)), &q, e);
	if (rc)
		return rc;
	if (from >= 0)
		bind_int(q, 3, from);
	bind_int(q, 4, (int)to);
	bind_id(q, 5, st->tx_who ? st->tx_who->user_id : 0);
	bind_text(q, 6, reason ? reason : "");
	bind_int(q, 7, day);
	bind_text(q, 8, st->tx_at);
	rc = stmt_done(st, q, e);
	if (rc)
		return rc;
	return audit_insert(st, action, ENT_EVENT, db_last_id(st), e);
}

enum rc task_insert(struct store *st, const struct task_new *t, const char *action,
		    const char *reason, int32_t today, int64_t *id, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_TASK_INSERT,
			ARGS(A_INT(t->campaign_id), A_INT(t->problem_id), A_ID(t->origin_id),
			     A_ID(t->leader_id), A_ID(t->unit_id), A_TEXT(t->goal ? t->goal : ""),
			     A_INT((int)t->deadline_kind),
			     A_DAY(t->deadline_kind == DEADLINE_ONGOING ? STORE_NO_DAY : t->deadline),
			     A_INT((int)t->status), A_INT(t->created), A_INT(t->last_activity),
			     A_DAY(t->closed_day), A_DAY(t->review_due), A_TEXT(st->tx_at),
			     A_TEXT(t->leader_text ? t->leader_text : "")), &q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	if (rc)
		return rc;
	*id = db_last_id(st);
	for (size_t i = 0; i < t->n_measures; i++) {
		rc = stmt_query(st, ST_TASK_MEASURE_ADD,
				ARGS(A_INT(*id), A_INT(t->measures[i])), &q, e);
		if (rc)
			return rc;
		if ((rc = stmt_done(st, q, e)))
			return rc;
	}
	if ((rc = audit_insert(st, action, ENT_TASK, *id, e)))
		return rc;
	return event_add(st, *id, action, -1, t->status, reason, today, e);
}

/* ---- the list ----------------------------------------------------------------- */

void task_list_release(struct task_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

/* Shape bits of the list query. */
enum {
	SH_SCOPE = 1 << 0,
	SH_STATUS = 1 << 1,
	SH_AREA = 1 << 2,
	SH_UNIT = 1 << 3,
	SH_LEADER = 1 << 4,
	SH_Q = 1 << 5,
	SH_REVIEW = 1 << 6,
	SH_COUNT = 1 << 7,      /* the count query instead of the page */
	SH_LIGHT_SHIFT = 8,     /* 3 bits: 0 any, 1 + enum light (LIGHT__MAX <= 7) */
	SH_SORT_SHIFT = 11,     /* 3 bits: enum task_sort */
	SH_DESC = 1 << 14,
	SH_DATED = 1 << 15,     /* only tasks with a deadline from today on */
	SH_UNDATED = 1 << 16,   /* only tasks without a deadline */
	SH_FEW = 1 << 17,       /* a scope or unit of at most LIST_FEW tasks */
};
/* Sorted by deadline, the tasks of a scope or unit filter of at most this
 * many tasks (the dashboard's kept counts say how many) are found by the
 * unit index and sorted, rather than found by walking the deadline index
 * past every other unit's: a leaf unit's overdue list then reads its own
 * few hundred tasks, not the campaign's hundred thousand; a large scope
 * still walks, where its rows come soon. */
enum { LIST_FEW = 4000 };
_Static_assert(LIGHT__MAX < 8, "the light's 3 bits of the shape hold 1 + enum light");

/*
 * The page query filters and orders task ids alone in a subquery (joining
 * the problem node only for the text filter, the unit or leader
 * only to sort by their names), then joins the task, the names and the
 * problem for the page's rows only: sorting 100,000 tasks never touches
 * 100,000 nodes, and the unit index (campaign, unit, status, deadline,
 * last activity, seq) answers a unit + status + light page by itself.
 */
static const char LIST_OUTER_HEAD[] =
	"SELECT t.id, t.version, t.campaign_id, t.seq, coalesce(a.title, ''), p.label, p.title,"
	" t.leader_id, coalesce(l.name, ''), t.unit_id, coalesce(u.name, ''), t.deadline_kind,"
	" t.deadline, t.status, t.last_activity, t.review_due, t.n_progress, t.leader_text"
	" FROM (SELECT t.id FROM task t";
static const char LIST_JOIN_NODE[] = " JOIN node p ON p.id = t.problem_id";
static const char LIST_JOIN_UNIT[] = " LEFT JOIN unit u ON u.id = t.unit_id";
static const char LIST_JOIN_LEADER[] = " LEFT JOIN \"user\" l ON l.id = t.leader_id";
static const char LIST_WHERE[] = " WHERE t.campaign_id = ?1";
static const char LIST_OUTER_TAIL[] =
	") x JOIN task t ON t.id = x.id JOIN node p ON p.id = t.problem_id"
	" LEFT JOIN node a ON a.id = t.area_id"
	" LEFT JOIN \"user\" l ON l.id = t.leader_id LEFT JOIN unit u ON u.id = t.unit_id";
static const char COUNT_SELECT[] = "SELECT count(*) FROM task t WHERE t.campaign_id = ?1";
static const char COUNT_SELECT_NODE[] =
	"SELECT count(*) FROM task t JOIN node p ON p.id = t.problem_id WHERE t.campaign_id = ?1";

static const char W_SCOPE[] =
	" AND t.unit_id IN (SELECT descendant FROM unit_tree WHERE ancestor = ?2)";
static const char W_STATUS[] = " AND t.status = ?3";
/* The light as ranges on deadline and last activity (?4 = today, the rule's
 * constants bound as ?20 … ?23: store_sql.h); the same rules as
 * light_compute(), which the tests hold them to.  The unary + on the
 * deadline in the OR terms keeps SQLite from answering them with an OR over
 * the status index when the unit index is the selective one; red stays a
 * plain range. */
static const char *const W_LIGHT[LIGHT__MAX] = {
	[LIGHT_NONE] = " AND" P_ENDED("t.status"),
	[LIGHT_GREY] = " AND" P_OPEN("t.status") " AND " LACKS("t"),
	[LIGHT_RED] = " AND" P_OPEN("t.status") " AND " ASSIGNED("t") " AND t.deadline < ?4",
	[LIGHT_YELLOW] = " AND" P_OPEN("t.status") " AND " ASSIGNED("t")
			 " AND (+t.deadline IS NULL OR +t.deadline >= ?4)"
			 " AND (+t.deadline <= CAST(?4 AS BIGINT) + " P_WARN
			 " OR t.last_activity <= CAST(?4 AS BIGINT) - " P_STALE ")",
	[LIGHT_GREEN] = " AND" P_OPEN("t.status") " AND " ASSIGNED("t")
			" AND (+t.deadline IS NULL OR +t.deadline > CAST(?4 AS BIGINT) + " P_WARN ")"
			" AND t.last_activity > CAST(?4 AS BIGINT) - " P_STALE,
};
static const char W_AREA[] = " AND t.area_id = ?5";
static const char W_UNIT[] =
	" AND t.unit_id IN (SELECT descendant FROM unit_tree WHERE ancestor = ?6)";
static const char W_LEADER[] = " AND t.leader_id = ?7";
static const char W_Q[] =
	" AND (instr(p.title, ?8) > 0 OR instr(p.text, ?8) > 0 OR instr(t.goal, ?8) > 0)";
static const char W_REVIEW[] = " AND t.review_due <= ?4";
/* The two ranges of the deadline index (campaign, deadline IS NULL,
 * deadline, seq) a yellow or green page sorted by deadline lies in: the IN
 * lets SQLite seek the first and still read it in the index's order
 * (PostgreSQL compares no boolean with numbers, nor needs the hint). */
static const char *const W_DATED[DIALECT__MAX] = {
	[DIALECT_SQLITE] = " AND t.deadline IS NULL IN (0, 1) AND t.deadline >= ?4",
	[DIALECT_PG] = " AND t.deadline >= ?4",
};
static const char W_UNDATED[] = " AND t.deadline IS NULL";
/* ORDER BY fragments, ascending and descending; t.seq breaks ties. */
static const char *const ORDER[TASK_SORT__MAX][2] = {
	[TASK_SORT_SEQ] = {" ORDER BY t.seq", " ORDER BY t.seq DESC"},
	[TASK_SORT_DEADLINE] = {" ORDER BY t.deadline IS NULL, t.deadline, t.seq",
				" ORDER BY t.deadline IS NULL, t.deadline DESC, t.seq DESC"},
	[TASK_SORT_STATUS] = {" ORDER BY t.status, t.seq", " ORDER BY t.status DESC, t.seq DESC"},
	[TASK_SORT_UNIT] = {" ORDER BY u.name IS NULL, u.name, t.seq",
			    " ORDER BY u.name IS NULL, u.name DESC, t.seq DESC"},
	[TASK_SORT_LEADER] = {" ORDER BY l.name IS NULL, l.name, t.seq",
			      " ORDER BY l.name IS NULL, l.name DESC, t.seq DESC"},
	[TASK_SORT_ACTIVITY] = {" ORDER BY t.last_activity, t.seq",
				" ORDER BY t.last_activity DESC, t.seq DESC"},
	[TASK_SORT_UPDATED] = {" ORDER BY t.updated, t.seq", " ORDER BY t.updated DESC, t.seq DESC"},
};
/* With a selective filter, order by seq through a sort of the few rows
 * found rather than by walking the (campaign, seq) index over all. */
static const char *const ORDER_SEQ_SORTED[2] = {" ORDER BY +t.seq", " ORDER BY +t.seq DESC"};
static const char *const ORDER_DEADLINE_SORTED[2] = {
	" ORDER BY +t.deadline IS NULL, +t.deadline, +t.seq",
	" ORDER BY +t.deadline IS NULL, +t.deadline DESC, +t.seq DESC"};
static const char LIMIT[] = " LIMIT ?9 OFFSET ?10";

static struct dbq *list_stmt(struct store *st, uint32_t shape, struct err *e)
{
	for (size_t i = 0; i < st->n_list_cache; i++) {
		if (st->list_cache[i].shape == shape) {
			struct dbq *q = st->list_cache[i].st;
			stmt_rewind(q);
			return q;
		}
	}
	struct buf b = BUF_INIT(0);
	int count = (shape & SH_COUNT) != 0;
	int node = (shape & SH_Q) != 0;
	unsigned sort = (shape >> SH_SORT_SHIFT) & 7;
	if (count) {
		buf_puts(&b, node ? COUNT_SELECT_NODE : COUNT_SELECT);
	} else {
		buf_puts(&b, LIST_OUTER_HEAD);
		if (node)
			buf_puts(&b, LIST_JOIN_NODE);
		if (sort == TASK_SORT_UNIT)
			buf_puts(&b, LIST_JOIN_UNIT);
		if (sort == TASK_SORT_LEADER)
			buf_puts(&b, LIST_JOIN_LEADER);
		buf_puts(&b, LIST_WHERE);
	}
	if (shape & SH_SCOPE)
		buf_puts(&b, W_SCOPE);
	if (shape & SH_STATUS)
		buf_puts(&b, W_STATUS);
	unsigned light = (shape >> SH_LIGHT_SHIFT) & 7;
	if (light)
		buf_puts(&b, W_LIGHT[light - 1]);
	if (shape & SH_AREA)
		buf_puts(&b, W_AREA);
	if (shape & SH_UNIT)
		buf_puts(&b, W_UNIT);
	if (shape & SH_LEADER)
		buf_puts(&b, W_LEADER);
	if (shape & SH_Q)
		buf_puts(&b, W_Q);
	if (shape & SH_REVIEW)
		buf_puts(&b, W_REVIEW);
	if (shape & SH_DATED)
		buf_puts(&b, W_DATED[db_dialect(st)]);
	if (shape & SH_UNDATED)
		buf_puts(&b, W_UNDATED);
	if (!count) {
		int desc = (shape & SH_DESC) != 0;
		int selective = (shape & (SH_SCOPE | SH_UNIT | SH_LEADER | SH_REVIEW)) != 0;
		const char *order = sort == TASK_SORT_SEQ && selective ? ORDER_SEQ_SORTED[desc]
				    : sort == TASK_SORT_DEADLINE && (shape & SH_FEW)
					    ? ORDER_DEADLINE_SORTED[desc]
					    : ORDER[sort][desc];
		buf_puts(&b, order);
		buf_puts(&b, LIMIT);
		buf_puts(&b, LIST_OUTER_TAIL);
		buf_puts(&b, order);
	}
	struct dbq *q = stmt_prepare_text(st, b.p, "cannot prepare the task list", e);
	buf_release(&b);
	if (!q)
		return NULL;
	if (st->n_list_cache == LIST_CACHE) {
		/* Full: drop the oldest shape. */
		stmt_finalize(st->list_cache[0].st);
		memmove(&st->list_cache[0], &st->list_cache[1],
			(LIST_CACHE - 1) * sizeof st->list_cache[0]);
		st->n_list_cache--;
	}
	st->list_cache[st->n_list_cache].shape = shape;
	st->list_cache[st->n_list_cache].st = q;
	st->n_list_cache++;
	return q;
}

static void list_bind(struct dbq *q, int64_t campaign, int64_t scope,
		      const struct task_filter *f, int32_t today)
{
	bind_int64(q, 1, campaign);
	bind_int64(q, 2, scope);
	bind_int(q, 3, f->status);
	bind_int(q, 4, today);
	bind_int64(q, 5, f->area_id);
	bind_int64(q, 6, f->unit_id);
	bind_int64(q, 7, f->leader_id);
	if (f->q && *f->q)
		bind_text(q, 8, f->q);
	if (f->light >= 0 || f->overdue)
		bind_light_rule(q);
}

void task_row_from(struct dbq *q, struct task_row *r, struct arena *a, int32_t today)
{
	r->id = col_int64(q, 0);
	r->version = col_int64(q, 1);
	r->campaign_id = col_int64(q, 2);
	r->seq = col_int(q, 3);
	r->area = col_str(q, 4, a);
	r->label = col_str(q, 5, a);
	r->lead = col_str(q, 6, a);
	r->leader_id = col_id(q, 7);
	r->leader_name = col_str(q, 8, a);
	r->unit_id = col_id(q, 9);
	r->unit_name = col_str(q, 10, a);
	r->deadline_kind = (enum deadline_kind)col_int(q, 11);
	r->deadline = col_day(q, 12);
	r->status = (enum task_status)col_int(q, 13);
	r->last_activity = col_day(q, 14);
	r->review_due = col_day(q, 15);
	r->n_progress = col_int(q, 16);
	r->leader_text = col_str(q, 17, a);
	r->light = light_compute(r->status, task_assigned(r->leader_id, r->unit_id, r->deadline_kind),
				 r->deadline, r->last_activity, today);
}

void task_event_from(struct dbq *q, int first, struct task_event *v, struct arena *a)
{
	v->id = col_int64(q, first);
	v->action = col_str(q, first + 1, a);
	v->from = col_null(q, first + 2) ? TASK_STATUS__MAX
					 : (enum task_status)col_int(q, first + 2);
	v->to = (enum task_status)col_int(q, first + 3);
	v->actor_id = col_id(q, first + 4);
	v->actor = col_str(q, first + 5, a);
	v->reason = col_str(q, first + 6, a);
	v->at = col_str(q, first + 7, a);
	v->day = col_day(q, first + 8);
}

/* Add the rows of a prepared page query to out->rows. */
enum rc task_rows_collect(struct store *st, struct dbq *q, struct task_list *out,
			  int32_t today, struct err *e)
{
	VEC(struct task_row) v = {0};
	for (size_t i = 0; i < out->n; i++)
		*VEC_PUSH(v) = out->rows[i];
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW)
		task_row_from(q, VEC_PUSH(v), &out->arena, today);
	if (r != DB_DONE) {
		VEC_FREE(v);
		return store_dberr(st, e, "tasks");
	}
	VEC_TO_ARENA(v, &out->arena, out->rows, out->n);
	return RC_OK;
}

/* Rows [off, off + per) of the page query of shape into out->rows. */
static enum rc list_part(struct store *st, uint32_t shape, int64_t campaign, int64_t scope,
			 const struct task_filter *f, int32_t today, int per, int64_t off,
			 struct task_list *out, struct err *e)
{
	struct dbq *q = list_stmt(st, shape, e);
	if (!q)
		return RC_INTERNAL;
	list_bind(q, campaign, scope, f, today);
	bind_int(q, 9, per);
	bind_int64(q, 10, off);
	enum rc rc = task_rows_collect(st, q, out, today, e);
	stmt_reset(q);
	return rc;
}

/* The number of rows of the count query of shape (SH_COUNT set). */
static enum rc list_count(struct store *st, uint32_t shape, int64_t campaign, int64_t scope,
			  const struct task_filter *f, int32_t today, int64_t *n, struct err *e)
{
	struct dbq *q = list_stmt(st, shape, e);
	if (!q)
		return RC_INTERNAL;
	list_bind(q, campaign, scope, f, today);
	int r = stmt_step(st, q, e);
	*n = r == DB_ROW ? col_int64(q, 0) : 0;
	stmt_reset(q);
	return r == DB_ROW ? RC_OK : store_dberr(st, e, "tasks");
}

/*
 * A yellow or green page sorted by deadline: every such task has its
 * deadline today or later, or none, so the page is read from the dated
 * range (from today on) and, where that ends within or before the page,
 * the undated one -- instead of walking the index past every overdue and
 * closed task.  The undated part's offset needs the size of the dated one
 * only when the page begins after it.
 */
static enum rc list_from_today(struct store *st, uint32_t shape, int64_t campaign,
			       int64_t scope, const struct task_filter *f, int32_t today, int per,
			       int64_t off, struct task_list *out, struct err *e)
{
	enum rc rc = list_part(st, shape | SH_DATED, campaign, scope, f, today, per, off, out, e);
	if (rc || out->n == (size_t)per)
		return rc;
	int64_t undated_off = 0;
	if (!out->n && off > 0) {
		int64_t dated;
		uint32_t count = (shape & ~(SH_DESC | (7u << SH_SORT_SHIFT))) | SH_COUNT | SH_DATED;
		if ((rc = list_count(st, count, campaign, scope, f, today, &dated, e)))
			return rc;
		undated_off = off > dated ? off - dated : 0;
	}
	return list_part(st, shape | SH_UNDATED, campaign, scope, f, today, per - (int)out->n,
			 undated_off, out, e);
}

enum rc store_task_list(struct store *st, const struct who *w, const struct task_filter *f,
			int32_t today, struct task_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int per = f->per_page ? f->per_page : 50;
	if (f->page < 1 || per < 1 || per > TASK_PER_PAGE_MAX)
		return ERRC(e, RC_INVALID, STORE_E_PAGE,
			    "page must be 1 or more and per_page 1 to %d", TASK_PER_PAGE_MAX);
	if (f->status >= TASK_STATUS__MAX || f->status < -1 || f->light >= LIGHT__MAX ||
	    f->light < -1 || (unsigned)f->sort >= TASK_SORT__MAX)
		return ERRC(e, RC_INVALID, STORE_E_FILTER, "bad filter");
	if (f->q && strlen(f->q) > STORE_SEARCH_MAX)
		return ERRC(e, RC_INVALID, STORE_E_SEARCH,
			    "the search text is limited to %d bytes", STORE_SEARCH_MAX);
	int64_t campaign;
	enum rc rc = campaign_resolve(st, f->campaign_id, &campaign, e);
	if (rc) {
		stmts_reset(st);
		return rc;
	}
	int64_t scope = who_scope(w);
	uint32_t shape = 0;
	if (scope)
		shape |= SH_SCOPE;
	if (f->status >= 0)
		shape |= SH_STATUS;
	int light = f->overdue ? LIGHT_RED : f->light;
	if (light >= 0)
		shape |= (uint32_t)(light + 1) << SH_LIGHT_SHIFT;
	if (f->area_id)
		shape |= SH_AREA;
	if (f->unit_id)
		shape |= SH_UNIT;
	if (f->leader_id)
		shape |= SH_LEADER;
	if (f->q && *f->q)
		shape |= SH_Q;
	if (f->review_due)
		shape |= SH_REVIEW;
	/* The total: from the cache when nothing was written since. */
	uint64_t gen;
	if ((rc = generation_get(st, &gen, NULL, e))) {
		stmts_reset(st);
		return rc;
	}
	const char *qs = f->q && *f->q ? f->q : "";
	int cached = f->no_total;
	for (size_t i = 0; i < ARRAY_LEN(st->count_cache) && !cached; i++) {
		const struct count_entry *c = &st->count_cache[i];
		if (c->used && c->generation == gen && c->shape == shape &&
		    c->campaign == campaign && c->scope == scope && c->area == f->area_id &&
		    c->unit == f->unit_id && c->leader == f->leader_id && c->status == f->status &&
		    c->today == today && strcmp(c->q, qs) == 0) {
			out->total = c->total;
			cached = 1;
		}
	}
	if (!cached) {
		/* Filtered by nothing but the status (and the caller's scope):
		 * the dashboard's kept counts hold the total, and the campaign's
		 * tasks are not counted again after each write. */
		int64_t total;
		if ((shape & ~(uint32_t)(SH_SCOPE | SH_STATUS)) == 0)
			rc = stmt_int64(st, ST_KEPT_COUNT,
					ARGS(A_INT(campaign), A_INT(scope), A_INT(f->status), A_INT(-1)),
					0, &total, e);
		else
			rc = list_count(st, shape | SH_COUNT, campaign, scope, f, today, &total, e);
		if (rc) {
			stmts_reset(st);
			return rc;
		}
		out->total = total;
		struct count_entry *c =
			&st->count_cache[st->count_next++ % ARRAY_LEN(st->count_cache)];
		c->used = 1;
		c->generation = gen;
		c->shape = shape;
		c->campaign = campaign;
		c->scope = scope;
		c->area = f->area_id;
		c->unit = f->unit_id;
		c->leader = f->leader_id;
		c->status = f->status;
		c->today = today;
		snprintf(c->q, sizeof c->q, "%s", qs);
		c->total = out->total;
	}
	shape |= (uint32_t)f->sort << SH_SORT_SHIFT;
	if (f->desc)
		shape |= SH_DESC;
	if (f->sort == TASK_SORT_DEADLINE && (scope || f->unit_id)) {
		int64_t few = 0;
		int64_t unit = f->unit_id ? f->unit_id : scope;
		rc = stmt_int64(st, ST_KEPT_COUNT,
				ARGS(A_INT(campaign), A_INT(unit), A_INT(-1), A_INT(-1)), 0, &few, e);
		if (rc) {
			stmts_reset(st);
			return rc;
		}
		if (few <= LIST_FEW)
			shape |= SH_FEW;
	}
	int64_t off = (int64_t)(f->page - 1) * per;
	if ((light == LIGHT_YELLOW || light == LIGHT_GREEN) && f->sort == TASK_SORT_DEADLINE &&
	    !f->desc)
		rc = list_from_today(st, shape, campaign, scope, f, today, per, off, out, e);
	else
		rc = list_part(st, shape, campaign, scope, f, today, per, off, out, e);
	stmts_reset(st);
	if (rc)
		task_list_release(out);
	return rc;
}

void task_brief_list_release(struct task_brief_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

enum rc store_task_briefs(struct store *st, const struct who *w, const int64_t *ids, size_t n,
			  struct task_brief_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!n)
		return RC_OK;
	struct arena *a = &out->arena;
	out->v = arena_alloc(a, n * sizeof *out->v);
	out->n = n;
	int64_t scope = who_scope(w);
	struct buf b = BUF_INIT(0);
	int r = DB_DONE;
	for (size_t i = 0; i < n && r == DB_DONE; i++) {
		struct task_brief *x = &out->v[i];
		x->id = ids[i];
		x->problem = x->measures = x->progress = "";
		x->progress_day = STORE_NO_DAY;
		struct dbq *q;
		enum rc rc = stmt_query(st, ST_TASK_BRIEF_MEASURES,
				ARGS(A_INT(ids[i]), A_INT(scope)), &q, e);
		if (rc) {
			buf_release(&b);
			return rc;
		}
		buf_reset(&b);
		while ((r = stmt_step(st, q, e)) == DB_ROW) {
			if (!*x->problem)
				x->problem = col_str(q, 0, a);
			if (col_null(q, 2))
				continue;       /* a task with no measure */
			if (b.len)
				buf_putc(&b, '\n');
			const char *label = col_text(q, 1);
			if (label)
				buf_puts(&b, label);
			buf_puts(&b, col_text(q, 2));
		}
		stmt_reset(q);
		if (r != DB_DONE)
			break;
		x->measures = arena_strdup(a, b.p ? b.p : "");
		rc = stmt_query(st, ST_TASK_BRIEF_PROGRESS,
				ARGS(A_INT(ids[i]), A_INT(scope)), &q, e);
		if (rc) {
			buf_release(&b);
			return rc;
		}
		r = stmt_step(st, q, e);
		if (r == DB_ROW) {
			x->progress_day = col_day(q, 0);
			x->progress = col_str(q, 1, a);
			r = stmt_step(st, q, e);        /* LIMIT 1: done */
		}
		stmt_reset(q);
	}
	buf_release(&b);
	stmts_reset(st);
	if (r != DB_DONE) {
		task_brief_list_release(out);
		return stmt_failed(st);
	}
	return RC_OK;
}

/* ---- facts and detail ---------------------------------------------------------- */

enum rc task_facts_load(struct store *st, const struct who *w, int64_t id, int32_t today,
			struct task_facts *f, int64_t *version, struct err *e)
{
	memset(f, 0, sizeof *f);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_TASK_FACTS,
			ARGS(A_INT(id), A_INT(who_scope(w)), A_INT(w ? w->user_id : 0)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		f->status = (enum task_status)col_int(q, 0);
		f->leader_id = col_id(q, 1);
		f->unit_id = col_id(q, 2);
		f->deadline_kind = (enum deadline_kind)col_int(q, 3);
		f->has_evidence = col_int(q, 4) > 0;
		f->pending_extension = col_int(q, 5) > 0;
		f->review_due = col_day(q, 6);
		f->review_is_due = f->review_due != STORE_NO_DAY && f->review_due <= today;
		if (version)
			*version = col_int64(q, 7);
		f->unit_in_scope = col_int(q, 8);
		f->involved = col_int(q, 9);
	}
	stmt_reset(q);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_TASK, "no task %lld", (long long)id);
	if (r != DB_ROW)
		return store_dberr(st, e, "task");
	return RC_OK;
}

void task_release(struct task *t)
{
	arena_release(&t->arena);
	memset(t, 0, sizeof *t);
}

static enum rc detail_lists(struct store *st, struct task *t, struct err *e)
{
	struct arena *a = &t->arena;
	int r;
	/* Examples. */
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_NODE_EXAMPLES, ARGS(A_INT(t->problem_id)), &q, e);
	if (rc)
		return rc;
	VEC(const char *) ex = {0};
	while ((r = stmt_step(st, q, e)) == DB_ROW)
		*VEC_PUSH(ex) = col_str(q, 0, a);
	VEC_TO_ARENA(ex, a, t->examples, t->n_examples);
	if (r != DB_DONE)
		return stmt_failed(st);
	/* Measures. */
	rc = stmt_query(st, ST_TASK_MEASURES, ARGS(A_INT(t->id)), &q, e);
	if (rc)
		return rc;
	VEC(struct task_measure) ms = {0};
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct task_measure *m = VEC_PUSH(ms);
		m->node_id = col_int64(q, 0);
		m->label = col_str(q, 1, a);
		m->title = col_str(q, 2, a);
		m->text = col_str(q, 3, a);
	}
	VEC_TO_ARENA(ms, a, t->measures, t->n_measures);
	if (r != DB_DONE)
		return stmt_failed(st);
	/* Progress, then its evidence. */
	rc = stmt_query(st, ST_TASK_PROGRESS, ARGS(A_INT(t->id)), &q, e);
	if (rc)
		return rc;
	VEC(struct task_progress) pv = {0};
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct task_progress *p = VEC_PUSH(pv);
		p->id = col_int64(q, 0);
		p->day = col_day(q, 1);
		p->at = col_str(q, 2, a);
		p->author_id = col_id(q, 3);
		p->author = col_str(q, 4, a);
		p->text = col_str(q, 5, a);
	}
	if (r != DB_DONE) {
		VEC_FREE(pv);
		return stmt_failed(st);
	}
	rc = stmt_query(st, ST_TASK_EVIDENCE, ARGS(A_INT(t->id)), &q, e);
	if (rc) {
		VEC_FREE(pv);
		return rc;
	}
	struct evmeta {
		int64_t progress;
		struct evidence_meta m;
	};
	VEC(struct evmeta) ev = {0};
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct evmeta *x = VEC_PUSH(ev);
		x->m.id = col_int64(q, 0);
		x->progress = col_int64(q, 1);
		x->m.name = col_str(q, 2, a);
		x->m.mime = col_str(q, 3, a);
		x->m.size = col_int64(q, 4);
		snprintf(x->m.sha256, sizeof x->m.sha256, "%s",
			 col_text(q, 5));
	}
	if (r != DB_DONE) {
		VEC_FREE(ev);
		VEC_FREE(pv);
		return stmt_failed(st);
	}
	for (size_t i = 0; i < pv.n; i++) {
		size_t n = 0;
		for (size_t k = 0; k < ev.n; k++)
			n += ev.v[k].progress == pv.v[i].id;
		pv.v[i].evidence = arena_alloc(a, (n ? n : 1) * sizeof *pv.v[i].evidence);
		for (size_t k = 0; k < ev.n; k++)
			if (ev.v[k].progress == pv.v[i].id)
				pv.v[i].evidence[pv.v[i].n_evidence++] = ev.v[k].m;
	}
	VEC_FREE(ev);
	VEC_TO_ARENA(pv, a, t->progress, t->n_progress);
	/* Events; reviews are those by reviewers' actions. */
	rc = stmt_query(st, ST_TASK_EVENTS, ARGS(A_INT(t->id)), &q, e);
	if (rc)
		return rc;
	VEC(struct task_event) evs = {0};
	size_t n_rev = 0;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct task_event *x = VEC_PUSH(evs);
		task_event_from(q, 0, x, a);
		n_rev += task_event_is_review(x->action);
	}
	if (r != DB_DONE) {
		VEC_FREE(evs);
		return stmt_failed(st);
	}
	t->events = arena_alloc(a, (evs.n ? evs.n : 1) * sizeof *t->events);
	if (evs.n)
		memcpy(t->events, evs.v, evs.n * sizeof *evs.v);
	t->n_events = evs.n;
	t->reviews = arena_alloc(a, (n_rev ? n_rev : 1) * sizeof *t->reviews);
	for (size_t i = 0; i < evs.n; i++)
		if (task_event_is_review(evs.v[i].action))
			t->reviews[t->n_reviews++] = evs.v[i];
	VEC_FREE(evs);
	/* Extensions. */
	rc = stmt_query(st, ST_TASK_EXTENSIONS, ARGS(A_INT(t->id)), &q, e);
	if (rc)
		return rc;
	VEC(struct task_extension) xs = {0};
	static const char *const states[] = {"pending", "approved", "refused"};
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct task_extension *x = VEC_PUSH(xs);
		x->id = col_int64(q, 0);
		x->from_kind = (enum deadline_kind)col_int(q, 1);
		x->from_day = col_day(q, 2);
		x->to_day = col_day(q, 3);
		x->reason = col_str(q, 4, a);
		int s = col_int(q, 5);
		x->state = states[s >= 0 && s < 3 ? s : 0];
		x->requested_by = col_id(q, 6);
		x->decided_by = col_id(q, 7);
		x->requester = col_str(q, 8, a);
		x->decider = col_str(q, 9, a);
		x->note = col_str(q, 10, a);
		x->at = col_str(q, 11, a);
		x->decided_at = col_str(q, 12, a);
		x->day = col_day(q, 13);
	}
	VEC_TO_ARENA(xs, a, t->extensions, t->n_extensions);
	return r == DB_DONE ? RC_OK : stmt_failed(st);
}

enum rc store_task_get(struct store *st, const struct who *w, int64_t id, int32_t today,
		       struct task *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_TASK_GET,
			ARGS(A_INT(id), A_INT(who_scope(w)), A_INT(w ? w->user_id : 0)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r != DB_ROW) {
		stmts_reset(st);
		if (r == DB_DONE)
			return ERRC(e, RC_NOTFOUND, STORE_E_NO_TASK, "no task %lld", (long long)id);
		return store_dberr(st, e, "task");
	}
	struct task *t = out;
	struct arena *a = &t->arena;
	t->id = col_int64(q, 0);
	t->version = col_int64(q, 1);
	t->campaign_id = col_int64(q, 2);
	t->report_id = col_int64(q, 3);
	t->seq = col_int(q, 4);
	t->problem_id = col_int64(q, 5);
	t->area_id = col_id(q, 6);
	t->origin_id = col_id(q, 7);
	t->area = col_str(q, 8, a);
	t->label = col_str(q, 9, a);
	t->lead = col_str(q, 10, a);
	t->text = col_str(q, 11, a);
	t->goal = col_str(q, 12, a);
	t->leader_id = col_id(q, 13);
	t->leader_login = col_str(q, 14, a);
	t->leader_name = col_str(q, 15, a);
	t->unit_id = col_id(q, 16);
	t->unit_name = col_str(q, 17, a);
	t->deadline_kind = (enum deadline_kind)col_int(q, 18);
	t->deadline = col_day(q, 19);
	t->status = (enum task_status)col_int(q, 20);
	t->created = col_day(q, 21);
	t->last_activity = col_day(q, 22);
	t->closed_day = col_day(q, 23);
	t->review_due = col_day(q, 24);
	t->facts.status = t->status;
	t->facts.leader_id = t->leader_id;
	t->facts.unit_id = t->unit_id;
	t->facts.deadline_kind = t->deadline_kind;
	t->facts.has_evidence = col_int(q, 25) > 0;
	t->facts.pending_extension = col_int(q, 26) > 0;
	t->facts.review_due = t->review_due;
	t->facts.review_is_due = t->review_due != STORE_NO_DAY && t->review_due <= today;
	t->facts.unit_in_scope = col_int(q, 27);
	t->leader_text = col_str(q, 28, a);
	t->origin_seq = col_int(q, 29);
	t->origin_year = col_int(q, 30);
	t->carried_id = col_id(q, 31);
	t->carried_seq = col_int(q, 32);
	t->carried_year = col_int(q, 33);
	t->facts.involved = col_int(q, 34);
	stmt_reset(q);
	t->light = light_compute(t->status, task_assigned(t->leader_id, t->unit_id, t->deadline_kind),
				 t->deadline, t->last_activity, today);
	rc = detail_lists(st, t, e);
	stmts_reset(st);
	if (rc) {
		task_release(t);
		return rc;
	}
	for (int i = 0; i < TACT__MAX; i++)
		if (task_may(w, &t->facts, (enum task_action)i, NULL) == RC_OK)
			t->actions |= 1u << i;
	task_banners(t);
	return RC_OK;
}

/* ---- writes ---------------------------------------------------------------------- */

/* Load facts, check the rule and the version. */
enum rc task_begin(struct store *st, int64_t id, int64_t version, enum task_action a,
		   int32_t today, struct task_facts *f, struct err *e)
{
	int64_t cur;
	enum rc rc = task_facts_load(st, st->tx_who, id, today, f, &cur, e);
	if (rc)
		return rc;
	if ((rc = task_may(st->tx_who, f, a, e)))
		return rc;
	if (cur != version)
		return ERRC(e, RC_CONFLICT, STORE_E_STALE,
			    "task %lld was changed by someone else (version %lld, "
			    "you had %lld); reload it and try again (rule W15)",
			    (long long)id, (long long)cur, (long long)version);
	return RC_OK;
}

/* The audited UPDATE … AND version = ? of task id: 0 rows changed is a race
 * lost after the check, reported the same way. */
static enum rc task_write(struct store *st, int64_t id, const char *action, enum stmt s,
			  const struct arg *args, struct err *e)
{
	int64_t changed;
	enum rc rc = audited_write(st, ENT_TASK, id, action, s, args, &changed, e);
	if (!rc && changed != 1)
		return ERRC(e, RC_CONFLICT, STORE_E_STALE,
			    "task %lld was changed by someone else; reload it", (long long)id);
	return rc;
}

enum rc task_new_version(struct store *st, int64_t id, int64_t *out, struct err *e)
{
	int64_t v;
	enum rc rc = stmt_int64(st, ST_TASK_VERSION, ARGS(A_INT(id)), -1, &v, e);
	if (rc)
		return rc;
	if (v < 0)
		return ERR(e, RC_INTERNAL, "task %lld vanished", (long long)id);
	if (out)
		*out = v;
	return RC_OK;
}

/* The checks of an assignment that need no database (store_task_assign,
 * store_task_bulk). */
enum rc task_assign_check(const struct task_assign *a, struct err *e)
{
	if ((unsigned)a->deadline_kind >= DEADLINE__MAX)
		return ERRC(e, RC_INVALID, STORE_E_ASSIGN, "bad deadline kind");
	if (a->deadline_kind == DEADLINE_DATE && !store_day_valid(a->deadline))
		return ERRC(e, RC_INVALID, STORE_E_DATE,
			    "a dated deadline needs its date (1900 to 9999)");
	if (a->leader_id < -1 || a->unit_id < -1)
		return ERRC(e, RC_INVALID, STORE_E_ASSIGN,
			    "a leader or unit is an id, 0 to keep it or -1 to clear it");
	if (!a->leader_id && !a->unit_id && a->deadline_kind == DEADLINE_NONE && !a->goal &&
	    !a->set_measures)
		return ERRC(e, RC_INVALID, STORE_E_NOTHING_TO_ASSIGN, "nothing to assign");
	if (a->goal && (strlen(a->goal) > STORE_TEXT_MAX ||
			!text_utf8_valid(a->goal, strlen(a->goal), NULL)))
		return ERRC(e, RC_INVALID, STORE_E_GOAL,
			    "the goal must be at most %d bytes of UTF-8", STORE_TEXT_MAX);
	if (a->set_measures && a->n_measures > TASK_MEASURES_MAX)
		return ERRC(e, RC_INVALID, STORE_E_MEASURES, "at most %d measures per task",
			    TASK_MEASURES_MAX);
	return RC_OK;
}

/* One assignment inside the caller's transaction: the rule, the version,
 * the row, its audit row and event, the notifications. */
enum rc task_assign_one(struct store *st, int64_t id, int64_t version, const struct task_assign *a,
			int32_t today, int64_t *new_version, struct err *e)
{
	struct task_facts f;
	enum rc rc = task_begin(st, id, version, TACT_ASSIGN, today, &f, e);
	if (rc)
		return rc;
	if (a->leader_id > 0) {
		struct dbq *q;
		rc = stmt_query(st, ST_USER_ROLE, ARGS(A_INT(a->leader_id)), &q, e);
		if (rc)
			return rc;
		int r = stmt_step(st, q, e);
		int ok = r == DB_ROW && col_int(q, 0) == ROLE_LEADER &&
			 col_int(q, 1) == 1;
		stmt_reset(q);
		if (r != DB_ROW && r != DB_DONE)
			return stmt_failed(st);
		if (!ok)
			return ERRC(e, RC_INVALID, STORE_E_NOT_LEADER,
				    "user %lld is not an active leader (责任领导)",
				    (long long)a->leader_id);
	}
	if (a->unit_id > 0) {
		int ok;
		if ((rc = stmt_exists(st, ST_UNIT_GET, ARGS(A_INT(a->unit_id)), &ok, e)))
			return rc;
		if (!ok)
			return ERRC(e, RC_INVALID, STORE_E_NO_UNIT, "no unit %lld",
				    (long long)a->unit_id);
	}
	int32_t deadline = STORE_NO_DAY;
	if (a->deadline_kind != DEADLINE_NONE) {
		if (f.deadline_kind != DEADLINE_NONE)
			return ERRC(e, RC_CONFLICT, STORE_E_W9_DEADLINE,
				    "rule W9: the deadline is set; it moves only "
				    "through an extension request (延期申请) approved by a "
				    "reviewer");
		if (a->deadline_kind == DEADLINE_DATE) {
			deadline = a->deadline; /* checked by task_assign_check() */
		} else if (a->deadline_kind == DEADLINE_IMMEDIATE) {
			deadline = today +
				   (int32_t)store_setting_value(st, SETTING_IMMEDIATE_DAYS);
		}
	}
	if (a->set_measures) {
		for (size_t i = 0; i < a->n_measures; i++) {
			int ok;
			if ((rc = stmt_exists(st, ST_MEASURE_CHECK, ARGS(A_INT(a->measure_ids[i])), &ok,
					      e)))
				return rc;
			if (!ok)
				return ERRC(e, RC_INVALID, STORE_E_NOT_MEASURE,
					    "node %lld is not a measure",
					    (long long)a->measure_ids[i]);
		}
	}
	/* The task's row and its measures between one image and one audit row. */
	char *before;
	if ((rc = audit_image(st, ENT_TASK, id, &before, e)))
		return rc;
	rc = stmt_run(st, ST_TASK_ASSIGN,
		      ARGS(A_INT(id), A_INT(version),
			   A_INT(a->leader_id),         /* 0 keep, -1 clear */
			   A_INT(a->unit_id), A_TEXT(a->goal), /* NULL keep */
			   A_INT(a->deadline_kind),     /* 0 keep */
			   A_DAY(deadline), A_TEXT(st->tx_at)),
		      e);
	if (!rc && db_changes(st) != 1)
		rc = ERRC(e, RC_CONFLICT, STORE_E_STALE,
			  "task %lld was changed by someone else; reload it", (long long)id);
	if (!rc && a->set_measures) {
		rc = stmt_run(st, ST_TASK_MEASURES_CLEAR, ARGS(A_INT(id)), e);
		for (size_t i = 0; i < a->n_measures && !rc; i++)
			rc = stmt_run(st, ST_TASK_MEASURE_ADD,
				      ARGS(A_INT(id), A_INT(a->measure_ids[i])), e);
	}
	if (rc) {
		free(before);
		return rc;
	}
	if ((rc = audit_change(st, "assign", ENT_TASK, id, before, e)))
		return rc;
	if ((rc = event_add(st, id, "assign", (int)f.status, f.status, NULL, today, e)))
		return rc;
	if ((a->leader_id > 0 || a->unit_id > 0) &&
	    (rc = notify_task(st, id, NOTE_ASSIGNED, NULL, today, e)))
		return rc;
	return task_new_version(st, id, new_version, e);
}

struct assign_arg {
	int64_t id, version;
	const struct task_assign *a;
	int32_t today;
	int64_t new_version;
};

static enum rc assign_tx(struct store *st, void *arg, struct err *e)
{
	struct assign_arg *x = arg;
	return task_assign_one(st, x->id, x->version, x->a, x->today, &x->new_version, e);
}

enum rc store_task_assign(struct store *st, const struct who *w, int64_t id, int64_t version,
			  const struct task_assign *a, int32_t today, int64_t *new_version,
			  struct err *e)
{
	enum rc rc = task_assign_check(a, e);
	if (rc)
		return rc;
	struct assign_arg x = {id, version, a, today, 0};
	rc = store_tx(st, w, assign_tx, &x, e);
	if (!rc && new_version)
		*new_version = x.new_version;
	return rc;
}

/* ---- evidence in ------------------------------------------------------------------- */

/*
 * The name an evidence file is kept under, for the web and the command line
 * alike: the caller's, of 1 to EVIDENCE_NAME_MAX bytes of UTF-8 with no
 * control character (C0 or C1) and no path separator, with the Unicode
 * format characters removed (text_is_format: a right-to-left override
 * would show "报告<U+202E>fdp.exe" as 报告exe.pdf; removed, the real
 * extension shows).  NULL, with the refusal in e, when it is no such name.
 */
static char *evidence_name(const char *name, struct err *e)
{
	size_t len = name ? strlen(name) : 0;
	if (len == 0 || len > EVIDENCE_NAME_MAX || !text_utf8_valid(name, len, NULL)) {
		ERRC(e, RC_INVALID, STORE_E_EVIDENCE_NAME,
		     "an evidence file needs a name of 1 to %d bytes of UTF-8", EVIDENCE_NAME_MAX);
		return NULL;
	}
	char *out = xstrdup(name);
	len = text_strip_format(out, len);
	for (size_t k = 0; k < len;) {
		uint32_t cp;
		int l = text_utf8_next(out + k, len - k, &cp);
		if (cp < 0x20 || cp == '/' || cp == '\\' || (cp >= 0x7f && cp <= 0x9f)) {
			ERRC(e, RC_INVALID, STORE_E_EVIDENCE_NAME,
			     "the evidence name '%s' holds a path separator or a control character",
			     out);
			free(out);
			return NULL;
		}
		k += (size_t)l;
	}
	if (len == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0) {
		ERRC(e, RC_INVALID, STORE_E_EVIDENCE_NAME, "'%s' is not a file name", out);
		free(out);
		return NULL;
	}
	return out;
}

enum rc evidence_check(const struct evidence_in *ev, size_t n, struct err *e)
{
	if (n > EVIDENCE_MAX_FILES)
		return ERRC(e, RC_TOOBIG, STORE_E_EVIDENCE_COUNT,
			    "at most %d evidence files at once", EVIDENCE_MAX_FILES);
	for (size_t i = 0; i < n; i++) {
		char *kept = evidence_name(ev[i].name, e);
		if (!kept)
			return RC_INVALID;
		free(kept);
		const char *name = ev[i].name;
		const char *m = ev[i].mime;
		if (m) {
			size_t ml = strlen(m);
			if (ml == 0 || ml > 127)
				return ERRC(e, RC_INVALID, STORE_E_EVIDENCE_TYPE,
					    "bad MIME type for %s", name);
			for (size_t k = 0; k < ml; k++)
				if (m[k] <= 0x20 || m[k] >= 0x7f)
					return ERRC(e, RC_INVALID, STORE_E_EVIDENCE_TYPE,
						    "bad MIME type for %s", name);
		}
		if (ev[i].fd < 0 && !ev[i].path)
			return ERRC(e, RC_INVALID, STORE_E_EVIDENCE_FILE,
				    "evidence %s has neither a file nor a path", name);
	}
	return RC_OK;
}

enum rc evidence_store(struct store *st, const struct evidence_in *ev, int64_t progress_id,
		       int64_t activity_id, int64_t *id, struct err *e)
{
	int fd = ev->fd;
	int own = 0;
	if (fd < 0) {
		fd = open(ev->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return ERR(e, RC_IO, "cannot open %s: %s", ev->path, strerror(errno));
		own = 1;
	}
	enum rc rc = RC_OK;
	struct stat sb;
	off_t start = lseek(fd, 0, SEEK_CUR);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || start < 0) {
		rc = ERRC(e, RC_INVALID, STORE_E_EVIDENCE_FILE, "evidence %s is not a regular file",
			  ev->name);
		goto out;
	}
	int64_t size = (int64_t)sb.st_size - (int64_t)start;
	if (size <= 0) {
		/* An empty file proves nothing, and one would satisfy rule W4. */
		rc = ERRC(e, RC_INVALID, STORE_E_EVIDENCE_EMPTY, "evidence %s is empty", ev->name);
		goto out;
	}
	if (size > (int64_t)EVIDENCE_MAX_BYTES) {
		rc = ERRC(e, RC_TOOBIG, STORE_E_EVIDENCE_BIG,
			  "evidence %s has %lld bytes; the limit is %u MiB", ev->name,
			  (long long)size, EVIDENCE_MAX_BYTES >> 20);
		goto out;
	}
	char *name = evidence_name(ev->name, e);
	if (!name) {
		rc = RC_INVALID;
		goto out;
	}
	struct dbq *q;
	rc = stmt_query(st, ST_EVIDENCE_INSERT,
			ARGS(A_ID(progress_id), A_ID(activity_id), A_TEXT(name)), &q, e);
	if (rc) {
		free(name);
		goto out;
	}
	free(name);
	bind_text(q, 4, ev->mime ? ev->mime : "application/octet-stream");
	bind_int64(q, 5, size);
	bind_int64(q, 6, size);
	if ((rc = stmt_done(st, q, e)))
		goto out;
	*id = db_last_id(st);
	struct ev_blob *b = ev_blob_open(st, *id, true);
	if (!b) {
		rc = store_dberr(st, e, "evidence");
		goto out;
	}
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	unsigned char *chunk = xmalloc(65536);
	int64_t done = 0;
	while (done < size) {
		size_t want = size - done > 65536 ? 65536 : (size_t)(size - done);
		/* pread: the file position never moves, so a transaction that
		 * store_tx() runs again reads the same bytes. */
		ssize_t got = pread(fd, chunk, want, (off_t)(start + done));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			rc = ERR(e, RC_IO, "evidence %s: the file shrank while it was read",
				 ev->name);
			break;
		}
		crypto_hash_sha256_update(&h, chunk, (unsigned long long)got);
		if (!ev_blob_write(b, chunk, (size_t)got, done)) {
			rc = store_dberr(st, e, "evidence");
			break;
		}
		done += got;
	}
	free(chunk);
	ev_blob_close(b);
	if (rc)
		goto out;
	unsigned char bin[32];
	char hex[65];
	crypto_hash_sha256_final(&h, bin);
	sodium_bin2hex(hex, sizeof hex, bin, sizeof bin);
	rc = stmt_query(st, ST_EVIDENCE_SET_SHA, ARGS(A_INT(*id), A_TEXT(hex)), &q, e);
	if (rc)
		goto out;
	if ((rc = stmt_done(st, q, e)))
		goto out;
	rc = audit_insert(st, "evidence", ENT_EVIDENCE, *id, e);
out:
	if (own)
		close(fd);
	return rc;
}

struct progress_arg {
	int64_t id, version;
	const char *text;
	const struct evidence_in *ev;
	size_t n_ev;
	int32_t today;
	int64_t progress_id, new_version;
};

static enum rc progress_tx(struct store *st, void *arg, struct err *e)
{
	struct progress_arg *x = arg;
	struct task_facts f;
	enum rc rc = task_begin(st, x->id, x->version, TACT_PROGRESS, x->today, &f, e);
	if (rc)
		return rc;
	struct dbq *q;
	rc = stmt_query(st, ST_PROGRESS_INSERT,
			ARGS(A_INT(x->id), A_INT(x->today), A_TEXT(st->tx_at),
			     A_ID(st->tx_who->user_id), A_TEXT(x->text)), &q, e);
	if (rc)
		return rc;
	if ((rc = stmt_done(st, q, e)))
		return rc;
	x->progress_id = db_last_id(st);
	if ((rc = audit_insert(st, "progress", ENT_PROGRESS, x->progress_id, e)))
		return rc;
	for (size_t i = 0; i < x->n_ev; i++) {
		int64_t eid;
		if ((rc = evidence_store(st, &x->ev[i], x->progress_id, 0, &eid, e)))
			return rc;
	}
	enum task_status to = f.status == TASK_NOT_STARTED ? TASK_IN_PROGRESS : f.status;
	if ((rc = task_write(st, x->id, "progress", ST_TASK_PROGRESSED,
			     ARGS(A_INT(x->id), A_INT(x->version), A_INT(to), A_INT(x->today),
				  A_INT(x->n_ev), A_TEXT(st->tx_at)),
			     e)))
		return rc;
	if (to != f.status &&
	    (rc = event_add(st, x->id, "progress", (int)f.status, to, NULL, x->today, e)))
		return rc;
	if ((rc = notify_task(st, x->id, NOTE_PROGRESS, NULL, x->today, e)))
		return rc;
	return task_new_version(st, x->id, &x->new_version, e);
}

enum rc store_task_progress(struct store *st, const struct who *w, int64_t id,
			    int64_t version, const char *text, const struct evidence_in *ev,
			    size_t n_ev, int32_t today, int64_t *progress_id,
			    int64_t *new_version, struct err *e)
{
	size_t n = text ? strlen(text) : 0;
	if (n == 0 || n > STORE_TEXT_MAX || !text_utf8_valid(text, n, NULL))
		return ERRC(e, RC_INVALID, STORE_E_PROGRESS_TEXT,
			    "a progress entry needs a text of 1 to %d bytes of UTF-8",
			    STORE_TEXT_MAX);
	enum rc rc = evidence_check(ev, n_ev, e);
	if (rc)
		return rc;
	struct progress_arg x = {id, version, text, ev, n_ev, today, 0, 0};
	rc = store_tx(st, w, progress_tx, &x, e);
	if (!rc) {
		if (progress_id)
			*progress_id = x.progress_id;
		if (new_version)
			*new_version = x.new_version;
	}
	return rc;
}

/* ---- status actions --------------------------------------------------------------- */

struct act_arg {
	int64_t id, version;
	enum task_action a;
	const char *reason;
	int32_t today;
	int64_t new_version;
};

static enum rc act_tx(struct store *st, void *arg, struct err *e)
{
	struct act_arg *x = arg;
	struct task_facts f;
	enum rc rc = task_begin(st, x->id, x->version, x->a, x->today, &f, e);
	if (rc)
		return rc;
	int months = (int)store_setting_value(st, SETTING_REVIEW_MONTHS);
	enum task_status to = f.status;
	/* review_due: a 回头看 is pending only while the task is closed or
	 * staged; every other status clears it. */
	int32_t closed = STORE_NO_DAY, due = STORE_NO_DAY;
	int set_closed = 0;
	switch (x->a) {
	case TACT_SUBMIT:
		to = TASK_SUBMITTED;
		break;
	case TACT_APPROVE:
		to = TASK_CLOSED;
		closed = x->today;
		set_closed = 1;
		due = store_day_add_months(x->today, months);
		break;
	case TACT_RETURN:
		to = TASK_IN_PROGRESS;
		break;
	case TACT_STAGE:
		to = TASK_STAGED;
		due = store_day_add_months(x->today, months);
		break;
	case TACT_REOPEN:
		to = TASK_IN_PROGRESS;
		set_closed = 1;
		break;
	case TACT_CONFIRM:
		due = f.status == TASK_STAGED ? store_day_add_months(x->today, months)
					      : STORE_NO_DAY;
		break;
	default:
		return ERRC(e, RC_INVALID, STORE_E_ACTION, "not a status action");
	}
	const char *name = task_action_name(x->a);
	if ((rc = task_write(st, x->id, name, ST_TASK_SET_STATUS,
			     ARGS(A_INT(x->id), A_INT(x->version), A_INT(to), A_INT(set_closed),
				  A_DAY(closed), A_DAY(due), A_TEXT(st->tx_at)),
			     e)))
		return rc;
	if ((rc = event_add(st, x->id, name, (int)f.status, to, x->reason, x->today, e)))
		return rc;
	if ((rc = notify_task(st, x->id, note_of_action(x->a), x->reason, x->today, e)))
		return rc;
	return task_new_version(st, x->id, &x->new_version, e);
}

int reason_ok(const char *r)
{
	if (!r)
		return 0;
	size_t n = strlen(r);
	if (n > STORE_NOTE_MAX || !text_utf8_valid(r, n, NULL))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (r[i] != ' ' && r[i] != '\t' && r[i] != '\n')
			return 1;
	return 0;
}

enum rc store_task_act(struct store *st, const struct who *w, int64_t id, int64_t version,
		       enum task_action a, const char *reason, int32_t today,
		       int64_t *new_version, struct err *e)
{
	if (a != TACT_SUBMIT && a != TACT_APPROVE && a != TACT_RETURN && a != TACT_REOPEN &&
	    a != TACT_STAGE && a != TACT_CONFIRM)
		return ERRC(e, RC_INVALID, STORE_E_ACTION, "'%s' is not a status action",
			    task_action_name(a));
	if ((a == TACT_RETURN || a == TACT_REOPEN) && !reason_ok(reason))
		return ERRC(e, RC_INVALID, STORE_E_W8_REASON,
			    "rule W8: %s needs a reason (at most %d bytes)",
			    task_action_label(a), STORE_NOTE_MAX);
	if (reason && !text_utf8_valid(reason, strlen(reason), NULL))
		return ERRC(e, RC_INVALID, STORE_E_NOTE, "the note must be UTF-8");
	if (reason && strlen(reason) > STORE_NOTE_MAX)
		return ERRC(e, RC_INVALID, STORE_E_NOTE, "the note is limited to %d bytes",
			    STORE_NOTE_MAX);
	struct act_arg x = {id, version, a, reason, today, 0};
	enum rc rc = store_tx(st, w, act_tx, &x, e);
	if (!rc && new_version)
		*new_version = x.new_version;
	return rc;
}

/* ---- extensions ----------------------------------------------------------------- */

struct extend_arg {
	int64_t id, version, ext_id;
	int32_t to;
	const char *reason;
	int approve;
	int32_t today;
	int64_t new_version;
};

/* Bump the task's version for a change that is not in its own columns. */
enum rc task_touch(struct store *st, int64_t id, int64_t version, const char *action,
		   struct err *e)
{
	return task_write(st, id, action, ST_TASK_TOUCH,
			  ARGS(A_INT(id), A_INT(version), A_TEXT(st->tx_at)), e);
}

static enum rc extend_tx(struct store *st, void *arg, struct err *e)
{
	struct extend_arg *x = arg;
	struct task_facts f;
	enum rc rc = task_begin(st, x->id, x->version, TACT_EXTEND, x->today, &f, e);
	if (rc)
		return rc;
	int64_t cur;
	if ((rc = stmt_int64(st, ST_TASK_DEADLINE, ARGS(A_INT(x->id)), STORE_NO_DAY, &cur, e)))
		return rc;
	if (x->to <= x->today)
		return ERRC(e, RC_INVALID, STORE_E_W10_TODAY,
			    "rule W10: the new deadline must be after today");
	if (cur != STORE_NO_DAY && x->to <= cur)
		return ERRC(e, RC_INVALID, STORE_E_W10_EARLIER,
			    "rule W10: the new deadline must be after the current "
			    "one");
	struct dbq *q;
	rc = stmt_query(st, ST_EXTENSION_INSERT,
			ARGS(A_INT(x->id), A_INT((int)f.deadline_kind), A_DAY(cur), A_INT(x->to),
			     A_TEXT(x->reason), A_ID(st->tx_who->user_id),
			     A_TEXT(st->tx_at)), &q, e);
	if (rc)
		return rc;
	if ((rc = stmt_done(st, q, e)))
		return rc;
	x->ext_id = db_last_id(st);
	if ((rc = audit_insert(st, "extend", ENT_EXTENSION, x->ext_id, e)))
		return rc;
	if ((rc = task_touch(st, x->id, x->version, "extend", e)))
		return rc;
	char d[11];
	store_day_format(x->to, d);
	char *why = xasprintf("→ %s: %s", d, x->reason);
	rc = event_add(st, x->id, "extend", (int)f.status, f.status, why, x->today, e);
	if (!rc)
		rc = notify_task(st, x->id, NOTE_EXT_REQUESTED, why, x->today, e);
	free(why);
	if (rc)
		return rc;
	return task_new_version(st, x->id, &x->new_version, e);
}

enum rc store_task_extend(struct store *st, const struct who *w, int64_t id, int64_t version,
			  int32_t to, const char *reason, int32_t today, int64_t *ext_id,
			  int64_t *new_version, struct err *e)
{
	if (!reason_ok(reason))
		return ERRC(e, RC_INVALID, STORE_E_W10_REASON,
			    "rule W10: an extension request needs a reason (at most %d bytes)",
			    STORE_NOTE_MAX);
	if (!store_day_valid(to))
		return ERRC(e, RC_INVALID, STORE_E_DATE,
			    "an extension needs the new date (1900 to 9999)");
	struct extend_arg x = {id, version, 0, to, reason, 0, today, 0};
	enum rc rc = store_tx(st, w, extend_tx, &x, e);
	if (!rc) {
		if (ext_id)
			*ext_id = x.ext_id;
		if (new_version)
			*new_version = x.new_version;
	}
	return rc;
}

static enum rc decide_tx(struct store *st, void *arg, struct err *e)
{
	struct extend_arg *x = arg;
	struct task_facts f;
	enum rc rc = task_begin(st, x->id, x->version, TACT_EXTEND_DECIDE, x->today, &f, e);
	if (rc)
		return rc;
	struct dbq *q;
	rc = stmt_query(st, ST_EXTENSION_PENDING, ARGS(A_INT(x->id)), &q, e);
	if (rc)
		return rc;
	int64_t ext = 0;
	int32_t to = STORE_NO_DAY;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		ext = col_int64(q, 0);
		to = col_day(q, 1);
	}
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return stmt_failed(st);
	if (!ext || (x->ext_id && x->ext_id != ext))
		return ERRC(e, RC_NOTFOUND, STORE_E_W11_NONE,
			    "no pending extension request %lld on task %lld", (long long)x->ext_id,
			    (long long)x->id);
	const char *action = x->approve ? "extend-approve" : "extend-refuse";
	if ((rc = audited_write(st, ENT_EXTENSION, ext, action, ST_EXTENSION_DECIDE,
				ARGS(A_INT(ext), A_INT(x->approve ? 1 : 2),
				     A_ID(st->tx_who->user_id), A_TEXT(x->reason ? x->reason : ""),
				     A_TEXT(st->tx_at)),
				NULL, e)))
		return rc;
	if (x->approve) {
		rc = task_write(st, x->id, action, ST_TASK_SET_DEADLINE,
				ARGS(A_INT(x->id), A_INT(x->version), A_INT(to), A_TEXT(st->tx_at)),
				e);
	} else {
		rc = task_touch(st, x->id, x->version, action, e);
	}
	if (rc)
		return rc;
	if ((rc = event_add(st, x->id, action, (int)f.status, f.status, x->reason, x->today, e)))
		return rc;
	if ((rc = notify_task(st, x->id, x->approve ? NOTE_EXT_APPROVED : NOTE_EXT_REFUSED,
			      x->reason, x->today, e)))
		return rc;
	return task_new_version(st, x->id, &x->new_version, e);
}

enum rc store_task_extend_decide(struct store *st, const struct who *w, int64_t id,
				 int64_t version, int64_t ext_id, int approve, const char *note,
				 int32_t today, int64_t *new_version, struct err *e)
{
	if (note && (strlen(note) > STORE_NOTE_MAX || !text_utf8_valid(note, strlen(note), NULL)))
		return ERRC(e, RC_INVALID, STORE_E_NOTE,
			    "the note must be at most %d bytes of UTF-8", STORE_NOTE_MAX);
	struct extend_arg x = {id, version, ext_id, STORE_NO_DAY, note, approve, today, 0};
	enum rc rc = store_tx(st, w, decide_tx, &x, e);
	if (!rc && new_version)
		*new_version = x.new_version;
	return rc;
}

/* ---- evidence out ---------------------------------------------------------------- */

enum rc store_evidence_meta(struct store *st, const struct who *w, int64_t id,
			    struct evidence_meta *out, struct arena *arena, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_EVIDENCE_META, ARGS(A_INT(id), A_INT(who_scope(w))), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		out->id = col_int64(q, 0);
		out->name = col_str(q, 1, arena);
		out->mime = col_str(q, 2, arena);
		out->size = col_int64(q, 3);
		snprintf(out->sha256, sizeof out->sha256, "%s",
			 col_text(q, 4));
	}
	stmts_reset(st);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_EVIDENCE, "no evidence %lld", (long long)id);
	if (r != DB_ROW)
		return store_dberr(st, e, "evidence");
	return RC_OK;
}

enum rc store_evidence_read(struct store *st, const struct who *w, int64_t id, uint64_t offset,
			    void *buf, size_t n, size_t *got, struct err *e)
{
	*got = 0;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_EVIDENCE_META, ARGS(A_INT(id), A_INT(who_scope(w))), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	stmts_reset(st);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_EVIDENCE, "no evidence %lld", (long long)id);
	if (r != DB_ROW)
		return store_dberr(st, e, "evidence");
	struct ev_blob *b = ev_blob_open(st, id, false);
	if (!b) {
		return store_dberr(st, e, "evidence");
	}
	uint64_t size = (uint64_t)ev_blob_size(b);
	rc = RC_OK;
	if (offset < size) {
		size_t k = size - offset < n ? (size_t)(size - offset) : n;
		if (k > INT32_MAX)
			k = INT32_MAX;
		if (!ev_blob_read(b, buf, k, (int64_t)offset))
			rc = store_dberr(st, e, "evidence");
		else
			*got = k;
	}
	ev_blob_close(b);
	return rc;
}
