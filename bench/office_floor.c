/*
 * office_floor.c -- the floor for bench/office.sh: libxlsxwriter writing the
 * cells of rectify's ledger workbook again with no formatting at all
 * (constant memory mode, as rectify's export uses), nothing else.
 *
 *   office_floor LEDGER.xlsx OUT.xlsx
 *
 * LEDGER.xlsx is rectify's own export, so the cells are the same: every
 * worksheet's values are read first (numbers and inline strings, as the
 * export writes them; empty cells, formats, row heights, merges and page
 * setup left out), then only the writing is timed: the same sheets, the same
 * values in the same places.  Prints the milliseconds it took, then the
 * milliseconds of processor time (user and system) it used.
 */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <xlsxwriter.h>
#include <zip.h>

struct cell {
	char *s;                /* the text, or the number as written */
	unsigned row, col;
	int number;
};

struct sheet {
	struct cell *v;
	size_t n, cap;
};

/* The parse of one worksheet part. */
struct parse {
	struct sheet *sh;
	unsigned row, col;
	int number, in_value;
	char *text;
	size_t len, cap;
};

static void die(const char *what)
{
	fprintf(stderr, "office_floor: %s\n", what);
	exit(1);
}

/* "AB12" -> column 27, row 11 (0-based). */
static void ref(const char *r, unsigned *row, unsigned *col)
{
	unsigned c = 0, n = 0;
	for (; *r >= 'A' && *r <= 'Z'; r++)
		c = c * 26 + (unsigned)(*r - 'A' + 1);
	for (; *r >= '0' && *r <= '9'; r++)
		n = n * 10 + (unsigned)(*r - '0');
	*col = c - 1;
	*row = n - 1;
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct parse *p = ud;
	if (strcmp(name, "c") == 0) {
		p->number = 1;
		p->len = 0;
		for (int i = 0; atts[i]; i += 2) {
			if (strcmp(atts[i], "r") == 0)
				ref(atts[i + 1], &p->row, &p->col);
			else if (strcmp(atts[i], "t") == 0)
				p->number = strcmp(atts[i + 1], "n") == 0;
		}
	} else if (strcmp(name, "v") == 0 || strcmp(name, "t") == 0) {
		p->in_value = 1;
	}
}

static void on_text(void *ud, const XML_Char *s, int n)
{
	struct parse *p = ud;
	if (!p->in_value)
		return;
	if (p->len + (size_t)n + 1 > p->cap) {
		p->cap = (p->len + (size_t)n + 1) * 2;
		p->text = realloc(p->text, p->cap);
		if (!p->text)
			die("out of memory");
	}
	memcpy(p->text + p->len, s, (size_t)n);
	p->len += (size_t)n;
}

static void on_end(void *ud, const XML_Char *name)
{
	struct parse *p = ud;
	if (strcmp(name, "v") == 0 || strcmp(name, "t") == 0) {
		p->in_value = 0;
	} else if (strcmp(name, "c") == 0 && p->len) {
		struct sheet *sh = p->sh;
		if (sh->n == sh->cap) {
			sh->cap = sh->cap ? sh->cap * 2 : 1 << 16;
			sh->v = realloc(sh->v, sh->cap * sizeof *sh->v);
			if (!sh->v)
				die("out of memory");
		}
		struct cell *c = &sh->v[sh->n++];
		c->s = malloc(p->len + 1);
		if (!c->s)
			die("out of memory");
		memcpy(c->s, p->text, p->len);
		c->s[p->len] = '\0';
		c->row = p->row;
		c->col = p->col;
		c->number = p->number;
		p->len = 0;
	}
}

/* The cells of xl/worksheets/sheetN.xml, or 0 when the workbook has no
 * sheet N. */
static int read_sheet(zip_t *z, int n, struct sheet *sh)
{
	char name[64];
	snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", n);
	zip_file_t *f = zip_fopen(z, name, 0);
	if (!f)
		return 0;
	struct parse p = {.sh = sh};
	XML_Parser x = XML_ParserCreate("UTF-8");
	XML_SetUserData(x, &p);
	XML_SetElementHandler(x, on_start, on_end);
	XML_SetCharacterDataHandler(x, on_text);
	char buf[1 << 16];
	zip_int64_t got;
	while ((got = zip_fread(f, buf, sizeof buf)) > 0)
		if (XML_Parse(x, buf, (int)got, 0) == XML_STATUS_ERROR)
			die(name);
	if (got < 0 || XML_Parse(x, buf, 0, 1) == XML_STATUS_ERROR)
		die(name);
	XML_ParserFree(x);
	zip_fclose(f);
	free(p.text);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: office_floor LEDGER.xlsx OUT.xlsx\n");
		return 2;
	}
	zip_t *z = zip_open(argv[1], ZIP_RDONLY, NULL);
	if (!z)
		die("cannot open the workbook");
	struct sheet sheets[16] = {{0}};
	int n_sheets = 0;
	while (n_sheets < 16 && read_sheet(z, n_sheets + 1, &sheets[n_sheets]))
		n_sheets++;
	zip_close(z);
	if (!n_sheets)
		die("no worksheet in the workbook");
	struct timespec t0, t1;
	struct rusage u0, u1;
	getrusage(RUSAGE_SELF, &u0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	lxw_workbook *wb = workbook_new_opt(argv[2], &opt);
	if (!wb)
		die("cannot create the output");
	for (int k = 0; k < n_sheets; k++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
		const struct sheet *sh = &sheets[k];
		for (size_t i = 0; i < sh->n; i++) {
			const struct cell *c = &sh->v[i];
			if (c->number)
				worksheet_write_number(ws, (lxw_row_t)c->row, (lxw_col_t)c->col,
						       strtod(c->s, NULL), NULL);
			else
				worksheet_write_string(ws, (lxw_row_t)c->row, (lxw_col_t)c->col,
						       c->s, NULL);
		}
	}
	if (workbook_close(wb) != LXW_NO_ERROR)
		die("cannot write the output");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &u1);
	double cpu = (double)(u1.ru_utime.tv_sec - u0.ru_utime.tv_sec + u1.ru_stime.tv_sec -
			      u0.ru_stime.tv_sec) * 1e3 +
		     (double)(u1.ru_utime.tv_usec - u0.ru_utime.tv_usec + u1.ru_stime.tv_usec -
			      u0.ru_stime.tv_usec) / 1e3;
	printf("%.0f %.0f\n", (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	       cpu);
	return 0;
}
