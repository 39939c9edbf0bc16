/**
 * The WASM kernel: loads the AssemblyScript module embedded in
 * ./generated/kernels-wasm.ts and implements {@link Kernel} over its flat ABI.
 * This is the only file that touches WebAssembly memory.
 *
 * Calling convention: ask the module for a scratch slot (`scratch(slot, bytes)`,
 * kernel-owned, grown as needed), copy the batch in, call one export, copy the
 * result out. Any export may grow memory, which detaches earlier views, so views
 * are re-taken after every call ({@link WasmKernel.f64}). The module's `abort`
 * import throws a {@link KernelError} with code 'KERNEL_ABORT' carrying the
 * decoded AssemblyScript message and its file:line:column.
 *
 * Serialization goes through the shared pure-TS codec (sketch-format.ts) in both
 * kernels: one implementation of the format, identical bytes by construction.
 */
import { KernelError } from '../errors.js';
import { kernelsWasmBytes } from './generated/kernels-wasm.js';
import { assertScale, DEFAULT_SCALE } from './kernel.js';
import type { Kernel, Moments, SketchBuckets, SketchStats } from './kernel.js';
import { decodeSketch, encodeSketch } from './sketch-format.js';
import { assertEdges } from './validate.js';

/** The module's exports (see assembly/index.ts). Pointers are i32 byte offsets. */
interface KernelExports {
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
  binCounts(values: number, n: number, edges: number, k: number, out: number): void;
  sortF64(input: number, n: number, a: number, b: number): number;
  selectF64(
    input: number,
    n: number,
    ranks: number,
    k: number,
    out: number,
    cand: number,
    work: number,
    info: number,
  ): void;
  moments(p: number, n: number): void;
  ksStatisticSorted(a: number, n: number, b: number, m: number): number;
  wasserstein1Sorted(a: number, n: number, b: number, m: number): number;
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
let compiled: Promise<WebAssembly.Module> | undefined;

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

/** The fields of the result record `sketchStats` writes, in order (`scale` follows them). */
const SKETCH_STATS_FIELDS = ['count', 'sum', 'min', 'max', 'zeroCount'] as const;
/** The fields of the result record `moments` writes, in order. */
const MOMENTS_FIELDS = ['count', 'mean', 'variance', 'min', 'max', 'sum'] as const;

class WasmKernel implements Kernel {
  readonly kind = 'wasm' as const;
  private view: Float64Array;
  private readonly result: number;

  constructor(private readonly x: KernelExports) {
    this.view = new Float64Array(x.memory.buffer);
    this.result = x.resultPtr() >>> 3;
  }

  /** A Float64Array over the current memory (re-taken after memory growth). */
  private f64(): Float64Array {
    if (this.view.buffer !== this.x.memory.buffer)
      this.view = new Float64Array(this.x.memory.buffer);
    return this.view;
  }

  private read(ptr: number, n: number): Float64Array {
    const at = ptr >>> 3;
    return this.f64().slice(at, at + n);
  }

  /** The result record the last call wrote, its f64 fields named in order by `fields`. */
  private resultRecord<K extends string>(fields: readonly K[]): Record<K, number> {
    const m = this.f64();
    const out = {} as Record<K, number>;
    for (let i = 0; i < fields.length; i++) out[fields[i] as K] = m[this.result + i] as number;
    return out;
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
    return this.resultRecord(SKETCH_STATS_FIELDS);
  }

  private side(handle: number, side: 0 | 1): { offset: number; counts: Float64Array } {
    const n = this.x.sketchSide(handle, side);
    const offset = this.f64()[this.result] as number;
    if (n === 0) return { offset: 0, counts: new Float64Array(0) };
    return { offset, counts: this.read(this.x.scratch(3, n * 8), n) };
  }

  sketchBuckets(handle: number): SketchBuckets {
    this.x.sketchStats(handleArg(handle, 'sketchBuckets'));
    const { zeroCount } = this.resultRecord(SKETCH_STATS_FIELDS);
    const scale = this.f64()[this.result + SKETCH_STATS_FIELDS.length] as number;
    return { scale, zeroCount, positive: this.side(handle, 0), negative: this.side(handle, 1) };
  }

  sketchSerialize(handle: number): Uint8Array {
    return encodeSketch({ ...this.sketchStats(handle), ...this.sketchBuckets(handle) });
  }

  sketchDeserialize(bytes: Uint8Array): number {
    const d = decodeSketch(bytes);
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

  binCounts(values: Float64Array, edges: Float64Array): Float64Array {
    assertEdges(edges);
    const pv = this.x.scratch(0, values.length * 8);
    const pe = this.x.scratch(1, edges.length * 8);
    const po = this.x.scratch(2, (edges.length + 1) * 8);
    const m = this.f64();
    m.set(values, pv >>> 3);
    m.set(edges, pe >>> 3);
    this.x.binCounts(pv, values.length, pe, edges.length, po);
    return this.read(po, edges.length + 1);
  }

  sortF64(values: Float64Array, out?: Float64Array): Float64Array {
    const n = values.length;
    const pin = this.x.scratch(0, n * 8);
    const a = this.x.scratch(1, n * 8);
    const b = this.x.scratch(2, n * 8);
    this.f64().set(values, pin >>> 3);
    const at = this.x.sortF64(pin, n, a, b) >>> 3;
    if (out === undefined || out.length !== n) return this.f64().slice(at, at + n);
    out.set(this.f64().subarray(at, at + n));
    return out;
  }

  selectF64(values: Float64Array, ranks: Float64Array): Float64Array {
    const n = values.length;
    const k = ranks.length;
    // slot 0: values, ranks, out, info (2k i32); slot 1: candidates; slot 2: two sort buffers
    const p = this.x.scratch(0, (n + 3 * k) * 8);
    const cand = this.x.scratch(1, n * 8);
    const work = this.x.scratch(2, n * 16);
    const m = this.f64();
    m.set(values, p >>> 3);
    m.set(ranks, (p >>> 3) + n);
    const out = p + (n + k) * 8;
    this.x.selectF64(p, n, p + n * 8, k, out, cand, work, out + k * 8);
    return this.read(out, k);
  }

  moments(values: Float64Array): Moments {
    const p = this.x.scratch(0, values.length * 8);
    this.f64().set(values, p >>> 3);
    this.x.moments(p, values.length);
    return this.resultRecord(MOMENTS_FIELDS);
  }

  private pair(a: Float64Array, b: Float64Array): [number, number] {
    const pa = this.x.scratch(0, a.length * 8);
    const pb = this.x.scratch(1, b.length * 8);
    const m = this.f64();
    m.set(a, pa >>> 3);
    m.set(b, pb >>> 3);
    return [pa, pb];
  }

  ksStatisticSorted(a: Float64Array, b: Float64Array): number {
    const [pa, pb] = this.pair(a, b);
    return this.x.ksStatisticSorted(pa, a.length, pb, b.length);
  }

  wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
    const [pa, pb] = this.pair(a, b);
    return this.x.wasserstein1Sorted(pa, a.length, pb, b.length);
  }
}

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
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, column: number): never {
        const text = memory ? readAsString(memory, msg) : `abort (message at ${msg})`;
        const where = memory ? readAsString(memory, file) : '?';
        throw new KernelError(`${text} (at ${where}:${line}:${column})`, 'KERNEL_ABORT');
      },
    },
  };
  try {
    compiled ??= WebAssembly.compile(kernelsWasmBytes());
    const instance = await WebAssembly.instantiate(await compiled, imports);
    const x = instance.exports as unknown as KernelExports;
    memory = x.memory;
    return new WasmKernel(x);
  } catch (err) {
    compiled = undefined;
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
