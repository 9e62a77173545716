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
	"责任单位", "整改时限", "进展情况", "整改状态", "红黄绿灯", "佐证材料数"};

const char *export_col_name(enum export_col c)
{
	return (unsigned)c < ECOL__MAX ? col_names[c] : "";
}

void export_meeting(const char *title, char *out, size_t size)
{
	static const char tail[] = "对照检查材料";
	const char *t = title && *title ? title : "民主生活会";
	size_t n = strlen(t);
	if (n > sizeof tail - 1 && strcmp(t + n - (sizeof tail - 1), tail) == 0)
		n -= sizeof tail - 1;
	snprintf(out, size, "%.*s", (int)n, t);
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
