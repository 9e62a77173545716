/*
 * cli_lint.c -- `rectify lint FILE... [--json] [--verbose] [--previous
 * FILE]... [--rules] [--disable RULE]`: the report lint (材料体检) on the
 * command line, without a database.
 *
 * Every file is read and parsed the way `rectify parse` does it, and
 * refused the same way (one line on standard error, the same exit status,
 * nothing on standard output).  Output is gathered in a buffer and written
 * only when every input was usable.  Exit status: 0 when no finding is an
 * error, 1 when one is, 2 (or 3 for a file that cannot be read) when an
 * input is unusable.
 *
 * Options may come anywhere, before, between or after the files, as git's
 * do ("--" ends them).  --previous takes one file, the argument after it
 * (or --previous=FILE), and may be repeated; the problem items of those
 * files are what recurrence compares with.  Together they may hold at most
 * PREVIOUS_MAX_TOTAL bytes.  --ledger adds the problem items of every
 * campaign in the ledger database (--db, $RECTIFY_DB or rectify.db), opened
 * read-only.
 *
 * --verbose (a global option: main() takes it out of argv and sets
 * c->verbose) lists every place of what is otherwise summarised (half-width
 * punctuation: one finding per paragraph, or one for the whole report
 * where it is pervasive); --json always lists every place.
 *
 * --json prints {"format":1, "findings":[...], "summary":{...},
 * "files":[{"file", "summary"}]}: the findings of every file (each with its
 * "file"), the summary added up over the files, and each file's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "doc.h"
#include "lint.h"
#include "store.h"
#include "text.h"

/* Earlier reports given with --previous may add up to this many bytes
 * (docs/LIMITS.md). */
#define PREVIOUS_MAX_TOTAL (64u << 20)

/* Read and parse path; on failure print the parser's one-line error and
 * return the exit status, else 0 with *out set and *bytes increased by the
 * file's size. */
static int load(const char *path, struct doc **out, size_t *bytes)
{
	struct err e = {0};
	char *data;
	size_t len;
	enum rc rc = cli_read_report(path, &data, &len, &e);
	if (rc)
		return cli_fail(&e);
	*bytes += len;
	rc = doc_parse_take(data, len, path, out, &e);
	if (rc) {
		fprintf(stderr, "rectify: %s: %s\n", path, e.msg);
		return rc_exit_code(rc);
	}
	return 0;
}

static void print_rules(void)
{
	for (int i = 0; i < LINT_RULE__MAX; i++)
		printf("%-14s %-8s %s\n", lint_rule_name((enum lint_rule)i),
		       lint_severity_name(lint_rule_severity((enum lint_rule)i)),
		       lint_rule_summary((enum lint_rule)i));
}

/* Turn off the rules named in list (comma-separated); 0, or 2 after a
 * message when a name is unknown. */
static int disable(const char *list, unsigned *mask)
{
	char *copy = xstrdup(list), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		enum lint_rule r = lint_rule_from_name(t);
		if (r == LINT_RULE__MAX) {
			fprintf(stderr, "rectify lint: no rule '%s'; 'rectify lint --rules' lists them\n", t);
			free(copy);
			return 2;
		}
		*mask |= 1u << r;
	}
	free(copy);
	return 0;
}

/* The problem items of every campaign in the ledger at db_path, labelled
 * "2023年度 问题12 理论学习不深入".  0, or the exit status after a message. */
static int add_ledger_items(const char *db_path, struct lint_priors *priors)
{
	struct err e = {0};
	struct store *st;
	/* Exit 3, as for an input that cannot be read: 1 means findings. */
	if (store_open(db_path, STORE_READONLY, &st, &e) != RC_OK) {
		cli_fail(&e);
		return 3;
	}
	struct past_item_list items = {0};
	const struct who sys = WHO_SYSTEM;
	enum rc rc = store_past_items(st, &sys, 0, &items, &e);
	for (size_t i = 0; rc == RC_OK && i < items.n; i++) {
		char *origin = xasprintf("%d年度 台账 %s", items.v[i].year, items.v[i].lead);
		lint_priors_add(priors, items.v[i].text, origin);
		free(origin);
	}
	past_item_list_release(&items);
	store_close(st);
	if (rc) {
		cli_fail(&e);
		return 3;
	}
	return 0;
}

int cmd_lint(struct cli *c, int argc, char **argv)
{
	VEC(const char *) files = {0};
	VEC(const char *) previous = {0};
	unsigned mask = 0;
	int json = 0, verbose = c->verbose, status = 0, opts_done = 0, ledger = 0;
	for (int i = 1; i < argc && !status; i++) {
		const char *a = argv[i];
		if (opts_done || a[0] != '-' || a[1] != '-') {
			*VEC_PUSH(files) = a;
		} else if (strcmp(a, "--") == 0) {
			opts_done = 1;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--rules") == 0) {
			print_rules();
			VEC_FREE(files);
			VEC_FREE(previous);
			return 0;
		} else if (strcmp(a, "--previous") == 0 && i + 1 < argc) {
			*VEC_PUSH(previous) = argv[++i];
		} else if (strncmp(a, "--previous=", 11) == 0 && a[11]) {
			*VEC_PUSH(previous) = a + 11;
		} else if (strcmp(a, "--ledger") == 0) {
			ledger = 1;
		} else if (strcmp(a, "--disable") == 0 && i + 1 < argc) {
			status = disable(argv[++i], &mask);
		} else if (strncmp(a, "--disable=", 10) == 0) {
			status = disable(a + 10, &mask);
		} else {
			status = cli_usage("lint");
		}
	}
	if (!status && files.n == 0)
		status = cli_usage("lint");
	if (status) {
		VEC_FREE(files);
		VEC_FREE(previous);
		return status;
	}

	struct lint_priors priors = {0};
	size_t prev_bytes = 0;
	for (size_t i = 0; i < previous.n && !status; i++) {
		struct doc *d;
		status = load(previous.v[i], &d, &prev_bytes);
		if (status)
			break;
		if (prev_bytes > PREVIOUS_MAX_TOTAL) {
			fprintf(stderr, "rectify: --previous: the earlier reports are too large together: "
					"the limit is %u MiB\n", PREVIOUS_MAX_TOTAL >> 20);
			doc_free(d);
			status = 2;
			break;
		}
		lint_priors_add_doc(&priors, d, previous.v[i]);
		doc_free(d);
	}
	if (!status && ledger)
		status = add_ledger_items(c->db_path, &priors);
	struct lint_opts o = {.disabled = mask, .verbose = verbose || json};
	struct lint_index *ix = NULL;
	if (!status && priors.n) {
		ix = lint_index_new(priors.v, priors.n);
		o.index = ix;
	}

	struct buf out = BUF_INIT(0);
	struct buf lines = BUF_INIT(0);
	struct lint_summary total = {0};
	int first = 1;
	if (json)
		buf_puts(&out, "{\"format\":1,\"findings\":[");
	for (size_t i = 0; i < files.n && !status; i++) {
		struct doc *d;
		size_t bytes = 0;
		status = load(files.v[i], &d, &bytes);
		if (status)
			break;
		struct lint_result r;
		lint_run(d, &o, &r);
		if (json) {
			lint_to_json_findings(&r, files.v[i], &first, &out);
			buf_printf(&lines, "%s{\"file\":", i ? "," : "");
			buf_json_cstr(&lines, files.v[i]);
			buf_puts(&lines, ",\"summary\":");
			lint_summary_json(&r.summary, &lines);
			buf_putc(&lines, '}');
		} else {
			lint_to_text(&r, files.v[i], &out);
			buf_printf(&lines, "%s: ", files.v[i]);
			lint_summary_text(&r.summary, 1, &lines);
		}
		lint_summary_add(&total, &r.summary);
		lint_result_release(&r);
		doc_free(d);
	}
	if (!status) {
		if (json) {
			buf_puts(&out, "],\"summary\":");
			lint_summary_json(&total, &out);
			buf_printf(&out, ",\"files\":[%.*s]}\n", (int)lines.len, lines.p ? lines.p : "");
		} else {
			buf_append(&out, lines.p ? lines.p : "", lines.len);
			if (files.n > 1) {
				buf_puts(&out, "合计：");
				lint_summary_text(&total, files.n, &out);
			}
		}
		if (buf_write(&out, stdout) != RC_OK || fflush(stdout) != 0) {
			fprintf(stderr, "rectify: cannot write the output\n");
			status = 3;
		} else {
			status = total.by_severity[LINT_ERROR] ? 1 : 0;
		}
	}
	buf_release(&out);
	buf_release(&lines);
	lint_index_free(ix);
	lint_priors_release(&priors);
	VEC_FREE(files);
	VEC_FREE(previous);
	return status;
}

/*
 * `rectify test-lint-priors REPORT ITEMS [RUNS]` (hidden, for bench/lint.sh):
 * check REPORT against the earlier problem items of ITEMS (one a line,
 * "ORIGIN<TAB>TEXT" or just TEXT), as the ledger will hand them over, and
 * print the best of RUNS (default 5) wall-clock times in milliseconds of
 * (a) building the index and running recurrence, (b) running every rule,
 * and the number of recurrence findings.
 */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int cmd_test_lint_priors(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc < 3 || argc > 4)
		return cli_usage("test-lint-priors");
	int runs = argc == 4 ? atoi(argv[3]) : 5;
	if (runs < 1)
		runs = 1;
	struct doc *d;
	size_t bytes = 0;
	int status = load(argv[1], &d, &bytes);
	if (status)
		return status;
	struct err e = {0};
	char *items;
	size_t len;
	if (util_read_file(argv[2], PREVIOUS_MAX_TOTAL, &items, &len, &e)) {
		doc_free(d);
		return cli_fail(&e);
	}
	struct lint_priors pr = {0};
	for (char *line = items, *next; line < items + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)(items + len - line));
		next = nl ? nl + 1 : items + len;
		if (nl)
			*nl = '\0';
		char *tab = strchr(line, '\t');
		if (tab)
			*tab = '\0';
		if (*line)
			lint_priors_add(&pr, tab ? tab + 1 : line, tab ? line : "");
	}
	free(items);
	double best_rec = 1e18, best_all = 1e18;
	size_t found = 0;
	for (int k = 0; k < runs; k++) {
		struct lint_opts o = {.disabled = ((1u << LINT_RULE__MAX) - 1) & ~(1u << LINT_RECURRENCE),
				      .prior = pr.v, .n_prior = pr.n};
		struct lint_result r;
		double t0 = now_ms();
		lint_run(d, &o, &r);
		double t1 = now_ms();
		found = r.summary.by_rule[LINT_RECURRENCE];
		lint_result_release(&r);
		o.disabled = 0;
		double t2 = now_ms();
		lint_run(d, &o, &r);
		double t3 = now_ms();
		lint_result_release(&r);
		best_rec = t1 - t0 < best_rec ? t1 - t0 : best_rec;
		best_all = t3 - t2 < best_all ? t3 - t2 : best_all;
	}
	printf("priors %zu recurrence_ms %.2f all_rules_ms %.2f recurrences %zu\n", pr.n, best_rec,
	       best_all, found);
	lint_priors_release(&pr);
	doc_free(d);
	return 0;
}
