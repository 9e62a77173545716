/*
 * lint_out.c -- findings as compilers print them, and as JSON.
 *
 * Text, one finding per entry:
 *     FILE:LINE:COL: severity: message [rule-id]
 *         “the offending text”
 * and, for repeat, a note that points at the earlier place:
 *     FILE:LINE:COL: note: 前一处在这里 [repeat]
 *
 * JSON (the contract of `rectify lint --json`): each finding is
 *     {"file", "rule", "severity", "line", "col", "span": [start, end],
 *      "text", "message", "related": {...}}
 * where "related" appears for repeat ({"line", "col", "span", "text",
 * "similarity"}) and recurrence ({"origin", "text", "similarity"}).
 */
#include <stdio.h>
#include <string.h>

#include "lint_int.h"

void lint_to_text(const struct lint_result *r, const char *file, struct buf *out)
{
	const char *name = file ? file : "-";
	for (size_t i = 0; i < r->n; i++) {
		const struct lint_finding *f = &r->v[i];
		buf_printf(out, "%s:%u:%u: %s: %s [%s]\n", name, f->line, f->col,
			   lint_severity_name(f->severity), f->message, lint_rule_name(f->rule));
		if (f->text && f->text[0])
			buf_printf(out, "    “%s”\n", f->text);
		if (f->has_related && !f->related_origin)
			buf_printf(out, "%s:%u:%u: note: 前一处在这里 [%s]\n", name, f->related_line,
				   f->related_col, lint_rule_name(f->rule));
	}
}

void lint_summary_add(struct lint_summary *a, const struct lint_summary *b)
{
	for (int i = 0; i < LINT_SEVERITY__MAX; i++)
		a->by_severity[i] += b->by_severity[i];
	for (int i = 0; i < LINT_RULE__MAX; i++)
		a->by_rule[i] += b->by_rule[i];
	a->problem_items += b->problem_items;
	a->with_example += b->with_example;
	if (b->priors > a->priors)
		a->priors = b->priors;
}

static int share(size_t part, size_t whole)
{
	return whole ? (int)((part * 100 + whole / 2) / whole) : 0;
}

void lint_summary_text(const struct lint_summary *s, size_t files, struct buf *out)
{
	if (files > 1)
		buf_printf(out, "%zu 个文件，", files);
	buf_printf(out, "%zu 个错误，%zu 个警告，%zu 个提示", s->by_severity[LINT_ERROR],
		   s->by_severity[LINT_WARNING], s->by_severity[LINT_INFO]);
	if (s->problem_items)
		buf_printf(out, "；问题 %zu 条，其中 %zu 条有具体事例（%d%%）", s->problem_items,
			   s->with_example, share(s->with_example, s->problem_items));
	else
		buf_puts(out, "；没有识别出问题条目");
	if (s->priors)
		buf_printf(out, "；对照往年问题 %zu 条", s->priors);
	buf_puts(out, "\n");
}

void lint_to_json_findings(const struct lint_result *r, const char *file, int *first,
			   struct buf *out)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct lint_finding *f = &r->v[i];
		if (!*first)
			buf_putc(out, ',');
		*first = 0;
		buf_putc(out, '{');
		if (file) {
			buf_puts(out, "\"file\":");
			buf_json_cstr(out, file);
			buf_putc(out, ',');
		}
		buf_printf(out, "\"rule\":\"%s\",\"severity\":\"%s\",\"line\":%u,\"col\":%u,"
				"\"span\":[%u,%u],\"text\":",
			   lint_rule_name(f->rule), lint_severity_name(f->severity), f->line, f->col,
			   f->span.start, f->span.end);
		buf_json_cstr(out, f->text ? f->text : "");
		buf_puts(out, ",\"message\":");
		buf_json_cstr(out, f->message);
		if (f->has_related) {
			buf_puts(out, ",\"related\":{");
			if (f->related_origin) {
				buf_puts(out, "\"origin\":");
				buf_json_cstr(out, f->related_origin);
			} else {
				buf_printf(out, "\"line\":%u,\"col\":%u,\"span\":[%u,%u]", f->related_line,
					   f->related_col, f->related_span.start, f->related_span.end);
			}
			buf_puts(out, ",\"text\":");
			buf_json_cstr(out, f->related_text ? f->related_text : "");
			buf_printf(out, ",\"similarity\":%.3f}", f->similarity);
		}
		buf_putc(out, '}');
	}
}

void lint_summary_json(const struct lint_summary *s, struct buf *out)
{
	buf_printf(out, "{\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu,\"by_rule\":{",
		   s->by_severity[LINT_ERROR], s->by_severity[LINT_WARNING],
		   s->by_severity[LINT_INFO]);
	for (int i = 0; i < LINT_RULE__MAX; i++)
		buf_printf(out, "%s\"%s\":%zu", i ? "," : "", lint_rule_name((enum lint_rule)i),
			   s->by_rule[i]);
	buf_printf(out, "},\"problem_items\":%zu,\"with_example\":%zu,\"example_share\":%.3f,"
			"\"priors\":%zu}",
		   s->problem_items, s->with_example,
		   s->problem_items ? (double)s->with_example / (double)s->problem_items : 0.0,
		   s->priors);
}
