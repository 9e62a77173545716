#!/bin/sh
# A throwaway PostgreSQL cluster for the tests, in a directory of its own.
#   tools/pg-cluster.sh start DIR    initdb into DIR, start it on a Unix
#                                    socket in DIR (no TCP), print its URL
#                                    (database "rectify", user "rectify")
#   tools/pg-cluster.sh db DIR NAME  a new empty database NAME; print its URL
#   tools/pg-cluster.sh restart DIR  stop it at once (as a crash or a
#                                    failover would) and start it again
#   tools/pg-cluster.sh stop DIR     stop it and remove DIR
# The server runs as the calling user, or as "postgres" (then "nobody")
# when called as root, which PostgreSQL refuses to run as.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
	echo "pg-cluster: PostgreSQL's server is not installed (package postgresql)" >&2
	exit 1
fi
cmd=${1:?start, db or stop}
cd / # the server user may not enter the caller's directory
dir=${2:?directory}
port=55432
as() {
	if [ "$(id -u)" = 0 ]; then
		u=postgres
		id postgres >/dev/null 2>&1 || u=nobody
		setpriv --reuid="$u" --regid="$(id -g "$u")" --clear-groups -- "$@"
	else
		"$@"
	fi
}
url() {
	echo "postgresql:///$1?host=$dir&port=$port&user=rectify"
}
case $cmd in
start)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		u=postgres
		id postgres >/dev/null 2>&1 || u=nobody
		chown "$u" "$dir"
	fi
	as "$bin/initdb" -D "$dir/data" -U rectify -A trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
		"-k $dir -p $port -c listen_addresses= -c fsync=off -c max_connections=200" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	as "$bin/createdb" -h "$dir" -p "$port" -U rectify rectify
	url rectify
	;;
db)
	name=${3:?name}
	as "$bin/createdb" -h "$dir" -p "$port" -U rectify "$name"
	url "$name"
	;;
restart)
	as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
		"-k $dir -p $port -c listen_addresses= -c fsync=off -c max_connections=200" \
		start >/dev/null
	;;
stop)
	[ -d "$dir/data" ] && as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "pg-cluster: start, db, restart or stop" >&2
	exit 2
	;;
esac
