/*
 * store_export.c -- what the exports read: the task iterator (a task row
 * with its measures, progress and status changes, read beside the tasks in
 * 序号 order) and the campaign's status history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

/* ---- exports ---------------------------------------------------------------------- */

/*
 * A statement that walks the rows of a campaign's tasks in 序号 order (in
 * its column seq_col), read beside the tasks: seek(seq) steps past the rows of
 * lower 序号 and says whether the current row belongs to task seq.  A step
 * that fails is an error, never the end of the rows.
 */
struct side {
	struct dbq *q;
	int seq_col;
	int row;                        /* q holds a row */
	int done;                       /* q returned DB_DONE */
};

static enum rc side_step(struct store *st, struct side *s, struct err *e)
{
	int r = stmt_step(st, s->q, e);
	s->row = r == DB_ROW;
	s->done = r == DB_DONE;
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
		int k = col_int(s->q, s->seq_col);
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
	struct dbq *q;                /* private: survives other calls */
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
	struct dbq *q;
	enum rc rc = stmt_query(it->st, ST_EXPORT_HANDLERS, ARGS(A_INT(ROLE_HANDLER)), &q, e);
	if (rc)
		return rc;
	VEC(struct unit_handlers) v = {0};
	struct buf b = BUF_INIT(0);
	int r;
	while ((r = stmt_step(it->st, q, e)) == DB_ROW) {
		int64_t unit = col_int64(q, 0);
		if (!v.n || v.v[v.n - 1].unit_id != unit) {
			if (v.n)
				v.v[v.n - 1].names = arena_strndup(&it->keep, b.p, b.len);
			buf_reset(&b);
			VEC_PUSH(v)->unit_id = unit;
		}
		if (b.len)
			buf_puts(&b, "、");
		buf_puts(&b, col_text(q, 1));
	}
	if (v.n)
		v.v[v.n - 1].names = arena_strndup(&it->keep, b.p ? b.p : "", b.len);
	buf_release(&b);
	stmt_reset(q);
	if (r != DB_DONE) {
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
	bind_int64(it->q, 1, campaign);
	bind_int64(it->q, 2, who_scope(w));
	bind_int(it->q, 3, TASK_CARRIED);
	for (int k = 0; k < SIDE__MAX; k++) {
		bind_int64(it->side[k].q, 1, campaign);
		bind_int64(it->side[k].q, 2, who_scope(w));
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
		const char *label = col_text(s->q, 1);
		if (label && *label)
			buf_puts(b, label);
		buf_puts(b, col_text(s->q, 2));
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
		buf_puts(b, col_text(s->q, 2));
		s->row = 0;
	}
}

/* From the events of task seq (ST_EVENT_LIST's columns): when it was last
 * closed (as its 办理记录 says it: store_day_time), and the reviewers'
 * latest decision. */
static enum rc row_events(struct task_iter *it, struct export_row *x, struct err *e)
{
	struct side *s = &it->side[SIDE_EVENTS];
	const char *closed = NULL;
	int32_t closed_day = STORE_NO_DAY;
	struct arena *a = &it->arena;
	x->review = NULL;
	for (;;) {
		int at;
		enum rc rc = side_seek(it->st, s, x->seq, &at, e);
		if (rc)
			return rc;
		if (!at)
			break;
		struct dbq *q = s->q;
		const char *action = col_text(q, 3);
		if (col_int(q, 5) == TASK_CLOSED) {
			closed = col_str(q, 9, a);
			closed_day = col_day(q, 10);
		}
		if (task_event_is_review(action)) {
			task_event_from(q, 2, &it->review, a);
			x->review = &it->review;
		}
		s->row = 0;
	}
	x->closed_at = "";
	if (closed && x->status == TASK_CLOSED) {
		char t[32];
		store_day_time(closed_day, closed, it->today, t, sizeof t);
		x->closed_at = arena_strdup(a, t);
	}
	return RC_OK;
}

/* Column i of q as text, "" for NULL; valid until q's next step. */
static const char *col_text_or_empty(struct dbq *q, int i)
{
	const char *s = col_text(q, i);
	return s ? s : "";
}

enum rc store_task_iter_next(struct task_iter *it, const struct export_row **row, struct err *e)
{
	*row = NULL;
	arena_release(&it->arena);
	int r = stmt_step(it->st, it->q, e);
	if (r == DB_DONE)
		return RC_OK;
	if (r != DB_ROW)
		return stmt_failed(it->st);
	struct dbq *q = it->q;
	struct export_row *x = &it->row;
	memset(x, 0, sizeof *x);
	x->task_id = col_int64(q, 0);
	x->seq = col_int(q, 1);
	/* The task's own strings are q's, valid until its next step (the
	 * next call): handed on, not copied. */
	x->area = col_text_or_empty(q, 2);
	const char *lead = col_text_or_empty(q, 3);
	const char *text = col_text_or_empty(q, 4);
	/* 问题: the lead, then the rest of the text when it says more. */
	x->problem = *text ? text : lead;
	x->goal = col_text_or_empty(q, 5);
	x->leader = col_text_or_empty(q, 6);
	x->unit = col_text_or_empty(q, 7);
	enum deadline_kind dk = (enum deadline_kind)col_int(q, 8);
	int32_t dl = col_day(q, 9);
	deadline_format(dk, dl, it->deadline, sizeof it->deadline);
	x->deadline = it->deadline;
	x->status = (enum task_status)col_int(q, 10);
	x->light = light_compute(x->status, task_assigned(col_id(q, 15), col_id(q, 16), dk), dl,
				 col_day(q, 11), it->today);
	x->n_evidence = col_int(q, 12);
	x->n_progress = col_int(q, 13);
	x->origin_id = col_id(q, 14);
	x->handlers = handlers_of(it, col_id(q, 16));
	x->origin_seq = col_int(q, 17);
	x->origin_year = col_int(q, 18);
	x->carried_seq = col_int(q, 19);
	x->carried_year = col_int(q, 20);
	x->extension_to = col_int(q, 21);   /* NULL: 0 */
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
	stmt_finalize(it->q);
	for (int k = 0; k < SIDE__MAX; k++)
		stmt_finalize(it->side[k].q);
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
	struct dbq *q;
	rc = stmt_query(st, ST_EVENT_LIST,
			ARGS(A_INT(campaign), A_INT(who_scope(w))), &q, e);
	if (rc)
		return rc;
	VEC(struct event_row) v = {0};
	struct arena *a = &out->arena;
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct event_row *x = VEC_PUSH(v);
		x->task_id = col_int64(q, 0);
		x->seq = col_int(q, 1);
		task_event_from(q, 2, &x->ev, a);
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		event_list_release(out);
		return store_dberr(st, e, "events");
	}
	VEC_TO_ARENA(v, a, out->v, out->n);
	return RC_OK;
}
