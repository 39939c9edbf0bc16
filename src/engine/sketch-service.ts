/**
 * Exponential-bucket sketches by id, on top of the {@link Kernel}.
 *
 * The service runs next to the kernels (in the worker, or in-process) and is
 * reached by the caller through `engine.api.sketches.*`. Ids are service-level
 * numbers that are never reused, so a stale id is an error, never a silent
 * write into somebody else's sketch.
 *
 * In-process, {@link SketchService} reads and writes the byte form through the
 * kernel. A worker runs {@link WorkerSketchService}, which moves sketches in and
 * out as their content (stats and buckets): the caller encodes and decodes
 * (worker-sketch-bytes.ts), so the worker files carry no codec.
 */
import { ConfigError, KernelError, describeValue } from '../errors.js';
import { IdTable } from './id-table.js';
import { DEFAULT_SCALE } from '../kernel/kernel.js';
import { checkScale } from '../util/options.js';
import type {
  SketchBuckets,
  SketchContent,
  SketchKernel,
  SketchStats,
  WorkerSketchKernel,
} from '../kernel/kernel.js';

/** Stats plus the quantiles asked for, in one round trip. */
export interface SketchSummary {
  /** Count, sum, min and max of the sketch. */
  readonly stats: SketchStats;
  /** One value per requested q, in order; NaN when the sketch is empty. */
  readonly quantiles: Float64Array;
}

export { checkScale } from '../util/options.js';

function checkQuantiles(qs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(qs.length);
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i];
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      throw new ConfigError(
        `expected every quantile in [0, 1], got ${describeValue(q)} at index ${i}`,
      );
    }
    out[i] = q;
  }
  return out;
}

/**
 * Marks a result's buffers to be moved, not copied, to the caller: Comlink's
 * `transfer` in a worker. The in-process service has nothing to move, so the
 * engine that runs there (and its bundle) does without Comlink.
 */
export type HandOver = <T>(value: T, buffers: ArrayBuffer[]) => T;

/** The kernel calls both services make: all but the byte form and loading. */
type SketchCalls = Omit<WorkerSketchKernel, 'sketchLoad'>;

/**
 * Sketches by id: what the in-process and the worker's service share. Every
 * method is synchronous here; through Comlink it is awaited.
 */
class SketchIds<K extends SketchCalls> {
  private readonly handles = new IdTable<number>(
    (id) => new KernelError(`expected the id of a live sketch, got ${describeValue(id)}`, 'KERNEL'),
  );

  /** @param kernel - the kernels that hold the sketches' memory. */
  constructor(protected readonly kernel: K) {}

  /**
   * Creates an empty sketch.
   *
   * @param scale - bucket scale (default {@link DEFAULT_SCALE}: relative error 0.27%).
   * @returns the sketch id.
   * @throws ConfigError on a bad scale.
   * @example
   * const id = await engine.api.sketches.create(7);
   */
  create(scale: number = DEFAULT_SCALE): number {
    return this.adopt(this.kernel.sketchCreate(checkScale(scale)));
  }

  /**
   * Records a batch. Non-finite values are skipped by the kernel and their
   * number returned; zero and negatives are kept, unless `nonNegative`.
   * Cost: O(n) on the engine's thread.
   *
   * @param id - sketch id.
   * @param values - the batch (transfer its buffer from the caller).
   * @param nonNegative - skip (and count) negatives too (default false).
   * @returns how many values were dropped.
   * @throws KernelError for an unknown or freed id.
   * @example
   * await engine.api.sketches.record(id, transfer(batch, [batch.buffer]));
   */
  record(id: number, values: Float64Array, nonNegative = false): number {
    const handle = this.handle(id);
    return values.length === 0 ? 0 : this.kernel.sketchRecord(handle, values, nonNegative);
  }

  /**
   * Quantiles of one sketch.
   *
   * @param id - sketch id.
   * @param qs - quantile levels in [0, 1].
   * @returns one estimate per level (NaN for an empty sketch).
   * @throws ConfigError for a level outside [0, 1]; KernelError for a bad id.
   * @example
   * await engine.api.sketches.quantiles(id, [0.5, 0.99]);
   */
  quantiles(id: number, qs: ArrayLike<number>): Float64Array {
    return this.kernel.sketchQuantiles(this.handle(id), checkQuantiles(qs));
  }

  /**
   * Count, sum, min, max and zero count.
   *
   * @param id - sketch id.
   * @returns the stats (min `+Infinity`, max `-Infinity` when empty).
   * @throws KernelError for a bad id.
   * @example
   * (await engine.api.sketches.stats(id)).count
   */
  stats(id: number): SketchStats {
    return this.kernel.sketchStats(this.handle(id));
  }

  /**
   * Stats and quantiles in one call (one round trip from the caller).
   *
   * @param id - sketch id.
   * @param qs - quantile levels in [0, 1].
   * @returns `{ stats, quantiles }`.
   * @throws ConfigError / KernelError as {@link quantiles}.
   * @example
   * const { stats, quantiles } = await engine.api.sketches.summary(id, [0.5]);
   */
  summary(id: number, qs: ArrayLike<number>): SketchSummary {
    const handle = this.handle(id);
    return {
      stats: this.kernel.sketchStats(handle),
      quantiles: this.kernel.sketchQuantiles(handle, checkQuantiles(qs)),
    };
  }

  /**
   * {@link summary} for several sketches at once.
   *
   * @param ids - sketch ids.
   * @param qs - quantile levels, shared by all.
   * @returns one summary per id, in order.
   * @throws ConfigError / KernelError as {@link quantiles}.
   * @example
   * await engine.api.sketches.summaries([a, b], [0.5, 0.95]);
   */
  summaries(ids: readonly number[], qs: ArrayLike<number>): SketchSummary[] {
    const levels = checkQuantiles(qs);
    return ids.map((id) => {
      const handle = this.handle(id);
      return {
        stats: this.kernel.sketchStats(handle),
        quantiles: this.kernel.sketchQuantiles(handle, levels),
      };
    });
  }

  /**
   * The OTel-style bucket layout (for OTLP and Prometheus native histograms).
   *
   * @param id - sketch id.
   * @returns scale, zero count and both sides' offset + counts.
   * @throws KernelError for a bad id.
   * @example
   * (await engine.api.sketches.buckets(id)).positive.counts
   */
  buckets(id: number): SketchBuckets {
    return this.kernel.sketchBuckets(this.handle(id));
  }

  /**
   * Merges `src` into `dst` exactly (bucket counts add).
   *
   * @param dst - receiving sketch id.
   * @param src - merged sketch id (unchanged).
   * @returns nothing.
   * @throws KernelError for bad ids or different scales.
   * @example
   * await engine.api.sketches.merge(total, perMinute);
   */
  merge(dst: number, src: number): void {
    this.kernel.sketchMerge(this.handle(dst), this.handle(src));
  }

  /**
   * Empties a sketch, keeping its id and scale.
   *
   * @param id - sketch id.
   * @returns nothing.
   * @throws KernelError for a bad id.
   * @example
   * await engine.api.sketches.reset(id);
   */
  reset(id: number): void {
    this.kernel.sketchReset(this.handle(id));
  }

  /**
   * Releases a sketch. Idempotent: an unknown or already freed id is ignored.
   *
   * @param id - sketch id.
   * @returns nothing.
   * @example
   * await engine.api.sketches.free(id);
   */
  free(id: number): void {
    const handle = this.handles.delete(id);
    if (handle !== undefined) this.kernel.sketchFree(handle);
  }

  /**
   * Number of live sketches (a leak check for tests and dashboards).
   *
   * @returns the count.
   * @example
   * await engine.api.sketches.size() // => 2
   */
  size(): number {
    return this.handles.size;
  }

  /** Gives `handle` a new id. */
  protected adopt(handle: number): number {
    return this.handles.add(handle);
  }

  /** Merges the sketch `load` creates into `dst`, then frees it. */
  protected mergeLoaded(dst: number, load: () => number): void {
    const target = this.handle(dst);
    const temp = load();
    try {
      this.kernel.sketchMerge(target, temp);
    } finally {
      this.kernel.sketchFree(temp);
    }
  }

  protected handle(id: number): number {
    return this.handles.get(id);
  }
}

/** The in-process sketches: {@link SketchIds} plus the byte form, through the kernel. */
export class SketchService extends SketchIds<SketchKernel> {
  /**
   * The compact, versioned byte form (see src/kernel/sketch-format.ts).
   *
   * @param id - sketch id.
   * @returns the bytes (encoded on the caller's side in worker mode).
   * @throws KernelError for a bad id.
   * @example
   * const bytes = await engine.api.sketches.serialize(id);
   */
  serialize(id: number): Uint8Array {
    return this.kernel.sketchSerialize(this.handle(id));
  }

  /**
   * Loads a sketch from its byte form.
   *
   * @param bytes - bytes from {@link serialize} (here or on another device).
   * @returns the new sketch's id.
   * @throws KernelError on corrupt bytes.
   * @example
   * const copy = await engine.api.sketches.load(bytes);
   */
  load(bytes: Uint8Array): number {
    return this.adopt(this.kernel.sketchDeserialize(bytes));
  }

  /**
   * Merges a serialized sketch into `dst` without keeping it.
   *
   * @param dst - receiving sketch id.
   * @param bytes - a serialized sketch of the same scale.
   * @returns nothing.
   * @throws KernelError on corrupt bytes, a bad id or a different scale.
   * @example
   * await engine.api.sketches.mergeBytes(total, bytesFromDevice);
   */
  mergeBytes(dst: number, bytes: Uint8Array): void {
    this.mergeLoaded(dst, () => this.kernel.sketchDeserialize(bytes));
  }
}

/**
 * The worker's sketches: {@link SketchIds} plus moving a sketch's content in
 * and out, for the caller to encode and decode (worker-sketch-bytes.ts).
 */
export class WorkerSketchService extends SketchIds<WorkerSketchKernel> {
  /**
   * @param kernel - the kernels that hold the sketches' memory.
   * @param handOver - marks exported buckets for transfer (Comlink's `transfer`).
   */
  constructor(
    kernel: WorkerSketchKernel,
    private readonly handOver: HandOver,
  ) {
    super(kernel);
  }

  /**
   * A sketch's stats and buckets, for the caller to encode.
   *
   * @param id - sketch id.
   * @returns the content (its bucket arrays transferred to the caller).
   * @throws KernelError for a bad id.
   * @example encodeSketch(await remote.sketches.exportContent(id))
   */
  exportContent(id: number): SketchContent {
    const handle = this.handle(id);
    const content = { ...this.kernel.sketchStats(handle), ...this.kernel.sketchBuckets(handle) };
    return this.handOver(content, [
      content.positive.counts.buffer as ArrayBuffer,
      content.negative.counts.buffer as ArrayBuffer,
    ]);
  }

  /**
   * A new sketch holding `content` (decoded by the caller).
   *
   * @param content - a decoded sketch.
   * @returns the new sketch's id.
   * @example await remote.sketches.loadContent(decodeSketch(bytes))
   */
  loadContent(content: SketchContent): number {
    return this.adopt(this.kernel.sketchLoad(content));
  }

  /**
   * Merges `content` (decoded by the caller) into `dst` without keeping it.
   *
   * @param dst - receiving sketch id.
   * @param content - a decoded sketch of the same scale.
   * @returns nothing.
   * @throws KernelError for a bad id or a different scale.
   * @example await remote.sketches.mergeContent(total, decodeSketch(bytes))
   */
  mergeContent(dst: number, content: SketchContent): void {
    this.mergeLoaded(dst, () => this.kernel.sketchLoad(content));
  }
}
