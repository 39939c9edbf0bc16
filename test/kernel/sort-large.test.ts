// sortF64 on inputs shaped to reach every path of the WASM sort (splits below the shared
// prefix, large and small buckets, splits nested five levels deep, runs of duplicates),
// on both kernels, against Float64Array.prototype.sort.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sorted } from './kernels.js';
import { KERNEL_INSTANCES } from './kernel-instances.js';

const sameBits = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** Doubles from raw IEEE bits (NaN patterns replaced by the largest finite magnitude). */
function fromBits(bits: bigint[]): Float64Array {
  const u = BigUint64Array.from(bits, (b) => {
    const exp = (b >> 52n) & 0x7ffn;
    const frac = b & ((1n << 52n) - 1n);
    return exp === 0x7ffn && frac !== 0n ? (b & (1n << 63n)) | 0x7fefffffffffffffn : b;
  });
  return new Float64Array(u.buffer);
}

/** Keys nested so that five split levels each keep a bucket of 200, 160, ... 40 keys. */
function nested(): Float64Array {
  const one = 0x3ff0000000000000n;
  const bits: bigint[] = [];
  for (let level = 0; level < 5; level++)
    for (let r = 1n; r <= 40n; r++) bits.push(one + (r << BigInt(48 - 11 * level)));
  for (let i = 0; i < 40; i++) bits.push(one);
  // a fixed shuffle
  for (let i = bits.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [bits[i], bits[j]] = [bits[j] as bigint, bits[i] as bigint];
  }
  return fromBits(bits);
}

/** Values around a few centres at offsets of every magnitude, with duplicates and both signs. */
const clustered = fc
  .record({
    centres: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 1,
      maxLength: 4,
    }),
    points: fc.array(
      fc.record({
        centre: fc.nat(),
        exponent: fc.integer({ min: -60, max: 10 }),
        mantissa: fc.double({ min: -1, max: 1, noNaN: true }),
        copies: fc.integer({ min: 1, max: 40 }),
      }),
      { maxLength: 400 },
    ),
  })
  .map(({ centres, points }) => {
    const out: number[] = [];
    for (const p of points) {
      const v = (centres[p.centre % centres.length] as number) + p.mantissa * 2 ** p.exponent;
      for (let c = 0; c < p.copies; c++) out.push(v);
    }
    return out;
  });

describe.each(KERNEL_INSTANCES)('sortF64 on large and clustered inputs (%s kernel)', (_name, k) => {
  it('clustered values with duplicates sort like Float64Array.prototype.sort', () => {
    fc.assert(
      fc.property(clustered, (xs) => {
        const input = Float64Array.from(xs);
        expect(sameBits(k.sortF64(input), sorted(xs))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary bit patterns (subnormals, ±0, ±Infinity) at sizes past one split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 33, maxLength: 3000 }),
        (bits) => {
          const input = fromBits(bits);
          expect(sameBits(k.sortF64(input), sorted(input))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keys nested five split levels deep', () => {
    const input = nested();
    expect(sameBits(k.sortF64(input), sorted(input))).toBe(true);
  });

  it('large inputs: normal, uniform in [1, 2), narrow with an outlier, few distinct values, one value, lognormal', () => {
    const n = 300_000;
    let s = 0x2545f491;
    const rand = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const gauss = (): number =>
      Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const cases: Float64Array[] = [
      Float64Array.from({ length: n }, gauss),
      Float64Array.from({ length: n }, () => 1 + rand()),
      Float64Array.from({ length: n }, (_, i) => (i === 7 ? 1e300 : 1 + rand() * 1e-9)),
      Float64Array.from({ length: n }, () => Math.floor(rand() * 100) - 50),
      new Float64Array(n).fill(-0),
      Float64Array.from({ length: n }, () => Math.exp(gauss() * 3)),
    ];
    for (const input of cases) expect(sameBits(k.sortF64(input), sorted(input))).toBe(true);
  });
});
