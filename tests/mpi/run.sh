#!/bin/sh
# tests/mpi/run.sh BUILD_DIR: entente sweep and simulate across threads and processes.
#
#   - the same bytes from one process, -j 2, and mpirun -np 2 and -np 3
#     (sweep's CSV file; simulate's text and JSON summaries)
#   - a sweep's cell is `entente simulate` with the cell's seed and switches
#   - bad input exits 64 with a precise message and writes nothing
#   - --resume completes a file cut after k rows (or inside a row, or inside
#     the header) to the bytes of a whole run; a file of another sweep is left alone
#   - SIGINT leaves complete rows and says how to go on; --resume then gives the
#     bytes of a whole run (one process, and under mpirun)
#   - the progress bar only on a terminal, or with --progress
#
# Without mpirun (or with an entente built without MPI) the mpirun cases are skipped,
# with a message. Under ASan (BUILD_DIR/san) the mpirun cases run with leak checks
# off: Open MPI does not free its own memory at MPI_Finalize.
# Last line: "mpi: N passed, M failed".
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/mpi/run.sh BUILD_DIR" >&2
    exit 64
fi
B=$1
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
E="$B/entente"
if [ ! -x "$E" ]; then
    echo "mpi: no binary $E (run make first)"
    echo "mpi: 0 passed, 1 failed"
    exit 1
fi
ENTENTE_TODAY=2026-11-28
LC_ALL=C
export ENTENTE_TODAY LC_ALL
T=$(mktemp -d "${TMPDIR:-/tmp}/entente-mpi.XXXXXX") || exit 70
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
same() { # NAME A B: files A and B are the same bytes
    if cmp -s "$2" "$3"; then ok "$1"; else bad "$1"; diff "$2" "$3" | head -n 10; fi
}

MPIRUN=""
if command -v mpirun >/dev/null 2>&1; then
    MPIRUN="mpirun --allow-run-as-root --oversubscribe"
    # Open MPI's memory is not freed at MPI_Finalize: no leak checks under mpirun
    MPIENV="ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0"
    if ! env "$MPIENV" $MPIRUN -np 2 "$E" sweep --host KZ --at 2022-01-05 --runs 10 --out "$T/probe.csv" \
        >"$T/probe.out" 2>&1; then
        if grep -q "built without MPI" "$T/probe.out"; then
            echo "mpi: $E was built without MPI: the mpirun cases are skipped"
        else
            echo "mpi: mpirun -np 2 fails:"
            head -n 20 "$T/probe.out"
            bad "mpirun -np 2 runs entente"
        fi
        MPIRUN=""
    fi
else
    echo "mpi: no mpirun: the mpirun cases are skipped (scripts/install-deps.sh installs Open MPI)"
fi
mpi() { # NP ARGS...: entente under mpirun with NP processes
    np=$1
    shift
    env "$MPIENV" $MPIRUN -np "$np" "$E" "$@"
}

# ---------------------------------------------------------------- sweep: the same bytes
SW="--host KZ --at 2022-01-05 --rule consensus,limited,two-thirds,majority --withdrawal 10,30 --vary interest.w-align=1,2.5"
SW="$SW --runs 3000 --seed 7"
"$E" sweep $SW --out "$T/s1.csv" 2>"$T/s1.err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$T/s1.err" ] && [ "$(grep -vc '^#' "$T/s1.csv")" -eq 17 ]; then
    ok "sweep: 16 cells, one row each, exit 0, quiet"
else
    bad "sweep: 16 cells, one row each, exit 0, quiet (exit $rc)"
    cat "$T/s1.err"
fi
"$E" sweep $SW --out "$T/s-j2.csv" -j 2
same "sweep: -j 2 gives the same bytes" "$T/s1.csv" "$T/s-j2.csv"
"$E" sweep $SW --out - >"$T/s-stdout.csv"
same "sweep: --out - gives the same bytes" "$T/s1.csv" "$T/s-stdout.csv"
if [ -n "$MPIRUN" ]; then
    for np in 2 3; do
        mpi $np sweep $SW --out "$T/s-np$np.csv" >"$T/np.out" 2>&1 || cat "$T/np.out"
        same "sweep: mpirun -np $np gives the same bytes" "$T/s1.csv" "$T/s-np$np.csv"
    done
    mpi 2 sweep $SW --out "$T/s-np2j2.csv" -j 2 >"$T/np.out" 2>&1 || cat "$T/np.out"
    same "sweep: mpirun -np 2 with -j 2 gives the same bytes" "$T/s1.csv" "$T/s-np2j2.csv"
fi
# the cells in order, the last axis changing fastest: cell 5 is rule 1 (limited), withdrawal 0 (10), w-align 1 (2.5)
row=$(grep '^5,' "$T/s1.csv" | cut -d, -f3-6)
[ "$row" = "limited,10,2.5,3000" ] && ok "sweep: cell 5 is limited, 10 days, 2.5" || bad "sweep: cell 5 is '$row'"

# a cell is entente simulate with its seed and switches (cell 9: two-thirds, 10 days, w-align 2.5)
seed=$(grep '^9,' "$T/s1.csv" | cut -d, -f2)
p=$(grep '^9,' "$T/s1.csv" | cut -d, -f7-9)
printf 'interest.w-align 2.5 src=judgement "test"\n' >"$T/p.conf"
"$E" simulate --host KZ --at 2022-01-05 --runs 3000 --seed "$seed" --params "$T/p.conf" --set decision.rule=two-thirds \
    --set mandate.withdrawal-days=10 --json >"$T/sim.json"
q=$(sed -n 's/.*"p_adopted":{"p":\([0-9.]*\),"lo":\([0-9.]*\),"hi":\([0-9.]*\)}.*/\1,\2,\3/p' "$T/sim.json")
[ -n "$q" ] && [ "$p" = "$q" ] && ok "sweep: cell 9 is entente simulate --seed $seed ($p)" ||
    bad "sweep: cell 9 gives $p, simulate --seed $seed gives '$q'"

# ---------------------------------------------------------------- simulate: the same bytes
SIM="--host KZ --at 2022-01-05 --severity 0.8 --runs 50001 --seed 3"
"$E" simulate $SIM >"$T/m1.txt"
"$E" simulate $SIM -j 2 >"$T/m-j2.txt"
same "simulate: -j 2 gives the same summary" "$T/m1.txt" "$T/m-j2.txt"
"$E" simulate $SIM --json >"$T/m1.json"
if [ -n "$MPIRUN" ]; then
    for np in 2 3; do
        mpi $np simulate $SIM >"$T/m-np$np.txt" 2>"$T/np.err" || cat "$T/np.err"
        same "simulate: mpirun -np $np gives the same summary" "$T/m1.txt" "$T/m-np$np.txt"
        mpi $np simulate $SIM --json >"$T/m-np$np.json" 2>"$T/np.err" || cat "$T/np.err"
        same "simulate: mpirun -np $np gives the same JSON" "$T/m1.json" "$T/m-np$np.json"
    done
    mpi 2 simulate $SIM --csv "$T/rows.csv" >"$T/np.out" 2>&1
    rc=$?
    if [ $rc -eq 64 ] && grep -q "csv" "$T/np.out" && [ ! -e "$T/rows.csv" ]; then
        ok "simulate: --csv under mpirun exits 64, writes nothing"
    else
        bad "simulate: --csv under mpirun exits 64 (exit $rc)"
        cat "$T/np.out"
    fi
fi

# ---------------------------------------------------------------- the request: drawn, and the switch as an axis
RQ="--host AM --kind aggression --adversary AZ --at 2022-09-13 --request model --runs 4001 --seed 5"
"$E" sweep $RQ --vary deploy.request=required,optional --out "$T/r1.csv"
"$E" sweep $RQ --vary deploy.request=required,optional --out "$T/r-j2.csv" -j 2
same "sweep --vary deploy.request: -j 2 gives the same bytes" "$T/r1.csv" "$T/r-j2.csv"
"$E" simulate $RQ --set deploy.request=optional >"$T/q1.txt"
"$E" simulate $RQ --set deploy.request=optional -j 2 >"$T/q-j2.txt"
same "simulate --request model, deploy.request=optional: -j 2 gives the same summary" "$T/q1.txt" "$T/q-j2.txt"
if [ -n "$MPIRUN" ]; then
    for np in 2 3; do
        mpi $np sweep $RQ --vary deploy.request=required,optional --out "$T/r-np$np.csv" >"$T/np.out" 2>&1 || cat "$T/np.out"
        same "sweep --vary deploy.request: mpirun -np $np gives the same bytes" "$T/r1.csv" "$T/r-np$np.csv"
        mpi $np simulate $RQ --set deploy.request=optional >"$T/q-np$np.txt" 2>"$T/np.err" || cat "$T/np.err"
        same "simulate --request model: mpirun -np $np gives the same summary" "$T/q1.txt" "$T/q-np$np.txt"
    done
fi

# ---------------------------------------------------------------- bad input
usage() { # NAME MESSAGE ARGS...: exit 64, the message on standard error, no file
    name=$1
    msg=$2
    shift 2
    rm -f "$T/bad.csv"
    "$E" sweep --host KZ --at 2022-01-05 --out "$T/bad.csv" "$@" >"$T/bad.out" 2>"$T/bad.err"
    rc=$?
    if [ $rc -eq 64 ] && grep -qF "$msg" "$T/bad.err" && [ ! -s "$T/bad.out" ] && [ ! -e "$T/bad.csv" ]; then
        ok "bad input: $name"
    else
        bad "bad input: $name (exit $rc)"
        cat "$T/bad.err"
    fi
}
usage "unknown --vary name" "entente sweep: --vary: no parameter 'interest.w-nope' in data/models.conf" \
    --vary interest.w-nope=1,2
usage "empty --vary list" "entente sweep: --vary interest.w-align: the list of values is empty" --vary interest.w-align=
usage "empty --vary value" "entente sweep: --vary interest.w-align: an empty value in '1,,2'" --vary interest.w-align=1,,2
usage "--vary value not a number" "entente sweep: --vary interest.w-align: 'two' is not a number" \
    --vary interest.w-align=1,two
usage "--vary without =" "entente sweep: --vary wants NAME=V1,V2,..., not 'interest.w-align'" --vary interest.w-align
usage "--vary twice the same name" "entente sweep: --vary: the parameter 'contrib.p' is given twice" \
    --vary contrib.p=0.5 --vary contrib.p=0.6
usage "unknown rule" "entente sweep: --rule: unknown rule 'unanimity' (consensus, limited, two-thirds, majority)" \
    --rule consensus,unanimity
usage "empty rule list" "entente sweep: --rule wants a comma list of consensus, limited, two-thirds, majority, not ''" \
    --rule ""
usage "bad withdrawal" "entente sweep: --withdrawal: '4000' is not a whole number of days from 0 to 3650" \
    --withdrawal 10,4000
usage "--rule with --set decision.rule" "entente sweep: --set decision.rule=majority: --rule sets that switch" \
    --rule consensus --set decision.rule=majority
usage "a cell's parameter out of range" "entente sweep: cell 1 (contrib.p=1.5): contrib.p is 1.5: a probability is from 0 to 1" \
    --vary contrib.p=0.5,1.5
usage "--resume to standard output" "entente sweep: --resume needs a file" --resume --out -
rm -f "$T/bad.csv"
"$E" sweep --host KZ --at 2022-01-05 --runs 10 >"$T/bad.out" 2>"$T/bad.err"
rc=$?
[ $rc -eq 64 ] && grep -qF -- "--out FILE is required" "$T/bad.err" && ok "bad input: no --out" || bad "bad input: no --out (exit $rc)"

# ---------------------------------------------------------------- resume
hl=$(grep -c '^#' "$T/s1.csv")
hl=$((hl + 1)) # and the column names
for k in 0 1 7 16; do
    head -n $((hl + k)) "$T/s1.csv" >"$T/cut.csv"
    "$E" sweep $SW --out "$T/cut.csv" --resume 2>"$T/cut.err"
    rc=$?
    [ $rc -eq 0 ] && cmp -s "$T/s1.csv" "$T/cut.csv" && ok "resume: a file cut after $k rows is completed" ||
        { bad "resume: a file cut after $k rows is completed (exit $rc)"; cat "$T/cut.err"; }
done
grep -q "holds every cell already" "$T/cut.err" && ok "resume: a whole file is said to be whole" ||
    bad "resume: a whole file is said to be whole"
size=$(wc -c <"$T/s1.csv")
for cut in 100 $((size - 20)); do # inside the header, inside the last row
    head -c $cut "$T/s1.csv" >"$T/cut.csv"
    "$E" sweep $SW --out "$T/cut.csv" --resume 2>"$T/cut.err"
    rc=$?
    [ $rc -eq 0 ] && cmp -s "$T/s1.csv" "$T/cut.csv" && ok "resume: a file cut at byte $cut is completed" ||
        { bad "resume: a file cut at byte $cut is completed (exit $rc)"; cat "$T/cut.err"; }
done
"$E" sweep $SW --out "$T/none.csv" --resume
same "resume: a missing file is made whole" "$T/s1.csv" "$T/none.csv"
if [ -n "$MPIRUN" ]; then
    head -n $((hl + 5)) "$T/s1.csv" >"$T/cut.csv"
    mpi 3 sweep $SW --out "$T/cut.csv" --resume >"$T/np.out" 2>&1 || cat "$T/np.out"
    same "resume: under mpirun -np 3" "$T/s1.csv" "$T/cut.csv"
fi
head -n $((hl + 3)) "$T/s1.csv" >"$T/cut.csv"
cp "$T/cut.csv" "$T/cut0.csv"
"$E" sweep $SW --seed 8 --out "$T/cut.csv" --resume 2>"$T/cut.err"
rc=$?
[ $rc -eq 65 ] && grep -q "not this sweep's file" "$T/cut.err" && cmp -s "$T/cut.csv" "$T/cut0.csv" &&
    ok "resume: another sweep's file exits 65 and is left alone" ||
    { bad "resume: another sweep's file exits 65 and is left alone (exit $rc)"; cat "$T/cut.err"; }
sed 's/^2,[0-9]*,/2,12345,/' "$T/cut0.csv" >"$T/cut.csv"
"$E" sweep $SW --out "$T/cut.csv" --resume 2>"$T/cut.err"
rc=$?
[ $rc -eq 65 ] && grep -q "not row 2 of this sweep" "$T/cut.err" && ok "resume: a row that is not the cell's exits 65" ||
    { bad "resume: a row that is not the cell's exits 65 (exit $rc)"; cat "$T/cut.err"; }

# ---------------------------------------------------------------- interruption
# 12 cells of 400,000 runs (about 2 s on one core); SIGINT once the first row is written
BIG="--host KZ --at 2022-01-05 --rule consensus,limited,majority --vary interest.w-align=1,2,3,4 --runs 400000"
"$E" sweep $BIG --out "$T/big.csv"
interrupted() { # NAME FILE ERR RC: RC is the exit status, or "any"
    rows=$(grep -vc '^#' "$2")
    all=$(grep -vc '^#' "$T/big.csv")
    if { [ "$4" = any ] || [ "$4" -eq 130 ]; } && [ "$(tail -c 1 "$2" | od -An -c | tr -d ' ')" = '\n' ] && [ "$rows" -lt "$all" ] &&
        grep -q "to go on: .* --resume" "$3" && head -n "$(wc -l <"$2")" "$T/big.csv" | cmp -s - "$2"; then
        ok "$1: exit 130, $((rows - 1)) complete rows, the way to go on"
    else
        bad "$1: exit 130, complete rows, the way to go on (exit $4, $rows lines)"
        cat "$3"
    fi
}
started() { # FILE PID: wait (up to 60 s, while PID runs) until FILE has its first row: the work is under way
    i=0
    while kill -0 "$2" 2>/dev/null && [ "$(cat "$1" 2>/dev/null | grep -vc '^#')" -lt 2 ] && [ $i -lt 1200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}
# a background job of a script starts with SIGINT ignored, and entente keeps it so (as
# nohup would want): python3 gives it back its default first
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
        "$E" sweep $BIG --out "$T/int.csv" 2>"$T/int.err" &
    sig=INT
else
    "$E" sweep $BIG --out "$T/int.csv" 2>"$T/int.err" &
    sig=TERM
fi
pid=$!
started "$T/int.csv" $pid
kill -$sig $pid 2>/dev/null
wait $pid
interrupted "SIG$sig" "$T/int.csv" "$T/int.err" $?
"$E" sweep $BIG --out "$T/int.csv" --resume
same "SIG$sig: --resume gives the bytes of a whole run" "$T/big.csv" "$T/int.csv"
if [ -n "$MPIRUN" ]; then
    # mpirun passes SIGINT on as SIGTERM a second later (and SIGKILL a second after that): 6 cells
    # of 5,000,000 runs, 3 rounds of 2 cells, so that the job is still running then
    BIG="--host KZ --at 2022-01-05 --rule consensus,limited,majority --vary interest.w-align=1,3 --runs 5000000"
    mpi 2 sweep $BIG --out "$T/big.csv" >"$T/np.out" 2>&1 || cat "$T/np.out"
    env "$MPIENV" $MPIRUN -np 2 "$E" sweep $BIG --out "$T/int2.csv" >"$T/int2.err" 2>&1 &
    pid=$!
    started "$T/int2.csv" $pid
    kill -INT $pid 2>/dev/null
    wait $pid
    # mpirun's own status is its own; the file and the message are ours
    interrupted "SIGINT to mpirun -np 2" "$T/int2.csv" "$T/int2.err" any
    mpi 2 sweep $BIG --out "$T/int2.csv" --resume >"$T/np.out" 2>&1 || cat "$T/np.out"
    same "SIGINT to mpirun: --resume gives the bytes of a whole run" "$T/big.csv" "$T/int2.csv"
fi

# ---------------------------------------------------------------- progress bar
"$E" sweep $SW --out "$T/p.csv" --progress 2>"$T/p.err"
grep -q "/16 cells" "$T/p.err" && same "progress: --progress draws the bar, the same file" "$T/s1.csv" "$T/p.csv" ||
    bad "progress: --progress draws the bar"
"$E" sweep $SW --out "$T/p.csv" 2>"$T/p.err"
[ ! -s "$T/p.err" ] && ok "progress: none when standard error is not a terminal" || bad "progress: none off a terminal"
if command -v script >/dev/null 2>&1; then
    script -qec "\"$E\" sweep $(echo $SW) --out \"$T/p.csv\"" /dev/null >"$T/p.tty" 2>&1
    grep -q "/16 cells" "$T/p.tty" && ok "progress: drawn on a terminal" || bad "progress: drawn on a terminal"
fi

echo "mpi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
