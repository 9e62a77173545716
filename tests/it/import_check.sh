#!/bin/sh
# Importing a report is checked before any task is made: --dry-run prints
# the tree, the findings and the campaign and writes nothing; the campaign
# is chosen with --campaign ID|new, and a report of another year than the
# current campaign is refused with two commands that work as written.  A
# spreadsheet ledger imported into a database with no campaign opens one
# from the sheet.  Run by tools/run-it.sh in a temporary directory with
# $RECTIFY and $TOP.
set -eu
. "$TOP/tests/it/lib/cli.sh"

run 0 $R init --admin office
run 0 $R campaign new --year 2024 --title 二〇二四年度整改
cat >r2025.md <<'EOF2'
# 县图书馆领导班子2025年度对照检查材料

## 一、存在的问题

（一）在服务读者方面

一是借阅服务时间偏短。比如，工作日晚上不开放，上年读者意见中有17条提到这一点。

二是数字资源更新慢。

## 二、原因分析

一是服务意识不强。二是考核机制不健全。

## 三、整改措施

（一）延长服务时间。工作日开放到晚上8点，2025年5月底前完成。
EOF2

# ---- dry run: the tree, the findings, the campaign; nothing written ----------
run 0 $R verify
head0=$(sed -n 's/^head //p' out.txt)
sum0=$(ledger_digest)
run 0 $R import --dry-run r2025.md
has out.txt "== tree =="
has out.txt "一、存在的问题  <problems>"
has out.txt "一是 借阅服务时间偏短"
has out.txt "二是 数字资源更新慢"
has out.txt "== lint (材料体检) =="
has out.txt "[vague-problem]"
has out.txt "数字资源更新慢"
has out.txt "the report is of 2025; the current campaign is campaign 1 (2024 二〇二四年度整改, current)"
has out.txt "choose: --campaign new (would create campaign 2025 县图书馆领导班子2025年度对照检查材料) or --campaign 1"
has out.txt "dry run: nothing written"
run 0 $R import --dry-run r2025.md --campaign new
has out.txt "would create campaign 2025 县图书馆领导班子2025年度对照检查材料 and import 2 tasks into it"
run 0 $R import --dry-run r2025.md --campaign 1
has out.txt "would import 2 tasks into campaign 1 (2024 二〇二四年度整改, current)"
[ "$(ledger_digest)" = "$sum0" ] || fail "the dry run changed the ledger"
run 0 $R verify
[ "$(sed -n 's/^head //p' out.txt)" = "$head0" ] || fail "the dry run moved the audit head"
run 0 $R task list
has out.txt "0 tasks"

# ---- another year than the current campaign: refused, with the choices -------
run 2 $R import r2025.md
has err.txt "r2025.md is of 2025 and the current campaign is 1 (2024 二〇二四年度整改): run 'rectify import r2025.md --campaign new'"
has err.txt "or 'rectify import r2025.md --campaign 1'"
[ "$(wc -l <err.txt)" -eq 1 ] || fail "the refusal is one line"
run 0 $R campaign list
lacks out.txt "2025"
# --db is repeated in the commands when it was given, quoted for the shell
# where it needs it (a PostgreSQL URL's '?' and '&'), in double quotes
# inside the hint's single ones.
other=$(copy_ledger other.db)
case $other in *[?\&]*) qother="\"$other\"" ;; *) qother=$other ;; esac
run 2 $R --db "$other" import r2025.md
has err.txt "'rectify --db $qother import r2025.md --campaign new'"

# ---- the first choice, exactly as the refusal wrote it ----------------------
run 2 $R import r2025.md
cmd=$(sed -n "s/.*: run '\([^']*\)'.*/\1/p" err.txt)
[ "$cmd" = "rectify import r2025.md --campaign new" ] || fail "the first command: $cmd"
set -- $cmd
shift
run 0 $R "$@"
has out.txt "campaign 2 created from the report: 2025 县图书馆领导班子2025年度对照检查材料"
has out.txt "imported into campaign 2: 2 tasks"
run 0 $R campaign list
has out.txt "*2  2025  县图书馆领导班子2025年度对照检查材料"
has out.txt " 1  2024  二〇二四年度整改  (from 2024-03-01; 0 tasks, 0 open)"

# ---- --campaign ID: the second choice, into the 2024 campaign ---------------
run 2 $R --db "$other" import r2025.md
cmd=$(sed -n "s/.* or '\(rectify .*\)'$/\1/p" err.txt)
[ "$cmd" = "rectify --db $qother import r2025.md --campaign 1" ] || fail "the second command: $cmd"
eval "set -- $cmd"
shift
run 0 $R "$@"
has out.txt "imported into campaign 1: 2 tasks"
lacks out.txt "created"
run 0 $R --db "$other" campaign list
has out.txt "*1  2024  二〇二四年度整改  (from 2024-03-01; 2 tasks, 2 open)"
lacks out.txt "2025"
run 1 $R --db "$other" import r2025.md --campaign 1
has err.txt "already imported"
run 2 $R --db "$other" import r2025.md --campaign 9
has err.txt "no campaign 9"
run 2 $R --db "$other" import r2025.md --campaign next
has err.txt "--campaign takes a campaign id"

# ---- unambiguous without --campaign: no year, or the current campaign's ------
sed 's/2025年度//; s/2025年5月底前/5月底前/' r2025.md >noyear.md
run 0 $R import --dry-run noyear.md
has out.txt "the report names no year; the current campaign is campaign 2"
has out.txt "would import 2 tasks into campaign 2"
run 0 $R import noyear.md
has out.txt "imported into campaign 2"
sed 's/县图书馆/县档案馆/' r2025.md >same-year.md
run 0 $R import same-year.md
has out.txt "imported into campaign 2"
run 0 $R verify
run 0 $R help import
has out.txt "--campaign ID|new"
has out.txt "--dry-run"

# ---- import-ledger on a database with no campaign ---------------------------
# Each directory below starts a new ledger (a new database on PostgreSQL).
mkdir empty
cd empty
fresh_ledger
run 0 $R init --admin office
cat >ledger.csv <<'CSV'
县图书馆2023年度整改台账,,,,,
序号,问题表现,整改措施,责任单位,整改时限,整改状态
1,阅览室座位不足,增设座位,读者服务部,2024-06-30,整改中
2,古籍保护措施不到位,配备恒温设备,典藏部,10月底前,未启动
CSV
run 0 $R import-ledger --dry-run ledger.csv
has out.txt "there is no campaign yet: would create campaign 2023 县图书馆2023年度整改台账"
run 0 $R campaign list
[ ! -s out.txt ] || fail "the dry run opened a campaign"
run 0 $R import-ledger ledger.csv
has out.txt "there is no campaign yet: creating campaign 2023 县图书馆2023年度整改台账"
has out.txt "imported 2 tasks into campaign 1"
run 0 $R campaign list
has out.txt "*1  2023  县图书馆2023年度整改台账  (from 2024-03-01; 2 tasks, 2 open)"
run 0 $R task show 2 --json
has out.txt '"deadline":"2023-10-31"'
run 0 $R verify
cd ..
# No title row: the year of the earliest dated deadline.
mkdir dates
cd dates
fresh_ledger
run 0 $R init --admin office
printf '问题,整改时限\n借阅证办理慢,2025-03-31\n书目检索系统老旧,2024-12-31\n' >d.csv
run 0 $R import-ledger d.csv
has out.txt "creating campaign 2024 2024年度整改台账"
cd ..
# Neither: a one-line error naming the options and a command that works.
mkdir none
cd none
fresh_ledger
run 0 $R init --admin office
printf '问题,整改时限\n借阅证办理慢,长期坚持\n' >n.csv
run 2 $R import-ledger n.csv
has err.txt "n.csv names no year"
has err.txt "--year YEAR [--title TITLE]"
[ "$(wc -l <err.txt)" -eq 1 ] || fail "one line"
cmd=$(sed -n "s/.*e\.g\. '\([^']*\)'$/\1/p" err.txt)
run 0 $R campaign list
[ ! -s out.txt ] || fail "a refused import opened a campaign"
[ "$cmd" = "rectify import-ledger n.csv --year 2024" ] || fail "the command: $cmd"
set -- $cmd
shift
run 0 $R "$@"
has out.txt "creating campaign 2024 2024年度整改台账"
# With a campaign, --year and --title are not silently dropped.
run 2 $R import-ledger n.csv --again --year 2025 --title 另一批次
has err.txt "goes into campaign 1: leave them out"
cmd=$(sed -n "s/.*first with '\([^']*\)'$/\1/p" err.txt)
[ "$cmd" = "rectify campaign new --year 2025 --title 另一批次" ] || fail "the command: $cmd"
set -- $cmd
shift
run 0 $R "$@"
run 0 $R import-ledger n.csv --again
has out.txt "imported 1 tasks into campaign 2"

# ---- every hint names a command that works as written ----------------------
# With --db, from a fresh directory: each hint is run as printed.
cd ..
mkdir hints
cd hints
# hint FILE: the last 'rectify …' command quoted in FILE, run as written.
hint() {
	cmd=$(sed -n "s/.*'\(rectify [^']*\)'.*/\1/p" "$1" | tail -n 1)
	[ -n "$cmd" ] || { cat "$1"; fail "no hint in $1"; }
	case $cmd in *--db\ ledger.db*) ;; *) fail "the hint lacks --db: $cmd" ;; esac
	set -- $cmd
	shift
	run 0 $R "$@"
}
run 1 $R --db ledger.db task list
has err.txt "no database at ledger.db"
hint err.txt
has out.txt "initialised ledger.db"
run 1 $R --db ledger.db task list
has err.txt "there is no campaign yet"
hint err.txt
has out.txt "campaign 1: 2024 2024年度整改台账"
run 1 $R --db ledger.db commitment list --campaign 7
run 2 $R --db ledger.db import --campaign 7 "$TOP/data/sample-team.md"
has err.txt "no campaign 7"
hint err.txt
has out.txt "2024年度整改台账"
run 2 $R --db ledger.db import --campaign x "$TOP/data/sample-team.md"
hint err.txt
run 2 $R --db ledger.db setting set no_such 1
hint err.txt
has out.txt "review_months"
run 2 $R --db ledger.db export -o 报告.md
hint err.txt
[ -s 报告.md ] || fail "the report hint wrote no report"
run 2 $R --db ledger.db report -o 台账.csv
hint err.txt
[ -s 台账.csv ] || fail "the export hint wrote no ledger"
# A database whose name the shell must quote (as a PostgreSQL URL's ? and
# &): the hint quotes it so that the hint, in its own quotes, still reads
# as one command, and works pasted.
run 1 $R --db 'my ledger?x=1&y.db' task list
has err.txt "with 'rectify --db \"my ledger?x=1&y.db\" init"
cmd=$(sed -n "s/.*'\(rectify [^']*\)'.*/\1/p" err.txt | tail -n 1)
eval "set -- $cmd"
shift
run 0 $R "$@"
[ -s 'my ledger?x=1&y.db' ] || fail "the quoted hint made no ledger"
echo "import_check: ok"
