/*
 * notify.c -- the delivery of the outbox by e-mail (SMTP) and webhook,
 * with libcurl; the worker thread of `rectify serve`.  See notify.h.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "notify.h"

/* ---- the channels ---------------------------------------------------------------------- */

struct channels {
	char *v[TSET__MAX];
};

static void channels_free(struct channels *c)
{
	for (int i = 0; i < TSET__MAX; i++)
		free(c->v[i]);
	memset(c, 0, sizeof *c);
}

static enum rc channels_load(struct store *st, struct channels *c, struct err *e)
{
	memset(c, 0, sizeof *c);
	for (int i = 0; i < TSET__MAX; i++) {
		enum rc rc = store_text_setting_get(st, (enum store_text_setting)i, &c->v[i], NULL, e);
		if (rc) {
			channels_free(c);
			return rc;
		}
	}
	return RC_OK;
}

static bool email_on(const struct channels *c)
{
	return c->v[TSET_SMTP_URL][0] && c->v[TSET_SMTP_FROM][0];
}

static bool webhook_on(const struct channels *c)
{
	return c->v[TSET_WEBHOOK_URL][0] != '\0';
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- e-mail ------------------------------------------------------------------------------- */

static void b64(struct buf *b, const void *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = xmalloc(len);
	sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
	buf_puts(b, s);
	free(s);
}

/* An RFC 2047 encoded word for a header holding UTF-8. */
static void header_word(struct buf *b, const char *s)
{
	buf_puts(b, "=?UTF-8?B?");
	b64(b, s, strlen(s));
	buf_puts(b, "?=");
}

/* The message, headers and a base64 body of UTF-8 text. */
static void mail_compose(struct buf *m, const char *from, const char *to, const char *to_name,
			 const char *subject, const char *body, const char *msgid)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(m, "Date: %s\r\nFrom: ", date);
	header_word(m, "整改台账");
	buf_printf(m, " <%s>\r\nTo: ", from);
	header_word(m, to_name && *to_name ? to_name : to);
	buf_printf(m, " <%s>\r\nSubject: ", to);
	header_word(m, subject);
	const char *dom = strchr(from, '@');
	buf_printf(m, "\r\nMessage-ID: <%s%s>\r\nMIME-Version: 1.0\r\n"
		      "Content-Type: text/plain; charset=UTF-8\r\n"
		      "Content-Transfer-Encoding: base64\r\n\r\n",
		   msgid, dom ? dom : "@rectify");
	struct buf enc = BUF_INIT(0);
	b64(&enc, body, strlen(body));
	for (size_t i = 0; i < enc.len; i += 76) {
		size_t k = enc.len - i < 76 ? enc.len - i : 76;
		buf_append(m, enc.p + i, k);
		buf_puts(m, "\r\n");
	}
	buf_release(&enc);
}

struct reader {
	const char *p;
	size_t n, off;
};

static size_t read_cb(char *out, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t room = size * nmemb, left = r->n - r->off;
	size_t k = left < room ? left : room;
	memcpy(out, r->p + r->off, k);
	r->off += k;
	return k;
}

static size_t sink_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;
}

/* Send one message; 0, or -1 with why in err. */
static int mail_send(const struct channels *c, const char *to, const char *to_name,
		     const char *subject, const char *body, const char *msgid, char *err,
		     size_t errn)
{
	pthread_once(&curl_once, curl_init);
	struct buf m = BUF_INIT(0);
	mail_compose(&m, c->v[TSET_SMTP_FROM], to, to_name, subject, body, msgid);
	CURL *h = curl_easy_init();
	if (!h) {
		buf_release(&m);
		snprintf(err, errn, "libcurl could not start");
		return -1;
	}
	char from[STORE_TEXT_SETTING_MAX + 3], rcpt[STORE_EMAIL_MAX + 3];
	snprintf(from, sizeof from, "<%s>", c->v[TSET_SMTP_FROM]);
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct reader rd = {m.p, m.len, 0};
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, c->v[TSET_SMTP_URL]);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)NOTIFY_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)NOTIFY_TIMEOUT_S);
	/* STARTTLS when the server offers it; a login only over TLS unless
	 * the URL is plain smtp:// on purpose (an intranet relay). */
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (c->v[TSET_SMTP_USER][0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->v[TSET_SMTP_USER]);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->v[TSET_SMTP_PASSWORD]);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode cc = curl_easy_perform(h);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(h);
	buf_release(&m);
	if (cc != CURLE_OK) {
		snprintf(err, errn, "SMTP: %s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
		return -1;
	}
	return 0;
}

/* ---- the webhook ------------------------------------------------------------------------- */

static int hook_send(const struct channels *c, const char *json, const char *delivery, char *err,
		     size_t errn)
{
	pthread_once(&curl_once, curl_init);
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errn, "libcurl could not start");
		return -1;
	}
	char hd[96];
	snprintf(hd, sizeof hd, "X-Rectify-Delivery: %s", delivery);
	struct curl_slist *hs = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	hs = curl_slist_append(hs, hd);
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, c->v[TSET_WEBHOOK_URL]);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)NOTIFY_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)NOTIFY_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_cb);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode cc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hs);
	curl_easy_cleanup(h);
	if (cc != CURLE_OK) {
		snprintf(err, errn, "webhook: %s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(err, errn, "webhook: HTTP %ld", status);
		return -1;
	}
	return 0;
}

/* The body of a webhook: the plain event form, or the text message that
 * 企业微信/钉钉 group robots take.  Only what the recipient's inbox holds. */
static char *hook_body(const struct channels *c, const struct outbox_item *o)
{
	json_t *j;
	if (strcmp(c->v[TSET_WEBHOOK_FORMAT], "text") == 0) {
		char *t = xasprintf("【整改台账】%s：%s", o->name, o->text);
		j = json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text", "content", t);
		free(t);
	} else {
		j = json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:s}}", "id",
			      (json_int_t)o->notification_id, "event", o->event, "text", o->text,
			      "at", o->at, "to", "login", o->login, "name", o->name);
		if (j)
			json_object_set_new(j, "task",
					    o->task_id ? json_integer(o->task_id) : json_null());
	}
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return s ? s : xstrdup("{}");
}

/* ---- a pass over the outbox ------------------------------------------------------------- */

static bool deadline_event(const char *ev)
{
	return strcmp(ev, "due") == 0 || strcmp(ev, "overdue") == 0 ||
	       strcmp(ev, "review_due") == 0;
}

static const char *subject_of(const char *ev)
{
	static const struct {
		const char *k, *s;
	} subj[] = {
		{"assigned", "交办"},        {"progress", "新的进展"},      {"submitted", "申请销号待审核"},
		{"returned", "事项被退回"},  {"approved", "事项已销号"},    {"staged", "阶段性完成"},
		{"reopened", "事项重新打开"}, {"urged", "催办"},           {"extension_requested", "延期申请待审批"},
		{"extension_decided", "延期申请结果"},
	};
	for (size_t i = 0; i < sizeof subj / sizeof subj[0]; i++)
		if (strcmp(ev, subj[i].k) == 0)
			return subj[i].s;
	return "提醒";
}

/* The outcome of a try of row o. */
static enum rc record(struct store *st, const struct outbox_item *o, int ok, const char *why,
		      int64_t now, struct err *e)
{
	if (ok)
		return store_outbox_done(st, o->id, OUTBOX_SENT, 0, "", e);
	if (o->attempts + 1 >= NOTIFY_ATTEMPTS)
		return store_outbox_done(st, o->id, OUTBOX_FAILED, 0, why, e);
	int64_t delay = (int64_t)NOTIFY_RETRY_S << (o->attempts < 16 ? o->attempts : 16);
	return store_outbox_done(st, o->id, OUTBOX_PENDING, now + delay, why, e);
}

enum rc notify_deliver(struct store *st, int64_t now, int *sent, struct err *e)
{
	if (sent)
		*sent = 0;
	/* Each claim is stamped with its own time (the pass's now moved on by
	 * the seconds the sends before it took), which recovery goes by. */
	time_t began = time(NULL);
	struct outbox_list l;
	enum rc rc = store_outbox_due(st, now, NOTIFY_BATCH, &l, e);
	if (rc)
		return rc;
	if (!l.n) {
		outbox_list_release(&l);
		return RC_OK;
	}
	struct channels c;
	if ((rc = channels_load(st, &c, e))) {
		outbox_list_release(&l);
		return rc;
	}
	bool *done = xcalloc(l.n, sizeof *done);
	for (size_t i = 0; i < l.n && !rc; i++) {
		const struct outbox_item *o = &l.v[i];
		if (done[i])
			continue;
		done[i] = true;
		int claimed;
		bool mail = strcmp(o->channel, "email") == 0;
		bool on = mail ? email_on(&c) && o->email[0] : webhook_on(&c);
		/* The digest: a person's deadline reminders of this pass go in
		 * one e-mail; the rows are claimed together. */
		VEC(const struct outbox_item *) group = {0};
		if ((rc = store_outbox_claim(st, o->id, now + (time(NULL) - began), &claimed, e)))
			break;
		if (!claimed)
			continue;
		*VEC_PUSH(group) = o;
		if (mail && on && deadline_event(o->event)) {
			for (size_t k = i + 1; k < l.n && !rc; k++) {
				const struct outbox_item *p = &l.v[k];
				if (done[k] || p->user_id != o->user_id ||
				    strcmp(p->channel, "email") != 0 || !deadline_event(p->event))
					continue;
				done[k] = true;
				if ((rc = store_outbox_claim(st, p->id, now + (time(NULL) - began),
							      &claimed, e)))
					break;
				if (claimed)
					*VEC_PUSH(group) = p;
			}
		}
		char why[512] = "";
		int ok = 0;
		if (!on) {
			for (size_t k = 0; k < group.n && !rc; k++)
				rc = store_outbox_done(st, group.v[k]->id, OUTBOX_SKIPPED, 0,
						       mail ? "e-mail is not configured"
							    : "the webhook is not configured",
						       e);
			VEC_FREE(group);
			continue;
		}
		char id[48];
		snprintf(id, sizeof id, "rectify-%lld-%s", (long long)o->notification_id, o->channel);
		if (mail) {
			struct buf body = BUF_INIT(0);
			buf_printf(&body, "%s：\n\n", o->name);
			for (size_t k = 0; k < group.n; k++)
				buf_printf(&body, "%s\n", group.v[k]->text);
			buf_puts(&body, "\n请登录整改台账查看。\n");
			const char *subj = group.n > 1 ? "今日时限提醒" : subject_of(o->event);
			char *s = xasprintf("【整改台账】%s", subj);
			ok = mail_send(&c, o->email, o->name, s, body.p, id, why, sizeof why) == 0;
			free(s);
			buf_release(&body);
		} else {
			char *j = hook_body(&c, o);
			ok = hook_send(&c, j, id, why, sizeof why) == 0;
			free(j);
		}
		if (!ok)
			log_warn("notification %lld by %s: %s", (long long)o->notification_id,
				 o->channel, why);
		for (size_t k = 0; k < group.n && !rc; k++)
			rc = record(st, group.v[k], ok, why, now, e);
		if (ok && sent)
			*sent += (int)group.n;
		VEC_FREE(group);
	}
	free(done);
	channels_free(&c);
	outbox_list_release(&l);
	return rc;
}

enum rc notify_test(struct store *st, const char *login, char *out, size_t n, struct err *e)
{
	out[0] = '\0';
	char *email, *name;
	enum rc rc = store_user_contact(st, login, &email, &name, e);
	if (rc)
		return rc;
	struct channels c;
	if ((rc = channels_load(st, &c, e))) {
		free(email);
		free(name);
		return rc;
	}
	int bad = 0;
	char why[512];
	size_t len;
	if (!email_on(&c)) {
		snprintf(out, n, "e-mail: not configured (smtp_url, smtp_from)\n");
	} else if (!email[0]) {
		snprintf(out, n, "e-mail: %s has no address (rectify user update %s --email ADDR)\n",
			 login, login);
	} else {
		char id[64];
		snprintf(id, sizeof id, "rectify-test-%lld", (long long)time(NULL));
		if (mail_send(&c, email, name, "【整改台账】测试消息",
			      "这是整改台账发出的测试消息。收到即说明邮件通知已配置好。\n", id, why,
			      sizeof why) == 0) {
			snprintf(out, n, "e-mail: sent to %s\n", email);
		} else {
			snprintf(out, n, "e-mail: failed: %s\n", why);
			bad = 1;
		}
	}
	len = strlen(out);
	if (!webhook_on(&c)) {
		snprintf(out + len, n - len, "webhook: not configured (webhook_url)\n");
	} else {
		struct outbox_item o = {0};
		o.event = "test";
		o.text = "这是整改台账发出的测试消息。";
		o.login = login;
		o.name = name;
		o.at = "";
		char *j = hook_body(&c, &o);
		if (hook_send(&c, j, "rectify-test", why, sizeof why) == 0) {
			snprintf(out + len, n - len, "webhook: sent (%s)\n",
				 c.v[TSET_WEBHOOK_FORMAT][0] ? c.v[TSET_WEBHOOK_FORMAT] : "json");
		} else {
			snprintf(out + len, n - len, "webhook: failed: %s\n", why);
			bad = 1;
		}
		free(j);
	}
	channels_free(&c);
	free(email);
	free(name);
	if (bad)
		return ERR(e, RC_IO, "a channel failed");
	return RC_OK;
}

/* ---- the worker --------------------------------------------------------------------------- */

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running, stop;
	char *path, *today;
} W = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* The day's reminders, once the digest hour has come (local time); on a
 * day that is not the calendar's (RECTIFY_TODAY, or the database pinned at
 * one: store_today_of), at once. */
static void maybe_sweep(struct store *st, int32_t *swept)
{
	struct err e = {0};
	int32_t today, clock;
	if (store_today_of(st, W.today, &today, &e) || today == *swept ||
	    store_today(NULL, &clock, &e))
		return;
	int64_t hour = 0;
	store_setting_get(st, SETTING_DIGEST_HOUR, &hour, NULL, NULL);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	if (!W.today && today == clock && tm.tm_hour < hour)
		return;
	int made = 0;
	if (store_notify_sweep(st, today, &made, &e) == RC_OK) {
		*swept = today;
		if (made)
			log_info("reminders: %d notifications", made);
	} else {
		log_error("reminders: %s", e.msg);
	}
}

static void *worker_main(void *arg)
{
	(void)arg;
	struct store *st = NULL;
	struct err e = {0};
	if (store_open(W.path, 0, &st, &e) != RC_OK) {
		log_error("notifications: %s", e.msg);
		return NULL;
	}
	int32_t swept = STORE_NO_DAY;
	int64_t recovered = 0;
	pthread_mutex_lock(&W.mu);
	while (!W.stop) {
		pthread_mutex_unlock(&W.mu);
		/* Rows left sending by a crash, of this server or another on the
		 * same database: at start and then as often as a row can be cut
		 * off, only those claimed longer ago than any send takes. */
		int64_t clock = (int64_t)time(NULL);
		if (clock - recovered >= NOTIFY_SENDING_MAX_S) {
			int n = 0;
			if (store_outbox_recover(st, clock - NOTIFY_SENDING_MAX_S, &n, &e) != RC_OK)
				log_error("notifications: %s", e.msg);
			else if (n)
				log_warn("notifications: %d left sending by a stop are not sent again",
					 n);
			recovered = clock;
		}
		maybe_sweep(st, &swept);
		int sent = 0;
		if (notify_deliver(st, (int64_t)time(NULL), &sent, &e) != RC_OK)
			log_error("notifications: %s", e.msg);
		pthread_mutex_lock(&W.mu);
		if (W.stop)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&W.cv, &W.mu, &ts);
	}
	pthread_mutex_unlock(&W.mu);
	store_close(st);
	return NULL;
}

void notify_worker_start(const char *db_path, const char *today)
{
	if (W.running)
		return;
	pthread_once(&curl_once, curl_init);
	W.path = xstrdup(db_path);
	W.today = today && *today ? xstrdup(today) : NULL;
	W.stop = false;
	if (pthread_create(&W.thread, NULL, worker_main, NULL) != 0) {
		log_error("notifications: no worker thread");
		return;
	}
	W.running = true;
}

void notify_worker_stop(void)
{
	if (!W.running)
		return;
	pthread_mutex_lock(&W.mu);
	W.stop = true;
	pthread_cond_signal(&W.cv);
	pthread_mutex_unlock(&W.mu);
	pthread_join(W.thread, NULL);
	W.running = false;
	free(W.path);
	free(W.today);
	W.path = W.today = NULL;
}
