/*
 * doc_int.h -- private to the document engine (doc_*.c).
 *
 * The engine runs in stages, each in its own file:
 *   doc_lines.c    source text -> paragraphs: lines trimmed, Markdown marks
 *                  and page artefacts (page numbers, running headers) dropped,
 *                  hard-wrapped lines joined, characters normalised, with a
 *                  piecewise map (struct doc_mark) back to the source;
 *   doc_parse.c    paragraphs -> tree: numbering labels, the stack of
 *                  numbering styles, items that start mid-paragraph, titles,
 *                  leads, section roles, kind and year;
 *   doc_extract.c  examples, commitments, deadlines and placeholders;
 *   doc_hant.c     reports in traditional characters: read through a
 *                  simplified twin of the source (OpenCC), strings put back
 *                  as written;
 *   doc_out.c      the JSON contract and the readable view;
 *   doc_docx.c     .docx to text (when a report arrives as Word);
 *   doc_pdf.c      .pdf to text through its text layer (poppler).
 */
#ifndef RECTIFY_DOC_INT_H
#define RECTIFY_DOC_INT_H

#include <string.h>

#include "doc.h"
#include "text.h"

/* A growable piecewise map from normalised bytes to source offsets. */
struct markvec {
	struct doc_mark *v;
	size_t n, cap;
};

/* Source offset of the character starting at normalised byte off, given the
 * marks of that text. */
uint32_t doc_marks_src(const struct doc_mark *m, size_t n, size_t off);

/* Paragraph flags kept beside struct doc_para while parsing. */
struct para_info {
	int md_level;           /* Markdown heading level, 0 when none */
	int table;              /* a table row: cells split by tabs or '|' */
};

/* A numbering label recognised at the start of normalised text. */
struct label_hit {
	enum doc_style style;
	int number;             /* 1-based; for 最后 0 ("one past the previous") */
	size_t len;             /* bytes of the label with its separator and spaces */
	size_t core;            /* bytes of the label itself ("一是", "（一）") */
};

/* Recognise a label at p[0..n) of normalised text; 0 when there is none. */
int doc_label_at(const char *p, size_t n, struct label_hit *h);

/* Build d->paras from d->src (stage 1).  info[i] is filled for each
 * paragraph; the caller frees *info. */
void doc_build_paras(struct doc *d, struct para_info **info);

/* Normalise src[0..n) (part of one logical paragraph; base is the source
 * offset of src[0]) onto out, adding marks to map wherever the relation
 * between output and source offsets changes.  Used by doc_build_paras and
 * doc_normalise. */
struct norm_state {
	int quote_open;         /* next straight double quote opens */
	int paren_open;         /* a converted ( waits for its ) */
	uint32_t prev;          /* last character written */
};
void doc_norm_append(struct norm_state *st, const char *src, size_t n, uint32_t base,
		     struct buf *out, struct markvec *map);
/* Add a mark: from output byte norm on, source offsets continue from src. */
void doc_mark_add(struct markvec *m, size_t norm, uint32_t src);

/* Text being gathered (the preamble, all node texts): normalised bytes with
 * their map. */
struct seg_text {
	struct buf text;
	struct markvec map;
};

/* A read-only view of a piece of gathered text: p[0..len) with its marks
 * (norm relative to p). */
struct seg_view {
	const char *p;
	size_t len;
	const struct doc_mark *m;
	size_t n;
};

/* Source span of normalised bytes [a, b) of v (b > a). */
struct doc_span doc_seg_span(const struct doc *d, const struct seg_view *v, size_t a, size_t b);

/* Stage 3: extraction over the finished tree and paragraphs. */
void doc_extract_examples(struct doc *d, struct doc_item *it, const struct seg_view *t,
			  size_t text_off);
/* Placeholders of all paragraphs; strings and the array come from ar (which
 * may be another thread's arena: the function reads d->paras only). */
void doc_extract_placeholders(const struct doc *d, struct arena *ar,
			      struct doc_placeholder **out, size_t *n_out);
/* Commitments and deadlines of the sections that are not problems or causes. */
void doc_extract_promises(struct doc *d);

/*
 * Work to overlap with the last stage of a parse: fn(d, arg) is called once,
 * when the tree, title, kind and year are final, possibly while another
 * thread still finds the commitments, deadlines and placeholders -- so fn
 * may read everything of d but those three, and must not allocate from
 * d->arena.  (doc_out.c writes the JSON up to the sections this way.)
 * parse_overlap is doc_parse_take with such work; fn is not called when the
 * parse fails.
 */
struct doc_overlap {
	void (*fn)(const struct doc *d, void *arg);
	void *arg;
};
enum rc doc_parse_overlap(char *data, size_t len, const char *name,
			  const struct doc_overlap *ov, struct doc **out, struct err *e);

/*
 * Traditional script (doc_hant.c).  doc_hant_detect: is s[0..len) written
 * in traditional characters (judged on its first 64 KiB)?  doc_hant_fold:
 * when d->src is, it is kept aside and d->src becomes its simplified twin
 * of the same length (d->traditional, d->hant_fold); else nothing changes.
 * doc_hant_restore_tree, once the tree is built and before anything is
 * written of it: d->src, d->sha256 and every string of the tree as
 * written; doc_hant_restore_rest, once the commitments, deadlines and
 * placeholders are joined: theirs, and the twin is freed.
 * doc_hant_release frees the twin of a parse that stopped half way.
 * Each does nothing on a simplified text.
 */
int doc_hant_detect(const char *s, size_t len);
void doc_hant_fold(struct doc *d);
void doc_hant_restore_tree(struct doc *d);
void doc_hant_restore_rest(struct doc *d);
void doc_hant_release(struct doc *d);

/* Word lists from data/, loaded once. */
struct wordlist {
	const char **w;
	size_t *len;
	size_t n;
	uint64_t first[64];     /* bit wordlist_hash(entry) set for each entry */
};

/* A 12-bit hash of the first character at p (n > 0 bytes), from its raw
 * bytes: a cheap filter before comparing strings. */
static inline unsigned wordlist_hash(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t k = u[0];
	if (k >= 0xC0 && n >= 2)
		k = k << 8 | u[1];
	if (u[0] >= 0xE0 && n >= 3)
		k = k << 8 | u[2];
	return (k * 2654435761u) >> 20;
}

/* May an entry of wl start with the character at p (n > 0 bytes)? */
static inline int wordlist_may_start(const struct wordlist *wl, const char *p, size_t n)
{
	unsigned h = wordlist_hash(p, n);
	return (wl->first[h >> 6] >> (h & 63)) & 1;
}

/* p[i..n) starts with the string literal lit. */
static inline int at_(const char *p, size_t n, size_t i, const char *lit, size_t l)
{
	return i + l <= n && memcmp(p + i, lit, l) == 0;
}
#define AT(p, n, i, lit) at_((p), (n), (i), "" lit, sizeof(lit) - 1)

/* The first place of the three-byte character c (a literal such as "：")
 * in s[0..n), or NULL: memchr on its lead byte, cheaper than memmem's setup
 * on the short texts it is asked of. */
static inline const char *find3(const char *s, size_t n, const char *c)
{
	const char *end = s + n;
	while (n >= 3 && (s = memchr(s, c[0], (size_t)(end - s) - 2)) != NULL) {
		if (s[1] == c[1] && s[2] == c[2])
			return s;
		s++;
		n = (size_t)(end - s);
	}
	return NULL;
}
const struct wordlist *doc_words(const char *file);

/* Characters a table header cell or a field label may have. */
#define DOC_FIELD_HEADER_MAX 16
/* Normalise a header cell or label s[0..n) into out (doc_field.c). */
int doc_field_norm(const char *s, size_t n, char *out, size_t size);
/* The field that s[0..n) names exactly (a field label in running text), or
 * DOC_FIELD__MAX. */
enum doc_field doc_field_exact(const char *s, size_t n);

/* .docx to plain text with numbering labels; RC_MEDIA when broken.  On
 * success *text is malloc'd and NUL-terminated (the caller frees it; the
 * engine decodes it in place). */
enum rc doc_docx_to_text(const void *data, size_t len, char **text, size_t *text_len,
			 struct err *e);

/* A PDF's text layer to plain text, page after page in reading order, page
 * numbers and running headers left for doc_lines.c to drop.  RC_MEDIA for a
 * damaged or password-protected file or one with no text (a scan),
 * RC_TOOBIG past the page or text bound.  On success *text is malloc'd,
 * NUL-terminated UTF-8 (the caller frees it).  Bounds: DOC_PDF_MAX_PAGES
 * pages, TEXT_MAX_INPUT bytes of text. */
#define DOC_PDF_MAX_PAGES 10000
enum rc doc_pdf_to_text(const void *data, size_t len, char **text, size_t *text_len,
			struct err *e);

#endif
