// One kernel "case" for the browser kernel tests: the same sequence of operations
// run on any Kernel, on the page or inside test/browser/kernel-worker.ts, so the
// outputs of the WASM and reference kernels can be compared bit for bit.
import type { Kernel, Moments, SketchBuckets, SketchStats } from '../../src/kernel/kernel.js';

/** What a case runs on. */
export interface KernelCaseInput {
  values: Float64Array;
  other: Float64Array;
  scale: number;
  qs: Float64Array;
  edges: Float64Array;
}

/** Everything a case produces (structured-clone friendly). */
export interface KernelCaseOutput {
  skipped: number;
  bytes: Uint8Array;
  mergedBytes: Uint8Array;
  roundTripBytes: Uint8Array;
  quantiles: Float64Array;
  mergedQuantiles: Float64Array;
  stats: SketchStats;
  buckets: SketchBuckets;
  sorted: Float64Array;
  /** selectF64 of the finite values at ranks floor(q (n - 1)) for each q in `qs`. */
  selected: Float64Array;
  moments: Moments;
  bins: Float64Array;
  ks: number;
  w1: number;
}

/**
 * Runs the case: sketch `values` (and `other`, merged in), serialize, round-trip,
 * quantiles, stats, buckets, plus the batch kernels on the finite values.
 */
export function runKernelCase(k: Kernel, input: KernelCaseInput): KernelCaseOutput {
  const { values, other, scale, qs, edges } = input;
  const h = k.sketchCreate(scale);
  const g = k.sketchCreate(scale);
  try {
    const skipped = k.sketchRecord(h, values);
    const bytes = k.sketchSerialize(h);
    const quantiles = k.sketchQuantiles(h, qs);
    const stats = k.sketchStats(h);
    const buckets = k.sketchBuckets(h);
    k.sketchRecord(g, other);
    k.sketchMerge(g, h);
    const mergedBytes = k.sketchSerialize(g);
    const mergedQuantiles = k.sketchQuantiles(g, qs);
    const back = k.sketchDeserialize(bytes);
    const roundTripBytes = k.sketchSerialize(back);
    k.sketchFree(back);
    const finite = values.filter((v) => Number.isFinite(v));
    const finiteOther = other.filter((v) => Number.isFinite(v));
    const sorted = k.sortF64(finite);
    const sortedOther = k.sortF64(finiteOther);
    const nonEmpty = sorted.length > 0 && sortedOther.length > 0;
    return {
      skipped,
      bytes,
      mergedBytes,
      roundTripBytes,
      quantiles,
      mergedQuantiles,
      stats,
      buckets,
      sorted,
      selected: k.selectF64(
        finite,
        Float64Array.from(qs, (q) => Math.floor(q * (finite.length - 1))),
      ),
      moments: k.moments(finite),
      bins: k.binCounts(finite, edges),
      ks: nonEmpty ? k.ksStatisticSorted(sorted, sortedOther) : NaN,
      w1: nonEmpty ? k.wasserstein1Sorted(sorted, sortedOther) : NaN,
    };
  } finally {
    k.sketchFree(h);
    k.sketchFree(g);
  }
}
