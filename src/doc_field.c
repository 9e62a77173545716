/*
 * doc_field.c -- the fields of a 整改任务清单: the names the JSON contract
 * gives them, their customary Chinese headers, and the vocabulary by which
 * a table header cell or a field label names one (data/fields.txt).  The
 * tables of reports (doc_table.c) and the spreadsheet ledgers (sheet) read
 * the same vocabulary.
 */
#include <string.h>

#include "doc_int.h"

static const char *const field_names[DOC_FIELD__MAX] = {
	"seq", "area", "problem", "measures", "goal", "leader", "unit", "deadline",
	"progress", "status", "light", "evidence", "note"};

static const char *const field_titles[DOC_FIELD__MAX] = {
	"序号", "问题类别/方面", "问题表现", "整改措施", "整改目标", "责任领导", "责任单位",
	"整改时限", "进展情况", "整改状态", "红黄绿灯", "佐证材料数", "备注"};

const char *doc_field_name(enum doc_field f)
{
	return (unsigned)f < DOC_FIELD__MAX ? field_names[f] : "";
}

const char *doc_field_title(enum doc_field f)
{
	return (unsigned)f < DOC_FIELD__MAX ? field_titles[f] : "";
}

const char *doc_item_field(const struct doc_item *it, enum doc_field f)
{
	for (size_t i = 0; i < it->n_fields; i++)
		if (it->fields[i].field == f)
			return it->fields[i].text;
	return NULL;
}

/* Header text normalised into out: white space dropped, a trailing
 * qualifier in brackets ("整改时限（年月日）", "责任人(签字)") and a trailing
 * colon or asterisk taken off.  0 when it cannot be a header (empty, or
 * more than DOC_FIELD_HEADER_MAX characters: a title merged across a table
 * is not one). */
int doc_field_norm(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0, chars = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int l = text_utf8_next(s + i, n - i, &cp);
		if (l <= 0)
			return 0;
		if (!(text_is_space(cp) || cp == '\n' || cp == '\r' || cp == '\t')) {
			if (o + (size_t)l + 1 >= size)
				return 0;
			memcpy(out + o, s + i, (size_t)l);
			o += (size_t)l;
			chars++;
		}
		i += (size_t)l;
	}
	out[o] = '\0';
	for (;;) {
		if (o >= 3 && strcmp(out + o - 3, "）") == 0) {
			char *open = strstr(out, "（");
			if (open && open > out) {
				o = (size_t)(open - out);
				out[o] = '\0';
				continue;
			}
		} else if (o >= 1 && out[o - 1] == ')') {
			char *open = strchr(out, '(');
			if (open && open > out) {
				o = (size_t)(open - out);
				out[o] = '\0';
				continue;
			}
		} else if (o >= 3 && strcmp(out + o - 3, "：") == 0) {
			out[o -= 3] = '\0';
			continue;
		} else if (o >= 1 && (out[o - 1] == ':' || out[o - 1] == '*')) {
			out[--o] = '\0';
			continue;
		}
		break;
	}
	return o > 0 && chars <= DOC_FIELD_HEADER_MAX;
}

/* The field of a "FIELD NAME" line of wl that matches h (exactly, or as a
 * part of it), or DOC_FIELD__MAX. */
static enum doc_field lookup(const struct wordlist *wl, const char *h, int contains)
{
	size_t hl = strlen(h);
	for (size_t i = 0; wl && i < wl->n; i++) {
		const char *sp = memchr(wl->w[i], ' ', wl->len[i]);
		if (!sp)
			continue;
		size_t nl = (size_t)(sp - wl->w[i]);
		const char *name = sp + 1;
		size_t kl = wl->len[i] - nl - 1;
		if (contains ? !memmem(h, hl, name, kl) : !(kl == hl && memcmp(h, name, kl) == 0))
			continue;
		for (int f = 0; f < DOC_FIELD__MAX; f++)
			if (strlen(field_names[f]) == nl && memcmp(field_names[f], wl->w[i], nl) == 0)
				return (enum doc_field)f;
	}
	return DOC_FIELD__MAX;
}

enum doc_field doc_field_exact(const char *s, size_t n)
{
	char h[128];
	if (n == 0 || !doc_field_norm(s, n, h, sizeof h))
		return DOC_FIELD__MAX;
	return lookup(doc_words("data/fields.txt#exact"), h, 0);
}

enum doc_field doc_field_of_header(const char *cell)
{
	char h[128];
	if (!*cell || !doc_field_norm(cell, strlen(cell), h, sizeof h))
		return DOC_FIELD__MAX;
	enum doc_field f = lookup(doc_words("data/fields.txt#exact"), h, 0);
	if (f == DOC_FIELD__MAX)
		f = lookup(doc_words("data/fields.txt#contains"), h, 1);
	return f;
}
