/*
 * page_import.c -- 导入台账: an existing 整改台账 spreadsheet (.xlsx or .csv)
 * imported from the browser, by the office (admins), in three steps:
 *
 *   GET  /tasks/import                 the upload form
 *   POST /tasks/import                 upload: the file is read (sheet.h) and
 *                                      kept (web_stage.c); 303 to the preview
 *   GET  /tasks/import?stage=TOKEN     the preview -- what `rectify
 *                                      import-ledger --dry-run` prints: how
 *                                      the columns were understood, the
 *                                      rows that were not (with why), the
 *                                      units that will be created, the
 *                                      leaders no user answers to, the
 *                                      first rows as they will be imported
 *   POST /tasks/import/confirm         the import, after the admin confirmed
 *
 * Nothing is written before the confirmation, and nothing then unless every
 * row was understood or the admin ticked 跳过无法识别的行.  The confirmation
 * carries a digest of what the preview showed (the file, the campaign, the
 * rows understood and not, the units to create, the leaders left out); the
 * plan is worked out again from the kept file and, when the digest differs
 * (someone added a unit or a user meanwhile), the new preview is shown
 * instead of importing.  The import itself: the missing units, then the
 * rows in one store transaction (store_ledger_import), all or nothing.
 * Leaders are matched to active leader accounts by name or login; a name
 * no account (or more than one) answers to is left out of its rows and
 * listed, as on the command line.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sheet.h"
#include "web_int.h"

enum {
	PREVIEW_ROWS = 10,
	BAD_ROWS_SHOWN = 200,
};

/* What an import of one file would do, worked out without writing. */
struct plan {
	char name[256];                 /* the file's name */
	int64_t campaign;
	struct campaign_list camp;
	struct sheet sh;
	struct sheet_ledger map;
	struct ledger_names names;      /* units to make, leaders no account answers to */
	const char **leaders;           /* each row's leader as the sheet names it */
	struct sheet_bad *bad;          /* map.bad with the rows the store would refuse */
	char digest[crypto_hash_sha256_BYTES * 2 + 1];
};

static void plan_release(struct plan *p)
{
	sheet_ledger_release(&p->map);
	sheet_release(&p->sh);
	campaign_list_release(&p->camp);
	ledger_names_release(&p->names);
	free(p->leaders);
	free(p->bad);
}

/* The sheet reader's refusal, in words for the office. */
static const char *sheet_problem(enum rc rc, const char *msg)
{
	static const struct {
		const char *has, *zh;
	} known[] = {
		{"encrypted workbook or an old .xls", "这是旧版 .xls 或加密的工作簿：请在 Excel 或 WPS 中另存为 .xlsx（或 CSV）后再上传。"},
		{"workbook is encrypted", "工作簿设置了密码：请取消密码后另存，再上传。"},
		{"Word document", "这是 Word 文档，不是表格：请上传 .xlsx 或 .csv 格式的整改台账。"},
		{"PowerPoint", "这是 PowerPoint 演示文稿，不是表格：请上传 .xlsx 或 .csv 格式的整改台账。"},
		{"OpenDocument", "这是 OpenDocument 表格（.ods）：请另存为 .xlsx 后再上传。"},
		{"no header row", "没有找到表头：表格前 20 行中应有一行写明“问题表现”（或“问题”“存在问题”）等列名。"},
		{"no visible sheet", "工作簿中没有可见的工作表。"},
		{"not text", "这个文件不是文本格式的 CSV，也不是 .xlsx 工作簿。"},
	};
	for (size_t i = 0; i < ARRAY_LEN(known); i++)
		if (strstr(msg, known[i].has))
			return known[i].zh;
	switch (rc) {
	case RC_TOOBIG: return "表格超过了导入的上限（文件 16 MB，10 万行，单元格 32767 字）。";
	case RC_MEDIA: return "无法读取：这不是有效的 .xlsx 工作簿，或者文件已损坏、不完整。";
	default: return "无法读取这个表格：请确认它是 .xlsx 或 .csv 格式的整改台账。";
	}
}

static int bad_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct sheet_bad *)a)->num, y = ((const struct sheet_bad *)b)->num;
	return (x > y) - (x < y);
}

/* Rows with a cell the store would refuse (STORE_CELL_MAX bytes) join the
 * rows not understood, so that the import cannot fail on them after the
 * confirmation. */
static void too_long(struct plan *p)
{
	struct sheet_ledger *m = &p->map;
	size_t kept = 0, extra = 0;
	p->bad = xcalloc(m->n_bad + m->n_rows + 1, sizeof *p->bad);
	memcpy(p->bad, m->bad, m->n_bad * sizeof *p->bad);
	for (size_t i = 0; i < m->n_rows; i++) {
		const struct ledger_row *x = &m->rows[i];
		const char *cells[] = {x->area, x->problem, x->measures, x->goal, x->leader,
				       x->unit, x->deadline, x->status, x->progress};
		bool ok = true;
		for (size_t k = 0; k < ARRAY_LEN(cells) && ok; k++)
			ok = !cells[k] || strlen(cells[k]) <= STORE_TEXT_MAX;
		if (!ok) {
			p->bad[m->n_bad + extra++] = (struct sheet_bad){
				m->nums[i], "有单元格超过 " STR(STORE_TEXT_MAX)
				" 字节（一个汉字占 3 字节），请精简或拆分"};
			continue;
		}
		m->rows[kept] = m->rows[i];
		m->nums[kept++] = m->nums[i];
	}
	m->n_rows = kept;
	m->n_bad += extra;
	qsort(p->bad, m->n_bad, sizeof *p->bad, bad_cmp);
	m->bad = p->bad;
}

/*
 * Work out the plan for data (the file named name).  On a file that cannot
 * be read: its rc, with a Chinese message in r->err and the reader's own
 * words in *detail (borrowed from detail_buf).  Release p whatever the rc.
 */
static enum rc plan_make(struct req *r, const char *data, size_t len, const char *name,
			 struct plan *p, char *detail_buf, size_t detail_n)
{
	struct actx *a = ACTX(r);
	const struct who *w = WHO(r);
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name && *name ? name : "台账");
	detail_buf[0] = '\0';
	enum rc rc = store_campaign_current(a->db, &p->campaign, &r->err);
	if (rc == RC_NOTFOUND)
		return ERR(&r->err, RC_INVALID, "还没有整改批次：请先在“管理”中新建批次，再导入台账。");
	if (!rc)
		rc = store_campaign_get(a->db, w, p->campaign, &p->camp, &r->err);
	if (!rc && !p->camp.n)
		rc = ERR(&r->err, RC_NOTFOUND, "当前整改批次不存在。");
	if (rc)
		return rc;
	struct err e = {0};
	rc = sheet_read(data, len, name, &p->sh, &e);
	if (!rc)
		rc = sheet_ledger_map(&p->sh, p->camp.v[0].year, &p->map, &e);
	if (rc) {
		snprintf(detail_buf, detail_n, "%s", e.msg);
		return ERR(&r->err, rc == RC_TOOBIG ? RC_TOOBIG : rc == RC_MEDIA ? RC_MEDIA : RC_INVALID,
			   "%s", sheet_problem(rc, e.msg));
	}
	if (p->map.n_rows > LEDGER_ROWS_MAX)
		return ERR(&r->err, RC_TOOBIG, "表格有 %zu 行，一次最多导入 %d 行：请分成几个文件导入。",
			   p->map.n_rows, LEDGER_ROWS_MAX);
	too_long(p);
	if ((rc = store_ledger_names(a->db, p->map.rows, p->map.n_rows, &p->names, &r->err)))
		return rc;
	p->leaders = xcalloc(p->map.n_rows + 1, sizeof *p->leaders);
	for (size_t i = 0; i < p->map.n_rows; i++)
		p->leaders[i] = p->map.rows[i].leader;
	/* The digest of what the preview shows. */
	crypto_hash_sha256_state hs;
	crypto_hash_sha256_init(&hs);
	char head[96];
	snprintf(head, sizeof head, "%lld|%zu|%zu|%zu|", (long long)p->campaign, len,
		 p->map.n_rows, p->map.n_bad);
	crypto_hash_sha256_update(&hs, (const unsigned char *)head, strlen(head));
	crypto_hash_sha256_update(&hs, (const unsigned char *)data, len);
	for (size_t i = 0; i < p->names.n_new_units; i++)
		crypto_hash_sha256_update(&hs, (const unsigned char *)p->names.new_units[i],
					  strlen(p->names.new_units[i]) + 1);
	crypto_hash_sha256_update(&hs, (const unsigned char *)"|", 1);
	for (size_t i = 0; i < p->names.n_lost; i++)
		crypto_hash_sha256_update(&hs, (const unsigned char *)p->names.lost[i],
					  strlen(p->names.lost[i]) + 1);
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&hs, d);
	sodium_bin2hex(p->digest, sizeof p->digest, d, sizeof d);
	return RC_OK;
}

/* Read the staged file token of the caller and plan its import.  RC_NOTFOUND
 * (with a message) when it is gone. */
static enum rc plan_staged(struct req *r, const char *token, struct plan *p, char *detail,
			   size_t detail_n)
{
	memset(p, 0, sizeof *p);
	detail[0] = '\0';
	char name[256], *data;
	size_t len;
	enum rc rc = stage_read(ACTX(r)->db, WHO(r)->user_id, token, app_now(), SHEET_MAX_FILE,
				"上传的表格已过期或已导入，请重新选择文件。", &data, &len, name,
				sizeof name, &r->err);
	if (!rc)
		rc = plan_make(r, data, len, name, p, detail, detail_n);
	free(data);
	return rc;
}

/* ---- drawing ---------------------------------------------------------------------- */

/* Excel's name of column c (0-based): A … Z, AA … */
static void col_letters(int c, char out[8])
{
	char t[8];
	int n = 0;
	for (c = c + 1; c > 0 && n < 7; c = (c - 1) / 26)
		t[n++] = (char)('A' + (c - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = t[n - 1 - i];
	out[n] = '\0';
}

/* "第 3、5、9 行" for the rows naming s as their unit or leader (at most 12). */
static void rows_naming(struct html *h, const struct plan *p, bool unit, const char *s)
{
	html_open(h, "span", "class", "muted", NULL);
	html_lit(h, "（第 ");
	size_t k = 0;
	for (size_t i = 0; i < p->map.n_rows; i++) {
		const char *v = unit ? p->map.rows[i].unit : p->leaders[i];
		if (!v || strcmp(v, s) != 0)
			continue;
		if (k++ == 12) {
			html_lit(h, "…");
			break;
		}
		if (k > 1)
			html_lit(h, "、");
		html_printf(h, "%u", p->map.nums[i]);
	}
	html_lit(h, " 行）");
	html_close(h, 1);
}

static void upload_card(struct req *r, struct html *h)
{
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "选择台账文件", NULL);
	html_open(h, "form", "method", "post", "action", "/tasks/import", "enctype",
		  "multipart/form-data", "class", "import-form", NULL);
	page_csrf(r, h);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "整改台账（.xlsx 或 .csv）", "for", "sheet", NULL);
	html_open(h, "input", "type", "file", "id", "sheet", "name", "file", "required", "",
		  "accept", ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml."
			    "sheet,text/csv", NULL);
	html_elem(h, "div",
		  "按表头识别各列：问题表现（或“问题”“存在问题”）必须有；问题类别/方面、整改措施、整改目标、"
		  "责任领导（或“责任人”）、责任单位、整改时限（或“完成时限”）、进展情况、整改状态可有可无，顺序不限。"
		  "Excel、WPS 保存的 .xlsx，或 UTF-8、GBK 编码的 CSV，不超过 16 MB。",
		  "class", "hint", NULL);
	html_close(h, 1);
	html_elem(h, "button", "上传并预览", "type", "submit", "class", "btn", NULL);
	html_elem(h, "p", "上传后先显示识别结果，确认无误再导入；确认之前不会写入任何数据。", "class",
		  "hint", NULL);
	html_close(h, 2);
}

static void head(struct req *r, struct html *h, const char *title)
{
	page_begin(r, h, title, NAV_TASKS);
	html_open(h, "div", "class", "crumbs", NULL);
	html_elem(h, "a", "整改台账", "href", "/tasks", NULL);
	html_lit(h, " › 导入台账");
	html_close(h, 1);
	html_elem(h, "h1", title, NULL);
}

/* The upload form, with a refusal above it when msg is set. */
static void upload_page(struct req *r, struct html *h, const char *msg, const char *detail)
{
	head(r, h, "导入台账");
	if (msg) {
		html_open(h, "div", "class", "flash err", "role", "alert", NULL);
		html_text(h, msg);
		if (detail && *detail)
			html_elem(h, "div", detail, "class", "small muted", "lang", "en", NULL);
		html_close(h, 1);
	}
	char ct[256];
	app_campaign_title(r, ct, sizeof ct);
	if (ct[0]) {
		html_open(h, "p", "class", "muted", NULL);
		html_lit(h, "导入到当前整改批次：");
		html_elem(h, "strong", ct, NULL);
		html_lit(h, "。每一行生成一项整改事项。");
		html_close(h, 1);
	}
	upload_card(r, h);
	page_end(r, h);
}

static void kpi_box(struct html *h, const char *cls, size_t n, const char *label)
{
	char num[24];
	snprintf(num, sizeof num, "%zu", n);
	html_open(h, "div", "class", cls, NULL);
	html_elem(h, "div", num, "class", "n", NULL);
	html_elem(h, "div", label, "class", "t", NULL);
	html_close(h, 1);
}

/* Which file, which sheet, how many rows of each kind, into which campaign. */
static void preview_summary(struct html *h, const struct plan *p)
{
	const struct sheet_ledger *m = &p->map;
	html_open(h, "section", "class", "card", NULL);
	html_open(h, "p", "class", "import-file", NULL);
	html_elem(h, "strong", p->name, NULL);
	html_open(h, "span", "class", "muted", NULL);
	html_printf(h, "　%s", strcmp(p->sh.format, "csv") == 0 ? "CSV" : "Excel 工作簿");
	if (p->sh.name && *p->sh.name) {
		html_lit(h, "，工作表“");
		html_text(h, p->sh.name);
		html_lit(h, "”");
	}
	html_printf(h, "，表头在第 %u 行", m->header_num);
	html_close(h, 2);
	html_open(h, "div", "class", "kpis import-kpis", NULL);
	kpi_box(h, "kpi green", m->n_rows, "行可以导入");
	kpi_box(h, m->n_bad ? "kpi red" : "kpi done", m->n_bad, "行无法识别");
	kpi_box(h, "kpi", p->names.n_new_units, "个单位将新建");
	kpi_box(h, p->names.n_lost ? "kpi yellow" : "kpi", p->names.n_lost, "个责任领导未匹配");
	html_close(h, 1);
	html_open(h, "p", "class", "muted small", NULL);
	html_lit(h, "导入到当前整改批次：");
	html_text(h, p->camp.v[0].title);
	html_printf(h, "（%d 年）。", p->camp.v[0].year);
	html_close(h, 2);
}

/* How each field of the ledger was found among the sheet's columns. */
static void preview_columns(struct html *h, const struct plan *p)
{
	const struct sheet_ledger *m = &p->map;
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "各列的识别结果", NULL);
	html_open(h, "table", "class", "mapping", NULL);
	html_lit(h, "<thead><tr><th>台账字段</th><th>表格中的列</th><th>表头文字</th></tr></thead>");
	html_open(h, "tbody", NULL);
	for (int f = 0; f < SF__MAX; f++) {
		bool computed = f == SF_SEQ || f == SF_LIGHT || f == SF_EVIDENCE || f == SF_NOTE;
		html_open(h, "tr", "class", m->col[f] < 0 ? "absent" : NULL, NULL);
		html_elem(h, "td", sheet_field_name((enum sheet_field)f), NULL);
		if (m->col[f] < 0) {
			html_elem(h, "td", "没有这一列", "class", "muted", NULL);
			html_elem(h, "td", "", NULL);
		} else {
			char col[8];
			col_letters(m->col[f], col);
			html_open(h, "td", "class", "nowrap", NULL);
			html_printf(h, "第 %s 列", col);
			if (computed)
				html_elem(h, "span", "不导入，由系统计算", "class", "tag", NULL);
			html_close(h, 1);
			html_elem(h, "td", m->header[f] ? m->header[f] : "", NULL);
		}
		html_close(h, 1);
	}
	html_close(h, 3);
}

static void name_list(struct html *h, const struct plan *p, bool unit, const char *const *v,
		      size_t n)
{
	html_open(h, "ul", "class", "names", NULL);
	for (size_t i = 0; i < n; i++) {
		html_open(h, "li", NULL);
		html_text(h, v[i]);
		rows_naming(h, p, unit, v[i]);
		html_close(h, 1);
	}
	html_close(h, 1);
}

/* The units to be created and the leaders left out. */
static void preview_names(struct html *h, const struct plan *p)
{
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "单位和责任领导", NULL);
	if (!p->names.n_new_units) {
		html_elem(h, "p", "表格中的责任单位都已存在。", "class", "muted", NULL);
	} else {
		html_elem(h, "p", "以下单位还不存在，导入时将在单位树的顶层新建（之后可在“管理”中调整上级单位）：",
			  NULL);
		name_list(h, p, true, p->names.new_units, p->names.n_new_units);
	}
	if (!p->names.n_lost) {
		html_elem(h, "p", "责任领导都对应到了系统中的责任领导账号（或表格中没有填写）。", "class",
			  "muted", NULL);
	} else {
		html_elem(h, "p", "以下责任领导没有对应的账号（或对应多个账号），这些事项导入后暂不设责任领导"
				  "（保留表格中填写的姓名），可在事项页“分解交办”中指定：", NULL);
		name_list(h, p, false, p->names.lost, p->names.n_lost);
	}
	html_close(h, 1);
}

/* The rows not understood, with why. */
static void preview_bad(struct html *h, const struct plan *p)
{
	const struct sheet_ledger *m = &p->map;
	if (!m->n_bad)
		return;
	html_open(h, "section", "class", "card bad-rows", NULL);
	html_open(h, "h2", NULL);
	html_printf(h, "无法识别的行（%zu 行）", m->n_bad);
	html_close(h, 1);
	html_open(h, "table", NULL);
	html_lit(h, "<thead><tr><th class=\"num\">行号</th><th>原因</th></tr></thead>");
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < m->n_bad && i < BAD_ROWS_SHOWN; i++) {
		char num[16];
		snprintf(num, sizeof num, "%u", m->bad[i].num);
		html_open(h, "tr", NULL);
		html_elem(h, "td", num, "class", "num", NULL);
		html_elem(h, "td", m->bad[i].why, NULL);
		html_close(h, 1);
	}
	html_close(h, 2);
	if (m->n_bad > BAD_ROWS_SHOWN) {
		html_open(h, "p", "class", "muted", NULL);
		html_printf(h, "另有 %zu 行未列出。", m->n_bad - BAD_ROWS_SHOWN);
		html_close(h, 1);
	}
	html_close(h, 1);
}

static const char *or_dash(const char *s, const char *none)
{
	return s && *s ? s : none;
}

/* The first rows as they will be imported. */
static void preview_rows(struct html *h, const struct plan *p)
{
	const struct sheet_ledger *m = &p->map;
	html_open(h, "section", "class", "card", NULL);
	html_open(h, "h2", NULL);
	if (m->n_rows > PREVIEW_ROWS)
		html_printf(h, "导入后的样子（前 %d 行，共 %zu 行）", PREVIEW_ROWS, m->n_rows);
	else
		html_lit(h, "导入后的样子");
	html_close(h, 1);
	if (!m->n_rows) {
		html_elem(h, "p", "没有可以导入的行。", "class", "muted", NULL);
		html_close(h, 1);
		return;
	}
	html_open(h, "div", "class", "tablewrap", NULL);
	html_open(h, "table", "class", "ledger preview", NULL);
	html_lit(h, "<thead><tr><th class=\"num\">行号</th><th>方面</th><th>问题</th>"
		    "<th>整改措施</th><th>责任领导</th><th>责任单位</th><th>整改时限</th>"
		    "<th>状态</th></tr></thead>");
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < m->n_rows && i < PREVIEW_ROWS; i++) {
		const struct ledger_row *row = &m->rows[i];
		char num[16];
		snprintf(num, sizeof num, "%u", m->nums[i]);
		html_open(h, "tr", NULL);
		html_elem(h, "td", num, "class", "num", NULL);
		html_elem(h, "td", or_dash(row->area, "—"), "class", "small", NULL);
		html_elem(h, "td", row->problem, "class", "lead", NULL);
		html_elem(h, "td", or_dash(row->measures, "—"), "class", "small pre", NULL);
		html_elem(h, "td", or_dash(row->leader, "—"), "class", "nowrap", NULL);
		html_elem(h, "td", or_dash(row->unit, "—"), NULL);
		html_elem(h, "td", or_dash(row->deadline, "未定"), "class", "nowrap", NULL);
		html_elem(h, "td", or_dash(row->status, "未启动"), "class", "nowrap", NULL);
		html_close(h, 1);
	}
	html_close(h, 4);
}

/* The confirmation form: the staged file, the digest of this preview. */
static void preview_confirm(struct req *r, struct html *h, const struct plan *p,
			    const char *token)
{
	const struct sheet_ledger *m = &p->map;
	html_open(h, "section", "class", "card confirm", NULL);
	html_open(h, "form", "method", "post", "action", "/tasks/import/confirm", NULL);
	page_csrf(r, h);
	html_open(h, "input", "type", "hidden", "name", "stage", "value", token, NULL);
	html_open(h, "input", "type", "hidden", "name", "plan", "value", p->digest, NULL);
	if (m->n_bad) {
		char skip[96];
		snprintf(skip, sizeof skip, " 跳过无法识别的 %zu 行，只导入其余 %zu 行", m->n_bad,
			 m->n_rows);
		page_checkbox(h, "skip_bad", skip);
	}
	page_checkbox(h, "again", " 同一文件已导入过时仍再次导入");
	html_open(h, "div", "class", "actions-row", NULL);
	if (m->n_rows) {
		char label[64];
		snprintf(label, sizeof label, "确认导入 %zu 项", m->n_rows);
		html_elem(h, "button", label, "type", "submit", "class", "btn", NULL);
	}
	html_elem(h, "a", "重新选择文件", "href", "/tasks/import", "class", "btn ghost", NULL);
	html_close(h, 1);
	html_elem(h, "p", "确认后先新建上面列出的单位，再把各行作为整改事项一次导入当前批次："
			  "任何一行出错，则一行也不导入。", "class", "hint", NULL);
	html_close(h, 2);
}

/* The preview of p (staged as token); msg (NULL: none) says why it is shown
 * again instead of importing. */
static void preview(struct req *r, struct html *h, const struct plan *p, const char *token,
		    const char *msg)
{
	head(r, h, "导入台账：核对");
	if (msg)
		html_elem(h, "div", msg, "class", "flash err", "role", "alert", NULL);
	preview_summary(h, p);
	html_open(h, "div", "class", "grid", NULL);
	preview_columns(h, p);
	preview_names(h, p);
	html_close(h, 1);
	preview_bad(h, p);
	preview_rows(h, p);
	preview_confirm(r, h, p, token);
	page_end(r, h);
}

/* ---- the handlers ------------------------------------------------------------------- */

/* A refusal the office can act on (a file that cannot be read, a stale
 * preview) shows the upload form again with the reason and its status; a
 * failure of the server (I/O, the database) goes to the router. */
static enum rc refused(struct req *r, struct html *h, enum rc rc, const char *detail)
{
	if (rc == RC_IO || rc == RC_DB || rc == RC_INTERNAL)
		return rc;
	upload_page(r, h, r->err.msg, detail);
	r->resp.status = rc_http_status(rc);
	return RC_OK;
}

/* GET /tasks/import[?stage=TOKEN]: the upload form, or a staged file's
 * preview. */
enum rc page_import(struct req *r, struct html *h)
{
	const char *token = web_query(r, "stage");
	if (!token) {
		upload_page(r, h, NULL, NULL);
		return RC_OK;
	}
	struct plan p;
	char detail[512];
	enum rc rc = plan_staged(r, token, &p, detail, sizeof detail);
	if (rc == RC_OK)
		preview(r, h, &p, token, NULL);
	else
		rc = refused(r, h, rc, detail);
	plan_release(&p);
	return rc;
}

/* POST /tasks/import: read the upload; keep it and show its preview
 * (redirect), or say why it cannot be read. */
enum rc form_import_preview(struct req *r, struct html *h)
{
	struct web_file *f = NULL;
	for (size_t i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, "file") == 0 && r->files.v[i].size > 0)
			f = &r->files.v[i];
	enum rc rc = RC_OK;
	char detail[512] = "";
	if (!f)
		rc = ERR(&r->err, RC_INVALID, "请选择要导入的台账文件（.xlsx 或 .csv）。");
	else if (f->size > SHEET_MAX_FILE)
		rc = ERR(&r->err, RC_TOOBIG, "台账文件不能超过 %u MB。", SHEET_MAX_FILE >> 20);
	struct plan p = {0};
	char *data = NULL;
	if (!rc) {
		data = xmalloc((size_t)f->size + 1);
		if (pread(f->fd, data, (size_t)f->size, 0) != (ssize_t)f->size)
			rc = ERR(&r->err, RC_IO, "cannot read the upload back: %s", strerror(errno));
		else
			rc = plan_make(r, data, (size_t)f->size, f->name, &p, detail, sizeof detail);
	}
	char token[WEB_STAGE_TOKEN];
	if (!rc)
		rc = stage_put(ACTX(r)->db, WHO(r)->user_id, data, (size_t)f->size, f->name,
			       app_now(), token, &r->err);
	free(data);
	if (!rc)
		web_redirect(r, "/tasks/import?stage=%s", token);
	else if (rc != RC_DB && rc != RC_IO && rc != RC_INTERNAL)
		rc = refused(r, h, rc, detail);
	plan_release(&p);
	return rc;
}

/* POST /tasks/import/confirm: import the staged file, if it still is what
 * the preview showed and every row is understood (or skip_bad). */
enum rc form_import_confirm(struct req *r, struct html *h)
{
	const char *token = web_form(r, "stage"), *digest = web_form(r, "plan");
	struct plan p;
	char detail[512];
	enum rc rc = plan_staged(r, token, &p, detail, sizeof detail);
	if (rc != RC_OK) {
		if (rc != RC_IO && rc != RC_DB && rc != RC_INTERNAL) {
			upload_page(r, h, r->err.msg, detail);
			r->resp.status = rc_http_status(rc);
			rc = RC_OK;
		}
		plan_release(&p);
		return rc;
	}
	const char *why = NULL;
	char msg[700];
	int status = 409;
	if (!digest || strcmp(digest, p.digest) != 0) {
		why = "自预览以来，系统中的单位、用户或当前批次有了变化，识别结果可能不同：请再核对一遍，然后重新确认。";
	} else if (p.map.n_bad && !web_form(r, "skip_bad")) {
		snprintf(msg, sizeof msg, "有 %zu 行无法识别，没有导入任何内容。请修改表格后重新上传，"
					  "或勾选“跳过无法识别的行”只导入其余各行。", p.map.n_bad);
		why = msg;
		status = 400;
	} else if (!p.map.n_rows) {
		why = "没有可以导入的行。";
		status = 400;
	}
	if (why) {
		preview(r, h, &p, token, why);
		r->resp.status = status;
		plan_release(&p);
		return rc;
	}
	struct actx *a = ACTX(r);
	const struct who *w = WHO(r);
	/* The new units are made in the import's transaction: a refused import
	 * leaves none behind.  Leaders without an account keep their name. */
	struct import_result res = {0};
	rc = store_ledger_import(a->db, w, p.campaign, p.map.rows, p.map.n_rows, p.name,
				 LEDGER_NEW_UNITS | LEDGER_LEADER_TEXT |
					 (web_form(r, "again") ? LEDGER_AGAIN : 0),
				 a->today, &res, &r->err);
	if (rc == RC_CONFLICT || rc == RC_INVALID) {
		/* e.g. the same file imported before: say so on the preview */
		const char *d = NULL;
		const char *m = r->err.msg;
		if (r->app && r->app->explain)
			m = r->app->explain(rc, r->err.code, r->err.msg, &d);
		snprintf(msg, sizeof msg, "没有导入：%s", m);
		err_clear(&r->err);
		preview(r, h, &p, token, msg);
		r->resp.status = rc_http_status(rc);
		rc = RC_OK;
		plan_release(&p);
		return rc;
	}
	if (rc) {
		plan_release(&p);
		return rc;
	}
	stage_drop(ACTX(r)->db, w->user_id, token);
	log_info("ledger %s imported by user %lld: %d tasks, %d units created", p.name,
		 (long long)w->user_id, res.n_tasks, res.n_units_created);
	plan_release(&p);
	web_redirect(r, "/tasks?ok=ledger&n=%d", res.n_tasks);
	return RC_OK;
}
