/**
 * The WASM kernel without the sketch's byte form over the flat ABI of the
 * AssemblyScript modules: the full module embedded in ./generated/kernels-wasm.ts
 * ({@link WorkerKernel}: what the full engine worker runs on; wasm-kernel.ts adds
 * the byte form for in-process use), and the engine workers' module in
 * ./generated/drift-kernels-wasm.ts, the same without exact selection
 * ({@link EngineWorkerKernel}). The sketch methods, the calling convention and
 * the loading are the sketch kernel's (wasm-sketch-kernel.ts); this file adds
 * the batch kernels (sort, binning, moments, KS, W1) and selection.
 */
import { driftKernelsWasmBytes } from './generated/drift-kernels-wasm.js';
import { kernelsWasmBytes } from './generated/kernels-wasm.js';
import type { EngineWorkerKernel, Moments, WorkerKernel } from './kernel.js';
import { assertEdges } from './validate.js';
import { instantiateKernels, WasmSketchKernel, type SketchExports } from './wasm-sketch-kernel.js';

/** The batch kernels' exports (assembly/index.ts, assembly/drift-entry.ts), besides the sketch ones. */
interface BatchExports extends SketchExports {
  binCounts(values: number, n: number, edges: number, k: number, out: number): void;
  sortF64(input: number, n: number, a: number, b: number): number;
  moments(p: number, n: number): void;
  ksStatisticSorted(a: number, n: number, b: number, m: number): number;
  wasserstein1Sorted(a: number, n: number, b: number, m: number): number;
}

/** The full module's exports: the batch kernels and exact selection. */
interface KernelExports extends BatchExports {
  selectF64(
    input: number,
    n: number,
    ranks: number,
    k: number,
    out: number,
    cand: number,
    work: number,
    info: number,
  ): void;
}

/** The sketch and batch kernels, over either module that has them. */
class WasmBatchKernel<X extends BatchExports = BatchExports>
  extends WasmSketchKernel<X>
  implements EngineWorkerKernel
{
  binCounts(values: Float64Array, edges: Float64Array): Float64Array {
    assertEdges(edges);
    const pv = this.x.scratch(0, values.length * 8);
    const pe = this.x.scratch(1, edges.length * 8);
    const po = this.x.scratch(2, (edges.length + 1) * 8);
    const m = this.f64();
    m.set(values, pv >>> 3);
    m.set(edges, pe >>> 3);
    this.x.binCounts(pv, values.length, pe, edges.length, po);
    return this.read(po, edges.length + 1);
  }

  sortF64(values: Float64Array, out?: Float64Array): Float64Array {
    const n = values.length;
    const pin = this.x.scratch(0, n * 8);
    const a = this.x.scratch(1, n * 8);
    const b = this.x.scratch(2, n * 8);
    this.f64().set(values, pin >>> 3);
    const at = this.x.sortF64(pin, n, a, b) >>> 3;
    if (out === undefined || out.length !== n) return this.f64().slice(at, at + n);
    out.set(this.f64().subarray(at, at + n));
    return out;
  }

  moments(values: Float64Array): Moments {
    const p = this.x.scratch(0, values.length * 8);
    this.f64().set(values, p >>> 3);
    this.x.moments(p, values.length);
    return this.results(['count', 'mean', 'variance', 'min', 'max', 'sum']);
  }

  private pair(a: Float64Array, b: Float64Array): [number, number] {
    const pa = this.x.scratch(0, a.length * 8);
    const pb = this.x.scratch(1, b.length * 8);
    const m = this.f64();
    m.set(a, pa >>> 3);
    m.set(b, pb >>> 3);
    return [pa, pb];
  }

  ksStatisticSorted(a: Float64Array, b: Float64Array): number {
    const [pa, pb] = this.pair(a, b);
    return this.x.ksStatisticSorted(pa, a.length, pb, b.length);
  }

  wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
    const [pa, pb] = this.pair(a, b);
    return this.x.wasserstein1Sorted(pa, a.length, pb, b.length);
  }
}

/** Every kernel of the full module. */
class WasmKernel extends WasmBatchKernel<KernelExports> implements WorkerKernel {
  selectF64(values: Float64Array, ranks: Float64Array): Float64Array {
    const n = values.length;
    const k = ranks.length;
    // slot 0: values, ranks, out, info (2k i32); slot 1: candidates; slot 2: two sort buffers
    const p = this.x.scratch(0, (n + 3 * k) * 8);
    const cand = this.x.scratch(1, n * 8);
    const work = this.x.scratch(2, n * 16);
    const m = this.f64();
    m.set(values, p >>> 3);
    m.set(ranks, (p >>> 3) + n);
    const out = p + (n + k) * 8;
    this.x.selectF64(p, n, p + n * 8, k, out, cand, work, out + k * 8);
    return this.read(out, k);
  }
}

/**
 * Instantiates a fresh WASM kernel without the byte form on the full module
 * (the full engine worker's kernel; `createWasmKernel` in wasm-kernel.ts adds
 * the byte form). The module is compiled once per realm and cached; each call
 * costs one instantiation (~ms).
 * @returns the kernel.
 * @throws KernelError when WebAssembly is unavailable or refused (e.g. CSP without 'wasm-unsafe-eval').
 * @example
 * const k = await createWasmWorkerKernel();
 * k.sortF64(new Float64Array([3, 1, 2])); // => [1, 2, 3]
 */
export async function createWasmWorkerKernel(): Promise<WorkerKernel> {
  return new WasmKernel(await instantiateKernels<KernelExports>(kernelsWasmBytes));
}

/**
 * Instantiates a fresh WASM kernel on the engine workers' module: the sketch
 * and batch kernels without the byte form and without exact selection (what
 * the WASM engine workers run on; their engines never select).
 * @returns the kernel.
 * @throws KernelError when WebAssembly is unavailable or refused (e.g. CSP without 'wasm-unsafe-eval').
 * @example
 * const k = await createWasmEngineWorkerKernel();
 * k.moments(new Float64Array([1, 2, 3])).mean; // => 2
 */
export async function createWasmEngineWorkerKernel(): Promise<EngineWorkerKernel> {
  return new WasmBatchKernel(await instantiateKernels<BatchExports>(driftKernelsWasmBytes));
}
