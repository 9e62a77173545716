#!/bin/sh
# Two servers on one PostgreSQL ledger, clients writing to the same tasks
# through both (tests/it/lib/race.mjs: progress, 申请销号, 退回, 分解交办, each
# against the version the client read, over HTTP with CSRF), and one server
# killed (SIGKILL) in the middle and started again.  Afterwards:
#   - rectify verify passes (one audit chain, no gap, no fork);
#   - every progress entry answered 200 is in the ledger, once; the entries
#     per task are those answered plus at most the writes left unanswered;
#   - no two writes answered 200 were made against the same version of a
#     task, and each is the one audited change from that version;
#   - every refusal was a real conflict: a stale version ("stale") or a
#     status moved on (W2-submitted, W3-status, W5-status), and the ledger
#     holds another change of the task from the very version the refused
#     write named.
# Two servers on one SQLite file is not the deployment: on SQLite this
# prints a skip line and passes (make it-pg runs it on PostgreSQL).
set -eu
. "$TOP/tests/it/lib/servers.sh"
secs=${RACE_SECONDS:-8}
start_pair

# The tasks: the leader's, in progress, all written to by every client.
tasks=$(sql "SELECT string_agg(t.id || ':' || t.leader_id || ':' || t.unit_id, ',' ORDER BY t.id)
	FROM task t JOIN \"user\" u
	ON u.id = t.leader_id WHERE u.login = 'leader' AND t.status = 1")
[ -n "$tasks" ] || fail "no task of the leader in progress"
sql "SELECT task_id, count(*) FROM progress GROUP BY task_id ORDER BY task_id" >before.txt
audit0=$(sql "SELECT coalesce(max(id), 0) FROM audit")

L=leader:$(pw leader)
node "$TOP/tests/it/lib/race.mjs" log.txt "$secs" "$tasks" "$A" "$B" "$L" "$L" "$L" \
	"reviewer:$(pw reviewer)" "admin:$(pw admin)" >race.out 2>&1 &
pn=$!
# Server B killed in the middle, then started again on the same port.
sleep $((secs / 2))
kill -KILL $PB
wait $PB 2>/dev/null || true
killed=$(wc -l <log.txt)
sleep 1
serve_b b2.out "${B#http://}"
wait $pn || { cat race.out; fail "the clients failed"; }
stop_pair b2.out

total=$(wc -l <log.txt)
ok=$(awk '$5 == 200 || $5 == 303' log.txt | wc -l)
refused=$(awk '$5 == 409 || $5 == 403' log.txt | wc -l)
lost=$(awk '$5 == "none"' log.txt | wc -l)
echo "pg_race: $total writes ($killed before the kill): $ok made, $refused refused, $lost unanswered"
[ "$ok" -ge 50 ] && [ "$refused" -ge 5 ] || fail "too little happened to race: $ok made, $refused refused"
odd=$(awk '$5 != 200 && $5 != 303 && $5 != 409 && $5 != 403 && $5 != "none"' log.txt)
[ -z "$odd" ] || fail "answers that are neither success nor conflict: $odd"
odd=$(awk '($5 == 409 || $5 == 403) && $6 !~ /^(stale|W[0-9]+-(status|submitted))$/' log.txt)
[ -z "$odd" ] || fail "refusals that are not conflicts: $odd"

run 0 "$R" --db "$url" verify
has out.txt "ok"

# Each acknowledged progress entry is in the ledger exactly once.
sql "SELECT text FROM progress WHERE text LIKE '竞速-%' ORDER BY text" >texts.txt
awk '$2 == "progress" && $5 == 200 { print $7 }' log.txt | sort >acked.txt
sort texts.txt | uniq -d >dup.txt
[ ! -s dup.txt ] || fail "progress entries twice: $(cat dup.txt)"
missing=$(sort texts.txt | comm -13 - acked.txt)
[ -z "$missing" ] || fail "acknowledged progress missing from the ledger: $missing"
# Entries per task: those before, plus the acknowledged, plus at most the
# unanswered; none that was refused.
sql "SELECT task_id, count(*) FROM progress GROUP BY task_id ORDER BY task_id" >after.txt
awk '$2 == "progress" && ($5 == 409 || $5 == 403) { print $7 }' log.txt | sort >refused.txt
made=$(sort texts.txt | comm -12 - refused.txt)
[ -z "$made" ] || fail "refused progress entries in the ledger: $made"
awk 'FNR == 1 { f++ } f == 1 { split($0, a, "|"); was[a[1]] = a[2]; next }
	f == 2 { if ($2 == "progress" && $5 == 200) ok[$3]++; if ($2 == "progress" && $5 == "none") un[$3]++; next }
	{ split($0, a, "|"); t = a[1]; n = a[2] - was[t];
	  if (n < ok[t] || n > ok[t] + un[t]) { printf "task %s: %d new entries, %d acknowledged, %d unanswered\n", t, n, ok[t], un[t]; bad = 1 } }
	END { exit bad }' before.txt log.txt after.txt >counts.txt || fail "$(cat counts.txt)"

# The task changes audited during the run: from which version to which.
sql "SELECT entity_id, (before::json->>'version'), (after::json->>'version') FROM audit
	WHERE id > $audit0 AND entity = 'task' ORDER BY id" | tr '|' ' ' >changes.txt
odd=$(awk '$3 != $2 + 1' changes.txt)
[ -z "$odd" ] || fail "task changes that skip a version: $odd"
dup=$(awk '{ print $1, $2 }' changes.txt | sort | uniq -d)
[ -z "$dup" ] || fail "two changes of a task from the same version (a lost conflict): $dup"
# Each success is the one change from its version; each refusal names a
# version some other write changed.
awk '$5 == 200 || $5 == 303 { print $3, $4 }' log.txt | sort >ok.txt
dup=$(uniq -d ok.txt)
[ -z "$dup" ] || fail "two writes answered 200 against the same version: $dup"
awk '{ print $1, $2 }' changes.txt | sort >from.txt
missing=$(comm -13 from.txt ok.txt)
[ -z "$missing" ] || fail "acknowledged writes with no audited change: $missing"
awk '$5 == 409 || $5 == 403 { print $3, $4 }' log.txt | sort -u >ref.txt
unreal=$(comm -13 from.txt ref.txt)
[ -z "$unreal" ] || fail "refused writes whose version nobody changed: $unreal"
echo "pg_race: ok"
