/*
 * store_rules.c -- the parts of the ledger that need no database: day
 * numbers, the names of roles, statuses, lights and actions, the light
 * itself, and task_may(), the one permission function of the workflow
 * (docs/WORKFLOW.md is its prose; the rule numbers W1… match).
 *
 * Day numbers use the civil-from-days algorithm on the proleptic Gregorian
 * calendar: day 0 is 1970-01-01, negative days are before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

/* ---- days -------------------------------------------------------------- */

int32_t store_day_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void store_day_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static int month_days(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

int store_day_parse(const char *s, int32_t *day)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -1;
	*day = store_day_from_ymd(y, m, d);
	return 0;
}

int store_day_valid(int32_t day)
{
	/* 1900-01-01 and 9999-12-31 (store_day_from_ymd of each). */
	return day >= -25567 && day <= 2932896;
}

void store_day_format(int32_t day, char out[11])
{
	if (day == STORE_NO_DAY) {
		out[0] = '\0';
		return;
	}
	int y, m, d;
	store_day_to_ymd(day, &y, &m, &d);
	unsigned uy = (unsigned)(y < 0 ? 0 : y % 10000), um = (unsigned)m, ud = (unsigned)d;
	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + um / 10 % 10);
	out[6] = (char)('0' + um % 10);
	out[7] = '-';
	out[8] = (char)('0' + ud / 10 % 10);
	out[9] = (char)('0' + ud % 10);
	out[10] = '\0';
}

enum rc store_today(const char *override, int32_t *day, struct err *e)
{
	if (override && *override) {
		if (store_day_parse(override, day) != 0)
			return ERRC(e, RC_INVALID, STORE_E_DATE,
				    "RECTIFY_TODAY must be a date YYYY-MM-DD, not '%s'", override);
		return RC_OK;
	}
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	*day = store_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return RC_OK;
}

void store_day_time(int32_t day, const char *at, int32_t today, char *out, size_t n)
{
	char local[32], d[11];
	util_local_time(at ? at : "", local, sizeof local);
	if (day == STORE_NO_DAY) {
		snprintf(out, n, "%s", local);
		return;
	}
	store_day_format(day, d);
	int32_t clock, written;
	char ymd[11];
	snprintf(ymd, sizeof ymd, "%.10s", local);
	if (strlen(local) == 16 && store_day_parse(ymd, &written) == 0 &&
	    store_today(NULL, &clock, NULL) == RC_OK && written - day == clock - today)
		snprintf(out, n, "%s%s", d, local + 10); /* " HH:MM" */
	else
		snprintf(out, n, "%s", d);
}

int32_t store_day_add_months(int32_t day, int months)
{
	int y, m, d;
	store_day_to_ymd(day, &y, &m, &d);
	int idx = y * 12 + (m - 1) + months;
	y = idx / 12;
	m = idx % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return store_day_from_ymd(y, m, d);
}

/* ---- names ------------------------------------------------------------- */

static const char *const role_names[ROLE__MAX] = {"admin", "leader", "handler", "reviewer",
						  "observer"};
static const char *const role_names_zh[ROLE__MAX] = {"办公室", "责任领导", "承办人", "审核人",
						     "督导组"};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE__MAX ? role_names[r] : "?";
}

const char *role_name_zh(enum role r)
{
	return (unsigned)r < ROLE__MAX ? role_names_zh[r] : "?";
}

int role_parse(const char *s, enum role *out)
{
	for (int i = 0; s && i < ROLE__MAX; i++) {
		if (strcmp(s, role_names[i]) == 0 || strcmp(s, role_names_zh[i]) == 0) {
			*out = (enum role)i;
			return 0;
		}
	}
	return -1;
}

static const char *const status_names[TASK_STATUS__MAX] = {"未启动", "整改中", "申请销号",
							   "已销号", "阶段性完成", "转入下一批次"};
static const char *const status_keys[TASK_STATUS__MAX] = {"not_started", "in_progress",
							  "submitted", "closed", "staged", "carried"};

const char *task_status_name(enum task_status s)
{
	return (unsigned)s < TASK_STATUS__MAX ? status_names[s] : "?";
}

const char *task_status_key(enum task_status s)
{
	return (unsigned)s < TASK_STATUS__MAX ? status_keys[s] : "?";
}

int task_status_parse(const char *s, enum task_status *out)
{
	for (int i = 0; s && i < TASK_STATUS__MAX; i++) {
		if (strcmp(s, status_names[i]) == 0 || strcmp(s, status_keys[i]) == 0) {
			*out = (enum task_status)i;
			return 0;
		}
	}
	return -1;
}

static const char *const light_names[LIGHT__MAX] = {NULL, "green", "yellow", "red", "grey"};
static const char *const light_names_zh[LIGHT__MAX] = {"", "绿灯", "黄灯", "红灯", "待交办"};

const char *light_name(enum light l)
{
	return (unsigned)l < LIGHT__MAX ? light_names[l] : NULL;
}

const char *light_name_zh(enum light l)
{
	return (unsigned)l < LIGHT__MAX ? light_names_zh[l] : "";
}

int light_parse(const char *s, enum light *out)
{
	static const char *const short_zh[LIGHT__MAX] = {"无", "绿", "黄", "红", "灰"};
	if (!s)
		return -1;
	if (strcmp(s, "none") == 0) {
		*out = LIGHT_NONE;
		return 0;
	}
	for (int i = 1; i < LIGHT__MAX; i++) {
		if (strcmp(s, light_names[i]) == 0 || strcmp(s, light_names_zh[i]) == 0 ||
		    strcmp(s, short_zh[i]) == 0) {
			*out = (enum light)i;
			return 0;
		}
	}
	return -1;
}

enum light light_compute(enum task_status s, bool assigned, int32_t deadline,
			 int32_t last_activity, int32_t today)
{
	if (task_status_ended(s))
		return LIGHT_NONE;
	if (!assigned)
		return LIGHT_GREY;
	if (deadline != STORE_NO_DAY && deadline < today)
		return LIGHT_RED;
	if (deadline != STORE_NO_DAY && deadline - today <= LIGHT_WARN_DAYS)
		return LIGHT_YELLOW;
	if (last_activity != STORE_NO_DAY && today - last_activity >= LIGHT_STALE_DAYS)
		return LIGHT_YELLOW;
	return LIGHT_GREEN;
}

bool task_assigned(int64_t leader_id, int64_t unit_id, enum deadline_kind k)
{
	return leader_id && unit_id && k != DEADLINE_NONE;
}

static const char *const dk_names[DEADLINE__MAX] = {"none", "date", "ongoing", "immediate"};

const char *deadline_kind_name(enum deadline_kind k)
{
	return (unsigned)k < DEADLINE__MAX ? dk_names[k] : "?";
}

int deadline_parse(const char *s, enum deadline_kind *kind, int32_t *day)
{
	if (!s)
		return -1;
	*day = STORE_NO_DAY;
	if (strcmp(s, "ongoing") == 0 || strcmp(s, "长期坚持") == 0) {
		*kind = DEADLINE_ONGOING;
		return 0;
	}
	if (strcmp(s, "immediate") == 0 || strcmp(s, "立行立改") == 0) {
		*kind = DEADLINE_IMMEDIATE;
		return 0;
	}
	if (store_day_parse(s, day) == 0) {
		*kind = DEADLINE_DATE;
		return 0;
	}
	return -1;
}

void deadline_format(enum deadline_kind k, int32_t day, char *out, size_t size)
{
	char d[11];
	store_day_format(day, d);
	switch (k) {
	case DEADLINE_DATE:
		snprintf(out, size, "%s", d);
		break;
	case DEADLINE_ONGOING:
		snprintf(out, size, "长期坚持");
		break;
	case DEADLINE_IMMEDIATE:
		if (day != STORE_NO_DAY)
			snprintf(out, size, "立行立改 (%s)", d);
		else
			snprintf(out, size, "立行立改");
		break;
	default:
		snprintf(out, size, "%s", "");
		break;
	}
}

static const char *const action_names[TACT__MAX] = {
	"assign", "progress", "submit", "approve", "return",
	"reopen", "stage", "extend", "extend-decide", "confirm", "urge",
};
static const char *const action_labels[TACT__MAX] = {
	"分解交办", "报送进展", "申请销号", "销号", "退回",
	"重新打开", "阶段性完成", "延期申请", "延期审批", "回头看确认", "催办",
};

const char *task_action_name(enum task_action a)
{
	return (unsigned)a < TACT__MAX ? action_names[a] : "?";
}

const char *task_action_label(enum task_action a)
{
	return (unsigned)a < TACT__MAX ? action_labels[a] : "?";
}

int task_action_parse(const char *s, enum task_action *out)
{
	for (int i = 0; s && i < TACT__MAX; i++) {
		if (strcmp(s, action_names[i]) == 0 || strcmp(s, action_labels[i]) == 0) {
			*out = (enum task_action)i;
			return 0;
		}
	}
	return -1;
}

int task_event_is_review(const char *action)
{
	static const char *const names[] = {"approve", "return", "reopen", "stage",
					    "confirm", "extend-approve", "extend-refuse"};
	for (size_t i = 0; action && i < ARRAY_LEN(names); i++)
		if (strcmp(action, names[i]) == 0)
			return 1;
	return 0;
}

static const char *const sort_names[TASK_SORT__MAX] = {"seq", "deadline", "status", "unit",
						       "leader", "activity", "updated"};

int task_sort_parse(const char *s, enum task_sort *sort, int *desc)
{
	if (!s || !*s)
		return -1;
	*desc = 0;
	if (*s == '-') {
		*desc = 1;
		s++;
	}
	for (int i = 0; i < TASK_SORT__MAX; i++) {
		if (strcmp(s, sort_names[i]) == 0) {
			*sort = (enum task_sort)i;
			return 0;
		}
	}
	return -1;
}

const char *task_sort_name(enum task_sort s)
{
	return (unsigned)s < TASK_SORT__MAX ? sort_names[s] : "seq";
}

/* ---- the permission function -------------------------------------------- */

static int is_leader_of(const struct who *w, const struct task_facts *f)
{
	return w->role == ROLE_LEADER && w->user_id != 0 && f->leader_id == w->user_id;
}

int task_status_ended(enum task_status s)
{
	return s == TASK_CLOSED || s == TASK_CARRIED;
}

static enum rc may(const struct who *w, const struct task_facts *f, enum task_action a,
		   struct err *e);

/* The rules below, then W16: a task carried into a later campaign is over
 * in its own, whoever asks (the role is refused first, as for any status). */
enum rc task_may(const struct who *w, const struct task_facts *f, enum task_action a,
		 struct err *e)
{
	enum rc rc = may(w, f, a, e);
	if (rc == RC_OK && f->status == TASK_CARRIED)
		return ERRC(e, RC_CONFLICT, STORE_E_W16_CARRIED,
			    "rule W16: the task was carried over into the next campaign "
			    "(转入下一批次); work on the task there");
	return rc;
}

static enum rc may(const struct who *w, const struct task_facts *f, enum task_action a,
		   struct err *e)
{
	enum task_status s = f->status;
	if (w->role == ROLE_OBSERVER)
		return ERRC(e, RC_DENIED, STORE_E_W14_OBSERVER,
			    "rule W14: observers (督导组) change nothing");
	switch (a) {
	case TACT_ASSIGN:
		if (w->role != ROLE_ADMIN)
			return ERRC(e, RC_DENIED, STORE_E_W1_ROLE,
				    "rule W1: only the office (admin) assigns tasks");
		if (s == TASK_CLOSED)
			return ERRC(e, RC_CONFLICT, STORE_E_W1_CLOSED,
				    "rule W1: the task is 已销号; a reviewer must "
				    "reopen it before it is assigned again");
		return RC_OK;
	case TACT_PROGRESS:
		if (!(w->role == ROLE_ADMIN || is_leader_of(w, f) ||
		      (w->role == ROLE_HANDLER && f->unit_in_scope)))
			return ERRC(e, RC_DENIED, STORE_E_W2_ROLE,
				    "rule W2: progress is reported by the task's "
				    "leader, a handler of its unit, or the office");
		if (s == TASK_SUBMITTED)
			return ERRC(e, RC_CONFLICT, STORE_E_W2_SUBMITTED,
				    "rule W2: the task is under review (申请销号); "
				    "wait for the reviewer's decision");
		if (s == TASK_CLOSED)
			return ERRC(e, RC_CONFLICT, STORE_E_W2_CLOSED,
				    "rule W2: the task is 已销号");
		return RC_OK;
	case TACT_SUBMIT:
		if (!(w->role == ROLE_ADMIN || is_leader_of(w, f)))
			return ERRC(e, RC_DENIED, STORE_E_W3_ROLE,
				    "rule W3: only the task's leader (or the office) "
				    "asks for 销号");
		if (s != TASK_IN_PROGRESS && s != TASK_STAGED)
			return ERRC(e, RC_CONFLICT, STORE_E_W3_STATUS,
				    "rule W3: 申请销号 is asked from 整改中 or "
				    "阶段性完成, and the task is %s",
				    task_status_name(s));
		if (!f->has_evidence)
			return ERRC(e, RC_CONFLICT, STORE_E_W4_EVIDENCE,
				    "rule W4: 申请销号 needs at least one progress "
				    "entry with evidence (佐证材料)");
		return RC_OK;
	case TACT_APPROVE:
	case TACT_RETURN:
	case TACT_STAGE:
		if (w->role != ROLE_REVIEWER)
			return ERRC(e, RC_DENIED, STORE_E_W5_ROLE,
				    "rule W5: only a reviewer (审核人) may %s a task",
				    task_action_label(a));
		if (s != TASK_SUBMITTED)
			return ERRC(e, RC_CONFLICT, STORE_E_W5_STATUS,
				    "rule W5: only a task in 申请销号 can be %s; "
				    "this one is %s",
				    task_action_label(a), task_status_name(s));
		if (f->involved)
			return ERRC(e, RC_DENIED, STORE_E_W5_OWN,
				    "rule W5: the task's leader, whoever reported its progress "
				    "or asked for its 销号 may not %s it, whatever their role now",
				    task_action_label(a));
		if (a == TACT_STAGE && f->deadline_kind != DEADLINE_ONGOING)
			return ERRC(e, RC_CONFLICT, STORE_E_W6_ONGOING,
				    "rule W6: 阶段性完成 is only for ongoing "
				    "(长期坚持) tasks");
		return RC_OK;
	case TACT_REOPEN:
		if (w->role != ROLE_REVIEWER)
			return ERRC(e, RC_DENIED, STORE_E_W7_ROLE,
				    "rule W7: only a reviewer (审核人) reopens a task");
		if (s != TASK_CLOSED && s != TASK_STAGED)
			return ERRC(e, RC_CONFLICT, STORE_E_W7_STATUS,
				    "rule W7: only a task that is 已销号 or "
				    "阶段性完成 can be reopened; this one is %s",
				    task_status_name(s));
		return RC_OK;
	case TACT_EXTEND:
		if (!(w->role == ROLE_ADMIN || is_leader_of(w, f)))
			return ERRC(e, RC_DENIED, STORE_E_W10_ROLE,
				    "rule W10: an extension is requested by the "
				    "task's leader or the office");
		if (s == TASK_CLOSED)
			return ERRC(e, RC_CONFLICT, STORE_E_W10_CLOSED,
				    "rule W10: the task is 已销号");
		if (f->deadline_kind == DEADLINE_NONE)
			return ERRC(e, RC_CONFLICT, STORE_E_W10_NO_DEADLINE,
				    "rule W10: the task has no deadline yet; the office "
				    "sets the first one (分解交办), there is nothing to extend");
		if (f->pending_extension)
			return ERRC(e, RC_CONFLICT, STORE_E_W10_PENDING,
				    "rule W10: an extension request is already "
				    "waiting for a decision");
		return RC_OK;
	case TACT_EXTEND_DECIDE:
		if (w->role != ROLE_REVIEWER)
			return ERRC(e, RC_DENIED, STORE_E_W11_ROLE,
				    "rule W11: only a reviewer (审核人) decides on "
				    "an extension");
		if (!f->pending_extension)
			return ERRC(e, RC_CONFLICT, STORE_E_W11_NONE,
				    "rule W11: no extension request is pending");
		return RC_OK;
	case TACT_CONFIRM:
		if (w->role != ROLE_REVIEWER)
			return ERRC(e, RC_DENIED, STORE_E_W12_ROLE,
				    "rule W12: only a reviewer (审核人) confirms a "
				    "回头看");
		if ((s != TASK_CLOSED && s != TASK_STAGED) || f->review_due == STORE_NO_DAY)
			return ERRC(e, RC_CONFLICT, STORE_E_W12_NONE,
				    "rule W12: no 回头看 is pending for this task");
		if (!f->review_is_due) {
			char d[11];
			store_day_format(f->review_due, d);
			return ERRC(e, RC_CONFLICT, STORE_E_W12_NOT_DUE,
				    "rule W12: the 回头看 of this task is due on %s; "
				    "it cannot be confirmed before",
				    d);
		}
		return RC_OK;
	case TACT_URGE:
		if (w->role != ROLE_ADMIN && w->role != ROLE_REVIEWER)
			return ERRC(e, RC_DENIED, STORE_E_W17_ROLE,
				    "rule W17: only the office (admin) and reviewers "
				    "(审核人) 催办");
		if (s != TASK_NOT_STARTED && s != TASK_IN_PROGRESS)
			return ERRC(e, RC_CONFLICT, STORE_E_W17_STATUS,
				    "rule W17: only a task 未启动 or 整改中 is urged (it is "
				    "%s)",
				    task_status_name(s));
		return RC_OK;
	default:
		return ERRC(e, RC_INVALID, STORE_E_ACTION, "no such action");
	}
}
