// WASM kernel == reference kernel: bucket layouts, stats, quantiles and serialized bytes
// bit-identical (the WASM sketch kernel on the sketch-only module too); batch kernels
// equal (they run the same operations in the same order).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { KernelError } from '../../src/errors.js';
import { MAX_SCALE, MIN_SCALE } from '../../src/kernel/kernel.js';
import type { Kernel, SketchKernel } from '../../src/kernel/kernel.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { bucketIndex, bucketRepresentative } from '../../src/kernel/reference/bucket-index.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import { createWasmSketchKernel } from '../../src/kernel/wasm-kernel.js';
import { expectFreedHandleAbort, rawKernelExports, sameBuckets } from './kernels.js';

let wasm: Kernel;
let ref: Kernel;
/** The sketch worker's kernel: the sketch-only module. */
let wasmSketch: SketchKernel;
/** The raw module, for the bucket mapping exports used only by tests. */
let raw: {
  bucketIndexOf(x: number, s: number): number;
  bucketRepresentativeOf(i: number, s: number): number;
};

beforeAll(async () => {
  wasm = await createWasmKernel();
  ref = createReferenceKernel();
  wasmSketch = await createWasmSketchKernel();
  raw = await rawKernelExports<typeof raw>();
});

const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => x !== 0);
const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const same = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('WASM kernel == reference kernel', () => {
  it('maps every finite double (subnormals and extremes included) to the same bucket and representative', () => {
    fc.assert(
      fc.property(anyFinite, fc.integer({ min: MIN_SCALE, max: MAX_SCALE }), (x, scale) => {
        const i = bucketIndex(x, scale);
        expect(raw.bucketIndexOf(x, scale)).toBe(i);
        expect(
          Object.is(raw.bucketRepresentativeOf(i, scale), bucketRepresentative(i, scale)),
        ).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on every representative at each scale across one octave and at the ends of the range', () => {
    for (let scale = MIN_SCALE; scale <= MAX_SCALE; scale++) {
      const perOctave = scale > 0 ? 2 ** scale : 1;
      for (const base of [0, -1075 * perOctave, 1023 * perOctave - perOctave]) {
        for (let i = base - 2; i < base + perOctave + 2; i++) {
          expect(
            Object.is(raw.bucketRepresentativeOf(i, scale), bucketRepresentative(i, scale)),
            `${i}@${scale}`,
          ).toBe(true);
        }
      }
    }
  });

  it('nonNegative: both kernels skip and count negatives and non-finite values, and hold exactly what recording the valid values alone holds (property)', () => {
    const value = fc.oneof(
      fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
      fc.double({ min: -1e9, max: -1e-9, noNaN: true }),
      fc.constantFrom(0, -0, NaN, Infinity, -Infinity, -5e-324, 5e-324, 1e-3),
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 200 }),
        fc.integer({ min: MIN_SCALE, max: 8 }),
        (xs, scale) => {
          const valid = Float64Array.from(xs.filter((x) => Number.isFinite(x) && !(x < 0)));
          for (const k of [wasm, wasmSketch, ref]) {
            const h = k.sketchCreate(scale);
            const plain = k.sketchCreate(scale);
            expect(k.sketchRecord(h, Float64Array.from(xs), true)).toBe(xs.length - valid.length);
            expect(k.sketchRecord(plain, valid)).toBe(0);
            expect(bytesEqual(k.sketchSerialize(h), k.sketchSerialize(plain))).toBe(true);
            expect(Object.is(k.sketchStats(h).sum, k.sketchStats(plain).sum)).toBe(true);
            k.sketchFree(h);
            k.sketchFree(plain);
          }
        },
      ),
    );
  });

  it.each([
    ['full module', (): SketchKernel => wasm],
    ['sketch-only module', (): SketchKernel => wasmSketch],
  ])(
    'produces bit-identical sketches through record, merge, reset and serialization (WASM %s)',
    (_module, kernel) => {
      const wasm = kernel();
      const batch = fc.array(
        fc.oneof(
          fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
          fc.double({ min: -1e9, max: -1e-9, noNaN: true }),
          fc.constantFrom(0, -0, NaN, Infinity, 1e-3, 3.6e6),
        ),
        {
          maxLength: 120,
        },
      );
      fc.assert(
        fc.property(
          fc.integer({ min: MIN_SCALE, max: 8 }),
          fc.array(batch, { minLength: 1, maxLength: 4 }),
          batch,
          (scale, batches, other) => {
            const hw = wasm.sketchCreate(scale);
            const hr = ref.sketchCreate(scale);
            const ow = wasm.sketchCreate(scale);
            const or = ref.sketchCreate(scale);
            expect(hw).toBe(hr); // same handle allocation policy
            for (const b of batches) {
              const xs = Float64Array.from(b);
              expect(wasm.sketchRecord(hw, xs)).toBe(ref.sketchRecord(hr, xs));
            }
            wasm.sketchRecord(ow, Float64Array.from(other));
            ref.sketchRecord(or, Float64Array.from(other));
            wasm.sketchMerge(hw, ow);
            ref.sketchMerge(hr, or);
            expect(wasm.sketchStats(hw)).toEqual(ref.sketchStats(hr));
            expect(Object.is(wasm.sketchStats(hw).sum, ref.sketchStats(hr).sum)).toBe(true);
            expect(sameBuckets(wasm.sketchBuckets(hw), ref.sketchBuckets(hr))).toBe(true);
            const qs = new Float64Array([0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1]);
            expect(same(wasm.sketchQuantiles(hw, qs), ref.sketchQuantiles(hr, qs))).toBe(true);
            const bytes = wasm.sketchSerialize(hw);
            expect(bytesEqual(bytes, ref.sketchSerialize(hr))).toBe(true);
            expect(wasm.sketchByteSize(hw)).toBe(ref.sketchByteSize(hr));
            // cross-load: bytes from one kernel read back by the other
            const back = ref.sketchDeserialize(bytes);
            expect(bytesEqual(ref.sketchSerialize(back), bytes)).toBe(true);
            const backW = wasm.sketchDeserialize(ref.sketchSerialize(hr));
            expect(bytesEqual(wasm.sketchSerialize(backW), bytes)).toBe(true);
            expect(wasm.sketchByteSize(backW)).toBe(ref.sketchByteSize(back));
            wasm.sketchReset(hw);
            ref.sketchReset(hr);
            expect(bytesEqual(wasm.sketchSerialize(hw), ref.sketchSerialize(hr))).toBe(true);
            for (const h of [hw, ow, backW]) wasm.sketchFree(h);
            for (const h of [hr, or, back]) ref.sketchFree(h);
          },
        ),
        { numRuns: 80 },
      );
    },
  );

  it('agrees on sort, binning, moments, KS and W1 (same operations, same order: equal results)', () => {
    const values = fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 300 });
    fc.assert(
      fc.property(
        values,
        values,
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 12 }),
        (a, b, e) => {
          const xa = Float64Array.from(a);
          const xb = Float64Array.from(b);
          const edges = Float64Array.from(e).sort();
          expect(same(wasm.sortF64(xa), ref.sortF64(xa))).toBe(true);
          expect(same(wasm.binCounts(xa, edges), ref.binCounts(xa, edges))).toBe(true);
          const mw = wasm.moments(xa);
          const mr = ref.moments(xa);
          for (const key of ['count', 'mean', 'variance', 'min', 'max', 'sum'] as const)
            expect(Object.is(mw[key], mr[key]), key).toBe(true);
          const sa = ref.sortF64(xa);
          const sb = ref.sortF64(xb);
          expect(Object.is(wasm.ksStatisticSorted(sa, sb), ref.ksStatisticSorted(sa, sb))).toBe(
            true,
          );
          expect(Object.is(wasm.wasserstein1Sorted(sa, sb), ref.wasserstein1Sorted(sa, sb))).toBe(
            true,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agrees on KS for samples of very different sizes, ties, ±0 and ±Infinity (either one the shorter)', () => {
    const value = fc.oneof(
      fc.integer({ min: -8, max: 8 }).map((v) => v / 2),
      fc.constantFrom(-0, 0, Infinity, -Infinity),
      fc.double({ min: -10, max: 10, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 2000 }),
        fc.array(value, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (long, short, swap) => {
          const sa = ref.sortF64(Float64Array.from(swap ? short : long));
          const sb = ref.sortF64(Float64Array.from(swap ? long : short));
          expect(Object.is(wasm.ksStatisticSorted(sa, sb), ref.ksStatisticSorted(sa, sb))).toBe(
            true,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('WASM abort', () => {
  it('turns an AssemblyScript abort into KernelError("KERNEL_ABORT") with the decoded message and file:line', () => {
    expectFreedHandleAbort(wasm);
    expectFreedHandleAbort(wasmSketch);
    // the reference kernel reports the same misuse with the same text (code KERNEL: no WASM involved)
    const hr = ref.sketchCreate();
    ref.sketchFree(hr);
    expect(() => ref.sketchRecord(hr, new Float64Array([1]))).toThrow(
      `sketchRecord: invalid sketch handle ${hr}`,
    );
  });

  it('never aborts for a handle that was never issued: it throws, for any integer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).filter((h) => h > 1000 || h <= 0),
        (h) => {
          expect(() => wasm.sketchStats(h)).toThrow(KernelError);
          wasm.sketchFree(h); // free of an unknown handle is a no-op
        },
      ),
      { numRuns: 50 },
    );
  });
});
