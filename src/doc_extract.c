/*
 * doc_extract.c -- stage 3 of the document engine: what the ledger needs
 * from running text.
 *
 *   examples      比如/例如/特别是 … to the end of the sentence, per item;
 *   commitments   a minimum count (不少于N次, 至少N次, N次以上, or 每月N次),
 *                 with its period (the nearest period word before the number
 *                 in the sentence), whether it binds each member, and its
 *                 subject (the noun after 次的…, else the phrase after the
 *                 last verb before the number);
 *   deadlines     dates (2022年6月底前, 6月底前, 年底前, 上半年, 第一季度)
 *                 resolved against the report's year, and the phrases of
 *                 data/deadlines.txt (长期坚持, 立行立改 …);
 *   placeholders  x/X/XX/××/"**", 某某, □ and empty brackets next to Chinese
 *                 text, never inside a Latin word.
 *
 * Commitments and deadlines are taken from sections that are not problems
 * or causes (a problem that "每月调研不足3次" promises nothing).  All word
 * lists live in data/.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"

/* First characters that may start something a scanner looks for: a
 * filter by wordlist_hash() so that most characters cost one bit test. */
struct trigger {
	uint64_t b[64];
};

static void trigger_add_chars(struct trigger *t, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i += (size_t)text_utf8_len((unsigned char)s[i])) {
		unsigned h = wordlist_hash(s + i, n - i);
		t->b[h >> 6] |= 1ull << (h & 63);
	}
}

static void trigger_add_list(struct trigger *t, const struct wordlist *wl)
{
	for (size_t k = 0; k < 64; k++)
		t->b[k] |= wl->first[k];
}

#define TRIGGER(t, h) (((t)->b[(h) >> 6] >> ((h) & 63)) & 1)

static inline int triggered(const struct trigger *t, const char *p, size_t n)
{
	unsigned h = wordlist_hash(p, n);
	return (t->b[h >> 6] >> (h & 63)) & 1;
}

#define DIGITS "0123456789"
#define CN_DIGITS "零〇一二两三四五六七八九十百千"

/* The word lists this file uses, loaded once. */
static struct {
	const struct wordlist *examples, *verbs, *quals, *fillers, *units, *member, *ongoing,
		*immediate, *placeholders, *mask_after, *period[DOC_PERIOD__MAX];
	struct trigger t_example, t_place, t_deadline, t_count, t_period;
} W;
static pthread_once_t W_once = PTHREAD_ONCE_INIT;

static void load_words(void)
{
	W.examples = doc_words("data/examples.txt");
	W.verbs = doc_words("data/commitments.txt#verbs");
	W.quals = doc_words("data/commitments.txt#qualifiers");
	W.fillers = doc_words("data/commitments.txt#fillers");
	W.units = doc_words("data/commitments.txt#units");
	W.member = doc_words("data/commitments.txt#member");
	W.ongoing = doc_words("data/deadlines.txt#ongoing");
	W.immediate = doc_words("data/deadlines.txt#immediate");
	W.placeholders = doc_words("data/placeholders.txt#tokens");
	W.mask_after = doc_words("data/placeholders.txt#mask-after");
	W.period[DOC_PERIOD_HALF] = doc_words("data/commitments.txt#period-half");
	W.period[DOC_PERIOD_QUARTER] = doc_words("data/commitments.txt#period-quarter");
	W.period[DOC_PERIOD_MONTH] = doc_words("data/commitments.txt#period-month");
	W.period[DOC_PERIOD_WEEK] = doc_words("data/commitments.txt#period-week");
	W.period[DOC_PERIOD_YEAR] = doc_words("data/commitments.txt#period-year");
	trigger_add_list(&W.t_example, W.examples);
	trigger_add_chars(&W.t_example, "如");
	trigger_add_list(&W.t_place, W.placeholders);
	trigger_add_chars(&W.t_place, "xX×*_([（【〔《");
	trigger_add_list(&W.t_deadline, W.ongoing);
	trigger_add_list(&W.t_deadline, W.immediate);
	trigger_add_chars(&W.t_deadline, DIGITS CN_DIGITS "今本明年上下第");
	trigger_add_chars(&W.t_count, DIGITS CN_DIGITS);
	for (int p = 0; p < DOC_PERIOD_NONE; p++)
		trigger_add_list(&W.t_period, W.period[p]);
}

static const char *const period_names[DOC_PERIOD__MAX] = {"year", "half", "quarter", "month",
							  "week", "none"};
static const char *const per_names[DOC_PER__MAX] = {"team", "member"};
static const char *const dl_names[DOC_DEADLINE__MAX] = {"date", "ongoing", "immediate"};

const char *doc_period_name(enum doc_period p)
{
	return (unsigned)p < DOC_PERIOD__MAX ? period_names[p] : "none";
}
const char *doc_per_name(enum doc_per p)
{
	return (unsigned)p < DOC_PER__MAX ? per_names[p] : "team";
}
const char *doc_deadline_kind_name(enum doc_deadline_kind k)
{
	return (unsigned)k < DOC_DEADLINE__MAX ? dl_names[k] : "date";
}

#define at(s, n, i, lit) AT(s, n, i, lit)

/* Word from list wl at s[i..n), longest first is the list's job; returns
 * its length or 0. */
static size_t word_at(const struct wordlist *wl, const char *s, size_t n, size_t i)
{
	if (!wl || i >= n || !wordlist_may_start(wl, s + i, n - i))
		return 0;
	for (size_t k = 0; k < wl->n; k++)
		if (i + wl->len[k] <= n && memcmp(s + i, wl->w[k], wl->len[k]) == 0)
			return wl->len[k];
	return 0;
}

static int is_punct_before(const char *s, size_t i)
{
	static const char *const p[] = {"。", "，", "；", "：", "！", "？", "、", "（", "“"};
	if (i == 0 || s[i - 1] == '\n')
		return 1;
	for (size_t k = 0; k < ARRAY_LEN(p); k++)
		if (i >= 3 && memcmp(s + i - 3, p[k], 3) == 0)
			return 1;
	return 0;
}

/* End (exclusive) of the sentence containing s[i]: after its 。！？ or at a
 * line break. */
static size_t sentence_end(const char *s, size_t n, size_t i)
{
	while (i < n) {
		if (s[i] == '\n')
			return i;
		if (at(s, n, i, "。") || at(s, n, i, "！") || at(s, n, i, "？"))
			return i + 3;
		i += (size_t)text_utf8_len((unsigned char)s[i]);
	}
	return n;
}

/* ---- examples ------------------------------------------------------- */

/* Characters after 如 that make an ordinary word rather than an example. */
static int ordinary_ru(const char *s, size_t n, size_t i)
{
	static const char *const next[] = {"果", "何", "实", "期", "下", "此", "同", "今", "若",
					   "数", "约", "常", "意", "愿", "是", "上", "前", "一"};
	for (size_t k = 0; k < ARRAY_LEN(next); k++)
		if (at_(s, n, i, next[k], strlen(next[k])))
			return 1;
	return 0;
}

void doc_extract_examples(struct doc *d, struct doc_item *it, const struct seg_view *t,
			  size_t text_off)
{
	pthread_once(&W_once, load_words);
	const struct wordlist *wl = W.examples;
	const char *s = t->p;
	size_t n = t->len;
	VEC(struct doc_example) ex = {0};
	for (size_t i = text_off; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t mlen = 0;
		if (c >= 0xE0 && triggered(&W.t_example, s + i, n - i)) {
			mlen = word_at(wl, s, n, i);
			if (!mlen && at(s, n, i, "如") && !ordinary_ru(s, n, i + 3))
				mlen = 3;
			if (mlen && !is_punct_before(s, i))
				mlen = 0;
		}
		if (!mlen) {
			i += (size_t)text_utf8_len(c);
			continue;
		}
		size_t end = sentence_end(s, n, i + mlen);
		struct doc_example *e = VEC_PUSH(ex);
		e->text = arena_strndup(&d->arena, s + i, end - i);
		e->span = doc_seg_span(d, t, i, end);
		i = end;
	}
	it->examples = arena_alloc(&d->arena, (ex.n ? ex.n : 1) * sizeof *it->examples);
	if (ex.n)
		memcpy(it->examples, ex.v, ex.n * sizeof *ex.v);
	it->n_examples = ex.n;
	VEC_FREE(ex);
}

/* ---- numbers ---------------------------------------------------------- */

/* A count at s[i]: ASCII digits or a Chinese numeral (一 … 九十九, 两).
 * Returns its byte length and sets *v, or 0. */
static size_t number_at(const char *s, size_t n, size_t i, int *v)
{
	size_t k = i;
	while (k < n && s[k] >= '0' && s[k] <= '9' && k - i < 5)
		k++;
	if (k > i) {
		if (k < n && s[k] >= '0' && s[k] <= '9')
			return 0;
		*v = atoi(s + i);
		return k - i;
	}
	size_t cn = text_cn_number_span(s + i, n - i);
	if (cn == 0 || cn > 9)
		return 0;
	int x = text_cn_number(s + i, cn);
	if (x <= 0)
		return 0;
	*v = x;
	return cn;
}

/* ---- commitments ------------------------------------------------------ */

static size_t clause_start(const char *s, size_t i)
{
	while (i > 0) {
		size_t j = text_utf8_back(s, i - 1);
		if (s[j] == '\n' || at(s, i, j, "，") || at(s, i, j, "。") || at(s, i, j, "；") ||
		    at(s, i, j, "：") || at(s, i, j, "！") || at(s, i, j, "？"))
			return i;
		i = j;
	}
	return 0;
}

static size_t clause_end(const char *s, size_t n, size_t i)
{
	while (i < n) {
		if (s[i] == '\n' || at(s, n, i, "，") || at(s, n, i, "。") || at(s, n, i, "；") ||
		    at(s, n, i, "！") || at(s, n, i, "？"))
			return i;
		i += (size_t)text_utf8_len((unsigned char)s[i]);
	}
	return n;
}

static size_t sentence_start(const char *s, size_t i)
{
	while (i > 0) {
		size_t j = text_utf8_back(s, i - 1);
		if (s[j] == '\n' || at(s, i, j, "。") || at(s, i, j, "；") || at(s, i, j, "！") ||
		    at(s, i, j, "？"))
			return i;
		i = j;
	}
	return 0;
}

/* The period word nearest before s[i] in the text from `from`. */
static enum doc_period find_period(const char *s, size_t from, size_t i)
{
	enum doc_period best = DOC_PERIOD_NONE;
	for (size_t k = from; k < i;) {
		size_t len = 0;
		if (!triggered(&W.t_period, s + k, i - k)) {
			k += (size_t)text_utf8_len((unsigned char)s[k]);
			continue;
		}
		for (int p = 0; p < DOC_PERIOD_NONE && !len; p++)
			if ((len = word_at(W.period[p], s, i, k)) > 0)
				best = (enum doc_period)p;
		k += len ? len : (size_t)text_utf8_len((unsigned char)s[k]);
	}
	return best;
}

static int has_word(const struct wordlist *wl, const char *s, size_t a, size_t b)
{
	for (size_t k = a; k < b; k += (size_t)text_utf8_len((unsigned char)s[k]))
		if (word_at(wl, s, b, k))
			return 1;
	return 0;
}

static size_t trim_punct_end(const char *s, size_t a, size_t b)
{
	while (b > a) {
		size_t j = text_utf8_back(s, b - 1);
		uint32_t cp;
		text_utf8_next(s + j, b - j, &cp);
		if (!text_is_cjk_punct(cp) && cp != ' ')
			break;
		b = j;
	}
	return b;
}

/* Subject of a commitment whose count is s[num..unit_end). */
static char *find_subject(struct doc *d, const char *s, size_t n, size_t cstart, size_t num,
			  size_t unit_end)
{
	size_t i = unit_end;
	if (at(s, n, i, "以上"))
		i += 6;
	if (at(s, n, i, "的"))
		i += 3;
	uint32_t cp = 0;
	if (i < n)
		text_utf8_next(s + i, n - i, &cp);
	if (text_is_han(cp)) {
		size_t e = clause_end(s, n, i);
		if (e - i > 60)
			e = text_utf8_back(s, i + 60);
		e = trim_punct_end(s, i, e);
		if (e > i)
			return arena_strndup(&d->arena, s + i, e - i);
	}
	/* Before the number: after the last verb of the clause. */
	const struct wordlist *verbs = W.verbs;
	const struct wordlist *quals = W.quals;
	size_t best = cstart;
	for (size_t k = cstart; k < num;) {
		size_t l = word_at(verbs, s, num, k);
		if (l)
			best = k + l;
		k += l ? l : (size_t)text_utf8_len((unsigned char)s[k]);
	}
	size_t e = num;
	/* Drop a qualifier just before the number (不少于, 至少). */
	for (size_t w = 0; quals && w < quals->n; w++)
		if (e >= best + quals->len[w] && memcmp(s + e - quals->len[w], quals->w[w], quals->len[w]) == 0)
			e -= quals->len[w];
	e = trim_punct_end(s, best, e);
	/* Trim fillers (其中, 每年, 班子成员 …) from both ends. */
	const struct wordlist *fill = W.fillers;
	for (int again = 1; again && e > best;) {
		again = 0;
		for (size_t w = 0; fill && w < fill->n; w++) {
			size_t l = fill->len[w];
			if (e - best > l && memcmp(s + best, fill->w[w], l) == 0) {
				best += l;
				again = 1;
			}
			if (e - best > l && memcmp(s + e - l, fill->w[w], l) == 0) {
				e -= l;
				again = 1;
			}
		}
	}
	if (e <= best)
		return arena_strdup(&d->arena, "");
	return arena_strndup(&d->arena, s + best, e - best);
}

typedef VEC(struct doc_commitment) commit_vec;

/* A commitment whose count starts at s[i] of paragraph p, appended to out.
 * Returns the bytes to skip: the count and its unit when there is one
 * (whether or not it makes a commitment), else 0. */
static size_t commitment_at(struct doc *d, const struct doc_para *p, size_t i, commit_vec *out,
			    int individual)
{
	const char *s = p->text;
	size_t n = p->len;
	int v;
	size_t nl = number_at(s, n, i, &v);
	if (!nl)
		return 0;
	/* A number is a count only with a unit right after it. */
	size_t ul = word_at(W.units, s, n, i + nl);
	if (!ul)
		return nl;
	size_t unit_end = i + nl + ul;
	size_t qual = 0;
	for (size_t w = 0; w < W.quals->n; w++)
		if (i >= W.quals->len[w] &&
		    memcmp(s + i - W.quals->len[w], W.quals->w[w], W.quals->len[w]) == 0)
			qual = W.quals->len[w];
	int above = at(s, n, unit_end, "以上") || at(s, n, unit_end, "及以上");
	size_t sstart = sentence_start(s, i);
	/* With a qualifier the period may stand anywhere earlier in the
	 * sentence; a bare count (每月2次) needs it in its own clause. */
	enum doc_period period = find_period(s, qual || above ? sstart : clause_start(s, i), i);
	if (!qual && !above && period == DOC_PERIOD_NONE)
		return unit_end - i;
	/* A count right after 第 is an ordinal (第3次), not a commitment. */
	if (i >= 3 && at(s, n, i - 3, "第"))
		return unit_end - i;
	size_t cstart = clause_start(s, i - qual);
	size_t cend = clause_end(s, n, unit_end);
	struct doc_commitment *c = VEC_PUSH(*out);
	c->min = v;
	c->period = period;
	c->unit = arena_strndup(&d->arena, s + i + nl, ul);
	c->per = individual || has_word(W.member, s, sstart, i) ? DOC_PER_MEMBER : DOC_PER_TEAM;
	c->subject = find_subject(d, s, n, cstart, i - qual, unit_end);
	c->text = arena_strndup(&d->arena, s + cstart, cend - cstart);
	c->span = doc_para_span(d, p, cstart, cend > cstart ? cend : cstart + 1);
	return unit_end - i;
}

/* ---- deadlines -------------------------------------------------------- */

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static void set_date(struct doc_deadline *dl, int y, int m, int day)
{
	if (y <= 0 || m < 1 || m > 12) {
		dl->date[0] = '\0';
		return;
	}
	int dim = days_in_month(y, m);
	if (day <= 0 || day > dim)
		day = dim;
	snprintf(dl->date, sizeof dl->date, "%04d-%02d-%02d", y % 10000, m, day);
}

/* Terminator after a date: 前, 之前, 以前, 内, 完成.  Returns its length. */
static size_t date_end(const char *s, size_t n, size_t i)
{
	static const char *const t[] = {"之前", "以前", "前", "内", "完成", "止"};
	for (size_t k = 0; k < ARRAY_LEN(t); k++)
		if (at_(s, n, i, t[k], strlen(t[k])))
			return strlen(t[k]);
	return 0;
}

/* A date deadline starting at s[i]; returns its length (0 when none). */
static size_t date_at(const char *s, size_t n, size_t i, int base_year, struct doc_deadline *dl,
		      int *explicit_year)
{
	size_t k = i;
	int y = 0, m = 0, day = 0, v;
	*explicit_year = 0;
	/* Quick refusal: a number must be followed by 年, 月 or 季度. */
	size_t nl0 = number_at(s, n, i, &v);
	if (nl0 && !at(s, n, i + nl0, "年") && !at(s, n, i + nl0, "月") &&
	    !at(s, n, i + nl0, "季") && !at(s, n, i + nl0, "份"))
		return 0;
	/* YYYY年 */
	if (k + 4 < n && s[k] >= '1' && s[k] <= '2' && number_at(s, n, k, &v) == 4 &&
	    at(s, n, k + 4, "年")) {
		y = v;
		k += 7;
		*explicit_year = 1;
	} else if (at(s, n, k, "今年") || at(s, n, k, "本年")) {
		y = base_year;
		k += 6;
	} else if (at(s, n, k, "明年")) {
		y = base_year ? base_year + 1 : 0;
		k += 6;
	}
	size_t l;
	/* 年底前, 年内 */
	if (at(s, n, k, "年底") || at(s, n, k, "年末") || (y && (at(s, n, k, "底") || at(s, n, k, "末")))) {
		k += at(s, n, k, "年") ? 6 : 3;
		l = date_end(s, n, k);
		if (!l && !y)
			return 0;
		set_date(dl, y ? y : base_year, 12, 31);
		return k + l - i;
	}
	if (at(s, n, k, "年内") || (y && at(s, n, k, "内"))) {
		k += at(s, n, k, "年") ? 6 : 3;
		set_date(dl, y ? y : base_year, 12, 31);
		return k - i;
	}
	if (at(s, n, k, "上半年") || at(s, n, k, "下半年")) {
		int first = at(s, n, k, "上");
		k += 9;
		if (at(s, n, k, "底") || at(s, n, k, "末"))
			k += 3;
		l = date_end(s, n, k);
		if (!l && !y)
			return 0;
		set_date(dl, y ? y : base_year, first ? 6 : 12, 31);
		return k + l - i;
	}
	/* 第一季度, 一季度, 1季度 */
	size_t q = k;
	if (at(s, n, q, "第"))
		q += 3;
	size_t qn = number_at(s, n, q, &v);
	if (qn && v >= 1 && v <= 4 && at(s, n, q + qn, "季度")) {
		q += qn + 6;
		if (at(s, n, q, "末") || at(s, n, q, "底"))
			q += 3;
		l = date_end(s, n, q);
		if (!l && !y)
			return 0;
		set_date(dl, y ? y : base_year, v * 3, 31);
		return q + l - i;
	}
	/* M月[D日|底|末|上旬|中旬|下旬][前] */
	size_t mn = number_at(s, n, k, &v);
	if (!mn || v < 1 || v > 12 || !at(s, n, k + mn, "月"))
		return 0;
	m = v;
	k += mn + 3;
	if (at(s, n, k, "份"))
		k += 3;
	size_t dn = number_at(s, n, k, &v);
	if (dn && v >= 1 && v <= 31 && (at(s, n, k + dn, "日") || at(s, n, k + dn, "号"))) {
		day = v;
		k += dn + 3;
	} else if (at(s, n, k, "底") || at(s, n, k, "末") || at(s, n, k, "下旬")) {
		k += at(s, n, k, "下旬") ? 6 : 3;
	} else if (at(s, n, k, "中旬")) {
		day = 20;
		k += 6;
	} else if (at(s, n, k, "上旬")) {
		day = 10;
		k += 6;
	}
	l = date_end(s, n, k);
	if (!l)
		return 0;
	set_date(dl, y ? y : base_year, m, day);
	return k + l - i;
}

/* Can a date expression start with the character at p? */
static int date_start_char(const char *p, size_t n)
{
	uint32_t cp;
	text_utf8_next(p, n, &cp);
	switch (cp) {
	case 0x4E00: case 0x4E8C: case 0x4E24: case 0x4E09: case 0x56DB: case 0x4E94:
	case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341: /* 一…十 */
	case 0x4ECA: case 0x672C: case 0x660E: /* 今本明 */
	case 0x5E74: case 0x4E0A: case 0x4E0B: case 0x7B2C: /* 年上下第 */
		return 1;
	default:
		return 0;
	}
}

int doc_deadline_parse(const char *s, size_t n, int year, struct doc_deadline *dl)
{
	pthread_once(&W_once, load_words);
	memset(dl, 0, sizeof *dl);
	if (word_at(W.ongoing, s, n, 0)) {
		dl->kind = DOC_DEADLINE_ONGOING;
		return 1;
	}
	if (word_at(W.immediate, s, n, 0)) {
		dl->kind = DOC_DEADLINE_IMMEDIATE;
		return 1;
	}
	int ey;
	if (date_at(s, n, 0, year, dl, &ey)) {
		dl->kind = DOC_DEADLINE_DATE;
		return 1;
	}
	return 0;
}

typedef VEC(struct doc_deadline) deadline_vec;

/* A deadline starting at s[i] of paragraph p, appended to out; returns its
 * length or 0.  *year follows the latest year a deadline names. */
static size_t deadline_at(struct doc *d, const struct doc_para *p, size_t i, deadline_vec *out,
			  int *year)
{
	const char *s = p->text;
	size_t n = p->len;
	unsigned char c = (unsigned char)s[i];
	struct doc_deadline dl;
	memset(&dl, 0, sizeof dl);
	size_t len = 0;
	if (c >= 0xE0) {
		if ((len = word_at(W.ongoing, s, n, i)) > 0)
			dl.kind = DOC_DEADLINE_ONGOING;
		else if ((len = word_at(W.immediate, s, n, i)) > 0)
			dl.kind = DOC_DEADLINE_IMMEDIATE;
	}
	if (!len && ((c >= '0' && c <= '9') || (c >= 0xE0 && date_start_char(s + i, n - i)))) {
		/* Only at a number's start. */
		int prev_digit = i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9';
		int ey = 0;
		if (!prev_digit && (len = date_at(s, n, i, *year, &dl, &ey)) > 0) {
			dl.kind = DOC_DEADLINE_DATE;
			if (ey && dl.date[0]) {
				int y = atoi(dl.date);
				if (y > *year)
					*year = y;
			}
		}
	}
	if (!len)
		return 0;
	struct doc_deadline *o = VEC_PUSH(*out);
	*o = dl;
	o->text = arena_strndup(&d->arena, s + i, len);
	o->span = doc_para_span(d, p, i, i + len);
	return len;
}

/* ---- placeholders ------------------------------------------------------ */

static uint32_t cp_before(const char *s, size_t i)
{
	if (i == 0)
		return 0;
	size_t j = text_utf8_back(s, i - 1);
	uint32_t cp;
	text_utf8_next(s + j, i - j, &cp);
	return cp;
}

static uint32_t cp_at(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	uint32_t cp;
	text_utf8_next(s + i, n - i, &cp);
	return cp;
}

/* A letter of a Latin word or a pinyin gloss (xí, lǜ). */
static int latin(uint32_t c)
{
	return text_is_ascii_alnum(c) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

static int chinese_side(uint32_t a, uint32_t b)
{
	return text_is_cjk(a) || text_is_cjk(b);
}

typedef VEC(struct doc_placeholder) ph_vec;

static void add_placeholder(struct doc *d, struct arena *ar, const struct doc_para *p,
			    ph_vec *out, size_t a, size_t b)
{
	const char *s = p->text;
	struct doc_placeholder *ph = VEC_PUSH(*out);
	ph->text = arena_strndup(ar, s + a, b - a);
	/* Ten characters of context either side. */
	size_t ca = a, cb = b;
	for (int k = 0; k < 10 && ca > 0; k++)
		ca = text_utf8_back(s, ca - 1);
	for (int k = 0; k < 10 && cb < p->len; k++)
		cb += (size_t)text_utf8_len((unsigned char)s[cb]);
	ph->context = arena_strndup(ar, s + ca, cb - ca);
	ph->span = doc_para_span(d, p, a, b);
}

/* Length of an empty bracket pair at s[i] ("（）", "【 】", "[]"), or 0. */
static size_t empty_brackets(const char *s, size_t n, size_t i)
{
	static const char *const pairs[][2] = {
		{"（", "）"}, {"(", ")"}, {"【", "】"}, {"[", "]"}, {"〔", "〕"}, {"《", "》"}};
	for (size_t k = 0; k < ARRAY_LEN(pairs); k++) {
		if (!at_(s, n, i, pairs[k][0], strlen(pairs[k][0])))
			continue;
		size_t j = i + strlen(pairs[k][0]);
		while (j < n && (s[j] == ' ' || at(s, n, j, "\u3000")))
			j += s[j] == ' ' ? 1 : 3;
		if (at_(s, n, j, pairs[k][1], strlen(pairs[k][1])))
			return j + strlen(pairs[k][1]) - i;
	}
	return 0;
}

/* A placeholder starting at s[i] of paragraph p, appended to out.  Returns
 * the bytes to skip (a run of x, *, _ or × is skipped whole even when it is
 * not a placeholder), or 0. */
static size_t placeholder_at(struct doc *d, struct arena *ar, const struct doc_para *p, size_t i,
			     ph_vec *out)
{
	const char *s = p->text;
	size_t n = p->len;
	unsigned char c = (unsigned char)s[i];
	size_t len = 0, k = i;
	if (c == 'x' || c == 'X') {
		while (k < n && (s[k] == 'x' || s[k] == 'X') && k - i < 6)
			k++;
		uint32_t a = cp_before(s, i), b = cp_at(s, n, k);
		size_t from = i;
		/* A year left open: 20xx, 20XX年度. */
		if (i >= 2 && k - i == 2 && ((s[i - 2] == '2' && s[i - 1] == '0') ||
					     (s[i - 2] == '1' && s[i - 1] == '9')) &&
		    !(i >= 3 && text_is_ascii_alnum((unsigned char)s[i - 3])) &&
		    !latin(b)) {
			from = i - 2;
			a = cp_before(s, from);
		}
		if (!latin(a) && !latin(b) && chinese_side(a, b) && k - i <= 4) {
			/* A date left open keeps its units: X月X日, XX月. */
			if (at(s, n, k, "月")) {
				k += 3;
				size_t m = k;
				while (m < n && (s[m] == 'x' || s[m] == 'X') && m - k < 2)
					m++;
				if (m > k && at(s, n, m, "日"))
					k = m + 3;
			} else if (at(s, n, k, "日")) {
				k += 3;
			}
			add_placeholder(d, ar, p, out, from, k);
			return k - i;
		}
	} else if (c == '*' && !(i + 1 < n && s[i + 1] == '*') && !(i > 0 && s[i - 1] == '*') &&
		   text_is_cjk(cp_before(s, i))) {
		/* A name masked after its surname: 张*. */
		size_t from = text_utf8_back(s, i - 1);
		add_placeholder(d, ar, p, out, from, i + 1);
		return 1;
	} else if (c == 0xC3 && i + 1 < n && (unsigned char)s[i + 1] == 0x97) { /* × */
		while (k + 1 < n && (unsigned char)s[k] == 0xC3 && (unsigned char)s[k + 1] == 0x97)
			k += 2;
		uint32_t a = cp_before(s, i), b = cp_at(s, n, k);
		if (!(a >= '0' && a <= '9') && !(b >= '0' && b <= '9') && chinese_side(a, b))
			len = k - i;
	} else if (c == '*' && i + 1 < n && s[i + 1] == '*') {
		while (k < n && s[k] == '*')
			k++;
		/* **emphasis** of four characters or more is Markdown, unless the
		 * stars mask a name or a place (**镇, ***同志, 张**). */
		const char *close = memmem(s + k, n - k, "**", 2);
		int mask = word_at(W.mask_after, s, n, k) > 0;
		if (!mask && close && text_utf8_count(s + k, (size_t)(close - (s + k))) >= 4 &&
		    !memchr(s + k, '\n', (size_t)(close - (s + k)))) {
			k = (size_t)(close - s) + 2;
			while (k < n && s[k] == '*')
				k++;
			return k - i;
		}
		if (chinese_side(cp_before(s, i), cp_at(s, n, k)))
			len = k - i;
	} else if (c == '_' && i + 1 < n && s[i + 1] == '_') {
		while (k < n && s[k] == '_')
			k++;
		if (chinese_side(cp_before(s, i), cp_at(s, n, k)) || k - i >= 3)
			len = k - i;
	} else if (c >= 0x80 || c == '(' || c == '[') {
		len = word_at(W.placeholders, s, n, i);
		if (!len && (c == '(' || c == '[' || at(s, n, i, "（") || at(s, n, i, "【") ||
			     at(s, n, i, "〔") || at(s, n, i, "《")) &&
		    (len = empty_brackets(s, n, i)) > 0) {
			if (!chinese_side(cp_before(s, i), cp_at(s, n, i + len)))
				len = 0;
		}
		k = i + len;
	}
	if (len)
		add_placeholder(d, ar, p, out, i, i + len);
	return k - i;
}

/* ---- the whole document ---------------------------------------------- */

void doc_extract_placeholders(const struct doc *d, struct arena *ar,
			      struct doc_placeholder **out, size_t *n_out)
{
	pthread_once(&W_once, load_words);
	ph_vec ph = {0};
	for (size_t pi = 0; pi < d->n_paras; pi++) {
		const struct doc_para *p = &d->paras[pi];
		const char *s = p->text;
		size_t n = p->len;
		for (size_t i = 0; i < n;) {
			size_t len = 0;
			if (triggered(&W.t_place, s + i, n - i))
				len = placeholder_at((struct doc *)d, ar, p, i, &ph);
			i += len ? len : (size_t)text_utf8_len((unsigned char)s[i]);
		}
	}
	*out = arena_alloc(ar, (ph.n ? ph.n : 1) * sizeof *ph.v);
	if (ph.n)
		memcpy(*out, ph.v, ph.n * sizeof *ph.v);
	*n_out = ph.n;
	VEC_FREE(ph);
}

/* Where a deadline of a part was found and the year it was read with, for
 * the fix-up of doc_extract_promises. */
struct deadline_origin {
	size_t para, at;
	int year;       /* the year a date without one took */
};

/* Commitments and deadlines of paragraphs [from, to) of d, strings from
 * d's arena; `year` is what a deadline without a year takes at first, and
 * what it has become at the end. */
struct promise_part {
	struct doc *d;
	size_t from, to;
	int year;
	commit_vec cm;
	deadline_vec dl;
	VEC(struct deadline_origin) origin;
};

/* Commitments and deadlines are promises: not in problems or causes. */
static int promises_in(const struct doc *d, const struct doc_para *p, size_t *sec)
{
	while (*sec < d->n_sections && d->sections[*sec].span.end <= p->span.start)
		++*sec;
	if (*sec >= d->n_sections || d->sections[*sec].span.start > p->span.start)
		return 0;
	enum doc_role role = d->sections[*sec].role;
	return role != DOC_ROLE_PROBLEMS && role != DOC_ROLE_CAUSES;
}

static void promise_part(void *arg)
{
	struct promise_part *pp = arg;
	struct doc *d = pp->d;
	size_t sec = 0;
	int individual = d->kind == DOC_KIND_INDIVIDUAL;
	for (size_t pi = pp->from; pi < pp->to; pi++) {
		const struct doc_para *p = &d->paras[pi];
		if (!promises_in(d, p, &sec))
			continue;
		const char *s = p->text;
		size_t n = p->len;
		for (size_t i = 0; i < n;) {
			unsigned h = wordlist_hash(s + i, n - i);
			size_t len = 0;
			if (TRIGGER(&W.t_deadline, h)) {
				int year = pp->year;
				if ((len = deadline_at(d, p, i, &pp->dl, &pp->year)) > 0)
					*VEC_PUSH(pp->origin) = (struct deadline_origin){pi, i, year};
			}
			if (!len && TRIGGER(&W.t_count, h))
				len = commitment_at(d, p, i, &pp->cm, individual);
			i += len ? len : (size_t)text_utf8_len((unsigned char)s[i]);
		}
	}
}

/* The second part was read from the year the report names; the first
 * ended on `year`.  Dates without a year of their own are read again with
 * the year they would have had, which follows the latest year a deadline
 * names. */
static void fix_years(const struct doc *d, struct promise_part *pp, int year)
{
	for (size_t k = 0; k < pp->dl.n; k++) {
		struct doc_deadline *dl = &pp->dl.v[k];
		const struct deadline_origin *o = &pp->origin.v[k];
		if (dl->kind != DOC_DEADLINE_DATE)
			continue;
		const struct doc_para *p = &d->paras[o->para];
		struct doc_deadline again;
		memset(&again, 0, sizeof again);
		int own = 0;
		date_at(p->text, p->len, o->at, year, &again, &own);
		if (own) {
			/* As deadline_at does. */
			int y = again.date[0] ? atoi(again.date) : 0;
			if (y > year)
				year = y;
		} else if (o->year != year) {
			memcpy(dl->date, again.date, sizeof dl->date);
		}
	}
}

void doc_extract_promises(struct doc *d)
{
	pthread_once(&W_once, load_words);
	/* A large report in two parts side by side, split by the bytes that
	 * are read. */
	size_t mid = d->n_paras;
	if (d->len >= util_parallel_from) {
		size_t total = 0, run = 0, sec = 0;
		for (size_t pi = 0; pi < d->n_paras; pi++)
			if (promises_in(d, &d->paras[pi], &sec))
				total += d->paras[pi].len;
		sec = 0;
		for (mid = 0; mid < d->n_paras && run < total / 2; mid++)
			if (promises_in(d, &d->paras[mid], &sec))
				run += d->paras[mid].len;
	}
	struct doc other = *d;
	other.arena = (struct arena){0};
	struct promise_part pp[2] = {{.d = d, .from = 0, .to = mid, .year = d->year},
				     {.d = &other, .from = mid, .to = d->n_paras, .year = d->year}};
	struct util_job job;
	util_job_start(&job, mid < d->n_paras, promise_part, &pp[1]);
	promise_part(&pp[0]);
	util_job_wait(&job);
	if (pp[0].year != d->year) {
		if (d->year == 0) {
			/* Without a year to start from, what a date is depends on
			 * it: the second part is read again. */
			VEC_FREE(pp[1].cm);
			VEC_FREE(pp[1].dl);
			VEC_FREE(pp[1].origin);
			pp[1].year = pp[0].year;
			promise_part(&pp[1]);
		} else {
			fix_years(d, &pp[1], pp[0].year);
		}
	}
	arena_absorb(&d->arena, &other.arena);
	size_t nc = pp[0].cm.n + pp[1].cm.n, nd = pp[0].dl.n + pp[1].dl.n;
	d->commitments = arena_alloc(&d->arena, (nc ? nc : 1) * sizeof *d->commitments);
	d->deadlines = arena_alloc(&d->arena, (nd ? nd : 1) * sizeof *d->deadlines);
	d->n_commitments = d->n_deadlines = 0;
	for (int h = 0; h < 2; h++) {
		if (pp[h].cm.n)
			memcpy(d->commitments + d->n_commitments, pp[h].cm.v,
			       pp[h].cm.n * sizeof *pp[h].cm.v);
		if (pp[h].dl.n)
			memcpy(d->deadlines + d->n_deadlines, pp[h].dl.v, pp[h].dl.n * sizeof *pp[h].dl.v);
		d->n_commitments += pp[h].cm.n;
		d->n_deadlines += pp[h].dl.n;
		VEC_FREE(pp[h].cm);
		VEC_FREE(pp[h].dl);
		VEC_FREE(pp[h].origin);
	}
}
