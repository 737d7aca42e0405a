#!/bin/sh
# run.sh BUILD_DIR: the property test (tests/property/property.c) on one build.
# Random chronicles from a fixed list of seeds keep the charter's invariants;
# the last line is the program's own "property: N passed, M failed".
set -u
B=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 70
if [ ! -x "$B/test-property" ]; then
    echo "property: $B/test-property is not built (make $B/test-property)"
    echo "property: 0 passed, 1 failed"
    exit 1
fi
out=$("$B/test-property" 2>&1)
rc=$?
printf '%s\n' "$out" | sed '$d'
last=$(printf '%s\n' "$out" | tail -n 1)
case "$last" in
*" passed, "*" failed") ;;
*) echo "property: the program ended abnormally (exit $rc)"; last="property: 0 passed, 1 failed" ;;
esac
if [ "$rc" -ne 0 ]; then
    case "$last" in *" 0 failed") last="property: 0 passed, 1 failed (exit $rc)" ;; esac
fi
printf '%s\n' "$last"
[ "$rc" -eq 0 ]
