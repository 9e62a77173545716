/*
 * export_file.c -- what the export writers share: format and column names,
 * dates written the Chinese way, and the temporary file each export is
 * written to before it is renamed into place (export.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"

static const char *const format_names[EXPORT__MAX] = {"xlsx", "csv", "docx", "md", "html"};

int export_format_parse(const char *s, enum export_format *out)
{
	for (int f = 0; f < EXPORT__MAX; f++) {
		if (strcasecmp(s, format_names[f]) == 0) {
			*out = (enum export_format)f;
			return 0;
		}
	}
	if (strcasecmp(s, "markdown") == 0) {
		*out = EXPORT_MD;
		return 0;
	}
	return -1;
}

const char *export_format_name(enum export_format f)
{
	return (unsigned)f < EXPORT__MAX ? format_names[f] : "";
}

static const char *const col_names[ECOL__MAX] = {
	"序号", "问题类别/方面", "问题表现", "整改措施", "整改目标", "责任领导",
	"责任单位", "承办人", "整改时限", "进展情况", "整改状态", "销号时间", "审核意见",
	"红黄绿灯", "佐证材料数", "备注"};

const char *export_col_name(enum export_col c)
{
	return (unsigned)c < ECOL__MAX ? col_names[c] : "";
}

const char *export_event_action(const char *a)
{
	static const struct {
		const char *key, *label;
	} extra[] = {{"create", "创建"}, {"carry", "结转"}, {"carry-out", "转入下一批次"},
		     {"import", "导入"},
		     {"import-closed", "导入（已销号）"},
		     {"extend-approve", "批准延期"}, {"extend-refuse", "驳回延期"}};
	enum task_action ta;
	if (!a)
		return "";
	if (task_action_parse(a, &ta) == 0)
		return task_action_label(ta);
	for (size_t i = 0; i < ARRAY_LEN(extra); i++)
		if (strcmp(a, extra[i].key) == 0)
			return extra[i].label;
	return a;
}

void export_row_review(const struct export_row *r, int32_t today, struct buf *out)
{
	const struct task_event *v = r->review;
	if (!v)
		return;
	char at[32];
	store_day_time(v->day, v->at, today, at, sizeof at);
	buf_printf(out, "%s %s %s", at, v->actor ? v->actor : "", export_event_action(v->action));
	if (v->reason && *v->reason) {
		buf_puts(out, "：");
		buf_puts(out, v->reason);
	}
}

void export_row_note(const struct export_row *r, struct buf *out)
{
	size_t start = out->len;
	if (r->origin_seq && r->origin_year)
		buf_printf(out, "由%d年度第%d项转入", r->origin_year, r->origin_seq);
	if (r->carried_seq && r->carried_year)
		buf_printf(out, "%s已转入%d年度第%d项", out->len > start ? "；" : "",
			   r->carried_year, r->carried_seq);
	if (r->extension_to) {
		char d[11];
		store_day_format(r->extension_to, d);
		buf_printf(out, "%s申请延期至%s，待审批", out->len > start ? "；" : "", d);
	}
}

/* Cut s (of length *n) at the end when it ends with w; 1 if it did. */
static int cut_tail(const char *s, size_t *n, const char *w)
{
	size_t k = strlen(w);
	if (*n < k || memcmp(s + *n - k, w, k) != 0)
		return 0;
	*n -= k;
	return 1;
}

void export_names(const char *material, const char *title_override, struct export_names *out)
{
	static const char *const open_br[] = {"（", "(", "【", "〔"};
	static const char *const close_br[] = {"）", ")", "】", "〕"};
	static const char *const tails[] = {
		"对照检查发言材料", "对照检查材料", "检视剖析材料", "发言材料", "发言提纲",
		"整改方案", "整改台账", "台账", "领导班子", "班子", "个人", "的", " ", "\xe3\x80\x80"};
	const char *m = material && *material ? material : "";
	char s[512];
	size_t n = 0;
	/* Bracketed tags out. */
	for (const char *p = m; *p && n + 1 < sizeof s;) {
		size_t k = 0;
		while (k < ARRAY_LEN(open_br) && strncmp(p, open_br[k], strlen(open_br[k])) != 0)
			k++;
		const char *q = k < ARRAY_LEN(open_br) ? strstr(p, close_br[k]) : NULL;
		if (q)
			p = q + strlen(close_br[k]);
		else
			s[n++] = *p++;
	}
	s[n] = '\0';
	/* What comes before 关于 is the body that writes. */
	const char *start = s;
	const char *about = strstr(s, "关于");
	if (about)
		start = about + strlen("关于");
	n = strlen(start);
	for (int again = 1; again;) {
		again = 0;
		for (size_t k = 0; k < ARRAY_LEN(tails); k++)
			again |= cut_tail(start, &n, tails[k]);
	}
	if (!n) {
		start = "民主生活会";
		n = strlen(start);
	}
	snprintf(out->name, sizeof out->name, "%.*s", (int)n, start);
	const char *who = strstr(m, "个人") ? "本人" : "班子";
	size_t nl = strlen(out->name);
	int meeting = nl >= 3 && strcmp(out->name + nl - 3, "会") == 0;
	if (meeting) {
		snprintf(out->title, sizeof out->title, "关于%s查摆问题整改落实情况的报告", out->name);
		snprintf(out->ledger, sizeof out->ledger, "%s查摆问题整改台账", out->name);
		snprintf(out->opening, sizeof out->opening, "自%s召开以来，%s对照查摆出的问题",
			 out->name, who);
	} else {
		snprintf(out->title, sizeof out->title, "关于%s整改落实情况的报告", out->name);
		snprintf(out->ledger, sizeof out->ledger, "%s整改台账", out->name);
		snprintf(out->opening, sizeof out->opening, "针对%s%s，%s", out->name,
			 strstr(out->name, "反馈") ? "指出的问题" : "整改台账所列问题", who);
	}
	if (title_override && *title_override)
		snprintf(out->title, sizeof out->title, "%s", title_override);
}

void export_day_cn(int32_t day, char *out, size_t size)
{
	if (day == STORE_NO_DAY) {
		snprintf(out, size, "%s", "");
		return;
	}
	int y, m, d;
	store_day_to_ymd(day, &y, &m, &d);
	snprintf(out, size, "%d年%d月%d日", y, m, d);
}

enum rc export_tmp_create(const char *path, char **tmp, struct err *e)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path + 1) : 0;
	*tmp = xasprintf("%.*s.%s.XXXXXX", (int)dl, path, slash ? slash + 1 : path);
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		enum rc rc = ERR(e, RC_IO, "cannot write in the directory of %s: %s", path,
				 strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return rc;
	}
	fchmod(fd, 0644);
	close(fd);
	return RC_OK;
}

enum rc export_tmp_commit(const char *tmp, const char *path, struct err *e)
{
	int fd = open(tmp, O_RDONLY);
	if (fd < 0 || fsync(fd) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return ERR(e, RC_IO, "cannot write %s: %s", path, strerror(err));
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		return ERR(e, RC_IO, "cannot write %s: %s", path, strerror(err));
	}
	return RC_OK;
}

void export_tmp_discard(char *tmp)
{
	if (tmp)
		unlink(tmp);
	free(tmp);
}
