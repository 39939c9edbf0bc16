/**
 * The WASM kernel without the sketch's byte form ({@link WorkerKernel}: what
 * the WASM engine worker runs on) over the flat ABI of the full AssemblyScript
 * module embedded in ./generated/kernels-wasm.ts. The sketch methods, the
 * calling convention and the loading are the sketch kernel's
 * (wasm-sketch-kernel.ts); this file adds the batch kernels (sort, selection,
 * binning, moments, KS, W1). wasm-kernel.ts adds the byte form for in-process use.
 */
import { kernelsWasmBytes } from './generated/kernels-wasm.js';
import type { Moments, WorkerKernel } from './kernel.js';
import { assertEdges } from './validate.js';
import { instantiateKernels, WasmSketchKernel, type SketchExports } from './wasm-sketch-kernel.js';

/** The full module's exports: the sketch exports plus the batch kernels (see assembly/index.ts). */
interface KernelExports extends SketchExports {
  binCounts(values: number, n: number, edges: number, k: number, out: number): void;
  sortF64(input: number, n: number, a: number, b: number): number;
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
  moments(p: number, n: number): void;
  ksStatisticSorted(a: number, n: number, b: number, m: number): number;
  wasserstein1Sorted(a: number, n: number, b: number, m: number): number;
}

class WasmKernel extends WasmSketchKernel<KernelExports> implements WorkerKernel {
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

/**
 * Instantiates a fresh WASM kernel without the byte form (the WASM engine
 * worker's kernel; `createWasmKernel` in wasm-kernel.ts adds it). The module is
 * compiled once per realm and cached; each call costs one instantiation (~ms).
 * @returns the kernel.
 * @throws KernelError when WebAssembly is unavailable or refused (e.g. CSP without 'wasm-unsafe-eval').
 * @example
 * const k = await createWasmWorkerKernel();
 * k.sortF64(new Float64Array([3, 1, 2])); // => [1, 2, 3]
 */
export async function createWasmWorkerKernel(): Promise<WorkerKernel> {
  return new WasmKernel(await instantiateKernels<KernelExports>(kernelsWasmBytes));
}
