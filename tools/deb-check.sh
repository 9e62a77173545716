#!/bin/sh
# The package's checks: usage deb-check.sh FILE.deb
#   - lintian: no error, and no warning but those listed in
#     debian/lintian-kept (with the reason there);
#   - tests/it/deb_install.sh: install into a copy-on-write root, the
#     units through systemd-analyze verify and security, the service run
#     from its unit, upgrade, backup, restore (as root: it mounts);
#   - a package of another architecture (ARCH=arm64) instead:
#     tests/it/deb_foreign.sh in the cross-build root.
set -eu
deb=$1
[ -f "$deb" ] || { echo "deb-check: no $deb; make deb first" >&2; exit 1; }
start=$(date +%s)
out=$(mktemp)
lintian --fail-on none "$deb" >"$out" 2>&1 || true
# running as root is this machine's way; lintian warns about that only.
grep -v 'running with root privileges' "$out" >"$out.f" || true
kept=$(sed -n 's/^\([a-z0-9][a-z0-9-]*\).*/\1/p' debian/lintian-kept | tr '\n' '|')
bad=$(grep -E '^[EW]: ' "$out.f" || true)
[ -z "$kept" ] || bad=$(printf '%s\n' "$bad" | grep -v -E ": (${kept%|})( |$)" || true)
echo "lintian: $(grep -c '^E: ' "$out.f" || true) errors, $(grep -c '^W: ' "$out.f" || true) warnings, $(grep -c '^[IN]: ' "$out.f" || true) notes"
sed 's/^/  /' "$out.f"
rm -f "$out" "$out.f"
if [ -n "$bad" ]; then
	echo "deb-check: lintian findings not accepted in debian/lintian-kept:" >&2
	echo "$bad" >&2
	exit 1
fi
st=0
arch=$(dpkg-deb -f "$deb" Architecture)
if [ "$arch" != all ] && [ "$arch" != "$(dpkg --print-architecture)" ]; then
	# Another architecture's (make deb-check ARCH=arm64): not installed
	# here, but checked in the cross-build root.
	tools/cross-root.sh env DEB="$deb" sh tests/it/deb_foreign.sh || exit 1
	echo "deb-check: the installation test is for a machine of its architecture ($arch): skipped"
	echo "deb-check: ok in $(($(date +%s) - start)) s"
	exit 0
fi
DEB=$deb sh tests/it/deb_install.sh || st=$?
case $st in
0) echo "deb-check: ok in $(($(date +%s) - start)) s" ;;
77) echo "deb-check: lintian ok; the installation test was skipped (above)" ;;
*) exit 1 ;;
esac
