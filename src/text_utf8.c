/*
 * text_utf8.c -- strict UTF-8 validation, code point helpers, Chinese
 * numerals and line/column arithmetic.  The byte layouts are drawn in
 * text.h.  Validation is written here rather than taken from utf8proc
 * because it sits on the parser's hot path: a shift-based automaton takes
 * one table load and one shift per byte, without branches, and ASCII goes
 * eight bytes at a time.  The byte-by-byte checker behind it finds where
 * an invalid text goes wrong.
 */
#include "text.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/*
 * The automaton.  Each state is a bit offset (a multiple of 6) into a
 * table row; the row of a byte holds, at the offset of each state, the
 * state that byte leads to.  The error state leads to itself.
 */
enum {
	U_OK = 0, U_ERR = 6,            /* between characters; refused */
	U_1 = 12, U_2 = 18, U_3 = 24,   /* that many continuation bytes to go */
	U_E0 = 30, U_ED = 36,           /* after E0 (A0..BF next), ED (80..9F next) */
	U_F0 = 42, U_F4 = 48,           /* after F0 (90..BF next), F4 (80..8F next) */
};
#define U_ROW(ok, c1, c2, c3, e0, ed, f0, f4) \
	((uint64_t)(ok) << U_OK | (uint64_t)U_ERR << U_ERR | (uint64_t)(c1) << U_1 | \
	 (uint64_t)(c2) << U_2 | (uint64_t)(c3) << U_3 | (uint64_t)(e0) << U_E0 | \
	 (uint64_t)(ed) << U_ED | (uint64_t)(f0) << U_F0 | (uint64_t)(f4) << U_F4)
#define U_LEAD(to) U_ROW(to, U_ERR, U_ERR, U_ERR, U_ERR, U_ERR, U_ERR, U_ERR)
#define U_ASCII U_LEAD(U_OK)
#define U_BAD U_LEAD(U_ERR)
#define U_C80 U_ROW(U_ERR, U_OK, U_1, U_2, U_ERR, U_1, U_ERR, U_2) /* 80..8F */
#define U_C90 U_ROW(U_ERR, U_OK, U_1, U_2, U_ERR, U_1, U_2, U_ERR) /* 90..9F */
#define U_CA0 U_ROW(U_ERR, U_OK, U_1, U_2, U_1, U_ERR, U_2, U_ERR) /* A0..BF */
#define U_X2(r) r, r
#define U_X4(r) U_X2(r), U_X2(r)
#define U_X8(r) U_X4(r), U_X4(r)
#define U_X16(r) U_X8(r), U_X8(r)
static const uint64_t utf8_dfa[256] = {
	U_X16(U_ASCII), U_X16(U_ASCII), U_X16(U_ASCII), U_X16(U_ASCII),   /* 00..3F */
	U_X16(U_ASCII), U_X16(U_ASCII), U_X16(U_ASCII), U_X16(U_ASCII),   /* 40..7F */
	U_X16(U_C80), U_X16(U_C90), U_X16(U_CA0), U_X16(U_CA0),           /* 80..BF */
	U_X2(U_BAD),                                                      /* C0 C1 */
	U_X16(U_LEAD(U_1)), U_X8(U_LEAD(U_1)), U_X4(U_LEAD(U_1)), U_X2(U_LEAD(U_1)), /* C2..DF */
	U_LEAD(U_E0),                                                     /* E0 */
	U_X8(U_LEAD(U_2)), U_X4(U_LEAD(U_2)),                             /* E1..EC */
	U_LEAD(U_ED),                                                     /* ED */
	U_X2(U_LEAD(U_2)),                                                /* EE EF */
	U_LEAD(U_F0),                                                     /* F0 */
	U_X2(U_LEAD(U_3)), U_LEAD(U_3),                                   /* F1..F3 */
	U_LEAD(U_F4),                                                     /* F4 */
	U_X8(U_BAD), U_X2(U_BAD), U_BAD,                                  /* F5..FF */
};

static bool utf8_locate(const char *p, size_t n, size_t *bad);

bool text_utf8_valid(const char *p, size_t n, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)p;
	uint64_t st = U_OK;
	size_t i = 0;
	while (i < n) {
		/* Eight ASCII bytes at once between characters. */
		if ((st & 63) == U_OK && i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		/* Then 64 bytes through the automaton; an error stays one. */
		size_t end = n - i > 64 ? i + 64 : n;
		for (; i < end; i++)
			st = utf8_dfa[s[i]] >> (st & 63);
		if ((st & 63) == U_ERR)
			break;
	}
	if ((st & 63) == U_OK)
		return true;
	return utf8_locate(p, n, bad);
}

/* Byte by byte: false with *bad at the first invalid byte, or true. */
static bool utf8_locate(const char *p, size_t n, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;
	while (i < n) {
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		/* The common case in Chinese text: a three-byte sequence with a
		 * lead byte that puts no extra limit on the second byte. */
		if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			goto invalid;
		}
		if (i + need >= n)
			goto invalid;
		if (s[i + 1] < lo || s[i + 1] > hi)
			goto invalid;
		for (size_t k = 2; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				goto invalid;
		i += need + 1;
		continue;
	invalid:
		if (bad)
			*bad = i;
		return false;
	}
	return true;
}

int text_utf8_put(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t text_utf8_count(const char *p, size_t n)
{
	/* Characters = bytes - continuation bytes (10xxxxxx), eight at a time. */
	size_t cont = 0, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		/* One bit per continuation byte, moved to the low bit of its byte
		 * and summed by multiplication. */
		uint64_t bits = (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
		cont += (size_t)((bits * 0x0101010101010101ull) >> 56);
	}
	for (; i < n; i++)
		cont += ((unsigned char)p[i] & 0xC0) == 0x80;
	return n - cont;
}

size_t text_utf8_back(const char *p, size_t off)
{
	while (off > 0 && ((unsigned char)p[off] & 0xC0) == 0x80)
		off--;
	return off;
}

/* Value of one Chinese digit character, -1 if none.  Units (十百千) are
 * returned as 10, 100, 1000 with *unit set. */
static int cn_digit(uint32_t cp, int *unit)
{
	*unit = 0;
	switch (cp) {
	case 0x96F6: /* 零 */
	case 0x3007: /* 〇 */
		return 0;
	case 0x4E00: return 1; /* 一 */
	case 0x4E8C: return 2; /* 二 */
	case 0x4E24: return 2; /* 两 */
	case 0x4E09: return 3; /* 三 */
	case 0x56DB: return 4; /* 四 */
	case 0x4E94: return 5; /* 五 */
	case 0x516D: return 6; /* 六 */
	case 0x4E03: return 7; /* 七 */
	case 0x516B: return 8; /* 八 */
	case 0x4E5D: return 9; /* 九 */
	case 0x5341: *unit = 1; return 10;   /* 十 */
	case 0x767E: *unit = 1; return 100;  /* 百 */
	case 0x5343: *unit = 1; return 1000; /* 千 */
	default: return -1;
	}
}

size_t text_cn_number_span(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int len = text_utf8_next(s + i, n - i, &cp);
		int unit;
		if (cn_digit(cp, &unit) < 0)
			break;
		i += (size_t)len;
	}
	return i;
}

int text_cn_number(const char *s, size_t n)
{
	if (n == 0)
		return -1;
	int total = 0, digit = -1, last_unit = 100000;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int len = text_utf8_next(s + i, n - i, &cp);
		int unit;
		int v = cn_digit(cp, &unit);
		if (v < 0)
			return -1;
		if (unit) {
			if (v >= last_unit)
				return -1;
			total += (digit < 0 ? 1 : digit) * v;
			digit = -1;
			last_unit = v;
		} else {
			if (digit > 0)
				return -1; /* two digits in a row: 二三 */
			digit = v;
		}
		i += (size_t)len;
	}
	if (digit > 0)
		total += digit;
	if (total == 0 || total > 9999)
		return -1;
	return total;
}

void text_line_col(const char *p, size_t len, size_t off, unsigned *line, unsigned *col)
{
	if (off > len)
		off = len;
	unsigned l = 1;
	size_t start = 0;
	const char *q = p;
	while ((q = memchr(q, '\n', (size_t)(p + off - q))) != NULL) {
		l++;
		q++;
		start = (size_t)(q - p);
	}
	*line = l;
	*col = (unsigned)text_utf8_count(p + start, off - start) + 1;
}

size_t text_list_first(const char *s)
{
	static const char *const seps[] = {"、", "，", ",", "；", ";", "/", "\n", " ", "\u3000"};
	size_t cut = strlen(s);
	for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
		const char *p = strstr(s, seps[i]);
		if (p && (size_t)(p - s) < cut && p > s)
			cut = (size_t)(p - s);
	}
	return cut;
}

bool text_is_format(uint32_t c)
{
	return c > 0x7f && c <= 0x10ffff &&
	       utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_CF;
}

size_t text_strip_format(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int l = text_utf8_next(s + i, n - i, &cp);
		if (l <= 0)
			l = 1;
		if (!text_is_format(cp)) {
			memmove(s + o, s + i, (size_t)l);
			o += (size_t)l;
		}
		i += (size_t)l;
	}
	if (o < n)
		s[o] = '\0';
	return o;
}
