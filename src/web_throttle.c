/*
 * web_throttle.c -- login throttling in memory, per client address, per
 * account from one address, and per account.
 *
 * The policy (docs/LIMITS.md), with the limits {per_account, per_addr,
 * window_s}, default {5, 20, 900}, counted in fixed windows:
 *
 *   - an address that failed per_addr times is refused until its window
 *     ends (IPv6 addresses grouped by their /64, one client's prefix);
 *   - an address that failed per_account times on one account is refused
 *     for that account until its window ends: the guesser is stopped at
 *     its own address first;
 *   - an account that failed per_account times, from wherever, is slowed,
 *     not locked: each further attempt waits 1, 2, 4 … seconds after the
 *     last failure, at most WEB_THROTTLE_DELAY_MAX.  Guessing from many
 *     addresses stays slow, and nobody can lock the rightful user out for
 *     the whole window with a few bad passwords.
 *
 * Two fixed tables, guarded by one mutex: accounts, and addresses with
 * account-at-address pairs.  Only accounts that exist are counted (the
 * caller says so), so the account table holds at most one slot per user
 * and guesses at names nobody has, or from ever more addresses, evict only
 * address slots: they can never flush an account's count.  A slot is found
 * by open addressing over 8 neighbours; when all are taken the oldest
 * window is evicted, so the tables never grow.  Keys are hashed with a
 * random key made once per process (pthread_once).
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "web.h"

enum { WEB_THROTTLE_SLOTS = 4096, WEB_THROTTLE_ACCOUNTS = 4096, PROBE = 8 };

struct slot {
	uint64_t key;           /* 0: empty */
	time_t start;           /* the window began */
	time_t last;            /* the last failure */
	unsigned fails;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[WEB_THROTTLE_SLOTS];      /* addresses, account@address */
static struct slot accounts[WEB_THROTTLE_ACCOUNTS];
static struct web_throttle_limits lim = {5, 20, 900};
static time_t (*clock_fn)(void);

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

void web_throttle_clock(time_t (*now)(void))
{
	pthread_mutex_lock(&lock);
	clock_fn = now;
	pthread_mutex_unlock(&lock);
}

void web_throttle_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof slots);
	memset(accounts, 0, sizeof accounts);
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

/* The key of kind 'a' (account), 'i' (address) or 'p' (account s at
 * address s2). */
static uint64_t key_of(char kind, const char *s, const char *s2)
{
	pthread_once(&hkey_once, hkey_make);
	const char *addr = kind == 'i' ? s : kind == 'p' ? s2 : NULL;
	char tmp[240];
	size_t o = 0;
	tmp[o++] = kind;
	if (kind != 'i') {
		size_t n = strlen(s);
		if (n > 64)
			n = 64;
		memcpy(tmp + o, s, n);
		o += n;
		tmp[o++] = '\0';
	}
	if (addr) {
		size_t n = strlen(addr);
		if (strchr(addr, ':')) {
			/* IPv6: keep the first four groups (the /64). */
			int colons = 0;
			for (n = 0; addr[n] && colons < 4; n++)
				if (addr[n] == ':')
					colons++;
		}
		if (n > 64)
			n = 64;
		memcpy(tmp + o, addr, n);
		o += n;
	}
	uint64_t h;
	crypto_shorthash((unsigned char *)&h, (const unsigned char *)tmp, o, hkey);
	return h ? h : 1;
}

/* The slot for key in table t, or NULL; with create, a fresh or evicted
 * one.  A slot whose window ended starts a new one. */
static struct slot *find(struct slot *t, size_t n, uint64_t key, bool create, time_t now)
{
	size_t i0 = (size_t)(key % n);
	struct slot *victim = NULL;
	for (size_t j = 0; j < PROBE; j++) {
		struct slot *s = &t[(i0 + j) % n];
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
	*victim = (struct slot){.key = key, .start = now, .last = now};
	return victim;
}

static time_t now_s(void)
{
	return clock_fn ? clock_fn() : time(NULL);
}

/* The seconds an account that failed fails times must wait after its last
 * failure: none up to the limit, then 1, 2, 4 … up to WEB_THROTTLE_DELAY_MAX. */
static unsigned account_delay(unsigned fails)
{
	if (fails < lim.per_account)
		return 0;
	unsigned over = fails - lim.per_account;
	return over >= 16 || (1u << over) > WEB_THROTTLE_DELAY_MAX ? WEB_THROTTLE_DELAY_MAX
								   : 1u << over;
}

enum rc web_throttle_check(const char *account, const char *addr, unsigned *retry_s)
{
	time_t now = now_s();
	unsigned wait = 0;
	bool acct = account && *account, ip = addr && *addr;
	pthread_mutex_lock(&lock);
	struct slot *i = ip ? find(slots, WEB_THROTTLE_SLOTS, key_of('i', addr, NULL), false, now)
			    : NULL;
	struct slot *p = acct && ip ? find(slots, WEB_THROTTLE_SLOTS, key_of('p', account, addr),
					   false, now)
				    : NULL;
	struct slot *a = acct ? find(accounts, WEB_THROTTLE_ACCOUNTS, key_of('a', account, NULL),
				     false, now)
			      : NULL;
	unsigned w;
	if (i && i->fails >= lim.per_addr &&
	    (w = (unsigned)(i->start + (time_t)lim.window_s - now)) > wait)
		wait = w;
	if (p && p->fails >= lim.per_account &&
	    (w = (unsigned)(p->start + (time_t)lim.window_s - now)) > wait)
		wait = w;
	if (a) {
		time_t until = a->last + (time_t)account_delay(a->fails);
		if (until > now && (unsigned)(until - now) > wait)
			wait = (unsigned)(until - now);
	}
	pthread_mutex_unlock(&lock);
	if (retry_s)
		*retry_s = wait;
	return wait ? RC_THROTTLED : RC_OK;
}

static void count(struct slot *s, time_t now)
{
	s->fails++;
	s->last = now;
}

void web_throttle_fail(const char *account, const char *addr)
{
	time_t now = now_s();
	bool acct = account && *account, ip = addr && *addr;
	pthread_mutex_lock(&lock);
	if (ip)
		count(find(slots, WEB_THROTTLE_SLOTS, key_of('i', addr, NULL), true, now), now);
	if (acct && ip)
		count(find(slots, WEB_THROTTLE_SLOTS, key_of('p', account, addr), true, now), now);
	if (acct)
		count(find(accounts, WEB_THROTTLE_ACCOUNTS, key_of('a', account, NULL), true, now),
		      now);
	pthread_mutex_unlock(&lock);
}

void web_throttle_success(const char *account, const char *addr)
{
	/* An address's own failures stand: one good login must not launder a
	 * guessing run against other accounts. */
	time_t now = now_s();
	if (!account || !*account)
		return;
	pthread_mutex_lock(&lock);
	struct slot *a = find(accounts, WEB_THROTTLE_ACCOUNTS, key_of('a', account, NULL), false,
			      now);
	if (a)
		a->fails = 0;
	struct slot *p = addr && *addr ? find(slots, WEB_THROTTLE_SLOTS,
					      key_of('p', account, addr), false, now)
				       : NULL;
	if (p)
		p->fails = 0;
	pthread_mutex_unlock(&lock);
}
