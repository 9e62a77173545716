/*
 * export.h -- the ledger and its progress report in office formats.
 *
 *   export_ledger_xlsx()   the 整改台账 as a workbook (libxlsxwriter): the
 *                          ledger sheet, commitments and compliance, totals
 *                          by area and unit, the status history
 *   export_ledger_csv()    the ledger sheet as CSV, UTF-8 with a BOM
 *   export_report()        the 整改落实情况报告: .docx in the official document
 *                          format of GB/T 9704-2012 (written with libzip; the
 *                          XML is ours), Markdown, or HTML with inline SVG
 *   export_json_task()     a task and a page of the task list as JSON
 *   export_json_task_list()  (docs/LEDGER-JSON.md), for `--json` and the API
 *
 * The writers never touch the database.  The caller fills a struct
 * export_ledger: the campaign, the figures (dashboard, commitments, status
 * history) and a callback that hands out the task rows one at a time in 序号
 * order, so that a ledger of 100,000 tasks is streamed, never held whole.
 * Each export reads the rows once.
 * cli_office.c fills it from store.h; the tests from arrays.
 *
 * Every file is written beside its destination under a temporary name,
 * flushed to disk and renamed into place: a failed export leaves nothing
 * behind and never a half-written file.
 */
#ifndef RECTIFY_EXPORT_H
#define RECTIFY_EXPORT_H

#include <stdint.h>

#include "buf.h"
#include "store.h"
#include "util.h"

struct export_ledger {
	const char *title;              /* the campaign's title */
	const char *report_title;       /* the report's title when the office set one,
	                                   else NULL or "" (export_names) */
	int year;
	int32_t as_of;                  /* the day lights and compliance are computed for */
	/* The next task row in 序号 order: RC_OK with *row set, or RC_OK with
	 * *row = NULL at the end.  The row stays valid until the next call. */
	enum rc (*next)(void *ctx, const struct export_row **row, struct err *e);
	void *ctx;
	const struct dashboard *dash;              /* totals; may be NULL */
	const struct commitment_list *commitments; /* may be NULL */
	const struct event_list *events;           /* status history; may be NULL */
	/* The report only: 主送机关 and 发文机关署名 (NULL or "" when not set),
	 * and whether it draws its charts (1) or leaves them out (0). */
	const char *report_to, *signer;
	int charts;
};

enum export_format { EXPORT_XLSX, EXPORT_CSV, EXPORT_DOCX, EXPORT_MD, EXPORT_HTML, EXPORT__MAX };
/* "xlsx", "csv", "docx", "md" (or "markdown"), "html".  0 on success, -1 if unknown. */
int export_format_parse(const char *s, enum export_format *out);
const char *export_format_name(enum export_format f);

/* The columns of the ledger sheet, in order (序号, 问题类别/方面, 问题表现, …);
 * the importer recognises them among its header variants, and passes over
 * those it does not import (承办人, 销号时间, 审核意见, 红黄绿灯, 佐证材料数,
 * 备注). */
enum export_col {
	ECOL_SEQ, ECOL_AREA, ECOL_PROBLEM, ECOL_MEASURES, ECOL_GOAL, ECOL_LEADER, ECOL_UNIT,
	ECOL_HANDLERS, ECOL_DEADLINE, ECOL_PROGRESS, ECOL_STATUS, ECOL_CLOSED_AT, ECOL_REVIEW,
	ECOL_LIGHT, ECOL_EVIDENCE, ECOL_NOTE, ECOL__MAX
};
const char *export_col_name(enum export_col c);

/* The text of a row's cells that are made from several facts, appended to
 * out:
 *   审核意见  the reviewers' latest decision: when (store_day_time on a ledger
 *            whose today is today: its day, with the local time when that
 *            agrees with the day), who, what, and the opinion:
 *            "2024-02-05 10:30 沈审 退回：佐证材料不全"; "" when none
 *   备注      what the other columns do not say, "；" between: where a task
 *            carried over came from ("由2023年度第5项转入"), where it went
 *            on ("已转入2025年度第3项"), an extension waiting for a decision
 *            ("申请延期至2024-08-31，待审批"); "" when nothing */
void export_row_review(const struct export_row *r, int32_t today, struct buf *out);
void export_row_note(const struct export_row *r, struct buf *out);
/* What a status change did, in Chinese: "申请销号", "批准延期", "导入" … */
const char *export_event_action(const char *action);

/*
 * Write the ledger workbook to path: sheet 整改台账 (a title row, the header
 * frozen with an autofilter, wrapped text, the light as a coloured cell),
 * 承诺事项 (each commitment's compliance in its current period and the
 * periods behind), 汇总 (totals by area and by unit), 状态变更 (the status
 * history).  Sheets whose data is NULL are written empty but present.
 * Errors: whatever l->next returns; RC_IO when the file cannot be written
 * (e->msg names it).
 */
enum rc export_ledger_xlsx(const struct export_ledger *l, const char *path, struct err *e);

/* The ledger sheet as CSV: UTF-8 with a byte-order mark (so that Excel and
 * WPS take it as UTF-8), a header row, CRLF line ends, fields quoted when
 * they hold a comma, a quote or a line break.  Errors as above. */
enum rc export_ledger_csv(const struct export_ledger *l, const char *path, struct err *e);

/*
 * The 整改落实情况报告 of the ledger as of l->as_of, in format f (EXPORT_DOCX,
 * EXPORT_MD or EXPORT_HTML): overall progress with figures, each area's
 * completed and remaining tasks (with why they remain), commitments met and
 * missed, next steps, then the ledger table as an appendix.  The .docx
 * follows GB/T 9704-2012 (A4, margins 37/35/28/26 mm, a 小标宋 2号 title,
 * 仿宋_GB2312 3号 body on a grid of 22 lines of 28 characters, 黑体 and
 * 楷体_GB2312 headings, page numbers "— 1 —" in 宋体 4号 on the outer side)
 * and embeds its charts as DrawingML charts; HTML embeds them as SVG.
 * Errors as above; RC_INVALID for another format.
 */
enum rc export_report(const struct export_ledger *l, enum export_format f, const char *path,
		      struct err *e);

/* ---- shared by the export_*.c files ------------------------------------ */

/* A temporary file name beside path ("DIR/.NAME.XXXXXX"), created empty
 * with mode 0644; the caller frees the name.  RC_IO when the directory
 * cannot be written. */
enum rc export_tmp_create(const char *path, char **tmp, struct err *e);
/* fsync tmp and rename it to path; on failure tmp is removed.  RC_IO. */
enum rc export_tmp_commit(const char *tmp, const char *path, struct err *e);
/* Remove a temporary file after a failure (NULL is fine); frees tmp. */
void export_tmp_discard(char *tmp);

/*
 * What the office files are called, from the campaign's title -- a campaign
 * made from a report is named after the material ("县局领导班子2023年度民主
 * 生活会对照检查材料（五个带头）", "张三同志…个人对照检查材料", "…关于县委
 * 第二巡察组反馈意见的整改方案").  The name drops bracketed tags （五个带头）,
 * what comes before 关于, and the names of the material itself (对照检查材料,
 * 检视剖析材料, 发言提纲, 整改方案, 整改台账, a trailing 个人 / 班子 / 的):
 * "县局领导班子2023年度民主生活会".  A name that ends in 会 is a meeting:
 *   title   关于县局领导班子2023年度民主生活会查摆问题整改落实情况的报告
 *   ledger  县局领导班子2023年度民主生活会查摆问题整改台账
 *   opening 自县局领导班子2023年度民主生活会召开以来，班子对照查摆出的问题
 * otherwise (feedback of a 巡察, a ledger):
 *   title   关于县委第二巡察组反馈意见整改落实情况的报告
 *   ledger  县委第二巡察组反馈意见整改台账
 *   opening 针对县委第二巡察组反馈意见指出的问题，班子
 * (…所列问题 when the name speaks of no 反馈).  A personal material (个人)
 * says 本人 instead of 班子.  title_override, when not empty, is the title
 * (the campaign's report_title).  "" gives "民主生活会".
 */
struct export_names {
	char name[512];
	char title[640];
	char ledger[640];
	char opening[768];
};
void export_names(const char *material, const char *title_override, struct export_names *out);

/*
 * A title broken into lines at its phrase boundaries for a line of max_half
 * half-width units (a Chinese character is 2), the lines joined by '\n' and
 * appended to out; returns the number of lines.  GB/T 9704's rule: whole
 * phrases on each line, the fewest lines that fit, balanced, in a
 * trapezoid or diamond (export_title.c says how).  A title that fits stays
 * whole.  EXPORT_TITLE_HALF is the line of the .docx title: 2号 on 156 mm
 * holds 20 characters, less the room LibreOffice and Word put between
 * Chinese and digits.
 */
#define EXPORT_TITLE_HALF 38
size_t export_title_break(const char *title, int max_half, struct buf *out);

/*
 * The measures of a row that answer its problem, appended to out: of the
 * text of the task's linked measures (one a line), the sentences that share
 * the most rare character pairs with the problem -- those scoring at least
 * EXPORT_MEASURE_SHARE percent of the best, at most EXPORT_MEASURE_SENTENCES
 * -- in their order, labels such as （一） dropped.  Measures of at most
 * EXPORT_MEASURE_WHOLE characters, or with no sentence sharing a pair with
 * the problem, are kept whole.  export_measure.c says why.
 */
#define EXPORT_MEASURE_WHOLE 120
#define EXPORT_MEASURE_SHARE 60
#define EXPORT_MEASURE_SENTENCES 3
void export_task_measures(const char *problem, const char *measures, struct buf *out);

/* "2024年6月30日" for a day (out holds at least 32 bytes). */
void export_day_cn(int32_t day, char *out, size_t size);

/* ---- the ledger as JSON (export_json.c, docs/LEDGER-JSON.md) ---- */

/* One task (store_task_get) as a JSON object: `rectify task show --json`
 * and GET /api/v1/tasks/:id.  Appends to b; no newline. */
void export_json_task(struct buf *b, const struct task *t);
/* A page of the task list as {"total","page","per_page","tasks":[…]}:
 * `rectify task list --json` and GET /api/v1/tasks.  f is the filter the
 * page was read with (its page and per_page are printed). */
void export_json_task_list(struct buf *b, const struct task_list *l, const struct task_filter *f);
/* A day as "YYYY-MM-DD", or null for STORE_NO_DAY. */
void export_json_day(struct buf *b, int32_t day);

#endif
