// The shared engine of a page that only sketches (LatencyTracker,
// MetricsCollector) runs in the sketch-only worker (src/engine/sketch-worker.ts,
// no drift statistics, no reference kernel); drift calls on that engine start
// the engine worker without the reference kernel (src/engine/wasm-worker.ts)
// once and go there, and so does createEngine(): the full worker (worker.ts,
// with the reference kernel) only for the reference kernel or when WASM fails.
// Real Chromium, real workers, real WASM.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KernelError } from '../../src/errors.js';
import { createEngine, getDefaultEngine, sharedEngine } from '../../src/engine/client.js';
import { spawnEngineWorker } from '../../src/engine/worker-spawn.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';

/** Names of the workers the page started since `beforeEach` (`edgewatch-sketches`, `edgewatch-engine`, …). */
let started: string[] = [];
const NativeWorker = globalThis.Worker;
beforeEach(() => {
  started = [];
  globalThis.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      started.push(options?.name ?? '(unnamed)');
    }
  };
});
afterEach(() => {
  globalThis.Worker = NativeWorker;
});

const reference = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i) * 10);
const shifted = reference.map((x) => x + 5);

describe('sketch-only worker (Chromium)', () => {
  it('a LatencyTracker on the shared engine starts only the sketch worker, on WASM', async () => {
    const tracker = new LatencyTracker();
    for (let i = 1; i <= 1000; i++) tracker.record(i);
    const p = await tracker.percentiles();
    expect(p).toMatchObject({ count: 1000, min: 1, max: 1000 });
    const engine = await sharedEngine('sketches');
    expect(engine).toBe(await getDefaultEngine());
    expect(engine.mode).toBe('worker');
    expect(engine.kernel).toBe('wasm');
    expect(await engine.api.kernelKind()).toBe('wasm');
    // Nothing prepared: counting and releasing answer without starting a worker.
    expect(await engine.api.drift.size()).toBe(0);
    await engine.api.drift.release(1);
    expect(started).toEqual(['edgewatch-sketches']);
    await tracker.close();
  });

  it('drift on that engine starts the WASM engine worker once and matches a full engine', async () => {
    const engine = await sharedEngine('sketches');
    const onSketches = new DriftDetector(reference, { engine, threshold: 0.05 });
    const [same, moved] = [await onSketches.detect(reference), await onSketches.detect(shifted)];
    const again = new DriftDetector(reference, { engine });
    await again.detect(shifted);
    expect(started).toEqual(['edgewatch-engine-wasm']);
    expect(await engine.api.drift.size()).toBe(2);

    const full = await createEngine({ mode: 'worker', kernel: 'reference' });
    const onFull = new DriftDetector(reference, { engine: full, threshold: 0.05 });
    expect(same).toEqual(await onFull.detect(reference));
    expect(moved).toEqual(await onFull.detect(shifted));
    expect(same.isDrift).toBe(false);
    expect(moved.isDrift).toBe(true);
    for (const d of [onSketches, again, onFull]) await d.close();
    full.close();
  });

  it('close() stops both workers: sketch and drift calls reject with ENGINE_CLOSED', async () => {
    const engine = await sharedEngine('sketches');
    const id = await engine.api.sketches.create();
    const inFlight = engine.api.drift.prepare(reference, {});
    engine.close();
    for (const call of [
      inFlight,
      engine.api.sketches.stats(id),
      engine.api.drift.prepare([1], {}),
    ]) {
      const err = await call.then(
        () => 'answered',
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KernelError);
      expect((err as KernelError).code).toBe('ENGINE_CLOSED');
    }
    // The next user starts a new shared engine.
    const next = await sharedEngine('sketches');
    expect(next).not.toBe(engine);
    expect(next.closed).toBe(false);
    next.close();
  });

  it('the sketch worker and the WASM engine worker refuse the reference kernel with a KernelError', async () => {
    for (const script of ['sketches', 'wasm-engine'] as const) {
      const err = await spawnEngineWorker('reference', 15_000, () => {}, undefined, script).then(
        (w) => {
          w.terminate();
          return 'started';
        },
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KernelError);
      expect((err as KernelError).message).toMatch(/reference/);
    }
  });

  it('createEngine() starts the WASM engine worker; an explicit reference kernel the full worker', async () => {
    const wasm = await createEngine();
    expect(wasm.mode).toBe('worker');
    expect(wasm.kernel).toBe('wasm');
    expect(wasm.fallbackReason).toBeUndefined();
    const onWasm = new DriftDetector(reference, { engine: wasm });
    const ref = await createEngine({ mode: 'worker', kernel: 'reference' });
    expect(ref.kernel).toBe('reference');
    const onRef = new DriftDetector(reference, { engine: ref });
    const [a, b] = [await onWasm.detect(shifted), await onRef.detect(shifted)];
    expect(a.isDrift).toBe(true);
    expect(b.isDrift).toBe(true);
    expect(a.statistic).toBeCloseTo(b.statistic, 12);
    for (const d of [onWasm, onRef]) await d.close();
    wasm.close();
    ref.close();
    expect(started).toEqual(['edgewatch-engine-wasm', 'edgewatch-engine']);
  });
});
