// Shared by the kernel tests: both implementations, created once per file.
import { expect } from 'vitest';
import { KernelError } from '../../src/errors.js';
import { kernelsWasmBytes } from '../../src/kernel/generated/kernels-wasm.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import type { Kernel, SketchKernel } from '../../src/kernel/kernel.js';

/** [name, factory] pairs for describe.each. */
export const KERNELS: [string, () => Promise<Kernel>][] = [
  ['wasm', () => createWasmKernel()],
  ['reference', async () => createReferenceKernel()],
];

/** The exports of a fresh instance of the kernels' WASM module (an abort throws), for the exports only tests use. */
export async function rawKernelExports<T>(): Promise<T> {
  const { instance } = await WebAssembly.instantiate(await kernelsWasmBytes(), {
    env: {
      abort: () => {
        throw new Error('abort');
      },
    },
  });
  return instance.exports as unknown as T;
}

/**
 * Records into a freed sketch handle of the WASM kernel `wasm`: the
 * AssemblyScript abort must surface as KernelError('KERNEL_ABORT') with the
 * decoded message and file:line, and the kernel must keep working afterwards.
 */
export function expectFreedHandleAbort(wasm: SketchKernel): void {
  const h = wasm.sketchCreate();
  wasm.sketchFree(h);
  let caught: unknown;
  try {
    wasm.sketchRecord(h, new Float64Array([1]));
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(KernelError);
  expect((caught as KernelError).code).toBe('KERNEL_ABORT');
  expect((caught as KernelError).message).toMatch(
    new RegExp(
      `^sketchRecord: invalid sketch handle ${h} \\(at assembly/sketch\\.ts:\\d+:\\d+\\)$`,
    ),
  );
  const h2 = wasm.sketchCreate();
  expect(wasm.sketchRecord(h2, new Float64Array([1, 2, NaN]))).toBe(1);
  expect(wasm.sketchStats(h2).count).toBe(2);
  wasm.sketchFree(h2);
}

/** Exact rational check x > 2^(i / 2^scale) for a positive finite double x (BigInt, no floats). */
export function aboveBoundary(x: number, i: number, scale: number): boolean {
  // x = m * 2^e with integer m
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const expField = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = expField === 0 ? frac : frac | (1n << 52n);
  const e = (expField === 0 ? 1 : expField) - 1075;
  if (scale <= 0) {
    // compare x with 2^(i * 2^-scale): exact integer exponent
    const p = i * 2 ** -scale;
    return compareMPow2(m, e, p) > 0;
  }
  // x^(2^s) > 2^i  <=>  m^(2^s) * 2^(e 2^s) > 2^i
  const n = BigInt(2 ** scale);
  const lhs = m ** n;
  const shift = BigInt(i) - BigInt(e) * n;
  return shift >= 0n ? lhs > 1n << shift : lhs << -shift > 1n;
}

function compareMPow2(m: bigint, e: number, p: number): number {
  // sign of m*2^e - 2^p
  const d = p - e;
  const rhs = d >= 0 ? 1n << BigInt(d) : 0n;
  if (d < 0) return m > 0n ? 1 : 0; // m >= 1 > 2^(d<0)... m*2^e >= 2^e > 2^p
  return m > rhs ? 1 : m === rhs ? 0 : -1;
}

/** Sorted copy by the engine-independent built-in sort. */
export function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

import type { SketchBuckets } from '../../src/kernel/kernel.js';

/** True when two bucket layouts are bit-identical (fast on large arrays). */
export function sameBuckets(a: SketchBuckets, b: SketchBuckets): boolean {
  const same = (x: Float64Array, y: Float64Array): boolean =>
    x.length === y.length &&
    Buffer.compare(
      Buffer.from(x.buffer, x.byteOffset, x.byteLength),
      Buffer.from(y.buffer, y.byteOffset, y.byteLength),
    ) === 0;
  return (
    a.scale === b.scale &&
    Object.is(a.zeroCount, b.zeroCount) &&
    a.positive.offset === b.positive.offset &&
    a.negative.offset === b.negative.offset &&
    same(a.positive.counts, b.positive.counts) &&
    same(a.negative.counts, b.negative.counts)
  );
}
