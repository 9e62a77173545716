/*
 * conf.c -- the configuration file: the table of keys, the parser, and the
 * sample file written from the table (see conf.h).
 *
 * The parser takes bytes from outside: it never reads past len, refuses a
 * NUL byte or another control character (tab aside), bounds the file, the
 * line and each value, and keeps nothing of a file it refuses.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "store.h"

#define OFF(f) offsetof(struct conf, f)

const struct conf_key conf_keys[] = {
	{"listen", CONF_LISTEN, OFF(listen), 0, 0, false, "127.0.0.1:8080", CONF_DEFAULT,
	 "The address and port the web application listens on: 127.0.0.1:8080 (this "
	 "machine only), 0.0.0.0:8080 (every IPv4 address), [::]:8080 (IPv6)."},
	{"database", CONF_DATABASE, OFF(database), 0, 0, false, "/var/lib/rectify/rectify.db",
	 CONF_PACKAGED,
	 "The SQLite database file, or a PostgreSQL database as a URL "
	 "(postgresql://user@host/dbname; several servers may share one).  'rectify --db' "
	 "overrides it; unset, RECTIFY_DB or rectify.db in the working directory "
	 "(/var/lib/rectify for the service)."},
	{"tls_certificate", CONF_PATH, OFF(tls_certificate), 0, 0, false,
	 "/etc/rectify/tls/cert.pem", CONF_EXAMPLE,
	 "A PEM certificate (chain) for HTTPS; goes with tls_key.  Without both, plain "
	 "HTTP (put a TLS proxy in front, or keep the port on a trusted network)."},
	{"tls_key", CONF_PATH, OFF(tls_key), 0, 0, false, "/etc/rectify/tls/key.pem", CONF_EXAMPLE,
	 "The PEM private key of tls_certificate; readable by the rectify user only."},
	{"public_url", CONF_URL, OFF(public_url), 0, 0, false, "https://rectify.example.internal",
	 CONF_EXAMPLE,
	 "The address users type in their browser.  When it starts with https:// the "
	 "session cookies are marked Secure (a TLS proxy in front)."},
	{"time_zone", CONF_ZONE, OFF(time_zone), 0, 0, false, "Asia/Shanghai", CONF_PACKAGED,
	 "The time zone of 'today' (deadlines, lights) and of the log, a name under "
	 "/usr/share/zoneinfo.  Unset: the system's."},
	{"trusted_proxies", CONF_PROXIES, OFF(proxies), 0, 0, true, "127.0.0.1, ::1", CONF_EXAMPLE,
	 "Addresses or networks (10.0.0.0/8) of reverse proxies whose X-Forwarded-For "
	 "header names the real client (the login throttle counts per client).  From "
	 "any other peer the header is ignored.  Empty: none."},
	{"backup_directory", CONF_PATH, OFF(backup_directory), 0, 0, false,
	 "/var/lib/rectify/backups", CONF_PACKAGED,
	 "Where 'rectify backup' without a file name writes rectify-YYYYMMDD-HHMMSS.db.  "
	 "Outside /var/lib/rectify the service needs ReadWritePaths= in a drop-in.  "
	 "Unset: 'rectify backup' needs a file name or --dir."},
	{"backup_keep", CONF_COUNT, OFF(backup_keep), 1, 1000, false, "14", CONF_DEFAULT,
	 "How many of those backups to keep; older ones are deleted after a new one "
	 "is written and verified."},
	{"threads", CONF_COUNT, OFF(threads), 0, 64, false, "0", CONF_DEFAULT,
	 "Threads serving requests; 0: one per core."},
	{"log_level", CONF_LOG, OFF(log_level), 0, 0, true, "warning", CONF_DEFAULT,
	 "error, warning, info or debug."},
};
const size_t conf_nkeys = sizeof conf_keys / sizeof conf_keys[0];
_Static_assert(sizeof conf_keys / sizeof conf_keys[0] <= sizeof((struct conf *)0)->line /
	       sizeof(int), "struct conf has a line slot per key");

static const char *const log_names[] = {"", "error", "warning", "info", "debug"};

/* ---- addresses ------------------------------------------------------------ */

bool net_addr_parse(const char *s, size_t n, uint8_t out[16])
{
	char t[INET6_ADDRSTRLEN + 1];
	if (n == 0 || n >= sizeof t)
		return false;
	memcpy(t, s, n);
	t[n] = '\0';
	struct in_addr a4;
	if (!memchr(t, ':', n)) {
		if (inet_pton(AF_INET, t, &a4) != 1)
			return false;
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return true;
	}
	return inet_pton(AF_INET6, t, out) == 1;
}

bool net_prefix_parse(const char *s, size_t n, struct net_prefix *p)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	if (!net_addr_parse(s, an, p->a))
		return false;
	bool v4 = !memchr(s, ':', an);
	unsigned max = v4 ? 32 : 128, bits = max;
	if (slash) {
		const char *d = slash + 1, *end = s + n;
		if (d == end || end - d > 3)
			return false;
		bits = 0;
		for (; d < end; d++) {
			if (*d < '0' || *d > '9')
				return false;
			bits = bits * 10 + (unsigned)(*d - '0');
		}
		if (bits > max)
			return false;
	}
	p->bits = v4 ? bits + 96 : bits;
	/* Clear the host part so that 10.1.2.3/8 means 10.0.0.0/8. */
	for (unsigned i = p->bits; i < 128; i++)
		p->a[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	return true;
}

bool net_prefix_has(const struct net_prefix *p, const uint8_t a[16])
{
	unsigned full = p->bits / 8, rest = p->bits % 8;
	if (memcmp(p->a, a, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xffu << (8 - rest));
	return (p->a[full] & mask) == (a[full] & mask);
}

/* ---- values ------------------------------------------------------------------ */

/* n decimal digits (at most 9) into *v; the text is not NUL-terminated. */
static bool digits(const char *s, size_t n, unsigned *v)
{
	if (n == 0 || n > 9)
		return false;
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

/* HOST:PORT, [V6]:PORT, :PORT.  The host is looked at again when the
 * server binds; here, the shape. */
static const char *check_listen(const char *v, size_t n)
{
	const char *colon = NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i] == ':')
			colon = v + i;
	if (!colon)
		return "is not HOST:PORT";
	size_t pn = n - (size_t)(colon + 1 - v);
	unsigned port;
	if (!digits(colon + 1, pn, &port) || port > 65535)
		return "has no port (0..65535) after the last ':'";
	if (v[0] == '[' && (colon == v || colon[-1] != ']'))
		return "has an IPv6 address without its closing ']'";
	for (const char *p = v; p < colon; p++)
		if (*p == ' ' || *p == '\t')
			return "has white space in it";
	return NULL;
}

static const char *check_path(const char *v, size_t n)
{
	if (v[0] != '/')
		return "is not an absolute path";
	for (size_t i = 0; i + 2 < n; i++)
		if (v[i] == '/' && v[i + 1] == '.' && v[i + 2] == '.' &&
		    (i + 3 == n || v[i + 3] == '/'))
			return "has '..' in it";
	return NULL;
}

static const char *check_url(const char *v, size_t n)
{
	size_t skip = n >= 8 && memcmp(v, "https://", 8) == 0 ? 8
		    : n >= 7 && memcmp(v, "http://", 7) == 0 ? 7 : 0;
	if (!skip)
		return "does not start with http:// or https://";
	if (skip == n || v[skip] == '/')
		return "has no host";
	for (size_t i = 0; i < n; i++)
		if (v[i] == ' ' || v[i] == '\t' || v[i] == '"' || v[i] == '<' || v[i] == '>')
			return "has a character a URL cannot hold";
	return NULL;
}

static const char *check_zone(const char *v, size_t n)
{
	if (n > 64)
		return "is longer than 64 characters";
	if (v[0] == '/' || v[0] == '.')
		return "is not a zone name such as Asia/Shanghai";
	for (size_t i = 0; i < n; i++) {
		char ch = v[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '/' || ch == '_' || ch == '-' || ch == '+'))
			return "is not a zone name such as Asia/Shanghai";
		if (ch == '/' && i + 1 < n && v[i + 1] == '.')
			return "is not a zone name such as Asia/Shanghai";
	}
	return NULL;
}

static const char *set_proxies(struct conf *c, const char *v, size_t n)
{
	size_t i = 0;
	c->n_proxies = 0;
	while (i < n) {
		while (i < n && (v[i] == ',' || v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t s = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		if (i == s)
			break;
		if (c->n_proxies == CONF_MAX_PROXIES)
			return "names more than 32 addresses";
		if (!net_prefix_parse(v + s, i - s, &c->proxies[c->n_proxies]))
			return "has an entry that is not an address or address/bits";
		c->n_proxies++;
	}
	return NULL;
}

static const char *set_value(struct conf *c, const struct conf_key *k, const char *v, size_t n)
{
	const char *why = NULL;
	void *field = (char *)c + k->off;
	switch (k->kind) {
	case CONF_LISTEN: why = check_listen(v, n); break;
	case CONF_PATH: why = check_path(v, n); break;
	case CONF_DATABASE: {
		char *t = xstrndup(v, n);
		why = store_is_url(t) ? NULL : check_path(v, n);
		free(t);
		break;
	}
	case CONF_URL: why = check_url(v, n); break;
	case CONF_ZONE: why = check_zone(v, n); break;
	case CONF_PROXIES: return set_proxies(c, v, n);
	case CONF_COUNT: {
		unsigned u;
		if (!digits(v, n, &u))
			return "is not a whole number";
		if (u < k->min || u > k->max)
			return "is out of range";
		*(unsigned *)field = u;
		return NULL;
	}
	case CONF_LOG:
		for (int l = 1; l <= 4; l++) {
			if (strlen(log_names[l]) == n && memcmp(log_names[l], v, n) == 0) {
				*(int *)field = l;
				return NULL;
			}
		}
		return "is not one of error, warning, info, debug";
	}
	if (why)
		return why;
	*(char **)field = xstrndup(v, n);
	return NULL;
}

/* ---- the file --------------------------------------------------------------- */

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

enum rc conf_parse(const char *text, size_t len, const char *name, struct conf *c,
		   struct err *e)
{
	memset(c, 0, sizeof *c);
	c->log_level = -1;
	if (len > CONF_MAX_FILE)
		return ERR(e, RC_TOOBIG, "%s: more than %d bytes; a configuration file is smaller",
			   name, CONF_MAX_FILE);
	/* A UTF-8 byte order mark, as some editors write. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	const char *p = text, *end = text + len;
	int line = 0;
	enum rc rc = RC_OK;
	while (p < end) {
		line++;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		if (le > p && le[-1] == '\r')
			le--;
		if (le - p > CONF_MAX_LINE) {
			rc = ERR(e, RC_INVALID, "%s:%d: the line is longer than %d bytes", name, line,
				 CONF_MAX_LINE);
			goto fail;
		}
		for (const char *q = p; q < le; q++) {
			unsigned char ch = (unsigned char)*q;
			if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
				rc = ERR(e, RC_INVALID, "%s:%d: a control character (0x%02x)", name,
					 line, ch);
				goto fail;
			}
		}
		while (p < le && blank(*p))
			p++;
		if (p == le || *p == '#') {
			p = next;
			continue;
		}
		const char *eq = memchr(p, '=', (size_t)(le - p));
		if (!eq) {
			rc = ERR(e, RC_INVALID, "%s:%d: expected KEY = VALUE", name, line);
			goto fail;
		}
		const char *ke = eq;
		while (ke > p && blank(ke[-1]))
			ke--;
		const char *v = eq + 1, *ve = le;
		while (v < ve && blank(*v))
			v++;
		while (ve > v && blank(ve[-1]))
			ve--;
		size_t i;
		for (i = 0; i < conf_nkeys; i++)
			if (strlen(conf_keys[i].name) == (size_t)(ke - p) &&
			    memcmp(conf_keys[i].name, p, (size_t)(ke - p)) == 0)
				break;
		if (i == conf_nkeys) {
			int kn = (int)(ke - p < 40 ? ke - p : 40);
			rc = ERR(e, RC_INVALID, "%s:%d: unknown key '%.*s' ('rectify help serve' "
				 "and rectify(1) list the keys)", name, line, kn, p);
			goto fail;
		}
		const struct conf_key *k = &conf_keys[i];
		if (c->line[i]) {
			rc = ERR(e, RC_INVALID, "%s:%d: %s is set already, on line %d", name, line,
				 k->name, c->line[i]);
			goto fail;
		}
		c->line[i] = line;
		if (ve - v > CONF_MAX_VALUE) {
			rc = ERR(e, RC_INVALID, "%s:%d: the value of %s is longer than %d bytes",
				 name, line, k->name, CONF_MAX_VALUE);
			goto fail;
		}
		if (ve > v) {
			const char *why = set_value(c, k, v, (size_t)(ve - v));
			if (why) {
				int vn = (int)(ve - v < 80 ? ve - v : 80);
				rc = ERR(e, RC_INVALID, "%s:%d: %s = %.*s: the value %s", name, line,
					 k->name, vn, v, why);
				if (k->kind == CONF_COUNT && strcmp(why, "is out of range") == 0)
					rc = ERR(e, RC_INVALID, "%s:%d: %s = %.*s: the value is out of "
						 "range (%u..%u)", name, line, k->name, vn, v, k->min,
						 k->max);
				goto fail;
			}
		}
		p = next;
	}
	if (!c->tls_certificate != !c->tls_key) {
		size_t miss = c->tls_certificate ? 3 : 2, have = c->tls_certificate ? 2 : 3;
		rc = ERR(e, RC_INVALID, "%s:%d: %s needs %s as well", name, c->line[have],
			 conf_keys[have].name, conf_keys[miss].name);
		goto fail;
	}
	return RC_OK;
fail:
	conf_release(c);
	c->log_level = -1;
	return rc;
}

enum rc conf_load(const char *path, struct conf *c, struct err *e)
{
	char *text;
	size_t len;
	memset(c, 0, sizeof *c);
	c->log_level = -1;
	enum rc rc = util_read_file(path, CONF_MAX_FILE, &text, &len, e);
	if (rc == RC_TOOBIG)
		return ERR(e, RC_TOOBIG, "%s: more than %d bytes; a configuration file is smaller",
			   path, CONF_MAX_FILE);
	if (rc)
		return rc;
	rc = conf_parse(text, len, path, c, e);
	free(text);
	return rc;
}

void conf_release(struct conf *c)
{
	for (size_t i = 0; i < conf_nkeys; i++) {
		enum conf_kind k = conf_keys[i].kind;
		if (k == CONF_LISTEN || k == CONF_PATH || k == CONF_DATABASE || k == CONF_URL ||
		    k == CONF_ZONE) {
			char **f = (char **)((char *)c + conf_keys[i].off);
			free(*f);
			*f = NULL;
		}
	}
	memset(c, 0, sizeof *c);
}

bool conf_differs(const struct conf *a, const struct conf *b, size_t i)
{
	const struct conf_key *k = &conf_keys[i];
	const char *fa = (const char *)a + k->off, *fb = (const char *)b + k->off;
	switch (k->kind) {
	case CONF_PROXIES:
		return a->n_proxies != b->n_proxies ||
		       memcmp(a->proxies, b->proxies, a->n_proxies * sizeof a->proxies[0]) != 0;
	case CONF_COUNT: return *(const unsigned *)fa != *(const unsigned *)fb;
	case CONF_LOG: return *(const int *)fa != *(const int *)fb;
	default: {
		const char *sa = *(char *const *)fa, *sb = *(char *const *)fb;
		return !sa != !sb || (sa && strcmp(sa, sb) != 0);
	}
	}
}

void conf_value(const struct conf *c, size_t i, struct buf *b)
{
	const struct conf_key *k = &conf_keys[i];
	const char *f = (const char *)c + k->off;
	const char *def = k->sample == CONF_DEFAULT ? k->value : "";
	switch (k->kind) {
	case CONF_PROXIES:
		for (size_t j = 0; j < c->n_proxies; j++) {
			const struct net_prefix *p = &c->proxies[j];
			static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
			bool v4 = memcmp(p->a, mapped, 12) == 0 && p->bits >= 96;
			char t[INET6_ADDRSTRLEN];
			inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? p->a + 12 : p->a, t, sizeof t);
			buf_printf(b, "%s%s/%u", j ? ", " : "", t, v4 ? p->bits - 96 : p->bits);
		}
		break;
	case CONF_COUNT:
		if (c->line[i])
			buf_uint(b, *(const unsigned *)f);
		else
			buf_puts(b, def);
		break;
	case CONF_LOG: {
		int l = *(const int *)f;
		buf_puts(b, l >= 1 && l <= 4 ? log_names[l] : def);
		break;
	}
	default: {
		const char *v = *(char *const *)f;
		buf_puts(b, v ? v : def);
	}
	}
}

/* ---- the sample file ---------------------------------------------------------- */

/* Text wrapped at 72 columns, each line prefixed "# ". */
static void comment(struct buf *b, const char *s)
{
	size_t col = 0;
	while (*s) {
		const char *w = s;
		while (*w && *w != ' ')
			w++;
		size_t n = (size_t)(w - s);
		if (col && col + 1 + n > 72) {
			buf_putc(b, '\n');
			col = 0;
		}
		if (!col) {
			buf_puts(b, "#");
			col = 1;
		}
		buf_putc(b, ' ');
		buf_append(b, s, n);
		col += 1 + n;
		while (*w == ' ')
			w++;
		s = w;
	}
	buf_putc(b, '\n');
}

void conf_write_sample(void (*print)(void *arg, const char *s), void *arg)
{
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "# /etc/rectify/rectify.conf -- read by 'rectify serve' and 'rectify backup'\n"
		     "# (rectify(1), FILES).  KEY = VALUE, one a line; a line starting with '#'\n"
		     "# is a comment.  After a change: systemctl reload rectify (the keys marked\n"
		     "# 'reloads') or systemctl restart rectify (the others).\n");
	for (size_t i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];
		buf_putc(&b, '\n');
		comment(&b, k->doc);
		buf_printf(&b, "# (%s)\n", k->reload ? "reloads" : "needs a restart");
		buf_printf(&b, "%s%s = %s\n", k->sample == CONF_EXAMPLE ? "#" : "", k->name,
			   k->value);
	}
	print(arg, b.p);
	buf_release(&b);
}
