#!/bin/sh
# Delivery of notifications by e-mail and webhook, to a sink and a receiver
# of the tests on loopback (tests/it/lib/sinks.mjs): `notify test`, the
# worker of `rectify serve`, retries, the text form, and the outbox under
# SIGKILL (every committed change has its notifications; nothing is sent
# twice to a channel).
. "$TOP/tests/it/lib/web.sh"
. "$TOP/tests/it/lib/sinks.sh"
# The first two webhook calls fail: the worker retries them.
start_sinks 2
cleanup() { kill "$SINK" 2>/dev/null || true; }

start_server
trap 'stop_server; cleanup' EXIT
for u in admin reviewer; do login "$u"; done
db() { "$RECTIFY" --db "$LEDGER" "$@"; }
db setting set smtp_url "smtp://127.0.0.1:$SMTP" >/dev/null
db setting set smtp_from "ledger@example.cn" >/dev/null
db setting set webhook_url "http://127.0.0.1:$HOOK/robot" >/dev/null
db user update handler --email handler@example.cn >/dev/null
db user update leader2 --email leader2@example.cn >/dev/null
db user update leader --email 'not an address' 2>/dev/null && fail "a bad address was taken"
db setting list >settings.out
grep -q "smtp_url *smtp://127.0.0.1:$SMTP" settings.out || fail "setting list: $(cat settings.out)"

# notify test: through both channels (the receiver fails its first two
# calls, so the test's webhook reports the failure, and the next works).
db notify test --to handler >test.out 2>&1 && fail "the failing webhook was not reported"
grep -q '^e-mail: sent to handler@example.cn' test.out || fail "notify test: $(cat test.out)"
grep -q '^webhook: failed: webhook: HTTP 500' test.out || fail "notify test: $(cat test.out)"
wait_for() { # FILE-GLOB COUNT
	i=0
	while [ "$(ls sink | grep -c "^$1\.")" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -lt 150 ] || fail "waited for $2 $1 files: $(ls sink)"
		sleep 0.1
	done
}
wait_for mail 1
grep -q 'RCPT <handler@example.cn>' sink/mail.1 || fail "test mail envelope: $(head -c 300 sink/mail.1)"

# A 催办 reaches leader2 and the handler by e-mail, and the webhook (after
# one more failure, retried) once per notification.
expect "reviewer urges task 6" 200 "$(postj reviewer /api/v1/tasks/6/urge '{"message":"请本周内报送"}')"
wait_for mail 3
cat sink/mail.* >mails
grep -q 'RCPT <leader2@example.cn>' mails || fail "no mail to leader2"
grep -q 'RCPT <handler@example.cn>' mails || fail "no second mail to the handler"
# The body is base64 of UTF-8: decode the handler's.
mail_body() { tr -d '\r' <"$1" | awk 'f && /^$/ {exit} f {print} /^$/ && !f {f=1}' | base64 -d; }
body=$(mail_body "$(grep -l 'RCPT <handler@example.cn>' sink/mail.* | tail -n 1)")
echo "$body" | grep -q '请本周内报送' || fail "mail body: $body"
echo "$body" | grep -q '第 6 项' || fail "mail body: $body"
# A notification's e-mail carries nothing of another's task.
grep -l 'RCPT <handler@example.cn>' sink/mail.* | while read -r f; do
	mail_body "$f" | grep -q '第 5 项' &&
		fail "the handler's mail names task 5"
	true
done
wait_for hook 2
cat sink/hook.* >hooks
grep -q '"event":"urged"' hooks || fail "webhook: $(cat hooks)"
grep -q '"login":"handler"' hooks || fail "webhook lacks the handler's: $(cat hooks)"
grep -q '"login":"leader2"' hooks || fail "webhook lacks leader2's: $(cat hooks)"
dups=$(head -q -n 1 sink/hook.* | sort | uniq -d)
[ -z "$dups" ] || fail "a webhook delivery sent twice: $dups"
st=$(sql "SELECT count(*) FROM outbox WHERE state = 2 AND attempts > 1")
[ "$st" -ge 1 ] || fail "no delivery was retried"

# The text form for group robots.
db setting set webhook_format text >/dev/null
n=$(ls sink | grep -c '^hook\.')
expect "admin urges task 8" 200 "$(postj admin /api/v1/tasks/8/urge '{}')"
wait_for hook $((n + 1))
cat sink/hook.* | grep -q '"msgtype":"text"' || fail "no text-form webhook"

# The outbox under SIGKILL: urge and progress in a loop, kill the server
# mid-way, restart it, and check that every committed change has its
# notifications and that no delivery was made twice.
jobs=""
for k in 1 2 3 4 5 6 7 8; do
	postj admin /api/v1/tasks/10/urge "{\"message\":\"第$k次\"}" >/dev/null
	postj admin /api/v1/tasks/6/urge "{\"message\":\"第$k次\"}" >/dev/null &
	jobs="$jobs $!"
done
kill -KILL "$PID"
wait "$PID" 2>/dev/null || true
for j in $jobs; do wait "$j" 2>/dev/null || true; done
PID=
urges=$(sql "SELECT count(*) FROM task_event WHERE action = 'urge'")
told=$(sql "SELECT count(DISTINCT n.id) FROM notification n WHERE n.event = 'urged'")
missing=$(sql "SELECT count(*) FROM task_event e WHERE e.action = 'urge' AND NOT EXISTS
	(SELECT 1 FROM notification n WHERE n.task_id = e.task_id AND n.event = 'urged' AND n.at = e.at)")
expect "urges without their notifications (of $urges urges, $told notifications)" 0 "$missing"
# Restart: what was claimed is not sent again; the rest goes out.
serve_again
i=0
while [ "$(sql 'SELECT count(*) FROM outbox WHERE state IN (0, 1)')" != 0 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the outbox did not drain: $(sql 'SELECT state, count(*) FROM outbox GROUP BY state')"
	sleep 0.1
done
dups=$(head -q -n 1 sink/hook.* | sort | uniq -d)
[ -z "$dups" ] || fail "a webhook delivery sent twice after the restart: $dups"
sent=$(sql "SELECT count(*) FROM outbox WHERE channel = 'webhook' AND state = 2")
got=$(ls sink | grep -c '^hook\.' || true)
# Every row marked sent arrived (the test's own call is not in the outbox).
[ "$got" -ge "$sent" ] || fail "$sent webhook rows marked sent, $got received"
"$RECTIFY" --db "$LEDGER" verify >/dev/null || fail "verify after SIGKILL"
stop_server
cleanup
echo ok
