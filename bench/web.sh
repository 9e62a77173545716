#!/bin/sh
# The web application under load, against a bare libmicrohttpd "hello"
# (bench/hello.c) measured in the same run on the same machine:
#   - a 100,000-task campaign with 1,000,000 progress entries (rectify
#     test-ledger; BENCH_TASKS, BENCH_PROGRESS), served by build/rectify;
#   - wrk on loopback, 64 connections, BENCH_SECONDS each (default 10):
#     the filtered 台账 page, GET /api/v1/tasks, and hello;
#   - requests per second as a ratio to hello (goal: >= 0.5), p99 latency,
#     server CPU per request (from /proc, user + system: the servers, and
#     on PostgreSQL its processes too), peak memory (VmHWM);
#   - the inbox (消息, /notifications) of a user among 1,000,000
#     notifications (BENCH_NOTES), written straight into the database;
#   - the dashboard (总览, /), read by wrk with no writes (served from the
#     render cache), then while one client writes progress entries
#     continuously (every write moves the ledger on, so nearly every view
#     draws the dashboard again): requests per second, p99, and the writes
#     per second the writer got through.
# Each of these on every setup of BENCH_SETUPS, in the same run:
#   sqlite   one server on the SQLite file;
#   pg1      one server on PostgreSQL (the same ledger copied there by
#            rectify migrate);
#   pg2      two servers on that PostgreSQL database, the load split
#            between them (two wrk, 32 connections each; the writer
#            alternates);
# default all three when PostgreSQL's server is installed (a throwaway
# cluster of tools/with-pg.sh, or $RECTIFY_PG_CLUSTER), else sqlite.
# Timings never decide a test: this prints figures, it does not fail on them.
# BENCH_SMOKE=1: 300 tasks, a second per run (curl instead of wrk when wrk is
# missing), to see that it still runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
have_pg=
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && have_pg=1
setups=${BENCH_SETUPS:-sqlite${have_pg:+ pg1 pg2}}
case " $setups " in
*" pg"*)
	[ -n "$have_pg" ] || { echo "bench/web.sh: PostgreSQL's server is not installed (package postgresql)"; exit 1; }
	[ -n "${RECTIFY_PG_CLUSTER:-}" ] || exec "$top/tools/with-pg.sh" "$0" "$@"
	;;
esac
rectify=${RECTIFY:-$top/build/rectify}
secs=${BENCH_SECONDS:-10}
tasks=${BENCH_TASKS:-100000}
progress=${BENCH_PROGRESS:-1000000}
notes=${BENCH_NOTES:-1000000}
conns=64
warm=2
if [ -n "${BENCH_SMOKE:-}" ]; then
	secs=1 tasks=300 progress=1500 warm=1 notes=10000
fi
tmp=$(mktemp -d)
spids=""
hpid=""
wpid=""
cleanup() {
	[ -n "$wpid" ] && kill -TERM "$wpid" 2>/dev/null && wait "$wpid" 2>/dev/null
	for p in $spids $hpid; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"
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
"$rectify" --db "$db" --quiet test-ledger --units 60 --tasks "$tasks" --progress "$progress" >/dev/null
"$rectify" --db "$db" --quiet user add watcher --name 督导 --role observer >/dev/null
echo "database: $tasks tasks, $progress progress entries in $(($(date +%s) - t0)) s, $(du -h "$db" | cut -f1)"
# The notifications: one in a hundred the watcher's, a third of all unread;
# the same rows on each engine, in its own SQL.
notes_sql() { # SERIES: the rows i = 1 .. $notes
	echo "INSERT INTO notification(user_id, task_id, event, text, at, day, read_at)
	SELECT CASE WHEN i % 100 = 0 THEN (SELECT id FROM $1 WHERE login = 'watcher')
	ELSE 1 + i % (SELECT max(id) FROM $1) END, (SELECT min(id) FROM task) + i % $tasks, 'urged',
	'第 ' || (1 + i % $tasks) || ' 项「基准事项」被催办，请尽快办理（基准）', '2024-05-01T08:00:00.000Z',
	19844, CASE WHEN i % 3 = 0 THEN NULL ELSE '2024-05-02T08:00:00.000Z' END FROM $2"
}
url=""
case " $setups " in
*" pg"*)
	url=$("$top/tools/pg-cluster.sh" db "$RECTIFY_PG_CLUSTER" "bench_web_$$")
	t0=$(date +%s)
	"$rectify" migrate --from "$db" --to "$url" >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d "$url" \
		-c "$(notes_sql '"user"' "generate_series(1, $notes) AS c(i)")" -c "VACUUM (FREEZE, ANALYZE)" \
		-c "CHECKPOINT" # the copy's aftermath (hint bits, freezing) done before anything is timed
	echo "copied to PostgreSQL (rectify migrate) with $notes notifications in $(($(date +%s) - t0)) s"
	;;
esac
t0=$(date +%s)
sqlite3 "$db" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $notes)
	$(notes_sql user c)"
echo "SQLite: $notes notifications in $(($(date +%s) - t0)) s, $(du -h "$db" | cut -f1)"

"$tmp/hello" >"$tmp/hello.out" &
hpid=$!
for i in $(seq 1 100); do
	grep -q 'hello on' "$tmp/hello.out" && break
	sleep 0.1
done
hello=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/hello.out")

ticks=$(getconf CLK_TCK)
# cpu PID...: the CPU ticks the processes used, with their waited-for
# children's.
cpu() {
	for p in "$@"; do cat "/proc/$p/stat"; done |
		awk '{ sub(/^.*\) /, ""); s += $12 + $13 + $14 + $15 } END { print s + 0 }'
}
# pg_pids: PostgreSQL's processes (the postmaster and its children), whose
# work for the servers is part of what a request costs.
pg_pids() {
	pm=$(head -n 1 "$RECTIFY_PG_CLUSTER/data/postmaster.pid")
	echo "$pm" $(cat /proc/"$pm"/task/*/children)
}
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
load1() { # THREADS CONNS SECONDS URL [COOKIE]
	if [ -z "$have_wrk" ]; then
		fake_wrk "$3" "$4" "${5:-}"
	elif [ -n "${5:-}" ]; then
		wrk -t"$1" -c"$2" -d"$3s" --latency -H "Cookie: $5" "$4"
	else
		wrk -t"$1" -c"$2" -d"$3s" --latency "$4"
	fi
}
# load SECONDS PATH COOKIE OUT: the load on every server of the setup at
# once, split between them; their reports in OUT.1, OUT.2 ….
load() {
	set -- "$1" "$2" "$3" "$4" $bases
	s=$1 path=$2 c=$3 out=$4
	shift 4
	k=0 lp=""
	for b in "$@"; do
		k=$((k + 1))
		load1 $((2 / $#)) $((conns / $#)) "$s" "$b$path" "$c" >"$out.$k" &
		lp="$lp $!"
	done
	for p in $lp; do wait "$p"; done
}
# run NAME PATH COOKIE: wrk, then "NAME rps p99 cpu_us_per_request"; the
# CPU of the setup's servers (and database).
run() {
	rname=$1
	c0=$(cpu $watch)
	rm -f "$tmp/wrk.$rname".* # a setup with fewer servers than the last
	load "$secs" "$2" "$3" "$tmp/wrk.$rname"
	c1=$(cpu $watch)
	cat "$tmp/wrk.$rname".* | awk -v name="$rname" -v a="$c0" -v b="$c1" -v t="$ticks" '
		/requests in/ { reqs += $1 }
		/^Requests\/sec/ { rps += $2 }
		$1 == "99%" { v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /[0-9]s$/) ms *= 1000;
			if (ms >= p99) { p99 = ms; p = v } }
		/Non-2xx|Socket errors/ { errs = errs " " $0 }
		END { printf "%s %.2f %s %.3f\n", name, rps, p, (b - a) / t * 1e6 / reqs;
			if (errs != "") printf "  (%s:%s)\n", name, errs > "/dev/stderr" }'
}
# The hello server alone, its CPU only.
bases=$hello watch=$hpid
h=$(run hello / "")

page="/tasks?status=in_progress&light=yellow&sort=deadline"
api="/api/v1/tasks?status=in_progress&light=yellow&sort=deadline&per_page=50"
inbox="/notifications"
# setup NAME: start its servers, measure, stop them; prints
# "NAME what rps p99 us" lines into $tmp/results, and the writer's rate.
setup() {
	sname=$1
	case $sname in
	sqlite) sdb=$db n=1 ;;
	pg1) sdb=$url n=1 ;;
	pg2) sdb=$url n=2 ;;
	*) echo "bench/web.sh: no setup $sname (sqlite, pg1, pg2)"; exit 1 ;;
	esac
	spids="" bases=""
	for k in $(seq 1 $n); do
		"$rectify" --db "$sdb" serve --listen 127.0.0.1:0 >"$tmp/serve.$k.out" 2>"$tmp/serve.$k.err" &
		spids="$spids $!"
	done
	for k in $(seq 1 $n); do
		for i in $(seq 1 100); do
			grep -q 'serving' "$tmp/serve.$k.out" && break
			sleep 0.1
		done
		bases="$bases $(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.$k.out")"
	done
	watch=$spids
	[ "$sname" = sqlite ] || watch="$spids $(pg_pids)"
	base=$(echo $bases | cut -d' ' -f1)
	cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
		-d '{"login":"watcher","password":"bench-password-1"}' "$base/api/v1/login" |
		sed -n 's/^[Ss]et-[Cc]ookie: \(rectify_session=[0-9a-f]*\).*/\1/p')
	[ -n "$cookie" ] || { echo "bench/web.sh: cannot log in"; cat "$tmp"/serve.*.err; exit 1; }
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
	for b in $bases; do
		for p in / "$inbox" "$page" "$api"; do
			code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: $cookie" "$b$p")
			[ "$code" = 200 ] || { echo "bench/web.sh: $p answered $code"; exit 1; }
		done
	done
	total=$(grep -o '"total":[0-9]*' "$tmp/body")
	echo "$sname: filter $api -> $total, page $(curl -s -H "Cookie: $cookie" "$base$page" | wc -c) bytes"
	write_one 0
	# warm the caches of every server thread
	load $warm "$page" "$cookie" "$tmp/warm"
	load $warm "$api" "$cookie" "$tmp/warm"
	load $warm / "$cookie" "$tmp/warm"
	run ledger "$page" "$cookie" >>"$tmp/results.$sname"
	run api "$api" "$cookie" >>"$tmp/results.$sname"
	run dash / "$cookie" >>"$tmp/results.$sname"
	load $warm "$inbox" "$cookie" "$tmp/warm"
	run inbox "$inbox" "$cookie" >>"$tmp/results.$sname"
	# The dashboard while one client writes progress continuously.
	rm -f "$tmp/writes"
	writer "$tmp/writes" &
	wpid=$!
	sleep 1
	w0=$(cat "$tmp/writes" 2>/dev/null || echo 0)
	t0=$(date +%s%N)
	run dashw / "$cookie" >>"$tmp/results.$sname"
	t1=$(date +%s%N)
	w1=$(cat "$tmp/writes" 2>/dev/null || echo 0)
	kill -TERM "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null || true
	wpid=""
	[ "$w1" -gt "$w0" ] || { echo "bench/web.sh: the writer wrote nothing"; exit 1; }
	awk -v n=$((w1 - w0)) -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", n / (ns / 1e9) }' \
		>"$tmp/wps.$sname"
	k=0
	for p in $spids; do
		k=$((k + 1))
		echo "$(awk '/VmHWM/ { print $2, $3 }' "/proc/$p/status")" >>"$tmp/mem.$sname"
	done
	for p in $spids; do kill -TERM "$p" && wait "$p"; done
	spids=""
}
# write_one N: a progress entry on the (N % n_ids)th task, through the
# (N % servers)th server; fails unless 200.
write_one() {
	w=$1
	set -- "$w" $bases
	shift $((1 + $1 % ($# - 1)))
	b=$1
	set -- "$w" $ids
	shift $((1 + $1 % n_ids))
	c=$(curl -s -o "$tmp/write.out" -w '%{http_code}' -H "Cookie: $wcookie" -H "X-CSRF-Token: $csrf" \
		-F "text=基准进展" "$b/api/v1/tasks/$1/progress")
	case $c in 200 | 201) ;; *) echo "bench/web.sh: writing progress to task $1 answered $c: $(cat "$tmp/write.out")" >&2; return 1 ;; esac
}
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
for s in $setups; do
	setup "$s"
done

echo
hr=$(echo "$h" | cut -d' ' -f2)
printf '%-34s' "($conns connections, ${secs}s)"
for s in $setups; do printf ' | %-30s' "$s: requests/s, p99, CPU/req"; done
echo
printf '%-34s' "bare libmicrohttpd hello"
printf ' | %9s %7s %8s us      ' $(echo "$h" | cut -d' ' -f2-)
echo
for what in ledger api dash inbox dashw; do
	case $what in
	ledger) label="台账 page, filtered" ;;
	api) label="GET /api/v1/tasks, filtered" ;;
	dash) label="总览 (dashboard), no writes" ;;
	inbox) label="消息 (inbox) of 1M notifications" ;;
	dashw) label="总览 while writing progress" ;;
	esac
	printf '%-34s' "$label"
	for s in $setups; do
		set -- $(awk -v w="$what" '$1 == w' "$tmp/results.$s")
		printf ' | %9s %7s %8s us %4s' "$2" "$3" "$4" \
			"$(awk -v a="$2" -v b="$hr" 'BEGIN { printf "%.2f", a / b }')"
	done
	echo
done
for s in $setups; do
	echo "$s: writer during the dashboard run: $(cat "$tmp/wps.$s") progress entries/s (one client, curl, one at a time); server peak memory (VmHWM): $(tr '\n' ' ' <"$tmp/mem.$s")"
done
echo "(the last column is the ratio to hello; CPU/request counts the servers' processes, and PostgreSQL's on pg1 and pg2)"
echo "goal: ratio >= 0.5 and CPU/request < 100 us"
