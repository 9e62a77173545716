/*
 * Unit tests of the document engine: the whole tree of the project's own
 * example reports (a team report and an individual one) in their clean form
 * and in the messy forms offices produce, numbering styles, roles, kinds,
 * commitments, deadlines, placeholders, bad input, and the shared real
 * report when ../shared/fixtures/ is present.
 */
#include "testutil.h"

#include <iconv.h>

#include "doc.h"
#include "doc_int.h"
#include "embed.h"
#include "text.h"

/* ---- helpers ----------------------------------------------------------- */

static struct doc *parse_ok(const char *data, size_t len, const char *name)
{
	struct doc *d = NULL;
	struct err e = {0};
	enum rc rc = doc_parse(data, len, name, &d, &e);
	if (rc != RC_OK)
		fail_msg("parse failed: %s", e.msg);
	return d;
}

static struct doc *parse_str(const char *s)
{
	return parse_ok(s, strlen(s), "t.txt");
}

/* Everything of the tree but spans and source facts, one fact per line: two
 * inputs give the same tree when their shapes are equal. */
static void shape_items(struct buf *b, const struct doc_item *it, size_t n, const char *ind)
{
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%sI %s|%d|%s\n%s  %s\n", ind, it[i].label.text, it[i].label.number,
			   it[i].lead, ind, it[i].text);
		for (size_t k = 0; k < it[i].n_examples; k++)
			buf_printf(b, "%s  E %s\n", ind, it[i].examples[k].text);
	}
}

static char *shape(const struct doc *d)
{
	struct buf b = BUF_INIT(0);
	buf_printf(&b, "T %s\nK %s %d\nP %s\n", d->title, doc_kind_name(d->kind), d->year,
		   d->preamble);
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		buf_printf(&b, "S %s|%s|%s\n  %s\n", s->label.text, s->title, doc_role_name(s->role),
			   s->text);
		for (size_t k = 0; k < s->n_areas; k++) {
			const struct doc_area *a = &s->areas[k];
			buf_printf(&b, "  A %s|%s\n    %s\n", a->label.text, a->title, a->text);
			shape_items(&b, a->items, a->n_items, "    ");
		}
		shape_items(&b, s->items, s->n_items, "  ");
	}
	for (size_t i = 0; i < d->n_commitments; i++) {
		const struct doc_commitment *c = &d->commitments[i];
		buf_printf(&b, "C %d %s %s %s %s | %s\n", c->min, doc_period_name(c->period),
			   doc_per_name(c->per), c->unit, c->subject, c->text);
	}
	for (size_t i = 0; i < d->n_deadlines; i++)
		buf_printf(&b, "D %s %s %s\n", d->deadlines[i].text,
			   doc_deadline_kind_name(d->deadlines[i].kind), d->deadlines[i].date);
	for (size_t i = 0; i < d->n_placeholders; i++)
		buf_printf(&b, "X %s\n", d->placeholders[i].text);
	return buf_detach(&b, NULL);
}

/* Every span lies in the source, parents cover children, and the source at
 * each item's lead span normalises to its lead. */
static void check_spans(const struct doc *d)
{
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		assert_true(s->span.start <= s->span.end && s->span.end <= d->len);
		for (size_t k = 0; k < s->n_areas; k++) {
			const struct doc_area *a = &s->areas[k];
			assert_true(a->span.start >= s->span.start && a->span.end <= s->span.end);
			for (size_t m = 0; m < a->n_items; m++) {
				const struct doc_item *it = &a->items[m];
				assert_true(it->span.start >= a->span.start && it->span.end <= a->span.end);
				assert_true(it->lead_span.start >= it->span.start &&
					    it->lead_span.end <= it->span.end);
				char *lead = doc_normalise(d->src + it->lead_span.start,
							   it->lead_span.end - it->lead_span.start);
				/* A hard-wrapped lead may span a line break in the source. */
				char *p = lead, *q = lead;
				for (; *p; p++)
					if (*p != '\n')
						*q++ = *p;
				*q = '\0';
				if (strcmp(lead, it->lead) != 0)
					fail_msg("lead span gives \"%s\", lead is \"%s\"", lead, it->lead);
				free(lead);
			}
		}
	}
	for (size_t i = 0; i < d->n_placeholders; i++)
		assert_true(d->placeholders[i].span.end <= d->len &&
			    d->placeholders[i].span.start < d->placeholders[i].span.end);
}

/* ---- messy forms --------------------------------------------------------- */

/* Replace every occurrence of `from` by `to`. */
static char *replace_all(const char *s, const char *from, const char *to)
{
	struct buf b = BUF_INIT(0);
	size_t fl = strlen(from);
	const char *p;
	while ((p = strstr(s, from)) != NULL) {
		buf_append(&b, s, (size_t)(p - s));
		buf_puts(&b, to);
		s = p + fl;
	}
	buf_puts(&b, s);
	return buf_detach(&b, NULL);
}

static char *replace_free(char *s, const char *from, const char *to)
{
	char *r = replace_all(s, from, to);
	free(s);
	return r;
}

/* Lines without the Markdown marks of the sample (# and ##). */
static char *plain_text(const char *md)
{
	char *s = replace_all(md, "## ", "");
	return replace_free(s, "# ", "");
}

static char *form_bom_crlf(const char *s)
{
	char *r = replace_all(s, "\n", "\r\n");
	char *o = xasprintf("\xEF\xBB\xBF%s", r);
	free(r);
	return o;
}

static char *form_cr(const char *s)
{
	return replace_all(s, "\n", "\r");
}

static char *form_gb18030(const char *s, size_t *len)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t il = strlen(s), cap = il * 2 + 8, ol = cap;
	char *out = xmalloc(cap), *op = out, *ip = (char *)s;
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*len = cap - ol;
	return out;
}

/* Half-width brackets, quotes, colons and commas; full-width digits. */
static char *form_widths(const char *s)
{
	char *r = replace_all(s, "（", "(");
	r = replace_free(r, "）", ")");
	r = replace_free(r, "“", "\"");
	r = replace_free(r, "”", "\"");
	r = replace_free(r, "：", ":");
	r = replace_free(r, "，", ",");
	static const char *const fw[] = {"０", "１", "２", "３", "４", "５", "６", "７", "８", "９"};
	for (int k = 0; k < 10; k++) {
		char digit[2] = {(char)('0' + k), 0};
		r = replace_free(r, digit, fw[k]);
	}
	return r;
}

/* Bold section titles, extra blank lines, indentation (ASCII and
 * full-width), trailing spaces. */
static char *form_markdown(const char *plain)
{
	struct buf b = BUF_INIT(0);
	const char *p = plain;
	int n = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == 0) {
			buf_puts(&b, "\n\n");
		} else if (len > 6 && strncmp(p, "一、", 6) == 0 ) {
			buf_printf(&b, "**%.*s**\n", (int)len, p);
		} else if (len > 6 && (strncmp(p, "二、", 6) == 0 || strncmp(p, "三、", 6) == 0)) {
			buf_printf(&b, "## %.*s\n", (int)len, p);
		} else {
			buf_puts(&b, n++ % 2 ? "\u3000\u3000" : "    ");
			buf_append(&b, p, len);
			buf_puts(&b, "  \n");
		}
		p += len + (nl ? 1 : 0);
	}
	return buf_detach(&b, NULL);
}

/* As pasted from a PDF: no blank lines, first lines indented, every
 * paragraph hard-wrapped at `width` characters, a page number and a running
 * header every `page` lines (so that pages break inside paragraphs). */
static char *form_pdf(const char *plain, int width, int page)
{
	struct buf b = BUF_INIT(0);
	const char *p = plain;
	int lines = 0, pageno = 1, first = 1;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 0) {
			/* Title line centred, paragraphs indented by two spaces. */
			int chars = 2;
			buf_puts(&b, first ? "        " : "\u3000\u3000");
			first = 0;
			for (size_t i = 0; i < len;) {
				size_t cl = (size_t)text_utf8_len((unsigned char)p[i]);
				buf_append(&b, p + i, cl);
				i += cl;
				if (++chars == width && i < len) {
					buf_putc(&b, '\n');
					chars = 0;
					if (++lines % page == 0) {
						buf_printf(&b, "\n— %d —\n\n县农业农村局文件\n", pageno++);
					}
				}
			}
			buf_putc(&b, '\n');
			if (++lines % page == 0)
				buf_printf(&b, "\n- %d -\n\n县农业农村局文件\n", pageno++);
		}
		p += len + (nl ? 1 : 0);
	}
	return buf_detach(&b, NULL);
}

/* Items of an area run together in one paragraph (…。二是…。三是…). */
static char *form_inline(const char *plain)
{
	char *r = plain ? xstrdup(plain) : NULL;
	static const char *const next[] = {"二是", "三是", "四是", "五是", "六是"};
	for (size_t k = 0; k < ARRAY_LEN(next); k++) {
		char *from = xasprintf("\n\n%s", next[k]);
		r = replace_free(r, from, next[k]);
		free(from);
	}
	return r;
}

static void assert_same_tree(const char *want, const char *data, size_t len, const char *name,
			     const char *what)
{
	struct doc *d = parse_ok(data, len, name);
	char *got = shape(d);
	if (strcmp(want, got) != 0) {
		/* Print the first line that differs. */
		const char *a = want, *g = got;
		unsigned line = 1;
		while (*a && *a == *g) {
			if (*a == '\n')
				line++;
			a++;
			g++;
		}
		fail_msg("%s: tree differs at shape line %u:\n  want: %.120s\n  got:  %.120s", what, line,
			 a, g);
	}
	check_spans(d);
	free(got);
	doc_free(d);
}

/* All messy forms of a clean report give its tree. */
static void messy_forms(const char *clean, const char *name, int inline_ok)
{
	struct doc *d = parse_ok(clean, strlen(clean), name);
	char *want = shape(d);
	check_spans(d);
	doc_free(d);

	char *plain = plain_text(clean);
	assert_same_tree(want, plain, strlen(plain), "t.txt", "plain text");
	char *f = form_bom_crlf(clean);
	assert_same_tree(want, f, strlen(f), name, "BOM + CRLF");
	free(f);
	f = form_cr(clean);
	assert_same_tree(want, f, strlen(f), name, "CR");
	free(f);
	size_t gl;
	f = form_gb18030(clean, &gl);
	assert_same_tree(want, f, gl, name, "GB18030");
	free(f);
	f = form_widths(clean);
	assert_same_tree(want, f, strlen(f), name, "half/full widths");
	free(f);
	f = form_markdown(plain);
	assert_same_tree(want, f, strlen(f), "t.md", "markdown");
	free(f);
	f = form_pdf(plain, 30, 23);
	assert_same_tree(want, f, strlen(f), "t.txt", "pdf paste 30/23");
	free(f);
	f = form_pdf(plain, 24, 40);
	assert_same_tree(want, f, strlen(f), "t.txt", "pdf paste 24/40");
	free(f);
	if (inline_ok) {
		f = form_inline(plain);
		assert_same_tree(want, f, strlen(f), "t.txt", "items inside one paragraph");
		free(f);
	}
	free(plain);
	free(want);
}

/* ---- the project's own reports ----------------------------------------- */

static void golden(const char *data, size_t len, const char *name, const char *golden_path)
{
	struct doc *d = parse_ok(data, len, name);
	char *got = shape(d);
	size_t wl;
	char *want = test_read(golden_path, &wl);
	if (!want || strcmp(want, got) != 0) {
		const char *base = strrchr(golden_path, '/');
		char *out = xasprintf("build/%s", base ? base + 1 : golden_path);
		FILE *f = fopen(out, "w");
		if (f) {
			fputs(got, f);
			fclose(f);
		}
		fail_msg("%s differs from %s (the tree it gave is in %s)", name, golden_path, out);
		free(out);
	}
	free(want);
	free(got);
	doc_free(d);
}

static void test_doc_team_report(void **state)
{
	(void)state;
	size_t len = 0;
	const char *md = embed_get("data/sample-team.md", &len);
	assert_non_null(md);
	golden(md, len, "sample-team.md", TEST_DATA("sample-team.shape"));
	struct doc *d = parse_ok(md, len, "sample-team.md");
	assert_int_equal(d->kind, DOC_KIND_TEAM);
	assert_int_equal(d->year, 2023);
	assert_int_equal(d->n_sections, 3);
	assert_int_equal(d->sections[0].role, DOC_ROLE_PROBLEMS);
	assert_int_equal(d->sections[0].n_areas, 4);
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(d->sections[0].areas[k].n_items, 3);
	assert_int_equal(d->sections[1].role, DOC_ROLE_CAUSES);
	assert_int_equal(d->sections[1].n_items, 4);
	assert_int_equal(d->sections[2].role, DOC_ROLE_MEASURES);
	assert_int_equal(d->sections[2].n_areas, 4);
	assert_string_equal(d->sections[0].areas[0].items[0].lead, "理论学习系统性不强");
	assert_string_equal(d->format, "markdown");
	doc_free(d);
}

static void test_doc_team_report_messy(void **state)
{
	(void)state;
	size_t len = 0;
	const char *md = embed_get("data/sample-team.md", &len);
	messy_forms(md, "sample-team.md", 1);
}

static void test_doc_individual_report(void **state)
{
	(void)state;
	size_t len = 0;
	char *txt = test_read(TEST_DATA("individual.txt"), &len);
	assert_non_null(txt);
	golden(txt, len, "individual.txt", TEST_DATA("individual.shape"));
	struct doc *d = parse_ok(txt, len, "individual.txt");
	assert_int_equal(d->kind, DOC_KIND_INDIVIDUAL);
	assert_int_equal(d->n_sections, 3);
	assert_int_equal(d->sections[0].n_areas, 2);
	assert_int_equal(d->sections[1].n_items, 3);       /* 首先 其次 最后 in one paragraph */
	assert_int_equal(d->sections[1].items[2].label.number, 3);
	assert_int_equal(d->sections[2].n_items, 3);       /* 1. 2. 3. directly under the section */
	assert_int_equal(d->n_placeholders, 1);
	for (size_t i = 0; i < d->n_commitments; i++)
		assert_int_equal(d->commitments[i].per, DOC_PER_MEMBER);
	doc_free(d);
	messy_forms(txt, "individual.txt", 0);
	free(txt);
}

/* ---- numbering ------------------------------------------------------------ */

static void test_doc_numbering_styles(void **state)
{
	(void)state;
	const char *s =
		"某局党组整改方案\n\n"
		"第一部分 存在的问题\n\n"
		"（一）学习方面\n\n"
		"1．学习不深。比如，全年只学了4次。\n\n"
		"2、调研不实。例如，调研报告仅1篇。\n\n"
		"(3)落实不力。有的任务拖了3个月。\n\n"
		"（二）作风方面\n\n"
		"⑴会风不实。会议多。\n\n"
		"⑵文风不正。材料长。\n\n"
		"第二部分 原因分析\n\n"
		"第一，思想认识不到位。第二，制度执行不严格。第三，监督不够有力。\n\n"
		"第三部分 整改措施\n\n"
		"① 每月集中学习不少于2次。\n\n"
		"② 2024年6月底前修订调研制度。\n";
	struct doc *d = parse_str(s);
	assert_int_equal(d->kind, DOC_KIND_PLAN);
	assert_int_equal(d->n_sections, 3);
	const struct doc_section *p = &d->sections[0];
	assert_string_equal(p->label.text, "第一部分");
	assert_int_equal(p->role, DOC_ROLE_PROBLEMS);
	assert_int_equal(p->n_areas, 2);
	assert_int_equal(p->areas[0].n_items, 3);
	assert_string_equal(p->areas[0].items[0].label.text, "1.");
	assert_string_equal(p->areas[0].items[1].label.text, "2.");
	assert_string_equal(p->areas[0].items[2].label.text, "（3）");
	assert_int_equal(p->areas[0].items[2].label.style, DOC_STYLE_AR_PAREN);
	/* (3) is a different style from 1. and 2., so it nests under 2. only if
	 * it had no siblings; here it follows them at the same depth. */
	assert_string_equal(p->areas[0].items[1].lead, "调研不实");
	assert_int_equal(p->areas[1].n_items, 2);
	assert_string_equal(p->areas[1].items[1].label.text, "（2）");
	const struct doc_section *c = &d->sections[1];
	assert_int_equal(c->role, DOC_ROLE_CAUSES);
	assert_int_equal(c->n_items, 3);
	assert_string_equal(c->items[1].label.text, "第二");
	assert_int_equal(c->items[1].label.inline_start, 1);
	assert_string_equal(c->items[2].lead, "监督不够有力");
	const struct doc_section *m = &d->sections[2];
	assert_int_equal(m->role, DOC_ROLE_MEASURES);
	assert_int_equal(m->n_items, 2);
	assert_string_equal(m->items[0].label.text, "①");
	assert_int_equal(d->n_commitments, 1);
	assert_int_equal(d->commitments[0].min, 2);
	assert_int_equal(d->commitments[0].period, DOC_PERIOD_MONTH);
	assert_int_equal(d->n_deadlines, 1);
	assert_string_equal(d->deadlines[0].date, "2024-06-30");
	doc_free(d);
}

/* doc_label_at on each family of labels and each way a label is refused:
 * the style, the number (最后 0), the bytes of the label itself (core) and
 * with its separator and the spaces after it (len).  n < 0: the whole
 * string; "1.5" read as its first two bytes is 1. */
static void test_doc_label_at(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int n;
		enum doc_style style;   /* DOC_STYLE_NONE: no label */
		int number;
		size_t core, len;
	} cases[] = {
		{"（一）加强学习", -1, DOC_STYLE_CN_PAREN, 1, 9, 9},
		{"（十二）、其他", -1, DOC_STYLE_CN_PAREN, 12, 12, 15},
		{"(3).内容", -1, DOC_STYLE_AR_PAREN, 3, 3, 4},
		{"（1） 内容", -1, DOC_STYLE_AR_PAREN, 1, 7, 8},
		{"(123)x", -1, DOC_STYLE_AR_PAREN, 123, 5, 5},
		{"(1234)x", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"（零）", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"（一", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"（甲）", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"1.学习", -1, DOC_STYLE_AR_DOT, 1, 2, 2},
		{"1.5亿元", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"1.5", 2, DOC_STYLE_AR_DOT, 1, 2, 2},
		{"12、内容", -1, DOC_STYLE_AR_DOT, 12, 5, 5},
		{"3．内容", -1, DOC_STYLE_AR_DOT, 3, 4, 4},
		{"2)内容", -1, DOC_STYLE_AR_PAREN, 2, 2, 2},
		{"2）内容", -1, DOC_STYLE_AR_PAREN, 2, 4, 4},
		{"1000.内容", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"0.内容", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"7x", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"第一部分：问题", -1, DOC_STYLE_PART, 1, 12, 15},
		{"第二方面、", -1, DOC_STYLE_PART, 2, 12, 15},
		{"第三章 总则", -1, DOC_STYLE_PART, 3, 9, 10},
		{"第四节", -1, DOC_STYLE_PART, 4, 9, 9},
		{"第五篇", -1, DOC_STYLE_PART, 5, 9, 9},
		{"第一，", -1, DOC_STYLE_DI, 1, 9, 9},
		{"第二是加强", -1, DOC_STYLE_DI, 2, 9, 9},
		{"第12，", -1, DOC_STYLE_DI, 12, 8, 8},
		{"第一次会议", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"第零，", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"①学习", -1, DOC_STYLE_CIRCLED, 1, 3, 3},
		{"⑳、x", -1, DOC_STYLE_CIRCLED, 20, 3, 6},
		{"⑴x", -1, DOC_STYLE_AR_PAREN, 1, 3, 3},
		{"⒇", -1, DOC_STYLE_AR_PAREN, 20, 3, 3},
		{"⒈x", -1, DOC_STYLE_AR_DOT, 1, 3, 3},
		{"⒛", -1, DOC_STYLE_AR_DOT, 20, 3, 3},
		{"㈠、x", -1, DOC_STYLE_CN_PAREN, 1, 3, 3},
		{"㈩x", -1, DOC_STYLE_CN_PAREN, 10, 3, 3},
		{"首先，", -1, DOC_STYLE_SEQ, 1, 9, 9},
		{"其次、", -1, DOC_STYLE_SEQ, 2, 9, 9},
		{"再次：", -1, DOC_STYLE_SEQ, 3, 9, 9},
		{"最后， 要", -1, DOC_STYLE_SEQ, 0, 9, 10},
		{"首先要", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"一、总体", -1, DOC_STYLE_CN_DUN, 1, 6, 6},
		{"二．x", -1, DOC_STYLE_CN_DUN, 2, 6, 6},
		{"三.x", -1, DOC_STYLE_CN_DUN, 3, 4, 4},
		{"十一是加强", -1, DOC_STYLE_CN_SHI, 11, 9, 9},
		{"一是：", -1, DOC_STYLE_CN_SHI, 1, 6, 9},
		{"二要，", -1, DOC_STYLE_CN_YAO, 2, 6, 9},
		{"一要素", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"一些问题", -1, DOC_STYLE_NONE, 0, 0, 0},
		{"九千九百九十九、", -1, DOC_STYLE_CN_DUN, 9999, 24, 24},
		{"一、\u3000\t 内容", -1, DOC_STYLE_CN_DUN, 1, 6, 11},
		{"", -1, DOC_STYLE_NONE, 0, 0, 0},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct label_hit h;
		size_t n = cases[i].n < 0 ? strlen(cases[i].s) : (size_t)cases[i].n;
		int hit = doc_label_at(cases[i].s, n, &h);
		if (hit != (cases[i].style != DOC_STYLE_NONE))
			fail_msg("%s: %s", cases[i].s, hit ? "a label" : "no label");
		if (!hit)
			continue;
		if (h.style != cases[i].style || h.number != cases[i].number ||
		    h.core != cases[i].core || h.len != cases[i].len)
			fail_msg("%s: %s %d, core %zu, len %zu", cases[i].s, doc_style_name(h.style),
				 h.number, h.core, h.len);
	}
}

static void test_doc_fifteen(void **state)
{
	(void)state;
	static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八",
					 "九", "十", "十一", "十二", "十三", "十四", "十五"};
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "对照检查材料\n\n一、存在的问题\n\n");
	for (int a = 0; a < 15; a++) {
		buf_printf(&b, "（%s）第%d个方面\n\n", cn[a], a + 1);
		/* Items alternately on their own paragraphs and run together. */
		for (int i = 0; i < 15; i++)
			buf_printf(&b, "%s是问题%d之%d。具体情况从略。%s", cn[i], a + 1, i + 1,
				   a % 2 ? "" : "\n\n");
		buf_puts(&b, "\n\n");
	}
	buf_puts(&b, "二、原因分析\n\n");
	for (int i = 0; i < 15; i++)
		buf_printf(&b, "%s是原因%d。\n\n", cn[i], i + 1);
	struct doc *d = parse_str(b.p);
	assert_int_equal(d->n_sections, 2);
	assert_int_equal(d->sections[0].n_areas, 15);
	for (int a = 0; a < 15; a++) {
		const struct doc_area *ar = &d->sections[0].areas[a];
		assert_int_equal(ar->label.number, a + 1);
		assert_int_equal(ar->n_items, 15);
		assert_string_equal(ar->items[14].label.text, "十五是");
		char want[64];
		snprintf(want, sizeof want, "问题%d之15", a + 1);
		assert_string_equal(ar->items[14].lead, want);
	}
	assert_string_equal(d->sections[0].areas[14].label.text, "（十五）");
	assert_int_equal(d->sections[1].n_items, 15);
	doc_free(d);
	buf_release(&b);
}

static void test_doc_six_sections(void **state)
{
	(void)state;
	const char *s =
		"# 2023年度民主生活会领导班子对照检查材料\n\n"
		"一、上年度民主生活会整改措施落实情况\n\n"
		"去年查摆的8个问题已整改7个，1个持续推进。\n\n"
		"二、对照检查找出的问题\n\n"
		"（一）在政治建设方面\n\n"
		"这一方面主要有两个问题。\n\n"
		"一是政治学习不深。比如，专题学习仅2次。\n\n"
		"二是政治判断不准。\n\n"
		"（二）在作风方面\n\n"
		"一是调研不深入。\n\n"
		"三、问题产生的根源\n\n"
		"一是理想信念松懈。\n\n二是宗旨意识淡化。\n\n"
		"四、今后的努力方向和整改措施\n\n"
		"（一）强化政治建设。每季度开展1次专题学习。\n\n"
		"（二）改进作风。立行立改，长期坚持。\n\n"
		"五、其他需要说明的事项\n\n无。\n\n"
		"六、结语\n\n以上材料如有不妥，请批评指正。\n";
	struct doc *d = parse_ok(s, strlen(s), "t.md");
	assert_int_equal(d->n_sections, 6);
	static const enum doc_role roles[] = {DOC_ROLE_LAST_YEAR, DOC_ROLE_PROBLEMS, DOC_ROLE_CAUSES,
					      DOC_ROLE_MEASURES, DOC_ROLE_OTHER, DOC_ROLE_OTHER};
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(d->sections[i].role, roles[i]);
	assert_int_equal(d->year, 2023);
	/* An area with a summary sentence before its items. */
	const struct doc_area *a = &d->sections[1].areas[0];
	assert_string_equal(a->title, "在政治建设方面");
	assert_string_equal(a->text, "这一方面主要有两个问题。");
	assert_int_equal(a->n_items, 2);
	assert_int_equal(a->items[0].n_examples, 1);
	assert_int_equal(d->sections[2].n_items, 2);
	assert_int_equal(d->sections[3].n_areas, 2);
	assert_string_equal(d->sections[3].areas[0].title, "强化政治建设");
	assert_string_equal(d->sections[3].areas[0].text, "每季度开展1次专题学习。");
	assert_int_equal(d->n_commitments, 1);
	assert_int_equal(d->commitments[0].period, DOC_PERIOD_QUARTER);
	assert_int_equal(d->commitments[0].min, 1);
	assert_int_equal(d->n_deadlines, 2);
	assert_int_equal(d->deadlines[0].kind, DOC_DEADLINE_IMMEDIATE);
	assert_int_equal(d->deadlines[1].kind, DOC_DEADLINE_ONGOING);
	/* 以上材料如有不妥: 如有 is not an example, and nothing here is a
	 * placeholder. */
	assert_int_equal(d->n_placeholders, 0);
	doc_free(d);
}

static void test_doc_no_headings(void **state)
{
	(void)state;
	/* A report with items only: one implicit section holds them. */
	struct doc *d = parse_str("关于学习情况的说明\n\n一是学习时间不足。\n\n二是学习方法单一。\n");
	assert_int_equal(d->n_sections, 1);
	assert_int_equal(d->sections[0].n_items, 2);
	assert_string_equal(d->sections[0].items[1].lead, "学习方法单一");
	doc_free(d);
	/* A lone paragraph with no structure at all still parses. */
	d = parse_str("只有一段话，没有任何编号。");
	assert_int_equal(d->n_sections, 1);
	assert_int_equal(d->sections[0].n_items, 0);
	doc_free(d);
}

/* ---- roles and kinds ------------------------------------------------------ */

static void test_doc_role_of_title(void **state)
{
	(void)state;
	static const struct {
		const char *title;
		enum doc_role role;
	} cases[] = {
		{"存在的问题", DOC_ROLE_PROBLEMS},
		{"对照检查找出的问题", DOC_ROLE_PROBLEMS},
		{"问题查摆", DOC_ROLE_PROBLEMS},
		{"产生问题的原因分析", DOC_ROLE_CAUSES},
		{"原因分析", DOC_ROLE_CAUSES},
		{"根源剖析", DOC_ROLE_CAUSES},
		{"整改措施", DOC_ROLE_MEASURES},
		{"努力方向和主要措施", DOC_ROLE_MEASURES},
		{"下一步打算", DOC_ROLE_MEASURES},
		{"整改落实情况", DOC_ROLE_PROGRESS},
		{"整改进展", DOC_ROLE_PROGRESS},
		{"主要做法和成效", DOC_ROLE_PROGRESS},
		{"上年度民主生活会整改措施落实情况", DOC_ROLE_LAST_YEAR},
		{"去年查摆问题整改落实情况", DOC_ROLE_LAST_YEAR},
		{"巡察反馈问题整改落实情况", DOC_ROLE_PROBLEMS},
		{"审计发现问题的整改情况", DOC_ROLE_PROBLEMS},
		{"下一步工作打算", DOC_ROLE_MEASURES},
		{"下步打算", DOC_ROLE_MEASURES},
		{"整改要求", DOC_ROLE_MEASURES},
		{"意见建议", DOC_ROLE_MEASURES},
		{"工作建议", DOC_ROLE_MEASURES},
		{"下一步工作计划", DOC_ROLE_MEASURES},
		{"基本情况", DOC_ROLE_OTHER},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (doc_role_of_title(cases[i].title) != cases[i].role)
			fail_msg("%s: role %s", cases[i].title,
				 doc_role_name(doc_role_of_title(cases[i].title)));
}

static void test_doc_kind(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum doc_kind kind;
	} cases[] = {
		{"市委常委班子对照检查材料\n\n一、问题\n\n一是不足。\n", DOC_KIND_TEAM},
		{"张三同志个人对照检查材料\n\n一、问题\n\n一是不足。\n", DOC_KIND_INDIVIDUAL},
		{"关于民主生活会查摆问题的整改方案\n\n一、问题\n\n一是不足。\n", DOC_KIND_PLAN},
		{"关于2023年度民主生活会整改落实情况的报告\n\n一、问题\n\n一是不足。\n", DOC_KIND_REPORT},
		/* No telling title: the voice of the text decides. */
		{"对照检查材料\n\n一、问题\n\n一是本人学习不够。我对自己要求不严。\n", DOC_KIND_INDIVIDUAL},
		{"对照检查材料\n\n一、问题\n\n一是班子学习不够。\n", DOC_KIND_TEAM},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct doc *d = parse_str(cases[i].text);
		if (d->kind != cases[i].kind)
			fail_msg("case %zu: kind %s", i, doc_kind_name(d->kind));
		doc_free(d);
	}
}

/* A title broken into two or three lines (GB/T 9704's trapezoid and
 * diamond) is one title; a short first heading under a title is not. */
static void test_doc_title_lines(void **state)
{
	(void)state;
	static const struct {
		const char *text, *title;
	} cases[] = {
		{"关于县委第二巡察组反馈意见\n整改落实情况的报告\n\n一、问题\n\n一是不足。\n",
		 "关于县委第二巡察组反馈意见整改落实情况的报告"},
		{"关于县农业农村局领导班子\n2023年度主题教育专题民主生活会\n查摆问题整改落实情况的报告\n\n"
		 "一、问题\n\n一是不足。\n",
		 "关于县农业农村局领导班子2023年度主题教育专题民主生活会查摆问题整改落实情况的报告"},
		{"市委常委班子对照检查材料\n县委办公室\n一、问题\n\n一是不足。\n", "市委常委班子对照检查材料"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct doc *d = parse_str(cases[i].text);
		assert_string_equal(d->title, cases[i].title);
		doc_free(d);
	}
}

/* ---- commitments, deadlines, placeholders -------------------------------- */

static void test_doc_commitments(void **state)
{
	(void)state;
	static const struct {
		const char *measure;
		int n, min;
		enum doc_period period;
		enum doc_per per;
		const char *subject;
	} cases[] = {
		{"全年安排不少于12次的中心组学习。", 1, 12, DOC_PERIOD_YEAR, DOC_PER_TEAM, "中心组学习"},
		{"每月到基层调研3次以上。", 1, 3, DOC_PERIOD_MONTH, DOC_PER_TEAM, "到基层调研"},
		{"班子成员每人每年讲党课至少1次。", 1, 1, DOC_PERIOD_YEAR, DOC_PER_MEMBER, "党课"},
		{"每季度开展一次专项督查。", 1, 1, DOC_PERIOD_QUARTER, DOC_PER_TEAM, "专项督查"},
		{"每半年召开两次专题会议。", 1, 2, DOC_PERIOD_HALF, DOC_PER_TEAM, "专题会议"},
		{"每周安排不少于1次集中办公。", 1, 1, DOC_PERIOD_WEEK, DOC_PER_TEAM, "集中办公"},
		{"组织不少于3场专题培训。", 1, 3, DOC_PERIOD_NONE, DOC_PER_TEAM, "专题培训"},
		{"每名班子成员每年撰写调研报告不少于2篇。", 1, 2, DOC_PERIOD_YEAR, DOC_PER_MEMBER, "调研报告"},
		/* Not commitments: an ordinal, a plain figure, a count with no
		 * minimum or period. */
		{"这是第3次专题会议。", 0, 0, DOC_PERIOD_NONE, DOC_PER_TEAM, ""},
		{"全市共有12个乡镇。", 0, 0, DOC_PERIOD_NONE, DOC_PER_TEAM, ""},
		{"年底前形成2篇调研报告。", 0, 0, DOC_PERIOD_NONE, DOC_PER_TEAM, ""},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *text = xasprintf("班子对照检查材料\n\n一、整改措施\n\n（一）加强学习。%s\n",
				       cases[i].measure);
		struct doc *d = parse_str(text);
		if ((int)d->n_commitments != cases[i].n)
			fail_msg("%s: %zu commitments", cases[i].measure, d->n_commitments);
		if (cases[i].n) {
			const struct doc_commitment *c = &d->commitments[0];
			if (c->min != cases[i].min || c->period != cases[i].period ||
			    c->per != cases[i].per || strcmp(c->subject, cases[i].subject) != 0)
				fail_msg("%s: min %d period %s per %s subject \"%s\"", cases[i].measure,
					 c->min, doc_period_name(c->period), doc_per_name(c->per),
					 c->subject);
		}
		doc_free(d);
		free(text);
	}
	/* Counts in a problems section promise nothing. */
	struct doc *d = parse_str("对照检查材料\n\n一、存在的问题\n\n一是每月调研不足3次以上。\n");
	assert_int_equal(d->n_commitments, 0);
	doc_free(d);
}

static void test_doc_deadlines(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum doc_deadline_kind kind;
		const char *date;
	} cases[] = {
		{"2024年6月底前", DOC_DEADLINE_DATE, "2024-06-30"},
		{"2024年2月底前", DOC_DEADLINE_DATE, "2024-02-29"},     /* leap year */
		{"2023年2月底前", DOC_DEADLINE_DATE, "2023-02-28"},
		{"2100年2月底前", DOC_DEADLINE_DATE, "2100-02-28"},     /* not a leap year */
		{"2024年3月15日前", DOC_DEADLINE_DATE, "2024-03-15"},
		{"9月底前", DOC_DEADLINE_DATE, "2023-09-30"},           /* the report's year */
		{"9月中旬前", DOC_DEADLINE_DATE, "2023-09-20"},
		{"年底前", DOC_DEADLINE_DATE, "2023-12-31"},
		{"2024年底前", DOC_DEADLINE_DATE, "2024-12-31"},
		{"上半年完成", DOC_DEADLINE_DATE, "2023-06-30"},
		{"第三季度末前", DOC_DEADLINE_DATE, "2023-09-30"},
		{"长期坚持", DOC_DEADLINE_ONGOING, ""},
		{"立行立改", DOC_DEADLINE_IMMEDIATE, ""},
		{"即知即改", DOC_DEADLINE_IMMEDIATE, ""},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *text = xasprintf("2023年度对照检查材料\n\n一、整改措施\n\n（一）改进作风。%s完成制度修订。\n",
				       cases[i].text);
		struct doc *d = parse_str(text);
		if (d->n_deadlines != 1 || d->deadlines[0].kind != cases[i].kind ||
		    strcmp(d->deadlines[0].date, cases[i].date) != 0)
			fail_msg("%s: %zu deadlines, first %s %s", cases[i].text, d->n_deadlines,
				 d->n_deadlines ? doc_deadline_kind_name(d->deadlines[0].kind) : "-",
				 d->n_deadlines ? d->deadlines[0].date : "-");
		doc_free(d);
		free(text);
	}
	/* A year named by an earlier deadline carries to later month-only ones. */
	struct doc *d = parse_str("2023年度对照检查材料\n\n一、整改措施\n\n"
				  "（一）2024年3月底前完成。\n\n（二）6月底前完成。\n");
	assert_int_equal(d->n_deadlines, 2);
	assert_string_equal(d->deadlines[1].date, "2024-06-30");
	doc_free(d);
	/* Dates in a problems section, and dates that are not deadlines. */
	d = parse_str("2023年度对照检查材料\n\n一、存在的问题\n\n一是6月底前的任务没有完成。\n\n"
		      "二、整改措施\n\n（一）2023年以来的做法要坚持。\n");
	assert_int_equal(d->n_deadlines, 0);
	doc_free(d);
	struct doc_deadline dl;
	assert_int_equal(doc_deadline_parse("2025年12月底前", strlen("2025年12月底前"), 0, &dl), 1);
	assert_string_equal(dl.date, "2025-12-31");
	assert_int_equal(doc_deadline_parse("以后再说", strlen("以后再说"), 2024, &dl), 0);
}

/* The year a deadline names carries across the two parts a large report's
 * commitments and deadlines are found in: with a year from the title, and
 * with none (where the second part is read again). */
static void test_doc_deadline_year_parts(void **state)
{
	(void)state;
	static const struct {
		const char *title, *first, *last, *want;
	} cases[] = {
		{"2023年度对照检查材料", "2024年3月底前完成台账。", "6月底前", "2024-06-30"},
		{"对照检查材料", "1948年3月底前完成台账。", "6月底前", "1948-06-30"},
		{"对照检查材料", "1948年3月底前完成台账。", "今年底前", "1948-12-31"},
		{"2023年度对照检查材料", "长期坚持。", "6月底前", "2023-06-30"},
	};
	size_t from = util_parallel_from;
	for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
		struct buf b = BUF_INIT(0);
		buf_printf(&b, "%s\n\n一、整改措施\n\n（一）%s\n\n", cases[c].title, cases[c].first);
		for (int i = 2; i <= 12; i++)
			buf_printf(&b, "（%d）加强学习，落实制度，改进作风。\n\n", i);
		buf_printf(&b, "（十三）%s完成制度修订。\n", cases[c].last);
		char dates[2][512];
		for (int threaded = 0; threaded < 2; threaded++) {
			util_parallel_from = threaded ? 0 : SIZE_MAX;
			struct doc *d = parse_str(b.p);
			assert_int_equal(d->n_deadlines, 2);
			assert_string_equal(d->deadlines[d->n_deadlines - 1].date, cases[c].want);
			dates[threaded][0] = '\0';
			for (size_t k = 0; k < d->n_deadlines; k++)
				snprintf(dates[threaded] + strlen(dates[threaded]),
					 sizeof dates[threaded] - strlen(dates[threaded]), "%s %s %u;",
					 d->deadlines[k].text, d->deadlines[k].date,
					 (unsigned)d->deadlines[k].span.start);
			doc_free(d);
		}
		assert_string_equal(dates[0], dates[1]);
		buf_release(&b);
	}
	util_parallel_from = from;
}

static void test_doc_placeholders(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int n;
		const char *first;
	} cases[] = {
		{"x市委常委班子", 1, "x"},
		{"有XX处问题", 1, "XX"},
		{"原xxx同志", 1, "xxx"},
		{"谱写“x篇章”", 1, "x"},
		{"加快x、x等项目", 2, "x"},
		{"××同志", 1, "××"},
		{"**同志涉嫌违纪", 1, "**"},
		{"某某同志", 1, "某某"},
		{"于（  ）日完成", 1, "（  ）"},
		{"填写【】内容", 1, "【】"},
		{"报告____份", 1, "____"},
		/* Not placeholders: Latin words, products, arithmetic, Markdown. */
		{"使用Linux和x86服务器", 0, ""},
		{"面积3×4米", 0, ""},
		{"extra材料", 0, ""},
		{"这是**重点内容强调**部分", 0, ""},
		{"二〇二三年", 0, ""},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *text = xasprintf("材料\n\n一、问题\n\n一是%s。\n", cases[i].text);
		struct doc *d = parse_str(text);
		if ((int)d->n_placeholders != cases[i].n ||
		    (cases[i].n && strcmp(d->placeholders[0].text, cases[i].first) != 0))
			fail_msg("%s: %zu placeholders, first \"%s\"", cases[i].text, d->n_placeholders,
				 d->n_placeholders ? d->placeholders[0].text : "");
		if (cases[i].n) {
			const struct doc_span sp = d->placeholders[0].span;
			char *raw = xstrndup(d->src + sp.start, sp.end - sp.start);
			assert_string_equal(raw, cases[i].first);
			free(raw);
		}
		doc_free(d);
		free(text);
	}
}

static void test_doc_examples(void **state)
{
	(void)state;
	struct doc *d = parse_str("材料\n\n一、问题\n\n"
				  "一是学习不够。比如，全年只学3次。例如：笔记太少。\n\n"
				  "二是如果不改就会出问题，如何改要想清楚。\n\n"
				  "三是作风不实，如在基层调研中走过场。\n");
	const struct doc_item *it = d->sections[0].items;
	assert_int_equal(it[0].n_examples, 2);
	assert_string_equal(it[0].examples[0].text, "比如，全年只学3次。");
	assert_string_equal(it[0].examples[1].text, "例如：笔记太少。");
	assert_int_equal(it[1].n_examples, 0);   /* 如果, 如何 */
	assert_int_equal(it[2].n_examples, 1);
	doc_free(d);
}

/* ---- bad input ---------------------------------------------------------------- */

static void test_doc_bad_input(void **state)
{
	(void)state;
	struct doc *d = NULL;
	struct err e = {0};
	assert_int_equal(doc_parse("", 0, "a.txt", &d, &e), RC_INVALID);
	assert_null(d);
	assert_int_equal(doc_parse("\x7f" "ELF\x02\x01\x01\0\0\0", 10, "a.txt", &d, &e), RC_INVALID);
	assert_non_null(strstr(e.msg, "binary"));
	assert_int_equal(doc_parse("\xff\xfe\xfd\xfc\x80\x81\x82", 7, "a.txt", &d, &e), RC_INVALID);
	assert_int_equal(doc_parse("abc", (size_t)TEXT_MAX_INPUT + 1, "a.txt", &d, &e), RC_TOOBIG);
	assert_int_equal(doc_parse("not a zip", 9, "a.docx", &d, &e), RC_MEDIA);
	assert_int_equal(doc_parse("PK\x03\x04truncated", 13, "a.docx", &d, &e), RC_MEDIA);
	/* Word 97-2003 (and encrypted Office files) are compound files. */
	static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
	assert_int_equal(doc_parse(ole, sizeof ole - 1, "old.doc", &d, &e), RC_MEDIA);
	assert_non_null(strstr(e.msg, ".docx"));
	assert_null(d);
}

static void test_doc_odd_but_valid(void **state)
{
	(void)state;
	/* Odd shapes that must parse without tripping anything. */
	static const char *const inputs[] = {
		"一、", "（一）", "一是", "一是。二是。三是", "**", "# ", "\n\n\n一、\n\n（一）\n\n一是\n",
		"- 1 -\n- 2 -\n", "第1页\n第2页\n第3页\n", "x", "（）", "1.\n2.\n3.\n",
		"一、问题\n（九千九百九十九）太多了\n", "首先，其次，最后，", "①②③④⑤",
		"“未闭合的引号", "((((((((((", "。。。。。。", "\t\t\t正文\t\t\t",
		"6", /* a title with no node text at all */
	};
	for (size_t i = 0; i < ARRAY_LEN(inputs); i++) {
		struct doc *d = NULL;
		struct err e = {0};
		enum rc rc = doc_parse(inputs[i], strlen(inputs[i]), "t.txt", &d, &e);
		assert_true(rc == RC_OK || rc == RC_INVALID);
		if (rc == RC_OK) {
			struct buf b = BUF_INIT(0);
			doc_to_json(d, &b);
			doc_to_text(d, &b);
			assert_int_equal(b.err, RC_OK);
			buf_release(&b);
			check_spans(d);
			doc_free(d);
		}
	}
}

static void test_doc_json(void **state)
{
	(void)state;
	struct doc *d = parse_str("材料\n\n一、存在的问题\n\n一是“引号”和\\反斜杠。\n");
	struct buf b = BUF_INIT(0);
	doc_to_json(d, &b);
	assert_non_null(strstr(b.p, "\"format\":1"));
	assert_non_null(strstr(b.p, "\"role\":\"problems\""));
	assert_non_null(strstr(b.p, "\\\\反斜杠"));
	assert_non_null(strstr(b.p, "\"sha256\":\""));
	char hex[65];
	util_sha256_hex(d->src, d->len, hex);
	assert_non_null(strstr(b.p, hex));
	buf_release(&b);
	doc_free(d);
}

/* doc_parse_json_file writes what doc_parse + doc_to_json give on one
 * thread, on a small report and on one large enough to be parsed on
 * several threads (where the tree is written while the commitments are
 * still being found, and the checksum is computed beside the rest); a
 * refused input writes nothing.  Several times over: a missing wait between
 * threads shows only in some runs. */
static void json_file_equals_json(const char *src, size_t len, const char *name)
{
	struct err e = {0};
	struct doc *d = NULL;
	size_t from = util_parallel_from;
	util_parallel_from = SIZE_MAX;
	assert_int_equal(doc_parse(src, len, name, &d, &e), RC_OK);
	util_parallel_from = from;
	struct buf want = BUF_INIT(0);
	doc_to_json(d, &want);
	doc_free(d);
	assert_null(strstr(want.p, "\"sha256\":\"\""));

	for (int run = 0; run < 8; run++) {
		char *got = NULL;
		size_t got_len = 0;
		FILE *f = open_memstream(&got, &got_len);
		assert_non_null(f);
		char *copy = xmalloc(len + 1);
		memcpy(copy, src, len);
		assert_int_equal(doc_parse_json_file(copy, len, name, f, &e), RC_OK);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(got_len, want.len);
		assert_memory_equal(got, want.p, want.len);
		assert_non_null(strstr(got, "\"commitments\":[{"));
		free(got);
	}
	buf_release(&want);
}

static void test_doc_json_file(void **state)
{
	(void)state;
	size_t len = 0;
	const char *md = embed_get("data/sample-team.md", &len);
	assert_non_null(md);
	json_file_equals_json(md, len, "sample-team.md");

	struct buf big = BUF_INIT(0);
	while (big.len < (600u << 10))
		buf_append(&big, md, len);
	json_file_equals_json(big.p, big.len, "big.md");
	buf_release(&big);

	char *got = NULL;
	size_t got_len = 0;
	FILE *f = open_memstream(&got, &got_len);
	assert_non_null(f);
	struct err e = {0};
	char *bin = xmalloc(9);
	memcpy(bin, "\x01\x02\x00\x03\x04\x00\x05\x06", 9);
	assert_int_equal(doc_parse_json_file(bin, 8, "bin.txt", f, &e), RC_INVALID);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(got_len, 0);
	assert_true(e.msg[0] != 0);
	free(got);
}

/* ---- the shared real report --------------------------------------------------- */

static void test_doc_fixture(void **state)
{
	(void)state;
	size_t len = 0;
	char *txt = test_read(FIXTURE_DIR "000_c3413cd0edfb2f64.txt", &len);
	if (!txt) {
		print_message("  (../shared/fixtures/ absent: the real-report checks are skipped)\n");
		skip();
	}
	struct doc *d = parse_ok(txt, len, "000_c3413cd0edfb2f64.txt");
	assert_int_equal(d->n_sections, 3);
	assert_int_equal(d->sections[0].role, DOC_ROLE_PROBLEMS);
	assert_int_equal(d->sections[1].role, DOC_ROLE_CAUSES);
	assert_int_equal(d->sections[2].role, DOC_ROLE_MEASURES);
	const struct doc_section *p = &d->sections[0];
	assert_int_equal(p->n_areas, 5);
	for (size_t k = 0; k < 5; k++)
		assert_int_equal(p->areas[k].n_items, 3);
	assert_string_equal(p->areas[0].items[0].lead, "政治引领发挥不足");
	assert_string_equal(p->areas[4].items[2].lead, "廉洁自律抓得不严");
	assert_int_equal(d->sections[1].n_items, 5);
	assert_string_equal(d->sections[1].items[0].lead, "政治站位高度不够");
	const struct doc_section *m = &d->sections[2];
	assert_int_equal(m->n_areas, 5);
	assert_int_equal(m->areas[4].n_items, 6);
	for (size_t k = 0; k < 6; k++)
		assert_int_equal(m->areas[4].items[k].label.inline_start, 1);
	int year12 = 0, month3 = 0;
	for (size_t i = 0; i < d->n_commitments; i++) {
		year12 |= d->commitments[i].min == 12 && d->commitments[i].period == DOC_PERIOD_YEAR;
		month3 |= d->commitments[i].min == 3 && d->commitments[i].period == DOC_PERIOD_MONTH;
	}
	assert_true(year12 && month3);
	assert_int_equal(d->n_placeholders, 8);
	assert_int_equal(d->kind, DOC_KIND_TEAM);
	check_spans(d);
	doc_free(d);
	/* And in the messy forms. */
	messy_forms(txt, "fixture.md", 0);
	free(txt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_team_report),
		cmocka_unit_test(test_doc_team_report_messy),
		cmocka_unit_test(test_doc_individual_report),
		cmocka_unit_test(test_doc_numbering_styles),
		cmocka_unit_test(test_doc_label_at),
		cmocka_unit_test(test_doc_fifteen),
		cmocka_unit_test(test_doc_six_sections),
		cmocka_unit_test(test_doc_no_headings),
		cmocka_unit_test(test_doc_role_of_title),
		cmocka_unit_test(test_doc_kind),
		cmocka_unit_test(test_doc_title_lines),
		cmocka_unit_test(test_doc_commitments),
		cmocka_unit_test(test_doc_deadlines),
		cmocka_unit_test(test_doc_deadline_year_parts),
		cmocka_unit_test(test_doc_placeholders),
		cmocka_unit_test(test_doc_examples),
		cmocka_unit_test(test_doc_bad_input),
		cmocka_unit_test(test_doc_odd_but_valid),
		cmocka_unit_test(test_doc_json),
		cmocka_unit_test(test_doc_json_file),
		cmocka_unit_test(test_doc_fixture),
	};
	int failed = cmocka_run_group_tests_name("doc", tests, NULL, NULL);
	/* Again with every stage that can share its work with a second thread
	 * doing so, even on the small examples: every tree must be the same. */
	failed += cmocka_run_group_tests_name("doc, threaded", tests, test_all_threaded, test_one_thread);
	return failed;
}
