#!/bin/sh
# The package built for another architecture (make deb-check ARCH=arm64):
# DEB=build/deb/rectify_VERSION_arm64.deb, checked in the cross-build root,
# where that architecture's libraries are installed through multiarch
# (tools/deb-check.sh runs it there with tools/cross-root.sh).
#
# It checks that apt would install the package here with nothing removed
# (its Depends exist for that architecture), and that the packaged binary,
# unpacked, runs under qemu-user with the libraries it depends on: rectify
# version, and rectify parse of a report in traditional characters (OpenCC)
# and of a PDF (poppler-glib) -- the two libraries loaded when first needed,
# whose dependencies debian/rules names by hand.  Installing it for real
# (maintainer scripts, the service) is deb_install.sh's, on a machine of
# that architecture.
set -eu
: "${DEB:?DEB=path/to/rectify_VERSION_ARCH.deb}"
if [ ! -e /etc/rectify-cross-root ]; then
	echo "deb_foreign: it runs in the cross-build root: make deb-check ARCH=arm64" >&2
	exit 2
fi
DEB=$(readlink -f "$DEB")
arch=$(dpkg-deb -f "$DEB" Architecture)
version=$(dpkg-deb -f "$DEB" Version)
case $arch in
arm64) run=qemu-aarch64 ;;
*) echo "deb_foreign: no emulator named for $arch" >&2; exit 1 ;;
esac
top=$(pwd)
work=$(mktemp -d /tmp/rectify-foreign.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
step() { echo "== $*"; }
# has FILE TEXT: FILE holds the line TEXT.
has() { grep -q -x -F -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks the line: $2"; }; }
# rect ARGS: the packaged rectify, in $work: succeeds, says nothing on
# standard error; its output in $work/out.
rect() {
	# shellcheck disable=SC2086
	$R "$@" >"$work/out" 2>"$work/err" || {
		st=$?
		cat "$work/err" >&2
		fail "rectify $* exits with $st"
	}
	[ ! -s "$work/err" ] || { cat "$work/err" >&2; fail "rectify $* writes on standard error"; }
}

step "apt-get -s install $(basename "$DEB")"
apt-get -s install "$DEB" >"$work/apt.out" 2>&1 || {
	cat "$work/apt.out" >&2
	fail "apt cannot install the package"
}
has "$work/apt.out" "Inst rectify:$arch ($version local-deb [$arch])"
if grep '^Remv ' "$work/apt.out"; then fail "installing it would remove the packages above"; fi

dpkg-deb -x "$DEB" "$work/pkg"
R="$run $work/pkg/usr/bin/rectify"
file -L "$work/pkg/usr/bin/rectify" | tee "$work/file.out"
case $arch in arm64) grep -q 'ARM aarch64' "$work/file.out" || fail "not an aarch64 binary" ;; esac

step "rectify version"
rect version
has "$work/out" "rectify ${version%%-*}"

step "rectify parse, traditional characters (OpenCC)"
cd "$work"
rect parse "$top/tests/data/hant/team-hant.txt"
has "$work/out" "某區發展和改革局領導班子2023年度專題民主生活會對照檢查材料"
has "$work/out" "  text, UTF-8, 2464 bytes; kind team, year 2023"
has "$work/out" "一、對照檢查找出的問題  <problems>  [5]"

step "rectify parse, PDF (poppler-glib)"
# One page, one line of text; poppler rebuilds the missing cross-reference
# table, as it would for a damaged file.
content="BT /F1 12 Tf 72 720 Td (Report 2023) Tj ET"
{
	printf '%%PDF-1.4\n'
	printf '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n'
	printf '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n'
	printf '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R'
	printf ' /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n'
	printf '4 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n' "${#content}" "$content"
	printf '5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n'
	printf 'trailer\n<< /Root 1 0 R /Size 6 >>\n%%%%EOF\n'
} >one.pdf
rect parse one.pdf
has "$work/out" "Report 2023"
has "$work/out" "  pdf, UTF-8, 12 bytes; kind unknown"
echo "deb_foreign: ok"
