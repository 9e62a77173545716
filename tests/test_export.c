/* Unit tests of the export module with a ledger held in arrays: the
 * workbook and the CSV are read back with the sheet module and must give
 * the rows written; the report is read back (the .docx with the document
 * engine's own reader) and must hold the figures, the areas, the reasons
 * and the appendix; nothing is left behind when writing fails. */
#include "testutil.h"

#include <dirent.h>
#include <zip.h>

#include "doc_int.h"
#include "export.h"
#include "export_int.h"
#include "sheet.h"

/* Reviews stored with the ledger's day and the UTC instant.  The ledger is
 * exported as of 2024-04-18, not the clock's day, so they show as the task
 * page shows them there (store_day_time): the day alone, whose clock time
 * (here 10:30 and 07:05 in Shanghai) would contradict it. */
static const struct task_event approved = {.action = "approve", .from = TASK_SUBMITTED,
					   .to = TASK_CLOSED, .actor = "沈审", .reason = "",
					   .at = "2024-02-05T02:30:00.000Z", .day = 19758};
static const struct task_event returned = {.action = "return", .from = TASK_SUBMITTED,
					   .to = TASK_IN_PROGRESS, .actor = "沈审",
					   .reason = "佐证材料不全", .at = "2024-04-16T23:05:00.000Z",
					   .day = 19830};

static const struct export_row rows[] = {
	{.task_id = 1, .seq = 1, .area = "理论学习方面", .problem = "学习不够系统。集中学习多，研讨少。",
	 .measures = "（一）制定学习计划\n（二）每季度研讨一次", .goal = "形成制度",
	 .leader = "王五", .unit = "办公室", .deadline = "2024-06-30",
	 .progress = "2024-02-01 已印发学习计划。", .status = TASK_CLOSED, .light = LIGHT_NONE,
	 .n_evidence = 2, .n_progress = 1, .handlers = "张承、赵办",
	 .closed_at = "2024-02-05", .review = &approved, .origin_seq = 5,
	 .origin_year = 2022},
	{.task_id = 2, .seq = 2, .area = "理论学习方面", .problem = "调研成果转化不够，报告质量不高。",
	 .measures = "建立成果转化台账", .goal = "", .leader = "李四", .unit = "研究室",
	 .deadline = "2024-03-31", .progress = "", .status = TASK_NOT_STARTED, .light = LIGHT_RED,
	 .handlers = "", .closed_at = "", .extension_to = 19966},
	{.task_id = 3, .seq = 3, .area = "作风建设方面", .problem = "联系群众不够，\"走过场\"，=SUM(A1)",
	 .measures = "建立基层联系点", .goal = "全覆盖", .leader = "王五", .unit = "办公室",
	 .deadline = "长期坚持", .progress = "2024-03-01 已建立联系点5个\n2024-04-01 走访12次",
	 .status = TASK_IN_PROGRESS, .light = LIGHT_GREEN, .n_evidence = 1, .n_progress = 2,
	 .handlers = "张承、赵办", .closed_at = "", .review = &returned},
};

/* The cells the workbook and the CSV make of several facts, row by row:
 * 承办人, 销号时间, 审核意见, 备注. */
static const char *const made[][4] = {
	{"张承、赵办", "2024-02-05", "2024-02-05 沈审 销号", "由2022年度第5项转入"},
	{"", "", "", "申请延期至2024-08-31，待审批"},
	{"张承、赵办", "", "2024-04-17 沈审 退回：佐证材料不全", ""},
};

struct src {
	size_t i, n, passes;
	const struct export_row *v;
};

static enum rc src_next(void *ctx, const struct export_row **row, struct err *e)
{
	(void)e;
	struct src *s = ctx;
	*row = s->i < s->n ? &s->v[s->i++] : NULL;
	s->passes += !*row;
	return RC_OK;
}

static enum rc src_fail(void *ctx, const struct export_row **row, struct err *e)
{
	struct src *s = ctx;
	if (s->i < 1) {
		*row = &s->v[s->i++];
		return RC_OK;
	}
	*row = NULL;
	return ERR(e, RC_DB, "the database went away");
}

static struct dash_group areas[] = {{1, "理论学习方面", 2, 1, 0, 1, 0, 0, 0, 0},
				     {2, "作风建设方面", 1, 0, 0, 0, 1, 0, 0, 0}};
static struct dash_group units[] = {{1, "办公室", 2, 1, 0, 0, 1, 0, 0, 0},
				    {2, "研究室", 1, 0, 0, 1, 0, 0, 0, 0}};
static struct dash_week weeks[] = {{19760, 3}, {19767, 3}, {19774, 2}};

static void fill(struct export_ledger *l, struct src *s, struct dashboard *d,
		 struct commitment_list *cl, struct compliance *periods, const char **who)
{
	*s = (struct src){0, ARRAY_LEN(rows), 0, rows};
	memset(d, 0, sizeof *d);
	d->total = 3;
	d->by_status[TASK_CLOSED] = 1;
	d->by_status[TASK_NOT_STARTED] = 1;
	d->by_status[TASK_IN_PROGRESS] = 1;
	d->by_light[LIGHT_RED] = 1;
	d->by_light[LIGHT_YELLOW] = 1;
	d->areas = areas;
	d->n_areas = 2;
	d->units = units;
	d->n_units = 2;
	d->weeks = weeks;
	d->n_weeks = 3;
	periods[0] = (struct compliance){19723, 19813, 1, 3, 0, 0, 1, NULL, 0};
	periods[1] = (struct compliance){19814, 19904, 0, 1, 1, 0, 1, who, 1};
	memset(cl, 0, sizeof *cl);
	static struct commitment c;
	c = (struct commitment){.id = 1, .text = "每季度到联系村调研不少于3次", .subject = "调研",
				.unit = "次", .min = 3, .period = DOC_PERIOD_QUARTER,
				.per = DOC_PER_MEMBER, .n_activities = 1, .periods = periods,
				.n_periods = 2, .behind = 1};
	cl->v = &c;
	cl->n = 1;
	/* A status change of the day before as_of, with its UTC instant (shown
	 * as the day alone: the ledger is not kept at the clock's day). */
	static struct event_row ev;
	static struct event_list el;
	ev = (struct event_row){.task_id = 1, .seq = 1,
				.ev = {.action = "submit", .from = TASK_IN_PROGRESS,
				       .to = TASK_SUBMITTED, .actor = "李四", .reason = "",
				       .at = "2024-04-17T18:30:00.000Z", .day = 19831}};
	el = (struct event_list){.v = &ev, .n = 1};
	*l = (struct export_ledger){.title = "2023年度民主生活会", .year = 2023,
				    .as_of = store_day_from_ymd(2024, 4, 18),
				    .next = src_next, .ctx = s, .dash = d,
				    .commitments = cl, .events = &el, .charts = 1};
}

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	/* Local times are Shanghai's here, whatever the machine's zone. */
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	snprintf(tmpdir, sizeof tmpdir, "/tmp/rectify-export-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char p[512];
		if (de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.'))
			continue;
		snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
	return 0;
}

/* Files in the temporary directory (temporary ones included). */
static int files_in_tmpdir(void)
{
	int n = 0;
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	while ((de = readdir(d)))
		n += !(de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.'));
	closedir(d);
	return n;
}

static void check_rows_read_back(const struct sheet *s)
{
	struct sheet_ledger m;
	struct err e = {0};
	assert_int_equal(sheet_ledger_map(s, 2023, &m, &e), RC_OK);
	assert_int_equal(m.n_bad, 0);
	assert_int_equal(m.n_rows, ARRAY_LEN(rows));
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		assert_string_equal(m.rows[i].area, rows[i].area);
		assert_string_equal(m.rows[i].problem, rows[i].problem);
		assert_string_equal(m.rows[i].measures, rows[i].measures);
		assert_string_equal(m.rows[i].goal, rows[i].goal);
		assert_string_equal(m.rows[i].leader, rows[i].leader);
		assert_string_equal(m.rows[i].unit, rows[i].unit);
		assert_string_equal(m.rows[i].deadline, rows[i].deadline);
		assert_string_equal(m.rows[i].progress, rows[i].progress);
		assert_string_equal(m.rows[i].status, task_status_name(rows[i].status));
	}
	/* Every field the import knows is exported, each in its own column:
	 * 承办人, 销号时间 and 审核意见 take none of the others' (销号时间
	 * names a status too, but 整改状态 comes first). */
	static const enum export_col col_of[SF__MAX] = {
		[SF_SEQ] = ECOL_SEQ, [SF_AREA] = ECOL_AREA, [SF_PROBLEM] = ECOL_PROBLEM,
		[SF_MEASURES] = ECOL_MEASURES, [SF_GOAL] = ECOL_GOAL, [SF_LEADER] = ECOL_LEADER,
		[SF_UNIT] = ECOL_UNIT, [SF_DEADLINE] = ECOL_DEADLINE, [SF_PROGRESS] = ECOL_PROGRESS,
		[SF_STATUS] = ECOL_STATUS, [SF_LIGHT] = ECOL_LIGHT, [SF_EVIDENCE] = ECOL_EVIDENCE,
		[SF_NOTE] = ECOL_NOTE};
	for (int f = 0; f < SF__MAX; f++)
		assert_int_equal(m.col[f], col_of[f]);
	/* The new columns, cell by cell. */
	static const enum export_col cols[] = {ECOL_HANDLERS, ECOL_CLOSED_AT, ECOL_REVIEW, ECOL_NOTE};
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		size_t r = 0;
		while (r < s->n_rows && s->rows[r].num != m.nums[i])
			r++;
		assert_true(r < s->n_rows);
		for (size_t k = 0; k < ARRAY_LEN(cols); k++)
			assert_string_equal(sheet_cell(s, r, cols[k]), made[i][k]);
	}
	sheet_ledger_release(&m);
}

static void test_export_xlsx(void **state)
{
	(void)state;
	struct export_ledger l;
	struct src s;
	struct dashboard d;
	struct commitment_list cl;
	struct compliance periods[2];
	const char *who[] = {"李四"};
	fill(&l, &s, &d, &cl, periods, who);
	char path[128];
	snprintf(path, sizeof path, "%s/ledger.xlsx", tmpdir);
	struct err e = {0};
	if (export_ledger_xlsx(&l, path, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(files_in_tmpdir(), 1);
	size_t len = 0;
	char *data = test_read(path, &len);
	struct sheet sh;
	if (sheet_read(data, len, path, &sh, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(sh.name, "整改台账");
	assert_string_equal(sheet_cell(&sh, 0, 0), "2023年度民主生活会查摆问题整改台账");
	assert_non_null(strstr(sheet_cell(&sh, 1, 0), "2024年4月18日"));
	assert_string_equal(sheet_cell(&sh, 2, ECOL_REVIEW), "审核意见");
	assert_string_equal(sheet_cell(&sh, 3, ECOL_LIGHT), "");       /* closed: no light */
	assert_string_equal(sheet_cell(&sh, 4, ECOL_LIGHT), "红灯");
	assert_string_equal(sheet_cell(&sh, 5, ECOL_EVIDENCE), "1");   /* 佐证材料数 */
	check_rows_read_back(&sh);
	sheet_release(&sh);

	/* The other sheets are there, in order, with their figures. */
	zip_t *z = zip_open(path, ZIP_RDONLY, NULL);
	assert_non_null(z);
	static const char *const parts[] = {"xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
					    "xl/worksheets/sheet4.xml"};
	static const char *const says[] = {"每人每季度不少于3次", "作风建设方面",
					   "<t>2024-04-18</t>"};
	for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
		zip_file_t *f = zip_fopen(z, parts[i], 0);
		assert_non_null(f);
		char buf[65536];
		zip_int64_t n = zip_fread(f, buf, sizeof buf - 1);
		zip_fclose(f);
		assert_true(n > 0);
		buf[n] = '\0';
		if (!strstr(buf, says[i]))
			fail_msg("%s lacks %s", parts[i], says[i]);
	}
	zip_close(z);
	free(data);
	unlink(path);
}

static void test_export_csv(void **state)
{
	(void)state;
	struct export_ledger l;
	struct src s;
	struct dashboard d;
	struct commitment_list cl;
	struct compliance periods[2];
	const char *who[] = {"李四"};
	fill(&l, &s, &d, &cl, periods, who);
	char path[128];
	snprintf(path, sizeof path, "%s/ledger.csv", tmpdir);
	struct err e = {0};
	if (export_ledger_csv(&l, path, &e))
		fail_msg("%s", e.msg);
	size_t len = 0;
	char *data = test_read(path, &len);
	static const char head[] = "\xEF\xBB\xBF序号,问题类别/方面,问题表现,";
	assert_memory_equal(data, head, sizeof head - 1);
	/* quoting, the formula guard, CRLF */
	assert_non_null(strstr(data, "\"联系群众不够，\"\"走过场\"\"，=SUM(A1)\""));
	assert_non_null(strstr(data, "\r\n2,"));
	struct sheet sh;
	if (sheet_read(data, len, path, &sh, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(sh.encoding, "UTF-8 (BOM)");
	check_rows_read_back(&sh);
	sheet_release(&sh);
	free(data);
	unlink(path);
}

static void test_export_failure_leaves_nothing(void **state)
{
	(void)state;
	struct export_ledger l;
	struct src s;
	struct dashboard d;
	struct commitment_list cl;
	struct compliance periods[2];
	const char *who[] = {"李四"};
	fill(&l, &s, &d, &cl, periods, who);
	l.next = src_fail;
	char path[128];
	snprintf(path, sizeof path, "%s/broken.xlsx", tmpdir);
	struct err e = {0};
	assert_int_equal(export_ledger_xlsx(&l, path, &e), RC_DB);
	assert_int_equal(files_in_tmpdir(), 0);
	s.i = 0;
	snprintf(path, sizeof path, "%s/broken.csv", tmpdir);
	assert_int_equal(export_ledger_csv(&l, path, &e), RC_DB);
	s.i = 0;
	snprintf(path, sizeof path, "%s/broken.docx", tmpdir);
	assert_int_equal(export_report(&l, EXPORT_DOCX, path, &e), RC_DB);
	assert_int_equal(files_in_tmpdir(), 0);
	/* An unwritable place. */
	assert_int_equal(export_ledger_csv(&l, "/nonexistent/dir/x.csv", &e), RC_IO);
	assert_non_null(strstr(e.msg, "/nonexistent/dir/x.csv"));
	/* A ledger is not a report format. */
	assert_int_equal(export_report(&l, EXPORT_XLSX, path, &e), RC_INVALID);
}

/* The report's title and opening from the material's own title: the
 * meeting's name without 对照检查材料 and bracketed tags, in the customary
 * forms, for a team's material, a personal one, a 巡察 plan and a ledger. */
static void test_export_names(void **state)
{
	(void)state;
	static const struct {
		const char *material, *name, *title, *ledger, *opening;
	} cases[] = {
		{"县农业农村局领导班子2023年度主题教育专题民主生活会对照检查材料（五个带头）",
		 "县农业农村局领导班子2023年度主题教育专题民主生活会",
		 "关于县农业农村局领导班子2023年度主题教育专题民主生活会查摆问题整改落实情况的报告",
		 "县农业农村局领导班子2023年度主题教育专题民主生活会查摆问题整改台账",
		 "自县农业农村局领导班子2023年度主题教育专题民主生活会召开以来，班子对照查摆出的问题"},
		{"2023年度民主生活会班子对照检查材料", "2023年度民主生活会",
		 "关于2023年度民主生活会查摆问题整改落实情况的报告",
		 "2023年度民主生活会查摆问题整改台账",
		 "自2023年度民主生活会召开以来，班子对照查摆出的问题"},
		{"张三同志2023年度民主生活会个人对照检查材料（四个方面）",
		 "张三同志2023年度民主生活会",
		 "关于张三同志2023年度民主生活会查摆问题整改落实情况的报告",
		 "张三同志2023年度民主生活会查摆问题整改台账",
		 "自张三同志2023年度民主生活会召开以来，本人对照查摆出的问题"},
		{"中共某县农业农村局党组关于县委第二巡察组反馈意见的整改方案",
		 "县委第二巡察组反馈意见",
		 "关于县委第二巡察组反馈意见整改落实情况的报告",
		 "县委第二巡察组反馈意见整改台账",
		 "针对县委第二巡察组反馈意见指出的问题，班子"},
		{"县图书馆2023年度整改台账", "县图书馆2023年度",
		 "关于县图书馆2023年度整改落实情况的报告", "县图书馆2023年度整改台账",
		 "针对县图书馆2023年度整改台账所列问题，班子"},
		{"", "民主生活会", "关于民主生活会查摆问题整改落实情况的报告",
		 "民主生活会查摆问题整改台账", "自民主生活会召开以来，班子对照查摆出的问题"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct export_names n;
		export_names(cases[i].material, NULL, &n);
		assert_string_equal(n.name, cases[i].name);
		assert_string_equal(n.title, cases[i].title);
		assert_string_equal(n.ledger, cases[i].ledger);
		assert_string_equal(n.opening, cases[i].opening);
		assert_null(strstr(n.title, "对照检查材料"));
		assert_null(strstr(n.title, "（"));
	}
	/* The office's own title wins; the rest still comes from the material. */
	struct export_names n;
	export_names(cases[0].material, "关于2023年度民主生活会整改情况的报告", &n);
	assert_string_equal(n.title, "关于2023年度民主生活会整改情况的报告");
	assert_string_equal(n.ledger, cases[0].ledger);
	export_names(cases[0].material, "", &n);
	assert_string_equal(n.title, cases[0].title);
}

/* What every rendering of the report must say. */
static const char *const report_says[] = {
	"关于2023年度民主生活会查摆问题整改落实情况的报告",
	"自2023年度民主生活会召开以来，班子对照查摆出的问题逐项制定整改措施",
	"截至2024年4月18日，3项整改事项中，已销号1项",
	"销号率33.3%",
	"红灯（超过整改时限未完成）1项",
	"一、总体进展情况", "二、各方面整改落实情况", "三、承诺事项落实情况",
	"四、存在的问题和下一步打算",
	"（一）理论学习方面。", "（二）作风建设方面。",
	"一是学习不够系统，已印发学习计划",
	"一是调研成果转化不够，报告质量不高（第2项，研究室，时限2024-03-31），已超过整改时限18天，尚未报送进展",
	"属长期坚持事项",
	"调研：要求每人每季度不少于3次",
	"（落后：李四）",
	"此前有1个周期未达标",
	"主要集中在理论学习方面",
	"附件：2023年度民主生活会查摆问题整改台账",
	"2024年4月18日",
	"建立成果转化台账",
};

static char *report_text(enum export_format f, size_t *len)
{
	struct export_ledger l;
	struct src s;
	struct dashboard d;
	struct commitment_list cl;
	struct compliance periods[2];
	const char *who[] = {"李四"};
	fill(&l, &s, &d, &cl, periods, who);
	char path[128];
	snprintf(path, sizeof path, "%s/report.%s", tmpdir, export_format_name(f));
	struct err e = {0};
	if (export_report(&l, f, path, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(s.passes, 1);         /* the rows are read once */
	char *data = test_read(path, len);
	assert_non_null(data);
	unlink(path);
	return data;
}

static void assert_says(const char *text, const char *what)
{
	for (size_t i = 0; i < ARRAY_LEN(report_says); i++)
		if (!strstr(text, report_says[i]))
			fail_msg("the %s report does not say \"%s\"", what, report_says[i]);
}

static void test_export_report_md_html(void **state)
{
	(void)state;
	size_t len = 0;
	char *md = report_text(EXPORT_MD, &len);
	assert_says(md, "Markdown");
	assert_non_null(strstr(md, "# 关于2023年度民主生活会查摆问题整改落实情况的报告\n"));
	assert_non_null(strstr(md, "| 3 | 联系群众不够，\"走过场\"，=SUM(A1) |"));
	assert_non_null(strstr(md, "已建立联系点5个<br>2024-04-01 走访12次"));
	free(md);

	char *html = report_text(EXPORT_HTML, &len);
	assert_says(html, "HTML");
	assert_non_null(strstr(html, "<svg"));
	assert_non_null(strstr(html, "&quot;走过场&quot;"));
	assert_non_null(strstr(html, "<td class=\"red\">未启动</td>"));
	assert_non_null(strstr(html, "@page{size:A4;margin:37mm 26mm 35mm 28mm}"));
	assert_null(strstr(html, "<script"));
	free(html);
}

static void test_export_report_docx(void **state)
{
	(void)state;
	size_t len = 0;
	char *docx = report_text(EXPORT_DOCX, &len);
	/* Read back by the engine's .docx reader: the text in order. */
	char *text;
	size_t tl;
	struct err e = {0};
	if (doc_docx_to_text(docx, len, &text, &tl, &e))
		fail_msg("%s", e.msg);
	/* The title in two lines, broken before 查摆 (export_title_break). */
	char *br = strstr(text, "关于2023年度民主生活会\n查摆问题整改落实情况的报告");
	assert_non_null(br);
	memmove(br + strlen("关于2023年度民主生活会"), br + strlen("关于2023年度民主生活会\n"),
		strlen(br + strlen("关于2023年度民主生活会\n")) + 1);
	assert_says(text, ".docx");
	assert_non_null(strstr(text, "# 一、总体进展情况"));      /* heading level 1 */
	assert_non_null(strstr(text, "附件\n\n2023年度民主生活会查摆问题整改台账"));
	assert_non_null(strstr(text, "序号\t问题\t整改措施"));
	assert_non_null(strstr(text, "\t未启动"));
	free(text);

	/* The parts of the official format. */
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(docx, len, 0, &ze);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	static const struct {
		const char *part, *says;
	} checks[] = {
		{"word/document.xml", "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"},
		{"word/document.xml", "w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""},
		{"word/document.xml", "w:orient=\"landscape\""},
		{"word/document.xml", "<w:tblHeader/>"},
		{"word/document.xml", "<c:chart r:id=\"rIdC1\"/>"},
		{"word/styles.xml", "w:line=\"579\" w:lineRule=\"exact\""},
		{"word/styles.xml", "w:eastAsia=\"仿宋_GB2312\""},
		{"word/styles.xml", "<w:sz w:val=\"32\"/>"},
		{"word/styles.xml", "w:eastAsia=\"方正小标宋简体\""},
		{"word/styles.xml", "<w:sz w:val=\"44\"/>"},
		{"word/styles.xml", "w:eastAsia=\"楷体_GB2312\""},
		{"word/styles.xml", "w:eastAsia=\"黑体\""},
		{"word/settings.xml", "<w:evenAndOddHeaders/>"},
		{"word/footer1.xml", "<w:jc w:val=\"right\"/>"},
		{"word/footer1.xml", "— </w:t>"},
		{"word/footer2.xml", "<w:jc w:val=\"left\"/>"},
		{"word/fontTable.xml", "<w:altName w:val=\"仿宋\"/>"},
		{"word/charts/chart1.xml", "各方面整改进度"},
		{"word/charts/chart2.xml", "<a:srgbClr val=\"D93025\"/>"},
	};
	for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
		zip_file_t *f = zip_fopen(z, checks[i].part, 0);
		if (!f)
			fail_msg("no part %s", checks[i].part);
		static char buf[1 << 20];
		zip_int64_t n = zip_fread(f, buf, sizeof buf - 1);
		zip_fclose(f);
		buf[n > 0 ? n : 0] = '\0';
		if (!strstr(buf, checks[i].says))
			fail_msg("%s lacks %s", checks[i].part, checks[i].says);
	}
	zip_discard(z);
	zip_error_fini(&ze);
	free(docx);
}

/* The title broken at its phrases: the fewest lines that fit the title's
 * line, balanced (three lines in a diamond), never inside a word or a
 * number. */
static void test_export_title_break(void **state)
{
	(void)state;
	static const struct {
		const char *title, *lines;
	} cases[] = {
		{"关于巡察整改情况的报告", "关于巡察整改情况的报告"},
		/* 20 characters wide (the year is four half-width digits): two
		 * lines, 专题民主生活会 kept whole */
		{"关于2023年度专题民主生活会整改情况的报告", "关于2023年度专题民主生活会\n整改情况的报告"},
		{"关于县委第二巡察组反馈意见整改落实情况的报告",
		 "关于县委第二巡察组反馈意见\n整改落实情况的报告"},
		{"关于县农业农村局领导班子2023年度主题教育专题民主生活会查摆问题整改落实情况的报告",
		 "关于县农业农村局领导班子\n2023年度主题教育专题民主生活会\n查摆问题整改落实情况的报告"},
		{"关于党史学习教育专题民主生活会市委常委整改落实情况的报告",
		 "关于党史学习教育专题民主生活会\n市委常委整改落实情况的报告"},
		{"关于张三同志2023年度民主生活会个人对照检查材料所列问题整改落实情况的报告",
		 "关于张三同志2023年度民主生活会个人\n对照检查材料所列问题整改落实情况的报告"},
		{"关于市审计局2024年度经济责任审计反馈问题整改情况的报告",
		 "关于市审计局2024年度经济责任审计\n反馈问题整改情况的报告"},
		/* 党组织 is one word; three lines, none an hourglass's waist */
		{"关于进一步加强和改进新时代基层党组织建设工作中存在的突出问题开展专项整治的工作方案",
		 "关于进一步加强和改进新时代\n基层党组织建设工作中存在的\n突出问题开展专项整治的工作方案"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT(0);
		size_t n = export_title_break(cases[i].title, EXPORT_TITLE_HALF, &b);
		if (strcmp(b.p, cases[i].lines) != 0)
			fail_msg("%s\n broke as\n%s", cases[i].title, b.p);
		size_t nl = 1;
		for (const char *p = b.p; *p; p++)
			nl += *p == '\n';
		assert_int_equal(n, nl);
		buf_release(&b);
	}
	/* Any title: the lines fit and join to the title. */
	const char *t = "关于某某市某某区人民政府办公室2022年度巡察反馈意见所列问题整改落实情况的专题报告";
	struct buf b = BUF_INIT(0);
	export_title_break(t, EXPORT_TITLE_HALF, &b);
	struct buf joined = BUF_INIT(0);
	int half = 0;
	for (const char *p = b.p; *p; p++) {
		if (*p == '\n') {
			assert_true(half <= EXPORT_TITLE_HALF);
			half = 0;
			continue;
		}
		buf_putc(&joined, *p);
		if ((unsigned char)*p < 0x80)
			half++;
		else if (((unsigned char)*p & 0xC0) != 0x80)
			half += 2;
	}
	assert_true(half <= EXPORT_TITLE_HALF);
	assert_string_equal(joined.p, t);
	assert_non_null(strchr(b.p, '\n'));
	buf_release(&b);
	buf_release(&joined);
}

/* A row's own measures: of an area's paragraph, the sentences that speak
 * of the row's problem. */
static void test_export_task_measures(void **state)
{
	(void)state;
	const char *area = "（二）健全理论学习制度，每季度安排一次专题研讨，班子成员每年撰写调研报告两篇；"
			   "建立基层联系点制度，班子成员每季度到联系村走访一次，对群众反映的灌溉设施问题建立台账逐件办理。"
			   "严格执行公务接待标准，每半年通报一次三公经费使用情况。"
			   "完善容错纠错机制，激励干部担当作为。";
	static const struct {
		const char *problem, *own;
	} cases[] = {
		{"理论学习不系统，专题研讨偏少，调研报告质量不高。",
		 "健全理论学习制度，每季度安排一次专题研讨，班子成员每年撰写调研报告两篇。"},
		{"联系群众不深入，偏远村走访少，灌溉设施维修诉求办理慢。",
		 "建立基层联系点制度，班子成员每季度到联系村走访一次，对群众反映的灌溉设施问题建立台账逐件办理。"},
		{"公务接待超标准，三公经费未公开。", "严格执行公务接待标准，每半年通报一次三公经费使用情况。"},
		/* nothing in common: the measures stay whole */
		{"某项与上述措施毫无关联的表述。", NULL},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf b = BUF_INIT(0);
		export_task_measures(cases[i].problem, area, &b);
		assert_string_equal(b.p, cases[i].own ? cases[i].own : area);
		buf_release(&b);
	}
	/* Short measures are the task's already. */
	struct buf b = BUF_INIT(0);
	export_task_measures("理论学习不系统。", "（一）制定学习计划\n（二）每季度研讨一次", &b);
	assert_string_equal(b.p, "（一）制定学习计划\n（二）每季度研讨一次");
	buf_release(&b);
}

/* The ledger sheet and the CSV carry each row's own measures, not the
 * whole paragraph its area's tasks are linked to. */
static void test_export_ledger_own_measures(void **state)
{
	(void)state;
	struct export_ledger l;
	struct src s;
	struct dashboard d;
	struct commitment_list cl;
	struct compliance periods[2];
	const char *who[] = {"李四"};
	fill(&l, &s, &d, &cl, periods, who);
	struct export_row row = rows[2];
	row.problem = "联系群众不深入，偏远村走访少，灌溉设施维修诉求办理慢。";
	row.measures = "（二）健全理论学习制度，每季度安排一次专题研讨，班子成员每年撰写调研报告两篇；"
		       "建立基层联系点制度，班子成员每季度到联系村走访一次，对群众反映的灌溉设施问题建立台账逐件办理。"
		       "严格执行公务接待标准，每半年通报一次三公经费使用情况。"
		       "完善容错纠错机制，激励干部担当作为。";
	s = (struct src){0, 1, 0, &row};
	static const char own[] =
		"建立基层联系点制度，班子成员每季度到联系村走访一次，对群众反映的灌溉设施问题建立台账逐件办理。";
	static const char *const names[] = {"own.xlsx", "own.csv"};
	for (size_t k = 0; k < ARRAY_LEN(names); k++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s", tmpdir, names[k]);
		struct err e = {0};
		s.i = 0;
		if ((k ? export_ledger_csv : export_ledger_xlsx)(&l, path, &e))
			fail_msg("%s", e.msg);
		size_t len = 0;
		char *data = test_read(path, &len);
		struct sheet sh;
		if (sheet_read(data, len, path, &sh, &e))
			fail_msg("%s", e.msg);
		size_t r = k ? 1 : 3;   /* under the header (the workbook: its title rows too) */
		assert_string_equal(sheet_cell(&sh, r - 1, ECOL_MEASURES), "整改措施");
		assert_string_equal(sheet_cell(&sh, r, ECOL_MEASURES), own);
		assert_string_equal(sheet_cell(&sh, r, ECOL_PROBLEM), row.problem);
		sheet_release(&sh);
		free(data);
		unlink(path);
	}
}

/* The .docx with the office's 主送机关 and 署名 and without charts. */
static void test_export_report_docx_signed(void **state)
{
	(void)state;
	struct export_ledger l;
	struct src s;
	struct dashboard d;
	struct commitment_list cl;
	struct compliance periods[2];
	const char *who[] = {"李四"};
	fill(&l, &s, &d, &cl, periods, who);
	l.charts = 0;
	l.report_to = "县委";
	l.signer = "中共某县农业农村局党组";
	char path[128];
	snprintf(path, sizeof path, "%s/signed.docx", tmpdir);
	struct err e = {0};
	if (export_report(&l, EXPORT_DOCX, path, &e))
		fail_msg("%s", e.msg);
	size_t len = 0;
	char *docx = test_read(path, &len);
	assert_non_null(docx);
	unlink(path);
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(docx, len, 0, &ze);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	assert_true(zip_name_locate(z, "word/charts/chart1.xml", 0) < 0);
	zip_file_t *f = zip_fopen(z, "word/document.xml", 0);
	assert_non_null(f);
	static char xml[1 << 20];
	zip_int64_t n = zip_fread(f, xml, sizeof xml - 1);
	zip_fclose(f);
	xml[n > 0 ? n : 0] = '\0';
	assert_null(strstr(xml, "<c:chart"));
	/* 主送机关 flush left after the title and a blank line, with its colon */
	assert_non_null(strstr(xml, "</w:p><w:p></w:p><w:p><w:pPr><w:ind w:firstLineChars=\"0\" "
				   "w:firstLine=\"0\"/></w:pPr><w:r><w:t xml:space=\"preserve\">县委："));
	/* 署名 two characters (630 twips) in; the date (2024年4月18日: seven
	 * digits of 155, three characters of 315) under it, its first
	 * character two to the right of the signer's: 11 * 315 - 2030 */
	assert_non_null(strstr(xml, "<w:ind w:right=\"630\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
				   "<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">"
				   "中共某县农业农村局党组</w:t></w:r></w:p><w:p><w:pPr><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/>"
				   "<w:ind w:right=\"1435\""));
	assert_non_null(strstr(xml, "2024年4月18日</w:t>"));
	zip_discard(z);
	zip_error_fini(&ze);
	free(docx);
}

/* 图2 has a column per light of the open tasks -- 待交办 (grey) among them --
 * and one for those closed, each with its count. */
static void test_export_report_chart_lights(void **state)
{
	(void)state;
	struct export_ledger l;
	struct src s;
	struct dashboard d;
	struct commitment_list cl;
	struct compliance periods[2];
	const char *who[] = {"李四"};
	fill(&l, &s, &d, &cl, periods, who);
	d.by_light[LIGHT_RED] = 3;
	d.by_light[LIGHT_YELLOW] = 5;
	d.by_light[LIGHT_GREEN] = 7;
	d.by_light[LIGHT_GREY] = 2;
	d.by_status[TASK_CLOSED] = 11;
	struct report_model m;
	struct err e = {0};
	assert_int_equal(report_model_build(&l, &m, NULL, NULL, &e), RC_OK);
	const struct chart *ch = NULL;
	for (size_t i = 0; i < m.n_charts; i++)
		if (strcmp(m.charts[i].title, "红黄绿灯分布") == 0)
			ch = &m.charts[i];
	assert_non_null(ch);
	static const char *const cats[] = {"红灯", "黄灯", "绿灯", "待交办", "已销号"};
	static const double values[] = {3, 5, 7, 2, 11};
	assert_int_equal(ch->n_cats, ARRAY_LEN(cats));
	for (size_t i = 0; i < ARRAY_LEN(cats); i++) {
		assert_string_equal(ch->cats[i], cats[i]);
		assert_int_equal(ch->s[0].v[i], values[i]);
	}
	report_model_release(&m);
}

/* 图1 names at most REPORT_PROGRESS_BARS (20) areas and puts the rest
 * together as 其他: with 19 or 20 areas each is a bar of its own (20 of
 * them made a 21st bar without a name, on which the HTML report crashed),
 * with 21 or 25 the areas after the 20th make one bar 其他 holding their
 * tasks. */
static void test_export_report_chart_areas(void **state)
{
	(void)state;
	enum { BARS = REPORT_PROGRESS_BARS };
	static const size_t counts[] = {BARS - 1, BARS, BARS + 1, BARS + 5};
	for (size_t c = 0; c < ARRAY_LEN(counts); c++) {
		size_t n = counts[c];
		struct export_ledger l;
		struct src s;
		struct dashboard d;
		struct commitment_list cl;
		struct compliance periods[2];
		const char *who[] = {"李四"};
		fill(&l, &s, &d, &cl, periods, who);
		struct dash_group g[BARS + 5];
		char names[BARS + 5][32];
		for (size_t i = 0; i < n; i++) {
			snprintf(names[i], sizeof names[i], "方面%zu", i + 1);
			g[i] = (struct dash_group){.id = (int64_t)i + 1, .name = names[i], .total = 2,
						   .closed = 1};
		}
		d.areas = g;
		d.n_areas = n;
		struct report_model m;
		struct err e = {0};
		assert_int_equal(report_model_build(&l, &m, NULL, NULL, &e), RC_OK);
		const struct chart *ch = &m.charts[0];
		assert_string_equal(ch->title, "各方面整改进度");
		assert_int_equal(ch->n_cats, n <= BARS ? n : BARS + 1);
		for (size_t i = 0; i < ch->n_cats; i++) {
			assert_string_equal(ch->cats[i], i < BARS ? names[i] : "其他");
			assert_int_equal(ch->s[0].v[i], i < BARS ? 1 : (double)(n - BARS));
			assert_int_equal(ch->s[2].v[i], i < BARS ? 1 : (double)(n - BARS));
		}
		report_model_release(&m);

		/* The HTML report draws it. */
		fill(&l, &s, &d, &cl, periods, who);
		d.areas = g;
		d.n_areas = n;
		char path[128];
		snprintf(path, sizeof path, "%s/areas.html", tmpdir);
		if (export_report(&l, EXPORT_HTML, path, &e))
			fail_msg("%s", e.msg);
		size_t len;
		char *html = test_read(path, &len);
		assert_non_null(html);
		unlink(path);
		char bar[64];
		snprintf(bar, sizeof bar, ">方面%zu</text>", n <= BARS ? n : BARS);
		assert_non_null(strstr(html, bar));
		snprintf(bar, sizeof bar, ">方面%zu</text>", n <= BARS ? n + 1 : BARS + 1);
		assert_null(strstr(html, bar));
		if (n > BARS)
			assert_non_null(strstr(html, ">其他</text>"));
		else
			assert_null(strstr(html, ">其他</text>"));
		free(html);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_names),
		cmocka_unit_test(test_export_xlsx),
		cmocka_unit_test(test_export_csv),
		cmocka_unit_test(test_export_failure_leaves_nothing),
		cmocka_unit_test(test_export_report_md_html),
		cmocka_unit_test(test_export_report_docx),
		cmocka_unit_test(test_export_title_break),
		cmocka_unit_test(test_export_task_measures),
		cmocka_unit_test(test_export_ledger_own_measures),
		cmocka_unit_test(test_export_report_docx_signed),
		cmocka_unit_test(test_export_report_chart_areas),
		cmocka_unit_test(test_export_report_chart_lights),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
