/*
 * web_html.c -- the HTML writer: every runtime string escaped, a stack of
 * open elements, raw markup only from string literals (html_lit).
 *
 * This file is the only home of html_raw_ (tools/codecheck.sh).  The writer
 * never fails loudly: a misuse (a tag name that is not a plain lower-case
 * name, a non-local URL in href/src/action, closing more than was opened,
 * nesting past HTML_MAX_DEPTH) sets a sticky RC_INTERNAL which
 * html_finish() returns, and the router turns into a 500 -- a bug, never
 * unsafe output.
 *
 * Escaping: & < > " ' become entities in text and attribute values alike (one
 * function for both contexts, so there is nothing to choose wrongly).
 * Invalid UTF-8 becomes U+FFFD and NUL bytes are dropped, so the output is
 * always valid UTF-8 whatever the database or the client held.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "web.h"
#include "web_int.h"

void html_init(struct html *h, struct buf *b)
{
	memset(h, 0, sizeof *h);
	h->b = b;
}

int html_depth(const struct html *h)
{
	return h->depth;
}

static void fail(struct html *h, const char *why, const char *what)
{
	if (h->err == RC_OK)
		log_error("html writer: %s '%.40s'", why, what ? what : "(null)");
	h->err = RC_INTERNAL;
}

/* Bytes that need attention: the five specials, NUL, and any byte >= 0x80
 * (validated as UTF-8 before it is copied). */
static const unsigned char special[256] = {
	[0] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
	[0x80 ... 0xff] = 2,
};

void html_escape(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (!special[c]) {
			i++;
			continue;
		}
		if (special[c] == 2) {
			/* A multi-byte sequence: copy it when valid. */
			size_t bad;
			int len = text_utf8_len(c);
			if (c >= 0xC2 && c <= 0xF4 && i + (size_t)len <= n &&
			    text_utf8_valid(s + i, (size_t)len, &bad)) {
				i += (size_t)len;
				continue;
			}
			buf_append(b, s + run, i - run);
			buf_append(b, "\xEF\xBF\xBD", 3);
			i++;
			run = i;
			continue;
		}
		buf_append(b, s + run, i - run);
		switch (c) {
		case '&': buf_append(b, "&amp;", 5); break;
		case '<': buf_append(b, "&lt;", 4); break;
		case '>': buf_append(b, "&gt;", 4); break;
		case '"': buf_append(b, "&quot;", 6); break;
		case '\'': buf_append(b, "&#39;", 5); break;
		default: break; /* NUL: dropped */
		}
		i++;
		run = i;
	}
	buf_append(b, s + run, n - run);
}

static bool name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == ':' || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

/* Void elements: area br col hr img input link meta source wbr.  Called for
 * every element, so it looks at the first letter before comparing. */
static bool is_void(const char *tag)
{
	switch (tag[0]) {
	case 'a': return strcmp(tag, "area") == 0;
	case 'b': return strcmp(tag, "br") == 0;
	case 'c': return strcmp(tag, "col") == 0;
	case 'h': return strcmp(tag, "hr") == 0;
	case 'i': return strcmp(tag, "img") == 0 || strcmp(tag, "input") == 0;
	case 'l': return strcmp(tag, "link") == 0;
	case 'm': return strcmp(tag, "meta") == 0;
	case 's': return strcmp(tag, "source") == 0;
	case 'w': return strcmp(tag, "wbr") == 0;
	default: return false;
	}
}

/* Attributes that hold a URL: href src action formaction xlink:href poster. */
static bool is_url_attr(const char *a)
{
	switch (a[0]) {
	case 'h': return strcmp(a, "href") == 0;
	case 's': return strcmp(a, "src") == 0;
	case 'a': return strcmp(a, "action") == 0;
	case 'f': return strcmp(a, "formaction") == 0;
	case 'x': return strcmp(a, "xlink:href") == 0;
	case 'p': return strcmp(a, "poster") == 0;
	default: return false;
	}
}

/* Local URLs only: "/x" (not "//host"), "?x", "#x". */
static bool url_ok(const char *v)
{
	if (v[0] == '/')
		return v[1] != '/' && v[1] != '\\';
	return v[0] == '?' || v[0] == '#';
}

static void open_va(struct html *h, const char *tag, va_list ap)
{
	if (!name_ok(tag)) {
		fail(h, "bad tag name", tag);
		return;
	}
	struct buf *b = h->b;
	buf_putc(b, '<');
	buf_puts(b, tag);
	for (;;) {
		const char *a = va_arg(ap, const char *);
		if (!a)
			break;
		const char *v = va_arg(ap, const char *);
		if (!name_ok(a)) {
			fail(h, "bad attribute name", a);
			break;
		}
		if ((a[0] == 'o' && a[1] == 'n') || (a[0] == 's' && strcmp(a, "style") == 0)) {
			fail(h, "script or style attribute", a);
			continue;
		}
		if (!v)
			continue;
		buf_putc(b, ' ');
		buf_puts(b, a);
		if (!*v)
			continue;
		if (is_url_attr(a) && !url_ok(v)) {
			fail(h, "non-local URL", v);
			v = "#";
		}
		buf_append(b, "=\"", 2);
		html_escape(b, v, strlen(v));
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
	if (is_void(tag))
		return;
	if (h->depth >= HTML_MAX_DEPTH) {
		fail(h, "nesting too deep at", tag);
		return;
	}
	h->stack[h->depth++] = tag;
}

void html_open(struct html *h, const char *tag, ...)
{
	va_list ap;
	va_start(ap, tag);
	open_va(h, tag, ap);
	va_end(ap);
}

void html_close(struct html *h, int n)
{
	while (n-- > 0) {
		if (h->depth == 0) {
			fail(h, "close without open", "");
			return;
		}
		const char *tag = h->stack[--h->depth];
		buf_append(h->b, "</", 2);
		buf_puts(h->b, tag);
		buf_putc(h->b, '>');
	}
}

void html_close_to(struct html *h, int d)
{
	if (d < 0 || d > h->depth) {
		fail(h, "close_to past the open elements", "");
		return;
	}
	html_close(h, h->depth - d);
}

void html_text(struct html *h, const char *s)
{
	if (s)
		html_escape(h->b, s, strlen(s));
}

void html_textn(struct html *h, const char *s, size_t n)
{
	if (s)
		html_escape(h->b, s, n);
}

void html_printf(struct html *h, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		html_escape(h->b, small, (size_t)n);
		return;
	}
	char *big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	html_escape(h->b, big, (size_t)n);
	free(big);
}

void html_int(struct html *h, long long v)
{
	buf_printf(h->b, "%lld", v);
}

void html_elem(struct html *h, const char *tag, const char *text, ...)
{
	va_list ap;
	va_start(ap, text);
	int d = h->depth;
	open_va(h, tag, ap);
	va_end(ap);
	if (h->depth == d + 1) {
		html_text(h, text);
		html_close(h, 1);
	}
}

enum rc html_finish(struct html *h)
{
	html_close(h, h->depth);
	if (h->err == RC_OK && h->b->err != RC_OK)
		h->err = h->b->err;
	return h->err;
}

void html_raw_(struct html *h, const char *s, size_t n)
{
	buf_append(h->b, s, n);
}

/* ---- fragments for the render cache ---------------------------------------- */

struct blob *html_frag_take(struct html *h)
{
	if (html_finish(h) != RC_OK)
		return NULL;
	return blob_new(h->b->p ? h->b->p : "", h->b->len);
}

void html_frag_put(struct html *h, const struct blob *b)
{
	buf_append(h->b, blob_data(b), blob_len(b));
}

void html_frag_splice(struct html *h, struct req *r, struct blob *b)
{
	if (h->b != &r->resp.body || r->resp.splice) {
		html_frag_put(h, b);
		blob_unref(b);
		return;
	}
	blob_splice(r, b);
}

void web_url_encode(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.')
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}
