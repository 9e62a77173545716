#!/bin/sh
# rectify lint on the command line: output format, exit status 0 / 1 / 2,
# --json (checked with node's JSON.parse), --rules, --disable, --previous,
# and inputs the parser refuses, which lint must refuse the same way.
set -u
fail() { echo "FAIL: $*"; exit 1; }
R=$RECTIFY

# A report with an unfilled placeholder and a doubled comma.
cat > bad.txt <<'EOF'
县局班子对照检查材料

一、对照检查找出的问题

（一）在理论学习方面

一是学习不够深入。x单位集中学习仅4次，，低于计划。

二是调研不够深入。比如，全年到3个乡镇调研共7次。

二、产生问题的原因分析

一是理论武装不够。二是宗旨意识淡化。

三、努力方向和整改措施

（一）加强理论学习。每月集中学习1次。
EOF

# --rules lists every rule, one line each.
$R lint --rules > rules.out || fail "--rules exit $?"
for r in placeholder punctuation numbering structure vague-problem hedging unmeasurable \
	unanswered repeat recurrence formulation quote-nesting doubled-phrase spacing wrong-char \
	foreign-text; do
	grep -q "^$r " rules.out || fail "--rules lacks $r"
done
[ "$(wc -l < rules.out)" -eq 16 ] || fail "--rules: $(wc -l < rules.out) lines"

# Findings of severity error: exit 1, compiler-style lines, a summary.
$R lint bad.txt > out.txt 2> err.txt
rc=$?
[ $rc -eq 1 ] || fail "bad.txt: exit $rc"
[ -s err.txt ] && fail "bad.txt: stderr: $(cat err.txt)"
grep -q '^bad.txt:7:10: error: 占位符“x”没有填写.* \[placeholder\]$' out.txt || fail "placeholder line: $(cat out.txt)"
grep -q '^bad.txt:7:20: error: 标点重复“，，”.* \[punctuation\]$' out.txt || fail "punctuation line"
grep -q '^    “' out.txt || fail "no quoted text"
grep -q '^bad.txt: 2 个错误，.*问题 2 条，其中 1 条有具体事例（50%）$' out.txt || fail "summary: $(tail -n 1 out.txt)"

# --disable turns rules off: no error left, exit 0.
$R lint --disable placeholder --disable punctuation bad.txt > out2.txt
rc=$?
[ $rc -eq 0 ] || fail "--disable: exit $rc"
grep -q '\[placeholder\]' out2.txt && fail "--disable placeholder still reports"
$R lint --disable=placeholder,punctuation bad.txt > /dev/null || fail "--disable=a,b"
$R lint --disable no-such-rule bad.txt > out3.txt 2> err3.txt
[ $? -eq 2 ] || fail "--disable no-such-rule: not exit 2"
[ -s out3.txt ] && fail "--disable no-such-rule wrote to stdout"
grep -q "no rule 'no-such-rule'" err3.txt || fail "--disable message: $(cat err3.txt)"

# --json: valid, with the contract's keys.
$R lint --json bad.txt > out.json
[ $? -eq 1 ] || fail "--json exit"
node -e '
const j = JSON.parse(require("fs").readFileSync("out.json", "utf8"));
const ok = j.format === 1 && Array.isArray(j.findings) && j.summary.errors === 2 &&
	j.findings.every(f => typeof f.rule === "string" && ["error","warning","info"].includes(f.severity) &&
		f.line > 0 && f.col > 0 && f.span.length === 2 && typeof f.text === "string" &&
		typeof f.message === "string" && f.file === "bad.txt") &&
	j.findings.some(f => f.rule === "placeholder" && f.line === 7 && f.col === 10) &&
	j.summary.problem_items === 2 && j.summary.with_example === 1 && j.files.length === 1;
process.exit(ok ? 0 : 1);' || fail "--json content: $(cat out.json)"

# The sample report has warnings but no error: exit 0.
$R lint "$TOP/data/sample-team.md" > sample.out || fail "sample: exit $?"
grep -q ' error: ' sample.out && fail "sample has errors"

# GB18030 input gives the same findings as UTF-8.
iconv -f UTF-8 -t GB18030 bad.txt > gb.txt
$R lint gb.txt | sed 's/^gb.txt/bad.txt/' > gb.out
cmp -s gb.out out.txt || fail "GB18030 findings differ"

# --previous: a lightly reworded copy of last year's report repeats every problem.
sed -e 's/不够/不足/g; s/班子成员/领导班子成员/g; s/比如/例如/g; s/偏少/较少/g; s/不强/较弱/g' \
	"$TOP/data/sample-team.md" > this-year.md
$R lint --json this-year.md --previous "$TOP/data/sample-team.md" > prev.json
node -e '
const j = JSON.parse(require("fs").readFileSync("prev.json", "utf8"));
const rec = j.findings.filter(f => f.rule === "recurrence");
const ok = rec.length === j.summary.problem_items && rec.length === 12 &&
	rec.every(f => f.related && f.related.similarity >= 0.6 && /sample-team\.md:\d+$/.test(f.related.origin)) &&
	j.summary.priors === 12;
process.exit(ok ? 0 : 1);' || fail "--previous: $(head -c 600 prev.json)"
# --previous takes one file and may be repeated; options come anywhere.
$R lint bad.txt --previous "$TOP/data/sample-team.md" --previous "$TOP/tests/data/individual.txt" --json > prev2.json
node -e '
const j = JSON.parse(require("fs").readFileSync("prev2.json", "utf8"));
process.exit(j.summary.priors === 16 && j.files.length === 1 ? 0 : 1);' || fail "two previous files"
$R lint --previous "$TOP/data/sample-team.md" this-year.md --json > prev3.json
cmp -s prev.json prev3.json || fail "--previous before the report differs"
$R lint --json --previous "$TOP/data/sample-team.md" --previous "$TOP/tests/data/individual.txt" bad.txt > prev4.json
cmp -s prev2.json prev4.json || fail "options first differ"
# The file after --previous is the only earlier report: the next is checked.
$R lint --previous "$TOP/data/sample-team.md" bad.txt "$TOP/tests/data/individual.txt" --json > prev5.json
node -e '
const j = JSON.parse(require("fs").readFileSync("prev5.json", "utf8"));
process.exit(j.summary.priors === 12 && j.files.length === 2 ? 0 : 1);' || fail "--previous took more than one file"
$R lint --previous > /dev/null 2>&1
[ $? -eq 2 ] || fail "--previous without a file: not exit 2"
$R help lint > help.out
grep -F -q -- '--previous FILE]...' help.out || fail "help lint lacks '--previous FILE]...'"
grep -F -q -- '--previous a.txt --previous b.txt' help.out || fail "help lint lacks '--previous a.txt --previous b.txt'"

# Several files: one summary line each and a total.
$R lint bad.txt "$TOP/data/sample-team.md" > two.out
[ $? -eq 1 ] || fail "two files: exit"
grep -q '^合计：2 个文件，' two.out || fail "two files: no total"

# Inputs the parser refuses: the same exit status and message, nothing on stdout.
: > empty.txt
printf 'abc\000def' > nul.txt
printf '\377\376\375\374\373' > junk.txt
head -c 17000000 /dev/zero | tr '\0' 'a' > big.txt
for f in empty.txt nul.txt junk.txt big.txt missing.txt; do
	$R parse "$f" > p.out 2> p.err
	prc=$?
	$R lint "$f" > l.out 2> l.err
	lrc=$?
	[ $prc -ne 0 ] || fail "parse accepted $f"
	[ $lrc -eq $prc ] || fail "$f: lint exit $lrc, parse exit $prc"
	[ -s l.out ] && fail "$f: lint wrote to stdout"
	[ "$(wc -l < l.err)" -eq 1 ] || fail "$f: lint stderr is not one line"
	cmp -s p.err l.err || fail "$f: messages differ: $(cat p.err) / $(cat l.err)"
	case $f in missing.txt) ;; *) [ $lrc -eq 2 ] || fail "$f: exit $lrc, not 2" ;; esac
	# A bad file among good ones spoils the run: nothing on stdout.
	$R lint bad.txt "$f" > l2.out 2> /dev/null
	[ $? -eq $prc ] || fail "$f among others: exit"
	[ -s l2.out ] && fail "$f among others: stdout"
	$R lint bad.txt --previous "$f" > l3.out 2> /dev/null
	[ $? -eq $prc ] || fail "$f as --previous: exit"
	[ -s l3.out ] && fail "$f as --previous: stdout"
done
$R lint > /dev/null 2>&1
[ $? -eq 2 ] || fail "no file: not exit 2"
$R lint --bogus bad.txt > /dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option: not exit 2"

# Half-width punctuation: one finding per report where pervasive, every
# place with --verbose and in --json.
{
	echo '县局班子对照检查材料'
	for i in 1 2 3 4; do echo; echo '认真学习,深入调研,狠抓落实,确保实效。'; done
} > half.txt
$R lint --disable structure,unanswered half.txt > half.out
[ "$(grep -c '\[punctuation\]$' half.out)" -eq 1 ] || fail "half-width: $(cat half.out)"
grep -q '全文 12 处半角标点，分布在 4 段' half.out || fail "half-width summary: $(cat half.out)"
$R lint --verbose --disable structure,unanswered half.txt > halfv.out
[ "$(grep -c '\[punctuation\]$' halfv.out)" -eq 12 ] || fail "--verbose: $(grep -c punctuation halfv.out)"
$R lint --json half.txt > half.json
node -e '
const j = JSON.parse(require("fs").readFileSync("half.json", "utf8"));
process.exit(j.findings.filter(f => f.rule === "punctuation").length === 12 &&
	j.summary.by_rule["wrong-char"] === 0 ? 0 : 1);' || fail "--json: every place"

# The new catches, in the compiler's form.
printf '县局班子对照检查材料\n\n要加强加强学习，严格要求自已。来源：青禾新闻网 责任编辑：刘晓\n' > new.txt
$R lint new.txt > new.out
grep -q '^new.txt:3:2: warning: “加强”连写了两遍：删去一个 \[doubled-phrase\]$' new.out || fail "doubled: $(cat new.out)"
grep -q '^new.txt:3:13: error: 错别字：“自已”应为“自己” \[wrong-char\]$' new.out || fail "wrong-char"
grep -q '^new.txt:3:16: error: .*\[foreign-text\]$' new.out || fail "foreign-text"

# Standard input.
$R lint - < bad.txt > stdin.out
[ $? -eq 1 ] || fail "stdin: exit"
grep -q '^-:7:10: error: ' stdin.out || fail "stdin: $(head -n 2 stdin.out)"

# --ledger: the problems of earlier campaigns in the database count as
# earlier reports; a missing database is an unusable input (exit 3).
# (The ledger: ./ledger.db, or a database on PostgreSQL: lib/engine.sh.)
LEDGER_FILE=ledger.db
. "$TOP/tests/it/lib/engine.sh"
RECTIFY_PASSWORD=lint-test-pw $R init --db "$LEDGER" --admin office > /dev/null
$R import --db "$LEDGER" "$TOP/data/sample-team.md" > /dev/null
set +e
$R lint --db "$LEDGER" --ledger "$TOP/data/sample-team.md" > led.out
set -e
[ "$(grep -c '\[recurrence\]$' led.out)" -eq 12 ] || fail "--ledger: 12 recurrences expected"
grep -q '2023年度 台账' led.out || fail "--ledger: origin label"
set +e
$R lint --db nothing-here.db --ledger "$TOP/data/sample-team.md" > led.out 2> led.err
rc=$?
set -e
[ $rc -eq 3 ] || fail "--ledger without a database: exit $rc"
[ ! -s led.out ] || fail "--ledger without a database: printed on stdout"

# The shared real report, when it is there.
fx="$TOP/../shared/fixtures/000_c3413cd0edfb2f64.txt"
[ -n "${RECTIFY_FIXTURES:-}" ] && fx="$RECTIFY_FIXTURES/000_c3413cd0edfb2f64.txt"
if [ -f "$fx" ]; then
	set +e
	$R lint "$fx" > fx.out
	rc=$?
	set -e
	[ $rc -eq 1 ] || fail "fixture: exit $rc"
	[ "$(grep -c '\[placeholder\]$' fx.out)" -eq 8 ] || fail "fixture: placeholders"
	grep -q ':73:[0-9]*: error: 标点重复“，，”' fx.out || fail "fixture: line 73 comma"
	grep -q ':15:[0-9]*: warning: 与第11行的.*\[repeat\]$' fx.out || fail "fixture: repeat 11/15"
	grep -q '\[numbering\]$' fx.out && fail "fixture: numbering finding"
	grep -q 'error: .*\[structure\]$' fx.out && fail "fixture: structure error"
else
	echo "(fixture absent: that part skipped)"
fi
exit 0
