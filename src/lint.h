/*
 * lint.h -- report lint (材料体检): the rules of SPEC §4 run over a parsed
 * report (struct doc) and return findings, each with a rule id, a severity,
 * a source span with line:column, the offending text quoted and a message in
 * Chinese that says what to fix.
 *
 *   placeholder   unfilled x / XX / 某某 / （）… (the doc's own placeholders)
 *   punctuation   doubled ，，。。, half-width ,;:() in Chinese text (once per
 *                 paragraph, or per report where pervasive), unbalanced
 *                 “” 《》 （） 【】 within a paragraph and its hard-wrapped lines
 *   numbering     一是 二是 四是 (gaps), repeats, a lone 一是
 *   structure     a missing part for the kind of document (problems / causes /
 *                 measures, progress and next steps of a report), an empty
 *                 area, fewer problem areas than the report announces
 *   vague-problem a problem item with no concrete example or figure
 *   hedging       a problem item that only speaks of 部分 / 个别 / 有的同志 …
 *   unmeasurable  a measure with no figure, frequency or deadline
 *   unanswered    a problem area that no measure answers
 *   repeat        a clause written twice in one report (character bigrams)
 *   recurrence    a problem item that resembles one of an earlier report
 *   formulation   a near-miss of a fixed political formulation (规范提法)
 *   quote-nesting reversed quotes (”…“), double quotes inside double quotes,
 *                 a ‘ without its ’
 *   doubled-phrase the same 2-6 characters written twice in a row (加强加强),
 *                 legitimate reduplication (研究研究, 一个一个) aside
 *   spacing       a stray space inside Chinese text or between a number and
 *                 its unit, in a document that otherwise writes none
 *   wrong-char    a common wrong character of official writing (自已, 按步就班)
 *   foreign-text  a web page's footer or watermark pasted into the report
 *                 (责任编辑：…, 本文来自…, 扫码关注…)
 *
 * Every word list lives under data/ (lint-*.txt, formulations.txt, and the
 * document engine's examples.txt) and is compiled into the binary.  Lint
 * never touches the database: earlier reports' problem items arrive as plain
 * {text, origin} pairs (struct lint_prior), which the command line fills from
 * --previous files and the ledger from earlier campaigns.
 *
 * Invariants:
 *   - Findings are sorted by span start, then by rule; spans are byte ranges
 *     of d->src; line and col are 1-based (col counts characters).
 *   - lint_run never fails on a parsed report: every struct doc the engine
 *     returns can be linted, and lint allocates only (OOM aborts).
 *   - repeat and recurrence index character bigrams and filter candidates by
 *     their rarest bigrams, so neither compares all pairs.
 */
#ifndef RECTIFY_LINT_H
#define RECTIFY_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "doc.h"
#include "util.h"

enum lint_rule {
	LINT_PLACEHOLDER,
	LINT_PUNCTUATION,
	LINT_NUMBERING,
	LINT_STRUCTURE,
	LINT_VAGUE_PROBLEM,
	LINT_HEDGING,
	LINT_UNMEASURABLE,
	LINT_UNANSWERED,
	LINT_REPEAT,
	LINT_RECURRENCE,
	LINT_FORMULATION,
	LINT_QUOTE_NESTING,
	LINT_DOUBLED_PHRASE,
	LINT_SPACING,
	LINT_WRONG_CHAR,
	LINT_FOREIGN_TEXT,
	LINT_RULE__MAX
};

enum lint_severity { LINT_ERROR, LINT_WARNING, LINT_INFO, LINT_SEVERITY__MAX };

/* At most this many findings of one rule are listed for one report; the
 * rest are counted in the summary, and one info finding of that rule at
 * the end of the report says how many were left out (docs/LIMITS.md). */
#define LINT_MAX_PER_RULE 10000

/* Half-width punctuation in Chinese text is pervasive when a report has at
 * least this many places of it in at least LINT_HALF_WIDTH_PERVASIVE_PARAS
 * paragraphs: rule punctuation then says so in one finding (全文 57 处半角
 * 标点) instead of one per paragraph, unless lint_opts.verbose asks for
 * every place. */
#define LINT_HALF_WIDTH_PERVASIVE 10
#define LINT_HALF_WIDTH_PERVASIVE_PARAS 3

/* Rule spacing reports a space between Chinese characters, or between a
 * number and its unit, only where the report mostly writes none: at most
 * one in LINT_SPACING_MOSTLY of its paragraphs with Chinese text has such
 * spaces (else the spacing is the document's style, or an artefact of its
 * conversion), and at most one in LINT_SPACING_MOSTLY of its numbers
 * followed by a unit is spaced. */
#define LINT_SPACING_MOSTLY 4

struct lint_finding {
	enum lint_rule rule;
	enum lint_severity severity;
	struct doc_span span;
	unsigned line, col;         /* of span.start */
	const char *text;           /* the offending text, quoted as written (shortened) */
	const char *message;        /* Chinese: what is wrong and what to do */
	/* The other place, for repeat (in this report) and recurrence (an
	 * earlier report): has_related is set, similarity in (0, 1]. */
	int has_related;
	struct doc_span related_span;       /* repeat only */
	unsigned related_line, related_col; /* repeat only */
	const char *related_origin;         /* recurrence: the prior's origin label */
	const char *related_text;           /* the other text, shortened */
	double similarity;
};

/* Counts for the summary line. */
struct lint_summary {
	size_t by_severity[LINT_SEVERITY__MAX];
	size_t by_rule[LINT_RULE__MAX];
	size_t problem_items;       /* problem items (or item-less problem areas) */
	size_t with_example;        /* of those, with a concrete example (比如 + figure, place, case) */
	size_t priors;              /* earlier problem items compared against */
};

/*
 * The result of lint_run.  Everything is owned by the result and freed by
 * lint_result_release(); a zeroed struct is a valid empty result.
 */
struct lint_result {
	struct lint_finding *v;
	size_t n, cap;
	struct lint_summary summary;
	struct arena arena;
};

/* An earlier report's problem item, for recurrence.  origin says where it
 * comes from ("2022.txt:14", "2022年度民主生活会 问题12"); both strings are
 * borrowed for the duration of lint_run. */
struct lint_prior {
	const char *text;
	const char *origin;
};

/* A prebuilt bigram index over priors, for callers that check many reports
 * against the same earlier items (the web application). */
struct lint_index;

struct lint_opts {
	unsigned disabled;                  /* bit (1u << rule) turns a rule off */
	const struct lint_prior *prior;     /* earlier problem items, may be NULL */
	size_t n_prior;
	const struct lint_index *index;     /* used instead of prior when not NULL */
	/* List every place of a finding that is otherwise summarised (the
	 * half-width punctuation of a paragraph, or of a whole report where it
	 * is pervasive): `rectify lint --verbose` and `--json`. */
	int verbose;
};

/*
 * Run every enabled rule over d and fill r (which must be zeroed or
 * released).  o may be NULL (every rule, no priors).  Never fails: returns
 * RC_OK; the caller releases r with lint_result_release().
 */
enum rc lint_run(const struct doc *d, const struct lint_opts *o, struct lint_result *r);

void lint_result_release(struct lint_result *r);

/* Build an index over n priors (strings are copied).  Free with
 * lint_index_free(). */
struct lint_index *lint_index_new(const struct lint_prior *prior, size_t n);
void lint_index_free(struct lint_index *ix);
size_t lint_index_count(const struct lint_index *ix);

/*
 * A growable list of priors that owns its strings: the command line fills
 * it from --previous files with lint_priors_add_doc(), the ledger from the
 * database with lint_priors_add().  Zeroed is empty; release with
 * lint_priors_release().
 */
struct lint_priors {
	struct lint_prior *v;
	size_t n, cap;
	struct arena arena;
};
void lint_priors_add(struct lint_priors *p, const char *text, const char *origin);
/* Add every problem item of d with origin "NAME:LINE" (the line of the
 * item's label). */
void lint_priors_add_doc(struct lint_priors *p, const struct doc *d, const char *name);
void lint_priors_release(struct lint_priors *p);

/* Names and the one-line explanations of `rectify lint --rules`. */
const char *lint_rule_name(enum lint_rule r);            /* "vague-problem" */
const char *lint_rule_summary(enum lint_rule r);         /* Chinese, one line */
enum lint_severity lint_rule_severity(enum lint_rule r); /* the highest it reports */
const char *lint_severity_name(enum lint_severity s);    /* "error" "warning" "info" */
/* The rule called name, or LINT_RULE__MAX when there is none. */
enum lint_rule lint_rule_from_name(const char *name);

/*
 * Output.  lint_to_text writes compiler-style lines
 *     FILE:LINE:COL: severity: message [rule-id]
 *         “quoted text”
 * and no summary; lint_summary_text writes the summary line for s (which
 * may add up several files).  lint_to_json_findings appends the findings of
 * r as JSON objects (comma-separated, "file" included when file is not
 * NULL; *first tracks the comma); lint_summary_json appends the summary
 * object.  `rectify lint --json` wraps them as
 *     {"format":1,"findings":[...],"summary":{...},"files":[{"file","summary"}]}
 * (docs/LINT.md).
 */
void lint_to_text(const struct lint_result *r, const char *file, struct buf *out);
void lint_summary_text(const struct lint_summary *s, size_t files, struct buf *out);
void lint_to_json_findings(const struct lint_result *r, const char *file, int *first,
			   struct buf *out);
void lint_summary_json(const struct lint_summary *s, struct buf *out);
/* Add b's counts to a. */
void lint_summary_add(struct lint_summary *a, const struct lint_summary *b);

#endif
