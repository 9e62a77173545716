/*
 * lint_int.h -- private to the lint module (lint_*.c).
 *
 * The rules come in families, one file each:
 *   lint.c          lint_run: the units, the rule table, findings, line:col
 *   lint_text.c     rules on running text: placeholder, punctuation,
 *                   quote-nesting, formulation (and the term table the
 *                   others share)
 *   lint_shape.c    rules on the tree: numbering, structure
 *   lint_content.c  rules on what items say: vague-problem, hedging,
 *                   unmeasurable, unanswered
 *   lint_similar.c  near-duplicates by character bigrams: repeat,
 *                   recurrence, and the prior index
 *   lint_words.c    how words are written: doubled-phrase, spacing,
 *                   wrong-char, foreign-text
 *   lint_out.c      compiler-style text and JSON
 */
#ifndef RECTIFY_LINT_INT_H
#define RECTIFY_LINT_INT_H

#include <stdbool.h>

#include "doc_int.h"
#include "lint.h"
#include "text.h"

/*
 * A unit is what the content rules judge: an item, or an area with no items
 * (its title and text then state the problem or the measure).  Units of
 * every section are collected once, in document order.
 */
struct lint_unit {
	enum doc_role role;
	const struct doc_section *sec;
	const struct doc_area *area;    /* the area of the unit, NULL for items under a section */
	const struct doc_item *item;    /* NULL when the unit is an item-less area */
	const char *lead;               /* item lead, or area title */
	const char *text;               /* item text, or area title and text (normalised) */
	struct doc_span span, lead_span;
	const struct doc_label *label;
};

struct lint_ctx {
	const struct doc *d;
	const struct lint_opts *o;
	struct lint_result *r;
	VEC(struct lint_unit) units;
	unsigned char *concrete;        /* per unit: 1 when it has a figure or concrete example */
	unsigned char *example;         /* per unit: 1 when it has a concrete example */
	VEC(uint32_t) lines;            /* offsets where lines start, built by lint_line */
	size_t unlisted[LINT_RULE__MAX]; /* findings past LINT_MAX_PER_RULE */
	struct lint_finding scratch;    /* what lint_add hands out for those */
	int notes;                      /* adding the notes on them: no cap */
};

/* 1-based line of source offset off (a binary search in c->lines). */
unsigned lint_line(struct lint_ctx *c, uint32_t off);

/* Has rule reached LINT_MAX_PER_RULE listed findings?  Then lint_add only
 * counts, and a caller may skip preparing the quote and message. */
static inline bool lint_capped(const struct lint_ctx *c, enum lint_rule rule)
{
	return c->r->summary.by_rule[rule] >= LINT_MAX_PER_RULE && !c->notes;
}

/* Is rule on? */
static inline bool lint_on(const struct lint_ctx *c, enum lint_rule rule)
{
	return !(c->o && (c->o->disabled & (1u << rule)));
}

/*
 * Add a finding.  quote is the text to show (NULL: the source text of the
 * span); it is shortened and copied.  The message is formatted into the
 * result's arena.  Returns the finding so that the caller may fill the
 * related place; the pointer is valid until the next lint_add.
 */
struct lint_finding *lint_add(struct lint_ctx *c, enum lint_rule rule, enum lint_severity sev,
			      struct doc_span span, const char *quote, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* A copy of s[0..n) in the result's arena, at most max characters (an
 * ellipsis marks the cut), line breaks made spaces. */
const char *lint_shorten(struct lint_ctx *c, const char *s, size_t n, size_t max);

/* Is ar an area whose heading is a whole sentence ("（一）制定学习计划，全年
 *学习12次。"), nothing under it: not empty, its title says it all. */
bool lint_sentence_area(const struct doc *d, const struct doc_area *ar);

/* Source span of normalised bytes [a, b) of paragraph p (b > a). */
struct doc_span lint_para_span(const struct doc *d, const struct doc_para *p, size_t a, size_t b);

/* Code point at s[i] (0 past the end) and before s[i] (0 at the start). */
uint32_t lint_cp_at(const char *s, size_t n, size_t i);
uint32_t lint_cp_before(const char *s, size_t i);

/* Does s[i..n) start with lit? */
static inline bool lint_at(const char *s, size_t n, size_t i, const char *lit)
{
	size_t l = __builtin_strlen(lit);
	return i + l <= n && __builtin_memcmp(s + i, lit, l) == 0;
}

/* Length of the longest entry of wl at s[i..n), 0 when none. */
size_t lint_word_at(const struct wordlist *wl, const char *s, size_t n, size_t i);
/* Offset of the first entry of wl in s[0..n), or SIZE_MAX; *len its length. */
size_t lint_find_word(const struct wordlist *wl, const char *s, size_t n, size_t *len);

/* Length of a figure at s[i]: Arabic digits; a Chinese numeral followed
 * by a measure word of data/lint-concrete.txt#units (两次, 三篇, 六月),
 * perhaps with a word of #approx between (十余次); a percentage written
 * out (百分之三十); 0 when none.  Numerals inside a listed formulation
 * (四个意识) are not figures. */
size_t lint_figure_at(const char *s, size_t n, size_t i);
bool lint_has_figure(const char *s, size_t n);

/*
 * The term table of data/formulations.txt (lint_text.c): the length in
 * bytes of a listed term or accepted variant that starts at s[i], 0 when
 * none (the longest wins).
 */
size_t lint_term_at(const char *s, size_t n, size_t i);

/* Rule families. */
void lint_rule_placeholder(struct lint_ctx *c);
void lint_rule_punctuation(struct lint_ctx *c);  /* punctuation and quote-nesting */
void lint_rule_formulation(struct lint_ctx *c);
void lint_rule_numbering(struct lint_ctx *c);
void lint_rule_structure(struct lint_ctx *c);
void lint_rule_content(struct lint_ctx *c);      /* vague-problem, hedging, unmeasurable */
void lint_rule_unanswered(struct lint_ctx *c);
void lint_rule_repeat(struct lint_ctx *c);
void lint_rule_recurrence(struct lint_ctx *c);
void lint_rule_doubled(struct lint_ctx *c);
void lint_rule_spacing(struct lint_ctx *c);
void lint_rule_wrong_char(struct lint_ctx *c);
void lint_rule_foreign(struct lint_ctx *c);

/* Fill c->concrete and c->example (lint_content.c); also used for the
 * summary. */
void lint_judge_concrete(struct lint_ctx *c);

/* Character bigrams (lint_similar.c), shared with unanswered: the content
 * characters of s (Han, digits, Latin letters; anything else breaks a run)
 * as 64-bit keys, appended to out. */
typedef VEC(uint64_t) lint_grams;
void lint_grams_of(const char *s, size_t n, lint_grams *out);
static inline uint64_t lint_gram_key(uint32_t a, uint32_t b)
{
	return ((uint64_t)a << 21) | b;
}

#endif
