/*
 * Unit tests of the lint module: for every rule a table of inputs written
 * for the project where it must fire and where it must stay silent, run
 * with only that rule on; the correct form of every listed formulation and
 * near-misses generated from each; output formats; and, when the shared
 * fixtures are there, the expectations of the real report.
 */
#include "testutil.h"

#include <jansson.h>

#include "doc.h"
#include "embed.h"
#include "lint.h"
#include "lint_check.h"
#include "text.h"

/* ---- helpers -------------------------------------------------------------- */

static size_t count_sev(const struct lint_result *r, enum lint_rule rule, enum lint_severity s)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->v[i].rule == rule && r->v[i].severity == s;
	return n;
}

/* Lint src with only `rule` on; returns how many findings it gave (every
 * finding must be of that rule).  The message of the first is copied to
 * msg when msg is not NULL. */
static size_t fire(const char *src, enum lint_rule rule, char *msg, size_t cap)
{
	struct doc *d = parse(src);
	struct lint_opts o = {.disabled = only(rule)};
	struct lint_result r;
	assert_int_equal(lint_run(d, &o, &r), RC_OK);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.v[i].rule, rule);
	if (msg && cap) {
		msg[0] = '\0';
		if (r.n)
			snprintf(msg, cap, "%s", r.v[0].message);
	}
	size_t n = r.n;
	if (getenv("LINT_TEST_VERBOSE"))
		for (size_t i = 0; i < r.n; i++)
			fprintf(stderr, "  [%s] %s | %s\n", lint_rule_name(rule), r.v[i].message,
				r.v[i].text);
	lint_result_release(&r);
	doc_free(d);
	return n;
}


/* A small team report around one problem item. */
static char *with_problem(const char *item)
{
	return xasprintf("县局班子对照检查材料\n\n一、对照检查找出的问题\n\n（一）在理论学习方面\n\n"
			 "一是%s\n\n二、产生问题的原因分析\n\n一是理论武装不够。\n\n"
			 "三、努力方向和整改措施\n\n（一）加强理论学习。每月集中学习1次。\n",
			 item);
}

/* A small team report around one measure area. */
static char *with_measure(const char *measure)
{
	return xasprintf("县局班子对照检查材料\n\n一、对照检查找出的问题\n\n（一）在理论学习方面\n\n"
			 "一是学习不够深入。比如，2023年集中学习仅4次。\n\n二、产生问题的原因分析\n\n"
			 "一是理论武装不够。\n\n三、努力方向和整改措施\n\n%s\n",
			 measure);
}

/* A paragraph inside a report body. */
static char *in_body(const char *para)
{
	return xasprintf("县局班子对照检查材料\n\n%s\n", para);
}

/* ---- placeholder ------------------------------------------------------------- */

static void test_placeholder(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"2023年，x县委班子认真开展学习。",
		"某某同志在会上作了发言。",
		"全年共有XX人次参加培训。",
		"××单位存在问题。",
		"会议定于（）月召开。",
		"负责人：**同志。",
	};
	static const char *const no[] = {
		"使用Excel和Xbox整理数据。",
		"会议室面积为3x4米。",
		"认真学习《中国共产党纪律处分条例》。",
		"全年开展学习12次。",
	};
	check_table(LINT_PLACEHOLDER, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), in_body);
	/* The count agrees with the document engine's, finding for finding. */
	const char *src = "县局班子对照检查材料\n\nx县委、某某同志和XX单位在（）月。\n";
	struct doc *d = parse(src);
	struct lint_result r;
	lint_run(d, NULL, &r);
	assert_int_equal(d->n_placeholders, 4);
	assert_int_equal(count_rule(&r, LINT_PLACEHOLDER), d->n_placeholders);
	assert_int_equal(count_sev(&r, LINT_PLACEHOLDER, LINT_ERROR), 4);
	lint_result_release(&r);
	doc_free(d);
}

/* ---- punctuation --------------------------------------------------------------- */

static void test_punctuation(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"班子成员认真学习，，深入调研。",
		"班子成员认真学习。。",
		"学习不够深入，。",
		"认真学习,深入调研。",
		"存在问题;需要整改。",
		"主要问题:学习不够。",
		"召开专题会议(扩大)。",
		"深入学习“两个确立的内涵。",
		"学习《条例的规定。",
		"学习条例》的规定。",
		"组织学习（专题研讨。",
		"学习要求】不明确。",
	};
	static const char *const no[] = {
		"班子成员认真学习，深入调研。",
		"全年参训1,000人次。",
		"会议于10:30召开。",
		"学习“两个确立”和《条例》（2023年修订）。",
		"这是为什么？！",
		"坚持学习……久久为功。",
		"Use English, please.",
		"1）学习不够深入。",
		"【案例】某单位学习不够。",
	};
	check_table(LINT_PUNCTUATION, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), in_body);
	/* A doubled comma is one finding that covers both commas. */
	const char *src = "县局班子对照检查材料\n\n认真学习，，深入调研。\n";
	struct doc *d = parse(src);
	struct lint_opts o = {.disabled = only(LINT_PUNCTUATION)};
	struct lint_result r;
	lint_run(d, &o, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].span.end - r.v[0].span.start, 6);
	assert_memory_equal(d->src + r.v[0].span.start, "，，", 6);
	assert_int_equal(r.v[0].line, 3);
	assert_int_equal(r.v[0].col, 5);
	lint_result_release(&r);
	doc_free(d);
}

/* ---- numbering ------------------------------------------------------------------- */

#define HEAD "县局班子对照检查材料\n\n一、对照检查找出的问题\n\n（一）在理论学习方面\n\n"
#define TAIL "\n\n（二）在联系群众方面\n\n一是联系群众不够。二是服务意识不强。" \
	     "\n\n二、产生问题的原因分析\n\n一是理论武装不够。二是宗旨意识淡化。\n\n" \
	     "三、努力方向和整改措施\n\n（一）加强学习。每月学习1次。\n\n（二）改进作风。每季度调研2次。\n"

static void test_numbering(void **state)
{
	(void)state;
	static const char *const yes[] = {
		/* a gap, paragraph by paragraph */
		HEAD "一是学习不够。\n\n二是调研不够。\n\n四是作风不实。" TAIL,
		/* a gap mid-paragraph */
		HEAD "一是学习不够。二是调研不够。四是作风不实。" TAIL,
		/* a repeat */
		HEAD "一是学习不够。\n\n二是调研不够。\n\n二是作风不实。" TAIL,
		/* a step back */
		HEAD "一是学习不够。\n\n二是调研不够。\n\n一是作风不实。" TAIL,
		/* a lone 一是 */
		HEAD "一是学习不够。" TAIL,
		/* starting at 二是 */
		HEAD "二是学习不够。\n\n三是调研不够。" TAIL,
		/* areas: （一） then （三） */
		HEAD "一是学习不够。二是调研不够。\n\n（三）在作风方面\n\n一是作风不实。二是纪律松弛。" TAIL,
		/* a repeat the engine left inside the item before it */
		HEAD "一是学习不够。二是调研不够。二是作风不实。三是纪律松弛。" TAIL,
		/* sections 一、 二、 四、 */
		"县局班子对照检查材料\n\n一、对照检查找出的问题\n\n一是学习不够。二是调研不够。\n\n"
		"二、产生问题的原因分析\n\n一是理论武装不够。二是宗旨意识淡化。\n\n"
		"四、努力方向和整改措施\n\n一是加强学习。二是改进作风。\n",
	};
	static const char *const no[] = {
		HEAD "一是学习不够。\n\n二是调研不够。\n\n三是作风不实。" TAIL,
		HEAD "一是学习不够。二是调研不够。三是作风不实。" TAIL,
		HEAD "1.学习不够。\n\n2.调研不够。\n\n3.作风不实。" TAIL,
		HEAD "首先，学习不够。其次，调研不够。最后，作风不实。" TAIL,
		/* a lower number inside an item may start a nested list */
		HEAD "一是学习不够。二是调研不够。三是作风不实。一是会风不正，二是文风不实。" TAIL,
	};
	check_table(LINT_NUMBERING, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), NULL);
	char msg[600];
	assert_int_equal(fire(HEAD "一是学习不够。\n\n二是调研不够。\n\n四是作风不实。" TAIL,
			      LINT_NUMBERING, msg, sizeof msg), 1);
	assert_non_null(strstr(msg, "缺少“三是”"));
	assert_int_equal(fire(HEAD "一是学习不够。\n\n二是调研不够。\n\n二是作风不实。" TAIL,
			      LINT_NUMBERING, msg, sizeof msg), 1);
	assert_non_null(strstr(msg, "重复"));
}

/* ---- structure ---------------------------------------------------------------------- */

static void test_structure(void **state)
{
	(void)state;
	static const char *const yes[] = {
		/* no causes */
		"县局班子对照检查材料\n\n一、对照检查找出的问题\n\n一是学习不够。二是调研不够。\n\n"
		"二、努力方向和整改措施\n\n一是加强学习。二是改进作风。\n",
		/* no measures */
		"县局班子对照检查材料\n\n一、对照检查找出的问题\n\n一是学习不够。二是调研不够。\n\n"
		"二、产生问题的原因分析\n\n一是理论武装不够。二是宗旨意识淡化。\n",
		/* no headings at all */
		"县局班子对照检查材料\n\n今年以来，班子认真学习，查找了一些问题。\n\n下一步将认真整改。\n",
		/* an empty area */
		HEAD "一是学习不够。二是调研不够。\n\n（二）在作风建设方面\n\n（三）在纪律方面\n\n"
		     "一是纪律松弛。二是执行不严。" TAIL,
		/* announced five areas, wrote two */
		"县局班子对照检查材料\n\n班子围绕5个方面查摆问题。\n\n一、对照检查找出的问题\n\n"
		"（一）在理论学习方面\n\n一是学习不够。二是调研不够。\n\n（二）在作风方面\n\n"
		"一是作风不实。二是纪律松弛。" TAIL,
	};
	static const char *const no[] = {
		HEAD "一是学习不够。二是调研不够。" TAIL,
		/* a plan needs no causes */
		"县局整改方案\n\n一、问题清单\n\n一是学习不够。二是调研不够。\n\n"
		"二、整改措施\n\n一是加强学习。二是改进作风。\n",
		/* announced two areas, wrote two */
		"县局班子对照检查材料\n\n班子围绕两个方面查摆问题。\n\n一、对照检查找出的问题\n\n"
		"（一）在理论学习方面\n\n一是学习不够。二是调研不够。\n\n（二）在作风方面\n\n"
		"一是作风不实。二是纪律松弛。" TAIL,
	};
	check_table(LINT_STRUCTURE, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), NULL);
	/* The sample reports are well formed. */
	size_t len;
	const char *sample = embed_get("data/sample-team.md", &len);
	assert_non_null(sample);
	assert_int_equal(fire(sample, LINT_STRUCTURE, NULL, 0), 0);
	char *ind = test_read(TEST_DATA("individual.txt"), NULL);
	assert_non_null(ind);
	assert_int_equal(fire(ind, LINT_STRUCTURE, NULL, 0), 0);
	free(ind);
	/* A missing part is an error, an empty area a warning. */
	struct doc *d = parse(yes[0]);
	struct lint_result r;
	lint_run(d, NULL, &r);
	assert_int_equal(count_sev(&r, LINT_STRUCTURE, LINT_ERROR), 1);
	lint_result_release(&r);
	doc_free(d);
	d = parse(yes[3]);
	lint_run(d, NULL, &r);
	assert_int_equal(count_sev(&r, LINT_STRUCTURE, LINT_ERROR), 0);
	assert_int_equal(count_sev(&r, LINT_STRUCTURE, LINT_WARNING), 1);
	lint_result_release(&r);
	doc_free(d);
}

/* ---- vague-problem and hedging -------------------------------------------------------- */

static void test_vague_problem(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"学习不够深入。平时学习抓得不紧，学用结合不够紧密。",
		"调查研究不够深入。到基层调研有时来去匆匆，听汇报多、察实情少。",
		"学习不够深入。部分同志学习抓得不紧。",
		"学习不够深入。比如，有的同志学习不够。",
		"学习不够深入。特别是学习的系统性不强。",
	};
	static const char *const no[] = {
		"学习不够深入。比如，2023年集中学习仅4次，低于计划。",
		"学习不够深入。全年仅召开专题会议两次。",
		"学习不够深入。例如，在县农业农村局组织的专题学习中，班子成员缺席较多。",
		"学习不够深入。比如，对《中国共产党纪律处分条例》的学习停留在读原文。",
		"学习不够深入。如在推进老旧小区改造时，没有先征求住户意见就定了方案。",
	};
	check_table(LINT_VAGUE_PROBLEM, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), with_problem);
}

static void test_hedging(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"学习不够深入。部分同志学习抓得不紧。",
		"理论学习不够系统。班子成员在学用结合上不同程度有脱节。",
		"斗争精神不足。有的同志遇到矛盾绕着走。",
		"作风不够扎实。个别单位存在形式主义问题。",
		"宗旨意识淡化。或多或少存在重业务轻群众的倾向。",
		"纪律意识松弛。一定程度上存在好人主义。",
	};
	static const char *const no[] = {
		"学习不够深入。部分同志学习抓得不紧，比如，2023年有3名班子成员未完成自学计划。",
		"学习不够深入。平时学习抓得不紧。",
		"作风不够扎实。个别单位存在形式主义问题，全年有2个项目验收走过场。",
	};
	check_table(LINT_HEDGING, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), with_problem);
	/* With both rules on, a hedged item is reported once, by hedging. */
	char *src = with_problem("学习不够深入。部分同志学习抓得不紧。");
	struct doc *d = parse(src);
	struct lint_result r;
	lint_run(d, NULL, &r);
	assert_int_equal(count_rule(&r, LINT_HEDGING), 1);
	assert_int_equal(count_rule(&r, LINT_VAGUE_PROBLEM), 0);
	/* It points at the hedge. */
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].rule == LINT_HEDGING)
			assert_memory_equal(d->src + r.v[i].span.start, "部分同志", strlen("部分同志"));
	assert_int_equal(r.summary.problem_items, 1);
	assert_int_equal(r.summary.with_example, 0);
	lint_result_release(&r);
	doc_free(d);
	free(src);
}

/* ---- unmeasurable ---------------------------------------------------------------------- */

static void test_unmeasurable(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"（一）加强理论学习。认真学习党的创新理论，不断提高理论水平。",
		"（一）改进工作作风。坚持深入基层，切实转变作风。",
		"（一）从严管党治党。一是严守政治纪律。二是加强作风建设。",
	};
	static const char *const no[] = {
		"（一）加强理论学习。每月集中学习1次。",
		"（一）加强理论学习。2024年6月底前完成规定书目的精读。",
		"（一）加强理论学习。建立学习制度，长期坚持。",
		"（一）加强理论学习。定期开展专题研讨。",
		"（一）加强理论学习。全年安排集中学习不少于十二次。",
		"（一）从严管党治党。每季度专题研究一次。一是严守政治纪律。二是加强作风建设。",
		"（一）整改问题。对群众反映的问题立行立改。",
	};
	check_table(LINT_UNMEASURABLE, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), with_measure);
	/* Each item without a figure is reported: two of them here. */
	char *src = with_measure("（一）从严管党治党。一是严守政治纪律。二是加强作风建设。");
	assert_int_equal(fire(src, LINT_UNMEASURABLE, NULL, 0), 2);
	free(src);
}

/* ---- unanswered -------------------------------------------------------------------------- */

#define PROBLEMS3 "县局班子对照检查材料\n\n一、对照检查找出的问题\n\n" \
	"（一）在理论学习方面\n\n一是理论学习不系统。二是学用结合不紧。\n\n" \
	"（二）在联系群众方面\n\n一是到基层调研少。二是群众诉求回应慢。\n\n" \
	"（三）在廉洁自律方面\n\n一是廉洁自律要求不严。二是公务用车管理不规范。\n\n" \
	"二、产生问题的原因分析\n\n一是理论武装不够。二是宗旨意识淡化。\n\n三、整改措施\n\n"

static void test_unanswered(void **state)
{
	(void)state;
	static const char *const yes[] = {
		PROBLEMS3 "（一）加强理论学习。每月集中学习1次，理论学习系统推进。\n\n"
			  "（二）密切联系群众。每季度到基层调研2次，群众诉求限时回应。\n",
		PROBLEMS3 "一是加强理论学习，每月集中学习1次。\n\n二是深入基层调研，回应群众诉求。\n",
		PROBLEMS3,
	};
	static const char *const no[] = {
		/* as many measure areas as problem areas: matched by order */
		PROBLEMS3 "（一）加强学习。\n\n（二）改进作风。\n\n（三）严守纪律。\n",
		/* four measures that cover the three areas */
		PROBLEMS3 "（一）加强理论学习。每月集中学习1次。\n\n（二）密切联系群众。每季度到基层调研2次。\n\n"
			  "（三）回应群众诉求。建立诉求台账。\n\n（四）严守廉洁自律。规范公务用车管理。\n",
		/* no measures section: structure says so, not unanswered */
		"县局班子对照检查材料\n\n一、对照检查找出的问题\n\n（一）在理论学习方面\n\n一是学习不够。\n",
	};
	check_table(LINT_UNANSWERED, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), NULL);
	char msg[600];
	assert_int_equal(fire(yes[0], LINT_UNANSWERED, msg, sizeof msg), 1);
	assert_non_null(strstr(msg, "廉洁自律"));
	assert_int_equal(fire(yes[2], LINT_UNANSWERED, NULL, 0), 3);
	/* A measure area written twice answers what it answers once: 联系群众
	 * and 廉洁自律 stay unanswered, 理论学习 does not. */
	assert_int_equal(fire(PROBLEMS3 "（一）加强理论学习。每月集中学习1次，理论学习系统推进。\n\n"
				       "（二）加强理论学习。每月集中学习1次，理论学习系统推进。\n\n"
				       "（三）加强理论学习。每月集中学习1次，理论学习系统推进。\n\n"
				       "（四）加强理论学习。每月集中学习1次，理论学习系统推进。\n",
			      LINT_UNANSWERED, msg, sizeof msg),
			 2);
	assert_null(strstr(msg, "理论学习"));
}

/* ---- repeat -------------------------------------------------------------------------------- */

static void test_repeat(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"班子成员抓基层党建工作的力度有所减弱，学习不够。\n\n部分班子成员抓基层党建工作的力度有所减弱。",
		"对基层情况掌握不够全面深入。\n\n调研中发现，对基层情况掌握不够全面深入。",
		"对分管领域的风险隐患排查不够全面；对分管领域的风险隐患排查还不够全面。",
		/* numbering labels are no content */
		"一是对分管领域的风险隐患排查不够全面。二是对分管领域的风险隐患排查不够全面。",
		"（一千二百三十四）对分管领域的风险隐患排查不够全面\n\n"
		"（五千六百七十八）对分管领域的风险隐患排查不够全面",
	};
	static const char *const no[] = {
		"认真学习习近平新时代中国特色社会主义思想。\n\n带头学习习近平新时代中国特色社会主义思想。",
		"学习不够深入。\n\n学习不够深入。",
		"对基层情况掌握不够全面深入。\n\n对群众诉求回应不够及时有效。",
		"始终坚持以人民为中心的发展思想，带头遵守中央八项规定精神。\n\n"
		"践行以人民为中心的发展思想，认真执行中央八项规定精神。",
	};
	check_table(LINT_REPEAT, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), in_body);
	/* Both places are named: the finding at the second, related the first. */
	char *src = in_body(yes[0]);
	struct doc *d = parse(src);
	struct lint_opts o = {.disabled = only(LINT_REPEAT)};
	struct lint_result r;
	lint_run(d, &o, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].line, 5);
	assert_true(r.v[0].has_related);
	assert_int_equal(r.v[0].related_line, 3);
	assert_null(r.v[0].related_origin);
	assert_true(r.v[0].similarity >= 0.8 && r.v[0].similarity < 1.0);
	assert_non_null(strstr(r.v[0].message, "第3行"));
	lint_result_release(&r);
	doc_free(d);
	free(src);
}

/* Many copies of the same clauses: the exact-duplicate path keeps it fast
 * and every copy after the first is reported once. */
static void test_repeat_many(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "县局班子对照检查材料\n\n");
	for (int i = 0; i < 2000; i++)
		buf_printf(&b, "第%d项，对基层情况掌握不够全面深入，群众诉求回应不够及时有效。\n\n", i + 1);
	struct doc *d = parse(b.p);
	struct lint_opts o = {.disabled = only(LINT_REPEAT)};
	struct lint_result r;
	lint_run(d, &o, &r);
	assert_int_equal(r.n, 2 * 1999);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.v[i].related_line == 3);
	lint_result_release(&r);
	doc_free(d);
	buf_release(&b);
}

/* Past LINT_MAX_PER_RULE findings of one rule, the rest are counted and
 * one note says how many were left out. */
static void test_lint_cap(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "县局班子对照检查材料\n\n");
	for (int i = 0; i < LINT_MAX_PER_RULE + 501; i++)
		buf_puts(&b, "对基层情况掌握不够全面深入。\n");
	struct doc *d = parse(b.p);
	struct lint_opts o = {.disabled = only(LINT_REPEAT)};
	struct lint_result r;
	lint_run(d, &o, &r);
	assert_int_equal(r.summary.by_rule[LINT_REPEAT], LINT_MAX_PER_RULE + 500);
	assert_int_equal(r.summary.by_severity[LINT_WARNING], LINT_MAX_PER_RULE + 500);
	assert_int_equal(r.n, LINT_MAX_PER_RULE + 1);
	const struct lint_finding *last = &r.v[r.n - 1];
	assert_int_equal(last->severity, LINT_INFO);
	assert_non_null(strstr(last->message, "另有500处"));
	lint_result_release(&r);
	doc_free(d);
	buf_release(&b);
}

/* ---- recurrence ------------------------------------------------------------------------------ */

/* Replace every occurrence of from by to in s (a new string). */
static char *replace_all(const char *s, const char *from, const char *to)
{
	struct buf b = BUF_INIT(0);
	size_t fl = strlen(from);
	for (const char *p = s, *q; *p; p = q + fl) {
		q = strstr(p, from);
		if (!q) {
			buf_puts(&b, p);
			break;
		}
		buf_append(&b, p, (size_t)(q - p));
		buf_puts(&b, to);
	}
	return buf_detach(&b, NULL);
}

/* The sample report lightly reworded, as a team might recycle it. */
static char *reworded_sample(void)
{
	static const char *const pairs[][2] = {
		{"不够", "不足"}, {"班子成员", "领导班子成员"}, {"比如", "例如"}, {"偏少", "较少"},
		{"2023年", "去年"}, {"不强", "较弱"}, {"不及时", "不够及时"}, {"存在", "有"},
	};
	char *s = xstrdup(embed_get("data/sample-team.md", NULL));
	for (size_t i = 0; i < ARRAY_LEN(pairs); i++) {
		char *t = replace_all(s, pairs[i][0], pairs[i][1]);
		free(s);
		s = t;
	}
	return s;
}

static void test_recurrence(void **state)
{
	(void)state;
	const char *sample = embed_get("data/sample-team.md", NULL);
	char *copy = reworded_sample();
	struct doc *old = parse(sample), *now = parse(copy);
	struct lint_priors pr = {0};
	lint_priors_add_doc(&pr, old, "2023.md");
	assert_int_equal(pr.n, 12);
	assert_string_equal(pr.v[0].origin, "2023.md:9");

	/* Every problem of the reworded copy is flagged, with the right origin. */
	struct lint_opts o = {.disabled = only(LINT_RECURRENCE), .prior = pr.v, .n_prior = pr.n};
	struct lint_result r;
	lint_run(now, &o, &r);
	assert_int_equal(r.summary.problem_items, 12);
	assert_int_equal(count_rule(&r, LINT_RECURRENCE), 12);
	for (size_t i = 0; i < r.n; i++) {
		assert_true(r.v[i].has_related);
		assert_true(r.v[i].similarity >= 0.6);
		/* The same item of last year: its line is the item's own line. */
		char want[64];
		snprintf(want, sizeof want, "2023.md:%u", r.v[i].line);
		assert_string_equal(r.v[i].related_origin, want);
	}
	assert_int_equal(r.summary.priors, 12);
	lint_result_release(&r);

	/* The same through a prebuilt index. */
	struct lint_index *ix = lint_index_new(pr.v, pr.n);
	assert_int_equal(lint_index_count(ix), 12);
	struct lint_opts oi = {.disabled = only(LINT_RECURRENCE), .index = ix};
	lint_run(now, &oi, &r);
	assert_int_equal(count_rule(&r, LINT_RECURRENCE), 12);
	lint_result_release(&r);
	lint_index_free(ix);

	/* A different report's problems are not recurrences. */
	char *ind = test_read(TEST_DATA("individual.txt"), NULL);
	struct doc *other = parse(ind);
	struct lint_priors po = {0};
	lint_priors_add_doc(&po, other, "ind.txt");
	struct lint_opts o2 = {.disabled = only(LINT_RECURRENCE), .prior = po.v, .n_prior = po.n};
	lint_run(now, &o2, &r);
	assert_int_equal(r.n, 0);
	lint_result_release(&r);

	/* Plain texts, as the ledger hands them over. */
	struct lint_priors pt = {0};
	lint_priors_add(&pt, "惠农政策宣传不到位。部分农户对耕地地力保护补贴等政策的申领条件不清楚。",
			"2022年度 问题7");
	lint_priors_add(&pt, "机关食堂管理不规范，采购台账不全。", "2022年度 问题8");
	struct lint_opts o3 = {.disabled = only(LINT_RECURRENCE), .prior = pt.v, .n_prior = pt.n};
	lint_run(now, &o3, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].related_origin, "2022年度 问题7");
	assert_non_null(strstr(r.v[0].message, "2022年度 问题7"));
	lint_result_release(&r);

	/* No priors: nothing. */
	struct lint_opts o4 = {.disabled = only(LINT_RECURRENCE)};
	lint_run(now, &o4, &r);
	assert_int_equal(r.n, 0);
	lint_result_release(&r);

	lint_priors_release(&pr);
	lint_priors_release(&po);
	lint_priors_release(&pt);
	doc_free(other);
	free(ind);
	doc_free(old);
	doc_free(now);
	free(copy);
}

/* 10,000 priors, most of them near one another: still exact answers. */
static void test_recurrence_many(void **state)
{
	(void)state;
	struct lint_priors pr = {0};
	for (int i = 0; i < 10000; i++) {
		char t[256];
		snprintf(t, sizeof t, "第%d个单位的班子成员理论学习不够系统，学用结合不够紧密，编号%d。", i,
			 i * 7919 % 10007);
		lint_priors_add(&pr, t, "old");
	}
	lint_priors_add(&pr, "惠农政策宣传不到位。部分农户对耕地地力保护补贴等政策的申领条件不清楚。",
			"the one");
	struct doc *d = parse(embed_get("data/sample-team.md", NULL));
	struct lint_opts o = {.disabled = only(LINT_RECURRENCE), .prior = pr.v, .n_prior = pr.n};
	struct lint_result r;
	lint_run(d, &o, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].related_origin, "the one");
	lint_result_release(&r);
	doc_free(d);
	lint_priors_release(&pr);
}

/* ---- formulation --------------------------------------------------------------------------------- */

static void test_formulation_correct_forms(void **state)
{
	(void)state;
	const char *w[256];
	size_t len[256];
	size_t nt = entries("data/formulations.txt", "[terms]", w, len, 256);
	assert_int_equal(nt, 78);
	size_t nv = entries("data/formulations.txt", "[variants]", w + nt, len + nt, 256 - nt);
	int bad = 0;
	for (size_t i = 0; i < nt + nv; i++) {
		char *a = xasprintf("我们要深入学习%.*s，坚定不移贯彻落实。", (int)len[i], w[i]);
		char *b = xasprintf("坚决做到“%.*s”。", (int)len[i], w[i]);
		char *c = xasprintf("%.*s是我们的遵循。", (int)len[i], w[i]);
		char *srcs[] = {a, b, c};
		for (size_t k = 0; k < 3; k++) {
			char *src = in_body(srcs[k]);
			char msg[600];
			if (fire(src, LINT_FORMULATION, msg, sizeof msg)) {
				fprintf(stderr, "flagged the correct form: %s\n  said: %s\n", srcs[k], msg);
				bad = 1;
			}
			free(src);
		}
		free(a);
		free(b);
		free(c);
	}
	/* All of them in one paragraph, back to back. */
	struct buf all = BUF_INIT(0);
	for (size_t i = 0; i < nt + nv; i++) {
		buf_append(&all, w[i], len[i]);
		buf_puts(&all, i % 2 ? "，" : "");
	}
	buf_puts(&all, "。");
	char *src = in_body(all.p);
	if (fire(src, LINT_FORMULATION, NULL, 0)) {
		fprintf(stderr, "flagged a correct form among all of them\n");
		bad = 1;
	}
	free(src);
	buf_release(&all);
	assert_false(bad);
}

/* For every term: a character substituted, dropped or added inside it is
 * flagged, naming the term. */
static void test_formulation_near_misses_of_every_term(void **state)
{
	(void)state;
	const char *w[256];
	size_t len[256];
	size_t nt = entries("data/formulations.txt", "[terms]", w, len, 256);
	int bad = 0;
	for (size_t i = 0; i < nt; i++) {
		/* Character boundaries of the term. */
		size_t at[64], m = 0;
		for (size_t k = 0; k < len[i]; k += (size_t)text_utf8_len((unsigned char)w[i][k]))
			at[m++] = k;
		at[m] = len[i];
		size_t mid = m / 2;
		char *sub = xasprintf("%.*s甲%.*s", (int)at[mid], w[i], (int)(len[i] - at[mid + 1]),
				      w[i] + at[mid + 1]);
		char *del = xasprintf("%.*s%.*s", (int)at[mid], w[i], (int)(len[i] - at[mid + 1]),
				      w[i] + at[mid + 1]);
		char *ins = xasprintf("%.*s甲%.*s", (int)at[mid], w[i], (int)(len[i] - at[mid]),
				      w[i] + at[mid]);
		char *forms[] = {sub, del, ins};
		/* In numbered terms (两个维护) only confusables count as changed
		 * characters: 甲 is none. */
		int numbered = len[i] > 6 && len[i] <= 15 && memcmp(w[i] + 3, "个", 3) == 0 &&
			       text_cn_number(w[i], 3) > 0;
		for (size_t k = numbered ? 1 : 0; k < 3; k++) {
			char *para = xasprintf("坚决做到“%s”。", forms[k]);
			char *src = in_body(para);
			char msg[600];
			size_t n = fire(src, LINT_FORMULATION, msg, sizeof msg);
			char *term = xstrndup(w[i], len[i]);
			if (n != 1 || !strstr(msg, term)) {
				fprintf(stderr, "near-miss %s of %s: %zu findings (%s)\n", forms[k], term, n, msg);
				bad = 1;
			}
			free(term);
			free(src);
			free(para);
		}
		/* Long terms are caught outside quotes too. */
		if (m >= 6) {
			char *para = xasprintf("我们要%s，贯彻落实。", sub);
			char *src = in_body(para);
			if (fire(src, LINT_FORMULATION, NULL, 0) != 1) {
				fprintf(stderr, "unquoted near-miss %s not flagged\n", sub);
				bad = 1;
			}
			free(src);
			free(para);
		}
		free(sub);
		free(del);
		free(ins);
	}
	assert_false(bad);
}

static void test_formulation(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"切实加强意识型态工作。",
		"持续推进全面从严冶党。",
		"加强党风廉正建设。",
		"践行以人民为中心发展思想。",
		"坚决做到“两个维户”。",
		"用习近平新时代中国特色社会主意思想武装头脑。",
		"坚持实是求是。",
		"发扬坚苦奋斗精神。",
		"力戒形势主义。",
		"坚持马克斯主义立场。",
		"严格执行民主集中治。",
		"牢固树立“四意识”。",
		"坚决做到“两个唯护”。",
		"坚决贯彻中央八项规定精精神。",
	};
	static const char *const no[] = {
		"从四个方面查找问题。",
		"严肃党内政治生活。",
		"从两个维度分析原因。",
		"推进全面依法治省。",
		"树立新的发展理念。",
		"开展批评与自我批评。",
		"在民主生活中敞开心扉。",
		"按时参加组织生活。",
		"牢固树立“四个意识”，坚定“四个自信”。",
		"推进全面从严治警。",
		"有四个意思要讲清楚。",
		"形式多样，主题鲜明。",
		"落实“两个确保”要求。",
		"牢固树立“四个意思”。",
	};
	check_table(LINT_FORMULATION, yes, ARRAY_LEN(yes), no, ARRAY_LEN(no), in_body);
	char msg[600];
	char *src = in_body("切实加强意识型态工作。");
	assert_int_equal(fire(src, LINT_FORMULATION, msg, sizeof msg), 1);
	assert_non_null(strstr(msg, "“意识型态”疑为规范提法“意识形态”之误"));
	free(src);
}

/* ---- the run as a whole ------------------------------------------------------------------------- */

static void test_lint_run_order_and_positions(void **state)
{
	(void)state;
	const char *src = "县局班子对照检查材料\n\nx县委认真学习，，坚持实是求是。\n\n"
			  "一、对照检查找出的问题\n\n一是学习不够。\n";
	struct doc *d = parse(src);
	struct lint_result r;
	lint_run(d, NULL, &r);
	assert_int_equal(r.n, 7);
	for (size_t i = 0; i < r.n; i++) {
		unsigned line, col;
		doc_line_col(d, r.v[i].span.start, &line, &col);
		assert_int_equal(r.v[i].line, line);
		assert_int_equal(r.v[i].col, col);
		assert_true(r.v[i].span.start <= r.v[i].span.end && r.v[i].span.end <= d->len);
		if (i)
			assert_true(r.v[i - 1].span.start <= r.v[i].span.start);
		assert_non_null(r.v[i].message);
		assert_non_null(r.v[i].text);
	}
	size_t total = 0;
	for (int s = 0; s < LINT_SEVERITY__MAX; s++)
		total += r.summary.by_severity[s];
	assert_int_equal(total, r.n);
	lint_result_release(&r);
	/* Every rule off: nothing. */
	struct lint_opts o = {.disabled = (1u << LINT_RULE__MAX) - 1};
	lint_run(d, &o, &r);
	assert_int_equal(r.n, 0);
	lint_result_release(&r);
	doc_free(d);
}

static void test_lint_names(void **state)
{
	(void)state;
	for (int i = 0; i < LINT_RULE__MAX; i++) {
		const char *n = lint_rule_name((enum lint_rule)i);
		assert_int_equal(lint_rule_from_name(n), i);
		assert_true(strlen(lint_rule_summary((enum lint_rule)i)) > 0);
	}
	assert_int_equal(lint_rule_from_name("no-such-rule"), LINT_RULE__MAX);
	assert_string_equal(lint_rule_name(LINT_VAGUE_PROBLEM), "vague-problem");
	assert_string_equal(lint_severity_name(LINT_WARNING), "warning");
}

static void test_lint_output(void **state)
{
	(void)state;
	const char *src = "县局班子对照检查材料\n\nx县委认真学习，，深入调研“。\n\n"
			  "班子成员抓基层党建工作的力度有所减弱。\n\n部分班子成员抓基层党建工作的力度有所减弱。\n";
	struct doc *d = parse(src);
	struct lint_result r;
	lint_run(d, NULL, &r);
	struct buf t = BUF_INIT(0);
	lint_to_text(&r, "a.txt", &t);
	/* Compiler style, then the quote. */
	assert_non_null(strstr(t.p, "a.txt:3:1: error: 占位符“x”没有填写"));
	assert_non_null(strstr(t.p, "[placeholder]\n    “x县委认真学习"));
	assert_non_null(strstr(t.p, "a.txt:3:8: error: 标点重复“，，”"));
	assert_non_null(strstr(t.p, "[repeat]\n    “部分班子成员"));
	assert_non_null(strstr(t.p, "a.txt:5:1: note: 前一处在这里 [repeat]"));
	buf_reset(&t);
	lint_summary_text(&r.summary, 1, &t);
	assert_non_null(strstr(t.p, "个错误"));
	assert_non_null(strstr(t.p, "没有识别出问题条目"));
	/* JSON parses and carries what the text says. */
	struct buf j = BUF_INIT(0);
	int first = 1;
	buf_puts(&j, "{\"format\":1,\"findings\":[");
	lint_to_json_findings(&r, "a.txt", &first, &j);
	buf_puts(&j, "],\"summary\":");
	lint_summary_json(&r.summary, &j);
	buf_puts(&j, "}");
	json_error_t je;
	json_t *root = json_loads(j.p, 0, &je);
	assert_non_null(root);
	json_t *fs = json_object_get(root, "findings");
	assert_int_equal(json_array_size(fs), r.n);
	int saw_related = 0;
	for (size_t i = 0; i < r.n; i++) {
		json_t *f = json_array_get(fs, i);
		assert_string_equal(json_string_value(json_object_get(f, "rule")),
				    lint_rule_name(r.v[i].rule));
		assert_int_equal(json_integer_value(json_object_get(f, "line")), r.v[i].line);
		assert_int_equal(json_integer_value(json_array_get(json_object_get(f, "span"), 0)),
				 r.v[i].span.start);
		json_t *rel = json_object_get(f, "related");
		if (rel) {
			saw_related = 1;
			assert_int_equal(json_integer_value(json_object_get(rel, "line")), 5);
		}
	}
	assert_true(saw_related);
	json_t *sum = json_object_get(root, "summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "errors")),
			 r.summary.by_severity[LINT_ERROR]);
	json_decref(root);
	buf_release(&j);
	buf_release(&t);
	lint_result_release(&r);
	doc_free(d);
}

/* ---- the shared fixture -------------------------------------------------------------------------- */

static void test_fixture_000(void **state)
{
	(void)state;
	const char *dir = getenv("RECTIFY_FIXTURES");
	char path[1024];
	snprintf(path, sizeof path, "%s/000_c3413cd0edfb2f64.txt", dir && *dir ? dir : FIXTURE_DIR);
	size_t len = 0;
	char *data = test_read(path, &len);
	if (!data) {
		fprintf(stderr, "  (fixture %s absent: skipped)\n", path);
		skip();
	}
	struct doc *d = NULL;
	assert_int_equal(doc_parse(data, len, path, &d, NULL), RC_OK);
	struct lint_result r;
	lint_run(d, NULL, &r);
	assert_int_equal(count_rule(&r, LINT_PLACEHOLDER), 8);
	int comma73 = 0, repeat11_15 = 0;
	for (size_t i = 0; i < r.n; i++) {
		const struct lint_finding *f = &r.v[i];
		if (f->rule == LINT_PUNCTUATION && f->line == 73 &&
		    memcmp(d->src + f->span.start, "，，", 6) == 0)
			comma73 = 1;
		if (f->rule == LINT_REPEAT && f->has_related &&
		    ((f->line == 15 && f->related_line == 11) || (f->line == 11 && f->related_line == 15)))
			repeat11_15 = 1;
	}
	assert_true(comma73);
	assert_true(repeat11_15);
	assert_int_equal(count_rule(&r, LINT_NUMBERING), 0);
	assert_int_equal(count_sev(&r, LINT_STRUCTURE, LINT_ERROR), 0);
	/* Errors: `rectify lint` exits 1. */
	assert_int_equal(r.summary.by_severity[LINT_ERROR], 10);
	lint_result_release(&r);
	doc_free(d);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder),
		cmocka_unit_test(test_punctuation),
		cmocka_unit_test(test_numbering),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_vague_problem),
		cmocka_unit_test(test_hedging),
		cmocka_unit_test(test_unmeasurable),
		cmocka_unit_test(test_unanswered),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_repeat_many),
		cmocka_unit_test(test_lint_cap),
		cmocka_unit_test(test_recurrence),
		cmocka_unit_test(test_recurrence_many),
		cmocka_unit_test(test_formulation),
		cmocka_unit_test(test_formulation_correct_forms),
		cmocka_unit_test(test_formulation_near_misses_of_every_term),
		cmocka_unit_test(test_lint_run_order_and_positions),
		cmocka_unit_test(test_lint_names),
		cmocka_unit_test(test_lint_output),
		cmocka_unit_test(test_fixture_000),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
