/**
 * Merging decoded sketches in plain TypeScript (no kernel handle): what a collector
 * does with many profiles. Different scales meet at the coarser one: bucket i at
 * scale s lies inside bucket ⌊i / 2^d⌋ at scale s − d, so downscaling is exact.
 */
import type { DecodedSide, DecodedSketch } from '../kernel/sketch-format.js';

/** A sketch without its format version. */
export type SketchContent = Omit<DecodedSketch, 'version'>;

/**
 * A side re-bucketed at a coarser scale. O(buckets).
 * @param side - counts at some scale.
 * @param shift - scale decrease d ≥ 0.
 * @returns the side at scale − d.
 * @example downscaleSide({ offset: 0, counts: new Float64Array([1, 1]) }, 1).counts // => [2]
 */
export function downscaleSide(side: DecodedSide, shift: number): DecodedSide {
  if (shift === 0 || side.counts.length === 0)
    return { offset: side.offset, counts: side.counts.slice() };
  const first = side.offset >> shift;
  const last = (side.offset + side.counts.length - 1) >> shift;
  const counts = new Float64Array(last - first + 1);
  for (let i = 0; i < side.counts.length; i++) {
    const j = ((side.offset + i) >> shift) - first;
    counts[j] = (counts[j] as number) + (side.counts[i] as number);
  }
  return { offset: first, counts };
}

function addSides(a: DecodedSide, b: DecodedSide): DecodedSide {
  if (a.counts.length === 0) return { offset: b.offset, counts: b.counts.slice() };
  if (b.counts.length === 0) return { offset: a.offset, counts: a.counts.slice() };
  const lo = Math.min(a.offset, b.offset);
  const hi = Math.max(a.offset + a.counts.length, b.offset + b.counts.length);
  const counts = new Float64Array(hi - lo);
  for (let i = 0; i < a.counts.length; i++) counts[a.offset - lo + i] = a.counts[i] as number;
  for (let i = 0; i < b.counts.length; i++) {
    const j = b.offset - lo + i;
    counts[j] = (counts[j] as number) + (b.counts[i] as number);
  }
  return { offset: lo, counts };
}

/**
 * A sketch at a coarser (or the same) scale. O(buckets).
 * @param s - the sketch.
 * @param scale - target scale ≤ s.scale.
 * @returns the re-bucketed sketch.
 * @example downscaleSketch(s, s.scale - 1).scale // => s.scale - 1
 */
export function downscaleSketch(s: SketchContent, scale: number): SketchContent {
  const shift = s.scale - scale;
  return {
    ...s,
    scale,
    positive: downscaleSide(s.positive, shift),
    negative: downscaleSide(s.negative, shift),
  };
}

/**
 * Adds two sketches exactly, at the coarser of their scales. O(buckets).
 * @param a - one sketch.
 * @param b - the other.
 * @returns the merged sketch (inputs untouched).
 * @example mergeSketches(a, b).count // => a.count + b.count
 */
export function mergeSketches(a: SketchContent, b: SketchContent): SketchContent {
  const scale = Math.min(a.scale, b.scale);
  const x = downscaleSketch(a, scale);
  const y = downscaleSketch(b, scale);
  return {
    scale,
    count: x.count + y.count,
    sum: x.sum + y.sum,
    min: Math.min(x.min, y.min),
    max: Math.max(x.max, y.max),
    zeroCount: x.zeroCount + y.zeroCount,
    positive: addSides(x.positive, y.positive),
    negative: addSides(x.negative, y.negative),
  };
}

/**
 * An empty sketch.
 * @param scale - its scale.
 * @returns count 0, min +Infinity, max −Infinity.
 * @example emptySketch(4).count // => 0
 */
export function emptySketch(scale: number): SketchContent {
  return {
    scale,
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
    zeroCount: 0,
    positive: { offset: 0, counts: new Float64Array(0) },
    negative: { offset: 0, counts: new Float64Array(0) },
  };
}
