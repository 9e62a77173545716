/*
 * page_report.c -- 材料: the reports of the campaign, uploading one (any
 * format the document engine reads: .txt, .md, .docx, in UTF-8 or GB18030),
 * and one report's source beside its tree, with the span of the selected
 * node highlighted in the source, and the tree corrections (rename, move,
 * merge, split) for admins.
 *
 * The upload streams to a temporary file (web_server.c); it is read back
 * once, bounded by TEXT_MAX_INPUT, parsed, and imported in one store
 * transaction.
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
	html_open(h, "div", "class", "form-row", NULL);
	html_open(h, "label", NULL);
	html_open(h, "input", "type", "checkbox", "name", "again", "value", "1", NULL);
	html_text(h, " 同一文件已导入过时仍再次导入");
	html_close(h, 2);
	html_elem(h, "button", "上传并导入", "type", "submit", "class", "btn", NULL);
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
			html_elem(h, "td", p->kind, NULL);
			html_elem(h, "td", p->filename, NULL);
			html_elem(h, "td", p->encoding, "class", "nowrap", NULL);
			char at[32];
			page_time(p->imported_at, at, sizeof at);
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

enum rc form_report_upload(struct req *r)
{
	struct web_file *f = NULL;
	for (size_t i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, "file") == 0 && r->files.v[i].size > 0)
			f = &r->files.v[i];
	if (!f)
		return ERR(&r->err, RC_INVALID, "请选择要上传的材料文件。");
	if (f->size > TEXT_MAX_INPUT)
		return ERR(&r->err, RC_TOOBIG, "材料文件不能超过 %u MB。", TEXT_MAX_INPUT >> 20);
	char *data = xmalloc((size_t)f->size + 1);
	ssize_t got = pread(f->fd, data, (size_t)f->size, 0);
	if (got != (ssize_t)f->size) {
		free(data);
		return ERR(&r->err, RC_IO, "cannot read the upload back: %s", strerror(errno));
	}
	struct doc *d = NULL;
	struct err e = {0};
	enum rc rc = doc_parse(data, (size_t)f->size, f->name, &d, &e);
	free(data);
	if (rc != RC_OK) {
		/* the engine's messages are for people: pass them on */
		return ERR(&r->err, rc == RC_TOOBIG ? RC_TOOBIG : rc == RC_MEDIA ? RC_MEDIA : RC_INVALID,
			   "无法读取材料：%s", e.msg);
	}
	struct report_import in = {0};
	in.filename = f->name;
	in.again = web_form(r, "again") != NULL;
	struct import_result res;
	rc = store_report_import(ACTX(r)->db, WHO(r), d, &in, ACTX(r)->today, &res, &r->err);
	doc_free(d);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/reports/%lld?ok=imported", (long long)res.report_id);
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
 * 材料体检: the report's source parsed again and linted, against the
 * problem items of earlier campaigns for the recurrence rule.  Each finding
 * links to this page with its span marked in the source.
 */
static void findings(struct req *r, struct html *h, const struct report *p)
{
	struct doc *d = NULL;
	if (doc_parse_text(p->source, p->source_len, &d, NULL) != RC_OK)
		return;
	struct past_item_list past = {0};
	store_past_items(ACTX(r)->db, WHO(r), p->campaign_id, &past, NULL);
	struct lint_prior *prior = xcalloc(past.n + 1, sizeof *prior);
	char **origins = xcalloc(past.n + 1, sizeof *origins);
	for (size_t i = 0; i < past.n; i++) {
		origins[i] = xasprintf("%d年：%s", past.v[i].year, past.v[i].lead);
		prior[i] = (struct lint_prior){past.v[i].text, origins[i]};
	}
	struct lint_opts o = {0, prior, past.n, NULL};
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
		snprintf(href, sizeof href, "/reports/%lld?span=%u-%u#lint-src", (long long)p->id,
			 f->span.start, f->span.end);
		snprintf(where, sizeof where, "第 %u 行第 %u 列", f->line, f->col);
		html_open(h, "div", "class", sev_cls[(unsigned)f->severity < LINT_SEVERITY__MAX ?
							     f->severity : LINT_INFO],
			  NULL);
		html_elem(h, "b", sev_zh[(unsigned)f->severity < LINT_SEVERITY__MAX ? f->severity
										     : LINT_INFO],
			  NULL);
		html_lit(h, " ");
		html_elem(h, "a", where, "href", href, NULL);
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
		html_elem(h, "span", lint_rule_name(f->rule), "class", "tag", NULL);
		html_close(h, 1);
	}
	html_close(h, 1);
	lint_result_release(&res);
	for (size_t i = 0; i < past.n; i++)
		free(origins[i]);
	free(origins);
	free(prior);
	past_item_list_release(&past);
	doc_free(d);
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
	html_open(h, "input", "type", "text", "name", "lead", "value", n->title, "required", "",
		  "aria-label", "新的标题", NULL);
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
		FORM("split", "在此处拆分");
		char off[24];
		snprintf(off, sizeof off, "%u", n->start + (n->end - n->start) / 2);
		html_open(h, "input", "type", "number", "name", "offset", "min", "0", "value", off,
			  "aria-label", "拆分位置（字节偏移）", NULL);
		html_elem(h, "p", "在原文的这个位置（字节偏移，须在本条范围内）把本条拆成两条。", "class",
			  "hint", NULL);
		html_elem(h, "button", "拆分", "type", "submit", "class", "btn ghost", NULL);
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
	page_time(p.imported_at, imported, sizeof imported);
	html_open(h, "p", "class", "muted small", NULL);
	html_printf(h, "%s · %s · %s · 导入于 %s · 版本 %lld", p.filename ? p.filename : "",
		    p.format ? p.format : "", p.encoding ? p.encoding : "",
		    imported, (long long)p.version);
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

enum rc form_node_edit(struct req *r)
{
	int64_t version, report = r->param[0], node = r->param[1];
	if (web_arg_int(r, "version", 0, INT64_MAX / 2, -1, &version) != RC_OK || version < 0)
		return ERR(&r->err, RC_INVALID, "缺少版本号，请刷新页面后重试。");
	struct store *db = ACTX(r)->db;
	const struct who *w = WHO(r);
	const char *action = strrchr(r->path, '/') + 1;
	enum rc rc;
	int64_t target = node;
	if (strcmp(action, "rename") == 0) {
		const char *lead = web_form(r, "lead");
		if (!lead || !*lead)
			return ERR(&r->err, RC_INVALID, "请填写新的标题。");
		rc = store_node_rename(db, w, node, version, lead, &r->err);
	} else if (strcmp(action, "move") == 0) {
		int64_t to;
		if (web_arg_int(r, "to", 1, INT64_MAX / 2, 0, &to) != RC_OK || !to)
			return ERR(&r->err, RC_INVALID, "请选择目标方面。");
		rc = store_node_move(db, w, node, to, version, &r->err);
	} else if (strcmp(action, "merge") == 0) {
		int64_t keep;
		if (web_arg_int(r, "keep", 1, INT64_MAX / 2, 0, &keep) != RC_OK || !keep)
			return ERR(&r->err, RC_INVALID, "没有可并入的前一条。");
		rc = store_node_merge(db, w, keep, node, version, &r->err);
		target = keep;
	} else {
		int64_t off;
		if (web_arg_int(r, "offset", 0, UINT32_MAX, -1, &off) != RC_OK || off < 0)
			return ERR(&r->err, RC_INVALID, "请填写拆分位置。");
		rc = store_node_split(db, w, node, (uint32_t)off, version, &target, &r->err);
	}
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/reports/%lld?node=%lld&ok=node#n%lld", (long long)report,
		     (long long)target, (long long)target);
	return RC_OK;
}
