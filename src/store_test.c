/*
 * store_test.c -- a synthetic ledger for the benchmarks and the crash test:
 * units in a two-level tree, a leader and a handler per unit, one campaign
 * with one report of twenty areas, tasks spread over the units with
 * deadlines on either side of today, and progress entries, every row
 * written through the same inserts and audit as real data (so verify runs
 * over it), in transactions of a thousand tasks.
 *
 * The random numbers come from a xorshift generator seeded by the caller,
 * so a seed gives the same database (bar timestamps).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static uint64_t next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static int rnd(uint64_t *s, int n)
{
	return n > 0 ? (int)(next(s) % (uint64_t)n) : 0;
}

struct gen {
	int n_units, n_tasks, n_progress;
	int32_t today;
	uint64_t seed;
	const char *pwhash;
	int64_t campaign, report, *areas, *units, *leaders;
	int done_tasks, done_progress;
	int batch;
};

static enum rc gen_people_tx(struct store *st, void *arg, struct err *e)
{
	struct gen *g = arg;
	int roots = g->n_units / 50 + 1;
	enum rc rc = RC_OK;
	for (int i = 0; i < g->n_units && !rc; i++) {
		char name[32], login[32];
		snprintf(name, sizeof name, "单位%04d", i + 1);
		struct dbq *q;
		rc = stmt_query(st, ST_UNIT_INSERT,
				ARGS(A_TEXT(name),
				     A_ID(i < roots ? 0 : g->units[i % roots])), &q, e);
		if (rc)
			return rc;
		if ((rc = stmt_done(st, q, e)))
			break;
		g->units[i] = db_last_id(st);
		rc = stmt_run(st, ST_UNIT_TREE_ADD,
			      ARGS(A_INT(g->units[i]), A_ID(i < roots ? 0 : g->units[i % roots])), e);
		if (rc || (rc = audit_insert(st, "unit-add", ENT_UNIT, g->units[i], e)))
			break;
		snprintf(login, sizeof login, "l%04d", i + 1);
		snprintf(name, sizeof name, "领导%04d", i + 1);
		rc = store_user_add_hashed(st, st->tx_who, login, name, ROLE_LEADER, g->units[i],
					   g->pwhash, &g->leaders[i], e);
		if (rc)
			break;
		int64_t h;
		snprintf(login, sizeof login, "h%04d", i + 1);
		snprintf(name, sizeof name, "承办%04d", i + 1);
		rc = store_user_add_hashed(st, st->tx_who, login, name, ROLE_HANDLER, g->units[i],
					   g->pwhash, &h, e);
	}
	if (rc)
		return rc;
	int y, m, d;
	store_day_to_ymd(g->today, &y, &m, &d);
	rc = stmt_run(st, ST_CAMPAIGN_INSERT,
		      ARGS(A_INT(y), A_TEXT("基准测试台账"), A_TEXT(""), A_INT(g->today - 120),
			   A_ID(0) /* carried from no campaign */, A_TEXT("[]")), e);
	if (rc)
		return rc;
	g->campaign = db_last_id(st);
	rc = stmt_run(st, ST_CAMPAIGN_SET_CURRENT, ARGS(A_INT(g->campaign), A_INT(1)), e);
	if (rc)
		return rc;
	if ((rc = audit_insert(st, "campaign-new", ENT_CAMPAIGN, g->campaign, e)))
		return rc;
	static const char src[] = "基准测试用的合成台账\n";
	char sha[65];
	util_sha256_hex(src, sizeof src - 1, sha);
	rc = report_insert(st, g->campaign, 0, "基准测试台账", "team", "text", "UTF-8", "bench", y,
			   sha, src, sizeof src - 1, &g->report, e);
	int64_t sec;
	if (!rc)
		rc = node_insert(st, g->report, 0, NODE_SECTION, DOC_ROLE_PROBLEMS, 0, "一、", "问题",
				 "", 0, 0, "import", &sec, e);
	for (int i = 0; i < 20 && !rc; i++) {
		char title[64];
		snprintf(title, sizeof title, "在第%d个方面", i + 1);
		rc = node_insert(st, g->report, sec, NODE_AREA, DOC_ROLE_PROBLEMS, i, "", title, "", 0,
				 0, "import", &g->areas[i], e);
	}
	return rc;
}

static enum rc gen_tasks_tx(struct store *st, void *arg, struct err *e)
{
	struct gen *g = arg;
	enum rc rc = RC_OK;
	int end = g->done_tasks + g->batch;
	if (end > g->n_tasks)
		end = g->n_tasks;
	int base = g->n_progress / g->n_tasks, extra = g->n_progress % g->n_tasks;
	int months = (int)store_setting_value(st, SETTING_REVIEW_MONTHS);
	for (int i = g->done_tasks; i < end && !rc; i++) {
		char label[24], lead[96], text[256];
		snprintf(label, sizeof label, "%d.", i + 1);
		snprintf(lead, sizeof lead, "第%d项问题的概括", i + 1);
		snprintf(text, sizeof text, "第%d项问题的概括。这是为基准测试生成的问题描述，"
			 "编号%d，涉及单位工作中的具体情况。", i + 1, i + 1);
		int64_t item;
		rc = node_insert(st, g->report, g->areas[i % 20], NODE_ITEM, DOC_ROLE_PROBLEMS,
				 i / 20, label, lead, text, 0, 0, "import", &item, e);
		if (rc)
			break;
		int u = rnd(&g->seed, g->n_units);
		struct task_new t = {0};
		t.campaign_id = g->campaign;
		t.problem_id = item;
		t.leader_id = g->leaders[u];
		t.unit_id = g->units[u];
		t.goal = "按期完成整改并形成长效机制";
		int kind = rnd(&g->seed, 100);
		if (kind < 10) {
			t.deadline_kind = DEADLINE_ONGOING;
			t.deadline = STORE_NO_DAY;
		} else if (kind < 15) {
			t.deadline_kind = DEADLINE_IMMEDIATE;
			t.deadline = g->today - 30 + rnd(&g->seed, 60);
		} else {
			t.deadline_kind = DEADLINE_DATE;
			t.deadline = g->today - 60 + rnd(&g->seed, 300);
		}
		int s = rnd(&g->seed, 100);
		t.status = s < 20 ? TASK_NOT_STARTED
			   : s < 70 ? TASK_IN_PROGRESS
			   : s < 80 ? TASK_SUBMITTED
			   : s < 95 ? TASK_CLOSED
				    : (t.deadline_kind == DEADLINE_ONGOING ? TASK_STAGED
									    : TASK_IN_PROGRESS);
		int k = base + (i < extra ? 1 : 0);
		if (k && t.status == TASK_NOT_STARTED)
			t.status = TASK_IN_PROGRESS;
		t.created = t.last_activity = g->today - 120;
		t.closed_day = t.review_due = STORE_NO_DAY;
		if (t.status == TASK_CLOSED) {
			t.closed_day = g->today - rnd(&g->seed, 100);
			t.review_due = store_day_add_months(t.closed_day, months);
		} else if (t.status == TASK_STAGED) {
			t.review_due = store_day_add_months(g->today - rnd(&g->seed, 100), months);
		}
		int64_t id;
		if ((rc = task_insert(st, &t, "import", NULL, t.created, &id, e)))
			break;
		int32_t last = t.created;
		for (int p = 0; p < k && !rc; p++) {
			int32_t day = t.created + rnd(&g->seed, 121);
			if (day > last)
				last = day;
			char msg[128];
			snprintf(msg, sizeof msg, "第%d次进展：已按计划推进整改工作，完成阶段任务。", p + 1);
			rc = stmt_run(st, ST_PROGRESS_INSERT,
				      ARGS(A_INT(id), A_INT(day), A_TEXT(st->tx_at),
					   A_ID(t.leader_id), A_TEXT(msg)), e);
			if (rc)
				break;
			rc = audit_insert(st, "progress", ENT_PROGRESS, db_last_id(st),
					  e);
		}
		if (rc)
			break;
		g->done_progress += k;
		rc = audited_write(st, ENT_TASK, id, "progress", ST_GEN_TASK_PROGRESS,
				   ARGS(A_INT(id), A_INT(k), A_INT(last)), NULL, e);
		if (!rc && t.status == TASK_CLOSED)
			rc = event_add(st, id, "approve", TASK_SUBMITTED, TASK_CLOSED, NULL,
				       t.closed_day, e);
	}
	g->done_tasks = end;
	return rc;
}

enum rc store_test_generate(struct store *st, int n_units, int n_tasks, int n_progress,
			    int32_t today, uint64_t seed, struct err *e)
{
	if (n_units < 1 || n_units > 100000 || n_tasks < 1 || n_tasks > 10000000 ||
	    n_progress < 0 || n_progress > 100000000)
		return ERR(e, RC_INVALID, "1..100000 units, 1..10000000 tasks, 0..100000000 "
			   "progress entries");
	struct gen g = {0};
	g.n_units = n_units;
	g.n_tasks = n_tasks;
	g.n_progress = n_progress;
	g.today = today;
	g.seed = seed ? seed : 88172645463325252ull;
	g.batch = 1000;
	/* One hash for every generated user: hashing a thousand passwords
	 * would take minutes. */
	char h[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(h, "generated-password", 18, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ERR(e, RC_INTERNAL, "cannot hash");
	g.pwhash = h;
	g.units = xcalloc((size_t)n_units, sizeof *g.units);
	g.leaders = xcalloc((size_t)n_units, sizeof *g.leaders);
	g.areas = xcalloc(20, sizeof *g.areas);
	struct who w = WHO_SYSTEM;
	enum rc rc = store_tx(st, &w, gen_people_tx, &g, e);
	while (!rc && g.done_tasks < n_tasks)
		rc = store_tx(st, &w, gen_tasks_tx, &g, e);
	free(g.units);
	free(g.leaders);
	free(g.areas);
	if (!rc)
		rc = db_analyze(st, e);
	/* The dashboard's day is the day the ledger was made for, as a server
	 * running on that day keeps it (not the day the generator ran). */
	if (!rc)
		rc = store_dash_roll(st, today, e);
	return rc;
}
