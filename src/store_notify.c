/*
 * store_notify.c -- 催办 and notifications: the ledger reaching people.
 *
 *   store_task_urge       催办 (rule W17): a task_event "urge", audited, and a
 *                         version bump, in one transaction
 *   task_banners          the pending 催办 and the 退回 in force of a task
 *   store_task_attention  the same as lists, for 我的
 *   notify_task           called by every workflow write inside its
 *                         transaction: the notifications of the change for
 *                         the people it concerns, and their outbox
 *   store_notify_*        a user's inbox; the day's deadline reminders
 *
 * The inbox and the outbox are not audited: they are derived from audited
 * rows (the events), as sessions are not ledger; reading a notification
 * does not move store_generation().  Because they are written in the
 * change's own transaction, a change never commits without its
 * notifications nor they without it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

static int email_ok(const char *s);

/* ---- 催办 --------------------------------------------------------------------- */

enum rc task_urge_check(const char **message, struct err *e)
{
	const char *m = *message;
	if (m && (strlen(m) > STORE_NOTE_MAX || !text_utf8_valid(m, strlen(m), NULL)))
		return ERRC(e, RC_INVALID, STORE_E_NOTE,
			    "the message must be at most %d bytes of UTF-8", STORE_NOTE_MAX);
	if (m && !reason_ok(m))
		*message = NULL; /* blank: no message */
	return RC_OK;
}

enum rc task_urge_one(struct store *st, int64_t id, int64_t version, const char *message,
		      int32_t today, int64_t *new_version, struct err *e)
{
	struct task_facts f;
	enum rc rc = task_begin(st, id, version, TACT_URGE, today, &f, e);
	if (rc)
		return rc;
	if ((rc = task_touch(st, id, version, "urge", e)))
		return rc;
	if ((rc = event_add(st, id, "urge", (int)f.status, f.status, message, today, e)))
		return rc;
	if ((rc = notify_task(st, id, NOTE_URGED, message, today, e)))
		return rc;
	return task_new_version(st, id, new_version, e);
}

struct urge_arg {
	int64_t id, version;
	const char *message;
	int32_t today;
	int64_t new_version;
};

static enum rc urge_tx(struct store *st, void *arg, struct err *e)
{
	struct urge_arg *x = arg;
	return task_urge_one(st, x->id, x->version, x->message, x->today, &x->new_version, e);
}

enum rc store_task_urge(struct store *st, const struct who *w, int64_t id, int64_t version,
			const char *message, int32_t today, int64_t *new_version, struct err *e)
{
	enum rc rc = task_urge_check(&message, e);
	if (rc)
		return rc;
	struct urge_arg x = {id, version, message, today, 0};
	rc = store_tx(st, w, urge_tx, &x, e);
	if (!rc && new_version)
		*new_version = x.new_version;
	return rc;
}

/*
 * The banners.  A 催办 is pending from the last "urge" event while the
 * task is 未启动 or 整改中 and its people have done nothing since: no
 * progress entry, no 申请销号, no 延期申请 (ST_TASKS_URGED says the same in
 * SQL).  A 退回 is in force while the task is 整改中 and no submit or
 * reopen came after it (ST_TASKS_RETURNED).
 */
void task_banners(struct task *t)
{
	t->urge = t->returned = NULL;
	for (size_t i = t->n_events; i-- > 0;) {
		const struct task_event *v = &t->events[i];
		if (strcmp(v->action, "urge") == 0) {
			t->urge = v;
			break;
		}
		if (strcmp(v->action, "progress") == 0 || strcmp(v->action, "submit") == 0 ||
		    strcmp(v->action, "extend") == 0)
			break;
	}
	if (t->urge && ((t->status != TASK_NOT_STARTED && t->status != TASK_IN_PROGRESS) ||
			(t->n_progress && strcmp(t->progress[t->n_progress - 1].at, t->urge->at) > 0)))
		t->urge = NULL;
	if (t->status != TASK_IN_PROGRESS)
		return;
	for (size_t i = t->n_events; i-- > 0;) {
		const struct task_event *v = &t->events[i];
		if (strcmp(v->action, "return") == 0) {
			t->returned = v;
			break;
		}
		if (strcmp(v->action, "submit") == 0 || strcmp(v->action, "reopen") == 0)
			break;
	}
}

enum rc store_task_attention(struct store *st, const struct who *w, enum attention k,
			     int32_t today, struct task_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if ((unsigned)k >= ATTN__MAX)
		return ERR(e, RC_INVALID, "no such list");
	int64_t campaign;
	enum rc rc = campaign_resolve(st, 0, &campaign, e);
	if (rc) {
		stmts_reset(st);
		return rc;
	}
	struct dbq *q;
	rc = stmt_query(st, k == ATTN_URGED ? ST_TASKS_URGED : ST_TASKS_RETURNED,
			ARGS(A_INT(campaign), A_INT(who_scope(w)),
			     A_INT(w->role == ROLE_LEADER ? w->user_id : 0)), &q, e);
	if (rc)
		return rc;
	rc = task_rows_collect(st, q, out, today, e);
	stmts_reset(st);
	if (rc)
		task_list_release(out);
	else
		out->total = (int64_t)out->n;
	return rc;
}

/* ---- making notifications ---------------------------------------------------------- */

static enum rc text_setting_load(struct store *st, enum store_text_setting s, char **value,
				 int64_t *version, struct err *e);

/* Recipients (ST_NOTIFY_INSERT's ?8). */
enum {
	TO_LEADER = 1,
	TO_HANDLERS = 2,
	TO_REVIEWERS = 4,
	TO_USER = 8,
	TO_ADMINS = 16,
	TO_PEOPLE = TO_LEADER | TO_HANDLERS,
};

static const struct {
	const char *event;              /* the key of the API */
	unsigned to;
	const char *what;               /* after 第 N 项「…」 */
} notes[NOTE__MAX] = {
	[NOTE_ASSIGNED] = {"assigned", TO_PEOPLE, "已交办给您"},
	[NOTE_PROGRESS] = {"progress", TO_LEADER, "有新的进展"},
	[NOTE_SUBMITTED] = {"submitted", TO_REVIEWERS, "已申请销号，请审核"},
	[NOTE_RETURNED] = {"returned", TO_PEOPLE, "被退回整改"},
	[NOTE_APPROVED] = {"approved", TO_PEOPLE, "已销号"},
	[NOTE_STAGED] = {"staged", TO_PEOPLE, "已确认阶段性完成"},
	[NOTE_REOPENED] = {"reopened", TO_PEOPLE, "被重新打开"},
	[NOTE_URGED] = {"urged", TO_PEOPLE, "被催办，请尽快办理"},
	[NOTE_EXT_REQUESTED] = {"extension_requested", TO_REVIEWERS, "申请延期，请审批"},
	[NOTE_EXT_APPROVED] = {"extension_decided", TO_PEOPLE, "的延期申请已同意"},
	[NOTE_EXT_REFUSED] = {"extension_decided", TO_PEOPLE, "的延期申请未同意"},
	[NOTE_NONE] = {NULL, 0, NULL},
};

enum note note_of_action(enum task_action a)
{
	switch (a) {
	case TACT_SUBMIT:
		return NOTE_SUBMITTED;
	case TACT_APPROVE:
		return NOTE_APPROVED;
	case TACT_RETURN:
		return NOTE_RETURNED;
	case TACT_STAGE:
		return NOTE_STAGED;
	case TACT_REOPEN:
		return NOTE_REOPENED;
	case TACT_URGE:
		return NOTE_URGED;
	default:
		return NOTE_NONE;
	}
}

/* s cut to at most max characters, on a character boundary, "…" when cut. */
static char *cut(const char *s, size_t max)
{
	size_t n = strlen(s), i = 0, chars = 0;
	while (i < n && chars < max) {
		int l = text_utf8_len((unsigned char)s[i]);
		i += l > 0 ? (size_t)l : 1;
		chars++;
	}
	if (i >= n)
		return xstrdup(s);
	return xasprintf("%.*s…", (int)i, s);
}

/* The name of user id (0: the operator), malloc'd ("" when it cannot be
 * read: the failure is then pending and the transaction's commit refuses). */
static char *user_name(struct store *st, int64_t id)
{
	if (!id)
		return xstrdup("系统");
	char *name;
	stmt_text(st, ST_USER_NAME, ARGS(A_INT(id)), &name, NULL);
	return name ? name : xstrdup("");
}

/* Insert the notifications of one event about task_id for `to` (user: the
 * TO_USER recipient) and their outbox.  text is the whole line. */
static enum rc notify_insert(struct store *st, int64_t task_id, const char *event, unsigned to,
			     int64_t user, const char *text, const char *key, int32_t today,
			     int *made, struct err *e)
{
	struct dbq *q = stmt_get(st, ST_NOTIFY_MAX, e);
	if (!q)
		return RC_INTERNAL;
	int64_t last = 0;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW)
		last = col_int64(q, 0);
	stmt_reset(q);
	if (r != DB_ROW)
		return store_dberr(st, e, "notifications");
	enum rc rc = stmt_query(st, ST_NOTIFY_INSERT,
			ARGS(A_INT(task_id), A_ID(st->tx_who ? st->tx_who->user_id : 0),
			     A_TEXT(event), A_TEXT(text), A_TEXT(st->tx_at), A_INT(today),
			     A_TEXT(key ? key : ""), A_INT((int)to), A_INT(user)), &q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	if (rc)
		return rc;
	int n = db_changes(st);
	if (made)
		*made += n;
	if (!n)
		return RC_OK;
	rc = stmt_query(st, ST_OUTBOX_EMAIL, ARGS(A_INT(last)), &q, e);
	if (rc)
		return rc;
	if ((rc = stmt_done(st, q, e)))
		return rc;
	char *hook;
	int64_t ver;
	if ((rc = text_setting_load(st, TSET_WEBHOOK_URL, &hook, &ver, e)))
		return rc;
	int on = hook[0] != '\0';
	free(hook);
	if (!on)
		return RC_OK;
	rc = stmt_query(st, ST_OUTBOX_WEBHOOK, ARGS(A_INT(last)), &q, e);
	if (rc)
		return rc;
	return stmt_done(st, q, e);
}

/* "第 12 项「lead」" of a task in *out, malloc'd (NULL on error). */
static enum rc task_title(struct store *st, int64_t task_id, char **out, struct err *e)
{
	*out = NULL;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_NOTIFY_TASK, ARGS(A_INT(task_id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		char *lead = cut(col_text(q, 1), 40);
		*out = xasprintf("第 %d 项「%s」", col_int(q, 0), lead);
		free(lead);
	}
	stmt_reset(q);
	if (r == DB_DONE)
		return ERR(e, RC_INTERNAL, "notification: no task %lld", (long long)task_id);
	return r == DB_ROW ? RC_OK : stmt_failed(st);
}

enum rc notify_task(struct store *st, int64_t task_id, enum note note, const char *detail,
		    int32_t today, struct err *e)
{
	if ((unsigned)note >= NOTE_NONE)
		return RC_OK;
	char *title;
	enum rc trc = task_title(st, task_id, &title, e);
	if (trc)
		return trc;
	char *actor = user_name(st, st->tx_who ? st->tx_who->user_id : 0);
	char *why = detail && *detail ? cut(detail, 200) : NULL;
	char *text = xasprintf("%s%s（%s）%s%s", title, notes[note].what, actor, why ? "：" : "",
			       why ? why : "");
	unsigned to = notes[note].to;
	int64_t user = 0;
	if (note == NOTE_EXT_APPROVED || note == NOTE_EXT_REFUSED) {
		/* and whoever asked, if not the leader or a handler */
		enum rc rc = stmt_int64(st, ST_EXTENSION_REQUESTER, ARGS(A_INT(task_id)), 0, &user, e);
		if (rc) {
			free(title);
			free(actor);
			free(why);
			free(text);
			return rc;
		}
		if (user)
			to |= TO_USER;
	}
	enum rc rc = notify_insert(st, task_id, notes[note].event, to, user, text, NULL, today,
				   NULL, e);
	free(text);
	free(why);
	free(actor);
	free(title);
	return rc;
}

/* ---- the day's reminders ------------------------------------------------------------ */

/* A reminder to make: task, event, the day it is about. */
struct reminder {
	int64_t id;
	int32_t day;
	int kind;                       /* index into kinds[] */
};

static const struct {
	enum stmt s;
	const char *event;
	unsigned to;
} kinds[] = {
	{ST_SWEEP_DUE, "due", TO_PEOPLE},
	{ST_SWEEP_OVERDUE, "overdue", TO_PEOPLE},
	{ST_SWEEP_REVIEW, "review_due", TO_REVIEWERS},
};

#define SWEEP_CHUNK 500         /* reminders per transaction */

struct sweep_arg {
	const struct reminder *v;
	size_t n;
	int32_t today;
	const char *day;                /* set meta's notify_swept to it (the last chunk) */
	int made;
};

/* The day's witness of the audit chain's head for the observers: in their
 * inbox and by e-mail, never by the webhook (a group others read too). */
static enum rc head_to_observers(struct store *st, const char *day, int32_t today, int *made,
				 struct err *e)
{
	char head[STORE_HEAD_LEN];
	enum rc rc = store_audit_head(st, head, e);
	if (rc || !head[0])
		return rc;
	struct dbq *q = stmt_get(st, ST_NOTIFY_MAX, e);
	if (!q)
		return RC_INTERNAL;
	int r = stmt_step(st, q, e);
	int64_t last = r == DB_ROW ? col_int64(q, 0) : 0;
	stmt_reset(q);
	if (r != DB_ROW)
		return store_dberr(st, e, "notifications");
	char *text = xasprintf("审计日志链头 %s（请在本库之外留存，以 rectify verify --head 核对）",
			       head);
	rc = stmt_run(st, ST_NOTIFY_HEAD,
		      ARGS(A_TEXT(text), A_TEXT(st->tx_at), A_INT(today), A_TEXT(day),
			   A_INT(ROLE_OBSERVER)), e);
	free(text);
	if (rc)
		return rc;
	if (made)
		*made += db_changes(st);
	return stmt_run(st, ST_OUTBOX_EMAIL, ARGS(A_INT(last)), e);
}

static enum rc sweep_tx(struct store *st, void *arg, struct err *e)
{
	struct sweep_arg *x = arg;
	x->made = 0;
	enum rc rc = RC_OK;
	for (size_t i = 0; i < x->n && !rc; i++) {
		const struct reminder *m = &x->v[i];
		char *title;
		if ((rc = task_title(st, m->id, &title, e)))
			return rc;
		char d[11];
		store_day_format(m->day, d);
		char *text;
		if (m->kind == 0)
			text = xasprintf("%s将于 %s 到期（还有 %d 天）", title, d,
					 (int)(m->day - x->today));
		else if (m->kind == 1)
			text = xasprintf("%s已超过整改时限 %s", title, d);
		else
			text = xasprintf("%s的回头看已于 %s 到期，请确认", title, d);
		rc = notify_insert(st, m->id, kinds[m->kind].event, kinds[m->kind].to, 0, text, d,
				   x->today, &x->made, e);
		free(text);
		free(title);
	}
	if (rc || !x->day)
		return rc;
	if ((rc = head_to_observers(st, x->day, x->today, &x->made, e)))
		return rc;
	struct dbq *q;
	rc = stmt_query(st, ST_META_SET,
			ARGS(A_TEXT("notify_swept"), A_TEXT(x->day)), &q, e);
	if (rc)
		return rc;
	return stmt_done(st, q, e);
}

/*
 * The reminders are found first (reads), then made in transactions of
 * SWEEP_CHUNK, so a large ledger never holds the write lock for long; the
 * day is recorded with the last.  A sweep cut short is done again whole
 * (the unique index keeps each reminder once).
 */
enum rc store_notify_sweep(struct store *st, int32_t today, int *made, struct err *e)
{
	if (made)
		*made = 0;
	if (!store_day_valid(today))
		return ERRC(e, RC_INVALID, STORE_E_DATE, "today is not a date");
	char day[11];
	store_day_format(today, day);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_META_GET, ARGS(A_TEXT("notify_swept")), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	int done = r == DB_ROW && strcmp(col_text(q, 0), day) >= 0;
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return store_dberr(st, e, "reminders");
	if (done)
		return RC_OK;
	VEC(struct reminder) v = {0};
	int64_t campaign;
	int64_t days;
	rc = campaign_resolve(st, 0, &campaign, e);
	if (rc == RC_NOTFOUND) {
		err_clear(e);
		rc = RC_OK;
	} else if (rc == RC_OK && !(rc = store_setting_get(st, SETTING_DUE_DAYS, &days, NULL, e))) {
		for (int k = 0; k < (int)ARRAY_LEN(kinds) && !rc; k++) {
			rc = stmt_query(st, kinds[k].s,
					ARGS(A_INT(today), A_INT(days), A_INT(campaign)), &q, e);
			if (rc)
				break;
			while ((r = stmt_step(st, q, e)) == DB_ROW)
				*VEC_PUSH(v) = (struct reminder){col_int64(q, 0),
								 col_day(q, 1), k};
			stmt_reset(q);
			if (r != DB_DONE)
				rc = store_dberr(st, e, "reminders");
		}
	}
	stmts_reset(st);
	for (size_t i = 0; !rc && (i < v.n || i == 0); i += SWEEP_CHUNK) {
		size_t n = v.n - i < SWEEP_CHUNK ? v.n - i : SWEEP_CHUNK;
		struct sweep_arg x = {v.n ? v.v + i : NULL, n, today, i + n >= v.n ? day : NULL, 0};
		rc = store_tx(st, &WHO_SYSTEM, sweep_tx, &x, e);
		if (!rc && made)
			*made += x.made;
		if (i + n >= v.n)
			break;
	}
	VEC_FREE(v);
	return rc;
}

/* ---- the inbox ---------------------------------------------------------------------- */

void notification_list_release(struct notification_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

enum rc store_notify_unread(struct store *st, const struct who *w, int64_t *n, struct err *e)
{
	int64_t scope = who_scope(w);
	enum rc rc = scope ? stmt_int64(st, ST_NOTIFY_UNREAD, ARGS(A_INT(w->user_id), A_INT(scope)),
					0, n, e)
			   : stmt_int64(st, ST_NOTIFY_UNREAD_ALL, ARGS(A_INT(w->user_id)), 0, n, e);
	stmts_reset(st);
	return rc;
}

enum rc store_notify_newest(struct store *st, const struct who *w, int64_t *id, struct err *e)
{
	*id = 0;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_NOTIFY_NEWEST, ARGS(A_INT(w->user_id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW)
		*id = col_int64(q, 0);
	stmt_reset(q);
	return r == DB_ROW ? RC_OK : store_dberr(st, e, "notifications");
}

enum rc store_notify_list(struct store *st, const struct who *w, int64_t before_id, int limit,
			  struct notification_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > NOTIFY_PAGE_MAX || before_id < 0)
		return ERRC(e, RC_INVALID, STORE_E_NOTIFY_PAGE,
			    "a page of notifications holds 1 to %d", NOTIFY_PAGE_MAX);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_NOTIFY_LIST,
			ARGS(A_INT(w->user_id), A_INT(who_scope(w)), A_INT(before_id),
			     A_INT(limit)), &q, e);
	if (rc)
		return rc;
	VEC(struct notification) v = {0};
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct notification *n = VEC_PUSH(v);
		n->id = col_int64(q, 0);
		n->task_id = col_int64(q, 1);
		n->event = col_str(q, 2, &out->arena);
		n->text = col_str(q, 3, &out->arena);
		n->at = col_str(q, 4, &out->arena);
		n->read = col_int(q, 5);
		n->day = col_day(q, 6);
	}
	stmt_reset(q);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "notifications");
	}
	VEC_TO_ARENA(v, &out->arena, out->v, out->n);
	return RC_OK;
}

struct read_arg {
	const struct who *w;
	const int64_t *ids;
	size_t n;
	int all, changed;
};

static enum rc read_tx(struct store *st, void *arg, struct err *e)
{
	struct read_arg *x = arg;
	x->changed = 0;
	if (x->all) {
		struct dbq *q;
		enum rc rc = stmt_query(st, ST_NOTIFY_READ_ALL,
				ARGS(A_INT(x->w->user_id), A_TEXT(st->tx_at)), &q, e);
		if (rc)
			return rc;
		rc = stmt_done(st, q, e);
		x->changed = rc ? 0 : db_changes(st);
		return rc;
	}
	for (size_t i = 0; i < x->n; i++) {
		struct dbq *q;
		enum rc rc = stmt_query(st, ST_NOTIFY_READ,
				ARGS(A_INT(x->w->user_id), A_INT(x->ids[i]),
				     A_TEXT(st->tx_at)), &q, e);
		if (rc)
			return rc;
		rc = stmt_done(st, q, e);
		if (rc)
			return rc;
		x->changed += db_changes(st);
	}
	return RC_OK;
}

enum rc store_notify_read(struct store *st, const struct who *w, const int64_t *ids, size_t n,
			  int all, int *changed, struct err *e)
{
	if (changed)
		*changed = 0;
	if (n > NOTIFY_READ_MAX)
		return ERRC(e, RC_INVALID, STORE_E_NOTIFY_PAGE,
			    "at most %d notifications are marked read at once", NOTIFY_READ_MAX);
	if (!all && !n)
		return RC_OK;
	struct read_arg x = {w, ids, n, all, 0};
	enum rc rc = store_tx(st, w, read_tx, &x, e);
	if (!rc && changed)
		*changed = x.changed;
	return rc;
}

/* ---- e-mail addresses ----------------------------------------------------------------- */

static int email_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return 1;
	if (n > STORE_EMAIL_MAX)
		return 0;
	const char *at = strchr(s, '@');
	if (!at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == ';' ||
		    *p == '"' || *p == '\\')
			return 0;
	return 1;
}

struct email_arg {
	int64_t user_id, version;
	const char *email;
	int off;                        /* -1: keep */
	int64_t new_version;
};

static enum rc email_tx(struct store *st, void *arg, struct err *e)
{
	struct email_arg *x = arg;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_USER_EMAIL_GET, ARGS(A_INT(x->user_id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	int64_t ver = r == DB_ROW ? col_int64(q, 1) : 0;
	stmt_reset(q);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_USER, "no user %lld", (long long)x->user_id);
	if (r != DB_ROW)
		return store_dberr(st, e, "user");
	if (x->version && ver != x->version)
		return ERRC(e, RC_CONFLICT, STORE_E_STALE,
			    "user %lld was changed by someone else (version %lld, you had %lld); "
			    "reload it",
			    (long long)x->user_id, (long long)ver, (long long)x->version);
	int64_t changed;
	rc = audited_write(st, ENT_USER, x->user_id,
				   x->off < 0 ? "user-email" : "user-notify", ST_USER_EMAIL_SET,
				   ARGS(A_INT(x->user_id), A_TEXT(x->email), A_INT(ver), A_INT(x->off)),
				   &changed, e);
	if (!rc && changed != 1)
		rc = ERRC(e, RC_CONFLICT, STORE_E_STALE, "user %lld was changed by someone else",
			  (long long)x->user_id);
	if (!rc)
		x->new_version = ver + 1;
	return rc;
}

enum rc store_user_email(struct store *st, const struct who *w, int64_t user_id,
			 int64_t version, const char *email, int64_t *new_version, struct err *e)
{
	if (w->role != ROLE_ADMIN && w->user_id != user_id)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) sets another user's e-mail address");
	if (!email || !email_ok(email))
		return ERRC(e, RC_INVALID, STORE_E_EMAIL,
			    "an e-mail address is name@domain, at most %d bytes, without spaces",
			    STORE_EMAIL_MAX);
	struct email_arg x = {user_id, version, email, -1, 0};
	enum rc rc = store_tx(st, w, email_tx, &x, e);
	if (!rc && new_version)
		*new_version = x.new_version;
	return rc;
}

enum rc store_user_channels(struct store *st, const struct who *w, int64_t user_id,
			    struct user_channels *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (w->role != ROLE_ADMIN && w->user_id != user_id)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) reads another user's channels");
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_USER_EMAIL_GET, ARGS(A_INT(user_id)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		snprintf(out->email, sizeof out->email, "%s",
			 col_text(q, 0));
		out->version = col_int64(q, 1);
		out->off = (unsigned)col_int(q, 2);
	}
	stmt_reset(q);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_USER, "no user %lld", (long long)user_id);
	return r == DB_ROW ? RC_OK : store_dberr(st, e, "user");
}

enum rc store_user_channels_set(struct store *st, const struct who *w, int64_t user_id,
				int64_t version, const char *email, unsigned off,
				int64_t *new_version, struct err *e)
{
	if (w->role != ROLE_ADMIN && w->user_id != user_id)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) sets another user's channels");
	if (!email || !email_ok(email))
		return ERRC(e, RC_INVALID, STORE_E_EMAIL,
			    "an e-mail address is name@domain, at most %d bytes, without spaces",
			    STORE_EMAIL_MAX);
	struct email_arg x = {user_id, version, email,
			      (int)(off & (NOTIFY_OFF_EMAIL | NOTIFY_OFF_WEBHOOK)), 0};
	enum rc rc = store_tx(st, w, email_tx, &x, e);
	if (!rc && new_version)
		*new_version = x.new_version;
	return rc;
}

/* ---- the channels' settings ------------------------------------------------------------ */

/*
 * Kept in the setting table beside the numeric settings, at id
 * TEXT_SETTING_ID + s, the value prefixed with "t:" so that the column's
 * integer affinity never turns a value that looks like a number (a
 * password of digits) into one.
 */
#define TEXT_SETTING_ID 100

static const struct {
	const char *key, *label;
	int secret;
} text_settings[TSET__MAX] = {
	[TSET_SMTP_URL] = {"smtp_url", "邮件服务器（smtp://主机:25 或 smtps://主机:465）", 0},
	[TSET_SMTP_FROM] = {"smtp_from", "发件人地址", 0},
	[TSET_SMTP_USER] = {"smtp_user", "邮件服务器登录名", 0},
	[TSET_SMTP_PASSWORD] = {"smtp_password", "邮件服务器密码", 1},
	[TSET_WEBHOOK_URL] = {"webhook_url", "Webhook 地址（http:// 或 https://）", 0},
	[TSET_WEBHOOK_FORMAT] = {"webhook_format", "Webhook 格式（json 或 text）", 0},
	[TSET_TODAY] = {"today", "固定日期（YYYY-MM-DD：各命令和页面都以此日为今天，演示用；空为实际日期）",
			0},
	[TSET_REPORT_TO] = {"report_to", "报告的主送机关（如：县委）", 0},
	[TSET_REPORT_SIGNER] = {"report_signer", "报告的发文机关署名（如：中共某某县农业农村局党组）", 0},
};

const char *store_text_setting_key(enum store_text_setting s)
{
	return (unsigned)s < TSET__MAX ? text_settings[s].key : NULL;
}

const char *store_text_setting_label(enum store_text_setting s)
{
	return (unsigned)s < TSET__MAX ? text_settings[s].label : NULL;
}

int store_text_setting_secret(enum store_text_setting s)
{
	return (unsigned)s < TSET__MAX && text_settings[s].secret;
}

int store_text_setting_parse(const char *key, enum store_text_setting *out)
{
	for (int i = 0; key && i < TSET__MAX; i++)
		if (strcmp(key, text_settings[i].key) == 0) {
			*out = (enum store_text_setting)i;
			return 0;
		}
	return -1;
}

/* The value (malloc'd) and version; RC_DB when the read fails. */
static enum rc text_setting_load(struct store *st, enum store_text_setting s, char **value,
				 int64_t *version, struct err *e)
{
	*value = NULL;
	*version = 0;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_SETTING_TEXT_GET,
			ARGS(A_INT(TEXT_SETTING_ID + (int)s)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		const char *v = col_text(q, 0);
		*value = xstrdup(v && strncmp(v, "t:", 2) == 0 ? v + 2 : v ? v : "");
		*version = col_int64(q, 1);
	}
	stmt_reset(q);
	if (r != DB_ROW && r != DB_DONE)
		return store_dberr(st, e, "setting");
	if (!*value)
		*value = xstrdup("");
	return RC_OK;
}

enum rc store_text_setting_get(struct store *st, enum store_text_setting s, char **value,
			       int64_t *version, struct err *e)
{
	*value = NULL;
	if ((unsigned)s >= TSET__MAX)
		return ERRC(e, RC_INVALID, STORE_E_NO_SETTING, "no such setting");
	int64_t ver;
	enum rc rc = text_setting_load(st, s, value, &ver, e);
	stmts_reset(st);
	if (version)
		*version = ver;
	return rc;
}

enum rc store_today_of(struct store *st, const char *override, int32_t *day, struct err *e)
{
	if ((override && *override) || !st)
		return store_today(override, day, e);
	char *pin;
	int64_t ver;
	enum rc rc = text_setting_load(st, TSET_TODAY, &pin, &ver, e);
	if (!st->in_tx)
		stmts_reset(st);
	if (!rc && *pin && store_day_parse(pin, day) != 0)
		rc = ERRC(e, RC_INVALID, STORE_E_DATE, "the setting today must be a date YYYY-MM-DD, "
			  "not '%s'", pin);
	else if (!rc && !*pin)
		rc = store_today(NULL, day, e);
	free(pin);
	return rc;
}

static int has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* "" or a value of the setting's form. */
static int text_setting_ok(enum store_text_setting s, const char *v)
{
	size_t n = strlen(v);
	if (n > STORE_TEXT_SETTING_MAX || !text_utf8_valid(v, n, NULL))
		return 0;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return 0;
	if (!n)
		return 1;
	switch (s) {
	case TSET_SMTP_URL:
		return (has_prefix(v, "smtp://") || has_prefix(v, "smtps://")) && !strchr(v, ' ');
	case TSET_SMTP_FROM:
		return email_ok(v);
	case TSET_WEBHOOK_URL:
		return (has_prefix(v, "http://") || has_prefix(v, "https://")) && !strchr(v, ' ');
	case TSET_WEBHOOK_FORMAT:
		return strcmp(v, "json") == 0 || strcmp(v, "text") == 0;
	case TSET_TODAY: {
		int32_t day;
		return store_day_parse(v, &day) == 0;
	}
	default:
		return 1;
	}
}

struct tset_arg {
	enum store_text_setting s;
	const char *v;
	int64_t version, new_version;
};

static enum rc tset_tx(struct store *st, void *arg, struct err *e)
{
	struct tset_arg *a = arg;
	char *cur;
	int64_t ver;
	enum rc rc = text_setting_load(st, a->s, &cur, &ver, e);
	free(cur);
	if (rc)
		return rc;
	if (ver != a->version)
		return ERRC(e, RC_CONFLICT, STORE_E_STALE,
			    "the setting %s was changed by someone else (version %lld, you had "
			    "%lld); reload it",
			    text_settings[a->s].key, (long long)ver, (long long)a->version);
	int64_t id = TEXT_SETTING_ID + (int64_t)a->s;
	char *val = xasprintf("t:%s", a->v);
	const struct arg *args =
		ver ? ARGS(A_INT(id), A_TEXT(text_settings[a->s].key), A_TEXT(val), A_INT(ver))
		    : ARGS(A_INT(id), A_TEXT(text_settings[a->s].key), A_TEXT(val));
	rc = audited_write(st, ENT_SETTING, id, "setting",
			   ver ? ST_SETTING_UPDATE : ST_SETTING_INSERT, args, NULL, e);
	free(val);
	if (!rc)
		a->new_version = ver + 1;
	return rc;
}

enum rc store_text_setting_set(struct store *st, const struct who *w, enum store_text_setting s,
			       const char *value, int64_t version, int64_t *new_version,
			       struct err *e)
{
	if ((unsigned)s >= TSET__MAX)
		return ERRC(e, RC_INVALID, STORE_E_NO_SETTING, "no such setting");
	if (w->role != ROLE_ADMIN)
		return ERRC(e, RC_DENIED, STORE_E_ADMIN_ONLY,
			    "only the office (admin) changes settings");
	if (!value || !text_setting_ok(s, value))
		return ERRC(e, RC_INVALID, STORE_E_SETTING_RANGE, "%s: not a valid value (%s)",
			    text_settings[s].key,
			    s == TSET_SMTP_URL ? "smtp://host:port or smtps://host:port"
			    : s == TSET_WEBHOOK_URL ? "http:// or https://"
			    : s == TSET_WEBHOOK_FORMAT ? "json or text"
			    : s == TSET_SMTP_FROM ? "an e-mail address"
			    : s == TSET_TODAY ? "a date YYYY-MM-DD, or '' for the calendar's"
						  : "at most " STR(STORE_TEXT_SETTING_MAX) " bytes of text");
	struct tset_arg a = {s, value, version, 0};
	enum rc rc = store_tx(st, w, tset_tx, &a, e);
	if (!rc && new_version)
		*new_version = a.new_version;
	return rc;
}

enum rc store_report_style(struct store *st, struct report_style *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	enum rc rc = store_text_setting_get(st, TSET_REPORT_TO, &out->to, NULL, e);
	if (!rc)
		rc = store_text_setting_get(st, TSET_REPORT_SIGNER, &out->signer, NULL, e);
	int64_t charts = 0;
	if (!rc)
		rc = store_setting_get(st, SETTING_REPORT_CHARTS, &charts, NULL, e);
	out->docx_charts = charts != 0;
	if (rc)
		report_style_release(out);
	return rc;
}

void report_style_release(struct report_style *s)
{
	free(s->to);
	free(s->signer);
	memset(s, 0, sizeof *s);
}

/* ---- the outbox --------------------------------------------------------------------------- */

void outbox_list_release(struct outbox_list *l)
{
	arena_release(&l->arena);
	memset(l, 0, sizeof *l);
}

enum rc store_outbox_due(struct store *st, int64_t now, int limit, struct outbox_list *out,
			 struct err *e)
{
	memset(out, 0, sizeof *out);
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_OUTBOX_DUE, ARGS(A_INT(now), A_INT(limit)), &q, e);
	if (rc)
		return rc;
	VEC(struct outbox_item) v = {0};
	int r;
	struct arena *a = &out->arena;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		struct outbox_item *o = VEC_PUSH(v);
		o->id = col_int64(q, 0);
		o->notification_id = col_int64(q, 1);
		o->task_id = col_int64(q, 2);
		o->user_id = col_int64(q, 3);
		o->channel = col_str(q, 4, a);
		o->event = col_str(q, 5, a);
		o->text = col_str(q, 6, a);
		o->at = col_str(q, 7, a);
		o->login = col_str(q, 8, a);
		o->name = col_str(q, 9, a);
		o->email = col_str(q, 10, a);
		o->attempts = col_int(q, 11);
	}
	stmt_reset(q);
	if (r != DB_DONE) {
		VEC_FREE(v);
		arena_release(&out->arena);
		return store_dberr(st, e, "outbox");
	}
	VEC_TO_ARENA(v, a, out->v, out->n);
	return RC_OK;
}

struct outbox_arg {
	int64_t id, next_at;
	enum outbox_state state;
	const char *error;
	int n;
};

static enum rc claim_tx(struct store *st, void *arg, struct err *e)
{
	struct outbox_arg *x = arg;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_OUTBOX_CLAIM, ARGS(A_INT(x->id), A_INT(x->next_at)), &q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	x->n = rc ? 0 : db_changes(st);
	return rc;
}

enum rc store_outbox_claim(struct store *st, int64_t id, int64_t now, int *claimed,
			   struct err *e)
{
	struct outbox_arg x = {id, now, OUTBOX_SENDING, NULL, 0};
	enum rc rc = store_tx(st, &WHO_SYSTEM, claim_tx, &x, e);
	*claimed = rc ? 0 : x.n;
	return rc;
}

static enum rc done_tx(struct store *st, void *arg, struct err *e)
{
	struct outbox_arg *x = arg;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_OUTBOX_DONE,
			ARGS(A_INT(x->id), A_INT((int)x->state), A_INT(x->next_at),
			     A_TEXT(x->error ? x->error : ""),
			     A_TEXT(x->state == OUTBOX_PENDING ? "" : st->tx_at)), &q, e);
	if (rc)
		return rc;
	return stmt_done(st, q, e);
}

enum rc store_outbox_done(struct store *st, int64_t id, enum outbox_state state,
			  int64_t next_at, const char *error, struct err *e)
{
	if (state != OUTBOX_SENT && state != OUTBOX_FAILED && state != OUTBOX_SKIPPED &&
	    state != OUTBOX_PENDING)
		return ERR(e, RC_INVALID, "not an outcome");
	struct outbox_arg x = {id, next_at, state, error, 0};
	return store_tx(st, &WHO_SYSTEM, done_tx, &x, e);
}

static enum rc recover_tx(struct store *st, void *arg, struct err *e)
{
	struct outbox_arg *x = arg;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_OUTBOX_RECOVER, ARGS(A_TEXT(st->tx_at), A_INT(x->next_at)),
				&q, e);
	if (rc)
		return rc;
	rc = stmt_done(st, q, e);
	x->n = rc ? 0 : db_changes(st);
	return rc;
}

enum rc store_outbox_recover(struct store *st, int64_t before, int *n, struct err *e)
{
	struct outbox_arg x = {0, before, OUTBOX_INTERRUPTED, NULL, 0};
	enum rc rc = store_tx(st, &WHO_SYSTEM, recover_tx, &x, e);
	if (n)
		*n = rc ? 0 : x.n;
	return rc;
}

enum rc store_outbox_counts(struct store *st, int64_t counts[OUTBOX__MAX], struct err *e)
{
	memset(counts, 0, OUTBOX__MAX * sizeof counts[0]);
	struct dbq *q = stmt_get(st, ST_OUTBOX_COUNTS, e);
	if (!q)
		return RC_INTERNAL;
	int r;
	while ((r = stmt_step(st, q, e)) == DB_ROW) {
		int s = col_int(q, 0);
		if (s >= 0 && s < OUTBOX__MAX)
			counts[s] = col_int64(q, 1);
	}
	stmt_reset(q);
	return r == DB_DONE ? RC_OK : store_dberr(st, e, "outbox");
}

enum rc store_user_contact(struct store *st, const char *login, char **email, char **name,
			   struct err *e)
{
	*email = *name = NULL;
	struct dbq *q;
	enum rc rc = stmt_query(st, ST_USER_CONTACT, ARGS(A_TEXT(login)), &q, e);
	if (rc)
		return rc;
	int r = stmt_step(st, q, e);
	if (r == DB_ROW) {
		*email = xstrdup(col_text(q, 0));
		*name = xstrdup(col_text(q, 1));
	}
	stmt_reset(q);
	if (r == DB_DONE)
		return ERRC(e, RC_NOTFOUND, STORE_E_NO_USER, "no user '%s'", login);
	return r == DB_ROW ? RC_OK : store_dberr(st, e, "user");
}
