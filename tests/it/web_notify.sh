#!/bin/sh
# 催办, the 退回 banner and the inbox over HTTP.  The demo: task 3 is
# submitted (leader 王建国), task 6 not started (leader2, 产业发展股, the
# handler's unit), task 5 in progress (leader, another unit).
. "$TOP/tests/it/lib/web.sh"
start_server
for u in admin leader leader2 handler reviewer observer; do login "$u"; done

# 催办: the office and reviewers only; a task under review is not urged.
for pair in leader:403 leader2:403 handler:403 observer:403; do
	u=${pair%%:*}
	expect "$u urges task 6" "${pair#*:}" "$(postj $u /api/v1/tasks/6/urge '{"message":"x"}')"
done
expect "admin urges a submitted task" 409 "$(postj admin /api/v1/tasks/3/urge '{}')"
grep -q '"code":"W17-status"' body || fail "refusal code: $(cat body)"
expect "reviewer urges task 6" 200 "$(postj reviewer /api/v1/tasks/6/urge '{"message":"请本周内报送进展"}')"
grep -q '"action":"urge"' body || fail "the urge is not in the task's history"
grep -q '"urged":{"by":"[^"]*","at":"[^"]*","reason":"请本周内报送进展"}' body ||
	fail "the task's JSON lacks the pending 催办: $(head -c 400 body)"

# The banner, for the people of the task, until they act.
expect "handler reads task 6" 200 "$(get handler /tasks/6)"
grep -q 'banner urged' body || fail "no 催办 banner"
grep -q '请本周内报送进展' body || fail "the banner lacks the message"
expect "handler's 我的" 200 "$(get handler /mine)"
grep -q '被催办的事项' body || fail "我的 lacks the urged group"
grep -q 'href="/tasks/6"' body || fail "我的 lacks task 6"

# The inbox: the handler and leader2 were told, with the message; the
# leader of other tasks and the reviewer who urged were not.
expect "handler's notifications" 200 "$(get handler /api/v1/notifications)"
grep -q '"event":"urged"' body || fail "handler not told: $(head -c 300 body)"
grep -q '请本周内报送进展' body || fail "the notification lacks the message"
id=$(sed -n 's/.*{"id":\([0-9]*\),"event":"urged".*/\1/p' body | head -n 1)
[ -n "$id" ] || id=$(grep -o '"id":[0-9]*' body | head -n 1 | cut -d: -f2)
expect "leader2's notifications" 200 "$(get leader2 /api/v1/notifications)"
grep -q '"event":"urged"' body || fail "leader2 not told"
for u in leader reviewer observer; do
	expect "$u's notifications" 200 "$(get $u /api/v1/notifications)"
	grep -q '请本周内报送进展' body && fail "$u was told of another's task"
done
expect "nobody's notifications" 401 "$(get - /api/v1/notifications)"

# Another's notification cannot be marked read.
expect "leader marks the handler's" 200 "$(postj leader /api/v1/notifications/read "{\"ids\":[$id]}")"
grep -q '"marked":0' body || fail "marked another's notification: $(cat body)"

# The header's count, right for each user through the page cache.
expect "handler's ledger" 200 "$(get handler /tasks)"
grep -q 'class="todo unread"' body || fail "no unread count in the header"
expect "handler's inbox page" 200 "$(get handler /notifications)"
grep -q '请本周内报送进展' body || fail "the inbox page lacks the message"
expect "handler reads all" 200 "$(postj handler /api/v1/notifications/read '{"all":true}')"
grep -q '"unread":0' body || fail "unread after all read: $(cat body)"
expect "handler's ledger again" 200 "$(get handler /tasks)"
grep -q 'class="todo unread"' body && fail "the cached page kept the old count"
expect "bad read body" 400 "$(postj handler /api/v1/notifications/read '{"ids":"x"}')"

# The handler acts: the banner is gone.
expect "handler reports progress" 200 \
	"$(post handler /api/v1/tasks/6/progress -F 'text=已召开专题会' -F 'files=@server.out')"
expect "handler reads task 6 again" 200 "$(get handler /tasks/6)"
grep -q 'banner urged' body && fail "the 催办 banner outlived the progress"

# 退回: a banner with the reviewer and the reason, and a group in 我的.
expect "reviewer returns task 3" 200 "$(postj reviewer /api/v1/tasks/3/return '{"reason":"佐证材料不足"}')"
expect "leader reads task 3" 200 "$(get leader /tasks/3)"
grep -q 'banner returned' body || fail "no 退回 banner"
grep -q '佐证材料不足' body || fail "the banner lacks the reason"
expect "leader's 我的" 200 "$(get leader /mine)"
grep -q '被退回的事项' body || fail "我的 lacks the returned group"
expect "leader's notifications" 200 "$(get leader /api/v1/notifications)"
grep -q '"event":"returned"' body || fail "leader not told of the return"

# The form on the task page.
expect "admin's task page" 200 "$(get admin /tasks/8)"
grep -q 'action="/tasks/8/urge"' body || fail "no 催办 form for the office"
v=$(sed -n 's/.*name="version" value="\([0-9]*\)".*/\1/p' body | head -n 1)
expect "admin urges by the form" 303 "$(post admin /tasks/8/urge -d version=$v -d reason=请加快)"
expect "observer's task page" 200 "$(get observer /tasks/8)"
grep -q 'action="/tasks/8/urge"' body && fail "a 催办 form for an observer"
# Each user sets their own address and turns channels off.
expect "handler's inbox page" 200 "$(get handler /notifications)"
v=$(sed -n 's/.*action="\/notifications\/channels".*name="version" value="\([0-9]*\)".*/\1/p' body | head -n 1)
[ -n "$v" ] || fail "no 接收方式 form"
expect "handler sets the channels" 303 \
	"$(post handler /notifications/channels -d version=$v -d email=chen@example.cn -d off_webhook=1)"
expect "handler's inbox page again" 200 "$(get handler /notifications)"
grep -q 'value="chen@example.cn"' body || fail "the address was not kept"
grep -q 'name="off_webhook" value="1" checked' body || fail "the webhook was not turned off"
expect "a bad address" 400 \
	"$(post handler /notifications/channels -d version=$((v + 1)) -d email=x)"
"$RECTIFY" --db "$LEDGER" user list | grep -q handler || fail "user list"

# The office configures the channels on the admin page.
expect "admin page" 200 "$(get admin /admin)"
grep -q 'name="key" value="smtp_url"' body || fail "no channel settings on the admin page"
expect "admin sets the webhook" 303 \
	"$(post admin /admin/settings -d key=webhook_url -d version=0 -d value=http://127.0.0.1:9/hook)"
expect "admin sets a bad webhook" 400 \
	"$(post admin /admin/settings -d key=webhook_url -d version=1 -d value=ftp://x)"
expect "leader sets the webhook" 403 \
	"$(post leader /admin/settings -d key=webhook_url -d version=1 -d value=http://x/)"
expect "admin keeps a secret by leaving it empty" 303 \
	"$(post admin /admin/settings -d key=smtp_password -d version=0 -d value=)"
"$RECTIFY" --db "$LEDGER" setting list | grep -q 'webhook_url *http://127.0.0.1:9/hook' ||
	fail "the webhook setting was not kept"
"$RECTIFY" --db "$LEDGER" setting set webhook_url '' >/dev/null

# The office's 我的: each task needing 交办 once, with what it lacks; the
# 待办 badge counts tasks, not missing fields.
"$RECTIFY" --db "$LEDGER" import --again --campaign 1 "$TOP/data/sample-team.md" >/dev/null
expect "admin's 我的" 200 "$(get admin /mine)"
grep -q '待交办事项' body || fail "no 交办 list"
grep -q '（12）' body || fail "the 交办 list should hold 12 tasks"
grep -q '领导 / 单位' body || fail "the 交办 list does not say what a task lacks"
grep -q '<span class="todo">12</span>' body || fail "the 待办 badge should count 12 tasks"
verify_ok=$("$RECTIFY" --db "$LEDGER" verify 2>&1) || fail "verify: $verify_ok"
stop_server
echo ok
