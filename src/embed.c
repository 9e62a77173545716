/*
 * embed.c -- lookup in the table of embedded data files.
 */
#include "embed.h"

#include <string.h>

const char *embed_get(const char *name, size_t *len)
{
	for (unsigned i = 0; i < embed_count; i++) {
		if (strcmp(embed_files[i].name, name) == 0) {
			if (len)
				*len = embed_files[i].len;
			return embed_files[i].data;
		}
	}
	return NULL;
}

int embed_next_line(const char *data, size_t size, size_t *pos, const char **start,
		    size_t *len)
{
	while (*pos < size) {
		const char *p = data + *pos;
		const char *nl = memchr(p, '\n', size - *pos);
		size_t n = nl ? (size_t)(nl - p) : size - *pos;
		*pos += n + (nl ? 1 : 0);
		while (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			n--;
		if (n == 0 || p[0] == '#')
			continue;
		*start = p;
		*len = n;
		return 1;
	}
	return 0;
}
