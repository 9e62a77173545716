/*
 * testutil.h -- shared by the cmocka unit tests: cmocka's headers in the
 * order it needs them, and small helpers for reading test data.
 */
#ifndef RECTIFY_TESTUTIL_H
#define RECTIFY_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

/* The directory of the checkout's tests/ (tests run from the checkout). */
#define TEST_DATA(name) ("tests/data/" name)
/* The shared real reports, which may be absent. */
#define FIXTURE_DIR "../shared/fixtures/"

/* Read a whole file for a test; NULL when it does not exist. */
static inline char *test_read(const char *path, size_t *len)
{
	char *data = NULL;
	size_t n = 0;
	if (util_read_file(path, 64u << 20, &data, &n, NULL) != RC_OK)
		return NULL;
	if (len)
		*len = n;
	return data;
}

#endif
