/*
 * export_xlsx.c -- the ledger as a workbook (libxlsxwriter) and as CSV.
 *
 * The workbook is written in libxlsxwriter's constant-memory mode: rows go
 * to disk as they come from the caller's iterator, strings inline, so the
 * memory used does not grow with the ledger.  Sheets, in order:
 *
 *   整改台账   title row (merged), header row frozen with an autofilter, one
 *              row per task with wrapped text (enum export_col: 承办人,
 *              销号时间, 审核意见 and 备注 among them; the task's own
 *              measures, export_task_measures); the light as a coloured
 *              cell; printed landscape on A4, one page wide, header rows
 *              repeated
 *   承诺事项   each commitment: requirement, current period, count against
 *              the share due so far (序时进度), met or behind, who is behind
 *   汇总       totals of the campaign, then by area and by unit
 *   状态变更   every status change: task 序号, when (as the task page says it), who, action, from, to, note
 *
 * Cells longer than Excel's 32,767 characters are cut there with "…".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "export.h"
#include "text.h"

#define XL_CELL_MAX 32767

struct xfmt {
	lxw_format *title, *sub, *head, *text, *center, *num, *pct, *light[LIGHT__MAX];
};

static lxw_format *fmt_new(lxw_workbook *wb, const char *font, double size, int bold)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, font);
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	return f;
}

static lxw_format *cell_fmt(lxw_workbook *wb, int center)
{
	lxw_format *f = fmt_new(wb, "宋体", 10.5, 0);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_text_wrap(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (center)
		format_set_align(f, LXW_ALIGN_CENTER);
	return f;
}

static void make_formats(lxw_workbook *wb, struct xfmt *x)
{
	x->title = fmt_new(wb, "方正小标宋简体", 18, 0);
	format_set_align(x->title, LXW_ALIGN_CENTER);
	format_set_align(x->title, LXW_ALIGN_VERTICAL_CENTER);
	x->sub = fmt_new(wb, "宋体", 10.5, 0);
	format_set_align(x->sub, LXW_ALIGN_RIGHT);
	x->head = fmt_new(wb, "黑体", 11, 0);
	format_set_border(x->head, LXW_BORDER_THIN);
	format_set_text_wrap(x->head);
	format_set_align(x->head, LXW_ALIGN_CENTER);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(x->head, 0xD9E1F2);
	x->text = cell_fmt(wb, 0);
	x->center = cell_fmt(wb, 1);
	x->num = cell_fmt(wb, 1);
	x->pct = cell_fmt(wb, 1);
	format_set_num_format(x->pct, "0.0%");
	x->light[LIGHT_NONE] = x->center;
	static const lxw_color_t bg[LIGHT__MAX] = {0, 0x2E9D4A, 0xF5C518, 0xD93025, 0x5F6B78};
	for (int l = LIGHT_GREEN; l < LIGHT__MAX; l++) {
		x->light[l] = cell_fmt(wb, 1);
		format_set_bg_color(x->light[l], bg[l]);
		format_set_bold(x->light[l]);
		format_set_font_color(x->light[l], l == LIGHT_YELLOW ? 0x000000 : LXW_COLOR_WHITE);
	}
}

/* A string cell, cut at Excel's limit. */
static void put(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
	s = s ? s : "";
	size_t n = strlen(s);
	if (n > XL_CELL_MAX && text_utf8_count(s, n) > XL_CELL_MAX) {
		size_t off = 0, chars = 0;
		while (off < n && chars < XL_CELL_MAX - 1) {
			off += (size_t)text_utf8_len((unsigned char)s[off]);
			chars++;
		}
		char *cut = xmalloc(off + 4);
		memcpy(cut, s, off);
		memcpy(cut + off, "…", 4);
		worksheet_write_string(ws, r, c, cut, f);
		free(cut);
		return;
	}
	if (*s)
		worksheet_write_string(ws, r, c, s, f);
	else
		worksheet_write_blank(ws, r, c, f);
}

/* Display width of s in narrow characters: CJK and other wide characters
 * count two. */
static size_t display_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int l = text_utf8_next(s + i, n - i, &cp);
		if (l <= 0)
			break;
		w += cp >= 0x1100 ? 2 : 1;
		i += (size_t)l;
	}
	return w;
}

/* Lines a wrapped cell of the given column width takes. */
static int cell_lines(const char *s, double width)
{
	if (!s || !*s)
		return 1;
	size_t per = width > 3 ? (size_t)(width - 2) : 1;
	int lines = 0;
	for (const char *p = s;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t w = display_width(p, n);
		lines += (int)((w + per - 1) / per);
		if (w == 0)
			lines++;
		if (!nl || lines > 60)
			break;
		p = nl + 1;
	}
	return lines ? lines : 1;
}

static void page_setup(lxw_worksheet *ws, int landscape, lxw_row_t repeat_to)
{
	worksheet_set_paper(ws, 9);     /* A4 */
	if (landscape)
		worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
	worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
	if (repeat_to)
		worksheet_repeat_rows(ws, 0, repeat_to);
}

static const char *period_word(enum doc_period p)
{
	static const char *const w[DOC_PERIOD__MAX] = {"每年", "每半年", "每季度", "每月",
						       "每周", "累计"};
	return (unsigned)p < DOC_PERIOD__MAX ? w[p] : "";
}

/* "每人每年不少于2篇" */
static void requirement(const struct commitment *c, char *out, size_t size)
{
	snprintf(out, size, "%s%s不少于%d%s", c->per == DOC_PER_MEMBER ? "每人" : "",
		 period_word(c->period), c->min, c->unit && *c->unit ? c->unit : "次");
}

static enum rc sheet_ledger(lxw_workbook *wb, const struct export_ledger *l, struct xfmt *x,
			    struct err *e)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "整改台账");
	static const double widths[ECOL__MAX] = {
		[ECOL_SEQ] = 5, [ECOL_AREA] = 12, [ECOL_PROBLEM] = 30, [ECOL_MEASURES] = 30,
		[ECOL_GOAL] = 14, [ECOL_LEADER] = 8, [ECOL_UNIT] = 10, [ECOL_HANDLERS] = 9,
		[ECOL_DEADLINE] = 11, [ECOL_PROGRESS] = 28, [ECOL_STATUS] = 8,
		[ECOL_CLOSED_AT] = 11, [ECOL_REVIEW] = 20, [ECOL_LIGHT] = 6, [ECOL_EVIDENCE] = 6,
		[ECOL_NOTE] = 14};
	for (int c = 0; c < ECOL__MAX; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
	char day[32];
	struct export_names names;
	export_names(l->title, NULL, &names);
	worksheet_set_row(ws, 0, 36, NULL);
	worksheet_merge_range(ws, 0, 0, 0, ECOL__MAX - 1, names.ledger, x->title);
	export_day_cn(l->as_of, day, sizeof day);
	char sub[96];
	snprintf(sub, sizeof sub, "截至%s", day);
	worksheet_merge_range(ws, 1, 0, 1, ECOL__MAX - 1, sub, x->sub);
	worksheet_set_row(ws, 2, 30, NULL);
	for (int c = 0; c < ECOL__MAX; c++)
		put(ws, 2, (lxw_col_t)c, export_col_name((enum export_col)c), x->head);
	lxw_row_t r = 3;
	struct buf own = BUF_INIT(0), review = BUF_INIT(0), note = BUF_INIT(0);
	enum rc rc = RC_OK;
	for (;;) {
		const struct export_row *row;
		if ((rc = l->next(l->ctx, &row, e)) || !row)
			break;
		if (r >= LXW_ROW_MAX) {
			rc = ERR(e, RC_TOOBIG, "the ledger has more rows than a sheet holds");
			break;
		}
		buf_reset(&own);
		export_task_measures(row->problem, row->measures, &own);
		buf_reset(&review);
		export_row_review(row, l->as_of, &review);
		buf_reset(&note);
		export_row_note(row, &note);
		const char *ms = own.p ? own.p : "", *rv = review.p ? review.p : "",
			   *nt = note.p ? note.p : "";
		/* Row height from the tallest wrapped cell: office suites do not
		 * fit rows of a generated sheet on their own. */
		const struct {
			enum export_col col;
			const char *text;
		} wrapped[] = {{ECOL_AREA, row->area},         {ECOL_PROBLEM, row->problem},
			       {ECOL_MEASURES, ms},            {ECOL_GOAL, row->goal},
			       {ECOL_UNIT, row->unit},         {ECOL_HANDLERS, row->handlers},
			       {ECOL_DEADLINE, row->deadline}, {ECOL_PROGRESS, row->progress},
			       {ECOL_CLOSED_AT, row->closed_at}, {ECOL_REVIEW, rv},
			       {ECOL_NOTE, nt}};
		int lines = 1;
		for (size_t k = 0; k < ARRAY_LEN(wrapped); k++) {
			int n = cell_lines(wrapped[k].text, widths[wrapped[k].col]);
			if (n > lines)
				lines = n;
		}
		double height = 14.0 * lines + 4;
		worksheet_set_row(ws, r, height > 409 ? 409 : height, NULL);
		worksheet_write_number(ws, r, ECOL_SEQ, row->seq, x->center);
		put(ws, r, ECOL_AREA, row->area, x->text);
		put(ws, r, ECOL_PROBLEM, row->problem, x->text);
		put(ws, r, ECOL_MEASURES, ms, x->text);
		put(ws, r, ECOL_GOAL, row->goal, x->text);
		put(ws, r, ECOL_LEADER, row->leader, x->center);
		put(ws, r, ECOL_UNIT, row->unit, x->center);
		put(ws, r, ECOL_HANDLERS, row->handlers, x->center);
		put(ws, r, ECOL_DEADLINE, row->deadline, x->center);
		put(ws, r, ECOL_PROGRESS, row->progress, x->text);
		put(ws, r, ECOL_STATUS, task_status_name(row->status), x->center);
		put(ws, r, ECOL_CLOSED_AT, row->closed_at, x->center);
		put(ws, r, ECOL_REVIEW, rv, x->text);
		enum light li = (unsigned)row->light < LIGHT__MAX ? row->light : LIGHT_NONE;
		put(ws, r, ECOL_LIGHT, light_name_zh(li), x->light[li]);
		worksheet_write_number(ws, r, ECOL_EVIDENCE, row->n_evidence, x->center);
		put(ws, r, ECOL_NOTE, nt, x->text);
		r++;
	}
	buf_release(&own);
	buf_release(&review);
	buf_release(&note);
	if (rc)
		return rc;
	worksheet_freeze_panes(ws, 3, 1);
	worksheet_autofilter(ws, 2, 0, r > 3 ? r - 1 : 3, ECOL__MAX - 1);
	page_setup(ws, 1, 2);
	return RC_OK;
}

static void sheet_commitments(lxw_workbook *wb, const struct export_ledger *l, struct xfmt *x)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "承诺事项");
	static const char *const head[] = {"序号", "承诺内容", "事项", "要求", "当前周期",
					   "本期完成", "序时应完成", "落实情况", "落后人员",
					   "落后周期数", "累计活动"};
	static const double widths[] = {6, 44, 18, 18, 24, 10, 10, 12, 20, 10, 10};
	for (size_t c = 0; c < ARRAY_LEN(head); c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
	worksheet_merge_range(ws, 0, 0, 0, ARRAY_LEN(head) - 1, "承诺事项落实情况", x->title);
	worksheet_set_row(ws, 0, 32, NULL);
	for (size_t c = 0; c < ARRAY_LEN(head); c++)
		put(ws, 1, (lxw_col_t)c, head[c], x->head);
	lxw_row_t r = 2;
	for (size_t i = 0; l->commitments && i < l->commitments->n; i++, r++) {
		const struct commitment *c = &l->commitments->v[i];
		char req[96], period[48], a[11], b[11], who[1024];
		requirement(c, req, sizeof req);
		const struct compliance *cur = NULL;
		int behind_periods = 0;
		for (size_t k = 0; k < c->n_periods; k++) {
			if (c->periods[k].current)
				cur = &c->periods[k];
			else if (c->periods[k].behind)
				behind_periods++;
		}
		if (!cur && c->n_periods)
			cur = &c->periods[c->n_periods - 1];
		worksheet_write_number(ws, r, 0, (double)(i + 1), x->center);
		put(ws, r, 1, c->text, x->text);
		put(ws, r, 2, c->subject, x->text);
		put(ws, r, 3, req, x->center);
		if (cur) {
			store_day_format(cur->start, a);
			store_day_format(cur->end, b);
			snprintf(period, sizeof period, "%s至%s", a, b);
			put(ws, r, 4, period, x->center);
			worksheet_write_number(ws, r, 5, cur->count, x->center);
			worksheet_write_number(ws, r, 6, cur->expected, x->center);
			const char *state = cur->met ? "已达标" : cur->behind ? "落后" :
					    cur->current ? "进行中" : "未达标";
			put(ws, r, 7, state, cur->behind ? x->light[LIGHT_RED] :
					      cur->met ? x->light[LIGHT_GREEN] : x->center);
			size_t o = 0;
			who[0] = '\0';
			for (size_t k = 0; k < cur->n_behind_who && o + 2 < sizeof who; k++)
				o += (size_t)snprintf(who + o, sizeof who - o, "%s%s", k ? "、" : "",
						      cur->behind_who[k]);
			put(ws, r, 8, who, x->text);
		} else {
			for (lxw_col_t k = 4; k <= 8; k++)
				put(ws, r, k, "", x->center);
		}
		worksheet_write_number(ws, r, 9, behind_periods, x->center);
		worksheet_write_number(ws, r, 10, c->n_activities, x->center);
	}
	worksheet_freeze_panes(ws, 2, 0);
	page_setup(ws, 1, 1);
}

static void group_rows(lxw_worksheet *ws, lxw_row_t *r, const char *what,
		       const struct dash_group *g, size_t n, struct xfmt *x)
{
	static const char *const head[] = {"", "事项数", "已销号", "阶段性完成", "未完成",
					   "红灯", "黄灯", "绿灯", "销号率", "转入下一批次"};
	for (size_t c = 0; c < ARRAY_LEN(head); c++)
		put(ws, *r, (lxw_col_t)c, c ? head[c] : what, x->head);
	(*r)++;
	for (size_t i = 0; i < n; i++, (*r)++) {
		put(ws, *r, 0, g[i].name && *g[i].name ? g[i].name : "（未分配）", x->text);
		worksheet_write_number(ws, *r, 1, g[i].total, x->num);
		worksheet_write_number(ws, *r, 2, g[i].closed, x->num);
		worksheet_write_number(ws, *r, 3, g[i].staged, x->num);
		worksheet_write_number(ws, *r, 4, g[i].total - g[i].closed - g[i].staged - g[i].carried,
				       x->num);
		worksheet_write_number(ws, *r, 5, g[i].red, x->light[g[i].red ? LIGHT_RED : 0]);
		worksheet_write_number(ws, *r, 6, g[i].yellow, x->num);
		worksheet_write_number(ws, *r, 7, g[i].green, x->num);
		worksheet_write_number(ws, *r, 8, g[i].total ? (double)g[i].closed / g[i].total : 0,
				       x->pct);
		worksheet_write_number(ws, *r, 9, g[i].carried, x->num);
	}
	(*r)++;
}

static void sheet_totals(lxw_workbook *wb, const struct export_ledger *l, struct xfmt *x)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "汇总");
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 9, 11, NULL);
	worksheet_merge_range(ws, 0, 0, 0, 9, "整改进展汇总", x->title);
	worksheet_set_row(ws, 0, 32, NULL);
	lxw_row_t r = 1;
	const struct dashboard *d = l->dash;
	if (d) {
		put(ws, r, 0, "事项总数", x->head);
		worksheet_write_number(ws, r++, 1, d->total, x->num);
		for (int s = 0; s < TASK_STATUS__MAX; s++) {
			put(ws, r, 0, task_status_name((enum task_status)s), x->text);
			worksheet_write_number(ws, r++, 1, d->by_status[s], x->num);
		}
		for (int li = LIGHT_GREEN; li < LIGHT__MAX; li++) {
			put(ws, r, 0, light_name_zh((enum light)li), x->light[li]);
			worksheet_write_number(ws, r++, 1, d->by_light[li], x->num);
		}
		put(ws, r, 0, "销号率", x->text);
		worksheet_write_number(ws, r++, 1,
				       d->total ? (double)d->by_status[TASK_CLOSED] / d->total : 0,
				       x->pct);
		r++;
		group_rows(ws, &r, "问题类别/方面", d->areas, d->n_areas, x);
		group_rows(ws, &r, "责任单位", d->units, d->n_units, x);
	}
	page_setup(ws, 0, 0);
}

static void sheet_events(lxw_workbook *wb, const struct export_ledger *l, struct xfmt *x)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "状态变更");
	static const char *const head[] = {"序号", "时间", "操作人", "操作", "原状态", "新状态",
					   "说明"};
	static const double widths[] = {8, 22, 12, 12, 12, 12, 50};
	for (size_t c = 0; c < ARRAY_LEN(head); c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
		put(ws, 0, (lxw_col_t)c, head[c], x->head);
	}
	lxw_row_t r = 1;
	/* When, as the task's 办理记录 says it (store_day_time).  Changes come in
	 * bursts: the text of the last minute and day seen is kept (zones move
	 * by whole minutes, so seconds change nothing). */
	char at[32] = "", minute[17] = "";
	int32_t day = STORE_NO_DAY;
	for (size_t i = 0; l->events && i < l->events->n && r < LXW_ROW_MAX; i++, r++) {
		const struct event_row *ev = &l->events->v[i];
		const char *iso = ev->ev.at ? ev->ev.at : "";
		if (strlen(iso) < 16 || memcmp(iso, minute, 16) != 0 || ev->ev.day != day) {
			store_day_time(ev->ev.day, iso, l->as_of, at, sizeof at);
			snprintf(minute, sizeof minute, "%.16s", iso);
			day = ev->ev.day;
		}
		worksheet_write_number(ws, r, 0, ev->seq, x->center);
		put(ws, r, 1, at, x->center);
		put(ws, r, 2, ev->ev.actor, x->center);
		put(ws, r, 3, export_event_action(ev->ev.action), x->center);
		put(ws, r, 4, ev->ev.from < TASK_STATUS__MAX ? task_status_name(ev->ev.from) : "",
		    x->center);
		put(ws, r, 5, ev->ev.to < TASK_STATUS__MAX ? task_status_name(ev->ev.to) : "",
		    x->center);
		put(ws, r, 6, ev->ev.reason, x->text);
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, ARRAY_LEN(head) - 1);
	page_setup(ws, 1, 0);
}

enum rc export_ledger_xlsx(const struct export_ledger *l, const char *path, struct err *e)
{
	char *tmp;
	enum rc rc = export_tmp_create(path, &tmp, e);
	if (rc)
		return rc;
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	lxw_workbook *wb = workbook_new_opt(tmp, &opt);
	if (!wb) {
		export_tmp_discard(tmp);
		return ERR(e, RC_IO, "cannot create the workbook %s", path);
	}
	struct export_names names;
	export_names(l->title, NULL, &names);
	lxw_doc_properties props = {.title = names.ledger, .author = "rectify", .company = ""};
	workbook_set_properties(wb, &props);
	struct xfmt x;
	make_formats(wb, &x);
	rc = sheet_ledger(wb, l, &x, e);
	if (!rc) {
		sheet_commitments(wb, l, &x);
		sheet_totals(wb, l, &x);
		sheet_events(wb, l, &x);
	}
	lxw_error le = workbook_close(wb);
	if (!rc && le != LXW_NO_ERROR)
		rc = ERR(e, RC_IO, "cannot write %s: %s", path, lxw_strerror(le));
	if (rc) {
		export_tmp_discard(tmp);
		return rc;
	}
	rc = export_tmp_commit(tmp, path, e);
	free(tmp);
	return rc;
}

/* ---- CSV --------------------------------------------------------------------- */

/* A field, quoted when it must be.  A field that a spreadsheet would take
 * for a formula (= + @ first) gets a leading apostrophe, which spreadsheets
 * hide and the importer drops. */
static void csv_field(struct buf *b, const char *s)
{
	s = s ? s : "";
	if (*s == '=' || *s == '+' || *s == '@')
		buf_putc(b, '\'');
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

enum rc export_ledger_csv(const struct export_ledger *l, const char *path, struct err *e)
{
	char *tmp;
	enum rc rc = export_tmp_create(path, &tmp, e);
	if (rc)
		return rc;
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		export_tmp_discard(tmp);
		return ERR(e, RC_IO, "cannot write %s", path);
	}
	struct buf b = BUF_INIT(0), own = BUF_INIT(0), review = BUF_INIT(0), note = BUF_INIT(0);
	buf_puts(&b, "\xEF\xBB\xBF");
	for (int c = 0; c < ECOL__MAX; c++) {
		if (c)
			buf_putc(&b, ',');
		csv_field(&b, export_col_name((enum export_col)c));
	}
	buf_puts(&b, "\r\n");
	for (;;) {
		const struct export_row *row;
		if ((rc = l->next(l->ctx, &row, e)) || !row)
			break;
		char n[16], ev[16];
		snprintf(n, sizeof n, "%d", row->seq);
		snprintf(ev, sizeof ev, "%d", row->n_evidence);
		buf_reset(&own);
		export_task_measures(row->problem, row->measures, &own);
		buf_reset(&review);
		export_row_review(row, l->as_of, &review);
		buf_reset(&note);
		export_row_note(row, &note);
		const char *cells[ECOL__MAX] = {
			[ECOL_SEQ] = n, [ECOL_AREA] = row->area, [ECOL_PROBLEM] = row->problem,
			[ECOL_MEASURES] = own.p, [ECOL_GOAL] = row->goal,
			[ECOL_LEADER] = row->leader, [ECOL_UNIT] = row->unit,
			[ECOL_HANDLERS] = row->handlers, [ECOL_DEADLINE] = row->deadline,
			[ECOL_PROGRESS] = row->progress, [ECOL_STATUS] = task_status_name(row->status),
			[ECOL_CLOSED_AT] = row->closed_at, [ECOL_REVIEW] = review.p,
			[ECOL_LIGHT] = light_name_zh((unsigned)row->light < LIGHT__MAX ? row->light
										: LIGHT_NONE),
			[ECOL_EVIDENCE] = ev, [ECOL_NOTE] = note.p,
		};
		for (int c = 0; c < ECOL__MAX; c++) {
			if (c)
				buf_putc(&b, ',');
			csv_field(&b, cells[c]);
		}
		buf_puts(&b, "\r\n");
		if (b.len > (1u << 20)) {
			if (buf_write(&b, f)) {
				rc = ERR(e, RC_IO, "cannot write %s", path);
				break;
			}
			buf_reset(&b);
		}
	}
	if (!rc && buf_write(&b, f))
		rc = ERR(e, RC_IO, "cannot write %s", path);
	buf_release(&b);
	buf_release(&own);
	buf_release(&review);
	buf_release(&note);
	if (fclose(f) != 0 && !rc)
		rc = ERR(e, RC_IO, "cannot write %s", path);
	if (rc) {
		export_tmp_discard(tmp);
		return rc;
	}
	rc = export_tmp_commit(tmp, path, e);
	free(tmp);
	return rc;
}
