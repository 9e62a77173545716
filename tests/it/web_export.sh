#!/bin/sh
# Downloads and the spreadsheet import over HTTP, on the demo (as of
# 2024-04-24; the handler works in 产业发展股, tasks 2, 6 and 10):
#   - the ledger as .xlsx and .csv and the report as .docx, .md and .html,
#     each an attachment with its type and an RFC 5987 Chinese name, each a
#     file the project's own readers accept (import-ledger --dry-run for the
#     sheets, `rectify parse` for the report);
#   - scoped as the pages: the handler's ledger holds their unit's tasks,
#     byte for byte what `rectify export --as handler` writes; a filter
#     gives what /api/v1/tasks lists for it;
#   - refusals: nobody, wrong formats, non-admins and missing CSRF tokens on
#     the import;
#   - the import: upload, preview (columns, rows not understood), confirm
#     refused until the bad row is skipped, then imported in one go;
#   - bounds: a server whose export bound is tiny answers 413 and leaves no
#     file behind; downloads at once all come back whole.
. "$TOP/tests/it/lib/web.sh"
mkdir -p tmp
export TMPDIR="$PWD/tmp"
start_server
for u in admin leader handler observer; do login "$u"; done
export RECTIFY_TODAY=2024-04-24

# dl USER PATH FILE: download; prints the status, headers in ./hdr.
dl() {
	curl -s -D hdr -o "$3" -w '%{http_code}' -b "jar.$1" "$BASE$2"
}
header() { grep -i "^$1:" hdr | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# The file name a Content-Disposition gives as RFC 5987 UTF-8, decoded.
filename() {
	header content-disposition | sed -n "s/.*filename\*=UTF-8''//p" | LC_ALL=C awk '{
		out = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (c == "%") {
				out = out sprintf("%c", (index("0123456789ABCDEF", substr($0, i + 1, 1)) - 1) * 16 + \
					index("0123456789ABCDEF", substr($0, i + 2, 1)) - 1)
				i += 2
			} else
				out = out c
		}
		print out
	}'
}
# rows FILE: the rows the importer understands in a ledger file.
rows() {
	"$RECTIFY" --db "$LEDGER" import-ledger --dry-run "$1" >dry.out 2>&1 || true
	sed -n 's/^dry run: \([0-9]*\) rows understood.*/\1/p' dry.out
}

# ---- the ledger, whole, as the office --------------------------------------------
expect "xlsx" 200 "$(dl admin '/export/ledger?format=xlsx' ledger.xlsx)"
[ "$(header content-type)" = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ] ||
	fail "xlsx type: $(header content-type)"
header content-disposition | grep -q '^attachment; filename="file.xlsx"; ' || fail "xlsx disposition"
[ "$(filename)" = "整改台账-2024-04-24.xlsx" ] || fail "xlsx name: $(filename)"
[ "$(header content-length)" = "$(wc -c <ledger.xlsx | tr -d ' ')" ] || fail "xlsx length"
[ "$(rows ledger.xlsx)" = 12 ] || fail "the workbook reads back as $(cat dry.out)"
grep -q 'column' dry.out || fail "no column mapping: $(cat dry.out)"

expect "csv" 200 "$(dl admin '/api/v1/export?format=csv' ledger.csv)"
[ "$(header content-type)" = "text/csv; charset=utf-8" ] || fail "csv type"
[ "$(filename)" = "整改台账-2024-04-24.csv" ] || fail "csv name: $(filename)"
[ "$(head -c 3 ledger.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "csv without BOM"
[ "$(rows ledger.csv)" = 12 ] || fail "the CSV reads back as $(cat dry.out)"

# ---- scoped as the pages -----------------------------------------------------------
expect "handler csv" 200 "$(dl handler '/export/ledger?format=csv' handler.csv)"
[ "$(filename)" = "整改台账-产业发展股-2024-04-24.csv" ] || fail "handler's name: $(filename)"
[ "$(rows handler.csv)" = 3 ] || fail "the handler's CSV: $(cat dry.out)"
"$RECTIFY" --db "$LEDGER" export --as handler -o cli.csv >/dev/null
cmp -s handler.csv cli.csv || fail "the handler's download differs from 'rectify export --as handler'"
grep -q '农田建设股\|计划财务股\|农业综合执法大队' handler.csv && fail "another unit's task in the handler's file"
expect "handler xlsx" 200 "$(dl handler '/export/ledger?format=xlsx' handler.xlsx)"
[ "$(rows handler.xlsx)" = 3 ] || fail "the handler's workbook: $(cat dry.out)"

# A filter: what the API lists for it.
expect "api red" 200 "$(get observer '/api/v1/tasks?light=red')"
red=$(sed -n 's/^{"total":\([0-9]*\),.*/\1/p' body)
[ "$red" -gt 0 ] || fail "the demo should have red tasks"
expect "red csv" 200 "$(dl observer '/export/ledger?format=csv&light=red' red.csv)"
[ "$(filename)" = "整改台账-筛选结果-2024-04-24.csv" ] || fail "filtered name: $(filename)"
[ "$(rows red.csv)" = "$red" ] || fail "the red ledger has $(rows red.csv) rows, the API $red"
expect "bad filter" 400 "$(dl observer '/export/ledger?format=csv&light=purple' x)"

# ---- the report --------------------------------------------------------------------
for f in docx md html; do
	expect "report $f" 200 "$(dl observer "/export/report?format=$f&as_of=2024-05-31" "report.$f")"
	[ "$(filename)" = "整改落实情况报告-2024-05-31.$f" ] || fail "report name: $(filename)"
	header content-disposition | grep -q '^attachment;' || fail "report $f not an attachment"
done
[ "$(dl observer '/export/report?format=docx' x)" = 200 ] && [ "$(filename)" = "整改落实情况报告-2024-04-24.docx" ] ||
	fail "the report is as of today by default: $(filename)"
grep -qi '^content-type: application/vnd.openxmlformats-officedocument.wordprocessingml.document' hdr ||
	fail "docx type"
"$RECTIFY" parse report.docx >parse.out || fail "rectify parse refuses the report: $(cat parse.out)"
head -n 1 parse.out | grep -q '整改落实情况的报告$' || fail "the report's title: $(head -n 1 parse.out)"
sed -n 2p parse.out | grep -q 'docx, UTF-8, .*kind report' || fail "read as: $(sed -n 2p parse.out)"
"$RECTIFY" parse report.md | head -n 1 | grep -q '整改落实情况的报告$' || fail "the Markdown report"
grep -q '<svg' report.html || fail "the HTML report has no chart"
# Charts: in the HTML unless told no, in the .docx when asked; the office's
# 主送机关 (set on the admin page) under the title.
unzip -l report.docx | grep -q 'word/charts/' && fail "charts in the default .docx"
expect "report with charts" 200 "$(dl admin '/export/report?format=docx&charts=1' charts.docx)"
unzip -l charts.docx | grep -q 'word/charts/chart1.xml' || fail "no chart in the .docx asked with charts=1"
expect "html without charts" 200 "$(dl admin '/export/report?format=html&charts=0' nocharts.html)"
grep -q '<svg' nocharts.html && fail "a chart in the HTML asked without"
expect "charts=2" 400 "$(get admin '/api/v1/report?format=md&charts=2')"
expect "report_to on the admin page" 303 \
	"$(post admin /admin/settings -d key=report_to -d version=0 -d value=县委)"
get admin /admin >/dev/null
grep -q 'name="key" value="report_to"' body || fail "the admin page lacks report_to"
grep -q 'name="key" value="report_signer"' body || fail "the admin page lacks report_signer"
expect "report for 县委" 200 "$(dl admin '/export/report?format=md' to.md)"
grep -q '^县委：$' to.md || fail "no 主送机关 in the report"
expect "api report" 200 "$(dl leader '/api/v1/report?format=md' leader.md)"

# ---- refusals ----------------------------------------------------------------------
expect "nobody, API" 401 "$(get - '/api/v1/export?format=csv')"
grep -q '"error":"unauthenticated"' body || fail "a JSON refusal: $(cat body)"
expect "nobody, page" 303 "$(get - '/export/ledger?format=csv')"
expect "report as xlsx" 400 "$(get admin '/api/v1/report?format=xlsx')"
grep -q '"error":"invalid"' body || fail "JSON error: $(cat body)"
expect "ledger as docx" 400 "$(get admin '/api/v1/export?format=docx')"
expect "bad day" 400 "$(get admin '/api/v1/report?format=md&as_of=2024-02-30')"
expect "no campaign 99" 404 "$(get admin '/api/v1/export?format=csv&campaign=99')"
cat >ledger-in.csv <<'EOF'
问题类别/方面,问题表现,整改措施,责任人,责任单位,完成时限,整改状态
作风建设,下乡调研次数偏少，全年不足4次,每季度下乡调研不少于2次,王建国,产业发展股,2024-09-30,整改中
作风建设,会议多文件长，一次会议平均2小时,推行短会短文,没有这个人,新成立的督查股,长期坚持,未启动
作风建设,档案归档不及时,建立月度归档制度,李华,计划财务股,下个月,整改中
EOF
for u in observer leader handler; do
	expect "$u uploads a ledger" 403 "$(post $u /tasks/import -F 'file=@ledger-in.csv;type=text/csv')"
	expect "$u import page" 403 "$(get $u /tasks/import)"
done
expect "admin uploads without CSRF" 403 \
	"$(curl -s -o body -w '%{http_code}' -b jar.admin -F 'file=@ledger-in.csv' "$BASE/tasks/import")"
ls tmp | grep -q . && fail "an upload refused left files: $(ls tmp)"

# ---- the import: upload, preview, confirm ----------------------------------------------
expect "admin import page" 200 "$(get admin /tasks/import)"
grep -q 'type="file"' body || fail "no upload form"
expect "upload" 303 "$(curl -s -D hdr -o body -w '%{http_code}' -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" \
	-F 'file=@ledger-in.csv;type=text/csv' "$BASE/tasks/import")"
preview=$(header location)
case $preview in /tasks/import\?stage=*) ;; *) fail "upload went to $preview" ;; esac
expect "preview" 200 "$(get admin "$preview")"
for s in 各列的识别结果 责任人 完成时限 新成立的督查股 没有这个人 无法识别的行 '整改时限“下个月”无法识别' 下乡调研次数偏少 '确认导入 2 项'; do
	grep -q "$s" body || fail "the preview does not show $s"
done
stage=$(sed -n 's/.*name="stage" value="\([0-9a-f]*\)".*/\1/p' body)
plan=$(sed -n 's/.*name="plan" value="\([0-9a-f]*\)".*/\1/p' body)
[ -n "$stage" ] && [ -n "$plan" ] || fail "no confirmation form"
expect "observer previews" 403 "$(get observer "$preview")"
get admin /api/v1/tasks >/dev/null
n0=$(sed -n 's/^{"total":\([0-9]*\),.*/\1/p' body)
expect "confirm without skipping" 400 "$(post admin /tasks/import/confirm -d stage=$stage -d plan=$plan)"
grep -q '有 1 行无法识别' body || fail "why not: $(grep -o 'flash err[^<]*' body)"
expect "confirm a stale plan" 409 "$(post admin /tasks/import/confirm -d stage=$stage -d plan=00 -d skip_bad=1)"
expect "confirm without CSRF" 403 \
	"$(curl -s -o body -w '%{http_code}' -b jar.admin -d stage=$stage -d plan=$plan -d skip_bad=1 "$BASE/tasks/import/confirm")"
get admin /api/v1/tasks >/dev/null
grep -q "\"total\":$n0," body || fail "a refused confirmation wrote tasks"
expect "confirm" 303 "$(post admin /tasks/import/confirm -d stage=$stage -d plan=$plan -d skip_bad=1)"
get admin /api/v1/tasks >/dev/null
grep -q "\"total\":$((n0 + 2))," body || fail "the import did not add 2 tasks: $(head -c 100 body)"
expect "the task" 200 "$(get admin '/api/v1/tasks?q=%E4%B8%8B%E4%B9%A1%E8%B0%83%E7%A0%94%E6%AC%A1%E6%95%B0%E5%81%8F%E5%B0%91')"
grep -q '"leader":"王建国","leader_text":null,"leader_id":[1-9][0-9]*,' body || fail "the leader was not matched: $(cat body)"
expect "again" 404 "$(post admin /tasks/import/confirm -d stage=$stage -d plan=$plan -d skip_bad=1)"
"$RECTIFY" --db "$LEDGER" unit list | grep -q 新成立的督查股 || fail "the new unit was not created"
"$RECTIFY" --db "$LEDGER" verify >/dev/null || fail "verify after the import"

# ---- downloads at once: each whole ---------------------------------------------------
expect "reference" 200 "$(dl observer '/export/ledger?format=csv' ref.csv)"
pids=""
for k in 1 2 3 4 5 6; do
	curl -s -o "par.$k" -b jar.observer "$BASE/export/ledger?format=csv" &
	pids="$pids $!"
done
for k in 1 2 3; do expect "a page meanwhile" 200 "$(get observer /tasks)"; done
# shellcheck disable=SC2086
wait $pids
for k in 1 2 3 4 5 6; do
	cmp -s ref.csv "par.$k" || fail "parallel download $k differs"
done
ls tmp | grep -q . && fail "exports left files behind: $(ls tmp)"
stop_server

# ---- bounds: a server whose exports may take in 2000 bytes ------------------------------
fresh_ledger
export RECTIFY_EXPORT=60,2000
start_server
login admin
expect "too big" 413 "$(get admin '/api/v1/export?format=xlsx')"
grep -q '"error":"too_large"' body || fail "413 as JSON: $(cat body)"
grep -q '上限' body || fail "the bound in words: $(cat body)"
expect "too big, page" 413 "$(get admin '/export/report?format=docx')"
grep -q '上限' body || fail "the page says why: $(head -c 300 body)"
ls tmp | grep -q . && fail "a refused export left files: $(ls tmp)"
stop_server
