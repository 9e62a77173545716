/*
 * sheet_xlsx.c -- one sheet of an .xlsx workbook as a grid of text cells.
 *
 * The package is opened from memory with libzip.  _rels/.rels names the
 * workbook; the workbook names its sheets (with r:id), whether dates count
 * from 1904, and through its relationships the sheets' parts, the shared
 * strings and the styles.  Each part is inflated in chunks straight into
 * expat, the bytes counted against SHEET_MAX_UNZIPPED as they come (sizes in
 * ZIP headers are not trusted).
 *
 * Cells: t="s" indexes the shared strings (rich-text runs joined, phonetic
 * guides dropped); t="inlineStr" holds its text; t="str", "e", "d" their
 * text; t="b" TRUE/FALSE; numbers are written shortest (%.15g), or as
 * YYYY-MM-DD when their style's number format is a date (built-in formats
 * 14-17, 22, 27-36, 50-58, or a format code with y or d outside quotes and
 * brackets).  Merged ranges are applied after the sheet is read: each
 * existing row in a range gets the top-left value in the range's columns.
 */
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "sheet.h"
#include "text.h"

#define XL_MAX_DEPTH 256
#define XL_MAX_ELEMENTS (16u << 20)
#define XL_MAX_PATH 512
#define XL_MAX_MERGES 100000

static const char *const SS_NS[] = {"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
				    "http://purl.oclc.org/ooxml/spreadsheetml/main"};
static const char *const R_NS[] = {
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
	"http://purl.oclc.org/ooxml/officeDocument/relationships"};

enum part { P_RELS, P_WORKBOOK, P_STYLES, P_STRINGS, P_SHEET };

enum el {
	X_OTHER, X_REL, X_WORKBOOKPR, X_SHEET, X_NUMFMT, X_CELLXFS, X_XF, X_SI, X_T, X_RPH,
	X_ROW, X_C, X_V, X_IS, X_MERGECELL, X_WORKSHEET, X_WORKBOOK, X_SST, X_STYLESHEET,
};

static const struct xname {
	const char *name;
	enum el id;
} x_names[] = {
	{"c", X_C}, {"cellXfs", X_CELLXFS}, {"is", X_IS}, {"mergeCell", X_MERGECELL},
	{"numFmt", X_NUMFMT}, {"rPh", X_RPH}, {"row", X_ROW}, {"sheet", X_SHEET},
	{"si", X_SI}, {"sst", X_SST}, {"styleSheet", X_STYLESHEET}, {"t", X_T}, {"v", X_V},
	{"workbook", X_WORKBOOK}, {"workbookPr", X_WORKBOOKPR}, {"worksheet", X_WORKSHEET},
	{"xf", X_XF},
};

struct sheet_ref {
	const char *name, *rid;
	int hidden;
};

struct rel {
	const char *id, *target, *type;
};

struct numfmt {
	int id;
	const char *code;
};

struct rowb {
	uint32_t num;
	VEC(const char *) cells;
};

struct xl {
	zip_t *z;
	struct err *e;
	enum rc rc;
	XML_Parser xp;
	const char *part;
	enum part kind;
	size_t budget, elements;
	unsigned depth, skip;
	unsigned char stack[XL_MAX_DEPTH + 2];
	struct arena *arena;            /* the sheet's: strings live on */

	/* relationships */
	const char *rel_base;
	const char *rel_doc;
	VEC(struct rel) rels;

	/* workbook */
	int date1904;
	VEC(struct sheet_ref) sheets;

	/* styles: number format of each cell format */
	VEC(struct numfmt) numfmts;
	VEC(int) xf_fmt;
	VEC(unsigned char) xf_date;

	/* shared strings */
	VEC(const char *) strings;
	struct buf text;                /* the string or cell being read */
	int in_si;

	/* the sheet */
	VEC(struct rowb) rows;
	uint32_t row_num, col;
	char cell_t[12];
	int cell_s;
	size_t n_cells;
	VEC(struct sheet_merge) merges;
};

static void fail(struct xl *x, enum rc rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct xl *x, enum rc rc, const char *fmt, ...)
{
	if (x->rc)
		return;
	x->rc = rc;
	if (x->e) {
		char msg[sizeof x->e->msg];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		ERR(x->e, rc, "%s", msg);
	}
	if (x->xp)
		XML_StopParser(x->xp, XML_FALSE);
}

/* ---- names ---------------------------------------------------------- */

static const char *local_of(const char *name, const char **ns, size_t *ns_len)
{
	const char *sp = strchr(name, ' ');
	if (!sp) {
		*ns = "";
		*ns_len = 0;
		return name;
	}
	*ns = name;
	*ns_len = (size_t)(sp - name);
	return sp + 1;
}

static int ns_in(const char *ns, size_t n, const char *const *set)
{
	for (int i = 0; i < 2; i++)
		if (strlen(set[i]) == n && memcmp(ns, set[i], n) == 0)
			return 1;
	return 0;
}

static int xname_cmp(const void *k, const void *el)
{
	return strcmp(k, ((const struct xname *)el)->name);
}

static enum el el_of(const char *name)
{
	const char *ns;
	size_t nl;
	const char *l = local_of(name, &ns, &nl);
	if (strcmp(l, "Relationship") == 0)
		return X_REL;
	if (!ns_in(ns, nl, SS_NS))
		return X_OTHER;
	const struct xname *h = bsearch(l, x_names, ARRAY_LEN(x_names), sizeof x_names[0],
					xname_cmp);
	return h ? h->id : X_OTHER;
}

/* Attribute by local name: un-prefixed, or in the given namespace set
 * (NULL: un-prefixed only). */
static const char *attr(const char **atts, const char *local, const char *const *ns_set)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *ns;
		size_t nl;
		const char *l = local_of(atts[i], &ns, &nl);
		if (strcmp(l, local) != 0)
			continue;
		if (nl == 0 ? ns_set == NULL : ns_set && ns_in(ns, nl, ns_set))
			return atts[i + 1];
	}
	return NULL;
}

/* ---- cell references --------------------------------------------------- */

/* "BC12" -> column 54 (0-based), row 12.  0 on success. */
static int parse_ref(const char *s, uint32_t *col, uint32_t *row)
{
	uint32_t c = 0, r = 0;
	size_t i = 0;
	while (s[i] >= 'A' && s[i] <= 'Z' && i < 4)
		c = c * 26 + (uint32_t)(s[i++] - 'A' + 1);
	if (i == 0 || i == 4)
		return -1;
	size_t j = i;
	while (s[j] >= '0' && s[j] <= '9' && j - i < 8)
		r = r * 10 + (uint32_t)(s[j++] - '0');
	if (j == i || s[j] != '\0' || r == 0)
		return -1;
	*col = c - 1;
	*row = r;
	return 0;
}

/* ---- number formats -------------------------------------------------- */

static int builtin_date(int id)
{
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
	       (id >= 50 && id <= 58);
}

/* A format code shows a date when it has y or d outside quoted text,
 * [brackets] and escaped characters. */
static int code_is_date(const char *c)
{
	for (; *c; c++) {
		if (*c == '"') {
			while (c[1] && c[1] != '"')
				c++;
			if (c[1])
				c++;
		} else if (*c == '[') {
			while (c[1] && c[1] != ']')
				c++;
			if (c[1])
				c++;
		} else if (*c == '\\' || *c == '_' || *c == '*') {
			if (c[1])
				c++;
		} else if (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D') {
			return 1;
		}
	}
	return 0;
}

/* Serial day number (1900 or 1904 system) to YYYY-MM-DD; 0 when out of
 * range. */
static int serial_date(double v, int date1904, char out[11])
{
	if (!(v >= 1 && v < 2958466))
		return 0;
	long s = (long)floor(v);
	long days;                              /* since 1970-01-01 */
	if (date1904)
		days = s + 1462 - 25569;
	else
		days = (s >= 60 ? s : s + 1) - 25569; /* 1900-02-29 never was */
	/* Civil date from a day count (the proleptic Gregorian calendar in
	 * 400-year eras of 146097 days, counted from 0000-03-01). */
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (m <= 2));
	snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
	return 1;
}

/* ---- handlers ----------------------------------------------------------- */

static void start_rels(struct xl *x, const char **atts)
{
	const char *id = attr(atts, "Id", NULL), *type = attr(atts, "Type", NULL);
	const char *target = attr(atts, "Target", NULL), *mode = attr(atts, "TargetMode", NULL);
	if (!type || !target || (mode && strcasecmp(mode, "External") == 0))
		return;
	char path[XL_MAX_PATH];
	if (util_part_name(x->rel_base, target, path, sizeof path) < 0)
		return;
	const char *slash = strrchr(type, '/');
	if (slash && strcmp(slash, "/officeDocument") == 0 && !x->rel_doc)
		x->rel_doc = arena_strdup(x->arena, path);
	struct rel *r = VEC_PUSH(x->rels);
	r->id = arena_strdup(x->arena, id ? id : "");
	r->target = arena_strdup(x->arena, path);
	r->type = arena_strdup(x->arena, slash ? slash + 1 : type);
}

static void start_workbook(struct xl *x, enum el id, const char **atts)
{
	if (id == X_WORKBOOKPR) {
		const char *v = attr(atts, "date1904", NULL);
		x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (id == X_SHEET) {
		const char *name = attr(atts, "name", NULL), *rid = attr(atts, "id", R_NS);
		const char *state = attr(atts, "state", NULL);
		if (!rid)
			return;
		struct sheet_ref *s = VEC_PUSH(x->sheets);
		s->name = arena_strdup(x->arena, name ? name : "");
		s->rid = arena_strdup(x->arena, rid);
		s->hidden = state && strcmp(state, "visible") != 0;
	}
}

static void start_styles(struct xl *x, enum el id, const char **atts)
{
	if (id == X_NUMFMT) {
		const char *fid = attr(atts, "numFmtId", NULL), *code = attr(atts, "formatCode", NULL);
		if (fid && code) {
			struct numfmt *f = VEC_PUSH(x->numfmts);
			f->id = atoi(fid);
			f->code = arena_strdup(x->arena, code);
		}
	} else if (id == X_XF && x->depth >= 2 && x->stack[x->depth - 2] == X_CELLXFS) {
		const char *fid = attr(atts, "numFmtId", NULL);
		*VEC_PUSH(x->xf_fmt) = fid ? atoi(fid) : 0;
	}
}

static void cell_put(struct xl *x, const char *v)
{
	if (!*v || x->col >= SHEET_MAX_COLS)
		return;
	if (++x->n_cells > SHEET_MAX_CELLS) {
		fail(x, RC_TOOBIG, "the sheet has more than %d non-empty cells", SHEET_MAX_CELLS);
		return;
	}
	struct rowb *r = &x->rows.v[x->rows.n - 1];
	while (r->cells.n <= x->col)
		*VEC_PUSH(r->cells) = "";
	r->cells.v[x->col] = v;
}

static void end_cell(struct xl *x)
{
	const char *t = x->cell_t;
	struct buf *b = &x->text;
	if (b->err) {
		fail(x, RC_TOOBIG, "%s: a cell holds more than %d characters", x->part,
		     SHEET_MAX_CELL);
		return;
	}
	const char *raw = b->p ? b->p : "";
	char tmp[64];
	const char *v = NULL;
	if (strcmp(t, "s") == 0) {
		char *end;
		long i = strtol(raw, &end, 10);
		if (end == raw || i < 0 || (size_t)i >= x->strings.n) {
			fail(x, RC_MEDIA, "%s: a cell refers to shared string %s, which does not exist",
			     x->part, raw);
			return;
		}
		v = x->strings.v[i];
	} else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0 || strcmp(t, "e") == 0) {
		v = arena_strndup(x->arena, raw, b->len);
	} else if (strcmp(t, "d") == 0) {
		v = arena_strndup(x->arena, raw, b->len < 10 ? b->len : 10);
	} else if (strcmp(t, "b") == 0) {
		v = b->len ? (raw[0] == '1' ? "TRUE" : "FALSE") : "";
	} else if (b->len) {
		char *end;
		double d = strtod(raw, &end);
		int is_date = x->cell_s >= 0 && (size_t)x->cell_s < x->xf_date.n &&
			      x->xf_date.v[x->cell_s];
		if (end == raw || !isfinite(d))
			v = arena_strndup(x->arena, raw, b->len);
		else if (is_date && serial_date(d, x->date1904, tmp))
			v = arena_strdup(x->arena, tmp);
		else {
			if (d == floor(d) && fabs(d) < 1e15)
				snprintf(tmp, sizeof tmp, "%.0f", d);
			else
				snprintf(tmp, sizeof tmp, "%.15g", d);
			v = arena_strdup(x->arena, tmp);
		}
	} else {
		v = "";
	}
	if (b->len > SHEET_MAX_CELL && text_utf8_count(v, strlen(v)) > SHEET_MAX_CELL) {
		fail(x, RC_TOOBIG, "%s: a cell holds more than %d characters", x->part,
		     SHEET_MAX_CELL);
		return;
	}
	cell_put(x, v);
}

static void start_sheet(struct xl *x, enum el id, const char **atts)
{
	if (id == X_ROW) {
		const char *r = attr(atts, "r", NULL);
		uint32_t num = r ? (uint32_t)strtoul(r, NULL, 10) : x->row_num + 1;
		if (num == 0 || num > 1048576)
			num = x->row_num + 1;
		x->row_num = num;
		x->col = 0;
		if (x->rows.n >= SHEET_MAX_ROWS) {
			fail(x, RC_TOOBIG, "the sheet has more than %d rows", SHEET_MAX_ROWS);
			return;
		}
		struct rowb *rb = VEC_PUSH(x->rows);
		rb->num = num;
	} else if (id == X_C) {
		if (!x->rows.n) {
			struct rowb *rb = VEC_PUSH(x->rows);
			rb->num = x->row_num = 1;
		}
		const char *r = attr(atts, "r", NULL), *t = attr(atts, "t", NULL);
		const char *s = attr(atts, "s", NULL);
		uint32_t col, row;
		if (r && parse_ref(r, &col, &row) == 0)
			x->col = col;
		snprintf(x->cell_t, sizeof x->cell_t, "%s", t ? t : "n");
		x->cell_s = s ? atoi(s) : 0;
		buf_reset(&x->text);
	} else if (id == X_MERGECELL) {
		const char *ref = attr(atts, "ref", NULL);
		char a[16], b[16];
		const char *colon = ref ? strchr(ref, ':') : NULL;
		if (!colon || (size_t)(colon - ref) >= sizeof a || strlen(colon + 1) >= sizeof b)
			return;
		snprintf(a, sizeof a, "%.*s", (int)(colon - ref), ref);
		snprintf(b, sizeof b, "%s", colon + 1);
		struct sheet_merge m;
		if (parse_ref(a, &m.c0, &m.r0) || parse_ref(b, &m.c1, &m.r1) || m.r1 < m.r0 ||
		    m.c1 < m.c0)
			return;
		if (x->merges.n >= XL_MAX_MERGES) {
			fail(x, RC_TOOBIG, "the sheet has more than %d merged ranges", XL_MAX_MERGES);
			return;
		}
		m.r0--;
		m.r1--;
		*VEC_PUSH(x->merges) = m;
	}
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xl *x = ud;
	if (x->rc)
		return;
	if (x->depth >= XL_MAX_DEPTH) {
		fail(x, RC_MEDIA, "%s: XML nested more than %d elements deep", x->part,
		     XL_MAX_DEPTH);
		return;
	}
	if (x->elements == 0) {
		fail(x, RC_TOOBIG, "the workbook has more than %u XML elements", XL_MAX_ELEMENTS);
		return;
	}
	x->elements--;
	enum el id = el_of(name);
	x->stack[x->depth++] = (unsigned char)id;
	if (x->depth == 1) {
		static const enum el roots[] = {[P_WORKBOOK] = X_WORKBOOK, [P_STYLES] = X_STYLESHEET,
						[P_STRINGS] = X_SST, [P_SHEET] = X_WORKSHEET};
		if (x->kind != P_RELS && id != roots[x->kind]) {
			fail(x, RC_MEDIA, "%s is not a SpreadsheetML part", x->part);
			return;
		}
	}
	if (x->skip)
		return;
	if (id == X_RPH) {                      /* phonetic guides: not the text */
		x->skip = x->depth;
		return;
	}
	switch (x->kind) {
	case P_RELS:
		if (id == X_REL)
			start_rels(x, atts);
		break;
	case P_WORKBOOK:
		start_workbook(x, id, atts);
		break;
	case P_STYLES:
		start_styles(x, id, atts);
		break;
	case P_STRINGS:
		if (id == X_SI) {
			if (x->strings.n >= SHEET_MAX_STRINGS) {
				fail(x, RC_TOOBIG, "more than %d shared strings", SHEET_MAX_STRINGS);
				return;
			}
			buf_reset(&x->text);
			x->in_si = 1;
		}
		break;
	case P_SHEET:
		start_sheet(x, id, atts);
		break;
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct xl *x = ud;
	(void)name;
	if (x->rc || !x->depth)
		return;
	enum el id = x->stack[x->depth - 1];
	if (x->skip) {
		if (x->skip == x->depth)
			x->skip = 0;
		x->depth--;
		return;
	}
	if (x->kind == P_STRINGS && id == X_SI) {
		if (x->text.err)
			fail(x, RC_TOOBIG, "%s: a string holds more than %d characters", x->part,
			     SHEET_MAX_CELL);
		else
			*VEC_PUSH(x->strings) = arena_strndup(x->arena, x->text.p ? x->text.p : "",
							      x->text.len);
		x->in_si = 0;
	} else if (x->kind == P_SHEET && id == X_C) {
		end_cell(x);
		x->col++;
	}
	x->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xl *x = ud;
	if (x->rc || x->skip || x->depth < 1)
		return;
	enum el id = x->stack[x->depth - 1];
	if ((x->kind == P_STRINGS && x->in_si && id == X_T) ||
	    (x->kind == P_SHEET && (id == X_V || (id == X_T && x->depth >= 2))))
		buf_append(&x->text, s, (size_t)len);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct xl *x = ud;
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	fail(x, RC_MEDIA, "%s: a document type declaration is not allowed", x->part);
}

/* ---- the package ---------------------------------------------------------- */

static zip_int64_t locate(struct xl *x, const char *name)
{
	return zip_name_locate(x->z, name, ZIP_FL_NOCASE);
}

/* Inflate a part into expat.  RC_NOTFOUND (no message) when it is absent
 * and !required. */
static enum rc parse_part(struct xl *x, const char *name, enum part kind, int required)
{
	zip_int64_t idx = locate(x, name);
	if (idx < 0) {
		if (!required)
			return RC_NOTFOUND;
		fail(x, RC_MEDIA, "not a usable workbook: the part %s is missing", name);
		return x->rc;
	}
	zip_stat_t zs;
	zip_stat_init(&zs);
	if (zip_stat_index(x->z, (zip_uint64_t)idx, 0, &zs) == 0 &&
	    (zs.valid & ZIP_STAT_ENCRYPTION_METHOD) && zs.encryption_method != ZIP_EM_NONE) {
		fail(x, RC_MEDIA, "the workbook is encrypted (%s); save it without a password", name);
		return x->rc;
	}
	zip_file_t *zf = zip_fopen_index(x->z, (zip_uint64_t)idx, 0);
	if (!zf) {
		int ze = zip_error_code_zip(zip_get_error(x->z));
		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
			fail(x, RC_MEDIA, "the workbook is encrypted (%s); save it without a password",
			     name);
		else
			fail(x, RC_MEDIA, "%s cannot be read: %s", name, zip_strerror(x->z));
		return x->rc;
	}
	XML_Parser xp = XML_ParserCreateNS(NULL, ' ');
	if (!xp) {
		zip_fclose(zf);
		fail(x, RC_INTERNAL, "out of memory creating an XML parser");
		return x->rc;
	}
	XML_SetUserData(xp, x);
	XML_SetElementHandler(xp, on_start, on_end);
	XML_SetCharacterDataHandler(xp, on_text);
	XML_SetStartDoctypeDeclHandler(xp, on_doctype);
	x->xp = xp;
	x->part = name;
	x->kind = kind;
	x->depth = x->skip = 0;
	char *chunk = xmalloc(64 << 10);
	for (;;) {
		zip_int64_t got = zip_fread(zf, chunk, 64 << 10);
		if (got < 0) {
			int ze = zip_error_code_zip(zip_file_get_error(zf));
			fail(x, RC_MEDIA, "%s is damaged: %s", name,
			     ze == ZIP_ER_CRC ? "checksum error" : zip_file_strerror(zf));
			break;
		}
		if ((size_t)got > x->budget) {
			fail(x, RC_TOOBIG, "the parts of the workbook inflate to more than %u MiB",
			     SHEET_MAX_UNZIPPED >> 20);
			break;
		}
		x->budget -= (size_t)got;
		if (XML_Parse(xp, chunk, (int)got, got == 0) == XML_STATUS_ERROR) {
			if (!x->rc)
				fail(x, RC_MEDIA, "%s: malformed XML at line %lu: %s", name,
				     (unsigned long)XML_GetCurrentLineNumber(xp),
				     XML_ErrorString(XML_GetErrorCode(xp)));
			break;
		}
		if (x->rc || got == 0)
			break;
	}
	free(chunk);
	zip_fclose(zf);
	XML_ParserFree(xp);
	x->xp = NULL;
	return x->rc;
}

static const char *rel_target(struct xl *x, const char *type, const char *id)
{
	for (size_t i = 0; i < x->rels.n; i++)
		if ((type && strcmp(x->rels.v[i].type, type) == 0) ||
		    (id && strcmp(x->rels.v[i].id, id) == 0))
			return x->rels.v[i].target;
	return NULL;
}

static int cmp_row(const void *a, const void *b)
{
	uint32_t x = ((const struct rowb *)a)->num, y = ((const struct rowb *)b)->num;
	return (x > y) - (x < y);
}

/* Rows with values, sorted, merged ranges applied, into out. */
static void finish_sheet(struct xl *x, struct sheet *out)
{
	/* Drop rows without a value; sort (rows should come in order). */
	size_t k = 0;
	for (size_t i = 0; i < x->rows.n; i++) {
		struct rowb *r = &x->rows.v[i];
		while (r->cells.n && !*r->cells.v[r->cells.n - 1])
			r->cells.n--;
		if (r->cells.n)
			x->rows.v[k++] = *r;
		else
			VEC_FREE(r->cells);
	}
	x->rows.n = k;
	if (k)
		qsort(x->rows.v, k, sizeof *x->rows.v, cmp_row);
	/* Merged ranges: copy the top-left value over the range in existing rows. */
	for (size_t m = 0; m < x->merges.n; m++) {
		const struct sheet_merge *g = &x->merges.v[m];
		const char *v = "";
		size_t first = k;
		for (size_t i = 0; i < k; i++) {
			if (x->rows.v[i].num - 1 >= g->r0) {
				first = i;
				break;
			}
		}
		if (first < k && x->rows.v[first].num - 1 == g->r0 &&
		    g->c0 < x->rows.v[first].cells.n)
			v = x->rows.v[first].cells.v[g->c0];
		if (!*v)
			continue;
		uint32_t c1 = g->c1 < SHEET_MAX_COLS ? g->c1 : SHEET_MAX_COLS - 1;
		for (size_t i = first; i < k && x->rows.v[i].num - 1 <= g->r1; i++) {
			struct rowb *r = &x->rows.v[i];
			for (uint32_t c = g->c0; c <= c1; c++) {
				if (x->n_cells++ > SHEET_MAX_CELLS) {
					fail(x, RC_TOOBIG, "the sheet has more than %d cells with merged "
					     "ranges filled", SHEET_MAX_CELLS);
					return;
				}
				while (r->cells.n <= c)
					*VEC_PUSH(r->cells) = "";
				if (!*r->cells.v[c])
					r->cells.v[c] = v;
			}
		}
	}
	out->rows = arena_alloc(&out->arena, (k ? k : 1) * sizeof *out->rows);
	out->n_rows = k;
	for (size_t i = 0; i < k; i++) {
		struct rowb *r = &x->rows.v[i];
		out->rows[i].num = r->num;
		out->rows[i].n = (uint32_t)r->cells.n;
		out->rows[i].v = arena_alloc(&out->arena, r->cells.n * sizeof *out->rows[i].v);
		memcpy(out->rows[i].v, r->cells.v, r->cells.n * sizeof *r->cells.v);
		if (r->cells.n > out->n_cols)
			out->n_cols = (uint32_t)r->cells.n;
	}
	out->merges = arena_alloc(&out->arena, (x->merges.n ? x->merges.n : 1) *
						      sizeof *out->merges);
	if (x->merges.n)
		memcpy(out->merges, x->merges.v, x->merges.n * sizeof *x->merges.v);
	out->n_merges = x->merges.n;
}

static void xl_release(struct xl *x)
{
	for (size_t i = 0; i < x->rows.n; i++)
		VEC_FREE(x->rows.v[i].cells);
	VEC_FREE(x->rows);
	VEC_FREE(x->rels);
	VEC_FREE(x->sheets);
	VEC_FREE(x->numfmts);
	VEC_FREE(x->xf_fmt);
	VEC_FREE(x->xf_date);
	VEC_FREE(x->strings);
	VEC_FREE(x->merges);
	buf_release(&x->text);
	if (x->z)
		zip_discard(x->z);
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels" and "xl/". */
static void rels_of(const char *part, char *rels, size_t rsize, char *dir, size_t dsize)
{
	const char *slash = strrchr(part, '/');
	size_t dl = slash ? (size_t)(slash - part + 1) : 0;
	snprintf(dir, dsize, "%.*s", (int)dl, part);
	snprintf(rels, rsize, "%.*s_rels/%s.rels", (int)dl, part, part + dl);
}

static enum rc read_workbook(struct xl *x, struct sheet *out)
{
	x->rel_base = "";
	enum rc rc = parse_part(x, "_rels/.rels", P_RELS, 0);
	if (rc && rc != RC_NOTFOUND)
		return rc;
	char wb[XL_MAX_PATH];
	snprintf(wb, sizeof wb, "%s", x->rel_doc ? x->rel_doc : "xl/workbook.xml");
	if (strncmp(wb, "word/", 5) == 0 || locate(x, "word/document.xml") >= 0) {
		fail(x, RC_MEDIA, "this is a Word document (.docx), not a workbook");
		return x->rc;
	}
	if (locate(x, wb) < 0) {
		if (locate(x, "ppt/presentation.xml") >= 0)
			fail(x, RC_MEDIA, "this is a PowerPoint presentation (.pptx), not a workbook");
		else if (locate(x, "content.xml") >= 0 && locate(x, "mimetype") >= 0)
			fail(x, RC_MEDIA, "this is an OpenDocument file (.ods); save it as .xlsx");
		else
			fail(x, RC_MEDIA, "not a workbook: the ZIP archive has no xl/workbook.xml");
		return x->rc;
	}
	rc = parse_part(x, wb, P_WORKBOOK, 1);
	if (rc)
		return rc;
	char rels[XL_MAX_PATH + 16], dir[XL_MAX_PATH];
	rels_of(wb, rels, sizeof rels, dir, sizeof dir);
	x->rel_base = dir;
	x->rels.n = 0;
	rc = parse_part(x, rels, P_RELS, 0);
	if (rc && rc != RC_NOTFOUND)
		return rc;

	/* The sheet: the first visible one named …台账…, else the first visible. */
	const struct sheet_ref *pick = NULL;
	for (size_t i = 0; i < x->sheets.n && !pick; i++)
		if (!x->sheets.v[i].hidden && strstr(x->sheets.v[i].name, "台账"))
			pick = &x->sheets.v[i];
	for (size_t i = 0; i < x->sheets.n && !pick; i++)
		if (!x->sheets.v[i].hidden)
			pick = &x->sheets.v[i];
	if (!pick) {
		fail(x, RC_MEDIA, "the workbook has no visible sheet");
		return x->rc;
	}
	const char *sheet_path = rel_target(x, NULL, pick->rid);
	if (!sheet_path) {
		fail(x, RC_MEDIA, "the workbook does not say where sheet %s is", pick->name);
		return x->rc;
	}
	char sheet_copy[XL_MAX_PATH], styles[XL_MAX_PATH], strings[XL_MAX_PATH];
	snprintf(sheet_copy, sizeof sheet_copy, "%s", sheet_path);
	const char *t = rel_target(x, "styles", NULL);
	snprintf(styles, sizeof styles, "%s", t ? t : "xl/styles.xml");
	t = rel_target(x, "sharedStrings", NULL);
	snprintf(strings, sizeof strings, "%s", t ? t : "xl/sharedStrings.xml");
	out->name = arena_strdup(&out->arena, pick->name);

	rc = parse_part(x, styles, P_STYLES, 0);
	if (rc && rc != RC_NOTFOUND)
		return rc;
	for (size_t i = 0; i < x->xf_fmt.n; i++) {
		int id = x->xf_fmt.v[i], date = builtin_date(id);
		for (size_t k = 0; k < x->numfmts.n; k++)
			if (x->numfmts.v[k].id == id)
				date = code_is_date(x->numfmts.v[k].code);
		*VEC_PUSH(x->xf_date) = (unsigned char)date;
	}
	rc = parse_part(x, strings, P_STRINGS, 0);
	if (rc && rc != RC_NOTFOUND)
		return rc;
	rc = parse_part(x, sheet_copy, P_SHEET, 1);
	if (rc)
		return rc;
	finish_sheet(x, out);
	return x->rc;
}

enum rc sheet_read_xlsx(const void *data, size_t len, struct sheet *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->format = "xlsx";
	out->name = "";
	out->encoding = "";
	if (len > SHEET_MAX_FILE)
		return ERR(e, RC_TOOBIG, "the workbook is %zu bytes; the limit is %u MiB", len,
			   SHEET_MAX_FILE >> 20);
	struct xl x = {.e = e, .budget = SHEET_MAX_UNZIPPED, .elements = XL_MAX_ELEMENTS,
		       .arena = &out->arena};
	buf_init(&x.text, (size_t)SHEET_MAX_CELL * 4);
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (src)
		x.z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!x.z) {
		int code = zip_error_code_zip(&ze);
		enum rc rc = code == ZIP_ER_NOZIP
				     ? ERR(e, RC_MEDIA, "not a valid .xlsx: the ZIP archive is truncated "
					   "or damaged (no central directory)")
				     : ERR(e, RC_MEDIA, "not a valid .xlsx: %s", zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		xl_release(&x);
		return rc;
	}
	zip_error_fini(&ze);
	enum rc rc = read_workbook(&x, out);
	xl_release(&x);
	return rc;
}
