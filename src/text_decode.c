/*
 * text_decode.c -- raw bytes to source text (see text.h).
 *
 * Order of decisions:
 *   1. size bounds; empty input;
 *   2. a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE);
 *   3. NUL bytes mean binary data;
 *   4. valid UTF-8 is taken as UTF-8;
 *   5. otherwise uchardet is asked, and GB18030 (a superset of GBK and
 *      GB2312) is tried with iconv; the result must look like Chinese text
 *      (mostly Han characters, CJK punctuation and printable ASCII), or the
 *      input is refused as an undetectable encoding;
 *   6. the text must not be mostly control characters;
 *   7. CR LF and lone CR become LF.
 */
#include "text.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchardet/uchardet.h>

/* Convert with iconv from `from` to UTF-8.  Returns RC_INVALID with the
 * offset of the first bad input byte in *bad. */
static enum rc convert(const char *from, const char *in, size_t n, char **out, size_t *outlen,
		       size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return RC_INTERNAL;
	size_t cap = n * 2 + 16;
	char *o = xmalloc(cap);
	char *ip = (char *)in, *op = o;
	size_t il = n, ol = cap - 1;
	enum rc rc = RC_OK;
	while (il > 0) {
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(op - o);
			cap *= 2;
			o = xrealloc(o, cap);
			op = o + used;
			ol = cap - used - 1;
			continue;
		}
		rc = RC_INVALID;
		*bad = (size_t)(ip - in);
		break;
	}
	iconv_close(cd);
	if (rc) {
		free(o);
		return rc;
	}
	*op = '\0';
	*out = o;
	*outlen = (size_t)(op - o);
	return RC_OK;
}

/* Share (in percent) of code points that are plausible in a Chinese report:
 * Han, CJK punctuation, printable ASCII, whitespace, Latin-1 punctuation. */
static unsigned plausible_percent(const char *p, size_t n)
{
	size_t good = 0, all = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += (size_t)text_utf8_next(p + i, n - i, &cp);
		all++;
		if ((cp >= 0x20 && cp < 0x7F) || cp == '\n' || cp == '\r' || cp == '\t' ||
		    (text_is_han(cp) && cp < 0xA000) || text_is_cjk_punct(cp) ||
		    (cp >= 0x2460 && cp <= 0x24FF) || (cp >= 0xFF10 && cp <= 0xFF5A))
			good++;
	}
	return all ? (unsigned)(good * 100 / all) : 100;
}

/* Turn CR LF and CR into LF, copying p[0..n) to o (which may be p itself:
 * the output is never longer).  Returns the new length; o[len] = NUL. */
static size_t normalise_newlines(const char *p, size_t n, char *o)
{
	size_t k = 0, i = 0;
	while (i < n) {
		const char *cr = memchr(p + i, '\r', n - i);
		size_t run = cr ? (size_t)(cr - (p + i)) : n - i;
		if (o + k != p + i) /* in place, nothing moves until the first \r */
			memmove(o + k, p + i, run);
		k += run;
		i += run;
		if (!cr)
			break;
		o[k++] = '\n';
		i += (i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
	}
	o[k] = '\0';
	return k;
}

static const char *detect(const char *p, size_t n)
{
	static _Thread_local char name[32];
	uchardet_t ud = uchardet_new();
	if (!ud)
		return "";
	uchardet_handle_data(ud, p, n < (256u << 10) ? n : (256u << 10));
	uchardet_data_end(ud);
	const char *cs = uchardet_get_charset(ud);
	snprintf(name, sizeof name, "%s", cs ? cs : "");
	uchardet_delete(ud);
	return name;
}

/* The decoder.  When owned is not NULL it is data itself, malloc'd with room
 * for a NUL after n bytes, and the result is made in place where no
 * conversion is needed; the caller frees owned when it is not out->p. */
/* What decode needs to know of a stretch of bytes: NUL bytes, UTF-8
 * validity (and the first bad byte), control characters, printable ones. */
struct scan {
	const char *p;
	size_t n;
	int nul, utf8;
	size_t bad, controls, printable;
};

static void count_chars(const char *p, size_t n, size_t *controls, size_t *printable)
{
	size_t c0 = 0, pr = 0;
	for (size_t i = 0; i < n; i++) {
		/* Eight bytes at a time while none is below 0x21 (controls and
		 * white space); all of them count as printable-or-continuation. */
		if (pr && i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!util_bytes_below(w, 0x21)) {
				i += 7;
				continue;
			}
		}
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
			c0++;
		else if (c > ' ' && (c & 0xC0) != 0x80)
			pr++;
	}
	*controls = c0;
	*printable = pr;
}

static void scan_job(void *arg)
{
	struct scan *sc = arg;
	sc->nul = memchr(sc->p, '\0', sc->n) != NULL;
	sc->utf8 = text_utf8_valid(sc->p, sc->n, &sc->bad);
	if (sc->utf8 && !sc->nul)
		count_chars(sc->p, sc->n, &sc->controls, &sc->printable);
}

/* Scan p[0..n): a large input in two halves side by side, split where a
 * character starts (the halves' findings add up to the whole's). */
static void scan(const char *p, size_t n, struct scan *out)
{
	size_t mid = n >= util_parallel_from ? n / 2 : n;
	while (mid < n && ((unsigned char)p[mid] & 0xC0) == 0x80)
		mid++;
	struct scan b = {.p = p + mid, .n = n - mid};
	*out = (struct scan){.p = p, .n = mid};
	struct util_job job;
	util_job_start(&job, mid < n, scan_job, &b);
	scan_job(out);
	util_job_wait(&job);
	if (mid == n)
		return;
	out->n = n;
	out->nul |= b.nul;
	if (out->utf8 && !b.utf8) {
		out->utf8 = 0;
		out->bad = mid + b.bad;
	}
	out->controls += b.controls;
	out->printable += b.printable;
}

static enum rc decode(const void *data, size_t n, char *owned, struct text_src *out,
		      struct err *e)
{
	const char *p = data;
	memset(out, 0, sizeof *out);
	out->input_bytes = n;
	if (n > TEXT_MAX_INPUT)
		return ERR(e, RC_TOOBIG, "input too large: %zu bytes, the limit is %u MiB", n,
			   TEXT_MAX_INPUT >> 20);
	if (n == 0)
		return ERR(e, RC_INVALID, "empty input: there is no text to read");

	struct scan sc = {0};
	char *conv = NULL;
	size_t convlen = 0, bad = 0;
	const char *enc;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		n -= 3;
		enc = "UTF-8 (BOM)";
		scan(p, n, &sc);
		if (!sc.utf8)
			return ERR(e, RC_INVALID, "invalid UTF-8 at byte %zu despite the UTF-8 byte-order mark",
				   sc.bad + 3);
	} else if (n >= 2 && (memcmp(p, "\xFF\xFE", 2) == 0 || memcmp(p, "\xFE\xFF", 2) == 0)) {
		enc = p[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
		if (convert(enc, p + 2, n - 2, &conv, &convlen, &bad))
			return ERR(e, RC_INVALID, "invalid %s at byte %zu", enc, bad + 2);
		p = conv;
		n = convlen;
	} else if ((scan(p, n, &sc), sc.nul)) {
		return ERR(e, RC_INVALID, "binary data (NUL bytes): not a text report");
	} else if (sc.utf8) {
		enc = "UTF-8";
	} else {
		bad = sc.bad;
		size_t utf8_bad = bad;
		const char *guess = detect(p, n);
		if (convert("GB18030", p, n, &conv, &convlen, &bad) != RC_OK ||
		    plausible_percent(conv, convlen) < 90) {
			free(conv);
			unsigned line, col;
			text_line_col(p, n, utf8_bad, &line, &col);
			return ERR(e, RC_INVALID,
				   "undetectable encoding: not UTF-8 (invalid byte 0x%02X at line %u, byte %zu) "
				   "and not GB18030/GBK either%s%s%s",
				   (unsigned char)p[utf8_bad], line, utf8_bad,
				   *guess ? " (it looks like " : "", guess, *guess ? ")" : "");
		}
		p = conv;
		n = convlen;
		enc = "GB18030";
	}
	/* A scan of the text as it is says whether it holds NUL bytes. */
	int scanned = sc.utf8 && sc.p == p;
	if (n == 0 || (scanned ? sc.nul : memchr(p, '\0', n) != NULL)) {
		free(conv);
		return ERR(e, RC_INVALID, n ? "binary data (NUL characters): not a text report"
					    : "empty input: there is no text to read");
	}
	size_t controls, printable;
	if (scanned) {
		controls = sc.controls;
		printable = sc.printable;
	} else {
		count_chars(p, n, &controls, &printable);
	}
	if (controls * 100 > n) {
		free(conv);
		return ERR(e, RC_INVALID, "binary data (%zu control characters): not a text report",
			   controls);
	}
	if (printable == 0) {
		free(conv);
		return ERR(e, RC_INVALID, "empty input: only white space, no text to read");
	}
	if (conv) {
		out->len = normalise_newlines(conv, n, conv);
		out->p = conv;
	} else if (owned) {
		out->len = normalise_newlines(p, n, owned);
		out->p = owned;
	} else {
		out->p = xmalloc(n + 1);
		out->len = normalise_newlines(p, n, out->p);
	}
	out->encoding = enc;
	return RC_OK;
}

enum rc text_decode(const void *data, size_t n, struct text_src *out, struct err *e)
{
	return decode(data, n, NULL, out, e);
}

enum rc text_decode_take(char *data, size_t n, struct text_src *out, struct err *e)
{
	enum rc rc = decode(data, n, data, out, e);
	if (rc || out->p != data)
		free(data);
	return rc;
}

void text_src_release(struct text_src *s)
{
	free(s->p);
	memset(s, 0, sizeof *s);
}
