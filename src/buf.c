/*
 * buf.c -- the growable buffer of buf.h.
 */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	struct buf z = BUF_INIT(max);
	*b = z;
}

/* Ensure room for n more bytes plus the terminating NUL.  Returns 0 and sets
 * the sticky error when the cap would be passed. */
static int grow(struct buf *b, size_t n)
{
	if (b->err)
		return 0;
	if (n > SIZE_MAX / 2 - b->len || (b->max && b->len + n > b->max)) {
		b->err = RC_TOOBIG;
		return 0;
	}
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return 1;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
	return 1;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	if (!grow(b, n))
		return;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_putc_slow(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_uint(struct buf *b, unsigned long long v)
{
	char t[24], *p = t + sizeof t;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_append(b, p, (size_t)(t + sizeof t - p));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	if (b->err)
		return;
	va_list aq;
	va_copy(aq, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, aq);
	va_end(aq);
	if (n < 0) {
		b->err = RC_INTERNAL;
		return;
	}
	if ((size_t)n < sizeof small) {
		buf_append(b, small, (size_t)n);
		return;
	}
	if (!grow(b, (size_t)n))
		return;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_reserve(struct buf *b, size_t n)
{
	if (!grow(b, n))
		return NULL;
	return b->p + b->len;
}

void buf_commit(struct buf *b, size_t n)
{
	if (b->err)
		return;
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->p[len] = '\0';
	}
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = RC_OK;
	if (b->p)
		b->p[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->p ? b->p : xstrdup("");
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_release(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = RC_OK;
}

enum rc buf_write(const struct buf *b, void *stdio_file)
{
	FILE *f = stdio_file;
	if (b->len && fwrite(b->p, 1, b->len, f) != b->len)
		return RC_IO;
	return fflush(f) == 0 ? RC_OK : RC_IO;
}

void buf_json_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	/* Escape in slices so that the reservation (six output bytes for each
	 * input byte at worst) stays small whatever the string's length. */
	while (n > 0) {
		size_t take = n < 4096 ? n : 4096;
		char *o = buf_reserve(b, take * 6);
		if (!o)
			return;
		char *start = o;
		for (size_t i = 0; i < take; i++) {
			/* Copy eight bytes at a time while none needs escaping: no
			 * byte below 0x20, no '"' (0x22), no '\\' (0x5C). */
			while (i + 8 <= take) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if (util_bytes_below(w, 0x20) | util_bytes_eq(w, '"') |
				    util_bytes_eq(w, '\\'))
					break;
				memcpy(o, s + i, 8);
				o += 8;
				i += 8;
			}
			if (i >= take)
				break;
			unsigned char c = (unsigned char)s[i];
			if (c >= 0x20 && c != '"' && c != '\\') {
				*o++ = (char)c;
				continue;
			}
			*o++ = '\\';
			switch (c) {
			case '"': *o++ = '"'; break;
			case '\\': *o++ = '\\'; break;
			case '\n': *o++ = 'n'; break;
			case '\r': *o++ = 'r'; break;
			case '\t': *o++ = 't'; break;
			default:
				*o++ = 'u';
				*o++ = '0';
				*o++ = '0';
				*o++ = hex[c >> 4];
				*o++ = hex[c & 15];
			}
		}
		buf_commit(b, (size_t)(o - start));
		s += take;
		n -= take;
	}
	buf_putc(b, '"');
}
