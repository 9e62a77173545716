#!/bin/sh
# The text bounds of the store (src/store.h, STORE_*_MAX; docs/LIMITS.md)
# from the command line: a text of exactly the bound is taken, one byte more
# is refused (exit 2) with the store's message, which names the bound; a
# reason where one is needed is the store's rule, not the command line's.
set -eu
. "$TOP/tests/it/lib/cli.sh"

# text N: N bytes of UTF-8, as many 字 as fit, then x.
text() {
	awk -v n="$1" 'BEGIN { for (i = 0; i + 3 <= n; i += 3) printf "字"; for (; i < n; i++) printf "x" }'
}
[ "$(text 5000 | wc -c)" -eq 5000 ] || fail "text 5000"

run 0 $R init --admin office
# A unit's and a user's name: 200 bytes.
run 2 $R unit add "$(text 201)"
has err.txt "200 bytes"
run 0 $R unit add "$(text 200)"
run 0 $R unit add 甲局一科
run 2 $R user add zhao --name "$(text 201)" --role observer
has err.txt "200 bytes"
run 0 $R user add zhao --name "$(text 200)" --role observer
# A login: 64 characters.
run 2 $R user add "$(printf '%065d' 0)" --name 甲 --role observer
has err.txt "1 to 64 letters"
run 0 $R user add "$(printf '%064d' 0)" --name 甲 --role observer
run 0 $R user add zhang --name 张三 --role leader --unit 甲局一科
run 0 $R user add wang --name 王五 --role reviewer
# A campaign's title: 500 bytes.
run 2 $R campaign new --year 2023 --title "$(text 501)"
has err.txt "500 bytes"
run 0 $R campaign new --year 2023 --title "$(text 500)"
run 0 $R import "$TOP/data/sample-team.md"
run 0 $R task assign 1 --leader zhang --unit 甲局一科

# A progress entry and a goal: 20000 bytes.
printf 'minutes\n' >minutes.txt
run 2 $R task progress 1 --as zhang --text "$(text 20001)" --evidence minutes.txt
has err.txt "1 to 20000 bytes"
run 0 $R task progress 1 --as zhang --text "$(text 20000)" --evidence minutes.txt
run 2 $R task assign 1 --goal "$(text 20001)"
has err.txt "at most 20000 bytes"
run 0 $R task assign 1 --goal "$(text 20000)"

# A reason or note: 5000 bytes; none where one is needed is rule W10 / W8.
run 2 $R task extend 1 --as zhang --to 2025-01-31
has err.txt "rule W10"
has err.txt "5000 bytes"
run 2 $R task extend 1 --as zhang --to 2025-01-31 --reason "$(text 5001)"
has err.txt "5000 bytes"
run 0 $R task extend 1 --as zhang --to 2025-01-31 --reason "$(text 5000)"
run 2 $R task extend 1 --as wang --approve --note "$(text 5001)"
has err.txt "5000 bytes"
run 0 $R task extend 1 --as wang --approve --note "$(text 5000)"
run 2 $R task submit 1 --as zhang --note "$(text 5001)"
has err.txt "5000 bytes"
run 0 $R task submit 1 --as zhang --note "$(text 5000)"
run 2 $R task return 1 --as wang
has err.txt "rule W8"
run 2 $R task return 1 --as wang --reason "$(text 5001)"
has err.txt "rule W8"
has err.txt "5000 bytes"
run 0 $R task return 1 --as wang --reason "$(text 5000)"
run 2 $R task urge 2 --as wang --message "$(text 5001)"
has err.txt "5000 bytes"
run 0 $R task urge 2 --as wang --message "$(text 5000)"

# The search text: 200 bytes.
run 2 $R task list --q "$(text 201)"
has err.txt "200 bytes"
run 0 $R task list --q "$(text 200)" --json
has out.txt '"total":1,'
