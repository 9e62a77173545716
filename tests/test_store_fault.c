/*
 * The store under failing steps: for each store function of a
 * representative workflow (import, assignment, progress with evidence,
 * the review cycle, extension, 催办, tree correction, spreadsheet import,
 * settings, units, users, sessions, the day's reminders, and the reads of
 * every page and export), the statement layer's hook makes step 1 fail,
 * then step 2, and so on until the function no longer reaches that step.
 * At every N the function must return an error (never RC_OK with less
 * data), the database must be exactly what it was (a hash of every row of
 * every table), and verify must still pass.  Then the function runs without
 * a fault and the workflow goes on from its result.
 */
#include "testutil.h"
#include "pgtest.h"

#include "doc.h"
#include "store_int.h"

static struct {
	char dir[64];
	char evidence[128];
	struct store *st;
	struct who admin, lead, rev, obs;
	int64_t unit_a, unit_b;
	int32_t today;
	char token[STORE_TOKEN_HEX];
	long walked, faults;    /* functions walked, failed steps seen */
} G;

/* ---- the database's content --------------------------------------------- */

/* SHA-256 of every row of every table (sqlite_* aside), on st's own
 * connection but outside the store's statement layer, so the hook never
 * sees these steps. */
static void db_hash_pg(struct store *st, struct buf *b);

static void db_hash(struct store *st, char out[65])
{
	struct buf b = BUF_INIT(0);
	if (st->pg) {
		db_hash_pg(st, &b);
		goto done;
	}
	sqlite3_stmt *t;
	assert_int_equal(sqlite3_prepare_v2(st->db,
					    "SELECT name FROM sqlite_schema WHERE type = 'table'"
					    " AND name NOT LIKE 'sqlite_%' ORDER BY name",
					    -1, &t, NULL),
			 SQLITE_OK);
	int r;
	while ((r = sqlite3_step(t)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		buf_printf(&b, "[%s]", name);
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &q, NULL), SQLITE_OK);
		sqlite3_free(sql);
		int k;
		while ((k = sqlite3_step(q)) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(q); c++) {
				int type = sqlite3_column_type(q, c);
				const void *p = sqlite3_column_blob(q, c);
				int n = sqlite3_column_bytes(q, c);
				buf_printf(&b, "%d:%d:", type, n);
				if (n)
					buf_append(&b, p, (size_t)n);
			}
			buf_putc(&b, '\n');
		}
		assert_int_equal(k, SQLITE_DONE);
		sqlite3_finalize(q);
	}
	assert_int_equal(r, SQLITE_DONE);
	sqlite3_finalize(t);
done:
	assert_int_equal(b.err, RC_OK);
	util_sha256_hex(b.p ? b.p : "", b.len, out);
	buf_release(&b);
}

/* The same on PostgreSQL: each row as the server writes it as text, the
 * rows in the order of that text (the order rows are stored in moves with
 * every update there); on the engine's own statements, below the layer. */
static void db_hash_pg(struct store *st, struct buf *b)
{
	struct pgq *t = pg_prepare(st->pg,
				   "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
				   " ORDER BY tablename",
				   NULL);
	assert_non_null(t);
	int r;
	while ((r = pgq_step(t)) == DB_ROW) {
		const char *name = pgq_col_text(t, 0);
		buf_printf(b, "[%s]", name);
		char *sql = xasprintf("SELECT CAST(r AS text) FROM \"%s\" r ORDER BY 1", name);
		struct pgq *q = pg_prepare(st->pg, sql, NULL);
		free(sql);
		assert_non_null(q);
		int k;
		while ((k = pgq_step(q)) == DB_ROW) {
			buf_append(b, pgq_col_text(q, 0), pgq_col_bytes(q, 0));
			buf_putc(b, '\n');
		}
		assert_int_equal(k, DB_DONE);
		pgq_finalize(q);
	}
	assert_int_equal(r, DB_DONE);
	pgq_finalize(t);
}

static void verify_ok(struct store *st)
{
	struct verify_result v;
	struct err e = {0};
	assert_int_equal(store_verify(st, &v, &e), RC_OK);
	if (!v.ok)
		fail_msg("verify: %s", v.msg);
}

/* ---- the walk -------------------------------------------------------------- */

/* What an operation works on: read before the hook is armed, so that only
 * the function under test counts steps. */
struct ctx {
	int64_t id, version, node, ext;
	int64_t out;
};

struct op {
	const char *name;
	void (*prep)(struct ctx *c);
	enum rc (*run)(struct store *st, struct ctx *c, struct err *e);
};

/*
 * Walk op: step N = 1, 2, … fails until op no longer reaches step N.  At
 * each N: an error, the same database, verify passing.  Then op has run
 * once without a fault (and must have succeeded); the number of steps it
 * took is returned.
 */
static long walk(const struct op *op)
{
	struct store *st = G.st;
	for (long n = 1;; n++) {
		struct ctx c = {0};
		if (op->prep)
			op->prep(&c);
		char before[65], after[65];
		db_hash(st, before);
		struct err e = {0};
		store_fault_arm(n, -1);
		enum rc rc = op->run(st, &c, &e);
		int fired = store_fault_fired();
		store_fault_arm(0, -1);
		if (!fired) {
			if (rc != RC_OK)
				fail_msg("%s without a fault: %s (%s)", op->name, rc_name(rc), e.msg);
			G.walked++;
			return n - 1;
		}
		G.faults++;
		if (rc == RC_OK)
			fail_msg("%s returned RC_OK although its step %ld failed (%s)", op->name, n,
				 store_fault_sql());
		db_hash(st, after);
		if (strcmp(before, after) != 0)
			fail_msg("%s changed the database although its step %ld failed (%s: %s)",
				 op->name, n, store_fault_sql(), e.msg);
		verify_ok(st);
	}
}

#define WALK(op_) assert_true(walk(&(op_)) > 0)

/* ---- the operations ---------------------------------------------------------- */

/* The id of the kth task of the ledger (by id): 1 … on SQLite, but a
 * PostgreSQL sequence keeps the ids the failed imports of the walk drew. */
static int64_t task_no(int k)
{
	char sql[80];
	snprintf(sql, sizeof sql, "SELECT id FROM task ORDER BY id LIMIT 1 OFFSET %d", k - 1);
	return test_int(G.st, sql);
}

static int64_t task_version(int64_t id)
{
	struct task t;
	assert_int_equal(store_task_get(G.st, &WHO_SYSTEM, id, G.today, &t, NULL), RC_OK);
	int64_t v = t.version;
	task_release(&t);
	return v;
}

static void prep_task1(struct ctx *c)
{
	c->id = task_no(1);
	c->version = task_version(c->id);
}

static void prep_task2(struct ctx *c)
{
	c->id = task_no(2);
	c->version = task_version(c->id);
}

static enum rc run_import(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	size_t len = 0;
	char *src = test_read("data/sample-team.md", &len);
	assert_non_null(src);
	struct doc *d;
	assert_int_equal(doc_parse(src, len, "sample-team.md", &d, NULL), RC_OK);
	free(src);
	struct report_import in = {0};
	struct import_result res;
	enum rc rc = store_report_import(st, &G.admin, d, &in, G.today, &res, e);
	doc_free(d);
	if (!rc)
		assert_int_equal(res.n_tasks, 12);
	return rc;
}

static enum rc run_assign(struct store *st, struct ctx *c, struct err *e)
{
	struct task_assign a = {0};
	a.leader_id = G.lead.user_id;
	a.unit_id = G.unit_a;
	a.goal = "形成长效机制";
	return store_task_assign(st, &G.admin, c->id, c->version, &a, G.today, NULL, e);
}

static enum rc run_progress(struct store *st, struct ctx *c, struct err *e)
{
	struct evidence_in ev = {"会议记录.txt", "text/plain", -1, G.evidence};
	return store_task_progress(st, &G.lead, c->id, c->version, "完成了调研", &ev, 1, G.today,
				   NULL, NULL, e);
}

static enum rc run_submit(struct store *st, struct ctx *c, struct err *e)
{
	return store_task_act(st, &G.lead, c->id, c->version, TACT_SUBMIT, NULL, G.today, NULL, e);
}

static enum rc run_return(struct store *st, struct ctx *c, struct err *e)
{
	return store_task_act(st, &G.rev, c->id, c->version, TACT_RETURN, "材料不全", G.today,
			      NULL, e);
}

static enum rc run_approve(struct store *st, struct ctx *c, struct err *e)
{
	return store_task_act(st, &G.rev, c->id, c->version, TACT_APPROVE, NULL, G.today, NULL, e);
}

static enum rc run_extend(struct store *st, struct ctx *c, struct err *e)
{
	int32_t to;
	assert_int_equal(store_day_parse("2025-01-31", &to), 0);
	return store_task_extend(st, &G.lead, c->id, c->version, to, "需要更多时间", G.today, NULL,
				 NULL, e);
}

static enum rc run_extend_decide(struct store *st, struct ctx *c, struct err *e)
{
	return store_task_extend_decide(st, &G.rev, c->id, c->version, 0, 1, "同意", G.today, NULL,
					e);
}

static enum rc run_urge(struct store *st, struct ctx *c, struct err *e)
{
	return store_task_urge(st, &G.admin, c->id, c->version, "请抓紧", G.today, NULL, e);
}

/* Tasks 7 and 8 with their versions, for a bulk 催办. */
static struct task_ref bulk_refs[2];

static void prep_bulk(struct ctx *c)
{
	(void)c;
	bulk_refs[0] = (struct task_ref){task_no(7), task_version(task_no(7))};
	bulk_refs[1] = (struct task_ref){task_no(8), task_version(task_no(8))};
}

static enum rc run_bulk(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	struct task_bulk b = {0};
	b.action = TACT_URGE;
	b.message = "请抓紧";
	b.tasks = bulk_refs;
	b.n = 2;
	struct task_bulk_result r;
	enum rc rc = store_task_bulk(st, &G.admin, &b, G.today, &r, e);
	/* The result holds what was tried, whatever the outcome. */
	if (!rc)
		assert_int_equal(r.n_bad, 0);
	task_bulk_result_release(&r);
	return rc;
}

static void prep_node(struct ctx *c)
{
	struct task t;
	assert_int_equal(store_task_get(G.st, &WHO_SYSTEM, task_no(3), G.today, &t, NULL), RC_OK);
	c->node = t.problem_id;
	struct report r;
	assert_int_equal(store_report_get(G.st, &G.admin, t.report_id, &r, NULL), RC_OK);
	c->version = r.version;
	report_release(&r);
	task_release(&t);
}

static enum rc run_rename(struct store *st, struct ctx *c, struct err *e)
{
	return store_node_rename(st, &G.admin, c->node, c->version, "班子成员谈心谈话不经常",
				 G.today, e);
}

static enum rc run_ledger(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	struct ledger_row row = {0};
	row.area = "长期任务";
	row.problem = "联系群众的制度执行不经常。";
	row.measures = "建立班子成员联系点制度，长期坚持。";
	row.leader = "zhang";
	row.unit = "甲局";
	row.deadline = "长期坚持";
	struct import_result res;
	return store_ledger_import(st, &G.admin, 0, &row, 1, "台账.xlsx", 0, G.today, &res, e);
}

static void prep_setting(struct ctx *c)
{
	int64_t v;
	assert_int_equal(store_setting_get(G.st, SETTING_DUE_DAYS, &v, &c->version, NULL), RC_OK);
}

static enum rc run_setting(struct store *st, struct ctx *c, struct err *e)
{
	return store_setting_set(st, &G.admin, SETTING_DUE_DAYS, 10, c->version, NULL, e);
}

static enum rc run_unit_add(struct store *st, struct ctx *c, struct err *e)
{
	return store_unit_add(st, &G.admin, "甲局二科", G.unit_a, &c->out, e);
}

static void prep_unit_b(struct ctx *c)
{
	struct unit u;
	struct arena a = {0};
	assert_int_equal(store_unit_get(G.st, G.unit_b, &u, &a, NULL), RC_OK);
	c->version = u.version;
	arena_release(&a);
}

static enum rc run_unit_rename(struct store *st, struct ctx *c, struct err *e)
{
	struct unit_change u = {c->version, "乙局（新）", 0, 0};
	return store_unit_update(st, &G.admin, G.unit_b, &u, NULL, e);
}

static void prep_lead(struct ctx *c)
{
	struct user u;
	struct arena a = {0};
	assert_int_equal(store_user_get(G.st, G.lead.user_id, &u, &a, NULL), RC_OK);
	c->version = u.version;
	arena_release(&a);
}

static enum rc run_email(struct store *st, struct ctx *c, struct err *e)
{
	return store_user_email(st, &G.admin, G.lead.user_id, c->version, "zhang@example.org",
				NULL, e);
}

static enum rc run_session_new(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	char csrf[STORE_TOKEN_HEX];
	return store_session_new(st, G.lead.user_id, 1000, 3600, G.token, csrf, e);
}

static enum rc run_session_get(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	char csrf[STORE_TOKEN_HEX];
	struct who w;
	int64_t expires, seen;
	enum rc rc = store_session_get(st, G.token, 1010, 600, &w, csrf, &expires, &seen, e);
	if (!rc)
		assert_int_equal(w.user_id, G.lead.user_id);
	return rc;
}

static enum rc run_sweep(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	int made;
	return store_notify_sweep(st, G.today + 300, &made, e);
}

/* Two problem items of the first report (tasks 5 and 6), and an area of
 * the same section other than the first one's. */
static void prep_tree(struct ctx *c)
{
	struct task t5, t6;
	assert_int_equal(store_task_get(G.st, &WHO_SYSTEM, task_no(5), G.today, &t5, NULL), RC_OK);
	assert_int_equal(store_task_get(G.st, &WHO_SYSTEM, task_no(6), G.today, &t6, NULL), RC_OK);
	struct report r;
	assert_int_equal(store_report_get(G.st, &G.admin, t5.report_id, &r, NULL), RC_OK);
	c->version = r.version;
	c->node = t5.problem_id;
	c->id = t6.problem_id;
	const struct report_node *item = NULL;
	for (size_t i = 0; i < r.n_nodes; i++)
		if (r.nodes[i].id == t5.problem_id)
			item = &r.nodes[i];
	assert_non_null(item);
	for (size_t i = 0; i < r.n_nodes && !c->out; i++)
		if (r.nodes[i].kind == NODE_AREA && r.nodes[i].role == item->role &&
		    r.nodes[i].id != item->parent_id)
			c->out = r.nodes[i].id;
	assert_true(c->out != 0);
	report_release(&r);
	task_release(&t5);
	task_release(&t6);
}

static enum rc run_move(struct store *st, struct ctx *c, struct err *e)
{
	return store_node_move(st, &G.admin, c->node, c->out, c->version, G.today, e);
}

static enum rc run_merge(struct store *st, struct ctx *c, struct err *e)
{
	return store_node_merge(st, &G.admin, c->node, c->id, c->version, G.today, e);
}

static void prep_obs(struct ctx *c)
{
	struct user u;
	struct arena a = {0};
	assert_int_equal(store_user_get(G.st, G.obs.user_id, &u, &a, NULL), RC_OK);
	c->version = u.version;
	arena_release(&a);
}

static enum rc run_user_update(struct store *st, struct ctx *c, struct err *e)
{
	struct user_change u = {c->version, ROLE_OBSERVER, 0, 0, NULL};
	return store_user_update(st, &G.admin, G.obs.user_id, &u, NULL, e);
}

static enum rc run_session_touch(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	return store_session_touch(st, G.token, 1100, e);
}

static enum rc run_session_purge(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	int n;
	enum rc rc = store_session_purge(st, 100000, 600, &n, e);
	if (!rc)
		assert_int_equal(n, 1);
	return rc;
}

static enum rc run_notify_read(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	int changed;
	return store_notify_read(st, &G.lead, NULL, 0, 1, &changed, e);
}

static void prep_current(struct ctx *c)
{
	assert_int_equal(store_campaign_current(G.st, &c->id, NULL), RC_OK);
}

static enum rc run_campaign_new(struct store *st, struct ctx *c, struct err *e)
{
	struct campaign_new n = {0};
	n.year = 2025;
	n.title = "2025年度专题民主生活会";
	n.started = STORE_NO_DAY;
	n.carry_from = c->id;
	int64_t id;
	int carried;
	return store_campaign_new(st, &G.admin, &n, G.today, &id, &carried, e);
}

/* The reads: each collects what a page or an export shows. */
static enum rc run_task_get(struct store *st, struct ctx *c, struct err *e)
{
	struct task t;
	enum rc rc = store_task_get(st, &G.rev, c->id, G.today, &t, e);
	if (!rc) {
		/* The whole history, or an error: never a shorter one. */
		assert_int_equal(t.n_progress, 2);
		assert_int_equal(t.n_events, 7);
		assert_int_equal(t.progress[0].n_evidence, 1);
		task_release(&t);
	}
	return rc;
}

static enum rc run_task_list(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	struct task_filter f = TASK_FILTER_INIT;
	struct task_list l;
	enum rc rc = store_task_list(st, &G.lead, &f, G.today, &l, e);
	if (!rc)
		task_list_release(&l);
	return rc;
}

static enum rc run_dash_roll(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	return store_dash_roll(st, G.today, e);
}

static enum rc run_dashboard(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	struct dashboard d;
	enum rc rc = store_dashboard(st, &G.admin, 0, G.today, &d, e);
	if (!rc)
		dashboard_release(&d);
	return rc;
}

static enum rc run_check(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	struct check_report r;
	enum rc rc = store_check(st, &G.admin, 0, G.today, &r, e);
	if (!rc)
		check_report_release(&r);
	return rc;
}

static enum rc run_lists(struct store *st, struct ctx *c, struct err *e)
{
	struct unit_list ul;
	struct user_list us;
	struct audit_list al;
	struct event_list el;
	struct notification_list nl;
	struct commitment_list cl;
	enum rc rc = store_unit_list(st, &G.admin, &ul, e);
	if (rc)
		return rc;
	unit_list_release(&ul);
	if ((rc = store_user_list(st, &G.admin, &us, e)))
		return rc;
	user_list_release(&us);
	if ((rc = store_audit_list(st, &G.admin, "task", c->id, 100, &al, e)))
		return rc;
	audit_list_release(&al);
	if ((rc = store_event_list(st, &G.admin, 0, &el, e)))
		return rc;
	event_list_release(&el);
	if ((rc = store_notify_list(st, &G.lead, 0, 50, &nl, e)))
		return rc;
	notification_list_release(&nl);
	if ((rc = store_commitment_list(st, &G.admin, 0, G.today, &cl, e)))
		return rc;
	commitment_list_release(&cl);
	return RC_OK;
}

static enum rc run_more_lists(struct store *st, struct ctx *c, struct err *e)
{
	struct campaign_list cl;
	struct report_list rl;
	struct report r;
	struct past_item_list pl;
	struct task_list tl;
	struct audit_list al;
	struct ledger_names ln;
	int64_t n;
	enum rc rc = store_campaign_list(st, &G.admin, &cl, e);
	if (rc)
		return rc;
	int64_t campaign = cl.v[0].id;
	campaign_list_release(&cl);
	if ((rc = store_report_list(st, &G.admin, campaign, &rl, e)))
		return rc;
	int64_t report = rl.v[0].id;
	report_list_release(&rl);
	if ((rc = store_report_get(st, &G.admin, report, &r, e)))
		return rc;
	report_release(&r);
	if ((rc = store_past_items(st, &G.admin, campaign, &pl, e)))
		return rc;
	past_item_list_release(&pl);
	if ((rc = store_task_attention(st, &G.lead, ATTN_URGED, G.today, &tl, e)))
		return rc;
	task_list_release(&tl);
	struct audit_filter f = {0};
	f.task_id = c->id;
	if ((rc = store_audit_query(st, &G.admin, &f, &al, e)))
		return rc;
	audit_list_release(&al);
	if ((rc = store_audit_actions(st, &G.admin, &al, e)))
		return rc;
	audit_list_release(&al);
	struct ledger_row row = {0};
	row.unit = "丙局";
	row.leader = "张三";
	if ((rc = store_ledger_names(st, &row, 1, &ln, e)))
		return rc;
	assert_int_equal(ln.n_new_units, 1);
	ledger_names_release(&ln);
	if ((rc = store_notify_unread(st, &G.lead, &n, e)) ||
	    (rc = store_notify_newest(st, &G.lead, &n, e)))
		return rc;
	struct task t;
	if ((rc = store_task_get(st, &G.lead, c->id, G.today, &t, e)))
		return rc;
	int64_t ev = t.progress[0].evidence[0].id;
	task_release(&t);
	struct evidence_meta m;
	struct arena a = {0};
	rc = store_evidence_meta(st, &G.lead, ev, &m, &a, e);
	arena_release(&a);
	if (rc)
		return rc;
	char buf[64];
	size_t got;
	if ((rc = store_evidence_read(st, &G.lead, ev, 0, buf, sizeof buf, &got, e)))
		return rc;
	assert_int_equal(got, 16);
	int64_t counts[OUTBOX__MAX];
	return store_outbox_counts(st, counts, e);
}

static enum rc run_export(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	struct task_iter *it;
	enum rc rc = store_task_iter_open(st, &G.admin, 0, G.today, &it, e);
	if (rc)
		return rc;
	const struct export_row *row;
	size_t n = 0;
	while (!(rc = store_task_iter_next(it, &row, e)) && row) {
		/* Every task has its measures; none comes out without them. */
		assert_true(row->measures[0] != '\0');
		n++;
	}
	store_task_iter_close(it);
	/* 12 imported, 1 from the spreadsheet, 1 gone with its merged item. */
	if (!rc)
		assert_int_equal(n, 12);
	return rc;
}

static enum rc run_verify(struct store *st, struct ctx *c, struct err *e)
{
	(void)c;
	struct verify_result v;
	enum rc rc = store_verify(st, &v, e);
	if (!rc)
		assert_true(v.ok);
	return rc;
}

/* ---- the test ------------------------------------------------------------------ */

static const struct op workflow[] = {
	{"store_report_import", NULL, run_import},
	{"store_task_assign", prep_task1, run_assign},
	{"store_task_progress", prep_task1, run_progress},
	{"store_task_act submit", prep_task1, run_submit},
	{"store_task_act return", prep_task1, run_return},
	{"store_task_progress again", prep_task1, run_progress},
	{"store_task_act submit again", prep_task1, run_submit},
	{"store_task_act approve", prep_task1, run_approve},
	{"store_task_assign 2", prep_task2, run_assign},
	{"store_task_extend", prep_task2, run_extend},
	{"store_task_extend_decide", prep_task2, run_extend_decide},
	{"store_task_urge", prep_task2, run_urge},
	{"store_task_bulk", prep_bulk, run_bulk},
	{"store_node_rename", prep_node, run_rename},
	{"store_ledger_import", NULL, run_ledger},
	{"store_setting_set", prep_setting, run_setting},
	{"store_unit_add", NULL, run_unit_add},
	{"store_unit_update", prep_unit_b, run_unit_rename},
	{"store_user_email", prep_lead, run_email},
	{"store_session_new", NULL, run_session_new},
	{"store_session_get", NULL, run_session_get},
	{"store_session_touch", NULL, run_session_touch},
	{"store_session_purge", NULL, run_session_purge},
	{"store_node_move", prep_tree, run_move},
	{"store_node_merge", prep_tree, run_merge},
	{"store_user_update", prep_obs, run_user_update},
	{"store_notify_read", NULL, run_notify_read},
	{"store_notify_sweep", NULL, run_sweep},
	{"store_task_get", prep_task1, run_task_get},
	{"store_task_list", NULL, run_task_list},
	/* The dashboard rolls its kept counts to today when it can (and
	 * reads them right when it cannot): the roll first, on its own. */
	{"store_dash_roll", NULL, run_dash_roll},
	{"store_dashboard", NULL, run_dashboard},
	{"store_check", NULL, run_check},
	{"the lists", prep_task1, run_lists},
	{"more lists", prep_task1, run_more_lists},
	{"store_task_iter", NULL, run_export},
	{"store_verify", NULL, run_verify},
	{"store_campaign_new (carry-over)", prep_current, run_campaign_new},
	{"store_verify after the carry-over", NULL, run_verify},
};

static void test_every_failed_step_is_an_error(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(workflow); i++)
		WALK(workflow[i]);
	assert_int_equal(G.walked, (long)ARRAY_LEN(workflow));
	print_message("%ld store calls, %ld failed steps\n", G.walked, G.faults);
	verify_ok(G.st);
}

/* A failure dropped by its caller is still the transaction's: later steps
 * fail with it, the commit refuses, nothing is written, and the next
 * transaction starts clean.  With an audited write the audit head's write
 * meets the failure first; without one, the commit itself refuses. */
struct drop_arg {
	int audited;
	int64_t unit;
};

static enum rc drop_tx(struct store *st, void *arg, struct err *e)
{
	struct drop_arg *a = arg;
	enum rc rc = a->audited ? unit_insert(st, "丁局", 0, &a->unit, e)
				: stmt_run(st, ST_DASH_DAY_SET, ARGS(A_INT(G.today + 1)), e);
	if (rc)
		return rc;
	/* A read whose failure is not looked at. */
	int64_t n;
	store_fault_arm(1, -1);
	(void)stmt_int64(st, ST_CAMPAIGN_CURRENT_ID, NO_ARGS, 0, &n, NULL);
	store_fault_arm(0, -1);
	if (a->audited) {
		/* Later steps fail with it without running. */
		int64_t again;
		assert_int_equal(stmt_int64(st, ST_CAMPAIGN_CURRENT_ID, NO_ARGS, 0, &again, NULL),
				 RC_DB);
	}
	return RC_OK;
}

static void test_dropped_failure_refuses_commit(void **state)
{
	(void)state;
	for (int audited = 1; audited >= 0; audited--) {
		char before[65], after[65];
		db_hash(G.st, before);
		struct drop_arg a = {audited, 0};
		struct err e = {0};
		assert_int_equal(store_tx(G.st, &G.admin, drop_tx, &a, &e), RC_DB);
		assert_non_null(strstr(e.msg, "test fault"));
		db_hash(G.st, after);
		assert_string_equal(before, after);
	}
	int64_t id;
	struct err e = {0};
	assert_int_equal(store_unit_add(G.st, &G.admin, "丁局", 0, &id, &e), RC_OK);
	verify_ok(G.st);
}

/* The hook counts only the statement it is given. */
static void test_fault_of_one_statement(void **state)
{
	(void)state;
	struct err e = {0};
	struct task t;
	store_fault_arm(1, ST_TASK_EVENTS);
	assert_int_equal(store_task_get(G.st, &G.rev, task_no(1), G.today, &t, &e), RC_DB);
	assert_true(store_fault_fired());
	assert_int_equal(store_fault_steps(), 1);
	store_fault_arm(0, -1);
	assert_int_equal(store_task_get(G.st, &G.rev, task_no(1), G.today, &t, &e), RC_OK);
	task_release(&t);
}

static int setup(void **state)
{
	(void)state;
	snprintf(G.dir, sizeof G.dir, "/tmp/rectify-fault-XXXXXX");
	if (!mkdtemp(G.dir))
		return -1;
	snprintf(G.evidence, sizeof G.evidence, "%s/evidence.txt", G.dir);
	util_write_file(G.evidence, "meeting minutes\n", 16, NULL);
	assert_int_equal(store_day_parse("2024-03-01", &G.today), 0);
	struct err e = {0};
	char db[256];
	test_db_fresh(db, sizeof db);
	if (store_open(db, STORE_CREATE, &G.st, &e))
		return -1;
	const struct who *sys = &WHO_SYSTEM;
	int rc = 0;
	rc |= store_unit_add(G.st, sys, "甲局", 0, &G.unit_a, &e);
	rc |= store_unit_add(G.st, sys, "乙局", 0, &G.unit_b, &e);
	rc |= store_user_add(G.st, sys, "office", "办公室", ROLE_ADMIN, 0, "password1", NULL, &e);
	rc |= store_user_add(G.st, sys, "zhang", "张三", ROLE_LEADER, G.unit_a, "password1", NULL,
			     &e);
	rc |= store_user_add(G.st, sys, "wang", "王五", ROLE_REVIEWER, 0, "password1", NULL, &e);
	rc |= store_user_add(G.st, sys, "zhou", "周八", ROLE_OBSERVER, 0, "password1", NULL, &e);
	rc |= store_user_who(G.st, "office", &G.admin, &e);
	rc |= store_user_who(G.st, "zhang", &G.lead, &e);
	rc |= store_user_who(G.st, "wang", &G.rev, &e);
	rc |= store_user_who(G.st, "zhou", &G.obs, &e);
	if (rc) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(G.st);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", G.dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_failed_step_is_an_error),
		cmocka_unit_test(test_dropped_failure_refuses_commit),
		cmocka_unit_test(test_fault_of_one_statement),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
