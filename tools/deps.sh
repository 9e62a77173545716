#!/bin/sh
# Install the Debian packages rectify needs, when any is missing.
#   tools/deps.sh build   what `make` needs: compiler, pkg-config, libraries
#   tools/deps.sh check   that, plus what the tests need (cmocka, clang for
#                         the fuzzers, curl, sqlite3, Node.js, npm, Chromium,
#                         LibreOffice and poppler for the office-format tests,
#                         PostgreSQL's server and client (psql, pg_dump)
#                         for the tests on PostgreSQL)
#   tools/deps.sh bench   that, plus wrk and OpenCC's command-line tool (the
#                         parse benchmark's report in traditional characters)
#   tools/deps.sh deb     build, plus Debian's packaging tools (make deb)
#   tools/deps.sh cross   what the arm64 build needs on this machine:
#                         debootstrap, to make the cross-build root, and
#                         qemu-user (make cross-check / make deb ARCH=arm64;
#                         never part of check)
#   tools/deps.sh cross-root   inside that root (tools/cross-root.sh runs
#                         it there): Debian's arm64 cross toolchain, the
#                         build set's libraries for arm64 through multiarch,
#                         cmocka, the packaging tools and qemu-user
# The package's tools (debhelper, lintian, systemd-analyze, fakeroot) are in
# the check set too: `make check` runs the package test (make deb-check).
# A tool already on the PATH (node from another source, say) counts as
# present.  It says what it installs, and uses sudo when not run as root.
set -eu

# Libraries, headers and fonts: checked with dpkg.  fonts-noto-cjk and
# fonts-liberation2 (metric twins of Times New Roman and Arial) make the
# office-format tests lay pages out the same on every machine.
build_pkgs="libc6-dev libsqlite3-dev libmicrohttpd-dev libgnutls28-dev libsodium-dev libjansson-dev \
libxlsxwriter-dev libzip-dev libexpat1-dev libutf8proc-dev libuchardet-dev libpoppler-glib-dev \
libopencc-dev libcurl4-gnutls-dev libpq-dev"
check_pkgs="libcmocka-dev libclang-rt-14-dev fonts-noto-cjk fonts-liberation2 debhelper \
dpkg-dev postgresql"
# Tools: COMMAND:PACKAGE, checked on the PATH.
build_tools="gcc:gcc make:make pkg-config:pkg-config"
check_tools="clang:clang curl:curl sqlite3:sqlite3 node:nodejs npm:npm chromium:chromium \
soffice:libreoffice-writer-nogui pdftotext:poppler-utils pkill:procps \
openssl:openssl unzip:unzip lintian:lintian fakeroot:fakeroot systemd-analyze:systemd \
psql:postgresql-client pg_dump:postgresql-client"
calc_pkg="libreoffice-calc-nogui"
bench_tools="wrk:wrk opencc:opencc"
deb_pkgs="debhelper dpkg-dev"
deb_tools="lintian:lintian fakeroot:fakeroot systemd-analyze:systemd"
# arm64.  Some -dev packages (poppler-glib, OpenCC) cannot be installed for
# two architectures at once, so the arm64 ones live in a root of their own
# (tools/cross-root.sh): here only what makes and enters it.
cross_tools="debootstrap:debootstrap qemu-aarch64:qemu-user"
# In the root: the library packages of the build set, for arm64; the native
# compiler for the build's own tools (tools/embed.c); qemu-user runs the
# arm64 programs (tests, the man page writer) during the build.
root_pkgs="build-essential crossbuild-essential-arm64 libcmocka-dev:arm64 $deb_pkgs \
$(for p in $build_pkgs; do printf '%s:arm64 ' "$p"; done)"
root_tools="make:make pkg-config:pkg-config file:file qemu-aarch64:qemu-user"

case "${1:-build}" in
build) pkgs=$build_pkgs; tools=$build_tools ;;
check) pkgs="$build_pkgs $check_pkgs"; tools="$build_tools $check_tools" ;;
bench) pkgs="$build_pkgs $check_pkgs"; tools="$build_tools $check_tools $bench_tools" ;;
deb) pkgs="$build_pkgs $deb_pkgs"; tools="$build_tools $deb_tools" ;;
cross) pkgs=""; tools="$cross_tools" ;;
cross-root)
	if [ ! -e /etc/rectify-cross-root ]; then
		echo "rectify: the cross-root set is for the cross-build root only" >&2
		echo "rectify: (tools/cross-root.sh; make cross-check ARCH=arm64)." >&2
		exit 1
	fi
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "rectify: adding the arm64 architecture to dpkg (multiarch)"
		s=""
		[ "$(id -u)" = 0 ] || s=sudo
		$s dpkg --add-architecture arm64
		$s apt-get update -q
	fi
	pkgs="$root_pkgs"; tools="$root_tools" ;;
*) echo "usage: $0 build|check|bench|deb|cross|cross-root" >&2; exit 2 ;;
esac

# Installed for this machine's architecture (or for all): a development
# package of another architecture (multiarch, for a cross build) does not
# count, and would take the native one's place.
native=$(dpkg --print-architecture 2>/dev/null || echo none)
installed() {
	case $1 in
	*:*) arch=${1#*:} ;; # libfoo-dev:arm64, the cross set's
	*) arch=$native ;;
	esac
	dpkg-query -W -f='${Status} ${Architecture}\n' "$1" 2>/dev/null |
		grep -q -E "^install ok installed ($arch|all)\$"
}

missing=""
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
for t in $tools; do
	cmd=${t%%:*}
	pkg=${t#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
# LibreOffice Calc converts the .xlsx exports in the tests.
case "${1:-build}" in
check | bench)
	if command -v soffice >/dev/null 2>&1; then
		installed "$calc_pkg" || installed libreoffice-calc || missing="$missing $calc_pkg"
	else
		missing="$missing $calc_pkg"
	fi ;;
esac
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "rectify: missing packages:$missing" >&2
	echo "rectify: this is not a Debian-like system; install them by hand." >&2
	exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
		echo "rectify: missing packages:$missing; run as root or install sudo." >&2
		exit 1
	fi
fi
# Installing the arm64 -dev packages where native ones are (run outside the
# cross-build root by mistake) would remove those, and with them the native
# build of everyone on this machine: refuse.
if [ "${1:-build}" = cross-root ]; then
	# shellcheck disable=SC2086
	removes=$($sudo apt-get -s install --no-install-recommends $missing 2>/dev/null |
		sed -n 's/^Remv \([^ ]*\).*/\1/p' | tr '\n' ' ')
	if [ -n "$removes" ]; then
		echo "rectify: the arm64 packages would remove these: $removes" >&2
		echo "rectify: their native and arm64 versions cannot be installed together;" >&2
		echo "rectify: this set is for the cross-build root (tools/cross-root.sh)." >&2
		exit 1
	fi
fi
echo "rectify: installing missing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# Name the native architecture, so that a package present only for another
# one (multiarch) is installed for this machine.
pkgs=""
for p in $missing; do
	case "$p" in
	*:*) pkgs="$pkgs $p" ;;
	lib*-dev) pkgs="$pkgs $p:$native" ;;
	*) pkgs="$pkgs $p" ;;
	esac
done
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $pkgs
