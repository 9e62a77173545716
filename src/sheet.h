/*
 * sheet.h -- spreadsheets read in: a sheet of an .xlsx workbook (libzip and
 * expat: shared and inline strings, merged cells, dates kept as serial
 * numbers) or a .csv file (UTF-8, GB18030 or UTF-16; comma, semicolon or tab)
 * as a grid of text cells; and a 整改台账 sheet mapped to ledger rows by its
 * headers.
 *
 * Cells are text as a person reads them: numbers in their shortest form,
 * dates (a number with a date format) as YYYY-MM-DD, booleans as TRUE or
 * FALSE, formulas as their cached result.  Every cell of a merged range
 * holds the value of its top-left cell, so an area written once over the
 * rows of its tasks reaches each row.
 *
 * Bounds (docs/LIMITS.md): the file at most SHEET_MAX_FILE bytes; the parts
 * of a workbook read inflate to at most SHEET_MAX_UNZIPPED bytes in all,
 * counted while inflating; at most SHEET_MAX_STRINGS shared strings,
 * SHEET_MAX_ROWS rows and SHEET_MAX_CELLS non-empty cells; a cell at most
 * SHEET_MAX_CELL characters (Excel's own limit); columns past SHEET_MAX_COLS
 * are ignored; XML nesting at most 256 deep and no DOCTYPE.  Past a bound:
 * RC_TOOBIG naming it.  Not a workbook, damaged, encrypted, or a Word file
 * renamed: RC_MEDIA saying which.
 */
#ifndef RECTIFY_SHEET_H
#define RECTIFY_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "store.h"
#include "util.h"

#define SHEET_MAX_FILE (16u << 20)
#define SHEET_MAX_UNZIPPED (64u << 20)
#define SHEET_MAX_STRINGS 1000000
#define SHEET_MAX_ROWS 100000
#define SHEET_MAX_COLS 256
#define SHEET_MAX_CELLS 4000000
#define SHEET_MAX_CELL 32767

struct sheet_row {
	uint32_t num;           /* 1-based row number in the file */
	uint32_t n;             /* cells v[0..n), trailing empty cells dropped */
	const char **v;         /* "" for an empty cell, never NULL */
};

struct sheet_merge {
	uint32_t r0, c0, r1, c1; /* 0-based, inclusive */
};

struct sheet {
	const char *name;       /* the sheet's name ("" for CSV) */
	const char *format;     /* "xlsx", "csv" */
	const char *encoding;   /* CSV: as text_decode() found it */
	struct sheet_row *rows; /* rows that hold anything, in order */
	size_t n_rows;
	uint32_t n_cols;        /* the widest row */
	struct sheet_merge *merges;
	size_t n_merges;
	struct arena arena;     /* owns everything above */
};

/*
 * Read a spreadsheet from memory: an .xlsx when it starts with a ZIP
 * signature, CSV otherwise (`name`, which may be NULL, only improves
 * messages).  Of a workbook, the first visible sheet whose name holds 台账,
 * else the first visible sheet.  On success *out is filled (release with
 * sheet_release(), also after a failure).  Errors: RC_MEDIA, RC_TOOBIG,
 * RC_INVALID (CSV that is not text), with e->msg saying what is wrong.
 */
enum rc sheet_read(const void *data, size_t len, const char *name, struct sheet *out,
		   struct err *e);
enum rc sheet_read_xlsx(const void *data, size_t len, struct sheet *out, struct err *e);
enum rc sheet_read_csv(const void *data, size_t len, struct sheet *out, struct err *e);
void sheet_release(struct sheet *s);

/* The text of cell (r, c) of row index r (not row number); "" outside. */
const char *sheet_cell(const struct sheet *s, size_t r, uint32_t c);
/* The merged range holding the cell at file row number `num`, column c
 * (0-based), or NULL. */
const struct sheet_merge *sheet_merge_at(const struct sheet *s, uint32_t num, uint32_t c);

/* ---- a 整改台账 sheet ----------------------------------------------------- */

/* The fields are the document engine's (doc.h), which reads the tables of
 * reports by the same vocabulary. */
enum sheet_field {
	SF_SEQ = DOC_FIELD_SEQ, SF_AREA = DOC_FIELD_AREA, SF_PROBLEM = DOC_FIELD_PROBLEM,
	SF_MEASURES = DOC_FIELD_MEASURES, SF_GOAL = DOC_FIELD_GOAL, SF_LEADER = DOC_FIELD_LEADER,
	SF_UNIT = DOC_FIELD_UNIT, SF_DEADLINE = DOC_FIELD_DEADLINE,
	SF_PROGRESS = DOC_FIELD_PROGRESS, SF_STATUS = DOC_FIELD_STATUS,
	SF_LIGHT = DOC_FIELD_LIGHT, SF_EVIDENCE = DOC_FIELD_EVIDENCE, SF_NOTE = DOC_FIELD_NOTE,
	SF__MAX = DOC_FIELD__MAX
};
const char *sheet_field_name(enum sheet_field f);      /* "问题表现" … */

struct sheet_bad {
	uint32_t num;           /* file row number */
	const char *why;        /* "问题表现为空", "整改时限“下月”无法识别" */
};

struct sheet_ledger {
	int col[SF__MAX];       /* column of each field, -1 when absent */
	const char *header[SF__MAX]; /* the header text found for it */
	uint32_t header_num;    /* file row number of the (last) header row */
	struct ledger_row *rows; /* understood rows, one per task */
	uint32_t *nums;         /* the file row number of each */
	size_t n_rows;
	struct sheet_bad *bad;  /* rows not understood */
	size_t n_bad;
	const char *title;      /* the title row above the header: the first row
	                           whose filled cells all hold one text; "" when none */
	int year;               /* the year the sheet speaks of: the first in its title
	                           (doc_year_in), else that of its earliest dated
	                           deadline; 0 when neither names one */
	struct arena arena;
};

/*
 * Map a sheet to ledger rows.  The header row is found among the first 20
 * rows by the number of fields its cells name (common variants accepted:
 * 责任人/责任领导, 完成时限/整改时限, 问题/问题表现 …; a second header row
 * under merged cells is combined with the first).  Each data row becomes
 * one ledger_row; rows whose problem cell is one merged range become one
 * task, their measures joined line by line.  Empty rows, repeated header
 * rows and total rows (合计) are skipped.  Deadlines are normalised to
 * YYYY-MM-DD, 长期坚持 or 立行立改 (a date without a year takes `year`),
 * statuses to 未启动, 整改中 or 已销号; a row whose problem is empty, or
 * whose deadline or status cannot be read, goes to out->bad with the reason.
 * Errors: RC_INVALID when no header row names a problem column.  Release
 * with sheet_ledger_release() whatever the rc.
 */
enum rc sheet_ledger_map(const struct sheet *s, int year, struct sheet_ledger *out,
			 struct err *e);
void sheet_ledger_release(struct sheet_ledger *l);

#endif
