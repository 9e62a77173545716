/*
 * libFuzzer target: spreadsheet ledger rows (what the office module hands
 * the store after parsing .xlsx/.csv) and the small parsers of user input
 * the store owns (dates, deadlines, statuses, lights, roles, sort keys,
 * actions).  Input: rows separated by newlines, cells by tabs, in the order
 * of struct ledger_row; the first byte's low bits also choose
 * LEDGER_NEW_UNITS (1) and LEDGER_LEADER_TEXT (2).  After every import the
 * audit chain must verify; refusals (RC_INVALID, RC_CONFLICT, RC_TOOBIG)
 * are fine, crashes, leaks and sanitizer reports are bugs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *tmpl, *st;
static int uses;

/* A fresh in-memory store copied from the template (one unit, one
 * leader: hashing a password costs too much to do per run). */
static void fresh(void)
{
	if (!tmpl) {
		if (store_open(":memory:", 0, &tmpl, NULL) ||
		    store_unit_add(tmpl, &WHO_SYSTEM, "甲局", 0, NULL, NULL) ||
		    store_user_add(tmpl, &WHO_SYSTEM, "zhang", "张三", ROLE_LEADER, 1, "password",
				   NULL, NULL) ||
		    store_campaign_new(tmpl, &WHO_SYSTEM,
				       &(struct campaign_new){2024, "整改", NULL, NULL, 0,
							      STORE_NO_DAY, 0},
				       0, NULL, NULL, NULL))
			abort();
	}
	store_close(st);
	if (store_open(":memory:", 0, &st, NULL))
		abort();
	sqlite3_backup *b = sqlite3_backup_init(st->db, "main", tmpl->db, "main");
	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE)
		abort();
	sqlite3_backup_finish(b);
	uses = 0;
}

static void parsers(const char *s)
{
	int32_t d;
	enum deadline_kind k;
	enum task_status ts;
	enum light l;
	enum role r;
	enum task_sort so;
	enum task_action a;
	int desc;
	if (store_day_parse(s, &d) == 0) {
		char out[11];
		store_day_format(d, out);
		if (strcmp(out, s) != 0)
			abort();
	}
	deadline_parse(s, &k, &d);
	task_status_parse(s, &ts);
	light_parse(s, &l);
	role_parse(s, &r);
	task_sort_parse(s, &so, &desc);
	task_action_parse(s, &a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!st || uses++ >= 32)
		fresh();
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	/* Rows and cells, cut in place. */
	struct ledger_row rows[64];
	size_t n = 0;
	char *line = text;
	while (line && n < 64) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		const char *cells[9] = {NULL};
		char *cell = line;
		for (int c = 0; c < 9 && cell; c++) {
			char *tab = strchr(cell, '\t');
			if (tab)
				*tab++ = '\0';
			cells[c] = cell;
			parsers(cell);
			cell = tab;
		}
		rows[n++] = (struct ledger_row){cells[0], cells[1], cells[2], cells[3], cells[4],
						cells[5], cells[6], cells[7], cells[8]};
		line = next;
	}
	struct import_result res;
	int32_t today = store_day_from_ymd(2024, 3, 1);
	/* The first byte picks the flags: new units and kept leader names or
	 * not (both refusals and both ways of accepting get exercised). */
	unsigned flags = LEDGER_AGAIN | (size && (data[0] & 1) ? LEDGER_NEW_UNITS : 0) |
			 (size && (data[0] & 2) ? LEDGER_LEADER_TEXT : 0);
	enum rc rc = store_ledger_import(st, &WHO_SYSTEM, 0, rows, n, "fuzz.xlsx", flags, today,
					 &res, NULL);
	if (rc == RC_OK) {
		struct verify_result v;
		if (store_verify(st, &v, NULL) || !v.ok)
			abort();
		struct task_iter *it;
		const struct export_row *x;
		if (store_task_iter_open(st, &WHO_SYSTEM, 0, today, &it, NULL) == RC_OK) {
			while (store_task_iter_next(it, &x, NULL) == RC_OK && x)
				;
			store_task_iter_close(it);
		}
	} else if (rc != RC_INVALID && rc != RC_CONFLICT && rc != RC_TOOBIG) {
		abort();
	}
	free(text);
	return 0;
}
