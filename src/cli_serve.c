/*
 * cli_serve.c -- `rectify serve` (the web application on a database) and
 * `rectify demo` (a fresh database with the sample report, a unit tree, one
 * user per role and some progress, then serve).
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notify.h"
#include "cli.h"
#include "doc.h"
#include "embed.h"
#include "web_int.h"

struct serve_opts {
	struct web_config cfg;
	const char *db;
	struct cli *c;
	const char *public_url;
};

static void ready(unsigned port, void *arg)
{
	const struct serve_opts *o = arg;
	const char *host = "127.0.0.1";
	const char *l = o->cfg.listen ? o->cfg.listen : "127.0.0.1:8080";
	char buf[80] = "";
	const char *colon = strrchr(l, ':');
	if (colon && colon != l && l[0] != '[' && (size_t)(colon - l) < sizeof buf) {
		memcpy(buf, l, (size_t)(colon - l));
		buf[colon - l] = '\0';
		if (strcmp(buf, "0.0.0.0") != 0)
			host = buf;
	}
	printf("rectify: serving %s on %s://%s:%u\n", o->db, o->cfg.tls_cert ? "https" : "http",
	       host, port);
	if (o->public_url)
		printf("rectify: users open %s\n", o->public_url);
	fflush(stdout);
}

static void print_str(void *arg, const char *s)
{
	(void)arg;
	fputs(s, stdout);
}

/* Limits for tests: RECTIFY_THROTTLE="ACCOUNT,ADDR,WINDOW". */
static void throttle_from_env(void)
{
	const char *t = getenv("RECTIFY_THROTTLE");
	unsigned a, b, w;
	if (t && sscanf(t, "%u,%u,%u", &a, &b, &w) == 3) {
		struct web_throttle_limits l = {a, b, w};
		web_throttle_configure(&l);
	}
}

/* Session bounds for tests: RECTIFY_SESSION="IDLE,MAX[,PURGE]" in seconds. */
static void sessions_from_env(void)
{
	const char *t = getenv("RECTIFY_SESSION");
	unsigned idle, max, purge = 0;
	int n = t ? sscanf(t, "%u,%u,%u", &idle, &max, &purge) : 0;
	if (n >= 2 && idle > 0 && max > 0) {
		app_cfg.session_idle = idle;
		app_cfg.session_max = max;
		if (n == 3 && purge > 0)
			app_cfg.purge_s = purge;
	}
}

/* Export bounds for tests: RECTIFY_EXPORT="SECONDS,BYTES". */
static void exports_from_env(void)
{
	const char *t = getenv("RECTIFY_EXPORT");
	unsigned secs;
	unsigned long long bytes;
	if (t && sscanf(t, "%u,%llu", &secs, &bytes) == 2 && secs > 0 && bytes > 0) {
		app_cfg.export_s = secs;
		app_cfg.export_max = bytes;
	}
}

/* SIGHUP: read the configuration file again.  trusted_proxies and
 * log_level take effect; a change to another key is logged as waiting for
 * a restart; a file with an error changes nothing. */
static void reload(void *arg)
{
	struct serve_opts *o = arg;
	struct cli *c = o->c;
	if (!c->conf_path) {
		log_warn("SIGHUP: no configuration file to read again (--config)");
		return;
	}
	struct conf next;
	struct err e = {0};
	if (conf_load(c->conf_path, &next, &e) != RC_OK) {
		log_error("SIGHUP: %s; the running configuration is kept", e.msg);
		return;
	}
	for (size_t i = 0; i < conf_nkeys; i++)
		if (!conf_keys[i].reload && conf_differs(c->conf, &next, i))
			log_warn("SIGHUP: %s changed; it takes effect on restart",
				    conf_keys[i].name);
	web_proxies_set(next.proxies, next.n_proxies);
	if (!c->log_given)
		log_level = next.log_level >= 0 ? next.log_level : 2;
	/* The old strings may still be pointed at (o->cfg, the database path):
	 * keep the reloaded keys only, which are copied values. */
	memcpy(c->conf->proxies, next.proxies, sizeof next.proxies);
	c->conf->n_proxies = next.n_proxies;
	c->conf->log_level = next.log_level;
	conf_release(&next);
	fprintf(stderr, "rectify: SIGHUP: reloaded %s (trusted_proxies: %zu, log_level)\n",
		c->conf_path, c->conf->n_proxies);
}

/* The configuration file's keys for serve, where the command line left
 * them unset. */
static void serve_conf(struct serve_opts *o, const struct conf *f)
{
	if (!o->cfg.listen)
		o->cfg.listen = f->listen;
	if (!o->cfg.tls_cert) {
		o->cfg.tls_cert = f->tls_certificate;
		o->cfg.tls_key = f->tls_key;
	}
	if (f->public_url) {
		o->public_url = f->public_url;
		if (strncmp(f->public_url, "https://", 8) == 0)
			o->cfg.behind_https = true;
	}
	if (!o->cfg.threads)
		o->cfg.threads = f->threads;
	web_proxies_set(f->proxies, f->n_proxies);
	if (f->time_zone) {
		char *zi = xasprintf("/usr/share/zoneinfo/%s", f->time_zone);
		if (access(zi, R_OK) != 0)
			log_warn("time_zone %s: no %s; the time is UTC", f->time_zone, zi);
		free(zi);
	}
}

static int serve(struct cli *c, struct serve_opts *o)
{
	struct err e = {0};
	o->c = c;
	if (c->conf)
		serve_conf(o, c->conf);
	struct store *st;
	/* Open once here, so a missing or foreign file fails before listening. */
	enum rc rc = store_open(o->db, 0, &st, &e);
	if (rc != RC_OK)
		return cli_fail(&e);
	app_cfg.today = c->today;
	app_log_head(st);
	store_close(st);
	/* Pages are built in buffers of tens of kilobytes, many times a second:
	 * keep freed memory instead of returning it to the kernel each time. */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	app_cfg.db_path = o->db;
	app_cfg.today = c->today;
	throttle_from_env();
	sessions_from_env();
	exports_from_env();
	o->cfg.app = &rectify_app;
	o->cfg.tick = app_tick;
	o->cfg.tick_s = app_cfg.purge_s;
	o->cfg.reload = reload;
	o->cfg.tick_arg = o;
	/* E-mail and webhook from the outbox, on a thread of their own. */
	notify_worker_start(o->db, c->today);
	rc = web_server_run(&o->cfg, ready, o, &e);
	notify_worker_stop();
	web_proxies_set(NULL, 0);
	app_close_all();
	cache_clear();
	web_idle_reset();
	if (rc != RC_OK)
		return cli_fail(&e);
	return 0;
}

/* Options shared by serve and demo; returns the index of the first
 * operand, or -1 after printing usage. */
static int parse_opts(const char *cmd, int argc, char **argv, struct serve_opts *o)
{
	static const struct option longs[] = {
		{"listen", required_argument, NULL, 'l'},
		{"tls-cert", required_argument, NULL, 'c'},
		{"tls-key", required_argument, NULL, 'k'},
		{"behind-https", no_argument, NULL, 'b'},
		{"threads", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'l': o->cfg.listen = optarg; break;
		case 'c': o->cfg.tls_cert = optarg; break;
		case 'k': o->cfg.tls_key = optarg; break;
		case 'b': o->cfg.behind_https = true; break;
		case 't': o->cfg.threads = (unsigned)atoi(optarg); break;
		default: cli_usage(cmd); return -1;
		}
	}
	if (!o->cfg.tls_cert != !o->cfg.tls_key) {
		fprintf(stderr, "rectify %s: --tls-cert and --tls-key go together\n", cmd);
		return -1;
	}
	return optind;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	struct serve_opts o = {0};
	o.db = c->db_path;
	int i = parse_opts("serve", argc, argv, &o);
	if (i < 0)
		return 2;
	if (i != argc)
		return cli_usage("serve");
	return serve(c, &o);
}

/* ---- the demo ------------------------------------------------------------------------------ */

struct demo_user {
	const char *login, *name;
	enum role role;
	int unit;               /* index into units[], -1: none */
	char password[16];
	int64_t id;
};

static void random_password(char out[16])
{
	static const char alpha[] = "abcdefghjkmnpqrstuvwxyz23456789";
	for (int i = 0; i < 10; i++)
		out[i] = alpha[randombytes_uniform(sizeof alpha - 1)];
	out[10] = '\0';
}

#define TRY(x)                                          \
	do {                                            \
		if ((rc = (x)) != RC_OK)                \
			goto fail;                      \
	} while (0)

/* A small evidence file for the demo's progress entries. */
static int demo_file(const char *text)
{
	char path[] = "/tmp/rectify-demo-ev-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	if (write(fd, text, strlen(text)) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The demo plays a campaign's first months: the report is imported and the
 * tasks assigned 100 days before the day the demo is served, progress comes
 * in along the way, one task is closed, one waits for review.
 */
static enum rc demo_fill(struct store *st, int32_t today, struct demo_user *users, size_t nu,
			 struct err *e)
{
	const int32_t day0 = today - 100;
	static const struct {
		const char *name;
		int parent;
	} units[] = {
		{"县农业农村局", -1}, {"办公室", 0}, {"计划财务股", 0}, {"产业发展股", 0},
		{"农田建设股", 0},     {"农业综合执法大队", 0},
	};
	int64_t unit_ids[ARRAY_LEN(units)];
	const struct who sys = WHO_SYSTEM;
	enum rc rc;
	for (size_t i = 0; i < ARRAY_LEN(units); i++)
		TRY(store_unit_add(st, &sys, units[i].name,
				   units[i].parent < 0 ? 0 : unit_ids[units[i].parent], &unit_ids[i],
				   e));
	for (size_t i = 0; i < nu; i++) {
		random_password(users[i].password);
		TRY(store_user_add(st, &sys, users[i].login, users[i].name, users[i].role,
				   users[i].unit < 0 ? 0 : unit_ids[users[i].unit], users[i].password,
				   &users[i].id, e));
	}
	struct who admin = {users[0].id, ROLE_ADMIN, unit_ids[1]};
	size_t len;
	const char *sample = embed_get("data/sample-team.md", &len);
	if (!sample)
		return ERR(e, RC_INTERNAL, "the sample report is not embedded");
	struct doc *d;
	TRY(doc_parse(sample, len, "sample-team.md", &d, e));
	struct report_import in = {0};
	in.filename = "县农业农村局领导班子对照检查材料.md";
	struct import_result res;
	rc = store_report_import(st, &admin, d, &in, day0, &res, e);
	doc_free(d);
	if (rc != RC_OK)
		return rc;

	/* Assign every task: leaders in turn, the four offices in turn, and
	 * deadlines that give the lights something to show. */
	struct task_filter f = TASK_FILTER_INIT;
	f.per_page = TASK_PER_PAGE_MAX;
	struct task_list l = {0};
	TRY(store_task_list(st, &admin, &f, day0, &l, e));
	int64_t leaders[2] = {0, 0};
	int nl = 0;
	for (size_t i = 0; i < nu && nl < 2; i++)
		if (users[i].role == ROLE_LEADER)
			leaders[nl++] = users[i].id;
	static const int offsets[] = {88, 105, 140, 175, 220, 97, 250, 160, 190, 130};
	for (size_t i = 0; i < l.n; i++) {
		struct task_assign as = {0};
		as.leader_id = leaders[i % 2];
		as.unit_id = unit_ids[2 + i % 4];
		if (l.rows[i].deadline_kind == DEADLINE_NONE) {
			as.deadline_kind = i % 7 == 6 ? DEADLINE_ONGOING : DEADLINE_DATE;
			as.deadline = day0 + offsets[i % ARRAY_LEN(offsets)];
		}
		char goal[160];
		snprintf(goal, sizeof goal, "%s的问题得到有效解决，形成长效机制。", l.rows[i].lead);
		as.goal = goal;
		TRY(store_task_assign(st, &admin, l.rows[i].id, l.rows[i].version, &as, day0, NULL, e));
	}
	/* Some progress with evidence, a submission, an approval, a return. */
	struct who leader = {leaders[0], ROLE_LEADER, unit_ids[0]};
	struct who reviewer = {0, ROLE_REVIEWER, 0};
	for (size_t i = 0; i < nu; i++)
		if (users[i].role == ROLE_REVIEWER)
			reviewer.user_id = users[i].id;
	for (size_t i = 0; i < l.n && i < 8; i++) {
		if (i % 2 != 0)
			continue; /* leader 0's tasks */
		int32_t when = day0 + 15 + 12 * (int32_t)i; /* all before today */
		struct task t = {0};
		TRY(store_task_get(st, &leader, l.rows[i].id, when, &t, e));
		int fd = demo_file("会议纪要：专题研究整改措施，明确责任分工和完成时限。\n");
		struct evidence_in ev = {"专题会议纪要.txt", "text/plain", fd, NULL};
		int64_t pid, v = t.version;
		rc = store_task_progress(st, &leader, t.id, v, "召开专题会议研究整改，制定具体措施，已完成阶段目标。",
					 fd >= 0 ? &ev : NULL, fd >= 0 ? 1 : 0, when, &pid, &v, e);
		if (fd >= 0)
			close(fd);
		task_release(&t);
		if (rc != RC_OK)
			goto fail;
		if (i == 0 || i == 2) {
			TRY(store_task_act(st, &leader, l.rows[i].id, v, TACT_SUBMIT, "已完成整改，申请销号。",
					   when + 2, &v, e));
			if (i == 0)
				TRY(store_task_act(st, &reviewer, l.rows[i].id, v, TACT_APPROVE,
						   "佐证材料齐全，同意销号。", when + 5, &v, e));
		}
	}
	/* One activity against the first commitment. */
	struct commitment_list cl = {0};
	if (store_commitment_list(st, &admin, 0, today, &cl, NULL) == RC_OK && cl.n) {
		struct activity_new an = {0};
		an.commitment_id = cl.v[0].id;
		an.day = today - 3;
		an.who_ids = leaders;
		an.n_who = (size_t)nl;
		an.note = "围绕主题开展集中学习研讨。";
		int64_t aid;
		rc = store_activity_add(st, &leader, &an, today, &aid, e);
		commitment_list_release(&cl);
		if (rc != RC_OK)
			goto fail;
	} else {
		commitment_list_release(&cl);
	}
	rc = RC_OK;
fail:
	task_list_release(&l);
	return rc;
}

/* Whether the demo's database is taken: the file exists, or the PostgreSQL
 * database already holds a ledger (an empty one is what a missing file is;
 * one the demo cannot reach is left to the open, which says why). */
static bool demo_taken(const char *path)
{
	if (!store_is_url(path)) {
		struct stat sb;
		return stat(path, &sb) == 0;
	}
	struct store *st = NULL;
	enum rc rc = store_open(path, STORE_READONLY | STORE_AS_IS, &st, NULL);
	store_close(st);
	return rc != RC_NOTFOUND && rc != RC_DB;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	struct serve_opts o = {0};
	int i = parse_opts("demo", argc, argv, &o);
	if (i < 0)
		return 2;
	if (argc - i > 1)
		return cli_usage("demo");
	if (i < argc && c->db_given && strcmp(argv[i], c->db_path) != 0) {
		fprintf(stderr, "rectify demo: two databases named (--db %s and %s); name one\n",
			c->db_path, argv[i]);
		return 2;
	}
	char *path;
	if (i < argc || c->db_given) {
		path = xstrdup(i < argc ? argv[i] : c->db_path);
		if (demo_taken(path)) {
			fprintf(stderr, "rectify demo: %s exists; the demo wants a fresh database\n",
				path);
			free(path);
			return 2;
		}
	} else {
		char dir[] = "/tmp/rectify-demo-XXXXXX";
		if (!mkdtemp(dir)) {
			fprintf(stderr, "rectify demo: cannot make a directory: %s\n", strerror(errno));
			return 3;
		}
		path = xasprintf("%s/demo.db", dir);
	}
	if (!o.cfg.listen)
		o.cfg.listen = "127.0.0.1:8080";
	struct demo_user users[] = {
		{"admin", "周晓梅", ROLE_ADMIN, 1, "", 0},
		{"leader", "王建国", ROLE_LEADER, 0, "", 0},
		{"leader2", "李华", ROLE_LEADER, 0, "", 0},
		{"handler", "陈静", ROLE_HANDLER, 3, "", 0},
		{"reviewer", "赵敏", ROLE_REVIEWER, -1, "", 0},
		{"observer", "孙强", ROLE_OBSERVER, -1, "", 0},
	};
	struct err e = {0};
	int32_t today;
	struct store *st = NULL;
	/* The sample report's deadlines fall in 2024: the demo's database is
	 * pinned at a day in its first half year (or the one RECTIFY_TODAY
	 * names), so that the web and every command on it agree. */
	const char *day = c->today ? c->today : "2024-04-24";
	enum rc rc = store_today(day, &today, &e);
	char pinned[11];
	store_day_format(today, pinned);
	if (rc == RC_OK)
		rc = store_open(path, STORE_CREATE, &st, &e);
	if (rc == RC_OK)
		rc = store_text_setting_set(st, &WHO_SYSTEM, TSET_TODAY, pinned, 0, NULL, &e);
	if (rc == RC_OK)
		rc = demo_fill(st, today, users, ARRAY_LEN(users), &e);
	store_close(st);
	if (rc != RC_OK) {
		free(path);
		return cli_fail(&e);
	}
	printf("rectify demo: a fresh database at %s, as of %s\n", path, pinned);
	printf("logins (user / password / role):\n");
	for (size_t k = 0; k < ARRAY_LEN(users); k++)
		printf("  %-9s %-12s %s %s\n", users[k].login, users[k].password,
		       role_name_zh(users[k].role), users[k].name);
	fflush(stdout);
	o.db = path;
	int status = serve(c, &o);
	free(path);
	return status;
}

int cmd_sample_config(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argv;
	if (argc != 1)
		return cli_usage("sample-config");
	conf_write_sample(print_str, NULL);
	return 0;
}

int cmd_config(struct cli *c, int argc, char **argv)
{
	if (argc > 2)
		return cli_usage("config");
	struct conf none;
	memset(&none, 0, sizeof none);
	none.log_level = -1;
	const struct conf *f = c->conf ? c->conf : &none;
	struct buf b = BUF_INIT(0);
	int status = 0;
	bool found = false;
	for (size_t i = 0; i < conf_nkeys; i++) {
		if (argc == 2 && strcmp(argv[1], conf_keys[i].name) != 0)
			continue;
		found = true;
		buf_reset(&b);
		conf_value(f, i, &b);
		if (argc == 2) {
			if (b.len)
				printf("%s\n", b.p);
		} else {
			printf("%s = %s\n", conf_keys[i].name, b.len ? b.p : "");
		}
	}
	if (!found) {
		fprintf(stderr, "rectify: no configuration key '%s'\n", argv[1]);
		status = 2;
	}
	buf_release(&b);
	return status;
}
