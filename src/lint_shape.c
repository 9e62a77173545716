/*
 * lint_shape.c -- rules on the tree.
 *
 *   numbering   every list of siblings (the sections; the areas of a
 *               section; the items of an area or a section) is read in runs
 *               of one numbering style; within a run each number must be
 *               one more than the last: a jump (一是 二是 四是), a repeat or a
 *               step back is an error, a run that starts past 1 is an error,
 *               and a run of one labelled 1 (a lone 一是) is a warning.  The
 *               tree already holds the items that start mid-paragraph; an
 *               inline label it left in an item's text (a second 二是 in
 *               item 二是) is reported too.
 *   structure   what a document must have depends on its kind (needs()):
 *               a self-inspection report (team, individual or unknown kind)
 *               needs a problems, a causes and a measures section, a plan
 *               problems and measures, a report on rectification progress
 *               and next steps, a list problems, a notice none (errors,
 *               each naming the part for that kind); a section or an area
 *               with nothing under it, and fewer problem areas than the
 *               report announces ("着重从5个方面", "（五个带头）") are
 *               warnings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

/* ---- labels ------------------------------------------------------------ */

/* Chinese numeral for 1..99 into out (room for 16). */
static void cn_num(int v, char *out)
{
	static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	if (v <= 0 || v > 99) {
		snprintf(out, 16, "%d", v);
		return;
	}
	if (v < 10)
		snprintf(out, 16, "%s", d[v]);
	else
		snprintf(out, 16, "%s十%s", v / 10 == 1 ? "" : d[v / 10], d[v % 10]);
}

/* The label of number v in the style of l ("三是" for a 一是 list); writes
 * "第v项" when the style cannot be rebuilt. */
static void label_like(const struct doc_label *l, int v, char *out, size_t cap)
{
	char cn[16];
	cn_num(v, cn);
	switch (l->style) {
	case DOC_STYLE_CN_DUN: snprintf(out, cap, "%s、", cn); break;
	case DOC_STYLE_CN_PAREN: snprintf(out, cap, "（%s）", cn); break;
	case DOC_STYLE_AR_DOT: snprintf(out, cap, "%d.", v); break;
	case DOC_STYLE_AR_PAREN: snprintf(out, cap, "（%d）", v); break;
	case DOC_STYLE_CN_SHI: snprintf(out, cap, "%s是", cn); break;
	case DOC_STYLE_CN_YAO: snprintf(out, cap, "%s要", cn); break;
	case DOC_STYLE_DI: snprintf(out, cap, "第%s", cn); break;
	case DOC_STYLE_CIRCLED:
		if (v >= 1 && v <= 20) {
			int k = text_utf8_put(0x2460 + (uint32_t)(v - 1), out);
			out[k] = '\0';
			break;
		}
		/* fall through */
	default: snprintf(out, cap, "第%d项", v); break;
	}
}

static const char *label_name(const struct doc_label *l, char *tmp, size_t cap)
{
	if (l->text && l->text[0])
		return l->text;
	label_like(l, l->number, tmp, cap);
	return tmp;
}

/* ---- numbering ----------------------------------------------------------- */

struct sib {
	const struct doc_label *label;
	struct doc_span span;   /* what to point at: the label */
	const char *title, *text; /* where a label the engine did not take may be */
};

typedef VEC(struct sib) sib_vec;

/* Labels whose sequence the rule checks: not the rows of a task table
 * (their 序号 runs on across its areas) nor items opened by their form. */
static bool numbered(const struct doc_label *l)
{
	return l->style != DOC_STYLE_NONE && l->style != DOC_STYLE_MD &&
	       l->style != DOC_STYLE_TABLE && l->style != DOC_STYLE_GENRE && l->number > 0;
}

/*
 * Is the label number 1 of style st written in one of the texts the list's
 * parent holds (its title and text), where the engine may have left it: an
 * item 1 that shared a line with the heading ("（一）在学习方面。一是……")?
 * Labels count at the start of a text or after a stop.
 */
static bool first_hidden(const char *const *texts, size_t n_texts, enum doc_style st)
{
	for (size_t t = 0; t < n_texts; t++) {
		const char *s = texts[t];
		size_t n = s ? strlen(s) : 0;
		for (size_t q = 0; q < n; q += (size_t)text_utf8_len((unsigned char)s[q])) {
			if (q > 0) {
				uint32_t b = lint_cp_before(s, q);
				if (!(b == 0x3002 || b == 0xFF01 || b == 0xFF1F || b == 0xFF1B ||
				      b == 0xFF1A || b == 0xFF0C || b == '\n' || b == ' '))
					continue;
			}
			struct label_hit h;
			if (doc_label_at(s + q, n - q, &h) && h.style == st && h.number == 1)
				return true;
		}
	}
	return false;
}

/* A run that starts past 1 with no item 1 anywhere before it. */
static void start_past_one(struct lint_ctx *c, const struct sib *s)
{
	char a[48], want[48];
	label_like(s->label, 1, want, sizeof want);
	lint_add(c, LINT_NUMBERING, LINT_ERROR, s->span, NULL, "编号从“%s”开始，缺少“%s”",
		 label_name(s->label, a, sizeof a), want);
}

/* The steps within a run of one style, and a lone item 1 -- unless the
 * run after it continues it (continued). */
static void check_run(struct lint_ctx *c, const struct sib *s, size_t n, bool continued)
{
	char a[48], b[48], want[48];
	int prev = 0;
	for (size_t i = 0; i < n; i++) {
		const struct doc_label *l = s[i].label;
		int v = l->number;
		const char *name = label_name(l, a, sizeof a);
		if (i == 0) {
			/* start_past_one judges the start */
		} else if (v == prev) {
			lint_add(c, LINT_NUMBERING, LINT_ERROR, s[i].span, NULL,
				 "编号重复：又出现了一个“%s”，应为“%s”", name,
				 (label_like(l, prev + 1, want, sizeof want), want));
		} else if (v < prev) {
			const char *pn = label_name(s[i - 1].label, b, sizeof b);
			label_like(l, prev + 1, want, sizeof want);
			lint_add(c, LINT_NUMBERING, LINT_ERROR, s[i].span, NULL,
				 "编号倒退：“%s”之后是“%s”，应为“%s”", pn, name, want);
		} else if (v > prev + 1) {
			const char *pn = label_name(s[i - 1].label, b, sizeof b);
			char miss[48];
			label_like(l, prev + 1, miss, sizeof miss);
			if (v == prev + 2)
				lint_add(c, LINT_NUMBERING, LINT_ERROR, s[i].span, NULL,
					 "编号跳号：“%s”之后是“%s”，缺少“%s”", pn, name, miss);
			else {
				label_like(l, v - 1, want, sizeof want);
				lint_add(c, LINT_NUMBERING, LINT_ERROR, s[i].span, NULL,
					 "编号跳号：“%s”之后是“%s”，缺少“%s”至“%s”", pn, name, miss,
					 want);
			}
		}
		prev = v; /* after a slip, follow the writer's numbers */
	}
	if (n == 1 && s[0].label->number == 1 && s[0].label->style != DOC_STYLE_CN_DUN && !continued) {
		char next[48];
		label_like(s[0].label, 2, next, sizeof next);
		lint_add(c, LINT_NUMBERING, LINT_WARNING, s[0].span, NULL,
			 "只有“%s”，没有“%s”：只有一项时不必编号，或补上其余各项",
			 label_name(s[0].label, a, sizeof a), next);
	}
}

/* Split a sibling list into runs of one style and check each; parent[]
 * are the texts of the node that holds the list (see first_hidden).  A run
 * past 1 whose item 1 hides in the texts before it continues what precedes
 * it ("（一）标题。一是……" then 二是 三是): the run before it is then no
 * lone item either. */
static void check_siblings(struct lint_ctx *c, const sib_vec *v, const char *const *parent,
			   size_t n_parent)
{
	VEC(const char *) where = {0};
	size_t i = 0, prev = SIZE_MAX, prev_end = 0;
	while (i < v->n) {
		if (!numbered(v->v[i].label)) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < v->n && numbered(v->v[j].label) && v->v[j].label->style == v->v[i].label->style)
			j++;
		/* Where item 1 may hide: the parent's texts and those of the
		 * siblings before the run. */
		where.n = 0;
		for (size_t k = 0; k < n_parent; k++)
			*VEC_PUSH(where) = parent[k];
		for (size_t k = 0; k < i; k++) {
			*VEC_PUSH(where) = v->v[k].title;
			*VEC_PUSH(where) = v->v[k].text;
		}
		bool hidden = v->v[i].label->number > 1 &&
			      first_hidden(where.v, where.n, v->v[i].label->style);
		if (prev != SIZE_MAX)
			check_run(c, v->v + prev, prev_end - prev, hidden);
		prev = i;
		prev_end = j;
		/* The run itself, its start judged now. */
		if (v->v[i].label->number > 1 && !hidden)
			start_past_one(c, &v->v[i]);
		i = j;
	}
	if (prev != SIZE_MAX)
		check_run(c, v->v + prev, prev_end - prev, false);
	VEC_FREE(where);
}

static void push(sib_vec *v, const struct doc_label *l, const char *title, const char *text)
{
	struct sib *s = VEC_PUSH(*v);
	s->label = l;
	s->span = l->span;
	s->title = title;
	s->text = text;
}

/* ---- labels the tree did not take ---------------------------------------- */

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static bool after_stop(const char *s, size_t q)
{
	if (q < 3)
		return false;
	uint32_t cp = lint_cp_before(s, q);
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B;
}

/*
 * An inline label (二是, 二要, 第二) after a full stop that the engine left in
 * the text of an item of the same style: the engine takes only labels that
 * count on, so a second 二是 inside item 二是 is a repeat, and a number more
 * than three past the item's is a jump.  Numbers below the item's may open
 * a nested list and are left alone.
 */
static void stray_labels(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	VEC(uint32_t) starts = {0};
	VEC(const struct doc_item *) items = {0};
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		*VEC_PUSH(starts) = sec->label.span.start;
		for (size_t a = 0; a < sec->n_areas; a++) {
			*VEC_PUSH(starts) = sec->areas[a].label.span.start;
			for (size_t i = 0; i < sec->areas[a].n_items; i++) {
				*VEC_PUSH(starts) = sec->areas[a].items[i].label.span.start;
				*VEC_PUSH(items) = &sec->areas[a].items[i];
			}
		}
		for (size_t i = 0; i < sec->n_items; i++) {
			*VEC_PUSH(starts) = sec->items[i].label.span.start;
			*VEC_PUSH(items) = &sec->items[i];
		}
	}
	if (items.n == 0)
		goto out;
	if (starts.n > 1)
		qsort(starts.v, starts.n, sizeof *starts.v, u32_cmp);
	for (size_t pi = 0; pi < d->n_paras; pi++) {
		const struct doc_para *p = &d->paras[pi];
		const char *s = p->text;
		for (size_t q = 3; q < p->len; q += (size_t)text_utf8_len((unsigned char)s[q])) {
			if ((unsigned char)s[q] < 0xE0 || !after_stop(s, q))
				continue;
			struct label_hit h;
			if (!doc_label_at(s + q, p->len - q, &h) ||
			    (h.style != DOC_STYLE_CN_SHI && h.style != DOC_STYLE_CN_YAO &&
			     h.style != DOC_STYLE_DI))
				continue;
			uint32_t off = doc_para_src(p, q);
			/* Taken by the tree? */
			size_t lo = 0, hi = starts.n;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (starts.v[mid] < off)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < starts.n && starts.v[lo] == off)
				continue;
			/* The item it sits in: the last that starts before it. */
			lo = 0, hi = items.n;
			while (hi - lo > 1) {
				size_t mid = (lo + hi) / 2;
				if (items.v[mid]->span.start <= off)
					lo = mid;
				else
					hi = mid;
			}
			const struct doc_item *it = items.v[lo];
			if (it->span.start > off || off >= it->span.end || it->label.style != h.style)
				continue;
			int v = it->label.number;
			char here[48], want[48];
			label_like(&it->label, h.number, here, sizeof here);
			struct doc_span sp = lint_para_span(d, p, q, q + h.core);
			if (h.number == v && v >= 2) {
				label_like(&it->label, v + 1, want, sizeof want);
				lint_add(c, LINT_NUMBERING, LINT_ERROR, sp, NULL,
					 "编号重复：“%s”里又出现了“%s”，应为“%s”", here, here, want);
			} else if (h.number > v + 3) {
				label_like(&it->label, v + 1, want, sizeof want);
				char cur[48];
				label_like(&it->label, v, cur, sizeof cur);
				lint_add(c, LINT_NUMBERING, LINT_ERROR, sp, NULL,
					 "编号跳号：“%s”之后是“%s”，缺少“%s”等", cur, here, want);
			}
		}
	}
out:
	VEC_FREE(starts);
	VEC_FREE(items);
}

void lint_rule_numbering(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	stray_labels(c);
	sib_vec v = {0};
	for (size_t s = 0; s < d->n_sections; s++)
		push(&v, &d->sections[s].label, d->sections[s].title, d->sections[s].text);
	const char *top[] = {d->preamble};
	check_siblings(c, &v, top, 1);
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		const char *st[] = {sec->title, sec->text};
		v.n = 0;
		for (size_t a = 0; a < sec->n_areas; a++)
			push(&v, &sec->areas[a].label, sec->areas[a].title, sec->areas[a].text);
		check_siblings(c, &v, st, 2);
		for (size_t a = 0; a < sec->n_areas; a++) {
			const char *at[] = {sec->areas[a].title, sec->areas[a].text};
			v.n = 0;
			for (size_t i = 0; i < sec->areas[a].n_items; i++)
				push(&v, &sec->areas[a].items[i].label, NULL, sec->areas[a].items[i].text);
			check_siblings(c, &v, at, 2);
		}
		v.n = 0;
		for (size_t i = 0; i < sec->n_items; i++)
			push(&v, &sec->items[i].label, NULL, sec->items[i].text);
		check_siblings(c, &v, st, 2);
	}
	VEC_FREE(v);
}

/* ---- structure ------------------------------------------------------------ */

/* Where to point a finding about the whole report: its title, else the
 * first paragraph. */
static struct doc_span whole(const struct doc *d)
{
	if (d->title_span.end > d->title_span.start)
		return d->title_span;
	if (d->n_paras)
		return d->paras[0].span;
	return (struct doc_span){0, 0};
}

/* The number a report announces for its problem areas: a number right
 * before a counter of data/lint-framework.txt in s ("5个方面", "五个带头");
 * 0 when none. */
static int announced(const char *s)
{
	const struct wordlist *wl = doc_words("data/lint-framework.txt");
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t cl = lint_word_at(wl, s, n, i);
		if (!cl) {
			i += (size_t)text_utf8_len((unsigned char)s[i]);
			continue;
		}
		/* The numeral before the counter. */
		size_t j = i;
		while (j > 0) {
			size_t k = text_utf8_back(s, j - 1);
			if ((s[k] >= '0' && s[k] <= '9') || text_cn_number_span(s + k, j - k) == j - k)
				j = k;
			else
				break;
		}
		if (j < i) {
			int v = s[j] >= '0' && s[j] <= '9' ? atoi(s + j) : text_cn_number(s + j, i - j);
			if (v >= 2 && v <= 20)
				return v;
		}
		i += cl;
	}
	return 0;
}

/*
 * What each kind of document must have, and what to say when a part is
 * missing.  A self-inspection report (team, individual, or a kind the
 * engine could not tell) has problems, causes and measures; a plan has
 * problems and measures; a report on rectification (整改情况报告, audit or
 * inspection) has what was done (progress -- a section the engine read as
 * last year's rectification counts, as that is what such a report's
 * progress section looks like to it) and next steps (measures), its
 * problems usually being told problem by problem inside the progress; a
 * list (问题清单) has problems, as sections or as the problem field of
 * table rows; a notice (通知) lays down requirements in parts of its own
 * and needs none of these.
 */
static unsigned needs(enum doc_kind k)
{
	switch (k) {
	case DOC_KIND_TEAM:
	case DOC_KIND_INDIVIDUAL:
	case DOC_KIND_UNKNOWN:
		return 1u << DOC_ROLE_PROBLEMS | 1u << DOC_ROLE_CAUSES | 1u << DOC_ROLE_MEASURES;
	case DOC_KIND_PLAN:
		return 1u << DOC_ROLE_PROBLEMS | 1u << DOC_ROLE_MEASURES;
	case DOC_KIND_REPORT:
		return 1u << DOC_ROLE_PROGRESS | 1u << DOC_ROLE_MEASURES;
	case DOC_KIND_LIST:
		return 1u << DOC_ROLE_PROBLEMS;
	case DOC_KIND_NOTICE:
	case DOC_KIND__MAX:
		break;
	}
	return 0;
}

static const char *missing_part(enum doc_kind k, enum doc_role r)
{
	switch (r) {
	case DOC_ROLE_PROBLEMS:
		if (k == DOC_KIND_PLAN)
			return "缺少“问题”部分：整改方案应先列出要整改的问题（如“一、存在的问题”）";
		if (k == DOC_KIND_LIST)
			return "没有找到问题：问题清单应逐条列出问题（如“一、存在的问题”，或表格的“存在问题”一栏）";
		return "缺少“问题”部分：对照检查材料应先写查找出的问题（如“一、对照检查找出的问题”）";
	case DOC_ROLE_CAUSES:
		return "缺少“原因”部分：应剖析问题产生的原因（如“二、产生问题的原因分析”）";
	case DOC_ROLE_MEASURES:
		if (k == DOC_KIND_PLAN)
			return "缺少“措施”部分：整改方案应写明整改措施（如“二、整改措施”）";
		if (k == DOC_KIND_REPORT)
			return "缺少“下一步”部分：整改情况报告应写明下一步工作打算（如“三、下一步工作打算”）";
		return "缺少“措施”部分：应写明努力方向和整改措施（如“三、努力方向和整改措施”）";
	case DOC_ROLE_PROGRESS:
		return "缺少“整改落实情况”部分：整改情况报告应逐项写明问题整改做了什么、进展如何（如“二、整改落实情况”）";
	default:
		return "缺少必要的部分";
	}
}

static const char *no_headings(enum doc_kind k)
{
	if (k == DOC_KIND_PLAN)
		return "没有找到“一、二、三、”这样的部分标题：整改方案应分为问题、措施几部分";
	if (k == DOC_KIND_REPORT)
		return "没有找到“一、二、三、”这样的部分标题：整改情况报告应分为整改落实情况、下一步打算几部分";
	return "没有找到“一、二、三、”这样的部分标题：对照检查材料应分为问题、原因、措施几部分";
}

/* Does some item of d carry a problem field (a 问题清单 as a table)? */
/* Does a problem item carry field f (its measures in a task table's
 * column, what was done under 整改情况：)? */
static bool problem_has_field(const struct doc *d, enum doc_field f)
{
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		if (sec->role != DOC_ROLE_PROBLEMS)
			continue;
		for (size_t i = 0; i < sec->n_items; i++)
			if (doc_item_field(&sec->items[i], f))
				return true;
		for (size_t a = 0; a < sec->n_areas; a++)
			for (size_t i = 0; i < sec->areas[a].n_items; i++)
				if (doc_item_field(&sec->areas[a].items[i], f))
					return true;
	}
	return false;
}

void lint_rule_structure(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	unsigned have = 0;
	size_t headed = 0;
	for (size_t s = 0; s < d->n_sections; s++) {
		have |= 1u << d->sections[s].role;
		headed += d->sections[s].label.style != DOC_STYLE_NONE;
	}
	if (d->kind == DOC_KIND_REPORT && (have & (1u << DOC_ROLE_LAST_YEAR)))
		have |= 1u << DOC_ROLE_PROGRESS;
	/* Parts written beside each problem, in a table's columns or under
	 * its labels, are there as much as parts of their own. */
	if (problem_has_field(d, DOC_FIELD_MEASURES))
		have |= 1u << DOC_ROLE_MEASURES;
	if (problem_has_field(d, DOC_FIELD_PROGRESS) || problem_has_field(d, DOC_FIELD_STATUS))
		have |= 1u << DOC_ROLE_PROGRESS;
	unsigned need = needs(d->kind);
	if (need && headed == 0 && d->kind != DOC_KIND_LIST) {
		lint_add(c, LINT_STRUCTURE, LINT_ERROR, whole(d), NULL, "%s", no_headings(d->kind));
	} else {
		for (int r = 0; r < DOC_ROLE__MAX; r++)
			if ((need & (1u << r)) && !(have & (1u << r)))
				lint_add(c, LINT_STRUCTURE, LINT_ERROR, whole(d), NULL, "%s",
					 missing_part(d->kind, (enum doc_role)r));
	}

	/* Empty sections and areas. */
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		if (sec->label.style == DOC_STYLE_NONE)
			continue;
		if (sec->n_areas == 0 && sec->n_items == 0 && !sec->text[0])
			lint_add(c, LINT_STRUCTURE, LINT_WARNING, sec->span, NULL,
				 "“%s%s”下面没有内容", sec->label.text, sec->title);
		for (size_t a = 0; a < sec->n_areas; a++) {
			const struct doc_area *ar = &sec->areas[a];
			if (ar->n_items == 0 && !ar->text[0] && !lint_sentence_area(d, ar))
				lint_add(c, LINT_STRUCTURE, LINT_WARNING, ar->span, NULL,
					 "“%s%s”下面没有内容：写出这一方面的具体%s",
					 ar->label.text, ar->title,
					 sec->role == DOC_ROLE_MEASURES ? "措施" : "内容");
		}
	}

	/* Fewer problem areas than announced. */
	size_t areas = 0, items = 0;
	int said = 0;
	struct doc_span at = whole(d);
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		if (sec->role != DOC_ROLE_PROBLEMS)
			continue;
		if (!said && (said = announced(sec->text)) > 0)
			at = sec->span;
		areas += sec->n_areas;
		items += sec->n_items;
	}
	if (!(have & (1u << DOC_ROLE_PROBLEMS)))
		return;
	if (!said)
		said = announced(d->preamble);
	if (!said)
		said = announced(d->title);
	size_t got = areas ? areas : items;
	if (said > 0 && got < (size_t)said)
		lint_add(c, LINT_STRUCTURE, LINT_WARNING, at, NULL,
			 "材料说从%d个方面查摆问题，问题部分只写了%zu个方面：补齐其余方面，或改正前面的说法",
			 said, got);
}
