/*
 * lint_similar.c -- near-duplicates by character bigrams.
 *
 * Text is compared as the set of its character pairs (bigrams) over content
 * characters -- Chinese characters, digits and Latin letters; punctuation
 * and space break a run.  Similarity is Dice's coefficient of the two sets,
 * 2|A∩B| / (|A| + |B|).
 *
 *   repeat       the clauses of the report (split at ，。；！？： and line
 *                breaks), without their numbering labels, and with the
 *                listed formulations taken out so that a
 *                correctly repeated 习近平新时代中国特色社会主义思想 is no
 *                repetition, and of at least REPEAT_MIN_CHARS characters;
 *                a clause at least REPEAT_T similar to an earlier one is
 *                reported with the earlier place.
 *   recurrence   every problem unit against the priors (earlier reports'
 *                problem items); the most similar prior at or above
 *                RECUR_T is reported with its origin and similarity.
 *
 * Neither compares all pairs.  Dice >= t implies |A∩B| >= α = ⌈t|A|/(2-t)⌉,
 * so at most |A| - α pairs of A are missing from B, and any |A| - α + 1
 * pairs of A include one of B's.  Candidates therefore come from the
 * postings of A's rarest |A| - α + 1 pairs only (prefix filtering); repeat
 * also indexes only each clause's own rarest prefix (both sides ordered by
 * the same document frequency, the AllPairs argument), exact duplicates are
 * found by hash first, and a clause that repeats an earlier one is not
 * indexed again -- so a report that says one thing a thousand times costs
 * a thousand look-ups, not a million comparisons.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

enum { REPEAT_MIN_CHARS = 10 };
static const double REPEAT_T = 0.8;
static const double REPEAT_GOOD = 0.95;
static const double RECUR_T = 0.6;

/* ---- bigrams ----------------------------------------------------------------- */

static uint32_t content_char(uint32_t cp)
{
	if (cp >= 0xFF10 && cp <= 0xFF19)
		return cp - 0xFF10 + '0';
	if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (text_is_han(cp) || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z'))
		return cp;
	return 0;
}

void lint_grams_of(const char *s, size_t n, lint_grams *out)
{
	uint32_t prev = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += (size_t)text_utf8_next(s + i, n - i, &cp);
		cp = content_char(cp);
		if (cp && prev)
			*VEC_PUSH(*out) = lint_gram_key(prev, cp);
		prev = cp;
	}
}

/* Keys to dense ids (1-based; 0 = absent), open addressing. */
struct ids {
	uint64_t *key;
	uint32_t *id;
	size_t cap, n;
};

static inline size_t ids_slot(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static uint32_t ids_get(const struct ids *t, uint64_t key)
{
	if (!t->cap)
		return 0;
	for (size_t j = ids_slot(key, t->cap);; j = (j + 1) & (t->cap - 1)) {
		if (!t->id[j])
			return 0;
		if (t->key[j] == key)
			return t->id[j];
	}
}

static uint32_t ids_add(struct ids *t, uint64_t key)
{
	if ((t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		uint64_t *k = xcalloc(cap, sizeof *k);
		uint32_t *id = xcalloc(cap, sizeof *id);
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->id[i])
				continue;
			size_t j = ids_slot(t->key[i], cap);
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
	size_t j = ids_slot(key, t->cap);
	while (t->id[j]) {
		if (t->key[j] == key)
			return t->id[j];
		j = (j + 1) & (t->cap - 1);
	}
	t->key[j] = key;
	t->id[j] = (uint32_t)++t->n;
	return t->id[j];
}

static void ids_release(struct ids *t)
{
	free(t->key);
	free(t->id);
	memset(t, 0, sizeof *t);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static size_t sort_unique(uint32_t *v, size_t n)
{
	if (n < 2)
		return n;
	qsort(v, n, sizeof *v, u32_cmp);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	return u;
}

/* Minimum overlap for Dice >= t with a set of a elements. */
static size_t min_overlap(size_t a, double t)
{
	return (size_t)ceil(t * (double)a / (2.0 - t) - 1e-9);
}

/* ---- repeat ---------------------------------------------------------------------- */

struct clause {
	uint32_t para;
	uint32_t a, b;          /* bytes of the paragraph's normalised text */
	uint32_t g0, ng;        /* its gram ids in grams[] (none for a copy) */
	uint32_t k0, kn;        /* its content key in keys[] (breaks as 0) */
	uint64_t hash;
	int64_t copy_of;        /* an earlier clause with the same content, or -1 */
};

/* Bytes of a clause end at s[i] (，。；！？： or a line break), 0 when none. */
static size_t clause_stop(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (c == '\n')
		return 1;
	if ((c != 0xEF && c != 0xE3) || i + 3 > n)
		return 0;
	uint32_t cp;
	text_utf8_next(s + i, n - i, &cp);
	return cp == 0xFF0C || cp == 0x3002 || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F ||
	       cp == 0xFF1A ? 3 : 0;
}

struct repeat_state {
	VEC(struct clause) cl;
	VEC(uint32_t) grams;    /* per clause, then ordered by (df, id) */
	VEC(uint32_t) keys;     /* content characters, 0 = break */
	struct ids ids;
	uint32_t *df;
	uint32_t *htab;         /* content hash -> clause index + 1 */
	size_t hcap, hn;
};

/* The earlier clause whose content is c's, or -1 (c is then entered). */
static int64_t find_copy(struct repeat_state *st, const struct clause *c, uint32_t self)
{
	if ((st->hn + 1) * 2 > st->hcap) {
		size_t cap = st->hcap ? st->hcap * 2 : 1024;
		uint32_t *t = xcalloc(cap, sizeof *t);
		for (size_t i = 0; i < st->hcap; i++) {
			if (!st->htab[i])
				continue;
			size_t j = (size_t)(st->cl.v[st->htab[i] - 1].hash >> 20) & (cap - 1);
			while (t[j])
				j = (j + 1) & (cap - 1);
			t[j] = st->htab[i];
		}
		free(st->htab);
		st->htab = t;
		st->hcap = cap;
	}
	size_t j = (size_t)(c->hash >> 20) & (st->hcap - 1);
	for (; st->htab[j]; j = (j + 1) & (st->hcap - 1)) {
		const struct clause *o = &st->cl.v[st->htab[j] - 1];
		if (o->hash == c->hash && o->kn == c->kn &&
		    memcmp(st->keys.v + o->k0, st->keys.v + c->k0, c->kn * sizeof *st->keys.v) == 0)
			return st->htab[j] - 1;
	}
	st->htab[j] = self + 1;
	st->hn++;
	return -1;
}

/* Length of a numbering label at the start of p[0, n): what the document
 * engine takes for one, or a run of numerals in brackets or before 是 / 要 /
 * 、 (labels longer than the engine reads, such as （一千二百三十四）). */
static size_t label_len(const char *p, size_t n)
{
	struct label_hit lh;
	if (doc_label_at(p, n, &lh) && lh.len < n)
		return lh.len;
	size_t i = lint_at(p, n, 0, "（") ? 3 : 0, j = i;
	while (j < n) {
		size_t k = (p[j] >= '0' && p[j] <= '9') ? 1 : text_cn_number_span(p + j, n - j) ? 3 : 0;
		if (!k || j - i > 48)
			break;
		j += k;
	}
	if (j == i)
		return 0;
	if (i && lint_at(p, n, j, "）"))
		return j + 3 < n ? j + 3 : 0;
	if (!i && (lint_at(p, n, j, "是") || lint_at(p, n, j, "要") || lint_at(p, n, j, "、")))
		return j + 3 < n ? j + 3 : 0;
	return 0;
}

/* Content of clause s[a, b) of paragraph p, terms taken out; a copy of an
 * earlier clause keeps no key and no grams. */
static void add_clause(struct repeat_state *st, const char *s, size_t a, size_t b, uint32_t para)
{
	/* A numbering label is no content: 一是理论学习不够 repeats 二是理论学习不够. */
	a += label_len(s + a, b - a);
	struct clause c = {.para = para, .a = (uint32_t)a, .b = (uint32_t)b};
	c.k0 = (uint32_t)st->keys.n;
	size_t chars = 0;
	uint32_t prev = 0;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = a; i < b;) {
		size_t tl = (unsigned char)s[i] >= 0xE0 ? lint_term_at(s, b, i) : 0;
		if (tl) {
			i += tl;
			prev = 0;
			*VEC_PUSH(st->keys) = 0;
			h = h * 1099511628211ull;
			continue;
		}
		uint32_t cp;
		i += (size_t)text_utf8_next(s + i, b - i, &cp);
		cp = content_char(cp);
		if (!cp && !prev)
			continue;
		*VEC_PUSH(st->keys) = cp;
		h = (h ^ cp) * 1099511628211ull;
		if (cp)
			chars++;
		prev = cp;
	}
	c.kn = (uint32_t)st->keys.n - c.k0;
	if (chars < REPEAT_MIN_CHARS) {
		st->keys.n = c.k0;
		return;
	}
	c.hash = h ^ (h >> 29);
	c.g0 = (uint32_t)st->grams.n;
	*VEC_PUSH(st->cl) = c;
	struct clause *cc = &st->cl.v[st->cl.n - 1];
	cc->copy_of = find_copy(st, cc, (uint32_t)st->cl.n - 1);
	if (cc->copy_of >= 0) {
		st->keys.n = c.k0;      /* the earlier clause holds the same key */
		cc->kn = 0;
		return;
	}
	for (uint32_t k = 1; k < c.kn; k++) {
		uint32_t x = st->keys.v[c.k0 + k - 1], y = st->keys.v[c.k0 + k];
		if (x && y)
			*VEC_PUSH(st->grams) = ids_add(&st->ids, lint_gram_key(x, y));
	}
	cc->ng = st->grams.n > c.g0 ? (uint32_t)sort_unique(st->grams.v + c.g0, st->grams.n - c.g0) : 0;
	st->grams.n = c.g0 + cc->ng;
}

/* Order of gram ids by document frequency, then id. */
static inline bool df_less(const uint32_t *df, uint32_t x, uint32_t y)
{
	return df[x] < df[y] || (df[x] == df[y] && x < y);
}

static int df_cmp(const void *a, const void *b, void *arg)
{
	const uint32_t *df = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return df_less(df, x, y) ? -1 : df_less(df, y, x);
}

/* Sort v by (df, id): insertion sort for the short arrays of clauses,
 * qsort_r beyond (df is an argument, so concurrent runs share nothing). */
static void sort_by_df(uint32_t *v, size_t n, const uint32_t *df)
{
	if (n > 48) {
		qsort_r(v, n, sizeof *v, df_cmp, (void *)df);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t x = v[i];
		size_t j = i;
		while (j > 0 && df_less(df, x, v[j - 1])) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* |A ∩ B| of two arrays sorted by (df, id). */
static size_t overlap_df(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
			 const uint32_t *df)
{
	size_t i = 0, j = 0, c = 0;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			c++;
			i++;
			j++;
		} else if (df_less(df, a[i], b[j])) {
			i++;
		} else {
			j++;
		}
	}
	return c;
}

static struct doc_span clause_span(const struct doc *d, const struct clause *c)
{
	return lint_para_span(d, &d->paras[c->para], c->a, c->b);
}

static void report_repeat(struct lint_ctx *c, const struct clause *ci, const struct clause *cb,
			  double sim)
{
	if (lint_capped(c, LINT_REPEAT)) {
		lint_add(c, LINT_REPEAT, LINT_WARNING, (struct doc_span){0, 0}, "", "%s", "");
		return;
	}
	const struct doc *d = c->d;
	struct doc_span here = clause_span(d, ci), there = clause_span(d, cb);
	const char *s = d->paras[ci->para].text, *so = d->paras[cb->para].text;
	const char *other = lint_shorten(c, so + cb->a, cb->b - cb->a, 24);
	struct lint_finding *f = lint_add(c, LINT_REPEAT, LINT_WARNING, here,
					  lint_shorten(c, s + ci->a, ci->b - ci->a, 40),
					  "与第%u行的“%s”%s（相似度%d%%）：合并或删去重复的话",
					  lint_line(c, there.start), other,
					  sim >= 0.999 ? "重复" : "几乎相同", (int)(sim * 100 + 0.5));
	f->has_related = 1;
	f->related_span = there;
	f->related_text = other;
	f->similarity = sim;
}

void lint_rule_repeat(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	struct repeat_state st = {0};
	/* Clauses of every paragraph but the title; copies found on the way. */
	size_t first = d->title_span.end > d->title_span.start && d->n_paras &&
				       d->paras[0].span.start == d->title_span.start
			       ? 1 : 0;
	for (size_t p = first; p < d->n_paras; p++) {
		const char *s = d->paras[p].text;
		size_t n = d->paras[p].len, a = 0;
		for (size_t i = 0; i <= n;) {
			size_t stop = i < n ? clause_stop(s, n, i) : 0;
			if (i == n || stop) {
				if (i > a)
					add_clause(&st, s, a, i, (uint32_t)p);
				if (i == n)
					break;
				i += stop;
				a = i;
				continue;
			}
			i += (size_t)text_utf8_len((unsigned char)s[i]);
		}
	}
	size_t nc = st.cl.n;
	if (nc < 2)
		goto out;
	if (!st.grams.v) { /* clauses of single characters between marks: no pairs */
		VEC_PUSH(st.grams);
		st.grams.n = 0;
	}
	st.df = xcalloc(st.ids.n + 1, sizeof *st.df);
	for (size_t i = 0; i < st.grams.n; i++)
		st.df[st.grams.v[i]]++;
	for (size_t i = 0; i < nc; i++)
		sort_by_df(st.grams.v + st.cl.v[i].g0, st.cl.v[i].ng, st.df);

	/* Copies are reported at once; the rest probe the index of the rarest
	 * prefixes of the clauses before them that repeated nothing. */
	VEC(uint32_t) *post = xcalloc(st.ids.n + 1, sizeof *post);
	uint32_t *stamp = xcalloc(nc, sizeof *stamp);
	for (size_t i = 0; i < nc; i++) {
		struct clause *ci = &st.cl.v[i];
		if (ci->copy_of >= 0) {
			report_repeat(c, ci, &st.cl.v[ci->copy_of], 1.0);
			continue;
		}
		long best = -1;
		double best_sim = 0;
		const uint32_t *ga = st.grams.v + ci->g0;
		size_t na = ci->ng;
		size_t alpha = min_overlap(na, REPEAT_T);
		size_t prefix = na >= alpha ? na - alpha + 1 : 0;
		for (size_t k = 0; k < prefix && k < na; k++) {
			uint32_t g = ga[k];
			for (size_t q = 0; q < post[g].n; q++) {
				uint32_t o = post[g].v[q];
				if (stamp[o] == i + 1)
					continue;
				stamp[o] = (uint32_t)i + 1;
				struct clause *co = &st.cl.v[o];
				size_t nb = co->ng;
				if ((double)nb * (2.0 - REPEAT_T) < REPEAT_T * (double)na ||
				    (double)na * (2.0 - REPEAT_T) < REPEAT_T * (double)nb)
					continue;
				size_t ov = overlap_df(ga, na, st.grams.v + co->g0, nb, st.df);
				double sim = 2.0 * (double)ov / (double)(na + nb);
				if (sim >= REPEAT_T && sim > best_sim) {
					best_sim = sim;
					best = o;
				}
			}
			/* Near enough: naming a still closer one is not worth more
			 * look-ups when many clauses look alike. */
			if (best_sim >= REPEAT_GOOD)
				break;
		}
		if (best >= 0) {
			report_repeat(c, ci, &st.cl.v[best], best_sim);
			continue;
		}
		/* Novel: index its prefix. */
		for (size_t k = 0; k < prefix && k < na; k++)
			*VEC_PUSH(post[ga[k]]) = (uint32_t)i;
	}
	for (size_t g = 0; g <= st.ids.n; g++)
		VEC_FREE(post[g]);
	free(post);
	free(stamp);
	free(st.df);
out:
	free(st.htab);
	VEC_FREE(st.cl);
	VEC_FREE(st.grams);
	VEC_FREE(st.keys);
	ids_release(&st.ids);
}

/* ---- the prior index ---------------------------------------------------------------- */

struct lint_index {
	struct ids ids;
	size_t n;
	char **text, **origin;
	uint32_t *g0, *ng;      /* per prior: its gram ids (sorted by id) in grams[] */
	uint32_t *grams;
	uint32_t *df;           /* per gram id */
	uint32_t *pstart, *post; /* postings: priors per gram id */
};

struct lint_index *lint_index_new(const struct lint_prior *prior, size_t n)
{
	struct lint_index *ix = xcalloc(1, sizeof *ix);
	ix->n = n;
	ix->text = xcalloc(n ? n : 1, sizeof *ix->text);
	ix->origin = xcalloc(n ? n : 1, sizeof *ix->origin);
	ix->g0 = xcalloc(n ? n : 1, sizeof *ix->g0);
	ix->ng = xcalloc(n ? n : 1, sizeof *ix->ng);
	VEC(uint32_t) grams = {0};
	lint_grams g = {0};
	for (size_t i = 0; i < n; i++) {
		const char *t = prior[i].text ? prior[i].text : "";
		ix->text[i] = xstrdup(t);
		ix->origin[i] = xstrdup(prior[i].origin ? prior[i].origin : "");
		g.n = 0;
		lint_grams_of(t, strlen(t), &g);
		size_t g0 = grams.n;
		for (size_t k = 0; k < g.n; k++)
			*VEC_PUSH(grams) = ids_add(&ix->ids, g.v[k]);
		size_t u = grams.n > g0 ? sort_unique(grams.v + g0, grams.n - g0) : 0;
		grams.n = g0 + u;
		ix->g0[i] = (uint32_t)g0;
		ix->ng[i] = (uint32_t)u;
	}
	VEC_FREE(g);
	ix->grams = grams.v ? grams.v : xmalloc(sizeof *ix->grams);
	size_t ng = ix->ids.n + 1;
	ix->df = xcalloc(ng, sizeof *ix->df);
	for (size_t k = 0; k < grams.n; k++)
		ix->df[ix->grams[k]]++;
	ix->pstart = xcalloc(ng + 1, sizeof *ix->pstart);
	for (size_t k = 0; k < ng; k++)
		ix->pstart[k + 1] = ix->pstart[k] + ix->df[k];
	ix->post = xmalloc((grams.n ? grams.n : 1) * sizeof *ix->post);
	uint32_t *fill = xcalloc(ng, sizeof *fill);
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < ix->ng[i]; k++) {
			uint32_t id = ix->grams[ix->g0[i] + k];
			ix->post[ix->pstart[id] + fill[id]++] = (uint32_t)i;
		}
	free(fill);
	return ix;
}

void lint_index_free(struct lint_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++) {
		free(ix->text[i]);
		free(ix->origin[i]);
	}
	free(ix->text);
	free(ix->origin);
	free(ix->g0);
	free(ix->ng);
	free(ix->grams);
	free(ix->df);
	free(ix->pstart);
	free(ix->post);
	ids_release(&ix->ids);
	free(ix);
}

size_t lint_index_count(const struct lint_index *ix)
{
	return ix ? ix->n : 0;
}

/* |A ∩ B| of two arrays sorted by id. */
static size_t overlap_id(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j = 0, c = 0;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			c++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	return c;
}

/* ---- recurrence ------------------------------------------------------------------------ */

void lint_rule_recurrence(struct lint_ctx *c)
{
	const struct lint_index *ix = c->o ? c->o->index : NULL;
	struct lint_index *own = NULL;
	if (!ix && c->o && c->o->n_prior)
		ix = own = lint_index_new(c->o->prior, c->o->n_prior);
	if (!ix)
		return;
	c->r->summary.priors = ix->n;
	uint32_t *stamp = xcalloc(ix->n ? ix->n : 1, sizeof *stamp);
	lint_grams g = {0};
	VEC(uint32_t) known = {0};
	VEC(uint32_t) byid = {0};
	for (size_t ui = 0; ui < c->units.n; ui++) {
		const struct lint_unit *u = &c->units.v[ui];
		if (u->role != DOC_ROLE_PROBLEMS)
			continue;
		g.n = 0;
		lint_grams_of(u->text, strlen(u->text), &g);
		/* Unique keys: a counts them all, known holds the ids the index has. */
		if (g.n > 1)
			qsort(g.v, g.n, sizeof *g.v, u64_cmp);
		known.n = 0;
		size_t a = 0;
		for (size_t k = 0; k < g.n; k++) {
			if (k > 0 && g.v[k] == g.v[k - 1])
				continue;
			a++;
			uint32_t id = ids_get(&ix->ids, g.v[k]);
			if (id)
				*VEC_PUSH(known) = id;
		}
		size_t nk = sort_unique(known.v, known.n);
		known.n = nk;
		if (a == 0 || nk == 0)
			continue;
		size_t alpha = min_overlap(a, RECUR_T);
		if (nk < alpha)
			continue;
		size_t unknown = a - nk;
		size_t probe = a - alpha + 1 > unknown ? a - alpha + 1 - unknown : 0;
		byid.n = 0;
		for (size_t k = 0; k < nk; k++)
			*VEC_PUSH(byid) = known.v[k];
		/* Rarest first. */
		sort_by_df(known.v, nk, ix->df);
		long best = -1;
		double best_sim = 0;
		for (size_t k = 0; k < probe && k < nk; k++) {
			uint32_t id = known.v[k];
			for (uint32_t q = ix->pstart[id]; q < ix->pstart[id + 1]; q++) {
				uint32_t o = ix->post[q];
				if (stamp[o] == ui + 1)
					continue;
				stamp[o] = (uint32_t)ui + 1;
				size_t nb = ix->ng[o];
				if ((double)nb * (2.0 - RECUR_T) < RECUR_T * (double)a)
					continue;
				size_t ov = overlap_id(byid.v, nk, ix->grams + ix->g0[o], nb);
				double sim = 2.0 * (double)ov / (double)(a + nb);
				if (sim >= RECUR_T && sim > best_sim) {
					best_sim = sim;
					best = o;
				}
			}
		}
		if (best < 0)
			continue;
		const char *other = lint_shorten(c, ix->text[best], strlen(ix->text[best]), 30);
		struct lint_finding *f = lint_add(
			c, LINT_RECURRENCE, LINT_WARNING,
			u->lead_span.end > u->lead_span.start ? u->lead_span : u->span, u->lead,
			"与往年材料中的问题高度相似（相似度%d%%，%s）：“%s”。说明上次为何没有整改到位，或写出新的具体问题",
			(int)(best_sim * 100 + 0.5), ix->origin[best], other);
		f->has_related = 1;
		f->related_origin = arena_strdup(&c->r->arena, ix->origin[best]);
		f->related_text = other;
		f->similarity = best_sim;
	}
	VEC_FREE(g);
	VEC_FREE(known);
	VEC_FREE(byid);
	free(stamp);
	lint_index_free(own);
}
