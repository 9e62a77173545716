/*
 * export_measure.c -- the measures that answer one task, for a row of the
 * office files.
 *
 * A report links each problem to the measures of the area of the same rank
 * (store_report.c): every task of an area carries the area's whole measure
 * text, often a paragraph of several hundred characters that answers all
 * of the area's problems at once.  Printed in full on every row, a ledger
 * of 27 tasks fills 30 pages with the same paragraphs.  A row shows the
 * task's own measures instead: the sentences of its linked measures that
 * speak of what its problem speaks of.
 *
 * The measures' text is cut into sentences (after 。！？； and at line
 * ends; a line's label such as （一） or 1., and an inline 一是 or 二是
 * opening a sentence, are dropped).  Each sentence is
 * scored by the character pairs (bigrams of Chinese characters) it shares
 * with the problem, each pair weighted by how rare it is among the
 * sentences (a pair every sentence has, such as 班子 or 工作, tells
 * nothing).  The sentences scoring at least EXPORT_MEASURE_SHARE percent of
 * the best are kept, at most EXPORT_MEASURE_SENTENCES of them, in their
 * order.  Measures of at most EXPORT_MEASURE_WHOLE characters are kept
 * whole (they are the task's already), and so are measures none of whose
 * sentences shares a pair with the problem (nothing to choose by).
 *
 * The cost is linear in the two texts (a report of 100,000 rows calls this
 * for each): the problem's pairs go into a table kept per thread, which
 * then counts for each pair the sentences holding it, then scores them.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "text.h"

#define SENTENCES_MAX 64
#define TABLE 1024              /* slots of the pair table (a power of two) */
#define PROBLEM_PAIRS 512       /* the problem's pairs weighed, at most */

struct sentence {
	size_t start, end;              /* bytes of the measures text */
	double score;
};

/*
 * The problem's pairs with, for each, the number of sentences holding it.
 * One table per thread, never cleared: a slot belongs to this call when
 * its gen is the call's (so a row costs what its text costs, not the
 * table's size).
 */
struct slot {
	uint64_t key;
	unsigned gen, seen;             /* seen: the last sentence (+1) counted */
	int df;
};
static _Thread_local struct slot table[TABLE];
static _Thread_local unsigned table_gen;

/* The slot of pair key: found (*found = 1) or the empty one to take. */
static struct slot *slot_of(uint64_t key, int *found)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> 54) & (TABLE - 1);
	for (;;) {
		struct slot *sl = &table[i];
		if (sl->gen != table_gen) {
			*found = 0;
			return sl;
		}
		if (sl->key == key) {
			*found = 1;
			return sl;
		}
		i = (i + 1) & (TABLE - 1);
	}
}

/* Call fn on each pair of Chinese characters of s[0..n) (packed: each code
 * point is below 0x40000). */
static void each_pair(const char *s, size_t n, void (*fn)(uint64_t key, void *ctx), void *ctx)
{
	size_t off = 0;
	uint32_t prev = 0;
	while (off < n) {
		uint32_t c;
		off += (size_t)text_utf8_next(s + off, n - off, &c);
		if (!text_is_han(c)) {
			prev = 0;
			continue;
		}
		if (prev)
			fn(((uint64_t)prev << 20) | c, ctx);
		prev = c;
	}
}

static void add_problem_pair(uint64_t key, void *ctx)
{
	size_t *n = ctx;
	int found;
	struct slot *sl = slot_of(key, &found);
	if (found || *n >= PROBLEM_PAIRS)
		return;
	*sl = (struct slot){key, table_gen, 0, 0};
	(*n)++;
}

struct count_ctx {
	unsigned sentence;              /* its index + 1 */
	double score;
};

/* First pass: each sentence counts once for each problem pair it holds. */
static void count_pair(uint64_t key, void *ctx)
{
	struct count_ctx *x = ctx;
	int found;
	struct slot *sl = slot_of(key, &found);
	if (found && sl->seen != x->sentence) {
		sl->seen = x->sentence;
		sl->df++;
	}
}

/* Second pass: a sentence scores 1/df for each problem pair it holds. */
static void score_pair(uint64_t key, void *ctx)
{
	struct count_ctx *x = ctx;
	int found;
	struct slot *sl = slot_of(key, &found);
	if (found && sl->seen != x->sentence) {
		sl->seen = x->sentence;
		x->score += 1.0 / sl->df;
	}
}

/* Length of a label at the start of a line: （一） (1) 1. 1、 一、 ① …, else 0. */
static size_t label_len(const char *s, size_t n)
{
	static const char *const open[] = {"（", "("}, *const close[] = {"）", ")"};
	for (size_t k = 0; k < 2; k++) {
		size_t o = strlen(open[k]);
		if (n > o && strncmp(s, open[k], o) == 0) {
			const char *z = strstr(s + o, close[k]);
			if (z && (size_t)(z - s) < n && z - s <= (ptrdiff_t)(o + 9))
				return (size_t)(z - s) + strlen(close[k]);
		}
	}
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i && i < n && (s[i] == '.' || s[i] == ' '))
		return i + 1;
	if (i && n - i >= 3 && strncmp(s + i, "、", 3) == 0)
		return i + 3;
	size_t cn = text_cn_number_span(s, n);
	if (cn && cn <= 9 && n - cn >= 3 && strncmp(s + cn, "、", 3) == 0)
		return cn + 3;
	return 0;
}

void export_task_measures(const char *problem, const char *measures, struct buf *out)
{
	const char *m = measures ? measures : "";
	size_t n = strlen(m);
	if (text_utf8_count(m, n) <= EXPORT_MEASURE_WHOLE || !problem || !*problem) {
		buf_puts(out, m);
		return;
	}
	struct sentence *sv = xcalloc(SENTENCES_MAX, sizeof *sv);
	size_t ns = 0, off = 0;
	int more = 0;                   /* sentences past SENTENCES_MAX */
	while (off < n && !more) {
		size_t line_end = off;
		while (line_end < n && m[line_end] != '\n')
			line_end++;
		size_t s = off + label_len(m + off, line_end - off);
		while (s < line_end) {
			if (ns == SENTENCES_MAX) {
				more = 1;
				break;
			}
			size_t e = s;
			while (e < line_end) {
				uint32_t c;
				e += (size_t)text_utf8_next(m + e, line_end - e, &c);
				if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B)
					break;          /* 。！？； */
			}
			/* an inline label (一是, 二是 …) opens no sentence of a row */
			size_t cn = text_cn_number_span(m + s, e - s);
			if (cn && cn <= 9 && e - s > cn + 3 && strncmp(m + s + cn, "是", 3) == 0)
				s += cn + 3;
			sv[ns].start = s;
			sv[ns].end = e;
			ns++;
			s = e;
		}
		off = line_end + 1;
	}
	/* The problem's pairs, then how many sentences hold each, then the
	 * sentences' scores. */
	if (++table_gen == 0)
		table_gen = 1;          /* 0 marks the slots no call took */
	size_t np = 0;
	each_pair(problem, strlen(problem), add_problem_pair, &np);
	for (size_t i = 0; i < ns; i++) {
		struct count_ctx x = {(unsigned)i + 1, 0};
		each_pair(m + sv[i].start, sv[i].end - sv[i].start, count_pair, &x);
	}
	/* the sentences count again from a fresh mark */
	for (size_t i = 0; i < ns; i++) {
		struct count_ctx x = {(unsigned)(ns + i) + 1, 0};
		each_pair(m + sv[i].start, sv[i].end - sv[i].start, score_pair, &x);
		sv[i].score = x.score;
	}
	double best = 0;
	for (size_t i = 0; i < ns; i++)
		if (sv[i].score > best)
			best = sv[i].score;
	if (best <= 0 || more) {
		/* nothing to choose by, or more sentences than are weighed */
		buf_puts(out, m);
		free(sv);
		return;
	}
	/* The best sentences down to the share of the best, at most
	 * EXPORT_MEASURE_SENTENCES (the earlier of equals first). */
	double floor_ = best * EXPORT_MEASURE_SHARE / 100.0;
	char keep[SENTENCES_MAX] = {0};
	for (int k = 0; k < EXPORT_MEASURE_SENTENCES; k++) {
		size_t pick = ns;
		for (size_t i = 0; i < ns; i++)
			if (!keep[i] && sv[i].score >= floor_ && (pick == ns || sv[i].score > sv[pick].score))
				pick = i;
		if (pick == ns)
			break;
		keep[pick] = 1;
	}
	for (size_t i = 0; i < ns; i++) {
		if (!keep[i])
			continue;
		const char *a = m + sv[i].start;
		size_t len = sv[i].end - sv[i].start;
		/* a sentence cut at ； ends with 。 on its own */
		if (len >= 3 && strncmp(a + len - 3, "；", 3) == 0) {
			buf_append(out, a, len - 3);
			buf_puts(out, "。");
		} else {
			buf_append(out, a, len);
		}
	}
	free(sv);
}
