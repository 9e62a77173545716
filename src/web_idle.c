/*
 * web_idle.c -- the sessions' idle clock, between requests and the
 * database: what this process has seen of each live session since the
 * database last recorded its use, so that every use renews a session while
 * its `last_seen` row is written at most once per `every` seconds
 * (store_session_touch; about once a minute with the default bounds).
 *
 * The database's last_seen is the clock that survives restarts; this table
 * only adds the uses not written yet and the time of the last write, and
 * throttles the writes.  A session it does not know (after a restart, or
 * once evicted) counts from the last_seen its caller passes, which is never
 * later than its real last use, and is written on its next use: losing the
 * table can only shorten an idle session by less than `every` seconds.
 *
 * A session is remembered by a keyed BLAKE2b hash of its token (16 bytes,
 * with a random key made once per process), never by the token itself.
 * The table is split into WEB_IDLE_SHARDS shards by that hash, each with
 * its own mutex, bucket array and entry count, so server threads touching
 * different sessions rarely wait for each other.  Each shard holds at most
 * WEB_IDLE_MAX / WEB_IDLE_SHARDS entries: when full, its entries idle past
 * the bound go first, then the least recently used one, so memory stays
 * bounded whatever clients do.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

enum {
	SHARDS = WEB_IDLE_SHARDS,
	BUCKETS = 1024,                         /* per shard */
	PER_SHARD = WEB_IDLE_MAX / WEB_IDLE_SHARDS,
};

struct ent {
	struct ent *next;
	unsigned char key[16];
	int64_t last;                   /* the last use seen here */
	int64_t written;                /* the last use written to the database */
};

struct shard {
	pthread_mutex_t lock;
	struct ent *b[BUCKETS];
	size_t n;
};

static struct shard shards[SHARDS];
static unsigned char hkey[crypto_generichash_KEYBYTES];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
	randombytes_buf(hkey, sizeof hkey);
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_init(&shards[i].lock, NULL);
}

/* The token's key, and through it its shard and bucket. */
static struct shard *locate(const char *token, unsigned char key[16], struct ent ***head)
{
	pthread_once(&once, init);
	crypto_generichash(key, 16, (const unsigned char *)token, strlen(token), hkey,
			   sizeof hkey);
	uint32_t h;
	memcpy(&h, key, sizeof h);
	struct shard *s = &shards[h % SHARDS];
	*head = &s->b[(h / SHARDS) % BUCKETS];
	return s;
}

/* Drop entries last used at or before `before`; with evict, also the least
 * recently used one when none was dropped.  Called with the lock held. */
static void prune(struct shard *s, int64_t before, bool evict)
{
	struct ent **oldest = NULL;
	size_t dropped = 0;
	for (int i = 0; i < BUCKETS; i++) {
		for (struct ent **pp = &s->b[i]; *pp;) {
			struct ent *e = *pp;
			if (e->last <= before) {
				*pp = e->next;
				free(e);
				s->n--;
				dropped++;
				continue;
			}
			if (!oldest || e->last < (*oldest)->last)
				oldest = pp;
			pp = &e->next;
		}
	}
	if (evict && dropped == 0 && oldest) {
		struct ent *e = *oldest;
		*oldest = e->next;
		free(e);
		s->n--;
	}
}

enum web_idle web_idle_touch(const char *token, int64_t now, int64_t seen, int64_t idle_s,
			    int64_t every)
{
	unsigned char key[16];
	struct ent **head;
	struct shard *s = locate(token, key, &head);
	pthread_mutex_lock(&s->lock);
	struct ent **pp = head;
	while (*pp && sodium_memcmp((*pp)->key, key, sizeof key) != 0)
		pp = &(*pp)->next;
	if (seen > now)
		seen = now;
	int64_t last = seen, written = seen;
	if (*pp) {
		if ((*pp)->last > last)
			last = (*pp)->last;
		if ((*pp)->written > written)
			written = (*pp)->written;
	}
	enum web_idle verdict = now - last <= idle_s ? WEB_IDLE_OK : WEB_IDLE_DEAD;
	if (verdict == WEB_IDLE_DEAD) {
		if (*pp) {
			struct ent *e = *pp;
			*pp = e->next;
			free(e);
			s->n--;
		}
	} else {
		if (!*pp) {
			if (s->n >= PER_SHARD)
				prune(s, now - idle_s - 1, true);
			struct ent *e = xmalloc(sizeof *e);
			memcpy(e->key, key, sizeof key);
			e->next = *head;
			*head = e;
			s->n++;
			pp = head;
		}
		if (now - written >= every) {
			verdict = WEB_IDLE_WRITE;
			written = now;
		}
		(*pp)->last = now > last ? now : last;
		(*pp)->written = written;
	}
	pthread_mutex_unlock(&s->lock);
	sodium_memzero(key, sizeof key);
	return verdict;
}

void web_idle_forget(const char *token)
{
	unsigned char key[16];
	struct ent **head;
	struct shard *s = locate(token, key, &head);
	pthread_mutex_lock(&s->lock);
	for (struct ent **pp = head; *pp; pp = &(*pp)->next) {
		if (sodium_memcmp((*pp)->key, key, sizeof key) == 0) {
			struct ent *e = *pp;
			*pp = e->next;
			free(e);
			s->n--;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

size_t web_idle_sweep(int64_t now, int64_t idle_s)
{
	pthread_once(&once, init);
	size_t dropped = 0;
	for (int i = 0; i < SHARDS; i++) {
		struct shard *s = &shards[i];
		pthread_mutex_lock(&s->lock);
		size_t n0 = s->n;
		prune(s, now - idle_s - 1, false);
		dropped += n0 - s->n;
		pthread_mutex_unlock(&s->lock);
	}
	return dropped;
}

size_t web_idle_count(void)
{
	pthread_once(&once, init);
	size_t n = 0;
	for (int i = 0; i < SHARDS; i++) {
		pthread_mutex_lock(&shards[i].lock);
		n += shards[i].n;
		pthread_mutex_unlock(&shards[i].lock);
	}
	return n;
}

void web_idle_reset(void)
{
	pthread_once(&once, init);
	for (int i = 0; i < SHARDS; i++) {
		struct shard *s = &shards[i];
		pthread_mutex_lock(&s->lock);
		for (int k = 0; k < BUCKETS; k++) {
			while (s->b[k]) {
				struct ent *e = s->b[k];
				s->b[k] = e->next;
				free(e);
			}
		}
		s->n = 0;
		pthread_mutex_unlock(&s->lock);
	}
}
