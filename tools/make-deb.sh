#!/bin/sh
# Build the Debian package: usage make-deb.sh VERSION ARCH.
# dpkg-buildpackage -b runs on a copy of the tree in build/pkg/rectify/ so
# that what it writes beside the tree (.buildinfo, .changes) stays under
# build/; the .deb goes to build/deb/.  Checks first that debian/changelog
# names the Makefile's VERSION.
set -eu
version=$1
arch=$2
top=$(pwd)
deb_version=$(dpkg-parsechangelog -S Version)
case "$deb_version" in
"$version" | "$version"-*) ;;
*)
	echo "make-deb: debian/changelog says $deb_version, the Makefile $version" >&2
	exit 1 ;;
esac
src=build/pkg/rectify
rm -rf build/pkg
mkdir -p "$src" build/deb
# The tree as it is (committed or not), without what was built.
tar -cf - --exclude=./build --exclude=./.git --exclude=./node_modules . | tar -xf - -C "$src"
host=""
[ "$arch" = "$(dpkg --print-architecture)" ] || host="--host-arch=$arch"
start=$(date +%s)
(cd "$src" && dpkg-buildpackage -b -us -uc $host -j"$(nproc)") >build/pkg/build.log 2>&1 || {
	tail -n 40 build/pkg/build.log >&2
	echo "make-deb: dpkg-buildpackage failed; build/pkg/build.log has it all" >&2
	exit 1
}
rm -f build/deb/rectify_*_"$arch".deb build/deb/rectify-dbgsym_*_"$arch".deb
mv build/pkg/*.deb build/deb/
echo "make-deb: $(ls build/deb/rectify_*_"$arch".deb) in $(($(date +%s) - start)) s"
