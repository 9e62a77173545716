/*
 * lint_check.h -- shared by the lint tests: a table of texts on which a
 * rule must fire, and one on which it must stay quiet.  The file that
 * includes it defines fire(src, rule, msg, cap): the findings of rule on
 * src, the message of the first copied to msg.
 */
#ifndef RECTIFY_LINT_CHECK_H
#define RECTIFY_LINT_CHECK_H

static size_t fire(const char *src, enum lint_rule rule, char *msg, size_t cap);

/* Every entry of yes[] fires at least once, every entry of no[] never
 * (each wrapped by wrap when it is not NULL); a failing entry is printed. */
static void check_table(enum lint_rule rule, const char *const *yes, size_t ny,
			const char *const *no, size_t nn, char *(*wrap)(const char *))
{
	int bad = 0;
	for (size_t i = 0; i < ny; i++) {
		char *src = wrap ? wrap(yes[i]) : xstrdup(yes[i]);
		if (fire(src, rule, NULL, 0) == 0) {
			fprintf(stderr, "%s: should fire on: %s\n", lint_rule_name(rule), yes[i]);
			bad = 1;
		}
		free(src);
	}
	for (size_t i = 0; i < nn; i++) {
		char *src = wrap ? wrap(no[i]) : xstrdup(no[i]);
		char msg[600];
		if (fire(src, rule, msg, sizeof msg) != 0) {
			fprintf(stderr, "%s: should stay silent on: %s\n  said: %s\n", lint_rule_name(rule),
				no[i], msg);
			bad = 1;
		}
		free(src);
	}
	assert_false(bad);
}

#endif
