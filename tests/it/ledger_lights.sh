#!/bin/sh
# Lights and one day, from the command line: a task is grey (待交办) until it
# has a leader, a unit and a deadline -- in the JSON and text outputs and
# the --light filter, in step with 对账; the day a database is pinned at
# (the setting today) is the day of every command and of the web on it;
# `rectify demo` writes where --db says and pins its day there.
# Run by tools/run-it.sh in a temporary directory with $RECTIFY and $TOP.
set -eu
. "$TOP/tests/it/lib/cli.sh"

run 0 $R init --admin office
run 0 $R unit add 甲局
run 0 $R user add zhang --name 张三 --role leader --unit 甲局
run 0 $R import "$TOP/data/sample-team.md"

# Imported, nothing assigned: all twelve are grey, whatever their deadlines.
run 0 $R task list --json
has out.txt '{"total":12,'
[ "$(grep -o '"light":"grey"' out.txt | wc -l)" -eq 12 ] || fail "12 grey: $(cat out.txt)"
run 0 $R task list
[ "$(grep -c ' 待交办 ' out.txt)" -eq 12 ] || fail "待交办 in the text: $(cat out.txt)"
run 0 $R task list --light grey --json
has out.txt '{"total":12,'
run 0 $R task list --light 待交办 --json
has out.txt '{"total":12,'
run 0 $R task list --light red --json
has out.txt '{"total":0,'
run 2 $R task list --light purple
has err.txt "grey"

# A leader alone is not enough; with the unit too, task 4 (due 2024-03-31)
# takes the light of its dates, and 对账 lists it no more.
run 0 $R task assign 4 --leader zhang
run 0 $R task show 4 --json
has out.txt '"light":"grey"'
run 0 $R task assign 4 --unit 甲局
run 0 $R task show 4 --json
has out.txt '"light":"green"'
RECTIFY_TODAY=2024-03-28 run 0 $R task show 4 --json
has out.txt '"light":"yellow"'
RECTIFY_TODAY=2024-04-01 run 0 $R task show 4 --json
has out.txt '"light":"red"'
run 0 $R task list --light grey --json
has out.txt '{"total":11,'
run 0 $R check --json
has out.txt '"task-no-leader":11,'
has out.txt '"task-no-unit":11,'

# The database's day: without RECTIFY_TODAY every command reads it (on
# the calendar's day task 4 would be red).
run 0 $R setting set today 2024-03-28
run 2 $R setting set today 2024-02-30
has err.txt "YYYY-MM-DD"
unset RECTIFY_TODAY
run 0 $R setting list
grep -q '^today  *2024-03-28 ' out.txt || fail "setting list: $(cat out.txt)"
run 0 $R task show 4 --json
has out.txt '"light":"yellow"'
run 0 $R task list --light yellow --json
has out.txt '{"total":1,'
RECTIFY_TODAY=2024-03-01 run 0 $R task show 4 --json   # the override still wins
has out.txt '"light":"green"'
# What is written there is written on that day, and shown with its time.
run 0 $R task progress 4 --as zhang --text 召开专题会议
run 0 $R task show 4 --json
has out.txt '"last_activity":"2024-03-28"'
run 0 $R task show 4
grep -q '^  2024-03-28 [0-9][0-9]:[0-9][0-9] progress' out.txt || fail "task show: $(cat out.txt)"

# The web on the same database, with no day of its own, shows the same
# lights as the command line.
lights() { node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(j.tasks.map(t => t.id + ":" + t.light).join(" "));' "$1"; }
serve_and_compare() { # DB LOGIN PASSWORD
	rm -f serve.out serve.err
	$R --db "$1" serve --listen 127.0.0.1:0 >serve.out 2>serve.err &
	pid=$!
	i=0
	while ! grep -q 'serving .* on http://127\.0\.0\.1:[0-9]*$' serve.out 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || { kill $pid; fail "the server did not start: $(cat serve.err)"; }
		sleep 0.1
	done
	base=$(grep -o 'http://127.0.0.1:[0-9]*' serve.out | tail -n 1)
	curl -s -c jar -H 'Content-Type: application/json' \
		-d "{\"login\":\"$2\",\"password\":\"$3\"}" "$base/api/v1/login" >/dev/null
	curl -s -b jar "$base/api/v1/tasks?per_page=100" >web.json
	kill -TERM $pid
	wait $pid || fail "the server's exit: $(tail -n 5 serve.err)"
	$R --db "$1" task list --json --per-page 100 >cli.json
	[ "$(lights web.json)" = "$(lights cli.json)" ] ||
		fail "the web and the command line disagree: $(lights web.json) / $(lights cli.json)"
	echo "$(lights cli.json)"
}
serve_and_compare "$LEDGER" office secret-pass >seen.txt
has seen.txt "4:yellow"
has seen.txt "5:grey"
# Unpinned: the calendar's day again (2024's deadlines are long past).
run 0 $R setting set today ""
run 0 $R setting list
grep -q '^today  *"" ' out.txt || fail "unpinned: $(cat out.txt)"

# demo --db: the database where --db says, pinned at its day; every
# command on it and its web agree.
run 2 $R --db a.db demo b.db
has err.txt "two databases"
demo=$(new_ledger demo.db)
$R --db "$demo" demo --listen 127.0.0.1:0 >demo.out 2>demo.err &
pid=$!
i=0
while ! grep -q 'serving .* on http://127\.0\.0\.1:[0-9]*$' demo.out 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || { kill $pid; fail "the demo did not start: $(cat demo.err)"; }
	sleep 0.1
done
kill -TERM $pid
wait $pid || fail "the demo's exit: $(tail -n 5 demo.err)"
has demo.out "a fresh database at $demo, as of 2024-04-24"
if sqlite_only "the demo's ledger is a database of the server, not a file"; then
	[ -f demo.db ] || fail "no demo.db"
fi
run 0 $R --db "$demo" setting list
grep -q '^today  *2024-04-24 ' out.txt || fail "the demo's day: $(cat out.txt)"
pw=$(awk '$1 == "admin" { print $2 }' demo.out)
serve_and_compare "$demo" admin "$pw" >seen.txt
has seen.txt "4:red"      # due 2024-03-31: red on 2024-04-24
has seen.txt "10:yellow"  # due 2024-04-30: within 7 days
has seen.txt "7:green"    # due 2024-12-31, progress on 2024-04-11
run 2 $R --db "$demo" demo --listen 127.0.0.1:0
has err.txt "exists"
echo "ok"
