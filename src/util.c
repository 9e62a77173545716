/*
 * util.c -- result codes, errors, allocation that aborts on failure,
 * logging, the arena, and whole-file I/O.
 */
#include "util.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <libgen.h>
#include <limits.h>
#include <malloc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int log_level = 2;

static const struct {
	const char *name;
	int http;
	int exit;
} rc_table[RC__MAX] = {
	[RC_OK] = {"ok", 200, 0},
	[RC_INVALID] = {"invalid", 400, 2},
	[RC_NOTFOUND] = {"not_found", 404, 1},
	[RC_DENIED] = {"forbidden", 403, 1},
	[RC_CONFLICT] = {"conflict", 409, 1},
	[RC_TOOBIG] = {"too_large", 413, 2},
	[RC_IO] = {"io", 500, 3},
	[RC_DB] = {"database", 500, 3},
	[RC_INTERNAL] = {"internal", 500, 4},
	[RC_AUTH] = {"unauthenticated", 401, 1},
	[RC_MEDIA] = {"unsupported_media_type", 415, 2},
	[RC_THROTTLED] = {"throttled", 429, 1},
};

const char *rc_name(enum rc rc)
{
	return (unsigned)rc < RC__MAX ? rc_table[rc].name : "internal";
}

int rc_http_status(enum rc rc)
{
	return (unsigned)rc < RC__MAX ? rc_table[rc].http : 500;
}

int rc_exit_code(enum rc rc)
{
	return (unsigned)rc < RC__MAX ? rc_table[rc].exit : 4;
}

enum rc err_set_(struct err *e, enum rc rc, const char *file, int line,
		 const char *fmt, ...)
{
	if (rc == RC_INTERNAL)
		log_error("internal error at %s:%d", file, line);
	if (!e)
		return rc;
	e->rc = rc;
	e->file = file;
	e->line = line;
	e->code = NULL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return rc;
}

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

static void oom(void)
{
	fputs("rectify: out of memory\n", stderr);
	abort();
}

/*
 * Large blocks (a 16 MiB report, its tree, a workbook being written) are
 * mapped by malloc and filled page by page: one fault per 4 KiB page made
 * a third of the time of `rectify parse` on a 10 MB report.  Asking for
 * transparent huge pages over the 2 MiB-aligned inside of such a block,
 * before it is touched, makes that one fault per 2 MiB.  Only a hint: where
 * the kernel has none to give (or says never), nothing changes.
 */
#define HUGE_FROM ((size_t)4 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void huge_hint(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	if (n < HUGE_FROM)
		return;
	uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void util_batch_memory(size_t expect)
{
	/* Blocks up to 32 MiB (the most glibc allows) come from the heap, which
	 * keeps what is freed (a stage's scratch is the next stage's memory,
	 * already faulted in) and grows 64 MiB at a time; the job threads use
	 * it too rather than heaps of their own. */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	mallopt(M_TOP_PAD, 64 << 20);
	if (expect > (30u << 20))
		expect = 30u << 20;
	/* Grow the heap by what the work will need, and ask for huge pages
	 * over all of it (the part beyond the heap's end, if any, is skipped
	 * by the kernel). */
	char *p = malloc(expect);
	if (!p)
		return;
#ifdef MADV_HUGEPAGE
	uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t hi = ((uintptr_t)p + expect + (64u << 20)) & ~(HUGE_PAGE - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
	free(p);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	huge_hint(p, n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	if (size && n <= SIZE_MAX / size)
		huge_hint(p, n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	huge_hint(q, n);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	char *p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void log_msg(int level, const char *fmt, ...)
{
	static const char *const names[] = {"", "error", "warning", "info", "debug"};
	if (level > log_level)
		return;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s rectify %s: %s\n", when, names[level < 5 ? level : 4], line);
}

void util_time_zone(void)
{
	const char *tz = getenv("TZ");
	if (!tz || !*tz) {
		/* Without the zone database glibc would fall back to UTC. */
		if (access("/usr/share/zoneinfo/" UTIL_TIME_ZONE, R_OK) == 0)
			setenv("TZ", UTIL_TIME_ZONE, 1);
		else
			setenv("TZ", "CST-8", 1);
	}
	tzset();
}

void util_local_time(const char *iso, char *out, size_t n)
{
	struct tm tm = {0};
	if (iso && sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		time_t t = timegm(&tm);
		struct tm lt;
		if (localtime_r(&t, &lt) && strftime(out, n, "%Y-%m-%d %H:%M", &lt))
			return;
	}
	snprintf(out, n, "%s", iso ? iso : "");
}

/* ---- arena ---------------------------------------------------------- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

/* Chunks double up to this: big enough that a large tree's chunks get huge
 * pages (huge_hint), while a request's small arena never reaches it. */
#define ARENA_CHUNK_MAX ((size_t)8 << 20)

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (!a->head || a->used + n > a->cap) {
		size_t size = a->head ? a->cap * 2 : 4096;
		if (size > ARENA_CHUNK_MAX)
			size = ARENA_CHUNK_MAX;
		if (size < n)
			size = n;
		struct arena_chunk *c = xmalloc(sizeof *c + size);
		c->size = size;
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->cap = size;
	}
	void *p = a->head->data + a->used;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void *arena_adopt(struct arena *a, void *p)
{
	if (a->n_adopted == a->cap_adopted) {
		a->cap_adopted = a->cap_adopted ? a->cap_adopted * 2 : 16;
		a->adopted = xreallocarray(a->adopted, a->cap_adopted, sizeof *a->adopted);
	}
	a->adopted[a->n_adopted++] = p;
	return p;
}

void arena_release(struct arena *a)
{
	for (size_t i = 0; i < a->n_adopted; i++)
		free(a->adopted[i]);
	free(a->adopted);
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	memset(a, 0, sizeof *a);
}

void arena_absorb(struct arena *into, struct arena *from)
{
	/* Chunks go behind into's head, which stays the one being filled. */
	struct arena_chunk *tail = from->head;
	if (tail) {
		while (tail->next)
			tail = tail->next;
		if (into->head) {
			tail->next = into->head->next;
			into->head->next = from->head;
		} else {
			tail->next = NULL;
			into->head = from->head;
			into->used = from->used;
			into->cap = from->cap;
		}
	}
	for (size_t i = 0; i < from->n_adopted; i++)
		arena_adopt(into, from->adopted[i]);
	free(from->adopted);
	memset(from, 0, sizeof *from);
}

/* ---- jobs ---------------------------------------------------------- */

size_t util_parallel_from = 256u << 10;

static void *job_main(void *arg)
{
	struct util_job *j = arg;
	j->fn(j->arg);
	return NULL;
}

void util_job_start(struct util_job *j, int threaded, void (*fn)(void *), void *arg)
{
	j->fn = fn;
	j->arg = arg;
	j->started = threaded && pthread_create(&j->tid, NULL, job_main, j) == 0;
	if (!j->started)
		fn(arg);
}

void util_job_wait(struct util_job *j)
{
	if (j->started)
		pthread_join(j->tid, NULL);
	j->started = 0;
}

/* ---- files ---------------------------------------------------------- */

enum rc util_read_file(const char *path, size_t max, char **out, size_t *len,
		       struct err *e)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ERR(e, RC_IO, "cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return ERR(e, RC_IO, "%s is a directory", path);
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		if (fd != STDIN_FILENO)
			close(fd);
		return ERR(e, RC_TOOBIG, "%s is too large: %jd bytes, the limit is %zu bytes (%zu MiB)",
			   path, (intmax_t)st.st_size, max, max >> 20);
	}
	/* A regular file is read into a buffer of its size (plus one byte to
	 * see that it did not grow); pipes grow the buffer as they go. */
	size_t cap = 65536, n = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	char *p = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(p);
				if (fd != STDIN_FILENO)
					close(fd);
				return ERR(e, RC_TOOBIG, "%s is too large: the limit is %zu bytes (%zu MiB)",
					   path, max, max >> 20);
			}
			cap *= 2;
			p = xrealloc(p, cap + 1);
		}
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;
			free(p);
			if (fd != STDIN_FILENO)
				close(fd);
			return ERR(e, RC_IO, "cannot read %s: %s", path, strerror(saved));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (n > max) {
		free(p);
		return ERR(e, RC_TOOBIG, "%s is too large: the limit is %zu bytes (%zu MiB)", path,
			   max, max >> 20);
	}
	p[n] = '\0';
	*out = p;
	*len = n;
	return RC_OK;
}

enum rc util_write_file(const char *path, const void *data, size_t len, struct err *e)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		enum rc rc = ERR(e, RC_IO, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return RC_OK;
fail:;
	int saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return ERR(e, RC_IO, "cannot write %s: %s", path, strerror(saved));
}

void util_sha256_hex(const void *data, size_t len, char hex[65])
{
	/* GnuTLS's digest uses the CPU's SHA instructions where it has them:
	 * 7 ms for 10 MB against libsodium's 50 ms. */
	unsigned char h[crypto_hash_sha256_BYTES];
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, h) != 0)
		crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

void util_random_hex(char *hex, size_t hex_size)
{
	unsigned char raw[64];
	size_t n = (hex_size - 1) / 2;
	if (n > sizeof raw)
		abort(); /* a caller's mistake: no token is that long */
	randombytes_buf(raw, n);
	sodium_bin2hex(hex, hex_size, raw, n);
	sodium_memzero(raw, sizeof raw);
}

int util_part_name(const char *base, const char *target, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return -1;
	if (target[0] == '/') {
		target++;
	} else {
		n = strlen(base);
		if (n >= cap)
			return -1;
		memcpy(out, base, n);
	}
	while (*target) {
		const char *sl = strchr(target, '/');
		size_t seg = sl ? (size_t)(sl - target) : strlen(target);
		if (seg == 2 && target[0] == '.' && target[1] == '.') {
			if (n > 0)
				n--;
			while (n > 0 && out[n - 1] != '/')
				n--;
		} else if (!(seg == 1 && target[0] == '.') && seg > 0) {
			if (n + seg + 2 > cap)
				return -1;
			memcpy(out + n, target, seg);
			n += seg;
			if (sl)
				out[n++] = '/';
		}
		target += seg + (sl != NULL);
	}
	out[n] = '\0';
	return (int)n;
}

int util_dl_load(const char *soname, const char *const *names, void **fns, size_t n,
		 char *why, size_t why_size)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *m = dlerror();
		snprintf(why, why_size, "%s cannot be loaded: %s", soname, m ? m : "not found");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		fns[i] = dlsym(h, names[i]);
		if (!fns[i]) {
			snprintf(why, why_size, "%s has no %s", soname, names[i]);
			dlclose(h);
			return -1;
		}
	}
	return 0; /* kept open for the life of the process */
}
