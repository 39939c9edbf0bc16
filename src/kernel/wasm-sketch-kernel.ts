/**
 * The WASM sketch kernel: the sketch half of the WASM kernel
 * ({@link WorkerSketchKernel}) over the flat ABI, on the sketch-only module
 * embedded in ./generated/sketch-kernels-wasm.ts (the sketch worker's kernel),
 * and the base the full WASM kernel (wasm-batch-kernel.ts) extends on the full
 * module. With wasm-batch-kernel.ts, the only files that touch WebAssembly memory.
 *
 * Calling convention: ask the module for a scratch slot (`scratch(slot, bytes)`,
 * kernel-owned, grown as needed), copy the batch in, call one export, copy the
 * result out. Any export may grow memory, which detaches earlier views, so views
 * are re-taken after every call ({@link WasmSketchKernel.f64}). The module's `abort`
 * import throws a {@link KernelError} with code 'KERNEL_ABORT' carrying the
 * decoded AssemblyScript message and its file:line:column.
 *
 * No byte form here: the engine workers run this file, and their callers encode
 * and decode. The in-process kernels (wasm-kernel.ts) add it with
 * `withSketchBytes` (sketch-format.ts), the reference kernel's codec too: one
 * implementation of the format, identical bytes by construction.
 */
import { KernelError } from '../errors.js';
import { sketchKernelsWasmBytes } from './generated/sketch-kernels-wasm.js';
import { DEFAULT_SCALE } from './kernel.js';
import { assertScale } from '../util/options.js';
import type { SketchBuckets, SketchContent, SketchStats, WorkerSketchKernel } from './kernel.js';

/** The sketch exports of both modules (see assembly/sketch-entry.ts). Pointers are i32 byte offsets. */
export interface SketchExports {
  memory: WebAssembly.Memory;
  scratch(slot: number, bytes: number): number;
  resultPtr(): number;
  sketchCreate(scale: number): number;
  sketchFree(h: number): void;
  sketchReset(h: number): void;
  sketchScale(h: number): number;
  sketchRecord(h: number, ptr: number, n: number, nonNegative: number): number;
  sketchMerge(dst: number, src: number): void;
  sketchQuantiles(h: number, qs: number, n: number, out: number): void;
  sketchStats(h: number): void;
  sketchSide(h: number, side: number): number;
  sketchLoadSide(h: number, side: number, offset: number, ptr: number, n: number): void;
  sketchLoadStats(
    h: number,
    count: number,
    sum: number,
    min: number,
    max: number,
    zeroCount: number,
  ): void;
  sketchByteSize(h: number): number;
}

const NO_SCALE = 127;
/**
 * Values per call into sketchRecord (128 KiB): the copy into kernel memory stays in
 * cache and is read back from there, instead of an 8 MiB round trip through DRAM for a
 * 1e6-value batch; order, hence sums, unchanged.
 */
const RECORD_CHUNK = 1 << 14;

/** A handle as the ABI's i32; non-integers would be truncated by WebAssembly, so they are refused here. */
function handleArg(handle: number, op: string): number {
  if (!Number.isInteger(handle) || handle < -(2 ** 31) || handle >= 2 ** 31) {
    throw new KernelError(`${op}: invalid sketch handle ${handle}`);
  }
  return handle;
}

/** Each module's compilation by the function that decodes its bytes: once per realm. */
const compiled = new Map<() => Promise<Uint8Array<ArrayBuffer>>, Promise<WebAssembly.Module>>();

/** Reads an AssemblyScript string (UTF-16LE; byte length in the header word before it). */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const buf = memory.buffer;
  const p = ptr >>> 0;
  if (p < 4 || p > buf.byteLength) return `<string at ${p}>`;
  const bytes = new Uint32Array(buf, (p - 4) & ~3, 1)[0] as number;
  const len = Math.min(bytes >>> 1, (buf.byteLength - p) >>> 1);
  const units = new Uint16Array(buf, p, len);
  let s = '';
  for (let i = 0; i < len; i += 4096) s += String.fromCharCode(...units.subarray(i, i + 4096));
  return s;
}

/**
 * A fresh instance (its own memory and handles) of the module whose bytes
 * `bytes` decodes, compiled on first use and cached.
 *
 * @param bytes - decodes the embedded module (generated/*-wasm.ts).
 * @returns the instance's exports.
 * @throws KernelError when WebAssembly is unavailable or refused (e.g. CSP without 'wasm-unsafe-eval').
 */
export async function instantiateKernels<X extends SketchExports>(
  bytes: () => Promise<Uint8Array<ArrayBuffer>>,
): Promise<X> {
  let x: X | undefined;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, column: number): never {
        if (x === undefined) throw new KernelError(`abort (message at ${msg})`, 'KERNEL_ABORT');
        // The numbers the message names, kept by assembly/memory.ts abortDetail.
        const detail = new Float64Array(x.memory.buffer, x.resultPtr() + 14 * 8, 2);
        const text = readAsString(x.memory, msg).replace(/\{([01])\}/g, (_, i: string) =>
          String(detail[Number(i)]),
        );
        const where = readAsString(x.memory, file);
        throw new KernelError(`${text} (at ${where}:${line}:${column})`, 'KERNEL_ABORT');
      },
    },
  };
  try {
    let module = compiled.get(bytes);
    if (module === undefined) {
      module = bytes().then((b) => WebAssembly.compile(b));
      compiled.set(bytes, module);
    }
    const instance = await WebAssembly.instantiate(await module, imports);
    x = instance.exports as unknown as X;
    return x;
  } catch (err) {
    compiled.delete(bytes);
    if (err instanceof KernelError) throw err;
    throw new KernelError(
      `could not load the WASM kernels: ${err instanceof Error ? err.message : String(err)}`,
      'KERNEL',
      {
        cause: err,
      },
    );
  }
}

/** The sketch methods over either module's exports. */
export class WasmSketchKernel<
  X extends SketchExports = SketchExports,
> implements WorkerSketchKernel {
  readonly kind = 'wasm' as const;
  private view: Float64Array;
  protected readonly result: number;

  constructor(protected readonly x: X) {
    this.view = new Float64Array(x.memory.buffer);
    this.result = x.resultPtr() >>> 3;
  }

  /** A Float64Array over the current memory (re-taken after memory growth). */
  protected f64(): Float64Array {
    if (this.view.buffer !== this.x.memory.buffer)
      this.view = new Float64Array(this.x.memory.buffer);
    return this.view;
  }

  protected read(ptr: number, n: number): Float64Array {
    const at = ptr >>> 3;
    return this.f64().slice(at, at + n);
  }

  /** The RESULT area's first values, named in order (what sketchStats and moments write there). */
  protected results<K extends string>(names: readonly K[]): Record<K, number> {
    const r = this.read(this.result << 3, names.length);
    return Object.fromEntries(names.map((name, i) => [name, r[i]])) as Record<K, number>;
  }

  sketchCreate(scale: number = DEFAULT_SCALE): number {
    assertScale(scale);
    return this.x.sketchCreate(scale);
  }

  sketchFree(handle: number): void {
    if (Number.isInteger(handle)) this.x.sketchFree(handle);
  }

  sketchReset(handle: number): void {
    this.x.sketchReset(handleArg(handle, 'sketchReset'));
  }

  sketchRecord(handle: number, values: Float64Array, nonNegative = false): number {
    const h = handleArg(handle, 'sketchRecord');
    let dropped = 0;
    let at = 0;
    do {
      const chunk = values.subarray(at, at + RECORD_CHUNK);
      const p = this.x.scratch(0, chunk.length * 8);
      this.f64().set(chunk, p >>> 3);
      dropped += this.x.sketchRecord(h, p, chunk.length, nonNegative ? 1 : 0);
      at += RECORD_CHUNK;
    } while (at < values.length);
    return dropped;
  }

  sketchMerge(dst: number, src: number): void {
    handleArg(dst, 'sketchMerge');
    handleArg(src, 'sketchMerge');
    const a = this.x.sketchScale(dst);
    const b = this.x.sketchScale(src);
    if (a !== NO_SCALE && b !== NO_SCALE && a !== b) {
      throw new KernelError(`sketch merge: expected equal scales, got ${a} and ${b}`);
    }
    this.x.sketchMerge(dst, src); // aborts with the operation's name on a bad handle
  }

  sketchQuantiles(handle: number, qs: Float64Array): Float64Array {
    handleArg(handle, 'sketchQuantiles');
    const pq = this.x.scratch(0, qs.length * 8);
    const po = this.x.scratch(1, qs.length * 8);
    this.f64().set(qs, pq >>> 3);
    this.x.sketchQuantiles(handle, pq, qs.length, po);
    return this.read(po, qs.length);
  }

  sketchStats(handle: number): SketchStats {
    this.x.sketchStats(handleArg(handle, 'sketchStats'));
    return this.results(['count', 'sum', 'min', 'max', 'zeroCount']);
  }

  private side(handle: number, side: 0 | 1): { offset: number; counts: Float64Array } {
    const n = this.x.sketchSide(handle, side);
    const offset = this.f64()[this.result] as number;
    if (n === 0) return { offset: 0, counts: new Float64Array(0) };
    return { offset, counts: this.read(this.x.scratch(3, n * 8), n) };
  }

  sketchBuckets(handle: number): SketchBuckets {
    this.x.sketchStats(handleArg(handle, 'sketchBuckets'));
    const scale = this.f64()[this.result + 5] as number;
    const zeroCount = this.f64()[this.result + 4] as number;
    return { scale, zeroCount, positive: this.side(handle, 0), negative: this.side(handle, 1) };
  }

  sketchLoad(d: SketchContent): number {
    const h = this.x.sketchCreate(d.scale);
    for (const [side, s] of [
      [0, d.positive],
      [1, d.negative],
    ] as const) {
      const p = this.x.scratch(0, s.counts.length * 8);
      this.f64().set(s.counts, p >>> 3);
      this.x.sketchLoadSide(h, side, s.offset, p, s.counts.length);
    }
    this.x.sketchLoadStats(h, d.count, d.sum, d.min, d.max, d.zeroCount);
    return h;
  }

  sketchByteSize(handle: number): number {
    return this.x.sketchByteSize(handleArg(handle, 'sketchByteSize'));
  }
}

/**
 * Instantiates a fresh WASM sketch kernel on the sketch-only module, without
 * the byte form (the sketch worker's kernel; `createWasmSketchKernel` in
 * wasm-kernel.ts adds it).
 * @returns the kernel.
 * @throws KernelError when WebAssembly is unavailable or refused (e.g. CSP without 'wasm-unsafe-eval').
 * @example
 * const k = await createWasmWorkerSketchKernel();
 * k.sketchRecord(k.sketchCreate(), new Float64Array([1, 2, 3]));
 */
export async function createWasmWorkerSketchKernel(): Promise<WorkerSketchKernel> {
  return new WasmSketchKernel(await instantiateKernels<SketchExports>(sketchKernelsWasmBytes));
}
