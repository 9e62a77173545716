#!/bin/sh
# .docx files written by LibreOffice read as the report they hold: the text,
# HTML and OpenDocument versions of three reports are converted with
# `soffice --convert-to docx`, and `rectify parse --json` of each .docx must
# give the tree of the original (spans and the source description aside).
# The OpenDocument version has automatic Chinese numbering, tracked changes,
# a footnote and a table.  A spreadsheet renamed .docx is refused.
set -eu
if ! command -v soffice >/dev/null 2>&1; then
	echo "soffice not found: 'tools/deps.sh check' installs LibreOffice"
	exit 1
fi
D=$TOP/tests/data/docx
prof=$(pwd)/lo-profile
mkdir -p out

convert() { # FILE FORMAT
	soffice -env:UserInstallation="file://$prof" --headless --convert-to "$2" \
		--outdir out "$1" >/dev/null 2>&1
	[ -s "out/$(basename "${1%.*}").${2%%:*}" ] || { echo "soffice could not convert $1"; exit 1; }
}

same_tree() { # ORIGINAL DOCX MIN-SECTIONS
	"$RECTIFY" parse --json "$1" >a.json
	"$RECTIFY" parse --json "$2" >b.json
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
const [fa, fb, min] = process.argv.slice(1);
const ta = strip(JSON.parse(fs.readFileSync(fa, "utf8")));
const tb = strip(JSON.parse(fs.readFileSync(fb, "utf8")));
if (JSON.parse(fs.readFileSync(fb, "utf8")).source.format !== "docx") {
	console.error("not read as docx"); process.exit(1);
}
if (ta.sections.length < Number(min)) {
	console.error("only " + ta.sections.length + " sections"); process.exit(1);
}
const a = JSON.stringify(ta), b = JSON.stringify(tb);
if (a !== b) {
	let i = 0;
	while (a[i] === b[i]) i++;
	console.error("trees differ at " + i + ":\n  original: " + a.slice(Math.max(0, i - 150), i + 150) +
		"\n  docx:     " + b.slice(Math.max(0, i - 150), i + 150));
	process.exit(1);
}' a.json b.json "$3"
	echo "ok: $2"
}

# Plain text (Markdown marks stay text in Word and come back as such).
cp "$TOP/data/sample-team.md" sample.txt
convert sample.txt docx
same_tree "$TOP/data/sample-team.md" out/sample.docx 3

# HTML: headings become Heading 1/2, the ordered list automatic numbering.
cp "$D/plan.html" plan.html
convert plan.html 'docx:MS Word 2007 XML'
same_tree "$D/plan.md" out/plan.docx 3

# OpenDocument with list numbering, tracked changes, a footnote, a table.
cp "$D/report.fodt" report.fodt
convert report.fodt docx
grep -q . out/report.docx
unzip -p out/report.docx word/document.xml | grep -q '<w:del ' || { echo "no tracked deletion"; exit 1; }
unzip -p out/report.docx word/document.xml | grep -q '<w:numPr>' || { echo "no numbering"; exit 1; }
same_tree "$D/report.txt" out/report.docx 3

# A workbook renamed .docx: refused with a message that says what it is.
printf '序号,问题\n1,学习不够\n' >book.csv
convert book.csv xlsx
cp out/book.xlsx book.docx
if "$RECTIFY" parse book.docx 2>err.txt; then echo "a workbook parsed as a report"; exit 1; fi
grep -q 'Excel' err.txt || { cat err.txt; exit 1; }
echo "ok: workbook refused: $(cat err.txt)"
