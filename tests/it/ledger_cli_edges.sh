#!/bin/sh
# The ledger commands where a user trips: options that are wrong must be
# refused before anything is written (a bad --expect-version, an assignment
# that names nothing, contradictory extension options, stray arguments), a
# backup must not be written over the database itself, verify sees
# tampering that later writes logged over, and every command answers
# --help.  Run by tools/run-it.sh in a temporary directory with $RECTIFY and
# $TOP.
set -eu
. "$TOP/tests/it/lib/cli.sh"
# version ID: the task's version, from task show --json
version() {
	$R task show "$1" --json | sed -n 's/^{"id":[0-9]*,"seq":[0-9]*,"version":\([0-9]*\),.*/\1/p'
}
# audit_rows: the number of audit rows verify walked
audit_rows() {
	$R verify | sed -n 's/^verify ok: \([0-9]*\) audit rows.*/\1/p'
}

run 0 $R init --admin office
run 0 $R unit add 甲局
run 0 $R user add zhang --name 张三 --role leader --unit 甲局
run 0 $R user add wang --name 王五 --role reviewer
run 0 $R import "$TOP/data/sample-team.md"
run 0 $R task assign 2 --leader zhang --unit 甲局
v=$(version 2)
[ -n "$v" ] || fail "no version for task 2"
rows=$(audit_rows)

# --expect-version must be a version: a typo is not "whatever is current".
run 2 $R task progress 2 --as zhang --text 进展 --expect-version abc
has err.txt "expect-version"
run 2 $R task progress 2 --as zhang --text 进展 --expect-version 0
run 2 $R task submit 2 --as zhang --expect-version -3
run 2 $R task assign 2 --goal 目标 --expect-version 1x
run 2 $R task extend 2 --as zhang --to 2024-12-31 --reason 理由 --expect-version ''
[ "$(version 2)" = "$v" ] || fail "a refused command changed task 2"
# A real stale version is refused as before.
run 1 $R task progress 2 --as zhang --text 进展 --expect-version 1
has err.txt "changed by someone else"

# An assignment that names nothing writes nothing.
run 2 $R task assign 2
[ "$(version 2)" = "$v" ] || fail "an empty assignment changed task 2"

# Extension: request and decision options do not mix.
run 2 $R task extend 2 --as wang --approve --refuse
run 2 $R task extend 2 --as zhang --to 2024-12-31 --reason 理由 --approve
[ "$(audit_rows)" = "$rows" ] || fail "a refused command wrote to the audit log"

# Listing commands take no stray arguments.
run 2 $R unit list extra
run 2 $R user list --json
run 2 $R campaign list 1

# A backup written over the live database would replace it under its users.
if sqlite_only "the ledger is a database of the server, not a file a backup could overwrite"; then
	run 2 $R backup rectify.db
	has err.txt "database itself"
	run 2 $R backup ./rectify.db
fi
run 0 $R verify
run 0 $R backup copy.db
run 2 $R --db copy.db restore copy.db
has err.txt "database itself"

# A change made behind the program's back stays visible after later writes
# through the program (which log the changed row as their "before").
run 0 $R backup clean.db
sql "UPDATE task SET deadline = deadline + 300 WHERE id = 2"
run 0 $R task progress 2 --as zhang --text 推进中
run 1 $R verify
has out.txt "task 2 was changed behind the program's back"
run 0 $R restore clean.db
run 0 $R verify

# --help for every command, with its usage, exit 0, nothing else run.
$R help | sed -n 's/^  \([a-z][a-z-]*\( [a-z]*\)\{0,1\}\) .*/\1/p' >cmds.txt
[ "$(wc -l <cmds.txt)" -ge 20 ] || fail "help lists too few commands"
while read -r cmd; do
	# shellcheck disable=SC2086
	run 0 $R $cmd --help
	has out.txt "usage: rectify $cmd"
done <cmds.txt
# Commands that act for a user say so in their usage.
for cmd in "unit add" "user add" "campaign new" "import" "check" "commitment list" \
	"task submit" "task extend" "activity add"; do
	# shellcheck disable=SC2086
	run 0 $R $cmd --help
	has out.txt "--as LOGIN"
done
echo "ok"
