// The sketch byte format: round trips, canonical bytes, and corrupt input rejected with
// KernelError (never another error, a hang or a huge allocation).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, KernelError } from '../../src/errors.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import {
  decodeSketch,
  encodeSketch,
  indexBounds,
  SKETCH_MAGIC,
} from '../../src/kernel/sketch-format.js';
import type { DecodedSketch } from '../../src/kernel/sketch-format.js';
import { sameBuckets } from './kernels.js';
import { SKETCH_KERNEL_INSTANCES } from './kernel-instances.js';

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

const values = fc.array(
  fc.oneof(
    fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
    fc.double({ min: -1e6, max: -1e-6, noNaN: true }),
    fc.constant(0),
  ),
  { maxLength: 200 },
);

describe.each(SKETCH_KERNEL_INSTANCES)('serialize / deserialize (%s kernel)', (_name, k) => {
  it('round-trips: deserialize(serialize(s)) has the same stats, buckets, quantiles and bytes', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: -4, max: 8 }), (xs, scale) => {
        const h = k.sketchCreate(scale);
        k.sketchRecord(h, Float64Array.from(xs));
        const bytes = k.sketchSerialize(h);
        const back = k.sketchDeserialize(bytes);
        expect(k.sketchStats(back)).toEqual(k.sketchStats(h));
        expect(sameBuckets(k.sketchBuckets(back), k.sketchBuckets(h))).toBe(true);
        const qs = new Float64Array([0, 0.3, 0.5, 0.99, 1]);
        expect(k.sketchQuantiles(back, qs)).toEqual(k.sketchQuantiles(h, qs));
        expect(sameBytes(k.sketchSerialize(back), bytes)).toBe(true);
        // decodeSketch (no engine) reads the same content
        const d = decodeSketch(bytes);
        expect(d.version).toBe(1);
        expect({
          count: d.count,
          sum: d.sum,
          min: d.min,
          max: d.max,
          zeroCount: d.zeroCount,
        }).toEqual(k.sketchStats(h));
        expect(sameBuckets(d, k.sketchBuckets(h))).toBe(true);
        k.sketchFree(h);
        k.sketchFree(back);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects corrupt bytes with KernelError and leaves the kernel usable', () => {
    expect(() => k.sketchDeserialize(new Uint8Array([1, 2, 3]))).toThrow(KernelError);
    const h = k.sketchCreate();
    k.sketchRecord(h, new Float64Array([1, 2, 3]));
    expect(k.sketchStats(h).count).toBe(3);
    k.sketchFree(h);
  });
});

describe('sketch byte format', () => {
  const ref = createReferenceKernel();
  function sample(): Uint8Array {
    const h = ref.sketchCreate(7);
    ref.sketchRecord(h, new Float64Array([0, 0.5, 1, 2, 3, 300, -4, -4, 1e-3, 3.6e6]));
    return ref.sketchSerialize(h);
  }
  const good = sample();

  it('writes the documented header: magic, version, scale, sum/min/max as f64 LE', () => {
    expect(good[0]).toBe(SKETCH_MAGIC);
    expect(good[1]).toBe(1);
    expect(good[2]).toBe(7);
    const view = new DataView(good.buffer, good.byteOffset);
    expect(view.getFloat64(3, true)).toBe(0 + 0.5 + 1 + 2 + 3 + 300 - 4 - 4 + 1e-3 + 3.6e6);
    expect(view.getFloat64(11, true)).toBe(-4);
    expect(view.getFloat64(19, true)).toBe(3.6e6);
    expect(good[27]).toBe(10); // count varint
    expect(good[28]).toBe(1); // zero count varint
    // a negative scale is stored as a signed byte
    expect(ref.sketchSerialize(ref.sketchCreate(-3))[2]).toBe(256 - 3);
  });

  it('encodes an empty sketch in 33 bytes and the 1 µs – 1 h range compactly', () => {
    expect(ref.sketchSerialize(ref.sketchCreate()).length).toBe(3 + 24 + 2 + 4);
  });

  it('rejects every truncation', () => {
    for (let n = 0; n < good.length; n++)
      expect(() => decodeSketch(good.subarray(0, n))).toThrow(KernelError);
  });

  it('rejects specific corruptions with messages that name the problem', () => {
    const patch = (at: number, v: number): Uint8Array => {
      const b = good.slice();
      b[at] = v;
      return b;
    };
    expect(() => decodeSketch(patch(0, 0))).toThrow(/magic/);
    expect(() => decodeSketch(patch(1, 2))).toThrow(/version/);
    expect(() => decodeSketch(patch(2, 11))).toThrow(/scale/);
    expect(() => decodeSketch(patch(2, 256 - 5))).toThrow(/scale/);
    expect(() => decodeSketch(patch(27, 11))).toThrow(/count/);
    expect(() => decodeSketch(Uint8Array.from([...good, 0]))).toThrow(/trailing/);
    const nanMin = good.slice();
    new DataView(nanMin.buffer).setFloat64(11, NaN, true);
    expect(() => decodeSketch(nanMin)).toThrow(/min/);
    expect(() => decodeSketch('x' as unknown as Uint8Array)).toThrow(KernelError);
  });

  it('refuses huge lengths, long varints and out-of-range offsets without allocating', () => {
    const head = [...good.subarray(0, 27)];
    const emptyHead = [
      SKETCH_MAGIC,
      1,
      7,
      ...new Uint8Array(new Float64Array([0, Infinity, -Infinity]).buffer),
    ];
    // length 2^49 with 3 bytes left
    expect(() =>
      decodeSketch(
        Uint8Array.from([
          ...emptyHead,
          0,
          0,
          0,
          0x80,
          0x80,
          0x80,
          0x80,
          0x80,
          0x80,
          0x80,
          0x01,
          1,
          1,
          1,
        ]),
      ),
    ).toThrow(/length/);
    // a 9-byte varint
    expect(() =>
      decodeSketch(
        Uint8Array.from([...head, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      ),
    ).toThrow(/varint/);
    // positive offset beyond the largest index at scale 7
    const [, hi] = indexBounds(7);
    const zz = 2 * (hi + 1);
    const leb: number[] = [];
    for (let v = zz; ; v = Math.floor(v / 128)) {
      if (v < 128) {
        leb.push(v);
        break;
      }
      leb.push((v % 128) | 128);
    }
    expect(() =>
      decodeSketch(
        Uint8Array.from([
          ...head.slice(0, 3),
          ...new Uint8Array(new Float64Array([5, 5, 5]).buffer),
          1,
          0,
          ...leb,
          1,
          1,
          0,
          0,
        ]),
      ),
    ).toThrow(/within/);
    // an untrimmed side (zero at an end)
    expect(() =>
      decodeSketch(
        Uint8Array.from([
          ...head.slice(0, 3),
          ...new Uint8Array(new Float64Array([5, 5, 5]).buffer),
          1,
          0,
          2,
          2,
          1,
          0,
          0,
          0,
        ]),
      ),
    ).toThrow(/trimmed/);
    // an empty side with an offset
    expect(() => decodeSketch(Uint8Array.from([...emptyHead, 0, 0, 4, 0, 0, 0]))).toThrow(/empty/);
  });

  it('refuses overlong varints: every value has one encoding, so what decodes re-encodes to the same bytes', () => {
    const emptyHead = [
      SKETCH_MAGIC,
      1,
      7,
      ...new Uint8Array(new Float64Array([0, Infinity, -Infinity]).buffer),
    ];
    // count 0 written as two bytes (0x80 0x00) instead of one
    expect(() => decodeSketch(Uint8Array.from([...emptyHead, 0x80, 0x00, 0, 0, 0, 0, 0]))).toThrow(
      /overlong/,
    );
    // the last byte of a multi-byte varint in good's negative side set to zero
    const last = good.length - 4;
    expect(good[last]).toBeGreaterThanOrEqual(0x80);
    const b = good.slice();
    b[last + 1] = 0;
    expect(() => decodeSketch(b)).toThrow(/overlong/);
  });

  it('never throws anything but KernelError on random mutations, and what it accepts re-encodes identically', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const b = good.slice();
          for (const [at, v] of edits) b[at] = v;
          let d: DecodedSketch;
          try {
            d = decodeSketch(b);
          } catch (err) {
            expect(err).toBeInstanceOf(KernelError);
            return;
          }
          expect(encodeSketch(d)).toEqual(b);
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          decodeSketch(b);
        } catch (err) {
          expect(err).toBeInstanceOf(KernelError);
        }
      }),
    );
  });

  it('encodeSketch trims sides and validates its input', () => {
    const d = decodeSketch(good);
    const padded = {
      ...d,
      positive: {
        offset: d.positive.offset - 2,
        counts: Float64Array.from([0, 0, ...d.positive.counts, 0]),
      },
    };
    expect(encodeSketch(padded)).toEqual(good);
    expect(() => encodeSketch({ ...d, count: d.count + 1 })).toThrow(KernelError);
    expect(() => encodeSketch({ ...d, scale: 42 })).toThrow(ConfigError);
    expect(() =>
      encodeSketch({
        ...d,
        positive: { offset: 0, counts: new Float64Array([1.5]) },
        count: d.count - d.positive.counts.reduce((a, c) => a + c, 0) + 1.5,
      }),
    ).toThrow(KernelError);
  });
});
