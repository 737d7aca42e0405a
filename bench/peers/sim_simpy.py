#!/usr/bin/python3
"""sim_simpy.py: the crisis model of `entente simulate`, written again with
SimPy 3 (Debian's python3-simpy3), as a peer for the agreement test
(tests/peer/run.sh) and the benchmark (make bench).

    entente simulate --host KZ --at 2022-01-05 --severity 0.8 --dump-model kz.json
    /usr/bin/python3 bench/peers/sim_simpy.py kz.json --runs 20000 --seed 1

It does not work out the crisis's frame or read the parameters: it plays the
model the C side resolved and dumped (--dump-model). A run is the same model
as src/sim/engine.c's sim_run_one, in distribution, not draw for draw (its
random numbers are Python's random.Random(seed)):

  - the request at day 0: the host asks for assistance with probability
    request.p_ask (1 when the crisis gives the request); if it does not,
    or the charter refuses a proposal on its request, the supreme body
    proposes anyway with request.p_unasked where the charter allows it
    (request.unasked_possible: switch deploy.request=optional), else the
    run ends with no vote; the deciding body meets after a geometric wait
  - each voter, in the dumped order, votes yes/no/abstain/out with its four
    probabilities; under consensus the vote stops at the first "no"
  - the outcome by the counts, as the engine's ent__decide
    (src/core/act_charter.c) decides it
  - if adopted: each member that voted yes and may send a contingent (in the
    order of the states) sends one with probability contrib_p, of
    capacity x (0.5 + severity) x U(0.75, 1.25) personnel, capped by what
    is left of the force's strength; it goes by air if every state its
    route crosses consents, else by ground on a route needing no consent,
    else not at all; it arrives after a geometric mobilization and the days
    of travel (a SimPy process per contingent)
  - from the first arrival, the mission lasts 1 + a geometric wait, and not
    less than to the last arrival; each contingent then leaves after a
    geometric wait, a breach when past the withdrawal period; and a late
    notice to the UN once adopted

Prints one JSON object with the summary fields of `entente simulate --json`
that the agreement test compares (with the counts behind each share), and
the runs per second of the simulation loop (model reading and start-up not
included), by the wall clock and by the process's CPU time.
"""
import argparse
import json
import math
import random
import sys
import time

import simpy

EX_USAGE, EX_DATAERR, EX_NOINPUT = 64, 65, 66
YES, NO, ABSTAIN, OUT = 1, 2, 3, 4
ADOPTED, LIMITED, BLOCKED, LAPSED = 1, 2, 3, 4
MISSION = 5  # the supreme body sent a mission instead of proposing a deployment (no vote)
Z95 = 1.959963984540054


def decide(rule, quorum, limited_ok, yes, no, rest):
    """ent__decide (src/core/act_charter.c), on counts."""
    n = yes + no + rest
    if rule == 1:  # two-thirds
        return ADOPTED if n > 0 and yes >= quorum and 3 * yes >= 2 * n else LAPSED
    if rule == 2:  # majority
        return ADOPTED if n > 0 and yes >= quorum and 2 * yes > n else LAPSED
    # consensus: one objection blocks; abstaining or staying out does not
    if no:
        return BLOCKED
    if yes < quorum:
        return LAPSED
    if rest == 0:
        return ADOPTED
    return LIMITED if limited_ok else LAPSED


class Model:
    """The dumped model, with what a run needs precomputed."""

    def __init__(self, d):
        try:
            self.deploy_ok = bool(d["deploy_possible"])
            rq = d["request"]
            self.p_ask, self.unasked_ok, self.p_unasked = (float(rq["p_ask"]), bool(rq["unasked_possible"]),
                                                           float(rq["p_unasked"]))
            mi = d["mission"]
            self.mission_ok, self.p_mission_sent = bool(mi["possible"]), float(mi["p"])
            self.host = int(d["host"])
            self.severity = float(d["severity"])
            dec = d["decision"]
            self.rule, self.quorum, self.limited_ok = int(dec["rule_code"]), int(dec["quorum"]), bool(dec["limited_ok"])
            self.strength = int(d["force"]["strength"])
            self.voters = []  # (state, code, cumulative yes, +no, +abstain)
            for v in d["voters"]:
                py, pn, pa = float(v["yes"]), float(v["no"]), float(v["abstain"])
                self.voters.append((int(v["state"]), v["code"], py, py + pn, py + pn + pa))
            self.contrib_p = float(d["contrib_p"])
            self.p_session, self.p_mobilize, self.p_mission = (float(d[k]) for k in ("p_session", "p_mobilize", "p_mission"))
            self.p_leave, self.withdrawal_days = float(d["p_leave"]), int(d["withdrawal_days"])
            self.p_un_late = float(d["p_un_late"])
            self.states = {}
            for s in d["states"]:
                self.states[int(s["index"])] = s
            # who may send a contingent, in the order of the states (as the engine's bit loop)
            self.may_send = {}
            for i in sorted(self.states):
                s = self.states[i]
                if s["may_contribute"] and i != self.host:
                    consents = [float(c["p"]) for c in sorted(s["consents"], key=lambda c: int(c["state"]))]
                    self.may_send[i] = (int(s["capacity"]), float(s["air_days"]), float(s["ground_days"]), consents)
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError("the model lacks or garbles %s" % e) from None
        if not self.voters and (self.deploy_ok or self.unasked_ok):
            raise ValueError("the model has no voters")
        self.codes = [v[1] for v in self.voters]


def geom_fn(p):
    """Whole days of a geometric wait with success probability p a day, from a uniform in (0, 1]."""
    if p >= 1.0:
        return lambda u: 0
    lp = math.log1p(-p)
    return lambda u: min(int(math.floor(math.log(u) / lp)), 100000)


class Agg:
    """The aggregate of runs, as the engine's sim_agg (integers)."""

    def __init__(self, m):
        self.runs = 0
        self.outcome = [0] * 6
        self.breached = 0
        self.asked = self.unasked = 0
        self.votes = {v[0]: [0] * 5 for v in m.voters}
        self.decision = [0, 0, 0]  # n, sum, sum of squares
        self.arrival = [0, 0, 0]
        self.mission = [0, 0, 0]
        self.troops = [0, 0, 0]


def add(h, v):
    h[0] += 1
    h[1] += v
    h[2] += v * v


def crisis(env, m, rng, agg, g_session, g_mobilize, g_mission):
    """One crisis, as a SimPy process: the session, the vote, the contingents (a process each), the mission."""
    rnd = rng.random
    agg.runs += 1
    asked = m.p_ask >= 1.0 or rnd() < m.p_ask
    agg.asked += asked
    unasked = False
    if not (asked and m.deploy_ok):
        if not m.unasked_ok or rnd() >= m.p_unasked:
            agg.outcome[0] += 1
            return
        agg.unasked += 1
        unasked = True
    yield env.timeout(g_session(1.0 - rnd()))  # the deciding body meets
    decision_day = env.now
    if not unasked and m.mission_ok and rnd() < m.p_mission_sent:
        agg.outcome[MISSION] += 1  # a mission on the request instead: no vote, no force
        return
    votes = {}
    ny = nn = 0
    for state, _code, c_yes, c_no, c_abst in m.voters:
        x = rnd()
        v = YES if x < c_yes else NO if x < c_no else ABSTAIN if x < c_abst else OUT
        votes[state] = v
        if v == YES:
            ny += 1
        elif v == NO:
            nn += 1
            if m.rule == 0:
                break  # under consensus the engine takes no vote after an objection
    outcome = decide(m.rule, m.quorum, m.limited_ok, ny, nn, len(m.voters) - ny - nn)
    agg.outcome[outcome] += 1
    for state, _code, _a, _b, _c in m.voters:
        agg.votes[state][votes.get(state, 0)] += 1
    add(agg.decision, decision_day)
    breaches = 0
    if outcome == ADOPTED or outcome == LIMITED:
        left = m.strength
        troops = 0
        arrivals = []
        last = -1
        for i, (cap, air, ground, consents) in m.may_send.items():
            if votes.get(i) != YES or rnd() >= m.contrib_p:
                continue
            men = int(cap * (0.5 + m.severity) * (0.75 + 0.5 * (1.0 - rnd())) + 0.5)
            if men > left:
                men = left
            if men <= 0:
                continue
            days = air
            if days >= 0:
                for p in consents:
                    if rnd() >= p:
                        days = -1
                        break
            if days < 0:
                days = ground
            if days < 0:
                continue  # no way there
            left -= men
            troops += men
            trip = g_mobilize(1.0 - rnd()) + days
            arrivals.append(env.process(contingent(env, trip)))
            last = max(last, decision_day + trip)
        if arrivals:
            yield env.any_of(arrivals)  # the first contingent is there
            first = env.now
            add(agg.arrival, first)
            add(agg.troops, troops)
            # complete after the mission's days, not before the last contingent is there
            done = max(first + 1 + g_mission(1.0 - rnd()), last)
            yield env.timeout(done - env.now)
            add(agg.mission, done - first)
            # each contingent leaves after a wait of its own; past the withdrawal period, a breach
            late = False
            for _ in arrivals:
                late |= m.g_leave(1.0 - rnd()) > m.withdrawal_days
            breaches += late
        breaches += rnd() < m.p_un_late
    agg.breached += breaches > 0


def contingent(env, trip):
    yield env.timeout(trip)  # mobilization and the journey


def simulate(m, runs, seed, batch):
    """Runs in SimPy environments of `batch` crises each (1: an environment per run)."""
    rng = random.Random(seed)
    agg = Agg(m)
    gs, gm, gi = geom_fn(m.p_session), geom_fn(m.p_mobilize), geom_fn(m.p_mission)
    m.g_leave = geom_fn(m.p_leave)
    t0, c0 = time.perf_counter(), time.process_time()
    done = 0
    while done < runs:
        k = min(batch, runs - done)
        env = simpy.Environment()
        for _ in range(k):
            env.process(crisis(env, m, rng, agg, gs, gm, gi))
        env.run()
        done += k
    return agg, time.perf_counter() - t0, time.process_time() - c0


def wilson(k, n, z=Z95):
    if n == 0:
        return {"p": 0.0, "lo": 0.0, "hi": 0.0, "k": k, "n": n}
    p = k / n
    z2 = z * z
    c = (p + z2 / (2 * n)) / (1 + z2 / n)
    h = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return {"p": p, "lo": max(0.0, c - h), "hi": min(1.0, c + h), "k": k, "n": n}


def moments(h):
    n, s, s2 = h
    if n == 0:
        return {"runs": 0}
    mean = s / n
    var = (s2 - n * mean * mean) / (n - 1) if n > 1 else 0.0
    se = math.sqrt(var / n) if var > 0 else 0.0
    return {"runs": n, "mean": mean, "lo": mean - Z95 * se, "hi": mean + Z95 * se, "se": se}


def summary(m, agg, secs, cpu, args):
    a = agg
    out = {
        "peer": "simpy %s" % simpy.__version__,
        "python": sys.version.split()[0],
        "seed": args.seed,
        "runs": a.runs,
        "batch": args.batch,
        "p_adopted": wilson(a.outcome[ADOPTED] + a.outcome[LIMITED], a.runs),
    }
    for k, name in enumerate(("p_no_vote", "p_adopted_full", "p_limited", "p_blocked", "p_lapsed", "p_mission")):
        out[name] = wilson(a.outcome[k], a.runs)
    out["p_deployed"] = wilson(a.arrival[0], a.runs)
    out["p_breach"] = wilson(a.breached, a.runs)
    out["p_asked"] = wilson(a.asked, a.runs)
    out["p_unasked"] = wilson(a.unasked, a.runs)
    out["days_to_decision"] = moments(a.decision)
    out["days_to_arrival"] = moments(a.arrival)
    out["troops"] = moments(a.troops)
    out["mission_days"] = moments(a.mission)
    members = {}
    for state, code, _a, _b, _c in m.voters:
        v = a.votes[state]
        n = v[1] + v[2] + v[3] + v[4]
        members[code] = {"yes": v[1] / n if n else 0.0, "no": v[2] / n if n else 0.0,
                         "abstain": v[3] / n if n else 0.0, "out": v[4] / n if n else 0.0,
                         "n": n, "counts": v[1:]}
    out["members"] = members
    out["seconds"] = secs
    out["runs_per_second"] = a.runs / secs if secs > 0 else 0.0
    out["runs_per_cpu_second"] = a.runs / cpu if cpu > 0 else 0.0
    return out


def main(argv):
    ap = argparse.ArgumentParser(prog="sim_simpy.py", description="The crisis model of `entente simulate`, with SimPy 3, "
                                 "on a model written by `entente simulate ... --dump-model FILE`.")
    ap.add_argument("model", help="the model's JSON ('-': standard input)")
    ap.add_argument("--runs", type=int, default=10000, help="runs (default 10000)")
    ap.add_argument("--seed", type=int, default=1, help="seed of random.Random (default 1)")
    ap.add_argument("--batch", type=int, default=10,
                    help="crises per SimPy environment (default 10, the fastest measured; 1: an environment "
                    "per run)")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.batch < 1:
        print("sim_simpy.py: --runs and --batch want a whole number from 1", file=sys.stderr)
        return EX_USAGE
    try:
        if args.model == "-":
            d = json.load(sys.stdin)
        else:
            with open(args.model, encoding="utf-8") as f:
                d = json.load(f)
    except OSError as e:
        print("sim_simpy.py: %s: %s" % (args.model, e.strerror), file=sys.stderr)
        return EX_NOINPUT
    except ValueError as e:
        print("sim_simpy.py: %s: not JSON: %s" % (args.model, e), file=sys.stderr)
        return EX_DATAERR
    try:
        m = Model(d)
    except ValueError as e:
        print("sim_simpy.py: %s: %s" % (args.model, e), file=sys.stderr)
        return EX_DATAERR
    agg, secs, cpu = simulate(m, args.runs, args.seed, args.batch)
    json.dump(summary(m, agg, secs, cpu, args), sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
