/*
 * store.h -- the ledger (整改台账): every table, every query and every write
 * of rectify, on SQLite.  The web application, the office exports and the
 * command line all go through the functions below; nothing else in the
 * program speaks SQL (tools/codecheck.sh enforces that statements are
 * prepared only in src/store_*.c).
 *
 * Model (docs/WORKFLOW.md tells the rules in prose):
 *
 *     unit (tree) ── user (one role, one unit) ── session
 *     campaign (year, title, framework areas)
 *      ├─ report (source verbatim + sha256) ── node (section/area/item/example)
 *      ├─ task (one per problem item) ── task_measure ── node (measures)
 *      │    ├─ progress ── evidence (blob, bounded)
 *      │    ├─ task_event (status history, reviews)
 *      │    └─ extension (延期申请)
 *      └─ commitment ── activity ── activity_who, evidence
 *     audit (hash chain over every change above)
 *
 * Invariants every function here keeps:
 *   - A handle (struct store) is one SQLite connection: use it from one
 *     thread at a time.  The web server opens one per worker thread.  WAL,
 *     synchronous=FULL, foreign keys on, a busy timeout of 5 s.
 *   - Every write is one transaction (BEGIN IMMEDIATE … COMMIT, retried on
 *     SQLITE_BUSY) that also appends one audit row per changed entity,
 *     chained by SHA-256.  A write either happens whole, audited, or not
 *     at all.
 *   - The caller is passed to every read and write as a struct who.  Unit
 *     scoping happens inside the SQL: a handler sees the tasks of their
 *     unit and its sub-units; other roles see the whole ledger.  Something
 *     outside the caller's scope is RC_NOTFOUND (never RC_DENIED, which
 *     would reveal that it exists).  An action the caller's role may not
 *     take on a task they can see is RC_DENIED, with e->msg naming the rule
 *     (docs/WORKFLOW.md lists them).  A write that names an expected version
 *     that is no longer current is RC_CONFLICT; so is an action the task's
 *     status does not allow.
 *   - "Today" is a parameter (a day number, see store_day_*) of everything
 *     that computes the light or a due date, so tests and the CLI
 *     (RECTIFY_TODAY) can set it.  Timestamps of rows (audit, progress) are
 *     the real clock.
 *   - The light (红黄绿灯) is computed, never stored: see light_compute().
 *
 * Memory: a result struct (struct task, struct task_list, …) owns every
 * string and array it points to through its own arena and is freed with its
 * *_release() function; a zeroed struct is safe to release.  Strings passed
 * in are borrowed for the duration of the call.  Every function that fills
 * a result struct zeroes it first, so it may be released whatever the rc.
 *
 * Errors: the usual enum rc (util.h) with a message in e->msg (English, for
 * the command line) and, for a refusal, a stable code in e->code (the
 * STORE_E_* list below) that callers key on.  RC_INVALID
 * for bad arguments (empty reason, unknown role, date in the wrong form),
 * RC_TOOBIG for evidence over its bound, RC_DB when SQLite fails (the
 * message holds SQLite's), RC_AUTH for a wrong password or dead session.
 *
 * API history: version 1 (this file) is the first published shape.  Changes
 * are listed here with the schema version they came with.
 */
#ifndef RECTIFY_STORE_H
#define RECTIFY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "util.h"

/* ==== refusal codes ===================================================== */

/*
 * Every refusal the store makes (bad input, a rule, a stale version, a name
 * taken …) sets e->code to one of these string literals besides the English
 * message: callers that tell refusals apart -- the web, which shows them in
 * Chinese -- compare codes, never pieces of the message.  Codes are stable:
 * one is added for a new refusal, none is renamed or reused.  Failures of
 * the database itself (RC_DB, RC_IO, RC_INTERNAL) carry no code.
 * docs/WORKFLOW.md lists them.
 */
/* The workflow's rules (task_may() and the writes; docs/WORKFLOW.md). */
#define STORE_E_W1_ROLE "W1-role"               /* only the office assigns */
#define STORE_E_W1_CLOSED "W1-closed"           /* a closed task is not assigned */
#define STORE_E_W2_ROLE "W2-role"               /* progress: leader, unit's handler, office */
#define STORE_E_W2_SUBMITTED "W2-submitted"     /* no progress while under review */
#define STORE_E_W2_CLOSED "W2-closed"           /* no progress on a closed task */
#define STORE_E_W3_ROLE "W3-role"               /* 申请销号: the leader or the office */
#define STORE_E_W3_STATUS "W3-status"           /* 申请销号 from 整改中 or 阶段性完成 */
#define STORE_E_W4_EVIDENCE "W4-evidence"       /* 申请销号 needs evidence */
#define STORE_E_W5_ROLE "W5-role"               /* reviewers approve, return, stage */
#define STORE_E_W5_STATUS "W5-status"           /* … a task in 申请销号 */
#define STORE_E_W5_OWN "W5-own"                 /* … not by one who led, worked on
                                                   or submitted it */
#define STORE_E_W6_ONGOING "W6-ongoing"         /* 阶段性完成: ongoing tasks only */
#define STORE_E_W7_ROLE "W7-role"               /* reviewers reopen */
#define STORE_E_W7_STATUS "W7-status"           /* … a task 已销号 or 阶段性完成 */
#define STORE_E_W8_REASON "W8-reason"           /* 退回 and 重新打开 need a reason */
#define STORE_E_W9_DEADLINE "W9-deadline"       /* a set deadline moves by extension only */
#define STORE_E_W10_ROLE "W10-role"             /* extensions: the leader or the office */
#define STORE_E_W10_CLOSED "W10-closed"         /* no extension of a closed task */
#define STORE_E_W10_NO_DEADLINE "W10-no-deadline" /* nothing to extend yet */
#define STORE_E_W10_PENDING "W10-pending"       /* one request at a time */
#define STORE_E_W10_REASON "W10-reason"         /* a request needs a reason */
#define STORE_E_W10_TODAY "W10-today"           /* the new date must be after today */
#define STORE_E_W10_EARLIER "W10-earlier"       /* … and after the current deadline */
#define STORE_E_W11_ROLE "W11-role"             /* reviewers decide extensions */
#define STORE_E_W11_NONE "W11-none"             /* no request is pending */
#define STORE_E_W12_ROLE "W12-role"             /* reviewers confirm a 回头看 */
#define STORE_E_W12_NONE "W12-none"             /* no 回头看 pending */
#define STORE_E_W12_NOT_DUE "W12-not-due"       /* … not before its day */
#define STORE_E_W13_ROLE "W13-role"             /* who logs activities */
#define STORE_E_W14_OBSERVER "W14-observer"     /* observers change nothing */
#define STORE_E_W16_CARRIED "W16-carried"       /* a task 转入下一批次 is over here */
#define STORE_E_W17_ROLE "W17-role"             /* 催办: the office and reviewers */
#define STORE_E_W17_STATUS "W17-status"         /* … a task 未启动 or 整改中 */
#define STORE_E_EMAIL "email"                   /* an e-mail address out of its form */
#define STORE_E_NOTIFY_PAGE "notify-page"       /* a page of the inbox out of bounds */
#define STORE_E_BULK "bulk"                     /* a bulk action's set: empty, a task twice */
#define STORE_E_BULK_SIZE "bulk-size"           /* … more than TASK_BULK_MAX tasks */
/* A stale version (rule W15 for tasks; reports, units, users and settings
 * alike): the row changed since the caller read it. */
#define STORE_E_STALE "stale"
/* Roles outside the workflow. */
#define STORE_E_ADMIN_ONLY "admin-only"         /* units, users, campaigns, imports,
                                                   settings, tree corrections */
#define STORE_E_AUDIT_ROLE "audit-role"         /* the audit log: office, reviewers, observers */
#define STORE_E_PASSWORD_OTHER "password-other" /* another user's password: the office */
/* Things that do not exist (or not for the caller). */
#define STORE_E_NO_TASK "no-task"
#define STORE_E_NO_UNIT "no-unit"
#define STORE_E_NO_USER "no-user"
#define STORE_E_NO_CAMPAIGN "no-campaign"       /* that id (or, before no-campaign-yet
                                                   was added, no campaign at all) */
#define STORE_E_NO_CAMPAIGN_YET "no-campaign-yet" /* the database holds no campaign */
#define STORE_E_NO_DATABASE "no-database"       /* store_open: no file at that path */
#define STORE_E_NO_REPORT "no-report"
#define STORE_E_NO_NODE "no-node"
#define STORE_E_NO_COMMITMENT "no-commitment"
#define STORE_E_NO_EVIDENCE "no-evidence"
#define STORE_E_NO_SETTING "no-setting"
/* Input the store refuses. */
#define STORE_E_DATE "date"                     /* a day out of 1900..9999, or today */
#define STORE_E_PAGE "page"                     /* page / per_page of a list */
#define STORE_E_FILTER "filter"                 /* a list filter out of range */
#define STORE_E_SEARCH "search"                 /* the search text is too long */
#define STORE_E_GOAL "goal"                     /* 整改目标 too long or not UTF-8 */
#define STORE_E_NOTE "note"                     /* a note or reason too long or not UTF-8 */
#define STORE_E_PROGRESS_TEXT "progress-text"   /* 1..20000 bytes of UTF-8 */
#define STORE_E_NOTHING_TO_ASSIGN "nothing-to-assign"
#define STORE_E_NOTHING_TO_CHANGE "nothing-to-change" /* a change that keeps everything */
#define STORE_E_ASSIGN "assign"                 /* an assignment's ids or deadline kind */
#define STORE_E_NOT_LEADER "not-leader"         /* not an active user with role leader */
#define STORE_E_NOT_MEASURE "not-measure"       /* a node that is not a measure */
#define STORE_E_MEASURES "measures"             /* too many measures */
#define STORE_E_ACTION "action"                 /* not an action of that call */
#define STORE_E_EVIDENCE_COUNT "evidence-count" /* more than EVIDENCE_MAX_FILES */
#define STORE_E_EVIDENCE_NAME "evidence-name"   /* empty, a path, or control characters */
#define STORE_E_EVIDENCE_TYPE "evidence-type"   /* a MIME type that is not one */
#define STORE_E_EVIDENCE_FILE "evidence-file"   /* not a regular, readable file */
#define STORE_E_EVIDENCE_EMPTY "evidence-empty" /* an empty file (it would satisfy W4) */
#define STORE_E_EVIDENCE_BIG "evidence-big"     /* over EVIDENCE_MAX_BYTES */
#define STORE_E_ACTIVITY_DAY "activity-day"     /* an activity in the future */
#define STORE_E_PARTICIPANTS "participants"     /* too many, or not users */
#define STORE_E_UNIT_NAME "unit-name"           /* 1..200 bytes of UTF-8 */
#define STORE_E_UNIT_TAKEN "unit-taken"         /* a unit of that name exists */
#define STORE_E_UNIT_CYCLE "unit-cycle"         /* under itself or its own sub-unit */
#define STORE_E_UNIT_DEPTH "unit-depth"         /* deeper than STORE_UNIT_DEPTH_MAX */
#define STORE_E_LOGIN "login"                   /* a login's characters or length */
#define STORE_E_LOGIN_TAKEN "login-taken"
#define STORE_E_USER_NAME "user-name"           /* 1..200 bytes of UTF-8 */
#define STORE_E_ROLE "role"                     /* no such role */
#define STORE_E_UNIT_NEEDED "unit-needed"       /* leaders and handlers belong to a unit */
#define STORE_E_PASSWORD_SHORT "password-short" /* under STORE_PASSWORD_MIN */
#define STORE_E_PASSWORD_LONG "password-long"   /* over STORE_PASSWORD_MAX */
#define STORE_E_PASSWORD_OLD "password-old"     /* the current password is missing or wrong */
#define STORE_E_LOGIN_FAILED "login-failed"     /* wrong login or password, or inactive */
#define STORE_E_USER_INACTIVE "user-inactive"   /* --as a deactivated user */
#define STORE_E_LAST_ADMIN "last-admin"         /* no active admin would be left */
#define STORE_E_SESSION "session"               /* no live session for that token */
#define STORE_E_SETTING_RANGE "setting-range"   /* a setting's value out of range */
#define STORE_E_YEAR "year"                     /* a campaign's year */
#define STORE_E_CAMPAIGN_TITLE "campaign-title" /* 1..500 bytes of UTF-8 */
#define STORE_E_CAMPAIGN_THEME "campaign-theme" /* at most 500 bytes of UTF-8 */
#define STORE_E_CAMPAIGN_AREAS "campaign-areas" /* at most 64, each 1..500 bytes */
#define STORE_E_REPORT_DUPLICATE "report-duplicate" /* the same file again without again */
#define STORE_E_REPORT_EMPTY "report-empty"     /* no problem item to make tasks of */
#define STORE_E_TREE_LEAD "tree-lead"           /* a new lead: 1..2000 bytes of UTF-8 */
#define STORE_E_TREE_KIND "tree-kind"           /* a node of a kind the edit does not take */
#define STORE_E_TREE_MOVE_PLACE "tree-move-place" /* an area of another report or section kind */
#define STORE_E_TREE_MOVE_SAME "tree-move-same" /* the item is in that area already */
#define STORE_E_TREE_MERGE_PLACE "tree-merge-place" /* items of two reports or section kinds */
#define STORE_E_TREE_MERGE_SELF "tree-merge-self" /* an item merged with itself */
#define STORE_E_TREE_HISTORY "tree-history"     /* the absorbed item's task has history */
#define STORE_E_TREE_SPLIT "tree-split"         /* the split point is outside or mid-character */
#define STORE_E_LEDGER_ROW "ledger-row"         /* a spreadsheet row that cannot be read
                                                   (the message names the row and cell) */
#define STORE_E_LEDGER_SIZE "ledger-size"       /* no rows, or over LEDGER_ROWS_MAX */
#define STORE_E_SAME_FILE "same-file"           /* backup or restore onto the database */
#define STORE_E_NOT_EMPTY "not-empty"           /* a copy into a ledger that holds one */
#define STORE_E_CONSTRAINT "constraint"         /* the database refused a value */

/*
 * Every code above, once, for the tables that must cover them all (the
 * Chinese messages of the web, checked by a unit test that walks this list;
 * tools/codecheck.sh checks that no code is missing here).
 */
#define STORE_REFUSALS(X) \
	X(STORE_E_W1_ROLE) \
	X(STORE_E_W1_CLOSED) \
	X(STORE_E_W2_ROLE) \
	X(STORE_E_W2_SUBMITTED) \
	X(STORE_E_W2_CLOSED) \
	X(STORE_E_W3_ROLE) \
	X(STORE_E_W3_STATUS) \
	X(STORE_E_W4_EVIDENCE) \
	X(STORE_E_W5_ROLE) \
	X(STORE_E_W5_STATUS) \
	X(STORE_E_W5_OWN) \
	X(STORE_E_W6_ONGOING) \
	X(STORE_E_W7_ROLE) \
	X(STORE_E_W7_STATUS) \
	X(STORE_E_W8_REASON) \
	X(STORE_E_W9_DEADLINE) \
	X(STORE_E_W10_ROLE) \
	X(STORE_E_W10_CLOSED) \
	X(STORE_E_W10_NO_DEADLINE) \
	X(STORE_E_W10_PENDING) \
	X(STORE_E_W10_REASON) \
	X(STORE_E_W10_TODAY) \
	X(STORE_E_W10_EARLIER) \
	X(STORE_E_W11_ROLE) \
	X(STORE_E_W11_NONE) \
	X(STORE_E_W12_ROLE) \
	X(STORE_E_W12_NONE) \
	X(STORE_E_W12_NOT_DUE) \
	X(STORE_E_W13_ROLE) \
	X(STORE_E_W14_OBSERVER) \
	X(STORE_E_W16_CARRIED) \
	X(STORE_E_W17_ROLE) \
	X(STORE_E_W17_STATUS) \
	X(STORE_E_EMAIL) \
	X(STORE_E_NOTIFY_PAGE) \
	X(STORE_E_BULK) \
	X(STORE_E_BULK_SIZE) \
	X(STORE_E_STALE) \
	X(STORE_E_ADMIN_ONLY) \
	X(STORE_E_AUDIT_ROLE) \
	X(STORE_E_PASSWORD_OTHER) \
	X(STORE_E_NO_TASK) \
	X(STORE_E_NO_UNIT) \
	X(STORE_E_NO_USER) \
	X(STORE_E_NO_CAMPAIGN) \
	X(STORE_E_NO_CAMPAIGN_YET) \
	X(STORE_E_NO_DATABASE) \
	X(STORE_E_NO_REPORT) \
	X(STORE_E_NO_NODE) \
	X(STORE_E_NO_COMMITMENT) \
	X(STORE_E_NO_EVIDENCE) \
	X(STORE_E_NO_SETTING) \
	X(STORE_E_DATE) \
	X(STORE_E_PAGE) \
	X(STORE_E_FILTER) \
	X(STORE_E_SEARCH) \
	X(STORE_E_GOAL) \
	X(STORE_E_NOTE) \
	X(STORE_E_PROGRESS_TEXT) \
	X(STORE_E_NOTHING_TO_ASSIGN) \
	X(STORE_E_NOTHING_TO_CHANGE) \
	X(STORE_E_ASSIGN) \
	X(STORE_E_NOT_LEADER) \
	X(STORE_E_NOT_MEASURE) \
	X(STORE_E_MEASURES) \
	X(STORE_E_ACTION) \
	X(STORE_E_EVIDENCE_COUNT) \
	X(STORE_E_EVIDENCE_NAME) \
	X(STORE_E_EVIDENCE_TYPE) \
	X(STORE_E_EVIDENCE_FILE) \
	X(STORE_E_EVIDENCE_EMPTY) \
	X(STORE_E_EVIDENCE_BIG) \
	X(STORE_E_ACTIVITY_DAY) \
	X(STORE_E_PARTICIPANTS) \
	X(STORE_E_UNIT_NAME) \
	X(STORE_E_UNIT_TAKEN) \
	X(STORE_E_UNIT_CYCLE) \
	X(STORE_E_UNIT_DEPTH) \
	X(STORE_E_LOGIN) \
	X(STORE_E_LOGIN_TAKEN) \
	X(STORE_E_USER_NAME) \
	X(STORE_E_ROLE) \
	X(STORE_E_UNIT_NEEDED) \
	X(STORE_E_PASSWORD_SHORT) \
	X(STORE_E_PASSWORD_LONG) \
	X(STORE_E_PASSWORD_OLD) \
	X(STORE_E_LOGIN_FAILED) \
	X(STORE_E_USER_INACTIVE) \
	X(STORE_E_LAST_ADMIN) \
	X(STORE_E_SESSION) \
	X(STORE_E_SETTING_RANGE) \
	X(STORE_E_YEAR) \
	X(STORE_E_CAMPAIGN_TITLE) \
	X(STORE_E_CAMPAIGN_THEME) \
	X(STORE_E_CAMPAIGN_AREAS) \
	X(STORE_E_REPORT_DUPLICATE) \
	X(STORE_E_REPORT_EMPTY) \
	X(STORE_E_TREE_LEAD) \
	X(STORE_E_TREE_KIND) \
	X(STORE_E_TREE_MOVE_PLACE) \
	X(STORE_E_TREE_MOVE_SAME) \
	X(STORE_E_TREE_MERGE_PLACE) \
	X(STORE_E_TREE_MERGE_SELF) \
	X(STORE_E_TREE_HISTORY) \
	X(STORE_E_TREE_SPLIT) \
	X(STORE_E_LEDGER_ROW) \
	X(STORE_E_LEDGER_SIZE) \
	X(STORE_E_SAME_FILE) \
	X(STORE_E_NOT_EMPTY) \
	X(STORE_E_CONSTRAINT)

/* ==== text limits ======================================================= */

/*
 * The bounds of the texts the store takes, in bytes of UTF-8
 * (docs/LIMITS.md).  The store refuses a text past its bound with the
 * refusal code named and a message that prints the bound; the pages size
 * their fields from the same constants (web_maxlength()) and the Chinese
 * messages print them (STR()), so a bound is changed here only.
 */
#define STORE_TEXT_MAX 20000    /* a progress entry, a task's goal, a ledger cell:
                                   STORE_E_PROGRESS_TEXT, STORE_E_GOAL, STORE_E_LEDGER_ROW */
#define STORE_NOTE_MAX 5000     /* a reason or note (退回, 重新打开, 延期, the review's,
                                   an activity's), a 催办 message: STORE_E_W8_REASON,
                                   STORE_E_W10_REASON, STORE_E_NOTE */
#define STORE_NAME_MAX 200      /* a unit's or a user's name: STORE_E_UNIT_NAME,
                                   STORE_E_USER_NAME */
#define STORE_SEARCH_MAX 200    /* the search text of the task list: STORE_E_SEARCH */
#define STORE_TITLE_MAX 500     /* a campaign's title, theme and areas, a report's title:
                                   STORE_E_CAMPAIGN_TITLE, _THEME, _AREAS */
#define STORE_LEAD_MAX 2000     /* a corrected lead of a report's item: STORE_E_TREE_LEAD */
#define STORE_LOGIN_MAX 64      /* a login, of ASCII letters, digits, . _ -: STORE_E_LOGIN */

/* ==== handle ============================================================ */

struct store;
struct who;     /* the caller, below */

#define STORE_SCHEMA_VERSION 7

enum {
	STORE_CREATE = 1 << 0,  /* create the file when missing (rectify init) */
	STORE_READONLY = 1 << 1, /* open read-only (verify, exports) */
	STORE_AS_IS = 1 << 2    /* with STORE_READONLY: an older schema is not refused
	                           (backups before an upgrade); only copy from it */
};

/*
 * Open the database at path (":memory:" works, for tests), or the
 * PostgreSQL database a postgresql:// URL names (store_pg.c: an empty one
 * is given the schema, as a new file is; one without a ledger is
 * RC_NOTFOUND unless STORE_CREATE).  On SQLite: sets WAL,
 * synchronous=FULL, foreign_keys=ON, busy_timeout=5000, then brings the
 * schema to STORE_SCHEMA_VERSION (migrations run in one transaction; a
 * read-only handle on an older schema is refused).  Errors: RC_NOTFOUND
 * (STORE_E_NO_DATABASE) when the file is missing and STORE_CREATE is not
 * given ("no database at PATH": the command line adds how to make one);
 * RC_DB when the file is not a rectify
 * database, or its schema is newer than this program ("database schema
 * version N is newer than this program's (M); use a newer rectify").
 * On success *out is the handle, closed with store_close().
 */
enum rc store_open(const char *path, unsigned flags, struct store **out, struct err *e);
/* Whether path names a PostgreSQL database (a postgresql:// or
 * postgres:// URL) rather than a file. */
bool store_is_url(const char *path);
/* Finalise the prepared statements, run PRAGMA optimize, close.  NULL is a
 * no-op. */
void store_close(struct store *st);

/*
 * A cheap value that changes whenever the ledger changed: a commit that
 * wrote audit rows, by this connection, another connection of this process,
 * or another process or server (a process-wide counter bumped after such
 * commits, and the audit head, read again when another connection's commit
 * shows: PRAGMA data_version on SQLite, a hash of the snapshot on
 * PostgreSQL, ST_DATA_VERSION).  Sessions' writes do not change it; every
 * connection computes the same value.
 * Compare for equality only: the web server caches a rendered page with the
 * generation it was drawn at and draws it again when the value differs.
 * *commits (when not NULL) changes on every commit whatever it wrote,
 * sessions included (the web's cache of sessions follows it); it is only
 * comparable with values from the same handle.  Commits of this process
 * show at once; those of another process (on PostgreSQL, of another
 * server: a logout there ends the session here) within
 * STORE_GENERATION_POLL_MS.
 */
#define STORE_GENERATION_POLL_MS 100
uint64_t store_generation(struct store *st, uint64_t *commits);

/* Settings kept in the database, with their defaults. */
enum store_setting {
	SETTING_REVIEW_MONTHS,  /* 回头看 this many months after 销号 (6) */
	SETTING_IMMEDIATE_DAYS, /* 立行立改 tasks are due this many days after
	                           their deadline is set (30) */
	SETTING_DUE_DAYS,       /* remind of a deadline this many days before (7) */
	SETTING_DIGEST_HOUR,    /* the hour of the day's reminders (8) */
	SETTING_REPORT_CHARTS,  /* the report's .docx has its charts: 1 yes, 0 no (0);
	                           the HTML always has them */
	SETTING__MAX
};
struct setting_info {
	const char *key;                /* "review_months" */
	const char *label;              /* what it is, in Chinese */
	int64_t def, lo, hi;            /* default and bounds */
};
/* The description of s; NULL when s is not a setting. */
const struct setting_info *store_setting_info(enum store_setting s);
/* By key ("review_months").  0 on success, -1 if unknown. */
int store_setting_parse(const char *key, enum store_setting *out);
/* The value in force and its version (0 while the setting was never set and
 * its default holds; version may be NULL). */
enum rc store_setting_get(struct store *st, enum store_setting s, int64_t *value,
			  int64_t *version, struct err *e);
/* Admin only; audited.  version is the one the caller read (0: never set):
 * RC_CONFLICT (STORE_E_STALE) when the setting changed since.  RC_INVALID
 * for a value out of range (1..120 months, 1..365 days).  *new_version when
 * not NULL. */
enum rc store_setting_set(struct store *st, const struct who *w, enum store_setting s,
			  int64_t value, int64_t version, int64_t *new_version, struct err *e);

/* ==== days ============================================================== */

/*
 * Dates are day numbers: days since 1970-01-01 in the proleptic Gregorian
 * calendar, with no time zone (a civil date).  STORE_NO_DAY marks "none".
 */
#define STORE_NO_DAY INT32_MIN

int32_t store_day_from_ymd(int y, int m, int d);
void store_day_to_ymd(int32_t day, int *y, int *m, int *d);
/* Strict "YYYY-MM-DD" (a real date, year 1900..9999).  Returns 0 and sets
 * *day, or -1. */
int store_day_parse(const char *s, int32_t *day);
/* Is day one that store_day_parse() can return (1900-01-01..9999-12-31)?
 * Every day a caller hands to a write must be. */
int store_day_valid(int32_t day);
/* "YYYY-MM-DD"; "" for STORE_NO_DAY. */
void store_day_format(int32_t day, char out[11]);
/* Today: the override when not NULL (RECTIFY_TODAY), else the local date.
 * RC_INVALID when the override is not a date. */
enum rc store_today(const char *override, int32_t *day, struct err *e);
/*
 * Today for the ledger in st: the override when not NULL (RECTIFY_TODAY),
 * else the day the database is pinned at (the text setting "today", set
 * by `rectify demo` or `rectify setting set today YYYY-MM-DD`; "" unpins
 * it), else the local date.  Every command and the web read it this way,
 * so all of them show the same lights on the same database.
 */
enum rc store_today_of(struct store *st, const char *override, int32_t *day, struct err *e);
/*
 * When something happened, as people read it, for a ledger whose today is
 * today: day (the ledger's day it was made on) and the local clock time of
 * at ("2024-04-24 10:35") when at fell as far from day as the clock's date
 * now is from today -- 0 days in a ledger kept at the calendar's date, and
 * for what was written on a database pinned at another day (rectify demo)
 * while it was pinned at that day; otherwise day alone (history imported,
 * or written with another day), whose clock time would contradict it.
 * day STORE_NO_DAY: the local time of at.  out holds at least 17 bytes.
 */
void store_day_time(int32_t day, const char *at, int32_t today, char *out, size_t n);
/* The day months later, clamped to the month's end (Aug 31 + 6 → Feb 28/29). */
int32_t store_day_add_months(int32_t day, int months);

/* ==== roles, callers ==================================================== */

enum role {
	ROLE_ADMIN,     /* 办公室 */
	ROLE_LEADER,    /* 责任领导 */
	ROLE_HANDLER,   /* 承办人 */
	ROLE_REVIEWER,  /* 审核人 */
	ROLE_OBSERVER,  /* 督导组 */
	ROLE__MAX
};
const char *role_name(enum role r);     /* "admin" … */
const char *role_name_zh(enum role r);  /* "办公室" … */
/* Accepts the English or the Chinese name.  0 on success, -1 if unknown. */
int role_parse(const char *s, enum role *out);

/*
 * The caller.  user_id 0 with ROLE_ADMIN is the local operator of the
 * command line (whoever holds the database file), recorded in the audit as
 * "system"; the web never uses it.  unit_id is the user's unit (0: none).
 */
struct who {
	int64_t user_id;
	enum role role;
	int64_t unit_id;
};
#define WHO_SYSTEM ((struct who){0, ROLE_ADMIN, 0})

/* ==== statuses, lights, actions ======================================== */

enum task_status {
	TASK_NOT_STARTED,       /* 未启动 */
	TASK_IN_PROGRESS,       /* 整改中 */
	TASK_SUBMITTED,         /* 申请销号 */
	TASK_CLOSED,            /* 已销号 */
	TASK_STAGED,            /* 阶段性完成 (ongoing tasks, under periodic review) */
	TASK_CARRIED,           /* 转入下一批次: carried over into a later campaign, where
	                           a new task (origin_id = this one) goes on; over here,
	                           counted apart from open and closed */
	TASK_STATUS__MAX
};
const char *task_status_name(enum task_status s); /* Chinese: "整改中" */
/* 已销号 or 转入下一批次: over in its campaign -- no light, not open. */
int task_status_ended(enum task_status s);
const char *task_status_key(enum task_status s);  /* "in_progress" */
/* Either form.  0 on success, -1 if unknown. */
int task_status_parse(const char *s, enum task_status *out);

/* Values stored in the dashboard's counts (dash_unit.light): append only. */
enum light { LIGHT_NONE, LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_GREY, LIGHT__MAX };
const char *light_name(enum light l);    /* NULL for LIGHT_NONE, "green" … "grey" */
const char *light_name_zh(enum light l); /* "" for LIGHT_NONE, "绿灯" … "待交办" */
int light_parse(const char *s, enum light *out); /* "red"/"红灯"/"红", "grey"/"待交办"… */

#define LIGHT_WARN_DAYS 7       /* yellow: the deadline is this close */
#define LIGHT_STALE_DAYS 30     /* yellow: no progress for this long */

/*
 * The light of a task (SPEC §2.4), the one definition: the SQL of the
 * filters, the dashboard and its triggers (store_sql.h LIGHT_CASE) binds
 * the same constants and is checked against this function by the tests.
 *   closed or carried over (task_status_ended) → LIGHT_NONE
 *   not assigned (!task_assigned: 待交办)      → LIGHT_GREY
 *   deadline < today                         → LIGHT_RED
 *   deadline - today <= LIGHT_WARN_DAYS, or
 *   today - last_activity >= LIGHT_STALE_DAYS → LIGHT_YELLOW
 *   otherwise                                → LIGHT_GREEN
 * deadline is STORE_NO_DAY for ongoing tasks; last_activity is the day of
 * the latest progress entry, or the day the task was created when it has
 * none.
 */
enum light light_compute(enum task_status s, bool assigned, int32_t deadline,
			 int32_t last_activity, int32_t today);

enum deadline_kind {
	DEADLINE_NONE,          /* not set yet */
	DEADLINE_DATE,          /* a date */
	DEADLINE_ONGOING,       /* 长期坚持: no date */
	DEADLINE_IMMEDIATE,     /* 立行立改: due SETTING_IMMEDIATE_DAYS after set */
	DEADLINE__MAX
};
const char *deadline_kind_name(enum deadline_kind k); /* "date" "ongoing" … */
/* "YYYY-MM-DD", "ongoing"/"长期坚持", "immediate"/"立行立改".  0 on success. */
int deadline_parse(const char *s, enum deadline_kind *kind, int32_t *day);
/* The deadline as people write it: "2024-06-30", "长期坚持", "立行立改 (2024-03-01)",
 * "" when none.  out holds at least 48 bytes. */
void deadline_format(enum deadline_kind k, int32_t day, char *out, size_t size);
/* What 交办 gives a task (分解交办, rule W1): a leader, a unit and a
 * deadline (a date, 长期坚持 or 立行立改).  A task open without all three is
 * 待交办: grey, listed by 对账 (task-no-leader/-unit/-deadline) and by the
 * office's 我的.  The SQL twin is LACKS in store_sql.h. */
bool task_assigned(int64_t leader_id, int64_t unit_id, enum deadline_kind k);

/* What a caller can do to a task.  One permission function decides them
 * all (task_may); the web shows a button only for the actions in
 * struct task.actions. */
enum task_action {
	TACT_ASSIGN,            /* set leader, unit, goal, measures; the first deadline */
	TACT_PROGRESS,          /* add a progress entry (with evidence) */
	TACT_SUBMIT,            /* 申请销号 */
	TACT_APPROVE,           /* 销号 */
	TACT_RETURN,            /* 退回 (reason) */
	TACT_REOPEN,            /* 重新打开 (reason) */
	TACT_STAGE,             /* 阶段性完成 (ongoing tasks) */
	TACT_EXTEND,            /* 延期申请 */
	TACT_EXTEND_DECIDE,     /* approve or refuse an extension */
	TACT_CONFIRM,           /* 回头看: confirm a closed task still holds */
	TACT_URGE,              /* 催办: press the task's people to act */
	TACT__MAX
};
const char *task_action_name(enum task_action a);  /* "submit" … */
const char *task_action_label(enum task_action a); /* "申请销号" … */
int task_action_parse(const char *s, enum task_action *out);
/* 1 when a task_event's action is a reviewer's decision (approve, return,
 * reopen, stage, confirm, extend-approve, extend-refuse): the 审核意见 of
 * the task page's history, the 销号审批表 and the workbook. */
int task_event_is_review(const char *action);

/* The facts about a task the permission rules look at. */
struct task_facts {
	enum task_status status;
	int64_t leader_id;              /* 0: none */
	int64_t unit_id;                /* 0: none */
	int unit_in_scope;              /* the task's unit is within a handler's unit */
	enum deadline_kind deadline_kind;
	int has_evidence;               /* at least one progress entry with evidence */
	int pending_extension;          /* an extension request awaits a decision */
	int32_t review_due;             /* 回头看 due day, STORE_NO_DAY when none */
	int review_is_due;              /* review_due has come (review_due <= today) */
	int involved;                   /* the caller leads the task, reported progress
	                                   on it or asked for its 销号 (rule W5) */
};

/*
 * May w take action a on a task with facts f?  RC_OK, or RC_DENIED (the
 * role may not: "rule W3: only the task's leader may submit it"), or
 * RC_CONFLICT (the status does not allow it, or a guard fails: "rule W5:
 * 申请销号 needs a progress entry with evidence").  The message goes to
 * e when not NULL.  Pure: no database.  Visibility (scope) is not checked
 * here; the queries do it.
 */
enum rc task_may(const struct who *w, const struct task_facts *f, enum task_action a,
		 struct err *e);

/* ==== units ============================================================= */

struct unit {
	int64_t id, parent_id;          /* parent_id 0: a root */
	const char *name;
	int depth;                      /* 0 for roots */
	int n_users, n_tasks;
	int64_t version;                /* bumped by every change (rename, move) */
};
struct unit_list {
	struct unit *v;                 /* in tree order: each unit before its children,
	                                   siblings in the order they were added */
	size_t n;
	struct arena arena;
};
void unit_list_release(struct unit_list *l);

#define STORE_UNIT_DEPTH_MAX 32  /* levels of units below a root */

/* Admin only.  Names are unique (RC_CONFLICT).  parent_id 0 for a root.
 * RC_INVALID when the unit would be more than STORE_UNIT_DEPTH_MAX levels
 * below its root. */
enum rc store_unit_add(struct store *st, const struct who *w, const char *name,
		       int64_t parent_id, int64_t *id, struct err *e);
/* Every unit (unit names are not secret); n_tasks counts the tasks of the
 * current campaign that w can see (0 for units outside a handler's scope). */
enum rc store_unit_list(struct store *st, const struct who *w, struct unit_list *out,
			struct err *e);
/* RC_NOTFOUND when no unit has that name. */
enum rc store_unit_find(struct store *st, const char *name, int64_t *id, struct err *e);
/* One unit (n_tasks 0); its name lives in *arena.  RC_NOTFOUND when none. */
enum rc store_unit_get(struct store *st, int64_t id, struct unit *out, struct arena *arena,
		       struct err *e);
/*
 * Changing a unit: admin only, in one audited transaction; version is the
 * one the caller read (RC_CONFLICT, STORE_E_STALE, when the unit changed
 * since; RC_NOTFOUND when it is gone); *new_version when not NULL.
 *   name:   a new name (NULL keeps it); RC_CONFLICT when it is taken.
 *   move:   set the parent to parent_id (0 makes it a root).  RC_CONFLICT
 *           when it would make a cycle; RC_INVALID when a unit of the moved
 *           subtree would end up deeper than STORE_UNIT_DEPTH_MAX.
 * Neither is RC_INVALID (STORE_E_NOTHING_TO_CHANGE).  set_parent and
 * rename do one of the two.
 */
struct unit_change {
	int64_t version;
	const char *name;
	int move;
	int64_t parent_id;
};
enum rc store_unit_update(struct store *st, const struct who *w, int64_t id,
			  const struct unit_change *c, int64_t *new_version, struct err *e);
enum rc store_unit_set_parent(struct store *st, const struct who *w, int64_t id,
			      int64_t version, int64_t parent_id, int64_t *new_version,
			      struct err *e);
enum rc store_unit_rename(struct store *st, const struct who *w, int64_t id, int64_t version,
			  const char *name, int64_t *new_version, struct err *e);

/* ==== users and sessions ================================================ */

#define STORE_PASSWORD_MIN 8    /* bytes */
#define STORE_PASSWORD_MAX 256

struct user {
	int64_t id;
	const char *login, *name;
	enum role role;
	int64_t unit_id;
	const char *unit_name;          /* "" when none */
	int active;
	int64_t version;                /* bumped by every change, passwords included */
};
struct user_list {
	struct user *v;
	size_t n;
	struct arena arena;
};
void user_list_release(struct user_list *l);

/*
 * Admin only.  login: 1..64 bytes of [A-Za-z0-9._-]; name 1..200 bytes of
 * UTF-8 without control characters;
 * unit_id 0 only for admins, reviewers and observers (a leader or handler
 * needs a unit).  The password is hashed with Argon2id (crypto_pwhash_str,
 * interactive limits) and never stored or logged in clear.  RC_CONFLICT
 * when the login exists, RC_INVALID for a short password.
 */
enum rc store_user_add(struct store *st, const struct who *w, const char *login,
		       const char *name, enum role role, int64_t unit_id, const char *password,
		       int64_t *id, struct err *e);
/* Check a login and password.  On success fills *out.  RC_AUTH for an
 * unknown login, a wrong password or an inactive user (the same message,
 * and about the same time, for all three). */
enum rc store_user_verify(struct store *st, const char *login, const char *password,
			  struct who *out, struct err *e);
/* Change a password: users change their own (old_password required),
 * admins anyone's (old_password may be NULL).  Ends all of the user's
 * sessions and bumps the user's version.  RC_AUTH for a wrong old
 * password.  (Admins resetting a password with the rest of a user's record
 * use store_user_update.) */
enum rc store_user_password(struct store *st, const struct who *w, int64_t user_id,
			    const char *old_password, const char *new_password, struct err *e);
/* What an admin sets of a user: the whole record as it should be. */
struct user_change {
	int64_t version;                /* the version the caller read */
	enum role role;
	int64_t unit_id;                /* 0: none (admins, reviewers, observers) */
	int active;
	const char *password;           /* a new password, or NULL to keep it */
};
/* Admin only: role, unit, active flag and optionally the password, in one
 * audited transaction.  RC_CONFLICT (STORE_E_STALE) when the user changed
 * since c->version was read; RC_NOTFOUND when gone; RC_INVALID
 * (STORE_E_NOTHING_TO_CHANGE) when the record would stay as it is and no
 * password is given: nothing is written, the version stays.  Deactivating a
 * user or setting a password ends their sessions.  *new_version when not
 * NULL. */
enum rc store_user_update(struct store *st, const struct who *w, int64_t user_id,
			  const struct user_change *c, int64_t *new_version, struct err *e);
/* Every user, by login. */
enum rc store_user_list(struct store *st, const struct who *w, struct user_list *out,
			struct err *e);
/* The caller identity of a login (for `--as LOGIN`); RC_NOTFOUND if none. */
enum rc store_user_who(struct store *st, const char *login, struct who *out, struct err *e);
/* One user by id; the strings live in *arena (released by the caller). */
enum rc store_user_get(struct store *st, int64_t id, struct user *out, struct arena *arena,
		       struct err *e);

#define STORE_TOKEN_BYTES 32    /* random bytes of a session token */
#define STORE_TOKEN_HEX 65      /* its hex form plus NUL */

/*
 * Sessions: the token (32 random bytes, 64 hex digits) goes to the browser;
 * the database keeps only its SHA-256.  now, ttl and idle in seconds (Unix
 * time).  A session lives until ttl after login (`expires`) and, with an
 * idle bound, until idle seconds after its last recorded use (`last_seen`,
 * the login at first), so the idle clock survives a restart of the server.
 * Sessions are not audited.
 *   new:    fills token and csrf (both hex, NUL-terminated); last_seen = now.
 *   get:    RC_AUTH when unknown, expired, idle (idle > 0 and last_seen <
 *           now - idle), or the user is no longer active; otherwise *w,
 *           csrf, *expires and *last_seen (each may be NULL).
 *   touch:  record a use at now (last_seen = now; never moves it back).  A
 *           write: callers throttle it (the web writes at most about once a
 *           minute per session, web_idle.c).  RC_AUTH when the session is
 *           gone or expired.
 *   delete: the session ends (logout).  Unknown tokens are fine.
 *   purge:  delete every session expired at now, or (idle > 0) idle.
 */
#define STORE_SESSION_TOUCH_S 60        /* how stale last_seen may grow */
enum rc store_session_new(struct store *st, int64_t user_id, int64_t now, int64_t ttl,
			  char token[STORE_TOKEN_HEX], char csrf[STORE_TOKEN_HEX], struct err *e);
enum rc store_session_get(struct store *st, const char *token, int64_t now, int64_t idle,
			  struct who *w, char csrf[STORE_TOKEN_HEX], int64_t *expires,
			  int64_t *last_seen, struct err *e);
enum rc store_session_touch(struct store *st, const char *token, int64_t now, struct err *e);
enum rc store_session_delete(struct store *st, const char *token, struct err *e);
enum rc store_session_purge(struct store *st, int64_t now, int64_t idle, int *purged,
			    struct err *e);

/* ==== what the web servers share (schema 7; store_web.c) ================= */

/*
 * What the web keeps between one request and the next, in the database so
 * that every server in front of it sees the same: failed logins
 * (web_throttle.c holds the policy) and uploads awaiting confirmation
 * (web_stage.c).  Neither is ledger: not audited, not copied by migrate or
 * by a backup on PostgreSQL, emptied by a restore.  now and window in
 * seconds (Unix time).
 *
 * Failed logins: one counter per key (the caller's text, at most
 * STORE_LOGIN_KEY_MAX bytes), counted in fixed windows that begin at a
 * failure; an account's counter is marked so (account).
 *   get:     the counter of key at now, zero when none or its window ended.
 *   fail:    one failure more for each of n keys, in one transaction; then
 *            counters whose window ended go, and past STORE_LOGIN_ROWS
 *            counters that are no account's, the oldest of those go: guesses
 *            from ever more addresses never flush an account's count, and
 *            the table never grows past the accounts plus STORE_LOGIN_ROWS.
 *   forgive: the counters of n keys back to zero (a good login).
 *   expire:  counters whose window ended at now go.
 *   clear:   every counter gone.
 */
#define STORE_LOGIN_KEY_MAX 160
#define STORE_LOGIN_ROWS 4096
struct store_login_key {
	const char *key;
	bool account;
};
struct store_login_count {
	int64_t start, last;    /* the window began; the last failure */
	unsigned fails;
};
enum rc store_login_get(struct store *st, const char *key, int64_t now, int64_t window,
			struct store_login_count *out, struct err *e);
enum rc store_login_fail(struct store *st, const struct store_login_key *keys, size_t n,
			 int64_t now, int64_t window, struct err *e);
enum rc store_login_forgive(struct store *st, const char *const *keys, size_t n, struct err *e);
enum rc store_login_expire(struct store *st, int64_t now, int64_t window, struct err *e);
enum rc store_login_clear(struct store *st, struct err *e);

/*
 * Staged uploads: at most one per user, under a token, for ttl seconds; at
 * most max at once, the oldest going first.
 *   put:   user_id's upload (len bytes, at most STORE_STAGED_MAX) as token,
 *          replacing theirs; RC_TOOBIG past the bound.
 *   get:   user_id's upload staged as token less than ttl seconds before
 *          now: *data (malloc'd, NUL-terminated, *len bytes) and its name;
 *          RC_NOTFOUND when there is none (another token, expired,
 *          replaced).  Tokens are compared in constant time.
 *   drop:  user_id's upload staged as token goes.
 *   expire: uploads past their time at now go (put does it too).
 *   count: how many are kept.  clear: every one gone.
 */
#define STORE_STAGED_MAX (16u << 20)
#define STORE_STAGED_TOKEN_MAX 64
enum rc store_staged_put(struct store *st, int64_t user_id, const char *token, const char *name,
			 const void *data, size_t len, int64_t now, int64_t ttl, int max,
			 struct err *e);
enum rc store_staged_get(struct store *st, int64_t user_id, const char *token, int64_t now,
			 int64_t ttl, char **data, size_t *len, char *name, size_t name_size,
			 struct err *e);
enum rc store_staged_drop(struct store *st, int64_t user_id, const char *token, struct err *e);
enum rc store_staged_expire(struct store *st, int64_t now, int64_t ttl, struct err *e);
enum rc store_staged_count(struct store *st, int64_t *n, struct err *e);
enum rc store_staged_clear(struct store *st, struct err *e);

/* ==== campaigns ========================================================= */

struct campaign {
	int64_t id;
	int year;
	const char *title, *theme;
	int32_t started;                /* day */
	int64_t carried_from;           /* campaign id, 0 when none */
	int current;                    /* the current campaign */
	const char *report_title;       /* the 整改落实情况报告's title the office set,
	                                   "" when it is made from the title (export_names) */
	const char **areas;             /* framework areas, in order */
	size_t n_areas;
	int n_tasks, n_open;            /* of the tasks the caller can see */
	int n_carried;                  /* … 转入下一批次 (neither open nor closed) */
};
struct campaign_list {
	struct campaign *v;             /* newest first */
	size_t n;
	struct arena arena;
};
void campaign_list_release(struct campaign_list *l);

#define CAMPAIGN_AREAS_MAX 64           /* framework areas of a campaign */
struct campaign_new {
	int year;                       /* 1900..9999 */
	const char *title;              /* 1..STORE_TITLE_MAX bytes of UTF-8 */
	const char *theme;              /* may be NULL; at most STORE_TITLE_MAX bytes */
	const char *const *areas;       /* framework areas (none, or at most CAMPAIGN_AREAS_MAX,
	                                   each 1..STORE_TITLE_MAX bytes of UTF-8) */
	size_t n_areas;
	int32_t started;                /* STORE_NO_DAY: today */
	int64_t carry_from;             /* bring the unfinished tasks of that campaign */
};

/*
 * Admin only.  Creates the campaign and makes it current.  With
 * carry_from, every task of that campaign still open (not 已销号, not
 * carried before) is copied into the new one (same problem, leader, unit,
 * deadline, goal, measures; status 未启动 stays, 阶段性完成 stays, anything
 * else becomes 整改中), linked to its origin (struct task.origin_id), and
 * the origin becomes 转入下一批次 (TASK_CARRIED: event "carry-out", no
 * 回头看) in its campaign; *carried says how many.
 */
enum rc store_campaign_new(struct store *st, const struct who *w, const struct campaign_new *c,
			   int32_t today, int64_t *id, int *carried, struct err *e);
enum rc store_campaign_list(struct store *st, const struct who *w, struct campaign_list *out,
			    struct err *e);
/* The current campaign's id; RC_NOTFOUND when there is none. */
enum rc store_campaign_current(struct store *st, int64_t *id, struct err *e);
/* The current campaign's title into out (n bytes, truncated at a UTF-8
 * boundary; "" when there is no campaign): one row read, for the header of
 * every page, where store_campaign_get() would count the tasks. */
enum rc store_campaign_current_title(struct store *st, char *out, size_t n, struct err *e);
/* Admin only.  The title of the campaign's 整改落实情况报告, when the one
 * made from the material's title does not suit ("" goes back to it): at
 * most 500 bytes of UTF-8 (STORE_E_CAMPAIGN_TITLE), audited
 * "campaign-report-title".  Schema 3. */
enum rc store_campaign_set_report_title(struct store *st, const struct who *w, int64_t id,
					const char *title, struct err *e);
/* One campaign with its framework areas; out->v has one element. */
enum rc store_campaign_get(struct store *st, const struct who *w, int64_t id,
			   struct campaign_list *out, struct err *e);

/* ==== reports and their tree ============================================ */

struct report_import {
	int64_t campaign_id;            /* 0: the current one, created from the report's
	                                   year and title when there is none */
	int64_t owner_id;               /* the user the report belongs to (0: none) */
	const char *filename;           /* shown in lists; may be NULL; stored with
	                                   bytes that are not UTF-8 and control
	                                   characters as '?', cut to 255 bytes */
	int again;                      /* import even when the same sha256 exists */
	int new_campaign;               /* open the campaign report_target() proposes
	                                   (made current) and import into it;
	                                   campaign_id is then ignored */
};
struct import_result {
	int64_t report_id, campaign_id;
	int campaign_created;
	int n_tasks, n_measures, n_commitments;
	int n_units_created;            /* store_ledger_import with LEDGER_NEW_UNITS */
	int n_leader_text;              /* tasks whose leader was kept as text */
};

/*
 * Admin only.  Stores the report's source verbatim with its sha256, its
 * tree as nodes, and one task per problem item (section role "problems").
 * Each task is linked to the measures that answer it: problem area i is
 * answered by measure area i (both in order), whose items are the measures
 * (the area itself when it has none).  Its deadline is the latest date
 * stated in those measures; 长期坚持 when they state only that; 立行立改
 * when only that; unset otherwise.  Commitments become commitments of the
 * campaign.  RC_CONFLICT when a report with the same sha256 exists and
 * again is 0 ("already imported as report N on DATE; --again imports it
 * once more").  RC_INVALID when the report has no problem item.
 */
enum rc store_report_import(struct store *st, const struct who *w, const struct doc *d,
			    const struct report_import *in, int32_t today,
			    struct import_result *out, struct err *e);

/*
 * Where a report would go, for the check before an import (`rectify import
 * --dry-run`, the preview of 材料 › 上传).  l is the campaigns
 * (store_campaign_list).  The proposed campaign is the report's own: its
 * year (today's when it names none) and its title (else the file name,
 * else 整改); store_report_import opens that one with new_campaign, or when
 * there is no campaign at all.  match is a campaign of the report's year
 * (the current one when it is, else the newest), NULL when none.  An
 * import that names no campaign is unambiguous only when there is no
 * campaign, the report names no year, or the current campaign is of the
 * report's year; otherwise ambiguous is set and the caller must choose.
 * The pointers are into d, l, filename or a literal.
 */
struct report_target {
	int year;                       /* the report's year, 0 when it names none */
	int new_year;                   /* of the proposed campaign */
	const char *new_title;
	const struct campaign *current; /* NULL when there is no campaign */
	const struct campaign *match;
	int ambiguous;
	int n_tasks;                    /* problem items: one task each */
};
void report_target(const struct doc *d, const char *filename, int32_t today,
		   const struct campaign_list *l, struct report_target *out);

enum node_kind { NODE_SECTION, NODE_AREA, NODE_ITEM, NODE_EXAMPLE, NODE__MAX };

struct report_node {
	int64_t id, parent_id;          /* parent 0 for sections */
	enum node_kind kind;
	enum doc_role role;             /* of the section it is in */
	int pos;                        /* order among its siblings, from 0 */
	const char *label;              /* "一是" */
	const char *title;              /* lead of an item, title of an area/section */
	const char *text;               /* all the text of the node */
	uint32_t start, end;            /* span in the report's source */
	int64_t task_id;                /* the task of a problem item in this
	                                   report's campaign, 0 when none or
	                                   outside the caller's scope */
};
struct report {
	int64_t id, campaign_id, owner_id, version;
	const char *title, *kind, *format, *encoding, *filename, *sha256, *imported_at;
	const char *source;             /* verbatim, NUL-terminated */
	size_t source_len;
	struct report_node *nodes;      /* depth first, in document order */
	size_t n_nodes;
	struct arena arena;
};
void report_release(struct report *r);
struct report_list {
	struct report *v;               /* without source and nodes */
	size_t n;
	struct arena arena;
};
void report_list_release(struct report_list *l);

/* Every role may read reports (they are the team's own documents). */
enum rc store_report_list(struct store *st, const struct who *w, int64_t campaign_id,
			  struct report_list *out, struct err *e);
enum rc store_report_get(struct store *st, const struct who *w, int64_t id,
			 struct report *out, struct err *e);

/*
 * Correcting the tree (admin only).  Each takes the report's expected
 * version (RC_CONFLICT when stale) and bumps it.  Tasks follow their items:
 * a task points at its problem item, so renaming or moving the item changes
 * what the task shows.
 *   rename: set the lead of an item (or the title of an area).
 *   move:   put an item at the end of another area of the same section.
 *   merge:  append item `absorb` (text, examples) to item `keep` and delete
 *           it.  When both are problem items with tasks, the absorbed
 *           item's task is deleted if it has no progress, extension or
 *           status change (its assignment may go: the kept task has its
 *           own); otherwise RC_CONFLICT.
 *   split:  cut an item at a byte offset of the report's source, strictly
 *           inside the item's span and on a character boundary: the item
 *           keeps [start, offset), a new item after it takes [offset, end);
 *           examples go with the half holding them.  A problem item's task
 *           is copied for the new item (assignment, measures, and the days
 *           it was created and last progressed; status 未启动), its first
 *           event dated today.  *new_id is the new item.
 * today is the day of the correction, as for every write (RC_INVALID when it
 * is not a date); the tests and the CLI set it like the rest.
 */
enum rc store_node_rename(struct store *st, const struct who *w, int64_t node_id,
			  int64_t version, const char *lead, int32_t today, struct err *e);
enum rc store_node_move(struct store *st, const struct who *w, int64_t item_id,
			int64_t area_id, int64_t version, int32_t today, struct err *e);
enum rc store_node_merge(struct store *st, const struct who *w, int64_t keep_id,
			 int64_t absorb_id, int64_t version, int32_t today, struct err *e);
enum rc store_node_split(struct store *st, const struct who *w, int64_t item_id,
			 uint32_t offset, int64_t version, int32_t today, int64_t *new_id,
			 struct err *e);

/* Problem items of campaigns before campaign_id (all when 0), for the lint
 * rule `recurrence`.  Every role may read them. */
struct past_item {
	int64_t node_id, campaign_id, report_id;
	int year;
	const char *lead, *text;
};
struct past_item_list {
	struct past_item *v;
	size_t n;
	struct arena arena;
};
void past_item_list_release(struct past_item_list *l);
enum rc store_past_items(struct store *st, const struct who *w, int64_t campaign_id,
			 struct past_item_list *out, struct err *e);

/* ==== tasks: reading ==================================================== */

enum task_sort {
	TASK_SORT_SEQ,          /* 序号 (the default) */
	TASK_SORT_DEADLINE,     /* dated first, earliest first */
	TASK_SORT_STATUS,
	TASK_SORT_UNIT,
	TASK_SORT_LEADER,
	TASK_SORT_ACTIVITY,     /* last progress */
	TASK_SORT_UPDATED,      /* last change of any kind */
	TASK_SORT__MAX
};
/* "deadline", "-deadline" (descending) …; 0 on success, -1 if unknown. */
int task_sort_parse(const char *s, enum task_sort *sort, int *desc);
const char *task_sort_name(enum task_sort s);

#define TASK_PER_PAGE_MAX 500

struct task_filter {
	int64_t campaign_id;    /* 0: the current campaign */
	int status;             /* enum task_status, or -1 for any */
	int light;              /* enum light (LIGHT_NONE: closed ones), or -1 for any */
	int64_t area_id;        /* problem area node, 0 for any */
	int64_t unit_id;        /* the unit and its sub-units, 0 for any */
	int64_t leader_id;      /* 0 for any */
	const char *q;          /* substring of lead, problem text or goal; NULL/"" none */
	int review_due;         /* only tasks due for 回头看 today */
	int overdue;            /* only red tasks (same as light = LIGHT_RED) */
	enum task_sort sort;
	int desc;
	int page;               /* from 1 */
	int per_page;           /* 1..TASK_PER_PAGE_MAX (0: 50) */
	int no_total;           /* leave task_list.total 0 (the caller knows it) */
};
#define TASK_FILTER_INIT {0, -1, -1, 0, 0, 0, NULL, 0, 0, TASK_SORT_SEQ, 0, 1, 50, 0}

struct task_row {
	int64_t id, version, campaign_id;
	int seq;                        /* 序号 within its campaign */
	const char *area;               /* area title */
	const char *label, *lead;       /* the problem item's label and lead */
	int64_t leader_id;
	const char *leader_name;        /* "" when none */
	const char *leader_text;        /* the leader as an imported ledger named it
	                                   when it matched no account, else "" */
	int64_t unit_id;
	const char *unit_name;          /* "" when none */
	enum deadline_kind deadline_kind;
	int32_t deadline;               /* STORE_NO_DAY when none or ongoing */
	enum task_status status;
	enum light light;
	int32_t last_activity;          /* day */
	int32_t review_due;             /* day or STORE_NO_DAY */
	int n_progress;
};
struct task_list {
	int64_t total;                  /* rows matching, over all pages */
	struct task_row *rows;
	size_t n;
	struct arena arena;
};
void task_list_release(struct task_list *l);

/*
 * One page of tasks matching f, visible to w, with their light at today.
 * The light filter is a range on deadline and last activity computed from
 * today (indexes, no per-row function).  The handle remembers the totals of
 * its last few queries until anything is written (store_generation), so
 * paging through a large ledger counts it once.  RC_INVALID for a page < 1 or a
 * per_page out of range; RC_NOTFOUND when the campaign does not exist (or
 * there is no current one).
 */
enum rc store_task_list(struct store *st, const struct who *w, const struct task_filter *f,
			int32_t today, struct task_list *out, struct err *e);

/*
 * What 台账 prints beside a page of tasks: for each of ids (in their
 * order), the problem's text, the linked measures (one a line, label and
 * text, as the exports give them) and the latest progress entry.  A task
 * w does not see gets empty texts.  Free with task_brief_list_release().
 */
struct task_brief {
	int64_t id;
	const char *problem, *measures; /* "" when none */
	int32_t progress_day;           /* STORE_NO_DAY when no progress */
	const char *progress;           /* the latest entry's text, "" when none */
};
struct task_brief_list {
	struct task_brief *v;
	size_t n;
	struct arena arena;
};
void task_brief_list_release(struct task_brief_list *l);
enum rc store_task_briefs(struct store *st, const struct who *w, const int64_t *ids, size_t n,
			  struct task_brief_list *out, struct err *e);

struct evidence_meta {
	int64_t id;
	const char *name, *mime;
	int64_t size;
	char sha256[65];
};
struct task_progress {
	int64_t id;
	int32_t day;
	const char *at;                 /* "2024-03-01T08:00:00Z" */
	int64_t author_id;
	const char *author;             /* name */
	const char *text;
	struct evidence_meta *evidence;
	size_t n_evidence;
};
struct task_event {
	int64_t id;
	const char *action;             /* task_action_name(), or "create", "carry",
	                                   "import", "extend-approve", … */
	enum task_status from, to;      /* from is TASK_STATUS__MAX for the event
	                                   that created the task */
	int64_t actor_id;
	const char *actor;              /* name, "system" for the operator */
	const char *reason;             /* "" when none */
	const char *at;
	int32_t day;
};
struct task_extension {
	int64_t id;
	enum deadline_kind from_kind;
	int32_t from_day, to_day;
	const char *reason;
	const char *state;              /* "pending" "approved" "refused" */
	int64_t requested_by, decided_by;
	const char *requester, *decider;
	const char *note;               /* the reviewer's note, "" when none */
	const char *at, *decided_at;    /* decided_at "" while pending */
	int32_t day;                    /* the ledger's day of the request
	                                   (STORE_NO_DAY: not known) */
};
struct task_measure {
	int64_t node_id;
	const char *label, *title, *text;
};

struct task {
	int64_t id, version, campaign_id, report_id;
	int seq;
	int64_t problem_id, area_id;    /* nodes */
	int64_t origin_id;              /* carried over from; 0 when not */
	int origin_seq, origin_year;    /* its 序号 and its campaign's year */
	int64_t carried_id;             /* 转入下一批次: the task that goes on; 0 */
	int carried_seq, carried_year;  /* its 序号 and its campaign's year */
	const char *area;               /* area title */
	const char *label, *lead, *text;
	const char **examples;
	size_t n_examples;
	struct task_measure *measures;
	size_t n_measures;
	const char *goal;               /* "" when none */
	int64_t leader_id;
	const char *leader_login, *leader_name;
	const char *leader_text;        /* the leader as an imported ledger named it
	                                   when it matched no user; "" otherwise */
	int64_t unit_id;
	const char *unit_name;
	enum deadline_kind deadline_kind;
	int32_t deadline;
	enum task_status status;
	enum light light;
	int32_t created, last_activity, closed_day, review_due; /* days */
	struct task_progress *progress; /* oldest first */
	size_t n_progress;
	struct task_event *events;      /* the status history, oldest first */
	size_t n_events;
	struct task_event *reviews;     /* events by reviewers (approve, return,
	                                   reopen, stage, confirm, extension decisions) */
	size_t n_reviews;
	struct task_extension *extensions; /* oldest first */
	size_t n_extensions;
	const struct task_event *urge;  /* the pending 催办 (store_task_urge), else NULL */
	const struct task_event *returned; /* the 退回 in force (整改中 since), else NULL */
	unsigned actions;               /* bit (1u << enum task_action) for each action
	                                   the caller may take now (task_may) */
	struct task_facts facts;
	struct arena arena;
};
void task_release(struct task *t);

/* The task with everything above; RC_NOTFOUND when it does not exist or
 * is outside w's scope. */
enum rc store_task_get(struct store *st, const struct who *w, int64_t id, int32_t today,
		       struct task *out, struct err *e);

/* ==== tasks: writing ==================================================== */

/*
 * Every write takes the version the caller last saw (RC_CONFLICT when the
 * task changed since: "task 12 was changed by someone else (version 4, you
 * had 3); reload it") and, on success, sets *new_version when not NULL.
 */

#define TASK_MEASURES_MAX 200   /* measures one task is linked to, at most */
struct task_assign {
	int64_t leader_id;              /* 0 keep, -1 clear */
	int64_t unit_id;                /* 0 keep, -1 clear */
	enum deadline_kind deadline_kind; /* DEADLINE_NONE keep; else the first deadline */
	int32_t deadline;               /* for DEADLINE_DATE */
	const char *goal;               /* NULL keep, "" clear */
	int set_measures;               /* replace the measures with these: */
	const int64_t *measure_ids;
	size_t n_measures;
};
/* Admin only (rule W1).  An assignment that keeps everything is
 * RC_INVALID ("nothing to assign"): it would only bump the version.  The
 * deadline can be set here only while it is unset; afterwards it moves only
 * through an approved extension (rule W9): RC_CONFLICT.  The leader must be
 * a user with role leader; unit, leader and measures must exist
 * (RC_INVALID). */
enum rc store_task_assign(struct store *st, const struct who *w, int64_t id, int64_t version,
			  const struct task_assign *a, int32_t today, int64_t *new_version,
			  struct err *e);

#define EVIDENCE_MAX_BYTES (32u << 20)  /* one file */
#define EVIDENCE_MAX_FILES 16           /* per progress entry or activity */
#define EVIDENCE_NAME_MAX 255           /* bytes of a file name */

/* An evidence file to store: read from fd when fd >= 0 (from its current
 * position to its end, with pread, so the position does not move; not
 * closed), else from path.  It is copied into the database in 64 KiB chunks
 * (sqlite3_blob), never held whole in memory.
 * name is the file name shown (no directory part; "/" and control
 * characters are refused), mime its type ("application/octet-stream" when
 * NULL).  The size must be known up front: a regular file or a seekable fd.
 * An empty file is RC_INVALID (it would count as evidence for rule W4). */
struct evidence_in {
	const char *name;
	const char *mime;
	int fd;
	const char *path;
};

/*
 * Add a progress entry: text (1..20000 bytes) plus up to EVIDENCE_MAX_FILES
 * files.  Allowed to the task's leader, a handler of its unit, and admins
 * (rule W2), while the task is 未启动, 整改中 or 阶段性完成; the first entry
 * moves 未启动 to 整改中.  RC_TOOBIG for a file over EVIDENCE_MAX_BYTES.
 */
enum rc store_task_progress(struct store *st, const struct who *w, int64_t id,
			    int64_t version, const char *text, const struct evidence_in *ev,
			    size_t n_ev, int32_t today, int64_t *progress_id,
			    int64_t *new_version, struct err *e);

/*
 * The status actions: TACT_SUBMIT, TACT_APPROVE, TACT_RETURN, TACT_REOPEN,
 * TACT_STAGE, TACT_CONFIRM.  reason is required (non-empty) for return and
 * reopen, optional (a note) for the others.  The rules are task_may()'s;
 * every transition is recorded as a task_event.  Any other action:
 * RC_INVALID.
 */
enum rc store_task_act(struct store *st, const struct who *w, int64_t id, int64_t version,
		       enum task_action a, const char *reason, int32_t today,
		       int64_t *new_version, struct err *e);

/* 延期申请: ask to move the deadline to `to` (after today and after the
 * current dated deadline), with a reason.  One pending request at a time
 * (RC_CONFLICT).  *ext_id is the request. */
enum rc store_task_extend(struct store *st, const struct who *w, int64_t id, int64_t version,
			  int32_t to, const char *reason, int32_t today, int64_t *ext_id,
			  int64_t *new_version, struct err *e);
/* A reviewer approves (approve = 1: the deadline becomes the requested
 * date) or refuses the pending request (ext_id 0: whichever is pending).
 * RC_NOTFOUND when none is pending. */
enum rc store_task_extend_decide(struct store *st, const struct who *w, int64_t id,
				 int64_t version, int64_t ext_id, int approve, const char *note,
				 int32_t today, int64_t *new_version, struct err *e);

/* ==== 催办 and notifications (schema 4; store_notify.c) ================== */

/*
 * 催办: an admin or a reviewer presses the task's people to act (rule
 * W17), with an optional message (at most 5000 bytes of UTF-8), on a task
 * 未启动 or 整改中.  Recorded as a task_event "urge" (its history and the
 * audit chain) and a version bump; the task's leader and its unit's
 * handlers are notified.  The urge stays pending -- struct task.urge, the
 * 催办 banner, store_task_attention(ATTN_URGED) -- until the task's
 * people act: a progress entry, 申请销号 or 延期申请.
 */
enum rc store_task_urge(struct store *st, const struct who *w, int64_t id, int64_t version,
			const char *message, int32_t today, int64_t *new_version, struct err *e);

/*
 * Bulk actions (store_bulk.c): one assignment (leader, unit or the first
 * deadline) or one 催办 applied to up to TASK_BULK_MAX tasks, in one
 * audited transaction.  Each task goes through exactly what
 * store_task_assign / store_task_urge do to one task: its rule (W1, W9,
 * W17 …), its version (W15), its own audit row and history event, its
 * notifications and outbox.  All or nothing: when any task is refused or
 * changed since the caller saw it, nothing is written, and the result
 * names every such task.
 *
 * With filter set, the tasks must also be exactly those the filter
 * matches now (page and per_page ignored): a task that matches and was
 * not confirmed, or was confirmed and no longer matches, is named as
 * changed (STORE_E_STALE).  check_only runs every check (in a transaction
 * rolled back) and writes nothing: the confirmation step.
 *
 * Returns RC_OK; RC_INVALID (STORE_E_BULK: no tasks, a task twice;
 * STORE_E_ACTION: an action other than assign or urge; the argument
 * checks of the single action) and RC_TOOBIG (STORE_E_BULK_SIZE: over
 * TASK_BULK_MAX, also when the filter matches more) before anything is
 * read; otherwise, when a task stops it, RC_CONFLICT (STORE_E_STALE) if
 * any task changed, else the first refusal's rc and code, with the
 * message naming the tasks (第 N 项) and out->v[i].rc set for each.
 * out is filled in every case but the argument errors; release it with
 * task_bulk_result_release.
 */
#define TASK_BULK_MAX 500       /* tasks one bulk action changes at most (a full page
                                   of 台账: TASK_PER_PAGE_MAX) */
struct task_ref {
	int64_t id, version;            /* the version the caller saw */
};
struct task_bulk {
	enum task_action action;        /* TACT_ASSIGN or TACT_URGE */
	struct task_assign assign;      /* TACT_ASSIGN (leader, unit, first deadline, goal) */
	const char *message;            /* TACT_URGE: optional */
	const struct task_ref *tasks;
	size_t n;                       /* 1..TASK_BULK_MAX */
	const struct task_filter *filter; /* NULL, or: exactly the tasks it matches */
	int check_only;
};
struct task_bulk_item {
	int64_t id;
	int64_t version;                /* after the action (check_only: now) */
	int seq;                        /* 序号; 0 when the task is not found */
	const char *lead;               /* the problem; "" when not found */
	enum task_status status;
	enum rc rc;                     /* RC_OK, or why the task stops the request */
	const char *code;               /* its refusal code, NULL when RC_OK */
	const char *msg;                /* its message, "" when RC_OK */
	int confirmed;                  /* in b->tasks (0: matches b->filter only) */
};
struct task_bulk_result {
	struct task_bulk_item *v;       /* b->tasks in order, then tasks the filter
	                                   matches that were not confirmed */
	size_t n;
	size_t n_bad;                   /* items whose rc is not RC_OK */
	struct arena arena;
};
void task_bulk_result_release(struct task_bulk_result *r);
enum rc store_task_bulk(struct store *st, const struct who *w, const struct task_bulk *b,
			int32_t today, struct task_bulk_result *out, struct err *e);

enum attention {
	ATTN_URGED,             /* a pending 催办 */
	ATTN_RETURNED,          /* 整改中 after a 退回, not yet submitted again */
	ATTN__MAX
};
/* The tasks of the current campaign that w sees and that want attention
 * (a leader: those they lead), the most recent first, at most 200. */
enum rc store_task_attention(struct store *st, const struct who *w, enum attention k,
			     int32_t today, struct task_list *out, struct err *e);

/*
 * Notifications.  The changes of the ledger write them, in their own
 * transaction, for the people they concern (never the one who acted):
 *   assigned   a leader or unit set: the task's leader and unit's handlers
 *   progress   a progress entry: the task's leader
 *   submitted  申请销号: the reviewers
 *   returned, approved, staged, reopened, urged: the leader and handlers
 *   extension_requested: the reviewers; extension_decided: the leader,
 *              the handlers and the requester
 *   due, overdue, review_due: store_notify_sweep()
 * and beside each the outbox (e-mail for a recipient with an address),
 * which the delivery sends.  A notification is the recipient's alone and
 * names only its task's 序号 and problem; one about a task the user no
 * longer sees is not listed.
 */
struct notification {
	int64_t id, task_id;
	const char *event;              /* "assigned" "returned" "urged" … */
	const char *text;               /* Chinese, one line */
	const char *at;                 /* ISO 8601 UTC */
	int32_t day;                    /* the ledger's day it was made on */
	int read;
};
struct notification_list {
	struct notification *v;         /* newest first */
	size_t n;
	struct arena arena;
};
void notification_list_release(struct notification_list *l);
#define NOTIFY_PAGE_MAX 200
/* w's own notifications older than before_id (0: the newest), at most
 * limit (1..NOTIFY_PAGE_MAX; RC_INVALID otherwise). */
enum rc store_notify_list(struct store *st, const struct who *w, int64_t before_id, int limit,
			  struct notification_list *out, struct err *e);
/* The number of w's unread notifications (a count over them: callers
 * that ask often remember it, as the web's header does). */
enum rc store_notify_unread(struct store *st, const struct who *w, int64_t *n, struct err *e);
/* The id of w's newest notification (0: none): with the unread count, what
 * tells a cached inbox page it is still right. */
enum rc store_notify_newest(struct store *st, const struct who *w, int64_t *id, struct err *e);
/* Mark w's notifications ids[0..n) read (others' ids are ignored), or all
 * of them; *changed (may be NULL) how many were unread. */
#define NOTIFY_READ_MAX 1000
enum rc store_notify_read(struct store *st, const struct who *w, const int64_t *ids, size_t n,
			  int all, int *changed, struct err *e);
/* The day's reminders at today (once a day; a later call the same day
 * does nothing): due (a dated deadline within due_days), overdue, and
 * review_due (回头看, to the reviewers), each once per task, recipient
 * and deadline.  *made (may be NULL) how many notifications. */
enum rc store_notify_sweep(struct store *st, int32_t today, int *made, struct err *e);

/*
 * The delivery's channels, configured by text settings kept beside the
 * numeric ones (rectify setting set KEY VALUE; admin only, audited, with
 * versions as store_setting_set; the password enters the audit log as
 * its SHA-256 only).  "" (the default) leaves a channel off.
 */
enum store_text_setting {
	TSET_SMTP_URL,          /* smtp://host:25 or smtps://host:465 */
	TSET_SMTP_FROM,         /* the sender's address */
	TSET_SMTP_USER,         /* login, when the server wants one */
	TSET_SMTP_PASSWORD,
	TSET_WEBHOOK_URL,       /* http:// or https:// */
	TSET_WEBHOOK_FORMAT,    /* "json" (the default) or "text" (企业微信/钉钉 robots) */
	TSET_CHANNELS__END,     /* the settings above are the delivery's channels */
	TSET_TODAY = TSET_CHANNELS__END, /* the database's day, YYYY-MM-DD: store_today_of() */
	TSET_REPORT_TO,         /* 主送机关 of the 整改落实情况报告 */
	TSET_REPORT_SIGNER,     /* 发文机关署名 of the report */
	TSET__MAX
};
#define STORE_TEXT_SETTING_MAX 1000     /* bytes of a value */
const char *store_text_setting_key(enum store_text_setting s);
const char *store_text_setting_label(enum store_text_setting s);
int store_text_setting_secret(enum store_text_setting s);
int store_text_setting_parse(const char *key, enum store_text_setting *out);
/* The value (malloc'd, "" when unset) and its version (0: never set). */
enum rc store_text_setting_get(struct store *st, enum store_text_setting s, char **value,
			       int64_t *version, struct err *e);
enum rc store_text_setting_set(struct store *st, const struct who *w, enum store_text_setting s,
			       const char *value, int64_t version, int64_t *new_version,
			       struct err *e);

/* What the office set for the 整改落实情况报告: 主送机关 and 发文机关署名
 * ("" when unset), and whether its .docx has charts.  Free with
 * report_style_release(). */
struct report_style {
	char *to, *signer;
	int docx_charts;
};
enum rc store_report_style(struct store *st, struct report_style *out, struct err *e);
void report_style_release(struct report_style *s);

/*
 * The outbox, for the delivery (notify.c).  A row goes 0 pending → 1
 * sending (claimed, before anything leaves) → 2 sent, or back to 0 with a
 * later next_at (a failure, retried with backoff), or 3 failed (given up),
 * 4 skipped (its channel is not configured).  A row found sending at
 * start-up was interrupted by a crash: it becomes 5 (not sent again, so
 * nothing is ever sent twice; its error says so).
 */
enum outbox_state {
	OUTBOX_PENDING, OUTBOX_SENDING, OUTBOX_SENT, OUTBOX_FAILED, OUTBOX_SKIPPED,
	OUTBOX_INTERRUPTED, OUTBOX__MAX
};
struct outbox_item {
	int64_t id, notification_id, task_id, user_id;
	const char *channel;            /* "email" "webhook" */
	const char *event, *text, *at;  /* of the notification */
	const char *login, *name, *email; /* of its recipient */
	int attempts;
};
struct outbox_list {
	struct outbox_item *v;
	size_t n;
	struct arena arena;
};
void outbox_list_release(struct outbox_list *l);
/* Pending rows whose next_at (Unix seconds) has come, oldest first. */
enum rc store_outbox_due(struct store *st, int64_t now, int limit, struct outbox_list *out,
			 struct err *e);
/* Claim a pending row at now (Unix seconds; *claimed 0 when another
 * sender, of this server or another, took it). */
enum rc store_outbox_claim(struct store *st, int64_t id, int64_t now, int *claimed,
			   struct err *e);
/* The outcome of a claimed row: state (SENT, FAILED, SKIPPED, or PENDING
 * with next_at for a retry) and the error ("" when none). */
enum rc store_outbox_done(struct store *st, int64_t id, enum outbox_state state,
			  int64_t next_at, const char *error, struct err *e);
/* Rows left sending by a crash become OUTBOX_INTERRUPTED; *n how many.
 * Only rows claimed at or before `before` (Unix seconds): a row claimed
 * since may be on its way out from another server on the same database. */
enum rc store_outbox_recover(struct store *st, int64_t before, int *n, struct err *e);
/* Rows per state (counts[OUTBOX__MAX]). */
enum rc store_outbox_counts(struct store *st, int64_t counts[OUTBOX__MAX], struct err *e);
/* The address and name of a login, for `notify test` (RC_NOTFOUND). */
enum rc store_user_contact(struct store *st, const char *login, char **email, char **name,
			   struct err *e);

/* A user's e-mail address ("" clears it; at most 254 bytes with one @,
 * no spaces or control characters): admins set anyone's, users their own.
 * version as store_user_update. */
#define STORE_EMAIL_MAX 254
enum rc store_user_email(struct store *st, const struct who *w, int64_t user_id,
			 int64_t version, const char *email, int64_t *new_version, struct err *e);
/* The channels a user turned off for themselves: notifications stay in
 * the inbox, the outbox leaves them out. */
#define NOTIFY_OFF_EMAIL 1u
#define NOTIFY_OFF_WEBHOOK 2u
struct user_channels {
	char email[STORE_EMAIL_MAX + 1];
	unsigned off;                   /* NOTIFY_OFF_* */
	int64_t version;                /* the user's */
};
/* Users their own, admins anyone's (RC_DENIED otherwise). */
enum rc store_user_channels(struct store *st, const struct who *w, int64_t user_id,
			    struct user_channels *out, struct err *e);
/* The address and the channels off in one audited change ("user-notify"). */
enum rc store_user_channels_set(struct store *st, const struct who *w, int64_t user_id,
				int64_t version, const char *email, unsigned off,
				int64_t *new_version, struct err *e);

/* ==== evidence ========================================================== */

/* Metadata of one evidence file, scoped like its task (activity evidence is
 * visible to every role).  RC_NOTFOUND outside scope.  Strings in *arena. */
enum rc store_evidence_meta(struct store *st, const struct who *w, int64_t id,
			    struct evidence_meta *out, struct arena *arena, struct err *e);
/* Read up to n bytes at offset into buf (sqlite3_blob_read, no whole copy
 * in memory); *got is 0 at the end.  Stateless: each call checks scope, so
 * a server may stream a file across callbacks with it. */
enum rc store_evidence_read(struct store *st, const struct who *w, int64_t id, uint64_t offset,
			    void *buf, size_t n, size_t *got, struct err *e);

/* ==== commitments and activities ======================================== */

struct compliance {
	int32_t start, end;             /* the period, both inclusive */
	int count;                      /* activities in it (team) or the least
	                                   any member has (member) */
	int expected;                   /* floor(min * elapsed / length): the share of
	                                   the period passed (序时进度); min when over */
	int current;                    /* today is inside it */
	int met;                        /* count >= min */
	int behind;                     /* past and not met, or current and
	                                   count < expected (序时进度落后) */
	const char **behind_who;        /* members behind (per-member commitments) */
	size_t n_behind_who;
};
struct commitment {
	int64_t id, campaign_id, report_id;
	const char *text, *subject, *unit; /* "理论中心组学习会", "次" */
	int min;
	enum doc_period period;
	enum doc_per per;
	int n_activities;
	int32_t since;                  /* the day its report was imported (0: unknown);
					   periods count from the later of it and
					   the campaign's start */
	struct compliance *periods;     /* from the campaign's start (or since) to today */
	size_t n_periods;
	int behind;                     /* any period behind */
};
struct commitment_list {
	struct commitment *v;
	size_t n;
	struct arena arena;
};
void commitment_list_release(struct commitment_list *l);

/*
 * Commitments of a campaign (0: current) with compliance per period at
 * today.  Periods are calendar years, halves, quarters, months, or ISO
 * weeks (Monday to Sunday), from the one holding the campaign's start day
 * through the one holding today; a commitment with no period has one
 * period from the start to today.  Members of a per-member commitment are
 * the active users with role leader.  Every role may read them.
 */
enum rc store_commitment_list(struct store *st, const struct who *w, int64_t campaign_id,
			      int32_t today, struct commitment_list *out, struct err *e);

/*
 * A commitment belongs to the measure whose text states it: the one rule by
 * which a task is measured by commitments (its measures state them), for
 * the task page and `task assign --commitment`.
 */
int commitment_in_measure(const char *commitment_text, const char *measure_text);
/* The measure (a node of the commitment's report: an item, else an area)
 * that states commitment id, into *node_id, so that linking a task to that
 * measure links it to the commitment.  RC_NOTFOUND (STORE_E_NO_COMMITMENT)
 * when there is no such commitment or no measure states it.  Every role
 * may read it. */
enum rc store_commitment_measure(struct store *st, const struct who *w, int64_t id,
				 int64_t *node_id, struct err *e);

#define ACTIVITY_WHO_MAX 200             /* participants of one activity */
struct activity_new {
	int64_t commitment_id;
	int32_t day;                    /* not after today */
	const int64_t *who_ids;         /* participants; none: the caller */
	size_t n_who;
	const char *note;               /* may be NULL; at most STORE_NOTE_MAX bytes */
	const struct evidence_in *evidence;
	size_t n_evidence;
};
/* Admins, leaders and handlers log activities (rule W13). */
enum rc store_activity_add(struct store *st, const struct who *w, const struct activity_new *a,
			   int32_t today, int64_t *id, struct err *e);

struct activity {
	int64_t id, commitment_id;
	int32_t day;
	const char *note, *by;
	const char **who;               /* participant names */
	size_t n_who;
	struct evidence_meta *evidence;
	size_t n_evidence;
};
struct activity_list {
	struct activity *v;             /* newest first */
	size_t n;
	struct arena arena;
};
void activity_list_release(struct activity_list *l);
enum rc store_activity_list(struct store *st, const struct who *w, int64_t commitment_id,
			    struct activity_list *out, struct err *e);

/* ==== dashboard, reconciliation ========================================= */

struct dash_group {
	int64_t id;                     /* area node or unit; 0 for "unassigned" */
	const char *name;
	int total, closed, staged, red, yellow, green;
	int carried;                    /* 转入下一批次: neither open nor closed */
	int grey;                       /* 待交办: open, lacking a leader, unit or deadline */
};
struct dash_week {
	int32_t day;                    /* the Sunday that ends the week (or today) */
	int open;                       /* tasks not 已销号 at the end of that day */
};
struct dashboard {
	int total;
	int by_status[TASK_STATUS__MAX];
	int by_light[LIGHT__MAX];
	int review_due;                 /* closed tasks due for 回头看 */
	int pending_extensions;
	struct dash_group *areas, *units;
	size_t n_areas, n_units;
	struct dash_week *weeks;        /* from the campaign's start to today */
	size_t n_weeks;
	struct task_row *overdue;       /* red tasks, most overdue first (at most 50) */
	size_t n_overdue;
	struct task_row *yellow;        /* yellow tasks, the nearest deadline first (at most 50) */
	size_t n_yellow;
	struct commitment_list commitments_behind;
	struct arena arena;
};
void dashboard_release(struct dashboard *d);
/* Aggregates of a campaign (0: current) as w sees it (a handler: their
 * units). */
enum rc store_dashboard(struct store *st, const struct who *w, int64_t campaign_id,
			int32_t today, struct dashboard *out, struct err *e);
/*
 * The counts by status, light, unit, area and week are kept by the database
 * as the ledger changes (schema 3), with the lights as of one day (the
 * dashboard day); store_dashboard() reads them and corrects the tasks whose
 * light moved since that day, and on a writable handle first moves that day
 * to today (store_dash_roll, a transaction without audit rows).
 * store_dashboard_recount(st, 1) makes this handle compute them from the
 * tasks instead, as before schema 3: the reference the tests compare with.
 * store_dash_check() counts the kept rows that differ from a recount (verify
 * fails on any).
 */
void store_dashboard_recount(struct store *st, int on);
int32_t store_dash_day(struct store *st); /* STORE_NO_DAY on error */
enum rc store_dash_roll(struct store *st, int32_t today, struct err *e);
enum rc store_dash_check(struct store *st, int64_t *wrong, struct err *e);

enum check_kind {
	CHECK_PROBLEM_NO_TASK,          /* a problem item without a task */
	CHECK_TASK_NO_LEADER,
	CHECK_TASK_NO_UNIT,
	CHECK_TASK_NO_DEADLINE,
	CHECK_TASK_NO_MEASURE,          /* a task linked to no measure */
	CHECK_MEASURE_UNUSED,           /* a measure that answers no task */
	CHECK_REVIEW_DUE,               /* a closed task due for 回头看 */
	CHECK_EXTENSION_PENDING,
	CHECK__MAX
};
const char *check_kind_name(enum check_kind k);     /* "problem-no-task" … */
const char *check_kind_label(enum check_kind k);    /* Chinese */
struct check_item {
	enum check_kind kind;
	int64_t id;                     /* node or task id */
	int seq;                        /* task 序号, 0 for nodes */
	const char *label, *text;
};
struct check_report {
	struct check_item *v;           /* by kind, then document order */
	size_t n;
	int count[CHECK__MAX];
	struct arena arena;
};
void check_report_release(struct check_report *r);
/* 对账 of a campaign (0: current).  Everyone but handlers sees all;
 * handlers see their scope. */
enum rc store_check(struct store *st, const struct who *w, int64_t campaign_id, int32_t today,
		    struct check_report *out, struct err *e);
/* A token that changes whenever the ledger's shape may have: its campaigns,
 * reports and their items, its units and users, or which tasks exist with which
 * problem, campaign or area -- never with progress or the workflow.
 * Random, so that it also differs between two ledgers (a restore); "" for
 * a ledger whose shape no transaction has changed since it was made.  For
 * what is drawn from the shape only (the ledger's filter options). */
enum rc store_shape(struct store *st, char *out, size_t n, struct err *e);
/* What the office still has to do (the admin's 待办): the problems of the
 * campaign without a task and the open tasks lacking a leader, unit or
 * deadline -- store_check()'s problem-no-task items plus the tasks it
 * lists under task-no-leader, -unit or -deadline, each once.  Read from
 * the dashboard's kept counts, and the problems counted again only when the
 * ledger's shape changed (store_shape).  Only
 * problems of the whole campaign count (not for a handler's scope, as in
 * store_check()). */
enum rc store_office_todo(struct store *st, const struct who *w, int64_t campaign_id,
			  int64_t *n, struct err *e);

/* ==== audit, backup ===================================================== */

struct verify_result {
	int ok;
	int64_t rows;                   /* audit rows walked */
	int64_t first_bad;              /* the first audit row that does not match, or 0 */
	char head[65];                  /* hash of the last row ("" when empty) */
	int64_t head_id;                /* its id (0 when empty) */
	char msg[512];                  /* what is wrong, when !ok */
	int64_t entities;               /* ledger rows compared with their last audit image */
};
/*
 * Walk the audit chain (each row's hash = SHA-256 over the previous hash and
 * its fields; ids consecutive from 1; the chain's head recorded at each
 * commit), check that each row's before-image is the after-image of the
 * previous row about the same entity, then compare every audited ledger
 * row with the after-image of its last audit row, and every evidence blob
 * with its sha256.  Any edit,
 * deletion, reordering or truncation made behind the program's back makes
 * ok = 0 with msg naming the first row (or entity) that does not match.
 * Returns RC_OK when the walk ran (whatever it found).
 */
enum rc store_verify(struct store *st, struct verify_result *out, struct err *e);
/*
 * The same, and that the chain still holds the head recorded earlier
 * outside the database (witness "ID:HASH", as store_audit_head gave it):
 * row ID is there and its hash is HASH.  Someone who can write the file can
 * undo the last actions -- delete the last audit rows, restore the rows
 * from their before-images, set the stored head back -- and the chain alone
 * still verifies; a witness kept elsewhere catches it.  RC_INVALID when the
 * witness is not of that form.
 */
enum rc store_verify_witness(struct store *st, const char *witness, struct verify_result *out,
			     struct err *e);
/* The head recorded at the last commit, "ID:HASH" ("" when the log is
 * empty), into out (at least STORE_HEAD_LEN bytes). */
enum { STORE_HEAD_LEN = 96 };
enum rc store_audit_head(struct store *st, char *out, struct err *e);

struct audit_row {
	int64_t id;
	const char *at, *actor, *action, *entity;
	int64_t entity_id;
	const char *before, *after;     /* JSON, "" when none */
	char hash[65];
	/* Filled by store_audit_query: */
	const char *actor_name;         /* the user's name, "" for the command line */
	int64_t task_id;                /* the task the row is about, 0 when none */
	int task_seq;                   /* its 序号, 0 when none */
	const char *reason;             /* the reason an event gave, "" when none */
};
struct audit_list {
	struct audit_row *v;
	size_t n;
	struct arena arena;
};
void audit_list_release(struct audit_list *l);
/* The audit rows about one entity ("task", 12), or all when entity is NULL,
 * newest first, at most limit.  Admins, reviewers and observers only. */
enum rc store_audit_list(struct store *st, const struct who *w, const char *entity,
			 int64_t entity_id, int limit, struct audit_list *out, struct err *e);

/* What the audit log page asks: each field unset when 0, NULL or "". */
struct audit_filter {
	int64_t task_id;                /* rows about the task, its events, progress, extensions */
	const char *actor;              /* a login ("system": the command line) */
	const char *action;             /* "return", "approve" ... */
	const char *from, *to;          /* ISO times (UTC, as rows are stamped): [from, to) */
	int64_t before_id;              /* rows older than this one (the next page) */
	int limit;                      /* 1..AUDIT_PAGE_MAX, else AUDIT_PAGE_MAX */
};
#define AUDIT_PAGE_MAX 200
/* The audit rows that f selects, newest first, with the names and tasks
 * they are about.  Admins, reviewers and observers only (STORE_E_AUDIT_ROLE). */
enum rc store_audit_query(struct store *st, const struct who *w, const struct audit_filter *f,
			  struct audit_list *out, struct err *e);
/* The actions that occur in the audit log, sorted (for the page's filter). */
enum rc store_audit_actions(struct store *st, const struct who *w, struct audit_list *out,
			    struct err *e);

/* A consistent online copy of the database to dest (sqlite3_backup, while
 * others keep writing), written beside dest and renamed into place.
 * RC_INVALID when dest is the database file itself.  A ledger on
 * PostgreSQL is copied into dest as an SQLite ledger file (store_copy, in
 * one snapshot), so that every backup is a file that verify reads. */
enum rc store_backup(struct store *st, const char *dest, struct err *e);

/* What store_copy copied. */
struct store_copy_result {
	int64_t rows;   /* rows of the ledger's tables (the kept counts aside) */
	int tables;
};
/*
 * The whole ledger of src into dst, whatever their engines (migrate;
 * backup and restore on PostgreSQL): every row with its id, evidence with
 * its bytes, the audit log as it is; the dashboard's counts made again by
 * dst's triggers.  src is read in one snapshot, dst written in one
 * transaction.  dst must hold no ledger (RC_CONFLICT, STORE_E_NOT_EMPTY)
 * unless replace, which empties it first in the same transaction.  Both
 * at the current schema.  The caller verifies dst afterwards.
 */
enum rc store_copy(struct store *src, struct store *dst, bool replace,
		   struct store_copy_result *res, struct err *e);
/* The columns store_copy copies of table (its name unquoted), "" for a
 * table it leaves (derived or the engine's), NULL for a table it does not
 * know (the tests hold the list to the schema). */
const char *store_copy_columns(const char *table);
/* Replace the database at db_path with the copy at src: src is checked
 * first (integrity_check, a rectify schema not newer than ours, an intact
 * audit chain); the copy runs as one write transaction on db_path, so
 * other connections see the old or the new database, never a mix.
 * RC_INVALID when src is the database file itself. */
enum rc store_restore(const char *db_path, const char *src, struct err *e);
/* Check a copy (a backup) at path: SQLite's integrity check, a rectify
 * schema not newer than ours, and, when its schema is the current one, an
 * intact audit chain.  *schema (may be NULL) gets its schema version.
 * RC_DB with the reason when it fails. */
enum rc store_check_copy(const char *path, int *schema, struct err *e);

/* ==== exports and spreadsheet import ==================================== */

/* One 台账 row. */
struct export_row {
	int64_t task_id;
	int seq;                        /* 序号 */
	const char *area;               /* 方面 */
	const char *problem;            /* 问题: lead。text */
	const char *measures;           /* 整改措施: one per line */
	const char *goal;               /* 整改目标 */
	const char *leader;             /* 责任领导: the user's name, else the name an
	                                   imported ledger gave (leader_text) */
	const char *unit;               /* 责任单位 */
	const char *deadline;           /* 整改时限 as deadline_format() */
	const char *progress;           /* 进展情况: "YYYY-MM-DD 文本" per entry, one a line */
	enum task_status status;        /* task_status_name() for 状态 */
	enum light light;
	int n_evidence;
	int n_progress;
	int64_t origin_id;
	int origin_seq, origin_year;    /* carried from: its 序号 and campaign's year; 0 */
	int carried_seq, carried_year;  /* 转入下一批次: the task that goes on; 0 */
	const char *handlers;           /* 承办人: the active handlers of the task's unit,
	                                   else of the nearest unit above it that has
	                                   any (they see and report on it), by id,
	                                   "、" between; "" */
	const char *closed_at;          /* 销号时间: when it was last closed, as
	                                   store_day_time() says it ("YYYY-MM-DD
	                                   HH:MM" or the day alone); "" unless 已销号 */
	const struct task_event *review; /* the reviewers' latest decision
	                                   (task_event_is_review), else NULL */
	int32_t extension_to;           /* a pending extension's date; 0 when none */
};
struct task_iter;
/* Iterate over every task of a campaign (0: current) visible to w, by
 * 序号.  The strings of a row are valid until the next call.  Free with
 * store_task_iter_close() (NULL is fine).  The measures, the progress and
 * the events of the rows are read by one pass each over the campaign,
 * merged with the tasks by 序号, not by a query per task. */
enum rc store_task_iter_open(struct store *st, const struct who *w, int64_t campaign_id,
			     int32_t today, struct task_iter **out, struct err *e);
/* RC_OK with *row set, or RC_OK with *row = NULL at the end. */
enum rc store_task_iter_next(struct task_iter *it, const struct export_row **row,
			     struct err *e);
void store_task_iter_close(struct task_iter *it);

/* The status history of a whole campaign (every task_event), by task 序号
 * then time, for an export sheet. */
struct event_row {
	int64_t task_id;
	int seq;
	struct task_event ev;
};
struct event_list {
	struct event_row *v;
	size_t n;
	struct arena arena;
};
void event_list_release(struct event_list *l);
enum rc store_event_list(struct store *st, const struct who *w, int64_t campaign_id,
			 struct event_list *out, struct err *e);

/* A row of a spreadsheet ledger, as text (the office module parses the
 * file).  Empty strings or NULL for missing cells. */
struct ledger_row {
	const char *area;               /* 方面: rows with the same area share it */
	const char *problem;            /* required */
	const char *measures;           /* one measure per line */
	const char *goal;
	const char *leader;             /* login or name of a user with role leader */
	const char *unit;               /* unit name */
	const char *deadline;           /* YYYY-MM-DD, 2024年6月底前, 长期坚持, 立行立改 … */
	const char *status;             /* 未启动 / 整改中 / 已销号 (others: 整改中) */
	const char *progress;           /* becomes one progress entry */
};
#define LEDGER_ROWS_MAX 20000

enum {
	LEDGER_AGAIN = 1 << 0,          /* import rows whose text was imported before */
	LEDGER_NEW_UNITS = 1 << 1,      /* create the units the rows name that do not
	                                   exist (at the top, audited "unit-add") */
	LEDGER_LEADER_TEXT = 1 << 2,    /* a leader that names no single leader is
	                                   kept as the task's leader_text, with no
	                                   leader */
};
/*
 * Admin only.  Create tasks from ledger rows in a campaign (0: current):
 * a report of format "ledger" is made from the rows (its source is the rows'
 * text, so duplicates are caught by sha256 as for reports, and the tree can
 * be corrected the same way), one problem item and one task per row.  All
 * or nothing, in one transaction, the units it creates included: a leader
 * naming no active leader or several (without LEDGER_LEADER_TEXT), an
 * unknown unit (without LEDGER_NEW_UNITS), an unreadable deadline or
 * status, or an empty problem is RC_INVALID naming the row (1-based) and
 * the cell.  flags: LEDGER_*.  A row marked 已销号 is imported closed and
 * due for 回头看: its task's audit row and first event say "import-closed"
 * (the others "import").
 */
/* For a preview of store_ledger_import: the names of rows[0..n) as it will
 * match them.  new_units: the 责任单位 no unit has (LEDGER_NEW_UNITS makes
 * them); lost: the 责任领导 that name no single active leader, by login or
 * name (LEDGER_LEADER_TEXT keeps them as text).  Each name once, in the
 * order of its first row; the strings are the rows'. */
struct ledger_names {
	const char **new_units;
	size_t n_new_units;
	const char **lost;
	size_t n_lost;
};
enum rc store_ledger_names(struct store *st, const struct ledger_row *rows, size_t n,
			   struct ledger_names *out, struct err *e);
void ledger_names_release(struct ledger_names *out);
enum rc store_ledger_import(struct store *st, const struct who *w, int64_t campaign_id,
			    const struct ledger_row *rows, size_t n, const char *filename,
			    unsigned flags, int32_t today, struct import_result *out,
			    struct err *e);
/* The same into a campaign opened in the import's own transaction (year,
 * title as store_campaign_new takes them; made current): a refused import
 * leaves no campaign behind.  out->campaign_created is set. */
enum rc store_ledger_import_new(struct store *st, const struct who *w, int year,
				const char *title, const struct ledger_row *rows, size_t n,
				const char *filename, unsigned flags, int32_t today,
				struct import_result *out, struct err *e);

/* ==== for tests and benchmarks ========================================== */

/* Fill the database with a synthetic campaign: n_units units (a tree),
 * one leader and one handler per unit, n_tasks tasks spread over them and
 * n_progress progress entries, all audited, in transactions of a few
 * thousand rows; the dashboard's day left at today.  Used by `rectify
 * test-ledger` (hidden) and bench/. */
enum rc store_test_generate(struct store *st, int n_units, int n_tasks, int n_progress,
			    int32_t today, uint64_t seed, struct err *e);

#endif
