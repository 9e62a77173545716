/*
 * page_admin.c -- 管理: units, users, settings and campaigns (admins), and
 * the audit log with its verification status (admins and reviewers).
 *
 * Every form that changes a unit, a user or a setting carries the version
 * of the row the page showed (a hidden "version" field); the store refuses
 * the change when the row changed since (409, "内容已有变动"), so two
 * admins editing the same user never overwrite each other silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

/* A unit's name indented by its depth (up to six levels) into t. */
static void unit_indented(const struct unit *u, char *t, size_t n)
{
	int pad = u->depth > 6 ? 6 : u->depth;
	snprintf(t, n, "%.*s%s", pad * 3, "\u3000\u3000\u3000\u3000\u3000\u3000", u->name);
}

static void unit_select(struct html *h, const char *name, const struct unit_list *ul, int64_t sel,
			const char *none)
{
	html_open(h, "select", "name", name, "aria-label", name, NULL);
	if (none)
		html_elem(h, "option", none, "value", "0", NULL);
	for (size_t i = 0; i < ul->n; i++) {
		char id[24], t[300];
		snprintf(id, sizeof id, "%lld", (long long)ul->v[i].id);
		unit_indented(&ul->v[i], t, sizeof t);
		html_elem(h, "option", t, "value", id, "selected", ul->v[i].id == sel ? "" : NULL,
			  NULL);
	}
	html_close(h, 1);
}

static void role_select(struct html *h, enum role sel)
{
	html_open(h, "select", "name", "role", "aria-label", "角色", NULL);
	for (int i = 0; i < ROLE__MAX; i++)
		html_elem(h, "option", role_name_zh((enum role)i), "value", role_name((enum role)i),
			  "selected", (int)sel == i ? "" : NULL, NULL);
	html_close(h, 1);
}

static void hidden_version(struct html *h, int64_t version)
{
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)version);
	html_open(h, "input", "type", "hidden", "name", "version", "value", v, NULL);
}

/* The version a change form was drawn with; RC_INVALID without one. */
static enum rc form_version(struct req *r, int64_t *version)
{
	if (web_arg_int(r, "version", 0, INT64_MAX / 2, -1, version) != RC_OK || *version < 0)
		return ERR(&r->err, RC_INVALID, "缺少版本号，请刷新页面后重试。");
	return RC_OK;
}

/* An input of the forms below; maxlength as the attribute (NULL: none). */
static void field(struct html *h, const char *label, const char *type, const char *name,
		  bool required, const char *maxlength)
{
	html_open(h, "label", NULL);
	html_text(h, label);
	html_open(h, "input", "type", type, "name", name, "required", required ? "" : NULL,
		  "maxlength", maxlength, NULL);
	html_close(h, 1);
}

/* What the page lists, read before anything is drawn: a failure to read
 * them is the page's, not an empty list. */
struct admin_lists {
	struct unit_list units;
	struct user_list users;
	struct campaign_list campaigns;
};

static enum rc admin_lists_load(struct req *r, struct admin_lists *l)
{
	struct store *db = ACTX(r)->db;
	const struct who *w = WHO(r);
	enum rc rc = store_unit_list(db, w, &l->units, &r->err);
	if (rc == RC_OK)
		rc = store_user_list(db, w, &l->users, &r->err);
	if (rc == RC_OK)
		rc = store_campaign_list(db, w, &l->campaigns, &r->err);
	return rc;
}

static void admin_lists_release(struct admin_lists *l)
{
	unit_list_release(&l->units);
	user_list_release(&l->users);
	campaign_list_release(&l->campaigns);
}

/* The heading, with the ways to the audit log and the ledger import. */
static void admin_head(struct req *r, struct html *h)
{
	html_open(h, "div", "class", "task-head", NULL);
	html_elem(h, "h1", "管理", NULL);
	html_elem(h, "a", "审计日志 →", "href", "/audit", NULL);
	html_elem(h, "a", "导入台账（Excel / CSV）→", "href", "/tasks/import", NULL);
	html_close(h, 1);
	page_flash(r, h);
}

/* 整改批次: one row per campaign, its tasks, the open ones, and whether it
 * is current or has carried tasks on. */
static void campaign_rows(struct html *h, const struct campaign_list *cl)
{
	html_open(h, "table", NULL);
	html_lit(h, "<thead><tr><th>年度</th><th>标题</th><th class=\"num\">事项</th>"
		    "<th class=\"num\">未销号</th><th>状态</th></tr></thead>");
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < cl->n; i++) {
		const struct campaign *c = &cl->v[i];
		char y[16], n1[16], n2[16];
		snprintf(y, sizeof y, "%d", c->year);
		snprintf(n1, sizeof n1, "%d", c->n_tasks);
		snprintf(n2, sizeof n2, "%d", c->n_open);
		html_open(h, "tr", NULL);
		html_elem(h, "td", y, NULL);
		html_elem(h, "td", c->title, NULL);
		html_elem(h, "td", n1, "class", "num", NULL);
		html_elem(h, "td", n2, "class", "num", NULL);
		html_open(h, "td", NULL);
		if (c->current)
			html_elem(h, "span", "当前批次", "class", "st closed", NULL);
		if (c->n_carried) {
			char carried[48];
			snprintf(carried, sizeof carried, "%d项转入下一批次", c->n_carried);
			html_elem(h, "span", carried, "class", "st carried", NULL);
		}
		html_close(h, 2);
	}
	html_close(h, 2);
}

/* The form of a new campaign: year, title, and the campaign whose open
 * tasks it carries on (POST /admin/campaigns). */
static void campaign_new_form(struct req *r, struct html *h, const struct campaign_list *cl)
{
	char ml[24];
	html_open(h, "form", "method", "post", "action", "/admin/campaigns", "class", "filters",
		  NULL);
	page_csrf(r, h);
	field(h, "年度", "number", "year", true, NULL);
	field(h, "标题", "text", "title", true, page_maxlength(ml, STORE_TITLE_MAX));
	html_open(h, "label", NULL);
	html_text(h, "结转未销号事项自");
	html_open(h, "select", "name", "carry", NULL);
	html_elem(h, "option", "（不结转）", "value", "0", NULL);
	for (size_t i = 0; i < cl->n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)cl->v[i].id);
		html_elem(h, "option", cl->v[i].title, "value", id, NULL);
	}
	html_close(h, 2);
	html_elem(h, "button", "新建批次", "type", "submit", "class", "btn", NULL);
	html_close(h, 1);
}

/* 单位: one row per unit with its people and tasks, and its form in place
 * (name, parent; POST /admin/units/:id). */
static void unit_rows(struct req *r, struct html *h, const struct unit_list *ul)
{
	char ml[24];
	html_open(h, "table", NULL);
	html_lit(h, "<thead><tr><th>单位</th><th class=\"num\">人员</th><th class=\"num\">事项</th>"
		    "<th>名称 / 上级单位</th></tr></thead>");
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < ul->n; i++) {
		const struct unit *u = &ul->v[i];
		char t[300], n1[16], n2[16], href[48];
		unit_indented(u, t, sizeof t);
		snprintf(n1, sizeof n1, "%d", u->n_users);
		snprintf(n2, sizeof n2, "%d", u->n_tasks);
		snprintf(href, sizeof href, "/admin/units/%lld", (long long)u->id);
		html_open(h, "tr", NULL);
		html_elem(h, "td", t, NULL);
		html_elem(h, "td", n1, "class", "num", NULL);
		html_elem(h, "td", n2, "class", "num", NULL);
		html_open(h, "td", NULL);
		html_open(h, "form", "method", "post", "action", href, "class", "row-edit", NULL);
		page_csrf(r, h);
		hidden_version(h, u->version);
		html_open(h, "input", "type", "text", "name", "name", "value", u->name, "required", "",
			  "maxlength", page_maxlength(ml, STORE_NAME_MAX), "aria-label", "单位名称",
			  NULL);
		unit_select(h, "parent", ul, u->parent_id, "（无，顶级单位）");
		html_elem(h, "button", "保存", "type", "submit", "class", "btn ghost", NULL);
		html_close(h, 3);
	}
	html_close(h, 2);
}

/* The form of a new unit: name and parent (POST /admin/units). */
static void unit_new_form(struct req *r, struct html *h, const struct unit_list *ul)
{
	char ml[24];
	html_open(h, "form", "method", "post", "action", "/admin/units", "class", "filters", NULL);
	page_csrf(r, h);
	field(h, "单位名称", "text", "name", true, page_maxlength(ml, STORE_NAME_MAX));
	html_open(h, "label", NULL);
	html_text(h, "上级单位");
	unit_select(h, "parent", ul, 0, "（无，顶级单位）");
	html_close(h, 1);
	html_elem(h, "button", "添加单位", "type", "submit", "class", "btn", NULL);
	html_close(h, 1);
}

/* 用户: one row per user, and its form in place (role, unit, active, a new
 * password; POST /admin/users/:id). */
static void user_rows(struct req *r, struct html *h, const struct user_list *us,
		      const struct unit_list *ul)
{
	char ml[24];
	html_open(h, "table", NULL);
	html_lit(h, "<thead><tr><th>用户名</th><th>姓名</th><th>角色 / 单位 / 状态</th></tr></thead>");
	html_open(h, "tbody", NULL);
	for (size_t i = 0; i < us->n; i++) {
		const struct user *u = &us->v[i];
		char href[48];
		snprintf(href, sizeof href, "/admin/users/%lld", (long long)u->id);
		html_open(h, "tr", NULL);
		html_elem(h, "td", u->login, "class", "nowrap", NULL);
		html_elem(h, "td", u->name, "class", "nowrap", NULL);
		html_open(h, "td", NULL);
		html_open(h, "form", "method", "post", "action", href, "class", "row-edit", NULL);
		page_csrf(r, h);
		hidden_version(h, u->version);
		role_select(h, u->role);
		unit_select(h, "unit", ul, u->unit_id, "（无单位）");
		html_open(h, "select", "name", "active", "aria-label", "状态", NULL);
		html_elem(h, "option", "在用", "value", "1", "selected", u->active ? "" : NULL, NULL);
		html_elem(h, "option", "停用", "value", "0", "selected", u->active ? NULL : "", NULL);
		html_close(h, 1);
		html_open(h, "input", "type", "password", "name", "password", "placeholder",
			  "重置密码（可选）", "autocomplete", "new-password", "aria-label", "重置密码",
			  "maxlength", page_maxlength(ml, STORE_PASSWORD_MAX), NULL);
		html_elem(h, "button", "保存", "type", "submit", "class", "btn ghost", NULL);
		html_close(h, 3);
	}
	html_close(h, 2);
}

/* The form of a new user: login, name, role, unit, first password
 * (POST /admin/users). */
static void user_new_form(struct req *r, struct html *h, const struct unit_list *ul)
{
	char ml[24];
	html_open(h, "form", "method", "post", "action", "/admin/users", "class", "filters", NULL);
	page_csrf(r, h);
	/* A login is ASCII: a character is a byte. */
	field(h, "用户名", "text", "login", true, STR(STORE_LOGIN_MAX));
	field(h, "姓名", "text", "name", true, page_maxlength(ml, STORE_NAME_MAX));
	html_open(h, "label", NULL);
	html_text(h, "角色");
	role_select(h, ROLE_HANDLER);
	html_close(h, 1);
	html_open(h, "label", NULL);
	html_text(h, "单位");
	unit_select(h, "unit", ul, 0, "（无单位）");
	html_close(h, 1);
	field(h, "初始密码", "password", "password", true,
	      page_maxlength(ml, STORE_PASSWORD_MAX));
	html_elem(h, "button", "添加用户", "type", "submit", "class", "btn", NULL);
	html_close(h, 1);
}

/* One numeric setting's form: its label, value and bounds (POST
 * /admin/settings, key = the setting). */
static void setting_form(struct req *r, struct html *h, enum store_setting s)
{
	const struct setting_info *si = store_setting_info(s);
	int64_t value = si->def, version = 0;
	store_setting_get(ACTX(r)->db, s, &value, &version, NULL);
	char v[24], lo[24], hi[24];
	snprintf(v, sizeof v, "%lld", (long long)value);
	snprintf(lo, sizeof lo, "%lld", (long long)si->lo);
	snprintf(hi, sizeof hi, "%lld", (long long)si->hi);
	html_open(h, "form", "method", "post", "action", "/admin/settings", "class", "filters", NULL);
	page_csrf(r, h);
	hidden_version(h, version);
	html_open(h, "input", "type", "hidden", "name", "key", "value", si->key, NULL);
	html_open(h, "label", NULL);
	html_text(h, si->label);
	html_open(h, "input", "type", "number", "name", "value", "value", v, "min", lo, "max", hi,
		  "required", "", NULL);
	html_close(h, 1);
	html_elem(h, "button", "保存", "type", "submit", "class", "btn ghost", NULL);
	html_close(h, 1);
}

/* GET /admin -- admins: campaigns, units, users (each listed with a form
 * in place and a form for a new one), the settings, and the channels of
 * the notifications. */
enum rc page_admin(struct req *r, struct html *h)
{
	struct admin_lists l = {0};
	enum rc rc = admin_lists_load(r, &l);
	if (rc != RC_OK) {
		admin_lists_release(&l);
		return rc;
	}
	page_begin(r, h, "管理", NAV_ADMIN);
	admin_head(r, h);
	page_card(h, "整改批次");
	campaign_rows(h, &l.campaigns);
	campaign_new_form(r, h, &l.campaigns);
	html_close(h, 1);
	/* units, then users: each a full-width card, so that a row's in-place
	 * form fits on one line */
	page_card(h, "单位");
	unit_rows(r, h, &l.units);
	unit_new_form(r, h, &l.units);
	html_close(h, 1);
	page_card(h, "用户");
	user_rows(r, h, &l.users, &l.units);
	user_new_form(r, h, &l.units);
	html_close(h, 1);
	page_card(h, "设置");
	for (int i = 0; i < SETTING__MAX; i++)
		setting_form(r, h, (enum store_setting)i);
	admin_text_settings(r, h, TSET_CHANNELS__END, TSET__MAX);
	html_close(h, 1);
	admin_channels(r, h);
	page_end(r, h);
	admin_lists_release(&l);
	return RC_OK;
}

enum rc form_admin_unit(struct req *r)
{
	const char *name = web_form(r, "name");
	int64_t parent;
	if (!name || !*name)
		return ERR(&r->err, RC_INVALID, "请填写单位名称。");
	if (web_arg_int(r, "parent", 0, INT64_MAX / 2, 0, &parent) != RC_OK)
		return RC_INVALID;
	int64_t id;
	enum rc rc = store_unit_add(ACTX(r)->db, WHO(r), name, parent, &id, &r->err);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/admin?ok=unit");
	return RC_OK;
}

enum rc form_admin_user(struct req *r)
{
	const char *login = web_form(r, "login"), *name = web_form(r, "name"),
		   *pw = web_form(r, "password"), *role_s = web_form(r, "role");
	enum role role;
	int64_t unit, id;
	if (!login || !name || !pw || !role_s || role_parse(role_s, &role) != 0)
		return ERR(&r->err, RC_INVALID, "请完整填写用户名、姓名、角色和初始密码。");
	if (web_arg_int(r, "unit", 0, INT64_MAX / 2, 0, &unit) != RC_OK)
		return RC_INVALID;
	enum rc rc = store_user_add(ACTX(r)->db, WHO(r), login, name, role, unit, pw, &id, &r->err);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/admin?ok=user");
	return RC_OK;
}

/* POST /admin/users/:id -- role, unit, active flag and an optional new
 * password, in one transaction against the version the form showed. */
enum rc form_admin_user_update(struct req *r)
{
	const char *role_s = web_form(r, "role"), *pw = web_form(r, "password");
	struct user_change c = {0};
	int64_t active;
	enum rc rc = form_version(r, &c.version);
	if (rc != RC_OK)
		return rc;
	if (!role_s || role_parse(role_s, &c.role) != 0)
		return ERR(&r->err, RC_INVALID, "未知的角色");
	if (web_arg_int(r, "unit", 0, INT64_MAX / 2, 0, &c.unit_id) != RC_OK ||
	    web_arg_int(r, "active", 0, 1, 1, &active) != RC_OK)
		return RC_INVALID;
	c.active = (int)active;
	c.password = pw && *pw ? pw : NULL;
	rc = store_user_update(ACTX(r)->db, WHO(r), r->param[0], &c, NULL, &r->err);
	if (rc != RC_OK)
		return rc;
	/* A new password ends the user's sessions; an admin resetting their
	 * own carries on in a new one. */
	if (c.password && r->param[0] == WHO(r)->user_id) {
		web_idle_forget(SESS(r)->token);
		if ((rc = app_session_start(r, r->param[0])) != RC_OK)
			return rc;
	}
	web_redirect(r, "/admin?ok=user");
	return RC_OK;
}

/* POST /admin/units/:id -- a unit's name and parent, against the version
 * the form showed; only what differs from the unit as it is changes. */
enum rc form_admin_unit_update(struct req *r)
{
	struct store *db = ACTX(r)->db;
	const char *name = web_form(r, "name");
	struct unit_change c = {0};
	enum rc rc = form_version(r, &c.version);
	if (rc != RC_OK)
		return rc;
	if (!name || !*name)
		return ERR(&r->err, RC_INVALID, "请填写单位名称。");
	if (web_arg_int(r, "parent", 0, INT64_MAX / 2, 0, &c.parent_id) != RC_OK)
		return RC_INVALID;
	struct unit u;
	struct arena ar = {0};
	rc = store_unit_get(db, r->param[0], &u, &ar, &r->err);
	if (rc == RC_OK) {
		c.name = strcmp(name, u.name) != 0 ? name : NULL;
		c.move = c.parent_id != u.parent_id;
		/* The form as the unit is: nothing to write, nothing overwritten. */
		if (c.name || c.move)
			rc = store_unit_update(db, WHO(r), r->param[0], &c, NULL, &r->err);
	}
	arena_release(&ar);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/admin?ok=unit-edit");
	return RC_OK;
}

/* POST /admin/settings -- one setting (key, value) against its version. */
enum rc form_admin_setting(struct req *r)
{
	enum store_setting s;
	int64_t version, value;
	enum rc rc = form_version(r, &version);
	if (rc != RC_OK)
		return rc;
	enum store_text_setting ts;
	if (store_text_setting_parse(web_form(r, "key"), &ts) == 0)
		return form_admin_channel(r, ts, version);
	if (store_setting_parse(web_form(r, "key"), &s) != 0)
		return ERR(&r->err, RC_INVALID, "未知的设置项。");
	if (web_arg_int(r, "value", INT64_MIN / 2, INT64_MAX / 2, 0, &value) != RC_OK)
		return RC_INVALID;
	rc = store_setting_set(ACTX(r)->db, WHO(r), s, value, version, NULL, &r->err);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/admin?ok=setting");
	return RC_OK;
}

enum rc form_admin_campaign(struct req *r)
{
	int64_t year, carry;
	const char *title = web_form(r, "title");
	if (web_arg_int(r, "year", 1900, 9999, 0, &year) != RC_OK || !year)
		return ERR(&r->err, RC_INVALID, "请填写年度（如 2024）。");
	if (!title || !*title)
		return ERR(&r->err, RC_INVALID, "请填写批次标题。");
	if (web_arg_int(r, "carry", 0, INT64_MAX / 2, 0, &carry) != RC_OK)
		return RC_INVALID;
	struct campaign_new c = {0};
	c.year = (int)year;
	c.title = title;
	c.started = STORE_NO_DAY;
	c.carry_from = carry;
	int64_t id;
	int carried = 0;
	enum rc rc = store_campaign_new(ACTX(r)->db, WHO(r), &c, ACTX(r)->today, &id, &carried,
					&r->err);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/admin?ok=campaign");
	return RC_OK;
}

