/*
 * web.h -- the web application's infrastructure: the libmicrohttpd daemon,
 * the router, the HTML writer, server-drawn charts, login throttling,
 * session tokens and CSRF tokens.
 *
 * How a request travels:
 *
 *   web_server.c   MHD callbacks -> struct req (method, path, query, cookies,
 *                  a few headers; form fields and uploaded files streamed to
 *                  temporary files; a JSON body accumulated under a cap)
 *   web_router.c   route table -> session -> authorisation -> CSRF ->
 *                  handler -> security headers; every non-OK rc becomes an
 *                  error page (Chinese) or {"error": code, "message": 中文}
 *   handlers       page:  enum rc fn(struct req *, struct html *)
 *                  api:   enum rc fn(struct req *, json_t **out)
 *                  raw:   enum rc fn(struct req *)    (files, redirects)
 *   job threads    long work a handler left in r->resp (an export) runs
 *                  off the server threads, its connection suspended
 *
 * Invariants:
 *   - Handlers never see a struct MHD_Connection: everything they need is in
 *     struct req, so tests and the fuzzer call them with a fake request.
 *   - Only web_server.c creates MHD responses; only web_html.c writes raw
 *     markup (html_raw_), reached from elsewhere through html_lit() with a
 *     string literal.  tools/codecheck.sh enforces both.
 *   - The router decides authentication, authorisation (through the app's one
 *     authorize hook) and CSRF before any handler runs; a handler that runs
 *     may assume all three hold.
 *   - Every response carries the security headers (web_router.c).
 */
#ifndef RECTIFY_WEB_H
#define RECTIFY_WEB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "conf.h"
#include "util.h"

/* ---- limits (docs/LIMITS.md) ------------------------------------------ */

enum {
	WEB_MAX_URL = 4096,                     /* path plus query, bytes */
	WEB_MAX_HEADERS = 64,                   /* header lines per request */
	WEB_MAX_XFF = 2048,
	WEB_DRAIN_S = 10,                       /* seconds to finish requests on SIGTERM */                     /* X-Forwarded-For bytes read (past it: the peer) */
	WEB_CONN_MEMORY = 16 * 1024,            /* MHD's per-connection memory: headers (zeroed per request) */
	WEB_MAX_FIELDS = 64,                    /* form fields or query arguments */
	WEB_MAX_LIST_FIELDS = 576,              /* form fields on an R_LIST route */
	WEB_MAX_FIELD = 64 * 1024,              /* one form field's value */
	WEB_MAX_BODY = 256 * 1024,              /* a form or JSON body (no files) */
	WEB_MAX_FILE = 32 * 1024 * 1024,        /* one uploaded file */
	WEB_MAX_UPLOAD = 64 * 1024 * 1024,      /* one upload request in all */
	WEB_MAX_FILES = 16,                     /* files in one upload request */
	WEB_MAX_PARAMS = 3,                     /* :id parameters in a pattern */
	WEB_MAX_RESP_HEADERS = 8,               /* extra headers a handler sets */
	WEB_MAX_JOBS_WAITING = 8,               /* long jobs queued behind the running ones */
	WEB_HEAD_SECONDS = 10,                  /* to send a request's line and headers, from the
	                                           connection's start or the previous answer */
	WEB_BODY_MIN_RATE = 1024,               /* bytes a second a body keeps up on average,
	                                           once it has taken WEB_HEAD_SECONDS */
	WEB_CONN_FAIR = 4,                      /* the last quarter of the connection slots goes
	                                           only to addresses holding fewer than this */
};

/* ---- requests and responses ------------------------------------------- */

enum web_method { WEB_GET, WEB_HEAD, WEB_POST, WEB_PUT, WEB_DELETE, WEB_PATCH, WEB_OTHER };

/* A form field or query argument; val is NUL-terminated (and may hold NUL
 * bytes before len, which web_arg() callers never see: web_arg() refuses
 * such values). */
struct web_kv {
	char *key;
	char *val;
	size_t len;
};

/* An uploaded file, streamed to an unlinked temporary file.  fd is open for
 * reading and writing and positioned at the end; the router closes it. */
struct web_file {
	char *field;            /* form field name ("files") */
	char *name;             /* client's file name, base name only, may be "" */
	char *type;             /* client's Content-Type, may be "" */
	int fd;
	uint64_t size;
};

enum web_body { WEB_BODY_NONE, WEB_BODY_FORM, WEB_BODY_MULTIPART, WEB_BODY_JSON, WEB_BODY_OTHER };

struct web_header {
	const char *name;       /* a literal */
	char *value;            /* owned */
};

struct req;

/* What a handler answers, besides the body it writes. */
struct resp {
	int status;                     /* 0: 200 (or 303 when location set) */
	const char *ctype;              /* a literal; 0: text/html or JSON */
	struct buf body;
	int fd;                         /* >= 0: send this file (owned) instead of body */
	uint64_t fd_size;
	char *location;                 /* redirect target (owned), a local path */
	struct web_header hdr[WEB_MAX_RESP_HEADERS];
	unsigned nhdr;
	/* Bytes spliced into the body at offset splice_at without being copied
	 * (a cached fragment); splice_free(splice_cls) once the response is
	 * sent or dropped. */
	const char *splice;
	size_t splice_len, splice_at;
	void (*splice_free)(void *cls);
	void *splice_cls;
	/* A body produced piece by piece while it is sent (a large file read
	 * from the database): reader(reader_cls, pos, buf, max) puts up to max
	 * bytes of the body at pos into buf and returns how many (> 0), or -1
	 * when it cannot (the connection is then cut short, so the client sees
	 * an incomplete download, never a wrong one).  reader_size is the
	 * body's exact length.  reader_free(reader_cls) once sent or dropped.
	 * Runs on the thread that serves the connection. */
	ssize_t (*reader)(void *cls, uint64_t pos, char *buf, size_t max);
	void (*reader_free)(void *cls);
	void *reader_cls;
	uint64_t reader_size;
	bool no_store;                  /* Cache-Control: no-store (default for pages) */
	bool cacheable;                 /* public static file: long max-age + ETag */
	bool close;                     /* Connection: close (a refusal before the body) */
	/* Work too long for a server thread (an export), set by a handler
	 * through web_resp_job(): the server suspends the connection, runs
	 * job(r, job_cls) on one of its job threads through web_job_run(),
	 * and sends what the job left in r->resp once it returns.
	 * job_free(job_cls) once run or dropped. */
	enum rc (*job)(struct req *r, void *cls);
	void (*job_free)(void *cls);
	void *job_cls;
};

struct route;
struct web_app;

/*
 * One request.  The server fills the first block, the router the second;
 * the handler reads both and fills resp.  Strings are owned by the request
 * (freed by web_req_release).
 */
struct req {
	/* from the client */
	enum web_method method;
	char *path;                     /* decoded, without query */
	VEC(struct web_kv) query;
	VEC(struct web_kv) form;        /* urlencoded or multipart text fields */
	VEC(struct web_file) files;
	enum web_body body_kind;
	struct buf body;                /* a JSON or other raw body, capped */
	json_t *json;                   /* parsed JSON body (router), or NULL */
	char *cookie_session;           /* the session cookie's value, or NULL */
	char *cookie_login;             /* the login form's CSRF cookie, or NULL */
	char *csrf_header;              /* X-CSRF-Token, or NULL */
	char *origin;                   /* Origin, or NULL */
	char *host;                     /* Host, or NULL */
	char *if_none_match;            /* If-None-Match, or NULL */
	char *user_agent;               /* User-Agent, or NULL */
	char *referer;                  /* Referer, or NULL */
	char addr[64];                  /* the client's address as text */
	bool tls;                       /* arrived over HTTPS (or --behind-https) */
	enum rc early;                  /* set by the server while reading (413, 415) */
	char early_msg[512];

	/* set by the router */
	const struct web_app *app;
	const struct route *route;
	int64_t param[WEB_MAX_PARAMS];  /* :id values, in pattern order */
	unsigned action;                /* route->action, once authorize allowed it (else 0) */
	bool logged_in;
	char csrf[72];                   /* the session's CSRF token ("" when none) */
	void *user;                     /* the app's session data (app->session_free) */
	void *ctx;                      /* the app's per-thread context (database) */
	const char *today;              /* YYYY-MM-DD */
	char *new_cookie;               /* Set-Cookie value to send, or NULL */
	struct err err;                 /* detail of a failing rc */
	const volatile bool *stopping;  /* set by the server (NULL: never): it is
	                                   shutting down, a job should give up */

	struct resp resp;
};

/* Release everything r owns (closes upload fds, frees the body). */
void web_req_init(struct req *r);
void web_req_release(struct req *r);

/* Form field (POST) or, failing that, query argument by name; NULL when
 * absent or when the value holds a NUL byte or invalid UTF-8.  Borrowed. */
const char *web_arg(const struct req *r, const char *name);
const char *web_query(const struct req *r, const char *name);
const char *web_form(const struct req *r, const char *name);
/* Integer argument in [min, max]; def when absent; RC_INVALID (with a
 * Chinese message in r->err) when present but not such an integer. */
enum rc web_arg_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t def,
		    int64_t *out);
/* Add a field to r->form / r->query (used by the server and by tests). */
enum rc web_req_add(struct req *r, bool to_form, const char *key, const char *val, size_t len);
/* Append to the value of the last form field named key (multipart values
 * arrive in pieces); RC_TOOBIG past WEB_MAX_FIELD. */
enum rc web_req_append(struct req *r, const char *key, const char *data, size_t len);
/* Start a file upload (creates the temporary file); RC_TOOBIG past
 * WEB_MAX_FILES, RC_IO when no temporary file can be made. */
enum rc web_req_file_begin(struct req *r, const char *field, const char *filename,
			   const char *type);
/* Append to the last started file; RC_TOOBIG past WEB_MAX_FILE or
 * WEB_MAX_UPLOAD in all. */
enum rc web_req_file_write(struct req *r, const char *data, size_t len);

/* Response helpers for handlers. */
void web_redirect(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s is a same-origin path a redirect may name (one leading '/', nothing a
 * browser strips or reads as a slash); web_redirect sends "/" otherwise. */
bool web_local_target(const char *s);
void web_resp_header(struct req *r, const char *name_literal, const char *value);
/* Drop a splice set on r->resp (calls its free function). */
void web_resp_unsplice(struct req *r);
/* Serve fd (ownership passes to the response) as an attachment named name
 * (RFC 6266 with a UTF-8 filename*), type ctype (a literal). */
void web_send_file(struct req *r, int fd, uint64_t size, const char *ctype, const char *name);
/* The same for a body of size bytes produced by reader (struct resp); the
 * response owns cls from here on (free_fn(cls) whatever happens).  shown:
 * to be shown in the browser (inline, in a sandbox that allows nothing)
 * rather than saved. */
void web_send_stream(struct req *r, uint64_t size, const char *ctype, const char *name,
		     bool shown, ssize_t (*reader)(void *cls, uint64_t pos, char *buf, size_t max),
		     void (*free_fn)(void *cls), void *cls);
/* Drop a reader set on r->resp (calls its free function). */
void web_resp_unstream(struct req *r);
/* Leave fn to run later, off the server thread (struct resp): the handler
 * returns RC_OK at once and fn(r, cls) answers.  The response owns cls from
 * here on (free_fn(cls) whatever happens). */
void web_resp_job(struct req *r, enum rc (*fn)(struct req *r, void *cls),
		  void (*free_fn)(void *cls), void *cls);
/* Drop a job set on r->resp (calls its free function). */
void web_resp_unjob(struct req *r);
/* Run r's job, if any, on the calling thread: the app's begin hook, the
 * job, its error rendered as a handler's would be, the end hook.  The
 * server calls it on a job thread; tests call it after web_dispatch(). */
void web_job_run(const struct web_app *app, struct req *r);
/* Whether the server is shutting down (a long job should give up). */
bool web_stopping(const struct req *r);
/* The Content-Disposition value for an attachment named name: an ASCII
 * fallback filename (the name itself when it is plain ASCII, else "file"
 * and its extension) and the exact name as RFC 5987 UTF-8 filename*.
 * Free with free(). */
char *web_attachment(const char *name);
/* The same with another disposition ("inline"). */
char *web_disposition(const char *kind, const char *name);

/* ---- routes ------------------------------------------------------------ */

struct html;
typedef enum rc (*web_page_fn)(struct req *r, struct html *h);
typedef enum rc (*web_api_fn)(struct req *r, json_t **out);
typedef enum rc (*web_raw_fn)(struct req *r);

/* Route flags: what the router itself checks and allows. */
enum {
	R_PUBLIC = 1 << 0,      /* no session needed */
	R_JSON = 1 << 1,        /* API: errors as JSON */
	R_NOCSRF = 1 << 2,      /* state-changing but exempt (login only) */
	R_UPLOAD = 1 << 3,      /* multipart with files, upload limits apply */
	R_JSONBODY = 1 << 4,    /* accepts an application/json body */
	R_NOSESSION = 1 << 5,   /* do not even look at the session (static files) */
	R_LIST = 1 << 6,        /* a form that lists many items (bulk actions): up to
	                           WEB_MAX_LIST_FIELDS fields */
};

/* One route: one of page, api and raw handles it.  perm and action are the
 * app's to define and its authorize hook's to check; the router hands the
 * action on to the handler in struct req.action once authorize allowed it. */
struct route {
	const char *method;     /* "GET", "POST" */
	const char *pattern;    /* "/tasks/:id/submit"; :name matches a positive integer */
	web_page_fn page;
	web_api_fn api;
	web_raw_fn raw;
	unsigned flags;         /* R_* */
	unsigned perm;          /* who may call it at all (0 on a public route) */
	unsigned action;        /* what it does, to be authorised (0: nothing beyond perm) */
};

/*
 * The application the router serves: its routes and four hooks.
 *   session:   look at r->cookie_session; when it names a live session set
 *              r->logged_in, r->user and r->csrf.  RC_OK either way unless
 *              the store fails.
 *   authorize: may the session in r call r->route (with r->param): its
 *              perm, and its action on what r->param names?  RC_OK,
 *              RC_DENIED, or RC_NOTFOUND for what the user may not even
 *              know exists.  Called only for logged-in sessions.
 *   error_page: draw an error page (chrome around the message, and the
 *              detail in small print when not NULL).
 *   begin/end: per-request setup of r->ctx (a database handle) and teardown.
 *   explain:   the message people should read for msg, which may be a
 *              lower layer's English detail, and code its refusal code
 *              (struct err.code, NULL when none): msg itself when it is
 *              fine as it is; *detail (NULL: none) is shown beside it in
 *              small print and as "detail" in JSON.  NULL: messages as they
 *              are.
 */
struct web_app {
	const struct route *routes;
	size_t nroutes;
	enum rc (*session)(struct req *r);
	enum rc (*authorize)(struct req *r);
	void (*error_page)(struct req *r, struct html *h, enum rc rc, const char *msg,
			   const char *detail);
	enum rc (*begin)(struct req *r);
	void (*end)(struct req *r);
	void (*session_free)(void *user);
	const char *login_path;         /* where pages redirect without a session */
	const char *(*explain)(enum rc rc, const char *code, const char *msg,
			       const char **detail);
};

/* Find the route for r->method and r->path; sets r->route and r->param.
 * RC_NOTFOUND when no route matches. */
enum rc web_route_match(const struct web_app *app, struct req *r);
/* Largest body the matched route accepts. */
size_t web_route_body_limit(const struct req *r);
/* Run the request once its body has arrived: parse a JSON body, session,
 * authorisation, CSRF, the handler, errors, headers.  Always leaves a
 * complete response in r->resp. */
void web_dispatch(const struct web_app *app, struct req *r);
/* Replace r->resp with the error response for rc (message msg, or a default
 * Chinese message for rc when msg is NULL or empty). */
void web_render_error(struct req *r, enum rc rc, const char *msg);
/* Chinese default message for an rc. */
const char *web_rc_message(enum rc rc);
/* The security headers every response carries (web_server.c applies them,
 * also to the responses it makes without the router). */
struct web_header_lit {
	const char *name, *value;
};
extern const struct web_header_lit web_fixed_headers[];
extern const size_t web_nfixed_headers;

/* ---- the HTML writer -------------------------------------------------- */

enum { HTML_MAX_DEPTH = 48 };

/*
 * Writes escaped HTML into a struct buf and keeps the stack of open
 * elements, so that html_close() and html_finish() close what was opened.
 * Every runtime string (text, attribute values) is escaped; tag and
 * attribute names must be lower-case ASCII names; URL attributes (href,
 * src, action) accept only local URLs ("/...", "?...", "#...").  A misuse
 * sets a sticky RC_INTERNAL that html_finish() returns.
 */
struct html {
	struct buf *b;
	const char *stack[HTML_MAX_DEPTH];
	int depth;
	enum rc err;
};

void html_init(struct html *h, struct buf *b);
/* Open an element: html_open(h, "a", "href", url, "class", "x", NULL).  A
 * NULL value skips that attribute; "" writes a bare boolean attribute.  Void
 * elements (br, hr, img, input, link, meta) are not pushed on the stack. */
void html_open(struct html *h, const char *tag, ...) __attribute__((sentinel));
/* Close the n innermost open elements. */
void html_close(struct html *h, int n);
/* Close elements until depth is back to d (html_depth() before opening). */
void html_close_to(struct html *h, int d);
int html_depth(const struct html *h);
/* Text, escaped; invalid UTF-8 becomes U+FFFD, NUL bytes are dropped. */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t n);
void html_printf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_int(struct html *h, long long v);
/* <tag attrs...>text</tag> in one call: html_elem(h, "td", text, "class", "n", NULL). */
void html_elem(struct html *h, const char *tag, const char *text, ...) __attribute__((sentinel));
/* Close everything still open and return the sticky error. */
enum rc html_finish(struct html *h);

/* Raw markup: only string literals, through html_lit(). */
void html_raw_(struct html *h, const char *s, size_t n);
#define html_lit(h, s) html_raw_((h), "" s "", sizeof("" s "") - 1)

/* Escape s into b for an HTML text or attribute context. */
void html_escape(struct buf *b, const char *s, size_t n);

/* ---- charts (inline SVG with a text alternative) ----------------------- */

/* A bar: label, done out of total (percent = done / total). */
struct chart_bar {
	const char *label;
	double done, total;
};
/* Horizontal percentage bars (completion by area, by unit). */
void chart_bars(struct html *h, const char *title, const struct chart_bar *bars, size_t n);

/* Stacked bars: n rows of nseries values each (values[row * nseries + s]);
 * each series drawn with CSS class classes[s] and named names[s]. */
void chart_stacked(struct html *h, const char *title, const char *const *labels, size_t n,
		   const char *const *names, const char *const *classes, size_t nseries,
		   const double *values);

/* A line over n points: actual[i] (NaN: not yet), and optionally ideal[i]
 * (NULL: none).  xlabels[i] under the axis (NULL entries are skipped). */
void chart_line(struct html *h, const char *title, const char *const *xlabels, size_t n,
		const double *actual, const double *ideal, const char *actual_name,
		const char *ideal_name);

/* A donut of n slices with classes and names; the total in the middle. */
void chart_donut(struct html *h, const char *title, const char *const *names,
		 const char *const *classes, const double *values, size_t n);

/* ---- login throttling --------------------------------------------------- */

/*
 * Counters of failed logins per client address, per account from one
 * address and per account, in fixed windows, kept in the database so that
 * every server counts the same (store_web.c).  Past its limit an address is
 * refused, and so is an account from an address that failed on it that
 * often, until the window ends; an account past its limit is slowed, each
 * attempt waiting a delay that doubles up to WEB_THROTTLE_DELAY_MAX after
 * the last failure (web_throttle.c has the policy).  Refusals are
 * RC_THROTTLED, before any password is checked; a database that cannot
 * be read or written gives its error (e filled), never a pass.
 */
struct store;
enum { WEB_THROTTLE_DELAY_MAX = 60 };  /* seconds between guesses at an account, at most */
struct web_throttle_limits {
	unsigned per_account;   /* failures per account per window (default 5) */
	unsigned per_addr;      /* failures per address per window (default 20) */
	unsigned window_s;      /* seconds (default 900) */
};
/* The limits of this process (zero fields keep theirs).  Thread-safe. */
void web_throttle_configure(const struct web_throttle_limits *l);
/* RC_THROTTLED when a login for account from addr must wait, else RC_OK.
 * *retry_s (may be NULL) gets the seconds to wait. */
enum rc web_throttle_check(struct store *st, const char *account, const char *addr,
			   unsigned *retry_s, struct err *e);
/* A failed login from addr; account is NULL unless it names an active user
 * (names nobody has are counted against the address only). */
enum rc web_throttle_fail(struct store *st, const char *account, const char *addr,
			  struct err *e);
/* A good login: the account's counters, and its counter at addr, back to
 * zero (the address's own failures stand). */
enum rc web_throttle_success(struct store *st, const char *account, const char *addr,
			     struct err *e);
/* Counters whose window ended go (the server's periodic tick). */
enum rc web_throttle_sweep(struct store *st, struct err *e);
/* For tests: the clock the throttle reads (NULL: time()). */
void web_throttle_clock(time_t (*now)(void));

/* ---- the client's address behind a reverse proxy (web_proxy.c) ------------ */

/* Replace the trusted proxies (trusted_proxies of conf.h); thread-safe. */
void web_proxies_set(const struct net_prefix *p, size_t n);
/* The client's address for a request from peer (text) carrying the
 * X-Forwarded-For value xff (NULL: none), as text into out: peer itself
 * unless peer is a trusted proxy; then the rightmost address of xff that is
 * not one (the leftmost when all are).  An entry that is not an address
 * stops the walk at the last good one, or leaves the peer. */
void web_client_addr(const char *peer, const char *xff, char *out, size_t n);

/* ---- session and CSRF tokens ---------------------------------------------- */

enum { WEB_TOKEN_LEN = 64 };    /* 32 random bytes as hex (store_session_new) */

/* Whether s has the shape of a token (so junk never reaches the store). */
bool web_token_valid(const char *s);
/* Constant-time comparison of two NUL-terminated tokens. */
bool web_token_equal(const char *a, const char *b);
/* The Set-Cookie value for a session token (NULL: delete the cookie). */
char *web_cookie(const char *token, bool secure);
/* Names of the session cookie and of the login form's CSRF cookie. */
#define WEB_COOKIE "rectify_session"
#define WEB_COOKIE_LOGIN "rectify_login"

/* ---- the sessions' idle clock ----------------------------------------------- */

/*
 * The sessions' idle clock between requests and the database (web_idle.c):
 * the uses this process has seen of each session and when it last wrote
 * one to the database (store_session_touch), so that writes happen at most
 * once per `every` seconds a session.  Thread-safe, keyed by a keyed hash
 * of the token (the token itself is not kept), bounded to WEB_IDLE_MAX
 * sessions (past it the least recently used are forgotten: they count from
 * the database's last_seen again).
 */
enum { WEB_IDLE_MAX = 65536, WEB_IDLE_SHARDS = 16 };
enum web_idle {
	WEB_IDLE_DEAD,          /* idle longer than the bound: end it (forgotten here) */
	WEB_IDLE_OK,            /* alive, renewed here */
	WEB_IDLE_WRITE,         /* alive, renewed, and due to be written to the database */
};
/* A use of the session at now.  seen is its last use as the database
 * records it (last_seen); the later of it and the last use seen here is
 * compared with idle_s.  WEB_IDLE_WRITE when neither seen nor this
 * process's last write is less than `every` seconds old (the write is then
 * counted as made). */
enum web_idle web_idle_touch(const char *token, int64_t now, int64_t seen, int64_t idle_s,
			    int64_t every);
/* Forget a session (logout). */
void web_idle_forget(const char *token);
/* Forget every session idle for longer than idle_s; returns how many. */
size_t web_idle_sweep(int64_t now, int64_t idle_s);
size_t web_idle_count(void);
/* Forget everything and free the memory (tests, server shutdown). */
void web_idle_reset(void);

/* ---- static files ------------------------------------------------------------ */

/* Raw handler for GET /static/app.css and /static/app.js (embedded from
 * data/): long-lived caching, an ETag, 304 on If-None-Match. */
enum rc web_static(struct req *r);
/* The URL to link for a static path: "/static/app.css?v=<hash>". */
const char *web_static_url(const char *path);

/* ---- the server --------------------------------------------------------- */

struct web_config {
	const char *listen;             /* "127.0.0.1:8080", "[::1]:8080", ":0"; NULL: no socket */
	const char *tls_cert, *tls_key; /* PEM files: HTTPS */
	bool behind_https;              /* a TLS proxy in front: cookies get Secure */
	unsigned threads;               /* 0: one per core */
	unsigned max_conns;             /* 0: 512 */
	unsigned per_ip;                /* 0: 128 */
	unsigned timeout_s;             /* idle connection timeout; 0: 30 */
	unsigned head_s;                /* the head deadline and body grace; 0: WEB_HEAD_SECONDS */
	const struct web_app *app;
	bool external;                  /* no threads: the caller runs web_server_poll (fuzzer) */
	unsigned jobs;                  /* job threads for long work (web_resp_job); 0: 2 */
	/* Housekeeping: web_server_run calls tick(tick_arg) on its own thread
	 * every tick_s seconds (0: never) while serving. */
	void (*tick)(void *arg);
	void *tick_arg;
	unsigned tick_s;
	/* SIGHUP: web_server_run calls reload(tick_arg) on its own thread
	 * (NULL: the signal is ignored). */
	void (*reload)(void *arg);
};

struct web_server;

/* Start the daemon.  RC_INVALID for a bad address or unreadable TLS files,
 * RC_IO when the port cannot be bound.  Free with web_server_stop(). */
enum rc web_server_start(const struct web_config *c, struct web_server **out, struct err *e);
/* The bound port (useful with ":0"). */
unsigned web_server_port(const struct web_server *s);
/* Stop accepting, let running requests finish (at most drain_s seconds),
 * then stop and free. */
void web_server_stop(struct web_server *s, unsigned drain_s);
/* Run until SIGTERM or SIGINT, then drain and stop (requests in flight get
 * WEB_DRAIN_S seconds to finish).  Blocks those signals
 * in the calling thread (call before starting other threads).  ready (may
 * be NULL) is called once listening, with the port; c->tick, when set, every
 * c->tick_s seconds on the calling thread. */
enum rc web_server_run(const struct web_config *c, void (*ready)(unsigned port, void *arg),
		       void *arg, struct err *e);
/* External mode (fuzzer, tests): hand one connected socket to the server,
 * and run its event loop once without blocking. */
enum rc web_server_add_socket(struct web_server *s, int fd);
void web_server_poll(struct web_server *s);

#endif
