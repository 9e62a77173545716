/*
 * doc_parse.c -- stage 2 of the document engine: paragraphs to the tree.
 *
 * Numbering decides structure.  Each paragraph that starts with a label
 * (一、 （一） 1. （1） ① 一是 第一， 首先 …, or a Markdown heading) gets a
 * depth from a stack of the numbering styles seen on the current path, as a
 * reader does: a style already on the stack closes everything below it and
 * starts a sibling; a new style opens a level below.  Inline styles (一是,
 * 第一，, 首先, ①, （1）) never open a section and never hold headings, and
 * may also start in the middle of a paragraph after 。！？；： -- the next
 * number of a style on the stack starts a sibling there, and a 1 followed by
 * a 2 later in the paragraph opens a level under a heading.
 *
 * Depth 0 nodes are sections; depth 1 nodes are areas when any of them has
 * children or they use a heading style, otherwise items of their section;
 * depth 2 nodes are items; deeper numbering stays in its item's text.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "doc_int.h"
#include "embed.h"

/* ---- word lists ------------------------------------------------------ */

static pthread_mutex_t words_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	const char *file;
	struct wordlist wl;
} words_cache[64];

/* Entries of an embedded word list.  "data/x.txt#name" takes only the
 * entries between the line "[name]" and the next "[...]" line. */
const struct wordlist *doc_words(const char *file)
{
	pthread_mutex_lock(&words_lock);
	size_t i;
	for (i = 0; i < ARRAY_LEN(words_cache) && words_cache[i].file; i++) {
		if (strcmp(words_cache[i].file, file) == 0) {
			pthread_mutex_unlock(&words_lock);
			return &words_cache[i].wl;
		}
	}
	if (i == ARRAY_LEN(words_cache)) {
		pthread_mutex_unlock(&words_lock);
		log_error("word list cache full at %s", file);
		return NULL;
	}
	char path[128];
	snprintf(path, sizeof path, "%s", file);
	char *hash = strchr(path, '#');
	const char *section = NULL;
	if (hash) {
		*hash = '\0';
		section = hash + 1;
	}
	size_t size = 0;
	const char *data = embed_get(path, &size);
	struct wordlist *wl = &words_cache[i].wl;
	for (int pass = 0; pass < 2; pass++) {
		size_t pos = 0, n = 0;
		const char *w;
		size_t len;
		int in = section == NULL;
		while (data && embed_next_line(data, size, &pos, &w, &len)) {
			if (w[0] == '[' && w[len - 1] == ']') {
				in = section && len - 2 == strlen(section) &&
				     memcmp(w + 1, section, len - 2) == 0;
				continue;
			}
			if (!in)
				continue;
			if (pass == 1) {
				wl->w[n] = w;
				wl->len[n] = len;
				unsigned h = wordlist_hash(w, len);
				wl->first[h >> 6] |= 1ull << (h & 63);
			}
			n++;
		}
		if (pass == 0) {
			wl->w = xcalloc(n ? n : 1, sizeof *wl->w);
			wl->len = xcalloc(n ? n : 1, sizeof *wl->len);
		}
		wl->n = n;
	}
	words_cache[i].file = file;
	pthread_mutex_unlock(&words_lock);
	return wl;
}

/* ---- names ----------------------------------------------------------- */

static const char *const role_names[DOC_ROLE__MAX] = {"problems", "causes", "measures",
						      "last_year", "other", "progress"};
static const char *const kind_names[DOC_KIND__MAX] = {"team", "individual", "plan", "report",
						      "unknown", "notice", "list"};
static const char *const style_names[DOC_STYLE__MAX] = {
	"none", "cn-dun", "cn-paren", "part", "ar-dot", "markdown", "ar-paren", "circled",
	"cn-shi", "cn-yao", "di", "seq", "table", "genre"};

const char *doc_role_name(enum doc_role r)
{
	return (unsigned)r < DOC_ROLE__MAX ? role_names[r] : "other";
}
const char *doc_kind_name(enum doc_kind k)
{
	return (unsigned)k < DOC_KIND__MAX ? kind_names[k] : "unknown";
}
const char *doc_style_name(enum doc_style s)
{
	return (unsigned)s < DOC_STYLE__MAX ? style_names[s] : "none";
}

static int is_inline_style(enum doc_style s)
{
	return s == DOC_STYLE_CN_SHI || s == DOC_STYLE_CN_YAO || s == DOC_STYLE_DI ||
	       s == DOC_STYLE_SEQ || s == DOC_STYLE_CIRCLED || s == DOC_STYLE_AR_PAREN;
}

/* Arabic numbering (1. （1） ①) and Chinese numbering (一、 （一） 一是 第一)
 * are families: a list may drift between styles of one family. */
static int style_family(enum doc_style s)
{
	switch (s) {
	case DOC_STYLE_AR_DOT:
	case DOC_STYLE_AR_PAREN:
	case DOC_STYLE_CIRCLED:
		return 1;
	case DOC_STYLE_CN_DUN:
	case DOC_STYLE_CN_PAREN:
	case DOC_STYLE_CN_SHI:
	case DOC_STYLE_CN_YAO:
	case DOC_STYLE_DI:
		return 2;
	default:
		return 0;
	}
}

/* Styles that mark an area when they appear at depth 1. */
static int is_area_style(enum doc_style s)
{
	return s == DOC_STYLE_CN_DUN || s == DOC_STYLE_CN_PAREN || s == DOC_STYLE_PART ||
	       s == DOC_STYLE_MD;
}

/* ---- labels ---------------------------------------------------------- */

#define starts(p, n, lit) AT(p, n, 0, lit)

static size_t skip_spaces(const char *p, size_t n, size_t i)
{
	while (i < n) {
		if (p[i] == ' ' || p[i] == '\t')
			i++;
		else if (starts(p + i, n - i, "\u3000"))
			i += 3;
		else
			break;
	}
	return i;
}

/* Bytes of the longest Chinese numeral a label may hold: seven characters,
 * 九千九百九十九. */
#define DOC_CN_LABEL_MAX 21

/* The number of a label at p[i..n): a Chinese numeral of at most
 * DOC_CN_LABEL_MAX bytes (*chinese set), else one to three digits.  Returns
 * the offset after it, 0 when there is none; the number may still be 0 or
 * less (零, 000), which the caller refuses. */
static size_t label_number(const char *p, size_t n, size_t i, int *number, int *chinese)
{
	size_t cn = text_cn_number_span(p + i, n - i);
	size_t dg = 0;
	while (i + dg < n && p[i + dg] >= '0' && p[i + dg] <= '9' && dg < 4)
		dg++;
	if (cn > 0 && cn <= DOC_CN_LABEL_MAX) {
		*number = text_cn_number(p + i, cn);
		*chinese = 1;
		return i + cn;
	}
	if (dg > 0 && dg <= 3) {
		*number = atoi(p + i);
		*chinese = 0;
		return i + dg;
	}
	return 0;
}

/* The label steps below each recognise one family at p[0..n) (n > 0): on
 * a label they set h's style, number and core and *end to the offset after
 * its separator, and return 1; otherwise 0. */

/* （一） （1） (1), then an optional 、 or . */
static int label_paren(const char *p, size_t n, struct label_hit *h, size_t *end)
{
	int chinese;
	size_t j = label_number(p, n, p[0] == '(' ? 1 : 3, &h->number, &chinese);
	if (!j)
		return 0;
	h->style = chinese ? DOC_STYLE_CN_PAREN : DOC_STYLE_AR_PAREN;
	if (h->number <= 0)
		return 0;
	if (j < n && p[j] == ')')
		j++;
	else if (starts(p + j, n - j, "）"))
		j += 3;
	else
		return 0;
	h->core = j;
	if (starts(p + j, n - j, "、"))
		j += 3;
	else if (j < n && p[j] == '.')
		j++;
	*end = j;
	return 1;
}

/* 1. 1、 1． (not 1.5) and 1) 1）: at most three digits. */
static int label_digits(const char *p, size_t n, struct label_hit *h, size_t *end)
{
	size_t dg = 0;
	while (dg < n && p[dg] >= '0' && p[dg] <= '9')
		dg++;
	if (dg > 3)
		return 0;
	h->number = atoi(p);
	size_t j = dg;
	if (j < n && p[j] == '.' && !(j + 1 < n && p[j + 1] >= '0' && p[j + 1] <= '9')) {
		j++;
		h->style = DOC_STYLE_AR_DOT;
	} else if (starts(p + j, n - j, "、") || starts(p + j, n - j, "．")) {
		j += 3;
		h->style = DOC_STYLE_AR_DOT;
	} else if (j < n && p[j] == ')') {
		j++;
		h->style = DOC_STYLE_AR_PAREN;
	} else if (starts(p + j, n - j, "）")) {
		j += 3;
		h->style = DOC_STYLE_AR_PAREN;
	} else {
		return 0;
	}
	if (h->number <= 0)
		return 0;
	h->core = *end = j;
	return 1;
}

/* 第一部分 第一方面 第一章 第一节 第一篇 (parts, then an optional ： or 、)
 * and 第一， 第一、 第一： 第一是 (inline). */
static int label_di(const char *p, size_t n, struct label_hit *h, size_t *end)
{
	int chinese;
	size_t j = label_number(p, n, 3, &h->number, &chinese);
	if (!j || h->number <= 0)
		return 0;
	if (starts(p + j, n - j, "部分") || starts(p + j, n - j, "方面")) {
		h->style = DOC_STYLE_PART;
		j += 6;
	} else if (starts(p + j, n - j, "章") || starts(p + j, n - j, "节") ||
		   starts(p + j, n - j, "篇")) {
		h->style = DOC_STYLE_PART;
		j += 3;
	} else if (starts(p + j, n - j, "，") || starts(p + j, n - j, "、") ||
		   starts(p + j, n - j, "：")) {
		h->style = DOC_STYLE_DI;
		j += 3;
	} else if (starts(p + j, n - j, "是")) {
		h->style = DOC_STYLE_DI;
		j += 3;
	} else {
		return 0;
	}
	h->core = j;
	if (h->style == DOC_STYLE_PART && (starts(p + j, n - j, "：") || starts(p + j, n - j, "、")))
		j += 3;
	*end = j;
	return 1;
}

/* One character, cp: ①…⑳ (circled), ⑴…⒇ (in brackets) and ⒈…⒛ (with a
 * full stop), each with an optional 、 after it; ㈠…㈩. */
static int label_enclosed(uint32_t cp, const char *p, size_t n, struct label_hit *h,
			  size_t *end)
{
	size_t i = 3;
	if (cp >= 0x3220) {
		h->style = DOC_STYLE_CN_PAREN;
		h->number = (int)(cp - 0x3220 + 1);
	} else if (cp <= 0x2473) {
		h->style = DOC_STYLE_CIRCLED;
		h->number = (int)(cp - 0x2460 + 1);
	} else if (cp <= 0x2487) {
		h->style = DOC_STYLE_AR_PAREN;
		h->number = (int)(cp - 0x2474 + 1);
	} else {
		h->style = DOC_STYLE_AR_DOT;
		h->number = (int)(cp - 0x2488 + 1);
	}
	h->core = i;
	if (cp < 0x3220 && starts(p + i, n - i, "、"))
		i += 3;
	*end = i;
	return 1;
}

/* 首先 其次 再次 最后 (numbers 1, 2, 3 and 0), with ， 、 or ： after. */
static const char seq_words[4][7] = {"首先", "其次", "再次", "最后"};

static int seq_word(const char *p, size_t n)
{
	for (int k = 0; k < 4; k++)
		if (at_(p, n, 0, seq_words[k], 6))
			return k;
	return -1;
}

static int label_seq(const char *p, size_t n, struct label_hit *h, size_t *end)
{
	size_t j = 6;
	if (!(starts(p + j, n - j, "，") || starts(p + j, n - j, "、") ||
	      starts(p + j, n - j, "：")))
		return 0;
	int k = seq_word(p, n);
	h->style = DOC_STYLE_SEQ;
	h->number = k < 3 ? k + 1 : 0;
	h->core = *end = j + 3;
	return 1;
}

/* 一、 一． 一. (headings), 一是 and 一要 (not 一要素), these two with an
 * optional ： or ， after. */
static int label_cn(const char *p, size_t n, struct label_hit *h, size_t *end)
{
	size_t cn = text_cn_number_span(p, n);
	if (cn == 0 || cn > DOC_CN_LABEL_MAX)
		return 0;
	h->number = text_cn_number(p, cn);
	if (h->number <= 0)
		return 0;
	size_t j = cn;
	if (starts(p + j, n - j, "、") || starts(p + j, n - j, "．") ||
	    (j < n && p[j] == '.')) {
		h->style = DOC_STYLE_CN_DUN;
		j += p[j] == '.' ? 1 : 3;
	} else if (starts(p + j, n - j, "是")) {
		h->style = DOC_STYLE_CN_SHI;
		j += 3;
	} else if (starts(p + j, n - j, "要") && !starts(p + j, n - j, "要素")) {
		h->style = DOC_STYLE_CN_YAO;
		j += 3;
	} else {
		return 0;
	}
	h->core = j;
	if ((h->style == DOC_STYLE_CN_SHI || h->style == DOC_STYLE_CN_YAO) &&
	    (starts(p + j, n - j, "：") || starts(p + j, n - j, "，")))
		j += 3;
	*end = j;
	return 1;
}

/* The family is told by the first character; its step reads the label,
 * and the spaces after it count in h->len. */
int doc_label_at(const char *p, size_t n, struct label_hit *h)
{
	memset(h, 0, sizeof *h);
	if (n == 0)
		return 0;
	uint32_t cp;
	text_utf8_next(p, n, &cp);
	size_t end = 0;
	int hit;
	if (p[0] == '(' || starts(p, n, "（"))
		hit = label_paren(p, n, h, &end);
	else if (p[0] >= '0' && p[0] <= '9')
		hit = label_digits(p, n, h, &end);
	else if (starts(p, n, "第"))
		hit = label_di(p, n, h, &end);
	else if ((cp >= 0x2460 && cp <= 0x249B) || (cp >= 0x3220 && cp <= 0x3229))
		hit = label_enclosed(cp, p, n, h, &end);
	else if (seq_word(p, n) >= 0)
		hit = label_seq(p, n, h, &end);
	else
		hit = label_cn(p, n, h, &end);
	if (!hit)
		return 0;
	h->len = skip_spaces(p, n, end);
	return 1;
}

/* Chinese numeral for 1..9999 at out (room for 40 bytes); returns its
 * length.  No NUL is written. */
static size_t cn_numeral_put(int v, char *out)
{
	static const char d[10][4] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	static const char u[4][4] = {"", "十", "百", "千"};
	if (v <= 0 || v > 9999)
		return 0;
	int digits[4], nd = 0;
	for (int x = v; x; x /= 10)
		digits[nd++] = x % 10;
	size_t n = 0;
	int zero = 0;
	for (int k = nd - 1; k >= 0; k--) {
		int dv = digits[k];
		if (dv == 0) {
			zero = 1;
			continue;
		}
		if (zero) {
			memcpy(out + n, d[0], 3);
			n += 3;
			zero = 0;
		}
		if (!(dv == 1 && k == 1 && nd == 2)) {
			memcpy(out + n, d[dv], 3);
			n += 3;
		}
		if (k > 0) {
			memcpy(out + n, u[k], 3);
			n += 3;
		}
	}
	return n;
}

static void cn_numeral(int v, char *out)
{
	out[cn_numeral_put(v, out)] = '\0';
}

/* Decimal digits of v (> 0) at out; returns their number. */
static size_t dec_put(int v, char *out)
{
	char t[12];
	size_t n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < sizeof t);
	for (size_t i = 0; i < n; i++)
		out[i] = t[n - 1 - i];
	return n;
}

/* Canonical text of a label, written into the arena. */
static char *label_text(struct arena *a, const char *p, const struct label_hit *h)
{
	char out[64];
	size_t n = 0;
#define PUT(lit) (memcpy(out + n, lit, sizeof(lit) - 1), n += sizeof(lit) - 1)
	switch (h->style) {
	case DOC_STYLE_CN_DUN:
		n += cn_numeral_put(h->number, out + n);
		PUT("、");
		break;
	case DOC_STYLE_CN_PAREN:
		PUT("（");
		n += cn_numeral_put(h->number, out + n);
		PUT("）");
		break;
	case DOC_STYLE_AR_DOT:
		n += dec_put(h->number, out + n);
		PUT(".");
		break;
	case DOC_STYLE_AR_PAREN:
		PUT("（");
		n += dec_put(h->number, out + n);
		PUT("）");
		break;
	case DOC_STYLE_CN_SHI:
		n += cn_numeral_put(h->number, out + n);
		PUT("是");
		break;
	case DOC_STYLE_CN_YAO:
		n += cn_numeral_put(h->number, out + n);
		PUT("要");
		break;
	case DOC_STYLE_MD:
	case DOC_STYLE_NONE:
	case DOC_STYLE_GENRE:
		break;
	case DOC_STYLE_TABLE:
		/* A 序号 cell: a number as 1., anything else as written. */
		if (h->core == 0 || strspn(p, "0123456789") < h->core)
			return arena_strndup(a, p, h->core);
		n += dec_put(h->number, out + n);
		PUT(".");
		break;
	case DOC_STYLE_DI:
	case DOC_STYLE_SEQ:
		/* 第一， 首先： without their punctuation */
		return arena_strndup(a, p, h->core >= 3 && (unsigned char)p[h->core - 3] == 0xEF
						   ? h->core - 3 : h->core);
	default:
		return arena_strndup(a, p, h->core);
	}
#undef PUT
	return arena_strndup(a, out, n);
}

/* ---- roles, kind, year ------------------------------------------------ */

/* Match a "NAME KEYWORD" word list against s; returns the index of NAME in
 * names[] for the first line whose keyword occurs in s, or -1. */
static int match_keyword_list(const char *file, const char *const *names, int n_names,
			      const char *s)
{
	const struct wordlist *wl = doc_words(file);
	if (!wl)
		return -1;
	for (size_t i = 0; i < wl->n; i++) {
		const char *sp = memchr(wl->w[i], ' ', wl->len[i]);
		if (!sp)
			continue;
		size_t nl = (size_t)(sp - wl->w[i]);
		const char *kw = sp + 1;
		size_t kl = wl->len[i] - nl - 1;
		if (kl == 0 || !memmem(s, strlen(s), kw, kl))
			continue;
		for (int k = 0; k < n_names; k++)
			if (strlen(names[k]) == nl && memcmp(names[k], wl->w[i], nl) == 0)
				return k;
	}
	return -1;
}

enum doc_role doc_role_of_title(const char *title)
{
	/* A title that ends in 问题 (检视出的主要问题, 存在的突出问题) names
	 * problems, unless it speaks of their causes or of an earlier year. */
	size_t n = strlen(title);
	if (n >= 6 && memcmp(title + n - 6, "问题", 6) == 0 && !strstr(title, "原因") &&
	    !strstr(title, "根源")) {
		int r = match_keyword_list("data/roles.txt", role_names, DOC_ROLE__MAX, title);
		return r == DOC_ROLE_LAST_YEAR ? DOC_ROLE_LAST_YEAR : DOC_ROLE_PROBLEMS;
	}
	int r = match_keyword_list("data/roles.txt", role_names, DOC_ROLE__MAX, title);
	return r < 0 ? DOC_ROLE_OTHER : (enum doc_role)r;
}

static size_t count_of(const char *s, const char *w)
{
	size_t n = 0, wl = strlen(w);
	for (const char *p = s; (p = strstr(p, w)) != NULL; p += wl)
		n++;
	return n;
}

/* Occurrences in s of the words of wl. */
static size_t count_words(const struct wordlist *wl, const char *s)
{
	size_t n = 0;
	for (size_t i = 0; wl && i < wl->n; i++) {
		const char *p = s;
		while ((p = memmem(p, strlen(p), wl->w[i], wl->len[i])) != NULL) {
			n++;
			p += wl->len[i];
		}
	}
	return n;
}

static enum doc_kind kind_of(const struct doc *d)
{
	int k = match_keyword_list("data/kinds.txt", kind_names, DOC_KIND__MAX, d->title);
	if (k >= 0)
		return (enum doc_kind)k;
	/* No telling title: weigh the voice of the text.  A unit that speaks
	 * of itself (我局, 本单位, 我们) is a team, not one person. */
	const struct wordlist *self_words = doc_words("data/genres.txt#self");
	size_t team = 0, self = 0, unit = 0;
	for (size_t i = 0; i < d->n_paras; i++) {
		team += count_of(d->paras[i].text, "班子");
		self += count_of(d->paras[i].text, "本人") + count_of(d->paras[i].text, "我");
		unit += count_words(self_words, d->paras[i].text);
	}
	self = self > unit ? self - unit : 0;
	team += unit;
	if (team == 0 && self == 0)
		return DOC_KIND_UNKNOWN;
	return self > team ? DOC_KIND_INDIVIDUAL : DOC_KIND_TEAM;
}

/* The value of a Chinese digit of a year (〇 ○ 零 一 … 九), -1 when none. */
static int cn_year_digit(const char *p)
{
	static const char *const dig[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	if (memcmp(p, "○", 3) == 0 || memcmp(p, "零", 3) == 0)
		return 0;
	for (int k = 0; k < 10; k++)
		if (memcmp(p, dig[k], 3) == 0)
			return k;
	return -1;
}

/* The year written just before byte `at` of s (2023年, 2023 年, 二〇二三年),
 * 0 when none. */
static int year_before(const char *s, const char *at)
{
	const char *p = at;
	while (p > s && p[-1] == ' ')
		p--;
	if (p - s >= 4 && (p[-4] == '1' || p[-4] == '2') && p[-3] >= '0' && p[-3] <= '9' &&
	    p[-2] >= '0' && p[-2] <= '9' && p[-1] >= '0' && p[-1] <= '9' &&
	    (p - s == 4 || !(p[-5] >= '0' && p[-5] <= '9'))) {
		int y = atoi(p - 4);
		return y >= 1949 && y <= 2199 ? y : 0;
	}
	if (p - s >= 12) {
		int y = 0;
		for (int k = 4; k >= 1; k--) {
			int v = cn_year_digit(p - 3 * k);
			if (v < 0)
				return 0;
			y = y * 10 + v;
		}
		return y >= 1949 && y <= 2199 ? y : 0;
	}
	return 0;
}

/* First year followed by 年 in s, 0 when none; with `fiscal` only one
 * written as a year of work (2023年度). */
static int year_in_(const char *s, int fiscal)
{
	for (const char *p = s; (p = strstr(p, "年")) != NULL; p += 3) {
		if (fiscal && memcmp(p + 3, "度", 3) != 0)
			continue;
		int y = year_before(s, p);
		if (y)
			return y;
	}
	return 0;
}

int doc_year_in(const char *s)
{
	return year_in_(s, 0);
}

/* Is paragraph p a date line (2024年3月5日, （二〇二四年一月）)? */
static int is_date_line(const struct doc_para *p)
{
	size_t chars = text_utf8_count(p->text, p->len);
	return chars <= 20 && strstr(p->text, "年") && strstr(p->text, "月") && doc_year_in(p->text);
}

/* ---- the tree --------------------------------------------------------- */

/*
 * Nodes while the tree is built.  Text always flows to the newest node, so
 * the texts of all nodes are laid out one after another in one buffer
 * (bd->texts), each ended by a NUL when the next node opens; a node keeps the
 * offsets of its text and of its marks there.  The items' texts stay in that
 * buffer, which the doc's arena adopts: nothing is copied twice.
 */
struct node {
	int depth;
	int children;
	size_t parent;          /* index into nodes, SIZE_MAX for sections */
	struct doc_label label;
	size_t t_off, t_len;    /* text in bd->texts.text */
	size_t m_off, m_n;      /* marks in bd->texts.map, norm relative to t_off */
	uint32_t start, end;
	uint32_t f_off;         /* its cells in bd->pieces (a table row) */
	uint16_t f_n;
	unsigned char leaf;     /* deeper numbering stays in its text (an item of a genre
				   form whose measures are listed under it) */
	unsigned char problem;  /* opened as a problem: a table row, 关于“…”的问题, 存在问题： */
};

/* A cell of a table row that fills a field of the row's item. */
struct piece {
	enum doc_field field;
	const struct doc_para *p;
	uint32_t a, b;          /* normalised bytes of p */
};

/* bd->cur when text has no node to go to (prose after a table). */
#define CUR_SINK (SIZE_MAX - 1)

struct builder {
	struct doc *d;
	VEC(struct node) nodes;
	VEC(struct piece) pieces;
	struct seg_text texts;  /* every node's text, see struct node */
	int stack_key[8];       /* style key per depth on the current path */
	size_t stack_node[8];
	int last_num[8];
	int sn;
	size_t cur;             /* node receiving text, SIZE_MAX: preamble */
	struct seg_text preamble;
	int structure;          /* a section has been opened */
	int has_heading;        /* the report uses heading styles at all */
	int frag_rank;          /* rank of the list an implicit section holds */
	int attachments;        /* in a list of attachments (附件：1.… 2.…) */
};

static int style_key(enum doc_style s, int md_level)
{
	return (int)s * 8 + (s == DOC_STYLE_MD ? md_level : 0);
}

static enum doc_style key_style(int key)
{
	return (enum doc_style)(key / 8);
}

/* Add a mark to map for output byte norm, never merging into marks before
 * index floor (which belong to another node). */
static void mark_add_from(struct markvec *map, size_t floor, size_t norm, uint32_t src)
{
	if (map->n > floor && map->v[map->n - 1].norm == norm) {
		map->v[map->n - 1].src = src;
		return;
	}
	if (map->n == map->cap) {
		map->cap = map->cap ? map->cap * 2 : 64;
		map->v = xreallocarray(map->v, map->cap, sizeof *map->v);
	}
	map->v[map->n].norm = (uint32_t)norm;
	map->v[map->n].src = src;
	map->n++;
}

/* Append normalised bytes [a, b) of paragraph p to the text that starts at
 * byte t_off of t (marks from index m_off; *len is its length so far),
 * separated from what is there by a newline when both are non-empty. */
static void seg_append(struct seg_text *t, size_t t_off, size_t m_off, size_t *len,
		       const struct doc_para *p, size_t a, size_t b)
{
	/* Trim white space at both ends of the piece. */
	while (a < b && (p->text[a] == ' ' || p->text[a] == '\t'))
		a++;
	while (a + 3 <= b && memcmp(p->text + a, "\u3000", 3) == 0)
		a += 3;
	while (b > a && (p->text[b - 1] == ' ' || p->text[b - 1] == '\t'))
		b--;
	while (b >= a + 3 && memcmp(p->text + b - 3, "\u3000", 3) == 0)
		b -= 3;
	if (a >= b)
		return;
	uint32_t src_a = doc_para_src(p, a);
	if (*len > 0) {
		mark_add_from(&t->map, m_off, *len, src_a);
		buf_putc(&t->text, '\n');
		++*len;
	}
	size_t base = *len;
	mark_add_from(&t->map, m_off, base, src_a);
	for (size_t k = 0; k < p->n_marks; k++) {
		const struct doc_mark *m = &p->marks[k];
		if (m->norm > a && m->norm < b)
			mark_add_from(&t->map, m_off, base + (m->norm - a), m->src);
	}
	buf_append(&t->text, p->text + a, b - a);
	*len += b - a;
	(void)t_off;
}

static void seg_release(struct seg_text *t)
{
	buf_release(&t->text);
	free(t->map.v);
	memset(t, 0, sizeof *t);
}

struct doc_span doc_seg_span(const struct doc *d, const struct seg_view *v, size_t a, size_t b)
{
	struct doc_span s = {0, 0};
	if (b <= a || b > v->len)
		return s;
	s.start = doc_marks_src(v->m, v->n, a);
	uint32_t last = doc_marks_src(v->m, v->n, text_utf8_back(v->p, b - 1));
	s.end = last + (uint32_t)text_utf8_len((unsigned char)d->src[last]);
	if (s.end > d->len)
		s.end = (uint32_t)d->len;
	return s;
}

/* The view of node nd's text (valid while bd->texts does not move). */
static struct seg_view node_view(const struct builder *bd, const struct node *nd)
{
	struct seg_view v = {bd->texts.text.p + nd->t_off, nd->t_len,
			     bd->texts.map.v ? bd->texts.map.v + nd->m_off : NULL, nd->m_n};
	return v;
}

/* Source end of the character that ends at normalised byte b of paragraph p. */
static uint32_t para_end_at(const struct doc *d, const struct doc_para *p, size_t b)
{
	if (b == 0)
		return p->span.start;
	return doc_para_span(d, p, text_utf8_back(p->text, b - 1), b).end;
}

static size_t new_node(struct builder *bd, int depth, const struct doc_para *p, size_t at,
		       const struct label_hit *h, int key, int mid)
{
	/* The text of the node that was receiving it ends here. */
	if (bd->nodes.n > 0)
		buf_putc(&bd->texts.text, '\0');
	struct node *nd = VEC_PUSH(bd->nodes);
	size_t idx = bd->nodes.n - 1;
	nd->depth = depth;
	nd->parent = depth > 0 ? bd->stack_node[depth - 1] : SIZE_MAX;
	nd->t_off = bd->texts.text.len;
	nd->m_off = bd->texts.map.n;
	nd->label.style = h->style;     /* as written, even when it joins a list in another style */
	nd->label.number = h->number;
	nd->label.text = label_text(&bd->d->arena, p->text + at, h);
	nd->label.inline_start = (unsigned)mid;
	nd->start = doc_para_src(p, at);
	nd->label.span.start = nd->start;
	nd->label.span.end = para_end_at(bd->d, p, at + h->core);
	nd->end = nd->label.span.end;
	nd->leaf = nd->problem = 0;
	nd->f_off = (uint32_t)bd->pieces.n;
	nd->f_n = 0;
	if (depth > 0)
		bd->nodes.v[nd->parent].children++;
	bd->stack_key[depth] = key;
	bd->stack_node[depth] = idx;
	bd->sn = depth + 1;
	bd->cur = idx;
	if (depth == 0)
		bd->structure = 1;
	return idx;
}

/* Give text [a, b) of paragraph p to the current node (or the preamble). */
static void give_text(struct builder *bd, const struct doc_para *p, size_t a, size_t b)
{
	if (a >= b || bd->cur == CUR_SINK)
		return;
	if (bd->cur == SIZE_MAX) {
		size_t len = bd->preamble.text.len;
		seg_append(&bd->preamble, 0, 0, &len, p, a, b);
		return;
	}
	struct node *nd = &bd->nodes.v[bd->cur];
	size_t before = nd->t_len;
	seg_append(&bd->texts, nd->t_off, nd->m_off, &nd->t_len, p, a, b);
	nd->m_n = bd->texts.map.n - nd->m_off;
	if (nd->t_len > before)
		nd->end = para_end_at(bd->d, p, b);
}

static int stack_find(const struct builder *bd, int key)
{
	for (int i = 0; i < bd->sn; i++)
		if (bd->stack_key[i] == key)
			return i;
	return -1;
}

/* The label that would follow number `num` of style s ("二是" after 一是). */
static int find_follower(const char *p, size_t n, enum doc_style s, int num)
{
	char want[48], cn[40];
	cn_numeral(num + 1, cn);
	switch (s) {
	case DOC_STYLE_CN_SHI: snprintf(want, sizeof want, "%s是", cn); break;
	case DOC_STYLE_CN_YAO: snprintf(want, sizeof want, "%s要", cn); break;
	case DOC_STYLE_DI: snprintf(want, sizeof want, "第%s", cn); break;
	case DOC_STYLE_SEQ: snprintf(want, sizeof want, "其次"); break;
	case DOC_STYLE_CIRCLED: text_utf8_put(0x2460 + (uint32_t)num, want);
		want[3] = '\0';
		break;
	case DOC_STYLE_AR_PAREN:
		snprintf(want, sizeof want, "%d）", num + 1);
		break;
	case DOC_STYLE_CN_DUN: snprintf(want, sizeof want, "%s、", cn); break;
	case DOC_STYLE_CN_PAREN: snprintf(want, sizeof want, "（%s）", cn); break;
	case DOC_STYLE_AR_DOT:
		snprintf(want, sizeof want, "%d、", num + 1);
		if (memmem(p, n, want, strlen(want)))
			return 1;
		snprintf(want, sizeof want, "%d.", num + 1);
		break;
	default: return 0;
	}
	return memmem(p, n, want, strlen(want)) != NULL;
}

static int number_follows(int last, int num)
{
	if (num == 0)
		return 1; /* 最后 */
	return num > last && num <= last + 3;
}

/* Does p[at] follow 。！？；： ? */
static int after_sentence_end(const char *p, size_t at)
{
	if (at < 3)
		return at == 0;
	const unsigned char *u = (const unsigned char *)p + at - 3;
	if (u[0] == 0xE3)
		return u[1] == 0x80 && u[2] == 0x82; /* 。 */
	return u[0] == 0xEF && u[1] == 0xBC &&
	       (u[2] == 0x81 || u[2] == 0x9F || u[2] == 0x9B || u[2] == 0x9A); /* ！？；： */
}

/* Can an inline label start with the character at p?  (Chinese numerals,
 * 第, 首其再最, circled numbers, the full-width parenthesis.) */
static int label_start_char(const char *p, size_t n)
{
	uint32_t cp;
	text_utf8_next(p, n, &cp);
	switch (cp) {
	case 0x4E00: case 0x4E8C: case 0x4E24: case 0x4E09: case 0x56DB: case 0x4E94:
	case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341: /* 一…十 */
	case 0x7B2C: /* 第 */
	case 0x9996: case 0x5176: case 0x518D: case 0x6700: /* 首其再最 */
	case 0xFF08: /* （ */
		return 1;
	default:
		return cp >= 0x2460 && cp <= 0x2487;
	}
}

/* The first byte at or after s[i] (of n) that is E3 or EF, the lead bytes
 * of 。！？；： and of the ideographic space, or an ASCII space, eight
 * bytes at a time; n when there is none. */
static size_t next_mark_lead(const char *s, size_t i, size_t n)
{
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (util_bytes_eq(w, 0xE3) | util_bytes_eq(w, 0xEF) | util_bytes_eq(w, ' '))
			break;
	}
	while (i < n && (unsigned char)s[i] != 0xE3 && (unsigned char)s[i] != 0xEF && s[i] != ' ')
		i++;
	return i;
}

/* Does p[at] follow white space (a space or an ideographic space)? */
static int after_space(const char *p, size_t at)
{
	return at >= 1 && (p[at - 1] == ' ' || (at >= 3 && memcmp(p + at - 3, "\u3000", 3) == 0));
}

/* May a heading label (一、 （一） 1.) found in the middle of a paragraph
 * open a node at depth *depth?  Only where it continues the numbering of
 * the path, or opens the first of a new level under a heading after white
 * space or with its second number further on: a document pasted as one
 * line keeps its structure, and 二、三季度 in a sentence stays text. */
static int mid_heading(const struct builder *bd, const char *s, size_t n, size_t q,
		       const struct label_hit *h, int *depth)
{
	if (h->style != DOC_STYLE_CN_DUN && h->style != DOC_STYLE_CN_PAREN &&
	    h->style != DOC_STYLE_AR_DOT)
		return 0;
	if (h->len >= n - q || label_start_char(s + q + h->len, n - q - h->len) ||
	    (s[q + h->len] >= '0' && s[q + h->len] <= '9'))
		return 0;
	int d = stack_find(bd, style_key(h->style, 0));
	if (d >= 0)
		return d <= 2 && (*depth = d, number_follows(bd->last_num[d], h->number));
	if (h->number != 1 || bd->sn > 2)
		return 0;
	if (bd->sn > 0 && (is_inline_style(key_style(bd->stack_key[bd->sn - 1])) ||
			   bd->nodes.v[bd->stack_node[bd->sn - 1]].leaf))
		return 0;
	*depth = bd->sn;
	return after_space(s, q) ||
	       find_follower(s + q + h->len, n - q - h->len, h->style, 1);
}

static int inline_field(const char *s, size_t n);

/* Scan paragraph p from `from` for labels that start mid-paragraph. */
static void scan_inline(struct builder *bd, const struct doc_para *p, size_t from)
{
	if (bd->cur < bd->nodes.n && bd->nodes.v[bd->cur].leaf) {
		give_text(bd, p, from, p->len);
		return;
	}
	size_t text_from = from;
	const char *s = p->text;
	size_t n = p->len;
	for (size_t q = from; q < n;) {
		/* Candidates follow a sentence end (。 is E3 80 82; ！？；： are
		 * EF BC xx) and begin with a Chinese numeral, 第, 首/其/再/最, ①
		 * or （: skip to the byte after the next E3 or EF lead byte that
		 * ends such a mark. */
		if (q == from || !(after_sentence_end(s, q) || after_space(s, q))) {
			size_t k = next_mark_lead(s, q, n);
			q = k < n && s[k] == ' ' ? k + 1 : k + 3 <= n ? k + 3 : n;
			continue;
		}
		unsigned char c = (unsigned char)s[q];
		if ((c >= 0xE2 && label_start_char(s + q, n - q)) || (c >= '1' && c <= '9')) {
			struct label_hit h;
			int hd;
			if (doc_label_at(s + q, n - q, &h) && mid_heading(bd, s, n, q, &h, &hd)) {
				give_text(bd, p, text_from, q);
				bd->sn = hd;
				if (hd == 0 || !is_inline_style(h.style))
					while (bd->sn > 0 &&
					       is_inline_style(key_style(bd->stack_key[bd->sn - 1])))
						bd->sn--;
				if (bd->sn < hd)
					hd = bd->sn;
				if (hd == bd->sn)
					bd->last_num[hd] = 0;
				size_t idx = new_node(bd, hd, p, q, &h, style_key(h.style, 0), 1);
				bd->last_num[hd] = h.number;
				q += h.len;
				text_from = q;
				if (hd > 0 && inline_field(s + q, n - q))
					bd->nodes.v[idx].leaf = 1;
				continue;
			}
			if (doc_label_at(s + q, n - q, &h) && is_inline_style(h.style)) {
				int key = style_key(h.style, 0);
				int d = stack_find(bd, key);
				int take = 0, depth = 0;
				if (d >= 1 && number_follows(bd->last_num[d], h.number)) {
					take = 1;
					depth = d;
				} else if (d < 0 && h.number == 1 && bd->sn >= 1 && bd->sn <= 2 &&
					   !is_inline_style(key_style(bd->stack_key[bd->sn - 1])) &&
					   !bd->nodes.v[bd->stack_node[bd->sn - 1]].leaf &&
					   (after_space(s, q) ||
					    find_follower(s + q + h.len, n - q - h.len, h.style, 1))) {
					take = 1;
					depth = bd->sn;
				}
				if (take && depth <= 2) {
					give_text(bd, p, text_from, q);
					if (h.number == 0)
						h.number = bd->last_num[depth] + 1;
					new_node(bd, depth, p, q, &h, key, 1);
					bd->last_num[depth] = h.number;
					q += h.len;
					text_from = q;
					continue;
				}
			}
		}
		q += (size_t)text_utf8_len(c);
	}
	give_text(bd, p, text_from, n);
}

/* ---- genre forms: problem openers, field labels ------------------------ */

/* Does s[i] end the form of an opener or a field label: the end of the
 * text, a line break, a space, or 。：；？！ ? */
static int form_end(const char *s, size_t n, size_t i)
{
	return i >= n || s[i] == '\n' || s[i] == ' ' || AT(s, n, i, "。") || AT(s, n, i, "：") ||
	       AT(s, n, i, "；") || AT(s, n, i, "\u3000") || AT(s, n, i, "？") || AT(s, n, i, "！");
}

/* The longest word of wl at s[i..n), 0 when none. */
static size_t word_at_(const struct wordlist *wl, const char *s, size_t n, size_t i)
{
	size_t best = 0;
	for (size_t k = 0; wl && k < wl->n; k++)
		if (wl->len[k] > best && i + wl->len[k] <= n && memcmp(s + i, wl->w[k], wl->len[k]) == 0)
			best = wl->len[k];
	return best;
}

/* Characters a problem named by an opener may have. */
#define OPENER_MAX_CHARS 60

/* The openers and closers of data/genres.txt, loaded once (items are
 * filled on two threads). */
static struct {
	const struct wordlist *op, *cl;
} openers;
static pthread_once_t openers_once = PTHREAD_ONCE_INIT;

static void openers_load(void)
{
	openers.op = doc_words("data/genres.txt#opener");
	openers.cl = doc_words("data/genres.txt#closer");
}

/*
 * A problem introduced by its form at the start of s (关于“X”的问题,
 * 针对“X”问题, 反馈指出的X问题): 1 with [*a, *b) the problem X and *end the
 * end of the form, which must end its title (form_end).
 */
static int problem_opener(const char *s, size_t n, size_t *a, size_t *b, size_t *end,
			  int *quoted)
{
	*quoted = 0;
	pthread_once(&openers_once, openers_load);
	const struct wordlist *op = openers.op, *cl = openers.cl;
	if (n < 9 || !op || !wordlist_may_start(op, s, n))
		return 0;
	size_t x = word_at_(op, s, n, 0);
	if (!x)
		return 0;
	if (AT(s, n, x, "“")) {
		const char *q = memmem(s + x + 3, n - x - 3, "”", 3);
		if (!q)
			return 0;
		size_t after = (size_t)(q - s) + 3;
		size_t c = word_at_(cl, s, n, after);
		if (!c || !(form_end(s, n, after + c) || AT(s, n, after + c, "，")))
			return 0;
		*a = x + 3;
		*b = (size_t)(q - s);
		*end = after + c;
		*quoted = 1;
		return *b > *a;
	}
	size_t chars = 0;
	for (size_t i = x; i < n && chars <= OPENER_MAX_CHARS; chars++) {
		if (AT(s, n, i, "，") || AT(s, n, i, "。") || AT(s, n, i, "；") || AT(s, n, i, "：") ||
		    s[i] == '\n')
			return 0;
		size_t c = word_at_(cl, s, n, i);
		if (c && i > x && form_end(s, n, i + c)) {
			*a = x;
			*b = i;
			*end = i + c;
			return 1;
		}
		i += (size_t)text_utf8_len((unsigned char)s[i]);
	}
	return 0;
}

/* A field label at the start of s ("存在问题：", "整改措施："): its field,
 * with *len the bytes of the label and its colon; DOC_FIELD__MAX when none. */
static enum doc_field field_label(const char *s, size_t n, size_t *len)
{
	size_t lim = n < (DOC_FIELD_HEADER_MAX + 1) * 3 ? n : (DOC_FIELD_HEADER_MAX + 1) * 3;
	const char *c = find3(s, lim, "：");
	if (!c || c == s)
		return DOC_FIELD__MAX;
	size_t l = (size_t)(c - s);
	enum doc_field f = doc_field_exact(s, l);
	if (f == DOC_FIELD__MAX) {
		/* A label with its ordinal: 问题一：, 反馈问题2：. */
		size_t k = l;
		while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9')
			k--;
		if (k == l)
			while (k >= 3 && text_cn_number_span(s + k - 3, 3) == 3)
				k -= 3;
		if (k < l && k > 0)
			f = doc_field_exact(s, k);
	}
	if (f != DOC_FIELD__MAX)
		*len = l + 3;
	return f;
}

/* Does a field label follow the first sentence of s (…问题。整改情况：)? */
static int inline_field(const char *s, size_t n)
{
	size_t len;
	const char *x = find3(s, n, "。");
	return x && x + 3 < s + n &&
	       field_label(x + 3, (size_t)(s + n - x - 3), &len) != DOC_FIELD__MAX;
}

/* ---- tables ------------------------------------------------------------ */

/* Columns of a table row read at most. */
#define TABLE_MAX_COLS 64

struct cell {
	uint32_t a, b;          /* normalised bytes of the row's paragraph, trimmed */
};

static int is_blank_at(const char *s, size_t n, size_t i, size_t *len)
{
	if (s[i] == ' ') {
		*len = 1;
		return 1;
	}
	if (AT(s, n, i, "\u3000")) {
		*len = 3;
		return 1;
	}
	return 0;
}

/* The cells of a table row: split at tabs, or at '|' for a Markdown row. */
static size_t row_cells(const struct doc_para *p, struct cell *c)
{
	const char *s = p->text;
	size_t n = p->len, i = 0, nc = 0;
	char sep = memchr(s, '\t', n) ? '\t' : '|';
	if (sep == '|') {
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && s[i] == '|')
			i++;
		size_t e = n;
		while (e > i && s[e - 1] == ' ')
			e--;
		if (e > i && s[e - 1] == '|')
			n = e - 1;
	}
	for (;;) {
		size_t j = i;
		while (j < n && s[j] != sep)
			j++;
		size_t a = i, b = j, k;
		while (a < b && is_blank_at(s, b, a, &k))
			a += k;
		while (b > a && (s[b - 1] == ' ' || (b >= a + 3 && AT(s, b, b - 3, "\u3000"))))
			b -= s[b - 1] == ' ' ? 1 : 3;
		if (nc < TABLE_MAX_COLS)
			c[nc++] = (struct cell){(uint32_t)a, (uint32_t)b};
		if (j >= n)
			break;
		i = j + 1;
	}
	return nc;
}

/* The fields a row names as a header: col[f] for each field found; the
 * number of fields, 0 unless a problem column (or, in a plain task list, a
 * measures column beside two others) is among them. */
static int header_fields(const struct doc_para *p, const struct cell *c, size_t nc, int *col)
{
	int found = 0, second_measures = -1;
	for (int f = 0; f < DOC_FIELD__MAX; f++)
		col[f] = -1;
	for (size_t k = 0; k < nc; k++) {
		char tmp[3 * (DOC_FIELD_HEADER_MAX + 8)];
		size_t l = c[k].b - c[k].a;
		if (l == 0 || l >= sizeof tmp)
			continue;
		memcpy(tmp, p->text + c[k].a, l);
		tmp[l] = '\0';
		enum doc_field f = doc_field_of_header(tmp);
		if (f == DOC_FIELD_MEASURES && col[f] >= 0 && second_measures < 0)
			second_measures = (int)k;
		if (f != DOC_FIELD__MAX && col[f] < 0) {
			col[f] = (int)k;
			found++;
		}
	}
	/* A task list with no problem column: its task column (整改任务) is
	 * the item, and a second column of measures (具体措施) its measures. */
	if (col[DOC_FIELD_PROBLEM] < 0 && col[DOC_FIELD_MEASURES] >= 0 && found >= 3) {
		col[DOC_FIELD_PROBLEM] = col[DOC_FIELD_MEASURES];
		col[DOC_FIELD_MEASURES] = second_measures;
	}
	return col[DOC_FIELD_PROBLEM] >= 0 && found >= 2 ? found : 0;
}

static size_t cell_len(const struct cell *c, size_t nc, int k)
{
	return k >= 0 && (size_t)k < nc ? c[k].b - c[k].a : 0;
}

static int cell_is(const struct doc_para *p, const struct cell *c, size_t nc, int k,
		   const char *s)
{
	size_t l = strlen(s);
	return cell_len(c, nc, k) == l && memcmp(p->text + c[k].a, s, l) == 0;
}

/* A row whose only text stands left of the problem column and is not a
 * number: a heading merged across the table (一、政治建设方面); *only is
 * its cell. */
static int heading_row(const struct doc_para *p, const struct cell *c, size_t nc, int pc,
		       size_t *only)
{
	size_t filled = 0;
	for (size_t k = 0; k < nc; k++)
		if (c[k].b > c[k].a) {
			filled++;
			*only = k;
		}
	if (filled != 1 || (int)*only >= pc)
		return 0;
	size_t l = c[*only].b - c[*only].a;
	return strspn(p->text + c[*only].a, "0123456789.、") < l;
}

static void pop_to(struct builder *bd, int depth);
static void add_para(struct builder *bd, const struct doc_para *p, const struct para_info *pi);

/* The rows of a table from paragraph i on (those of `info` flagged as table
 * rows): when one of its first rows is a header naming a problem column,
 * each row below is a problem item (under an area from a 方面 column or a
 * heading row), with its other cells as the item's fields, and the index
 * of the paragraph after the table is returned; 0 when the rows are not a
 * 整改任务清单 (they are then read as text). */
static size_t add_table(struct builder *bd, const struct doc_para *paras,
			const struct para_info *info, size_t i, size_t n)
{
	size_t end = i;
	while (end < n && info[end].table)
		end++;
	struct cell c[TABLE_MAX_COLS];
	int col[DOC_FIELD__MAX];
	size_t hr = SIZE_MAX;
	for (size_t r = i; r < end && r < i + 3; r++) {
		size_t nc = row_cells(&paras[r], c);
		if (header_fields(&paras[r], c, nc, col)) {
			hr = r;
			break;
		}
	}
	if (hr == SIZE_MAX)
		return 0;
	/* Rows above the header (the table's own title) are text. */
	for (size_t r = i; r < hr; r++)
		give_text(bd, &paras[r], 0, paras[r].len);
	struct cell hc[TABLE_MAX_COLS];
	row_cells(&paras[hr], hc);
	int pc = col[DOC_FIELD_PROBLEM], ac = col[DOC_FIELD_AREA];
	/* Where the rows go: areas from a 方面 column or heading rows. */
	int areas = ac >= 0;
	for (size_t r = hr + 1; r < end && !areas; r++) {
		size_t nc = row_cells(&paras[r], c), only;
		areas = heading_row(&paras[r], c, nc, pc, &only);
	}
	if (bd->sn == 0) {
		/* A table that is the whole document: one section holds it. */
		struct doc_para none = {.span = {paras[i].span.start, paras[i].span.start}, .text = "",
					.len = 0};
		struct label_hit h = {0};
		new_node(bd, 0, &none, 0, &h, style_key(DOC_STYLE_NONE, 0), 0);
	}
	int item_depth;
	if (areas) {
		pop_to(bd, 1);
		item_depth = 2;
	} else if (bd->sn >= 2 && !bd->nodes.v[bd->stack_node[1]].leaf &&
		   is_area_style(key_style(bd->stack_key[1]))) {
		pop_to(bd, 2);
		item_depth = 2;
	} else {
		pop_to(bd, 1);
		item_depth = 1;
	}
	int item_key = style_key(DOC_STYLE_TABLE, 0), area_key = style_key(DOC_STYLE_TABLE, 1);
	size_t item = SIZE_MAX;
	const char *area_text = NULL;
	size_t area_len = 0;
	for (size_t r = hr + 1; r < end; r++) {
		const struct doc_para *p = &paras[r];
		size_t nc = row_cells(p, c), filled = 0, only = 0;
		for (size_t k = 0; k < nc; k++)
			filled += c[k].b > c[k].a;
		if (filled == 0)
			continue;
		int heading = heading_row(p, c, nc, pc, &only);
		/* The header again (repeated on each page), and totals. */
		if (cell_len(c, nc, pc) && cell_len(c, nc, pc) == hc[pc].b - hc[pc].a &&
		    memcmp(p->text + c[pc].a, paras[hr].text + hc[pc].a, hc[pc].b - hc[pc].a) == 0)
			continue;
		int seqc = col[DOC_FIELD_SEQ];
		if (cell_is(p, c, nc, seqc, "合计") || cell_is(p, c, nc, seqc, "总计") ||
		    cell_is(p, c, nc, seqc, "小计"))
			continue;
		/* A new area: a row holding one text (a heading merged across the
		 * row), or a 方面 cell that differs from the one above. */
		size_t aa = 0, ab = 0;
		if (heading && areas) {
			aa = c[only].a;
			ab = c[only].b;
		} else if (ac >= 0 && cell_len(c, nc, ac) &&
			   !(area_text && cell_len(c, nc, ac) == area_len &&
			     memcmp(p->text + c[ac].a, area_text, area_len) == 0)) {
			aa = c[ac].a;
			ab = c[ac].b;
		}
		if (ab > aa) {
			area_text = p->text + aa;
			area_len = ab - aa;
			pop_to(bd, 1);
			struct label_hit h;
			if (!doc_label_at(p->text + aa, ab - aa, &h) || is_inline_style(h.style)) {
				memset(&h, 0, sizeof h);
				h.style = DOC_STYLE_TABLE;
			}
			if (h.style == DOC_STYLE_TABLE)
				h.number = bd->last_num[1] + 1;
			new_node(bd, 1, p, aa, &h, area_key, 0);
			bd->last_num[1] = h.number;
			bd->last_num[2] = 0;
			give_text(bd, p, aa + h.len, ab);
			item = SIZE_MAX;
			if (heading)
				continue;
		}
		if (cell_len(c, nc, pc)) {
			struct label_hit h = {.style = DOC_STYLE_TABLE};
			size_t at = c[pc].a;
			if (seqc >= 0 && cell_len(c, nc, seqc)) {
				at = c[seqc].a;
				h.core = h.len = c[seqc].b - c[seqc].a;
				struct label_hit sh;
				size_t dg = strspn(p->text + at, "0123456789");
				if (dg > 0 && dg <= 3 && dg == h.core)
					h.number = atoi(p->text + at); /* 序号 1: the label 1. */
				else if (doc_label_at(p->text + at, h.core, &sh) && sh.len == h.core)
					h.number = sh.number;
			}
			pop_to(bd, item_depth);
			if (item_depth == 2 && bd->sn < 2) {
				/* Rows above the first heading row: an area with no title. */
				struct label_hit ah = {.style = DOC_STYLE_TABLE, .number = 1};
				new_node(bd, 1, p, at, &ah, area_key, 0);
				bd->last_num[1] = 1;
				bd->last_num[2] = 0;
			}
			if (!h.number)
				h.number = bd->last_num[item_depth] + 1;
			item = new_node(bd, item_depth, p, at, &h, item_key, 0);
			bd->last_num[item_depth] = h.number;
			bd->nodes.v[item].problem = bd->nodes.v[item].leaf = 1;
			give_text(bd, p, c[pc].a, c[pc].b);
		} else if (item == SIZE_MAX || bd->cur != item) {
			continue; /* a row that continues no item */
		}
		struct node *nd = &bd->nodes.v[item];
		for (int f = 0; f < DOC_FIELD__MAX; f++) {
			int k = col[f];
			if (k < 0 || f == DOC_FIELD_SEQ || f == DOC_FIELD_AREA || f == DOC_FIELD_PROBLEM ||
			    !cell_len(c, nc, k))
				continue;
			if (nd->f_n == UINT16_MAX)
				break;
			*VEC_PUSH(bd->pieces) = (struct piece){(enum doc_field)f, p, c[k].a, c[k].b};
			nd->f_n++;
		}
		nd->end = p->span.end;
	}
	/* Prose after the table belongs to no row, and a list after it is
	 * not under the last row. */
	bd->cur = CUR_SINK;
	pop_to(bd, item_depth);
	return end;
}

/* Close the levels from `depth` down. */
static void pop_to(struct builder *bd, int depth)
{
	if (bd->sn > depth)
		bd->sn = depth;
}

/* The rank of a heading style in the customary hierarchy (一、 > （一） >
 * 1. > （1） > ①), -1 for styles that have none. */
static int style_rank(enum doc_style s)
{
	switch (s) {
	case DOC_STYLE_PART: return 0;
	case DOC_STYLE_CN_DUN: return 1;
	case DOC_STYLE_CN_PAREN: return 2;
	case DOC_STYLE_AR_DOT: return 3;
	case DOC_STYLE_AR_PAREN: return 4;
	case DOC_STYLE_CIRCLED: return 5;
	default: return -1;
	}
}

/* The shallowest depth on the current path whose node keeps deeper
 * numbering in its text, -1 when none. */
static int leaf_depth(const struct builder *bd)
{
	for (int k = 0; k < bd->sn; k++)
		if (bd->nodes.v[bd->stack_node[k]].leaf)
			return k;
	return -1;
}

/* Characters of an entry of a list of attachments, at most. */
#define ATTACHMENT_MAX_CHARS 60

static void add_para(struct builder *bd, const struct doc_para *p, const struct para_info *pi)
{
	struct label_hit h;
	int have = doc_label_at(p->text, p->len, &h);
	/* 附件：1.… then 2.… under it: the list of attachments, not items. */
	if (AT(p->text, p->len, 0, "附件")) {
		bd->attachments = 1;
	} else if (bd->attachments && have && !pi->md_level &&
		   text_utf8_count(p->text, p->len) <= ATTACHMENT_MAX_CHARS &&
		   !(p->len >= 3 && memcmp(p->text + p->len - 3, "。", 3) == 0)) {
		give_text(bd, p, 0, p->len);
		return;
	} else {
		bd->attachments = 0;
	}
	if (!have && pi->md_level > 0) {
		memset(&h, 0, sizeof h);
		h.style = DOC_STYLE_MD;
		have = 1;
	}
	/* The forms of other genres: a problem opened by 关于“…”的问题 or
	 * 存在问题：, a field of an item (整改措施：, 责任单位：). */
	size_t body = have ? h.len : 0, oa, ob, oe, fl;
	int quoted;
	int opener = problem_opener(p->text + body, p->len - body, &oa, &ob, &oe, &quoted);
	enum doc_field fld = opener ? DOC_FIELD__MAX
				    : field_label(p->text + body, p->len - body, &fl);
	int problem = opener || fld == DOC_FIELD_PROBLEM;
	int cur_item = bd->cur < bd->nodes.n && bd->nodes.v[bd->cur].depth > 0;
	if (!have && problem) {
		memset(&h, 0, sizeof h);
		h.style = DOC_STYLE_GENRE;
		have = 1;
	}
	if (!have) {
		if (fld != DOC_FIELD__MAX && cur_item)
			bd->nodes.v[bd->cur].leaf = 1;
		if (cur_item && bd->nodes.v[bd->cur].leaf)
			give_text(bd, p, 0, p->len);
		else
			scan_inline(bd, p, 0);
		return;
	}
	int key = style_key(h.style, h.style == DOC_STYLE_MD ? pi->md_level : 0);
	int inl = is_inline_style(h.style);
	if (inl && !bd->structure && bd->has_heading) {
		/* Enumerations in the preamble are not structure. */
		scan_inline(bd, p, 0);
		return;
	}
	int d = stack_find(bd, key);
	if (h.style == DOC_STYLE_GENRE && d < 0 && bd->sn > 0 &&
	    bd->nodes.v[bd->stack_node[bd->sn - 1]].leaf && bd->sn > 1) {
		/* An unnumbered problem after a numbered one: its sibling. */
		d = bd->sn - 1;
		key = bd->stack_key[d];
	}
	if (d < 0 && bd->sn > 0 && h.number > 1 &&
	    h.number == bd->last_num[bd->sn - 1] + 1 &&
	    style_family(h.style) == style_family(key_style(bd->stack_key[bd->sn - 1]))) {
		/* 1． 2、 (3): a number that continues the open list in a related
		 * style is a sloppy sibling, not a new level. */
		d = bd->sn - 1;
		key = bd->stack_key[d];
	}
	if (d < 0 && !inl && h.number > 1 && style_rank(h.style) >= 0) {
		/* A heading that continues a list whose start is not there (a
		 * fragment starting at 8. 9. 10. and then 三、) sits above the
		 * styles it outranks, not under them. */
		for (; bd->sn > 0; bd->sn--) {
			enum doc_style top = key_style(bd->stack_key[bd->sn - 1]);
			int r = top == DOC_STYLE_NONE ? bd->frag_rank : style_rank(top);
			if (r <= style_rank(h.style))
				break;
		}
	}
	if (d < 0 && problem && bd->sn == 0) {
		/* A problem before any heading: a section with no title holds it. */
		struct doc_para none = {.span = {p->span.start, p->span.start}, .text = "", .len = 0};
		struct label_hit nh = {0};
		new_node(bd, 0, &none, 0, &nh, style_key(DOC_STYLE_NONE, 0), 0);
	}
	if (d < 0) {
		/* A heading never sits under an inline item. */
		if (!inl)
			while (bd->sn > 0 && is_inline_style(key_style(bd->stack_key[bd->sn - 1])))
				bd->sn--;
		/* An inline style under an inline item is a sub-enumeration. */
		if (inl && bd->sn > 0 && is_inline_style(key_style(bd->stack_key[bd->sn - 1]))) {
			scan_inline(bd, p, 0);
			return;
		}
		d = bd->sn;
	}
	/* Deeper numbering stays in its item's text: past depth 2, and under
	 * an item that lists its measures below it. */
	int lf = leaf_depth(bd);
	if (d >= 3 || (lf >= 0 && d > lf && !(problem && d <= 2))) {
		if (cur_item && bd->nodes.v[bd->cur].leaf)
			give_text(bd, p, 0, p->len);
		else
			scan_inline(bd, p, 0);
		return;
	}
	if (h.style == DOC_STYLE_MD || h.style == DOC_STYLE_GENRE || h.number == 0)
		h.number = (d < bd->sn || d == bd->sn - 1 ? bd->last_num[d] : 0) + 1;
	if (d == bd->sn)
		bd->last_num[d] = 0;
	if (h.style == DOC_STYLE_SEQ && h.number == 0)
		h.number = bd->last_num[d] + 1;
	size_t idx = new_node(bd, d, p, 0, &h, key, 0);
	bd->last_num[d] = h.number;
	if (!problem && d > 0 && inline_field(p->text + h.len, p->len - h.len))
		bd->nodes.v[idx].leaf = 1; /* （一）问题。整改情况：1.… */
	if (problem && d > 0) {
		/* 关于“X”的问题 and 存在问题： are items whose measures are listed
		 * under them; 关于X方面的问题 may also head an area of items. */
		bd->nodes.v[idx].problem = 1;
		bd->nodes.v[idx].leaf = quoted || !opener || inline_field(p->text + h.len, p->len - h.len);
		give_text(bd, p, h.len, p->len);
	} else {
		scan_inline(bd, p, h.len);
	}
}

/* Split normalised text t of a heading node into title and the rest: the
 * title ends at the first 。 of the text (or at its first line break). */
static void split_title(struct doc *d, const struct seg_view *t, uint32_t at, int mid,
			char **title, struct doc_span *title_span, char **rest)
{
	const char *s = t->p;
	size_t n = t->len;
	const char *nl = memchr(s, '\n', n);
	size_t line = nl ? (size_t)(nl - s) : n;
	const char *stop = find3(s, line, "。");
	size_t te = stop ? (size_t)(stop - s) : line;
	size_t rs = stop ? te + 3 : line + (nl ? 1 : 0);
	/* A heading in the middle of a paragraph (a document pasted as one
	 * line) ends where white space sets its text apart. */
	for (size_t i = 0, chars = 0; mid && i < te; chars++) {
		if (chars >= 2 && (s[i] == ' ' || AT(s, te, i, "\u3000"))) {
			rs = i;
			te = i;
			break;
		}
		i += (size_t)text_utf8_len((unsigned char)s[i]);
	}
	while (te >= 3 && (memcmp(s + te - 3, "：", 3) == 0 || memcmp(s + te - 3, "；", 3) == 0))
		te -= 3;
	*title = arena_strndup(&d->arena, s, te);
	*title_span = doc_seg_span(d, t, 0, te);
	if (te == 0) /* an empty title sits right after the label */
		title_span->start = title_span->end = at;
	while (rs < n && (s[rs] == '\n' || s[rs] == ' '))
		rs++;
	/* The rest runs to the node's NUL in the shared buffer. */
	*rest = (char *)s + (rs < n ? rs : n);
}

/* Is s[0..n) a bare topic that the next clause comments on (在理论学习上,
 * 对于基层反映的问题)? */
static int topic_clause(const char *s, size_t n)
{
	static const char *const open[] = {"在", "对于", "对", "关于", "围绕", "面对", "从", "就"};
	static const char *const close[] = {"上", "中", "下", "方面", "面前", "时", "里", "过程中"};
	size_t chars = text_utf8_count(s, n);
	if (chars <= 4)
		return 1;
	int o = 0, c = 0;
	for (size_t i = 0; i < ARRAY_LEN(open) && !o; i++)
		o = n >= strlen(open[i]) && memcmp(s, open[i], strlen(open[i])) == 0;
	for (size_t i = 0; i < ARRAY_LEN(close) && !c; i++)
		c = n >= strlen(close[i]) && memcmp(s + n - strlen(close[i]), close[i], strlen(close[i])) == 0;
	return o && c;
}

/* Characters past which a lead is cut at a comma. */
#define LEAD_MAX_CHARS 26

/* The lead of an item: its first clause (up to 。！？；：, or to the first ，
 * when that sentence is long, or to the next ， when the first clause is a
 * bare topic), without the closing punctuation; a heading followed by its
 * body after a space (a bold run in Word) ends at the space. */
static size_t lead_len(const char *s, size_t n)
{
	size_t end = n, commas[2] = {n, n}, chars = 0, space = n;
	for (size_t i = 0; i < n;) {
		if (s[i] == '\n' || AT(s, n, i, "。") || AT(s, n, i, "！") || AT(s, n, i, "？") ||
		    AT(s, n, i, "；") || AT(s, n, i, "：")) {
			end = i;
			break;
		}
		if (AT(s, n, i, "，")) {
			if (commas[0] == n)
				commas[0] = i;
			else if (commas[1] == n)
				commas[1] = i;
		}
		if (space == n && chars >= 4 && chars <= LEAD_MAX_CHARS &&
		    (s[i] == ' ' || AT(s, n, i, "\u3000")))
			space = i;
		i += (size_t)text_utf8_len((unsigned char)s[i]);
		chars++;
	}
	if (space < end && commas[0] > space) {
		/* A heading and its body, apart: the body must go on after it. */
		size_t k = space;
		while (k < n && (s[k] == ' ' || AT(s, n, k, "\u3000")))
			k += s[k] == ' ' ? 1 : 3;
		if (text_utf8_count(s + k, end - k) >= 10)
			return space;
	}
	if (chars > LEAD_MAX_CHARS && commas[0] < end) {
		if (topic_clause(s, commas[0]))
			return commas[1] < end ? commas[1] : end;
		end = commas[0];
	}
	return end;
}

/* Fields of an item at most. */
#define ITEM_MAX_FIELDS 32
/* Characters of a status (已完成, 正在推进), at most; more is progress. */
#define STATUS_MAX_CHARS 8

/* The fields of an item: the cells of its table row(s), else the labelled
 * parts of its text (存在问题：… 整改措施：… 责任单位：…).  Returns the
 * bytes of its text where the problem starts (after 存在问题：), 0 when the
 * text has no such label. */
static size_t item_fields(struct doc *d, const struct builder *bd, struct doc_item *it,
			  const struct node *nd, const struct seg_view *v)
{
	struct seg {
		enum doc_field f;
		size_t a, b;            /* text bytes, or index of a piece */
	} seg[ITEM_MAX_FIELDS];
	size_t ns = 0, problem_at = 0;
	const char *s = v->p;
	size_t n = v->len;
	if (nd->f_n) {
		for (size_t k = 0; k < nd->f_n && ns < ITEM_MAX_FIELDS; k++)
			seg[ns++] = (struct seg){bd->pieces.v[nd->f_off + k].field, nd->f_off + k, 0};
	} else if (find3(s, n, "：")) {
		/* Labels open a line, or a sentence after 。 or ；. */
		size_t last = SIZE_MAX, first_at = SIZE_MAX;
		for (size_t i = 0; i < n;) {
			size_t len;
			enum doc_field f;
			if ((i == 0 || s[i - 1] == '\n' || (i >= 3 && (AT(s, n, i - 3, "。") ||
								   AT(s, n, i - 3, "；")))) &&
			    (f = field_label(s + i, n - i, &len)) != DOC_FIELD__MAX) {
				if (last != SIZE_MAX)
					seg[last].b = i;
				if (ns == ITEM_MAX_FIELDS)
					break;
				seg[ns] = (struct seg){f, i + len, n};
				if (first_at == SIZE_MAX)
					first_at = i;
				last = ns++;
				i += len;
				continue;
			}
			i += s[i] == '\n' ? 1 : (size_t)text_utf8_len((unsigned char)s[i]);
		}
		if (ns && seg[0].f == DOC_FIELD_PROBLEM && first_at == 0)
			problem_at = seg[0].a;
	}
	/* A status that says more than a state (整改结果：已于6月全额上缴…) is
	 * progress. */
	for (size_t k = 0; k < ns; k++) {
		if (seg[k].f != DOC_FIELD_STATUS)
			continue;
		size_t chars = nd->f_n ? text_utf8_count(bd->pieces.v[seg[k].a].p->text +
							 bd->pieces.v[seg[k].a].a,
						 bd->pieces.v[seg[k].a].b - bd->pieces.v[seg[k].a].a)
				       : text_utf8_count(s + seg[k].a, seg[k].b - seg[k].a);
		if (chars > STATUS_MAX_CHARS)
			seg[k].f = DOC_FIELD_PROGRESS;
	}
	/* One value per field, in field order; repeated fields join by line. */
	size_t nf = 0;
	unsigned have = 0;
	for (size_t k = 0; k < ns; k++)
		if (seg[k].f != DOC_FIELD_PROBLEM && seg[k].f != DOC_FIELD_SEQ &&
		    seg[k].f != DOC_FIELD_AREA && !(have & (1u << seg[k].f))) {
			have |= 1u << seg[k].f;
			nf++;
		}
	if (!nf)
		return problem_at;
	it->fields = arena_alloc(&d->arena, nf * sizeof *it->fields);
	for (int f = 0; f < DOC_FIELD__MAX; f++) {
		if (!(have & (1u << f)))
			continue;
		struct doc_field_value *fv = &it->fields[it->n_fields++];
		fv->field = (enum doc_field)f;
		struct buf b = BUF_INIT(0);
		int first = 1;
		for (size_t k = 0; k < ns; k++) {
			if (seg[k].f != (enum doc_field)f)
				continue;
			const char *t;
			size_t ta, tb;
			struct doc_span sp;
			if (nd->f_n) {
				const struct piece *pc = &bd->pieces.v[seg[k].a];
				t = pc->p->text;
				ta = pc->a;
				tb = pc->b;
				sp = doc_para_span(d, pc->p, ta, tb);
			} else {
				t = s;
				ta = seg[k].a;
				tb = seg[k].b;
				while (ta < tb && (t[ta] == ' ' || t[ta] == '\n'))
					ta++;
				while (tb > ta && (t[tb - 1] == ' ' || t[tb - 1] == '\n'))
					tb--;
				if (tb <= ta)
					continue;
				sp = doc_seg_span(d, v, ta, tb);
			}
			if (!first)
				buf_putc(&b, '\n');
			buf_append(&b, t + ta, tb - ta);
			if (first)
				fv->span = sp;
			else if (sp.end > fv->span.end)
				fv->span.end = sp.end;
			first = 0;
		}
		fv->text = arena_strndup(&d->arena, b.p ? b.p : "", b.len);
		buf_release(&b);
	}
	return problem_at;
}

static void fill_item(struct doc *d, const struct builder *bd, struct doc_item *it,
		      const struct node *nd, const struct seg_view *v)
{
	const char *s = v->p;
	size_t n = v->len;
	it->label = nd->label;
	size_t la = 0, lb, oe;
	int quoted;
	if (nd->problem && problem_opener(s, n, &la, &lb, &oe, &quoted)) {
		/* 关于“X”的问题: the lead is X. */
		item_fields(d, bd, it, nd, v);
	} else {
		la = item_fields(d, bd, it, nd, v);
		size_t oa, ob;
		if (la && problem_opener(s + la, n - la, &oa, &ob, &oe, &quoted)) {
			/* 反馈问题一：关于“X”的问题 -- the lead is X. */
			lb = la + ob;
			la += oa;
		} else {
			lb = la + lead_len(s + la, n - la);
		}
	}
	it->lead = arena_strndup(&d->arena, s + la, lb - la);
	it->lead_span = doc_seg_span(d, v, la, lb);
	if (lb == la) /* an empty lead sits right after the label */
		it->lead_span.start = it->lead_span.end = nd->label.span.end;
	it->span.start = nd->start;
	it->span.end = nd->end;
	doc_extract_examples(d, it, v, 0);
	/* The text stays where it was gathered (the arena owns that buffer). */
	it->text = (char *)s;
}

/* An item to fill from its node's text (see fill_items). */
struct fill {
	struct doc_item *it;
	const struct node *nd;
};

/* Lay out the sections and areas from the nodes, with their titles, roles
 * and spans; the items are only counted and placed: each one to fill is
 * listed in fills (room for every node), and their number is returned. */
static size_t build_sections(struct builder *bd, struct fill *fills, size_t *sec_items)
{
	struct doc *d = bd->d;
	struct node *nodes = bd->nodes.v;
	size_t nn = bd->nodes.n, nf = 0;
	/* The last node's text ends; from here on the buffer does not move, and
	 * the doc keeps it: the tree's texts point into it. */
	buf_putc(&bd->texts.text, '\0');
	if (bd->texts.text.err) /* impossible without a cap, but never leave text unterminated */
		abort();
	arena_adopt(&d->arena, bd->texts.text.p);
	/* Ends propagate upwards: a parent covers its children. */
	for (size_t i = nn; i-- > 0;) {
		if (nodes[i].parent != SIZE_MAX && nodes[nodes[i].parent].end < nodes[i].end)
			nodes[nodes[i].parent].end = nodes[i].end;
	}
	size_t n_sec = 0;
	for (size_t i = 0; i < nn; i++)
		n_sec += nodes[i].depth == 0;
	d->sections = arena_alloc(&d->arena, (n_sec ? n_sec : 1) * sizeof *d->sections);
	d->n_sections = 0;
	for (size_t i = 0; i < nn; i++) {
		if (nodes[i].depth != 0)
			continue;
		struct doc_section *sec = &d->sections[d->n_sections++];
		struct node *sn = &nodes[i];
		sec->label = sn->label;
		struct seg_view sv = node_view(bd, sn);
		split_title(d, &sv, sn->label.span.end, sn->label.inline_start, &sec->title,
			    &sec->title_span, &sec->text);
		sec->role = doc_role_of_title(sec->title);
		sec->span.start = sn->start;
		sec->span.end = sn->end;
		/* Children at depth 1; items opened as problems (table rows,
		 * 关于“…”的问题) make a section of problems whatever its title
		 * says, unless it speaks of an earlier year. */
		size_t n1 = 0, items = 0, problems = 0;
		int areas = 0;
		for (size_t k = i + 1; k < nn && nodes[k].depth > 0; k++) {
			if (nodes[k].depth == 2 || (nodes[k].depth == 1 && !nodes[k].children)) {
				items++;
				problems += nodes[k].problem;
			}
			if (nodes[k].depth != 1)
				continue;
			n1++;
			if (!nodes[k].leaf && (nodes[k].children ||
					       (!nodes[k].problem && is_area_style(nodes[k].label.style))))
				areas = 1;
		}
		if (problems * 2 > items && sec->role != DOC_ROLE_LAST_YEAR &&
		    sec->role != DOC_ROLE_CAUSES)
			sec->role = DOC_ROLE_PROBLEMS;
		sec_items[d->n_sections - 1] = items;
		if (!areas) {
			sec->items = arena_alloc(&d->arena, (n1 ? n1 : 1) * sizeof *sec->items);
			for (size_t k = i + 1; k < nn && nodes[k].depth > 0; k++)
				if (nodes[k].depth == 1)
					fills[nf++] = (struct fill){&sec->items[sec->n_items++], &nodes[k]};
			continue;
		}
		sec->areas = arena_alloc(&d->arena, (n1 ? n1 : 1) * sizeof *sec->areas);
		for (size_t k = i + 1; k < nn && nodes[k].depth > 0; k++) {
			if (nodes[k].depth != 1)
				continue;
			struct doc_area *ar = &sec->areas[sec->n_areas++];
			struct node *an = &nodes[k];
			ar->label = an->label;
			struct seg_view av = node_view(bd, an);
			split_title(d, &av, an->label.span.end, an->label.inline_start, &ar->title,
				    &ar->title_span, &ar->text);
			ar->span.start = an->start;
			ar->span.end = an->end;
			ar->items = arena_alloc(&d->arena,
						(an->children ? (size_t)an->children : 1) * sizeof *ar->items);
			for (size_t m = k + 1; m < nn && nodes[m].depth > 1; m++)
				if (nodes[m].depth == 2)
					fills[nf++] = (struct fill){&ar->items[ar->n_items++], &nodes[m]};
		}
	}
	return nf;
}

/* Fill items fills[0..n) (their leads and examples) for doc d, whose arena
 * takes what they need. */
struct fill_job {
	struct doc *d;
	const struct builder *bd;
	const struct fill *fills;
	size_t n;
};

static void fill_items(void *arg)
{
	struct fill_job *j = arg;
	for (size_t i = 0; i < j->n; i++) {
		struct seg_view v = node_view(j->bd, j->fills[i].nd);
		fill_item(j->d, j->bd, j->fills[i].it, j->fills[i].nd, &v);
	}
}

/* Does s contain a word of wl? */
static int word_in(const struct wordlist *wl, const char *s)
{
	for (size_t i = 0; wl && i < wl->n; i++)
		if (memmem(s, strlen(s), wl->w[i], wl->len[i]))
			return 1;
	return 0;
}

/* Does a section title name an area of problems (学习研讨方面, 作风方面
 * （6项）)? */
static int area_title(const char *t)
{
	size_t n = strlen(t);
	if (n >= 3 && memcmp(t + n - 3, "）", 3) == 0) {
		const char *open = strstr(t, "（");
		if (open)
			n = (size_t)(open - t);
	}
	return n >= 6 && memcmp(t + n - 6, "方面", 6) == 0;
}

/* Roles that the kind of document decides: in a 问题清单 every section of
 * items lists problems; in a report with no section of problems, sections
 * named after areas (…方面) hold them. */
static void sections_by_kind(struct doc *d, const size_t *sec_items)
{
	const struct wordlist *not_problems = doc_words("data/genres.txt#not-problems");
	/* A report on rectification tells what was done in sections named
	 * after the state of things (…采纳情况, …推进情况). */
	for (size_t i = 0; d->kind == DOC_KIND_REPORT && i < d->n_sections; i++) {
		struct doc_section *s = &d->sections[i];
		size_t n = strlen(s->title);
		if (s->role == DOC_ROLE_OTHER && n > 6 && memcmp(s->title + n - 6, "情况", 6) == 0 &&
		    !word_in(not_problems, s->title))
			s->role = DOC_ROLE_PROGRESS;
	}
	int have = 0, later = 0;
	for (size_t i = 0; i < d->n_sections; i++)
		have |= d->sections[i].role == DOC_ROLE_PROBLEMS;
	/* A list with no heading before sections of causes or measures (a
	 * fragment of a report) lists the problems they answer. */
	for (size_t i = 1; i < d->n_sections; i++)
		later |= d->sections[i].role == DOC_ROLE_CAUSES || d->sections[i].role == DOC_ROLE_MEASURES;
	if (!have && later && d->n_sections > 0 && d->sections[0].label.style == DOC_STYLE_NONE &&
	    !d->sections[0].title[0] && sec_items[0] && d->sections[0].role == DOC_ROLE_OTHER) {
		d->sections[0].role = DOC_ROLE_PROBLEMS;
		have = 1;
	}
	for (size_t i = 0; i < d->n_sections; i++) {
		struct doc_section *s = &d->sections[i];
		if (!sec_items[i] || (s->role != DOC_ROLE_OTHER && s->role != DOC_ROLE_PROGRESS))
			continue;
		if ((d->kind == DOC_KIND_LIST && !word_in(not_problems, s->title)) ||
		    (!have && s->role == DOC_ROLE_OTHER && area_title(s->title) &&
		     (d->kind == DOC_KIND_TEAM || d->kind == DOC_KIND_INDIVIDUAL ||
		      d->kind == DOC_KIND_UNKNOWN)))
			s->role = DOC_ROLE_PROBLEMS;
	}
}

static int in_wordlist(const struct wordlist *wl, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; wl && i < wl->n; i++)
		if (wl->len[i] == n && memcmp(wl->w[i], s, n) == 0)
			return 1;
	return 0;
}

/* Characters of a line of an outline (目录) at most. */
#define OUTLINE_MAX_CHARS 40

/* An outline block from paragraph i (目录, 提纲, or a run of short headings
 * that the text then repeats): the index of the paragraph after it, or i
 * when there is none. */
static size_t outline_end(const struct doc *d, const struct para_info *info, size_t i)
{
	const struct wordlist *wl = doc_words("data/genres.txt#outline");
	size_t j = i;
	char h[64];
	if (doc_field_norm(d->paras[i].text, d->paras[i].len, h, sizeof h) &&
	    (in_wordlist(wl, h) || (memcmp(h, "【", 3) == 0 && strstr(h, "】") &&
				    strstr(h, "提纲"))))
		j++;
	size_t k = j;
	/* Without a 目录 line, an outline lists siblings (一、 二、 三、), not
	 * only a heading and its first child. */
	int siblings = j > i;
	enum doc_style prev_style = DOC_STYLE_NONE;
	int prev_number = 0;
	for (; k < d->n_paras && k < j + 40; k++) {
		struct label_hit lh;
		if (info[k].table || !doc_label_at(d->paras[k].text, d->paras[k].len, &lh) ||
		    is_inline_style(lh.style) ||
		    text_utf8_count(d->paras[k].text, d->paras[k].len) > OUTLINE_MAX_CHARS)
			break;
		siblings |= lh.style == prev_style && lh.number == prev_number + 1;
		prev_style = lh.style;
		prev_number = lh.number;
		/* The text repeats the outline's first heading: the outline ends. */
		if (k > j && d->paras[k].len == d->paras[j].len &&
		    memcmp(d->paras[k].text, d->paras[j].text, d->paras[j].len) == 0)
			return k;
	}
	if (k - j < 2 || !siblings)
		return i;
	for (size_t m = k; m < d->n_paras && m < k + 400; m++)
		if (d->paras[m].len == d->paras[j].len &&
		    memcmp(d->paras[m].text, d->paras[j].text, d->paras[j].len) == 0)
			return k;
	return j > i && k > j ? k : i;
}

/* Is paragraph 0 the title? */
static int is_title(const struct doc_para *p, const struct para_info *pi)
{
	struct label_hit h;
	if (pi->md_level == 1)
		return 1;
	if (doc_label_at(p->text, p->len, &h))
		return 0;
	if (text_utf8_count(p->text, p->len) > 100)
		return 0;
	/* Not a sentence, nor a salutation (各党支部：). */
	return !(p->len >= 3 && (memcmp(p->text + p->len - 3, "。", 3) == 0 ||
				 memcmp(p->text + p->len - 3, "：", 3) == 0));
}

/* Is p a letterhead: a short line naming the issuer, ending in 文件 or 文电? */
static int letterhead(const struct doc_para *p)
{
	return text_utf8_count(p->text, p->len) <= 30 && p->len >= 6 &&
	       (memcmp(p->text + p->len - 6, "文件", 6) == 0 ||
		memcmp(p->text + p->len - 6, "文电", 6) == 0);
}

/* Does s[0..n) end as a title does (…材料, …方案, …通知)? */
static int title_ends(const char *s, size_t n)
{
	const struct wordlist *wl = doc_words("data/genres.txt#title-end");
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '*'))
		n--;
	for (size_t i = 0; wl && i < wl->n; i++)
		if (wl->len[i] <= n && memcmp(s + n - wl->len[i], wl->w[i], wl->len[i]) == 0)
			return 1;
	return 0;
}

/* Does line q open with words that only carry a title on (整改落实情况的
 * 报告 after …反馈意见)? */
static int title_carries_on(const struct doc_para *q)
{
	static const char *const words[] = {"整改", "情况", "落实", "查摆", "的"};
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (q->len >= strlen(words[i]) && memcmp(q->text, words[i], strlen(words[i])) == 0)
			return 1;
	return 0;
}

/* Is paragraph q the next line of the title p (a title broken in two)?
 * p does not end as a title does, or q carries it on. */
static int title_goes_on(const struct doc_para *p, const struct doc_para *q,
			 const struct para_info *qi)
{
	struct label_hit h;
	if (qi->table || doc_label_at(q->text, q->len, &h) || text_utf8_count(q->text, q->len) > 40)
		return 0;
	return (!title_ends(p->text, p->len) || title_carries_on(q)) && title_ends(q->text, q->len) &&
	       !(q->len >= 3 && memcmp(q->text + q->len - 3, "：", 3) == 0);
}

/* Is paragraph q the middle line of a title p broken in three?  A short
 * line with no label that neither ends a title nor a sentence. */
static int title_middle(const struct doc_para *p, const struct doc_para *q,
			const struct para_info *qi)
{
	struct label_hit h;
	if (qi->table || doc_label_at(q->text, q->len, &h) || text_utf8_count(q->text, q->len) > 40 ||
	    title_ends(p->text, p->len) || title_ends(q->text, q->len))
		return 0;
	static const char *const stops[] = {"：", "。", "；", "，"};
	for (size_t i = 0; i < ARRAY_LEN(stops); i++)
		if (q->len >= 3 && memcmp(q->text + q->len - 3, stops[i], 3) == 0)
			return 0;
	return 1;
}

/* Where the title of a document written on one line ends: after a word
 * that ends titles and before white space, within its first 80
 * characters; 0 when it has none. */
static size_t title_cut(const struct doc_para *p, size_t *from)
{
	size_t chars = 0;
	*from = 0;
	for (size_t i = 0; i < p->len && chars < 120; chars++) {
		if ((p->text[i] == ' ' || AT(p->text, p->len, i, "\u3000")) && i > 0 &&
		    title_ends(p->text, i)) {
			/* A breadcrumb before it (首页 > 要闻 > 通知公告 标题). */
			const char *t = p->text;
			size_t seps = 0, last = 0;
			for (size_t k = 0; k < i; k++)
				if (t[k] == '>' || AT(t, i, k, "＞")) {
					seps++;
					last = k;
				}
			if (seps >= 2) {
				size_t k = last + (t[last] == '>' ? 1 : 3);
				while (k < i && t[k] == ' ')
					k++;
				while (k < i && t[k] != ' ')
					k++;
				while (k < i && t[k] == ' ')
					k++;
				*from = k;
			}
			return i;
		}
		if (AT(p->text, p->len, i, "。"))
			return 0;
		i += (size_t)text_utf8_len((unsigned char)p->text[i]);
	}
	return 0;
}

/* Paragraph p from normalised byte k on, as a paragraph of its own (its
 * marks from the arena). */
static struct doc_para para_tail(struct doc *d, const struct doc_para *p, size_t k)
{
	struct doc_para t = *p;
	while (k < p->len && (p->text[k] == ' ' || AT(p->text, p->len, k, "\u3000")))
		k += p->text[k] == ' ' ? 1 : 3;
	t.text = p->text + k;
	t.len = p->len - k;
	t.span.start = doc_para_src(p, k);
	t.marks = arena_alloc(&d->arena, (p->n_marks + 1) * sizeof *t.marks);
	t.marks[0] = (struct doc_mark){0, t.span.start};
	t.n_marks = 1;
	for (size_t i = 0; i < p->n_marks; i++)
		if (p->marks[i].norm > k)
			t.marks[t.n_marks++] =
				(struct doc_mark){p->marks[i].norm - (uint32_t)k, p->marks[i].src};
	return t;
}

static void index_lines(struct doc *d);

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long faults(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/*
 * A large report is parsed on two threads and more.  Beside the stages on
 * the caller's thread run, each with an arena of its own: the checksum and
 * the placeholders (once the paragraphs exist: before then, the second
 * thread has half of each stage), the commitments and deadlines (once the
 * sections exist), and half of the items' leads and examples.  Jobs read
 * only what the stages before them left, and write only their own results;
 * the caller joins them before it reads those.
 */
struct side_job {
	const struct doc *d;
	char sha256[65];
	struct arena arena;
	struct doc_placeholder *ph;
	size_t n_ph;
};

static void side_work(void *arg)
{
	struct side_job *j = arg;
	util_sha256_hex(j->d->src, j->d->len, j->sha256);
	doc_extract_placeholders(j->d, &j->arena, &j->ph, &j->n_ph);
}

/* The commitments and deadlines are found on a shallow copy of the doc
 * whose arena is its own. */
static void promises_job(void *arg)
{
	doc_extract_promises(arg);
}

/* The text bytes of the items fills[0..n). */
static size_t fills_bytes(const struct fill *f, size_t n)
{
	size_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += f[i].nd->t_len;
	return t;
}

static enum rc parse_src(struct doc *d, const struct doc_overlap *ov, struct err *e)
{
	(void)e;
	double t0 = now_ms();
	long f0 = faults();
	doc_hant_fold(d); /* a report in traditional characters: parse its simplified twin */
	int threaded = d->len >= util_parallel_from;
	index_lines(d);
	struct para_info *info = NULL;
	doc_build_paras(d, &info);
	double t1 = now_ms();
	long f1 = faults();
	struct side_job side = {.d = d};
	struct util_job side_done;
	util_job_start(&side_done, threaded, side_work, &side);

	struct builder bd = {.d = d, .cur = SIZE_MAX};
	/* Node texts are about as long as the source; reserve that once. */
	buf_reserve(&bd.texts.text, d->len + d->n_paras + 64);
	/* Most paragraphs open a node; reserve that much at once. */
	bd.nodes.cap = d->n_paras + 16;
	bd.nodes.v = xreallocarray(NULL, bd.nodes.cap, sizeof *bd.nodes.v);
	size_t first = 0;
	d->title = "";
	struct doc_para tail = {0};
	int has_tail = 0;
	size_t outline_from = SIZE_MAX, outline_to = 0;
	size_t cut, from;
	/* A letterhead (…委员会文件) stands above the title. */
	if (d->n_paras > 1 && letterhead(&d->paras[0]) && is_title(&d->paras[1], &info[1])) {
		size_t len = bd.preamble.text.len;
		seg_append(&bd.preamble, 0, 0, &len, &d->paras[0], 0, d->paras[0].len);
		d->title = d->paras[1].text;
		d->title_span = d->paras[1].span;
		first = 2;
	} else if (d->n_paras > 0 && is_title(&d->paras[0], &info[0])) {
		d->title = d->paras[0].text;
		d->title_span = d->paras[0].span;
		first = 1;
		/* Broken in two lines, or in three (a diamond): the last line
		 * ends as a title does, the middle one is a short line that
		 * does not. */
		size_t last = 0;
		if (d->n_paras > 1 && !info[0].md_level) {
			if (title_goes_on(&d->paras[0], &d->paras[1], &info[1]))
				last = 1;
			else if (d->n_paras > 2 && title_middle(&d->paras[0], &d->paras[1], &info[1]) &&
				 title_goes_on(&d->paras[1], &d->paras[2], &info[2]))
				last = 2;
		}
		if (last) {
			size_t n = 0;
			for (size_t k = 0; k <= last; k++)
				n += d->paras[k].len;
			char *t = arena_alloc(&d->arena, n + 1);
			n = 0;
			for (size_t k = 0; k <= last; k++) {
				memcpy(t + n, d->paras[k].text, d->paras[k].len);
				n += d->paras[k].len;
			}
			t[n] = '\0';
			d->title = t;
			d->title_span.end = d->paras[last].span.end;
			first = last + 1;
		}
	} else if (d->n_paras > 0 && !info[0].table && (cut = title_cut(&d->paras[0], &from)) > 0) {
		/* The title and the text on one line. */
		d->title = arena_strndup(&d->arena, d->paras[0].text + from, cut - from);
		d->title_span = doc_para_span(d, &d->paras[0], from, cut);
		tail = para_tail(d, &d->paras[0], cut);
		has_tail = 1;
		first = 1;
	}
	/* Does the report use heading styles at all? */
	if (has_tail) {
		struct label_hit h;
		if (doc_label_at(tail.text, tail.len, &h) && !is_inline_style(h.style))
			bd.has_heading = 1;
	}
	for (size_t i = first; i < d->n_paras && !bd.has_heading; i++) {
		struct label_hit h;
		if (info[i].md_level > 0 ||
		    (doc_label_at(d->paras[i].text, d->paras[i].len, &h) && !is_inline_style(h.style)))
			bd.has_heading = 1;
	}
	/* A document pasted as one line has its first heading inside a
	 * paragraph. */
	for (size_t i = has_tail ? 0 : first; i < d->n_paras && !bd.has_heading; i++) {
		const struct doc_para *p = i == 0 && has_tail ? &tail : &d->paras[i];
		for (const char *x = p->text; !bd.has_heading &&
		     (x = memmem(x, (size_t)(p->text + p->len - x), "一、", 6)) != NULL; x += 6) {
			size_t q = (size_t)(x - p->text);
			if (q > 0 && (after_sentence_end(p->text, q) || after_space(p->text, q)) &&
			    q + 6 < p->len && !label_start_char(x + 6, p->len - q - 6))
				bd.has_heading = 1;
		}
	}
	/* A fragment that opens with a list in a low style (8. 9. 10.) and goes
	 * on with higher headings (三、): an implicit section holds the list. */
	int top_rank = 99, first_rank = -1, first_number = 0;
	for (size_t i = has_tail ? first - 1 : first; i < d->n_paras && bd.has_heading; i++) {
		struct label_hit h;
		const struct doc_para *p = has_tail && i == first - 1 ? &tail : &d->paras[i];
		if (!doc_label_at(p->text, p->len, &h) || style_rank(h.style) < 0)
			continue;
		if (first_rank < 0) {
			first_rank = style_rank(h.style);
			first_number = h.number;
		}
		if (style_rank(h.style) < top_rank)
			top_rank = style_rank(h.style);
	}
	if (!bd.has_heading || (first_rank > top_rank && first_number > 1)) {
		/* One implicit section holds whatever items there are. */
		struct doc_para fake = {.span = {0, 0}, .text = "", .len = 0};
		bd.frag_rank = bd.has_heading ? first_rank : 99;
		struct label_hit none = {0};
		new_node(&bd, 0, &fake, 0, &none, style_key(DOC_STYLE_NONE, 0), 0);
		if (d->n_paras > first) {
			bd.nodes.v[0].start = d->paras[first].span.start;
			bd.nodes.v[0].end = d->paras[first].span.start;
		}
	}
	if (has_tail)
		add_para(&bd, &tail, &info[0]);
	/* An outline of the document's own headings is not its structure. */
	for (size_t i = first; i < d->n_paras && i < first + 3; i++) {
		size_t k = outline_end(d, info, i);
		if (k > i) {
			for (size_t m = i; m < k; m++) {
				size_t len = bd.preamble.text.len;
				seg_append(&bd.preamble, 0, 0, &len, &d->paras[m], 0, d->paras[m].len);
			}
			if (i == first)
				first = k;
			else
				outline_from = i, outline_to = k;
			break;
		}
	}
	for (size_t i = first; i < d->n_paras; i++) {
		size_t next;
		if (i == outline_from) {
			i = outline_to - 1;
			continue;
		}
		if (info[i].table && (next = add_table(&bd, d->paras, info, i, d->n_paras)) > i) {
			i = next - 1;
			continue;
		}
		add_para(&bd, &d->paras[i], &info[i]);
	}
	free(info);

	d->preamble = arena_strndup(&d->arena, bd.preamble.text.p ? bd.preamble.text.p : "",
				    bd.preamble.text.len);
	double t2 = now_ms();
	long f2 = faults();
	struct fill *fills = xreallocarray(NULL, bd.nodes.n + 1, sizeof *fills);
	size_t *sec_items = xcalloc(bd.nodes.n + 1, sizeof *sec_items);
	size_t nf = build_sections(&bd, fills, sec_items);
	/* The year: of the title, else a year of work in the preamble, else
	 * the date line, else the first year of the text. */
	d->year = doc_year_in(d->title);
	if (!d->year)
		d->year = year_in_(d->preamble, 1);
	for (size_t i = 0; !d->year && i < d->n_paras; i++)
		if (is_date_line(&d->paras[i]))
			d->year = doc_year_in(d->paras[i].text);
	if (!d->year)
		d->year = doc_year_in(d->preamble);
	for (size_t i = 0; !d->year && i < d->n_paras; i++)
		d->year = doc_year_in(d->paras[i].text);
	d->kind = kind_of(d);
	sections_by_kind(d, sec_items);
	free(sec_items);

	/* The sections are there: the commitments and deadlines can be found
	 * while the items are filled, half of them on a thread of their own. */
	struct doc promised = *d;
	promised.arena = (struct arena){0};
	struct util_job pr_job;
	util_job_start(&pr_job, threaded, promises_job, &promised);
	struct doc filler = *d;
	filler.arena = (struct arena){0};
	size_t split = nf, half = fills_bytes(fills, nf) / 2, run = 0;
	if (threaded)
		for (split = 0; split < nf && run < half; split++)
			run += fills[split].nd->t_len;
	struct fill_job fj_main = {d, &bd, fills, split};
	struct fill_job fj_other = {&filler, &bd, fills + split, nf - split};
	struct util_job fill_job;
	util_job_start(&fill_job, threaded, fill_items, &fj_other);
	fill_items(&fj_main);
	util_job_wait(&fill_job);
	arena_absorb(&d->arena, &filler.arena);
	free(fills);
	double t3 = now_ms();
	long f3 = faults();
	free(bd.texts.map.v); /* the texts themselves now belong to the doc */
	VEC_FREE(bd.nodes);
	VEC_FREE(bd.pieces);
	seg_release(&bd.preamble);

	util_job_wait(&side_done);
	memcpy(d->sha256, side.sha256, sizeof d->sha256);
	doc_hant_restore_tree(d); /* before anything is written of the tree */
	if (ov)
		ov->fn(d, ov->arg);
	util_job_wait(&pr_job);
	d->commitments = promised.commitments;
	d->n_commitments = promised.n_commitments;
	d->deadlines = promised.deadlines;
	d->n_deadlines = promised.n_deadlines;
	arena_absorb(&d->arena, &promised.arena);
	double t4 = now_ms();
	arena_absorb(&d->arena, &side.arena);
	d->placeholders = side.ph;
	d->n_placeholders = side.n_ph;
	doc_hant_restore_rest(d);
	log_debug("parse %zu bytes: paragraphs %.1f ms, numbering %.1f ms, tree %.1f ms, "
		  "output and promises %.1f ms; page faults %ld %ld %ld %ld", d->len, t1 - t0,
		  t2 - t1, t3 - t2, t4 - t3, f1 - f0, f2 - f1, f3 - f2, faults() - f3);
	return RC_OK;
}

enum rc doc_parse_text(const char *src, size_t len, struct doc **out, struct err *e)
{
	struct doc *d = xcalloc(1, sizeof *d);
	d->src = xstrndup(src, len);
	d->len = len;
	d->input_bytes = len;
	d->encoding = "UTF-8";
	d->format = "text";
	enum rc rc = parse_src(d, NULL, e);
	if (rc) {
		doc_free(d);
		return rc;
	}
	*out = d;
	return RC_OK;
}

static int has_suffix(const char *name, const char *suf)
{
	size_t n = strlen(name), s = strlen(suf);
	return n >= s && strcasecmp(name + n - s, suf) == 0;
}

/* The text a document was converted to (a .docx, a PDF), decoded in place
 * as the source of a file of len bytes; rc is the conversion's. */
static enum rc converted(enum rc rc, char *text, size_t tl, size_t len, struct text_src *ts,
			 struct err *e)
{
	if (rc || (rc = text_decode_take(text, tl, ts, e)))
		return rc;
	ts->input_bytes = len;
	ts->encoding = "UTF-8";
	return RC_OK;
}

/* The parse behind doc_parse and doc_parse_take; owned is data when the
 * caller hands it over (see text_decode_take), else NULL. */
static enum rc parse_any(const void *data, size_t len, char *owned, const char *name,
			 const struct doc_overlap *ov, struct doc **out, struct err *e)
{
	if (len > TEXT_MAX_INPUT) {
		free(owned);
		return ERR(e, RC_TOOBIG, "input too large: %zu bytes, the limit is %u MiB", len,
			   TEXT_MAX_INPUT >> 20);
	}
	const char *format = name && (has_suffix(name, ".md") || has_suffix(name, ".markdown"))
				     ? "markdown" : "text";
	struct text_src ts;
	enum rc rc;
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		char *text = NULL;
		size_t tl = 0;
		rc = doc_docx_to_text(data, len, &text, &tl, e);
		free(owned);
		if ((rc = converted(rc, text, tl, len, &ts, e)))
			return rc;
		format = "docx";
	} else if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		/* An OLE2 compound file: Word 97-2003, or an encrypted .docx. */
		free(owned);
		return ERR(e, RC_MEDIA, "an old Word .doc or a password-protected Office file: "
					"open it in Word or WPS and save it as .docx without a password");
	} else if (memmem(data, len < 1024 ? len : 1024, "%PDF-", 5)) {
		/* A PDF, whatever its name: the header may follow up to 1 KiB of junk. */
		char *text = NULL;
		size_t tl = 0;
		rc = doc_pdf_to_text(data, len, &text, &tl, e);
		free(owned);
		if ((rc = converted(rc, text, tl, len, &ts, e)))
			return rc;
		format = "pdf";
	} else if (name && has_suffix(name, ".docx")) {
		free(owned);
		return ERR(e, RC_MEDIA, "%s is not a valid .docx file (no ZIP signature)", name);
	} else {
		rc = owned ? text_decode_take(owned, len, &ts, e) : text_decode(data, len, &ts, e);
		if (rc)
			return rc;
	}
	struct doc *d = xcalloc(1, sizeof *d);
	d->src = ts.p;
	d->len = ts.len;
	d->input_bytes = ts.input_bytes;
	d->encoding = ts.encoding;
	d->format = format;
	rc = parse_src(d, ov, e);
	if (rc) {
		doc_free(d);
		return rc;
	}
	*out = d;
	return RC_OK;
}

enum rc doc_parse(const void *data, size_t len, const char *name, struct doc **out,
		  struct err *e)
{
	return parse_any(data, len, NULL, name, NULL, out, e);
}

enum rc doc_parse_take(char *data, size_t len, const char *name, struct doc **out,
		       struct err *e)
{
	return parse_any(data, len, data, name, NULL, out, e);
}

enum rc doc_parse_overlap(char *data, size_t len, const char *name,
			  const struct doc_overlap *ov, struct doc **out, struct err *e)
{
	return parse_any(data, len, data, name, ov, out, e);
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	doc_hant_release(d);
	free(d->src);
	arena_release(&d->arena);
	free(d);
}

void doc_line_col(const struct doc *d, uint32_t off, unsigned *line, unsigned *col)
{
	if (off > d->len)
		off = (uint32_t)d->len;
	/* The last line start at or before off. */
	size_t lo = 0, hi = d->n_lines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (d->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t start = d->n_lines ? d->line_starts[lo] : 0;
	*line = (unsigned)lo + 1;
	*col = (unsigned)text_utf8_count(d->src + start, off - start) + 1;
}

/* The offsets at which lines start, for doc_line_col. */
static void index_lines(struct doc *d)
{
	size_t n = 1;
	for (const char *p = d->src; (p = memchr(p, '\n', (size_t)(d->src + d->len - p))) != NULL; p++)
		n++;
	d->line_starts = arena_alloc(&d->arena, n * sizeof *d->line_starts);
	d->line_starts[0] = 0;
	d->n_lines = 1;
	for (const char *p = d->src; (p = memchr(p, '\n', (size_t)(d->src + d->len - p))) != NULL; p++)
		d->line_starts[d->n_lines++] = (uint32_t)(p + 1 - d->src);
}
