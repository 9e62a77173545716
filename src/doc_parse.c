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
	"cn-shi", "cn-yao", "di", "seq"};

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

int doc_label_at(const char *p, size_t n, struct label_hit *h)
{
	memset(h, 0, sizeof *h);
	if (n == 0)
		return 0;
	size_t i = 0, core = 0;
	unsigned char c = (unsigned char)p[0];
	uint32_t cp;
	text_utf8_next(p, n, &cp);

	if (c == '(' || starts(p, n, "（")) {
		i = c == '(' ? 1 : 3;
		size_t cn = text_cn_number_span(p + i, n - i);
		size_t dg = 0;
		while (i + dg < n && p[i + dg] >= '0' && p[i + dg] <= '9' && dg < 4)
			dg++;
		size_t j;
		if (cn > 0 && cn <= DOC_CN_LABEL_MAX) {
			h->number = text_cn_number(p + i, cn);
			h->style = DOC_STYLE_CN_PAREN;
			j = i + cn;
		} else if (dg > 0 && dg <= 3) {
			h->number = atoi(p + i);
			h->style = DOC_STYLE_AR_PAREN;
			j = i + dg;
		} else {
			return 0;
		}
		if (h->number <= 0)
			return 0;
		if (j < n && p[j] == ')')
			j++;
		else if (starts(p + j, n - j, "）"))
			j += 3;
		else
			return 0;
		core = j;
		if (starts(p + j, n - j, "、"))
			j += 3;
		else if (j < n && p[j] == '.')
			j++;
		i = j;
	} else if (c >= '0' && c <= '9') {
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
		core = i = j;
	} else if (starts(p, n, "第")) {
		size_t cn = text_cn_number_span(p + 3, n - 3);
		size_t dg = 0;
		while (3 + dg < n && p[3 + dg] >= '0' && p[3 + dg] <= '9' && dg < 4)
			dg++;
		size_t j;
		if (cn > 0 && cn <= DOC_CN_LABEL_MAX) {
			h->number = text_cn_number(p + 3, cn);
			j = 3 + cn;
		} else if (dg > 0 && dg <= 3) {
			h->number = atoi(p + 3);
			j = 3 + dg;
		} else {
			return 0;
		}
		if (h->number <= 0)
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
		core = j;
		if (h->style == DOC_STYLE_PART && (starts(p + j, n - j, "：") || starts(p + j, n - j, "、")))
			j += 3;
		i = j;
	} else if (cp >= 0x2460 && cp <= 0x249B) {
		if (cp <= 0x2473) {
			h->style = DOC_STYLE_CIRCLED;
			h->number = (int)(cp - 0x2460 + 1);
		} else if (cp <= 0x2487) {
			h->style = DOC_STYLE_AR_PAREN;
			h->number = (int)(cp - 0x2474 + 1);
		} else {
			h->style = DOC_STYLE_AR_DOT;
			h->number = (int)(cp - 0x2488 + 1);
		}
		core = i = 3;
		if (starts(p + i, n - i, "、"))
			i += 3;
	} else if (cp >= 0x3220 && cp <= 0x3229) {
		h->style = DOC_STYLE_CN_PAREN;
		h->number = (int)(cp - 0x3220 + 1);
		core = i = 3;
	} else if (starts(p, n, "首先") || starts(p, n, "其次") || starts(p, n, "再次") ||
		   starts(p, n, "最后")) {
		size_t j = 6;
		if (!(starts(p + j, n - j, "，") || starts(p + j, n - j, "、") ||
		      starts(p + j, n - j, "：")))
			return 0;
		h->style = DOC_STYLE_SEQ;
		h->number = starts(p, n, "首先") ? 1 : starts(p, n, "其次") ? 2
			    : starts(p, n, "再次") ? 3 : 0;
		core = i = j + 3;
	} else {
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
		core = j;
		if ((h->style == DOC_STYLE_CN_SHI || h->style == DOC_STYLE_CN_YAO) &&
		    (starts(p + j, n - j, "：") || starts(p + j, n - j, "，")))
			j += 3;
		i = j;
	}
	h->core = core;
	h->len = skip_spaces(p, n, i);
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

static enum doc_kind kind_of(const struct doc *d)
{
	int k = match_keyword_list("data/kinds.txt", kind_names, DOC_KIND__MAX, d->title);
	if (k >= 0)
		return (enum doc_kind)k;
	/* No telling title: weigh the voice of the text. */
	size_t team = 0, self = 0;
	for (size_t i = 0; i < d->n_paras; i++) {
		team += count_of(d->paras[i].text, "班子");
		self += count_of(d->paras[i].text, "本人") + count_of(d->paras[i].text, "我") -
			count_of(d->paras[i].text, "我们") - count_of(d->paras[i].text, "我为群众");
	}
	if (team == 0 && self == 0)
		return DOC_KIND_UNKNOWN;
	return self > team ? DOC_KIND_INDIVIDUAL : DOC_KIND_TEAM;
}

int doc_year_in(const char *s)
{
	for (const char *p = s; (p = strstr(p, "年")) != NULL; p += 3) {
		if (p - s >= 4 && (p[-4] == '1' || p[-4] == '2') && p[-3] >= '0' && p[-3] <= '9' &&
		    p[-2] >= '0' && p[-2] <= '9' && p[-1] >= '0' && p[-1] <= '9' &&
		    (p - s == 4 || !(p[-5] >= '0' && p[-5] <= '9'))) {
			int y = atoi(p - 4);
			if (y >= 1949 && y <= 2199)
				return y;
		}
	}
	return 0;
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
};

struct builder {
	struct doc *d;
	VEC(struct node) nodes;
	struct seg_text texts;  /* every node's text, see struct node */
	int stack_key[8];       /* style key per depth on the current path */
	size_t stack_node[8];
	int last_num[8];
	int sn;
	size_t cur;             /* node receiving text, SIZE_MAX: preamble */
	struct seg_text preamble;
	int structure;          /* a section has been opened */
	int has_heading;        /* the report uses heading styles at all */
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
	if (a >= b)
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
 * of 。！？；：, eight bytes at a time; n when there is none. */
static size_t next_mark_lead(const char *s, size_t i, size_t n)
{
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (util_bytes_eq(w, 0xE3) | util_bytes_eq(w, 0xEF))
			break;
	}
	while (i < n && (unsigned char)s[i] != 0xE3 && (unsigned char)s[i] != 0xEF)
		i++;
	return i;
}

/* Scan paragraph p from `from` for labels that start mid-paragraph. */
static void scan_inline(struct builder *bd, const struct doc_para *p, size_t from)
{
	size_t text_from = from;
	const char *s = p->text;
	size_t n = p->len;
	for (size_t q = from; q < n;) {
		/* Candidates follow a sentence end (。 is E3 80 82; ！？；： are
		 * EF BC xx) and begin with a Chinese numeral, 第, 首/其/再/最, ①
		 * or （: skip to the byte after the next E3 or EF lead byte that
		 * ends such a mark. */
		if (q == from || !after_sentence_end(s, q)) {
			size_t k = next_mark_lead(s, q, n);
			q = k + 3 <= n ? k + 3 : n;
			continue;
		}
		unsigned char c = (unsigned char)s[q];
		if (c >= 0xE2 && label_start_char(s + q, n - q)) {
			struct label_hit h;
			if (doc_label_at(s + q, n - q, &h) && is_inline_style(h.style)) {
				int key = style_key(h.style, 0);
				int d = stack_find(bd, key);
				int take = 0, depth = 0;
				if (d >= 1 && number_follows(bd->last_num[d], h.number)) {
					take = 1;
					depth = d;
				} else if (d < 0 && h.number == 1 && bd->sn >= 1 && bd->sn <= 2 &&
					   !is_inline_style(key_style(bd->stack_key[bd->sn - 1])) &&
					   find_follower(s + q + h.len, n - q - h.len, h.style, 1)) {
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

static void add_para(struct builder *bd, const struct doc_para *p, const struct para_info *pi)
{
	struct label_hit h;
	int have = doc_label_at(p->text, p->len, &h);
	if (!have && pi->md_level > 0) {
		memset(&h, 0, sizeof h);
		h.style = DOC_STYLE_MD;
		have = 1;
	}
	if (!have) {
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
	if (d < 0 && bd->sn > 0 && h.number > 1 &&
	    h.number == bd->last_num[bd->sn - 1] + 1 &&
	    style_family(h.style) == style_family(key_style(bd->stack_key[bd->sn - 1]))) {
		/* 1． 2、 (3): a number that continues the open list in a related
		 * style is a sloppy sibling, not a new level. */
		d = bd->sn - 1;
		key = bd->stack_key[d];
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
	if (d >= 3) {
		/* Deeper numbering stays in its item's text. */
		scan_inline(bd, p, 0);
		return;
	}
	if (h.style == DOC_STYLE_MD || h.number == 0)
		h.number = (d < bd->sn || d == bd->sn - 1 ? bd->last_num[d] : 0) + 1;
	if (d == bd->sn)
		bd->last_num[d] = 0;
	if (h.style == DOC_STYLE_SEQ && h.number == 0)
		h.number = bd->last_num[d] + 1;
	new_node(bd, d, p, 0, &h, key, 0);
	bd->last_num[d] = h.number;
	scan_inline(bd, p, h.len);
}

/* Split normalised text t of a heading node into title and the rest: the
 * title ends at the first 。 of the text (or at its first line break). */
static void split_title(struct doc *d, const struct seg_view *t, uint32_t at, char **title,
			struct doc_span *title_span, char **rest)
{
	const char *s = t->p;
	size_t n = t->len;
	const char *nl = memchr(s, '\n', n);
	size_t line = nl ? (size_t)(nl - s) : n;
	const char *stop = memmem(s, line, "。", 3);
	size_t te = stop ? (size_t)(stop - s) : line;
	size_t rs = stop ? te + 3 : line + (nl ? 1 : 0);
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

/* The lead of an item: its first clause (up to 。！？；：, or to the first ，
 * when that sentence is long), without the closing punctuation. */
static size_t lead_len(const char *s, size_t n)
{
	size_t end = n, first_comma = n, chars = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '\n' || AT(s, n, i, "。") || AT(s, n, i, "！") || AT(s, n, i, "？") ||
		    AT(s, n, i, "；") || AT(s, n, i, "：")) {
			end = i;
			break;
		}
		if (first_comma == n && AT(s, n, i, "，"))
			first_comma = i;
		i += (size_t)text_utf8_len((unsigned char)s[i]);
		chars++;
	}
	if (chars > 30 && first_comma < end)
		end = first_comma;
	return end;
}

static void fill_item(struct doc *d, struct doc_item *it, const struct node *nd,
		      const struct seg_view *v)
{
	const char *s = v->p;
	size_t n = v->len;
	it->label = nd->label;
	size_t ll = lead_len(s, n);
	it->lead = arena_strndup(&d->arena, s, ll);
	it->lead_span = doc_seg_span(d, v, 0, ll);
	if (ll == 0) /* an empty lead sits right after the label */
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
static size_t build_sections(struct builder *bd, struct fill *fills)
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
		split_title(d, &sv, sn->label.span.end, &sec->title, &sec->title_span, &sec->text);
		sec->role = doc_role_of_title(sec->title);
		sec->span.start = sn->start;
		sec->span.end = sn->end;
		/* Children at depth 1. */
		size_t n1 = 0;
		int areas = 0;
		for (size_t k = i + 1; k < nn && nodes[k].depth > 0; k++) {
			if (nodes[k].depth != 1)
				continue;
			n1++;
			if (nodes[k].children || is_area_style(nodes[k].label.style))
				areas = 1;
		}
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
			split_title(d, &av, an->label.span.end, &ar->title, &ar->title_span, &ar->text);
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
		fill_item(j->d, j->fills[i].it, j->fills[i].nd, &v);
	}
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
	return !(p->len >= 3 && memcmp(p->text + p->len - 3, "。", 3) == 0);
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
	if (d->n_paras > 0 && is_title(&d->paras[0], &info[0])) {
		d->title = d->paras[0].text;
		d->title_span = d->paras[0].span;
		first = 1;
	}
	/* Does the report use heading styles at all? */
	for (size_t i = first; i < d->n_paras && !bd.has_heading; i++) {
		struct label_hit h;
		if (info[i].md_level > 0 ||
		    (doc_label_at(d->paras[i].text, d->paras[i].len, &h) && !is_inline_style(h.style)))
			bd.has_heading = 1;
	}
	if (!bd.has_heading) {
		/* One implicit section holds whatever items there are. */
		struct doc_para fake = {.span = {0, 0}, .text = "", .len = 0};
		struct label_hit none = {0};
		new_node(&bd, 0, &fake, 0, &none, style_key(DOC_STYLE_NONE, 0), 0);
		if (d->n_paras > first) {
			bd.nodes.v[0].start = d->paras[first].span.start;
			bd.nodes.v[0].end = d->paras[first].span.start;
		}
	}
	for (size_t i = first; i < d->n_paras; i++)
		add_para(&bd, &d->paras[i], &info[i]);
	free(info);

	d->preamble = arena_strndup(&d->arena, bd.preamble.text.p ? bd.preamble.text.p : "",
				    bd.preamble.text.len);
	double t2 = now_ms();
	long f2 = faults();
	struct fill *fills = xreallocarray(NULL, bd.nodes.n + 1, sizeof *fills);
	size_t nf = build_sections(&bd, fills);
	d->year = doc_year_in(d->title);
	if (!d->year)
		d->year = doc_year_in(d->preamble);
	for (size_t i = 0; !d->year && i < d->n_paras; i++)
		d->year = doc_year_in(d->paras[i].text);
	d->kind = kind_of(d);

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
	seg_release(&bd.preamble);

	util_job_wait(&side_done);
	memcpy(d->sha256, side.sha256, sizeof d->sha256);
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
		if (rc)
			return rc;
		rc = text_decode_take(text, tl, &ts, e);
		if (rc)
			return rc;
		ts.input_bytes = len;
		ts.encoding = "UTF-8";
		format = "docx";
	} else if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		/* An OLE2 compound file: Word 97-2003, or an encrypted .docx. */
		free(owned);
		return ERR(e, RC_MEDIA, "an old Word .doc or a password-protected Office file: "
					"open it in Word or WPS and save it as .docx without a password");
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
