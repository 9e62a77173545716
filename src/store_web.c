/*
 * store_web.c -- what the web servers share through the database: failed
 * logins counted per key, and uploads kept between a preview and its
 * confirmation (schema 7).
 *
 * Both used to live in one server's memory, which several servers in front
 * of one PostgreSQL database do not share: a guesser got the limits once
 * per server, and a confirmation that reached another server than its
 * upload found nothing.  Each is a small table written in short
 * transactions of its own (store_tx as the system, no audit row), so on
 * PostgreSQL they take the writers' lock as every write does, and every
 * server reads what any server wrote.
 *
 * Invariants:
 *   - Bounded: counters whose window ended and uploads past their time go
 *     whenever a failure or an upload is written; past STORE_LOGIN_ROWS
 *     counters that are no account's, and past the caller's max uploads,
 *     the oldest go in the same transaction.
 *   - The policy (which keys, the limits, the delays, the time an upload
 *     lives) is the caller's: web_throttle.c and web_stage.c.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- failed logins -------------------------------------------------------------- */

static bool key_ok(const char *key)
{
	return key && *key && strlen(key) <= STORE_LOGIN_KEY_MAX;
}

enum rc store_login_get(struct store *st, const char *key, int64_t now, int64_t window,
			struct store_login_count *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!key_ok(key))
		return ERR(e, RC_INVALID, "a login counter's key is empty or too long");
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_LOGIN_FAIL_GET, ARGS(A_TEXT(key), A_INT(now), A_INT(window)),
				&q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		out->start = col_int64(q, 0);
		out->last = col_int64(q, 1);
		int64_t n = col_int64(q, 2);
		out->fails = n < 0 ? 0 : n > (int64_t)UINT32_MAX ? UINT32_MAX : (unsigned)n;
	}
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return stmt_failed(st);
	return RC_OK;
}

struct login_arg {
	const struct store_login_key *keys;
	const char *const *names;
	size_t n;
	int64_t now, window;
};

static enum rc login_fail_tx(struct store *st, void *arg, struct err *e)
{
	const struct login_arg *a = arg;
	enum rc rc = RC_OK;
	for (size_t i = 0; !rc && i < a->n; i++)
		rc = stmt_run(st, ST_LOGIN_FAIL_ADD,
			      ARGS(A_TEXT(a->keys[i].key), A_INT(a->keys[i].account ? 1 : 0),
				   A_INT(a->now), A_INT(a->window)),
			      e);
	if (!rc)
		rc = stmt_run(st, ST_LOGIN_FAIL_EXPIRE, ARGS(A_INT(a->now - a->window)), e);
	int64_t rows = 0;
	if (!rc)
		rc = stmt_int64(st, ST_LOGIN_FAIL_ROWS, NO_ARGS, 0, &rows, e);
	if (!rc && rows > STORE_LOGIN_ROWS)
		rc = stmt_run(st, ST_LOGIN_FAIL_EVICT, ARGS(A_INT(rows - STORE_LOGIN_ROWS)), e);
	return rc;
}

enum rc store_login_fail(struct store *st, const struct store_login_key *keys, size_t n,
			 int64_t now, int64_t window, struct err *e)
{
	for (size_t i = 0; i < n; i++)
		if (!key_ok(keys[i].key))
			return ERR(e, RC_INVALID, "a login counter's key is empty or too long");
	if (window <= 0)
		return ERR(e, RC_INVALID, "a login counter's window must be positive");
	struct login_arg a = {.keys = keys, .n = n, .now = now, .window = window};
	return store_tx(st, &WHO_SYSTEM, login_fail_tx, &a, e);
}

static enum rc login_forgive_tx(struct store *st, void *arg, struct err *e)
{
	const struct login_arg *a = arg;
	enum rc rc = RC_OK;
	for (size_t i = 0; !rc && i < a->n; i++)
		rc = stmt_run(st, ST_LOGIN_FAIL_FORGIVE, ARGS(A_TEXT(a->names[i])), e);
	return rc;
}

enum rc store_login_forgive(struct store *st, const char *const *keys, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++)
		if (!key_ok(keys[i]))
			return ERR(e, RC_INVALID, "a login counter's key is empty or too long");
	struct login_arg a = {.names = keys, .n = n};
	return store_tx(st, &WHO_SYSTEM, login_forgive_tx, &a, e);
}

/* One statement with at most one integer, in a transaction of its own. */
struct one_arg {
	enum stmt s;
	int64_t i;
	bool has_i;
};

static enum rc run_one_tx(struct store *st, void *arg, struct err *e)
{
	const struct one_arg *a = arg;
	return stmt_run(st, a->s, a->has_i ? ARGS(A_INT(a->i)) : NO_ARGS, e);
}

static enum rc run_one(struct store *st, enum stmt s, const int64_t *i, struct err *e)
{
	struct one_arg a = {s, i ? *i : 0, i != NULL};
	return store_tx(st, &WHO_SYSTEM, run_one_tx, &a, e);
}

enum rc store_login_expire(struct store *st, int64_t now, int64_t window, struct err *e)
{
	int64_t before = now - window;
	return run_one(st, ST_LOGIN_FAIL_EXPIRE, &before, e);
}

enum rc store_login_clear(struct store *st, struct err *e)
{
	return run_one(st, ST_LOGIN_FAIL_CLEAR, NULL, e);
}

/* ---- staged uploads --------------------------------------------------------------- */

static bool token_ok(const char *token)
{
	return token && *token && strlen(token) <= STORE_STAGED_TOKEN_MAX;
}

struct staged_arg {
	int64_t user_id, now, ttl;
	const char *token, *name;
	const void *data;
	size_t len;
	int max;
};

static enum rc staged_put_tx(struct store *st, void *arg, struct err *e)
{
	const struct staged_arg *a = arg;
	enum rc rc = stmt_run(st, ST_STAGED_EXPIRE, ARGS(A_INT(a->now - a->ttl)), e);
	if (!rc)
		rc = stmt_run(st, ST_STAGED_DROP_USER, ARGS(A_INT(a->user_id)), e);
	if (!rc)
		rc = stmt_run(st, ST_STAGED_PUT,
			      ARGS(A_INT(a->user_id), A_TEXT(a->token), A_INT(a->now),
				   A_TEXT(a->name), A_BLOB(a->data, a->len)),
			      e);
	if (!rc)
		rc = stmt_run(st, ST_STAGED_TRIM, ARGS(A_INT(a->max)), e);
	return rc;
}

enum rc store_staged_put(struct store *st, int64_t user_id, const char *token, const char *name,
			 const void *data, size_t len, int64_t now, int64_t ttl, int max,
			 struct err *e)
{
	if (!token_ok(token) || user_id <= 0 || ttl <= 0 || max <= 0)
		return ERR(e, RC_INVALID, "a staged upload needs a user, a token, a time and room");
	if (len > STORE_STAGED_MAX)
		return ERR(e, RC_TOOBIG, "a staged upload holds at most %u bytes", STORE_STAGED_MAX);
	struct staged_arg a = {user_id, now, ttl, token, name ? name : "", data ? data : "", len,
			       max};
	return store_tx(st, &WHO_SYSTEM, staged_put_tx, &a, e);
}

enum rc store_staged_get(struct store *st, int64_t user_id, const char *token, int64_t now,
			 int64_t ttl, char **data, size_t *len, char *name, size_t name_size,
			 struct err *e)
{
	*data = NULL;
	*len = 0;
	if (name_size)
		name[0] = '\0';
	if (!token_ok(token))
		return ERR(e, RC_NOTFOUND, "no such staged upload");
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_STAGED_GET, ARGS(A_INT(user_id), A_INT(now - ttl)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	bool found = false;
	if (r == DB_ROW) {
		const char *t = col_text(q, 0);
		size_t tn = t ? strlen(t) : 0;
		found = tn == strlen(token) && sodium_memcmp(t, token, tn) == 0;
	}
	if (found) {
		size_t n = col_bytes(q, 2);
		const char *d = col_text(q, 2);
		*data = xmalloc(n + 1);
		if (n)
			memcpy(*data, d, n);
		(*data)[n] = '\0';
		*len = n;
		if (name_size)
			snprintf(name, name_size, "%s", col_text(q, 1));
	}
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return stmt_failed(st);
	return found ? RC_OK : ERR(e, RC_NOTFOUND, "no such staged upload");
}

static enum rc staged_drop_tx(struct store *st, void *arg, struct err *e)
{
	const struct staged_arg *a = arg;
	return stmt_run(st, ST_STAGED_DROP, ARGS(A_INT(a->user_id), A_TEXT(a->token)), e);
}

enum rc store_staged_drop(struct store *st, int64_t user_id, const char *token, struct err *e)
{
	if (!token_ok(token))
		return RC_OK;
	struct staged_arg a = {.user_id = user_id, .token = token};
	return store_tx(st, &WHO_SYSTEM, staged_drop_tx, &a, e);
}

enum rc store_staged_expire(struct store *st, int64_t now, int64_t ttl, struct err *e)
{
	int64_t before = now - ttl;
	return run_one(st, ST_STAGED_EXPIRE, &before, e);
}

enum rc store_staged_count(struct store *st, int64_t *n, struct err *e)
{
	return stmt_int64(st, ST_STAGED_COUNT, NO_ARGS, 0, n, e);
}

enum rc store_staged_clear(struct store *st, struct err *e)
{
	return run_one(st, ST_STAGED_CLEAR, NULL, e);
}
