/*
 * cli_unit.c -- the units (单位) on the command line:
 *   unit add NAME [--parent NAME]             a unit, at the top or under another
 *   unit list                                 the tree, with versions
 *   unit rename NAME NEW-NAME                 a new name
 *   unit move NAME (--parent NAME | --top)    another place in the tree
 * Each change is one store call against --expect-version or the version the
 * unit has now, as the acting user (--as).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cmd_unit_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"parent", required_argument, NULL, 'p'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *parent = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'p')
			parent = optarg;
		else if (ch == 'A')
			c->as = optarg;
		else
			return cli_usage("unit add");
	}
	if (optind != argc - 1)
		return cli_usage("unit add");
	int64_t pid = 0, id;
	int r = cli_setup(c);
	if (r || (parent && (r = cli_unit_id(c, parent, &pid))))
		return r;
	struct err e = {0};
	if (store_unit_add(c->st, &c->who, argv[optind], pid, &id, &e))
		return cli_fail(&e);
	printf("unit %lld: %s\n", (long long)id, argv[optind]);
	return 0;
}

int cmd_unit_list(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("unit list");
	int r = cli_setup(c);
	if (r)
		return r;
	struct unit_list l;
	struct err e = {0};
	if (store_unit_list(c->st, &WHO_SYSTEM, &l, &e))
		return cli_fail(&e);
	for (size_t i = 0; i < l.n; i++)
		printf("%*s%s  (unit %lld, %d users, %d tasks, version %lld)\n", 2 * l.v[i].depth, "",
		       l.v[i].name, (long long)l.v[i].id, l.v[i].n_users, l.v[i].n_tasks,
		       (long long)l.v[i].version);
	unit_list_release(&l);
	return 0;
}

/* unit rename NAME NEW and unit move NAME (--parent P | --top): one change
 * of one unit, against --expect-version or the version it has now. */
static int unit_change(struct cli *c, int argc, char **argv, int move)
{
	const char *cmd = move ? "unit move" : "unit rename";
	static const struct option opts[] = {{"parent", required_argument, NULL, 'p'},
					     {"top", no_argument, NULL, 't'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *parent = NULL;
	int top = 0, ch;
	int64_t expect = -1;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': parent = optarg; break;
		case 't': top = 1; break;
		case 'V':
			if (cli_parse_row_version(optarg, &expect, "unit list"))
				return 2;
			break;
		case 'A': c->as = optarg; break;
		default: return cli_usage(cmd);
		}
	}
	if (optind != argc - (move ? 1 : 2) || (move && !parent == !top) ||
	    (!move && (parent || top)))
		return cli_usage(cmd);
	struct unit_change ch2 = {0};
	int64_t id;
	int r = cli_setup(c);
	if (r || (r = cli_unit_id(c, argv[optind], &id)) ||
	    (parent && (r = cli_unit_id(c, parent, &ch2.parent_id))))
		return r;
	struct err e = {0};
	struct unit u;
	struct arena ar = {0};
	enum rc rc = store_unit_get(c->st, id, &u, &ar, &e);
	arena_release(&ar);
	ch2.version = expect >= 0 ? expect : u.version;
	ch2.move = move;
	ch2.name = move ? NULL : argv[optind + 1];
	int64_t nv = 0;
	if (!rc)
		rc = store_unit_update(c->st, &c->who, id, &ch2, &nv, &e);
	if (rc)
		return cli_fail(&e);
	printf("unit %lld: %s (version %lld)\n", (long long)id, move ? "moved" : "renamed",
	       (long long)nv);
	return 0;
}

int cmd_unit_rename(struct cli *c, int argc, char **argv)
{
	return unit_change(c, argc, argv, 0);
}

int cmd_unit_move(struct cli *c, int argc, char **argv)
{
	return unit_change(c, argc, argv, 1);
}
