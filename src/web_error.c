/*
 * web_error.c -- errors as people read them: the store's refusals put into
 * Chinese by their refusal code (app_explain, one table with a message for
 * every code of STORE_REFUSALS), and the error page around the message.
 */
#include <stdio.h>
#include <string.h>

#include "web_int.h"

/*
 * The store speaks English (its messages serve the command line too) and
 * marks each refusal with a stable code (store.h, STORE_E_*): the refusals
 * people can meet in the browser are put into Chinese here by that code.
 * A message without a known code written mostly in Latin letters is
 * replaced by the rc's Chinese message, its English kept as the detail in
 * small print; a Chinese message passes as it is.
 */
/* A bound of the store in bytes, as people count: a character of Chinese
 * is three of them. */
#define ZH_BYTES(n) STR(n) " 字节（一个汉字占 3 字节）"
static const struct {
	const char *code, *zh;
} explained[] = {
	{STORE_E_W14_OBSERVER, "督导组只能查看，不能修改。"},
	{STORE_E_W1_ROLE, "只有办公室可以分解交办事项。"},
	{STORE_E_W1_CLOSED, "事项已销号，不能再修改交办信息；如需调整，请审核人先重新打开。"},
	{STORE_E_W2_ROLE, "进展只能由该事项的责任领导、责任单位的承办人或办公室报送。"},
	{STORE_E_W2_SUBMITTED, "事项已申请销号，审核期间不能报送进展。"},
	{STORE_E_W2_CLOSED, "事项已销号，不能再报送进展。"},
	{STORE_E_W3_ROLE, "只有该事项的责任领导或办公室可以申请销号。"},
	{STORE_E_W3_STATUS, "只有“整改中”或“阶段性完成”的事项可以申请销号。"},
	{STORE_E_W4_EVIDENCE, "申请销号前，至少要报送一条附有佐证材料的进展。"},
	{STORE_E_W5_ROLE, "只有审核人可以审核销号申请。"},
	{STORE_E_W5_STATUS, "只有处于“申请销号”的事项可以审核。"},
	{STORE_E_W5_OWN, "您是此事项的责任领导、进展报送人或销号申请人，不能审核自己经手的事项，请由其他审核人审核。"},
	{STORE_E_W6_ONGOING, "阶段性完成只适用于长期坚持的事项。"},
	{STORE_E_W7_ROLE, "只有审核人可以重新打开事项。"},
	{STORE_E_W7_STATUS, "只有“已销号”或“阶段性完成”的事项可以重新打开。"},
	{STORE_E_W8_REASON, "退回和重新打开都要填写理由，不超过 " ZH_BYTES(STORE_NOTE_MAX) "。"},
	{STORE_E_W9_DEADLINE, "整改时限已经设定，只能通过延期申请调整。"},
	{STORE_E_W10_ROLE, "只有该事项的责任领导或办公室可以申请延期。"},
	{STORE_E_W10_CLOSED, "事项已销号，不能申请延期。"},
	{STORE_E_W10_NO_DEADLINE, "事项还没有整改时限，请办公室先在分解交办时设定。"},
	{STORE_E_W10_PENDING, "已有一项延期申请等待审批，审批后才能再次申请。"},
	{STORE_E_W10_REASON, "请填写延期理由，不超过 " ZH_BYTES(STORE_NOTE_MAX) "。"},
	{STORE_E_W10_TODAY, "延期后的日期必须晚于今天。"},
	{STORE_E_W10_EARLIER, "延期后的日期必须晚于现在的整改时限。"},
	{STORE_E_W11_ROLE, "只有审核人可以审批延期申请。"},
	{STORE_E_W11_NONE, "没有等待审批的延期申请。"},
	{STORE_E_W12_ROLE, "只有审核人可以确认回头看。"},
	{STORE_E_W12_NONE, "此事项现在没有需要确认的回头看。"},
	{STORE_E_W12_NOT_DUE, "回头看还没有到期，到期后才能确认。"},
	{STORE_E_W13_ROLE, "只有办公室、责任领导和承办人可以登记活动。"},
	{STORE_E_W17_ROLE, "只有办公室和审核人可以催办。"},
	{STORE_E_W17_STATUS, "只有“未启动”或“整改中”的事项可以催办。"},
	{STORE_E_EMAIL, "邮箱地址无效（形如 name@example.cn，不超过 254 个字符，不含空格）。"},
	{STORE_E_NOTIFY_PAGE, "消息分页参数超出范围。"},
	{STORE_E_BULK, "批量操作的事项无效：没有选择事项，或同一事项出现了两次。"},
	{STORE_E_BULK_SIZE, "一次批量操作最多 " STR(TASK_BULK_MAX) " 项事项，请缩小筛选范围或分批操作。"},
	{STORE_E_STALE, "内容已被他人修改，请刷新页面，看过最新内容后再操作。"},
	{STORE_E_ADMIN_ONLY, "只有办公室可以进行这项管理操作。"},
	{STORE_E_AUDIT_ROLE, "只有办公室、审核人和督导组可以查看审计日志。"},
	{STORE_E_PASSWORD_OTHER, "只有办公室可以修改其他用户的密码。"},
	{STORE_E_NO_TASK, "没有找到这个整改事项，或者您无权查看。"},
	{STORE_E_NO_UNIT, "没有找到所选的单位。"},
	{STORE_E_NO_USER, "没有找到这个用户。"},
	{STORE_E_NO_CAMPAIGN, "没有找到这个整改批次，或者还没有建立批次。"},
	{STORE_E_W16_CARRIED, "此事项已转入下一批次，请在新批次中对应的事项上继续办理。"},
	{STORE_E_NO_CAMPAIGN_YET, "还没有建立整改批次：上传一份对照检查材料或导入一份台账即可建立。"},
	{STORE_E_NO_REPORT, "没有找到这份材料。"},
	{STORE_E_NO_NODE, "没有找到材料中的这个条目。"},
	{STORE_E_NO_COMMITMENT, "没有找到这项承诺。"},
	{STORE_E_NO_EVIDENCE, "没有找到这个佐证材料，或者您无权查看。"},
	{STORE_E_DATE, "日期无效，请填写 1900 年到 9999 年之间的日期。"},
	{STORE_E_SEARCH, "搜索文字不能超过 " ZH_BYTES(STORE_SEARCH_MAX) "。"},
	{STORE_E_GOAL, "整改目标过长，不能超过 " ZH_BYTES(STORE_TEXT_MAX) "。"},
	{STORE_E_NOTE, "意见或备注过长，不能超过 " ZH_BYTES(STORE_NOTE_MAX) "。"},
	{STORE_E_PROGRESS_TEXT, "请填写进展情况，不超过 " ZH_BYTES(STORE_TEXT_MAX) "。"},
	{STORE_E_NOTHING_TO_ASSIGN, "交办信息没有变化，无需保存。"},
	{STORE_E_NOTHING_TO_CHANGE, "内容没有变化，无需保存。"},
	{STORE_E_NOT_LEADER, "所选责任领导不是在用的责任领导账号。"},
	{STORE_E_NOT_MEASURE, "所选的整改措施不是本材料“措施”部分的条目。"},
	{STORE_E_MEASURES, "一个事项最多关联 " STR(TASK_MEASURES_MAX) " 条整改措施。"},
	{STORE_E_EVIDENCE_COUNT, "一次最多上传 " STR(EVIDENCE_MAX_FILES) " 个佐证材料。"},
	{STORE_E_EVIDENCE_NAME, "佐证材料的文件名无效：须为 1 到 " STR(EVIDENCE_NAME_MAX) " 字节的 UTF-8 文字，不能含路径或控制字符。请改名后重新上传。"},
	{STORE_E_EVIDENCE_TYPE, "佐证材料的文件类型无效。"},
	{STORE_E_EVIDENCE_FILE, "佐证材料无法读取，请重新选择文件。"},
	{STORE_E_EVIDENCE_EMPTY, "佐证材料是空文件，请重新选择文件。"},
	{STORE_E_EVIDENCE_BIG, "佐证材料过大（每个文件不超过 32 MiB）。"},
	{STORE_E_ACTIVITY_DAY, "活动日期不能晚于今天。"},
	{STORE_E_PARTICIPANTS, "参加人员无效或过多（最多 " STR(ACTIVITY_WHO_MAX) " 人）。"},
	{STORE_E_UNIT_NAME, "请填写单位名称，不超过 " ZH_BYTES(STORE_NAME_MAX) "，不能含控制字符。"},
	{STORE_E_UNIT_TAKEN, "已有同名的单位。"},
	{STORE_E_UNIT_CYCLE, "不能把单位放到它自己或它的下级单位之下。"},
	{STORE_E_UNIT_DEPTH, "单位层级过深：顶级单位之下最多 " STR(STORE_UNIT_DEPTH_MAX) " 级。"},
	{STORE_E_LOGIN, "用户名只能由字母、数字、“.”、“_”或“-”组成，不超过 " STR(STORE_LOGIN_MAX) " 个字符。"},
	{STORE_E_LOGIN_TAKEN, "已有同名的用户。"},
	{STORE_E_USER_NAME, "请填写姓名，不超过 " ZH_BYTES(STORE_NAME_MAX) "，不能含控制字符。"},
	{STORE_E_ROLE, "未知的角色。"},
	{STORE_E_LAST_ADMIN, "这是最后一位启用的办公室管理员，不能停用或改为其他角色。请先将另一位用户设为启用的办公室管理员。"},
	{STORE_E_UNIT_NEEDED, "责任领导和承办人必须属于一个单位。"},
	{STORE_E_PASSWORD_SHORT, "密码至少 " STR(STORE_PASSWORD_MIN) " 个字符。"},
	{STORE_E_PASSWORD_LONG, "密码过长（不超过 " STR(STORE_PASSWORD_MAX) " 字节）。"},
	{STORE_E_PASSWORD_OLD, "当前密码不正确。"},
	{STORE_E_SETTING_RANGE, "设置的数值超出允许的范围。"},
	{STORE_E_YEAR, "年度应在 1900 到 9999 之间。"},
	{STORE_E_CAMPAIGN_TITLE, "请填写批次标题，不超过 " ZH_BYTES(STORE_TITLE_MAX) "。"},
	{STORE_E_CAMPAIGN_THEME, "批次主题过长，不能超过 " ZH_BYTES(STORE_TITLE_MAX) "。"},
	{STORE_E_CAMPAIGN_AREAS, "框架方面最多 " STR(CAMPAIGN_AREAS_MAX) " 个，每个不超过 " ZH_BYTES(STORE_TITLE_MAX) "。"},
	{STORE_E_REPORT_DUPLICATE, "这份材料已经导入过。确需再次导入，请勾选“同一文件已导入过时仍再次导入”。"},
	{STORE_E_REPORT_EMPTY, "材料中没有找到“问题”部分的条目，无法生成整改事项。请检查材料的标题和编号。"},
	{STORE_E_TREE_LEAD, "请填写标题，不超过 " ZH_BYTES(STORE_LEAD_MAX) "。"},
	{STORE_E_TREE_KIND, "这个条目不能这样更正，请刷新页面后重试。"},
	{STORE_E_TREE_MOVE_PLACE, "只能移到同一部分（问题或措施）下的另一个方面。"},
	{STORE_E_TREE_MOVE_SAME, "本条已经在这个方面中。"},
	{STORE_E_TREE_MERGE_PLACE, "只能合并同一部分中的条目。"},
	{STORE_E_TREE_MERGE_SELF, "不能把条目并入它自己。"},
	{STORE_E_TREE_HISTORY, "被并入条目的整改事项已有进展、延期申请或状态变化，不能合并。"},
	{STORE_E_TREE_SPLIT, "拆分位置不在本条之内，请刷新页面后重新选择。"},
	{STORE_E_NO_DATABASE, "找不到数据库文件，请先用 rectify init 建立。"},
	{STORE_E_NO_SETTING, "没有这项设置。"},
	{STORE_E_PAGE, "分页参数超出范围：页码从 1 开始，每页 1 到 " STR(TASK_PER_PAGE_MAX) " 条。"},
	{STORE_E_FILTER, "筛选条件无效，请重新选择。"},
	{STORE_E_ASSIGN, "交办信息无效：请重新选择责任领导、责任单位和整改时限。"},
	{STORE_E_ACTION, "这项操作不适用于此处，请刷新页面后重试。"},
	{STORE_E_LOGIN_FAILED, "用户名或密码错误。"},
	{STORE_E_USER_INACTIVE, "该用户已停用。"},
	{STORE_E_SESSION, "登录已失效，请重新登录。"},
	{STORE_E_LEDGER_ROW, "台账中有一行无法读取，请按说明修改后重新导入。"},
	{STORE_E_LEDGER_SIZE, "台账中没有可导入的行，或超过了 " STR(LEDGER_ROWS_MAX) " 行的上限。"},
	{STORE_E_SAME_FILE, "备份或恢复的目标就是正在使用的数据库文件，请另选一个文件。"},
	{STORE_E_NOT_EMPTY, "目标数据库中已有台账，只能复制到空的数据库。"},
	{STORE_E_CONSTRAINT, "数据库拒绝了填写的内容，请检查后重试。"},
};

static size_t explained_at(const char *code)
{
	for (size_t i = 0; code && i < ARRAY_LEN(explained); i++)
		if (strcmp(code, explained[i].code) == 0)
			return i;
	return ARRAY_LEN(explained);
}

const char *app_explain_code(const char *code)
{
	size_t i = explained_at(code);
	return i < ARRAY_LEN(explained) ? explained[i].zh : NULL;
}

const char *app_explain(enum rc rc, const char *code, const char *msg,
			       const char **detail)
{
	*detail = NULL;
	size_t i = explained_at(code);
	if (i < ARRAY_LEN(explained)) {
		/* Its English names the row and the cell: the detail says which. */
		if (strcmp(code, STORE_E_LEDGER_ROW) == 0 && *msg)
			*detail = msg;
		return explained[i].zh;
	}
	/* Chinese enough to read as it is? */
	size_t latin = 0, wide = 0;
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			latin++;
		else if (*p >= 0xE0) /* the lead byte of a three- or four-byte character */
			wide++;
	}
	if (latin <= 2 * wide)
		return msg;
	*detail = msg;
	return web_rc_message(rc);
}

/* The path of the Referer when it is a page of this server, else NULL. */
static const char *local_referer(const struct req *r)
{
	const char *p = r->referer;
	if (!p || !r->host)
		return NULL;
	if (strncmp(p, "http://", 7) == 0)
		p += 7;
	else if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else
		return NULL;
	size_t n = strlen(r->host);
	if (strncmp(p, r->host, n) != 0 || p[n] != '/' || p[n + 1] == '/' || p[n + 1] == '\\')
		return NULL;
	return p + n;
}

void app_error_page(struct req *r, struct html *h, enum rc rc, const char *msg,
			   const char *detail)
{
	static const char *const heads[] = {
		[RC_INVALID] = "填写的内容有误", [RC_NOTFOUND] = "找不到这个页面",
		[RC_DENIED] = "没有权限", [RC_CONFLICT] = "内容已有变动",
		[RC_TOOBIG] = "内容太大", [RC_MEDIA] = "格式不支持",
		[RC_THROTTLED] = "操作过于频繁", [RC_AUTH] = "需要登录",
	};
	const char *head = (unsigned)rc < ARRAY_LEN(heads) && heads[rc] ? heads[rc] : "出错了";
	char title[96];
	snprintf(title, sizeof title, "%s（%d）", head, rc_http_status(rc));
	if (r->logged_in && r->ctx) {
		page_begin(r, h, title, NAV_NONE);
	} else {
		page_begin_bare(h, title);
	}
	html_open(h, "div", "class", "card error-card", NULL);
	html_elem(h, "h1", title, NULL);
	html_elem(h, "p", msg, "class", "flash err", "role", "alert", NULL);
	if (detail)
		html_elem(h, "p", detail, "class", "muted small", "lang", "en", NULL);
	html_open(h, "p", "class", "error-actions", NULL);
	const char *back = local_referer(r);
	if (back && r->method == WEB_POST) {
		/* A fresh copy of the page the form was sent from. */
		html_elem(h, "a", rc == RC_CONFLICT ? "刷新原页面" : "返回原页面", "href", back, "class",
			  "btn", NULL);
		html_lit(h, " ");
	}
	html_elem(h, "a", "返回首页", "href", "/", "class", "btn ghost", NULL);
	html_close(h, 2);
	if (r->logged_in && r->ctx) {
		page_end(r, h);
	} else {
		page_end_bare(h);
	}
}
