// Loading the embedded WASM module: decoding, imports/exports, independent instances,
// and createKernel's choice of implementation.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKernel } from '../../src/kernel/create-kernel.js';
import { KERNELS_WASM_TEXT, kernelsWasmBytes } from '../../src/kernel/generated/kernels-wasm.js';
import {
  SKETCH_KERNELS_WASM_TEXT,
  sketchKernelsWasmBytes,
} from '../../src/kernel/generated/sketch-kernels-wasm.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import { createWasmSketchKernel } from '../../src/kernel/wasm-kernel.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';

describe('WASM kernel loading', () => {
  it('decodes the embedded text to the bytes asc wrote (build/kernels.wasm)', () => {
    const bytes = kernelsWasmBytes();
    const built = readFileSync(join(import.meta.dirname, '../../build/kernels.wasm'));
    expect(Buffer.compare(Buffer.from(bytes), built)).toBe(0);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]); // \0asm
    // One character per byte; printable ASCII as itself (no quote, no backslash), else U+0100 + byte.
    expect(KERNELS_WASM_TEXT.length).toBe(built.length);
    for (let i = 0; i < built.length; i++) {
      const b = built[i] as number;
      const printable = b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c;
      expect(KERNELS_WASM_TEXT.charCodeAt(i)).toBe(printable ? b : 0x100 + b);
    }
  });

  it('imports only env.abort and exports the flat ABI', () => {
    const mod = new WebAssembly.Module(kernelsWasmBytes());
    expect(WebAssembly.Module.imports(mod)).toEqual([
      { module: 'env', name: 'abort', kind: 'function' },
    ]);
    const names = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const n of [
      'memory',
      'scratch',
      'sketchCreate',
      'sketchRecord',
      'sketchMerge',
      'sketchQuantiles',
      'sortF64',
      'selectF64',
      'binCounts',
      'moments',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('embeds the sketch-only module (build/sketch-kernels.wasm): the sketch ABI and nothing else, smaller than the full one', () => {
    const bytes = sketchKernelsWasmBytes();
    const built = readFileSync(join(import.meta.dirname, '../../build/sketch-kernels.wasm'));
    expect(Buffer.compare(Buffer.from(bytes), built)).toBe(0);
    expect(SKETCH_KERNELS_WASM_TEXT.length).toBe(built.length);
    const mod = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(mod)).toEqual([
      { module: 'env', name: 'abort', kind: 'function' },
    ]);
    const sketchAbi = [
      'memory',
      'scratch',
      'resultPtr',
      'sketchCreate',
      'sketchFree',
      'sketchReset',
      'sketchScale',
      'sketchRecord',
      'sketchMerge',
      'sketchQuantiles',
      'sketchStats',
      'sketchSide',
      'sketchLoadSide',
      'sketchLoadStats',
      'sketchByteSize',
    ];
    const names = WebAssembly.Module.exports(mod).map((e) => e.name);
    expect([...names].sort()).toEqual([...sketchAbi].sort());
    const full = WebAssembly.Module.exports(new WebAssembly.Module(kernelsWasmBytes()));
    for (const n of sketchAbi) expect(full.map((e) => e.name)).toContain(n);
    expect(bytes.length).toBeLessThan(kernelsWasmBytes().length * 0.8);
  });

  it('the sketch kernel is the sketch half of the full kernel, bit for bit, with its own memory', async () => {
    const sketch = await createWasmSketchKernel();
    const full = await createWasmKernel();
    expect(sketch.kind).toBe('wasm');
    expect('sortF64' in sketch).toBe(false);
    const xs = Float64Array.from({ length: 50_000 }, (_, i) => Math.sin(i) * 1e3 + (i % 7) * 1e-3);
    const [hs, hf] = [sketch.sketchCreate(6), full.sketchCreate(6)];
    expect(sketch.sketchRecord(hs, xs, true)).toBe(full.sketchRecord(hf, xs, true));
    const qs = new Float64Array([0, 0.01, 0.5, 0.99, 1]);
    expect(Buffer.from(sketch.sketchQuantiles(hs, qs).buffer)).toEqual(
      Buffer.from(full.sketchQuantiles(hf, qs).buffer),
    );
    const bytes = full.sketchSerialize(hf);
    expect(Buffer.from(sketch.sketchSerialize(hs))).toEqual(Buffer.from(bytes));
    expect(sketch.sketchByteSize(hs)).toBe(full.sketchByteSize(hf));
    // Bytes cross between the two modules.
    const back = sketch.sketchDeserialize(bytes);
    sketch.sketchMerge(back, hs);
    full.sketchMerge(hf, full.sketchDeserialize(sketch.sketchSerialize(hs)));
    expect(Buffer.from(sketch.sketchSerialize(back))).toEqual(
      Buffer.from(full.sketchSerialize(hf)),
    );
    const other = await createWasmSketchKernel();
    const ho = other.sketchCreate(6);
    expect(ho).toBe(hs); // same handle, another memory
    expect(other.sketchStats(ho).count).toBe(0);
  });

  it('gives each kernel its own memory and handles', async () => {
    const a = await createWasmKernel();
    const b = await createWasmKernel();
    expect(a.kind).toBe('wasm');
    const ha = a.sketchCreate();
    const hb = b.sketchCreate();
    expect(ha).toBe(hb); // both start at handle 1 ...
    a.sketchRecord(ha, new Float64Array([1, 2, 3]));
    expect(b.sketchStats(hb).count).toBe(0); // ... but do not share state
  });

  it('handles batches that grow kernel memory and span several record chunks', async () => {
    const k = await createWasmKernel();
    const ref = createReferenceKernel();
    const h = k.sketchCreate(10);
    const hr = ref.sketchCreate(10);
    const big = Float64Array.from({ length: 1_300_000 }, (_, i) => (i % 1000) + 0.5 + (i % 7) / 8);
    k.sketchRecord(h, big); // 10 MB: memory grows; recorded in 2^14-value chunks
    ref.sketchRecord(hr, big);
    const st = k.sketchStats(h);
    expect(st.count).toBe(1_300_000);
    expect(Object.is(st.sum, ref.sketchStats(hr).sum)).toBe(true); // chunking keeps the summation order
    const sorted = k.sortF64(big); // three more 10 MB buffers
    expect(sorted[0]).toBe(0.5);
    expect(sorted[sorted.length - 1]).toBe(999.5 + 6 / 8);
    expect(k.sketchQuantiles(h, new Float64Array([0, 1]))).toEqual(
      new Float64Array([0.5, 999.5 + 6 / 8]),
    );
  });

  it('createKernel picks the implementation and rejects an unknown kind', async () => {
    expect((await createKernel()).kind).toBe('wasm');
    expect((await createKernel('wasm')).kind).toBe('wasm');
    expect((await createKernel('reference')).kind).toBe('reference');
    await expect(createKernel('gpu' as never)).rejects.toThrow(ConfigError);
  });
});
