#!/bin/sh
# The ledger from the command line, end to end: init, units, users, import,
# assignment, the workflow with its refusals, extensions, 对账, activities
# and commitments, carry-over, verify against tampering, backup and restore,
# and the shared real report (skipped when ../shared/fixtures is absent).
# Run by tools/run-it.sh in a temporary directory with $RECTIFY and $TOP.
set -eu
. "$TOP/tests/it/lib/cli.sh"

run 1 $R task list                       # no database yet: a clear message
has err.txt "rectify init"
run 0 $R init --admin office
run 1 $R init --admin office             # only once
run 0 $R unit add 甲局
run 0 $R unit add 甲局一科 --parent 甲局
run 0 $R unit add 乙局
run 2 $R unit add 丙局 --parent 无此单位
run 0 $R user add zhang --name 张三 --role leader --unit 甲局一科
run 0 $R user add zhao --name 赵六 --role leader --unit 乙局
run 0 $R user add li --name 李四 --role handler --unit 甲局
run 0 $R user add sun --name 孙七 --role handler --unit 乙局
run 0 $R user add wang --name 王五 --role reviewer
run 0 $R user add zhou --name 周八 --role observer
run 2 $R user add x --name X --role boss
run 1 $R user add zhang --name 张三 --role leader --unit 甲局一科
RECTIFY_PASSWORD=short run 2 $R user add y --name Y --role observer

# Import: a campaign is made from the report; the same file twice is refused.
run 0 $R import "$TOP/data/sample-team.md"
has out.txt "12 tasks"
has out.txt "6 commitments"
run 1 $R import "$TOP/data/sample-team.md"
has err.txt "already imported"
run 0 $R task list --json
has out.txt '{"total":12,'
has out.txt '"status":"未启动"'
has out.txt '"deadline":"2024-06-30"'

# task show: the problem's examples are labelled (举例), not lines that seem
# to repeat the text; times are local (Asia/Shanghai unless $TZ says
# otherwise), as on the pages, on the ledger's day (RECTIFY_TODAY here:
# store_day_time), while the JSON keeps ISO UTC.
run 0 $R task show 1
has out.txt "  举例      比如，全年党组理论学习中心组"
lacks out.txt "            比如"
lacks out.txt "Z import"
env -u TZ $R task show 1 > show-local.txt
TZ=UTC $R task show 1 > show-utc.txt
run 0 $R task show 1 --json
node -e '
const fs = require("fs");
const at = JSON.parse(fs.readFileSync("out.txt", "utf8")).events[0].at;
if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(at)) process.exit(1);
const fmt = ms => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
const local = fs.readFileSync("show-local.txt", "utf8"), utc = fs.readFileSync("show-utc.txt", "utf8");
const t = Date.parse(at);
const on = s => "2024-03-01" + s.slice(10);
process.exit(local.includes("  " + on(fmt(t + 8 * 3600e3)) + " import") &&
	     utc.includes("  " + on(fmt(t)) + " import") ? 0 : 1);' || fail "task show times: $(cat show-local.txt show-utc.txt)"

# Assignment: leader and unit; the deadline moves only by extension.
for id in 1 2 3 4 5 6 7 8 9 10 11 12; do
	run 0 $R task assign $id --leader zhang --unit 甲局一科 --goal 完成整改
done
run 1 $R task assign 1 --deadline 2024-12-31
has err.txt "W9"
run 1 $R task assign 1 --leader zhang --as zhang
has err.txt "W1"
run 0 $R task list --unit 甲局 --json
has out.txt '"total":12'
run 0 $R task list --as sun --json       # another unit's handler sees nothing
has out.txt '"total":0'
run 1 $R task show 1 --as sun            # not found, not "denied"
has err.txt "no task 1"

# 催办 and the inbox from the command line: only the office and reviewers
# urge (W17); the leader's list gives local times, as task show does.
run 1 $R task urge 2 --as zhang --message 请尽快
has err.txt "W17"
run 0 $R task urge 2 --as wang --message 请本周报送进展
has out.txt "task 2: 催办"
run 0 $R notify list --as zhang
has out.txt "urged"
has out.txt "请本周报送进展"
lacks out.txt "Z urged"
grep -q '^ *[0-9]* [0-9-]* [0-9:]* urged ' out.txt || fail "notify list: $(cat out.txt)"
run 2 $R notify read --as zhang
run 0 $R notify read --as zhang --all
has out.txt "marked read"
run 0 $R notify list --as zhang
has out.txt "0 unread"
lacks out.txt "请本周报送进展"
run 0 $R notify list --as zhang --all
has out.txt "请本周报送进展"

# The workflow, with the rule that refuses each wrong move.
printf 'minutes of the study session\n' >minutes.txt
run 1 $R task submit 1 --as zhang        # not started
run 0 $R task progress 1 --as li --text 开展专题学习 --evidence minutes.txt
has out.txt "1 evidence file (version"
run 1 $R task progress 1 --as sun --text 越权
run 1 $R task progress 1 --as zhou --text 越权
has err.txt "W14"
run 1 $R task submit 1 --as li
has err.txt "W3"
run 0 $R task submit 1 --as zhang
run 1 $R task approve 1 --as zhang
has err.txt "W5"
run 2 $R task return 1 --as wang         # no reason
run 0 $R task return 1 --as wang --reason 佐证材料不全
run 0 $R task submit 1 --as zhang
run 0 $R task approve 1 --as wang
run 0 $R task show 1 --json
has out.txt '"status":"已销号"'
has out.txt '"light":null'
has out.txt '"review_due":"2024-09-01"'
has out.txt '"reason":"佐证材料不全"'
has out.txt '"name":"minutes.txt"'
run 1 $R task progress 1 --as zhang --text 已销号后
run 0 $R task progress 2 --as zhang --text 第一次
run 1 $R task progress 2 --as zhang --text 旧版本 --expect-version 1
has err.txt "changed by someone else"
run 1 $R task submit 2 --as zhang        # progress without evidence
has err.txt "W4"

# The light on 2024-07-01: areas due 03-31, 04-30 and 06-30 are red (bar the
# closed task 1), the area due 12-31 is yellow (no progress for 30 days).
RECTIFY_TODAY=2024-07-01 run 0 $R task list --light red --json
has out.txt '"total":8,'
RECTIFY_TODAY=2024-07-01 run 0 $R task list --light yellow --json
has out.txt '"total":3,'
RECTIFY_TODAY=2024-07-01 run 0 $R task list --light green --json
has out.txt '"total":0,'
RECTIFY_TODAY=2024-03-30 run 0 $R task list --light yellow --status 未启动 --json
has out.txt '"total":3,'
RECTIFY_TODAY=2024-09-01 run 0 $R task list --review-due --json
has out.txt '"total":1,'
run 2 $R task list --light purple

# Extensions.
run 0 $R task extend 7 --as zhang --to 2025-03-31 --reason 项目跨年度实施
run 1 $R task extend 7 --as zhang --to 2025-04-30 --reason 再次申请
run 1 $R task extend 7 --as zhang --approve
has err.txt "W11"
run 0 $R task extend 7 --as wang --approve
run 0 $R task show 7 --json
has out.txt '"deadline":"2025-03-31"'
has out.txt '"state":"approved"'

# 对账: every task assigned; no measure left over.
run 0 $R check --json
has out.txt '"task-no-leader":0'
has out.txt '"measure-unused":0'
has out.txt '"problem-no-task":0'

# Commitments and activities.
run 0 $R commitment list --json
has out.txt '"min":12'
run 0 $R activity add --commitment 1 --date 2024-02-20 --as zhang --who zhang,zhao --note 集中学习
run 1 $R activity add --commitment 1 --date 2024-02-20 --as wang
run 2 $R activity add --commitment 1 --date 2024-02-30 --as zhang
run 0 $R commitment list --json
has out.txt '"activities":1'
run 0 $R commitment list
has out.txt "集中学习"

# A task linked to a commitment by hand: the measure that states it is
# added (task 12 answers area 四; commitment 4, 到联系村调研, is in measure
# 二), audited with a new version; one its measures state already changes
# nothing; an unknown commitment and a leader are refused.
run 0 $R task show 12
lacks out.txt "（二）建立班子成员联系偏远村组制度"
lacks out.txt "(commitment 4)"
v=$(sed -n 's/.*version \([0-9]*\)).*/\1/p' out.txt | head -n 1)
run 0 $R task assign 12 --commitment 4
has out.txt "task 12 assigned (version $((v + 1)))"
run 0 $R task show 12
has out.txt "（二）建立班子成员联系偏远村组制度"
has out.txt "（四）每季度至少专题研究1次党建工作"
has out.txt "承诺      班子成员每季度到联系村调研不少于1次 (commitment 4)  本期完成 0 / 序时应达 0 / 要求 1次"
run 0 $R task assign 12 --commitment 5
has out.txt "nothing changed"
run 1 $R task assign 12 --commitment 99
has err.txt "no commitment 99"
run 1 $R task assign 12 --commitment 1 --as zhang
run 0 $R verify

# Carry-over into the next campaign: 11 tasks are unfinished.
run 0 $R campaign new --year 2025 --title 2025年度整改 --carry-over 1
has out.txt "11 unfinished tasks carried over"
run 0 $R task list --json
has out.txt '"total":11,'
run 0 $R task list --campaign 1 --json
has out.txt '"total":12,'
run 0 $R campaign list
has out.txt "*2"
# In campaign 1 they are 转入下一批次: not open, not closed, linked both ways.
has out.txt "12 tasks, 0 open, 11 carried over (转入下一批次)"
run 0 $R task list --campaign 1 --status carried --json
has out.txt '"total":11,'
has out.txt '"status":"转入下一批次","status_key":"carried","light":null'
run 0 $R task show 2
has out.txt "状态      转入下一批次"
has out.txt "去向      转入2025年度第1项 (task 13)"
grep -q '^  you may:$' out.txt || fail "a carried task still offers actions: $(cat out.txt)"
run 1 $R task progress 2 --as zhang --text 旧批次
has err.txt "W16"
run 0 $R task show 13
has out.txt "来源      由2023年度第2项转入 (task 2)"
run 0 $R task show 13 --json
has out.txt '"origin":{"id":2,"seq":2,"year":2023}'
run 0 $R report --campaign 1 -o old.md
has old.md "未启动0项，转入下一批次11项，销号率"
has old.md "尚未完成0项"
run 0 $R export --campaign 1 -o old.csv
[ "$(grep -c '转入下一批次' old.csv)" -eq 11 ] || fail "the workbook: $(cat old.csv)"
run 0 $R report -o new.md
lacks new.md "转入下一批次"

# The audit chain: intact, then broken behind the program's back.
run 0 $R verify
has out.txt "verify ok"
run 0 $R backup copy.db
run 0 $R --db copy.db verify
sql "UPDATE task SET goal = '改过' WHERE id = 3"
run 1 $R verify
has out.txt "task 3 does not match"
run 0 $R restore copy.db
has out.txt "restored"
run 0 $R verify
sql "DELETE FROM audit WHERE id = 10"
run 1 $R verify
has out.txt "missing"
run 0 $R restore copy.db
run 0 $R verify
run 0 $R help task
has out.txt "rectify task approve"

# The shared real report: 15 tasks and 2 commitments.
FIX=${FIXTURES:-$TOP/../shared/fixtures}/000_c3413cd0edfb2f64.txt
if [ -f "$FIX" ]; then
	run 0 $R --db real.db init --admin office
	run 0 $R --db real.db import "$FIX"
	has out.txt "15 tasks"
	has out.txt "2 commitments"
	run 0 $R --db real.db task list --json
	has out.txt '{"total":15,'
	run 0 $R --db real.db commitment list --json
	[ "$(grep -o '"id":[0-9]*,"text"' out.txt | wc -l)" -eq 2 ] || fail "2 commitments"
	run 0 $R --db real.db verify
else
	echo "skip: $FIX is absent"
fi
echo "ok"
