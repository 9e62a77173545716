#!/bin/sh
# The office's commands on units, users and settings: each change goes
# against a version (--expect-version, or the one the row has now), a stale
# version is refused with exit 4 and changes nothing, and every change is
# in the audit log that verify walks.  Run by tools/run-it.sh in a
# temporary directory with $RECTIFY and $TOP.
set -eu
. "$TOP/tests/it/lib/cli.sh"

run 0 $R init --admin office
run 0 $R unit add 甲局
run 0 $R unit add 乙局
run 0 $R user add zhang --name 张三 --role leader --unit 甲局
run 0 $R unit list
has out.txt "甲局  (unit 1, 1 users, 0 tasks, version 1)"

# Units: rename, then a rename against the version read before it.
run 0 $R unit rename 甲局 甲局（新）
has out.txt "renamed (version 2)"
run 1 $R unit rename 甲局（新） 丙局 --expect-version 1
has err.txt "changed by someone else"
run 0 $R unit list
has out.txt "甲局（新）  (unit 1"
lacks out.txt "丙局"
run 0 $R unit move 乙局 --parent 甲局（新） --expect-version 1
has out.txt "moved (version 2)"
run 0 $R unit list
has out.txt "  乙局  (unit 2, 0 users, 0 tasks, version 2)"
run 1 $R unit move 甲局（新） --parent 乙局
has err.txt "sub-units"
run 2 $R unit move 乙局 --top --parent 甲局（新）
run 2 $R unit rename 乙局 丁局 --expect-version x
run 0 $R unit move 乙局 --top
run 0 $R unit list
has out.txt "乙局  (unit 2, 0 users, 0 tasks, version 3)"

# Users: one command changes what it names and keeps the rest.
run 0 $R user list
has out.txt "version 1"
run 0 $R user update zhang --role handler
has out.txt "updated (version 2)"
run 0 $R user list
has out.txt "handler"
has out.txt "甲局（新）"
run 1 $R user update zhang --inactive --expect-version 1
run 0 $R user list
lacks out.txt "(inactive)"
run 2 $R user update zhang --role leader --no-unit
has err.txt "belongs to a unit"
run 0 $R user update zhang --role observer --no-unit --inactive --expect-version 2
run 0 $R user list
has out.txt "(inactive)"
RECTIFY_PASSWORD=other-pass-1 run 0 $R user update zhang --active --role leader --unit 乙局 \
	--password
has out.txt "version 4"
run 2 $R user update zhang --unit 乙局 --no-unit
# Nothing to change: said so, no new version, no audit row.
$R verify | sed -n "s/ ([0-9]* ms)//; 1p" > v1.txt
run 0 $R user update zhang
has out.txt "nothing to change (version 4)"
run 0 $R user update zhang --active --role leader --unit 乙局
has out.txt "nothing to change (version 4)"
run 0 $R user list
has out.txt "version 4"
lacks out.txt "version 5"
$R verify | sed -n "s/ ([0-9]* ms)//; 1p" > v2.txt
cmp -s v1.txt v2.txt || fail "user update with nothing to change wrote: $(cat v1.txt v2.txt)"
run 1 $R user update nobody --active
has err.txt "no user"

# The last active admin stays one: neither deactivated nor demoted, until
# another admin is active.
run 1 $R user update office --inactive
has err.txt "last active admin"
run 1 $R user update office --role reviewer
has err.txt "last active admin"
run 0 $R user list
has out.txt "office"
lacks out.txt "(inactive)"
run 0 $R user update zhang --role admin --no-unit
run 0 $R user update office --role reviewer
run 1 $R user update zhang --inactive
has err.txt "last active admin"
run 0 $R user update office --role admin

# Settings: version 0 until first set.
run 0 $R setting list
has out.txt "review_months         6"
has out.txt "version 0"
run 0 $R setting set review_months 12 --expect-version 0
has out.txt "review_months = 12 (version 1)"
run 1 $R setting set review_months 3 --expect-version 0
run 2 $R setting set review_months 500
has err.txt "between 1 and 120"
run 2 $R setting set no_such 1
run 2 $R setting set immediate_days 1x
run 0 $R setting list
has out.txt "review_months        12"

# Only the office changes these.
run 0 $R user add wang --name 王五 --role reviewer
run 1 $R setting set review_months 2 --as wang
run 1 $R unit rename 乙局 戊局 --as wang
has err.txt "only the office"

# Every change is logged and the chain holds.
run 0 $R verify
sql "SELECT action FROM audit ORDER BY id" >out.txt
has out.txt "unit-rename"
has out.txt "unit-move"
has out.txt "user-update-password"
has out.txt "setting"
# The refused changes wrote nothing.
[ "$(sql "SELECT count(*) FROM audit WHERE action LIKE 'unit-%'")" = 5 ] ||
	fail "unit changes in the log: $(sql "SELECT action FROM audit")"

# The chain's head, recorded outside the database, catches an undo that
# the chain alone cannot: a backup stands in for a ledger put back.
run 0 $R audit head
h1=$(cat out.txt)
echo "$h1" | grep -q '^[0-9][0-9]*:[0-9a-f]\{64\}$' || fail "audit head: $h1"
run 0 $R verify --head "$h1"
has out.txt "head $h1"
run 0 $R backup before.db
run 0 $R unit add 丙局
run 0 $R audit head
h2=$(cat out.txt)
run 0 $R verify --head "$h1"
run 0 $R --db before.db verify
run 1 $R --db before.db verify --head "$h2"
has out.txt "head recorded earlier"
run 2 $R verify --head "not-a-head"
has err.txt "ID:HASH"

# A copy nobody may write (an archive, another user's file, in a directory
# that cannot take the -shm and -wal files): the read-only commands read it.
# As root the reader is made nobody; otherwise the copy is made read-only.
# The copy: the ledger's file as it is (in WAL mode), or on PostgreSQL its
# backup (an SQLite file).
ro=$(mktemp -d /tmp/rectify-archive-XXXXXX)
if [ -n "${RECTIFY_PG_CLUSTER:-}" ]; then
	run 0 $R backup "$ro/ledger.db"
else
	cp rectify.db "$ro/ledger.db"
fi
chmod 444 "$ro/ledger.db"
chmod 555 "$ro"
as_reader() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
for cmd in verify "unit list" "user list" "campaign list" "setting list"; do
	# shellcheck disable=SC2086
	run 0 as_reader $R --db "$ro/ledger.db" $cmd
done
run 0 as_reader $R --db "$ro/ledger.db" verify
has out.txt "verify ok"
[ -e "$ro/ledger.db-shm" ] && fail "a side file was written beside the archive"
chmod 755 "$ro"
rm -rf "$ro"
