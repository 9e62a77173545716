/*
 * fuzz_config.c -- libFuzzer target for the configuration file (conf.c):
 * the bytes parsed as /etc/rectify/rectify.conf, then the sample file
 * written from the key table, which must parse back.  Seeds:
 * fuzz/corpus/config/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void to_buf(void *arg, const char *s)
{
	buf_puts(arg, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;
	struct err e = {0};
	if (conf_parse((const char *)data, size, "fuzz.conf", &c, &e) == RC_OK) {
		struct conf d;
		if (conf_parse((const char *)data, size, "fuzz.conf", &d, &e) != RC_OK)
			abort();
		for (size_t i = 0; i < conf_nkeys; i++)
			if (conf_differs(&c, &d, i))
				abort();
		conf_release(&d);
		for (size_t i = 0; i < c.n_proxies; i++)
			if (c.proxies[i].bits > 128)
				abort();
	} else if (strncmp(e.msg, "fuzz.conf", 9) != 0) {
		abort(); /* every refusal names the file */
	}
	conf_release(&c);
	struct buf b = BUF_INIT(0);
	conf_write_sample(to_buf, &b);
	if (conf_parse(b.p, b.len, "sample", &c, &e) != RC_OK)
		abort();
	conf_release(&c);
	buf_release(&b);
	return 0;
}
