/*
 * main.c -- argv to the command table, nothing else.
 *
 * `rectify CMD ...` finds CMD (one word, or two for grouped commands such as
 * "task list") in cmds[], takes the global options out of argv and calls the
 * command; the entry's flags say what the command's cli_setup() makes for
 * it (today, the database read-only or to write, the acting user), and
 * main() closes it when the command returns (cli.h).  `rectify help [CMD]`
 * reads usage and summary from the same table.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int cmd_man(struct cli *c, int argc, char **argv);

static const char about[] =
	"rectify (整改台账) turns a self-inspection report into a rectification\n"
	"ledger and keeps it until every promise is kept.";

static const struct cmd cmds[] = {
	{"parse", cmd_parse, 0, "FILE [--json]",
	 "print the tree of a report (.txt, .md, .docx; '-' reads standard input)",
	 "The tree: sections, areas, items with their leads and examples, then the\n"
	 "commitments, deadlines and placeholders found.  --json prints the stable\n"
	 "contract documented in docs/PARSE-JSON.md.  Exit status 2 when the input\n"
	 "cannot be used (empty, binary, unknown encoding, over 16 MiB)."},
	{"lint", cmd_lint, 0,
	 "FILE... [--json] [--verbose] [--previous FILE]... [--ledger] [--rules] [--disable RULE]",
	 "check a report (材料体检): placeholders, punctuation, wrong characters, vagueness ...",
	 "Runs every rule of the report lint and prints the findings as compilers do,\n"
	 "FILE:LINE:COL: severity: message [rule-id], with the text quoted, then a\n"
	 "summary line.  Half-width punctuation is one finding per paragraph, or one\n"
	 "for the whole report where it is pervasive; --verbose lists every place.\n"
	 "--json prints {\"format\":1,\"findings\":[...],\"summary\":{...}} with every place.\n"
	 "Options may come before, between or after the files ('--' ends them).\n"
	 "--previous FILE names an earlier report, one file each time (repeat it for\n"
	 "more: --previous a.txt --previous b.txt): problems that closely resemble\n"
	 "theirs are flagged; --ledger compares with every campaign in the ledger\n"
	 "database (--db) as well.  --rules lists the rules; --disable RULE\n"
	 "(repeatable, or comma-separated) turns rules off.  Exit status 0 when no\n"
	 "finding is an error, 1 when one is, 2 when an input cannot be used."},
	{"test-lint-priors", cmd_test_lint_priors, CMD_HIDDEN, "REPORT ITEMS [RUNS]",
	 "time checking a report against earlier problem items (bench/lint.sh)", NULL},
	{"test-corpus", cmd_test_corpus, CMD_HIDDEN, "DIR MEGABYTES",
	 "write a synthetic corpus of reports for the benchmarks", NULL},
	{"init", cmd_init, CMD_DB | CMD_WRITE | CMD_CREATE,
	 "--admin LOGIN [--name NAME] [--generate-password]",
	 "create the database and its first admin (password from RECTIFY_PASSWORD or asked)",
	 "--generate-password makes a random password and prints it once (the\n"
	 "package's first start); change it with 'rectify user update LOGIN --password'."},
	{"unit add", cmd_unit_add, CMD_DB | CMD_WRITE | CMD_AS,
	 "NAME [--parent NAME] [--as LOGIN]", "add a unit (单位)", NULL},
	{"unit list", cmd_unit_list, CMD_DB, "", "the unit tree", NULL},
	{"user add", cmd_user_add, CMD_DB | CMD_WRITE | CMD_AS,
	 "LOGIN --name NAME --role admin|leader|handler|reviewer|observer [--unit NAME]"
	 " [--as LOGIN]",
	 "add a user (password from RECTIFY_PASSWORD or asked)", NULL},
	{"user list", cmd_user_list, CMD_DB, "", "the users", NULL},
	{"unit rename", cmd_unit_rename, CMD_DB | CMD_WRITE | CMD_AS,
	 "NAME NEW-NAME [--expect-version V] [--as LOGIN]",
	 "rename a unit", "--expect-version refuses the change when the unit changed since that\n"
	 "version ('unit list' shows it); without it the current version is used."},
	{"unit move", cmd_unit_move, CMD_DB | CMD_WRITE | CMD_AS,
	 "NAME (--parent NAME | --top) [--expect-version V] [--as LOGIN]",
	 "put a unit under another, or at the top", NULL},
	{"user update", cmd_user_update, CMD_DB | CMD_WRITE | CMD_AS,
	 "LOGIN [--role R] [--unit NAME | --no-unit] [--active | --inactive] [--password]"
	 " [--email ADDR] [--expect-version V] [--as LOGIN]",
	 "change a user's role, unit, active flag or password (one transaction)",
	 "--password sets a new one (from RECTIFY_PASSWORD or asked); deactivating a user\n"
	 "or a new password ends their sessions.  --expect-version refuses the change\n"
	 "when the user changed since that version ('user list' shows it)."},
	{"setting list", cmd_setting_list, CMD_DB, "", "the settings, their values and versions",
	 NULL},
	{"setting set", cmd_setting_set, CMD_DB | CMD_WRITE | CMD_AS,
	 "KEY VALUE [--expect-version V] [--as LOGIN]",
	 "change a setting (review_months, immediate_days, due_days, digest_hour, smtp_url, …)",
	 "--expect-version refuses the change when the setting changed since that\n"
	 "version ('setting list' shows it; 0 while it was never set)."},
	{"campaign new", cmd_campaign_new, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "--year Y --title T [--theme T] [--areas FILE] [--carry-over FROM] [--start DATE]"
	 " [--as LOGIN]",
	 "open a campaign (the year's rectification), optionally carrying over unfinished tasks",
	 "--areas names a file with one framework area a line.  --carry-over copies every\n"
	 "task of campaign FROM not yet 已销号 into the new one, linked to its origin;\n"
	 "in campaign FROM those become 转入下一批次 (neither open nor closed there)."},
	{"campaign list", cmd_campaign_list, CMD_DB, "", "the campaigns (* marks the current)",
	 NULL},
	{"campaign set", cmd_campaign_set, CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --report-title TITLE [--as LOGIN]",
	 "set the title of a campaign's 整改落实情况报告",
	 "The report is titled after the material: \"关于…民主生活会查摆问题整改落实情况的\n"
	 "报告\" for a meeting's material, \"关于…反馈意见整改落实情况的报告\" for a 巡察's.\n"
	 "--report-title gives it another title; --report-title '' goes back to the made one."},
	{"import", cmd_import, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
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
	{"task list", cmd_task_list, CMD_TODAY | CMD_DB | CMD_AS,
	 "[--json] [--status S] [--light red|yellow|green|grey|none] [--unit NAME] [--leader LOGIN]"
	 " [--area ID] [--q TEXT] [--review-due] [--sort KEY] [--page N] [--per-page N]"
	 " [--campaign ID] [--as LOGIN]",
	 "the ledger, filtered (JSON: docs/LEDGER-JSON.md)", NULL},
	{"task show", cmd_task_show, CMD_TODAY | CMD_DB | CMD_AS, "ID [--json] [--as LOGIN]",
	 "one task with its progress, evidence, reviews, extensions and history", NULL},
	{"task assign", cmd_task_assign, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID [--leader LOGIN] [--unit NAME] [--deadline YYYY-MM-DD|ongoing|immediate]"
	 " [--goal TEXT] [--measure NODE]... [--commitment ID]... [--expect-version V] [--as LOGIN]",
	 "assign a task's leader, unit, deadline (once), goal, measures and commitments",
	 "--measure sets the task's measures (the nodes of its report's measures\n"
	 "section).  --commitment links the task to a commitment (rectify commitment\n"
	 "list): the measure that states it is added to the task's measures, or to\n"
	 "those --measure gives; the task then shows the commitment's counter."},
	{"task progress", cmd_task_progress, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN --text TEXT [--evidence FILE]... [--expect-version V]",
	 "report progress with evidence",
	 NULL},
	{"task submit", cmd_task_submit, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN [--note TEXT] [--expect-version V]",
	 "申请销号: ask the reviewer to close the task", NULL},
	{"task approve", cmd_task_approve, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN [--note TEXT] [--expect-version V]",
	 "销号: a reviewer closes the task", NULL},
	{"task return", cmd_task_return, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN --reason TEXT [--expect-version V]",
	 "退回: a reviewer sends the request back", NULL},
	{"task reopen", cmd_task_reopen, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN --reason TEXT [--expect-version V]",
	 "重新打开: a reviewer reopens a closed task (回头看)", NULL},
	{"task stage", cmd_task_stage, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN [--note TEXT] [--expect-version V]",
	 "阶段性完成: a reviewer accepts a stage of an ongoing task", NULL},
	{"task confirm", cmd_task_confirm, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN [--note TEXT] [--expect-version V]",
	 "回头看: a reviewer confirms a closed task still holds", NULL},
	{"task urge", cmd_task_urge, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN [--message TEXT] [--expect-version V]",
	 "催办: the office or a reviewer presses the task's leader and handlers to act",
	 "The urge is in the task's history and the audit chain; the leader and the\n"
	 "handlers who see the task are notified, and the task shows it until they act."},
	{"notify list", cmd_notify_list, CMD_DB | CMD_AS, "--as LOGIN [--all]",
	 "a user's notifications (消息): the unread ones, or all", NULL},
	{"notify read", cmd_notify_read, CMD_DB | CMD_WRITE | CMD_AS, "--as LOGIN (--all | ID...)",
	 "mark a user's notifications read", NULL},
	{"notify sweep", cmd_notify_sweep, CMD_TODAY | CMD_DB | CMD_WRITE, "",
	 "the day's deadline reminders (due, overdue, 回头看), once a day",
	 "`rectify serve` does this itself from the hour digest_hour; this is for a\n"
	 "ledger kept without the server."},
	{"notify test", cmd_notify_test, CMD_DB, "--to LOGIN",
	 "send a test message through each configured channel (e-mail, webhook)",
	 "Channels are settings: smtp_url, smtp_from, smtp_user, smtp_password,\n"
	 "webhook_url, webhook_format (json or text); a user's address is set with\n"
	 "'rectify user update LOGIN --email ADDR'."},
	{"task extend", cmd_task_extend, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "ID --as LOGIN (--to YYYY-MM-DD --reason TEXT | --approve | --refuse [--note TEXT])"
	 " [--expect-version V]",
	 "延期申请: request an extension, or (reviewer) approve or refuse it", NULL},
	{"check", cmd_check, CMD_TODAY | CMD_DB | CMD_AS, "[--json] [--campaign ID] [--as LOGIN]",
	 "对账: problems without tasks, tasks without leader/unit/deadline, unused measures",
	 NULL},
	{"activity add", cmd_activity_add, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "--commitment ID --date D --as LOGIN [--who LOGIN,...] [--note T] [--evidence FILE]...",
	 "log an activity (学习会, 调研 …) against a commitment", NULL},
	{"commitment list", cmd_commitment_list, CMD_TODAY | CMD_DB | CMD_AS,
	 "[--json] [--campaign ID] [--as LOGIN]",
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
	{"backup", cmd_backup, CMD_DB | CMD_AS_IS, "[FILE | --dir DIR] [--keep N] [--tag WORD]",
	 "a consistent, verified copy of the database, while in use",
	 "With FILE the copy goes there.  Without it, into the backup directory (--dir,\n"
	 "else backup_directory of --config) as rectify-YYYYMMDD-HHMMSS.db; then the\n"
	 "oldest such copies past the newest N (--keep, else backup_keep, else 14) are\n"
	 "deleted.  --tag WORD names the copy rectify-YYYYMMDD-HHMMSS-WORD.db and keeps\n"
	 "it out of the count (the package's pre-upgrade copies).  Every copy is\n"
	 "checked before anything is deleted: SQLite's integrity check and the audit\n"
	 "chain (exit 3 when it fails; the copy is then removed).  A database of an\n"
	 "older schema is copied as it is."},
	{"restore", cmd_restore, 0, "FILE",
	 "replace the database with a verified backup (the current one is kept beside it)",
	 "FILE is checked as 'backup' checks its copies; the database in use is first\n"
	 "saved as DB.before-restore.  Stop the service first (systemctl stop rectify)\n"
	 "and run it as the user that owns the database (runuser -u rectify -- ...).\n"
	 "On PostgreSQL a backup is an SQLite ledger file all the same (made from one\n"
	 "snapshot), and restore replaces the ledger in the database with it in one\n"
	 "transaction, the current one first saved to rectify-before-restore-TIME.db in\n"
	 "the working directory.  PostgreSQL's own pg_dump and pg_restore serve as\n"
	 "well; run verify after them."},
	{"migrate", cmd_migrate, 0, "--from DB --to DB",
	 "copy a whole ledger into an empty database, SQLite or PostgreSQL, and verify it",
	 "Each DB is a file (SQLite) or a postgresql:// URL.  Every row keeps its id,\n"
	 "evidence its bytes and the audit log its chain; the copy is read from one\n"
	 "snapshot of --from (the service may keep running) and written in one\n"
	 "transaction, then --to is verified.  --to must hold no ledger yet: a new\n"
	 "file, or an empty PostgreSQL database (createdb).  Both ends at this\n"
	 "program's schema: open an older file once for writing first."},
	{"export", cmd_export, CMD_TODAY | CMD_DB | CMD_AS,
	 "--format xlsx|csv [--campaign ID] [--as LOGIN] -o FILE",
	 "the 整改台账 as a workbook (ledger, commitments, totals, history) or CSV",
	 "The workbook has four sheets: 整改台账 (one row per task, the light as a\n"
	 "coloured cell), 承诺事项, 汇总 (by area and unit) and 状态变更.  CSV is the\n"
	 "ledger sheet in UTF-8 with a BOM.  Without --format the extension of FILE\n"
	 "decides.  The file is written whole or not at all."},
	{"report", cmd_report, CMD_TODAY | CMD_DB | CMD_AS,
	 "--format docx|md|html [--campaign ID] [--as-of DATE] [--charts yes|no] [--as LOGIN] -o FILE",
	 "the 整改落实情况报告: .docx in the GB/T 9704 format, Markdown or HTML",
	 "Overall progress, each area's completed and remaining tasks, commitments\n"
	 "met and missed, next steps, and the ledger as an appendix in which each\n"
	 "task has the measures that answer it.  --as-of computes lights and\n"
	 "compliance for that day.  The settings report_to (主送机关) and\n"
	 "report_signer (发文机关署名) are printed in their GB/T 9704 places.  Charts\n"
	 "are in the HTML; in the .docx when the setting report_charts is 1 or with\n"
	 "--charts yes (--charts no leaves them out of either)."},
	{"import-ledger", cmd_import_ledger, CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
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
	{"serve", cmd_serve, 0,
	 "[--config FILE] [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [--behind-https]"
	 " [--threads N]",
	 "run the web application on the database",
	 "Serves the ledger in the browser and the JSON API under /api/v1/ on\n"
	 "127.0.0.1:8080 by default (--listen 0.0.0.0:8080 for every address, :0 for\n"
	 "any free port).  HTTPS with --tls-cert/--tls-key (PEM); --behind-https marks\n"
	 "cookies Secure when a TLS proxy sits in front.  --config FILE reads these and\n"
	 "more from a configuration file (FILES in rectify(1)); options given on the\n"
	 "command line win.  SIGHUP reads the file again and applies trusted_proxies\n"
	 "and log_level (the other keys need a restart; a file with an error is\n"
	 "refused and the running configuration kept).  SIGTERM or Ctrl-C lets\n"
	 "running requests finish (10 seconds at most), then stops."},
	{"demo", cmd_demo, 0, "[--listen ADDR:PORT] [FILE]",
	 "a fresh database with a sample report, units and one user per role, then serve",
	 "Creates FILE, or the database --db names (default: a new temporary\n"
	 "directory); a postgresql:// URL names an empty PostgreSQL database, which\n"
	 "the demo fills as it would a new file (one holding a ledger is refused, as\n"
	 "an existing file is).  It imports the sample report, makes a small unit\n"
	 "tree, one user per role with random passwords, assigns the tasks and records\n"
	 "some progress, prints the address and the logins, and serves as 'rectify\n"
	 "serve' does.  The database is pinned at 2024-04-24 (or RECTIFY_TODAY), the\n"
	 "sample's first half year: its setting 'today', which every command on it\n"
	 "reads too ('rectify --db FILE setting set today \"\"' unpins it)."},
	{"config", cmd_config, 0, "[KEY]",
	 "the configuration in effect (--config FILE and the defaults), or one key's value",
	 "Prints KEY = VALUE for every key, or the value of KEY alone (nothing when it\n"
	 "is unset and has no default), after checking the file as 'serve' does."},
	{"man", cmd_man, CMD_HIDDEN, "", "the manual page rectify(1), in roff, from this table",
	 NULL},
	{"sample-config", cmd_sample_config, CMD_HIDDEN, "",
	 "the sample configuration file, from the table of keys", NULL},
	{"test-ledger", cmd_test_ledger, CMD_HIDDEN | CMD_TODAY | CMD_DB | CMD_WRITE | CMD_CREATE,
	 "[--units N] [--tasks N] [--progress N] [--seed S]",
	 "fill the database with a synthetic ledger for the benchmarks", NULL},
	{"test-writer", cmd_test_writer, CMD_HIDDEN | CMD_TODAY | CMD_DB | CMD_WRITE | CMD_AS,
	 "--as LOGIN [--count N] [--tag T]",
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
	fprintf(f, "usage: rectify [--db FILE|URL] [--config FILE] COMMAND [ARGS]\n\n%s\n\ncommands:\n",
		about);
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

/* What the configuration file decides for every command: the database
 * (--db wins), the time zone (before any thread starts: setenv is not
 * thread-safe) and the log level (--quiet and --verbose win). */
static void apply_conf(struct cli *c)
{
	const struct conf *f = c->conf;
	if (f->database && !c->db_given)
		c->db_path = f->database;
	if (f->time_zone) {
		setenv("TZ", f->time_zone, 1);
		tzset();
	}
	if (f->log_level >= 0 && !c->log_given)
		log_level = f->log_level;
}

/* ---- rectify(1) ------------------------------------------------------------ */

/* Text for roff: backslashes doubled, a leading '.' or '\'' guarded, '-'
 * as \- (a hyphen-minus, as options are typed). */
static void roff(const char *s)
{
	bool bol = true;
	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", stdout);
		bol = *s == '\n';
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

static void sample_to_buf(void *arg, const char *s)
{
	buf_puts(arg, s);
}

static int cmd_man(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argv;
	if (argc != 1)
		return cli_usage("man");
	printf(".\\\" rectify(1), written by 'rectify man' from the command table of src/main.c\n"
	       ".\\\" and the configuration keys of src/conf.c: edit those, not this.\n"
	       ".TH RECTIFY 1 \"\" \"rectify %s\" \"User Commands\"\n", RECTIFY_VERSION);
	printf(".SH NAME\nrectify \\- rectification ledger (整改台账): reports, tasks, reviews, "
	       "web application\n");
	printf(".SH SYNOPSIS\n.B rectify\n[\\fB\\-\\-db\\fR \\fIFILE\\fR] "
	       "[\\fB\\-\\-config\\fR \\fIFILE\\fR] [\\fB\\-\\-quiet\\fR | "
	       "\\fB\\-\\-verbose\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n");
	printf(".SH DESCRIPTION\n");
	roff(about);
	printf("\n.PP\nThe ledger lives in an SQLite database file or a PostgreSQL database "
	       "(a \\fIpostgresql://\\fR URL, which several servers may share): "
	       "\\fB\\-\\-db\\fR \\fIDB\\fR, "
	       "else the \\fBdatabase\\fR key of the configuration file, else "
	       "\\fBRECTIFY_DB\\fR, else \\fIrectify.db\\fR.  \\fBrectify migrate\\fR "
	       "copies a ledger from one to the other.\n");
	printf(".SH OPTIONS\n.TP\n\\fB\\-\\-db\\fR \\fIDB\\fR\nThe database: a file, or a "
	       "postgresql:// URL.\n"
	       ".TP\n\\fB\\-\\-config\\fR \\fIFILE\\fR\nRead the configuration file "
	       "(see \\fBFILES\\fR); any command takes it.\n"
	       ".TP\n\\fB\\-\\-quiet\\fR, \\fB\\-\\-verbose\\fR\nLess or more on standard "
	       "error.\n");
	printf(".SH COMMANDS\n");
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		if (cmds[i].flags & CMD_HIDDEN)
			continue;
		printf(".TP\n\\fBrectify %s\\fR ", cmds[i].name);
		roff(cmds[i].usage);
		printf("\n");
		roff(cmds[i].summary);
		printf("%s\n", cmds[i].summary[strlen(cmds[i].summary) - 1] == '.' ? "" : ".");
		if (cmds[i].help) {
			printf(".IP\n");
			roff(cmds[i].help);
			printf("\n");
		}
	}
	printf(".SH FILES\n.TP\n.I /etc/rectify/rectify.conf\n"
	       "The configuration of the packaged service: one \\fIKEY\\fR = \\fIVALUE\\fR a "
	       "line, '#' starts a comment line, an empty value keeps the default.  An "
	       "unknown or repeated key, or a bad value, is refused with the file's name and "
	       "line.  The keys:\n.RS\n");
	for (size_t i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];
		static const char *const what[] = {"default", "packaged", "for example"};
		printf(".TP\n\\fB%s\\fR (%s: ", k->name, what[k->sample]);
		roff(k->value);
		printf(")\n");
		roff(k->doc);
		printf("  %s\n", k->reload ? "Reloaded on SIGHUP (systemctl reload rectify)."
					    : "Read at start.");
	}
	printf(".RE\n.TP\n.I /var/lib/rectify/rectify.db\nThe database of the packaged service.\n"
	       ".TP\n.I /var/lib/rectify/backups/\nThe nightly backups (rectify\\-backup.timer), "
	       "and those taken before each upgrade.\n");
	printf(".SH ENVIRONMENT\n.TP\n.B RECTIFY_DB\nThe database, when neither \\-\\-db nor "
	       "the configuration names one.\n.TP\n.B RECTIFY_PASSWORD\nThe password for "
	       "\\fBinit\\fR, \\fBuser add\\fR and \\fBuser update \\-\\-password\\fR (else "
	       "asked on the terminal).\n");
	printf(".SH EXIT STATUS\n0 success; 1 refused (not found, not allowed, a conflict, "
	       "findings that are errors); 2 bad input or usage; 3 input/output or database "
	       "failure; 4 internal error.\n");
	printf(".SH EXAMPLE\nThe sample configuration file:\n.PP\n.nf\n");
	struct buf b = BUF_INIT(0);
	conf_write_sample(sample_to_buf, &b);
	roff(b.p);
	buf_release(&b);
	printf(".fi\n.SH SEE ALSO\n\\fBsystemctl\\fR(1), \\fBjournalctl\\fR(1), "
	       "\\fBsqlite3\\fR(1)\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	util_time_zone();
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
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			c.conf_path = argv[++i];
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			c.conf_path = argv[i] + 9;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			log_level = 1;
			c.log_given = 1;
		} else if (strcmp(argv[i], "--verbose") == 0) {
			log_level = log_level >= 3 ? 4 : 3;
			c.verbose = 1;
			c.log_given = 1;
		} else {
			argv[++n] = argv[i];
		}
	}
	argc = n + 1;
	argv[argc] = NULL;
	if (!c.db_path || !*c.db_path)
		c.db_path = "rectify.db";
	cli_set_context(&c);
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
	struct conf conf;
	if (c.conf_path) {
		struct err e = {0};
		if (conf_load(c.conf_path, &conf, &e) != RC_OK) {
			fprintf(stderr, "rectify: %s\n", e.msg);
			return 2;
		}
		c.conf = &conf;
		apply_conf(&c);
	}
	if (!c.db_path || !*c.db_path)
		c.db_path = "rectify.db";
	c.needs = cmd->flags;
	int status = cmd->fn(&c, argc - words, argv + words);
	cli_release(&c);
	if (c.conf)
		conf_release(c.conf);
	return status;
}
