// The kernels in real Chromium: the embedded WASM module and the pure-TS reference
// must agree bit for bit (sketch bytes, quantiles, stats, sorts, moments, bins, KS,
// W1) on the page's main thread AND inside a module Web Worker, and a WASM abort
// must surface as KernelError('KERNEL_ABORT') in both places. Independent checks:
// Float64Array.prototype.sort, exact lower quantiles within the documented bound,
// naive bin counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KernelError } from '../../src/errors.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import { createWasmSketchKernel } from '../../src/kernel/wasm-kernel.js';
import { createKernel } from '../../src/kernel/create-kernel.js';
import {
  KERNELS_WASM_DEFLATED,
  kernelsWasmBytes,
} from '../../src/kernel/generated/kernels-wasm.js';
import { inflateWasm } from '../../src/kernel/wasm-inflate.js';
import { relativeErrorBound } from '../../src/kernel/kernel.js';
import type { Kernel, SketchKernel } from '../../src/kernel/kernel.js';
import { expectFreedHandleAbort } from '../kernel/kernels.js';
import { runKernelCase } from './kernel-case.js';
import type { KernelCaseInput, KernelCaseOutput } from './kernel-case.js';
import type { KernelWorkerRequest } from './kernel-worker.js';

/** The bytes of a typed array: bit identity (NaN payloads and -0 included). */
const bits = (a: Float64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Byte equality with a short message (deep equality of 100 kB arrays is slow in the page). */
function expectSameBytes(a: Uint8Array, b: Uint8Array, what: string): void {
  let first = -1;
  if (a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        first = i;
        break;
      }
    }
  }
  expect({ what, lengths: [a.length, b.length], firstDifference: first }).toEqual({
    what,
    lengths: [b.length, b.length],
    firstDifference: -1,
  });
}

function expectSameOutput(w: KernelCaseOutput, r: KernelCaseOutput): void {
  expect(w.skipped).toBe(r.skipped);
  expectSameBytes(w.bytes, r.bytes, 'bytes');
  expectSameBytes(w.mergedBytes, r.mergedBytes, 'mergedBytes');
  expectSameBytes(w.roundTripBytes, r.bytes, 'roundTripBytes');
  expectSameBytes(bits(w.quantiles), bits(r.quantiles), 'quantiles');
  expectSameBytes(bits(w.mergedQuantiles), bits(r.mergedQuantiles), 'mergedQuantiles');
  for (const key of ['count', 'sum', 'min', 'max', 'zeroCount'] as const)
    expect(Object.is(w.stats[key], r.stats[key]), key).toBe(true);
  expect(w.buckets.scale).toBe(r.buckets.scale);
  expect(w.buckets.zeroCount).toBe(r.buckets.zeroCount);
  for (const side of ['positive', 'negative'] as const) {
    expect(w.buckets[side].offset).toBe(r.buckets[side].offset);
    expectSameBytes(bits(w.buckets[side].counts), bits(r.buckets[side].counts), `${side} counts`);
  }
  expectSameBytes(bits(w.sorted), bits(r.sorted), 'sorted');
  expectSameBytes(bits(w.selected), bits(r.selected), 'selected');
  for (const key of ['count', 'mean', 'variance', 'min', 'max', 'sum'] as const)
    expect(Object.is(w.moments[key], r.moments[key]), key).toBe(true);
  expectSameBytes(bits(w.bins), bits(r.bins), 'bins');
  expect(Object.is(w.ks, r.ks)).toBe(true);
  expect(Object.is(w.w1, r.w1)).toBe(true);
}

/** Checks against computations that share no code with src/kernel. */
function expectAgainstOracle(input: KernelCaseInput, out: KernelCaseOutput): void {
  const finite = Array.from(input.values).filter((v) => Number.isFinite(v));
  expect(out.skipped).toBe(input.values.length - finite.length);
  expect(out.stats.count).toBe(finite.length);
  expect(out.stats.zeroCount).toBe(finite.filter((v) => v === 0).length);
  const sorted = Float64Array.from(finite).sort();
  expectSameBytes(bits(out.sorted), bits(sorted), 'sorted vs Float64Array sort');
  const ranks = Array.from(input.qs, (q) => Math.floor(q * (finite.length - 1)));
  const picked = Float64Array.from(ranks, (r) =>
    r >= 0 && r < sorted.length ? (sorted[r] as number) : NaN,
  );
  expectSameBytes(bits(out.selected), bits(picked), 'selected vs sorted[rank]');
  const edges = Array.from(input.edges);
  const naive = new Float64Array(edges.length + 1);
  for (const v of finite) naive[edges.filter((e) => e <= v).length]!++;
  expect(Array.from(out.bins)).toEqual(Array.from(naive));
  const bound = relativeErrorBound(input.scale) * (1 + 1e-9);
  input.qs.forEach((q, i) => {
    const got = out.quantiles[i] as number;
    if (finite.length === 0) return expect(got).toBeNaN();
    const exact = sorted[Math.floor(q * (finite.length - 1))] as number;
    expect(Math.abs(got - exact)).toBeLessThanOrEqual(bound * Math.abs(exact));
  });
}

// Magnitudes 1e-3 .. 1e6 (the latency range) on both sides: at scale 10 a sketch over the
// whole double range holds ~2 MB of buckets, which makes a property run take seconds.
const magnitude = fc.double({ min: 1e-3, max: 1e6, noNaN: true });
const value = fc.oneof(
  { weight: 6, arbitrary: magnitude },
  { weight: 3, arbitrary: magnitude.map((v) => -v) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity) },
);
const caseArb: fc.Arbitrary<KernelCaseInput> = fc.record({
  values: fc.array(value, { maxLength: 400 }).map((a) => Float64Array.from(a)),
  other: fc.array(value, { maxLength: 200 }).map((a) => Float64Array.from(a)),
  scale: fc.integer({ min: -4, max: 10 }),
  qs: fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 })
    .map((a) => Float64Array.from([0, 0.5, 0.99, 1, ...a])),
  edges: fc
    .uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
      minLength: 1,
      maxLength: 8,
      comparator: (a, b) => a === b,
    })
    .map((a) => Float64Array.from(a).sort()),
});

let wasm: Kernel;
const ref = createReferenceKernel();
let worker: Worker;
let nextId = 0;
const pending = new Map<number, (m: { ok: boolean; value?: unknown; error?: string }) => void>();

/** A request without its id (distributes over the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Sends one request to the kernel worker and awaits its answer. */
function ask<T>(req: WithoutId<KernelWorkerRequest>): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('kernel worker timed out')), 20_000);
    pending.set(id, (m) => {
      clearTimeout(timer);
      if (m.ok) resolve(m.value as T);
      else reject(new Error(m.error));
    });
    worker.postMessage({ ...req, id });
  });
}

beforeAll(async () => {
  wasm = await createWasmKernel();
  worker = new Worker(new URL('./kernel-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (ev: MessageEvent<{ id: number; ok: boolean }>) => {
    pending.get(ev.data.id)?.(ev.data);
    pending.delete(ev.data.id);
  };
  worker.onerror = (ev) => {
    for (const p of pending.values()) p({ ok: false, error: `worker error: ${ev.message}` });
    pending.clear();
  };
});
afterAll(() => worker.terminate());

describe('kernels on the main thread (Chromium)', () => {
  it('loads the embedded WASM module in the page; createKernel picks it by default', async () => {
    expect(wasm.kind).toBe('wasm');
    expect((await createKernel()).kind).toBe('wasm');
    expect((await createKernel('reference')).kind).toBe('reference');
  });

  it('WASM and reference agree bit for bit, and both match the independent oracle (property)', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const w = runKernelCase(wasm, input);
        const r = runKernelCase(ref, input);
        expectSameOutput(w, r);
        expectAgainstOracle(input, w);
      }),
      { numRuns: 150 },
    );
  });

  it('agree over the whole double range (subnormals to 1e308) at coarse scales', () => {
    const values = Float64Array.from([5e-324, -5e-324, 1e308, -1e308, 2 ** -1022, 1, 0, -0, NaN]);
    for (const scale of [-4, 0, 2]) {
      const input = {
        values,
        other: Float64Array.from([3, -7]),
        scale,
        qs: Float64Array.from([0, 0.25, 0.5, 0.75, 1]),
        edges: Float64Array.from([-1, 0, 1]),
      };
      const w = runKernelCase(wasm, input);
      expectSameOutput(w, runKernelCase(ref, input));
      expectAgainstOracle(input, w);
    }
  });

  it('the sketch-only module (the sketch worker kernel) gives the full module sketches bit for bit (property)', async () => {
    const sketches = await createWasmSketchKernel();
    /** The sketch half of runKernelCase: bytes of the recorded, merged and reloaded sketches, and quantiles. */
    const sketchBytes = (k: SketchKernel, input: KernelCaseInput): Uint8Array[] => {
      const [h, g] = [k.sketchCreate(input.scale), k.sketchCreate(input.scale)];
      k.sketchRecord(h, input.values, true);
      k.sketchRecord(g, input.other);
      k.sketchMerge(g, h);
      const back = k.sketchDeserialize(k.sketchSerialize(g));
      const out = [
        k.sketchSerialize(h),
        k.sketchSerialize(back),
        bits(k.sketchQuantiles(g, input.qs)),
        bits(Float64Array.from(Object.values(k.sketchStats(g)))),
      ];
      for (const x of [h, g, back]) k.sketchFree(x);
      return out;
    };
    fc.assert(
      fc.property(caseArb, (input) => {
        const [a, b] = [sketchBytes(sketches, input), sketchBytes(wasm, input)];
        a.forEach((bytes, i) => expectSameBytes(bytes, b[i] as Uint8Array, `part ${i}`));
      }),
      { numRuns: 100 },
    );
    expectFreedHandleAbort(sketches);
  });

  it('inflates the embedded modules with DecompressionStream and refuses a text of the wrong length', async () => {
    expect(typeof (globalThis as { process?: unknown }).process).toBe('undefined'); // not Node's zlib path
    const bytes = await kernelsWasmBytes();
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    await expect(inflateWasm(KERNELS_WASM_DEFLATED, 11)).rejects.toThrow(
      `embedded module: expected 11 bytes after inflating, got ${bytes.length}`,
    );
    await expect(inflateWasm(btoa('not deflated'), 12)).rejects.toThrow();
  });

  it('a WASM abort (freed handle) is KernelError("KERNEL_ABORT") with file:line; the kernel keeps working', () => {
    expectFreedHandleAbort(wasm);
    // corrupt bytes are a typed error too, never an abort-less crash
    expect(() => wasm.sketchDeserialize(new Uint8Array([1, 2, 3]))).toThrow(KernelError);
  });
});

describe('kernels inside a module Web Worker (Chromium)', () => {
  it('the worker kernels agree with each other and with the page kernels bit for bit (property)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (input) => {
        const got = await ask<{ wasm: KernelCaseOutput; ref: KernelCaseOutput }>({
          kind: 'case',
          input,
        });
        expectSameOutput(got.wasm, got.ref);
        expectSameOutput(got.wasm, runKernelCase(ref, input));
        expectAgainstOracle(input, got.wasm);
      }),
      { numRuns: 60 },
    );
  });

  it('a WASM abort inside the worker is KernelError("KERNEL_ABORT") there, and the kernel survives', async () => {
    const probe = await ask<Record<string, unknown>>({ kind: 'abort' });
    expect(probe).toMatchObject({
      threw: true,
      isKernelError: true,
      name: 'KernelError',
      code: 'KERNEL_ABORT',
      after: { skipped: 1, count: 2 },
    });
    expect(probe.message).toMatch(
      new RegExp(
        `^sketchRecord: invalid sketch handle ${String(probe.handle)} \\(at assembly/sketch\\.ts:\\d+:\\d+\\)$`,
      ),
    );
  });
});
