#!/bin/sh
# 材料 › 上传 in two steps over HTTP, on the demo (campaign 1, of 2023): the
# upload shows a preview -- the tree, the findings of 材料体检, the campaign
# it will go into -- and makes no task; the confirmation imports into the
# campaign chosen (a new one of the report's own year and title, or an
# existing one).  A confirmation whose digest is not the preview's is
# refused with the preview shown again; another admin cannot see or
# confirm someone else's upload; the upload is kept once.
. "$TOP/tests/it/lib/web.sh"
start_server
for u in admin leader; do login "$u"; done
# A second admin, with a password of our own.
RECTIFY_PASSWORD=second-admin-pass "$RECTIFY" --db "$LEDGER" user add office2 --name 周敏 --role admin \
	>/dev/null || fail "a second admin"
curl -s -c jar.office2 -H 'Content-Type: application/json' \
	-d '{"login":"office2","password":"second-admin-pass"}' "$BASE/api/v1/login" >login.out
sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' login.out >csrf.office2
[ -s csrf.office2 ] || fail "login of office2: $(cat login.out)"
location() { sed -n 's/^[Ll]ocation: *\(.*\)\r$/\1/p' hdr; }
total() {
	get admin /api/v1/tasks >/dev/null
	sed -n 's/.*"total":\([0-9]*\).*/\1/p' body
}
campaigns() { "$RECTIFY" --db "$LEDGER" campaign list; }

cat >r2025.md <<'EOF2'
# 县气象局领导班子2025年度对照检查材料

## 一、存在的问题

（一）在服务基层方面

一是预警信息发布不够及时。比如，汛期有3次短时强降水预警晚于规定时间发出。

二是乡镇气象信息员培训偏少。

## 二、原因分析

一是责任意识不强。二是制度落实不严。

## 三、整改措施

（一）提高预警时效。建立预警发布复核制度，2025年6月底前完成。
EOF2

n0=$(total)
[ -n "$n0" ] || fail "no task total"
# ---- upload: a preview, no task ------------------------------------------------
curl -s -D hdr -o body -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" -F file=@r2025.md "$BASE/reports"
grep -q '^HTTP/1.1 303' hdr || fail "upload: $(head -n 1 hdr) $(head -c 300 body)"
preview=$(location)
case $preview in /reports/preview\?stage=*) ;; *) fail "upload went to $preview" ;; esac
stage=${preview#*stage=}
expect "the preview" 200 "$(get admin "$preview")"
grep -q '识别出的结构' body || fail "the preview shows the tree"
grep -q '预警信息发布不够及时' body || fail "the first item's lead"
grep -q '乡镇气象信息员培训偏少' body || fail "the second item's lead"
grep -q '材料体检' body || fail "the preview shows the findings"
grep -q 'title="vague-problem"' body || fail "the item without an example is a finding"
grep -q '这份材料是 2025 年的，当前批次是 2023 年的' body || fail "the year differs: say so"
grep -q '<option value="new" selected>新建批次：2025 年 · 县气象局领导班子2025年度对照检查材料</option>' body ||
	fail "a new campaign of the report's year and title is proposed: $(grep -o '<option[^>]*>[^<]*' body)"
grep -q '<option value="1">2023 年 · ' body || fail "the current campaign is offered"
grep -q '确认导入，生成 2 项整改事项' body || fail "the button says what it makes"
plan=$(sed -n 's/.*name="plan" value="\([0-9a-f]*\)".*/\1/p' body)
[ -n "$plan" ] || fail "no digest in the preview"
[ "$(total)" = "$n0" ] || fail "the upload made tasks"
get admin /reports >/dev/null
grep -q '县气象局' body && fail "the upload is listed as a report before the confirmation"
campaigns | grep -q 2025 && fail "the upload opened a campaign"

# ---- someone else's upload ------------------------------------------------------
expect "another admin's preview" 404 "$(get office2 "$preview")"
grep -q '已过期或已导入' body || fail "the 404 says why"
expect "another admin confirms" 404 \
	"$(post office2 /reports/confirm -d stage=$stage -d plan=$plan -d campaign=new)"
expect "a leader confirms" 403 "$(post leader /reports/confirm -d stage=$stage -d plan=$plan -d campaign=new)"
expect "a leader previews" 403 "$(get leader "$preview")"
expect "without CSRF" 403 \
	"$(curl -s -o body -w '%{http_code}' -b jar.admin -d stage=$stage -d plan=$plan -d campaign=new "$BASE/reports/confirm")"
[ "$(total)" = "$n0" ] || fail "a refused confirmation made tasks"

# ---- a stale digest: the new preview instead ------------------------------------
expect "a stale digest" 409 "$(post admin /reports/confirm -d stage=$stage -d plan=00 -d campaign=new)"
grep -q '自预览以来' body || fail "the stale preview says why"
grep -q '识别出的结构' body || fail "the preview is shown again"
grep -q "name=\"plan\" value=\"$plan\"" body || fail "the new preview carries the digest"
expect "no campaign chosen" 400 "$(post admin /reports/confirm -d stage=$stage -d plan=$plan -d campaign=9)"
[ "$(total)" = "$n0" ] || fail "a stale confirmation made tasks"
campaigns | grep -q 2025 && fail "a stale confirmation opened a campaign"

# ---- confirm into a new campaign --------------------------------------------------
curl -s -D hdr -o body -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" -d stage=$stage \
	-d plan=$plan -d campaign=new "$BASE/reports/confirm"
grep -q '^HTTP/1.1 303' hdr || fail "confirm: $(head -n 1 hdr) $(grep -o 'flash err[^<]*<' body)"
case $(location) in /reports/[0-9]*\?ok=imported) ;; *) fail "confirm went to $(location)" ;; esac
expect "the report page" 200 "$(get admin "$(location)")"
grep -q '材料已导入' body || fail "flash after the import"
campaigns >camp.txt
grep -q '^\*2  2025  县气象局领导班子2025年度对照检查材料  (from [0-9-]*; 2 tasks, 2 open)' camp.txt ||
	fail "the new campaign holds the tasks: $(cat camp.txt)"
expect "the same upload again" 404 "$(post admin /reports/confirm -d stage=$stage -d plan=$plan -d campaign=new)"

# ---- a second report of 2025: the current campaign is of its year now; -------------
# ---- the admin chooses campaign 1 instead -------------------------------------------
sed 's/县气象局/县地震局/; s/汛期有3次/上半年有2次/' r2025.md >r2.md
curl -s -D hdr -o body -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" -F file=@r2.md "$BASE/reports"
preview=$(location)
stage=${preview#*stage=}
expect "the second preview" 200 "$(get admin "$preview")"
grep -q '当前批次是' body && fail "no warning when the years agree"
grep -q '<option value="2" selected>2025 年 · 县气象局领导班子2025年度对照检查材料（当前批次）</option>' body ||
	fail "the current campaign of the report's year is the default: $(grep -o '<option[^>]*>[^<]*' body)"
plan=$(sed -n 's/.*name="plan" value="\([0-9a-f]*\)".*/\1/p' body)
expect "confirm into campaign 1" 303 "$(post admin /reports/confirm -d stage=$stage -d plan=$plan -d campaign=1)"
campaigns >camp.txt
grep -q '^\*2  2025 .*(from [0-9-]*; 2 tasks, 2 open)' camp.txt || fail "campaign 2 kept its tasks: $(cat camp.txt)"
"$RECTIFY" --db "$LEDGER" task list --campaign 1 >list.txt
grep -q '预警信息发布不够及时' list.txt || fail "the second report's tasks are in campaign 1"
grep -q "^$((n0 + 2)) tasks" list.txt || fail "campaign 1 has $n0 + 2 tasks: $(tail -n 1 list.txt)"
"$RECTIFY" --db "$LEDGER" verify >/dev/null || fail "verify after the imports"
echo "web_report_import: ok"
