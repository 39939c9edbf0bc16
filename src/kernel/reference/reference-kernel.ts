/**
 * The pure-TypeScript kernel: the test oracle for the WASM kernel and the fallback
 * where WebAssembly is refused (CSP without 'wasm-unsafe-eval'). Same interface,
 * same results: bucket counts, serialized bytes and quantiles bit-identical; moments
 * and distances computed by the same operations in the same order.
 */
import { KernelError } from '../../errors.js';
import { DEFAULT_SCALE } from '../kernel.js';
import { assertScale } from '../../util/options.js';
import type {
  Kernel,
  Moments,
  SketchBuckets,
  SketchContent,
  SketchStats,
  WorkerKernel,
} from '../kernel.js';
import { withSketchBytes } from '../sketch-format.js';
import { assertEdges } from '../validate.js';
import { binCounts } from './binning.js';
import { ksStatisticSorted, wasserstein1Sorted } from './ecdf-distances.js';
import { ExpSketch } from './exp-sketch.js';
import { moments } from './moments.js';
import { sortF64 } from './radix-sort.js';
import { selectF64 } from './select.js';

class ReferenceKernel implements WorkerKernel {
  readonly kind = 'reference' as const;
  /** Sketches by handle; index 0 unused so that handles start at 1 as in the WASM kernel. */
  private readonly sketches: (ExpSketch | undefined)[] = [undefined];

  private get(handle: number, op: string): ExpSketch {
    const s = Number.isInteger(handle) ? this.sketches[handle] : undefined;
    if (!s) throw new KernelError(`${op}: invalid sketch handle ${handle}`);
    return s;
  }

  private add(sketch: ExpSketch): number {
    let h = this.sketches.indexOf(undefined, 1);
    if (h < 0) h = this.sketches.push(sketch) - 1;
    else this.sketches[h] = sketch;
    return h;
  }

  sketchCreate(scale: number = DEFAULT_SCALE): number {
    assertScale(scale);
    return this.add(new ExpSketch(scale));
  }

  sketchFree(handle: number): void {
    if (Number.isInteger(handle) && handle > 0 && handle < this.sketches.length)
      this.sketches[handle] = undefined;
  }

  sketchReset(handle: number): void {
    this.get(handle, 'sketchReset').reset();
  }

  sketchRecord(handle: number, values: Float64Array, nonNegative = false): number {
    return this.get(handle, 'sketchRecord').record(values, nonNegative);
  }

  sketchMerge(dst: number, src: number): void {
    this.get(dst, 'sketchMerge').merge(this.get(src, 'sketchMerge'));
  }

  sketchQuantiles(handle: number, qs: Float64Array): Float64Array {
    return this.get(handle, 'sketchQuantiles').quantiles(qs);
  }

  sketchStats(handle: number): SketchStats {
    return this.get(handle, 'sketchStats').stats();
  }

  sketchBuckets(handle: number): SketchBuckets {
    return this.get(handle, 'sketchBuckets').buckets();
  }

  sketchLoad(content: SketchContent): number {
    const s = new ExpSketch(content.scale);
    s.load(content, content);
    return this.add(s);
  }

  sketchByteSize(handle: number): number {
    return this.get(handle, 'sketchByteSize').byteSize();
  }

  binCounts(values: Float64Array, edges: Float64Array): Float64Array {
    assertEdges(edges);
    return binCounts(values, edges);
  }

  sortF64(values: Float64Array, out?: Float64Array): Float64Array {
    return sortF64(values, out);
  }

  selectF64(values: Float64Array, ranks: Float64Array): Float64Array {
    return selectF64(values, ranks);
  }

  moments(values: Float64Array): Moments {
    return moments(values);
  }

  ksStatisticSorted(a: Float64Array, b: Float64Array): number {
    return ksStatisticSorted(a, b);
  }

  wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
    return wasserstein1Sorted(a, b);
  }
}

/**
 * Creates a pure-TypeScript kernel (no WebAssembly). Synchronous and cheap.
 * @returns a fresh kernel with its own sketch handles.
 * @example
 * const k = createReferenceKernel();
 * const h = k.sketchCreate();
 * k.sketchRecord(h, new Float64Array([1, 2, 3]));
 * k.sketchQuantiles(h, new Float64Array([0.5])); // => ≈ [2]
 */
export function createReferenceKernel(): Kernel {
  return withSketchBytes(new ReferenceKernel());
}

/**
 * Creates a pure-TypeScript kernel without the byte form: what the engine
 * worker falls back to (its caller encodes and decodes).
 * @returns a fresh kernel with its own sketch handles.
 * @example const k = createReferenceWorkerKernel();
 */
export function createReferenceWorkerKernel(): WorkerKernel {
  return new ReferenceKernel();
}
