/*
 * cli_notify.c -- 催办 and notifications on the command line:
 *   task urge ID --as LOGIN [--message TEXT] [--expect-version V]
 *   notify list --as LOGIN [--all]       the user's inbox (unread, or all)
 *   notify read --as LOGIN (--all | ID…) mark read
 *   notify sweep                          the day's deadline reminders
 *   notify test --to LOGIN                a test message through each channel
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "notify.h"
#include "store.h"

int cmd_task_urge(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"message", required_argument, NULL, 'm'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *msg = NULL;
	int64_t expect = 0, id;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': msg = optarg; break;
		case 'V':
			if (cli_parse_id(optarg, &expect)) {
				fprintf(stderr, "rectify: --expect-version takes the task's version "
						"('task show')\n");
				return 2;
			}
			break;
		case 'A': c->as = optarg; break;
		default: return cli_usage("task urge");
		}
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) || !c->as)
		return cli_usage("task urge");
	int64_t version, nv = 0;
	int r = cli_setup(c);
	if (r || (r = cli_task_version(c, id, expect, &version)))
		return r;
	struct err e = {0};
	if (store_task_urge(c->st, &c->who, id, version, msg, c->day, &nv, &e))
		return cli_fail(&e);
	printf("task %lld: 催办 (version %lld)\n", (long long)id, (long long)nv);
	return 0;
}

/* The options of notify list and notify read: --as LOGIN (c->as), --all.
 * 0, or -1 on an unknown option. */
static int as_all(struct cli *c, int argc, char **argv, bool *all)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'A'},
					     {"all", no_argument, NULL, 'a'},
					     {NULL, 0, NULL, 0}};
	*all = false;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'A': c->as = optarg; break;
		case 'a': *all = true; break;
		default: return -1;
		}
	}
	return 0;
}

int cmd_notify_list(struct cli *c, int argc, char **argv)
{
	bool all;
	if (as_all(c, argc, argv, &all) || optind != argc || !c->as)
		return cli_usage("notify list");
	int r = cli_setup(c);
	if (r)
		return r;
	struct notification_list l = {0};
	struct err e = {0};
	int64_t unread = 0;
	int32_t today;          /* after the user, for the times of the list */
	enum rc rc = cli_today(c, &today, &e);
	if (!rc)
		rc = store_notify_list(c->st, &c->who, 0, NOTIFY_PAGE_MAX, &l, &e);
	if (!rc)
		rc = store_notify_unread(c->st, &c->who, &unread, &e);
	if (rc) {
		notification_list_release(&l);
		return cli_fail(&e);
	}
	printf("%lld unread\n", (long long)unread);
	for (size_t i = 0; i < l.n; i++) {
		if (!all && l.v[i].read)
			continue;
		char at[32];
		store_day_time(l.v[i].day, l.v[i].at, today, at, sizeof at);
		printf("%6lld %s %-20s %s%s\n", (long long)l.v[i].id, at, l.v[i].event,
		       l.v[i].read ? "" : "* ", l.v[i].text);
	}
	notification_list_release(&l);
	return 0;
}

int cmd_notify_read(struct cli *c, int argc, char **argv)
{
	bool all;
	if (as_all(c, argc, argv, &all))
		return cli_usage("notify read");
	size_t n = (size_t)(argc - optind);
	if (!c->as || (!all && !n) || (all && n) || n > NOTIFY_READ_MAX)
		return cli_usage("notify read");
	int64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		if (cli_parse_id(argv[optind + (int)i], &ids[i])) {
			free(ids);
			return cli_usage("notify read");
		}
	struct err e = {0};
	int changed = 0;
	int r = cli_setup(c);
	if (!r && store_notify_read(c->st, &c->who, ids, n, all, &changed, &e))
		r = cli_fail(&e);
	free(ids);
	if (r)
		return r;
	printf("%d marked read\n", changed);
	return 0;
}

int cmd_notify_sweep(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("notify sweep");
	int r = cli_setup(c);
	if (r)
		return r;
	struct err e = {0};
	int made = 0;
	if (store_notify_sweep(c->st, c->day, &made, &e))
		return cli_fail(&e);
	printf("%d reminders\n", made);
	return 0;
}

int cmd_notify_test(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"to", required_argument, NULL, 't'},
					     {NULL, 0, NULL, 0}};
	const char *to = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 't')
			to = optarg;
		else
			return cli_usage("notify test");
	}
	if (optind != argc || !to)
		return cli_usage("notify test");
	int r = cli_setup(c);
	if (r)
		return r;
	char out[2048];
	struct err e = {0};
	enum rc rc = notify_test(c->st, to, out, sizeof out, &e);
	fputs(out, stdout);
	if (rc)
		return cli_fail(&e);
	return 0;
}
