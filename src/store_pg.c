/*
 * store_pg.c -- the PostgreSQL engine under the statement layer: a
 * connection (libpq), its statements, the dialect of store_sql.h turned
 * into PostgreSQL's, the schema, and evidence kept as rows of chunks.
 * The only file of rectify that names libpq.
 *
 * A statement is prepared on the server once per connection (PQprepare,
 * the server infers its parameters' types) and run with its bindings as
 * text (blobs as binary); its whole result comes back at the first step,
 * and later steps walk its rows.  So several statements can be stepped in
 * turn on one connection, as the store does with SQLite.
 *
 * The dialect (pg_sql_from): what store_sql.h writes in SQLite's words and
 * PostgreSQL says otherwise is rewritten mechanically here --
 *   ?N                       → $N
 *   json_object('k', v, …)   → '{"k":' || to_json(v) … '}', text equal
 *                              byte for byte to SQLite's
 *   group_concat(x)          → string_agg((x)::text, ',')
 *   zeroblob(n)              → '\x'::bytea (the bytes go to evidence_chunk)
 *   sha256hex(x)             → encode(sha256(…), 'hex') of x as text
 *   printf('%0Nd', x)        → lpad(x, N, '0')
 *   json_extract(x, '$.k')   → x::json ->> 'k'
 *   max(a, b), min(a, b)     → greatest(a, b), least(a, b)
 *   instr(a, b)              → strpos(a, b)
 * A statement whose meaning differs beyond that has a PostgreSQL form of
 * its own beside the SQLite one (STMT_PG in store_sql.h).
 *
 * Invariants:
 *   - Writers serialise on one advisory lock taken at the start of a write
 *     transaction (pg_begin(…, true)), as SQLite's writers do on its file
 *     lock: the audit chain has one writer at a time on every server.
 *   - A failed statement leaves the transaction unusable on PostgreSQL;
 *     the layer's sticky failure (store_stmt.c) already refuses to run
 *     anything more in it and rolls it back.
 */
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define BYTEA_OID 17
#define TEXT_OID 25
#define PG_MAX_PARAMS 64
/* The advisory lock of writers: "rect" as a number. */
#define PG_WRITE_LOCK 1919247220
/* Each connection's settings.  As SQLite's busy timeout: a writer waits at
 * most 5 s for another. */
#define PG_SESSION_SETUP "SET lock_timeout = '5s'; SET client_min_messages = warning;" \
	" SET TIME ZONE 'UTC'"

struct pg {
	PGconn *conn;
	unsigned epoch;         /* connections made: a statement prepared in an
	                           earlier one is prepared again */
	int in_tx;              /* between BEGIN and COMMIT / ROLLBACK */
	int closing;            /* the statements go with the connection */
	int64_t changes;        /* rows the last command changed */
	int readonly;
	unsigned next_name;     /* names of prepared statements */
	char err[512];
	char state[6];          /* SQLSTATE of the last failure */
};

struct pgq {
	struct pg *pg;
	char name[16];
	char *sql;              /* PostgreSQL's text */
	int prepared;
	unsigned epoch;         /* the connection it was prepared on */
	int np;                 /* parameters: the highest $N */
	uint64_t used;          /* the parameters the text uses (bit N-1) */
	const char *val[PG_MAX_PARAMS];
	int len[PG_MAX_PARAMS];
	int fmt[PG_MAX_PARAMS];
	char *own[PG_MAX_PARAMS];
	PGresult *res;
	int row, nrows;
	unsigned char *bytea;   /* a bytea column of the row, decoded */
	size_t bytea_len;
	int bytea_col;
};

static void reconnect_if_lost(struct pg *pg);

/* ---- the dialect ------------------------------------------------------------ */

/* What a translation saw: the highest parameter, and which were used. */
struct seen {
	int max;
	uint64_t used; /* bit N-1: $N */
};

static void tr(struct buf *o, const char *s, size_t n, struct seen *sn);

/* The index of the quote closing the literal opened at s[i] == '\''. */
static size_t quote_end(const char *s, size_t i, size_t n)
{
	for (i++; i < n; i++) {
		if (s[i] != '\'')
			continue;
		if (i + 1 < n && s[i + 1] == '\'')
			i++;
		else
			return i;
	}
	return n;
}

/* The index of the ')' closing the '(' at s[i]; n when it does not close. */
static size_t paren_end(const char *s, size_t i, size_t n)
{
	int depth = 0;
	for (; i < n; i++) {
		if (s[i] == '\'')
			i = quote_end(s, i, n);
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i;
	}
	return n;
}

/* The end of the top-level argument starting at s[i] (a ',' or end). */
static size_t arg_end(const char *s, size_t i, size_t end)
{
	for (; i < end; i++) {
		if (s[i] == '\'')
			i = quote_end(s, i, end);
		else if (s[i] == '(')
			i = paren_end(s, i, end);
		else if (s[i] == ',')
			return i;
	}
	return end;
}

/* Whether the word w (ending with its '(') starts at s[i]. */
static bool word_at(const char *s, size_t i, size_t n, const char *w)
{
	size_t k = strlen(w);
	if (i + k > n || memcmp(s + i, w, k) != 0)
		return false;
	char c = i > 0 ? (char)(s[i - 1] | 32) : ' ';
	return !(c == '_' || (c >= 'a' && c <= 'z'));
}

static void skip_space(const char *s, size_t *i, size_t n)
{
	while (*i < n && (s[*i] == ' ' || s[*i] == '\n' || s[*i] == '\t'))
		(*i)++;
}

/* json_object('k1', v1, 'k2', v2 …) of s[a..b) (inside its parentheses):
 * the same text as SQLite's, {"k1":v1,"k2":v2} with no spaces. */
static void tr_json(struct buf *o, const char *s, size_t a, size_t b, struct seen *sn)
{
	buf_puts(o, "('{'");
	for (int first = 1; a < b; first = 0) {
		skip_space(s, &a, b);
		size_t ke = arg_end(s, a, b);
		size_t va = ke + 1;
		size_t ve = va < b ? arg_end(s, va, b) : b;
		size_t k0 = a, k1 = ke;
		while (k1 > k0 && s[k1 - 1] == ' ')
			k1--;
		if (k1 - k0 >= 2 && s[k0] == '\'')
			k0++, k1--;
		buf_printf(o, " || '%s\"%.*s\":' || coalesce(CAST(to_json(", first ? "" : ",",
			   (int)(k1 - k0), s + k0);
		if (ve > va)
			tr(o, s + va, ve - va, sn);
		buf_puts(o, ") AS text), 'null')");
		a = ve + 1;
	}
	buf_puts(o, " || '}')");
}

/* A call of SQLite's that PostgreSQL says otherwise, at s[i]: written to o,
 * and the index of its ')' returned; 0 when there is none at i. */
static size_t tr_call(struct buf *o, const char *s, size_t i, size_t n, struct seen *sn)
{
	size_t p, e;
#define CALL(name) (word_at(s, i, n, name "(") && ((p = i + strlen(name)), (e = paren_end(s, p, n)), 1))
	if (CALL("json_object")) {
		tr_json(o, s, p + 1, e, sn);
	} else if (CALL("group_concat")) {
		buf_puts(o, "string_agg(CAST((");
		tr(o, s + p + 1, e - p - 1, sn);
		buf_puts(o, ") AS text), ',')");
	} else if (CALL("zeroblob")) {
		/* The bytes go to evidence_chunk; the size's parameter is
		 * counted but not used. */
		struct seen junk_seen = {0, 0};
		struct buf junk = BUF_INIT(0);
		tr(&junk, s + p + 1, e - p - 1, &junk_seen);
		buf_release(&junk);
		if (junk_seen.max > sn->max)
			sn->max = junk_seen.max;
		buf_puts(o, "'\\x'::bytea");
	} else if (CALL("sha256hex")) {
		buf_puts(o, "encode(sha256(convert_to(CAST((");
		tr(o, s + p + 1, e - p - 1, sn);
		buf_puts(o, ") AS text), 'UTF8')), 'hex')");
	} else if (CALL("printf") && strncmp(s + p + 1, "'%0", 3) == 0) {
		/* printf('%0Nd', x): x in N digits, zeros first */
		int width = atoi(s + p + 4);
		size_t a = arg_end(s, p + 1, e) + 1;
		buf_puts(o, "lpad(CAST((");
		tr(o, s + a, e - a, sn);
		buf_printf(o, ") AS text), %d, '0')", width);
	} else if (CALL("json_extract")) {
		/* json_extract(x, '$.k') */
		size_t a = arg_end(s, p + 1, e);
		size_t k = a + 1;
		skip_space(s, &k, e);
		buf_puts(o, "(CAST((");
		tr(o, s + p + 1, a - p - 1, sn);
		buf_puts(o, ") AS json) ->> '");
		if (k + 4 <= e && s[k] == '\'' && s[k + 1] == '$' && s[k + 2] == '.')
			buf_append(o, s + k + 3, e - k - 4);
		buf_puts(o, "')");
	} else if (CALL("instr")) {
		buf_puts(o, "strpos(");
		tr(o, s + p + 1, e - p - 1, sn);
		buf_putc(o, ')');
	} else if ((CALL("max") || CALL("min")) && arg_end(s, p + 1, e) < e) {
		/* max(a, b) of two values is greatest(a, b) */
		buf_puts(o, s[i + 1] == 'a' ? "greatest(" : "least(");
		tr(o, s + p + 1, e - p - 1, sn);
		buf_putc(o, ')');
	} else {
		return 0;
	}
#undef CALL
	return e;
}

/* Translate s[0..n) into o. */
static void tr(struct buf *o, const char *s, size_t n, struct seen *sn)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'') {
			size_t j = quote_end(s, i, n);
			buf_append(o, s + i, (j < n ? j + 1 : n) - i);
			i = j;
			continue;
		}
		if (s[i] == '?' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
			int v = 0;
			buf_putc(o, '$');
			for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
				v = v * 10 + (s[i] - '0');
				buf_putc(o, s[i]);
			}
			i--;
			if (v > sn->max)
				sn->max = v;
			if (v >= 1 && v <= 64)
				sn->used |= 1ull << (v - 1);
			continue;
		}
		size_t e = tr_call(o, s, i, n, sn);
		if (e) {
			i = e;
			continue;
		}
		buf_putc(o, s[i]);
	}
}

char *pg_sql_from(const char *lite, int *nparams, uint64_t *used)
{
	struct buf o = BUF_INIT(0);
	struct seen sn = {0, 0};
	tr(&o, lite, strlen(lite), &sn);
	buf_putc(&o, '\0');
	if (nparams)
		*nparams = sn.max;
	if (used)
		*used = sn.used;
	return buf_detach(&o, NULL);
}

/* ---- the connection ---------------------------------------------------------- */

static void note_error(struct pg *pg, const PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(pg->conn);
	if (!msg || !*msg)
		msg = PQerrorMessage(pg->conn);
	snprintf(pg->err, sizeof pg->err, "%s", msg ? msg : "?");
	size_t k = strlen(pg->err);
	while (k && (pg->err[k - 1] == '\n' || pg->err[k - 1] == ' '))
		pg->err[--k] = '\0';
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(pg->state, sizeof pg->state, "%s", state ? state : "");
}

/* The layer's code for the failure just noted. */
static int fail_code(const struct pg *pg)
{
	if (strncmp(pg->state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (strcmp(pg->state, "53100") == 0)
		return DB_FULL;
	if (strcmp(pg->state, "55P03") == 0 || strcmp(pg->state, "40001") == 0 ||
	    strcmp(pg->state, "40P01") == 0)
		return DB_BUSY;
	return DB_ERROR;
}

static void quiet(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

bool pg_is_url(const char *path)
{
	return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0;
}

enum rc pg_open(const char *url, struct pg **out, struct err *e)
{
	*out = NULL;
	struct pg *pg = xcalloc(1, sizeof *pg);
	pg->conn = PQconnectdb(url);
	if (!pg->conn || PQstatus(pg->conn) != CONNECTION_OK) {
		note_error(pg, NULL);
		enum rc rc = ERR(e, RC_DB, "cannot connect to the database: %s", pg->err);
		pg_close(pg);
		return rc;
	}
	PQsetNoticeReceiver(pg->conn, quiet, NULL);
	if (pg_exec(pg, PG_SESSION_SETUP) != DB_OK) {
		enum rc rc = ERR(e, RC_DB, "cannot set up the connection: %s", pg->err);
		pg_close(pg);
		return rc;
	}
	*out = pg;
	return RC_OK;
}

void pg_close(struct pg *pg)
{
	if (!pg)
		return;
	if (pg->conn)
		PQfinish(pg->conn);
	free(pg);
}

int pg_exec(struct pg *pg, const char *sql)
{
	reconnect_if_lost(pg);
	PGresult *res = PQexec(pg->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	int r = DB_OK;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		note_error(pg, res);
		r = fail_code(pg);
	}
	PQclear(res);
	return r;
}

int pg_begin(struct pg *pg, bool write)
{
	int r = pg_exec(pg, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ");
	if (r != DB_OK)
		return r;
	pg->in_tx = 1;
	if (write) {
		r = pg_exec(pg, "SELECT pg_advisory_xact_lock(" STR(PG_WRITE_LOCK) ")");
		if (r != DB_OK)
			pg_end(pg, false);
	}
	return r;
}

int pg_end(struct pg *pg, bool commit)
{
	int r = pg_exec(pg, commit ? "COMMIT" : "ROLLBACK");
	pg->in_tx = 0;
	return r;
}

void pg_closing(struct pg *pg)
{
	if (pg)
		pg->closing = 1;
}

void pg_set_readonly(struct pg *pg)
{
	pg->readonly = 1;
}

const char *pg_errmsg(struct pg *pg)
{
	return pg->err[0] ? pg->err : "no error";
}

int64_t pg_changes(struct pg *pg)
{
	return pg->changes;
}

int64_t pg_last_id(struct pg *pg)
{
	PGresult *res = PQexec(pg->conn, "SELECT lastval()");
	int64_t v = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		note_error(pg, res);
	PQclear(res);
	return v;
}

/* ---- statements ----------------------------------------------------------------- */

/* Prepare q on the server, on the connection as it is now. */
static bool server_prepare(struct pgq *q)
{
	struct pg *pg = q->pg;
	/* A parameter the text does not use (the SQLite text numbers its
	 * parameters as the caller binds them) has no type to infer: text. */
	Oid types[PG_MAX_PARAMS];
	for (int i = 0; i < q->np; i++)
		types[i] = q->used & (1ull << i) ? 0 : TEXT_OID;
	PGresult *res = PQprepare(pg->conn, q->name, q->sql, q->np, types);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		note_error(pg, res);
	PQclear(res);
	q->prepared = ok;
	q->epoch = pg->epoch;
	return ok;
}

/*
 * A connection lost (the server restarted, a failover, a network cut) is
 * made again before the next statement that is not inside a transaction
 * (what a transaction had done is gone with it, and its step failed); the
 * statements prepared on the old one are prepared again when next run.
 */
static void reconnect_if_lost(struct pg *pg)
{
	if (PQstatus(pg->conn) == CONNECTION_OK || pg->in_tx)
		return;
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK)
		return;
	pg->epoch++;
	PQclear(PQexec(pg->conn, PG_SESSION_SETUP));
	if (pg->readonly)
		PQclear(PQexec(pg->conn, "SET default_transaction_read_only = on"));
}

struct pgq *pg_prepare(struct pg *pg, const char *lite, const char *own_form)
{
	struct pgq *q = xcalloc(1, sizeof *q);
	q->pg = pg;
	q->sql = pg_sql_from(own_form ? own_form : lite, &q->np, &q->used);
	snprintf(q->name, sizeof q->name, "q%u", ++pg->next_name);
	q->bytea_col = -1;
	if (q->np > PG_MAX_PARAMS) {
		snprintf(pg->err, sizeof pg->err, "too many parameters (%d)", q->np);
		pgq_finalize(q);
		return NULL;
	}
	reconnect_if_lost(pg);
	if (!server_prepare(q)) {
		pgq_finalize(q);
		return NULL;
	}
	return q;
}

const char *pgq_sql(const struct pgq *q)
{
	return q->sql;
}

static void row_clear(struct pgq *q)
{
	PQfreemem(q->bytea);
	q->bytea = NULL;
	q->bytea_col = -1;
}

void pgq_reset(struct pgq *q)
{
	row_clear(q);
	PQclear(q->res);
	q->res = NULL;
	q->row = q->nrows = 0;
}

void pgq_clear(struct pgq *q)
{
	pgq_reset(q);
	for (int i = 0; i < PG_MAX_PARAMS; i++) {
		free(q->own[i]);
		q->own[i] = NULL;
		q->val[i] = NULL;
		q->len[i] = 0;
		q->fmt[i] = 0;
	}
}

bool pgq_busy(const struct pgq *q)
{
	return q->res != NULL;
}

void pgq_finalize(struct pgq *q)
{
	if (!q)
		return;
	pgq_clear(q);
	if (q->prepared && q->epoch == q->pg->epoch && !q->pg->closing && q->pg->conn &&
	    PQstatus(q->pg->conn) == CONNECTION_OK) {
		char sql[40];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", q->name);
		PQclear(PQexec(q->pg->conn, sql));
	}
	free(q->sql);
	free(q);
}

static char *slot(struct pgq *q, int i, size_t n)
{
	free(q->own[i]);
	q->own[i] = xmalloc(n);
	q->val[i] = q->own[i];
	return q->own[i];
}

void pgq_bind_int64(struct pgq *q, int i, int64_t v)
{
	if (i < 1 || i > PG_MAX_PARAMS)
		return;
	char *p = slot(q, i - 1, 24);
	snprintf(p, 24, "%lld", (long long)v);
	q->fmt[i - 1] = 0;
}

void pgq_bind_null(struct pgq *q, int i)
{
	if (i < 1 || i > PG_MAX_PARAMS)
		return;
	free(q->own[i - 1]);
	q->own[i - 1] = NULL;
	q->val[i - 1] = NULL;
	q->fmt[i - 1] = 0;
}

void pgq_bind_text(struct pgq *q, int i, const char *s, size_t n)
{
	if (i < 1 || i > PG_MAX_PARAMS)
		return;
	char *p = slot(q, i - 1, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	q->fmt[i - 1] = 0;
}

void pgq_bind_blob(struct pgq *q, int i, const void *p, size_t n)
{
	if (i < 1 || i > PG_MAX_PARAMS)
		return;
	char *d = slot(q, i - 1, n ? n : 1);
	memcpy(d, p, n);
	q->len[i - 1] = (int)n;
	q->fmt[i - 1] = 1;
}

int pgq_step(struct pgq *q)
{
	struct pg *pg = q->pg;
	if (q->res) {
		row_clear(q);
		if (++q->row < q->nrows)
			return DB_ROW;
		q->row = q->nrows;
		return DB_DONE;
	}
	reconnect_if_lost(pg);
	if ((!q->prepared || q->epoch != pg->epoch) && !server_prepare(q))
		return fail_code(pg);
	PGresult *res = PQexecPrepared(pg->conn, q->name, q->np, q->val, q->len, q->fmt, 0);
	ExecStatusType s = PQresultStatus(res);
	if (s == PGRES_TUPLES_OK) {
		q->res = res;
		q->nrows = PQntuples(res);
		q->row = 0;
		pg->changes = strtoll(PQcmdTuples(res), NULL, 10);
		return q->nrows > 0 ? DB_ROW : DB_DONE;
	}
	if (s == PGRES_COMMAND_OK) {
		pg->changes = strtoll(PQcmdTuples(res), NULL, 10);
		/* kept so that the statement counts as run until its reset */
		q->res = res;
		q->nrows = 0;
		return DB_DONE;
	}
	note_error(pg, res);
	PQclear(res);
	return fail_code(pg);
}

static const char *cell(struct pgq *q, int i)
{
	if (!q->res || q->row >= q->nrows || i >= PQnfields(q->res) ||
	    PQgetisnull(q->res, q->row, i))
		return NULL;
	if (PQftype(q->res, i) == BYTEA_OID) {
		if (q->bytea_col != i) {
			PQfreemem(q->bytea);
			q->bytea = PQunescapeBytea(
				(const unsigned char *)PQgetvalue(q->res, q->row, i), &q->bytea_len);
			q->bytea_col = i;
		}
		return (const char *)q->bytea;
	}
	return PQgetvalue(q->res, q->row, i);
}

bool pgq_col_null(struct pgq *q, int i)
{
	return cell(q, i) == NULL;
}

int64_t pgq_col_int64(struct pgq *q, int i)
{
	const char *v = cell(q, i);
	if (!v)
		return 0;
	/* A comparison comes as a boolean: 1 and 0, as in SQLite. */
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

const char *pgq_col_text(struct pgq *q, int i)
{
	return cell(q, i);
}

size_t pgq_col_bytes(struct pgq *q, int i)
{
	const char *v = cell(q, i);
	if (!v)
		return 0;
	if (PQftype(q->res, i) == BYTEA_OID)
		return q->bytea_len;
	return (size_t)PQgetlength(q->res, q->row, i);
}

/* ---- evidence as rows of chunks --------------------------------------------------- */

struct pg_blob {
	struct pg *pg;
	int64_t id, size;
};

/* Run sql with the text parameters p[0..n): the result (NULL and noted on
 * failure). */
static PGresult *run(struct pg *pg, const char *sql, int n, const char *const *p,
		     const int *len, const int *fmt, ExecStatusType want)
{
	PGresult *res = PQexecParams(pg->conn, sql, n, NULL, p, len, fmt, 0);
	if (PQresultStatus(res) != want) {
		note_error(pg, res);
		PQclear(res);
		return NULL;
	}
	return res;
}

struct pg_blob *pg_blob_open(struct pg *pg, int64_t id)
{
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	const char *p[1] = {ids};
	PGresult *res = run(pg, "SELECT size FROM evidence WHERE id = $1", 1, p, NULL, NULL,
			    PGRES_TUPLES_OK);
	if (!res)
		return NULL;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return NULL;
	}
	struct pg_blob *b = xcalloc(1, sizeof *b);
	b->pg = pg;
	b->id = id;
	b->size = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return b;
}

int64_t pg_blob_size(struct pg_blob *b)
{
	return b->size;
}

bool pg_blob_read(struct pg_blob *b, void *buf, size_t n, int64_t off)
{
	if (off < 0 || (int64_t)n > b->size - off)
		return false;
	char ids[24], offs[24], ends[24];
	snprintf(ids, sizeof ids, "%lld", (long long)b->id);
	snprintf(offs, sizeof offs, "%lld", (long long)off);
	snprintf(ends, sizeof ends, "%lld", (long long)(off + (int64_t)n));
	const char *p[3] = {ids, offs, ends};
	PGresult *res = run(b->pg,
			    "SELECT off, bytes FROM evidence_chunk WHERE evidence_id = $1"
			    " AND off < $3 AND off + length(bytes) > $2 ORDER BY off",
			    3, p, NULL, NULL, PGRES_TUPLES_OK);
	if (!res)
		return false;
	size_t got = 0;
	for (int r = 0; r < PQntuples(res); r++) {
		int64_t at = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		size_t len;
		unsigned char *d =
			PQunescapeBytea((const unsigned char *)PQgetvalue(res, r, 1), &len);
		if (!d)
			break;
		int64_t from = off > at ? off : at;
		int64_t to = off + (int64_t)n < at + (int64_t)len ? off + (int64_t)n
								 : at + (int64_t)len;
		if (to > from) {
			memcpy((char *)buf + (from - off), d + (from - at), (size_t)(to - from));
			got += (size_t)(to - from);
		}
		PQfreemem(d);
	}
	PQclear(res);
	return got == n;
}

bool pg_blob_write(struct pg_blob *b, const void *buf, size_t n, int64_t off)
{
	if (off < 0 || (int64_t)n > b->size - off)
		return false;
	char ids[24], offs[24];
	snprintf(ids, sizeof ids, "%lld", (long long)b->id);
	snprintf(offs, sizeof offs, "%lld", (long long)off);
	const char *p[3] = {ids, offs, buf};
	int len[3] = {0, 0, (int)n};
	int fmt[3] = {0, 0, 1};
	PGresult *res = run(b->pg,
			    "INSERT INTO evidence_chunk(evidence_id, off, bytes) VALUES ($1, $2, $3)",
			    3, p, len, fmt, PGRES_COMMAND_OK);
	bool ok = res != NULL;
	PQclear(res);
	return ok;
}

void pg_blob_close(struct pg_blob *b)
{
	free(b);
}
