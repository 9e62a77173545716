/*
 * web_static.c -- the style sheet and script embedded from data/, served
 * with a content hash in the URL and as the ETag, so browsers keep them for
 * a year and still fetch a new build's files at once.
 */
#include <pthread.h>
#include <string.h>

#include "embed.h"
#include "web.h"

struct asset {
	const char *path;       /* URL path */
	const char *file;       /* embedded name */
	const char *ctype;
	const char *data;
	size_t len;
	char etag[20];          /* "\"" + 16 hex + "\"" */
	char url[64];           /* path?v=hash */
};

static struct asset assets[] = {
	{"/static/app.css", "data/app.css", "text/css; charset=utf-8", NULL, 0, "", ""},
	{"/static/app.js", "data/app.js", "text/javascript; charset=utf-8", NULL, 0, "", ""},
	{"/static/favicon.svg", "data/favicon.svg", "image/svg+xml", NULL, 0, "", ""},
};
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	for (size_t i = 0; i < ARRAY_LEN(assets); i++) {
		struct asset *a = &assets[i];
		a->data = embed_get(a->file, &a->len);
		if (!a->data) {
			a->data = "";
			a->len = 0;
		}
		char hex[65];
		util_sha256_hex(a->data, a->len, hex);
		snprintf(a->etag, sizeof a->etag, "\"%.16s\"", hex);
		snprintf(a->url, sizeof a->url, "%s?v=%.16s", a->path, hex);
	}
}

const char *web_static_url(const char *path)
{
	pthread_once(&once, load);
	for (size_t i = 0; i < ARRAY_LEN(assets); i++)
		if (strcmp(assets[i].path, path) == 0)
			return assets[i].url;
	return path;
}

enum rc web_static(struct req *r)
{
	pthread_once(&once, load);
	for (size_t i = 0; i < ARRAY_LEN(assets); i++) {
		const struct asset *a = &assets[i];
		if (strcmp(a->path, r->path) != 0)
			continue;
		r->resp.ctype = a->ctype;
		r->resp.cacheable = true;
		web_resp_header(r, "ETag", a->etag);
		if (r->if_none_match && strstr(r->if_none_match, a->etag)) {
			r->resp.status = 304;
			return RC_OK;
		}
		buf_append(&r->resp.body, a->data, a->len);
		return RC_OK;
	}
	return RC_NOTFOUND;
}
