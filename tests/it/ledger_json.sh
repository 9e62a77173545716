#!/bin/sh
# One JSON of the ledger (docs/LEDGER-JSON.md): `rectify task show --json`
# and GET /api/v1/tasks/:id, `rectify task list --json` and GET
# /api/v1/tasks give the same bytes for the same caller, filters and day --
# every task of the demo (each status, progress with evidence, a return, a
# pending extension and an urge among them) and a few pages of the list.
. "$TOP/tests/it/lib/web.sh"
start_server
for u in admin leader reviewer handler; do login "$u"; done
# The command line on the server's database, as of the server's day.
today=$(sed -n 's/^rectify demo: .*, as of \([0-9-]*\)$/\1/p' server.out)
[ -n "$today" ] || fail "the demo's day: $(head -n 1 server.out)"
cli() { RECTIFY_TODAY=$today "$RECTIFY" --db "$LEDGER" "$@"; }

# Give the tasks a history: a progress entry, a return, an extension, an urge.
expect "progress" 200 "$(post leader /api/v1/tasks/9/progress -F 'text=开展调研' -F files=@server.out)"
expect "return" 200 "$(postj reviewer /api/v1/tasks/3/return '{"reason":"佐证材料不足"}')"
expect "urge" 200 "$(postj admin /api/v1/tasks/11/urge '{"message":"请本周内报送"}')"
get leader /api/v1/tasks/9 >/dev/null
v9=$(sed -n 's/^{"id":[0-9]*,"seq":[0-9]*,"version":\([0-9]*\).*/\1/p' body)
expect "extension" 303 "$(post leader /tasks/9/extend -d version=$v9 -d to=2025-03-31 -d reason=需协调资金)"

# same WHAT FILE: ./body (the API's) and FILE (the command line's, less its
# newline) are the same bytes.
same() {
	printf '%s' "$(cat "$2")" >cli.json
	cmp -s body cli.json || fail "$1: the API and the command line differ: $(cmp body cli.json)"
}
for id in 1 2 3 4 5 6 7 8 9 10 11 12; do
	for u in admin leader reviewer; do
		expect "task $id as $u" 200 "$(get $u /api/v1/tasks/$id)"
		cli task show $id --json --as $u >show.json
		same "task $id as $u" show.json
	done
done
grep -q '"events":\[{"id":[0-9]*,"action":"import","from":null,' body || fail "the creating event has no from: $(head -c 400 body)"
expect "task 3" 200 "$(get admin /api/v1/tasks/3)"
grep -q '"status":"整改中","status_key":"in_progress"' body || fail "task 3's status: $(head -c 300 body)"
grep -q '"returned":{"by":"[^"]*","at":"[^"]*","reason":"佐证材料不足"}' body || fail "task 3's return: $(head -c 300 body)"
for q in '' 'status=in_progress' 'light=red' 'sort=-deadline&per_page=5&page=2' 'q=%E5%AD%A6%E4%B9%A0'; do
	for u in admin handler; do
		expect "list ?$q as $u" 200 "$(get $u "/api/v1/tasks?$q")"
		set --
		case $q in
		status=*) set -- --status in_progress ;;
		light=*) set -- --light red ;;
		sort=*) set -- --sort -deadline --per-page 5 --page 2 ;;
		q=*) set -- --q 学习 ;;
		esac
		cli task list --json --as $u "$@" >list.json
		same "list ?$q as $u" list.json
	done
done
