/*
 * embed.h -- files from data/ compiled into the binary (word lists, term
 * lists, the sample report, the style sheet).  The table is generated at
 * build time by tools/embed.c.
 */
#ifndef RECTIFY_EMBED_H
#define RECTIFY_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name;       /* path as given to the build, e.g. "data/hedges.txt" */
	const char *data;       /* NUL-terminated */
	size_t len;
};

extern const struct embed_file embed_files[];
extern const unsigned embed_count;

/* The embedded file called name ("data/x.txt"), or NULL.  *len may be NULL. */
const char *embed_get(const char *name, size_t *len);

/*
 * Iterate over the entries of a word-list file: one entry per line, blank
 * lines and lines starting with '#' skipped, surrounding white space
 * trimmed.  Start with *pos = 0; returns 0 at the end, else 1 with the entry
 * in [*start, *start + *len).
 */
int embed_next_line(const char *data, size_t size, size_t *pos, const char **start,
		    size_t *len);

#endif
