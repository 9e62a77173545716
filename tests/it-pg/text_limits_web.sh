#!/bin/sh
# The text bounds of the store (src/store.h, STORE_*_MAX; docs/LIMITS.md)
# on the web: every field is sized so that it cannot be typed past its
# bound (maxlength = bytes / 3: a UTF-16 code unit is at most three bytes of
# UTF-8); a text of exactly the bound sent anyway is taken, one byte more is
# refused (400) with the store's refusal in Chinese, naming the bound.  A
# reason where one is needed is the store's rule too.
# The demo's tasks: see web_perm.sh.  Task 9 is led by `leader`, due
# 2024-12-31, not started; task 3 is submitted.
. "$TOP/tests/it/lib/web.sh"
start_server
for u in admin leader reviewer; do login "$u"; done

# text N: N bytes of UTF-8, as many 字 as fit, then x.
text() {
	awk -v n="$1" 'BEGIN { for (i = 0; i + 3 <= n; i += 3) printf "字"; for (; i < n; i++) printf "x" }'
}
for n in 200 201 5000 5001 20000 20001; do text $n >t$n.txt; done
[ "$(wc -c <t5001.txt)" -eq 5001 ] || fail "text 5001"
version() {
	get "$1" "/api/v1/tasks/$2" >/dev/null
	sed -n 's/^{"id":[0-9]*,"seq":[0-9]*,"version":\([0-9]*\).*/\1/p' body
}
# field PATTERN: the page in ./body has a field matching PATTERN (grep -E)
field() {
	grep -q -E "$1" body || fail "no field like $1 on the page"
}

# The fields: 20000 bytes -> 6666, 5000 -> 1666, 200 -> 66.
expect "task 9 as its leader" 200 "$(get leader /tasks/9)"
field '<textarea name="text" required maxlength="6666"'
field '<textarea name="reason" required maxlength="1666"'
expect "task 9 as the office" 200 "$(get admin /tasks/9)"
field '<textarea id="goal" name="goal" rows="2" maxlength="6666"'
expect "task 3 as a reviewer" 200 "$(get reviewer /tasks/3)"
field '<textarea name="reason" required maxlength="1666"'
field '<textarea name="reason" maxlength="1666"'
grep -q 'maxlength="20000"\|maxlength="4000"' body && fail "a field sized past its bound"
expect "the ledger" 200 "$(get admin /tasks)"
field '<input type="search" name="q"[^>]* maxlength="66"'
expect "the admin page" 200 "$(get admin /admin)"
field 'name="name" required maxlength="66"'
field 'name="title" required maxlength="166"'

# A progress entry: 20000 bytes.
v=$(version leader 9)
expect "progress past the bound" 400 \
	"$(post leader /tasks/9/progress -F version=$v -F 'text=<t20001.txt' -F files=@t200.txt)"
grep -q '请填写进展情况，不超过 20000 字节（一个汉字占 3 字节）' body || fail "progress refusal: $(grep -o 'flash err[^<]*<' body)"
[ "$(version leader 9)" = "$v" ] || fail "a refused progress entry changed task 9"
expect "progress at the bound" 303 \
	"$(post leader /tasks/9/progress -F version=$v -F 'text=<t20000.txt' -F files=@t200.txt)"
# A goal: 20000 bytes.
v=$(version admin 9)
expect "goal past the bound" 400 "$(post admin /tasks/9/assign -d version=$v --data-urlencode goal@t20001.txt)"
grep -q '整改目标过长，不能超过 20000 字节' body || fail "goal refusal: $(grep -o 'flash err[^<]*<' body)"
expect "goal at the bound" 303 "$(post admin /tasks/9/assign -d version=$v --data-urlencode goal@t20000.txt)"
# A reason: 5000 bytes, and none is the store's rule W10.
v=$(version leader 9)
expect "no reason" 400 "$(post leader /tasks/9/extend -d version=$v -d to=2025-03-31)"
grep -q '请填写延期理由，不超过 5000 字节' body || fail "no reason: $(grep -o 'flash err[^<]*<' body)"
expect "a reason past the bound" 400 \
	"$(post leader /tasks/9/extend -d version=$v -d to=2025-03-31 --data-urlencode reason@t5001.txt)"
grep -q '请填写延期理由，不超过 5000 字节' body || fail "long reason: $(grep -o 'flash err[^<]*<' body)"
expect "a reason at the bound" 303 \
	"$(post leader /tasks/9/extend -d version=$v -d to=2025-03-31 --data-urlencode reason@t5000.txt)"
# 退回 through the API: rule W8, coded.
expect "a return without a reason" 400 "$(postj reviewer /api/v1/tasks/3/return '{}')"
grep -q '"code":"W8-reason"' body || fail "W8 code: $(cat body)"
grep -q '退回和重新打开都要填写理由，不超过 5000 字节' body || fail "W8 message: $(cat body)"
v=$(version reviewer 3)
expect "a return past the bound" 400 \
	"$(post reviewer /tasks/3/return -d version=$v --data-urlencode reason@t5001.txt)"
grep -q '退回和重新打开都要填写理由，不超过 5000 字节' body || fail "W8 page: $(grep -o 'flash err[^<]*<' body)"
expect "a return at the bound" 303 \
	"$(post reviewer /tasks/3/return -d version=$v --data-urlencode reason@t5000.txt)"
# The search text: 200 bytes.
expect "a search past the bound" 400 "$(get admin "/tasks?q=$(sed 's/字/%E5%AD%97/g' t201.txt)")"
grep -q '搜索文字不能超过 200 字节' body || fail "search refusal: $(grep -o 'flash err[^<]*<' body)"
expect "a search at the bound" 200 "$(get admin "/tasks?q=$(sed 's/字/%E5%AD%97/g' t200.txt)")"
# A unit's name: 200 bytes.
expect "a unit name past the bound" 400 "$(post admin /admin/units --data-urlencode name@t201.txt)"
grep -q '请填写单位名称，不超过 200 字节' body || fail "unit name refusal: $(grep -o 'flash err[^<]*<' body)"
expect "a unit name at the bound" 303 "$(post admin /admin/units --data-urlencode name@t200.txt)"
