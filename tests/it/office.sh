#!/bin/sh
# The office formats end to end on a real database: the ledger exported to
# .xlsx and .csv and imported again (the same ledger comes back), a
# workbook re-saved by LibreOffice and a spreadsheet an office made from CSV
# read in, bad spreadsheets refused with nothing written, and the
# 整改落实情况报告 as .docx, Markdown and HTML; the .docx and .xlsx converted to
# PDF by LibreOffice and checked with poppler: A4, fonts embedded, the page
# numbers "— N —" on the outer side 7 mm under the type area, the body on
# the GB/T 9704 grid (lines 28.95 pt apart, 28 characters a line).
set -eu
R=$RECTIFY
W=$(pwd)
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
	echo "soffice or pdftotext not found: 'tools/deps.sh check' installs them"
	exit 1
fi
export RECTIFY_PASSWORD=secret-pass-1
# The ledgers: files here, or databases on PostgreSQL (lib/engine.sh).
LEDGER_FILE=$W/a.db
. "$TOP/tests/it/lib/engine.sh"
prof=$W/lo-profile
lo() { # FILE FORMAT OUTDIR [INFILTER]
	if [ $# -gt 3 ]; then
		soffice -env:UserInstallation="file://$prof" --headless --infilter="$4" \
			--convert-to "$2" --outdir "$3" "$1" >/dev/null 2>&1
	else
		soffice -env:UserInstallation="file://$prof" --headless --convert-to "$2" \
			--outdir "$3" "$1" >/dev/null 2>&1
	fi
}
count() { "$R" task list | tail -n 1; }

# ---- a ledger ------------------------------------------------------------
export RECTIFY_DB="$LEDGER" RECTIFY_TODAY=2024-01-10
"$R" init --admin admin >/dev/null
"$R" unit add 办公室 >/dev/null
"$R" unit add 研究室 >/dev/null
"$R" user add wang --name 王五 --role leader --unit 办公室 >/dev/null
"$R" user add li --name 李四 --role leader --unit 研究室 >/dev/null
"$R" user add shen --name 沈审 --role reviewer >/dev/null
"$R" import "$TOP/data/sample-team.md" >/dev/null
echo 会议纪要 >minutes.txt
i=1
while [ $i -le 12 ]; do
	if [ $((i % 2)) = 0 ]; then u=办公室 l=wang; else u=研究室 l=li; fi
	"$R" task assign $i --leader $l --unit $u --goal "形成长效机制" >/dev/null
	case $i in 1 | 2 | 3 | 5 | 7)
		RECTIFY_TODAY=2024-01-20 "$R" task progress $i --as $l \
			--text "已制定工作方案，召开专题会议研究部署。" --evidence minutes.txt >/dev/null ;;
	esac
	i=$((i + 1))
done
RECTIFY_TODAY=2024-02-01 "$R" task submit 1 --as li >/dev/null
RECTIFY_TODAY=2024-02-02 "$R" task return 1 --as shen --reason "佐证材料不全，请补充会议记录" >/dev/null
RECTIFY_TODAY=2024-02-03 "$R" task submit 1 --as li >/dev/null
RECTIFY_TODAY=2024-02-05 "$R" task approve 1 --as shen >/dev/null
RECTIFY_TODAY=2024-02-06 "$R" task submit 5 --as li >/dev/null
RECTIFY_TODAY=2024-02-07 "$R" task return 5 --as shen --reason "进展不实" >/dev/null
RECTIFY_TODAY=2024-02-08 "$R" task extend 3 --as li --to 2024-08-31 --reason "需跨年度推进" >/dev/null
# 承办人: the handlers of the task's unit (an inactive one is no one's).
"$R" user add zhang --name 张承 --role handler --unit 办公室 >/dev/null
"$R" user add zhao --name 赵办 --role handler --unit 办公室 >/dev/null
"$R" user add qian --name 钱办 --role handler --unit 研究室 >/dev/null
"$R" user add sun --name 孙停 --role handler --unit 研究室 >/dev/null
"$R" user update sun --inactive >/dev/null
export RECTIFY_TODAY=2024-04-15

# ---- exports ---------------------------------------------------------------
"$R" export -o ledger.xlsx | grep -q "12 tasks"
"$R" export --format csv -o ledger.csv >/dev/null
"$R" report -o report.docx >/dev/null
"$R" report --format md -o report.md >/dev/null
"$R" report -o report.html >/dev/null
head -c 3 ledger.csv | od -An -tx1 | grep -q "ef bb bf"
# The title and the first sentence name the meeting, not the material, in
# the customary forms; the office may title the report itself.
grep -q '^# 关于县农业农村局领导班子2023年度主题教育专题民主生活会查摆问题整改落实情况的报告$' report.md
grep -q '^自县农业农村局领导班子2023年度主题教育专题民主生活会召开以来，班子对照查摆出的问题逐项' report.md
if grep -q '对照检查材料整改\|对照检查材料以来\|材料召开以来' report.md; then echo "the material named as a meeting"; exit 1; fi
"$R" campaign set 1 --report-title 关于2023年度专题民主生活会整改情况的报告 | grep -q "titled"
"$R" report --format md -o titled.md >/dev/null
grep -q '^# 关于2023年度专题民主生活会整改情况的报告$' titled.md
grep -q '^附件：县农业农村局领导班子2023年度主题教育专题民主生活会查摆问题整改台账$' titled.md
if "$R" campaign set 1 --report-title x --as wang 2>/dev/null; then echo "a leader titled the report"; exit 1; fi
"$R" campaign set 1 --report-title '' >/dev/null
"$R" report --format md -o untitled.md >/dev/null
cmp -s report.md untitled.md
"$R" verify | grep -q "verify ok"
grep -q '<svg' report.html
if "$R" export --format docx -o x.docx 2>err.txt; then echo "a ledger exported as docx"; exit 1; fi
[ ! -e x.docx ] && ! ls -a | grep -q 'x\.docx'
# The workbook's own columns: 承办人, 销号时间 and 审核意见 (when, as the
# task's 办理记录 says it: these events were written on days of their own,
# not the clock's, so the day alone -- from task show --json), 备注.
day_of() { # TASK ACTION: the day of the task's last ACTION
	"$R" task show "$1" --json | node -e '
let s = "";
process.stdin.on("data", d => s += d).on("end", () => {
	const e = JSON.parse(s).events.filter(e => e.action === process.argv[1]).pop();
	process.stdout.write(e.day + "\n");
});' "$2"
}
approved=$(day_of 1 approve)
returned=$(day_of 5 return)
[ "$approved" = 2024-02-05 ] && [ "$returned" = 2024-02-07 ]
[ -n "$approved" ] && [ -n "$returned" ]
node -e '
const fs = require("fs");
const s = fs.readFileSync(process.argv[1], "utf8").replace(/^\ufeff/, "");
const rows = [];
let row = [], f = "", q = false;
for (let i = 0; i < s.length; i++) {
	const c = s[i];
	if (q) { if (c === "\"" && s[i + 1] === "\"") { f += c; i++; } else if (c === "\"") q = false; else f += c; }
	else if (c === "\"") q = true;
	else if (c === ",") { row.push(f); f = ""; }
	else if (c === "\r") {}
	else if (c === "\n") { row.push(f); rows.push(row); row = []; f = ""; }
	else f += c;
}
const head = rows[0], want = {
	1: ["钱办", process.argv[2], process.argv[2] + " 沈审 销号", ""],
	2: ["张承、赵办", "", "", ""],
	3: ["钱办", "", "", "申请延期至2024-08-31，待审批"],
	5: ["钱办", "", process.argv[3] + " 沈审 退回：进展不实", ""],
};
const cols = ["承办人", "销号时间", "审核意见", "备注"].map(h => head.indexOf(h));
if (cols.includes(-1)) throw new Error("columns: " + head.join(","));
for (const [seq, cells] of Object.entries(want)) {
	const r = rows.find(r => r[0] === seq);
	cols.forEach((k, i) => {
		if (r[k] !== cells[i]) throw new Error("task " + seq + " " + head[k] + ": \"" + r[k] + "\" != \"" + cells[i] + "\"");
	});
}
' ledger.csv "$approved" "$returned"
echo "ok: exports"

# ---- round trip: the workbook into a fresh database ------------------------
RECTIFY_DB=$(new_ledger "$W/b.db")
"$R" init --admin admin >/dev/null
"$R" unit add 总部 >/dev/null
"$R" user add wang --name 王五 --role leader --unit 总部 >/dev/null
"$R" user add li --name 李四 --role leader --unit 总部 >/dev/null
"$R" campaign new --year 2023 --title "县农业农村局领导班子2023年度主题教育专题民主生活会" >/dev/null
"$R" import-ledger --dry-run ledger.xlsx >dry.txt
grep -q "would create unit 研究室" dry.txt
grep -q "12 rows understood, 0 not; nothing written" dry.txt
count | grep -q "^0 tasks"
"$R" import-ledger ledger.xlsx | grep -q "imported 12 tasks"
"$R" export --format csv -o back.csv >/dev/null
node -e '
const fs = require("fs");
function csv(file) {
	let s = fs.readFileSync(file, "utf8").replace(/^\ufeff/, ""), rows = [], row = [], f = "", q = false;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (q) { if (c === "\"" && s[i + 1] === "\"") { f += c; i++; } else if (c === "\"") q = false; else f += c; }
		else if (c === "\"") q = true;
		else if (c === ",") { row.push(f); f = ""; }
		else if (c === "\r") {}
		else if (c === "\n") { row.push(f); rows.push(row); row = []; f = ""; }
		else f += c;
	}
	return rows;
}
const a = csv(process.argv[1]), b = csv(process.argv[2]);
if (a.length !== 13 || b.length !== a.length) throw new Error("rows: " + a.length + " vs " + b.length);
const same = ["序号", "问题类别/方面", "问题表现", "整改措施", "整改目标", "责任领导", "责任单位", "整改时限", "整改状态"];
for (let r = 1; r < a.length; r++) {
	for (const h of same) {
		const k = a[0].indexOf(h);
		if (k < 0 || a[r][k] !== b[r][k]) throw new Error("row " + r + " " + h + ": " + a[r][k] + " != " + b[r][k]);
	}
	const p = a[0].indexOf("进展情况");
	if (!b[r][p].includes(a[r][p])) throw new Error("row " + r + " progress lost");
}
' ledger.csv back.csv
echo "ok: export then import gives the same ledger"

# ---- workbooks made by LibreOffice ----------------------------------------
mkdir -p lo
lo ledger.xlsx xlsx lo
[ -s lo/ledger.xlsx ] || { echo "LibreOffice did not re-save the workbook"; exit 1; }
"$R" import-ledger --dry-run lo/ledger.xlsx >dry2.txt
grep -q "12 rows understood, 0 not" dry2.txt
grep -q "问题表现 *← column C" dry2.txt
# An office's own ledger, as CSV turned into a workbook by LibreOffice.
cat >office.csv <<'EOF'
序号,问题类别,存在问题,整改措施,责任人,牵头部门,完成时限,整改情况,是否完成
1,作风方面,调研不深入，走马观花,建立联系点制度,王五,督查室,2024/6/30,已建立制度,是
2,作风方面,文风会风不实,精简会议文件,赵六,办公室,2024年9月底前,,否
3,纪律方面,请销假制度执行不严,修订考勤办法,李四,人事科,长期坚持,正在修订,
4,纪律方面,公车使用登记不全,,李四,办公室,下个月,,
EOF
lo office.csv xlsx lo "CSV:44,34,76"
[ -s lo/office.xlsx ] || { echo "LibreOffice did not convert the CSV"; exit 1; }
if "$R" import-ledger lo/office.xlsx >imp.txt 2>err.txt; then echo "a bad row was imported"; exit 1; fi
grep -q "row 5 not understood: 整改时限“下个月”无法识别" imp.txt
grep -q "nothing written" err.txt
count | grep -q "^12 tasks"
"$R" import-ledger --skip-bad lo/office.xlsx >imp.txt
grep -q "imported 3 tasks" imp.txt
grep -q "creating     unit 督查室" imp.txt
grep -q "no single leader named 赵六" imp.txt
count | grep -q "^15 tasks"
"$R" unit list | grep -q 人事科
echo "ok: LibreOffice workbooks"

# ---- refused --------------------------------------------------------------
cp report.docx renamed.xlsx
if "$R" import-ledger renamed.xlsx 2>err.txt; then echo "a .docx imported as a ledger"; exit 1; fi
grep -q "Word document" err.txt
head -c 2000 ledger.xlsx >cut.xlsx
if "$R" import-ledger cut.xlsx 2>err.txt; then echo "a truncated workbook imported"; exit 1; fi
grep -q "truncated" err.txt
count | grep -q "^15 tasks"
echo "ok: bad spreadsheets refused"

# ---- PDFs ------------------------------------------------------------------
mkdir -p pdf
lo report.docx pdf pdf
lo ledger.xlsx pdf pdf
[ -s pdf/report.pdf ] && [ -s pdf/ledger.pdf ] || { echo "LibreOffice could not convert"; exit 1; }
pdfinfo pdf/report.pdf | grep -Eq "^Page size: +595\.[0-9]+ x 841\.[0-9]+ pts \(A4\)"
pdfinfo pdf/ledger.pdf | grep -Eq "^Page size: +(595\.[0-9]+ x 841|841\.[0-9]+ x 595)\.[0-9]+ pts \(A4\)"
[ "$(pdffonts pdf/report.pdf | tail -n +3 | grep -c ' yes ')" -ge 1 ]
pdffonts pdf/report.pdf | grep -q 'CJK'
pdftotext pdf/report.pdf report.txt
tr -d '\n' <report.txt | grep -q "民主生活会查摆问题整改落实情况的报告"
grep -q "附件" report.txt
grep -Eq "^— ?1 ?—$" report.txt
grep -Eq "^— ?2 ?—$" report.txt
pdftotext pdf/ledger.pdf ledger.txt
grep -q "整改台账" ledger.txt
tr -d '\n' <ledger.txt | grep -q "理论学习系统性不强"
pdftotext -f 1 -l 2 -bbox-layout pdf/report.pdf bbox.html
node -e '
const s = require("fs").readFileSync(process.argv[1], "utf8");
const pages = s.split("<page ").slice(1).map(p => {
	const lines = [];
	for (const m of p.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
		const text = [...m[5].matchAll(/>([^<]*)<\/word>/g)].map(w => w[1]).join("");
		lines.push({x0: +m[1], y0: +m[2], x1: +m[3], h: m[4] - m[2], text});
	}
	return lines;
});
const mm = v => v * 72 / 25.4, near = (a, b, d) => Math.abs(a - b) <= d;
const top = mm(37), bottom = 841.89 - mm(35), left = mm(28), right = 595.3 - mm(26);
// body lines of page 1, under the title (in 2号, 22 pt: taller lines)
const body = pages[0].filter(l => l.y0 > top + 60 && l.y0 < bottom && l.h < 25);
if (body.length < 8) throw new Error("only " + body.length + " body lines on page 1");
for (let i = 1; i < body.length; i++)
	if (!near(body[i].y0 - body[i - 1].y0, 28.95, 0.3))
		throw new Error("line pitch " + (body[i].y0 - body[i - 1].y0) + " at " + body[i].text);
for (const l of body) {
	// A line may end with a punctuation mark hung in the margin, as Word
	// and LibreOffice hang it (the mark may not open the next line).
	const hung = /[，。；：、）”！？]$/.test(l.text) ? 16.5 : 0;
	if (l.x0 < left - 1 || l.x1 > right + 1 + hung) throw new Error("outside the type area: " + l.text);
}
const full = body.filter(l => near(l.x0, left, 1.5) && near(l.x1, right, 3) && !/[0-9A-Za-z]/.test(l.text));
if (!full.length) throw new Error("no full line of Chinese text on page 1");
for (const l of full)
	if ([...l.text].length !== 28) throw new Error([...l.text].length + " characters in a full line: " + l.text);
// page numbers: outer side, one character (14 pt) in, 7 mm under the type area
for (const [p, odd] of [[0, true], [1, false]]) {
	const n = pages[p].find(l => /^—\s*\d+\s*—$/.test(l.text));
	if (!n) throw new Error("no page number on page " + (p + 1));
	if (!near(n.y0 - bottom, mm(7), 2)) throw new Error("page number " + (n.y0 - bottom) + " pt under the type area");
	if (odd ? !near(n.x1, right - 14, 2.5) : !near(n.x0, left + 14, 2.5))
		throw new Error("page number of page " + (p + 1) + " not on the outer side: " + n.x0 + ".." + n.x1);
}
' bbox.html
pdftoppm -r 40 -f 1 -l 1 -png pdf/report.pdf page
[ -s page-01.png ] || [ -s page-1.png ]
echo "ok: PDFs"
