/**
 * The exponential-bucket sketch in pure TypeScript: the oracle for, and the exact
 * mirror of, assembly/sketch.ts. Bucket arrays grow to the index range actually
 * seen (offset + counts); counts are u32 and a side is promoted to f64 counts the
 * first time one bucket would pass 2^32 − 1, so memory stays small for the common
 * case and counts stay exact (to 2^53) for the rare huge one.
 */
import { KernelError } from '../../errors.js';
import type { SketchBuckets, SketchStats } from '../kernel.js';
import { bucketIndex, bucketRepresentative } from './bucket-index.js';

/** Bytes of the fixed sketch header in the WASM kernel (mirrored so byte sizes agree). */
export const SKETCH_HEADER_BYTES = 88;
/** Smallest allocation of a side, in buckets. */
const MIN_SLACK = 16;
const U32_MAX = 0xffffffff;

/** One side (positive or negative) of a sketch: counts for indexes [offset, offset + counts.length). */
interface Side {
  offset: number;
  counts: Uint32Array | Float64Array;
}

function emptySide(): Side {
  return { offset: 0, counts: new Uint32Array(0) };
}

/** Makes `side` cover indexes [lo, hi] (inclusive), with slack in the direction of growth. */
function ensureRange(side: Side, lo: number, hi: number): void {
  const cap = side.counts.length;
  if (cap > 0 && lo >= side.offset && hi < side.offset + cap) return;
  let newLo: number;
  let newHi: number; // exclusive
  if (cap === 0) {
    newLo = lo - (MIN_SLACK >> 1);
    newHi = hi + 1 + (MIN_SLACK >> 1);
  } else {
    newLo = Math.min(side.offset, lo);
    newHi = Math.max(side.offset + cap, hi + 1);
    const slack = Math.max(MIN_SLACK, (newHi - newLo) >> 2);
    if (lo < side.offset) newLo -= slack;
    if (hi >= side.offset + cap) newHi += slack;
  }
  const grown =
    side.counts instanceof Float64Array
      ? new Float64Array(newHi - newLo)
      : new Uint32Array(newHi - newLo);
  if (cap > 0) grown.set(side.counts, side.offset - newLo);
  side.counts = grown;
  side.offset = newLo;
}

/** Adds `n` to bucket `index` (already in range), promoting the side to f64 counts on u32 overflow. */
function addCount(side: Side, index: number, n: number): void {
  const i = index - side.offset;
  const c = (side.counts[i] as number) + n;
  if (c > U32_MAX && side.counts instanceof Uint32Array)
    side.counts = Float64Array.from(side.counts);
  side.counts[i] = c;
}

/** First and last non-zero slot of a side, or [-1, -1]. */
function usedRange(side: Side): [number, number] {
  const c = side.counts;
  let first = 0;
  while (first < c.length && c[first] === 0) first++;
  if (first === c.length) return [-1, -1];
  let last = c.length - 1;
  while (c[last] === 0) last--;
  return [first, last];
}

function trimmed(side: Side): { offset: number; counts: Float64Array } {
  const [first, last] = usedRange(side);
  if (first < 0) return { offset: 0, counts: new Float64Array(0) };
  return {
    offset: side.offset + first,
    counts: Float64Array.from(side.counts.subarray(first, last + 1)),
  };
}

/** A base-2 exponential histogram at a fixed scale (see the README, "Kernels"). */
export class ExpSketch {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  zeroCount = 0;
  positive: Side = emptySide();
  negative: Side = emptySide();

  /** @param scale - integer in [MIN_SCALE, MAX_SCALE], validated by the caller. */
  constructor(readonly scale: number) {}

  /** Empties the sketch (keeps the scale, releases the buckets). */
  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.zeroCount = 0;
    this.positive = emptySide();
    this.negative = emptySide();
  }

  /**
   * Records a batch; non-finite values are skipped and counted. O(n).
   * @returns the number of values skipped.
   */
  record(values: Float64Array, nonNegative = false): number {
    let dropped = 0;
    let zeros = 0;
    let sum = this.sum;
    let min = this.min;
    let max = this.max;
    for (let i = 0; i < values.length; i++) {
      const x = values[i] as number;
      if (!Number.isFinite(x) || (nonNegative && x < 0)) {
        dropped++;
        continue;
      }
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
      if (x === 0) {
        zeros++;
        continue;
      }
      const side = x > 0 ? this.positive : this.negative;
      const index = bucketIndex(x, this.scale);
      ensureRange(side, index, index);
      addCount(side, index, 1);
    }
    // counts added once per batch, as the WASM kernel does (exact below 2^53 either way)
    this.count += values.length - dropped;
    this.zeroCount += zeros;
    this.sum = sum;
    this.min = min;
    this.max = max;
    return dropped;
  }

  /** Adds `src` into this sketch exactly. @throws KernelError on a scale mismatch. */
  merge(src: ExpSketch): void {
    if (src.scale !== this.scale) {
      throw new KernelError(
        `sketch merge: expected equal scales, got ${this.scale} and ${src.scale}`,
      );
    }
    for (const [dst, from] of [
      [this.positive, src.positive],
      [this.negative, src.negative],
    ] as const) {
      const [first, last] = usedRange(from);
      if (first < 0) continue;
      const counts = from.counts.slice(first, last + 1); // snapshot: merging a sketch into itself
      ensureRange(dst, from.offset + first, from.offset + last);
      for (let i = 0; i < counts.length; i++) {
        const c = counts[i] as number;
        if (c !== 0) addCount(dst, from.offset + first + i, c);
      }
    }
    this.count += src.count;
    this.sum += src.sum;
    this.zeroCount += src.zeroCount;
    if (src.min < this.min) this.min = src.min;
    if (src.max > this.max) this.max = src.max;
  }

  /** Quantile estimates (rank floor(q·(count−1)), harmonic bucket representative, clamped). O(buckets) per q. */
  quantiles(qs: Float64Array): Float64Array {
    const out = new Float64Array(qs.length);
    for (let i = 0; i < qs.length; i++) out[i] = this.quantile(qs[i] as number);
    return out;
  }

  private quantile(q: number): number {
    if (!(q >= 0 && q <= 1) || this.count === 0) return NaN;
    const rank = Math.floor(q * (this.count - 1));
    if (rank === 0) return this.min;
    if (rank === this.count - 1) return this.max;
    let cum = 0;
    const neg = this.negative.counts;
    for (let i = neg.length - 1; i >= 0; i--) {
      cum += neg[i] as number;
      if (cum > rank)
        return this.clamp(-bucketRepresentative(this.negative.offset + i, this.scale));
    }
    cum += this.zeroCount;
    if (cum > rank) return this.clamp(0);
    const pos = this.positive.counts;
    for (let i = 0; i < pos.length; i++) {
      cum += pos[i] as number;
      if (cum > rank) return this.clamp(bucketRepresentative(this.positive.offset + i, this.scale));
    }
    return this.max; // unreachable when counts are consistent
  }

  private clamp(v: number): number {
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }

  /** Count, sum, min, max, zero count. */
  stats(): SketchStats {
    return {
      count: this.count,
      sum: this.sum,
      min: this.min,
      max: this.max,
      zeroCount: this.zeroCount,
    };
  }

  /** Trimmed bucket layout (first and last bucket non-zero; an empty side has offset 0). */
  buckets(): SketchBuckets {
    return {
      scale: this.scale,
      zeroCount: this.zeroCount,
      positive: trimmed(this.positive),
      negative: trimmed(this.negative),
    };
  }

  /** Replaces the contents with a decoded sketch (exact ranges, u32 counts where they fit). */
  load(stats: SketchStats, buckets: SketchBuckets): void {
    this.count = stats.count;
    this.sum = stats.sum;
    this.min = stats.min;
    this.max = stats.max;
    this.zeroCount = stats.zeroCount;
    const side = (b: { offset: number; counts: Float64Array }): Side => {
      if (b.counts.length === 0) return emptySide();
      let fits = true;
      for (let i = 0; i < b.counts.length; i++) if ((b.counts[i] as number) > U32_MAX) fits = false;
      return {
        offset: b.offset,
        counts: fits ? new Uint32Array(b.counts) : new Float64Array(b.counts),
      };
    };
    this.positive = side(buckets.positive);
    this.negative = side(buckets.negative);
  }

  /** Bytes held: the header plus both bucket arrays as allocated (mirrors the WASM layout). */
  byteSize(): number {
    return SKETCH_HEADER_BYTES + this.positive.counts.byteLength + this.negative.counts.byteLength;
  }
}
