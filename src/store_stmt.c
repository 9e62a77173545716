/*
 * store_stmt.c -- the statement layer: the one place of the store that
 * steps a statement, and that begins, commits and rolls back; with
 * store_db.c, the only file of the store that names the engine (SQLite).
 *
 * What the layer offers the rest of the store (store_int.h), on an opaque
 * statement, struct dbq:
 *   - binding: the typed ARGS() of stmt_query / stmt_run / stmt_int64 /
 *     stmt_text / stmt_exists, and for a statement bound piece by piece
 *     bind_int, bind_int64, bind_null, bind_id, bind_day, bind_text,
 *     bind_text_kept (not copied), bind_column (a column of another
 *     statement's row, as it is);
 *   - columns: col_int, col_int64, col_text, col_bytes, col_null, and on
 *     them col_id, col_day, col_str;
 *   - stepping (stmt_step, stmt_done), stmt_reset, stmt_rewind (bindings
 *     cleared too), stmt_prepare_text (built SQL: the task list's shapes)
 *     and stmt_finalize;
 *   - the connection's db_changes (rows the last write changed),
 *     db_last_id (the last row inserted), db_errmsg (the last error);
 *   - transactions: tx_begin, tx_commit, tx_rollback, the sticky failure;
 *   - an evidence row's bytes in chunks: ev_blob_open, ev_blob_size,
 *     ev_blob_read, ev_blob_write, ev_blob_close (SQLite's incremental
 *     blob I/O here; another engine can keep the chunks as rows of bytes).
 * What remains engine-specific in store_db.c: opening the connection and
 * its pragmas (WAL, synchronous, foreign keys, busy timeout, mmap, the
 * immutable read-only fallback), the schema and its migrations
 * (PRAGMA user_version), preparing the table's statements (stmt_get,
 * stmt_prepare_private, stmts_reset), the sha256hex() SQL function, the
 * error of the connection (store_dberr), the whole-database copies of
 * backup and restore (db_copy_to, db_copy_over: the online backup API) and
 * ANALYZE (db_analyze).  The values of the step codes (DB_ROW, DB_DONE,
 * DB_CONSTRAINT … in store_int.h) and the SQL dialect of store_sql.h are
 * SQLite's too.
 *
 * Invariants:
 *   - Every step is checked: stmt_step() gives a row (DB_ROW), the end
 *     of the rows (DB_DONE), or a failure, which it has already turned
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

/* The layer's handle: one engine's statement. */
struct dbq {
	sqlite3_stmt *lq; /* SQLite's, or NULL */
	struct pgq *pq;   /* PostgreSQL's (store_pg.c), or NULL */
};

static inline sqlite3_stmt *RAW(struct dbq *q)
{
	return q->lq;
}

struct dbq *dbq_of_lite(void *lq)
{
	if (!lq)
		return NULL;
	struct dbq *q = xcalloc(1, sizeof *q);
	q->lq = lq;
	return q;
}

struct dbq *dbq_of_pg(struct pgq *pq)
{
	if (!pq)
		return NULL;
	struct dbq *q = xcalloc(1, sizeof *q);
	q->pq = pq;
	return q;
}

bool dbq_busy(struct dbq *q)
{
	return q->pq ? pgq_busy(q->pq) : sqlite3_stmt_busy(q->lq) != 0;
}

const char *dbq_sql(struct dbq *q)
{
	return q->pq ? pgq_sql(q->pq) : sqlite3_sql(q->lq);
}

/* ---- the statement's calls ------------------------------------------------- */

void bind_int(struct dbq *q, int i, int v)
{
	if (q->pq)
		pgq_bind_int64(q->pq, i, v);
	else
		sqlite3_bind_int(RAW(q), i, v);
}

void bind_int64(struct dbq *q, int i, int64_t v)
{
	if (q->pq)
		pgq_bind_int64(q->pq, i, v);
	else
		sqlite3_bind_int64(RAW(q), i, v);
}

void bind_null(struct dbq *q, int i)
{
	if (q->pq)
		pgq_bind_null(q->pq, i);
	else
		sqlite3_bind_null(RAW(q), i);
}

void bind_id(struct dbq *q, int i, int64_t id)
{
	if (id)
		bind_int64(q, i, id);
	else
		bind_null(q, i);
}

void bind_day(struct dbq *q, int i, int32_t day)
{
	if (day == STORE_NO_DAY)
		bind_null(q, i);
	else
		bind_int(q, i, day);
}

void bind_text(struct dbq *q, int i, const char *s)
{
	if (s && q->pq)
		pgq_bind_text(q->pq, i, s, strlen(s));
	else if (s)
		sqlite3_bind_text(RAW(q), i, s, -1, SQLITE_TRANSIENT);
	else
		bind_null(q, i);
}

void bind_text_kept(struct dbq *q, int i, const char *s, size_t len)
{
	if (q->pq)
		pgq_bind_text(q->pq, i, s, len);
	else
		sqlite3_bind_text(RAW(q), i, s, (int)len, SQLITE_STATIC);
}

void bind_column(struct dbq *q, int i, struct dbq *from, int j)
{
	/* Between engines (a whole-ledger copy) a value goes as text, which
	 * the column's type takes back. */
	if (q->lq && from->lq)
		sqlite3_bind_value(RAW(q), i, sqlite3_column_value(RAW(from), j));
	else if (col_null(from, j))
		bind_null(q, i);
	else
		bind_text_kept(q, i, col_text(from, j), col_bytes(from, j));
}

int col_int(struct dbq *q, int i)
{
	return q->pq ? (int)pgq_col_int64(q->pq, i) : sqlite3_column_int(RAW(q), i);
}

int64_t col_int64(struct dbq *q, int i)
{
	return q->pq ? pgq_col_int64(q->pq, i) : sqlite3_column_int64(RAW(q), i);
}

const char *col_text(struct dbq *q, int i)
{
	return q->pq ? pgq_col_text(q->pq, i) : (const char *)sqlite3_column_text(RAW(q), i);
}

size_t col_bytes(struct dbq *q, int i)
{
	return q->pq ? pgq_col_bytes(q->pq, i) : (size_t)sqlite3_column_bytes(RAW(q), i);
}

bool col_null(struct dbq *q, int i)
{
	return q->pq ? pgq_col_null(q->pq, i) : sqlite3_column_type(RAW(q), i) == SQLITE_NULL;
}

int64_t col_id(struct dbq *q, int i)
{
	return col_null(q, i) ? 0 : col_int64(q, i);
}

int32_t col_day(struct dbq *q, int i)
{
	return col_null(q, i) ? STORE_NO_DAY : (int32_t)col_int(q, i);
}

const char *col_str(struct dbq *q, int i, struct arena *a)
{
	const char *s = col_text(q, i);
	size_t n = col_bytes(q, i);
	if (!s)
		return "";
	return arena_strndup(a, s, n);
}

void stmt_reset(struct dbq *q)
{
	if (q->pq)
		pgq_reset(q->pq);
	else
		sqlite3_reset(RAW(q));
}

void stmt_rewind(struct dbq *q)
{
	if (q->pq) {
		pgq_clear(q->pq);
		return;
	}
	sqlite3_reset(RAW(q));
	sqlite3_clear_bindings(RAW(q));
}

struct dbq *stmt_prepare_text(struct store *st, const char *sql, const char *what,
			      struct err *e)
{
	if (st->pg) {
		struct pgq *pq = pg_prepare(st->pg, sql, NULL);
		if (!pq)
			ERR(e, RC_INTERNAL, "%s: %s", what, pg_errmsg(st->pg));
		return dbq_of_pg(pq);
	}
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) !=
	    SQLITE_OK) {
		ERR(e, RC_INTERNAL, "%s: %s", what, sqlite3_errmsg(st->db));
		return NULL;
	}
	return dbq_of_lite(q);
}

void stmt_finalize(struct dbq *q)
{
	if (!q)
		return;
	if (q->pq)
		pgq_finalize(q->pq);
	else
		sqlite3_finalize(RAW(q));
	free(q);
}

enum dialect db_dialect(const struct store *st)
{
	return st->pg ? DIALECT_PG : DIALECT_SQLITE;
}

enum rc db_defer_keys(struct store *st, struct err *e)
{
	int r = st->pg ? pg_exec(st->pg, "SET CONSTRAINTS ALL DEFERRED")
		       : sqlite3_exec(st->db, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
	return r == DB_OK ? RC_OK : store_dberr(st, e, "deferring the keys");
}

enum rc db_ids_follow(struct store *st, const char *sql, struct err *e)
{
	if (!st->pg)
		return RC_OK;
	return pg_exec(st->pg, sql) == DB_OK ? RC_OK : store_dberr(st, e, "the next ids");
}

int64_t db_changes(struct store *st)
{
	return st->pg ? pg_changes(st->pg) : sqlite3_changes(st->db);
}

static enum rc fail_record(struct store *st, int r, const char *msg, struct err *e);

int64_t db_last_id(struct store *st)
{
	if (!st->pg)
		return sqlite3_last_insert_rowid(st->db);
	/* PostgreSQL asks the server (lastval()), which can fail: the failure
	 * is pending like a step's, so the transaction cannot commit rows
	 * audited under a wrong id. */
	int64_t id = pg_last_id(st->pg);
	if (id <= 0)
		fail_record(st, DB_ERROR, pg_errmsg(st->pg), NULL);
	return id;
}

const char *db_errmsg(struct store *st)
{
	return st->pg ? pg_errmsg(st->pg) : sqlite3_errmsg(st->db);
}

/* ---- evidence bytes -------------------------------------------------------- */

/* SQLite's incremental blob, or PostgreSQL's rows of chunks. */
struct ev_blob {
	sqlite3_blob *lb;
	struct pg_blob *pb;
};

struct ev_blob *ev_blob_open(struct store *st, int64_t id, bool write)
{
	if (st->pg) {
		struct pg_blob *pb = pg_blob_open(st->pg, id);
		if (!pb)
			return NULL;
		struct ev_blob *b = xcalloc(1, sizeof *b);
		b->pb = pb;
		return b;
	}
	sqlite3_blob *lb = NULL;
	if (sqlite3_blob_open(st->db, "main", "evidence", "data", id, write, &lb) != SQLITE_OK) {
		sqlite3_blob_close(lb);
		return NULL;
	}
	struct ev_blob *b = xcalloc(1, sizeof *b);
	b->lb = lb;
	return b;
}

int64_t ev_blob_size(struct ev_blob *b)
{
	return b->pb ? pg_blob_size(b->pb) : sqlite3_blob_bytes(b->lb);
}

bool ev_blob_read(struct ev_blob *b, void *buf, size_t n, int64_t off)
{
	if (b->pb)
		return pg_blob_read(b->pb, buf, n, off);
	return sqlite3_blob_read(b->lb, buf, (int)n, (int)off) == SQLITE_OK;
}

bool ev_blob_write(struct ev_blob *b, const void *buf, size_t n, int64_t off)
{
	if (b->pb)
		return pg_blob_write(b->pb, buf, n, off);
	return sqlite3_blob_write(b->lb, buf, (int)n, (int)off) == SQLITE_OK;
}

void ev_blob_close(struct ev_blob *b)
{
	if (!b)
		return;
	if (b->pb)
		pg_blob_close(b->pb);
	else
		sqlite3_blob_close(b->lb);
	free(b);
}

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
static int fault_now(struct store *st, struct dbq *q)
{
	if (fault_stmt >= 0 && (fault_stmt >= ST__MAX || st->stmt[fault_stmt] != q))
		return 0;
	if (++fault_seen != fault_at)
		return 0;
	fault_at = 0;
	fault_fired = 1;
	snprintf(fault_sql, sizeof fault_sql, "%s", dbq_sql(q));
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

int stmt_step(struct store *st, struct dbq *q, struct err *e)
{
	if (st->fail) {
		if (st->tx_open) {
			/* A failure is pending in this transaction: nothing more
			 * runs, and the caller sees that failure. */
			stmt_reset(q);
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
		r = q->pq ? pgq_step(q->pq) : sqlite3_step(RAW(q));
		if (r == SQLITE_ROW || r == SQLITE_DONE)
			return r;
		msg = db_errmsg(st);
	}
	fail_record(st, r, msg, e);
	stmt_reset(q);
	return r;
}

enum rc stmt_done(struct store *st, struct dbq *q, struct err *e)
{
	int r = stmt_step(st, q, e);
	stmt_reset(q);
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

static void args_bind(struct dbq *q, const struct arg *a)
{
	for (int i = 1; a && a->kind != ARG_END; a++, i++) {
		switch (a->kind) {
		case ARG_INT:
			bind_int64(q, i, a->i);
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
			if (q->pq)
				pgq_bind_blob(q->pq, i, a->p, a->n);
			else
				sqlite3_bind_blob64(RAW(q), i, a->p, a->n, SQLITE_TRANSIENT);
			break;
		case ARG_END:
			break;
		}
	}
}

enum rc stmt_query(struct store *st, enum stmt s, const struct arg *args, struct dbq **out,
		   struct err *e)
{
	*out = NULL;
	if (st->fail && st->tx_open)
		return stmt_pending(st, e);
	struct dbq *q = stmt_get(st, s, e);
	if (!q)
		return RC_INTERNAL;
	args_bind(q, args);
	*out = q;
	return RC_OK;
}

enum rc stmt_run(struct store *st, enum stmt s, const struct arg *args, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, s, args, &q, e);
	return rc ? rc : stmt_done(st, q, e);
}

enum rc stmt_int64(struct store *st, enum stmt s, const struct arg *args, int64_t dflt,
		   int64_t *out, struct err *e)
{
	struct dbq *q;
	*out = dflt;
	enum rc rc = stmt_query(st, s, args, &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == SQLITE_ROW && !col_null(q, 0))
		*out = col_int64(q, 0);
	stmt_reset(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : st->fail;
}

enum rc stmt_text(struct store *st, enum stmt s, const struct arg *args, char **out,
		  struct err *e)
{
	struct dbq *q;
	*out = NULL;
	enum rc rc = stmt_query(st, s, args, &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == SQLITE_ROW && !col_null(q, 0))
		*out = xstrndup(col_text(q, 0), col_bytes(q, 0));
	stmt_reset(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : st->fail;
}

enum rc stmt_exists(struct store *st, enum stmt s, const struct arg *args, int *yes,
		    struct err *e)
{
	struct dbq *q;
	*yes = 0;
	enum rc rc = stmt_query(st, s, args, &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	*yes = r == SQLITE_ROW;
	stmt_reset(q);
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
		*changed = db_changes(st);
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
	int r = st->pg ? pg_begin(st->pg, k == TX_BEGIN_IMMEDIATE)
		       : sqlite3_exec(st->db, tx_sql[k], NULL, NULL, NULL);
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
	int r = st->pg ? pg_end(st->pg, true) : sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
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
	if (st->pg)
		pg_end(st->pg, false);
	else
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->tx_open = 0;
	st->fail = RC_OK;
}
