/*
 * store_report.c -- campaigns, reports and their trees: import of a parsed
 * report (one task per problem item, linked to the measures that answer
 * it), corrections of the tree (rename, move, merge, split), the problem
 * items of earlier campaigns, and the import of spreadsheet ledgers.
 *
 * A report's tree is stored as nodes (section / area / item / example) with
 * their spans in the report's source, which is kept verbatim.  A task points
 * at its problem item; what it shows as its problem (area, lead, text) is
 * read through that link, so corrections of the tree carry over to tasks
 * without copying.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

/* ---- campaigns -------------------------------------------------------------- */

void campaign_list_release(struct campaign_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

static char *areas_json(const char *const *areas, size_t n)
{
	struct buf b = BUF_INIT(0);
	buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_json_cstr(&b, areas[i]);
	}
	buf_putc(&b, ']');
	return buf_detach(&b, NULL);
}

/* Make campaign id current (the previous current one stops being so). */
static enum rc make_current(struct store *st, int64_t id, struct err *e)
{
	int64_t old;
	enum rc rc = stmt_int64(st, ST_CAMPAIGN_CURRENT_ID, NO_ARGS, 0, &old, e);
	if (rc || old == id)
		return rc;
	if (old && (rc = audited_write(st, ENT_CAMPAIGN, old, "campaign-current",
				       ST_CAMPAIGN_SET_CURRENT, ARGS(A_INT(old), A_INT(0)), NULL, e)))
		return rc;
	return audited_write(st, ENT_CAMPAIGN, id, "campaign-current", ST_CAMPAIGN_SET_CURRENT,
			     ARGS(A_INT(id), A_INT(1)), NULL, e);
}

static enum rc campaign_insert(struct store *st, int year, const char *title, const char *theme,
			       const char *areas, int32_t started, int64_t carried_from,
			       int64_t *id, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_CAMPAIGN_INSERT,
			ARGS(A_INT(year), A_TEXT(title), A_TEXT(theme ? theme : ""), A_INT(started),
			     A_ID(carried_from), A_TEXT(areas ? areas : "[]")), &q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	if (rc)
		return rc;
	*id = db_last_id(st);
	if ((rc = audit_insert(st, "campaign-new", ENT_CAMPAIGN, *id, e)))
		return rc;
	return make_current(st, *id, e);
}

struct campaign_arg {
	const struct campaign_new *c;
	int32_t today;
	int64_t id;
	int carried;
};

/* Copy the measures of task `from`. */
static enum rc task_measures_of(struct store *st, int64_t task, int64_t **ids, size_t *n,
				struct err *e)
{
	*ids = NULL;
	*n = 0;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_TASK_MEASURE_IDS, ARGS(A_INT(task)), &q, e);
	if (rc)
		return rc;
	VEC(int64_t) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW)
		*VEC_PUSH(v) = col_int64(q, 0);
	stmt_reset(q);
	if (r != DB_DONE) {
		VEC_FREE(v);
		return stmt_failed(st);
	}
	*ids = v.v;
	*n = v.n;
	return RC_OK;
}

/* The source of a carried task: 转入下一批次 in its own campaign, no 回头看
 * there; its event names the task that goes on ("carry-out"). */
static enum rc task_carry_out(struct store *st, int64_t src, enum task_status was, int64_t to,
			      int32_t today, struct err *e)
{
	enum rc rc = audited_write(st, ENT_TASK, src, "carry-out", ST_TASK_CARRY_OUT,
				   ARGS(A_INT(src), A_TEXT(st->tx_at)), NULL, e);
	if (rc)
		return rc;
	char reason[64];
	snprintf(reason, sizeof reason, "carried over as task %lld", (long long)to);
	return event_add(st, src, "carry-out", (int)was, TASK_CARRIED, reason, today, e);
}

/* Copy task `src` (its assignment and measures) as a new task of campaign
 * `campaign` for problem item `problem` (0: the same).  A carried task
 * keeps its status (see store_campaign_new) and starts its days today, and
 * the source is 转入下一批次 in its own campaign; a split's twin starts
 * 未启动 and inherits the source's days. */
static enum rc task_copy(struct store *st, int64_t src, int64_t campaign, int64_t problem,
			 int64_t origin, int keep_status, const char *action, const char *reason,
			 int32_t today, int64_t *id, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_TASK_COPY_SRC, ARGS(A_INT(src)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r != DB_ROW) {
		stmt_reset(q);
		if (r != DB_DONE)
			return stmt_failed(st);
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_TASK, "no task %lld", (long long)src);
	}
	struct task_new t = {0};
	t.campaign_id = campaign;
	t.problem_id = problem ? problem : col_int64(q, 0);
	t.origin_id = origin;
	t.leader_id = col_id(q, 1);
	t.unit_id = col_id(q, 2);
	char *goal = xstrdup(col_text(q, 3));
	t.goal = goal;
	t.deadline_kind = (enum deadline_kind)col_int(q, 4);
	t.deadline = col_day(q, 5);
	enum task_status old = (enum task_status)col_int(q, 6);
	int32_t created = col_day(q, 7), last = col_day(q, 8);
	stmt_reset(q);
	if (keep_status)
		t.status = old == TASK_NOT_STARTED ? TASK_NOT_STARTED
			   : old == TASK_STAGED	   ? TASK_STAGED
						   : TASK_IN_PROGRESS;
	else
		t.status = TASK_NOT_STARTED;
	t.created = t.last_activity = today;
	if (!keep_status && created != STORE_NO_DAY) {
		t.created = created;
		t.last_activity = last;
	}
	t.closed_day = STORE_NO_DAY;
	t.review_due = t.status == TASK_STAGED
			       ? store_day_add_months(today, (int)store_setting_value(
								      st, SETTING_REVIEW_MONTHS))
			       : STORE_NO_DAY;
	int64_t *ms;
	size_t nm;
	rc = task_measures_of(st, src, &ms, &nm, e);
	t.measures = ms;
	t.n_measures = nm;
	if (!rc)
		rc = task_insert(st, &t, action, reason, today, id, e);
	free(ms);
	free(goal);
	if (!rc && keep_status)
		rc = task_carry_out(st, src, old, *id, today, e);
	return rc;
}

static enum rc campaign_new_tx(struct store *st, void *arg, struct err *e)
{
	struct campaign_arg *a = arg;
	const struct campaign_new *c = a->c;
	a->carried = 0;                 /* store_tx() may run this again */
	enum rc rc;
	if (c->carry_from) {
		int64_t x;
		if ((rc = campaign_resolve(st, c->carry_from, &x, e)))
			return rc == RC_NOTFOUND ? ERRC(e, RC_INVALID, STORE_E_NO_CAMPAIGN,
							"no campaign %lld to carry over "
							"from",
							(long long)c->carry_from)
						 : rc;
	}
	char *areas = areas_json(c->areas, c->n_areas);
	rc = campaign_insert(st, c->year, c->title, c->theme, areas,
			     c->started == STORE_NO_DAY ? a->today : c->started, c->carry_from,
			     &a->id, e);
	free(areas);
	if (rc || !c->carry_from)
		return rc;
	struct dbq *q;
	rc = stmt_query(st, ST_TASK_UNFINISHED, ARGS(A_INT(c->carry_from)), &q, e);
	if (rc)
		return rc;
	VEC(int64_t) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW)
		*VEC_PUSH(v) = col_int64(q, 0);
	stmt_reset(q);
	if (r != DB_DONE) {
		VEC_FREE(v);
		return stmt_failed(st);
	}
	char reason[64];
	snprintf(reason, sizeof reason, "carried over from campaign %lld",
		 (long long)c->carry_from);
	for (size_t i = 0; i < v.n && !rc; i++) {
		int64_t id;
		rc = task_copy(st, v.v[i], a->id, 0, v.v[i], 1, "carry", reason, a->today, &id, e);
		a->carried++;
	}
	VEC_FREE(v);
	return rc;
}

/* At most max bytes of UTF-8. */
static int text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n <= max && text_utf8_valid(s, n, NULL);
}

/* A new campaign's year and title as store_campaign_new takes them. */
static enum rc campaign_check(int year, const char *title, struct err *e)
{
	if (year < 1900 || year > 9999)
		return ERRC(e, RC_INVALID, STORE_E_YEAR, "the year must be between 1900 and 9999");
	if (!title || !*title || !text_ok(title, STORE_TITLE_MAX))
		return ERRC(e, RC_INVALID, STORE_E_CAMPAIGN_TITLE,
			    "a campaign needs a title of at most %d bytes of UTF-8", STORE_TITLE_MAX);
	return RC_OK;
}

enum rc store_campaign_new(struct store *st, const struct who *w, const struct campaign_new *c,
			   int32_t today, int64_t *id, int *carried, struct err *e)
{
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) opens campaigns");
	enum rc rc = campaign_check(c->year, c->title, e);
	if (rc)
		return rc;
	if (c->started != STORE_NO_DAY && !store_day_valid(c->started))
		return ERRC(e, RC_INVALID, STORE_E_DATE,
			    "the start day must be a date from 1900 to 9999");
	if (c->theme && !text_ok(c->theme, STORE_TITLE_MAX))
		return ERRC(e, RC_INVALID, STORE_E_CAMPAIGN_THEME,
			    "a campaign's theme is at most %d bytes of UTF-8", STORE_TITLE_MAX);
	if (c->n_areas > CAMPAIGN_AREAS_MAX)
		return ERRC(e, RC_INVALID, STORE_E_CAMPAIGN_AREAS, "at most %d framework areas",
			    CAMPAIGN_AREAS_MAX);
	for (size_t i = 0; i < c->n_areas; i++)
		if (!c->areas[i] || !*c->areas[i] || !text_ok(c->areas[i], STORE_TITLE_MAX))
			return ERRC(e, RC_INVALID, STORE_E_CAMPAIGN_AREAS,
				    "framework area %zu is empty, longer than %d bytes or not UTF-8",
				    i + 1, STORE_TITLE_MAX);
	struct campaign_arg a = {c, today, 0, 0};
	rc = store_tx(st, w, campaign_new_tx, &a, e);
	if (!rc) {
		if (id)
			*id = a.id;
		if (carried)
			*carried = a.carried;
	}
	return rc;
}

static enum rc campaigns_load(struct store *st, const struct who *w, int64_t only,
			      struct campaign_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q = stmt_get(st, only ? ST_CAMPAIGN_GET : ST_CAMPAIGN_LIST, e);
	if (!q)
		return RC_INTERNAL;
	if (only)
		bind_int64(q, 1, only);
	bind_int64(q, 2, who_scope(w));
	VEC(struct campaign) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct campaign *c = VEC_PUSH(v);
		c->id = col_int64(q, 0);
		c->year = col_int(q, 1);
		c->title = col_str(q, 2, &out->arena);
		c->theme = col_str(q, 3, &out->arena);
		c->started = col_day(q, 4);
		c->carried_from = col_id(q, 5);
		c->current = col_int(q, 6);
		c->report_title = col_str(q, 8, &out->arena);
		c->n_tasks = col_int(q, 9);
		c->n_open = col_int(q, 10);
		c->n_carried = col_int(q, 11);
		/* Framework areas: a JSON array of strings. */
		struct dbq *aq = stmt_get(st, ST_JSON_EACH, e);
		if (!aq) {
			VEC_FREE(v);
			return RC_INTERNAL;
		}
		bind_column(aq, 1, q, 7);
		VEC(const char *) av = {0};
		int ra;
		while ((ra = stmt_step(st, aq, e)) == DB_ROW)
			*VEC_PUSH(av) = col_str(aq, 0, &out->arena);
		stmt_reset(aq);
		VEC_TO_ARENA(av, &out->arena, c->areas, c->n_areas);
		if (ra != DB_DONE) {
			r = ra;
			break;
		}
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "campaigns");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	if (only && out->n == 0)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_CAMPAIGN, "no campaign %lld",
			    (long long)only);
	return RC_OK;
}

enum rc store_campaign_list(struct store *st, const struct who *w, struct campaign_list *out,
			    struct err *e)
{
	return campaigns_load(st, w, 0, out, e);
}

enum rc store_campaign_get(struct store *st, const struct who *w, int64_t id,
			   struct campaign_list *out, struct err *e)
{
	return campaigns_load(st, w, id, out, e);
}

enum rc store_campaign_current(struct store *st, int64_t *id, struct err *e)
{
	enum rc rc = campaign_resolve(st, 0, id, e);
	stmts_reset(st);
	return rc;
}

enum rc store_campaign_current_title(struct store *st, char *out, size_t n, struct err *e)
{
	if (n)
		out[0] = '\0';
	int64_t id;
	struct err none = {0};
	enum rc rc = campaign_resolve(st, 0, &id, &none);
	char *t = NULL;
	if (rc == RC_NOTFOUND)
		rc = RC_OK;
	else if (rc && e)
		*e = none;
	else
		rc = stmt_text(st, ST_CAMPAIGN_TITLE, ARGS(A_INT(id)), &t, e);
	stmts_reset(st);
	if (!rc && t && n) {
		size_t len = strlen(t);
		if (len >= n)
			len = text_utf8_back(t, n - 1);
		memcpy(out, t, len);
		out[len] = '\0';
	}
	free(t);
	return rc;
}

struct report_title_arg {
	int64_t id;
	const char *title;
};

static enum rc report_title_tx(struct store *st, void *arg, struct err *e)
{
	struct report_title_arg *a = arg;
	int64_t x;
	enum rc rc = campaign_resolve(st, a->id, &x, e);
	if (rc)
		return rc;
	return audited_write(st, ENT_CAMPAIGN, a->id, "campaign-report-title",
			     ST_CAMPAIGN_SET_REPORT_TITLE, ARGS(A_INT(a->id), A_TEXT(a->title)), NULL,
			     e);
}

enum rc store_campaign_set_report_title(struct store *st, const struct who *w, int64_t id,
					const char *title, struct err *e)
{
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) names the report");
	if (!title || !text_ok(title, STORE_TITLE_MAX))
		return ERRC(e, RC_INVALID, STORE_E_CAMPAIGN_TITLE,
			    "a report title is at most %d bytes of UTF-8", STORE_TITLE_MAX);
	struct report_title_arg a = {id, title};
	return store_tx(st, w, report_title_tx, &a, e);
}

/* ---- import ------------------------------------------------------------------ */

enum rc node_insert(struct store *st, int64_t report, int64_t parent, enum node_kind kind,
			   enum doc_role role, int pos, const char *label, const char *title,
			   const char *text, uint32_t start, uint32_t end, const char *action,
			   int64_t *id, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_NODE_INSERT,
			ARGS(A_INT(report), A_ID(parent), A_INT((int)kind), A_INT((int)role),
			     A_INT(pos), A_TEXT(label ? label : ""), A_TEXT(title ? title : ""),
			     A_TEXT(text ? text : ""), A_INT(start), A_INT(end)), &q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	if (rc)
		return rc;
	*id = db_last_id(st);
	return audit_insert(st, action, ENT_NODE, *id, e);
}

static enum rc items_insert(struct store *st, int64_t report, int64_t parent, enum doc_role role,
			    const struct doc_item *items, size_t n, int64_t *ids, struct err *e)
{
	for (size_t k = 0; k < n; k++) {
		const struct doc_item *it = &items[k];
		enum rc rc = node_insert(st, report, parent, NODE_ITEM, role, (int)k, it->label.text,
					 it->lead, it->text, it->span.start, it->span.end,
					 "import", &ids[k], e);
		if (rc)
			return rc;
		for (size_t m = 0; m < it->n_examples; m++) {
			int64_t x;
			rc = node_insert(st, report, ids[k], NODE_EXAMPLE, role, (int)m, "", "",
					 it->examples[m].text, it->examples[m].span.start,
					 it->examples[m].span.end, "import", &x, e);
			if (rc)
				return rc;
		}
	}
	return RC_OK;
}

/* A measure: its node and span. */
struct measure {
	int64_t id;
	uint32_t start, end;
};
typedef VEC(struct measure) measure_vec;

/* A problem to become a task, and the measures that answer it. */
struct problem {
	int64_t id;
	size_t group;                   /* index into groups of measures, or SIZE_MAX */
	const struct doc_item *it;
};

struct import_arg {
	const struct doc *d;
	const struct report_import *in;
	int32_t today;
	struct import_result *out;
	/* set as the import goes */
	int64_t campaign, report;
	int32_t immediate_due;          /* the day an immediate (立行立改) task is due */
};

/* The deadline a task takes from its measures (see store.h). */
static void deadline_of(const struct doc *d, const struct measure *ms, size_t n,
			int32_t immediate_due, enum deadline_kind *kind, int32_t *day)
{
	int32_t latest = STORE_NO_DAY;
	int ongoing = 0, immediate = 0;
	for (size_t i = 0; i < d->n_deadlines; i++) {
		const struct doc_deadline *dl = &d->deadlines[i];
		int inside = 0;
		for (size_t k = 0; k < n && !inside; k++)
			inside = dl->span.start >= ms[k].start && dl->span.end <= ms[k].end;
		if (!inside)
			continue;
		int32_t x;
		if (dl->kind == DOC_DEADLINE_DATE && store_day_parse(dl->date, &x) == 0) {
			if (latest == STORE_NO_DAY || x > latest)
				latest = x;
		} else if (dl->kind == DOC_DEADLINE_ONGOING) {
			ongoing = 1;
		} else if (dl->kind == DOC_DEADLINE_IMMEDIATE) {
			immediate = 1;
		}
	}
	*day = STORE_NO_DAY;
	if (latest != STORE_NO_DAY) {
		*kind = DEADLINE_DATE;
		*day = latest;
	} else if (ongoing) {
		*kind = DEADLINE_ONGOING;
	} else if (immediate) {
		*kind = DEADLINE_IMMEDIATE;
		*day = immediate_due;
	} else {
		*kind = DEADLINE_NONE;
	}
}

enum rc report_insert(struct store *st, int64_t campaign, int64_t owner,
			     const char *title, const char *kind, const char *format,
			     const char *encoding, const char *filename, int year,
			     const char *sha256, const char *src, size_t len, int64_t *id,
			     struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_REPORT_INSERT,
			ARGS(A_INT(campaign), A_ID(owner), A_TEXT(title), A_TEXT(kind),
			     A_TEXT(format), A_TEXT(encoding), A_TEXT(filename ? filename : ""),
			     A_INT(year), A_TEXT(sha256)), &q, e);
	if (rc)
		return rc;
	bind_text_kept(q, 10, src, len);
	bind_text(q, 11, st->tx_at);
	rc = stmt_done(st, q, e);
	if (rc)
		return rc;
	*id = db_last_id(st);
	return audit_insert(st, "import", ENT_REPORT, *id, e);
}

static enum rc duplicate_check(struct store *st, const char *sha256, int again, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_REPORT_BY_SHA, ARGS(A_TEXT(sha256)), &q, e);
	if (rc)
		return rc;
	rc = RC_OK;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW && !again)
		rc = ERRC(e, RC_CONFLICT, STORE_E_REPORT_DUPLICATE,
			  "this report was already imported as report %lld (%s, "
			  "campaign %lld); --again imports it once more",
			  (long long)col_int64(q, 0),
			  col_text(q, 1),
			  (long long)col_int64(q, 2));
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		rc = stmt_failed(st);
	return rc;
}

static enum rc commitment_insert(struct store *st, int64_t campaign, int64_t report,
				 const struct doc_commitment *c, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_COMMITMENT_INSERT,
			ARGS(A_INT(campaign), A_ID(report), A_TEXT(c->text),
			     A_TEXT(c->subject ? c->subject : ""),
			     A_TEXT(c->unit && *c->unit ? c->unit : "次"), A_INT(c->min),
			     A_INT((int)c->period), A_INT((int)c->per)), &q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	if (rc)
		return rc;
	return audit_insert(st, "import", ENT_COMMITMENT, db_last_id(st), e);
}

static int blank(const char *s);
static int leaders_named(struct store *st, const char *s, int64_t *id, struct err *e);

/* The measures section made for the measures that a task table or
 * labelled fields give beside each problem (0 until the first). */
static __thread int64_t fields_section;

/*
 * What a row of a task table, or an item's labelled fields, says of its
 * task (doc_item_field): the leader (an account when the name is one
 * leader's, else kept as the task's leader_text, as a spreadsheet import
 * does), the unit (made at the top when no unit has that name, audited as
 * unit-add), the deadline, the goal, and the measures, which become an item
 * of a measures section of the report that the task is linked to (*mid
 * holds its id).  Fields the item does not have leave t as it is.
 */
static enum rc fields_to_task(struct store *st, int64_t report, const struct doc *d,
			      const struct doc_item *it, int32_t immediate_due, int64_t *mid,
			      struct task_new *t, struct import_result *out, struct err *e)
{
	enum rc rc;
	const char *v;
	if (!it || !it->n_fields)
		return RC_OK;
	if ((v = doc_item_field(it, DOC_FIELD_LEADER)) && !blank(v)) {
		char *name = xstrndup(v, text_list_first(v));
		int64_t id = 0;
		int n = leaders_named(st, name, &id, e);
		free(name);
		if (n < 0)
			return stmt_failed(st);
		if (n == 1) {
			t->leader_id = id;
		} else {
			t->leader_text = v;
			out->n_leader_text++;
		}
	}
	if ((v = doc_item_field(it, DOC_FIELD_UNIT)) && !blank(v)) {
		char *name = xstrndup(v, text_list_first(v));
		int64_t id;
		rc = store_unit_find(st, name, &id, NULL);
		if (rc == RC_NOTFOUND) {
			rc = unit_insert(st, name, 0, &id, e);
			out->n_units_created += rc == RC_OK;
		}
		free(name);
		if (rc == RC_INVALID) /* not a name a unit can have: left unassigned */
			rc = RC_OK, id = 0;
		if (rc)
			return rc;
		t->unit_id = id;
	}
	struct doc_deadline dl;
	if ((v = doc_item_field(it, DOC_FIELD_DEADLINE)) &&
	    doc_deadline_parse(v, strlen(v), d->year, &dl)) {
		int32_t day;
		if (dl.kind == DOC_DEADLINE_DATE && store_day_parse(dl.date, &day) == 0) {
			t->deadline_kind = DEADLINE_DATE;
			t->deadline = day;
		} else if (dl.kind == DOC_DEADLINE_ONGOING) {
			t->deadline_kind = DEADLINE_ONGOING;
			t->deadline = STORE_NO_DAY;
		} else if (dl.kind == DOC_DEADLINE_IMMEDIATE) {
			t->deadline_kind = DEADLINE_IMMEDIATE;
			t->deadline = immediate_due;
		}
	}
	if ((v = doc_item_field(it, DOC_FIELD_GOAL)) && !blank(v))
		t->goal = v;
	if ((v = doc_item_field(it, DOC_FIELD_MEASURES)) && !blank(v)) {
		const struct doc_field_value *fv = NULL;
		for (size_t k = 0; k < it->n_fields; k++)
			if (it->fields[k].field == DOC_FIELD_MEASURES)
				fv = &it->fields[k];
		if (!fields_section &&
		    (rc = node_insert(st, report, 0, NODE_SECTION, DOC_ROLE_MEASURES,
				      (int)d->n_sections, "", "整改措施", "", fv->span.start,
				      fv->span.start, "import", &fields_section, e)))
			return rc;
		int64_t id;
		if ((rc = node_insert(st, report, fields_section, NODE_ITEM, DOC_ROLE_MEASURES,
				      out->n_measures, "", "", v, fv->span.start, fv->span.end,
				      "import", &id, e)))
			return rc;
		out->n_measures++;
		*mid = id;
		t->measures = mid;
		t->n_measures = 1;
	}
	return RC_OK;
}

/* The campaign a report proposes: its year (today's when it names none) and
 * its title, else the file name, else 整改. */
static void proposal(const struct doc *d, const char *filename, int32_t today, int *year,
		     const char **title)
{
	int y, m, dd;
	store_day_to_ymd(today, &y, &m, &dd);
	*year = d->year ? d->year : y;
	*title = d->title && *d->title ? d->title : filename && *filename ? filename : "整改";
}

void report_target(const struct doc *d, const char *filename, int32_t today,
		   const struct campaign_list *l, struct report_target *out)
{
	memset(out, 0, sizeof *out);
	out->year = d->year;
	proposal(d, filename, today, &out->new_year, &out->new_title);
	for (size_t i = 0; i < l->n; i++) {
		const struct campaign *c = &l->v[i];
		if (c->current)
			out->current = c;
		/* newest first: the first of the year, unless the current one is */
		if (d->year && c->year == d->year && (!out->match || c->current))
			out->match = c;
	}
	out->ambiguous = out->current && d->year && out->current->year != d->year;
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		if (s->role != DOC_ROLE_PROBLEMS)
			continue;
		out->n_tasks += (int)s->n_items;
		for (size_t j = 0; j < s->n_areas; j++)
			out->n_tasks += (int)s->areas[j].n_items;
	}
}

typedef VEC(struct problem) problem_vec;

/* The tree of a report as it is stored: the problem items, which become
 * tasks, and the measure items, which answer them. */
struct import_tree {
	problem_vec probs;              /* problem items in areas */
	VEC(measure_vec) groups;        /* measure areas in order */
	measure_vec flat_meas;          /* measure items directly under a section */
	problem_vec flat_probs;         /* problem items directly under a section */
	size_t n_prob_areas;            /* problem areas so far */
};

static void import_tree_release(struct import_tree *t)
{
	VEC_FREE(t->probs);
	for (size_t i = 0; i < t->groups.n; i++)
		VEC_FREE(t->groups.v[i]);
	VEC_FREE(t->groups);
	VEC_FREE(t->flat_meas);
	VEC_FREE(t->flat_probs);
}

static void problem_push(problem_vec *v, int64_t id, size_t group, const struct doc_item *it)
{
	struct problem *p = VEC_PUSH(*v);
	p->id = id;
	p->group = group;
	p->it = it;
}

static void measure_push(measure_vec *v, int64_t id, struct doc_span span)
{
	struct measure *m = VEC_PUSH(*v);
	m->id = id;
	m->start = span.start;
	m->end = span.end;
}

/* The campaign the report goes into (a->campaign): the one asked for, else
 * the current one; a new one of the report's year and title when asked
 * (--campaign new) or when there is none yet. */
static enum rc import_campaign(struct store *st, struct import_arg *a, struct err *e)
{
	enum rc rc;
	int64_t campaign = a->in->new_campaign ? 0 : a->in->campaign_id;
	if (campaign) {
		if ((rc = campaign_resolve(st, campaign, &campaign, e)))
			return rc;
	} else if (a->in->new_campaign ||
		   (rc = campaign_resolve(st, 0, &campaign, e)) == RC_NOTFOUND) {
		int year;
		const char *title;
		proposal(a->d, a->in->filename, a->today, &year, &title);
		rc = campaign_insert(st, year, title, "", "[]", a->today, 0, &campaign, e);
		if (rc)
			return rc;
		a->out->campaign_created = 1;
	} else if (rc) {
		return rc;
	}
	a->campaign = a->out->campaign_id = campaign;
	return RC_OK;
}

/* The owner the report names, if any, must be a user. */
static enum rc owner_check(struct store *st, int64_t owner, struct err *e)
{
	if (!owner)
		return RC_OK;
	struct arena tmp = {0};
	struct user u;
	enum rc rc = store_user_get(st, owner, &u, &tmp, e);
	arena_release(&tmp);
	if (rc == RC_NOTFOUND)
		return ERRC(e, RC_INVALID, STORE_E_NO_USER, "no user %lld to own the report",
			    (long long)owner);
	return rc;
}

/* The report's row, with its source (a->report). */
static enum rc import_report_row(struct store *st, struct import_arg *a, struct err *e)
{
	const struct doc *d = a->d;
	enum rc rc = report_insert(st, a->campaign, a->in->owner_id, d->title ? d->title : "",
				   doc_kind_name(d->kind), d->format ? d->format : "text",
				   d->encoding ? d->encoding : "UTF-8", a->in->filename, d->year,
				   d->sha256, d->src, d->len, &a->report, e);
	if (!rc)
		a->out->report_id = a->report;
	return rc;
}

/* Area j of section s (node sid) and its items.  The items of a problem
 * area are the problems of the next problem area; those of a measure area
 * are the next group of measures (the area itself when it has no items). */
static enum rc import_area(struct store *st, struct import_arg *a, struct import_tree *t,
			   const struct doc_section *s, int64_t sid, size_t j, struct err *e)
{
	const struct doc_area *ar = &s->areas[j];
	int64_t aid;
	enum rc rc = node_insert(st, a->report, sid, NODE_AREA, s->role, (int)j, ar->label.text,
				 ar->title, ar->text, ar->span.start, ar->span.end, "import",
				 &aid, e);
	if (rc)
		return rc;
	int64_t *ids = xcalloc(ar->n_items ? ar->n_items : 1, sizeof *ids);
	rc = items_insert(st, a->report, aid, s->role, ar->items, ar->n_items, ids, e);
	if (!rc && s->role == DOC_ROLE_PROBLEMS) {
		for (size_t k = 0; k < ar->n_items; k++)
			problem_push(&t->probs, ids[k], t->n_prob_areas, &ar->items[k]);
		t->n_prob_areas++;
	} else if (!rc && s->role == DOC_ROLE_MEASURES) {
		measure_vec *g = VEC_PUSH(t->groups);
		if (ar->n_items == 0)
			measure_push(g, aid, ar->span);
		for (size_t k = 0; k < ar->n_items; k++)
			measure_push(g, ids[k], ar->items[k].span);
		a->out->n_measures += (int)g->n;
	}
	free(ids);
	return rc;
}

/* Section i: its node, its areas, then the items directly under it, which
 * are flat problems or flat measures by the section's role. */
static enum rc import_section(struct store *st, struct import_arg *a, struct import_tree *t,
			      size_t i, struct err *e)
{
	const struct doc_section *s = &a->d->sections[i];
	int64_t sid;
	enum rc rc = node_insert(st, a->report, 0, NODE_SECTION, s->role, (int)i, s->label.text,
				 s->title, s->text, s->span.start, s->span.end, "import", &sid, e);
	for (size_t j = 0; j < s->n_areas && !rc; j++)
		rc = import_area(st, a, t, s, sid, j, e);
	if (rc)
		return rc;
	int64_t *ids = xcalloc(s->n_items ? s->n_items : 1, sizeof *ids);
	rc = items_insert(st, a->report, sid, s->role, s->items, s->n_items, ids, e);
	for (size_t k = 0; !rc && k < s->n_items; k++) {
		if (s->role == DOC_ROLE_PROBLEMS) {
			problem_push(&t->flat_probs, ids[k], SIZE_MAX, &s->items[k]);
		} else if (s->role == DOC_ROLE_MEASURES) {
			measure_push(&t->flat_meas, ids[k], s->items[k].span);
			a->out->n_measures++;
		}
	}
	free(ids);
	return rc;
}

/* The whole tree; refused (STORE_E_REPORT_EMPTY) when it has no problem. */
static enum rc import_tree(struct store *st, struct import_arg *a, struct import_tree *t,
			   struct err *e)
{
	enum rc rc = RC_OK;
	for (size_t i = 0; i < a->d->n_sections && !rc; i++)
		rc = import_section(st, a, t, i, e);
	if (!rc && t->probs.n == 0 && t->flat_probs.n == 0)
		rc = ERRC(e, RC_INVALID, STORE_E_REPORT_EMPTY,
			  "the report has no problem item (no section of problems "
			  "with items 一是/二是… was found); nothing to track");
	return rc;
}

/* A task of the campaign for problem node `problem`: 未启动 from today,
 * with no measures and no deadline yet. */
static struct task_new task_of_problem(const struct import_arg *a, int64_t problem)
{
	return (struct task_new){.campaign_id = a->campaign, .problem_id = problem,
				 .status = TASK_NOT_STARTED, .created = a->today,
				 .last_activity = a->today, .closed_day = STORE_NO_DAY,
				 .review_due = STORE_NO_DAY, .deadline = STORE_NO_DAY};
}

/* Insert task t of item it, after what the item's fields say of it (*fm:
 * room for the id of a measure made from them, see fields_to_task). */
static enum rc problem_task_insert(struct store *st, struct import_arg *a,
				   const struct doc_item *it, int64_t *fm, struct task_new *t,
				   struct err *e)
{
	enum rc rc = fields_to_task(st, a->report, a->d, it, a->immediate_due, fm, t, a->out, e);
	int64_t id;
	if (!rc)
		rc = task_insert(st, t, "import", NULL, a->today, &id, e);
	a->out->n_tasks++;
	return rc;
}

/* Problems in areas: answered by the measure area of the same rank. */
static enum rc area_tasks(struct store *st, struct import_arg *a, const struct import_tree *tr,
			  struct err *e)
{
	enum rc rc = RC_OK;
	for (size_t i = 0; i < tr->probs.n && !rc; i++) {
		const struct problem *p = &tr->probs.v[i];
		struct task_new t = task_of_problem(a, p->id);
		const measure_vec *g = p->group < tr->groups.n ? &tr->groups.v[p->group] : NULL;
		int64_t *mids = NULL;
		if (g) {
			mids = xcalloc(g->n ? g->n : 1, sizeof *mids);
			for (size_t k = 0; k < g->n; k++)
				mids[k] = g->v[k].id;
			t.measures = mids;
			t.n_measures = g->n;
			deadline_of(a->d, g->v, g->n, a->immediate_due, &t.deadline_kind,
				    &t.deadline);
		}
		int64_t fm = 0;
		rc = problem_task_insert(st, a, p->it, &fm, &t, e);
		free(mids);
	}
	return rc;
}

/* Problems directly under the section: one to one with flat measures
 * when the counts agree; otherwise left for 对账. */
static enum rc flat_tasks(struct store *st, struct import_arg *a, const struct import_tree *tr,
			  struct err *e)
{
	enum rc rc = RC_OK;
	for (size_t i = 0; i < tr->flat_probs.n && !rc; i++) {
		struct task_new t = task_of_problem(a, tr->flat_probs.v[i].id);
		int64_t mid = 0;
		if (tr->flat_meas.n == tr->flat_probs.n) {
			mid = tr->flat_meas.v[i].id;
			t.measures = &mid;
			t.n_measures = 1;
			deadline_of(a->d, &tr->flat_meas.v[i], 1, a->immediate_due,
				    &t.deadline_kind, &t.deadline);
		}
		rc = problem_task_insert(st, a, tr->flat_probs.v[i].it, &mid, &t, e);
	}
	return rc;
}

static enum rc import_commitments(struct store *st, struct import_arg *a, struct err *e)
{
	enum rc rc = RC_OK;
	for (size_t i = 0; i < a->d->n_commitments && !rc; i++) {
		rc = commitment_insert(st, a->campaign, a->report, &a->d->commitments[i], e);
		a->out->n_commitments++;
	}
	return rc;
}

/* The import, in one transaction: the campaign, the checks, the report's
 * row, its tree, a task per problem, the commitments. */
static enum rc import_tx(struct store *st, void *arg, struct err *e)
{
	struct import_arg *a = arg;
	memset(a->out, 0, sizeof *a->out);      /* store_tx() may run this again */
	fields_section = 0;
	enum rc rc = import_campaign(st, a, e);
	if (!rc)
		rc = duplicate_check(st, a->d->sha256, a->in->again, e);
	if (!rc)
		rc = owner_check(st, a->in->owner_id, e);
	if (!rc)
		rc = import_report_row(st, a, e);
	if (rc)
		return rc;
	struct import_tree tree = {0};
	rc = import_tree(st, a, &tree, e);
	a->immediate_due = a->today + (int32_t)store_setting_value(st, SETTING_IMMEDIATE_DAYS);
	if (!rc)
		rc = area_tasks(st, a, &tree, e);
	if (!rc)
		rc = flat_tasks(st, a, &tree, e);
	if (!rc)
		rc = import_commitments(st, a, e);
	import_tree_release(&tree);
	return rc;
}

/*
 * A file name from outside as it is stored and shown: a malloc'd copy (NULL
 * for NULL) whose bytes that are not UTF-8 (a GBK-named file) and control
 * characters are each replaced by '?', cut on a character boundary to at
 * most EVIDENCE_NAME_MAX bytes.
 */
static char *clean_filename(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s), k = 0;
	char *out = xmalloc(EVIDENCE_NAME_MAX + 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = (size_t)text_utf8_len(c);
		int ok = c >= 0x20 && c != 0x7f && i + len <= n && text_utf8_valid(s + i, len, NULL);
		if (!ok)
			len = 1;
		if (k + (ok ? len : 1) > EVIDENCE_NAME_MAX)
			break;
		if (ok)
			memcpy(out + k, s + i, len);
		else
			out[k] = '?';
		k += ok ? len : 1;
		i += len;
	}
	out[k] = '\0';
	return out;
}

enum rc store_report_import(struct store *st, const struct who *w, const struct doc *d,
			    const struct report_import *in, int32_t today,
			    struct import_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) imports reports");
	struct report_import clean = *in;
	char *filename = clean_filename(in->filename);
	clean.filename = filename;
	struct import_arg a = {.d = d, .in = &clean, .today = today, .out = out};
	enum rc rc = store_tx(st, w, import_tx, &a, e);
	free(filename);
	if (rc) {
		memset(out, 0, sizeof *out);
		/* Keep the message; the caller sees nothing was written. */
	}
	return rc;
}

/* ---- reading reports ----------------------------------------------------------- */

void report_release(struct report *r)
{
	arena_release(&r->arena);
	memset(r, 0, sizeof *r);
}

void report_list_release(struct report_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

static void report_head(struct dbq *q, struct report *r, struct arena *a)
{
	r->id = col_int64(q, 0);
	r->campaign_id = col_int64(q, 1);
	r->owner_id = col_id(q, 2);
	r->title = col_str(q, 3, a);
	r->kind = col_str(q, 4, a);
	r->format = col_str(q, 5, a);
	r->encoding = col_str(q, 6, a);
	r->filename = col_str(q, 7, a);
	r->sha256 = col_str(q, 8, a);
	r->imported_at = col_str(q, 9, a);
	r->version = col_int64(q, 10);
}

enum rc store_report_list(struct store *st, const struct who *w, int64_t campaign_id,
			  struct report_list *out, struct err *e)
{
	(void)w;
	memset(out, 0, sizeof *out);
	int64_t c;
	enum rc rc = campaign_resolve(st, campaign_id, &c, e);
	if (rc) {
		stmts_reset(st);
		return rc;
	}
	struct dbq *q;
	rc = stmt_query(st, ST_REPORT_LIST, ARGS(A_INT(c)), &q, e);
	if (rc)
		return rc;
	VEC(struct report) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct report *rp = VEC_PUSH(v);
		report_head(q, rp, &out->arena);
		rp->source = "";
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "reports");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

/*
 * Depth-first order of nodes given sorted by (parent, pos): the children of
 * a node are one run of the array, found by binary search, so the walk is
 * O(n log n) (a report of 16 MiB has hundreds of thousands of nodes, and
 * every role reads reports).  Nodes deeper than 8 levels, which the tree
 * never has, are left out.
 */
static void dfs(const struct report_node *all, size_t n, int64_t parent, struct report_node *out,
		size_t *k, int depth)
{
	if (depth > 8)
		return;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (all[mid].parent_id < parent)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < n && all[i].parent_id == parent; i++) {
		out[(*k)++] = all[i];
		dfs(all, n, all[i].id, out, k, depth + 1);
	}
}

enum rc store_report_get(struct store *st, const struct who *w, int64_t id, struct report *out,
			 struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_REPORT_GET, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r != DB_ROW) {
		stmts_reset(st);
		if (r == DB_DONE)
			return ERRC(e, RC_NOTFOUND, STORE_E_NO_REPORT, "no report %lld",
				    (long long)id);
		return store_dberr(st, e, "report");
	}
	report_head(q, out, &out->arena);
	out->source_len = col_bytes(q, 11);
	out->source = col_str(q, 11, &out->arena);
	stmt_reset(q);
	rc = stmt_query(st, ST_NODE_LIST, ARGS(A_INT(id), A_INT(who_scope(w))), &q, e);
	if (rc)
		return rc;
	VEC(struct report_node) v = {0};
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct report_node *nd = VEC_PUSH(v);
		nd->id = col_int64(q, 0);
		nd->parent_id = col_id(q, 1);
		nd->kind = (enum node_kind)col_int(q, 2);
		nd->role = (enum doc_role)col_int(q, 3);
		nd->pos = col_int(q, 4);
		nd->label = col_str(q, 5, &out->arena);
		nd->title = col_str(q, 6, &out->arena);
		nd->text = col_str(q, 7, &out->arena);
		nd->start = (uint32_t)col_int64(q, 8);
		nd->end = (uint32_t)col_int64(q, 9);
		nd->task_id = col_id(q, 10);
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		report_release(out);
		return store_dberr(st, e, "report");
	}
	out->nodes = arena_alloc(&out->arena, (v.n ? v.n : 1) * sizeof *out->nodes);
	size_t k = 0;
	dfs(v.v, v.n, 0, out->nodes, &k, 0);
	out->n_nodes = k;
	VEC_FREE(v);
	return RC_OK;
}

/* ---- correcting the tree --------------------------------------------------------- */

struct node_info {
	int64_t id, report_id, parent_id;
	enum node_kind kind;
	enum doc_role role;
	int pos;
	uint32_t start, end;
	char *label, *text;
};

static void node_info_release(struct node_info *n)
{
	free(n->label);
	free(n->text);
	memset(n, 0, sizeof *n);
}

static enum rc node_load(struct store *st, int64_t id, struct node_info *n, struct err *e)
{
	memset(n, 0, sizeof *n);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_NODE_GET, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		n->id = id;
		n->report_id = col_int64(q, 0);
		n->parent_id = col_id(q, 1);
		n->kind = (enum node_kind)col_int(q, 2);
		n->role = (enum doc_role)col_int(q, 3);
		n->pos = col_int(q, 4);
		n->start = (uint32_t)col_int64(q, 5);
		n->end = (uint32_t)col_int64(q, 6);
		n->label = xstrdup(col_text(q, 7));
		n->text = xstrdup(col_text(q, 8));
	}
	stmt_reset(q);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_NODE, "no node %lld", (long long)id);
	if (r != DB_ROW)
		return store_dberr(st, e, "node");
	return RC_OK;
}

/* Check and bump the report's version. */
static enum rc report_bump(struct store *st, int64_t report, int64_t version, struct err *e)
{
	int64_t changed;
	enum rc rc = audited_write(st, ENT_REPORT, report, "tree-edit", ST_REPORT_BUMP,
				   ARGS(A_INT(report), A_INT(version)), &changed, e);
	if (!rc && changed != 1)
		rc = ERRC(e, RC_CONFLICT, STORE_E_STALE,
			  "report %lld was changed by someone else (you had version "
			  "%lld); reload it",
			  (long long)report, (long long)version);
	return rc;
}

static enum rc node_update(struct store *st, const struct node_info *n, const char *title,
			   const char *action, struct err *e)
{
	if (title)
		return audited_write(st, ENT_NODE, n->id, action, ST_NODE_SET_TITLE,
				     ARGS(A_INT(n->id), A_TEXT(title)), NULL, e);
	return audited_write(st, ENT_NODE, n->id, action, ST_NODE_SET_PLACE,
			     ARGS(A_INT(n->id), A_ID(n->parent_id), A_INT(n->pos), A_TEXT(n->text),
				  A_INT(n->start), A_INT(n->end), A_TEXT(n->label)),
			     NULL, e);
}

struct tree_arg {
	int64_t a, b, version;
	const char *text;
	uint32_t offset;
	int32_t today;
	int64_t new_id;
};

static enum rc rename_tx(struct store *st, void *arg, struct err *e)
{
	struct tree_arg *t = arg;
	struct node_info n;
	enum rc rc = node_load(st, t->a, &n, e);
	if (!rc && n.kind == NODE_EXAMPLE)
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_KIND, "an example has no lead to rename");
	if (!rc)
		rc = report_bump(st, n.report_id, t->version, e);
	if (!rc)
		rc = node_update(st, &n, t->text, "rename", e);
	node_info_release(&n);
	return rc;
}

/* The checks every tree correction starts with. */
static enum rc tree_may(const struct who *w, int32_t today, struct err *e)
{
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) corrects a report's tree");
	if (!store_day_valid(today))
		return ERRC(e, RC_INVALID, STORE_E_DATE, "today is not a date");
	return RC_OK;
}

/* Run correction fn of the tree in a transaction, after those checks. */
static enum rc tree_tx(struct store *st, const struct who *w, store_tx_fn fn,
		       struct tree_arg *a, struct err *e)
{
	enum rc rc = tree_may(w, a->today, e);
	return rc ? rc : store_tx(st, w, fn, a, e);
}

enum rc store_node_rename(struct store *st, const struct who *w, int64_t node_id,
			  int64_t version, const char *lead, int32_t today, struct err *e)
{
	enum rc rc = tree_may(w, today, e);
	if (rc)
		return rc;
	if (!lead || !*lead || strlen(lead) > STORE_LEAD_MAX ||
	    !text_utf8_valid(lead, strlen(lead), NULL))
		return ERRC(e, RC_INVALID, STORE_E_TREE_LEAD,
			    "the new lead must be 1 to %d bytes of UTF-8", STORE_LEAD_MAX);
	struct tree_arg a = {node_id, 0, version, lead, 0, today, 0};
	return store_tx(st, w, rename_tx, &a, e);
}

static enum rc next_pos(struct store *st, int64_t parent, int *pos, struct err *e)
{
	int64_t p;
	enum rc rc = stmt_int64(st, ST_NODE_NEXT_POS, ARGS(A_INT(parent)), 0, &p, e);
	*pos = (int)p;
	return rc;
}

typedef VEC(int64_t) id_vec;

/* Ids returned by a statement with one bound id, appended to out. */
static enum rc ids_of(struct store *st, enum stmt s, int64_t arg, id_vec *out, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, s, ARGS(A_INT(arg)), &q, e);
	if (rc)
		return rc;
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW)
		*VEC_PUSH(*out) = col_int64(q, 0);
	stmt_reset(q);
	return r == DB_DONE ? RC_OK : stmt_failed(st);
}

static enum rc move_tx(struct store *st, void *arg, struct err *e)
{
	struct tree_arg *t = arg;
	struct node_info it, area;
	enum rc rc = node_load(st, t->a, &it, e);
	if (rc)
		return rc;
	rc = node_load(st, t->b, &area, e);
	if (!rc && it.kind != NODE_ITEM)
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_KIND, "only an item can be moved");
	if (!rc && area.kind != NODE_AREA)
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_KIND, "an item moves into an area");
	if (!rc && (area.report_id != it.report_id || area.role != it.role))
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_MOVE_PLACE,
			  "an item moves only to an area of the same section kind "
			  "in the same report");
	if (!rc && it.parent_id == area.id)
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_MOVE_SAME, "the item is already in that area");
	if (!rc)
		rc = report_bump(st, it.report_id, t->version, e);
	if (!rc)
		rc = next_pos(st, area.id, &it.pos, e);
	if (!rc) {
		it.parent_id = area.id;
		rc = node_update(st, &it, NULL, "move", e);
	}
	/* Its tasks now belong to the new area. */
	if (!rc) {
		id_vec tasks = {0};
		rc = ids_of(st, ST_PROBLEM_TASKS, it.id, &tasks, e);
		for (size_t k = 0; k < tasks.n && !rc; k++)
			rc = audited_write(st, ENT_TASK, tasks.v[k], "move", ST_TASK_SET_AREA,
					   ARGS(A_INT(tasks.v[k])), NULL, e);
		VEC_FREE(tasks);
	}
	node_info_release(&it);
	node_info_release(&area);
	return rc;
}

enum rc store_node_move(struct store *st, const struct who *w, int64_t item_id,
			int64_t area_id, int64_t version, int32_t today, struct err *e)
{
	struct tree_arg a = {item_id, area_id, version, NULL, 0, today, 0};
	return tree_tx(st, w, move_tx, &a, e);
}

/* Delete a row and audit the deletion. */
static enum rc delete_audited(struct store *st, enum stmt del, enum ent ent, int64_t id,
			      const char *action, struct err *e)
{
	return audited_write(st, ent, id, action, del, ARGS(A_INT(id)), NULL, e);
}

/* Re-point the task links of measure `from` to measure `to`. */
static enum rc measures_repoint(struct store *st, int64_t from, int64_t to, struct err *e)
{
	id_vec tasks = {0};
	enum rc rc = ids_of(st, ST_MEASURE_TASKS, from, &tasks, e);
	for (size_t i = 0; i < tasks.n && !rc; i++) {
		/* Two writes between the image and the audit row. */
		char *before;
		if ((rc = audit_image(st, ENT_TASK, tasks.v[i], &before, e)))
			break;
		rc = stmt_run(st, ST_TASK_MEASURE_ADD, ARGS(A_INT(tasks.v[i]), A_INT(to)), e);
		if (!rc)
			rc = stmt_run(st, ST_TASK_MEASURE_DEL, ARGS(A_INT(tasks.v[i]), A_INT(from)), e);
		if (rc)
			free(before);
		else
			rc = audit_change(st, "merge", ENT_TASK, tasks.v[i], before, e);
	}
	VEC_FREE(tasks);
	return rc;
}

static enum rc merge_tx(struct store *st, void *arg, struct err *e)
{
	struct tree_arg *t = arg;
	struct node_info keep, gone;
	enum rc rc = node_load(st, t->a, &keep, e);
	if (rc)
		return rc;
	rc = node_load(st, t->b, &gone, e);
	if (!rc && (keep.kind != NODE_ITEM || gone.kind != NODE_ITEM))
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_KIND, "only items are merged");
	if (!rc && keep.id == gone.id)
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_MERGE_SELF, "an item cannot be merged with itself");
	if (!rc && (keep.report_id != gone.report_id || keep.role != gone.role))
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_MERGE_PLACE,
			  "items are merged only within one section kind of one "
			  "report");
	if (!rc)
		rc = report_bump(st, keep.report_id, t->version, e);
	/* The tasks of the absorbed item. */
	id_vec keep_tasks = {0};
	id_vec gone_tasks = {0};
	if (!rc)
		rc = ids_of(st, ST_PROBLEM_TASKS, keep.id, &keep_tasks, e);
	if (!rc)
		rc = ids_of(st, ST_PROBLEM_TASKS, gone.id, &gone_tasks, e);
	for (size_t i = 0; i < gone_tasks.n && !rc; i++) {
		int64_t tid = gone_tasks.v[i];
		struct dbq *q;
		if ((rc = stmt_query(st, ST_TASK_HISTORY_SIZE, ARGS(A_INT(tid)), &q, e)))
			break;
		int r = stmt_step(st, q, e);
		int busy = r == DB_ROW && col_int(q, 0) > 0;
		int64_t campaign = r == DB_ROW ? col_int64(q, 1) : 0;
		stmt_reset(q);
		if (r != DB_ROW && r != DB_DONE) {
			rc = stmt_failed(st);
			break;
		}
		/* Does the kept item have a task in the same campaign? */
		int keep_has = 0;
		for (size_t k = 0; k < keep_tasks.n && !rc; k++) {
			int64_t c;
			rc = stmt_int64(st, ST_TASK_CAMPAIGN_OF, ARGS(A_INT(keep_tasks.v[k])), 0, &c,
					e);
			if (!rc && c == campaign)
				keep_has = 1;
		}
		if (rc)
			break;
		if (!keep_has) {
			/* The task follows its item to the kept one. */
			rc = audited_write(st, ENT_TASK, tid, "merge", ST_TASK_SET_PROBLEM,
					   ARGS(A_INT(tid), A_INT(keep.id)), NULL, e);
			continue;
		}
		if (busy) {
			rc = ERRC(e, RC_CONFLICT, STORE_E_TREE_HISTORY,
				  "the task of the item being merged already has "
				  "progress or history; merge refused (close or reassign it "
				  "first)");
			break;
		}
		/* An untouched task: its links, events and itself go. */
		id_vec evs = {0};
		rc = ids_of(st, ST_TASK_EVENT_IDS, tid, &evs, e);
		for (size_t k = 0; k < evs.n && !rc; k++)
			rc = delete_audited(st, ST_EVENT_DELETE, ENT_EVENT, evs.v[k], "merge", e);
		VEC_FREE(evs);
		char *before = NULL;
		if (!rc)
			rc = audit_image(st, ENT_TASK, tid, &before, e);
		if (!rc)
			rc = stmt_run(st, ST_TASK_MEASURES_CLEAR, ARGS(A_INT(tid)), e);
		if (!rc)
			rc = stmt_run(st, ST_TASK_DELETE, ARGS(A_INT(tid)), e);
		if (rc)
			free(before);
		else
			rc = audit_change(st, "merge", ENT_TASK, tid, before, e);
	}
	if (!rc)
		rc = measures_repoint(st, gone.id, keep.id, e);
	/* Examples move to the kept item, after its own. */
	if (!rc) {
		id_vec ex = {0};
		int pos;
		rc = ids_of(st, ST_NODE_CHILDREN, gone.id, &ex, e);
		if (!rc)
			rc = next_pos(st, keep.id, &pos, e);
		for (size_t k = 0; k < ex.n && !rc; k++) {
			struct node_info x;
			rc = node_load(st, ex.v[k], &x, e);
			if (rc)
				break;
			x.parent_id = keep.id;
			x.pos = pos++;
			rc = node_update(st, &x, NULL, "merge", e);
			node_info_release(&x);
		}
		VEC_FREE(ex);
	}
	if (!rc) {
		char *text = xasprintf("%s%s", keep.text, gone.text);
		free(keep.text);
		keep.text = text;
		if (gone.start < keep.start)
			keep.start = gone.start;
		if (gone.end > keep.end)
			keep.end = gone.end;
		rc = node_update(st, &keep, NULL, "merge", e);
	}
	if (!rc)
		rc = delete_audited(st, ST_NODE_DELETE, ENT_NODE, gone.id, "merge", e);
	VEC_FREE(keep_tasks);
	VEC_FREE(gone_tasks);
	node_info_release(&keep);
	node_info_release(&gone);
	return rc;
}

enum rc store_node_merge(struct store *st, const struct who *w, int64_t keep_id,
			 int64_t absorb_id, int64_t version, int32_t today, struct err *e)
{
	struct tree_arg a = {keep_id, absorb_id, version, NULL, 0, today, 0};
	return tree_tx(st, w, merge_tx, &a, e);
}

/* The normalised text of source[a, b), without a leading label. */
static char *piece_text(const char *src, uint32_t a, uint32_t b, const char *label)
{
	char *t = doc_normalise(src + a, b - a);
	size_t n = strlen(label);
	char *p = t;
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	if (n && strncmp(p, label, n) == 0) {
		p += n;
		/* The label's own punctuation: ，、：. */
		static const char *const seps[] = {"，", "、", "：", "．", "."};
		for (size_t i = 0; i < ARRAY_LEN(seps); i++) {
			size_t k = strlen(seps[i]);
			if (strncmp(p, seps[i], k) == 0) {
				p += k;
				break;
			}
		}
	}
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	char *out = xstrdup(p);
	size_t len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	free(t);
	return out;
}

/* First clause of an item's text, without its closing 。. */
static char *lead_of(const char *text)
{
	const char *end = strstr(text, "。");
	size_t n = end ? (size_t)(end - text) : strlen(text);
	if (n > 600)
		n = text_utf8_back(text, 600);
	return xstrndup(text, n);
}

static enum rc split_tx(struct store *st, void *arg, struct err *e)
{
	struct tree_arg *t = arg;
	struct node_info it;
	enum rc rc = node_load(st, t->a, &it, e);
	if (rc)
		return rc;
	if (it.kind != NODE_ITEM)
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_KIND, "only an item can be split");
	char *src = NULL;
	if (!rc) {
		struct dbq *q;
		int r = DB_ERROR;
		rc = stmt_query(st, ST_REPORT_SOURCE, ARGS(A_INT(it.report_id)), &q, e);
		if (!rc && (r = stmt_step(st, q, e)) == DB_ROW)
			src = xstrndup(col_text(q, 0),
				       col_bytes(q, 0));
		if (!rc)
			stmt_reset(q);
		if (!rc && r == DB_DONE)
			rc = ERR(e, RC_INTERNAL, "report source missing");
		else if (!rc && r != DB_ROW)
			rc = stmt_failed(st);
	}
	if (!rc && (t->offset <= it.start || t->offset >= it.end))
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_SPLIT,
			  "the split point %u is not inside the item (%u..%u)", t->offset, it.start,
			  it.end);
	if (!rc && ((unsigned char)src[t->offset] & 0xC0) == 0x80)
		rc = ERRC(e, RC_INVALID, STORE_E_TREE_SPLIT,
			  "the split point %u is inside a character", t->offset);
	if (!rc)
		rc = report_bump(st, it.report_id, t->version, e);
	/* Later siblings make room. */
	if (!rc) {
		id_vec sib = {0};
		rc = ids_of(st, ST_NODE_CHILDREN, it.parent_id, &sib, e);
		for (size_t k = 0; k < sib.n && !rc; k++) {
			struct node_info x;
			if ((rc = node_load(st, sib.v[k], &x, e)))
				break;
			if (x.pos > it.pos) {
				x.pos++;
				rc = node_update(st, &x, NULL, "split", e);
			}
			node_info_release(&x);
		}
		VEC_FREE(sib);
	}
	char *first = NULL, *second = NULL, *lead2 = NULL;
	if (!rc) {
		first = piece_text(src, it.start, t->offset, it.label);
		second = piece_text(src, t->offset, it.end, "");
		lead2 = lead_of(second);
		uint32_t old_end = it.end;
		free(it.text);
		it.text = first;
		first = NULL;
		it.end = t->offset;
		rc = node_update(st, &it, NULL, "split", e);
		if (!rc)
			rc = node_insert(st, it.report_id, it.parent_id, NODE_ITEM, it.role, it.pos + 1,
					 "", lead2, second, t->offset, old_end, "split", &t->new_id, e);
	}
	/* Examples in the second half go with it. */
	if (!rc) {
		id_vec ex = {0};
		rc = ids_of(st, ST_NODE_CHILDREN, it.id, &ex, e);
		int pos = 0;
		for (size_t k = 0; k < ex.n && !rc; k++) {
			struct node_info x;
			if ((rc = node_load(st, ex.v[k], &x, e)))
				break;
			if (x.start >= t->offset) {
				x.parent_id = t->new_id;
				x.pos = pos++;
				rc = node_update(st, &x, NULL, "split", e);
			}
			node_info_release(&x);
		}
		VEC_FREE(ex);
	}
	/* A problem item's tasks get a twin for the new item. */
	if (!rc) {
		id_vec tasks = {0};
		rc = ids_of(st, ST_PROBLEM_TASKS, it.id, &tasks, e);
		for (size_t k = 0; k < tasks.n && !rc; k++) {
			int64_t campaign, id;
			rc = stmt_int64(st, ST_TASK_CAMPAIGN_OF, ARGS(A_INT(tasks.v[k])), 0, &campaign,
					e);
			if (!rc)
				rc = task_copy(st, tasks.v[k], campaign, t->new_id, 0, 0, "split",
					       "split from the task of the same item", t->today, &id, e);
		}
		VEC_FREE(tasks);
	}
	free(first);
	free(second);
	free(lead2);
	free(src);
	node_info_release(&it);
	return rc;
}

enum rc store_node_split(struct store *st, const struct who *w, int64_t item_id,
			 uint32_t offset, int64_t version, int32_t today, int64_t *new_id,
			 struct err *e)
{
	struct tree_arg a = {item_id, 0, version, NULL, offset, today, 0};
	enum rc rc = tree_tx(st, w, split_tx, &a, e);
	if (!rc && new_id)
		*new_id = a.new_id;
	return rc;
}

/* ---- earlier campaigns ---------------------------------------------------------- */

void past_item_list_release(struct past_item_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

enum rc store_past_items(struct store *st, const struct who *w, int64_t campaign_id,
			 struct past_item_list *out, struct err *e)
{
	(void)w;
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_PAST_ITEMS, ARGS(A_INT(campaign_id)), &q, e);
	if (rc)
		return rc;
	VEC(struct past_item) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct past_item *p = VEC_PUSH(v);
		p->node_id = col_int64(q, 0);
		p->campaign_id = col_int64(q, 1);
		p->report_id = col_int64(q, 2);
		p->year = col_int(q, 3);
		p->lead = col_str(q, 4, &out->arena);
		p->text = col_str(q, 5, &out->arena);
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "past items");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

/* ---- spreadsheet ledgers -------------------------------------------------------- */

struct ledger_arg {
	int64_t campaign;
	int new_year;                   /* with new_title: open this campaign */
	const char *new_title;
	const struct ledger_row *rows;
	size_t n;
	const char *filename;
	unsigned flags;                 /* LEDGER_* */
	int32_t today;
	struct import_result *out;
};

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* How many active leaders s names (by login or name); *id is the last.
 * -1 when they cannot be read (e filled; stmt_failed() the rc). */
static int leaders_named(struct store *st, const char *s, int64_t *id, struct err *e)
{
	struct dbq *q = stmt_get(st, ST_LEADER_FIND, e);
	if (!q)
		return -1;
	bind_text(q, 1, s);
	int n = 0, r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		*id = col_int64(q, 0);
		n++;
	}
	stmt_reset(q);
	return r == DB_DONE ? n : -1;
}

static bool listed(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

enum rc store_ledger_names(struct store *st, const struct ledger_row *rows, size_t n,
			   struct ledger_names *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->new_units = xcalloc(n + 1, sizeof *out->new_units);
	out->lost = xcalloc(n + 1, sizeof *out->lost);
	for (size_t i = 0; i < n; i++) {
		const struct ledger_row *r = &rows[i];
		int64_t id;
		if (!blank(r->unit) && !listed(r->unit, out->new_units, out->n_new_units)) {
			enum rc rc = store_unit_find(st, r->unit, &id, e);
			if (rc == RC_NOTFOUND) {
				err_clear(e);
				out->new_units[out->n_new_units++] = r->unit;
			} else if (rc) {
				ledger_names_release(out);
				return rc;
			}
		}
		if (blank(r->leader) || listed(r->leader, out->lost, out->n_lost))
			continue;
		int k = leaders_named(st, r->leader, &id, e);
		if (k < 0) {
			ledger_names_release(out);
			return stmt_failed(st);
		}
		if (k != 1)
			out->lost[out->n_lost++] = r->leader;
	}
	return RC_OK;
}

void ledger_names_release(struct ledger_names *out)
{
	free(out->new_units);
	free(out->lost);
	memset(out, 0, sizeof *out);
}

static enum rc find_leader(struct store *st, const char *s, int64_t *id, size_t row,
			   int keep_text, struct err *e)
{
	int n = leaders_named(st, s, id, e);
	if (n < 0)
		return stmt_failed(st);
	if (n == 1)
		return RC_OK;
	*id = 0;
	if (keep_text)
		return RC_OK;   /* none or several: kept as the task's leader_text */
	if (n == 0)
		return ERRC(e, RC_INVALID, STORE_E_LEDGER_ROW,
			    "row %zu, 责任领导: no leader '%s' (a user with role "
			    "leader, by login or name)",
			    row, s);
	return ERRC(e, RC_INVALID, STORE_E_LEDGER_ROW,
		    "row %zu, 责任领导: '%s' names %d leaders; use the login", row, s, n);
}

/* What a ledger row becomes, worked out before anything is written. */
struct ledger_cell {
	int64_t leader, unit;
	int new_unit;                   /* unit made by this import */
	enum deadline_kind dk;
	int32_t day;
	enum task_status status;
	uint32_t ps, pe, ms, me;        /* spans of its problem and measures in the source */
};

/* Check row r (1-based number row) and resolve its names, deadline and
 * status into *c.  RC_INVALID names the row and the cell. */
static enum rc ledger_resolve(struct store *st, const struct ledger_row *r, size_t row, int year,
			      int32_t immediate_due, unsigned flags, struct ledger_cell *c,
			      struct err *e)
{
	enum rc rc;
	c->day = STORE_NO_DAY;
	if (blank(r->problem))
		return ERRC(e, RC_INVALID, STORE_E_LEDGER_ROW, "row %zu, 问题: empty", row);
	const char *cells[] = {r->area, r->problem, r->measures, r->goal, r->leader,
			       r->unit, r->deadline, r->status, r->progress};
	for (size_t k = 0; k < ARRAY_LEN(cells); k++)
		if (cells[k] && (strlen(cells[k]) > STORE_TEXT_MAX ||
				 !text_utf8_valid(cells[k], strlen(cells[k]), NULL)))
			return ERRC(e, RC_INVALID, STORE_E_LEDGER_ROW,
				    "row %zu: a cell is longer than %d bytes or not UTF-8", row,
				    STORE_TEXT_MAX);
	if (!blank(r->leader) &&
	    (rc = find_leader(st, r->leader, &c->leader, row, (flags & LEDGER_LEADER_TEXT) != 0, e)))
		return rc;
	if (!blank(r->unit) && store_unit_find(st, r->unit, &c->unit, NULL) != RC_OK) {
		if (!(flags & LEDGER_NEW_UNITS))
			return ERRC(e, RC_INVALID, STORE_E_LEDGER_ROW,
				    "row %zu, 责任单位: no unit '%s'", row, r->unit);
		/* A new unit, at the top: made here, so that later rows naming
		 * it find it and the whole import stays one transaction. */
		if ((rc = unit_insert(st, r->unit, 0, &c->unit, e))) {
			if (rc == RC_INVALID)
				return ERRC(e, RC_INVALID, STORE_E_LEDGER_ROW,
					    "row %zu, 责任单位: '%s' cannot be a unit's name "
					    "(1 to %d bytes, no control characters)",
					    row, r->unit, STORE_NAME_MAX);
			return rc;
		}
		c->new_unit = 1;
	}
	c->dk = DEADLINE_NONE;
	if (!blank(r->deadline)) {
		struct doc_deadline dl;
		if (deadline_parse(r->deadline, &c->dk, &c->day) == 0) {
			if (c->dk == DEADLINE_IMMEDIATE)
				c->day = immediate_due;
		} else if (doc_deadline_parse(r->deadline, strlen(r->deadline), year, &dl) &&
			   (dl.kind != DOC_DEADLINE_DATE || store_day_parse(dl.date, &c->day) == 0)) {
			c->dk = dl.kind == DOC_DEADLINE_DATE	  ? DEADLINE_DATE
				: dl.kind == DOC_DEADLINE_ONGOING ? DEADLINE_ONGOING
								  : DEADLINE_IMMEDIATE;
			if (c->dk == DEADLINE_IMMEDIATE)
				c->day = immediate_due;
			else if (c->dk == DEADLINE_ONGOING)
				c->day = STORE_NO_DAY;
		} else {
			return ERRC(e, RC_INVALID, STORE_E_LEDGER_ROW,
				    "row %zu, 整改时限: cannot read '%s' (write "
				    "YYYY-MM-DD, 长期坚持 or 立行立改)",
				    row, r->deadline);
		}
	}
	c->status = blank(r->progress) ? TASK_NOT_STARTED : TASK_IN_PROGRESS;
	if (!blank(r->status)) {
		enum task_status s;
		if (task_status_parse(r->status, &s) != 0)
			return ERRC(e, RC_INVALID, STORE_E_LEDGER_ROW,
				    "row %zu, 状态: unknown status '%s'", row, r->status);
		if (s == TASK_SUBMITTED)
			s = TASK_IN_PROGRESS;
		if (s == TASK_STAGED && c->dk != DEADLINE_ONGOING)
			s = TASK_IN_PROGRESS;
		if (s == TASK_NOT_STARTED && !blank(r->progress))
			s = TASK_IN_PROGRESS;
		c->status = s;
	}
	return RC_OK;
}

/* The report source made of the rows, so that nodes have spans: a title
 * line, 一、问题 with one numbered line per row, 二、整改措施 likewise; the
 * spans go into the cells. */
static void ledger_source(const struct ledger_arg *a, struct ledger_cell *cells, struct buf *src)
{
	buf_puts(src, a->filename ? a->filename : "台账");
	buf_puts(src, "\n\n一、问题\n\n");
	for (size_t i = 0; i < a->n; i++) {
		buf_printf(src, "%zu. ", i + 1);
		cells[i].ps = (uint32_t)src->len;
		if (!blank(a->rows[i].area)) {
			buf_puts(src, a->rows[i].area);
			buf_puts(src, "：");
		}
		buf_puts(src, a->rows[i].problem);
		cells[i].pe = (uint32_t)src->len;
		buf_puts(src, "\n");
	}
	buf_puts(src, "\n二、整改措施\n\n");
	for (size_t i = 0; i < a->n; i++) {
		buf_printf(src, "%zu. ", i + 1);
		cells[i].ms = (uint32_t)src->len;
		buf_puts(src, a->rows[i].measures ? a->rows[i].measures : "");
		cells[i].me = (uint32_t)src->len;
		buf_puts(src, "\n");
	}
}

/* The report being written: its sections, and its areas in order of first
 * appearance (the same name in both sections; a measure area is made with
 * its first measure). */
struct ledger_tree {
	int64_t report, psec, msec;
	VEC(const char *) names;
	id_vec parea, marea;
};

/* The area of name an (index into the tree's areas), made when new. */
static enum rc ledger_area(struct store *st, struct ledger_tree *t, const char *an,
			   const struct ledger_cell *c, size_t *ai, struct err *e)
{
	size_t i = 0;
	while (i < t->names.n && strcmp(t->names.v[i], an) != 0)
		i++;
	*ai = i;
	if (i < t->names.n)
		return RC_OK;
	*VEC_PUSH(t->names) = an;
	int64_t pa = 0;
	enum rc rc = node_insert(st, t->report, t->psec, NODE_AREA, DOC_ROLE_PROBLEMS, (int)i, "",
				 an, "", c->ps, c->pe, "import", &pa, e);
	*VEC_PUSH(t->parea) = pa;
	*VEC_PUSH(t->marea) = 0;
	return rc;
}

/* Row i: its problem item, one measure item per line of 整改措施, its task,
 * and its 进展情况 as one progress entry. */
static enum rc ledger_row_insert(struct store *st, struct ledger_arg *a, struct ledger_tree *t,
				 size_t i, const struct ledger_cell *c, struct err *e)
{
	const struct ledger_row *r = &a->rows[i];
	const char *an = blank(r->area) ? "" : r->area;
	size_t ai;
	enum rc rc = ledger_area(st, t, an, c, &ai, e);
	if (rc)
		return rc;
	int pos;
	if ((rc = next_pos(st, t->parea.v[ai], &pos, e)))
		return rc;
	char label[24];
	snprintf(label, sizeof label, "%zu.", i + 1);
	char *lead = lead_of(r->problem);
	int64_t pid;
	rc = node_insert(st, t->report, t->parea.v[ai], NODE_ITEM, DOC_ROLE_PROBLEMS, pos, label,
			 lead, r->problem, c->ps, c->pe, "import", &pid, e);
	free(lead);
	if (rc)
		return rc;
	/* Each line of 整改措施 is a measure. */
	const char *m = r->measures ? r->measures : "";
	if (!blank(m) && !t->marea.v[ai] &&
	    (rc = node_insert(st, t->report, t->msec, NODE_AREA, DOC_ROLE_MEASURES, (int)ai, "", an,
			      "", c->ms, c->me, "import", &t->marea.v[ai], e)))
		return rc;
	if (t->marea.v[ai] && (rc = next_pos(st, t->marea.v[ai], &pos, e)))
		return rc;
	id_vec mids = {0};
	uint32_t off = c->ms;
	while (!rc && *m) {
		const char *nl = strchr(m, '\n');
		size_t len = nl ? (size_t)(nl - m) : strlen(m);
		char *line = xstrndup(m, len);
		if (!blank(line)) {
			char *ml = lead_of(line);
			int64_t mid = 0;
			rc = node_insert(st, t->report, t->marea.v[ai], NODE_ITEM, DOC_ROLE_MEASURES,
					 pos++, "", ml, line, off, off + (uint32_t)len, "import", &mid,
					 e);
			*VEC_PUSH(mids) = mid;
			free(ml);
		}
		free(line);
		off += (uint32_t)len + (nl ? 1 : 0);
		m += len + (nl ? 1 : 0);
	}
	a->out->n_measures += (int)mids.n;
	struct task_new tn = {0};
	tn.campaign_id = a->out->campaign_id;
	tn.problem_id = pid;
	tn.leader_id = c->leader;
	/* A name that matched no leader (LEDGER_LEADER_TEXT): kept as written. */
	tn.leader_text = !c->leader && !blank(r->leader) ? r->leader : NULL;
	a->out->n_leader_text += tn.leader_text != NULL;
	tn.unit_id = c->unit;
	tn.goal = blank(r->goal) ? "" : r->goal;
	tn.deadline_kind = c->dk;
	tn.deadline = c->day;
	tn.status = c->status;
	tn.created = tn.last_activity = a->today;
	tn.closed_day = c->status == TASK_CLOSED ? a->today : STORE_NO_DAY;
	tn.review_due = (c->status == TASK_CLOSED || c->status == TASK_STAGED)
				? store_day_add_months(a->today, (int)store_setting_value(
								     st, SETTING_REVIEW_MONTHS))
				: STORE_NO_DAY;
	tn.measures = mids.v;
	tn.n_measures = mids.n;
	int64_t tid = 0;
	if (!rc)
		rc = c->status == TASK_CLOSED
			     ? task_insert(st, &tn, "import-closed",
					   "imported as closed (已销号) from a spreadsheet ledger",
					   a->today, &tid, e)
			     : task_insert(st, &tn, "import", "imported from a spreadsheet ledger",
					   a->today, &tid, e);
	VEC_FREE(mids);
	if (rc)
		return rc;
	a->out->n_tasks++;
	if (blank(r->progress))
		return RC_OK;
	struct dbq *q;
	rc = stmt_query(st, ST_PROGRESS_INSERT,
			ARGS(A_INT(tid), A_INT(a->today), A_TEXT(st->tx_at),
			     A_ID(st->tx_who->user_id), A_TEXT(r->progress)), &q, e);
	if (rc)
		return rc;
	if ((rc = stmt_done(st, q, e)) ||
	    (rc = audit_insert(st, "import", ENT_PROGRESS, db_last_id(st), e)))
		return rc;
	return audited_write(st, ENT_TASK, tid, "import", ST_TASK_COUNT_PROGRESS,
			     ARGS(A_INT(tid)), NULL, e);
}

static enum rc ledger_tx(struct store *st, void *arg, struct err *e)
{
	struct ledger_arg *a = arg;
	memset(a->out, 0, sizeof *a->out);      /* store_tx() may run this again */
	int64_t campaign = a->campaign;
	enum rc rc;
	if (a->new_title) {
		rc = campaign_insert(st, a->new_year, a->new_title, "", "[]", a->today, 0,
				     &campaign, e);
		a->out->campaign_created = 1;
	} else {
		rc = campaign_resolve(st, campaign, &campaign, e);
	}
	if (rc)
		return rc;
	a->out->campaign_id = campaign;
	int64_t year;
	if ((rc = stmt_int64(st, ST_CAMPAIGN_YEAR, ARGS(A_INT(campaign)), 0, &year, e)))
		return rc;
	/* Resolve every row (making the new units) before the report is written;
	 * a refusal rolls back everything, the units included. */
	struct ledger_cell *cells = xcalloc(a->n ? a->n : 1, sizeof *cells);
	int32_t immediate_due = a->today + (int32_t)store_setting_value(st, SETTING_IMMEDIATE_DAYS);
	for (size_t i = 0; i < a->n && !rc; i++) {
		rc = ledger_resolve(st, &a->rows[i], i + 1, year, immediate_due, a->flags, &cells[i],
				    e);
		a->out->n_units_created += cells[i].new_unit;
	}
	struct buf src = BUF_INIT(0);
	char sha[65] = "";
	if (!rc) {
		ledger_source(a, cells, &src);
		util_sha256_hex(src.p, src.len, sha);
		rc = duplicate_check(st, sha, (a->flags & LEDGER_AGAIN) != 0, e);
	}
	struct ledger_tree t = {0};
	if (!rc)
		rc = report_insert(st, campaign, 0, a->filename ? a->filename : "台账", "ledger",
				   "ledger", "UTF-8", a->filename, year, sha, src.p, src.len, &t.report,
				   e);
	a->out->report_id = t.report;
	if (!rc)
		rc = node_insert(st, t.report, 0, NODE_SECTION, DOC_ROLE_PROBLEMS, 0, "一、", "问题",
				 "", 0, (uint32_t)src.len, "import", &t.psec, e);
	if (!rc)
		rc = node_insert(st, t.report, 0, NODE_SECTION, DOC_ROLE_MEASURES, 1, "二、",
				 "整改措施", "", 0, (uint32_t)src.len, "import", &t.msec, e);
	for (size_t i = 0; i < a->n && !rc; i++)
		rc = ledger_row_insert(st, a, &t, i, &cells[i], e);
	VEC_FREE(t.names);
	VEC_FREE(t.parea);
	VEC_FREE(t.marea);
	buf_release(&src);
	free(cells);
	return rc;
}

static enum rc ledger_import(struct store *st, const struct who *w, int64_t campaign_id,
			    int new_year, const char *new_title, const struct ledger_row *rows,
			    size_t n, const char *filename, unsigned flags, int32_t today,
			    struct import_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) imports ledgers");
	if (n == 0)
		return ERRC(e, RC_INVALID, STORE_E_LEDGER_SIZE, "the ledger has no rows");
	if (n > LEDGER_ROWS_MAX)
		return ERRC(e, RC_TOOBIG, STORE_E_LEDGER_SIZE,
			    "the ledger has %zu rows; the limit is %d", n, LEDGER_ROWS_MAX);
	char *clean = clean_filename(filename);
	struct ledger_arg a = {campaign_id, new_year, new_title, rows, n, clean, flags, today, out};
	enum rc rc = store_tx(st, w, ledger_tx, &a, e);
	free(clean);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

enum rc store_ledger_import(struct store *st, const struct who *w, int64_t campaign_id,
			    const struct ledger_row *rows, size_t n, const char *filename,
			    unsigned flags, int32_t today, struct import_result *out,
			    struct err *e)
{
	return ledger_import(st, w, campaign_id, 0, NULL, rows, n, filename, flags, today, out, e);
}

enum rc store_ledger_import_new(struct store *st, const struct who *w, int year,
				const char *title, const struct ledger_row *rows, size_t n,
				const char *filename, unsigned flags, int32_t today,
				struct import_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) imports ledgers");
	enum rc rc = campaign_check(year, title, e);
	if (rc)
		return rc;
	return ledger_import(st, w, 0, year, title, rows, n, filename, flags, today, out, e);
}
