/*
 * store_audit.c -- the tamper-evident audit log, verify, backup, restore.
 *
 * Every change to an audited row appends one audit row in the same
 * transaction:
 *
 *     id      1, 2, 3 … with no gap
 *     at      UTC time of the transaction
 *     actor   login (or "system"), actor_id
 *     action  "assign", "submit", "import", "import-closed" …
 *     entity  the table ("task"), entity_id its row
 *     before  the row's image before the change (NULL for an insert)
 *     after   its image after (NULL for a delete)
 *     prev    hash of row id - 1 ("" for row 1)
 *     hash    SHA-256 hex of prev, id, at, actor_id, actor, action, entity,
 *             entity_id, before, after, joined by 0x1F (which none of them
 *             can hold: JSON escapes it, logins exclude it), with "-" for
 *             NULL and "=" before a non-NULL image.
 *
 * The image of a row is a JSON object built by one literal SELECT per table
 * (store_sql.h: IMG_*), the same SQL when the row is logged and when it is
 * verified.  Evidence images hold the blob's SHA-256, which verify checks
 * against the blob itself, streaming it.
 *
 * meta('audit_head') holds "id:hash" of the last row, written at every
 * commit.  verify walks the chain, compares the head, checks that each
 * row's before-image is the after-image of the entity's previous row (a
 * change made behind the program's back shows there even after later
 * writes through the program have logged the changed row as their
 * "before"), then that every audited row in the ledger equals the
 * after-image of its last audit row and that no row the log says exists is
 * missing.  So any UPDATE, DELETE, reordering or truncation made with the
 * sqlite3 tool shows; what it cannot catch is someone who rewrites the
 * whole chain consistently, which is why verify prints the head hash for
 * recording elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

const char *const ent_name[ENT__MAX] = {
	[ENT_SETTING] = "setting",     [ENT_UNIT] = "unit",
	[ENT_USER] = "user",           [ENT_CAMPAIGN] = "campaign",
	[ENT_REPORT] = "report",       [ENT_NODE] = "node",
	[ENT_TASK] = "task",           [ENT_PROGRESS] = "progress",
	[ENT_EVIDENCE] = "evidence",   [ENT_EVENT] = "task_event",
	[ENT_EXTENSION] = "extension", [ENT_COMMITMENT] = "commitment",
	[ENT_ACTIVITY] = "activity",
};

static const struct {
	enum stmt img, vfy, cnt, gone;
} ent_stmt[ENT__MAX] = {
#define E(N) {ST_IMG_##N, ST_VFY_##N, ST_CNT_##N, ST_GONE_##N}
	[ENT_SETTING] = E(SETTING),       [ENT_UNIT] = E(UNIT),
	[ENT_USER] = E(USER),             [ENT_CAMPAIGN] = E(CAMPAIGN),
	[ENT_REPORT] = E(REPORT),         [ENT_NODE] = E(NODE),
	[ENT_TASK] = E(TASK),             [ENT_PROGRESS] = E(PROGRESS),
	[ENT_EVIDENCE] = E(EVIDENCE),     [ENT_EVENT] = E(EVENT),
	[ENT_EXTENSION] = E(EXTENSION),   [ENT_COMMITMENT] = E(COMMITMENT),
	[ENT_ACTIVITY] = E(ACTIVITY),
#undef E
};

/* The image of row ent/id into *out (malloc'd; NULL when the row does not
 * exist).  RC_DB when it cannot be made: a value the JSON image cannot hold
 * (a BLOB written behind the program's back) is not a missing row. */
static enum rc image_of(struct store *st, enum ent ent, int64_t id, char **out, struct err *e)
{
	*out = NULL;
	struct dbq *q;
	enum rc rc = stmt_query(st, ent_stmt[ent].img, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW)
		*out = xstrdup(col_text(q, 0));
	rc = r == DB_ROW || r == DB_DONE
			     ? RC_OK
			     : ERR(e, stmt_failed(st), "%s %lld cannot be written to the audit log: %s",
				   ent_name[ent], (long long)id, st->fail_msg);
	stmt_reset(q);
	return rc;
}

enum rc audit_image(struct store *st, enum ent ent, int64_t id, char **out, struct err *e)
{
	return image_of(st, ent, id, out, e);
}

/* The chain hash of one row. */
static void chain_hash(const char *prev, int64_t id, const char *at, int64_t actor_id,
		       const char *actor, const char *action, const char *entity,
		       int64_t entity_id, const char *before, const char *after, char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	char num[64];
	const char sep = 0x1f;
#define PUT(s) crypto_hash_sha256_update(&h, (const unsigned char *)(s), strlen(s))
#define SEP() crypto_hash_sha256_update(&h, (const unsigned char *)&sep, 1)
	PUT(prev);
	SEP();
	snprintf(num, sizeof num, "%lld", (long long)id);
	PUT(num);
	SEP();
	PUT(at);
	SEP();
	snprintf(num, sizeof num, "%lld", (long long)actor_id);
	PUT(num);
	SEP();
	PUT(actor);
	SEP();
	PUT(action);
	SEP();
	PUT(entity);
	SEP();
	snprintf(num, sizeof num, "%lld", (long long)entity_id);
	PUT(num);
	SEP();
	if (before) {
		PUT("=");
		PUT(before);
	} else {
		PUT("-");
	}
	SEP();
	if (after) {
		PUT("=");
		PUT(after);
	} else {
		PUT("-");
	}
#undef PUT
#undef SEP
	unsigned char bin[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, bin);
	sodium_bin2hex(out, 65, bin, sizeof bin);
}

static enum rc load_last(struct store *st, struct err *e)
{
	if (st->tx_last_id >= 0)
		return RC_OK;
	struct dbq *q = stmt_get(st, ST_AUDIT_LAST, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		st->tx_last_id = col_int64(q, 0);
		snprintf(st->tx_prev, sizeof st->tx_prev, "%s",
			 col_text(q, 1));
	} else if (r == DB_DONE) {
		st->tx_last_id = 0;
		st->tx_prev[0] = '\0';
	} else {
		stmt_reset(q);
		return store_dberr(st, e, "audit");
	}
	stmt_reset(q);
	return RC_OK;
}

enum rc audit_change(struct store *st, const char *action, enum ent ent, int64_t id,
		     char *before, struct err *e)
{
	if (!st->in_tx) {
		free(before);
		return ERR(e, RC_INTERNAL, "audit outside a transaction");
	}
	enum rc rc = load_last(st, e);
	if (rc) {
		free(before);
		return rc;
	}
	/* Without its after-image the change cannot be logged: refuse it (the
	 * transaction rolls back) rather than log it as a deletion. */
	char *after;
	if ((rc = image_of(st, ent, id, &after, e))) {
		free(before);
		return rc;
	}
	int64_t aid = st->tx_last_id + 1;
	int64_t actor_id = st->tx_who ? st->tx_who->user_id : 0;
	char hash[65];
	chain_hash(st->tx_prev, aid, st->tx_at, actor_id, st->tx_actor, action, ent_name[ent], id,
		   before, after, hash);
	struct dbq *q;
	rc = stmt_query(st, ST_AUDIT_INSERT,
			ARGS(A_INT(aid), A_TEXT(st->tx_at), A_ID(actor_id), A_TEXT(st->tx_actor),
			     A_TEXT(action), A_TEXT(ent_name[ent]), A_INT(id), A_TEXT(before),
			     A_TEXT(after), A_TEXT(st->tx_prev), A_TEXT(hash)), &q, e);
	if (rc) {
		free(before);
		free(after);
		return rc;
	}
	rc = stmt_done(st, q, e);
	free(before);
	free(after);
	if (rc)
		return rc;
	st->tx_last_id = aid;
	memcpy(st->tx_prev, hash, sizeof hash);
	st->tx_audited++;
	return RC_OK;
}

enum rc audit_insert(struct store *st, const char *action, enum ent ent, int64_t id,
		     struct err *e)
{
	return audit_change(st, action, ent, id, NULL, e);
}

/* ---- verify ---------------------------------------------------------------- */

static void vfail(struct verify_result *v, int64_t row, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void vfail(struct verify_result *v, int64_t row, const char *fmt, ...)
{
	if (!v->ok)
		return;
	v->ok = 0;
	v->first_bad = row;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof v->msg, fmt, ap);
	va_end(ap);
}

static enum rc verify_chain(struct store *st, struct verify_result *v, struct err *e)
{
	struct dbq *q = stmt_get(st, ST_AUDIT_WALK, e);
	if (!q)
		return RC_INTERNAL;
	char prev[65] = "";
	int64_t expect = 1;
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		int64_t id = col_int64(q, 0);
		const char *at = col_text(q, 1);
		int64_t actor_id = col_id(q, 2);
		const char *actor = col_text(q, 3);
		const char *action = col_text(q, 4);
		const char *entity = col_text(q, 5);
		int64_t entity_id = col_int64(q, 6);
		const char *before = col_text(q, 7);
		const char *after = col_text(q, 8);
		const char *rprev = col_text(q, 9);
		const char *rhash = col_text(q, 10);
		v->rows++;
		if (id != expect) {
			vfail(v, id, "audit row %lld follows row %lld: rows %lld..%lld are missing",
			      (long long)id, (long long)(expect - 1), (long long)expect,
			      (long long)(id - 1));
			break;
		}
		if (!rprev || strcmp(rprev, prev) != 0) {
			vfail(v, id, "audit row %lld does not follow row %lld (its link to the "
			      "previous row is wrong: a row was changed, removed or moved)",
			      (long long)id, (long long)(id - 1));
			break;
		}
		char h[65];
		chain_hash(prev, id, at ? at : "", actor_id, actor ? actor : "",
			   action ? action : "", entity ? entity : "", entity_id, before, after, h);
		if (!rhash || strcmp(h, rhash) != 0) {
			vfail(v, id, "audit row %lld was altered (its hash does not match its "
			      "content)", (long long)id);
			break;
		}
		memcpy(prev, h, sizeof h);
		expect++;
	}
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return store_dberr(st, e, "verify");
	if (!v->ok)
		return RC_OK;
	snprintf(v->head, sizeof v->head, "%s", prev);
	v->head_id = expect - 1;
	/* The head recorded at the last commit. */
	q = stmt_get(st, ST_META_HEAD_GET, e);
	if (!q)
		return RC_INTERNAL;
	char head[128] = "";
	if ((r = stmt_step(st, q, e)) == DB_ROW)
		snprintf(head, sizeof head, "%s", col_text(q, 0));
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return stmt_failed(st);
	char want[128] = "";
	if (expect > 1)
		snprintf(want, sizeof want, "%lld:%s", (long long)(expect - 1), prev);
	if (strcmp(head, want) != 0) {
		long long hid = atoll(head);
		if (hid >= expect)
			vfail(v, expect, "the audit log was truncated: it ends at row %lld but "
			      "the last commit recorded row %lld", (long long)(expect - 1), hid);
		else
			vfail(v, expect - 1, "the audit head does not match the last row "
			      "(recorded '%s')", head);
	}
	return RC_OK;
}

/* Each audit row starts from what the entity's previous row left. */
static enum rc verify_continuity(struct store *st, struct verify_result *v, struct err *e)
{
	struct dbq *q = stmt_get(st, ST_AUDIT_BREAK, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		int64_t id = col_int64(q, 0), prev = col_int64(q, 3);
		const char *entity = col_text(q, 1);
		long long eid = (long long)col_int64(q, 2);
		if (prev)
			vfail(v, id, "%s %lld was changed behind the program's back between audit "
			      "rows %lld and %lld (row %lld does not start from what row %lld left)",
			      entity ? entity : "?", eid, (long long)prev, (long long)id,
			      (long long)id, (long long)prev);
		else
			vfail(v, id, "%s %lld was added behind the program's back before audit row "
			      "%lld (the row records a change to something the log never created)",
			      entity ? entity : "?", eid, (long long)id);
	}
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return store_dberr(st, e, "verify");
	return RC_OK;
}

static enum rc verify_entities(struct store *st, struct verify_result *v, struct err *e)
{
	for (int en = 0; en < ENT__MAX && v->ok; en++) {
		struct dbq *q = stmt_get(st, ent_stmt[en].vfy, e);
		if (!q)
			return RC_INTERNAL;
		int r = stmt_step(st, q, e);
		if (r == DB_ERROR) {
			/* The image could not be made of some row: a value of a type
			 * no write of the program stores.  That is verify's answer,
			 * not a failure of the walk. */
			vfail(v, 0, "%s holds a value the program never writes (%s): it was "
			      "changed behind the program's back", ent_name[en],
			      db_errmsg(st));
			stmt_answered(st);
			return RC_OK;
		}
		if (r == DB_ROW) {
			int64_t id = col_int64(q, 0);
			stmt_reset(q);
			int logged;
			enum rc rc = stmt_exists(st, ST_AUDIT_HAS,
						 ARGS(A_TEXT(ent_name[en]), A_INT(id)), &logged, e);
			if (rc)
				return rc;
			if (logged)
				vfail(v, 0, "%s %lld does not match its last audit entry: it was "
				      "changed behind the program's back", ent_name[en], (long long)id);
			else
				vfail(v, 0, "%s %lld has no audit entry: it was added behind the "
				      "program's back", ent_name[en], (long long)id);
			return RC_OK;
		}
		stmt_reset(q);
		if (r != DB_DONE)
			return store_dberr(st, e, "verify");
		/* Two counts that could not be read are a failure, never equal. */
		int64_t rows, live;
		enum rc rc = stmt_int64(st, ent_stmt[en].cnt, NO_ARGS, 0, &rows, e);
		if (!rc)
			rc = stmt_int64(st, ST_AUDIT_LIVE, ARGS(A_TEXT(ent_name[en])), 0, &live, e);
		if (rc)
			return rc;
		v->entities += rows;
		if (rows == live)
			continue;
		if (rows > live) {
			/* A row with no audit entry, or whose last entry is a deletion,
			 * is caught by the vfy query above; this is a safety net. */
			vfail(v, 0, "%s has %lld rows but the audit log accounts for %lld",
			      ent_name[en], (long long)rows, (long long)live);
			return RC_OK;
		}
		int64_t gone;
		if ((rc = stmt_int64(st, ent_stmt[en].gone, NO_ARGS, 0, &gone, e)))
			return rc;
		vfail(v, 0, "%s %lld was deleted behind the program's back (the audit log "
		      "says it exists)", ent_name[en], (long long)gone);
	}
	if (!v->ok)
		return RC_OK;
	/* The unit closure must be what the parent links say. */
	int64_t ok;
	enum rc rc = stmt_int64(st, ST_VFY_UNIT_TREE, NO_ARGS, 0, &ok, e);
	if (!rc && ok != 1)
		vfail(v, 0, "the unit tree (unit_tree) does not match the units' parents");
	return rc;
}

/* Stream every evidence blob through SHA-256 and compare. */
static enum rc verify_blobs(struct store *st, struct verify_result *v, struct err *e)
{
	struct dbq *q = stmt_get(st, ST_EVIDENCE_ALL, e);
	if (!q)
		return RC_INTERNAL;
	unsigned char *chunk = xmalloc(65536);
	int r = DB_DONE;
	while (v->ok && (r = stmt_step(st, q, e)) == DB_ROW) {
		int64_t id = col_int64(q, 0);
		int64_t size = col_int64(q, 1);
		char want[65];
		snprintf(want, sizeof want, "%s", col_text(q, 2));
		struct ev_blob *b = ev_blob_open(st, id, false);
		if (!b) {
			vfail(v, 0, "evidence %lld: its file cannot be read", (long long)id);
			break;
		}
		int64_t n = ev_blob_size(b);
		crypto_hash_sha256_state h;
		crypto_hash_sha256_init(&h);
		for (int64_t off = 0; off < n;) {
			int k = n - off > 65536 ? 65536 : (int)(n - off);
			if (!ev_blob_read(b, chunk, (size_t)k, off))
				break;
			crypto_hash_sha256_update(&h, chunk, (unsigned long long)k);
			off += k;
		}
		ev_blob_close(b);
		unsigned char bin[32];
		char got[65];
		crypto_hash_sha256_final(&h, bin);
		sodium_bin2hex(got, sizeof got, bin, sizeof bin);
		if (n != size || strcmp(got, want) != 0)
			vfail(v, 0, "evidence %lld: the file's content was changed behind the "
			      "program's back", (long long)id);
	}
	free(chunk);
	stmt_reset(q);
	/* A walk cut short by a failure has not verified the rest. */
	return r == DB_ROW || r == DB_DONE ? RC_OK : stmt_failed(st);
}

/* The chain (verified) still holds row id with hash. */
static enum rc verify_head(struct store *st, int64_t id, const char *hash,
			   struct verify_result *v, struct err *e)
{
	if (id > v->head_id) {
		vfail(v, v->head_id, "the audit log ends at row %lld, but the head recorded "
		      "earlier is row %lld: rows were removed since and the ledger put back as "
		      "it was before them", (long long)v->head_id, (long long)id);
		return RC_OK;
	}
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_AUDIT_HASH_AT, ARGS(A_INT(id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	char now[65] = "";
	if (r == DB_ROW)
		snprintf(now, sizeof now, "%s", col_text(q, 0));
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return store_dberr(st, e, "verify");
	if (strcmp(now, hash) != 0)
		vfail(v, id, "audit row %lld is not the one recorded earlier (hash %.16s…, "
		      "recorded %.16s…): the log was rewritten from there", (long long)id, now,
		      hash);
	return RC_OK;
}

static enum rc verify_all(struct store *st, int64_t wid, const char *whash,
			  struct verify_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->ok = 1;
	/* One read transaction, so the walk sees one state of the database. */
	if (tx_begin(st, TX_BEGIN) != DB_OK)
		return store_dberr(st, e, "verify");
	enum rc rc = verify_chain(st, out, e);
	if (!rc && out->ok && whash)
		rc = verify_head(st, wid, whash, out, e);
	if (!rc && out->ok)
		rc = verify_continuity(st, out, e);
	if (!rc && out->ok)
		rc = verify_entities(st, out, e);
	if (!rc && out->ok)
		rc = verify_blobs(st, out, e);
	if (!rc && out->ok) {
		/* The dashboard's kept counts: derived, not audited, but they must
		 * be what a recount of the tasks gives. */
		int64_t wrong;
		rc = store_dash_check(st, &wrong, e);
		if (!rc && wrong)
			vfail(out, 0, "the dashboard's kept counts differ from the tasks in %lld rows",
			      (long long)wrong);
	}
	stmts_reset(st);
	/* A failure dropped on the way is pending: the walk did not finish. */
	if (!rc)
		rc = tx_commit(st, NULL, e);
	if (rc)
		tx_rollback(st);
	return rc;
}

enum rc store_verify(struct store *st, struct verify_result *out, struct err *e)
{
	return verify_all(st, 0, NULL, out, e);
}

enum rc store_verify_witness(struct store *st, const char *witness, struct verify_result *out,
			     struct err *e)
{
	const char *colon = witness ? strchr(witness, ':') : NULL;
	char *end = NULL;
	long long id = colon ? strtoll(witness, &end, 10) : 0;
	bool ok = colon && end == colon && id > 0 && strlen(colon + 1) == 64;
	for (const char *p = colon ? colon + 1 : ""; ok && *p; p++)
		ok = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f');
	if (!ok)
		return ERR(e, RC_INVALID, "a recorded head is ID:HASH (as 'rectify audit head' "
			   "prints it), not '%s'", witness ? witness : "");
	return verify_all(st, id, colon + 1, out, e);
}

enum rc store_audit_head(struct store *st, char *out, struct err *e)
{
	out[0] = '\0';
	struct dbq *q = stmt_get(st, ST_META_HEAD_GET, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW)
		snprintf(out, STORE_HEAD_LEN, "%s", col_text(q, 0));
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return store_dberr(st, e, "audit head");
	return RC_OK;
}

/* ---- reading the log ------------------------------------------------------ */

void audit_list_release(struct audit_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

static enum rc audit_reader(const struct who *w, struct err *e)
{
	if (w->role != ROLE_ADMIN && w->role != ROLE_REVIEWER && w->role != ROLE_OBSERVER)
		return ERRC(e, RC_DENIED, STORE_E_AUDIT_ROLE,
			    "only the office, reviewers and observers read the "
			    "audit log");
	return RC_OK;
}

enum rc store_audit_query(struct store *st, const struct who *w, const struct audit_filter *f,
			  struct audit_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum rc rc = audit_reader(w, e);
	if (rc)
		return rc;
	struct dbq *q;
	rc = stmt_query(st, ST_AUDIT_QUERY,
			ARGS(A_INT(f->task_id), A_TEXT(f->actor ? f->actor : ""),
			     A_TEXT(f->action ? f->action : ""), A_TEXT(f->from ? f->from : ""),
			     A_TEXT(f->to ? f->to : ""), A_INT(f->before_id),
			     A_INT(f->limit > 0 && f->limit <= AUDIT_PAGE_MAX ? f->limit : AUDIT_PAGE_MAX)), &q, e);
	if (rc)
		return rc;
	VEC(struct audit_row) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct audit_row *a = VEC_PUSH(v);
		a->id = col_int64(q, 0);
		a->at = col_str(q, 1, &out->arena);
		a->actor = col_str(q, 2, &out->arena);
		a->actor_name = col_str(q, 3, &out->arena);
		a->action = col_str(q, 4, &out->arena);
		a->entity = col_str(q, 5, &out->arena);
		a->entity_id = col_int64(q, 6);
		a->before = col_str(q, 7, &out->arena);
		a->after = col_str(q, 8, &out->arena);
		snprintf(a->hash, sizeof a->hash, "%s", col_text(q, 9));
		a->task_id = col_int64(q, 10);
		a->task_seq = col_int(q, 11);
		a->reason = col_str(q, 12, &out->arena);
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "audit");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

enum rc store_audit_actions(struct store *st, const struct who *w, struct audit_list *out,
			    struct err *e)
{
	memset(out, 0, sizeof *out);
	enum rc rc = audit_reader(w, e);
	if (rc)
		return rc;
	struct dbq *q = stmt_get(st, ST_AUDIT_ACTIONS, e);
	if (!q)
		return RC_INTERNAL;
	VEC(struct audit_row) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW)
		VEC_PUSH(v)->action = col_str(q, 0, &out->arena);
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "audit");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

enum rc store_audit_list(struct store *st, const struct who *w, const char *entity,
			 int64_t entity_id, int limit, struct audit_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum rc rc = audit_reader(w, e);
	if (rc)
		return rc;
	if (limit <= 0 || limit > 10000)
		limit = 100;
	struct dbq *q;
	rc = stmt_query(st, entity ? ST_AUDIT_LIST_ENTITY : ST_AUDIT_LIST,
			ARGS(A_INT(limit)), &q, e);
	if (rc)
		return rc;
	if (entity) {
		bind_text(q, 2, entity);
		bind_int64(q, 3, entity_id);
	}
	VEC(struct audit_row) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct audit_row *a = VEC_PUSH(v);
		a->id = col_int64(q, 0);
		a->at = col_str(q, 1, &out->arena);
		a->actor = col_str(q, 2, &out->arena);
		a->action = col_str(q, 3, &out->arena);
		a->entity = col_str(q, 4, &out->arena);
		a->entity_id = col_int64(q, 5);
		a->before = col_str(q, 6, &out->arena);
		a->after = col_str(q, 7, &out->arena);
		snprintf(a->hash, sizeof a->hash, "%s", col_text(q, 8));
	}
	stmts_reset(st);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "audit");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

/* ---- backup and restore --------------------------------------------------- */

/* Do a and b name the same existing file? */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

enum rc store_backup(struct store *st, const char *dest, struct err *e)
{
	/* Renamed over the live database, the copy would replace it under
	 * every connection that has it open (and leave its WAL behind). */
	if (same_file(dest, st->path))
		return ERRC(e, RC_INVALID, STORE_E_SAME_FILE,
			    "%s is the database itself; back it up to another file", dest);
	char *tmp = xasprintf("%s.tmp-%ld", dest, (long)getpid());
	unlink(tmp);
	enum rc rc = db_copy_to(st, tmp, e);
	if (!rc) {
		int fd = open(tmp, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0)
			rc = ERR(e, RC_IO, "cannot sync %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if (!rc && rename(tmp, dest) != 0)
		rc = ERR(e, RC_IO, "cannot write %s: %s", dest, strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Restore the older copy src into the PostgreSQL ledger at url, through a
 * temporary file where it is brought to the current schema. */
static enum rc restore_older(const char *url, const char *src, struct err *e)
{
	char tmp[] = "/tmp/rectify-restore-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0)
		return ERR(e, RC_IO, "cannot make a temporary file: %s", strerror(errno));
	close(fd);
	enum rc rc = store_restore(tmp, src, e);
	struct store *s = NULL;
	if (!rc)
		rc = store_open(tmp, STORE_READONLY, &s, e);
	if (!rc)
		rc = db_copy_over(s, url, e);
	store_close(s);
	unlink(tmp);
	char *side = xasprintf("%s-wal", tmp);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", tmp);
	unlink(side);
	free(side);
	return rc;
}

enum rc store_restore(const char *db_path, const char *src, struct err *e)
{
	if (same_file(src, db_path))
		return ERRC(e, RC_INVALID, STORE_E_SAME_FILE,
			    "%s is the database itself; restore from a backup", src);
	enum rc rc = store_check_copy(src, NULL, e);
	if (rc) {
		size_t n = strlen(e->msg);
		snprintf(e->msg + n, sizeof e->msg - n, "; not restored");
		return rc;
	}
	struct store *s = NULL;
	rc = store_open(src, STORE_READONLY | STORE_AS_IS, &s, e);
	if (rc)
		return rc;
	if (store_is_url(db_path) && s->schema != STORE_SCHEMA_VERSION) {
		/* A copy of an older schema is brought up to date in a file of
		 * its own first (the ledger on PostgreSQL is always current). */
		store_close(s);
		return restore_older(db_path, src, e);
	}
	rc = db_copy_over(s, db_path, e);
	store_close(s);
	if (rc)
		return rc;
	/* Bring an older schema up to date and the journal back to WAL. */
	struct store *t = NULL;
	rc = store_open(db_path, 0, &t, e);
	store_close(t);
	store_bump_generation();
	return rc;
}

enum rc store_check_copy(const char *path, int *schema, struct err *e)
{
	struct store *s = NULL;
	enum rc rc = store_open(path, STORE_READONLY | STORE_AS_IS, &s, e);
	if (rc)
		return rc;
	if (schema)
		*schema = s->schema;
	/* Integrity first, then the audit chain (whose queries need the
	 * current schema: an older copy is checked again once restored). */
	struct dbq *q = stmt_get(s, ST_INTEGRITY, e);
	int ok = q && stmt_step(s, q, e) == DB_ROW &&
		 strcmp(col_text(q, 0), "ok") == 0;
	if (q)
		stmt_reset(q);
	if (!ok) {
		store_close(s);
		return ERR(e, RC_DB, "%s fails the integrity check", path);
	}
	if (s->schema == STORE_SCHEMA_VERSION) {
		struct verify_result v;
		rc = store_verify(s, &v, e);
		if (!rc && !v.ok)
			rc = ERR(e, RC_DB, "%s: the audit log does not verify (%s)", path, v.msg);
	}
	store_close(s);
	return rc;
}
