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
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "text.h"

#define SENTENCES_MAX 64
#define PAIRS_MAX 512

struct sentence {
	size_t start, end;              /* bytes of the measures text */
	uint32_t pairs[PAIRS_MAX];      /* its distinct bigrams, two code points packed */
	size_t n_pairs;
	double score;
};

/* A bigram of two Chinese characters, packed (each below 0x40000). */
static uint64_t pack(uint32_t a, uint32_t b)
{
	return ((uint64_t)a << 20) ^ b;
}

/* The distinct bigrams of s[0..n) into out (at most max), hashed to 32 bits. */
static size_t pairs_of(const char *s, size_t n, uint32_t *out, size_t max)
{
	size_t k = 0, off = 0;
	uint32_t prev = 0;
	while (off < n) {
		uint32_t c;
		off += (size_t)text_utf8_next(s + off, n - off, &c);
		if (!text_is_han(c)) {
			prev = 0;
			continue;
		}
		if (prev) {
			uint64_t p = pack(prev, c);
			uint32_t h = (uint32_t)(p ^ (p >> 29));
			size_t i = 0;
			while (i < k && out[i] != h)
				i++;
			if (i == k && k < max)
				out[k++] = h;
		}
		prev = c;
	}
	return k;
}

static int has(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
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
			sv[ns].n_pairs = pairs_of(m + s, e - s, sv[ns].pairs, PAIRS_MAX);
			ns++;
			s = e;
		}
		off = line_end + 1;
	}
	uint32_t *pp = xcalloc(4 * PAIRS_MAX, sizeof *pp);
	size_t np = pairs_of(problem, strlen(problem), pp, 4 * PAIRS_MAX);
	double best = 0;
	for (size_t i = 0; i < ns; i++) {
		for (size_t k = 0; k < sv[i].n_pairs; k++) {
			if (!has(pp, np, sv[i].pairs[k]))
				continue;
			int df = 0;
			for (size_t j = 0; j < ns; j++)
				df += has(sv[j].pairs, sv[j].n_pairs, sv[i].pairs[k]);
			sv[i].score += 1.0 / df;
		}
		if (sv[i].score > best)
			best = sv[i].score;
	}
	free(pp);
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
