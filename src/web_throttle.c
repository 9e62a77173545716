/*
 * web_throttle.c -- login throttling per client address, per account from
 * one address, and per account, shared by every server of a database.
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
 * The counters live in the database (store_web.c), so that every server in
 * front of it counts the same failures: a guesser gets the limits once,
 * however many servers answer.  Three keys a login: "i " and the address
 * (an IPv6 address by its /64), "p " with the account and the address,
 * "a " and the account.  Only accounts that exist are counted (the caller
 * says so) and only their counters are kept whatever comes: the store
 * evicts the oldest address counters past STORE_LOGIN_ROWS, so guesses at
 * names nobody has, or from ever more addresses, can never flush an
 * account's count, and the table never grows past the accounts and
 * STORE_LOGIN_ROWS.
 *
 * The limits are the process's (each server reads them from the same
 * configuration); the clock is time() unless a test sets another.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "web.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
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

/* The limits and the time, read once per call. */
static struct web_throttle_limits limits(time_t *now)
{
	pthread_mutex_lock(&lock);
	struct web_throttle_limits l = lim;
	*now = clock_fn ? clock_fn() : time(NULL);
	pthread_mutex_unlock(&lock);
	return l;
}

enum { KEY = STORE_LOGIN_KEY_MAX + 1, PART = 64 };

/* The key of kind 'a' (account s), 'i' (address s) or 'p' (account s at
 * address s2) in out[KEY]: the kind, a space, the account (at most PART
 * bytes), a space and the address (its /64 for IPv6, at most PART bytes). */
static const char *key_of(char kind, const char *s, const char *s2, char out[KEY])
{
	const char *account = kind == 'i' ? NULL : s;
	const char *addr = kind == 'i' ? s : kind == 'p' ? s2 : NULL;
	int an = 0, in = 0;
	if (account)
		an = (int)strnlen(account, PART);
	if (addr) {
		size_t n = strlen(addr);
		if (strchr(addr, ':')) {
			/* IPv6: keep the first four groups (the /64). */
			int colons = 0;
			for (n = 0; addr[n] && colons < 4; n++)
				if (addr[n] == ':')
					colons++;
		}
		in = (int)(n > PART ? PART : n);
	}
	snprintf(out, KEY, "%c%s%.*s%s%.*s", kind, account ? " " : "", an, account ? account : "",
		 addr ? " " : "", in, addr ? addr : "");
	return out;
}

/* The seconds an account that failed fails times must wait after its last
 * failure: none up to the limit, then 1, 2, 4 … up to WEB_THROTTLE_DELAY_MAX. */
static unsigned account_delay(const struct web_throttle_limits *l, unsigned fails)
{
	if (fails < l->per_account)
		return 0;
	unsigned over = fails - l->per_account;
	return over >= 16 || (1u << over) > WEB_THROTTLE_DELAY_MAX ? WEB_THROTTLE_DELAY_MAX
								   : 1u << over;
}

/* The seconds left of the window of counter c, when it reached limit. */
static unsigned window_left(const struct store_login_count *c, unsigned limit, time_t now,
			    unsigned window)
{
	if (c->fails < limit)
		return 0;
	time_t end = (time_t)c->start + (time_t)window;
	return end > now ? (unsigned)(end - now) : 0;
}

enum rc web_throttle_check(struct store *st, const char *account, const char *addr,
			   unsigned *retry_s, struct err *e)
{
	time_t now;
	struct web_throttle_limits l = limits(&now);
	unsigned wait = 0, w;
	bool acct = account && *account, ip = addr && *addr;
	char k[KEY];
	struct store_login_count c;
	enum rc rc = RC_OK;
	if (ip && !(rc = store_login_get(st, key_of('i', addr, NULL, k), now, l.window_s, &c, e)) &&
	    (w = window_left(&c, l.per_addr, now, l.window_s)) > wait)
		wait = w;
	if (!rc && acct && ip &&
	    !(rc = store_login_get(st, key_of('p', account, addr, k), now, l.window_s, &c, e)) &&
	    (w = window_left(&c, l.per_account, now, l.window_s)) > wait)
		wait = w;
	if (!rc && acct &&
	    !(rc = store_login_get(st, key_of('a', account, NULL, k), now, l.window_s, &c, e))) {
		time_t until = (time_t)c.last + (time_t)account_delay(&l, c.fails);
		if (until > now && (unsigned)(until - now) > wait)
			wait = (unsigned)(until - now);
	}
	if (retry_s)
		*retry_s = rc ? 0 : wait;
	if (rc)
		return rc;
	return wait ? RC_THROTTLED : RC_OK;
}

enum rc web_throttle_fail(struct store *st, const char *account, const char *addr,
			  struct err *e)
{
	time_t now;
	struct web_throttle_limits l = limits(&now);
	bool acct = account && *account, ip = addr && *addr;
	char ki[KEY], kp[KEY], ka[KEY];
	struct store_login_key keys[3];
	size_t n = 0;
	if (ip)
		keys[n++] = (struct store_login_key){key_of('i', addr, NULL, ki), false};
	if (acct && ip)
		keys[n++] = (struct store_login_key){key_of('p', account, addr, kp), false};
	if (acct)
		keys[n++] = (struct store_login_key){key_of('a', account, NULL, ka), true};
	return n ? store_login_fail(st, keys, n, now, l.window_s, e) : RC_OK;
}

enum rc web_throttle_success(struct store *st, const char *account, const char *addr,
			     struct err *e)
{
	/* An address's own failures stand: one good login must not launder a
	 * guessing run against other accounts. */
	if (!account || !*account)
		return RC_OK;
	char ka[KEY], kp[KEY];
	const char *keys[2] = {key_of('a', account, NULL, ka), NULL};
	size_t n = 1;
	if (addr && *addr)
		keys[n++] = key_of('p', account, addr, kp);
	return store_login_forgive(st, keys, n, e);
}

enum rc web_throttle_sweep(struct store *st, struct err *e)
{
	time_t now;
	struct web_throttle_limits l = limits(&now);
	return store_login_expire(st, now, l.window_s, e);
}
