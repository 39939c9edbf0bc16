// The shared engine of a page that only sketches (LatencyTracker,
// MetricsCollector) runs in the sketch-only worker (src/engine/sketch-worker.ts,
// no drift statistics, no reference kernel); drift calls on that engine start
// the engine worker without the reference kernel and with the core drift
// statistics (src/engine/wasm-core-worker.ts) once and go there, and so does
// createEngine(). A detector that needs a method outside the core or
// calibration starts the WASM engine worker with every statistic
// (src/engine/wasm-worker.ts) beside it; the full worker (worker.ts, with the
// reference kernel) starts only for the reference kernel or when WASM fails.
// Real Chromium, real workers, real WASM.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KernelError } from '../../src/errors.js';
import { createEngine, getDefaultEngine, sharedEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import type { DriftOptions } from '../../src/stats/drift/types.js';
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

  it('drift on that engine starts the core WASM engine worker once and matches a full engine', async () => {
    const engine = await sharedEngine('sketches');
    const onSketches = new DriftDetector(reference, { engine, threshold: 0.05 });
    const [same, moved] = [await onSketches.detect(reference), await onSketches.detect(shifted)];
    const again = new DriftDetector(reference, { engine });
    await again.detect(shifted);
    expect(started).toEqual(['edgewatch-engine-wasm-core']);
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

  it('the sketch worker and the WASM engine workers refuse the reference kernel with a KernelError', async () => {
    for (const script of ['sketches', 'wasm-engine', 'wasm-engine-core'] as const) {
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

  it('createEngine() starts the core WASM engine worker; an explicit reference kernel the full worker', async () => {
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
    expect(started).toEqual(['edgewatch-engine-wasm-core', 'edgewatch-engine']);
  });
});

describe('core and full drift statistics (Chromium)', () => {
  let inline: EngineHandle;
  beforeAll(async () => {
    inline = await createEngine({ mode: 'inline', kernel: 'wasm' });
  });
  afterAll(() => inline.close());

  /** What the in-process engine (every statistic) answers for `options`. */
  async function inProcess(
    options: DriftOptions,
    current: Float64Array<ArrayBufferLike>,
  ): Promise<unknown> {
    const d = new DriftDetector(reference, { ...options, engine: inline });
    const r = await d.detect(current as typeof reference);
    await d.close();
    return r;
  }

  it('core-only drift on the shared engine starts the core worker and no other', async () => {
    const engine = await getDefaultEngine();
    const detectors = [
      new DriftDetector(reference),
      new DriftDetector(reference, { method: 'psi' }),
      new DriftDetector(reference, { method: 'ks', features: { value: { method: 'kl_div' } } }),
    ];
    for (const d of detectors) expect((await d.detect(shifted)).isDrift).toBe(true);
    expect(started).toEqual(['edgewatch-engine-wasm-core']);
    expect(await engine.api.drift.size()).toBe(3);
    for (const d of detectors) await d.close();
    engine.close();
  });

  it("'anderson' and calibrate on the shared engine start the full WASM worker once and match the in-process engine", async () => {
    const engine = await getDefaultEngine();
    const core = new DriftDetector(reference);
    expect(await core.detect(shifted)).toEqual(await inProcess({}, shifted));
    expect(started).toEqual(['edgewatch-engine-wasm-core']);
    const anderson = new DriftDetector(reference, { method: 'anderson' });
    const calibrated = new DriftDetector(reference, { calibrate: { resamples: 40 } });
    for (const current of [reference, shifted]) {
      expect(await anderson.detect(current)).toEqual(
        await inProcess({ method: 'anderson' }, current),
      );
      expect(await calibrated.detect(current)).toEqual(
        await inProcess({ calibrate: { resamples: 40 } }, current),
      );
    }
    expect((await anderson.detect(shifted)).isDrift).toBe(true);
    expect((await calibrated.detect(shifted)).calibrated).toBe(true);
    expect(started).toEqual(['edgewatch-engine-wasm-core', 'edgewatch-engine-wasm']);
    expect(await engine.api.drift.size()).toBe(3);
    for (const d of [core, anderson, calibrated]) await d.close();
    expect(await engine.api.drift.size()).toBe(0);
    engine.close();
  });

  it('references prepared on both workers keep distinct ids; compare and release reach the right one', async () => {
    const engine = await sharedEngine('sketches');
    const ks = await engine.api.drift.prepare(reference, { method: 'ks' });
    const ad = await engine.api.drift.prepare(reference, { method: 'anderson' });
    expect(ks.id).not.toBe(ad.id);
    expect(started).toEqual([
      'edgewatch-sketches',
      'edgewatch-engine-wasm-core',
      'edgewatch-engine-wasm',
    ]);
    expect(await engine.api.drift.size()).toBe(2);
    expect(await engine.api.drift.compare(ks.id, shifted)).toEqual(
      await inProcess({ method: 'ks' }, shifted),
    );
    expect(await engine.api.drift.compare(ad.id, shifted)).toEqual(
      await inProcess({ method: 'anderson' }, shifted),
    );
    await engine.api.drift.release(ks.id);
    expect(await engine.api.drift.size()).toBe(1);
    const stale = await engine.api.drift.compare(ks.id, shifted).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(KernelError);
    expect(await engine.api.drift.compare(ad.id, shifted)).toMatchObject({
      method: 'anderson',
      isDrift: true,
    });
    await engine.api.drift.release(ad.id);
    expect(await engine.api.drift.size()).toBe(0);
    engine.close();
  });
});
