/**
 * Caller-thread cost of EdgeMonitor's feature profiles, per window.
 *
 *   node --import tsx bench/profile-cost.ts [--rows 1000,10000] [--windows 15]
 *
 * One monitor per row count and engine mode (`inline`: everything on this
 * thread; `worker`: the engine in a worker_threads worker), reference columns
 * x ~ N(0, 1) and c in {a, b, c}. Per window the rows are observed first (not
 * timed), then `sealWindow()` is awaited and the event loop's active time
 * (`performance.eventLoopUtilization()`, idle time waiting for a worker left
 * out) is taken as the caller-thread cost of finishing that window. Printed:
 * the median over windows (after 2 warm-up windows) with and without
 * `profiles`, and their difference: what profiles cost the caller's thread.
 */
import { performance } from 'node:perf_hooks';
import { createEngine, type EngineHandle } from '../src/engine/client.js';
import { EdgeMonitor } from '../src/session/edge-monitor.js';
import { seededUniform } from '../src/stats/random.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

const ROWS = arg('rows', '1000,10000').split(',').map(Number);
const WINDOWS = Number(arg('windows', '15'));
const WARMUP = 2;

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

function rowsOf(n: number, seed: number): Array<Record<string, unknown>> {
  const u = seededUniform(seed);
  return Array.from({ length: n }, () => ({ x: normal(u), c: 'abc'[Math.floor(u() * 3)] }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function perWindow(engine: EngineHandle, n: number, profiles: boolean): Promise<number> {
  const u = seededUniform(1);
  const reference = {
    x: Float64Array.from({ length: 2000 }, () => normal(u)),
    c: Array.from({ length: 2000 }, () => 'abc'[Math.floor(u() * 3)] as string),
  };
  const monitor = await EdgeMonitor.create({
    model: { name: 'bench', version: '1' },
    engine,
    reference,
    ...(profiles ? { profiles: {} } : {}),
    rules: [],
    store: { backend: 'memory', persist: false },
    maxBufferedRows: Math.max(10_000, n),
    windowMs: 3_600_000,
  });
  const costs: number[] = [];
  for (let w = 0; w < WARMUP + WINDOWS; w++) {
    for (const features of rowsOf(n, w + 2))
      monitor.observe({ features, prediction: 1, latencyMs: 3 });
    const before = performance.eventLoopUtilization();
    const rec = await monitor.sealWindow();
    const elu = performance.eventLoopUtilization(before);
    if (rec === undefined || (profiles && rec.profiles?.x === undefined))
      throw new Error('expected a sealed window with profiles');
    if (w >= WARMUP) costs.push(elu.active);
  }
  await monitor.close();
  return median(costs);
}

console.log(
  '| engine | rows / window | caller ms / window, no profiles | with profiles | profiles cost |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const mode of ['inline', 'worker'] as const) {
  const engine = await createEngine({ mode });
  for (const n of ROWS) {
    const off = await perWindow(engine, n, false);
    const on = await perWindow(engine, n, true);
    console.log(
      `| ${mode} | ${n} | ${off.toFixed(2)} | ${on.toFixed(2)} | ${(on - off).toFixed(2)} |`,
    );
  }
  engine.close();
}
