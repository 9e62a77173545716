#!/bin/sh
# What two servers on one PostgreSQL ledger share: a session made on one is
# used on the other, with its CSRF token; a logout on one ends the session
# on the other though that one had it cached; failed logins count on both;
# an upload previewed through one is confirmed through the other; a change made through one is
# on the other's cached pages within STORE_GENERATION_POLL_MS (waited for
# five times over here, for a loaded machine); both servers send the
# notifications, each once.  On SQLite: a skip line.
set -eu
. "$TOP/tests/it/lib/servers.sh"
. "$TOP/tests/it/lib/sinks.sh"
start_pair
poll=$(sed -n 's/^#define STORE_GENERATION_POLL_MS \([0-9]*\).*/\1/p' "$TOP/src/store.h")
[ -n "$poll" ] || fail "no STORE_GENERATION_POLL_MS in store.h"
wait_poll() { sleep "$(awk -v ms="$poll" 'BEGIN { print ms * 5 / 1000 }')"; }
# code SERVER JAR [CURL-ARGS...]: the status of a request as the jar's user.
code() {
	s=$1 j=$2
	shift 2
	curl -s -o body -w '%{http_code}' -b "$j" "$@" "$s"
}
# login SERVER USER: a jar jar.USER and the CSRF token in csrf.USER.
login() {
	curl -s -c "jar.$2" -H 'Content-Type: application/json' \
		-d "{\"login\":\"$2\",\"password\":\"$(pw "$2")\"}" "$1/api/v1/login" >login.out
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' login.out >"csrf.$2"
	[ -s "csrf.$2" ] || fail "login of $2: $(cat login.out)"
}
id=$(sql "SELECT min(t.id) FROM task t JOIN \"user\" u ON u.id = t.leader_id
	WHERE u.login = 'leader' AND t.status = 1")

# A session made on A, used on B, its CSRF token good on B.
login "$A" leader
login "$A" admin
expect() { [ "$2" = "$3" ] || fail "$1: expected $2, got $3 ($(head -c 300 body))"; }
expect "A's session on B" 200 "$(code "$B/api/v1/tasks/$id" jar.leader)"
v=$(sed -n 's/^{"id":[0-9]*,"seq":[0-9]*,"version":\([0-9]*\).*/\1/p' body)
expect "progress on B with A's CSRF token" 200 "$(code "$B/api/v1/tasks/$id/progress" jar.leader \
	-H "X-CSRF-Token: $(cat csrf.leader)" -H 'Content-Type: application/json' \
	-d "{\"version\":$v,\"text\":\"经由第二台服务器报送\"}")"
expect "a stale version on A" 409 "$(code "$A/api/v1/tasks/$id/progress" jar.leader \
	-H "X-CSRF-Token: $(cat csrf.leader)" -H 'Content-Type: application/json' \
	-d "{\"version\":$v,\"text\":\"旧版本\"}")"
grep -q '"code":"stale"' body || fail "the conflict is a stale version: $(cat body)"

# A's cached list follows a write made through B.
expect "in progress on A" 200 "$(code "$A/api/v1/tasks?status=in_progress" jar.admin)"
grep -q "\"id\":$id," body || fail "task $id in progress on A"
expect "again, from A's cache" 200 "$(code "$A/api/v1/tasks?status=in_progress" jar.admin)"
grep -q "\"id\":$id," body || fail "task $id in progress on A, cached"
expect "submit on B" 200 "$(code "$B/api/v1/tasks/$id/submit" jar.leader \
	-H "X-CSRF-Token: $(cat csrf.leader)" -H 'Content-Type: application/json' \
	-d "{\"version\":$((v + 1))}")"
wait_poll
for i in 1 2 3 4 5 6; do
	expect "in progress on A after B's write" 200 "$(code "$A/api/v1/tasks?status=in_progress" jar.admin)"
	grep -q "\"id\":$id," body && fail "A still lists task $id in progress (request $i)"
done

# Logging out on A ends the session on B, which had it cached on each of
# its threads: B's answer 401 once the poll has passed.
for i in 1 2 3 4 5 6; do
	expect "B before the logout" 200 "$(code "$B/api/v1/tasks/$id" jar.leader)"
done
expect "logout on A" 200 "$(code "$A/api/v1/logout" jar.leader -H "X-CSRF-Token: $(cat csrf.leader)" \
	-H 'Content-Type: application/json' -d '{}')"
wait_poll
for i in 1 2 3 4 5 6; do
	expect "B after the logout on A (request $i)" 401 "$(code "$B/api/v1/tasks/$id" jar.leader)"
done

# Failed logins are counted by the database, not by each server: five
# wrong passwords for observer through A and B in turn, and the next
# attempt is refused on both, the right password too (each server alone
# would have counted two or three).
attempt() {
	curl -s -o body -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"login\":\"observer\",\"password\":\"$2\"}" "$1/api/v1/login"
}
for i in 1 2 3 4 5; do
	if [ $((i % 2)) = 0 ]; then s=$A; else s=$B; fi
	expect "wrong password $i" 401 "$(attempt "$s" "wrong-$i")"
done
expect "the right password on A" 429 "$(attempt "$A" "$(pw observer)")"
expect "the right password on B" 429 "$(attempt "$B" "$(pw observer)")"

# A spreadsheet uploaded through A is previewed and confirmed through B:
# the upload waits in the database, not in A's memory.
printf '%s\n' 问题类别/方面,问题表现,整改措施,责任人,责任单位,完成时限,整改状态 \
	作风建设,两台服务器之间导入的台账未经核对,建立导入复核制度,,办公室,2024-12-31,整改中 \
	>ledger-in.csv
expect "upload on A" 303 "$(curl -s -D hdr -o body -w '%{http_code}' -b jar.admin \
	-H "X-CSRF-Token: $(cat csrf.admin)" -F 'file=@ledger-in.csv;type=text/csv' "$A/tasks/import")"
preview=$(tr -d '\r' <hdr | sed -n 's/^[Ll]ocation: *//p')
case $preview in /tasks/import\?stage=*) ;; *) fail "the upload went to $preview" ;; esac
expect "preview on B" 200 "$(code "$B$preview" jar.admin)"
grep -q '确认导入 1 项' body || fail "B's preview: $(grep -o 'flash[^<]*' body)"
stage=$(sed -n 's/.*name="stage" value="\([0-9a-f]*\)".*/\1/p' body)
plan=$(sed -n 's/.*name="plan" value="\([0-9a-f]*\)".*/\1/p' body)
[ -n "$stage" ] && [ -n "$plan" ] || fail "no confirmation form on B"
n0=$(sql "SELECT count(*) FROM task")
expect "confirm on B" 303 "$(code "$B/tasks/import/confirm" jar.admin \
	-H "X-CSRF-Token: $(cat csrf.admin)" -d stage="$stage" -d plan="$plan")"
expect "tasks imported" $((n0 + 1)) "$(sql "SELECT count(*) FROM task")"
expect "confirm again on A" 404 "$(code "$A/tasks/import/confirm" jar.admin \
	-H "X-CSRF-Token: $(cat csrf.admin)" -d stage="$stage" -d plan="$plan")"

# The notifications made through both servers are sent by both servers'
# senders, each once: every row claimed by one of them, none twice.  The
# receiver answers each call after 200 ms, so that a sender's pass lasts
# seconds and the other server's passes run beside it on the same rows.
start_sinks 0 200
trap 'kill_pair; kill $SINK 2>/dev/null || true' EXIT
"$R" --db "$url" setting set smtp_url "smtp://127.0.0.1:$SMTP" >/dev/null
"$R" --db "$url" setting set smtp_from "ledger@example.cn" >/dev/null
"$R" --db "$url" setting set webhook_url "http://127.0.0.1:$HOOK/robot" >/dev/null
"$R" --db "$url" user update handler --email handler@example.cn >/dev/null
"$R" --db "$url" user update leader2 --email leader2@example.cn >/dev/null
login "$A" reviewer
n0=$(sql "SELECT count(*) FROM outbox")
k=0
for t in $(sql "SELECT id FROM task WHERE status IN (0, 1) ORDER BY id"); do
	k=$((k + 1))
	if [ $((k % 2)) = 0 ]; then s=$A; else s=$B; fi
	expect "urge task $t" 200 "$(code "$s/api/v1/tasks/$t/urge" jar.reviewer \
		-H "X-CSRF-Token: $(cat csrf.reviewer)" -H 'Content-Type: application/json' -d '{}')"
done
rows=$(($(sql "SELECT count(*) FROM outbox") - n0))
[ "$rows" -ge 10 ] || fail "only $rows notifications to send"
i=0
while [ "$(sql "SELECT count(*) FROM outbox WHERE state IN (0, 1)")" != 0 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "not sent: $(sql "SELECT id, state, error FROM outbox WHERE state IN (0, 1)")"
	sleep 0.1
done
odd=$(sql "SELECT id, state, error FROM outbox WHERE state <> 2")
[ -z "$odd" ] || fail "rows not sent: $odd"
hooks=$(sql "SELECT count(*) FROM outbox WHERE channel = 'webhook'")
i=0
while [ "$(ls sink | grep -c '^hook\.')" -lt "$hooks" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "$hooks webhook rows sent, $(ls sink | grep -c '^hook\.') received"
	sleep 0.1
done
sleep 1 # a second sending of any would have come by now
expect "webhook calls" "$hooks" "$(ls sink | grep -c '^hook\.')"
dups=$(head -q -n 1 sink/hook.* | sort | uniq -d)
[ -z "$dups" ] || fail "a webhook delivery sent twice: $dups"
dups=$(cat sink/mail.* | tr -d '\r' | grep -i '^Message-ID:' | sort | uniq -d)
[ -z "$dups" ] || fail "an e-mail sent twice: $dups"
stop_pair b.out
kill $SINK 2>/dev/null || true
echo "pg_servers: ok"
