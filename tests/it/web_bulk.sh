#!/bin/sh
# Bulk actions over HTTP: 台账's form (tick, confirm, apply; CSRF in the
# form), "all of this filter", the dashboard's 催办, and POST
# /api/v1/tasks/bulk.  The demo: task 3 is submitted, tasks 4, 5 and 6 are
# red, 2 and 6 belong to 产业发展股 (unit 4), 7 to 农田建设股 (unit 5).
. "$TOP/tests/it/lib/web.sh"
start_server
for u in admin leader handler reviewer observer; do login "$u"; done

ver() { # ver ID: the task's version now
	get admin "/api/v1/tasks/$1" >/dev/null
	jq -r .version body
}
unit_of() { # unit_of ID: the name of the task's unit now
	get admin "/api/v1/tasks/$1" >/dev/null
	jq -r .unit body
}
audits() { # audits ID ACTION: the task's audit rows of that action
	sql "SELECT count(*) FROM audit WHERE entity = 'task' AND entity_id = $1 AND action = '$2'"
}
# form USER PATH FIELDS...: a form POST carrying the CSRF token as a field,
# as the browser sends it (no header).
form() {
	u=$1
	p=$2
	shift 2
	curl -s -o body -w '%{http_code}' -b "jar.$u" -H "Origin: $BASE" -d "csrf=$(cat "csrf.$u")" \
		"$@" "$BASE$p"
}

# 台账 offers the form and a checkbox per row to the office and reviewers.
expect "admin's ledger" 200 "$(get admin /tasks)"
grep -q '<form id="bulk" method="post" action="/tasks/bulk/confirm"' body || fail "no bulk form"
grep -q 'name="task" value="2:[0-9]*" form="bulk"' body || fail "no checkbox for task 2"
expect "reviewer's ledger" 200 "$(get reviewer /tasks)"
grep -q '<option value="urge">催办</option>' body || fail "the reviewer is not offered 催办"
grep -q '<option value="unit">' body && fail "the reviewer is offered an assignment"
for u in leader handler observer; do
	expect "$u's ledger" 200 "$(get $u /tasks)"
	grep -q 'name="task"' body && fail "$u sees checkboxes"
	grep -q 'id="bulk"' body && fail "$u sees the bulk form"
done

# Tick tasks 2 and 6 and ask to move them to 农田建设股: the confirmation
# says what will happen to how many, lists them and carries their versions.
v2=$(ver 2)
v6=$(ver 6)
expect "confirm without the token" 403 "$(curl -s -o body -w '%{http_code}' -b jar.admin \
	-d action=unit -d set_unit=5 -d "task=2:$v2" "$BASE/tasks/bulk/confirm")"
expect "confirm" 200 "$(form admin /tasks/bulk/confirm -d action=unit -d set_unit=5 \
	-d "task=2:$v2" -d "task=6:$v6")"
grep -q '将对勾选的 2 项事项进行“指定责任单位：农田建设股”' body || fail "the summary: $(grep -o 'bulk-summary.\{0,200\}' body)"
grep -q 'href="/tasks/2"' body && grep -q 'href="/tasks/6"' body || fail "the tasks are not listed"
grep -q "name=\"tasks\" value=\"2:$v2 6:$v6\"" body || fail "the confirmed set is not carried"
[ "$(unit_of 2)" = 产业发展股 ] || fail "the confirmation changed task 2"

# Task 6 changes meanwhile (a 催办): nothing is applied, and the 409 names it.
expect "urge task 6" 200 "$(postj reviewer /api/v1/tasks/6/urge '{}')"
expect "apply against a changed task" 409 "$(form admin /tasks/bulk -d action=unit -d set_unit=5 \
	--data-urlencode "tasks=2:$v2 6:$v6")"
grep -q '批量操作未执行' body || fail "no refusal page"
grep -q 'href="/tasks/6"' body || fail "the refusal does not name task 6"
grep -q 'href="/tasks/2"' body && fail "the refusal names task 2, which did not change"
[ "$(unit_of 2)" = 产业发展股 ] || fail "task 2 was moved though the request was refused"
[ "$(ver 2)" = "$v2" ] || fail "task 2's version moved"

# With the versions as they are now: one redirect, both moved, one audit
# row and one history event each.
v6=$(ver 6)
a2=$(audits 2 assign)
a6=$(audits 6 assign)
e2=$(sql "SELECT count(*) FROM task_event WHERE task_id = 2 AND action = 'assign'")
curl -s -o body -w '%{http_code} %{redirect_url}' -b jar.admin -H "Origin: $BASE" \
	-d "csrf=$(cat csrf.admin)" -d action=unit -d set_unit=5 --data-urlencode "tasks=2:$v2 6:$v6" \
	"$BASE/tasks/bulk" >redirect
grep -q '^303 .*/tasks?ok=bulk&act=unit&n=2$' redirect || fail "apply: $(cat redirect)"
[ "$(unit_of 2)" = 农田建设股 ] && [ "$(unit_of 6)" = 农田建设股 ] || fail "the tasks were not moved"
[ "$(audits 2 assign)" = $((a2 + 1)) ] || fail "task 2: $(audits 2 assign) assign rows, want $((a2 + 1))"
[ "$(audits 6 assign)" = $((a6 + 1)) ] || fail "task 6: $(audits 6 assign) assign rows, want $((a6 + 1))"
[ "$(sql "SELECT count(*) FROM task_event WHERE task_id = 2 AND action = 'assign'")" = \
	$((e2 + 1)) ] || fail "task 2 has no history event of the assignment"
expect "the flash" 200 "$(get admin '/tasks?ok=bulk&act=unit&n=2')"
grep -q '已为 2 项事项指定责任单位。' body || fail "no flash"

# Permission as the single actions: reviewers urge but do not assign; the
# leader, the handler and the observer have no bulk action at all.
v7=$(ver 7)
expect "reviewer assigns" 403 "$(postj reviewer /api/v1/tasks/bulk \
	"{\"action\":\"assign\",\"unit\":4,\"tasks\":[{\"id\":7,\"version\":$v7}]}")"
jq -e '.code == "W1-role" and .tasks[0].seq == 7' body >/dev/null || fail "refusal: $(cat body)"
for u in leader handler observer; do
	expect "$u urges in bulk" 403 "$(postj $u /api/v1/tasks/bulk \
		"{\"action\":\"urge\",\"tasks\":[{\"id\":7,\"version\":$v7}]}")"
done
expect "leader's confirm page" 403 "$(form leader /tasks/bulk/confirm -d action=urge -d "task=7:$v7")"

# A task that may not be urged (submitted) stops the others too.
v3=$(ver 3)
v7=$(ver 7)
u7=$(audits 7 urge)
expect "urge with a submitted task" 409 "$(postj reviewer /api/v1/tasks/bulk \
	"{\"action\":\"urge\",\"tasks\":[{\"id\":7,\"version\":$v7},{\"id\":3,\"version\":$v3}]}")"
jq -e '.code == "W17-status" and (.tasks | length) == 1 and .tasks[0].seq == 3' body >/dev/null ||
	fail "refusal: $(cat body)"
[ "$(audits 7 urge)" = "$u7" ] || fail "task 7 was urged though the request was refused"
expect "urge" 200 "$(postj reviewer /api/v1/tasks/bulk \
	"{\"action\":\"urge\",\"message\":\"请本周内报送\",\"tasks\":[{\"id\":7,\"version\":$v7}]}")"
jq -e ".done == 1 and .tasks[0].version == $((v7 + 1))" body >/dev/null || fail "answer: $(cat body)"
[ "$(audits 7 urge)" = $((u7 + 1)) ] || fail "task 7 has no audit row of its 催办"
expect "leader's notifications" 200 "$(get leader /api/v1/notifications)"
jq -e '[.notifications[] | select(.event == "urged" and .task == 7)] | length == 1' body >/dev/null ||
	fail "the leader was not told: $(head -c 300 body)"

# The bound: TASK_BULK_MAX (500) tasks.
big=$(seq 1 501 | awk '{ printf "%s{\"id\":%d,\"version\":1}", (NR > 1 ? "," : ""), $1 }')
expect "501 tasks" 413 "$(postj admin /api/v1/tasks/bulk "{\"action\":\"urge\",\"tasks\":[$big]}")"
seq 1 501 | sed 's/.*/task=&:1/' | paste -sd '&' >big.form
expect "501 ticked" 413 "$(form admin /tasks/bulk/confirm -d action=urge -d @big.form)"
grep -q '最多 500 项' body || fail "the bound is not named: $(grep -o 'flash.\{0,200\}' body)"
seq 1 600 | sed 's/.*/task=&:1/' | paste -sd '&' >big.form
expect "600 fields" 413 "$(form admin /tasks/bulk/confirm -d action=urge -d @big.form)"
expect "nothing ticked" 400 "$(form admin /tasks/bulk/confirm -d action=urge)"
expect "a task twice" 400 "$(form admin /tasks/bulk/confirm -d action=urge -d "task=7:1" -d "task=7:1")"

# "All of this filter": every red task, across pages, as confirmed.
expect "confirm all red" 200 "$(form admin '/tasks/bulk/confirm?light=red&per_page=1' -d scope=all \
	-d action=urge)"
grep -q '将对<a href="/tasks?light=red">当前筛选条件</a>下的全部 3 项事项' body ||
	fail "summary: $(grep -o 'bulk-summary.\{0,200\}' body)"
grep -q 'action="/tasks/bulk?light=red"' body || fail "the apply form lacks the filter"
set=$(sed -n 's/.*name="tasks" value="\([0-9: ]*\)".*/\1/p' body)
[ "$(echo "$set" | wc -w)" = 3 ] || fail "the confirmed set: $set"
# Without one of them, the filter's set differs: refused, the task named.
less=$(echo "$set" | cut -d' ' -f1-2)
missing=$(echo "$set" | cut -d' ' -f3 | cut -d: -f1)
expect "apply a part of the filter" 409 "$(form admin '/tasks/bulk?light=red' -d scope=all -d action=urge \
	--data-urlencode "tasks=$less")"
grep -q "href=\"/tasks/$missing\"" body || fail "the task not confirmed is not named"
grep -q '新符合了筛选条件' body || fail "the reason is not given"
expect "apply all red" 303 "$(form admin '/tasks/bulk?light=red' -d scope=all -d action=urge \
	--data-urlencode "tasks=$set")"

# The dashboard: checkboxes on the overdue and yellow lists, and its form.
expect "admin's dashboard" 200 "$(get admin /)"
grep -q '<form id="bulk-home" method="post" action="/tasks/bulk/confirm">' body || fail "no form"
grep -q 'name="task" value="10:[0-9]*" form="bulk-home"' body || fail "no checkbox for yellow task 10"
grep -q '<button type="submit" form="bulk-home" class="btn warn small">催办勾选的事项</button>' body ||
	fail "no button"
expect "leader's dashboard" 200 "$(get leader /)"
grep -q 'bulk-home' body && fail "the leader is offered 催办"
v10=$(ver 10)
expect "confirm from the dashboard" 200 "$(form admin /tasks/bulk/confirm -d action=urge -d from=home \
	-d "task=10:$v10")"
grep -q '<input type="hidden" name="from" value="home">' body || fail "the origin is lost"
curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b jar.admin -H "Origin: $BASE" \
	-d "csrf=$(cat csrf.admin)" -d action=urge -d from=home -d message=请加快 \
	--data-urlencode "tasks=10:$v10" "$BASE/tasks/bulk" >redirect
grep -q '^303 .*/?ok=bulk&act=urge&n=1$' redirect || fail "redirect: $(cat redirect)"
expect "the dashboard's flash" 200 "$(get admin '/?ok=bulk&act=urge&n=1')"
grep -q '已催办 1 项事项' body || fail "no flash on the dashboard"
[ "$(sql "SELECT reason FROM task_event WHERE task_id = 10 AND action = 'urge'")" = 请加快 ] ||
	fail "the message of the confirmation was not kept"

# The names 台账 offers (filters and the bulk form) are drawn once per shape
# of the ledger: a unit added by another process shows on the next page,
# a progress entry in between or not.
expect "ledger before" 200 "$(get admin /tasks)"
grep -q '新设督查股' body && fail "the new unit is there before it is added"
expect "progress" 200 "$(postj admin /api/v1/tasks/2/progress '{"text": "推进中"}')"
expect "ledger after progress" 200 "$(get admin /tasks)"
RECTIFY_PASSWORD=x "$RECTIFY" --db "$LEDGER" unit add 新设督查股 >/dev/null || fail "unit add"
sleep 0.3 # another process's commit shows within 100 ms (ARCHITECTURE.md)
expect "ledger after the unit" 200 "$(get admin /tasks)"
[ "$(grep -o '>新设督查股</option>' body | wc -l)" -eq 2 ] ||
	fail "the new unit is not offered by the filter and the bulk form: $(grep -c 新设督查股 body)"

stop_server
echo "ok web_bulk"
