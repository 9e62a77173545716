/*
 * cli_user.c -- the users on the command line:
 *   init --admin LOGIN [--name NAME] [--generate-password]   the database and its first admin
 *   user add LOGIN --name NAME --role R [--unit NAME]        a user
 *   user list                                                the users, with versions
 *   user update LOGIN [--role R] [--unit NAME | --no-unit] [--active | --inactive]
 *               [--password] [--email ADDR]                  one change, one transaction
 * A password comes from RECTIFY_PASSWORD, else is asked twice on the
 * terminal without echo; init --generate-password makes one and prints it
 * once.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "cli.h"

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

/* --role R: 0, or 2 after a message. */
static int role_of(const char *s, enum role *r)
{
	if (role_parse(s, r) == 0)
		return 0;
	fprintf(stderr, "rectify: unknown role '%s' (admin, leader, handler, reviewer, "
			"observer)\n", s);
	return 2;
}

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
	int r = cli_setup(c);
	if (r)
		return r;
	struct user_list ul;
	struct err e = {0};
	if (store_user_list(c->st, &WHO_SYSTEM, &ul, &e))
		return cli_fail(&e);
	size_t n = ul.n;
	user_list_release(&ul);
	if (n) {
		fprintf(stderr, "rectify: %s is already initialised (it has %zu users)\n", c->db_path,
			n);
		return 1;
	}
	char *pw = generate ? random_password() : read_password(admin);
	if (!pw)
		return 2;
	int64_t id;
	if (store_user_add(c->st, &WHO_SYSTEM, admin, name ? name : admin, ROLE_ADMIN, 0, pw, &id,
			   &e)) {
		free(pw);
		return cli_fail(&e);
	}
	printf("initialised %s; admin '%s' (user %lld)\n", c->db_path, admin, (long long)id);
	if (generate)
		printf("the password of '%s' is %s -- shown this once; change it with "
		       "'rectify user update %s --password'\n", admin, pw, admin);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	return 0;
}

int cmd_user_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
					     {"role", required_argument, NULL, 'r'},
					     {"unit", required_argument, NULL, 'u'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *name = NULL, *role = NULL, *unit = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'u': unit = optarg; break;
		case 'A': c->as = optarg; break;
		default: return cli_usage("user add");
		}
	}
	enum role ro;
	if (optind != argc - 1 || !name || !role)
		return cli_usage("user add");
	int r = role_of(role, &ro);
	int64_t uid = 0, id;
	if (r || (r = cli_setup(c)) || (unit && (r = cli_unit_id(c, unit, &uid))))
		return r;
	char *pw = read_password(argv[optind]);
	if (!pw)
		return 2;
	struct err e = {0};
	enum rc rc = store_user_add(c->st, &c->who, argv[optind], name, ro, uid, pw, &id, &e);
	free(pw);
	if (rc)
		return cli_fail(&e);
	printf("user %lld: %s (%s)\n", (long long)id, argv[optind], role_name(ro));
	return 0;
}

int cmd_user_list(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("user list");
	int r = cli_setup(c);
	if (r)
		return r;
	struct user_list l;
	struct err e = {0};
	if (store_user_list(c->st, &WHO_SYSTEM, &l, &e))
		return cli_fail(&e);
	for (size_t i = 0; i < l.n; i++)
		printf("%-16s %-10s %-20s %-20s version %lld%s\n", l.v[i].login,
		       role_name(l.v[i].role), l.v[i].name, l.v[i].unit_name,
		       (long long)l.v[i].version, l.v[i].active ? "" : "  (inactive)");
	user_list_release(&l);
	return 0;
}

/* The user login as it is, active or not (store_user_who refuses inactive
 * ones), from the list c->who sees: *u points into ul (release it), NULL
 * after an error in e. */
static enum rc user_as_is(struct cli *c, const char *login, struct user_list *ul,
			  const struct user **u, struct err *e)
{
	*u = NULL;
	enum rc rc = store_user_list(c->st, &c->who, ul, e);
	for (size_t i = 0; !rc && i < ul->n; i++)
		if (strcmp(ul->v[i].login, login) == 0)
			*u = &ul->v[i];
	if (!rc && !*u)
		rc = ERR(e, RC_NOTFOUND, "no user '%s'", login);
	return rc;
}

/* user update LOGIN --email ADDR (alone): the address the channels write
 * to, against expect or the user's version now. */
static int user_email(struct cli *c, const char *login, const char *email, int64_t expect)
{
	int r = cli_setup(c);
	if (r)
		return r;
	struct err e = {0};
	struct user_list ul;
	const struct user *u;
	enum rc rc = user_as_is(c, login, &ul, &u, &e);
	int64_t nv = 0, id = u ? u->id : 0;
	if (!rc)
		rc = store_user_email(c->st, &c->who, id, expect >= 0 ? expect : u->version, email,
				      &nv, &e);
	user_list_release(&ul);
	if (rc)
		return cli_fail(&e);
	printf("user %lld: %s e-mail %s (version %lld)\n", (long long)id, login,
	       *email ? email : "cleared", (long long)nv);
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
	const char *role = NULL, *unit = NULL, *email = NULL;
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
			if (cli_parse_row_version(optarg, &expect, "user list"))
				return 2;
			break;
		case 'A': c->as = optarg; break;
		default: return cli_usage("user update");
		}
	}
	const char *login = argv[optind];
	if (optind != argc - 1 || (unit && no_unit))
		return cli_usage("user update");
	if (email && !role && !unit && !no_unit && active < 0 && !password)
		return user_email(c, login, email, expect);
	if (email)
		return cli_usage("user update"); /* --email goes alone */
	struct user_change uc = {0};
	int64_t id = 0, uid = 0;
	int r = role ? role_of(role, &uc.role) : 0;
	if (r || (r = cli_setup(c)) || (unit && (r = cli_unit_id(c, unit, &uid))))
		return r;
	/* The user as it is, changed where the options say. */
	struct user_list ul;
	struct err e = {0};
	const struct user *u;
	enum rc rc = user_as_is(c, login, &ul, &u, &e);
	char *pw = NULL;
	if (!rc && password && !(pw = read_password(login)))
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
		rc = store_user_update(c->st, &c->who, id, &uc, &nv, &e);
	}
	free(pw);
	int64_t had = u ? u->version : 0;
	user_list_release(&ul);
	if (rc == RC_INVALID && e.code && strcmp(e.code, STORE_E_NOTHING_TO_CHANGE) == 0) {
		printf("user %lld: %s: nothing to change (version %lld)\n", (long long)id, login,
		       (long long)had);
		return 0;
	}
	if (rc)
		return cli_fail(&e);
	printf("user %lld: %s updated (version %lld)\n", (long long)id, login, (long long)nv);
	return 0;
}
