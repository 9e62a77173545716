/* Unit tests of the sheet module: .xlsx and .csv read as grids, and 整改台账
 * sheets mapped to ledger rows.  Workbooks are written here with
 * libxlsxwriter (shared strings, or inline strings in constant-memory mode)
 * and by hand with libzip for what libxlsxwriter never writes. */
#include "testutil.h"

#include <iconv.h>
#include <xlsxwriter.h>

#include "docx_build.h"
#include "sheet.h"

#define SS_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static char *slurp_tmp(const char *path, size_t *len)
{
	char *d = test_read(path, len);
	unlink(path);
	assert_non_null(d);
	return d;
}

/* A ledger workbook as an office would make it: a title merged across the
 * sheet, a two-row header with a merged parent, areas merged down over their
 * rows, a problem merged over two measure rows, dates as serial numbers. */
static char *make_office_xlsx(int constant_memory, size_t *len)
{
	char path[] = "/tmp/rectify-sheet-XXXXXX.xlsx";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);
	lxw_workbook_options opt = {.constant_memory = (uint8_t)constant_memory};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	workbook_add_worksheet(wb, "说明");
	lxw_worksheet *ws = workbook_add_worksheet(wb, "整改台账");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
	lxw_format *iso = workbook_add_format(wb);
	format_set_num_format_index(iso, 14);
	worksheet_merge_range(ws, 0, 0, 0, 7, "县局班子民主生活会查摆问题整改台账", NULL);
	static const char *const h1[] = {"序号", "问题类别", "存在问题", "整改措施", "责任人",
					 "牵头部门", "完成时限", "整改情况"};
	for (int c = 0; c < 8; c++)
		if (c != 7)
			worksheet_write_string(ws, 1, (lxw_col_t)c, h1[c], NULL);
	worksheet_merge_range(ws, 1, 7, 1, 8, "整改情况", NULL);
	worksheet_write_string(ws, 2, 7, "进展情况", NULL);
	worksheet_write_string(ws, 2, 8, "是否完成", NULL);
	/* area 1 over rows 3-5; problem 2 over rows 4-5 */
	worksheet_merge_range(ws, 3, 1, 5, 1, "理论学习方面", NULL);
	worksheet_write_number(ws, 3, 0, 1, NULL);
	worksheet_write_string(ws, 3, 2, "学习不够系统", NULL);
	worksheet_write_string(ws, 3, 3, "制定年度学习计划", NULL);
	worksheet_write_string(ws, 3, 4, "张三、李四", NULL);
	worksheet_write_string(ws, 3, 5, "办公室", NULL);
	worksheet_write_number(ws, 3, 6, 45473, date);         /* 2024-06-30 */
	worksheet_write_string(ws, 3, 7, "已印发计划", NULL);
	worksheet_write_string(ws, 3, 8, "是", NULL);
	worksheet_write_number(ws, 4, 0, 2, NULL);
	worksheet_merge_range(ws, 4, 2, 5, 2, "调研成果转化不够", NULL);
	worksheet_write_string(ws, 4, 3, "每季度交流一次调研成果", NULL);
	worksheet_write_string(ws, 4, 5, "研究室", NULL);
	worksheet_write_number(ws, 4, 6, 45657, iso);          /* 2024-12-31 */
	worksheet_write_string(ws, 4, 8, "否", NULL);
	worksheet_write_string(ws, 5, 3, "建立成果转化台账", NULL);
	worksheet_write_string(ws, 5, 7, "已建台账", NULL);
	/* a heading row for area 2, then its rows */
	worksheet_merge_range(ws, 6, 0, 6, 8, "二、作风建设方面", NULL);
	worksheet_write_number(ws, 7, 0, 3, NULL);
	worksheet_write_string(ws, 7, 2, "调研不够深入", NULL);
	worksheet_write_string(ws, 7, 3, "建立基层联系点", NULL);
	worksheet_write_string(ws, 7, 6, "长期坚持", NULL);
	worksheet_write_number(ws, 8, 0, 4, NULL);
	worksheet_write_string(ws, 8, 2, "文风不实", NULL);
	worksheet_write_string(ws, 8, 6, "下个月", NULL);           /* unreadable */
	worksheet_write_number(ws, 9, 0, 5, NULL);
	worksheet_write_string(ws, 9, 3, "只有措施没有问题", NULL);
	worksheet_write_string(ws, 10, 0, "合计", NULL);
	worksheet_write_number(ws, 10, 2, 5, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	return slurp_tmp(path, len);
}

static void check_office_sheet(const struct sheet *s)
{
	assert_string_equal(s->name, "整改台账");
	assert_string_equal(s->format, "xlsx");
	/* title merged over the row: every cell of row 1 holds it */
	assert_int_equal(s->rows[0].num, 1);
	assert_string_equal(sheet_cell(s, 0, 5), "县局班子民主生活会查摆问题整改台账");
	/* dates by format: a custom Chinese one and built-in 14 */
	assert_string_equal(sheet_cell(s, 3, 6), "2024-06-30");
	assert_string_equal(sheet_cell(s, 4, 6), "2024-12-31");
	assert_string_equal(sheet_cell(s, 3, 0), "1");
	/* merged down */
	assert_string_equal(sheet_cell(s, 5, 1), "理论学习方面");
	assert_string_equal(sheet_cell(s, 5, 2), "调研成果转化不够");
	assert_non_null(sheet_merge_at(s, 6, 2));
	assert_null(sheet_merge_at(s, 6, 3));
}

static void check_office_ledger(const struct sheet_ledger *l)
{
	assert_int_equal(l->header_num, 3);
	assert_int_equal(l->col[SF_PROBLEM], 2);
	assert_int_equal(l->col[SF_LEADER], 4);
	assert_int_equal(l->col[SF_UNIT], 5);
	assert_int_equal(l->col[SF_PROGRESS], 7);
	assert_int_equal(l->col[SF_STATUS], 8);
	assert_int_equal(l->col[SF_GOAL], -1);
	assert_string_equal(l->header[SF_STATUS], "是否完成");
	assert_int_equal(l->n_rows, 3);
	const struct ledger_row *r = l->rows;
	assert_string_equal(r[0].area, "理论学习方面");
	assert_string_equal(r[0].problem, "学习不够系统");
	assert_string_equal(r[0].leader, "张三");
	assert_string_equal(r[0].deadline, "2024-06-30");
	assert_string_equal(r[0].status, "已销号");
	assert_string_equal(r[1].problem, "调研成果转化不够");
	assert_string_equal(r[1].measures, "每季度交流一次调研成果\n建立成果转化台账");
	assert_string_equal(r[1].progress, "已建台账");
	assert_string_equal(r[1].status, "整改中");
	assert_string_equal(r[1].area, "理论学习方面");
	assert_string_equal(r[2].area, "二、作风建设方面");
	assert_string_equal(r[2].deadline, "长期坚持");
	assert_string_equal(r[2].status, "");
	assert_int_equal(l->nums[2], 8);
	assert_int_equal(l->n_bad, 2);
	assert_int_equal(l->bad[0].num, 9);
	assert_non_null(strstr(l->bad[0].why, "下个月"));
	assert_int_equal(l->bad[1].num, 10);
	assert_non_null(strstr(l->bad[1].why, "问题表现为空"));
}

static void test_sheet_xlsx_office_ledger(void **state)
{
	(void)state;
	for (int cm = 0; cm <= 1; cm++) {
		size_t len = 0;
		char *x = make_office_xlsx(cm, &len);
		struct sheet s;
		struct err e = {0};
		if (sheet_read(x, len, "a.xlsx", &s, &e))
			fail_msg("%s", e.msg);
		check_office_sheet(&s);
		struct sheet_ledger l;
		assert_int_equal(sheet_ledger_map(&s, 2024, &l, &e), RC_OK);
		check_office_ledger(&l);
		sheet_ledger_release(&l);
		sheet_release(&s);
		free(x);
	}
}

/* A workbook from parts written by hand. */
static char *xlsx_parts(const char *sheet, const char *strings, const char *workbook,
			size_t *len)
{
	const char *wb = workbook ? workbook :
		"<workbook xmlns=\"" SS_NS "\" xmlns:r=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" "
		"r:id=\"rId1\"/></sheets></workbook>";
	const char *rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
		"2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
		"openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
		"Target=\"worksheets/sheet1.xml\"/></Relationships>";
	struct docx_part parts[4] = {{"xl/workbook.xml", wb, 0},
				     {"xl/_rels/workbook.xml.rels", rels, 0},
				     {"xl/worksheets/sheet1.xml", sheet, 0}};
	size_t n = 3;
	if (strings)
		parts[n++] = (struct docx_part){"xl/sharedStrings.xml", strings, 0};
	char *z = docx_zip(parts, n, ZIP_CM_DEFLATE, NULL, len);
	assert_non_null(z);
	return z;
}

#define SHEET(rows) "<worksheet xmlns=\"" SS_NS "\"><sheetData>" rows "</sheetData></worksheet>"

static void test_sheet_xlsx_cells(void **state)
{
	(void)state;
	const char *strings = "<sst xmlns=\"" SS_NS "\" count=\"2\"><si><t>甲</t></si>"
		"<si><r><t>乙</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\"> 丙</t></r>"
		"<rPh sb=\"0\" eb=\"1\"><t>yi</t></rPh></si></sst>";
	const char *sheet = SHEET(
		"<row r=\"2\"><c r=\"B2\" t=\"s\"><v>1</v></c><c t=\"inlineStr\"><is><t>内联</t>"
		"</is></c><c r=\"E2\" t=\"b\"><v>1</v></c><c r=\"F2\" t=\"str\"><f>A1&amp;A2</f>"
		"<v>公式</v></c><c r=\"G2\" t=\"e\"><v>#N/A</v></c></row>"
		"<row><c><v>3.5</v></c><c><v>1e3</v></c><c><v>0.1</v></c><c t=\"d\">"
		"<v>2024-05-01T00:00:00</v></c><c r=\"IW3\"><v>9</v></c></row>");
	size_t len = 0;
	char *x = xlsx_parts(sheet, strings, NULL, &len);
	struct sheet s;
	struct err e = {0};
	if (sheet_read_xlsx(x, len, &s, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(s.n_rows, 2);
	assert_int_equal(s.rows[0].num, 2);
	assert_string_equal(sheet_cell(&s, 0, 0), "");
	assert_string_equal(sheet_cell(&s, 0, 1), "乙 丙");
	assert_string_equal(sheet_cell(&s, 0, 2), "内联");
	assert_string_equal(sheet_cell(&s, 0, 4), "TRUE");
	assert_string_equal(sheet_cell(&s, 0, 5), "公式");
	assert_string_equal(sheet_cell(&s, 0, 6), "#N/A");
	assert_int_equal(s.rows[1].num, 3);
	assert_string_equal(sheet_cell(&s, 1, 0), "3.5");
	assert_string_equal(sheet_cell(&s, 1, 1), "1000");
	assert_string_equal(sheet_cell(&s, 1, 2), "0.1");
	assert_string_equal(sheet_cell(&s, 1, 3), "2024-05-01");
	/* column IW (256) is past the bound and ignored */
	assert_int_equal(s.rows[1].n, 4);
	sheet_release(&s);
	free(x);

	/* 1904 dates */
	const char *wb1904 = "<workbook xmlns=\"" SS_NS "\" xmlns:r=\"http://schemas."
		"openxmlformats.org/officeDocument/2006/relationships\"><workbookPr date1904=\"1\"/>"
		"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	const char *styles = "<styleSheet xmlns=\"" SS_NS "\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/>"
		"<xf numFmtId=\"14\"/></cellXfs></styleSheet>";
	const char *rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
		"2006/relationships\"><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"s.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"x/styles\" Target=\"/xl/st.xml\"/></Relationships>";
	struct docx_part parts[] = {
		{"xl/workbook.xml", wb1904, 0}, {"xl/_rels/workbook.xml.rels", rels, 0},
		{"xl/s.xml", SHEET("<row><c s=\"1\"><v>43280</v></c><c s=\"0\"><v>43280</v></c></row>"), 0},
		{"xl/st.xml", styles, 0}};
	x = docx_zip(parts, ARRAY_LEN(parts), ZIP_CM_DEFLATE, NULL, &len);
	if (sheet_read_xlsx(x, len, &s, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(sheet_cell(&s, 0, 0), "2022-06-30");
	assert_string_equal(sheet_cell(&s, 0, 1), "43280");
	sheet_release(&s);
	free(x);
}

static void assert_xlsx_refused(const char *data, size_t len, enum rc want, const char *says)
{
	struct sheet s;
	struct err e = {0};
	enum rc rc = sheet_read(data, len, "t.xlsx", &s, &e);
	if (rc != want || !strstr(e.msg, says))
		fail_msg("want %d \"%s\", got %d: %s", want, says, rc, e.msg);
	sheet_release(&s);
}

static void test_sheet_xlsx_refused(void **state)
{
	(void)state;
	size_t len = 0;
	char *x;
	/* a Word document renamed */
	size_t dl;
	char *docx = docx_from_text("一、问题\n", 13, 0, &dl);
	assert_xlsx_refused(docx, dl, RC_MEDIA, "Word document");
	/* truncated */
	assert_xlsx_refused(docx, dl / 2, RC_MEDIA, "truncated");
	free(docx);
	/* no ZIP signature, old .xls / encrypted */
	assert_xlsx_refused("a,b\n", 4, RC_MEDIA, "no ZIP signature");
	assert_xlsx_refused("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest", 13, RC_MEDIA, ".xls");
	/* a shared string that does not exist */
	x = xlsx_parts(SHEET("<row><c t=\"s\"><v>5</v></c></row>"),
		       "<sst xmlns=\"" SS_NS "\"><si><t>a</t></si></sst>", NULL, &len);
	assert_xlsx_refused(x, len, RC_MEDIA, "shared string 5");
	free(x);
	/* malformed XML, a DOCTYPE */
	x = xlsx_parts(SHEET("<row><c><v>1</c></row>"), NULL, NULL, &len);
	assert_xlsx_refused(x, len, RC_MEDIA, "malformed XML");
	free(x);
	x = xlsx_parts("<!DOCTYPE w [<!ENTITY a \"b\">]>" SHEET(""), NULL, NULL, &len);
	assert_xlsx_refused(x, len, RC_MEDIA, "document type");
	free(x);
	/* a sheet without a visible sheet */
	x = xlsx_parts(SHEET(""), NULL, "<workbook xmlns=\"" SS_NS "\" xmlns:r=\"http://schemas."
		       "openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet "
		       "name=\"S\" state=\"hidden\" r:id=\"rId1\"/></sheets></workbook>", &len);
	assert_xlsx_refused(x, len, RC_MEDIA, "no visible sheet");
	free(x);
	/* a huge shared-string table */
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "<sst xmlns=\"" SS_NS "\">");
	for (int i = 0; i <= SHEET_MAX_STRINGS; i++)
		buf_append(&b, "<si/>", 5);
	buf_puts(&b, "</sst>");
	x = xlsx_parts(SHEET(""), b.p, NULL, &len);
	buf_release(&b);
	assert_xlsx_refused(x, len, RC_TOOBIG, "shared strings");
	free(x);
	/* a cell over Excel's limit */
	buf_puts(&b, "<worksheet xmlns=\"" SS_NS "\"><sheetData><row><c t=\"inlineStr\"><is><t>");
	for (int i = 0; i < SHEET_MAX_CELL + 1; i++)
		buf_puts(&b, "字");
	buf_puts(&b, "</t></is></c></row></sheetData></worksheet>");
	x = xlsx_parts(b.p, NULL, NULL, &len);
	buf_release(&b);
	assert_xlsx_refused(x, len, RC_TOOBIG, "32767 characters");
	free(x);
	/* a bomb: 70 MiB of rows inflate from little */
	buf_puts(&b, "<worksheet xmlns=\"" SS_NS "\"><sheetData>");
	char *pad = buf_reserve(&b, 70u << 20);
	memset(pad, ' ', 70u << 20);
	buf_commit(&b, 70u << 20);
	buf_puts(&b, "</sheetData></worksheet>");
	x = xlsx_parts(b.p, NULL, NULL, &len);
	buf_release(&b);
	assert_true(len < SHEET_MAX_FILE);
	assert_xlsx_refused(x, len, RC_TOOBIG, "64 MiB");
	free(x);
	/* encrypted */
	struct docx_part p[] = {{"xl/workbook.xml", "<workbook/>", 0}};
	x = docx_zip(p, 1, ZIP_CM_DEFLATE, "pw", &len);
	assert_xlsx_refused(x, len, RC_MEDIA, "encrypted");
	free(x);
}

/* ---- CSV -------------------------------------------------------------------- */

static void test_sheet_csv(void **state)
{
	(void)state;
	const char csv[] = "\xEF\xBB\xBF序号,问题表现,整改措施,责任领导,整改时限\r\n"
			   "1,\"学习不够，深入\",\"一是计划\n二是检查\",王五,2024/6/30\r\n"
			   "2,\"他说\"\"好\"\"\",  措施 ,,2024年9月底前\r\n"
			   "\r\n"
			   "3,只有问题,,,\r\n";
	struct sheet s;
	struct err e = {0};
	if (sheet_read(csv, sizeof csv - 1, "a.csv", &s, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(s.format, "csv");
	assert_int_equal(s.n_rows, 4);
	assert_string_equal(sheet_cell(&s, 1, 1), "学习不够，深入");
	assert_string_equal(sheet_cell(&s, 1, 2), "一是计划\n二是检查");
	assert_string_equal(sheet_cell(&s, 2, 1), "他说\"好\"");
	assert_string_equal(sheet_cell(&s, 2, 2), "措施");
	assert_int_equal(s.rows[3].num, 5);
	struct sheet_ledger l;
	assert_int_equal(sheet_ledger_map(&s, 2024, &l, &e), RC_OK);
	assert_int_equal(l.n_rows, 3);
	assert_string_equal(l.rows[0].deadline, "2024-06-30");
	assert_string_equal(l.rows[1].deadline, "2024-09-30");
	assert_string_equal(l.rows[2].deadline, "");
	assert_int_equal(l.n_bad, 0);
	sheet_ledger_release(&l);
	sheet_release(&s);

	/* GBK with semicolons, as Excel on Chinese Windows may save it */
	const char utf8[] = "问题;整改措施;责任单位\n理论学习不深;制定计划;办公室\n";
	char gbk[256];
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char *in = (char *)utf8, *outp = gbk;
	size_t inl = sizeof utf8 - 1, outl = sizeof gbk;
	assert_true(iconv(cd, &in, &inl, &outp, &outl) != (size_t)-1);
	iconv_close(cd);
	if (sheet_read(gbk, sizeof gbk - outl, "b.csv", &s, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(s.encoding, "GB18030");
	assert_string_equal(sheet_cell(&s, 1, 2), "办公室");
	assert_int_equal(sheet_ledger_map(&s, 2024, &l, &e), RC_OK);
	assert_int_equal(l.n_rows, 1);
	assert_string_equal(l.rows[0].unit, "办公室");
	sheet_ledger_release(&l);
	sheet_release(&s);
}

/* ---- mapping ---------------------------------------------------------------- */

static void map_csv(const char *csv, struct sheet *s, struct sheet_ledger *l)
{
	struct err e = {0};
	if (sheet_read_csv(csv, strlen(csv), s, &e))
		fail_msg("%s", e.msg);
	if (sheet_ledger_map(s, 2024, l, &e))
		fail_msg("%s", e.msg);
}

static void test_sheet_ledger_headers(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		enum sheet_field f;
	} cases[] = {
		{"序号", SF_SEQ}, {"问题类别/方面", SF_AREA}, {"所属方面", SF_AREA},
		{"问题表现", SF_PROBLEM}, {"存在的主要问题", SF_PROBLEM}, {"整改措施", SF_MEASURES},
		{"具体整改举措", SF_MEASURES}, {"整改目标", SF_GOAL}, {"责任领导", SF_LEADER},
		{"责任人", SF_LEADER}, {"牵头领导（分管）", SF_LEADER}, {"责任单位", SF_UNIT},
		{"牵头部门", SF_UNIT}, {"整改时限", SF_DEADLINE}, {"完成时限（年月日）", SF_DEADLINE},
		{"完成时间：", SF_DEADLINE}, {"进展情况", SF_PROGRESS}, {"整改落实情况", SF_PROGRESS},
		{"整改状态", SF_STATUS}, {"是否完成", SF_STATUS}, {"红黄绿灯", SF_LIGHT},
		{"佐证材料数", SF_EVIDENCE}, {"整 改 时 限", SF_DEADLINE},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char csv[512];
		/* the header under test, beside a problem column (unless it is one) */
		snprintf(csv, sizeof csv, "%s,%s\nx,y\n",
			 cases[i].f == SF_PROBLEM ? "整改措施" : "问题", cases[i].header);
		struct sheet s;
		struct sheet_ledger l;
		map_csv(csv, &s, &l);
		if (l.col[cases[i].f] != 1)
			fail_msg("header \"%s\" not taken as %s", cases[i].header,
				 sheet_field_name(cases[i].f));
		sheet_ledger_release(&l);
		sheet_release(&s);
	}
	/* no problem column: refused */
	struct sheet s;
	struct sheet_ledger l;
	struct err e = {0};
	assert_int_equal(sheet_read_csv("名称,数量\n苹果,3\n", strlen("名称,数量\n苹果,3\n"), &s, &e), RC_OK);
	assert_int_equal(sheet_ledger_map(&s, 2024, &l, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "problem column"));
	sheet_ledger_release(&l);
	sheet_release(&s);
}

static void test_sheet_ledger_values(void **state)
{
	(void)state;
	static const struct {
		const char *deadline, *want;        /* want NULL: a bad row */
	} dl[] = {
		{"2024-06-30", "2024-06-30"}, {"2024/6/3", "2024-06-03"}, {"2024.12.31", "2024-12-31"},
		{"2024年6月30日", "2024-06-30"}, {"2024年6月底前", "2024-06-30"},
		{"2024年2月", "2024-02-29"}, {"２０２４年３月底前", "2024-03-31"},
		{"2024-06-30 00:00:00", "2024-06-30"}, {"6月底前", "2024-06-30"},
		{"长期坚持", "长期坚持"}, {"立行立改", "立行立改"},
		{"立行立改 (2024-03-01)", "立行立改"}, {"2024-02-30", NULL}, {"下个月", NULL},
		{"尽快", NULL},
	};
	for (size_t i = 0; i < ARRAY_LEN(dl); i++) {
		char csv[256];
		snprintf(csv, sizeof csv, "问题,整改时限\n某问题,%s\n", dl[i].deadline);
		struct sheet s;
		struct sheet_ledger l;
		map_csv(csv, &s, &l);
		if (dl[i].want) {
			if (l.n_rows != 1 || strcmp(l.rows[0].deadline, dl[i].want) != 0)
				fail_msg("deadline \"%s\": want %s, got %s", dl[i].deadline, dl[i].want,
					 l.n_rows ? l.rows[0].deadline : "a bad row");
		} else if (l.n_bad != 1 || !strstr(l.bad[0].why, "整改时限")) {
			fail_msg("deadline \"%s\" accepted", dl[i].deadline);
		}
		sheet_ledger_release(&l);
		sheet_release(&s);
	}
	static const struct {
		const char *status, *want;
	} st[] = {
		{"已销号", "已销号"}, {"已完成", "已销号"}, {"是", "已销号"}, {"完成", "已销号"},
		{"未完成", "整改中"}, {"申请销号", "整改中"}, {"整改中", "整改中"},
		{"阶段性完成", "整改中"}, {"否", "整改中"}, {"未启动", "未启动"}, {"", ""},
		{"待定", NULL},
	};
	for (size_t i = 0; i < ARRAY_LEN(st); i++) {
		char csv[256];
		snprintf(csv, sizeof csv, "问题,状态\n某问题,%s\n", st[i].status);
		struct sheet s;
		struct sheet_ledger l;
		map_csv(csv, &s, &l);
		if (st[i].want) {
			if (l.n_rows != 1 || strcmp(l.rows[0].status, st[i].want) != 0)
				fail_msg("status \"%s\": want %s", st[i].status, st[i].want);
		} else if (l.n_bad != 1) {
			fail_msg("status \"%s\" accepted", st[i].status);
		}
		sheet_ledger_release(&l);
		sheet_release(&s);
	}
	/* the header printed again on a later page, totals, units listed */
	struct sheet s;
	struct sheet_ledger l;
	map_csv("问题,责任单位,责任领导\n甲,办公室、人事科,王五 赵六\n问题,责任单位,责任领导\n"
		"乙,研究室,\n合计,2,\n", &s, &l);
	assert_int_equal(l.n_rows, 2);
	assert_string_equal(l.rows[0].unit, "办公室");
	assert_string_equal(l.rows[0].leader, "王五");
	assert_string_equal(l.rows[1].problem, "乙");
	assert_int_equal(l.nums[1], 4);
	sheet_ledger_release(&l);
	sheet_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet_xlsx_office_ledger),
		cmocka_unit_test(test_sheet_xlsx_cells),
		cmocka_unit_test(test_sheet_xlsx_refused),
		cmocka_unit_test(test_sheet_csv),
		cmocka_unit_test(test_sheet_ledger_headers),
		cmocka_unit_test(test_sheet_ledger_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
