/*
 * fuzz_lint.c -- libFuzzer target: arbitrary bytes through the document
 * engine and then every lint rule, with the report's own problem items as
 * priors (so recurrence runs too), and both output formats.  Anything the
 * engine refuses is simply refused; nothing may crash, leak or trip the
 * sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>

#include "doc.h"
#include "lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks the format the name suggests. */
	const char *name = size && (data[0] & 1) ? "fuzz.md" : "fuzz.txt";
	struct doc *d = NULL;
	if (doc_parse(data, size, name, &d, NULL) != RC_OK)
		return 0;
	struct lint_priors pr = {0};
	lint_priors_add_doc(&pr, d, "prior");
	lint_priors_add(&pr, d->title, "title");
	struct lint_opts o = {.prior = pr.v, .n_prior = pr.n};
	struct lint_result r;
	lint_run(d, &o, &r);
	struct buf out = BUF_INIT(0);
	lint_to_text(&r, "fuzz", &out);
	lint_summary_text(&r.summary, 1, &out);
	int first = 1;
	lint_to_json_findings(&r, "fuzz", &first, &out);
	lint_summary_json(&r.summary, &out);
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].span.end > d->len || r.v[i].span.start > r.v[i].span.end || !r.v[i].line)
			abort();
	buf_release(&out);
	lint_result_release(&r);
	lint_priors_release(&pr);
	doc_free(d);
	return 0;
}
