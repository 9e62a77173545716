#!/bin/sh
# Run each unit-test binary in DIR; print one line per binary and fail if
# any fails.  Usage: run-tests.sh DIR TEST...  $RUN (qemu-aarch64 ...) runs
# binaries of another architecture.
set -u
dir=$1; shift
fail=0
for t in "$@"; do
	# shellcheck disable=SC2086
	out=$(${RUN:-} "$dir/$t" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		n=$(printf '%s\n' "$out" | grep -c '^\[       OK \]')
		sk=$(printf '%s\n' "$out" | grep '^\[  SKIPPED \] [A-Za-z0-9_]*$' | sort -u | wc -l)
		if [ "$sk" -gt 0 ]; then # say which, and why (what the test printed)
			printf '%s\n' "$out" | awk '/^\[ RUN/ { said = "" } /^\[  SKIPPED \] [A-Za-z0-9_]*$/ && !seen[$0]++ { printf "%s%s\n", said, $0 } !/^\[/ { said = said $0 "\n" }'
			printf '  ok    %-28s %s tests, %s skipped\n' "$dir/$t" "$n" "$sk"
		else
			printf '  ok    %-28s %s tests\n' "$dir/$t" "$n"
		fi
	else
		printf '%s\n' "$out"
		printf '  FAIL  %s (exit %s)\n' "$dir/$t" "$rc"
		fail=1
	fi
done
exit $fail
