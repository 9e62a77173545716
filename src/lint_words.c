/*
 * lint_words.c -- rules on how words are written, paragraph by paragraph:
 *
 *   doubled-phrase  the same 2 to 6 Chinese characters twice in a row
 *                   (加强加强, 进一步进一步).  Not reported: a single
 *                   character doubled (常常, 天天, AABB 清清楚楚); the ABAB
 *                   form of the words of data/lint-doubles.txt#abab
 *                   (研究研究, 雪白雪白); a numeral with a measure word
 *                   (一个一个, 一步一步) or numerals alone (二〇二〇); the
 *                   phrases of #ok (学习学习再学习).
 *   spacing         a space (ASCII, U+3000, NBSP) between two Chinese
 *                   characters, or between a number and the Chinese unit
 *                   after it (12 次), in the source as written -- only when
 *                   the report mostly writes none (LINT_SPACING_MOSTLY).
 *                   Never in the title, in table rows (lines with tabs or
 *                   '|'), after a numbering label (第一部分 问题), in a run
 *                   of two spaces or more (alignment), between short words
 *                   standing apart (names in a list, or a two-character
 *                   name padded to the width of three: 张  三, customary in
 *                   signatures), or before a field label (王五 电话：).
 *   wrong-char      a wrong form of data/lint-wrongchars.txt (自已, 按步就班),
 *                   unless it is part of a correct phrase listed there
 *                   (不能自已).
 *   foreign-text    a web page's footer or watermark pasted into the report:
 *                   a marker of data/lint-foreign.txt (责任编辑, 本文来自,
 *                   扫码关注, a template site's name), or "来源：…网"; one
 *                   finding per paragraph, from the first marker to the end
 *                   of the paragraph.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

/* ---- helpers ------------------------------------------------------------ */

/* The characters of a text with their byte offsets; off[n] is the length. */
struct cps {
	uint32_t *cp;
	size_t *off;
	size_t n, cap;
};

static void cps_fill(struct cps *c, const char *s, size_t n)
{
	c->n = 0;
	for (size_t i = 0; i < n;) {
		if (c->n + 2 > c->cap) {
			c->cap = c->cap ? c->cap * 2 : 256;
			c->cp = xreallocarray(c->cp, c->cap, sizeof *c->cp);
			c->off = xreallocarray(c->off, c->cap, sizeof *c->off);
		}
		c->off[c->n] = i;
		i += (size_t)text_utf8_next(s + i, n - i, &c->cp[c->n]);
		c->n++;
	}
	if (c->n + 1 > c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->cp = xreallocarray(c->cp, c->cap, sizeof *c->cp);
		c->off = xreallocarray(c->off, c->cap, sizeof *c->off);
	}
	c->off[c->n] = n;
	c->cp[c->n] = 0;
}

static void cps_free(struct cps *c)
{
	free(c->cp);
	free(c->off);
}

/* Is bytes [a, b) of s[0..n) inside an occurrence of an entry of wl? */
static bool inside_listed(const struct wordlist *wl, const char *s, size_t n, size_t a, size_t b)
{
	for (size_t k = 0; wl && k < wl->n; k++) {
		size_t l = wl->len[k];
		if (l < b - a || l > n)
			continue;
		size_t from = b >= l ? b - l : 0;
		for (size_t i = from; i <= a && i + l <= n; i++)
			if (memcmp(s + i, wl->w[k], l) == 0)
				return true;
	}
	return false;
}

static bool is_numeral(uint32_t cp)
{
	char u[4];
	int l = text_utf8_put(cp, u);
	return text_cn_number_span(u, (size_t)l) == (size_t)l;
}

/* Is cp one of the single-character entries of wl? */
static bool listed_char(const struct wordlist *wl, uint32_t cp)
{
	char u[4];
	int l = text_utf8_put(cp, u);
	for (size_t k = 0; wl && k < wl->n; k++)
		if (wl->len[k] == (size_t)l && memcmp(wl->w[k], u, (size_t)l) == 0)
			return true;
	return false;
}

/* ---- doubled-phrase ----------------------------------------------------- */

enum { DOUBLE_MIN = 2, DOUBLE_MAX = 6 };

/* Is the unit cp[0..k), written twice at s[a..b), a legitimate doubling? */
static bool doubling_ok(const uint32_t *cp, size_t k, const char *s, size_t n, size_t a, size_t b)
{
	bool numerals = true;
	for (size_t j = 0; j < k; j++)
		numerals = numerals && is_numeral(cp[j]);
	if (numerals)
		return true;
	if (is_numeral(cp[0]) && listed_char(doc_words("data/lint-doubles.txt#measures"), cp[1]))
		return true;
	size_t ul = (b - a) / 2;
	if (k == 2 && lint_word_at(doc_words("data/lint-doubles.txt#abab"), s, a + ul, a) == ul)
		return true;
	return inside_listed(doc_words("data/lint-doubles.txt#ok"), s, n, a, b);
}

static void doubled_para(struct lint_ctx *c, const struct doc_para *p, struct cps *pc)
{
	const char *s = p->text;
	cps_fill(pc, s, p->len);
	size_t n = pc->n;
	for (size_t i = 0; i + 2 * DOUBLE_MIN <= n;) {
		if (!text_is_han(pc->cp[i])) {
			i++;
			continue;
		}
		size_t found = 0;
		for (size_t k = DOUBLE_MIN; k <= DOUBLE_MAX && i + 2 * k <= n; k++) {
			bool han = true;
			for (size_t j = 0; j < 2 * k && han; j++)
				han = text_is_han(pc->cp[i + j]);
			if (!han)
				break;
			if (memcmp(pc->cp + i, pc->cp + i + k, k * sizeof *pc->cp) == 0) {
				found = k;
				break;
			}
		}
		if (!found) {
			i++;
			continue;
		}
		size_t a = pc->off[i], b = pc->off[i + 2 * found];
		if (doubling_ok(pc->cp + i, found, s, p->len, a, b)) {
			i += found; /* 一个一个一个: the next copy is checked from here */
			continue;
		}
		size_t ul = pc->off[i + found] - a;
		lint_add(c, LINT_DOUBLED_PHRASE, LINT_WARNING, lint_para_span(c->d, p, a, b), NULL,
			 "“%.*s”连写了两遍：删去一个", (int)ul, s + a);
		i += 2 * found;
	}
}

void lint_rule_doubled(struct lint_ctx *c)
{
	struct cps pc = {0};
	for (size_t i = 0; i < c->d->n_paras; i++)
		doubled_para(c, &c->d->paras[i], &pc);
	cps_free(&pc);
}

/* ---- spacing ------------------------------------------------------------- */

/* Characters of a name, or a short word in a list, standing between
 * spaces. */
enum { NAME_MAX_CHARS = 4 };

static bool is_blank(uint32_t cp)
{
	return cp == ' ' || cp == 0x3000 || cp == 0xA0;
}

static bool is_digit(uint32_t cp)
{
	return cp >= '0' && cp <= '9';
}

/* A place where a space may be stray: source bytes [a, b) of the spaces. */
struct gap {
	uint32_t a, b;
	bool number;            /* between a number and its unit */
};
typedef VEC(struct gap) gap_vec;

/* Is paragraph p one where spaces are layout: the title, a table row? */
static bool laid_out(const struct doc *d, const struct doc_para *p)
{
	if (d->title_span.end > d->title_span.start && p->span.start < d->title_span.end &&
	    p->span.end > d->title_span.start)
		return true;
	const char *s = d->src + p->span.start;
	size_t n = p->span.end - p->span.start;
	return memchr(s, '\t', n) || memchr(s, '|', n);
}

/* The gaps of paragraph p (appended to out); *han_pairs and *tight count
 * the Chinese characters written next to each other and the numbers
 * written next to their unit. */
static void para_gaps(const struct doc *d, const struct doc_para *p, struct cps *pc,
		      gap_vec *out, size_t *han_pairs, size_t *tight)
{
	const char *s = d->src + p->span.start;
	cps_fill(pc, s, p->span.end - p->span.start);
	size_t n = pc->n;
	/* Spaces up to here follow a numbering label. */
	struct label_hit h;
	uint32_t lab_end = doc_label_at(p->text, p->len, &h) ? doc_para_src(p, h.len) : p->span.start;
	for (size_t i = 0; i + 1 < n; i++) {
		uint32_t x = pc->cp[i];
		if (text_is_han(x) && text_is_han(pc->cp[i + 1]))
			(*han_pairs)++;
		if (is_digit(x) && text_is_han(pc->cp[i + 1]))
			(*tight)++;
		if (!is_blank(pc->cp[i + 1]) || !(text_is_han(x) || is_digit(x)))
			continue;
		size_t j = i + 1;
		while (j < n && is_blank(pc->cp[j]))
			j++;
		if (j >= n || !text_is_han(pc->cp[j]))
			continue;
		uint32_t a = p->span.start + (uint32_t)pc->off[i + 1], b = p->span.start + (uint32_t)pc->off[j];
		if (a < lab_end)
			continue;
		if (is_digit(x)) {
			*VEC_PUSH(*out) = (struct gap){a, b, true};
			continue;
		}
		/* The Chinese runs either side: short words standing apart (a
		 * list of names, 张  三 padded to the width of 李四光) are
		 * layout, as is a run of several spaces. */
		size_t l = i, r = j;
		while (l > 0 && text_is_han(pc->cp[l - 1]))
			l--;
		while (r < n && text_is_han(pc->cp[r]))
			r++;
		uint32_t lb = l > 0 ? pc->cp[l - 1] : 0, rb = r < n ? pc->cp[r] : 0;
		if (i - l + 1 <= NAME_MAX_CHARS && r - j <= NAME_MAX_CHARS &&
		    (lb == 0 || is_blank(lb) || lb == 0xFF1A || lb == ':') && (rb == 0 || is_blank(rb)))
			continue;
		if (j - (i + 1) >= 2)
			continue;
		if (r < n && (pc->cp[r] == 0xFF1A || pc->cp[r] == ':'))
			continue; /* 王五 电话： */
		*VEC_PUSH(*out) = (struct gap){a, b, false};
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void lint_rule_spacing(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	struct cps pc = {0};
	gap_vec gaps = {0};
	size_t han_paras = 0, spaced_paras = 0, numbers = 0, tight = 0;
	for (size_t i = 0; i < d->n_paras; i++) {
		const struct doc_para *p = &d->paras[i];
		if (laid_out(d, p))
			continue;
		size_t before = gaps.n, han_pairs = 0, han_gaps = 0;
		para_gaps(d, p, &pc, &gaps, &han_pairs, &tight);
		for (size_t k = before; k < gaps.n; k++) {
			han_gaps += !gaps.v[k].number;
			numbers += gaps.v[k].number;
		}
		han_paras += han_pairs > 0 || han_gaps > 0;
		spaced_paras += han_gaps > 0;
	}
	/* The ends of the items' leads, sorted. */
	uint32_t *ends = gaps.n ? xcalloc(c->units.n + 1, sizeof *ends) : NULL;
	size_t n_ends = 0;
	for (size_t u = 0; ends && u < c->units.n; u++)
		if (c->units.v[u].item)
			ends[n_ends++] = c->units.v[u].item->lead_span.end;
	if (ends)
		qsort(ends, n_ends, sizeof *ends, cmp_u32);
	bool han_ok = spaced_paras * LINT_SPACING_MOSTLY <= han_paras;
	bool num_ok = numbers * LINT_SPACING_MOSTLY <= numbers + tight;
	for (size_t k = 0; k < gaps.n; k++) {
		const struct gap *g = &gaps.v[k];
		if (g->number ? !num_ok : !han_ok)
			continue;
		/* A space that sets an item's headline apart from its body (a
		 * bold heading in Word) is layout. */
		if (ends && bsearch(&g->a, ends, n_ends, sizeof *ends, cmp_u32))
			continue;
		/* The characters either side, as written. */
		uint32_t a = g->a, b = g->b;
		for (int m = 0; m < 4 && a > 0; m++)
			a = (uint32_t)text_utf8_back(d->src, a - 1);
		for (int m = 0; m < 4 && b < d->len; m++)
			b += (uint32_t)text_utf8_len((unsigned char)d->src[b]);
		const char *quote = lint_shorten(c, d->src + a, b - a, 20);
		if (g->number)
			lint_add(c, LINT_SPACING, LINT_WARNING, (struct doc_span){g->a, g->b}, quote,
				 "数字和单位之间多了空格：全文别处都不空，删去空格");
		else
			lint_add(c, LINT_SPACING, LINT_WARNING, (struct doc_span){g->a, g->b}, quote,
				 "汉字之间多了空格：删去空格");
	}
	free(ends);
	VEC_FREE(gaps);
	cps_free(&pc);
}

/* ---- wrong-char ------------------------------------------------------------ */

static struct {
	const struct wordlist *wl;      /* "wrong right" entries */
	size_t *wrong_len;              /* bytes of the wrong form of entry k */
} wrongs;
static pthread_once_t wrongs_once = PTHREAD_ONCE_INIT;

static void wrongs_load(void)
{
	wrongs.wl = doc_words("data/lint-wrongchars.txt#pairs");
	size_t n = wrongs.wl ? wrongs.wl->n : 0;
	wrongs.wrong_len = xcalloc(n ? n : 1, sizeof *wrongs.wrong_len);
	for (size_t k = 0; k < n; k++) {
		const char *sp = memchr(wrongs.wl->w[k], ' ', wrongs.wl->len[k]);
		wrongs.wrong_len[k] = sp ? (size_t)(sp - wrongs.wl->w[k]) : 0;
	}
}

void lint_rule_wrong_char(struct lint_ctx *c)
{
	pthread_once(&wrongs_once, wrongs_load);
	const struct wordlist *wl = wrongs.wl, *ok = doc_words("data/lint-wrongchars.txt#ok");
	if (!wl)
		return;
	for (size_t pi = 0; pi < c->d->n_paras; pi++) {
		const struct doc_para *p = &c->d->paras[pi];
		const char *s = p->text;
		size_t n = p->len;
		for (size_t i = 0; i < n;) {
			size_t step = (size_t)text_utf8_len((unsigned char)s[i]);
			if ((unsigned char)s[i] < 0xE0 || !wordlist_may_start(wl, s + i, n - i)) {
				i += step;
				continue;
			}
			size_t best = SIZE_MAX, bl = 0;
			for (size_t k = 0; k < wl->n; k++) {
				size_t l = wrongs.wrong_len[k];
				if (l > bl && i + l <= n && memcmp(s + i, wl->w[k], l) == 0) {
					best = k;
					bl = l;
				}
			}
			if (best == SIZE_MAX || inside_listed(ok, s, n, i, i + bl)) {
				i += step;
				continue;
			}
			const char *right = wl->w[best] + bl + 1;
			int rl = (int)(wl->len[best] - bl - 1);
			lint_add(c, LINT_WRONG_CHAR, LINT_ERROR, lint_para_span(c->d, p, i, i + bl), NULL,
				 "错别字：“%.*s”应为“%.*s”", (int)bl, s + i, rl, right);
			i += bl;
		}
	}
}

/* ---- foreign-text ------------------------------------------------------------ */

/* Offset of the first foreign text in s[0..n), or SIZE_MAX. */
static size_t foreign_at(const char *s, size_t n)
{
	const struct wordlist *markers = doc_words("data/lint-foreign.txt#markers");
	const struct wordlist *sites = doc_words("data/lint-foreign.txt#sites");
	const struct wordlist *ends = doc_words("data/lint-foreign.txt#source");
	for (size_t i = 0; i < n; i += (size_t)text_utf8_len((unsigned char)s[i])) {
		if ((unsigned char)s[i] < 0xE0)
			continue;
		if (lint_word_at(markers, s, n, i) || lint_word_at(sites, s, n, i))
			return i;
		if (!lint_at(s, n, i, "来源：") && !lint_at(s, n, i, "来源:"))
			continue;
		/* 来源：X, X up to a stop or a space. */
		size_t a = i + (s[i + 6] == ':' ? 7 : 9), e = a;
		while (e < n && e - a < 90) {
			uint32_t cp = lint_cp_at(s, n, e);
			if (cp == 0x3002 || cp == 0xFF0C || cp == 0xFF1B || cp == ' ' || cp == 0x3000 ||
			    cp == 0xFF09 || cp == ')' || cp == '\n')
				break;
			e += (size_t)text_utf8_len((unsigned char)s[e]);
		}
		for (size_t k = 0; ends && k < ends->n; k++)
			if (e - a > ends->len[k] && memcmp(s + e - ends->len[k], ends->w[k], ends->len[k]) == 0)
				return i;
	}
	return SIZE_MAX;
}

void lint_rule_foreign(struct lint_ctx *c)
{
	for (size_t pi = 0; pi < c->d->n_paras; pi++) {
		const struct doc_para *p = &c->d->paras[pi];
		size_t at = foreign_at(p->text, p->len);
		if (at == SIZE_MAX)
			continue;
		/* The marker itself, for the message: up to the colon or six characters. */
		size_t e = at;
		for (int m = 0; m < 6 && e < p->len; m++) {
			uint32_t cp = lint_cp_at(p->text, p->len, e);
			if (cp == 0xFF1A || cp == ':' || cp == 0xFF0C || cp == 0x3002)
				break;
			e += (size_t)text_utf8_len((unsigned char)p->text[e]);
		}
		lint_add(c, LINT_FOREIGN_TEXT, LINT_ERROR, lint_para_span(c->d, p, at, p->len), NULL,
			 "混进了网页的附带文字（“%.*s”）：来源、编辑、转载声明等不属于本材料，删去", (int)(e - at),
			 p->text + at);
	}
}
