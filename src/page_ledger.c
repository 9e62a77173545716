/*
 * page_ledger.c -- 台账: the task table with filters, sort and pages, and
 * its JSON twin GET /api/v1/tasks.
 *
 * Both are served from the render cache: the table (everything below the
 * page chrome) and the JSON answer are kept under a key made of the
 * caller's scope (a handler's unit, or "all" for the roles that see the
 * whole ledger), today and the canonical form of the parsed filter, at the
 * database generation they were drawn at.  A hit costs a hash lookup and a
 * copy; any commit makes every entry miss.
 *
 * On paper (the print stylesheet: landscape A4, the header repeated on
 * each page, no controls) the table also has the columns an office
 * ledger prints, drawn for print only: 整改措施 (the sentences of the
 * task's measures that answer it, export_task_measures) and 进展情况 (the
 * latest progress entry), in place of the screen's 最近进展 date.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "web_int.h"

/* ---- the filter ---------------------------------------------------------------------- */

enum rc tasks_filter_parse(struct req *r, struct task_filter *f)
{
	struct task_filter def = TASK_FILTER_INIT;
	*f = def;
	const char *v;
	if ((v = web_query(r, "status")) && *v) {
		enum task_status s;
		if (task_status_parse(v, &s) != 0)
			return ERR(&r->err, RC_INVALID, "未知的状态：%.40s", v);
		f->status = (int)s;
	}
	if ((v = web_query(r, "light")) && *v) {
		enum light l;
		if (strcmp(v, "none") == 0 || strcmp(v, "closed") == 0)
			l = LIGHT_NONE;
		else if (light_parse(v, &l) != 0)
			return ERR(&r->err, RC_INVALID, "未知的灯色：%.40s", v);
		f->light = (int)l;
	}
	int64_t x;
	if (web_arg_int(r, "area", 0, INT64_MAX / 2, 0, &x) != RC_OK)
		return RC_INVALID;
	f->area_id = x;
	if (web_arg_int(r, "unit", 0, INT64_MAX / 2, 0, &x) != RC_OK)
		return RC_INVALID;
	f->unit_id = x;
	if (web_arg_int(r, "leader", 0, INT64_MAX / 2, 0, &x) != RC_OK)
		return RC_INVALID;
	f->leader_id = x;
	if (web_arg_int(r, "page", 1, 1000000, 1, &x) != RC_OK)
		return RC_INVALID;
	f->page = (int)x;
	if (web_arg_int(r, "per_page", 1, TASK_PER_PAGE_MAX, 50, &x) != RC_OK)
		return RC_INVALID;
	f->per_page = (int)x;
	if (web_arg_int(r, "review_due", 0, 1, 0, &x) != RC_OK)
		return RC_INVALID;
	f->review_due = (int)x;
	if (web_arg_int(r, "overdue", 0, 1, 0, &x) != RC_OK)
		return RC_INVALID;
	f->overdue = (int)x;
	if ((v = web_query(r, "q")) && *v) {
		f->q = v; /* its length: the store's (STORE_E_SEARCH) */
	}
	if ((v = web_query(r, "sort")) && *v) {
		if (task_sort_parse(v, &f->sort, &f->desc) != 0)
			return ERR(&r->err, RC_INVALID, "未知的排序：%.40s", v);
	}
	return RC_OK;
}

/* The filter as a canonical string (cache keys, links).  page < 0 leaves
 * the page out; sort_override (NULL: the filter's) replaces the sort. */
static void filter_query(struct buf *b, const struct task_filter *f, int page,
			 const char *sort_override)
{
	size_t start = b->len;
#define SEP (b->len > start ? "&" : "")
	if (f->status >= 0)
		buf_printf(b, "%sstatus=%s", SEP, task_status_key((enum task_status)f->status));
	if (f->light >= 0)
		buf_printf(b, "%slight=%s", SEP,
			   f->light == LIGHT_NONE ? "none" : light_name((enum light)f->light));
	if (f->area_id)
		buf_printf(b, "%sarea=%lld", SEP, (long long)f->area_id);
	if (f->unit_id)
		buf_printf(b, "%sunit=%lld", SEP, (long long)f->unit_id);
	if (f->leader_id)
		buf_printf(b, "%sleader=%lld", SEP, (long long)f->leader_id);
	if (f->review_due)
		buf_printf(b, "%sreview_due=1", SEP);
	if (f->overdue)
		buf_printf(b, "%soverdue=1", SEP);
	if (f->q && *f->q) {
		buf_printf(b, "%sq=", SEP);
		web_url_encode(b, f->q);
	}
	if (sort_override) {
		if (*sort_override)
			buf_printf(b, "%ssort=%s", SEP, sort_override);
	} else if (f->sort != TASK_SORT_SEQ || f->desc) {
		buf_printf(b, "%ssort=%s%s", SEP, f->desc ? "-" : "", task_sort_name(f->sort));
	}
	if (f->per_page != 50)
		buf_printf(b, "%sper_page=%d", SEP, f->per_page);
	if (page > 1)
		buf_printf(b, "%spage=%d", SEP, page);
#undef SEP
}

void tasks_filter_query(struct buf *b, const struct task_filter *f)
{
	struct task_filter c = *f;
	c.per_page = 50;
	filter_query(b, &c, -1, "");
}

static void cache_key(struct req *r, const char *kind, const struct task_filter *f, struct buf *k)
{
	const struct who *w = WHO(r);
	buf_printf(k, "%s|", kind);
	if (w->role == ROLE_HANDLER)
		buf_printf(k, "h%lld", (long long)w->unit_id);
	else
		buf_puts(k, "all");
	/* on the page, the roles with bulk actions see a checkbox per row */
	buf_printf(k, "|%s|%s|", strcmp(kind, "ledger") == 0 && bulk_actions(w->role) ? "pick" : "",
		   ACTX(r)->today_s);
	filter_query(k, f, f->page, NULL);
}

/* ---- the options of the filter form, per shape of the ledger --------------------------------- */

struct options {
	char shape[48];                 /* store_shape() when loaded */
	bool valid;
	struct ledger_opt *units, *leaders, *areas;
	size_t n_units, n_leaders, n_areas;
	struct arena arena;
};
static __thread struct options opts;

/* The memo is per thread; its arena goes when the thread does. */
static pthread_key_t opts_key;
static pthread_once_t opts_once = PTHREAD_ONCE_INIT;
static void opts_free(void *p)
{
	arena_release(&((struct options *)p)->arena);
}
static void opts_key_make(void)
{
	pthread_key_create(&opts_key, opts_free);
}

static void options_load(struct req *r)
{
	struct actx *a = ACTX(r);
	/* Units, leaders and areas change with the ledger's shape only, not
	 * with each write of progress. */
	char shape[sizeof opts.shape];
	bool known = store_shape(a->db, shape, sizeof shape, NULL) == RC_OK;
	if (known && opts.valid && strcmp(opts.shape, shape) == 0)
		return;
	pthread_once(&opts_once, opts_key_make);
	pthread_setspecific(opts_key, &opts);
	arena_release(&opts.arena);
	memset(&opts, 0, sizeof opts);
	struct unit_list ul = {0};
	if (store_unit_list(a->db, WHO(r), &ul, NULL) == RC_OK) {
		opts.units = arena_alloc(&opts.arena, (ul.n + 1) * sizeof *opts.units);
		for (size_t i = 0; i < ul.n; i++)
			opts.units[opts.n_units++] = (struct ledger_opt){
				ul.v[i].id, arena_strdup(&opts.arena, ul.v[i].name), ul.v[i].depth};
	}
	unit_list_release(&ul);
	struct user_list us = {0};
	if (store_user_list(a->db, WHO(r), &us, NULL) == RC_OK) {
		opts.leaders = arena_alloc(&opts.arena, (us.n + 1) * sizeof *opts.leaders);
		for (size_t i = 0; i < us.n; i++)
			if (us.v[i].role == ROLE_LEADER && us.v[i].active)
				opts.leaders[opts.n_leaders++] = (struct ledger_opt){
					us.v[i].id, arena_strdup(&opts.arena, us.v[i].name), 0};
	}
	user_list_release(&us);
	struct dashboard d = {0};
	if (store_dashboard(a->db, &(struct who){0, ROLE_OBSERVER, 0}, 0, a->today, &d, NULL) ==
	    RC_OK) {
		opts.areas = arena_alloc(&opts.arena, (d.n_areas + 1) * sizeof *opts.areas);
		for (size_t i = 0; i < d.n_areas; i++)
			if (d.areas[i].id)
				opts.areas[opts.n_areas++] = (struct ledger_opt){
					d.areas[i].id, arena_strdup(&opts.arena, d.areas[i].name), 0};
	}
	dashboard_release(&d);
	memcpy(opts.shape, shape, sizeof shape);
	opts.valid = known;
}

void ledger_names(struct req *r, const struct ledger_opt **units, size_t *n_units,
		  const struct ledger_opt **leaders, size_t *n_leaders)
{
	options_load(r);
	*units = opts.units;
	*n_units = opts.n_units;
	*leaders = opts.leaders;
	*n_leaders = opts.n_leaders;
}

static void select_opts(struct html *h, const char *name, const char *label, const struct ledger_opt *o,
			size_t n, int64_t sel)
{
	html_open(h, "label", NULL);
	html_text(h, label);
	html_open(h, "select", "name", name, NULL);
	html_elem(h, "option", "全部", "value", "", NULL);
	for (size_t i = 0; i < n; i++) {
		char id[24], text[300];
		snprintf(id, sizeof id, "%lld", (long long)o[i].id);
		int pad = o[i].depth > 6 ? 6 : o[i].depth;
		snprintf(text, sizeof text, "%.*s%s", pad * 3, "\u3000\u3000\u3000\u3000\u3000\u3000",
			 o[i].name);
		html_elem(h, "option", text, "value", id, "selected", o[i].id == sel ? "" : NULL,
			  NULL);
	}
	html_close(h, 2);
}

static void filter_form(struct req *r, struct html *h, const struct task_filter *f)
{
	char ml[24]; /* a maxlength */
	options_load(r);
	html_open(h, "form", "class", "filters", "method", "get", "action", "/tasks", "role",
		  "search", NULL);
	html_open(h, "label", NULL);
	html_text(h, "状态");
	html_open(h, "select", "name", "status", NULL);
	html_elem(h, "option", "全部", "value", "", NULL);
	for (int s = 0; s < TASK_STATUS__MAX; s++)
		html_elem(h, "option", task_status_name((enum task_status)s), "value",
			  task_status_key((enum task_status)s), "selected", f->status == s ? "" : NULL,
			  NULL);
	html_close(h, 2);
	html_open(h, "label", NULL);
	html_text(h, "灯");
	html_open(h, "select", "name", "light", NULL);
	html_elem(h, "option", "全部", "value", "", NULL);
	static const enum light ls[] = {LIGHT_RED, LIGHT_YELLOW, LIGHT_GREEN, LIGHT_GREY};
	for (size_t i = 0; i < ARRAY_LEN(ls); i++)
		html_elem(h, "option", light_name_zh(ls[i]), "value", light_name(ls[i]), "selected",
			  f->light == (int)ls[i] ? "" : NULL, NULL);
	html_elem(h, "option", "已销号（无灯）", "value", "none", "selected",
		  f->light == LIGHT_NONE ? "" : NULL, NULL);
	html_close(h, 2);
	select_opts(h, "area", "方面", opts.areas, opts.n_areas, f->area_id);
	select_opts(h, "unit", "责任单位", opts.units, opts.n_units, f->unit_id);
	select_opts(h, "leader", "责任领导", opts.leaders, opts.n_leaders, f->leader_id);
	html_open(h, "label", NULL);
	html_text(h, "关键词");
	html_open(h, "input", "type", "search", "name", "q", "value", f->q, "placeholder",
		  "问题、目标中的文字", "maxlength", page_maxlength(ml, STORE_SEARCH_MAX), NULL);
	html_close(h, 1);
	if (f->sort != TASK_SORT_SEQ || f->desc) {
		char s[40];
		snprintf(s, sizeof s, "%s%s", f->desc ? "-" : "", task_sort_name(f->sort));
		html_open(h, "input", "type", "hidden", "name", "sort", "value", s, NULL);
	}
	html_elem(h, "button", "查询", "type", "submit", "class", "btn", NULL);
	html_elem(h, "a", "重置", "href", "/tasks", "class", "btn ghost", NULL);
	html_close(h, 1);
	/* On paper the form is gone: say which tasks the table holds. */
	html_open(h, "p", "class", "print-only", NULL);
	html_lit(h, "筛选条件：");
	int n = 0;
	if (f->status >= 0) {
		html_printf(h, "%s状态 %s", n++ ? "；" : "", task_status_name((enum task_status)f->status));
	}
	if (f->light >= 0) {
		html_printf(h, "%s%s", n++ ? "；" : "",
			    f->light == LIGHT_NONE ? "已销号" : light_name_zh((enum light)f->light));
	}
	const struct {
		const char *label;
		const struct ledger_opt *o;
		size_t n;
		int64_t id;
	} named[] = {{"方面", opts.areas, opts.n_areas, f->area_id},
		     {"责任单位", opts.units, opts.n_units, f->unit_id},
		     {"责任领导", opts.leaders, opts.n_leaders, f->leader_id}};
	for (size_t k = 0; k < ARRAY_LEN(named); k++)
		for (size_t i = 0; named[k].id && i < named[k].n; i++)
			if (named[k].o[i].id == named[k].id) {
				html_printf(h, "%s%s ", n++ ? "；" : "", named[k].label);
				html_text(h, named[k].o[i].name);
			}
	if (f->q) {
		html_printf(h, "%s关键词“", n++ ? "；" : "");
		html_text(h, f->q);
		html_lit(h, "”");
	}
	if (!n)
		html_lit(h, "全部事项");
	html_close(h, 1);
}

static void sort_head(struct html *h, const struct task_filter *f, const char *label,
		      enum task_sort s, const char *cls)
{
	struct buf href = BUF_INIT(0);
	buf_puts(&href, "/tasks?");
	bool on = f->sort == s;
	char sv[40];
	snprintf(sv, sizeof sv, "%s%s", on && !f->desc ? "-" : "", task_sort_name(s));
	filter_query(&href, f, -1, sv);
	char c[64];
	snprintf(c, sizeof c, "%s%s", on ? "sorted" : "", on && f->desc ? " desc" : "");
	html_open(h, "th", "class", cls, "scope", "col", NULL);
	html_elem(h, "a", label, "href", href.p, "class", c[0] ? c : NULL, NULL);
	html_close(h, 1);
	buf_release(&href);
}

static void pager(struct html *h, const struct task_filter *f, int64_t total)
{
	int64_t pages = (total + f->per_page - 1) / f->per_page;
	html_open(h, "nav", "class", "pager", "aria-label", "分页", NULL);
	html_open(h, "span", "class", "info", NULL);
	html_printf(h, "共 %lld 项，第 %d / %lld 页", (long long)total, f->page,
		    (long long)(pages ? pages : 1));
	html_close(h, 1);
	if (pages <= 1) {
		html_close(h, 1);
		return;
	}
	int first = f->page - 3 < 1 ? 1 : f->page - 3;
	int last = f->page + 3 > pages ? (int)pages : f->page + 3;
	struct buf href = BUF_INIT(0);
	for (int p = 0; p <= last + 1; p++) {
		int target;
		const char *label = NULL;
		char num[16];
		if (p == 0) {
			if (f->page <= 1)
				continue;
			target = f->page - 1;
			label = "上一页";
		} else if (p == last + 1) {
			if (f->page >= pages)
				continue;
			target = f->page + 1;
			label = "下一页";
		} else {
			if (p < first)
				continue;
			target = p;
			snprintf(num, sizeof num, "%d", p);
			label = num;
		}
		if (target == f->page && p != 0 && p != last + 1) {
			html_elem(h, "span", label, "class", "cur", "aria-current", "page", NULL);
			continue;
		}
		buf_reset(&href);
		buf_puts(&href, "/tasks?");
		filter_query(&href, f, target, NULL);
		html_elem(h, "a", label, "href", href.p, NULL);
	}
	buf_release(&href);
	html_close(h, 1);
}

static void deadline_cell(struct html *h, enum deadline_kind k, int32_t day)
{
	char s[64];
	deadline_format(k, day, s, sizeof s);
	html_elem(h, "td", s[0] ? s : "未定", "class", s[0] ? "nowrap" : "nowrap muted", "data-label",
		  "整改时限", NULL);
}

/* The table and its pager: the cached part of the page. */
static enum rc ledger_body(struct req *r, struct html *h, const struct task_filter *f)
{
	bool pick = bulk_actions(WHO(r)->role) != 0;
	struct task_list l = {0};
	enum rc rc = store_task_list(ACTX(r)->db, WHO(r), f, ACTX(r)->today, &l, &r->err);
	if (rc != RC_OK) {
		task_list_release(&l);
		return rc;
	}
	filter_form(r, h, f);
	struct task_brief_list briefs = {0};
	if (l.n) {
		int64_t *ids = xcalloc(l.n, sizeof *ids);
		for (size_t i = 0; i < l.n; i++)
			ids[i] = l.rows[i].id;
		rc = store_task_briefs(ACTX(r)->db, WHO(r), ids, l.n, &briefs, &r->err);
		free(ids);
		if (rc != RC_OK) {
			task_list_release(&l);
			return rc;
		}
	}
	struct buf own = BUF_INIT(0);
	if (l.n == 0) {
		html_open(h, "div", "class", "card", NULL);
		html_elem(h, "p", l.total ? "这一页没有事项。" : "没有符合条件的整改事项。可以放宽筛选条件，或点“重置”查看全部。", "class",
			  "muted", NULL);
		html_close(h, 1);
	} else {
		html_open(h, "div", "class", "tablewrap", NULL);
		html_open(h, "table", "class", "ledger", NULL);
		html_open(h, "thead", NULL);
		html_open(h, "tr", NULL);
		if (pick) {
			html_open(h, "th", "scope", "col", "class", "pick", NULL);
			html_elem(h, "span", "选择", "class", "sr-only", NULL);
			html_close(h, 1);
		}
		sort_head(h, f, "序号", TASK_SORT_SEQ, "num");
		html_elem(h, "th", "灯", "scope", "col", NULL);
		html_elem(h, "th", "问题", "scope", "col", NULL);
		html_elem(h, "th", "整改措施", "scope", "col", "class", "print-col", NULL);
		sort_head(h, f, "责任领导", TASK_SORT_LEADER, NULL);
		sort_head(h, f, "责任单位", TASK_SORT_UNIT, NULL);
		sort_head(h, f, "整改时限", TASK_SORT_DEADLINE, NULL);
		sort_head(h, f, "状态", TASK_SORT_STATUS, NULL);
		sort_head(h, f, "最近进展", TASK_SORT_ACTIVITY, "screen-col");
		html_elem(h, "th", "进展情况", "scope", "col", "class", "print-col", NULL);
		html_close(h, 2);
		html_open(h, "tbody", NULL);
		for (size_t i = 0; i < l.n; i++) {
			const struct task_row *t = &l.rows[i];
			char href[40], seq[16], day[11];
			snprintf(href, sizeof href, "/tasks/%lld", (long long)t->id);
			snprintf(seq, sizeof seq, "%d", t->seq);
			html_open(h, "tr", NULL);
			if (pick) {
				html_open(h, "td", "class", "pick", NULL);
				bulk_checkbox(h, "bulk", t);
				html_close(h, 1);
			}
			html_elem(h, "td", seq, "class", "num", NULL);
			html_open(h, "td", "class", "lt", NULL);
			page_light(h, t->light);
			html_close(h, 1);
			html_open(h, "td", "class", "lead", NULL);
			html_elem(h, "a", t->lead, "href", href, NULL);
			if (t->area && *t->area) {
				html_lit(h, "<br>");
				html_elem(h, "span", t->area, "class", "area", NULL);
			}
			html_close(h, 1);
			const struct task_brief *br = &briefs.v[i];
			buf_reset(&own);
			export_task_measures(br->problem, br->measures, &own);
			html_elem(h, "td", own.p && *own.p ? own.p : "—", "class", "print-col pre", NULL);
			if (t->leader_name[0] || !t->leader_text[0]) {
				html_elem(h, "td", t->leader_name[0] ? t->leader_name : "—", "class",
					  "nowrap", "data-label", "责任领导", NULL);
			} else {
				/* A name an imported ledger gave, with no account yet. */
				html_open(h, "td", "class", "nowrap", "data-label", "责任领导", NULL);
				html_text(h, t->leader_text);
				html_elem(h, "span", "（未关联账号）", "class", "muted small", NULL);
				html_close(h, 1);
			}
			html_elem(h, "td", t->unit_name[0] ? t->unit_name : "—", "data-label", "责任单位",
				  NULL);
			deadline_cell(h, t->deadline_kind, t->deadline);
			html_open(h, "td", "class", "st-cell", NULL);
			page_status(h, t->status);
			html_close(h, 1);
			store_day_format(t->last_activity, day);
			html_open(h, "td", "class", "nowrap small screen-col", "data-label", "最近进展", NULL);
			html_text(h, t->n_progress ? day : "—");
			if (t->n_progress) {
				html_open(h, "span", "class", "muted", NULL);
				html_printf(h, "（%d 条）", t->n_progress);
				html_close(h, 1);
			}
			html_close(h, 1);
			html_open(h, "td", "class", "print-col", NULL);
			if (br->progress_day != STORE_NO_DAY) {
				store_day_format(br->progress_day, day);
				html_text(h, day);
				html_lit(h, " ");
				html_text(h, br->progress);
			} else {
				html_lit(h, "—");
			}
			html_close(h, 2);
		}
		html_close(h, 3);
	}
	pager(h, f, l.total);
	buf_release(&own);
	task_brief_list_release(&briefs);
	task_list_release(&l);
	return RC_OK;
}

/* The head of 台账: the title, and the downloads of what the table holds
 * (all the caller's tasks, or the filter's) and, for the office, the
 * import of a spreadsheet. */
static void ledger_head(struct req *r, struct html *h, const struct task_filter *f)
{
	bool narrowed = tasks_filter_narrows(f);
	html_open(h, "div", "class", "task-head ledger-head", NULL);
	html_elem(h, "h1", "整改台账", NULL);
	html_open(h, "div", "class", "downloads", NULL);
	if (WHO(r)->role == ROLE_ADMIN)
		html_elem(h, "a", "导入台账", "href", "/tasks/import", "class", "btn ghost import",
			  NULL);
	struct buf href = BUF_INIT(0);
	static const struct {
		const char *format, *all, *some;
	} kinds[] = {{"xlsx", "导出全部（Excel）", "导出筛选结果（Excel）"},
		     {"csv", "导出全部（CSV）", "导出筛选结果（CSV）"}};
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		buf_reset(&href);
		buf_printf(&href, "/export/ledger?format=%s", kinds[i].format);
		if (narrowed) {
			buf_putc(&href, '&');
			filter_query(&href, f, -1, "");
		}
		html_elem(h, "a", narrowed ? kinds[i].some : kinds[i].all, "href", href.p, "class",
			  i == 0 ? "btn download" : "btn ghost download", "download", "", "title",
			  narrowed ? "按当前筛选条件导出，按序号排列"
				   : i == 0 ? "整改台账、承诺事项、汇总、状态变更四张工作表"
					    : "整改台账一张表，UTF-8 编码，Excel 和 WPS 可直接打开",
			  NULL);
	}
	if (narrowed)
		html_elem(h, "a", "导出全部", "href", "/export/ledger?format=xlsx", "class",
			  "download-all", "download", "", NULL);
	buf_release(&href);
	html_close(h, 2);
}

/* The flash after an import (?ok=ledger&n=N). */
static void ledger_flash(struct req *r, struct html *h)
{
	bulk_flash(r, h);
	const char *ok = web_query(r, "ok");
	if (!ok || strcmp(ok, "ledger") != 0)
		return;
	int64_t n = 0;
	if (web_arg_int(r, "n", 0, 1000000, 0, &n) != RC_OK)
		err_clear(&r->err);
	html_open(h, "div", "class", "flash ok", "role", "status", NULL);
	html_printf(h, "台账已导入，生成了 %lld 项整改事项。", (long long)n);
	html_close(h, 1);
}

/*
 * GET /tasks.  Two cache levels: the whole page per session (its chrome
 * holds the user's name, 待办 and CSRF token) and, below it, the table per
 * scope, shared by every user who sees the same ledger.  Both at the same
 * generation, so a commit invalidates both.
 */
enum rc page_tasks(struct req *r, struct html *h)
{
	struct task_filter f;
	enum rc rc = tasks_filter_parse(r, &f);
	if (rc != RC_OK)
		return rc;
	uint64_t gen = app_gen(r);
	struct buf key = BUF_INIT(0), pkey = BUF_INIT(0);
	cache_key(r, "ledger", &f, &key);
	/* The chrome's 消息 count may change without a change of the ledger
	 * (a notification read, the day's reminders): it is part of the key. */
	buf_printf(&pkey, "page|%s|%d|%s", SESS(r)->token, app_unread_count(r), key.p);
	/* A page with a flash is drawn for once, never cached. */
	bool once = web_query(r, "ok") != NULL;
	struct blob *page = once ? NULL : cache_get(pkey.p, gen);
	if (page) {
		blob_splice(r, page);
		r->resp.ctype = "text/html; charset=utf-8";
		goto out;
	}
	struct blob *frag = cache_get(key.p, gen);
	if (!frag) {
		struct buf b = BUF_INIT(0);
		struct html sub;
		html_init(&sub, &b);
		rc = ledger_body(r, &sub, &f);
		if (rc == RC_OK) {
			frag = html_frag_take(&sub);
			if (frag)
				cache_put(key.p, gen, frag);
			else
				rc = ERR(&r->err, RC_INTERNAL, "ledger fragment");
		}
		if (rc != RC_OK)
			cache_abandon(key.p, gen);
		buf_release(&b);
	}
	if (rc != RC_OK) {
		if (!once)
			cache_abandon(pkey.p, gen);
		goto out;
	}
	page_begin(r, h, "整改台账", NAV_TASKS);
	ledger_head(r, h, &f);
	ledger_flash(r, h);
	html_frag_put(h, frag);
	blob_unref(frag);
	if (bulk_actions(WHO(r)->role)) {
		/* The form the rows' checkboxes name; the number of tasks the
		 * filter matches comes from the store's memo of totals. */
		struct task_filter c = f;
		c.page = 1;
		c.per_page = 1;
		struct task_list l = {0};
		rc = store_task_list(ACTX(r)->db, WHO(r), &c, ACTX(r)->today, &l, &r->err);
		if (rc == RC_OK)
			bulk_ledger_form(r, h, &f, l.total);
		task_list_release(&l);
		if (rc != RC_OK) {
			if (!once)
				cache_abandon(pkey.p, gen);
			goto out;
		}
	}
	page_end(r, h);
	if (once)
		goto out;
	if (h->err != RC_OK || h->b->err != RC_OK) {
		cache_abandon(pkey.p, gen);
		goto out; /* the router reports it */
	}
	page = blob_new(h->b->p, h->b->len);
	cache_put(pkey.p, gen, page);
	buf_reset(h->b);
	blob_splice(r, page);
out:
	buf_release(&key);
	buf_release(&pkey);
	return rc;
}

/* ---- the API ------------------------------------------------------------------------------ */

/* A page of the task list as JSON (export_json_task_list,
 * docs/LEDGER-JSON.md): the same bytes as `rectify task list --json`. */
static enum rc tasks_json(struct req *r, const struct task_filter *f, struct buf *b)
{
	struct task_list l = {0};
	enum rc rc = store_task_list(ACTX(r)->db, WHO(r), f, ACTX(r)->today, &l, &r->err);
	if (rc == RC_OK)
		export_json_task_list(b, &l, f);
	task_list_release(&l);
	return rc != RC_OK ? rc : b->err;
}

enum rc api_tasks(struct req *r)
{
	struct task_filter f;
	enum rc rc = tasks_filter_parse(r, &f);
	if (rc != RC_OK)
		return rc;
	uint64_t gen = app_gen(r);
	struct buf key = BUF_INIT(0);
	cache_key(r, "api-tasks", &f, &key);
	struct blob *v = cache_get(key.p, gen);
	if (!v) {
		struct buf b = BUF_INIT(0);
		rc = tasks_json(r, &f, &b);
		if (rc == RC_OK) {
			v = blob_new(b.p, b.len);
			cache_put(key.p, gen, v);
		} else {
			cache_abandon(key.p, gen);
		}
		buf_release(&b);
	}
	buf_release(&key);
	if (rc != RC_OK)
		return rc;
	blob_splice(r, v);
	r->resp.ctype = "application/json; charset=utf-8";
	return RC_OK;
}
