#!/bin/sh
# tests/valgrind/run.sh BUILD_DIR: the golden tests of the command line again,
# every entente command under valgrind's memcheck (tests/golden/run.sh with
# VALGRIND=1): no invalid access, no definite or indirect leak, the same
# output. Run on the normal build only (valgrind and ASan do not mix).
# Ends with "valgrind: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 70
if ! command -v valgrind >/dev/null 2>&1; then
    echo "FAIL valgrind: not installed (scripts/install-deps.sh installs it)"
    echo "valgrind: 0 passed, 1 failed"
    exit 1
fi
VALGRIND=1 sh tests/golden/run.sh "${1:?usage: tests/valgrind/run.sh BUILD_DIR}" | sed 's/^golden: \([0-9]* passed, [0-9]* failed\)$/valgrind: \1/'
