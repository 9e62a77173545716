/*
 * fuzz_xlsx.c -- libFuzzer target for .xlsx ledgers.
 *
 * Input starting with "PK" is taken as a whole workbook.  Any other input is
 * split at NUL bytes into a sheet, the shared strings and the styles, stored
 * in a fresh package with a fixed workbook, so that mutations reach the XML
 * readers.  The sheet read is then mapped to ledger rows.  Seeds:
 * fuzz/corpus/xlsx/.
 */
#include <stdint.h>

#include "../tests/docx_build.h"
#include "sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_and_map(const void *p, size_t n)
{
	struct sheet s;
	struct err e = {0};
	if (sheet_read_xlsx(p, n, &s, &e) == RC_OK) {
		struct sheet_ledger l;
		sheet_ledger_map(&s, 2024, &l, &e);
		sheet_ledger_release(&l);
	}
	sheet_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		read_and_map(data, size);
		return 0;
	}
	static const char workbook[] =
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<workbookPr date1904=\"0\"/><sheets><sheet name=\"整改台账\" sheetId=\"1\" "
		"r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
		"<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>";
	static const char *const names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
					    "xl/styles.xml"};
	struct docx_part parts[5] = {{"xl/workbook.xml", workbook, 0},
				     {"xl/_rels/workbook.xml.rels", rels, 0}};
	size_t n = 2, pos = 0;
	const char *p = (const char *)data;
	for (int k = 0; k < 3 && pos <= size; k++) {
		const char *nul = memchr(p + pos, '\0', size - pos);
		size_t end = nul ? (size_t)(nul - p) : size;
		parts[n++] = (struct docx_part){names[k], end > pos ? p + pos : " ",
						end > pos ? end - pos : 1};
		if (!nul)
			break;
		pos = end + 1;
	}
	size_t zl;
	char *z = docx_zip(parts, n, ZIP_CM_STORE, NULL, &zl);
	if (z)
		read_and_map(z, zl);
	free(z);
	return 0;
}
