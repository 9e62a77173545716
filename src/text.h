/*
 * text.h -- characters and encodings: strict UTF-8, decoding what offices
 * actually send (UTF-8 with or without BOM, GB18030/GBK, UTF-16 with BOM,
 * any line endings) into the one form every other module sees, and the
 * character classes the parser and lint need.
 *
 * The decoded form ("source text") is UTF-8, without BOM, with LF line
 * endings, and without NUL bytes.  Every span in rectify is a byte range
 * [start, end) of that text.
 */
#ifndef RECTIFY_TEXT_H
#define RECTIFY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Inputs larger than this are refused before any work (documented in
 * docs/LIMITS.md). */
#define TEXT_MAX_INPUT (16u << 20)

/*
 * UTF-8 byte layouts accepted (RFC 3629, no overlongs, no surrogates):
 *
 *   U+0000..U+007F     0xxxxxxx
 *   U+0080..U+07FF     110xxxxx 10xxxxxx                     (C2..DF)
 *   U+0800..U+FFFF     1110xxxx 10xxxxxx 10xxxxxx            (E0 A0.., ED ..9F)
 *   U+10000..U+10FFFF  11110xxx 10xxxxxx 10xxxxxx 10xxxxxx   (F0 90.., F4 ..8F)
 *
 * text_utf8_valid returns true when all of p[0..n) is valid; otherwise
 * false with *bad set to the offset of the first invalid byte.
 */
bool text_utf8_valid(const char *p, size_t n, size_t *bad);

/* Decode one code point at p (at most n bytes available, n > 0).  Returns the
 * number of bytes used (1..4) and sets *cp; an invalid sequence yields
 * U+FFFD and consumes one byte.  Only for text already validated. */
static inline int text_utf8_next(const char *p, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)p;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xE0 && c < 0xF0 && n >= 3) {
		*cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		return 3;
	}
	if (c >= 0xC0 && c < 0xE0 && n >= 2) {
		*cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		return 2;
	}
	if (c >= 0xF0 && n >= 4) {
		*cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
		      (s[3] & 0x3Fu);
		return 4;
	}
	*cp = 0xFFFD;
	return 1;
}

/* Length in bytes of the UTF-8 sequence starting with byte c (1 for
 * continuation or invalid bytes). */
static inline int text_utf8_len(unsigned char c)
{
	return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Encode cp as UTF-8 into out (room for 4); returns the length. */
int text_utf8_put(uint32_t cp, char *out);

/* A Unicode format character (general category Cf): the bidi controls
 * (U+202A..U+202E, U+2066..U+2069, U+200E/F, U+061C), zero-width spaces and
 * joiners, U+FEFF, the soft hyphen and their kin -- invisible, and the bidi
 * ones reorder what is shown ("报告<U+202E>fdp.exe" shows as 报告exe.pdf). */
bool text_is_format(uint32_t c);
/* Remove the format characters from the valid UTF-8 s[0..n) in place;
 * returns the new length (s is NUL-terminated there when it was at n). */
size_t text_strip_format(char *s, size_t n);

/* Number of code points in valid UTF-8. */
size_t text_utf8_count(const char *p, size_t n);

/* Offset of the start of the character that contains byte off. */
size_t text_utf8_back(const char *p, size_t off);

/* Character classes. */
static inline bool text_is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F) || c == 0x3007;
}
/* Full-width and CJK punctuation, including Chinese quotes and brackets. */
static inline bool text_is_cjk_punct(uint32_t c)
{
	return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
	       (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
	       (c >= 0xFF5B && c <= 0xFF65) || c == 0x2018 || c == 0x2019 || c == 0x201C ||
	       c == 0x201D || c == 0x2026 || c == 0x2014 || c == 0x00B7 || c == 0x2022;
}
/* Han character or CJK punctuation: "Chinese text" for the purposes of
 * placeholder and punctuation rules. */
static inline bool text_is_cjk(uint32_t c)
{
	return text_is_han(c) || text_is_cjk_punct(c);
}
static inline bool text_is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0 || c == '\f' || c == '\v' ||
	       c == 0xFEFF || c == 0x200B;
}
static inline bool text_is_ascii_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* The value of a Chinese numeral written with 零〇一二两三四五六七八九十百千
 * (e.g. 十五 = 15, 二十一 = 21, 一百零二 = 102) in s[0..n); -1 when s is not
 * such a numeral or exceeds 9999.  The caller passes exactly the numeral. */
int text_cn_number(const char *s, size_t n);

/* Length in bytes of the longest run of Chinese numeral characters at s
 * (0 when none). */
size_t text_cn_number_span(const char *s, size_t n);

/* Bytes of the first name of a list of names ("办公室、人事科" -> the bytes
 * of "办公室"; separators 、，,；;/ space, a line break), all of s when it
 * names one. */
size_t text_list_first(const char *s);

/*
 * The decoded source text.  p is malloc'd, NUL-terminated; the caller frees
 * with text_src_release().  encoding names what was found: "UTF-8",
 * "UTF-8 (BOM)", "GB18030", "UTF-16LE", "UTF-16BE".
 */
struct text_src {
	char *p;
	size_t len;
	size_t input_bytes;
	const char *encoding;
};

/*
 * Decode raw bytes into source text (see the top of this file).  Errors:
 *   RC_TOOBIG  more than TEXT_MAX_INPUT bytes;
 *   RC_INVALID empty input, binary data (NUL or control bytes), or bytes
 *              that are neither UTF-8 nor GB18030 -- e->msg names the
 *              problem and, for bad UTF-8, the offset.
 */
enum rc text_decode(const void *data, size_t n, struct text_src *out, struct err *e);
/* The same, taking ownership of data (malloc'd, with room for a NUL after n
 * bytes, as util_read_file gives): plain UTF-8 is decoded in place without a
 * copy.  data is freed or becomes out->p, whatever the result. */
enum rc text_decode_take(char *data, size_t n, struct text_src *out, struct err *e);
void text_src_release(struct text_src *s);

/* 1-based line and column (in characters) of byte offset off in p. */
void text_line_col(const char *p, size_t len, size_t off, unsigned *line, unsigned *col);

#endif
