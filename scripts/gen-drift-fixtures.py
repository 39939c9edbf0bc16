#!/usr/bin/env python3
"""Generates test/fixtures/drift/*.json: scipy reference values for the drift statistics.

Run from the repository root:  python3 scripts/gen-drift-fixtures.py
Needs numpy and scipy (apt-get install -y python3-scipy). Data sets are stored
(rounded to 10 significant digits, so both sides use identical numbers).
"""
import json
import os
import warnings

import numpy as np
from scipy import stats
from scipy.spatial import distance

warnings.simplefilter("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "drift")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261128)


def r(a):
    return [float(f"{v:.10g}") for v in np.asarray(a, dtype=float)]


def datasets():
    yield "tiny", r(rng.normal(size=3)), r(rng.normal(size=4))
    yield "small-unequal", r(rng.normal(size=8)), r(rng.normal(0.5, 1, size=7))
    yield "ties-poisson", r(rng.poisson(3, size=200)), r(rng.poisson(3.4, size=150))
    yield "heavy-tails-cauchy", r(rng.standard_cauchy(300)), r(rng.standard_cauchy(250) + 0.2)
    yield "normal-shift-500", r(rng.normal(size=500)), r(rng.normal(0.3, 1, size=500))
    yield "equal-1000-scale", r(rng.normal(size=1000)), r(rng.normal(0, 1.2, size=1000))
    yield "large-lognormal", r(rng.lognormal(size=5000)), r(rng.lognormal(0.05, 1, size=3000))
    yield "asymp-12000-400", r(rng.normal(size=12000)), r(rng.normal(0.1, 1, size=400))
    yield "rounded-discrete", r(np.round(rng.normal(size=800), 1)), r(np.round(rng.normal(0.1, 1, size=600), 1))
    yield "exp-vs-gamma", r(rng.exponential(size=50)), r(rng.gamma(1.5, 0.8, size=60))
    same = r(rng.normal(size=100))
    yield "identical", same, list(same)
    yield "near-constant", [1.0] * 40 + [2.0], [1.0] * 30 + [2.0] * 3
    yield "small-20-15", r(rng.normal(size=20)), r(rng.normal(0.8, 1, size=15))
    yield "small-ties", r(rng.integers(0, 5, size=12)), r(rng.integers(1, 6, size=10))
    yield "disjoint", r(rng.uniform(0, 1, 30)), r(rng.uniform(2, 3, 45))


def safe(f):
    try:
        v = f()
        return None if v is None or not np.isfinite(v) else float(v)
    except Exception:
        return None


numeric = []
for name, a, b in datasets():
    A, B = np.array(a), np.array(b)
    row = {"name": name, "a": a, "b": b}
    for mode in ("auto", "exact", "asymp"):
        res = stats.ks_2samp(A, B, method=mode)
        row[f"ks_{mode}"] = {"statistic": float(res.statistic), "pvalue": float(res.pvalue)}
    row["wasserstein"] = float(stats.wasserstein_distance(A, B))
    row["energy"] = float(stats.energy_distance(A, B))
    row["std_a"] = float(np.std(A))
    try:
        ad = stats.anderson_ksamp([A, B])
        row["anderson"] = {"statistic": safe(lambda: ad.statistic), "pvalue": safe(lambda: ad.pvalue)}
    except Exception:
        row["anderson"] = None
    cvm = stats.cramervonmises_2samp(A, B, method="asymptotic")
    row["cvm"] = {"statistic": safe(lambda: cvm.statistic), "pvalue": safe(lambda: cvm.pvalue)}
    cvm_auto = stats.cramervonmises_2samp(A, B, method="auto")
    row["cvm_auto"] = {"statistic": safe(lambda: cvm_auto.statistic), "pvalue": safe(lambda: cvm_auto.pvalue)}
    tt = stats.ttest_ind(A, B, equal_var=False)
    row["ttest"] = {"statistic": safe(lambda: tt.statistic), "pvalue": safe(lambda: tt.pvalue)}
    try:
        es = stats.epps_singleton_2samp(A, B)
        row["es"] = {"statistic": safe(lambda: es.statistic), "pvalue": safe(lambda: es.pvalue)}
    except Exception:  # fewer than 5 values, or a zero interquartile range
        row["es"] = None
    numeric.append(row)

kstwo = []
for n in (5, 12, 30, 100, 140, 141, 400, 2500, 20000):
    for d in (0.01, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6, 0.9):
        if n * d < 0.6:
            continue
        kstwo.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})

categorical = {"chisquare": [], "gtest": [], "contingency": [], "fisher": [], "jensenshannon": []}
for _ in range(12):
    k = int(rng.integers(2, 9))
    obs = rng.integers(0, 60, size=k).astype(float)
    obs[0] += 1
    exp = rng.uniform(0.5, 2, size=k)
    exp = exp / exp.sum() * obs.sum()
    c = stats.chisquare(obs, exp)
    categorical["chisquare"].append({"observed": r(obs), "expected": [float(v) for v in exp], "statistic": float(c.statistic), "pvalue": float(c.pvalue)})
    g = stats.power_divergence(obs, exp, lambda_="log-likelihood")
    categorical["gtest"].append({"observed": r(obs), "expected": [float(v) for v in exp], "statistic": float(g.statistic), "pvalue": float(g.pvalue)})
    ref = rng.integers(1, 80, size=k).astype(float)
    cur = rng.integers(0, 80, size=k).astype(float)
    cur[0] += 1
    t = np.array([ref, cur])
    pe = stats.chi2_contingency(t, correction=False)
    gl = stats.chi2_contingency(t, correction=False, lambda_="log-likelihood")
    categorical["contingency"].append({"reference": r(ref), "current": r(cur), "pearson": {"statistic": float(pe[0]), "pvalue": float(pe[1])}, "loglik": {"statistic": float(gl[0]), "pvalue": float(gl[1])}})
    p = rng.uniform(0, 1, size=k)
    q = rng.uniform(0, 1, size=k)
    p[-1] = 0 if k > 2 else p[-1]
    categorical["jensenshannon"].append({"p": [float(v) for v in p], "q": [float(v) for v in q], "distance": float(distance.jensenshannon(p, q))})
for table in ([[8, 2], [1, 5]], [[3, 7], [9, 1]], [[0, 10], [5, 5]], [[20, 30], [35, 15]], [[1, 1], [1, 1]], [[120, 80], [95, 105]], [[0, 0], [3, 4]], [[2, 40], [10, 33]]):
    res = stats.fisher_exact(table)
    categorical["fisher"].append({"table": table, "pvalue": float(res.pvalue)})

with open(os.path.join(OUT, "numeric.json"), "w") as f:
    json.dump(numeric, f, separators=(",", ":"))
with open(os.path.join(OUT, "kstwo.json"), "w") as f:
    json.dump(kstwo, f, separators=(",", ":"))
with open(os.path.join(OUT, "categorical.json"), "w") as f:
    json.dump(categorical, f, separators=(",", ":"))
print("wrote", OUT)
