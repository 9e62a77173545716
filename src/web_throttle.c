/*
 * web_throttle.c -- login throttling in memory, per account and per client
 * address.
 *
 * A fixed table of WEB_THROTTLE_SLOTS counters, each {key hash, window
 * start, failures}, guarded by one mutex.  A key is "a:" + account or
 * "i:" + address (IPv6 addresses grouped by their /64, since one client
 * holds a whole prefix).  A slot is found by open addressing over 8
 * neighbours; when all are taken the oldest window is evicted, so the table
 * never grows: an attacker cycling addresses can only evict, not exhaust
 * memory.  Counts are per fixed window (limits.window_s); once a key
 * reaches its limit, checks fail until its window ends.  Keys are hashed
 * with a random key made once per process (pthread_once).
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "web.h"

enum { WEB_THROTTLE_SLOTS = 4096, PROBE = 8 };

struct slot {
	uint64_t key;           /* 0: empty */
	time_t start;
	unsigned fails;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[WEB_THROTTLE_SLOTS];
static struct web_throttle_limits lim = {5, 20, 900};

void web_throttle_configure(const struct web_throttle_limits *l)
{
	pthread_mutex_lock(&lock);
	if (l->per_account)
		lim.per_account = l->per_account;
	if (l->per_addr)
		lim.per_addr = l->per_addr;
	if (l->window_s)
		lim.window_s = l->window_s;
	pthread_mutex_unlock(&lock);
}

void web_throttle_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof slots);
	pthread_mutex_unlock(&lock);
}

/* The hashing key: random, made once per process by whichever thread
 * needs it first (pthread_once, so no thread ever hashes with a key that
 * is half written, whatever lock its caller holds). */
static unsigned char hkey[crypto_shorthash_KEYBYTES];
static pthread_once_t hkey_once = PTHREAD_ONCE_INIT;

static void hkey_make(void)
{
	randombytes_buf(hkey, sizeof hkey);
}

static uint64_t key_of(char kind, const char *s)
{
	pthread_once(&hkey_once, hkey_make);
	char tmp[160];
	size_t n = strlen(s);
	if (kind == 'i' && strchr(s, ':')) {
		/* IPv6: keep the first four groups (the /64). */
		int colons = 0;
		for (n = 0; s[n] && colons < 4; n++)
			if (s[n] == ':')
				colons++;
	}
	if (n > sizeof tmp - 2)
		n = sizeof tmp - 2;
	tmp[0] = kind;
	memcpy(tmp + 1, s, n);
	uint64_t h;
	crypto_shorthash((unsigned char *)&h, (const unsigned char *)tmp, n + 1, hkey);
	return h ? h : 1;
}

/* The slot for key, or NULL; with create, a fresh or evicted one. */
static struct slot *find(uint64_t key, bool create, time_t now)
{
	size_t i0 = (size_t)(key % WEB_THROTTLE_SLOTS);
	struct slot *victim = NULL;
	for (size_t j = 0; j < PROBE; j++) {
		struct slot *s = &slots[(i0 + j) % WEB_THROTTLE_SLOTS];
		if (s->key == key) {
			if (now - s->start >= (time_t)lim.window_s) {
				s->start = now;
				s->fails = 0;
			}
			return s;
		}
		if (!victim || s->key == 0 || (victim->key != 0 && s->start < victim->start))
			victim = s;
	}
	if (!create)
		return NULL;
	victim->key = key;
	victim->start = now;
	victim->fails = 0;
	return victim;
}

enum rc web_throttle_check(const char *account, const char *addr, unsigned *retry_s)
{
	time_t now = time(NULL);
	enum rc rc = RC_OK;
	unsigned wait = 0;
	pthread_mutex_lock(&lock);
	struct slot *a = account && *account ? find(key_of('a', account), false, now) : NULL;
	struct slot *i = addr && *addr ? find(key_of('i', addr), false, now) : NULL;
	if (a && a->fails >= lim.per_account) {
		rc = RC_THROTTLED;
		wait = (unsigned)(a->start + (time_t)lim.window_s - now);
	}
	if (i && i->fails >= lim.per_addr) {
		rc = RC_THROTTLED;
		unsigned w = (unsigned)(i->start + (time_t)lim.window_s - now);
		if (w > wait)
			wait = w;
	}
	pthread_mutex_unlock(&lock);
	if (retry_s)
		*retry_s = wait;
	return rc;
}

void web_throttle_fail(const char *account, const char *addr)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&lock);
	if (account && *account)
		find(key_of('a', account), true, now)->fails++;
	if (addr && *addr)
		find(key_of('i', addr), true, now)->fails++;
	pthread_mutex_unlock(&lock);
}

void web_throttle_success(const char *account, const char *addr)
{
	(void)addr; /* an address's failures stand: one good login must not
		     * launder a guessing run against other accounts */
	time_t now = time(NULL);
	pthread_mutex_lock(&lock);
	struct slot *a = account && *account ? find(key_of('a', account), false, now) : NULL;
	if (a)
		a->fails = 0;
	pthread_mutex_unlock(&lock);
}
