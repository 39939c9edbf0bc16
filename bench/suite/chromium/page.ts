/**
 * The Chromium bench page (bundled by ../cases/chromium.ts, run through
 * playwright-core): the public LatencyTracker on the page thread with the
 * engine in a module Web Worker, as a browser app uses it. Every figure is the
 * page thread's own cost (the worker ingests in parallel) plus the time until
 * flushed; `window.edgewatchBench` holds the functions the runner calls.
 */
import { getDefaultEngine } from '../../../src/engine/client.js';
import { LatencyTracker } from '../../../src/metrics/latency-tracker.js';
import { latencyData } from '../data.js';

/** Values per timed slice (as in the Node ingest case). */
const SLICE = 16_384;

/** What one timed run reports. */
export interface PageRun {
  /** Page-thread ms of the record() loop (whole run) and median slice ns/value. */
  recordMs: number;
  recordSliceNs: number;
  /** ms until every recorded value was in the worker's sketch. */
  recordFlushedMs: number;
  /** Page-thread ms of one recordMany(Float64Array) call, and until flushed. */
  manyMs: number;
  manyFlushedMs: number;
  /** Values the sketch counted (a cross-check: 2 n). */
  count: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? NaN;
}

/** Cold start: new LatencyTracker() to its first answered quantile (worker spawn + WASM compile). */
async function coldStart(): Promise<{ ms: number; mode: string; p50: number }> {
  const t0 = performance.now();
  const tracker = new LatencyTracker();
  tracker.record(12.5);
  const p50 = await tracker.quantile(0.5);
  const ms = performance.now() - t0;
  const mode = (await getDefaultEngine()).mode;
  await tracker.close();
  return { ms, mode, p50 };
}

/** Parts of a cold start, each measured on its own in a fresh page (ms). */
export interface ColdParts {
  /** An empty module worker: spawn to its first message. */
  emptyWorker: number;
  /** Loading the kernel's module chunk (with the embedded base64 WASM) on the page. */
  kernelImport: number;
  /** createWasmKernel(): base64 decode, WebAssembly.compile, instantiate. */
  kernelCreate: number;
}

async function coldParts(): Promise<ColdParts> {
  const t0 = performance.now();
  const blob = new Blob(['postMessage(1)'], { type: 'text/javascript' });
  const url = URL.createObjectURL(blob);
  const w = new Worker(url, { type: 'module' });
  await new Promise((resolve) => (w.onmessage = resolve));
  const t1 = performance.now();
  w.terminate();
  URL.revokeObjectURL(url);
  const t2 = performance.now();
  const { createWasmKernel } = await import('../../../src/kernel/wasm-kernel.js');
  const t3 = performance.now();
  await createWasmKernel();
  const t4 = performance.now();
  return { emptyWorker: t1 - t0, kernelImport: t3 - t2, kernelCreate: t4 - t3 };
}

async function run(values: Float64Array): Promise<PageRun> {
  const n = values.length;
  const tracker = new LatencyTracker();
  await tracker.percentiles(); // the engine-side sketch exists before timing
  const sliceNs: number[] = [];
  const t0 = performance.now();
  for (let s = 0; s < n; s += SLICE) {
    const to = Math.min(n, s + SLICE);
    const ts = performance.now();
    for (let i = s; i < to; i++) tracker.record(values[i] as number);
    sliceNs.push(((performance.now() - ts) * 1e6) / (to - s));
  }
  const t1 = performance.now();
  await tracker.flush();
  const t2 = performance.now();
  tracker.recordMany(values);
  const t3 = performance.now();
  await tracker.flush();
  const t4 = performance.now();
  const { count } = await tracker.percentiles();
  await tracker.close();
  return {
    recordMs: t1 - t0,
    recordSliceNs: median(sliceNs),
    recordFlushedMs: t2 - t0,
    manyMs: t3 - t2,
    manyFlushedMs: t4 - t2,
    count,
  };
}

(globalThis as { edgewatchBench?: unknown }).edgewatchBench = {
  coldStart,
  coldParts,
  /** One run on the ingest case's lognormal dataset of n values. */
  run: (n: number) => run((latencyData(n)[0] as { values: Float64Array }).values),
};
