/*
 * cli_audit.c -- the database's integrity and its copies:
 *   verify [--head ID:HASH]     the audit chain, and every ledger row against it
 *   audit head                  the chain's head, to keep outside the database
 *   backup [FILE | --dir DIR]   a consistent, verified copy while in use, and
 *                               the retention of the dated copies
 *   restore FILE                a verified backup in place of the database
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

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
	int r = cli_setup(c);
	if (r)
		return r;
	struct verify_result v;
	struct err e = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum rc rc = witness ? store_verify_witness(c->st, witness, &v, &e)
			     : store_verify(c->st, &v, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc)
		return cli_fail(&e);
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
	int r = cli_setup(c);
	if (r)
		return r;
	char head[STORE_HEAD_LEN];
	struct err e = {0};
	if (store_audit_head(c->st, head, &e))
		return cli_fail(&e);
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
	int r = cli_setup(c);
	if (r)
		return r;
	char *dest;
	if (optind < argc) {
		dest = xstrdup(argv[optind]);
	} else {
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
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
	enum rc rc = store_backup(c->st, dest, &e);
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
		return cli_fail(&e);
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
	/* Keep what is there now, in case the restore was a mistake: beside
	 * the file, or for a database (PostgreSQL) in the working directory. */
	if (store_is_url(c->db_path) || access(c->db_path, F_OK) == 0) {
		struct store *st;
		if (store_open(c->db_path, STORE_READONLY, &st, &e) == RC_OK) {
			char when[32];
			time_t now = time(NULL);
			struct tm tm;
			localtime_r(&now, &tm);
			strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
			char *keep = store_is_url(c->db_path)
					     ? xasprintf("rectify-before-restore-%s.db", when)
					     : xasprintf("%s.before-restore", c->db_path);
			enum rc rc = store_backup(st, keep, &e);
			store_close(st);
			if (rc) {
				free(keep);
				return cli_fail(&e);
			}
			printf("the current database was saved to %s\n", keep);
			free(keep);
		}
	}
	if (store_restore(c->db_path, argv[1], &e))
		return cli_fail(&e);
	printf("restored %s from %s\n", c->db_path, argv[1]);
	return 0;
}


int cmd_migrate(struct cli *c, int argc, char **argv)
{
	(void)c;
	static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
					     {"to", required_argument, NULL, 't'},
					     {NULL, 0, NULL, 0}};
	const char *from = NULL, *to = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		default: return cli_usage("migrate");
		}
	}
	if (optind != argc || !from || !to || !*from || !*to)
		return cli_usage("migrate");
	struct err e = {0};
	struct store *src = NULL, *dst = NULL;
	struct store_copy_result res;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum rc rc = store_open(from, STORE_READONLY, &src, &e);
	if (!rc)
		rc = store_open(to, STORE_CREATE, &dst, &e);
	if (!rc)
		rc = store_copy(src, dst, false, &res, &e);
	store_close(src);
	struct verify_result v = {0};
	if (!rc)
		rc = store_verify(dst, &v, &e);
	store_close(dst);
	if (rc)
		return cli_fail(&e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("copied %lld rows of %d tables from %s to %s (%.1f s)\n", (long long)res.rows,
	       res.tables, from, to, s);
	if (!v.ok) {
		printf("verify FAILED on %s: %s\n", to, v.msg);
		return 1;
	}
	printf("verify ok: %lld audit rows chained, %lld ledger rows match the log\n",
	       (long long)v.rows, (long long)v.entities);
	return 0;
}
