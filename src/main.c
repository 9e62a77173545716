/*
 * main.c -- argv to the command table, nothing else.
 *
 * `rectify CMD ...` finds CMD (one word, or two for grouped commands such as
 * "task list") in cmds[], takes the global options out of argv and calls the
 * command.  `rectify help [CMD]` reads usage and summary from the same table.
 */
#include <sodium.h>
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
	{"test-corpus", cmd_test_corpus, CMD_HIDDEN, "DIR MEGABYTES",
	 "write a synthetic corpus of reports for the benchmarks", NULL},
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
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			c.db_path = argv[i] + 5;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			log_level = 1;
		} else if (strcmp(argv[i], "--verbose") == 0) {
			log_level = log_level >= 3 ? 4 : 3;
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
