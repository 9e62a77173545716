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
#   - verify, per thousand audit rows.
# Goal: a filtered page under 5 ms.  Run from the checkout: bench/ledger.sh
# BENCH_SMOKE=1: a tiny ledger and few rounds, to see that it still runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
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

# The real import path: a report of 12 problems, imported $imports times.
export RECTIFY_PASSWORD=bench-password RECTIFY_TODAY=$today
"$R" --db "$tmp/small.db" init --admin office >/dev/null
start=$(date +%s%N)
i=0
while [ $i -lt "$imports" ]; do
	"$R" --db "$tmp/small.db" import --again data/sample-team.md >/dev/null
	i=$((i + 1))
done
end=$(date +%s%N)
awk -v ns=$((end - start)) -v n="$imports" 'BEGIN { ms = ns / 1e6 / n;
	printf "rectify import of a 12-problem report: %.1f ms each (%.0f tasks/s, one process, one transaction and fsync per import)\n", ms, 12000 / ms }'

build/bench/ledger_bench "$tmp/big.db" $today $rounds | tee "$tmp/out.txt"
awk '/unit \+ status \+ light/ { for (i = 1; i <= NF; i++) if ($i == "median") m = $(i + 1);
	printf "goal: filtered page under 5 ms: %s (median %.3f ms, %.0fx under)\n",
	(m < 5 ? "met" : "NOT met"), m, 5 / m }' "$tmp/out.txt"
