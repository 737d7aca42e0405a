#!/bin/sh
# peer/run.sh BUILD_DIR: `entente simulate` and a peer written with SimPy 3
# (bench/peers/sim_simpy.py) agree on the same crises.
#
# For each crisis the C side writes its model (--dump-model), runs RUNS runs
# (--json and --csv of one invocation), the peer plays the dumped model RUNS
# times with its own random numbers, and tests/peer/compare.py checks every
# probability and mean (4 standard errors of the difference; it also prints
# whether each point estimate lies in the other side's 99% Wilson interval).
# Then the controls: a peer given a model changed on purpose must be caught;
# and --dump-model's own checks (the same text to a file and to standard
# output, voters' probabilities that sum to 1, nothing left behind when the
# file cannot be written).
#
# Environment: PEER_RUNS (default 20000), PYTHON (default /usr/bin/python3),
# PEER_KEEP=1 keeps the temporary directory (its name is printed) to look at.
# shellcheck disable=SC2086 # $KZ, $AM and the crises' flags are lists of words
set -u
B=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 70
PY=${PYTHON:-/usr/bin/python3}
RUNS=${PEER_RUNS:-20000}
E="$B/entente"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! "$PY" -c 'import simpy' 2>/dev/null; then
    ko "$PY cannot import simpy (python3-simpy3: scripts/install-deps.sh)"
    echo "peer: $pass passed, $fail failed"
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/entente-peer.XXXXXX") || exit 73
if [ -n "${PEER_KEEP:-}" ]; then echo "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT INT TERM; fi

KZ="--host KZ --at 2022-01-05 --severity 0.8"
AM="--host AM --kind border-clash --adversary AZ --at 2022-09-13"

# run_c NAME ARGS...: the model and the C ensemble of a crisis
run_c() {
    name=$1
    shift
    if "$E" simulate "$@" --dump-model "$tmp/$name.model.json" 2>"$tmp/$name.err"; then ok "$name: --dump-model"
    else ko "$name: --dump-model"; cat "$tmp/$name.err"; return 1; fi
    if "$E" simulate "$@" --runs "$RUNS" --seed 1 --json --csv "$tmp/$name.csv" >"$tmp/$name.c.json" 2>"$tmp/$name.err"
    then ok "$name: C ensemble of $RUNS runs"
    else ko "$name: C ensemble"; cat "$tmp/$name.err"; return 1; fi
}

# run_peer NAME MODEL OUT: the peer's ensemble
run_peer() {
    if "$PY" bench/peers/sim_simpy.py "$2" --runs "$RUNS" --seed 1 >"$3" 2>"$tmp/$1.perr"; then
        rate=$("$PY" -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["runs_per_second"])' "$3")
        ok "$1: SimPy ensemble of $RUNS runs ($rate runs/s)"
    else
        ko "$1: SimPy ensemble"
        cat "$tmp/$1.perr"
        return 1
    fi
}

# compare NAME [PEER_JSON]: compare.py's checks, counted one by one
compare() {
    "$PY" tests/peer/compare.py "$1" "$tmp/$1.c.json" "$tmp/$1.csv" "${2:-$tmp/$1.peer.json}" >"$tmp/$1.cmp" 2>&1
    rc=$?
    cat "$tmp/$1.cmp"
    line=$(tail -n 1 "$tmp/$1.cmp")
    p=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
    return $rc
}

# kz-2022-asks: the host asks with the model's probability, and without its request the CSC
# proposes anyway under the counterfactual deploy.request=optional
# am-2022-two-thirds: with missions made rare (mission.support-mid -2), so that nearly every
# run comes to a vote (the votes' control below needs them; am-2022 sends a mission in most runs)
printf 'mission.support-mid -2 src=judgement "peer test: a vote in nearly every run"\n' >"$tmp/few-missions.conf"
for c in "kz-2022:$KZ" "am-2022:$AM" "am-2022-two-thirds:$AM --set decision.rule=two-thirds --params $tmp/few-missions.conf" \
    "kz-2022-asks:$KZ --request model --set deploy.request=optional"; do
    name=${c%%:*}
    run_c "$name" ${c#*:} || continue
    run_peer "$name" "$tmp/$name.model.json" "$tmp/$name.peer.json" || continue
    if compare "$name"; then :; fi
    if [ -n "$p" ] && [ -n "$f" ]; then
        pass=$((pass + p))
        fail=$((fail + f))
    else
        ko "$name: compare.py gave no count"
    fi
done

# Controls: the comparison sees a model that differs on purpose.
# perturb IN OUT PYTHON-STATEMENT (on the model d)
perturb() {
    "$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))' "$1" "$2" "$3"
}
if [ -f "$tmp/am-2022-two-thirds.model.json" ] && [ -f "$tmp/am-2022-two-thirds.c.json" ]; then
    # RU's yes 5 points lower, its abstention 5 points higher
    perturb "$tmp/am-2022-two-thirds.model.json" "$tmp/am-ru.model.json" \
        'v = [v for v in d["voters"] if v["code"] == "RU"][0]; v["yes"] -= 0.05; v["abstain"] += 0.05'
    if run_peer am-ru "$tmp/am-ru.model.json" "$tmp/am-ru.peer.json" >/dev/null &&
        ! compare am-2022-two-thirds "$tmp/am-ru.peer.json" >/dev/null &&
        grep -q '^FAIL am-2022-two-thirds: RU yes' "$tmp/am-2022-two-thirds.cmp"
    then ok "control: a peer whose RU votes yes 5 points less often is caught"
    else ko "control: a peer whose RU votes yes 5 points less often is not caught"; cat "$tmp/am-2022-two-thirds.cmp"; fi
fi
if [ -f "$tmp/am-2022.model.json" ] && [ -f "$tmp/am-2022.c.json" ]; then
    # the supreme body sends a mission instead 5 points less often
    perturb "$tmp/am-2022.model.json" "$tmp/am-mi.model.json" 'd["mission"]["p"] -= 0.05'
    if run_peer am-mi "$tmp/am-mi.model.json" "$tmp/am-mi.peer.json" >/dev/null &&
        ! compare am-2022 "$tmp/am-mi.peer.json" >/dev/null && grep -q '^FAIL am-2022: p_mission' "$tmp/am-2022.cmp"
    then ok "control: a peer that sends a mission instead 5 points less often is caught"
    else ko "control: a peer that sends a mission instead 5 points less often is not caught"; cat "$tmp/am-2022.cmp"; fi
fi
if [ -f "$tmp/kz-2022.model.json" ] && [ -f "$tmp/kz-2022.c.json" ]; then
    # mobilization: a mean of a day instead of half a day
    perturb "$tmp/kz-2022.model.json" "$tmp/kz-mob.model.json" 'd["p_mobilize"] = 0.5'
    if run_peer kz-mob "$tmp/kz-mob.model.json" "$tmp/kz-mob.peer.json" >/dev/null &&
        ! compare kz-2022 "$tmp/kz-mob.peer.json" >/dev/null && grep -q '^FAIL kz-2022: days_to_arrival' "$tmp/kz-2022.cmp"
    then ok "control: a peer whose contingents take a day to mobilize instead of half a day is caught"
    else ko "control: a peer whose contingents take a day to mobilize instead of half a day is not caught"; cat "$tmp/kz-2022.cmp"; fi
fi

# --dump-model itself
if "$E" simulate $KZ --dump-model - >"$tmp/stdout.json" 2>/dev/null && cmp -s "$tmp/stdout.json" "$tmp/kz-2022.model.json"
then ok "--dump-model -: the same text as to a file"
else ko "--dump-model -: not the same text as to a file"; fi
if "$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["voters"], "no voters"
for v in d["voters"]:
    ps = [v[k] for k in ("yes", "no", "abstain", "out")]
    assert all(0 <= p <= 1 for p in ps) and abs(sum(ps) - 1) < 1e-12, v
for k in ("contrib_p", "p_session", "p_mobilize", "p_mission", "p_leave", "p_un_late"):
    assert 0 <= d[k] <= 1, k
assert isinstance(d["withdrawal_days"], int) and d["withdrawal_days"] >= 0
assert d["request"]["p_ask"] == 1 and 0 <= d["request"]["p_unasked"] <= 1 and d["request"]["unasked_possible"] is False
assert d["decision"]["rule"] == "consensus" and d["force"]["strength"] > 0
assert d["mission"]["possible"] is True and 0 <= d["mission"]["p"] <= 1
' "$tmp/am-2022.model.json" 2>"$tmp/py.err"
then ok "--dump-model: the voters' four probabilities sum to 1, the others are probabilities"
else ko "--dump-model: a probability is wrong"; cat "$tmp/py.err"; fi
mkdir "$tmp/d"
"$E" simulate $KZ --dump-model "$tmp/d/no/such/dir.json" 2>"$tmp/err"
rc=$?
if [ $rc -eq 73 ] && grep -q "no/such/dir.json" "$tmp/err" && [ -z "$(ls -A "$tmp/d")" ]
then ok "--dump-model into a missing directory: exit 73, a message, nothing written"
else ko "--dump-model into a missing directory: exit $rc"; cat "$tmp/err"; ls -A "$tmp/d"; fi
mkdir "$tmp/d/taken"
"$E" simulate $KZ --dump-model "$tmp/d/taken" 2>"$tmp/err"
rc=$?
if [ $rc -eq 74 ] && grep -q "d/taken" "$tmp/err" && [ "$(ls -A "$tmp/d")" = taken ] && [ -z "$(ls -A "$tmp/d/taken")" ]
then ok "--dump-model onto a directory: exit 74, a message, no temporary file left"
else ko "--dump-model onto a directory: exit $rc"; cat "$tmp/err"; ls -A "$tmp/d"; fi

echo "peer: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
