/*
 * store_user.c -- units (a tree, with its closure table unit_tree kept in
 * the same transaction as every change of a parent), users (Argon2id
 * password hashes from libsodium) and web sessions (only the SHA-256 of the
 * token is stored).
 *
 * Invariants: unit_tree holds (a, d, depth) for every ancestor a of d,
 * (d, d, 0) included; store_verify() checks it against unit.parent_id.  No
 * unit is more than STORE_UNIT_DEPTH_MAX levels below its root (the
 * recursive queries over the tree stop at 64).
 * Sessions are not audited (they are not part of the ledger); everything
 * else here is.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

/* ---- units -------------------------------------------------------------- */

void unit_list_release(struct unit_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

/* 1..max bytes of UTF-8 without control characters. */
static int name_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max || !text_utf8_valid(s, n, NULL))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

struct unit_arg {
	const char *name;
	int64_t id, parent;
};

static enum rc unit_exists(struct store *st, int64_t id, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_UNIT_GET, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	stmt_reset(q);
	if (r == DB_ROW)
		return RC_OK;
	if (r == DB_DONE)
		return ERRC(e, RC_INVALID, STORE_E_NO_UNIT, "no unit %lld", (long long)id);
	return store_dberr(st, e, "unit");
}

/* The value of a one-column statement about unit id (ST_UNIT_DEPTH,
 * ST_UNIT_HEIGHT). */
static enum rc unit_levels(struct store *st, enum stmt s, int64_t id, int *out, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, s, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	*out = r == DB_ROW ? col_int(q, 0) : 0;
	stmt_reset(q);
	return r == DB_ROW ? RC_OK : store_dberr(st, e, "unit");
}

/* Refuse a subtree of `height` levels placed right below `parent` when it
 * would reach deeper than STORE_UNIT_DEPTH_MAX. */
static enum rc unit_depth_ok(struct store *st, int64_t parent, int height, struct err *e)
{
	int depth;
	enum rc rc = unit_levels(st, ST_UNIT_DEPTH, parent, &depth, e);
	if (rc)
		return rc;
	if (depth + 1 + height > STORE_UNIT_DEPTH_MAX)
		return ERRC(e, RC_INVALID, STORE_E_UNIT_DEPTH,
			    "the unit tree would be too deep: at most %d levels "
			    "below a top unit",
			    STORE_UNIT_DEPTH_MAX);
	return RC_OK;
}

enum rc unit_insert(struct store *st, const char *name, int64_t parent, int64_t *id,
		    struct err *e)
{
	enum rc rc;
	if (!name_ok(name, STORE_NAME_MAX))
		return ERRC(e, RC_INVALID, STORE_E_UNIT_NAME,
			    "a unit needs a name of 1 to %d bytes of UTF-8 without "
			    "control characters", STORE_NAME_MAX);
	if (parent && ((rc = unit_exists(st, parent, e)) || (rc = unit_depth_ok(st, parent, 0, e))))
		return rc;
	struct dbq *q;
	rc = stmt_query(st, ST_UNIT_INSERT, ARGS(A_TEXT(name), A_ID(parent)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r != DB_DONE) {
		stmt_reset(q);
		if (r == DB_CONSTRAINT)
			return ERRC(e, RC_CONFLICT, STORE_E_UNIT_TAKEN,
				    "a unit named '%s' exists already", name);
		return stmt_failed(st);
	}
	stmt_reset(q);
	*id = db_last_id(st);
	rc = stmt_query(st, ST_UNIT_TREE_ADD, ARGS(A_INT(*id), A_ID(parent)), &q, e);
	if (rc)
		return rc;
	if ((rc = stmt_done(st, q, e)))
		return rc;
	return audit_insert(st, "unit-add", ENT_UNIT, *id, e);
}

static enum rc unit_add_tx(struct store *st, void *arg, struct err *e)
{
	struct unit_arg *a = arg;
	return unit_insert(st, a->name, a->parent, &a->id, e);
}

enum rc store_unit_add(struct store *st, const struct who *w, const char *name,
		       int64_t parent_id, int64_t *id, struct err *e)
{
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) manages units");
	if (!name_ok(name, STORE_NAME_MAX))
		return ERRC(e, RC_INVALID, STORE_E_UNIT_NAME,
			    "a unit needs a name of 1 to %d bytes of UTF-8 without "
			    "control characters", STORE_NAME_MAX);
	struct unit_arg a = {name, 0, parent_id};
	enum rc rc = store_tx(st, w, unit_add_tx, &a, e);
	if (!rc && id)
		*id = a.id;
	return rc;
}

enum rc store_unit_list(struct store *st, const struct who *w, struct unit_list *out,
			struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_UNIT_LIST, ARGS(A_INT(who_scope(w))), &q, e);
	if (rc)
		return rc;
	VEC(struct unit) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct unit *u = VEC_PUSH(v);
		u->id = col_int64(q, 0);
		u->parent_id = col_id(q, 1);
		u->name = col_str(q, 2, &out->arena);
		u->depth = col_int(q, 3);
		u->n_users = col_int(q, 4);
		u->n_tasks = col_int(q, 5);
		u->version = col_int64(q, 6);
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "units");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

enum rc store_unit_find(struct store *st, const char *name, int64_t *id, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_UNIT_FIND, ARGS(A_TEXT(name)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW)
		*id = col_int64(q, 0);
	stmts_reset(st);
	if (r == DB_ROW)
		return RC_OK;
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_UNIT, "no unit named '%s'", name);
	return store_dberr(st, e, "unit");
}

struct unit_change_arg {
	int64_t id;
	const struct unit_change *c;
	int64_t new_version;
};

/* A new parent for unit a->id: no cycle, not too deep; the closure follows. */
static enum rc unit_reparent(struct store *st, int64_t id, int64_t parent, struct err *e)
{
	enum rc rc;
	if (parent) {
		if ((rc = unit_exists(st, parent, e)))
			return rc;
		struct dbq *q;
		rc = stmt_query(st, ST_UNIT_IS_BELOW,
				ARGS(A_INT(id), A_INT(parent)), &q, e);
		if (rc)
			return rc;
		int r = stmt_step(st, q, e);
		stmt_reset(q);
		if (r != DB_ROW && r != DB_DONE)
			return stmt_failed(st);
		if (r == DB_ROW)
			return ERRC(e, RC_CONFLICT, STORE_E_UNIT_CYCLE,
				    "a unit cannot be placed under itself or one of its own "
				    "sub-units");
		int height;
		if ((rc = unit_levels(st, ST_UNIT_HEIGHT, id, &height, e)) ||
		    (rc = unit_depth_ok(st, parent, height, e)))
			return rc;
	}
	struct dbq *q;
	rc = stmt_query(st, ST_UNIT_SET_PARENT, ARGS(A_INT(id), A_ID(parent)), &q, e);
	if (rc)
		return rc;
	if ((rc = stmt_done(st, q, e)))
		return rc;
	rc = stmt_query(st, ST_UNIT_TREE_DETACH, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	if ((rc = stmt_done(st, q, e)))
		return rc;
	if (!parent)
		return RC_OK;
	rc = stmt_query(st, ST_UNIT_TREE_ATTACH, ARGS(A_INT(id), A_INT(parent)), &q, e);
	if (rc)
		return rc;
	return stmt_done(st, q, e);
}

static enum rc unit_rename1(struct store *st, int64_t id, const char *name, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_UNIT_RENAME, ARGS(A_INT(id), A_TEXT(name)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r != DB_DONE) {
		stmt_reset(q);
		if (r == DB_CONSTRAINT)
			return ERRC(e, RC_CONFLICT, STORE_E_UNIT_TAKEN,
				    "a unit named '%s' exists already", name);
		return stmt_failed(st);
	}
	stmt_reset(q);
	return RC_OK;
}

/* The row `id` read by stmt (its version) is at version `want`: RC_NOTFOUND
 * (nf_code) when gone, RC_CONFLICT (STORE_E_STALE) when changed since. */
static enum rc version_is(struct store *st, int stmt, const char *what, const char *nf_code,
			  int64_t id, int64_t want, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, stmt, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	int64_t cur = r == DB_ROW ? col_int64(q, 0) : 0;
	stmt_reset(q);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, nf_code, "no %s %lld", what, (long long)id);
	if (r != DB_ROW)
		return store_dberr(st, e, what);
	if (cur != want)
		return ERRC(e, RC_CONFLICT, STORE_E_STALE,
			    "%s %lld was changed by someone else (version %lld, you had %lld); "
			    "reload it",
			    what, (long long)id, (long long)cur, (long long)want);
	return RC_OK;
}

static enum rc unit_change_tx(struct store *st, void *arg, struct err *e)
{
	struct unit_change_arg *a = arg;
	const struct unit_change *c = a->c;
	enum rc rc = version_is(st, ST_UNIT_VERSION, "unit", STORE_E_NO_UNIT, a->id, c->version, e);
	if (rc)
		return rc;
	char *before;
	if ((rc = audit_image(st, ENT_UNIT, a->id, &before, e)))
		return rc;
	if (c->name)
		rc = unit_rename1(st, a->id, c->name, e);
	if (!rc && c->move)
		rc = unit_reparent(st, a->id, c->parent_id, e);
	if (!rc)
		rc = stmt_run(st, ST_UNIT_BUMP, ARGS(A_INT(a->id), A_INT(c->version)), e);
	if (rc) {
		free(before);
		return rc;
	}
	a->new_version = c->version + 1;
	const char *action = c->name && c->move ? "unit-update" : c->name ? "unit-rename"
									  : "unit-move";
	return audit_change(st, action, ENT_UNIT, a->id, before, e);
}

enum rc store_unit_update(struct store *st, const struct who *w, int64_t id,
			  const struct unit_change *c, int64_t *new_version, struct err *e)
{
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) manages units");
	if (c->name && !name_ok(c->name, STORE_NAME_MAX))
		return ERRC(e, RC_INVALID, STORE_E_UNIT_NAME,
			    "a unit needs a name of 1 to %d bytes of UTF-8 without "
			    "control characters", STORE_NAME_MAX);
	if (!c->name && !c->move)
		return ERRC(e, RC_INVALID, STORE_E_NOTHING_TO_CHANGE, "nothing to change");
	struct unit_change_arg a = {id, c, 0};
	enum rc rc = store_tx(st, w, unit_change_tx, &a, e);
	if (!rc && new_version)
		*new_version = a.new_version;
	return rc;
}

enum rc store_unit_set_parent(struct store *st, const struct who *w, int64_t id,
			      int64_t version, int64_t parent_id, int64_t *new_version,
			      struct err *e)
{
	struct unit_change c = {version, NULL, 1, parent_id};
	return store_unit_update(st, w, id, &c, new_version, e);
}

enum rc store_unit_rename(struct store *st, const struct who *w, int64_t id, int64_t version,
			  const char *name, int64_t *new_version, struct err *e)
{
	if (!name)
		return ERRC(e, RC_INVALID, STORE_E_UNIT_NAME, "a unit needs a name");
	struct unit_change c = {version, name, 0, 0};
	return store_unit_update(st, w, id, &c, new_version, e);
}

enum rc store_unit_get(struct store *st, int64_t id, struct unit *out, struct arena *arena,
		       struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_UNIT_ONE, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		out->id = col_int64(q, 0);
		out->parent_id = col_id(q, 1);
		out->name = col_str(q, 2, arena);
		out->depth = col_int(q, 3);
		out->n_users = col_int(q, 4);
		out->version = col_int64(q, 6);
	}
	stmts_reset(st);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_UNIT, "no unit %lld", (long long)id);
	if (r != DB_ROW)
		return store_dberr(st, e, "unit");
	return RC_OK;
}

/* ---- users ---------------------------------------------------------------- */

void user_list_release(struct user_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

static int login_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > STORE_LOGIN_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static enum rc password_ok(const char *p, struct err *e)
{
	size_t n = p ? strlen(p) : 0;
	if (n < STORE_PASSWORD_MIN)
		return ERRC(e, RC_INVALID, STORE_E_PASSWORD_SHORT,
			    "the password must have at least %d characters", STORE_PASSWORD_MIN);
	if (n > STORE_PASSWORD_MAX)
		return ERRC(e, RC_INVALID, STORE_E_PASSWORD_LONG,
			    "the password must have at most %d bytes", STORE_PASSWORD_MAX);
	return RC_OK;
}

static enum rc hash_password(const char *p, char out[crypto_pwhash_STRBYTES], struct err *e)
{
	if (crypto_pwhash_str(out, p, strlen(p), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ERR(e, RC_INTERNAL, "cannot hash the password (out of memory?)");
	return RC_OK;
}

struct user_arg {
	const char *login, *name, *pwhash;
	enum role role;
	int64_t unit_id, id;
	int active;
};

static enum rc user_add_tx(struct store *st, void *arg, struct err *e)
{
	struct user_arg *a = arg;
	enum rc rc;
	if (a->unit_id && (rc = unit_exists(st, a->unit_id, e)))
		return rc;
	struct dbq *q;
	rc = stmt_query(st, ST_USER_INSERT,
			ARGS(A_TEXT(a->login), A_TEXT(a->name), A_INT((int)a->role),
			     A_ID(a->unit_id), A_TEXT(a->pwhash), A_TEXT(st->tx_at)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r != DB_DONE) {
		stmt_reset(q);
		if (r == DB_CONSTRAINT)
			return ERRC(e, RC_CONFLICT, STORE_E_LOGIN_TAKEN,
				    "a user '%s' exists already", a->login);
		return stmt_failed(st);
	}
	stmt_reset(q);
	a->id = db_last_id(st);
	return audit_insert(st, "user-add", ENT_USER, a->id, e);
}

/* Inside a transaction: a user with a ready hash (the generator). */
enum rc store_user_add_hashed(struct store *st, const struct who *w, const char *login,
			      const char *name, enum role role, int64_t unit_id,
			      const char *pwhash, int64_t *id, struct err *e)
{
	(void)w;
	struct user_arg a = {login, name, pwhash, role, unit_id, 0, 1};
	enum rc rc = user_add_tx(st, &a, e);
	if (!rc && id)
		*id = a.id;
	return rc;
}

enum rc store_user_add(struct store *st, const struct who *w, const char *login,
		       const char *name, enum role role, int64_t unit_id, const char *password,
		       int64_t *id, struct err *e)
{
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) manages users");
	if (!login_ok(login))
		return ERRC(e, RC_INVALID, STORE_E_LOGIN,
			    "a login is 1 to %d letters, digits, '.', '_' or '-'", STORE_LOGIN_MAX);
	if (!name_ok(name, STORE_NAME_MAX))
		return ERRC(e, RC_INVALID, STORE_E_USER_NAME,
			    "a user needs a name of 1 to %d bytes of UTF-8 without "
			    "control characters", STORE_NAME_MAX);
	if ((unsigned)role >= ROLE__MAX)
		return ERRC(e, RC_INVALID, STORE_E_ROLE, "no such role");
	if ((role == ROLE_LEADER || role == ROLE_HANDLER) && !unit_id)
		return ERRC(e, RC_INVALID, STORE_E_UNIT_NEEDED, "a %s belongs to a unit: name one",
			    role_name(role));
	enum rc rc = password_ok(password, e);
	if (rc)
		return rc;
	char h[crypto_pwhash_STRBYTES];
	if ((rc = hash_password(password, h, e)))
		return rc;
	struct user_arg a = {login, name, h, role, unit_id, 0, 1};
	rc = store_tx(st, w, user_add_tx, &a, e);
	sodium_memzero(h, sizeof h);
	if (!rc && id)
		*id = a.id;
	return rc;
}

/* A hash to verify against when the login is unknown, so that the time
 * taken does not tell whether a login exists.  Made once per process
 * (pthread_once: web workers log in concurrently). */
static char dummy[crypto_pwhash_STRBYTES];

static void dummy_init(void)
{
	char pw[33];
	util_random_hex(pw, sizeof pw);
	if (crypto_pwhash_str(dummy, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy[0] = '\0';
}

static const char *dummy_hash(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, dummy_init);
	return dummy;
}

enum rc store_user_verify(struct store *st, const char *login, const char *password,
			  struct who *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!login || !password || strlen(password) > STORE_PASSWORD_MAX)
		return ERRC(e, RC_AUTH, STORE_E_LOGIN_FAILED, "wrong login or password");
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_USER_AUTH, ARGS(A_TEXT(login)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	char h[crypto_pwhash_STRBYTES] = "";
	struct who w = {0};
	int active = 0;
	if (r == DB_ROW) {
		w.user_id = col_int64(q, 0);
		w.role = (enum role)col_int(q, 1);
		w.unit_id = col_id(q, 2);
		snprintf(h, sizeof h, "%s", col_text(q, 3));
		active = col_int(q, 4);
	}
	stmts_reset(st);
	if (r != DB_ROW && r != DB_DONE)
		return store_dberr(st, e, "login");
	const char *check = r == DB_ROW ? h : dummy_hash();
	int ok = crypto_pwhash_str_verify(check, password, strlen(password)) == 0;
	if (!ok || r != DB_ROW || !active)
		return ERRC(e, RC_AUTH, STORE_E_LOGIN_FAILED, "wrong login or password");
	*out = w;
	return RC_OK;
}

struct pw_arg {
	int64_t user_id;
	const char *old, *hash;
};

static enum rc user_pw_tx(struct store *st, void *arg, struct err *e)
{
	struct pw_arg *a = arg;
	char *before;
	enum rc rc = audit_image(st, ENT_USER, a->user_id, &before, e);
	if (rc)
		return rc;
	if (!before)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_USER, "no user %lld", (long long)a->user_id);
	if (a->old) {
		struct dbq *q;
		rc = stmt_query(st, ST_USER_PWHASH, ARGS(A_INT(a->user_id)), &q, e);
		if (rc) {
			free(before);
			return rc;
		}
		char h[crypto_pwhash_STRBYTES] = "";
		int r = stmt_step(st, q, e);
		if (r == DB_ROW)
			snprintf(h, sizeof h, "%s", col_text(q, 0));
		stmt_reset(q);
		if (r != DB_ROW && r != DB_DONE) {
			free(before);
			return stmt_failed(st);
		}
		if (crypto_pwhash_str_verify(h, a->old, strlen(a->old)) != 0) {
			free(before);
			return ERRC(e, RC_AUTH, STORE_E_PASSWORD_OLD,
				    "the current password is wrong");
		}
	}
	struct dbq *q;
	rc = stmt_query(st, ST_USER_SET_PWHASH,
			ARGS(A_INT(a->user_id), A_TEXT(a->hash)), &q, e);
	if (rc) {
		free(before);
		return rc;
	}
	rc = stmt_done(st, q, e);
	if (rc) {
		free(before);
		return rc;
	}
	/* Sessions opened with the old password end. */
	rc = stmt_query(st, ST_SESSION_DELETE_USER, ARGS(A_INT(a->user_id)), &q, e);
	if (rc) {
		free(before);
		return rc;
	}
	if ((rc = stmt_done(st, q, e))) {
		free(before);
		return rc;
	}
	return audit_change(st, "user-password", ENT_USER, a->user_id, before, e);
}

enum rc store_user_password(struct store *st, const struct who *w, int64_t user_id,
			    const char *old_password, const char *new_password, struct err *e)
{
	if (w->user_id != user_id && w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_PASSWORD_OTHER,
			    "only the office (admin) changes another user's password");
	if (w->user_id == user_id && w->role != ROLE_ADMIN && !old_password)
		return ERRC(e, RC_INVALID, STORE_E_PASSWORD_OLD, "give the current password");
	enum rc rc = password_ok(new_password, e);
	if (rc)
		return rc;
	char h[crypto_pwhash_STRBYTES];
	if ((rc = hash_password(new_password, h, e)))
		return rc;
	struct pw_arg a = {user_id, w->user_id == user_id ? old_password : NULL, h};
	rc = store_tx(st, w, user_pw_tx, &a, e);
	sodium_memzero(h, sizeof h);
	return rc;
}

struct user_update_arg {
	int64_t id;
	const struct user_change *c;
	const char *pwhash;             /* the new password's hash, or NULL */
	int64_t new_version;
};

/* After a change in the transaction: an active admin is left, or the
 * change is refused (and rolled back): nobody could manage users again. */
static enum rc admin_remains(struct store *st, struct err *e)
{
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_USER_ACTIVE_ADMINS, ARGS(A_INT(ROLE_ADMIN)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	int64_t n = r == DB_ROW ? col_int64(q, 0) : 0;
	stmt_reset(q);
	if (r != DB_ROW)
		return store_dberr(st, e, "user");
	if (n == 0)
		return ERRC(e, RC_CONFLICT, STORE_E_LAST_ADMIN,
			    "this is the last active admin: make another user an active admin "
			    "first, or the ledger's users could no longer be managed");
	return RC_OK;
}

static enum rc user_update_tx(struct store *st, void *arg, struct err *e)
{
	struct user_update_arg *a = arg;
	const struct user_change *c = a->c;
	enum rc rc;
	if (c->unit_id && (rc = unit_exists(st, c->unit_id, e)))
		return rc;
	if ((rc = version_is(st, ST_USER_VERSION, "user", STORE_E_NO_USER, a->id, c->version, e)))
		return rc;
	/* A change that keeps everything writes nothing (no new version). */
	struct dbq *q;
	rc = stmt_query(st, ST_USER_SAME,
			ARGS(A_INT(a->id), A_INT((int)c->role), A_ID(c->unit_id),
			     A_INT(c->active ? 1 : 0)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	int same = r == DB_ROW && col_int(q, 0);
	stmt_reset(q);
	if (r != DB_ROW)
		return store_dberr(st, e, "user");
	if (same && !a->pwhash)
		return ERRC(e, RC_INVALID, STORE_E_NOTHING_TO_CHANGE, "nothing to change");
	char *before;
	if ((rc = audit_image(st, ENT_USER, a->id, &before, e)))
		return rc;
	rc = stmt_query(st, ST_USER_UPDATE,
			ARGS(A_INT(a->id), A_INT((int)c->role), A_ID(c->unit_id),
			     A_INT(c->active ? 1 : 0), A_INT(c->version),
			     A_TEXT(a->pwhash)), &q, e);
	if (rc) {
		free(before);
		return rc;
	}
	if ((rc = stmt_done(st, q, e)) || (rc = admin_remains(st, e))) {
		free(before);
		return rc;
	}
	/* Deactivated, or a new password: the user's sessions end. */
	if (!c->active || a->pwhash) {
		rc = stmt_query(st, ST_SESSION_DELETE_USER, ARGS(A_INT(a->id)), &q, e);
		if (rc) {
			free(before);
			return rc;
		}
		if ((rc = stmt_done(st, q, e))) {
			free(before);
			return rc;
		}
	}
	a->new_version = c->version + 1;
	return audit_change(st, a->pwhash ? "user-update-password" : "user-update", ENT_USER,
			    a->id, before, e);
}

enum rc store_user_update(struct store *st, const struct who *w, int64_t user_id,
			  const struct user_change *c, int64_t *new_version, struct err *e)
{
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) manages users");
	if ((unsigned)c->role >= ROLE__MAX)
		return ERRC(e, RC_INVALID, STORE_E_ROLE, "no such role");
	if ((c->role == ROLE_LEADER || c->role == ROLE_HANDLER) && !c->unit_id)
		return ERRC(e, RC_INVALID, STORE_E_UNIT_NEEDED, "a %s belongs to a unit: name one",
			    role_name(c->role));
	enum rc rc;
	char h[crypto_pwhash_STRBYTES];
	if (c->password && ((rc = password_ok(c->password, e)) ||
			    (rc = hash_password(c->password, h, e))))
		return rc;
	struct user_update_arg a = {user_id, c, c->password ? h : NULL, 0};
	rc = store_tx(st, w, user_update_tx, &a, e);
	sodium_memzero(h, sizeof h);
	if (!rc && new_version)
		*new_version = a.new_version;
	return rc;
}

static void user_from_row(struct dbq *q, struct user *u, struct arena *a)
{
	u->id = col_int64(q, 0);
	u->login = col_str(q, 1, a);
	u->name = col_str(q, 2, a);
	u->role = (enum role)col_int(q, 3);
	u->unit_id = col_id(q, 4);
	u->unit_name = col_str(q, 5, a);
	u->active = col_int(q, 6);
	u->version = col_int64(q, 7);
}

enum rc store_user_list(struct store *st, const struct who *w, struct user_list *out,
			struct err *e)
{
	(void)w;
	memset(out, 0, sizeof *out);
	struct dbq *q = stmt_get(st, ST_USER_LIST, e);
	if (!q)
		return RC_INTERNAL;
	VEC(struct user) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW)
		user_from_row(q, VEC_PUSH(v), &out->arena);
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "users");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

enum rc store_user_who(struct store *st, const char *login, struct who *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_USER_AUTH, ARGS(A_TEXT(login)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	int active = 0;
	if (r == DB_ROW) {
		out->user_id = col_int64(q, 0);
		out->role = (enum role)col_int(q, 1);
		out->unit_id = col_id(q, 2);
		active = col_int(q, 4);
	}
	stmts_reset(st);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_USER, "no user '%s'", login);
	if (r != DB_ROW)
		return store_dberr(st, e, "user");
	if (!active) {
		memset(out, 0, sizeof *out);
		return ERRC(e, RC_DENIED, STORE_E_USER_INACTIVE, "user '%s' is deactivated", login);
	}
	return RC_OK;
}

enum rc store_user_get(struct store *st, int64_t id, struct user *out, struct arena *arena,
		       struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_USER_GET, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW)
		user_from_row(q, out, arena);
	stmts_reset(st);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_USER, "no user %lld", (long long)id);
	if (r != DB_ROW)
		return store_dberr(st, e, "user");
	return RC_OK;
}

/* ---- sessions --------------------------------------------------------------- */

/* SHA-256 (hex) of the 32 bytes a token's hex stands for; -1 when the token
 * is not 64 hex digits. */
static int token_key(const char *token, char key[65])
{
	unsigned char raw[STORE_TOKEN_BYTES];
	size_t n = 0;
	if (!token || strlen(token) != 2 * STORE_TOKEN_BYTES ||
	    sodium_hex2bin(raw, sizeof raw, token, strlen(token), NULL, &n, NULL) != 0 ||
	    n != sizeof raw)
		return -1;
	util_sha256_hex(raw, sizeof raw, key);
	sodium_memzero(raw, sizeof raw);
	return 0;
}

struct session_arg {
	int64_t user_id, now, ttl;
	char key[65];
	const char *csrf;
	int purged;
};

static enum rc session_new_tx(struct store *st, void *arg, struct err *e)
{
	struct session_arg *a = arg;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_SESSION_INSERT,
			ARGS(A_TEXT(a->key), A_INT(a->user_id), A_TEXT(a->csrf), A_INT(a->now),
			     A_INT(a->now + a->ttl)), &q, e);
	if (rc)
		return rc;
	return stmt_done(st, q, e);
}

enum rc store_session_new(struct store *st, int64_t user_id, int64_t now, int64_t ttl,
			  char token[STORE_TOKEN_HEX], char csrf[STORE_TOKEN_HEX], struct err *e)
{
	if (ttl <= 0)
		return ERRC(e, RC_INVALID, STORE_E_SESSION, "a session needs a positive lifetime");
	util_random_hex(token, STORE_TOKEN_HEX);
	util_random_hex(csrf, STORE_TOKEN_HEX);
	struct session_arg a = {user_id, now, ttl, "", csrf, 0};
	if (token_key(token, a.key) != 0)
		return ERR(e, RC_INTERNAL, "token");
	struct who w = {user_id, ROLE_OBSERVER, 0};
	enum rc rc = store_tx(st, &w, session_new_tx, &a, e);
	if (rc) {
		token[0] = csrf[0] = '\0';
		if (rc == RC_CONFLICT)
			rc = ERRC(e, RC_NOTFOUND, STORE_E_NO_USER, "no user %lld",
				  (long long)user_id);
	}
	return rc;
}

enum rc store_session_get(struct store *st, const char *token, int64_t now, int64_t idle,
			  struct who *w, char csrf[STORE_TOKEN_HEX], int64_t *expires,
			  int64_t *last_seen, struct err *e)
{
	memset(w, 0, sizeof *w);
	char key[65];
	if (token_key(token, key) != 0)
		return ERRC(e, RC_AUTH, STORE_E_SESSION, "not logged in");
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_SESSION_GET,
			ARGS(A_TEXT(key), A_INT(now), A_INT(idle)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		w->user_id = col_int64(q, 0);
		w->role = (enum role)col_int(q, 1);
		w->unit_id = col_id(q, 2);
		if (csrf)
			snprintf(csrf, STORE_TOKEN_HEX, "%s", col_text(q, 3));
		if (expires)
			*expires = col_int64(q, 4);
		if (last_seen)
			*last_seen = col_int64(q, 5);
	}
	stmts_reset(st);
	sodium_memzero(key, sizeof key);
	if (r == DB_DONE)
		return ERRC(e, RC_AUTH, STORE_E_SESSION, "the session has ended; log in again");
	if (r != DB_ROW)
		return store_dberr(st, e, "session");
	return RC_OK;
}

static enum rc session_touch_tx(struct store *st, void *arg, struct err *e)
{
	struct session_arg *a = arg;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_SESSION_TOUCH, ARGS(A_TEXT(a->key), A_INT(a->now)), &q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	if (rc || db_changes(st) == 1)
		return rc;
	/* Nothing changed: already seen at now or later, or gone. */
	rc = stmt_query(st, ST_SESSION_EXISTS, ARGS(A_TEXT(a->key), A_INT(a->now)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	stmt_reset(q);
	if (r == DB_ROW)
		return RC_OK;
	if (r == DB_DONE)
		return ERRC(e, RC_AUTH, STORE_E_SESSION, "the session has ended; log in again");
	return store_dberr(st, e, "session");
}

enum rc store_session_touch(struct store *st, const char *token, int64_t now, struct err *e)
{
	struct session_arg a = {0};
	if (token_key(token, a.key) != 0)
		return ERRC(e, RC_AUTH, STORE_E_SESSION, "not logged in");
	a.now = now;
	struct who w = {0, ROLE_OBSERVER, 0};
	enum rc rc = store_tx(st, &w, session_touch_tx, &a, e);
	sodium_memzero(a.key, sizeof a.key);
	return rc;
}

static enum rc session_delete_tx(struct store *st, void *arg, struct err *e)
{
	struct session_arg *a = arg;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_SESSION_DELETE, ARGS(A_TEXT(a->key)), &q, e);
	if (rc)
		return rc;
	return stmt_done(st, q, e);
}

enum rc store_session_delete(struct store *st, const char *token, struct err *e)
{
	struct session_arg a = {0};
	if (token_key(token, a.key) != 0)
		return RC_OK;
	struct who w = {0, ROLE_OBSERVER, 0};
	return store_tx(st, &w, session_delete_tx, &a, e);
}

static enum rc session_purge_tx(struct store *st, void *arg, struct err *e)
{
	struct session_arg *a = arg;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_SESSION_PURGE, ARGS(A_INT(a->now), A_INT(a->ttl)), &q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	a->purged = db_changes(st);
	return rc;
}

enum rc store_session_purge(struct store *st, int64_t now, int64_t idle, int *purged,
			    struct err *e)
{
	struct session_arg a = {0};
	a.now = now;
	a.ttl = idle; /* the idle bound */
	struct who w = {0, ROLE_OBSERVER, 0};
	enum rc rc = store_tx(st, &w, session_purge_tx, &a, e);
	if (purged)
		*purged = rc ? 0 : a.purged;
	return rc;
}
