/*
 * doc_lines.c -- stage 1 of the document engine: source text to paragraphs.
 *
 * A line is trimmed of white space (ASCII, U+3000, NBSP, zero-width) and of
 * Markdown marks (# headings, ** around titles, list bullets).  Lines that
 * are page artefacts are dropped: page numbers ("- 3 -", "— 3 —", "第3页",
 * "3/12"), horizontal rules, and short lines repeated three times or more,
 * or twice next to page numbers (running headers and footers; the first
 * line of the report is kept, as it is usually the title a header repeats).
 *
 * Text pasted from a PDF is hard-wrapped: most lines have the same number of
 * characters.  When the line lengths show such a width, a full-width line
 * that does not end a sentence is joined with the next line unless that one
 * starts with a numbering label or an indentation that marks a new
 * paragraph; page artefacts and the blank lines around them are skipped
 * over, so a paragraph broken across pages joins again.  Otherwise every
 * non-blank line is a paragraph.
 *
 * Each paragraph's text is normalised (doc.h) with a map from every byte of
 * the normalised text back to the source offset of its character, so that
 * later stages can report spans in the source.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"

struct line {
	uint32_t s, e;          /* content after trimming and Markdown marks */
	uint32_t skip;          /* offset of a closing "**" inside, 0 when none */
	uint32_t chars;         /* characters of content */
	unsigned char blank, artifact, page, md, indent, label, sentence_end;
	unsigned char table;    /* a row of a table: cells split by tabs or Markdown pipes */
	uint32_t tab;           /* offset of a leading tab before the content, 0 when none */
};

/* ---- character normalisation --------------------------------------- */

static inline bool is_chinese(uint32_t c)
{
	return text_is_cjk(c);
}

static inline uint32_t peek(const char *src, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	uint32_t cp;
	text_utf8_next(src + i, n - i, &cp);
	return cp;
}

void doc_mark_add(struct markvec *m, size_t norm, uint32_t src)
{
	if (m->n > 0 && m->v[m->n - 1].norm == norm) {
		m->v[m->n - 1].src = src;
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n].norm = (uint32_t)norm;
	m->v[m->n].src = src;
	m->n++;
}

uint32_t doc_marks_src(const struct doc_mark *m, size_t n, size_t off)
{
	/* The last mark at or before off. */
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (m[mid].norm <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (n == 0)
		return 0;
	return m[lo].src + (uint32_t)(off - m[lo].norm);
}

uint32_t doc_para_src(const struct doc_para *p, size_t off)
{
	if (off >= p->len)
		return p->span.end;
	return doc_marks_src(p->marks, p->n_marks, off);
}

struct doc_span doc_para_span(const struct doc *d, const struct doc_para *p, size_t a, size_t b)
{
	struct doc_span s = {p->span.start, p->span.start};
	if (b > p->len)
		b = p->len;
	if (a >= b)
		return s;
	s.start = doc_para_src(p, a);
	size_t last = text_utf8_back(p->text, b - 1);
	uint32_t ls = doc_para_src(p, last);
	s.end = ls + (uint32_t)text_utf8_len((unsigned char)d->src[ls]);
	if (s.end > p->span.end)
		s.end = p->span.end;
	return s;
}

void doc_norm_append(struct norm_state *st, const char *src, size_t n, uint32_t base,
		     struct buf *out, struct markvec *map)
{
	/* An ASCII byte may become a three-byte full-width character. */
	char *o = buf_reserve(out, n * 3 + 4);
	if (!o)
		return;
	char *o0 = o;
	size_t out_base = out->len;
	/* Marks are added where output and source stop advancing together. */
	int64_t delta = map->n ? (int64_t)map->v[map->n - 1].src - map->v[map->n - 1].norm
			       : INT64_MIN;
	uint32_t prev = st->prev;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)src[i];
		/* A run of characters that stay as they are (three-byte characters
		 * outside the full-width block, ASCII other than the punctuation
		 * below) is copied whole; within it output and source advance
		 * together. */
		size_t run = i;
		while (run < n) {
			unsigned char r = (unsigned char)src[run];
			if (r >= 0xE0 && r < 0xF0 && r != 0xEF && run + 3 <= n)
				run += 3;
			else if (r < 0x80 && r != ',' && r != ';' && r != ':' && r != '!' && r != '?' &&
				 r != '(' && r != ')' && r != '"')
				run++;
			else
				break;
		}
		if (run > i) {
			size_t pos = out_base + (size_t)(o - o0);
			int64_t d = (int64_t)(base + i) - (int64_t)pos;
			if (d != delta) {
				doc_mark_add(map, pos, base + (uint32_t)i);
				delta = d;
			}
			memcpy(o, src + i, run - i);
			o += run - i;
			size_t last = text_utf8_back(src, run - 1);
			if (last < i)
				last = i;
			text_utf8_next(src + last, run - last, &prev);
			i = run;
			continue;
		}
		size_t pos = out_base + (size_t)(o - o0);
		int64_t d = (int64_t)(base + i) - (int64_t)pos;
		if (d != delta) {
			doc_mark_add(map, pos, base + (uint32_t)i);
			delta = d;
		}
		if (c >= 0x80) {
			uint32_t cp;
			int len = text_utf8_next(src + i, n - i, &cp);
			uint32_t to = cp;
			if (cp >= 0xFF10 && cp <= 0xFF19)
				to = cp - 0xFF10 + '0';
			else if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
				to = cp - 0xFEE0;
			else if (cp == 0xFF0E && prev >= '0' && prev <= '9')
				to = '.';
			else if (cp == 0xFF08)
				st->paren_open = 1;
			else if (cp == 0xFF09)
				st->paren_open = 0;
			if (to == cp) {
				memcpy(o, src + i, (size_t)len);
				o += len;
			} else {
				*o++ = (char)to;
			}
			prev = to;
			i += (size_t)len;
			continue;
		}
		uint32_t to = c;
		switch (c) {
		case ',': case ';': case ':': case '!': case '?': {
			uint32_t next = peek(src, n, i + 1);
			bool digits = prev >= '0' && prev <= '9' && next >= '0' && next <= '9';
			if (!digits && (is_chinese(prev) || is_chinese(next)))
				to = c == ',' ? 0xFF0C : c == ';' ? 0xFF1B : c == ':' ? 0xFF1A
				   : c == '!' ? 0xFF01 : 0xFF1F;
			break;
		}
		case '(': {
			uint32_t next = peek(src, n, i + 1);
			if (prev == 0 || is_chinese(prev) || is_chinese(next)) {
				to = 0xFF08;
				st->paren_open = 1;
			}
			break;
		}
		case ')':
			if (st->paren_open || is_chinese(prev) || is_chinese(peek(src, n, i + 1))) {
				to = 0xFF09;
				st->paren_open = 0;
			}
			break;
		case '"':
			to = st->quote_open ? 0x201D : 0x201C;
			st->quote_open = !st->quote_open;
			break;
		default:
			break;
		}
		if (to < 0x80)
			*o++ = (char)to;
		else
			o += text_utf8_put(to, o);
		prev = to;
		i++;
	}
	st->prev = prev;
	buf_commit(out, (size_t)(o - o0));
}

char *doc_normalise(const char *s, size_t n)
{
	struct buf out = BUF_INIT(0);
	struct markvec map = {0};
	struct norm_state st = {0};
	doc_norm_append(&st, s, n, 0, &out, &map);
	free(map.v);
	return buf_detach(&out, NULL);
}

/* ---- lines ------------------------------------------------------------ */

/* Bytes of white space at p (0 when none). */
static size_t space_at(const char *p, size_t n)
{
	unsigned char c = (unsigned char)p[0];
	if (c == ' ' || c == '\t' || c == '\f' || c == '\v')
		return 1;
	if (n >= 2 && c == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	if (n >= 3 && c == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
		return 3;
	if (n >= 3 && c == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		return 3;
	if (n >= 3 && c == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x8B)
		return 3;
	return 0;
}

/* Bytes of white space ending at p[n-1]. */
static size_t space_before(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	unsigned char c = (unsigned char)p[n - 1];
	if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r')
		return 1;
	if (n >= 2 && (unsigned char)p[n - 2] == 0xC2 && c == 0xA0)
		return 2;
	if (n >= 3 && (space_at(p + n - 3, 3) == 3))
		return 3;
	return 0;
}

static int is_dash(const char *p, size_t n, size_t *len)
{
	unsigned char c = (unsigned char)p[0];
	if (c == '-' || c == '_' || c == '=' || c == '*' || c == '~') {
		*len = 1;
		return 1;
	}
	/* — – ― － */
	if (n >= 3 && c == 0xE2 && (unsigned char)p[1] == 0x80 &&
	    ((unsigned char)p[2] >= 0x93 && (unsigned char)p[2] <= 0x95)) {
		*len = 3;
		return 1;
	}
	if (n >= 3 && c == 0xEF && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] == 0x8D) {
		*len = 3;
		return 1;
	}
	return 0;
}

/* A digit, ASCII or full-width, at p: its value, else -1; *len bytes. */
static int digit_at(const char *p, size_t n, size_t *len)
{
	if (p[0] >= '0' && p[0] <= '9') {
		*len = 1;
		return p[0] - '0';
	}
	if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
	    (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99) {
		*len = 3;
		return (unsigned char)p[2] - 0x90;
	}
	return -1;
}

/* Squeeze a short line into ASCII-ish form for artefact matching: digits
 * made ASCII, spaces dropped, dashes made '-'.  Returns 0 when the line
 * holds anything else that rules out a page number, else its length. */
static size_t squeeze(const char *p, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t len;
		if (k + 4 >= cap)
			return 0;
		if ((len = space_at(p + i, n - i)) > 0) {
			i += len;
		} else if (digit_at(p + i, n - i, &len) >= 0) {
			out[k++] = (char)('0' + digit_at(p + i, n - i, &len));
			i += len;
		} else if (is_dash(p + i, n - i, &len)) {
			out[k++] = p[i] == '*' || p[i] == '_' || p[i] == '=' || p[i] == '~' ? p[i] : '-';
			i += len;
		} else {
			len = (size_t)text_utf8_len((unsigned char)p[i]);
			if (i + len > n)
				return 0;
			memcpy(out + k, p + i, len);
			k += len;
			i += len;
		}
	}
	out[k] = '\0';
	return k;
}

static size_t skip_digits(const char *s, size_t i, size_t max)
{
	size_t j = i;
	while (s[j] >= '0' && s[j] <= '9' && j - i < max)
		j++;
	return j - i;
}

/* Page numbers, rules and separators. */
static int is_page_artifact(const char *p, size_t n)
{
	if (n > 60)
		return 0;
	char s[128];
	size_t k = squeeze(p, n, s, sizeof s);
	if (k == 0)
		return 0;
	/* ---, ***, ___, ===, ~~~ */
	size_t same = strspn(s, "-") >= k ? k : strspn(s, "*") >= k ? k : strspn(s, "_") >= k ? k
		      : strspn(s, "=") >= k ? k : strspn(s, "~") >= k ? k : 0;
	if (same >= 3)
		return 1;
	/* -3-, 3, - 3 / 12 - */
	size_t i = strspn(s, "-");
	size_t d = skip_digits(s, i, 4);
	if (d > 0) {
		size_t j = i + d;
		if (s[j] == '/') {
			size_t d2 = skip_digits(s, j + 1, 4);
			if (d2 == 0)
				return 0;
			j += 1 + d2;
		}
		j += strspn(s + j, "-");
		if (j == k)
			return 1;
	}
	/* 第3页 [共12页], 共12页 第3页 */
	static const char di[] = "第", ye[] = "页", gong[] = "共";
	const char *q = s;
	int pages = 0;
	while (*q) {
		if (*q == ',' || *q == '-' || *q == '/' || strncmp(q, "，", 3) == 0) {
			q += *q == ',' || *q == '-' || *q == '/' ? 1 : 3;
			continue;
		}
		if (strncmp(q, di, 3) == 0 || strncmp(q, gong, 3) == 0) {
			q += 3;
			size_t dd = skip_digits(q, 0, 4);
			if (dd == 0 || strncmp(q + dd, ye, 3) != 0)
				return 0;
			q += dd + 3;
			pages++;
			continue;
		}
		if (strncasecmp(q, "page", 4) == 0) {
			q += 4;
			size_t dd = skip_digits(q, 0, 4);
			if (dd == 0)
				return 0;
			q += dd;
			if (strncasecmp(q, "of", 2) == 0) {
				q += 2;
				dd = skip_digits(q, 0, 4);
				if (dd == 0)
					return 0;
				q += dd;
			}
			pages++;
			continue;
		}
		return 0;
	}
	return pages > 0;
}

/* 2 when the text ends a sentence (。！？), 1 when it ends a clause that
 * usually goes on (；：), 0 otherwise. */
static int ends_sentence(const char *p, size_t n)
{
	static const char *const strong[] = {"。", "！", "？", "!", "?"};
	static const char *const weak[] = {"；", "：", ";"};
	for (size_t i = 0; i < ARRAY_LEN(strong); i++) {
		size_t l = strlen(strong[i]);
		if (n >= l && memcmp(p + n - l, strong[i], l) == 0)
			return 2;
	}
	for (size_t i = 0; i < ARRAY_LEN(weak); i++) {
		size_t l = strlen(weak[i]);
		if (n >= l && memcmp(p + n - l, weak[i], l) == 0)
			return 1;
	}
	return 0;
}

/* Does normalised-on-the-fly content start with a numbering label? */
static int starts_with_label(const char *p, size_t n)
{
	char tmp[48];
	size_t take = n < 24 ? n : 24;
	/* Cut at a character boundary. */
	while (take < n && take > 0 && ((unsigned char)p[take] & 0xC0) == 0x80)
		take--;
	struct buf b = BUF_INIT(0);
	struct markvec map = {0};
	struct norm_state st = {0};
	doc_norm_append(&st, p, take, 0, &b, &map);
	size_t len = b.len < sizeof tmp - 1 ? b.len : sizeof tmp - 1;
	memcpy(tmp, b.p ? b.p : "", len);
	tmp[len] = '\0';
	buf_release(&b);
	free(map.v);
	struct label_hit h;
	return doc_label_at(tmp, len, &h);
}

/* Trim a line and take off Markdown marks. */
static void scan_line(const char *src, struct line *l)
{
	size_t s = l->s, e = l->e, k;
	int indent = 0;
	while (s < e && (k = space_at(src + s, e - s)) > 0) {
		s += k;
		indent = 1;
	}
	while (e > s && (k = space_before(src + s, e - s)) > 0)
		e -= k;
	l->indent = (unsigned char)indent;
	if (s == e) {
		l->blank = 1;
		l->s = l->e = (uint32_t)s;
		return;
	}
	{
		const char *t = memchr(src + l->s, '\t', s - l->s);
		l->tab = t ? (uint32_t)(t - src) : 0;
	}
	/* A row of a table: tab-separated cells (text copied from Word or a
	 * spreadsheet; leading tabs are empty cells and stay, and a row whose
	 * only text is in its first cell ends in tabs), or a Markdown pipe row
	 * (its |---| rule is dropped). */
	if (memchr(src + s, '\t', l->e - s)) {
		size_t t = l->s;
		while (t < s && src[t] != '\t')
			t++;
		l->s = (uint32_t)t;
		l->e = (uint32_t)e;
		l->table = 1;
		size_t chars = text_utf8_count(src + t, e - t);
		l->chars = chars > 0xFFFFFF ? 0xFFFFFF : (uint32_t)chars;
		return;
	}
	if (src[s] == '|' && e - s >= 3 && memchr(src + s + 1, '|', e - s - 1)) {
		l->s = (uint32_t)s;
		l->e = (uint32_t)e;
		l->table = 1;
		if (strspn(src + s, "|-: ") >= e - s)
			l->artifact = 1;
		size_t chars = text_utf8_count(src + s, e - s);
		l->chars = chars > 0xFFFFFF ? 0xFFFFFF : (uint32_t)chars;
		return;
	}
	if (is_page_artifact(src + s, e - s)) {
		l->artifact = l->page = 1;
		l->s = (uint32_t)s;
		l->e = (uint32_t)e;
		return;
	}
	/* # headings */
	size_t h = 0;
	while (s + h < e && src[s + h] == '#' && h < 7)
		h++;
	if (h >= 1 && h <= 6 && s + h < e) {
		l->md = (unsigned char)h;
		s += h;
		while (s < e && (k = space_at(src + s, e - s)) > 0)
			s += k;
		while (e > s && src[e - 1] == '#')
			e--;
		while (e > s && (k = space_before(src + s, e - s)) > 0)
			e -= k;
	}
	/* "- " "* " "+ " list bullets and "> " quotes */
	if (e - s >= 2 && (src[s] == '-' || src[s] == '*' || src[s] == '+' || src[s] == '>') &&
	    src[s + 1] == ' ') {
		s += 2;
		while (s < e && (k = space_at(src + s, e - s)) > 0)
			s += k;
	}
	/* **bold** around the line, or **heading.** followed by text */
	if (e - s >= 4 && memcmp(src + s, "**", 2) == 0) {
		if (memcmp(src + e - 2, "**", 2) == 0 && e - s > 4) {
			s += 2;
			e -= 2;
		} else {
			const char *close = NULL;
			for (size_t i = s + 2; i + 1 < e; i++)
				if (src[i] == '*' && src[i + 1] == '*') {
					close = src + i;
					break;
				}
			if (close) {
				s += 2;
				l->skip = (uint32_t)(close - src);
			}
		}
		while (s < e && (k = space_at(src + s, e - s)) > 0)
			s += k;
		while (e > s && (k = space_before(src + s, e - s)) > 0)
			e -= k;
	}
	if (s == e) {
		l->blank = 1;
		l->s = l->e = (uint32_t)s;
		return;
	}
	l->s = (uint32_t)s;
	l->e = (uint32_t)e;
	size_t chars = text_utf8_count(src + s, e - s);
	l->chars = chars > 0xFFFFFF ? 0xFFFFFF : (uint32_t)chars;
	l->sentence_end = (unsigned char)ends_sentence(src + s, e - s);
}

/* Mark short lines repeated three times or more (running headers/footers). */
static void mark_repeats(const char *src, struct line *lines, size_t n)
{
	size_t cand = 0;
	for (size_t i = 0; i < n; i++)
		if (!lines[i].blank && !lines[i].artifact && lines[i].chars <= 40)
			cand++;
	if (cand < 3)
		return;
	size_t cap = 16;
	while (cap < cand * 2)
		cap *= 2;
	struct slot {
		uint32_t line;  /* first line with this content, +1; 0 empty */
		uint32_t count;
		uint64_t hash;
	} *tab = xcalloc(cap, sizeof *tab);
	uint32_t *slot_of = xmalloc(n * sizeof *slot_of);
	size_t first = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		slot_of[i] = UINT32_MAX;
		struct line *l = &lines[i];
		if (l->blank || l->artifact)
			continue;
		if (first == SIZE_MAX)
			first = i;
		if (l->chars > 40)
			continue;
		uint64_t hv = 1469598103934665603ull;
		for (uint32_t k = l->s; k < l->e; k++)
			hv = (hv ^ (unsigned char)src[k]) * 1099511628211ull;
		size_t j = hv & (cap - 1);
		for (;;) {
			struct slot *sl = &tab[j];
			if (!sl->line) {
				sl->line = (uint32_t)i + 1;
				sl->hash = hv;
				sl->count = 1;
				break;
			}
			struct line *o = &lines[sl->line - 1];
			if (sl->hash == hv && o->e - o->s == l->e - l->s &&
			    memcmp(src + o->s, src + l->s, l->e - l->s) == 0) {
				sl->count++;
				break;
			}
			j = (j + 1) & (cap - 1);
		}
		slot_of[i] = (uint32_t)j;
	}
	/* A line seen twice counts when every time it stands next to a page
	 * number (within two lines): a short report has few pages. */
	uint32_t *near_page = xcalloc(cap, sizeof *near_page);
	for (size_t i = 0; i < n; i++) {
		if (slot_of[i] == UINT32_MAX || tab[slot_of[i]].count != 2)
			continue;
		int near = 0;
		for (size_t k = i >= 2 ? i - 2 : 0; k <= i + 2 && k < n; k++)
			near |= k != i && lines[k].artifact && !lines[k].blank;
		near_page[slot_of[i]] += (uint32_t)near;
	}
	for (size_t i = 0; i < n; i++) {
		if (slot_of[i] == UINT32_MAX || i == first)
			continue;
		uint32_t count = tab[slot_of[i]].count;
		if (count < 2 || (count == 2 && near_page[slot_of[i]] < 2))
			continue;
		struct line *l = &lines[i];
		/* Labelled parts repeat item after item (责任单位：办公室): a
		 * label and its colon open no running header. */
		size_t lim = l->e - l->s < 3 * 17 ? l->e - l->s : 3 * 17;
		if (l->sentence_end || starts_with_label(src + l->s, l->e - l->s) ||
		    find3(src + l->s, lim, "：") || memchr(src + l->s, ':', lim))
			continue;
		l->artifact = 1;
	}
	free(near_page);
	free(slot_of);
	free(tab);
}

/* ---- web page furniture ------------------------------------------------ */

static int in_list(const struct wordlist *wl, const char *p, size_t n)
{
	for (size_t i = 0; wl && i < wl->n; i++)
		if (wl->len[i] == n && memcmp(wl->w[i], p, n) == 0)
			return 1;
	return 0;
}

/* Does a word of wl start p[0..n)?  Its length, else 0. */
static size_t list_prefix(const struct wordlist *wl, const char *p, size_t n)
{
	if (!wl || n == 0 || !wordlist_may_start(wl, p, n))
		return 0;
	for (size_t i = 0; i < wl->n; i++)
		if (wl->len[i] <= n && memcmp(wl->w[i], p, wl->len[i]) == 0)
			return wl->len[i];
	return 0;
}

/* Separators between the words of a line of page controls: bytes of the
 * one at p, 0 when none. */
static size_t furniture_sep(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	switch (u[0]) {
	case ' ': case '\t': case '|': case '/': case '[': case ']': case '(': case ')':
	case ':': case ',':
		return 1;
	case 0xC2: /* NBSP, · */
		return n >= 2 && (u[1] == 0xA0 || u[1] == 0xB7) ? 2 : 0;
	default:
		break;
	}
	if (n < 3)
		return 0;
	if ((u[0] == 0xE3 && u[1] == 0x80 &&
	     (u[2] == 0x80 || u[2] == 0x81 || u[2] == 0x90 || u[2] == 0x91)) || /* 　 、 【 】 */
	    (u[0] == 0xE4 && u[1] == 0xB8 && u[2] == 0xA8) ||                     /* 丨 */
	    (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xA2) ||                     /* • */
	    (u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x88 || u[2] == 0x89 ||     /* （ ） */
					      u[2] == 0x9A || u[2] == 0x8C)))     /* ： ， */
		return 3;
	return 0;
}

/* Bytes of the longest word of wl. */
static size_t longest(const struct wordlist *wl)
{
	size_t m = 0;
	for (size_t i = 0; wl && i < wl->n; i++)
		if (wl->len[i] > m)
			m = wl->len[i];
	return m;
}

/* A line made only of words of wl ("字号：大 中 小  打印本页  关闭窗口"). */
static int all_words_of(const struct wordlist *wl, const char *p, size_t n)
{
	if (n == 0 || !wl || (!furniture_sep(p, n) && !wordlist_may_start(wl, p, n)))
		return 0;
	size_t i = 0, words = 0, max = longest(wl);
	while (i < n) {
		size_t k = furniture_sep(p + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		size_t j = i;
		while (j < n && j - i <= max && !furniture_sep(p + j, n - j))
			j += (size_t)text_utf8_len((unsigned char)p[j]);
		if (j > n || j - i > max || !in_list(wl, p + i, j - i))
			return 0;
		words++;
		i = j;
	}
	return words > 0;
}

/* Does a word of wl start p[0..n), spaced out or not (名　　称)?  Its
 * length in p, else 0. */
static size_t spaced_prefix(const struct wordlist *wl, const char *p, size_t n)
{
	size_t k = list_prefix(wl, p, n);
	if (k || !wl)
		return k;
	for (size_t w = 0; w < wl->n; w++) {
		size_t i = 0, j = 0;
		while (j < wl->len[w] && i < n) {
			size_t sp = space_at(p + i, n - i);
			if (sp && j > 0) {
				i += sp;
				continue;
			}
			if (p[i] != wl->w[w][j])
				break;
			i++;
			j++;
		}
		if (j == wl->len[w])
			return i;
	}
	return 0;
}

/* The number of "KEY：value" pairs of an index-block line, 0 when the line
 * holds anything else. */
static int meta_pairs(const struct wordlist *wl, const char *p, size_t n)
{
	int pairs = 0;
	size_t i = 0;
	while (i < n) {
		size_t k = space_at(p + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		size_t key = pairs ? list_prefix(wl, p + i, n - i) : spaced_prefix(wl, p + i, n - i);
		if (!key && pairs == 0)
			return 0;
		size_t j = i + key;
		while (j < n && !space_at(p + j, n - j))
			j += (size_t)text_utf8_len((unsigned char)p[j]);
		if (j > n)
			return 0;
		if (key && (AT(p, n, i + key, "：") || AT(p, n, i + key, ":"))) {
			pairs++;
		} else if (pairs == 0) {
			return 0;
		} /* else part of the value after a key (a code, a date, a name) */
		i = j;
	}
	return pairs;
}

/* A breadcrumb: opened by 当前位置 …, or short parts joined by ">" . */
static int is_crumb(const struct wordlist *wl, const char *p, size_t n)
{
	if (list_prefix(wl, p, n))
		return 1;
	if (n > 240)
		return 0;
	int seps = 0;
	size_t part = 0;
	for (size_t i = 0; i < n;) {
		size_t l = (size_t)text_utf8_len((unsigned char)p[i]);
		if (p[i] == '>' || AT(p, n, i, "＞") || AT(p, n, i, "»") || AT(p, n, i, "›")) {
			seps++;
			part = 0;
		} else if (!space_at(p + i, n - i) && ++part > 16) {
			return 0;
		}
		i += l;
	}
	return seps >= 2;
}

/* Lines of a page copied from a web site that are not the document's:
 * page controls anywhere; the site's header, breadcrumb, greeting and index
 * block near the top; its footer near the end (data/furniture.txt). */
static void mark_furniture(const char *src, struct line *lines, size_t n)
{
	enum { ZONE = 40 };
	const struct wordlist *widget = doc_words("data/furniture.txt#widget"),
			      *meta = doc_words("data/furniture.txt#meta"),
			      *crumb = doc_words("data/furniture.txt#crumb"),
			      *greet = doc_words("data/furniture.txt#greeting"),
			      *footer = doc_words("data/furniture.txt#footer");
	size_t seen = 0, last_crumb = SIZE_MAX, content = 0;
	for (size_t i = 0; i < n; i++)
		content += !lines[i].blank && !lines[i].artifact;
	for (size_t i = 0; i < n; i++) {
		struct line *l = &lines[i];
		if (l->blank || l->artifact)
			continue;
		const char *p = src + l->s;
		size_t len = l->e - l->s;
		seen++;
		if (l->chars <= 80 && all_words_of(widget, p, len)) {
			l->artifact = 1;
			continue;
		}
		int pairs = l->chars <= 160 ? meta_pairs(meta, p, len) : 0;
		if (pairs >= 2 || (pairs == 1 && seen <= ZONE)) {
			l->artifact = 1;
			continue;
		}
		if (l->chars > 160 || l->table)
			continue;
		if (seen <= ZONE && !l->sentence_end && is_crumb(crumb, p, len)) {
			l->artifact = 1;
			last_crumb = i;
			continue;
		}
		/* A greeting stands anywhere near the top: under a public
		 * account's title as well as above a site's. */
		if (seen <= ZONE && !l->sentence_end &&
		    (list_prefix(greet, p, len) ||
		     (AT(p, len, 0, "今天是") && memmem(p, len, "星期", 6)))) {
			l->artifact = 1;
			continue;
		}
		if (content - seen < ZONE) {
			int foot = 0;
			for (size_t k = 0; footer && k < footer->n && !foot; k++)
				foot = memmem(p, len, footer->w[k], footer->len[k]) != NULL;
			if (foot) {
				for (size_t k = i; k < n; k++)
					lines[k].artifact = 1;
				break;
			}
		}
	}
	/* Above a breadcrumb stand the site's name and menus. */
	for (size_t i = 0; last_crumb != SIZE_MAX && i < last_crumb; i++)
		if (!lines[i].blank)
			lines[i].artifact = 1;
}

/* Next (dir = +1) or previous (dir = -1) line from i that is neither blank
 * nor a page number; n when there is none. */
static size_t content_line(const struct line *lines, size_t n, size_t i, int dir)
{
	while (dir > 0 ? i + 1 < n : i > 0) {
		i = dir > 0 ? i + 1 : i - 1;
		if (!lines[i].blank && !lines[i].artifact)
			return i;
	}
	return n;
}

/* In hard-wrapped text, a short line beside a page number that interrupts
 * a paragraph (the text before the break runs to the full width without
 * ending its sentence) is a running header or footer even when it appears
 * only once. */
static void mark_page_headers(const char *src, struct line *lines, size_t n, uint32_t width)
{
	for (size_t k = 0; k < n; k++) {
		if (!lines[k].page)
			continue;
		for (int dir = -1; dir <= 1; dir += 2) {
			size_t h = content_line(lines, n, k, dir);
			if (h == n)
				continue;
			struct line *hl = &lines[h];
			if (hl->chars > 30 || hl->chars * 2 > width || hl->sentence_end || hl->md ||
			    starts_with_label(src + hl->s, hl->e - hl->s))
				continue;
			/* The paragraph text on the far sides of the header and page
			 * number: before must be a full line that goes on. */
			size_t before = content_line(lines, n, dir < 0 ? h : k, -1);
			size_t after = content_line(lines, n, dir < 0 ? k : h, 1);
			if (before == n || after == n)
				continue;
			struct line *bl = &lines[before];
			if (bl->chars + 2 >= width && !bl->sentence_end && !lines[after].label)
				hl->artifact = 1;
		}
	}
}

/* The width (in characters) of a hard-wrapped text, or 0 when the text is
 * not hard-wrapped. */
static uint32_t wrap_width(const struct line *lines, size_t n)
{
	enum { MAXW = 1024 };
	uint32_t *hist = xcalloc(MAXW + 4, sizeof *hist);
	size_t longish = 0;
	for (size_t i = 0; i < n; i++) {
		if (lines[i].blank || lines[i].artifact || lines[i].table || lines[i].chars < 15)
			continue;
		longish++;
		hist[lines[i].chars < MAXW ? lines[i].chars : MAXW - 1]++;
	}
	uint32_t best = 0, best_at = 0;
	for (uint32_t w = 15; w + 3 < MAXW; w++) {
		uint32_t c = hist[w] + hist[w + 1] + hist[w + 2] + hist[w + 3];
		if (c >= best) {
			best = c;
			best_at = w;
		}
	}
	free(hist);
	if (best < 3 || best * 10 < longish * 4 || best_at < 18)
		return 0;
	return best_at;
}

/* Does line l end its paragraph whatever follows?  Only full lines of a
 * hard-wrapped text join the next; one that ends a sentence joins only
 * where indentation shows where paragraphs begin. */
static int line_ends_para(const struct line *l, uint32_t width, int indent_marks)
{
	return !width || l->md || l->table || l->chars + 2 < width ||
	       (l->sentence_end == 2 && !indent_marks);
}

/* Lines [from, to) of the source: line k runs from line_starts[k] to the
 * newline before line_starts[k + 1] (or to the end of the text). */
struct scan_part {
	const struct doc *d;
	struct line *lines;
	size_t from, to;
};

static void scan_lines(void *arg)
{
	struct scan_part *sp = arg;
	const struct doc *d = sp->d;
	for (size_t k = sp->from; k < sp->to; k++) {
		struct line *l = &sp->lines[k];
		memset(l, 0, sizeof *l);
		l->s = d->line_starts[k];
		l->e = k + 1 < d->n_lines ? d->line_starts[k + 1] - 1 : (uint32_t)d->len;
		scan_line(d->src, l);
	}
}

/* The paragraphs that start at lines [from, to) (from starts one, and the
 * last of them ends before `to`): their texts one after another in `all`,
 * each NUL-terminated (p->text is an offset into it until the caller sets
 * the pointers), their marks from *ar. */
struct para_part {
	const char *src;
	const struct line *lines;
	size_t n_lines, from, to;
	uint32_t width;
	int indent_marks;
	struct arena *ar;
	struct buf all;
	VEC(struct doc_para) paras;
	VEC(struct para_info) info;
};

static void build_part(void *arg)
{
	struct para_part *pp = arg;
	const char *src = pp->src;
	const struct line *lines = pp->lines;
	uint32_t width = pp->width;
	int indent_marks = pp->indent_marks;
	struct buf *all = &pp->all;
	struct markvec map = {0};
	size_t i = pp->from;
	while (i < pp->to) {
		const struct line *l = &lines[i];
		if (l->blank || l->artifact) {
			i++;
			continue;
		}
		size_t pbase = all->len;
		map.n = 0;
		struct norm_state st = {0};
		struct para_info pi = {.md_level = l->md, .table = l->table};
		uint32_t start = l->s, end = l->e;
		for (;;) {
			if (l->skip) {
				doc_norm_append(&st, src + l->s, l->skip - l->s, l->s, all, &map);
				doc_norm_append(&st, src + l->skip + 2, l->e - l->skip - 2, l->skip + 2,
						all, &map);
			} else {
				doc_norm_append(&st, src + l->s, l->e - l->s, l->s, all, &map);
			}
			end = l->e;
			if (line_ends_para(l, width, indent_marks))
				break;
			/* Find the next content line, skipping page artefacts and the
			 * blank lines around them. */
			size_t j = i + 1;
			int artifact = 0, blank = 0;
			while (j < pp->n_lines && (lines[j].blank || lines[j].artifact)) {
				artifact |= lines[j].artifact;
				blank |= lines[j].blank;
				j++;
			}
			if (j >= pp->n_lines || (blank && !artifact))
				break;
			const struct line *nx = &lines[j];
			if (nx->label || nx->md || nx->table || (indent_marks && nx->indent))
				break;
			/* Latin words broken across lines keep a space (not numbers). */
			uint32_t first;
			text_utf8_next(src + nx->s, nx->e - nx->s, &first);
			if (text_is_ascii_alnum(st.prev) && text_is_ascii_alnum(first) &&
			    !(st.prev <= '9' && first <= '9')) {
				doc_mark_add(&map, all->len, l->e);
				buf_putc(all, ' ');
			}
			i = j;
			l = nx;
		}
		i++;
		struct doc_para *p = VEC_PUSH(pp->paras);
		p->span.start = start;
		p->span.end = end;
		p->len = all->len - pbase;
		p->text = (char *)(uintptr_t)pbase; /* an offset until the end */
		buf_putc(all, '\0');
		for (size_t k = 0; k < map.n; k++)
			map.v[k].norm -= (uint32_t)pbase;
		p->marks = arena_alloc(pp->ar, (map.n ? map.n : 1) * sizeof *p->marks);
		if (map.n)
			memcpy(p->marks, map.v, map.n * sizeof *p->marks);
		p->n_marks = map.n;
		*VEC_PUSH(pp->info) = pi;
	}
	free(map.v);
}

void doc_build_paras(struct doc *d, struct para_info **info_out)
{
	const char *src = d->src;
	size_t len = d->len;
	int threaded = len >= util_parallel_from;
	/* One line per line of the index, but for an empty one after the
	 * final newline. */
	size_t n_lines = d->n_lines;
	if (n_lines > 0 && d->line_starts[n_lines - 1] == len)
		n_lines--;
	struct line *lines = xreallocarray(NULL, n_lines + 1, sizeof *lines);
	struct scan_part sp[2] = {{d, lines, 0, n_lines / 2}, {d, lines, n_lines / 2, n_lines}};
	struct util_job job;
	util_job_start(&job, threaded, scan_lines, &sp[1]);
	scan_lines(&sp[0]);
	util_job_wait(&job);
	/* A line whose cells before the content are empty continues the table
	 * above it (a tab-separated row with empty leading cells). */
	for (size_t i = 1, prev = SIZE_MAX; i < n_lines; i++) {
		if (lines[i - 1].blank == 0)
			prev = i - 1;
		struct line *l = &lines[i];
		if (!l->blank && !l->table && l->tab && prev != SIZE_MAX && lines[prev].table &&
		    !lines[prev].artifact) {
			l->s = l->tab;
			l->table = 1;
			l->artifact = l->md = 0;
		}
	}
	mark_repeats(src, lines, n_lines);
	mark_furniture(src, lines, n_lines);
	uint32_t width = wrap_width(lines, n_lines);

	/* Indentation separates paragraphs only where it is not everywhere. */
	size_t indented = 0, content = 0;
	for (size_t i = 0; i < n_lines; i++) {
		if (lines[i].blank || lines[i].artifact)
			continue;
		content++;
		indented += lines[i].indent;
	}
	int indent_marks = indented * 2 < content;
	if (width) {
		for (size_t i = 0; i < n_lines; i++)
			if (!lines[i].blank && !lines[i].artifact)
				lines[i].label = (unsigned char)starts_with_label(
					src + lines[i].s, lines[i].e - lines[i].s);
		mark_page_headers(src, lines, n_lines, width);
	}

	/* Two halves side by side on a large text, split after a line that
	 * ends its paragraph whatever follows. */
	size_t mid = n_lines;
	if (threaded)
		for (mid = n_lines / 2 + 1; mid < n_lines; mid++) {
			const struct line *l = &lines[mid - 1];
			if (!l->blank && !l->artifact && line_ends_para(l, width, indent_marks))
				break;
		}
	struct arena arena2 = {0};
	struct para_part pp[2];
	for (int h = 0; h < 2; h++) {
		pp[h] = (struct para_part){.src = src, .lines = lines, .n_lines = n_lines,
					   .width = width, .indent_marks = indent_marks,
					   .ar = h ? &arena2 : &d->arena};
		pp[h].from = h ? mid : 0;
		pp[h].to = h ? n_lines : mid;
		/* Texts are about as long as their lines, and there is at most
		 * one paragraph per line. */
		size_t at = mid < n_lines ? lines[mid].s : len;
		size_t bytes = h ? len - at : at;
		size_t count = pp[h].to - pp[h].from + 1;
		buf_reserve(&pp[h].all, bytes + bytes / 8 + 64);
		pp[h].paras.cap = pp[h].info.cap = count;
		pp[h].paras.v = xreallocarray(NULL, count, sizeof *pp[h].paras.v);
		pp[h].info.v = xreallocarray(NULL, count, sizeof *pp[h].info.v);
	}
	util_job_start(&job, threaded && mid < n_lines, build_part, &pp[1]);
	build_part(&pp[0]);
	util_job_wait(&job);
	arena_absorb(&d->arena, &arena2);
	free(lines);

	/* One array of paragraphs (the doc keeps it) and of their flags; the
	 * texts stay in the halves' buffers, which the doc's arena adopts. */
	size_t n = pp[0].paras.n + pp[1].paras.n;
	struct doc_para *paras = pp[0].paras.v;
	struct para_info *info = pp[0].info.v;
	if (pp[1].paras.n) {
		paras = xreallocarray(paras, n + 1, sizeof *paras);
		info = xreallocarray(info, n + 1, sizeof *info);
		memcpy(paras + pp[0].paras.n, pp[1].paras.v, pp[1].paras.n * sizeof *paras);
		memcpy(info + pp[0].paras.n, pp[1].info.v, pp[1].info.n * sizeof *info);
	}
	for (int h = 0; h < 2; h++) {
		char *base = arena_adopt(&d->arena, buf_detach(&pp[h].all, NULL));
		struct doc_para *p = paras + (h ? pp[0].paras.n : 0);
		for (size_t k = 0; k < pp[h].paras.n; k++)
			p[k].text = base + (uintptr_t)p[k].text;
	}
	VEC_FREE(pp[1].paras);
	VEC_FREE(pp[1].info);
	d->paras = arena_adopt(&d->arena, paras);
	d->n_paras = n;
	*info_out = info;
}
