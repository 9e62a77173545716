# Two servers on one PostgreSQL ledger (sourced, not run): server A makes
# the demo ledger in the database $RECTIFY_DB of the cluster
# $RECTIFY_PG_CLUSTER (tests/it/lib/cli.sh), server B serves the same
# database.  start_pair sets A and B (their addresses) and PA and PB (their
# processes) and kills both at exit; pw USER is a demo user's password;
# sql QUERY asks the database itself.  Two servers on one SQLite file is
# not the deployment: a script that sources this on SQLite prints a skip
# line and passes.
if [ -z "${RECTIFY_PG_CLUSTER:-}" ]; then
	echo "$(basename "$0" .sh): SKIP: servers share a ledger only on PostgreSQL (make it-pg)"
	exit 0
fi
. "$TOP/tests/it/lib/cli.sh"
export RECTIFY_TODAY=2024-04-24
url=$RECTIFY_DB
PA="" PB=""

sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url" -c "$1"; }
pw() { awk -v u="$1" '$1 == u { print $2 }' a.out; }

kill_pair() {
	for p in $PA $PB; do kill -KILL "$p" 2>/dev/null || true; done
}

# wait_serving FILE PID: until FILE names the address the server serves
# on; prints it.
wait_serving() {
	i=0
	while ! grep -q 'serving .* on http://127\.0\.0\.1:[0-9]*$' "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "a server did not start: $(cat "$1" "$1.err" 2>/dev/null)"
		kill -0 "$2" 2>/dev/null || fail "a server died: $(cat "$1.err")"
		sleep 0.1
	done
	grep -o 'http://127.0.0.1:[0-9]*' "$1" | tail -n 1
}

# serve_b OUT [LISTEN]: server B (again) on the ledger, output in OUT.
serve_b() {
	"$R" --db "$url" serve --listen "${2:-127.0.0.1:0}" >"$1" 2>"$1.err" &
	PB=$!
	B=$(wait_serving "$1" $PB)
}

start_pair() {
	trap kill_pair EXIT
	"$R" demo --listen 127.0.0.1:0 "$url" >a.out 2>a.out.err &
	PA=$!
	A=$(wait_serving a.out $PA)
	serve_b b.out
}

# stop PID OUT: SIGTERM, a clean exit and no sanitizer report in OUT.err.
stop() {
	kill -TERM "$1"
	set +e
	wait "$1"
	st=$?
	set -e
	[ $st -eq 0 ] || { tail -n 30 "$2.err"; fail "server $2 exited $st after SIGTERM"; }
	if grep -q 'AddressSanitizer\|runtime error' "$2.err"; then
		cat "$2.err"
		fail "sanitizer report from server $2"
	fi
}

stop_pair() {
	stop "$PA" a.out
	stop "$PB" "$1"
	PA="" PB=""
}
