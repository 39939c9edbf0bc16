/**
 * Caller-thread cost of EdgeMonitor's feature profiles, per window.
 *
 *   node --import tsx bench/profile-cost.ts [--rows 1000,10000] [--windows 15]
 *
 * Per row count and engine mode (`inline`: everything on this thread;
 * `worker`: the engine, and with it the profile service, in worker_threads
 * workers) two monitors, without and with `profiles`, reference columns
 * x ~ N(0, 1) and c in {a, b, c}, get the same windows alternately. Per window
 * the rows are observed first (not timed), then `sealWindow()` is awaited and
 * the CPU time this (the caller's) thread ran meanwhile is the caller-thread
 * cost of finishing that window (Linux only: /proc/thread-self/schedstat, which
 * the kernel updates at context switches and ticks, so one window's figure is
 * coarse and the means over many windows are what to read). Printed: means
 * over the windows (after 2 warm-up windows) and their difference, what the
 * profiles cost the caller's thread.
 */
import { readFileSync } from 'node:fs';
import { createEngine, type EngineHandle } from '../src/engine/client.js';
import { EdgeMonitor } from '../src/session/edge-monitor.js';
import { seededUniform } from '../src/stats/random.js';
import { arg } from './support/args.js';

const ROWS = arg('rows', '1000,10000').split(',').map(Number);
const WINDOWS = Number(arg('windows', '40'));
const WARMUP = 2;

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

function rowsOf(n: number, seed: number): Array<Record<string, unknown>> {
  const u = seededUniform(seed);
  return Array.from({ length: n }, () => ({ x: normal(u), c: 'abc'[Math.floor(u() * 3)] }));
}

/**
 * CPU time this thread has run, ms: Linux's per-thread scheduler statistics, so
 * time spent preempted on a busy machine and time other threads (the workers)
 * run are not counted.
 */
function threadCpuMs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

async function monitorOf(engine: EngineHandle, n: number, profiles: boolean): Promise<EdgeMonitor> {
  const u = seededUniform(1);
  const reference = {
    x: Float64Array.from({ length: 2000 }, () => normal(u)),
    c: Array.from({ length: 2000 }, () => 'abc'[Math.floor(u() * 3)] as string),
  };
  return EdgeMonitor.create({
    model: { name: 'bench', version: '1' },
    engine,
    reference,
    ...(profiles ? { profiles: {} } : {}),
    rules: [],
    store: { backend: 'memory', persist: false },
    maxBufferedRows: Math.max(10_000, n),
    windowMs: 3_600_000,
  });
}

/** Caller-thread ms of sealing one window of `rows` on `monitor`. */
async function sealCost(
  monitor: EdgeMonitor,
  rows: Array<Record<string, unknown>>,
  profiles: boolean,
): Promise<number> {
  for (const features of rows) monitor.observe({ features, prediction: 1, latencyMs: 3 });
  const before = threadCpuMs();
  const rec = await monitor.sealWindow();
  const cost = threadCpuMs() - before;
  if (rec === undefined || (profiles && rec.profiles?.x === undefined))
    throw new Error('expected a sealed window with profiles');
  return cost;
}

console.log(
  '| engine | rows / window | caller CPU ms / window, no profiles | with profiles | profiles cost |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const mode of ['inline', 'worker'] as const) {
  const engine = await createEngine({ mode });
  for (const n of ROWS) {
    // The same windows on a monitor without and one with profiles, alternately
    // (load on a shared machine hits both alike).
    const off = await monitorOf(engine, n, false);
    const on = await monitorOf(engine, n, true);
    const offs: number[] = [];
    const ons: number[] = [];
    for (let w = 0; w < WARMUP + WINDOWS; w++) {
      const rows = rowsOf(n, w + 2);
      const a = await sealCost(off, rows, false);
      const b = await sealCost(on, rows, true);
      if (w < WARMUP) continue;
      offs.push(a);
      ons.push(b);
    }
    await off.close();
    await on.close();
    console.log(
      `| ${mode} | ${n} | ${mean(offs).toFixed(2)} | ${mean(ons).toFixed(2)} | ${(mean(ons) - mean(offs)).toFixed(2)} |`,
    );
  }
  engine.close();
}
