/*
 * cli_ledger.c -- the ledger's commands: init, unit, user, campaign,
 * import, task …, check, activity, commitment, verify, backup, restore, and
 * the hidden test-ledger that fills a database for the benchmarks.
 *
 * Every command opens the database (--db, RECTIFY_DB, rectify.db), finds
 * the acting user (--as LOGIN; without it, the local operator with the
 * office's rights, recorded as "system"), reads "today" from RECTIFY_TODAY
 * or the clock, and makes one store call, which is one transaction.  The
 * JSON outputs are documented in docs/LEDGER-JSON.md.
 */
#include <errno.h>
#include <dirent.h>
#include <getopt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "doc.h"
#include "export.h"
#include "lint.h"
#include "store.h"
#include "text.h"

/* ---- shared helpers ----------------------------------------------------- */

static int fail(const struct err *e)
{
	return cli_fail(e);
}

static int open_db(struct cli *c, unsigned flags, struct store **st)
{
	struct err e = {0};
	if (store_open(c->db_path, flags, st, &e))
		return fail(&e);
	return 0;
}

static int get_today(struct cli *c, int32_t *day)
{
	struct err e = {0};
	if (cli_today(c, day, &e))
		return fail(&e);
	return 0;
}

static int parse_id(const char *s, int64_t *id)
{
	if (!s || !*s)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* --expect-version V: a positive number, else a usage error (a typo must
 * not turn into "whatever version is current"). */
static int parse_version(const char *s, int64_t *v)
{
	if (parse_id(s, v) == 0)
		return 0;
	fprintf(stderr, "rectify: --expect-version takes the task's version, a number from "
			"'task show' (not '%s')\n", s);
	return -1;
}

/* --expect-version V of a unit, user or setting: a number, 0 allowed for a
 * setting never set. */
static int parse_row_version(const char *s, int64_t *v, const char *from)
{
	char *end;
	errno = 0;
	long long x = s && *s ? strtoll(s, &end, 10) : -1;
	if (s && *s && !*end && !errno && x >= 0) {
		*v = x;
		return 0;
	}
	fprintf(stderr, "rectify: --expect-version takes the version '%s' shows (not '%s')\n", from,
		s ? s : "");
	return -1;
}

/* The acting user: --as LOGIN, or the local operator. */
static int who_of(struct store *st, const char *login, struct who *w)
{
	if (!login) {
		*w = WHO_SYSTEM;
		return 0;
	}
	struct err e = {0};
	if (store_user_who(st, login, w, &e))
		return fail(&e);
	return 0;
}

static int unit_id_of(struct store *st, const char *name, int64_t *id)
{
	struct err e = {0};
	if (store_unit_find(st, name, id, &e)) {
		e.rc = RC_INVALID;
		return fail(&e);
	}
	return 0;
}

static int user_id_of(struct store *st, const char *login, int64_t *id)
{
	struct who w;
	struct err e = {0};
	if (store_user_who(st, login, &w, &e)) {
		e.rc = RC_INVALID;
		return fail(&e);
	}
	*id = w.user_id;
	return 0;
}

static int out(struct buf *b)
{
	int rc = buf_write(b, stdout) == RC_OK ? 0 : 3;
	buf_release(b);
	if (rc)
		fprintf(stderr, "rectify: cannot write the output\n");
	return rc;
}

/* A password: $RECTIFY_PASSWORD, else asked twice on the terminal without
 * echo.  Returns a malloc'd string or NULL (message printed). */
static char *read_password(const char *who)
{
	const char *env = getenv("RECTIFY_PASSWORD");
	if (env && *env)
		return xstrdup(env);
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty) {
		fprintf(stderr, "rectify: no terminal to ask the password of %s on; set "
				"RECTIFY_PASSWORD\n", who);
		return NULL;
	}
	char *pw[2] = {NULL, NULL};
	struct termios old, quiet;
	int fd = fileno(tty);
	int have = tcgetattr(fd, &old) == 0;
	for (int i = 0; i < 2; i++) {
		fprintf(tty, i ? "again: " : "password for %s: ", who);
		fflush(tty);
		if (have) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(fd, TCSAFLUSH, &quiet);
		}
		char line[STORE_PASSWORD_MAX + 2];
		char *r = fgets(line, sizeof line, tty);
		if (have)
			tcsetattr(fd, TCSAFLUSH, &old);
		fputc('\n', tty);
		if (!r)
			break;
		line[strcspn(line, "\r\n")] = '\0';
		pw[i] = xstrdup(line);
	}
	fclose(tty);
	if (!pw[0] || !pw[1] || strcmp(pw[0], pw[1]) != 0) {
		fprintf(stderr, "rectify: the passwords differ\n");
		free(pw[0]);
		free(pw[1]);
		return NULL;
	}
	free(pw[1]);
	return pw[0];
}

/* 16 letters and digits without the look-alikes (0/O, 1/l/I): about 80 bits. */
static char *random_password(void)
{
	static const char alpha[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char *pw = xmalloc(17);
	for (int i = 0; i < 16; i++)
		pw[i] = alpha[randombytes_uniform(sizeof alpha - 1)];
	pw[16] = '\0';
	return pw;
}

/* ---- init, units, users ------------------------------------------------------ */

int cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"admin", required_argument, NULL, 'a'},
					     {"name", required_argument, NULL, 'n'},
					     {"generate-password", no_argument, NULL, 'g'},
					     {NULL, 0, NULL, 0}};
	const char *admin = NULL, *name = NULL;
	bool generate = false;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			admin = optarg;
		else if (ch == 'n')
			name = optarg;
		else if (ch == 'g')
			generate = true;
		else
			return cli_usage("init");
	}
	if (optind != argc || !admin)
		return cli_usage("init");
	struct store *st;
	int r = open_db(c, STORE_CREATE, &st);
	if (r)
		return r;
	struct user_list ul;
	struct err e = {0};
	if (store_user_list(st, &WHO_SYSTEM, &ul, &e)) {
		store_close(st);
		return fail(&e);
	}
	size_t n = ul.n;
	user_list_release(&ul);
	if (n) {
		store_close(st);
		fprintf(stderr, "rectify: %s is already initialised (it has %zu users)\n", c->db_path,
			n);
		return 1;
	}
	char *pw = generate ? random_password() : read_password(admin);
	if (!pw) {
		store_close(st);
		return 2;
	}
	int64_t id;
	enum rc rc = store_user_add(st, &WHO_SYSTEM, admin, name ? name : admin, ROLE_ADMIN, 0, pw,
				    &id, &e);
	store_close(st);
	if (rc) {
		free(pw);
		return fail(&e);
	}
	printf("initialised %s; admin '%s' (user %lld)\n", c->db_path, admin, (long long)id);
	if (generate)
		printf("the password of '%s' is %s -- shown this once; change it with "
		       "'rectify user update %s --password'\n", admin, pw, admin);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	return 0;
}

int cmd_unit_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"parent", required_argument, NULL, 'p'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *parent = NULL, *as = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'p')
			parent = optarg;
		else if (ch == 'A')
			as = optarg;
		else
			return cli_usage("unit add");
	}
	if (optind != argc - 1)
		return cli_usage("unit add");
	struct store *st;
	int r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	int64_t pid = 0, id;
	if ((r = who_of(st, as, &w)) || (parent && (r = unit_id_of(st, parent, &pid)))) {
		store_close(st);
		return r;
	}
	struct err e = {0};
	enum rc rc = store_unit_add(st, &w, argv[optind], pid, &id, &e);
	store_close(st);
	if (rc)
		return fail(&e);
	printf("unit %lld: %s\n", (long long)id, argv[optind]);
	return 0;
}

int cmd_unit_list(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("unit list");
	struct store *st;
	int r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct unit_list l;
	struct err e = {0};
	enum rc rc = store_unit_list(st, &WHO_SYSTEM, &l, &e);
	store_close(st);
	if (rc)
		return fail(&e);
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
	const char *parent = NULL, *as = NULL;
	int top = 0, ch;
	int64_t expect = -1;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': parent = optarg; break;
		case 't': top = 1; break;
		case 'V':
			if (parse_row_version(optarg, &expect, "unit list"))
				return 2;
			break;
		case 'A': as = optarg; break;
		default: return cli_usage(cmd);
		}
	}
	if (optind != argc - (move ? 1 : 2) || (move && !parent == !top) ||
	    (!move && (parent || top)))
		return cli_usage(cmd);
	struct store *st;
	int r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	struct unit_change ch2 = {0};
	int64_t id;
	if ((r = who_of(st, as, &w)) || (r = unit_id_of(st, argv[optind], &id)) ||
	    (parent && (r = unit_id_of(st, parent, &ch2.parent_id)))) {
		store_close(st);
		return r;
	}
	struct err e = {0};
	struct unit u;
	struct arena ar = {0};
	enum rc rc = store_unit_get(st, id, &u, &ar, &e);
	arena_release(&ar);
	ch2.version = expect >= 0 ? expect : u.version;
	ch2.move = move;
	ch2.name = move ? NULL : argv[optind + 1];
	int64_t nv = 0;
	if (!rc)
		rc = store_unit_update(st, &w, id, &ch2, &nv, &e);
	store_close(st);
	if (rc)
		return fail(&e);
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

int cmd_user_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
					     {"role", required_argument, NULL, 'r'},
					     {"unit", required_argument, NULL, 'u'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *name = NULL, *role = NULL, *unit = NULL, *as = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'u': unit = optarg; break;
		case 'A': as = optarg; break;
		default: return cli_usage("user add");
		}
	}
	enum role ro;
	if (optind != argc - 1 || !name || !role)
		return cli_usage("user add");
	if (role_parse(role, &ro) != 0) {
		fprintf(stderr, "rectify: unknown role '%s' (admin, leader, handler, reviewer, "
				"observer)\n", role);
		return 2;
	}
	struct store *st;
	int r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	int64_t uid = 0, id;
	if ((r = who_of(st, as, &w)) || (unit && (r = unit_id_of(st, unit, &uid)))) {
		store_close(st);
		return r;
	}
	char *pw = read_password(argv[optind]);
	if (!pw) {
		store_close(st);
		return 2;
	}
	struct err e = {0};
	enum rc rc = store_user_add(st, &w, argv[optind], name, ro, uid, pw, &id, &e);
	free(pw);
	store_close(st);
	if (rc)
		return fail(&e);
	printf("user %lld: %s (%s)\n", (long long)id, argv[optind], role_name(ro));
	return 0;
}

int cmd_user_list(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("user list");
	struct store *st;
	int r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct user_list l;
	struct err e = {0};
	enum rc rc = store_user_list(st, &WHO_SYSTEM, &l, &e);
	store_close(st);
	if (rc)
		return fail(&e);
	for (size_t i = 0; i < l.n; i++)
		printf("%-16s %-10s %-20s %-20s version %lld%s\n", l.v[i].login,
		       role_name(l.v[i].role), l.v[i].name, l.v[i].unit_name,
		       (long long)l.v[i].version, l.v[i].active ? "" : "  (inactive)");
	user_list_release(&l);
	return 0;
}

int cmd_user_update(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
					     {"unit", required_argument, NULL, 'u'},
					     {"no-unit", no_argument, NULL, 'U'},
					     {"active", no_argument, NULL, 'a'},
					     {"inactive", no_argument, NULL, 'i'},
					     {"password", no_argument, NULL, 'P'},
					     {"email", required_argument, NULL, 'e'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *role = NULL, *unit = NULL, *as = NULL, *email = NULL;
	int no_unit = 0, active = -1, password = 0, ch;
	int64_t expect = -1;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': role = optarg; break;
		case 'u': unit = optarg; break;
		case 'U': no_unit = 1; break;
		case 'a': active = 1; break;
		case 'i': active = 0; break;
		case 'P': password = 1; break;
		case 'e': email = optarg; break;
		case 'V':
			if (parse_row_version(optarg, &expect, "user list"))
				return 2;
			break;
		case 'A': as = optarg; break;
		default: return cli_usage("user update");
		}
	}
	if (optind != argc - 1 || (unit && no_unit))
		return cli_usage("user update");
	if (email && !role && !unit && !no_unit && active < 0 && !password)
		return cli_user_email(c, argv[optind], email, expect, as);
	if (email)
		return cli_usage("user update"); /* --email goes alone */
	struct user_change uc = {0};
	if (role && role_parse(role, &uc.role) != 0) {
		fprintf(stderr, "rectify: unknown role '%s' (admin, leader, handler, reviewer, "
				"observer)\n", role);
		return 2;
	}
	struct store *st;
	int r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	int64_t id = 0, uid = 0;
	if ((r = who_of(st, as, &w)) || (unit && (r = unit_id_of(st, unit, &uid)))) {
		store_close(st);
		return r;
	}
	/* The user as it is, changed where the options say: any login, active or
	 * not (store_user_who refuses inactive ones). */
	struct user_list ul;
	struct err e = {0};
	enum rc rc = store_user_list(st, &w, &ul, &e);
	const struct user *u = NULL;
	for (size_t i = 0; !rc && i < ul.n; i++)
		if (strcmp(ul.v[i].login, argv[optind]) == 0)
			u = &ul.v[i];
	if (!rc && !u)
		rc = ERR(&e, RC_NOTFOUND, "no user '%s'", argv[optind]);
	char *pw = NULL;
	if (!rc && password && !(pw = read_password(argv[optind])))
		rc = ERR(&e, RC_INVALID, "no new password");
	int64_t nv = 0;
	if (!rc) {
		id = u->id;
		uc.version = expect >= 0 ? expect : u->version;
		if (!role)
			uc.role = u->role;
		uc.unit_id = unit ? uid : no_unit ? 0 : u->unit_id;
		uc.active = active >= 0 ? active : u->active;
		uc.password = pw;
		rc = store_user_update(st, &w, id, &uc, &nv, &e);
	}
	free(pw);
	int64_t had = u ? u->version : 0;
	user_list_release(&ul);
	store_close(st);
	if (rc == RC_INVALID && e.code && strcmp(e.code, STORE_E_NOTHING_TO_CHANGE) == 0) {
		printf("user %lld: %s: nothing to change (version %lld)\n", (long long)id,
		       argv[optind], (long long)had);
		return 0;
	}
	if (rc)
		return fail(&e);
	printf("user %lld: %s updated (version %lld)\n", (long long)id, argv[optind],
	       (long long)nv);
	return 0;
}

/* ---- settings ------------------------------------------------------------------ */

int cmd_setting_list(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("setting list");
	struct store *st;
	int r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct err e = {0};
	for (int i = 0; i < SETTING__MAX; i++) {
		const struct setting_info *si = store_setting_info((enum store_setting)i);
		int64_t v, ver;
		if (store_setting_get(st, (enum store_setting)i, &v, &ver, &e)) {
			store_close(st);
			return fail(&e);
		}
		printf("%-16s %6lld  (%lld..%lld, default %lld; version %lld)  %s\n", si->key,
		       (long long)v, (long long)si->lo, (long long)si->hi, (long long)si->def,
		       (long long)ver, si->label);
	}
	int r2 = cli_text_settings_print(st);
	store_close(st);
	return r2;
}

int cmd_setting_set(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *as = NULL;
	int64_t expect = -1, value;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'V') {
			if (parse_row_version(optarg, &expect, "setting list"))
				return 2;
		} else if (ch == 'A') {
			as = optarg;
		} else {
			return cli_usage("setting set");
		}
	}
	enum store_setting s;
	char *end;
	if (optind != argc - 2)
		return cli_usage("setting set");
	enum store_text_setting ts;
	if (store_text_setting_parse(argv[optind], &ts) == 0)
		return cli_text_setting_set(c, ts, argv[optind + 1], expect, as);
	if (store_setting_parse(argv[optind], &s) != 0) {
		struct buf b = BUF_INIT(0);
		cli_hint(c, "setting list", "", &b);
		fprintf(stderr, "rectify: no setting '%s' ('%s' shows them)\n", argv[optind], b.p);
		buf_release(&b);
		return 2;
	}
	errno = 0;
	value = strtoll(argv[optind + 1], &end, 10);
	if (!*argv[optind + 1] || *end || errno) {
		fprintf(stderr, "rectify: a setting's value is a whole number, not '%s'\n",
			argv[optind + 1]);
		return 2;
	}
	struct store *st;
	int r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	if ((r = who_of(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct err e = {0};
	int64_t cur, ver, nv = 0;
	enum rc rc = store_setting_get(st, s, &cur, &ver, &e);
	if (!rc)
		rc = store_setting_set(st, &w, s, value, expect >= 0 ? expect : ver, &nv, &e);
	store_close(st);
	if (rc)
		return fail(&e);
	printf("%s = %lld (version %lld)\n", argv[optind], (long long)value, (long long)nv);
	return 0;
}

/* ---- campaigns, import ------------------------------------------------------- */

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
	const char *areas = NULL, *as = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'y': cn.year = atoi(optarg); break;
		case 't': cn.title = optarg; break;
		case 'T': cn.theme = optarg; break;
		case 'a': areas = optarg; break;
		case 'c':
			if (parse_id(optarg, &cn.carry_from)) {
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
		case 'A': as = optarg; break;
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
			return fail(&e);
		for (char *line = strtok(text, "\r\n"); line; line = strtok(NULL, "\r\n"))
			if (*line)
				*VEC_PUSH(av) = line;
		cn.areas = av.v;
		cn.n_areas = av.n;
	}
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, 0, &st);
	if (r) {
		free(text);
		VEC_FREE(av);
		return r;
	}
	struct who w;
	if ((r = who_of(st, as, &w))) {
		store_close(st);
		free(text);
		VEC_FREE(av);
		return r;
	}
	int64_t id;
	int carried = 0;
	enum rc rc = store_campaign_new(st, &w, &cn, today, &id, &carried, &e);
	store_close(st);
	free(text);
	VEC_FREE(av);
	if (rc)
		return fail(&e);
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
	const char *title = NULL, *as = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': title = optarg; break;
		case 'A': as = optarg; break;
		default: return cli_usage("campaign set");
		}
	}
	int64_t id;
	if (optind != argc - 1 || parse_id(argv[optind], &id) || !title)
		return cli_usage("campaign set");
	struct store *st;
	int r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	if ((r = who_of(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct err e = {0};
	enum rc rc = store_campaign_set_report_title(st, &w, id, title, &e);
	store_close(st);
	if (rc)
		return fail(&e);
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
	struct store *st;
	int r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct campaign_list l;
	struct err e = {0};
	enum rc rc = store_campaign_list(st, &WHO_SYSTEM, &l, &e);
	store_close(st);
	if (rc)
		return fail(&e);
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
		return fail(&e);
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
	return out(&b);
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
	const char *owner = NULL, *as = NULL;
	int ch, dry = 0, chosen = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			chosen = 1;
			if (strcmp(optarg, "new") == 0) {
				in.new_campaign = 1;
			} else if (parse_id(optarg, &in.campaign_id)) {
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
		case 'A': as = optarg; break;
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
		return fail(&e);
	struct doc *d;
	enum rc rc = doc_parse(data, len, path, &d, &e);
	free(data);
	if (rc) {
		fprintf(stderr, "rectify: %s: %s\n", path, e.msg);
		return rc_exit_code(rc);
	}
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r && dry) {
		struct err oe = {0};
		if (store_open(c->db_path, STORE_READONLY, &st, &oe))
			r = fail(&oe);
	} else if (!r) {
		r = open_db(c, 0, &st);
	}
	if (r) {
		doc_free(d);
		return r;
	}
	struct who w;
	struct campaign_list l = {0};
	if ((r = who_of(st, as, &w)) || (owner && (r = user_id_of(st, owner, &in.owner_id))))
		goto done;
	if (store_campaign_list(st, &w, &l, &e)) {
		r = fail(&e);
		goto done;
	}
	const char *base = strrchr(path, '/');
	in.filename = base ? base + 1 : path;
	struct report_target t;
	report_target(d, in.filename, today, &l, &t);
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
		r = import_dry_run(st, &w, d, path, &t, in.campaign_id, in.new_campaign, &l);
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
	rc = store_report_import(st, &w, d, &in, today, &res, &e);
	if (rc) {
		r = fail(&e);
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
	store_close(st);
	doc_free(d);
	return r;
}

/* ---- tasks: JSON and text views ------------------------------------------------ */

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
	const char *unit = NULL, *leader = NULL, *as = NULL;
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
			if (parse_id(optarg, &f.area_id))
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
			if (parse_id(optarg, &f.campaign_id))
				return cli_usage("task list");
			break;
		case 'r': f.review_due = 1; break;
		case 'A': as = optarg; break;
		default: return cli_usage("task list");
		}
	}
	if (optind != argc)
		return cli_usage("task list");
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct who w;
	if ((r = who_of(st, as, &w)) || (unit && (r = unit_id_of(st, unit, &f.unit_id))) ||
	    (leader && (r = user_id_of(st, leader, &f.leader_id)))) {
		store_close(st);
		return r;
	}
	struct task_list l;
	struct err e = {0};
	enum rc rc = store_task_list(st, &w, &f, today, &l, &e);
	store_close(st);
	if (rc)
		return fail(&e);
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
	return out(&b);
}

int cmd_task_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *as = NULL;
	int json = 0, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'A')
			as = optarg;
		else
			return cli_usage("task show");
	}
	int64_t id;
	if (optind != argc - 1 || parse_id(argv[optind], &id))
		return cli_usage("task show");
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct who w;
	if ((r = who_of(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct task t;
	struct err e = {0};
	struct commitment_list cl = {0};
	enum rc rc = store_task_get(st, &w, id, today, &t, &e);
	if (!rc && !json && t.n_measures)
		rc = store_commitment_list(st, &w, t.campaign_id, today, &cl, &e);
	store_close(st);
	if (rc) {
		if (cl.v)
			commitment_list_release(&cl);
		return fail(&e);
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
			store_day_time(v->day, v->at, today, at, sizeof at);
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
	return out(&b);
}

/* The version to write against: --expect-version, else the current one. */
static int version_of(struct store *st, const struct who *w, int64_t id, int64_t expect,
		      int32_t today, int64_t *version)
{
	if (expect) {
		*version = expect;
		return 0;
	}
	struct task t;
	struct err e = {0};
	if (store_task_get(st, w, id, today, &t, &e))
		return fail(&e);
	*version = t.version;
	task_release(&t);
	return 0;
}

typedef VEC(int64_t) id_vec;

/* --commitment: the measures that state the commitments ks, added to
 * *measures (the task's current measures first when keep_current: the
 * commitments are linked beside what the task has); *added counts the
 * measures that were not there. */
static int commitments_to_measures(struct store *st, const struct who *w, int64_t task,
				   int32_t today, int keep_current, const int64_t *ks, size_t nk,
				   id_vec *ms, size_t *added)
{
	*added = 0;
	struct err e = {0};
	if (keep_current) {
		struct task t;
		if (store_task_get(st, w, task, today, &t, &e))
			return fail(&e);
		for (size_t i = 0; i < t.n_measures; i++)
			*VEC_PUSH(*ms) = t.measures[i].node_id;
		task_release(&t);
	}
	for (size_t i = 0; i < nk; i++) {
		int64_t node;
		if (store_commitment_measure(st, w, ks[i], &node, &e))
			return fail(&e);
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
	const char *leader = NULL, *unit = NULL, *as = NULL;
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
			if (parse_id(optarg, VEC_PUSH(ms))) {
				VEC_FREE(ms);
				VEC_FREE(ks);
				return cli_usage("task assign");
			}
			break;
		case 'k':
			if (parse_id(optarg, VEC_PUSH(ks))) {
				VEC_FREE(ms);
				VEC_FREE(ks);
				return cli_usage("task assign");
			}
			break;
		case 'V':
			if (parse_version(optarg, &expect)) {
				VEC_FREE(ms);
				VEC_FREE(ks);
				return 2;
			}
			break;
		case 'A': as = optarg; break;
		default: VEC_FREE(ms); VEC_FREE(ks); return cli_usage("task assign");
		}
	}
	int64_t id;
	if (optind != argc - 1 || parse_id(argv[optind], &id)) {
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
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, 0, &st);
	if (r) {
		VEC_FREE(ms);
		VEC_FREE(ks);
		return r;
	}
	struct who w;
	int64_t version;
	struct err e = {0};
	size_t added = 0;
	int keep = !a.set_measures;
	if ((r = who_of(st, as, &w)) || (leader && (r = user_id_of(st, leader, &a.leader_id))) ||
	    (unit && (r = unit_id_of(st, unit, &a.unit_id))) ||
	    (r = version_of(st, &w, id, expect, today, &version)) ||
	    (ks.n && (r = commitments_to_measures(st, &w, id, today, keep, ks.v, ks.n, &ms,
						  &added)))) {
		store_close(st);
		VEC_FREE(ms);
		VEC_FREE(ks);
		return r;
	}
	if (keep && ks.n && !added && !leader && !unit && a.deadline_kind == DEADLINE_NONE &&
	    !a.goal) {
		printf("task %lld: its measures state the commitment%s already; nothing changed\n",
		       (long long)id, ks.n > 1 ? "s" : "");
		store_close(st);
		VEC_FREE(ms);
		VEC_FREE(ks);
		return 0;
	}
	int nothing_new = keep && ks.n && !added;
	VEC_FREE(ks);
	if (nothing_new)
		ms.n = 0;               /* the measures stay as they are */
	else if (ms.n)
		a.set_measures = 1;
	a.measure_ids = ms.v;
	a.n_measures = ms.n;
	int64_t nv;
	enum rc rc = store_task_assign(st, &w, id, version, &a, today, &nv, &e);
	store_close(st);
	VEC_FREE(ms);
	if (rc)
		return fail(&e);
	printf("task %lld assigned (version %lld)\n", (long long)id, (long long)nv);
	return 0;
}

/* A MIME type from a file name's extension (what the browser will be told). */
static const char *mime_of(const char *name)
{
	static const struct {
		const char *ext, *mime;
	} types[] = {
		{".pdf", "application/pdf"},
		{".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"},
		{".png", "image/png"},
		{".txt", "text/plain"},
		{".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{".doc", "application/msword"},
		{".xls", "application/vnd.ms-excel"},
		{".zip", "application/zip"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < ARRAY_LEN(types); i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].mime;
	return "application/octet-stream";
}

int cmd_task_progress(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"text", required_argument, NULL, 't'},
					     {"evidence", required_argument, NULL, 'e'},
					     {"expect-version", required_argument, NULL, 'V'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *text = NULL, *as = NULL;
	int64_t expect = 0;
	VEC(struct evidence_in) ev = {0};
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't': text = optarg; break;
		case 'e': {
			struct evidence_in *x = VEC_PUSH(ev);
			const char *base = strrchr(optarg, '/');
			x->name = base ? base + 1 : optarg;
			x->mime = mime_of(x->name);
			x->fd = -1;
			x->path = optarg;
			break;
		}
		case 'V':
			if (parse_version(optarg, &expect)) {
				VEC_FREE(ev);
				return 2;
			}
			break;
		case 'A': as = optarg; break;
		default: VEC_FREE(ev); return cli_usage("task progress");
		}
	}
	int64_t id;
	if (optind != argc - 1 || parse_id(argv[optind], &id) || !text || !as) {
		VEC_FREE(ev);
		return cli_usage("task progress");
	}
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, 0, &st);
	if (r) {
		VEC_FREE(ev);
		return r;
	}
	struct who w;
	int64_t version;
	if ((r = who_of(st, as, &w)) || (r = version_of(st, &w, id, expect, today, &version))) {
		store_close(st);
		VEC_FREE(ev);
		return r;
	}
	struct err e = {0};
	int64_t pid, nv;
	enum rc rc = store_task_progress(st, &w, id, version, text, ev.v, ev.n, today, &pid, &nv, &e);
	store_close(st);
	size_t n = ev.n;
	VEC_FREE(ev);
	if (rc)
		return fail(&e);
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
	const char *reason = NULL, *as = NULL;
	int64_t expect = 0;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': reason = optarg; break;
		case 'V':
			if (parse_version(optarg, &expect))
				return 2;
			break;
		case 'A': as = optarg; break;
		default: return cli_usage(name);
		}
	}
	int64_t id;
	if (optind != argc - 1 || parse_id(argv[optind], &id) || !as)
		return cli_usage(name);
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	int64_t version;
	if ((r = who_of(st, as, &w)) || (r = version_of(st, &w, id, expect, today, &version))) {
		store_close(st);
		return r;
	}
	struct err e = {0};
	int64_t nv;
	enum rc rc = store_task_act(st, &w, id, version, a, reason, today, &nv, &e);
	store_close(st);
	if (rc)
		return fail(&e);
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
	const char *reason = NULL, *as = NULL;
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
			if (parse_version(optarg, &expect))
				return 2;
			break;
		case 'A': as = optarg; break;
		default: return cli_usage("task extend");
		}
	}
	int64_t id;
	if (optind != argc - 1 || parse_id(argv[optind], &id) || !as)
		return cli_usage("task extend");
	if (decide < 0 && to == STORE_NO_DAY)
		return cli_usage("task extend"); /* the reason: the store's rule W10 */
	if (decide >= 0 && to != STORE_NO_DAY) {
		fprintf(stderr, "rectify: --to asks for an extension; --approve and --refuse decide "
				"the pending one: give one or the other\n");
		return 2;
	}
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	int64_t version;
	if ((r = who_of(st, as, &w)) || (r = version_of(st, &w, id, expect, today, &version))) {
		store_close(st);
		return r;
	}
	struct err e = {0};
	int64_t nv, ext = 0;
	enum rc rc = decide < 0 ? store_task_extend(st, &w, id, version, to, reason, today, &ext,
						    &nv, &e)
				: store_task_extend_decide(st, &w, id, version, 0, decide, reason,
							   today, &nv, &e);
	store_close(st);
	if (rc)
		return fail(&e);
	if (decide < 0)
		printf("task %lld: extension %lld requested (version %lld)\n", (long long)id,
		       (long long)ext, (long long)nv);
	else
		printf("task %lld: extension %s (version %lld)\n", (long long)id,
		       decide ? "approved" : "refused", (long long)nv);
	return 0;
}

/* ---- check, commitments, activities ---------------------------------------------- */

int cmd_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"campaign", required_argument, NULL, 'c'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *as = NULL;
	int64_t campaign = 0;
	int json = 0, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'c':
			if (parse_id(optarg, &campaign))
				return cli_usage("check");
			break;
		case 'A': as = optarg; break;
		default: return cli_usage("check");
		}
	}
	if (optind != argc)
		return cli_usage("check");
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct who w;
	if ((r = who_of(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct check_report rep;
	struct err e = {0};
	enum rc rc = store_check(st, &w, campaign, today, &rep, &e);
	store_close(st);
	if (rc)
		return fail(&e);
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
	return out(&b);
}

static const char *period_zh(enum doc_period p)
{
	static const char *const n[] = {"每年", "每半年", "每季度", "每月", "每周", ""};
	return (unsigned)p < ARRAY_LEN(n) ? n[p] : "";
}

int cmd_commitment_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"campaign", required_argument, NULL, 'c'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *as = NULL;
	int64_t campaign = 0;
	int json = 0, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'c':
			if (parse_id(optarg, &campaign))
				return cli_usage("commitment list");
			break;
		case 'A': as = optarg; break;
		default: return cli_usage("commitment list");
		}
	}
	if (optind != argc)
		return cli_usage("commitment list");
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct who w;
	if ((r = who_of(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct commitment_list l;
	struct err e = {0};
	enum rc rc = store_commitment_list(st, &w, campaign, today, &l, &e);
	store_close(st);
	if (rc)
		return fail(&e);
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
	return out(&b);
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
	const char *who = NULL, *as = NULL;
	VEC(struct evidence_in) ev = {0};
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (parse_id(optarg, &a.commitment_id)) {
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
		case 'e': {
			struct evidence_in *x = VEC_PUSH(ev);
			const char *base = strrchr(optarg, '/');
			x->name = base ? base + 1 : optarg;
			x->mime = mime_of(x->name);
			x->fd = -1;
			x->path = optarg;
			break;
		}
		case 'A': as = optarg; break;
		default: VEC_FREE(ev); return cli_usage("activity add");
		}
	}
	if (optind != argc || !a.commitment_id || a.day == STORE_NO_DAY || !as) {
		VEC_FREE(ev);
		return cli_usage("activity add");
	}
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, 0, &st);
	if (r) {
		VEC_FREE(ev);
		return r;
	}
	struct who w;
	VEC(int64_t) ids = {0};
	r = who_of(st, as, &w);
	if (!r && who) {
		char *list = xstrdup(who);
		for (char *s = strtok(list, ","); s && !r; s = strtok(NULL, ","))
			r = user_id_of(st, s, VEC_PUSH(ids));
		free(list);
	}
	if (r) {
		store_close(st);
		VEC_FREE(ev);
		VEC_FREE(ids);
		return r;
	}
	a.who_ids = ids.v;
	a.n_who = ids.n;
	a.evidence = ev.v;
	a.n_evidence = ev.n;
	struct err e = {0};
	int64_t id;
	enum rc rc = store_activity_add(st, &w, &a, today, &id, &e);
	store_close(st);
	VEC_FREE(ev);
	VEC_FREE(ids);
	if (rc)
		return fail(&e);
	printf("activity %lld recorded\n", (long long)id);
	return 0;
}

/* ---- verify, backup, restore ------------------------------------------------------- */

int cmd_verify(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"head", required_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *witness = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'h': witness = optarg; break;
		default: return cli_usage("verify");
		}
	}
	if (optind != argc)
		return cli_usage("verify");
	struct store *st;
	int r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	struct verify_result v;
	struct err e = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum rc rc = witness ? store_verify_witness(st, witness, &v, &e) : store_verify(st, &v, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	store_close(st);
	if (rc)
		return fail(&e);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (!v.ok) {
		printf("verify FAILED: %s\n", v.msg);
		if (v.first_bad)
			printf("first bad audit row: %lld\n", (long long)v.first_bad);
		return 1;
	}
	printf("verify ok: %lld audit rows chained, %lld ledger rows match the log "
	       "(%.0f ms)\n",
	       (long long)v.rows, (long long)v.entities, ms);
	if (witness)
		printf("the recorded head %s is in the chain\n", witness);
	if (v.head[0])
		printf("head %lld:%s\n", (long long)v.head_id, v.head);
	else
		printf("head (empty)\n");
	return 0;
}

int cmd_audit_head(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("audit head");
	struct store *st;
	int r = open_db(c, STORE_READONLY, &st);
	if (r)
		return r;
	char head[STORE_HEAD_LEN];
	struct err e = {0};
	enum rc rc = store_audit_head(st, head, &e);
	store_close(st);
	if (rc)
		return fail(&e);
	printf("%s\n", head[0] ? head : "(empty)");
	return 0;
}

/* rectify-YYYYMMDD-HHMMSS.db or rectify-YYYYMMDD-HHMMSS-N.db (two in one
 * second): the copies the retention counts.  Tagged ones are not. */
static bool backup_name(const char *n)
{
	static const char pat[] = "rectify-dddddddd-dddddd";
	size_t len = strlen(n), k = sizeof pat - 1;
	if (len < k + 3 || strcmp(n + len - 3, ".db") != 0)
		return false;
	for (size_t i = 0; i < k; i++)
		if (pat[i] == 'd' ? n[i] < '0' || n[i] > '9' : n[i] != pat[i])
			return false;
	if (len == k + 3)
		return true;
	if (n[k] != '-' || len == k + 4)
		return false;
	for (size_t i = k + 1; i < len - 3; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	return true;
}

/* Oldest first: by the time in the name, then by the number after it
 * (none counts as 1). */
static int by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int d = strncmp(x, y, 23);
	if (d)
		return d;
	long nx = x[23] == '-' ? atol(x + 24) : 1, ny = y[23] == '-' ? atol(y + 24) : 1;
	return (nx > ny) - (nx < ny);
}

/* Delete the oldest counted copies in dir past the newest keep. */
static int backup_prune(const char *dir, unsigned keep)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "rectify: cannot read %s: %s\n", dir, strerror(errno));
		return 3;
	}
	char **v = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!backup_name(de->d_name))
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(v, n, sizeof *v, by_name);
	int status = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + keep < n) {
			char *p = xasprintf("%s/%s", dir, v[i]);
			if (unlink(p) != 0) {
				fprintf(stderr, "rectify: cannot delete %s: %s\n", p, strerror(errno));
				status = 3;
			} else {
				printf("deleted %s (keeping %u)\n", p, keep);
			}
			free(p);
		}
		free(v[i]);
	}
	free(v);
	return status;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"dir", required_argument, NULL, 'd'},
					     {"keep", required_argument, NULL, 'k'},
					     {"tag", required_argument, NULL, 't'},
					     {NULL, 0, NULL, 0}};
	const char *dir = NULL, *tag = NULL;
	long keep = 0;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'k': {
			char *end;
			keep = strtol(optarg, &end, 10);
			if (*end || keep < 1 || keep > 1000) {
				fprintf(stderr, "rectify: --keep takes 1..1000\n");
				return 2;
			}
			break;
		}
		case 't':
			tag = optarg;
			for (const char *p = tag; *p; p++)
				if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
				      *p == '.' || *p == '_'))
					tag = NULL;
			if (!tag || !*optarg || strlen(optarg) > 64) {
				fprintf(stderr, "rectify: --tag takes a word of a-z, 0-9, '-', '.', '_'\n");
				return 2;
			}
			break;
		default: return cli_usage("backup");
		}
	}
	if (argc - optind > 1 || (optind < argc && (dir || tag)))
		return cli_usage("backup");
	if (!dir && c->conf)
		dir = c->conf->backup_directory;
	if (!keep)
		keep = c->conf && c->conf->backup_keep ? c->conf->backup_keep : CONF_DEFAULT_KEEP;
	if (optind == argc && !dir) {
		fprintf(stderr, "rectify: backup to which file?  Name one, or a directory with --dir "
				"or backup_directory in --config\n");
		return 2;
	}
	struct store *st;
	int r = open_db(c, STORE_READONLY | STORE_AS_IS, &st);
	if (r)
		return r;
	char *dest;
	if (optind < argc) {
		dest = xstrdup(argv[optind]);
	} else {
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
			store_close(st);
			fprintf(stderr, "rectify: cannot make %s: %s\n", dir, strerror(errno));
			return 3;
		}
		char when[32];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
		dest = xasprintf("%s/rectify-%s%s%s.db", dir, when, tag ? "-" : "", tag ? tag : "");
		for (int i = 2; access(dest, F_OK) == 0 && i < 100; i++) {
			free(dest);
			dest = tag ? xasprintf("%s/rectify-%s-%s-%d.db", dir, when, tag, i)
				   : xasprintf("%s/rectify-%s-%d.db", dir, when, i);
		}
	}
	struct err e = {0};
	enum rc rc = store_backup(st, dest, &e);
	store_close(st);
	int schema = 0;
	if (!rc) {
		rc = store_check_copy(dest, &schema, &e);
		if (rc) {
			unlink(dest);
			fprintf(stderr, "rectify: the copy does not check out and was removed\n");
		}
	}
	if (rc) {
		free(dest);
		return fail(&e);
	}
	printf("backed up %s to %s (verified%s)\n", c->db_path, dest,
	       schema < STORE_SCHEMA_VERSION ? "; an older schema: integrity only" : "");
	free(dest);
	if (optind == argc && !tag)
		return backup_prune(dir, (unsigned)keep);
	return 0;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("restore");
	struct err e = {0};
	struct stat a, b;
	if (stat(argv[1], &a) == 0 && stat(c->db_path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) {
		fprintf(stderr, "rectify: %s is the database itself; restore from a backup\n",
			argv[1]);
		return 2;
	}
	/* Keep what is there now, in case the restore was a mistake. */
	if (access(c->db_path, F_OK) == 0) {
		struct store *st;
		if (store_open(c->db_path, STORE_READONLY, &st, &e) == RC_OK) {
			char *keep = xasprintf("%s.before-restore", c->db_path);
			enum rc rc = store_backup(st, keep, &e);
			store_close(st);
			if (rc) {
				free(keep);
				return fail(&e);
			}
			printf("the current database was saved to %s\n", keep);
			free(keep);
		}
	}
	if (store_restore(c->db_path, argv[1], &e))
		return fail(&e);
	printf("restored %s from %s\n", c->db_path, argv[1]);
	return 0;
}

/* ---- the benchmarks' generator -------------------------------------------------------- */

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
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, STORE_CREATE, &st);
	if (r)
		return r;
	struct err e = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum rc rc = store_test_generate(st, units, tasks, progress, today, seed, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	store_close(st);
	if (rc)
		return fail(&e);
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
	const char *as = NULL, *tag = "w";
	int count = 100, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'A': as = optarg; break;
		case 'n': count = atoi(optarg); break;
		case 't': tag = optarg; break;
		default: return cli_usage("test-writer");
		}
	}
	struct store *st;
	int32_t today;
	int r = get_today(c, &today);
	if (!r)
		r = open_db(c, 0, &st);
	if (r)
		return r;
	struct who w;
	if ((r = who_of(st, as, &w))) {
		store_close(st);
		return r;
	}
	struct task_filter f = TASK_FILTER_INIT;
	f.per_page = TASK_PER_PAGE_MAX;
	struct task_list l;
	struct err e = {0};
	if (store_task_list(st, &w, &f, today, &l, &e) || l.n == 0) {
		store_close(st);
		task_list_release(&l);
		fprintf(stderr, "rectify: no task to write to\n");
		return 1;
	}
	for (int i = 0; i < count; i++) {
		int64_t id = l.rows[(size_t)i % l.n].id;
		char text[96];
		snprintf(text, sizeof text, "%s-%d", tag, i);
		int64_t version = 0;
		if ((r = version_of(st, &w, id, 0, today, &version)))
			break;
		if (store_task_progress(st, &w, id, version, text, NULL, 0, today, NULL, NULL, &e)) {
			r = fail(&e);
			break;
		}
		printf("%s\n", text);
		fflush(stdout);
	}
	task_list_release(&l);
	store_close(st);
	return r;
}
