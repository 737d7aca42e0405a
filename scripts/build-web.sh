#!/bin/sh
# build-web.sh OUT_DIR: the crisis room's page, ready to serve, in OUT_DIR
# (build/web for the normal build; `entente serve --web OUT_DIR`).
#
# Copies web/ (index.html, css/, js/) and, from web/node_modules, the few files
# the page loads: the UMD builds of d3-array, d3-geo and topojson-client, and
# world-atlas's 50m countries. The npm packages are pinned in web/package.json
# and web/package-lock.json; `npm ci` runs when node_modules is missing or older
# than the lock file. Nothing is fetched when the page is shown (no CDN).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: build-web.sh OUT_DIR}
web="$top/web"
nm="$web/node_modules"

if [ ! -f "$nm/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$nm/.package-lock.json" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "build-web: npm not found (Node.js is needed to install web/'s pinned packages)" >&2
        exit 69
    fi
    echo "build-web: npm ci in web/" >&2
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) >&2
    touch "$nm/.package-lock.json"
fi

tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp/css" "$tmp/js" "$tmp/vendor"
cp "$web/index.html" "$tmp/"
cp "$web"/css/*.css "$tmp/css/"
cp "$web"/js/*.js "$tmp/js/"
[ -f "$web/favicon.svg" ] && cp "$web/favicon.svg" "$tmp/"
cp "$nm/d3-array/dist/d3-array.min.js" \
   "$nm/d3-geo/dist/d3-geo.min.js" \
   "$nm/topojson-client/dist/topojson-client.min.js" \
   "$nm/world-atlas/countries-50m.json" "$tmp/vendor/"
for p in d3-array d3-geo topojson-client world-atlas; do
    cp "$nm/$p/LICENSE" "$tmp/vendor/LICENSE.$p"
done
# the directory itself stays (a running `entente serve --web OUT_DIR` keeps serving it)
mkdir -p "$out"
find "$out" -mindepth 1 -maxdepth 1 ! -name .stamp -exec rm -rf {} +
cp -R "$tmp"/. "$out"/
rm -rf "$tmp"
