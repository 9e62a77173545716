/*
 * Unit tests of the whole-ledger copy (store_copy.c): its list of tables
 * and columns against the schema, the refusal to copy over a ledger, and
 * the copy with replace.  The copy between engines is tests/it/
 * ledger_migrate.sh's (make it-pg).
 */
#include "testutil.h"

#include <sys/stat.h>

#include "store_int.h"

static char dir[64];

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
	unlink(out);
}

/* Every column of every table of a new ledger is one the copy names, in
 * the schema's order, or the table is one it leaves on purpose. */
static void test_store_copy_columns(void **state)
{
	(void)state;
	char path[128];
	path_in(path, sizeof path, "cols.db");
	struct store *st;
	struct err e = {0};
	assert_int_equal(store_open(path, STORE_CREATE, &st, &e), RC_OK);
	store_close(st);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT m.name, group_concat(CASE WHEN c.name = 'end'"
					    " THEN '\"end\"' ELSE c.name END, ', ')"
					    " FROM sqlite_schema m, pragma_table_info(m.name) c"
					    " WHERE m.type = 'table' GROUP BY m.name ORDER BY m.name",
					    -1, &q, NULL),
			 SQLITE_OK);
	int tables = 0, left = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		const char *cols = (const char *)sqlite3_column_text(q, 1);
		const char *mine = store_copy_columns(name);
		if (!mine)
			fail_msg("table %s is not in the copy's list", name);
		if (!*mine) {
			left++;
			continue;
		}
		if (strcmp(mine, cols) != 0)
			fail_msg("table %s: the copy names (%s), the schema has (%s)", name, mine,
				 cols);
		tables++;
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	/* 19 tables copied row by row and evidence with its bytes; left: the
	 * dashboard's four, meta (copied by key), SQLite's statistics, and
	 * the web servers' failed logins and staged uploads. */
	assert_int_equal(tables, 20);
	assert_int_equal(left, 8);
	assert_null(store_copy_columns("no_such_table"));
}

static void ledger_make(const char *path, const char *unit)
{
	struct store *st;
	struct err e = {0};
	assert_int_equal(store_open(path, STORE_CREATE, &st, &e), RC_OK);
	int64_t id;
	assert_int_equal(store_unit_add(st, &WHO_SYSTEM, unit, 0, &id, &e), RC_OK);
	store_close(st);
}

/* A copy goes into an empty ledger only, unless it replaces; then the
 * target holds the source's rows and nothing of its own. */
static void test_store_copy_replace(void **state)
{
	(void)state;
	char a[128], b[128];
	path_in(a, sizeof a, "a.db");
	path_in(b, sizeof b, "b.db");
	ledger_make(a, "甲局");
	ledger_make(b, "乙局");
	struct store *src, *dst;
	struct err e = {0};
	struct store_copy_result res;
	assert_int_equal(store_open(a, STORE_READONLY, &src, &e), RC_OK);
	assert_int_equal(store_open(b, 0, &dst, &e), RC_OK);
	assert_int_equal(store_copy(src, dst, false, &res, &e), RC_CONFLICT);
	assert_string_equal(e.code, STORE_E_NOT_EMPTY);
	assert_int_equal(store_copy(src, dst, true, &res, &e), RC_OK);
	/* one unit, its unit_tree row, its audit row */
	assert_int_equal(res.rows, 3);
	struct unit_list ul = {0};
	assert_int_equal(store_unit_list(dst, &WHO_SYSTEM, &ul, &e), RC_OK);
	assert_int_equal(ul.n, 1);
	assert_string_equal(ul.v[0].name, "甲局");
	unit_list_release(&ul);
	struct verify_result v;
	assert_int_equal(store_verify(dst, &v, &e), RC_OK);
	assert_true(v.ok);
	/* A read-only target is refused before anything is read. */
	store_close(dst);
	assert_int_equal(store_open(b, STORE_READONLY, &dst, &e), RC_OK);
	assert_int_equal(store_copy(src, dst, true, &res, &e), RC_DB);
	store_close(dst);
	store_close(src);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/rectify-copy-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_copy_columns),
		cmocka_unit_test(test_store_copy_replace),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
