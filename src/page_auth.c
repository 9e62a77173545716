/*
 * page_auth.c -- 登录, 退出, 修改密码, for pages and the API, and /healthz.
 *
 * Login order: throttle check (per account and per address, before any
 * password hashing, so guessing costs the guesser and not the server),
 * Argon2id verification in the store, then a new session whose token goes
 * into an HttpOnly, SameSite=Strict cookie (Secure over TLS).  The login
 * form carries its own CSRF token, a random value also set as a cookie
 * scoped to /login (double submit), since there is no session yet.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web_int.h"

enum rc app_login(struct req *r, const char *login, const char *password)
{
	if (!login || !*login || !password || !*password)
		return ERR(&r->err, RC_INVALID, "请输入用户名和密码。");
	if (strlen(login) > 64 || strlen(password) > STORE_PASSWORD_MAX)
		return ERR(&r->err, RC_AUTH, "用户名或密码错误。");
	struct actx *a = r->ctx;
	unsigned wait = 0;
	enum rc rc = web_throttle_check(a->db, login, r->addr, &wait, &r->err);
	if (rc == RC_THROTTLED) {
		char s[16];
		snprintf(s, sizeof s, "%u", wait ? wait : 1);
		web_resp_header(r, "Retry-After", s);
		if (wait < 60)
			return ERR(&r->err, RC_THROTTLED, "登录失败次数过多，请 %u 秒后再试。", wait);
		return ERR(&r->err, RC_THROTTLED, "登录失败次数过多，请 %u 分钟后再试。",
			   (wait + 59) / 60);
	}
	if (rc)
		return rc;
	struct who w;
	struct err e = {0};
	rc = store_user_verify(a->db, login, password, &w, &e);
	if (rc == RC_AUTH) {
		/* Count the account only when it exists: made-up names would
		 * otherwise crowd the real ones out of the throttle's table.  A
		 * failure that cannot be counted is not let pass as a mere
		 * wrong password: the guesser would go uncounted. */
		struct who known;
		bool exists = store_user_who(a->db, login, &known, NULL) == RC_OK;
		rc = web_throttle_fail(a->db, exists ? login : NULL, r->addr, &r->err);
		return rc ? rc : ERR(&r->err, RC_AUTH, "用户名或密码错误。");
	}
	if (rc != RC_OK) {
		r->err = e;
		return rc;
	}
	/* Logged in even when the counters cannot be cleared: they run out
	 * with their window. */
	struct err ignored = {0};
	if (web_throttle_success(a->db, login, r->addr, &ignored) != RC_OK)
		log_error("login of %s: clearing its failed logins: %s", login, ignored.msg);
	return app_session_start(r, w.user_id);
}

/* A local "next" target, or "/". */
static const char *next_target(struct req *r)
{
	const char *n = web_arg(r, "next");
	if (!n || !web_local_target(n) || strlen(n) > 512 ||
	    strncmp(n, "/login", 6) == 0)
		return "/";
	return n;
}

static void login_form(struct req *r, struct html *h, const char *error)
{
	/* A fresh double-submit token for the form. */
	char tok[33];
	util_random_hex(tok, sizeof tok);
	free(r->new_cookie);
	r->new_cookie = xasprintf(WEB_COOKIE_LOGIN "=%s; Path=/login; HttpOnly; SameSite=Strict%s",
				  tok, r->tls ? "; Secure" : "");
	page_begin(r, h, "登录", NAV_NONE);
	html_open(h, "div", "class", "login", NULL);
	html_elem(h, "h1", "整改台账", NULL);
	html_elem(h, "p", "民主生活会整改落实管理", "class", "sub", NULL);
	if (error)
		html_elem(h, "p", error, "class", "flash err", "role", "alert", NULL);
	else if (web_query(r, "ended"))
		html_elem(h, "p", "登录已超时或已在别处退出，请重新登录。", "class", "flash warn",
			  "role", "status", NULL);
	html_open(h, "form", "method", "post", "action", "/login", NULL);
	html_open(h, "input", "type", "hidden", "name", "csrf", "value", tok, NULL);
	html_open(h, "input", "type", "hidden", "name", "next", "value", next_target(r), NULL);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "用户名", "for", "login", NULL);
	const char *login = web_form(r, "login");
	html_open(h, "input", "type", "text", "id", "login", "name", "login", "value",
		  login ? login : NULL, "autocomplete", "username", "required", "", "autofocus", "",
		  "maxlength", STR(STORE_LOGIN_MAX), NULL);
	html_close(h, 1);
	html_open(h, "div", "class", "form-row", NULL);
	html_elem(h, "label", "密码", "for", "password", NULL);
	html_open(h, "input", "type", "password", "id", "password", "name", "password",
		  "autocomplete", "current-password", "required", "", "maxlength",
		  STR(STORE_PASSWORD_MAX), NULL);
	html_close(h, 1);
	html_elem(h, "button", "登录", "type", "submit", "class", "btn", NULL);
	html_close(h, 2);
	page_end(r, h);
}

enum rc page_login(struct req *r, struct html *h)
{
	if (r->logged_in) {
		web_redirect(r, "%s", next_target(r));
		return RC_OK;
	}
	login_form(r, h, NULL);
	return RC_OK;
}

enum rc form_login(struct req *r, struct html *h)
{
	const char *t = web_form(r, "csrf");
	if (!t || !r->cookie_login || !web_token_equal(t, r->cookie_login)) {
		r->resp.status = 403;
		login_form(r, h, "页面已过期，请重新登录。");
		return RC_OK;
	}
	enum rc rc = app_login(r, web_form(r, "login"), web_form(r, "password"));
	if (rc == RC_OK) {
		web_redirect(r, "%s", next_target(r));
		return RC_OK;
	}
	if (rc != RC_AUTH && rc != RC_THROTTLED && rc != RC_INVALID)
		return rc;
	char *keep = r->resp.nhdr ? xstrdup(r->resp.hdr[0].value) : NULL;
	r->resp.status = rc_http_status(rc);
	login_form(r, h, r->err.msg);
	free(keep);
	return RC_OK;
}

static void end_session(struct req *r)
{
	struct sess *s = SESS(r);
	store_session_delete(ACTX(r)->db, s->token, NULL);
	web_idle_forget(s->token);
	free(r->new_cookie);
	r->new_cookie = web_cookie(NULL, r->tls);
}

enum rc form_logout(struct req *r)
{
	end_session(r);
	web_redirect(r, "/login");
	return RC_OK;
}

enum rc page_password(struct req *r, struct html *h)
{
	page_begin(r, h, "修改密码", NAV_NONE);
	page_flash(r, h);
	html_open(h, "div", "class", "card narrow", NULL);
	html_elem(h, "h1", "修改密码", NULL);
	html_elem(h, "p", "修改后，您在其他电脑或浏览器上的登录随即失效，需用新密码重新登录。", "class",
		  "hint", NULL);
	html_open(h, "form", "method", "post", "action", "/password", NULL);
	page_csrf(r, h);
	/* The current password is only compared, and may be all ASCII: its
	 * field takes the whole bound.  A new one is stored: page_maxlength. */
	char ml[24];
	static const struct {
		const char *name, *label, *ac;
		bool current;
	} rows[] = {{"old", "原密码", "current-password", true},
		    {"new", "新密码（至少 " STR(STORE_PASSWORD_MIN) " 位）", "new-password", false},
		    {"again", "再次输入新密码", "new-password", false}};
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		html_open(h, "div", "class", "form-row", NULL);
		html_elem(h, "label", rows[i].label, "for", rows[i].name, NULL);
		html_open(h, "input", "type", "password", "id", rows[i].name, "name", rows[i].name,
			  "autocomplete", rows[i].ac, "required", "", "maxlength",
			  rows[i].current ? STR(STORE_PASSWORD_MAX)
					  : page_maxlength(ml, STORE_PASSWORD_MAX),
			  NULL);
		html_close(h, 1);
	}
	html_elem(h, "button", "保存", "type", "submit", "class", "btn", NULL);
	html_close(h, 2);
	page_end(r, h);
	return RC_OK;
}

enum rc form_password(struct req *r)
{
	const char *old = web_form(r, "old"), *nw = web_form(r, "new"),
		   *again = web_form(r, "again");
	if (!old || !nw || !again)
		return ERR(&r->err, RC_INVALID, "请填写原密码和两次新密码。");
	if (strcmp(nw, again) != 0)
		return ERR(&r->err, RC_INVALID, "两次输入的新密码不一致。");
	const struct who *w = WHO(r);
	enum rc rc = store_user_password(ACTX(r)->db, w, w->user_id, old, nw, &r->err);
	if (rc == RC_AUTH)
		return ERR(&r->err, RC_INVALID, "原密码不正确。");
	if (rc == RC_INVALID)
		return ERR(&r->err, RC_INVALID, "新密码不符合要求：至少 %d 个字符。", STORE_PASSWORD_MIN);
	if (rc != RC_OK)
		return rc;
	/* The store ended every session of the user, this one included: the
	 * other browsers must log in again with the new password, this one
	 * carries on in a fresh session. */
	web_idle_forget(SESS(r)->token);
	rc = app_session_start(r, w->user_id);
	if (rc != RC_OK)
		return rc;
	web_redirect(r, "/password?ok=password");
	return RC_OK;
}

/* ---- the API ---- */

enum rc api_login(struct req *r, json_t **out)
{
	const char *login = json_string_value(json_object_get(r->json, "login"));
	const char *password = json_string_value(json_object_get(r->json, "password"));
	enum rc rc = app_login(r, login, password);
	if (rc != RC_OK)
		return rc;
	*out = json_pack("{s:s}", "csrf", r->csrf);
	return RC_OK;
}

enum rc api_logout(struct req *r, json_t **out)
{
	end_session(r);
	*out = json_pack("{s:b}", "ok", 1);
	return RC_OK;
}

enum rc api_health(struct req *r, json_t **out)
{
	(void)r;
	*out = json_pack("{s:s, s:s}", "status", "ok", "version", RECTIFY_VERSION);
	return RC_OK;
}
