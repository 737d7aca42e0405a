#!/bin/sh
# tests/api/run.sh BUILD_DIR: the endpoint tests of `entente serve` (docs/api.md).
# Starts BUILD_DIR/entente serve on a free loopback port with a new journal in a
# temporary directory, makes a token for every principal, runs node's built-in
# test runner over tests/api/*.test.mjs (one file at a time: they share the
# server), stops the server with SIGTERM (it must exit 0: under ASan, no leak)
# and prints a last line "api: N passed, M failed".
set -u
B=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
E="$top/$B/entente"
[ "${B#/}" != "$B" ] && E="$B/entente"
command -v node >/dev/null 2>&1 || { echo "api: node is missing"; echo "api: 0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/entente-api.XXXXXX")
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

J="$tmp/journal.db"
export ENTENTE_TODAY=2027-03-01

# a web directory with a file outside it that must never be served
mkdir -p "$tmp/web/sub" "$tmp/web/.hidden"
printf '<!doctype html><title>entente</title><p>crisis room</p>\n' > "$tmp/web/index.html"
printf 'console.log("app");\n' > "$tmp/web/app.js"
printf 'body{color:#000}\n' > "$tmp/web/style.css"
printf '{"a":1}\n' > "$tmp/web/sub/data.json"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' > "$tmp/web/sub/pic.svg"
printf 'hidden\n' > "$tmp/web/.hidden/x.txt"
printf 'SECRET-OUTSIDE-WEB\n' > "$tmp/secret.txt"
ln -s "$tmp/secret.txt" "$tmp/web/link.txt"

# a token for every principal (and one revoked)
tokens="{"
sep=""
for p in KZ AM RU BY TJ chair sg secretariat observer admin; do
    t=$("$E" token add --db "$J" --principal "$p" --name "tok-$p" 2>/dev/null) || {
        echo "api: cannot make a token for $p"; echo "api: 0 passed, 1 failed"; exit 1; }
    tokens="$tokens$sep\"$p\":\"$t\""
    sep=","
done
t=$("$E" token add --db "$J" --principal participant --name "Pat Doe" 2>/dev/null)
tokens="$tokens,\"participant\":\"$t\""
t=$("$E" token add --db "$J" --principal KZ --name "tok-revoked" 2>/dev/null)
"$E" token revoke --db "$J" "tok-revoked" >/dev/null 2>&1
tokens="$tokens,\"revoked\":\"$t\"}"
printf '%s\n' "$tokens" > "$tmp/tokens.json"

"$E" serve --db "$J" --listen 127.0.0.1:0 --web "$tmp/web" --max-body 4096 \
    --register-rate 3 --comment-rate 5 --today 2027-03-01 2> "$tmp/serve.log" &
pid=$!
url=""
i=0
while [ $i -lt 100 ]; do
    url=$(sed -n 's|^entente: serving \(http://127.0.0.1:[0-9]*/\)$|\1|p' "$tmp/serve.log")
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$url" ]; then
    cat "$tmp/serve.log"
    echo "api: the server did not start"
    echo "api: 0 passed, 1 failed"
    exit 1
fi

export ENTENTE_URL="$url" ENTENTE_TOKENS="$tmp/tokens.json" ENTENTE_WEB="$tmp/web" ENTENTE_BIN="$E" \
    ENTENTE_JOURNAL="$J" ENTENTE_DOCS="$top/docs/api.md"
out=$(cd "$top" && timeout 300 node --test --test-concurrency=1 --test-reporter=tap tests/api/*.test.mjs 2>&1)
printf '%s\n' "$out" | grep -E "^not ok|^# (tests|pass|fail)" >/dev/null
printf '%s\n' "$out" | grep -B2 -A30 "^ *not ok" | head -n 400
passed=$(printf '%s\n' "$out" | sed -n 's/^# pass \([0-9]*\)$/\1/p' | tail -n 1)
failed=$(printf '%s\n' "$out" | sed -n 's/^# fail \([0-9]*\)$/\1/p' | tail -n 1)
[ -n "$passed" ] || { printf '%s\n' "$out" | tail -n 30; passed=0; failed=1; }

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=""
if [ $rc -ne 0 ]; then
    tail -n 40 "$tmp/serve.log"
    echo "api: the server exited with status $rc after SIGTERM (want 0)"
    failed=$((failed + 1))
else
    passed=$((passed + 1))
fi
echo "api: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
