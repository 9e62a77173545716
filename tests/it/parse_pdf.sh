#!/bin/sh
# PDF reports read through their text layer: a short report written here as
# text is converted to PDF by LibreOffice, once as it is (one A4 page) and
# once on several pages with a running header on every page and a page
# number at the foot of each; `rectify parse --json` of each PDF must give
# the tree of the text (spans and the source description aside), with no
# page number or header in it.  A PDF renamed .docx or .txt is still read as
# a PDF, a damaged one is refused with one line (exit 2), and `rectify
# import` takes a PDF.
set -eu
. "$TOP/tests/it/lib/cli.sh"
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
	echo "soffice or pdfinfo not found: 'tools/deps.sh check' installs them"
	exit 1
fi
prof=$(pwd)/lo-profile
mkdir -p out

cat >report.txt <<'EOF'
市档案馆领导班子2024年度专题民主生活会对照检查材料

根据市委统一安排，馆领导班子围绕会议主题，深入查找问题，认真剖析原因，明确整改方向。现将有关情况报告如下。

一、存在的主要问题

（一）学习贯彻方面存在的问题

一是学习的系统性不够强。班子集体学习多以传达文件为主，围绕档案工作实际开展专题研讨偏少，学习成果转化为推动工作的具体举措还不够多。二是学用结合有差距。对数字档案馆建设中遇到的新情况新问题，运用理论分析研究不够深入，解决问题的办法不多。

（二）履职尽责方面存在的问题

一是服务群众的主动性不足。档案查询窗口的预约渠道单一，群众跑腿次数偏多，线上查档功能推广不够。二是工作推进的力度不均衡。对重点项目盯得较紧，对日常基础业务督促检查较少，个别库房的温湿度记录存在漏记现象。三是风险防范意识不够强。对档案安全检查发现的问题整改跟踪不及时，消防器材更换拖延了两个月。

二、问题产生的原因

一是理想信念的坚定性有所减弱，对加强理论武装的重要性认识不足。二是宗旨意识有所淡化，从群众需求出发谋划工作不够。三是担当精神有所欠缺，满足于完成上级交办的任务。

三、下一步整改措施

一是强化理论武装。每月开展集体学习不少于1次，2025年6月底前完成专题研讨3次。二是优化便民服务。2025年3月底前开通线上预约查档，实现常用档案查询一次办结。三是压实安全责任。每季度开展库房安全检查，长期坚持。
EOF

# The same paragraphs in 20-point type, a header on every page (the first
# included) and "- N -" at the foot of each page.
{
	cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:xsl-formatting-objects"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles><style:default-style style:family="paragraph"><style:text-properties
 fo:font-size="20pt" style:font-size-asian="20pt"/></style:default-style></office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1">
<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm"
 fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
<style:header-style><style:header-footer-properties fo:min-height="0.6cm"/></style:header-style>
<style:footer-style><style:header-footer-properties fo:min-height="0.6cm"/></style:footer-style>
</style:page-layout>
</office:automatic-styles>
<office:master-styles>
<style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p>市档案馆党组</text:p></style:header>
<style:footer><text:p>- <text:page-number text:select-page="current"/> -</text:p></style:footer>
</style:master-page>
</office:master-styles>
<office:body><office:text>
EOF
	grep -v '^$' report.txt | sed 's|.*|<text:p>&</text:p>|'
	echo '</office:text></office:body></office:document>'
} >paged.fodt

for f in report.txt paged.fodt; do
	soffice -env:UserInstallation="file://$prof" --headless --convert-to pdf --outdir out "$f" \
		>/dev/null 2>&1
	[ -s "out/${f%.*}.pdf" ] || fail "soffice could not convert $f"
done
pages=$(pdfinfo out/paged.pdf | sed -n 's/^Pages: *//p')
[ "$pages" -ge 2 ] || fail "paged.pdf has $pages page(s), want several"
pdftotext out/paged.pdf - | grep -q -- '-2-\|- 2 -' || fail "no page number in paged.pdf"

same_tree() { # TEXT PDF
	"$R" parse --json "$1" >a.json
	"$R" parse --json "$2" >b.json
	node -e '
const fs = require("fs");
const strip = v => {
	if (Array.isArray(v)) return v.map(strip);
	if (v && typeof v === "object") {
		const o = {};
		for (const k of Object.keys(v))
			if (k !== "source" && k !== "span" && !k.endsWith("_span")) o[k] = strip(v[k]);
		return o;
	}
	return v;
};
const [fa, fb] = process.argv.slice(1);
const jb = JSON.parse(fs.readFileSync(fb, "utf8"));
if (jb.source.format !== "pdf") {
	console.error("read as " + jb.source.format + ", not pdf"); process.exit(1);
}
const ta = strip(JSON.parse(fs.readFileSync(fa, "utf8"))), tb = strip(jb);
let items = 0;
for (const s of tb.sections) {
	const all = (s.items || []).concat(...(s.areas || []).map(a => a.items || []));
	for (const it of all) {
		items++;
		if (/-\s*\d+\s*-|市档案馆党组/.test(it.text)) {
			console.error("page artefact in an item: " + it.text); process.exit(1);
		}
	}
}
if (ta.sections.length !== 3 || items !== 11) {
	console.error(ta.sections.length + " sections, " + items + " items"); process.exit(1);
}
const a = JSON.stringify(ta), b = JSON.stringify(tb);
if (a !== b) {
	let i = 0;
	while (a[i] === b[i]) i++;
	console.error("trees differ at " + i + ":\n  text: " + a.slice(Math.max(0, i - 150), i + 150) +
		"\n  pdf:  " + b.slice(Math.max(0, i - 150), i + 150));
	process.exit(1);
}' a.json b.json || fail "$2 does not read as $1"
	echo "ok: $2"
}

same_tree report.txt out/report.pdf
same_tree report.txt out/paged.pdf

# The readable view names the format and the year found in the title.
run 0 "$R" parse out/paged.pdf
has out.txt "pdf, UTF-8"
has out.txt "year 2024"
has out.txt "一是 学习的系统性不够强"
lacks out.txt "市档案馆党组"

# A PDF is a PDF whatever its name.
cp out/paged.pdf renamed.docx
cp out/paged.pdf renamed.txt
same_tree report.txt renamed.docx
same_tree report.txt renamed.txt

# Damaged: cut in the middle, or the header alone.
head -c 2000 out/paged.pdf >cut.pdf
run 2 "$R" parse cut.pdf
has err.txt "PDF"
[ "$(wc -l <err.txt)" -eq 1 ] || fail "more than one line: $(cat err.txt)"
printf '%%PDF-1.5\n' >header.txt
run 2 "$R" parse header.txt
has err.txt "damaged"

# Imported into a ledger: as many tasks as from the text.
RECTIFY_DB=$(new_ledger "$(pwd)/a.db")
export RECTIFY_DB
run 0 "$R" init --admin admin
run 0 "$R" import out/paged.pdf
has out.txt "tasks"
tasks_pdf=$(grep -o '[0-9]* tasks' out.txt)
RECTIFY_DB=$(new_ledger "$(pwd)/b.db")
run 0 "$R" init --admin admin
run 0 "$R" import report.txt
has out.txt "$tasks_pdf"
echo "ok: import: $tasks_pdf"
