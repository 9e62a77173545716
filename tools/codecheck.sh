#!/bin/sh
# Source checks that the compiler cannot make, in the spirit of Fossil's
# codecheck1: the dangerous primitives may appear only in their one home.
#   - raw HTML output (html_raw_)        only in src/web_html.c and src/web.h
#   - MHD_create_response_*              only in src/web_server.c
#   - sqlite3_prepare*                   only in the store module, src/store_*.c
#   - sqlite3_step                       only in the statement layer, src/store_stmt.c,
#                                        where every result is checked
#   - any sqlite3_ or SQLITE_ name in the store
#                                        only in its statement layer,
#                                        src/store_stmt.c, and its handle,
#                                        src/store_db.c: the rest of the store
#                                        speaks to the engine through them
#   - BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE by sqlite3_exec
#                                        only in src/store_stmt.c (a commit
#                                        refuses while a failure is pending)
#   - SQL text built with printf         nowhere
#   - a refusal code (STORE_E_*) left out of STORE_REFUSALS
set -u
fail=0
check() { # PATTERN ALLOWED-REGEX WHAT
	hits=$(grep -n -E "$1" src/*.c src/*.h 2>/dev/null | grep -v -E "^($2):" || true)
	if [ -n "$hits" ]; then
		echo "codecheck: $3 outside its home:"
		echo "$hits"
		fail=1
	fi
}
check 'html_raw_' 'src/web_html.c|src/web.h' 'raw HTML output'
check 'MHD_create_response_' 'src/web_server.c' 'MHD_create_response_*'
check 'sqlite3_prepare' 'src/store_[a-z_]*\.c' 'sqlite3_prepare*'
check 'sqlite3_step *\(' 'src/store_stmt\.c' 'sqlite3_step'
hits=$(grep -n -E 'sqlite3_|SQLITE_' src/store_*.c | grep -v -E '^src/store_(stmt|db)\.c:' || true)
if [ -n "$hits" ]; then
	echo "codecheck: the SQLite API in the store outside its statement layer (store_stmt.c, store_db.c):"
	echo "$hits"
	fail=1
fi
check 'sqlite3_exec\([^"]*"[[:space:]]*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)' 'src/store_stmt\.c' \
	'transaction control by sqlite3_exec'
hits=$(grep -n -E '(printf|asprintf)\([^;]*"(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|WITH) |sqlite3_(v|str_)?mprintf' src/*.c || true)
if [ -n "$hits" ]; then
	echo "codecheck: SQL built with printf:"
	echo "$hits"
	fail=1
fi
# Every refusal code is in STORE_REFUSALS, the list the tables are checked against.
for code in $(sed -n -E 's/^#define (STORE_E_[A-Z0-9_]+) ".*/\1/p' src/store.h); do
	if ! grep -q -E "^[[:space:]]X\($code\)" src/store.h; then
		echo "codecheck: $code is missing from STORE_REFUSALS in src/store.h"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "  ok    codecheck"
exit $fail
