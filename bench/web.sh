#!/bin/sh
# The web application under load, against a bare libmicrohttpd "hello"
# (bench/hello.c) measured in the same run on the same machine:
#   - a 100,000-task campaign (rectify test-ledger), served by build/rectify;
#   - wrk on loopback, 64 connections, BENCH_SECONDS each (default 10):
#     the filtered 台账 page, GET /api/v1/tasks, and hello;
#   - requests per second as a ratio to hello (goal: >= 0.5), p99 latency,
#     server CPU per request (from /proc, user + system), peak memory (VmHWM);
#   - the inbox (消息, /notifications) of a user among 1,000,000
#     notifications (BENCH_NOTES), written straight into the database;
#   - the dashboard (总览, /), read by wrk with no writes (served from the
#     render cache), then while one client writes progress entries
#     continuously (every write moves the ledger on, so nearly every view
#     draws the dashboard again): requests per second, p99, and the writes
#     per second the writer got through.
# Timings never decide a test: this prints figures, it does not fail on them.
# BENCH_SMOKE=1: 300 tasks, a second per run (curl instead of wrk when wrk is
# missing), to see that it still runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rectify=${RECTIFY:-$top/build/rectify}
secs=${BENCH_SECONDS:-10}
tasks=${BENCH_TASKS:-100000}
notes=${BENCH_NOTES:-1000000}
conns=64
warm=2
if [ -n "${BENCH_SMOKE:-}" ]; then
	secs=1 tasks=300 warm=1 notes=10000
fi
tmp=$(mktemp -d)
spid=""
hpid=""
wpid=""
cleanup() {
	[ -n "$wpid" ] && kill -TERM "$wpid" 2>/dev/null && wait "$wpid" 2>/dev/null
	[ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$hpid" ] && kill -TERM "$hpid" 2>/dev/null && wait "$hpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
have_wrk=1
if ! command -v wrk >/dev/null; then
	[ -n "${BENCH_SMOKE:-}" ] || { echo "bench/web.sh: wrk is missing (tools/deps.sh bench)"; exit 1; }
	echo "smoke: no wrk, curl asks each page a few times instead"
	have_wrk=
fi
# hello is built by the Makefile, with the product's flags and libraries.
make -s -C "$top" build/bench/hello
cp "$top/build/bench/hello" "$tmp/hello"

db=$tmp/bench.db
export RECTIFY_PASSWORD=bench-password-1
export RECTIFY_TODAY=${RECTIFY_TODAY:-2024-05-15}
t0=$(date +%s)
"$rectify" --db "$db" --quiet init --admin bench --name 基准 >/dev/null
"$rectify" --db "$db" --quiet test-ledger --units 60 --tasks "$tasks" --progress $((tasks / 5)) >/dev/null
"$rectify" --db "$db" --quiet user add watcher --name 督导 --role observer >/dev/null
# The notifications: one in a hundred the watcher's, a third of all unread.
sqlite3 "$db" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $notes)
	INSERT INTO notification(user_id, task_id, event, text, at, day, read_at)
	SELECT CASE WHEN i % 100 = 0 THEN (SELECT id FROM user WHERE login = 'watcher')
	ELSE 1 + i % (SELECT max(id) FROM user) END, (SELECT min(id) FROM task) + i % $tasks, 'urged',
	'第 ' || (1 + i % $tasks) || ' 项「基准事项」被催办，请尽快办理（基准）', '2024-05-01T08:00:00.000Z',
	19844, CASE WHEN i % 3 = 0 THEN NULL ELSE '2024-05-02T08:00:00.000Z' END FROM c"
echo "database: $tasks tasks, $notes notifications in $(($(date +%s) - t0)) s, $(du -h "$db" | cut -f1)"

"$rectify" --db "$db" serve --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
spid=$!
"$tmp/hello" >"$tmp/hello.out" &
hpid=$!
for i in $(seq 1 100); do
	grep -q 'serving' "$tmp/serve.out" && grep -q 'hello on' "$tmp/hello.out" && break
	sleep 0.1
done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out")
hello=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/hello.out")
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	-d '{"login":"watcher","password":"bench-password-1"}' "$base/api/v1/login" |
	sed -n 's/^[Ss]et-[Cc]ookie: \(rectify_session=[0-9a-f]*\).*/\1/p')
[ -n "$cookie" ] || { echo "bench/web.sh: cannot log in"; cat "$tmp/serve.err"; exit 1; }
# The writer: the admin, with the CSRF token of its session.
curl -s -D "$tmp/admin.hdr" -o "$tmp/admin.out" -H 'Content-Type: application/json' \
	-d '{"login":"bench","password":"bench-password-1"}' "$base/api/v1/login"
wcookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(rectify_session=[0-9a-f]*\).*/\1/p' "$tmp/admin.hdr")
csrf=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$tmp/admin.out")
[ -n "$wcookie" ] && [ -n "$csrf" ] || { echo "bench/web.sh: the writer cannot log in"; exit 1; }
# The tasks written to: those in progress (progress keeps them so).
curl -s -o "$tmp/open.json" -H "Cookie: $wcookie" "$base/api/v1/tasks?status=in_progress&per_page=100"
ids=$(grep -o '"id":[0-9]*,"seq"' "$tmp/open.json" | cut -d: -f2 | cut -d, -f1 | tr '\n' ' ')
n_ids=$(echo "$ids" | wc -w)
[ "$n_ids" -gt 0 ] || { echo "bench/web.sh: no task in progress to write to"; exit 1; }
# write_one N: a progress entry on the (N % n_ids)th of them; fails unless 200.
write_one() {
	set -- "$1" $ids
	shift $((1 + $1 % n_ids))
	c=$(curl -s -o "$tmp/write.out" -w '%{http_code}' -H "Cookie: $wcookie" -H "X-CSRF-Token: $csrf" \
		-F "text=基准进展" "$base/api/v1/tasks/$1/progress")
	case $c in 200 | 201) ;; *) echo "bench/web.sh: writing progress to task $1 answered $c: $(cat "$tmp/write.out")" >&2; return 1 ;; esac
}
write_one 0
# writer FILE: writes until killed, counting the writes in FILE.
writer() {
	n=0
	while :; do
		n=$((n + 1))
		write_one "$n" || exit 1
		# renamed into place: a reader never sees the file half written
		echo "$n" >"$1.new" && mv "$1.new" "$1"
	done
}

page="/tasks?status=in_progress&light=yellow&sort=deadline"
api="/api/v1/tasks?status=in_progress&light=yellow&sort=deadline&per_page=50"
inbox="/notifications"
for p in / "$inbox" "$page" "$api"; do
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: $cookie" "$base$p")
	[ "$code" = 200 ] || { echo "bench/web.sh: $p answered $code"; exit 1; }
done
total=$(grep -o '"total":[0-9]*' "$tmp/body")
echo "filter: $api -> $total, page $(curl -s -H "Cookie: $cookie" "$base$page" | wc -c) bytes"

ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# fake_wrk SECONDS URL [COOKIE]: without wrk (smoke only), curl asks a few
# times and prints what the figures below read from wrk's report.
fake_wrk() {
	n=0
	while [ $n -lt 5 ]; do
		code=$(curl -s -o /dev/null -w '%{http_code}' ${3:+-H "Cookie: $3"} "$2")
		[ "$code" = 200 ] || { echo "bench/web.sh: $2 answered $code" >&2; return 1; }
		n=$((n + 1))
	done
	echo "  $n requests in 1s"
	echo "Requests/sec: $n"
	echo "     99%    1ms"
}
load() { # SECONDS URL [COOKIE]
	if [ -z "$have_wrk" ]; then
		fake_wrk "$@"
	elif [ -n "${3:-}" ]; then
		wrk -t2 -c$conns -d"$1s" --latency -H "Cookie: $3" "$2"
	else
		wrk -t2 -c$conns -d"$1s" --latency "$2"
	fi
}
# run NAME PID URL [COOKIE]: wrk, then "NAME rps p99 cpu_us_per_request"
run() {
	name=$1 pid=$2 url=$3
	c0=$(cpu "$pid")
	load "$secs" "$url" "${4:-}" >"$tmp/wrk.$name"
	c1=$(cpu "$pid")
	reqs=$(awk '/requests in/ { print $1 }' "$tmp/wrk.$name")
	rps=$(awk '/^Requests\/sec/ { print $2 }' "$tmp/wrk.$name")
	p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.$name")
	errs=$(awk '/Non-2xx|Socket errors/' "$tmp/wrk.$name")
	us=$(awk -v a="$c0" -v b="$c1" -v n="$reqs" -v t="$ticks" 'BEGIN { printf "%.3f", (b - a) / t * 1e6 / n }')
	echo "$name $rps $p99 $us"
	[ -z "$errs" ] || echo "  ($name: $errs)"
}
# warm the caches of every server thread
load $warm "$base$page" "$cookie" >/dev/null
load $warm "$base$api" "$cookie" >/dev/null
load $warm "$base/" "$cookie" >/dev/null
h=$(run hello "$hpid" "$hello/")
l=$(run ledger "$spid" "$base$page" "$cookie")
a=$(run api "$spid" "$base$api" "$cookie")
d=$(run dash "$spid" "$base/" "$cookie")
load $warm "$base$inbox" "$cookie" >/dev/null
n=$(run inbox "$spid" "$base$inbox" "$cookie")
# The dashboard while one client writes progress continuously.
writer "$tmp/writes" &
wpid=$!
sleep 1
w0=$(cat "$tmp/writes" 2>/dev/null || echo 0)
t0=$(date +%s%N)
dw=$(run dashw "$spid" "$base/" "$cookie")
t1=$(date +%s%N)
w1=$(cat "$tmp/writes" 2>/dev/null || echo 0)
kill -TERM "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null || true
wpid=""
[ "$w1" -gt "$w0" ] || { echo "bench/web.sh: the writer wrote nothing"; exit 1; }
wps=$(awk -v n=$((w1 - w0)) -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", n / (ns / 1e9) }')
echo
printf '%-36s %12s %10s %16s %8s\n' "($conns connections, ${secs}s)" "requests/s" "p99" "CPU/request" "ratio"
hr=$(echo "$h" | cut -d' ' -f2)
for line in "$h" "$l" "$a" "$d" "$n" "$dw"; do
	set -- $line
	case $1 in
	hello) label="bare libmicrohttpd hello" ;;
	ledger) label="台账 page, filtered" ;;
	api) label="GET /api/v1/tasks, filtered" ;;
	dash) label="总览 (dashboard), no writes" ;;
	inbox) label="消息 (inbox) of 1M notifications" ;;
	dashw) label="总览 while writing progress" ;;
	esac
	ratio=$(awk -v a="$2" -v b="$hr" 'BEGIN { printf "%.2f", a / b }')
	printf '%-36s %12s %10s %13s us %8s\n' "$label" "$2" "$3" "$4" "$ratio"
done
echo "writer during the dashboard run: $wps progress entries/s (one client, curl, one at a time)"
echo "server peak memory (VmHWM): $(awk '/VmHWM/ { print $2, $3 }' "/proc/$spid/status")"
# What it is now: the server's own heap, and pages of the database file it
# maps (PRAGMA mmap_size), which the kernel may drop at will.
echo "  now: $(awk '/RssAnon|RssFile/ { printf "%s %s %s  ", $1, $2, $3 }' "/proc/$spid/status")"
echo "goal: ratio >= 0.5 and CPU/request < 100 us"
