/*
 * lint.c -- lint_run: collect the units of a report (items, and areas that
 * hold no items), run each enabled rule family, then sort the findings and
 * give each its line and column in one sweep over the source.  Also the
 * rule table (names, severities, explanations), the shared text helpers of
 * lint_int.h, and the list of priors that owns its strings.
 *
 * Invariants: findings live in r->v, their strings in r->arena; line and
 * column are computed once at the end (a sweep over the sorted offsets, so
 * a report with many findings on long lines stays linear).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint_int.h"

/* ---- the rule table --------------------------------------------------- */

static const struct {
	const char *name;
	enum lint_severity severity;
	const char *summary;
} rules[LINT_RULE__MAX] = {
	[LINT_PLACEHOLDER] = {"placeholder", LINT_ERROR,
			      "未填写的占位符：x、XX、××、**、某某、空括号等"},
	[LINT_PUNCTUATION] = {"punctuation", LINT_ERROR,
			      "标点错误：重复标点（，，。。）、中文里的半角标点 ,;:()（每段一条，全文普遍时一条汇总）、引号书名号括号不配对"},
	[LINT_NUMBERING] = {"numbering", LINT_ERROR,
			    "编号错误：跳号（一是、二是、四是）、重号、只有“一是”没有“二是”"},
	[LINT_STRUCTURE] = {"structure", LINT_ERROR,
			    "结构问题：缺少问题、原因或措施部分，空的方面，问题方面少于材料所说的数目"},
	[LINT_VAGUE_PROBLEM] = {"vague-problem", LINT_WARNING,
				"问题不具体：没有事例或数据（比如……，写明时间、地点、数量或典型事例）"},
	[LINT_HEDGING] = {"hedging", LINT_WARNING,
			  "问题只说“部分”“个别”“有的同志”“不同程度”等笼统范围，没有指明是谁、有多少"},
	[LINT_UNMEASURABLE] = {"unmeasurable", LINT_WARNING,
			       "措施无法检验：没有数量、频次或时限"},
	[LINT_UNANSWERED] = {"unanswered", LINT_WARNING,
			     "问题方面没有对应的整改措施"},
	[LINT_REPEAT] = {"repeat", LINT_WARNING,
			 "同一句话在材料中写了两遍（按字符二元组比较的近似重复）"},
	[LINT_RECURRENCE] = {"recurrence", LINT_WARNING,
			     "问题与往年材料（--previous 或台账中的往届问题）高度相似，疑似年年照抄"},
	[LINT_FORMULATION] = {"formulation", LINT_ERROR,
			      "规范提法写错：与固定提法差一个字（错字、漏字、多字）"},
	[LINT_QUOTE_NESTING] = {"quote-nesting", LINT_ERROR,
				"引号用错：方向反了（”…“）、双引号里又套双引号（内层应为‘’）、单引号不配对"},
	[LINT_DOUBLED_PHRASE] = {"doubled-phrase", LINT_WARNING,
				 "同一词语连写两遍（加强加强、进一步进一步），正常的重叠（研究研究、一个一个）除外"},
	[LINT_SPACING] = {"spacing", LINT_WARNING,
			  "多余的空格：汉字之间、数字和单位之间（12 次），全文其他地方都不空"},
	[LINT_WRONG_CHAR] = {"wrong-char", LINT_ERROR,
			     "公文常见错别字（自已→自己、按步就班→按部就班、再接再励→再接再厉）"},
	[LINT_FOREIGN_TEXT] = {"foreign-text", LINT_ERROR,
			       "混入了不属于材料的文字：网页来源、责任编辑、扫码关注、转载声明等"},
};

static const char *const severity_names[LINT_SEVERITY__MAX] = {"error", "warning", "info"};

const char *lint_rule_name(enum lint_rule r)
{
	return (unsigned)r < LINT_RULE__MAX ? rules[r].name : "unknown";
}

const char *lint_rule_summary(enum lint_rule r)
{
	return (unsigned)r < LINT_RULE__MAX ? rules[r].summary : "";
}

enum lint_severity lint_rule_severity(enum lint_rule r)
{
	return (unsigned)r < LINT_RULE__MAX ? rules[r].severity : LINT_INFO;
}

const char *lint_severity_name(enum lint_severity s)
{
	return (unsigned)s < LINT_SEVERITY__MAX ? severity_names[s] : "info";
}

enum lint_rule lint_rule_from_name(const char *name)
{
	for (int i = 0; i < LINT_RULE__MAX; i++)
		if (strcmp(rules[i].name, name) == 0)
			return (enum lint_rule)i;
	return LINT_RULE__MAX;
}

/* ---- text helpers ----------------------------------------------------- */

uint32_t lint_cp_at(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	uint32_t cp;
	text_utf8_next(s + i, n - i, &cp);
	return cp;
}

uint32_t lint_cp_before(const char *s, size_t i)
{
	if (i == 0)
		return 0;
	size_t j = text_utf8_back(s, i - 1);
	uint32_t cp;
	text_utf8_next(s + j, i - j, &cp);
	return cp;
}

size_t lint_word_at(const struct wordlist *wl, const char *s, size_t n, size_t i)
{
	size_t best = 0;
	for (size_t k = 0; wl && k < wl->n; k++)
		if (wl->len[k] > best && i + wl->len[k] <= n && memcmp(s + i, wl->w[k], wl->len[k]) == 0)
			best = wl->len[k];
	return best;
}

size_t lint_find_word(const struct wordlist *wl, const char *s, size_t n, size_t *len)
{
	size_t best = SIZE_MAX;
	for (size_t k = 0; wl && k < wl->n; k++) {
		if (wl->len[k] == 0)
			continue;
		const char *q = memmem(s, best == SIZE_MAX ? n : best + wl->len[k], wl->w[k], wl->len[k]);
		if (q && (size_t)(q - s) < best) {
			best = (size_t)(q - s);
			*len = wl->len[k];
		}
	}
	return best;
}

size_t lint_figure_at(const char *s, size_t n, size_t i)
{
	/* 百分之三十: a percentage written out. */
	if (lint_at(s, n, i, "百分之") && text_cn_number_span(s + i + 9, n - i - 9))
		return 9 + text_cn_number_span(s + i + 9, n - i - 9);
	if (s[i] >= '0' && s[i] <= '9') {
		size_t k = i;
		while (k < n && s[k] >= '0' && s[k] <= '9')
			k++;
		return k - i;
	}
	size_t cn = text_cn_number_span(s + i, n - i);
	if (cn == 0 || cn > 12)
		return 0;
	/* Not the tail of a longer word (统一次, 唯一个) nor 一是 / 第一. */
	uint32_t before = lint_cp_before(s, i);
	if (before == 0x7B2C /* 第 */)
		return 0;
	const struct wordlist *units = doc_words("data/lint-concrete.txt#units");
	/* 十余次, 二十多个: an approximate number is still a figure. */
	size_t ap = cn > 3 || !lint_at(s, n, i, "一")
			    ? lint_word_at(doc_words("data/lint-concrete.txt#approx"), s, n, i + cn)
			    : 0;
	size_t ul = lint_word_at(units, s, n, i + cn + ap);
	if (!ul)
		return 0;
	/* 一个 / 一次 on their own mostly mean "a" (一个时期, 一次性). */
	if (cn == 3 && lint_at(s, n, i, "一"))
		return 0;
	/* A numeral inside a formulation (四个意识, 两个维护) is not a figure:
	 * look back up to the length of the longest term. */
	for (size_t back = 0, j = i; back < 12; back++) {
		size_t tl = lint_term_at(s, n, j);
		if (tl && j + tl > i)
			return 0;
		if (j == 0)
			break;
		j = text_utf8_back(s, j - 1);
	}
	return cn + ap + ul;
}

bool lint_has_figure(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l = lint_figure_at(s, n, i);
		if (l)
			return true;
		i += (size_t)text_utf8_len((unsigned char)s[i]);
	}
	return false;
}

struct doc_span lint_para_span(const struct doc *d, const struct doc_para *p, size_t a, size_t b)
{
	if (b > p->len)
		b = p->len;
	if (a >= b) {
		uint32_t at = doc_para_src(p, a);
		return (struct doc_span){at, at};
	}
	return doc_para_span(d, p, a, b);
}

const char *lint_shorten(struct lint_ctx *c, const char *s, size_t n, size_t max)
{
	/* Skip leading white space. */
	while (n > 0 && (*s == ' ' || *s == '\n' || *s == '\t')) {
		s++;
		n--;
	}
	size_t i = 0, chars = 0;
	while (i < n && chars < max) {
		i += (size_t)text_utf8_len((unsigned char)s[i]);
		chars++;
	}
	if (i > n)
		i = n;
	int cut = i < n;
	char *out = arena_alloc(&c->r->arena, i + (cut ? 3 : 0) + 1);
	for (size_t k = 0; k < i; k++)
		out[k] = s[k] == '\n' || s[k] == '\t' || s[k] == '\r' ? ' ' : s[k];
	if (cut)
		memcpy(out + i, "…", 3);
	out[i + (cut ? 3 : 0)] = '\0';
	return out;
}

unsigned lint_line(struct lint_ctx *c, uint32_t off)
{
	if (c->lines.n == 0) {
		*VEC_PUSH(c->lines) = 0;
		for (const char *q = c->d->src; (q = memchr(q, '\n', (size_t)(c->d->src + c->d->len - q)));
		     q++)
			*VEC_PUSH(c->lines) = (uint32_t)(q - c->d->src) + 1;
	}
	size_t a = 0, b = c->lines.n;
	while (b - a > 1) {
		size_t m = (a + b) / 2;
		if (c->lines.v[m] <= off)
			a = m;
		else
			b = m;
	}
	return (unsigned)a + 1;
}

/* ---- findings --------------------------------------------------------- */

struct lint_finding *lint_add(struct lint_ctx *c, enum lint_rule rule, enum lint_severity sev,
			      struct doc_span span, const char *quote, const char *fmt, ...)
{
	struct lint_result *r = c->r;
	r->summary.by_severity[sev]++;
	r->summary.by_rule[rule]++;
	if (r->summary.by_rule[rule] > LINT_MAX_PER_RULE && !c->notes) {
		/* Counted, not kept: the caller writes into a scratch finding. */
		c->unlisted[rule]++;
		memset(&c->scratch, 0, sizeof c->scratch);
		return &c->scratch;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->v = xreallocarray(r->v, r->cap, sizeof *r->v);
	}
	struct lint_finding *f = &r->v[r->n++];
	memset(f, 0, sizeof *f);
	f->rule = rule;
	f->severity = sev;
	if (span.end > c->d->len)
		span.end = (uint32_t)c->d->len;
	if (span.start > span.end)
		span.start = span.end;
	f->span = span;
	if (quote)
		f->text = lint_shorten(c, quote, strlen(quote), 40);
	else
		f->text = lint_shorten(c, c->d->src + span.start, span.end - span.start, 40);
	va_list ap;
	va_start(ap, fmt);
	char tmp[1024];
	int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	if ((size_t)len >= sizeof tmp)
		len = (int)strlen(tmp);
	f->message = arena_strndup(&r->arena, tmp, (size_t)len);
	return f;
}

/* ---- units ------------------------------------------------------------ */

bool lint_sentence_area(const struct doc *d, const struct doc_area *ar)
{
	if (ar->n_items || ar->text[0] || ar->span.end <= ar->span.start)
		return false;
	uint32_t e = ar->span.end;
	while (e > ar->span.start && (d->src[e - 1] == ' ' || d->src[e - 1] == '\n' ||
				      d->src[e - 1] == '\r' || d->src[e - 1] == '\t'))
		e--;
	uint32_t last = lint_cp_before(d->src + ar->span.start, e - ar->span.start);
	return last == 0x3002 || last == 0xFF01 || last == 0xFF1F || last == 0xFF1B;
}

static void add_unit_item(struct lint_ctx *c, const struct doc_section *sec,
			  const struct doc_area *ar, const struct doc_item *it)
{
	struct lint_unit *u = VEC_PUSH(c->units);
	u->role = sec->role;
	u->sec = sec;
	u->area = ar;
	u->item = it;
	u->lead = it->lead;
	u->text = it->text;
	u->span = it->span;
	u->lead_span = it->lead_span;
	u->label = &it->label;
}

static void collect_units(struct lint_ctx *c)
{
	const struct doc *d = c->d;
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		for (size_t a = 0; a < sec->n_areas; a++) {
			const struct doc_area *ar = &sec->areas[a];
			if (ar->n_items) {
				for (size_t i = 0; i < ar->n_items; i++)
					add_unit_item(c, sec, ar, &ar->items[i]);
				continue;
			}
			if (!ar->text[0] && !lint_sentence_area(d, ar))
				continue; /* an empty area: rule structure says so */
			struct lint_unit *u = VEC_PUSH(c->units);
			u->role = sec->role;
			u->sec = sec;
			u->area = ar;
			u->lead = ar->title;
			size_t tl = strlen(ar->title), xl = strlen(ar->text);
			char *t = arena_alloc(&c->r->arena, tl + xl + 2);
			memcpy(t, ar->title, tl);
			t[tl] = '\n';
			memcpy(t + tl + 1, ar->text, xl);
			t[tl + 1 + xl] = '\0';
			u->text = t;
			u->span = ar->span;
			u->lead_span = ar->title_span;
			u->label = &ar->label;
		}
		for (size_t i = 0; i < sec->n_items; i++)
			add_unit_item(c, sec, NULL, &sec->items[i]);
	}
}

/* ---- line and column ---------------------------------------------------- */

struct pos_ref {
	uint32_t off;
	unsigned *line, *col;
};

static int pos_cmp(const void *a, const void *b)
{
	const struct pos_ref *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* One sweep over the source for every offset that needs a line and column. */
static void fill_line_col(const struct doc *d, struct lint_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += 1 + (r->v[i].has_related && !r->v[i].related_origin);
	if (n == 0)
		return;
	struct pos_ref *refs = xmalloc(n * sizeof *refs);
	size_t k = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct lint_finding *f = &r->v[i];
		refs[k++] = (struct pos_ref){f->span.start, &f->line, &f->col};
		if (f->has_related && !f->related_origin)
			refs[k++] = (struct pos_ref){f->related_span.start, &f->related_line,
						     &f->related_col};
	}
	qsort(refs, n, sizeof *refs, pos_cmp);
	size_t pos = 0;
	unsigned line = 1, col = 1;
	for (size_t i = 0; i < n; i++) {
		size_t off = refs[i].off > d->len ? d->len : refs[i].off;
		while (pos < off) {
			const char *nl = memchr(d->src + pos, '\n', off - pos);
			if (!nl)
				break;
			line++;
			col = 1;
			pos = (size_t)(nl - d->src) + 1;
		}
		for (; pos < off; pos++)
			col += ((unsigned char)d->src[pos] & 0xC0) != 0x80;
		*refs[i].line = line;
		*refs[i].col = col;
	}
	free(refs);
}

/* Sort key of a finding: place, rule, end, then the order it was added. */
struct order {
	uint32_t start, end;
	int rule;
	size_t seq;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void sort_findings(struct lint_result *r)
{
	if (r->n < 2)
		return;
	struct order *ord = xmalloc(r->n * sizeof *ord);
	for (size_t i = 0; i < r->n; i++)
		ord[i] = (struct order){r->v[i].span.start, r->v[i].span.end, (int)r->v[i].rule, i};
	qsort(ord, r->n, sizeof *ord, order_cmp);
	struct lint_finding *v = xmalloc(r->cap * sizeof *v);
	for (size_t i = 0; i < r->n; i++)
		v[i] = r->v[ord[i].seq];
	free(r->v);
	r->v = v;
	free(ord);
}

/* ---- the run ------------------------------------------------------------ */

enum rc lint_run(const struct doc *d, const struct lint_opts *o, struct lint_result *r)
{
	memset(r, 0, sizeof *r);
	struct lint_ctx c = {.d = d, .o = o, .r = r};
	collect_units(&c);
	lint_judge_concrete(&c);
	if (lint_on(&c, LINT_PLACEHOLDER))
		lint_rule_placeholder(&c);
	if (lint_on(&c, LINT_PUNCTUATION) || lint_on(&c, LINT_QUOTE_NESTING))
		lint_rule_punctuation(&c); /* and quote-nesting */
	if (lint_on(&c, LINT_NUMBERING))
		lint_rule_numbering(&c);
	if (lint_on(&c, LINT_STRUCTURE))
		lint_rule_structure(&c);
	lint_rule_content(&c);
	if (lint_on(&c, LINT_UNANSWERED))
		lint_rule_unanswered(&c);
	if (lint_on(&c, LINT_REPEAT))
		lint_rule_repeat(&c);
	if (lint_on(&c, LINT_RECURRENCE))
		lint_rule_recurrence(&c);
	if (lint_on(&c, LINT_FORMULATION))
		lint_rule_formulation(&c);
	if (lint_on(&c, LINT_DOUBLED_PHRASE))
		lint_rule_doubled(&c);
	if (lint_on(&c, LINT_SPACING))
		lint_rule_spacing(&c);
	if (lint_on(&c, LINT_WRONG_CHAR))
		lint_rule_wrong_char(&c);
	if (lint_on(&c, LINT_FOREIGN_TEXT))
		lint_rule_foreign(&c);
	/* One note per rule that said more than LINT_MAX_PER_RULE. */
	c.notes = 1;
	for (int i = 0; i < LINT_RULE__MAX; i++) {
		if (!c.unlisted[i])
			continue;
		size_t more = c.unlisted[i];
		struct lint_finding *f = lint_add(&c, (enum lint_rule)i, LINT_INFO,
						  (struct doc_span){(uint32_t)d->len, (uint32_t)d->len}, "",
						  "另有%zu处同类问题未逐条列出（每条规则最多列出%d处）", more,
						  LINT_MAX_PER_RULE);
		(void)f;
		/* The note itself is not a finding of the rule's count. */
		r->summary.by_rule[i]--;
		r->summary.by_severity[LINT_INFO]--;
	}
	sort_findings(r);
	fill_line_col(d, r);
	free(c.concrete);
	free(c.example);
	VEC_FREE(c.units);
	VEC_FREE(c.lines);
	return RC_OK;
}

void lint_result_release(struct lint_result *r)
{
	free(r->v);
	arena_release(&r->arena);
	memset(r, 0, sizeof *r);
}

/* ---- priors ------------------------------------------------------------- */

void lint_priors_add(struct lint_priors *p, const char *text, const char *origin)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	struct lint_prior *e = &p->v[p->n++];
	e->text = arena_strdup(&p->arena, text ? text : "");
	e->origin = arena_strdup(&p->arena, origin ? origin : "");
}

/* Add one problem unit of d at source offset off, counting lines from
 * (*pos, *line) forwards (units come in document order). */
static void add_doc_unit(struct lint_priors *p, const struct doc *d, const char *name,
			 const char *text, uint32_t off, size_t *pos, unsigned *line)
{
	if (off > d->len)
		off = (uint32_t)d->len;
	if (off < *pos) {
		*pos = 0;
		*line = 1;
	}
	for (const char *q; *pos < off && (q = memchr(d->src + *pos, '\n', off - *pos)) != NULL;) {
		(*line)++;
		*pos = (size_t)(q - d->src) + 1;
	}
	*pos = off > *pos ? off : *pos;
	char origin[512];
	snprintf(origin, sizeof origin, "%s:%u", name ? name : "", *line);
	lint_priors_add(p, text, origin);
}

void lint_priors_add_doc(struct lint_priors *p, const struct doc *d, const char *name)
{
	size_t pos = 0;
	unsigned line = 1;
	for (size_t s = 0; s < d->n_sections; s++) {
		const struct doc_section *sec = &d->sections[s];
		if (sec->role != DOC_ROLE_PROBLEMS)
			continue;
		for (size_t a = 0; a < sec->n_areas; a++) {
			const struct doc_area *ar = &sec->areas[a];
			for (size_t i = 0; i < ar->n_items; i++)
				add_doc_unit(p, d, name, ar->items[i].text, ar->items[i].span.start, &pos,
					     &line);
			if (ar->n_items == 0 && ar->text[0]) {
				char *t = xasprintf("%s\n%s", ar->title, ar->text);
				add_doc_unit(p, d, name, t, ar->span.start, &pos, &line);
				free(t);
			}
		}
		for (size_t i = 0; i < sec->n_items; i++)
			add_doc_unit(p, d, name, sec->items[i].text, sec->items[i].span.start, &pos,
				     &line);
	}
}

void lint_priors_release(struct lint_priors *p)
{
	free(p->v);
	arena_release(&p->arena);
	memset(p, 0, sizeof *p);
}
