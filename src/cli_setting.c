/*
 * cli_setting.c -- the settings on the command line:
 *   setting list                                the numbers (review_months, due_days, …)
 *                                               and the texts (channels, report_to, today, …)
 *   setting set KEY VALUE [--expect-version V]  one of either, against its version
 * A secret text setting (smtp_password) is shown as "(set)", never its value.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* The text settings, one a line after the numbers. */
static int text_settings_print(struct store *st)
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

int cmd_setting_list(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("setting list");
	int r = cli_setup(c);
	if (r)
		return r;
	struct err e = {0};
	for (int i = 0; i < SETTING__MAX; i++) {
		const struct setting_info *si = store_setting_info((enum store_setting)i);
		int64_t v, ver;
		if (store_setting_get(c->st, (enum store_setting)i, &v, &ver, &e))
			return cli_fail(&e);
		printf("%-16s %6lld  (%lld..%lld, default %lld; version %lld)  %s\n", si->key,
		       (long long)v, (long long)si->lo, (long long)si->hi, (long long)si->def,
		       (long long)ver, si->label);
	}
	return text_settings_print(c->st);
}

/* setting set KEY VALUE of a text setting, against expect or its version now. */
static int text_setting_set(struct cli *c, enum store_text_setting s, const char *value,
			    int64_t expect)
{
	int r = cli_setup(c);
	if (r)
		return r;
	struct err e = {0};
	char *cur;
	int64_t ver, nv = 0;
	enum rc rc = store_text_setting_get(c->st, s, &cur, &ver, &e);
	free(cur);
	if (!rc)
		rc = store_text_setting_set(c->st, &c->who, s, value, expect >= 0 ? expect : ver,
					    &nv, &e);
	if (rc)
		return cli_fail(&e);
	printf("%s = %s (version %lld)\n", store_text_setting_key(s),
	       store_text_setting_secret(s) ? "(set)" : value, (long long)nv);
	return 0;
}

int cmd_setting_set(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	int64_t expect = -1, value;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'V') {
			if (cli_parse_row_version(optarg, &expect, "setting list"))
				return 2;
		} else if (ch == 'A') {
			c->as = optarg;
		} else {
			return cli_usage("setting set");
		}
	}
	enum store_setting s;
	char *end;
	if (optind != argc - 2)
		return cli_usage("setting set");
	const char *key = argv[optind], *text = argv[optind + 1];
	enum store_text_setting ts;
	if (store_text_setting_parse(key, &ts) == 0)
		return text_setting_set(c, ts, text, expect);
	if (store_setting_parse(key, &s) != 0) {
		struct buf b = BUF_INIT(0);
		cli_hint(c, "setting list", "", &b);
		fprintf(stderr, "rectify: no setting '%s' ('%s' shows them)\n", key, b.p);
		buf_release(&b);
		return 2;
	}
	errno = 0;
	value = strtoll(text, &end, 10);
	if (!*text || *end || errno) {
		fprintf(stderr, "rectify: a setting's value is a whole number, not '%s'\n", text);
		return 2;
	}
	int r = cli_setup(c);
	if (r)
		return r;
	struct err e = {0};
	int64_t cur, ver, nv = 0;
	enum rc rc = store_setting_get(c->st, s, &cur, &ver, &e);
	if (!rc)
		rc = store_setting_set(c->st, &c->who, s, value, expect >= 0 ? expect : ver, &nv, &e);
	if (rc)
		return cli_fail(&e);
	printf("%s = %lld (version %lld)\n", key, (long long)value, (long long)nv);
	return 0;
}
