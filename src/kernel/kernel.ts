/**
 * The `Kernel` interface: the O(n) numeric work of edgewatch behind one small,
 * batch-oriented surface. Two implementations exist and must agree:
 * `wasm-kernel.ts` (AssemblyScript compiled to WASM) and `reference/` (pure
 * TypeScript: the test oracle and the fallback where WASM is refused).
 *
 * Contract for every method:
 * - Values cross in batches (typed arrays), never one call per value.
 * - Inputs are never mutated; outputs are fresh arrays owned by the caller (except
 *   a destination the caller passes in, e.g. `sortF64(values, out)`).
 * - Callers filter NaN before calling (the facades count them as dropped);
 *   a kernel may assume NaN-free input unless a method says otherwise.
 * - Sketch handles are small integers owned by the kernel; using a freed
 *   handle throws `KernelError` (code 'KERNEL_ABORT' from the WASM kernel, whose
 *   AssemblyScript `abort` carries the message; 'KERNEL' from the reference).
 *
 * Parity (tested property by property in test/kernel/parity.test.ts): the two
 * implementations run the same operations in the same order, so every result is
 * bit-identical — bucket layouts, stats (sum included), quantiles, serialized bytes,
 * sorts, bin counts, moments, KS and W1. The documented float tolerance is 0.
 */

/** Summary statistics of an exponential sketch. */
export interface SketchStats {
  /** Number of values recorded (all buckets, zero bucket and negative side). */
  count: number;
  /** Sum of the values recorded (exact, as f64 addition in record order). */
  sum: number;
  /** Smallest value recorded, `+Infinity` when empty. */
  min: number;
  /** Largest value recorded, `-Infinity` when empty. */
  max: number;
  /** Values equal to zero (held in the zero bucket). */
  zeroCount: number;
}

/**
 * The bucket layout of a sketch, OpenTelemetry-style: positive bucket
 * `offset + i` covers `(base^(offset+i), base^(offset+i+1)]` with
 * `base = 2^(2^-scale)`; the negative side mirrors it for absolute values.
 * Maps one to one onto OTLP ExponentialHistogram and Prometheus native histograms.
 */
export interface SketchBuckets {
  /** The sketch's scale: bucket `i` covers `(2^(i/2^scale), 2^((i+1)/2^scale)]`. */
  scale: number;
  /** Values equal to zero. */
  zeroCount: number;
  /** Buckets of positive values. */
  positive: {
    /** Index of the first bucket in `counts`. */
    offset: number;
    /** Counts of consecutive buckets from `offset`. */
    counts: Float64Array;
  };
  /** Buckets of negative values, by absolute value. */
  negative: {
    /** Index of the first bucket in `counts`. */
    offset: number;
    /** Counts of consecutive buckets from `offset`. */
    counts: Float64Array;
  };
}

/** Count, mean and variance of a batch (Welford / pairwise, numerically stable). */
export interface Moments {
  /** Values in the batch. */
  count: number;
  /** Their mean. */
  mean: number;
  /** Population variance (divide by n). Sample variance = variance * n / (n - 1). */
  variance: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Sum of the values. */
  sum: number;
}

/** The kernel surface shared by the WASM and the reference implementations. */
export interface Kernel {
  /** Which implementation this is. */
  readonly kind: 'wasm' | 'reference';

  // ---- exponential-bucket sketch -------------------------------------------------
  /** Creates an empty sketch at `scale` (default {@link DEFAULT_SCALE}); returns its handle. */
  sketchCreate(scale?: number): number;
  /** Releases a sketch. Idempotent for a handle already freed. */
  sketchFree(handle: number): void;
  /** Empties a sketch, keeping its handle and scale. */
  sketchReset(handle: number): void;
  /**
   * Records a batch of finite values (zero and negatives held separately).
   * Non-finite values (NaN, ±Infinity) are skipped, never thrown on; with
   * `nonNegative`, negatives too (latencies: validated inside the kernel's own
   * pass instead of a separate one; -0 is kept as a zero).
   * @returns how many values were skipped.
   */
  sketchRecord(handle: number, values: Float64Array, nonNegative?: boolean): number;
  /** Merges `src` into `dst` exactly (same scale required; `KernelError` otherwise). */
  sketchMerge(dst: number, src: number): void;
  /**
   * Quantiles for each q in [0, 1]; NaN for an empty sketch or q outside [0, 1].
   * Rank convention: the estimate of the `floor(q * (count - 1))`-th smallest value
   * (0-based; numpy `method='lower'`), within relative error {@link relativeErrorBound}.
   */
  sketchQuantiles(handle: number, qs: Float64Array): Float64Array;
  /** Count, sum, min, max, zero count. */
  sketchStats(handle: number): SketchStats;
  /** The bucket layout, for export (OTLP, Prometheus native, classic buckets). */
  sketchBuckets(handle: number): SketchBuckets;
  /** Compact byte form (format documented in the implementation; versioned). */
  sketchSerialize(handle: number): Uint8Array;
  /** Reads the byte form back into a new sketch; throws `KernelError` on corrupt input. */
  sketchDeserialize(bytes: Uint8Array): number;
  /** Bytes of memory the sketch holds now (header plus bucket arrays as allocated). */
  sketchByteSize(handle: number): number;

  // ---- batch kernels ---------------------------------------------------------
  /**
   * Counts per bin for ascending `edges` (length k): returns k + 1 counts where
   * bin 0 is `(-inf, edges[0])`, bin i is `[edges[i-1], edges[i])`, and bin k is
   * `[edges[k-1], +inf)`.
   */
  binCounts(values: Float64Array, edges: Float64Array): Float64Array;
  /**
   * Sorted copy (ascending, -0 before +0, as `Float64Array.prototype.sort`).
   * `out` (optional, same length as `values`): written and returned instead of a new
   * array, for callers that reuse one buffer per window (a fresh 8 MB array per call
   * costs page faults comparable to the sort itself on some machines).
   */
  sortF64(values: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Exact order statistics without a full sort: element j of the result is
   * `sortF64(values)[ranks[j]]` (0-based ranks; NaN for a rank that is not an integer
   * in [0, n)). The WASM kernel radix-selects: three passes over the values plus a sort
   * of the few values that share a 16-bit key window with a requested rank — O(n),
   * several times faster than `sortF64` at 1e6. The reference kernel sorts.
   */
  selectF64(values: Float64Array, ranks: Float64Array): Float64Array;
  /** Count, mean, variance, min, max, sum of a batch. */
  moments(values: Float64Array): Moments;
  /** Two-sample KS statistic sup|F_a - F_b| of two sorted samples (ties handled as scipy). */
  ksStatisticSorted(a: Float64Array, b: Float64Array): number;
  /** Wasserstein-1 distance (area between ECDFs) of two sorted samples. */
  wasserstein1Sorted(a: Float64Array, b: Float64Array): number;
}

/** The names of {@link Kernel}'s sketch half (see {@link SketchKernel}). */
type SketchMember =
  | 'kind'
  | 'sketchCreate'
  | 'sketchFree'
  | 'sketchReset'
  | 'sketchRecord'
  | 'sketchMerge'
  | 'sketchQuantiles'
  | 'sketchStats'
  | 'sketchBuckets'
  | 'sketchSerialize'
  | 'sketchDeserialize'
  | 'sketchByteSize';

/**
 * The sketch half of {@link Kernel}: all the sketch service calls. Every
 * `Kernel` is one; the sketch worker runs on a WASM kernel that is only this
 * (a smaller module compiled from the same AssemblyScript source, without the
 * sort, selection and drift kernels).
 */
export type SketchKernel = Pick<Kernel, SketchMember>;

/** A sketch's content as numbers: its stats and bucket layout, all that its byte form holds. */
export type SketchContent = SketchStats & SketchBuckets;

/** The members of {@link Kernel} that read and write the sketch's byte form (sketch-format.ts). */
type ByteMember = 'sketchSerialize' | 'sketchDeserialize';

/**
 * What an engine worker's sketches run on: the sketch half of {@link Kernel}
 * without the byte form, plus loading a sketch from its content. The worker's
 * caller encodes and decodes, so the worker files carry no codec.
 */
export interface WorkerSketchKernel extends Omit<SketchKernel, ByteMember> {
  /**
   * Creates a sketch holding `content` (as decoded by sketch-format.ts, or as
   * another sketch's stats and buckets); returns its handle.
   */
  sketchLoad(content: SketchContent): number;
}

/** What an engine worker runs on: {@link Kernel} with {@link WorkerSketchKernel}'s sketch half. */
export type WorkerKernel = Omit<Kernel, ByteMember> & WorkerSketchKernel;

/**
 * What the WASM engine workers run on: {@link WorkerKernel} without exact
 * selection (`selectF64`, which only the in-process kernel offers), so their
 * module leaves the selection kernel out.
 */
export type EngineWorkerKernel = Omit<WorkerKernel, 'selectF64'>;

/**
 * Default sketch scale: base b = 2^(2^-7), relative error (b-1)/(b+1) ≈ 0.2708% at scale 7.
 * Values spanning 1 µs – 1 h in ms (1e-3 .. 3.6e6) use 4064 buckets: ≈ 16 KiB of u32 counts.
 */
export const DEFAULT_SCALE = 7;
/** Smallest supported scale (base 2^16; Prometheus native histograms go down to -4). */
export const MIN_SCALE = -4;
/** Largest supported scale (base 2^(1/1024); relative error ≈ 0.034%). */
export const MAX_SCALE = 10;

/**
 * The guaranteed relative error of a sketch quantile at `scale`: (b-1)/(b+1) with
 * b = 2^(2^-scale). Scale 7: 0.002708; scale 6: 0.005415.
 * @param scale - the sketch scale.
 * @returns the bound on |estimate - exact| / |exact|.
 * @example relativeErrorBound(7) // => 0.0027076...
 */
export function relativeErrorBound(scale: number): number {
  const b = 2 ** (2 ** -scale);
  return (b - 1) / (b + 1);
}
