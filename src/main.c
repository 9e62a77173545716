/*
 * main.c -- argv to the command table, nothing else.
 *
 * `rectify CMD ...` finds CMD (one word, or two for grouped commands such as
 * "task list") in cmds[], takes the global options out of argv and calls the
 * command.  `rectify help [CMD]` reads usage and summary from the same table.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cmd cmds[] = {
	{"parse", cmd_parse, 0, "FILE [--json]",
	 "print the tree of a report (.txt, .md, .docx; '-' reads standard input)",
	 "The tree: sections, areas, items with their leads and examples, then the\n"
	 "commitments, deadlines and placeholders found.  --json prints the stable\n"
	 "contract documented in docs/PARSE-JSON.md.  Exit status 2 when the input\n"
	 "cannot be used (empty, binary, unknown encoding, over 16 MiB)."},
	{"lint", cmd_lint, 0,
	 "FILE... [--json] [--verbose] [--previous FILE...] [--ledger] [--rules] [--disable RULE]",
	 "check a report (材料体检): placeholders, punctuation, wrong characters, vagueness ...",
	 "Runs every rule of the report lint and prints the findings as compilers do,\n"
	 "FILE:LINE:COL: severity: message [rule-id], with the text quoted, then a\n"
	 "summary line.  Half-width punctuation is one finding per paragraph, or one\n"
	 "for the whole report where it is pervasive; --verbose lists every place.\n"
	 "--json prints {\"format\":1,\"findings\":[...],\"summary\":{...}} with every place.\n"
	 "--previous takes the files that follow it (earlier reports): problems that\n"
	 "closely resemble theirs are flagged; --ledger compares with every campaign in\n"
	 "the ledger database (--db) as well.  --rules lists the rules; --disable RULE\n"
	 "(repeatable, or comma-separated) turns rules off.  Exit status 0 when no\n"
	 "finding is an error, 1 when one is, 2 when an input cannot be used."},
	{"test-lint-priors", cmd_test_lint_priors, CMD_HIDDEN, "REPORT ITEMS [RUNS]",
	 "time checking a report against earlier problem items (bench/lint.sh)", NULL},
	{"test-corpus", cmd_test_corpus, CMD_HIDDEN, "DIR MEGABYTES",
	 "write a synthetic corpus of reports for the benchmarks", NULL},
	{"init", cmd_init, CMD_DB, "--admin LOGIN [--name NAME]",
	 "create the database and its first admin (password from RECTIFY_PASSWORD or asked)",
	 NULL},
	{"unit add", cmd_unit_add, CMD_DB, "NAME [--parent NAME] [--as LOGIN]", "add a unit (单位)", NULL},
	{"unit list", cmd_unit_list, CMD_DB, "", "the unit tree", NULL},
	{"user add", cmd_user_add, CMD_DB,
	 "LOGIN --name NAME --role admin|leader|handler|reviewer|observer [--unit NAME]"
	 " [--as LOGIN]",
	 "add a user (password from RECTIFY_PASSWORD or asked)", NULL},
	{"user list", cmd_user_list, CMD_DB, "", "the users", NULL},
	{"unit rename", cmd_unit_rename, CMD_DB, "NAME NEW-NAME [--expect-version V] [--as LOGIN]",
	 "rename a unit", "--expect-version refuses the change when the unit changed since that\n"
	 "version ('unit list' shows it); without it the current version is used."},
	{"unit move", cmd_unit_move, CMD_DB,
	 "NAME (--parent NAME | --top) [--expect-version V] [--as LOGIN]",
	 "put a unit under another, or at the top", NULL},
	{"user update", cmd_user_update, CMD_DB,
	 "LOGIN [--role R] [--unit NAME | --no-unit] [--active | --inactive] [--password]"
	 " [--expect-version V] [--as LOGIN]",
	 "change a user's role, unit, active flag or password (one transaction)",
	 "--password sets a new one (from RECTIFY_PASSWORD or asked); deactivating a user\n"
	 "or a new password ends their sessions.  --expect-version refuses the change\n"
	 "when the user changed since that version ('user list' shows it)."},
	{"setting list", cmd_setting_list, CMD_DB, "", "the settings, their values and versions",
	 NULL},
	{"setting set", cmd_setting_set, CMD_DB, "KEY VALUE [--expect-version V] [--as LOGIN]",
	 "change a setting (review_months, immediate_days)",
	 "--expect-version refuses the change when the setting changed since that\n"
	 "version ('setting list' shows it; 0 while it was never set)."},
	{"campaign new", cmd_campaign_new, CMD_DB,
	 "--year Y --title T [--theme T] [--areas FILE] [--carry-over FROM] [--start DATE]"
	 " [--as LOGIN]",
	 "open a campaign (the year's rectification), optionally carrying over unfinished tasks",
	 "--areas names a file with one framework area a line.  --carry-over copies every\n"
	 "task of campaign FROM not yet 已销号 into the new one, linked to its origin."},
	{"campaign list", cmd_campaign_list, CMD_DB, "", "the campaigns (* marks the current)",
	 NULL},
	{"import", cmd_import, CMD_DB,
	 "FILE [--dry-run] [--campaign ID|new] [--owner LOGIN] [--again] [--as LOGIN]",
	 "import a report: one task per problem item, linked to its measures",
	 "--dry-run writes nothing: it prints the tree as 'rectify parse' does, the\n"
	 "findings of 'rectify lint' (against the problem items of every campaign in\n"
	 "the ledger) and the campaign the tasks would go into.  --campaign ID imports\n"
	 "into that campaign; --campaign new opens a campaign of the report's own year\n"
	 "and title (made current) and imports into it.  Without --campaign the report\n"
	 "goes into the current campaign when the report names no year or the current\n"
	 "campaign is of its year, and into a new one when there is no campaign yet; a\n"
	 "report of another year is refused (exit 2) with the two commands to choose\n"
	 "from.  The same file (by SHA-256) is refused a second time unless --again."},
	{"task list", cmd_task_list, CMD_DB,
	 "[--json] [--status S] [--light red|yellow|green|none] [--unit NAME] [--leader LOGIN]"
	 " [--area ID] [--q TEXT] [--review-due] [--sort KEY] [--page N] [--per-page N]"
	 " [--campaign ID] [--as LOGIN]",
	 "the ledger, filtered (JSON: docs/LEDGER-JSON.md)", NULL},
	{"task show", cmd_task_show, CMD_DB, "ID [--json] [--as LOGIN]",
	 "one task with its progress, evidence, reviews, extensions and history", NULL},
	{"task assign", cmd_task_assign, CMD_DB,
	 "ID [--leader LOGIN] [--unit NAME] [--deadline YYYY-MM-DD|ongoing|immediate]"
	 " [--goal TEXT] [--measure NODE]... [--expect-version V] [--as LOGIN]",
	 "assign a task's leader, unit, deadline (once), goal and measures", NULL},
	{"task progress", cmd_task_progress, CMD_DB,
	 "ID --as LOGIN --text TEXT [--evidence FILE]... [--expect-version V]",
	 "report progress with evidence",
	 NULL},
	{"task submit", cmd_task_submit, CMD_DB, "ID --as LOGIN [--note TEXT] [--expect-version V]",
	 "申请销号: ask the reviewer to close the task", NULL},
	{"task approve", cmd_task_approve, CMD_DB, "ID --as LOGIN [--note TEXT] [--expect-version V]",
	 "销号: a reviewer closes the task", NULL},
	{"task return", cmd_task_return, CMD_DB, "ID --as LOGIN --reason TEXT [--expect-version V]",
	 "退回: a reviewer sends the request back", NULL},
	{"task reopen", cmd_task_reopen, CMD_DB, "ID --as LOGIN --reason TEXT [--expect-version V]",
	 "重新打开: a reviewer reopens a closed task (回头看)", NULL},
	{"task stage", cmd_task_stage, CMD_DB, "ID --as LOGIN [--note TEXT] [--expect-version V]",
	 "阶段性完成: a reviewer accepts a stage of an ongoing task", NULL},
	{"task confirm", cmd_task_confirm, CMD_DB, "ID --as LOGIN [--note TEXT] [--expect-version V]",
	 "回头看: a reviewer confirms a closed task still holds", NULL},
	{"task extend", cmd_task_extend, CMD_DB,
	 "ID --as LOGIN (--to YYYY-MM-DD --reason TEXT | --approve | --refuse [--note TEXT])"
	 " [--expect-version V]",
	 "延期申请: request an extension, or (reviewer) approve or refuse it", NULL},
	{"check", cmd_check, CMD_DB, "[--json] [--campaign ID] [--as LOGIN]",
	 "对账: problems without tasks, tasks without leader/unit/deadline, unused measures",
	 NULL},
	{"activity add", cmd_activity_add, CMD_DB,
	 "--commitment ID --date D --as LOGIN [--who LOGIN,...] [--note T] [--evidence FILE]...",
	 "log an activity (学习会, 调研 …) against a commitment", NULL},
	{"commitment list", cmd_commitment_list, CMD_DB, "[--json] [--campaign ID] [--as LOGIN]",
	 "commitments with their compliance per period and who is behind", NULL},
	{"verify", cmd_verify, CMD_DB, "[--head ID:HASH]",
	 "check the audit chain and that every ledger row matches it (exit 1 when not)",
	 "It ends with the chain's head, ID:HASH.  Keep that head somewhere the\n"
	 "database's writers cannot reach (the server logs it at start and daily;\n"
	 "'rectify audit head' prints it): --head checks that the chain still holds\n"
	 "it, so that the last actions cannot be undone without a trace (deleting the\n"
	 "last audit rows, putting their rows back and setting the stored head back\n"
	 "leaves a chain that verifies on its own)."},
	{"audit head", cmd_audit_head, CMD_DB, "",
	 "the audit chain's head ID:HASH, to record outside the database (verify --head)",
	 NULL},
	{"backup", cmd_backup, CMD_DB, "FILE", "a consistent copy of the database, while in use",
	 NULL},
	{"restore", cmd_restore, CMD_DB, "FILE",
	 "replace the database with a verified backup (the current one is kept beside it)",
	 NULL},
	{"export", cmd_export, CMD_DB,
	 "--format xlsx|csv [--campaign ID] [--as LOGIN] -o FILE",
	 "the 整改台账 as a workbook (ledger, commitments, totals, history) or CSV",
	 "The workbook has four sheets: 整改台账 (one row per task, the light as a\n"
	 "coloured cell), 承诺事项, 汇总 (by area and unit) and 状态变更.  CSV is the\n"
	 "ledger sheet in UTF-8 with a BOM.  Without --format the extension of FILE\n"
	 "decides.  The file is written whole or not at all."},
	{"report", cmd_report, CMD_DB,
	 "--format docx|md|html [--campaign ID] [--as-of DATE] [--as LOGIN] -o FILE",
	 "the 整改落实情况报告: .docx in the GB/T 9704 format, Markdown or HTML",
	 "Overall progress with charts, each area's completed and remaining tasks,\n"
	 "commitments met and missed, next steps, and the ledger as an appendix.\n"
	 "--as-of computes lights and compliance for that day."},
	{"import-ledger", cmd_import_ledger, CMD_DB,
	 "FILE.xlsx|FILE.csv [--campaign ID] [--dry-run] [--skip-bad] [--again]"
	 " [--year Y --title T] [--as LOGIN]",
	 "import a 整改台账 spreadsheet: one task per row, columns found by their headers",
	 "Headers such as 问题/问题表现, 责任人/责任领导, 完成时限/整改时限 are recognised;\n"
	 "merged header and area cells and Excel dates are read.  Units named in the\n"
	 "sheet that do not exist are created with the tasks, in one transaction;\n"
	 "leaders not matching a single leader account are listed, kept as written\n"
	 "on the task, and left for 'task assign'.  Rows marked 已销号 are imported\n"
	 "closed.  Nothing is written unless every row is understood, or --skip-bad\n"
	 "leaves the others out.  --dry-run shows the mapping and the first rows\n"
	 "(exit 1 when some rows are not understood).  On a database with no campaign\n"
	 "yet, the import opens one (in the same transaction): its year and title from\n"
	 "the sheet's title row (年 after a year), else the year of its earliest dated\n"
	 "deadline, or from --year and --title, which win when given."},
	{"serve", cmd_serve, CMD_DB,
	 "[--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [--behind-https] [--threads N]",
	 "run the web application on the database",
	 "Serves the ledger in the browser and the JSON API under /api/v1/ on\n"
	 "127.0.0.1:8080 by default (--listen 0.0.0.0:8080 for every address, :0 for\n"
	 "any free port).  HTTPS with --tls-cert/--tls-key (PEM); --behind-https marks\n"
	 "cookies Secure when a TLS proxy sits in front.  SIGTERM or Ctrl-C lets running\n"
	 "requests finish, then stops."},
	{"demo", cmd_demo, 0, "[--listen ADDR:PORT] [FILE]",
	 "a fresh database with a sample report, units and one user per role, then serve",
	 "Creates FILE (default: a new temporary directory), imports the sample report,\n"
	 "makes a small unit tree, one user per role with random passwords, assigns the\n"
	 "tasks and records some progress, prints the address and the logins, and serves\n"
	 "as 'rectify serve' does."},
	{"test-ledger", cmd_test_ledger, CMD_HIDDEN | CMD_DB,
	 "[--units N] [--tasks N] [--progress N] [--seed S]",
	 "fill the database with a synthetic ledger for the benchmarks", NULL},
	{"test-writer", cmd_test_writer, CMD_HIDDEN | CMD_DB, "--as LOGIN [--count N] [--tag T]",
	 "write progress entries in a loop, one line per commit (the crash test)", NULL},
};

static const struct cmd *find(int argc, char **argv, int *words)
{
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		const char *sp = strchr(cmds[i].name, ' ');
		if (sp) {
			size_t n = (size_t)(sp - cmds[i].name);
			if (argc >= 2 && strlen(argv[0]) == n && strncmp(argv[0], cmds[i].name, n) == 0 &&
			    strcmp(argv[1], sp + 1) == 0) {
				*words = 2;
				return &cmds[i];
			}
		} else if (strcmp(argv[0], cmds[i].name) == 0) {
			*words = 1;
			return &cmds[i];
		}
	}
	return NULL;
}

static void usage_all(FILE *f)
{
	fprintf(f, "usage: rectify [--db FILE] COMMAND [ARGS]\n\n"
		   "rectify (整改台账) turns a self-inspection report into a rectification\n"
		   "ledger and keeps it until every promise is kept.\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++)
		if (!(cmds[i].flags & CMD_HIDDEN))
			fprintf(f, "  %-18s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'rectify help COMMAND' tells more about one command.\n");
}

int cli_usage(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		if (strcmp(cmds[i].name, name) == 0) {
			fprintf(stderr, "usage: rectify %s %s\n", cmds[i].name, cmds[i].usage);
			return 2;
		}
	}
	fprintf(stderr, "usage: rectify %s ...\n", name);
	return 2;
}

int cli_fail(const struct err *e)
{
	fprintf(stderr, "rectify: %s\n", e->msg[0] ? e->msg : rc_name(e->rc));
	return rc_exit_code(e->rc);
}

/* One word for the shell: as it is when it needs no quoting, else in
 * single quotes. */
static void shell_word(struct buf *b, const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p && plain; p++)
		plain = (unsigned char)*p >= 0x80 || strchr("abcdefghijklmnopqrstuvwxyz"
							   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
							   "0123456789-_./=:,+@%", *p);
	if (plain) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '\'');
}

void cli_command(const struct cli *c, const char *name, int argc, char **argv,
		 const char *const *extra, struct buf *b)
{
	buf_puts(b, "rectify");
	if (c->db_given) {
		buf_puts(b, " --db ");
		shell_word(b, c->db_path);
	}
	buf_printf(b, " %s", name);
	for (int i = 1; i < argc; i++) {
		buf_putc(b, ' ');
		shell_word(b, argv[i]);
	}
	for (size_t i = 0; extra && extra[i]; i++) {
		buf_putc(b, ' ');
		shell_word(b, extra[i]);
	}
}

static int help(int argc, char **argv)
{
	if (argc < 2) {
		usage_all(stdout);
		return 0;
	}
	int words = 0;
	const struct cmd *c = find(argc - 1, argv + 1, &words);
	if (!c) {
		/* "help task" lists the task subcommands. */
		int any = 0;
		size_t n = strlen(argv[1]);
		for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
			if (strncmp(cmds[i].name, argv[1], n) == 0 && cmds[i].name[n] == ' ') {
				printf("  rectify %s %s\n      %s\n", cmds[i].name, cmds[i].usage,
				       cmds[i].summary);
				any = 1;
			}
		}
		if (any)
			return 0;
		fprintf(stderr, "rectify: no command '%s'; 'rectify help' lists them\n", argv[1]);
		return 2;
	}
	printf("usage: rectify %s %s\n\n%s\n", c->name, c->usage, c->summary);
	if (c->help)
		printf("\n%s\n", c->help);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	c.db_path = getenv("RECTIFY_DB");
	c.today = getenv("RECTIFY_TODAY");
	if (sodium_init() < 0) {
		fputs("rectify: cannot initialise libsodium\n", stderr);
		return 4;
	}
	/* Take the global options out of argv. */
	int n = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			c.db_path = argv[++i];
			c.db_given = 1;
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			c.db_path = argv[i] + 5;
			c.db_given = 1;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			log_level = 1;
		} else if (strcmp(argv[i], "--verbose") == 0) {
			log_level = log_level >= 3 ? 4 : 3;
			c.verbose = 1;
		} else {
			argv[++n] = argv[i];
		}
	}
	argc = n + 1;
	argv[argc] = NULL;
	if (!c.db_path || !*c.db_path)
		c.db_path = "rectify.db";
	if (argc < 2) {
		usage_all(stderr);
		return 2;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)
		return help(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		puts("rectify " RECTIFY_VERSION);
		return 0;
	}
	int words = 0;
	const struct cmd *cmd = find(argc - 1, argv + 1, &words);
	if (!cmd) {
		fprintf(stderr, "rectify: no command '%s'; 'rectify help' lists them\n", argv[1]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: rectify %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
			if (cmd->help)
				printf("\n%s\n", cmd->help);
			return 0;
		}
	}
	return cmd->fn(&c, argc - words, argv + words);
}
