/*
 * cli_commit.c -- the commitments (承诺事项) of a campaign's reports and the
 * activities that keep them:
 *   commitment list [--json] [--campaign ID]   each with its compliance per period
 *                                              and who is behind
 *   activity add --commitment ID --date D --as LOGIN [--who LOGIN,...] [--note T]
 *                [--evidence FILE]...          an activity (学习会, 调研 …) against one
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"

static const char *period_zh(enum doc_period p)
{
	static const char *const n[] = {"每年", "每半年", "每季度", "每月", "每周", ""};
	return (unsigned)p < ARRAY_LEN(n) ? n[p] : "";
}

int cmd_commitment_list(struct cli *c, int argc, char **argv)
{
	int64_t campaign;
	int json;
	int r = cli_view_opts(c, "commitment list", argc, argv, &json, &campaign);
	if (r || (r = cli_setup(c)))
		return r;
	struct commitment_list l;
	struct err e = {0};
	if (store_commitment_list(c->st, &c->who, campaign, c->day, &l, &e))
		return cli_fail(&e);
	struct buf b = BUF_INIT(0);
	if (json)
		buf_puts(&b, "{\"commitments\":[");
	for (size_t i = 0; i < l.n; i++) {
		const struct commitment *x = &l.v[i];
		if (json) {
			buf_printf(&b, "%s{\"id\":%lld,\"text\":", i ? "," : "", (long long)x->id);
			buf_json_cstr(&b, x->text);
			buf_puts(&b, ",\"subject\":");
			buf_json_cstr(&b, x->subject);
			buf_printf(&b, ",\"min\":%d,\"unit\":", x->min);
			buf_json_cstr(&b, x->unit);
			buf_printf(&b, ",\"period\":\"%s\",\"per\":\"%s\",\"activities\":%d,"
				       "\"behind\":%s,\"periods\":[",
				   doc_period_name(x->period), doc_per_name(x->per), x->n_activities,
				   x->behind ? "true" : "false");
			for (size_t k = 0; k < x->n_periods; k++) {
				const struct compliance *p = &x->periods[k];
				buf_printf(&b, "%s{\"start\":", k ? "," : "");
				export_json_day(&b, p->start);
				buf_puts(&b, ",\"end\":");
				export_json_day(&b, p->end);
				buf_printf(&b, ",\"count\":%d,\"expected\":%d,\"current\":%s,\"met\":%s,"
					       "\"behind\":%s,\"behind_who\":[",
					   p->count, p->expected, p->current ? "true" : "false",
					   p->met ? "true" : "false", p->behind ? "true" : "false");
				for (size_t m = 0; m < p->n_behind_who; m++) {
					if (m)
						buf_putc(&b, ',');
					buf_json_cstr(&b, p->behind_who[m]);
				}
				buf_puts(&b, "]}");
			}
			buf_puts(&b, "]}");
			continue;
		}
		buf_printf(&b, "commitment %lld: %s不少于%d%s %s (%s%s; %d activities)\n",
			   (long long)x->id, period_zh(x->period), x->min, x->unit, x->subject,
			   x->per == DOC_PER_MEMBER ? "每名成员" : "班子",
			   x->behind ? "; 有落后" : "", x->n_activities);
		for (size_t k = 0; k < x->n_periods; k++) {
			const struct compliance *p = &x->periods[k];
			char s[11], en[11];
			store_day_format(p->start, s);
			store_day_format(p->end, en);
			const char *state = p->met	   ? "达标"
					    : p->behind && p->current ? "序时进度落后"
					    : p->behind		      ? "未达标"
									: "进行中";
			buf_printf(&b, "  %s..%s  %d/%d  %s", s, en, p->count, x->min, state);
			if (p->current)
				buf_printf(&b, " (序时应达 %d)", p->expected);
			for (size_t m = 0; m < p->n_behind_who; m++)
				buf_printf(&b, "%s%s", m ? "、" : "  落后: ", p->behind_who[m]);
			buf_putc(&b, '\n');
		}
	}
	if (json)
		buf_puts(&b, "]}\n");
	else if (!l.n)
		buf_puts(&b, "no commitments in this campaign\n");
	commitment_list_release(&l);
	return cli_out(&b);
}

int cmd_activity_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"commitment", required_argument, NULL, 'c'},
					     {"date", required_argument, NULL, 'd'},
					     {"who", required_argument, NULL, 'w'},
					     {"note", required_argument, NULL, 'n'},
					     {"evidence", required_argument, NULL, 'e'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	struct activity_new a = {0};
	a.day = STORE_NO_DAY;
	const char *who = NULL;
	VEC(struct evidence_in) ev = {0};
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (cli_parse_id(optarg, &a.commitment_id)) {
				VEC_FREE(ev);
				return cli_usage("activity add");
			}
			break;
		case 'd':
			if (store_day_parse(optarg, &a.day)) {
				fprintf(stderr, "rectify: --date takes YYYY-MM-DD\n");
				VEC_FREE(ev);
				return 2;
			}
			break;
		case 'w': who = optarg; break;
		case 'n': a.note = optarg; break;
		case 'e': cli_evidence(VEC_PUSH(ev), optarg); break;
		case 'A': c->as = optarg; break;
		default: VEC_FREE(ev); return cli_usage("activity add");
		}
	}
	if (optind != argc || !a.commitment_id || a.day == STORE_NO_DAY || !c->as) {
		VEC_FREE(ev);
		return cli_usage("activity add");
	}
	VEC(int64_t) ids = {0};
	int r = cli_setup(c);
	if (!r && who) {
		char *list = xstrdup(who);
		for (char *s = strtok(list, ","); s && !r; s = strtok(NULL, ","))
			r = cli_user_id(c, s, VEC_PUSH(ids));
		free(list);
	}
	a.who_ids = ids.v;
	a.n_who = ids.n;
	a.evidence = ev.v;
	a.n_evidence = ev.n;
	struct err e = {0};
	int64_t id;
	if (!r && store_activity_add(c->st, &c->who, &a, c->day, &id, &e))
		r = cli_fail(&e);
	VEC_FREE(ev);
	VEC_FREE(ids);
	if (r)
		return r;
	printf("activity %lld recorded\n", (long long)id);
	return 0;
}

