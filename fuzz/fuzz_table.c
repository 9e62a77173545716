/*
 * libFuzzer target: the table reader of the document engine.  The input is
 * laid out as the rows of a 整改任务清单 under a header the engine knows
 * (tab-separated, or as Markdown pipe rows when the first byte is odd), so
 * that every input reaches the rows, cells, areas, continuation rows and
 * fields, and the labelled-field items (存在问题：…).  Any crash, leak or
 * sanitizer report is a bug; so is a field or an item whose span lies
 * outside the source, or a parse on two threads that differs from one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_items(const struct doc *d, const struct doc_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (it[i].span.start > it[i].span.end || it[i].span.end > d->len)
			abort();
		for (size_t k = 0; k < it[i].n_fields; k++) {
			const struct doc_field_value *f = &it[i].fields[k];
			if (f->span.start > f->span.end || f->span.end > d->len || !f->text ||
			    (unsigned)f->field >= DOC_FIELD__MAX)
				abort();
			if (k && f->field <= it[i].fields[k - 1].field)
				abort(); /* one value per field, in field order */
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char tsv[] = "整改方案\n一、整改任务\n序号\t方面\t存在问题\t整改措施\t责任领导\t"
				  "责任单位\t完成时限\t备注\n";
	static const char md[] = "# 整改方案\n\n## 一、整改任务\n\n| 序号 | 类别 | 问题表现 | 整改举措 |"
				 " 牵头领导 | 牵头单位 | 整改时限 |\n|---|---|---|---|---|---|---|\n";
	int pipe = size && (data[0] & 1);
	const char *head = pipe ? md : tsv;
	size_t hl = strlen(head);
	char *in = malloc(hl + size + 1);
	if (!in)
		abort();
	memcpy(in, head, hl);
	if (size)
		memcpy(in + hl, data + 1, size - 1);
	size_t len = hl + (size ? size - 1 : 0);
	const char *name = pipe ? "plan.md" : "plan.txt";
	struct doc *d = NULL;
	struct err e;
	if (doc_parse(in, len, name, &d, &e) != RC_OK) {
		free(in);
		return 0;
	}
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		check_items(d, s->items, s->n_items);
		for (size_t a = 0; a < s->n_areas; a++)
			check_items(d, s->areas[a].items, s->areas[a].n_items);
	}
	struct buf one = BUF_INIT(0);
	doc_to_json(d, &one);
	doc_free(d);
	size_t from = util_parallel_from;
	util_parallel_from = 0;
	enum rc rc = doc_parse(in, len, name, &d, &e);
	util_parallel_from = from;
	if (rc != RC_OK)
		abort();
	struct buf two = BUF_INIT(0);
	doc_to_json(d, &two);
	if (one.len != two.len || memcmp(one.p, two.p, one.len) != 0)
		abort();
	buf_release(&one);
	buf_release(&two);
	doc_free(d);
	free(in);
	return 0;
}
