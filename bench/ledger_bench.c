/*
 * ledger_bench.c -- timings of the ledger on a database filled by
 * `rectify test-ledger`: a filtered page of the task list (unit + status +
 * light, 50 rows, as the ledger page asks for it), the same for a handler
 * (scoped to their unit), a task's detail, the dashboard, what the web
 * servers share through the database (a failed login counted, beside the
 * password check it follows; an upload staged and read back), and verify.
 * Built and run by bench/ledger.sh; prints one line per figure.
 *
 * usage: ledger_bench DB TODAY [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "web.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median and 95th percentile of n timings (sorted in place). */
static void stats(double *v, int n, double *med, double *p95)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	*med = v[n / 2];
	*p95 = v[(int)(n * 0.95)];
}

static int groups_same(const struct dash_group *a, size_t na, const struct dash_group *b,
		       size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (a[i].id != b[i].id || strcmp(a[i].name, b[i].name) != 0 ||
		    a[i].total != b[i].total || a[i].closed != b[i].closed ||
		    a[i].staged != b[i].staged || a[i].red != b[i].red ||
		    a[i].yellow != b[i].yellow || a[i].green != b[i].green)
			return 0;
	return 1;
}

/* The figures of two dashboards are the same. */
static int dash_same(const struct dashboard *a, const struct dashboard *b)
{
	if (a->total != b->total || a->review_due != b->review_due ||
	    a->pending_extensions != b->pending_extensions ||
	    memcmp(a->by_status, b->by_status, sizeof a->by_status) != 0 ||
	    memcmp(a->by_light, b->by_light, sizeof a->by_light) != 0 || a->n_weeks != b->n_weeks ||
	    a->n_overdue != b->n_overdue)
		return 0;
	for (size_t i = 0; i < a->n_weeks; i++)
		if (a->weeks[i].day != b->weeks[i].day || a->weeks[i].open != b->weeks[i].open)
			return 0;
	return groups_same(a->areas, a->n_areas, b->areas, b->n_areas) &&
	       groups_same(a->units, a->n_units, b->units, b->n_units);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s DB TODAY [ROUNDS]\n", argv[0]);
		return 2;
	}
	int rounds = argc > 3 ? atoi(argv[3]) : 200;
	struct store *st;
	struct err e = {0};
	int32_t today;
	if (store_today(argv[2], &today, &e) || store_open(argv[1], 0, &st, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	struct unit_list units;
	if (store_unit_list(st, &WHO_SYSTEM, &units, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	/* Leaf units only (the roots hold most of the tree). */
	int64_t *leaf = malloc(units.n * sizeof *leaf);
	size_t n_leaf = 0;
	for (size_t i = 0; i < units.n; i++)
		if (units.v[i].depth > 0)
			leaf[n_leaf++] = units.v[i].id;
	if (!n_leaf) {
		fprintf(stderr, "no units\n");
		return 1;
	}
	double *t = malloc((size_t)rounds * sizeof *t);
	static const int statuses[] = {TASK_IN_PROGRESS, TASK_NOT_STARTED, TASK_SUBMITTED};
	static const int lights[] = {LIGHT_RED, LIGHT_YELLOW, LIGHT_GREEN};
	int64_t rows = 0, total = 0;
	/* Warm the cache once, as a running server would be. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < rounds; i++) {
			struct task_filter f = TASK_FILTER_INIT;
			f.unit_id = leaf[(size_t)i * 7919 % n_leaf];
			f.status = statuses[i % 3];
			f.light = lights[(i / 3) % 3];
			f.per_page = 50;
			struct task_list l;
			double t0 = now_ms();
			if (store_task_list(st, &WHO_SYSTEM, &f, today, &l, &e)) {
				fprintf(stderr, "%s\n", e.msg);
				return 1;
			}
			t[i] = now_ms() - t0;
			rows += (int64_t)l.n;
			total += l.total;
			task_list_release(&l);
		}
	}
	double med, p95;
	stats(t, rounds, &med, &p95);
	printf("task list, unit + status + light, page of 50: median %.3f ms, p95 %.3f ms "
	       "(%d queries, %.1f rows per page, %.1f matching)\n",
	       med, p95, rounds, (double)rows / (2 * rounds), (double)total / (2 * rounds));
	/* The first pages of the whole ledger, sorted by deadline. */
	int64_t n_tasks = 0;
	for (int i = 0; i < rounds; i++) {
		struct task_filter f = TASK_FILTER_INIT;
		f.sort = TASK_SORT_DEADLINE;
		f.page = 1 + i % 5;
		struct task_list l;
		double t0 = now_ms();
		store_task_list(st, &WHO_SYSTEM, &f, today, &l, &e);
		t[i] = now_ms() - t0;
		n_tasks = l.total;
		task_list_release(&l);
	}
	double first = t[0];
	stats(t, rounds, &med, &p95);
	printf("task list, whole ledger by deadline, page of 50 with total: first %.3f ms "
	       "(counting all), then median %.3f ms, p95 %.3f ms (the total is remembered "
	       "until a write)\n", first, med, p95);
	/* A handler's page: their unit's subtree, open and red. */
	struct who h = {0, ROLE_HANDLER, 0};
	for (int i = 0; i < rounds; i++) {
		h.unit_id = leaf[(size_t)i * 104729 % n_leaf];
		struct task_filter f = TASK_FILTER_INIT;
		f.light = LIGHT_RED;
		struct task_list l;
		double t0 = now_ms();
		store_task_list(st, &h, &f, today, &l, &e);
		t[i] = now_ms() - t0;
		task_list_release(&l);
	}
	stats(t, rounds, &med, &p95);
	printf("task list, handler scope + red: median %.3f ms, p95 %.3f ms\n", med, p95);
	/* Detail of a task with its ten progress entries. */
	for (int i = 0; i < rounds; i++) {
		struct task d;
		double t0 = now_ms();
		if (store_task_get(st, &WHO_SYSTEM, 1 + (int64_t)i * 499 % n_tasks, today, &d, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		t[i] = now_ms() - t0;
		task_release(&d);
	}
	stats(t, rounds, &med, &p95);
	printf("task detail: median %.3f ms, p95 %.3f ms\n", med, p95);
	/* The dashboard's day moved on by one, as on the first view of a day. */
	double r0 = now_ms();
	if (store_dash_roll(st, today - 1, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	double r1 = now_ms();
	if (store_dash_roll(st, today, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	printf("dashboard's day moved on by a day: %.3f ms (to the day before: %.3f ms)\n",
	       now_ms() - r1, r1 - r0);
	/* The dashboard as the web draws it after a write (nothing cached),
	 * for the whole campaign and for a handler. */
	int n_dash = rounds / 10 < 3 ? 3 : rounds / 10;
	int dash_total = 0;
	for (int i = 0; i < n_dash; i++) {
		struct dashboard dash;
		double t1 = now_ms();
		if (store_dashboard(st, &WHO_SYSTEM, 0, today, &dash, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		t[i] = now_ms() - t1;
		dash_total = dash.total;
		dashboard_release(&dash);
	}
	first = t[0];
	stats(t, n_dash, &med, &p95);
	printf("dashboard of %d tasks: first %.3f ms, median %.3f ms of %d\n", dash_total, first,
	       med, n_dash);
	for (int i = 0; i < n_dash; i++) {
		h.unit_id = leaf[(size_t)i * 104729 % n_leaf];
		struct dashboard dash;
		double t1 = now_ms();
		if (store_dashboard(st, &h, 0, today, &dash, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		t[i] = now_ms() - t1;
		dashboard_release(&dash);
	}
	stats(t, n_dash, &med, &p95);
	printf("dashboard of a handler's unit: median %.3f ms of %d\n", med, n_dash);
	/* The same numbers as counting the tasks. */
	for (int k = 0; k < 2; k++) {
		struct who *who = k ? &h : &WHO_SYSTEM;
		struct dashboard kept, full;
		double t1 = now_ms();
		store_dashboard_recount(st, 1);
		int rc = store_dashboard(st, who, 0, today, &full, &e);
		double t2 = now_ms();
		store_dashboard_recount(st, 0);
		if (rc || store_dashboard(st, who, 0, today, &kept, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		int same = dash_same(&kept, &full);
		printf("dashboard%s counted from the tasks: %.3f ms, %s\n", k ? " of a handler" : "",
		       t2 - t1, same ? "the same numbers" : "DIFFERENT NUMBERS");
		dashboard_release(&kept);
		dashboard_release(&full);
		if (!same)
			return 1;
	}
	/* A failed login: the password checked (Argon2id), then the throttle
	 * read and the failure counted, from a new address each time. */
	struct user_list users;
	if (store_user_list(st, &WHO_SYSTEM, &users, &e) || !users.n) {
		fprintf(stderr, "no users: %s\n", e.msg);
		return 1;
	}
	int n_login = rounds / 10 < 3 ? 3 : rounds / 10;
	double *tc = malloc((size_t)n_login * sizeof *tc);
	for (int i = 0; i < n_login; i++) {
		const char *login = users.v[(size_t)i % users.n].login;
		char addr[32];
		snprintf(addr, sizeof addr, "10.%d.%d.%d", i / 65536 % 256, i / 256 % 256, i % 256);
		struct who w;
		double t1 = now_ms();
		if (store_user_verify(st, login, "not the password", &w, &e) != RC_AUTH) {
			fprintf(stderr, "a wrong password passed: %s\n", e.msg);
			return 1;
		}
		double t2 = now_ms();
		unsigned wait;
		enum rc rc = web_throttle_check(st, login, addr, &wait, &e);
		if ((rc != RC_OK && rc != RC_THROTTLED) || web_throttle_fail(st, login, addr, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		tc[i] = now_ms() - t2;
		t[i] = t2 - t1;
	}
	double pw_med, pw_p95;
	stats(t, n_login, &pw_med, &pw_p95);
	stats(tc, n_login, &med, &p95);
	printf("a failed login counted for every server (3 counters read, 3 written): median "
	       "%.3f ms, p95 %.3f ms; the password check before it: median %.1f ms (%.0fx)\n",
	       med, p95, pw_med, pw_med / (med > 0 ? med : 1e-9));
	int64_t uid = users.v[0].id;
	user_list_release(&users);
	free(tc);
	/* An upload of STORE_STAGED_MAX bytes staged, then read back. */
	size_t big = STORE_STAGED_MAX;
	char *bytes = malloc(big);
	for (size_t i = 0; i < big; i++)
		bytes[i] = (char)(i * 2654435761u >> 13);
	double put_ms = 0, get_ms = 0;
	int n_stage = 3;
	for (int i = 0; i < n_stage; i++) {
		char *back = NULL, name[32];
		size_t len = 0;
		double t1 = now_ms();
		int bad = store_staged_put(st, uid, "benchtoken", "bench.xlsx", bytes, big, 1000 + i, 3600,
					   16, &e) != RC_OK;
		double t2 = now_ms();
		bad = bad || store_staged_get(st, uid, "benchtoken", 1000 + i, 3600, &back, &len, name,
					      sizeof name, &e) != RC_OK;
		get_ms += now_ms() - t2;
		put_ms += t2 - t1;
		bad = bad || len != big || memcmp(back, bytes, big) != 0;
		free(back);
		if (bad) {
			fprintf(stderr, "staging an upload: %s\n", e.msg[0] ? e.msg : "other bytes");
			return 1;
		}
	}
	store_staged_drop(st, uid, "benchtoken", &e);
	free(bytes);
	printf("an upload of %u MiB staged for its confirmation: %.0f ms, read back: %.0f ms "
	       "(mean of %d)\n", STORE_STAGED_MAX >> 20, put_ms / n_stage, get_ms / n_stage,
	       n_stage);
	double t0 = now_ms();
	struct verify_result v;
	t0 = now_ms();
	if (store_verify(st, &v, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	double ms = now_ms() - t0;
	printf("verify: %s, %lld audit rows and %lld ledger rows in %.0f ms: %.3f ms per "
	       "thousand audit rows\n",
	       v.ok ? "ok" : v.msg, (long long)v.rows, (long long)v.entities, ms,
	       ms * 1000.0 / (double)(v.rows ? v.rows : 1));
	unit_list_release(&units);
	free(leaf);
	free(t);
	store_close(st);
	return v.ok ? 0 : 1;
}
