#!/bin/sh
# Run the integration scripts tests/it/*.sh, each in a fresh temporary
# directory, with $RECTIFY pointing at the binary under test and $TOP at the
# checkout.  The package's tests (deb_*.sh) are make deb-check's.
set -u
dir=$1
top=$(pwd)
fail=0
for t in "$dir"/*.sh; do
	[ -e "$t" ] || continue
	case $t in */deb_*.sh) continue ;; esac # the package's: make deb-check
	tmp=$(mktemp -d)
	if (cd "$tmp" && TOP="$top" sh "$top/$t") >"$tmp.log" 2>&1; then
		printf '  ok    %s\n' "$t"
		# what a script left out, and why, shows with its result
		sed -n 's/^skip/        skip/p' "$tmp.log"
	else
		cat "$tmp.log"
		printf '  FAIL  %s\n' "$t"
		fail=1
	fi
	rm -rf "$tmp" "$tmp.log"
done
exit $fail
