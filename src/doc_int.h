/*
 * doc_int.h -- private to the document engine (doc_*.c).
 *
 * The engine runs in stages, each in its own file:
 *   doc_lines.c    source text -> paragraphs: lines trimmed, Markdown marks
 *                  and page artefacts (page numbers, running headers) dropped,
 *                  hard-wrapped lines joined, characters normalised, with a
 *                  map from every normalised byte back to the source;
 *   doc_parse.c    paragraphs -> tree: numbering labels, the stack of
 *                  numbering styles, items that start mid-paragraph, titles,
 *                  leads, section roles, kind and year;
 *   doc_extract.c  examples, commitments, deadlines and placeholders;
 *   doc_out.c      the JSON contract and the readable view;
 *   doc_docx.c     .docx to text (when a report arrives as Word).
 */
#ifndef RECTIFY_DOC_INT_H
#define RECTIFY_DOC_INT_H

#include "doc.h"
#include "text.h"

/* A growable array of source offsets, one per normalised byte. */
struct u32vec {
	uint32_t *v;
	size_t n, cap;
};

/* Paragraph flags kept beside struct doc_para while parsing. */
struct para_info {
	int md_level;           /* Markdown heading level, 0 when none */
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

/* Normalise src[0..n) (one logical paragraph) into out, appending for each
 * output byte the source offset (base + input offset) of the character it
 * came from.  Used by doc_build_paras and doc_normalise. */
struct norm_state {
	int quote_open;         /* next straight double quote opens */
	int paren_open;         /* a converted ( waits for its ) */
	uint32_t prev;          /* last character written */
};
void doc_norm_append(struct norm_state *st, const char *src, size_t n, uint32_t base,
		     struct buf *out, struct u32vec *map);

/* Text of a node while the tree is built: normalised bytes with their map. */
struct seg_text {
	struct buf text;
	struct u32vec map;
};

/* Source span of normalised bytes [a, b) of t (b > a). */
struct doc_span doc_seg_span(const struct doc *d, const struct seg_text *t, size_t a, size_t b);

/* Stage 3: extraction over the finished tree and paragraphs. */
void doc_extract_examples(struct doc *d, struct doc_item *it, const struct seg_text *t,
			  size_t text_off);
void doc_extract_doc(struct doc *d);

/* Word lists from data/, loaded once. */
struct wordlist {
	const char **w;
	size_t *len;
	size_t n;
};
const struct wordlist *doc_words(const char *file);

/* .docx to plain text with numbering labels; RC_MEDIA when broken. */
enum rc doc_docx_to_text(const void *data, size_t len, char **text, size_t *text_len,
			 struct err *e);

#endif
