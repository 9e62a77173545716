/*
 * office_floor.c -- the floor for bench/office.sh: libxlsxwriter writing the
 * cells of a ledger CSV into a workbook with no formatting at all (constant
 * memory mode, as rectify's export uses), nothing else.
 *
 *   office_floor LEDGER.csv OUT.xlsx
 *
 * The CSV (rectify's own export, so the cells are the same) is read into
 * memory first; only the writing is timed.  Prints the milliseconds it took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

struct cell {
	char *s;
	size_t row, col;
};

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: office_floor LEDGER.csv OUT.xlsx\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n)
		return 1;
	fclose(f);
	p[n] = '\0';
	size_t cap = 1 << 16, nc = 0, row = 0, col = 0;
	struct cell *cells = malloc(cap * sizeof *cells);
	char *field = malloc((size_t)n + 1);
	long i = (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
	while (i < n) {
		size_t k = 0;
		if (p[i] == '"') {
			for (i++; i < n; i++) {
				if (p[i] == '"' && p[i + 1] == '"')
					field[k++] = p[i++];
				else if (p[i] == '"')
					break;
				else
					field[k++] = p[i];
			}
			i++;
		}
		while (i < n && p[i] != ',' && p[i] != '\r' && p[i] != '\n')
			field[k++] = p[i++];
		if (nc == cap)
			cells = realloc(cells, (cap *= 2) * sizeof *cells);
		cells[nc].s = malloc(k + 1);
		memcpy(cells[nc].s, field, k);
		cells[nc].s[k] = '\0';
		cells[nc].row = row;
		cells[nc++].col = col++;
		if (i < n && p[i] == ',') {
			i++;
		} else {
			while (i < n && (p[i] == '\r' || p[i] == '\n'))
				i++;
			row++;
			col = 0;
		}
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	lxw_workbook *wb = workbook_new_opt(argv[2], &opt);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	for (size_t c = 0; c < nc; c++) {
		char *end;
		double v = strtod(cells[c].s, &end);
		if (*cells[c].s && !*end)
			worksheet_write_number(ws, (lxw_row_t)cells[c].row, (lxw_col_t)cells[c].col, v,
					       NULL);
		else if (*cells[c].s)
			worksheet_write_string(ws, (lxw_row_t)cells[c].row, (lxw_col_t)cells[c].col,
					       cells[c].s, NULL);
	}
	if (workbook_close(wb) != LXW_NO_ERROR)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.0f\n", (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return 0;
}
