#!/bin/sh
# run-tests.sh BUILD_DIR...: the whole test suite on each build directory
# (build/ normal, build/san under ASan+UBSan). Sections:
#   unit      the C unit tests (tests/unit), mirroring src/
#   golden    chronicle in, exact output, diagnostics and exit status out (tests/golden)
#   docs      every example of docs/language.md and docs/rules.md runs as documented;
#             the switch and rule tables of docs/rules.md match data/charter.chron
#   property  random streams of acts keep the invariants (tests/property)
#   coverage  every rule of the charter has a test that names it
#   install   make install into a temporary prefix; a program links through pkg-config
#   mpi       sweep and simulate give the same bytes with -j and under mpirun -np 2 and 3;
#             bad input, --resume, SIGINT (tests/mpi; the mpirun cases skipped without mpirun)
#   security  SQL only from constants; the server's timeouts, connection limit, headers,
#             loopback by default (tests/security)
#   valgrind  (make test only) the golden tests with every command under memcheck
#   fuzz      (make test only) each libFuzzer target for FUZZ_SECS seconds (tests/fuzz)
#   crash     entente run killed with SIGKILL mid-append: the journal is all or
#             nothing and verifies (tests/crash; 5 rounds, make soak runs 100)
#   fault     a full disk, I/O errors and short writes on each system call of
#             an append, and each allocation failing (tests/fault)
#   peer      entente simulate and its SimPy peer (bench/peers/sim_simpy.py) agree on
#             the same crises; --dump-model (tests/peer)
#   api       entente serve: every endpoint and error, the authorization matrix, the
#             live feed, static files (tests/api, node --test)
#   browser   the crisis room's page in Debian's chromium (tests/browser, playwright-core;
#             normal build only; screenshots in BUILD_DIR/artifacts)
# Ends with one line "N passed, N failed" over all sections and builds.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 70
total_pass=0
total_fail=0

count() { # $1 = a line "... N passed, M failed"
    p=$(printf '%s\n' "$1" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
    f=$(printf '%s\n' "$1" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
    [ -n "$p" ] || { p=0; f=1; }
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

for B in "$@"; do
    echo "== $B"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"
    out=$("$B/test-unit" 2>&1); rc=$?
    line=$(printf '%s\n' "$out" | tail -n 1)
    [ $rc -eq 0 ] || printf '%s\n' "$out" | grep -v '^ok ' | tail -n 40
    echo "$line"
    [ $rc -eq 0 ] || case "$line" in *" 0 failed"*) line="unit: 0 passed, 1 failed";; esac
    count "$line"
    sections="golden/run docs/run docs/switches property/run coverage/run peer/run"
    sections="$sections mpi/run crash/run fault/run api/run security/run"
    [ "$B" = "$1" ] && sections="$sections install/run"   # install once, from the normal build
    # the golden tests under valgrind, on the normal build (not with ASan), in make test
    [ "$B" = "$1" ] && [ -n "${FUZZ_BUILD:-}" ] && sections="$sections valgrind/run"
    [ "$B" = "$1" ] && sections="$sections browser/run"   # the page, once, from the normal build
    for t in $sections; do
        s=$(echo "$t" | tr / -)
        line=$(sh "tests/$t.sh" "$B" 2>&1 | tee "$B/test-$s.log" | tail -n 1)
        case "$line" in *passed*) ;; *) tail -n 20 "$B/test-$s.log"; line="$s: 0 passed, 1 failed";; esac
        grep -q FAIL "$B/test-$s.log" && grep -A15 FAIL "$B/test-$s.log" | grep -v " passed, " | head -n 60
        echo "$line"
        count "$line"
    done
done
# fuzz: each libFuzzer target of tests/fuzz for FUZZ_SECS seconds (make test
# builds them into FUZZ_BUILD with clang; make test-fast leaves them out)
if [ -n "${FUZZ_BUILD:-}" ]; then
    echo "== $FUZZ_BUILD"
    line=$(sh tests/fuzz/run.sh "$FUZZ_BUILD" "${FUZZ_SECS:-60}" 2>&1 | tee "$FUZZ_BUILD/test-fuzz.log" | tail -n 1)
    case "$line" in *passed*) ;; *) line="fuzz: 0 passed, 1 failed";; esac
    grep -q FAIL "$FUZZ_BUILD/test-fuzz.log" && grep -A30 FAIL "$FUZZ_BUILD/test-fuzz.log" | head -n 60
    grep '^ok fuzz' "$FUZZ_BUILD/test-fuzz.log"
    echo "$line"
    count "$line"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
