/*
 * web_session.c -- sessions of the web application: the session cookie
 * looked up (through a small per-thread cache) and renewed on each
 * request, a session started at login, its data freed with the request.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "web_int.h"

/*
 * A session ends at the first of: app_cfg.session_idle seconds without use
 * (every request renews it; the clock is the session row's last_seen,
 * written at most once per idle_every() seconds, with web_idle.c holding
 * the uses in between), app_cfg.session_max seconds after login (the row's
 * `expires`), logout, a password change (the store deletes the user's
 * sessions), or the user being deactivated.  store_session_purge() deletes
 * the rows of expired and idle sessions.
 *
 * A small per-thread cache of live sessions, valid while the commit
 * generation is unchanged (any committed write moves it, whatever the
 * connection or process: a logout, a password change, a purge, a write of
 * last_seen) and the session has not expired, saves the session query on
 * a page view; the idle clock is consulted on every request regardless.
 */
enum { SESS_CACHE = 32 };
struct sess_entry {
	uint64_t gen;
	int64_t expires, seen;
	struct sess s;
};
static __thread struct sess_entry sess_cache[SESS_CACHE];

void app_session_cache_clear(void)
{
	memset(sess_cache, 0, sizeof sess_cache);
}

/* How often a session's use is written to the database: about once a
 * minute, and often enough for short idle bounds (tests). */
static int64_t idle_every(void)
{
	int64_t every = app_cfg.session_idle / 4;
	if (every > STORE_SESSION_TOUCH_S)
		every = STORE_SESSION_TOUCH_S;
	return every > 0 ? every : 1;
}

/* The session is over: delete it, and the browser's cookie with it. */
static void session_dead(struct req *r, bool delete_row)
{
	if (delete_row)
		store_session_delete(ACTX(r)->db, r->cookie_session, NULL);
	web_idle_forget(r->cookie_session);
	free(r->new_cookie);
	r->new_cookie = web_cookie(NULL, r->tls);
}

/* The session of the cookie from the database into *s; RC_AUTH when there
 * is none (ended, expired, idle). */
static enum rc session_load(struct req *r, int64_t now, struct sess *s, int64_t *expires,
			    int64_t *seen)
{
	struct actx *a = r->ctx;
	struct err e = {0};
	enum rc rc = store_session_get(a->db, r->cookie_session, now, app_cfg.session_idle,
				       &s->who, s->csrf, expires, seen, &e);
	if (rc != RC_OK) {
		if (rc != RC_AUTH)
			r->err = e;
		return rc;
	}
	struct user u;
	struct arena ar = {0};
	rc = store_user_get(a->db, s->who.user_id, &u, &ar, &r->err);
	if (rc == RC_OK) {
		snprintf(s->login, sizeof s->login, "%s", u.login);
		snprintf(s->name, sizeof s->name, "%s", u.name);
		snprintf(s->unit_name, sizeof s->unit_name, "%s", u.unit_name ? u.unit_name : "");
		snprintf(s->token, sizeof s->token, "%s", r->cookie_session);
	}
	arena_release(&ar);
	return rc;
}

/* The slot of this thread's cache that holds token's session. */
static struct sess_entry *cache_slot(const char *token)
{
	unsigned h = 0;
	for (const char *p = token; *p; p++)
		h = h * 31u + (unsigned char)*p;
	return &sess_cache[h % SESS_CACHE];
}

/* The session of r's cookie into *s (its expiry and last use into
 * *expires, *seen): from the cache entry ce when it is valid at gen and
 * now, else from the database; and what the idle clock says of its use in
 * *v.  A cached session the clock finds idle is asked of the database
 * again, whose last_seen may be later.  RC_AUTH when there is none. */
static enum rc session_find(struct req *r, struct sess_entry *ce, uint64_t gen, int64_t now,
			    struct sess *s, int64_t *expires, int64_t *seen, enum web_idle *v)
{
	bool cached = ce->gen == gen && ce->expires > now &&
		      strcmp(ce->s.token, r->cookie_session) == 0;
	enum rc rc = RC_OK;
	if (cached) {
		*s = ce->s;
		*expires = ce->expires;
		*seen = ce->seen;
	} else {
		rc = session_load(r, now, s, expires, seen);
	}
	*v = WEB_IDLE_DEAD;
	if (rc == RC_OK)
		*v = web_idle_touch(r->cookie_session, now, *seen, app_cfg.session_idle, idle_every());
	if (rc == RC_OK && *v == WEB_IDLE_DEAD && cached) {
		/* The cached last_seen may be older than the row's: ask the row. */
		ce->gen = 0;
		rc = session_load(r, now, s, expires, seen);
		if (rc == RC_OK)
			*v = web_idle_touch(r->cookie_session, now, *seen, app_cfg.session_idle,
					    idle_every());
	}
	return rc;
}

/* The session's use now written to its row (last_seen, into *seen).  A
 * failure other than the session having ended (RC_AUTH) is logged and let
 * pass: the use is not recorded this time, the next one is. */
static enum rc session_record_use(struct req *r, int64_t now, int64_t *seen)
{
	struct err e = {0};
	enum rc rc = store_session_touch(ACTX(r)->db, r->cookie_session, now, &e);
	if (rc == RC_OK) {
		*seen = now;
	} else if (rc != RC_AUTH) {
		log_warn("session use not recorded: %s", e.msg);
		rc = RC_OK;
	}
	return rc;
}

enum rc app_session(struct req *r)
{
	if (!web_token_valid(r->cookie_session))
		return RC_OK;
	int64_t now = app_now(), expires = 0, seen = 0;
	uint64_t gen = app_commit_gen(r);
	struct sess_entry *ce = cache_slot(r->cookie_session);
	struct sess *s = xcalloc(1, sizeof *s);
	enum web_idle v;
	enum rc rc = session_find(r, ce, gen, now, s, &expires, &seen, &v);
	if (rc == RC_OK && v == WEB_IDLE_WRITE)
		rc = session_record_use(r, now, &seen);
	if (rc != RC_OK || v == WEB_IDLE_DEAD) {
		free(s);
		ce->gen = 0;
		if (rc != RC_OK && rc != RC_AUTH)
			return rc;
		/* Idle by this process's clock: the row goes now; otherwise the
		 * store has it ended already. */
		session_dead(r, rc == RC_OK);
		return RC_OK;
	}
	ce->gen = gen;
	ce->expires = expires;
	ce->seen = seen;
	ce->s = *s;
	r->user = s;
	r->logged_in = true;
	snprintf(r->csrf, sizeof r->csrf, "%s", s->csrf);
	return RC_OK;
}

enum rc app_session_start(struct req *r, int64_t user_id)
{
	char token[STORE_TOKEN_HEX], csrf[STORE_TOKEN_HEX];
	int64_t now = app_now();
	enum rc rc = store_session_new(ACTX(r)->db, user_id, now, app_cfg.session_max, token, csrf,
				       &r->err);
	if (rc != RC_OK)
		return rc;
	web_idle_touch(token, now, now, app_cfg.session_idle, idle_every());
	free(r->new_cookie);
	r->new_cookie = web_cookie(token, r->tls);
	snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
	sodium_memzero(token, sizeof token);
	return RC_OK;
}
void app_session_free(void *p)
{
	free(p);
}
