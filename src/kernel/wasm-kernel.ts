/**
 * The WASM kernels for in-process use: the worker kernels (wasm-batch-kernel.ts,
 * wasm-sketch-kernel.ts) with the sketch's byte form added by
 * {@link withSketchBytes}, so that the engine worker files leave the codec out.
 */
import type { Kernel, SketchKernel } from './kernel.js';
import { withSketchBytes } from './sketch-format.js';
import { createWasmWorkerKernel } from './wasm-batch-kernel.js';
import { createWasmWorkerSketchKernel } from './wasm-sketch-kernel.js';

/**
 * Instantiates a fresh WASM kernel (its own memory and handles). The module is
 * compiled once per realm and cached; each call costs one instantiation (~ms).
 * Works in Node ≥ 20, browsers and Web Workers (the bytes are embedded as text).
 * @returns the kernel.
 * @throws KernelError when WebAssembly is unavailable or refused (e.g. CSP without 'wasm-unsafe-eval').
 * @example
 * const k = await createWasmKernel();
 * const h = k.sketchCreate();
 * k.sketchRecord(h, new Float64Array([1, 2, 3]));
 */
export async function createWasmKernel(): Promise<Kernel> {
  return withSketchBytes(await createWasmWorkerKernel());
}

/**
 * Instantiates a fresh WASM sketch kernel on the sketch-only module: the
 * sketch methods of the `createWasmKernel()` kernel, bit for bit, from a
 * smaller module (no sort, selection or drift kernels).
 * @returns the kernel.
 * @throws KernelError when WebAssembly is unavailable or refused (e.g. CSP without 'wasm-unsafe-eval').
 * @example
 * const k = await createWasmSketchKernel();
 * k.sketchRecord(k.sketchCreate(), new Float64Array([1, 2, 3]));
 */
export async function createWasmSketchKernel(): Promise<SketchKernel> {
  return withSketchBytes(await createWasmWorkerSketchKernel());
}
