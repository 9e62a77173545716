/*
 * store_stmt.c -- the statement layer: the one place of the store that
 * steps a statement, and that begins, commits and rolls back.
 *
 * Invariants:
 *   - Every step is checked: stmt_step() gives a row (SQLITE_ROW), the end
 *     of the rows (SQLITE_DONE), or a failure, which it has already turned
 *     into an error (e filled, the statement reset).  A failure is never
 *     the end of the data.
 *   - The error of a failed step is sticky on the open transaction: while
 *     it is pending, every later step fails with it at once (nothing runs),
 *     and tx_commit() refuses to commit, so the transaction rolls back even
 *     when a caller dropped the error on the way.  tx_begin() and the end
 *     of the transaction clear it.  Outside a transaction the failure is
 *     the caller's to return, and the next step starts afresh.
 *   - The typed calls (stmt_run, stmt_int64, stmt_text, stmt_exists,
 *     stmt_query) run a statement of the table (store_sql.h) with
 *     arguments bound in order from an ARGS() list; audited_write() is the
 *     write of one audited row, between its image before and its audit row
 *     after.
 *   - A test hook makes the Nth step from now fail (of any statement or of
 *     one of the table), so the tests can see what every store function
 *     does with a failure at each of its steps.  It is a pair of globals
 *     checked only when armed; the product never arms it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- the fault hook (tests) ---------------------------------------------- */

static long fault_at;           /* the step that fails, counted from arming; 0: off */
static int fault_stmt = -1;     /* only steps of this statement count; -1: all */
static long fault_seen;         /* steps counted since armed */
static int fault_fired;
static char fault_sql[96];      /* the start of the statement that failed */

void store_fault_arm(long n, int stmt)
{
	fault_at = n;
	fault_stmt = stmt;
	fault_seen = 0;
	fault_fired = 0;
	fault_sql[0] = '\0';
}

int store_fault_fired(void)
{
	return fault_fired;
}

long store_fault_steps(void)
{
	return fault_seen;
}

const char *store_fault_sql(void)
{
	return fault_fired ? fault_sql : "";
}

/* Whether the hook makes this step of q fail. */
static int fault_now(struct store *st, sqlite3_stmt *q)
{
	if (fault_stmt >= 0 && (fault_stmt >= ST__MAX || st->stmt[fault_stmt] != q))
		return 0;
	if (++fault_seen != fault_at)
		return 0;
	fault_at = 0;
	fault_fired = 1;
	snprintf(fault_sql, sizeof fault_sql, "%s", sqlite3_sql(q));
	return 1;
}

/* ---- the sticky error ------------------------------------------------------ */

/* Record the failure r of a step and fill e with it. */
static enum rc fail_record(struct store *st, int r, const char *msg, struct err *e)
{
	enum rc rc;
	const char *code = NULL;
	if (r == SQLITE_CONSTRAINT) {
		rc = RC_CONFLICT;
		code = STORE_E_CONSTRAINT;
		snprintf(st->fail_msg, sizeof st->fail_msg, "refused by the database: %s", msg);
	} else if (r == SQLITE_FULL) {
		rc = RC_IO;
		snprintf(st->fail_msg, sizeof st->fail_msg, "the disk is full");
	} else {
		rc = RC_DB;
		snprintf(st->fail_msg, sizeof st->fail_msg, "database: %s", msg);
	}
	st->fail = rc;
	st->fail_code = code;
	return ERRC(e, rc, code, "%s", st->fail_msg);
}

enum rc stmt_pending(struct store *st, struct err *e)
{
	if (!st->fail)
		return RC_OK;
	return ERRC(e, st->fail, st->fail_code, "%s", st->fail_msg);
}

int stmt_step(struct store *st, sqlite3_stmt *q, struct err *e)
{
	if (st->fail) {
		if (st->tx_open) {
			/* A failure is pending in this transaction: nothing more
			 * runs, and the caller sees that failure. */
			sqlite3_reset(q);
			stmt_pending(st, e);
			return SQLITE_ABORT;
		}
		st->fail = RC_OK;
	}
	int r;
	const char *msg;
	if (fault_at && fault_now(st, q)) {
		r = SQLITE_IOERR;
		msg = "disk I/O error (test fault)";
	} else {
		r = sqlite3_step(q);
		if (r == SQLITE_ROW || r == SQLITE_DONE)
			return r;
		msg = sqlite3_errmsg(st->db);
	}
	fail_record(st, r, msg, e);
	sqlite3_reset(q);
	return r;
}

enum rc stmt_done(struct store *st, sqlite3_stmt *q, struct err *e)
{
	int r = stmt_step(st, q, e);
	sqlite3_reset(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : st->fail;
}

void stmt_answered(struct store *st)
{
	st->fail = RC_OK;
}

enum rc stmt_failed(struct store *st)
{
	return st->fail ? st->fail : RC_DB;
}

/* ---- typed statements ------------------------------------------------------ */

static void args_bind(sqlite3_stmt *q, const struct arg *a)
{
	for (int i = 1; a && a->kind != ARG_END; a++, i++) {
		switch (a->kind) {
		case ARG_INT:
			sqlite3_bind_int64(q, i, a->i);
			break;
		case ARG_ID:
			bind_id(q, i, a->i);
			break;
		case ARG_DAY:
			bind_day(q, i, (int32_t)a->i);
			break;
		case ARG_TEXT:
			bind_text(q, i, a->p);
			break;
		case ARG_BLOB:
			sqlite3_bind_blob64(q, i, a->p, a->n, SQLITE_TRANSIENT);
			break;
		case ARG_END:
			break;
		}
	}
}

enum rc stmt_query(struct store *st, enum stmt s, const struct arg *args, sqlite3_stmt **out,
		   struct err *e)
{
	*out = NULL;
	if (st->fail && st->tx_open)
		return stmt_pending(st, e);
	sqlite3_stmt *q = stmt_get(st, s, e);
	if (!q)
		return RC_INTERNAL;
	args_bind(q, args);
	*out = q;
	return RC_OK;
}

enum rc stmt_run(struct store *st, enum stmt s, const struct arg *args, struct err *e)
{
	sqlite3_stmt *q;
	enum rc rc = stmt_query(st, s, args, &q, e);
	return rc ? rc : stmt_done(st, q, e);
}

enum rc stmt_int64(struct store *st, enum stmt s, const struct arg *args, int64_t dflt,
		   int64_t *out, struct err *e)
{
	sqlite3_stmt *q;
	*out = dflt;
	enum rc rc = stmt_query(st, s, args, &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		*out = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : st->fail;
}

enum rc stmt_text(struct store *st, enum stmt s, const struct arg *args, char **out,
		  struct err *e)
{
	sqlite3_stmt *q;
	*out = NULL;
	enum rc rc = stmt_query(st, s, args, &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		*out = xstrndup((const char *)sqlite3_column_text(q, 0),
				(size_t)sqlite3_column_bytes(q, 0));
	sqlite3_reset(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : st->fail;
}

enum rc stmt_exists(struct store *st, enum stmt s, const struct arg *args, int *yes,
		    struct err *e)
{
	sqlite3_stmt *q;
	*yes = 0;
	enum rc rc = stmt_query(st, s, args, &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	*yes = r == SQLITE_ROW;
	sqlite3_reset(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : st->fail;
}

enum rc audited_write(struct store *st, enum ent ent, int64_t id, const char *action,
		      enum stmt s, const struct arg *args, int64_t *changed, struct err *e)
{
	char *before;
	enum rc rc = audit_image(st, ent, id, &before, e);
	if (rc)
		return rc;
	if ((rc = stmt_run(st, s, args, e))) {
		free(before);
		return rc;
	}
	if (changed)
		*changed = sqlite3_changes(st->db);
	return audit_change(st, action, ent, id, before, e);
}

/* ---- transactions ---------------------------------------------------------- */

static const char *const tx_sql[] = {
	[TX_BEGIN] = "BEGIN",
	[TX_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
};

int tx_begin(struct store *st, enum tx_kind k)
{
	st->fail = RC_OK; /* what failed before is not this transaction's */
	st->tx_reshaped = 0;
	int r = sqlite3_exec(st->db, tx_sql[k], NULL, NULL, NULL);
	if (r == SQLITE_OK)
		st->tx_open = 1;
	return r;
}

enum rc tx_commit(struct store *st, int *busy, struct err *e)
{
	if (busy)
		*busy = 0;
	if (st->fail)
		return stmt_pending(st, e);
	/* A new 'shape' (a random token) when the ledger's shape may have
	 * changed (store_shape). */
	if (st->tx_reshaped) {
		st->tx_reshaped = 0;
		enum rc rc = stmt_run(st, ST_META_SHAPE_SET, NO_ARGS, e);
		if (rc)
			return rc;
	}
	int r = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (r == SQLITE_OK) {
		st->tx_open = 0;
		return RC_OK;
	}
	if (busy)
		*busy = r == SQLITE_BUSY;
	return store_dberr(st, e, "commit");
}

void tx_rollback(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->tx_open = 0;
	st->fail = RC_OK;
}
