#!/usr/bin/env python3
"""Generates test/fixtures/fleet/fleet-ks.json: exact two-sample KS (scipy) between a
reference sample and the union of several devices' samples, for the sketch-based
fleet KS test (test/profile/fleet-ks-scipy.test.ts).

Run from the repository root:  python3 scripts/gen-fleet-ks-fixtures.py
Needs scipy (apt-get install -y python3-scipy). The data are not stored: each data set
is drawn from Python's `random.Random(seed)` (Mersenne Twister), which edgewatch's
`PyRandom` reproduces bit for bit, through the closed-form recipes in `draw` below
(the test has the same recipes), so both sides see the same values.
"""
import json
import math
import os
import random

from scipy import stats

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "fleet")
os.makedirs(OUT, exist_ok=True)


def draw(rng, spec):
    dist, n, p = spec["dist"], spec["n"], spec["params"]
    out = []
    for _ in range(n):
        if dist == "normal":
            u1, u2 = rng.random(), rng.random()
            x = p[0] + p[1] * math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
        elif dist == "lognormal":
            u1, u2 = rng.random(), rng.random()
            x = math.exp(p[0] + p[1] * math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2))
        elif dist == "exp":
            x = -math.log(1 - rng.random()) * p[0]
        elif dist == "uniform":
            x = p[0] + (p[1] - p[0]) * rng.random()
        elif dist == "pareto":
            x = p[1] * (1 - rng.random()) ** (-1 / p[0])
        elif dist == "zeroinf":
            u, u1, u2 = rng.random(), rng.random(), rng.random()
            z = p[1] + p[2] * math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
            x = 0.0 if u < p[0] else z
        elif dist == "poisson-ish":
            x = float(math.floor(-math.log(1 - rng.random()) * p[0]))
        else:
            raise ValueError(dist)
        out.append(x)
    return out


def S(dist, n, *params):
    return {"dist": dist, "n": n, "params": list(params)}


CASES = [
    ("same-normal", 1, S("normal", 2000, 0, 1), [S("normal", 300, 0, 1)] * 6),
    ("shifted-normal", 2, S("normal", 2000, 0, 1), [S("normal", 300, 0, 1)] * 4 + [S("normal", 300, 0.8, 1)] * 2),
    ("scale-change", 3, S("normal", 1500, 5, 1), [S("normal", 250, 5, 1.6)] * 8),
    ("lognormal-latency", 4, S("lognormal", 2000, 2, 0.5), [S("lognormal", 400, 2.1, 0.5)] * 5),
    ("exponential", 5, S("exp", 1000, 3), [S("exp", 200, 3)] * 3 + [S("exp", 200, 4)] * 3),
    ("uniform-vs-normal", 6, S("uniform", 1000, -2, 2), [S("normal", 300, 0, 1)] * 4),
    ("heavy-tail-pareto", 7, S("pareto", 1500, 1.5, 1), [S("pareto", 300, 1.2, 1)] * 5),
    ("zero-inflated", 8, S("zeroinf", 1500, 0.3, 1, 2), [S("zeroinf", 250, 0.5, 1, 2)] * 6),
    ("discrete-ties", 9, S("poisson-ish", 1200, 4), [S("poisson-ish", 200, 5)] * 5),
    ("one-drifted-device", 10, S("normal", 3000, 10, 2), [S("normal", 200, 10, 2)] * 19 + [S("normal", 200, 16, 2)]),
    ("small-devices", 11, S("normal", 500, -3, 0.5), [S("normal", 20, -3, 0.5)] * 30),
    ("mixed-sign-bimodal", 12, S("normal", 1000, -1, 0.3), [S("normal", 150, 1, 0.3)] * 2 + [S("normal", 150, -1, 0.3)] * 3),
]


def main():
    out = []
    for name, seed, ref, devices in CASES:
        rng = random.Random(seed)
        a = draw(rng, ref)
        union = []
        for d in devices:
            union += draw(rng, d)
        res = stats.ks_2samp(a, union, method="asymp")
        out.append({
            "name": name,
            "seed": seed,
            "reference": ref,
            "devices": devices,
            "ks": float(res.statistic),
            "pValue": float(res.pvalue),
            "firstValues": a[:3],
        })
    with open(os.path.join(OUT, "fleet-ks.json"), "w") as f:
        json.dump({"generator": "scripts/gen-fleet-ks-fixtures.py", "cases": out}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
