import { describe, expect, it } from 'vitest';
import { KERNELS_WASM_BASE64 } from '../src/kernel/generated/kernels-wasm.js';

describe('smoke', () => {
  it('loads the embedded wasm', async () => {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    const { instance } = await WebAssembly.instantiate(bytes, { env: { abort() {} } });
    expect((instance.exports.version as () => number)()).toBe(1);
  });
});
