import { describe, expect, it, vi } from 'vitest';
import { expose, wrap } from 'comlink';
import fc from 'fast-check';
import { ConfigError, KernelError } from '../../src/errors.js';
import { SketchService, WorkerSketchService, checkScale } from '../../src/engine/sketch-service.js';
import { WorkerEngine } from '../../src/engine/worker-engine.js';
import { fullStatistics } from '../../src/stats/drift/full-statistics.js';
import type { AsyncApi } from '../../src/engine/remote-api.js';
import {
  createReferenceKernel,
  createReferenceWorkerKernel,
} from '../../src/kernel/reference/reference-kernel.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import { relativeErrorBound } from '../../src/kernel/kernel.js';
import { decodeSketch, encodeSketch } from '../../src/kernel/sketch-format.js';
import type { DecodedSide } from '../../src/kernel/sketch-format.js';
import type { Kernel } from '../../src/kernel/kernel.js';

const loadFullStatistics = () => Promise.resolve(fullStatistics);

/** Exact quantile with the kernels' rank convention: the floor(q·(n−1))-th smallest. */
function exactQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

/** Values spanning 1e-3..1e6 on both sides, and zeros (bucket arrays stay small). */
const value = fc.oneof(
  fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  fc.double({ min: -1e6, max: -1e-3, noNaN: true }),
  fc.constant(0),
);

function sameSide(a: DecodedSide, b: DecodedSide): boolean {
  if (a.offset !== b.offset || a.counts.length !== b.counts.length) return false;
  return a.counts.every((c, i) => c === b.counts[i]);
}

describe.each([
  ['wasm', () => createWasmKernel()],
  ['reference', async () => createReferenceKernel()],
] as [string, () => Promise<Kernel>][])('SketchService on the %s kernel', (_name, make) => {
  it('create / record / stats / summary agree with exact computation', async () => {
    const service = new SketchService(await make());
    const id = service.create();
    const values = Float64Array.from([0, 5, 1.5, -2, 1000, 0.001]);
    expect(service.record(id, values)).toBe(0);
    const s = service.summary(id, [0, 1]);
    expect(s.stats).toMatchObject({
      count: 6,
      sum: values.reduce((a, b) => a + b, 0),
      min: -2,
      max: 1000,
      zeroCount: 1,
    });
    expect(Array.from(s.quantiles)).toEqual([-2, 1000]);
  });

  it('drops non-finite values and returns how many', async () => {
    const service = new SketchService(await make());
    const id = service.create();
    expect(service.record(id, Float64Array.from([1, NaN, Infinity, -Infinity, 2]))).toBe(3);
    expect(service.stats(id).count).toBe(2);
    expect(service.record(id, new Float64Array(0))).toBe(0);
  });

  it('quantiles stay within the relative-error bound of the exact sorted quantile (property)', async () => {
    const service = new SketchService(await make());
    const bound = relativeErrorBound(7) * (1 + 1e-12);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (xs, qs) => {
          const id = service.create(7);
          service.record(id, Float64Array.from(xs));
          const got = service.quantiles(id, qs);
          const sorted = Float64Array.from(xs).sort();
          qs.forEach((q, i) => {
            const exact = exactQuantile(sorted, q);
            expect(Math.abs((got[i] as number) - exact)).toBeLessThanOrEqual(bound * exact);
          });
          service.free(id);
        },
      ),
      { numRuns: 100 },
    );
    expect(service.size()).toBe(0);
  });

  it('merge and mergeBytes equal recording the union (bit for bit)', async () => {
    const service = new SketchService(await make());
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 100 }),
        fc.array(value, { maxLength: 100 }),
        (a, b) => {
          const [x, y, both, viaBytes] = [
            service.create(),
            service.create(),
            service.create(),
            service.create(),
          ];
          service.record(x, Float64Array.from(a));
          service.record(y, Float64Array.from(b));
          service.record(both, Float64Array.from([...a, ...b]));
          service.merge(x, y);
          service.record(viaBytes, Float64Array.from(a));
          service.mergeBytes(viaBytes, service.serialize(y));
          const expected = decodeSketch(service.serialize(both));
          for (const id of [x, viaBytes]) {
            const got = decodeSketch(service.serialize(id));
            expect(got.count).toBe(expected.count);
            expect(sameSide(got.positive, expected.positive)).toBe(true);
            expect(sameSide(got.negative, expected.negative)).toBe(true);
            expect(got.zeroCount).toBe(expected.zeroCount);
          }
          for (const id of [x, y, both, viaBytes]) service.free(id);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('serialize / load round-trips; buckets and reset behave', async () => {
    const service = new SketchService(await make());
    const id = service.create(6);
    service.record(id, Float64Array.from([1, 2, 4, 8]));
    const bytes = service.serialize(id);
    const copy = service.load(bytes);
    expect(service.serialize(copy)).toEqual(bytes);
    const buckets = service.buckets(copy);
    expect(buckets.scale).toBe(6);
    expect(buckets.positive.counts.reduce((a, b) => a + b, 0)).toBe(4);
    service.reset(id);
    expect(service.stats(id).count).toBe(0);
    expect(Array.from(service.quantiles(id, [0.5]))).toEqual([NaN]);
  });

  it('rejects stale ids, bad scales and bad levels with typed errors; free is idempotent', async () => {
    const service = new SketchService(await make());
    const id = service.create();
    service.free(id);
    service.free(id);
    expect(() => service.stats(id)).toThrow(KernelError);
    expect(() => service.record(id, new Float64Array(1))).toThrow(
      /expected the id of a live sketch, got 1/,
    );
    const other = service.create();
    expect(other).not.toBe(id); // ids are never reused
    expect(() => service.quantiles(other, [1.5])).toThrow(ConfigError);
    expect(() => service.quantiles(other, [NaN])).toThrow(
      /expected every quantile in \[0, 1\], got NaN at index 0/,
    );
    expect(() => service.create(11)).toThrow(ConfigError);
    expect(() => service.load(new Uint8Array([0xe5, 9]))).toThrow(KernelError);
    expect(() => service.merge(other, service.create(5))).toThrow(KernelError);
  });
});

describe('WorkerSketchService moves sketches as their content', () => {
  it("exports with the service's handOver (a worker's transfer), as the in-process bytes encode", () => {
    const kernel = createReferenceWorkerKernel();
    const marked: ArrayBufferLike[][] = [];
    const service = new WorkerSketchService(kernel, (value, buffers) => {
      marked.push(buffers);
      return value;
    });
    const plain = new SketchService(createReferenceKernel());
    const [a, b] = [service.create(), plain.create()];
    service.record(a, Float64Array.from([1, 2, -3, 0]));
    plain.record(b, Float64Array.from([1, 2, -3, 0]));
    const content = service.exportContent(a);
    expect(marked).toEqual([[content.positive.counts.buffer, content.negative.counts.buffer]]);
    expect(encodeSketch(content)).toEqual(plain.serialize(b));
    const copy = service.loadContent(decodeSketch(plain.serialize(b)));
    service.mergeContent(a, decodeSketch(plain.serialize(b)));
    plain.mergeBytes(b, plain.serialize(b));
    expect(encodeSketch(service.exportContent(copy))).toEqual(encodeSketch(content));
    expect(encodeSketch(service.exportContent(a))).toEqual(plain.serialize(b));
    expect(service.size()).toBe(2);
  });

  it("the worker's engine transfers the buckets to the caller across Comlink", async () => {
    const { port1, port2 } = new MessageChannel();
    const sent = vi.spyOn(port1, 'postMessage');
    expose(new WorkerEngine(createReferenceWorkerKernel(), loadFullStatistics), port1);
    const remote = wrap<WorkerEngine>(port2) as unknown as AsyncApi<WorkerEngine>;
    try {
      const id = await remote.sketches.create();
      await remote.sketches.record(id, Float64Array.from([1, 2, -3]));
      sent.mockClear();
      const content = await remote.sketches.exportContent(id);
      expect(content.count).toBe(3);
      const transferred = sent.mock.calls.flatMap(([, list]) => (Array.isArray(list) ? list : []));
      expect(transferred).toEqual([content.positive.counts.buffer, content.negative.counts.buffer]);
    } finally {
      port1.close();
      port2.close();
    }
  });
});

describe('checkScale', () => {
  it('accepts integers in range and rejects everything else', () => {
    for (const s of [-4, 0, 7, 10]) expect(checkScale(s)).toBe(s);
    for (const s of [-5, 11, 6.5, NaN, '7', undefined]) {
      expect(() => checkScale(s)).toThrow(/expected scale to be an integer in \[-4, 10\]/);
    }
  });
});
