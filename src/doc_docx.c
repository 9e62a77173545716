/*
 * doc_docx.c -- .docx reports (Word, WPS, LibreOffice) to the plain text the
 * engine parses.
 *
 * The package is opened from memory with libzip.  _rels/.rels names the main
 * part (word/document.xml when it says nothing), and that part's
 * relationships name the styles and numbering parts.  Each part is inflated
 * in chunks straight into an expat parser; nothing is buffered whole.
 *
 * What reaches the engine is what a reader of the accepted document sees:
 *
 *   - each paragraph is one line, followed by a blank line;
 *   - an automatically numbered paragraph (numPr on the paragraph or on its
 *     style, styles followed through basedOn) starts with its label, built
 *     from the level's lvlText, numFmt and start and the running counters,
 *     so that （一） 一、 1. （1） 一是 arrive as text.  Counters belong to the
 *     abstract numbering definition, as in Word: two num instances of one
 *     definition continue each other unless one overrides the start
 *     (lvlOverride/startOverride restarts the level where the instance is
 *     first used).  A level restarts when a higher level is used, or as its
 *     lvlRestart says;
 *   - a paragraph with an outline level 0-5 (Heading 1-6) is written as a
 *     Markdown heading ("## "), so that unnumbered headings structure the
 *     tree as they do in a .md report;
 *   - tables are flattened row by row: a row with one non-empty cell gives
 *     that cell's paragraphs as lines, a wider row gives one line with its
 *     cells separated by tabs (paragraphs inside a cell joined by spaces);
 *   - tracked changes are resolved to the accepted text: inserted and
 *     moved-to text is kept; deleted and moved-from text, deleted table rows
 *     and the old properties of property changes are dropped; a paragraph
 *     whose mark was deleted runs on into the next one;
 *   - fields show their displayed result (field codes are dropped);
 *   - w:tab is a tab, w:br and w:cr end a line; hidden text (w:vanish),
 *     footnotes, endnotes, comments, headers and footers are not read;
 *   - text boxes give their paragraphs as lines before the paragraph that
 *     anchors them; of mc:AlternateContent only the first choice is read.
 *
 * Bounds (docs/LIMITS.md): the decompressed bytes of all parts read are
 * counted as they are inflated (headers are not trusted) and refused past
 * DOCX_MAX_UNZIPPED; XML deeper than DOCX_MAX_DEPTH or with more than
 * DOCX_MAX_ELEMENTS elements is refused; the text produced is capped at
 * TEXT_MAX_INPUT.  A DOCTYPE is refused (OOXML has none), so no entity can
 * expand.  Every failure is RC_MEDIA (not a usable .docx: damaged, malformed,
 * or nested deeper than any document Word writes) or RC_TOOBIG (over a size
 * bound) with a message that names the part and the problem.
 */
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "doc_int.h"

#define DOCX_MAX_UNZIPPED (64u << 20)   /* decompressed bytes of the parts read */
#define DOCX_MAX_DEPTH 256              /* XML element nesting */
#define DOCX_MAX_ELEMENTS (8u << 20)    /* XML elements in all parts read */
#define DOCX_MAX_PATH 512               /* part names */
#define NLVL 9                          /* numbering levels 0..8 */
#define FLD_MAX 32                      /* nested fields tracked */
#define DOCX_MAX_SPAN 64                /* grid columns one table cell spans */

/* Characters of a bold run that opens a paragraph, at least, for it to be
 * the paragraph's heading. */
#define BOLD_LEAD_MIN 4
/* Characters of plain text (a label: 一是, （一）, 1.) that may stand before
 * such a run. */
#define BOLD_LEAD_LABEL 5
/* Characters of the body sentence after it, at least. */
#define BOLD_LEAD_BODY 10

static const char W_NS[] = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
static const char W_STRICT_NS[] = "http://purl.oclc.org/ooxml/wordprocessingml/main";
static const char MC_NS[] = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/* ---- element names ---------------------------------------------------- */

enum el {
	E_OTHER, E_CHANGE, E_MC_ALT, E_MC_FALLBACK, E_REL,
	E_ABSTRACTNUM, E_ABSTRACTNUMID, E_B, E_BASEDON, E_BR, E_CELLDEL, E_CR, E_DEL,
	E_DELTEXT, E_DOCUMENT, E_FLDCHAR, E_GRIDSPAN, E_ILVL, E_INSTRTEXT, E_ISLGL, E_LVL,
	E_LVLOVERRIDE, E_LVLRESTART, E_LVLTEXT, E_MOVEFROM, E_NAME, E_NOBREAKHYPHEN,
	E_NUM, E_NUMFMT, E_NUMID, E_NUMPR, E_NUMSTYLELINK, E_OUTLINELVL, E_P, E_PPR,
	E_PSTYLE, E_PTAB, E_R, E_RPR, E_SDTENDPR, E_SDTPR, E_START, E_STARTOVERRIDE,
	E_STYLE, E_STYLELINK, E_SUFF, E_T, E_TAB, E_TC, E_TCPR, E_TR, E_TRPR, E_VANISH,
};

/* WordprocessingML names we act on, sorted for bsearch. */
static const struct w_name {
	const char *name;
	enum el id;
} w_names[] = {
	{"abstractNum", E_ABSTRACTNUM}, {"abstractNumId", E_ABSTRACTNUMID}, {"b", E_B},
	{"basedOn", E_BASEDON}, {"br", E_BR}, {"cellDel", E_CELLDEL}, {"cr", E_CR},
	{"del", E_DEL}, {"delInstrText", E_INSTRTEXT}, {"delText", E_DELTEXT},
	{"document", E_DOCUMENT}, {"fldChar", E_FLDCHAR}, {"gridSpan", E_GRIDSPAN},
	{"ilvl", E_ILVL},
	{"instrText", E_INSTRTEXT}, {"isLgl", E_ISLGL}, {"lvl", E_LVL},
	{"lvlOverride", E_LVLOVERRIDE}, {"lvlRestart", E_LVLRESTART}, {"lvlText", E_LVLTEXT},
	{"moveFrom", E_MOVEFROM}, {"name", E_NAME}, {"noBreakHyphen", E_NOBREAKHYPHEN},
	{"num", E_NUM}, {"numFmt", E_NUMFMT}, {"numId", E_NUMID}, {"numPr", E_NUMPR},
	{"numStyleLink", E_NUMSTYLELINK}, {"outlineLvl", E_OUTLINELVL}, {"p", E_P},
	{"pPr", E_PPR}, {"pStyle", E_PSTYLE}, {"ptab", E_PTAB}, {"r", E_R}, {"rPr", E_RPR},
	{"sdtEndPr", E_SDTENDPR}, {"sdtPr", E_SDTPR}, {"start", E_START},
	{"startOverride", E_STARTOVERRIDE}, {"style", E_STYLE}, {"styleLink", E_STYLELINK},
	{"suff", E_SUFF}, {"t", E_T}, {"tab", E_TAB}, {"tc", E_TC}, {"tcPr", E_TCPR},
	{"tr", E_TR}, {"trPr", E_TRPR}, {"vanish", E_VANISH},
};

static int name_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* Split an expat "URI local" name; *local points into name. */
static const char *ns_split(const char *name, size_t *ns_len)
{
	const char *sp = strchr(name, ' ');
	if (!sp) {
		*ns_len = 0;
		return name;
	}
	*ns_len = (size_t)(sp - name);
	return sp + 1;
}

static int ns_is(const char *name, size_t ns_len, const char *ns)
{
	return strlen(ns) == ns_len && memcmp(name, ns, ns_len) == 0;
}

static int is_w_ns(const char *name, size_t ns_len)
{
	return ns_is(name, ns_len, W_NS) || ns_is(name, ns_len, W_STRICT_NS);
}

static enum el el_of(const char *name)
{
	size_t nl;
	const char *local = ns_split(name, &nl);
	if (nl && is_w_ns(name, nl)) {
		size_t ll = strlen(local);
		if (ll > 6 && strcmp(local + ll - 6, "Change") == 0)
			return E_CHANGE;        /* pPrChange, rPrChange, tblPrChange ... */
		const void *hit = bsearch(local, w_names, ARRAY_LEN(w_names), sizeof w_names[0],
					  name_cmp);
		return hit ? ((const struct w_name *)hit)->id : E_OTHER;
	}
	if (nl && ns_is(name, nl, MC_NS)) {
		if (strcmp(local, "AlternateContent") == 0)
			return E_MC_ALT;
		if (strcmp(local, "Fallback") == 0)
			return E_MC_FALLBACK;
		return E_OTHER;
	}
	if (strcmp(local, "Relationship") == 0)
		return E_REL;
	return E_OTHER;
}

/* The value of attribute `local` (w:local or plain local). */
static const char *attr(const char **atts, const char *local)
{
	for (size_t i = 0; atts[i]; i += 2) {
		size_t nl;
		const char *l = ns_split(atts[i], &nl);
		if (strcmp(l, local) == 0 && (nl == 0 || is_w_ns(atts[i], nl)))
			return atts[i + 1];
	}
	return NULL;
}

/* An integer attribute, clamped to [lo, hi]; def when absent or not a
 * number. */
static int attr_int(const char **atts, const char *local, int def, int lo, int hi)
{
	const char *v = attr(atts, local);
	if (!v)
		return def;
	char *end;
	long n = strtol(v, &end, 10);
	if (end == v)
		return def;
	return n < lo ? lo : n > hi ? hi : (int)n;
}

/* An on/off attribute: absent, "1", "true" and "on" are on. */
static int attr_on(const char **atts)
{
	const char *v = attr(atts, "val");
	return !v || !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0);
}

/* ---- numbering and styles --------------------------------------------- */

enum numfmt {
	NF_DECIMAL, NF_DECIMAL_ZERO, NF_DECIMAL_FULL, NF_CIRCLE, NF_PAREN, NF_FULLSTOP,
	NF_CN_COUNT, NF_CN_THOUSAND, NF_CN_LEGAL, NF_IDEO_DIGITAL, NF_IDEO_TRAD,
	NF_IDEO_ZODIAC, NF_UPPER_LETTER, NF_LOWER_LETTER, NF_UPPER_ROMAN, NF_LOWER_ROMAN,
	NF_BULLET, NF_NONE,
};

static const struct {
	const char *name;
	enum numfmt fmt;
} numfmt_names[] = {
	{"bullet", NF_BULLET},
	{"chineseCounting", NF_CN_COUNT},
	{"chineseCountingThousand", NF_CN_THOUSAND},
	{"chineseLegalSimplified", NF_CN_LEGAL},
	{"decimalEnclosedCircle", NF_CIRCLE},
	{"decimalEnclosedCircleChinese", NF_CIRCLE},
	{"decimalEnclosedFullstop", NF_FULLSTOP},
	{"decimalEnclosedParen", NF_PAREN},
	{"decimalFullWidth", NF_DECIMAL_FULL},
	{"decimalFullWidth2", NF_DECIMAL_FULL},
	{"decimalZero", NF_DECIMAL_ZERO},
	{"ideographDigital", NF_IDEO_DIGITAL},
	{"ideographEnclosedCircle", NF_CIRCLE},
	{"ideographLegalTraditional", NF_CN_LEGAL},
	{"ideographTraditional", NF_IDEO_TRAD},
	{"ideographZodiac", NF_IDEO_ZODIAC},
	{"japaneseCounting", NF_CN_THOUSAND},
	{"japaneseDigitalTenThousand", NF_IDEO_DIGITAL},
	{"japaneseLegal", NF_CN_LEGAL},
	{"lowerLetter", NF_LOWER_LETTER},
	{"lowerRoman", NF_LOWER_ROMAN},
	{"none", NF_NONE},
	{"taiwaneseCounting", NF_CN_COUNT},
	{"taiwaneseCountingThousand", NF_CN_THOUSAND},
	{"taiwaneseDigital", NF_IDEO_DIGITAL},
	{"upperLetter", NF_UPPER_LETTER},
	{"upperRoman", NF_UPPER_ROMAN},
};

static enum numfmt numfmt_of(const char *v, const char *custom, int *zero_width)
{
	*zero_width = 0;
	if (!v)
		return NF_DECIMAL;
	if (strcmp(v, "custom") == 0 && custom) {
		/* w:format="001, 002, 003, ...": zero-padded decimals. */
		size_t w = 0;
		while (custom[w] >= '0' && custom[w] <= '9')
			w++;
		if (w > 1 && custom[0] == '0' && w < 10)
			*zero_width = (int)w;
		return *zero_width ? NF_DECIMAL_ZERO : NF_DECIMAL;
	}
	for (size_t i = 0; i < ARRAY_LEN(numfmt_names); i++)
		if (strcmp(v, numfmt_names[i].name) == 0)
			return numfmt_names[i].fmt;
	return NF_DECIMAL;
}

struct lvl {
	unsigned char defined, legal, has_text;
	char suff;              /* 't' tab, 's' space, 'n' nothing */
	enum numfmt fmt;
	int zero_width;
	int start;              /* absent: 0, as the standard says */
	int restart;            /* lvlRestart; -1 when absent */
	char text[64];          /* lvlText */
	const char *pstyle;     /* style bound to the level, or NULL */
};

struct absnum {
	int id;
	struct lvl lv[NLVL];
	const char *num_style_link;
	int cur[NLVL];
	unsigned char started[NLVL];
};

struct num {
	int id, abs_id;
	struct lvl ov[NLVL];
	int start_ov[NLVL];
	unsigned char has_ov[NLVL], has_start[NLVL], used;
};

struct style {
	const char *id, *based_on;
	int num_id;             /* -1 unset, 0 numbering removed */
	int ilvl;               /* -1 unset */
	int outline;            /* -1 unset */
	unsigned char paragraph, is_default;
};

/* ---- document state ----------------------------------------------------- */

struct para {
	struct buf text;
	const char *style;      /* pStyle, in the arena */
	int num_id, ilvl, outline;      /* -1 unset */
	unsigned char mark_deleted, run_hidden, run_bold;
	unsigned char bold_lead;        /* 1: the text so far is a bold run, 2: past it */
	size_t bold_chars;
	size_t bold_end;                /* where an opening bold heading ends, 0: none */
};

enum { FR_ROW, FR_CELL };

struct frame {
	int kind;
	int deleted;
	int span;               /* FR_CELL: grid columns it spans (w:gridSpan) */
	struct buf text;        /* FR_CELL: paragraphs joined by '\n' */
	VEC(char *) cells;      /* FR_ROW: the texts of its finished cells */
};

enum part_kind { PART_RELS, PART_STYLES, PART_NUMBERING, PART_DOCUMENT };

struct docx {
	zip_t *z;
	struct err *e;
	enum rc rc;             /* first failure; stops the parser */
	XML_Parser xp;
	const char *part;       /* being parsed */
	enum part_kind kind;
	size_t budget;          /* decompressed bytes still allowed */
	size_t elements;        /* elements still allowed */
	unsigned depth, skip;   /* skip: depth of an ignored subtree's root; 0 none */
	unsigned char stack[DOCX_MAX_DEPTH + 2];
	int root_checked;
	struct arena arena;

	/* relationships of the part being read */
	const char *rel_base;   /* directory of their source part, "" or "word/" */
	char *rel_doc, *rel_styles, *rel_numbering;

	/* styles.xml */
	VEC(struct style) styles;
	const struct style *default_style;

	/* numbering.xml */
	VEC(struct absnum) abs;
	VEC(struct num) nums;
	int cur_abs, cur_num, cur_ov;
	struct lvl *cur_lvl;

	/* document.xml */
	VEC(struct para) paras;
	VEC(struct frame) frames;
	struct buf out, carry, line;
	unsigned char fld_sep[FLD_MAX];
	unsigned fld_depth, fld_hidden, fld_extra;
};

static void fail(struct docx *d, enum rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct docx *d, enum rc rc, const char *fmt, ...)
{
	if (d->rc)
		return;
	d->rc = rc;
	if (d->e) {
		va_list ap;
		va_start(ap, fmt);
		char msg[sizeof d->e->msg];
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		ERR(d->e, rc, "%s", msg);
	}
	if (d->xp)
		XML_StopParser(d->xp, XML_FALSE);
}

static unsigned char parent(const struct docx *d, unsigned up)
{
	return d->depth > up ? d->stack[d->depth - 1 - up] : E_OTHER;
}

/* ---- number formatting ------------------------------------------------- */

static const char *const cn_digit[10] = {"〇", "一", "二", "三", "四",
					 "五", "六", "七", "八", "九"};
static const char *const cn_legal[10] = {"零", "壹", "贰", "叁", "肆",
					 "伍", "陆", "柒", "捌", "玖"};
static const char *const cn_unit[3] = {"十", "百", "千"};
static const char *const cn_legal_unit[3] = {"拾", "佰", "仟"};

/* 1..9999 in the Chinese counting system: 十, 十一, 二十, 一百〇一, 一千〇一十.
 * legal keeps the leading one of 10-19 (壹拾). */
static void put_cn_thousand(struct buf *b, int n, const char *const *dig,
			    const char *const *unit, const char *zero, int legal)
{
	int dd[4] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
	int any = 0, pending_zero = 0;
	for (int i = 0; i < 4; i++) {
		if (dd[i] == 0) {
			pending_zero |= any;
			continue;
		}
		if (pending_zero)
			buf_puts(b, zero);
		pending_zero = 0;
		if (!(i == 2 && dd[i] == 1 && !any && !legal))
			buf_puts(b, dig[dd[i]]);
		if (i < 3)
			buf_puts(b, unit[2 - i]);
		any = 1;
	}
}

static void put_cp(struct buf *b, uint32_t cp)
{
	char u[4];
	buf_append(b, u, (size_t)text_utf8_put(cp, u));
}

static void put_roman(struct buf *b, int n, int upper)
{
	static const struct {
		int v;
		const char *s;
	} r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
		 {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}};
	for (size_t i = 0; i < ARRAY_LEN(r); i++) {
		while (n >= r[i].v) {
			for (const char *s = r[i].s; *s; s++)
				buf_putc(b, upper ? (char)(*s - 'a' + 'A') : *s);
			n -= r[i].v;
		}
	}
}

/* Write n in format fmt.  Values a format cannot show fall back to
 * decimal, as Word does. */
static void put_number(struct buf *b, enum numfmt fmt, int n, int zero_width)
{
	switch (fmt) {
	case NF_DECIMAL_ZERO:
		buf_printf(b, "%0*d", zero_width > 1 ? zero_width : 2, n);
		return;
	case NF_DECIMAL_FULL:
		if (n >= 0) {
			char tmp[16];
			snprintf(tmp, sizeof tmp, "%d", n);
			for (char *p = tmp; *p; p++)
				put_cp(b, 0xFF10u + (uint32_t)(*p - '0'));
			return;
		}
		break;
	case NF_CIRCLE:
		if (n >= 1 && n <= 20) {
			put_cp(b, 0x2460u + (uint32_t)n - 1);
			return;
		}
		break;
	case NF_PAREN:
		if (n >= 1 && n <= 20) {
			put_cp(b, 0x2474u + (uint32_t)n - 1);
			return;
		}
		break;
	case NF_FULLSTOP:
		if (n >= 1 && n <= 20) {
			put_cp(b, 0x2488u + (uint32_t)n - 1);
			return;
		}
		break;
	case NF_CN_COUNT:
		/* Word counts 1-99 with 十 and writes larger numbers digit by digit. */
		if (n >= 1 && n <= 99) {
			put_cn_thousand(b, n, cn_digit, cn_unit, "〇", 0);
			return;
		}
		if (n >= 100 && n <= 9999) {
			char tmp[8];
			snprintf(tmp, sizeof tmp, "%d", n);
			for (char *p = tmp; *p; p++)
				buf_puts(b, cn_digit[*p - '0']);
			return;
		}
		break;
	case NF_CN_THOUSAND:
		if (n >= 1 && n <= 9999) {
			put_cn_thousand(b, n, cn_digit, cn_unit, "〇", 0);
			return;
		}
		break;
	case NF_CN_LEGAL:
		if (n >= 1 && n <= 9999) {
			put_cn_thousand(b, n, cn_legal, cn_legal_unit, "零", 1);
			return;
		}
		break;
	case NF_IDEO_DIGITAL:
		if (n >= 0) {
			char tmp[16];
			snprintf(tmp, sizeof tmp, "%d", n);
			for (char *p = tmp; *p; p++)
				buf_puts(b, cn_digit[*p - '0']);
			return;
		}
		break;
	case NF_IDEO_TRAD:
		if (n >= 1 && n <= 10) {
			static const char *const s[] = {"甲", "乙", "丙", "丁", "戊",
							"己", "庚", "辛", "壬", "癸"};
			buf_puts(b, s[n - 1]);
			return;
		}
		break;
	case NF_IDEO_ZODIAC:
		if (n >= 1 && n <= 12) {
			static const char *const s[] = {"子", "丑", "寅", "卯", "辰", "巳",
							"午", "未", "申", "酉", "戌", "亥"};
			buf_puts(b, s[n - 1]);
			return;
		}
		break;
	case NF_UPPER_LETTER:
	case NF_LOWER_LETTER:
		if (n >= 1 && n <= 26 * 10) {
			char c = (char)((fmt == NF_UPPER_LETTER ? 'A' : 'a') + (n - 1) % 26);
			for (int i = 0; i <= (n - 1) / 26; i++)
				buf_putc(b, c);
			return;
		}
		break;
	case NF_UPPER_ROMAN:
	case NF_LOWER_ROMAN:
		if (n >= 1 && n <= 3999) {
			put_roman(b, n, fmt == NF_UPPER_ROMAN);
			return;
		}
		break;
	case NF_BULLET:
	case NF_NONE:
		return;
	case NF_DECIMAL:
		break;
	}
	buf_printf(b, "%d", n);
}

/* ---- lookups ------------------------------------------------------------ */

static int cmp_abs(const void *a, const void *b)
{
	int x = ((const struct absnum *)a)->id, y = ((const struct absnum *)b)->id;
	return (x > y) - (x < y);
}
static int cmp_num(const void *a, const void *b)
{
	int x = ((const struct num *)a)->id, y = ((const struct num *)b)->id;
	return (x > y) - (x < y);
}
static int cmp_style(const void *a, const void *b)
{
	return strcmp(((const struct style *)a)->id, ((const struct style *)b)->id);
}

static struct absnum *find_abs(struct docx *d, int id)
{
	struct absnum key = {.id = id};
	return d->abs.n ? bsearch(&key, d->abs.v, d->abs.n, sizeof key, cmp_abs) : NULL;
}
static struct num *find_num(struct docx *d, int id)
{
	struct num key = {.id = id};
	return d->nums.n ? bsearch(&key, d->nums.v, d->nums.n, sizeof key, cmp_num) : NULL;
}
static const struct style *find_style(struct docx *d, const char *id)
{
	if (!id || !d->styles.n)
		return NULL;
	struct style key = {.id = id};
	return bsearch(&key, d->styles.v, d->styles.n, sizeof key, cmp_style);
}

/* The definition a num instance draws on, following numStyleLink. */
static struct absnum *abs_of(struct docx *d, const struct num *n)
{
	struct absnum *a = find_abs(d, n->abs_id);
	for (int hop = 0; a && a->num_style_link && hop < 4; hop++) {
		const struct style *s = find_style(d, a->num_style_link);
		const struct num *n2 = s && s->num_id > 0 ? find_num(d, s->num_id) : NULL;
		struct absnum *a2 = n2 ? find_abs(d, n2->abs_id) : NULL;
		if (!a2 || a2 == a)
			break;
		a = a2;
	}
	return a;
}

static const struct lvl *lvl_of(const struct num *n, const struct absnum *a, int k)
{
	return n->has_ov[k] ? &n->ov[k] : &a->lv[k];
}

static int start_of(const struct num *n, const struct absnum *a, int k)
{
	return n->has_start[k] ? n->start_ov[k] : lvl_of(n, a, k)->start;
}

/* Number the paragraph p: advance the counters and append its label and
 * separator to out.  Nothing for unnumbered paragraphs and bullets. */
static void para_label(struct docx *d, const struct para *p, struct buf *out, int *outline)
{
	int num_id = p->num_id, ilvl = p->ilvl;
	*outline = p->outline;
	const struct style *st = p->style ? find_style(d, p->style) : d->default_style;
	const char *num_style = NULL;   /* the style that supplied the numbering */
	for (int hop = 0; st && hop < 16; hop++) {
		if (num_id < 0 && st->num_id >= 0) {
			num_id = st->num_id;
			num_style = st->id;
		}
		if (ilvl < 0 && st->ilvl >= 0)
			ilvl = st->ilvl;
		if (*outline < 0 && st->outline >= 0)
			*outline = st->outline;
		st = find_style(d, st->based_on);
	}
	if (num_id <= 0)
		return;
	struct num *n = find_num(d, num_id);
	struct absnum *a = n ? abs_of(d, n) : NULL;
	if (!a)
		return;
	if (ilvl < 0) {
		/* A level bound to the paragraph's style (lvl/pStyle). */
		const char *sid = p->style ? p->style : num_style;
		ilvl = 0;
		for (int k = 0; sid && k < NLVL; k++)
			if (lvl_of(n, a, k)->pstyle && strcmp(lvl_of(n, a, k)->pstyle, sid) == 0)
				ilvl = k;
	}
	if (ilvl >= NLVL)
		ilvl = NLVL - 1;
	const struct lvl *lv = lvl_of(n, a, ilvl);
	if (!lv->defined)
		return;

	if (!n->used) {
		n->used = 1;
		for (int k = 0; k < NLVL; k++)
			if (n->has_start[k] || n->has_ov[k])
				a->started[k] = 0;
	}
	if (a->started[ilvl])
		a->cur[ilvl] = a->cur[ilvl] < 1000000000 ? a->cur[ilvl] + 1 : a->cur[ilvl];
	else
		a->cur[ilvl] = start_of(n, a, ilvl);
	a->started[ilvl] = 1;
	for (int k = ilvl + 1; k < NLVL; k++) {
		int r = lvl_of(n, a, k)->restart;
		if (ilvl < (r < 0 ? k : r))
			a->started[k] = 0;
	}

	if (lv->fmt == NF_BULLET || !lv->has_text)
		return;
	size_t before = out->len;
	for (const char *s = lv->text; *s; s++) {
		if (s[0] == '%' && s[1] >= '1' && s[1] <= '9') {
			int k = s[1] - '1';
			const struct lvl *kl = lvl_of(n, a, k);
			int v = a->started[k] ? a->cur[k] : start_of(n, a, k);
			put_number(out, lv->legal ? NF_DECIMAL : kl->fmt, v, kl->zero_width);
			s++;
		} else {
			buf_putc(out, *s);
		}
	}
	if (out->len > before && lv->suff != 'n')
		buf_putc(out, ' ');
}

/* ---- emitting lines ------------------------------------------------------- */

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			return 0;
	return 1;
}

/* Give a finished line to the innermost table cell, or to the output. */
static void emit_line(struct docx *d, const char *s, size_t n)
{
	if (blank(s, n))
		return;
	for (size_t i = d->frames.n; i-- > 0;) {
		struct frame *f = &d->frames.v[i];
		if (f->kind == FR_CELL) {
			if (f->text.len)
				buf_putc(&f->text, '\n');
			buf_append(&f->text, s, n);
			return;
		}
	}
	buf_append(&d->out, s, n);
	buf_append(&d->out, "\n\n", 2);
	if (d->out.err)
		fail(d, RC_TOOBIG, "the text of the document is more than %u MiB",
		     TEXT_MAX_INPUT >> 20);
}

/*
 * A table row ends.  A row of one cell (a box around text) gives its
 * paragraphs as lines; a row of several gives one line with every cell,
 * empty ones included, joined by tabs, so that the document engine reads
 * the columns under the header (a vertically merged cell's continuation is
 * empty, as a merged cell copied from Word is), and the paragraphs of a
 * cell are joined by spaces.
 */
static void row_end(struct docx *d)
{
	struct frame *f = &d->frames.v[d->frames.n - 1];
	size_t filled = 0, last = 0;
	for (size_t i = 0; i < f->cells.n; i++)
		if (!blank(f->cells.v[i], strlen(f->cells.v[i]))) {
			filled++;
			last = i;
		}
	struct buf line = BUF_INIT(TEXT_MAX_INPUT);
	int boxed = f->cells.n == 1;
	if (f->deleted) {
		filled = 0;
	} else if (boxed && filled == 1) {
		buf_puts(&line, f->cells.v[last]);
	} else if (filled > 0) {
		for (size_t i = 0; i < f->cells.n; i++) {
			const char *s = f->cells.v[i];
			if (i)
				buf_putc(&line, '\t');
			while (*s == ' ' || *s == '\n' || *s == '\t')
				s++;
			size_t n = strlen(s);
			while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
				n--;
			for (size_t k = 0; k < n; k++)
				buf_putc(&line, s[k] == '\n' || s[k] == '\t' ? ' ' : s[k]);
		}
	}
	for (size_t i = 0; i < f->cells.n; i++)
		free(f->cells.v[i]);
	VEC_FREE(f->cells);
	d->frames.n--;
	if (line.err)
		fail(d, RC_TOOBIG, "%s: a table row holds more than %u MiB of text", d->part,
		     TEXT_MAX_INPUT >> 20);
	/* One cell: its paragraphs stay lines.  Wider rows: one line. */
	const char *s = line.p ? line.p : "";
	while (boxed && filled == 1 && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		emit_line(d, s, n);
		s += n + (nl != NULL);
	}
	if (!boxed && filled > 0)
		emit_line(d, s, line.len);
	buf_release(&line);
}

static void para_end(struct docx *d)
{
	struct para *p = &d->paras.v[d->paras.n - 1];
	if (p->text.err) {
		fail(d, RC_TOOBIG, "%s: a paragraph holds more than %u MiB of text", d->part,
		     TEXT_MAX_INPUT >> 20);
	} else if (p->mark_deleted) {
		/* Accepting the deletion of the mark joins it to the next one. */
		buf_append(&d->carry, p->text.p ? p->text.p : "", p->text.len);
	} else {
		if (p->bold_end && p->text.len >= p->bold_end + 3 * BOLD_LEAD_BODY &&
		    memcmp(p->text.p + p->text.len - 3, "。", 3) == 0) {
			buf_putc(&p->text, ' ');
			memmove(p->text.p + p->bold_end + 1, p->text.p + p->bold_end,
				p->text.len - 1 - p->bold_end);
			p->text.p[p->bold_end] = ' ';
		}
		struct buf *l = &d->line;
		buf_reset(l);
		struct buf label = BUF_INIT(4096);
		int outline = -1;
		para_label(d, p, &label, &outline);
		if (outline >= 0 && outline <= 5 && !blank(p->text.p, p->text.len)) {
			for (int i = 0; i <= outline; i++)
				buf_putc(l, '#');
			buf_putc(l, ' ');
		}
		buf_append(l, label.p ? label.p : "", label.len);
		buf_append(l, p->text.p ? p->text.p : "", p->text.len);
		buf_release(&label);
		emit_line(d, l->p ? l->p : "", l->len);
	}
	buf_release(&p->text);
	d->paras.n--;
}

static void para_start(struct docx *d)
{
	struct para *p = VEC_PUSH(d->paras);
	buf_init(&p->text, TEXT_MAX_INPUT);
	p->num_id = p->ilvl = p->outline = -1;
	if (d->carry.len) {
		buf_append(&p->text, d->carry.p, d->carry.len);
		buf_reset(&d->carry);
	}
}

static struct para *cur_para(struct docx *d)
{
	return d->paras.n ? &d->paras.v[d->paras.n - 1] : NULL;
}


/* Does text end with punctuation or a space? */
static int ends_in_mark(const struct buf *t)
{
	static const char *const marks[] = {"。", "：", "；", "，", "！", "？", "、", " ", ":", ";",
					    ",", ".", "\u3000"};
	for (size_t i = 0; i < ARRAY_LEN(marks); i++) {
		size_t l = strlen(marks[i]);
		if (t->len >= l && memcmp(t->p + t->len - l, marks[i], l) == 0)
			return 1;
	}
	return 0;
}

static void put_text(struct docx *d, const char *s, size_t n)
{
	struct para *p = cur_para(d);
	if (!p || p->run_hidden || d->fld_hidden || d->fld_extra)
		return;
	/* A bold run that opens a paragraph and ends without punctuation is its
	 * heading (一是 **政治站位不高** 班子…): para_end sets it apart from the
	 * body by a space, as the eye does, when a body sentence follows. */
	if (!blank(s, n) && p->bold_lead < 2) {
		if (p->run_bold) {
			p->bold_lead = 1;
			p->bold_chars += text_utf8_count(s, n);
		} else if (p->bold_lead == 1) {
			if (p->bold_chars >= BOLD_LEAD_MIN && !ends_in_mark(&p->text))
				p->bold_end = p->text.len;
			p->bold_lead = 2;
		} else if (text_utf8_count(p->text.p ? p->text.p : "", p->text.len) +
				   text_utf8_count(s, n) > BOLD_LEAD_LABEL) {
			p->bold_lead = 2; /* more than a label before any bold run */
		}
	}
	buf_append(&p->text, s, n);
}

/* ---- the parsers' element handlers --------------------------------------- */

static void start_rels(struct docx *d, enum el id, const char **atts)
{
	if (id != E_REL)
		return;
	const char *type = attr(atts, "Type"), *target = attr(atts, "Target");
	const char *mode = attr(atts, "TargetMode");
	if (!type || !target || (mode && strcasecmp(mode, "External") == 0))
		return;
	const char *slash = strrchr(type, '/');
	if (!slash)
		return;
	char **slot = strcmp(slash, "/officeDocument") == 0 ? &d->rel_doc
		      : strcmp(slash, "/styles") == 0       ? &d->rel_styles
		      : strcmp(slash, "/numbering") == 0    ? &d->rel_numbering
							    : NULL;
	if (!slot || *slot)
		return;
	/* Resolve the target against the source part's directory. */
	char path[DOCX_MAX_PATH];
	if (util_part_name(d->rel_base, target, path, sizeof path) > 0)
		*slot = arena_strdup(&d->arena, path);
}

static void start_styles(struct docx *d, enum el id, const char **atts)
{
	struct style *s = d->styles.n ? &d->styles.v[d->styles.n - 1] : NULL;
	switch (id) {
	case E_STYLE: {
		const char *sid = attr(atts, "styleId");
		const char *type = attr(atts, "type");
		s = VEC_PUSH(d->styles);
		s->id = arena_strdup(&d->arena, sid ? sid : "");
		s->num_id = s->ilvl = s->outline = -1;
		s->paragraph = !type || strcmp(type, "paragraph") == 0;
		const char *def = attr(atts, "default");
		s->is_default = def && (strcmp(def, "1") == 0 || strcmp(def, "true") == 0 ||
					strcmp(def, "on") == 0);
		return;
	}
	case E_BASEDON:
		if (s && parent(d, 1) == E_STYLE) {
			const char *v = attr(atts, "val");
			if (v)
				s->based_on = arena_strdup(&d->arena, v);
		}
		return;
	case E_NAME:
		if (s && parent(d, 1) == E_STYLE && s->outline < 0) {
			/* Built-in headings whose definition leaves the level out. */
			const char *v = attr(atts, "val");
			if (v && strncasecmp(v, "heading ", 8) == 0 && v[8] >= '1' && v[8] <= '6' &&
			    !v[9])
				s->outline = v[8] - '1';
		}
		return;
	case E_NUMID:
		if (s && parent(d, 1) == E_NUMPR && parent(d, 2) == E_PPR && parent(d, 3) == E_STYLE)
			s->num_id = attr_int(atts, "val", 0, 0, 1 << 30);
		return;
	case E_ILVL:
		if (s && parent(d, 1) == E_NUMPR && parent(d, 2) == E_PPR && parent(d, 3) == E_STYLE)
			s->ilvl = attr_int(atts, "val", 0, 0, NLVL - 1);
		return;
	case E_OUTLINELVL:
		if (s && parent(d, 1) == E_PPR && parent(d, 2) == E_STYLE)
			s->outline = attr_int(atts, "val", 9, 0, 9);
		return;
	default:
		return;
	}
}

static void lvl_init(struct lvl *l)
{
	memset(l, 0, sizeof *l);
	l->defined = 1;
	l->suff = 't';
	l->restart = -1;
	l->fmt = NF_DECIMAL;
}

static void start_numbering(struct docx *d, enum el id, const char **atts)
{
	struct lvl *l = d->cur_lvl;     /* inside a lvl, at any depth (mc:Choice) */
	switch (id) {
	case E_ABSTRACTNUM: {
		struct absnum *a = VEC_PUSH(d->abs);
		a->id = attr_int(atts, "abstractNumId", -1, -1, 1 << 30);
		d->cur_abs = (int)d->abs.n - 1;
		d->cur_num = -1;
		return;
	}
	case E_NUM: {
		struct num *n = VEC_PUSH(d->nums);
		n->id = attr_int(atts, "numId", -1, -1, 1 << 30);
		n->abs_id = -1;
		d->cur_num = (int)d->nums.n - 1;
		d->cur_abs = -1;
		return;
	}
	case E_ABSTRACTNUMID:
		if (d->cur_num >= 0 && parent(d, 1) == E_NUM)
			d->nums.v[d->cur_num].abs_id = attr_int(atts, "val", -1, -1, 1 << 30);
		return;
	case E_LVLOVERRIDE:
		d->cur_ov = attr_int(atts, "ilvl", -1, -1, 99);
		if (d->cur_ov >= NLVL)
			d->cur_ov = -1;
		return;
	case E_STARTOVERRIDE:
		if (d->cur_num >= 0 && d->cur_ov >= 0 && parent(d, 1) == E_LVLOVERRIDE) {
			struct num *n = &d->nums.v[d->cur_num];
			n->has_start[d->cur_ov] = 1;
			n->start_ov[d->cur_ov] = attr_int(atts, "val", 0, 0, 1000000000);
		}
		return;
	case E_LVL: {
		int k = attr_int(atts, "ilvl", -1, -1, 99);
		d->cur_lvl = NULL;
		if (parent(d, 1) == E_ABSTRACTNUM && d->cur_abs >= 0 && k >= 0 && k < NLVL) {
			d->cur_lvl = &d->abs.v[d->cur_abs].lv[k];
		} else if (parent(d, 1) == E_LVLOVERRIDE && d->cur_num >= 0 && d->cur_ov >= 0) {
			struct num *n = &d->nums.v[d->cur_num];
			n->has_ov[d->cur_ov] = 1;
			d->cur_lvl = &n->ov[d->cur_ov];
		}
		if (d->cur_lvl)
			lvl_init(d->cur_lvl);
		return;
	}
	case E_NUMSTYLELINK:
		if (d->cur_abs >= 0 && parent(d, 1) == E_ABSTRACTNUM) {
			const char *v = attr(atts, "val");
			if (v)
				d->abs.v[d->cur_abs].num_style_link = arena_strdup(&d->arena, v);
		}
		return;
	default:
		break;
	}
	if (!l)
		return;
	const char *v = attr(atts, "val");
	switch (id) {
	case E_START:
		l->start = attr_int(atts, "val", 0, 0, 1000000000);
		break;
	case E_NUMFMT:
		l->fmt = numfmt_of(v, attr(atts, "format"), &l->zero_width);
		break;
	case E_LVLTEXT:
		l->has_text = v != NULL;
		snprintf(l->text, sizeof l->text, "%s", v ? v : "");
		break;
	case E_LVLRESTART:
		l->restart = attr_int(atts, "val", -1, 0, NLVL);
		break;
	case E_ISLGL:
		l->legal = (unsigned char)attr_on(atts);
		break;
	case E_SUFF:
		l->suff = v && strcmp(v, "space") == 0 ? 's' : v && strcmp(v, "nothing") == 0 ? 'n' : 't';
		break;
	case E_PSTYLE:
		if (v)
			l->pstyle = arena_strdup(&d->arena, v);
		break;
	default:
		break;
	}
}

static void start_document(struct docx *d, enum el id, const char **atts)
{
	struct para *p = cur_para(d);
	unsigned char up = parent(d, 1), up2 = parent(d, 2);
	switch (id) {
	case E_P:
		para_start(d);
		return;
	case E_R:
		if (p)
			p->run_hidden = p->run_bold = 0;
		return;
	case E_B:
		if (p && up == E_RPR && up2 == E_R)
			p->run_bold = (unsigned char)attr_on(atts);
		return;
	case E_TR: {
		struct frame *f = VEC_PUSH(d->frames);
		f->kind = FR_ROW;
		return;
	}
	case E_TC: {
		struct frame *f = VEC_PUSH(d->frames);
		f->kind = FR_CELL;
		f->span = 1;
		buf_init(&f->text, TEXT_MAX_INPUT);
		return;
	}
	case E_DEL:
	case E_MOVEFROM:
		if (up == E_RPR && up2 == E_PPR) {
			if (p)
				p->mark_deleted = 1;
		} else if (up == E_TRPR) {
			for (size_t i = d->frames.n; i-- > 0;)
				if (d->frames.v[i].kind == FR_ROW) {
					d->frames.v[i].deleted = 1;
					break;
				}
		} else {
			d->skip = d->depth;
		}
		return;
	case E_GRIDSPAN:
		if (up == E_TCPR && d->frames.n && d->frames.v[d->frames.n - 1].kind == FR_CELL)
			d->frames.v[d->frames.n - 1].span = attr_int(atts, "val", 1, 1, DOCX_MAX_SPAN);
		return;
	case E_CELLDEL:
		if (up == E_TCPR && d->frames.n && d->frames.v[d->frames.n - 1].kind == FR_CELL)
			d->frames.v[d->frames.n - 1].deleted = 1;
		return;
	case E_PSTYLE:
		if (p && up == E_PPR) {
			const char *v = attr(atts, "val");
			if (v)
				p->style = arena_strdup(&d->arena, v);
		}
		return;
	case E_NUMID:
		if (p && up == E_NUMPR && up2 == E_PPR)
			p->num_id = attr_int(atts, "val", 0, 0, 1 << 30);
		return;
	case E_ILVL:
		if (p && up == E_NUMPR && up2 == E_PPR)
			p->ilvl = attr_int(atts, "val", 0, 0, NLVL - 1);
		return;
	case E_OUTLINELVL:
		if (p && up == E_PPR)
			p->outline = attr_int(atts, "val", 9, 0, 9);
		return;
	case E_VANISH:
		if (p && up == E_RPR && up2 == E_R)
			p->run_hidden = (unsigned char)attr_on(atts);
		return;
	case E_TAB:
	case E_PTAB:
		if (up == E_R)
			put_text(d, "\t", 1);
		return;
	case E_BR:
	case E_CR:
		if (up == E_R)
			put_text(d, "\n", 1);
		return;
	case E_NOBREAKHYPHEN:
		if (up == E_R)
			put_text(d, "-", 1);
		return;
	case E_FLDCHAR: {
		const char *t = attr(atts, "fldCharType");
		if (!t)
			return;
		if (strcmp(t, "begin") == 0) {
			if (d->fld_depth < FLD_MAX && !d->fld_extra) {
				d->fld_sep[d->fld_depth++] = 0;
				d->fld_hidden++;
			} else {
				d->fld_extra++;
			}
		} else if (strcmp(t, "separate") == 0) {
			if (!d->fld_extra && d->fld_depth && !d->fld_sep[d->fld_depth - 1]) {
				d->fld_sep[d->fld_depth - 1] = 1;
				d->fld_hidden--;
			}
		} else if (strcmp(t, "end") == 0) {
			if (d->fld_extra) {
				d->fld_extra--;
			} else if (d->fld_depth) {
				if (!d->fld_sep[--d->fld_depth])
					d->fld_hidden--;
			}
		}
		return;
	}
	case E_DELTEXT:
	case E_INSTRTEXT:
	case E_SDTPR:
	case E_SDTENDPR:
		d->skip = d->depth;
		return;
	default:
		return;
	}
}

static void end_document(struct docx *d, enum el id)
{
	switch (id) {
	case E_P:
		if (d->paras.n)
			para_end(d);
		return;
	case E_TC: {
		if (!d->frames.n || d->frames.v[d->frames.n - 1].kind != FR_CELL)
			return;
		struct frame *f = &d->frames.v[d->frames.n - 1];
		if (f->text.err)
			fail(d, RC_TOOBIG, "%s: a table cell holds more than %u MiB of text", d->part,
			     TEXT_MAX_INPUT >> 20);
		int deleted = f->deleted;
		char *text = deleted ? NULL : buf_detach(&f->text, NULL);
		buf_release(&f->text);
		d->frames.n--;
		if (deleted) /* a deleted cell is gone from the row */
			return;
		if (d->frames.n && d->frames.v[d->frames.n - 1].kind == FR_ROW) {
			/* A cell spanning columns is followed by empty ones, so that
			 * every row keeps the columns of the table's header. */
			int span = f->span;
			struct frame *row = &d->frames.v[d->frames.n - 1];
			*VEC_PUSH(row->cells) = text;
			for (int k = 1; k < span; k++)
				*VEC_PUSH(row->cells) = xstrdup("");
		} else {
			/* A cell outside a row: its paragraphs stand alone. */
			emit_line(d, text, strlen(text));
			free(text);
		}
		return;
	}
	case E_TR:
		if (d->frames.n && d->frames.v[d->frames.n - 1].kind == FR_ROW)
			row_end(d);
		return;
	default:
		return;
	}
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct docx *d = ud;
	if (d->rc)
		return;
	if (d->depth >= DOCX_MAX_DEPTH) {
		fail(d, RC_MEDIA, "%s: XML nested more than %d elements deep", d->part,
		     DOCX_MAX_DEPTH);
		return;
	}
	if (d->elements == 0) {
		fail(d, RC_TOOBIG, "the document has more than %u XML elements",
		     DOCX_MAX_ELEMENTS);
		return;
	}
	d->elements--;
	enum el id = el_of(name);
	d->stack[d->depth++] = (unsigned char)id;
	if (!d->root_checked) {
		d->root_checked = 1;
		if (d->kind == PART_DOCUMENT && id != E_DOCUMENT) {
			fail(d, RC_MEDIA, "%s is not a WordprocessingML document (its root is %s)",
			     d->part, ns_split(name, &(size_t){0}));
			return;
		}
	}
	if (d->skip)
		return;
	if (id == E_CHANGE || id == E_MC_FALLBACK) {
		d->skip = d->depth;
		return;
	}
	switch (d->kind) {
	case PART_RELS:
		start_rels(d, id, atts);
		break;
	case PART_STYLES:
		start_styles(d, id, atts);
		break;
	case PART_NUMBERING:
		start_numbering(d, id, atts);
		break;
	case PART_DOCUMENT:
		start_document(d, id, atts);
		break;
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct docx *d = ud;
	(void)name;
	if (d->rc || d->depth == 0)
		return;
	enum el id = d->stack[d->depth - 1];
	if (d->skip) {
		if (d->skip == d->depth)
			d->skip = 0;
		d->depth--;
		return;
	}
	if (d->kind == PART_DOCUMENT)
		end_document(d, id);
	else if (d->kind == PART_NUMBERING && id == E_LVL)
		d->cur_lvl = NULL;
	else if (d->kind == PART_NUMBERING && id == E_LVLOVERRIDE)
		d->cur_ov = -1;
	d->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct docx *d = ud;
	if (d->rc || d->skip || d->kind != PART_DOCUMENT || d->depth < 2 ||
	    d->stack[d->depth - 1] != E_T || d->stack[d->depth - 2] != E_R)
		return;
	/* Line ends inside w:t are white space to Word. */
	size_t i = 0, n = (size_t)len;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '\n' && s[j] != '\r')
			j++;
		put_text(d, s + i, j - i);
		if (j < n)
			put_text(d, " ", 1);
		i = j + 1;
	}
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct docx *d = ud;
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	fail(d, RC_MEDIA, "%s: a document type declaration is not allowed in .docx parts",
	     d->part);
}

/* ---- the package ------------------------------------------------------- */

static zip_int64_t locate(struct docx *d, const char *name)
{
	return zip_name_locate(d->z, name, ZIP_FL_NOCASE);
}

/* Inflate part `name` chunk by chunk into an expat parser of the given
 * kind.  A missing part is RC_NOTFOUND with no message when !required. */
static enum rc parse_part(struct docx *d, const char *name, enum part_kind kind, int required)
{
	zip_int64_t idx = locate(d, name);
	if (idx < 0) {
		if (!required)
			return RC_NOTFOUND;
		fail(d, RC_MEDIA, "not a Word document: the part %s is missing", name);
		return d->rc;
	}
	zip_stat_t zs;
	zip_stat_init(&zs);
	if (zip_stat_index(d->z, (zip_uint64_t)idx, 0, &zs) == 0) {
		if ((zs.valid & ZIP_STAT_ENCRYPTION_METHOD) && zs.encryption_method != ZIP_EM_NONE) {
			fail(d, RC_MEDIA, "the .docx is encrypted (%s); save it without a password",
			     name);
			return d->rc;
		}
		if ((zs.valid & ZIP_STAT_SIZE) && zs.size > d->budget) {
			fail(d, RC_TOOBIG, "%s: more than %u MiB uncompressed; the limit is %u MiB for "
			     "all parts read", name, (unsigned)(zs.size >> 20), DOCX_MAX_UNZIPPED >> 20);
			return d->rc;
		}
	}
	zip_file_t *zf = zip_fopen_index(d->z, (zip_uint64_t)idx, 0);
	if (!zf) {
		int ze = zip_error_code_zip(zip_get_error(d->z));
		if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
			fail(d, RC_MEDIA, "the .docx is encrypted (%s); save it without a password",
			     name);
		else if (ze == ZIP_ER_COMPNOTSUPP)
			fail(d, RC_MEDIA, "%s uses a compression method that is not supported", name);
		else
			fail(d, RC_MEDIA, "%s cannot be read: %s", name, zip_strerror(d->z));
		return d->rc;
	}
	XML_Parser xp = XML_ParserCreateNS(NULL, ' ');
	if (!xp) {
		zip_fclose(zf);
		fail(d, RC_INTERNAL, "out of memory creating an XML parser");
		return d->rc;
	}
	XML_SetUserData(xp, d);
	XML_SetElementHandler(xp, on_start, on_end);
	XML_SetCharacterDataHandler(xp, on_text);
	XML_SetStartDoctypeDeclHandler(xp, on_doctype);
	d->xp = xp;
	d->part = name;
	d->kind = kind;
	d->depth = d->skip = 0;
	d->root_checked = 0;
	char *chunk = xmalloc(64 << 10);
	for (;;) {
		zip_int64_t got = zip_fread(zf, chunk, 64 << 10);
		if (got < 0) {
			int ze = zip_error_code_zip(zip_file_get_error(zf));
			fail(d, RC_MEDIA, "%s is damaged: %s", name,
			     ze == ZIP_ER_CRC ? "checksum error" : zip_file_strerror(zf));
			break;
		}
		if ((size_t)got > d->budget) {
			fail(d, RC_TOOBIG, "the parts of the .docx inflate to more than %u MiB",
			     DOCX_MAX_UNZIPPED >> 20);
			break;
		}
		d->budget -= (size_t)got;
		if (XML_Parse(xp, chunk, (int)got, got == 0) == XML_STATUS_ERROR) {
			if (!d->rc)
				fail(d, RC_MEDIA, "%s: malformed XML at line %lu: %s", name,
				     (unsigned long)XML_GetCurrentLineNumber(xp),
				     XML_ErrorString(XML_GetErrorCode(xp)));
			break;
		}
		if (d->rc || got == 0)
			break;
	}
	free(chunk);
	zip_fclose(zf);
	XML_ParserFree(xp);
	d->xp = NULL;
	return d->rc;
}

/* The relationships part of `part` ("word/document.xml" ->
 * "word/_rels/document.xml.rels"). */
static void rels_name(const char *part, char *out, size_t size, char *dir, size_t dsize)
{
	const char *slash = strrchr(part, '/');
	size_t dl = slash ? (size_t)(slash - part + 1) : 0;
	snprintf(dir, dsize, "%.*s", (int)dl, part);
	snprintf(out, size, "%.*s_rels/%s.rels", (int)dl, part, part + dl);
}

/* Why a ZIP without a Word document is not one: name what it is. */
static void not_word(struct docx *d, const char *main_part)
{
	if (locate(d, "xl/workbook.xml") >= 0 || (main_part && strncmp(main_part, "xl/", 3) == 0))
		fail(d, RC_MEDIA, "this is an Excel workbook (.xlsx), not a Word document");
	else if (locate(d, "ppt/presentation.xml") >= 0)
		fail(d, RC_MEDIA, "this is a PowerPoint presentation (.pptx), not a Word document");
	else if (locate(d, "content.xml") >= 0 && locate(d, "mimetype") >= 0)
		fail(d, RC_MEDIA, "this is an OpenDocument file (.odt); save it as .docx");
	else
		fail(d, RC_MEDIA, "not a Word document: the ZIP archive has no word/document.xml");
}

static void docx_release(struct docx *d)
{
	for (size_t i = 0; i < d->paras.n; i++)
		buf_release(&d->paras.v[i].text);
	VEC_FREE(d->paras);
	for (size_t i = 0; i < d->frames.n; i++) {
		struct frame *f = &d->frames.v[i];
		buf_release(&f->text);
		for (size_t k = 0; k < f->cells.n; k++)
			free(f->cells.v[k]);
		VEC_FREE(f->cells);
	}
	VEC_FREE(d->frames);
	VEC_FREE(d->styles);
	VEC_FREE(d->abs);
	VEC_FREE(d->nums);
	buf_release(&d->out);
	buf_release(&d->carry);
	buf_release(&d->line);
	arena_release(&d->arena);
	if (d->z)
		zip_discard(d->z);
}

static enum rc read_package(struct docx *d)
{
	/* The main part, from the package relationships. */
	d->rel_base = "";
	enum rc rc = parse_part(d, "_rels/.rels", PART_RELS, 0);
	if (rc && rc != RC_NOTFOUND)
		return rc;
	const char *main_part = d->rel_doc ? d->rel_doc : "word/document.xml";
	if (locate(d, main_part) < 0 || strncmp(main_part, "xl/", 3) == 0) {
		not_word(d, d->rel_doc);
		return d->rc;
	}
	/* Its styles and numbering, from its relationships. */
	char rels[DOCX_MAX_PATH + 16], dir[DOCX_MAX_PATH];
	rels_name(main_part, rels, sizeof rels, dir, sizeof dir);
	d->rel_base = dir;
	rc = parse_part(d, rels, PART_RELS, 0);
	if (rc && rc != RC_NOTFOUND)
		return rc;
	char styles[DOCX_MAX_PATH + 16], numbering[DOCX_MAX_PATH + 16];
	snprintf(styles, sizeof styles, "%s", d->rel_styles ? d->rel_styles : "");
	snprintf(numbering, sizeof numbering, "%s", d->rel_numbering ? d->rel_numbering : "");
	if (!d->rel_styles)
		snprintf(styles, sizeof styles, "%sstyles.xml", dir);
	if (!d->rel_numbering)
		snprintf(numbering, sizeof numbering, "%snumbering.xml", dir);

	rc = parse_part(d, styles, PART_STYLES, 0);
	if (rc && rc != RC_NOTFOUND)
		return rc;
	if (d->styles.n)
		qsort(d->styles.v, d->styles.n, sizeof *d->styles.v, cmp_style);
	for (size_t i = 0; i < d->styles.n; i++)
		if (d->styles.v[i].paragraph && d->styles.v[i].is_default && !d->default_style)
			d->default_style = &d->styles.v[i];

	d->cur_abs = d->cur_num = d->cur_ov = -1;
	rc = parse_part(d, numbering, PART_NUMBERING, 0);
	if (rc && rc != RC_NOTFOUND)
		return rc;
	if (d->abs.n)
		qsort(d->abs.v, d->abs.n, sizeof *d->abs.v, cmp_abs);
	if (d->nums.n)
		qsort(d->nums.v, d->nums.n, sizeof *d->nums.v, cmp_num);

	char main_copy[DOCX_MAX_PATH];
	snprintf(main_copy, sizeof main_copy, "%s", main_part);
	rc = parse_part(d, main_copy, PART_DOCUMENT, 1);
	if (rc)
		return rc;
	/* A deleted mark on the last paragraph leaves its text waiting. */
	if (d->carry.len)
		emit_line(d, d->carry.p, d->carry.len);
	if (d->out.err)
		fail(d, RC_TOOBIG, "the text of the document is more than %u MiB",
		     TEXT_MAX_INPUT >> 20);
	return d->rc;
}

enum rc doc_docx_to_text(const void *data, size_t len, char **text, size_t *text_len,
			 struct err *e)
{
	*text = NULL;
	*text_len = 0;
	struct docx d = {.e = e, .budget = DOCX_MAX_UNZIPPED, .elements = DOCX_MAX_ELEMENTS};
	buf_init(&d.out, TEXT_MAX_INPUT);
	buf_init(&d.carry, TEXT_MAX_INPUT);
	buf_init(&d.line, 0);

	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return ERR(e, RC_INTERNAL, "cannot open the .docx in memory");
	}
	d.z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!d.z) {
		int code = zip_error_code_zip(&ze);
		enum rc rc;
		if (code == ZIP_ER_NOZIP)
			rc = ERR(e, RC_MEDIA, "not a valid .docx: the ZIP archive is truncated or "
				 "damaged (no central directory)");
		else if (code == ZIP_ER_INCONS)
			rc = ERR(e, RC_MEDIA, "not a valid .docx: the ZIP archive is inconsistent");
		else
			rc = ERR(e, RC_MEDIA, "not a valid .docx: %s", zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		docx_release(&d);
		return rc;
	}
	zip_error_fini(&ze);
	enum rc rc = read_package(&d);
	if (rc == RC_OK) {
		*text = buf_detach(&d.out, text_len);
		if (*text_len == 0) {
			free(*text);
			*text = NULL;
			rc = ERR(e, RC_INVALID, "the .docx holds no text");
		}
	}
	docx_release(&d);
	return rc;
}
