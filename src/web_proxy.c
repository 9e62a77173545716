/*
 * web_proxy.c -- the client's address behind a reverse proxy.
 *
 * X-Forwarded-For is anyone's to write, so it counts only when the peer of
 * the connection is a configured trusted proxy (trusted_proxies in the
 * configuration).  Each proxy appends the address it got the request from,
 * so the list is read from its right end: the first address that is not a
 * trusted proxy is the client.  The login throttle counts per that address.
 * The list of proxies is replaced on SIGHUP while requests run: readers
 * take a read lock.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "web.h"

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct net_prefix proxies[CONF_MAX_PROXIES];
static size_t n_proxies;

void web_proxies_set(const struct net_prefix *p, size_t n)
{
	if (n > CONF_MAX_PROXIES)
		n = CONF_MAX_PROXIES;
	pthread_rwlock_wrlock(&lock);
	if (n)
		memcpy(proxies, p, n * sizeof *p);
	n_proxies = n;
	pthread_rwlock_unlock(&lock);
}

static bool trusted(const uint8_t a[16])
{
	for (size_t i = 0; i < n_proxies; i++)
		if (net_prefix_has(&proxies[i], a))
			return true;
	return false;
}

static void addr_text(const uint8_t a[16], char *out, size_t n)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(a, mapped, 12) == 0)
		inet_ntop(AF_INET, a + 12, out, (socklen_t)n);
	else
		inet_ntop(AF_INET6, a, out, (socklen_t)n);
}

void web_client_addr(const char *peer, const char *xff, char *out, size_t n)
{
	snprintf(out, n, "%s", peer);
	uint8_t a[16];
	if (!xff || !net_addr_parse(peer, strlen(peer), a))
		return;
	pthread_rwlock_rdlock(&lock);
	if (!n_proxies || !trusted(a)) {
		pthread_rwlock_unlock(&lock);
		return;
	}
	/* From the right: skip the trusted proxies; the first other address is
	 * the client.  Anything that is not an address ends the walk at the
	 * last good one (a proxy wrote what is right of it). */
	const char *end = xff + strlen(xff);
	uint8_t best[16];
	bool have = false;
	while (end > xff) {
		const char *s = end;
		while (s > xff && s[-1] != ',')
			s--;
		const char *b = s, *e = end;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		uint8_t x[16];
		if (!net_addr_parse(b, (size_t)(e - b), x))
			break;
		memcpy(best, x, 16);
		have = true;
		if (!trusted(x))
			break;
		end = s > xff ? s - 1 : xff;
	}
	pthread_rwlock_unlock(&lock);
	if (have)
		addr_text(best, out, n);
}
