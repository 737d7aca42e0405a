#!/bin/sh
# tests/coverage/run.sh BUILD_DIR: every rule of the charter has a test.
#
# The rules are the `charter rule ID ...` lines of data/charter.chron; the
# tests are the names printed by `BUILD_DIR/test-unit --list`. A rule ID is
# covered when at least one unit test is named rule_<ID>_... with every '-'
# of the ID written '_' (use-of-force: rule_use_of_force_...). The tests
# themselves run in the unit section of the suite; this only checks that
# they exist.
#
# Prints "covered: ID (N tests)" or "FAIL: rule ID has no test" for each
# rule, and last "coverage: N passed, M failed" (one per rule). Exit status
# 0 when every rule is covered, 1 otherwise, 70 when the rules or the tests
# cannot be listed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-build}
case "$B" in /*) ;; *) B="$top/$B" ;; esac
charter="$top/data/charter.chron"

if [ ! -r "$charter" ]; then
    echo "coverage: cannot read $charter" >&2
    echo "coverage: 0 passed, 1 failed"
    exit 70
fi
if [ ! -x "$B/test-unit" ]; then
    echo "coverage: no $B/test-unit (make $B/test-unit)" >&2
    echo "coverage: 0 passed, 1 failed"
    exit 70
fi

tmp=${TMPDIR:-/tmp}/entente-coverage.$$
trap 'rm -f "$tmp"' EXIT INT TERM
if ! "$B/test-unit" --list >"$tmp"; then
    echo "coverage: $B/test-unit --list failed" >&2
    echo "coverage: 0 passed, 1 failed"
    exit 70
fi

# Rule ids: `charter rule ID ...`, leading blanks allowed, comments skipped;
# those of the charter files (data/charters/*.chron, docs/charters.md) too,
# each id once.
rules=$(sed -n 's/^[[:space:]]*charter[[:space:]][[:space:]]*rule[[:space:]][[:space:]]*\([A-Za-z][A-Za-z0-9_-]*\).*/\1/p' \
    "$charter" "$top"/data/charters/*.chron 2>/dev/null | awk '!seen[$0]++')
if [ -z "$rules" ]; then
    echo "coverage: no 'charter rule' in $charter" >&2
    echo "coverage: 0 passed, 1 failed"
    exit 70
fi

pass=0
fail=0
for id in $rules; do
    prefix="rule_$(printf '%s' "$id" | tr '-' '_')_"
    n=$(grep -c "^$prefix" "$tmp")
    if [ "$n" -gt 0 ]; then
        echo "covered: $id ($n tests)"
        pass=$((pass + 1))
    else
        echo "FAIL: rule $id has no test"
        fail=$((fail + 1))
    fi
done
echo "coverage: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
