/*
 * cli_campaign.c -- the campaigns (批次) and what goes into them:
 *   campaign new --year Y --title T [--areas FILE] [--carry-over FROM]   open one
 *   campaign list                                 the campaigns, * at the current
 *   campaign set ID --report-title TITLE          the title of its report
 *   import FILE [--dry-run] [--campaign ID|new]   a report, one task per problem item
 *   check [--json] [--campaign ID]                对账: what the ledger is missing
 * An import goes into the campaign of the report's year; a report of another
 * year is refused with the two commands to choose from.  --dry-run writes
 * nothing and opens the database read-only.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "doc.h"
#include "lint.h"
#include "text.h"

int cmd_campaign_new(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"year", required_argument, NULL, 'y'},
					     {"title", required_argument, NULL, 't'},
					     {"theme", required_argument, NULL, 'T'},
					     {"areas", required_argument, NULL, 'a'},
					     {"carry-over", required_argument, NULL, 'c'},
					     {"start", required_argument, NULL, 's'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	struct campaign_new cn = {0};
	cn.started = STORE_NO_DAY;
	const char *areas = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'y': cn.year = atoi(optarg); break;
		case 't': cn.title = optarg; break;
		case 'T': cn.theme = optarg; break;
		case 'a': areas = optarg; break;
		case 'c':
			if (cli_parse_id(optarg, &cn.carry_from)) {
				fprintf(stderr, "rectify: --carry-over takes a campaign id\n");
				return 2;
			}
			break;
		case 's':
			if (store_day_parse(optarg, &cn.started)) {
				fprintf(stderr, "rectify: --start takes a date YYYY-MM-DD\n");
				return 2;
			}
			break;
		case 'A': c->as = optarg; break;
		default: return cli_usage("campaign new");
		}
	}
	if (optind != argc || !cn.year || !cn.title)
		return cli_usage("campaign new");
	/* Framework areas: one a line. */
	char *text = NULL;
	VEC(const char *) av = {0};
	struct err e = {0};
	if (areas) {
		size_t len;
		if (util_read_file(areas, 1 << 20, &text, &len, &e))
			return cli_fail(&e);
		for (char *line = strtok(text, "\r\n"); line; line = strtok(NULL, "\r\n"))
			if (*line)
				*VEC_PUSH(av) = line;
		cn.areas = av.v;
		cn.n_areas = av.n;
	}
	int64_t id;
	int carried = 0;
	int r = cli_setup(c);
	if (!r && store_campaign_new(c->st, &c->who, &cn, c->day, &id, &carried, &e))
		r = cli_fail(&e);
	free(text);
	VEC_FREE(av);
	if (r)
		return r;
	printf("campaign %lld: %d %s", (long long)id, cn.year, cn.title);
	if (cn.carry_from)
		printf("; %d unfinished tasks carried over from campaign %lld", carried,
		       (long long)cn.carry_from);
	printf("\n");
	return 0;
}

int cmd_campaign_set(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"report-title", required_argument, NULL, 'r'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *title = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': title = optarg; break;
		case 'A': c->as = optarg; break;
		default: return cli_usage("campaign set");
		}
	}
	int64_t id;
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) || !title)
		return cli_usage("campaign set");
	int r = cli_setup(c);
	if (r)
		return r;
	struct err e = {0};
	if (store_campaign_set_report_title(c->st, &c->who, id, title, &e))
		return cli_fail(&e);
	if (*title)
		printf("campaign %lld: the report is titled %s\n", (long long)id, title);
	else
		printf("campaign %lld: the report is titled after the material\n", (long long)id);
	return 0;
}

int cmd_campaign_list(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("campaign list");
	int r = cli_setup(c);
	if (r)
		return r;
	struct campaign_list l;
	struct err e = {0};
	if (store_campaign_list(c->st, &WHO_SYSTEM, &l, &e))
		return cli_fail(&e);
	for (size_t i = 0; i < l.n; i++) {
		char d[11];
		store_day_format(l.v[i].started, d);
		printf("%s%lld  %d  %s  (from %s; %d tasks, %d open", l.v[i].current ? "*" : " ",
		       (long long)l.v[i].id, l.v[i].year, l.v[i].title, d, l.v[i].n_tasks,
		       l.v[i].n_open);
		if (l.v[i].n_carried)
			printf(", %d carried over (转入下一批次)", l.v[i].n_carried);
		printf(")\n");
	}
	campaign_list_release(&l);
	return 0;
}

/* "campaign 3 (2024 某某批次, current)" */
static void campaign_words(const struct campaign *k, struct buf *b)
{
	buf_printf(b, "campaign %lld (%d %s%s)", (long long)k->id, k->year, k->title,
		   k->current ? ", current" : "");
}

/* `rectify import --dry-run`: the tree, the findings of the lint (against
 * the problem items of every campaign in the ledger), and where the report
 * would go.  Reads only. */
static int import_dry_run(struct store *st, const struct who *w, const struct doc *d,
			  const char *path, const struct report_target *t, int64_t campaign,
			  int new_campaign, const struct campaign_list *l)
{
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "== tree ==\n");
	doc_to_text(d, &b);
	struct past_item_list past = {0};
	struct err e = {0};
	if (store_past_items(st, w, 0, &past, &e)) {
		buf_release(&b);
		return cli_fail(&e);
	}
	struct lint_priors pr = {0};
	for (size_t i = 0; i < past.n; i++) {
		char origin[600];
		snprintf(origin, sizeof origin, "%d: %s", past.v[i].year, past.v[i].lead);
		lint_priors_add(&pr, past.v[i].text, origin);
	}
	past_item_list_release(&past);
	struct lint_opts o = {.prior = pr.v, .n_prior = pr.n};
	struct lint_result r = {0};
	lint_run(d, &o, &r);
	buf_puts(&b, "\n== lint (材料体检) ==\n");
	lint_to_text(&r, path, &b);
	lint_summary_text(&r.summary, 1, &b);
	lint_result_release(&r);
	lint_priors_release(&pr);
	buf_puts(&b, "\n== campaign ==\n");
	if (t->year)
		buf_printf(&b, "the report is of %d; ", t->year);
	else
		buf_puts(&b, "the report names no year; ");
	if (t->current) {
		buf_puts(&b, "the current campaign is ");
		campaign_words(t->current, &b);
	} else {
		buf_puts(&b, "there is no campaign yet");
	}
	buf_putc(&b, '\n');
	const struct campaign *into = NULL;
	for (size_t i = 0; campaign && i < l->n; i++)
		if (l->v[i].id == campaign)
			into = &l->v[i];
	if (new_campaign || (!campaign && !t->current)) {
		buf_printf(&b, "would create campaign %d %s and import %d tasks into it\n",
			   t->new_year, t->new_title, t->n_tasks);
	} else if (into || (!t->ambiguous && (into = t->current))) {
		buf_printf(&b, "would import %d tasks into ", t->n_tasks);
		campaign_words(into, &b);
		buf_putc(&b, '\n');
	} else {
		buf_puts(&b, "choose: --campaign new (would create campaign ");
		buf_printf(&b, "%d %s)", t->new_year, t->new_title);
		if (t->match)
			buf_printf(&b, ", --campaign %lld (of %d)", (long long)t->match->id,
				   t->match->year);
		buf_printf(&b, " or --campaign %lld (the current one)\n",
			   (long long)t->current->id);
	}
	buf_puts(&b, "dry run: nothing written\n");
	return cli_out(&b);
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"campaign", required_argument, NULL, 'c'},
					     {"owner", required_argument, NULL, 'o'},
					     {"again", no_argument, NULL, 'g'},
					     {"dry-run", no_argument, NULL, 'n'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	struct report_import in = {0};
	const char *owner = NULL;
	int ch, dry = 0, chosen = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			chosen = 1;
			if (strcmp(optarg, "new") == 0) {
				in.new_campaign = 1;
			} else if (cli_parse_id(optarg, &in.campaign_id)) {
				struct buf b = BUF_INIT(0);
				cli_hint(c, "campaign list", "", &b);
				fprintf(stderr, "rectify: --campaign takes a campaign id ('%s' "
						"shows them) or 'new'\n", b.p);
				buf_release(&b);
				return 2;
			}
			break;
		case 'o': owner = optarg; break;
		case 'g': in.again = 1; break;
		case 'n': dry = 1; break;
		case 'A': c->as = optarg; break;
		default: return cli_usage("import");
		}
	}
	if (optind != argc - 1)
		return cli_usage("import");
	const char *path = argv[optind];
	struct err e = {0};
	char *data;
	size_t len;
	if (util_read_file(path, TEXT_MAX_INPUT, &data, &len, &e))
		return cli_fail(&e);
	struct doc *d;
	enum rc rc = doc_parse(data, len, path, &d, &e);
	free(data);
	if (rc) {
		fprintf(stderr, "rectify: %s: %s\n", path, e.msg);
		return rc_exit_code(rc);
	}
	if (dry)
		c->needs &= ~(unsigned)CMD_WRITE;
	struct campaign_list l = {0};
	int r = cli_setup(c);
	if (r || (owner && (r = cli_user_id(c, owner, &in.owner_id))))
		goto done;
	if (store_campaign_list(c->st, &c->who, &l, &e)) {
		r = cli_fail(&e);
		goto done;
	}
	const char *base = strrchr(path, '/');
	in.filename = base ? base + 1 : path;
	struct report_target t;
	report_target(d, in.filename, c->day, &l, &t);
	if (in.campaign_id) {
		bool known = false;
		for (size_t i = 0; i < l.n; i++)
			known = known || l.v[i].id == in.campaign_id;
		if (!known) {
			struct buf b = BUF_INIT(0);
			cli_hint(c, "campaign list", "", &b);
			fprintf(stderr, "rectify: no campaign %lld ('%s' shows them)\n",
				(long long)in.campaign_id, b.p);
			buf_release(&b);
			r = 2;
			goto done;
		}
	}
	if (dry) {
		r = import_dry_run(c->st, &c->who, d, path, &t, in.campaign_id, in.new_campaign, &l);
		goto done;
	}
	if (!chosen && t.ambiguous) {
		/* A report of another year: which campaign is the office's call. */
		struct buf b = BUF_INIT(0);
		char cur[24], other[24];
		snprintf(cur, sizeof cur, "%lld", (long long)t.current->id);
		snprintf(other, sizeof other, "%lld", t.match ? (long long)t.match->id : 0LL);
		const char *x1[] = {"--campaign", t.match ? other : "new", NULL};
		const char *x2[] = {"--campaign", cur, NULL};
		buf_printf(&b, "rectify: %s is of %d and the current campaign is %lld (%d %s): run '",
			   in.filename, t.year, (long long)t.current->id, t.current->year,
			   t.current->title);
		cli_command(c, "import", argc, argv, x1, &b);
		if (t.match)
			buf_printf(&b, "' (campaign %lld is of %d) or '", (long long)t.match->id,
				   t.match->year);
		else
			buf_printf(&b, "' (a new campaign: %d %s) or '", t.new_year, t.new_title);
		cli_command(c, "import", argc, argv, x2, &b);
		buf_puts(&b, "'\n");
		fwrite(b.p, 1, b.len, stderr);
		buf_release(&b);
		r = 2;
		goto done;
	}
	/* Without a choice: the current campaign as checked above (none: the
	 * proposed one is opened). */
	if (!chosen && t.current)
		in.campaign_id = t.current->id;
	struct import_result res;
	rc = store_report_import(c->st, &c->who, d, &in, c->day, &res, &e);
	if (rc) {
		r = cli_fail(&e);
		goto done;
	}
	if (res.campaign_created)
		printf("campaign %lld created from the report: %d %s\n", (long long)res.campaign_id,
		       t.new_year, t.new_title);
	printf("report %lld imported into campaign %lld: %d tasks, %d measures, %d commitments\n",
	       (long long)res.report_id, (long long)res.campaign_id, res.n_tasks, res.n_measures,
	       res.n_commitments);
	struct buf b = BUF_INIT(0);
	if (res.n_units_created) {
		cli_hint(c, "unit rename", "NAME NEW-NAME", &b);
		buf_puts(&b, "' and '");
		cli_hint(c, "unit move", "NAME --parent PARENT", &b);
		printf("%d units created from the report's 责任单位 (rename or move them with "
		       "'%s')\n", res.n_units_created, b.p);
		buf_reset(&b);
	}
	if (res.n_leader_text) {
		cli_hint(c, "task assign", "ID --leader LOGIN", &b);
		printf("%d tasks keep their 责任领导 as the report wrote it (no single leader "
		       "account has that name): '%s'\n", res.n_leader_text, b.p);
	}
	buf_release(&b);
done:
	campaign_list_release(&l);
	doc_free(d);
	return r;
}

/* ---- check (对账) ---------------------------------------------------------------- */

int cmd_check(struct cli *c, int argc, char **argv)
{
	int64_t campaign;
	int json;
	int r = cli_view_opts(c, "check", argc, argv, &json, &campaign);
	if (r || (r = cli_setup(c)))
		return r;
	struct check_report rep;
	struct err e = {0};
	if (store_check(c->st, &c->who, campaign, c->day, &rep, &e))
		return cli_fail(&e);
	struct buf b = BUF_INIT(0);
	if (json) {
		buf_puts(&b, "{\"counts\":{");
		for (int k = 0; k < CHECK__MAX; k++) {
			if (k)
				buf_putc(&b, ',');
			buf_printf(&b, "\"%s\":%d", check_kind_name((enum check_kind)k), rep.count[k]);
		}
		buf_puts(&b, "},\"items\":[");
		for (size_t i = 0; i < rep.n; i++) {
			const struct check_item *x = &rep.v[i];
			buf_printf(&b, "%s{\"kind\":\"%s\",\"id\":%lld,\"seq\":%d,\"label\":",
				   i ? "," : "", check_kind_name(x->kind), (long long)x->id, x->seq);
			buf_json_cstr(&b, x->label);
			buf_puts(&b, ",\"text\":");
			buf_json_cstr(&b, x->text);
			buf_putc(&b, '}');
		}
		buf_puts(&b, "]}\n");
	} else {
		size_t total = 0;
		for (int k = 0; k < CHECK__MAX; k++) {
			if (!rep.count[k])
				continue;
			total += (size_t)rep.count[k];
			buf_printf(&b, "%s (%s): %d\n", check_kind_label((enum check_kind)k),
				   check_kind_name((enum check_kind)k), rep.count[k]);
			for (size_t i = 0; i < rep.n; i++) {
				const struct check_item *x = &rep.v[i];
				if ((int)x->kind != k)
					continue;
				if (x->seq)
					buf_printf(&b, "  task %lld (序号 %d) %s%s\n", (long long)x->id,
						   x->seq, x->label, x->text);
				else
					buf_printf(&b, "  node %lld %s%s\n", (long long)x->id, x->label,
						   x->text);
			}
		}
		if (!total)
			buf_puts(&b, "对账无异常: every problem has a task, every open task a leader, "
				     "unit, deadline and measure, every measure a task.\n");
	}
	check_report_release(&rep);
	return cli_out(&b);
}

