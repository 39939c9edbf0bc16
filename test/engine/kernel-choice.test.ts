import { describe, expect, it } from 'vitest';
import { KernelError } from '../../src/errors.js';
import { chooseKernel } from '../../src/engine/kernel-choice.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';

const refusingWasm = async (): Promise<never> => {
  // What a CSP without 'wasm-unsafe-eval' looks like to the kernel loader.
  throw new KernelError(
    'WebAssembly.instantiate(): Refused to compile or instantiate WebAssembly module',
  );
};

describe('chooseKernel', () => {
  it('auto uses WASM when it loads', async () => {
    const { kernel, fallbackReason } = await chooseKernel('auto', {
      wasm: createWasmKernel,
      reference: createReferenceKernel,
    });
    expect(kernel.kind).toBe('wasm');
    expect(fallbackReason).toBeUndefined();
  });

  it('auto falls back to the reference kernel and says why', async () => {
    const { kernel, fallbackReason } = await chooseKernel('auto', {
      wasm: refusingWasm,
      reference: createReferenceKernel,
    });
    expect(kernel.kind).toBe('reference');
    expect(fallbackReason).toMatch(/^KernelError: WebAssembly\.instantiate\(\): Refused/);
  });

  it('explicit wasm does not fall back; explicit reference never touches WASM', async () => {
    await expect(
      chooseKernel('wasm', { wasm: refusingWasm, reference: createReferenceKernel }),
    ).rejects.toBeInstanceOf(KernelError);
    const { kernel } = await chooseKernel('reference', {
      wasm: refusingWasm,
      reference: createReferenceKernel,
    });
    expect(kernel.kind).toBe('reference');
  });
});
