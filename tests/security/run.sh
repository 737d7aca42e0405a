#!/bin/sh
# tests/security/run.sh BUILD_DIR: the security checks that are not elsewhere
# (docs/security.md says which test shows what): SQL only from constants
# (sql.mjs) and the server's bounds and headers (http.mjs). The authorization
# matrix, traversal, body limits and rate limits are in tests/api; tokens in
# tests/unit/api. Ends with "security: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 70
B=${1:?usage: tests/security/run.sh BUILD_DIR}
pass=0
fail=0
for t in sql http; do
    case $t in sql) arg=.;; *) arg=$B;; esac
    out=$(timeout 180 node "tests/security/$t.mjs" "$arg" 2>&1)
    printf '%s\n' "$out" | grep -v ' passed, [0-9]* failed$'
    line=$(printf '%s\n' "$out" | tail -n 1)
    p=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
    [ -n "$p" ] || { p=0; f=1; echo "FAIL security $t: no count (exit or timeout)"; }
    pass=$((pass + p))
    fail=$((fail + f))
done
echo "security: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
