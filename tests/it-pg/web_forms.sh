#!/bin/sh
# The HTML forms beyond the task workflow, driven as a browser sends them
# (urlencoded, CSRF field or header): 延期申请 and its decision, and the
# report tree corrections (move, merge, split), each with its refusals --
# the wrong role (403), a stale version (409), another unit's task (404),
# no CSRF token (403) -- and what each success changes.
# The demo's tasks: see web_perm.sh.  Task 9 is led by `leader`, in
# 计划财务股, due 2024-12-31, not started; task 10 is in the handler's unit.
. "$TOP/tests/it/lib/web.sh"
start_server
for u in admin leader leader2 handler reviewer observer; do login "$u"; done

# version USER TASK: the task's current version, through the API.
version() {
	get "$1" "/api/v1/tasks/$2" >/dev/null
	sed -n 's/^{"id":[0-9]*,"seq":[0-9]*,"version":\([0-9]*\).*/\1/p' body
}
# form_version USER PATH: the version field of the first form on a page.
form_version() {
	get "$1" "$2" >/dev/null
	sed -n 's/.*name="version" value="\([0-9]*\)".*/\1/p' body | head -n 1
}
location() { sed -n 's/^[Ll]ocation: *\(.*\)\r$/\1/p' hdr; }

# ---- 延期申请 ---------------------------------------------------------------
v=$(form_version leader /tasks/9)
[ -n "$v" ] || fail "task 9's page has no form for its leader"
grep -q 'action="/tasks/9/extend"' body || fail "the leader is offered the extension form"
get handler /tasks/10 >/dev/null
grep -q 'action="/tasks/10/extend"' body && fail "a handler is offered the extension form"
ext="-d to=2025-03-31"
expect "observer asks for an extension" 403 "$(post observer /tasks/9/extend -d version=$v $ext -d reason=x)"
expect "another leader asks" 403 "$(post leader2 /tasks/9/extend -d version=$v $ext -d reason=x)"
expect "a reviewer asks" 403 "$(post reviewer /tasks/9/extend -d version=$v $ext -d reason=x)"
expect "a handler of another unit asks" 404 "$(post handler /tasks/9/extend -d version=$v $ext -d reason=x)"
expect "a handler asks on their own unit's task" 403 \
	"$(post handler /tasks/10/extend -d version="$(version handler 10)" $ext -d reason=x)"
grep -q '只有该事项的责任领导或办公室可以申请延期' body || fail "the refusal is explained in Chinese: $(grep -o 'flash err[^<]*<' body)"
expect "no CSRF token" 403 \
	"$(curl -s -o body -w '%{http_code}' -b jar.leader -d version=$v $ext -d reason=x "$BASE/tasks/9/extend")"
expect "no reason" 400 "$(post leader /tasks/9/extend -d version=$v $ext)"
expect "not a date" 400 "$(post leader /tasks/9/extend -d version=$v -d to=2025-02-30 -d reason=x)"
expect "before the current deadline" 400 "$(post leader /tasks/9/extend -d version=$v -d to=2024-10-01 -d reason=x)"
grep -q '延期后的日期必须晚于现在的整改时限' body || fail "deadline refusal in Chinese"
expect "no version" 400 "$(post leader /tasks/9/extend $ext -d reason=x)"
expect "a stale version" 409 "$(post leader /tasks/9/extend -d version=$((v - 1)) $ext -d reason=x)"
grep -q '内容已被他人修改' body || fail "409 explained in Chinese"
grep -q 'href="/tasks/9"' body || grep -q '返回首页' body || fail "the 409 page offers a way back"
[ "$(version leader 9)" = "$v" ] || fail "refused requests changed task 9"
curl -s -D hdr -o body -b jar.leader -H "X-CSRF-Token: $(cat csrf.leader)" -d version=$v $ext \
	-d reason=需协调省级资金，三月底前完成 "$BASE/tasks/9/extend"
grep -q '^HTTP/1.1 303' hdr || fail "the leader's extension request: $(head -n 1 hdr) $(head -c 300 body)"
expect "where it leads" "/tasks/9?ok=extend" "$(location)"
expect "the task page" 200 "$(get leader '/tasks/9?ok=extend')"
grep -q '延期申请已提交' body || fail "flash after the request"
grep -q '待审批' body || fail "the pending request is listed"
grep -q 'action="/tasks/9/extend"' body && fail "a second request is offered while one is pending"
v=$(version leader 9)
expect "a second request while one is pending" 409 \
	"$(post leader /tasks/9/extend -d version=$v -d to=2025-06-30 -d reason=y)"
get reviewer /tasks/9 >/dev/null
grep -q 'action="/tasks/9/extend-decide"' body || fail "the reviewer is offered the decision"
for pair in leader:403 admin:403 observer:403 leader2:403 handler:404; do
	u=${pair%%:*}
	expect "$u decides the extension" "${pair#*:}" \
		"$(post $u /tasks/9/extend-decide -d version=$v -d decision=approve)"
done
expect "a decision that is neither" 400 "$(post reviewer /tasks/9/extend-decide -d version=$v -d decision=maybe)"
expect "a stale decision" 409 "$(post reviewer /tasks/9/extend-decide -d version=$((v - 1)) -d decision=approve)"
expect "the reviewer approves" 303 \
	"$(post reviewer /tasks/9/extend-decide -d version=$v -d decision=approve -d reason=同意)"
get reviewer /api/v1/tasks/9 >/dev/null
grep -q '"deadline":"2025-03-31","deadline_kind":"date"' body || fail "the deadline moved: $(grep -o '"deadline":[^,]*,[^,]*' body)"
get reviewer /tasks/9 >/dev/null
grep -q '已同意：同意' body || fail "the decision and its note on the page"
# Refused: the deadline stays.
v=$(version leader 9)
expect "another request" 303 "$(post leader /tasks/9/extend -d version=$v -d to=2025-06-30 -d reason=再延一次)"
v=$(version reviewer 9)
expect "the reviewer refuses" 303 \
	"$(post reviewer /tasks/9/extend-decide -d version=$v -d decision=refuse -d reason=理由不充分)"
get reviewer /api/v1/tasks/9 >/dev/null
grep -q '"deadline":"2025-03-31"' body || fail "a refused extension moved the deadline"
get leader /tasks/9 >/dev/null
grep -q '未同意：理由不充分' body || fail "the refusal on the page"

# ---- 更正结构 (report 1 of the demo) ------------------------------------------
# Problem items and their tasks: node 12 → task 6 (area 8), node 14 → task 7
# and node 15 → task 8 (area 13), node 11 → task 5 (has progress), node 18 →
# task 10 (area 17); node 28 is an area of the measures.
rv=$(form_version admin '/reports/1?node=12')
[ -n "$rv" ] || fail "no correction forms for the admin"
for f in rename move merge split; do grep -q "action=\"/reports/1/nodes/12/$f\"" body || fail "no $f form"; done
for u in leader handler reviewer observer; do
	get $u '/reports/1?node=12' >/dev/null
	grep -q 'nodes/12/move' body && fail "$u is offered the correction forms"
	expect "$u moves an item" 403 "$(post $u /reports/1/nodes/12/move -d version=$rv -d to=13)"
	expect "$u merges items" 403 "$(post $u /reports/1/nodes/15/merge -d version=$rv -d keep=14)"
	expect "$u splits an item" 403 "$(post $u /reports/1/nodes/18/split -d version=$rv -d offset=2435)"
done
expect "move without CSRF" 403 \
	"$(curl -s -o body -w '%{http_code}' -b jar.admin -d version=$rv -d to=13 "$BASE/reports/1/nodes/12/move")"
expect "a report that does not exist" 404 "$(post admin /reports/9/nodes/12/move -d version=$rv -d to=13)"
# A second report: node 12 is not one of its nodes.
cat >second.md <<'EOF2'
# 县水利局领导班子对照检查材料

## 一、存在的问题

（一）在工作作风方面

一是调查研究不够深入。比如，全年到基层站所调研仅4次。

## 二、整改措施

（一）改进工作作风。每季度到基层站所调研不少于2次，2024年底前完成。
EOF2
curl -s -D hdr -o body -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" -F file=@second.md "$BASE/reports"
grep -q '^HTTP/1.1 303' hdr || fail "admin uploads a second report: $(head -n 1 hdr)"
expect "its preview" 200 "$(get admin "$(location)")"
stage=$(sed -n 's/.*name="stage" value="\([0-9a-f]*\)".*/\1/p' body)
plan=$(sed -n 's/.*name="plan" value="\([0-9a-f]*\)".*/\1/p' body)
expect "admin imports it into campaign 1" 303 \
	"$(post admin /reports/confirm -d stage=$stage -d plan=$plan -d campaign=1)"
expect "a node named under another report" 404 "$(post admin /reports/2/nodes/12/move -d version=1 -d to=13)"
grep -q '这份材料中没有这个节点' body || fail "the 404 says why"
[ "$(form_version admin '/reports/1?node=12')" = "$rv" ] || fail "the refused move changed report 1"
expect "move with a stale version" 409 "$(post admin /reports/1/nodes/12/move -d version=$((rv + 1)) -d to=13)"
expect "move into the measures" 400 "$(post admin /reports/1/nodes/12/move -d version=$rv -d to=28)"
grep -q '只能移到同一部分' body || fail "the refused move is explained in Chinese"
expect "move without a target" 400 "$(post admin /reports/1/nodes/12/move -d version=$rv)"

curl -s -D hdr -o body -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" -d version=$rv -d to=13 \
	"$BASE/reports/1/nodes/12/move"
grep -q '^HTTP/1.1 303' hdr || fail "move: $(head -n 1 hdr) $(head -c 300 body)"
expect "after the move" "/reports/1?node=12&ok=node#n12" "$(location)"
get admin /api/v1/tasks/6 >/dev/null
grep -q '"area":"在担当作为推动发展方面"' body || fail "task 6 follows its item: $(head -c 200 body)"
get admin '/reports/1?node=12' >/dev/null
order=$(grep -o 'li id="n\(12\|13\|16\|17\)"' body | tr -d '"' | tr '\n' ' ')
expect "the item sits at the end of its new area" "li id=n13 li id=n16 li id=n12 li id=n17 " "$order"
expect "the old version is stale now" 409 "$(post admin /reports/1/nodes/12/rename -d version=$rv -d lead=x)"

# Merge: an untouched task goes with its item; one with progress refuses.
rv=$(form_version admin '/reports/1?node=15')
grep -q 'name="keep" value="14"' body || fail "node 15 merges into node 14"
expect "merge an item whose task has progress" 409 \
	"$(post admin /reports/1/nodes/11/merge -d version=$rv -d keep=9)"
grep -q '已有进展' body || fail "the refused merge is explained in Chinese"
expect "merge with a stale version" 409 "$(post admin /reports/1/nodes/15/merge -d version=$((rv - 1)) -d keep=14)"
expect "merge" 303 "$(post admin /reports/1/nodes/15/merge -d version=$rv -d keep=14)"
expect "the merged item's task is gone" 404 "$(get admin /tasks/8)"
get admin '/reports/1?node=14' >/dev/null
grep -q 'li id="n15"' body && fail "the merged node is still in the tree"
grep -q '工作标准不够高' body || fail "the kept item holds the merged text"
get admin /api/v1/tasks >/dev/null
grep -q '"total":12' body || fail "12 tasks (13 with the second report's) after the merge: $(head -c 100 body)"

# Split: the form offers the item's sentences; the new item gets a task.
rv=$(form_version admin '/reports/1?node=18')
off=$(sed -n 's/.*name="offset" value="\([0-9]*\)".*/\1/p' body | head -n 1)
[ -n "$off" ] || fail "the split form offers no sentence"
expect "split outside the item" 400 "$(post admin /reports/1/nodes/18/split -d version=$rv -d offset=1)"
expect "split with a stale version" 409 \
	"$(post admin /reports/1/nodes/18/split -d version=$((rv + 1)) -d offset=$off)"
curl -s -D hdr -o body -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" -d version=$rv \
	-d offset=$off "$BASE/reports/1/nodes/18/split"
grep -q '^HTTP/1.1 303' hdr || fail "split: $(head -n 1 hdr) $(head -c 300 body)"
new=$(location | sed -n 's/.*node=\([0-9]*\)&ok=node.*/\1/p')
[ -n "$new" ] && [ "$new" != 18 ] || fail "split leads to the new item: $(location)"
get admin /api/v1/tasks >/dev/null
grep -q '"total":13' body || fail "13 tasks after the split"
get admin "/reports/1?node=$new" >/dev/null
grep -q 'class="sel"' body || fail "the new item is selected"
tid=$(grep -o "<li id=\"n$new\">.*" body | grep -o 'href="/tasks/[0-9]*"' | head -n 1 | grep -o '[0-9]*')
[ -n "$tid" ] || fail "the new item has a task"
get admin "/api/v1/tasks/$tid" >/dev/null
grep -q '"status_key":"not_started"' body || fail "the new task starts afresh"
grep -q '"unit":"产业发展股"' body || fail "the new task keeps the assignment"
echo "web_forms: ok"
