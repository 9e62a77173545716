/*
 * store_sql.h -- every SQL statement of the store, one STMT(name, sql) each.
 * Included twice by the store (store_int.h makes the enum, store_db.c the
 * table); no include guard on purpose.  Values only through ?N parameters.
 *
 * Scoping: ?S is the caller's scope (who_scope()): 0 sees every unit, a
 * unit id sees that unit and its sub-units, -1 sees nothing.  SCOPE_T is the
 * condition on a task t with the scope in ?2.
 */
#define SCOPE_T " (?2 = 0 OR t.unit_id IN (SELECT descendant FROM unit_tree WHERE ancestor = ?2))"
#define IN_SCOPE_T " t.unit_id IN (SELECT descendant FROM unit_tree WHERE ancestor = ?2)"
/* Over in its campaign: 已销号 (3) or 转入下一批次 (5), task_status_ended() in
 * C.  Such a task has no light and is not open. */
#define ENDED(s) " " s " IN (3, 5)"
#define OPEN(s) " " s " NOT IN (3, 5)"
/*
 * The light rule in SQL, the twin of light_compute() (store_rules.c), which
 * the tests hold it to.  Statements bind the rule's constants as parameters
 * (bind_light_rule(): ?20 LIGHT_WARN_DAYS, ?21 LIGHT_STALE_DAYS, ?22
 * TASK_CLOSED, ?23 TASK_CARRIED); the dashboard's triggers, which cannot
 * take parameters, read the thresholds from dash_day, where store_open()
 * writes them from the same constants (dash_rule_sync).  The literals left
 * (the values of enum light, DEADLINE_NONE, the statuses of ENDED) are
 * checked by _Static_assert in store_int.h.
 */
#define P_WARN "?20"
#define P_STALE "?21"
#define P_ENDED(s) " " s " IN (?22, ?23)"
#define P_OPEN(s) " " s " NOT IN (?22, ?23)"
/* Task r lacks what 交办 gives it (task_assigned() in C): 待交办. */
#define LACKS(r) "(" r ".leader_id IS NULL OR " r ".unit_id IS NULL OR " r ".deadline_kind = 0)"
#define ASSIGNED(r) "(" r ".leader_id IS NOT NULL AND " r ".unit_id IS NOT NULL AND " \
	r ".deadline_kind <> 0)"
/* The light (an enum light value) of task r on the day d, with the
 * thresholds warn and stale and the condition ended (SQL text each). */
#define LIGHT_CASE(r, d, warn, stale, ended) "CASE WHEN" ended " THEN 0 WHEN " LACKS(r) \
	" THEN 4 WHEN " r ".deadline < " d " THEN 3 WHEN " r ".deadline <= " d " + " warn \
	" OR " r ".last_activity <= " d " - " stale " THEN 2 ELSE 1 END"
/* The light of task t on the day ?3, every constant bound. */
#define LIGHT_AT3(r) LIGHT_CASE(r, "?3", P_WARN, P_STALE, P_ENDED(r ".status"))
/* User ?3 had a hand in task t: leads it, reported progress on it or asked
 * for its 销号 -- whatever their role now (separation of duties, rule W5). */
#define INVOLVED_T " (t.leader_id = ?3 OR EXISTS (SELECT 1 FROM progress pr" \
	" WHERE pr.task_id = t.id AND pr.author_id = ?3) OR EXISTS (SELECT 1 FROM task_event ev" \
	" WHERE ev.task_id = t.id AND ev.action = 'submit' AND ev.actor_id = ?3))"

/* ---- handle, meta, settings --------------------------------------------- */
/* What changes when another connection commits (store_generation): on
 * PostgreSQL the snapshot (the transactions running and the next to
 * come), which moves with every commit that wrote, as a number. */
STMT_PG(ST_DATA_VERSION, "PRAGMA data_version",
	"SELECT CAST(CAST('x' || left(md5(CAST(pg_current_snapshot() AS text)), 15) AS bit(60))"
	" AS bigint)")
/* The engine's own check of its files (PostgreSQL checks its pages itself). */
STMT_PG(ST_INTEGRITY, "PRAGMA integrity_check", "SELECT 'ok'")
STMT(ST_META_HEAD_SET, "INSERT INTO meta(key, value) VALUES ('audit_head', ?1)"
		       " ON CONFLICT(key) DO UPDATE SET value = excluded.value")
STMT(ST_META_HEAD_GET, "SELECT value FROM meta WHERE key = 'audit_head'")
/* The ledger's shape may have changed (store_shape). */
#define SHAPE_SET(token) "INSERT INTO meta(key, value) VALUES ('shape', " token ")" \
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value"
STMT_PG(ST_META_SHAPE_SET, SHAPE_SET("lower(hex(randomblob(16)))"),
	SHAPE_SET("replace(CAST(gen_random_uuid() AS text), '-', '')"))
STMT(ST_META_SHAPE_GET, "SELECT value FROM meta WHERE key = 'shape'")
STMT(ST_AUDIT_HASH_AT, "SELECT hash FROM audit WHERE id = ?1")
STMT(ST_SETTING_GET, "SELECT value, version FROM setting WHERE id = ?1")
STMT(ST_SETTING_INSERT, "INSERT INTO setting(id, key, value) VALUES (?1, ?2, ?3)")
STMT(ST_SETTING_UPDATE, "UPDATE setting SET value = ?3, version = version + 1"
			" WHERE id = ?1 AND version = ?4")
STMT(ST_USER_LOGIN, "SELECT login FROM \"user\" WHERE id = ?1")
STMT(ST_CAMPAIGN_EXISTS, "SELECT id FROM campaign WHERE id = ?1")
STMT(ST_CAMPAIGN_CURRENT, "SELECT id FROM campaign ORDER BY current DESC, id DESC LIMIT 1")

/* ---- audit ---------------------------------------------------------------- */
STMT(ST_AUDIT_LAST, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
STMT(ST_AUDIT_INSERT, "INSERT INTO audit(id, at, actor_id, actor, action, entity, entity_id,"
		      " before, after, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		      " ?10, ?11)")
STMT(ST_AUDIT_WALK, "SELECT id, at, actor_id, actor, action, entity, entity_id, before,"
		    " after, prev, hash FROM audit ORDER BY id")
STMT(ST_AUDIT_LIVE, "SELECT count(*) FROM (SELECT max(id) AS m FROM audit WHERE entity = ?1"
		    " GROUP BY entity_id) g JOIN audit a ON a.id = g.m WHERE a.after IS NOT NULL")
STMT(ST_AUDIT_LIST, "SELECT id, at, actor, action, entity, entity_id, coalesce(before, ''),"
		    " coalesce(after, ''), hash FROM audit ORDER BY id DESC LIMIT ?1")
STMT(ST_AUDIT_LIST_ENTITY, "SELECT id, at, actor, action, entity, entity_id,"
			   " coalesce(before, ''), coalesce(after, ''), hash FROM audit"
			   " WHERE entity = ?2 AND entity_id = ?3 ORDER BY id DESC LIMIT ?1")
/* The audit log as read on its page: newest first, filtered by task (rows
 * about the task and about its events, progress and extensions), actor,
 * action and a span of time (?1..?6, each unset when 0 or ''), with the
 * actor's name, the task and its 序号, and the reason an event gave. */
#define AUDIT_TASK "CASE WHEN a.entity = 'task' THEN a.entity_id ELSE" \
	" coalesce(CAST(json_extract(coalesce(a.after, a.before), '$.task_id') AS BIGINT), 0) END"
STMT(ST_AUDIT_QUERY, "SELECT a.id, a.at, a.actor, coalesce(u.name, ''), a.action, a.entity,"
		     " a.entity_id, coalesce(a.before, ''), coalesce(a.after, ''), a.hash,"
		     " " AUDIT_TASK ", coalesce(t.seq, 0),"
		     " coalesce(json_extract(a.after, '$.reason'), '')"
		     " FROM audit a LEFT JOIN \"user\" u ON u.login = a.actor"
		     " LEFT JOIN task t ON t.id = " AUDIT_TASK
		     " WHERE (?1 = 0 OR " AUDIT_TASK " = ?1) AND (?2 = '' OR a.actor = ?2)"
		     " AND (?3 = '' OR a.action = ?3) AND (?4 = '' OR a.at >= ?4)"
		     " AND (?5 = '' OR a.at < ?5) AND (?6 = 0 OR a.id < ?6)"
		     " ORDER BY a.id DESC LIMIT ?7")
STMT(ST_AUDIT_ACTIONS, "SELECT DISTINCT action FROM audit ORDER BY action")
STMT(ST_AUDIT_HAS, "SELECT 1 FROM audit WHERE entity = ?1 AND entity_id = ?2 LIMIT 1")
/* The first audit row whose before-image is not the after-image the
 * previous row of the same entity left (NULL before the first row): the
 * row was changed behind the program's back in between. */
STMT(ST_AUDIT_BREAK, "SELECT id, entity, entity_id, coalesce(prev_id, 0) FROM (SELECT id,"
		     " entity, entity_id, before, lag(after) OVER w AS prev_after,"
		     " lag(id) OVER w AS prev_id FROM audit"
		     " WINDOW w AS (PARTITION BY entity, entity_id ORDER BY id)) AS x"
		     " WHERE before IS DISTINCT FROM prev_after ORDER BY id LIMIT 1")
STMT(ST_EVIDENCE_ALL, "SELECT id, size, sha256 FROM evidence ORDER BY id")
STMT(ST_VFY_UNIT_TREE,
     "WITH RECURSIVE c(a, d, depth) AS (SELECT id, id, 0 FROM unit UNION ALL"
     " SELECT c.a, u.id, c.depth + 1 FROM c JOIN unit u ON u.parent_id = c.d"
     " WHERE c.depth < 64)"
     " SELECT (SELECT count(*) FROM c) = (SELECT count(*) FROM unit_tree) AND NOT EXISTS"
     " (SELECT a, d, depth FROM c EXCEPT SELECT ancestor, descendant, depth FROM unit_tree)")

/*
 * Images of audited rows.  For each table: IMG (one row by id), VFY (the
 * first row whose image differs from the after-image of its last audit
 * row), CNT (rows), GONE (a row the log says exists but which is missing).
 *
 * A column added by a migration enters a table's image only once it holds
 * something other than its default (DEFAULT_OUT), so rows written before
 * the migration keep the image their last audit row holds.
 */
#define DEFAULT_OUT(cond, cols, extra) "CASE WHEN " cond " THEN json_object(" cols ")" \
	" ELSE json_object(" cols ", " extra ") END"
#define IMG_SETTING_OF(value) DEFAULT_OUT("version = 1", "'id', id, 'key', key, 'value', " value, \
	"'version', version")
#define IMG_SETTING IMG_SETTING_OF("CASE WHEN key = 'smtp_password' THEN sha256hex(value) ELSE value END")
/* PostgreSQL's setting.value is text: a number as SQLite's integer column
 * would have kept it (a JSON number), anything else as text. */
#define IMG_SETTING_PG IMG_SETTING_OF("CASE WHEN key = 'smtp_password' THEN to_json(sha256hex(value))" \
	" WHEN value ~ '^-?[0-9]{1,18}$' THEN to_json(CAST(value AS bigint)) ELSE to_json(value) END")
#define IMG_UNIT DEFAULT_OUT("version = 1", "'id', id, 'name', name, 'parent_id', parent_id", \
	"'version', version")
#define USER_COLS "'id', id, 'login', login, 'name', name," \
	" 'role', role, 'unit_id', unit_id, 'active', active, 'pw', sha256hex(pwhash)," \
	" 'created', created"
#define IMG_USER "CASE WHEN email = '' AND notify_off = 0 THEN " DEFAULT_OUT("version = 1", \
	USER_COLS, "'version', version") " ELSE json_object(" USER_COLS ", 'version', version," \
	" 'email', email, 'notify_off', notify_off) END"
#define IMG_CAMPAIGN DEFAULT_OUT("report_title = ''", "'id', id, 'year', year, 'title', title," \
	" 'theme', theme, 'started', started, 'carried_from', carried_from, 'current', current," \
	" 'areas', areas", "'report_title', report_title")
#define IMG_REPORT "json_object('id', id, 'campaign_id', campaign_id, 'owner_id', owner_id," \
	" 'title', title, 'kind', kind, 'format', format, 'encoding', encoding," \
	" 'filename', filename, 'year', year, 'sha256', sha256," \
	" 'source_sha256', sha256hex(source), 'imported_at', imported_at, 'version', version)"
#define IMG_NODE "json_object('id', id, 'report_id', report_id, 'parent_id', parent_id," \
	" 'kind', kind, 'role', role, 'pos', pos, 'label', label, 'title', title," \
	" 'text', text, 'start', start, 'end', \"end\")"
#define IMG_TASK DEFAULT_OUT("leader_text = ''", "'id', id, 'campaign_id', campaign_id," \
	" 'seq', seq, 'problem_id', problem_id, 'area_id', area_id, 'origin_id', origin_id," \
	" 'leader_id', leader_id," \
	" 'unit_id', unit_id, 'goal', goal, 'deadline_kind', deadline_kind," \
	" 'deadline', deadline, 'status', status, 'created', created," \
	" 'last_activity', last_activity, 'closed_day', closed_day, 'review_due', review_due," \
	" 'n_progress', n_progress, 'n_evidence', n_evidence, 'version', version," \
	" 'updated', updated, 'measures', (SELECT group_concat(node_id) FROM" \
	" (SELECT node_id FROM task_measure m WHERE m.task_id = task.id ORDER BY node_id) AS s)", \
	"'leader_text', leader_text")
#define IMG_PROGRESS "json_object('id', id, 'task_id', task_id, 'day', day, 'at', at," \
	" 'author_id', author_id, 'text', text)"
#define IMG_EVIDENCE "json_object('id', id, 'progress_id', progress_id," \
	" 'activity_id', activity_id, 'name', name, 'mime', mime, 'size', size," \
	" 'sha256', sha256)"
#define IMG_EVENT "json_object('id', id, 'task_id', task_id, 'action', action," \
	" 'from_status', from_status, 'to_status', to_status, 'actor_id', actor_id," \
	" 'reason', reason, 'day', day, 'at', at)"
#define IMG_EXTENSION "json_object('id', id, 'task_id', task_id, 'from_kind', from_kind," \
	" 'from_day', from_day, 'to_day', to_day, 'reason', reason, 'state', state," \
	" 'requested_by', requested_by, 'decided_by', decided_by, 'note', note, 'at', at," \
	" 'decided_at', decided_at)"
#define IMG_COMMITMENT "json_object('id', id, 'campaign_id', campaign_id," \
	" 'report_id', report_id, 'text', text, 'subject', subject, 'unit', unit," \
	" 'min', min, 'period', period, 'per', per)"
#define IMG_ACTIVITY "json_object('id', id, 'commitment_id', commitment_id, 'day', day," \
	" 'note', note, 'by_id', by_id, 'at', at, 'who', (SELECT group_concat(user_id) FROM" \
	" (SELECT user_id FROM activity_who w WHERE w.activity_id = activity.id" \
	" ORDER BY user_id) AS s))"

/* Entity N of table T (named F in FROM: "user" is a word to quote). */
#define ENT_SQL(N, T) ENT_SQL_AS(N, T, T)
#define ENT_SQL_AS(N, T, F) ENT_SQL_FORMS(N, T, F, IMG_##N, IMG_##N)
/* … whose image PostgreSQL makes otherwise (IMGPG). */
#define ENT_VFY(T, F, IMG) "SELECT x.id FROM (SELECT id, " IMG " AS img FROM " F ") x" \
	" WHERE x.img IS DISTINCT FROM (SELECT after FROM audit WHERE entity = '" T "'" \
	" AND entity_id = x.id ORDER BY id DESC LIMIT 1) LIMIT 1"
#define ENT_SQL_FORMS(N, T, F, IMG, IMGPG) \
	STMT_PG(ST_IMG_##N, "SELECT " IMG " FROM " F " WHERE id = ?1", \
		"SELECT " IMGPG " FROM " F " WHERE id = ?1") \
	STMT_PG(ST_VFY_##N, ENT_VFY(T, F, IMG), ENT_VFY(T, F, IMGPG)) \
	STMT(ST_CNT_##N, "SELECT count(*) FROM " F) \
	STMT(ST_GONE_##N, "SELECT a.entity_id FROM audit a WHERE a.entity = '" T "'" \
	     " AND a.after IS NOT NULL AND a.id = (SELECT max(id) FROM audit b" \
	     " WHERE b.entity = '" T "' AND b.entity_id = a.entity_id)" \
	     " AND NOT EXISTS (SELECT 1 FROM " F " WHERE id = a.entity_id) LIMIT 1")
ENT_SQL_FORMS(SETTING, "setting", "setting", IMG_SETTING, IMG_SETTING_PG)
ENT_SQL(UNIT, "unit")
ENT_SQL_AS(USER, "user", "\"user\"")
ENT_SQL(CAMPAIGN, "campaign")
ENT_SQL(REPORT, "report")
ENT_SQL(NODE, "node")
ENT_SQL(TASK, "task")
ENT_SQL(PROGRESS, "progress")
ENT_SQL(EVIDENCE, "evidence")
ENT_SQL(EVENT, "task_event")
ENT_SQL(EXTENSION, "extension")
ENT_SQL(COMMITMENT, "commitment")
ENT_SQL(ACTIVITY, "activity")
#undef ENT_SQL
#undef ENT_SQL_AS
#undef ENT_SQL_FORMS
#undef ENT_VFY

/* ---- units ------------------------------------------------------------------ */
STMT(ST_UNIT_GET, "SELECT id FROM unit WHERE id = ?1")
STMT(ST_UNIT_FIND, "SELECT id FROM unit WHERE name = ?1")
STMT(ST_UNIT_INSERT, "INSERT INTO unit(name, parent_id) VALUES (?1, ?2)")
STMT(ST_UNIT_TREE_ADD, "INSERT INTO unit_tree(ancestor, descendant, depth)"
		       " SELECT ancestor, CAST(?1 AS BIGINT), depth + 1 FROM unit_tree"
		       " WHERE descendant = ?2 UNION ALL SELECT ?1, ?1, 0")
STMT(ST_UNIT_IS_BELOW, "SELECT 1 FROM unit_tree WHERE ancestor = ?1 AND descendant = ?2")
/* Levels above unit ?1 (0 for a root), and levels of its subtree below it. */
STMT(ST_UNIT_DEPTH, "SELECT coalesce(max(depth), 0) FROM unit_tree WHERE descendant = ?1")
STMT(ST_UNIT_HEIGHT, "SELECT coalesce(max(depth), 0) FROM unit_tree WHERE ancestor = ?1")
STMT(ST_UNIT_VERSION, "SELECT version FROM unit WHERE id = ?1")
STMT(ST_UNIT_SET_PARENT, "UPDATE unit SET parent_id = ?2 WHERE id = ?1")
STMT(ST_UNIT_RENAME, "UPDATE unit SET name = ?2 WHERE id = ?1")
STMT(ST_UNIT_BUMP, "UPDATE unit SET version = version + 1 WHERE id = ?1 AND version = ?2")
STMT(ST_UNIT_ONE, "SELECT u.id, u.parent_id, u.name, (SELECT coalesce(max(depth), 0)"
		  " FROM unit_tree WHERE descendant = u.id), (SELECT count(*) FROM \"user\""
		  " WHERE unit_id = u.id), 0, u.version FROM unit u WHERE u.id = ?1")
/* Cut the links from the unit's old ancestors to its subtree … */
STMT(ST_UNIT_TREE_DETACH, "DELETE FROM unit_tree WHERE descendant IN"
			  " (SELECT descendant FROM unit_tree WHERE ancestor = ?1)"
			  " AND ancestor NOT IN (SELECT descendant FROM unit_tree WHERE ancestor = ?1)")
/* … and link the new parent's ancestors to it. */
STMT(ST_UNIT_TREE_ATTACH, "INSERT INTO unit_tree(ancestor, descendant, depth)"
			  " SELECT p.ancestor, s.descendant, p.depth + s.depth + 1"
			  " FROM unit_tree p, unit_tree s WHERE p.descendant = ?2 AND s.ancestor = ?1")
STMT(ST_UNIT_LIST,
     "WITH RECURSIVE t(id, parent_id, name, depth, path) AS"
     " (SELECT id, parent_id, name, 0, printf('%010d', id) FROM unit WHERE parent_id IS NULL"
     " UNION ALL SELECT u.id, u.parent_id, u.name, t.depth + 1,"
     " t.path || printf('%010d', u.id)"
     " FROM unit u JOIN t ON u.parent_id = t.id WHERE t.depth < 64)"
     " SELECT t.id, t.parent_id, t.name, t.depth,"
     " (SELECT count(*) FROM \"user\" WHERE unit_id = t.id),"
     " (SELECT count(*) FROM task WHERE unit_id = t.id AND campaign_id ="
     "  (SELECT id FROM campaign ORDER BY current DESC, id DESC LIMIT 1)"
     "  AND (?1 = 0 OR t.id IN (SELECT descendant FROM unit_tree WHERE ancestor = ?1))),"
     " (SELECT version FROM unit WHERE id = t.id)"
     " FROM t ORDER BY t.path")

/* ---- users, sessions ----------------------------------------------------------- */
STMT(ST_USER_INSERT, "INSERT INTO \"user\"(login, name, role, unit_id, pwhash, created)"
		     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
STMT(ST_USER_AUTH, "SELECT id, role, unit_id, pwhash, active FROM \"user\" WHERE login = ?1")
STMT(ST_USER_PWHASH, "SELECT pwhash FROM \"user\" WHERE id = ?1")
STMT(ST_USER_VERSION, "SELECT version FROM \"user\" WHERE id = ?1")
/* 1 when the user already has that role, unit and active flag. */
STMT(ST_USER_SAME, "SELECT role = ?2 AND unit_id IS NOT DISTINCT FROM ?3 AND active = ?4 FROM \"user\" WHERE id = ?1")
STMT(ST_USER_ACTIVE_ADMINS, "SELECT count(*) FROM \"user\" WHERE role = ?1 AND active = 1")
STMT(ST_USER_SET_PWHASH, "UPDATE \"user\" SET pwhash = ?2, version = version + 1 WHERE id = ?1")
STMT(ST_USER_UPDATE, "UPDATE \"user\" SET role = ?2, unit_id = ?3, active = ?4,"
		     " pwhash = coalesce(?6, pwhash), version = version + 1"
		     " WHERE id = ?1 AND version = ?5")
STMT(ST_USER_LIST, "SELECT u.id, u.login, u.name, u.role, u.unit_id, coalesce(n.name, ''),"
		   " u.active, u.version FROM \"user\" u LEFT JOIN unit n ON n.id = u.unit_id"
		   " ORDER BY u.login")
STMT(ST_USER_GET, "SELECT u.id, u.login, u.name, u.role, u.unit_id, coalesce(n.name, ''),"
		  " u.active, u.version FROM \"user\" u LEFT JOIN unit n ON n.id = u.unit_id"
		  " WHERE u.id = ?1")
STMT(ST_SESSION_INSERT, "INSERT INTO session(hash, user_id, csrf, created, expires, last_seen)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?4)")
/* Live at ?2: not past its lifetime, used within the idle bound ?3 (0: none). */
#define SESSION_LIVE " s.expires > ?2 AND (?3 <= 0 OR s.last_seen >= ?2 - ?3)"
STMT(ST_SESSION_GET, "SELECT u.id, u.role, u.unit_id, s.csrf, s.expires, s.last_seen"
		     " FROM session s JOIN \"user\" u ON u.id = s.user_id WHERE s.hash = ?1 AND"
		     SESSION_LIVE " AND u.active = 1")
STMT(ST_SESSION_TOUCH, "UPDATE session SET last_seen = ?2 WHERE hash = ?1 AND expires > ?2"
		       " AND last_seen < ?2")
STMT(ST_SESSION_EXISTS, "SELECT 1 FROM session WHERE hash = ?1 AND expires > ?2")
STMT(ST_SESSION_DELETE, "DELETE FROM session WHERE hash = ?1")
STMT(ST_SESSION_DELETE_USER, "DELETE FROM session WHERE user_id = ?1")
STMT(ST_SESSION_PURGE, "DELETE FROM session WHERE expires <= ?1"
		       " OR (?2 > 0 AND last_seen < ?1 - ?2)")

/* ---- what the web servers share: failed logins, staged uploads (store_web.c) ---- */
/* A failure more for key ?1 (?2: an account's counter) at ?3, in windows of
 * ?4 seconds: a counter whose window ended starts a new one. */
STMT(ST_LOGIN_FAIL_ADD, "INSERT INTO login_fail(key, account, start, last, fails)"
			" VALUES (?1, ?2, ?3, ?3, 1) ON CONFLICT(key) DO UPDATE SET"
			" fails = CASE WHEN ?3 - login_fail.start >= ?4 THEN 1"
			" ELSE login_fail.fails + 1 END,"
			" start = CASE WHEN ?3 - login_fail.start >= ?4 THEN ?3"
			" ELSE login_fail.start END, last = ?3")
/* The counter of key ?1 at ?2 in windows of ?3 seconds: none once its
 * window ended. */
STMT(ST_LOGIN_FAIL_GET, "SELECT start, last, fails FROM login_fail"
			" WHERE key = ?1 AND ?2 - start < ?3")
STMT(ST_LOGIN_FAIL_FORGIVE, "UPDATE login_fail SET fails = 0 WHERE key = ?1")
STMT(ST_LOGIN_FAIL_EXPIRE, "DELETE FROM login_fail WHERE start <= ?1")
STMT(ST_LOGIN_FAIL_ROWS, "SELECT count(*) FROM login_fail WHERE account = 0")
/* The ?1 oldest counters that are no account's. */
STMT(ST_LOGIN_FAIL_EVICT, "DELETE FROM login_fail WHERE key IN (SELECT key FROM login_fail"
			  " WHERE account = 0 ORDER BY start, key LIMIT ?1)")
STMT(ST_LOGIN_FAIL_CLEAR, "DELETE FROM login_fail")
STMT(ST_STAGED_EXPIRE, "DELETE FROM staged WHERE at <= ?1")
STMT(ST_STAGED_DROP_USER, "DELETE FROM staged WHERE user_id = ?1")
STMT(ST_STAGED_PUT, "INSERT INTO staged(user_id, token, at, name, data)"
		    " VALUES (?1, ?2, ?3, ?4, ?5)")
/* All but the ?1 newest. */
STMT(ST_STAGED_TRIM, "DELETE FROM staged WHERE user_id NOT IN (SELECT user_id FROM staged"
		     " ORDER BY at DESC, user_id DESC LIMIT ?1)")
/* User ?1's, staged after ?2. */
STMT(ST_STAGED_GET, "SELECT token, name, data FROM staged WHERE user_id = ?1 AND at > ?2")
STMT(ST_STAGED_DROP, "DELETE FROM staged WHERE user_id = ?1 AND token = ?2")
STMT(ST_STAGED_COUNT, "SELECT count(*) FROM staged")
STMT(ST_STAGED_CLEAR, "DELETE FROM staged")

/* ---- campaigns ------------------------------------------------------------------ */
STMT(ST_CAMPAIGN_CURRENT_ID, "SELECT id FROM campaign WHERE current = 1")
STMT(ST_CAMPAIGN_SET_CURRENT, "UPDATE campaign SET current = ?2 WHERE id = ?1")
STMT(ST_CAMPAIGN_INSERT, "INSERT INTO campaign(year, title, theme, started, carried_from,"
			 " areas) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
STMT(ST_CAMPAIGN_YEAR, "SELECT year FROM campaign WHERE id = ?1")
STMT(ST_CAMPAIGN_TITLE, "SELECT title FROM campaign WHERE id = ?1")
STMT(ST_CAMPAIGN_SET_REPORT_TITLE, "UPDATE campaign SET report_title = ?2 WHERE id = ?1")
/* ?2 scope: the counts are of the tasks the caller can see. */
#define CAMPAIGN_COLS "SELECT c.id, c.year, c.title, c.theme, c.started, c.carried_from," \
	" c.current, c.areas, c.report_title, (SELECT count(*) FROM task t WHERE t.campaign_id = c.id AND" \
	SCOPE_T "), (SELECT count(*) FROM task t WHERE t.campaign_id = c.id AND" OPEN("t.status") \
	" AND" SCOPE_T "), (SELECT count(*) FROM task t WHERE t.campaign_id = c.id" \
	" AND t.status = 5 AND" SCOPE_T ") FROM campaign c"
STMT(ST_CAMPAIGN_LIST, CAMPAIGN_COLS " ORDER BY c.id DESC")
STMT(ST_CAMPAIGN_GET, CAMPAIGN_COLS " WHERE c.id = ?1")
/* The values of the JSON array ?1, in order (a campaign's areas). */
STMT_PG(ST_JSON_EACH, "SELECT value FROM json_each(?1) ORDER BY key",
	"SELECT value FROM json_array_elements_text(CAST(?1 AS json)) WITH ORDINALITY"
	" AS a(value, key) ORDER BY key")
STMT(ST_TASK_UNFINISHED, "SELECT id FROM task WHERE campaign_id = ?1 AND" OPEN("status")
			 " ORDER BY seq")
STMT(ST_TASK_COPY_SRC, "SELECT problem_id, leader_id, unit_id, goal, deadline_kind, deadline,"
		       " status, created, last_activity FROM task WHERE id = ?1")
STMT(ST_TASK_MEASURE_IDS, "SELECT node_id FROM task_measure WHERE task_id = ?1 ORDER BY node_id")

/* ---- reports and nodes ---------------------------------------------------------------- */
STMT(ST_REPORT_INSERT, "INSERT INTO report(campaign_id, owner_id, title, kind, format,"
		       " encoding, filename, year, sha256, source, imported_at)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
STMT(ST_REPORT_BY_SHA, "SELECT id, imported_at, campaign_id FROM report WHERE sha256 = ?1"
		       " ORDER BY id LIMIT 1")
#define REPORT_COLS "SELECT id, campaign_id, owner_id, title, kind, format, encoding," \
	" filename, sha256, imported_at, version"
STMT(ST_REPORT_LIST, REPORT_COLS " FROM report WHERE campaign_id = ?1 ORDER BY id")
STMT(ST_REPORT_GET, REPORT_COLS ", source FROM report WHERE id = ?1")
STMT(ST_REPORT_SOURCE, "SELECT source FROM report WHERE id = ?1")
STMT(ST_REPORT_BUMP, "UPDATE report SET version = version + 1 WHERE id = ?1 AND version = ?2")
STMT(ST_NODE_INSERT, "INSERT INTO node(report_id, parent_id, kind, role, pos, label, title,"
		     " text, start, \"end\") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
/* ?2 scope: a problem item's task only when the caller can see it.  The roots
 * (parent NULL) first on both engines (PostgreSQL puts NULL last by
 * default): store_report_get walks the rows in that order. */
STMT(ST_NODE_LIST, "SELECT n.id, n.parent_id, n.kind, n.role, n.pos, n.label, n.title, n.text,"
		   " n.start, n.\"end\", (SELECT t.id FROM task t JOIN report r ON r.id = n.report_id"
		   " WHERE t.problem_id = n.id AND t.campaign_id = r.campaign_id AND" SCOPE_T
		   " LIMIT 1) FROM node n WHERE n.report_id = ?1"
		   " ORDER BY n.parent_id NULLS FIRST, n.pos, n.id")
STMT(ST_NODE_GET, "SELECT report_id, parent_id, kind, role, pos, start, \"end\", label, text"
		  " FROM node WHERE id = ?1")
STMT(ST_NODE_SET_TITLE, "UPDATE node SET title = ?2 WHERE id = ?1")
STMT(ST_NODE_SET_PLACE, "UPDATE node SET parent_id = ?2, pos = ?3, text = ?4, start = ?5,"
			" \"end\" = ?6, label = ?7 WHERE id = ?1")
STMT(ST_NODE_NEXT_POS, "SELECT coalesce(max(pos), -1) + 1 FROM node WHERE parent_id = ?1")
STMT(ST_NODE_CHILDREN, "SELECT id FROM node WHERE parent_id = ?1 ORDER BY pos, id")
STMT(ST_NODE_DELETE, "DELETE FROM node WHERE id = ?1")
STMT(ST_NODE_EXAMPLES, "SELECT text FROM node WHERE parent_id = ?1 AND kind = 3 ORDER BY pos, id")
STMT(ST_MEASURE_TASKS, "SELECT task_id FROM task_measure WHERE node_id = ?1 ORDER BY task_id")
STMT(ST_MEASURE_CHECK, "SELECT 1 FROM node WHERE id = ?1 AND role = 2 AND kind IN (1, 2)")
STMT(ST_PROBLEM_TASKS, "SELECT id FROM task WHERE problem_id = ?1 ORDER BY id")
STMT(ST_PAST_ITEMS, "SELECT n.id, r.campaign_id, r.id, c.year, n.title, n.text FROM node n"
		    " JOIN report r ON r.id = n.report_id JOIN campaign c ON c.id = r.campaign_id"
		    " WHERE n.kind = 2 AND n.role = 0 AND (?1 = 0 OR r.campaign_id < ?1)"
		    " ORDER BY c.year, n.id")
STMT(ST_LEADER_FIND, "SELECT id FROM \"user\" WHERE role = 1 AND active = 1"
		     " AND (login = ?1 OR name = ?1)")
STMT(ST_COMMITMENT_INSERT, "INSERT INTO commitment(campaign_id, report_id, text, subject, unit,"
			   " min, period, per) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")

/* ---- tasks ------------------------------------------------------------------------------ */
#define AREA_OF(pid) "(SELECT a.id FROM node p JOIN node a ON a.id = p.parent_id" \
	" AND a.kind = 1 WHERE p.id = " pid ")"
STMT(ST_TASK_INSERT, "INSERT INTO task(campaign_id, seq, problem_id, area_id, origin_id,"
		     " leader_id, unit_id, goal, deadline_kind, deadline, status, created,"
		     " last_activity, closed_day, review_due, version, updated, leader_text)"
		     " VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM task WHERE campaign_id = ?1),"
		     " ?2, " AREA_OF("?2") ", ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1, ?14,"
		     " ?15)")
STMT(ST_TASK_SET_AREA, "UPDATE task SET area_id = " AREA_OF("task.problem_id") " WHERE id = ?1")
STMT(ST_TASK_MEASURE_ADD, "INSERT INTO task_measure(task_id, node_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
STMT(ST_TASK_MEASURE_DEL, "DELETE FROM task_measure WHERE task_id = ?1 AND node_id = ?2")
STMT(ST_TASK_MEASURES_CLEAR, "DELETE FROM task_measure WHERE task_id = ?1")
STMT(ST_TASK_DELETE, "DELETE FROM task WHERE id = ?1")
STMT(ST_TASK_SET_PROBLEM, "UPDATE task SET problem_id = ?2, area_id = " AREA_OF("?2")
			  " WHERE id = ?1")
STMT(ST_TASK_CAMPAIGN_OF, "SELECT campaign_id FROM task WHERE id = ?1")
STMT(ST_TASK_HISTORY_SIZE, "SELECT t.n_progress + (SELECT count(*) FROM task_event v"
			   " WHERE v.task_id = t.id"
			   " AND v.action NOT IN ('import', 'carry', 'split', 'assign'))"
			   " + (SELECT count(*) FROM extension x WHERE x.task_id = t.id), t.campaign_id"
			   " FROM task t WHERE t.id = ?1")
STMT(ST_TASK_EVENT_IDS, "SELECT id FROM task_event WHERE task_id = ?1 ORDER BY id")
STMT(ST_EVENT_DELETE, "DELETE FROM task_event WHERE id = ?1")
STMT(ST_EVENT_INSERT, "INSERT INTO task_event(task_id, action, from_status, to_status,"
		      " actor_id, reason, day, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
STMT(ST_TASK_COUNT_PROGRESS, "UPDATE task SET n_progress = (SELECT count(*) FROM progress p"
			     " WHERE p.task_id = ?1) WHERE id = ?1")
STMT(ST_TASK_FACTS, "SELECT t.status, t.leader_id, t.unit_id, t.deadline_kind, t.n_evidence,"
		    " (SELECT count(*) FROM extension x WHERE x.task_id = t.id AND x.state = 0),"
		    " t.review_due, t.version, ?2 <> 0," INVOLVED_T
		    " FROM task t WHERE t.id = ?1 AND" SCOPE_T)
STMT(ST_TASK_GET, "SELECT t.id, t.version, t.campaign_id, p.report_id, t.seq, t.problem_id,"
		  " a.id, t.origin_id, coalesce(a.title, ''), p.label, p.title, p.text, t.goal,"
		  " t.leader_id, coalesce(l.login, ''), coalesce(l.name, ''), t.unit_id,"
		  " coalesce(u.name, ''), t.deadline_kind, t.deadline, t.status, t.created,"
		  " t.last_activity, t.closed_day, t.review_due, t.n_evidence,"
		  " (SELECT count(*) FROM extension x WHERE x.task_id = t.id AND x.state = 0),"
		  " ?2 <> 0, t.leader_text, o.seq, oc.year, n.id, n.seq, nc.year," INVOLVED_T
		  " FROM task t JOIN node p ON p.id = t.problem_id"
		  " LEFT JOIN node a ON a.id = t.area_id"
		  " LEFT JOIN \"user\" l ON l.id = t.leader_id LEFT JOIN unit u ON u.id = t.unit_id"
		  " LEFT JOIN task o ON o.id = t.origin_id"
		  " LEFT JOIN campaign oc ON oc.id = o.campaign_id"
		  " LEFT JOIN task n ON t.status = 5 AND n.id ="
		  " (SELECT max(x.id) FROM task x WHERE x.origin_id = t.id)"
		  " LEFT JOIN campaign nc ON nc.id = n.campaign_id"
		  " WHERE t.id = ?1 AND" SCOPE_T)
STMT(ST_TASK_MEASURES, "SELECT n.id, n.label, n.title, n.text FROM task_measure m"
		       " JOIN node n ON n.id = m.node_id WHERE m.task_id = ?1"
		       " ORDER BY n.report_id, n.start, n.id")
/* 台账 on paper (store_task_briefs): ?1 task, ?2 scope.  The problem's
 * text with each linked measure (none: one row of NULLs), in the order of
 * ST_TASK_MEASURES; the latest progress entry. */
STMT(ST_TASK_BRIEF_MEASURES, "SELECT p.text, n.label, n.text FROM task t"
			     " JOIN node p ON p.id = t.problem_id"
			     " LEFT JOIN task_measure m ON m.task_id = t.id"
			     " LEFT JOIN node n ON n.id = m.node_id WHERE t.id = ?1 AND" SCOPE_T
			     " ORDER BY n.report_id, n.start, n.id")
STMT(ST_TASK_BRIEF_PROGRESS, "SELECT p.day, p.text FROM task t JOIN progress p ON p.task_id = t.id"
			     " WHERE t.id = ?1 AND" SCOPE_T " ORDER BY p.id DESC LIMIT 1")
STMT(ST_TASK_PROGRESS, "SELECT p.id, p.day, p.at, p.author_id, coalesce(u.name, 'system'),"
		       " p.text FROM progress p LEFT JOIN \"user\" u ON u.id = p.author_id"
		       " WHERE p.task_id = ?1 ORDER BY p.id")
STMT(ST_TASK_EVIDENCE, "SELECT e.id, e.progress_id, e.name, e.mime, e.size, e.sha256"
		       " FROM evidence e JOIN progress p ON p.id = e.progress_id"
		       " WHERE p.task_id = ?1 ORDER BY e.id")
STMT(ST_TASK_EVENTS, "SELECT e.id, e.action, e.from_status, e.to_status, e.actor_id,"
		     " coalesce(u.name, 'system'), e.reason, e.at, e.day FROM task_event e"
		     " LEFT JOIN \"user\" u ON u.id = e.actor_id WHERE e.task_id = ?1 ORDER BY e.id")
/* With the day of the request: every request is written with one event
 * 'extend' of its task (store_task_extend), so the task's k-th request has
 * the day of its k-th such event. */
STMT(ST_TASK_EXTENSIONS, "SELECT x.id, x.from_kind, x.from_day, x.to_day, x.reason, x.state,"
			 " x.requested_by, x.decided_by, coalesce(r.name, 'system'),"
			 " coalesce(d.name, ''), x.note, x.at, x.decided_at, v.day FROM"
			 " (SELECT *, row_number() OVER (ORDER BY id) AS k FROM extension"
			 " WHERE task_id = ?1) x LEFT JOIN (SELECT day, row_number() OVER"
			 " (ORDER BY id) AS k FROM task_event WHERE task_id = ?1 AND action = 'extend') v"
			 " ON v.k = x.k LEFT JOIN \"user\" r ON r.id = x.requested_by"
			 " LEFT JOIN \"user\" d ON d.id = x.decided_by ORDER BY x.id")
STMT(ST_TASK_VERSION, "SELECT version FROM task WHERE id = ?1")
STMT(ST_TASK_DEADLINE, "SELECT deadline FROM task WHERE id = ?1")
STMT(ST_USER_ROLE, "SELECT role, active FROM \"user\" WHERE id = ?1")
STMT(ST_TASK_ASSIGN, "UPDATE task SET"
		     " leader_id = CASE CAST(?3 AS BIGINT) WHEN 0 THEN leader_id WHEN -1 THEN NULL ELSE ?3 END,"
		     " unit_id = CASE CAST(?4 AS BIGINT) WHEN 0 THEN unit_id WHEN -1 THEN NULL ELSE ?4 END,"
		     " goal = coalesce(?5, goal),"
		     " deadline_kind = CASE CAST(?6 AS BIGINT) WHEN 0 THEN deadline_kind ELSE ?6 END,"
		     " deadline = CASE ?6 WHEN 0 THEN deadline ELSE ?7 END,"
		     " version = version + 1, updated = ?8 WHERE id = ?1 AND version = ?2")
STMT(ST_TASK_PROGRESSED, "UPDATE task SET status = ?3, last_activity = max(last_activity, ?4),"
			 " n_progress = n_progress + 1, n_evidence = n_evidence + ?5,"
			 " version = version + 1, updated = ?6 WHERE id = ?1 AND version = ?2")
/* Carried over into a later campaign (转入下一批次): no 回头看 here. */
STMT(ST_TASK_CARRY_OUT, "UPDATE task SET status = 5, review_due = NULL, version = version + 1,"
			" updated = ?2 WHERE id = ?1")
STMT(ST_TASK_SET_STATUS, "UPDATE task SET status = ?3,"
			 " closed_day = CASE WHEN ?4 THEN ?5 ELSE closed_day END,"
			 " review_due = ?6, version = version + 1, updated = ?7"
			 " WHERE id = ?1 AND version = ?2")
STMT(ST_TASK_TOUCH, "UPDATE task SET version = version + 1, updated = ?3"
		    " WHERE id = ?1 AND version = ?2")
STMT(ST_TASK_SET_DEADLINE, "UPDATE task SET deadline_kind = 1, deadline = ?3,"
			   " version = version + 1, updated = ?4 WHERE id = ?1 AND version = ?2")
STMT(ST_PROGRESS_INSERT, "INSERT INTO progress(task_id, day, at, author_id, text)"
			 " VALUES (?1, ?2, ?3, ?4, ?5)")
STMT(ST_EVIDENCE_INSERT, "INSERT INTO evidence(progress_id, activity_id, name, mime, size,"
			 " sha256, data) VALUES (?1, ?2, ?3, ?4, ?5, '', zeroblob(?6))")
STMT(ST_EVIDENCE_SET_SHA, "UPDATE evidence SET sha256 = ?2 WHERE id = ?1")
STMT(ST_EVIDENCE_META, "SELECT e.id, e.name, e.mime, e.size, e.sha256 FROM evidence e"
		       " LEFT JOIN progress p ON p.id = e.progress_id"
		       " LEFT JOIN task t ON t.id = p.task_id WHERE e.id = ?1"
		       " AND (e.activity_id IS NOT NULL OR" SCOPE_T ")")
STMT(ST_EXTENSION_INSERT, "INSERT INTO extension(task_id, from_kind, from_day, to_day, reason,"
			  " requested_by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
STMT(ST_EXTENSION_PENDING, "SELECT id, to_day FROM extension WHERE task_id = ?1 AND state = 0"
			   " ORDER BY id LIMIT 1")
STMT(ST_EXTENSION_DECIDE, "UPDATE extension SET state = ?2, decided_by = ?3, note = ?4,"
			  " decided_at = ?5 WHERE id = ?1")

/* ---- commitments, activities ---------------------------------------------------------- */
STMT(ST_CAMPAIGN_STARTED, "SELECT started FROM campaign WHERE id = ?1")
STMT(ST_MEMBERS, "SELECT id, name FROM \"user\" WHERE role = 1 AND active = 1 ORDER BY login")
/* With the day its report was imported (the day its tasks were made), 0
 * when it has none: periods before it are not counted. */
STMT(ST_COMMITMENT_LIST, "SELECT id, campaign_id, report_id, text, subject, unit, min, period,"
			 " per, coalesce((SELECT min(t.created) FROM node n JOIN task t"
			 " ON t.problem_id = n.id WHERE n.report_id = commitment.report_id), 0)"
			 " FROM commitment WHERE campaign_id = ?1 ORDER BY id")
STMT(ST_COMMITMENT_EXISTS, "SELECT 1 FROM commitment WHERE id = ?1")
/* The commitment's text and the measures of its report that may state it
 * (items first, then areas), for store_commitment_measure: ?1 commitment,
 * ?2 the role of measures.  A first row of NULLs when the report has no
 * measure; no row when the commitment does not exist. */
STMT(ST_COMMITMENT_MEASURES, "SELECT c.text, n.id, n.text FROM commitment c"
			     " LEFT JOIN node n ON n.report_id = c.report_id AND n.role = ?2"
			     " AND n.kind IN (1, 2) WHERE c.id = ?1 ORDER BY n.kind DESC, n.start, n.id")
STMT(ST_ACTIVITY_DAYS, "SELECT a.day, (SELECT group_concat(user_id) FROM activity_who w"
		       " WHERE w.activity_id = a.id) FROM activity a WHERE a.commitment_id = ?1")
STMT(ST_ACTIVITY_INSERT, "INSERT INTO activity(commitment_id, day, note, by_id, at)"
			 " VALUES (?1, ?2, ?3, ?4, ?5)")
STMT(ST_ACTIVITY_WHO_ADD, "INSERT INTO activity_who(activity_id, user_id)"
			  " VALUES (?1, ?2) ON CONFLICT DO NOTHING")
STMT(ST_ACTIVITY_LIST, "SELECT a.id, a.commitment_id, a.day, a.note, coalesce(u.name, 'system')"
		       " FROM activity a LEFT JOIN \"user\" u ON u.id = a.by_id"
		       " WHERE a.commitment_id = ?1 ORDER BY a.day DESC, a.id DESC")
STMT(ST_ACTIVITY_WHO, "SELECT u.name FROM activity_who w JOIN \"user\" u ON u.id = w.user_id"
		      " WHERE w.activity_id = ?1 ORDER BY u.login")
STMT(ST_ACTIVITY_EVIDENCE, "SELECT id, name, mime, size, sha256 FROM evidence"
			   " WHERE activity_id = ?1 ORDER BY id")

/*
 * The dashboard's counts (schema 3).  dash_day holds the day D at which the
 * lights and review flags of dash_unit and dash_area are taken; a task
 * counts once in each, under its key at D.  dash_week holds the burn-down's
 * change of open tasks per day.  The triggers keep them in the transaction
 * of each change; store_dash_roll() moves D, and a reader on another day
 * corrects the few tasks whose light moved in between (store_commit.c).
 */
#define DASH_D "(SELECT day FROM dash_day WHERE id = 1)"
/* The light of a task r at D, with the thresholds dash_day holds. */
#define DASH_LIGHT(r) LIGHT_CASE(r, DASH_D, "(SELECT warn_days FROM dash_day WHERE id = 1)", \
	"(SELECT stale_days FROM dash_day WHERE id = 1)", ENDED(r ".status"))
/* As schema 3 to 5 had it (no grey; the thresholds written into the
 * triggers): what the migration 2 → 3 made, replaced by 5 → 6. */
#define DASH_LIGHT_V3(r)                                                                       \
	"CASE WHEN" ENDED(r ".status") " THEN 0 WHEN " r ".deadline < " DASH_D " THEN 3"         \
	" WHEN " r ".deadline <= " DASH_D " + " STR(LIGHT_WARN_DAYS) " OR " r ".last_activity <= " \
	DASH_D " - " STR(LIGHT_STALE_DAYS) " THEN 2 ELSE 1 END"
#define DASH_DUE(r) "CASE WHEN " r ".review_due <= " DASH_D " THEN 1 ELSE 0 END"
/* An event leaving a task open from closed or nothing: +1; closing it: -1. */
#define DASH_DELTA(v) "(CASE WHEN" OPEN(v ".to_status") " THEN 1 ELSE 0 END - CASE WHEN" \
	OPEN("coalesce(" v ".from_status, 3)") " THEN 1 ELSE 0 END)"
#define DASH_TASK_WITH(r, sign, light)                                                         \
	"INSERT INTO dash_unit VALUES(" r ".campaign_id, coalesce(" r ".unit_id, 0), " r           \
	".status, " light ", " DASH_DUE(r) ", " sign ")"                                         \
	" ON CONFLICT(campaign_id, unit_id, status, light, due) DO UPDATE SET n = dash_unit.n + excluded.n;" \
	" INSERT INTO dash_area VALUES(" r ".campaign_id, coalesce(" r ".area_id, 0), " r          \
	".status, " light ", " sign ")"                                                          \
	" ON CONFLICT(campaign_id, area_id, status, light) DO UPDATE SET n = dash_area.n + excluded.n;"
#define DASH_TASK(r, sign) DASH_TASK_WITH(r, sign, DASH_LIGHT(r))
#define DASH_EVENT(v, sign)                                                                    \
	"INSERT INTO dash_week SELECT t.campaign_id, " v ".day, " sign " * (" DASH_DELTA(v) ")"   \
	" FROM task t WHERE t.id = " v ".task_id"                                               \
	" ON CONFLICT(campaign_id, day) DO UPDATE SET delta = dash_week.delta + excluded.delta;"
#define DASH_TRIGGERS_V3                                                                       \
	"CREATE TRIGGER dash_task_in AFTER INSERT ON task BEGIN "                                 \
	DASH_TASK_WITH("new", "1", DASH_LIGHT_V3("new")) " END;\n"                               \
	"CREATE TRIGGER dash_task_out AFTER DELETE ON task BEGIN "                                \
	DASH_TASK_WITH("old", "-1", DASH_LIGHT_V3("old")) " END;\n"                              \
	"CREATE TRIGGER dash_task_up AFTER UPDATE OF campaign_id, unit_id, area_id, status,"     \
	" deadline, last_activity, review_due ON task BEGIN "                                    \
	DASH_TASK_WITH("old", "-1", DASH_LIGHT_V3("old"))                                         \
	DASH_TASK_WITH("new", "1", DASH_LIGHT_V3("new")) " END;\n"
/* Schema 6: grey, and the thresholds read from dash_day; a change of the
 * leader, the unit or the kind of deadline moves a task's light too. */
#define DASH_TRIGGERS                                                                          \
	"CREATE TRIGGER dash_task_in AFTER INSERT ON task BEGIN " DASH_TASK("new", "1") " END;\n" \
	"CREATE TRIGGER dash_task_out AFTER DELETE ON task BEGIN " DASH_TASK("old", "-1")        \
	" END;\n"                                                                                \
	"CREATE TRIGGER dash_task_up AFTER UPDATE OF campaign_id, unit_id, area_id, status,"     \
	" deadline, last_activity, review_due, leader_id, deadline_kind ON task BEGIN "          \
	DASH_TASK("old", "-1") DASH_TASK("new", "1") " END;\n"
#define DASH_SCHEMA                                                                            \
	"CREATE TABLE dash_day(id INTEGER PRIMARY KEY CHECK (id = 1), day INTEGER NOT NULL);\n"  \
	"CREATE TABLE dash_unit(campaign_id INTEGER NOT NULL, unit_id INTEGER NOT NULL,"         \
	" status INTEGER NOT NULL, light INTEGER NOT NULL, due INTEGER NOT NULL,"               \
	" n INTEGER NOT NULL, PRIMARY KEY(campaign_id, unit_id, status, light, due))"           \
	" WITHOUT ROWID;\n"                                                                     \
	"CREATE TABLE dash_area(campaign_id INTEGER NOT NULL, area_id INTEGER NOT NULL,"         \
	" status INTEGER NOT NULL, light INTEGER NOT NULL, n INTEGER NOT NULL,"                 \
	" PRIMARY KEY(campaign_id, area_id, status, light)) WITHOUT ROWID;\n"                    \
	"CREATE TABLE dash_week(campaign_id INTEGER NOT NULL, day INTEGER NOT NULL,"             \
	" delta INTEGER NOT NULL, PRIMARY KEY(campaign_id, day)) WITHOUT ROWID;\n"               \
	"CREATE INDEX task_open ON task(campaign_id, deadline IS NULL, deadline, seq)"            \
	" WHERE" OPEN("status") ";\n"                                                           \
	DASH_TRIGGERS_V3                                                                          \
	"CREATE TRIGGER dash_event_in AFTER INSERT ON task_event BEGIN " DASH_EVENT("new", "1")  \
	" END;\n"                                                                                \
	"CREATE TRIGGER dash_event_out AFTER DELETE ON task_event BEGIN "                        \
	DASH_EVENT("old", "-1") " END;\n"                                                        \
	"CREATE TRIGGER dash_event_up AFTER UPDATE ON task_event BEGIN " DASH_EVENT("old", "-1") \
	DASH_EVENT("new", "1") " END;\n"


/* ---- dashboard (?1 campaign, ?2 scope, ?3 today) -------------------------------------- */
/* The kept counts (schema 3; the triggers are in DASH_SCHEMA). */
STMT(ST_DASH_DAY, "SELECT day FROM dash_day WHERE id = 1")
STMT(ST_DASH_DAY_SET, "UPDATE dash_day SET day = ?1 WHERE id = 1")
/* The thresholds the kept lights were taken with (schema 6), and setting
 * them anew with every kept light recounted (dash_rule_sync). */
STMT(ST_DASH_RULE, "SELECT warn_days, stale_days FROM dash_day WHERE id = 1")
STMT(ST_DASH_RULE_SET, "UPDATE dash_day SET warn_days = ?1, stale_days = ?2 WHERE id = 1")
STMT(ST_DASH_UNIT_CLEAR, "DELETE FROM dash_unit")
STMT(ST_DASH_AREA_CLEAR, "DELETE FROM dash_area")
STMT(ST_DASH_CAMPAIGNS, "SELECT id FROM campaign ORDER BY id")
/* Rows of dash_unit in scope, each unit's rows together (by the unit: SQLite
 * reads the key in that order anyway, PostgreSQL's table has no order of its
 * own; the caller sorts the units by name). */
STMT(ST_DASH_UNIT_ROWS, "SELECT d.unit_id, coalesce(u.name, ''), d.status, d.light, d.due, d.n,"
			" u.name IS NULL FROM dash_unit d LEFT JOIN unit u ON u.id = d.unit_id"
			" WHERE d.campaign_id = ?1 AND d.n <> 0 AND (?2 = 0 OR d.unit_id IN"
			" (SELECT descendant FROM unit_tree WHERE ancestor = ?2)) ORDER BY d.unit_id")
/* Rows of dash_area, each title's rows together, with the area's first task. */
STMT(ST_DASH_AREA_ROWS, "SELECT d.area_id, coalesce(a.title, ''), (SELECT min(t.seq) FROM task t"
			" WHERE t.area_id IS NOT DISTINCT FROM nullif(d.area_id, 0) AND t.campaign_id = ?1),"
			" d.status, d.light, d.n FROM dash_area d LEFT JOIN node a ON a.id = d.area_id"
			" WHERE d.campaign_id = ?1 AND d.n <> 0 ORDER BY coalesce(a.title, ''), d.area_id")
STMT(ST_DASH_WEEK, "SELECT day, delta FROM dash_week WHERE campaign_id = ?1 AND delta <> 0"
		   " ORDER BY day")
/* The tasks whose light or review flag may differ between the days ?4 and ?5
 * (?4 <= ?5): a deadline, a staleness or a review day in between. */
#define DASH_WINDOW " (SELECT id FROM task WHERE campaign_id = ?1 AND" P_OPEN("status") \
	" AND deadline BETWEEN CAST(?4 AS BIGINT) - " P_WARN " - 1 AND CAST(?5 AS BIGINT) + " P_WARN " + 1 UNION SELECT id FROM task" \
	" WHERE campaign_id = ?1 AND last_activity BETWEEN CAST(?4 AS BIGINT) - " P_STALE " - 1 AND CAST(?5 AS BIGINT) - " P_STALE \
	" + 1 UNION SELECT id FROM task WHERE review_due BETWEEN CAST(?4 AS BIGINT) - 1 AND CAST(?5 AS BIGINT) + 1 AND campaign_id = ?1)"
/* Those tasks in scope, with their keys at D and at ?3. */
STMT(ST_DASH_MOVED, "SELECT coalesce(t.unit_id, 0), coalesce(t.area_id, 0), t.status, "
		    DASH_LIGHT("t") ", " DASH_DUE("t") ", " LIGHT_AT3("t") ","
		    " CASE WHEN t.review_due <= ?3 THEN 1 ELSE 0 END, count(*) FROM task t WHERE t.id IN"
		    DASH_WINDOW
		    " AND" SCOPE_T " GROUP BY 1, 2, 3, 4, 5, 6, 7")
/* Moving D: the window's tasks taken out (?6 = -1) at the old D, in at the new. */
STMT(ST_DASH_ROLL_UNIT, "INSERT INTO dash_unit SELECT campaign_id, coalesce(unit_id, 0), status, "
			DASH_LIGHT("task") ", " DASH_DUE("task") ", ?6 * count(*) FROM task"
			" WHERE id IN" DASH_WINDOW " GROUP BY 1, 2, 3, 4, 5"
			" ON CONFLICT(campaign_id, unit_id, status, light, due)"
			" DO UPDATE SET n = dash_unit.n + excluded.n")
STMT(ST_DASH_ROLL_AREA, "INSERT INTO dash_area SELECT campaign_id, coalesce(area_id, 0), status, "
			DASH_LIGHT("task") ", ?6 * count(*) FROM task"
			" WHERE id IN" DASH_WINDOW " GROUP BY 1, 2, 3, 4"
			" ON CONFLICT(campaign_id, area_id, status, light)"
			" DO UPDATE SET n = dash_area.n + excluded.n")
/* verify: the kept counts against a recount (rows that differ, both ways). */
#define DASH_UNIT_RECOUNT "SELECT campaign_id, coalesce(unit_id, 0), status, " \
	DASH_LIGHT("task") ", " DASH_DUE("task") ", count(*) FROM task GROUP BY 1, 2, 3, 4, 5"
#define DASH_UNIT_KEPT "SELECT campaign_id, unit_id, status, light, due, n FROM dash_unit" \
	" WHERE n <> 0"
#define DASH_AREA_RECOUNT "SELECT campaign_id, coalesce(area_id, 0), status, " \
	DASH_LIGHT("task") ", count(*) FROM task GROUP BY 1, 2, 3, 4"
#define DASH_AREA_KEPT "SELECT campaign_id, area_id, status, light, n FROM dash_area WHERE n <> 0"
#define DASH_WEEK_RECOUNT "SELECT t.campaign_id, v.day, sum(" DASH_DELTA("v") ") FROM task_event v" \
	" JOIN task t ON t.id = v.task_id GROUP BY 1, 2 HAVING sum(" DASH_DELTA("v") ") <> 0"
#define DASH_WEEK_KEPT "SELECT campaign_id, day, delta FROM dash_week WHERE delta <> 0"
STMT(ST_DASH_UNIT_FILL, "INSERT INTO dash_unit " DASH_UNIT_RECOUNT)
STMT(ST_DASH_AREA_FILL, "INSERT INTO dash_area " DASH_AREA_RECOUNT)
STMT(ST_DASH_VERIFY, "SELECT (SELECT count(*) FROM (" DASH_UNIT_RECOUNT " EXCEPT " DASH_UNIT_KEPT
		     ") AS x) + (SELECT count(*) FROM (" DASH_UNIT_KEPT " EXCEPT " DASH_UNIT_RECOUNT ") AS x)"
		     " + (SELECT count(*) FROM (" DASH_AREA_RECOUNT " EXCEPT " DASH_AREA_KEPT ") AS x)"
		     " + (SELECT count(*) FROM (" DASH_AREA_KEPT " EXCEPT " DASH_AREA_RECOUNT ") AS x)"
		     " + (SELECT count(*) FROM (" DASH_WEEK_RECOUNT " EXCEPT " DASH_WEEK_KEPT ") AS x)"
		     " + (SELECT count(*) FROM (" DASH_WEEK_KEPT " EXCEPT " DASH_WEEK_RECOUNT ") AS x)")

/* The lights of the recount, at ?3 (LIGHT_AT3: 3 red, 2 yellow, 1 green, 4 grey). */
/* How many rows meet c (a sum of booleans, which PostgreSQL has not). */
#define COUNT_IF(c) "sum(CASE WHEN " c " THEN 1 ELSE 0 END)"
#define RED3 "(" LIGHT_AT3("t") ") = 3"
#define YELLOW3 "(" LIGHT_AT3("t") ") = 2"
#define GREEN3 "(" LIGHT_AT3("t") ") = 1"
#define GREY3 "(" LIGHT_AT3("t") ") = 4"
STMT(ST_DASH_TOTALS, "SELECT t.status, count(*), " COUNT_IF(RED3) ", " COUNT_IF(YELLOW3) ", " COUNT_IF(GREEN3) ","
		     " " COUNT_IF("t.review_due <= ?3") ", " COUNT_IF(GREY3) ""
		     " FROM task t WHERE t.campaign_id = ?1 AND" SCOPE_T " GROUP BY t.status")
STMT(ST_DASH_EXTENSIONS, "SELECT count(DISTINCT x.task_id) FROM extension x"
			 " JOIN task t ON t.id = x.task_id WHERE x.state = 0"
			 " AND t.campaign_id = ?1 AND" SCOPE_T)
/* By area: grouped by the area's title, so that the same framework area in
 * several reports of the campaign counts once.  The unary + keeps SQLite
 * from walking the area index over the whole campaign to group a scope's
 * few tasks (it reads them by the unit index and sorts them instead). */
#define DASH_AREAS(scope, group) "SELECT min(x.area_id), coalesce(a.title, ''), sum(x.n), sum(x.closed)," \
	" sum(x.staged), sum(x.red), sum(x.yellow), sum(x.green), sum(x.carried), sum(x.grey) FROM" \
	" (SELECT t.area_id, min(t.seq) AS first, count(*) AS n," \
	" " COUNT_IF("t.status = 3") " AS closed, " COUNT_IF("t.status = 4") " AS staged," \
	" " COUNT_IF("t.status = 5") " AS carried," \
	" " COUNT_IF(RED3) " AS red, " COUNT_IF(YELLOW3) " AS yellow, " COUNT_IF(GREEN3) " AS green," \
	" " COUNT_IF(GREY3) " AS grey" \
	" FROM task t WHERE t.campaign_id = ?1 AND" scope " GROUP BY " group ") x" \
	" LEFT JOIN node a ON a.id = x.area_id" \
	" GROUP BY coalesce(a.title, '') ORDER BY min(x.first)"
/* PostgreSQL groups by the column itself (it cannot tell +t.area_id from
 * t.area_id in the select list). */
STMT_PG(ST_DASH_AREAS, DASH_AREAS(SCOPE_T, "+t.area_id"), DASH_AREAS(SCOPE_T, "t.area_id"))
STMT(ST_DASH_UNITS, "SELECT t.unit_id, coalesce(u.name, ''), count(*), " COUNT_IF("t.status = 3") ","
		    " " COUNT_IF("t.status = 4") ", " COUNT_IF(RED3) ", " COUNT_IF(YELLOW3) ", " COUNT_IF(GREEN3) ","
		    " " COUNT_IF("t.status = 5") ", " COUNT_IF(GREY3) " FROM task t LEFT JOIN unit u ON u.id = t.unit_id"
		    " WHERE t.campaign_id = ?1 AND" SCOPE_T
		    " GROUP BY t.unit_id, u.name ORDER BY u.name IS NULL, u.name")
/* Open tasks change by +1 when an event leaves them open from closed or
 * nothing, -1 when it closes them or carries them over. */
#define DASH_DELTAS(scope, join) "SELECT v.day, sum(" DASH_DELTA("v") ")" \
	" FROM task t " join " task_event v ON v.task_id = t.id" \
	" WHERE t.campaign_id = ?1 AND" scope " GROUP BY v.day ORDER BY v.day"
/* CROSS JOIN keeps SQLite's join order (tasks first); PostgreSQL's CROSS
 * JOIN takes no ON, and its planner needs no such hint. */
STMT_PG(ST_DASH_DELTAS, DASH_DELTAS(SCOPE_T, "CROSS JOIN"), DASH_DELTAS(SCOPE_T, "JOIN"))
/* The same two for a scope (?2 not 0) alone: the unit index then reads the
 * scope's tasks only, where SCOPE_T's "?2 = 0 OR" reads the campaign's. */
STMT_PG(ST_DASH_AREAS_IN, DASH_AREAS(IN_SCOPE_T, "+t.area_id"), DASH_AREAS(IN_SCOPE_T, "t.area_id"))
STMT_PG(ST_DASH_DELTAS_IN, DASH_DELTAS(IN_SCOPE_T, "CROSS JOIN"), DASH_DELTAS(IN_SCOPE_T, "JOIN"))
/* How many tasks of campaign ?1 the kept counts hold in the scope ?2 (0:
 * all), of the status ?3 and the light ?4 (-1: any): the size of a scope
 * (store_task_list's choice of index), a total filtered by the status
 * alone, the grey tasks of the office's 待办 (grey does not depend on the
 * day the lights were taken at). */
STMT(ST_KEPT_COUNT, "SELECT coalesce(sum(n), 0) FROM dash_unit WHERE campaign_id = ?1"
		    " AND (?2 = 0 OR unit_id IN (SELECT descendant FROM unit_tree WHERE ancestor = ?2))"
		    " AND (?3 < 0 OR status = ?3) AND (?4 < 0 OR light = ?4)")

/* ---- reconciliation (?1 campaign, ?2 scope, ?3 today) --------------------------------- */
#define CHECK_TASKS "SELECT t.id, t.seq, p.label, p.title FROM task t" \
	" JOIN node p ON p.id = t.problem_id WHERE t.campaign_id = ?1 AND" SCOPE_T
#define PROBLEM_NO_TASK "SELECT n.id, 0, n.label, n.title FROM node n" \
	" JOIN report r ON r.id = n.report_id WHERE r.campaign_id = ?1" \
	" AND n.kind = 2 AND n.role = 0 AND NOT EXISTS (SELECT 1 FROM task t" \
	" WHERE t.problem_id = n.id AND t.campaign_id = ?1)"
STMT(ST_CHECK_PROBLEM_NO_TASK, PROBLEM_NO_TASK " ORDER BY r.id, n.start")
/* How many problems lack a task (the office's 待办, store_office_todo, with
 * the grey tasks of ST_KEPT_COUNT). */
STMT(ST_TODO_PROBLEMS, "SELECT count(*) FROM (" PROBLEM_NO_TASK ") AS x")
STMT(ST_CHECK_NO_LEADER, CHECK_TASKS " AND" OPEN("t.status") " AND t.leader_id IS NULL ORDER BY t.seq")
STMT(ST_CHECK_NO_UNIT, CHECK_TASKS " AND" OPEN("t.status") " AND t.unit_id IS NULL ORDER BY t.seq")
STMT(ST_CHECK_NO_DEADLINE, CHECK_TASKS " AND" OPEN("t.status") " AND t.deadline_kind = 0"
			   " ORDER BY t.seq")
STMT(ST_CHECK_NO_MEASURE, CHECK_TASKS " AND" OPEN("t.status") " AND NOT EXISTS (SELECT 1"
			  " FROM task_measure m WHERE m.task_id = t.id) ORDER BY t.seq")
STMT(ST_CHECK_MEASURE_UNUSED, "SELECT n.id, 0, n.label, CASE WHEN n.title <> '' THEN n.title"
			      " ELSE substr(n.text, 1, 60) END FROM node n"
			      " JOIN report r ON r.id = n.report_id WHERE r.campaign_id = ?1"
			      " AND n.role = 2 AND (n.kind = 2 OR (n.kind = 1 AND NOT EXISTS"
			      " (SELECT 1 FROM node c WHERE c.parent_id = n.id AND c.kind = 2)))"
			      " AND NOT EXISTS (SELECT 1 FROM task_measure m WHERE m.node_id = n.id)"
			      " ORDER BY r.id, n.start")
STMT(ST_CHECK_REVIEW_DUE, CHECK_TASKS " AND t.review_due <= ?3 ORDER BY t.seq")
STMT(ST_CHECK_EXTENSION, CHECK_TASKS " AND EXISTS (SELECT 1 FROM extension x"
			 " WHERE x.task_id = t.id AND x.state = 0) ORDER BY t.seq")

/* ---- exports ----------------------------------------------------------------------------- */
/* The rows of an export (store_task_iter_*): ?1 campaign, ?2 scope, ?3
 * TASK_CARRIED.  The measures, progress and events of the same tasks come
 * from one statement each, in the same 序号 order, merged in C. */
STMT(ST_EXPORT_TASKS, "SELECT t.id, t.seq, coalesce(a.title, ''), p.title, p.text, t.goal,"
		      " coalesce(l.name, t.leader_text), coalesce(u.name, ''), t.deadline_kind, t.deadline,"
		      " t.status, t.last_activity, t.n_evidence, t.n_progress, t.origin_id,"
		      " t.leader_id, t.unit_id, o.seq, oc.year, n.seq, nc.year,"
		      " (SELECT max(x.to_day) FROM extension x WHERE x.task_id = t.id AND x.state = 0)"
		      " FROM task t JOIN node p ON p.id = t.problem_id"
		      " LEFT JOIN node a ON a.id = t.area_id"
		      " LEFT JOIN \"user\" l ON l.id = t.leader_id LEFT JOIN unit u ON u.id = t.unit_id"
		      " LEFT JOIN task o ON o.id = t.origin_id"
		      " LEFT JOIN campaign oc ON oc.id = o.campaign_id"
		      " LEFT JOIN task n ON t.status = ?3 AND n.id ="
		      " (SELECT max(x.id) FROM task x WHERE x.origin_id = t.id)"
		      " LEFT JOIN campaign nc ON nc.id = n.campaign_id"
		      " WHERE t.campaign_id = ?1 AND" SCOPE_T " ORDER BY t.seq")
STMT(ST_EXPORT_MEASURES, "SELECT t.seq, n.label, n.text FROM task t"
			 " JOIN task_measure m ON m.task_id = t.id JOIN node n ON n.id = m.node_id"
			 " WHERE t.campaign_id = ?1 AND" SCOPE_T
			 " ORDER BY t.seq, n.report_id, n.start, n.id")
STMT(ST_EXPORT_PROGRESS, "SELECT t.seq, p.day, p.text FROM task t"
			 " JOIN progress p ON p.task_id = t.id"
			 " WHERE t.campaign_id = ?1 AND" SCOPE_T " ORDER BY t.seq, p.id")
/* 承办人 of each unit: the active users of role ?1 (handler) of the unit
 * nearest to it, itself first then up the tree, that has any; by unit. */
STMT(ST_EXPORT_HANDLERS, "SELECT t.descendant, u.name FROM unit_tree t"
			 " JOIN \"user\" u ON u.unit_id = t.ancestor AND u.role = ?1 AND u.active = 1"
			 " WHERE t.depth = (SELECT min(t2.depth) FROM unit_tree t2"
			 " JOIN \"user\" u2 ON u2.unit_id = t2.ancestor AND u2.role = ?1"
			 " AND u2.active = 1 WHERE t2.descendant = t.descendant)"
			 " ORDER BY t.descendant, u.id")
STMT(ST_EVENT_LIST, "SELECT t.id, t.seq, e.id, e.action, e.from_status, e.to_status,"
		    " e.actor_id, coalesce(u.name, 'system'), e.reason, e.at, e.day"
		    " FROM task_event e JOIN task t ON t.id = e.task_id"
		    " LEFT JOIN \"user\" u ON u.id = e.actor_id"
		    " WHERE t.campaign_id = ?1 AND" SCOPE_T " ORDER BY t.seq, e.id")

/* ---- the generator ------------------------------------------------------------------- */
STMT(ST_GEN_TASK_PROGRESS, "UPDATE task SET n_progress = ?2, last_activity = ?3 WHERE id = ?1")

/* ---- 催办 and notifications (store_notify.c) -------------------------------- */
/* The tasks of 我的's first groups, in the columns of the task list
 * (task_row_from): ?1 campaign, ?2 scope, ?3 leader (0: any).  Urged: the
 * last 催办 of a task 未启动 or 整改中 after which its people did nothing
 * (no progress entry, 申请销号 or 延期申请) -- the rule task_get's banner
 * applies in C (urge_pending).  Returned: a task 整改中 whose last
 * submit, return or reopen is a return. */
#define ROW_COLS "SELECT t.id, t.version, t.campaign_id, t.seq, coalesce(a.title, ''), p.label," \
	" p.title, t.leader_id, coalesce(l.name, ''), t.unit_id, coalesce(u.name, '')," \
	" t.deadline_kind, t.deadline, t.status, t.last_activity, t.review_due, t.n_progress," \
	" t.leader_text FROM task t JOIN node p ON p.id = t.problem_id" \
	" LEFT JOIN node a ON a.id = t.area_id LEFT JOIN \"user\" l ON l.id = t.leader_id" \
	" LEFT JOIN unit u ON u.id = t.unit_id"
STMT(ST_TASKS_URGED, ROW_COLS " JOIN (SELECT task_id, max(id) AS uid FROM task_event"
		     " WHERE action = 'urge' GROUP BY task_id) g ON g.task_id = t.id"
		     " JOIN task_event ue ON ue.id = g.uid"
		     " WHERE t.campaign_id = ?1 AND t.status IN (0, 1) AND" SCOPE_T
		     " AND (?3 = 0 OR t.leader_id = ?3)"
		     " AND NOT EXISTS (SELECT 1 FROM task_event x WHERE x.task_id = t.id"
		     " AND x.id > g.uid AND x.action IN ('progress', 'submit', 'extend'))"
		     " AND NOT EXISTS (SELECT 1 FROM progress q WHERE q.task_id = t.id"
		     " AND q.at > ue.at) ORDER BY g.uid DESC LIMIT 200")
STMT(ST_TASKS_RETURNED, ROW_COLS " JOIN (SELECT task_id, max(id) AS rid FROM task_event"
			" WHERE action = 'return' GROUP BY task_id) g ON g.task_id = t.id"
			" WHERE t.campaign_id = ?1 AND t.status = 1 AND" SCOPE_T
			" AND (?3 = 0 OR t.leader_id = ?3)"
			" AND NOT EXISTS (SELECT 1 FROM task_event x WHERE x.task_id = t.id"
			" AND x.id > g.rid AND x.action IN ('submit', 'reopen'))"
			" ORDER BY g.rid DESC LIMIT 200")
STMT(ST_NOTIFY_TASK, "SELECT t.seq, p.title, t.leader_id, t.unit_id FROM task t"
		     " JOIN node p ON p.id = t.problem_id WHERE t.id = ?1")
STMT(ST_USER_NAME, "SELECT name FROM \"user\" WHERE id = ?1")
/* A task of a bulk action as the caller ?2 (scope) sees it (store_bulk.c). */
STMT(ST_TASK_BULK_ROW, "SELECT t.seq, p.title, t.status, t.version FROM task t"
		       " JOIN node p ON p.id = t.problem_id WHERE t.id = ?1 AND" SCOPE_T)
/* One notification for each recipient: ?1 task, ?2 the actor (0: none;
 * never told of their own act), ?3 event, ?4 text, ?5 at, ?6 day, ?7 key,
 * ?8 who: 1 the task's leader, 2 the handlers who see it (of its unit or
 * a unit above), 4 reviewers, 8 the user ?9, 16 admins.  Only active
 * users; with key <> '' once per user, task, event and key. */
STMT(ST_NOTIFY_INSERT, "INSERT INTO notification(user_id, task_id, event, text, at,"
		       " day, key) SELECT u.id, ?1, ?3, ?4, ?5, ?6, ?7 FROM \"user\" u, task t"
		       " WHERE t.id = ?1 AND u.active = 1 AND u.id IS DISTINCT FROM ?2 AND"
		       " (((?8 & 1) <> 0 AND u.id = t.leader_id) OR ((?8 & 2) <> 0 AND u.role = 2"
		       " AND u.unit_id IN (SELECT ancestor FROM unit_tree"
		       " WHERE descendant = t.unit_id)) OR ((?8 & 4) <> 0 AND u.role = 3)"
		       " OR ((?8 & 8) <> 0 AND u.id = ?9) OR ((?8 & 16) <> 0 AND u.role = 0))"
		       " ORDER BY u.id ON CONFLICT DO NOTHING")
/* The audit chain's head ?1 for every active user of role ?5 (observers),
 * a witness kept outside the database (docs/ARCHITECTURE.md): no task,
 * once per user and day ?4. */
STMT(ST_NOTIFY_HEAD, "INSERT INTO notification(user_id, task_id, event, text, at, day, key)"
		     " SELECT u.id, NULL, 'audit_head', ?1, ?2, ?3, ?4 FROM \"user\" u"
		     " WHERE u.active = 1 AND u.role = ?5 AND NOT EXISTS (SELECT 1"
		     " FROM notification x WHERE x.user_id = u.id AND x.task_id IS NULL"
		     " AND x.event = 'audit_head' AND x.key = ?4) ORDER BY u.id")
/* The outbox of the notifications made since ?1 (an id): e-mail for
 * recipients with an address. */
STMT(ST_OUTBOX_EMAIL, "INSERT INTO outbox(notification_id, channel)"
		      " SELECT n.id, 'email' FROM notification n JOIN \"user\" u ON u.id = n.user_id"
		      " WHERE n.id > ?1 AND u.email <> '' AND u.notify_off & 1 = 0 ON CONFLICT DO NOTHING")
STMT(ST_OUTBOX_WEBHOOK, "INSERT INTO outbox(notification_id, channel)"
			" SELECT n.id, 'webhook' FROM notification n JOIN \"user\" u ON u.id = n.user_id"
			" WHERE n.id > ?1 AND u.notify_off & 2 = 0 ON CONFLICT DO NOTHING")
STMT(ST_NOTIFY_MAX, "SELECT coalesce(max(id), 0) FROM notification")
/* A user's inbox, newest first, only about tasks the user still sees. */
STMT(ST_NOTIFY_LIST, "SELECT n.id, coalesce(n.task_id, 0), n.event, n.text, n.at,"
		     " n.read_at IS NOT NULL, n.day FROM notification n LEFT JOIN task t"
		     " ON t.id = n.task_id WHERE n.user_id = ?1 AND (?3 = 0 OR n.id < ?3)"
		     " AND (n.task_id IS NULL OR" SCOPE_T ") ORDER BY n.id DESC LIMIT ?4")
/* Unread: a handler's (?2 their unit) only about tasks of their units;
 * anyone else's from the partial index alone (no row of task read). */
STMT(ST_NOTIFY_UNREAD, "SELECT count(*) FROM notification n LEFT JOIN task t"
		       " ON t.id = n.task_id WHERE n.user_id = ?1 AND n.read_at IS NULL"
		       " AND (n.task_id IS NULL OR t.unit_id IN (SELECT descendant FROM unit_tree"
		       " WHERE ancestor = ?2))")
STMT(ST_NOTIFY_UNREAD_ALL, "SELECT count(*) FROM notification WHERE user_id = ?1"
			   " AND read_at IS NULL")
STMT(ST_NOTIFY_NEWEST, "SELECT coalesce(max(id), 0) FROM notification WHERE user_id = ?1")
STMT(ST_NOTIFY_READ, "UPDATE notification SET read_at = ?3 WHERE id = ?2 AND user_id = ?1"
		     " AND read_at IS NULL")
STMT(ST_NOTIFY_READ_ALL, "UPDATE notification SET read_at = ?2 WHERE user_id = ?1"
			 " AND read_at IS NULL")
/* Deadline reminders at ?1 today with ?2 due_days: open tasks with a
 * dated deadline within due_days (due) or past (overdue); closed or
 * staged tasks whose 回头看 has come (review). */
STMT(ST_SWEEP_DUE, "SELECT t.id, t.deadline FROM task t WHERE t.campaign_id = ?3"
		   " AND t.status IN (0, 1, 4) AND t.deadline_kind IN (1, 3)"
		   " AND t.deadline >= ?1 AND t.deadline <= ?1 + ?2")
STMT(ST_SWEEP_OVERDUE, "SELECT t.id, t.deadline FROM task t WHERE t.campaign_id = ?3"
		       " AND t.status IN (0, 1, 4) AND t.deadline_kind IN (1, 3)"
		       " AND t.deadline < ?1 AND ?2 >= 0")
STMT(ST_SWEEP_REVIEW, "SELECT t.id, t.review_due FROM task t WHERE t.campaign_id = ?3"
		      " AND ?2 >= 0 AND t.status IN (3, 4)"
		      " AND t.review_due IS NOT NULL AND t.review_due <= ?1")
STMT(ST_USER_EMAIL_SET, "UPDATE \"user\" SET email = ?2, version = version + 1,"
			" notify_off = CASE WHEN ?4 < 0 THEN notify_off ELSE ?4 END"
			" WHERE id = ?1 AND version = ?3")
STMT(ST_USER_EMAIL_GET, "SELECT email, version, notify_off FROM \"user\" WHERE id = ?1")
STMT(ST_META_GET, "SELECT value FROM meta WHERE key = ?1")
STMT(ST_META_SET, "INSERT INTO meta(key, value) VALUES (?1, ?2)"
		  " ON CONFLICT(key) DO UPDATE SET value = excluded.value")
STMT(ST_EXTENSION_REQUESTER, "SELECT requested_by FROM extension WHERE task_id = ?1"
			    " ORDER BY id DESC LIMIT 1")
STMT(ST_OUTBOX_DUE, "SELECT o.id, o.notification_id, coalesce(n.task_id, 0), n.user_id,"
		    " o.channel, n.event, n.text, n.at, u.login, u.name, u.email, o.attempts"
		    " FROM outbox o JOIN notification n ON n.id = o.notification_id"
		    " JOIN \"user\" u ON u.id = n.user_id WHERE o.state = 0 AND o.next_at <= ?1"
		    " ORDER BY o.next_at, o.id LIMIT ?2")
/* A claim stamps next_at with its time, so that a row left sending is told
 * from one another server is sending now (ST_OUTBOX_RECOVER). */
STMT(ST_OUTBOX_CLAIM, "UPDATE outbox SET state = 1, attempts = attempts + 1, next_at = ?2"
		      " WHERE id = ?1 AND state = 0")
STMT(ST_OUTBOX_DONE, "UPDATE outbox SET state = ?2, next_at = ?3, error = ?4, done_at = ?5"
		     " WHERE id = ?1 AND state = 1")
STMT(ST_OUTBOX_RECOVER, "UPDATE outbox SET state = 5, done_at = ?1,"
			" error = 'interrupted while sending; not sent again'"
			" WHERE state = 1 AND next_at <= ?2")
STMT(ST_OUTBOX_COUNTS, "SELECT state, count(*) FROM outbox GROUP BY state")
STMT(ST_USER_CONTACT, "SELECT email, name FROM \"user\" WHERE login = ?1")
STMT(ST_SETTING_TEXT_GET, "SELECT CAST(value AS TEXT), version FROM setting WHERE id = ?1")
