#!/bin/sh
# tests/docs/run.sh BUILD_DIR: every example of the user documentation runs as
# documented.
#
# In docs/language.md (and docs/rules.md when it exists), each fenced block
#
#     ```chronicle
#     ...lines...
#     ```
#
# is an example. It may be followed (only blank lines between) by
#
#     ```expect
#     exit N            <- optional first line: the exit status (default 0)
#     ...the exact output (stdout, then stderr) of `entente check example.chron`
#     ```
#
# A block opened with ```chronicle --charter NAME is checked under the charter
# file data/charters/NAME.chron (entente check --charter ..., no built-in
# history; docs/charters.md) instead of the built-in CSTO.
#
# Without an expect block the example must give "ok: 1 file valid; nothing
# written" and exit 0. Each example is written to example.chron in a fresh
# directory and checked there with ENTENTE_TODAY=2026-11-28, on top of the
# built-in history. On a difference: "FAIL: FILE:LINE" and the diff.
# Last line: "docs: N passed, M failed".
set -u

if [ $# -ne 1 ]; then
    echo "usage: sh tests/docs/run.sh BUILD_DIR" >&2
    exit 64
fi
B=$1
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
ENTENTE="$B/entente"
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x "$ENTENTE" ]; then
    echo "docs: no binary $ENTENTE (run make first)" >&2
    echo "docs: 0 passed, 1 failed"
    exit 1
fi
ENTENTE_TODAY=2026-11-28
LC_ALL=C
export ENTENTE_TODAY LC_ALL

root=$(mktemp -d "${TMPDIR:-/tmp}/entente-docs.XXXXXX") || exit 70
trap 'rm -rf "$root"' EXIT INT TERM
pass=0
fail=0

for doc in docs/language.md docs/rules.md docs/charters.md; do
    [ -f "$top/$doc" ] || continue
    ex="$root/$(basename "$doc" .md)"
    mkdir -p "$ex"
    # Split the document into N.chron, N.where and, when given, N.expect.
    awk -v dir="$ex" -v doc="$doc" '
        function fence_end(s) { return s ~ /^```[ \t]*$/ }
        state == 2 && /^[ \t]*$/ { next }
        state == 2 && /^```expect[ \t]*$/ { state = 3; e = dir "/" n ".expect"; printf "" > e; next }
        state == 2 { state = 0 }
        state == 0 && /^```chronicle([ \t]+--charter[ \t]+[a-z0-9_-]+)?[ \t]*$/ {
            n++; state = 1; f = dir "/" n ".chron"; printf "" > f
            if ($2 == "--charter") { print $3 > (dir "/" n ".charter"); close(dir "/" n ".charter") }
            print doc ":" NR > (dir "/" n ".where"); close(dir "/" n ".where")
            next
        }
        state == 1 && fence_end($0) { close(f); state = 2; next }
        state == 1 { print > f; next }
        state == 3 && fence_end($0) { close(e); state = 0; next }
        state == 3 { print > e; next }
        END {
            if (state == 1 || state == 3) {
                print doc ": unterminated fenced block at the end" > "/dev/stderr"
                exit 1
            }
        }
    ' "$top/$doc" || { echo "FAIL: $doc (cannot split into examples)"; fail=$((fail + 1)); continue; }
    i=1
    while [ -f "$ex/$i.chron" ]; do
        where=$(cat "$ex/$i.where")
        run="$ex/run$i"
        mkdir -p "$run"
        cp "$ex/$i.chron" "$run/example.chron"
        # expected: status and output
        want_rc=0
        if [ -f "$ex/$i.expect" ]; then
            first=$(sed -n '1p' "$ex/$i.expect")
            case "$first" in
            'exit '[0-9]*)
                want_rc=${first#exit }
                sed '1d' "$ex/$i.expect" >"$run/want"
                ;;
            *) cp "$ex/$i.expect" "$run/want" ;;
            esac
        else
            echo "ok: 1 file valid; nothing written" >"$run/want"
        fi
        if [ -f "$ex/$i.charter" ]; then
            (cd "$run" && "$ENTENTE" check --charter "$top/data/charters/$(cat "$ex/$i.charter").chron" example.chron \
                >out 2>err </dev/null)
        else
            (cd "$run" && "$ENTENTE" check example.chron >out 2>err </dev/null)
        fi
        rc=$?
        cat "$run/out" "$run/err" >"$run/got"
        printf 'exit %s\n' "$want_rc" | cat - "$run/want" >"$run/want.full"
        printf 'exit %s\n' "$rc" | cat - "$run/got" >"$run/got.full"
        if cmp -s "$run/want.full" "$run/got.full"; then
            pass=$((pass + 1))
        else
            echo "FAIL: $where"
            diff -u "$run/want.full" "$run/got.full" | sed -e '1s|.*|--- documented|' -e '2s|.*|+++ actual|'
            fail=$((fail + 1))
        fi
        i=$((i + 1))
    done
done

echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
