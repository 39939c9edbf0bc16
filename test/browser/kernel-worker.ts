// A tiny module Web Worker for test/browser/kernel.test.ts: runs the WASM and the
// reference kernels inside a worker (no Comlink, plain postMessage) and posts back
// everything the page compares: sketch bytes, quantiles, stats, sorted output,
// moments, bin counts, KS / W1, and what a WASM abort looks like in here.
import { KernelError } from '../../src/errors.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { runKernelCase } from './kernel-case.js';
import type { KernelCaseInput } from './kernel-case.js';

/** A request from the page. */
export type KernelWorkerRequest =
  { id: number; kind: 'case'; input: KernelCaseInput } | { id: number; kind: 'abort' };

const kernels: Promise<{ wasm: Kernel; ref: Kernel }> = createWasmKernel().then((wasm) => ({
  wasm,
  ref: createReferenceKernel(),
}));

function abortProbe(wasm: Kernel): Record<string, unknown> {
  const h = wasm.sketchCreate();
  wasm.sketchFree(h);
  try {
    wasm.sketchRecord(h, new Float64Array([1]));
    return { threw: false, handle: h };
  } catch (err) {
    const e = err as KernelError;
    // the kernel keeps working after an abort
    const h2 = wasm.sketchCreate();
    const skipped = wasm.sketchRecord(h2, new Float64Array([1, 2, NaN]));
    const count = wasm.sketchStats(h2).count;
    wasm.sketchFree(h2);
    return {
      threw: true,
      handle: h,
      isKernelError: err instanceof KernelError,
      name: e.name,
      code: e.code,
      message: e.message,
      after: { skipped, count },
    };
  }
}

self.onmessage = async (ev: MessageEvent<KernelWorkerRequest>) => {
  const req = ev.data;
  try {
    const { wasm, ref } = await kernels;
    if (req.kind === 'abort') {
      self.postMessage({ id: req.id, ok: true, value: abortProbe(wasm) });
      return;
    }
    const value = { wasm: runKernelCase(wasm, req.input), ref: runKernelCase(ref, req.input) };
    self.postMessage({ id: req.id, ok: true, value });
  } catch (err) {
    self.postMessage({ id: req.id, ok: false, error: String(err) });
  }
};
