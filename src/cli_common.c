/*
 * cli_common.c -- what every command group shares: the context that
 * cli_setup() makes from a command's flags and cli_release() closes, error
 * reports with the command that remedies them, hints written as commands
 * that work as written, and the parsing of ids, versions and evidence.
 *
 * The context is made in one order for every command: today, then the
 * database, then the acting user; the first failure is reported as the
 * command would have reported it itself (cli_fail), and the rest is not
 * tried.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

/* ---- the context ------------------------------------------------------------ */

int cli_setup(struct cli *c)
{
	struct err e = {0};
	unsigned n = c->needs;
	if ((n & CMD_TODAY) && cli_today(c, &c->day, &e))
		return cli_fail(&e);
	if (n & CMD_DB) {
		unsigned flags = !(n & CMD_WRITE) ? STORE_READONLY : (n & CMD_CREATE) ? STORE_CREATE : 0;
		if (n & CMD_AS_IS)
			flags |= STORE_AS_IS;
		if (store_open(c->db_path, flags, &c->st, &e)) {
			c->st = NULL;
			return cli_fail(&e);
		}
	}
	c->who = WHO_SYSTEM;
	if ((n & CMD_AS) && c->as && store_user_who(c->st, c->as, &c->who, &e))
		return cli_fail(&e);
	return 0;
}

void cli_release(struct cli *c)
{
	if (c->st)
		store_close(c->st);
	c->st = NULL;
}

/* ---- today ------------------------------------------------------------------ */

enum rc cli_today(struct cli *c, int32_t *day, struct err *e)
{
	struct stat sb;
	struct store *st;
	if (!c->day_read && !(c->today && *c->today) && (store_is_url(c->db_path) || stat(c->db_path, &sb) == 0) &&
	    store_open(c->db_path, STORE_READONLY | STORE_AS_IS, &st, NULL) == RC_OK) {
		char *v = NULL;
		if (store_text_setting_get(st, TSET_TODAY, &v, NULL, NULL) == RC_OK && v && *v) {
			snprintf(c->pinned, sizeof c->pinned, "%s", v);
			c->today = c->pinned;
		}
		free(v);
		store_close(st);
	}
	c->day_read = 1;
	return store_today(c->today, day, e);
}

/* ---- reporting -------------------------------------------------------------- */

static const struct cli *context;

void cli_set_context(const struct cli *c)
{
	context = c;
}

int cli_fail(const struct err *e)
{
	struct buf b = BUF_INIT(0);
	buf_printf(&b, "rectify: %s", e->msg[0] ? e->msg : rc_name(e->rc));
	if (context && e->code && strcmp(e->code, STORE_E_NO_DATABASE) == 0) {
		buf_puts(&b, "; make one with '");
		cli_hint(context, "init", "--admin office", &b);
		buf_puts(&b, "'");
	} else if (context && e->code && strcmp(e->code, STORE_E_NO_CAMPAIGN_YET) == 0) {
		/* This year's campaign, as `import-ledger` would name it. */
		int32_t today;
		int y = 0, m, d;
		if (store_today(context->today, &today, NULL) == RC_OK)
			store_day_to_ymd(today, &y, &m, &d);
		char args[96];
		snprintf(args, sizeof args, "--year %d --title %d年度整改台账", y, y);
		buf_puts(&b, ", or run '");
		cli_hint(context, "campaign new", args, &b);
		buf_putc(&b, '\'');
	}
	buf_putc(&b, '\n');
	fwrite(b.p, 1, b.len, stderr);
	buf_release(&b);
	return rc_exit_code(e->rc);
}

void cli_hint(const struct cli *c, const char *name, const char *args, struct buf *b)
{
	cli_command(c, name, 1, NULL, NULL, b);
	if (args && *args)
		buf_printf(b, " %s", args);
}

/* One word for the shell: as it is when it needs no quoting; else in
 * double quotes when nothing in it is special there (a URL's ? and &, a
 * space), so that a hint the prose puts in single quotes reads as one
 * command; else in single quotes. */
static void shell_word(struct buf *b, const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p && plain; p++)
		plain = (unsigned char)*p >= 0x80 || strchr("abcdefghijklmnopqrstuvwxyz"
							   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
							   "0123456789-_./=:,+@%", *p);
	if (plain) {
		buf_puts(b, s);
		return;
	}
	if (!strpbrk(s, "\"$`\\!'")) {
		buf_printf(b, "\"%s\"", s);
		return;
	}
	buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '\'');
}

void cli_command(const struct cli *c, const char *name, int argc, char **argv,
		 const char *const *extra, struct buf *b)
{
	buf_puts(b, "rectify");
	if (c->db_given) {
		buf_puts(b, " --db ");
		shell_word(b, c->db_path);
	}
	buf_printf(b, " %s", name);
	for (int i = 1; i < argc; i++) {
		buf_putc(b, ' ');
		shell_word(b, argv[i]);
	}
	for (size_t i = 0; extra && extra[i]; i++) {
		buf_putc(b, ' ');
		shell_word(b, extra[i]);
	}
}

int cli_out(struct buf *b)
{
	int rc = buf_write(b, stdout) == RC_OK ? 0 : 3;
	buf_release(b);
	if (rc)
		fprintf(stderr, "rectify: cannot write the output\n");
	return rc;
}

/* ---- arguments -------------------------------------------------------------- */

int cli_parse_id(const char *s, int64_t *id)
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

int cli_parse_version(const char *s, int64_t *v)
{
	if (cli_parse_id(s, v) == 0)
		return 0;
	fprintf(stderr, "rectify: --expect-version takes the task's version, a number from "
			"'task show' (not '%s')\n", s);
	return -1;
}

int cli_parse_row_version(const char *s, int64_t *v, const char *from)
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

int cli_view_opts(struct cli *c, const char *name, int argc, char **argv, int *json,
		  int64_t *campaign)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"campaign", required_argument, NULL, 'c'},
					     {"as", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	*json = 0;
	*campaign = 0;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': *json = 1; break;
		case 'c':
			if (cli_parse_id(optarg, campaign))
				return cli_usage(name);
			break;
		case 'A': c->as = optarg; break;
		default: return cli_usage(name);
		}
	}
	return optind != argc ? cli_usage(name) : 0;
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

void cli_evidence(struct evidence_in *x, const char *path)
{
	const char *base = strrchr(path, '/');
	x->name = base ? base + 1 : path;
	x->mime = mime_of(x->name);
	x->fd = -1;
	x->path = path;
}

/* ---- names to ids ----------------------------------------------------------- */

int cli_unit_id(struct cli *c, const char *name, int64_t *id)
{
	struct err e = {0};
	if (store_unit_find(c->st, name, id, &e)) {
		e.rc = RC_INVALID;
		return cli_fail(&e);
	}
	return 0;
}

int cli_user_id(struct cli *c, const char *login, int64_t *id)
{
	struct who w;
	struct err e = {0};
	if (store_user_who(c->st, login, &w, &e)) {
		e.rc = RC_INVALID;
		return cli_fail(&e);
	}
	*id = w.user_id;
	return 0;
}

int cli_task_version(struct cli *c, int64_t id, int64_t expect, int64_t *version)
{
	if (expect) {
		*version = expect;
		return 0;
	}
	struct task t;
	struct err e = {0};
	if (store_task_get(c->st, &c->who, id, c->day, &t, &e))
		return cli_fail(&e);
	*version = t.version;
	task_release(&t);
	return 0;
}
