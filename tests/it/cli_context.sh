#!/bin/sh
# What the command table's flags make for each command before its own
# logic: the options are checked first (a usage error writes nothing and
# says nothing of the database), then today, then the database -- read-only
# for the commands that only read (they refuse a database of an older
# schema, which they may not upgrade; backup copies it as it is), to write
# for the others (they upgrade it) -- then the acting user of --as.  Run by
# tools/run-it.sh in a temporary directory with $RECTIFY and $TOP.
set -eu
. "$TOP/tests/it/lib/cli.sh"
# schema FILE: the database's schema version
schema() {
	sqlite3 "$1" 'PRAGMA user_version' || fail "sqlite3 is needed (tools/deps.sh check)"
}

# Usage before the database: nothing is created, the usage is printed.
run 2 $R init
has err.txt "usage: rectify init"
! ledger_made || fail "init's usage error created the database"
run 2 $R --db none.db task show
has err.txt "usage: rectify task show"
run 2 $R --db none.db unit add
run 2 $R --db none.db task progress 1 --text 进展    # --as is required
has err.txt "usage: rectify task progress"
[ ! -e none.db ] || fail "a usage error created the database"
# Today before the database: a bad day is the first error.
RECTIFY_TODAY=2024-13-01 run 2 $R --db none.db task list
lacks err.txt "no database"
RECTIFY_TODAY=2024-13-01 run 2 $R --db none.db campaign new --year 2024 --title T
lacks err.txt "no database"
# The database before the user: a missing one is not made by a command that
# writes, and the hint repeats --db.
for c in "unit add 甲局 --as nobody" "task list --as nobody" "unit list" "notify sweep"; do
	run 1 $R --db none.db $c
	has err.txt "no database at none.db; make one with 'rectify --db none.db init --admin office'"
done
[ ! -e none.db ] || fail "a command made the database"

run 0 $R init --admin office
run 0 $R unit add 甲局
run 0 $R user add li --name 李四 --role handler --unit 甲局
run 0 $R import "$TOP/data/sample-team.md"
# The acting user last: unknown, or known.
for c in "unit add 乙局" "task list" "task show 1" "check" "commitment list" \
	"task assign 1 --goal 目标" "task submit 1" "notify list" "export -o x.csv"; do
	run 1 $R $c --as nobody
	has err.txt "rectify: no user 'nobody'"
done
run 0 $R task list --as li              # a handler sees the tasks of the unit
has out.txt "0 tasks"
run 1 $R unit add 乙局 --as li
has err.txt "only the office (admin) manages units"
run 0 $R task list
has out.txt "12 tasks"
run 0 $R export -o ledger.csv

# A database of the previous schema: the reading commands refuse it and
# leave it as it is; backup copies it as it is.
# (PostgreSQL ledgers begin at the current schema: there is no older one.)
if sqlite_only "no ledger of an older schema exists on PostgreSQL"; then
	new=$(schema rectify.db)
	cp rectify.db base.db
	sqlite3 base.db ".read $TOP/tests/it/lib/schema-down-$new.sql"
	old=$((new - 1))
	[ "$(schema base.db)" = "$old" ] || fail "schema-down-$new.sql"
	for c in "unit list" "user list" "setting list" "campaign list" "task list" "task show 1" \
		"check" "commitment list" "verify" "audit head" "notify list --as office" \
		"notify test --to office" "export -o x.csv" "report -o x.md" \
		"import $TOP/data/sample-team.md --dry-run" "import-ledger ledger.csv --dry-run"; do
		cp base.db old.db
		run 3 $R --db old.db $c
		has err.txt "needs an upgrade to $new"
		[ "$(schema old.db)" = "$old" ] || fail "'$c' upgraded the database"
	done
	cp base.db old.db
	run 0 $R --db old.db backup copy.db
	[ "$(schema old.db)" = "$old" ] && [ "$(schema copy.db)" = "$old" ] || fail "backup upgraded"
	# The writing commands upgrade it.
	for c in "unit add 乙局" "user add wang --name 王五 --role reviewer" "user update li --role leader" \
		"setting set due_days 5" "setting set report_to 县委" "campaign set 1 --report-title 报告" \
		"campaign new --year 2025 --title 新" "task assign 1 --goal 目标" \
		"task progress 1 --as office --text 进展" "task urge 1 --as office" "notify sweep" \
		"notify read --as office --all" "import-ledger ledger.csv --year 2024"; do
		cp base.db old.db
		set +e
		$R --db old.db $c >out.txt 2>err.txt
		set -e
		lacks err.txt "needs an upgrade"
		[ "$(schema old.db)" = "$new" ] || fail "'$c' did not upgrade the database"
	done
fi
