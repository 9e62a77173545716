/*
 * notify.h -- delivery of notifications beyond the inbox: e-mail over SMTP
 * and a webhook POSTing JSON, both with libcurl, from the outbox the store
 * fills in the transaction of each change (store.h, "The outbox").
 *
 * A worker thread inside `rectify serve` (notify_worker_start) polls the
 * outbox about once a second on a connection of its own, claims each due
 * row before anything leaves (so a row is never sent twice, even across a
 * crash: rows found claimed at start-up are marked interrupted and left),
 * sends it, and records the outcome: sent, or a retry with backoff
 * (NOTIFY_RETRY_S doubling, NOTIFY_ATTEMPTS in all), or failed; a channel
 * not configured skips its rows.  Pages never wait for it: requests only
 * write outbox rows.  It also makes the day's deadline reminders
 * (store_notify_sweep) once a day from the hour `digest_hour`; their
 * e-mails to one person go out as one message (the digest).
 */
#ifndef RECTIFY_NOTIFY_H
#define RECTIFY_NOTIFY_H

#include <stdint.h>

#include "store.h"
#include "util.h"

#define NOTIFY_ATTEMPTS 6       /* tries of a row before it fails */
#define NOTIFY_RETRY_S 10       /* the first retry's delay; doubled each time */
#define NOTIFY_TIMEOUT_S 20     /* one SMTP or HTTP exchange, connection included */
/* A row claimed longer ago than this was cut off by a crash: no sender
 * (of any server on the database) still holds it. */
#define NOTIFY_SENDING_MAX_S (3 * NOTIFY_TIMEOUT_S)
#define NOTIFY_BATCH 50         /* rows taken per pass */

/* One pass over the due rows at now (Unix seconds): *sent how many were
 * sent (may be NULL). */
enum rc notify_deliver(struct store *st, int64_t now, int *sent, struct err *e);

/* `rectify notify test --to LOGIN`: a test message through each channel
 * configured.  out gets one line per channel saying what happened; the
 * rc is RC_OK when every configured channel succeeded. */
enum rc notify_test(struct store *st, const char *login, char *out, size_t n, struct err *e);

/* The worker of `rectify serve` on the database at path, today the
 * override of the day (RECTIFY_TODAY) or NULL; stop joins it. */
void notify_worker_start(const char *db_path, const char *today);
void notify_worker_stop(void);

#endif
