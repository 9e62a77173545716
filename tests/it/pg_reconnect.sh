#!/bin/sh
# A server whose PostgreSQL goes away (a restart, a failover) serves again
# once it is back, without a restart of its own: the connections are made
# again and their statements prepared again.  PostgreSQL only.
set -eu
. "$TOP/tests/it/lib/cli.sh"
if [ -z "${RECTIFY_PG_CLUSTER:-}" ]; then
	echo "skip on SQLite: a connection that is lost is a database server's (make it-pg)"
	echo "ok"
	exit 0
fi

run 0 $R init --admin office
run 0 $R unit add 甲局
run 0 $R user add zhang --name 张三 --role leader --unit 甲局
run 0 $R import "$TOP/data/sample-team.md"
run 0 $R task assign 1 --leader zhang --unit 甲局

"$RECTIFY" serve --listen 127.0.0.1:0 --threads 2 >server.out 2>server.err &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
i=0
while ! grep -q 'on http://127\.0\.0\.1:[0-9]*$' server.out 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the server did not start: $(cat server.err)"
	sleep 0.1
done
BASE=$(grep -o 'http://127.0.0.1:[0-9]*' server.out | tail -n 1)
login() {
	curl -s -c jar -b jar -H 'Content-Type: application/json' \
		-d '{"login":"zhang","password":"secret-pass"}' "$BASE/api/v1/login" >login.out
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' login.out >csrf
	[ -s csrf ] || fail "login: $(cat login.out)"
}
tasks() { curl -s -o body -w '%{http_code}' -b jar "$BASE/api/v1/tasks"; }
progress() {
	curl -s -o body -w '%{http_code}' -b jar -H "X-CSRF-Token: $(cat csrf)" \
		-H 'Content-Type: application/json' -d "{\"text\":\"$1\"}" \
		"$BASE/api/v1/tasks/1/progress"
}
login
[ "$(tasks)" = 200 ] || fail "before: $(cat body)"
[ "$(progress 第一次)" = 200 ] || fail "a write before: $(cat body)"

"$TOP/tools/pg-cluster.sh" restart "$RECTIFY_PG_CLUSTER"

# Every thread's connection is gone: each serves again after at most the
# request that finds it lost (that one may fail, with a clear error).
# Which of the two threads takes a request is the web server's choice, so
# a thread may meet its first request late: over twenty pages and a
# write, at most two requests fail in all.
failed=0
for i in $(seq 20); do
	s=$(tasks)
	case $s in
	200) ;;
	500 | 503) failed=$((failed + 1)) ;;
	*) fail "after: status $s $(cat body)" ;;
	esac
done
[ $failed -le 2 ] ||
	fail "$failed of 20 pages failed after the restart; the server said: $(tail -n 8 server.err)"
while [ "$(progress 第二次)" != 200 ]; do
	failed=$((failed + 1))
	[ $failed -le 2 ] ||
		fail "a write after the restart: $(cat body); the server said: $(tail -n 8 server.err)"
done
kill -TERM $PID
wait $PID || fail "the server's exit: $(tail -n 5 server.err)"
trap - EXIT
run 0 $R task show 1
has out.txt "第一次"
has out.txt "第二次"
run 0 $R verify
echo "ok"
