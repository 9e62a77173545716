# rectify parse on the command line: views, exit statuses, standard input,
# and refusals that print nothing on standard output.
set -eu
R=${RECTIFY:?}
fail() { echo "FAIL: $*" >&2; exit 1; }

# The readable view and the JSON contract of the sample report.
$R parse "$TOP/data/sample-team.md" > view.txt
grep -q '^一、对照检查找出的问题  <problems>' view.txt || fail "readable view lacks the problems section"
grep -q '理论学习系统性不强' view.txt || fail "readable view lacks a lead"
$R parse --json "$TOP/data/sample-team.md" > tree.json
node -e '
const d = JSON.parse(require("fs").readFileSync("tree.json", "utf8"));
const ok = d.format === 1 && d.kind === "team" && d.sections.length === 3 &&
  d.sections[0].role === "problems" && d.sections[0].areas.length === 4 &&
  d.sections[1].items.length === 4 && d.commitments.length > 0 &&
  /^[0-9a-f]{64}$/.test(d.source.sha256);
if (!ok) { console.error(JSON.stringify(d).slice(0, 400)); process.exit(1); }
' || fail "JSON contract"

# Standard input gives the same tree.
$R parse --json - < "$TOP/data/sample-team.md" > stdin.json
node -e '
const fs = require("fs");
const a = JSON.parse(fs.readFileSync("tree.json")), b = JSON.parse(fs.readFileSync("stdin.json"));
delete a.source.format; delete b.source.format;
if (JSON.stringify(a.sections) !== JSON.stringify(b.sections)) process.exit(1);
' || fail "stdin differs"

# A report large enough to be parsed on two cores, read from a file (which
# also sets the process's memory up for it) and from standard input: the
# same bytes, and the checksum of the file.
i=0
while [ $i -lt 100 ]; do cat "$TOP/data/sample-team.md"; i=$((i + 1)); done > large.txt
[ "$(wc -c < large.txt)" -gt 300000 ] || fail "large.txt is too small to be threaded"
$R parse --json large.txt > large.json
$R parse --json - < large.txt > large-stdin.json
cmp -s large.json large-stdin.json || fail "a large report differs between file and stdin"
grep -q "\"sha256\":\"$(sha256sum large.txt | cut -c1-64)\"" large.json ||
	fail "the checksum of a large report: $(head -c 200 large.json)"

# Unusable input: one line on stderr, nothing on stdout, exit 2.
refuse() { # NAME FILE PATTERN
	set +e
	$R parse --json "$2" > out.txt 2> err.txt
	rc=$?
	set -e
	[ $rc -eq 2 ] || fail "$1: exit $rc, want 2"
	[ ! -s out.txt ] || fail "$1: printed on stdout"
	[ "$(wc -l < err.txt)" -eq 1 ] || fail "$1: stderr is not one line: $(cat err.txt)"
	grep -q "$3" err.txt || fail "$1: stderr lacks '$3': $(cat err.txt)"
}
: > empty.txt
refuse empty empty.txt "empty"
printf '\177ELF\002\001\001\000\000\000binary' > bin.txt
refuse binary bin.txt "binary"
printf '\375\374\200\201\202\203\204\377\377' > junk.txt
refuse junk junk.txt "encoding"
head -c 17000000 /dev/zero | tr '\0' 'a' > big.txt
refuse "over 16 MiB" big.txt "too large"
printf 'PK\003\004 not really a zip' > bad.docx
refuse "broken docx" bad.docx "docx"

# Usage errors exit 2 as well; a missing file is an I/O error.
set +e
$R parse > /dev/null 2>&1; [ $? -eq 2 ] || fail "no file: want exit 2"
$R parse --bogus x > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad option: want exit 2"
$R parse /nonexistent/file.txt > out.txt 2> err.txt; rc=$?
set -e
[ $rc -ne 0 ] && [ ! -s out.txt ] || fail "missing file"
grep -q "cannot open" err.txt || fail "missing file message"

# help reads the command table.
$R help parse | grep -q 'usage: rectify parse' || fail "help parse"
echo "parse ok"

# A plan whose tasks are a table: each row an item with its fields, the
# same from the Markdown table and from the tab-separated rows.
for f in plan-01.md plan-01.tsv.txt; do
	$R parse --json "$TOP/tests/data/genres/$f" > plan.json
	node -e '
const d = JSON.parse(require("fs").readFileSync("plan.json", "utf8"));
const s = d.sections.find(s => s.role === "problems");
const it = s && s.items;
const ok = d.kind === "plan" && it && it.length === 4 && it[0].style === "table" &&
  it[0].label === "1." && it[0].lead === "理论学习系统性不强" &&
  it[0].fields.leader === "张建国" && it[0].fields.unit === "局办公室" &&
  it[0].fields.deadline === "2024年6月底前" && /第一议题/.test(it[0].fields.measures) &&
  it[3].fields.deadline === "长期坚持" && !("fields" in d.sections[0]);
if (!ok) { console.error(JSON.stringify(s).slice(0, 600)); process.exit(1); }
' || fail "the fields of a table plan ($f)"
done

# poppler and OpenCC are loaded when a PDF or a traditional report needs
# them, not at start-up: the binary names neither among its libraries.
if objdump -p "$R" | grep NEEDED | grep -E -q 'poppler|opencc|cairo|glib'; then
	fail "the binary links poppler or OpenCC at start-up"
fi
