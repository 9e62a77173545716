/*
 * fuzz_csv.c -- libFuzzer target for .csv ledgers: the bytes read as CSV
 * (any encoding text_decode takes) and mapped to ledger rows.  Seeds:
 * fuzz/corpus/csv/.
 */
#include <stdint.h>

#include "sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sheet s;
	struct err e = {0};
	if (sheet_read_csv(data, size, &s, &e) == RC_OK) {
		struct sheet_ledger l;
		sheet_ledger_map(&s, 2024, &l, &e);
		sheet_ledger_release(&l);
	}
	sheet_release(&s);
	return 0;
}
