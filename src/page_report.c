/*
 * page_report.c -- 材料: the reports of the campaign, uploading one (any
 * format the document engine reads: .txt, .md, .docx, in UTF-8 or GB18030),
 * and one report's source beside its tree, with the span of the selected
 * node highlighted in the source, and the tree corrections (rename, move,
 * merge, split) for admins.
 *
 * The upload goes through a preview before any task is made
 * (page_report_import.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "lint.h"
#include "text.h"
#include "web_int.h"

/* A report's kind as people call it. */
static const char *kind_name(const char *kind)
{
	static const struct {
		const char *k, *zh;
	} kinds[] = {{"team", "班子对照检查材料"}, {"individual", "个人对照检查材料"},
		     {"plan", "整改方案"},        {"report", "整改情况报告"},
		     {"ledger", "整改台账"},      {"unknown", "其他"}};
	for (size_t i = 0; kind && i < ARRAY_LEN(kinds); i++)
		if (strcmp(kind, kinds[i].k) == 0)
			return kinds[i].zh;
	return kind ? kind : "";
}

const char *report_format_zh(const char *format)
{
	static const struct {
		const char *k, *zh;
	} formats[] = {{"markdown", "Markdown 文本"}, {"text", "纯文本"}, {"txt", "纯文本"},
		       {"docx", "Word 文档"},        {"pdf", "PDF 文件"},
		       {"ledger", "台账表格"}};
	for (size_t i = 0; format && i < ARRAY_LEN(formats); i++)
		if (strcmp(format, formats[i].k) == 0)
			return formats[i].zh;
	return format ? format : "";
}

/* The lint rules' Chinese names (the id stays in the title). */
static const char *rule_zh(enum lint_rule r)
{
	static const char *const n[LINT_RULE__MAX] = {
		[LINT_PLACEHOLDER] = "未填内容",   [LINT_PUNCTUATION] = "标点",
		[LINT_NUMBERING] = "序号",         [LINT_STRUCTURE] = "结构",
		[LINT_VAGUE_PROBLEM] = "问题空泛", [LINT_HEDGING] = "表述含糊",
		[LINT_UNMEASURABLE] = "措施难检验", [LINT_UNANSWERED] = "问题无措施",
		[LINT_REPEAT] = "重复表述",        [LINT_RECURRENCE] = "与往年雷同",
		[LINT_FORMULATION] = "规范提法",  [LINT_QUOTE_NESTING] = "引号",
		[LINT_DOUBLED_PHRASE] = "词语重复", [LINT_SPACING] = "多余空格",
		[LINT_WRONG_CHAR] = "错别字",     [LINT_FOREIGN_TEXT] = "混入无关文字",
	};
	return (unsigned)r < LINT_RULE__MAX && n[r] ? n[r] : lint_rule_name(r);
}

static void upload_form(struct req *r, struct html *h)
{
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "上传对照检查材料", NULL);
	html_open(h, "form", "method", "post", "action", "/reports", "enctype",
		  "multipart/form-data", NULL);
	page_csrf(r, h);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "材料文件", "for", "file", NULL);
	html_open(h, "input", "type", "file", "id", "file", "name", "file", "required", "",
		  "accept", ".txt,.md,.docx,text/plain,text/markdown,"
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		  NULL);
	html_elem(h, "div",
		  "支持 Word（.docx，含 WPS 自动编号）、纯文本和 Markdown（UTF-8 或 GBK 编码），不超过 16 MB。"
		  "导入后每个问题生成一项整改事项。",
		  "class", "hint", NULL);
	html_close(h, 1);
	html_elem(h, "button", "上传并预览", "type", "submit", "class", "btn", NULL);
	html_elem(h, "p", "上传后先显示识别出的结构、材料体检的结果和将要导入的批次，确认后才生成整改事项；"
			  "确认之前不会写入任何数据。", "class", "hint", NULL);
	html_close(h, 2);
}

enum rc page_reports(struct req *r, struct html *h)
{
	struct report_list l = {0};
	enum rc rc = store_report_list(ACTX(r)->db, WHO(r), 0, &l, &r->err);
	if (rc != RC_OK && rc != RC_NOTFOUND) {
		report_list_release(&l);
		return rc;
	}
	page_begin(r, h, "材料", NAV_REPORTS);
	html_elem(h, "h1", "对照检查材料", NULL);
	page_flash(r, h);
	html_open(h, "section", "class", "card", NULL);
	if (!l.n) {
		html_elem(h, "p", "还没有导入材料。", "class", "muted", NULL);
	} else {
		html_open(h, "table", NULL);
		html_lit(h, "<thead><tr><th>标题</th><th>类型</th><th>文件</th><th>编码</th>"
			    "<th>导入时间</th></tr></thead>");
		html_open(h, "tbody", NULL);
		for (size_t i = 0; i < l.n; i++) {
			const struct report *p = &l.v[i];
			char href[40];
			snprintf(href, sizeof href, "/reports/%lld", (long long)p->id);
			html_open(h, "tr", NULL);
			html_open(h, "td", NULL);
			html_elem(h, "a", p->title && *p->title ? p->title : "（无标题）", "href", href,
				  NULL);
			html_close(h, 1);
			html_elem(h, "td", kind_name(p->kind), NULL);
			html_elem(h, "td", p->filename, NULL);
			html_elem(h, "td", p->encoding, "class", "nowrap", NULL);
			char at[32];
			util_local_time(p->imported_at, at, sizeof at);
			html_elem(h, "td", at, "class", "nowrap", NULL);
			html_close(h, 1);
		}
		html_close(h, 2);
	}
	html_close(h, 1);
	if (WHO(r)->role == ROLE_ADMIN)
		upload_form(r, h);
	report_list_release(&l);
	page_end(r, h);
	return RC_OK;
}

/* ---- one report -------------------------------------------------------------------------- */

static const char *kind_zh(enum node_kind k)
{
	static const char *const n[NODE__MAX] = {"部分", "方面", "条目", "举例"};
	return (unsigned)k < NODE__MAX ? n[k] : "";
}

/* The tree as nested lists.  Nodes come depth first; a node's depth is the
 * length of the chain of open ancestors, kept on a stack, so the whole
 * tree renders in one pass.  Each level is a <ul> inside its parent's
 * still-open <li>. */
static void tree(struct html *h, const struct report *p, int64_t sel)
{
	enum { MAXD = 12 };
	int64_t stack[MAXD];
	int sp = 0;
	int d0 = html_depth(h);
	html_open(h, "ul", "class", "tree", "aria-label", "材料结构", NULL);
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct report_node *n = &p->nodes[i];
		if (n->parent_id == 0)
			sp = 0;
		else
			while (sp > 0 && stack[sp - 1] != n->parent_id)
				sp--;
		int d = sp;
		if (sp < MAXD)
			stack[sp++] = n->id;
		int want = d0 + 1 + 2 * d;      /* depth of the <ul> holding this node */
		if (html_depth(h) >= want)
			html_close_to(h, want);
		else
			while (html_depth(h) < want)
				html_open(h, "ul", NULL); /* inside the parent's open <li> */
		char href[80], id[24];
		snprintf(href, sizeof href, "/reports/%lld?node=%lld#n%lld", (long long)p->id,
			 (long long)n->id, (long long)n->id);
		snprintf(id, sizeof id, "n%lld", (long long)n->id);
		html_open(h, "li", "id", id, NULL);
		html_open(h, "a", "href", href, "class", n->id == sel ? "sel" : NULL, NULL);
		html_elem(h, "span", kind_zh(n->kind), "class", "k", NULL);
		html_text(h, n->label);
		html_text(h, n->title && *n->title ? n->title : n->text);
		html_close(h, 1);
		if (n->task_id) {
			char th[40];
			snprintf(th, sizeof th, "/tasks/%lld", (long long)n->task_id);
			html_lit(h, " ");
			html_elem(h, "a", "→事项", "href", th, "class", "tag", NULL);
		}
	}
	html_close_to(h, d0);
}

/* The source with [start, end) marked (nothing marked when empty). */
static void source(struct html *h, const struct report *p, uint32_t start, uint32_t end)
{
	html_open(h, "div", "class", "source", "aria-label", "材料原文", NULL);
	if (start < end && end <= p->source_len) {
		html_textn(h, p->source, start);
		html_open(h, "mark", NULL);
		html_textn(h, p->source + start, end - start);
		html_close(h, 1);
		html_textn(h, p->source + end, p->source_len - end);
	} else {
		html_textn(h, p->source, p->source_len);
	}
	html_close(h, 1);
}

/*
 * 材料体检 of d as a card: linted against the problem items of the campaigns
 * before campaign_id (every campaign: 0) for the recurrence rule.  Each
 * finding links to report report_id's page with its span marked in the
 * source; a report not imported yet (report_id 0) has no page to link to.
 */
void report_lint_card(struct req *r, struct html *h, const struct doc *d, int64_t campaign_id,
		      int64_t report_id)
{
	struct past_item_list past = {0};
	store_past_items(ACTX(r)->db, WHO(r), campaign_id, &past, NULL);
	struct lint_prior *prior = xcalloc(past.n + 1, sizeof *prior);
	char **origins = xcalloc(past.n + 1, sizeof *origins);
	for (size_t i = 0; i < past.n; i++) {
		origins[i] = xasprintf("%d年：%s", past.v[i].year, past.v[i].lead);
		prior[i] = (struct lint_prior){past.v[i].text, origins[i]};
	}
	struct lint_opts o = {.prior = prior, .n_prior = past.n};
	struct lint_result res = {0};
	lint_run(d, &o, &res);

	html_open(h, "section", "class", "card", "id", "lint", NULL);
	html_open(h, "h2", NULL);
	html_text(h, "材料体检");
	html_open(h, "span", "class", "muted small", NULL);
	html_printf(h, "　错误 %zu · 警告 %zu · 提示 %zu", res.summary.by_severity[LINT_ERROR],
		    res.summary.by_severity[LINT_WARNING], res.summary.by_severity[LINT_INFO]);
	if (res.summary.problem_items)
		html_printf(h, " · %zu 个问题中 %zu 个有具体事例", res.summary.problem_items,
			    res.summary.with_example);
	html_close(h, 2);
	if (res.n == 0)
		html_elem(h, "p", "没有发现问题。", "class", "muted", NULL);
	static const char *const sev_cls[LINT_SEVERITY__MAX] = {"finding error", "finding",
								"finding info"};
	static const char *const sev_zh[LINT_SEVERITY__MAX] = {"错误", "警告", "提示"};
	for (size_t i = 0; i < res.n && i < 300; i++) {
		const struct lint_finding *f = &res.v[i];
		char href[96], where[48];
		snprintf(href, sizeof href, "/reports/%lld?span=%u-%u#lint-src", (long long)report_id,
			 f->span.start, f->span.end);
		snprintf(where, sizeof where, "第 %u 行第 %u 列", f->line, f->col);
		html_open(h, "div", "class", sev_cls[(unsigned)f->severity < LINT_SEVERITY__MAX ?
							     f->severity : LINT_INFO],
			  NULL);
		html_elem(h, "b", sev_zh[(unsigned)f->severity < LINT_SEVERITY__MAX ? f->severity
										     : LINT_INFO],
			  NULL);
		html_lit(h, " ");
		if (report_id)
			html_elem(h, "a", where, "href", href, NULL);
		else
			html_elem(h, "span", where, "class", "nowrap", NULL);
		html_lit(h, " ");
		html_text(h, f->message);
		if (f->text && *f->text) {
			html_lit(h, "　“");
			html_text(h, f->text);
			html_lit(h, "”");
		}
		if (f->has_related && f->related_origin) {
			html_open(h, "span", "class", "muted", NULL);
			html_lit(h, "（见 ");
			html_text(h, f->related_origin);
			html_lit(h, "）");
			html_close(h, 1);
		}
		html_elem(h, "span", rule_zh(f->rule), "class", "tag", "title", lint_rule_name(f->rule),
			  NULL);
		html_close(h, 1);
	}
	html_close(h, 1);
	lint_result_release(&res);
	for (size_t i = 0; i < past.n; i++)
		free(origins[i]);
	free(origins);
	free(prior);
	past_item_list_release(&past);
}

/* 材料体检 of a stored report: its source parsed again. */
static void findings(struct req *r, struct html *h, const struct report *p)
{
	struct doc *d = NULL;
	if (doc_parse_text(p->source, p->source_len, &d, NULL) != RC_OK)
		return;
	report_lint_card(r, h, d, p->campaign_id, p->id);
	doc_free(d);
}

/* Where an item may be cut: the start of each of its sentences after the
 * first (after 。！？； and the white space that follows), as offsets into
 * the source strictly inside the item's span. */
static size_t sentence_starts(const struct report *p, const struct report_node *n,
			      uint32_t *out, size_t max)
{
	size_t k = 0;
	const char *s = p->source;
	uint32_t end = n->end <= p->source_len ? n->end : (uint32_t)p->source_len;
	for (uint32_t i = n->start; i + 3 <= end && k < max; i++) {
		if (strncmp(s + i, "。", 3) != 0 && strncmp(s + i, "！", 3) != 0 &&
		    strncmp(s + i, "？", 3) != 0 && strncmp(s + i, "；", 3) != 0)
			continue;
		uint32_t j = i + 3;
		for (;;) {
			if (j < end && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n'))
				j++;
			else if (j + 3 <= end && strncmp(s + j, "　", 3) == 0)
				j += 3;
			else
				break;
		}
		/* a closing quote or bracket stays with its sentence */
		if (j < end && (strncmp(s + j, "”", 3) == 0 || strncmp(s + j, "）", 3) == 0))
			continue;
		if (j < end)
			out[k++] = j;
		i = j - 1;
	}
	return k;
}

/* The split form's choices: one radio button per sentence that could open
 * the new item, showing the sentence's beginning. */
static void split_choices(struct html *h, const struct report *p, const struct report_node *n)
{
	uint32_t at[40];
	size_t k = sentence_starts(p, n, at, ARRAY_LEN(at));
	if (k == 0) {
		html_elem(h, "p", "本条只有一句话，不能再拆分。", "class", "hint", NULL);
		return;
	}
	html_elem(h, "p", "选择新的一条从哪一句开始，之前的内容留在本条：", "class", "hint", NULL);
	html_open(h, "div", "class", "choices", NULL);
	for (size_t i = 0; i < k; i++) {
		char v[24], label[32];
		snprintf(v, sizeof v, "%u", at[i]);
		snprintf(label, sizeof label, "第 %zu 句起：", i + 2);
		html_open(h, "label", "class", "choice", NULL);
		html_open(h, "input", "type", "radio", "name", "offset", "value", v, "required", "",
			  "checked", i == 0 ? "" : NULL, NULL);
		html_elem(h, "b", label, NULL);
		/* about 24 characters of the sentence */
		uint32_t e = at[i], stop = i + 1 < k ? at[i + 1] : n->end;
		for (int c = 0; c < 24 && e < stop; c++) {
			e++;
			while (e < stop && ((unsigned char)p->source[e] & 0xC0) == 0x80)
				e++;
		}
		html_textn(h, p->source + at[i], e - at[i]);
		if (e < stop)
			html_lit(h, "……");
		html_close(h, 1);
	}
	html_close(h, 1);
	html_elem(h, "button", "拆分", "type", "submit", "class", "btn ghost", NULL);
}

static void node_forms(struct req *r, struct html *h, const struct report *p,
		       const struct report_node *n)
{
	char base[80], ver[24];
	snprintf(ver, sizeof ver, "%lld", (long long)p->version);
	html_open(h, "section", "class", "card noprint", NULL);
	html_elem(h, "h2", "更正结构", NULL);
	html_open(h, "div", "class", "actions", NULL);
#define FORM(action, title)                                                                   \
	snprintf(base, sizeof base, "/reports/%lld/nodes/%lld/%s", (long long)p->id,           \
		 (long long)n->id, action);                                                    \
	html_open(h, "form", "method", "post", "action", base, NULL);                         \
	html_elem(h, "h3", title, NULL);                                                      \
	page_csrf(r, h);                                                                      \
	html_open(h, "input", "type", "hidden", "name", "version", "value", ver, NULL)

	FORM("rename", n->kind == NODE_ITEM ? "修改要点" : "修改标题");
	char ml[24];
	html_open(h, "input", "type", "text", "name", "lead", "value", n->title, "required", "",
		  "maxlength", page_maxlength(ml, STORE_LEAD_MAX), "aria-label", "新的标题", NULL);
	html_lit(h, " ");
	html_elem(h, "button", "保存", "type", "submit", "class", "btn", NULL);
	html_close(h, 1);
	if (n->kind == NODE_ITEM) {
		FORM("move", "移到另一方面");
		html_open(h, "select", "name", "to", "aria-label", "目标方面", NULL);
		for (size_t i = 0; i < p->n_nodes; i++) {
			const struct report_node *o = &p->nodes[i];
			if (o->kind != NODE_AREA || o->id == n->parent_id || o->role != n->role)
				continue;
			char id[24], t[300];
			snprintf(id, sizeof id, "%lld", (long long)o->id);
			snprintf(t, sizeof t, "%s%s", o->label, o->title);
			html_elem(h, "option", t, "value", id, NULL);
		}
		html_close(h, 1);
		html_lit(h, " ");
		html_elem(h, "button", "移动", "type", "submit", "class", "btn ghost", NULL);
		html_close(h, 1);
		FORM("merge", "并入前一条");
		int64_t prev = 0;
		for (size_t i = 0; i < p->n_nodes; i++) {
			if (p->nodes[i].id == n->id)
				break;
			if (p->nodes[i].kind == NODE_ITEM && p->nodes[i].parent_id == n->parent_id)
				prev = p->nodes[i].id;
		}
		char pv[24];
		snprintf(pv, sizeof pv, "%lld", (long long)prev);
		html_open(h, "input", "type", "hidden", "name", "keep", "value", pv, NULL);
		html_elem(h, "p",
			  prev ? "把本条的内容并到同一方面的前一条中，本条删除。"
			       : "本条是该方面的第一条，没有可并入的前一条。",
			  "class", "hint", NULL);
		if (prev)
			html_elem(h, "button", "合并", "type", "submit", "class", "btn ghost",
				  "data-confirm", "确定把本条并入前一条吗？", NULL);
		html_close(h, 1);
		FORM("split", "拆成两条");
		split_choices(h, p, n);
		html_close(h, 1);
	}
#undef FORM
	html_close(h, 2);
}

enum rc page_report(struct req *r, struct html *h)
{
	struct report p = {0};
	enum rc rc = store_report_get(ACTX(r)->db, WHO(r), r->param[0], &p, &r->err);
	if (rc != RC_OK) {
		report_release(&p);
		return rc;
	}
	int64_t sel = 0;
	if (web_arg_int(r, "node", 0, INT64_MAX / 2, 0, &sel) != RC_OK) {
		report_release(&p);
		return RC_INVALID;
	}
	const struct report_node *n = NULL;
	for (size_t i = 0; i < p.n_nodes; i++)
		if (p.nodes[i].id == sel)
			n = &p.nodes[i];
	page_begin(r, h, p.title && *p.title ? p.title : "材料", NAV_REPORTS);
	html_open(h, "div", "class", "crumbs", NULL);
	html_elem(h, "a", "材料", "href", "/reports", NULL);
	html_close(h, 1);
	html_elem(h, "h1", p.title && *p.title ? p.title : "（无标题）", NULL);
	page_flash(r, h);
	char imported[32];
	util_local_time(p.imported_at, imported, sizeof imported);
	html_open(h, "p", "class", "muted small", NULL);
	html_printf(h, "%s · %s · %s编码 · 导入于 %s", p.filename ? p.filename : "",
		    report_format_zh(p.format), p.encoding ? p.encoding : "", imported);
	html_close(h, 1);
	if (n && WHO(r)->role == ROLE_ADMIN)
		node_forms(r, h, &p, n);
	/* What the source marks: a finding's span (?span=A-B) or the node's. */
	uint32_t start = 0, end = 0;
	const char *span = web_query(r, "span");
	unsigned a, b;
	char tail;
	if (span && sscanf(span, "%u-%u%c", &a, &b, &tail) == 2 && a < b && b <= p.source_len) {
		start = a;
		end = b;
	} else if (n) {
		start = n->start;
		end = n->end;
	}
	html_open(h, "div", "class", "split", NULL);
	html_open(h, "section", NULL);
	html_elem(h, "h2", "结构", NULL);
	tree(h, &p, sel);
	html_close(h, 1);
	html_open(h, "section", "id", "lint-src", NULL);
	html_elem(h, "h2", start < end ? "原文（已标出所选部分）" : "原文", NULL);
	source(h, &p, start, end);
	html_close(h, 2);
	findings(r, h, &p);
	report_release(&p);
	page_end(r, h);
	return RC_OK;
}

/* /reports/A/nodes/B names B in A: RC_NOTFOUND when B is not one of
 * report A's nodes (or A is not there). */
static enum rc node_of_report(struct req *r, int64_t report, int64_t node)
{
	struct report p = {0};
	enum rc rc = store_report_get(ACTX(r)->db, WHO(r), report, &p, &r->err);
	bool found = false;
	for (size_t i = 0; rc == RC_OK && i < p.n_nodes; i++)
		found = found || p.nodes[i].id == node;
	report_release(&p);
	if (rc == RC_OK && !found)
		rc = ERR(&r->err, RC_NOTFOUND, "这份材料中没有这个节点。");
	return rc;
}

/* POST /reports/:id/nodes/:id/{rename,move,merge,split} -- admin: a
 * correction of the report's tree, the one its route's action names. */
enum rc form_node_edit(struct req *r)
{
	int64_t version, report = r->param[0], node = r->param[1];
	if (web_arg_int(r, "version", 0, INT64_MAX / 2, -1, &version) != RC_OK || version < 0)
		return ERR(&r->err, RC_INVALID, "缺少版本号，请刷新页面后重试。");
	enum rc rc = node_of_report(r, report, node);
	if (rc != RC_OK)
		return rc;
	struct store *db = ACTX(r)->db;
	const struct who *w = WHO(r);
	int64_t target = node;
	switch (r->action) {
	case ACT_NODE_RENAME: {
		const char *lead = web_form(r, "lead");
		if (!lead || !*lead)
			return ERR(&r->err, RC_INVALID, "请填写新的标题。");
		rc = store_node_rename(db, w, node, version, lead, ACTX(r)->today, &r->err);
		break;
	}
	case ACT_NODE_MOVE: {
		int64_t to;
		if (web_arg_int(r, "to", 1, INT64_MAX / 2, 0, &to) != RC_OK || !to)
			return ERR(&r->err, RC_INVALID, "请选择目标方面。");
		rc = store_node_move(db, w, node, to, version, ACTX(r)->today, &r->err);
		break;
	}
	case ACT_NODE_MERGE: {
		int64_t keep;
		if (web_arg_int(r, "keep", 1, INT64_MAX / 2, 0, &keep) != RC_OK || !keep)
			return ERR(&r->err, RC_INVALID, "没有可并入的前一条。");
		rc = store_node_merge(db, w, keep, node, version, ACTX(r)->today, &r->err);
		target = keep;
		break;
	}
	case ACT_NODE_SPLIT: {
		int64_t off;
		if (web_arg_int(r, "offset", 0, UINT32_MAX, -1, &off) != RC_OK || off < 0)
			return ERR(&r->err, RC_INVALID, "请填写拆分位置。");
		rc = store_node_split(db, w, node, (uint32_t)off, version, ACTX(r)->today,
				      &target, &r->err);
		break;
	}
	default:
		return ERR(&r->err, RC_INTERNAL, "route %s has no tree correction", r->route->pattern);
	}
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/reports/%lld?node=%lld&ok=node#n%lld", (long long)report,
		     (long long)target, (long long)target);
	return RC_OK;
}
