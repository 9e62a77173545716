/*
 * store_int.h -- private to the store module (src/store_*.c).
 *
 * The module is split by subject:
 *   store_db.c      the handle: open, pragmas, migrations, the statement
 *                   table, the transaction runner, generation, settings
 *   store_stmt.c    the statement layer: every step checked, the sticky
 *                   error of a transaction, typed statements, the audited
 *                   write, begin/commit/rollback, the fault hook of tests
 *   store_rules.c   days, names, the light and task_may() (pure, no SQL)
 *   store_audit.c   the hash-chained audit log, verify, backup, restore
 *   store_user.c    units, users, sessions
 *   store_report.c  campaigns, report import, the tree and its corrections,
 *                   spreadsheet import
 *   store_task.c    task list, detail, the workflow writes, evidence
 *   store_commit.c  commitments and activities, dashboard, 对账, exports
 *   store_test.c    the synthetic data generator of the benchmarks
 *
 * Every SQL statement is in store_sql.h, one STMT(name, sql) line each,
 * prepared on first use and kept for the life of the connection.  The store
 * holds a statement as an opaque struct dbq and does everything with it
 * through the statement layer (store_stmt.c: binding, columns, stepping,
 * resetting); only store_stmt.c and store_db.c name the engine.  Values go
 * in only as bound parameters, and every statement is stepped through
 * stmt_step() (the only caller of sqlite3_step).  The one
 * query whose shape varies (the task list) is assembled from literal
 * fragments in store_task.c and its prepared forms are cached per shape.
 */
#ifndef RECTIFY_STORE_INT_H
#define RECTIFY_STORE_INT_H

#include <sqlite3.h>

#include "buf.h"
#include "store.h"

struct dbq; /* a statement (below) */

#define STR_(x) #x
#define STR(x) STR_(x)

#define STMT(name, sql) name,
#define STMT_PG(name, sql, pg) name,
enum stmt {
#include "store_sql.h"
	ST__MAX
};
#undef STMT
#undef STMT_PG

/* The values store_sql.h writes as literals (ENDED, OPEN, LACKS, the light
 * that LIGHT_CASE gives, the counts of closed, staged and carried tasks). */
_Static_assert(TASK_NOT_STARTED == 0 && TASK_IN_PROGRESS == 1 && TASK_SUBMITTED == 2 &&
		       TASK_CLOSED == 3 && TASK_STAGED == 4 && TASK_CARRIED == 5,
	       "store_sql.h writes the statuses as numbers");
_Static_assert(LIGHT_NONE == 0 && LIGHT_GREEN == 1 && LIGHT_YELLOW == 2 && LIGHT_RED == 3 &&
		       LIGHT_GREY == 4,
	       "LIGHT_CASE gives the lights as numbers");
_Static_assert(DEADLINE_NONE == 0 && DEADLINE_DATE == 1 && DEADLINE_IMMEDIATE == 3,
	       "store_sql.h writes the kinds of deadline as numbers");

/* Bind the light rule's constants (?20 … ?23 of store_sql.h) to q. */
void bind_light_rule(struct dbq *q);
/* Whether the dashboard's kept lights were taken with this program's
 * thresholds (a read-only handle on a database that a program with other
 * constants wrote last counts the lights afresh instead). */
enum rc dash_rule_same(struct store *st, bool *same, struct err *e);

/* Audited entities: each has an image (a JSON object of the row, the same
 * SQL for the log and for verify). */
enum ent {
	ENT_SETTING,
	ENT_UNIT,
	ENT_USER,
	ENT_CAMPAIGN,
	ENT_REPORT,
	ENT_NODE,
	ENT_TASK,
	ENT_PROGRESS,
	ENT_EVIDENCE,
	ENT_EVENT,
	ENT_EXTENSION,
	ENT_COMMITMENT,
	ENT_ACTIVITY,
	ENT__MAX
};
extern const char *const ent_name[ENT__MAX];

#define LIST_CACHE 48           /* cached shapes of the task list query */

/* A remembered total of the task list (store_task.c). */
struct count_entry {
	uint64_t generation;
	uint32_t shape;
	int64_t campaign, scope, area, unit, leader;
	int status;
	int32_t today;
	char q[208];
	int64_t total;
	int used;
};

struct store {
	sqlite3 *db;
	struct pg *pg;                  /* PostgreSQL instead (store_pg.c) */
	char *path;
	int readonly;
	int as_is;                      /* STORE_AS_IS */
	int schema;                     /* the schema version found (STORE_AS_IS: maybe older) */
	struct dbq *stmt[ST__MAX];
	struct {
		uint32_t shape;
		struct dbq *st;
	} list_cache[LIST_CACHE];
	size_t n_list_cache;
	/* Totals of recent list queries, valid while the generation holds:
	 * paging through a filtered ledger counts it once. */
	struct count_entry count_cache[8];
	unsigned count_next;
	/* The transaction in progress (store_tx). */
	int in_tx;
	int dash_recount; /* store_dashboard_recount(): counts from the tasks */
	const struct who *tx_who;
	char tx_at[32];                 /* "2024-03-01T08:00:00.123Z" */
	char tx_actor[72];              /* login of the actor, "system" */
	int64_t tx_last_id;             /* last audit id, -1 until loaded */
	char tx_prev[65];               /* its hash ("" before the first row) */
	int tx_audited;                 /* audit rows appended in this transaction */
	/* The statement layer (store_stmt.c): a transaction is open (read or
	 * write), and the failure pending in it (RC_OK: none). */
	int tx_open;
	enum rc fail;
	/* Statements that can change the ledger's shape (reshapes[], read
	 * from their text when prepared: stmt_get), and whether the open
	 * transaction ran one; its commit then gives meta 'shape' a new value
	 * (store_shape). */
	unsigned char reshapes[ST__MAX];
	int tx_reshaped;
	/* store_office_todo: the problems without a task, at a 'shape'. */
	struct {
		int valid;
		int64_t campaign;
		char shape[48];
		int64_t problems;
	} todo;
	const char *fail_code;
	char fail_msg[256];
	/* store_generation: the data_version last seen, and the hash of the
	 * audit head read then */
	int64_t gen_dv;
	uint64_t gen_head;
	int64_t gen_polled;             /* when data_version was last read (ms) */
	uint64_t gen_counter;           /* the ledger counter then */
};

/* ERR() for a refusal: also sets e->code to code, one of the STORE_E_*
 * literals of store.h. */
static inline enum rc err_coded(struct err *e, enum rc rc, const char *code)
{
	if (e)
		e->code = code;
	return rc;
}
#define ERRC(e, rc, code, ...) err_coded((e), ERR((e), (rc), __VA_ARGS__), (code))

/* The statement, prepared on first use, reset and with its bindings
 * cleared.  NULL (with e filled) when it cannot be prepared. */
struct dbq *stmt_get(struct store *st, enum stmt s, struct err *e);
/* Whether a statement's text can change the ledger's shape (struct
 * store's reshapes[]); the text of statement s (tests). */
bool stmt_reshapes(const char *sql);
const char *stmt_text_of(enum stmt s);
/* Its own PostgreSQL form (NULL: the SQLite text translated). */
const char *stmt_pg_of(enum stmt s);
/* Reset every statement of the table and the list cache, so no read
 * transaction stays open (private statements of iterators are left alone). */
void stmts_reset(struct store *st);
/* A statement of the table prepared apart from it, for an iterator that
 * lives across calls; the caller finalises it. */
enum rc stmt_prepare_private(struct store *st, enum stmt s, struct dbq **out, struct err *e);
/* RC_DB with SQLite's message ("what: message"); the pending failure of a
 * step instead when there is one. */
enum rc store_dberr(struct store *st, struct err *e, const char *what);

/*
 * The statement layer (store_stmt.c).
 *
 * stmt_step() steps q once: DB_ROW (a row to read), DB_DONE (no more), or
 * the failure's code (DB_CONSTRAINT, DB_ERROR, another), when e is already
 * filled, q reset, and the failure pending (st->fail, its rc).  Inside an
 * open transaction the failure is sticky: every later step fails with it
 * without running, and tx_commit() refuses.  The only caller of
 * sqlite3_step.  Loops read
 *     while ((r = stmt_step(st, q, e)) == DB_ROW) ...;
 *     if (r != DB_DONE) → return stmt_failed(st) (after freeing);
 * stmt_failed() is the rc of the failure just seen.
 *
 * The codes are the engine's (SQLite's, today) under the layer's names, so
 * that no file of the store but the layer's names the engine: DB_OK (what
 * tx_begin() gives when it began), DB_ROW, DB_DONE, DB_CONSTRAINT (a
 * constraint refused the write), DB_ERROR (any other error of the SQL,
 * such as a function's; a code a caller may also give itself).
 */
enum {
	DB_OK = SQLITE_OK,
	DB_ROW = SQLITE_ROW,
	DB_DONE = SQLITE_DONE,
	DB_CONSTRAINT = SQLITE_CONSTRAINT,
	DB_ERROR = SQLITE_ERROR,
	DB_FULL = SQLITE_FULL,
	DB_BUSY = SQLITE_BUSY,
};
int stmt_step(struct store *st, struct dbq *q, struct err *e);
enum rc stmt_failed(struct store *st);
/* Step a statement whose rows are not read, and reset it: RC_OK, or the
 * failure (DB_CONSTRAINT: RC_CONFLICT, STORE_E_CONSTRAINT). */
enum rc stmt_done(struct store *st, struct dbq *q, struct err *e);
/* RC_OK, or the failure pending in the open transaction (e filled). */
enum rc stmt_pending(struct store *st, struct err *e);
/* The failure just seen was the answer the caller looked for (verify: a
 * value the image of a row cannot hold): it is no longer pending. */
void stmt_answered(struct store *st);

/* Typed arguments, bound in order from 1: ARGS(A_INT(n), A_TEXT(s)). */
enum arg_kind { ARG_END, ARG_INT, ARG_ID, ARG_DAY, ARG_TEXT, ARG_BLOB };
struct arg {
	enum arg_kind kind;
	int64_t i;
	const void *p;
	size_t n;
};
#define A_INT(v) {ARG_INT, (int64_t)(v), NULL, 0}
#define A_ID(v) {ARG_ID, (int64_t)(v), NULL, 0}     /* 0 → NULL */
#define A_DAY(v) {ARG_DAY, (int64_t)(v), NULL, 0}   /* STORE_NO_DAY → NULL */
#define A_TEXT(s) {ARG_TEXT, 0, (s), 0}             /* NULL → NULL */
#define A_BLOB(b, len) {ARG_BLOB, 0, (b), (len)}
#define ARGS(...) ((const struct arg[]){__VA_ARGS__, {ARG_END, 0, NULL, 0}})
#define NO_ARGS ((const struct arg *)NULL)

/* Statement s of the table with args bound, ready to step (*out; NULL on
 * error, or while a failure is pending). */
enum rc stmt_query(struct store *st, enum stmt s, const struct arg *args, struct dbq **out,
		   struct err *e);
/* Run s with args to its end. */
enum rc stmt_run(struct store *st, enum stmt s, const struct arg *args, struct err *e);
/* The first column of s's first row (dflt: no row, or NULL). */
enum rc stmt_int64(struct store *st, enum stmt s, const struct arg *args, int64_t dflt,
		   int64_t *out, struct err *e);
/* The first column of s's first row as text, malloc'd (NULL: no row, or
 * NULL). */
enum rc stmt_text(struct store *st, enum stmt s, const struct arg *args, char **out,
		  struct err *e);
/* Whether s gives a row. */
enum rc stmt_exists(struct store *st, enum stmt s, const struct arg *args, int *yes,
		    struct err *e);

/* Transactions: BEGIN (a read snapshot) or BEGIN IMMEDIATE; the code
 * (DB_OK: begun).  tx_commit() refuses while a failure is pending
 * (returns it) and says in *busy whether COMMIT found the database busy;
 * after any error the caller calls tx_rollback(), which also clears the
 * failure. */
enum tx_kind { TX_BEGIN, TX_BEGIN_IMMEDIATE };
int tx_begin(struct store *st, enum tx_kind k);
enum rc tx_commit(struct store *st, int *busy, struct err *e);
void tx_rollback(struct store *st);

/* Test hook: the nth step from now (counting steps of table statement
 * stmt only, or of all when stmt < 0) fails with SQLITE_IOERR; n = 0
 * disarms.  fired: whether it failed one; steps: how many it counted;
 * sql: the start of the statement it failed (borrowed). */
void store_fault_arm(long n, int stmt);
int store_fault_fired(void);
long store_fault_steps(void);
const char *store_fault_sql(void);

/* Hand the elements of VEC vec_ over to arena ar_: dst_ gets a copy in the
 * arena (never NULL: room for one element at least), count_ their number,
 * and vec_ is freed.  How every result list is filled. */
#define VEC_TO_ARENA(vec_, ar_, dst_, count_)                                          \
	do {                                                                           \
		(dst_) = arena_alloc((ar_), ((vec_).n ? (vec_).n : 1) * sizeof *(vec_).v); \
		if ((vec_).n)                                                          \
			memcpy((dst_), (vec_).v, (vec_).n * sizeof *(vec_).v);         \
		(count_) = (vec_).n;                                                   \
		VEC_FREE(vec_);                                                        \
	} while (0)

/*
 * A statement of the store, as the store's code sees it: an opaque handle
 * that only the statement layer (store_stmt.c) and the handle's owner
 * (store_db.c) know the engine's type of.  Everything the store does with
 * a statement goes through the calls below; the engine behind them is the
 * layer's business (store_stmt.c's head lists what an engine provides).
 */
struct dbq;

/* Binding, in order from 1 (prefer the ARGS() of stmt_query; these serve a
 * statement bound piece by piece).  0 → NULL for ids; STORE_NO_DAY → NULL
 * for days; NULL → NULL for text. */
void bind_int(struct dbq *q, int i, int v);
void bind_int64(struct dbq *q, int i, int64_t v);
void bind_null(struct dbq *q, int i);
void bind_id(struct dbq *q, int i, int64_t id);
void bind_day(struct dbq *q, int i, int32_t day);
void bind_text(struct dbq *q, int i, const char *s);
/* len bytes of text at s, which stay valid until q is reset (not copied). */
void bind_text_kept(struct dbq *q, int i, const char *s, size_t len);
/* Column j of from's current row, its value as it is (any type). */
void bind_column(struct dbq *q, int i, struct dbq *from, int j);
/* Reading column i of the current row: as a number (NULL → 0), as text
 * (NULL → NULL; valid until the next step or reset), its length in bytes,
 * whether it is NULL. */
int col_int(struct dbq *q, int i);
int64_t col_int64(struct dbq *q, int i);
const char *col_text(struct dbq *q, int i);
size_t col_bytes(struct dbq *q, int i);
bool col_null(struct dbq *q, int i);
/* Column helpers: NULL → 0 / STORE_NO_DAY / "". */
int64_t col_id(struct dbq *q, int i);
int32_t col_day(struct dbq *q, int i);
const char *col_str(struct dbq *q, int i, struct arena *a); /* copied into a */
/* Back to before the first step (the bindings stay); with the bindings
 * cleared too. */
void stmt_reset(struct dbq *q);
void stmt_rewind(struct dbq *q);
/* A statement of built text (the task list's shapes), kept by the caller
 * until stmt_finalize(); NULL with e filled when it cannot be prepared
 * ("what: the engine's message"). */
struct dbq *stmt_prepare_text(struct store *st, const char *sql, const char *what,
			      struct err *e);
void stmt_finalize(struct dbq *q); /* NULL: nothing */
/* The rows the last write changed; the id of the last row inserted; the
 * engine's text of the last error. */
int64_t db_changes(struct store *st);
int64_t db_last_id(struct store *st);
const char *db_errmsg(struct store *st);

/* The bytes of an evidence row (evidence.data), read and written in
 * chunks, never whole: open it (write: for the chunks of a new row whose
 * size the insert set; NULL when it cannot be opened, the error is then
 * the engine's last), its size, a chunk at an offset (false: failed). */
struct ev_blob;
struct ev_blob *ev_blob_open(struct store *st, int64_t id, bool write);
int64_t ev_blob_size(struct ev_blob *b);
bool ev_blob_read(struct ev_blob *b, void *buf, size_t n, int64_t off);
bool ev_blob_write(struct ev_blob *b, const void *buf, size_t n, int64_t off);
void ev_blob_close(struct ev_blob *b); /* NULL: nothing */

/* Engine-specific whole-database work (store_db.c): a consistent copy of
 * st's database into a new file at path (left in rollback-journal mode);
 * a copy of src's database over the one at path; fresh statistics for the
 * planner. */
enum rc db_copy_to(struct store *st, const char *path, struct err *e);
enum rc db_copy_over(struct store *src, const char *path, struct err *e);
enum rc db_analyze(struct store *st, struct err *e);

/*
 * The transaction runner: BEGIN IMMEDIATE, fn, the audit head, COMMIT.  fn
 * returns an rc; anything but RC_OK rolls back and is returned.  SQLITE_BUSY
 * (after the busy timeout) retries the whole transaction a few times.
 * While fn runs, st->tx_who is w and audit_change() appends to the chain.
 * Because of the retry fn may run more than once: it must start afresh
 * from arg each time (reset what it counts; read files with pread).
 * Nested calls are a bug (RC_INTERNAL).
 */
typedef enum rc (*store_tx_fn)(struct store *st, void *arg, struct err *e);
enum rc store_tx(struct store *st, const struct who *w, store_tx_fn fn, void *arg,
		 struct err *e);

/* The image (JSON) of one row in *out, malloc'd; NULL when the row does not
 * exist.  RC_DB when it cannot be made (a value the image cannot hold). */
enum rc audit_image(struct store *st, enum ent ent, int64_t id, char **out, struct err *e);
/*
 * Append an audit row for a change of entity ent/id made in this
 * transaction: before is the image taken before the change (NULL for an
 * insert; freed here), the after image is read now (NULL when deleted).
 * RC_DB when the after-image cannot be made: the change is not logged as a
 * deletion, the transaction fails.
 */
enum rc audit_change(struct store *st, const char *action, enum ent ent, int64_t id,
		     char *before, struct err *e);
/* The same for an insert (no before-image). */
enum rc audit_insert(struct store *st, const char *action, enum ent ent, int64_t id,
		     struct err *e);
/* The audited write of one row: its image before, statement s run with
 * args, *changed (when not NULL) the rows s changed, and the audit row of
 * action after.  Nothing to free on any outcome; on error the transaction
 * fails. */
enum rc audited_write(struct store *st, enum ent ent, int64_t id, const char *action,
		      enum stmt s, const struct arg *args, int64_t *changed, struct err *e);

/* Process-wide commit counter (store_generation). */
void store_bump_generation(void);
/* store_generation() with its failure: RC_OK, or the error of a read (then
 * *gen is not to be remembered, and nothing of it is). */
enum rc generation_get(struct store *st, uint64_t *gen, uint64_t *commits, struct err *e);

/* A setting inside a transaction (the default when it cannot be read; the
 * failure is then pending and the commit refuses).  A read outside one
 * uses store_setting_get(). */
int64_t store_setting_value(struct store *st, enum store_setting s);

/* Scope bind value for w: 0 (sees all) or the handler's unit (-1: none). */
int64_t who_scope(const struct who *w);
/* The id of the campaign to use: c, or the current one (RC_NOTFOUND). */
enum rc campaign_resolve(struct store *st, int64_t c, int64_t *out, struct err *e);

/* A new unit named name under parent (0: at the top), audited "unit-add",
 * inside a transaction (store_unit_add, the ledger import).  RC_INVALID for
 * a bad name or parent, RC_CONFLICT when the name is taken. */
enum rc unit_insert(struct store *st, const char *name, int64_t parent, int64_t *id,
		    struct err *e);

/* The SQL that brings schema version `from` to from + 1 (migrations[] of
 * store_db.c; NULL past the last).  The tests build a database of an older
 * version from it. */
const char *store_migration_sql(int from);
/* The schema at the current version in PostgreSQL's words. */
const char *store_pg_schema(void);

/*
 * The PostgreSQL engine (store_pg.c), under the statement layer: a
 * connection, its statements (the text of store_sql.h in PostgreSQL's
 * dialect, pg_sql_from), evidence as rows of chunks.  Steps and results
 * use the layer's DB_* codes.
 */
struct pg;
struct pgq;
struct pg_blob;
bool pg_is_url(const char *path);
enum rc pg_open(const char *url, struct pg **out, struct err *e);
void pg_close(struct pg *pg);
/* The handle closes: its statements need not be deallocated one by one. */
void pg_closing(struct pg *pg);
int pg_exec(struct pg *pg, const char *sql);
/* BEGIN; a write transaction also takes the writers' lock.  pg_end:
 * COMMIT or ROLLBACK.  A read-only handle's transactions are read-only. */
int pg_begin(struct pg *pg, bool write);
int pg_end(struct pg *pg, bool commit);
void pg_set_readonly(struct pg *pg);
const char *pg_errmsg(struct pg *pg);
int64_t pg_changes(struct pg *pg);
int64_t pg_last_id(struct pg *pg);
/* The PostgreSQL text of SQLite's; its highest parameter, the parameters
 * it uses (bit N-1 for ?N). */
char *pg_sql_from(const char *lite, int *nparams, uint64_t *used);
/* The statement of SQLite's text lite, or of its own PostgreSQL form. */
struct pgq *pg_prepare(struct pg *pg, const char *lite, const char *own_form);
const char *pgq_sql(const struct pgq *q);
void pgq_bind_int64(struct pgq *q, int i, int64_t v);
void pgq_bind_null(struct pgq *q, int i);
void pgq_bind_text(struct pgq *q, int i, const char *s, size_t n);
void pgq_bind_blob(struct pgq *q, int i, const void *p, size_t n);
int pgq_step(struct pgq *q);
void pgq_reset(struct pgq *q);
void pgq_clear(struct pgq *q);
bool pgq_busy(const struct pgq *q);
void pgq_finalize(struct pgq *q);
bool pgq_col_null(struct pgq *q, int i);
int64_t pgq_col_int64(struct pgq *q, int i);
const char *pgq_col_text(struct pgq *q, int i);
size_t pgq_col_bytes(struct pgq *q, int i);
struct pg_blob *pg_blob_open(struct pg *pg, int64_t id);
int64_t pg_blob_size(struct pg_blob *b);
bool pg_blob_read(struct pg_blob *b, void *buf, size_t n, int64_t off);
bool pg_blob_write(struct pg_blob *b, const void *buf, size_t n, int64_t off);
void pg_blob_close(struct pg_blob *b);

/* The dialect of the handle's engine, for the few fragments of SQL built
 * in C that differ (the table's statements have STMT_PG instead). */
enum dialect { DIALECT_SQLITE, DIALECT_PG, DIALECT__MAX };
enum dialect db_dialect(const struct store *st);

/* For a whole-ledger copy, in the open write transaction: foreign keys
 * checked at its commit (self-references may point forwards); and, after
 * rows were written with their ids into a table, the engine's next id made
 * to follow them by sql (PostgreSQL's identity, its setval; nothing on
 * SQLite). */
enum rc db_defer_keys(struct store *st, struct err *e);
enum rc db_ids_follow(struct store *st, const char *sql, struct err *e);
/* Empty every table of the ledger, in the open write transaction
 * (store_copy.c: restore on PostgreSQL). */
enum rc store_clear(struct store *st, struct err *e);

/* The layer's handle of an engine's statement (store_stmt.c); whether it
 * is in the middle of its rows; its text. */
struct dbq *dbq_of_lite(void *lq);
struct dbq *dbq_of_pg(struct pgq *pq);
bool dbq_busy(struct dbq *q);
const char *dbq_sql(struct dbq *q);

/* SHA-256 hex of the SQL function sha256hex(x), registered per connection. */
void store_register_functions(sqlite3 *db);

/* Evidence copy into the database (store_task.c), used by activities too.
 * Exactly one of progress_id / activity_id is non-zero. */
enum rc evidence_store(struct store *st, const struct evidence_in *ev, int64_t progress_id,
		       int64_t activity_id, int64_t *id, struct err *e);
/* Check name, size, count of a set of evidence before any write. */
enum rc evidence_check(const struct evidence_in *ev, size_t n, struct err *e);

/* Load a task's facts under w's scope, at day today: RC_NOTFOUND outside
 * it. */
enum rc task_facts_load(struct store *st, const struct who *w, int64_t id, int32_t today,
			struct task_facts *f, int64_t *version, struct err *e);

/* A new task (import, carry-over, split, spreadsheet import, generator). */
struct task_new {
	int64_t campaign_id, problem_id, origin_id, leader_id, unit_id;
	const char *leader_text;        /* the leader as a ledger named it, or NULL */
	const char *goal;
	enum deadline_kind deadline_kind;
	int32_t deadline;
	enum task_status status;
	int32_t created, last_activity, closed_day, review_due;
	const int64_t *measures;
	size_t n_measures;
};
/* Insert it with its measures and a first task_event (action, from no
 * status to t->status), all audited.  *id is the task. */
enum rc task_insert(struct store *st, const struct task_new *t, const char *action,
		    const char *reason, int32_t today, int64_t *id, struct err *e);
/* Record a task_event (from < 0: none) and audit it. */
enum rc event_add(struct store *st, int64_t task_id, const char *action, int from,
		  enum task_status to, const char *reason, int32_t day, struct err *e);

/* Rows of reports and nodes, audited with the given action (store_report.c). */
enum rc report_insert(struct store *st, int64_t campaign, int64_t owner, const char *title,
		      const char *kind, const char *format, const char *encoding,
		      const char *filename, int year, const char *sha256, const char *src,
		      size_t len, int64_t *id, struct err *e);
enum rc node_insert(struct store *st, int64_t report, int64_t parent, enum node_kind kind,
		    enum doc_role role, int pos, const char *label, const char *title,
		    const char *text, uint32_t start, uint32_t end, const char *action,
		    int64_t *id, struct err *e);
/* A user with a ready password hash (store_user.c; the generator). */
enum rc store_user_add_hashed(struct store *st, const struct who *w, const char *login,
			      const char *name, enum role role, int64_t unit_id,
			      const char *pwhash, int64_t *id, struct err *e);

/* Compliance of commitments (store_commit.c), used by the dashboard. */
enum rc commitments_load(struct store *st, int64_t campaign_id, int32_t today, int only_behind,
			 struct commitment_list *out, struct err *e);

/* The task list's row from a statement of its columns (store_task.c). */
void task_row_from(struct dbq *q, struct task_row *r, struct arena *a, int32_t today);
/* A status event from the columns of q starting at first, in the order
 * ST_TASK_EVENTS gives them (id, action, from, to, actor id, actor, reason,
 * at, day); its strings copied into a. */
void task_event_from(struct dbq *q, int first, struct task_event *v, struct arena *a);
enum rc task_rows_collect(struct store *st, struct dbq *q, struct task_list *out,
			  int32_t today, struct err *e);
/* The workflow writes' common steps (store_task.c): the facts loaded, the
 * rule and the version checked; the version bumped for a change outside
 * the task's columns; the version after the change; a reason that holds
 * something (at most 5000 bytes of UTF-8). */
enum rc task_begin(struct store *st, int64_t id, int64_t version, enum task_action a,
		   int32_t today, struct task_facts *f, struct err *e);
enum rc task_touch(struct store *st, int64_t id, int64_t version, const char *action,
		   struct err *e);
enum rc task_new_version(struct store *st, int64_t id, int64_t *out, struct err *e);
int reason_ok(const char *r);

/* The two writes a bulk action repeats (store_bulk.c), one task inside
 * the caller's transaction: what store_task_assign (store_task.c) and
 * store_task_urge (store_notify.c) do in theirs -- the rule and version,
 * the row, its audit row and event, the notifications.  Their arguments
 * are checked once before, by the _check functions (an urge's blank
 * message becomes NULL). */
enum rc task_assign_check(const struct task_assign *a, struct err *e);
enum rc task_assign_one(struct store *st, int64_t id, int64_t version, const struct task_assign *a,
			int32_t today, int64_t *new_version, struct err *e);
enum rc task_urge_check(const char **message, struct err *e);
enum rc task_urge_one(struct store *st, int64_t id, int64_t version, const char *message,
		      int32_t today, int64_t *new_version, struct err *e);

/* What a change tells (store_notify.c). */
enum note {
	NOTE_ASSIGNED,
	NOTE_PROGRESS,
	NOTE_SUBMITTED,
	NOTE_RETURNED,
	NOTE_APPROVED,
	NOTE_STAGED,
	NOTE_REOPENED,
	NOTE_URGED,
	NOTE_EXT_REQUESTED,
	NOTE_EXT_APPROVED,
	NOTE_EXT_REFUSED,
	NOTE_NONE,              /* the actions that tell no one (confirm) */
	NOTE__MAX
};
enum note note_of_action(enum task_action a);
/* Inside the transaction of a change of task id: the notifications of
 * note for its people (detail: the reason or message, may be NULL) and
 * their outbox.  NOTE_NONE does nothing. */
enum rc notify_task(struct store *st, int64_t task_id, enum note note, const char *detail,
		    int32_t today, struct err *e);
/* The pending 催办 and the 退回 in force of a loaded task (its events and
 * progress): t->urge, t->returned. */
void task_banners(struct task *t);

#endif
