/*
 * lint_content.c -- rules on what the units say.
 *
 *   vague-problem  a problem unit is concrete when it states a figure (3次,
 *                  两篇, 2023年, 47件) or carries a concrete example: one of the
 *                  engine's examples (比如/例如/特别是 …) that holds a figure,
 *                  a quoted case (“…” 《…》), a named place or body (…镇,
 *                  …局, …项目), or -- for 比如/例如/譬如 -- a case of a dozen
 *                  characters or more that hedges nothing.  A unit that is
 *                  not concrete is flagged, by hedging when it hedges and
 *                  that rule is on, else by vague-problem.
 *   hedging        a problem unit that is not concrete and speaks of 部分 /
 *                  个别 / 有的同志 / 不同程度 … (data/lint-hedges.txt).
 *   unmeasurable   a measure unit (or the area text above it) with no
 *                  figure, no frequency word (data/lint-concrete.txt) and no
 *                  deadline or commitment the engine found inside it; the
 *                  words of #vague-frequency (不定期, 适时, 视情) are no
 *                  frequency, and the message names them when they are the
 *                  measure's only rhythm.
 *   unanswered     problem areas are matched with measure areas by order
 *                  when there are as many of each, otherwise every measure
 *                  area goes to the problem area it shares the most weighted
 *                  character pairs with (rarer pairs weigh more; the pairs of
 *                  data/lint-stopgrams.txt weigh nothing); a problem area
 *                  that no measure area goes to is reported.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

/* ---- concreteness ---------------------------------------------------------- */

/* Characters that, before a place suffix, make a generic word (全市, 本单位,
 * 大局, 格局) rather than a name. */
static bool generic_before(uint32_t cp)
{
	static const char generic[] = "全本各该我大格布当部分结这那此每某其他外内";
	for (size_t i = 0; i < sizeof generic - 1;) {
		uint32_t g;
		i += (size_t)text_utf8_next(generic + i, sizeof generic - 1 - i, &g);
		if (g == cp)
			return true;
	}
	return false;
}

static bool has_place(const char *s, size_t n)
{
	const struct wordlist *places = doc_words("data/lint-concrete.txt#places");
	for (size_t i = 0; i < n;) {
		size_t l = lint_word_at(places, s, n, i);
		if (l && i >= 6) {
			uint32_t a = lint_cp_before(s, i);
			uint32_t b = lint_cp_before(s, text_utf8_back(s, i - 1));
			if (text_is_han(a) && text_is_han(b) && !generic_before(a))
				return true;
		}
		i += l ? l : (size_t)text_utf8_len((unsigned char)s[i]);
	}
	return false;
}

static bool has_quoted_case(const char *s, size_t n)
{
	static const char *const open[] = {"“", "《"}, *const close[] = {"”", "》"};
	for (size_t k = 0; k < ARRAY_LEN(open); k++) {
		const char *o = memmem(s, n, open[k], 3);
		if (!o)
			continue;
		const char *e = memmem(o + 3, n - (size_t)(o + 3 - s), close[k], 3);
		if (e && text_utf8_count(o + 3, (size_t)(e - o - 3)) >= 2)
			return true;
	}
	return false;
}

static bool hedged(const char *s, size_t n)
{
	size_t l;
	return lint_find_word(doc_words("data/lint-hedges.txt"), s, n, &l) != SIZE_MAX;
}

static bool concrete_example(const char *s)
{
	size_t n = strlen(s);
	if (lint_has_figure(s, n) || has_quoted_case(s, n) || has_place(s, n))
		return true;
	bool proper = lint_at(s, n, 0, "比如") || lint_at(s, n, 0, "例如") || lint_at(s, n, 0, "譬如");
	return proper && text_utf8_count(s, n) >= 14 && !hedged(s, n);
}

void lint_judge_concrete(struct lint_ctx *c)
{
	size_t n = c->units.n;
	c->concrete = xcalloc(n ? n : 1, 1);
	c->example = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++) {
		const struct lint_unit *u = &c->units.v[i];
		if (u->role != DOC_ROLE_PROBLEMS)
			continue;
		c->r->summary.problem_items++;
		for (size_t k = 0; u->item && k < u->item->n_examples && !c->example[i]; k++)
			c->example[i] = concrete_example(u->item->examples[k].text);
		c->concrete[i] = c->example[i] || lint_has_figure(u->text, strlen(u->text));
		c->r->summary.with_example += c->example[i];
	}
}

/* Source span of the first occurrence of word[0..wl) in the source text of
 * span, or span itself. */
static struct doc_span find_in_src(const struct doc *d, struct doc_span span, const char *word,
				   size_t wl)
{
	const char *q = memmem(d->src + span.start, span.end - span.start, word, wl);
	if (!q)
		return span;
	uint32_t a = (uint32_t)(q - d->src);
	return (struct doc_span){a, a + (uint32_t)wl};
}

static struct doc_span lead_or_span(const struct lint_unit *u)
{
	return u->lead_span.end > u->lead_span.start ? u->lead_span : u->span;
}

static void judge_problem(struct lint_ctx *c, size_t i)
{
	const struct lint_unit *u = &c->units.v[i];
	if (c->concrete[i])
		return;
	size_t n = strlen(u->text), hl = 0;
	size_t h = lint_find_word(doc_words("data/lint-hedges.txt"), u->text, n, &hl);
	if (h != SIZE_MAX && lint_on(c, LINT_HEDGING)) {
		struct doc_span sp = find_in_src(c->d, u->span, u->text + h, hl);
		lint_add(c, LINT_HEDGING, LINT_WARNING, sp, u->lead,
			 "问题只说“%.*s”，没有指明是谁、哪些单位、有多少：写明具体的人、单位、数量或事例",
			 (int)hl, u->text + h);
		return;
	}
	if (!lint_on(c, LINT_VAGUE_PROBLEM))
		return;
	if (u->item && u->item->n_examples)
		lint_add(c, LINT_VAGUE_PROBLEM, LINT_WARNING, u->item->examples[0].span, NULL,
			 "举例不具体：“%s”里没有时间、地点、数量或具体事例",
			 lint_shorten(c, u->item->examples[0].text, strlen(u->item->examples[0].text), 12));
	else
		lint_add(c, LINT_VAGUE_PROBLEM, LINT_WARNING, lead_or_span(u), u->lead,
			 "问题写得笼统，没有具体事例或数据：用“比如……”写明时间、地点、数量或典型事例");
}

/* First index of v (n spans, sorted by start) whose start is >= off. */
static size_t lower_bound_deadline(const struct doc_deadline *v, size_t n, uint32_t off)
{
	size_t a = 0, b = n;
	while (a < b) {
		size_t m = (a + b) / 2;
		if (v[m].span.start < off)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

static size_t lower_bound_commitment(const struct doc_commitment *v, size_t n, uint32_t off)
{
	size_t a = 0, b = n;
	while (a < b) {
		size_t m = (a + b) / 2;
		if (v[m].span.start < off)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

static bool timed_within(const struct doc *d, struct doc_span sp)
{
	size_t k = lower_bound_deadline(d->deadlines, d->n_deadlines, sp.start);
	if (k < d->n_deadlines && d->deadlines[k].span.start < sp.end)
		return true;
	k = lower_bound_commitment(d->commitments, d->n_commitments, sp.start);
	return k < d->n_commitments && d->commitments[k].span.start < sp.end;
}

/* Does s[0..n) name a frequency (每月, 定期)?  One inside a word of
 * #vague-frequency (不定期 holds 定期) does not count; *vague is set to the
 * first such word, for the message. */
static bool has_frequency(const char *s, size_t n, const char **vague, size_t *vl)
{
	const struct wordlist *freq = doc_words("data/lint-concrete.txt#frequency");
	const struct wordlist *not = doc_words("data/lint-concrete.txt#vague-frequency");
	for (size_t i = 0; i < n;) {
		size_t l = lint_word_at(not, s, n, i);
		if (l) {
			if (!*vague) {
				*vague = s + i;
				*vl = l;
			}
			i += l;
			continue;
		}
		if (lint_word_at(freq, s, n, i))
			return true;
		i += (size_t)text_utf8_len((unsigned char)s[i]);
	}
	return false;
}

static bool checkable(const struct doc *d, const char *s, struct doc_span sp, const char **vague,
		      size_t *vl)
{
	size_t n = strlen(s);
	return lint_has_figure(s, n) || has_frequency(s, n, vague, vl) || timed_within(d, sp);
}

static void judge_measure(struct lint_ctx *c, const struct lint_unit *u)
{
	const char *vague = NULL;
	size_t vl = 0;
	if (checkable(c->d, u->text, u->span, &vague, &vl))
		return;
	/* The area above the items may state the rhythm or the deadline. */
	if (u->item && u->area && u->area->text[0] &&
	    checkable(c->d, u->area->text,
		      (struct doc_span){u->area->span.start,
					u->area->n_items ? u->area->items[0].span.start
							 : u->area->span.end},
		      &vague, &vl))
		return;
	if (vague) {
		lint_add(c, LINT_UNMEASURABLE, LINT_WARNING, lead_or_span(u), u->lead,
			 "措施无法检验：“%.*s”不是频次，说不清多久做一次。写明频次或时限"
			 "（如“每季度至少1次”“2024年6月底前完成”）",
			 (int)vl, vague);
		return;
	}
	lint_add(c, LINT_UNMEASURABLE, LINT_WARNING, lead_or_span(u), u->lead,
		 "措施无法检验：没有数量、频次或时限。写明做到什么程度、多久一次、何时完成"
		 "（如“每季度至少1次”“2024年6月底前完成”）");
}

void lint_rule_content(struct lint_ctx *c)
{
	/* A report on rectification names the problems as they were fed back
	 * (关于…的问题), and a plan's task table in the few words of a cell:
	 * their wording is not to be made concrete there. */
	bool problems = (lint_on(c, LINT_VAGUE_PROBLEM) || lint_on(c, LINT_HEDGING)) &&
			c->d->kind != DOC_KIND_REPORT;
	bool measures = lint_on(c, LINT_UNMEASURABLE);
	for (size_t i = 0; i < c->units.n; i++) {
		const struct lint_unit *u = &c->units.v[i];
		if (u->role == DOC_ROLE_PROBLEMS && problems &&
		    !(u->item && u->item->label.style == DOC_STYLE_TABLE))
			judge_problem(c, i);
		else if (u->role == DOC_ROLE_MEASURES && measures)
			judge_measure(c, u);
	}
}

/* ---- unanswered ------------------------------------------------------------ */

/* A side of the match: a problem or measure area (or item, or section). */
struct side {
	char *name;             /* label and title for the message (malloc'd) */
	struct doc_span span;
	char *text;             /* malloc'd: everything it says */
	uint32_t *grams;        /* sorted unique gram ids */
	size_t n_grams;
};

typedef VEC(struct side) side_vec;

static void side_add(side_vec *v, const char *label, const char *title, struct doc_span span,
		     struct buf *text)
{
	struct side *s = VEC_PUSH(*v);
	s->name = xasprintf("%s%s", label ? label : "", title ? title : "");
	s->span = span;
	s->text = buf_detach(text, NULL);
}

static void area_text(struct buf *b, const struct doc_area *ar)
{
	buf_puts(b, ar->title);
	buf_putc(b, '\n');
	buf_puts(b, ar->text);
	for (size_t i = 0; i < ar->n_items; i++) {
		buf_putc(b, '\n');
		buf_puts(b, ar->items[i].text);
	}
}

/* Does an item answer itself: its measures, or what was done, written
 * beside it (a task table's column, 整改措施：, 整改情况：)? */
static bool self_answered(const struct doc_item *it)
{
	return doc_item_field(it, DOC_FIELD_MEASURES) || doc_item_field(it, DOC_FIELD_PROGRESS) ||
	       doc_item_field(it, DOC_FIELD_STATUS);
}

static bool area_self_answered(const struct doc_area *ar)
{
	for (size_t i = 0; i < ar->n_items; i++)
		if (!self_answered(&ar->items[i]))
			return false;
	return ar->n_items > 0;
}

/* The units of one side: areas of the sections whose role is in mask; else
 * their items; else (the answering side only) the sections themselves.  On
 * the asking side, what answers itself is left out. */
static void collect_side(const struct doc *d, unsigned mask, bool answers, side_vec *v)
{
	struct buf b = BUF_INIT(0);
	bool any = false;
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		if (!(mask & (1u << sec->role)))
			continue;
		any |= sec->n_areas > 0;
		for (size_t a = 0; a < sec->n_areas; a++) {
			if (!answers && area_self_answered(&sec->areas[a]))
				continue;
			area_text(&b, &sec->areas[a]);
			side_add(v, sec->areas[a].label.text, sec->areas[a].title,
				 sec->areas[a].title_span.end > sec->areas[a].title_span.start
					 ? sec->areas[a].title_span : sec->areas[a].span,
				 &b);
		}
	}
	if (v->n || any)
		goto out;
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		if (!(mask & (1u << sec->role)))
			continue;
		for (size_t i = 0; i < sec->n_items; i++) {
			if (!answers && self_answered(&sec->items[i]))
				continue;
			buf_puts(&b, sec->items[i].text);
			side_add(v, sec->items[i].label.text, sec->items[i].lead,
				 sec->items[i].lead_span.end > sec->items[i].lead_span.start
					 ? sec->items[i].lead_span : sec->items[i].span,
				 &b);
		}
	}
	if (v->n || !answers)
		goto out;
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		if (!(mask & (1u << sec->role)) || !sec->text[0])
			continue;
		buf_puts(&b, sec->text);
		side_add(v, sec->label.text, sec->title, sec->title_span, &b);
	}
out:
	buf_release(&b);
}

/* Gram ids: a small open-addressing table from 64-bit keys to dense ids. */
struct gram_tab {
	uint64_t *key;
	uint32_t *id;
	size_t cap, n;
};

static uint32_t gram_id(struct gram_tab *t, uint64_t key, bool add)
{
	if (add && (t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		uint64_t *k = xcalloc(cap, sizeof *k);
		uint32_t *id = xcalloc(cap, sizeof *id);
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->id[i])
				continue;
			size_t j = (t->key[i] * 0x9E3779B97F4A7C15ull) >> 20 & (cap - 1);
			while (id[j])
				j = (j + 1) & (cap - 1);
			k[j] = t->key[i];
			id[j] = t->id[i];
		}
		free(t->key);
		free(t->id);
		t->key = k;
		t->id = id;
		t->cap = cap;
	}
	if (!t->cap)
		return 0;
	size_t j = (key * 0x9E3779B97F4A7C15ull) >> 20 & (t->cap - 1);
	while (t->id[j]) {
		if (t->key[j] == key)
			return t->id[j];
		j = (j + 1) & (t->cap - 1);
	}
	if (!add)
		return 0;
	t->key[j] = key;
	t->id[j] = (uint32_t)++t->n;
	return t->id[j];
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorted unique gram ids of s, leaving out the stop grams (id 0 in stop). */
static void side_grams(struct side *s, struct gram_tab *t, struct gram_tab *stop, bool add)
{
	lint_grams g = {0};
	lint_grams_of(s->text, strlen(s->text), &g);
	s->grams = xmalloc((g.n ? g.n : 1) * sizeof *s->grams);
	size_t k = 0;
	for (size_t i = 0; i < g.n; i++) {
		if (gram_id(stop, g.v[i], false))
			continue;
		uint32_t id = gram_id(t, g.v[i], add);
		if (id)
			s->grams[k++] = id;
	}
	qsort(s->grams, k, sizeof *s->grams, u32_cmp);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || s->grams[u - 1] != s->grams[i])
			s->grams[u++] = s->grams[i];
	s->n_grams = u;
	VEC_FREE(g);
}

static void load_stop(struct gram_tab *stop)
{
	const struct wordlist *wl = doc_words("data/lint-stopgrams.txt");
	lint_grams g = {0};
	for (size_t k = 0; wl && k < wl->n; k++)
		lint_grams_of(wl->w[k], wl->len[k], &g);
	for (size_t i = 0; i < g.n; i++)
		gram_id(stop, g.v[i], true);
	VEC_FREE(g);
}

void lint_rule_unanswered(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	/* What answers a problem: the measures; in a report on rectification
	 * also what was done (progress, or what the engine read as last
	 * year's rectification). */
	unsigned answer = 1u << DOC_ROLE_MEASURES;
	if (d->kind == DOC_KIND_REPORT)
		answer |= 1u << DOC_ROLE_PROGRESS | 1u << DOC_ROLE_LAST_YEAR;
	bool have_measures = false;
	for (size_t s = 0; s < d->n_sections; s++)
		have_measures |= (answer >> d->sections[s].role) & 1;
	if (!have_measures)
		return; /* rule structure reports the missing section */
	side_vec P = {0}, M = {0};
	collect_side(d, 1u << DOC_ROLE_PROBLEMS, false, &P);
	collect_side(d, answer, true, &M);
	unsigned char *answered = xcalloc(P.n ? P.n : 1, 1);
	if (P.n == M.n) {
		memset(answered, 1, P.n);
	} else if (M.n > 0 && P.n > 0) {
		struct gram_tab t = {0}, stop = {0};
		load_stop(&stop);
		for (size_t i = 0; i < P.n; i++)
			side_grams(&P.v[i], &t, &stop, true);
		/* Postings: problem areas per gram, and weights by rarity. */
		size_t ng = t.n + 1;
		uint32_t *df = xcalloc(ng, sizeof *df);
		for (size_t i = 0; i < P.n; i++)
			for (size_t k = 0; k < P.v[i].n_grams; k++)
				df[P.v[i].grams[k]]++;
		uint32_t *start = xcalloc(ng + 1, sizeof *start);
		for (size_t g = 0; g < ng; g++)
			start[g + 1] = start[g] + df[g];
		uint32_t *post = xmalloc((start[ng] ? start[ng] : 1) * sizeof *post);
		uint32_t *fill = xcalloc(ng, sizeof *fill);
		for (size_t i = 0; i < P.n; i++)
			for (size_t k = 0; k < P.v[i].n_grams; k++) {
				uint32_t g = P.v[i].grams[k];
				post[start[g] + fill[g]++] = (uint32_t)i;
			}
		size_t cap = P.n / 4 > 8 ? P.n / 4 : 8;
		/* Scores of the problem areas one measure area shares grams with;
		 * only those are visited and cleared again, so a report with
		 * thousands of areas on each side costs what their postings do,
		 * not problems x measures. */
		double *acc = xcalloc(P.n, sizeof *acc);
		uint32_t *hit = xmalloc(P.n * sizeof *hit);
		/* Measure areas with the same grams answer the same problem
		 * areas: each set is scored once (a report that repeats itself
		 * costs what its distinct areas do). */
		size_t n_seen = 1;
		while (n_seen < 2 * M.n)
			n_seen *= 2;
		size_t *seen = xmalloc(n_seen * sizeof *seen);
		for (size_t i = 0; i < n_seen; i++)
			seen[i] = SIZE_MAX;
		for (size_t m = 0; m < M.n; m++) {
			side_grams(&M.v[m], &t, &stop, false);
			uint64_t hh = 1469598103934665603ull;
			for (size_t k = 0; k < M.v[m].n_grams; k++)
				hh = (hh ^ M.v[m].grams[k]) * 1099511628211ull;
			size_t slot = (size_t)(hh & (n_seen - 1));
			bool again = false;
			for (; seen[slot] != SIZE_MAX; slot = (slot + 1) & (n_seen - 1)) {
				const struct side *o = &M.v[seen[slot]];
				if (o->n_grams == M.v[m].n_grams &&
				    memcmp(o->grams, M.v[m].grams,
					   o->n_grams * sizeof *o->grams) == 0) {
					again = true;
					break;
				}
			}
			if (again)
				continue;
			seen[slot] = m;
			size_t n_hit = 0;
			for (size_t k = 0; k < M.v[m].n_grams; k++) {
				uint32_t g = M.v[m].grams[k];
				if (df[g] == 0 || df[g] > cap)
					continue;
				double w = log(1.0 + (double)P.n / df[g]);
				for (uint32_t q = start[g]; q < start[g + 1]; q++) {
					if (acc[post[q]] == 0)
						hit[n_hit++] = post[q];
					acc[post[q]] += w;
				}
			}
			double best = 0;
			for (size_t h = 0; h < n_hit; h++)
				best = acc[hit[h]] > best ? acc[hit[h]] : best;
			for (size_t h = 0; h < n_hit; h++) {
				if (acc[hit[h]] >= best * 0.9)
					answered[hit[h]] = 1;
				acc[hit[h]] = 0;
			}
		}
		free(seen);
		free(hit);
		free(acc);
		free(fill);
		free(post);
		free(start);
		free(df);
		free(t.key);
		free(t.id);
		free(stop.key);
		free(stop.id);
	}
	for (size_t i = 0; i < P.n; i++)
		if (!answered[i])
			lint_add(c, LINT_UNANSWERED, LINT_WARNING, P.v[i].span, P.v[i].name,
				 "问题方面“%s”没有对应的整改措施：在措施部分写出针对它的措施",
				 lint_shorten(c, P.v[i].name, strlen(P.v[i].name), 20));
	for (size_t i = 0; i < P.n; i++) {
		free(P.v[i].name);
		free(P.v[i].text);
		free(P.v[i].grams);
	}
	for (size_t i = 0; i < M.n; i++) {
		free(M.v[i].name);
		free(M.v[i].text);
		free(M.v[i].grams);
	}
	VEC_FREE(P);
	VEC_FREE(M);
	free(answered);
}
