/*
 * store_check.c -- the reconciliation (对账): what the ledger still lacks
 * (problems without tasks, tasks without leader, unit, deadline or measure,
 * measures without problems) and what is due (回头看, extensions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

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
		struct dbq *q;
		rc = stmt_query(st, checks[i].s,
				ARGS(A_INT(campaign), A_INT(scope), A_INT(today)), &q, e);
		if (rc) {
			VEC_FREE(v);
			return rc;
		}
		int r;
		while ((r = stmt_step(st, q, e)) == DB_ROW) {
			struct check_item *c = VEC_PUSH(v);
			c->kind = checks[i].kind;
			c->id = col_int64(q, 0);
			c->seq = col_int(q, 1);
			c->label = col_str(q, 2, &out->arena);
			c->text = col_str(q, 3, &out->arena);
			out->count[c->kind]++;
		}
		stmt_reset(q);
		if (r != DB_DONE) {
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

enum rc store_shape(struct store *st, char *out, size_t n, struct err *e)
{
	char *t = NULL;
	enum rc rc = stmt_text(st, ST_META_SHAPE_GET, NO_ARGS, &t, e);
	snprintf(out, n, "%s", t ? t : "");
	free(t);
	return rc;
}

enum rc store_office_todo(struct store *st, const struct who *w, int64_t campaign_id,
			  int64_t *n, struct err *e)
{
	*n = 0;
	int64_t campaign;
	enum rc rc = campaign_resolve(st, campaign_id, &campaign, e);
	int64_t scope = who_scope(w), problems = 0, grey = 0;
	char at[sizeof st->todo.shape];
	if (!rc && !scope)
		rc = store_shape(st, at, sizeof at, e);
	if (!rc && !scope) {
		if (st->todo.valid && st->todo.campaign == campaign &&
		    strcmp(st->todo.shape, at) == 0) {
			problems = st->todo.problems;
		} else {
			rc = stmt_int64(st, ST_TODO_PROBLEMS, ARGS(A_INT(campaign)), 0, &problems, e);
			st->todo.valid = !rc && at[0]; /* "": a read-only ledger without one */
			st->todo.campaign = campaign;
			snprintf(st->todo.shape, sizeof st->todo.shape, "%s", at);
			st->todo.problems = problems;
		}
	}
	if (!rc)
		rc = stmt_int64(st, ST_KEPT_COUNT,
				ARGS(A_INT(campaign), A_INT(scope), A_INT(-1), A_INT(LIGHT_GREY)), 0,
				&grey, e);
	stmts_reset(st);
	if (!rc)
		*n = problems + grey;
	return rc;
}
