/*
 * libFuzzer target: arbitrary text after a line of traditional characters,
 * so that the document engine takes the traditional path (doc_hant.c):
 * detection, the simplified twin, the parse, and the strings given back as
 * written.  Any crash, leak, hang or sanitizer report is a bug; refusals
 * are fine.  The source must come back as written, every span must lie in
 * it, and the JSON written during a parse on two threads must equal the
 * one-thread parse's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Enough traditional characters for any text after them to count as
 * traditional (doc_hant_detect looks at the first 64 KiB). */
static const char head[] =
	"一、對照檢查發現的問題：學習貫徹不夠深入，聯繫群眾還有差距，"
	"調查研究浮於表面，擔當作為意識不強。\n";

static void check_span(const struct doc *d, struct doc_span s)
{
	if (s.start > s.end || s.end > d->len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	size_t hl = sizeof head - 1, n = hl + size;
	char *text = malloc(n + 1);
	if (!text)
		abort();
	memcpy(text, head, hl);
	memcpy(text + hl, data, size);
	text[n] = '\0';
	struct doc *d = NULL;
	struct err e;
	if (doc_parse(text, n, "r.txt", &d, &e) != RC_OK) {
		free(text);
		return 0;
	}
	/* The source as written: as decoded, not its simplified twin. */
	struct text_src ts;
	if (text_decode(text, n, &ts, &e) == RC_OK) {
		if (d->len != ts.len || memcmp(d->src, ts.p, ts.len) != 0)
			abort();
		text_src_release(&ts);
	}
	check_span(d, d->title_span);
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		check_span(d, s->span);
		check_span(d, s->title_span);
		for (size_t k = 0; k < s->n_areas; k++)
			check_span(d, s->areas[k].span);
	}
	for (size_t i = 0; i < d->n_commitments; i++)
		check_span(d, d->commitments[i].span);
	for (size_t i = 0; i < d->n_deadlines; i++)
		check_span(d, d->deadlines[i].span);
	for (size_t i = 0; i < d->n_placeholders; i++)
		check_span(d, d->placeholders[i].span);
	struct buf b = BUF_INIT(0);
	doc_to_json(d, &b);
	char *got = NULL;
	size_t got_len = 0;
	FILE *f = open_memstream(&got, &got_len);
	if (!f)
		abort();
	size_t from = util_parallel_from;
	util_parallel_from = 0;
	enum rc rc = doc_parse_json_file(text, n, "r.txt", f, &e); /* takes text */
	util_parallel_from = from;
	if (rc != RC_OK || fclose(f) != 0 || got_len != b.len || memcmp(got, b.p, b.len) != 0)
		abort();
	free(got);
	doc_to_text(d, &b);
	buf_release(&b);
	doc_free(d);
	return 0;
}
