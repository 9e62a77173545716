/* Unit tests of doc_docx.c: .docx reports read into the document engine.
 *
 * The packages are written here with libzip (docx_build.h): the reports of
 * data/ and tests/data/docx/, with their numbering made automatic and
 * tracked changes, fields and hidden text added, must give the same tree as
 * the text they came from; smaller documents check the text produced line
 * by line; broken and hostile packages must be refused with a clear error. */
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>

#include "doc.h"
#include "doc_int.h"
#include "docx_build.h"

/* ---- comparing trees ---------------------------------------------------- */

/* Remove what differs between two renderings of one report: the source
 * description and every span. */
static void strip(json_t *j)
{
	if (json_is_object(j)) {
		const char *key;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(j, tmp, key, v) {
			size_t kl = strlen(key);
			if (strcmp(key, "source") == 0 || strcmp(key, "span") == 0 ||
			    (kl > 5 && strcmp(key + kl - 5, "_span") == 0))
				json_object_del(j, key);
			else
				strip(v);
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			strip(v);
	}
}

static json_t *tree_of(const char *data, size_t len, const char *name)
{
	struct doc *d = NULL;
	struct err e = {0};
	enum rc rc = doc_parse(data, len, name, &d, &e);
	if (rc)
		fail_msg("%s: %s", name, e.msg);
	struct buf b = BUF_INIT(0);
	doc_to_json(d, &b);
	doc_free(d);
	json_error_t je;
	json_t *j = json_loadb(b.p, b.len, 0, &je);
	buf_release(&b);
	assert_non_null(j);
	strip(j);
	return j;
}

static size_t count_items(json_t *tree)
{
	size_t n = 0, i, k;
	json_t *sec, *area;
	json_array_foreach(json_object_get(tree, "sections"), i, sec) {
		n += json_array_size(json_object_get(sec, "items"));
		json_array_foreach(json_object_get(sec, "areas"), k, area)
			n += 1 + json_array_size(json_object_get(area, "items"));
	}
	return n;
}

/* The tree of `text` (named `name`) equals the tree of the .docx made from
 * it; returns the number of areas and items compared. */
static size_t check_same_tree(const char *text, size_t len, const char *name, int decorate)
{
	size_t zl;
	char *z = docx_from_text(text, len, decorate, &zl);
	assert_non_null(z);
	json_t *a = tree_of(text, len, name), *b = tree_of(z, zl, "report.docx");
	free(z);
	if (!json_equal(a, b)) {
		char *sa = json_dumps(a, JSON_INDENT(1)), *sb = json_dumps(b, JSON_INDENT(1));
		size_t i = 0;
		while (sa[i] && sa[i] == sb[i])
			i++;
		size_t from = i > 300 ? i - 300 : 0;
		print_error("%s: trees differ at byte %zu\n--- text:\n%.600s\n--- docx:\n%.600s\n",
			    name, i, sa + from, sb + from);
		free(sa);
		free(sb);
		fail();
	}
	size_t n = count_items(a);
	json_decref(a);
	json_decref(b);
	return n;
}

static void test_docx_tree_sample(void **state)
{
	(void)state;
	size_t len = 0;
	char *text = test_read("data/sample-team.md", &len);
	assert_non_null(text);
	/* Plain, then with tracked changes, fields and hidden text. */
	assert_int_equal(check_same_tree(text, len, "sample-team.md", 0), 24);
	assert_int_equal(check_same_tree(text, len, "sample-team.md", 1), 24);
	free(text);
}

static void test_docx_tree_report_with_table(void **state)
{
	(void)state;
	size_t len = 0;
	char *text = test_read(TEST_DATA("docx/report.txt"), &len);
	assert_non_null(text);
	assert_non_null(memchr(text, '\t', len));
	assert_int_equal(check_same_tree(text, len, "report.txt", 0), 19);
	assert_int_equal(check_same_tree(text, len, "report.txt", 1), 19);
	free(text);
}

/* The real reports beside the project, when they are there. */
static void test_docx_tree_fixtures(void **state)
{
	(void)state;
	DIR *dir = opendir(FIXTURE_DIR);
	if (!dir) {
		print_message("  (%s absent: the real reports are skipped)\n", FIXTURE_DIR);
		skip();
	}
	struct dirent *de;
	int n = 0;
	while ((de = readdir(dir)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (nl < 5 || strcmp(de->d_name + nl - 4, ".txt") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s%s", FIXTURE_DIR, de->d_name);
		size_t len = 0;
		char *text = test_read(path, &len);
		assert_non_null(text);
		assert_true(check_same_tree(text, len, de->d_name, 1) > 0);
		free(text);
		n++;
	}
	closedir(dir);
	if (n == 0) {
		print_message("  (no report in %s: skipped)\n", FIXTURE_DIR);
		skip();
	}
	print_message("%d fixture reports compared\n", n);
}

/* ---- the text produced ---------------------------------------------------- */

#define NUM_OPEN "<?xml version=\"1.0\"?><w:numbering xmlns:w=\"" DOCX_W_NS "\">"
#define STY_OPEN "<?xml version=\"1.0\"?><w:styles xmlns:w=\"" DOCX_W_NS "\">"

/* A paragraph with numbering (numId, ilvl) and text. */
#define NP(id, lvl, t)                                                                      \
	"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" #lvl "\"/><w:numId w:val=\"" #id "\"/>"  \
	"</w:numPr></w:pPr><w:r><w:t>" t "</w:t></w:r></w:p>"
#define P(t) "<w:p><w:r><w:t xml:space=\"preserve\">" t "</w:t></w:r></w:p>"

/* Text of a package with the given document body (between <w:body> and
 * </w:body>), numbering and styles parts (NULL: none). */
static char *docx_text(const char *body, const char *numbering, const char *styles, enum rc *rc,
		       struct err *e)
{
	struct buf doc = BUF_INIT(0);
	buf_puts(&doc, DOCX_DOC_OPEN);
	buf_puts(&doc, body);
	buf_puts(&doc, DOCX_DOC_CLOSE);
	struct docx_part parts[5] = {{"word/document.xml", doc.p, doc.len}};
	size_t n = 1;
	if (numbering)
		parts[n++] = (struct docx_part){"word/numbering.xml", numbering, 0};
	if (styles)
		parts[n++] = (struct docx_part){"word/styles.xml", styles, 0};
	size_t zl;
	char *z = docx_zip(parts, n, ZIP_CM_DEFLATE, NULL, &zl);
	buf_release(&doc);
	assert_non_null(z);
	char *text = NULL;
	size_t tl;
	*rc = doc_docx_to_text(z, zl, &text, &tl, e);
	free(z);
	return text;
}

static void assert_docx_text(const char *body, const char *numbering, const char *styles,
			     const char *want)
{
	struct err e = {0};
	enum rc rc;
	char *got = docx_text(body, numbering, styles, &rc, &e);
	if (rc)
		fail_msg("%s", e.msg);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("got:\n%s\nwant:\n%s", got, want);
	free(got);
}

static void test_docx_numbering_formats(void **state)
{
	(void)state;
	const char *num =
		NUM_OPEN
		"<w:abstractNum w:abstractNumId=\"1\">"
		"<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
		"<w:lvlText w:val=\"%1.\"/></w:lvl>"
		"<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerLetter\"/>"
		"<w:lvlText w:val=\"%2)\"/><w:suff w:val=\"space\"/></w:lvl>"
		"<w:lvl w:ilvl=\"2\"><w:start w:val=\"1\"/><w:numFmt w:val=\"upperRoman\"/>"
		"<w:lvlText w:val=\"%3.\"/></w:lvl>"
		"<w:lvl w:ilvl=\"3\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimalEnclosedCircle\"/>"
		"<w:lvlText w:val=\"%4\"/><w:suff w:val=\"nothing\"/></w:lvl>"
		"<w:lvl w:ilvl=\"4\"><w:start w:val=\"9\"/><w:numFmt w:val=\"chineseCountingThousand\"/>"
		"<w:lvlText w:val=\"%5、\"/><w:suff w:val=\"nothing\"/></w:lvl>"
		"<w:lvl w:ilvl=\"5\"><w:start w:val=\"1\"/><w:numFmt w:val=\"ideographTraditional\"/>"
		"<w:lvlText w:val=\"%6\"/><w:suff w:val=\"nothing\"/></w:lvl>"
		"<w:lvl w:ilvl=\"6\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimalZero\"/>"
		"<w:lvlText w:val=\"%7\"/></w:lvl>"
		"<w:lvl w:ilvl=\"7\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>"
		"<w:lvlText w:val=\"\xef\x82\xb7\"/></w:lvl>"
		"<w:lvl w:ilvl=\"8\"><w:start w:val=\"98\"/><w:numFmt w:val=\"chineseCounting\"/>"
		"<w:lvlText w:val=\"（%9）\"/><w:suff w:val=\"nothing\"/></w:lvl>"
		"</w:abstractNum>"
		"<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>"
		"</w:numbering>";
	const char *body = NP(1, 0, "甲") NP(1, 1, "乙") NP(1, 1, "丙") NP(1, 2, "丁")
		NP(1, 0, "戊") NP(1, 1, "己") NP(1, 3, "圆") NP(1, 3, "圆") NP(1, 3, "圆")
		NP(1, 4, "九") NP(1, 4, "十") NP(1, 4, "十一") NP(1, 5, "天干")
		NP(1, 6, "零") NP(1, 7, "点") NP(1, 8, "九十八") NP(1, 8, "九十九")
		NP(1, 8, "一百");
	assert_docx_text(body, num, NULL,
			 "1. 甲\n\na) 乙\n\nb) 丙\n\nI. 丁\n\n2. 戊\n\na) 己\n\n"
			 "①圆\n\n②圆\n\n③圆\n\n九、九\n\n十、十\n\n十一、十一\n\n甲天干\n\n"
			 "01 零\n\n点\n\n（九十八）九十八\n\n（九十九）九十九\n\n（一〇〇）一百\n\n");
}

static void test_docx_numbering_counters(void **state)
{
	(void)state;
	/* abstractNum 2: a second level that never restarts.  num 2 and 3 share
	 * it and continue each other; num 4 restarts level 0 at 5.  abstractNum
	 * 3: a legal level shows its parent in decimal.  abstractNum 4 takes its
	 * levels from the numbering style ListX (num 6, abstractNum 5). */
	const char *num =
		NUM_OPEN
		"<w:abstractNum w:abstractNumId=\"2\">"
		"<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:lvlText w:val=\"%1.\"/></w:lvl>"
		"<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:lvlRestart w:val=\"0\"/>"
		"<w:lvlText w:val=\"%1.%2.\"/></w:lvl></w:abstractNum>"
		"<w:abstractNum w:abstractNumId=\"3\">"
		"<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"upperRoman\"/>"
		"<w:lvlText w:val=\"%1\"/></w:lvl>"
		"<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:isLgl/><w:lvlText w:val=\"%1.%2\"/>"
		"</w:lvl></w:abstractNum>"
		"<w:abstractNum w:abstractNumId=\"4\"><w:numStyleLink w:val=\"ListX\"/></w:abstractNum>"
		"<w:abstractNum w:abstractNumId=\"5\"><w:styleLink w:val=\"ListX\"/>"
		"<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
		"<w:lvlText w:val=\"（%1）\"/><w:suff w:val=\"nothing\"/></w:lvl></w:abstractNum>"
		"<w:num w:numId=\"2\"><w:abstractNumId w:val=\"2\"/></w:num>"
		"<w:num w:numId=\"3\"><w:abstractNumId w:val=\"2\"/></w:num>"
		"<w:num w:numId=\"4\"><w:abstractNumId w:val=\"2\"/>"
		"<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"5\"/></w:lvlOverride></w:num>"
		"<w:num w:numId=\"5\"><w:abstractNumId w:val=\"3\"/></w:num>"
		"<w:num w:numId=\"6\"><w:abstractNumId w:val=\"5\"/></w:num>"
		"<w:num w:numId=\"7\"><w:abstractNumId w:val=\"4\"/></w:num>"
		"</w:numbering>";
	const char *sty = STY_OPEN
		"<w:style w:type=\"numbering\" w:styleId=\"ListX\"><w:pPr><w:numPr>"
		"<w:numId w:val=\"6\"/></w:numPr></w:pPr></w:style></w:styles>";
	const char *body = NP(2, 0, "a") NP(2, 1, "b") NP(3, 0, "c") NP(3, 1, "d")
		NP(4, 0, "e") NP(4, 0, "f") NP(5, 0, "g") NP(5, 1, "h") NP(7, 0, "i") NP(7, 0, "j")
		NP(0, 0, "k") NP(99, 0, "l");
	assert_docx_text(body, num, sty,
			 "1. a\n\n1.1. b\n\n2. c\n\n2.2. d\n\n5. e\n\n6. f\n\nI g\n\n1.1 h\n\n"
			 "（一）i\n\n（二）j\n\nk\n\nl\n\n");
}

static void test_docx_numbering_styles(void **state)
{
	(void)state;
	/* Sec numbers level 0 and is a heading; Sub inherits Sec's list and
	 * heading level and sets level 1; Plain is based on Sub but removes the
	 * numbering.  The default paragraph style numbers nothing. */
	const char *num = NUM_OPEN
		"<w:abstractNum w:abstractNumId=\"6\">"
		"<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
		"<w:lvlText w:val=\"%1、\"/><w:suff w:val=\"nothing\"/></w:lvl>"
		"<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
		"<w:lvlText w:val=\"（%2）\"/><w:suff w:val=\"nothing\"/></w:lvl></w:abstractNum>"
		"<w:num w:numId=\"8\"><w:abstractNumId w:val=\"6\"/></w:num></w:numbering>";
	const char *sty = STY_OPEN
		"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"/>"
		"<w:style w:type=\"paragraph\" w:styleId=\"Sec\"><w:basedOn w:val=\"Normal\"/>"
		"<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"8\"/></w:numPr>"
		"<w:outlineLvl w:val=\"0\"/></w:pPr></w:style>"
		"<w:style w:type=\"paragraph\" w:styleId=\"Sub\"><w:basedOn w:val=\"Sec\"/>"
		"<w:pPr><w:numPr><w:ilvl w:val=\"1\"/></w:numPr></w:pPr></w:style>"
		"<w:style w:type=\"paragraph\" w:styleId=\"Plain\"><w:basedOn w:val=\"Sub\"/>"
		"<w:pPr><w:numPr><w:numId w:val=\"0\"/></w:numPr><w:outlineLvl w:val=\"9\"/>"
		"</w:pPr></w:style>"
		"<w:style w:type=\"paragraph\" w:styleId=\"h3\"><w:name w:val=\"heading 3\"/></w:style>"
		"</w:styles>";
#define SP(s, t) "<w:p><w:pPr><w:pStyle w:val=\"" s "\"/></w:pPr><w:r><w:t>" t "</w:t></w:r></w:p>"
	const char *body = SP("Sec", "问题") SP("Sub", "学习") SP("Plain", "正文") SP("Sub", "作风")
		SP("Sec", "原因") SP("Sub", "思想") P("普通") SP("h3", "三级标题");
	assert_docx_text(body, num, sty,
			 "# 一、问题\n\n# （一）学习\n\n正文\n\n# （二）作风\n\n# 二、原因\n\n"
			 "# （一）思想\n\n普通\n\n### 三级标题\n\n");
#undef SP
}

/* A bold run that opens a paragraph and ends without punctuation is set
 * apart from the body by a space, so that it is the item's lead; a bold run
 * that ends its sentence, or a short one, is left as it is. */
static void test_docx_bold_lead(void **state)
{
	(void)state;
	const char *body =
		"<w:p><w:r><w:t>一、存在的问题</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>一是</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>政治站位不够高</w:t></w:r>"
		"<w:r><w:t>班子成员对上级部署理解不深，落实中有打折扣的现象。</w:t></w:r></w:p>"
		"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>二是学用脱节。</w:t></w:r>"
		"<w:r><w:t>学习与工作结合不紧。</w:t></w:r></w:p>"
		"<w:p><w:r><w:rPr><w:b w:val=\"0\"/></w:rPr><w:t>三是</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>"
		"<w:t>班子</w:t></w:r><w:r><w:t>成员调研少。</w:t></w:r></w:p>";
	assert_docx_text(body, NULL, NULL,
			 "一、存在的问题\n\n一是政治站位不够高 班子成员对上级部署理解不深，落实中有打折扣的现象。"
			 "\n\n二是学用脱节。学习与工作结合不紧。\n\n三是班子成员调研少。\n\n");
	/* The heading is the lead. */
	struct err e = {0};
	enum rc rc;
	char *text = docx_text(body, NULL, NULL, &rc, &e);
	struct doc *d = NULL;
	assert_int_equal(doc_parse_text(text, strlen(text), &d, &e), RC_OK);
	assert_int_equal(d->n_sections, 1);
	assert_int_equal(d->sections[0].n_items, 3);
	assert_string_equal(d->sections[0].items[0].lead, "政治站位不够高");
	assert_string_equal(d->sections[0].items[1].lead, "学用脱节");
	doc_free(d);
	free(text);
}

static void test_docx_tracked_changes(void **state)
{
	(void)state;
	const char *body =
		"<w:p><w:r><w:t>甲</w:t></w:r><w:ins w:id=\"1\"><w:r><w:t>乙</w:t></w:r></w:ins>"
		"<w:del w:id=\"2\"><w:r><w:delText>丙</w:delText></w:r></w:del>"
		"<w:moveFrom w:id=\"3\"><w:r><w:t>丁</w:t></w:r></w:moveFrom>"
		"<w:moveTo w:id=\"4\"><w:r><w:t>戊</w:t></w:r></w:moveTo></w:p>"
		/* a deleted mark joins two paragraphs */
		"<w:p><w:pPr><w:rPr><w:del w:id=\"5\"/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>后半</w:t></w:r></w:p>"
		/* a table: a row, a deleted row, a row whose second cell is empty
		 * (its cells stay one line, the paragraphs of a cell joined), a
		 * row with a deleted cell (which leaves a one-cell row) */
		"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲格</w:t></w:r></w:p></w:tc>"
		"<w:tc><w:p><w:r><w:t>乙格</w:t></w:r></w:p><w:p><w:r><w:t>续</w:t></w:r></w:p></w:tc>"
		"</w:tr>"
		"<w:tr><w:trPr><w:del w:id=\"6\"/></w:trPr><w:tc><w:p><w:r><w:t>删行</w:t></w:r></w:p>"
		"</w:tc><w:tc><w:p><w:r><w:t>删行</w:t></w:r></w:p></w:tc></w:tr>"
		"<w:tr><w:tc><w:p><w:r><w:t>一段</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>二段</w:t>"
		"</w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>"
		"<w:tr><w:tc><w:tcPr><w:cellDel w:id=\"7\"/></w:tcPr><w:p><w:r><w:t>删格</w:t></w:r>"
		"</w:p></w:tc><w:tc><w:p><w:r><w:t>留格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
		/* old properties are not the paragraph's */
		"<w:p><w:pPr><w:pPrChange w:id=\"8\"><w:pPr><w:numPr><w:ilvl w:val=\"0\"/>"
		"<w:numId w:val=\"1\"/></w:numPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:pPrChange>"
		"</w:pPr><w:r><w:t>改</w:t></w:r></w:p>";
	const char *num = NUM_OPEN "<w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\">"
		"<w:start w:val=\"1\"/><w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum>"
		"<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>";
	assert_docx_text(body, num, NULL,
			 "甲乙戊\n\n前半后半\n\n甲格\t乙格 续\n\n一段 二段\t\n\n留格\n\n改\n\n");
}

static void test_docx_fields_and_runs(void **state)
{
	(void)state;
	const char *body =
		"<w:p><w:r><w:t>A</w:t></w:r><w:fldSimple w:instr=\"PAGE\"><w:r><w:t>B</w:t></w:r>"
		"</w:fldSimple><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>"
		"CODE</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		"<w:r><w:t>C</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		"<w:r><w:t>D</w:t></w:r></w:p>"
		/* a field inside another field's code */
		"<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>IF "
		"</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>"
		"<w:instrText>X</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/>"
		"</w:r><w:r><w:t>inner</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>outer</w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
		"<w:p><w:r><w:t>x</w:t><w:tab/><w:t>y</w:t><w:br/><w:t>z</w:t><w:noBreakHyphen/>"
		"<w:t>w</w:t></w:r></w:p>"
		"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:rPr>"
		"<w:vanish w:val=\"false\"/></w:rPr><w:t>shown</w:t></w:r><w:r><w:footnoteReference "
		"w:id=\"2\"/></w:r></w:p>"
		/* a text box comes out before its anchor paragraph; the fallback
		 * copy is not read */
		"<w:p><w:r><w:t>anchor</w:t></w:r><w:r><mc:AlternateContent><mc:Choice "
		"Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>"
		"inbox</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing>"
		"</mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>copy</w:t></w:r>"
		"</w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
		"<w:sdt><w:sdtPr><w:alias w:val=\"t\"/><w:placeholder><w:docPart w:val=\"x\"/>"
		"</w:placeholder></w:sdtPr><w:sdtContent><w:p><w:r><w:t>in sdt</w:t></w:r></w:p>"
		"</w:sdtContent></w:sdt>"
		"<w:p><w:r><w:t>a\nb &amp; &lt;c&gt;</w:t></w:r></w:p>"
		"<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
		"<w:r><w:t>tabs</w:t></w:r></w:p>";
	assert_docx_text(body, NULL, NULL,
			 "ABCD\n\nouter\n\nx\ty\nz-w\n\nshown\n\ninbox\n\nanchor\n\nin sdt\n\n"
			 "a b & <c>\n\ntabs\n\n");
}

/* The main part and its numbering where the relationships say, and the
 * strict namespace of ISO 29500. */
static void test_docx_relationships(void **state)
{
	(void)state;
	const char *rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
		"openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\""
		"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument\" "
		"Target=\"/content/main.xml\"/></Relationships>";
	const char *doc_rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
		"openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\""
		"http://purl.oclc.org/ooxml/officeDocument/relationships/numbering\" "
		"Target=\"../lists/./num.xml\"/><Relationship Id=\"r2\" Type=\"x/hyperlink\" "
		"Target=\"http://example.org/\" TargetMode=\"External\"/></Relationships>";
	const char *ns = "http://purl.oclc.org/ooxml/wordprocessingml/main";
	char doc[1024], num[1024];
	snprintf(doc, sizeof doc, "<w:document xmlns:w=\"%s\"><w:body><w:p><w:pPr><w:numPr>"
		 "<w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr><w:r><w:t>严格"
		 "</w:t></w:r></w:p></w:body></w:document>", ns);
	snprintf(num, sizeof num, "<w:numbering xmlns:w=\"%s\"><w:abstractNum "
		 "w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"3\"/><w:numFmt "
		 "w:val=\"chineseCounting\"/><w:lvlText w:val=\"%%1、\"/><w:suff w:val=\"nothing\"/>"
		 "</w:lvl></w:abstractNum><w:num w:numId=\"3\"><w:abstractNumId w:val=\"0\"/>"
		 "</w:num></w:numbering>", ns);
	struct docx_part parts[] = {
		{"_rels/.rels", rels, 0},
		{"content/_rels/main.xml.rels", doc_rels, 0},
		{"content/main.xml", doc, 0},
		{"lists/num.xml", num, 0},
		{"word/document.xml", "<not xml", 0},
	};
	size_t zl;
	char *z = docx_zip(parts, ARRAY_LEN(parts), ZIP_CM_DEFLATE, NULL, &zl);
	assert_non_null(z);
	char *text;
	size_t tl;
	struct err e = {0};
	assert_int_equal(doc_docx_to_text(z, zl, &text, &tl, &e), RC_OK);
	assert_string_equal(text, "三、严格\n\n");
	free(text);
	free(z);
}

/* ---- refused ----------------------------------------------------------- */

/* doc_parse() of a package with the given parts fails with rc and a
 * message holding `says`. */
static void assert_refused(const struct docx_part *parts, size_t n, enum rc want,
			   const char *says)
{
	size_t zl;
	char *z = docx_zip(parts, n, ZIP_CM_DEFLATE, NULL, &zl);
	assert_non_null(z);
	struct doc *d = NULL;
	struct err e = {0};
	enum rc rc = doc_parse(z, zl, "report.docx", &d, &e);
	free(z);
	if (rc != want || !strstr(e.msg, says))
		fail_msg("want rc %d with \"%s\", got rc %d: %s", want, says, rc, e.msg);
	assert_null(d);
}

static const char good_doc[] = DOCX_DOC_OPEN P("正文") DOCX_DOC_CLOSE;

static void test_docx_refuses_other_packages(void **state)
{
	(void)state;
	const char *wb_rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
		"openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\""
		"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
		"Target=\"xl/workbook.xml\"/></Relationships>";
	struct docx_part xlsx[] = {{"_rels/.rels", wb_rels, 0},
				   {"xl/workbook.xml", "<workbook/>", 0}};
	assert_refused(xlsx, ARRAY_LEN(xlsx), RC_MEDIA, "Excel workbook");
	struct docx_part pptx[] = {{"ppt/presentation.xml", "<p/>", 0}};
	assert_refused(pptx, ARRAY_LEN(pptx), RC_MEDIA, "PowerPoint");
	struct docx_part odt[] = {{"mimetype", "application/vnd.oasis.opendocument.text", 0},
				  {"content.xml", "<x/>", 0}};
	assert_refused(odt, ARRAY_LEN(odt), RC_MEDIA, "OpenDocument");
	struct docx_part other[] = {{"readme.txt", "hello", 0}};
	assert_refused(other, ARRAY_LEN(other), RC_MEDIA, "word/document.xml");
	struct docx_part root[] = {{"word/document.xml", "<w:styles xmlns:w=\"" DOCX_W_NS "\"/>", 0}};
	assert_refused(root, ARRAY_LEN(root), RC_MEDIA, "not a WordprocessingML document");
}

static void test_docx_refuses_bad_xml(void **state)
{
	(void)state;
	struct docx_part open[] = {{"word/document.xml", DOCX_DOC_OPEN "<w:p><w:r><w:t>x", 0}};
	assert_refused(open, 1, RC_MEDIA, "word/document.xml: malformed XML");
	struct docx_part num[] = {{"word/document.xml", good_doc, 0},
				  {"word/numbering.xml", "<w:numbering><w:num></w:numbering>", 0}};
	assert_refused(num, 2, RC_MEDIA, "word/numbering.xml: malformed XML");
	struct docx_part dtd[] = {
		{"word/document.xml",
		 "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
		 "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document xmlns:w=\"" DOCX_W_NS "\">"
		 "<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>", 0}};
	assert_refused(dtd, 1, RC_MEDIA, "document type declaration");
	/* Nesting past the bound. */
	struct buf deep = BUF_INIT(0);
	buf_puts(&deep, DOCX_DOC_OPEN);
	for (int i = 0; i < 300; i++)
		buf_puts(&deep, "<w:sdt><w:sdtContent>");
	for (int i = 0; i < 300; i++)
		buf_puts(&deep, "</w:sdtContent></w:sdt>");
	buf_puts(&deep, DOCX_DOC_CLOSE);
	struct docx_part dp[] = {{"word/document.xml", deep.p, deep.len}};
	assert_refused(dp, 1, RC_MEDIA, "deep");
	buf_release(&deep);
	/* No text at all. */
	struct docx_part empty[] = {{"word/document.xml", DOCX_DOC_OPEN DOCX_DOC_CLOSE, 0}};
	assert_refused(empty, 1, RC_INVALID, "no text");
}

static void test_docx_refuses_broken_zip(void **state)
{
	(void)state;
	struct doc *d = NULL;
	struct err e = {0};
	static const char junk[] = "PK\x03\x04 this is not really a zip archive at all";
	assert_int_equal(doc_parse(junk, sizeof junk - 1, "r.docx", &d, &e), RC_MEDIA);
	assert_non_null(strstr(e.msg, "ZIP"));
	/* Not even the signature. */
	assert_int_equal(doc_parse("hello", 5, "r.docx", &d, &e), RC_MEDIA);

	/* Truncated at every tenth of its length. */
	struct docx_part parts[] = {{"word/document.xml", good_doc, 0}};
	size_t zl;
	char *z = docx_zip(parts, 1, ZIP_CM_DEFLATE, NULL, &zl);
	assert_non_null(z);
	for (size_t cut = 4; cut < zl; cut += zl / 10 + 1) {
		memset(&e, 0, sizeof e);
		assert_int_equal(doc_parse(z, cut, "r.docx", &d, &e), RC_MEDIA);
		assert_true(e.msg[0] != '\0');
	}
	/* A flipped byte in the compressed data: a checksum or inflate error. */
	size_t zl2;
	char *z2 = docx_zip(parts, 1, ZIP_CM_DEFLATE, NULL, &zl2);
	size_t data_at = 30 + (size_t)((unsigned char)z2[26] | (unsigned char)z2[27] << 8) +
			 (size_t)((unsigned char)z2[28] | (unsigned char)z2[29] << 8);
	z2[data_at + 5] ^= 0x55;
	memset(&e, 0, sizeof e);
	assert_int_equal(doc_parse(z2, zl2, "r.docx", &d, &e), RC_MEDIA);
	free(z2);
	free(z);

	/* Encrypted entries. */
	z = docx_zip(parts, 1, ZIP_CM_DEFLATE, "secret", &zl);
	assert_non_null(z);
	memset(&e, 0, sizeof e);
	assert_int_equal(doc_parse(z, zl, "r.docx", &d, &e), RC_MEDIA);
	assert_non_null(strstr(e.msg, "encrypted"));
	free(z);
}

/* Patch the uncompressed size of every entry in the local and central
 * headers of a ZIP archive. */
static void zip_lie_size(char *z, size_t zl, uint32_t size)
{
	for (size_t i = 0; i + 46 <= zl; i++) {
		if (memcmp(z + i, "PK\x03\x04", 4) == 0)
			memcpy(z + i + 22, &size, 4);
		else if (memcmp(z + i, "PK\x01\x02", 4) == 0)
			memcpy(z + i + 24, &size, 4);
	}
}

static void test_docx_zip_bomb(void **state)
{
	(void)state;
	/* 65 MiB of white space inflates from a few tens of kilobytes. */
	size_t big = (65u << 20);
	struct buf doc = BUF_INIT(0);
	buf_puts(&doc, DOCX_DOC_OPEN P("正文"));
	char *pad = buf_reserve(&doc, big);
	memset(pad, ' ', big);
	buf_commit(&doc, big);
	buf_puts(&doc, DOCX_DOC_CLOSE);
	struct docx_part parts[] = {{"word/document.xml", doc.p, doc.len}};
	size_t zl;
	char *z = docx_zip(parts, 1, ZIP_CM_DEFLATE, NULL, &zl);
	buf_release(&doc);
	assert_non_null(z);
	assert_true(zl < TEXT_MAX_INPUT);
	struct doc *d = NULL;
	struct err e = {0};
	assert_int_equal(doc_parse(z, zl, "bomb.docx", &d, &e), RC_TOOBIG);
	assert_non_null(strstr(e.msg, "64 MiB"));
	/* The same bomb claiming to be small: refused while inflating. */
	zip_lie_size(z, zl, 4096);
	memset(&e, 0, sizeof e);
	enum rc rc = doc_parse(z, zl, "bomb.docx", &d, &e);
	assert_true(rc == RC_TOOBIG || rc == RC_MEDIA);
	assert_true(e.msg[0] != '\0');
	assert_null(d);
	free(z);
}

static void test_docx_too_many_elements(void **state)
{
	(void)state;
	/* 8.5 million empty elements in 51 MiB: under the byte bound, over the
	 * element bound. */
	struct buf doc = BUF_INIT(0);
	buf_puts(&doc, DOCX_DOC_OPEN "<w:p>");
	for (int i = 0; i < 8500000; i++)
		buf_append(&doc, "<w:r/>", 6);
	buf_puts(&doc, "</w:p>" DOCX_DOC_CLOSE);
	struct docx_part parts[] = {{"word/document.xml", doc.p, doc.len}};
	size_t zl;
	char *z = docx_zip(parts, 1, ZIP_CM_DEFLATE, NULL, &zl);
	buf_release(&doc);
	assert_non_null(z);
	struct doc *d = NULL;
	struct err e = {0};
	assert_int_equal(doc_parse(z, zl, "many.docx", &d, &e), RC_TOOBIG);
	assert_non_null(strstr(e.msg, "XML elements"));
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docx_tree_sample),
		cmocka_unit_test(test_docx_tree_report_with_table),
		cmocka_unit_test(test_docx_tree_fixtures),
		cmocka_unit_test(test_docx_numbering_formats),
		cmocka_unit_test(test_docx_numbering_counters),
		cmocka_unit_test(test_docx_numbering_styles),
		cmocka_unit_test(test_docx_bold_lead), cmocka_unit_test(test_docx_tracked_changes),
		cmocka_unit_test(test_docx_fields_and_runs),
		cmocka_unit_test(test_docx_relationships),
		cmocka_unit_test(test_docx_refuses_other_packages),
		cmocka_unit_test(test_docx_refuses_bad_xml),
		cmocka_unit_test(test_docx_refuses_broken_zip),
		cmocka_unit_test(test_docx_zip_bomb),
		cmocka_unit_test(test_docx_too_many_elements),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
