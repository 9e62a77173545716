# Helpers for the web integration tests (sourced, not run): start the demo
# server on a free loopback port with a fresh database, log users in, and
# make requests that print the HTTP status.
set -eu
# The ledger: ./demo.db, or a new database on PostgreSQL (make it-pg); sql
# and sqlite_only reach behind the server (lib/engine.sh).
LEDGER_FILE=$PWD/demo.db
. "$TOP/tests/it/lib/engine.sh"

fail() {
	echo "FAIL: $*" >&2
	[ -f server.err ] && tail -n 20 server.err >&2
	exit 1
}

# start_server [ARGS...]: rectify demo on 127.0.0.1:0 in $LEDGER; sets
# BASE (http://127.0.0.1:PORT) and PID, and stops the server at exit.
start_server() {
	# Remove the last run's output here: the redirection below truncates it
	# only once the background child runs, after the loop may have read it.
	rm -f server.out server.err server.out.demo
	"$RECTIFY" demo --listen 127.0.0.1:0 "$@" "$LEDGER" >server.out 2>server.err &
	PID=$!
	trap stop_server EXIT
	wait_serving
}

# serve_again: `rectify serve` on the same ledger, after stop_server or a
# kill (the demo's passwords stay in server.out.demo); sets BASE and PID.
# The caller's exit trap is left as it is.
serve_again() {
	[ -f server.out.demo ] || cp server.out server.out.demo
	rm -f server.out server.err
	"$RECTIFY" --db "$LEDGER" serve --listen 127.0.0.1:0 >server.out 2>server.err &
	PID=$!
	wait_serving
}

# Until server.out names the address served on: BASE.
wait_serving() {
	i=0
	while ! grep -q 'serving .* on https\{0,1\}://127\.0\.0\.1:[0-9][0-9]*$' server.out 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "the server did not start"
		kill -0 "$PID" 2>/dev/null || fail "the server died"
		sleep 0.1
	done
	BASE=$(grep -o 'https\?://127.0.0.1:[0-9]*' server.out | tail -n 1)
	[ -n "$BASE" ] || fail "no address printed: $(cat server.out)"
}

# Stop with SIGTERM and insist on a clean exit (under ASan: no leaks).
stop_server() {
	trap - EXIT
	if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then
		kill -TERM "$PID"
		set +e
		wait "$PID"
		st=$?
		set -e
		if [ $st -ne 0 ]; then
			tail -n 40 server.err >&2
			echo "FAIL: the server exited with status $st after SIGTERM" >&2
			exit 1
		fi
	fi
	if grep -q 'AddressSanitizer\|runtime error' server.err 2>/dev/null; then
		cat server.err >&2
		echo "FAIL: sanitizer report" >&2
		exit 1
	fi
}

password() {
	f=server.out
	[ -f server.out.demo ] && f=server.out.demo
	awk -v u="$1" '$1 == u { print $2 }' "$f"
}

# login USER: a cookie jar jar.USER and the CSRF token in csrf.USER.
login() {
	curl -s -c "jar.$1" -b "jar.$1" -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"$(password "$1")\"}" "$BASE/api/v1/login" >login.out
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' login.out >"csrf.$1"
	[ -s "csrf.$1" ] || fail "login of $1: $(cat login.out)"
}

# get USER PATH: GET as USER ("-" for nobody); prints the status, body in ./body.
get() {
	if [ "$1" = - ]; then
		curl -s -o body -w '%{http_code}' "$BASE$2"
	else
		curl -s -o body -w '%{http_code}' -b "jar.$1" "$BASE$2"
	fi
}

# post USER PATH [CURL-ARGS...]: POST with the user's CSRF header.
post() {
	u=$1
	p=$2
	shift 2
	curl -s -o body -w '%{http_code}' -b "jar.$u" -c "jar.$u" -H "X-CSRF-Token: $(cat "csrf.$u")" \
		-X POST "$@" "$BASE$p"
}

# postj USER PATH JSON: POST a JSON body with the CSRF header.
postj() {
	post "$1" "$2" -H 'Content-Type: application/json' -d "$3"
}

# expect WHAT WANT GOT
expect() {
	[ "$2" = "$3" ] || fail "$1: expected $2, got $3 ($(head -c 300 body 2>/dev/null))"
}
