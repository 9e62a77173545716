#!/bin/sh
# A whole ledger copied between databases (rectify migrate), and backup and
# restore through such copies.  Under make it the ledger is a file and the
# copies go file to file; under make it-pg it lives on PostgreSQL and goes
# to a file, into a second PostgreSQL database and back.  Either way the
# last copy must equal the first row for row (ids, evidence bytes, the
# audit chain), and each copy verifies.
set -eu
. "$TOP/tests/it/lib/cli.sh"
DB=$LEDGER

run 0 $R init --admin office
run 0 $R unit add 甲局
run 0 $R unit add 乙局
run 0 $R unit add 甲局一科 --parent 甲局
run 0 $R user add zhang --name 张三 --role leader --unit 甲局
run 0 $R user add li --name 李四 --role handler --unit 甲局
run 0 $R user add wang --name 王五 --role reviewer
run 0 $R import "$TOP/data/sample-team.md"
run 0 $R task assign 1 --leader zhang --unit 甲局
run 0 $R task assign 2 --leader zhang --unit 甲局一科 --goal "年底前建立长效机制"
head -c 150000 /dev/urandom >evidence.bin
printf '会议纪要\n' >minutes.txt
run 0 $R task progress 1 --as li --text "已召开专题会议" --evidence evidence.bin --evidence minutes.txt
# Text that JSON escapes: both engines must image it byte for byte alike.
run 0 $R task progress 2 --as zhang --text "引号\"、反斜杠\\、制表	与
换行"
run 0 $R task submit 1 --as zhang
run 0 $R task approve 1 --as wang
run 0 $R setting set smtp_password 机密-secret
run 0 $R setting set review_months 3
# A unit moved under one made after it: its parent's id is the larger.
run 0 $R unit add 丙局
run 0 $R unit move 乙局 --parent 丙局
run 0 $R verify

# Into a new file: every row, verified.
run 0 $R migrate --from "$DB" --to first.db
has out.txt "verify ok"
run 0 $R --db first.db verify
run 0 $R --db first.db task show 1
has out.txt "evidence.bin"
has out.txt "已销号"

# Never over a ledger: the target must be empty.
run 1 $R migrate --from first.db --to first.db
has err.txt "already holds a ledger"
run 2 $R migrate --from first.db
has err.txt "usage"
run 1 $R migrate --from missing.db --to other.db
has err.txt "no database at missing.db"

# Through a second database of the same engine as the ledger, and back.
MID=$(new_ledger middle.db)
run 0 $R migrate --from first.db --to "$MID"
has out.txt "verify ok"
run 0 $R migrate --from "$MID" --to last.db
has out.txt "verify ok"
# The kept counts are made again by each copy: rows counting zero aside,
# the two files hold the same.
dump() {
	sqlite3 "$1" .dump | grep -v -e '^INSERT INTO sqlite_stat1' -e '^ANALYZE' \
		-e '^INSERT INTO dash_unit VALUES([0-9]*,[0-9]*,[0-9]*,[0-9]*,[0-9]*,0);' \
		-e '^INSERT INTO dash_area VALUES([0-9]*,[0-9]*,[0-9]*,[0-9]*,0);' >"$2"
}
if command -v sqlite3 >/dev/null 2>&1; then
	dump first.db first.sql
	dump last.db last.sql
	diff first.sql last.sql >diff.txt || { cat diff.txt; fail "the round trip changed the ledger"; }
	# A file's ledger: the first copy equals it too.
	if [ -z "${RECTIFY_PG_CLUSTER:-}" ]; then
		dump "$DB" source.sql
		diff source.sql first.sql >diff.txt || { cat diff.txt; fail "the copy differs"; }
	fi
	grep -q "INSERT INTO evidence VALUES(1,1,NULL,'evidence.bin'" first.sql ||
		fail "the evidence was not copied"
fi

# The ledger goes on where the copy was made: new ids follow the copied.
run 0 $R --db "$MID" unit add 丁局
has out.txt "unit 5: 丁局"
run 0 $R --db "$MID" verify

# Backup and restore of the ledger itself, whatever its engine.
run 0 $R backup copy.db
run 0 $R --db copy.db verify
run 0 $R task progress 2 --as zhang --text "之后的进展"
run 0 $R restore copy.db
has out.txt "restored"
run 0 $R verify
run 0 $R task show 2
lacks out.txt "之后的进展"
echo "ok"
