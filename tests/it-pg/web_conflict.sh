#!/bin/sh
# Concurrent edits: a write names the version it was made against; a stale
# one is 409 and changes nothing; of two racing writes from the same
# version exactly one wins.
. "$TOP/tests/it/lib/web.sh"
start_server
login leader
login admin
get leader /api/v1/tasks/7 >/dev/null
v=$(sed -n 's/^{"id":7,"seq":7,"version":\([0-9]*\).*/\1/p' body)
[ -n "$v" ] || fail "no version in $(head -c 100 body)"
# Two progress reports from the same version, at once.
post leader /api/v1/tasks/7/progress -F version=$v -F text=甲 >a.code &
p1=$!
curl -s -o body2 -w '%{http_code}' -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" \
	-F version=$v -F text=乙 "$BASE/api/v1/tasks/7/progress" >b.code &
p2=$!
wait $p1 $p2
codes=$( (cat a.code; echo; cat b.code; echo) | sort | tr '\n' ' ')
expect "racing writes" "200 409 " "$codes"
# A stale version through the form: 409 with the Chinese error page.
expect "stale form" 409 "$(post leader /tasks/7/progress -F version=$v -F text=丙)"
grep -q '<h1>内容已有变动（409）</h1>' body || fail "409 page"
grep -q '内容已被他人修改，请刷新页面' body || fail "409 says what to do, in Chinese"
get leader /api/v1/tasks/7 >/dev/null
n=$(grep -o '"author"' body | wc -l)
[ "$n" -eq 2 ] || fail "expected the demo's entry plus one, got $n"
nv=$(sed -n 's/^{"id":7,"seq":7,"version":\([0-9]*\).*/\1/p' body)
[ "$nv" -eq $((v + 1)) ] || fail "version $v should have become $((v + 1)), is $nv"
expect "stale submit" 409 "$(postj leader /api/v1/tasks/7/submit "{\"version\":$v}")"
grep -q '"error":"conflict"' body || fail "409 JSON"
# The cached ledger page and list answer follow every commit.
expect "ledger page" 200 "$(get admin '/tasks?status=in_progress')"
grep -q 'href="/tasks/7"' body || fail "task 7 in progress in the cached page"
expect "API list" 200 "$(get admin '/api/v1/tasks?status=in_progress')"
grep -q '"id":7,' body || fail "task 7 in progress in the cached list"
expect "current submit" 200 "$(postj leader /api/v1/tasks/7/submit "{\"version\":$nv}")"
expect "ledger page after the commit" 200 "$(get admin '/tasks?status=in_progress')"
grep -q 'href="/tasks/7"' body && fail "a stale cached page after the commit"
expect "API list after the commit" 200 "$(get admin '/api/v1/tasks?status=in_progress')"
grep -q '"id":7,' body && fail "a stale cached list after the commit"
expect "submitted list" 200 "$(get admin '/api/v1/tasks?status=submitted')"
grep -q '"id":7,' body || fail "task 7 among the submitted"
echo "web_conflict: ok"
