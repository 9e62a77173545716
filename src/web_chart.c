/*
 * web_chart.c -- charts drawn by the server as inline SVG: horizontal
 * percentage bars, stacked bars, a line (burn-down) and a donut.
 *
 * Each chart is a <figure> holding a caption, the SVG (role="img" with the
 * title as its accessible name) and a <details> with the same numbers as a
 * table, so the data reads without the picture (screen readers, copying
 * into a report).  Colours come from CSS classes (data/app.css), never from
 * inline styles, which the Content-Security-Policy forbids.  Geometry is in
 * viewBox units; the SVG scales to its container.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "web.h"

/* Format v compactly ("12", "12.5") into a caller's buffer. */
static const char *num(char *out, size_t n, double v)
{
	if (!isfinite(v))
		v = 0;
	snprintf(out, n, "%.1f", v);
	size_t len = strlen(out);
	if (len > 2 && strcmp(out + len - 2, ".0") == 0)
		out[len - 2] = '\0';
	return out;
}

/* A number as an attribute value; the compound literal lives until the end
 * of the enclosing block, which covers the html_open() call using it. */
#define N(v) num((char[32]){0}, 32, (v))

static void fig_begin(struct html *h, const char *title, const char *cls)
{
	html_open(h, "figure", "class", cls, NULL);
	html_elem(h, "figcaption", title, NULL);
}

static void svg_begin(struct html *h, const char *title, double w, double ht)
{
	char vb[64];
	snprintf(vb, sizeof vb, "0 0 %.0f %.0f", w, ht);
	html_open(h, "svg", "viewBox", vb, "role", "img", "aria-label", title,
		  "xmlns", "http://www.w3.org/2000/svg", "preserveAspectRatio", "xMinYMin meet",
		  NULL);
	html_elem(h, "title", title, NULL);
}

static void data_table_begin(struct html *h, const char *const *heads, size_t n)
{
	html_open(h, "details", "class", "chart-data", NULL);
	html_elem(h, "summary", "查看数据", NULL);
	html_open(h, "table", NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	for (size_t i = 0; i < n; i++)
		html_elem(h, "th", heads[i], NULL);
	html_close(h, 2);
	html_open(h, "tbody", NULL);
}

static void text_at(struct html *h, double x, double y, const char *anchor, const char *cls,
		    const char *s)
{
	html_elem(h, "text", s, "x", N(x), "y", N(y), "text-anchor", anchor, "class", cls, NULL);
}

void chart_bars(struct html *h, const char *title, const struct chart_bar *bars, size_t n)
{
	const double row = 30, lab = 200, x0 = 210, w = 330, top = 8, W = 600;
	double height = top * 2 + row * (double)(n ? n : 1);
	int d = html_depth(h);
	fig_begin(h, title, "chart chart-bars");
	svg_begin(h, title, W, height);
	if (n == 0)
		text_at(h, W / 2, top + 20, "middle", "muted", "暂无数据");
	for (size_t i = 0; i < n; i++) {
		double y = top + row * (double)i;
		double frac = bars[i].total > 0 ? bars[i].done / bars[i].total : 0;
		if (frac < 0)
			frac = 0;
		if (frac > 1)
			frac = 1;
		char pct[32], lbl[96];
		snprintf(lbl, sizeof lbl, "%s", bars[i].label ? bars[i].label : "");
		text_at(h, lab, y + 19, "end", "lbl", lbl);
		html_open(h, "rect", "x", N(x0), "y", N(y + 6), "width", N(w), "height", "16",
			  "rx", "3", "class", "track", NULL);
		html_close(h, 1);
		if (frac > 0) {
			html_open(h, "rect", "x", N(x0), "y", N(y + 6), "width", N(w * frac),
				  "height", "16", "rx", "3", "class", "c-done", NULL);
			html_close(h, 1);
		}
		if (bars[i].total > 0)
			snprintf(pct, sizeof pct, "%.0f%%  %.0f/%.0f", 100 * frac, bars[i].done,
				 bars[i].total);
		else
			snprintf(pct, sizeof pct, "—");
		text_at(h, x0 + w + 8, y + 19, "start", "val", pct);
	}
	html_close(h, 1); /* svg */
	static const char *const heads[] = {"项目", "已完成", "总数", "完成率"};
	data_table_begin(h, heads, 4);
	for (size_t i = 0; i < n; i++) {
		char pct[16];
		if (bars[i].total > 0)
			snprintf(pct, sizeof pct, "%.0f%%", 100 * bars[i].done / bars[i].total);
		else
			snprintf(pct, sizeof pct, "—");
		html_open(h, "tr", NULL);
		html_elem(h, "td", bars[i].label, NULL);
		html_elem(h, "td", N(bars[i].done), "class", "num", NULL);
		html_elem(h, "td", N(bars[i].total), "class", "num", NULL);
		html_elem(h, "td", pct, "class", "num", NULL);
		html_close(h, 1);
	}
	html_close_to(h, d);
}

static void legend(struct html *h, const char *const *names, const char *const *classes,
		   const double *totals, size_t n)
{
	html_open(h, "ul", "class", "legend", NULL);
	for (size_t i = 0; i < n; i++) {
		html_open(h, "li", NULL);
		char cls[64];
		snprintf(cls, sizeof cls, "sw %s", classes[i]);
		html_elem(h, "span", "", "class", cls, "aria-hidden", "true", NULL);
		html_text(h, names[i]);
		if (totals) {
			html_lit(h, " ");
			html_elem(h, "b", N(totals[i]), NULL);
		}
		html_close(h, 1);
	}
	html_close(h, 1);
}

void chart_stacked(struct html *h, const char *title, const char *const *labels, size_t n,
		   const char *const *names, const char *const *classes, size_t nseries,
		   const double *values)
{
	const double row = 30, lab = 200, x0 = 210, w = 340, top = 8, W = 600;
	double max = 0;
	for (size_t i = 0; i < n; i++) {
		double t = 0;
		for (size_t s = 0; s < nseries; s++)
			t += values[i * nseries + s] > 0 ? values[i * nseries + s] : 0;
		if (t > max)
			max = t;
	}
	double height = top * 2 + row * (double)(n ? n : 1);
	int d = html_depth(h);
	fig_begin(h, title, "chart chart-stacked");
	legend(h, names, classes, NULL, nseries);
	svg_begin(h, title, W, height);
	if (n == 0 || max <= 0)
		text_at(h, W / 2, top + 20, "middle", "muted", "暂无数据");
	for (size_t i = 0; i < n && max > 0; i++) {
		double y = top + row * (double)i, x = x0, t = 0;
		char lbl[96];
		snprintf(lbl, sizeof lbl, "%s", labels[i] ? labels[i] : "");
		text_at(h, lab, y + 19, "end", "lbl", lbl);
		for (size_t s = 0; s < nseries; s++) {
			double v = values[i * nseries + s];
			if (v <= 0)
				continue;
			double sw = w * v / max;
			html_open(h, "rect", "x", N(x), "y", N(y + 6), "width", N(sw), "height", "16",
				  "class", classes[s], NULL);
			html_open(h, "title", NULL);
			html_printf(h, "%s：%s %s", labels[i] ? labels[i] : "", names[s], N(v));
			html_close(h, 2);
			x += sw;
			t += v;
		}
		text_at(h, x + 6, y + 19, "start", "val", N(t));
	}
	html_close(h, 1);
	const char *heads[12] = {"项目"};
	size_t nh = 1;
	for (size_t s = 0; s < nseries && nh < 11; s++)
		heads[nh++] = names[s];
	heads[nh++] = "合计";
	data_table_begin(h, heads, nh);
	for (size_t i = 0; i < n; i++) {
		double t = 0;
		html_open(h, "tr", NULL);
		html_elem(h, "td", labels[i], NULL);
		for (size_t s = 0; s < nseries && s < 10; s++) {
			html_elem(h, "td", N(values[i * nseries + s]), "class", "num", NULL);
			t += values[i * nseries + s];
		}
		html_elem(h, "td", N(t), "class", "num", NULL);
		html_close(h, 1);
	}
	html_close_to(h, d);
}

void chart_line(struct html *h, const char *title, const char *const *xlabels, size_t n,
		const double *actual, const double *ideal, const char *actual_name,
		const char *ideal_name)
{
	const double W = 600, H = 240, l = 44, r = 12, t = 12, b = 34;
	double max = 0;
	for (size_t i = 0; i < n; i++) {
		if (isfinite(actual[i]) && actual[i] > max)
			max = actual[i];
		if (ideal && isfinite(ideal[i]) && ideal[i] > max)
			max = ideal[i];
	}
	if (max <= 0)
		max = 1;
	double pw = W - l - r, ph = H - t - b;
	int d = html_depth(h);
	fig_begin(h, title, "chart chart-line");
	{
		static const char *const cls2[] = {"c-open", "c-ideal"};
		const char *nm[2] = {actual_name, ideal_name};
		legend(h, nm, cls2, NULL, ideal ? 2 : 1);
	}
	svg_begin(h, title, W, H);
	/* grid and y labels: 0, half, max */
	for (int k = 0; k <= 2; k++) {
		double v = max * k / 2.0, y = t + ph - ph * k / 2.0;
		html_open(h, "line", "x1", N(l), "x2", N(W - r), "y1", N(y), "y2", N(y), "class",
			  "grid", NULL);
		html_close(h, 1);
		char s[32];
		snprintf(s, sizeof s, "%.0f", v);
		text_at(h, l - 6, y + 4, "end", "val", s);
	}
	double step = n > 1 ? pw / (double)(n - 1) : 0;
	size_t every = n > 8 ? (n + 7) / 8 : 1;
	for (size_t i = 0; i < n; i++)
		if (xlabels && xlabels[i] && (i % every == 0 || i == n - 1))
			text_at(h, l + step * (double)i, H - 12, "middle", "val", xlabels[i]);
	for (int pass = 0; pass < 2; pass++) {
		const double *v = pass == 0 ? ideal : actual;
		if (!v)
			continue;
		struct buf pts = BUF_INIT(0);
		for (size_t i = 0; i < n; i++)
			if (isfinite(v[i]))
				buf_printf(&pts, "%s%.1f,%.1f", pts.len ? " " : "",
					   l + step * (double)i, t + ph - ph * v[i] / max);
		if (pts.len) {
			html_open(h, "polyline", "points", pts.p, "class",
				  pass == 0 ? "ln-ideal" : "ln-actual", NULL);
			html_close(h, 1);
		}
		buf_release(&pts);
	}
	html_close(h, 1);
	const char *heads[3] = {"日期", actual_name, ideal_name};
	data_table_begin(h, heads, ideal ? 3 : 2);
	for (size_t i = 0; i < n; i++) {
		html_open(h, "tr", NULL);
		html_elem(h, "td", xlabels && xlabels[i] ? xlabels[i] : "", NULL);
		html_elem(h, "td", isfinite(actual[i]) ? N(actual[i]) : "—", "class", "num", NULL);
		if (ideal)
			html_elem(h, "td", isfinite(ideal[i]) ? N(ideal[i]) : "—", "class", "num",
				  NULL);
		html_close(h, 1);
	}
	html_close_to(h, d);
}

void chart_donut(struct html *h, const char *title, const char *const *names,
		 const char *const *classes, const double *values, size_t n)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += values[i] > 0 ? values[i] : 0;
	int d = html_depth(h);
	fig_begin(h, title, "chart chart-donut");
	html_open(h, "div", "class", "donut-wrap", NULL);
	svg_begin(h, title, 120, 120);
	/* A circle of circumference 100 makes dash lengths percentages. */
	const char *rr = "15.9155";
	html_open(h, "g", "transform", "translate(60 60) scale(3) rotate(-90)", NULL);
	html_open(h, "circle", "r", rr, "class", "donut-track", NULL);
	html_close(h, 1);
	double off = 0;
	for (size_t i = 0; i < n && total > 0; i++) {
		if (values[i] <= 0)
			continue;
		double pct = 100 * values[i] / total;
		char dash[48];
		snprintf(dash, sizeof dash, "%.2f %.2f", pct, 100 - pct);
		char cls[64];
		snprintf(cls, sizeof cls, "slice %s", classes[i]);
		html_open(h, "circle", "r", rr, "class", cls, "stroke-dasharray", dash,
			  "stroke-dashoffset", N(-off), NULL);
		html_open(h, "title", NULL);
		html_printf(h, "%s %s（%.0f%%）", names[i], N(values[i]), pct);
		html_close(h, 2);
		off += pct;
	}
	html_close(h, 1); /* g */
	text_at(h, 60, 66, "middle", "donut-total", N(total));
	html_close(h, 1); /* svg */
	legend(h, names, classes, values, n);
	html_close(h, 1); /* div */
	static const char *const heads[] = {"类别", "数量", "占比"};
	data_table_begin(h, heads, 3);
	for (size_t i = 0; i < n; i++) {
		char pct[16];
		snprintf(pct, sizeof pct, "%.0f%%", total > 0 ? 100 * values[i] / total : 0);
		html_open(h, "tr", NULL);
		html_elem(h, "td", names[i], NULL);
		html_elem(h, "td", N(values[i]), "class", "num", NULL);
		html_elem(h, "td", pct, "class", "num", NULL);
		html_close(h, 1);
	}
	html_close_to(h, d);
}
