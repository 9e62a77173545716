/*
 * store_bulk.c -- bulk actions: one assignment or one 催办 applied to many
 * tasks at once (台账's and the dashboard's checkboxes, POST
 * /api/v1/tasks/bulk).
 *
 * A bulk action is one transaction that runs, task after task, the very
 * function the single action runs inside its own transaction
 * (task_assign_one, task_urge_one): the rule, the version, the row, the
 * task's own audit row and history event, its notifications and outbox.
 * Nothing here decides who may do what.  All or nothing: every task is
 * tried even after one is refused, so the answer names all of them, and
 * then the transaction is rolled back.  The confirmation step
 * (check_only) is the same run, always rolled back.
 *
 * With a filter ("all of this filter"), the set must be what the filter
 * matches now, read in the same transaction before anything is written
 * (an assignment may move a task out of the filter).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

void task_bulk_result_release(struct task_bulk_result *r)
{
	arena_release(&r->arena);
	memset(r, 0, sizeof *r);
}

/* seq, lead, status and version of it->id as the transaction's caller
 * sees it; RC_NOTFOUND (left 0 and "") outside their scope. */
static enum rc item_fill(struct store *st, struct task_bulk_item *it, struct arena *a,
			 struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_TASK_BULK_ROW,
			ARGS(A_INT(it->id), A_INT(who_scope(st->tx_who))), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		it->seq = col_int(q, 0);
		it->lead = col_str(q, 1, a);
		it->status = (enum task_status)col_int(q, 2);
		it->version = col_int64(q, 3);
	}
	stmt_reset(q);
	if (r == DB_ROW)
		return RC_OK;
	return r == DB_DONE ? RC_NOTFOUND : stmt_failed(st);
}

static void item_refuse(struct task_bulk_item *it, enum rc rc, const char *code, const char *msg,
			struct arena *a)
{
	it->rc = rc;
	it->code = code;
	it->msg = arena_strdup(a, msg);
}

/* A failure of the database is not a refusal of a task: it ends the run. */
static int is_failure(enum rc rc)
{
	return rc == RC_DB || rc == RC_INTERNAL || rc == RC_IO;
}

/* "第 3、7 项" (or "task 12" for one not found) of the items with code
 * (NULL: any refusal that is not stale), into s. */
static void names(const struct task_bulk_result *out, const char *code, char *s, size_t size)
{
	size_t len = 0, k = 0;
	s[0] = '\0';
	for (size_t i = 0; i < out->n && len + 40 < size; i++) {
		const struct task_bulk_item *it = &out->v[i];
		if (it->rc == RC_OK)
			continue;
		int stale = it->code && strcmp(it->code, STORE_E_STALE) == 0;
		if (code ? !stale : stale)
			continue;
		if (it->seq)
			len += (size_t)snprintf(s + len, size - len, "%s第 %d 项", k ? "、" : "",
						it->seq);
		else
			len += (size_t)snprintf(s + len, size - len, "%stask %lld", k ? "、" : "",
						(long long)it->id);
		k++;
	}
}

struct bulk_arg {
	const struct task_bulk *b;
	int32_t today;
	struct task_bulk_result *out;
	int checked;                    /* check_only, and every task passed */
};

/* The filter's tasks now against the confirmed ones: a task in one and not
 * the other has changed since the confirmation. */
static enum rc filter_match(struct store *st, struct bulk_arg *x, struct err *e)
{
	const struct task_bulk *b = x->b;
	struct task_bulk_result *out = x->out;
	struct task_filter f = *b->filter;
	f.page = 1;
	f.per_page = TASK_BULK_MAX;
	f.no_total = 0;
	struct task_list l;
	enum rc rc = store_task_list(st, st->tx_who, &f, x->today, &l, e);
	if (rc)
		return rc;
	if (l.total > TASK_BULK_MAX) {
		rc = ERRC(e, RC_TOOBIG, STORE_E_BULK_SIZE,
			  "the filter matches %lld tasks; a bulk action takes at most %d",
			  (long long)l.total, TASK_BULK_MAX);
		task_list_release(&l);
		return rc;
	}
	unsigned char *seen = xcalloc(b->n ? b->n : 1, 1);
	for (size_t i = 0; i < l.n; i++) {
		const struct task_row *t = &l.rows[i];
		size_t k = 0;
		while (k < b->n && b->tasks[k].id != t->id)
			k++;
		if (k < b->n) {
			seen[k] = 1;
			continue;
		}
		struct task_bulk_item *it = &out->v[out->n++];
		it->id = t->id;
		it->version = t->version;
		it->seq = t->seq;
		it->lead = arena_strdup(&out->arena, t->lead);
		it->status = t->status;
		item_refuse(it, RC_CONFLICT, STORE_E_STALE,
			    "matches the filter now but was not among the tasks confirmed",
			    &out->arena);
	}
	for (size_t k = 0; k < b->n; k++)
		if (!seen[k] && out->v[k].rc == RC_OK)
			item_refuse(&out->v[k], RC_CONFLICT, STORE_E_STALE,
				    "no longer matches the filter", &out->arena);
	free(seen);
	task_list_release(&l);
	return RC_OK;
}

static enum rc bulk_tx(struct store *st, void *arg, struct err *e)
{
	struct bulk_arg *x = arg;
	const struct task_bulk *b = x->b;
	struct task_bulk_result *out = x->out;
	/* A retry (the database was busy) starts afresh. */
	task_bulk_result_release(out);
	x->checked = 0;
	out->v = arena_alloc(&out->arena,
			     (b->n + (b->filter ? TASK_BULK_MAX : 0)) * sizeof *out->v);
	out->n = b->n;
	for (size_t i = 0; i < b->n; i++) {
		struct task_bulk_item *it = &out->v[i];
		it->id = b->tasks[i].id;
		it->lead = it->msg = "";
		it->confirmed = 1;
		enum rc rc = item_fill(st, it, &out->arena, e);
		if (is_failure(rc))
			return rc;
	}
	enum rc rc;
	if (b->filter && (rc = filter_match(st, x, e)))
		return rc;
	for (size_t i = 0; i < b->n; i++) {
		struct task_bulk_item *it = &out->v[i];
		if (it->rc != RC_OK)
			continue;
		struct err ie = {0};
		int64_t nv = 0;
		int64_t version = b->tasks[i].version;
		if (b->action == TACT_ASSIGN)
			rc = task_assign_one(st, it->id, version, &b->assign, x->today, &nv, &ie);
		else
			rc = task_urge_one(st, it->id, version, b->message, x->today, &nv, &ie);
		if (is_failure(rc)) {
			if (e)
				*e = ie;
			return rc;
		}
		if (rc != RC_OK)
			item_refuse(it, rc, ie.code, ie.msg, &out->arena);
		else if (!b->check_only)
			it->version = nv;
	}
	const struct task_bulk_item *first = NULL;
	int stale = 0;
	for (size_t i = 0; i < out->n; i++) {
		const struct task_bulk_item *it = &out->v[i];
		if (it->rc == RC_OK)
			continue;
		out->n_bad++;
		if (it->code && strcmp(it->code, STORE_E_STALE) == 0)
			stale++;
		else if (!first)
			first = it;
	}
	if (out->n_bad) {
		char who[400];
		if (stale) {
			names(out, STORE_E_STALE, who, sizeof who);
			return ERRC(e, RC_CONFLICT, STORE_E_STALE,
				    "nothing was done: %s changed since they were read (rule W15); "
				    "reload and choose again", who);
		}
		names(out, NULL, who, sizeof who);
		return ERRC(e, first->rc, first->code, "nothing was done: refused for %s (%s)",
			    who, first->msg);
	}
	if (b->check_only) {
		x->checked = 1;
		return ERR(e, RC_CONFLICT, "checked; rolled back"); /* never committed */
	}
	return RC_OK;
}

enum rc store_task_bulk(struct store *st, const struct who *w, const struct task_bulk *b,
			int32_t today, struct task_bulk_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (b->n == 0)
		return ERRC(e, RC_INVALID, STORE_E_BULK, "a bulk action needs at least one task");
	if (b->n > TASK_BULK_MAX)
		return ERRC(e, RC_TOOBIG, STORE_E_BULK_SIZE,
			    "%zu tasks; a bulk action takes at most %d", b->n, TASK_BULK_MAX);
	for (size_t i = 0; i < b->n; i++)
		for (size_t k = i + 1; k < b->n; k++)
			if (b->tasks[i].id == b->tasks[k].id)
				return ERRC(e, RC_INVALID, STORE_E_BULK,
					    "task %lld is named twice", (long long)b->tasks[i].id);
	const char *message = b->message;
	enum rc rc;
	if (b->action == TACT_ASSIGN)
		rc = task_assign_check(&b->assign, e);
	else if (b->action == TACT_URGE)
		rc = task_urge_check(&message, e);
	else
		rc = ERRC(e, RC_INVALID, STORE_E_ACTION, "a bulk action assigns or urges");
	if (rc)
		return rc;
	struct task_bulk c = *b;
	c.message = message;
	struct bulk_arg x = {&c, today, out, 0};
	rc = store_tx(st, w, bulk_tx, &x, e);
	if (x.checked) {
		if (e)
			err_clear(e);
		return RC_OK;
	}
	return rc;
}
