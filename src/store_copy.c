/*
 * store_copy.c -- a whole ledger from one store into another, whatever
 * their engines: `rectify migrate` (SQLite ⇄ PostgreSQL), and backup and
 * restore on PostgreSQL (a backup is an SQLite ledger file).
 *
 * Invariants:
 *   - The source is read in one read transaction (a snapshot, while others
 *     write), the target written in one write transaction: the target
 *     holds all of the ledger or none of it.
 *   - Rows keep their ids and their bytes (the audit log's chain and
 *     images verify unchanged); values cross engines as text, which each
 *     engine reads back into its column's type.
 *   - The dashboard's kept counts are not copied: the target's triggers
 *     count every task and status event as it arrives, at the source's day.
 *   - copy_tables[] names every column of every table the ledger holds;
 *     test_store_copy_columns holds it to the schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define CHUNK 65536

/* "?1, ?2, …, ?N" */
#define P2 "?1, ?2"
#define P3 P2 ", ?3"
#define P4 P3 ", ?4"
#define P6 P4 ", ?5, ?6"
#define P8 P6 ", ?7, ?8"
#define P9 P8 ", ?9"
#define P11 P9 ", ?10, ?11"
#define P12 P11 ", ?12"
#define P13 P12 ", ?13"
#define P21 P13 ", ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21"
/* Table T with its columns and as many parameters; ids: whether the
 * engine gives its ids (an identity on PostgreSQL, which must follow the
 * copied ones). */
#define COPY(T, COLS, PARAMS, IDS)                                                     \
	{T, COLS, "SELECT " COLS " FROM " T " ORDER BY 1",                             \
	 "INSERT INTO " T "(" COLS ") VALUES (" PARAMS ")", "DELETE FROM " T,           \
	 IDS ? "SELECT setval(pg_get_serial_sequence('" T "', 'id'),"                  \
	       " coalesce(max(id), 0) + 1, false) FROM " T : NULL}
#define EVIDENCE_COLS "id, progress_id, activity_id, name, mime, size, sha256"

/* The tables in an order in which every reference points backwards
 * (self-references aside: the keys are checked at commit). */
static const struct copy_table {
	const char *name, *cols;
	const char *read, *write, *clear, *ids;
} copy_tables[] = {
	COPY("setting", "id, key, value, version", P4, 0),
	COPY("unit", "id, name, parent_id, version", P4, 1),
	COPY("unit_tree", "ancestor, descendant, depth", P3, 0),
	COPY("\"user\"", "id, login, name, role, unit_id, pwhash, active, created, version, email,"
			 " notify_off", P11, 1),
	COPY("session", "hash, user_id, csrf, created, expires, last_seen", P6, 0),
	COPY("campaign", "id, year, title, theme, started, carried_from, current, areas,"
			 " report_title", P9, 1),
	COPY("report", "id, campaign_id, owner_id, title, kind, format, encoding, filename, year,"
		       " sha256, source, imported_at, version", P13, 1),
	COPY("node", "id, report_id, parent_id, kind, role, pos, label, title, text, start,"
		     " \"end\"", P11, 1),
	COPY("task", "id, campaign_id, seq, problem_id, area_id, origin_id, leader_id, unit_id,"
		     " goal, deadline_kind, deadline, status, created, last_activity, closed_day,"
		     " review_due, n_progress, n_evidence, version, updated, leader_text", P21, 1),
	COPY("task_measure", "task_id, node_id", P2, 0),
	COPY("progress", "id, task_id, day, at, author_id, text", P6, 1),
	COPY("commitment", "id, campaign_id, report_id, text, subject, unit, min, period, per", P9,
	     1),
	COPY("activity", "id, commitment_id, day, note, by_id, at", P6, 1),
	COPY("activity_who", "activity_id, user_id", P2, 0),
	/* its bytes chunk by chunk (copy_evidence), after the row */
	COPY("evidence", EVIDENCE_COLS ", data", P6 ", ?7, zeroblob(?6)", 1),
	COPY("task_event", "id, task_id, action, from_status, to_status, actor_id, reason, day, at",
	     P9, 1),
	COPY("extension", "id, task_id, from_kind, from_day, to_day, reason, state, requested_by,"
			  " decided_by, note, at, decided_at", P12, 1),
	COPY("audit", "id, at, actor_id, actor, action, entity, entity_id, before, after, prev,"
		      " hash", P11, 0),
	COPY("notification", "id, user_id, task_id, event, text, at, day, key, read_at", P9, 1),
	COPY("outbox", "id, notification_id, channel, state, attempts, next_at, done_at, error",
	     P8, 1),
};
/* Kept beside the tables above, and so not copied: the dashboard's counts
 * (made again by the target's triggers), its day (set first), the engine's
 * own (the schema version on PostgreSQL, SQLite's statistics), and what
 * the web servers share between requests (store_web.c: failed logins and
 * staged uploads, which a replacing copy empties). */
static const char *const derived_tables[] = {"meta", "dash_day", "dash_unit", "dash_area",
					     "dash_week", "evidence_chunk", "sqlite_stat1",
					     "login_fail", "staged"};

const char *store_copy_columns(const char *table)
{
	for (size_t i = 0; i < ARRAY_LEN(copy_tables); i++) {
		const char *n = copy_tables[i].name;
		size_t k = strlen(n);
		if (n[0] == '"' ? strncmp(n + 1, table, k - 2) == 0 && table[k - 2] == '\0'
				: strcmp(n, table) == 0)
			return copy_tables[i].cols;
	}
	for (size_t i = 0; i < ARRAY_LEN(derived_tables); i++)
		if (strcmp(derived_tables[i], table) == 0)
			return "";
	return NULL;
}

/* How many columns a list names. */
static int ncols(const char *cols)
{
	int n = 1;
	for (; *cols; cols++)
		n += *cols == ',';
	return n;
}

/* Every row of src's read statement r into dst's insert w, columns 0..n-1
 * as they are; *rows counts them. */
static enum rc pour(struct store *src, struct dbq *r, struct store *dst, struct dbq *w, int n,
		    int64_t *rows, struct err *e)
{
	int s;
	while ((s = stmt_step(src, r, e)) == DB_ROW) {
		stmt_rewind(w);
		for (int i = 0; i < n; i++)
			bind_column(w, i + 1, r, i);
		enum rc rc = stmt_done(dst, w, e);
		if (rc)
			return rc;
		(*rows)++;
	}
	return s == DB_DONE ? RC_OK : stmt_failed(src);
}

static enum rc copy_table(struct store *src, struct store *dst, const struct copy_table *t,
			  int64_t *rows, struct err *e)
{
	int n = ncols(t->cols);
	struct dbq *r = stmt_prepare_text(src, t->read, "reading the ledger to copy", e);
	struct dbq *w = r ? stmt_prepare_text(dst, t->write, "writing the copy", e) : NULL;
	enum rc rc = r && w ? pour(src, r, dst, w, n, rows, e) : RC_INTERNAL;
	stmt_finalize(r);
	stmt_finalize(w);
	return rc;
}

/* Evidence: each row (its data made empty, of its size), then its bytes
 * chunk by chunk. */
static enum rc copy_evidence(struct store *src, struct store *dst, const struct copy_table *t,
			     int64_t *rows, struct err *e)
{
	enum rc rc = RC_OK;
	struct dbq *r = stmt_prepare_text(src, "SELECT " EVIDENCE_COLS " FROM evidence ORDER BY 1",
					  "reading the ledger to copy", e);
	struct dbq *w = r ? stmt_prepare_text(dst, t->write, "writing the copy", e) : NULL;
	unsigned char *chunk = xmalloc(CHUNK);
	int s = DB_ERROR;
	while (r && w && !rc && (s = stmt_step(src, r, e)) == DB_ROW) {
		int64_t id = col_int64(r, 0), size = col_int64(r, 5);
		stmt_rewind(w);
		for (int i = 0; i < 7; i++)
			bind_column(w, i + 1, r, i);
		rc = stmt_done(dst, w, e);
		struct ev_blob *in = rc ? NULL : ev_blob_open(src, id, false);
		struct ev_blob *out = in ? ev_blob_open(dst, id, true) : NULL;
		if (!rc && (!out || ev_blob_size(in) != size))
			rc = ERR(e, RC_DB, "evidence %lld: its bytes cannot be copied", (long long)id);
		for (int64_t off = 0; !rc && off < size; off += CHUNK) {
			size_t k = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
			if (!ev_blob_read(in, chunk, k, off) || !ev_blob_write(out, chunk, k, off))
				rc = ERR(e, RC_DB, "evidence %lld: its bytes cannot be copied",
					 (long long)id);
		}
		ev_blob_close(in);
		ev_blob_close(out);
		(*rows)++;
	}
	if (!rc && s != DB_DONE)
		rc = r && w ? stmt_failed(src) : RC_INTERNAL;
	free(chunk);
	stmt_finalize(r);
	stmt_finalize(w);
	return rc;
}

/* meta, but the engine's own keys (the schema version on PostgreSQL). */
static enum rc copy_meta(struct store *src, struct store *dst, struct err *e)
{
	struct dbq *r = stmt_prepare_text(src, "SELECT key, value FROM meta WHERE key <> 'schema'"
					  " ORDER BY key", "reading the ledger to copy", e);
	struct dbq *w = r ? stmt_get(dst, ST_META_SET, e) : NULL;
	int64_t rows = 0;
	enum rc rc = r && w ? pour(src, r, dst, w, 2, &rows, e) : RC_INTERNAL;
	stmt_finalize(r);
	return rc;
}

/* Whether the ledger at st holds anything but its schema. */
static enum rc ledger_empty(struct store *st, bool *empty, struct err *e)
{
	int64_t users = 0, audit = 0;
	enum rc rc = stmt_int64(st, ST_CNT_USER, NO_ARGS, 0, &users, e);
	if (!rc)
		rc = stmt_int64(st, ST_AUDIT_LAST, NO_ARGS, 0, &audit, e);
	*empty = users == 0 && audit == 0;
	return rc;
}

enum rc store_clear(struct store *st, struct err *e)
{
	if (st->readonly)
		return ERR(e, RC_DB, "%s was opened read-only", st->path);
	/* The web's shared state first: staged uploads name users. */
	enum rc rc = stmt_run(st, ST_STAGED_CLEAR, NO_ARGS, e);
	if (!rc)
		rc = stmt_run(st, ST_LOGIN_FAIL_CLEAR, NO_ARGS, e);
	for (size_t i = ARRAY_LEN(copy_tables); !rc && i-- > 0;) {
		struct dbq *q = stmt_prepare_text(st, copy_tables[i].clear, "clearing the ledger", e);
		rc = q ? stmt_done(st, q, e) : RC_INTERNAL;
		stmt_finalize(q);
	}
	static const char *const kept[] = {"DELETE FROM dash_unit", "DELETE FROM dash_area",
					   "DELETE FROM dash_week",
					   "DELETE FROM meta WHERE key <> 'schema'"};
	for (size_t i = 0; !rc && i < ARRAY_LEN(kept); i++) {
		struct dbq *q = stmt_prepare_text(st, kept[i], "clearing the ledger", e);
		rc = q ? stmt_done(st, q, e) : RC_INTERNAL;
		stmt_finalize(q);
	}
	return rc;
}

static enum rc copy_all(struct store *src, struct store *dst, bool clear,
			struct store_copy_result *res, struct err *e)
{
	enum rc rc = clear ? store_clear(dst, e) : RC_OK;
	if (!rc)
		rc = db_defer_keys(dst, e);
	/* The kept counts are taken at the source's day. */
	int64_t day = 0;
	if (!rc)
		rc = stmt_int64(src, ST_DASH_DAY, NO_ARGS, 0, &day, e);
	if (!rc)
		rc = stmt_run(dst, ST_DASH_DAY_SET, ARGS(A_INT(day)), e);
	if (!rc)
		rc = copy_meta(src, dst, e);
	for (size_t i = 0; !rc && i < ARRAY_LEN(copy_tables); i++) {
		const struct copy_table *t = &copy_tables[i];
		rc = strcmp(t->name, "evidence") == 0 ? copy_evidence(src, dst, t, &res->rows, e)
						       : copy_table(src, dst, t, &res->rows, e);
		if (!rc && t->ids)
			rc = db_ids_follow(dst, t->ids, e);
		res->tables++;
	}
	return rc;
}

enum rc store_copy(struct store *src, struct store *dst, bool replace,
		   struct store_copy_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (src->schema != STORE_SCHEMA_VERSION || dst->schema != STORE_SCHEMA_VERSION)
		return ERR(e, RC_DB, "both ledgers must be at schema version %d to copy",
			   STORE_SCHEMA_VERSION);
	if (dst->readonly)
		return ERR(e, RC_DB, "%s was opened read-only", dst->path);
	bool empty;
	enum rc rc = ledger_empty(dst, &empty, e);
	stmts_reset(dst);
	if (rc)
		return rc;
	if (!empty && !replace)
		return ERRC(e, RC_CONFLICT, STORE_E_NOT_EMPTY,
			    "%s already holds a ledger; copy into an empty one", dst->path);
	if (tx_begin(src, TX_BEGIN) != DB_OK)
		return store_dberr(src, e, "reading the ledger to copy");
	if (tx_begin(dst, TX_BEGIN_IMMEDIATE) != DB_OK) {
		tx_rollback(src);
		return store_dberr(dst, e, "writing the copy");
	}
	rc = copy_all(src, dst, replace, res, e);
	stmts_reset(src);
	stmts_reset(dst);
	if (!rc)
		rc = tx_commit(dst, NULL, e);
	if (rc)
		tx_rollback(dst);
	tx_rollback(src); /* the read transaction: nothing to keep */
	if (!rc)
		store_bump_generation();
	return rc;
}
