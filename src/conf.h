/*
 * conf.h -- the configuration file of `rectify serve` and `rectify backup`
 * (/etc/rectify/rectify.conf in the package): one "key = value" a line.
 *
 * The keys are one table, conf_keys[]: the parser reads it, and so do
 * `rectify man` (the FILES section of rectify(1)) and `rectify
 * sample-config` (the package's conffile), so the three cannot drift.
 *
 * Syntax: blank lines and lines starting with '#' are ignored; otherwise
 * KEY = VALUE with white space around either trimmed.  A value runs to the
 * end of the line ('#' inside it is part of it); an empty value leaves the
 * default.  Unknown keys, repeated keys, control characters, lines over
 * CONF_MAX_LINE bytes and files over CONF_MAX_FILE bytes are refused with
 * a message naming the file and the line.
 */
#ifndef RECTIFY_CONF_H
#define RECTIFY_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct buf;

enum {
	CONF_MAX_FILE = 64 * 1024,
	CONF_MAX_LINE = 1024,
	CONF_MAX_PROXIES = 32,
	CONF_MAX_VALUE = 512,
};

/* An address with a prefix length: 10.0.0.0/8, ::1/128.  IPv4 is kept as
 * IPv4-mapped IPv6 (::ffff:a.b.c.d), bits counted on the 128. */
struct net_prefix {
	uint8_t a[16];
	unsigned bits;
};

struct conf {
	char *listen;                   /* NULL: the default (127.0.0.1:8080) */
	char *database;
	char *tls_certificate, *tls_key;
	char *public_url;               /* https://... marks cookies Secure */
	char *time_zone;                /* "Asia/Shanghai" */
	struct net_prefix proxies[CONF_MAX_PROXIES];
	size_t n_proxies;
	char *backup_directory;
	unsigned backup_keep;           /* 0: the default */
	unsigned threads;               /* 0: one per core */
	int log_level;                  /* -1: not set; else as util.h's log_level */
	int line[16];                   /* line of each key (index in conf_keys), 0: unset */
};

enum conf_kind {
	CONF_LISTEN,
	CONF_PATH,                      /* an absolute path */
	CONF_DATABASE,                  /* an absolute path, or a postgresql:// URL */
	CONF_URL,
	CONF_ZONE,
	CONF_PROXIES,
	CONF_COUNT,
	CONF_LOG,
};

enum conf_sample {
	CONF_DEFAULT,                   /* the program's default when the key is unset */
	CONF_PACKAGED,                  /* the package's setting (unset: see doc) */
	CONF_EXAMPLE,                   /* an example, commented out in the sample */
};

struct conf_key {
	const char *name;
	enum conf_kind kind;
	size_t off;                     /* offsetof(struct conf, ...) */
	unsigned min, max;              /* CONF_COUNT */
	bool reload;                    /* takes effect on SIGHUP */
	const char *value;              /* as written in the sample file */
	enum conf_sample sample;        /* what value is */
	const char *doc;                /* one paragraph, plain text */
};
extern const struct conf_key conf_keys[];
extern const size_t conf_nkeys;

#define CONF_DEFAULT_KEEP 14

/* Parse text (len bytes, not necessarily NUL-terminated) named name in
 * messages.  On success *c is filled (release with conf_release); on
 * failure *c holds nothing and e says "NAME:LINE: ...". */
enum rc conf_parse(const char *text, size_t len, const char *name, struct conf *c,
		   struct err *e);
/* Read and parse the file at path. */
enum rc conf_load(const char *path, struct conf *c, struct err *e);
void conf_release(struct conf *c);
/* Whether key i (index in conf_keys) differs between a and b. */
bool conf_differs(const struct conf *a, const struct conf *b, size_t i);

/* "10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8" into *p; false when not one. */
bool net_prefix_parse(const char *s, size_t n, struct net_prefix *p);
/* A textual address ("192.0.2.1", "2001:db8::1") into 16 bytes as above. */
bool net_addr_parse(const char *s, size_t n, uint8_t out[16]);
bool net_prefix_has(const struct net_prefix *p, const uint8_t a[16]);

/* Key i's value in c as text into b: the program's default when unset,
 * "" when it has none. */
void conf_value(const struct conf *c, size_t i, struct buf *b);

/* The configuration as a sample file (`rectify sample-config`) and as the
 * FILES part of the man page, written by print(arg, text) pieces. */
void conf_write_sample(void (*print)(void *arg, const char *s), void *arg);

#endif
