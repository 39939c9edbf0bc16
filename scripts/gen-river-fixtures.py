#!/usr/bin/env python3
"""Generates test/fixtures/river/*.json: River's docstring streams and CPython RNG draws.

Run from the repository root:  python3 scripts/gen-river-fixtures.py
Needs only the Python standard library. River itself is not installed: the
streams are rebuilt here with the same `random.Random` seeds and calls as the
examples in River's docstrings (river/drift/*.py, river/drift/binary/*.py), and
the expected indices are the outputs printed in those docstrings.

random.json pins the CPython `random.Random` draws that src/stats/random.ts
reproduces (seeding from ints, random(), getrandbits, randint, sample, choices).
"""
import json
import os
import random

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "river")
os.makedirs(OUT, exist_ok=True)


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


# --- River docstring streams -------------------------------------------------
# ADWIN, KSWIN, PageHinkley: rng = random.Random(12345);
#   rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
rng = random.Random(12345)
value_stream = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)

# DDM, EDDM, HDDM_A, HDDM_W: rng = random.Random(42);
#   rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
rng = random.Random(42)
binary_stream = rng.choices([0, 1], k=1000)
binary_stream = binary_stream + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])

# Outputs printed in River's docstrings. Warnings are printed only for the first
# warning after the start or after a drift (the docstrings' `print_warning` flag).
expected = {
    "ADWIN": {"stream": "value", "options": {}, "drifts": [1023]},
    "KSWIN": {"stream": "value", "options": {"alpha": 0.0001, "seed": 42}, "drifts": [1016]},
    "PageHinkley": {"stream": "value", "options": {}, "drifts": [1006]},
    "DDM": {"stream": "binary", "options": {}, "warnings": [1084, 1492], "drifts": [1334]},
    "EDDM": {
        "stream": "binary",
        "options": {"alpha": 0.8, "beta": 0.75},
        "warnings": [1059],
        "drifts": [1278],
    },
    "HDDM_A": {"stream": "binary", "options": {}, "warnings": [451], "drifts": [1206]},
    "HDDM_W": {"stream": "binary", "options": {}, "warnings": [451], "drifts": [1077]},
}



def kswin_p_values(stream, alpha, window_size, stat_size, seed):
    """KSWIN's documented loop (Raab et al. 2020, as River runs it): the p-value of each test.

    A sliding window of `window_size`; once full, `stat_size` values drawn with
    `random.Random(seed).sample` from the older part are compared with the newest
    `stat_size` by scipy's two-sample KS test; drift when p <= alpha and D > 0.1,
    after which the window empties and the generator is re-seeded.
    """
    from collections import deque

    from scipy import stats

    rng = random.Random(seed)
    window = deque(maxlen=window_size)
    drift = False
    out = []
    for i, x in enumerate(stream):
        if drift:
            window = deque(maxlen=window_size)
            rng = random.Random(seed)
        window.append(x)
        drift = False
        if len(window) >= window_size:
            older = window_size - stat_size
            sampled = [window[r] for r in rng.sample(range(older), stat_size)]
            recent = list(window)[older:]
            st, p = stats.ks_2samp(sampled, recent)
            out.append([i, float(st), float(p)])
            drift = p <= alpha and st > 0.1
    return out


try:
    kswin_trace = kswin_p_values(value_stream, 0.0001, 100, 30, 42)
except ImportError:  # scipy missing: keep the committed trace
    with open(os.path.join(OUT, "streams.json")) as f:
        kswin_trace = json.load(f)["kswinTrace"]

dump(
    "streams.json",
    {
        "value": value_stream,
        "binary": binary_stream,
        "expected": expected,
        # [index, D, p] of every KSWIN(alpha=0.0001, seed=42) test on the value stream
        "kswinTrace": kswin_trace,
    },
)

# --- CPython random.Random draws -----------------------------------------------
cases = []
for seed in [0, 1, 42, 12345, 2**32 - 1, 2**32, 2**53 + 12345, -7]:
    r = random.Random(seed)
    cases.append(
        {
            "seed": str(seed),
            "random": [r.random() for _ in range(8)],
            "getrandbits": [r.getrandbits(k) for k in (1, 5, 31, 32)],
            "randint": [r.randint(0, 9) for _ in range(5)] + [r.randint(-3, 1000000)],
            # KSWIN's call: sample(range(window_size - stat_size), stat_size)
            "sample70_30": r.sample(range(70), 30),
            # n > setsize: the set-based branch of sample()
            "sample1000_5": r.sample(range(1000), 5),
            "sample5_5": r.sample(range(5), 5),
            "choices": r.choices(range(4, 8), k=6),
            "choicesWeighted": r.choices([0, 1], k=6, weights=[0.3, 0.7]),
            "after": r.random(),
        }
    )
dump("random.json", cases)
print(f"wrote {OUT}/streams.json and random.json")
