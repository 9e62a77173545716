#!/bin/sh
# Sessions: a password change ends the user's other sessions and keeps the
# one that made it; an admin's reset ends the user's sessions; a session
# ends after a stretch without use, every use renews it, it ends anyway at
# its absolute bound, and the server purges the rows of ended sessions.
. "$TOP/tests/it/lib/web.sh"

# ---- password changes (the default bounds: 12 h idle, 7 days) ----
start_server
login leader
cp jar.leader jar.other
cp csrf.leader csrf.other
# A second, separate session of the same user (another browser).
curl -s -c jar.second -H 'Content-Type: application/json' \
	-d "{\"login\":\"leader\",\"password\":\"$(password leader)\"}" "$BASE/api/v1/login" >/dev/null
expect "second session" 200 "$(curl -s -o body -w '%{http_code}' -b jar.second "$BASE/api/v1/tasks")"
old=$(password leader)
expect "wrong current password" 400 "$(post leader /password -d "old=nope-nope" -d new=NewPass-2024 -d again=NewPass-2024)"
expect "two new passwords that differ" 400 "$(post leader /password -d "old=$old" -d new=NewPass-2024 -d again=NewPass-2025)"
expect "a failed change ends nothing" 200 "$(curl -s -o body -w '%{http_code}' -b jar.second "$BASE/api/v1/tasks")"
curl -s -D hdr -o body -b jar.leader -c jar.leader -H "X-CSRF-Token: $(cat csrf.leader)" \
	-d "old=$old" -d new=NewPass-2024 -d again=NewPass-2024 "$BASE/password"
grep -q '^HTTP/1.1 303' hdr || fail "password change: $(head -n 1 hdr)"
grep -qi '^location: /password?ok=password' hdr || fail "back to the password page"
grep -qi '^set-cookie: rectify_session=[0-9a-f]\{64\};' hdr || fail "a fresh session for the browser that changed it"
expect "the changing browser goes on" 200 "$(get leader '/password?ok=password')"
grep -q '密码已修改' body || fail "the change is confirmed"
expect "the other browser is logged out" 401 "$(curl -s -o body -w '%{http_code}' -b jar.second "$BASE/api/v1/tasks")"
expect "the old cookie is dead" 401 "$(curl -s -o body -w '%{http_code}' -b jar.other "$BASE/api/v1/tasks")"
code=$(curl -s -o body -w '%{http_code}' -H 'Content-Type: application/json' \
	-d "{\"login\":\"leader\",\"password\":\"$old\"}" "$BASE/api/v1/login")
expect "the old password" 401 "$code"
code=$(curl -s -o body -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"login":"leader","password":"NewPass-2024"}' "$BASE/api/v1/login")
expect "the new password" 200 "$code"
# A page reached with the dead cookie sends the browser to log in, saying why.
curl -s -D hdr -o /dev/null -b jar.second "$BASE/tasks"
grep -qi '^location: /login?next=/tasks&ended=1' hdr || fail "ended session redirect: $(grep -i location hdr)"
expect "login page after an ended session" 200 "$(get - '/login?next=/tasks&ended=1')"
grep -q '登录已超时或已在别处退出' body || fail "the login page says the session ended"

# "next" after login stays on this host: the ways a browser would read as
# another host (tabs and newlines it strips, backslashes it reads as '/',
# in plain and encoded forms) all go to "/".
login observer
for n in //evil.example /%09/evil.example /%0a/evil.example /%0d%0a/evil.example \
	'/\evil.example' '\/evil.example' /%5cevil.example %5c/evil.example %09//evil.example \
	/%2f/evil.example https://evil.example; do
	curl -s -D hdr -o /dev/null -b jar.observer "$BASE/login?next=$n"
	loc=$(sed -n 's/^[Ll]ocation: \(.*\)\r$/\1/p' hdr)
	[ "$loc" = / ] || fail "next=$n: Location '$loc'"
done
curl -s -D hdr -o /dev/null -b jar.observer "$BASE/login?next=/tasks%3Fpage%3D2"
grep -qi '^location: /tasks?page=2' hdr || fail "a local next: $(grep -i location hdr)"

# An admin resetting the handler's password ends the handler's sessions.
login admin
login handler
expect "handler before the reset" 200 "$(get handler /api/v1/tasks)"
uid=$(sql "SELECT id FROM \"user\" WHERE login = 'handler'")
unit=$(sql "SELECT unit_id FROM \"user\" WHERE login = 'handler'")
ver=$(sql "SELECT version FROM \"user\" WHERE login = 'handler'")
expect "a reset without the version the page showed" 400 \
	"$(post admin /admin/users/$uid -d role=handler -d unit=$unit -d active=1 -d password=Reset-Pass-1)"
expect "handler after a refused reset" 200 "$(get handler /api/v1/tasks)"
expect "admin resets the handler's password" 303 \
	"$(post admin /admin/users/$uid -d version=$ver -d role=handler -d unit=$unit -d active=1 -d password=Reset-Pass-1)"
expect "the same form again: the user changed since" 409 \
	"$(post admin /admin/users/$uid -d version=$ver -d role=handler -d unit=$unit -d active=0)"
grep -q '内容已被他人修改' body || fail "the stale form is told so in Chinese"
expect "handler after the reset" 401 "$(get handler /api/v1/tasks)"
expect "admin goes on" 200 "$(get admin /api/v1/tasks)"
stop_server
fresh_ledger
rm -f jar.* csrf.*

# ---- idle and absolute bounds: 3 s idle, 7 s in all, purge every second ----
RECTIFY_SESSION=3,7,1
export RECTIFY_SESSION
start_server
# Times are taken around the logins (a slow machine may take a second for
# each): the admin's session began after t_start, the reviewer's before t0.
t_start=$(date +%s)
login admin     # used every second
login reviewer  # never used again
login observer  # never used again either: only the purge removes it
t0=$(date +%s)
i=0
while [ $(($(date +%s) - t_start)) -le 4 ]; do
	sleep 1
	code=$(get admin /api/v1/tasks)
	# Within 5 s of its login, well inside the 7 s bound: in use, renewed.
	if [ $(($(date +%s) - t_start)) -le 5 ]; then
		expect "a session in use, second $((i + 1))" 200 "$code"
	fi
	i=$((i + 1))
done
# Past the 3 s idle bound since the reviewer's last use.
while [ $(($(date +%s) - t0)) -lt 4 ]; do sleep 1; done
expect "a session left idle" 401 "$(get reviewer /api/v1/tasks)"
grep -q '"error":"unauthenticated"' body || fail "401 JSON"
# The absolute bound: keep using the admin's session until 7 s are over.
while [ $(($(date +%s) - t0)) -lt 8 ]; do
	sleep 1
	code=$(get admin /api/v1/tasks)
	if [ $(($(date +%s) - t_start)) -le 5 ]; then expect "still in use" 200 "$code"; fi
done
expect "past the absolute bound" 401 "$(get admin /api/v1/tasks)"
# The server's purge deleted the rows of both sessions.
i=0
while [ "$(sql 'SELECT count(*) FROM session')" != 0 ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "sessions past their bound were not purged: $(sql 'SELECT count(*) FROM session')"
	sleep 0.1
done
echo "web_session: ok"
