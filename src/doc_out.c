/*
 * doc_out.c -- the two views of a parsed report: the JSON contract of
 * `rectify parse --json` (docs/PARSE-JSON.md; "format": 1) and the indented
 * text of `rectify parse`.
 *
 * The JSON is written straight into a buffer rather than built as a tree:
 * a report of 16 MiB becomes JSON in one pass with no second copy.
 */
#include <stdio.h>
#include <string.h>

#include "doc_int.h"

static void span(struct buf *b, struct doc_span s)
{
	buf_putc(b, '[');
	buf_uint(b, s.start);
	buf_putc(b, ',');
	buf_uint(b, s.end);
	buf_putc(b, ']');
}

static void key(struct buf *b, const char *k)
{
	buf_json_cstr(b, k);
	buf_putc(b, ':');
}

static void label_json(struct buf *b, const struct doc_label *l)
{
	key(b, "label");
	buf_json_cstr(b, l->text);
	buf_puts(b, ",\"number\":");
	buf_uint(b, (unsigned)(l->number > 0 ? l->number : 0));
	buf_puts(b, ",\"style\":");
	buf_json_cstr(b, doc_style_name(l->style));
	buf_putc(b, ',');
}

/* When writing to a file, hand the buffer over every 64 KiB or so: small
 * enough to stay in cache and be touched once. */
static void flush_some(struct buf *b, FILE *f)
{
	if (f && b->len >= (64u << 10) && !b->err) {
		if (fwrite(b->p, 1, b->len, f) != b->len)
			b->err = RC_IO;
		else
			buf_reset(b);
	}
}

static void items_json(struct buf *b, FILE *f, const struct doc_item *items, size_t n)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		flush_some(b, f);
		const struct doc_item *it = &items[i];
		if (i)
			buf_putc(b, ',');
		buf_putc(b, '{');
		label_json(b, &it->label);
		key(b, "lead");
		buf_json_cstr(b, it->lead);
		buf_putc(b, ',');
		key(b, "text");
		buf_json_cstr(b, it->text);
		buf_putc(b, ',');
		key(b, "examples");
		buf_putc(b, '[');
		for (size_t k = 0; k < it->n_examples; k++) {
			if (k)
				buf_putc(b, ',');
			buf_json_cstr(b, it->examples[k].text);
		}
		buf_puts(b, "],\"span\":");
		span(b, it->span);
		buf_puts(b, ",\"lead_span\":");
		span(b, it->lead_span);
		if (it->n_fields) {
			buf_puts(b, ",\"fields\":{");
			for (size_t k = 0; k < it->n_fields; k++) {
				if (k)
					buf_putc(b, ',');
				key(b, doc_field_name(it->fields[k].field));
				buf_json_cstr(b, it->fields[k].text);
			}
			buf_putc(b, '}');
		}
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

/* The JSON up to the sections, inclusive: everything but the commitments,
 * deadlines and placeholders (see struct doc_overlap). */
static void json_head(const struct doc *d, struct buf *b, FILE *f)
{
	buf_puts(b, "{\"format\":1,\"source\":{\"encoding\":");
	buf_json_cstr(b, d->encoding);
	buf_printf(b, ",\"bytes\":%zu,\"input_bytes\":%zu,\"sha256\":\"%s\",\"format\":", d->len,
		   d->input_bytes, d->sha256);
	buf_json_cstr(b, d->format);
	buf_puts(b, "},\"title\":");
	buf_json_cstr(b, d->title);
	buf_puts(b, ",\"kind\":");
	buf_json_cstr(b, doc_kind_name(d->kind));
	if (d->year)
		buf_printf(b, ",\"year\":%d", d->year);
	else
		buf_puts(b, ",\"year\":null");
	buf_puts(b, ",\"preamble\":");
	buf_json_cstr(b, d->preamble);
	buf_puts(b, ",\"sections\":[");
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		if (i)
			buf_putc(b, ',');
		buf_putc(b, '{');
		label_json(b, &s->label);
		key(b, "title");
		buf_json_cstr(b, s->title);
		buf_puts(b, ",\"role\":");
		buf_json_cstr(b, doc_role_name(s->role));
		buf_puts(b, ",\"text\":");
		buf_json_cstr(b, s->text);
		buf_puts(b, ",\"span\":");
		span(b, s->span);
		buf_puts(b, ",\"areas\":[");
		for (size_t k = 0; k < s->n_areas; k++) {
			const struct doc_area *a = &s->areas[k];
			if (k)
				buf_putc(b, ',');
			buf_putc(b, '{');
			label_json(b, &a->label);
			key(b, "title");
			buf_json_cstr(b, a->title);
			buf_puts(b, ",\"text\":");
			buf_json_cstr(b, a->text);
			buf_puts(b, ",\"span\":");
			span(b, a->span);
			buf_puts(b, ",\"items\":");
			items_json(b, f, a->items, a->n_items);
			buf_putc(b, '}');
		}
		buf_puts(b, "],\"items\":");
		items_json(b, f, s->items, s->n_items);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

/* The rest: commitments, deadlines, placeholders. */
static void json_tail(const struct doc *d, struct buf *b, FILE *f)
{
	buf_puts(b, ",\"commitments\":[");
	for (size_t i = 0; i < d->n_commitments; i++) {
		flush_some(b, f);
		const struct doc_commitment *c = &d->commitments[i];
		if (i)
			buf_putc(b, ',');
		buf_puts(b, "{\"text\":");
		buf_json_cstr(b, c->text);
		buf_puts(b, ",\"min\":");
		buf_uint(b, (unsigned)(c->min > 0 ? c->min : 0));
		buf_puts(b, ",\"period\":\"");
		buf_puts(b, doc_period_name(c->period));
		buf_puts(b, "\",\"subject\":");
		buf_json_cstr(b, c->subject);
		buf_puts(b, ",\"unit\":");
		buf_json_cstr(b, c->unit);
		buf_puts(b, ",\"per\":\"");
		buf_puts(b, doc_per_name(c->per));
		buf_puts(b, "\",\"span\":");
		span(b, c->span);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"deadlines\":[");
	for (size_t i = 0; i < d->n_deadlines; i++) {
		flush_some(b, f);
		const struct doc_deadline *dl = &d->deadlines[i];
		if (i)
			buf_putc(b, ',');
		buf_puts(b, "{\"text\":");
		buf_json_cstr(b, dl->text);
		buf_puts(b, ",\"kind\":\"");
		buf_puts(b, doc_deadline_kind_name(dl->kind));
		buf_puts(b, "\",\"date\":");
		if (dl->date[0])
			buf_json_cstr(b, dl->date);
		else
			buf_puts(b, "null");
		buf_puts(b, ",\"span\":");
		span(b, dl->span);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"placeholders\":[");
	for (size_t i = 0; i < d->n_placeholders; i++) {
		flush_some(b, f);
		const struct doc_placeholder *p = &d->placeholders[i];
		if (i)
			buf_putc(b, ',');
		buf_puts(b, "{\"text\":");
		buf_json_cstr(b, p->text);
		buf_puts(b, ",\"context\":");
		buf_json_cstr(b, p->context);
		buf_puts(b, ",\"span\":");
		span(b, p->span);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}\n");
}

void doc_to_json(const struct doc *d, struct buf *b)
{
	json_head(d, b, NULL);
	json_tail(d, b, NULL);
}

enum rc doc_to_json_file(const struct doc *d, void *stdio_file)
{
	FILE *f = stdio_file;
	struct buf b = BUF_INIT(0);
	json_head(d, &b, f);
	json_tail(d, &b, f);
	enum rc rc = b.err ? b.err : buf_write(&b, f);
	buf_release(&b);
	return rc;
}

struct json_out {
	struct buf b;
	FILE *f;
};

static void head_out(const struct doc *d, void *arg)
{
	struct json_out *o = arg;
	json_head(d, &o->b, o->f);
}

enum rc doc_parse_json_file(char *data, size_t len, const char *name, void *stdio_file,
			    struct err *e)
{
	struct json_out o = {BUF_INIT(0), stdio_file};
	struct doc_overlap ov = {head_out, &o};
	struct doc *d;
	enum rc rc = doc_parse_overlap(data, len, name, &ov, &d, e);
	if (rc) {
		buf_release(&o.b);
		return rc;
	}
	json_tail(d, &o.b, o.f);
	rc = o.b.err ? o.b.err : buf_write(&o.b, o.f);
	buf_release(&o.b);
	doc_free(d);
	if (rc)
		return ERR(e, RC_IO, "cannot write the output");
	return RC_OK;
}

/* ---- the readable view ------------------------------------------------ */

/* One line of at most `width` characters of s (first line only), with … when
 * cut. */
static void clip(struct buf *b, const char *s, size_t width)
{
	size_t n = strcspn(s, "\n");
	size_t i = 0, chars = 0;
	while (i < n && chars < width) {
		i += (size_t)text_utf8_len((unsigned char)s[i]);
		chars++;
	}
	if (i > n)
		i = n;
	buf_append(b, s, i);
	if (i < strlen(s))
		buf_puts(b, "…");
}

static void at_line(struct buf *b, const struct doc *d, struct doc_span s)
{
	unsigned line, col;
	doc_line_col(d, s.start, &line, &col);
	buf_printf(b, "  [%u]", line);
}

static void items_text(struct buf *b, const struct doc *d, const struct doc_item *items,
		       size_t n, const char *indent)
{
	for (size_t i = 0; i < n; i++) {
		const struct doc_item *it = &items[i];
		buf_printf(b, "%s%s ", indent, it->label.text);
		clip(b, it->lead, 40);
		if (it->n_examples)
			buf_printf(b, "  (例%zu)", it->n_examples);
		at_line(b, d, it->span);
		buf_putc(b, '\n');
		for (size_t k = 0; k < it->n_fields; k++) {
			buf_printf(b, "%s    %s：", indent, doc_field_title(it->fields[k].field));
			clip(b, it->fields[k].text, 40);
			buf_putc(b, '\n');
		}
	}
}

void doc_to_text(const struct doc *d, struct buf *b)
{
	buf_printf(b, "%s\n", d->title[0] ? d->title : "（无标题）");
	buf_printf(b, "  %s, %s, %zu bytes; kind %s", d->format, d->encoding, d->len,
		   doc_kind_name(d->kind));
	if (d->year)
		buf_printf(b, ", year %d", d->year);
	buf_putc(b, '\n');
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		buf_printf(b, "\n%s%s  <%s>", s->label.text, s->title, doc_role_name(s->role));
		at_line(b, d, s->span);
		buf_putc(b, '\n');
		for (size_t k = 0; k < s->n_areas; k++) {
			const struct doc_area *a = &s->areas[k];
			buf_printf(b, "  %s", a->label.text);
			clip(b, a->title, 40);
			at_line(b, d, a->span);
			buf_putc(b, '\n');
			items_text(b, d, a->items, a->n_items, "    ");
		}
		items_text(b, d, s->items, s->n_items, "  ");
	}
	if (d->n_commitments) {
		buf_printf(b, "\ncommitments (%zu):\n", d->n_commitments);
		for (size_t i = 0; i < d->n_commitments; i++) {
			const struct doc_commitment *c = &d->commitments[i];
			buf_printf(b, "  >= %d %s per %s, %s: ", c->min, c->unit,
				   doc_period_name(c->period), doc_per_name(c->per));
			clip(b, c->subject[0] ? c->subject : c->text, 30);
			at_line(b, d, c->span);
			buf_putc(b, '\n');
		}
	}
	if (d->n_deadlines) {
		buf_printf(b, "\ndeadlines (%zu):\n", d->n_deadlines);
		for (size_t i = 0; i < d->n_deadlines; i++) {
			const struct doc_deadline *dl = &d->deadlines[i];
			buf_printf(b, "  %s  %s", dl->text, doc_deadline_kind_name(dl->kind));
			if (dl->date[0])
				buf_printf(b, " %s", dl->date);
			at_line(b, d, dl->span);
			buf_putc(b, '\n');
		}
	}
	if (d->n_placeholders) {
		buf_printf(b, "\nplaceholders (%zu):\n", d->n_placeholders);
		for (size_t i = 0; i < d->n_placeholders; i++) {
			const struct doc_placeholder *p = &d->placeholders[i];
			buf_printf(b, "  %s  in “", p->text);
			clip(b, p->context, 24);
			buf_puts(b, "”");
			at_line(b, d, p->span);
			buf_putc(b, '\n');
		}
	}
}
