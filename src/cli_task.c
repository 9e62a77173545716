/*
 * cli_task.c -- the tasks (整改任务) on the command line:
 *   task list [filters] [--json]     the ledger, one line a task (JSON:
 *                                    docs/LEDGER-JSON.md)
 *   task show ID [--json]            one task with its history
 *   task assign ID ...               leader, unit, deadline, goal, measures, commitments
 *   task progress ID --text T        progress with evidence
 *   task submit|approve|return|reopen|stage|confirm ID   the workflow's steps
 *   task extend ID ...               延期: request, approve or refuse
 * and the hidden test-ledger and test-writer that fill a database for the
 * benchmarks and the crash test.  Each change is one store call against
 * --expect-version or the version the task has now, as the acting user
 * (--as) sees it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "export.h"

static void text_deadline(enum deadline_kind k, int32_t day, char *out, size_t n)
{
	deadline_format(k, day, out, n);
	if (!*out)
		snprintf(out, n, "-");
}

int cmd_task_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},	  {"status", required_argument, NULL, 's'},
		{"light", required_argument, NULL, 'l'},  {"unit", required_argument, NULL, 'u'},
		{"leader", required_argument, NULL, 'L'}, {"area", required_argument, NULL, 'a'},
		{"q", required_argument, NULL, 'q'},	  {"sort", required_argument, NULL, 'o'},
		{"page", required_argument, NULL, 'p'},	  {"per-page", required_argument, NULL, 'n'},
		{"campaign", required_argument, NULL, 'c'},
		{"review-due", no_argument, NULL, 'r'},	  {"as", required_argument, NULL, 'A'},
		{NULL, 0, NULL, 0}};
	struct task_filter f = TASK_FILTER_INIT;
	const char *unit = NULL, *leader = NULL;
	int json = 0, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 's': {
			enum task_status s;
			if (task_status_parse(optarg, &s)) {
				fprintf(stderr, "rectify: unknown status '%s' (未启动 整改中 申请销号 "
						"已销号 阶段性完成 转入下一批次, or not_started …)\n", optarg);
				return 2;
			}
			f.status = (int)s;
			break;
		}
		case 'l': {
			enum light l;
			if (light_parse(optarg, &l)) {
				fprintf(stderr, "rectify: unknown light '%s' (red, yellow, green, grey, "
						"none)\n", optarg);
				return 2;
			}
			f.light = (int)l;
			break;
		}
		case 'u': unit = optarg; break;
		case 'L': leader = optarg; break;
		case 'a':
			if (cli_parse_id(optarg, &f.area_id))
				return cli_usage("task list");
			break;
		case 'q': f.q = optarg; break;
		case 'o':
			if (task_sort_parse(optarg, &f.sort, &f.desc)) {
				fprintf(stderr, "rectify: unknown sort '%s' (seq, deadline, status, "
						"unit, leader, activity, updated; '-' before for "
						"descending)\n", optarg);
				return 2;
			}
			break;
		case 'p': f.page = atoi(optarg); break;
		case 'n': f.per_page = atoi(optarg); break;
		case 'c':
			if (cli_parse_id(optarg, &f.campaign_id))
				return cli_usage("task list");
			break;
		case 'r': f.review_due = 1; break;
		case 'A': c->as = optarg; break;
		default: return cli_usage("task list");
		}
	}
	if (optind != argc)
		return cli_usage("task list");
	int r = cli_setup(c);
	if (r || (unit && (r = cli_unit_id(c, unit, &f.unit_id))) ||
	    (leader && (r = cli_user_id(c, leader, &f.leader_id))))
		return r;
	struct task_list l;
	struct err e = {0};
	if (store_task_list(c->st, &c->who, &f, c->day, &l, &e))
		return cli_fail(&e);
	struct buf b = BUF_INIT(0);
	if (json) {
		export_json_task_list(&b, &l, &f);
		buf_putc(&b, '\n');
	} else {
		for (size_t i = 0; i < l.n; i++) {
			const struct task_row *t = &l.rows[i];
			char dl[48];
			text_deadline(t->deadline_kind, t->deadline, dl, sizeof dl);
			buf_printf(&b, "%4d  #%-6lld %-12s %-6s %-22s %-10s %-14s %s\n", t->seq,
				   (long long)t->id, task_status_name(t->status),
				   t->light ? light_name_zh(t->light) : "-", dl,
				   *t->leader_name ? t->leader_name
				   : *t->leader_text ? t->leader_text : "-",
				   *t->unit_name ? t->unit_name : "-", t->lead);
		}
		buf_printf(&b, "%lld tasks", (long long)l.total);
		if (l.total > (int64_t)l.n)
			buf_printf(&b, " (page %d, %zu shown)", f.page, l.n);
		buf_putc(&b, '\n');
	}
	task_list_release(&l);
	return cli_out(&b);
}

int cmd_task_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	int json = 0, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'A')
			c->as = optarg;
		else
			return cli_usage("task show");
	}
	int64_t id;
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id))
		return cli_usage("task show");
	int r = cli_setup(c);
	if (r)
		return r;
	struct task t;
	struct err e = {0};
	struct commitment_list cl = {0};
	enum rc rc = store_task_get(c->st, &c->who, id, c->day, &t, &e);
	if (!rc && !json && t.n_measures)
		rc = store_commitment_list(c->st, &c->who, t.campaign_id, c->day, &cl, &e);
	if (rc) {
		if (cl.v)
			commitment_list_release(&cl);
		return cli_fail(&e);
	}
	struct buf b = BUF_INIT(0);
	if (json) {
		export_json_task(&b, &t);
		buf_putc(&b, '\n');
	} else {
		char dl[48];
		text_deadline(t.deadline_kind, t.deadline, dl, sizeof dl);
		buf_printf(&b, "task %lld (序号 %d, version %lld)\n", (long long)t.id, t.seq,
			   (long long)t.version);
		buf_printf(&b, "  方面      %s\n  问题      %s%s\n", t.area, t.label, t.text);
		/* The examples are part of the text above: labelled, not repeated
		 * as if they were more of it. */
		for (size_t i = 0; i < t.n_examples; i++)
			buf_printf(&b, "  %s      %s\n", i ? "    " : "举例", t.examples[i]);
		for (size_t i = 0; i < t.n_measures; i++) {
			/* A measure of several lines keeps them under its column. */
			buf_printf(&b, "  措施      %s", t.measures[i].label);
			for (const char *m = t.measures[i].text; *m; m++) {
				buf_putc(&b, *m);
				if (*m == '\n' && m[1])
					buf_puts(&b, "            ");
			}
			buf_putc(&b, '\n');
		}
		/* The commitments its measures state, with the current period's
		 * counter, as the task page shows them. */
		for (size_t i = 0; i < cl.n; i++) {
			const struct commitment *k = &cl.v[i];
			int stated = 0;
			for (size_t m = 0; m < t.n_measures && !stated; m++)
				stated = commitment_in_measure(k->text, t.measures[m].text);
			if (!stated)
				continue;
			const char *unit = k->unit && *k->unit ? k->unit : "次";
			buf_printf(&b, "  承诺      %s (commitment %lld)", k->text, (long long)k->id);
			for (size_t p = 0; p < k->n_periods; p++)
				if (k->periods[p].current)
					buf_printf(&b, "  本期完成 %d / 序时应达 %d / 要求 %d%s",
						   k->periods[p].count, k->periods[p].expected, k->min, unit);
			buf_putc(&b, '\n');
		}
		commitment_list_release(&cl);
		buf_printf(&b, "  目标      %s\n", *t.goal ? t.goal : "-");
		if (!*t.leader_name && *t.leader_text)
			buf_printf(&b, "  责任领导  - (named %s: no leader account has that name)\n",
				   t.leader_text);
		else
			buf_printf(&b, "  责任领导  %s\n", *t.leader_name ? t.leader_name : "-");
		buf_printf(&b, "  责任单位  %s\n  整改时限  %s\n", *t.unit_name ? t.unit_name : "-",
			   dl);
		buf_printf(&b, "  状态      %s  %s\n", task_status_name(t.status),
			   t.light ? light_name_zh(t.light) : "");
		if (t.carried_id)
			buf_printf(&b, "  去向      转入%d年度第%d项 (task %lld)\n", t.carried_year,
				   t.carried_seq, (long long)t.carried_id);
		if (t.origin_id)
			buf_printf(&b, "  来源      由%d年度第%d项转入 (task %lld)\n", t.origin_year,
				   t.origin_seq, (long long)t.origin_id);
		if (t.review_due != STORE_NO_DAY) {
			char d[11];
			store_day_format(t.review_due, d);
			buf_printf(&b, "  回头看    %s\n", d);
		}
		for (size_t i = 0; i < t.n_progress; i++) {
			const struct task_progress *p = &t.progress[i];
			char d[11];
			store_day_format(p->day, d);
			buf_printf(&b, "  进展 %s %s: %s\n", d, p->author, p->text);
			for (size_t k = 0; k < p->n_evidence; k++)
				buf_printf(&b, "       佐证 #%lld %s (%s, %lld bytes)\n",
					   (long long)p->evidence[k].id, p->evidence[k].name,
					   p->evidence[k].mime, (long long)p->evidence[k].size);
		}
		for (size_t i = 0; i < t.n_extensions; i++) {
			const struct task_extension *x = &t.extensions[i];
			char d[11];
			store_day_format(x->to_day, d);
			buf_printf(&b, "  延期 → %s %s (%s): %s\n", d, x->state, x->requester,
				   x->reason);
		}
		for (size_t i = 0; i < t.n_events; i++) {
			const struct task_event *v = &t.events[i];
			char at[32];
			store_day_time(v->day, v->at, c->day, at, sizeof at);
			buf_printf(&b, "  %s %-14s %s → %s  %s%s%s\n", at, v->action,
				   v->from < TASK_STATUS__MAX ? task_status_name(v->from) : "",
				   task_status_name(v->to), v->actor, *v->reason ? ": " : "",
				   v->reason);
		}
		buf_puts(&b, "  you may:");
		for (int a = 0; a < TACT__MAX; a++)
			if (t.actions & (1u << a))
				buf_printf(&b, " %s", task_action_name((enum task_action)a));
		buf_putc(&b, '\n');
	}
	task_release(&t);
	return cli_out(&b);
}

typedef VEC(int64_t) id_vec;

/* --commitment: the measures that state the commitments ks, added to
 * *measures (the task's current measures first when keep_current: the
 * commitments are linked beside what the task has); *added counts the
 * measures that were not there. */
static int commitments_to_measures(struct cli *c, int64_t task, int keep_current,
				   const int64_t *ks, size_t nk, id_vec *ms, size_t *added)
{
	*added = 0;
	struct err e = {0};
	if (keep_current) {
		struct task t;
		if (store_task_get(c->st, &c->who, task, c->day, &t, &e))
			return cli_fail(&e);
		for (size_t i = 0; i < t.n_measures; i++)
			*VEC_PUSH(*ms) = t.measures[i].node_id;
		task_release(&t);
	}
	for (size_t i = 0; i < nk; i++) {
		int64_t node;
		if (store_commitment_measure(c->st, &c->who, ks[i], &node, &e))
			return cli_fail(&e);
		size_t k = 0;
		while (k < ms->n && ms->v[k] != node)
			k++;
		if (k == ms->n) {
			*VEC_PUSH(*ms) = node;
			(*added)++;
		}
	}
	return 0;
}

int cmd_task_assign(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"leader", required_argument, NULL, 'L'},
					     {"unit", required_argument, NULL, 'u'},
					     {"deadline", required_argument, NULL, 'd'},
					     {"goal", required_argument, NULL, 'g'},
					     {"measure", required_argument, NULL, 'm'},
					     {"commitment", required_argument, NULL, 'k'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	struct task_assign a = {0};
	const char *leader = NULL, *unit = NULL;
	int64_t expect = 0;
	id_vec ms = {0};
	id_vec ks = {0};                /* --commitment: their measures are added */
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'L': leader = optarg; break;
		case 'u': unit = optarg; break;
		case 'd':
			if (deadline_parse(optarg, &a.deadline_kind, &a.deadline)) {
				fprintf(stderr, "rectify: --deadline takes YYYY-MM-DD, ongoing or "
						"immediate\n");
				VEC_FREE(ms);
				return 2;
			}
			break;
		case 'g': a.goal = optarg; break;
		case 'm':
			a.set_measures = 1;
			if (cli_parse_id(optarg, VEC_PUSH(ms))) {
				VEC_FREE(ms);
				VEC_FREE(ks);
				return cli_usage("task assign");
			}
			break;
		case 'k':
			if (cli_parse_id(optarg, VEC_PUSH(ks))) {
				VEC_FREE(ms);
				VEC_FREE(ks);
				return cli_usage("task assign");
			}
			break;
		case 'V':
			if (cli_parse_version(optarg, &expect)) {
				VEC_FREE(ms);
				VEC_FREE(ks);
				return 2;
			}
			break;
		case 'A': c->as = optarg; break;
		default: VEC_FREE(ms); VEC_FREE(ks); return cli_usage("task assign");
		}
	}
	int64_t id;
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id)) {
		VEC_FREE(ms);
		VEC_FREE(ks);
		return cli_usage("task assign");
	}
	if (!leader && !unit && a.deadline_kind == DEADLINE_NONE && !a.goal && !a.set_measures &&
	    !ks.n) {
		fprintf(stderr, "rectify: nothing to assign: give --leader, --unit, --deadline, "
				"--goal, --measure or --commitment\n");
		VEC_FREE(ms);
		return 2;
	}
	int64_t version, nv;
	struct err e = {0};
	size_t added = 0;
	int keep = !a.set_measures;
	int r = cli_setup(c);
	if (r || (leader && (r = cli_user_id(c, leader, &a.leader_id))) ||
	    (unit && (r = cli_unit_id(c, unit, &a.unit_id))) ||
	    (r = cli_task_version(c, id, expect, &version)) ||
	    (ks.n && (r = commitments_to_measures(c, id, keep, ks.v, ks.n, &ms, &added))))
		goto done;
	if (keep && ks.n && !added && !leader && !unit && a.deadline_kind == DEADLINE_NONE &&
	    !a.goal) {
		printf("task %lld: its measures state the commitment%s already; nothing changed\n",
		       (long long)id, ks.n > 1 ? "s" : "");
		goto done;
	}
	if (keep && ks.n && !added)
		ms.n = 0;               /* the measures stay as they are */
	else if (ms.n)
		a.set_measures = 1;
	a.measure_ids = ms.v;
	a.n_measures = ms.n;
	if (store_task_assign(c->st, &c->who, id, version, &a, c->day, &nv, &e))
		r = cli_fail(&e);
	else
		printf("task %lld assigned (version %lld)\n", (long long)id, (long long)nv);
done:
	VEC_FREE(ms);
	VEC_FREE(ks);
	return r;
}

int cmd_task_progress(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"text", required_argument, NULL, 't'},
					     {"evidence", required_argument, NULL, 'e'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *text = NULL;
	int64_t expect = 0;
	VEC(struct evidence_in) ev = {0};
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't': text = optarg; break;
		case 'e': cli_evidence(VEC_PUSH(ev), optarg); break;
		case 'V':
			if (cli_parse_version(optarg, &expect)) {
				VEC_FREE(ev);
				return 2;
			}
			break;
		case 'A': c->as = optarg; break;
		default: VEC_FREE(ev); return cli_usage("task progress");
		}
	}
	int64_t id;
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) || !text || !c->as) {
		VEC_FREE(ev);
		return cli_usage("task progress");
	}
	struct err e = {0};
	int64_t version, pid, nv;
	int r = cli_setup(c);
	if (!r && !(r = cli_task_version(c, id, expect, &version)) &&
	    store_task_progress(c->st, &c->who, id, version, text, ev.v, ev.n, c->day, &pid, &nv,
				&e))
		r = cli_fail(&e);
	size_t n = ev.n;
	VEC_FREE(ev);
	if (r)
		return r;
	printf("task %lld: progress %lld recorded with %zu evidence file%s (version %lld)\n",
	       (long long)id, (long long)pid, n, n == 1 ? "" : "s", (long long)nv);
	return 0;
}

/* submit, approve, return, reopen, stage, confirm. */
static int task_act(struct cli *c, int argc, char **argv, enum task_action a, const char *name)
{
	static const struct option opts[] = {{"reason", required_argument, NULL, 'r'},
					     {"note", required_argument, NULL, 'r'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *reason = NULL;
	int64_t expect = 0;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': reason = optarg; break;
		case 'V':
			if (cli_parse_version(optarg, &expect))
				return 2;
			break;
		case 'A': c->as = optarg; break;
		default: return cli_usage(name);
		}
	}
	int64_t id;
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) || !c->as)
		return cli_usage(name);
	int64_t version;
	int r = cli_setup(c);
	if (r || (r = cli_task_version(c, id, expect, &version)))
		return r;
	struct err e = {0};
	int64_t nv;
	if (store_task_act(c->st, &c->who, id, version, a, reason, c->day, &nv, &e))
		return cli_fail(&e);
	printf("task %lld: %s (version %lld)\n", (long long)id, task_action_label(a), (long long)nv);
	return 0;
}

int cmd_task_submit(struct cli *c, int argc, char **argv)
{
	return task_act(c, argc, argv, TACT_SUBMIT, "task submit");
}
int cmd_task_approve(struct cli *c, int argc, char **argv)
{
	return task_act(c, argc, argv, TACT_APPROVE, "task approve");
}
int cmd_task_return(struct cli *c, int argc, char **argv)
{
	return task_act(c, argc, argv, TACT_RETURN, "task return");
}
int cmd_task_reopen(struct cli *c, int argc, char **argv)
{
	return task_act(c, argc, argv, TACT_REOPEN, "task reopen");
}
int cmd_task_stage(struct cli *c, int argc, char **argv)
{
	return task_act(c, argc, argv, TACT_STAGE, "task stage");
}
int cmd_task_confirm(struct cli *c, int argc, char **argv)
{
	return task_act(c, argc, argv, TACT_CONFIRM, "task confirm");
}

int cmd_task_extend(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"to", required_argument, NULL, 't'},
					     {"reason", required_argument, NULL, 'r'},
					     {"note", required_argument, NULL, 'r'},
					     {"approve", no_argument, NULL, 'y'},
					     {"refuse", no_argument, NULL, 'n'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *reason = NULL;
	int32_t to = STORE_NO_DAY;
	int decide = -1, ch;
	int64_t expect = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (store_day_parse(optarg, &to)) {
				fprintf(stderr, "rectify: --to takes a date YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'r': reason = optarg; break;
		case 'y':
		case 'n':
			if (decide >= 0 && decide != (ch == 'y')) {
				fprintf(stderr, "rectify: --approve or --refuse, not both\n");
				return 2;
			}
			decide = ch == 'y';
			break;
		case 'V':
			if (cli_parse_version(optarg, &expect))
				return 2;
			break;
		case 'A': c->as = optarg; break;
		default: return cli_usage("task extend");
		}
	}
	int64_t id;
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) || !c->as)
		return cli_usage("task extend");
	if (decide < 0 && to == STORE_NO_DAY)
		return cli_usage("task extend"); /* the reason: the store's rule W10 */
	if (decide >= 0 && to != STORE_NO_DAY) {
		fprintf(stderr, "rectify: --to asks for an extension; --approve and --refuse decide "
				"the pending one: give one or the other\n");
		return 2;
	}
	int64_t version;
	int r = cli_setup(c);
	if (r || (r = cli_task_version(c, id, expect, &version)))
		return r;
	struct err e = {0};
	int64_t nv, ext = 0;
	enum rc rc = decide < 0 ? store_task_extend(c->st, &c->who, id, version, to, reason, c->day,
						    &ext, &nv, &e)
				: store_task_extend_decide(c->st, &c->who, id, version, 0, decide, reason,
							   c->day, &nv, &e);
	if (rc)
		return cli_fail(&e);
	if (decide < 0)
		printf("task %lld: extension %lld requested (version %lld)\n", (long long)id,
		       (long long)ext, (long long)nv);
	else
		printf("task %lld: extension %s (version %lld)\n", (long long)id,
		       decide ? "approved" : "refused", (long long)nv);
	return 0;
}

/* ---- the benchmarks' generator, the crash test's writer ---------------------------------- */

int cmd_test_ledger(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"units", required_argument, NULL, 'u'},
					     {"tasks", required_argument, NULL, 't'},
					     {"progress", required_argument, NULL, 'p'},
					     {"seed", required_argument, NULL, 's'},
					     {NULL, 0, NULL, 0}};
	int units = 50, tasks = 1000, progress = 10000;
	unsigned long long seed = 1;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'u': units = atoi(optarg); break;
		case 't': tasks = atoi(optarg); break;
		case 'p': progress = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		default: return cli_usage("test-ledger");
		}
	}
	int r = cli_setup(c);
	if (r)
		return r;
	struct err e = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum rc rc = store_test_generate(c->st, units, tasks, progress, c->day, seed, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc)
		return cli_fail(&e);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("generated %d units, %d tasks, %d progress entries in %.2f s: %.0f rows/s\n", units,
	       tasks, progress, s, (tasks + progress) / (s > 0 ? s : 1));
	return 0;
}

/* Write progress entries in a loop, printing "ack TEXT" after each commit:
 * the crash test kills this with SIGKILL and then looks for every
 * acknowledged text in the database. */
int cmd_test_writer(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'A'},
					     {"count", required_argument, NULL, 'n'},
					     {"tag", required_argument, NULL, 't'},
					     {NULL, 0, NULL, 0}};
	const char *tag = "w";
	int count = 100, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'A': c->as = optarg; break;
		case 'n': count = atoi(optarg); break;
		case 't': tag = optarg; break;
		default: return cli_usage("test-writer");
		}
	}
	int r = cli_setup(c);
	if (r)
		return r;
	struct task_filter f = TASK_FILTER_INIT;
	f.per_page = TASK_PER_PAGE_MAX;
	struct task_list l;
	struct err e = {0};
	if (store_task_list(c->st, &c->who, &f, c->day, &l, &e) || l.n == 0) {
		task_list_release(&l);
		fprintf(stderr, "rectify: no task to write to\n");
		return 1;
	}
	for (int i = 0; i < count; i++) {
		int64_t id = l.rows[(size_t)i % l.n].id;
		char text[96];
		snprintf(text, sizeof text, "%s-%d", tag, i);
		int64_t version = 0;
		if ((r = cli_task_version(c, id, 0, &version)))
			break;
		if (store_task_progress(c->st, &c->who, id, version, text, NULL, 0, c->day, NULL, NULL,
					&e)) {
			r = cli_fail(&e);
			break;
		}
		printf("%s\n", text);
		fflush(stdout);
	}
	task_list_release(&l);
	return r;
}
