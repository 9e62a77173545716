/*
 * web_server.c -- the libmicrohttpd daemon: sockets, TLS, limits, and the
 * translation between MHD's callbacks and struct req / struct resp.
 *
 * The only file that creates MHD responses (tools/codecheck.sh).
 *
 * Per request MHD calls on_request several times:
 *   1. headers complete (*con_cls == NULL): build struct req (method, path,
 *      query, cookie, a few headers, client address), match the route, and
 *      refuse early -- too many headers, a body over the route's limit by
 *      its Content-Length, a content type the route does not take -- with a
 *      response queued before any of the body is read (MHD then closes the
 *      connection).
 *   2. body pieces: a form or multipart body goes through MHD's post
 *      processor, text fields into r->form and files straight into unlinked
 *      temporary files (never whole in memory); a JSON body accumulates in
 *      r->body under its cap.  A body that turns out too large on the way
 *      (chunked) sets r->early and the rest is discarded, up to a bound past
 *      which the connection is dropped.
 *   3. end of body: web_dispatch(), then the response is queued.
 * on_completed frees the request whatever happened.
 *
 * Threads: MHD's internal polling threads (epoll, one per core by default)
 * run the handlers; a slow or idle client holds a connection slot (bounded
 * in all and per address, and timed out), never a thread.  MHD's idle timer
 * restarts on every byte, so the guard (below) bounds the rest: the whole
 * request head must arrive within WEB_HEAD_SECONDS, a body must keep up
 * WEB_BODY_MIN_RATE after that long, and the last quarter of the slots goes
 * only to addresses holding fewer than WEB_CONN_FAIR, so that a few
 * addresses holding many slow connections cannot keep everyone else out.  Long work a
 * handler leaves as a job (an export of the whole ledger) runs on a few job
 * threads of our own instead: its connection is suspended meanwhile, so the
 * polling threads go on serving everyone else, and resumed to send the
 * result.  At most WEB_MAX_JOBS_WAITING jobs wait for a job thread; past
 * that a job is refused with 429.  Stopping cancels the waiting jobs,
 * tells the running ones (web_stopping) and waits for them, since MHD must
 * not stop with a connection suspended.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "web.h"

struct conn;

/*
 * The guard: every open connection, with its address and where its current
 * request is, under guard_lock.  A thread of its own cuts (shutdown(2), so
 * MHD sees the end of the stream and closes it in its own thread) those
 * past the head deadline or below the body rate.  MHD tells of a closed
 * connection before it closes the socket, so a slot's fd is never another
 * connection's.
 */
enum phase { PH_HEAD, PH_BODY, PH_ANSWER };

struct slot {
	bool used;
	int fd;
	unsigned char addr[9];  /* family, then IPv4 or the IPv6 /64 */
	enum phase phase;
	int64_t since;          /* monotonic milliseconds: this phase began */
	uint64_t received;      /* body bytes, in PH_BODY */
};

/* A job waiting for a job thread. */
struct job {
	struct conn *k;
	struct MHD_Connection *c;
};

struct web_server {
	struct MHD_Daemon *d;
	struct web_config cfg;
	unsigned port;
	bool tls;
	char *cert, *key;
	/* the job threads and their queue, under jobs_lock */
	pthread_mutex_t jobs_lock;
	pthread_cond_t jobs_cond;       /* a job queued, one finished, or stopping */
	pthread_t *workers;
	unsigned n_workers;
	struct job waiting[WEB_MAX_JOBS_WAITING];
	unsigned n_waiting, n_running;
	volatile bool stopping;
	/* the guard */
	pthread_mutex_t guard_lock;
	struct slot *slots;
	unsigned n_slots, max_conns, head_s;
	pthread_t guard;
	bool guard_running;
	volatile bool guard_stop;
};

enum job_state { JOB_NONE, JOB_QUEUED, JOB_DONE };

struct conn {
	struct req r;
	struct MHD_PostProcessor *pp;
	uint64_t received;      /* body bytes seen */
	size_t limit;
	size_t uri_len;         /* the request target as sent, query included */
	bool begun, dispatched;
	int early_status;       /* an HTTP status for the early refusal other than
	                           its rc's (414, 431, 411) */
	enum job_state job;     /* under the server's jobs_lock while queued */
	struct slot *slot;      /* the guard's (NULL: not tracked) */
};

/* Bytes of an over-long body we read and discard before dropping the
 * connection instead of answering. */
enum { DISCARD_MAX = 1 << 20 };

static void early(struct req *r, enum rc rc, const char *msg)
{
	if (r->early != RC_OK)
		return;
	r->early = rc;
	snprintf(r->early_msg, sizeof r->early_msg, "%s", msg ? msg : web_rc_message(rc));
}

/* ---- the guard ------------------------------------------------------------ */

static int64_t mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The key an address is counted under: IPv4 as it is, IPv6 by its /64 (one
 * client's prefix), an IPv4-mapped IPv6 address as its IPv4 one. */
static void addr_key(const struct sockaddr *sa, unsigned char key[9])
{
	memset(key, 0, 9);
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const unsigned char *b =
			((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(b, mapped, 12) == 0) {
			key[0] = 4;
			memcpy(key + 1, b + 12, 4);
		} else {
			key[0] = 6;
			memcpy(key + 1, b, 8);
		}
	}
}

/* Accept a connection?  Up to three quarters of the slots, anyone (MHD
 * keeps the per-address cap); past that, only an address that holds fewer
 * than WEB_CONN_FAIR slots. */
static enum MHD_Result guard_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
	(void)len;
	struct web_server *s = cls;
	unsigned char key[9];
	addr_key(sa, key);
	unsigned total = 0, mine = 0;
	pthread_mutex_lock(&s->guard_lock);
	for (unsigned i = 0; i < s->n_slots; i++) {
		if (!s->slots[i].used)
			continue;
		total++;
		mine += memcmp(s->slots[i].addr, key, sizeof key) == 0;
	}
	pthread_mutex_unlock(&s->guard_lock);
	if (total >= s->max_conns - s->max_conns / 4 && mine >= WEB_CONN_FAIR)
		return MHD_NO;
	return MHD_YES;
}

static void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			 enum MHD_ConnectionNotificationCode toe)
{
	struct web_server *s = cls;
	pthread_mutex_lock(&s->guard_lock);
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = NULL;
		const union MHD_ConnectionInfo *fi =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ai =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		for (unsigned i = 0; fi && i < s->n_slots; i++) {
			struct slot *sl = &s->slots[i];
			if (sl->used)
				continue;
			*sl = (struct slot){.used = true, .fd = fi->connect_fd, .phase = PH_HEAD,
					    .since = mono_now()};
			addr_key(ai ? ai->client_addr : NULL, sl->addr);
			*socket_context = sl;
			break;
		}
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		struct slot *sl = *socket_context;
		sl->used = false;
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&s->guard_lock);
}

static void guard_phase(struct web_server *s, struct slot *sl, enum phase ph)
{
	if (!sl)
		return;
	pthread_mutex_lock(&s->guard_lock);
	sl->phase = ph;
	sl->since = mono_now();
	sl->received = 0;
	pthread_mutex_unlock(&s->guard_lock);
}

static void guard_received(struct web_server *s, struct slot *sl, size_t n)
{
	if (!sl)
		return;
	pthread_mutex_lock(&s->guard_lock);
	sl->received += n;
	pthread_mutex_unlock(&s->guard_lock);
}

/* Cut the connections past the head deadline or below the body rate. */
static void guard_sweep(struct web_server *s)
{
	int64_t now = mono_now(), limit = (int64_t)s->head_s * 1000;
	pthread_mutex_lock(&s->guard_lock);
	for (unsigned i = 0; i < s->n_slots; i++) {
		struct slot *sl = &s->slots[i];
		if (!sl->used || sl->fd < 0)
			continue;
		int64_t took = now - sl->since; /* ms */
		bool cut = false;
		if (sl->phase == PH_HEAD && took >= limit)
			cut = true;
		else if (sl->phase == PH_BODY && took >= limit &&
			 sl->received * 1000 < (uint64_t)took * WEB_BODY_MIN_RATE)
			cut = true;
		if (cut) {
			shutdown(sl->fd, SHUT_RDWR);
			sl->fd = -1; /* once */
		}
	}
	pthread_mutex_unlock(&s->guard_lock);
}

static void *guard_thread(void *arg)
{
	struct web_server *s = arg;
	while (!s->guard_stop) {
		struct timespec nap = {0, 250 * 1000 * 1000};
		nanosleep(&nap, NULL);
		guard_sweep(s);
	}
	return NULL;
}

/* The guard's slot of a connection, or NULL. */
static struct slot *slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static char *dup_header(struct MHD_Connection *c, enum MHD_ValueKind kind, const char *name)
{
	const char *v = MHD_lookup_connection_value(c, kind, name);
	if (!v || strlen(v) > 4096)
		return NULL;
	return xstrdup(v);
}

static enum MHD_Result on_query(void *cls, enum MHD_ValueKind kind, const char *key,
				size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	(void)key_size;
	struct req *r = cls;
	if (!key)
		return MHD_YES;
	if (web_req_add(r, false, key, value ? value : "", value ? value_size : 0) != RC_OK) {
		early(r, RC_TOOBIG, r->err.msg);
		return MHD_NO;
	}
	return MHD_YES;
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *filename, const char *content_type,
				const char *transfer_encoding, const char *data, uint64_t off,
				size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	struct conn *k = cls;
	struct req *r = &k->r;
	if (r->early != RC_OK)
		return MHD_NO;
	if (!key) {
		early(r, RC_INVALID, "表单字段缺少名称");
		return MHD_NO;
	}
	enum rc rc;
	if (!filename && content_type && r->body_kind == WEB_BODY_MULTIPART) {
		/* A part with a type but no file name: a file whose name MHD could
		 * not read (a CR or LF in it).  Refused, or the entry it belongs
		 * to would be saved without it. */
		early(r, RC_INVALID, "上传文件的文件名无效（不能含换行等控制字符），请改名后重新上传。");
		return MHD_NO;
	}
	if (filename) {
		if (!(r->route->flags & R_UPLOAD)) {
			early(r, RC_MEDIA, "此处不接受文件上传");
			return MHD_NO;
		}
		if (!*filename && size == 0)
			return MHD_YES;  /* an empty file input */
		rc = off == 0 ? web_req_file_begin(r, key, filename, content_type) : RC_OK;
		if (rc == RC_OK && size)
			rc = web_req_file_write(r, data, size);
	} else {
		rc = off == 0 ? web_req_add(r, true, key, data, size)
			      : web_req_append(r, key, data, size);
	}
	if (rc != RC_OK) {
		early(r, rc, r->err.msg);
		return MHD_NO;
	}
	return MHD_YES;
}

static bool ctype_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	snprintf(out, n, "-");
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)n);
}

/* Every X-Forwarded-For header, joined with commas in the order sent. */
static enum MHD_Result on_xff(void *cls, enum MHD_ValueKind kind, const char *key,
			      const char *value)
{
	(void)kind;
	struct buf *b = cls;
	if (strcasecmp(key, "X-Forwarded-For") != 0 || !value)
		return MHD_YES;
	if (b->len)
		buf_putc(b, ',');
	buf_puts(b, value);
	return MHD_YES;
}

static enum web_method parse_method(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return WEB_GET;
	if (strcmp(m, "HEAD") == 0)
		return WEB_HEAD;
	if (strcmp(m, "POST") == 0)
		return WEB_POST;
	if (strcmp(m, "PUT") == 0)
		return WEB_PUT;
	if (strcmp(m, "DELETE") == 0)
		return WEB_DELETE;
	if (strcmp(m, "PATCH") == 0)
		return WEB_PATCH;
	return WEB_OTHER;
}

/* The request line is in: the connection's state starts here, with the
 * target as sent (MHD hands the handler the path without its query). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	struct conn *k = xcalloc(1, sizeof *k);
	web_req_init(&k->r);
	k->uri_len = uri ? strlen(uri) : 0;
	k->slot = slot_of(c);
	return k;
}

static void refuse(struct conn *k, int status, enum rc rc, const char *msg)
{
	if (k->r.early != RC_OK)
		return;
	early(&k->r, rc, msg);
	k->early_status = status;
}

/* Stage 1: the headers are in. */
static void begin(struct web_server *s, struct conn *k, struct MHD_Connection *c, const char *url,
		  const char *method, const char *version)
{
	struct req *r = &k->r;
	r->app = s->cfg.app;
	r->stopping = &s->stopping;
	r->method = parse_method(method);
	r->tls = s->tls || s->cfg.behind_https;
	char peer[sizeof r->addr];
	client_addr(c, peer, sizeof peer);
	struct buf xff = BUF_INIT(WEB_MAX_XFF);
	MHD_get_connection_values(c, MHD_HEADER_KIND, on_xff, &xff);
	web_client_addr(peer, xff.len && !xff.err ? xff.p : NULL, r->addr, sizeof r->addr);
	buf_release(&xff);
	if (k->uri_len > WEB_MAX_URL || strlen(url) > WEB_MAX_URL) {
		refuse(k, 414, RC_TOOBIG, "网址过长");
		return;
	}
	r->path = xstrdup(url);
	int nh = MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL);
	if (nh > WEB_MAX_HEADERS) {
		refuse(k, 431, RC_TOOBIG, "请求头过多");
		return;
	}
	if (version && strcmp(version, MHD_HTTP_VERSION_1_1) == 0 &&
	    !MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)) {
		refuse(k, 400, RC_INVALID, "HTTP/1.1 请求缺少 Host 请求头");
		return;
	}
	/* Content-Length and Transfer-Encoding together: a proxy in front may
	 * read the body by the one and this server by the other, and take what
	 * follows for another request (RFC 9112 §6.3).  Refused, and closed. */
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (te && MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		refuse(k, 400, RC_INVALID, "请求同时带有 Content-Length 和 Transfer-Encoding");
		return;
	}
	MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, on_query, r);
	if (r->early != RC_OK)
		return;
	r->cookie_session = dup_header(c, MHD_COOKIE_KIND, WEB_COOKIE);
	r->cookie_login = dup_header(c, MHD_COOKIE_KIND, WEB_COOKIE_LOGIN);
	r->csrf_header = dup_header(c, MHD_HEADER_KIND, "X-CSRF-Token");
	r->origin = dup_header(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
	r->host = dup_header(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	r->if_none_match = dup_header(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	r->user_agent = dup_header(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
	r->referer = dup_header(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_REFERER);
	if (r->method == WEB_OTHER) {
		early(r, RC_INVALID, "不支持的请求方法");
		return;
	}
	if (web_route_match(s->cfg.app, r) != RC_OK) {
		/* A page that does not exist is answered by the router, with the
		 * caller's session, so the error page keeps its chrome; a body sent
		 * to it is refused before it is read (here, or below for GET). */
		if (r->method != WEB_GET && r->method != WEB_HEAD) {
			early(r, RC_NOTFOUND, NULL);
			return;
		}
	}
	k->limit = web_route_body_limit(r);
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno || *end || end == cl) {
			early(r, RC_INVALID, "Content-Length 无效");
			return;
		}
		if (n > k->limit) {
			early(r, RC_TOOBIG, k->limit ? "提交的内容超过了大小限制" : "此请求不应带有请求体");
			return;
		}
	}
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_TYPE);
	bool has_body = (cl && strcmp(cl, "0") != 0) || te;
	if (!has_body)
		return;
	if (!r->route) { /* a body for a page that does not exist */
		early(r, RC_NOTFOUND, NULL);
		return;
	}
	/* A body of unknown length (chunked) is not taken: every browser and
	 * client of this application sends Content-Length, and MHD answers a
	 * chunk line longer than its buffer with 500.  Refused before a byte
	 * of it is read, and closed. */
	if (te) {
		refuse(k, 411, RC_INVALID, "请求体须带 Content-Length（不接受分块传输）");
		return;
	}
	if (ctype_is(ct, "application/x-www-form-urlencoded") || ctype_is(ct, "multipart/form-data")) {
		r->body_kind = ctype_is(ct, "multipart/form-data") ? WEB_BODY_MULTIPART : WEB_BODY_FORM;
		k->pp = MHD_create_post_processor(c, 16 * 1024, on_field, k);
		if (!k->pp)
			early(r, RC_INVALID, "表单编码无效（缺少 boundary？）");
	} else if (ctype_is(ct, "application/json")) {
		r->body_kind = WEB_BODY_JSON;
		if (!(r->route->flags & R_JSONBODY))
			early(r, RC_MEDIA, "此处不接受 JSON 请求体");
	} else {
		r->body_kind = WEB_BODY_OTHER;
		early(r, RC_MEDIA, "不支持的请求体类型");
	}
	/* Files come only in multipart: another body on an upload route is
	 * bounded as any, by its declared length already. */
	if (r->body_kind != WEB_BODY_MULTIPART && k->limit > WEB_MAX_BODY) {
		k->limit = WEB_MAX_BODY;
		if (cl && strtoull(cl, NULL, 10) > k->limit)
			early(r, RC_TOOBIG, "提交的内容超过了大小限制");
	}
}

/* Stage 2: a piece of the body. */
static void body(struct conn *k, const char *data, size_t n)
{
	struct req *r = &k->r;
	k->received += n;
	if (r->early != RC_OK)
		return;
	if (k->received > k->limit) {
		early(r, RC_TOOBIG, "提交的内容超过了大小限制");
		return;
	}
	if (k->pp) {
		if (MHD_post_process(k->pp, data, n) != MHD_YES)
			early(r, RC_INVALID, "表单数据无效");
		return;
	}
	buf_append(&r->body, data, n);
	if (r->body.err != RC_OK)
		early(r, RC_TOOBIG, "提交的内容超过了大小限制");
}

static const char *status_ctype(const struct req *r)
{
	return r->resp.ctype ? r->resp.ctype : "text/html; charset=utf-8";
}

/* What a spliced response frees once sent. */
struct spliced {
	char *body;
	void (*fn)(void *cls);
	void *cls;
};

static void spliced_free(void *p)
{
	struct spliced *sp = p;
	free(sp->body);
	if (sp->fn)
		sp->fn(sp->cls);
	free(sp);
}

/* A streamed body: the handler's reader, with its errors turned into
 * MHD's "cut the connection". */
struct stream {
	ssize_t (*reader)(void *cls, uint64_t pos, char *buf, size_t max);
	void (*free_fn)(void *cls);
	void *cls;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	ssize_t n = st->reader(st->cls, pos, buf, max);
	return n > 0 ? n : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;
	if (st->free_fn)
		st->free_fn(st->cls);
	free(st);
}

enum { STREAM_BLOCK = 64 * 1024 };

/* Stage 3: turn r->resp into an MHD response and queue it. */
static enum MHD_Result respond(struct MHD_Connection *c, struct conn *k)
{
	struct req *r = &k->r;
	struct MHD_Response *mr;
	if (r->resp.fd >= 0) {
		mr = MHD_create_response_from_fd64(r->resp.fd_size, r->resp.fd);
		if (mr)
			r->resp.fd = -1; /* MHD closes it */
	} else if (r->resp.reader) {
		struct stream *st = xmalloc(sizeof *st);
		st->reader = r->resp.reader;
		st->free_fn = r->resp.reader_free;
		st->cls = r->resp.reader_cls;
		uint64_t size = r->resp.reader_size;
		r->resp.reader_free = NULL; /* the stream owns cls now */
		web_resp_unstream(r);
		mr = MHD_create_response_from_callback(size, STREAM_BLOCK, stream_read, st,
						       stream_free);
		if (!mr)
			stream_free(st);
	} else if (r->resp.splice) {
		/* head + fragment + tail, the fragment not copied */
		size_t len = 0;
		struct spliced *sp = xmalloc(sizeof *sp);
		sp->body = buf_detach(&r->resp.body, &len);
		sp->fn = r->resp.splice_free;
		sp->cls = r->resp.splice_cls;
		size_t at = r->resp.splice_at <= len ? r->resp.splice_at : len;
		struct MHD_IoVec iov[3] = {{sp->body, at},
					   {r->resp.splice, r->resp.splice_len},
					   {sp->body + at, len - at}};
		mr = MHD_create_response_from_iovec(iov, 3, spliced_free, sp);
		r->resp.splice_free = NULL; /* the response owns it now */
		web_resp_unsplice(r);
		if (!mr)
			spliced_free(sp);
	} else {
		size_t len = 0;
		char *p = buf_detach(&r->resp.body, &len);
		mr = MHD_create_response_from_buffer_with_free_callback(len, p, free);
		if (!mr)
			free(p);
	}
	if (!mr)
		return MHD_NO;
	for (size_t i = 0; i < web_nfixed_headers; i++)
		MHD_add_response_header(mr, web_fixed_headers[i].name, web_fixed_headers[i].value);
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, status_ctype(r));
	if (r->resp.cacheable)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL,
					"public, max-age=31536000, immutable");
	else
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r->resp.location)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_LOCATION, r->resp.location);
	if (r->resp.close)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
	if (r->new_cookie)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_SET_COOKIE, r->new_cookie);
	if (r->tls && r->resp.status != 0)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_STRICT_TRANSPORT_SECURITY,
					"max-age=31536000");
	for (unsigned i = 0; i < r->resp.nhdr; i++)
		MHD_add_response_header(mr, r->resp.hdr[i].name, r->resp.hdr[i].value);
	unsigned status = r->resp.status ? (unsigned)r->resp.status : 200;
	enum MHD_Result ok = MHD_queue_response(c, status, mr);
	MHD_destroy_response(mr);
	return ok;
}

/* ---- jobs ------------------------------------------------------------------ */

static void *job_thread(void *arg)
{
	struct web_server *s = arg;
	pthread_mutex_lock(&s->jobs_lock);
	for (;;) {
		while (!s->n_waiting && !s->stopping)
			pthread_cond_wait(&s->jobs_cond, &s->jobs_lock);
		if (!s->n_waiting)
			break; /* stopping, and nothing left */
		struct job j = s->waiting[0];
		memmove(s->waiting, s->waiting + 1, --s->n_waiting * sizeof *s->waiting);
		s->n_running++;
		pthread_mutex_unlock(&s->jobs_lock);
		web_job_run(s->cfg.app, &j.k->r);
		pthread_mutex_lock(&s->jobs_lock);
		s->n_running--;
		j.k->job = JOB_DONE;
		MHD_resume_connection(j.c);
		pthread_cond_broadcast(&s->jobs_cond);
	}
	pthread_mutex_unlock(&s->jobs_lock);
	return NULL;
}

/*
 * Hand r's job to a job thread and suspend the connection: true.  false
 * when the job was answered here instead: run at once (no job threads:
 * external mode), or refused (too many waiting, or stopping).
 */
static bool job_queue(struct web_server *s, struct conn *k, struct MHD_Connection *c)
{
	struct req *r = &k->r;
	if (!s->n_workers) {
		web_job_run(s->cfg.app, r);
		return false;
	}
	pthread_mutex_lock(&s->jobs_lock);
	if (s->stopping || s->n_waiting >= WEB_MAX_JOBS_WAITING) {
		bool stopping = s->stopping;
		pthread_mutex_unlock(&s->jobs_lock);
		web_resp_unjob(r);
		web_resp_header(r, "Retry-After", "30");
		web_render_error(r, RC_THROTTLED,
				 stopping ? "服务器正在停止，请稍后再试。"
					  : "正在生成的文件较多，请稍等片刻再试。");
		return false;
	}
	k->job = JOB_QUEUED;
	s->waiting[s->n_waiting++] = (struct job){k, c};
	/* Suspended before a job thread can resume it: the lock is held. */
	MHD_suspend_connection(c);
	pthread_cond_signal(&s->jobs_cond);
	pthread_mutex_unlock(&s->jobs_lock);
	return true;
}

/* Stop the job threads: waiting jobs are answered 429 at once, running
 * ones are told (web_stopping) and waited for; every suspended connection
 * has been resumed when this returns. */
static void jobs_stop(struct web_server *s)
{
	if (!s->n_workers)
		return;
	pthread_mutex_lock(&s->jobs_lock);
	s->stopping = true;
	while (s->n_waiting) {
		struct job j = s->waiting[--s->n_waiting];
		web_resp_unjob(&j.k->r);
		web_resp_header(&j.k->r, "Retry-After", "30");
		web_render_error(&j.k->r, RC_THROTTLED, "服务器正在停止，请稍后再试。");
		j.k->job = JOB_DONE;
		MHD_resume_connection(j.c);
	}
	pthread_cond_broadcast(&s->jobs_cond);
	pthread_mutex_unlock(&s->jobs_lock);
	for (unsigned i = 0; i < s->n_workers; i++)
		pthread_join(s->workers[i], NULL);
	free(s->workers);
	s->workers = NULL;
	s->n_workers = 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct web_server *s = cls;
	struct conn *k = *con_cls;
	if (!k) { /* no request line callback (never, but be safe) */
		k = on_uri(s, NULL, c);
		*con_cls = k;
	}
	if (!k->begun) {
		k->begun = true;
		guard_phase(s, k->slot, PH_BODY);
		begin(s, k, c, url, method, version);
		/* Refuse before reading a body, and close: what follows is not
		 * read as another request.  (A request without one is answered on
		 * the next call: a response queued now would make MHD close the
		 * connection, as it cannot know no body follows.) */
		if (k->r.early != RC_OK) {
			k->dispatched = true;
			guard_phase(s, k->slot, PH_ANSWER);
			web_dispatch(s->cfg.app, &k->r);
			if (k->early_status)
				k->r.resp.status = k->early_status;
			k->r.resp.close = true;
			return respond(c, k);
		}
		return MHD_YES;
	}
	if (k->dispatched) {
		if (k->job == JOB_DONE) { /* resumed: the job's answer is ready */
			k->job = JOB_NONE;
			return respond(c, k);
		}
		/* A response is queued; MHD only drains what the client sent. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		guard_received(s, k->slot, *upload_data_size);
		body(k, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (k->received > k->limit + DISCARD_MAX)
			return MHD_NO; /* a client that keeps sending after a refusal */
		return MHD_YES;
	}
	if (k->pp) {
		enum MHD_Result done = MHD_destroy_post_processor(k->pp);
		k->pp = NULL;
		if (done != MHD_YES)
			early(&k->r, RC_INVALID, "表单数据不完整或无效");
	}
	k->dispatched = true;
	guard_phase(s, k->slot, PH_ANSWER);
	web_dispatch(s->cfg.app, &k->r);
	if (k->r.resp.job && job_queue(s, k, c))
		return MHD_YES; /* suspended until the job is done */
	return respond(c, k);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	struct conn *k = *con_cls;
	if (!k)
		return;
	/* The next request's head is due from now. */
	guard_phase(cls, k->slot, PH_HEAD);
	if (k->pp)
		MHD_destroy_post_processor(k->pp);
	web_req_release(&k->r);
	free(k);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_debug("microhttpd: %s", line);
}

/* "127.0.0.1:8080", "[::1]:8080", ":8080" (all IPv4 addresses), "8080". */
static enum rc parse_listen(const char *spec, struct sockaddr_storage *ss, bool *v6,
			    struct err *e)
{
	memset(ss, 0, sizeof *ss);
	char host[64] = "";
	const char *port;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host)
			return ERR(e, RC_INVALID, "bad listen address '%s'", spec);
		memcpy(host, spec + 1, (size_t)(close - spec - 1));
		port = close + 2;
		*v6 = true;
	} else {
		const char *colon = strrchr(spec, ':');
		if (colon) {
			if ((size_t)(colon - spec) >= sizeof host)
				return ERR(e, RC_INVALID, "bad listen address '%s'", spec);
			memcpy(host, spec, (size_t)(colon - spec));
			port = colon + 1;
		} else {
			port = spec;
		}
		*v6 = false;
	}
	char *end;
	long p = strtol(port, &end, 10);
	if (!*port || *end || p < 0 || p > 65535)
		return ERR(e, RC_INVALID, "bad port in listen address '%s'", spec);
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)p);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return ERR(e, RC_INVALID, "bad IPv6 address in '%s'", spec);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)p);
		if (!*host)
			a->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (strcmp(host, "localhost") == 0)
			a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return ERR(e, RC_INVALID, "bad IPv4 address in '%s'", spec);
	}
	return RC_OK;
}

enum rc web_server_start(const struct web_config *cfg, struct web_server **out, struct err *e)
{
	struct web_server *s = xcalloc(1, sizeof *s);
	s->cfg = *cfg;
	pthread_mutex_init(&s->jobs_lock, NULL);
	pthread_cond_init(&s->jobs_cond, NULL);
	pthread_mutex_init(&s->guard_lock, NULL);
	s->max_conns = cfg->max_conns ? cfg->max_conns : 512;
	s->head_s = cfg->head_s ? cfg->head_s : WEB_HEAD_SECONDS;
	s->n_slots = s->max_conns + 16; /* MHD's count may lag its notices */
	s->slots = xcalloc(s->n_slots, sizeof *s->slots);
	enum rc rc;
	unsigned flags = MHD_USE_ERROR_LOG;
	struct sockaddr_storage ss;
	bool v6 = false;
	if (cfg->external) {
		flags |= MHD_USE_NO_LISTEN_SOCKET;
	} else {
		rc = parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:8080", &ss, &v6, e);
		if (rc != RC_OK)
			goto fail;
		flags |= MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
		if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
			flags |= MHD_USE_EPOLL;
		if (v6)
			flags |= MHD_USE_IPv6;
	}
	if (cfg->tls_cert || cfg->tls_key) {
		size_t n;
		if (!cfg->tls_cert || !cfg->tls_key) {
			rc = ERR(e, RC_INVALID, "--tls-cert and --tls-key go together");
			goto fail;
		}
		rc = util_read_file(cfg->tls_cert, 1 << 20, &s->cert, &n, e);
		if (rc == RC_OK)
			rc = util_read_file(cfg->tls_key, 1 << 20, &s->key, &n, e);
		if (rc != RC_OK)
			goto fail;
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			rc = ERR(e, RC_INVALID, "this libmicrohttpd has no TLS support");
			goto fail;
		}
		flags |= MHD_USE_TLS;
		s->tls = true;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cfg->threads ? cfg->threads : (cores > 0 ? (unsigned)cores : 1);
	if (threads > 64)
		threads = 64;
	struct MHD_OptionItem opts[20];
	int no = 0;
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, s->max_conns, NULL};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT,
					     cfg->per_ip ? cfg->per_ip : 128, NULL};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT,
					     cfg->timeout_s ? cfg->timeout_s : 30, NULL};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, WEB_CONN_MEMORY,
					     NULL};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed,
					     s};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)guard_notify,
					     s};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log,
					     NULL};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_BACKLOG_SIZE, 256, NULL};
	if (!cfg->external) {
		opts[no++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &ss};
		if (threads > 1)
			opts[no++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, threads,
							     NULL};
	}
	if (s->tls) {
		opts[no++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->key};
		opts[no++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert};
	}
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	s->d = MHD_start_daemon(flags, 0, guard_accept, s, on_request, s, MHD_OPTION_ARRAY, opts,
				MHD_OPTION_END);
	if (!s->d) {
		rc = ERR(e, RC_IO, "cannot start the web server on %s (port in use, or bad TLS files?)",
			 cfg->listen ? cfg->listen : "127.0.0.1:8080");
		goto fail;
	}
	if (!cfg->external) {
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
		s->port = di ? di->port : 0;
		unsigned n = cfg->jobs ? cfg->jobs : 2;
		s->workers = xcalloc(n, sizeof *s->workers);
		for (; s->n_workers < n; s->n_workers++)
			if (pthread_create(&s->workers[s->n_workers], NULL, job_thread, s) != 0)
				break;
		if (!s->n_workers) {
			MHD_stop_daemon(s->d);
			rc = ERR(e, RC_INTERNAL, "cannot start the job threads");
			goto fail;
		}
		s->guard_running = pthread_create(&s->guard, NULL, guard_thread, s) == 0;
	}
	*out = s;
	return RC_OK;
fail:
	free(s->workers);
	free(s->slots);
	pthread_mutex_destroy(&s->guard_lock);
	pthread_cond_destroy(&s->jobs_cond);
	pthread_mutex_destroy(&s->jobs_lock);
	free(s->cert);
	free(s->key);
	free(s);
	return rc;
}

unsigned web_server_port(const struct web_server *s)
{
	return s->port;
}

void web_server_stop(struct web_server *s, unsigned drain_s)
{
	if (!s)
		return;
	if (s->guard_running) {
		s->guard_stop = true;
		pthread_join(s->guard, NULL);
	}
	if (!s->cfg.external && drain_s > 0) {
		MHD_socket lfd = MHD_quiesce_daemon(s->d);
		jobs_stop(s);
		struct timespec t0, now;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (;;) {
			const union MHD_DaemonInfo *di =
				MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
			if (!di || di->num_connections == 0)
				break;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - t0.tv_sec >= (time_t)drain_s)
				break;
			struct timespec nap = {0, 50 * 1000 * 1000};
			nanosleep(&nap, NULL);
		}
		MHD_stop_daemon(s->d);
		if (lfd != MHD_INVALID_SOCKET)
			close(lfd);
	} else {
		jobs_stop(s);
		MHD_stop_daemon(s->d);
	}
	pthread_cond_destroy(&s->jobs_cond);
	pthread_mutex_destroy(&s->jobs_lock);
	pthread_mutex_destroy(&s->guard_lock);
	free(s->slots);
	free(s->cert);
	free(s->key);
	free(s);
}

enum rc web_server_run(const struct web_config *cfg, void (*ready)(unsigned port, void *arg),
		       void *arg, struct err *e)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct web_server *s;
	enum rc rc = web_server_start(cfg, &s, e);
	if (rc != RC_OK)
		return rc;
	if (ready)
		ready(s->port, arg);
	/* Wait for a signal, running the housekeeping tick in between. */
	int sig = 0;
	for (;;) {
		if (cfg->tick && cfg->tick_s) {
			struct timespec t = {(time_t)cfg->tick_s, 0};
			sig = sigtimedwait(&set, NULL, &t);
			if (sig < 0) {
				if (errno == EAGAIN)
					cfg->tick(cfg->tick_arg);
				continue;
			}
		} else if (sigwait(&set, &sig) != 0) {
			continue;
		}
		if (sig != SIGHUP)
			break;
		if (cfg->reload)
			cfg->reload(cfg->tick_arg);
	}
	log_info("signal %d: draining and stopping", sig);
	web_server_stop(s, WEB_DRAIN_S);
	return RC_OK;
}

enum rc web_server_add_socket(struct web_server *s, int fd)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(40000);
	if (MHD_add_connection(s->d, fd, (const struct sockaddr *)&a, sizeof a) != MHD_YES)
		return RC_IO;
	return RC_OK;
}

void web_server_poll(struct web_server *s)
{
	MHD_run(s->d);
}
