/*
 * page_report_import.c -- 材料 › 上传 in two steps, by the office (admins),
 * as the spreadsheet import does (page_import.c):
 *
 *   POST /reports                   upload: the file is parsed (doc.h) and
 *                                   kept (web_stage.c); 303 to the preview
 *   GET  /reports/preview?stage=T   the preview -- what `rectify import
 *                                   --dry-run` prints: the tree as it was
 *                                   understood, the findings of 材料体检,
 *                                   and the campaign it will go into (a
 *                                   new one of the report's own year and
 *                                   title, or an existing one)
 *   POST /reports/confirm           the import, into the chosen campaign
 *
 * Nothing is written before the confirmation.  The confirmation carries a
 * digest of what the preview showed (the file, its tree, the campaign
 * proposed, the current campaign); the file is parsed again from the kept
 * upload and, when the digest differs, the new preview is shown instead of
 * importing.  Which campaign a report goes into by default, and when the
 * choice is not obvious, is report_target()'s rule (store.h), the one the
 * command line follows.  The tree is corrected after the import, on the
 * report's page (rename, move, merge, split): the preview says so.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "text.h"
#include "web_int.h"

/* What an import of one file would do, worked out without writing. */
struct rplan {
	char name[256];                 /* the file's name */
	struct doc *d;
	struct campaign_list camp;
	struct report_target t;
	char digest[crypto_hash_sha256_BYTES * 2 + 1];
};

static void rplan_release(struct rplan *p)
{
	doc_free(p->d);
	campaign_list_release(&p->camp);
	memset(p, 0, sizeof *p);
}

/* Parse data (the file named name) and find where it would go.  On a file
 * the engine cannot use: its rc with a Chinese message in r->err.  Release
 * p whatever the rc. */
static enum rc rplan_make(struct req *r, const char *data, size_t len, const char *name,
			  struct rplan *p)
{
	struct actx *a = ACTX(r);
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name && *name ? name : "材料");
	struct err e = {0};
	enum rc rc = doc_parse(data, len, p->name, &p->d, &e);
	if (rc != RC_OK)
		/* the engine's messages are for people: pass them on */
		return ERR(&r->err, rc == RC_TOOBIG ? RC_TOOBIG : rc == RC_MEDIA ? RC_MEDIA : RC_INVALID,
			   "无法读取材料：%s", e.msg);
	if ((rc = store_campaign_list(a->db, WHO(r), &p->camp, &r->err)))
		return rc;
	report_target(p->d, p->name, a->today, &p->camp, &p->t);
	/* The digest of what the preview shows. */
	struct buf tree = BUF_INIT(0);
	doc_to_text(p->d, &tree);
	crypto_hash_sha256_state hs;
	crypto_hash_sha256_init(&hs);
	char head[96];
	snprintf(head, sizeof head, "report|%zu|%d|%lld|", len, p->t.new_year,
		 p->t.current ? (long long)p->t.current->id : 0LL);
	crypto_hash_sha256_update(&hs, (const unsigned char *)head, strlen(head));
	crypto_hash_sha256_update(&hs, (const unsigned char *)p->t.new_title,
				  strlen(p->t.new_title) + 1);
	crypto_hash_sha256_update(&hs, (const unsigned char *)data, len);
	crypto_hash_sha256_update(&hs, (const unsigned char *)(tree.p ? tree.p : ""), tree.len);
	buf_release(&tree);
	unsigned char dg[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&hs, dg);
	sodium_bin2hex(p->digest, sizeof p->digest, dg, sizeof dg);
	return RC_OK;
}

/* Read the caller's staged file back and plan its import.  RC_NOTFOUND
 * (with a message) when it is gone, or another user's. */
static enum rc rplan_staged(struct req *r, const char *token, struct rplan *p)
{
	memset(p, 0, sizeof *p);
	char name[256], *data;
	size_t len;
	enum rc rc = stage_read(ACTX(r)->db, WHO(r)->user_id, token, app_now(), TEXT_MAX_INPUT,
				"上传的材料已过期或已导入，请重新选择文件。", &data, &len, name,
				sizeof name, &r->err);
	if (!rc)
		rc = rplan_make(r, data, len, name, p);
	free(data);
	return rc;
}

/* ---- drawing ---------------------------------------------------------------------- */

static const char *role_zh(enum doc_role role)
{
	static const char *const n[DOC_ROLE__MAX] = {
		[DOC_ROLE_PROBLEMS] = "问题",   [DOC_ROLE_CAUSES] = "原因",
		[DOC_ROLE_MEASURES] = "措施",   [DOC_ROLE_LAST_YEAR] = "上年整改",
		[DOC_ROLE_OTHER] = "其他",      [DOC_ROLE_PROGRESS] = "整改进展",
	};
	return (unsigned)role < DOC_ROLE__MAX && n[role] ? n[role] : "";
}

/* "2024 年 · 2024年度整改（当前批次）" */
static void campaign_label(const struct campaign *c, char *out, size_t n)
{
	snprintf(out, n, "%d 年 · %s%s", c->year, c->title, c->current ? "（当前批次）" : "");
}

static void item_line(struct html *h, const struct doc_item *it, bool task)
{
	html_open(h, "li", NULL);
	html_elem(h, "span", "条目", "class", "k", NULL);
	html_text(h, it->label.text);
	html_text(h, it->lead && *it->lead ? it->lead : it->text);
	if (it->n_examples) {
		html_open(h, "span", "class", "muted small", NULL);
		html_printf(h, "（举例 %zu）", it->n_examples);
		html_close(h, 1);
	}
	if (task)
		html_elem(h, "span", "生成事项", "class", "tag", NULL);
	html_close(h, 1);
}

/* The tree as the engine understood it: sections, areas, items. */
static void preview_tree(struct html *h, const struct doc *d)
{
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "识别出的结构", NULL);
	if (!d->n_sections)
		html_elem(h, "p", "没有识别出任何部分（一、二、三……）。", "class", "muted", NULL);
	html_open(h, "ul", "class", "tree", "aria-label", "材料结构", NULL);
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		bool prob = s->role == DOC_ROLE_PROBLEMS;
		html_open(h, "li", NULL);
		html_elem(h, "span", "部分", "class", "k", NULL);
		html_text(h, s->label.text);
		html_text(h, s->title);
		if (*role_zh(s->role))
			html_elem(h, "span", role_zh(s->role), "class", "tag", NULL);
		html_open(h, "ul", NULL);
		for (size_t j = 0; j < s->n_areas; j++) {
			const struct doc_area *ar = &s->areas[j];
			html_open(h, "li", NULL);
			html_elem(h, "span", "方面", "class", "k", NULL);
			html_text(h, ar->label.text);
			html_text(h, ar->title);
			html_open(h, "ul", NULL);
			for (size_t k = 0; k < ar->n_items; k++)
				item_line(h, &ar->items[k], prob);
			html_close(h, 2);
		}
		for (size_t k = 0; k < s->n_items; k++)
			item_line(h, &s->items[k], prob);
		html_close(h, 2);
	}
	html_close(h, 1);
	html_elem(h, "p", "导入后可在这份材料的页面上更正结构（修改要点、移到另一方面、并入前一条、拆成两条），"
			  "整改事项随之更新。", "class", "hint", NULL);
	html_close(h, 1);
}

static void kpi_box(struct html *h, const char *cls, long n, const char *label)
{
	char num[24];
	snprintf(num, sizeof num, "%ld", n);
	html_open(h, "div", "class", cls, NULL);
	html_elem(h, "div", num, "class", "n", NULL);
	html_elem(h, "div", label, "class", "t", NULL);
	html_close(h, 1);
}

static void preview_summary(struct html *h, const struct rplan *p)
{
	const struct doc *d = p->d;
	html_open(h, "section", "class", "card", NULL);
	html_open(h, "p", "class", "import-file", NULL);
	html_elem(h, "strong", p->name, NULL);
	html_open(h, "span", "class", "muted", NULL);
	html_printf(h, "　%s，%s编码", report_format_zh(d->format), d->encoding ? d->encoding : "");
	html_close(h, 2);
	html_elem(h, "p", d->title && *d->title ? d->title : "（没有识别出标题）", NULL);
	html_open(h, "div", "class", "kpis import-kpis", NULL);
	kpi_box(h, p->t.n_tasks ? "kpi green" : "kpi red", p->t.n_tasks, "个问题，各生成一项整改事项");
	kpi_box(h, "kpi", (long)d->n_commitments, "项承诺事项");
	if (d->year)
		kpi_box(h, "kpi", d->year, "材料所属年份");
	else
		kpi_box(h, "kpi yellow", 0, "材料中没有写明年份");
	html_close(h, 2);
}

/* The campaign choice and the confirmation: the staged file, the digest of
 * this preview.  want: the campaign selected ("new" or an id). */
static void preview_confirm(struct req *r, struct html *h, const struct rplan *p,
			    const char *token, const char *want)
{
	const struct report_target *t = &p->t;
	html_open(h, "section", "class", "card confirm", NULL);
	html_elem(h, "h2", "导入到哪个批次", NULL);
	if (t->ambiguous) {
		html_open(h, "div", "class", "flash warn", "role", "status", NULL);
		html_printf(h, "这份材料是 %d 年的，当前批次是 %d 年的（", t->year, t->current->year);
		html_text(h, t->current->title);
		html_lit(h, "）：请确认导入到哪个批次。");
		html_close(h, 1);
	}
	html_open(h, "form", "method", "post", "action", "/reports/confirm", NULL);
	page_csrf(r, h);
	html_open(h, "input", "type", "hidden", "name", "stage", "value", token, NULL);
	html_open(h, "input", "type", "hidden", "name", "plan", "value", p->digest, NULL);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "整改批次", "for", "campaign", NULL);
	html_open(h, "select", "id", "campaign", "name", "campaign", NULL);
	char label[700], id[24];
	snprintf(label, sizeof label, "新建批次：%d 年 · %s", t->new_year, t->new_title);
	html_elem(h, "option", label, "value", "new", "selected",
		  strcmp(want, "new") == 0 ? "" : NULL, NULL);
	for (size_t i = 0; i < p->camp.n; i++) {
		const struct campaign *c = &p->camp.v[i];
		snprintf(id, sizeof id, "%lld", (long long)c->id);
		campaign_label(c, label, sizeof label);
		html_elem(h, "option", label, "value", id, "selected",
			  strcmp(want, id) == 0 ? "" : NULL, NULL);
	}
	html_close(h, 1);
	html_elem(h, "div", "新建的批次以材料自身的年份和标题命名，并成为当前批次。", "class", "hint", NULL);
	html_close(h, 1);
	page_checkbox(h, "again", " 同一文件已导入过时仍再次导入");
	html_open(h, "div", "class", "actions-row", NULL);
	if (t->n_tasks) {
		snprintf(label, sizeof label, "确认导入，生成 %d 项整改事项", t->n_tasks);
		html_elem(h, "button", label, "type", "submit", "class", "btn", NULL);
	}
	html_elem(h, "a", "重新选择文件", "href", "/reports", "class", "btn ghost", NULL);
	html_close(h, 1);
	html_close(h, 2);
}

/* The preview of p (staged as token); msg (NULL: none) says why it is shown
 * again instead of importing; want the campaign to select (NULL: the
 * default of report_target()). */
static void preview(struct req *r, struct html *h, const struct rplan *p, const char *token,
		    const char *msg, const char *want)
{
	char def[24] = "new";
	const struct campaign *c = p->t.ambiguous ? p->t.match : p->t.current;
	if (c)
		snprintf(def, sizeof def, "%lld", (long long)c->id);
	page_begin(r, h, "上传材料：核对", NAV_REPORTS);
	html_open(h, "div", "class", "crumbs", NULL);
	html_elem(h, "a", "材料", "href", "/reports", NULL);
	html_lit(h, " › 上传");
	html_close(h, 1);
	html_elem(h, "h1", "上传材料：核对", NULL);
	if (msg)
		html_elem(h, "div", msg, "class", "flash err", "role", "alert", NULL);
	html_elem(h, "p", "还没有生成任何整改事项：请核对识别出的结构和材料体检的结果，选择批次后确认导入。",
		  "class", "muted", NULL);
	preview_summary(h, p);
	html_open(h, "div", "class", "grid", NULL);
	preview_tree(h, p->d);
	report_lint_card(r, h, p->d, 0, 0);
	html_close(h, 1);
	preview_confirm(r, h, p, token, want ? want : def);
	page_end(r, h);
}

/* ---- the handlers ------------------------------------------------------------------- */

/* POST /reports: read and parse the upload; keep it and show its preview
 * (redirect), or say why it cannot be used. */
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
	struct rplan p;
	enum rc rc = rplan_make(r, data, (size_t)f->size, f->name, &p);
	char token[WEB_STAGE_TOKEN];
	if (rc == RC_OK)
		rc = stage_put(ACTX(r)->db, WHO(r)->user_id, data, (size_t)f->size, f->name,
			       app_now(), token, &r->err);
	free(data);
	if (rc == RC_OK)
		web_redirect(r, "/reports/preview?stage=%s", token);
	rplan_release(&p);
	return rc;
}

/* A staged upload that is gone (expired, imported, another user's): the
 * reports page with the reason. */
static enum rc gone(struct req *r, struct html *h, enum rc rc)
{
	if (rc == RC_IO || rc == RC_DB || rc == RC_INTERNAL)
		return rc;
	page_begin(r, h, "上传材料", NAV_REPORTS);
	html_open(h, "div", "class", "crumbs", NULL);
	html_elem(h, "a", "材料", "href", "/reports", NULL);
	html_close(h, 1);
	html_elem(h, "h1", "上传材料", NULL);
	html_elem(h, "div", r->err.msg, "class", "flash err", "role", "alert", NULL);
	html_elem(h, "a", "重新选择文件", "href", "/reports", "class", "btn", NULL);
	page_end(r, h);
	r->resp.status = rc_http_status(rc);
	return RC_OK;
}

/* GET /reports/preview?stage=TOKEN */
enum rc page_report_preview(struct req *r, struct html *h)
{
	const char *token = web_query(r, "stage");
	struct rplan p;
	enum rc rc = rplan_staged(r, token, &p);
	if (rc == RC_OK)
		preview(r, h, &p, token, NULL, NULL);
	else
		rc = gone(r, h, rc);
	rplan_release(&p);
	return rc;
}

/* POST /reports/confirm: import the staged file into the chosen campaign,
 * if it still is what the preview showed. */
enum rc form_report_confirm(struct req *r, struct html *h)
{
	const char *token = web_form(r, "stage"), *digest = web_form(r, "plan");
	const char *want = web_form(r, "campaign");
	struct rplan p;
	enum rc rc = rplan_staged(r, token, &p);
	if (rc != RC_OK) {
		rc = gone(r, h, rc);
		rplan_release(&p);
		return rc;
	}
	struct report_import in = {0};
	in.filename = p.name;
	in.again = web_form(r, "again") != NULL;
	const char *why = NULL;
	char msg[700];
	int status = 409;
	if (!digest || strcmp(digest, p.digest) != 0) {
		why = "自预览以来，上传的材料或当前批次有了变化，识别结果可能不同：请再核对一遍，然后重新确认。";
		want = NULL;
	} else if (want && strcmp(want, "new") == 0) {
		in.new_campaign = 1;
	} else {
		for (size_t i = 0; want && i < p.camp.n && !in.campaign_id; i++) {
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)p.camp.v[i].id);
			if (strcmp(want, id) == 0)
				in.campaign_id = p.camp.v[i].id;
		}
		if (!in.campaign_id) {
			why = "请选择要导入的批次。";
			status = 400;
			want = NULL;
		}
	}
	struct actx *a = ACTX(r);
	struct import_result res = {0};
	if (!why) {
		rc = store_report_import(a->db, WHO(r), p.d, &in, a->today, &res, &r->err);
		if (rc == RC_CONFLICT || rc == RC_INVALID || rc == RC_NOTFOUND) {
			/* e.g. the same file imported before: say so on the preview */
			const char *d = NULL, *m = r->err.msg;
			if (r->app && r->app->explain)
				m = r->app->explain(rc, r->err.code, r->err.msg, &d);
			snprintf(msg, sizeof msg, "没有导入：%s", m);
			why = msg;
			status = rc_http_status(rc);
			err_clear(&r->err);
			rc = RC_OK;
		}
	}
	if (why) {
		preview(r, h, &p, token, why, want);
		r->resp.status = status;
	} else if (rc == RC_OK) {
		stage_drop(ACTX(r)->db, WHO(r)->user_id, token);
		log_info("report %s imported by user %lld into campaign %lld%s: %d tasks", p.name,
			 (long long)WHO(r)->user_id, (long long)res.campaign_id,
			 res.campaign_created ? " (new)" : "", res.n_tasks);
		web_redirect(r, "/reports/%lld?ok=imported", (long long)res.report_id);
	}
	rplan_release(&p);
	return rc;
}
