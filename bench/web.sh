#!/bin/sh
# The web application under load, against a bare libmicrohttpd "hello"
# (bench/hello.c) measured in the same run on the same machine:
#   - a 100,000-task campaign (rectify test-ledger), served by build/rectify;
#   - wrk on loopback, 64 connections, BENCH_SECONDS each (default 10):
#     the filtered 台账 page, GET /api/v1/tasks, and hello;
#   - requests per second as a ratio to hello (goal: >= 0.5), p99 latency,
#     server CPU per request (from /proc, user + system), peak memory (VmHWM).
# Timings never decide a test: this prints figures, it does not fail on them.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rectify=${RECTIFY:-$top/build/rectify}
secs=${BENCH_SECONDS:-10}
tasks=${BENCH_TASKS:-100000}
conns=64
tmp=$(mktemp -d)
spid=""
hpid=""
cleanup() {
	[ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$hpid" ] && kill -TERM "$hpid" 2>/dev/null && wait "$hpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "bench/web.sh: wrk is missing (tools/deps.sh bench)"; exit 1; }
${CC:-cc} -O2 -o "$tmp/hello" "$top/bench/hello.c" $(pkg-config --cflags --libs libmicrohttpd) -lpthread

db=$tmp/bench.db
export RECTIFY_PASSWORD=bench-password-1
export RECTIFY_TODAY=${RECTIFY_TODAY:-2024-05-15}
t0=$(date +%s)
"$rectify" --db "$db" --quiet init --admin bench --name 基准 >/dev/null
"$rectify" --db "$db" --quiet test-ledger --units 60 --tasks "$tasks" --progress $((tasks / 5)) >/dev/null
"$rectify" --db "$db" --quiet user add watcher --name 督导 --role observer >/dev/null
echo "database: $tasks tasks in $(($(date +%s) - t0)) s, $(du -h "$db" | cut -f1)"

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

page="/tasks?status=in_progress&light=yellow&sort=deadline"
api="/api/v1/tasks?status=in_progress&light=yellow&sort=deadline&per_page=50"
for p in "$page" "$api"; do
	code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: $cookie" "$base$p")
	[ "$code" = 200 ] || { echo "bench/web.sh: $p answered $code"; exit 1; }
done
total=$(grep -o '"total":[0-9]*' "$tmp/body")
echo "filter: $api -> $total, page $(curl -s -H "Cookie: $cookie" "$base$page" | wc -c) bytes"

ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# run NAME PID URL [COOKIE]: wrk, then "NAME rps p99 cpu_us_per_request"
run() {
	name=$1 pid=$2 url=$3
	c0=$(cpu "$pid")
	if [ -n "${4:-}" ]; then
		wrk -t2 -c$conns -d"${secs}s" --latency -H "Cookie: $4" "$url" >"$tmp/wrk.$name"
	else
		wrk -t2 -c$conns -d"${secs}s" --latency "$url" >"$tmp/wrk.$name"
	fi
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
wrk -t2 -c$conns -d2s -H "Cookie: $cookie" "$base$page" >/dev/null
wrk -t2 -c$conns -d2s -H "Cookie: $cookie" "$base$api" >/dev/null
h=$(run hello "$hpid" "$hello/")
l=$(run ledger "$spid" "$base$page" "$cookie")
a=$(run api "$spid" "$base$api" "$cookie")
echo
printf '%-28s %12s %10s %16s %8s\n' "($conns connections, ${secs}s)" "requests/s" "p99" "CPU/request" "ratio"
hr=$(echo "$h" | cut -d' ' -f2)
for line in "$h" "$l" "$a"; do
	set -- $line
	case $1 in
	hello) label="bare libmicrohttpd hello" ;;
	ledger) label="台账 page, filtered" ;;
	api) label="GET /api/v1/tasks, filtered" ;;
	esac
	ratio=$(awk -v a="$2" -v b="$hr" 'BEGIN { printf "%.2f", a / b }')
	printf '%-28s %12s %10s %13s us %8s\n' "$label" "$2" "$3" "$4" "$ratio"
done
echo "server peak memory (VmHWM): $(awk '/VmHWM/ { print $2, $3 }' "/proc/$spid/status")"
# What it is now: the server's own heap, and pages of the database file it
# maps (PRAGMA mmap_size), which the kernel may drop at will.
echo "  now: $(awk '/RssAnon|RssFile/ { printf "%s %s %s  ", $1, $2, $3 }' "/proc/$spid/status")"
echo "goal: ratio >= 0.5 and CPU/request < 100 us"
