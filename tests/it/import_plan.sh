# rectify import of a 整改方案 whose tasks are a table: each row's 责任领导
# (an account when its name is one leader's, else kept as written),
# 责任单位 (made when new), 完成时限 and 整改措施 reach the task, in the
# Markdown, tab-separated and Word forms of the same plan alike.
set -eu
. "$TOP/tests/it/lib/cli.sh"

for form in md tsv.txt; do
	db=$(new_ledger plan-$form.db)
	run 0 $R --db "$db" init --admin office
	run 0 $R --db "$db" unit add 局办公室
	run 0 $R --db "$db" user add zhangjg --name 张建国 --role leader --unit 局办公室
	run 0 $R --db "$db" import "$TOP/tests/data/genres/plan-01.$form"
	has out.txt "4 tasks, 4 measures"
	has out.txt "3 units created"
	has out.txt "2 tasks keep their 责任领导 as the report wrote it"
	run 0 $R --db "$db" task list --json
	node -e '
const t = JSON.parse(require("fs").readFileSync("out.txt", "utf8")).tasks;
const want = [
  ["理论学习系统性不强", "张建国", null, "局办公室", "2024-06-30"],
  ["农村供水工程管护不到位", null, "李春华", "农村水利股", "2024-09-30"],
  ["项目建设推进缓慢", null, "王卫东", "规划建设股", "2024-05-31"],
  ["干部担当作为不够", "张建国", null, "人事股", "ongoing"]];
if (t.length !== 4) { console.error(t.length); process.exit(1); }
for (let i = 0; i < 4; i++) {
  const [lead, login, text, unit, day] = want[i], x = t[i];
  const got = [x.lead, x.leader, x.leader_text, x.unit, x.deadline];
  if (JSON.stringify(got) !== JSON.stringify([lead, login, text, unit, day])) {
    console.error("task " + (i + 1) + ": " + JSON.stringify(got)); process.exit(1);
  }
}
' || fail "tasks of the table plan ($form)"
	run 0 $R --db "$db" task show 1
	has out.txt "措施      严格落实“第一议题”制度"
	run 0 $R --db "$db" verify
done
