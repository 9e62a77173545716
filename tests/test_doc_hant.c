/*
 * Unit tests of reports written in traditional characters (doc_hant.c):
 * a traditional report parses to the same tree as its simplified twin
 * (tests/data/hant/, the traditional files made from the simplified ones
 * with OpenCC's s2tw and s2t), with spans into the text as written and
 * every string of the tree as written; simplified text is not taken for
 * traditional; odd and mixed text, a report large enough for two threads,
 * and the JSON written while the parse runs.
 */
#include "testutil.h"

#include <opencc.h>

#include "doc.h"
#include "doc_int.h"
#include "text.h"

static struct doc *parse_file(const char *path)
{
	size_t len = 0;
	char *data = test_read(path, &len);
	if (!data)
		fail_msg("cannot read %s", path);
	struct doc *d = NULL;
	struct err e = {0};
	if (doc_parse(data, len, path, &d, &e) != RC_OK)
		fail_msg("parse of %s failed: %s", path, e.msg);
	free(data);
	return d;
}

static struct doc *parse_mem(const char *s, size_t n)
{
	struct doc *d = NULL;
	struct err e = {0};
	if (doc_parse(s, n, "t.txt", &d, &e) != RC_OK)
		fail_msg("parse failed: %s", e.msg);
	return d;
}

/* ---- the shape of a tree ------------------------------------------------ */

static void span_put(struct buf *b, int spans, struct doc_span s)
{
	if (spans)
		buf_printf(b, " [%u,%u)", s.start, s.end);
}

static void label_put(struct buf *b, const struct doc_label *l)
{
	buf_printf(b, "%s|%d|%s|%u", l->text, l->number, doc_style_name(l->style), l->inline_start);
}

static void items_put(struct buf *b, int spans, const struct doc_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, "    I ");
		label_put(b, &it[i].label);
		buf_printf(b, " ex=%zu fields=%zu", it[i].n_examples, it[i].n_fields);
		span_put(b, spans, it[i].span);
		span_put(b, spans, it[i].lead_span);
		for (size_t k = 0; k < it[i].n_examples; k++)
			span_put(b, spans, it[i].examples[k].span);
		buf_putc(b, '\n');
	}
}

/* Everything of the tree but its strings (labels are canonical and stay),
 * one fact per line; with spans when asked. */
static char *shape(const struct doc *d, int spans)
{
	struct buf b = BUF_INIT(0);
	buf_printf(&b, "kind=%s year=%d sections=%zu", doc_kind_name(d->kind), d->year,
		   d->n_sections);
	span_put(&b, spans, d->title_span);
	buf_putc(&b, '\n');
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		buf_puts(&b, "S ");
		label_put(&b, &s->label);
		buf_printf(&b, " %s", doc_role_name(s->role));
		span_put(&b, spans, s->span);
		span_put(&b, spans, s->title_span);
		buf_putc(&b, '\n');
		for (size_t k = 0; k < s->n_areas; k++) {
			const struct doc_area *a = &s->areas[k];
			buf_puts(&b, "  A ");
			label_put(&b, &a->label);
			span_put(&b, spans, a->span);
			span_put(&b, spans, a->title_span);
			buf_putc(&b, '\n');
			items_put(&b, spans, a->items, a->n_items);
		}
		items_put(&b, spans, s->items, s->n_items);
	}
	for (size_t i = 0; i < d->n_commitments; i++) {
		const struct doc_commitment *c = &d->commitments[i];
		buf_printf(&b, "C %d %s %s", c->min, doc_period_name(c->period), doc_per_name(c->per));
		span_put(&b, spans, c->span);
		buf_putc(&b, '\n');
	}
	for (size_t i = 0; i < d->n_deadlines; i++) {
		const struct doc_deadline *dl = &d->deadlines[i];
		buf_printf(&b, "D %s %s", doc_deadline_kind_name(dl->kind), dl->date);
		span_put(&b, spans, dl->span);
		buf_putc(&b, '\n');
	}
	buf_printf(&b, "P %zu\n", d->n_placeholders);
	for (size_t i = 0; spans && i < d->n_placeholders; i++) {
		span_put(&b, spans, d->placeholders[i].span);
		buf_putc(&b, '\n');
	}
	buf_putc(&b, '\0');
	return b.p;
}

/* ---- every string of a tree ----------------------------------------------- */

typedef void (*str_fn)(const char *what, const char *s, void *arg);

static void items_strings(const struct doc_item *it, size_t n, str_fn fn, void *arg)
{
	for (size_t i = 0; i < n; i++) {
		fn("lead", it[i].lead, arg);
		fn("item text", it[i].text, arg);
		for (size_t k = 0; k < it[i].n_examples; k++)
			fn("example", it[i].examples[k].text, arg);
		for (size_t k = 0; k < it[i].n_fields; k++)
			fn("field", it[i].fields[k].text, arg);
	}
}

static void strings(const struct doc *d, str_fn fn, void *arg)
{
	fn("title", d->title, arg);
	fn("preamble", d->preamble, arg);
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		fn("section title", s->title, arg);
		fn("section text", s->text, arg);
		for (size_t k = 0; k < s->n_areas; k++) {
			fn("area title", s->areas[k].title, arg);
			fn("area text", s->areas[k].text, arg);
			items_strings(s->areas[k].items, s->areas[k].n_items, fn, arg);
		}
		items_strings(s->items, s->n_items, fn, arg);
	}
	for (size_t i = 0; i < d->n_commitments; i++) {
		fn("commitment", d->commitments[i].text, arg);
		fn("subject", d->commitments[i].subject, arg);
		fn("unit", d->commitments[i].unit, arg);
	}
	for (size_t i = 0; i < d->n_deadlines; i++)
		fn("deadline", d->deadlines[i].text, arg);
	for (size_t i = 0; i < d->n_placeholders; i++) {
		fn("placeholder", d->placeholders[i].text, arg);
		fn("context", d->placeholders[i].context, arg);
	}
}

static void collect(const char *what, const char *s, void *arg)
{
	struct buf *b = arg;
	buf_printf(b, "%s: %s\n", what, s);
}

/* All strings of d, one a line (converted to simplified with OpenCC's
 * tw2s when to_simple). */
static char *all_strings(const struct doc *d, int to_simple)
{
	struct buf b = BUF_INIT(0);
	strings(d, collect, &b);
	buf_putc(&b, '\0');
	if (!to_simple)
		return b.p;
	opencc_t cc = opencc_open("tw2s.json");
	assert_true(cc != (opencc_t)-1);
	char *r = opencc_convert_utf8(cc, b.p, b.len - 1);
	assert_non_null(r);
	char *out = strdup(r);
	opencc_convert_utf8_free(r);
	opencc_close(cc);
	buf_release(&b);
	return out;
}

/* A string of the tree equals the source at its span, normalised. */
static void as_written(const struct doc *d, const char *s, struct doc_span sp)
{
	char *n = doc_normalise(d->src + sp.start, sp.end - sp.start);
	if (strcmp(n, s) != 0)
		fail_msg("“%s” is not as written: “%s” at [%u,%u)", s, n, sp.start, sp.end);
	free(n);
}

static void check_as_written(const struct doc *d)
{
	if (*d->title)
		as_written(d, d->title, d->title_span);
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		as_written(d, s->title, s->title_span);
		for (size_t k = 0; k < s->n_areas; k++) {
			const struct doc_area *a = &s->areas[k];
			as_written(d, a->title, a->title_span);
			for (size_t m = 0; m < a->n_items; m++) {
				as_written(d, a->items[m].lead, a->items[m].lead_span);
				for (size_t x = 0; x < a->items[m].n_examples; x++)
					as_written(d, a->items[m].examples[x].text,
						   a->items[m].examples[x].span);
			}
		}
		for (size_t m = 0; m < s->n_items; m++)
			as_written(d, s->items[m].lead, s->items[m].lead_span);
	}
	for (size_t i = 0; i < d->n_deadlines; i++)
		as_written(d, d->deadlines[i].text, d->deadlines[i].span);
	for (size_t i = 0; i < d->n_placeholders; i++)
		as_written(d, d->placeholders[i].text, d->placeholders[i].span);
}

/* ---- the twins -------------------------------------------------------------- */

static void twins(const char *hans_path, const char *hant_path)
{
	struct doc *s = parse_file(hans_path), *t = parse_file(hant_path);
	assert_int_equal(s->traditional, 0);
	assert_int_equal(t->traditional, 1);
	assert_null(t->hant_fold);
	/* The same tree; the twins have the same byte layout, so the same
	 * spans too. */
	char *ss = shape(s, 1), *ts = shape(t, 1);
	assert_string_equal(ts, ss);
	free(ss);
	free(ts);
	assert_int_equal(s->len, t->len);
	assert_int_equal(s->n_sections, 3);
	/* The source as written, and its checksum. */
	size_t len = 0;
	char *raw = test_read(hant_path, &len);
	assert_int_equal(len, t->len);
	assert_memory_equal(t->src, raw, len);
	char sha[65];
	util_sha256_hex(raw, len, sha);
	assert_string_equal(t->sha256, sha);
	free(raw);
	/* Every string as written, and the same text in the other script. */
	check_as_written(t);
	char *sa = all_strings(s, 0), *ta = all_strings(t, 1);
	assert_string_equal(ta, sa);
	free(sa);
	free(ta);
	char *tw = all_strings(t, 0);
	assert_null(strstr(tw, "学习"));
	assert_non_null(strstr(tw, "學習"));
	free(tw);
	doc_free(s);
	doc_free(t);
}

static void test_hant_team(void **state)
{
	(void)state;
	twins(TEST_DATA("hant/team-hans.txt"), TEST_DATA("hant/team-hant.txt"));
	twins(TEST_DATA("hant/team-hans.txt"), TEST_DATA("hant/team-hant-opencc.txt"));
	struct doc *t = parse_file(TEST_DATA("hant/team-hant.txt"));
	assert_int_equal(t->kind, DOC_KIND_TEAM);
	assert_int_equal(t->year, 2023);
	assert_string_equal(t->sections[0].areas[0].title, "在理論學習方面");
	assert_int_equal(t->sections[0].role, DOC_ROLE_PROBLEMS);
	assert_int_equal(t->sections[1].role, DOC_ROLE_CAUSES);
	assert_int_equal(t->sections[2].role, DOC_ROLE_MEASURES);
	const struct doc_item *it = &t->sections[0].areas[0].items[0];
	assert_string_equal(it->lead, "學習的系統性不夠");
	assert_int_equal(it->n_examples, 1);
	assert_non_null(strstr(it->examples[0].text, "比如，局黨組理論學習中心組"));
	assert_int_equal(t->sections[1].n_items, 3);
	assert_int_equal(t->sections[1].items[2].label.style, DOC_STYLE_SEQ);
	assert_int_equal(t->n_commitments, 3);
	assert_int_equal(t->commitments[0].min, 1);
	assert_int_equal(t->commitments[0].period, DOC_PERIOD_QUARTER);
	assert_string_equal(t->commitments[0].subject, "專題研討");
	int ongoing = 0;
	for (size_t i = 0; i < t->n_deadlines; i++)
		if (t->deadlines[i].kind == DOC_DEADLINE_ONGOING) {
			assert_string_equal(t->deadlines[i].text, "長期堅持");
			ongoing = 1;
		}
	assert_true(ongoing);
	assert_string_equal(t->deadlines[0].date, "2024-06-30");
	assert_int_equal(t->n_placeholders, 1);
	assert_string_equal(t->placeholders[0].text, "XX");
	assert_non_null(strstr(t->placeholders[0].context, "對XX街道"));
	doc_free(t);
}

/* Markdown, half-width punctuation and full-width digits: strings are
 * normalised, and still as written. */
static void test_hant_person(void **state)
{
	(void)state;
	twins(TEST_DATA("hant/person-hans.md"), TEST_DATA("hant/person-hant.md"));
	struct doc *t = parse_file(TEST_DATA("hant/person-hant.md"));
	assert_int_equal(t->kind, DOC_KIND_INDIVIDUAL);
	assert_string_equal(t->title, "2023年度個人對照檢查材料");
	const struct doc_section *m = &t->sections[2];
	assert_int_equal(m->role, DOC_ROLE_MEASURES);
	assert_string_equal(m->areas[0].title, "加強學習");
	assert_non_null(strstr(m->areas[0].text, "每月至少自學4篇重要文章，每半年至少撰寫1篇學習體會"));
	assert_string_equal(t->deadlines[0].text, "2024年3月底前");
	assert_string_equal(t->deadlines[0].date, "2024-03-31");
	doc_free(t);
}

/* ---- detection ------------------------------------------------------------- */

static void test_hant_detect(void **state)
{
	(void)state;
	size_t len = 0;
	char *s = test_read(TEST_DATA("hant/team-hans.txt"), &len);
	char *t = test_read(TEST_DATA("hant/team-hant.txt"), &len);
	assert_int_equal(doc_hant_detect(s, strlen(s)), 0);
	assert_int_equal(doc_hant_detect(t, strlen(t)), 1);
	/* Simplified writing with the few characters it keeps that OpenCC
	 * changes (乾, 於, 後, 著, 裏) stays simplified. */
	const char *odd = "一、存在的问题\n有的同志工作不够扎实，习惯于等待观望，遇事总往後推；"
			  "有的同志对群众的困难关心不够，没有把工作做乾净，存在着敷衍了事的现象。"
			  "在学习上满足于完成规定动作，心裏对理论学习不够重视。\n";
	assert_int_equal(doc_hant_detect(odd, strlen(odd)), 0);
	struct doc *d = parse_mem(odd, strlen(odd));
	assert_int_equal(d->traditional, 0);
	assert_memory_equal(d->src, odd, strlen(odd));
	doc_free(d);
	/* A simplified report that quotes a traditional name stays simplified. */
	char *q = xasprintf("%s\n引用：《臺灣關係與兩岸經濟發展論叢》\n", s);
	assert_int_equal(doc_hant_detect(q, strlen(q)), 0);
	free(q);
	/* No Han characters, or too few to tell. */
	assert_int_equal(doc_hant_detect("plain ASCII text", 16), 0);
	assert_int_equal(doc_hant_detect("學", 3), 0);
	assert_int_equal(doc_hant_detect("", 0), 0);
	free(s);
	free(t);
}

/* ---- odd and mixed text ------------------------------------------------------ */

static void check_spans(const struct doc *d)
{
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		assert_true(s->span.start <= s->span.end && s->span.end <= d->len);
		assert_true(s->title_span.end <= d->len);
	}
	for (size_t i = 0; i < d->n_placeholders; i++)
		assert_true(d->placeholders[i].span.end <= d->len);
	for (size_t i = 0; i < d->n_commitments; i++)
		assert_true(d->commitments[i].span.end <= d->len);
	assert_true(text_utf8_valid(d->src, d->len, NULL));
}

static void test_hant_odd(void **state)
{
	(void)state;
	static const char *const odd[] = {
		/* Traditional, then characters of other lengths: 㑮 folds into
		 * a supplementary character and stays as written; 𡞵 is itself
		 * supplementary. */
		"一、對照檢查發現的問題\n一是學習不夠㑮㑮。二是𡞵𡞵聯繫羣衆不夠。\n二、整改措施\n長期堅持。\n",
		/* Half and half. */
		"一、對照檢查發現的問題\n一是学习不够。二是聯繫群眾不夠。\n二、整改措施\n每月至少開展1次學習，长期坚持。\n",
		/* Traditional characters and nothing else of a report. */
		"學習貫徹落實會議精神體會認識還不夠深刻隨時發現問題並處理",
		/* Without a line break, with control-free junk. */
		"國國國國國國國國 abc （） XX 某某 ★☆ 1.2.3 ①②③ 一是 二是 第一，第二，",
		/* Traditional labels only. */
		"一、\n（一）\n一是\n最後\n",
	};
	for (size_t i = 0; i < ARRAY_LEN(odd); i++) {
		struct doc *d = parse_mem(odd[i], strlen(odd[i]));
		assert_memory_equal(d->src, odd[i], strlen(odd[i]));
		check_spans(d);
		struct buf b = BUF_INIT(0);
		doc_to_json(d, &b);
		doc_to_text(d, &b);
		assert_int_equal(b.err, 0);
		buf_release(&b);
		doc_free(d);
	}
	struct doc *d = parse_mem(odd[0], strlen(odd[0]));
	assert_int_equal(d->traditional, 1);
	assert_int_equal(d->n_sections, 2);
	assert_string_equal(d->sections[0].items[0].lead, "學習不夠㑮㑮");
	assert_non_null(strstr(d->sections[0].items[1].text, "𡞵𡞵聯繫羣衆"));
	doc_free(d);
}

/* ---- a report for two threads, and the JSON written while it is parsed ---- */

static char *repeated(const char *path, size_t min, size_t *len)
{
	size_t n = 0;
	char *one = test_read(path, &n);
	assert_non_null(one);
	/* The title once, then the sections again and again. */
	const char *body = strstr(one, "一、");
	assert_non_null(body);
	struct buf b = BUF_INIT(0);
	buf_append(&b, one, n);
	while (b.len < min)
		buf_append(&b, body, n - (size_t)(body - one));
	*len = b.len;
	free(one);
	return b.p;
}

static void test_hant_large(void **state)
{
	(void)state;
	size_t sl = 0, tl = 0;
	char *s = repeated(TEST_DATA("hant/team-hans.txt"), 300u << 10, &sl);
	char *t = repeated(TEST_DATA("hant/team-hant.txt"), 300u << 10, &tl);
	assert_int_equal(sl, tl);
	assert_true(tl >= util_parallel_from || util_parallel_from == 0);
	struct doc *ds = parse_mem(s, sl), *dt = parse_mem(t, tl);
	assert_int_equal(dt->traditional, 1);
	char *ss = shape(ds, 1), *ts = shape(dt, 1);
	assert_string_equal(ts, ss);
	free(ss);
	free(ts);
	check_as_written(dt);
	char *sa = all_strings(ds, 0), *ta = all_strings(dt, 1);
	assert_string_equal(ta, sa);
	free(sa);
	free(ta);
	/* The JSON written while the commitments are still being found is the
	 * JSON of the finished tree, in the characters as written. */
	struct buf want = BUF_INIT(0);
	doc_to_json(dt, &want);
	char *got = NULL;
	size_t got_len = 0;
	FILE *f = open_memstream(&got, &got_len);
	assert_non_null(f);
	struct err e = {0};
	char *copy = xmalloc(tl + 1);
	memcpy(copy, t, tl);
	assert_int_equal(doc_parse_json_file(copy, tl, "r.txt", f, &e), RC_OK);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(got_len, want.len);
	assert_memory_equal(got, want.p, want.len);
	assert_non_null(strstr(got, "\"title\":\"在理論學習方面\""));
	assert_non_null(strstr(got, "\"subject\":\"專題研討\""));
	assert_non_null(strstr(got, "\"text\":\"長期堅持\""));
	assert_null(strstr(got, "学习"));
	free(got);
	buf_release(&want);
	doc_free(ds);
	doc_free(dt);
	free(s);
	free(t);
}

/* The small reports through doc_parse_json_file too. */
static void test_hant_json(void **state)
{
	(void)state;
	size_t len = 0;
	char *t = test_read(TEST_DATA("hant/person-hant.md"), &len);
	struct doc *d = parse_mem(t, len);
	struct buf want = BUF_INIT(0);
	doc_to_json(d, &want);
	char *got = NULL;
	size_t got_len = 0;
	FILE *f = open_memstream(&got, &got_len);
	struct err e = {0};
	assert_int_equal(doc_parse_json_file(t, len, "r.txt", f, &e), RC_OK);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(got_len, want.len);
	assert_memory_equal(got, want.p, want.len);
	assert_non_null(strstr(got, "學習"));
	free(got);
	buf_release(&want);
	doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hant_team),
		cmocka_unit_test(test_hant_person),
		cmocka_unit_test(test_hant_detect),
		cmocka_unit_test(test_hant_odd),
		cmocka_unit_test(test_hant_large),
		cmocka_unit_test(test_hant_json),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	/* Again with every stage split over two threads, however small. */
	const struct CMUnitTest split[] = {
		cmocka_unit_test(test_hant_team),
		cmocka_unit_test(test_hant_person),
		cmocka_unit_test(test_hant_odd),
		cmocka_unit_test(test_hant_json),
	};
	return rc | cmocka_run_group_tests_name("split", split, test_all_threaded, test_one_thread);
}
