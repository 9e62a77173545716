/*
 * export_chart.c -- the report's charts, drawn twice from one struct chart:
 * as SVG for HTML (coordinates computed here) and as DrawingML chart parts
 * for Word (the office application lays them out; we give it the data as
 * literals, the colours and the fonts).
 *
 * Kinds: horizontal stacked bars (progress per area or unit), vertical bars
 * side by side with optional per-point colours (lights, commitments), lines
 * (open tasks per week).  Axes start at zero and are scaled to a "nice"
 * maximum (1, 2 or 5 times a power of ten).  Every text that comes from the
 * ledger is escaped.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export_int.h"
#include "text.h"

#define SVG_FONT "'黑体','SimHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif"

/* A step for about five ticks up to max. */
static double nice_step(double max)
{
	if (max <= 0)
		return 1;
	double raw = max / 5, p = pow(10, floor(log10(raw))), f = raw / p;
	double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
	return step < 1 ? 1 : step;
}

static double cat_total(const struct chart *c, size_t i)
{
	double t = 0;
	for (size_t s = 0; s < c->n_series; s++)
		t += c->s[s].v[i];
	return t;
}

static double max_value(const struct chart *c)
{
	double m = 0;
	for (size_t i = 0; i < c->n_cats; i++) {
		if (c->kind == CHART_HBAR_STACKED) {
			if (cat_total(c, i) > m)
				m = cat_total(c, i);
		} else {
			for (size_t s = 0; s < c->n_series; s++)
				if (c->s[s].v[i] > m)
					m = c->s[s].v[i];
		}
	}
	return m;
}

/* A category name of at most max characters. */
static void short_name(struct buf *b, const char *s, size_t max)
{
	size_t n = strlen(s), off = 0, chars = 0;
	while (off < n && chars < max) {
		off += (size_t)text_utf8_len((unsigned char)s[off]);
		chars++;
	}
	if (off > n)
		off = n;
	char tmp[256];
	size_t k = off < sizeof tmp - 4 ? off : sizeof tmp - 4;
	memcpy(tmp, s, k);
	tmp[k] = '\0';
	if (off < n)
		strcat(tmp, "…");
	export_xml_text(b, tmp);
}

static void color(struct buf *b, uint32_t c)
{
	buf_printf(b, "#%06X", c & 0xFFFFFF);
}

static void svg_text(struct buf *b, double x, double y, const char *anchor, int size,
		     const char *fill)
{
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\">",
		   x, y, anchor, size, fill);
}

static void svg_legend(const struct chart *c, struct buf *b, double y, int w)
{
	if (c->n_series < 2 && c->kind != CHART_LINE)
		return;
	double x = 20;
	for (size_t s = 0; s < c->n_series; s++) {
		buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"", x, y - 10);
		color(b, c->s[s].color);
		buf_puts(b, "\"/>");
		svg_text(b, x + 16, y, "start", 12, "#333");
		short_name(b, c->s[s].name, 12);
		buf_puts(b, "</text>");
		x += 32 + 13.0 * (double)text_utf8_count(c->s[s].name, strlen(c->s[s].name));
		if (x > w - 60)
			break;
	}
}

void chart_svg(const struct chart *c, int w, struct buf *b)
{
	double max = max_value(c), step = nice_step(max);
	double top = step * ceil(max / step);
	if (top <= 0)
		top = step;
	int h;
	double px, py, pw, ph;          /* plot area */
	if (c->kind == CHART_HBAR_STACKED) {
		h = 60 + 26 * (int)c->n_cats + 40;
		px = 170;
		py = 36;
		pw = w - px - 40;
		ph = 26.0 * (double)c->n_cats;
	} else {
		h = 300;
		px = 50;
		py = 36;
		pw = w - px - 20;
		ph = h - py - 80;
	}
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
		      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"%s\">"
		      "<title>", w, h, w, h, SVG_FONT);
	export_xml_text(b, c->title);
	buf_puts(b, "</title>");
	svg_text(b, w / 2.0, 22, "middle", 15, "#000");
	export_xml_text(b, c->title);
	buf_puts(b, "</text>");
	/* value grid */
	for (double v = 0; v <= top + step / 2; v += step) {
		if (c->kind == CHART_HBAR_STACKED) {
			double x = px + pw * v / top;
			buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>",
				   x, py, x, py + ph);
			svg_text(b, x, py + ph + 16, "middle", 11, "#555");
		} else {
			double y = py + ph - ph * v / top;
			buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>",
				   px, y, px + pw, y);
			svg_text(b, px - 6, y + 4, "end", 11, "#555");
		}
		buf_printf(b, "%g</text>", v);
	}
	if (c->kind == CHART_HBAR_STACKED) {
		for (size_t i = 0; i < c->n_cats; i++) {
			double y = py + 26.0 * (double)i + 4, x = px;
			svg_text(b, px - 8, y + 13, "end", 12, "#222");
			short_name(b, c->cats[i], 12);
			buf_puts(b, "</text>");
			for (size_t s = 0; s < c->n_series; s++) {
				double wd = pw * c->s[s].v[i] / top;
				if (wd <= 0)
					continue;
				buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"",
					   x, y, wd);
				color(b, c->s[s].color);
				buf_printf(b, "\"><title>");
				export_xml_text(b, c->cats[i]);
				buf_puts(b, " ");
				export_xml_text(b, c->s[s].name);
				buf_printf(b, " %g</title></rect>", c->s[s].v[i]);
				x += wd;
			}
			svg_text(b, x + 4, y + 13, "start", 11, "#333");
			buf_printf(b, "%g</text>", cat_total(c, i));
		}
		svg_legend(c, b, py + ph + 40, w);
	} else {
		double slot = pw / (double)(c->n_cats ? c->n_cats : 1);
		size_t every = c->n_cats > 12 ? (c->n_cats + 11) / 12 : 1;
		for (size_t i = 0; i < c->n_cats; i++) {
			double cx = px + slot * ((double)i + 0.5);
			if (i % every == 0) {
				svg_text(b, cx, py + ph + 16, "middle", 11, "#222");
				short_name(b, c->cats[i], c->kind == CHART_LINE ? 6 : 6);
				buf_puts(b, "</text>");
			}
			if (c->kind != CHART_COLUMN)
				continue;
			double bw = slot * 0.7 / (double)c->n_series;
			for (size_t s = 0; s < c->n_series; s++) {
				double hv = ph * c->s[s].v[i] / top;
				double x = cx - slot * 0.35 + bw * (double)s;
				buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"",
					   x, py + ph - hv, bw * 0.92, hv);
				color(b, c->s[s].point_color[i] ? c->s[s].point_color[i] : c->s[s].color);
				buf_puts(b, "\"/>");
				if (c->labels) {
					svg_text(b, x + bw * 0.46, py + ph - hv - 4, "middle", 11, "#222");
					buf_printf(b, "%g</text>", c->s[s].v[i]);
				}
			}
		}
		if (c->kind == CHART_LINE) {
			for (size_t s = 0; s < c->n_series; s++) {
				buf_puts(b, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"");
				color(b, c->s[s].color);
				buf_puts(b, "\" points=\"");
				for (size_t i = 0; i < c->n_cats; i++)
					buf_printf(b, "%s%.1f,%.1f", i ? " " : "", px + slot * ((double)i + 0.5),
						   py + ph - ph * c->s[s].v[i] / top);
				buf_puts(b, "\"/>");
			}
		}
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>",
			   px, py + ph, px + pw, py + ph);
		svg_legend(c, b, py + ph + 44, w);
	}
	buf_puts(b, "</svg>");
}

int chart_height_mm(const struct chart *c)
{
	if (c->kind == CHART_HBAR_STACKED) {
		int h = 30 + 9 * (int)c->n_cats;
		return h < 60 ? 60 : h > 200 ? 200 : h;
	}
	return 80;
}

/* ---- DrawingML ------------------------------------------------------------ */

static void dml_rich(struct buf *b, const char *text, int size, int bold)
{
	buf_printf(b, "<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"%d\" "
		      "b=\"%d\"><a:latin typeface=\"黑体\"/><a:ea typeface=\"黑体\"/></a:defRPr>"
		      "</a:pPr><a:r><a:rPr lang=\"zh-CN\" sz=\"%d\" b=\"%d\"><a:latin typeface=\"黑体\"/>"
		      "<a:ea typeface=\"黑体\"/></a:rPr><a:t>", size, bold, size, bold);
	export_xml_text(b, text);
	buf_puts(b, "</a:t></a:r></a:p></c:rich></c:tx>");
}

static void dml_fill(struct buf *b, uint32_t c, int line)
{
	if (line)
		buf_printf(b, "<c:spPr><a:ln w=\"28575\" cap=\"rnd\"><a:solidFill><a:srgbClr "
			      "val=\"%06X\"/></a:solidFill><a:round/></a:ln></c:spPr>", c & 0xFFFFFF);
	else
		buf_printf(b, "<c:spPr><a:solidFill><a:srgbClr val=\"%06X\"/></a:solidFill>"
			      "</c:spPr>", c & 0xFFFFFF);
}

/* Categories; of many on a horizontal axis only every k-th is named (not
 * every application honours tickLblSkip). */
static void dml_cats(struct buf *b, const struct chart *c)
{
	size_t every = c->kind != CHART_HBAR_STACKED && c->n_cats > 12 ? (c->n_cats + 7) / 8 : 1;
	buf_printf(b, "<c:cat><c:strLit><c:ptCount val=\"%zu\"/>", c->n_cats);
	for (size_t i = 0; i < c->n_cats; i++) {
		buf_printf(b, "<c:pt idx=\"%zu\"><c:v>", i);
		if (i % every == 0)
			export_xml_text(b, c->cats[i]);
		buf_puts(b, "</c:v></c:pt>");
	}
	buf_puts(b, "</c:strLit></c:cat>");
}

static void dml_vals(struct buf *b, const struct chart *c, size_t s)
{
	buf_printf(b, "<c:val><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val=\"%zu\"/>",
		   c->n_cats);
	for (size_t i = 0; i < c->n_cats; i++)
		buf_printf(b, "<c:pt idx=\"%zu\"><c:v>%g</c:v></c:pt>", i, c->s[s].v[i]);
	buf_puts(b, "</c:numLit></c:val>");
}

static void dml_labels(struct buf *b, int show)
{
	buf_printf(b, "<c:dLbls><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
		      "<c:showLegendKey val=\"0\"/><c:showVal val=\"%d\"/><c:showCatName val=\"0\"/>"
		      "<c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/>"
		      "</c:dLbls>", show);
}

void chart_drawingml(const struct chart *c, struct buf *b)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		    "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" "
		    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
		    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		    "<c:lang val=\"zh-CN\"/><c:roundedCorners val=\"0\"/><c:chart><c:title>");
	dml_rich(b, c->title, 1200, 0);
	buf_puts(b, "<c:overlay val=\"0\"/></c:title><c:autoTitleDeleted val=\"0\"/>"
		    "<c:plotArea><c:layout/>");
	if (c->kind == CHART_LINE) {
		buf_puts(b, "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>");
	} else {
		buf_printf(b, "<c:barChart><c:barDir val=\"%s\"/><c:grouping val=\"%s\"/>"
			      "<c:varyColors val=\"0\"/>",
			   c->kind == CHART_HBAR_STACKED ? "bar" : "col",
			   c->kind == CHART_HBAR_STACKED ? "stacked" : "clustered");
	}
	for (size_t s = 0; s < c->n_series; s++) {
		buf_printf(b, "<c:ser><c:idx val=\"%zu\"/><c:order val=\"%zu\"/><c:tx><c:v>", s, s);
		export_xml_text(b, c->s[s].name);
		buf_puts(b, "</c:v></c:tx>");
		dml_fill(b, c->s[s].color, c->kind == CHART_LINE);
		if (c->kind == CHART_LINE) {
			buf_puts(b, "<c:marker><c:symbol val=\"none\"/></c:marker>");
		} else {
			buf_puts(b, "<c:invertIfNegative val=\"0\"/>");
			for (size_t i = 0; i < c->n_cats; i++) {
				if (!c->s[s].point_color[i])
					continue;
				buf_printf(b, "<c:dPt><c:idx val=\"%zu\"/><c:invertIfNegative val=\"0\"/>"
					      "<c:bubble3D val=\"0\"/>", i);
				dml_fill(b, c->s[s].point_color[i], 0);
				buf_puts(b, "</c:dPt>");
			}
		}
		dml_labels(b, c->labels);
		dml_cats(b, c);
		dml_vals(b, c, s);
		if (c->kind == CHART_LINE)
			buf_puts(b, "<c:smooth val=\"0\"/>");
		buf_puts(b, "</c:ser>");
	}
	if (c->kind == CHART_LINE)
		buf_puts(b, "<c:marker val=\"1\"/><c:axId val=\"5001\"/><c:axId val=\"5002\"/>"
			    "</c:lineChart>");
	else
		buf_printf(b, "<c:gapWidth val=\"60\"/>%s<c:axId val=\"5001\"/><c:axId val=\"5002\"/>"
			      "</c:barChart>",
			   c->kind == CHART_HBAR_STACKED ? "<c:overlap val=\"100\"/>" : "");
	int hbar = c->kind == CHART_HBAR_STACKED;
	buf_printf(b, "<c:catAx><c:axId val=\"5001\"/><c:scaling><c:orientation val=\"%s\"/>"
		      "</c:scaling><c:delete val=\"0\"/><c:axPos val=\"%s\"/>"
		      "<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>"
		      "<c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/>"
		      "<c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"5002\"/>"
		      "<c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/>"
		      "<c:lblOffset val=\"100\"/>", hbar ? "maxMin" : "minMax", hbar ? "l" : "b");
	buf_puts(b, "<c:noMultiLvlLbl val=\"0\"/></c:catAx>");
	buf_printf(b, "<c:valAx><c:axId val=\"5002\"/><c:scaling><c:orientation val=\"minMax\"/>"
		      "<c:min val=\"0\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"%s\"/>"
		      "<c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr "
		      "val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>"
		      "<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>"
		      "<c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/>"
		      "<c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"5001\"/>"
		      "<c:crosses val=\"%s\"/><c:crossBetween val=\"between\"/>"
		      "<c:majorUnit val=\"%g\"/></c:valAx>",
		   hbar ? "b" : "l", hbar ? "max" : "autoZero", nice_step(max_value(c)));
	buf_puts(b, "</c:plotArea>");
	if (c->n_series > 1 || c->kind == CHART_LINE)
		buf_puts(b, "<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend>");
	buf_puts(b, "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
		    "<c:spPr><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill><a:ln><a:noFill/>"
		    "</a:ln></c:spPr><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1000\">"
		    "<a:latin typeface=\"宋体\"/><a:ea typeface=\"宋体\"/></a:defRPr></a:pPr>"
		    "<a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr></c:chartSpace>");
}
