/*
 * util.h -- the few things every module shares: the result code, the error
 * detail that travels with it, allocation that never returns NULL, logging,
 * a bump allocator for trees, and growable arrays.
 *
 * Invariants:
 *   - Every fallible function returns an enum rc.  RC_OK is zero, so
 *     "if (rc) return rc;" reads naturally.
 *   - Detail goes into an optional struct err * (may be NULL).  The message is
 *     meant for the person at the keyboard: Chinese where it reaches the web
 *     UI, plain English or Chinese on the CLI.
 *   - Out of memory aborts the process (as git, Redis and kcgi do): no caller
 *     ever checks for NULL from x*alloc().
 */
#ifndef RECTIFY_UTIL_H
#define RECTIFY_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum rc {
	RC_OK = 0,
	RC_INVALID,     /* the input is wrong: the client's fault (400, exit 2) */
	RC_NOTFOUND,    /* no such thing, or not visible to the caller (404) */
	RC_DENIED,      /* authenticated but not allowed (403) */
	RC_CONFLICT,    /* stale version or illegal state change (409) */
	RC_TOOBIG,      /* over a documented bound (413) */
	RC_IO,          /* file system or network */
	RC_DB,          /* the database refused */
	RC_INTERNAL,    /* a bug: logged with file and line */
	RC_AUTH,        /* not logged in (401) */
	RC_MEDIA,       /* unsupported media type or format (415) */
	RC_THROTTLED,   /* too many attempts (429) */
	RC__MAX
};

/* Detail of a failure.  span_start/span_end are byte offsets into the
 * decoded source text when has_span is set (parser errors). */
struct err {
	enum rc rc;
	int has_span;
	uint32_t span_start, span_end;
	const char *file;       /* where RC_INTERNAL was raised */
	int line;
	char msg[512];
	const char *code;       /* a stable machine code of the refusal ("W10-pending"),
	                           a string literal; NULL when there is none.  ERR()
	                           clears it; the module that raises it sets it after. */
};

/* Fill e (when not NULL) and return rc.  Use through ERR() so that file and
 * line are recorded. */
enum rc err_set_(struct err *e, enum rc rc, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define ERR(e, rc, ...) err_set_((e), (rc), __FILE__, __LINE__, __VA_ARGS__)
void err_clear(struct err *e);

const char *rc_name(enum rc rc);      /* "invalid", "not_found", ... */
int rc_http_status(enum rc rc);       /* 400, 404, ... */
int rc_exit_code(enum rc rc);         /* CLI exit status */

/* Allocation: abort on failure, never return NULL (xmalloc(0) gives a
 * unique pointer).  The caller frees with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Before one command's work on a large input (a report of `expect`
 * bytes and what is built from it): memory is kept for reuse rather than
 * handed back, and asked for in huge pages.  For one-shot commands only. */
void util_batch_memory(size_t expect);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logging to standard error, one line each, prefixed by time and level.
 * log_level: 0 quiet, 1 errors, 2 warnings (default), 3 info, 4 debug. */
extern int log_level;
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Local time.  The program's time zone is $TZ when set, else
 * UTIL_TIME_ZONE (China Standard Time, as a POSIX string when the zone
 * database is absent); util_time_zone() sets it up once, at start, before
 * any thread.  Stored times are ISO UTC ("2026-12-07T02:35:31.438Z"), and so
 * are the JSON outputs; people read util_local_time()'s "2026-12-07 10:35".
 */
#define UTIL_TIME_ZONE "Asia/Shanghai"
void util_time_zone(void);
/* iso (UTC, as stored) as local "YYYY-MM-DD HH:MM" into out; a string that
 * is no such time is copied as it is. */
void util_local_time(const char *iso, char *out, size_t n);
#define log_error(...) log_msg(1, __VA_ARGS__)
#define log_warn(...)  log_msg(2, __VA_ARGS__)
#define log_info(...)  log_msg(3, __VA_ARGS__)
#define log_debug(...) log_msg(4, __VA_ARGS__)

/*
 * Arena: a bump allocator for objects that live and die together (a parsed
 * report).  Allocations are 8-byte aligned and never freed one by one;
 * arena_release() frees them all.  A zeroed struct is a valid empty arena.
 */
struct arena {
	struct arena_chunk *head;
	size_t used, cap;       /* of the head chunk */
	void **adopted;         /* malloc'd blocks freed with the arena */
	size_t n_adopted, cap_adopted;
};
void *arena_alloc(struct arena *a, size_t n);            /* zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Hand a malloc'd block to the arena: it is freed by arena_release(). */
void *arena_adopt(struct arena *a, void *p);
void arena_release(struct arena *a);
/* Move everything from `from` into `into` (from is left empty). */
void arena_absorb(struct arena *into, struct arena *from);

/*
 * Jobs: a piece of work run on a thread of its own beside the caller, on a
 * large input where two cores pay.  util_job_start runs fn(arg) at once on
 * the caller instead when `threaded` is 0 or no thread can be made, so the
 * result is the same either way; util_job_wait returns once it has run.
 * Inputs of at least util_parallel_from bytes are worked on two threads
 * (256 KiB; tests lower it to take the threaded paths on small inputs).
 */
extern size_t util_parallel_from;
struct util_job {
	pthread_t tid;
	int started;
	void (*fn)(void *arg);
	void *arg;
};
void util_job_start(struct util_job *j, int threaded, void (*fn)(void *), void *arg);
void util_job_wait(struct util_job *j);

/*
 * Growable arrays.  Declare with VEC(type) name; push with VEC_PUSH, which
 * returns a pointer to the new zeroed slot.  Free with VEC_FREE.
 */
#define VEC(type) struct { type *v; size_t n, cap; }
#define VEC_PUSH(vec) \
	((vec).n == (vec).cap \
		 ? ((vec).cap = (vec).cap ? (vec).cap * 2 : 8, \
		    (vec).v = xreallocarray((vec).v, (vec).cap, sizeof *(vec).v)) \
		 : (vec).v, \
	 memset(&(vec).v[(vec).n], 0, sizeof *(vec).v), &(vec).v[(vec).n++])
#define VEC_FREE(vec) (free((vec).v), (vec).v = NULL, (vec).n = (vec).cap = 0)

/*
 * Eight bytes at a time (w, loaded with memcpy): nonzero when some byte of
 * w equals c, or is below c (c at most 0x80).  Exact as a yes/no; which
 * bits are set says nothing about which byte.
 */
#define UTIL_BYTES_ONES 0x0101010101010101ull
#define UTIL_BYTES_HIGH 0x8080808080808080ull
static inline uint64_t util_bytes_below(uint64_t w, unsigned c)
{
	return (w - UTIL_BYTES_ONES * c) & ~w & UTIL_BYTES_HIGH;
}
static inline uint64_t util_bytes_eq(uint64_t w, unsigned c)
{
	return util_bytes_below(w ^ (UTIL_BYTES_ONES * c), 1);
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* A macro's value as a string literal: "不超过 " STR(STORE_NOTE_MAX) " 字节". */
#define STR_(x) #x
#define STR(x) STR_(x)

/* Read a whole file (or standard input for "-") of at most max bytes.
 * On success *out is malloc'd (NUL-terminated, caller frees) and *len set.
 * RC_TOOBIG past max, RC_IO when it cannot be read. */
enum rc util_read_file(const char *path, size_t max, char **out, size_t *len,
		       struct err *e);

/* Write data to path atomically: a temporary file in the same directory,
 * fsync, rename.  Nothing is left behind on failure. */
enum rc util_write_file(const char *path, const void *data, size_t len,
			struct err *e);

/* SHA-256 of data as 64 lowercase hex digits plus NUL. */
void util_sha256_hex(const void *data, size_t len, char hex[65]);

/*
 * A shared library opened when it is first needed rather than when the
 * program starts (poppler for PDF files, OpenCC for traditional script:
 * between them some forty libraries, which would triple the start-up time
 * of every command).  util_dl_load opens `soname` (the build names it, so
 * that the package's dependency is the library it was built against) and
 * looks up names[0..n) into fns[0..n).  0 on success; -1 when the library
 * or a symbol is missing, with why[] saying which.
 */
int util_dl_load(const char *soname, const char *const *names, void **fns, size_t n,
		 char *why, size_t why_size);
/* hex_size - 1 hex digits (an even number) from as many random bytes as
 * they spell, NUL-terminated: tokens and throwaway passwords. */
void util_random_hex(char *hex, size_t hex_size);

/* The name of a part of an Office package (.docx, .xlsx) that a
 * relationship's Target names: target resolved against the directory base
 * ("word/", "" for the root; a target starting with / is from the root),
 * "." and ".." segments folded (never above the root), into out[cap].
 * Returns its length, or -1 when it does not fit. */
int util_part_name(const char *base, const char *target, char *out, size_t cap);

#endif
