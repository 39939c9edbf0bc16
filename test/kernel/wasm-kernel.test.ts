// Loading the embedded WASM module: decoding, imports/exports, independent instances,
// and createKernel's choice of implementation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, inflateSync } from 'node:zlib';
import { createKernel } from '../../src/kernel/create-kernel.js';
import {
  KERNELS_WASM_DEFLATED,
  kernelsWasmBytes,
} from '../../src/kernel/generated/kernels-wasm.js';
import {
  SKETCH_KERNELS_WASM_DEFLATED,
  sketchKernelsWasmBytes,
} from '../../src/kernel/generated/sketch-kernels-wasm.js';
import { inflateWasm } from '../../src/kernel/wasm-inflate.js';
import { driftKernelsWasmBytes } from '../../src/kernel/generated/drift-kernels-wasm.js';
import { createWasmEngineWorkerKernel } from '../../src/kernel/wasm-batch-kernel.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import { createWasmSketchKernel } from '../../src/kernel/wasm-kernel.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { rawKernelExports } from './kernels.js';

describe('WASM kernel loading', () => {
  it('decodes the embedded text to the bytes asc wrote (build/kernels.wasm)', async () => {
    const bytes = await kernelsWasmBytes();
    const built = readFileSync(join(import.meta.dirname, '../../build/kernels.wasm'));
    expect(Buffer.compare(Buffer.from(bytes), built)).toBe(0);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]); // \0asm
    // Base64 of the zlib stream, which inflates (independently of the decoder under test) to the module.
    expect(KERNELS_WASM_DEFLATED).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.compare(inflateSync(Buffer.from(KERNELS_WASM_DEFLATED, 'base64')), built)).toBe(
      0,
    );
    // Served gzipped, the text costs about what the module file would (within 3 %).
    const served = gzipSync(KERNELS_WASM_DEFLATED, { level: 9 }).length;
    expect(served).toBeLessThan(gzipSync(built, { level: 9 }).length * 1.03);
    // A fresh array per call.
    expect(await kernelsWasmBytes()).not.toBe(bytes);
  });

  it('rejects an embedded text that does not inflate to the stated length', async () => {
    await expect(inflateWasm(KERNELS_WASM_DEFLATED, 11)).rejects.toThrow(
      /^embedded module: expected 11 bytes after inflating, got \d+$/,
    );
    await expect(inflateWasm(Buffer.from('not deflated').toString('base64'), 12)).rejects.toThrow();
  });

  it('imports only env.abort and exports the flat ABI', async () => {
    const mod = new WebAssembly.Module(await kernelsWasmBytes());
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

  it('embeds the sketch-only module (build/sketch-kernels.wasm): the sketch ABI and nothing else, smaller than the full one', async () => {
    const bytes = await sketchKernelsWasmBytes();
    const built = readFileSync(join(import.meta.dirname, '../../build/sketch-kernels.wasm'));
    expect(Buffer.compare(Buffer.from(bytes), built)).toBe(0);
    expect(
      Buffer.compare(inflateSync(Buffer.from(SKETCH_KERNELS_WASM_DEFLATED, 'base64')), built),
    ).toBe(0);
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
    const fullBytes = await kernelsWasmBytes();
    const full = WebAssembly.Module.exports(new WebAssembly.Module(fullBytes));
    for (const n of sketchAbi) expect(full.map((e) => e.name)).toContain(n);
    expect(bytes.length).toBeLessThan(fullBytes.length * 0.8);
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

  it("embeds the engine workers' module (build/drift-kernels.wasm): the full ABI but exact selection, and the same results", async () => {
    const bytes = await driftKernelsWasmBytes();
    const built = readFileSync(join(import.meta.dirname, '../../build/drift-kernels.wasm'));
    expect(Buffer.compare(Buffer.from(bytes), built)).toBe(0);
    const fullBytes = await kernelsWasmBytes();
    const names = (b: Uint8Array<ArrayBuffer>): string[] =>
      WebAssembly.Module.exports(new WebAssembly.Module(b)).map((e) => e.name);
    const expected = names(fullBytes).filter(
      (n) => !['selectF64', 'bucketIndexOf', 'bucketRepresentativeOf'].includes(n),
    );
    expect(names(bytes).sort()).toEqual(expected.sort());
    expect(bytes.length).toBeLessThan(fullBytes.length);

    const engineKernel = await createWasmEngineWorkerKernel();
    const full = await createWasmKernel();
    expect('selectF64' in engineKernel).toBe(false);
    const same = (a: Float64Array, b: Float64Array): boolean =>
      Buffer.compare(
        Buffer.from(a.buffer, a.byteOffset, a.byteLength),
        Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      ) === 0;
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { maxLength: 300 }),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 200,
        }),
        (xs, ys) => {
          const a = Float64Array.from(xs);
          const b = Float64Array.from(ys);
          const [sa, sb] = [engineKernel.sortF64(a), engineKernel.sortF64(b)];
          expect(same(sa, full.sortF64(a))).toBe(true);
          expect(engineKernel.moments(a)).toEqual(full.moments(a));
          const edges = Float64Array.from(new Set(sb)).sort();
          expect(same(engineKernel.binCounts(a, edges), full.binCounts(a, edges))).toBe(true);
          if (sa.length > 0) {
            expect(
              Object.is(engineKernel.ksStatisticSorted(sa, sb), full.ksStatisticSorted(sa, sb)),
            ).toBe(true);
            expect(
              Object.is(engineKernel.wasserstein1Sorted(sb, sb), full.wasserstein1Sorted(sb, sb)),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
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

  it('reuses freed kernel memory: sketches created, grown and freed over and over run in the memory of the first rounds', async () => {
    const raw = await rawKernelExports<{
      memory: WebAssembly.Memory;
      scratch(slot: number, bytes: number): number;
      sketchCreate(scale: number): number;
      sketchRecord(h: number, ptr: number, n: number, nonNegative: number): number;
      sketchStats(h: number): void;
      sketchFree(h: number): void;
    }>();
    // Each round: 20 sketches whose sides grow bucket by bucket (about 12,800
    // buckets, 50 KB each, at scale 6 over 1e-30 .. 1e30) through every size
    // class on the way, promoted to wide counts for one of them, then freed.
    // Without reuse a round would add about 2 MB of memory.
    const values = Float64Array.from({ length: 4_000 }, (_, i) => 10 ** (-30 + (60 * i) / 3_999));
    const round = (r: number): void => {
      const handles = Array.from({ length: 20 }, () => raw.sketchCreate(6));
      for (const [j, h] of handles.entries()) {
        const n = 1_000 + ((r * 7 + j * 131) % 3_000); // a different growth path each round
        const ptr = raw.scratch(0, n * 8);
        new Float64Array(raw.memory.buffer, ptr, n).set(values.subarray(0, n));
        expect(raw.sketchRecord(h, ptr, n, 1)).toBe(0);
        if (j === 0)
          for (const x of [-1, -1e10]) {
            const p = raw.scratch(1, 8);
            new Float64Array(raw.memory.buffer, p, 1)[0] = x;
            raw.sketchRecord(h, p, 1, 0);
          }
      }
      for (const h of handles) raw.sketchFree(h);
    };
    for (let r = 0; r < 5; r++) round(r);
    const settled = raw.memory.buffer.byteLength;
    for (let r = 5; r < 60; r++) round(r);
    expect(raw.memory.buffer.byteLength).toBe(settled);
    expect(settled).toBeLessThan(16 * 2 ** 20);
  });

  it('createKernel picks the implementation and rejects an unknown kind', async () => {
    expect((await createKernel()).kind).toBe('wasm');
    expect((await createKernel('wasm')).kind).toBe('wasm');
    expect((await createKernel('reference')).kind).toBe('reference');
    await expect(createKernel('gpu' as never)).rejects.toThrow(ConfigError);
  });
});
