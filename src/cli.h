/*
 * cli.h -- what the command implementations (cli_*.c) share: the command
 * table entry, the context main() hands them, and the helpers of
 * cli_common.c.
 *
 * A command receives argv with argv[0] = its own name (for a two-word
 * command such as "task list", argv[0] = "list"), parses its options with
 * getopt_long, and returns the process exit status.  Global options
 * (--db FILE, --quiet, --verbose) are taken out of argv by main() before
 * the command runs.
 *
 * What a command needs before its own logic -- today, the database, the
 * acting user -- is declared by the flags of its entry in the command table
 * (git's RUN_SETUP).  The command reads its options first (a usage error
 * comes before any database error, and writes nothing), sets c->as from
 * --as, then calls cli_setup(c) once; from there c->day, c->st and c->who
 * are ready.  main() closes the database when the command returns, on
 * every path, so a command never closes it itself.
 */
#ifndef RECTIFY_CLI_H
#define RECTIFY_CLI_H

#include "buf.h"
#include "conf.h"
#include "store.h"
#include "util.h"

/* The flags of a command table entry. */
enum {
	CMD_HIDDEN = 1 << 0,    /* not listed by `rectify help` (test-* commands) */
	CMD_TODAY = 1 << 1,     /* c->day: today, as cli_today() finds it */
	CMD_DB = 1 << 2,        /* c->st: the database, opened read-only */
	CMD_WRITE = 1 << 3,     /* with CMD_DB: opened to write (an older schema migrated) */
	CMD_CREATE = 1 << 4,    /* with CMD_DB | CMD_WRITE: created when missing (init) */
	CMD_AS_IS = 1 << 5,     /* with CMD_DB: an older schema opened as it is (backup) */
	CMD_AS = 1 << 6,        /* c->who: the user c->as names (--as LOGIN), else the
				   local operator with the office's rights (WHO_SYSTEM) */
};

struct cli {
	const char *db_path;    /* --db, else $RECTIFY_DB, else "rectify.db" */
	const char *today;      /* $RECTIFY_TODAY (YYYY-MM-DD) for tests, else (once
	                           cli_today() read it) the day the database is
	                           pinned at (the setting "today"), or NULL */
	char pinned[11];        /* the latter's storage */
	int day_read;           /* cli_today() looked in the database */
	int verbose;            /* the global --verbose: more log, and `lint` lists every place */
	int db_given;           /* db_path came from --db (a hint naming a command
	                           must repeat it) */
	const char *conf_path;  /* --config FILE, or NULL */
	struct conf *conf;      /* its contents (conf.h), or NULL */
	int log_given;          /* --quiet or --verbose: the file's log_level yields */

	/* The running command's context, made by cli_setup() and released by
	 * cli_release() (main(), after the command returns). */
	unsigned needs;         /* the CMD_* flags of its table entry; a command may
				   drop CMD_WRITE before cli_setup() (import --dry-run) */
	const char *as;         /* --as LOGIN, as the command's options read it, or NULL */
	int32_t day;            /* CMD_TODAY: today */
	struct store *st;       /* CMD_DB: the database, or NULL */
	struct who who;         /* CMD_AS: the acting user */
};

struct cmd {
	const char *name;       /* "parse", or two words: "task list" */
	int (*fn)(struct cli *c, int argc, char **argv);
	unsigned flags;         /* CMD_*: what cli_setup() makes for it */
	const char *usage;      /* after the name: "FILE [--json]" */
	const char *summary;    /* one line */
	const char *help;       /* more lines for `rectify help CMD`, or NULL */
};

/* ---- the context (cli_common.c) ------------------------------------------- */

/* Make what c->needs asks for, in this order: today (CMD_TODAY), the
 * database at c->db_path (CMD_DB: read-only; with CMD_WRITE to write, with
 * CMD_CREATE made when missing; CMD_AS_IS takes an older schema as it is),
 * the acting user (CMD_AS: c->as, else WHO_SYSTEM).  0, or the exit status
 * after cli_fail() printed the error (what was opened is closed by
 * cli_release() all the same).  Called once, after the options are read. */
int cli_setup(struct cli *c);
/* Close what cli_setup() opened; main() calls it when the command returns. */
void cli_release(struct cli *c);

/* ---- reporting -------------------------------------------------------------- */

/* Print "rectify: MESSAGE" for e to standard error and return the exit status
 * for its rc.  A refusal that a command can remedy (no database, no campaign
 * yet) is followed by that command, as cli_hint() writes it. */
int cli_fail(const struct err *e);
/* Write to b the command "rectify [--db PATH] NAME ARGS" of a hint: ARGS as
 * given (the required options; UPPER-CASE words are for the user to fill
 * in), --db repeated when the command line gave it, so that the command
 * works as written. */
void cli_hint(const struct cli *c, const char *name, const char *args, struct buf *b);
/* Today for a command on the database at c->db_path: RECTIFY_TODAY, else
 * the day the database is pinned at (its setting "today", read once and
 * kept in c->today), else the local date (store_today_of's order, read
 * before the command opens the database).  RC_INVALID for a day that is
 * not a date. */
enum rc cli_today(struct cli *c, int32_t *day, struct err *e);
/* Print "rectify CMD: usage: ..." for the named command and return 2
 * (main.c: it reads the table). */
int cli_usage(const char *name);
/* The context cli_fail() names commands in (main() sets it). */
void cli_set_context(const struct cli *c);
/* Write to b the command line "rectify [--db PATH] NAME ARGS... EXTRA..."
 * with each word quoted for the shell when it needs it: the command of a
 * hint, that works as written.  extra is NULL-terminated. */
void cli_command(const struct cli *c, const char *name, int argc, char **argv,
		 const char *const *extra, struct buf *b);
/* Write b to standard output and release it: 0, or 3 after a message when
 * the output cannot be written. */
int cli_out(struct buf *b);

/* ---- arguments -------------------------------------------------------------- */

/* A positive decimal id: 0, or -1 for NULL, "", a sign, a stray character
 * or an overflow. */
int cli_parse_id(const char *s, int64_t *id);
/* --expect-version V of a task: a positive number, else -1 after a message
 * (a typo must not turn into "whatever version is current"). */
int cli_parse_version(const char *s, int64_t *v);
/* --expect-version V of a unit, user or setting: a number, 0 allowed (a
 * setting never set); else -1 after a message naming the command `from`
 * that shows it. */
int cli_parse_row_version(const char *s, int64_t *v, const char *from);
/* The options of a view of a campaign (check, commitment list): --json,
 * --campaign ID (0: the current one), --as LOGIN (into c->as), no operand.
 * 0, or the exit status after the usage of the command name. */
int cli_view_opts(struct cli *c, const char *name, int argc, char **argv, int *json,
		  int64_t *campaign);
/* The evidence file at path, for store_task_progress or store_activity_add:
 * named after its last component, its MIME type from its extension. */
void cli_evidence(struct evidence_in *x, const char *path);
/* Read the report at path ("-": standard input) for parse or lint, within
 * the input bound; a large file first sets the process up for it
 * (util_batch_memory).  In cli_doc.c. */
enum rc cli_read_report(const char *path, char **data, size_t *len, struct err *e);

/* ---- names to ids, on c->st (0, or the exit status after a message) ---------- */

/* The unit named name; an unknown one is bad input (exit 2). */
int cli_unit_id(struct cli *c, const char *name, int64_t *id);
/* The active user login; an unknown one is bad input (exit 2). */
int cli_user_id(struct cli *c, const char *login, int64_t *id);
/* The version of task id to write against: expect when given (non-zero),
 * else the one the task has now, as c->who sees it on c->day. */
int cli_task_version(struct cli *c, int64_t id, int64_t expect, int64_t *version);

/* Commands, one group per file. */
int cmd_parse(struct cli *c, int argc, char **argv);        /* cli_doc.c */
int cmd_test_corpus(struct cli *c, int argc, char **argv);  /* cli_doc.c */
int cmd_lint(struct cli *c, int argc, char **argv);         /* cli_lint.c */
int cmd_test_lint_priors(struct cli *c, int argc, char **argv); /* cli_lint.c */
/* cli_unit.c */
int cmd_unit_add(struct cli *c, int argc, char **argv);
int cmd_unit_list(struct cli *c, int argc, char **argv);
int cmd_unit_rename(struct cli *c, int argc, char **argv);
int cmd_unit_move(struct cli *c, int argc, char **argv);
/* cli_user.c */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_user_add(struct cli *c, int argc, char **argv);
int cmd_user_list(struct cli *c, int argc, char **argv);
int cmd_user_update(struct cli *c, int argc, char **argv);
/* cli_setting.c */
int cmd_setting_list(struct cli *c, int argc, char **argv);
int cmd_setting_set(struct cli *c, int argc, char **argv);
/* cli_campaign.c */
int cmd_campaign_new(struct cli *c, int argc, char **argv);
int cmd_campaign_list(struct cli *c, int argc, char **argv);
int cmd_campaign_set(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
/* cli_task.c */
int cmd_task_list(struct cli *c, int argc, char **argv);
int cmd_task_show(struct cli *c, int argc, char **argv);
int cmd_task_assign(struct cli *c, int argc, char **argv);
int cmd_task_progress(struct cli *c, int argc, char **argv);
int cmd_task_submit(struct cli *c, int argc, char **argv);
int cmd_task_approve(struct cli *c, int argc, char **argv);
int cmd_task_return(struct cli *c, int argc, char **argv);
int cmd_task_reopen(struct cli *c, int argc, char **argv);
int cmd_task_stage(struct cli *c, int argc, char **argv);
int cmd_task_confirm(struct cli *c, int argc, char **argv);
int cmd_task_extend(struct cli *c, int argc, char **argv);
int cmd_test_ledger(struct cli *c, int argc, char **argv);
int cmd_test_writer(struct cli *c, int argc, char **argv);
/* cli_commit.c */
int cmd_commitment_list(struct cli *c, int argc, char **argv);
int cmd_activity_add(struct cli *c, int argc, char **argv);
/* cli_notify.c */
int cmd_task_urge(struct cli *c, int argc, char **argv);
int cmd_notify_list(struct cli *c, int argc, char **argv);
int cmd_notify_read(struct cli *c, int argc, char **argv);
int cmd_notify_sweep(struct cli *c, int argc, char **argv);
int cmd_notify_test(struct cli *c, int argc, char **argv);
/* cli_audit.c */
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_audit_head(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_migrate(struct cli *c, int argc, char **argv);
/* cli_serve.c */
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_sample_config(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
/* cli_office.c */
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_import_ledger(struct cli *c, int argc, char **argv);

#endif
