#!/bin/sh
# Office exports at 100,000 tasks against the floor.
#
# Fills a database once with the hidden `rectify test-ledger` (100,000 tasks
# in 200 units, 200,000 progress entries), then times, alternating, RUNS
# times each:
#   - `rectify export -o ledger.xlsx` (four sheets, formatted),
#   - `rectify report -o report.docx` (the GB/T 9704 report with the whole
#     ledger as its appendix),
#   - the floor: bench/office_floor.c, libxlsxwriter writing the cells of
#     that ledger.xlsx again -- every sheet's values in the same places --
#     with no formatting (only its writing is timed),
# and prints each export's median time as a ratio to the floor's median, by
# the clock and by processor time (user and system: on a machine shared with
# other work the clock counts the waiting too).
# BENCH_SMOKE=1: 300 tasks, one run, to see that it still runs.
set -eu
cd "$(dirname "$0")/.."
R=${RECTIFY:-build/rectify}
RUNS=${RUNS:-3}
TASKS=${TASKS:-100000}
if [ -n "${BENCH_SMOKE:-}" ]; then
	RUNS=1 TASKS=300
fi
dir=build/bench/office
[ -x "$R" ] || make --no-print-directory build/rectify >/dev/null
# The floor is built by the Makefile, with the product's flags and libraries.
make -s build/bench/office_floor
floor=build/bench/office_floor
mkdir -p "$dir"
export RECTIFY_DB="$dir/ledger-$TASKS.db" RECTIFY_TODAY=2024-06-01
# A database left by an older build may not fit this one: make it again.
[ -f "$dir/.done-$TASKS" ] && ! "$R" task list --per-page 1 >/dev/null 2>&1 && rm -f "$dir/.done-$TASKS"
if [ ! -f "$dir/.done-$TASKS" ]; then
	rm -f "$RECTIFY_DB" "$RECTIFY_DB-wal" "$RECTIFY_DB-shm"
	"$R" test-ledger --units 200 --tasks "$TASKS" --progress $((TASKS * 2)) >/dev/null
	touch "$dir/.done-$TASKS"
fi

now() { date +%s%N; }
# The processor time, in ms, of the commands this shell has run so far:
# `times` (run in this shell, not in a subshell), second line, its
# children's user and system time.
cpu() {
	awk 'NR == 2 { split($1, u, "m"); split($2, s, "m"); printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$dir/times"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: >"$dir/x" ; : >"$dir/d" ; : >"$dir/f" ; : >"$dir/xc" ; : >"$dir/dc" ; : >"$dir/fc"
i=0
while [ $i -lt "$RUNS" ]; do
	times >"$dir/times"; c0=$(cpu); t0=$(now)
	"$R" export -o "$dir/ledger.xlsx" >/dev/null
	t1=$(now); times >"$dir/times"; c1=$(cpu)
	"$R" report -o "$dir/report.docx" >/dev/null
	t2=$(now); times >"$dir/times"; c2=$(cpu)
	echo $(( (t1 - t0) / 1000000 )) >>"$dir/x"
	echo $(( (t2 - t1) / 1000000 )) >>"$dir/d"
	echo $((c1 - c0)) >>"$dir/xc"
	echo $((c2 - c1)) >>"$dir/dc"
	"$floor" "$dir/ledger.xlsx" "$dir/floor.xlsx" >"$dir/floor.out"
	cut -d' ' -f1 "$dir/floor.out" >>"$dir/f"
	cut -d' ' -f2 "$dir/floor.out" >>"$dir/fc"
	i=$((i + 1))
done
x=$(median <"$dir/x"); d=$(median <"$dir/d"); f=$(median <"$dir/f")
xc=$(median <"$dir/xc"); dc=$(median <"$dir/dc"); fc=$(median <"$dir/fc")
ratio() { echo "$1 $2" | awk '{printf "%.2f", $2 ? $1 / $2 : 0}'; }
printf '%d tasks; medians of %d runs: clock ms (processor ms)\n' "$TASKS" "$RUNS"
printf '  floor: libxlsxwriter, same cells, no formatting  %6d (%6d)  %s\n' "$f" "$fc" \
	"$(wc -c <"$dir/floor.xlsx" | awk '{printf "%.1f MB", $1/1048576}')"
printf '  rectify export -o ledger.xlsx                    %6d (%6d)  %s  ratio %s (%s)\n' "$x" "$xc" \
	"$(wc -c <"$dir/ledger.xlsx" | awk '{printf "%.1f MB", $1/1048576}')" \
	"$(ratio "$x" "$f")" "$(ratio "$xc" "$fc")"
printf '  rectify report -o report.docx                    %6d (%6d)  %s  ratio %s (%s)\n' "$d" "$dc" \
	"$(wc -c <"$dir/report.docx" | awk '{printf "%.1f MB", $1/1048576}')" \
	"$(ratio "$d" "$f")" "$(ratio "$dc" "$fc")"
