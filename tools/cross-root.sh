#!/bin/sh
# Run a command in the arm64 cross-build root: usage cross-root.sh COMMAND...
#
# The arm64 development packages of poppler-glib and OpenCC cannot be
# installed beside the native ones, which the native build needs, so the
# cross build happens in a Debian root of its own (this machine's
# architecture and release, debootstrap --variant=minbase) where only the
# arm64 ones are: build/cross-root, made once and kept (CROSS_ROOT names
# another place, CROSS_MIRROR another Debian mirror than the one in this
# machine's APT sources; `make clean` removes it).
#
# Each run brings the root's packages up to tools/deps.sh's cross-root set
# (the one list), mounts the source tree on /src in a mount namespace of
# its own (and ../shared, the shared real reports, on /shared when present)
# -- the mounts go when the command ends, however it ends, so that removing
# build/ never reaches through them -- and runs COMMAND in /src.
set -eu
[ $# -gt 0 ] || { echo "usage: $0 COMMAND..." >&2; exit 2; }
if [ "$(id -u)" != 0 ]; then
	echo "cross-root: the arm64 build runs in a root of its own, and making and" >&2
	echo "cross-root: entering it (debootstrap, mount, chroot) needs root: run this" >&2
	echo "cross-root: as root, or build on an arm64 machine (make deb there)." >&2
	exit 1
fi
top=$(pwd)
root=${CROSS_ROOT:-$top/build/cross-root}
case $root in /*) ;; *) root=$top/$root ;; esac
marker=etc/rectify-cross-root

# The first URI of this machine's APT sources that ends in /NAME.
uri_of() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		sed -n -e 's/^URIs:[[:space:]]*//p' \
			-e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]*\)\{0,1\}//p' |
		awk '{ for (i = 1; i <= NF; i++) print $i }' | grep -E "^[a-z]+://.*/$1/?\$" | head -n 1
}

if [ ! -e "$root/$marker" ]; then
	# shellcheck source=/dev/null
	suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	mirror=${CROSS_MIRROR:-$(uri_of debian)}
	if [ -z "$suite" ] || [ -z "$mirror" ]; then
		echo "cross-root: no Debian release name in /etc/os-release or no Debian" >&2
		echo "cross-root: mirror in /etc/apt/sources.list*; set CROSS_MIRROR=URL." >&2
		exit 1
	fi
	security=$(uri_of debian-security)
	echo "cross-root: making $root: debootstrap $suite from $mirror (once; it is kept)"
	rm -rf "$root.new"
	mkdir -p "$(dirname "$root")"
	start=$(date +%s)
	debootstrap --variant=minbase "$suite" "$root.new" "$mirror" >"$root.log" 2>&1 || {
		tail -n 20 "$root.log" >&2
		echo "cross-root: debootstrap failed; $root.log has it all" >&2
		exit 1
	}
	{
		echo "deb $mirror $suite main"
		echo "deb $mirror $suite-updates main"
		[ -z "$security" ] || echo "deb $security $suite-security main"
	} >"$root.new/etc/apt/sources.list"
	# Only what is asked for: the root holds a toolchain, not a system.
	echo 'APT::Install-Recommends "false";' >"$root.new/etc/apt/apt.conf.d/90rectify"
	mkdir -p "$root.new/src"
	echo "rectify's arm64 cross-build root (tools/cross-root.sh)" >"$root.new/$marker"
	mv "$root.new" "$root"
	echo "cross-root: debootstrap took $(($(date +%s) - start)) s"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

# shellcheck disable=SC2016
exec unshare --mount --propagation private sh -eu -c '
root=$1; top=$2; shift 2
mount --bind "$top" "$root/src"
# The shared real reports beside the checkout (tests/testutil.h), which the
# tests read when present: read-only, where they are from /src.
if [ -d "$top/../shared" ]; then
	mkdir -p "$root/shared"
	mount --bind "$top/../shared" "$root/shared"
	mount -o remount,bind,ro "$root/shared"
fi
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 TERM="${TERM:-dumb}" sh -eu -c "
		cd /src
		tools/deps.sh cross-root
		exec \"\$@\"" sh "$@"
' sh "$root" "$top" "$@"
