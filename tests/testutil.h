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

/* Group setup and teardown that run a group's tests with every stage of
 * the document engine split over two threads, as a large report is, so
 * that small examples check the threaded parse too. */
static size_t test_parallel_from_saved;

static inline int test_all_threaded(void **state)
{
	(void)state;
	test_parallel_from_saved = util_parallel_from;
	util_parallel_from = 0;
	return 0;
}

static inline int test_one_thread(void **state)
{
	(void)state;
	util_parallel_from = test_parallel_from_saved;
	return 0;
}

#endif
