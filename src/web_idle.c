/*
 * web_idle.c -- the sessions' idle clock: when each live session was last
 * used, in memory, so that a session ends after a stretch without use and
 * every use renews it.
 *
 * A session is remembered by a keyed BLAKE2b hash of its token (16 bytes,
 * with a random key made once per process), never by the token itself.
 * The table is split into WEB_IDLE_SHARDS shards by that hash, each with
 * its own mutex, bucket array and entry count, so server threads touching
 * different sessions rarely wait for each other.  Each shard holds at most
 * WEB_IDLE_MAX / WEB_IDLE_SHARDS entries: when full, its entries idle past
 * the bound go first, then the least recently used one, so memory stays
 * bounded whatever clients do (a forgotten session falls back to the time
 * the caller passes, below, and can only end sooner for it).
 *
 * A session this process has not seen (after a restart, or once evicted)
 * counts as last used at the `fallback` time its caller gives -- the time
 * it was created -- which is never later than its real last use: losing
 * the table shortens idle sessions, never lengthens them.
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
	int64_t last;
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

bool web_idle_touch(const char *token, int64_t now, int64_t fallback, int64_t idle_s)
{
	unsigned char key[16];
	struct ent **head;
	struct shard *s = locate(token, key, &head);
	pthread_mutex_lock(&s->lock);
	struct ent **pp = head;
	while (*pp && sodium_memcmp((*pp)->key, key, sizeof key) != 0)
		pp = &(*pp)->next;
	int64_t last = *pp ? (*pp)->last : (fallback < now ? fallback : now);
	bool alive = now - last <= idle_s;
	if (!alive) {
		if (*pp) {
			struct ent *e = *pp;
			*pp = e->next;
			free(e);
			s->n--;
		}
	} else if (*pp) {
		if (now > (*pp)->last)
			(*pp)->last = now;
	} else {
		if (s->n >= PER_SHARD) {
			prune(s, now - idle_s - 1, true);
		}
		struct ent *e = xmalloc(sizeof *e);
		memcpy(e->key, key, sizeof key);
		e->last = now;
		e->next = *head;
		*head = e;
		s->n++;
	}
	pthread_mutex_unlock(&s->lock);
	sodium_memzero(key, sizeof key);
	return alive;
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
