/*
 * web_stage.c -- uploads kept between a preview and its confirmation.
 *
 * Importing a spreadsheet or a report from the browser takes two requests:
 * the upload, answered with what would be imported, and the admin's
 * confirmation (page_import.c, page_report_import.c).  The file is not
 * sent twice: the upload's bytes are kept in the database (store_web.c)
 * under a random token, for the user who sent it, so that the
 * confirmation finds them whichever server it reaches.  The confirmation
 * names the token; only the same user gets the bytes back.
 *
 * The policy: an upload lives WEB_STAGE_TTL seconds; a user holds one at
 * most (a new upload replaces theirs); past WEB_STAGE_MAX the oldest goes.
 * So the database never holds more than WEB_STAGE_MAX uploads, each within
 * the bound its page checked (SHEET_MAX_FILE, TEXT_MAX_INPUT).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"
#include "text.h"
#include "web_int.h"

_Static_assert(SHEET_MAX_FILE <= STORE_STAGED_MAX && TEXT_MAX_INPUT <= STORE_STAGED_MAX,
	       "the store keeps every upload a page accepts");

enum rc stage_put(struct store *st, int64_t user_id, const char *data, size_t len,
		  const char *name, int64_t now, char token[WEB_STAGE_TOKEN], struct err *e)
{
	util_random_hex(token, WEB_STAGE_TOKEN);
	enum rc rc = store_staged_put(st, user_id, token, name, data, len, now, WEB_STAGE_TTL,
				      WEB_STAGE_MAX, e);
	if (rc)
		token[0] = '\0';
	return rc;
}

void stage_drop(struct store *st, int64_t user_id, const char *token)
{
	struct err e = {0};
	/* A kept upload that cannot be dropped goes with its time. */
	if (store_staged_drop(st, user_id, token, &e) != RC_OK)
		log_error("dropping a staged upload of user %lld: %s", (long long)user_id, e.msg);
}

enum rc stage_sweep(struct store *st, int64_t now, struct err *e)
{
	return store_staged_expire(st, now, WEB_STAGE_TTL, e);
}

size_t stage_count(struct store *st)
{
	int64_t n = 0;
	return store_staged_count(st, &n, NULL) == RC_OK && n > 0 ? (size_t)n : 0;
}

enum rc stage_read(struct store *st, int64_t user_id, const char *token, int64_t now,
		   size_t max, const char *gone, char **data, size_t *len, char *name,
		   size_t name_size, struct err *e)
{
	if (!token || strlen(token) != WEB_STAGE_TOKEN - 1) {
		*data = NULL;
		*len = 0;
		return ERR(e, RC_NOTFOUND, "%s", gone);
	}
	enum rc rc = store_staged_get(st, user_id, token, now, WEB_STAGE_TTL, data, len, name,
				      name_size, e);
	if (rc == RC_NOTFOUND)
		return ERR(e, RC_NOTFOUND, "%s", gone);
	if (!rc && *len > max) {
		free(*data);
		*data = NULL;
		*len = 0;
		return ERR(e, RC_TOOBIG, "a staged upload is over %zu bytes", max);
	}
	return rc;
}
