#!/bin/sh
# rectify serve --config: a file with an error is refused naming its line;
# X-Forwarded-For counts for the login throttle only from a trusted proxy;
# SIGHUP applies trusted_proxies, keeps the running configuration when the
# file is broken and says which changes wait for a restart; SIGTERM stops
# cleanly.  rectify backup into the configured directory keeps N verified
# copies.
set -eu
R=$RECTIFY
fail() {
	echo "FAIL: $*" >&2
	[ -f server.err ] && tail -n 20 server.err >&2
	exit 1
}
expect() { [ "$2" = "$3" ] || fail "$1: expected $2, got $3"; }
# The ledger: ./ledger.db, or a database on PostgreSQL (lib/engine.sh); the
# backups are SQLite files on both.
LEDGER_FILE=$PWD/ledger.db
. "$TOP/tests/it/lib/engine.sh"
unset RECTIFY_DB # the configuration names it
wait_for() { # FILE PATTERN
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "no '$2' in $1"
		sleep 0.1
	done
}

# A bad file: exit 2 and the line.
printf '# rectify\nlisten = 127.0.0.1:0\nlisen = 1\n' >bad.conf
set +e
$R --config bad.conf serve 2>err.txt
st=$?
set -e
expect "bad file status" 2 "$st"
grep -q "bad.conf:3: unknown key 'lisen'" err.txt || fail "line named: $(cat err.txt)"

conf() { # TRUSTED [LISTEN]
	cat >rectify.conf <<EOT
# test configuration
listen = ${2:-127.0.0.1:0}
database = $LEDGER
trusted_proxies = $1
backup_directory = $PWD/backups
backup_keep = 2
log_level = warning
EOT
}
conf "127.0.0.1"
$R --config rectify.conf init --admin office --generate-password >init.txt
pw=$(sed -n "s/^the password of 'office' is \([^ ]*\) .*/\1/p" init.txt)
[ ${#pw} -eq 16 ] || fail "generated password: $(cat init.txt)"

export RECTIFY_THROTTLE=50,3,600
$R serve --config rectify.conf >server.out 2>server.err &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
wait_for server.out 'serving .* on http://127.0.0.1:[0-9]'
BASE=$(grep -o 'http://127.0.0.1:[0-9]*' server.out | tail -n 1)
try() { # LOGIN PASSWORD [X-FORWARDED-FOR]
	if [ -n "${3:-}" ]; then set -- "$1" "$2" -H "X-Forwarded-For: $3"; else set -- "$1" "$2"; fi
	l=$1 p=$2
	shift 2
	curl -s -o body -w '%{http_code}' -H 'Content-Type: application/json' "$@" \
		-d "{\"login\":\"$l\",\"password\":\"$p\"}" "$BASE/api/v1/login"
}
# From a trusted proxy: the client named in the header is throttled ...
for i in 1 2 3; do expect "bad $i" 401 "$(try nobody$i wrong-password-x 198.51.100.1)"; done
expect "client throttled" 429 "$(try office "$pw" 198.51.100.1)"
# ... and no one else.
expect "other client" 200 "$(try office "$pw" '198.51.100.1, 198.51.100.2')"
expect "the proxy itself" 200 "$(try office "$pw")"

# SIGHUP: no trusted proxy any more; the header is ignored.
conf ""
kill -HUP $PID
wait_for server.err 'SIGHUP: reloaded'
for i in 4 5 6; do expect "bad $i" 401 "$(try nobody$i wrong-password-x 198.51.100.$i)"; done
expect "peer throttled whatever the header" 429 "$(try office "$pw" 198.51.100.9)"

# SIGHUP with an error: refused, the server goes on; a listen change waits.
printf 'listen = nowhere\n' >rectify.conf
kill -HUP $PID
wait_for server.err 'rectify.conf:1: listen = nowhere: the value is not HOST:PORT; the running configuration is kept'
conf "" 127.0.0.1:1
kill -HUP $PID
wait_for server.err 'SIGHUP: listen changed; it takes effect on restart'
kill -0 $PID || fail "the server died on SIGHUP"
expect "still serving" 200 "$(curl -s -o body -w '%{http_code}' "$BASE/login")"

# SIGTERM: a clean stop.
kill -TERM $PID
set +e
wait $PID
st=$?
set -e
trap - EXIT
expect "exit after SIGTERM" 0 "$st"
if grep -q 'AddressSanitizer\|runtime error' server.err; then cat server.err; fail "sanitizer"; fi

# Backups: verified, kept 2, a tagged one out of the count.
for i in 1 2 3; do $R --config rectify.conf backup >>backup.txt; done
grep -q 'verified' backup.txt || fail "backup verified: $(cat backup.txt)"
expect "kept" 2 "$(ls backups | grep -c '^rectify-[0-9-]*\.db$')"
grep -q 'deleted .*(keeping 2)' backup.txt || fail "pruned: $(cat backup.txt)"
$R --config rectify.conf backup --tag pre-upgrade >/dev/null
$R --config rectify.conf backup >/dev/null
ls backups | grep -q -- '-pre-upgrade\.db$' || fail "tagged copy"
expect "kept with a tagged one" 3 "$(ls backups | wc -l)"
# A damaged copy is not restored.
last=$(ls backups/rectify-*.db | grep -v pre-upgrade | tail -n 1)
cp "$last" broken.db
head -c 8192 /dev/zero | tr '\0' 'x' | dd of=broken.db bs=4096 seek=1 conv=notrunc 2>/dev/null
set +e
$R --config rectify.conf restore broken.db 2>err.txt
st=$?
set -e
[ $st -ne 0 ] || fail "a damaged copy was restored"
$R --config rectify.conf restore "$last" >out.txt
grep -q restored out.txt || fail "restore: $(cat out.txt)"
echo "serve_config: ok"
