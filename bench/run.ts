/**
 * First benchmark (issue 2; the full suite is bench/suite/): ns/value for
 * batched ingest of 1e6 lognormal latencies — WASM kernel vs reference kernel
 * vs @datadog/sketches-js vs hdr-histogram-js — plus the caller-thread cost of
 * LatencyTracker.record(), the plain-sum floor, and the worker round trip by
 * staging chunk size (the figures behind MAX_CHUNK). Ratios in one run.
 *
 *   node --expose-gc --import tsx bench/run.ts [--out FILE] [--n N]
 *
 * Writes bench/results.json (or --out). Not a test: figures depend on the machine.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { DDSketch } from '@datadog/sketches-js';
import * as hdr from 'hdr-histogram-js';
import { createReferenceKernel } from '../src/kernel/reference/index.js';
import { createWasmKernel } from '../src/kernel/wasm-kernel.js';
import { relativeErrorBound } from '../src/kernel/kernel.js';
import type { Kernel } from '../src/kernel/kernel.js';
import { createEngine } from '../src/engine/client.js';
import { StagedSketch } from '../src/engine/staged-sketch.js';
import { LatencyTracker } from '../src/metrics/latency-tracker.js';

const args = process.argv.slice(2);
const N = args.includes('--n') ? Number(args[args.indexOf('--n') + 1]) : 1_000_000;
const out = args.includes('--out')
  ? (args[args.indexOf('--out') + 1] as string)
  : 'bench/results.json';
const RUNS = 7;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Seeded lognormal latencies in ms (median 20 ms, sigma 0.6): mulberry32 + Box–Muller. */
function lognormal(n: number, seed = 42): Float64Array {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    xs[i] = Math.exp(Math.log(20) + 0.6 * z);
  }
  return xs;
}

/**
 * Median and min of RUNS timed runs (after one warm-up), in ns per value. The
 * min is the headline: on a shared machine other processes only ever add time.
 */
async function measure(
  run: () => void | Promise<void>,
  n = N,
): Promise<{ median: number; min: number }> {
  await run();
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    gc();
    const t0 = performance.now();
    await run();
    times.push(((performance.now() - t0) * 1e6) / n);
  }
  times.sort((x, y) => x - y);
  return { median: times[Math.floor(RUNS / 2)] as number, min: times[0] as number };
}

function kernelIngest(kernel: Kernel, values: Float64Array, chunk: number): () => void {
  return () => {
    const h = kernel.sketchCreate(7);
    for (let i = 0; i < values.length; i += chunk)
      kernel.sketchRecord(h, values.subarray(i, i + chunk));
    kernel.sketchFree(h);
  };
}

const started = performance.now();
const values = lognormal(N);
const micros = Float64Array.from(values, (v) => Math.max(1, Math.round(v * 1000)));
const wasm = await createWasmKernel();
const reference = createReferenceKernel();
await hdr.initWebAssembly();
const rows: { name: string; median: number; min: number; note?: string }[] = [];
const add = (name: string, r: { median: number; min: number }, note?: string): void => {
  rows.push({ name, ...r, note });
};

add(
  'plain sum (floor)',
  await measure(() => {
    let s = 0;
    for (let i = 0; i < values.length; i++) s += values[i] as number;
    if (s === -1) console.log(s);
  }),
);
add('wasm kernel, 1 batch', await measure(kernelIngest(wasm, values, N)));
add('wasm kernel, 8192-value batches', await measure(kernelIngest(wasm, values, 8192)));
add('reference kernel (TS), 1 batch', await measure(kernelIngest(reference, values, N)));
add(
  '@datadog/sketches-js DDSketch',
  await measure(() => {
    const s = new DDSketch({ relativeAccuracy: relativeErrorBound(7) });
    for (let i = 0; i < values.length; i++) s.accept(values[i] as number);
  }),
);
for (const useWebAssembly of [false, true]) {
  add(
    `hdr-histogram-js (${useWebAssembly ? 'wasm' : 'js'}, µs ints, 3 digits)`,
    await measure(() => {
      const h = hdr.build({
        lowestDiscernibleValue: 1,
        highestTrackableValue: 3_600_000_000,
        numberOfSignificantValueDigits: 3,
        useWebAssembly,
      });
      for (let i = 0; i < micros.length; i++) h.recordValue(micros[i] as number);
      h.destroy();
    }),
  );
}

// Caller-thread cost of record(): the loop only (shipping included, waiting not).
for (const mode of ['inline', 'worker'] as const) {
  const engine = await createEngine({ mode });
  add(
    `LatencyTracker.record() caller thread (${mode})`,
    await measure(async () => {
      const t = new LatencyTracker({ engine });
      for (let i = 0; i < values.length; i++) t.record(values[i] as number);
      if (mode === 'worker') return; // the worker ingests in parallel; end to end is below
      await t.close();
    }),
    mode === 'inline' ? 'includes the kernel ingest (same thread)' : 'staging + transfer only',
  );
  if (mode === 'worker') {
    add(
      'LatencyTracker record() + percentiles() end to end (worker)',
      await measure(async () => {
        const t = new LatencyTracker({ engine });
        for (let i = 0; i < values.length; i++) t.record(values[i] as number);
        await t.percentiles();
        await t.close();
      }),
    );
  }
  engine.close();
}

// Round trip and throughput by staging chunk size (worker_threads).
const engine = await createEngine({ mode: 'worker' });
const pings: number[] = [];
for (let i = 0; i < 300; i++) {
  const t0 = performance.now();
  await engine.api.ping(i);
  pings.push((performance.now() - t0) * 1000);
}
pings.sort((x, y) => x - y);
const chunks: { chunk: number; median: number; min: number }[] = [];
for (const chunk of [512, 2048, 8192, 32768]) {
  const r = await measure(async () => {
    const stage = new StagedSketch({ engine, maxChunk: chunk });
    for (let i = 0; i < values.length; i++) stage.push(values[i] as number);
    await stage.summary([0.5]);
    await stage.free();
  });
  chunks.push({ chunk, ...r });
}
engine.close();

const seconds = (performance.now() - started) / 1000;
const wasmNs = Math.min(...rows.filter((r) => r.name.startsWith('wasm kernel')).map((r) => r.min));
console.log(
  `edgewatch first bench: ${N} lognormal latencies, min (median) of ${RUNS} runs, ns/value, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}`,
);
for (const r of rows) {
  const ratio = (r.min / wasmNs).toFixed(1);
  console.log(
    `  ${r.name.padEnd(58)} ${r.min.toFixed(2).padStart(8)} (${r.median.toFixed(2)}) ns  ×${ratio} vs best wasm${r.note ? `  — ${r.note}` : ''}`,
  );
}
console.log(
  `  Comlink ping round trip (worker_threads): median ${pings[150]?.toFixed(0)} µs, p95 ${pings[285]?.toFixed(0)} µs`,
);
for (const c of chunks) {
  console.log(
    `  staged push → worker, chunk ${String(c.chunk).padStart(5)}: ${c.min.toFixed(2)} (${c.median.toFixed(2)}) ns/value end to end`,
  );
}
console.log(`  (${seconds.toFixed(1)} s)`);
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      load: loadavg(),
      n: N,
      runs: RUNS,
      rows,
      pingMicros: { median: pings[150], p95: pings[285] },
      chunks,
      seconds,
    },
    null,
    2,
  ),
);
