#!/bin/sh
# The permission matrix over HTTP: every role against every task action,
# the admin pages and the writes on their own and on another unit's task.
# The demo database is deterministic: tasks alternate between the leaders
# 王建国 (login leader: odd ids) and 李华 (leader2: even ids) and go round the
# units 计划财务股, 产业发展股, 农田建设股, 农业综合执法大队; the handler
# works in 产业发展股 (tasks 2, 6, 10).  Task 1 is closed, task 3 submitted,
# tasks 5 and 7 in progress with evidence, the rest not started.
. "$TOP/tests/it/lib/web.sh"
start_server
for u in admin leader leader2 handler reviewer observer; do login "$u"; done

# Everyone reads the ledger; a handler sees only their units' tasks.
for u in admin leader leader2 reviewer observer; do
	expect "$u lists tasks" 200 "$(get $u '/api/v1/tasks')"
	grep -q '"total":12' body || fail "$u should see 12 tasks: $(head -c 200 body)"
done
expect "handler lists tasks" 200 "$(get handler '/api/v1/tasks')"
grep -q '"total":3' body || fail "handler should see 3 tasks: $(head -c 200 body)"

# Another unit's task does not exist for the handler, by any URL.
for path in /tasks/5 /api/v1/tasks/5 /tasks/3 /api/v1/tasks/1; do
	expect "handler GET $path" 404 "$(get handler $path)"
done
expect "handler progress on another unit's task" 404 \
	"$(post handler /tasks/5/progress -F text=x -F version=1)"
expect "handler API submit on another unit's task" 404 \
	"$(postj handler /api/v1/tasks/5/submit '{}')"
expect "handler extension on another unit's task" 404 \
	"$(post handler /tasks/5/extend -d version=1 -d to=2024-12-31 -d reason=x)"
# ... and its evidence neither: find an evidence id of task 5 as admin.
get admin /api/v1/tasks/5 >/dev/null
ev=$(sed -n 's/.*"evidence":\[{"id":\([0-9]*\).*/\1/p' body)
[ -n "$ev" ] || fail "task 5 should have evidence"
expect "admin downloads evidence" 200 "$(get admin /evidence/$ev)"
expect "handler downloads another unit's evidence" 404 "$(get handler /evidence/$ev)"
h=$(curl -s -D - -o /dev/null -b jar.admin "$BASE/evidence/$ev")
echo "$h" | grep -qi '^content-disposition: attachment' || fail "evidence not an attachment"
echo "$h" | grep -qi '^content-type: text/plain' || fail "evidence type (a text file keeps its harmless type)"

# Own unit: readable, and the handler may report progress.
expect "handler GET own task" 200 "$(get handler /tasks/6)"
expect "handler GET own task API" 200 "$(get handler /api/v1/tasks/6)"

# Progress on task 6 (not started, leader2, 产业发展股): its leader, a
# handler of its unit and admins may; nobody else.
for pair in leader:403 reviewer:403 observer:403 handler:200 leader2:200 admin:200; do
	u=${pair%%:*}
	want=${pair#*:}
	expect "$u progress on task 6" "$want" \
		"$(post $u /api/v1/tasks/6/progress -F 'text=按计划推进' -F 'files=@server.out')"
done
grep -q '"status_key":"in_progress"' body || fail "task 6 should be in progress"

# Submit task 5 (in progress with evidence, leader): only its leader or admin.
for pair in leader2:403 reviewer:403 observer:403 handler:404 leader:200; do
	u=${pair%%:*}
	want=${pair#*:}
	expect "$u submits task 5" "$want" "$(postj $u /api/v1/tasks/5/submit '{}')"
done
# Review it: only reviewers; a return needs a reason.
for pair in leader:403 admin:403 observer:403 handler:404; do
	u=${pair%%:*}
	want=${pair#*:}
	expect "$u approves task 5" "$want" "$(postj $u /api/v1/tasks/5/approve '{}')"
	expect "$u returns task 5" "$want" "$(postj $u /api/v1/tasks/5/return '{"reason":"x"}')"
done
expect "return without a reason" 400 "$(postj reviewer /api/v1/tasks/5/return '{}')"
expect "reviewer returns task 5" 200 "$(postj reviewer /api/v1/tasks/5/return '{"reason":"佐证材料不足"}')"
grep -q '"status_key":"in_progress"' body || fail "a returned task is in progress again"
expect "leader submits again" 200 "$(postj leader /api/v1/tasks/5/submit '{}')"
expect "reviewer approves" 200 "$(postj reviewer /api/v1/tasks/5/approve '{}')"
grep -q '"status_key":"closed"' body || fail "approved task 5 should be closed"
expect "approve a closed task" 409 "$(postj reviewer /api/v1/tasks/5/approve '{}')"
expect "approve a task not submitted" 409 "$(postj reviewer /api/v1/tasks/7/approve '{}')"

# Reopen task 1 (closed): reviewers only, with a reason.
for pair in leader:403 admin:403 observer:403 handler:404; do
	u=${pair%%:*}
	want=${pair#*:}
	expect "$u reopens task 1" "$want" "$(postj $u /api/v1/tasks/1/reopen '{"reason":"x"}')"
done
expect "reopen without a reason" 400 "$(postj reviewer /api/v1/tasks/1/reopen '{}')"
expect "reviewer reopens task 1" 200 "$(postj reviewer /api/v1/tasks/1/reopen '{"reason":"回头看发现反弹"}')"

# The same rules through the HTML forms (303 on success).
get leader /tasks/7 >/dev/null
v=$(sed -n 's/.*name="version" value="\([0-9]*\)".*/\1/p' body | head -n 1)
[ -n "$v" ] || fail "task 7's page has no version field for its leader"
expect "observer submits by form" 403 "$(post observer /tasks/7/submit -d version=$v)"
expect "leader submits by form" 303 "$(post leader /tasks/7/submit -d version=$v)"
get observer /tasks/7 >/dev/null
grep -q 'name="version"' body && fail "an observer's task page offers actions"
grep -q '督导组只读' body || fail "the observer is told the page is read-only"

# Pages and routes by role.
for pair in admin:200 leader:403 leader2:403 handler:403 reviewer:403 observer:403; do
	u=${pair%%:*}
	expect "$u GET /admin" "${pair#*:}" "$(get $u /admin)"
done
for pair in admin:200 reviewer:200 leader:403 handler:403 observer:200; do
	u=${pair%%:*}
	expect "$u GET /audit" "${pair#*:}" "$(get $u /audit)"
	expect "$u GET /admin/audit" "${pair#*:}" "$(get $u /admin/audit)"
done
for u in leader handler reviewer observer; do
	expect "$u adds a unit" 403 "$(post $u /admin/units -d name=x -d parent=0)"
	expect "$u uploads a report" 403 "$(post $u /reports -F file=@server.out)"
done
for pair in observer:403 reviewer:403 handler:303 leader:303; do
	u=${pair%%:*}
	expect "$u logs an activity" "${pair#*:}" \
		"$(post $u /commitments/1/activities -F day=2024-04-20 -F note=学习)"
done
for u in admin leader leader2 handler reviewer observer; do
	for p in / /tasks /mine /commitments /reports /reports/1 /password; do
		expect "$u GET $p" 200 "$(get $u $p)"
	done
done

# Separation of duties: the leader asked for 销号 of task 7 (above), the
# office then makes them a reviewer; they still may not close their own
# task, another reviewer may.
uid=$(sql "SELECT id FROM \"user\" WHERE login = 'leader'")
ver=$(sql "SELECT version FROM \"user\" WHERE login = 'leader'")
expect "the office makes the leader a reviewer" 303 \
	"$(post admin /admin/users/$uid -d version=$ver -d role=reviewer -d unit= -d active=1)"
login leader
expect "the former leader reviews now" 200 "$(get leader /api/v1/tasks/7)"
for a in approve:'{}' return:'{"reason":"自己退回"}'; do
	expect "the submitter: ${a%%:*} task 7" 403 "$(postj leader /api/v1/tasks/7/${a%%:*} "${a#*:}")"
	grep -q '"code":"W5-own"' body || fail "the refusal names rule W5: $(cat body)"
done
grep -q '不能审核自己经手的事项' body || fail "the refusal is explained in Chinese: $(cat body)"

expect "another reviewer approves task 7" 200 "$(postj reviewer /api/v1/tasks/7/approve '{}')"
echo "web_perm: ok"
