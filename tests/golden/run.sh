#!/bin/sh
# tests/golden/run.sh BUILD_DIR: the golden tests of the `entente` command.
#
# Each directory tests/golden/cases/NAME/ is one case:
#   cmd       one command a line: the arguments to entente, as a shell would
#             split them (quotes allowed), e.g.  state --at 2022-01-08 --json
#             $TMP names a fresh, empty temporary directory of the case:
#                       run --db $TMP/j.db example.chron
#             A line starting with '!' is a shell command instead (sh -c), for
#             what entente cannot do itself (redirect an export, alter a byte
#             of a journal); it sees $ENTENTE (the binary) and $TMP.
#             $ENTENTE_DATA names the source tree's data/ directory (charter
#             files: --charter $ENTENTE_DATA/charters/rio.chron); written back
#             as "$ENTENTE_DATA" in the output.
#             Empty lines and lines starting with '#' are ignored.
#   expected  for each command, in order: a line "$ LINE" (the line of cmd as
#             written), its standard output, then its standard error, then a
#             line "[exit N]".
#   anything else: input files, used by relative name.
#
# The case directory is copied to a temporary directory and the commands run
# there, with ENTENTE_TODAY=2026-11-28 and the binary BUILD_DIR/entente.
# In the output the path of $TMP is written back as "$TMP", so that expected
# files do not depend on where the temporary directory is.
#
# VALGRIND=1 runs each entente command under valgrind's memcheck (leaks
# definite and indirect, invalid accesses): an error makes the command exit 99,
# which no expected file holds, and its report is shown (issue 6: the golden
# tests under valgrind with no leaks).
#
# On a difference: "FAIL: NAME" and the diff. Last line: "golden: N passed, M failed".
# UPDATE=1 rewrites the expected files from the actual output (review every
# changed file: a golden test is only as good as its review); it keeps the
# bug-* cases, whose expected file is the correct output of a known bug that
# must fail until fixed, unless CASES names them. CASES="a b" runs only the
# named cases.
set -u

if [ $# -ne 1 ]; then
    echo "usage: sh tests/golden/run.sh BUILD_DIR" >&2
    exit 64
fi
B=$1
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
ENTENTE="$B/entente"
if [ ! -x "$ENTENTE" ]; then
    echo "golden: no binary $ENTENTE (run make first)" >&2
    echo "golden: 0 passed, 1 failed"
    exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
ENTENTE_TODAY=2026-11-28
# $ENTENTE_DATA: the source tree's data/, for --charter $ENTENTE_DATA/charters/nato.chron
ENTENTE_DATA=$(cd "$here/../../data" && pwd)
export ENTENTE ENTENTE_TODAY ENTENTE_DATA
unset ENTENTE_DB 2>/dev/null || :
LC_ALL=C
export LC_ALL

pass=0
fail=0
root=$(mktemp -d "${TMPDIR:-/tmp}/entente-golden.XXXXXX") || exit 70
trap 'rm -rf "$root"' EXIT INT TERM

# run_case DIR OUT: run the commands of case DIR, writing the transcript to OUT.
run_case() {
    dir=$1
    out=$2
    work="$root/$(basename "$dir")"
    rm -rf "$work"
    mkdir -p "$work/case" "$work/tmp" || return 1
    cp -R "$dir/." "$work/case/" || return 1
    rm -f "$work/case/expected"
    TMP="$work/tmp"
    export TMP
    : >"$out"
    (
        cd "$work/case" || exit 70
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in '' | '#'*) continue ;; esac
            printf '$ %s\n' "$line"
            case "$line" in
            '!'*)
                sh -c "${line#!}" >"$work/stdout" 2>"$work/stderr" </dev/null
                rc=$?
                ;;
            *)
                if eval "set -- $line" 2>"$work/stderr"; then
                    if [ "${VALGRIND:-}" = 1 ]; then
                        valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
                            --show-leak-kinds=definite,indirect --error-exitcode=99 \
                            --log-file="$work/valgrind.log" "$ENTENTE" "$@" >"$work/stdout" 2>"$work/stderr" </dev/null
                        rc=$?
                        [ $rc -eq 99 ] && cat "$work/valgrind.log" >>"$root/valgrind.log"
                    else
                        "$ENTENTE" "$@" >"$work/stdout" 2>"$work/stderr" </dev/null
                        rc=$?
                    fi
                else
                    : >"$work/stdout"
                    rc=127
                fi
                ;;
            esac
            cat "$work/stdout" "$work/stderr"
            printf '[exit %s]\n' "$rc"
        done <"$work/case/cmd"
    ) >"$out.raw" 2>&1
    # write the temporary paths back as $TMP and "." (the case directory)
    t=$(printf '%s\n' "$work/tmp" | sed 's/[][\\.*^$|/]/\\&/g')
    c=$(printf '%s\n' "$work/case" | sed 's/[][\\.*^$|/]/\\&/g')
    dd=$(printf '%s\n' "$ENTENTE_DATA" | sed 's/[][\\.*^$|/]/\\&/g')
    sed -e "s/$t/\$TMP/g" -e "s/$c/./g" -e "s/$dd/\$ENTENTE_DATA/g" "$out.raw" >"$out"
    rm -f "$out.raw"
}

for dir in "$here"/cases/*/; do
    dir=${dir%/}
    name=$(basename "$dir")
    [ -d "$dir" ] || continue
    if [ -n "${CASES:-}" ]; then
        case " $CASES " in *" $name "*) ;; *) continue ;; esac
    fi
    if [ ! -f "$dir/cmd" ]; then
        echo "FAIL: $name (no cmd file)"
        fail=$((fail + 1))
        continue
    fi
    actual="$root/$name.actual"
    run_case "$dir" "$actual"
    if [ "${UPDATE:-}" = 1 ]; then
        # bug-* cases hold the correct output of a known bug, not the actual
        # one: never rewritten unless named in CASES
        case "$name" in bug-*)
            case " ${CASES:-} " in *" $name "*) ;; *) echo "kept: $name (bug case)"; continue ;; esac
        esac
        if ! cmp -s "$actual" "$dir/expected" 2>/dev/null; then
            cp "$actual" "$dir/expected"
            echo "updated: $name"
        fi
        pass=$((pass + 1))
        continue
    fi
    if [ ! -f "$dir/expected" ]; then
        echo "FAIL: $name (no expected file; UPDATE=1 writes it)"
        fail=$((fail + 1))
    elif diff -u "$dir/expected" "$actual" >"$root/diff" 2>&1; then
        pass=$((pass + 1))
    else
        echo "FAIL: $name"
        sed -e "1s|.*|--- expected|" -e "2s|.*|+++ actual|" "$root/diff"
        [ -s "$root/valgrind.log" ] && head -n 60 "$root/valgrind.log"
        fail=$((fail + 1))
    fi
    rm -f "$root/valgrind.log"
done

echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
