/*
 * lint_text.c -- rules on running text, paragraph by paragraph:
 *
 *   placeholder   one error per placeholder the document engine found, so
 *                 that `rectify lint` and `rectify parse` always agree;
 *   punctuation   doubled stops (，，  。。  ，。), half-width ,;:()!? that the
 *                 engine normalised because they sit in Chinese text (the
 *                 paragraph's map points at an ASCII byte in the source), and
 *                 “” 《》 （） 【】 that do not pair up within a paragraph;
 *   formulation   near-misses of the terms of data/formulations.txt.
 *
 * The term table.  Each term T of m >= 4 characters is split into halves
 * T[0, h) and T[h, m), h = m / 2.  A phrase one edit away from T (one
 * character substituted, dropped or added) leaves one half intact, so the
 * table maps the first two characters of each half to the term; scanning a
 * paragraph looks up every character pair, checks the half, and then the
 * windows of m-1, m and m+1 characters that end or start with it.  A window
 * is reported when it is one edit from T, made of Chinese characters only,
 * does not overlap an exact occurrence of any term or accepted variant,
 * and -- for terms of four or five characters -- stands in quotes or changes
 * a character into a listed confusable one; in numbered terms (两个维护,
 * 四个意识) a changed character must be a confusable, quoted or not, as
 * numbered slogans are many.  Insertions and deletions must fall inside the
 * term (四个意识， is not 四个意识 plus a comma).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

/* ---- placeholder ------------------------------------------------------- */

void lint_rule_placeholder(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	for (size_t i = 0; i < d->n_placeholders; i++) {
		const struct doc_placeholder *ph = &d->placeholders[i];
		lint_add(c, LINT_PLACEHOLDER, LINT_ERROR, ph->span, ph->context,
			 "占位符“%s”没有填写：请换成实际的名称、数字或内容", ph->text);
	}
}

/* ---- punctuation -------------------------------------------------------- */

static bool is_stop(uint32_t cp)
{
	return cp == 0xFF0C /* ， */ || cp == 0x3002 /* 。 */ || cp == 0x3001 /* 、 */ ||
	       cp == 0xFF1B /* ； */ || cp == 0xFF1A /* ： */ || cp == 0xFF01 /* ！ */ ||
	       cp == 0xFF1F /* ？ */;
}

static bool is_half_width_target(uint32_t cp)
{
	return cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF1A || cp == 0xFF08 || cp == 0xFF09 ||
	       cp == 0xFF01 || cp == 0xFF1F;
}

static uint32_t closer_of(uint32_t cp)
{
	switch (cp) {
	case 0x300A: return 0x300B; /* 《 》 */
	case 0xFF08: return 0xFF09; /* （ ） */
	case 0x3010: return 0x3011; /* 【 】 */
	default: return 0;
	}
}

static bool is_closer(uint32_t cp)
{
	return cp == 0x300B || cp == 0xFF09 || cp == 0x3011;
}

/* A closing parenthesis that ends a label such as "1）" or "二）" at the
 * start of the paragraph or after a stop. */
static bool paren_label(const char *s, size_t i)
{
	size_t j = i, chars = 0;
	while (j > 0 && chars < 3) {
		size_t k = text_utf8_back(s, j - 1);
		uint32_t cp;
		text_utf8_next(s + k, j - k, &cp);
		if (!((cp >= '0' && cp <= '9') || text_cn_number_span(s + k, j - k) == j - k))
			break;
		j = k;
		chars++;
	}
	if (chars == 0)
		return false;
	uint32_t before = lint_cp_before(s, j);
	return j == 0 || is_stop(before) || before == ' ';
}

/* The source text around normalised bytes [a, b) of p: eight characters
 * either side, as written. */
static const char *context(struct lint_ctx *c, const struct doc_para *p, size_t a, size_t b)
{
	const char *s = p->text;
	for (int k = 0; k < 8 && a > 0; k++)
		a = text_utf8_back(s, a - 1);
	for (int k = 0; k < 8 && b < p->len; k++)
		b += (size_t)text_utf8_len((unsigned char)s[b]);
	struct doc_span sp = lint_para_span(c->d, p, a, b);
	return lint_shorten(c, c->d->src + sp.start, sp.end - sp.start, 60);
}

/* A place of half-width punctuation: normalised bytes [a, b) of p. */
struct half {
	const struct doc_para *p;
	size_t a, b;
	char ascii;             /* as written; '(' for a pair "()" */
};

/* An opening or closing mark of a pair, for the stack of a paragraph. */
struct open_mark {
	const struct doc_para *p;
	size_t at;
	uint32_t cp;
};

/* A quotation mark “ ” ‘ ’ of a paragraph, for quote_group. */
struct qmark {
	const struct doc_para *p;
	size_t at;
	uint32_t cp;
	bool matched;
};

struct punct_state {
	VEC(struct half) half;
	VEC(struct qmark) q;
	struct open_mark stack[64];
	int sp;
};

static void unpaired_open(struct lint_ctx *c, const struct open_mark *m)
{
	const char *s = m->p->text;
	lint_add(c, LINT_PUNCTUATION, LINT_ERROR, lint_para_span(c->d, m->p, m->at, m->at + 3),
		 lint_shorten(c, s + m->at, m->p->len - m->at, 12),
		 "“%.3s”没有配对的后一半：补上或删去", s + m->at);
}

static void unpaired_close(struct lint_ctx *c, const struct doc_para *p, size_t i, int l)
{
	const char *s = p->text;
	size_t from = i >= 30 ? text_utf8_back(s, i - 30) : 0;
	lint_add(c, LINT_PUNCTUATION, LINT_ERROR, lint_para_span(c->d, p, i, i + (size_t)l),
		 lint_shorten(c, s + from, i + (size_t)l - from, 12),
		 "“%.*s”没有与之配对的前一半：补上或删去", l, s + i);
}

static bool is_quote(uint32_t cp)
{
	return cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019;
}

/* Doubled stops, half-width marks (collected in st->half) and the pairs
 * 《》（）【】 of one paragraph; the stack of open pairs is carried over from
 * the paragraphs before it in its group, and the quotation marks are
 * collected in st->q for quote_group. */
static void punct_para(struct lint_ctx *c, const struct doc_para *p, struct punct_state *st)
{
	const struct doc *d = c->d;
	const char *s = p->text;
	size_t n = p->len;
	bool punct = lint_on(c, LINT_PUNCTUATION);
	size_t skip_to = 0;
	for (size_t i = 0; i < n;) {
		/* Chinese characters (lead bytes E4..E9) and ASCII are never
		 * punctuation of interest here: the engine made half-width marks
		 * in Chinese text full-width. */
		unsigned char lead = (unsigned char)s[i];
		if (lead < 0x80) {
			i++;
			continue;
		}
		if (lead >= 0xE4 && lead <= 0xE9 && i + 3 <= n) {
			i += 3;
			continue;
		}
		uint32_t cp;
		int l = text_utf8_next(s + i, n - i, &cp);
		if (is_quote(cp)) {
			/* An apostrophe between Latin letters is no quotation mark. */
			uint32_t b = lint_cp_before(s, i), a = lint_cp_at(s, n, i + (size_t)l);
			if (!(cp == 0x2019 && b < 0x80 && a < 0x80 && b > ' ' && a > ' '))
				*VEC_PUSH(st->q) = (struct qmark){p, i, cp, false};
			i += (size_t)l;
			continue;
		}
		if (!punct) {
			i += (size_t)l;
			continue;
		}
		/* Doubled stops. */
		if (is_stop(cp)) {
			size_t j = i + (size_t)l;
			uint32_t nx = lint_cp_at(s, n, j);
			if (is_stop(nx) && !((cp == 0xFF01 || cp == 0xFF1F) && (nx == 0xFF01 || nx == 0xFF1F))) {
				size_t e = j;
				bool same = true;
				while (e < n && is_stop(lint_cp_at(s, n, e))) {
					same = same && lint_cp_at(s, n, e) == cp;
					e += 3;
				}
				struct doc_span sp_ = lint_para_span(d, p, i, e);
				const char *run = lint_shorten(c, s + i, e - i, 12);
				const char *ctx = context(c, p, i, e);
				if (same && cp == 0x3002 && e - i >= 9)
					lint_add(c, LINT_PUNCTUATION, LINT_ERROR, sp_, ctx,
						 "用句号连写“%s”表示省略：省略号应写作“……”", run);
				else if (same)
					lint_add(c, LINT_PUNCTUATION, LINT_ERROR, sp_, ctx,
						 "标点重复“%s”：删去多余的标点", run);
				else
					lint_add(c, LINT_PUNCTUATION, LINT_ERROR, sp_, ctx,
						 "标点连用“%s”：只保留一个", run);
				i = e;
				continue;
			}
		}
		/* Half-width punctuation in Chinese text, as the source has it;
		 * a pair of half-width parentheses is one place. */
		if (i >= skip_to && is_half_width_target(cp) && (unsigned char)d->src[doc_para_src(p, i)] < 0x80) {
			char ascii = d->src[doc_para_src(p, i)];
			size_t end = i + 3;
			if (ascii == '(') {
				const char *close = memmem(s + i, n - i, "）", 3);
				size_t j = close ? (size_t)(close - s) : n;
				if (close && (unsigned char)d->src[doc_para_src(p, j)] == ')' &&
				    text_utf8_count(s + i, j - i) <= 40) {
					end = j + 3;
					skip_to = end;
				}
			}
			*VEC_PUSH(st->half) = (struct half){p, i, end, ascii};
		}
		/* Pairs. */
		if (closer_of(cp)) {
			if (st->sp < (int)ARRAY_LEN(st->stack))
				st->stack[st->sp] = (struct open_mark){p, i, cp};
			st->sp++;
		} else if (is_closer(cp) && !(cp == 0xFF09 && paren_label(s, i))) {
			int k = st->sp < (int)ARRAY_LEN(st->stack) ? st->sp : (int)ARRAY_LEN(st->stack);
			int m = k - 1;
			while (m >= 0 && closer_of(st->stack[m].cp) != cp)
				m--;
			if (m < 0) {
				unpaired_close(c, p, i, l);
			} else {
				/* Everything opened after the match is left unclosed. */
				for (int q = k - 1; q > m; q--)
					unpaired_open(c, &st->stack[q]);
				st->sp = m;
			}
		}
		i += (size_t)l;
	}
}

static struct doc_span qspan(struct lint_ctx *c, const struct qmark *m)
{
	return lint_para_span(c->d, m->p, m->at, m->at + 3);
}

/* The text from mark a to mark b (same paragraph), or from a on. */
static const char *qquote(struct lint_ctx *c, const struct qmark *a, const struct qmark *b)
{
	const char *s = a->p->text;
	size_t e = b && b->p == a->p ? b->at + 3 : a->p->len;
	return lint_shorten(c, s + a->at, e - a->at, 16);
}

/*
 * The quotation marks of a group of paragraphs, double and single apart.
 * Each kind is matched with a stack.  A closing mark with nothing open,
 * followed by an opening mark that nothing closes (”…“), is one reversed
 * pair; a double quote opened inside another (“…“…”…”) should have been
 * single.  Both are quote-nesting, as are single quotes that do not pair
 * up; double quotes that do not pair up are punctuation, as the other
 * pairs are.
 */
static void quote_group(struct lint_ctx *c, struct qmark *q, size_t n)
{
	bool nesting = lint_on(c, LINT_QUOTE_NESTING), punct = lint_on(c, LINT_PUNCTUATION);
	for (int single = 0; single < 2; single++) {
		uint32_t open = single ? 0x2018 : 0x201C, close = single ? 0x2019 : 0x201D;
		size_t stack[64];
		int sp = 0;
		for (size_t i = 0; i < n; i++) {
			if (q[i].cp == open) {
				if (sp > 0 && !single && nesting && sp <= (int)ARRAY_LEN(stack)) {
					/* Find its closer: the next unmatched ” at this depth. */
					int depth = 0;
					size_t k = i + 1;
					for (; k < n; k++) {
						if (q[k].cp == open)
							depth++;
						else if (q[k].cp == close && depth-- == 0)
							break;
					}
					/* Nested only when the outer one closes too. */
					int outer = 0;
					for (size_t j = k + 1; k < n && j < n; j++)
						if (q[j].cp == close)
							outer = 1;
					if (k < n && outer)
						lint_add(c, LINT_QUOTE_NESTING, LINT_WARNING, qspan(c, &q[i]),
							 qquote(c, &q[i], &q[k]),
							 "双引号里又用了双引号：内层引号应改为单引号‘’");
				}
				if (sp < (int)ARRAY_LEN(stack))
					stack[sp] = i;
				sp++;
			} else if (q[i].cp == close) {
				if (sp > 0) {
					sp--;
					if (sp < (int)ARRAY_LEN(stack))
						q[stack[sp]].matched = q[i].matched = true;
				}
			}
		}
		/* What is left: reversed pairs, then lone marks. */
		for (size_t i = 0; i < n; i++) {
			if (q[i].matched || (q[i].cp != open && q[i].cp != close))
				continue;
			size_t j = i + 1;
			while (j < n && q[j].cp != open && q[j].cp != close)
				j++;
			if (q[i].cp == close && j < n && q[j].cp == open && !q[j].matched && nesting) {
				q[i].matched = q[j].matched = true;
				lint_add(c, LINT_QUOTE_NESTING, LINT_ERROR, qspan(c, &q[i]), qquote(c, &q[i], &q[j]),
					 single ? "单引号方向反了（’…‘）：前一个应为‘，后一个应为’"
						: "引号方向反了（”…“）：前一个应为“，后一个应为”");
				continue;
			}
			q[i].matched = true;
			if (single && nesting) {
				if (q[i].cp == open)
					lint_add(c, LINT_QUOTE_NESTING, LINT_ERROR, qspan(c, &q[i]), qquote(c, &q[i], NULL),
						 "单引号“‘”没有配对的“’”：补上或删去");
				else
					lint_add(c, LINT_QUOTE_NESTING, LINT_ERROR, qspan(c, &q[i]),
						 context(c, q[i].p, q[i].at, q[i].at + 3),
						 "单引号“’”没有与之配对的“‘”：补上或删去");
			} else if (!single && punct) {
				if (q[i].cp == open)
					unpaired_open(c, &(struct open_mark){q[i].p, q[i].at, open});
				else
					unpaired_close(c, q[i].p, q[i].at, 3);
			}
		}
	}
}

/* Does paragraph b continue paragraph a: the next line, with a that does
 * not end a sentence (a hard-wrapped paragraph the engine left apart)? */
static bool continues(const struct doc *d, const struct doc_para *a, const struct doc_para *b)
{
	if (a->len == 0 || b->span.start < a->span.end)
		return false;
	int nl = 0;
	for (uint32_t k = a->span.end; k < b->span.start; k++) {
		char ch = d->src[k];
		if (ch == '\n')
			nl++;
		else if (ch != ' ' && ch != '\t' && ch != '\r')
			return false;
	}
	if (nl != 1)
		return false;
	uint32_t last = lint_cp_before(a->text, a->len);
	return !(is_stop(last) || is_closer(last) || last == 0x201D || last == 0x2026 /* … */);
}

/* The half-width places: each when verbose; one for the whole report when
 * pervasive; else one per paragraph, at its first place, with the count. */
static void report_half(struct lint_ctx *c, const struct punct_state *st)
{
	size_t n = st->half.n, paras = 0;
	for (size_t i = 0; i < n; i++)
		paras += i == 0 || st->half.v[i].p != st->half.v[i - 1].p;
	bool verbose = c->o && c->o->verbose;
	bool pervasive = n >= LINT_HALF_WIDTH_PERVASIVE && paras >= LINT_HALF_WIDTH_PERVASIVE_PARAS;
	for (size_t i = 0; i < n;) {
		const struct half *h = &st->half.v[i];
		size_t j = i + 1;
		if (!verbose)
			while (j < n && (pervasive || st->half.v[j].p == h->p))
				j++;
		const char *quote = context(c, h->p, h->a, h->b);
		struct doc_span sp = lint_para_span(c->d, h->p, h->a, h->b);
		char what[64];
		if (h->b > h->a + 3)
			snprintf(what, sizeof what, "“()”，应为全角“（）”");
		else
			snprintf(what, sizeof what, "“%c”，应为全角“%.3s”", h->ascii, h->p->text + h->a);
		if (j - i == 1)
			lint_add(c, LINT_PUNCTUATION, LINT_WARNING, sp, quote, "中文里用了半角标点%s", what);
		else if (pervasive && !verbose)
			lint_add(c, LINT_PUNCTUATION, LINT_WARNING, sp, quote,
				 "全文 %zu 处半角标点，分布在 %zu 段（第一处%s）：中文里应统一用全角标点，"
				 "可整篇替换；rectify lint --verbose 逐处列出",
				 n, paras, what);
		else
			lint_add(c, LINT_PUNCTUATION, LINT_WARNING, sp, quote,
				 "本段 %zu 处半角标点（第一处%s）：中文里应统一用全角标点", j - i, what);
		i = j;
	}
}

void lint_rule_punctuation(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	struct punct_state st = {0};
	for (size_t i = 0; i < d->n_paras;) {
		/* A group: a paragraph and the hard-wrapped lines that continue it. */
		size_t j = i + 1;
		while (j < d->n_paras && continues(d, &d->paras[j - 1], &d->paras[j]))
			j++;
		st.sp = 0;
		st.q.n = 0;
		for (size_t k = i; k < j; k++)
			punct_para(c, &d->paras[k], &st);
		if (lint_on(c, LINT_PUNCTUATION)) {
			int k = st.sp < (int)ARRAY_LEN(st.stack) ? st.sp : (int)ARRAY_LEN(st.stack);
			for (int q = 0; q < k; q++)
				unpaired_open(c, &st.stack[q]);
		}
		quote_group(c, st.q.v, st.q.n);
		i = j;
	}
	if (lint_on(c, LINT_PUNCTUATION))
		report_half(c, &st);
	VEC_FREE(st.half);
	VEC_FREE(st.q);
}

/* ---- the term table ------------------------------------------------------ */

enum { TERM_MAX_CHARS = 32 };

struct term {
	const char *s;          /* UTF-8, borrowed from the embedded list */
	size_t len;
	uint32_t cp[TERM_MAX_CHARS];
	int m, h;
	bool variant;           /* accepted variant: matched exactly, never near-missed */
	bool numbered;          /* 两个维护, 四个意识: short, a numeral and 个 open it */
};

struct half_ref {
	uint64_t key;           /* the half's first two characters */
	uint32_t term;
	uint8_t off;            /* 0: the first half; h: the second */
};

static struct {
	struct term *t;
	size_t n;
	struct half_ref *refs;  /* sorted by key */
	size_t n_refs;
	uint32_t (*conf)[2];
	size_t n_conf;
	/* Filters on a character: may a term (first) or a half (any) start
	 * with it?  Bit (cp % 8192).  And on a character pair: may a term start
	 * with it?  Bit pair_bit(key). */
	uint64_t first[128], any[128];
	uint64_t pairs[1024];
} tab;

static inline unsigned pair_bit(uint64_t key)
{
	return (unsigned)((key * 0x9E3779B97F4A7C15ull) >> 48);
}

static inline bool bit(const uint64_t *set, uint32_t cp)
{
	cp %= 8192;
	return set[cp / 64] >> (cp % 64) & 1;
}

static inline void set_bit(uint64_t *set, uint32_t cp)
{
	cp %= 8192;
	set[cp / 64] |= 1ull << (cp % 64);
}

static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static int ref_cmp(const void *a, const void *b)
{
	const struct half_ref *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

typedef VEC(struct term) term_vec;

static void load_list(const char *list, bool variant, term_vec *out)
{
	const struct wordlist *wl = doc_words(list);
	for (size_t k = 0; wl && k < wl->n; k++) {
		struct term t = {.s = wl->w[k], .len = wl->len[k], .variant = variant};
		bool ok = true;
		for (size_t i = 0; i < t.len && ok;) {
			uint32_t cp;
			i += (size_t)text_utf8_next(t.s + i, t.len - i, &cp);
			if (t.m == TERM_MAX_CHARS || !text_is_han(cp))
				ok = false;
			else
				t.cp[t.m++] = cp;
		}
		if (!ok || t.m < 4) {
			log_warn("%s: entry %.*s ignored (4 to %d Chinese characters)", list, (int)t.len,
				 t.s, TERM_MAX_CHARS);
			continue;
		}
		t.h = t.m / 2;
		t.numbered = t.m <= 5 && t.cp[1] == 0x4E2A /* 个 */ &&
			     text_cn_number_span(t.s, t.len) == 3;
		*VEC_PUSH(*out) = t;
	}
}

static void tab_load(void)
{
	term_vec terms = {0};
	load_list("data/formulations.txt#terms", false, &terms);
	load_list("data/formulations.txt#variants", true, &terms);
	tab.t = terms.v;
	tab.n = terms.n;
	tab.refs = xcalloc(tab.n * 2 + 1, sizeof *tab.refs);
	for (size_t i = 0; i < tab.n; i++) {
		const struct term *t = &tab.t[i];
		tab.refs[tab.n_refs++] =
			(struct half_ref){lint_gram_key(t->cp[0], t->cp[1]), (uint32_t)i, 0};
		if (!t->variant)
			tab.refs[tab.n_refs++] = (struct half_ref){
				lint_gram_key(t->cp[t->h], t->cp[t->h + 1]), (uint32_t)i, (uint8_t)t->h};
	}
	qsort(tab.refs, tab.n_refs, sizeof *tab.refs, ref_cmp);
	for (size_t i = 0; i < tab.n; i++) {
		unsigned pb = pair_bit(lint_gram_key(tab.t[i].cp[0], tab.t[i].cp[1]));
		tab.pairs[pb / 64] |= 1ull << (pb % 64);
		set_bit(tab.first, tab.t[i].cp[0]);
		set_bit(tab.any, tab.t[i].cp[0]);
		set_bit(tab.any, tab.t[i].cp[tab.t[i].h]);
	}
	const struct wordlist *cf = doc_words("data/formulations.txt#confusables");
	tab.conf = xcalloc(cf && cf->n ? cf->n : 1, sizeof *tab.conf);
	for (size_t k = 0; cf && k < cf->n; k++) {
		uint32_t a, b;
		int la = text_utf8_next(cf->w[k], cf->len[k], &a);
		if ((size_t)la >= cf->len[k])
			continue;
		text_utf8_next(cf->w[k] + la, cf->len[k] - (size_t)la, &b);
		tab.conf[tab.n_conf][0] = a;
		tab.conf[tab.n_conf][1] = b;
		tab.n_conf++;
	}
}

static void tab_init(void)
{
	pthread_once(&tab_once, tab_load);
}

/* The range of refs whose key is key: [*lo, return). */
static size_t refs_for(uint64_t key, size_t *lo)
{
	size_t a = 0, b = tab.n_refs;
	while (a < b) {
		size_t mid = (a + b) / 2;
		if (tab.refs[mid].key < key)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (b < tab.n_refs && tab.refs[b].key == key)
		b++;
	return a < tab.n_refs && tab.refs[a].key == key ? b : a;
}

size_t lint_term_at(const char *s, size_t n, size_t i)
{
	tab_init();
	if (i + 6 > n || (unsigned char)s[i] < 0xE0)
		return 0;
	uint32_t a, b;
	int la = text_utf8_next(s + i, n - i, &a);
	if (!bit(tab.first, a))
		return 0;
	text_utf8_next(s + i + la, n - i - (size_t)la, &b);
	unsigned pb = pair_bit(lint_gram_key(a, b));
	if (!(tab.pairs[pb / 64] >> (pb % 64) & 1))
		return 0;
	size_t lo, hi = refs_for(lint_gram_key(a, b), &lo), best = 0;
	for (size_t k = lo; k < hi; k++) {
		const struct term *t = &tab.t[tab.refs[k].term];
		if (tab.refs[k].off == 0 && t->len > best && i + t->len <= n &&
		    memcmp(s + i, t->s, t->len) == 0)
			best = t->len;
	}
	return best;
}

static bool confusable(uint32_t a, uint32_t b)
{
	for (size_t k = 0; k < tab.n_conf; k++)
		if ((tab.conf[k][0] == a && tab.conf[k][1] == b) ||
		    (tab.conf[k][0] == b && tab.conf[k][1] == a))
			return true;
	return false;
}

/* ---- formulation --------------------------------------------------------- */

enum edit { EDIT_NONE, EDIT_SUB, EDIT_DEL, EDIT_INS };

/* Is w[0..wl) one edit from t? Sets *pos (index in t; for an insertion, the
 * index in w of the added character). */
static enum edit one_edit(const uint32_t *w, int wl, const struct term *t, int *pos)
{
	int m = t->m, k = 0;
	int lim = wl < m ? wl : m;
	while (k < lim && w[k] == t->cp[k])
		k++;
	if (wl == m) {
		if (k == m)
			return EDIT_NONE;
		for (int j = k + 1; j < m; j++)
			if (w[j] != t->cp[j])
				return EDIT_NONE;
		*pos = k;
		return EDIT_SUB;
	}
	if (wl == m - 1) {
		for (int j = k; j < wl; j++)
			if (w[j] != t->cp[j + 1])
				return EDIT_NONE;
		*pos = k;
		return EDIT_DEL;
	}
	if (wl == m + 1) {
		for (int j = k; j < m; j++)
			if (w[j + 1] != t->cp[j])
				return EDIT_NONE;
		*pos = k;
		return EDIT_INS;
	}
	return EDIT_NONE;
}

/* A near-miss found in a paragraph, before overlaps are resolved. */
struct cand {
	size_t ws;
	int wl;
	const struct term *t;
	enum edit e;
	int pos;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->ws != y->ws)
		return x->ws < y->ws ? -1 : 1;
	if (x->t->m != y->t->m)
		return x->t->m > y->t->m ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

/* An exact occurrence of a term or variant: characters [at, at + m). */
struct occ {
	size_t at;
	int m;
};

struct para_cps {
	uint32_t *cp;
	size_t *off;            /* byte offset in the paragraph text; off[n] = len */
	size_t n, cap;
	VEC(struct occ) occ;    /* exact occurrences, by start */
	VEC(struct cand) cand;  /* near-misses */
};

static bool half_matches(const struct para_cps *pc, size_t i, const struct term *t, int off)
{
	int hl = off == 0 ? t->h : t->m - t->h;
	if (i + (size_t)hl > pc->n)
		return false;
	for (int k = 0; k < hl; k++)
		if (pc->cp[i + (size_t)k] != t->cp[off + k])
			return false;
	return true;
}

static void report_near(struct lint_ctx *c, const struct doc_para *p, const struct para_cps *pc,
			size_t ws, int wl, const struct term *t, enum edit e, int pos)
{
	const char *s = p->text;
	size_t a = pc->off[ws], b = pc->off[ws + (size_t)wl];
	char ch[8] = {0}, was[8] = {0};
	struct doc_span span = lint_para_span(c->d, p, a, b);
	char *found = arena_strndup(&c->r->arena, s + a, b - a);
	switch (e) {
	case EDIT_SUB:
		text_utf8_put(pc->cp[ws + (size_t)pos], was);
		text_utf8_put(t->cp[pos], ch);
		lint_add(c, LINT_FORMULATION, LINT_ERROR, span, found,
			 "“%s”疑为规范提法“%.*s”之误：“%s”应为“%s”", found, (int)t->len, t->s, was,
			 ch);
		break;
	case EDIT_DEL:
		text_utf8_put(t->cp[pos], ch);
		lint_add(c, LINT_FORMULATION, LINT_ERROR, span, found,
			 "“%s”疑为规范提法“%.*s”之误：漏了“%s”", found, (int)t->len, t->s, ch);
		break;
	case EDIT_INS:
		text_utf8_put(pc->cp[ws + (size_t)pos], ch);
		lint_add(c, LINT_FORMULATION, LINT_ERROR, span, found,
			 "“%s”疑为规范提法“%.*s”之误：多了“%s”", found, (int)t->len, t->s, ch);
		break;
	case EDIT_NONE:
		break;
	}
}

static bool quoted(const struct para_cps *pc, size_t ws, size_t we)
{
	if (ws == 0 || we >= pc->n)
		return false;
	uint32_t a = pc->cp[ws - 1], b = pc->cp[we];
	return (a == 0x201C && b == 0x201D) || (a == 0x300A && b == 0x300B) ||
	       (a == 0x2018 && b == 0x2019) || (a == 0x300C && b == 0x300D);
}

/* Try window [ws, ws + wl) against t; true (and *cand filled) when it is
 * a near-miss to report. */
static bool try_window(const struct para_cps *pc, long ws, int wl, const struct term *t,
		       struct cand *cand)
{
	if (ws < 0 || (size_t)ws + (size_t)wl > pc->n)
		return false;
	const uint32_t *w = pc->cp + ws;
	int pos = 0;
	enum edit e = one_edit(w, wl, t, &pos);
	if (e == EDIT_NONE)
		return false;
	if (e == EDIT_DEL && (pos == 0 || pos == t->m - 1))
		return false;
	if (e == EDIT_INS && (pos == 0 || pos == t->m))
		return false;
	for (int k = 0; k < wl; k++)
		if (!text_is_han(w[k]))
			return false;
	/* Part of a correct term: an exact occurrence that reaches outside the
	 * window, or is no shorter than t.  (One strictly inside and shorter
	 * is a term that t contains: 全面从严治党 in 全面从严治党主体责任.) */
	size_t we = (size_t)ws + (size_t)wl;
	size_t lo = 0, hi = pc->occ.n, from = (size_t)ws > TERM_MAX_CHARS ? (size_t)ws - TERM_MAX_CHARS : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pc->occ.v[mid].at < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < pc->occ.n && pc->occ.v[k].at < we; k++) {
		const struct occ *o = &pc->occ.v[k];
		if (o->at + (size_t)o->m <= (size_t)ws)
			continue;
		if (o->at < (size_t)ws || o->at + (size_t)o->m > we || o->m >= t->m)
			return false;
	}
	bool conf = e == EDIT_SUB && confusable(w[pos], t->cp[pos]);
	/* Numbered slogans are many (两个确保 beside 两个确立): a changed
	 * character in 两个维护 / 四个意识 counts only when it is a confusable. */
	if (t->numbered && e == EDIT_SUB && !conf)
		return false;
	if (t->m <= 5 && !conf && !quoted(pc, (size_t)ws, (size_t)ws + (size_t)wl))
		return false;
	*cand = (struct cand){(size_t)ws, wl, t, e, pos};
	return true;
}

static void formulation_para(struct lint_ctx *c, const struct doc_para *p, struct para_cps *pc)
{
	const char *s = p->text;
	size_t n = p->len;
	pc->n = 0;
	pc->occ.n = 0;
	for (size_t i = 0; i < n;) {
		if (pc->n + 2 > pc->cap) {
			pc->cap = pc->cap ? pc->cap * 2 : 256;
			pc->cp = xreallocarray(pc->cp, pc->cap, sizeof *pc->cp);
			pc->off = xreallocarray(pc->off, pc->cap, sizeof *pc->off);
		}
		pc->off[pc->n] = i;
		i += (size_t)text_utf8_next(s + i, n - i, &pc->cp[pc->n]);
		pc->n++;
	}
	if (pc->n < 3)
		return;
	pc->off[pc->n] = n;
	/* Exact occurrences of terms and variants. */
	for (size_t i = 0; i + 1 < pc->n; i++) {
		if (!bit(tab.first, pc->cp[i]) || !text_is_han(pc->cp[i]))
			continue;
		size_t lo, hi = refs_for(lint_gram_key(pc->cp[i], pc->cp[i + 1]), &lo);
		for (size_t k = lo; k < hi; k++) {
			const struct term *t = &tab.t[tab.refs[k].term];
			if (tab.refs[k].off != 0 || i + (size_t)t->m > pc->n ||
			    memcmp(pc->cp + i, t->cp, (size_t)t->m * sizeof *t->cp) != 0)
				continue;
			struct occ *o = VEC_PUSH(pc->occ);
			o->at = i;
			o->m = t->m;
		}
	}
	/* Near-misses. */
	pc->cand.n = 0;
	for (size_t i = 0; i + 1 < pc->n; i++) {
		if (!bit(tab.any, pc->cp[i]) || !text_is_han(pc->cp[i]))
			continue;
		size_t lo, hi = refs_for(lint_gram_key(pc->cp[i], pc->cp[i + 1]), &lo);
		for (size_t k = lo; k < hi; k++) {
			const struct term *t = &tab.t[tab.refs[k].term];
			int off = tab.refs[k].off;
			if (t->variant || !half_matches(pc, i, t, off))
				continue;
			/* Of the windows that work, the one whose ends are the
			 * term's ends (中央八项规定精精神 is 精 added, not 神
			 * replaced), then the one of the term's length. */
			struct cand best = {0}, cd;
			int best_rank = -1;
			for (int dl = -1; dl <= 1; dl++) {
				int wl = t->m + dl;
				long ws = off == 0 ? (long)i : (long)i + (t->m - t->h) - wl;
				if (!try_window(pc, ws, wl, t, &cd))
					continue;
				int rank = (pc->cp[cd.ws] == t->cp[0]) +
					   (pc->cp[cd.ws + (size_t)wl - 1] == t->cp[t->m - 1]);
				rank = rank * 2 + (dl == 0);
				if (rank > best_rank) {
					best_rank = rank;
					best = cd;
				}
			}
			if (best_rank >= 0)
				*VEC_PUSH(pc->cand) = best;
		}
	}
	if (pc->cand.n == 0)
		return;
	/* Overlapping near-misses: the longest term wins (马克思宁主义 is
	 * 马克思列宁主义 short of a character, not 马克思主义 with one more). */
	qsort(pc->cand.v, pc->cand.n, sizeof *pc->cand.v, cand_cmp);
	for (size_t i = 0; i < pc->cand.n;) {
		size_t best = i, end = pc->cand.v[i].ws + (size_t)pc->cand.v[i].wl, j = i + 1;
		for (; j < pc->cand.n && pc->cand.v[j].ws < end; j++) {
			const struct cand *x = &pc->cand.v[j];
			if (x->t->m > pc->cand.v[best].t->m)
				best = j;
			if (x->ws + (size_t)x->wl > end)
				end = x->ws + (size_t)x->wl;
		}
		const struct cand *b = &pc->cand.v[best];
		report_near(c, p, pc, b->ws, b->wl, b->t, b->e, b->pos);
		i = j;
	}
}

void lint_rule_formulation(struct lint_ctx *c)
{
	tab_init();
	struct para_cps pc = {0};
	for (size_t i = 0; i < c->d->n_paras; i++)
		formulation_para(c, &c->d->paras[i], &pc);
	free(pc.cp);
	free(pc.off);
	VEC_FREE(pc.occ);
	VEC_FREE(pc.cand);
}
