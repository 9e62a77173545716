/*
 * page_bulk.c -- bulk actions on tasks: the checkboxes of 台账 and of the
 * dashboard's overdue and yellow lists, their confirmation page, the apply
 * step, and POST /api/v1/tasks/bulk.
 *
 * Three requests, no script needed:
 *   1. 台账 (or the dashboard) posts the ticked tasks -- each checkbox's
 *      value is "ID:VERSION", the version the user saw -- or "all of this
 *      filter" with the filter in the query, and the action, to
 *      POST /tasks/bulk/confirm;
 *   2. that page runs the action with check_only (store_task_bulk) and
 *      says what will happen to how many tasks, listing them, or names
 *      the tasks that stop it; its form carries the set as confirmed in one
 *      field ("ID:VERSION ID:VERSION …") and, for "all of this filter", the
 *      filter again;
 *   3. POST /tasks/bulk applies it in one transaction, or answers with the
 *      tasks that changed or were refused (nothing applied).
 * The checkboxes live in cached fragments shared by everyone of a scope
 * and role; they name their form with the form attribute, and the form
 * itself, which holds the session's CSRF token, is drawn outside.
 * Who may do what is the store's: the actions offered come from task_may().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

_Static_assert(TASK_BULK_MAX + WEB_MAX_FIELDS <= WEB_MAX_LIST_FIELDS,
	       "a bulk form holds a checkbox per task besides its own fields");

/* ---- the actions ------------------------------------------------------------------ */

enum bulk_kind { BK_LEADER, BK_UNIT, BK_DEADLINE, BK_URGE, BK_ASSIGN, BK__MAX };

static const struct {
	const char *key;        /* the form's and the API's "action" */
	const char *label;      /* offered on 台账; NULL: the API's only */
	const char *done;       /* the flash after it, %d the number of tasks */
	enum task_action act;
} kinds[BK__MAX] = {
	[BK_LEADER] = {"leader", "指定责任领导", "已为 %d 项事项指定责任领导。", TACT_ASSIGN},
	[BK_UNIT] = {"unit", "指定责任单位", "已为 %d 项事项指定责任单位。", TACT_ASSIGN},
	[BK_DEADLINE] = {"deadline", "设定整改时限", "已为 %d 项事项设定整改时限。", TACT_ASSIGN},
	[BK_URGE] = {"urge", "催办", "已催办 %d 项事项，责任领导和承办人会收到提醒。", TACT_URGE},
	[BK_ASSIGN] = {"assign", NULL, "已为 %d 项事项保存交办信息。", TACT_ASSIGN},
};

static int kind_parse(const char *s, bool api)
{
	for (int k = 0; s && k < BK__MAX; k++)
		if (strcmp(s, kinds[k].key) == 0 && (api || kinds[k].label))
			return k;
	return -1;
}

unsigned bulk_actions(enum role role)
{
	struct who w = {0, role, 0};
	struct task_facts f = {0};
	f.status = TASK_IN_PROGRESS;
	unsigned m = 0;
	for (int k = 0; k < BK__MAX; k++)
		if (kinds[k].label && task_may(&w, &f, kinds[k].act, NULL) == RC_OK)
			m |= 1u << k;
	return m;
}

bool bulk_may_urge(enum role role, enum task_status s)
{
	struct who w = {0, role, 0};
	struct task_facts f = {0};
	f.status = s;
	return task_may(&w, &f, TACT_URGE, NULL) == RC_OK;
}

void bulk_checkbox(struct html *h, const char *form, const struct task_row *t)
{
	char v[48], label[48];
	snprintf(v, sizeof v, "%lld:%lld", (long long)t->id, (long long)t->version);
	snprintf(label, sizeof label, "选择第 %d 项", t->seq);
	html_open(h, "label", "class", "pick", NULL);
	html_open(h, "input", "type", "checkbox", "name", "task", "value", v, "form", form, NULL);
	html_elem(h, "span", label, "class", "sr-only", NULL);
	html_close(h, 1);
}

void bulk_flash(struct req *r, struct html *h)
{
	const char *ok = web_query(r, "ok");
	if (!ok || strcmp(ok, "bulk") != 0)
		return;
	int k = kind_parse(web_query(r, "act"), true);
	int64_t n = 0;
	if (k < 0 || web_arg_int(r, "n", 1, TASK_BULK_MAX, 1, &n) != RC_OK) {
		err_clear(&r->err);
		return;
	}
	char msg[160];
	snprintf(msg, sizeof msg, kinds[k].done, (int)n);
	html_elem(h, "div", msg, "class", "flash ok", "role", "status", NULL);
}

/* ---- a request's action and tasks ------------------------------------------------- */

struct bulk_req {
	enum bulk_kind kind;
	struct task_bulk b;
	VEC(struct task_ref) refs;
	struct task_filter f;           /* scope=all: the filter of 台账 */
	bool all, home;
	char what[400];                 /* "指定责任领导：张三" */
};

static void bulk_req_release(struct bulk_req *q)
{
	VEC_FREE(q->refs);
}

/* "ID:VERSION" */
static bool ref_parse(const char *s, const char **end, struct task_ref *out)
{
	char *e;
	long long id = strtoll(s, &e, 10);
	if (e == s || *e != ':' || id <= 0)
		return false;
	const char *v = e + 1;
	long long ver = strtoll(v, &e, 10);
	if (e == v || ver <= 0)
		return false;
	out->id = id;
	out->version = ver;
	*end = e;
	return true;
}

static enum rc ref_add(struct req *r, struct bulk_req *q, struct task_ref ref)
{
	if (q->refs.n >= TASK_BULK_MAX)
		return ERR(&r->err, RC_TOOBIG, "一次批量操作最多 %d 项事项，请分批进行。", TASK_BULK_MAX);
	*VEC_PUSH(q->refs) = ref;
	return RC_OK;
}

/* The ticked boxes ("task", one each) and the confirmed set ("tasks"). */
static enum rc refs_from_form(struct req *r, struct bulk_req *q)
{
	for (size_t i = 0; i < r->form.n; i++) {
		const struct web_kv *kv = &r->form.v[i];
		bool one = strcmp(kv->key, "task") == 0;
		if (!one && strcmp(kv->key, "tasks") != 0)
			continue;
		if (strlen(kv->val) != kv->len)
			return ERR(&r->err, RC_INVALID, "所选事项的编号无效，请回到台账重新勾选。");
		const char *p = kv->val;
		while (*p == ' ')
			p++;
		while (*p) {
			struct task_ref ref;
			const char *end;
			if (!ref_parse(p, &end, &ref) || (*end && *end != ' ') || (one && *end))
				return ERR(&r->err, RC_INVALID, "所选事项的编号无效，请回到台账重新勾选。");
			enum rc rc = ref_add(r, q, ref);
			if (rc != RC_OK)
				return rc;
			p = end;
			while (*p == ' ')
				p++;
		}
	}
	return RC_OK;
}

/* The name of a leader or unit, for the confirmation's sentence. */
static void name_of(struct req *r, bool leader, int64_t id, char *out, size_t n)
{
	snprintf(out, n, "（编号 %lld）", (long long)id);
	if (leader) {
		struct user_list l = {0};
		if (store_user_list(ACTX(r)->db, WHO(r), &l, NULL) == RC_OK)
			for (size_t i = 0; i < l.n; i++)
				if (l.v[i].id == id)
					snprintf(out, n, "%s", l.v[i].name);
		user_list_release(&l);
	} else {
		struct unit_list l = {0};
		if (store_unit_list(ACTX(r)->db, WHO(r), &l, NULL) == RC_OK)
			for (size_t i = 0; i < l.n; i++)
				if (l.v[i].id == id)
					snprintf(out, n, "%s", l.v[i].name);
		unit_list_release(&l);
	}
}

/*
 * The action and its argument, from a form or a JSON body: leader, unit
 * (ids), deadline (as people write it), message.  The form offers one
 * assignment at a time; the API's "assign" may set leader and unit
 * together.
 */
static enum rc params_parse(struct req *r, struct bulk_req *q)
{
	bool api = r->json != NULL;
	const char *action = NULL, *deadline = NULL, *message = NULL;
	int64_t leader = 0, unit = 0;
	if (api) {
		json_t *j = json_object_get(r->json, "action");
		action = json_is_string(j) ? json_string_value(j) : NULL;
		j = json_object_get(r->json, "leader");
		leader = json_is_integer(j) ? json_integer_value(j) : 0;
		j = json_object_get(r->json, "unit");
		unit = json_is_integer(j) ? json_integer_value(j) : 0;
		j = json_object_get(r->json, "deadline");
		deadline = json_is_string(j) ? json_string_value(j) : NULL;
		j = json_object_get(r->json, "message");
		message = json_is_string(j) ? json_string_value(j) : NULL;
		if (leader < 0 || unit < 0)
			return ERR(&r->err, RC_INVALID, "leader 和 unit 应为正整数编号。");
	} else {
		action = web_form(r, "action");
		/* not "leader" and "unit": those are the filter's, in the query */
		if (web_arg_int(r, "set_leader", 0, INT64_MAX / 2, 0, &leader) != RC_OK ||
		    web_arg_int(r, "set_unit", 0, INT64_MAX / 2, 0, &unit) != RC_OK)
			return RC_INVALID;
		deadline = web_form(r, "deadline");
		message = web_form(r, "message");
		const char *from = web_form(r, "from");
		q->home = from && strcmp(from, "home") == 0;
	}
	int k = kind_parse(action, api);
	if (k < 0)
		return ERR(&r->err, RC_INVALID, "请选择要进行的批量操作。");
	q->kind = (enum bulk_kind)k;
	q->b.action = kinds[k].act;
	struct task_assign *a = &q->b.assign;
	char name[200];
	switch (q->kind) {
	case BK_LEADER:
	case BK_UNIT:
	case BK_ASSIGN:
		if (q->kind != BK_UNIT)
			a->leader_id = leader;
		if (q->kind != BK_LEADER)
			a->unit_id = unit;
		if (!a->leader_id && !a->unit_id)
			return ERR(&r->err, RC_INVALID, q->kind == BK_UNIT ? "请选择责任单位。"
									 : "请选择责任领导。");
		size_t n = 0;
		if (a->leader_id) {
			name_of(r, true, a->leader_id, name, sizeof name);
			n += (size_t)snprintf(q->what + n, sizeof q->what - n, "指定责任领导：%s", name);
		}
		if (a->unit_id) {
			name_of(r, false, a->unit_id, name, sizeof name);
			snprintf(q->what + n, sizeof q->what - n, "%s指定责任单位：%s", n ? "；" : "",
				 name);
		}
		break;
	case BK_DEADLINE:
		if (!deadline || !*deadline)
			return ERR(&r->err, RC_INVALID, "请填写整改时限。");
		if (deadline_parse(deadline, &a->deadline_kind, &a->deadline) != 0 ||
		    a->deadline_kind == DEADLINE_NONE)
			return ERR(&r->err, RC_INVALID,
				   "无法识别的整改时限：%.60s（应为 2024-06-30、长期坚持或立行立改）",
				   deadline);
		deadline_format(a->deadline_kind, a->deadline, name, sizeof name);
		snprintf(q->what, sizeof q->what, "设定整改时限：%s", name);
		break;
	case BK_URGE:
		q->b.message = message;
		snprintf(q->what, sizeof q->what, "催办");
		break;
	case BK__MAX:
		break;
	}
	return RC_OK;
}

/* The tasks of an API request: [{"id": …, "version": …}, …]. */
static enum rc refs_from_json(struct req *r, struct bulk_req *q)
{
	json_t *arr = json_object_get(r->json, "tasks");
	if (!json_is_array(arr))
		return ERR(&r->err, RC_INVALID, "tasks 应为 [{\"id\": …, \"version\": …}] 形式的数组。");
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		json_t *id = json_object_get(v, "id"), *ver = json_object_get(v, "version");
		if (!json_is_integer(id) || !json_is_integer(ver) || json_integer_value(id) <= 0 ||
		    json_integer_value(ver) <= 0)
			return ERR(&r->err, RC_INVALID, "tasks[%zu] 应有正整数 id 和 version。", i);
		enum rc rc = ref_add(r, q, (struct task_ref){json_integer_value(id),
							     json_integer_value(ver)});
		if (rc != RC_OK)
			return rc;
	}
	return RC_OK;
}

/* Action and tasks of a form: the ticked boxes or the confirmed set, or
 * (scope=all) the tasks the query's filter matches now (confirm) or the
 * confirmed set that must still be exactly those (apply). */
static enum rc form_parse(struct req *r, struct bulk_req *q, bool confirm)
{
	enum rc rc = params_parse(r, q);
	if (rc != RC_OK)
		return rc;
	const char *scope = web_form(r, "scope");
	q->all = scope && strcmp(scope, "all") == 0;
	if (q->all) {
		if ((rc = tasks_filter_parse(r, &q->f)) != RC_OK)
			return rc;
		q->f.page = 1;
		q->f.per_page = TASK_BULK_MAX;
		q->b.filter = &q->f;
	}
	if (q->all && confirm) {
		struct task_list l = {0};
		rc = store_task_list(ACTX(r)->db, WHO(r), &q->f, ACTX(r)->today, &l, &r->err);
		if (rc == RC_OK && l.total > TASK_BULK_MAX)
			rc = ERR(&r->err, RC_TOOBIG,
				 "当前筛选条件下有 %lld 项事项，一次批量操作最多 %d 项：请缩小筛选范围，或分批勾选。",
				 (long long)l.total, TASK_BULK_MAX);
		for (size_t i = 0; rc == RC_OK && i < l.n; i++)
			rc = ref_add(r, q, (struct task_ref){l.rows[i].id, l.rows[i].version});
		task_list_release(&l);
		if (rc != RC_OK)
			return rc;
		if (!q->refs.n)
			return ERR(&r->err, RC_INVALID, "当前筛选条件下没有事项。");
	} else {
		if ((rc = refs_from_form(r, q)) != RC_OK)
			return rc;
		if (!q->refs.n)
			return ERR(&r->err, RC_INVALID, "请先勾选要操作的事项。");
	}
	q->b.tasks = q->refs.v;
	q->b.n = q->refs.n;
	return RC_OK;
}

/* ---- the pages ---------------------------------------------------------------------- */

/* Where the user came from: the dashboard, or 台账 with its filter. */
static void back_href(struct req *r, const struct bulk_req *q, struct buf *b)
{
	if (q->home) {
		buf_puts(b, "/");
		return;
	}
	buf_puts(b, "/tasks");
	struct task_filter f;
	if (tasks_filter_parse(r, &f) == RC_OK && tasks_filter_narrows(&f)) {
		buf_putc(b, '?');
		tasks_filter_query(b, &f);
	}
	err_clear(&r->err);
}

static void items_table(struct html *h, const struct task_bulk_result *res, bool bad_only)
{
	html_open(h, "div", "class", "tablewrap", NULL);
	html_open(h, "table", "class", "bulk-list", NULL);
	html_open(h, "thead", NULL);
	html_open(h, "tr", NULL);
	html_elem(h, "th", "序号", "scope", "col", "class", "num", NULL);
	html_elem(h, "th", "问题", "scope", "col", NULL);
	html_elem(h, "th", bad_only ? "原因" : "状态", "scope", "col", NULL);
	html_close(h, 2);
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < res->n; i++) {
		const struct task_bulk_item *it = &res->v[i];
		if (bad_only && it->rc == RC_OK)
			continue;
		char seq[16], href[40];
		html_open(h, "tr", NULL);
		if (it->seq) {
			snprintf(seq, sizeof seq, "%d", it->seq);
			snprintf(href, sizeof href, "/tasks/%lld", (long long)it->id);
			html_elem(h, "td", seq, "class", "num", NULL);
			html_open(h, "td", NULL);
			html_elem(h, "a", it->lead, "href", href, NULL);
			html_close(h, 1);
		} else {
			html_elem(h, "td", "—", "class", "num", NULL);
			html_elem(h, "td", "（没有找到，或者您无权查看）", "class", "muted", NULL);
		}
		if (!bad_only) {
			html_open(h, "td", NULL);
			page_status(h, it->status);
			html_close(h, 1);
		} else {
			const char *why;
			if (it->code && strcmp(it->code, STORE_E_STALE) == 0)
				why = it->confirmed ? "在您查看之后已被他人修改，或已不符合筛选条件"
						    : "在您确认之后新符合了筛选条件";
			else
				why = app_explain_code(it->code);
			html_elem(h, "td", why ? why : it->msg, NULL);
		}
		html_close(h, 1);
	}
	html_close(h, 3);
}

/* The answer when tasks stopped the action: what and which, nothing done. */
static void refusal_page(struct req *r, struct html *h, const struct bulk_req *q,
			 const struct task_bulk_result *res, enum rc rc)
{
	page_begin(r, h, "批量操作未执行", NAV_TASKS);
	html_elem(h, "h1", "批量操作未执行", NULL);
	html_open(h, "div", "class", "flash err", "role", "alert", NULL);
	bool stale = r->err.code && strcmp(r->err.code, STORE_E_STALE) == 0;
	html_printf(h, "没有对任何事项%s：下列 %zu 项事项%s。", q->what, res->n_bad,
		    stale ? "在您查看之后有了变化，请刷新后重新选择" : "不能进行这项操作");
	html_close(h, 1);
	items_table(h, res, true);
	struct buf back = BUF_INIT(0);
	back_href(r, q, &back);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "a", q->home ? "返回总览" : "返回台账重新选择", "href", back.p, "class", "btn",
		  NULL);
	html_close(h, 1);
	buf_release(&back);
	page_end(r, h);
	r->resp.status = rc_http_status(rc);
}

static void hidden(struct html *h, const char *name, const char *value)
{
	html_open(h, "input", "type", "hidden", "name", name, "value", value, NULL);
}

/* POST /tasks/bulk/confirm: what will happen to which tasks, and the one
 * button that does it. */
enum rc form_bulk_confirm(struct req *r, struct html *h)
{
	struct bulk_req q = {0};
	enum rc rc = form_parse(r, &q, true);
	if (rc != RC_OK) {
		bulk_req_release(&q);
		return rc;
	}
	q.b.check_only = 1;
	struct task_bulk_result res;
	struct actx *a = ACTX(r);
	rc = store_task_bulk(a->db, WHO(r), &q.b, a->today, &res, &r->err);
	if (rc != RC_OK && res.n_bad) {
		refusal_page(r, h, &q, &res, rc);
		rc = RC_OK;
		goto out;
	}
	if (rc != RC_OK)
		goto out;
	page_begin(r, h, "确认批量操作", NAV_TASKS);
	html_elem(h, "h1", "确认批量操作", NULL);
	html_open(h, "p", "class", "bulk-summary", NULL);
	if (q.all) {
		struct buf f = BUF_INIT(0);
		buf_puts(&f, "/tasks");
		if (tasks_filter_narrows(&q.f)) {
			buf_putc(&f, '?');
			tasks_filter_query(&f, &q.f);
		}
		html_lit(h, "将对");
		html_elem(h, "a", "当前筛选条件", "href", f.p, NULL);
		html_printf(h, "下的全部 %zu 项事项", res.n);
		buf_release(&f);
	} else {
		html_printf(h, "将对勾选的 %zu 项事项", res.n);
	}
	html_lit(h, "进行“");
	html_text(h, q.what);
	html_lit(h, "”。每项事项各记一条审计记录和办理记录");
	if (q.kind == BK_URGE || q.b.assign.leader_id || q.b.assign.unit_id)
		html_lit(h, "，并通知相关责任领导和承办人");
	html_lit(h, "。");
	html_close(h, 1);
	items_table(h, &res, false);
	struct buf act = BUF_INIT(0), back = BUF_INIT(0);
	buf_puts(&act, "/tasks/bulk");
	if (q.all) {
		buf_putc(&act, '?');
		tasks_filter_query(&act, &q.f);
	}
	html_open(h, "form", "method", "post", "action", act.p, "class", "card bulk-confirm", NULL);
	page_csrf(r, h);
	hidden(h, "action", kinds[q.kind].key);
	char num[24];
	if (q.b.assign.leader_id) {
		snprintf(num, sizeof num, "%lld", (long long)q.b.assign.leader_id);
		hidden(h, "set_leader", num);
	}
	if (q.b.assign.unit_id) {
		snprintf(num, sizeof num, "%lld", (long long)q.b.assign.unit_id);
		hidden(h, "set_unit", num);
	}
	if (q.kind == BK_DEADLINE)
		hidden(h, "deadline", web_form(r, "deadline"));
	if (q.all)
		hidden(h, "scope", "all");
	if (q.home)
		hidden(h, "from", "home");
	struct buf set = BUF_INIT(0);
	for (size_t i = 0; i < res.n; i++)
		buf_printf(&set, "%s%lld:%lld", i ? " " : "", (long long)res.v[i].id,
			   (long long)q.refs.v[i].version);
	hidden(h, "tasks", set.p);
	buf_release(&set);
	if (q.kind == BK_URGE) {
		html_open(h, "div", "class", "form-row", NULL);
		html_elem(h, "label", "催办事项（可选）", "for", "bulk-message", NULL);
		char ml[24];
		html_open(h, "textarea", "id", "bulk-message", "name", "message", "maxlength",
			  page_maxlength(ml, STORE_NOTE_MAX), "rows", "3", NULL);
		html_text(h, q.b.message ? q.b.message : "");
		html_close(h, 1);
		html_elem(h, "div", "责任领导和承办人会收到提醒；在他们报送进展前，事项页顶部一直显示催办。",
			  "class", "hint", NULL);
		html_close(h, 1);
	}
	char button[64];
	snprintf(button, sizeof button, "确认%s（%zu 项）", kinds[q.kind].label ? kinds[q.kind].label : "交办", res.n);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "button", button, "type", "submit", "class",
		  q.kind == BK_URGE ? "btn warn" : "btn", NULL);
	html_lit(h, " ");
	back_href(r, &q, &back);
	html_elem(h, "a", "取消", "href", back.p, "class", "btn ghost", NULL);
	html_close(h, 2);
	buf_release(&act);
	buf_release(&back);
	page_end(r, h);
out:
	task_bulk_result_release(&res);
	bulk_req_release(&q);
	return rc;
}

/* POST /tasks/bulk: apply the confirmed action, all or nothing. */
enum rc form_bulk_apply(struct req *r, struct html *h)
{
	struct bulk_req q = {0};
	enum rc rc = form_parse(r, &q, false);
	if (rc != RC_OK) {
		bulk_req_release(&q);
		return rc;
	}
	struct task_bulk_result res;
	struct actx *a = ACTX(r);
	rc = store_task_bulk(a->db, WHO(r), &q.b, a->today, &res, &r->err);
	if (rc != RC_OK && res.n_bad) {
		refusal_page(r, h, &q, &res, rc);
		rc = RC_OK;
	} else if (rc == RC_OK) {
		struct buf to = BUF_INIT(0);
		back_href(r, &q, &to);
		buf_printf(&to, "%sok=bulk&act=%s&n=%zu", strchr(to.p, '?') ? "&" : "?",
			   kinds[q.kind].key, res.n);
		web_redirect(r, "%s", to.p);
		buf_release(&to);
	}
	task_bulk_result_release(&res);
	bulk_req_release(&q);
	return rc;
}

/* POST /api/v1/tasks/bulk: {"action", "tasks": [{"id", "version"}], …} →
 * {"done": N, "tasks": [{"id", "seq", "version"}]}; when tasks stop it,
 * the error's status and shape with "tasks": [{"id", "seq", "code",
 * "message"}] naming them. */
enum rc api_tasks_bulk(struct req *r, json_t **out)
{
	struct bulk_req q = {0};
	enum rc rc = params_parse(r, &q);
	if (rc == RC_OK)
		rc = refs_from_json(r, &q);
	if (rc != RC_OK) {
		bulk_req_release(&q);
		return rc;
	}
	q.b.tasks = q.refs.v;
	q.b.n = q.refs.n;
	struct task_bulk_result res;
	struct actx *a = ACTX(r);
	rc = store_task_bulk(a->db, WHO(r), &q.b, a->today, &res, &r->err);
	json_t *tasks = json_array();
	for (size_t i = 0; i < res.n; i++) {
		const struct task_bulk_item *it = &res.v[i];
		if (rc == RC_OK)
			json_array_append_new(tasks, json_pack("{s:I, s:i, s:I}", "id", (json_int_t)it->id,
							       "seq", it->seq, "version",
							       (json_int_t)it->version));
		else if (it->rc != RC_OK)
			json_array_append_new(tasks, json_pack("{s:I, s:i, s:s*, s:s}", "id",
							       (json_int_t)it->id, "seq", it->seq,
							       "code", it->code, "message", it->msg));
	}
	if (rc == RC_OK) {
		*out = json_pack("{s:i, s:o}", "done", (int)res.n, "tasks", tasks);
	} else if (res.n_bad) {
		const char *zh = app_explain_code(r->err.code);
		*out = json_pack("{s:s, s:s*, s:s, s:o}", "error", rc_name(rc), "code", r->err.code,
				 "message", zh ? zh : r->err.msg, "tasks", tasks);
		r->resp.status = rc_http_status(rc);
		err_clear(&r->err);
		rc = RC_OK;
	} else {
		json_decref(tasks);
	}
	task_bulk_result_release(&res);
	bulk_req_release(&q);
	if (rc == RC_OK && !*out)
		return ERR(&r->err, RC_INTERNAL, "bulk answer");
	return rc;
}

/* ---- the forms on 台账 and the dashboard ------------------------------------------- */

static void select_named(struct req *r, struct html *h, bool leader)
{
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", leader ? "责任领导（指定责任领导时）" : "责任单位（指定责任单位时）", "for",
		  leader ? "bulk-leader" : "bulk-unit", NULL);
	html_open(h, "select", "id", leader ? "bulk-leader" : "bulk-unit", "name",
		  leader ? "set_leader" : "set_unit", NULL);
	html_elem(h, "option", "（请选择）", "value", "", NULL);
	const struct ledger_opt *units, *leaders;
	size_t n_units, n_leaders;
	ledger_names(r, &units, &n_units, &leaders, &n_leaders);
	const struct ledger_opt *o = leader ? leaders : units;
	size_t n = leader ? n_leaders : n_units;
	char id[24];
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)o[i].id);
		html_elem(h, "option", o[i].name, "value", id, NULL);
	}
	html_close(h, 2);
}

void bulk_ledger_form(struct req *r, struct html *h, const struct task_filter *f, int64_t total)
{
	unsigned may = bulk_actions(WHO(r)->role);
	if (!may || !total)
		return;
	struct buf act = BUF_INIT(0);
	buf_puts(&act, "/tasks/bulk/confirm");
	if (tasks_filter_narrows(f)) {
		buf_putc(&act, '?');
		tasks_filter_query(&act, f);
	}
	html_open(h, "form", "id", "bulk", "method", "post", "action", act.p, "class",
		  "card bulk noprint", "aria-labelledby", "bulk-title", NULL);
	buf_release(&act);
	html_elem(h, "h2", "批量操作", "id", "bulk-title", NULL);
	page_csrf(r, h);
	html_open(h, "fieldset", NULL);
	html_elem(h, "legend", "对哪些事项", NULL);
	html_open(h, "label", "class", "inline", NULL);
	html_open(h, "input", "type", "radio", "name", "scope", "value", "selected", "checked", "",
		  NULL);
	html_text(h, "表中勾选的事项");
	html_close(h, 1);
	char all[160];
	bool over = total > TASK_BULK_MAX;
	if (over)
		snprintf(all, sizeof all, "当前筛选条件下的全部 %lld 项（超过单次上限 %d 项，请缩小筛选范围）",
			 (long long)total, TASK_BULK_MAX);
	else
		snprintf(all, sizeof all, "当前筛选条件下的全部 %lld 项（含其他页）", (long long)total);
	html_open(h, "label", "class", "inline", NULL);
	html_open(h, "input", "type", "radio", "name", "scope", "value", "all", "disabled",
		  over ? "" : NULL, NULL);
	html_text(h, all);
	html_close(h, 2);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "操作", "for", "bulk-action", NULL);
	html_open(h, "select", "id", "bulk-action", "name", "action", NULL);
	for (int k = 0; k < BK__MAX; k++)
		if (may & (1u << k))
			html_elem(h, "option", kinds[k].label, "value", kinds[k].key, NULL);
	html_close(h, 2);
	if (may & (1u << BK_LEADER))
		select_named(r, h, true);
	if (may & (1u << BK_UNIT))
		select_named(r, h, false);
	if (may & (1u << BK_DEADLINE)) {
		html_open(h, "div", "class", "form-row", NULL);
		html_elem(h, "label", "整改时限（设定整改时限时）", "for", "bulk-deadline", NULL);
		html_open(h, "input", "type", "text", "id", "bulk-deadline", "name", "deadline",
			  "placeholder", "2024-06-30、长期坚持或立行立改", "maxlength", "40", NULL);
		html_elem(h, "div", "只能为还没有整改时限的事项设定；已设定的时限通过延期申请调整。",
			  "class", "hint", NULL);
		html_close(h, 1);
	}
	if (may & (1u << BK_URGE)) {
		html_open(h, "div", "class", "form-row", NULL);
		html_elem(h, "label", "催办事项（催办时，可选）", "for", "bulk-message", NULL);
		char ml[24];
		html_open(h, "textarea", "id", "bulk-message", "name", "message", "maxlength",
			  page_maxlength(ml, STORE_NOTE_MAX), "rows", "2", NULL);
		html_close(h, 2);
	}
	html_elem(h, "button", "下一步：确认", "type", "submit", "class", "btn", NULL);
	html_close(h, 1);
}

void bulk_home_form(struct req *r, struct html *h)
{
	if (!(bulk_actions(WHO(r)->role) & (1u << BK_URGE)))
		return;
	html_open(h, "form", "id", "bulk-home", "method", "post", "action", "/tasks/bulk/confirm",
		  NULL);
	page_csrf(r, h);
	hidden(h, "action", "urge");
	hidden(h, "from", "home");
	html_close(h, 1);
}
