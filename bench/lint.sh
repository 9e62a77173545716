#!/bin/sh
# bench/lint.sh -- how fast the report lint is.
#
#  1. lint / parse: the time of `rectify lint --json` over the time of
#     `rectify parse --json` on the parse corpus (goal: at most 3): the one
#     bench/parse.sh keeps in build/bench/corpus when it is there, else 24 MB
#     from `rectify test-corpus`; where that command is missing, this script
#     writes reports of 0.1, 1, 4 and 15 MB (all under the 16 MiB bound), in
#     groups of problems, causes and measures with 20 areas each, their items
#     put together from phrase banks (so clauses repeat as they do in real
#     reports, but not all).  BENCH_OWN_CORPUS=1 forces those.
#  2. priors: the time to check one report (data/sample-team.md) against
#     10,000 earlier problem items, as the ledger hands them over (goal:
#     under 100 ms), measured inside the binary by the hidden
#     `rectify test-lint-priors`; the items include lightly reworded copies
#     of the report's own twelve problems, which must all be found.
#
# Each time is the best of three runs, wall-clock and CPU (user + system, of
# all threads); on a shared machine the CPU ratio is the steadier one.
# BENCH_SMOKE=1: one report of 0.1 MB of its own and 1,000 earlier items, to
# see that it still runs.  Usage: bench/lint.sh [RECTIFY-BINARY]
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
R=${1:-${RECTIFY:-build/rectify}}
[ -x "$R" ] || make --no-print-directory build/rectify > /dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# CPU milliseconds (user + system) of this shell's finished children in the
# file that `times` wrote (its second line: "0m1.230000s 0m0.100000s").
# `times` itself must run in this shell, not in a command substitution.
cpu_of() {
	awk 'NR == 2 {
		split($1, u, "m"); split($2, s, "m")
		printf "%.0f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$1"
}

ms() { # run "$@" three times; print the best wall and CPU times in ms
	best=
	bcpu=
	for _ in 1 2 3; do
		times > "$tmp/times0"
		t0=$(date +%s%N)
		"$@" > /dev/null 2>&1 || [ $? -eq 1 ]
		t1=$(date +%s%N)
		times > "$tmp/times1"
		t=$(( (t1 - t0) / 1000000 ))
		c=$(( $(cpu_of "$tmp/times1") - $(cpu_of "$tmp/times0") ))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
		if [ -z "$bcpu" ] || [ "$c" -lt "$bcpu" ]; then bcpu=$c; fi
	done
	echo "$best $bcpu"
}

# Phrase banks and the generator: MODE is "report" (a report of about
# BYTES bytes) or "items" (N problem items, one a line).
gen() { # MODE SIZE SEED
	awk -v mode="$1" -v size="$2" -v seed="$3" '
	function pick(a, n) { return a[int(rand() * n) + 1] }
	function cn(k) { return k <= 10 ? d[k] : k < 20 ? "十" d[k - 10] : k == 20 ? "二十" : k }
	function item() {
		return pick(B, nb) "。" pick(A, na) pick(C, nc) "，" pick(C, nc) "。" \
		       (rand() < 0.6 ? "比如，" (2018 + int(rand() * 6)) "年" \
				sprintf(pick(D, nd), 2 + int(rand() * 30), 1 + int(rand() * 9)) "。" : "")
	}
	function measure() {
		return pick(M, nm) "。" pick(MB, nmb) "，" pick(MB, nmb) \
		       (rand() < 0.7 ? "，" sprintf(pick(MF, nmf), 1 + int(rand() * 12)) : "") "。"
	}
	BEGIN {
		srand(seed)
		split("一 二 三 四 五 六 七 八 九 十", d, " ")
		na = split("班子成员 领导干部 分管领域 局属单位 机关支部 基层站所 业务科室 窗口单位 执法队伍 青年干部 驻村工作队 项目专班", A, " ")
		nb = split("理论学习不够系统 调查研究不够深入 为民服务意识不强 工作作风不够扎实 担当作为不够主动 廉洁自律要求不严 制度执行不够严格 创新意识不强 风险防范不到位 督促检查不够经常 意识形态阵地管理偏松 联系群众不够紧密 统筹谋划能力不足 学用结合不够紧密 斗争本领有待提高 落实责任压得不实", B, " ")
		nc = split("学用结合不紧 满足于传达文件 听汇报多察实情少 遇到难题绕着走 推进节奏偏慢 台账记录不全 整改跟踪不及时 会议多落实少 检查有时走过场 问题清单更新不及时 对政策吃得不透 服务群众办法不多 对苗头性问题提醒不够 考核指标设置偏软 基层负担减得不多 宣传阵地管理偏松", C, " ")
		nd = split("全年专题研讨仅%d次 有%d个项目验收延期 %d件群众诉求超期办理 抽查%d份台账中有%d份不规范 到%d个村调研仅%d次 %d次会议没有形成决议 有%d名干部未完成学时", D, " ")
		nm = split("持续深化理论武装 切实践行群众路线 提振担当作为精气神 从严落实管党治党责任 健全制度执行机制 加强风险隐患排查 改进调查研究方式 强化督促检查", M, " ")
		nmb = split("健全学习制度 建立联系群众台账 完善考核办法 推行清单化管理 开展专项检查 强化结果运用 压实工作责任 加强跟踪问效", MB, " ")
		nmf = split("每月开展%d次集中学习 每季度专题研究不少于%d次 %d月底前完成 全年调研不少于%d次 长期坚持 立行立改", MF, " ")
		if (mode == "items") {
			for (i = 1; i <= size; i++)
				printf "往年材料 问题%d\t%s\n", i, item()
			exit
		}
		print "# 县局领导班子对照检查材料（基准语料）\n"
		print "局领导班子围绕会议主题，逐项对照检视，现将对照检查情况报告如下。\n"
		bytes = 0; g = 0
		while (bytes < size) {
			g++
			s = "## 对照检查找出的问题（第" g "组）\n\n"
			for (a = 1; a <= 20; a++) {
				s = s "（" cn(a) "）在" pick(B, nb) "方面\n\n"
				for (k = 1; k <= 3; k++)
					s = s cn(k) "是" item() "\n\n"
			}
			s = s "## 产生问题的原因分析（第" g "组）\n\n"
			for (k = 1; k <= 5; k++)
				s = s cn(k) "是" pick(B, nb) "。" pick(C, nc) "。\n\n"
			s = s "## 努力方向和整改措施（第" g "组）\n\n"
			for (a = 1; a <= 20; a++)
				s = s "（" cn(a) "）" measure() "\n\n"
			printf "%s", s
			bytes += length(s)
		}
	}'
}

# ---- 1. lint / parse on the corpus ---------------------------------------
# The parse benchmark's corpus when bench/parse.sh has written it, else a
# fresh one from `rectify test-corpus`, else reports written here.
corpus=$tmp/corpus
sizes="0.1 1 4 15"
n_items=9988
if [ -n "${BENCH_SMOKE:-}" ]; then
	BENCH_OWN_CORPUS=1 sizes=0.1 n_items=988
fi
if [ -n "${BENCH_OWN_CORPUS:-}" ]; then
	: # the reports below
elif ls build/bench/corpus/.done-* > /dev/null 2>&1; then
	corpus=build/bench/corpus
	echo "corpus: $corpus (bench/parse.sh)"
elif "$R" test-corpus "$corpus" 24 > /dev/null 2>&1 && ls "$corpus"/report-* > /dev/null 2>&1; then
	echo "corpus: rectify test-corpus $corpus 24"
	corpus_done=1
fi
if [ -z "${corpus_done:-}" ] && [ "$corpus" = "$tmp/corpus" ]; then
	rm -rf "$corpus" && mkdir -p "$corpus"
	# awk's length() counts bytes or characters depending on the locale:
	# force bytes so that 15 MB stays under the 16 MiB bound.
	n=0
	for mb in $sizes; do
		n=$((n + 1))
		LC_ALL=C gen report "$(awk -v m=$mb 'BEGIN { printf "%d", m * 1000000 }')" $n \
			> "$corpus/report-$mb.md"
	done
	echo "corpus: written by bench/lint.sh (reports of $sizes MB)"
fi
total_p=0 total_l=0 cpu_p=0 cpu_l=0
printf '%-24s %10s %9s %9s %9s %9s %6s\n' file bytes parse_ms lint_ms parse_cpu lint_cpu ratio
for f in "$corpus"/report-*; do
	b=$(wc -c < "$f")
	[ "$b" -le 16777216 ] || { echo "$f is over 16 MiB" >&2; exit 1; }
	set -- $(ms "$R" parse --json "$f")
	p=$1 pc=$2
	set -- $(ms "$R" lint --json "$f")
	l=$1 lc=$2
	total_p=$((total_p + p)) total_l=$((total_l + l))
	cpu_p=$((cpu_p + pc)) cpu_l=$((cpu_l + lc))
	printf '%-24s %10s %9s %9s %9s %9s %6s\n' "$(basename "$f")" "$b" "$p" "$l" "$pc" "$lc" \
		"$(awk -v l="$l" -v p="$p" 'BEGIN { printf "%.2f", p ? l / p : 0 }')"
done
ratio=$(awk -v l=$total_l -v p=$total_p 'BEGIN { printf "%.2f", p ? l / p : 0 }')
cratio=$(awk -v l=$cpu_l -v p=$cpu_p 'BEGIN { printf "%.2f", p ? l / p : 0 }')
echo "lint/parse time ratio on the corpus: $ratio wall-clock, $cratio CPU (goal: at most 3)"

# ---- 2. one report against 10,000 earlier problem items ----------------------
LC_ALL=C gen items $n_items 42 > "$tmp/items.tsv"
# The report's own problems, lightly reworded, among them: 12 must be found.
"$R" parse --json "$top/data/sample-team.md" > /dev/null
sed -e 's/不够/不足/g; s/班子成员/领导班子成员/g; s/比如/例如/g; s/不强/较弱/g' \
	"$top/data/sample-team.md" > "$tmp/old.md"
LC_ALL=C awk '/^(一|二|三)是/ { n++; if (n <= 12) printf "去年材料 问题%d\t%s\n", n, substr($0, 7) }' \
	"$tmp/old.md" >> "$tmp/items.tsv"
out=$("$R" test-lint-priors "$top/data/sample-team.md" "$tmp/items.tsv" 5)
echo "$out"
rec=$(echo "$out" | awk '{ print $4 }')
found=$(echo "$out" | awk '{ print $8 }')
echo "one report against $(wc -l < "$tmp/items.tsv") earlier problem items: ${rec} ms (goal: under 100 ms); $found of 12 recurrences found"
