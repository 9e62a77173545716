/*
 * cli_office.c -- the office-format commands:
 *
 *   rectify export --format xlsx|csv [--campaign ID] [--as LOGIN] -o FILE
 *   rectify report --format docx|md|html [--campaign ID] [--as-of DATE] [--charts yes|no] [--as LOGIN] -o FILE
 *   rectify import-ledger FILE.xlsx|FILE.csv [--campaign ID] [--dry-run] [--skip-bad]
 *                         [--again] [--as LOGIN]
 *
 * Exports read the database read-only, as the acting user sees it (--as;
 * the local operator sees everything), and write through export.h, which
 * never leaves a half-written file.  import-ledger reads the spreadsheet
 * (sheet.h), shows how its columns were understood, lists the rows it could
 * not read, the units it will create and the leaders it cannot match to a
 * user (their names are kept as the tasks' leader_text), and writes nothing
 * unless every row is understood (or --skip-bad leaves those rows out);
 * then it creates the missing units and imports the rows in one store
 * transaction.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "export.h"
#include "sheet.h"
#include "store.h"
#include "text.h"

/* ---- the rows of the ledger, for export.h --------------------------------- */

struct rows {
	struct store *st;
	struct who w;
	int64_t campaign;
	int32_t today;
	struct task_iter *it;
	size_t count;
};

static enum rc rows_next(void *ctx, const struct export_row **row, struct err *e)
{
	struct rows *r = ctx;
	enum rc rc = store_task_iter_next(r->it, row, e);
	if (!rc && *row)
		r->count++;
	return rc;
}

static const char *ext_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* Options shared by export and report. */
struct out_opts {
	enum export_format format;
	int have_format;
	int64_t campaign;
	const char *out, *as_of;
	int charts;                     /* --charts: 1 yes, 0 no, -1 not given */
};

static int out_opts_parse(struct cli *c, const char *cmd, int argc, char **argv,
			  struct out_opts *o)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"campaign", required_argument, NULL, 'c'},
					     {"output", required_argument, NULL, 'o'},
					     {"as", required_argument, NULL, 'A'},
					     {"as-of", required_argument, NULL, 'd'},
					     {"charts", required_argument, NULL, 'C'},
					     {NULL, 0, NULL, 0}};
	memset(o, 0, sizeof *o);
	o->charts = -1;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (export_format_parse(optarg, &o->format)) {
				fprintf(stderr, "rectify: unknown format '%s'\n", optarg);
				return 2;
			}
			o->have_format = 1;
			break;
		case 'c':
			if (cli_parse_id(optarg, &o->campaign)) {
				fprintf(stderr, "rectify: --campaign takes a campaign id\n");
				return 2;
			}
			break;
		case 'o': o->out = optarg; break;
		case 'A': c->as = optarg; break;
		case 'd': o->as_of = optarg; break;
		case 'C':
			if (strcmp(cmd, "report") != 0)
				return cli_usage(cmd);
			if (strcmp(optarg, "yes") == 0)
				o->charts = 1;
			else if (strcmp(optarg, "no") == 0)
				o->charts = 0;
			else {
				fprintf(stderr, "rectify: --charts takes yes or no\n");
				return 2;
			}
			break;
		default: return cli_usage(cmd);
		}
	}
	if (optind != argc || !o->out)
		return cli_usage(cmd);
	if (!o->have_format && export_format_parse(ext_of(o->out), &o->format) == 0)
		o->have_format = 1;
	if (!o->have_format) {
		fprintf(stderr, "rectify: say --format, or name the output with its extension\n");
		return 2;
	}
	return 0;
}

/* Everything an export needs, loaded from the store (c->st); released by
 * ledger_close(). */
struct loaded {
	struct rows rows;
	struct campaign_list camp;
	struct dashboard dash;
	struct commitment_list commits;
	struct event_list events;
	struct export_ledger l;
};

static void ledger_close(struct loaded *x)
{
	store_task_iter_close(x->rows.it);
	campaign_list_release(&x->camp);
	dashboard_release(&x->dash);
	commitment_list_release(&x->commits);
	event_list_release(&x->events);
}

static int ledger_load(struct cli *c, const struct out_opts *o, int with_events, struct loaded *x)
{
	memset(x, 0, sizeof *x);
	struct err e = {0};
	/* --as-of DATE is the day of the lights and the compliance. */
	if (o->as_of) {
		c->needs &= ~(unsigned)CMD_TODAY;
		if (store_today(o->as_of, &c->day, &e))
			return cli_fail(&e);
	}
	int r = cli_setup(c);
	if (r)
		return r;
	struct store *st = c->st;
	const struct who *w = &c->who;
	int32_t today = c->day;
	int64_t campaign = o->campaign;
	enum rc rc = RC_OK;
	if (!campaign)
		rc = store_campaign_current(st, &campaign, &e);
	if (!rc)
		rc = store_campaign_get(st, w, campaign, &x->camp, &e);
	if (!rc)
		rc = store_dashboard(st, w, campaign, today, &x->dash, &e);
	if (!rc)
		rc = store_commitment_list(st, w, campaign, today, &x->commits, &e);
	if (!rc && with_events)
		rc = store_event_list(st, w, campaign, &x->events, &e);
	x->rows = (struct rows){st, *w, campaign, today, NULL, 0};
	if (!rc)
		rc = store_task_iter_open(st, w, campaign, today, &x->rows.it, &e);
	if (rc) {
		ledger_close(x);
		return cli_fail(&e);
	}
	const struct campaign *cp = &x->camp.v[0];
	x->l = (struct export_ledger){
		.title = cp->title, .report_title = cp->report_title, .year = cp->year,
		.as_of = today, .next = rows_next,
		.ctx = &x->rows, .dash = &x->dash,
		.commitments = &x->commits, .events = with_events ? &x->events : NULL};
	return 0;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	struct out_opts o;
	int r = out_opts_parse(c, "export", argc, argv, &o);
	if (r)
		return r;
	if (o.format != EXPORT_XLSX && o.format != EXPORT_CSV) {
		struct buf b = BUF_INIT(0);
		cli_command(c, "report", argc, argv, NULL, &b);
		fprintf(stderr, "rectify: the ledger exports as xlsx or csv; the report is written "
				"as docx, md or html: '%s'\n", b.p);
		buf_release(&b);
		return 2;
	}
	struct loaded x;
	if ((r = ledger_load(c, &o, o.format == EXPORT_XLSX, &x)))
		return r;
	struct err e = {0};
	enum rc rc = o.format == EXPORT_XLSX ? export_ledger_xlsx(&x.l, o.out, &e)
					     : export_ledger_csv(&x.l, o.out, &e);
	size_t n = x.rows.count;
	ledger_close(&x);
	if (rc)
		return cli_fail(&e);
	printf("wrote %s: %zu tasks\n", o.out, n);
	return 0;
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	struct out_opts o;
	int r = out_opts_parse(c, "report", argc, argv, &o);
	if (r)
		return r;
	if (o.format != EXPORT_DOCX && o.format != EXPORT_MD && o.format != EXPORT_HTML) {
		struct buf b = BUF_INIT(0);
		cli_command(c, "export", argc, argv, NULL, &b);
		fprintf(stderr, "rectify: the report is written as docx, md or html; the ledger "
				"exports as xlsx or csv: '%s'\n", b.p);
		buf_release(&b);
		return 2;
	}
	struct loaded x;
	if ((r = ledger_load(c, &o, 0, &x)))
		return r;
	struct err e = {0};
	struct report_style style;
	enum rc rc = store_report_style(c->st, &style, &e);
	if (!rc) {
		x.l.report_to = style.to;
		x.l.signer = style.signer;
		/* Charts: as asked, else the setting for the .docx, always in HTML. */
		x.l.charts = o.charts >= 0 ? o.charts : o.format == EXPORT_DOCX ? style.docx_charts : 1;
		rc = export_report(&x.l, o.format, o.out, &e);
	}
	report_style_release(&style);
	size_t n = x.rows.count;
	ledger_close(&x);
	if (rc)
		return cli_fail(&e);
	printf("wrote %s: the report with %zu tasks in its appendix\n", o.out, n);
	return 0;
}

/* ---- import-ledger ------------------------------------------------------- */

/* "3, 5, 9" for the rows that name s in field f (at most 12). */
static void rows_naming(const struct sheet_ledger *l, int field, const char *s, char *out,
			size_t size)
{
	size_t o = 0, k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < l->n_rows && o + 16 < size; i++) {
		const char *v = field == SF_UNIT ? l->rows[i].unit : l->rows[i].leader;
		if (v && strcmp(v, s) == 0) {
			if (k++ == 12) {
				o += (size_t)snprintf(out + o, size - o, ", …");
				break;
			}
			o += (size_t)snprintf(out + o, size - o, "%s%u", k > 1 ? ", " : "", l->nums[i]);
		}
	}
}

int cmd_import_ledger(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"campaign", required_argument, NULL, 'c'},
					     {"dry-run", no_argument, NULL, 'n'},
					     {"skip-bad", no_argument, NULL, 's'},
					     {"again", no_argument, NULL, 'g'},
					     {"as", required_argument, NULL, 'A'},
					     {"year", required_argument, NULL, 'y'},
					     {"title", required_argument, NULL, 't'},
					     {NULL, 0, NULL, 0}};
	int64_t campaign = 0;
	int dry = 0, skip_bad = 0, again = 0, ch, year = 0;
	const char *title = NULL;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (cli_parse_id(optarg, &campaign)) {
				fprintf(stderr, "rectify: --campaign takes a campaign id\n");
				return 2;
			}
			break;
		case 'n': dry = 1; break;
		case 's': skip_bad = 1; break;
		case 'g': again = 1; break;
		case 'A': c->as = optarg; break;
		case 'y':
			year = atoi(optarg);
			if (year < 1900 || year > 9999) {
				fprintf(stderr, "rectify: --year takes a year such as 2024\n");
				return 2;
			}
			break;
		case 't': title = optarg; break;
		default: return cli_usage("import-ledger");
		}
	}
	if (optind != argc - 1)
		return cli_usage("import-ledger");
	const char *path = argv[optind];
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	struct err e = {0};
	char *data;
	size_t len;
	if (util_read_file(path, SHEET_MAX_FILE, &data, &len, &e))
		return cli_fail(&e);
	struct sheet sh;
	enum rc rc = sheet_read(data, len, base, &sh, &e);
	free(data);
	if (rc) {
		sheet_release(&sh);
		fprintf(stderr, "rectify: %s: %s\n", path, e.msg);
		return rc_exit_code(rc);
	}

	struct campaign_list camp = {0};
	struct sheet_ledger map = {0};
	struct ledger_names names = {0};
	int exit_code = 0;
	char made[600];                 /* the campaign to open, when there is none */
	made[0] = '\0';
	if (dry)
		c->needs &= ~(unsigned)CMD_WRITE;
	if ((exit_code = cli_setup(c)))
		goto out;
	struct store *st = c->st;
	const struct who *w = &c->who;
	int32_t today = c->day;
	if (!campaign && (rc = store_campaign_current(st, &campaign, &e)) == RC_NOTFOUND) {
		/* No campaign yet: open one of the sheet's year and title. */
		campaign = 0;
		if ((rc = sheet_ledger_map(&sh, year, &map, &e))) {
			exit_code = cli_fail(&e);
			goto out;
		}
		if (!year)
			year = map.year;
		if (!title && *map.title)
			title = map.title;
		if (!year) {
			int y, m, d;
			store_day_to_ymd(today, &y, &m, &d);
			char ys[16];
			snprintf(ys, sizeof ys, "%d", y);
			const char *words[] = {"--year", ys, NULL};
			struct buf b = BUF_INIT(0);
			cli_command(c, "import-ledger", argc, argv, words, &b);
			fprintf(stderr, "rectify: there is no campaign yet and %s names no year (in a "
					"title row or a dated deadline): give it with --year YEAR "
					"[--title TITLE], e.g. '%s'\n", base, b.p);
			buf_release(&b);
			exit_code = 2;
			goto out;
		}
		if (title)
			snprintf(made, sizeof made, "%s", title);
		else
			snprintf(made, sizeof made, "%d年度整改台账", year);
		title = made;           /* the map's title goes with the map */
		sheet_ledger_release(&map);
		printf("there is no campaign yet: %s campaign %d %s\n",
		       dry ? "would create" : "creating", year, title);
		rc = RC_OK;
	} else if (!rc && (year || title)) {
		/* A campaign exists: --year and --title would be silently lost. */
		int y = year;
		if (!y) {
			int m, d;
			store_day_to_ymd(today, &y, &m, &d);
		}
		char t[600];
		if (title)
			snprintf(t, sizeof t, "%s", title);
		else
			snprintf(t, sizeof t, "%d年度整改台账", y);
		struct buf b = BUF_INIT(0);
		char ys[16];
		snprintf(ys, sizeof ys, "%d", y);
		const char *words[] = {"--year", ys, "--title", t, NULL};
		cli_command(c, "campaign new", 1, argv, words, &b);
		fprintf(stderr, "rectify: --year and --title name the campaign to open when there is "
				"none, and the import goes into campaign %lld: leave them out, "
				"or open another first with '%s'\n", (long long)campaign, b.p);
		buf_release(&b);
		exit_code = 2;
		goto out;
	} else if (!rc) {
		rc = store_campaign_get(st, w, campaign, &camp, &e);
		if (!rc)
			year = camp.v[0].year;
	}
	if (rc || (rc = sheet_ledger_map(&sh, year, &map, &e)) ||
	    (rc = store_ledger_names(st, map.rows, map.n_rows, &names, &e))) {
		exit_code = cli_fail(&e);
		goto out;
	}

	printf("%s: %s%s%s, %zu rows; header on row %u\n", base, sh.format,
	       *sh.name ? " sheet " : "", sh.name, sh.n_rows, map.header_num);
	for (int f = 0; f < SF__MAX; f++) {
		/* field names are Chinese: pad to 14 columns, two a character */
		const char *fn = sheet_field_name(f);
		int pad = 14;
		for (const char *q = fn; *q; q += text_utf8_len((unsigned char)*q))
			pad -= (unsigned char)*q >= 0x80 ? 2 : 1;
		if (map.col[f] < 0)
			printf("  %s%*s (no column)\n", fn, pad > 0 ? pad : 0, "");
		else
			printf("  %s%*s ← column %c%s “%s”%s\n", fn, pad > 0 ? pad : 0, "",
			       'A' + map.col[f] % 26, map.col[f] >= 26 ? "…" : "", map.header[f],
			       f == SF_SEQ || f == SF_LIGHT || f == SF_EVIDENCE || f == SF_NOTE ? " (not imported)" : "");
	}

	/* Units to create, leaders no account answers to. */
	char nums[160];
	for (size_t i = 0; i < names.n_new_units; i++) {
		rows_naming(&map, SF_UNIT, names.new_units[i], nums, sizeof nums);
		printf("%s unit %s (rows %s)\n", i ? "            " : (dry ? "would create" : "creating    "),
		       names.new_units[i], nums);
	}
	struct buf hint = BUF_INIT(0);
	if (names.n_lost)
		cli_hint(c, "task assign", "ID --leader LOGIN", &hint);
	for (size_t i = 0; i < names.n_lost; i++) {
		rows_naming(&map, SF_LEADER, names.lost[i], nums, sizeof nums);
		printf("no single leader named %s (rows %s): the tasks are imported without a "
		       "leader, the name kept as written; assign one with '%s'\n",
		       names.lost[i], nums, hint.p);
	}
	buf_release(&hint);
	for (size_t i = 0; i < map.n_bad; i++)
		printf("row %u not understood: %s\n", map.bad[i].num, map.bad[i].why);

	if (dry) {
		printf("the first rows as they would be imported:\n");
		for (size_t i = 0; i < map.n_rows && i < 5; i++) {
			const struct ledger_row *r = &map.rows[i];
			printf("  row %u: [%s] %.120s | 措施 %.60s | %s | %s | %s | %s\n", map.nums[i],
			       r->area, r->problem, r->measures, r->leader ? r->leader : "-",
			       *r->unit ? r->unit : "-", *r->deadline ? r->deadline : "-",
			       *r->status ? r->status : "-");
		}
		printf("dry run: %zu rows understood, %zu not; nothing written\n", map.n_rows,
		       map.n_bad);
		exit_code = map.n_bad ? 1 : 0;
	} else if (map.n_bad && !skip_bad) {
		fprintf(stderr, "rectify: %zu rows not understood; nothing written ('--skip-bad' "
				"imports the others)\n", map.n_bad);
		exit_code = 2;
	} else if (!map.n_rows) {
		fprintf(stderr, "rectify: no row to import\n");
		exit_code = 2;
	} else {
		/* One transaction: the new units are made with the tasks, or
		 * nothing is. */
		struct import_result res;
		unsigned flags = LEDGER_NEW_UNITS | LEDGER_LEADER_TEXT | (again ? LEDGER_AGAIN : 0);
		if (campaign)
			rc = store_ledger_import(st, w, campaign, map.rows, map.n_rows, base, flags,
						 today, &res, &e);
		else
			rc = store_ledger_import_new(st, w, year, title, map.rows, map.n_rows, base,
						     flags, today, &res, &e);
		if (rc) {
			exit_code = cli_fail(&e);
		} else {
			printf("imported %d tasks into campaign %lld (report %lld), %d units created%s\n",
			       res.n_tasks, (long long)res.campaign_id, (long long)res.report_id,
			       res.n_units_created,
			       map.n_bad ? "; rows not understood were left out" : "");
		}
	}
out:
	ledger_names_release(&names);
	sheet_ledger_release(&map);
	sheet_release(&sh);
	campaign_list_release(&camp);
	return exit_code;
}
