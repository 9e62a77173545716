/*
 * lint_check.h -- shared by the lint tests: a table of texts on which a
 * rule must fire, and one on which it must stay quiet, and the small
 * helpers both lint test files use (parse a text, all rules but one, count
 * a rule's findings).  The file that
 * includes it defines fire(src, rule, msg, cap): the findings of rule on
 * src, the message of the first copied to msg.  It also reads the
 * entries of the embedded word lists.
 */
#ifndef RECTIFY_LINT_CHECK_H
#define RECTIFY_LINT_CHECK_H

#include "doc.h"
#include "embed.h"
#include "lint.h"
#include "testutil.h"

static size_t fire(const char *src, enum lint_rule rule, char *msg, size_t cap);

/* The tree of a text, which must parse. */
static inline struct doc *parse(const char *src)
{
	struct doc *d = NULL;
	struct err e = {0};
	assert_int_equal(doc_parse_text(src, strlen(src), &d, &e), RC_OK);
	return d;
}

/* The disabled mask that leaves only rule r on. */
static inline unsigned only(enum lint_rule r)
{
	return ((1u << LINT_RULE__MAX) - 1) & ~(1u << r);
}

/* How many findings of rule r holds. */
static inline size_t count_rule(const struct lint_result *r, enum lint_rule rule)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->v[i].rule == rule;
	return n;
}

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

/* Entries of a section of an embedded list ("[pairs]" of
 * data/lint-wrongchars.txt), at most cap. */
static size_t entries(const char *file, const char *section, const char **w, size_t *len,
		      size_t cap)
{
	size_t size, pos = 0, n = 0, l;
	const char *data = embed_get(file, &size), *s;
	assert_non_null(data);
	int in = 0;
	while (embed_next_line(data, size, &pos, &s, &l)) {
		if (s[0] == '[') {
			in = l == strlen(section) && memcmp(s, section, l) == 0;
			continue;
		}
		if (in && n < cap) {
			w[n] = s;
			len[n] = l;
			n++;
		}
	}
	return n;
}

#endif
