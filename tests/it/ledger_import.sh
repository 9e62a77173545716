#!/bin/sh
# import-ledger and what it makes besides tasks: the units a spreadsheet
# names are created in the import's own transaction (an import refused by
# the store leaves none behind), a 责任领导 that matches no account is kept
# as written, and a row marked 已销号 is logged as imported closed.  Run by
# tools/run-it.sh in a temporary directory with $RECTIFY and $TOP.
set -eu
. "$TOP/tests/it/lib/cli.sh"

run 0 $R init --admin office
run 0 $R unit add 办公室
run 0 $R user add zhang --name 张三 --role leader --unit 办公室
run 0 $R campaign new --year 2024 --title 测试批次
cat >a.csv <<'CSV'
序号,方面,问题,整改措施,责任领导,责任单位,整改时限,状态,进展情况
1,作风方面,会议通知层层转发,精简会议,张三,办公室,2024-06-30,整改中,已拟定办法
2,作风方面,值班记录填写不全,规范值班,钱七,新设的值班室,2024-05-31,整改中,
3,学习方面,学习笔记流于形式,定期抽查,张三,新设的值班室,2024-04-30,已销号,已完成抽查
CSV

run 0 $R import-ledger --dry-run a.csv
has out.txt "would create unit 新设的值班室"
has out.txt "no single leader named 钱七 (rows 3)"
run 0 $R unit list
lacks out.txt "新设的值班室"

run 0 $R import-ledger a.csv
has out.txt "imported 3 tasks"
has out.txt "1 units created"
run 0 $R unit list
has out.txt "新设的值班室"
# Task 2 (spreadsheet row 3): no leader, the name kept.
run 0 $R task show 2
has out.txt "named 钱七: no leader account has that name"
run 0 $R task show 2 --json
has out.txt '"leader":null'
has out.txt '"leader_text":"钱七"'
run 0 $R task show 1 --json
has out.txt '"leader":"张三"'
has out.txt '"leader_text":null'
# ... and the ledger lists it under the name the spreadsheet gave.
run 0 $R task list --json
has out.txt '"leader":null,"leader_text":"钱七"'
run 0 $R task list
has out.txt "钱七"
# Task 3: closed, and its first event says how it came.
run 0 $R task show 3 --json
has out.txt '"status_key":"closed"'
has out.txt '"action":"import-closed"'
run 0 $R task show 1 --json
lacks out.txt 'import-closed'
run 0 $R verify

# The same rows (and file name) naming another new unit: the store refuses
# the duplicate after the unit was made, and the unit goes with the refusal.
mkdir b
sed 's/新设的值班室/又一个新单位/' a.csv >b/a.csv
run 1 $R import-ledger b/a.csv
has out.txt "creating     unit 又一个新单位"
has err.txt "already imported"
run 0 $R unit list
lacks out.txt "又一个新单位"
run 0 $R verify
closed=$(sql "SELECT count(*) FROM audit WHERE action = 'import-closed' AND entity = 'task'")
[ "$closed" = 1 ] || fail "one task imported closed, not $closed"
[ "$(sql "SELECT count(*) FROM unit")" = 2 ] || fail "two units"

# A name kept as text leaves in the exported ledger as it came in, so a
# spreadsheet exported and read back names the same leaders.
run 0 $R export --format csv -o out.csv
has out.csv "钱七"
run 0 $R campaign new --year 2025 --title 第二批次
run 0 $R import-ledger out.csv
has out.txt "imported 3 tasks"
run 0 $R task show 5 --json
has out.txt '"lead":"值班记录填写不全"'
has out.txt '"leader_text":"钱七"'
