/*
 * web_cache.c -- the render cache: rendered ledger fragments and API
 * answers kept in memory and served again until the database changes.
 *
 * A key names everything the bytes depend on besides the database (the
 * caller's scope, the canonical query, today); the database is named by
 * store_generation(), which changes with every change of the ledger (not
 * with sessions' writes), so a stale entry is never served: a lookup with
 * another generation misses, and the next put replaces it.
 *
 * The table is direct-mapped (CACHE_SLOTS slots, one entry each, a newer
 * key evicts an older one), guarded by one mutex held only to swap
 * pointers.  Values are immutable reference-counted blobs, so a reader
 * keeps its bytes even when the entry is replaced meanwhile.  Memory is
 * bounded: values over CACHE_MAX_VALUE are not kept, and past CACHE_MAX_TOTAL
 * the table is emptied.
 *
 * Misses are single-flight: the first thread to miss a key at a generation
 * claims it and draws the value; others that miss the same key meanwhile
 * wait for that value instead of drawing it again, so a commit under load
 * costs one query per key, not one per waiting request.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "web_int.h"

enum { CACHE_SLOTS = 1024 };
#define CACHE_MAX_VALUE ((size_t)8 << 20)
#define CACHE_MAX_TOTAL ((size_t)256 << 20)

struct blob {
	atomic_int refs;
	size_t len;
	char data[];
};

struct blob *blob_new(const void *p, size_t len)
{
	struct blob *b = xmalloc(sizeof *b + len + 1);
	atomic_init(&b->refs, 1);
	b->len = len;
	if (len)
		memcpy(b->data, p, len);
	b->data[len] = '\0';
	return b;
}

void blob_unref(struct blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

const char *blob_data(const struct blob *b)
{
	return b->data;
}

size_t blob_len(const struct blob *b)
{
	return b->len;
}

static void unref_cb(void *b)
{
	blob_unref(b);
}

void blob_splice(struct req *r, struct blob *b)
{
	web_resp_unsplice(r);
	r->resp.splice = b->data;
	r->resp.splice_len = b->len;
	r->resp.splice_at = r->resp.body.len;
	r->resp.splice_free = unref_cb;
	r->resp.splice_cls = b;
}

struct slot {
	char *key;
	uint64_t gen;
	struct blob *val;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t drawn = PTHREAD_COND_INITIALIZER;
static struct slot slots[CACHE_SLOTS];
static size_t total;

/* Keys being drawn now. */
enum { CLAIMS = 64 };
static struct {
	char *key;
	uint64_t gen;
} claims[CLAIMS];

static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)(h % CACHE_SLOTS);
}

static struct blob *lookup(struct slot *s, const char *key, uint64_t gen)
{
	if (s->val && s->gen == gen && strcmp(s->key, key) == 0) {
		atomic_fetch_add(&s->val->refs, 1);
		return s->val;
	}
	return NULL;
}

static int claim_find(const char *key, uint64_t gen)
{
	for (int i = 0; i < CLAIMS; i++)
		if (claims[i].key && claims[i].gen == gen && strcmp(claims[i].key, key) == 0)
			return i;
	return -1;
}

struct blob *cache_get(const char *key, uint64_t gen)
{
	struct slot *s = &slots[slot_of(key)];
	pthread_mutex_lock(&lock);
	struct blob *b = lookup(s, key, gen);
	if (!b) {
		int c = claim_find(key, gen);
		if (c >= 0) {
			/* Another thread draws it: wait (bounded) for its put. */
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 10;
			while (!(b = lookup(s, key, gen)) && claim_find(key, gen) >= 0)
				if (pthread_cond_timedwait(&drawn, &lock, &until) != 0)
					break;
		} else {
			for (int i = 0; i < CLAIMS; i++) {
				if (!claims[i].key) {
					claims[i].key = xstrdup(key);
					claims[i].gen = gen;
					break;
				}
			}
		}
	}
	pthread_mutex_unlock(&lock);
	return b;
}

/* Drop the claim on key (under lock) and wake the waiters. */
static void unclaim(const char *key, uint64_t gen)
{
	int c = claim_find(key, gen);
	if (c >= 0) {
		free(claims[c].key);
		claims[c].key = NULL;
	}
	pthread_cond_broadcast(&drawn);
}

void cache_abandon(const char *key, uint64_t gen)
{
	pthread_mutex_lock(&lock);
	unclaim(key, gen);
	pthread_mutex_unlock(&lock);
}

static void slot_clear(struct slot *s)
{
	if (s->val) {
		total -= s->val->len;
		blob_unref(s->val);
	}
	free(s->key);
	memset(s, 0, sizeof *s);
}

void cache_put(const char *key, uint64_t gen, struct blob *val)
{
	if (val->len > CACHE_MAX_VALUE) {
		cache_abandon(key, gen);
		return;
	}
	struct slot *s = &slots[slot_of(key)];
	char *k = xstrdup(key);
	atomic_fetch_add(&val->refs, 1);
	pthread_mutex_lock(&lock);
	if (total + val->len > CACHE_MAX_TOTAL)
		for (size_t i = 0; i < CACHE_SLOTS; i++)
			slot_clear(&slots[i]);
	slot_clear(s);
	s->key = k;
	s->gen = gen;
	s->val = val;
	total += val->len;
	unclaim(key, gen);
	pthread_mutex_unlock(&lock);
}

void cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		slot_clear(&slots[i]);
	for (int i = 0; i < CLAIMS; i++) {
		free(claims[i].key);
		claims[i].key = NULL;
	}
	pthread_mutex_unlock(&lock);
}
