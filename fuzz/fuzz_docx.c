/*
 * fuzz_docx.c -- libFuzzer target for .docx reports.
 *
 * Input starting with "PK" is taken as a whole package.  Any other input is
 * split at NUL bytes into word/document.xml, word/numbering.xml and
 * word/styles.xml, stored in a fresh package, so that mutations reach the
 * XML readers instead of dying at the ZIP checksum.  Either way the package
 * goes through doc_parse() as a file named .docx.  Seeds: fuzz/corpus/docx/.
 */
#include <stdint.h>

#include "../tests/docx_build.h"
#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc *d = NULL;
	struct err e = {0};
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		if (doc_parse(data, size, "fuzz.docx", &d, &e) == RC_OK)
			doc_free(d);
		return 0;
	}
	static const char *const names[] = {"word/document.xml", "word/numbering.xml",
					    "word/styles.xml"};
	struct docx_part parts[3];
	size_t n = 0, pos = 0;
	const char *p = (const char *)data;
	while (n < 3 && pos <= size) {
		const char *nul = memchr(p + pos, '\0', size - pos);
		size_t end = nul ? (size_t)(nul - p) : size;
		/* docx_zip takes len 0 as "use strlen": give empty parts one space. */
		parts[n] = (struct docx_part){names[n], end > pos ? p + pos : " ",
					      end > pos ? end - pos : 1};
		n++;
		if (!nul)
			break;
		pos = end + 1;
	}
	size_t zl;
	char *z = docx_zip(parts, n, ZIP_CM_STORE, NULL, &zl);
	if (!z)
		return 0;
	if (doc_parse(z, zl, "fuzz.docx", &d, &e) == RC_OK)
		doc_free(d);
	free(z);
	return 0;
}
