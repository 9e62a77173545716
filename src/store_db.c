/*
 * store_db.c -- the store handle: opening a connection with the pragmas we
 * rely on, the schema and its migrations, the table of prepared
 * statements, the transaction runner, the change counter and settings.
 *
 * Invariants:
 *   - PRAGMA user_version is the schema version; application_id marks the
 *     file as rectify's.  migrations[i] brings version i to i + 1, all of
 *     them in one transaction.  A database whose version is above
 *     STORE_SCHEMA_VERSION is refused before anything is written.
 *   - Statements are prepared on first use (stmt_get) and finalised by
 *     store_close().  Read functions end with stmts_reset() so that no
 *     read transaction outlives the call (a kept snapshot would show stale
 *     data to a long-lived web connection and hold back checkpoints).
 *   - store_tx() is the only place that begins and commits a change of the
 *     ledger (the migrations aside), through store_stmt.c's tx_begin() and
 *     tx_commit(), which refuses while a step's failure is pending.
 */
#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

#define APPLICATION_ID 1382376308 /* 0x52656374, "Rect" */

#define STMT(name, sql) [name] = sql,
#define STMT_PG(name, sql, pg) [name] = sql,
static const char *const stmt_sql[ST__MAX] = {
#include "store_sql.h"
};
#undef STMT
#undef STMT_PG
/* The PostgreSQL forms of the statements that have one (the others are
 * the SQLite text, translated by pg_sql_from). */
#define STMT(name, sql)
#define STMT_PG(name, sql, pg) [name] = pg,
static const char *const stmt_pg[ST__MAX] = {
#include "store_sql.h"
};
#undef STMT
#undef STMT_PG

/*
 * The schema.  Conventions: ids are INTEGER PRIMARY KEY; days are INTEGER
 * day numbers (store_day_*); timestamps are TEXT in UTC ISO 8601; enums are
 * INTEGER with the values of store.h (role, task status, deadline kind,
 * node kind, doc role, period, per).  Derived columns (task.n_progress,
 * n_evidence, last_activity, area_id = the area node holding the problem
 * item) are kept in the same transaction as what they derive from.
 */
/* The tables of migration 6 → 7 in either engine's words: its integer
 * and bytes types, and how a row names its user. */
#define WEB_SHARED_SCHEMA(INT, BYTES, USER_REF)                                          \
	"CREATE TABLE login_fail(key TEXT PRIMARY KEY, account " INT " NOT NULL,"        \
	" start " INT " NOT NULL, last " INT " NOT NULL, fails " INT " NOT NULL);\n"      \
	"CREATE INDEX login_fail_start ON login_fail(start);\n"                          \
	"CREATE TABLE staged(user_id " INT " PRIMARY KEY REFERENCES " USER_REF ","       \
	" token TEXT NOT NULL, at " INT " NOT NULL, name TEXT NOT NULL,"                 \
	" data " BYTES " NOT NULL);\n"

static const char *const migrations[] = {
	/* 0 → 1 */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
	"CREATE TABLE setting(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
	" value INTEGER NOT NULL);\n"
	"CREATE TABLE unit(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" parent_id INTEGER REFERENCES unit(id));\n"
	"CREATE INDEX unit_parent ON unit(parent_id);\n"
	/* The closure of the unit tree: (a, d) for every ancestor a of d,
	 * itself included at depth 0.  Derived from unit.parent_id. */
	"CREATE TABLE unit_tree(ancestor INTEGER NOT NULL REFERENCES unit(id),"
	" descendant INTEGER NOT NULL REFERENCES unit(id), depth INTEGER NOT NULL,"
	" PRIMARY KEY(ancestor, descendant)) WITHOUT ROWID;\n"
	"CREATE INDEX unit_tree_d ON unit_tree(descendant);\n"
	"CREATE TABLE user(id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL, role INTEGER NOT NULL CHECK (role BETWEEN 0 AND 4),"
	" unit_id INTEGER REFERENCES unit(id), pwhash TEXT NOT NULL,"
	" active INTEGER NOT NULL DEFAULT 1, created TEXT NOT NULL);\n"
	"CREATE INDEX user_unit ON user(unit_id);\n"
	"CREATE TABLE session(hash TEXT PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,"
	" csrf TEXT NOT NULL, created INTEGER NOT NULL, expires INTEGER NOT NULL)"
	" WITHOUT ROWID;\n"
	"CREATE INDEX session_expires ON session(expires);\n"
	"CREATE INDEX session_user ON session(user_id);\n"
	"CREATE TABLE campaign(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
	" title TEXT NOT NULL, theme TEXT NOT NULL DEFAULT '', started INTEGER NOT NULL,"
	" carried_from INTEGER REFERENCES campaign(id), current INTEGER NOT NULL DEFAULT 0,"
	" areas TEXT NOT NULL DEFAULT '[]');\n"
	"CREATE TABLE report(id INTEGER PRIMARY KEY,"
	" campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	" owner_id INTEGER REFERENCES user(id), title TEXT NOT NULL, kind TEXT NOT NULL,"
	" format TEXT NOT NULL, encoding TEXT NOT NULL, filename TEXT NOT NULL DEFAULT '',"
	" year INTEGER NOT NULL DEFAULT 0, sha256 TEXT NOT NULL, source TEXT NOT NULL,"
	" imported_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);\n"
	"CREATE INDEX report_sha ON report(sha256);\n"
	"CREATE INDEX report_campaign ON report(campaign_id);\n"
	"CREATE TABLE node(id INTEGER PRIMARY KEY,"
	" report_id INTEGER NOT NULL REFERENCES report(id),"
	" parent_id INTEGER REFERENCES node(id), kind INTEGER NOT NULL,"
	" role INTEGER NOT NULL, pos INTEGER NOT NULL, label TEXT NOT NULL DEFAULT '',"
	" title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '',"
	" start INTEGER NOT NULL, end INTEGER NOT NULL);\n"
	"CREATE INDEX node_parent ON node(parent_id, pos);\n"
	"CREATE INDEX node_report ON node(report_id, kind, role);\n"
	"CREATE TABLE task(id INTEGER PRIMARY KEY,"
	" campaign_id INTEGER NOT NULL REFERENCES campaign(id), seq INTEGER NOT NULL,"
	" problem_id INTEGER NOT NULL REFERENCES node(id),"
	" area_id INTEGER REFERENCES node(id),"
	" origin_id INTEGER REFERENCES task(id), leader_id INTEGER REFERENCES user(id),"
	" unit_id INTEGER REFERENCES unit(id), goal TEXT NOT NULL DEFAULT '',"
	" deadline_kind INTEGER NOT NULL DEFAULT 0, deadline INTEGER,"
	" status INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL,"
	" last_activity INTEGER NOT NULL, closed_day INTEGER, review_due INTEGER,"
	" n_progress INTEGER NOT NULL DEFAULT 0, n_evidence INTEGER NOT NULL DEFAULT 0,"
	" version INTEGER NOT NULL DEFAULT 1, updated TEXT NOT NULL,"
	" UNIQUE(campaign_id, seq));\n"
	"CREATE INDEX task_unit ON task(campaign_id, unit_id, status, deadline, last_activity,"
	" seq);\n"
	"CREATE INDEX task_status ON task(campaign_id, status, deadline, last_activity,"
	" review_due, unit_id, area_id);\n"
	"CREATE INDEX task_area ON task(area_id);\n"
	"CREATE INDEX task_deadline ON task(campaign_id, deadline IS NULL, deadline, seq);\n"
	"CREATE INDEX task_leader ON task(leader_id, status);\n"
	"CREATE INDEX task_problem ON task(problem_id);\n"
	"CREATE INDEX task_origin ON task(origin_id) WHERE origin_id IS NOT NULL;\n"
	"CREATE INDEX task_review ON task(review_due) WHERE review_due IS NOT NULL;\n"
	"CREATE TABLE task_measure(task_id INTEGER NOT NULL REFERENCES task(id),"
	" node_id INTEGER NOT NULL REFERENCES node(id), PRIMARY KEY(task_id, node_id))"
	" WITHOUT ROWID;\n"
	"CREATE INDEX task_measure_node ON task_measure(node_id);\n"
	"CREATE TABLE progress(id INTEGER PRIMARY KEY,"
	" task_id INTEGER NOT NULL REFERENCES task(id), day INTEGER NOT NULL,"
	" at TEXT NOT NULL, author_id INTEGER REFERENCES user(id), text TEXT NOT NULL);\n"
	"CREATE INDEX progress_task ON progress(task_id, id);\n"
	"CREATE TABLE commitment(id INTEGER PRIMARY KEY,"
	" campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	" report_id INTEGER REFERENCES report(id), text TEXT NOT NULL,"
	" subject TEXT NOT NULL, unit TEXT NOT NULL, min INTEGER NOT NULL,"
	" period INTEGER NOT NULL, per INTEGER NOT NULL);\n"
	"CREATE INDEX commitment_campaign ON commitment(campaign_id);\n"
	"CREATE TABLE activity(id INTEGER PRIMARY KEY,"
	" commitment_id INTEGER NOT NULL REFERENCES commitment(id), day INTEGER NOT NULL,"
	" note TEXT NOT NULL DEFAULT '', by_id INTEGER REFERENCES user(id), at TEXT NOT NULL);\n"
	"CREATE INDEX activity_commitment ON activity(commitment_id, day);\n"
	"CREATE TABLE activity_who(activity_id INTEGER NOT NULL REFERENCES activity(id),"
	" user_id INTEGER NOT NULL REFERENCES user(id), PRIMARY KEY(activity_id, user_id))"
	" WITHOUT ROWID;\n"
	"CREATE TABLE evidence(id INTEGER PRIMARY KEY,"
	" progress_id INTEGER REFERENCES progress(id),"
	" activity_id INTEGER REFERENCES activity(id), name TEXT NOT NULL,"
	" mime TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
	" data BLOB NOT NULL,"
	" CHECK ((progress_id IS NULL) <> (activity_id IS NULL)));\n"
	"CREATE INDEX evidence_progress ON evidence(progress_id) WHERE progress_id IS NOT NULL;\n"
	"CREATE INDEX evidence_activity ON evidence(activity_id) WHERE activity_id IS NOT NULL;\n"
	"CREATE TABLE task_event(id INTEGER PRIMARY KEY,"
	" task_id INTEGER NOT NULL REFERENCES task(id), action TEXT NOT NULL,"
	" from_status INTEGER, to_status INTEGER NOT NULL, actor_id INTEGER REFERENCES user(id),"
	" reason TEXT NOT NULL DEFAULT '', day INTEGER NOT NULL, at TEXT NOT NULL);\n"
	"CREATE INDEX task_event_task ON task_event(task_id, id, day, from_status, to_status);\n"
	"CREATE INDEX task_event_day ON task_event(day);\n"
	"CREATE TABLE extension(id INTEGER PRIMARY KEY,"
	" task_id INTEGER NOT NULL REFERENCES task(id), from_kind INTEGER NOT NULL,"
	" from_day INTEGER, to_day INTEGER NOT NULL, reason TEXT NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0, requested_by INTEGER REFERENCES user(id),"
	" decided_by INTEGER REFERENCES user(id), note TEXT NOT NULL DEFAULT '',"
	" at TEXT NOT NULL, decided_at TEXT NOT NULL DEFAULT '');\n"
	"CREATE INDEX extension_task ON extension(task_id, state);\n"
	/* The audit log: see store_audit.c for the chain. */
	"CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor_id INTEGER,"
	" actor TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL,"
	" entity_id INTEGER NOT NULL, before TEXT, after TEXT, prev TEXT NOT NULL,"
	" hash TEXT NOT NULL);\n"
	"CREATE INDEX audit_entity ON audit(entity, entity_id, id);\n",
	/* 1 → 2: optimistic versions on units, users and settings (as tasks and
	 * reports have); the idle clock of sessions; the leader's name as a
	 * spreadsheet gave it when it matches no user.  The images of the audit
	 * log (store_sql.h) leave these columns out while they hold their
	 * defaults, so every row written before keeps matching its log and the
	 * upgrade needs no audit rows of its own. */
	"ALTER TABLE unit ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n"
	"ALTER TABLE user ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n"
	"ALTER TABLE setting ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n"
	"ALTER TABLE session ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;\n"
	"UPDATE session SET last_seen = created;\n"
	"CREATE INDEX session_seen ON session(last_seen);\n"
	"ALTER TABLE task ADD COLUMN leader_text TEXT NOT NULL DEFAULT '';\n",
	/* 2 → 3: the dashboard's counts, kept by triggers in the transaction of
	 * every change of a task or a status event (store_commit.c says how they
	 * are read; verify recounts them).  Derived data, not ledger entities:
	 * they have no audit image, as n_progress has none of its own. */
	DASH_SCHEMA
	"DROP INDEX task_area;\n"
	"CREATE INDEX task_area ON task(area_id, campaign_id, seq);\n"
	"CREATE INDEX task_activity ON task(campaign_id, last_activity);\n"
	"INSERT INTO dash_day(id, day) VALUES(1, CAST(julianday('now') - 2440587.5 AS INTEGER));\n"
	"INSERT INTO dash_unit SELECT campaign_id, coalesce(unit_id, 0), status, "
	DASH_LIGHT_V3("task") ", " DASH_DUE("task") ", count(*) FROM task GROUP BY 1, 2, 3, 4, 5;\n"
	"INSERT INTO dash_area SELECT campaign_id, coalesce(area_id, 0), status, "
	DASH_LIGHT_V3("task") ", count(*) FROM task GROUP BY 1, 2, 3, 4;\n"
	"INSERT INTO dash_week SELECT t.campaign_id, v.day, sum(" DASH_DELTA("v") ")"
	" FROM task_event v JOIN task t ON t.id = v.task_id GROUP BY 1, 2;\n",
	/* 3 → 4: the title the office gives a campaign's 整改落实情况报告 when the
	 * one made from the material's title will not do ('' : made).  Out of
	 * the campaign's audit image while ''. */
	"ALTER TABLE campaign ADD COLUMN report_title TEXT NOT NULL DEFAULT '';\n",
	/* 4 → 5: 催办 and notifications.  A user's e-mail address and the
	 * channels they turned off (in the user's audit image once set,
	 * DEFAULT_OUT).  notification is a
	 * user's inbox and outbox what is to be sent of it by e-mail or
	 * webhook, one row per notification and channel; both are written in
	 * the transaction of the change they tell of, and are not audited
	 * (they are derived from audited rows, as sessions are not ledger).
	 * key makes the deadline reminders idempotent: one per task, event
	 * and day of the deadline. */
	"ALTER TABLE user ADD COLUMN email TEXT NOT NULL DEFAULT '';\n"
	"ALTER TABLE user ADD COLUMN notify_off INTEGER NOT NULL DEFAULT 0;\n"
	"CREATE TABLE notification(id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,"
	" task_id INTEGER REFERENCES task(id) ON DELETE CASCADE, event TEXT NOT NULL,"
	" text TEXT NOT NULL, at TEXT NOT NULL, day INTEGER NOT NULL,"
	" key TEXT NOT NULL DEFAULT '', read_at TEXT);\n"
	"CREATE INDEX notification_user ON notification(user_id, id);\n"
	"CREATE INDEX notification_task ON notification(task_id);\n"
	"CREATE INDEX notification_unread ON notification(user_id) WHERE read_at IS NULL;\n"
	"CREATE UNIQUE INDEX notification_once ON notification(user_id, task_id, event, key)"
	" WHERE key <> '';\n"
	"CREATE TABLE outbox(id INTEGER PRIMARY KEY,"
	" notification_id INTEGER NOT NULL REFERENCES notification(id) ON DELETE CASCADE,"
	" channel TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
	" attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0,"
	" done_at TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',"
	" UNIQUE(notification_id, channel));\n"
	"CREATE INDEX outbox_due ON outbox(state, next_at);\n"
	"CREATE INDEX task_event_urge ON task_event(task_id, id) WHERE action = 'urge';\n"
	"CREATE INDEX task_event_return ON task_event(task_id, id) WHERE action = 'return';\n",
	/* 5 → 6: grey (待交办) in the kept counts, and the light's thresholds
	 * read from dash_day instead of written into the triggers; the
	 * deadline index covers what the red list reads.  The
	 * thresholds start unset (-1): store_open() writes the program's and
	 * recounts the kept lights with them (dash_rule_sync), in this
	 * transaction on the upgrade and whenever they differ later. */
	"ALTER TABLE dash_day ADD COLUMN warn_days INTEGER NOT NULL DEFAULT -1;\n"
	"ALTER TABLE dash_day ADD COLUMN stale_days INTEGER NOT NULL DEFAULT -1;\n"
	"DROP TRIGGER dash_task_in;\n"
	"DROP TRIGGER dash_task_out;\n"
	"DROP TRIGGER dash_task_up;\n" DASH_TRIGGERS
	/* The red list by deadline (the dashboard's 逾期事项) tells grey from
	 * red by the leader, unit and kind of deadline, and binds the ended
	 * statuses: the deadline index covers them, or each candidate is a
	 * lookup of its row (30,000 tasks: 4 ms instead of 27). */
	"DROP INDEX task_deadline;\n"
	"CREATE INDEX task_deadline ON task(campaign_id, deadline IS NULL, deadline, seq, status,"
	" leader_id, unit_id, deadline_kind);\n"
	/* The new index comes with no statistics, and without them the
	 * planner takes it for the filtered lists too (100,000 tasks: a page
	 * of 台账 13 ms instead of 0.08). */
	"ANALYZE task;\n",
	/* 6 → 7: what the web servers share between requests, so that a
	 * user's requests may land on any server in front of one database
	 * (store_web.c): failed logins counted per key, and uploads kept
	 * between a preview and its confirmation.  Neither is ledger: no
	 * audit image, not copied by migrate, emptied by restore. */
	WEB_SHARED_SCHEMA("INTEGER", "BLOB", "user(id) ON DELETE CASCADE"),
};

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
	       "one migration per schema version");

/*
 * The schema at version 6 in PostgreSQL's words: what the migrations above
 * make, column for column and index for index (the same names, so that
 * the statements of store_sql.h read both).  Integers are bigint; ids
 * are given by identity columns (the audit log's and the settings' by
 * the program); evidence keeps its bytes in evidence_chunk, one row per
 * chunk written, and its data column empty.  The dashboard's triggers
 * are one PL/pgSQL function per table, with the same statements as
 * SQLite's.  Foreign keys are DEFERRABLE (checked at once unless a
 * transaction defers them, as a whole-ledger copy does: db_defer_keys).
 * The version is meta 'schema'.  Each migration past 6 gives its
 * PostgreSQL form in pg_migrations[], beside SQLite's: an empty database
 * gets this schema and then every one of them.
 */
#define PG_ID "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
static const char pg_schema[] =
	"CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);\n"
	"CREATE TABLE setting(id bigint PRIMARY KEY, key text NOT NULL UNIQUE,"
	" value text NOT NULL, version bigint NOT NULL DEFAULT 1);\n"
	"CREATE TABLE unit(" PG_ID ", name text NOT NULL UNIQUE,"
	" parent_id bigint REFERENCES unit(id) DEFERRABLE, version bigint NOT NULL DEFAULT 1);\n"
	"CREATE INDEX unit_parent ON unit(parent_id);\n"
	"CREATE TABLE unit_tree(ancestor bigint NOT NULL REFERENCES unit(id) DEFERRABLE,"
	" descendant bigint NOT NULL REFERENCES unit(id) DEFERRABLE, depth bigint NOT NULL,"
	" PRIMARY KEY(ancestor, descendant));\n"
	"CREATE INDEX unit_tree_d ON unit_tree(descendant);\n"
	"CREATE TABLE \"user\"(" PG_ID ", login text NOT NULL UNIQUE,"
	" name text NOT NULL, role bigint NOT NULL CHECK (role BETWEEN 0 AND 4),"
	" unit_id bigint REFERENCES unit(id) DEFERRABLE, pwhash text NOT NULL,"
	" active bigint NOT NULL DEFAULT 1, created text NOT NULL,"
	" version bigint NOT NULL DEFAULT 1, email text NOT NULL DEFAULT '',"
	" notify_off bigint NOT NULL DEFAULT 0);\n"
	"CREATE INDEX user_unit ON \"user\"(unit_id);\n"
	"CREATE TABLE session(hash text PRIMARY KEY,"
	" user_id bigint NOT NULL REFERENCES \"user\"(id) ON DELETE CASCADE DEFERRABLE,"
	" csrf text NOT NULL, created bigint NOT NULL, expires bigint NOT NULL,"
	" last_seen bigint NOT NULL DEFAULT 0);\n"
	"CREATE INDEX session_expires ON session(expires);\n"
	"CREATE INDEX session_of_user ON session(user_id);\n" /* session_user is a word */
	"CREATE INDEX session_seen ON session(last_seen);\n"
	"CREATE TABLE campaign(" PG_ID ", year bigint NOT NULL,"
	" title text NOT NULL, theme text NOT NULL DEFAULT '', started bigint NOT NULL,"
	" carried_from bigint REFERENCES campaign(id) DEFERRABLE, current bigint NOT NULL DEFAULT 0,"
	" areas text NOT NULL DEFAULT '[]', report_title text NOT NULL DEFAULT '');\n"
	"CREATE TABLE report(" PG_ID ","
	" campaign_id bigint NOT NULL REFERENCES campaign(id) DEFERRABLE,"
	" owner_id bigint REFERENCES \"user\"(id) DEFERRABLE, title text NOT NULL, kind text NOT NULL,"
	" format text NOT NULL, encoding text NOT NULL, filename text NOT NULL DEFAULT '',"
	" year bigint NOT NULL DEFAULT 0, sha256 text NOT NULL, source text NOT NULL,"
	" imported_at text NOT NULL, version bigint NOT NULL DEFAULT 1);\n"
	"CREATE INDEX report_sha ON report(sha256);\n"
	"CREATE INDEX report_campaign ON report(campaign_id);\n"
	"CREATE TABLE node(" PG_ID ","
	" report_id bigint NOT NULL REFERENCES report(id) DEFERRABLE,"
	" parent_id bigint REFERENCES node(id) DEFERRABLE, kind bigint NOT NULL,"
	" role bigint NOT NULL, pos bigint NOT NULL, label text NOT NULL DEFAULT '',"
	" title text NOT NULL DEFAULT '', text text NOT NULL DEFAULT '',"
	" start bigint NOT NULL, \"end\" bigint NOT NULL);\n"
	"CREATE INDEX node_parent ON node(parent_id, pos);\n"
	"CREATE INDEX node_report ON node(report_id, kind, role);\n"
	"CREATE TABLE task(" PG_ID ","
	" campaign_id bigint NOT NULL REFERENCES campaign(id) DEFERRABLE, seq bigint NOT NULL,"
	" problem_id bigint NOT NULL REFERENCES node(id) DEFERRABLE,"
	" area_id bigint REFERENCES node(id) DEFERRABLE,"
	" origin_id bigint REFERENCES task(id) DEFERRABLE, leader_id bigint REFERENCES \"user\"(id) DEFERRABLE,"
	" unit_id bigint REFERENCES unit(id) DEFERRABLE, goal text NOT NULL DEFAULT '',"
	" deadline_kind bigint NOT NULL DEFAULT 0, deadline bigint,"
	" status bigint NOT NULL DEFAULT 0, created bigint NOT NULL,"
	" last_activity bigint NOT NULL, closed_day bigint, review_due bigint,"
	" n_progress bigint NOT NULL DEFAULT 0, n_evidence bigint NOT NULL DEFAULT 0,"
	" version bigint NOT NULL DEFAULT 1, updated text NOT NULL,"
	" leader_text text NOT NULL DEFAULT '', UNIQUE(campaign_id, seq));\n"
	"CREATE INDEX task_unit ON task(campaign_id, unit_id, status, deadline, last_activity,"
	" seq);\n"
	"CREATE INDEX task_status ON task(campaign_id, status, deadline, last_activity,"
	" review_due, unit_id, area_id);\n"
	"CREATE INDEX task_area ON task(area_id, campaign_id, seq);\n"
	"CREATE INDEX task_activity ON task(campaign_id, last_activity);\n"
	"CREATE INDEX task_deadline ON task(campaign_id, (deadline IS NULL), deadline, seq, status,"
	" leader_id, unit_id, deadline_kind);\n"
	"CREATE INDEX task_open ON task(campaign_id, (deadline IS NULL), deadline, seq)"
	" WHERE" OPEN("status") ";\n"
	"CREATE INDEX task_leader ON task(leader_id, status);\n"
	"CREATE INDEX task_problem ON task(problem_id);\n"
	"CREATE INDEX task_origin ON task(origin_id) WHERE origin_id IS NOT NULL;\n"
	"CREATE INDEX task_review ON task(review_due) WHERE review_due IS NOT NULL;\n"
	"CREATE TABLE task_measure(task_id bigint NOT NULL REFERENCES task(id) DEFERRABLE,"
	" node_id bigint NOT NULL REFERENCES node(id) DEFERRABLE, PRIMARY KEY(task_id, node_id));\n"
	"CREATE INDEX task_measure_node ON task_measure(node_id);\n"
	"CREATE TABLE progress(" PG_ID ","
	" task_id bigint NOT NULL REFERENCES task(id) DEFERRABLE, day bigint NOT NULL,"
	" at text NOT NULL, author_id bigint REFERENCES \"user\"(id) DEFERRABLE, text text NOT NULL);\n"
	"CREATE INDEX progress_task ON progress(task_id, id);\n"
	"CREATE TABLE commitment(" PG_ID ","
	" campaign_id bigint NOT NULL REFERENCES campaign(id) DEFERRABLE,"
	" report_id bigint REFERENCES report(id) DEFERRABLE, text text NOT NULL,"
	" subject text NOT NULL, unit text NOT NULL, min bigint NOT NULL,"
	" period bigint NOT NULL, per bigint NOT NULL);\n"
	"CREATE INDEX commitment_campaign ON commitment(campaign_id);\n"
	"CREATE TABLE activity(" PG_ID ","
	" commitment_id bigint NOT NULL REFERENCES commitment(id) DEFERRABLE, day bigint NOT NULL,"
	" note text NOT NULL DEFAULT '', by_id bigint REFERENCES \"user\"(id) DEFERRABLE, at text NOT NULL);\n"
	"CREATE INDEX activity_commitment ON activity(commitment_id, day);\n"
	"CREATE TABLE activity_who(activity_id bigint NOT NULL REFERENCES activity(id) DEFERRABLE,"
	" user_id bigint NOT NULL REFERENCES \"user\"(id) DEFERRABLE, PRIMARY KEY(activity_id, user_id));\n"
	"CREATE TABLE evidence(" PG_ID ","
	" progress_id bigint REFERENCES progress(id) DEFERRABLE,"
	" activity_id bigint REFERENCES activity(id) DEFERRABLE, name text NOT NULL,"
	" mime text NOT NULL, size bigint NOT NULL, sha256 text NOT NULL,"
	" data bytea NOT NULL,"
	" CHECK ((progress_id IS NULL) <> (activity_id IS NULL)));\n"
	"CREATE INDEX evidence_progress ON evidence(progress_id) WHERE progress_id IS NOT NULL;\n"
	"CREATE INDEX evidence_activity ON evidence(activity_id) WHERE activity_id IS NOT NULL;\n"
	"CREATE TABLE evidence_chunk(evidence_id bigint NOT NULL REFERENCES evidence(id)"
	" ON DELETE CASCADE DEFERRABLE,"
	" off bigint NOT NULL, bytes bytea NOT NULL, PRIMARY KEY(evidence_id, off));\n"
	"CREATE TABLE task_event(" PG_ID ","
	" task_id bigint NOT NULL REFERENCES task(id) DEFERRABLE, action text NOT NULL,"
	" from_status bigint, to_status bigint NOT NULL, actor_id bigint REFERENCES \"user\"(id) DEFERRABLE,"
	" reason text NOT NULL DEFAULT '', day bigint NOT NULL, at text NOT NULL);\n"
	"CREATE INDEX task_event_task ON task_event(task_id, id, day, from_status, to_status);\n"
	"CREATE INDEX task_event_day ON task_event(day);\n"
	"CREATE INDEX task_event_urge ON task_event(task_id, id) WHERE action = 'urge';\n"
	"CREATE INDEX task_event_return ON task_event(task_id, id) WHERE action = 'return';\n"
	"CREATE TABLE extension(" PG_ID ","
	" task_id bigint NOT NULL REFERENCES task(id) DEFERRABLE, from_kind bigint NOT NULL,"
	" from_day bigint, to_day bigint NOT NULL, reason text NOT NULL,"
	" state bigint NOT NULL DEFAULT 0, requested_by bigint REFERENCES \"user\"(id) DEFERRABLE,"
	" decided_by bigint REFERENCES \"user\"(id) DEFERRABLE, note text NOT NULL DEFAULT '',"
	" at text NOT NULL, decided_at text NOT NULL DEFAULT '');\n"
	"CREATE INDEX extension_task ON extension(task_id, state);\n"
	"CREATE TABLE audit(id bigint PRIMARY KEY, at text NOT NULL, actor_id bigint,"
	" actor text NOT NULL, action text NOT NULL, entity text NOT NULL,"
	" entity_id bigint NOT NULL, before text, after text, prev text NOT NULL,"
	" hash text NOT NULL);\n"
	"CREATE INDEX audit_entity ON audit(entity, entity_id, id);\n"
	"CREATE TABLE notification(" PG_ID ","
	" user_id bigint NOT NULL REFERENCES \"user\"(id) ON DELETE CASCADE DEFERRABLE,"
	" task_id bigint REFERENCES task(id) ON DELETE CASCADE DEFERRABLE, event text NOT NULL,"
	" text text NOT NULL, at text NOT NULL, day bigint NOT NULL,"
	" key text NOT NULL DEFAULT '', read_at text);\n"
	"CREATE INDEX notification_user ON notification(user_id, id);\n"
	"CREATE INDEX notification_task ON notification(task_id);\n"
	"CREATE INDEX notification_unread ON notification(user_id) WHERE read_at IS NULL;\n"
	"CREATE UNIQUE INDEX notification_once ON notification(user_id, task_id, event, key)"
	" WHERE key <> '';\n"
	"CREATE TABLE outbox(" PG_ID ","
	" notification_id bigint NOT NULL REFERENCES notification(id) ON DELETE CASCADE DEFERRABLE,"
	" channel text NOT NULL, state bigint NOT NULL DEFAULT 0,"
	" attempts bigint NOT NULL DEFAULT 0, next_at bigint NOT NULL DEFAULT 0,"
	" done_at text NOT NULL DEFAULT '', error text NOT NULL DEFAULT '',"
	" UNIQUE(notification_id, channel));\n"
	"CREATE INDEX outbox_due ON outbox(state, next_at);\n"
	"CREATE TABLE dash_day(id bigint PRIMARY KEY CHECK (id = 1), day bigint NOT NULL,"
	" warn_days bigint NOT NULL DEFAULT -1, stale_days bigint NOT NULL DEFAULT -1);\n"
	"CREATE TABLE dash_unit(campaign_id bigint NOT NULL, unit_id bigint NOT NULL,"
	" status bigint NOT NULL, light bigint NOT NULL, due bigint NOT NULL,"
	" n bigint NOT NULL, PRIMARY KEY(campaign_id, unit_id, status, light, due));\n"
	"CREATE TABLE dash_area(campaign_id bigint NOT NULL, area_id bigint NOT NULL,"
	" status bigint NOT NULL, light bigint NOT NULL, n bigint NOT NULL,"
	" PRIMARY KEY(campaign_id, area_id, status, light));\n"
	"CREATE TABLE dash_week(campaign_id bigint NOT NULL, day bigint NOT NULL,"
	" delta bigint NOT NULL, PRIMARY KEY(campaign_id, day));\n"
	"INSERT INTO dash_day(id, day) VALUES (1, current_date - date '1970-01-01');\n"
	"CREATE FUNCTION dash_task() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN"
	" IF TG_OP <> 'INSERT' THEN " DASH_TASK("OLD", "-1") " END IF;"
	" IF TG_OP <> 'DELETE' THEN " DASH_TASK("NEW", "1") " END IF;"
	" RETURN NULL; END $f$;\n"
	"CREATE TRIGGER dash_task AFTER INSERT OR DELETE OR UPDATE OF campaign_id, unit_id,"
	" area_id, status, deadline, last_activity, review_due, leader_id, deadline_kind ON task"
	" FOR EACH ROW EXECUTE FUNCTION dash_task();\n"
	"CREATE FUNCTION dash_event() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN"
	" IF TG_OP <> 'INSERT' THEN " DASH_EVENT("OLD", "-1") " END IF;"
	" IF TG_OP <> 'DELETE' THEN " DASH_EVENT("NEW", "1") " END IF;"
	" RETURN NULL; END $f$;\n"
	"CREATE TRIGGER dash_event AFTER INSERT OR DELETE OR UPDATE ON task_event"
	" FOR EACH ROW EXECUTE FUNCTION dash_event();\n";
#undef PG_ID
#define PG_SCHEMA_BASE 6

/* pg_migrations[i] brings a PostgreSQL ledger from version i to i + 1, as
 * migrations[i] does a file (from PG_SCHEMA_BASE on). */
static const char *const pg_migrations[STORE_SCHEMA_VERSION] = {
	[6] = WEB_SHARED_SCHEMA("bigint", "bytea",
				"\"user\"(id) ON DELETE CASCADE DEFERRABLE"),
};

const char *store_pg_schema(void)
{
	return pg_schema;
}

const char *store_migration_sql(int from)
{
	return from >= 0 && from < (int)ARRAY_LEN(migrations) ? migrations[from] : NULL;
}
/* Written with the last migration: both numbers are literals (pragmas take
 * no bound values). */
static const char stamp_sql[] = "PRAGMA user_version = " STR(STORE_SCHEMA_VERSION)
				"; PRAGMA application_id = " STR(APPLICATION_ID) ";";

/* Commits by this process: all of them, and those that changed the ledger. */
static _Atomic uint64_t commit_counter, generation_counter;

void store_bump_generation(void)
{
	atomic_fetch_add(&generation_counter, 1);
	atomic_fetch_add(&commit_counter, 1);
}

enum rc store_dberr(struct store *st, struct err *e, const char *what)
{
	if (st && st->fail)
		return ERRC(e, st->fail, st->fail_code, "%s: %s", what, st->fail_msg);
	if (st && st->pg)
		return ERR(e, RC_DB, "%s: %s", what, pg_errmsg(st->pg));
	int code = st && st->db ? sqlite3_errcode(st->db) : SQLITE_ERROR;
	const char *msg = st && st->db ? sqlite3_errmsg(st->db) : "no connection";
	if (code == SQLITE_FULL)
		return ERR(e, RC_IO, "%s: the disk is full", what);
	return ERR(e, RC_DB, "%s: %s", what, msg);
}

/* Whether the first n bytes at p name one of the tables of the ledger's
 * shape (stmt_reshapes). */
static bool shaping_table(const char *p, size_t n, bool *task)
{
	static const char *const names[] = {"campaign", "node", "report", "unit", "unit_tree", "user"};
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') /* "user", quoted */
		p++, n -= 2;
	*task = n == 4 && memcmp(p, "task", 4) == 0;
	for (size_t i = 0; i < ARRAY_LEN(names) && !*task; i++)
		if (strlen(names[i]) == n && memcmp(p, names[i], n) == 0)
			return true;
	return *task;
}

/*
 * Whether the statement sql can change the ledger's shape: its campaigns,
 * reports and their items, its units and users, and which tasks exist with which
 * problem, campaign and area -- what store_office_todo counts and what the
 * ledger's filters offer, which progress and the workflow never change.
 * Read from the statement's own text when it is prepared, so that no list
 * can leave a new statement out; a yes too many costs one recount.
 */
bool stmt_reshapes(const char *sql)
{
	bool task;
	const char *p;
	if (strncmp(sql, "INSERT ", 7) == 0 || strncmp(sql, "REPLACE ", 8) == 0) {
		p = strstr(sql, " INTO ");
		return p && shaping_table(p + 6, strcspn(p + 6, " ("), &task);
	}
	if (strncmp(sql, "DELETE FROM ", 12) == 0)
		return shaping_table(sql + 12, strcspn(sql + 12, " "), &task);
	if (strncmp(sql, "UPDATE ", 7) != 0)
		return false;
	p = sql + 7;
	size_t n = strcspn(p, " ");
	if (!shaping_table(p, n, &task))
		return false;
	if (!task)
		return true;
	/* A task's problem, campaign or area, set before its WHERE. */
	static const char *const cols[] = {"problem", "campaign", "area"};
	const char *where = strstr(p, " WHERE ");
	size_t set = where ? (size_t)(where - p) : strlen(p);
	for (const char *col = p; (col = strstr(col, "_id = ")) && (size_t)(col - p) < set; col++)
		for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
			size_t k = strlen(cols[i]);
			if ((size_t)(col - p) >= k && memcmp(col - k, cols[i], k) == 0)
				return true;
		}
	return false;
}

const char *stmt_text_of(enum stmt s)
{
	return (unsigned)s < ST__MAX ? stmt_sql[s] : NULL;
}

const char *stmt_pg_of(enum stmt s)
{
	return (unsigned)s < ST__MAX ? stmt_pg[s] : NULL;
}

/* Statement s prepared on the handle's engine (NULL: the error in e). */
static struct dbq *prepare(struct store *st, enum stmt s, unsigned flags, struct err *e)
{
	if (st->pg) {
		struct pgq *pq = pg_prepare(st->pg, stmt_sql[s], stmt_pg[s]);
		if (!pq)
			ERR(e, RC_INTERNAL, "cannot prepare statement %d: %s", (int)s,
			    pg_errmsg(st->pg));
		return dbq_of_pg(pq);
	}
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v3(st->db, stmt_sql[s], -1, flags, &q, NULL) != SQLITE_OK) {
		ERR(e, RC_INTERNAL, "cannot prepare statement %d: %s", (int)s,
		    sqlite3_errmsg(st->db));
		sqlite3_finalize(q);
		return NULL;
	}
	return dbq_of_lite(q);
}

struct dbq *stmt_get(struct store *st, enum stmt s, struct err *e)
{
	if (!st->stmt[s]) {
		st->reshapes[s] = stmt_reshapes(stmt_sql[s]);
		st->stmt[s] = prepare(st, s, SQLITE_PREPARE_PERSISTENT, e);
		if (!st->stmt[s])
			return NULL;
	} else {
		stmt_rewind(st->stmt[s]);
	}
	if (st->reshapes[s] && st->tx_open)
		st->tx_reshaped = 1;
	return st->stmt[s];
}

void stmts_reset(struct store *st)
{
	for (size_t i = 0; i < ST__MAX; i++)
		if (st->stmt[i] && dbq_busy(st->stmt[i]))
			stmt_reset(st->stmt[i]);
	for (size_t i = 0; i < st->n_list_cache; i++)
		if (dbq_busy(st->list_cache[i].st))
			stmt_reset(st->list_cache[i].st);
}

enum rc stmt_prepare_private(struct store *st, enum stmt s, struct dbq **out, struct err *e)
{
	*out = prepare(st, s, 0, e);
	if (!*out)
		return RC_INTERNAL;
	if (st->tx_open && stmt_reshapes(stmt_sql[s]))
		st->tx_reshaped = 1;
	return RC_OK;
}

void bind_light_rule(struct dbq *q)
{
	bind_int(q, 20, LIGHT_WARN_DAYS);
	bind_int(q, 21, LIGHT_STALE_DAYS);
	bind_int(q, 22, TASK_CLOSED);
	bind_int(q, 23, TASK_CARRIED);
}

int64_t who_scope(const struct who *w)
{
	if (w->role != ROLE_HANDLER)
		return 0;
	return w->unit_id ? w->unit_id : -1;
}

/* ---- sha256hex() for images -------------------------------------------- */

static void fn_sha256hex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const void *p = sqlite3_value_type(argv[0]) == SQLITE_BLOB ? sqlite3_value_blob(argv[0])
								   : (const void *)sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	char hex[65];
	util_sha256_hex(p ? p : "", (size_t)n, hex);
	sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

void store_register_functions(sqlite3 *db)
{
	sqlite3_create_function(db, "sha256hex", 1,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				fn_sha256hex, NULL, NULL);
}

/* ---- open, migrate, close ---------------------------------------------- */

/* The integer a pragma (or count) gives; -1 when it cannot be read. */
static int pragma_int(struct store *st, const char *sql)
{
	sqlite3_stmt *raw;
	int v = -1;
	/* Pragmas are fixed literals; they cannot take bound values. */
	if (sqlite3_prepare_v2(st->db, sql, -1, &raw, NULL) != SQLITE_OK)
		return -1;
	struct dbq *q = dbq_of_lite(raw);
	if (stmt_step(st, q, NULL) == SQLITE_ROW)
		v = col_int(q, 0);
	stmt_finalize(q);
	return v;
}

/* Run statement s (no parameters but the light rule's) to its end. */
static enum rc run_rule_stmt(struct store *st, enum stmt s, struct err *e)
{
	struct dbq *q = stmt_get(st, s, e);
	if (!q)
		return RC_INTERNAL;
	bind_light_rule(q);
	return stmt_done(st, q, e);
}

/* Whether the dashboard's kept lights were taken with this program's
 * thresholds (dash_day, schema 6). */
enum rc dash_rule_same(struct store *st, bool *same, struct err *e)
{
	struct dbq *q = stmt_get(st, ST_DASH_RULE, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	*same = r == SQLITE_ROW && col_int(q, 0) == LIGHT_WARN_DAYS &&
		col_int(q, 1) == LIGHT_STALE_DAYS;
	stmt_reset(q);
	return r == SQLITE_ROW ? RC_OK : store_dberr(st, e, "the dashboard's thresholds");
}

/*
 * The dashboard's kept lights (dash_unit, dash_area) were taken with the
 * thresholds dash_day names.  When they are not this program's (schema 6
 * fresh from its upgrade, or a program with other constants), write ours
 * and recount every kept light, in the caller's transaction.
 */
static enum rc dash_rule_sync(struct store *st, struct err *e)
{
	bool same;
	enum rc rc = dash_rule_same(st, &same, e);
	if (rc || same)
		return rc;
	struct dbq *q = stmt_get(st, ST_DASH_RULE_SET, e);
	if (!q)
		return RC_INTERNAL;
	bind_int(q, 1, LIGHT_WARN_DAYS);
	bind_int(q, 2, LIGHT_STALE_DAYS);
	rc = stmt_done(st, q, e);
	static const enum stmt recount[] = {ST_DASH_UNIT_CLEAR, ST_DASH_AREA_CLEAR,
					    ST_DASH_UNIT_FILL, ST_DASH_AREA_FILL};
	for (size_t i = 0; !rc && i < ARRAY_LEN(recount); i++)
		rc = run_rule_stmt(st, recount[i], e);
	return rc;
}

struct upkeep {
	bool rule, shape;
};

static enum rc upkeep_tx(struct store *st, void *arg, struct err *e)
{
	const struct upkeep *u = arg;
	enum rc rc = u->rule ? dash_rule_sync(st, e) : RC_OK;
	if (!rc && u->shape)
		rc = stmt_run(st, ST_META_SHAPE_SET, NO_ARGS, e);
	return rc;
}

/* On a writable handle at the current schema: what is kept beside the
 * ledger brought up to date in one unaudited transaction -- the
 * dashboard's thresholds when they differ from the program's
 * (dash_rule_sync), and a shape token for a ledger made before it had one
 * (store_shape: else what is drawn once per shape would be drawn on every
 * request) -- and two reads otherwise. */
static enum rc open_upkeep(struct store *st, struct err *e)
{
	bool same;
	int has = 0;
	enum rc rc = dash_rule_same(st, &same, e);
	if (!rc)
		rc = stmt_exists(st, ST_META_SHAPE_GET, NO_ARGS, &has, e);
	if (rc || (same && has))
		return rc;
	struct upkeep u = {!same, !has};
	return store_tx(st, &WHO_SYSTEM, upkeep_tx, &u, e);
}

static enum rc migrate(struct store *st, struct err *e)
{
	int v = pragma_int(st, "PRAGMA user_version");
	int app = pragma_int(st, "PRAGMA application_id");
	if (v < 0)
		return store_dberr(st, e, "reading the schema version");
	int nmig = (int)ARRAY_LEN(migrations);
	if (v > nmig)
		return ERR(e, RC_DB,
			   "%s: database schema version %d is newer than this program's (%d); "
			   "use a newer rectify",
			   st->path, v, nmig);
	if (v > 0 && app != APPLICATION_ID)
		return ERR(e, RC_DB, "%s is not a rectify database", st->path);
	if (v == 0 && app != 0 && app != APPLICATION_ID)
		return ERR(e, RC_DB, "%s is not a rectify database", st->path);
	if (v == 0) {
		/* A fresh file must be empty: refuse to add our tables to someone
		 * else's database. */
		int n = pragma_int(st, "SELECT count(*) FROM sqlite_schema");
		if (n > 0)
			return ERR(e, RC_DB, "%s is not a rectify database", st->path);
	}
	st->schema = v;
	if (v == nmig && !st->readonly)
		return open_upkeep(st, e);
	if (v == nmig || (st->readonly && st->as_is))
		return RC_OK;
	if (st->readonly)
		return ERR(e, RC_DB, "%s: the schema (version %d) needs an upgrade to %d; open it "
			   "once for writing", st->path, v, nmig);
	if (tx_begin(st, TX_BEGIN_IMMEDIATE) != SQLITE_OK)
		return store_dberr(st, e, "starting the schema upgrade");
	/* Re-read inside the write lock: another process may have migrated. */
	v = pragma_int(st, "PRAGMA user_version");
	for (int i = v; i < nmig; i++) {
		char *msg = NULL;
		if (sqlite3_exec(st->db, migrations[i], NULL, NULL, &msg) != SQLITE_OK) {
			enum rc rc = ERR(e, RC_DB, "%s: the schema upgrade to version %d failed (%s); "
					 "the database was left as it was, at version %d",
					 st->path, i + 1, msg ? msg : "?", v);
			sqlite3_free(msg);
			tx_rollback(st);
			return rc;
		}
	}
	enum rc rc = dash_rule_sync(st, e);
	if (!rc)
		rc = stmt_run(st, ST_META_SHAPE_SET, NO_ARGS, e);
	stmts_reset(st);
	if (!rc && sqlite3_exec(st->db, stamp_sql, NULL, NULL, NULL) != SQLITE_OK)
		rc = store_dberr(st, e, "schema upgrade");
	if (!rc)
		rc = tx_commit(st, NULL, e);
	if (rc) {
		tx_rollback(st);
		return rc;
	}
	st->schema = nmig;
	return RC_OK;
}

/* The schema on PostgreSQL: made in an empty database, brought up to date
 * in an older ledger (pg_migrations[]), refused in someone else's or a
 * newer one's; one transaction holding the writers' lock, so two servers
 * starting at once make or upgrade it once. */
static enum rc migrate_pg(struct store *st, bool create, struct err *e)
{
	int v = 0, others = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct dbq *q = stmt_prepare_text(
			st,
			"SELECT to_regclass('meta') IS NOT NULL, count(*) FROM pg_tables"
			" WHERE schemaname = current_schema()",
			"reading the schema version", e);
		if (!q)
			return RC_DB;
		int has = 0;
		int r = stmt_step(st, q, e);
		if (r == DB_ROW) {
			has = col_int(q, 0);
			others = col_int(q, 1);
		}
		stmt_finalize(q);
		if (r != DB_ROW)
			return store_dberr(st, e, "reading the schema version");
		v = 0;
		if (has) {
			q = stmt_prepare_text(st, "SELECT value FROM meta WHERE key = 'schema'",
					      "reading the schema version", e);
			if (!q)
				return RC_DB;
			r = stmt_step(st, q, e);
			if (r == DB_ROW)
				v = col_int(q, 0);
			stmt_finalize(q);
			if (r != DB_ROW && r != DB_DONE)
				return store_dberr(st, e, "reading the schema version");
		}
		if (v > STORE_SCHEMA_VERSION)
			return ERR(e, RC_DB,
				   "the database's schema version %d is newer than this program's "
				   "(%d); use a newer rectify",
				   v, STORE_SCHEMA_VERSION);
		if (v == 0 && others > 0)
			return ERR(e, RC_DB, "the database is not a rectify database: it holds"
					   " tables that are not rectify's");
		if (v > 0 && v < PG_SCHEMA_BASE)
			return ERR(e, RC_DB, "the database's schema version %d is older than any"
					   " rectify ledger on PostgreSQL", v);
		if (v == STORE_SCHEMA_VERSION || pass == 1 || (st->readonly && st->as_is && v))
			break;
		/* An empty database is what a missing file is to SQLite. */
		if (v == 0 && (st->readonly || !create))
			return ERRC(e, RC_NOTFOUND, STORE_E_NO_DATABASE, "no ledger in %s yet",
				    st->path);
		if (st->readonly)
			return ERR(e, RC_DB, "the schema (version %d) needs an upgrade to %d; open"
					   " it once for writing", v, STORE_SCHEMA_VERSION);
		if (tx_begin(st, TX_BEGIN_IMMEDIATE) != DB_OK)
			return store_dberr(st, e, "starting to make the schema");
		/* Read again under the lock: another server may have made it. */
	}
	st->schema = v;
	if (v == STORE_SCHEMA_VERSION || st->readonly) {
		if (st->tx_open)
			tx_rollback(st);
		return st->readonly ? RC_OK : open_upkeep(st, e);
	}
	enum rc rc = RC_OK;
	if (v == 0 && pg_exec(st->pg, pg_schema) != DB_OK)
		rc = ERR(e, RC_DB, "making the schema failed: %s", pg_errmsg(st->pg));
	for (int i = v ? v : PG_SCHEMA_BASE; !rc && i < STORE_SCHEMA_VERSION; i++)
		if (!pg_migrations[i])
			rc = ERR(e, RC_INTERNAL, "migration %d has no PostgreSQL form", i + 1);
		else if (pg_exec(st->pg, pg_migrations[i]) != DB_OK)
			rc = ERR(e, RC_DB, "the schema upgrade to version %d failed (%s); the"
					   " database was left as it was, at version %d",
				 i + 1, pg_errmsg(st->pg), v);
	if (!rc)
		rc = dash_rule_sync(st, e);
	if (!rc)
		rc = stmt_run(st, ST_META_SHAPE_SET, NO_ARGS, e);
	stmts_reset(st);
	if (!rc && pg_exec(st->pg, "INSERT INTO meta(key, value) VALUES ('schema', '"
			   STR(STORE_SCHEMA_VERSION) "') ON CONFLICT(key) DO UPDATE"
			   " SET value = excluded.value") != DB_OK)
		rc = store_dberr(st, e, "making the schema");
	if (!rc)
		rc = tx_commit(st, NULL, e);
	if (rc) {
		tx_rollback(st);
		return rc;
	}
	st->schema = STORE_SCHEMA_VERSION;
	return RC_OK;
}

static enum rc open_pg(struct store *st, bool create, struct err *e)
{
	enum rc rc = pg_open(st->path, &st->pg, e);
	if (rc)
		return rc;
	if (st->readonly) {
		pg_set_readonly(st->pg);
		if (pg_exec(st->pg, "SET default_transaction_read_only = on") != DB_OK)
			return store_dberr(st, e, "read-only");
	}
	return migrate_pg(st, create, e);
}

/*
 * A read-only open of a WAL database needs its -shm (and -wal) files, or the
 * right to create them: on a read-only medium, an archive, or another user's
 * file, the first read fails with "unable to open database file" or
 * "attempt to write a readonly database".  When the file has no write-ahead
 * log content (nothing committed but not yet in the file itself), it is
 * read as immutable instead: no locks, no side files.  With log content it
 * is not, as that would read an older ledger.
 */
static bool ro_retry(sqlite3 *db, const char *path)
{
	int c = sqlite3_errcode(db);
	if (c != SQLITE_CANTOPEN && c != SQLITE_READONLY)
		return false;
	char *wal = xasprintf("%s-wal", path);
	struct stat sb;
	bool empty = stat(wal, &sb) != 0 || sb.st_size == 0;
	free(wal);
	return empty;
}

static int open_immutable(const char *path, sqlite3 **db)
{
	struct buf u = BUF_INIT(0);
	buf_puts(&u, "file:");
	for (const char *p = path; *p; p++)
		if (*p == '%' || *p == '?' || *p == '#')
			buf_printf(&u, "%%%02X", (unsigned char)*p);
		else
			buf_putc(&u, *p);
	buf_puts(&u, "?immutable=1");
	buf_putc(&u, '\0');
	int r = u.err != RC_OK ? SQLITE_NOMEM
			       : sqlite3_open_v2(u.p, db,
						 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
							 SQLITE_OPEN_NOMUTEX,
						 NULL);
	buf_release(&u);
	return r;
}

bool store_is_url(const char *path)
{
	return path && pg_is_url(path);
}

enum rc store_open(const char *path, unsigned flags, struct store **out, struct err *e)
{
	*out = NULL;
	int memory = strcmp(path, ":memory:") == 0;
	if (pg_is_url(path)) {
		struct store *st = xcalloc(1, sizeof *st);
		st->gen_dv = -2;
		st->path = xstrdup(path);
		st->readonly = (flags & STORE_READONLY) != 0;
		st->as_is = (flags & STORE_AS_IS) != 0;
		enum rc rc = open_pg(st, (flags & STORE_CREATE) != 0, e);
		if (rc) {
			store_close(st);
			return rc;
		}
		*out = st;
		return RC_OK;
	}
	if (!memory && !(flags & STORE_CREATE)) {
		struct stat sb;
		if (stat(path, &sb) != 0)
			return ERRC(e, RC_NOTFOUND, STORE_E_NO_DATABASE, "no database at %s", path);
	}
	struct store *st = xcalloc(1, sizeof *st);
	st->gen_dv = -2; /* no data_version seen yet */
	st->path = xstrdup(path);
	st->readonly = (flags & STORE_READONLY) != 0;
	st->as_is = (flags & STORE_AS_IS) != 0;
	int oflags = SQLITE_OPEN_NOMUTEX;
	oflags |= st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	enum rc rc;
	bool immutable = false;
again:
	if ((immutable ? open_immutable(path, &st->db)
		       : sqlite3_open_v2(path, &st->db, oflags, NULL)) != SQLITE_OK) {
		rc = ERR(e, RC_DB, "cannot open %s: %s", path,
			 st->db ? db_errmsg(st) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, 5000);
	store_register_functions(st->db);
	/* WAL can only be set on a writable connection; a read-only one reads
	 * whatever mode the file is in. */
	if (!st->readonly && !memory) {
		int r = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (r != SQLITE_OK) {
			if (sqlite3_errcode(st->db) == SQLITE_NOTADB) {
				rc = ERR(e, RC_DB, "%s is not a rectify database", path);
				goto fail;
			}
			rc = store_dberr(st, e, path);
			goto fail;
		}
	}
	if (sqlite3_exec(st->db,
			 "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			 " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000;"
			 " PRAGMA mmap_size=268435456",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    (st->readonly && sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL,
					  NULL) != SQLITE_OK)) {
		if (st->readonly && !memory && !immutable && ro_retry(st->db, path)) {
			sqlite3_close(st->db);
			st->db = NULL;
			immutable = true;
			goto again;
		}
		if (sqlite3_errcode(st->db) == SQLITE_NOTADB)
			rc = ERR(e, RC_DB, "%s is not a rectify database", path);
		else
			rc = store_dberr(st, e, path);
		goto fail;
	}
	rc = migrate(st, e);
	if (rc)
		goto fail;
	*out = st;
	return RC_OK;
fail:
	store_close(st);
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	pg_closing(st->pg);
	for (size_t i = 0; i < ST__MAX; i++)
		stmt_finalize(st->stmt[i]);
	for (size_t i = 0; i < st->n_list_cache; i++)
		stmt_finalize(st->list_cache[i].st);
	if (st->db) {
		if (!st->readonly)
			sqlite3_exec(st->db, "PRAGMA optimize", NULL, NULL, NULL);
		sqlite3_close(st->db);
	}
	pg_close(st->pg);
	free(st->path);
	free(st);
}

/*
 * Only what changes the ledger counts: every such commit appends to the
 * audit log and moves its head (meta 'audit_head'), while the sessions'
 * writes (a login, the idle clock's once-a-minute touch) append nothing, so
 * they leave every page the web keeps drawn.  This connection's commits are
 * seen by the process-wide counter (bumped after audited commits), others'
 * by ST_DATA_VERSION (PRAGMA data_version; on PostgreSQL a hash of the
 * snapshot, which every commit of any server moves), and then by the head
 * they left.
 */
static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum rc generation_get(struct store *st, uint64_t *gen, uint64_t *commits, struct err *e)
{
	/* PRAGMA data_version opens a read transaction (file locks and all):
	 * a fifth of the time of a cached page.  Other processes' commits are
	 * looked for at most every STORE_GENERATION_POLL_MS per handle; this
	 * process's are in the counters at once. */
	int64_t now = mono_ms();
	int64_t dv = st->gen_dv;
	uint64_t ledger = atomic_load(&generation_counter);
	enum rc rc = RC_OK;
	/* After a ledger commit of this process, every handle reads the new
	 * head at once, so that all compute the same value. */
	if (dv < 0 || ledger != st->gen_counter || now - st->gen_polled >= STORE_GENERATION_POLL_MS) {
		dv = -1;
		struct dbq *q = stmt_get(st, ST_DATA_VERSION, e);
		int r = q ? stmt_step(st, q, e) : SQLITE_ERROR;
		if (r == SQLITE_ROW)
			dv = col_int64(q, 0);
		else
			rc = q ? stmt_failed(st) : RC_INTERNAL;
		if (q)
			stmt_reset(q);
		st->gen_polled = now;
		st->gen_counter = ledger;
	}
	if (dv != st->gen_dv || dv < 0) {
		struct dbq *q;
		uint64_t h = 1469598103934665603ull; /* FNV-1a of the head */
		q = rc ? NULL : stmt_get(st, ST_META_HEAD_GET, e);
		int r = q ? stmt_step(st, q, e) : SQLITE_ERROR;
		if (r == SQLITE_ROW) {
			const unsigned char *t = (const unsigned char *)col_text(q, 0);
			for (; t && *t; t++)
				h = (h ^ *t) * 1099511628211ull;
		} else {
			h ^= (uint64_t)dv; /* no head to read: fall back on the version */
		}
		if (q)
			stmt_reset(q);
		if (!rc && r != SQLITE_ROW && r != SQLITE_DONE)
			rc = q ? stmt_failed(st) : RC_INTERNAL;
		/* After a failure nothing is remembered: the next call reads again. */
		st->gen_dv = rc ? -2 : dv;
		st->gen_head = h;
	}
	if (commits)
		*commits = (atomic_load(&commit_counter) << 32) ^ (uint64_t)dv;
	*gen = (ledger << 40) ^ st->gen_head;
	return rc;
}

uint64_t store_generation(struct store *st, uint64_t *commits)
{
	uint64_t gen;
	generation_get(st, &gen, commits, NULL);
	return gen;
}

/* ---- the transaction runner --------------------------------------------- */

static void now_iso(char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char base[20];
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%s.%03dZ", base, (int)(ts.tv_nsec / 1000000));
}

static enum rc tx_actor(struct store *st, const struct who *w, struct err *e)
{
	if (!w || w->user_id == 0) {
		snprintf(st->tx_actor, sizeof st->tx_actor, "system");
		return RC_OK;
	}
	struct dbq *q = stmt_get(st, ST_USER_LOGIN, e);
	if (!q)
		return RC_INTERNAL;
	bind_int64(q, 1, w->user_id);
	int r = stmt_step(st, q, e);
	if (r == SQLITE_ROW) {
		snprintf(st->tx_actor, sizeof st->tx_actor, "%s",
			 col_text(q, 0));
		stmt_reset(q);
		return RC_OK;
	}
	stmt_reset(q);
	if (r == SQLITE_DONE)
		return ERRC(e, RC_AUTH, STORE_E_NO_USER, "user %lld does not exist",
			    (long long)w->user_id);
	return stmt_failed(st);
}

enum rc store_tx(struct store *st, const struct who *w, store_tx_fn fn, void *arg, struct err *e)
{
	if (st->in_tx)
		return ERR(e, RC_INTERNAL, "nested transaction");
	if (st->readonly)
		return ERR(e, RC_DB, "%s was opened read-only", st->path);
	enum rc rc = RC_OK;
	for (int attempt = 0; attempt < 5; attempt++) {
		int r = tx_begin(st, TX_BEGIN_IMMEDIATE);
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED) {
			rc = ERR(e, RC_DB, "the database is busy; try again");
			continue;
		}
		if (r != SQLITE_OK)
			return store_dberr(st, e, "begin");
		st->in_tx = 1;
		st->tx_who = w;
		st->tx_last_id = -1;
		st->tx_prev[0] = '\0';
		st->tx_audited = 0;
		now_iso(st->tx_at);
		rc = tx_actor(st, w, e);
		if (!rc)
			rc = fn(st, arg, e);
		int busy = st->pg ? 0 : sqlite3_errcode(st->db) == SQLITE_BUSY;
		if (!rc && st->tx_audited) {
			struct dbq *q = stmt_get(st, ST_META_HEAD_SET, e);
			if (!q) {
				rc = RC_INTERNAL;
			} else {
				char head[96];
				snprintf(head, sizeof head, "%lld:%s", (long long)st->tx_last_id,
					 st->tx_prev);
				bind_text(q, 1, head);
				rc = stmt_done(st, q, e);
			}
		}
		stmts_reset(st);
		if (!rc) {
			/* Refused while a failure is pending, whatever fn said. */
			rc = tx_commit(st, &busy, e);
			if (!rc) {
				st->in_tx = 0;
				st->tx_who = NULL;
				if (st->tx_audited) {
					st->gen_dv = -2; /* its own commit: read the head again */
					store_bump_generation();
				} else {
					atomic_fetch_add(&commit_counter, 1);
				}
				return RC_OK;
			}
		}
		tx_rollback(st);
		st->in_tx = 0;
		st->tx_who = NULL;
		if (!(rc == RC_DB && busy))
			return rc;
	}
	return rc;
}

/* ---- settings ------------------------------------------------------------ */

static const struct setting_info settings[SETTING__MAX] = {
	[SETTING_REVIEW_MONTHS] = {"review_months", "销号后回头看的间隔（月）", 6, 1, 120},
	[SETTING_IMMEDIATE_DAYS] = {"immediate_days", "立行立改事项的完成期限（天）", 30, 1, 365},
	[SETTING_DUE_DAYS] = {"due_days", "时限提醒：到期前几天发出提醒（天）", 7, 1, 90},
	[SETTING_DIGEST_HOUR] = {"digest_hour", "每日提醒汇总的发送时刻（0–23 时）", 8, 0, 23},
	[SETTING_REPORT_CHARTS] = {"report_charts", "整改落实情况报告（Word）插入图表（1 是，0 否）", 0, 0, 1},
};

const struct setting_info *store_setting_info(enum store_setting s)
{
	return (unsigned)s < SETTING__MAX ? &settings[s] : NULL;
}

int store_setting_parse(const char *key, enum store_setting *out)
{
	for (int i = 0; key && i < SETTING__MAX; i++)
		if (strcmp(key, settings[i].key) == 0) {
			*out = (enum store_setting)i;
			return 0;
		}
	return -1;
}

/* The value of s and its version (0 while it was never set), inside a
 * transaction or for a read. */
static enum rc setting_load(struct store *st, enum store_setting s, int64_t *value,
			    int64_t *version, struct err *e)
{
	*value = settings[s].def;
	*version = 0;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_SETTING_GET, ARGS(A_INT(s)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == SQLITE_ROW) {
		*value = col_int64(q, 0);
		*version = col_int64(q, 1);
	}
	stmt_reset(q);
	return r == SQLITE_ROW || r == SQLITE_DONE ? RC_OK : stmt_failed(st);
}

int64_t store_setting_value(struct store *st, enum store_setting s)
{
	/* The default when it cannot be read: inside a transaction the
	 * failure is pending and the commit refuses. */
	int64_t v, ver;
	setting_load(st, s, &v, &ver, NULL);
	return v;
}

enum rc store_setting_get(struct store *st, enum store_setting s, int64_t *value,
			  int64_t *version, struct err *e)
{
	if ((unsigned)s >= SETTING__MAX)
		return ERRC(e, RC_INVALID, STORE_E_NO_SETTING, "no such setting");
	int64_t ver;
	enum rc rc = setting_load(st, s, value, &ver, e);
	if (version)
		*version = ver;
	stmts_reset(st);
	return rc;
}

struct setting_arg {
	enum store_setting s;
	int64_t v, version, new_version;
};

static enum rc setting_set_tx(struct store *st, void *arg, struct err *e)
{
	struct setting_arg *a = arg;
	int64_t cur, ver;
	enum rc rc = setting_load(st, a->s, &cur, &ver, e);
	if (rc)
		return rc;
	if (ver != a->version)
		return ERRC(e, RC_CONFLICT, STORE_E_STALE,
			    "the setting %s was changed by someone else (version %lld, you had "
			    "%lld); reload it",
			    settings[a->s].key, (long long)ver, (long long)a->version);
	const struct arg *args =
		ver ? ARGS(A_INT(a->s), A_TEXT(settings[a->s].key), A_INT(a->v), A_INT(ver))
		    : ARGS(A_INT(a->s), A_TEXT(settings[a->s].key), A_INT(a->v));
	rc = audited_write(st, ENT_SETTING, (int64_t)a->s, "setting",
			   ver ? ST_SETTING_UPDATE : ST_SETTING_INSERT, args, NULL, e);
	if (!rc)
		a->new_version = ver + 1;
	return rc;
}

enum rc store_setting_set(struct store *st, const struct who *w, enum store_setting s,
			  int64_t value, int64_t version, int64_t *new_version, struct err *e)
{
	if ((unsigned)s >= SETTING__MAX)
		return ERRC(e, RC_INVALID, STORE_E_NO_SETTING, "no such setting");
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) changes settings");
	if (value < settings[s].lo || value > settings[s].hi)
		return ERRC(e, RC_INVALID, STORE_E_SETTING_RANGE,
			    "%s must be between %lld and %lld", settings[s].key,
			    (long long)settings[s].lo, (long long)settings[s].hi);
	struct setting_arg a = {s, value, version, 0};
	enum rc rc = store_tx(st, w, setting_set_tx, &a, e);
	if (!rc && new_version)
		*new_version = a.new_version;
	return rc;
}

enum rc campaign_resolve(struct store *st, int64_t c, int64_t *out, struct err *e)
{
	struct dbq *q = stmt_get(st, c ? ST_CAMPAIGN_EXISTS : ST_CAMPAIGN_CURRENT, e);
	if (!q)
		return RC_INTERNAL;
	if (c)
		bind_int64(q, 1, c);
	int r = stmt_step(st, q, e);
	if (r == SQLITE_ROW) {
		*out = col_int64(q, 0);
		stmt_reset(q);
		return RC_OK;
	}
	stmt_reset(q);
	if (r != SQLITE_DONE)
		return store_dberr(st, e, "campaign");
	if (c)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_CAMPAIGN, "no campaign %lld", (long long)c);
	/* The command line adds the command that opens one (cli_fail). */
	return ERRC(e, RC_NOTFOUND, STORE_E_NO_CAMPAIGN_YET,
		    "there is no campaign yet: importing a report or a spreadsheet ledger "
		    "opens one");
}

/* ---- whole-database copies -------------------------------------------------- */

static enum rc copy_db(sqlite3 *dst, sqlite3 *src, struct err *e)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return ERR(e, RC_DB, "backup: %s", sqlite3_errmsg(dst));
	int r;
	int tries = 0;
	/* One step copies every page inside one read transaction of the source:
	 * a consistent snapshot even while others write (WAL). */
	while ((r = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || r == SQLITE_LOCKED) {
		if (++tries > 100)
			break;
		sqlite3_sleep(50);
	}
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE)
		return ERR(e, RC_DB, "backup: %s", sqlite3_errstr(r));
	if (sqlite3_errcode(dst) != SQLITE_OK && sqlite3_errcode(dst) != SQLITE_DONE)
		return ERR(e, RC_DB, "backup: %s", sqlite3_errmsg(dst));
	return RC_OK;
}

/* A ledger on PostgreSQL into a new SQLite file at path (store_copy),
 * left in rollback-journal mode as SQLite's own copies are. */
static enum rc copy_to_file(struct store *st, const char *path, struct err *e)
{
	struct store *d = NULL;
	struct store_copy_result res;
	enum rc rc = store_open(path, STORE_CREATE, &d, e);
	if (!rc)
		rc = store_copy(st, d, false, &res, e);
	if (!rc && sqlite3_exec(d->db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = store_dberr(d, e, "backup");
	store_close(d);
	return rc;
}

enum rc db_copy_to(struct store *st, const char *path, struct err *e)
{
	if (st->pg)
		return copy_to_file(st, path, e);
	sqlite3 *d = NULL;
	enum rc rc;
	if (sqlite3_open_v2(path, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = ERR(e, RC_IO, "cannot create %s: %s", path, d ? sqlite3_errmsg(d) : "?");
		sqlite3_close(d);
		return rc;
	}
	rc = copy_db(d, st->db, e);
	if (!rc && sqlite3_exec(d, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = ERR(e, RC_DB, "backup: %s", sqlite3_errmsg(d));
	sqlite3_close(d);
	return rc;
}

enum rc db_copy_over(struct store *src, const char *path, struct err *e)
{
	if (pg_is_url(path)) {
		/* The ledger in the database replaced, in one transaction. */
		struct store *d = NULL;
		struct store_copy_result res;
		enum rc rc = store_open(path, STORE_CREATE, &d, e);
		if (!rc)
			rc = store_copy(src, d, true, &res, e);
		store_close(d);
		return rc;
	}
	sqlite3 *d = NULL;
	enum rc rc;
	if (sqlite3_open_v2(path, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = ERR(e, RC_IO, "cannot open %s: %s", path, d ? sqlite3_errmsg(d) : "?");
	} else {
		sqlite3_busy_timeout(d, 5000);
		rc = copy_db(d, src->db, e);
	}
	sqlite3_close(d);
	return rc;
}

enum rc db_analyze(struct store *st, struct err *e)
{
	if (st->pg ? pg_exec(st->pg, "ANALYZE") != DB_OK
		   : sqlite3_exec(st->db, "ANALYZE", NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(st, e, "analyze");
	return RC_OK;
}
