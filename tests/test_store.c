/*
 * Unit tests of the store (store_*.c): schema and migrations, days and the
 * light, the workflow (every action for every role in every status),
 * scoping, versions, evidence, extensions, 回头看, commitments across period
 * boundaries, carry-over, import, tree corrections, spreadsheet import,
 * dashboard, 对账, exports, sessions, and the audit chain against tampering
 * made behind the program's back.
 *
 * The group setup builds a template database once (users cost an Argon2id
 * hash each); every test works on its own copy, in memory or in a file.
 */
#include "testutil.h"
#include "pgtest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "doc.h"
#include "text.h"
#include "store_int.h"

static struct {
	char dir[64];
	char tmpl[256];
	struct who admin, lead1, lead2, hand1, hand2, rev, obs;
	int64_t unit_a, unit_a1, unit_b;
	int64_t t_dated, t_ongoing;
	int32_t today;          /* the day the tests act on (test_today_restore) */
	int32_t day0;           /* the template's day */
	char evidence[128];    /* a small file to attach */
} G;

static int32_t D(const char *s)
{
	int32_t d;
	assert_int_equal(store_day_parse(s, &d), 0);
	return d;
}

/* Copy the database at path into a fresh store: in memory on SQLite, a new
 * database of the cluster on PostgreSQL (nothing may hold path then). */
static struct store *copy_mem(const char *path)
{
	struct store *st;
	struct err e = {0};
	if (test_on_pg()) {
		static unsigned copies;
		char file[32], db[256];
		snprintf(file, sizeof file, "copy%u", ++copies);
		test_db_at(file, db, sizeof db);
		test_db_copy(path, db);
		test_db_scratch(db);
		assert_int_equal(store_open(db, 0, &st, &e), RC_OK);
		return st;
	}
	assert_int_equal(store_open(":memory:", 0, &st, &e), RC_OK);
	sqlite3 *src;
	assert_int_equal(sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_backup *b = sqlite3_backup_init(st->db, "main", src, "main");
	assert_non_null(b);
	assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
	sqlite3_backup_finish(b);
	sqlite3_close(src);
	return st;
}

/* Copy the database at path to the database at dst (test_db_at) and open
 * it. */
static struct store *copy_file(const char *path, const char *dst)
{
	struct store *st;
	struct err e = {0};
	if (test_on_pg()) {
		test_db_copy(path, dst);
		assert_int_equal(store_open(dst, 0, &st, &e), RC_OK);
		return st;
	}
	struct store *m = copy_mem(path);
	unlink(dst);
	assert_int_equal(store_backup(m, dst, &e), RC_OK);
	store_close(m);
	assert_int_equal(store_open(dst, 0, &st, &e), RC_OK);
	return st;
}

/* Keep st's database at dst (test_db_at), for copies to start from, and
 * close st. */
static void save_as(struct store *st, const char *dst)
{
	if (test_on_pg()) {
		char from[256];
		snprintf(from, sizeof from, "%s", st->path);
		store_close(st);
		test_db_copy(from, dst);
		return;
	}
	unlink(dst);
	assert_int_equal(store_backup(st, dst, NULL), RC_OK);
	store_close(st);
}

/* The database called name beside the template (test_db_at). */
static void db_path(char *out, size_t n, const char *name)
{
	char file[160];
	snprintf(file, sizeof file, "%s/%s", G.dir, name);
	test_db_at(file, out, n);
}

/* A new empty ledger. */
static struct store *open_fresh(void)
{
	char db[256];
	test_db_fresh(db, sizeof db);
	struct store *st;
	assert_int_equal(store_open(db, STORE_CREATE, &st, NULL), RC_OK);
	return st;
}

static void who_of(struct store *st, const char *login, struct who *w)
{
	assert_int_equal(store_user_who(st, login, w, NULL), RC_OK);
}

/* The number a one-number query (printf-style) gives on st's connection. */
static int64_t qint(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t qint(struct store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char sql[1024];
	int n = vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof sql);
	return test_int(st, sql);
}

static int64_t version_of(struct store *st, int64_t id)
{
	struct task t;
	assert_int_equal(store_task_get(st, &WHO_SYSTEM, id, G.today, &t, NULL), RC_OK);
	int64_t v = t.version;
	task_release(&t);
	return v;
}

static int64_t unit_version(struct store *st, int64_t id)
{
	struct unit u;
	struct arena a = {0};
	assert_int_equal(store_unit_get(st, id, &u, &a, NULL), RC_OK);
	arena_release(&a);
	return u.version;
}

static enum task_status status_of(struct store *st, int64_t id)
{
	struct task t;
	assert_int_equal(store_task_get(st, &WHO_SYSTEM, id, G.today, &t, NULL), RC_OK);
	enum task_status s = t.status;
	task_release(&t);
	return s;
}

static void verify_ok(struct store *st)
{
	struct verify_result v;
	assert_int_equal(store_verify(st, &v, NULL), RC_OK);
	if (!v.ok)
		fprintf(stderr, "verify: %s\n", v.msg);
	assert_true(v.ok);
}

static struct evidence_in ev_file(void)
{
	struct evidence_in x = {"会议记录.txt", "text/plain", -1, G.evidence};
	return x;
}

/* Actions as the tests drive them, with the arguments each needs. */
static enum rc act(struct store *st, const struct who *w, int64_t id, enum task_action a)
{
	struct err e = {0};
	int64_t v = version_of(st, id);
	int32_t today = G.today;
	switch (a) {
	case TACT_ASSIGN: {
		struct task_assign x = {0};
		x.goal = "形成长效机制";
		return store_task_assign(st, w, id, v, &x, today, NULL, &e);
	}
	case TACT_PROGRESS: {
		struct evidence_in ev = ev_file();
		return store_task_progress(st, w, id, v, "完成了调研", &ev, 1, today, NULL, NULL, &e);
	}
	case TACT_EXTEND:
		return store_task_extend(st, w, id, v, D("2025-01-31"), "需要更多时间", today, NULL,
					 NULL, &e);
	case TACT_EXTEND_DECIDE:
		return store_task_extend_decide(st, w, id, v, 0, 1, "同意", today, NULL, &e);
	case TACT_URGE:
		return store_task_urge(st, w, id, v, "请抓紧", today, NULL, &e);
	default:
		return store_task_act(st, w, id, v, a, "理由", today, NULL, &e);
	}
}

static int setup_group(void **state)
{
	(void)state;
	snprintf(G.dir, sizeof G.dir, "/tmp/rectify-test-XXXXXX");
	if (!mkdtemp(G.dir))
		return -1;
	char file[128];
	snprintf(file, sizeof file, "%s/template.db", G.dir);
	test_db_at(file, G.tmpl, sizeof G.tmpl);
	test_db_empty(G.tmpl);
	snprintf(G.evidence, sizeof G.evidence, "%s/evidence.txt", G.dir);
	util_write_file(G.evidence, "meeting minutes\n", 16, NULL);
	G.day0 = G.today = D("2024-03-01");
	struct store *st;
	struct err e = {0};
	if (store_open(G.tmpl, STORE_CREATE, &st, &e))
		return -1;
	const struct who *sys = &WHO_SYSTEM;
	int rc = 0;
	rc |= store_unit_add(st, sys, "甲局", 0, &G.unit_a, &e);
	rc |= store_unit_add(st, sys, "甲局一科", G.unit_a, &G.unit_a1, &e);
	rc |= store_unit_add(st, sys, "乙局", 0, &G.unit_b, &e);
	rc |= store_user_add(st, sys, "office", "办公室", ROLE_ADMIN, 0, "password1", NULL, &e);
	rc |= store_user_add(st, sys, "zhang", "张三", ROLE_LEADER, G.unit_a1, "password1", NULL, &e);
	rc |= store_user_add(st, sys, "zhao", "赵六", ROLE_LEADER, G.unit_b, "password1", NULL, &e);
	rc |= store_user_add(st, sys, "li", "李四", ROLE_HANDLER, G.unit_a, "password1", NULL, &e);
	rc |= store_user_add(st, sys, "sun", "孙七", ROLE_HANDLER, G.unit_b, "password1", NULL, &e);
	rc |= store_user_add(st, sys, "wang", "王五", ROLE_REVIEWER, 0, "password1", NULL, &e);
	rc |= store_user_add(st, sys, "zhou", "周八", ROLE_OBSERVER, 0, "password1", NULL, &e);
	if (rc) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	who_of(st, "office", &G.admin);
	who_of(st, "zhang", &G.lead1);
	who_of(st, "zhao", &G.lead2);
	who_of(st, "li", &G.hand1);
	who_of(st, "sun", &G.hand2);
	who_of(st, "wang", &G.rev);
	who_of(st, "zhou", &G.obs);
	size_t len;
	char *src = test_read("data/sample-team.md", &len);
	if (!src)
		return -1;
	struct doc *d;
	if (doc_parse(src, len, "sample-team.md", &d, &e))
		return -1;
	free(src);
	struct report_import in = {0};
	struct import_result res;
	rc = store_report_import(st, &G.admin, d, &in, G.today, &res, &e);
	doc_free(d);
	if (rc || res.n_tasks != 12) {
		fprintf(stderr, "setup import: %s (%d tasks)\n", e.msg, res.n_tasks);
		return -1;
	}
	struct ledger_row row = {0};
	row.area = "长期任务";
	row.problem = "联系群众的制度执行不经常。";
	row.measures = "建立班子成员联系点制度，长期坚持。";
	row.leader = "zhang";
	row.unit = "甲局一科";
	row.deadline = "长期坚持";
	if (store_ledger_import(st, &G.admin, 0, &row, 1, "台账.xlsx", 0, G.today, &res, &e)) {
		fprintf(stderr, "setup ledger: %s\n", e.msg);
		return -1;
	}
	G.t_dated = 1;
	G.t_ongoing = 13;
	/* Every task to zhang in 甲局一科. */
	for (int64_t id = 1; id <= 13; id++) {
		struct task_assign a = {0};
		a.leader_id = G.lead1.user_id;
		a.unit_id = G.unit_a1;
		if (store_task_assign(st, &G.admin, id, version_of(st, id), &a, G.today, NULL, &e)) {
			fprintf(stderr, "setup assign: %s\n", e.msg);
			return -1;
		}
	}
	store_close(st);
	/* The tests of notifications start from an empty inbox (the
	 * assignments above told zhang of each task). */
	test_sql_at(G.tmpl, "DELETE FROM outbox; DELETE FROM notification");
	return 0;
}

/* The teardown of the tests that move G.today: back to the template's
 * day, whether the test passed or stopped at a failed assertion, so that
 * the tests after it act on their usual day. */
static int test_today_restore(void **state)
{
	(void)state;
	G.today = G.day0;
	return 0;
}

static int teardown_group(void **state)
{
	(void)state;
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", G.dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- schema, days, names ------------------------------------------------------ */

/* Every statement of the table prepares on the engine under test (on
 * PostgreSQL in its own form or translated): none is left to fail the
 * first time a rare path runs it. */
static void test_every_statement_prepares(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	for (int s = 0; s < ST__MAX; s++) {
		struct err e = {0};
		if (!stmt_get(st, (enum stmt)s, &e))
			fail_msg("statement %d does not prepare: %s\n%s", s, e.msg, stmt_text_of(s));
	}
	store_close(st);
}

/* The last id inserted: on PostgreSQL a question to the server, whose
 * failure (here: no insert yet on the connection) is pending in the
 * transaction as a step's would be, so it cannot commit. */
static void test_last_id_failure_pending(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	assert_int_equal(tx_begin(st, TX_BEGIN_IMMEDIATE), DB_OK);
	int64_t id = db_last_id(st);
	if (test_on_pg()) {
		assert_int_equal(id, 0);
		assert_int_equal(stmt_pending(st, &e), RC_DB);
		assert_int_equal(tx_commit(st, NULL, &e), RC_DB);
	} else {
		/* SQLite keeps it on the connection: nothing can fail. */
		assert_int_equal(stmt_pending(st, &e), RC_OK);
	}
	tx_rollback(st);
	store_close(st);
}

static void test_store_open_migrate(void **state)
{
	(void)state;
	char path[160];
	db_path(path, sizeof path, "new.db");
	test_db_empty(path);
	struct store *st;
	struct err e = {0};
	/* Without STORE_CREATE a missing file (an empty database) is
	 * RC_NOTFOUND, with the code the command line names `rectify init` by. */
	assert_int_equal(store_open(path, 0, &st, &e), RC_NOTFOUND);
	assert_string_equal(e.code, STORE_E_NO_DATABASE);
	assert_int_equal(store_open(path, STORE_CREATE, &st, &e), RC_OK);
	if (test_on_pg()) {
		/* PostgreSQL keeps the version in meta. */
		assert_int_equal(qint(st, "SELECT CAST(value AS integer) FROM meta"
				     " WHERE key = 'schema'"),
				 STORE_SCHEMA_VERSION);
		printf("skip on PostgreSQL: WAL (the journal mode of a SQLite file)\n");
	} else {
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 0), STORE_SCHEMA_VERSION);
		sqlite3_finalize(q);
		/* WAL and foreign keys are on. */
		assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &q, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
		sqlite3_finalize(q);
	}
	/* A new ledger has a shape token; one made before tokens gets one when
	 * it is next opened to write. */
	char made[48], again[48];
	assert_int_equal(store_shape(st, made, sizeof made, NULL), RC_OK);
	assert_int_equal(strlen(made), 32);
	store_close(st);
	test_sql_at(path, "DELETE FROM meta WHERE key = 'shape'");
	assert_int_equal(store_open(path, 0, &st, &e), RC_OK);
	assert_int_equal(store_shape(st, again, sizeof again, NULL), RC_OK);
	assert_int_equal(strlen(again), 32);
	assert_string_not_equal(again, made);
	store_close(st);
	/* A newer schema is refused with a clear message. */
	test_sql_at(path, test_on_pg() ? "UPDATE meta SET value = '99' WHERE key = 'schema'"
				       : "PRAGMA user_version = 99");
	assert_int_equal(store_open(path, 0, &st, &e), RC_DB);
	assert_non_null(strstr(e.msg, "newer than this program"));
	test_db_drop(path);
	/* Someone else's database is not touched. */
	db_path(path, sizeof path, "other.db");
	test_db_empty(path);
	test_sql_at(path, "CREATE TABLE x(y integer)");
	assert_int_equal(store_open(path, 0, &st, &e), RC_DB);
	assert_non_null(strstr(e.msg, "not a rectify database"));
	test_db_drop(path);
	/* Junk is not a database. */
	snprintf(path, sizeof path, "%s/junk.db", G.dir);
	static const char junk[] = "this is not sqlite, just some text that is long enough......";
	util_write_file(path, junk, sizeof junk - 1, NULL);
	assert_int_equal(store_open(path, 0, &st, &e), RC_DB);
}

static void test_store_days(void **state)
{
	(void)state;
	assert_int_equal(store_day_from_ymd(1970, 1, 1), 0);
	assert_int_equal(D("2024-03-01") - D("2024-02-28"), 2);     /* leap */
	assert_int_equal(D("2023-03-01") - D("2023-02-28"), 1);
	assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2);     /* 400 rule */
	assert_int_equal(D("1900-03-01") - D("1900-02-28"), 1);     /* 100 rule */
	int32_t d;
	assert_int_equal(store_day_parse("2023-02-29", &d), -1);
	assert_int_equal(store_day_parse("2024-13-01", &d), -1);
	assert_int_equal(store_day_parse("2024-3-1", &d), -1);
	assert_int_equal(store_day_parse("", &d), -1);
	char out[11];
	store_day_format(D("2024-02-29"), out);
	assert_string_equal(out, "2024-02-29");
	store_day_format(STORE_NO_DAY, out);
	assert_string_equal(out, "");
	/* Months clamp to the month's end. */
	store_day_format(store_day_add_months(D("2023-08-31"), 6), out);
	assert_string_equal(out, "2024-02-29");
	store_day_format(store_day_add_months(D("2022-08-31"), 6), out);
	assert_string_equal(out, "2023-02-28");
	store_day_format(store_day_add_months(D("2024-11-15"), 3), out);
	assert_string_equal(out, "2025-02-15");
	assert_int_equal(store_today("2024-02-29", &d, NULL), RC_OK);
	assert_int_equal(d, D("2024-02-29"));
	assert_int_equal(store_today("tomorrow", &d, NULL), RC_INVALID);
	enum deadline_kind k;
	assert_int_equal(deadline_parse("长期坚持", &k, &d), 0);
	assert_int_equal(k, DEADLINE_ONGOING);
	assert_int_equal(deadline_parse("immediate", &k, &d), 0);
	assert_int_equal(k, DEADLINE_IMMEDIATE);
	assert_int_equal(deadline_parse("soon", &k, &d), -1);
	enum task_status s;
	assert_int_equal(task_status_parse("申请销号", &s), 0);
	assert_int_equal(s, TASK_SUBMITTED);
	assert_int_equal(task_status_parse("closed", &s), 0);
	assert_int_equal(s, TASK_CLOSED);
	enum role r;
	assert_int_equal(role_parse("审核人", &r), 0);
	assert_int_equal(r, ROLE_REVIEWER);
	assert_int_equal(role_parse("boss", &r), -1);
}

/* ---- the light ---------------------------------------------------------------- */

static void test_light_compute_boundaries(void **state)
{
	(void)state;
	int32_t t = D("2024-03-01");
	/* The deadline: red from the day after it; yellow within 7 days. */
	assert_int_equal(light_compute(TASK_IN_PROGRESS, true, t - 1, t, t), LIGHT_RED);
	assert_int_equal(light_compute(TASK_IN_PROGRESS, true, t, t, t), LIGHT_YELLOW);
	assert_int_equal(light_compute(TASK_IN_PROGRESS, true, t + 7, t, t), LIGHT_YELLOW);
	assert_int_equal(light_compute(TASK_IN_PROGRESS, true, t + 8, t, t), LIGHT_GREEN);
	/* No progress for 30 days: yellow; 29: green. */
	assert_int_equal(light_compute(TASK_IN_PROGRESS, true, t + 100, t - 29, t), LIGHT_GREEN);
	assert_int_equal(light_compute(TASK_IN_PROGRESS, true, t + 100, t - 30, t), LIGHT_YELLOW);
	assert_int_equal(light_compute(TASK_STAGED, true, STORE_NO_DAY, t - 30, t), LIGHT_YELLOW);
	assert_int_equal(light_compute(TASK_STAGED, true, STORE_NO_DAY, t - 29, t), LIGHT_GREEN);
	/* Red wins over stale; closed has no light whatever the dates. */
	assert_int_equal(light_compute(TASK_SUBMITTED, true, t - 1, t - 100, t), LIGHT_RED);
	assert_int_equal(light_compute(TASK_CLOSED, true, t - 100, t - 100, t), LIGHT_NONE);
	/* 待交办: grey whatever the dates, until it has what it needs; an
	 * ended task has no light either way. */
	assert_int_equal(light_compute(TASK_NOT_STARTED, false, STORE_NO_DAY, t, t), LIGHT_GREY);
	assert_int_equal(light_compute(TASK_IN_PROGRESS, false, t - 10, t - 100, t), LIGHT_GREY);
	assert_int_equal(light_compute(TASK_CARRIED, false, STORE_NO_DAY, t, t), LIGHT_NONE);
	assert_true(task_assigned(1, 2, DEADLINE_ONGOING));
	assert_true(task_assigned(1, 2, DEADLINE_IMMEDIATE));
	assert_false(task_assigned(0, 2, DEADLINE_DATE));
	assert_false(task_assigned(1, 0, DEADLINE_DATE));
	assert_false(task_assigned(1, 2, DEADLINE_NONE));
	assert_null(light_name(LIGHT_NONE));
	assert_string_equal(light_name(LIGHT_RED), "red");
	assert_string_equal(light_name(LIGHT_GREY), "grey");
	assert_string_equal(light_name_zh(LIGHT_GREY), "待交办");
	enum light l = LIGHT_NONE;
	assert_int_equal(light_parse("grey", &l), 0);
	assert_int_equal(l, LIGHT_GREY);
	l = LIGHT_NONE;
	assert_int_equal(light_parse("待交办", &l), 0);
	assert_int_equal(l, LIGHT_GREY);
}

/* The day a database is pinned at (setting "today") is today for it,
 * unless an override names another; "" unpins it. */
static void test_today_pinned(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int32_t clock, day;
	assert_int_equal(store_today(NULL, &clock, NULL), RC_OK);
	assert_int_equal(store_today_of(st, NULL, &day, NULL), RC_OK);
	assert_int_equal(day, clock);
	struct err e = {0};
	assert_int_equal(store_text_setting_set(st, &G.admin, TSET_TODAY, "2024-02-30", 0, NULL, &e),
			 RC_INVALID);
	assert_string_equal(e.code, STORE_E_SETTING_RANGE);
	assert_int_equal(store_text_setting_set(st, &G.rev, TSET_TODAY, "2024-04-24", 0, NULL, &e),
			 RC_DENIED);
	int64_t ver = 0;
	assert_int_equal(store_text_setting_set(st, &G.admin, TSET_TODAY, "2024-04-24", 0, &ver, &e),
			 RC_OK);
	assert_int_equal(store_today_of(st, NULL, &day, NULL), RC_OK);
	assert_int_equal(day, D("2024-04-24"));
	assert_int_equal(store_today_of(st, "2024-01-02", &day, NULL), RC_OK);
	assert_int_equal(day, D("2024-01-02"));
	assert_int_equal(store_today_of(st, "", &day, NULL), RC_OK); /* an empty override: none */
	assert_int_equal(day, D("2024-04-24"));
	assert_int_equal(store_text_setting_set(st, &G.admin, TSET_TODAY, "", ver, NULL, &e), RC_OK);
	assert_int_equal(store_today_of(st, NULL, &day, NULL), RC_OK);
	assert_int_equal(day, clock);
	store_close(st);
}

/* Times as people read them: the day and the clock time when the time
 * fell on the day as the ledger then kept it, else the day alone. */
static void test_day_time(void **state)
{
	(void)state;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char at[32], local[32], out[32], want[40];
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	util_local_time(at, local, sizeof local);
	int32_t clock, pin = D("2024-04-24");
	assert_int_equal(store_today(NULL, &clock, NULL), RC_OK);
	/* A ledger at the calendar's date: the local time, as it was. */
	store_day_time(clock, at, clock, out, sizeof out);
	assert_string_equal(out, local);
	store_day_time(STORE_NO_DAY, at, pin, out, sizeof out);
	assert_string_equal(out, local);
	/* Pinned at 2024-04-24 and written there now: that day, this time. */
	store_day_time(pin, at, pin, out, sizeof out);
	snprintf(want, sizeof want, "2024-04-24%s", local + 10);
	assert_string_equal(out, want);
	/* Written now for an earlier day (history, a demo's past): the day. */
	store_day_time(pin - 50, at, pin, out, sizeof out);
	assert_string_equal(out, "2024-03-05");
	store_day_time(pin, at, clock, out, sizeof out);
	assert_string_equal(out, "2024-04-24");
}

/* The list's light filters (ranges in SQL) agree with light_compute on
 * every combination around the boundaries. */
/* ---- the dashboard's kept counts against a recount ------------------------ */

static void groups_equal(const struct dash_group *a, size_t na, const struct dash_group *b,
			 size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_int_equal(a[i].id, b[i].id);
		assert_string_equal(a[i].name, b[i].name);
		assert_int_equal(a[i].total, b[i].total);
		assert_int_equal(a[i].closed, b[i].closed);
		assert_int_equal(a[i].staged, b[i].staged);
		assert_int_equal(a[i].red, b[i].red);
		assert_int_equal(a[i].yellow, b[i].yellow);
		assert_int_equal(a[i].green, b[i].green);
		assert_int_equal(a[i].grey, b[i].grey);
	}
}

/* The dashboard of w on day as kept equals the one counted from the tasks. */
static void dash_same(struct store *st, const struct who *w, int32_t day)
{
	struct dashboard kept, full;
	store_dashboard_recount(st, 1);
	assert_int_equal(store_dashboard(st, w, 0, day, &full, NULL), RC_OK);
	store_dashboard_recount(st, 0);
	assert_int_equal(store_dashboard(st, w, 0, day, &kept, NULL), RC_OK);
	assert_int_equal(kept.total, full.total);
	assert_memory_equal(kept.by_status, full.by_status, sizeof kept.by_status);
	assert_memory_equal(kept.by_light, full.by_light, sizeof kept.by_light);
	assert_int_equal(kept.review_due, full.review_due);
	assert_int_equal(kept.pending_extensions, full.pending_extensions);
	assert_int_equal(kept.n_weeks, full.n_weeks);
	for (size_t i = 0; i < kept.n_weeks; i++) {
		assert_int_equal(kept.weeks[i].day, full.weeks[i].day);
		assert_int_equal(kept.weeks[i].open, full.weeks[i].open);
	}
	assert_int_equal(kept.n_overdue, full.n_overdue);
	groups_equal(kept.areas, kept.n_areas, full.areas, full.n_areas);
	groups_equal(kept.units, kept.n_units, full.units, full.n_units);
	dashboard_release(&kept);
	dashboard_release(&full);
}

/* Every task's light as light_compute() gives it (the rows of the list)
 * is the light whose filter (SQL) lists it, the dashboard's counts by
 * light (kept by the triggers) are the count of those, and the grey ones
 * are the open tasks 对账 finds lacking a leader, unit or deadline.
 * Returns how many are grey. */
static int lights_agree(struct store *st, const struct who *w, int32_t day)
{
	enum { MAXT = 600 };
	static enum light of[MAXT];
	memset(of, 0xff, sizeof of);
	int count[LIGHT__MAX] = {0};
	struct task_filter f = TASK_FILTER_INIT;
	f.per_page = 500;
	struct task_list all;
	assert_int_equal(store_task_list(st, w, &f, day, &all, NULL), RC_OK);
	assert_true(all.total <= 500);
	/* The totals (from the kept counts when only the status filters) are
	 * the rows listed. */
	assert_int_equal(all.total, (int64_t)all.n);
	int by_status[TASK_STATUS__MAX] = {0};
	for (size_t i = 0; i < all.n; i++) {
		assert_true(all.rows[i].id < MAXT);
		of[all.rows[i].id] = all.rows[i].light;
		count[all.rows[i].light]++;
		by_status[all.rows[i].status]++;
	}
	for (int s = 0; s < TASK_STATUS__MAX; s++) {
		struct task_filter fs = TASK_FILTER_INIT;
		fs.status = s;
		fs.per_page = 1;
		struct task_list sl;
		assert_int_equal(store_task_list(st, w, &fs, day, &sl, NULL), RC_OK);
		assert_int_equal(sl.total, by_status[s]);
		task_list_release(&sl);
	}
	for (int l = 0; l < LIGHT__MAX; l++) {
		f.light = l;
		struct task_list tl;
		assert_int_equal(store_task_list(st, w, &f, day, &tl, NULL), RC_OK);
		assert_int_equal(tl.total, count[l]);
		for (size_t i = 0; i < tl.n; i++)
			assert_int_equal(of[tl.rows[i].id], (enum light)l);
		task_list_release(&tl);
	}
	struct dashboard d;
	assert_int_equal(store_dashboard(st, w, 0, day, &d, NULL), RC_OK);
	assert_memory_equal(d.by_light, count, sizeof count);
	int grey_units = 0;
	for (size_t i = 0; i < d.n_units; i++)
		grey_units += d.units[i].grey;
	assert_int_equal(grey_units, count[LIGHT_GREY]);
	dashboard_release(&d);
	struct check_report c;
	assert_int_equal(store_check(st, w, 0, day, &c, NULL), RC_OK);
	static bool lacking[MAXT];
	memset(lacking, 0, sizeof lacking);
	for (size_t i = 0; i < c.n; i++)
		if (c.v[i].kind == CHECK_TASK_NO_LEADER || c.v[i].kind == CHECK_TASK_NO_UNIT ||
		    c.v[i].kind == CHECK_TASK_NO_DEADLINE)
			lacking[c.v[i].id] = true;
	check_report_release(&c);
	for (size_t i = 0; i < all.n; i++)
		assert_int_equal(lacking[all.rows[i].id], all.rows[i].light == LIGHT_GREY);
	task_list_release(&all);
	return count[LIGHT_GREY];
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Random workflows on a generated ledger; after each round, on the days
 * around today (read as a read-only handle would: the kept day stays, the
 * moved lights are corrected), then on the morning after with no write in
 * between (a writable handle moves the kept day), and verify's check. */
static void test_dashboard_kept_matches_recount(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	int32_t t;
	assert_int_equal(store_today("2024-06-15", &t, NULL), RC_OK);
	assert_int_equal(store_test_generate(st, 8, 240, 600, t, 7, NULL), RC_OK);
	struct who handler = {0, ROLE_HANDLER, 0};
	handler.unit_id = qint(st, "SELECT max(id) FROM unit");
	/* and one of a unit with sub-units (the scope is the subtree). */
	struct who upper = {0, ROLE_HANDLER, 0};
	upper.unit_id = qint(st, "SELECT ancestor FROM unit_tree WHERE depth = 1"
			     " ORDER BY ancestor LIMIT 1");
	int64_t a_leader = qint(st, "SELECT max(id) FROM \"user\" WHERE role = %d", ROLE_LEADER);
	uint64_t x = 88172645463325252ull;
	int done = 0, greys = 0;
	int32_t day = t;
	for (int round = 0; round < 6; round++) {
		for (int k = 0; k < 60; k++) {
			int64_t id = 1 + (int64_t)(xorshift(&x) % 240);
			struct task tk;
			if (store_task_get(st, &WHO_SYSTEM, id, day, &tk, NULL) != RC_OK)
				continue;
			int64_t v = tk.version, nv;
			task_release(&tk);
			int64_t pid;
			enum rc rc;
			struct task_assign as = {0};
			switch (xorshift(&x) % 8) {
			case 6: /* 交办 undone or done again: the light goes grey or back */
				as.leader_id = xorshift(&x) % 2 ? -1 : a_leader;
				as.unit_id = xorshift(&x) % 3 ? 0 : -1;
				if (!as.unit_id && as.leader_id == a_leader)
					as.unit_id = handler.unit_id;
				rc = store_task_assign(st, &WHO_SYSTEM, id, v, &as, day, &nv, NULL);
				break;
			case 7:
				as.leader_id = a_leader;
				as.unit_id = handler.unit_id;
				rc = store_task_assign(st, &WHO_SYSTEM, id, v, &as, day, &nv, NULL);
				break;
			case 0:
			case 1:
				rc = store_task_progress(st, &WHO_SYSTEM, id, v, "进展", NULL, 0, day,
							 &pid, &nv, NULL);
				break;
			case 2:
				rc = store_task_act(st, &WHO_SYSTEM, id, v, TACT_SUBMIT, NULL, day, &nv,
						    NULL);
				break;
			case 3:
				rc = store_task_act(st, &WHO_SYSTEM, id, v, TACT_APPROVE, NULL, day,
						    &nv, NULL);
				break;
			case 4:
				rc = store_task_act(st, &WHO_SYSTEM, id, v, TACT_REOPEN, "再查", day,
						    &nv, NULL);
				break;
			default:
				rc = store_task_act(st, &WHO_SYSTEM, id, v, TACT_RETURN, "不实", day,
						    &nv, NULL);
				break;
			}
			done += rc == RC_OK;
		}
		/* A few deadlines moved behind the program's back too: the
		 * triggers see every change of a task. */
		char sql[160];
		snprintf(sql, sizeof sql, "UPDATE task SET deadline = %d WHERE id %% 17 = %d",
			 (int)(day + (int)(xorshift(&x) % 20) - 10), round);
		test_sql(st, sql);
		/* and a deadline's kind unset, or set again (grey and back). */
		snprintf(sql, sizeof sql, "UPDATE task SET deadline_kind = CASE WHEN deadline_kind = 0"
			 " THEN 1 ELSE 0 END WHERE id %% 23 = %d", round);
		test_sql(st, sql);
		st->readonly = 1; /* read as a read-only handle would */
		const int32_t near[] = {day - 1, day, day + 1, day + 8, day + 31, day + 200};
		for (size_t i = 0; i < ARRAY_LEN(near); i++) {
			dash_same(st, &WHO_SYSTEM, near[i]);
			dash_same(st, &handler, near[i]);
			dash_same(st, &upper, near[i]);
			greys += lights_agree(st, &WHO_SYSTEM, near[i]);
			lights_agree(st, &handler, near[i]);
		}
		st->readonly = 0;
		/* The morning after, nothing written since: the kept day moves. */
		day += 1 + (int32_t)(xorshift(&x) % 3);
		dash_same(st, &WHO_SYSTEM, day);
		assert_int_equal(store_dash_day(st), day);
		dash_same(st, &handler, day);
		dash_same(st, &upper, day);
		lights_agree(st, &WHO_SYSTEM, day);
		lights_agree(st, &handler, day);
		int64_t wrong = -1;
		assert_int_equal(store_dash_check(st, &wrong, NULL), RC_OK);
		assert_int_equal(wrong, 0);
	}
	assert_int_equal(done, 143);
	assert_int_equal(greys, 1542); /* grey tasks on the days read: there to be counted */
	store_close(st);
	/* verify checks the kept counts: one changed behind the program's back. */
	st = open_fresh();
	assert_int_equal(store_test_generate(st, 3, 40, 80, t, 9, NULL), RC_OK);
	struct verify_result v;
	assert_int_equal(store_verify(st, &v, NULL), RC_OK);
	assert_true(v.ok);
	test_sql(st, "UPDATE dash_area SET n = n + 1 WHERE (campaign_id, area_id, status, light) ="
		     " (SELECT campaign_id, area_id, status, light FROM dash_area LIMIT 1)");
	assert_int_equal(store_verify(st, &v, NULL), RC_OK);
	assert_false(v.ok);
	assert_non_null(strstr(v.msg, "dashboard"));
	store_close(st);
}

/* Tasks 1 .. n - 1 have the lights want[], the deadlines dl[] and the units
 * unit[] (0: none; ids in 序号 order).  The list of light l sorted by
 * deadline as w sees it (a handler: the tasks with a unit, all in their
 * scope), read three rows a page to the end, holds exactly those tasks in
 * the order undated last, then deadline, then 序号 (each reversed for
 * desc) -- whichever way store_task.c reads them: yellow and green
 * ascending from two ranges of the index (list_from_today), a handler's
 * few tasks by the unit index and sorted (LIST_FEW). */
static const int32_t *sort_dl;
static int sort_desc;

static int by_deadline(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	int nx = sort_dl[x] == STORE_NO_DAY, ny = sort_dl[y] == STORE_NO_DAY;
	if (nx != ny)
		return nx - ny;
	int s = sort_desc ? -1 : 1;
	if (sort_dl[x] != sort_dl[y])
		return s * (sort_dl[x] < sort_dl[y] ? -1 : 1);
	return s * (x < y ? -1 : x > y);
}

static void deadline_pages(struct store *st, const struct who *w, enum light l, int desc,
			   const enum light *want, const int32_t *dl, const int64_t *unit, int64_t n,
			   int32_t day)
{
	int64_t expect[256];
	size_t ne = 0;
	for (int64_t k = 1; k < n; k++)
		if (want[k] == l && (!w->unit_id || unit[k]))
			expect[ne++] = k;
	sort_dl = dl;
	sort_desc = desc;
	qsort(expect, ne, sizeof *expect, by_deadline);
	struct task_filter f = TASK_FILTER_INIT;
	f.light = (int)l;
	f.sort = TASK_SORT_DEADLINE;
	f.desc = desc;
	f.per_page = 3;
	size_t got = 0;
	for (f.page = 1;; f.page++) {
		struct task_list tl;
		assert_int_equal(store_task_list(st, w, &f, day, &tl, NULL), RC_OK);
		assert_int_equal(tl.total, (int64_t)ne);
		size_t rows = tl.n;
		for (size_t i = 0; i < tl.n; i++) {
			assert_true(got < ne);
			assert_int_equal(tl.rows[i].id, expect[got]);
			got++;
		}
		task_list_release(&tl);
		if (rows < 3)
			break;
	}
	assert_int_equal(got, ne);
}

static void test_light_filter_matches_compute(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int32_t t = G.today;
	const int32_t deadlines[] = {STORE_NO_DAY, t - 1, t, t + 7, t + 8};
	const int32_t lasts[] = {t - 30, t - 29, t};
	const int statuses[] = {TASK_IN_PROGRESS, TASK_CLOSED, TASK_SUBMITTED};
	/* Assigned, then lacking each of what 交办 gives in turn. */
	const int lacks[] = {0, 1, 2, 3};
	/* 13 tasks exist: set each to a combination through SQL (the light
	 * does not care how they got there). */
	int64_t id = 1;
	int combos = 0;
	enum light want[256];
	int32_t dl[256];
	int64_t unit_of[256];
	memset(want, 0, sizeof want);
	for (size_t a = 0; a < ARRAY_LEN(deadlines); a++)
		for (size_t b = 0; b < ARRAY_LEN(lasts); b++)
			for (size_t c = 0; c < ARRAY_LEN(statuses); c++)
				for (size_t k = 0; k < ARRAY_LEN(lacks); k++) {
				if (id > 13) {
					/* Reuse by adding more tasks: a copy of task 1. */
					test_sql(st, "INSERT INTO task(campaign_id, seq, problem_id,"
						 " status, created, last_activity, updated) SELECT"
						 " campaign_id, (SELECT max(seq) + 1 FROM task),"
						 " problem_id, 0, created, last_activity, updated"
						 " FROM task WHERE id = 1");
				}
				int64_t leader = lacks[k] == 1 ? 0 : G.lead1.user_id;
				int64_t unit = lacks[k] == 2 ? 0 : G.unit_a1;
				enum deadline_kind dk = lacks[k] == 3 ? DEADLINE_NONE
					: deadlines[a] == STORE_NO_DAY ? DEADLINE_ONGOING : DEADLINE_DATE;
				struct dbq *dq = stmt_prepare_text(
					st,
					"UPDATE task SET deadline = ?2, deadline_kind = ?3,"
					" last_activity = ?4, status = ?5, unit_id = ?6,"
					" leader_id = ?7 WHERE id = ?1",
					"test", NULL);
				assert_non_null(dq);
				bind_int64(dq, 1, id);
				bind_day(dq, 2, deadlines[a]);
				bind_int(dq, 3, dk);
				bind_int(dq, 4, lasts[b]);
				bind_int(dq, 5, statuses[c]);
				bind_id(dq, 6, unit);
				bind_id(dq, 7, leader);
				assert_int_equal(stmt_step(st, dq, NULL), DB_DONE);
				stmt_finalize(dq);
				dl[id] = deadlines[a];
				unit_of[id] = unit;
				want[id] = light_compute((enum task_status)statuses[c],
							 task_assigned(leader, unit, dk), deadlines[a],
							 lasts[b], t);
				id++;
				combos++;
			}
	assert_int_equal(combos, 180);
	for (int l = 0; l < LIGHT__MAX; l++)
		for (int desc = 0; desc < 2; desc++) {
			deadline_pages(st, &G.admin, (enum light)l, desc, want, dl, unit_of, id, t);
			deadline_pages(st, &G.hand1, (enum light)l, desc, want, dl, unit_of, id, t);
		}
	int seen[LIGHT__MAX] = {0};
	for (int l = 0; l < LIGHT__MAX; l++) {
		struct task_filter f = TASK_FILTER_INIT;
		f.light = l;
		f.per_page = 500;
		struct task_list tl;
		assert_int_equal(store_task_list(st, &G.admin, &f, t, &tl, NULL), RC_OK);
		int expect = 0;
		for (int64_t k = 1; k < id; k++)
			expect += want[k] == (enum light)l;
		assert_int_equal(tl.total, expect);
		assert_int_equal(tl.n, (size_t)expect);
		for (size_t i = 0; i < tl.n; i++) {
			assert_int_equal(tl.rows[i].light, l);
			assert_int_equal(want[tl.rows[i].id], (enum light)l);
		}
		seen[l] = expect;
		task_list_release(&tl);
	}
	/* Each light has its share of the combinations: 60 closed; of the 120
	 * open, 90 lack something; the 30 assigned are 6 red, 16 yellow and 8 green. */
	assert_int_equal(seen[LIGHT_NONE], 60);
	assert_int_equal(seen[LIGHT_GREY], 90);
	assert_int_equal(seen[LIGHT_RED], 6);
	assert_int_equal(seen[LIGHT_YELLOW], 16);
	assert_int_equal(seen[LIGHT_GREEN], 8);
	store_close(st);
}

/* ---- the workflow: every action, every role, every status ------------------------ */

enum actor { A_ADMIN, A_LEAD, A_LEAD2, A_HAND, A_HAND2, A_REV, A_OBS, A_LEAD_REV, A_HAND_REV,
	     A__MAX };

/* Expected outcome per actor of the actions in the order of enum
 * task_action (assign progress submit approve return reopen stage extend
 * decide confirm urge): o ok, d denied, c conflict, n not found.  The last
 * two actors are zhang (who leads the task, reported its progress and asked
 * for its 销号) and li (who reported its progress), both made reviewers
 * since: they review, but not this task's submission (separation of duties). */
static const struct {
	enum task_status status;
	const char *row[A__MAX];
} matrix[] = {
	/*                 admin         zhang (leads)  zhao (leads    li (unit      sun (other    wang          zhou
	                                               others)         above)        unit)         (reviewer)    (observer) */
	{TASK_NOT_STARTED, {"oocddddoddo", "docddddoddd", "ddddddddddd", "doddddddddd",
			    "nnnnnnnnnnn", "dddccccdcco", "ddddddddddd", "dddccccdcco", "dddccccdcco"}},
	{TASK_IN_PROGRESS, {"oooddddoddo", "dooddddoddd", "ddddddddddd", "doddddddddd",
			    "nnnnnnnnnnn", "dddccccdcco", "ddddddddddd", "dddccccdcco", "dddccccdcco"}},
	{TASK_SUBMITTED, {"occddddoddc", "dccddddoddd", "ddddddddddd", "dcddddddddd",
			  "nnnnnnnnnnn", "dddooccdccc", "ddddddddddd", "dddddcddccc", "dddddcddccc"}},
	{TASK_CLOSED, {"cccddddcddc", "dccddddcddd", "ddddddddddd", "dcddddddddd", "nnnnnnnnnnn",
		       "dddccocdcoc", "ddddddddddd", "dddccocdcoc", "dddccocdcoc"}},
	{TASK_STAGED, {"oooddddoddc", "dooddddoddd", "ddddddddddd", "doddddddddd", "nnnnnnnnnnn",
		       "dddccocdcoc", "ddddddddddd", "dddccocdcoc", "dddccocdcoc"}},
	/* Carried into the next campaign from 整改中: what 整改中 allows, W16
	 * refuses (the role is refused first). */
	{TASK_CARRIED, {"cccddddcddc", "dccddddcddd", "ddddddddddd", "dcddddddddd", "nnnnnnnnnnn",
			"dddccccdccc", "ddddddddddd", "dddccccdccc", "dddccccdccc"}},
};

/* Carry the open tasks of task id's campaign over into a new campaign;
 * the new campaign's id. */
static int64_t carry_over(struct store *st, int64_t id)
{
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, id, G.today, &t, NULL), RC_OK);
	struct campaign_new cn = {.year = 2025, .title = "2025年度整改", .carry_from = t.campaign_id,
				  .started = STORE_NO_DAY};
	task_release(&t);
	int64_t nc;
	int carried = 0;
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, &nc, &carried, NULL), RC_OK);
	assert_int_equal(carried, 13);
	return nc;
}

/* Drive task id of st into status s by the legal path (with li, the
 * handler, reporting progress too when hand). */
static void drive_by(struct store *st, int64_t id, enum task_status s, bool hand)
{
	if (s == TASK_NOT_STARTED)
		return;
	assert_int_equal(act(st, &G.lead1, id, TACT_PROGRESS), RC_OK);
	if (hand)
		assert_int_equal(act(st, &G.hand1, id, TACT_PROGRESS), RC_OK);
	if (s == TASK_CARRIED)
		carry_over(st, id);
	if (s == TASK_IN_PROGRESS || s == TASK_CARRIED)
		return;
	assert_int_equal(act(st, &G.lead1, id, TACT_SUBMIT), RC_OK);
	if (s == TASK_SUBMITTED)
		return;
	assert_int_equal(act(st, &G.rev, id, s == TASK_STAGED ? TACT_STAGE : TACT_APPROVE), RC_OK);
}

static void drive_to(struct store *st, int64_t id, enum task_status s)
{
	drive_by(st, id, s, false);
}

/* Build a schema-version-1 database at dst holding the rows of the
 * (version 2) database at src, whose added columns all hold their defaults:
 * the version-1 schema text (the first migration), every table's version-1
 * columns copied, the version-1 stamp. */
static void make_v1(const char *src, const char *dst)
{
	unlink(dst);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(dst, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, store_migration_sql(0), NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1; PRAGMA application_id = "
				      "1382376308", NULL, NULL, NULL), SQLITE_OK);
	char *sql = sqlite3_mprintf("ATTACH %Q AS src", src);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_stmt *t;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_schema WHERE "
					    "type = 'table' ORDER BY name", -1, &t, NULL), SQLITE_OK);
	int tables = 0;
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		sqlite3_stmt *c;
		sql = sqlite3_mprintf("SELECT group_concat('\"' || name || '\"', ', ') FROM "
				      "pragma_table_info(%Q, 'main')", name);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &c, NULL), SQLITE_OK);
		sqlite3_free(sql);
		assert_int_equal(sqlite3_step(c), SQLITE_ROW);
		char *cols = xstrdup((const char *)sqlite3_column_text(c, 0));
		sqlite3_finalize(c);
		sql = sqlite3_mprintf("INSERT INTO main.%Q(%s) SELECT %s FROM src.%Q", name, cols,
				      cols, name);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_free(sql);
		free(cols);
		tables++;
	}
	sqlite3_finalize(t);
	assert_int_equal(tables, 19);
	assert_int_equal(sqlite3_exec(db, "DETACH src", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* The value of a one-number query on a raw connection to path. */
static int64_t raw_int(const char *path, const char *q)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* The first real migration: a version-1 database (units, users, a setting,
 * a live session, tasks, the audit chain) is upgraded in place to version
 * 2 and stays verified; a migration that fails half-way leaves version 1
 * exactly as it was. */
static void test_schema_upgrade_from_v1(void **state)
{
	(void)state;
	SKIP_ON_PG("the migrations of a SQLite file from version 1 (PostgreSQL's schema starts at version 6)");
	char v2[160], v1[160];
	snprintf(v2, sizeof v2, "%s/up-v2.db", G.dir);
	snprintf(v1, sizeof v1, "%s/up-v1.db", G.dir);
	struct store *st = copy_file(G.tmpl, v2);
	char token[STORE_TOKEN_HEX], csrf[STORE_TOKEN_HEX];
	assert_int_equal(store_session_new(st, G.lead1.user_id, 5000, 3600, token, csrf, NULL),
			 RC_OK);
	assert_int_equal(store_setting_set(st, &G.admin, SETTING_IMMEDIATE_DAYS, 20, 0, NULL, NULL),
			 RC_OK);
	store_close(st);
	make_v1(v2, v1);
	assert_int_equal(raw_int(v1, "PRAGMA user_version"), 1);
	assert_int_equal(raw_int(v1, "SELECT count(*) FROM pragma_table_info('unit') WHERE "
				 "name = 'version'"), 0);
	int64_t tasks = raw_int(v1, "SELECT count(*) FROM task");
	int64_t audit = raw_int(v1, "SELECT count(*) FROM audit");
	assert_int_equal(tasks, 13);
	/* A read-only open does not upgrade. */
	struct err e = {0};
	assert_int_equal(store_open(v1, STORE_READONLY, &st, &e), RC_DB);
	assert_non_null(strstr(e.msg, "needs an upgrade"));
	/* The upgrade. */
	assert_int_equal(store_open(v1, 0, &st, &e), RC_OK);
	assert_int_equal(raw_int(v1, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(v1, "SELECT count(*) FROM task"), tasks);
	assert_int_equal(raw_int(v1, "SELECT count(*) FROM audit"), audit); /* nothing logged */
	assert_int_equal(raw_int(v1, "SELECT min(version) = 1 AND max(version) = 1 FROM unit"), 1);
	assert_int_equal(raw_int(v1, "SELECT min(version) = 1 AND max(version) = 1 FROM user"), 1);
	assert_int_equal(raw_int(v1, "SELECT count(*) FROM task WHERE leader_text <> ''"), 0);
	/* The session's idle clock starts at its login. */
	assert_int_equal(raw_int(v1, "SELECT last_seen FROM session"), 5000);
	struct who w;
	int64_t expires, seen;
	assert_int_equal(store_session_get(st, token, 5100, 0, &w, NULL, &expires, &seen, &e), RC_OK);
	assert_int_equal(seen, 5000);
	/* The chain still holds, and the new versions work. */
	verify_ok(st);
	int64_t v, ver;
	assert_int_equal(store_setting_get(st, SETTING_IMMEDIATE_DAYS, &v, &ver, NULL), RC_OK);
	assert_int_equal(v, 20);
	assert_int_equal(ver, 1);
	int64_t nv;
	assert_int_equal(store_unit_rename(st, &G.admin, G.unit_b, 1, "乙局（新）", &nv, &e), RC_OK);
	assert_int_equal(nv, 2);
	assert_int_equal(store_unit_rename(st, &G.admin, G.unit_b, 1, "乙局", &nv, &e), RC_CONFLICT);
	verify_ok(st);
	store_close(st);
	/* A second open finds nothing to do. */
	assert_int_equal(store_open(v1, 0, &st, &e), RC_OK);
	store_close(st);

	/* A migration that fails half-way (a version-1 file that already has an
	 * index named like one the upgrade creates) changes nothing. */
	make_v1(v2, v1);
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(v1, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "CREATE INDEX session_seen ON session(created)", NULL,
				      NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(store_open(v1, 0, &st, &e), RC_DB);
	assert_non_null(strstr(e.msg, "schema upgrade to version 2"));
	assert_int_equal(raw_int(v1, "PRAGMA user_version"), 1);
	assert_int_equal(raw_int(v1, "SELECT count(*) FROM pragma_table_info('unit') WHERE "
				 "name = 'version'"), 0);
	assert_int_equal(raw_int(v1, "SELECT count(*) FROM pragma_table_info('user') WHERE "
				 "name = 'version'"), 0);
	assert_int_equal(raw_int(v1, "SELECT count(*) FROM pragma_table_info('session') WHERE "
				 "name = 'last_seen'"), 0);
}

/* The migration 5 → 6: a database as schema 5 left it (the migration
 * undone by tests/it/lib/schema-down-6.sql, as the package's upgrade test
 * does) is upgraded, its kept counts taken with grey and with the
 * program's thresholds, which then live in dash_day; a database whose
 * thresholds are not the program's is counted afresh. */
static void test_schema_upgrade_5_to_6(void **state)
{
	(void)state;
	SKIP_ON_PG("the migration of a SQLite file from version 5 (PostgreSQL's schema starts at version 6)");
	char path[160];
	snprintf(path, sizeof path, "%s/up-v5.db", G.dir);
	struct store *st = copy_file(G.tmpl, path);
	struct task_assign a = {0};
	a.leader_id = -1; /* task 2 loses its leader: 待交办 */
	assert_int_equal(store_task_assign(st, &G.admin, 2, version_of(st, 2), &a, G.today, NULL,
					   NULL), RC_OK);
	store_close(st);
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	for (int v = STORE_SCHEMA_VERSION; v >= 6; v--) {
		char file[64];
		snprintf(file, sizeof file, "tests/it/lib/schema-down-%d.sql", v);
		char *down = test_read(file, NULL);
		assert_non_null(down);
		assert_int_equal(sqlite3_exec(raw, down, NULL, NULL, NULL), SQLITE_OK);
		free(down);
	}
	sqlite3_close(raw);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 5);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM pragma_table_info('dash_day') WHERE "
				   "name = 'warn_days'"), 0);
	/* Schema 5 knew no grey: task 2 was counted by its dates. */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM dash_unit WHERE light = 4"), 0);
	int64_t audit = raw_int(path, "SELECT count(*) FROM audit");
	/* The index remade by the upgrade is measured by it (ANALYZE): the
	 * planner takes an index without statistics for the filtered lists. */
	const char *stat = "SELECT count(*) FROM sqlite_stat1 WHERE idx = 'task_deadline'"
			   " AND stat LIKE '% % % % % % % % %'";
	assert_int_equal(raw_int(path, stat), 0);
	struct err e = {0};
	assert_int_equal(store_open(path, STORE_READONLY, &st, &e), RC_DB);
	assert_int_equal(store_open(path, 0, &st, &e), RC_OK);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(path, stat), 1);
	assert_int_equal(raw_int(path, "SELECT warn_days FROM dash_day"), LIGHT_WARN_DAYS);
	assert_int_equal(raw_int(path, "SELECT stale_days FROM dash_day"), LIGHT_STALE_DAYS);
	assert_int_equal(raw_int(path, "SELECT sum(n) FROM dash_unit WHERE light = 4"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM audit"), audit); /* nothing logged */
	int64_t wrong = -1;
	assert_int_equal(store_dash_check(st, &wrong, NULL), RC_OK);
	assert_int_equal(wrong, 0);
	struct dashboard d;
	assert_int_equal(store_dashboard(st, &G.admin, 0, G.today, &d, NULL), RC_OK);
	assert_int_equal(d.by_light[LIGHT_GREY], 1);
	dashboard_release(&d);
	dash_same(st, &G.admin, G.today);
	/* The triggers of schema 6 follow 交办: the leader back, grey gone. */
	a.leader_id = G.lead1.user_id;
	assert_int_equal(store_task_assign(st, &G.admin, 2, version_of(st, 2), &a, G.today, NULL,
					   NULL), RC_OK);
	assert_int_equal(raw_int(path, "SELECT coalesce(sum(n), 0) FROM dash_unit WHERE light = 4"),
			 0);
	dash_same(st, &G.admin, G.today);
	verify_ok(st);
	assert_int_equal(store_dashboard(st, &G.admin, 0, G.today, &d, NULL), RC_OK);
	int ref[LIGHT__MAX], ref_total = d.total;
	memcpy(ref, d.by_light, sizeof ref);
	dashboard_release(&d);
	store_close(st);

	/* Kept with other thresholds (a program with other constants wrote
	 * last): a read-only handle counts afresh, a writable one recounts. */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "UPDATE dash_day SET warn_days = 100; UPDATE dash_unit"
				      " SET n = n + 5", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(store_open(path, STORE_READONLY, &st, &e), RC_OK);
	assert_int_equal(store_dashboard(st, &G.admin, 0, G.today, &d, NULL), RC_OK);
	assert_int_equal(d.total, ref_total);
	assert_memory_equal(d.by_light, ref, sizeof ref);
	dashboard_release(&d);
	store_close(st);
	assert_int_equal(raw_int(path, "SELECT warn_days FROM dash_day"), 100);
	assert_int_equal(store_open(path, 0, &st, &e), RC_OK);
	assert_int_equal(raw_int(path, "SELECT warn_days FROM dash_day"), LIGHT_WARN_DAYS);
	assert_int_equal(store_dash_check(st, &wrong, NULL), RC_OK);
	assert_int_equal(wrong, 0);
	store_close(st);
}

/* The migration 6 → 7 (the web servers' shared state), on either engine:
 * a ledger as schema 6 left it (schema-down-7.sql on a file, the same
 * tables dropped and meta's version on PostgreSQL) is refused read-only,
 * upgraded by a writable open with nothing audited, and then keeps failed
 * logins and staged uploads; a second open has nothing to do. */
static void test_schema_upgrade_6_to_7(void **state)
{
	(void)state;
	char path[160], db[256];
	snprintf(path, sizeof path, "%s/up-v6.db", G.dir);
	test_db_at(path, db, sizeof db);
	struct store *st = copy_file(G.tmpl, db);
	if (test_on_pg()) {
		test_sql(st, "DROP TABLE staged; DROP TABLE login_fail;"
			     " UPDATE meta SET value = '6' WHERE key = 'schema'");
	} else {
		char *down = test_read("tests/it/lib/schema-down-7.sql", NULL);
		assert_non_null(down);
		test_sql(st, down);
		free(down);
	}
	int64_t audit = test_int(st, "SELECT count(*) FROM audit");
	store_close(st);
	struct err e = {0};
	assert_int_equal(store_open(db, STORE_READONLY, &st, &e), RC_DB);
	assert_non_null(strstr(e.msg, "needs an upgrade to 7"));
	assert_int_equal(store_open(db, 0, &st, &e), RC_OK);
	assert_int_equal(test_int(st, test_on_pg() ? "SELECT value FROM meta WHERE key = 'schema'"
						    : "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(test_int(st, "SELECT count(*) FROM audit"), audit);
	const struct store_login_key k = {"a lead1", true};
	assert_int_equal(store_login_fail(st, &k, 1, 1000, 900, &e), RC_OK);
	struct store_login_count c;
	assert_int_equal(store_login_get(st, "a lead1", 1001, 900, &c, &e), RC_OK);
	assert_int_equal(c.fails, 1);
	assert_int_equal(store_staged_put(st, G.lead1.user_id, "t0", "x.md", "abc", 3, 1000, 60, 4,
					  &e), RC_OK);
	verify_ok(st);
	store_close(st);
	assert_int_equal(store_open(db, 0, &st, &e), RC_OK);
	int64_t n = 0;
	assert_int_equal(store_staged_count(st, &n, &e), RC_OK);
	assert_int_equal(n, 1);
	store_close(st);
	/* A migration that fails (a table of that name already there) leaves
	 * schema 6 as it was. */
	st = copy_file(G.tmpl, db);
	if (test_on_pg())
		test_sql(st, "DROP TABLE staged; UPDATE meta SET value = '6' WHERE key = 'schema'");
	else
		test_sql(st, "DROP TABLE staged; PRAGMA user_version = 6");
	store_close(st);
	assert_int_equal(store_open(db, 0, &st, &e), RC_DB);
	assert_non_null(strstr(e.msg, "upgrade to version 7"));
	test_db_drop(db);
}

/* Failed logins in the store: windows begin at a failure and end after
 * window seconds, a good login zeroes, and past STORE_LOGIN_ROWS the
 * oldest counters that are no account's go, never an account's. */
static void test_login_counters(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct err e = {0};
	const struct store_login_key two[] = {{"a alice", true}, {"i 10.0.0.1", false}};
	assert_int_equal(store_login_fail(st, two, 2, 1000, 60, &e), RC_OK);
	assert_int_equal(store_login_fail(st, two, 2, 1030, 60, &e), RC_OK);
	struct store_login_count c;
	assert_int_equal(store_login_get(st, "a alice", 1059, 60, &c, &e), RC_OK);
	assert_int_equal(c.fails, 2);
	assert_int_equal(c.start, 1000);
	assert_int_equal(c.last, 1030);
	/* The window ends 60 s after its first failure, not its last. */
	assert_int_equal(store_login_get(st, "a alice", 1060, 60, &c, &e), RC_OK);
	assert_int_equal(c.fails, 0);
	assert_int_equal(store_login_fail(st, two, 1, 1061, 60, &e), RC_OK);
	assert_int_equal(store_login_get(st, "a alice", 1061, 60, &c, &e), RC_OK);
	assert_int_equal(c.fails, 1);
	assert_int_equal(c.start, 1061);
	const char *const forgive[] = {"a alice"};
	assert_int_equal(store_login_forgive(st, forgive, 1, &e), RC_OK);
	assert_int_equal(store_login_get(st, "a alice", 1062, 60, &c, &e), RC_OK);
	assert_int_equal(c.fails, 0);
	/* Keys are bounded. */
	char big[STORE_LOGIN_KEY_MAX + 2];
	memset(big, 'k', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	const struct store_login_key bad = {big, false};
	assert_int_equal(store_login_fail(st, &bad, 1, 1062, 60, &e), RC_INVALID);
	assert_int_equal(store_login_get(st, "", 1062, 60, &c, &e), RC_INVALID);
	/* Accounts stay whatever the flood. */
	const struct store_login_key acct = {"a bob", true};
	const int64_t day = 86400;
	assert_int_equal(store_login_fail(st, &acct, 1, 2000, day, &e), RC_OK);
	for (int i = 0; i < STORE_LOGIN_ROWS + 10; i++) {
		char k[32];
		snprintf(k, sizeof k, "i 10.%d.%d.1", i / 200, i % 200);
		const struct store_login_key one = {k, false};
		assert_int_equal(store_login_fail(st, &one, 1, 2001 + i, day, &e), RC_OK);
	}
	assert_int_equal(test_int(st, "SELECT count(*) FROM login_fail WHERE account = 0"),
			 STORE_LOGIN_ROWS);
	assert_int_equal(test_int(st, "SELECT count(*) FROM login_fail WHERE key = 'i 10.0.0.1'"), 0);
	assert_int_equal(store_login_get(st, "a bob", 2001 + STORE_LOGIN_ROWS, day, &c, &e), RC_OK);
	assert_int_equal(c.fails, 1);
	/* Expired counters go with the next failure, accounts' too. */
	const struct store_login_key late = {"i 9.9.9.9", false};
	assert_int_equal(store_login_fail(st, &late, 1, 1000000, 900, &e), RC_OK);
	assert_int_equal(test_int(st, "SELECT count(*) FROM login_fail"), 1);
	assert_int_equal(store_login_clear(st, &e), RC_OK);
	assert_int_equal(test_int(st, "SELECT count(*) FROM login_fail"), 0);
	store_close(st);
}

/* Staged uploads in the store: bounded in size, one per user, the
 * bytes as they were; a user who goes takes theirs along; a restore
 * (store_clear) empties them. */
static void test_staged_uploads(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct err e = {0};
	test_sql(st, "INSERT INTO \"user\"(login, name, role, pwhash, created)"
		     " VALUES ('u', 'u', 4, '-', 'x')");
	int64_t u = test_int(st, "SELECT id FROM \"user\" WHERE login = 'u'");
	assert_int_equal(store_staged_put(st, u, "", "n", "x", 1, 10, 60, 4, &e), RC_INVALID);
	assert_int_equal(store_staged_put(st, u, "t", "n", "x", STORE_STAGED_MAX + 1, 10, 60, 4, &e),
			 RC_TOOBIG);
	size_t n = 1 << 20;
	unsigned char *big = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (unsigned char)(i * 131 + (i >> 8));
	assert_int_equal(store_staged_put(st, u, "tok", "大.xlsx", big, n, 10, 60, 4, &e), RC_OK);
	char *data, name[32];
	size_t len;
	assert_int_equal(store_staged_get(st, u, "tok", 69, 60, &data, &len, name, sizeof name, &e),
			 RC_OK);
	assert_int_equal(len, n);
	assert_memory_equal(data, big, n);
	assert_string_equal(name, "大.xlsx");
	free(data);
	assert_int_equal(store_staged_get(st, u, "tok", 70, 60, &data, &len, name, sizeof name, &e),
			 RC_NOTFOUND);
	assert_null(data);
	assert_int_equal(store_staged_get(st, u, "tok2", 11, 60, &data, &len, name, sizeof name,
					  &e), RC_NOTFOUND);
	/* A user deleted behind the store's back takes the upload along. */
	test_sql(st, "DELETE FROM \"user\" WHERE login = 'u'");
	assert_int_equal(test_int(st, "SELECT count(*) FROM staged"), 0);
	/* store_clear (restore) empties both tables. */
	test_sql(st, "INSERT INTO \"user\"(login, name, role, pwhash, created)"
		     " VALUES ('v', 'v', 4, '-', 'x')");
	int64_t v = test_int(st, "SELECT id FROM \"user\" WHERE login = 'v'");
	assert_int_equal(store_staged_put(st, v, "tok", "n", big, 10, 10, 60, 4, &e), RC_OK);
	const struct store_login_key k = {"a v", true};
	assert_int_equal(store_login_fail(st, &k, 1, 10, 60, &e), RC_OK);
	test_sql(st, "BEGIN");
	assert_int_equal(store_clear(st, &e), RC_OK);
	test_sql(st, "COMMIT");
	assert_int_equal(test_int(st, "SELECT count(*) FROM staged"), 0);
	assert_int_equal(test_int(st, "SELECT count(*) FROM login_fail"), 0);
	free(big);
	store_close(st);
}

/* Units, users and settings carry versions: a change made against a
 * version that is no longer current is refused and writes nothing. */
static void test_versions_units_users_settings(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t nv;
	/* Units: two admins read version 1; the first wins. */
	assert_int_equal(unit_version(st, G.unit_b), 1);
	assert_int_equal(store_unit_rename(st, &G.admin, G.unit_b, 1, "乙局机关", &nv, &e), RC_OK);
	assert_int_equal(nv, 2);
	assert_int_equal(store_unit_rename(st, &G.admin, G.unit_b, 1, "乙局本级", NULL, &e),
			 RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_STALE);
	assert_int_equal(store_unit_set_parent(st, &G.admin, G.unit_b, 1, G.unit_a, NULL, &e),
			 RC_CONFLICT);
	struct unit u;
	struct arena ar = {0};
	assert_int_equal(store_unit_get(st, G.unit_b, &u, &ar, NULL), RC_OK);
	assert_string_equal(u.name, "乙局机关");
	assert_int_equal(u.parent_id, 0);
	assert_int_equal(u.version, 2);
	arena_release(&ar);
	/* Name and parent in one change: one version, one audit row. */
	struct audit_list al;
	assert_int_equal(store_audit_list(st, &G.admin, "unit", G.unit_b, 50, &al, NULL), RC_OK);
	size_t rows = al.n;
	audit_list_release(&al);
	struct unit_change uc = {2, "乙局本级", 1, G.unit_a};
	assert_int_equal(store_unit_update(st, &G.admin, G.unit_b, &uc, &nv, &e), RC_OK);
	assert_int_equal(nv, 3);
	assert_int_equal(store_audit_list(st, &G.admin, "unit", G.unit_b, 50, &al, NULL), RC_OK);
	assert_int_equal(al.n, rows + 1);
	assert_string_equal(al.v[0].action, "unit-update");
	audit_list_release(&al);
	struct unit_change none = {3, NULL, 0, 0};
	assert_int_equal(store_unit_update(st, &G.admin, G.unit_b, &none, NULL, &e), RC_INVALID);
	assert_int_equal(store_unit_rename(st, &G.admin, 9999, 1, "无", NULL, &e), RC_NOTFOUND);

	/* Users: the role, unit, active flag and a new password in one
	 * transaction, against the version read. */
	struct user usr;
	assert_int_equal(store_user_get(st, G.hand2.user_id, &usr, &ar, NULL), RC_OK);
	int64_t v0 = usr.version;
	arena_release(&ar);
	char token[STORE_TOKEN_HEX], csrf[STORE_TOKEN_HEX];
	assert_int_equal(store_session_new(st, G.hand2.user_id, 1000, 3600, token, csrf, &e), RC_OK);
	struct user_change c = {v0, ROLE_HANDLER, G.unit_a1, 1, "changed-pw-1"};
	assert_int_equal(store_audit_list(st, &G.admin, "user", G.hand2.user_id, 50, &al, NULL),
			 RC_OK);
	rows = al.n;
	audit_list_release(&al);
	assert_int_equal(store_user_update(st, &G.admin, G.hand2.user_id, &c, &nv, &e), RC_OK);
	assert_int_equal(nv, v0 + 1);
	assert_int_equal(store_audit_list(st, &G.admin, "user", G.hand2.user_id, 50, &al, NULL),
			 RC_OK);
	assert_int_equal(al.n, rows + 1); /* one row for both */
	assert_string_equal(al.v[0].action, "user-update-password");
	audit_list_release(&al);
	struct who w;
	assert_int_equal(store_user_verify(st, "sun", "changed-pw-1", &w, &e), RC_OK);
	assert_int_equal(w.unit_id, G.unit_a1);
	assert_int_equal(store_session_get(st, token, 1100, 0, &w, NULL, NULL, NULL, &e), RC_AUTH);
	/* A stale form changes nothing, not even the password it carries. */
	struct user_change stale = {v0, ROLE_OBSERVER, 0, 0, "changed-pw-2"};
	assert_int_equal(store_user_update(st, &G.admin, G.hand2.user_id, &stale, NULL, &e),
			 RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_STALE);
	assert_int_equal(store_user_verify(st, "sun", "changed-pw-1", &w, &e), RC_OK);
	assert_int_equal(w.role, ROLE_HANDLER);
	/* The user's own password change moves the version too: an admin's
	 * form read before it is stale. */
	assert_int_equal(store_user_get(st, G.hand2.user_id, &usr, &ar, NULL), RC_OK);
	v0 = usr.version;
	arena_release(&ar);
	assert_int_equal(store_user_password(st, &w, w.user_id, "changed-pw-1", "changed-pw-3", &e),
			 RC_OK);
	struct user_change late = {v0, ROLE_HANDLER, G.unit_a1, 1, "changed-pw-4"};
	assert_int_equal(store_user_update(st, &G.admin, G.hand2.user_id, &late, NULL, &e),
			 RC_CONFLICT);
	assert_int_equal(store_user_verify(st, "sun", "changed-pw-3", &w, &e), RC_OK);

	/* Settings: version 0 while never set. */
	int64_t v, ver;
	assert_int_equal(store_setting_get(st, SETTING_IMMEDIATE_DAYS, &v, &ver, NULL), RC_OK);
	assert_int_equal(ver, 0);
	assert_int_equal(store_setting_set(st, &G.admin, SETTING_IMMEDIATE_DAYS, 15, 0, &nv, &e),
			 RC_OK);
	assert_int_equal(nv, 1);
	assert_int_equal(store_setting_set(st, &G.admin, SETTING_IMMEDIATE_DAYS, 45, 0, NULL, &e),
			 RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_STALE);
	assert_int_equal(store_setting_set(st, &G.admin, SETTING_IMMEDIATE_DAYS, 45, 2, NULL, &e),
			 RC_CONFLICT);
	assert_int_equal(store_setting_get(st, SETTING_IMMEDIATE_DAYS, &v, &ver, NULL), RC_OK);
	assert_int_equal(v, 15);
	assert_int_equal(ver, 1);
	assert_int_equal(store_setting_set(st, &G.admin, SETTING_IMMEDIATE_DAYS, 45, 1, &nv, &e),
			 RC_OK);
	assert_int_equal(nv, 2);
	verify_ok(st);
	store_close(st);
}

static void test_workflow_matrix(void **state)
{
	(void)state;
	/* Made reviewers after the work: the session carries the new role. */
	const struct who lead_rev = {G.lead1.user_id, ROLE_REVIEWER, 0};
	const struct who hand_rev = {G.hand1.user_id, ROLE_REVIEWER, 0};
	const struct who *actors[A__MAX] = {&G.admin, &G.lead1,	 &G.lead2,  &G.hand1, &G.hand2,
					    &G.rev,   &G.obs,	 &lead_rev, &hand_rev};
	char path[160];
	db_path(path, sizeof path, "matrix.db");
	int checked = 0;
	for (size_t m = 0; m < ARRAY_LEN(matrix); m++) {
		enum task_status s = matrix[m].status;
		int64_t id = s == TASK_STAGED ? G.t_ongoing : G.t_dated;
		/* The state: a file from which each cell starts afresh. */
		G.today = G.day0;
		struct store *base = copy_mem(G.tmpl);
		drive_by(base, id, s, true);
		assert_int_equal(status_of(base, id), s);
		save_as(base, path);
		/* A closed or staged task is acted on the day its 回头看 comes due
		 * (before it, a confirmation is refused: test_review_timing). */
		if (s == TASK_CLOSED || s == TASK_STAGED)
			G.today = D("2024-09-01");
		for (int a = 0; a < A__MAX; a++) {
			/* The permission function and the detail agree with the table. */
			struct store *st = copy_mem(path);
			struct task t;
			enum rc rc = store_task_get(st, actors[a], id, G.today, &t, NULL);
			if (matrix[m].row[a][0] == 'n') {
				assert_int_equal(rc, RC_NOTFOUND);
			} else {
				assert_int_equal(rc, RC_OK);
				for (int k = 0; k < TACT__MAX; k++)
					assert_int_equal((t.actions >> k) & 1,
							 matrix[m].row[a][k] == 'o');
				task_release(&t);
			}
			store_close(st);
			for (int k = 0; k < TACT__MAX; k++) {
				st = copy_mem(path);
				int64_t before = version_of(st, id);
				rc = act(st, actors[a], id, (enum task_action)k);
				char want = matrix[m].row[a][k];
				enum rc expect = want == 'o' ? RC_OK
						 : want == 'd' ? RC_DENIED
						 : want == 'c' ? RC_CONFLICT
							       : RC_NOTFOUND;
				if (rc != expect)
					fprintf(stderr, "status %s, actor %d, action %s: rc %s, want %s\n",
						task_status_name(s), a, task_action_name((enum task_action)k),
						rc_name(rc), rc_name(expect));
				assert_int_equal(rc, expect);
				/* A refusal changes nothing; a success bumps the version. */
				assert_int_equal(version_of(st, id), before + (rc == RC_OK));
				store_close(st);
				checked++;
			}
		}
	}
	assert_int_equal(checked, 6 * A__MAX * TACT__MAX);
}

static void test_workflow_transitions(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int64_t id = G.t_dated;
	struct err e = {0};
	/* 申请销号 needs evidence: progress without a file is not enough. */
	assert_int_equal(store_task_progress(st, &G.lead1, id, version_of(st, id), "开始整改", NULL,
					     0, G.today, NULL, NULL, &e), RC_OK);
	assert_int_equal(status_of(st, id), TASK_IN_PROGRESS);
	assert_int_equal(act(st, &G.lead1, id, TACT_SUBMIT), RC_CONFLICT);
	assert_int_equal(store_task_act(st, &G.lead1, id, version_of(st, id), TACT_SUBMIT, NULL,
					G.today, NULL, &e), RC_CONFLICT);
	assert_non_null(strstr(e.msg, "W4"));
	assert_int_equal(act(st, &G.hand1, id, TACT_PROGRESS), RC_OK);
	assert_int_equal(act(st, &G.lead1, id, TACT_SUBMIT), RC_OK);
	/* 退回 and 重新打开 need a reason. */
	assert_int_equal(store_task_act(st, &G.rev, id, version_of(st, id), TACT_RETURN, "  ",
					G.today, NULL, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "W8"));
	assert_int_equal(act(st, &G.rev, id, TACT_RETURN), RC_OK);
	assert_int_equal(status_of(st, id), TASK_IN_PROGRESS);
	assert_int_equal(act(st, &G.lead1, id, TACT_SUBMIT), RC_OK);
	assert_int_equal(act(st, &G.rev, id, TACT_APPROVE), RC_OK);
	struct task t;
	assert_int_equal(store_task_get(st, &G.rev, id, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.status, TASK_CLOSED);
	assert_int_equal(t.light, LIGHT_NONE);
	assert_int_equal(t.closed_day, G.today);
	/* 回头看 comes due six months later (the default). */
	assert_int_equal(t.review_due, D("2024-09-01"));
	/* History: import, assign, progress (→整改中), submit, return, submit, approve. */
	const char *want[] = {"import", "assign", "progress", "submit", "return", "submit", "approve"};
	assert_int_equal(t.n_events, ARRAY_LEN(want));
	for (size_t i = 0; i < t.n_events; i++)
		assert_string_equal(t.events[i].action, want[i]);
	assert_int_equal(t.events[0].from, TASK_STATUS__MAX);
	assert_string_equal(t.events[4].reason, "理由");
	assert_int_equal(t.n_reviews, 2);
	assert_int_equal(t.n_progress, 2);
	assert_int_equal(t.progress[0].n_evidence, 0);
	assert_int_equal(t.progress[1].n_evidence, 1);
	assert_string_equal(t.progress[1].author, "李四");
	task_release(&t);
	/* Due for review only from that day. */
	struct task_filter f = TASK_FILTER_INIT;
	f.review_due = 1;
	struct task_list l;
	assert_int_equal(store_task_list(st, &G.rev, &f, D("2024-08-31"), &l, NULL), RC_OK);
	assert_int_equal(l.total, 0);
	task_list_release(&l);
	assert_int_equal(store_task_list(st, &G.rev, &f, D("2024-09-01"), &l, NULL), RC_OK);
	assert_int_equal(l.total, 1);
	task_list_release(&l);
	/* Not confirmed before it is due; confirmed: no longer due, and no
	 * second confirmation. */
	G.today = D("2024-08-31");
	assert_int_equal(act(st, &G.rev, id, TACT_CONFIRM), RC_CONFLICT);
	G.today = D("2024-09-01");
	assert_int_equal(act(st, &G.rev, id, TACT_CONFIRM), RC_OK);
	G.today = G.day0;
	assert_int_equal(store_task_list(st, &G.rev, &f, D("2025-01-01"), &l, NULL), RC_OK);
	assert_int_equal(l.total, 0);
	task_list_release(&l);
	assert_int_equal(act(st, &G.rev, id, TACT_CONFIRM), RC_CONFLICT);
	/* Reopened after all. */
	assert_int_equal(act(st, &G.rev, id, TACT_REOPEN), RC_OK);
	assert_int_equal(store_task_get(st, &G.rev, id, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.status, TASK_IN_PROGRESS);
	assert_int_equal(t.closed_day, STORE_NO_DAY);
	assert_int_equal(t.review_due, STORE_NO_DAY);
	task_release(&t);
	/* Ongoing task: 阶段性完成 keeps it under periodic review. */
	int64_t og = G.t_ongoing;
	drive_to(st, og, TASK_STAGED);
	assert_int_equal(store_task_get(st, &G.rev, og, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.review_due, D("2024-09-01"));
	assert_int_equal(t.light, LIGHT_GREEN);
	task_release(&t);
	G.today = D("2024-09-02");
	assert_int_equal(act(st, &G.rev, og, TACT_CONFIRM), RC_OK);
	assert_int_equal(store_task_get(st, &G.rev, og, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.status, TASK_STAGED);
	assert_int_equal(t.review_due, D("2025-03-02"));
	/* Its last progress was in March: yellow now. */
	assert_int_equal(t.light, LIGHT_YELLOW);
	task_release(&t);
	verify_ok(st);
	store_close(st);
}

static void test_stale_version_refused(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int64_t id = G.t_dated;
	int64_t v = version_of(st, id);
	struct err e = {0};
	struct evidence_in ev = ev_file();
	int64_t nv;
	assert_int_equal(store_task_progress(st, &G.lead1, id, v, "第一次", &ev, 1, G.today, NULL,
					     &nv, &e), RC_OK);
	assert_int_equal(nv, v + 1);
	/* Another writer still holding v is refused, and nothing is written. */
	assert_int_equal(store_task_progress(st, &G.hand1, id, v, "第二次", NULL, 0, G.today, NULL,
					     NULL, &e), RC_CONFLICT);
	assert_non_null(strstr(e.msg, "changed by someone else"));
	struct task_assign a = {0};
	a.goal = "x";
	assert_int_equal(store_task_assign(st, &G.admin, id, v, &a, G.today, NULL, &e), RC_CONFLICT);
	assert_int_equal(store_task_act(st, &G.lead1, id, v, TACT_SUBMIT, NULL, G.today, NULL, &e),
			 RC_CONFLICT);
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, id, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.version, nv);
	assert_int_equal(t.n_progress, 1);
	assert_string_equal(t.goal, "");
	assert_int_equal(t.status, TASK_IN_PROGRESS);
	task_release(&t);
	store_close(st);
}

/* Every refusal carries a stable code (e->code): the workflow's name the
 * rule their English message names; a stale version is STORE_E_STALE; an
 * error raised later on the same struct err does not inherit the code. */
static void test_refusal_codes(void **state)
{
	(void)state;
	const struct who *actors[] = {&G.admin, &G.lead1, &G.lead2, &G.hand1,
				      &G.hand2, &G.rev,	  &G.obs};
	int refusals = 0;
	for (size_t a = 0; a < ARRAY_LEN(actors); a++)
		for (int s = 0; s < TASK_STATUS__MAX; s++)
			for (int dk = 0; dk < DEADLINE__MAX; dk++)
				for (int bits = 0; bits < 16; bits++) {
					struct task_facts f = {0};
					f.status = (enum task_status)s;
					f.leader_id = G.lead1.user_id;
					f.unit_id = G.unit_a1;
					f.unit_in_scope = bits & 1;
					f.deadline_kind = (enum deadline_kind)dk;
					f.has_evidence = (bits >> 1) & 1;
					f.pending_extension = (bits >> 2) & 1;
					f.review_due = (bits >> 3) & 1 ? G.today : STORE_NO_DAY;
					f.review_is_due = (bits >> 3) & 1;
					for (int k = 0; k < TACT__MAX; k++) {
						struct err e = {0};
						if (task_may(actors[a], &f, (enum task_action)k, &e) == RC_OK)
							continue;
						refusals++;
						assert_non_null(e.code);
						const char *dash = strchr(e.code, '-');
						assert_non_null(dash);
						char rule[32];
						snprintf(rule, sizeof rule, "rule %.*s:",
							 (int)(dash - e.code), e.code);
						if (!strstr(e.msg, rule))
							fprintf(stderr, "%s: %s\n", e.code, e.msg);
						assert_non_null(strstr(e.msg, rule));
					}
				}
	assert_int_equal(refusals, 27664);
	/* Writes: a stale version, a rule, bad input. */
	struct store *st = copy_mem(G.tmpl);
	int64_t id = G.t_dated, v = version_of(st, id);
	struct err e = {0};
	assert_int_equal(act(st, &G.lead1, id, TACT_PROGRESS), RC_OK);
	assert_int_equal(store_task_progress(st, &G.lead1, id, v, "又一次", NULL, 0, G.today, NULL,
					     NULL, &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_STALE);
	assert_int_equal(store_task_extend(st, &G.rev, id, version_of(st, id), D("2025-01-01"), "x",
					   G.today, NULL, NULL, &e), RC_DENIED);
	assert_string_equal(e.code, STORE_E_W10_ROLE);
	assert_int_equal(store_unit_add(st, &G.admin, "", 0, NULL, &e), RC_INVALID);
	assert_string_equal(e.code, STORE_E_UNIT_NAME);
	assert_int_equal(store_unit_add(st, &G.admin, "甲局", 0, NULL, &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_UNIT_TAKEN);
	/* ERR() clears the code: a later failure without one has none. */
	struct store *none;
	char junk[160];
	snprintf(junk, sizeof junk, "%s/junk.db", G.dir);
	FILE *f = fopen(junk, "w");
	assert_non_null(f);
	fputs("not a database, not even SQLite's", f);
	fclose(f);
	assert_int_equal(store_open(junk, 0, &none, &e), RC_DB);
	assert_null(e.code);
	unlink(junk);
	store_close(st);
}

static void test_scope(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct task_filter f = TASK_FILTER_INIT;
	struct task_list l;
	/* 甲局's handler sees 甲局一科's tasks; 乙局's sees none. */
	assert_int_equal(store_task_list(st, &G.hand1, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 13);
	task_list_release(&l);
	assert_int_equal(store_task_list(st, &G.hand2, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 0);
	assert_int_equal(l.n, 0);
	task_list_release(&l);
	/* Guessing an id does not help: not found, not denied. */
	struct task t;
	struct err e = {0};
	assert_int_equal(store_task_get(st, &G.hand2, 1, G.today, &t, &e), RC_NOTFOUND);
	/* Leaders, reviewers and observers read the whole ledger. */
	assert_int_equal(store_task_list(st, &G.lead2, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 13);
	task_list_release(&l);
	/* Evidence is scoped like its task. */
	struct evidence_in ev = ev_file();
	int64_t pid;
	assert_int_equal(store_task_progress(st, &G.hand1, 1, version_of(st, 1), "进展", &ev, 1,
					     G.today, &pid, NULL, &e), RC_OK);
	assert_int_equal(store_task_get(st, &G.hand1, 1, G.today, &t, NULL), RC_OK);
	int64_t eid = t.progress[0].evidence[0].id;
	task_release(&t);
	char buf[64];
	size_t got;
	assert_int_equal(store_evidence_read(st, &G.hand2, eid, 0, buf, sizeof buf, &got, NULL),
			 RC_NOTFOUND);
	assert_int_equal(store_evidence_read(st, &G.obs, eid, 0, buf, sizeof buf, &got, NULL), RC_OK);
	assert_int_equal(got, 16);
	assert_memory_equal(buf, "meeting minutes\n", 16);
	/* Moving 甲局一科 under 乙局 moves its tasks into sun's scope. */
	assert_int_equal(store_unit_set_parent(st, &G.admin, G.unit_a1, unit_version(st, G.unit_a1),
					       G.unit_b, NULL, &e), RC_OK);
	assert_int_equal(store_task_list(st, &G.hand2, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 13);
	task_list_release(&l);
	assert_int_equal(store_task_list(st, &G.hand1, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 0);
	task_list_release(&l);
	/* A cycle is refused. */
	assert_int_equal(store_unit_set_parent(st, &G.admin, G.unit_b, unit_version(st, G.unit_b),
					       G.unit_a1, NULL, &e), RC_CONFLICT);
	/* The unit filter takes sub-units in. */
	f.unit_id = G.unit_b;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 13);
	task_list_release(&l);
	f.unit_id = G.unit_a;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 0);
	task_list_release(&l);
	verify_ok(st);
	store_close(st);
}

static void test_task_list_filters_sort_pages(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct task_filter f = TASK_FILTER_INIT;
	f.per_page = 5;
	struct task_list l;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 13);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.rows[0].seq, 1);
	task_list_release(&l);
	f.page = 3;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.rows[2].seq, 13);
	task_list_release(&l);
	f.page = 1;
	f.desc = 1;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.rows[0].seq, 13);
	task_list_release(&l);
	/* Deadline order: dated first, earliest first; the ongoing one last. */
	f = (struct task_filter)TASK_FILTER_INIT;
	f.sort = TASK_SORT_DEADLINE;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	for (size_t i = 1; i + 1 < l.n; i++)
		assert_true(l.rows[i - 1].deadline <= l.rows[i].deadline);
	assert_int_equal(l.rows[l.n - 1].deadline_kind, DEADLINE_ONGOING);
	task_list_release(&l);
	/* Free text, area, status, leader. */
	f = (struct task_filter)TASK_FILTER_INIT;
	f.q = "偏远";
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 1);
	assert_string_equal(l.rows[0].lead, "联系服务群众不够深入");
	int64_t area = 0;
	task_list_release(&l);
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, 4, G.today, &t, NULL), RC_OK);
	area = t.area_id;
	assert_string_equal(t.area, "在为民服务解难题方面");
	task_release(&t);
	f = (struct task_filter)TASK_FILTER_INIT;
	f.area_id = area;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 3);
	task_list_release(&l);
	f = (struct task_filter)TASK_FILTER_INIT;
	f.leader_id = G.lead2.user_id;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 0);
	task_list_release(&l);
	f.leader_id = G.lead1.user_id;
	f.status = TASK_NOT_STARTED;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 13);
	task_list_release(&l);
	/* Bad pages are refused. */
	f.page = 0;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_INVALID);
	f.page = 1;
	f.per_page = TASK_PER_PAGE_MAX + 1;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_INVALID);
	/* Every sort key works both ways. */
	for (int s = 0; s < TASK_SORT__MAX; s++)
		for (int d = 0; d < 2; d++) {
			f = (struct task_filter)TASK_FILTER_INIT;
			f.sort = (enum task_sort)s;
			f.desc = d;
			f.unit_id = s % 2 ? G.unit_a : 0;
			assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
			assert_int_equal(l.total, 13);
			task_list_release(&l);
		}
	store_close(st);
}

/* ---- import, deadlines, measures ---------------------------------------------------- */

static void test_import_sample(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	/* Deadlines from the measures: the latest date each area states. */
	const char *want[] = {"2024-06-30", "2024-03-31", "2024-12-31", "2024-04-30"};
	for (int area = 0; area < 4; area++) {
		struct task t;
		assert_int_equal(store_task_get(st, &G.admin, 1 + 3 * area, G.today, &t, NULL), RC_OK);
		assert_int_equal(t.deadline_kind, DEADLINE_DATE);
		char d[11];
		store_day_format(t.deadline, d);
		assert_string_equal(d, want[area]);
		assert_int_equal(t.n_measures, 1);
		assert_non_null(strstr(t.measures[0].label, "（"));
		task_release(&t);
	}
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, 2, G.today, &t, NULL), RC_OK);
	assert_string_equal(t.lead, "学习成果转化不够");
	assert_int_equal(t.n_examples, 1);
	assert_non_null(strstr(t.examples[0], "例如"));
	task_release(&t);
	/* The same file again: refused unless again. */
	size_t len = 0;
	char *src = test_read("data/sample-team.md", &len);
	assert_non_null(src);
	struct doc *d;
	assert_int_equal(doc_parse(src, len, "sample-team.md", &d, NULL), RC_OK);
	free(src);
	struct report_import in = {0};
	struct import_result res;
	struct err e = {0};
	assert_int_equal(store_report_import(st, &G.admin, d, &in, G.today, &res, &e), RC_CONFLICT);
	assert_non_null(strstr(e.msg, "already imported"));
	assert_int_equal(store_report_import(st, &G.lead1, d, &in, G.today, &res, &e), RC_DENIED);
	in.again = 1;
	assert_int_equal(store_report_import(st, &G.admin, d, &in, G.today, &res, &e), RC_OK);
	assert_int_equal(res.n_tasks, 12);
	assert_int_equal(res.n_commitments, 6);
	doc_free(d);
	/* A text with no problem items is refused, nothing written. */
	const char *none = "某单位总结\n\n一、工作回顾\n\n今年做了很多工作。\n";
	assert_int_equal(doc_parse_text(none, strlen(none), &d, NULL), RC_OK);
	assert_int_equal(store_report_import(st, &G.admin, d, &in, G.today, &res, &e), RC_INVALID);
	doc_free(d);
	struct report_list rl;
	assert_int_equal(store_report_list(st, &G.obs, 0, &rl, NULL), RC_OK);
	assert_int_equal(rl.n, 3);
	report_list_release(&rl);
	verify_ok(st);
	store_close(st);
}

/* Where a report goes: the proposal of report_target(), the ambiguity the
 * command line and the web refuse to guess about, and new_campaign. */
static void test_import_target(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	const char *text = "# 某局领导班子2025年度对照检查材料\n\n一、存在的问题\n\n"
			   "一是调研不深入。比如，全年只下基层2次。\n\n二是制度执行不严。\n\n"
			   "二、整改措施\n\n一是每季度调研1次。\n";
	struct doc *d;
	assert_int_equal(doc_parse_text(text, strlen(text), &d, NULL), RC_OK);
	struct campaign_list l;
	assert_int_equal(store_campaign_list(st, &G.admin, &l, NULL), RC_OK);
	assert_int_equal(l.n, 1);
	struct report_target t;
	report_target(d, "a.md", G.today, &l, &t);
	assert_int_equal(t.year, 2025);
	assert_int_equal(t.new_year, 2025);
	assert_string_equal(t.new_title, "某局领导班子2025年度对照检查材料");
	assert_ptr_equal(t.current, &l.v[0]);
	assert_null(t.match);
	assert_true(t.ambiguous);
	assert_int_equal(t.n_tasks, 2);
	campaign_list_release(&l);
	/* new_campaign: opened from the report, made current, the tasks in it. */
	struct report_import in = {0};
	in.new_campaign = 1;
	in.campaign_id = 1; /* ignored */
	struct import_result res;
	struct err e = {0};
	assert_int_equal(store_report_import(st, &G.admin, d, &in, G.today, &res, &e), RC_OK);
	assert_true(res.campaign_created);
	assert_int_equal(res.n_tasks, 2);
	assert_int_equal(store_campaign_list(st, &G.admin, &l, NULL), RC_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].id, res.campaign_id);
	assert_int_equal(l.v[0].year, 2025);
	assert_true(l.v[0].current);
	assert_string_equal(l.v[0].title, "某局领导班子2025年度对照检查材料");
	assert_int_equal(l.v[0].n_tasks, 2);
	/* Now the current campaign is of the report's year: no ambiguity. */
	report_target(d, "a.md", G.today, &l, &t);
	assert_false(t.ambiguous);
	assert_ptr_equal(t.match, &l.v[0]);
	campaign_list_release(&l);
	doc_free(d);
	/* A report that names no year goes where the current campaign is. */
	const char *plain = "一、存在的问题\n\n一是调研不深入。\n";
	assert_int_equal(doc_parse_text(plain, strlen(plain), &d, NULL), RC_OK);
	assert_int_equal(store_campaign_list(st, &G.admin, &l, NULL), RC_OK);
	report_target(d, "无题.md", G.today, &l, &t);
	assert_int_equal(t.year, 0);
	assert_int_equal(t.new_year, 2024);
	assert_string_equal(t.new_title, "无题.md");
	assert_false(t.ambiguous);
	campaign_list_release(&l);
	doc_free(d);
	/* A ledger into a campaign of its own: a refused import leaves none. */
	struct ledger_row row = {0};
	row.problem = "值班制度执行不严。";
	row.leader = "无此人";
	assert_int_equal(store_ledger_import_new(st, &G.admin, 2023, "旧台账", &row, 1, "x.csv", 0,
						 G.today, &res, &e),
			 RC_INVALID);
	assert_int_equal(store_ledger_import_new(st, &G.admin, 2023, "", &row, 1, "x.csv",
						 LEDGER_LEADER_TEXT, G.today, &res, &e),
			 RC_INVALID);
	assert_string_equal(e.code, STORE_E_CAMPAIGN_TITLE);
	assert_int_equal(store_campaign_list(st, &G.admin, &l, NULL), RC_OK);
	assert_int_equal(l.n, 2);
	campaign_list_release(&l);
	assert_int_equal(store_ledger_import_new(st, &G.admin, 2023, "旧台账", &row, 1, "x.csv",
						 LEDGER_LEADER_TEXT, G.today, &res, &e),
			 RC_OK);
	assert_true(res.campaign_created);
	assert_int_equal(store_campaign_list(st, &G.admin, &l, NULL), RC_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].year, 2023);
	assert_true(l.v[0].current);
	assert_int_equal(l.v[0].n_tasks, 1);
	campaign_list_release(&l);
	verify_ok(st);
	store_close(st);
}

static void test_import_fixture(void **state)
{
	(void)state;
	size_t len = 0;
	char *src = test_read(FIXTURE_DIR "000_c3413cd0edfb2f64.txt", &len);
	if (!src) {
		/* The shared fixtures are not beside this checkout. */
		skip();
	}
	struct store *st = open_fresh();
	struct doc *d;
	assert_int_equal(doc_parse(src, len, "000.txt", &d, NULL), RC_OK);
	free(src);
	struct report_import in = {0};
	struct import_result res;
	struct err e = {0};
	assert_int_equal(store_report_import(st, &WHO_SYSTEM, d, &in, G.today, &res, &e), RC_OK);
	doc_free(d);
	assert_int_equal(res.campaign_created, 1);
	assert_int_equal(res.n_tasks, 15);
	assert_int_equal(res.n_commitments, 2);
	struct commitment_list cl;
	assert_int_equal(store_commitment_list(st, &WHO_SYSTEM, 0, G.today, &cl, NULL), RC_OK);
	assert_int_equal(cl.n, 2);
	assert_int_equal(cl.v[0].min, 12);
	assert_int_equal(cl.v[1].period, DOC_PERIOD_MONTH);
	commitment_list_release(&cl);
	/* The fifth area's six measures answer its three problems. */
	struct task t;
	assert_int_equal(store_task_get(st, &WHO_SYSTEM, 15, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.n_measures, 6);
	task_release(&t);
	verify_ok(st);
	store_close(st);
}

/* ---- evidence --------------------------------------------------------------------- */

static void test_evidence(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	char big[160];
	snprintf(big, sizeof big, "%s/big.bin", G.dir);
	/* A file of 200 KiB + 3 bytes, in chunks, read back in pieces. */
	size_t n = 200 * 1024 + 3;
	unsigned char *data = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 7 + i / 251);
	assert_int_equal(util_write_file(big, data, n, NULL), RC_OK);
	int fd = open(big, O_RDONLY);
	assert_true(fd >= 0);
	struct evidence_in ev[2] = {{"扫描件.pdf", "application/pdf", fd, NULL}, ev_file()};
	struct err e = {0};
	assert_int_equal(store_task_progress(st, &G.lead1, 1, version_of(st, 1), "附件", ev, 2,
					     G.today, NULL, NULL, &e), RC_OK);
	close(fd);
	struct task t;
	assert_int_equal(store_task_get(st, &G.lead1, 1, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.progress[0].n_evidence, 2);
	const struct evidence_meta *m = &t.progress[0].evidence[0];
	assert_int_equal(m->size, (int64_t)n);
	char hex[65];
	util_sha256_hex(data, n, hex);
	assert_string_equal(m->sha256, hex);
	int64_t eid = m->id;
	task_release(&t);
	unsigned char *back = xmalloc(n);
	size_t off = 0, got;
	do {
		assert_int_equal(store_evidence_read(st, &G.hand1, eid, off, back + off, 7000, &got,
						     NULL), RC_OK);
		off += got;
	} while (got);
	assert_int_equal(off, n);
	assert_memory_equal(back, data, n);
	free(back);
	free(data);
	struct arena a = {0};
	struct evidence_meta meta;
	assert_int_equal(store_evidence_meta(st, &G.obs, eid, &meta, &a, NULL), RC_OK);
	assert_string_equal(meta.name, "扫描件.pdf");
	assert_string_equal(meta.mime, "application/pdf");
	arena_release(&a);
	/* Over the bound: refused before anything is written. */
	fd = open(big, O_WRONLY);
	assert_int_equal(ftruncate(fd, (off_t)EVIDENCE_MAX_BYTES + 1), 0);
	close(fd);
	struct evidence_in huge = {"huge.bin", NULL, -1, big};
	int64_t v = version_of(st, 1);
	assert_int_equal(store_task_progress(st, &G.lead1, 1, v, "太大", &huge, 1, G.today, NULL,
					     NULL, &e), RC_TOOBIG);
	assert_int_equal(version_of(st, 1), v);
	/* Names with paths or control characters, and too many files. */
	struct evidence_in bad = {"../etc/passwd", NULL, -1, G.evidence};
	assert_int_equal(store_task_progress(st, &G.lead1, 1, v, "x", &bad, 1, G.today, NULL, NULL,
					     &e), RC_INVALID);
	/* ... over 255 bytes, not UTF-8, a C1 control, nothing but format
	 * characters: refused, never stored under another name. */
	char longname[EVIDENCE_NAME_MAX + 8];
	memset(longname, 'a', sizeof longname - 5);
	strcpy(longname + sizeof longname - 5, ".pdf");
	const char *const bad_names[] = {"a\nb", "报告\xff" ".pdf", "a\xc2\x85" "b.pdf",
					 "\xe2\x80\xae\xe2\x80\x8b", "\xe2\x80\xae..", longname};
	for (size_t i = 0; i < ARRAY_LEN(bad_names); i++) {
		bad.name = bad_names[i];
		assert_int_equal(store_task_progress(st, &G.lead1, 1, v, "x", &bad, 1, G.today, NULL,
						     NULL, &e), RC_INVALID);
		assert_string_equal(e.code, STORE_E_EVIDENCE_NAME);
		assert_int_equal(version_of(st, 1), v);
	}
	/* Format characters are removed: a right-to-left override cannot
	 * disguise an .exe as a .pdf, and 255 bytes after removal will do. */
	memset(longname, 'a', EVIDENCE_NAME_MAX - 4);
	strcpy(longname + EVIDENCE_NAME_MAX - 4, ".pdf");
	struct evidence_in rlo[2] = {{"报告\xe2\x80\xae" "fdp.exe", NULL, -1, G.evidence},
				     {longname, NULL, -1, G.evidence}};
	int64_t pid;
	assert_int_equal(store_task_progress(st, &G.lead1, 1, v, "x", rlo, 2, G.today, &pid, &v, &e),
			 RC_OK);
	assert_int_equal(store_task_get(st, &G.lead1, 1, G.today, &t, NULL), RC_OK);
	const struct task_progress *tp = &t.progress[t.n_progress - 1];
	assert_int_equal(tp->n_evidence, 2);
	assert_string_equal(tp->evidence[0].name, "报告fdp.exe");
	assert_string_equal(tp->evidence[1].name, longname);
	task_release(&t);
	struct evidence_in many[EVIDENCE_MAX_FILES + 1];
	for (size_t i = 0; i < ARRAY_LEN(many); i++)
		many[i] = ev_file();
	assert_int_equal(store_task_progress(st, &G.lead1, 1, v, "x", many, ARRAY_LEN(many),
					     G.today, NULL, NULL, &e), RC_TOOBIG);
	/* Text bounds. */
	assert_int_equal(store_task_progress(st, &G.lead1, 1, v, "", NULL, 0, G.today, NULL, NULL,
					     &e), RC_INVALID);
	verify_ok(st);
	store_close(st);
}

/* ---- extensions ---------------------------------------------------------------------- */

static void test_extensions(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int64_t id = G.t_dated; /* due 2024-06-30 */
	struct err e = {0};
	/* The deadline does not move by assignment once set (W9). */
	struct task_assign a = {0};
	a.deadline_kind = DEADLINE_DATE;
	a.deadline = D("2024-12-31");
	assert_int_equal(store_task_assign(st, &G.admin, id, version_of(st, id), &a, G.today, NULL,
					   &e), RC_CONFLICT);
	assert_non_null(strstr(e.msg, "W9"));
	/* A request must go forward in time and give a reason. */
	assert_int_equal(store_task_extend(st, &G.lead1, id, version_of(st, id), D("2024-05-01"),
					   "理由", G.today, NULL, NULL, &e), RC_INVALID);
	assert_int_equal(store_task_extend(st, &G.lead1, id, version_of(st, id), D("2024-09-30"),
					   "", G.today, NULL, NULL, &e), RC_INVALID);
	int64_t ext;
	assert_int_equal(store_task_extend(st, &G.lead1, id, version_of(st, id), D("2024-09-30"),
					   "汛期施工受阻", G.today, &ext, NULL, &e), RC_OK);
	/* One pending at a time. */
	assert_int_equal(store_task_extend(st, &G.admin, id, version_of(st, id), D("2024-10-30"),
					   "再延", G.today, NULL, NULL, &e), RC_CONFLICT);
	/* Only reviewers decide. */
	assert_int_equal(store_task_extend_decide(st, &G.admin, id, version_of(st, id), 0, 1, NULL,
						  G.today, NULL, &e), RC_DENIED);
	assert_int_equal(store_task_extend_decide(st, &G.rev, id, version_of(st, id), ext, 0, "不同意",
						  G.today, NULL, &e), RC_OK);
	struct task t;
	assert_int_equal(store_task_get(st, &G.rev, id, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.deadline, D("2024-06-30"));
	assert_int_equal(t.n_extensions, 1);
	assert_string_equal(t.extensions[0].state, "refused");
	assert_string_equal(t.extensions[0].note, "不同意");
	assert_int_equal(t.extensions[0].day, G.today); /* the day of the request's event */
	task_release(&t);
	assert_int_equal(store_task_extend(st, &G.lead1, id, version_of(st, id), D("2024-08-31"),
					   "再次申请", G.today + 2, &ext, NULL, &e), RC_OK);
	assert_int_equal(store_task_extend_decide(st, &G.rev, id, version_of(st, id), 0, 1, NULL,
						  G.today, NULL, &e), RC_OK);
	assert_int_equal(store_task_get(st, &G.rev, id, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.deadline, D("2024-08-31"));
	assert_int_equal(t.n_extensions, 2);
	assert_string_equal(t.extensions[1].state, "approved");
	assert_int_equal(t.extensions[1].from_day, D("2024-06-30"));
	assert_string_equal(t.extensions[1].decider, "王五");
	assert_int_equal(t.extensions[1].day, G.today + 2);
	task_release(&t);
	/* Nothing pending now. */
	assert_int_equal(store_task_extend_decide(st, &G.rev, id, version_of(st, id), 0, 1, NULL,
						  G.today, NULL, &e), RC_CONFLICT);
	/* An unset deadline is set once by assignment; 立行立改 is due 30 days on. */
	test_sql(st, "UPDATE task SET deadline_kind = 0, deadline = NULL WHERE id = 2");
	a.deadline_kind = DEADLINE_IMMEDIATE;
	assert_int_equal(store_task_assign(st, &G.admin, 2, version_of(st, 2), &a, G.today, NULL, &e),
			 RC_OK);
	assert_int_equal(store_task_get(st, &G.rev, 2, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.deadline_kind, DEADLINE_IMMEDIATE);
	assert_int_equal(t.deadline, G.today + 30);
	task_release(&t);
	store_close(st);
}

/* ---- commitments ------------------------------------------------------------------- */

/* A report with a monthly team commitment and a quarterly per-member one. */
static const char commit_report[] =
	"某局领导班子对照检查材料\n\n"
	"一、存在的问题\n\n"
	"（一）调查研究方面\n\n"
	"一是调研不深入。比如，全年只开展调研2次。\n\n"
	"二、整改措施\n\n"
	"（一）加强调查研究。班子每月开展专题调研不少于2次；"
	"班子成员每季度讲党课不少于1次。\n";

static struct store *commit_db_at(const char *start, const char *imported);

static struct store *commit_db(const char *start)
{
	return commit_db_at(start, start);
}

/* The campaign started on start, the report imported on imported. */
static struct store *commit_db_at(const char *start, const char *imported)
{
	struct store *st = copy_mem(G.tmpl);
	struct campaign_new cn = {0};
	cn.year = 2024;
	cn.title = "2024年整改";
	cn.started = D(start);
	int64_t cid;
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, D(start), &cid, NULL, NULL), RC_OK);
	struct doc *d;
	assert_int_equal(doc_parse_text(commit_report, strlen(commit_report), &d, NULL), RC_OK);
	assert_int_equal(d->n_commitments, 2);
	struct report_import in = {0};
	struct import_result res;
	struct err e = {0};
	assert_int_equal(store_report_import(st, &G.admin, d, &in, D(imported), &res, &e), RC_OK);
	assert_int_equal(res.campaign_id, cid);
	assert_int_equal(res.n_commitments, 2);
	doc_free(d);
	return st;
}

static int64_t commitment_id(struct store *st, enum doc_period p)
{
	struct commitment_list l;
	assert_int_equal(store_commitment_list(st, &G.obs, 0, G.today, &l, NULL), RC_OK);
	int64_t id = 0;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].period == p)
			id = l.v[i].id;
	commitment_list_release(&l);
	assert_true(id > 0);
	return id;
}

static void activity(struct store *st, const struct who *w, int64_t c, const char *day,
		     const int64_t *who, size_t n_who)
{
	struct activity_new a = {0};
	a.commitment_id = c;
	a.day = D(day);
	a.who_ids = who;
	a.n_who = n_who;
	a.note = "专题调研";
	struct err e = {0};
	assert_int_equal(store_activity_add(st, w, &a, D("2024-12-31"), NULL, &e), RC_OK);
}

/* A report imported in the middle of the campaign: its commitments count
 * from the day of the import, not from the campaign's start. */
static void test_compliance_from_import(void **state)
{
	(void)state;
	struct store *st = commit_db_at("2024-01-01", "2024-04-15");
	int64_t monthly = commitment_id(st, DOC_PERIOD_MONTH);
	struct commitment_list l;
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2024-04-20"), &l, NULL), RC_OK);
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].id != monthly)
			continue;
		assert_int_equal(l.v[i].since, D("2024-04-15"));
		assert_int_equal(l.v[i].n_periods, 1);          /* April only */
		assert_int_equal(l.v[i].periods[0].start, D("2024-04-01"));
		assert_true(l.v[i].periods[0].current);
		assert_false(l.v[i].behind);                    /* no missed month */
	}
	commitment_list_release(&l);
	store_close(st);
}

static void test_compliance_month_ends_leap_year(void **state)
{
	(void)state;
	struct store *st = commit_db("2024-01-15");
	int64_t monthly = commitment_id(st, DOC_PERIOD_MONTH);
	/* Either side of each month end, and the leap day. */
	activity(st, &G.admin, monthly, "2024-01-31", NULL, 0);
	activity(st, &G.admin, monthly, "2024-02-01", NULL, 0);
	activity(st, &G.admin, monthly, "2024-02-29", NULL, 0);
	activity(st, &G.admin, monthly, "2024-03-01", NULL, 0);
	struct commitment_list l;
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2024-03-10"), &l, NULL), RC_OK);
	const struct commitment *c = NULL;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == monthly)
			c = &l.v[i];
	assert_non_null(c);
	assert_int_equal(c->n_activities, 4);
	assert_int_equal(c->n_periods, 3);
	/* January (from the 15th): one, behind. */
	assert_int_equal(c->periods[0].start, D("2024-01-01"));
	assert_int_equal(c->periods[0].end, D("2024-01-31"));
	assert_int_equal(c->periods[0].count, 1);
	assert_false(c->periods[0].met);
	assert_true(c->periods[0].behind);
	/* February has 29 days in 2024: both its activities count. */
	assert_int_equal(c->periods[1].start, D("2024-02-01"));
	assert_int_equal(c->periods[1].end, D("2024-02-29"));
	assert_int_equal(c->periods[1].count, 2);
	assert_true(c->periods[1].met);
	/* March: one so far, on the 10th of 31 days the pro-rata share is 0. */
	assert_int_equal(c->periods[2].end, D("2024-03-31"));
	assert_int_equal(c->periods[2].count, 1);
	assert_true(c->periods[2].current);
	assert_int_equal(c->periods[2].expected, 0);
	assert_false(c->periods[2].behind);
	assert_true(c->behind);
	commitment_list_release(&l);
	/* On the 31st the share is 2 (floor(2 × 31/31)): behind. */
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2024-03-31"), &l, NULL), RC_OK);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == monthly) {
			assert_int_equal(l.v[i].periods[2].expected, 2);
			assert_true(l.v[i].periods[2].behind);
		}
	commitment_list_release(&l);
	store_close(st);
	/* 2023 is no leap year: February ends on the 28th. */
	st = commit_db("2023-02-10");
	monthly = commitment_id(st, DOC_PERIOD_MONTH);
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2023-03-01"), &l, NULL), RC_OK);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == monthly) {
			assert_int_equal(l.v[i].n_periods, 2);
			assert_int_equal(l.v[i].periods[0].end, D("2023-02-28"));
			assert_int_equal(l.v[i].periods[1].start, D("2023-03-01"));
		}
	commitment_list_release(&l);
	store_close(st);
}

static void test_compliance_members_and_pro_rata(void **state)
{
	(void)state;
	struct store *st = commit_db("2024-01-01");
	int64_t quarterly = commitment_id(st, DOC_PERIOD_QUARTER);
	/* Only zhang gave a lecture in Q1: zhao is behind. */
	int64_t who[] = {G.lead1.user_id};
	activity(st, &G.lead1, quarterly, "2024-03-31", who, 1);
	activity(st, &G.lead1, quarterly, "2024-04-01", who, 1);
	struct commitment_list l;
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2024-04-02"), &l, NULL), RC_OK);
	const struct commitment *c = NULL;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == quarterly)
			c = &l.v[i];
	assert_non_null(c);
	assert_int_equal(c->per, DOC_PER_MEMBER);
	assert_int_equal(c->n_periods, 2);
	assert_int_equal(c->periods[0].end, D("2024-03-31"));
	assert_int_equal(c->periods[0].count, 0);     /* the least any member has */
	assert_true(c->periods[0].behind);
	assert_int_equal(c->periods[0].n_behind_who, 1);
	assert_string_equal(c->periods[0].behind_who[0], "赵六");
	/* Q2 has just begun: nobody is behind yet. */
	assert_true(c->periods[1].current);
	assert_int_equal(c->periods[1].expected, 0);
	assert_false(c->periods[1].behind);
	assert_int_equal(c->periods[1].n_behind_who, 0);
	commitment_list_release(&l);
	/* Late in Q2 the share reaches 1: zhao is named again. */
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2024-06-30"), &l, NULL), RC_OK);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == quarterly) {
			assert_int_equal(l.v[i].periods[1].expected, 1);
			assert_true(l.v[i].periods[1].behind);
			assert_int_equal(l.v[i].periods[1].n_behind_who, 1);
		}
	commitment_list_release(&l);
	/* Reviewers and observers log no activities; dates in the future neither. */
	struct activity_new a = {0};
	a.commitment_id = quarterly;
	a.day = D("2024-04-01");
	struct err e = {0};
	assert_int_equal(store_activity_add(st, &G.rev, &a, D("2024-04-02"), NULL, &e), RC_DENIED);
	assert_int_equal(store_activity_add(st, &G.obs, &a, D("2024-04-02"), NULL, &e), RC_DENIED);
	a.day = D("2024-04-03");
	assert_int_equal(store_activity_add(st, &G.lead1, &a, D("2024-04-02"), NULL, &e),
			 RC_INVALID);
	struct activity_list al;
	assert_int_equal(store_activity_list(st, &G.obs, quarterly, &al, NULL), RC_OK);
	assert_int_equal(al.n, 2);
	assert_int_equal(al.v[0].day, D("2024-04-01"));
	assert_int_equal(al.v[0].n_who, 1);
	assert_string_equal(al.v[0].who[0], "张三");
	activity_list_release(&al);
	/* The office records a meeting and names nobody: its clerk did not
	 * take part, so nobody is counted as having taken part. */
	a.day = D("2024-04-02");
	assert_int_equal(store_activity_add(st, &G.admin, &a, D("2024-04-02"), NULL, &e), RC_OK);
	assert_int_equal(store_activity_list(st, &G.obs, quarterly, &al, NULL), RC_OK);
	assert_int_equal(al.n, 3);
	for (size_t i = 0; i < al.n; i++)
		if (al.v[i].day == D("2024-04-02"))
			assert_int_equal(al.v[i].n_who, 0);
	activity_list_release(&al);
	verify_ok(st);
	store_close(st);
}

static void test_pro_rata_year(void **state)
{
	(void)state;
	/* A yearly commitment of 12 (the sample report's 集中学习): on 1 July of
	 * a leap year 183 of 366 days have passed, a share of 6. */
	struct store *st = copy_mem(G.tmpl);
	struct commitment_list l;
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2024-07-01"), &l, NULL), RC_OK);
	int64_t yearly = 0;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].period == DOC_PERIOD_YEAR && l.v[i].min == 12)
			yearly = l.v[i].id;
	commitment_list_release(&l);
	assert_int_equal(yearly, 1);
	/* The campaign started on 2024-03-01, so the share counts from then:
	 * 123 of 306 days → floor(12 × 123 / 306) = 4. */
	for (int i = 0; i < 4; i++)
		activity(st, &G.admin, yearly, "2024-05-01", NULL, 0);
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2024-07-01"), &l, NULL), RC_OK);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == yearly) {
			assert_int_equal(l.v[i].periods[0].expected, 4);
			assert_int_equal(l.v[i].periods[0].count, 4);
			assert_false(l.v[i].periods[0].behind);
		}
	commitment_list_release(&l);
	assert_int_equal(store_commitment_list(st, &G.obs, 0, D("2024-08-01"), &l, NULL), RC_OK);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == yearly) {
			assert_int_equal(l.v[i].periods[0].expected, 6);
			assert_true(l.v[i].periods[0].behind);
		}
	commitment_list_release(&l);
	store_close(st);
}

/* ---- campaigns, carry-over ----------------------------------------------------------- */

static void test_carry_over(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	/* Close task 1, stage the ongoing one, start task 2. */
	drive_to(st, 1, TASK_CLOSED);
	drive_to(st, G.t_ongoing, TASK_STAGED);
	drive_to(st, 2, TASK_SUBMITTED);
	struct campaign_new cn = {0};
	cn.year = 2025;
	cn.title = "2025年整改";
	const char *areas[] = {"学习", "服务"};
	cn.areas = areas;
	cn.n_areas = 2;
	cn.started = STORE_NO_DAY;
	cn.carry_from = 1;
	int64_t cid;
	int carried;
	struct err e = {0};
	assert_int_equal(store_campaign_new(st, &G.lead1, &cn, G.today, &cid, &carried, &e),
			 RC_DENIED);
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, &cid, &carried, &e), RC_OK);
	assert_int_equal(carried, 12);
	int64_t cur;
	assert_int_equal(store_campaign_current(st, &cur, NULL), RC_OK);
	assert_int_equal(cur, cid);
	struct task_filter f = TASK_FILTER_INIT;
	f.per_page = 100;
	struct task_list l;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 12);
	int staged = 0, progress = 0, fresh = 0;
	for (size_t i = 0; i < l.n; i++) {
		staged += l.rows[i].status == TASK_STAGED;
		progress += l.rows[i].status == TASK_IN_PROGRESS;
		fresh += l.rows[i].status == TASK_NOT_STARTED;
		assert_int_equal(l.rows[i].campaign_id, cid);
	}
	assert_int_equal(staged, 1);
	assert_int_equal(progress, 1); /* the submitted one comes back as 整改中 */
	assert_int_equal(fresh, 10);
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, l.rows[0].id, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.origin_id, 2);
	assert_int_equal(t.leader_id, G.lead1.user_id);
	assert_int_equal(t.n_measures, 1);
	assert_string_equal(t.events[0].action, "carry");
	/* It links back: 由2023年度第2项转入. */
	assert_int_equal(t.origin_seq, 2);
	assert_int_equal(t.origin_year, 2023);
	assert_int_equal(t.carried_id, 0);
	int64_t went_on = t.id;
	task_release(&t);
	task_list_release(&l);
	/* In the old campaign the carried tasks are 转入下一批次: neither open
	 * nor closed, no light, nothing more to do there. */
	f.campaign_id = 1;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 13);
	int carried_out = 0;
	for (size_t i = 0; i < l.n; i++) {
		carried_out += l.rows[i].status == TASK_CARRIED;
		if (l.rows[i].status == TASK_CARRIED)
			assert_int_equal(l.rows[i].light, LIGHT_NONE);
	}
	assert_int_equal(carried_out, 12);
	task_list_release(&l);
	assert_int_equal(store_task_get(st, &G.admin, 2, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.status, TASK_CARRIED);
	assert_int_equal(t.carried_id, went_on);
	assert_int_equal(t.carried_year, 2025);
	assert_int_equal(t.actions, 0);
	assert_string_equal(t.events[t.n_events - 1].action, "carry-out");
	assert_int_equal(t.events[t.n_events - 1].from, TASK_SUBMITTED);
	task_release(&t);
	f.status = TASK_CARRIED;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 12);
	task_list_release(&l);
	f.status = -1;
	f.light = LIGHT_RED;
	assert_int_equal(store_task_list(st, &G.admin, &f, D("2030-01-01"), &l, NULL), RC_OK);
	assert_int_equal(l.total, 0);
	task_list_release(&l);
	f.light = -1;
	struct dashboard d;
	assert_int_equal(store_dashboard(st, &G.admin, 1, G.today, &d, NULL), RC_OK);
	assert_int_equal(d.total, 13);
	assert_int_equal(d.by_status[TASK_CARRIED], 12);
	assert_int_equal(d.by_status[TASK_CLOSED], 1);
	assert_int_equal(d.by_light[LIGHT_NONE], 13);
	assert_int_equal(d.by_light[LIGHT_RED] + d.by_light[LIGHT_YELLOW] + d.by_light[LIGHT_GREEN],
			 0);
	int area_carried = 0;
	for (size_t i = 0; i < d.n_areas; i++)
		area_carried += d.areas[i].carried;
	assert_int_equal(area_carried, 12);
	assert_int_equal(d.weeks[d.n_weeks - 1].open, 0);
	dashboard_release(&d);
	struct campaign_list all;
	assert_int_equal(store_campaign_list(st, &G.admin, &all, NULL), RC_OK);
	assert_int_equal(all.v[1].id, 1);
	assert_int_equal(all.v[1].n_open, 0);
	assert_int_equal(all.v[1].n_carried, 12);
	campaign_list_release(&all);
	/* Carrying over again brings nothing: they went on already. */
	cn.year = 2026;
	cn.title = "2026年整改";
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, &cid, &carried, &e), RC_OK);
	assert_int_equal(carried, 0);
	verify_ok(st);
	struct campaign_list cl;
	assert_int_equal(store_campaign_get(st, &G.obs, cid, &cl, NULL), RC_OK);
	assert_int_equal(cl.v[0].n_areas, 2);
	assert_string_equal(cl.v[0].areas[1], "服务");
	assert_int_equal(cl.v[0].carried_from, 1);
	assert_true(cl.v[0].current);
	campaign_list_release(&cl);
	/* Earlier campaigns' problems, for the recurrence rule. */
	struct past_item_list pl;
	assert_int_equal(store_past_items(st, &G.obs, cid, &pl, NULL), RC_OK);
	assert_int_equal(pl.n, 13);
	assert_int_equal(pl.v[0].campaign_id, 1);
	past_item_list_release(&pl);
	assert_int_equal(store_past_items(st, &G.obs, 1, &pl, NULL), RC_OK);
	assert_int_equal(pl.n, 0);
	past_item_list_release(&pl);
	verify_ok(st);
	store_close(st);
}

/* ---- the tree and its corrections ---------------------------------------------------- */

static void test_tree_corrections(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct report r;
	assert_int_equal(store_report_get(st, &G.obs, 1, &r, NULL), RC_OK);
	assert_int_equal(r.source_len, 4612);
	/* The first problem item, its task, and another area. */
	const struct report_node *item = NULL, *area2 = NULL;
	int areas = 0;
	for (size_t i = 0; i < r.n_nodes; i++) {
		const struct report_node *n = &r.nodes[i];
		if (n->kind == NODE_ITEM && n->role == DOC_ROLE_PROBLEMS && !item)
			item = n;
		if (n->kind == NODE_AREA && n->role == DOC_ROLE_PROBLEMS && ++areas == 2)
			area2 = n;
	}
	assert_non_null(item);
	assert_non_null(area2);
	assert_int_equal(item->task_id, 1);
	int64_t item_id = item->id, area_id = area2->id, ver = r.version;
	uint32_t start = item->start, end = item->end;
	/* A split point inside the first sentence of task 1's item: after "一是". */
	const char *p = strstr(r.source + start, "班子集体学习");
	assert_non_null(p);
	uint32_t cut = (uint32_t)(p - r.source);
	assert_true(cut > start && cut < end);
	report_release(&r);
	struct err e = {0};
	/* Rename: the task shows the new lead. */
	assert_int_equal(store_node_rename(st, &G.lead1, item_id, ver, "新的概括", G.today, &e), RC_DENIED);
	assert_int_equal(store_node_rename(st, &G.admin, item_id, ver, "理论学习不系统", G.today, &e), RC_OK);
	assert_int_equal(store_node_rename(st, &G.admin, item_id, ver, "旧版本", G.today, &e), RC_CONFLICT);
	ver++;
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, 1, G.today, &t, NULL), RC_OK);
	assert_string_equal(t.lead, "理论学习不系统");
	task_release(&t);
	/* Split: a new item after it, with a twin task. */
	int64_t new_id;
	assert_int_equal(store_node_split(st, &G.admin, item_id, start, ver, G.today, &new_id, &e), RC_INVALID);
	assert_int_equal(store_node_split(st, &G.admin, item_id, cut + 1, ver, G.today, &new_id, &e),
			 RC_INVALID); /* inside a character */
	assert_int_equal(store_node_split(st, &G.admin, item_id, cut, ver, STORE_NO_DAY, &new_id, &e),
			 RC_INVALID); /* today must be a date */
	int32_t split_day = D("2023-11-20"); /* not the real clock's day */
	assert_int_equal(store_node_split(st, &G.admin, item_id, cut, ver, split_day, &new_id, &e),
			 RC_OK);
	ver++;
	struct task_filter f = TASK_FILTER_INIT;
	f.per_page = 100;
	struct task_list l;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 14);
	int64_t twin = l.rows[13].id;
	assert_string_equal(l.rows[13].lead, "班子集体学习以传达文件为主，专题研讨安排偏少，学用结合不够紧密");
	task_list_release(&l);
	assert_int_equal(store_task_get(st, &G.admin, twin, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.problem_id, new_id);
	assert_int_equal(t.leader_id, G.lead1.user_id);
	assert_int_equal(t.status, TASK_NOT_STARTED);
	assert_int_equal(t.n_examples, 1); /* the 比如 went with the second half */
	assert_int_equal(t.n_events, 1);
	assert_string_equal(t.events[0].action, "split");
	assert_int_equal(t.events[0].day, split_day); /* the day the caller gave */
	task_release(&t);
	assert_int_equal(store_task_get(st, &G.admin, 1, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.n_examples, 0);
	assert_string_equal(t.text, "理论学习系统性不强。");
	task_release(&t);
	/* Move: task 1 now shows the other area. */
	assert_int_equal(store_node_move(st, &G.admin, item_id, area_id, ver, G.today, &e), RC_OK);
	ver++;
	assert_int_equal(store_task_get(st, &G.admin, 1, G.today, &t, NULL), RC_OK);
	assert_string_equal(t.area, "在为民服务解难题方面");
	task_release(&t);
	/* Merge the twin back: its task has no history, so it goes. */
	assert_int_equal(store_node_merge(st, &G.admin, item_id, new_id, ver, G.today, &e), RC_OK);
	ver++;
	assert_int_equal(store_task_get(st, &G.admin, twin, G.today, &t, NULL), RC_NOTFOUND);
	assert_int_equal(store_task_get(st, &G.admin, 1, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.n_examples, 1);
	assert_non_null(strstr(t.text, "比如"));
	task_release(&t);
	/* A merge that would drop a task with progress is refused. */
	assert_int_equal(store_task_get(st, &G.admin, 2, G.today, &t, NULL), RC_OK);
	int64_t other = t.problem_id;
	task_release(&t);
	drive_to(st, 2, TASK_IN_PROGRESS);
	assert_int_equal(store_node_merge(st, &G.admin, item_id, other, ver, G.today, &e), RC_CONFLICT);
	verify_ok(st);
	store_close(st);
}

/* ---- the office's 待办 -------------------------------------------------------------- */

/* store_office_todo as 对账 lists it: problems without a task, and each task
 * lacking a leader, unit or deadline once. */
static int64_t todo_of_check(struct store *st, const struct who *w)
{
	struct check_report c;
	assert_int_equal(store_check(st, w, 0, G.today, &c, NULL), RC_OK);
	int64_t n = c.count[CHECK_PROBLEM_NO_TASK];
	for (size_t i = 0; i < c.n; i++) {
		enum check_kind k = c.v[i].kind;
		if (k != CHECK_TASK_NO_LEADER && k != CHECK_TASK_NO_UNIT && k != CHECK_TASK_NO_DEADLINE)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= c.v[j].id == c.v[i].id && (c.v[j].kind == CHECK_TASK_NO_LEADER ||
							   c.v[j].kind == CHECK_TASK_NO_UNIT ||
							   c.v[j].kind == CHECK_TASK_NO_DEADLINE);
		n += !seen;
	}
	check_report_release(&c);
	return n;
}

static int64_t office_todo(struct store *st)
{
	int64_t n = -1;
	assert_int_equal(store_office_todo(st, &G.admin, 0, &n, NULL), RC_OK);
	return n;
}

static void test_office_todo(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t n0 = office_todo(st);
	assert_int_equal(n0, todo_of_check(st, &G.admin));
	/* A task loses its leader, then its unit: one more, once. */
	struct task_assign a = {0};
	a.leader_id = -1;
	assert_int_equal(store_task_assign(st, &G.admin, 2, version_of(st, 2), &a, G.today, NULL, &e),
			 RC_OK);
	assert_int_equal(office_todo(st), n0 + 1);
	a.leader_id = 0;
	a.unit_id = -1;
	assert_int_equal(store_task_assign(st, &G.admin, 2, version_of(st, 2), &a, G.today, NULL, &e),
			 RC_OK);
	assert_int_equal(office_todo(st), n0 + 1);
	assert_int_equal(office_todo(st), todo_of_check(st, &G.admin));
	/* A problem item the program did not write (behind its back): the
	 * count of problems is kept while nothing can have changed them ... */
	test_sql(st, "INSERT INTO node(report_id, parent_id, kind, role, pos, label, title, text,"
		     " start, \"end\") SELECT report_id, parent_id, kind, role, pos + 100, '九是',"
		     " '', '新问题', start, \"end\" FROM node WHERE kind = 2 AND role = 0"
		     " ORDER BY id LIMIT 1");
	assert_int_equal(office_todo(st), n0 + 1);
	assert_int_equal(store_task_progress(st, &G.lead1, 1, version_of(st, 1), "进展", NULL, 0,
					     G.today, NULL, NULL, &e), RC_OK);
	assert_int_equal(office_todo(st), n0 + 1);
	/* ... and counted again after a write that can (a rename of an item). */
	int64_t item = qint(st, "SELECT problem_id FROM task WHERE id = 3");
	struct report r;
	assert_int_equal(store_report_get(st, &G.obs, 1, &r, NULL), RC_OK);
	int64_t ver = r.version;
	report_release(&r);
	assert_int_equal(store_node_rename(st, &G.admin, item, ver, "改过的概括", G.today, &e), RC_OK);
	assert_int_equal(office_todo(st), n0 + 2);
	assert_int_equal(office_todo(st), todo_of_check(st, &G.admin));
	/* A handler's: only the tasks of their units, no problems. */
	int64_t h = -1;
	assert_int_equal(store_office_todo(st, &G.hand1, 0, &h, NULL), RC_OK);
	assert_int_equal(h, todo_of_check(st, &G.hand1));
	store_close(st);
}

/* The statements that can change the ledger's shape (store_shape), as read
 * from their text: exactly these of the table, and none of the look-alikes. */
static void test_stmt_reshapes(void **state)
{
	(void)state;
	static const enum stmt want[] = {
		ST_CAMPAIGN_INSERT, ST_CAMPAIGN_SET_CURRENT, ST_CAMPAIGN_SET_REPORT_TITLE,
		ST_REPORT_INSERT,   ST_REPORT_BUMP,          ST_NODE_INSERT,
		ST_NODE_SET_TITLE,  ST_NODE_SET_PLACE,       ST_NODE_DELETE,
		ST_TASK_INSERT,     ST_TASK_DELETE,          ST_TASK_SET_PROBLEM,
		ST_TASK_SET_AREA,   ST_UNIT_INSERT,          ST_UNIT_TREE_ADD,
		ST_UNIT_TREE_ATTACH, ST_UNIT_TREE_DETACH,    ST_UNIT_SET_PARENT,
		ST_UNIT_RENAME,     ST_UNIT_BUMP,            ST_USER_INSERT,
		ST_USER_SET_PWHASH, ST_USER_UPDATE,          ST_USER_EMAIL_SET,
	};
	int wrong = 0;
	for (int s = 0; s < ST__MAX; s++) {
		bool listed = false;
		for (size_t i = 0; i < ARRAY_LEN(want); i++)
			listed |= want[i] == (enum stmt)s;
		if (stmt_reshapes(stmt_text_of((enum stmt)s)) != listed) {
			print_message("statement %d (%.60s): reshapes %d\n", s,
				      stmt_text_of((enum stmt)s), !listed);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
	assert_true(stmt_reshapes("UPDATE task SET campaign_id = ?2 WHERE id = ?1"));
	assert_true(stmt_reshapes("INSERT OR IGNORE INTO node(id) VALUES (1)"));
	assert_true(stmt_reshapes("DELETE FROM report WHERE id = 1"));
	assert_false(stmt_reshapes("UPDATE task SET status = 1 WHERE campaign_id = ?1"));
	assert_false(stmt_reshapes("INSERT OR IGNORE INTO task_measure(task_id) VALUES (1)"));
	assert_false(stmt_reshapes("DELETE FROM task_event WHERE task_id = 1"));
	assert_false(stmt_reshapes("SELECT 1 FROM task"));
}

/* ---- spreadsheet import --------------------------------------------------------------- */

/* What a preview says the import will make of the rows' names: a leader
 * by name or login, not a handler, not a name two leaders share; each new
 * unit and each lost name once; blank cells are nothing. */
static void test_ledger_names(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t id;
	assert_int_equal(store_user_add(st, &WHO_SYSTEM, "same1", "同名", ROLE_LEADER, G.unit_b,
					"password1", &id, &e), RC_OK);
	assert_int_equal(store_user_add(st, &WHO_SYSTEM, "same2", "同名", ROLE_LEADER, G.unit_b,
					"password1", &id, &e), RC_OK);
	struct ledger_row rows[6] = {{0}};
	rows[0].unit = "甲局", rows[0].leader = "张三";
	rows[1].unit = "新单位", rows[1].leader = "zhao";
	rows[2].unit = "新单位", rows[2].leader = "李四";
	rows[3].unit = " ", rows[3].leader = "同名";
	rows[4].unit = "另一新单位", rows[4].leader = "钱七";
	rows[5].leader = "钱七";
	struct ledger_names n;
	assert_int_equal(store_ledger_names(st, rows, 6, &n, &e), RC_OK);
	assert_int_equal(n.n_new_units, 2);
	assert_string_equal(n.new_units[0], "新单位");
	assert_string_equal(n.new_units[1], "另一新单位");
	assert_int_equal(n.n_lost, 3);
	assert_string_equal(n.lost[0], "李四");
	assert_string_equal(n.lost[1], "同名");
	assert_string_equal(n.lost[2], "钱七");
	ledger_names_release(&n);
	store_close(st);
}

static void test_ledger_import(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct ledger_row rows[3] = {{0}};
	rows[0].area = "作风建设";
	rows[0].problem = "会议文件偏多。";
	rows[0].measures = "精简会议\n压缩发文";
	rows[0].leader = "张三";
	rows[0].unit = "甲局";
	rows[0].deadline = "2024年6月底前";
	rows[0].status = "整改中";
	rows[0].progress = "已制定精简方案";
	rows[1].area = "作风建设";
	rows[1].problem = "调研不够。";
	rows[1].deadline = "2024-05-01";
	rows[1].status = "已销号";
	rows[2].problem = "制度执行不严。";
	rows[2].leader = "zhao";
	rows[2].deadline = "立行立改";
	struct import_result res;
	struct err e = {0};
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "台账2.xlsx", 0, G.today,
					     &res, &e), RC_OK);
	assert_int_equal(res.n_tasks, 3);
	assert_int_equal(res.n_measures, 2);
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, 14, G.today, &t, NULL), RC_OK);
	assert_string_equal(t.area, "作风建设");
	assert_int_equal(t.status, TASK_IN_PROGRESS);
	assert_int_equal(t.n_measures, 2);
	assert_int_equal(t.n_progress, 1);
	assert_int_equal(t.deadline, D("2024-06-30"));
	assert_string_equal(t.unit_name, "甲局");
	task_release(&t);
	assert_int_equal(store_task_get(st, &G.admin, 15, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.status, TASK_CLOSED);
	assert_int_equal(t.review_due, D("2024-09-01"));
	task_release(&t);
	assert_int_equal(store_task_get(st, &G.admin, 16, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.deadline_kind, DEADLINE_IMMEDIATE);
	assert_int_equal(t.leader_id, G.lead2.user_id);
	task_release(&t);
	/* The same rows again are a duplicate. */
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "台账2.xlsx", 0, G.today,
					     &res, &e), RC_CONFLICT);
	/* An unknown leader names the row; nothing is written. */
	rows[2].leader = "nobody";
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "x.xlsx", LEDGER_AGAIN,
					     G.today, &res, &e),
			 RC_INVALID);
	assert_non_null(strstr(e.msg, "row 3"));
	rows[2].leader = NULL;
	rows[1].deadline = "明年";
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "x.xlsx", LEDGER_AGAIN,
					     G.today, &res, &e),
			 RC_INVALID);
	assert_non_null(strstr(e.msg, "row 2"));
	rows[1].deadline = NULL;
	rows[0].problem = " ";
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "x.xlsx", LEDGER_AGAIN,
					     G.today, &res, &e),
			 RC_INVALID);
	struct task_filter f = TASK_FILTER_INIT;
	struct task_list l;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 16);
	task_list_release(&l);
	verify_ok(st);
	store_close(st);
}

/* The import's own units, the leaders' names, and rows imported closed:
 * LEDGER_NEW_UNITS makes the units in the import's transaction (a refused
 * import leaves none), LEDGER_LEADER_TEXT keeps a name that matches no
 * single leader, and a 已销号 row is logged as "import-closed". */
static void test_ledger_import_units_leaders_closed(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	struct ledger_row rows[3] = {{0}};
	rows[0].problem = "档案管理不规范。";
	rows[0].unit = "新设的档案室";
	rows[0].leader = "李四（已调走）";
	rows[1].problem = "台账更新不及时。";
	rows[1].unit = "新设的档案室";
	rows[1].status = "已销号";
	rows[1].leader = "zhao";
	rows[2].problem = "学习记录不全。";
	rows[2].unit = "另一个新单位";
	struct import_result res;
	int64_t id;
	/* Without the flags: refused, naming the row. */
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "新台账.xlsx", 0, G.today,
					     &res, &e),
			 RC_INVALID);
	assert_non_null(strstr(e.msg, "row 1"));
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "新台账.xlsx",
					     LEDGER_LEADER_TEXT, G.today, &res, &e),
			 RC_INVALID);
	assert_non_null(strstr(e.msg, "no unit"));
	/* A refusal after the units were made (row 3's deadline) leaves none. */
	rows[2].deadline = "某个时候";
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "新台账.xlsx",
					     LEDGER_NEW_UNITS | LEDGER_LEADER_TEXT, G.today, &res, &e),
			 RC_INVALID);
	assert_non_null(strstr(e.msg, "row 3"));
	assert_int_equal(store_unit_find(st, "新设的档案室", &id, NULL), RC_NOTFOUND);
	assert_int_equal(store_unit_find(st, "另一个新单位", &id, NULL), RC_NOTFOUND);
	int64_t audit_before = qint(st, "SELECT count(*) FROM audit");
	rows[2].deadline = NULL;
	assert_int_equal(store_ledger_import(st, &G.admin, 0, rows, 3, "新台账.xlsx",
					     LEDGER_NEW_UNITS | LEDGER_LEADER_TEXT, G.today, &res, &e),
			 RC_OK);
	assert_int_equal(res.n_tasks, 3);
	assert_int_equal(res.n_units_created, 2);
	assert_int_equal(res.n_leader_text, 1);
	int64_t unit;
	assert_int_equal(store_unit_find(st, "新设的档案室", &unit, NULL), RC_OK);
	assert_int_equal(qint(st, "SELECT count(*) FROM audit WHERE action = 'unit-add'"
			      " AND id > %lld", (long long)audit_before),
			 2);
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, 14, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.leader_id, 0);
	assert_string_equal(t.leader_text, "李四（已调走）");
	assert_int_equal(t.unit_id, unit);
	assert_string_equal(t.events[0].action, "import");
	task_release(&t);
	/* Row 2: a known leader (no text), closed, logged as such. */
	assert_int_equal(store_task_get(st, &G.admin, 15, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.leader_id, G.lead2.user_id);
	assert_string_equal(t.leader_text, "");
	assert_int_equal(t.status, TASK_CLOSED);
	assert_int_equal(t.n_events, 1);
	assert_string_equal(t.events[0].action, "import-closed");
	task_release(&t);
	assert_int_equal(qint(st, "SELECT count(*) FROM audit WHERE action = 'import-closed'"
			      " AND entity = 'task'"),
			 1);
	assert_int_equal(qint(st, "SELECT count(*) FROM audit WHERE action = 'import-closed'"
			      " AND entity = 'task' AND entity_id = 15"),
			 1);
	/* The kept name is in the task's audit image: verify holds, and a
	 * change to it behind the program's back is seen. */
	verify_ok(st);
	test_sql(st, "UPDATE task SET leader_text = '王五' WHERE id = 14");
	struct verify_result vr;
	assert_int_equal(store_verify(st, &vr, &e), RC_OK);
	assert_false(vr.ok);
	store_close(st);
}

/* ---- dashboard, 对账, exports -------------------------------------------------------- */

static void test_dashboard_check_export(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	/* Week 1: task 1 closed; later a new task arrives unassigned. */
	drive_to(st, 1, TASK_CLOSED);
	G.today = D("2024-03-12");
	drive_to(st, 2, TASK_SUBMITTED);
	struct ledger_row row = {0};
	row.problem = "新发现的问题。";
	struct import_result res;
	assert_int_equal(store_ledger_import(st, &G.admin, 0, &row, 1, "补充.xlsx", 0, G.today, &res,
					     NULL), RC_OK);
	G.today = D("2024-07-10");
	struct dashboard d;
	assert_int_equal(store_dashboard(st, &G.obs, 0, G.today, &d, NULL), RC_OK);
	assert_int_equal(d.total, 14);
	assert_int_equal(d.by_status[TASK_CLOSED], 1);
	assert_int_equal(d.by_status[TASK_SUBMITTED], 1);
	assert_int_equal(d.by_light[LIGHT_NONE], 1);
	/* The new task has no leader, unit or deadline: 待交办, grey. */
	assert_int_equal(d.by_light[LIGHT_GREY], 1);
	assert_int_equal(d.by_light[LIGHT_RED] + d.by_light[LIGHT_YELLOW] + d.by_light[LIGHT_GREEN],
			 12);
	/* Due 2024-06-30 and 2024-03-31, 2024-04-30: those areas are red by July. */
	assert_int_equal(d.by_light[LIGHT_RED], 8);
	assert_int_equal(d.n_overdue, (size_t)d.by_light[LIGHT_RED]);
	for (size_t i = 1; i < d.n_overdue; i++)
		assert_true(d.overdue[i - 1].deadline <= d.overdue[i].deadline);
	int area_total = 0;
	for (size_t i = 0; i < d.n_areas; i++)
		area_total += d.areas[i].total;
	assert_int_equal(area_total, 14);
	assert_int_equal(d.areas[0].closed, 1);
	int unit_total = 0;
	for (size_t i = 0; i < d.n_units; i++)
		unit_total += d.units[i].total;
	assert_int_equal(unit_total, 14);
	/* Burn-down: 13 open at the end of the first week (one closed on the
	 * 1st, a Friday; the week ends Sunday the 3rd), 14 after the new task
	 * of the 12th. */
	assert_int_equal(d.weeks[0].day, D("2024-03-03"));
	assert_int_equal(d.weeks[0].open, 12);
	assert_int_equal(d.weeks[1].open, 12);
	assert_int_equal(d.weeks[2].day, D("2024-03-17"));
	assert_int_equal(d.weeks[2].open, 13);
	assert_int_equal(d.weeks[d.n_weeks - 1].day, G.today);
	assert_int_equal(d.commitments_behind.n, 4);
	dashboard_release(&d);
	/* A handler out of scope sees an empty dashboard. */
	assert_int_equal(store_dashboard(st, &G.hand2, 0, G.today, &d, NULL), RC_OK);
	assert_int_equal(d.total, 0);
	dashboard_release(&d);
	/* 对账: the new task lacks leader, unit, deadline and measure. */
	struct check_report cr;
	assert_int_equal(store_check(st, &G.admin, 0, G.today, &cr, NULL), RC_OK);
	assert_int_equal(cr.count[CHECK_TASK_NO_LEADER], 1);
	assert_int_equal(cr.count[CHECK_TASK_NO_UNIT], 1);
	assert_int_equal(cr.count[CHECK_TASK_NO_DEADLINE], 1);
	assert_int_equal(cr.count[CHECK_TASK_NO_MEASURE], 1);
	assert_int_equal(cr.count[CHECK_PROBLEM_NO_TASK], 0);
	assert_int_equal(cr.count[CHECK_REVIEW_DUE], 0);
	check_report_release(&cr);
	/* A problem whose task is gone, and a measure nobody uses. */
	test_sql(st, "DELETE FROM task_event WHERE task_id = 5; DELETE FROM task_measure"
		     " WHERE task_id IN (4, 5, 6); DELETE FROM task WHERE id = 5");
	assert_int_equal(store_check(st, &G.admin, 0, D("2024-09-01"), &cr, NULL), RC_OK);
	assert_int_equal(cr.count[CHECK_PROBLEM_NO_TASK], 1);
	assert_int_equal(cr.count[CHECK_MEASURE_UNUSED], 1);
	assert_int_equal(cr.count[CHECK_REVIEW_DUE], 1);
	check_report_release(&cr);
	/* Export: every task in 序号 order with its measures, progress,
	 * handlers, 销号 time and latest review.  Task 1 was closed by 王五;
	 * task 2 waits for a review; task 3 asks for an extension; task 4 is
	 * sent back.  The tasks are 甲局一科's, which has no handler: 李四 of
	 * 甲局 above it handles them. */
	assert_int_equal(store_task_extend(st, &G.lead1, 3, version_of(st, 3), D("2024-09-30"),
					   "跨年度推进", G.today, NULL, NULL, NULL), RC_OK);
	drive_to(st, 4, TASK_SUBMITTED);
	assert_int_equal(store_task_act(st, &G.rev, 4, version_of(st, 4), TACT_RETURN,
					"佐证材料不全", G.today, NULL, NULL), RC_OK);
	char closed_at[32] = "", return_at[32] = "";
	struct event_list evl;
	assert_int_equal(store_event_list(st, &G.obs, 0, &evl, NULL), RC_OK);
	for (size_t i = 0; i < evl.n; i++) {
		/* 销号时间 as the task page says it: on a ledger kept at another
		 * day than the clock's, the day of the event alone. */
		if (evl.v[i].seq == 1 && strcmp(evl.v[i].ev.action, "approve") == 0)
			store_day_format(evl.v[i].ev.day, closed_at);
		if (evl.v[i].seq == 4 && strcmp(evl.v[i].ev.action, "return") == 0)
			util_local_time(evl.v[i].ev.at, return_at, sizeof return_at);
	}
	event_list_release(&evl);
	assert_int_equal(strlen(closed_at), 10);
	assert_int_equal(strlen(return_at), 16);
	struct task_iter *it;
	assert_int_equal(store_task_iter_open(st, &G.obs, 0, G.today, &it, NULL), RC_OK);
	const struct export_row *x;
	int n = 0, last = 0;
	while (store_task_iter_next(it, &x, NULL) == RC_OK && x) {
		assert_true(x->seq > last);
		last = x->seq;
		assert_string_equal(x->handlers, *x->unit ? "李四" : "");
		if (x->seq == 1) {
			assert_int_equal(x->status, TASK_CLOSED);
			assert_string_equal(x->leader, "张三");
			assert_string_equal(x->deadline, "2024-06-30");
			assert_non_null(strstr(x->progress, "2024-03-01 完成了调研"));
			assert_non_null(strstr(x->measures, "（一）"));
			assert_int_equal(x->n_evidence, 1);
			assert_string_equal(x->closed_at, closed_at);
			assert_non_null(x->review);
			assert_string_equal(x->review->action, "approve");
			assert_string_equal(x->review->actor, "王五");
		} else {
			assert_string_equal(x->closed_at, "");
		}
		if (x->seq == 2 || x->seq == 3)
			assert_null(x->review);
		assert_int_equal(x->extension_to, x->seq == 3 ? D("2024-09-30") : 0);
		if (x->seq == 4) {
			assert_int_equal(x->status, TASK_IN_PROGRESS);
			assert_non_null(x->review);
			assert_string_equal(x->review->action, "return");
			assert_string_equal(x->review->reason, "佐证材料不全");
			char at[32];
			util_local_time(x->review->at, at, sizeof at);
			assert_string_equal(at, return_at);
		}
		assert_int_equal(x->origin_seq, 0);
		assert_int_equal(x->carried_seq, 0);
		/* Other reads in between do not disturb the iterator. */
		struct task_list l;
		struct task_filter f = TASK_FILTER_INIT;
		assert_int_equal(store_task_list(st, &G.obs, &f, G.today, &l, NULL), RC_OK);
		task_list_release(&l);
		n++;
	}
	store_task_iter_close(it);
	assert_int_equal(n, 13);
	/* A handler of the task's own unit comes before those above it; one
	 * no longer active is no one's 承办人. */
	int64_t qian, wu;
	assert_int_equal(store_user_add(st, &G.admin, "qian", "钱九", ROLE_HANDLER, G.unit_a1,
					"password1", &qian, NULL), RC_OK);
	assert_int_equal(store_user_add(st, &G.admin, "wu", "吴十", ROLE_HANDLER, G.unit_a1,
					"password1", &wu, NULL), RC_OK);
	test_sql(st, "UPDATE \"user\" SET active = 0 WHERE login = 'wu'");
	assert_int_equal(store_task_iter_open(st, &G.obs, 0, G.today, &it, NULL), RC_OK);
	assert_int_equal(store_task_iter_next(it, &x, NULL), RC_OK);
	assert_non_null(x);
	assert_string_equal(x->handlers, "钱九");
	store_task_iter_close(it);
	struct event_list el;
	assert_int_equal(store_event_list(st, &G.obs, 0, &el, NULL), RC_OK);
	assert_int_equal(el.n, 34);     /* 30, and task 3's request, task 4's progress,
	                                   submit and return */
	assert_int_equal(el.v[0].seq, 1);
	event_list_release(&el);
	store_close(st);
}

/* ---- users and sessions ---------------------------------------------------------------- */

static int64_t user_version(struct store *st, int64_t id)
{
	struct user u;
	struct arena ar = {0};
	assert_int_equal(store_user_get(st, id, &u, &ar, NULL), RC_OK);
	int64_t v = u.version;
	arena_release(&ar);
	return v;
}

/* The last active admin is neither deactivated nor demoted, by themselves
 * or anyone: nobody could manage users again.  Another active admin first. */
static void test_last_admin_stays(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t me = G.admin.user_id;
	struct user_change off = {user_version(st, me), ROLE_ADMIN, 0, 0, NULL};
	assert_int_equal(store_user_update(st, &G.admin, me, &off, NULL, &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_LAST_ADMIN);
	struct user_change demote = {user_version(st, me), ROLE_REVIEWER, 0, 1, NULL};
	assert_int_equal(store_user_update(st, &G.admin, me, &demote, NULL, &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_LAST_ADMIN);
	struct who w;
	assert_int_equal(store_user_who(st, "office", &w, &e), RC_OK);
	assert_int_equal(w.role, ROLE_ADMIN);
	/* Another admin, then the first may step down; the second is the last. */
	struct user_change up = {user_version(st, G.obs.user_id), ROLE_ADMIN, 0, 1, NULL};
	assert_int_equal(store_user_update(st, &G.admin, G.obs.user_id, &up, NULL, &e), RC_OK);
	assert_int_equal(store_user_update(st, &G.admin, me, &demote, NULL, &e), RC_OK);
	struct user_change obs_off = {user_version(st, G.obs.user_id), ROLE_ADMIN, 0, 0, NULL};
	assert_int_equal(store_user_update(st, &G.admin, G.obs.user_id, &obs_off, NULL, &e),
			 RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_LAST_ADMIN);
	verify_ok(st);
	store_close(st);
}

/* Undoing the last action leaves a chain that verifies on its own: the
 * last audit row deleted, the row put back from its before-image, the
 * stored head set back.  A head recorded outside the database catches it. */
static void test_verify_against_recorded_head(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	char before[STORE_HEAD_LEN], after[STORE_HEAD_LEN];
	assert_int_equal(store_audit_head(st, before, &e), RC_OK);
	assert_non_null(strchr(before, ':'));
	int64_t nv;
	assert_int_equal(store_unit_rename(st, &G.admin, G.unit_b, 1, "乙局（改）", &nv, &e), RC_OK);
	assert_int_equal(store_audit_head(st, after, &e), RC_OK);
	assert_string_not_equal(before, after);
	struct verify_result v;
	assert_int_equal(store_verify_witness(st, before, &v, &e), RC_OK);
	assert_true(v.ok);
	assert_int_equal(store_verify_witness(st, after, &v, &e), RC_OK);
	assert_true(v.ok);
	/* The undo, with the sqlite3 tool's powers. */
	char *sql = xasprintf("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);"
			      "UPDATE unit SET name = '乙局', version = 1 WHERE id = %lld;"
			      "UPDATE meta SET value = '%s' WHERE key = 'audit_head';",
			      (long long)G.unit_b, before);
	test_sql(st, sql);
	free(sql);
	verify_ok(st); /* the chain alone cannot tell */
	assert_int_equal(store_verify_witness(st, after, &v, &e), RC_OK);
	assert_false(v.ok);
	assert_non_null(strstr(v.msg, "head recorded earlier"));
	/* A head whose row is there but was rewritten. */
	char forged[STORE_HEAD_LEN];
	snprintf(forged, sizeof forged, "%s", before);
	char *h = strchr(forged, ':') + 1;
	h[0] = h[0] == 'a' ? 'b' : 'a';
	assert_int_equal(store_verify_witness(st, forged, &v, &e), RC_OK);
	assert_false(v.ok);
	assert_non_null(strstr(v.msg, "not the one recorded"));
	/* Not a head at all. */
	assert_int_equal(store_verify_witness(st, "12", &v, &e), RC_INVALID);
	assert_int_equal(store_verify_witness(st, "x:ab", &v, &e), RC_INVALID);
	store_close(st);
}

/* What a read-only handle on the template's copy reads whole. */
static void readonly_reads(struct store *ro)
{
	struct err e = {0};
	struct verify_result v;
	assert_int_equal(store_verify(ro, &v, &e), RC_OK);
	if (!v.ok)
		fail_msg("verify: %s", v.msg);
	struct task_filter f = TASK_FILTER_INIT;
	struct task_list l;
	assert_int_equal(store_task_list(ro, &G.admin, &f, G.today, &l, &e), RC_OK);
	assert_int_equal(l.total, 13);
	task_list_release(&l);
	struct user_list ul;
	assert_int_equal(store_user_list(ro, &G.admin, &ul, &e), RC_OK);
	assert_int_equal(ul.n, 7);
	user_list_release(&ul);
}

/* On PostgreSQL: a role that may only read the ledger's tables (an
 * archive's reader) opens it read-only; verify and the lists read it, and
 * a write is refused. */
static void readonly_copy_pg(void)
{
	char path[160], url[320];
	db_path(path, sizeof path, "archive.db");
	store_close(copy_file(G.tmpl, path));
	test_sql_at(path, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname ="
			  " 'rectify_reader') THEN CREATE ROLE rectify_reader LOGIN; END IF; END $$;"
			  " GRANT SELECT ON ALL TABLES IN SCHEMA public TO rectify_reader");
	const char *u = strstr(path, "user=rectify");
	assert_non_null(u);
	snprintf(url, sizeof url, "%.*suser=rectify_reader%s", (int)(u - path), path,
		 u + strlen("user=rectify"));
	struct store *ro;
	struct err e = {0};
	assert_int_equal(store_open(url, STORE_READONLY, &ro, &e), RC_OK);
	readonly_reads(ro);
	int64_t id;
	assert_int_equal(store_unit_add(ro, &G.admin, "丙局", 0, &id, &e), RC_DB);
	store_close(ro);
	test_db_drop(path);
}

/* A copy nobody may write (an archive, another user's file, in a directory
 * that cannot take the -shm and -wal files): verify and the lists read it.
 * As root the reader becomes nobody, else the file and directory are made
 * read-only.  On PostgreSQL the reader is a role that may only read. */
static void test_readonly_copy(void **state)
{
	(void)state;
	if (test_on_pg()) {
		readonly_copy_pg();
		return;
	}
	char dir[] = "/tmp/rectify-archive-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ledger.db", dir);
	struct store *st = copy_mem(G.tmpl);
	assert_int_equal(store_backup(st, path, NULL), RC_OK);
	store_close(st);
	/* As the ledger is kept: in WAL mode, its log checkpointed at close. */
	assert_int_equal(store_open(path, 0, &st, NULL), RC_OK);
	store_close(st);
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(chmod(dir, 0555), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(9);
		struct err e = {0};
		struct store *ro;
		if (store_open(path, STORE_READONLY, &ro, &e) != RC_OK) {
			fprintf(stderr, "open: %s\n", e.msg);
			_exit(1);
		}
		struct verify_result v;
		if (store_verify(ro, &v, &e) != RC_OK || !v.ok) {
			fprintf(stderr, "verify: %s\n", e.msg[0] ? e.msg : v.msg);
			_exit(2);
		}
		struct task_filter f = TASK_FILTER_INIT;
		struct task_list l;
		if (store_task_list(ro, &G.admin, &f, G.today, &l, &e) != RC_OK || l.total == 0) {
			fprintf(stderr, "task list: %s\n", e.msg);
			_exit(3);
		}
		task_list_release(&l);
		struct user_list ul;
		if (store_user_list(ro, &G.admin, &ul, &e) != RC_OK) {
			fprintf(stderr, "user list: %s\n", e.msg);
			_exit(4);
		}
		user_list_release(&ul);
		store_close(ro);
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Nothing was written beside it. */
	char side[80];
	snprintf(side, sizeof side, "%s-shm", path);
	assert_int_equal(access(side, F_OK), -1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_users_sessions(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct who w;
	struct err e = {0};
	assert_int_equal(store_user_verify(st, "zhang", "password1", &w, &e), RC_OK);
	assert_int_equal(w.user_id, G.lead1.user_id);
	assert_int_equal(w.role, ROLE_LEADER);
	assert_int_equal(store_user_verify(st, "zhang", "password2", &w, &e), RC_AUTH);
	assert_int_equal(store_user_verify(st, "nobody", "password1", &w, &e), RC_AUTH);
	/* Logins and passwords are checked. */
	assert_int_equal(store_user_add(st, &G.admin, "bad login", "x", ROLE_OBSERVER, 0,
					"password1", NULL, &e), RC_INVALID);
	assert_int_equal(store_user_add(st, &G.admin, "short", "x", ROLE_OBSERVER, 0, "1234", NULL,
					&e), RC_INVALID);
	assert_int_equal(store_user_add(st, &G.admin, "zhang", "x", ROLE_OBSERVER, 0, "password1",
					NULL, &e), RC_CONFLICT);
	assert_int_equal(store_user_add(st, &G.admin, "nounit", "x", ROLE_HANDLER, 0, "password1",
					NULL, &e), RC_INVALID);
	assert_int_equal(store_user_add(st, &G.lead1, "x", "x", ROLE_OBSERVER, 0, "password1", NULL,
					&e), RC_DENIED);
	/* Sessions: the token is not stored, only its hash. */
	char token[STORE_TOKEN_HEX], csrf[STORE_TOKEN_HEX], csrf2[STORE_TOKEN_HEX];
	assert_int_equal(store_session_new(st, G.lead1.user_id, 1000, 3600, token, csrf, &e), RC_OK);
	assert_int_equal(strlen(token), 64);
	assert_int_equal(qint(st, "SELECT count(*) FROM session WHERE hash = '%s'", token), 0);
	int64_t exp, seen;
	assert_int_equal(store_session_get(st, token, 2000, 0, &w, csrf2, &exp, &seen, &e), RC_OK);
	assert_int_equal(w.user_id, G.lead1.user_id);
	assert_int_equal(w.unit_id, G.unit_a1);
	assert_string_equal(csrf, csrf2);
	assert_int_equal(exp, 4600);
	assert_int_equal(seen, 1000); /* the login */
	assert_int_equal(store_session_get(st, token, 4600, 0, &w, csrf2, &exp, NULL, &e), RC_AUTH);
	assert_int_equal(store_session_get(st, "zz", 2000, 0, &w, csrf2, &exp, NULL, &e), RC_AUTH);
	const char first = token[0];
	token[0] = first == 'a' ? 'b' : 'a';
	assert_int_equal(store_session_get(st, token, 2000, 0, &w, csrf2, &exp, NULL, &e), RC_AUTH);
	token[0] = first;
	/* The idle bound: alive up to idle seconds after the last recorded use,
	 * and a touch moves that use (never back). */
	assert_int_equal(store_session_get(st, token, 1500, 500, &w, NULL, NULL, NULL, &e), RC_OK);
	assert_int_equal(store_session_get(st, token, 1501, 500, &w, NULL, NULL, NULL, &e), RC_AUTH);
	assert_string_equal(e.code, STORE_E_SESSION);
	assert_int_equal(store_session_touch(st, token, 1400, &e), RC_OK);
	assert_int_equal(store_session_touch(st, token, 1300, &e), RC_OK);
	assert_int_equal(store_session_get(st, token, 1900, 500, &w, NULL, NULL, &seen, &e), RC_OK);
	assert_int_equal(seen, 1400);
	assert_int_equal(store_session_get(st, token, 1901, 500, &w, NULL, NULL, NULL, &e), RC_AUTH);
	/* The purge takes the idle ones too, not the one in use. */
	char idle_tok[STORE_TOKEN_HEX];
	assert_int_equal(store_session_new(st, G.lead2.user_id, 1000, 3600, idle_tok, csrf2, &e),
			 RC_OK);
	int purged;
	assert_int_equal(store_session_purge(st, 1900, 500, &purged, &e), RC_OK);
	assert_int_equal(purged, 1);
	assert_int_equal(store_session_get(st, idle_tok, 1100, 0, &w, NULL, NULL, NULL, &e), RC_AUTH);
	assert_int_equal(store_session_get(st, token, 1900, 500, &w, NULL, NULL, NULL, &e), RC_OK);
	assert_int_equal(store_session_purge(st, 5000, 0, &purged, &e), RC_OK);
	assert_int_equal(purged, 1);
	/* Touching a session that is gone says so. */
	assert_int_equal(store_session_touch(st, token, 2000, &e), RC_AUTH);
	assert_int_equal(store_session_new(st, G.lead1.user_id, 1000, 3600, token, csrf, &e), RC_OK);
	assert_int_equal(store_session_delete(st, token, &e), RC_OK);
	assert_int_equal(store_session_get(st, token, 2000, 0, &w, csrf2, &exp, NULL, &e), RC_AUTH);
	/* A password change needs the old one, and ends the sessions. */
	assert_int_equal(store_session_new(st, G.lead1.user_id, 1000, 3600, token, csrf, &e), RC_OK);
	assert_int_equal(store_user_password(st, &G.lead1, G.lead1.user_id, "wrong", "newpassword",
					     &e), RC_AUTH);
	assert_int_equal(store_user_password(st, &G.lead2, G.lead1.user_id, NULL, "newpassword", &e),
			 RC_DENIED);
	assert_int_equal(store_user_password(st, &G.lead1, G.lead1.user_id, "password1",
					     "newpassword", &e), RC_OK);
	assert_int_equal(store_session_get(st, token, 2000, 0, &w, csrf2, &exp, NULL, &e), RC_AUTH);
	assert_int_equal(store_user_verify(st, "zhang", "newpassword", &w, &e), RC_OK);
	/* A deactivated user cannot log in. */
	struct user u1;
	struct arena ua = {0};
	assert_int_equal(store_user_get(st, G.lead1.user_id, &u1, &ua, NULL), RC_OK);
	arena_release(&ua);
	struct user_change uc = {u1.version, ROLE_LEADER, G.unit_a1, 0, NULL};
	assert_int_equal(store_user_update(st, &G.admin, G.lead1.user_id, &uc, NULL, &e), RC_OK);
	assert_int_equal(store_user_verify(st, "zhang", "newpassword", &w, &e), RC_AUTH);
	struct user_list ul;
	assert_int_equal(store_user_list(st, &G.admin, &ul, NULL), RC_OK);
	assert_int_equal(ul.n, 7);
	user_list_release(&ul);
	struct unit_list un;
	assert_int_equal(store_unit_list(st, &G.obs, &un, NULL), RC_OK);
	assert_int_equal(un.n, 3);
	assert_string_equal(un.v[1].name, "甲局一科");
	assert_int_equal(un.v[1].depth, 1);
	unit_list_release(&un);
	verify_ok(st);
	store_close(st);
}

/* Totals are remembered between pages only while nothing is written, by
 * this connection or another one. */
static void test_list_total_follows_writes(void **state)
{
	(void)state;
	char path[160];
	db_path(path, sizeof path, "totals.db");
	struct store *st = copy_file(G.tmpl, path);
	struct store *other;
	assert_int_equal(store_open(path, 0, &other, NULL), RC_OK);
	struct task_filter f = TASK_FILTER_INIT;
	f.status = TASK_NOT_STARTED;
	f.per_page = 5;
	struct task_list l;
	for (int page = 1; page <= 3; page++) {
		f.page = page;
		assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
		assert_int_equal(l.total, 13);
		task_list_release(&l);
	}
	assert_int_equal(act(st, &G.lead1, 1, TACT_PROGRESS), RC_OK);
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 12);
	task_list_release(&l);
	/* A write through another connection is seen too. */
	assert_int_equal(act(other, &G.lead1, 2, TACT_PROGRESS), RC_OK);
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	assert_int_equal(l.total, 11);
	assert_int_equal(l.n, 1);
	task_list_release(&l);
	/* Another day is another count (the light moves with it). */
	f.status = -1;
	f.light = LIGHT_YELLOW;
	f.page = 1;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, NULL), RC_OK);
	int64_t before = l.total;
	task_list_release(&l);
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today + 45, &l, NULL), RC_OK);
	assert_true(l.total != before);
	task_list_release(&l);
	store_close(other);
	store_close(st);
}

/* Sessions come and go without changing the generation (the pages the web
 * keeps drawn stay); a ledger change through another connection, or one
 * only the audit head shows (another process), changes it. */
static void test_generation_ignores_sessions(void **state)
{
	(void)state;
	char path[160];
	db_path(path, sizeof path, "generation.db");
	struct store *st = copy_file(G.tmpl, path);
	struct store *other;
	assert_int_equal(store_open(path, 0, &other, NULL), RC_OK);
	uint64_t c0, c1;
	uint64_t g0 = store_generation(st, &c0);
	char token[STORE_TOKEN_HEX], csrf[STORE_TOKEN_HEX];
	const int64_t now = 1714000000;
	assert_int_equal(store_session_new(other, G.lead1.user_id, now, 3600, token, csrf, NULL),
			 RC_OK);
	assert_int_equal(store_session_touch(other, token, now + 120, NULL), RC_OK);
	/* ... while the commit generation (the web's cache of sessions) moves. */
	assert_true(store_generation(st, &c1) == g0);
	assert_true(c1 != c0);
	assert_int_equal(store_session_delete(other, token, NULL), RC_OK);
	assert_true(store_generation(st, &c0) == g0);
	assert_true(c0 != c1);
	assert_true(store_generation(other, NULL) == g0);

	assert_int_equal(act(other, &G.lead1, 1, TACT_PROGRESS), RC_OK);
	uint64_t g1 = store_generation(st, NULL);
	assert_true(g1 != g0);
	assert_true(store_generation(other, NULL) == g1);

	/* Another process's commit: only data_version and the head move, and
	 * they are looked at again once STORE_GENERATION_POLL_MS has passed. */
	test_sql_at(path, "UPDATE meta SET value = value || 'x' WHERE key = 'audit_head'");
	struct timespec pause = {0, (STORE_GENERATION_POLL_MS + 20) * 1000000L};
	nanosleep(&pause, NULL);
	assert_true(store_generation(st, NULL) != g1);
	store_close(other);
	store_close(st);
}

static void test_generation_and_settings(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	uint64_t g0 = store_generation(st, NULL);
	assert_true(store_generation(st, NULL) == g0);
	assert_int_equal(act(st, &G.lead1, 1, TACT_PROGRESS), RC_OK);
	uint64_t g1 = store_generation(st, NULL);
	assert_true(g1 != g0);
	/* A refused write changes nothing. */
	assert_int_equal(act(st, &G.obs, 1, TACT_PROGRESS), RC_DENIED);
	assert_true(store_generation(st, NULL) == g1);
	int64_t v;
	int64_t ver;
	assert_int_equal(store_setting_get(st, SETTING_REVIEW_MONTHS, &v, &ver, NULL), RC_OK);
	assert_int_equal(v, 6);
	assert_int_equal(ver, 0); /* never set: the default holds */
	assert_int_equal(store_setting_set(st, &G.rev, SETTING_REVIEW_MONTHS, 3, 0, NULL, NULL),
			 RC_DENIED);
	assert_int_equal(store_setting_set(st, &G.admin, SETTING_REVIEW_MONTHS, 0, 0, NULL, NULL),
			 RC_INVALID);
	assert_int_equal(store_setting_set(st, &G.admin, SETTING_REVIEW_MONTHS, 3, 0, &ver, NULL),
			 RC_OK);
	assert_int_equal(ver, 1);
	assert_true(store_generation(st, NULL) != g1);
	assert_int_equal(act(st, &G.lead1, 1, TACT_SUBMIT), RC_OK);
	assert_int_equal(act(st, &G.rev, 1, TACT_APPROVE), RC_OK);
	struct task t;
	assert_int_equal(store_task_get(st, &G.rev, 1, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.review_due, D("2024-06-01"));
	task_release(&t);
	/* The audit log of that task, newest first, for those who may read it. */
	struct audit_list al;
	assert_int_equal(store_audit_list(st, &G.hand1, "task", 1, 10, &al, NULL), RC_DENIED);
	assert_int_equal(store_audit_list(st, &G.obs, "task", 1, 10, &al, NULL), RC_OK);
	assert_int_equal(al.n, 5);
	assert_string_equal(al.v[0].action, "approve");
	assert_string_equal(al.v[0].actor, "wang");
	assert_string_equal(al.v[0].entity, "task");
	assert_non_null(strstr(al.v[0].after, "\"status\":3"));
	assert_non_null(strstr(al.v[0].before, "\"status\":2"));
	assert_true(al.v[0].id > al.v[1].id);
	audit_list_release(&al);
	assert_int_equal(store_audit_list(st, &G.admin, NULL, 0, 3, &al, NULL), RC_OK);
	assert_int_equal(al.n, 3);
	audit_list_release(&al);
	verify_ok(st);
	store_close(st);
}

/* ---- the audit chain against tampering --------------------------------------------------- */

/* Run SQL on a copy with a plain connection (as someone with the sqlite3
 * tool would), then verify: it must fail, naming what is expected. */
static void tamper(const char *sql, const char *expect)
{
	char path[160];
	db_path(path, sizeof path, "tamper.db");
	struct store *st = copy_file(G.tmpl, path);
	/* Some history to tamper with. */
	drive_to(st, 1, TASK_CLOSED);
	verify_ok(st);
	store_close(st);
	test_sql_at(path, sql);
	struct err e = {0};
	enum rc rc = store_open(path, STORE_READONLY, &st, &e);
	if (rc != RC_OK)
		fprintf(stderr, "after '%s': open %s: %s\n", sql, rc_name(rc), e.msg);
	assert_int_equal(rc, RC_OK);
	struct verify_result v;
	rc = store_verify(st, &v, &e);
	if (rc != RC_OK)
		fprintf(stderr, "after '%s': verify %s: %s\n", sql, rc_name(rc), e.msg);
	assert_int_equal(rc, RC_OK);
	if (v.ok || !strstr(v.msg, expect))
		fprintf(stderr, "after '%s': ok %d, '%s'\n", sql, v.ok, v.msg);
	assert_false(v.ok);
	assert_non_null(strstr(v.msg, expect));
	store_close(st);
}

/* The same tampering in each engine's words: lite on SQLite, pg on
 * PostgreSQL. */
static void tamper2(const char *lite, const char *pg, const char *expect)
{
	tamper(test_on_pg() ? pg : lite, expect);
}

static void test_audit_tamper(void **state)
{
	(void)state;
	/* Each hashed field of one entry, in turn: an update of a task, so
	 * that it has both images. */
	static const char *const fields[][2] = {
		{"at", "'2000-01-01T00:00:00.000Z'"},
		{"actor_id", "actor_id + 1"},
		{"actor", "'zhou'"},
		{"action", "'approve'"},
		{"entity", "'unit'"},
		{"entity_id", "entity_id + 1"},
		{"before", "json_set(before, '$.goal', 'x')"},
		{"after", "json_set(after, '$.goal', 'x')"},
	};
	static const char *const fields_pg[][2] = {
		{"before", "CAST(jsonb_set(CAST(before AS jsonb), '{goal}', '\"x\"') AS text)"},
		{"after", "CAST(jsonb_set(CAST(after AS jsonb), '{goal}', '\"x\"') AS text)"},
	};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
		char sql[320];
		snprintf(sql, sizeof sql,
			 "UPDATE audit SET %s = %s WHERE id = (SELECT min(id) FROM audit"
			 " WHERE entity = 'task' AND before IS NOT NULL AND after IS NOT NULL"
			 " AND action = 'assign')",
			 fields[i][0], test_on_pg() && i >= 6 ? fields_pg[i - 6][1] : fields[i][1]);
		tamper(sql, "altered");
	}
	/* The log itself. */
	tamper("UPDATE audit SET after = replace(after, '张三', '李四') WHERE id = 5", "altered");
	tamper("UPDATE audit SET actor = 'zhou' WHERE id = (SELECT max(id) FROM audit)", "altered");
	tamper("DELETE FROM audit WHERE id = 7", "missing");
	/* Reorder: swap the contents of two rows. */
	tamper("CREATE TEMP TABLE s AS SELECT * FROM audit WHERE id IN (8, 9);"
	       "UPDATE audit SET (at, actor_id, actor, action, entity, entity_id, before, after,"
	       " prev, hash) = (SELECT at, actor_id, actor, action, entity, entity_id, before, after,"
	       " prev, hash FROM s WHERE s.id = 17 - audit.id) WHERE id IN (8, 9)",
	       "does not follow");
	/* Truncation of the tail, with or without the head fixed up. */
	tamper("DELETE FROM audit WHERE id > (SELECT max(id) - 3 FROM audit)", "truncated");
	tamper("DELETE FROM audit WHERE id > (SELECT max(id) - 3 FROM audit);"
	       "UPDATE meta SET value = (SELECT id || ':' || hash FROM audit ORDER BY id DESC LIMIT 1)"
	       " WHERE key = 'audit_head'",
	       "does not match its last audit entry");
	/* (PostgreSQL keeps the schema's version in meta, SQLite in the file's
	 * header) */
	tamper2("DELETE FROM audit; DELETE FROM meta",
		"DELETE FROM audit; DELETE FROM meta WHERE key <> 'schema'",
		"unit 1 has no audit entry");
	/* The ledger behind the log's back. */
	tamper("UPDATE task SET status = 3 WHERE id = 2", "task 2 does not match");
	tamper("UPDATE task SET deadline = deadline + 30 WHERE id = 3", "task 3 does not match");
	tamper("UPDATE \"user\" SET role = 0 WHERE login = 'zhou'", "user");
	tamper("UPDATE \"user\" SET pwhash = 'x' WHERE login = 'zhang'", "user");
	tamper("UPDATE report SET source = source || ' ' WHERE id = 1", "report 1");
	/* (PostgreSQL: foreign keys are triggers, off for a replica's session) */
	tamper2("PRAGMA foreign_keys = OFF; DELETE FROM task_event WHERE id = 1",
		"SET session_replication_role = replica; DELETE FROM task_event WHERE id = 1",
		"task_event 1 was deleted");
	tamper2("PRAGMA foreign_keys = OFF; DELETE FROM evidence",
		"SET session_replication_role = replica; DELETE FROM evidence", "deleted");
	/* (PostgreSQL: the bytes are rows of evidence_chunk) */
	tamper2("UPDATE evidence SET data = zeroblob(16)",
		"UPDATE evidence_chunk SET bytes = CAST(repeat('0', length(bytes)) AS bytea)",
		"evidence");
	tamper("INSERT INTO unit(name) VALUES ('伪造单位')", "unit 4 has no audit entry");
	tamper("INSERT INTO unit_tree VALUES (3, 2, 1)", "unit tree");
	/* A value of a type the log cannot image (a BLOB where text belongs). */
	if (test_on_pg())
		printf("skip on PostgreSQL: a BLOB where text belongs (a text column of"
		       " PostgreSQL holds only text)\n");
	else
		tamper("UPDATE task SET goal = X'00FF' WHERE id = 3", "task");
	/* Changing a row and its after-image together breaks the chain. */
	tamper("UPDATE task SET goal = 'x' WHERE id = 4;"
	       "UPDATE audit SET after = (SELECT json_object('id', 1)) WHERE id ="
	       " (SELECT max(id) FROM audit WHERE entity = 'task' AND entity_id = 4)",
	       "altered");
}

/* A change made behind the program's back is not laundered by a later
 * write through the program: that write logs the tampered row as its
 * "before", which is not what the previous audit row of the entity left. */
static void tamper_then(const char *sql, const char *expect, int (*write)(struct store *st))
{
	char path[160];
	db_path(path, sizeof path, "launder.db");
	struct store *st = copy_file(G.tmpl, path);
	drive_to(st, 1, TASK_IN_PROGRESS);
	assert_int_equal(act(st, &G.lead1, 1, TACT_EXTEND), RC_OK);
	verify_ok(st);
	store_close(st);
	test_sql_at(path, sql);
	assert_int_equal(store_open(path, 0, &st, NULL), RC_OK);
	assert_int_equal(write(st), RC_OK);
	struct verify_result v;
	assert_int_equal(store_verify(st, &v, NULL), RC_OK);
	if (v.ok || !strstr(v.msg, expect))
		fprintf(stderr, "after '%s' and a write: ok %d, '%s'\n", sql, v.ok, v.msg);
	assert_false(v.ok);
	assert_non_null(strstr(v.msg, expect));
	store_close(st);
}

static int write_progress(struct store *st)
{
	return store_task_progress(st, &G.lead1, 1, version_of(st, 1), "继续整改", NULL, 0,
				   G.today, NULL, NULL, NULL);
}

static int write_password(struct store *st)
{
	struct who z;
	who_of(st, "zhang", &z);
	return store_user_password(st, &z, z.user_id, "password1", "password2", NULL);
}

static int write_decide(struct store *st)
{
	return store_task_extend_decide(st, &G.rev, 1, version_of(st, 1), 0, 1, "同意", G.today,
					NULL, NULL);
}

static int write_setting(struct store *st)
{
	int64_t v, ver;
	store_setting_get(st, SETTING_REVIEW_MONTHS, &v, &ver, NULL);
	return store_setting_set(st, &G.admin, SETTING_REVIEW_MONTHS, 3, ver, NULL, NULL);
}

static int write_blob_task(struct store *st)
{
	/* A write to a row the log cannot image fails whole, rather than being
	 * logged as a deletion; verify then names the row. */
	int64_t v = version_of(st, 1);
	struct err e = {0};
	enum rc rc = store_task_progress(st, &G.lead1, 1, v, "继续整改", NULL, 0, G.today, NULL,
					 NULL, &e);
	assert_int_equal(rc, RC_DB);
	assert_int_equal(version_of(st, 1), v);
	return RC_OK;
}

static void test_audit_tamper_then_write(void **state)
{
	(void)state;
	/* The deadline moved behind the log's back (W9 bypassed), then progress. */
	tamper_then("UPDATE task SET deadline = deadline + 300 WHERE id = 1",
		    "task 1 was changed behind the program's back between audit rows",
		    write_progress);
	/* A leader made admin, then the leader changes their password. */
	tamper_then("UPDATE \"user\" SET role = 0 WHERE login = 'zhang'", "user", write_password);
	/* The requested date of a pending extension, then the reviewer approves. */
	tamper_then("UPDATE extension SET to_day = to_day + 365", "extension", write_decide);
	/* A setting written behind the log's back, then changed properly. */
	tamper_then("INSERT INTO setting(id, key, value) VALUES (0, 'review_months', 120)",
		    "setting", write_setting);
	if (test_on_pg())
		printf("skip on PostgreSQL: a BLOB where text belongs (a text column of"
		       " PostgreSQL holds only text)\n");
	else
		tamper_then("UPDATE task SET goal = X'00FF' WHERE id = 1", "task holds a value",
			    write_blob_task);
}

/* A backup taken while another process writes is a consistent, verified
 * database. */
static void test_backup_while_writing(void **state)
{
	(void)state;
	SKIP_ON_PG("SQLite's online backup API under a writer in another process");
	char path[160], dst[160];
	snprintf(path, sizeof path, "%s/live.db", G.dir);
	snprintf(dst, sizeof dst, "%s/live-backup.db", G.dir);
	struct store *st = copy_file(G.tmpl, path);
	store_close(st);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *w;
		if (store_open(path, 0, &w, NULL))
			_exit(1);
		for (int i = 0; i < 150; i++) {
			int64_t id = 1 + i % 12;
			struct task t;
			if (store_task_get(w, &G.lead1, id, G.today, &t, NULL))
				_exit(2);
			int64_t v = t.version;
			task_release(&t);
			if (store_task_progress(w, &G.lead1, id, v, "并发写入", NULL, 0, G.today, NULL,
						NULL, NULL))
				_exit(3);
		}
		store_close(w);
		_exit(0);
	}
	assert_int_equal(store_open(path, STORE_READONLY, &st, NULL), RC_OK);
	int backups = 0;
	int status = 0;
	for (;;) {
		struct err e = {0};
		assert_int_equal(store_backup(st, dst, &e), RC_OK);
		backups++;
		struct store *b;
		assert_int_equal(store_open(dst, STORE_READONLY, &b, NULL), RC_OK);
		sqlite3_stmt *q;
		sqlite3_prepare_v2(b->db, "PRAGMA integrity_check", -1, &q, NULL);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
		sqlite3_finalize(q);
		verify_ok(b);
		store_close(b);
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(backups >= 1);
	store_close(st);
	/* Restore puts the backup in place of a damaged database. */
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	sqlite3_exec(raw, "UPDATE task SET goal = 'forged'", NULL, NULL, NULL);
	sqlite3_close(raw);
	assert_int_equal(store_restore(path, dst, NULL), RC_OK);
	assert_int_equal(store_open(path, 0, &st, NULL), RC_OK);
	verify_ok(st);
	store_close(st);
	/* A tampered backup is not restored. */
	assert_int_equal(sqlite3_open(dst, &raw), SQLITE_OK);
	sqlite3_exec(raw, "UPDATE task SET goal = 'forged'", NULL, NULL, NULL);
	sqlite3_close(raw);
	struct err e = {0};
	assert_int_equal(store_restore(path, dst, &e), RC_DB);
	assert_non_null(strstr(e.msg, "not restored"));
}

/* ---- 回头看 timing ------------------------------------------------------------------- */

static int review_due_listed(struct store *st, int64_t id, int32_t day)
{
	struct task_filter f = TASK_FILTER_INIT;
	f.review_due = 1;
	f.per_page = 500;
	struct task_list l;
	assert_int_equal(store_task_list(st, &G.rev, &f, day, &l, NULL), RC_OK);
	int found = 0;
	for (size_t i = 0; i < l.n; i++)
		found |= l.rows[i].id == id;
	task_list_release(&l);
	struct check_report r;
	assert_int_equal(store_check(st, &G.rev, 0, day, &r, NULL), RC_OK);
	int checked = 0;
	for (size_t i = 0; i < r.n; i++)
		checked |= r.v[i].kind == CHECK_REVIEW_DUE && r.v[i].id == id;
	check_report_release(&r);
	assert_int_equal(found, checked);
	return found;
}

/* A 回头看 is confirmed only once it is due, and only a closed or staged task
 * is due for one: a staged task sent for closing and returned is back at
 * work, not waiting for a review it can never get. */
static void test_review_timing(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int64_t id = G.t_dated;
	drive_to(st, id, TASK_CLOSED);
	struct err e = {0};
	/* Closed on 2024-03-01, due 2024-09-01: not confirmed the same day. */
	assert_int_equal(store_task_act(st, &G.rev, id, version_of(st, id), TACT_CONFIRM, NULL,
					G.today, NULL, &e), RC_CONFLICT);
	assert_non_null(strstr(e.msg, "W12"));
	assert_non_null(strstr(e.msg, "2024-09-01"));
	struct task t;
	assert_int_equal(store_task_get(st, &G.rev, id, G.today, &t, NULL), RC_OK);
	assert_false(t.actions & (1u << TACT_CONFIRM));
	task_release(&t);
	assert_int_equal(store_task_get(st, &G.rev, id, D("2024-09-01"), &t, NULL), RC_OK);
	assert_true(t.actions & (1u << TACT_CONFIRM));
	task_release(&t);
	assert_int_equal(store_task_act(st, &G.rev, id, version_of(st, id), TACT_CONFIRM, NULL,
					D("2024-09-01"), NULL, &e), RC_OK);
	/* A staged task, submitted for closing and sent back. */
	int64_t og = G.t_ongoing;
	drive_to(st, og, TASK_STAGED);
	assert_true(review_due_listed(st, og, D("2024-09-01")));
	assert_int_equal(act(st, &G.lead1, og, TACT_SUBMIT), RC_OK);
	assert_false(review_due_listed(st, og, D("2024-09-01")));
	assert_int_equal(act(st, &G.rev, og, TACT_RETURN), RC_OK);
	assert_int_equal(status_of(st, og), TASK_IN_PROGRESS);
	assert_false(review_due_listed(st, og, D("2024-09-01")));
	struct dashboard d;
	assert_int_equal(store_dashboard(st, &G.rev, 0, D("2024-09-01"), &d, NULL), RC_OK);
	assert_int_equal(d.review_due, 0);
	dashboard_release(&d);
	/* Staged again: due six months from then. */
	assert_int_equal(act(st, &G.lead1, og, TACT_SUBMIT), RC_OK);
	assert_int_equal(act(st, &G.rev, og, TACT_STAGE), RC_OK);
	assert_true(review_due_listed(st, og, D("2024-09-01")));
	verify_ok(st);
	store_close(st);
}

/* ---- extensions of no deadline ---------------------------------------------------------- */

/* 延期 postpones a deadline: a task without one gets its first deadline
 * from the office, not through a request that a reviewer would approve
 * after the office has set a different one (moving it back or forth). */
static void test_extend_needs_a_deadline(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct ledger_row row = {0};
	row.problem = "没有时限的问题。";
	row.leader = "zhang";
	row.unit = "甲局一科";
	struct import_result res;
	struct err e = {0};
	assert_int_equal(store_ledger_import(st, &G.admin, 0, &row, 1, "无时限.xlsx", 0, G.today,
					     &res, &e), RC_OK);
	int64_t id = 14;
	struct task t;
	assert_int_equal(store_task_get(st, &G.lead1, id, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.deadline_kind, DEADLINE_NONE);
	assert_false(t.actions & (1u << TACT_EXTEND));
	task_release(&t);
	assert_int_equal(store_task_extend(st, &G.lead1, id, version_of(st, id), D("2024-12-31"),
					   "需要时间", G.today, NULL, NULL, &e), RC_CONFLICT);
	assert_non_null(strstr(e.msg, "W10"));
	struct task_assign a = {0};
	a.deadline_kind = DEADLINE_DATE;
	a.deadline = D("2024-09-30");
	assert_int_equal(store_task_assign(st, &G.admin, id, version_of(st, id), &a, G.today, NULL,
					   &e), RC_OK);
	assert_int_equal(store_task_extend(st, &G.lead1, id, version_of(st, id), D("2024-12-31"),
					   "需要时间", G.today, NULL, NULL, &e), RC_OK);
	verify_ok(st);
	store_close(st);
}

/* ---- text limits ------------------------------------------------------------------------- */

/* n bytes of UTF-8: as many 字 (three bytes each) as fit, then 'x'. */
static char *text_of(size_t n)
{
	char *s = xmalloc(n + 1);
	size_t i = 0;
	for (; i + 3 <= n; i += 3)
		memcpy(s + i, "字", 3);
	for (; i < n; i++)
		s[i] = 'x';
	s[n] = '\0';
	return s;
}

/* A refusal of a text one byte past its bound: the code, and a message
 * that names the bound. */
static void over(enum rc rc, const struct err *e, const char *code, int max)
{
	assert_int_equal(rc, RC_INVALID);
	assert_string_equal(e->code, code);
	char n[16];
	snprintf(n, sizeof n, "%d", max);
	if (!strstr(e->msg, n))
		fail_msg("%s: '%s' does not name %d", code, e->msg, max);
}

/* Each text bound of store.h (STORE_*_MAX): a text of exactly the bound
 * is taken, one byte more refused with its code; nothing is written by a
 * refusal (verify and the versions). */
static void test_text_limits(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t id = G.t_dated;
	char *at = text_of(STORE_TEXT_MAX), *past = text_of(STORE_TEXT_MAX + 1);
	assert_int_equal(strlen(at), STORE_TEXT_MAX);
	/* A progress entry and a goal: STORE_TEXT_MAX. */
	struct evidence_in ev = ev_file();
	int64_t v = version_of(st, id);
	over(store_task_progress(st, &G.lead1, id, v, past, &ev, 1, G.today, NULL, NULL, &e), &e,
	     STORE_E_PROGRESS_TEXT, STORE_TEXT_MAX);
	assert_int_equal(version_of(st, id), v);
	assert_int_equal(store_task_progress(st, &G.lead1, id, v, at, &ev, 1, G.today, NULL, NULL,
					     &e), RC_OK);
	struct task_assign a = {0};
	a.goal = past;
	v = version_of(st, id);
	over(store_task_assign(st, &G.admin, id, v, &a, G.today, NULL, &e), &e, STORE_E_GOAL,
	     STORE_TEXT_MAX);
	a.goal = at;
	assert_int_equal(store_task_assign(st, &G.admin, id, v, &a, G.today, NULL, &e), RC_OK);
	free(at);
	free(past);
	/* A reason or note: STORE_NOTE_MAX. */
	at = text_of(STORE_NOTE_MAX);
	past = text_of(STORE_NOTE_MAX + 1);
	v = version_of(st, id);
	over(store_task_extend(st, &G.lead1, id, v, D("2025-01-31"), past, G.today, NULL, NULL, &e),
	     &e, STORE_E_W10_REASON, STORE_NOTE_MAX);
	assert_int_equal(store_task_extend(st, &G.lead1, id, v, D("2025-01-31"), at, G.today, NULL,
					   NULL, &e), RC_OK);
	v = version_of(st, id);
	over(store_task_extend_decide(st, &G.rev, id, v, 0, 1, past, G.today, NULL, &e), &e,
	     STORE_E_NOTE, STORE_NOTE_MAX);
	assert_int_equal(store_task_extend_decide(st, &G.rev, id, v, 0, 1, at, G.today, NULL, &e),
			 RC_OK);
	v = version_of(st, id);
	over(store_task_act(st, &G.lead1, id, v, TACT_SUBMIT, past, G.today, NULL, &e), &e,
	     STORE_E_NOTE, STORE_NOTE_MAX);
	assert_int_equal(store_task_act(st, &G.lead1, id, v, TACT_SUBMIT, at, G.today, NULL, &e),
			 RC_OK);
	v = version_of(st, id);
	over(store_task_act(st, &G.rev, id, v, TACT_RETURN, past, G.today, NULL, &e), &e,
	     STORE_E_W8_REASON, STORE_NOTE_MAX);
	assert_int_equal(store_task_act(st, &G.rev, id, v, TACT_RETURN, at, G.today, NULL, &e),
			 RC_OK);
	/* ... and none, or only blanks, where one is needed: the store's rule. */
	v = version_of(st, id);
	over(store_task_extend(st, &G.lead1, id, v, D("2025-02-28"), NULL, G.today, NULL, NULL, &e),
	     &e, STORE_E_W10_REASON, STORE_NOTE_MAX);
	assert_int_equal(store_task_act(st, &G.lead1, id, v, TACT_SUBMIT, NULL, G.today, NULL, &e),
			 RC_OK);
	v = version_of(st, id);
	over(store_task_act(st, &G.rev, id, v, TACT_RETURN, " \n", G.today, NULL, &e), &e,
	     STORE_E_W8_REASON, STORE_NOTE_MAX);
	over(store_task_urge(st, &G.admin, 2, version_of(st, 2), past, G.today, NULL, &e), &e,
	     STORE_E_NOTE, STORE_NOTE_MAX);
	assert_int_equal(store_task_urge(st, &G.admin, 2, version_of(st, 2), at, G.today, NULL, &e),
			 RC_OK);
	free(at);
	free(past);
	/* The search text: STORE_SEARCH_MAX. */
	at = text_of(STORE_SEARCH_MAX);
	past = text_of(STORE_SEARCH_MAX + 1);
	struct task_filter f = TASK_FILTER_INIT;
	struct task_list l;
	f.q = past;
	over(store_task_list(st, &G.admin, &f, G.today, &l, &e), &e, STORE_E_SEARCH,
	     STORE_SEARCH_MAX);
	f.q = at;
	assert_int_equal(store_task_list(st, &G.admin, &f, G.today, &l, &e), RC_OK);
	assert_int_equal(l.n, 1); /* the goal set above ends as the search text does */
	assert_int_equal(l.rows[0].id, id);
	task_list_release(&l);
	free(at);
	free(past);
	/* A unit's and a user's name: STORE_NAME_MAX. */
	at = text_of(STORE_NAME_MAX);
	past = text_of(STORE_NAME_MAX + 1);
	over(store_unit_add(st, &G.admin, past, 0, NULL, &e), &e, STORE_E_UNIT_NAME,
	     STORE_NAME_MAX);
	assert_int_equal(store_unit_add(st, &G.admin, at, 0, NULL, &e), RC_OK);
	over(store_user_add(st, &G.admin, "limit", past, ROLE_OBSERVER, 0, "password1", NULL, &e),
	     &e, STORE_E_USER_NAME, STORE_NAME_MAX);
	assert_int_equal(store_user_add(st, &G.admin, "limit", at, ROLE_OBSERVER, 0, "password1",
					NULL, &e), RC_OK);
	free(at);
	free(past);
	/* A login: STORE_LOGIN_MAX ASCII characters. */
	char login[STORE_LOGIN_MAX + 2];
	memset(login, 'a', sizeof login - 1);
	login[STORE_LOGIN_MAX + 1] = '\0';
	over(store_user_add(st, &G.admin, login, "甲", ROLE_OBSERVER, 0, "password1", NULL, &e), &e,
	     STORE_E_LOGIN, STORE_LOGIN_MAX);
	login[STORE_LOGIN_MAX] = '\0';
	assert_int_equal(store_user_add(st, &G.admin, login, "甲", ROLE_OBSERVER, 0, "password1",
					NULL, &e), RC_OK);
	/* A campaign's title and theme: STORE_TITLE_MAX. */
	at = text_of(STORE_TITLE_MAX);
	past = text_of(STORE_TITLE_MAX + 1);
	struct campaign_new c = {0};
	c.year = 2025;
	c.started = STORE_NO_DAY;
	c.title = past;
	over(store_campaign_new(st, &G.admin, &c, G.today, NULL, NULL, &e), &e,
	     STORE_E_CAMPAIGN_TITLE, STORE_TITLE_MAX);
	c.title = at;
	c.theme = past;
	over(store_campaign_new(st, &G.admin, &c, G.today, NULL, NULL, &e), &e,
	     STORE_E_CAMPAIGN_THEME, STORE_TITLE_MAX);
	c.theme = at;
	assert_int_equal(store_campaign_new(st, &G.admin, &c, G.today, NULL, NULL, &e), RC_OK);
	free(at);
	free(past);
	verify_ok(st);
	store_close(st);
}

/* ---- file names --------------------------------------------------------------------------- */

/* A report's file name comes from outside (a path on disk, an upload) and
 * is shown in lists: bytes that are not UTF-8 (a GBK-named file) and
 * control characters are replaced, and the name is bounded. */
static void test_report_filename_cleaned(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	static const char rep[] = "一、存在的问题\n\n（一）学习方面\n\n一是学习不深。\n";
	struct doc *d;
	assert_int_equal(doc_parse_text(rep, strlen(rep), &d, NULL), RC_OK);
	char name[600];
	snprintf(name, sizeof name, "\xb2\xe2\xca\xd4\n%s", "报告");
	struct report_import in = {0};
	in.filename = name;
	struct import_result res;
	struct err e = {0};
	assert_int_equal(store_report_import(st, &G.admin, d, &in, G.today, &res, &e), RC_OK);
	struct report r;
	assert_int_equal(store_report_get(st, &G.obs, res.report_id, &r, NULL), RC_OK);
	assert_true(text_utf8_valid(r.filename, strlen(r.filename), NULL));
	assert_string_equal(r.filename, "?????报告");
	report_release(&r);
	/* Long names are cut on a character boundary. */
	size_t k = 0;
	while (k + 3 < sizeof name - 1) {
		memcpy(name + k, "名", 3);
		k += 3;
	}
	name[k] = '\0';
	in.again = 1;
	assert_int_equal(store_report_import(st, &G.admin, d, &in, G.today, &res, &e), RC_OK);
	assert_int_equal(store_report_get(st, &G.obs, res.report_id, &r, NULL), RC_OK);
	assert_true(strlen(r.filename) <= EVIDENCE_NAME_MAX);
	assert_true(strlen(r.filename) > EVIDENCE_NAME_MAX - 3);
	assert_true(text_utf8_valid(r.filename, strlen(r.filename), NULL));
	report_release(&r);
	doc_free(d);
	/* A spreadsheet ledger's file name likewise. */
	struct ledger_row row = {0};
	row.problem = "台账问题。";
	assert_int_equal(store_ledger_import(st, &G.admin, 0, &row, 1, "\xff台账.xlsx", 0, G.today,
					     &res, &e), RC_OK);
	assert_int_equal(store_report_get(st, &G.obs, res.report_id, &r, NULL), RC_OK);
	assert_string_equal(r.filename, "?台账.xlsx");
	assert_string_equal(r.title, "?台账.xlsx");
	report_release(&r);
	verify_ok(st);
	store_close(st);
}

/* ---- days from callers ------------------------------------------------------------------ */

/* Days handed in by a caller are dates the program can print: a day number
 * far outside 1900..9999 overflowed the calendar arithmetic (undefined
 * behaviour) wherever it was shown. */
static void test_days_in_range(void **state)
{
	(void)state;
	assert_true(store_day_valid(D("1900-01-01")));
	assert_true(store_day_valid(D("9999-12-31")));
	assert_false(store_day_valid(D("1900-01-01") - 1));
	assert_false(store_day_valid(D("9999-12-31") + 1));
	assert_false(store_day_valid(STORE_NO_DAY));
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t id = G.t_dated;
	assert_int_equal(store_task_extend(st, &G.lead1, id, version_of(st, id), INT32_MAX - 10,
					   "很久以后", G.today, NULL, NULL, &e), RC_INVALID);
	struct ledger_row row = {0};
	row.problem = "没有时限的问题。";
	struct import_result res;
	assert_int_equal(store_ledger_import(st, &G.admin, 0, &row, 1, "无时限.xlsx", 0, G.today,
					     &res, &e), RC_OK);
	struct task_assign a = {0};
	a.deadline_kind = DEADLINE_DATE;
	a.deadline = INT32_MAX - 10;
	assert_int_equal(store_task_assign(st, &G.admin, 14, version_of(st, 14), &a, G.today, NULL,
					   &e), RC_INVALID);
	struct activity_new an = {0};
	an.commitment_id = 1;
	an.day = INT32_MIN + 10;
	assert_int_equal(store_activity_add(st, &G.lead1, &an, G.today, NULL, &e), RC_INVALID);
	struct campaign_new cn = {0};
	cn.year = 2025;
	cn.title = "2025年整改";
	cn.started = INT32_MAX - 10;
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, NULL, NULL, &e), RC_INVALID);
	verify_ok(st);
	store_close(st);
}

/* ---- names ------------------------------------------------------------------------------ */

/* Names and titles end up in JSON and HTML: they must be UTF-8 (bytes
 * that are not would make `task list --json` invalid JSON), and a campaign's
 * theme is bounded like its title. */
static void test_names_are_utf8(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t id;
	assert_int_equal(store_unit_add(st, &G.admin, "坏\xff单位", 0, &id, &e), RC_INVALID);
	assert_int_equal(store_unit_rename(st, &G.admin, G.unit_b, 1, "\xe4\xb9", NULL, &e), RC_INVALID);
	assert_int_equal(store_user_add(st, &G.admin, "bad", "\xc0\xaf", ROLE_OBSERVER, 0,
					"password1", &id, &e), RC_INVALID);
	struct campaign_new cn = {0};
	cn.year = 2025;
	cn.title = "整改\x80";
	cn.started = STORE_NO_DAY;
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, &id, NULL, &e), RC_INVALID);
	cn.title = "2025年整改";
	cn.theme = "\xed\xa0\x80";      /* a surrogate */
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, &id, NULL, &e), RC_INVALID);
	char *long_theme = xcalloc(1, 502);
	memset(long_theme, 'x', 501);
	cn.theme = long_theme;
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, &id, NULL, &e), RC_INVALID);
	free(long_theme);
	cn.theme = NULL;
	const char *areas[] = {"学习", "\xf5\x80\x80\x80"};
	cn.areas = areas;
	cn.n_areas = 2;
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, &id, NULL, &e), RC_INVALID);
	cn.n_areas = 1;
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, &id, NULL, &e), RC_OK);
	verify_ok(st);
	store_close(st);
}

/* ---- the report tree's order ---------------------------------------------------------- */

/* The depth-first order, worked out the slow and obvious way from the
 * node table: each node, then its children by position. */
static void naive_dfs(const int64_t (*nodes)[2], size_t n, int64_t parent, int64_t *out,
		      size_t *k)
{
	for (size_t i = 0; i < n; i++) {
		if (nodes[i][1] != parent)
			continue;
		out[(*k)++] = nodes[i][0];
		naive_dfs(nodes, n, nodes[i][0], out, k);
	}
}

static void assert_tree_order(struct store *st, int64_t report)
{
	struct dbq *q = stmt_prepare_text(st, "SELECT id, coalesce(parent_id, 0) FROM node"
					      " WHERE report_id = ?1 ORDER BY pos, id", "test", NULL);
	assert_non_null(q);
	bind_int64(q, 1, report);
	int64_t (*nodes)[2] = xcalloc(4096, sizeof *nodes);
	size_t n = 0;
	int step;
	while ((step = stmt_step(st, q, NULL)) == DB_ROW && n < 4096) {
		nodes[n][0] = col_int64(q, 0);
		nodes[n][1] = col_int64(q, 1);
		n++;
	}
	assert_int_equal(step, n < 4096 ? DB_DONE : DB_ROW);
	stmt_finalize(q);
	int64_t *want = xcalloc(n ? n : 1, sizeof *want);
	size_t k = 0;
	naive_dfs((const int64_t(*)[2])nodes, n, 0, want, &k);
	assert_int_equal(k, n);
	struct report r;
	assert_int_equal(store_report_get(st, &G.obs, report, &r, NULL), RC_OK);
	assert_int_equal(r.n_nodes, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r.nodes[i].id, want[i]);
	report_release(&r);
	free(want);
	free(nodes);
}

/* The report comes back depth first in document order, also after the
 * tree was corrected (node ids no longer follow the document). */
static void test_report_tree_order(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	assert_tree_order(st, 1);
	assert_tree_order(st, 2);
	struct report r;
	assert_int_equal(store_report_get(st, &G.obs, 1, &r, NULL), RC_OK);
	int64_t first = 0, last = 0, area1 = 0, ver = r.version;
	uint32_t cut = 0;
	for (size_t i = 0; i < r.n_nodes; i++) {
		const struct report_node *x = &r.nodes[i];
		if (x->kind == NODE_AREA && x->role == DOC_ROLE_PROBLEMS && !area1)
			area1 = x->id;
		if (x->kind == NODE_ITEM && x->role == DOC_ROLE_PROBLEMS) {
			if (!first) {
				first = x->id;
				/* The first character boundary after a third of the item. */
				cut = x->start + (x->end - x->start) / 3;
				while (((unsigned char)r.source[cut] & 0xC0) == 0x80)
					cut++;
			}
			last = x->id;
		}
	}
	report_release(&r);
	struct err e = {0};
	/* The last problem item moves into the first area; the first is split. */
	assert_int_equal(store_node_move(st, &G.admin, last, area1, ver++, G.today, &e), RC_OK);
	assert_int_equal(store_node_split(st, &G.admin, first, cut, ver++, G.today, NULL, &e), RC_OK);
	assert_tree_order(st, 1);
	store_close(st);
}

/* ---- the unit tree's depth ------------------------------------------------------------- */

/* The unit tree is bounded in depth (STORE_UNIT_DEPTH_MAX levels below a
 * root), by adding and by moving: the queries that walk it (the unit list,
 * verify's check of the closure) stop at a depth, and a deeper tree made
 * verify report tampering that never happened. */
static void test_unit_depth(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t parent = 0, id = 0, top = 0;
	char name[32];
	for (int d = 0; d <= STORE_UNIT_DEPTH_MAX; d++) {
		snprintf(name, sizeof name, "层级%d", d);
		assert_int_equal(store_unit_add(st, &G.admin, name, parent, &id, &e), RC_OK);
		if (!top)
			top = id;
		parent = id;
	}
	snprintf(name, sizeof name, "层级%d", STORE_UNIT_DEPTH_MAX + 1);
	assert_int_equal(store_unit_add(st, &G.admin, name, parent, &id, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "deep"));
	struct unit_list ul;
	assert_int_equal(store_unit_list(st, &G.admin, &ul, NULL), RC_OK);
	assert_int_equal(ul.n, 3 + STORE_UNIT_DEPTH_MAX + 1);
	assert_int_equal(ul.v[ul.n - 1].depth, STORE_UNIT_DEPTH_MAX);
	unit_list_release(&ul);
	/* Moving 甲局 (with 甲局一科 below it) under the deepest unit would go
	 * two levels past the bound; under the top one it fits. */
	assert_int_equal(store_unit_set_parent(st, &G.admin, G.unit_a, 1, parent, NULL, &e), RC_INVALID);
	assert_int_equal(store_unit_set_parent(st, &G.admin, G.unit_a, 1, top, NULL, &e), RC_OK);
	verify_ok(st);
	store_close(st);
}

/* ---- the evidence guard ------------------------------------------------------------------ */

/* 申请销号 needs a progress entry with evidence (W4): an empty file is not
 * evidence, so it is refused and does not open the way to 申请销号. */
static void test_empty_evidence_refused(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	char empty[160];
	snprintf(empty, sizeof empty, "%s/empty.pdf", G.dir);
	assert_int_equal(util_write_file(empty, "", 0, NULL), RC_OK);
	struct evidence_in ev = {"空白.pdf", "application/pdf", -1, empty};
	int64_t id = G.t_dated, v = version_of(st, id);
	struct err e = {0};
	assert_int_equal(store_task_progress(st, &G.lead1, id, v, "已整改", &ev, 1, G.today, NULL,
					     NULL, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(version_of(st, id), v);
	/* Progress without it, then 申请销号: still no evidence. */
	assert_int_equal(store_task_progress(st, &G.lead1, id, v, "已整改", NULL, 0, G.today, NULL,
					     NULL, &e), RC_OK);
	assert_int_equal(act(st, &G.lead1, id, TACT_SUBMIT), RC_CONFLICT);
	/* An activity's evidence likewise. */
	struct activity_new a = {0};
	a.commitment_id = 1;
	a.day = G.today;
	a.evidence = &ev;
	a.n_evidence = 1;
	assert_int_equal(store_activity_add(st, &G.lead1, &a, G.today, NULL, &e), RC_INVALID);
	verify_ok(st);
	store_close(st);
}

/* ---- scoping of what is not a task ----------------------------------------------------- */

/* Reports, units and campaigns are readable by every role, but what they
 * say about tasks is scoped: a handler does not learn the ids or the counts
 * of another unit's tasks through them. */
static void test_scope_beyond_tasks(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	/* The report tree links each problem item to its task only for callers
	 * who can see that task. */
	const struct who *ws[] = {&G.admin, &G.hand1, &G.hand2};
	const int linked[] = {12, 12, 0};
	for (size_t k = 0; k < ARRAY_LEN(ws); k++) {
		struct report r;
		assert_int_equal(store_report_get(st, ws[k], 1, &r, NULL), RC_OK);
		int n = 0;
		for (size_t i = 0; i < r.n_nodes; i++) {
			n += r.nodes[i].task_id != 0;
			if (r.nodes[i].task_id) {
				struct task t;
				assert_int_equal(store_task_get(st, ws[k], r.nodes[i].task_id, G.today, &t,
								NULL), RC_OK);
				task_release(&t);
			}
		}
		assert_int_equal(n, linked[k]);
		report_release(&r);
	}
	/* Task counts per unit and per campaign. */
	const int counted[] = {13, 13, 0};
	for (size_t k = 0; k < ARRAY_LEN(ws); k++) {
		struct unit_list ul;
		assert_int_equal(store_unit_list(st, ws[k], &ul, NULL), RC_OK);
		int n = 0;
		for (size_t i = 0; i < ul.n; i++)
			n += ul.v[i].n_tasks;
		assert_int_equal(n, counted[k]);
		unit_list_release(&ul);
		struct campaign_list cl;
		assert_int_equal(store_campaign_list(st, ws[k], &cl, NULL), RC_OK);
		assert_int_equal(cl.n, 1);
		assert_int_equal(cl.v[0].n_tasks, counted[k]);
		assert_int_equal(cl.v[0].n_open, counted[k]);
		campaign_list_release(&cl);
		assert_int_equal(store_campaign_get(st, ws[k], 1, &cl, NULL), RC_OK);
		assert_int_equal(cl.v[0].n_tasks, counted[k]);
		campaign_list_release(&cl);
	}
	store_close(st);
}

/* What 台账 prints beside its rows: each task's problem, measures and
 * latest progress, for the caller's tasks only. */
static void test_task_briefs(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, 1, G.today, &t, NULL), RC_OK);
	assert_true(t.n_measures > 0);
	int64_t ids[] = {1, 2};
	struct task_brief_list bl;
	assert_int_equal(store_task_briefs(st, &G.admin, ids, 2, &bl, NULL), RC_OK);
	assert_int_equal(bl.n, 2);
	assert_int_equal(bl.v[0].id, 1);
	assert_int_equal(bl.v[1].id, 2);
	assert_non_null(strstr(bl.v[0].measures, t.measures[0].text));
	assert_true(*bl.v[0].problem);
	assert_string_equal(bl.v[0].progress, "");
	assert_int_equal(bl.v[0].progress_day, STORE_NO_DAY);
	task_brief_list_release(&bl);
	task_release(&t);
	/* The latest of two entries. */
	struct err e = {0};
	for (int k = 0; k < 2; k++)
		assert_int_equal(store_task_progress(st, &G.lead1, 1, version_of(st, 1),
						     k ? "第二次进展" : "第一次进展", NULL, 0, G.today + k,
						     NULL, NULL, &e), RC_OK);
	assert_int_equal(store_task_briefs(st, &G.admin, ids, 1, &bl, NULL), RC_OK);
	assert_string_equal(bl.v[0].progress, "第二次进展");
	assert_int_equal(bl.v[0].progress_day, G.today + 1);
	task_brief_list_release(&bl);
	/* Outside a handler's units: nothing. */
	assert_int_equal(store_task_briefs(st, &G.hand2, ids, 2, &bl, NULL), RC_OK);
	assert_string_equal(bl.v[0].measures, "");
	assert_string_equal(bl.v[0].problem, "");
	assert_string_equal(bl.v[0].progress, "");
	task_brief_list_release(&bl);
	store_close(st);
}

/* A commitment belongs to the measure whose text states it. */
static void test_commitment_measure(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct commitment_list cl;
	assert_int_equal(store_commitment_list(st, &G.admin, 0, G.today, &cl, NULL), RC_OK);
	assert_true(cl.n > 0);
	for (size_t i = 0; i < cl.n; i++) {
		int64_t node = 0;
		assert_int_equal(store_commitment_measure(st, &G.hand2, cl.v[i].id, &node, NULL), RC_OK);
		struct report r;
		assert_int_equal(store_report_get(st, &G.admin, cl.v[i].report_id, &r, NULL), RC_OK);
		const struct report_node *n = NULL;
		for (size_t k = 0; k < r.n_nodes; k++)
			if (r.nodes[k].id == node)
				n = &r.nodes[k];
		assert_non_null(n);
		assert_int_equal(n->role, DOC_ROLE_MEASURES);
		assert_true(commitment_in_measure(cl.v[i].text, n->text));
		report_release(&r);
	}
	commitment_list_release(&cl);
	int64_t node = 7;
	struct err e = {0};
	assert_int_equal(store_commitment_measure(st, &G.admin, 9999, &node, &e), RC_NOTFOUND);
	assert_string_equal(e.code, STORE_E_NO_COMMITMENT);
	assert_int_equal(node, 0);
	assert_false(commitment_in_measure("", "任何措施"));
	store_close(st);
}

/* ---- writes that must not happen ------------------------------------------------------ */

/* An assignment that keeps everything is refused rather than recorded (it
 * would bump the version and add an "assign" event for nothing); a backup is
 * never renamed over the database it copies. */
static void test_refused_without_writing(void **state)
{
	(void)state;
	char path[160];
	db_path(path, sizeof path, "self.db");
	struct store *st = copy_file(G.tmpl, path);
	int64_t v = version_of(st, 2);
	struct task_assign a = {0};
	struct err e = {0};
	assert_int_equal(store_task_assign(st, &G.admin, 2, v, &a, G.today, NULL, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "nothing to assign"));
	a.leader_id = -7;
	assert_int_equal(store_task_assign(st, &G.admin, 2, v, &a, G.today, NULL, &e), RC_INVALID);
	assert_int_equal(version_of(st, 2), v);
	if (test_on_pg()) {
		printf("skip on PostgreSQL: a backup over the database itself (the backup of a"
		       " ledger on PostgreSQL is a SQLite file)\n");
	} else {
		assert_int_equal(store_backup(st, path, &e), RC_INVALID);
		assert_non_null(strstr(e.msg, "database itself"));
		assert_int_equal(store_restore(path, path, &e), RC_INVALID);
	}
	verify_ok(st);
	store_close(st);
}

/* ---- the transaction runner's retry ------------------------------------------------ */

/* A reader that holds a shared lock on a rollback-journal database until
 * the writer's busy handler is first called: the writer's COMMIT then fails
 * once with SQLITE_BUSY and store_tx() runs the whole transaction again. */
static struct {
	sqlite3 *reader;
	int calls;
} busy_once_state;

static int busy_once_handler(void *arg, int n)
{
	(void)arg;
	(void)n;
	busy_once_state.calls++;
	if (busy_once_state.reader) {
		sqlite3_exec(busy_once_state.reader, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(busy_once_state.reader);
		busy_once_state.reader = NULL;
	}
	return 0; /* give up now: SQLITE_BUSY */
}

static struct store *busy_once_db(const char *path)
{
	struct store *st = copy_file(G.tmpl, path);
	assert_int_equal(sqlite3_exec(st->db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL),
			 SQLITE_OK);
	return st;
}

static void busy_once_arm(struct store *st, const char *path)
{
	busy_once_state.calls = 0;
	assert_int_equal(sqlite3_open_v2(path, &busy_once_state.reader, SQLITE_OPEN_READONLY,
					 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(busy_once_state.reader,
				      "BEGIN; SELECT count(*) FROM task", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_busy_handler(st->db, busy_once_handler, NULL);
}

/* A retried transaction writes what one run writes: evidence handed over as
 * an open file is read again from where it started, and the counts a write
 * reports are not added up over the attempts. */
static void test_tx_retry_is_idempotent(void **state)
{
	(void)state;
	SKIP_ON_PG("SQLITE_BUSY made once by a reader's lock on a rollback-journal file");
	char path[160];
	snprintf(path, sizeof path, "%s/retry.db", G.dir);
	struct store *st = busy_once_db(path);
	int fd = open(G.evidence, O_RDONLY);
	assert_true(fd >= 0);
	struct evidence_in ev = {"会议记录.txt", "text/plain", fd, NULL};
	busy_once_arm(st, path);
	struct err e = {0};
	assert_int_equal(store_task_progress(st, &G.lead1, 1, version_of(st, 1), "附件", &ev, 1,
					     G.today, NULL, NULL, &e), RC_OK);
	assert_int_equal(busy_once_state.calls, 1);
	close(fd);
	struct task t;
	assert_int_equal(store_task_get(st, &G.lead1, 1, G.today, &t, NULL), RC_OK);
	assert_int_equal(t.n_progress, 1);
	assert_int_equal(t.progress[0].n_evidence, 1);
	assert_int_equal(t.progress[0].evidence[0].size, 16);
	char hex[65];
	util_sha256_hex("meeting minutes\n", 16, hex);
	assert_string_equal(t.progress[0].evidence[0].sha256, hex);
	task_release(&t);
	/* An import retried reports its tasks once. */
	struct doc *d;
	static const char rep[] = "某局对照检查材料\n\n一、存在的问题\n\n（一）学习方面\n\n"
				  "一是学习不深。比如，全年只学习2次。\n\n二是调研不够。\n\n"
				  "二、整改措施\n\n（一）加强学习，2024年6月底前完成。\n";
	assert_int_equal(doc_parse_text(rep, strlen(rep), &d, NULL), RC_OK);
	struct report_import in = {0};
	struct import_result res;
	busy_once_arm(st, path);
	assert_int_equal(store_report_import(st, &G.admin, d, &in, G.today, &res, &e), RC_OK);
	doc_free(d);
	assert_int_equal(busy_once_state.calls, 1);
	assert_int_equal(res.n_tasks, 2);
	assert_int_equal(res.n_measures, 1);
	/* Carry-over too. */
	struct campaign_new cn = {0};
	cn.year = 2025;
	cn.title = "2025年整改";
	cn.started = STORE_NO_DAY;
	cn.carry_from = 1;
	int carried = 0;
	busy_once_arm(st, path);
	assert_int_equal(store_campaign_new(st, &G.admin, &cn, G.today, NULL, &carried, &e), RC_OK);
	assert_int_equal(busy_once_state.calls, 1);
	assert_int_equal(carried, 15);
	/* And a spreadsheet ledger. */
	struct ledger_row row = {0};
	row.problem = "台账里的问题。";
	row.measures = "第一条措施。\n第二条措施。";
	busy_once_arm(st, path);
	assert_int_equal(store_ledger_import(st, &G.admin, 0, &row, 1, "再导入.xlsx", 0, G.today,
					     &res, &e), RC_OK);
	assert_int_equal(busy_once_state.calls, 1);
	assert_int_equal(res.n_tasks, 1);
	assert_int_equal(res.n_measures, 2);
	sqlite3_busy_timeout(st->db, 5000);
	verify_ok(st);
	store_close(st);
}

/* ---- 催办 and notifications ------------------------------------------------------- */

/* The events of w's inbox, newest first, as "event,event,…". */
static void inbox_of(struct store *st, const struct who *w, char *out, size_t n,
		     int64_t *unread)
{
	struct notification_list l;
	assert_int_equal(store_notify_list(st, w, 0, NOTIFY_PAGE_MAX, &l, NULL), RC_OK);
	out[0] = '\0';
	for (size_t i = 0; i < l.n; i++)
		snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? "," : "", l.v[i].event);
	if (unread)
		assert_int_equal(store_notify_unread(st, w, unread, NULL), RC_OK);
	notification_list_release(&l);
}

static size_t attention_n(struct store *st, const struct who *w, enum attention k)
{
	struct task_list l;
	assert_int_equal(store_task_attention(st, w, k, G.today, &l, NULL), RC_OK);
	size_t n = l.n;
	task_list_release(&l);
	return n;
}

static void test_urge(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int64_t id = G.t_dated;
	struct err e = {0};
	char box[512];
	/* Rule W17: the office and reviewers only. */
	const struct who *no[] = {&G.lead1, &G.hand1, &G.obs};
	for (size_t i = 0; i < ARRAY_LEN(no); i++) {
		assert_int_equal(store_task_urge(st, no[i], id, version_of(st, id), NULL, G.today,
						 NULL, &e), RC_DENIED);
		assert_string_equal(e.code, i == 2 ? STORE_E_W14_OBSERVER : STORE_E_W17_ROLE);
	}
	inbox_of(st, &G.lead1, box, sizeof box, NULL);
	assert_string_equal(box, "");
	/* A stale version writes nothing, notification included. */
	int64_t v = version_of(st, id);
	assert_int_equal(store_task_urge(st, &G.admin, id, v - 1, "x", G.today, NULL, &e),
			 RC_CONFLICT);
	inbox_of(st, &G.lead1, box, sizeof box, NULL);
	assert_string_equal(box, "");
	int64_t nv = 0;
	assert_int_equal(store_task_urge(st, &G.admin, id, v, "请本周内报送进展", G.today, &nv, &e),
			 RC_OK);
	assert_int_equal(nv, v + 1);
	/* The banner: who, when, the message. */
	struct task t;
	assert_int_equal(store_task_get(st, &G.lead1, id, G.today, &t, NULL), RC_OK);
	assert_non_null(t.urge);
	assert_string_equal(t.urge->action, "urge");
	assert_string_equal(t.urge->actor, "办公室");
	assert_string_equal(t.urge->reason, "请本周内报送进展");
	assert_null(t.returned);
	task_release(&t);
	assert_int_equal(attention_n(st, &G.lead1, ATTN_URGED), 1);
	assert_int_equal(attention_n(st, &G.lead2, ATTN_URGED), 0);
	assert_int_equal(attention_n(st, &G.hand1, ATTN_URGED), 1);
	assert_int_equal(attention_n(st, &G.hand2, ATTN_URGED), 0);
	/* The leader and the handler who sees the task are told; not the one
	 * who urged, nor anyone else. */
	int64_t unread;
	inbox_of(st, &G.lead1, box, sizeof box, &unread);
	assert_string_equal(box, "urged");
	assert_int_equal(unread, 1);
	inbox_of(st, &G.hand1, box, sizeof box, NULL);
	assert_string_equal(box, "urged");
	const struct who *none[] = {&G.admin, &G.lead2, &G.hand2, &G.rev, &G.obs};
	for (size_t i = 0; i < ARRAY_LEN(none); i++) {
		inbox_of(st, none[i], box, sizeof box, NULL);
		assert_string_equal(box, "");
	}
	struct notification_list l;
	assert_int_equal(store_notify_list(st, &G.lead1, 0, 10, &l, NULL), RC_OK);
	assert_int_equal(l.v[0].task_id, id);
	assert_non_null(strstr(l.v[0].text, "第 1 项"));
	assert_non_null(strstr(l.v[0].text, "请本周内报送进展"));
	assert_non_null(strstr(l.v[0].text, "办公室"));
	assert_false(l.v[0].read);
	notification_list_release(&l);
	/* A reviewer may urge too; the history holds both. */
	assert_int_equal(store_task_urge(st, &G.rev, id, version_of(st, id), "", G.today, NULL, &e),
			 RC_OK);
	assert_int_equal(store_task_get(st, &G.lead1, id, G.today, &t, NULL), RC_OK);
	assert_string_equal(t.urge->actor, "王五");
	assert_string_equal(t.urge->reason, "");
	int urges = 0;
	for (size_t i = 0; i < t.n_events; i++)
		urges += strcmp(t.events[i].action, "urge") == 0;
	assert_int_equal(urges, 2);
	task_release(&t);
	/* The leader acts: the banner and the group are gone. */
	assert_int_equal(act(st, &G.hand1, id, TACT_PROGRESS), RC_OK);
	assert_int_equal(store_task_get(st, &G.lead1, id, G.today, &t, NULL), RC_OK);
	assert_null(t.urge);
	task_release(&t);
	assert_int_equal(attention_n(st, &G.lead1, ATTN_URGED), 0);
	/* ... and the leader heard of the handler's progress. */
	inbox_of(st, &G.lead1, box, sizeof box, NULL);
	assert_string_equal(box, "progress,urged,urged");
	/* A task under review is not urged. */
	assert_int_equal(act(st, &G.lead1, id, TACT_SUBMIT), RC_OK);
	assert_int_equal(store_task_urge(st, &G.admin, id, version_of(st, id), NULL, G.today, NULL,
					 &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_W17_STATUS);
	/* In the audit chain. */
	struct audit_list al;
	assert_int_equal(store_audit_list(st, &G.admin, "task", id, 50, &al, NULL), RC_OK);
	int logged = 0;
	for (size_t i = 0; i < al.n; i++)
		logged += strcmp(al.v[i].action, "urge") == 0;
	assert_int_equal(logged, 2);
	audit_list_release(&al);
	verify_ok(st);
	store_close(st);
}

/* ---- bulk actions ---------------------------------------------------------------- */

/* refs[i] = {ids[i], its version now} */
static void refs_of(struct store *st, const int64_t *ids, size_t n, struct task_ref *refs)
{
	for (size_t i = 0; i < n; i++)
		refs[i] = (struct task_ref){ids[i], version_of(st, ids[i])};
}

static int64_t audit_rows(struct store *st)
{
	return qint(st, "SELECT count(*) FROM audit");
}

static void test_bulk(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	struct task_bulk_result res;
	char box[512];
	/* 催办 of three tasks: each gets its own audit row, history event and
	 * notifications, as three single 催办 would. */
	int64_t ids[] = {2, 3, 4};
	struct task_ref refs[3];
	refs_of(st, ids, 3, refs);
	struct task_bulk b = {0};
	b.action = TACT_URGE;
	b.message = "请本周内报送进展";
	b.tasks = refs;
	b.n = 3;
	int64_t before = audit_rows(st);
	assert_int_equal(store_task_bulk(st, &G.admin, &b, G.today, &res, &e), RC_OK);
	assert_int_equal(res.n, 3);
	assert_int_equal(res.n_bad, 0);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(res.v[i].id, ids[i]);
		assert_int_equal(res.v[i].seq, (int)ids[i]);
		assert_int_equal(res.v[i].version, refs[i].version + 1);
		assert_int_equal(version_of(st, ids[i]), refs[i].version + 1);
		assert_int_equal(qint(st, "SELECT count(*) FROM audit WHERE entity = 'task' AND"
					  " entity_id = %lld AND action = 'urge'", (long long)ids[i]),
				 1);
		assert_int_equal(qint(st, "SELECT count(*) FROM task_event WHERE task_id = %lld AND"
					  " action = 'urge' AND reason = '请本周内报送进展'",
				      (long long)ids[i]), 1);
	}
	task_bulk_result_release(&res);
	/* a task row and an event row each, nothing else */
	assert_int_equal(audit_rows(st), before + 6);
	inbox_of(st, &G.lead1, box, sizeof box, NULL);
	assert_string_equal(box, "urged,urged,urged");
	inbox_of(st, &G.hand1, box, sizeof box, NULL);
	assert_string_equal(box, "urged,urged,urged");
	inbox_of(st, &G.admin, box, sizeof box, NULL);
	assert_string_equal(box, "");
	assert_int_equal(attention_n(st, &G.lead1, ATTN_URGED), 3);

	/* One task changed since it was read: nothing is applied, and the
	 * refusal names it by its number. */
	int64_t ids2[] = {5, 6, 7};
	refs_of(st, ids2, 3, refs);
	refs[1].version--;
	struct task_bulk a = {0};
	a.action = TACT_ASSIGN;
	a.assign.unit_id = G.unit_b;
	a.tasks = refs;
	a.n = 3;
	before = audit_rows(st);
	assert_int_equal(store_task_bulk(st, &G.admin, &a, G.today, &res, &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_STALE);
	assert_non_null(strstr(e.msg, "第 6 项"));
	assert_null(strstr(e.msg, "第 5 项"));
	assert_null(strstr(e.msg, "第 7 项"));
	assert_int_equal(res.n_bad, 1);
	assert_int_equal(res.v[0].rc, RC_OK);
	assert_int_equal(res.v[1].rc, RC_CONFLICT);
	assert_string_equal(res.v[1].code, STORE_E_STALE);
	assert_int_equal(res.v[2].rc, RC_OK);
	task_bulk_result_release(&res);
	assert_int_equal(audit_rows(st), before);
	assert_int_equal(version_of(st, 5), refs[0].version);
	assert_int_equal(qint(st, "SELECT count(*) FROM task WHERE unit_id = %lld",
			      (long long)G.unit_b), 0);
	inbox_of(st, &G.hand2, box, sizeof box, NULL);
	assert_string_equal(box, "");
	/* With the versions as they are, the unit's handler hears of each. */
	refs[1].version++;
	assert_int_equal(store_task_bulk(st, &G.admin, &a, G.today, &res, &e), RC_OK);
	task_bulk_result_release(&res);
	assert_int_equal(qint(st, "SELECT count(*) FROM task WHERE unit_id = %lld",
			      (long long)G.unit_b), 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(qint(st, "SELECT count(*) FROM audit WHERE entity = 'task' AND"
					  " entity_id = %lld AND action = 'assign'",
				      (long long)ids2[i]), 2); /* the setup's and this one */
	inbox_of(st, &G.hand2, box, sizeof box, NULL);
	assert_string_equal(box, "assigned,assigned,assigned");

	/* Permissions are the single actions': reviewers urge but do not
	 * assign; leaders, handlers and observers do neither.  Every task is
	 * named, none is changed. */
	int64_t ids3[] = {8, 9};
	refs_of(st, ids3, 2, refs);
	a.tasks = refs;
	a.n = 2;
	before = audit_rows(st);
	assert_int_equal(store_task_bulk(st, &G.rev, &a, G.today, &res, &e), RC_DENIED);
	assert_string_equal(e.code, STORE_E_W1_ROLE);
	assert_non_null(strstr(e.msg, "第 8 项、第 9 项"));
	assert_int_equal(res.n_bad, 2);
	task_bulk_result_release(&res);
	b.tasks = refs;
	b.n = 2;
	const struct who *no[] = {&G.lead1, &G.hand1, &G.obs};
	for (size_t i = 0; i < ARRAY_LEN(no); i++) {
		assert_int_equal(store_task_bulk(st, no[i], &b, G.today, &res, &e), RC_DENIED);
		assert_string_equal(e.code, i == 2 ? STORE_E_W14_OBSERVER : STORE_E_W17_ROLE);
		task_bulk_result_release(&res);
	}
	assert_int_equal(audit_rows(st), before);
	/* A task under review is not urged: named, and the other is not urged
	 * either. */
	drive_to(st, 9, TASK_SUBMITTED);
	refs_of(st, ids3, 2, refs);
	before = audit_rows(st);
	assert_int_equal(store_task_bulk(st, &G.rev, &b, G.today, &res, &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_W17_STATUS);
	assert_non_null(strstr(e.msg, "第 9 项"));
	assert_null(strstr(e.msg, "第 8 项"));
	assert_int_equal(res.v[0].rc, RC_OK);
	assert_int_equal(res.v[1].rc, RC_CONFLICT);
	task_bulk_result_release(&res);
	assert_int_equal(audit_rows(st), before);
	assert_int_equal(version_of(st, 8), refs[0].version);
	/* A handler does not learn of tasks outside their units: not found. */
	int64_t ids4[] = {1};
	refs_of(st, ids4, 1, refs);
	b.n = 1;
	assert_int_equal(store_task_bulk(st, &G.hand2, &b, G.today, &res, &e), RC_NOTFOUND);
	assert_int_equal(res.v[0].seq, 0);
	assert_string_equal(res.v[0].lead, "");
	task_bulk_result_release(&res);

	/* The confirmation step checks everything and writes nothing. */
	refs_of(st, ids4, 1, refs);
	b.check_only = 1;
	before = audit_rows(st);
	int64_t unread;
	inbox_of(st, &G.lead1, box, sizeof box, &unread);
	assert_int_equal(store_task_bulk(st, &G.admin, &b, G.today, &res, &e), RC_OK);
	assert_int_equal(res.v[0].version, refs[0].version);
	assert_int_equal(res.v[0].seq, 1);
	assert_true(strlen(res.v[0].lead) > 0);
	task_bulk_result_release(&res);
	assert_int_equal(audit_rows(st), before);
	assert_int_equal(version_of(st, 1), refs[0].version);
	int64_t unread2;
	inbox_of(st, &G.lead1, box, sizeof box, &unread2);
	assert_int_equal(unread2, unread);
	b.check_only = 0;

	/* The bound, an empty set, a task named twice: refused before anything. */
	struct task_ref *many = xcalloc(TASK_BULK_MAX + 1, sizeof *many);
	for (size_t i = 0; i <= TASK_BULK_MAX; i++)
		many[i] = (struct task_ref){(int64_t)i + 1, 1};
	b.tasks = many;
	b.n = TASK_BULK_MAX + 1;
	assert_int_equal(store_task_bulk(st, &G.admin, &b, G.today, &res, &e), RC_TOOBIG);
	assert_string_equal(e.code, STORE_E_BULK_SIZE);
	b.n = 0;
	assert_int_equal(store_task_bulk(st, &G.admin, &b, G.today, &res, &e), RC_INVALID);
	assert_string_equal(e.code, STORE_E_BULK);
	many[1].id = 1;
	b.n = 2;
	assert_int_equal(store_task_bulk(st, &G.admin, &b, G.today, &res, &e), RC_INVALID);
	assert_string_equal(e.code, STORE_E_BULK);
	free(many);
	assert_int_equal(audit_rows(st), before);

	/* "All of this filter": the set must be what the filter matches now. */
	struct task_filter f = TASK_FILTER_INIT;
	f.unit_id = G.unit_b;
	int64_t ids5[] = {5, 6};
	refs_of(st, ids5, 2, refs);
	b.tasks = refs;
	b.n = 2;
	b.filter = &f;
	assert_int_equal(store_task_bulk(st, &G.admin, &b, G.today, &res, &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_STALE);
	assert_non_null(strstr(e.msg, "第 7 项"));
	assert_int_equal(res.n, 3);
	assert_int_equal(res.v[2].id, 7);
	assert_false(res.v[2].confirmed);
	task_bulk_result_release(&res);
	assert_int_equal(audit_rows(st), before);
	int64_t ids6[] = {5, 6, 7};
	refs_of(st, ids6, 3, refs);
	b.n = 3;
	assert_int_equal(store_task_bulk(st, &G.admin, &b, G.today, &res, &e), RC_OK);
	task_bulk_result_release(&res);
	assert_int_equal(qint(st, "SELECT count(*) FROM audit WHERE entity = 'task' AND"
				  " entity_id IN (5, 6, 7) AND action = 'urge'"), 3);
	/* An assignment that moves tasks out of the filter is checked against
	 * the filter before it writes. */
	refs_of(st, ids6, 3, refs);
	a.tasks = refs;
	a.n = 3;
	a.filter = &f;
	a.assign.unit_id = G.unit_a;
	assert_int_equal(store_task_bulk(st, &G.admin, &a, G.today, &res, &e), RC_OK);
	task_bulk_result_release(&res);
	assert_int_equal(qint(st, "SELECT count(*) FROM task WHERE unit_id = %lld",
			      (long long)G.unit_b), 0);
	verify_ok(st);
	store_close(st);
}

static void test_returned_and_notifications(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int64_t id = G.t_dated;
	struct err e = {0};
	char box[512];
	drive_to(st, id, TASK_SUBMITTED);
	/* 申请销号 reaches the reviewers. */
	inbox_of(st, &G.rev, box, sizeof box, NULL);
	assert_string_equal(box, "submitted");
	assert_int_equal(store_task_act(st, &G.rev, id, version_of(st, id), TACT_RETURN,
					"佐证材料不足", G.today, NULL, &e), RC_OK);
	struct task t;
	assert_int_equal(store_task_get(st, &G.hand1, id, G.today, &t, NULL), RC_OK);
	assert_non_null(t.returned);
	assert_string_equal(t.returned->actor, "王五");
	assert_string_equal(t.returned->reason, "佐证材料不足");
	assert_non_null(t.returned->at);
	task_release(&t);
	assert_int_equal(attention_n(st, &G.lead1, ATTN_RETURNED), 1);
	assert_int_equal(attention_n(st, &G.hand1, ATTN_RETURNED), 1);
	assert_int_equal(attention_n(st, &G.lead2, ATTN_RETURNED), 0);
	struct notification_list l;
	assert_int_equal(store_notify_list(st, &G.lead1, 0, 10, &l, NULL), RC_OK);
	assert_string_equal(l.v[0].event, "returned");
	assert_non_null(strstr(l.v[0].text, "佐证材料不足"));
	int64_t first = l.v[0].id;
	notification_list_release(&l);
	/* Progress keeps the banner; submitting again ends it. */
	assert_int_equal(act(st, &G.lead1, id, TACT_PROGRESS), RC_OK);
	assert_int_equal(attention_n(st, &G.lead1, ATTN_RETURNED), 1);
	assert_int_equal(act(st, &G.lead1, id, TACT_SUBMIT), RC_OK);
	assert_int_equal(store_task_get(st, &G.lead1, id, G.today, &t, NULL), RC_OK);
	assert_null(t.returned);
	task_release(&t);
	assert_int_equal(attention_n(st, &G.lead1, ATTN_RETURNED), 0);
	assert_int_equal(act(st, &G.rev, id, TACT_APPROVE), RC_OK);
	inbox_of(st, &G.lead1, box, sizeof box, NULL);
	assert_string_equal(box, "approved,returned");
	inbox_of(st, &G.hand1, box, sizeof box, NULL);
	assert_string_equal(box, "approved,returned");
	/* Reading: one's own only. */
	int changed = -1;
	assert_int_equal(store_notify_read(st, &G.lead2, &first, 1, 0, &changed, NULL), RC_OK);
	assert_int_equal(changed, 0);
	int64_t unread;
	inbox_of(st, &G.lead1, box, sizeof box, &unread);
	assert_int_equal(unread, 2);
	assert_int_equal(store_notify_read(st, &G.lead1, &first, 1, 0, &changed, NULL), RC_OK);
	assert_int_equal(changed, 1);
	inbox_of(st, &G.lead1, box, sizeof box, &unread);
	assert_int_equal(unread, 1);
	inbox_of(st, &G.hand1, box, sizeof box, &unread);
	assert_int_equal(unread, 2);
	assert_int_equal(store_notify_read(st, &G.lead1, NULL, 0, 1, &changed, NULL), RC_OK);
	assert_int_equal(changed, 1);
	inbox_of(st, &G.lead1, box, sizeof box, &unread);
	assert_int_equal(unread, 0);
	assert_int_equal(store_notify_list(st, &G.lead1, 0, 0, &l, &e), RC_INVALID);
	notification_list_release(&l);
	/* Reading is no change of the ledger. */
	uint64_t g = store_generation(st, NULL);
	assert_int_equal(store_notify_read(st, &G.hand1, NULL, 0, 1, &changed, NULL), RC_OK);
	assert_int_equal(store_generation(st, NULL), g);
	verify_ok(st);
	store_close(st);
}

static void test_notify_scope(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	int64_t id = 2;
	char box[512];
	/* Assigned to 乙局: 孙七 (its handler) and 赵六 are told. */
	struct task_assign a = {0};
	a.leader_id = G.lead2.user_id;
	a.unit_id = G.unit_b;
	assert_int_equal(store_task_assign(st, &G.admin, id, version_of(st, id), &a, G.today,
					   NULL, NULL), RC_OK);
	inbox_of(st, &G.hand2, box, sizeof box, NULL);
	assert_string_equal(box, "assigned");
	inbox_of(st, &G.lead2, box, sizeof box, NULL);
	assert_string_equal(box, "assigned");
	/* A goal alone tells no one. */
	struct task_assign g = {0};
	g.goal = "新目标";
	assert_int_equal(store_task_assign(st, &G.admin, id, version_of(st, id), &g, G.today,
					   NULL, NULL), RC_OK);
	inbox_of(st, &G.lead2, box, sizeof box, NULL);
	assert_string_equal(box, "assigned");
	/* Moved back to 甲局一科: 孙七 no longer sees the task, nor what he
	 * was told of it. */
	a.leader_id = G.lead1.user_id;
	a.unit_id = G.unit_a1;
	assert_int_equal(store_task_assign(st, &G.admin, id, version_of(st, id), &a, G.today,
					   NULL, NULL), RC_OK);
	int64_t unread;
	inbox_of(st, &G.hand2, box, sizeof box, &unread);
	assert_string_equal(box, "");
	assert_int_equal(unread, 0);
	/* Extensions: requested to the reviewers, decided to the people. */
	assert_int_equal(act(st, &G.lead1, G.t_dated, TACT_EXTEND), RC_OK);
	inbox_of(st, &G.rev, box, sizeof box, NULL);
	assert_string_equal(box, "extension_requested");
	assert_int_equal(act(st, &G.rev, G.t_dated, TACT_EXTEND_DECIDE), RC_OK);
	inbox_of(st, &G.lead1, box, sizeof box, NULL);
	assert_string_equal(box, "extension_decided,assigned");
	verify_ok(st);
	store_close(st);
}

static void test_notify_sweep(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct task t;
	assert_int_equal(store_task_get(st, &G.admin, G.t_dated, G.today, &t, NULL), RC_OK);
	int32_t dl = t.deadline;
	task_release(&t);
	assert_true(dl != STORE_NO_DAY);
	char box[512];
	int made = -1;
	/* Long before: nothing. */
	assert_int_equal(store_notify_sweep(st, dl - 30, &made, NULL), RC_OK);
	/* Within due_days (7): due, once a day and once per deadline. */
	assert_int_equal(store_notify_sweep(st, dl - 3, &made, NULL), RC_OK);
	assert_int_equal(made, 7);
	assert_int_equal(store_notify_sweep(st, dl - 3, &made, NULL), RC_OK);
	assert_int_equal(made, 0);
	assert_int_equal(store_notify_sweep(st, dl - 2, &made, NULL), RC_OK);
	struct notification_list l;
	assert_int_equal(store_notify_list(st, &G.lead1, 0, NOTIFY_PAGE_MAX, &l, NULL), RC_OK);
	int due = 0;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].task_id == G.t_dated) {
			assert_string_equal(l.v[i].event, "due");
			assert_non_null(strstr(l.v[i].text, "还有 3 天"));
			due++;
		}
	assert_int_equal(due, 1);
	notification_list_release(&l);
	/* Past it: overdue, once. */
	assert_int_equal(store_notify_sweep(st, dl + 1, &made, NULL), RC_OK);
	assert_int_equal(made, 7);
	assert_int_equal(store_notify_sweep(st, dl + 5, &made, NULL), RC_OK);
	assert_int_equal(store_notify_list(st, &G.lead1, 0, NOTIFY_PAGE_MAX, &l, NULL), RC_OK);
	int over = 0;
	for (size_t i = 0; i < l.n; i++)
		over += l.v[i].task_id == G.t_dated && strcmp(l.v[i].event, "overdue") == 0;
	assert_int_equal(over, 1);
	notification_list_release(&l);
	/* Observers are told of no task, only of the audit chain's head, once
	 * per day swept (dl - 30, dl - 3, dl - 2, dl + 1, dl + 5). */
	inbox_of(st, &G.obs, box, sizeof box, NULL);
	assert_string_equal(box, "audit_head,audit_head,audit_head,audit_head,audit_head");
	inbox_of(st, &G.admin, box, sizeof box, NULL);
	assert_null(strstr(box, "audit_head"));
	verify_ok(st);
	store_close(st);
}

/* The day's sweep gives each observer the audit chain's head as it is then:
 * a witness outside the database, in the inbox and by e-mail, never by the
 * group webhook. */
static void test_notify_head(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	assert_int_equal(store_user_email(st, &G.admin, G.obs.user_id, 0, "zhou@example.cn", NULL,
					  &e), RC_OK);
	assert_int_equal(store_text_setting_set(st, &G.admin, TSET_WEBHOOK_URL,
						"http://127.0.0.1:9/hook", 0, NULL, &e), RC_OK);
	char head[STORE_HEAD_LEN];
	assert_int_equal(store_audit_head(st, head, &e), RC_OK);
	assert_true(head[0] != '\0');
	int made = 0;
	assert_int_equal(store_notify_sweep(st, G.today, &made, &e), RC_OK);
	assert_int_equal(made, 1);
	struct notification_list l;
	assert_int_equal(store_notify_list(st, &G.obs, 0, NOTIFY_PAGE_MAX, &l, NULL), RC_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].event, "audit_head");
	assert_int_equal(l.v[0].task_id, 0);
	assert_non_null(strstr(l.v[0].text, head));
	notification_list_release(&l);
	struct outbox_list ol;
	assert_int_equal(store_outbox_due(st, INT64_MAX, 100, &ol, NULL), RC_OK);
	int mail = 0, hook = 0;
	for (size_t i = 0; i < ol.n; i++) {
		if (strcmp(ol.v[i].event, "audit_head") != 0)
			continue;
		assert_string_equal(ol.v[i].login, "zhou");
		mail += strcmp(ol.v[i].channel, "email") == 0;
		hook += strcmp(ol.v[i].channel, "webhook") == 0;
	}
	assert_int_equal(mail, 1);
	assert_int_equal(hook, 0);
	outbox_list_release(&ol);
	/* The same day again: nothing more. */
	assert_int_equal(store_notify_sweep(st, G.today, &made, &e), RC_OK);
	assert_int_equal(made, 0);
	verify_ok(st);
	store_close(st);
}

static void test_user_email(void **state)
{
	(void)state;
	struct store *st = copy_mem(G.tmpl);
	struct err e = {0};
	int64_t nv;
	assert_int_equal(store_user_email(st, &G.lead2, G.lead1.user_id, 0, "a@b.cn", NULL, &e),
			 RC_DENIED);
	assert_int_equal(store_user_email(st, &G.admin, G.lead1.user_id, 0, "not an address",
					  NULL, &e), RC_INVALID);
	assert_string_equal(e.code, STORE_E_EMAIL);
	assert_int_equal(store_user_email(st, &G.admin, G.lead1.user_id, 0, "zhang@example.cn",
					  &nv, &e), RC_OK);
	assert_int_equal(store_user_email(st, &G.lead1, G.lead1.user_id, nv - 1, "z@example.cn",
					  NULL, &e), RC_CONFLICT);
	assert_int_equal(store_user_email(st, &G.lead1, G.lead1.user_id, nv, "z@example.cn", NULL,
					  &e), RC_OK);
	/* A notification to an addressee goes into the outbox: e-mail to
	 * those with an address, the webhook once it is configured. */
	assert_int_equal(store_task_urge(st, &G.admin, G.t_dated, version_of(st, G.t_dated), NULL,
					 G.today, NULL, &e), RC_OK);
	struct outbox_list ol;
	assert_int_equal(store_outbox_due(st, INT64_MAX, 100, &ol, NULL), RC_OK);
	assert_int_equal(ol.n, 1);
	assert_string_equal(ol.v[0].channel, "email");
	assert_string_equal(ol.v[0].email, "z@example.cn");
	assert_string_equal(ol.v[0].event, "urged");
	outbox_list_release(&ol);
	/* The channels' settings: admin only, checked, the password kept out
	 * of the audit log. */
	assert_int_equal(store_text_setting_set(st, &G.lead1, TSET_WEBHOOK_URL, "http://x/", 0, NULL,
						&e), RC_DENIED);
	assert_int_equal(store_text_setting_set(st, &G.admin, TSET_WEBHOOK_URL, "ftp://x/", 0, NULL,
						&e), RC_INVALID);
	assert_int_equal(store_text_setting_set(st, &G.admin, TSET_WEBHOOK_FORMAT, "xml", 0, NULL,
						&e), RC_INVALID);
	assert_int_equal(store_text_setting_set(st, &G.admin, TSET_WEBHOOK_URL,
						"http://127.0.0.1:9/hook", 0, NULL, &e), RC_OK);
	assert_int_equal(store_text_setting_set(st, &G.admin, TSET_SMTP_PASSWORD, "00123456", 0,
						NULL, &e), RC_OK);
	char *v;
	int64_t ver;
	assert_int_equal(store_text_setting_get(st, TSET_SMTP_PASSWORD, &v, &ver, NULL), RC_OK);
	assert_string_equal(v, "00123456"); /* digits stay text */
	assert_int_equal(ver, 1);
	free(v);
	struct audit_list al;
	assert_int_equal(store_audit_list(st, &G.admin, "setting", 0, 10, &al, NULL), RC_OK);
	for (size_t i = 0; i < al.n; i++)
		assert_null(strstr(al.v[i].after, "00123456"));
	audit_list_release(&al);
	/* zhang turns e-mail off: the inbox still gets it, the outbox only
	 * the webhook. */
	struct user_channels uc;
	assert_int_equal(store_user_channels(st, &G.lead2, G.lead1.user_id, &uc, &e), RC_DENIED);
	assert_int_equal(store_user_channels(st, &G.lead1, G.lead1.user_id, &uc, &e), RC_OK);
	assert_string_equal(uc.email, "z@example.cn");
	assert_int_equal(uc.off, 0);
	assert_int_equal(store_user_channels_set(st, &G.lead1, G.lead1.user_id, uc.version,
						 uc.email, NOTIFY_OFF_EMAIL, NULL, &e), RC_OK);
	assert_int_equal(store_task_urge(st, &G.rev, G.t_dated, version_of(st, G.t_dated), NULL,
					 G.today, NULL, &e), RC_OK);
	assert_int_equal(store_outbox_due(st, INT64_MAX, 100, &ol, NULL), RC_OK);
	int mail = 0, hook = 0;
	for (size_t i = 0; i < ol.n; i++) {
		if (strcmp(ol.v[i].login, "zhang") != 0)
			continue;
		mail += strcmp(ol.v[i].channel, "email") == 0;
		hook += strcmp(ol.v[i].channel, "webhook") == 0;
	}
	assert_int_equal(mail, 1); /* the first urge's only */
	assert_int_equal(hook, 1);
	/* Claimed once: a second claim gets nothing; an interrupted row is
	 * not sent again, but only once it was claimed before the bound (one
	 * claimed since may be on its way out from another server). */
	int claimed;
	assert_int_equal(store_outbox_claim(st, ol.v[0].id, 1000, &claimed, NULL), RC_OK);
	assert_int_equal(claimed, 1);
	assert_int_equal(store_outbox_claim(st, ol.v[0].id, 1001, &claimed, NULL), RC_OK);
	assert_int_equal(claimed, 0);
	int n;
	assert_int_equal(store_outbox_recover(st, 999, &n, NULL), RC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_outbox_recover(st, 1000, &n, NULL), RC_OK);
	assert_int_equal(n, 1);
	int64_t counts[OUTBOX__MAX];
	assert_int_equal(store_outbox_counts(st, counts, NULL), RC_OK);
	assert_int_equal(counts[OUTBOX_INTERRUPTED], 1);
	outbox_list_release(&ol);
	verify_ok(st);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_statement_prepares),
		cmocka_unit_test(test_last_id_failure_pending),
		cmocka_unit_test(test_store_open_migrate),
		cmocka_unit_test(test_schema_upgrade_from_v1),
		cmocka_unit_test(test_schema_upgrade_5_to_6),
		cmocka_unit_test(test_schema_upgrade_6_to_7),
		cmocka_unit_test(test_login_counters),
		cmocka_unit_test(test_staged_uploads),
		cmocka_unit_test(test_versions_units_users_settings),
		cmocka_unit_test(test_last_admin_stays),
		cmocka_unit_test(test_readonly_copy),
		cmocka_unit_test(test_verify_against_recorded_head),
		cmocka_unit_test(test_store_days),
		cmocka_unit_test(test_light_compute_boundaries),
		cmocka_unit_test(test_today_pinned),
		cmocka_unit_test(test_day_time),
		cmocka_unit_test(test_light_filter_matches_compute),
		cmocka_unit_test(test_dashboard_kept_matches_recount),
		cmocka_unit_test_teardown(test_workflow_matrix, test_today_restore),
		cmocka_unit_test_teardown(test_workflow_transitions, test_today_restore),
		cmocka_unit_test(test_stale_version_refused),
		cmocka_unit_test(test_refusal_codes),
		cmocka_unit_test(test_text_limits),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_task_list_filters_sort_pages),
		cmocka_unit_test(test_import_sample),
		cmocka_unit_test(test_import_target),
		cmocka_unit_test(test_import_fixture),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_compliance_from_import), cmocka_unit_test(test_compliance_month_ends_leap_year),
		cmocka_unit_test(test_compliance_members_and_pro_rata),
		cmocka_unit_test(test_pro_rata_year),
		cmocka_unit_test(test_carry_over),
		cmocka_unit_test(test_tree_corrections),
		cmocka_unit_test(test_office_todo),
		cmocka_unit_test(test_stmt_reshapes),
		cmocka_unit_test(test_ledger_names),
		cmocka_unit_test(test_ledger_import),
		cmocka_unit_test(test_ledger_import_units_leaders_closed),
		cmocka_unit_test_teardown(test_dashboard_check_export, test_today_restore),
		cmocka_unit_test(test_users_sessions),
		cmocka_unit_test(test_list_total_follows_writes),
		cmocka_unit_test(test_generation_ignores_sessions),
		cmocka_unit_test(test_generation_and_settings),
		cmocka_unit_test(test_audit_tamper),
		cmocka_unit_test(test_audit_tamper_then_write),
		cmocka_unit_test(test_backup_while_writing),
		cmocka_unit_test(test_tx_retry_is_idempotent),
		cmocka_unit_test(test_review_timing),
		cmocka_unit_test(test_refused_without_writing),
		cmocka_unit_test(test_scope_beyond_tasks),
		cmocka_unit_test(test_task_briefs),
		cmocka_unit_test(test_commitment_measure),
		cmocka_unit_test(test_empty_evidence_refused),
		cmocka_unit_test(test_unit_depth),
		cmocka_unit_test(test_report_tree_order),
		cmocka_unit_test(test_names_are_utf8),
		cmocka_unit_test(test_extend_needs_a_deadline),
		cmocka_unit_test(test_days_in_range),
		cmocka_unit_test(test_report_filename_cleaned),
		cmocka_unit_test(test_urge),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_returned_and_notifications),
		cmocka_unit_test(test_notify_scope),
		cmocka_unit_test(test_notify_sweep),
		cmocka_unit_test(test_notify_head),
		cmocka_unit_test(test_user_email),
	};
	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
