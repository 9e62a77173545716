/*
 * page_notify.c -- 消息: the caller's own inbox (store_notify_list), with
 * links to the tasks, mark read / all read; the same as JSON under
 * /api/v1/notifications.  The store lists a user's own notifications
 * only, and only about tasks the user still sees; nothing here takes a
 * user id from the request.
 *
 * The unread count in the header is app_unread_count() (web_chrome.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

#define INBOX_PAGE 50

static const char *event_zh(const char *event)
{
	static const struct {
		const char *k, *zh;
	} names[] = {
		{"assigned", "交办"},         {"progress", "进展"},        {"submitted", "申请销号"},
		{"returned", "退回"},         {"approved", "销号"},        {"staged", "阶段性完成"},
		{"reopened", "重新打开"},     {"urged", "催办"},           {"extension_requested", "延期申请"},
		{"extension_decided", "延期审批"}, {"due", "即将到期"},    {"overdue", "逾期"},
		{"review_due", "回头看"},     {"audit_head", "审计链头"},
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (strcmp(event, names[i].k) == 0)
			return names[i].zh;
	return event;
}

static void read_button(struct req *r, struct html *h, int64_t id)
{
	html_open(h, "form", "method", "post", "action", "/notifications/read", "class", "inline",
		  NULL);
	page_csrf(r, h);
	char v[24];
	if (id) {
		snprintf(v, sizeof v, "%lld", (long long)id);
		html_open(h, "input", "type", "hidden", "name", "id", "value", v, NULL);
	} else {
		html_open(h, "input", "type", "hidden", "name", "all", "value", "1", NULL);
	}
	html_elem(h, "button", id ? "标为已读" : "全部标为已读", "type", "submit", "class",
		  id ? "linkbtn" : "btn ghost", NULL);
	html_close(h, 1);
}

/* How the user is reached besides the inbox: their address, and the
 * channels they turn off. */
static void channels_card(struct req *r, struct html *h)
{
	struct user_channels uc;
	if (store_user_channels(ACTX(r)->db, WHO(r), WHO(r)->user_id, &uc, NULL) != RC_OK)
		return;
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "接收方式", NULL);
	html_elem(h, "p", "消息总会出现在这里；办公室配置了邮件或 Webhook 时，也会由它们送达。", "class",
		  "muted small", NULL);
	html_open(h, "form", "method", "post", "action", "/notifications/channels", NULL);
	page_csrf(r, h);
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)uc.version);
	html_open(h, "input", "type", "hidden", "name", "version", "value", v, NULL);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "邮箱", "for", "email", NULL);
	char ml[24];
	html_open(h, "input", "type", "email", "id", "email", "name", "email", "value", uc.email,
		  "maxlength", page_maxlength(ml, STORE_EMAIL_MAX), NULL);
	html_close(h, 1);
	static const struct {
		unsigned bit;
		const char *name, *label;
	} offs[] = {{NOTIFY_OFF_EMAIL, "off_email", "不接收邮件"},
		    {NOTIFY_OFF_WEBHOOK, "off_webhook", "不接收 Webhook 推送"}};
	for (size_t i = 0; i < ARRAY_LEN(offs); i++) {
		html_open(h, "div", "class", "form-row", NULL);
		html_open(h, "label", "class", "check", NULL);
		html_open(h, "input", "type", "checkbox", "name", offs[i].name, "value", "1",
			  "checked", uc.off & offs[i].bit ? "" : NULL, NULL);
		html_text(h, offs[i].label);
		html_close(h, 2);
	}
	html_elem(h, "button", "保存", "type", "submit", "class", "btn", NULL);
	html_close(h, 2);
}

enum rc form_notifications_channels(struct req *r)
{
	int64_t version, off_email, off_hook;
	if (web_arg_int(r, "version", 1, INT64_MAX / 2, 0, &version) != RC_OK ||
	    web_arg_int(r, "off_email", 0, 1, 0, &off_email) != RC_OK ||
	    web_arg_int(r, "off_webhook", 0, 1, 0, &off_hook) != RC_OK)
		return RC_INVALID;
	if (!version)
		return ERR(&r->err, RC_INVALID, "缺少版本号（version），请刷新页面后重试。");
	const char *email = web_form(r, "email");
	unsigned off = (off_email ? NOTIFY_OFF_EMAIL : 0) | (off_hook ? NOTIFY_OFF_WEBHOOK : 0);
	enum rc rc = store_user_channels_set(ACTX(r)->db, WHO(r), WHO(r)->user_id, version,
					     email ? email : "", off, NULL, &r->err);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/notifications?ok=channels");
	return RC_OK;
}

/* The page, drawn. */
static enum rc inbox_draw(struct req *r, struct html *h, int64_t before)
{
	struct notification_list l = {0};
	enum rc rc = store_notify_list(ACTX(r)->db, WHO(r), before, INBOX_PAGE, &l, &r->err);
	if (rc != RC_OK) {
		notification_list_release(&l);
		return rc;
	}
	page_begin(r, h, "消息", NAV_NONE);
	html_open(h, "h1", NULL);
	html_text(h, "消息");
	html_open(h, "span", "class", "muted small", NULL);
	int unread = app_unread_count(r);
	html_printf(h, "　未读 %d 条", unread);
	html_close(h, 2);
	page_flash(r, h);
	html_open(h, "section", "class", "card inbox", NULL);
	if (unread)
		read_button(r, h, 0);
	if (!l.n) {
		html_elem(h, "p", before ? "没有更早的消息。" : "暂无消息。", "class", "muted", NULL);
	} else {
		html_open(h, "ul", "class", "inbox-list", NULL);
		for (size_t i = 0; i < l.n; i++) {
			const struct notification *n = &l.v[i];
			char at[32], href[40];
			store_day_time(n->day, n->at, ACTX(r)->today, at, sizeof at);
			html_open(h, "li", "class", n->read ? "read" : "unread", NULL);
			html_elem(h, "span", event_zh(n->event), "class", "tag", NULL);
			html_lit(h, " ");
			if (n->task_id) {
				snprintf(href, sizeof href, "/tasks/%lld", (long long)n->task_id);
				html_elem(h, "a", n->text, "href", href, NULL);
			} else {
				html_text(h, n->text);
			}
			html_open(h, "div", "class", "muted small", NULL);
			html_text(h, at);
			if (!n->read) {
				html_lit(h, " · 未读 ");
				read_button(r, h, n->id);
			}
			html_close(h, 2);
		}
		html_close(h, 1);
		if (l.n == INBOX_PAGE) {
			char more[48];
			snprintf(more, sizeof more, "/notifications?before=%lld",
				 (long long)l.v[l.n - 1].id);
			html_elem(h, "a", "更早的消息 →", "href", more, NULL);
		}
	}
	html_close(h, 1);
	channels_card(r, h);
	page_end(r, h);
	notification_list_release(&l);
	return RC_OK;
}

/*
 * GET /notifications.  The whole page is cached per session (its chrome
 * and forms hold the CSRF token) at the ledger's generation, keyed also by
 * the user's unread count and newest notification: a notification made or
 * read changes one of them even when it moves no generation (reading,
 * the day's reminders).
 */
enum rc page_notifications(struct req *r, struct html *h)
{
	int64_t before, newest;
	if (web_arg_int(r, "before", 0, INT64_MAX / 2, 0, &before) != RC_OK)
		return RC_INVALID;
	enum rc rc = store_notify_newest(ACTX(r)->db, WHO(r), &newest, &r->err);
	if (rc != RC_OK)
		return rc;
	if (web_query(r, "ok"))
		return inbox_draw(r, h, before); /* a flash: drawn for once */
	uint64_t gen = app_gen(r);
	struct buf key = BUF_INIT(0);
	buf_printf(&key, "inbox|%s|%lld|%d|%lld", SESS(r)->token, (long long)before,
		   app_unread_count(r), (long long)newest);
	struct blob *page = cache_get(key.p, gen);
	if (page) {
		blob_splice(r, page);
		r->resp.ctype = "text/html; charset=utf-8";
		buf_release(&key);
		return RC_OK;
	}
	rc = inbox_draw(r, h, before);
	if (rc != RC_OK || h->err != RC_OK || h->b->err != RC_OK) {
		cache_abandon(key.p, gen);
		buf_release(&key);
		return rc; /* the router reports a failed draw */
	}
	page = blob_new(h->b->p, h->b->len);
	cache_put(key.p, gen, page);
	buf_reset(h->b);
	blob_splice(r, page);
	buf_release(&key);
	return RC_OK;
}

enum rc form_notifications_read(struct req *r)
{
	int64_t id, all;
	if (web_arg_int(r, "id", 1, INT64_MAX / 2, 0, &id) != RC_OK ||
	    web_arg_int(r, "all", 0, 1, 0, &all) != RC_OK)
		return RC_INVALID;
	if (!id && !all)
		return ERR(&r->err, RC_INVALID, "请选择要标为已读的消息。");
	enum rc rc = store_notify_read(ACTX(r)->db, WHO(r), &id, id ? 1 : 0, (int)all, NULL,
				       &r->err);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/notifications?ok=read");
	return RC_OK;
}

/* GET /api/v1/notifications[?before=ID&limit=N] */
enum rc api_notifications(struct req *r, json_t **out)
{
	int64_t before, limit;
	if (web_arg_int(r, "before", 0, INT64_MAX / 2, 0, &before) != RC_OK ||
	    web_arg_int(r, "limit", 1, NOTIFY_PAGE_MAX, INBOX_PAGE, &limit) != RC_OK)
		return RC_INVALID;
	struct notification_list l = {0};
	enum rc rc = store_notify_list(ACTX(r)->db, WHO(r), before, (int)limit, &l, &r->err);
	if (rc != RC_OK) {
		notification_list_release(&l);
		return rc;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < l.n; i++) {
		const struct notification *n = &l.v[i];
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)n->id, "event",
				      n->event, "text", n->text, "at", n->at, "read", n->read);
		json_object_set_new(o, "task", n->task_id ? json_integer(n->task_id) : json_null());
		json_array_append_new(arr, o);
	}
	*out = json_pack("{s:i, s:o}", "unread", app_unread_count(r), "notifications", arr);
	notification_list_release(&l);
	return *out ? RC_OK : RC_INTERNAL;
}

/* POST /api/v1/notifications/read {"ids": [...]} or {"all": true} */
enum rc api_notifications_read(struct req *r, json_t **out)
{
	json_t *ids = json_object_get(r->json, "ids");
	json_t *all = json_object_get(r->json, "all");
	if (all && !json_is_boolean(all))
		return ERR(&r->err, RC_INVALID, "all 应为 true 或 false");
	if (ids && !json_is_array(ids))
		return ERR(&r->err, RC_INVALID, "ids 应为数组");
	size_t n = ids ? json_array_size(ids) : 0;
	if (!json_is_true(all) && !n)
		return ERR(&r->err, RC_INVALID, "需要 ids 或 \"all\": true");
	if (n > NOTIFY_READ_MAX)
		return ERR(&r->err, RC_INVALID, "一次最多标记 %d 条", NOTIFY_READ_MAX);
	int64_t *v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_array_get(ids, i);
		if (!json_is_integer(j)) {
			free(v);
			return ERR(&r->err, RC_INVALID, "ids 中应为整数");
		}
		v[i] = json_integer_value(j);
	}
	int changed = 0;
	enum rc rc = store_notify_read(ACTX(r)->db, WHO(r), v, n, json_is_true(all), &changed,
				       &r->err);
	free(v);
	if (rc != RC_OK)
		return rc;
	int64_t unread = 0;
	rc = store_notify_unread(ACTX(r)->db, WHO(r), &unread, &r->err);
	if (rc != RC_OK)
		return rc;
	*out = json_pack("{s:i, s:I}", "marked", changed, "unread", (json_int_t)unread);
	return *out ? RC_OK : RC_INTERNAL;
}

/* ---- the office's settings of the channels ---------------------------------------------- */

/* One form per text setting of [from, to): its label and value, saved
 * against the version it was drawn with. */
void admin_text_settings(struct req *r, struct html *h, enum store_text_setting from,
			 enum store_text_setting to)
{
	for (int i = (int)from; i < (int)to; i++) {
		enum store_text_setting s = (enum store_text_setting)i;
		if (s == TSET_TODAY)
			continue; /* the database's day: the demo's, not the office's */
		char *value = NULL;
		int64_t version = 0;
		if (store_text_setting_get(ACTX(r)->db, s, &value, &version, NULL) != RC_OK) {
			free(value);
			continue;
		}
		bool secret = store_text_setting_secret(s);
		char v[24], ml[24];
		snprintf(v, sizeof v, "%lld", (long long)version);
		html_open(h, "form", "method", "post", "action", "/admin/settings", "class", "filters",
			  NULL);
		page_csrf(r, h);
		html_open(h, "input", "type", "hidden", "name", "version", "value", v, NULL);
		html_open(h, "input", "type", "hidden", "name", "key", "value",
			  store_text_setting_key(s), NULL);
		html_open(h, "label", NULL);
		html_text(h, store_text_setting_label(s));
		html_open(h, "input", "type", secret ? "password" : "text", "name", "value", "value",
			  secret ? "" : value, "placeholder", secret && *value ? "（已设置）" : NULL,
			  "maxlength", page_maxlength(ml, STORE_TEXT_SETTING_MAX), "autocomplete",
			  secret ? "new-password" : "off", NULL);
		html_close(h, 1);
		html_elem(h, "button", "保存", "type", "submit", "class", "btn ghost", NULL);
		html_close(h, 1);
		free(value);
	}
}

void admin_channels(struct req *r, struct html *h)
{
	html_open(h, "section", "class", "card", NULL);
	html_elem(h, "h2", "消息送达（邮件、Webhook）", NULL);
	html_elem(h, "p", "留空即不使用该渠道；密码留空表示不变。保存后可用命令 rectify notify test --to 用户名 "
			  "试发。",
		  "class", "muted small", NULL);
	admin_text_settings(r, h, 0, TSET_CHANNELS__END);
	html_close(h, 1);
}

enum rc form_admin_channel(struct req *r, enum store_text_setting s, int64_t version)
{
	const char *value = web_form(r, "value");
	if (!value)
		value = "";
	if (!(store_text_setting_secret(s) && !*value)) {
		enum rc rc = store_text_setting_set(ACTX(r)->db, WHO(r), s, value, version, NULL,
						    &r->err);
		if (rc != RC_OK)
			return rc;
	}
	web_redirect(r, "/admin?ok=setting");
	return RC_OK;
}
