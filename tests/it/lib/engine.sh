# The engine an integration script's ledger lives on (sourced by cli.sh and
# web.sh, not run).  SQLite by default; on PostgreSQL (make it-pg, which sets
# $RECTIFY_PG_CLUSTER) the ledger is a new database of that cluster, named
# after the script, given as RECTIFY_DB.
#   LEDGER            the script's ledger: that URL on PostgreSQL, else the
#                     file the sourcing library names (LEDGER_FILE)
#   sql QUERY         run QUERY on $LEDGER, whichever the engine; rows as
#                     sqlite3 prints them (columns joined by '|')
#   sqlite_only WHY   true on SQLite; on PostgreSQL prints
#                     "skip on PostgreSQL: WHY" and is false
unset RECTIFY_DB
if [ -n "${RECTIFY_PG_CLUSTER:-}" ]; then
	RECTIFY_DB=$("$TOP/tools/pg-cluster.sh" db "$RECTIFY_PG_CLUSTER" "$(basename "$0" .sh)_$$")
	export RECTIFY_DB
	LEDGER=$RECTIFY_DB
else
	LEDGER=$LEDGER_FILE
fi

sql() {
	if [ -n "${RECTIFY_PG_CLUSTER:-}" ]; then
		command -v psql >/dev/null 2>&1 ||
			fail "psql is needed on PostgreSQL (package postgresql-client)"
		printf '%s\n' "$1" | psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$LEDGER" -f - ||
			fail "psql: $1"
	else
		command -v sqlite3 >/dev/null 2>&1 || fail "sqlite3 is needed (tools/deps.sh check)"
		sqlite3 "$LEDGER" "$1" || fail "sqlite3: $1"
	fi
}

sqlite_only() {
	[ -z "${RECTIFY_PG_CLUSTER:-}" ] && return 0
	echo "skip on PostgreSQL: $1"
	return 1
}

# new_ledger NAME: where a new, empty ledger goes: the file NAME on SQLite,
# a new database of the cluster on PostgreSQL (named after NAME too).
new_ledger() {
	if [ -n "${RECTIFY_PG_CLUSTER:-}" ]; then
		"$TOP/tools/pg-cluster.sh" db "$RECTIFY_PG_CLUSTER" \
			"$(basename "$0" .sh)_$$_$(basename "$1" | tr -c 'a-z0-9\n' _)"
	else
		echo "$1"
	fi
}

# fresh_ledger: start again on an empty ledger: the file removed on SQLite,
# a new database of the cluster on PostgreSQL.
fresh_ledger() {
	if [ -n "${RECTIFY_PG_CLUSTER:-}" ]; then
		LEDGER_N=$((${LEDGER_N:-0} + 1))
		LEDGER=$(new_ledger "fresh$LEDGER_N")
		RECTIFY_DB=$LEDGER
	else
		rm -f "$LEDGER" "$LEDGER-wal" "$LEDGER-shm"
	fi
}

# ledger_digest: a digest of everything the ledger holds: the file's bytes
# on SQLite, a dump of every table and sequence on PostgreSQL.
ledger_digest() {
	if [ -n "${RECTIFY_PG_CLUSTER:-}" ]; then
		# (less the random key of pg_dump's \restrict lines)
		pg_dump --no-owner -d "$LEDGER" | grep -v '^\\\(un\)\{0,1\}restrict ' |
			sha256sum | cut -d' ' -f1
	else
		sha256sum "$LEDGER" | cut -d' ' -f1
	fi
}

# copy_ledger NAME: a copy of the ledger as it is, where new_ledger NAME
# says (on PostgreSQL, a database made with the ledger's as its template).
copy_ledger() {
	if [ -n "${RECTIFY_PG_CLUSTER:-}" ]; then
		from=${LEDGER#postgresql:///}
		from=${from%%\?*}
		to="$(basename "$0" .sh)_$$_$(echo "$1" | tr -c 'a-z0-9\n' _)"
		psql -X -q -d "postgresql:///postgres?${LEDGER#*\?}" \
			-c "CREATE DATABASE \"$to\" TEMPLATE \"$from\"" || fail "copying $LEDGER"
		echo "postgresql:///$to?${LEDGER#*\?}"
	else
		cp "$LEDGER" "$1"
		echo "$1"
	fi
}

# ledger_made: whether the ledger was made: the file exists on SQLite, the
# database holds tables on PostgreSQL.
ledger_made() {
	if [ -n "${RECTIFY_PG_CLUSTER:-}" ]; then
		[ "$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")" != 0 ]
	else
		[ -e "$LEDGER" ]
	fi
}
