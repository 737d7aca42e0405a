#!/usr/bin/python3
"""compare.py LABEL C_JSON C_CSV PEER_JSON: do `entente simulate` and the
SimPy peer (bench/peers/sim_simpy.py) agree on one crisis?

The C side: its --json summary, and its --csv rows of the same invocation
(for the exact counts behind each share: the JSON rounds to 4 decimals and
does not say how many runs each member voted in). The counts from the CSV
must give the JSON's figures back (one check), then:

  - proportions (p_adopted, p_limited, p_blocked, p_mission, p_deployed,
    p_breach, each member's
    yes/no/abstain/out share): the two estimates differ by at most 4
    standard errors of their difference (pooled two-sample z), and
  - means (days to the decision, days to the first arrival, troops,
    mission days): the same, with the standard error of each mean.

Both sides are random, so "the C point estimate lies inside the peer's 99%
Wilson interval" fails about 7% of the time for each figure when the two
are equal in distribution (the difference of two estimates has sqrt(2) times
the spread of either): with some 15 figures a crisis, a test built on it
would fail most seeds. That containment, both ways, is printed for the
record (info lines), and 4 standard errors of the difference is the
criterion (a false alarm about once in 16,000 figures; a difference of 1.5
percentage points in a yes share of 20,000 runs is seen).

Prints "ok ..." or "FAIL ..." per check, "info ..." lines, and at the end
"LABEL: N passed, M failed". Exit 0 if all passed, 1 if not, 2 on bad input.
"""
import csv
import json
import math
import sys

Z = 4.0
Z99 = 2.5758293035489004


def wilson(k, n, z):
    if n == 0:
        return 0.0, 1.0
    p = k / n
    z2 = z * z
    c = (p + z2 / (2 * n)) / (1 + z2 / n)
    h = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, c - h), min(1.0, c + h)


def moments(values):
    n = len(values)
    if n == 0:
        return {"runs": 0}
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return {"runs": n, "mean": mean, "se": math.sqrt(var / n)}


def c_side(cj, rows):
    """The C side's counts, from its CSV rows; checked against its JSON."""
    n = len(rows)
    outcome = {}
    for r in rows:
        outcome[r["outcome"]] = outcome.get(r["outcome"], 0) + 1
    s = {"runs": n}
    s["p_adopted"] = (outcome.get("adopted", 0) + outcome.get("limited", 0), n)
    s["p_limited"] = (outcome.get("limited", 0), n)
    s["p_blocked"] = (outcome.get("blocked", 0), n)
    s["p_mission"] = (outcome.get("mission", 0), n)
    s["p_breach"] = (sum(1 for r in rows if int(r["breaches"]) > 0), n)
    voted = [r for r in rows if r["outcome"] not in ("none", "mission")]
    arrived = [r for r in rows if int(r["arrival_day"]) >= 0]
    s["p_deployed"] = (len(arrived), n)
    s["days_to_decision"] = moments([int(r["decision_day"]) for r in voted])
    s["days_to_arrival"] = moments([int(r["arrival_day"]) for r in arrived])
    s["troops"] = moments([int(r["troops"]) for r in arrived])
    s["mission_days"] = moments([int(r["mission_days"]) for r in arrived])
    members = {}
    for code in cj["members"]:
        col = [r["vote_" + code] for r in voted if r["vote_" + code]]
        members[code] = {v: col.count(v) for v in ("yes", "no", "abstain", "out")}
        members[code]["n"] = len(col)
    s["members"] = members
    # the CSV must give the JSON's figures (4 decimals) back
    bad = []
    if cj["runs"] != n:
        bad.append("runs %d in the JSON, %d rows" % (cj["runs"], n))
    for key in ("p_adopted", "p_limited", "p_blocked", "p_mission", "p_deployed", "p_breach"):
        k, m = s[key]
        if abs(k / m - cj[key]["p"]) > 6e-5:
            bad.append("%s %.6f from the rows, %.4f in the JSON" % (key, k / m, cj[key]["p"]))
    for key in ("days_to_decision", "days_to_arrival", "troops", "mission_days"):
        if s[key]["runs"] != cj[key]["runs"] or (s[key]["runs"] and abs(s[key]["mean"] - cj[key]["mean"]) > 6e-5):
            bad.append("%s: %s from the rows, %s in the JSON" % (key, s[key], cj[key]))
    for code, c in members.items():
        for v in ("yes", "no", "abstain", "out"):
            if c["n"] and abs(c[v] / c["n"] - cj["members"][code][v]) > 6e-5:
                bad.append("%s %s %.6f from the rows, %.4f in the JSON" % (code, v, c[v] / c["n"], cj["members"][code][v]))
    return s, bad


def main(argv):
    if len(argv) != 4:
        print("usage: compare.py LABEL C_JSON C_CSV PEER_JSON", file=sys.stderr)
        return 2
    label, cjson, ccsv, pjson = argv
    try:
        with open(cjson, encoding="utf-8") as f:
            cj = json.load(f)
        with open(ccsv, encoding="utf-8") as f:
            rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
        with open(pjson, encoding="utf-8") as f:
            pj = json.load(f)
    except (OSError, ValueError) as e:
        print("compare.py: %s" % e, file=sys.stderr)
        return 2
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok   %s: %s" % (label, what))
        else:
            failed += 1
            print("FAIL %s: %s" % (label, what))

    c, bad = c_side(cj, rows)
    check(not bad, "the C side's CSV rows give its JSON summary back" + ("" if not bad else ": " + "; ".join(bad[:5])))

    # proportions
    props = [(key, c[key], (pj[key]["k"], pj[key]["n"]))
             for key in ("p_adopted", "p_limited", "p_blocked", "p_mission", "p_deployed", "p_breach")]
    for code, cm in c["members"].items():
        pm = pj["members"].get(code)
        if pm is None:
            check(False, "%s votes in C, not in the peer" % code)
            continue
        for i, v in enumerate(("yes", "no", "abstain", "out")):
            props.append(("%s %s" % (code, v), (cm[v], cm["n"]), (pm["counts"][i], pm["n"])))
    inside = total = 0
    for name, (kc, nc), (kp, np_) in props:
        if nc == 0 or np_ == 0:
            check(nc == np_ == 0, "%s: %d C runs, %d peer runs" % (name, nc, np_))
            continue
        pc, pp = kc / nc, kp / np_
        pbar = (kc + kp) / (nc + np_)
        se = math.sqrt(pbar * (1 - pbar) * (1 / nc + 1 / np_))
        z = abs(pc - pp) / se if se > 0 else (0.0 if pc == pp else math.inf)
        check(z <= Z, "%-12s C %.4f (%d runs)  peer %.4f (%d runs)  |z| %.2f %s %g"
              % (name, pc, nc, pp, np_, z, "<=" if z <= Z else ">", Z))
        if name in ("p_adopted", "p_blocked", "p_mission") or name.endswith(" yes"):
            lo_p, hi_p = wilson(kp, np_, Z99)
            lo_c, hi_c = wilson(kc, nc, Z99)
            a, b = lo_p <= pc <= hi_p, lo_c <= pp <= hi_c
            inside += a + b
            total += 2
            print("info %s: %-12s C %.4f in the peer's 99%% Wilson [%.4f, %.4f]: %s; peer %.4f in C's [%.4f, %.4f]: %s"
                  % (label, name, pc, lo_p, hi_p, "yes" if a else "NO", pp, lo_c, hi_c, "yes" if b else "NO"))
    print("info %s: point estimates inside the other side's 99%% Wilson interval: %d of %d "
          "(about 93%% expected when both are equal in distribution)" % (label, inside, total))

    # means
    for key in ("days_to_decision", "days_to_arrival", "troops", "mission_days"):
        mc, mp = c[key], pj[key]
        if mc["runs"] == 0 or mp["runs"] == 0:
            check(mc["runs"] == mp["runs"] == 0, "%s: %d C runs, %d peer runs" % (key, mc["runs"], mp["runs"]))
            continue
        se = math.hypot(mc["se"], mp["se"])
        z = abs(mc["mean"] - mp["mean"]) / se if se > 0 else (0.0 if mc["mean"] == mp["mean"] else math.inf)
        check(z <= Z, "%-16s C %.4f +- %.4f (%d runs)  peer %.4f +- %.4f (%d runs)  |z| %.2f %s %g"
              % (key, mc["mean"], mc["se"], mc["runs"], mp["mean"], mp["se"], mp["runs"], z, "<=" if z <= Z else ">", Z))
    print("%s: %d passed, %d failed" % (label, passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
