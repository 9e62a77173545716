/*
 * sheet_ledger.c -- the grid's common functions, and a 整改台账 sheet mapped
 * to ledger rows by its headers.
 *
 * Headers are recognised by the document engine's vocabulary
 * (doc_field_of_header, data/fields.txt), which reads the tables of reports
 * the same way: by name after normalisation (white space removed, a
 * trailing qualifier in brackets and a trailing colon or asterisk dropped),
 * then by the words they contain (…措施 → measures, …时限/期限 → deadline,
 * …领导/责任人 → leader …).  A cell longer than 16 characters is never a header (a title
 * row merged across the sheet is not).  The header row is the one of the
 * first 20 rows that names the most fields, one of them the problem; a row
 * under it that names fields under merged cells is combined with it.
 *
 * Below the header, a row is skipped when the fields it fills are empty, when
 * it repeats the header, or when it is a total (合计/总计/小计).  A row whose
 * filled cells all hold one text (a heading merged across the row) or that
 * fills only 序号 and 方面 names the area of the rows that follow.  Rows
 * whose problem cell lies in one merged range make one task.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "doc.h"
#include "sheet.h"
#include "text.h"

/* ---- the grid -------------------------------------------------------------- */

enum rc sheet_read(const void *data, size_t len, const char *name, struct sheet *out,
		   struct err *e)
{
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		return sheet_read_xlsx(data, len, out, e);
	if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		memset(out, 0, sizeof *out);
		return ERR(e, RC_MEDIA, "%s is an encrypted workbook or an old .xls file; save it "
			   "as .xlsx without a password", name ? name : "the file");
	}
	size_t nl = name ? strlen(name) : 0;
	if (nl > 5 && strcasecmp(name + nl - 5, ".xlsx") == 0) {
		memset(out, 0, sizeof *out);
		return ERR(e, RC_MEDIA, "%s is not a valid .xlsx file (no ZIP signature)", name);
	}
	return sheet_read_csv(data, len, out, e);
}

void sheet_release(struct sheet *s)
{
	if (s)
		arena_release(&s->arena);
}

const char *sheet_cell(const struct sheet *s, size_t r, uint32_t c)
{
	if (r >= s->n_rows || c >= s->rows[r].n)
		return "";
	return s->rows[r].v[c];
}

const struct sheet_merge *sheet_merge_at(const struct sheet *s, uint32_t num, uint32_t c)
{
	for (size_t i = 0; i < s->n_merges; i++) {
		const struct sheet_merge *m = &s->merges[i];
		if (num - 1 >= m->r0 && num - 1 <= m->r1 && c >= m->c0 && c <= m->c1)
			return m;
	}
	return NULL;
}

/* ---- headers -------------------------------------------------------------- */

const char *sheet_field_name(enum sheet_field f)
{
	return doc_field_title((enum doc_field)f);
}

/* The field a header cell names, or SF__MAX (the vocabulary is the document
 * engine's, data/fields.txt). */
static enum sheet_field classify(const char *cell)
{
	return (enum sheet_field)doc_field_of_header(cell);
}

struct header_try {
	int col[SF__MAX];
	int score, rows;
};

/* Fields named by row r, or by rows r and r+1 combined (the lower row's
 * names win where it has one). */
static void try_header(const struct sheet *s, size_t r, int two, struct header_try *t)
{
	for (int f = 0; f < SF__MAX; f++)
		t->col[f] = -1;
	t->score = 0;
	t->rows = two ? 2 : 1;
	uint32_t w = s->rows[r].n;
	if (two && s->rows[r + 1].n > w)
		w = s->rows[r + 1].n;
	for (uint32_t c = 0; c < w; c++) {
		enum sheet_field f = SF__MAX;
		if (two)
			f = classify(sheet_cell(s, r + 1, c));
		if (f == SF__MAX)
			f = classify(sheet_cell(s, r, c));
		if (f != SF__MAX && t->col[f] < 0) {
			t->col[f] = (int)c;
			t->score++;
		}
	}
	if (t->col[SF_PROBLEM] < 0)
		t->score = 0;
}

/* ---- values ------------------------------------------------------------- */

static const char *trim(struct arena *a, const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;
	while (i < n) {
		int l = text_utf8_next(s + i, n - i, &cp);
		if (l <= 0 || !(text_is_space(cp) || cp == '\n' || cp == '\r'))
			break;
		i += (size_t)l;
	}
	while (n > i) {
		size_t b = text_utf8_back(s, n);
		text_utf8_next(s + b, n - b, &cp);
		if (!(text_is_space(cp) || cp == '\n' || cp == '\r'))
			break;
		n = b;
	}
	return arena_strndup(a, s + i, n - i);
}

/* The first name of a list ("办公室、人事科" -> "办公室"). */
static const char *first_name(struct arena *a, const char *s)
{
	return arena_strndup(a, s, text_list_first(s));
}

static int days_in_month(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Read up to 4 digits at s[*i]. */
static int num_at(const char *s, size_t *i, int max_digits)
{
	int v = 0, k = 0;
	while (s[*i] >= '0' && s[*i] <= '9' && k < max_digits) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k ? v : -1;
}

/*
 * A deadline cell to "YYYY-MM-DD", "长期坚持" or "立行立改" in out ("" for an
 * empty cell).  Returns 0, or -1 when it cannot be read.
 */
static int norm_deadline(const char *cell, int year, char *out, size_t size)
{
	out[0] = '\0';
	if (!*cell)
		return 0;
	char *norm = doc_normalise(cell, strlen(cell));   /* full-width digits made ASCII */
	const char *s = norm;
	size_t i = 0;
	int y = num_at(s, &i, 4);
	int sep = s[i] == '-' || s[i] == '/' || s[i] == '.';
	if (y >= 1900 && i == 4 && (sep || strncmp(s + i, "年", 3) == 0)) {
		i += sep ? 1 : 3;
		int m = num_at(s, &i, 2), d = -1;
		if (m >= 1 && m <= 12) {
			if (s[i] == '-' || s[i] == '/' || s[i] == '.' || strncmp(s + i, "月", 3) == 0) {
				i += s[i] == '-' || s[i] == '/' || s[i] == '.' ? 1 : 3;
				size_t j = i;
				int dd = num_at(s, &j, 2);
				if (dd >= 1 && dd <= days_in_month(y, m))
					d = dd;
			}
			/* "2024年6月", "2024年6月底前", "2024-06": the month's last day. */
			if (d < 0 && (s[i] == '\0' || strncmp(s + i, "底", 3) == 0 ||
				      strncmp(s + i, "前", 3) == 0 || strncmp(s + i, "末", 3) == 0))
				d = days_in_month(y, m);
		}
		if (d > 0) {
			snprintf(out, size, "%04d-%02d-%02d", y, m, d);
			free(norm);
			return 0;
		}
	}
	struct doc_deadline dl;
	int ok = doc_deadline_parse(s, strlen(s), year, &dl);
	free(norm);
	if (!ok)
		return -1;
	if (dl.kind == DOC_DEADLINE_ONGOING)
		snprintf(out, size, "长期坚持");
	else if (dl.kind == DOC_DEADLINE_IMMEDIATE)
		snprintf(out, size, "立行立改");
	else if (dl.date[0])
		snprintf(out, size, "%s", dl.date);
	else
		return -1;
	return 0;
}

/* A status cell to 未启动, 整改中 or 已销号 ("" for an empty cell); NULL
 * when it cannot be read. */
static const char *norm_status(const char *cell)
{
	static const struct {
		const char *word, *status;
	} words[] = {
		/* checked in order: the negatives before the words they contain */
		{"申请销号", "整改中"}, {"未销号", "整改中"}, {"未完成", "整改中"},
		{"未启动", "未启动"}, {"未开始", "未启动"}, {"未整改", "未启动"},
		{"已销号", "已销号"}, {"销号", "已销号"}, {"已完成", "已销号"}, {"已整改", "已销号"},
		{"整改完成", "已销号"}, {"办结", "已销号"}, {"阶段性完成", "整改中"},
		{"基本完成", "整改中"}, {"部分完成", "整改中"}, {"完成", "已销号"},
		{"整改中", "整改中"}, {"正在整改", "整改中"}, {"推进中", "整改中"},
		{"持续推进", "整改中"}, {"进行中", "整改中"}, {"长期坚持", "整改中"},
		{"逾期", "整改中"}, {"超期", "整改中"},
	};
	if (!*cell)
		return "";
	if (strcmp(cell, "是") == 0 || strcasecmp(cell, "TRUE") == 0)
		return "已销号";
	if (strcmp(cell, "否") == 0 || strcasecmp(cell, "FALSE") == 0)
		return "整改中";
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (strstr(cell, words[i].word))
			return words[i].status;
	return NULL;
}

static int is_total(const char *s)
{
	return strcmp(s, "合计") == 0 || strcmp(s, "总计") == 0 || strcmp(s, "小计") == 0 ||
	       strcmp(s, "合  计") == 0;
}

/* ---- mapping --------------------------------------------------------------- */

void sheet_ledger_release(struct sheet_ledger *l)
{
	if (l)
		arena_release(&l->arena);
}

enum rc sheet_ledger_map(const struct sheet *s, int year, struct sheet_ledger *out,
			 struct err *e)
{
	memset(out, 0, sizeof *out);
	for (int f = 0; f < SF__MAX; f++)
		out->col[f] = -1;
	struct header_try best = {.score = 0};
	size_t best_r = 0;
	for (size_t r = 0; r < s->n_rows && r < 20; r++) {
		for (int two = 0; two <= 1; two++) {
			if (two && r + 1 >= s->n_rows)
				continue;
			struct header_try t;
			try_header(s, r, two, &t);
			if (t.score > best.score) {
				best = t;
				best_r = r;
			}
		}
	}
	if (best.score < 2)
		return ERR(e, RC_INVALID, "no header row names a problem column (问题表现, 问题, "
			   "存在问题 …) and another column of a 整改台账 in the first 20 rows");
	memcpy(out->col, best.col, sizeof out->col);
	size_t hr = best_r + (size_t)best.rows - 1;
	out->header_num = s->rows[hr].num;
	for (int f = 0; f < SF__MAX; f++) {
		if (out->col[f] < 0)
			continue;
		const char *h = sheet_cell(s, hr, (uint32_t)out->col[f]);
		if ((int)classify(h) != f && best.rows == 2)
			h = sheet_cell(s, best_r, (uint32_t)out->col[f]);
		out->header[f] = arena_strdup(&out->arena, h);
	}

	struct arena *a = &out->arena;
	/* The title: a row above the header holding one text (merged across)
	 * that names no field (the upper row of a two-row header may be one
	 * heading over merged cells). */
	out->title = "";
	for (size_t r = 0; r < hr && !*out->title; r++) {
		const char *one = NULL;
		bool same = true;
		for (uint32_t c = 0; c < s->rows[r].n && same; c++) {
			const char *v = s->rows[r].v[c];
			if (*v && one && strcmp(one, v) != 0)
				same = false;
			else if (*v)
				one = v;
		}
		if (one && same && classify(one) == SF__MAX)
			out->title = trim(a, one);
	}
	char *nt = doc_normalise(out->title, strlen(out->title));
	int title_year = out->year = doc_year_in(nt);
	free(nt);
	size_t cap = s->n_rows > hr ? s->n_rows - hr : 1;
	out->rows = arena_alloc(a, cap * sizeof *out->rows);
	out->nums = arena_alloc(a, cap * sizeof *out->nums);
	out->bad = arena_alloc(a, cap * sizeof *out->bad);
	const char *area = "";
	const struct sheet_merge *last_merge = NULL;
	int last_merge_bad = 0;
	struct buf join = BUF_INIT(0);
	for (size_t r = hr + 1; r < s->n_rows; r++) {
		const struct sheet_row *row = &s->rows[r];
		const char *v[SF__MAX];
		int filled = 0;
		const char *same = NULL;
		int all_same = 1;
		for (int f = 0; f < SF__MAX; f++) {
			v[f] = out->col[f] >= 0 ? trim(a, sheet_cell(s, r, (uint32_t)out->col[f])) : "";
			if (*v[f] && f != SF_SEQ) {
				filled++;
				if (same && strcmp(same, v[f]) != 0)
					all_same = 0;
				same = v[f];
			}
		}
		if (!filled)
			continue;
		if (is_total(v[SF_SEQ]) || is_total(v[SF_AREA]) || is_total(v[SF_PROBLEM]) ||
		    is_total(sheet_cell(s, r, 0)))
			continue;
		if (out->header[SF_PROBLEM] && strcmp(v[SF_PROBLEM], out->header[SF_PROBLEM]) == 0)
			continue;                       /* the header again (printed per page) */
		if ((filled > 1 && all_same) || (filled == 1 && *v[SF_AREA])) {
			area = same;                    /* a heading row: the area of what follows */
			continue;
		}
		/* Rows whose problem cell is one merged range make one task. */
		const struct sheet_merge *m = sheet_merge_at(s, row->num, (uint32_t)out->col[SF_PROBLEM]);
		if (m && m->r1 > m->r0 && m == last_merge) {
			if (last_merge_bad)
				continue;               /* part of a row already reported */
			struct ledger_row *prev = &out->rows[out->n_rows - 1];
			if (*v[SF_MEASURES] && !strstr(prev->measures, v[SF_MEASURES])) {
				buf_reset(&join);
				buf_printf(&join, "%s%s%s", prev->measures, *prev->measures ? "\n" : "",
					   v[SF_MEASURES]);
				prev->measures = arena_strndup(a, join.p, join.len);
			}
			if (*v[SF_PROGRESS] && !strstr(prev->progress, v[SF_PROGRESS])) {
				buf_reset(&join);
				buf_printf(&join, "%s%s%s", prev->progress, *prev->progress ? "\n" : "",
					   v[SF_PROGRESS]);
				prev->progress = arena_strndup(a, join.p, join.len);
			}
			continue;
		}
		last_merge = m && m->r1 > m->r0 ? m : NULL;
		last_merge_bad = 0;

		const char *why = NULL;
		char dl[32], buf[256];
		const char *status = norm_status(v[SF_STATUS]);
		if (!*v[SF_PROBLEM]) {
			why = "问题表现为空";
		} else if (norm_deadline(v[SF_DEADLINE], year, dl, sizeof dl) < 0) {
			snprintf(buf, sizeof buf, "整改时限“%.80s”无法识别（应为日期、长期坚持或立行立改）",
				 v[SF_DEADLINE]);
			why = buf;
		} else if (!status) {
			snprintf(buf, sizeof buf, "整改状态“%.80s”无法识别（应为未启动、整改中或已销号）",
				 v[SF_STATUS]);
			why = buf;
		}
		if (why) {
			last_merge_bad = 1;
			struct sheet_bad *b = &out->bad[out->n_bad++];
			b->num = row->num;
			b->why = arena_strdup(a, why);
			continue;
		}
		struct ledger_row *lr = &out->rows[out->n_rows];
		out->nums[out->n_rows++] = row->num;
		lr->area = *v[SF_AREA] ? v[SF_AREA] : area;
		lr->problem = v[SF_PROBLEM];
		lr->measures = v[SF_MEASURES];
		lr->goal = v[SF_GOAL];
		lr->leader = first_name(a, v[SF_LEADER]);
		lr->unit = first_name(a, v[SF_UNIT]);
		lr->deadline = arena_strdup(a, dl);
		lr->status = status;
		lr->progress = v[SF_PROGRESS];
	}
	buf_release(&join);
	/* No year in the title: the earliest deadline's (they are normalised:
	 * YYYY-MM-DD, 长期坚持 or 立行立改). */
	for (size_t i = 0; !title_year && i < out->n_rows; i++) {
		const char *dl = out->rows[i].deadline;
		int y = dl[0] >= '1' && dl[0] <= '9' ? atoi(dl) : 0;
		if (y && (!out->year || y < out->year))
			out->year = y;
	}
	return RC_OK;
}
