#!/bin/sh
# Login throttling: after the allowed failures an account is refused with
# 429 (and Retry-After) from the guessing address even with the right
# password, through the API and the form alike, while other accounts still
# log in and the account itself, from another address, only waits; an
# address that keeps failing across accounts is refused too, and still is
# after the server restarts.
export RECTIFY_THROTTLE=3,6,600
. "$TOP/tests/it/lib/web.sh"
start_server
bad() {
	curl -s -o body -w '%{http_code}' -D hdr -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"wrong-password\"}" "$BASE/api/v1/login"
}
for i in 1 2 3; do expect "bad password $i" 401 "$(bad leader)"; done
grep -q '"error":"unauthenticated","message":"用户名或密码错误。"' body || fail "401 message"
expect "fourth attempt" 429 "$(bad leader)"
grep -qi '^retry-after: [1-9]' hdr || fail "Retry-After"
grep -q '"error":"throttled"' body || fail "429 body"
code=$(curl -s -o body -w '%{http_code}' -H 'Content-Type: application/json' \
	-d "{\"login\":\"leader\",\"password\":\"$(password leader)\"}" "$BASE/api/v1/login")
expect "right password while throttled" 429 "$code"
# The login form says so too, in Chinese.
curl -s -c jar.form -o form.html "$BASE/login"
tok=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' form.html | head -n 1)
code=$(curl -s -o body -w '%{http_code}' -b jar.form -d "csrf=$tok&login=leader&password=$(password leader)" "$BASE/login")
expect "form login while throttled" 429 "$code"
grep -q '登录失败次数过多' body || fail "the form explains the refusal"
# The guesser's address is stopped, the account only slowed: the leader,
# from another address, logs in after a second or two, not after the window.
sleep 2
code=$(curl -s -o body -w '%{http_code}' --interface 127.0.0.2 -H 'Content-Type: application/json' \
	-d "{\"login\":\"leader\",\"password\":\"$(password leader)\"}" "$BASE/api/v1/login")
expect "the rightful user from elsewhere" 200 "$code"
# Another account from the same address still works ...
login reviewer
# ... until the address has failed 6 times in all.
expect "other account bad 1" 401 "$(bad observer)"
expect "other account bad 2" 401 "$(bad observer)"
expect "unknown account, the sixth failure" 401 "$(bad nobody)"
code=$(curl -s -o body -w '%{http_code}' -H 'Content-Type: application/json' \
	-d "{\"login\":\"admin\",\"password\":\"$(password admin)\"}" "$BASE/api/v1/login")
expect "address throttled" 429 "$code"
# A session made before keeps working.
expect "existing session" 200 "$(get reviewer /api/v1/tasks)"
# The counts are kept in the database: a restarted server still refuses.
stop_server
serve_again
trap stop_server EXIT
code=$(curl -s -o body -w '%{http_code}' -H 'Content-Type: application/json' \
	-d "{\"login\":\"admin\",\"password\":\"$(password admin)\"}" "$BASE/api/v1/login")
expect "address throttled after a restart" 429 "$code"
echo "web_throttle: ok"
