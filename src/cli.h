/*
 * cli.h -- what the command implementations (cli_*.c) share: the command
 * table entry, the context main() hands them, and reporting helpers.
 *
 * A command receives argv with argv[0] = its own name (for a two-word
 * command such as "task list", argv[0] = "list"), parses its options with
 * getopt_long, and returns the process exit status.  Global options
 * (--db FILE, --quiet, --verbose) are taken out of argv by main() before
 * the command runs.
 */
#ifndef RECTIFY_CLI_H
#define RECTIFY_CLI_H

#include "buf.h"
#include "conf.h"
#include "util.h"

struct cli {
	const char *db_path;    /* --db, else $RECTIFY_DB, else "rectify.db" */
	const char *today;      /* $RECTIFY_TODAY (YYYY-MM-DD) for tests, or NULL */
	int verbose;            /* the global --verbose: more log, and `lint` lists every place */
	int db_given;           /* db_path came from --db (a hint naming a command
	                           must repeat it) */
	const char *conf_path;  /* --config FILE, or NULL */
	struct conf *conf;      /* its contents (conf.h), or NULL */
	int log_given;          /* --quiet or --verbose: the file's log_level yields */
};

enum {
	CMD_HIDDEN = 1 << 0,    /* not listed by `rectify help` (test-* commands) */
};

struct cmd {
	const char *name;       /* "parse", or two words: "task list" */
	int (*fn)(struct cli *c, int argc, char **argv);
	unsigned flags;
	const char *usage;      /* after the name: "FILE [--json]" */
	const char *summary;    /* one line */
	const char *help;       /* more lines for `rectify help CMD`, or NULL */
};

/* Print "rectify: MESSAGE" for e to standard error and return the exit status
 * for its rc.  A refusal that a command can remedy (no database, no campaign
 * yet) is followed by that command, as cli_hint() writes it. */
int cli_fail(const struct err *e);
/* Write to b the command "rectify [--db PATH] NAME ARGS" of a hint: ARGS as
 * given (the required options; UPPER-CASE words are for the user to fill
 * in), --db repeated when the command line gave it, so that the command
 * works as written. */
void cli_hint(const struct cli *c, const char *name, const char *args, struct buf *b);
/* Print "rectify CMD: usage: ..." for the named command and return 2. */
int cli_usage(const char *name);
/* The context cli_fail() names commands in (main() sets it). */
void cli_set_context(const struct cli *c);
/* Write to b the command line "rectify [--db PATH] NAME ARGS... EXTRA..."
 * with each word quoted for the shell when it needs it: the command of a
 * hint, that works as written.  extra is NULL-terminated. */
void cli_command(const struct cli *c, const char *name, int argc, char **argv,
		 const char *const *extra, struct buf *b);
/* Read the report at path ("-": standard input) for parse or lint, within
 * the input bound; a large file first sets the process up for it
 * (util_batch_memory). */
enum rc cli_read_report(const char *path, char **data, size_t *len, struct err *e);

/* Commands, one group per file. */
int cmd_parse(struct cli *c, int argc, char **argv);        /* cli_doc.c */
int cmd_test_corpus(struct cli *c, int argc, char **argv);  /* cli_doc.c */
int cmd_lint(struct cli *c, int argc, char **argv);         /* cli_lint.c */
int cmd_test_lint_priors(struct cli *c, int argc, char **argv); /* cli_lint.c */
/* cli_ledger.c */
int cmd_test_writer(struct cli *c, int argc, char **argv);
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_unit_add(struct cli *c, int argc, char **argv);
int cmd_unit_list(struct cli *c, int argc, char **argv);
int cmd_user_add(struct cli *c, int argc, char **argv);
int cmd_user_list(struct cli *c, int argc, char **argv);
int cmd_unit_rename(struct cli *c, int argc, char **argv);
int cmd_unit_move(struct cli *c, int argc, char **argv);
int cmd_user_update(struct cli *c, int argc, char **argv);
/* cli_notify.c */
int cmd_task_urge(struct cli *c, int argc, char **argv);
int cmd_notify_list(struct cli *c, int argc, char **argv);
int cmd_notify_read(struct cli *c, int argc, char **argv);
int cmd_notify_sweep(struct cli *c, int argc, char **argv);
int cmd_notify_test(struct cli *c, int argc, char **argv);
/* `setting set` and `setting list` of the channels' text settings, and
 * `user update LOGIN --email ADDR` (expect -1: the current version). */
enum store_text_setting;
struct store;
int cli_text_setting_set(struct cli *c, enum store_text_setting s, const char *value,
			 int64_t expect, const char *as);
int cli_text_settings_print(struct store *st);
int cli_user_email(struct cli *c, const char *login, const char *email, int64_t expect,
		   const char *as);
int cmd_setting_list(struct cli *c, int argc, char **argv);
int cmd_setting_set(struct cli *c, int argc, char **argv);
int cmd_campaign_new(struct cli *c, int argc, char **argv);
int cmd_campaign_list(struct cli *c, int argc, char **argv);
int cmd_campaign_set(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
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
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_activity_add(struct cli *c, int argc, char **argv);
int cmd_commitment_list(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_audit_head(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_test_ledger(struct cli *c, int argc, char **argv);
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
