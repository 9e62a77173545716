/*
 * pgtest.h -- the engine the store's unit tests run on, chosen in one place.
 *
 * With $RECTIFY_PG_CLUSTER naming a throwaway PostgreSQL cluster (the
 * directory tools/with-pg.sh starts: `make unit-pg`), the tests' databases
 * are databases of that cluster, each a new one; without it they are
 * SQLite's, in memory or in files, as always.  A test names its database
 * as it would a file:
 *
 *   test_db_at(file, out)    where the database "at file" is: file itself
 *                            on SQLite; on PostgreSQL the URL of the
 *                            database named after the file's last name
 *                            (the same name each time, so a test can open
 *                            it again, as it would the file)
 *   test_db_fresh(out)       a new empty database: ":memory:", or a new
 *                            database of the cluster
 *   test_db_copy(src, dst)   dst becomes a copy of the closed database at
 *                            src (two names test_db_at gave):
 *                            CREATE DATABASE … TEMPLATE on PostgreSQL (a
 *                            connection to src makes it fail), a copy of
 *                            the file (its backup) on SQLite
 *   test_db_drop(db)         the database at db is gone (unlink on SQLite)
 *   test_sql(st, sql)        SQL (in store_sql.h's dialect, translated on
 *                            PostgreSQL; several statements allowed) run
 *                            on the store's own connection, behind the
 *                            program's back
 *   test_sql_at(db, sql)     the same on a connection of its own
 *   test_int(st, sql)        the number a one-number query gives
 *   SKIP_ON_PG(why)          a test about SQLite itself (file modes, WAL,
 *                            the backup API …) says so and is skipped
 *
 *   test_db_scratch(db)      the database at db may go once nothing holds
 *                            it
 *
 * The scratch databases are dropped as soon as nothing holds them, so a
 * run of many copies does not fill the disk; the cluster itself goes when
 * tools/with-pg.sh ends.  The cluster is made with --locale=C.UTF-8, so
 * text compares byte by byte as in SQLite.
 */
#ifndef RECTIFY_PGTEST_H
#define RECTIFY_PGTEST_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "store_int.h"

/* The port tools/pg-cluster.sh gives its clusters (their socket is in the
 * cluster's directory, so clusters of several runs do not meet). */
#define TEST_PG_PORT "55432"

static inline const char *test_pg_cluster(void)
{
	const char *dir = getenv("RECTIFY_PG_CLUSTER");
	return dir && *dir ? dir : NULL;
}

static inline bool test_on_pg(void)
{
	return test_pg_cluster() != NULL;
}

#define SKIP_ON_PG(why)                                                      \
	do {                                                                 \
		if (test_on_pg()) {                                          \
			printf("skip on PostgreSQL: %s\n", (why));           \
			skip();                                              \
		}                                                            \
	} while (0)

/* The connection to the cluster's own database "rectify", from which the
 * tests' databases are made and dropped. */
static PGconn *test_pg_admin_conn;
/* Databases made and not yet dropped. */
static char test_pg_made[64][64];
static int test_pg_n_made;

static inline void test_pg_quiet(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

static inline void test_pg_sweep(void);

static inline void test_pg_admin_close(void)
{
	test_pg_sweep();
	if (test_pg_admin_conn)
		PQfinish(test_pg_admin_conn);
	test_pg_admin_conn = NULL;
}

static inline PGconn *test_pg_admin(void)
{
	if (!test_pg_admin_conn) {
		char info[512];
		snprintf(info, sizeof info, "host=%s port=" TEST_PG_PORT " user=rectify dbname=rectify",
			 test_pg_cluster());
		test_pg_admin_conn = PQconnectdb(info);
		if (PQstatus(test_pg_admin_conn) != CONNECTION_OK)
			fail_msg("cannot reach the test cluster: %s",
				 PQerrorMessage(test_pg_admin_conn));
		PQsetNoticeReceiver(test_pg_admin_conn, test_pg_quiet, NULL);
		atexit(test_pg_admin_close);
	}
	return test_pg_admin_conn;
}

/* Run sql on the admin connection: whether it succeeded (quiet: a failure
 * is expected, as that of dropping a database still open). */
static inline bool test_pg_admin_exec(const char *sql, bool quiet)
{
	PGresult *r = PQexec(test_pg_admin(), sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok && !quiet)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

/* Drop the databases made before that nothing holds any more. */
static inline void test_pg_sweep(void)
{
	int k = 0;
	for (int i = 0; i < test_pg_n_made; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", test_pg_made[i]);
		if (!test_pg_admin_exec(sql, true))
			memmove(test_pg_made[k++], test_pg_made[i], sizeof test_pg_made[i]);
	}
	test_pg_n_made = k;
}

static inline void test_pg_remember(const char *name)
{
	for (int i = 0; i < test_pg_n_made; i++)
		if (strcmp(test_pg_made[i], name) == 0)
			return;
	if (test_pg_n_made < (int)(sizeof test_pg_made / sizeof test_pg_made[0]))
		snprintf(test_pg_made[test_pg_n_made++], sizeof test_pg_made[0], "%s", name);
}

/* The database name of a URL test_db_at gave ("postgresql:///NAME?…"). */
static inline void test_pg_name(const char *url, char *name, size_t n)
{
	const char *p = strstr(url, ":///");
	assert_non_null(p);
	p += 4;
	size_t k = strcspn(p, "?");
	assert_true(k < n);
	memcpy(name, p, k);
	name[k] = '\0';
}

static inline void test_pg_url(const char *name, char *out, size_t n)
{
	snprintf(out, n, "postgresql:///%s?host=%s&port=" TEST_PG_PORT "&user=rectify", name,
		 test_pg_cluster());
}

/* The database "at file" (see the head); nothing is made. */
static inline void test_db_at(const char *file, char *out, size_t n)
{
	if (!test_on_pg()) {
		snprintf(out, n, "%s", file);
		return;
	}
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	char name[64];
	int k = snprintf(name, sizeof name, "t%ld_", (long)getpid());
	for (; *base && k < (int)sizeof name - 1; base++)
		name[k++] = (char)((*base >= 'a' && *base <= 'z') || (*base >= '0' && *base <= '9')
					   ? *base
					   : (*base >= 'A' && *base <= 'Z') ? *base + 32 : '_');
	name[k] = '\0';
	test_pg_url(name, out, n);
}

static inline void test_db_drop(const char *db)
{
	if (!test_on_pg()) {
		unlink(db);
		return;
	}
	char name[64], sql[160];
	test_pg_name(db, name, sizeof name);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
	test_pg_admin_exec(sql, false);
}

/* The database at db made empty (dropped and made again on PostgreSQL;
 * the file removed on SQLite, for STORE_CREATE to make). */
static inline void test_db_empty(const char *db)
{
	test_db_drop(db);
	if (!test_on_pg())
		return;
	char name[64], sql[160];
	test_pg_name(db, name, sizeof name);
	test_pg_sweep();
	snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
	test_pg_admin_exec(sql, false);
}

/* The database at db is a scratch one: dropped once nothing holds it (a
 * database named by a test stays until test_db_drop). */
static inline void test_db_scratch(const char *db)
{
	if (!test_on_pg())
		return;
	char name[64];
	test_pg_name(db, name, sizeof name);
	test_pg_remember(name);
}

/* A new empty database (see the head); out holds its name. */
static inline void test_db_fresh(char *out, size_t n)
{
	if (!test_on_pg()) {
		snprintf(out, n, ":memory:");
		return;
	}
	static unsigned fresh;
	char file[32];
	snprintf(file, sizeof file, "fresh%u", ++fresh);
	test_db_at(file, out, n);
	test_db_empty(out);
	test_db_scratch(out);
}

static inline void test_db_copy(const char *src, const char *dst)
{
	if (!test_on_pg()) {
		struct store *st;
		assert_int_equal(store_open(src, STORE_READONLY, &st, NULL), RC_OK);
		unlink(dst);
		assert_int_equal(store_backup(st, dst, NULL), RC_OK);
		store_close(st);
		return;
	}
	char from[64], to[64], sql[256];
	test_pg_name(src, from, sizeof from);
	test_pg_name(dst, to, sizeof to);
	test_db_drop(dst);
	/* A file copy is two to three times faster than the WAL-logged one
	 * that PostgreSQL 15 makes by default for a database this small. */
	snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\" TEMPLATE \"%s\"%s", to, from,
		 PQserverVersion(test_pg_admin()) >= 150000 ? " STRATEGY FILE_COPY" : "");
	test_pg_admin_exec(sql, false);
	test_pg_sweep();
}

static inline void test_sql(struct store *st, const char *sql)
{
	if (st->pg) {
		char *t = pg_sql_from(sql, NULL, NULL);
		int r = pg_exec(st->pg, t);
		if (r != DB_OK)
			fail_msg("%s: %s", t, pg_errmsg(st->pg));
		free(t);
		return;
	}
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static inline void test_sql_at(const char *db, const char *sql)
{
	struct err e = {0};
	if (test_on_pg()) {
		struct pg *pg;
		assert_int_equal(pg_open(db, &pg, &e), RC_OK);
		char *t = pg_sql_from(sql, NULL, NULL);
		int r = pg_exec(pg, t);
		if (r != DB_OK)
			fail_msg("%s: %s", t, pg_errmsg(pg));
		free(t);
		pg_close(pg);
		return;
	}
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(raw);
}

/* The number the one-number query sql gives on st's connection, through
 * the statement layer (so in the store's dialect). */
static inline int64_t test_int(struct store *st, const char *sql)
{
	struct err e = {0};
	struct dbq *q = stmt_prepare_text(st, sql, "test", &e);
	if (!q)
		fail_msg("%s: %s", sql, e.msg);
	int r = stmt_step(st, q, &e);
	if (r != DB_ROW)
		fail_msg("%s: %s", sql, e.msg);
	int64_t v = col_int64(q, 0);
	stmt_finalize(q);
	return v;
}

#endif
