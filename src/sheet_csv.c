/*
 * sheet_csv.c -- a CSV file as a grid of text cells.
 *
 * The bytes are decoded as any report is (text_decode: UTF-8 with or without
 * a BOM, UTF-16 with a BOM, GB18030/GBK as Excel on Chinese Windows saves
 * CSV; line ends made LF).  The delimiter is the one of comma, semicolon and
 * tab that occurs most often outside quotes on the first line.  Fields follow
 * RFC 4180: a field that starts with a quote runs to the closing quote, ""
 * inside it being one quote, and may hold delimiters and line breaks; a
 * quote inside an unquoted field is kept as text.  Row numbers are record
 * numbers (what a spreadsheet shows), 1-based.  Bounds as in sheet.h.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sheet.h"
#include "text.h"

static char pick_delimiter(const char *p, size_t n)
{
	size_t count[3] = {0, 0, 0};
	static const char d[3] = {',', ';', '\t'};
	int quoted = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && p[i] == '\n')
			break;
		else if (!quoted)
			for (int k = 0; k < 3; k++)
				count[k] += p[i] == d[k];
	}
	int best = 0;
	for (int k = 1; k < 3; k++)
		if (count[k] > count[best])
			best = k;
	return d[best];
}

struct csv_row {
	uint32_t num;
	VEC(const char *) cells;
};

enum rc sheet_read_csv(const void *data, size_t len, struct sheet *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->format = "csv";
	out->name = "";
	out->encoding = "";
	if (len > SHEET_MAX_FILE)
		return ERR(e, RC_TOOBIG, "the file is %zu bytes; the limit is %u MiB", len,
			   SHEET_MAX_FILE >> 20);
	struct text_src ts;
	enum rc rc = text_decode(data, len, &ts, e);
	if (rc)
		return rc;
	out->encoding = ts.encoding;
	const char *p = ts.p;
	size_t n = ts.len;
	char delim = pick_delimiter(p, n);

	VEC(struct csv_row) rows = {0};
	struct buf cell = BUF_INIT((size_t)SHEET_MAX_CELL * 4);
	size_t i = 0, n_cells = 0;
	uint32_t num = 0, col = 0;
	int row_open = 0;
	while (i < n && !rc) {
		if (!row_open) {
			num++;
			col = 0;
			row_open = 1;
			if (rows.n >= SHEET_MAX_ROWS) {
				rc = ERR(e, RC_TOOBIG, "the file has more than %d rows", SHEET_MAX_ROWS);
				break;
			}
			VEC_PUSH(rows)->num = num;
		}
		buf_reset(&cell);
		if (p[i] == '"') {
			i++;
			for (;;) {
				if (i >= n)
					break;                  /* an unclosed quote ends the file */
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"') {
						buf_putc(&cell, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				buf_putc(&cell, p[i++]);
			}
			/* Text after the closing quote, up to the delimiter, is kept. */
			while (i < n && p[i] != delim && p[i] != '\n')
				buf_putc(&cell, p[i++]);
		} else {
			size_t s = i;
			while (i < n && p[i] != delim && p[i] != '\n')
				i++;
			buf_append(&cell, p + s, i - s);
		}
		if (cell.err) {
			rc = ERR(e, RC_TOOBIG, "row %u: a field holds more than %d characters", num,
				 SHEET_MAX_CELL);
			break;
		}
		/* Trim surrounding white space, as spreadsheets show it. */
		size_t a = 0, b = cell.len;
		while (a < b && (cell.p[a] == ' ' || cell.p[a] == '\t' || cell.p[a] == '\r'))
			a++;
		while (b > a && (cell.p[b - 1] == ' ' || cell.p[b - 1] == '\t' ||
				 cell.p[b - 1] == '\r' || cell.p[b - 1] == '\n'))
			b--;
		/* The apostrophe an export puts before what looks like a formula. */
		if (b - a >= 2 && cell.p[a] == '\'' &&
		    (cell.p[a + 1] == '=' || cell.p[a + 1] == '+' || cell.p[a + 1] == '@'))
			a++;
		if (b > a && col < SHEET_MAX_COLS) {
			if (b - a > SHEET_MAX_CELL && text_utf8_count(cell.p + a, b - a) > SHEET_MAX_CELL) {
				rc = ERR(e, RC_TOOBIG, "row %u: a field holds more than %d characters",
					 num, SHEET_MAX_CELL);
				break;
			}
			if (++n_cells > SHEET_MAX_CELLS) {
				rc = ERR(e, RC_TOOBIG, "the file has more than %d non-empty cells",
					 SHEET_MAX_CELLS);
				break;
			}
			struct csv_row *r = &rows.v[rows.n - 1];
			while (r->cells.n <= col)
				*VEC_PUSH(r->cells) = "";
			r->cells.v[col] = arena_strndup(&out->arena, cell.p + a, b - a);
		}
		col++;
		if (i < n && p[i] == delim) {
			i++;
			if (i == n)
				row_open = 0;
		} else {
			if (i < n)
				i++;                            /* the line end */
			row_open = 0;
		}
	}
	buf_release(&cell);
	text_src_release(&ts);

	size_t k = 0;
	for (size_t r = 0; r < rows.n; r++)
		if (rows.v[r].cells.n)
			k++;
	out->rows = arena_alloc(&out->arena, (k ? k : 1) * sizeof *out->rows);
	for (size_t r = 0; r < rows.n; r++) {
		struct csv_row *cr = &rows.v[r];
		if (cr->cells.n && !rc) {
			struct sheet_row *sr = &out->rows[out->n_rows++];
			sr->num = cr->num;
			sr->n = (uint32_t)cr->cells.n;
			sr->v = arena_alloc(&out->arena, cr->cells.n * sizeof *sr->v);
			memcpy(sr->v, cr->cells.v, cr->cells.n * sizeof *cr->cells.v);
			if (sr->n > out->n_cols)
				out->n_cols = sr->n;
		}
		VEC_FREE(cr->cells);
	}
	VEC_FREE(rows);
	return rc;
}
