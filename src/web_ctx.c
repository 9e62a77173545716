/*
 * web_ctx.c -- the web application's store and per-request context: one
 * SQLite connection per server thread, the struct actx each request
 * carries in r->ctx (that handle, today, the task the authorisation step
 * loaded, the ledger's generation read once), and the server tick's
 * housekeeping on the thread's handle (ended sessions purged, the audit
 * chain's head logged daily).
 *
 * Store handles: one SQLite connection per server thread, opened on the
 * thread's first request and registered so app_close_all() can close them
 * once the server has stopped.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web_int.h"

/* ---- per-thread store handles ---------------------------------------------------- */

static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static VEC(struct store *) handles;
static __thread struct store *thread_db;

void app_close_all(void)
{
	pthread_mutex_lock(&handles_lock);
	for (size_t i = 0; i < handles.n; i++)
		store_close(handles.v[i]);
	VEC_FREE(handles);
	pthread_mutex_unlock(&handles_lock);
	thread_db = NULL;
}

void app_use_store(struct store *st)
{
	thread_db = st;
}

struct store *app_thread_store(struct err *e)
{
	if (!thread_db) {
		struct store *st;
		if (store_open(app_cfg.db_path, 0, &st, e) != RC_OK)
			return NULL;
		pthread_mutex_lock(&handles_lock);
		*VEC_PUSH(handles) = st;
		pthread_mutex_unlock(&handles_lock);
		thread_db = st;
	}
	return thread_db;
}

enum rc app_begin(struct req *r)
{
	struct store *db = app_thread_store(&r->err);
	if (!db)
		return r->err.rc ? r->err.rc : RC_DB;
	struct actx *a = xcalloc(1, sizeof *a);
	a->db = db;
	enum rc rc = store_today_of(db, app_cfg.today, &a->today, &r->err);
	if (rc != RC_OK) {
		free(a);
		return rc;
	}
	store_day_format(a->today, a->today_s);
	r->today = a->today_s;
	r->ctx = a;
	return RC_OK;
}

uint64_t app_gen(struct req *r)
{
	struct actx *a = r->ctx;
	if (!a->have_gen) {
		a->gen = store_generation(a->db, &a->commits);
		a->have_gen = true;
	}
	return a->gen;
}

uint64_t app_commit_gen(struct req *r)
{
	app_gen(r);
	return ((struct actx *)r->ctx)->commits;
}

void app_end(struct req *r)
{
	struct actx *a = r->ctx;
	if (!a)
		return;
	task_release(&a->task);
	free(a);
	r->ctx = NULL;
}

/* ---- housekeeping ------------------------------------------------------------------------ */

static int64_t head_logged; /* app_now() of the last app_log_head */

void app_log_head(struct store *db)
{
	char head[STORE_HEAD_LEN];
	struct err e = {0};
	if (store_audit_head(db, head, &e) != RC_OK) {
		log_error("reading the audit head: %s", e.msg);
		return;
	}
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s rectify: audit head %s (rectify verify --head checks the ledger against it)\n",
	       when, head[0] ? head : "(empty)");
	fflush(stdout);
	head_logged = app_now();
}

void app_tick(void *arg)
{
	(void)arg;
	struct err e = {0};
	struct store *db = app_thread_store(&e);
	int64_t now = app_now();
	if (db && now - head_logged >= 24 * 3600)
		app_log_head(db);
	int purged = 0;
	if (db && store_session_purge(db, now, app_cfg.session_idle, &purged, &e) != RC_OK)
		db = NULL;
	if (!db)
		log_error("purging sessions: %s", e.msg);
	size_t idle = web_idle_sweep(now, app_cfg.session_idle);
	if (purged || idle)
		log_info("sessions: %d ended deleted, %zu idle forgotten", purged, idle);
	/* Failed logins and staged uploads past their time (each write
	 * removes them too; this is for the quiet hours). */
	struct err e2 = {0};
	if (db && (web_throttle_sweep(db, &e2) != RC_OK || stage_sweep(db, now, &e2) != RC_OK))
		log_error("sweeping failed logins and staged uploads: %s", e2.msg);
}
