/*
 * fuzz_pdf.c -- libFuzzer target for PDF reports.
 *
 * Input holding "%PDF-" in its first KiB is taken as a whole file.  Any
 * other input is split at NUL bytes into the content streams of up to four
 * pages of a fresh PDF (tests/pdf_build.h: Helvetica as /F1, a correct
 * cross-reference table), so that mutations reach poppler's page and text
 * code and the joining of pages instead of dying at the file's structure.
 * Either way the file goes through doc_parse() under a name that is not
 * .pdf (the first byte picks it), as a PDF is recognised by its signature.
 * Seeds: fuzz/corpus/pdf/.
 */
#include <stdint.h>
#include <string.h>

#include "../tests/pdf_build.h"
#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse(const void *p, size_t n, const char *name)
{
	struct doc *d = NULL;
	struct err e = {0};
	if (doc_parse(p, n, name, &d, &e) == RC_OK) {
		struct buf b = BUF_INIT(0);
		doc_to_json(d, &b);
		buf_release(&b);
		doc_free(d);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"fuzz.pdf", "fuzz.txt", "fuzz.docx", "fuzz"};
	const char *name = names[size ? data[0] % 4 : 0];
	if (memmem(data, size < 1024 ? size : 1024, "%PDF-", 5)) {
		parse(data, size, name);
		return 0;
	}
	const char *content[4];
	size_t len[4], n = 0, pos = 0;
	const char *p = (const char *)data;
	while (n < 4 && pos <= size) {
		const char *nul = memchr(p + pos, '\0', size - pos);
		size_t end = nul ? (size_t)(nul - p) : size;
		content[n] = p + pos;
		len[n] = end - pos;
		n++;
		if (!nul)
			break;
		pos = end + 1;
	}
	size_t pl;
	char *pdf = pdf_build(content, len, n, n, &pl);
	parse(pdf, pl, name);
	free(pdf);
	return 0;
}
