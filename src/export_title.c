/*
 * export_title.c -- a document title broken into lines the way GB/T
 * 9704-2012 (7.3.3) asks: each line a whole phrase ("回行时，要做到词意完整，
 * 排列对称，长短适宜"), the lines in a trapezoid or a diamond, never an
 * hourglass.
 *
 * There is no dictionary of words here; a title of the office's kind is
 * built from a few joints, and a line may end only at one of them:
 *   - after 关于 and after the 的 of 关于……的 (not in 的报告, 目的);
 *   - before the words that open the subject's parts: 整改, 情况, 专题,
 *     查摆, 反馈, 巡察, 巡视, 主题教育, 对照, 落实, 贯彻 (in the middle of
 *     a compound such as 整改落实 the weaker joint yields to the stronger
 *     one by the score below; 专题民主生活会 stays whole);
 *   - after the names of bodies, meetings and times: 年度, 班子, 党组, 党委,
 *     问题, 意见, 生活会, and after 、，》）”;
 * and never inside a run of digits or Latin letters, nor between a number
 * and its 年/月/日/届/次.  Each joint has a strength; a break at a strong
 * joint (关于, 的, 整改, 情况) costs less than at a weak one.
 *
 * The number of lines is the least that fits the line (max_half half-width
 * units: a Chinese character is 2, a digit or Latin letter 1); among the
 * ways to break into that many lines at joints, the cheapest wins: the
 * square of each line's distance from the mean, minus the strength of its
 * joints, plus a penalty for an hourglass (a middle line shorter than both
 * neighbours) and a small one for a first line longer than the second of
 * two (the upright trapezoid reads best).  When no joint allows lines that
 * fit, a line may end between any two Chinese characters, at a high price,
 * so that the title still fits the page.  A title of more than
 * TITLE_LINES_MAX lines (some 76 characters) is left whole, for the page
 * to wrap: the search tries every placement of the breaks.
 */
#include <string.h>

#include "export.h"
#include "text.h"

#define TITLE_CHARS_MAX 256     /* characters considered; the rest stay on the last line */
#define TITLE_LINES_MAX 4       /* a longer title is left to the page to wrap */

/* The title's characters: byte offset and width in half units. */
struct tchars {
	size_t off[TITLE_CHARS_MAX + 1];
	int half[TITLE_CHARS_MAX];
	int score[TITLE_CHARS_MAX + 1]; /* strength of a break before character i (0 none) */
	size_t n;
	const char *s;
};

static int starts(const struct tchars *t, size_t i, const char *w)
{
	size_t n = strlen(w);
	return i < t->n && strncmp(t->s + t->off[i], w, n) == 0;
}

/* Does the text before character i end with w? */
static int ends(const struct tchars *t, size_t i, const char *w)
{
	size_t n = strlen(w), at = t->off[i];
	return at >= n && strncmp(t->s + at - n, w, n) == 0;
}

static int ascii_alnum(const struct tchars *t, size_t i)
{
	unsigned char c = (unsigned char)t->s[t->off[i]];
	return c < 0x80 && ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'));
}

static int digit(const struct tchars *t, size_t i)
{
	unsigned char c = (unsigned char)t->s[t->off[i]];
	return c >= '0' && c <= '9';
}

/* The strength of a break before character i (1 ≤ i < n): 3 strong, 2
 * ordinary, 0 not a joint; -1 where a line must never end. */
static int joint(const struct tchars *t, size_t i)
{
	if (ascii_alnum(t, i - 1) && ascii_alnum(t, i))
		return -1;
	if (digit(t, i - 1)) {
		static const char *const units[] = {"年", "月", "日", "届", "次", "个", "号"};
		for (size_t k = 0; k < ARRAY_LEN(units); k++)
			if (starts(t, i, units[k]))
				return -1;
	}
	static const char *const closers[] = {"、", "，", "；", "：", "》", "）", "”", "〕"};
	static const char *const openers[] = {"《", "（", "“", "〔"};
	for (size_t k = 0; k < ARRAY_LEN(openers); k++)
		if (ends(t, i, openers[k]))
			return -1;
	for (size_t k = 0; k < ARRAY_LEN(closers); k++)
		if (starts(t, i, closers[k]))
			return -1;
	if (ends(t, i, "关于"))
		return 3;
	if (ends(t, i, "的") && !starts(t, i, "报告") && !starts(t, i, "通知") &&
	    !ends(t, i, "目的"))
		return 3;
	if (starts(t, i, "整改") || starts(t, i, "情况"))
		return 3;
	for (size_t k = 0; k < ARRAY_LEN(closers); k++)
		if (ends(t, i, closers[k]))
			return 2;
	for (size_t k = 0; k < ARRAY_LEN(openers); k++)
		if (starts(t, i, openers[k]))
			return 2;
	static const char *const before[] = {"专题", "查摆", "反馈",
					     "巡察", "巡视", "主题教育", "对照", "落实",
					     "贯彻", "关于"};
	for (size_t k = 0; k < ARRAY_LEN(before); k++)
		if (starts(t, i, before[k]))
			return 2;
	static const char *const after[] = {"年度", "班子", "党组", "党委", "问题", "意见",
					    "生活会"};
	for (size_t k = 0; k < ARRAY_LEN(after); k++)
		if (ends(t, i, after[k]) && !starts(t, i, "织"))        /* 党组织 */
			return 2;
	return 0;
}

struct best {
	size_t at[TITLE_LINES_MAX];     /* character index where each line after the first begins */
	long cost;
	int found;
};

/* Try every way to place the breaks at[k..] after character `from`
 * (at[k - 1]), each line at most max_half wide; keep the cheapest in b. */
static void search(const struct tchars *t, int lines, int k, size_t from, int max_half,
		   int fallback, size_t *at, struct best *b)
{
	if (k == lines - 1) {
		/* the last line: from `from` to the end */
		int w[TITLE_LINES_MAX], total = 0;
		long cost = 0;
		for (int l = 0; l < lines; l++) {
			size_t a = l ? at[l - 1] : 0, z = l < lines - 1 ? at[l] : t->n;
			w[l] = 0;
			for (size_t c = a; c < z; c++)
				w[l] += t->half[c];
			if (w[l] > max_half)
				return;
			total += w[l];
			if (l) {
				int s = t->score[at[l - 1]];
				cost += s > 0 ? -6L * s : fallback ? 60 : 0;
			}
		}
		/* balance, in quarter characters squared */
		for (int l = 0; l < lines; l++) {
			long d = (long)w[l] * lines - total;     /* lines times the distance */
			cost += d * d / ((long)lines * lines * 4);
		}
		for (int l = 1; l + 1 < lines; l++)
			if (w[l] < w[l - 1] && w[l] < w[l + 1])
				cost += 50;                     /* hourglass */
		if (lines == 2 && w[0] > w[1])
			cost += 4;
		if (!b->found || cost < b->cost) {
			b->found = 1;
			b->cost = cost;
			memcpy(b->at, at, sizeof b->at);
		}
		return;
	}
	/* the width left after `from`, which the other lines must hold */
	int rest = 0;
	for (size_t c = from; c < t->n; c++)
		rest += t->half[c];
	int w = 0;
	for (size_t i = from + 1; i < t->n; i++) {
		w += t->half[i - 1];
		if (w > max_half)
			break;
		if (rest - w > (lines - 1 - k) * max_half)
			continue;
		if (t->score[i] < 0 || (t->score[i] == 0 && !fallback))
			continue;
		at[k] = i;
		search(t, lines, k + 1, i, max_half, fallback, at, b);
	}
}

size_t export_title_break(const char *title, int max_half, struct buf *out)
{
	struct tchars t = {.s = title ? title : ""};
	size_t len = strlen(t.s), off = 0;
	int total = 0;
	while (off < len && t.n < TITLE_CHARS_MAX) {
		int n = text_utf8_len((unsigned char)t.s[off]);
		if (n < 1 || off + (size_t)n > len)
			n = 1;
		t.off[t.n] = off;
		t.half[t.n] = (unsigned char)t.s[off] < 0x80 ? 1 : 2;
		total += t.half[t.n];
		t.n++;
		off += (size_t)n;
	}
	t.off[t.n] = off;
	if (max_half < 4 || total <= max_half || off < len) {
		buf_puts(out, t.s);
		return 1;
	}
	for (size_t i = 1; i < t.n; i++) {
		t.score[i] = joint(&t, i);
		/* a Chinese character on each side, or a joint */
		if (t.score[i] == 0 && (t.half[i - 1] == 1 || t.half[i] == 1))
			t.score[i] = -1;
	}
	int least = (total + max_half - 1) / max_half;
	struct best b = {0};
	size_t at[TITLE_LINES_MAX] = {0};
	int lines = 0;
	for (int fallback = 0; fallback < 2 && !b.found; fallback++)
		for (lines = least; lines <= TITLE_LINES_MAX && lines <= least + 1 && !b.found;
		     lines++)
			search(&t, lines, 0, 0, max_half, fallback, at, &b);
	if (!b.found) {
		buf_puts(out, t.s);
		return 1;
	}
	lines--;        /* the loop stepped past the count that was found */
	size_t from = 0;
	for (int l = 0; l < lines; l++) {
		size_t z = l < lines - 1 ? t.off[b.at[l]] : len;
		if (l)
			buf_putc(out, '\n');
		buf_append(out, t.s + from, z - from);
		from = z;
	}
	return (size_t)lines;
}
