#!/bin/sh
# The ledger at size: a campaign of 100,000 tasks with 1,000,000 progress
# entries across 500 units (override with LEDGER_UNITS, LEDGER_TASKS,
# LEDGER_PROGRESS), then
#   - the import rate: rows written per second by `rectify test-ledger`
#     (every row through the same inserts and audit chain as real data),
#     and the time of `rectify import` of a real-sized report;
#   - the task list: a filtered page of 50 (unit + status + light), the
#     whole ledger sorted by deadline, a handler's scoped page, a detail;
#   - the dashboard;
#   - what the web servers share through the database: a failed login
#     counted, beside the password check it follows, and an upload of the
#     largest size staged and read back;
#   - verify, per thousand audit rows.
# Each on every engine of BENCH_ENGINES (sqlite pg; both when PostgreSQL's
# server is installed, on a throwaway cluster of tools/with-pg.sh or
# $RECTIFY_PG_CLUSTER), one after the other in the same run.  On PostgreSQL
# the big ledger is the SQLite one copied by `rectify migrate` (its rate
# printed), and the import rate is that of `rectify test-ledger` writing a
# twentieth of it there.
# Goal: a filtered page under 5 ms.  Run from the checkout: bench/ledger.sh
# BENCH_SMOKE=1: a tiny ledger and few rounds, to see that it still runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
have_pg=
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && have_pg=1
engines=${BENCH_ENGINES:-sqlite${have_pg:+ pg}}
case " $engines " in
*" pg "*)
	[ -n "$have_pg" ] || { echo "bench/ledger.sh: PostgreSQL's server is not installed (package postgresql)"; exit 1; }
	[ -n "${RECTIFY_PG_CLUSTER:-}" ] || exec "$top/tools/with-pg.sh" "$0" "$@"
	;;
esac
# The benchmark program is built by the Makefile, with the product's flags
# and libraries.
make -s build/rectify build/bench/ledger_bench
if [ -n "${BENCH_SMOKE:-}" ]; then
	units=10 tasks=300 progress=1500 imports=2 rounds=20
else
	units=${LEDGER_UNITS:-500}
	tasks=${LEDGER_TASKS:-100000}
	progress=${LEDGER_PROGRESS:-1000000}
	imports=20 rounds=300
fi
today=2024-06-15
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
R="$top/build/rectify"

echo "generating $tasks tasks, $progress progress entries, $units units"
RECTIFY_TODAY=$today "$R" --db "$tmp/big.db" test-ledger --units "$units" --tasks "$tasks" \
	--progress "$progress"
ls -l "$tmp/big.db" | awk '{ printf "database: %.0f MiB\n", $5 / 1048576 }'

# imports DB: the real import path, a report of 12 problems imported
# $imports times into DB.
imports() {
	"$R" --db "$1" init --admin office >/dev/null
	start=$(date +%s%N)
	i=0
	while [ $i -lt "$imports" ]; do
		"$R" --db "$1" import --again data/sample-team.md >/dev/null
		i=$((i + 1))
	done
	end=$(date +%s%N)
	awk -v ns=$((end - start)) -v n="$imports" 'BEGIN { ms = ns / 1e6 / n;
		printf "rectify import of a 12-problem report: %.1f ms each (%.0f tasks/s, one process, one transaction and commit per import)\n", ms, 12000 / ms }'
}
# queries DB: the store's reads at size, and the goal.
queries() {
	build/bench/ledger_bench "$1" $today $rounds >"$tmp/out.txt" ||
		{ cat "$tmp/out.txt"; echo "bench/ledger.sh: the store's reads failed"; exit 1; }
	cat "$tmp/out.txt"
	awk '/unit \+ status \+ light/ { for (i = 1; i <= NF; i++) if ($i == "median") m = $(i + 1);
		printf "goal: filtered page under 5 ms: %s (median %.3f ms, %.0fx under)\n",
		(m < 5 ? "met" : "NOT met"), m, 5 / m }' "$tmp/out.txt"
}
export RECTIFY_PASSWORD=bench-password RECTIFY_TODAY=$today
for engine in $engines; do
	case $engine in
	sqlite)
		echo "== SQLite"
		imports "$tmp/small.db"
		queries "$tmp/big.db"
		;;
	pg)
		echo "== PostgreSQL (a throwaway cluster on a Unix socket, fsync=off: tools/pg-cluster.sh)"
		url=$("$top/tools/pg-cluster.sh" db "$RECTIFY_PG_CLUSTER" "bench_ledger_$$")
		start=$(date +%s%N)
		"$R" migrate --from "$tmp/big.db" --to "$url" | tail -n 2
		end=$(date +%s%N)
		rows=$(sqlite3 "$tmp/big.db" "SELECT (SELECT count(*) FROM task) + (SELECT count(*) FROM progress) + (SELECT count(*) FROM audit)")
		awk -v ns=$((end - start)) -v n="$rows" 'BEGIN { printf "rectify migrate from the SQLite ledger, verify included: %.0f s, %.0f rows/s (tasks, progress and audit rows)\n", ns / 1e9, n / (ns / 1e9) }'
		psql -X -q -d "$url" -c "VACUUM ANALYZE"
		small=$("$top/tools/pg-cluster.sh" db "$RECTIFY_PG_CLUSTER" "bench_gen_$$")
		"$R" --db "$small" test-ledger --units "$units" --tasks $((tasks / 20)) \
			--progress $((progress / 20))
		imports "$("$top/tools/pg-cluster.sh" db "$RECTIFY_PG_CLUSTER" "bench_import_$$")"
		queries "$url"
		;;
	*)
		echo "bench/ledger.sh: no engine $engine (sqlite, pg)"
		exit 1
		;;
	esac
done
