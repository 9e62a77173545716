/*
 * page_export.c -- the ledger and the progress report as downloads:
 *
 *   GET /export/ledger?format=xlsx|csv[&status=&light=&area=&unit=&leader=&q=
 *                      &review_due=&overdue=][&campaign=ID]
 *   GET /export/report?format=docx|md|html[&as_of=YYYY-MM-DD][&campaign=ID][&charts=0|1]
 *   GET /api/v1/export, GET /api/v1/report      the same, errors as JSON
 *
 * Every role that reads the ledger may download it, scoped as its pages
 * are: the store hands out only the tasks the caller sees, so a handler's
 * workbook holds their units' tasks and nothing else, and their report
 * speaks of those.  With a filter the workbook holds the tasks /tasks
 * shows for it (the ids are collected through the same query as the
 * page), in 序号 order, without the totals sheet (it would count tasks
 * the file does not hold).  Downloads only read, so they need no CSRF.
 *
 * The handler checks its arguments and leaves the work as a job
 * (web_resp_job), which runs off the server's polling threads.  The job
 * writes the file through export.h into a private temporary directory
 * (mode 0700 under $TMPDIR), opens it, removes the file and the directory
 * at once -- whether the export worked or not -- and hands the open
 * descriptor to the server, which sends it as an attachment (sendfile, no
 * copy in memory) and closes it; the disk space goes with the last close.
 *
 * Bounds (docs/LIMITS.md): an export gives up after app_cfg.export_s
 * seconds (checked per row, and while collecting a filter's ids) or once
 * the rows it took in exceed app_cfg.export_max bytes, and a finished file
 * larger than that is not sent (413 either way); at most a few run at once
 * (the server's job threads, with a short queue, past which 429).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "web_int.h"

static unsigned limit_s(void)
{
	return app_cfg.export_s ? app_cfg.export_s : WEB_EXPORT_SECONDS;
}

static uint64_t limit_bytes(void)
{
	return app_cfg.export_max ? app_cfg.export_max : (uint64_t)WEB_EXPORT_MAX_MB << 20;
}

static const char *const ctypes[EXPORT__MAX] = {
	[EXPORT_XLSX] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	[EXPORT_CSV] = "text/csv; charset=utf-8",
	[EXPORT_DOCX] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	[EXPORT_MD] = "text/markdown; charset=utf-8",
	[EXPORT_HTML] = "text/html; charset=utf-8",
};

bool tasks_filter_narrows(const struct task_filter *f)
{
	return f->status >= 0 || f->light >= 0 || f->area_id || f->unit_id || f->leader_id ||
	       (f->q && *f->q) || f->review_due || f->overdue;
}

/* ---- one export, as a job ------------------------------------------------------- */

struct xjob {
	enum export_format format;
	bool report;
	int64_t campaign;               /* 0: the current one */
	int32_t as_of;
	int charts;                     /* the report: 1 with charts, 0 without, -1 as set */
	bool filtered;
	struct task_filter filter;      /* its text borrowed from the request */
	char name[400];                 /* the attachment's name */
};

/* What an export reads while it runs. */
struct xrun {
	struct req *r;
	struct task_iter *it;
	const int64_t *ids;             /* a filter's task ids, ascending; NULL: all */
	size_t n_ids;
	double deadline;                /* on export_clock() */
	uint64_t bytes, max;
	size_t rows;
};

/* Seconds on a clock that does not jump: the monotonic one, or the app's
 * clock when tests set one. */
static double export_clock(void)
{
	if (app_cfg.clock)
		return (double)app_cfg.clock();
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool past(const struct xrun *x)
{
	return export_clock() >= x->deadline;
}

/* Time and shutdown, checked as an export goes: RC_OK to go on. */
static enum rc xrun_check(const struct xrun *x, struct err *e)
{
	if (web_stopping(x->r))
		return ERR(e, RC_THROTTLED, "服务器正在停止，导出已中止，请稍后再试。");
	if (past(x))
		return ERR(e, RC_TOOBIG, "导出超过了 %u 秒的时限，已中止：请缩小筛选范围后分批导出。",
			   limit_s());
	return RC_OK;
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static size_t len0(const char *s)
{
	return s ? strlen(s) : 0;
}

/* export.h's row callback: the store's rows, those of the filter only,
 * within the time and size bounds. */
static enum rc xrun_next(void *ctx, const struct export_row **row, struct err *e)
{
	struct xrun *x = ctx;
	for (;;) {
		enum rc rc = xrun_check(x, e);
		if (rc)
			return rc;
		if ((rc = store_task_iter_next(x->it, row, e)) || !*row)
			return rc;
		const struct export_row *w = *row;
		if (x->ids && !bsearch(&w->task_id, x->ids, x->n_ids, sizeof *x->ids, id_cmp))
			continue;
		x->bytes += 64 + len0(w->area) + len0(w->problem) + len0(w->measures) +
			    len0(w->goal) + len0(w->leader) + len0(w->unit) + len0(w->deadline) +
			    len0(w->progress) + len0(w->handlers) + len0(w->closed_at) +
			    (w->review ? len0(w->review->actor) + len0(w->review->reason) : 0);
		if (x->bytes > x->max)
			return ERR(e, RC_TOOBIG, "台账内容超过了单次导出 %llu MB 的上限，已中止：请缩小筛选范围后分批导出。",
				   (unsigned long long)(x->max >> 20));
		x->rows++;
		return RC_OK;
	}
}

/* The ids of the tasks matching f, as the caller sees them, ascending:
 * the page's own query, page by page. */
static enum rc filter_ids(struct req *r, const struct task_filter *f0, int32_t today,
			  struct xrun *x, int64_t **out, size_t *n)
{
	struct task_filter f = *f0;
	f.sort = TASK_SORT_SEQ;
	f.desc = 0;
	f.per_page = TASK_PER_PAGE_MAX;
	VEC(int64_t) ids = {0};
	enum rc rc = RC_OK;
	for (f.page = 1;; f.page++) {
		if ((rc = xrun_check(x, &r->err)))
			break;
		struct task_list l = {0};
		rc = store_task_list(ACTX(r)->db, WHO(r), &f, today, &l, &r->err);
		for (size_t i = 0; rc == RC_OK && i < l.n; i++)
			*VEC_PUSH(ids) = l.rows[i].id;
		bool last = rc != RC_OK || l.n < (size_t)f.per_page ||
			    (int64_t)ids.n >= l.total;
		task_list_release(&l);
		if (last)
			break;
	}
	if (rc) {
		VEC_FREE(ids);
		return rc;
	}
	if (ids.n)
		qsort(ids.v, ids.n, sizeof *ids.v, id_cmp);
	*out = ids.v;
	*n = ids.n;
	return RC_OK;
}

/* A private directory for one export: $TMPDIR/rectify-export-XXXXXX. */
static char *xdir_make(struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/rectify-export-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		ERR(e, RC_IO, "cannot make a temporary directory for an export: %s",
		    strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/* Remove dir and whatever an export left in it. */
static void xdir_remove(char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, ".."))
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	if (rmdir(dir) != 0)
		log_error("cannot remove %s: %s", dir, strerror(errno));
	free(dir);
}

/* Write the export into a private directory, keep it open, remove it. */
static enum rc export_write(struct xjob *j, const struct export_ledger *l, int *fd,
			    uint64_t *size, struct err *e)
{
	*fd = -1;
	char *dir = xdir_make(e);
	if (!dir)
		return RC_IO;
	char *path = xasprintf("%s/out.%s", dir, export_format_name(j->format));
	enum rc rc;
	switch (j->format) {
	case EXPORT_XLSX: rc = export_ledger_xlsx(l, path, e); break;
	case EXPORT_CSV: rc = export_ledger_csv(l, path, e); break;
	default: rc = export_report(l, j->format, path, e); break;
	}
	if (rc == RC_OK) {
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (*fd < 0 || fstat(*fd, &st) != 0) {
			rc = ERR(e, RC_IO, "cannot open the export %s: %s", path, strerror(errno));
		} else {
			*size = (uint64_t)st.st_size;
			if (*size > limit_bytes())
				rc = ERR(e, RC_TOOBIG, "导出的文件有 %llu MB，超过了 %llu MB 的上限：请缩小筛选范围后分批导出。",
					 (unsigned long long)(*size >> 20),
					 (unsigned long long)(limit_bytes() >> 20));
		}
		if (rc && *fd >= 0) {
			close(*fd);
			*fd = -1;
		}
	}
	free(path);
	xdir_remove(dir);
	return rc;
}

/* The job: load what the export needs as the caller sees it, write, send. */
static enum rc export_job(struct req *r, void *cls)
{
	struct xjob *j = cls;
	struct actx *a = ACTX(r);
	const struct who *w = WHO(r);
	struct xrun x = {.r = r, .max = limit_bytes(), .deadline = export_clock() + limit_s()};
	int32_t day = j->report ? j->as_of : a->today;
	struct campaign_list camp = {0};
	struct dashboard dash = {0};
	struct commitment_list commits = {0};
	struct event_list events = {0}, chosen = {0};
	int64_t *ids = NULL;
	int64_t campaign = j->campaign;
	enum rc rc = RC_OK;
	if (!campaign && store_campaign_current(a->db, &campaign, &r->err) != RC_OK)
		rc = ERR(&r->err, RC_NOTFOUND, "还没有整改批次，没有可以导出的台账。");
	if (!rc)
		rc = store_campaign_get(a->db, w, campaign, &camp, &r->err);
	if (!rc && !camp.n)
		rc = ERR(&r->err, RC_NOTFOUND, "没有这个整改批次。");
	if (!rc && j->filtered) {
		j->filter.campaign_id = campaign;
		rc = filter_ids(r, &j->filter, day, &x, &ids, &x.n_ids);
		static const int64_t none[1];
		x.ids = ids ? ids : none; /* nothing matches: no rows */
	}
	if (!rc && !j->filtered)
		rc = store_dashboard(a->db, w, campaign, day, &dash, &r->err);
	if (!rc)
		rc = store_commitment_list(a->db, w, campaign, day, &commits, &r->err);
	if (!rc && j->format == EXPORT_XLSX)
		rc = store_event_list(a->db, w, campaign, &events, &r->err);
	if (!rc && j->filtered && events.n) {
		chosen.v = xcalloc(events.n, sizeof *chosen.v);
		for (size_t i = 0; i < events.n; i++)
			if (bsearch(&events.v[i].task_id, x.ids, x.n_ids, sizeof *x.ids, id_cmp))
				chosen.v[chosen.n++] = events.v[i];
	}
	if (!rc)
		rc = store_task_iter_open(a->db, w, campaign, day, &x.it, &r->err);
	struct report_style style = {0};
	if (!rc && j->report)
		rc = store_report_style(a->db, &style, &r->err);
	int fd = -1;
	uint64_t size = 0;
	if (!rc) {
		struct export_ledger l = {
			.report_to = style.to, .signer = style.signer,
			.charts = j->charts >= 0 ? j->charts
				  : j->format == EXPORT_DOCX ? style.docx_charts : 1,
			.title = camp.v[0].title, .report_title = camp.v[0].report_title,
			.year = camp.v[0].year, .as_of = day,
			.next = xrun_next, .ctx = &x, .dash = j->filtered ? NULL : &dash,
			.commitments = &commits,
			.events = j->format != EXPORT_XLSX ? NULL : j->filtered ? &chosen : &events};
		rc = export_write(j, &l, &fd, &size, &r->err);
	}
	store_task_iter_close(x.it);
	report_style_release(&style);
	free(ids);
	free(chosen.v);
	event_list_release(&events);
	commitment_list_release(&commits);
	dashboard_release(&dash);
	campaign_list_release(&camp);
	if (rc)
		return rc;
	web_send_file(r, fd, size, ctypes[j->format], j->name);
	log_info("export %s for user %lld: %zu tasks, %llu bytes", j->name, (long long)w->user_id,
		 x.rows, (unsigned long long)size);
	return RC_OK;
}

/* ---- the handlers ---------------------------------------------------------------- */

/* The attachment's name: 整改台账[-单位][-筛选结果]-2024-04-24.xlsx.  A
 * handler's files say whose units they hold. */
static void file_name(struct req *r, struct xjob *j, const char *what, int32_t day)
{
	char d[11], unit[160] = "";
	store_day_format(day, d);
	const struct sess *s = SESS(r);
	if (s->who.role == ROLE_HANDLER && s->unit_name[0]) {
		snprintf(unit, sizeof unit, "-%s", s->unit_name);
		for (char *p = unit; *p; p++) /* no path or control characters in a file name */
			if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
				*p = '_';
	}
	snprintf(j->name, sizeof j->name, "%s%s%s-%s.%s", what, unit, j->filtered ? "-筛选结果" : "",
		 d, export_format_name(j->format));
}

static enum rc common_args(struct req *r, struct xjob *j, bool report)
{
	const char *f = web_query(r, "format");
	if (!f || !*f)
		f = report ? "docx" : "xlsx";
	if (export_format_parse(f, &j->format) != 0 ||
	    (report != (j->format == EXPORT_DOCX || j->format == EXPORT_MD ||
			j->format == EXPORT_HTML)))
		return ERR(&r->err, RC_INVALID, report ? "报告格式应为 docx、md 或 html。"
						       : "台账导出格式应为 xlsx 或 csv。");
	j->report = report;
	int64_t c;
	if (web_arg_int(r, "campaign", 0, INT64_MAX / 2, 0, &c) != RC_OK)
		return RC_INVALID;
	j->campaign = c;
	return RC_OK;
}

static void xjob_free(void *p)
{
	free(p);
}

/* GET /export/ledger and /api/v1/export. */
enum rc raw_export_ledger(struct req *r)
{
	struct xjob *j = xcalloc(1, sizeof *j);
	enum rc rc = common_args(r, j, false);
	if (!rc)
		rc = tasks_filter_parse(r, &j->filter);
	if (rc) {
		free(j);
		return rc;
	}
	j->filtered = tasks_filter_narrows(&j->filter);
	file_name(r, j, "整改台账", ACTX(r)->today);
	web_resp_job(r, export_job, xjob_free, j);
	return RC_OK;
}

/* GET /export/report and /api/v1/report. */
enum rc raw_export_report(struct req *r)
{
	struct xjob *j = xcalloc(1, sizeof *j);
	enum rc rc = common_args(r, j, true);
	if (rc) {
		free(j);
		return rc;
	}
	const char *d = web_query(r, "as_of");
	j->as_of = ACTX(r)->today;
	if (d && *d && store_day_parse(d, &j->as_of) != 0) {
		free(j);
		return ERR(&r->err, RC_INVALID, "截至日期应为 YYYY-MM-DD 格式的有效日期。");
	}
	int64_t charts;
	if (web_arg_int(r, "charts", 0, 1, -1, &charts) != RC_OK) {
		free(j);
		return ERR(&r->err, RC_INVALID, "charts 应为 0（不插入图表）或 1（插入图表）。");
	}
	j->charts = (int)charts;
	file_name(r, j, "整改落实情况报告", j->as_of);
	web_resp_job(r, export_job, xjob_free, j);
	return RC_OK;
}
