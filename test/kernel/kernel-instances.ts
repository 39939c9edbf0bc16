// Both kernel implementations, created once when a test file imports this
// module (a file's describe blocks share them), for describe.each.
import type { Kernel, SketchKernel } from '../../src/kernel/kernel.js';
import { createWasmSketchKernel } from '../../src/kernel/wasm-kernel.js';
import { KERNELS } from './kernels.js';

/** [name, kernel] pairs for describe.each. */
export const KERNEL_INSTANCES: [string, Kernel][] = await Promise.all(
  KERNELS.map(async ([name, make]): Promise<[string, Kernel]> => [name, await make()]),
);

/** Those and the WASM sketch kernel (the sketch worker's, on the sketch-only module), for the sketch tests. */
export const SKETCH_KERNEL_INSTANCES: [string, SketchKernel][] = [
  ...KERNEL_INSTANCES,
  ['wasm sketch-only', await createWasmSketchKernel()],
];
