/*
 * libFuzzer target: arbitrary bytes through the document engine (decoding,
 * paragraphs, tree, extraction) and both views.  Any crash, leak, hang or
 * sanitizer report is a bug; refusals (RC_INVALID, RC_MEDIA) are fine.
 * The JSON of doc_parse_json_file, parsed on as many threads as a large
 * report is, must equal doc_to_json's of the one-thread parse.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc *d = NULL;
	struct err e;
	/* The first byte picks the name, so .md and .docx paths are taken too. */
	static const char *const names[] = {"r.txt", "r.md", "r.docx"};
	const char *name = size ? names[data[0] % 3] : "r.txt";
	if (doc_parse(data, size, name, &d, &e) != RC_OK)
		return 0;
	struct buf b = BUF_INIT(0);
	doc_to_json(d, &b);
	char *got = NULL;
	size_t got_len = 0;
	FILE *f = open_memstream(&got, &got_len);
	char *copy = malloc(size + 1);
	if (!f || !copy)
		abort();
	memcpy(copy, data, size);
	size_t from = util_parallel_from;
	util_parallel_from = 0;
	enum rc rc = doc_parse_json_file(copy, size, name, f, &e);
	util_parallel_from = from;
	if (rc != RC_OK || fclose(f) != 0 || got_len != b.len || memcmp(got, b.p, b.len) != 0)
		abort();
	free(got);
	doc_to_text(d, &b);
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		if (s->span.end > d->len || s->span.start > s->span.end)
			abort();
	}
	buf_release(&b);
	doc_free(d);
	return 0;
}
