"""Python peers of the edgewatch benchmark (numpy / scipy), run as a subprocess.

Reads a JSON spec (argv[1]) naming raw little-endian float64 files and tasks,
times ONLY the computation inside python (time.perf_counter; warm-up runs, then
timed runs; process CPU time beside wall time), and prints one JSON object to stdout:
{"tasks": [{"kind", "times_ms": [...], "cpu_ms": [...], "result": ...}], "versions": {...}}.

Tasks:
  percentile:   numpy.percentile(x, qs, method='lower')   (same rank rule as edgewatch)
  sort:         numpy.sort(x)
  ks:           scipy.stats.ks_2samp(a, b)                (statistic, pvalue)
  wasserstein:  scipy.stats.wasserstein_distance(a, b)
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.stats


def run(fn, warmup, runs):
    out = None
    times = []
    cpu = []
    for i in range(warmup + runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = fn()
        dt = (time.perf_counter() - t0) * 1000.0
        dc = (time.process_time() - c0) * 1000.0
        if i >= warmup:
            times.append(dt)
            cpu.append(dc)
    return times, cpu, out


def main():
    spec = json.load(open(sys.argv[1]))
    data = {k: np.fromfile(v, dtype='<f8') for k, v in spec['files'].items()}
    warmup, runs = spec['warmup'], spec['runs']
    results = []
    for task in spec['tasks']:
        kind = task['kind']
        if kind == 'percentile':
            x, qs = data[task['data']], [q * 100 for q in task['qs']]
            times, cpu, out = run(lambda: np.percentile(x, qs, method='lower'), warmup, runs)
            result = [float(v) for v in out]
        elif kind == 'sort':
            x = data[task['data']]
            times, cpu, out = run(lambda: np.sort(x), warmup, runs)
            result = float(out[len(out) // 2])
        elif kind == 'ks':
            a, b = data[task['a']], data[task['b']]
            times, cpu, out = run(lambda: scipy.stats.ks_2samp(a, b), warmup, runs)
            result = [float(out.statistic), float(out.pvalue)]
        elif kind == 'wasserstein':
            a, b = data[task['a']], data[task['b']]
            times, cpu, out = run(lambda: scipy.stats.wasserstein_distance(a, b), warmup, runs)
            result = float(out)
        else:
            raise SystemExit('unknown task ' + kind)
        results.append({'kind': kind, 'times_ms': times, 'cpu_ms': cpu, 'result': result})
    json.dump({'tasks': results, 'versions': {'numpy': np.__version__, 'scipy': scipy.__version__}}, sys.stdout)


if __name__ == '__main__':
    main()
