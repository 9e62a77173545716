#!/bin/sh
# Install the npm packages of the browser tests (playwright-core, which
# drives Debian's chromium, and axe-core, which checks every page visited
# for accessibility) when one is missing.
set -eu
dir=tests/browser
[ -f "$dir/package.json" ] || exit 0
if [ ! -d "$dir/node_modules/playwright-core" ] || [ ! -f "$dir/node_modules/axe-core/axe.min.js" ]; then
	echo "rectify: installing the browser tests' npm packages in $dir"
	if [ -f "$dir/package-lock.json" ]; then
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	else
		(cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
	fi
fi
