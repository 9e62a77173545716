#!/bin/sh
# The 整改落实情况报告 of a 27-task campaign as LibreOffice prints it: a
# report of five areas whose measures are one paragraph per area (each
# sentence answering one of the area's problems) is imported, the office
# sets 主送机关 and 发文机关署名, and the .docx converted to PDF must show
#   - the title in three lines in a diamond, broken at phrases (not inside
#     a word), each line whole on the page,
#   - 主送机关 flush left under the title, 署名 and 成文日期 at the end, right,
#     the date's first character right of the signer's (two characters as
#     the .docx counts them, less the room LibreOffice puts around digits),
#   - no charts unless asked (--charts yes puts them in),
#   - an appendix where each task carries its own measures: each area's
#     paragraph is printed about once in all, not once per task, so the
#     appendix holds little more text than the report's problems and
#     measures, and the pages follow (the bound below is worked out from
#     the text of the report).
set -eu
R=$RECTIFY
W=$(pwd)
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
	echo "soffice or pdftotext not found: 'tools/deps.sh check' installs them"
	exit 1
fi
prof=$W/lo-profile
pdf() { soffice -env:UserInstallation="file://$prof" --headless --convert-to pdf --outdir "$W" "$1" >/dev/null 2>&1; }
# The ledger: a file here, or a database on PostgreSQL (lib/engine.sh).
LEDGER_FILE=$W/r.db
. "$TOP/tests/it/lib/engine.sh"
export RECTIFY_DB="$LEDGER" RECTIFY_TODAY=2024-05-20 RECTIFY_PASSWORD=secret-pass-1

# ---- a report of 27 problems in five areas ---------------------------------
# topic|what is wrong|what is done about it
cat >topics.txt <<'EOF'
理论学习|集中学习以传达文件为主，自学缺少检查|每季度组织一次读书交流，建立自学笔记抽查制度
专题研讨|研讨发言准备不足，交流停留在表面|每半年开展一次专题研讨，发言提纲提前一周报送
调研报告|调研成果转化率低，对策建议针对性不强|建立调研成果转化清单，逐项明确采纳单位
宣传阵地|公众号和宣传栏内容审核把关不严|实行三审三校，季度开展一次阵地巡查
意识形态|分析研判不够经常，风险排查不细|每半年召开一次意识形态形势分析会，建立风险台账
基层走访|走访集中在交通便利的乡镇，偏远村组去得少|建立联系点制度，每季度到联系村走访一次
群众诉求|灌溉设施维修等诉求办理超时|诉求办理实行限时办结，超期件每月通报
信访化解|重复信访案件化解不彻底|领导包案化解重复信访，逐件销号
惠农补贴|补贴发放公示不及时，群众知晓率低|补贴发放一律张榜公示，开通查询电话
农技服务|农技人员下沉不够，服务覆盖面窄|组建农技服务小分队，每月下村服务两次
文山会海|会议偏多偏长，文件层层转发|合并同类会议，控制发文数量，杜绝照抄照转
督查检查|督查检查频次过多，基层迎检负担重|统筹制定年度督查计划，未列入计划的一律不开展
公务接待|接待标准执行不严，陪餐人数超标|严格执行接待标准，每季度公开接待清单
三公经费|公务用车使用登记不规范|公务用车实行派车单管理，每月核对里程
值班值守|节假日值班在岗情况抽查不多|节假日值班实行电话抽查，结果通报
安全生产|农机安全检查流于形式，隐患整改不闭环|农机安全隐患建立整改台账，整改结果拍照留档
项目管理|高标准农田项目进度滞后，验收不及时|项目实行周调度，逾期未完成的约谈施工单位
资金监管|涉农资金拨付缓慢，绩效评价走过场|涉农资金实行月报制度，绩效评价引入第三方
招标采购|采购需求论证不充分，存在化整为零苗头|采购需求一律集体论证，金额较大的提交党组会研究
合同管理|合同履约跟踪不到位，变更手续不全|建立合同履约台账，变更必须履行审批手续
干部培训|年轻干部培训针对性不强，实践锻炼少|每年选派年轻干部到乡镇一线锻炼
考核评价|平时考核与年度考核衔接不紧|平时考核结果按季度汇总，作为年度考核依据
支部建设|支部主题党日内容单一，党员参与度不高|主题党日实行菜单式安排，每月一个主题
党员教育|流动党员教育管理存在空档|流动党员实行线上学习打卡，每月统计通报
廉政风险|重点岗位廉政风险点排查不全|每年更新重点岗位廉政风险点清单并公示
作风建设|个别干部服务意识不强，办事推诿|开展窗口服务满意度测评，结果与评先挂钩
监督执纪|运用第一种形态不够经常|对苗头性问题及时谈话提醒，每季度分析一次
EOF
[ "$(wc -l <topics.txt)" = 27 ]
areas="在理论武装方面 在联系服务群众方面 在改进作风方面 在履职尽责方面 在全面从严治党方面"
# five areas: 5, 5, 6, 6, 5 problems
sizes="5 5 6 6 5"
cn() { echo "一 二 三 四 五 六" | cut -d' ' -f"$1"; }
{
	echo "县农业农村局领导班子2023年度主题教育专题民主生活会对照检查材料"
	echo
	echo "一、查摆出的问题"
	i=1 a=1
	for n in $sizes; do
		echo "（$(cn $a)）$(echo "$areas" | cut -d' ' -f$a)"
		k=1
		while [ $k -le "$n" ]; do
			line=$(sed -n "${i}p" topics.txt)
			t=${line%%|*} rest=${line#*|} bad=${rest%%|*}
			echo "$(cn $k)是${t}工作不够扎实。${bad}，这一问题在班子成员中不同程度存在，影响了工作成效。比如，2023年${t}方面的工作有3项没有按计划完成。"
			i=$((i + 1)) k=$((k + 1))
		done
		a=$((a + 1))
	done
	echo "二、问题产生的原因"
	echo "一是理想信念有所松懈。二是宗旨意识有所淡化。三是担当精神有所弱化。"
	echo "三、整改措施"
	i=1 a=1
	for n in $sizes; do
		para=""
		k=1
		while [ $k -le "$n" ]; do
			line=$(sed -n "${i}p" topics.txt)
			t=${line%%|*} good=${line##*|}
			para="${para}针对${t}方面的不足，${good}，压紧压实责任，确保取得实效，2024年6月底前完成。"
			i=$((i + 1)) k=$((k + 1))
		done
		echo "（$(cn $a)）$(echo "$areas" | cut -d' ' -f$a)"
		echo "$para"
		a=$((a + 1))
	done
} >report.txt

"$R" init --admin admin >/dev/null
"$R" import report.txt | grep -q "27 tasks"
"$R" setting set report_to 县委 >/dev/null
"$R" setting set report_signer 中共某县农业农村局党组 >/dev/null
"$R" setting list | grep -q "^report_to  *县委"
"$R" report -o report.docx >/dev/null
pdf report.docx
pages=$(pdfinfo report.pdf | sed -n 's/^Pages: *//p')
pdftotext -layout report.pdf report.txt.out

# ---- the title, 主送机关, 署名 and date -------------------------------------
# The title: three lines as broken, none wrapped again by the page.
pdftotext -l 1 report.pdf - | tr -d ' ' | head -n 3 >title.txt
printf '%s\n' 关于县农业农村局领导班子 2023年度主题教育专题民主生活会 查摆问题整改落实情况的报告 |
	cmp -s - title.txt || { cat title.txt; echo "the title's lines"; exit 1; }
# 主送机关 at the left margin, with its colon, before the body.
grep -q '^县委：$' report.txt.out || { echo "no 主送机关 flush left"; exit 1; }
# 署名 and 成文日期 right, the date under the signer, two characters in
# from the signer's first character (pdftotext -bbox gives the x of each word).
pdftotext -bbox report.pdf bbox.html
node -e '
const fs = require("fs");
const h = fs.readFileSync("bbox.html", "utf8").split("<page ").find((p) => p.includes("中共某县农业农村局党组")) || "";
const words = [...h.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
	.map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], w: m[5] }));
const s = words.find((w) => w.w === "中共某县农业农村局党组");
if (!s) { console.error("no signer in the PDF"); process.exit(1); }
const ch = (s.x1 - s.x0) / 11;                    // one character of the signer
// the date: the words of the line under the signer, from the left
const line = words.filter((w) => w.y0 > s.y0 + ch / 2 && w.y0 < s.y0 + 2.5 * ch).sort((a, b) => a.x0 - b.x0);
if (line.map((w) => w.w).join("") !== "2024年5月20日") { console.error("no date under the signer:", line); process.exit(1); }
const d = line[0];
const right = 595.3 - 26 * 72 / 25.4;             // the type area right edge (26 mm margin)
const fail = (m) => { console.error(m, JSON.stringify({ s, d, ch })); process.exit(1); };
if (Math.abs(right - s.x1 - 2 * ch) > ch / 2) fail("the signer is not two characters in from the right");
// Two characters as counted; LibreOffice puts a fifth of a character
// around each run of digits whatever autoSpaceDN says, which takes back
// about one of the two.
if (d.x0 - s.x0 < 0.75 * ch || d.x0 - s.x0 > 2.5 * ch) fail("the date does not start right of the first character of the signer");
if (!(d.y0 > s.y0 && d.y0 - s.y0 < 2.5 * ch)) fail("the date is not on the line under the signer");
console.log("ok: 署名 at", s.x0.toFixed(1), "date at", d.x0.toFixed(1), "character", ch.toFixed(1));
'
# No charts by default; asked for, they are there.
if unzip -l report.docx | grep -q 'word/charts/'; then echo "charts in the default .docx"; exit 1; fi
"$R" report --charts yes -o charts.docx >/dev/null
unzip -l charts.docx | grep -q 'word/charts/chart1.xml'
"$R" report -o report.html >/dev/null
grep -q '<svg' report.html
"$R" setting set report_charts 1 >/dev/null
"$R" report -o set.docx >/dev/null
unzip -l set.docx | grep -q 'word/charts/chart1.xml'
"$R" setting set report_charts 0 >/dev/null
echo "ok: title, 主送机关, 署名, charts"

# ---- the appendix: each task's own measures -------------------------------
# Every task's own measure is in the appendix, and no other sentence of its
# area rides along: each measure's opening (针对 and the topic, the start
# of a cell's line, so that pdftotext, which interleaves a table's columns
# line by line, keeps it whole) is there once, not once per task of its area.
pdftotext report.pdf plain.txt
# the appendix: from the page that opens with 附件 (a form feed before it)
tr -d '\f' <plain.txt | sed -n '/^附件$/,$p' | tr -d ' ' >appendix-lines.txt
[ -s appendix-lines.txt ] || { echo "no appendix"; exit 1; }
tr -d '\n' <appendix-lines.txt >appendix.txt
while IFS='|' read -r t bad good; do
	n=$(grep -o "针对${t}" appendix-lines.txt | wc -l)
	[ "$n" = 1 ] || { echo "the measure of ${t} is in the appendix $n times"; exit 1; }
done <topics.txt
# The bound: the appendix holds the problems and the measures about once,
# with the other cells: at most 1.5 times the characters of the report's
# problems and measures sections, and its pages at most that many
# characters over what a landscape page of the table holds at the least
# (400: its narrow columns leave much of each row blank) plus one.  Each
# area's paragraph once per task made 12,061 characters on 28 pages.
src=$(sed -n '/^一、查摆出的问题$/,$p' report.txt | grep -v '原因\|是理想信念' | tr -d ' \n' | wc -m)
app=$(wc -m <appendix.txt)
echo "appendix $app characters for $src of the report's problems and measures; $pages pages in all"
[ "$app" -le $((src * 3 / 2)) ] || { echo "the appendix repeats the measures"; exit 1; }
body=$(awk 'BEGIN { RS = "\f" } /^附件\n/ { print NR - 1; exit }' plain.txt)
apages=$((pages - body))
bound=$(((src * 3 / 2 + 399) / 400 + 1))
echo "appendix pages $apages, bound $bound"
[ "$apages" -le "$bound" ] || { echo "the appendix has $apages pages, more than $bound"; exit 1; }
echo "ok: the appendix of 27 tasks on $apages pages"
