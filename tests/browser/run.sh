#!/bin/sh
# tests/browser/run.sh BUILD_DIR: the crisis room's page in a real browser
# (playwright-core, pinned in tests/browser/package.json, driving Debian's
# /usr/bin/chromium). Starts BUILD_DIR/entente serve on a fresh journal (the
# built-in history, and a small conference that is full) on a free loopback
# port, with a token for each delegation, the chair and an observer, runs
# crisis-room.mjs, stops the server. Screenshots are kept in
# BUILD_DIR/artifacts/. Last line: "browser: N passed, M failed".
set -u
B=${1:?usage: tests/browser/run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/tests/browser"
case "$B" in /*) ;; *) B="$top/$B";; esac

if [ ! -x /usr/bin/chromium ]; then
    echo "SKIP browser: /usr/bin/chromium is missing (scripts/install-deps.sh installs it)"
    echo "browser: 0 passed, 0 failed"
    exit 0
fi
fail() { echo "FAIL browser: $*"; echo "browser: 0 passed, 1 failed"; exit 1; }
command -v node >/dev/null 2>&1 || fail "node is missing"
[ -x "$B/entente" ] || fail "no $B/entente"
[ -f "$B/web/index.html" ] || fail "no $B/web (make all builds it)"

# playwright-core, as pinned by the lock file
nm="$here/node_modules"
if [ ! -f "$nm/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$nm/.package-lock.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2 || fail "npm ci in tests/browser"
    touch "$nm/.package-lock.json"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/entente-browser.XXXXXX") || fail "mktemp"
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT HUP INT PIPE TERM

export ENTENTE_TODAY=2026-11-29
db="$tmp/room.db"
# a conference with one place, already taken (the next registration is over capacity),
# one with places, and an article to comment on
cat > "$tmp/seed.chron" <<'CHRON'
2026-11-29 CSC conference id=K-FULL organizer=KZ city=Astana venue="Palace of Peace and Reconciliation" start=2027-03-10T10:00 end=2027-03-11T17:00 tz=Asia/Almaty capacity=1 deadline=2027-03-01 terms="Open to delegations and accredited press; free of charge" "Seminar on collective security"
2026-11-29 K-FULL register id=REG-FULL-1 name="First Registrant" email="first@example.org"
2026-11-29 CSC conference id=K-OPEN organizer=BY city=Minsk start=2027-10-26T10:00 end=2027-10-27T18:00 tz=Europe/Minsk capacity=50 deadline=2027-10-20 terms="Registration required" "Eurasian security conference"
2026-11-29 SG article id=ART-1 author="Press service" about=KZ title="The CSTO and Kazakhstan" "An article on the organization's work in Kazakhstan."
CHRON
"$B/entente" run "$tmp/seed.chron" --db "$db" >"$tmp/seed.log" 2>&1 || { cat "$tmp/seed.log"; fail "seed chronicle"; }

printf '{' > "$tmp/tokens.json"
sep=""
for p in AM BY KZ KG RU TJ chair observer; do
    t=$("$B/entente" token add --principal "$p" --name "browser-$p" --db "$db" 2>"$tmp/token.err" \
        | grep -oE '[A-Za-z0-9_-]{43}' | head -n 1)
    [ -n "$t" ] || { cat "$tmp/token.err"; fail "token add --principal $p"; }
    printf '%s"%s":"%s"' "$sep" "$p" "$t" >> "$tmp/tokens.json"
    sep=","
done
printf '}\n' >> "$tmp/tokens.json"

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})') \
    || fail "no free port"
"$B/entente" serve --db "$db" --listen "127.0.0.1:$port" --web "$B/web" >"$tmp/serve.log" 2>&1 &
pid=$!

mkdir -p "$B/artifacts"
ENTENTE_URL="http://127.0.0.1:$port" ENTENTE_TOKENS="$tmp/tokens.json" ENTENTE_ARTIFACTS="$B/artifacts" \
    timeout 150 node "$here/crisis-room.mjs"
rc=$?
if [ $rc -ne 0 ]; then
    echo "-- server log (last lines)"; tail -n 20 "$tmp/serve.log"
fi
[ $rc -eq 124 ] && echo "browser: 0 passed, 1 failed (timed out)"
exit $rc
