/*
 * cli_notify.c -- 催办 and notifications on the command line:
 *   task urge ID --as LOGIN [--message TEXT] [--expect-version V]
 *   notify list --as LOGIN [--all]       the user's inbox (unread, or all)
 *   notify read --as LOGIN (--all | ID…) mark read
 *   notify sweep                          the day's deadline reminders
 *   notify test --to LOGIN                a test message through each channel
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "notify.h"
#include "store.h"

static int open_store(struct cli *c, unsigned flags, struct store **st)
{
	struct err e = {0};
	if (store_open(c->db_path, flags, st, &e))
		return cli_fail(&e);
	return 0;
}

static int positive(const char *s, int64_t *v)
{
	if (!s || !*s)
		return -1;
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (*end || errno || x <= 0)
		return -1;
	*v = x;
	return 0;
}

static int login_who(struct store *st, const char *login, struct who *w)
{
	struct err e = {0};
	if (store_user_who(st, login, w, &e))
		return cli_fail(&e);
	return 0;
}

int cmd_task_urge(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"message", required_argument, NULL, 'm'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *msg = NULL, *as = NULL;
	int64_t expect = 0, id;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': msg = optarg; break;
		case 'V':
			if (positive(optarg, &expect)) {
				fprintf(stderr, "rectify: --expect-version takes the task's version "
						"('task show')\n");
				return 2;
			}
			break;
		case 'A': as = optarg; break;
		default: return cli_usage("task urge");
		}
	}
	if (optind != argc - 1 || positive(argv[optind], &id) || !as)
		return cli_usage("task urge");
	struct err e = {0};
	int32_t today;
	if (cli_today(c, &today, &e))
		return cli_fail(&e);
	struct store *st;
	int r = open_store(c, 0, &st);
	if (r)
		return r;
	struct who w;
	if ((r = login_who(st, as, &w))) {
		store_close(st);
		return r;
	}
	int64_t version = expect;
	enum rc rc = RC_OK;
	if (!version) {
		struct task t;
		rc = store_task_get(st, &w, id, today, &t, &e);
		version = t.version;
		task_release(&t);
	}
	int64_t nv = 0;
	if (!rc)
		rc = store_task_urge(st, &w, id, version, msg, today, &nv, &e);
	store_close(st);
	if (rc)
		return cli_fail(&e);
	printf("task %lld: 催办 (version %lld)\n", (long long)id, (long long)nv);
	return 0;
}

/* The options of notify list and notify read: --as LOGIN, --all.  0, or
 * -1 on an unknown option. */
static int as_all(int argc, char **argv, const char **as, bool *all)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'A'},
					     {"all", no_argument, NULL, 'a'},
					     {NULL, 0, NULL, 0}};
	*as = NULL;
	*all = false;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'A': *as = optarg; break;
		case 'a': *all = true; break;
		default: return -1;
		}
	}
	return 0;
}

int cmd_notify_list(struct cli *c, int argc, char **argv)
{
	const char *as;
	bool all;
	if (as_all(argc, argv, &as, &all) || optind != argc || !as)
		return cli_usage("notify list");
	struct store *st;
	int r = open_store(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct who w;
	if ((r = login_who(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct notification_list l = {0};
	struct err e = {0};
	int64_t unread = 0;
	int32_t today;
	enum rc rc = cli_today(c, &today, &e);
	if (!rc)
		rc = store_notify_list(st, &w, 0, NOTIFY_PAGE_MAX, &l, &e);
	if (!rc)
		rc = store_notify_unread(st, &w, &unread, &e);
	store_close(st);
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
	const char *as;
	bool all;
	if (as_all(argc, argv, &as, &all))
		return cli_usage("notify read");
	size_t n = (size_t)(argc - optind);
	if (!as || (!all && !n) || (all && n) || n > NOTIFY_READ_MAX)
		return cli_usage("notify read");
	int64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		if (positive(argv[optind + (int)i], &ids[i])) {
			free(ids);
			return cli_usage("notify read");
		}
	struct store *st;
	int r = open_store(c, 0, &st);
	struct who w;
	if (!r && (r = login_who(st, as, &w)))
		store_close(st);
	if (r) {
		free(ids);
		return r;
	}
	struct err e = {0};
	int changed = 0;
	enum rc rc = store_notify_read(st, &w, ids, n, all, &changed, &e);
	free(ids);
	store_close(st);
	if (rc)
		return cli_fail(&e);
	printf("%d marked read\n", changed);
	return 0;
}

int cmd_notify_sweep(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("notify sweep");
	struct err e = {0};
	int32_t today;
	if (cli_today(c, &today, &e))
		return cli_fail(&e);
	struct store *st;
	int r = open_store(c, 0, &st);
	if (r)
		return r;
	int made = 0;
	enum rc rc = store_notify_sweep(st, today, &made, &e);
	store_close(st);
	if (rc)
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
	struct store *st;
	int r = open_store(c, STORE_READONLY, &st);
	if (r)
		return r;
	char out[2048];
	struct err e = {0};
	enum rc rc = notify_test(st, to, out, sizeof out, &e);
	store_close(st);
	fputs(out, stdout);
	if (rc)
		return cli_fail(&e);
	return 0;
}

/* ---- the channels' settings, e-mail addresses -------------------------------------------- */

int cli_text_setting_set(struct cli *c, enum store_text_setting s, const char *value,
			 int64_t expect, const char *as)
{
	struct store *st;
	int r = open_store(c, 0, &st);
	if (r)
		return r;
	struct who w = WHO_SYSTEM;
	if (as && (r = login_who(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct err e = {0};
	char *cur;
	int64_t ver, nv = 0;
	enum rc rc = store_text_setting_get(st, s, &cur, &ver, &e);
	free(cur);
	if (!rc)
		rc = store_text_setting_set(st, &w, s, value, expect >= 0 ? expect : ver, &nv, &e);
	store_close(st);
	if (rc)
		return cli_fail(&e);
	printf("%s = %s (version %lld)\n", store_text_setting_key(s),
	       store_text_setting_secret(s) ? "(set)" : value, (long long)nv);
	return 0;
}

int cli_text_settings_print(struct store *st)
{
	for (int i = 0; i < TSET__MAX; i++) {
		enum store_text_setting s = (enum store_text_setting)i;
		char *v;
		int64_t ver;
		struct err e = {0};
		if (store_text_setting_get(st, s, &v, &ver, &e))
			return cli_fail(&e);
		printf("%-16s %s  (version %lld)  %s\n", store_text_setting_key(s),
		       !v[0] ? "\"\"" : store_text_setting_secret(s) ? "(set)" : v, (long long)ver,
		       store_text_setting_label(s));
		free(v);
	}
	return 0;
}

int cli_user_email(struct cli *c, const char *login, const char *email, int64_t expect,
		   const char *as)
{
	struct store *st;
	int r = open_store(c, 0, &st);
	if (r)
		return r;
	struct who w = WHO_SYSTEM;
	if (as && (r = login_who(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct err e = {0};
	struct user_list ul;
	enum rc rc = store_user_list(st, &w, &ul, &e);
	const struct user *u = NULL;
	for (size_t i = 0; !rc && i < ul.n; i++)
		if (strcmp(ul.v[i].login, login) == 0)
			u = &ul.v[i];
	if (!rc && !u)
		rc = ERR(&e, RC_NOTFOUND, "no user '%s'", login);
	int64_t nv = 0, id = u ? u->id : 0;
	if (!rc)
		rc = store_user_email(st, &w, id, expect >= 0 ? expect : u->version, email, &nv, &e);
	user_list_release(&ul);
	store_close(st);
	if (rc)
		return cli_fail(&e);
	printf("user %lld: %s e-mail %s (version %lld)\n", (long long)id, login,
	       *email ? email : "cleared", (long long)nv);
	return 0;
}
