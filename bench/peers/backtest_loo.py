#!/usr/bin/python3
"""backtest_loo.py: leave-one-out of a one-parameter fit to `entente backtest`.

    /usr/bin/python3 bench/peers/backtest_loo.py build/entente [NAME] [V1,V2,...] [--runs N]

For each value of the parameter NAME (default interest.yes.base) on the grid,
runs `entente backtest --json --params FILE` with that value over the built-in
data/models.conf. The in-sample fit is the value with the lowest Brier score
over the four cases; the leave-one-out score holds each case out in turn, fits
the value on the other three (ties: the value nearest the built-in one), and
scores the held-out case with it. Four cases are few: two of them (Kyrgyzstan
2010, Armenia 2021) are settled by the charter whatever the parameters, so a
fit learns from two cases at most, and holding one of them out leaves one.
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = "4000"
    if "--runs" in sys.argv:
        runs = sys.argv[sys.argv.index("--runs") + 1]
        args = [a for a in args if a != runs]
    if not args:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 64
    exe = args[0]
    name = args[1] if len(args) > 1 else "interest.yes.base"
    grid = [float(v) for v in (args[2] if len(args) > 2 else "-3,-2.5,-2,-1.5,-1,-0.5,0,0.5,1,1.5,2").split(",")]
    # the built-in value, for ties
    dump = json.loads(subprocess.run([exe, "simulate", "--host", "KZ", "--at", "2022-01-05", "--json", "--runs", "1"],
                                     capture_output=True, text=True, check=True).stdout)
    builtin = next(p["value"] for p in dump["parameters"] if p["name"] == name)
    table = {}
    with tempfile.TemporaryDirectory() as tmp:
        for v in grid:
            path = os.path.join(tmp, "p.conf")
            with open(path, "w") as f:
                f.write('%s %r src=judgement "leave-one-out grid"\n' % (name, v))
            out = subprocess.run([exe, "backtest", "--json", "--runs", runs, "--params", path], capture_output=True,
                                 text=True, check=True).stdout
            d = json.loads(out)
            table[v] = [(c["case"], c["p_deployment"], 1.0 if c["deployed"] else 0.0) for c in d["cases"]]
    cases = [c[0] for c in table[grid[0]]]
    n = len(cases)

    def brier(v, keep):
        return sum((table[v][i][1] - table[v][i][2]) ** 2 for i in keep) / len(keep)

    def fit(keep):
        return min(grid, key=lambda v: (round(brier(v, keep), 6), abs(v - builtin)))

    print("%s on the grid (p(deployment) per case, Brier over all four):" % name)
    print("%8s  %s  brier" % ("value", "  ".join("%-15s" % c for c in cases)))
    for v in grid:
        print("%8g  %s  %.4f" % (v, "  ".join("%-15.3f" % table[v][i][1] for i in range(n)), brier(v, range(n))))
    best = fit(range(n))
    print("in-sample fit: %s = %g, Brier %.4f" % (name, best, brier(best, range(n))))
    loo = 0.0
    for i in range(n):
        keep = [j for j in range(n) if j != i]
        v = fit(keep)
        e = (table[v][i][1] - table[v][i][2]) ** 2
        loo += e
        print("  without %-15s fit %g, predicts %.3f (happened: %d), error %.4f" % (cases[i], v, table[v][i][1],
                                                                                   table[v][i][2], e))
    print("leave-one-out Brier %.4f (in-sample %.4f; the built-in value %g scores %.4f)" %
          (loo / n, brier(best, range(n)), builtin, brier(builtin, range(n)) if builtin in table else float("nan")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
