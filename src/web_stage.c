/*
 * web_stage.c -- uploads kept between a preview and its confirmation.
 *
 * Importing a spreadsheet or a report from the browser takes two requests:
 * the upload, answered with what would be imported, and the admin's
 * confirmation (page_import.c, page_report_import.c).  The
 * file is not sent twice: the upload's unlinked temporary file stays open
 * here, under a random token, for the user who sent it.  The confirmation
 * names the token; only the same user gets the file back.
 *
 * A fixed table of WEB_STAGE_MAX slots under one mutex.  A slot lives
 * WEB_STAGE_TTL seconds; a user holds one slot at most (a new upload
 * replaces theirs); when the table is full the oldest slot goes.  So the
 * memory and the open files held never grow past the table, and the disk
 * space past WEB_STAGE_MAX uploads.  Tokens are compared in constant time.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "web_int.h"

struct slot {
	int64_t user_id;        /* 0: free */
	int64_t at;             /* when staged */
	int fd;
	char token[WEB_STAGE_TOKEN];
	char name[256];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[WEB_STAGE_MAX];

static void slot_free(struct slot *s)
{
	if (s->user_id && s->fd >= 0)
		close(s->fd);
	memset(s, 0, sizeof *s);
	s->fd = -1;
}

/* Free the slots past their time.  Under the lock. */
static void expire(int64_t now)
{
	for (size_t i = 0; i < WEB_STAGE_MAX; i++)
		if (slots[i].user_id && (now - slots[i].at >= WEB_STAGE_TTL || now < slots[i].at))
			slot_free(&slots[i]);
}

void stage_put(int64_t user_id, int fd, const char *name, int64_t now,
	       char token[WEB_STAGE_TOKEN])
{
	util_random_hex(token, WEB_STAGE_TOKEN);
	pthread_mutex_lock(&lock);
	expire(now);
	struct slot *s = NULL;
	for (size_t i = 0; i < WEB_STAGE_MAX; i++)
		if (slots[i].user_id == user_id)
			slot_free(&slots[i]);
	for (size_t i = 0; i < WEB_STAGE_MAX; i++) {
		struct slot *t = &slots[i];
		if (!t->user_id) {
			s = t;
			break;
		}
		if (!s || t->at < s->at)
			s = t;
	}
	slot_free(s);
	s->user_id = user_id;
	s->at = now;
	s->fd = fd;
	memcpy(s->token, token, WEB_STAGE_TOKEN);
	snprintf(s->name, sizeof s->name, "%s", name ? name : "");
	pthread_mutex_unlock(&lock);
}

static struct slot *find(int64_t user_id, const char *token)
{
	if (!token || strlen(token) != WEB_STAGE_TOKEN - 1)
		return NULL;
	for (size_t i = 0; i < WEB_STAGE_MAX; i++)
		if (slots[i].user_id == user_id && user_id &&
		    sodium_memcmp(slots[i].token, token, WEB_STAGE_TOKEN - 1) == 0)
			return &slots[i];
	return NULL;
}

enum rc stage_get(int64_t user_id, const char *token, int64_t now, int *fd, char *name, size_t n)
{
	*fd = -1;
	pthread_mutex_lock(&lock);
	expire(now);
	struct slot *s = find(user_id, token);
	if (s) {
		*fd = dup(s->fd);
		snprintf(name, n, "%s", s->name);
	}
	pthread_mutex_unlock(&lock);
	if (!s)
		return RC_NOTFOUND;
	return *fd >= 0 ? RC_OK : RC_IO;
}

void stage_drop(int64_t user_id, const char *token)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(user_id, token);
	if (s)
		slot_free(s);
	pthread_mutex_unlock(&lock);
}

size_t stage_count(void)
{
	size_t n = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < WEB_STAGE_MAX; i++)
		n += slots[i].user_id != 0;
	pthread_mutex_unlock(&lock);
	return n;
}

void stage_reset(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < WEB_STAGE_MAX; i++)
		slot_free(&slots[i]);
	pthread_mutex_unlock(&lock);
}

enum rc stage_read(int64_t user_id, const char *token, int64_t now, size_t max,
		   const char *gone, char **data, size_t *len, char *name, size_t name_size,
		   struct err *e)
{
	*data = NULL;
	*len = 0;
	int fd;
	if (stage_get(user_id, token, now, &fd, name, name_size) != RC_OK)
		return ERR(e, RC_NOTFOUND, "%s", gone);
	struct stat st;
	enum rc rc = RC_OK;
	if (fstat(fd, &st) != 0 || st.st_size < 0 || (uint64_t)st.st_size > max) {
		rc = ERR(e, RC_IO, "cannot read a staged upload back: %s", strerror(errno));
	} else {
		*data = xmalloc((size_t)st.st_size + 1);
		if (pread(fd, *data, (size_t)st.st_size, 0) != (ssize_t)st.st_size) {
			rc = ERR(e, RC_IO, "cannot read a staged upload back: %s", strerror(errno));
			free(*data);
			*data = NULL;
		} else {
			*len = (size_t)st.st_size;
		}
	}
	close(fd);
	return rc;
}
