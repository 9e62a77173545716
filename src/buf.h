/*
 * buf.h -- a growable byte buffer with a size cap and a sticky error.
 *
 * Invariants:
 *   - p is NULL or points to cap bytes; p[len] is always '\0' once anything
 *     was appended, so p can be used as a C string when the content has no
 *     NUL bytes.
 *   - max is the largest len the buffer may reach (0: no limit).  An append
 *     that would pass it appends nothing, sets err to RC_TOOBIG, and every
 *     later append is a no-op.  Check err once at the end, as with SQLite's
 *     StrAccum.
 *   - Out of memory aborts (see util.h); there is no other failure.
 */
#ifndef RECTIFY_BUF_H
#define RECTIFY_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

struct buf {
	char *p;
	size_t len, cap, max;
	enum rc err;
};

#define BUF_INIT(limit) {NULL, 0, 0, (limit), RC_OK}

void buf_init(struct buf *b, size_t max);
void buf_append(struct buf *b, const void *p, size_t n);
/* A C string (inline, so a literal's length is known at compile time). */
static inline void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, __builtin_strlen(s));
}
/* One byte: the common case inline. */
void buf_putc_slow(struct buf *b, char c);
static inline void buf_putc(struct buf *b, char c)
{
	if (b->len + 1 < b->cap && !b->err && (!b->max || b->len < b->max)) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
		return;
	}
	buf_putc_slow(b, c);
}
/* An unsigned integer in decimal, without printf. */
void buf_uint(struct buf *b, unsigned long long v);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Make room for n more bytes and return a pointer to them; the caller writes
 * at most n bytes there and then calls buf_commit(b, written).  NULL once
 * err is set. */
char *buf_reserve(struct buf *b, size_t n);
void buf_commit(struct buf *b, size_t n);
void buf_truncate(struct buf *b, size_t len);
/* Empty the buffer but keep its memory (and clear err). */
void buf_reset(struct buf *b);
/* Hand the bytes over: the caller owns the result (free()), which is
 * NUL-terminated; the buffer is left empty.  *len may be NULL. */
char *buf_detach(struct buf *b, size_t *len);
void buf_release(struct buf *b);
/* Write everything to a stdio stream; RC_IO on a write error. */
enum rc buf_write(const struct buf *b, void *stdio_file);

/* JSON string literal, quotes included: escapes ", \ and control
 * characters; passes UTF-8 through unchanged. */
void buf_json_str(struct buf *b, const char *s, size_t n);
static inline void buf_json_cstr(struct buf *b, const char *s)
{
	if (s)
		buf_json_str(b, s, __builtin_strlen(s));
	else
		buf_append(b, "null", 4);
}

#endif
