#!/bin/sh
# Durability: writers killed with SIGKILL at random moments leave a
# database that passes PRAGMA integrity_check and verify, and holds every
# write a writer acknowledged (it prints a line only after the commit
# returned).  One round also takes an online backup while a writer runs.
set -eu
R=$RECTIFY
export RECTIFY_PASSWORD=secret-pass RECTIFY_TODAY=2024-03-01
command -v sqlite3 >/dev/null 2>&1 || { echo "FAIL: sqlite3 is needed (tools/deps.sh check)"; exit 1; }
fail() {
	echo "FAIL: $*"
	exit 1
}
# The ledger: ./rectify.db, or a database on PostgreSQL (lib/engine.sh);
# the backup is an SQLite file on both.
LEDGER_FILE=rectify.db
. "$TOP/tests/it/lib/engine.sh"

$R init --admin office >/dev/null
$R unit add 甲局 >/dev/null
$R user add zhang --name 张三 --role leader --unit 甲局 >/dev/null
$R import "$TOP/data/sample-team.md" >/dev/null
for id in 1 2 3 4 5 6 7 8 9 10 11 12; do
	$R task assign $id --leader zhang --unit 甲局 >/dev/null
done

rounds=8
: >acks.txt
i=0
while [ $i -lt $rounds ]; do
	$R test-writer --as zhang --count 100000 --tag "r$i" >"acks.$i" 2>"err.$i" &
	pid=$!
	# Between 0.3 and 1.5 seconds, at a moment the writer cannot see coming.
	delay=$(awk -v s="$$$i" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * 1.2 }')
	if [ $i -eq 3 ]; then
		sleep 0.2
		$R backup "backup.db" >/dev/null
	fi
	sleep "$delay"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	cat "acks.$i" >>acks.txt
	i=$((i + 1))
done
n=$(wc -l <acks.txt)
[ "$n" -gt 0 ] || { echo "FAIL: no write was acknowledged"; cat err.*; exit 1; }

if sqlite_only "PRAGMA integrity_check is SQLite's (the server keeps its own pages)"; then
	ic=$(sql "PRAGMA integrity_check")
	[ "$ic" = ok ] || { echo "FAIL: integrity_check: $ic"; exit 1; }
fi
# Every acknowledged text is there exactly once.
missing=$(sql "SELECT text FROM progress" |
	awk 'NR == FNR { seen[$0]++; next } seen[$0] != 1 { m++ } END { print m + 0 }' - acks.txt)
[ "$missing" = 0 ] || { echo "FAIL: $missing acknowledged writes are missing"; exit 1; }
# At most one write per killed writer was in flight: committed but not yet
# acknowledged.
total=$(sql "SELECT count(*) FROM progress")
[ "$total" -ge "$n" ] && [ "$total" -le $((n + rounds)) ] ||
	{ echo "FAIL: $total progress rows for $n acknowledged writes"; exit 1; }
$R verify >verify.txt || { cat verify.txt; echo "FAIL: verify"; exit 1; }
# The backup taken under load is whole and verifies on its own.
ic=$(sqlite3 backup.db "PRAGMA integrity_check")
[ "$ic" = ok ] || { echo "FAIL: backup integrity_check: $ic"; exit 1; }
$R --db backup.db verify >verify.txt || { cat verify.txt; echo "FAIL: backup verify"; exit 1; }
echo "ok: $n acknowledged writes over $rounds killed writers, all present"
