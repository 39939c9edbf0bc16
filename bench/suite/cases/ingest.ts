/**
 * Case 1 — sketch ingest of n latencies (lognormal and Pareto): edgewatch WASM
 * (one batch, and MAX_CHUNK-value batches as the engine receives them), the public
 * `LatencyTracker.record()` path through the worker (and inline), the
 * reference TS kernel, the peers, and the floor: a plain sum over the same
 * Float64Array.
 *
 * Besides whole-run wall times, the per-value costs that have a target are also
 * timed in slices of {@link SLICE} values (each slice ~0.05 ms): on a loaded
 * machine a multi-millisecond loop is preempted by other processes, a slice
 * rarely is, so the median slice is the closer figure for the work itself.
 */
import { createEngine } from '../../../src/engine/client.js';
import type { EngineHandle } from '../../../src/engine/client.js';
import { LatencyTracker } from '../../../src/metrics/latency-tracker.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { DEFAULT_SCALE } from '../../../src/kernel/kernel.js';
import { defineCase } from '../context.js';
import { median, measure, timingOf } from '../harness.js';
import type { Budget, Row } from '../harness.js';

/** Values per timed slice: two staging chunks, so every slice pays its share of shipping. */
export const SLICE = 16_384;

let sink = 0;

/** Sum with four accumulators: the cheapest pass over the data JS can make. */
function plainSum(x: Float64Array, from = 0, to = x.length): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const end = to - ((to - from) % 4);
  for (let i = from; i < end; i += 4) {
    a += x[i] as number;
    b += x[i + 1] as number;
    c += x[i + 2] as number;
    d += x[i + 3] as number;
  }
  for (let i = end; i < to; i++) a += x[i] as number;
  return a + b + c + d;
}

/** Median ns/value over slices of every timed run; `slice(from, to)` does the work. */
async function slicedNs(
  budget: Budget,
  n: number,
  setup: () => unknown,
  slice: (from: number, to: number) => void,
  teardown: () => unknown,
): Promise<number> {
  const ns: number[] = [];
  for (let r = 0; r < budget.warmup + budget.runs; r++) {
    await setup();
    for (let i = 0; i < n; i += SLICE) {
      const to = Math.min(n, i + SLICE);
      const t0 = performance.now();
      slice(i, to);
      if (r >= budget.warmup) ns.push(((performance.now() - t0) * 1e6) / (to - i));
    }
    await teardown();
  }
  return median(ns);
}

/** What {@link trackerRuns} measured: per-run ms, medians per value, the count the sketch holds. */
interface TrackerRuns {
  caller: number[];
  total: number[];
  sliceNs: number;
  cpuNs: number;
  count: number;
}

/**
 * Times `feed(tracker, slices)` on a fresh tracker per run: caller-thread time,
 * time until flushed and process CPU per value; `feed` may push per-slice
 * ns/value into `slices` (timed runs only: undefined during warm-up).
 */
async function trackerRuns(
  engine: EngineHandle,
  values: Float64Array,
  budget: Budget,
  feed: (tracker: LatencyTracker, slices: number[] | undefined) => void,
): Promise<TrackerRuns> {
  const caller: number[] = [];
  const total: number[] = [];
  const cpu: number[] = [];
  const ns: number[] = [];
  let count = 0;
  for (let r = 0; r < budget.warmup + budget.runs; r++) {
    const tracker = new LatencyTracker({ engine });
    await tracker.percentiles(); // the engine-side sketch exists before timing
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    feed(tracker, r >= budget.warmup ? ns : undefined);
    const t1 = performance.now();
    await tracker.flush();
    const t2 = performance.now();
    const c = process.cpuUsage(c0);
    count = (await tracker.percentiles()).count;
    await tracker.close();
    if (r >= budget.warmup) {
      caller.push(t1 - t0);
      total.push(t2 - t0);
      cpu.push(((c.user + c.system) * 1e3) / values.length);
    }
  }
  return { caller, total, count, sliceNs: ns.length ? median(ns) : NaN, cpuNs: median(cpu) };
}

/** The record() loop, timed per slice as well. */
function recordLoop(values: Float64Array) {
  return (tracker: LatencyTracker, slices: number[] | undefined): void => {
    for (let s = 0; s < values.length; s += SLICE) {
      const to = Math.min(values.length, s + SLICE);
      const ts = performance.now();
      for (let i = s; i < to; i++) tracker.record(values[i] as number);
      slices?.push(((performance.now() - ts) * 1e6) / (to - s));
    }
  };
}

/**
 * Caller-side memory of `trackers` trackers on `engine` (ArrayBuffer bytes per
 * tracker, the engine's buffer pool shared among them): idle (one value
 * recorded) and busy (after a burst that grew the staging buffer to MAX_CHUNK).
 */
async function stagingBytes(
  engine: EngineHandle,
  trackers: number,
): Promise<{ idle: number; busy: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const held = (): number => {
    gc?.();
    return process.memoryUsage().arrayBuffers;
  };
  const base = held();
  const list = Array.from({ length: trackers }, () => new LatencyTracker({ engine }));
  for (const t of list) t.record(1);
  await Promise.all(list.map((t) => t.flush()));
  const idle = (held() - base) / trackers;
  const burst = new Float64Array(100_000).fill(2);
  for (const t of list) t.recordMany(burst);
  for (const t of list) t.record(3); // a partly filled buffer of the largest size
  await Promise.all(list.map((t) => t.flush())); // nothing in flight; shipped buffers pooled
  for (const t of list) t.record(3);
  const busy = (held() - base) / trackers;
  await Promise.all(list.map((t) => t.close()));
  return { idle, busy };
}

async function startEngine(): Promise<{ engine: EngineHandle; note: string }> {
  try {
    return {
      engine: await createEngine({ mode: 'worker' }),
      note: 'worker_threads; record batches as raw messages',
    };
  } catch (error) {
    return {
      engine: await createEngine({ mode: 'inline' }),
      note: `inline: worker failed (${(error as Error).message})`,
    };
  }
}

function kernelSliceNs(k: Kernel, values: Float64Array, budget: Budget): Promise<number> {
  let h = -1;
  return slicedNs(
    budget,
    values.length,
    () => (h = k.sketchCreate(DEFAULT_SCALE)),
    (from, to) => k.sketchRecord(h, values.subarray(from, to)),
    () => k.sketchFree(h),
  );
}

/** Case 1. */
export const ingestCase = defineCase(
  'ingest',
  '1 sketch ingest (ms per run over n values; × = time / edgewatch wasm)',
  async (ctx, t) => {
    const { budget } = ctx;
    const { engine, note } = await startEngine();
    const inline = await createEngine({ mode: 'inline' });
    const worst = {
      kernel: 0,
      caller: 0,
      callerWall: 0,
      inlineCaller: 0,
      inlineCallerCpu: 0,
      manyInline: 0,
      manyInlineCpu: 0,
      manyWorkerCpu: 0,
      manyWorker: 0,
      manyWorkerFlushed: 0,
      ddRatio: Infinity,
      floor: 0,
      peerRatio: Infinity,
      peerBest: Infinity,
      peer: '',
    };
    try {
      for (const { name: group, values } of ctx.latency()) {
        const n = values.length;
        const at = (
          name: string,
          role: Row['role'],
          timing: Row['timing'],
          extra?: Row['extra'],
          rowNote?: string,
        ): Row => t.row({ group, name, role, timing, values: n, extra, note: rowNote });
        let wasmRow: Row | undefined;
        for (const s of ctx.sketchers) {
          const key = `${group}/${s.name}`;
          // Per-value JS peers are slow: 3 timed runs (tdigest: one), edgewatch the full budget.
          const counts = s.slow
            ? { warmup: 0, runs: 1 }
            : s.role === 'peer'
              ? { warmup: 1, runs: Math.min(3, budget.runs) }
              : budget;
          const timing = await measure(
            counts,
            (b) => b.ingest(values),
            () => {
              ctx.built.get(key)?.free();
              const b = s.create();
              ctx.built.set(key, b);
              return b;
            },
          );
          const row = at(s.name, s.role, timing, undefined, s.slow ? 'one run' : undefined);
          if (!wasmRow && s.role === 'edgewatch') {
            wasmRow = row;
            const sliceNs = await kernelSliceNs(ctx.wasm, values, budget);
            (row as { extra?: Row['extra'] }).extra = { 'slice ns/value': sliceNs };
            worst.kernel = Math.max(worst.kernel, sliceNs);
          }
          if (s.role === 'peer' && wasmRow?.timing) {
            const ratio = timing.median / wasmRow.timing.median;
            if (ratio < worst.peerRatio)
              Object.assign(worst, { peerRatio: ratio, peer: `${s.name} on ${group}` });
            worst.peerBest = Math.min(worst.peerBest, timing.min / wasmRow.timing.min);
          }
        }
        // A worker-mode run's two rows: the caller thread's time and the time until flushed.
        const workerRows = (
          what: string,
          r: TrackerRuns,
          callerExtra?: Row['extra'],
        ): { caller: Row; total: Row } => {
          if (r.count !== n) throw new Error(`${what} counted ${r.count} of ${n} values`);
          return {
            caller: at(`${what} caller thread`, 'edgewatch', timingOf(r.caller), callerExtra, note),
            total: at(
              `${what} until flushed`,
              'edgewatch',
              timingOf(r.total),
              { 'cpu ns/value': r.cpuNs },
              note,
            ),
          };
        };
        const tr = await trackerRuns(engine, values, budget, recordLoop(values));
        const { caller: callerRow } = workerRows('LatencyTracker.record()', tr, {
          'slice ns/value': tr.sliceNs,
        });
        const ti = await trackerRuns(inline, values, budget, recordLoop(values));
        at(
          'LatencyTracker.record() caller thread, inline engine',
          'edgewatch',
          timingOf(ti.caller),
          { 'slice ns/value': ti.sliceNs, 'cpu ns/value': ti.cpuNs },
          'kernel ingest on the same thread',
        );
        if (ti.count !== n) throw new Error(`inline tracker counted ${ti.count} of ${n} values`);
        worst.inlineCaller = Math.max(worst.inlineCaller, ti.sliceNs);
        worst.inlineCallerCpu = Math.max(worst.inlineCallerCpu, ti.cpuNs);
        const mw = await trackerRuns(engine, values, budget, (t) => t.recordMany(values));
        const { total: mwTotal } = workerRows('LatencyTracker.recordMany(Float64Array)', mw);
        const mi = await trackerRuns(inline, values, budget, (t) => t.recordMany(values));
        if (mi.count !== n) throw new Error(`inline recordMany counted ${mi.count} of ${n} values`);
        const miRow = at(
          'LatencyTracker.recordMany(Float64Array), inline engine',
          'edgewatch',
          timingOf(mi.caller),
          { 'cpu ns/value': mi.cpuNs },
          'validated and ingested on the same thread',
        );
        const perValue = (ms: number[]): number => (median(ms) * 1e6) / n;
        worst.manyWorker = Math.max(worst.manyWorker, perValue(mw.caller));
        worst.manyWorkerFlushed = Math.max(worst.manyWorkerFlushed, perValue(mw.total));
        worst.manyInline = Math.max(worst.manyInline, perValue(mi.caller));
        worst.manyInlineCpu = Math.max(worst.manyInlineCpu, mi.cpuNs);
        worst.manyWorkerCpu = Math.max(worst.manyWorkerCpu, mw.cpuNs);
        const dd = t.rows.find(
          (r) => r.group === group && r.name.startsWith('ddsketch') && r.name.endsWith('1 %'),
        );
        if (dd?.timing && miRow.timing && mwTotal.timing) {
          const slowest = Math.max(miRow.timing.median, mwTotal.timing.median);
          worst.ddRatio = Math.min(worst.ddRatio, dd.timing.median / slowest);
        }
        const floorSlice = await slicedNs(
          budget,
          n,
          () => undefined,
          (from, to) => (sink += plainSum(values, from, to)),
          () => undefined,
        );
        at(
          'floor: plain sum of the Float64Array',
          'floor',
          await measure(budget, () => (sink += plainSum(values))),
          { 'slice ns/value': floorSlice },
        );
        worst.caller = Math.max(worst.caller, tr.sliceNs);
        worst.callerWall = Math.max(
          worst.callerWall,
          ((callerRow.timing?.median ?? NaN) * 1e6) / n,
        );
        worst.floor = Math.max(worst.floor, floorSlice);
      }
      const memory = await stagingBytes(engine, 200);
      t.row({
        group: 'memory',
        name: 'LatencyTracker caller-side staging per tracker (200 trackers)',
        role: 'edgewatch',
        extra: { 'idle KiB': memory.idle / 1024, 'busy KiB': memory.busy / 1024 },
        note: "process.memoryUsage().arrayBuffers; the engine-side sketch is the accuracy case's bytes held",
      });
      t.target({
        target: 'memory held per tracker',
        measured: `${(memory.idle / 1024).toFixed(1)} KiB idle, ${(memory.busy / 1024).toFixed(1)} KiB busy on the caller (staging); the sketch in the engine: see accuracy bytes held`,
        met: true,
        info: true,
      });
    } finally {
      engine.close();
      inline.close();
    }
    t.target(
      {
        target: 'recordMany(Float64Array) ≤ 3 ns/value inline',
        measured: `${worst.manyInline.toFixed(2)} ns/value (median run, worst dataset); process CPU ${worst.manyInlineCpu.toFixed(2)}`,
        met: worst.manyInline <= 3,
        note: 'the kernel copies the array into WASM memory in 128 KiB pieces and validates (drops negatives and non-finite values) inside its own pass: the kernel figure above plus ~0.2 ns',
      },
      {
        target: 'recordMany(Float64Array) ≤ 4 ns/value in worker mode',
        measured: `${worst.manyWorker.toFixed(2)} ns/value caller thread, ${worst.manyWorkerFlushed.toFixed(2)} until flushed (median run, worst dataset; ${note}); CPU of both threads ${worst.manyWorkerCpu.toFixed(2)} ns/value`,
        met: worst.manyWorker <= 4,
        note: 'the caller validates and copies into pooled buffers and posts one raw message per MAX_CHUNK values; the worker ingests in parallel',
      },
      {
        target: 'recordMany ≥ 8× DDSketch at its default 1 % accuracy',
        measured: `${worst.ddRatio.toFixed(1)}× (DDSketch median / the slower of inline and worker-until-flushed recordMany, worst dataset)`,
        met: worst.ddRatio >= 8,
      },
      {
        target: 'record() ≤ 5 ns/value caller cost inline',
        measured: `${worst.inlineCaller.toFixed(2)} ns/value (median ${SLICE}-value slice, worst dataset); process CPU of the whole loop ${worst.inlineCallerCpu.toFixed(2)}`,
        met: worst.inlineCaller <= 5,
        note: 'a typed-array write per value, and the kernel ingests each full buffer on the same thread (the kernel figure above, amortised)',
      },

      {
        target: 'kernel ≤ 2 ns/value',
        measured: `${worst.kernel.toFixed(2)} ns/value (median ${SLICE}-value slice, worst dataset; floor ${worst.floor.toFixed(2)})`,
        met: worst.kernel <= 2,
        note: 'two values per step (WASM SIMD: lane test, min/max and both bucket indexes in vector lanes); the exact in-order f64 sum stays one serial add chain (bit-identical to the reference), and each value still bumps its own u32 (a dependent load/store): without the bumps the loop runs at ~1.5 ns/value, the bumps add ~1.1 (see bench/README.md, Hot path); staging straight into WASM memory (no copy) would take ~0.2 ns more off, a non-sequential sum (not bit-identical to the reference) more',
      },
      {
        target: '≥ 10× the fastest peer',
        measured: `${worst.peerRatio.toFixed(1)}× (median runs; closest: ${worst.peer}); ${worst.peerBest.toFixed(1)}× on best runs`,
        met: worst.peerRatio >= 10,
        note: 'the kernel (one call per batch) leads every peer (one JS call per value), but by less than 10×: the 1e6-value batch also pays a copy into WASM memory; the 2 ns/value kernel above would give 10×',
      },
      {
        target: 'record() ≤ 5 ns/value caller cost in worker mode',
        measured: `${worst.caller.toFixed(2)} ns/value (median ${SLICE}-value slice; whole-loop wall median ${worst.callerWall.toFixed(1)}) (${note})`,
        met: worst.caller <= 5,
        note: 'push() itself is a typed-array write; the rest is one raw postMessage per MAX_CHUNK values into a buffer the worker sent back (no page faults, no Comlink encoding). The whole-loop wall time also includes preemption by other processes',
      },
    );
    if (sink === 0.5) console.log(sink); // keep the floor's result alive
  },
);
