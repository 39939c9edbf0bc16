/**
 * Runs the numpy/scipy peers (peers.py) as a subprocess on the same data: the
 * arrays are written to temporary raw float64 files, python times only its own
 * computation, and its timings come back as JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timingOf } from './harness.js';
import type { Timing } from './harness.js';

/** A python task (see peers.py). */
export type PyTask =
  | { kind: 'percentile'; data: string; qs: number[] }
  | { kind: 'sort'; data: string }
  | { kind: 'ks'; a: string; b: string }
  | { kind: 'wasserstein'; a: string; b: string };

/** One task's outcome. */
export interface PyResult {
  readonly kind: string;
  readonly timing: Timing;
  readonly result: unknown;
}

/** What {@link runPython} returns: results in task order, or why python could not run. */
export type PyOutcome =
  | { ok: true; results: PyResult[]; versions: Record<string, string> }
  | { ok: false; reason: string };

const SCRIPT = fileURLToPath(new URL('./peers.py', import.meta.url));

/**
 * Runs python tasks on named arrays.
 * @param arrays - name → data (written as little-endian f64).
 * @param tasks - the tasks.
 * @param counts - warm-up and timed runs inside python.
 * @returns the timings and results, or `{ ok: false, reason }` when python3/numpy/scipy is missing.
 * @example await runPython({ x }, [{ kind: 'sort', data: 'x' }], { warmup: 1, runs: 5 })
 */
export function runPython(
  arrays: Record<string, Float64Array>,
  tasks: PyTask[],
  counts: { warmup: number; runs: number },
): PyOutcome {
  const dir = mkdtempSync(join(tmpdir(), 'edgewatch-bench-'));
  try {
    const files: Record<string, string> = {};
    for (const [name, values] of Object.entries(arrays)) {
      const path = join(dir, `${name}.f64`);
      writeFileSync(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      files[name] = path;
    }
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify({ files, tasks, ...counts }));
    const p = spawnSync('python3', [SCRIPT, specPath], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      timeout: 120_000,
    });
    if (p.error) return { ok: false, reason: `python3 could not run: ${p.error.message}` };
    if (p.status !== 0)
      return {
        ok: false,
        reason: `python3 exited ${p.status}: ${p.stderr.trim().split('\n').pop() ?? ''}`,
      };
    const out = JSON.parse(p.stdout) as {
      tasks: { kind: string; times_ms: number[]; cpu_ms?: number[]; result: unknown }[];
      versions: Record<string, string>;
    };
    return {
      ok: true,
      versions: out.versions,
      results: out.tasks.map((t) => ({
        kind: t.kind,
        timing: timingOf(t.times_ms, t.cpu_ms),
        result: t.result,
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
