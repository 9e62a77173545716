#!/bin/sh
# Parsing speed against counting characters.
#
# Builds a corpus of at least 100 MB (several reports, each under the 16 MiB
# input bound) from the project's own sample report with the hidden
# `rectify test-corpus`, and puts the second report into traditional
# characters with OpenCC's command-line tool (s2tw), so that a report in
# traditional script is measured too; then times
# `rectify parse --json FILE > /dev/null` and `wc -m FILE` (in a UTF-8
# locale, so that it counts characters) on each file, alternating, RUNS
# times each, and prints the ratio of the medians.
# Goal: a ratio of at most 1.0 -- parsing no slower than counting.
# BENCH_SMOKE=1: a corpus of 2 MB of its own, one run, to see that it still
# runs (without OpenCC's tool, the traditional report is left out).
set -eu
cd "$(dirname "$0")/.."
R=${RECTIFY:-build/rectify}
RUNS=${RUNS:-5}
MB=${MB:-100}
dir=build/bench/corpus
if [ -n "${BENCH_SMOKE:-}" ]; then
	RUNS=1 MB=2 dir=build/bench/corpus-smoke
fi
[ -x "$R" ] || make --no-print-directory build/rectify >/dev/null
if [ ! -f "$dir/.done-$MB-hant" ]; then
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	"$R" test-corpus "$dir" "$MB" >/dev/null
	if [ -n "${BENCH_SMOKE:-}" ] && ! command -v opencc >/dev/null; then
		echo "smoke: no opencc, the report in traditional characters is left out"
	elif [ -f "$dir/report-001.txt" ]; then
		opencc -c s2tw.json -i "$dir/report-001.txt" -o "$dir/report-001-hant.txt"
		rm "$dir/report-001.txt"
	else # a corpus of one report (smoke): its twin in traditional characters too
		opencc -c s2tw.json -i "$dir/report-000.txt" -o "$dir/report-000-hant.txt"
	fi
	touch "$dir/.done-$MB-hant"
fi

now() { date +%s%N; }
# median of the numbers on standard input
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

total_p=0 total_w=0 bytes=0
printf '%-34s %10s %10s %10s %7s\n' file MB parse_ms wc_m_ms ratio
for f in "$dir"/report-*; do
	: > /tmp/rectify-bench-p.$$
	: > /tmp/rectify-bench-w.$$
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(now); "$R" parse --json "$f" > /dev/null; t1=$(now)
		LC_ALL=C.UTF-8 wc -m "$f" > /dev/null; t2=$(now)
		echo $(( (t1 - t0) / 1000 )) >> /tmp/rectify-bench-p.$$
		echo $(( (t2 - t1) / 1000 )) >> /tmp/rectify-bench-w.$$
		i=$((i + 1))
	done
	p=$(median < /tmp/rectify-bench-p.$$)
	w=$(median < /tmp/rectify-bench-w.$$)
	size=$(wc -c < "$f")
	printf '%-34s %10.1f %10.1f %10.1f %7.2f\n' "$(basename "$f")" \
		"$(echo "$size" | awk '{print $1/1048576}')" \
		"$(echo "$p" | awk '{print $1/1000}')" "$(echo "$w" | awk '{print $1/1000}')" \
		"$(echo "$p $w" | awk '{print $1/$2}')"
	total_p=$(echo "$total_p $p" | awk '{print $1+$2}')
	total_w=$(echo "$total_w $w" | awk '{print $1+$2}')
	bytes=$((bytes + size))
done
rm -f /tmp/rectify-bench-p.$$ /tmp/rectify-bench-w.$$
echo "$bytes $total_p $total_w" | awk '{
	printf "corpus %.1f MB: parse --json %.0f ms (%.0f MB/s), wc -m %.0f ms (%.0f MB/s)\n",
		$1/1048576, $2/1000, $1/1048576/($2/1e6), $3/1000, $1/1048576/($3/1e6);
	printf "ratio parse/wc-m: %.2f (goal <= 1.0)\n", $2/$3 }'
