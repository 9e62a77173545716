# Shared by the command-line integration scripts (sourced, not run): the
# binary as $R, a fixed password and day, and the checks they all use.
# tools/run-it.sh runs each script in a temporary directory with $RECTIFY
# (the binary under test) and $TOP (the checkout).
R=$RECTIFY
export RECTIFY_PASSWORD=secret-pass RECTIFY_TODAY=2024-03-01
# The ledger: ./rectify.db, or a new database on PostgreSQL (make it-pg);
# sql and sqlite_only reach behind the program (lib/engine.sh).
LEDGER_FILE=rectify.db
. "$TOP/tests/it/lib/engine.sh"

fail() {
	echo "FAIL: $*"
	exit 1
}
# run WANT CMD...: run CMD, expect exit status WANT; output in out.txt/err.txt
run() {
	want=$1
	shift
	set +e
	"$@" >out.txt 2>err.txt
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		cat out.txt err.txt
		fail "'$*' exited $got, want $want"
	fi
}
# has FILE TEXT: FILE contains TEXT
has() {
	grep -F -q -- "$2" "$1" || { cat "$1"; fail "$1 lacks '$2'"; }
}
# lacks FILE TEXT: FILE does not contain TEXT
lacks() {
	if grep -F -q -- "$2" "$1"; then cat "$1"; fail "$1 has '$2'"; fi
}
