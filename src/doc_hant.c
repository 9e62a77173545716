/*
 * doc_hant.c -- reports written in traditional characters (繁體).
 *
 * The engine's word lists and rules are written in simplified characters.
 * A report in traditional script is read through a simplified twin of its
 * source and then given back its own characters:
 *
 *   detection  the distinct Han characters of the first 64 KiB are put
 *              through OpenCC (t2s.json) once each; the text is traditional
 *              when at least 1 in 20 of its Han characters (and at least 3)
 *              change.  A report in traditional characters changes about 1
 *              character in 3 (35 to 39% in the tests' reports and in a real
 *              report put through OpenCC's s2tw); a simplified one none, or
 *              well under 1 in 100 with the odd 乾, 於, 後 or 裏 that
 *              simplified writing keeps, so such a report, or one quoting a
 *              traditional name, stays simplified with a wide margin either
 *              side.  A simplified text costs a scan of at most 64 KiB and
 *              one conversion of its distinct characters (OpenCC is opened
 *              once per process, in about 2 ms).
 *   fold       every distinct Han character of the whole text through
 *              OpenCC once, and each mapping kept only when the simplified
 *              character has the same UTF-8 length (every byte offset stays
 *              valid; the others, rare characters of the extension blocks,
 *              stay as written and are counted in the debug log); then a
 *              copy of the source with those characters replaced, of the
 *              same length.  The engine parses the copy (d->src during the
 *              parse), so every keyword list and rule matches.
 *   restore    the source as written goes back to d->src (spans are
 *              unchanged), and every string of the tree is given its
 *              characters as written: a string is a normalised copy of the
 *              source within its span (normalisation changes punctuation,
 *              digits and white space, never a Han character, drops page
 *              artefacts and may join lines), so it is walked alongside
 *              the simplified source from the span's start, and each of
 *              its characters that some traditional character was folded
 *              into is looked for a little ahead; found, it takes the
 *              character written at that place.  Strings are copied into
 *              the doc's arena before they change (they may share memory
 *              with the paragraphs).  Labels are canonical ("一是",
 *              "（一）", "首先", "最后") and stay so.
 *
 * The paragraphs (d->paras[].text) stay simplified: they are the engine's
 * working text, read by lint's running-text rules (formulations,
 * punctuation, placeholders), whose word lists are simplified; what a
 * reader sees comes from the tree's strings or from d->src by span, which
 * are as written.  The title, which shares paragraph 0's text, is copied.
 *
 * The restore comes in two parts because `rectify parse --json` writes the
 * tree while another thread still finds the commitments and deadlines:
 * doc_hant_restore_tree before that output, doc_hant_restore_rest once
 * everything is joined.  The checksum of the source as written is computed
 * beside the parse.
 */
#include <opencc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"

#define HANT_PREFIX (64u << 10) /* bytes sampled to detect traditional script */
#define HANT_SHARE 20           /* traditional when 1 in HANT_SHARE Han characters change */
#define HANT_MIN 3              /* ... and at least this many */
#define HANT_SLACK 256          /* source bytes looked ahead past the expected place */

/* ---- OpenCC ------------------------------------------------------------ */

/* OpenCC, loaded on the first parse (util_dl_load): the functions used,
 * with the types of their declarations. */
#define CC_FUNCS(X)                                                                     \
	X(opencc_open) X(opencc_close) X(opencc_convert_utf8) X(opencc_convert_utf8_free)   \
	X(opencc_error)
#define CC_FN(f) __typeof__(&f) f;
#define CC_NAME(f) #f,
static struct {
	CC_FUNCS(CC_FN)
} occ;
static const char *const occ_names[] = {CC_FUNCS(CC_NAME)};

static pthread_once_t cc_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t cc_lock = PTHREAD_MUTEX_INITIALIZER;
static opencc_t cc = (opencc_t)-1;

static void cc_close(void)
{
	pthread_mutex_lock(&cc_lock);
	if (cc != (opencc_t)-1)
		occ.opencc_close(cc);
	cc = (opencc_t)-1;
	pthread_mutex_unlock(&cc_lock);
}

static void cc_open(void)
{
	void *fns[ARRAY_LEN(occ_names)];
	char why[256];
	_Static_assert(sizeof fns == sizeof occ, "one pointer per function");
	if (util_dl_load(OPENCC_SONAME, occ_names, fns, ARRAY_LEN(occ_names), why, sizeof why)) {
		log_warn("%s: reports in traditional characters are read as they are", why);
		return;
	}
	memcpy(&occ, fns, sizeof occ);
	cc = occ.opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
	if (cc == (opencc_t)-1) {
		log_warn("OpenCC cannot open %s (%s): reports in traditional characters are "
			 "read as they are", OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP, occ.opencc_error());
		return;
	}
	/* Closed before exit, so that leak checkers see the dictionaries go. */
	atexit(cc_close);
}

/* The simplified form of each of the code points cps[0..n), one by one:
 * out[i] is its one code point, or 0 when OpenCC gives anything else.
 * Returns -1 when OpenCC is not available. */
static int cc_chars(const uint32_t *cps, size_t n, uint32_t *out)
{
	pthread_once(&cc_once, cc_open);
	if (n == 0)
		return 0;
	/* One character a line: OpenCC's phrases never span a line break. */
	char *in = xmalloc(n * 5 + 1);
	size_t l = 0;
	for (size_t i = 0; i < n; i++) {
		l += (size_t)text_utf8_put(cps[i], in + l);
		in[l++] = '\n';
	}
	in[l] = '\0';
	char *r = NULL;
	pthread_mutex_lock(&cc_lock);
	if (cc != (opencc_t)-1)
		r = occ.opencc_convert_utf8(cc, in, l);
	pthread_mutex_unlock(&cc_lock);
	free(in);
	if (!r)
		return -1;
	const char *p = r;
	for (size_t i = 0; i < n; i++) {
		const char *nl = p ? strchr(p, '\n') : NULL;
		out[i] = 0;
		if (!nl) {
			p = NULL;
			continue;
		}
		size_t k = (size_t)(nl - p);
		uint32_t cp;
		if (k > 0 && (size_t)text_utf8_next(p, k, &cp) == k)
			out[i] = cp;
		p = nl + 1;
	}
	occ.opencc_convert_utf8_free(r);
	return 0;
}

/* ---- the Han characters of a text --------------------------------------- */

struct han_set {
	uint64_t bmp[65536 / 64];       /* BMP characters present (Han and others) */
	VEC(uint32_t) sup;              /* supplementary ones, distinct */
};

static inline int bit_get(const uint64_t *b, uint32_t cp)
{
	return (b[cp >> 6] >> (cp & 63)) & 1;
}

static inline void bit_set(uint64_t *b, uint32_t cp)
{
	b[cp >> 6] |= 1ull << (cp & 63);
}

/* Decode a Han character starting at s[i] (lead byte >= 0xE3); 0 when the
 * character there is not Han.  *n is its length. */
static inline uint32_t han_at(const char *s, size_t len, size_t i, size_t *n)
{
	uint32_t cp;
	*n = (size_t)text_utf8_next(s + i, len - i, &cp);
	return text_is_han(cp) ? cp : 0;
}

/* Supplementary characters of one text, distinct: a text that is all
 * extension-B would otherwise make this quadratic, so past this many the
 * rest are left as written. */
#define HANT_SUP_MAX 512

static void han_collect(struct han_set *hs, const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0xE3) {
			i += (size_t)text_utf8_len(c);
			continue;
		}
		if (c < 0xF0 && i + 3 <= to) {
			/* Only Han characters are looked up: the rest of the BMP
			 * may be marked too. */
			const unsigned char *u = (const unsigned char *)s + i;
			bit_set(hs->bmp, (c & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
			i += 3;
			continue;
		}
		size_t n;
		uint32_t cp = han_at(s, to, i, &n);
		i += n;
		if (!cp)
			continue;
		if (cp < 0x10000) {
			bit_set(hs->bmp, cp);
			continue;
		}
		size_t k = 0;
		while (k < hs->sup.n && hs->sup.v[k] != cp)
			k++;
		if (k == hs->sup.n && hs->sup.n < HANT_SUP_MAX)
			*VEC_PUSH(hs->sup) = cp;
	}
}

/* ---- the fold map -------------------------------------------------------- */

struct sup_pair {
	uint32_t from, to;
};

struct fold_map {
	uint16_t *bmp;                  /* [65536]: simplified form of a BMP character, 0 for itself */
	struct sup_pair *sup;           /* sorted by from */
	size_t n_sup;
	uint64_t changed[65536 / 64];   /* BMP characters that OpenCC changes (folded or not) */
	uint64_t target[65536 / 64];    /* BMP characters some character was folded into */
	size_t folded, kept;            /* distinct characters folded, and kept for their length */
};

static int sup_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct sup_pair *)a)->from, y = ((const struct sup_pair *)b)->from;
	return x < y ? -1 : x > y;
}

static uint32_t sup_find(const struct fold_map *m, uint32_t cp)
{
	size_t lo = 0, hi = m->n_sup;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->sup[mid].from == cp)
			return m->sup[mid].to;
		if (m->sup[mid].from < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Put the characters of hs through OpenCC and fill m; with bmp_map 0 only
 * m->changed is filled (detection).  Returns -1 without OpenCC. */
static int map_build(const struct han_set *hs, struct fold_map *m, int bmp_map)
{
	size_t n = hs->sup.n;
	for (size_t w = 0; w < ARRAY_LEN(hs->bmp); w++)
		n += (size_t)__builtin_popcountll(hs->bmp[w]);
	uint32_t *cps = xreallocarray(NULL, n ? n : 1, sizeof *cps);
	uint32_t *to = xreallocarray(NULL, n ? n : 1, sizeof *to);
	size_t k = 0;
	for (size_t w = 0; w < ARRAY_LEN(hs->bmp); w++)
		for (uint64_t b = hs->bmp[w]; b; b &= b - 1) {
			uint32_t cp = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
			if (text_is_han(cp))
				cps[k++] = cp;
		}
	for (size_t i = 0; i < hs->sup.n; i++)
		cps[k++] = hs->sup.v[i];
	n = k;
	int rc = cc_chars(cps, n, to);
	if (rc == 0 && bmp_map) {
		m->bmp = xcalloc(65536, sizeof *m->bmp);
		m->sup = xreallocarray(NULL, hs->sup.n ? hs->sup.n : 1, sizeof *m->sup);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		uint32_t f = cps[i], t = to[i];
		if (t == f)
			continue;
		if (f < 0x10000)
			bit_set(m->changed, f);
		if (!bmp_map)
			continue;
		/* Only a character of the same UTF-8 length keeps every offset. */
		if (t == 0 || (t < 0x10000) != (f < 0x10000) || t < 0x800) {
			m->kept++;
			continue;
		}
		m->folded++;
		if (f < 0x10000) {
			m->bmp[f] = (uint16_t)t;
			bit_set(m->target, t);
		} else {
			m->sup[m->n_sup++] = (struct sup_pair){f, t};
		}
	}
	if (m->n_sup)
		qsort(m->sup, m->n_sup, sizeof *m->sup, sup_cmp);
	free(cps);
	free(to);
	return rc;
}

static void map_free(struct fold_map *m)
{
	free(m->bmp);
	free(m->sup);
}

/* ---- detection ------------------------------------------------------------ */

int doc_hant_detect(const char *s, size_t len)
{
	if (len > HANT_PREFIX)
		len = text_utf8_back(s, HANT_PREFIX);
	struct han_set *hs = xcalloc(1, sizeof *hs);
	han_collect(hs, s, 0, len);
	struct fold_map *m = xcalloc(1, sizeof *m);
	int trad = 0;
	size_t han = 0, changed = 0;
	int any = hs->sup.n > 0;
	for (size_t w = 0; w < ARRAY_LEN(hs->bmp) && !any; w++)
		any = hs->bmp[w] != 0;
	/* Supplementary characters are too rare to tell anything: the BMP ones
	 * decide. */
	if (any && map_build(hs, m, 0) == 0) {
		for (size_t i = 0; i < len;) {
			unsigned char c = (unsigned char)s[i];
			if (c < 0xE3) {
				i += (size_t)text_utf8_len(c);
				continue;
			}
			size_t n;
			uint32_t cp = han_at(s, len, i, &n);
			i += n;
			if (!cp)
				continue;
			han++;
			changed += cp < 0x10000 && bit_get(m->changed, cp);
		}
		trad = changed >= HANT_MIN && changed * HANT_SHARE >= han;
	}
	VEC_FREE(hs->sup);
	free(hs);
	free(m);
	return trad;
}

/* ---- fold ------------------------------------------------------------------ */

/* What the parse of a traditional text keeps aside (d->hant_fold). */
struct doc_hant {
	char *orig;                     /* the source as written */
	char *fold;                     /* its simplified twin, same length, NUL-terminated */
	size_t len;
	uint64_t target[65536 / 64];    /* BMP characters some character was folded into */
	int sup;                        /* some supplementary character was folded */
	struct util_job sha_job;
	char sha256[65];                /* of orig */
};

/* Half of a pass over the source, for a job. */
struct fold_part {
	const char *src;
	char *dst;
	size_t from, to;
	struct han_set *hs;             /* collect */
	const struct fold_map *m;       /* fold */
	size_t folded, kept;            /* occurrences */
};

static void collect_part(void *arg)
{
	struct fold_part *p = arg;
	han_collect(p->hs, p->src, p->from, p->to);
}

static void fold_part(void *arg)
{
	struct fold_part *p = arg;
	const unsigned char *s = (const unsigned char *)p->src;
	const struct fold_map *m = p->m;
	memcpy(p->dst + p->from, s + p->from, p->to - p->from);
	for (size_t i = p->from; i < p->to;) {
		unsigned c = s[i];
		if (c < 0xE3) {
			i += (size_t)text_utf8_len((unsigned char)c);
			continue;
		}
		if (c < 0xF0 && i + 3 <= p->to) {
			/* The map is 0 for anything not folded, Han or not. */
			uint32_t cp = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
			uint32_t t = m->bmp[cp];
			if (t) {
				p->dst[i] = (char)(0xE0 | t >> 12);
				p->dst[i + 1] = (char)(0x80 | ((t >> 6) & 0x3F));
				p->dst[i + 2] = (char)(0x80 | (t & 0x3F));
				p->folded++;
			} else {
				p->kept += bit_get(m->changed, cp);
			}
			i += 3;
			continue;
		}
		size_t n;
		uint32_t cp = han_at(p->src, p->to, i, &n), t = 0;
		if (cp && m->n_sup)
			t = sup_find(m, cp);
		if (t) {
			char tmp[4];
			if ((size_t)text_utf8_put(t, tmp) == n) /* always, by map_build */
				memcpy(p->dst + i, tmp, n);
			p->folded++;
		}
		i += n;
	}
}

static void sha_work(void *arg)
{
	struct doc_hant *h = arg;
	util_sha256_hex(h->orig, h->len, h->sha256);
}

void doc_hant_fold(struct doc *d)
{
	d->traditional = 0;
	d->hant_fold = NULL;
	if (d->len == 0 || !doc_hant_detect(d->src, d->len))
		return;
	int threaded = d->len >= util_parallel_from;
	size_t mid = threaded ? d->len / 2 : d->len;
	while (mid < d->len && ((unsigned char)d->src[mid] & 0xC0) == 0x80)
		mid++;
	struct han_set *hs = xcalloc(2, sizeof *hs);
	struct fold_part part[2] = {{.src = d->src, .from = 0, .to = mid, .hs = &hs[0]},
				    {.src = d->src, .from = mid, .to = d->len, .hs = &hs[1]}};
	struct util_job job;
	util_job_start(&job, mid < d->len, collect_part, &part[1]);
	collect_part(&part[0]);
	util_job_wait(&job);
	for (size_t w = 0; w < ARRAY_LEN(hs[0].bmp); w++)
		hs[0].bmp[w] |= hs[1].bmp[w];
	for (size_t i = 0; i < hs[1].sup.n; i++) {
		size_t k = 0;
		while (k < hs[0].sup.n && hs[0].sup.v[k] != hs[1].sup.v[i])
			k++;
		if (k == hs[0].sup.n && hs[0].sup.n < HANT_SUP_MAX)
			*VEC_PUSH(hs[0].sup) = hs[1].sup.v[i];
	}
	struct fold_map *m = xcalloc(1, sizeof *m);
	int rc = map_build(&hs[0], m, 1);
	VEC_FREE(hs[0].sup);
	VEC_FREE(hs[1].sup);
	free(hs);
	if (rc != 0 || m->folded == 0) {
		map_free(m);
		free(m);
		return;
	}
	struct doc_hant *h = xcalloc(1, sizeof *h);
	h->orig = d->src;
	h->len = d->len;
	h->fold = xmalloc(d->len + 1);
	h->fold[d->len] = '\0';
	memcpy(h->target, m->target, sizeof h->target);
	h->sup = m->n_sup > 0;
	util_job_start(&h->sha_job, threaded, sha_work, h);
	for (int k = 0; k < 2; k++) {
		part[k].dst = h->fold;
		part[k].m = m;
	}
	util_job_start(&job, mid < d->len, fold_part, &part[1]);
	fold_part(&part[0]);
	util_job_wait(&job);
	log_debug("traditional script: %zu distinct characters folded, %zu kept as written "
		  "(their simplified form has another length); %zu and %zu occurrences",
		  m->folded, m->kept, part[0].folded + part[1].folded, part[0].kept + part[1].kept);
	map_free(m);
	free(m);
	d->src = h->fold;
	d->traditional = 1;
	d->hant_fold = h;
}

/* ---- restore --------------------------------------------------------------- */

/* Is the character s[0..n) (n is 3 or 4) one that some character was
 * folded into? */
static inline int is_target(const struct doc_hant *h, const char *s, size_t n)
{
	if (n == 4)
		return h->sup;
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp = (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
	return bit_get(h->target, cp);
}

/* The characters of n bytes (3 or 4) at a and b are the same. */
static inline int same_char(const char *a, const char *b, size_t n)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && (n == 3 || a[3] == b[3]);
}

/* First place of the character c (n bytes) in h->fold[from, lim), or
 * SIZE_MAX.  Usually within a few characters. */
static size_t find_char(const struct doc_hant *h, size_t from, size_t lim, const char *c,
			size_t n)
{
	const char *f = h->fold;
	for (size_t at = from; at + n <= lim; at++)
		if (f[at] == c[0] && same_char(f + at, c, n))
			return at;
	return SIZE_MAX;
}

/*
 * String s, a normalised copy of the source within [a, b), with its
 * characters as written.  With ar, s is left alone and a copy from ar
 * returned when anything changes; without, s is private to the tree and
 * changed in place.
 */
static char *restore(const struct doc_hant *h, struct arena *ar, char *s, size_t a, size_t b)
{
	if (!s || !*s)
		return s;
	if (b > h->len)
		b = h->len;
	if (a >= b || memcmp(h->orig + a, h->fold + a, b - a) == 0)
		return s;
	size_t sl = strlen(s);
	char *w = s;
	/* pos: where the source goes on after the last character found, at
	 * anchor in the string; a character is looked for from pos up to as
	 * far again as the string has gone since, and HANT_SLACK more (for
	 * dropped page artefacts and line breaks). */
	size_t pos = a, anchor = 0;
	for (size_t i = 0; i < sl;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = (size_t)text_utf8_len(c);
		if (n > sl - i)
			break;
		if (c < 0xE3 || !is_target(h, s + i, n)) {
			i += n;
			continue;
		}
		size_t lim = pos + (i - anchor) + HANT_SLACK;
		if (lim > b)
			lim = b;
		size_t at = find_char(h, pos, lim, s + i, n);
		if (at != SIZE_MAX) {
			if (!same_char(h->orig + at, s + i, n)) {
				if (w == s && ar)
					w = arena_strndup(ar, s, sl);
				memcpy(w + i, h->orig + at, n);
			}
			pos = at + n;
			anchor = i + n;
		}
		i += n;
	}
	return w;
}

/* Offset k characters before off (not before 0). */
static size_t chars_back(const char *s, size_t off, int k)
{
	while (k-- > 0 && off > 0)
		off = text_utf8_back(s, off - 1);
	return off;
}

/* Offset k characters after off (not past len). */
static size_t chars_on(const char *s, size_t len, size_t off, int k)
{
	while (k-- > 0 && off < len)
		off += (size_t)text_utf8_len((unsigned char)s[off]);
	return off < len ? off : len;
}

static void restore_items(const struct doc_hant *h, struct doc *d, struct doc_item *it, size_t n)
{
	struct arena *ar = &d->arena;
	for (size_t i = 0; i < n; i++, it++) {
		uint32_t a = it->span.start, b = it->span.end;
		/* The text starts after the label. */
		if (it->label.span.end > a && it->label.span.end <= b)
			a = it->label.span.end;
		it->lead = restore(h, ar, it->lead, it->lead_span.start, it->lead_span.end);
		it->text = restore(h, NULL, it->text, a, b);
		for (size_t k = 0; k < it->n_examples; k++) {
			struct doc_example *ex = &it->examples[k];
			ex->text = restore(h, ar, ex->text, ex->span.start, ex->span.end);
		}
		for (size_t k = 0; k < it->n_fields; k++) {
			struct doc_field_value *fv = &it->fields[k];
			int own = fv->span.end > fv->span.start;
			fv->text = restore(h, ar, fv->text, own ? fv->span.start : a,
					   own ? fv->span.end : b);
		}
	}
}

/*
 * The texts of sections, areas and items stay in the buffer they were
 * gathered in (doc_parse.c), which only the tree uses: they change in
 * place.  Every other string is copied before it changes: the title is
 * paragraph 0's text, and the rest may come to share memory with the
 * paragraphs.
 */
void doc_hant_restore_tree(struct doc *d)
{
	struct doc_hant *h = d->hant_fold;
	if (!h)
		return;
	struct arena *ar = &d->arena;
	util_job_wait(&h->sha_job);
	memcpy(d->sha256, h->sha256, sizeof d->sha256);
	d->src = h->orig;
	/* The title is paragraph 0's text, which stays simplified. */
	if (d->title && *d->title) {
		char *t = restore(h, ar, d->title, d->title_span.start, d->title_span.end);
		d->title = t != d->title ? t : arena_strdup(ar, d->title);
	}
	size_t pa = d->title && *d->title ? d->title_span.end : 0;
	size_t pb = d->n_sections ? d->sections[0].span.start : d->len;
	d->preamble = restore(h, ar, d->preamble, pa, pb > pa ? pb : d->len);
	for (size_t i = 0; i < d->n_sections; i++) {
		struct doc_section *s = &d->sections[i];
		s->title = restore(h, ar, s->title, s->title_span.start, s->title_span.end);
		s->text = restore(h, NULL, s->text, s->title_span.end, s->span.end);
		for (size_t k = 0; k < s->n_areas; k++) {
			struct doc_area *a = &s->areas[k];
			a->title = restore(h, ar, a->title, a->title_span.start, a->title_span.end);
			a->text = restore(h, NULL, a->text, a->title_span.end, a->span.end);
			restore_items(h, d, a->items, a->n_items);
		}
		restore_items(h, d, s->items, s->n_items);
	}
}

void doc_hant_restore_rest(struct doc *d)
{
	struct doc_hant *h = d->hant_fold;
	if (!h)
		return;
	if (d->src != h->orig)
		doc_hant_restore_tree(d);
	struct arena *ar = &d->arena;
	for (size_t i = 0; i < d->n_commitments; i++) {
		struct doc_commitment *c = &d->commitments[i];
		c->text = restore(h, ar, c->text, c->span.start, c->span.end);
		c->subject = restore(h, ar, c->subject, c->span.start, c->span.end);
		c->unit = restore(h, ar, c->unit, c->span.start, c->span.end);
	}
	for (size_t i = 0; i < d->n_deadlines; i++) {
		struct doc_deadline *dl = &d->deadlines[i];
		dl->text = restore(h, ar, dl->text, dl->span.start, dl->span.end);
	}
	for (size_t i = 0; i < d->n_placeholders; i++) {
		struct doc_placeholder *ph = &d->placeholders[i];
		ph->text = restore(h, ar, ph->text, ph->span.start, ph->span.end);
		/* Ten characters either side, and a few more for what
		 * normalisation dropped. */
		ph->context = restore(h, ar, ph->context, chars_back(h->orig, ph->span.start, 12),
				      chars_on(h->orig, h->len, ph->span.end, 14));
	}
	doc_hant_release(d);
}

void doc_hant_release(struct doc *d)
{
	struct doc_hant *h = d->hant_fold;
	if (!h)
		return;
	util_job_wait(&h->sha_job);
	d->src = h->orig;
	free(h->fold);
	free(h);
	d->hant_fold = NULL;
}
