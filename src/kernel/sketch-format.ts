/**
 * The sketch's compact, versioned byte form: what a device stores and ships, what
 * the collector merges. Pure TypeScript (no WASM, no engine) so Node code can read
 * it directly. Both kernels serialize through {@link encodeSketch}, so the bytes
 * are identical by construction; their bucket layouts are compared bit for bit in tests.
 *
 * Format, version 1 (all multi-byte floats little-endian):
 *
 * | bytes | field |
 * | --- | --- |
 * | 1 | magic `0xE5` |
 * | 1 | version `1` |
 * | 1 | scale, signed (two's complement int8), in [MIN_SCALE, MAX_SCALE] |
 * | 8 | sum, f64 |
 * | 8 | min, f64 (`+Infinity` when empty) |
 * | 8 | max, f64 (`-Infinity` when empty) |
 * | varint | count (= zeroCount + all bucket counts; checked on decode) |
 * | varint | zeroCount |
 * | zigzag varint, varint, varint × length | positive side: offset, length, counts |
 * | zigzag varint, varint, varint × length | negative side (bucket i holds -(base^i, base^(i+1)]) |
 *
 * Varints are unsigned LEB128 (7 bits per byte, at most 8 bytes, value ≤ 2^53 − 1,
 * shortest form: a multi-byte varint never ends in a zero byte);
 * zigzag maps a signed offset o to 2o (o ≥ 0) or −2o − 1. Sides are canonical: the
 * first and last count are non-zero, and an empty side is written as offset 0,
 * length 0. No trailing bytes. A decoder never allocates more counts than there
 * are bytes left, so corrupt input fails fast with a {@link KernelError}.
 */
import { KernelError } from '../errors.js';
import { MAX_SCALE, MIN_SCALE } from './kernel.js';
import type { Kernel, WorkerSketchKernel } from './kernel.js';
import {
  encodeSketch,
  MAX_SAFE,
  sideTotal,
  SKETCH_FORMAT_VERSION,
  SKETCH_MAGIC,
} from './sketch-encode.js';

export { encodeSketch, SKETCH_FORMAT_VERSION, SKETCH_MAGIC, Writer } from './sketch-encode.js';

/** One side of a decoded sketch: counts for bucket indexes offset, offset + 1, … */
export interface DecodedSide {
  /** Index of the first bucket in `counts`. */
  offset: number;
  /** Counts of consecutive buckets from `offset`. */
  counts: Float64Array;
}

/** A sketch read from bytes: everything needed to merge, query or export it. */
export interface DecodedSketch {
  /** Version of the byte format. */
  version: number;
  /** The sketch's scale (bucket resolution). */
  scale: number;
  /** Values recorded. */
  count: number;
  /** Their exact sum. */
  sum: number;
  /** Smallest value recorded. */
  min: number;
  /** Largest value recorded. */
  max: number;
  /** Values equal to zero. */
  zeroCount: number;
  /** Buckets of positive values. */
  positive: DecodedSide;
  /** Buckets of negative values, by absolute value. */
  negative: DecodedSide;
}

/**
 * The smallest and largest bucket index a finite double can have at `scale`.
 * @param scale - integer in [MIN_SCALE, MAX_SCALE].
 * @returns [lowest, highest] index (2^-1074 and the largest double).
 * @example indexBounds(0) // => [-1075, 1023]
 */
export function indexBounds(scale: number): [number, number] {
  if (scale >= 0) return [-1074 * 2 ** scale - 1, 1024 * 2 ** scale - 1];
  return [Math.floor(-1075 / 2 ** -scale), Math.floor(1023 / 2 ** -scale)];
}

function corrupt(message: string): never {
  throw new KernelError(`corrupt sketch bytes: ${message}`);
}

/** Bounds-checked byte reader; `fail` throws the caller's typed error. */
export class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: (message: string) => never = corrupt,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left(): number {
    return this.bytes.length - this.pos;
  }
  byte(what: string): number {
    if (this.pos >= this.bytes.length)
      this.fail(`expected ${what} at byte ${this.pos}, got end of input`);
    return this.bytes[this.pos++] as number;
  }
  f64(what: string): number {
    if (this.left < 8)
      this.fail(`expected 8 bytes of ${what} at byte ${this.pos}, got ${this.left}`);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }
  take(n: number, what: string): Uint8Array {
    if (n > this.left)
      this.fail(`expected ${n} bytes of ${what} at byte ${this.pos}, got ${this.left}`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  varint(what: string): number {
    const start = this.pos;
    let value = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte(what);
      value += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        // A zero last byte adds nothing: the same value has a shorter encoding.
        if (b === 0 && i > 0)
          this.fail(
            `expected ${what} as its shortest varint at byte ${start}, got an overlong one`,
          );
        if (value > MAX_SAFE)
          this.fail(`expected ${what} <= 2^53 - 1 at byte ${start}, got a larger varint`);
        return value;
      }
      mul *= 0x80;
    }
    return this.fail(
      `expected ${what} as a varint of at most 8 bytes at byte ${start}, got a longer one`,
    );
  }
}

function readSide(r: Reader, name: 'positive' | 'negative', scale: number): DecodedSide {
  const zz = r.varint(`${name} offset`);
  const offset = zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
  const length = r.varint(`${name} length`);
  const countLabel = `${name} count`; // built once: labels are only read on error
  if (length > r.left) corrupt(`expected ${name} length <= ${r.left} (bytes left), got ${length}`);
  if (length === 0) {
    if (offset !== 0) corrupt(`expected offset 0 for an empty ${name} side, got ${offset}`);
    return { offset: 0, counts: new Float64Array(0) };
  }
  const [lo, hi] = indexBounds(scale);
  if (offset < lo || offset + length - 1 > hi) {
    corrupt(
      `expected ${name} buckets within [${lo}, ${hi}] at scale ${scale}, got [${offset}, ${offset + length - 1}]`,
    );
  }
  const counts = new Float64Array(length);
  // Most counts fit one byte (< 0x80): read in line; the others (and any error) go through varint.
  const bytes = r.bytes;
  const end = bytes.length;
  let pos = r.pos;
  for (let i = 0; i < length; i++) {
    const b = pos < end ? (bytes[pos] as number) : 0x80;
    if (b < 0x80) {
      counts[i] = b;
      pos++;
    } else {
      r.pos = pos;
      counts[i] = r.varint(countLabel);
      pos = r.pos;
    }
  }
  r.pos = pos;
  if (counts[0] === 0 || counts[length - 1] === 0)
    corrupt(`expected trimmed ${name} buckets (non-zero first and last), got a zero end`);
  return { offset, counts };
}

/**
 * Reads a serialized sketch. O(bytes).
 * @param bytes - output of `sketchSerialize` / {@link encodeSketch}.
 * @returns the decoded sketch.
 * @throws KernelError (code 'KERNEL') naming the byte and field for any corrupt, truncated,
 *   inconsistent or unknown-version input.
 * @example decodeSketch(kernel.sketchSerialize(h)).count // => number of values recorded
 */
export function decodeSketch(bytes: Uint8Array): DecodedSketch {
  if (!(bytes instanceof Uint8Array)) corrupt(`expected a Uint8Array, got ${typeof bytes}`);
  const r = new Reader(bytes);
  const magic = r.byte('magic');
  if (magic !== SKETCH_MAGIC) corrupt(`expected magic 0xe5 at byte 0, got 0x${magic.toString(16)}`);
  const version = r.byte('version');
  if (version !== SKETCH_FORMAT_VERSION)
    corrupt(`expected version ${SKETCH_FORMAT_VERSION}, got ${version}`);
  const rawScale = r.byte('scale');
  const scale = rawScale > 127 ? rawScale - 256 : rawScale;
  if (scale < MIN_SCALE || scale > MAX_SCALE)
    corrupt(`expected scale in [${MIN_SCALE}, ${MAX_SCALE}], got ${scale}`);
  const sum = r.f64('sum');
  const min = r.f64('min');
  const max = r.f64('max');
  const count = r.varint('count');
  const zeroCount = r.varint('zeroCount');
  const positive = readSide(r, 'positive', scale);
  const negative = readSide(r, 'negative', scale);
  if (r.left !== 0) corrupt(`expected end of input at byte ${r.pos}, got ${r.left} trailing bytes`);
  const total = zeroCount + sideTotal(positive) + sideTotal(negative);
  if (total !== count)
    corrupt(`expected count = zeroCount + bucket counts = ${total}, got ${count}`);
  checkStats(count, sum, min, max);
  return { version, scale, count, sum, min, max, zeroCount, positive, negative };
}

function checkStats(count: number, sum: number, min: number, max: number): void {
  if (count === 0) {
    if (min !== Infinity || max !== -Infinity || sum !== 0) {
      corrupt(
        `expected min=Infinity, max=-Infinity, sum=0 for an empty sketch, got ${min}, ${max}, ${sum}`,
      );
    }
  } else if (!Number.isFinite(min) || !Number.isFinite(max) || !(min <= max)) {
    corrupt(`expected finite min <= max, got min=${min}, max=${max}`);
  }
}

/**
 * Adds the byte form to a kernel that loads sketches from their content: its
 * `sketchSerialize` encodes a sketch's stats and buckets, its `sketchDeserialize`
 * loads what {@link decodeSketch} reads. Both kernels get it this way (the
 * engine workers run without it: their callers encode and decode).
 * @param kernel - the kernel (changed in place).
 * @returns the same kernel, with the two methods.
 * @example const k = withSketchBytes(await createWasmWorkerKernel());
 */
export function withSketchBytes<K extends WorkerSketchKernel>(
  kernel: K,
): K & Pick<Kernel, 'sketchSerialize' | 'sketchDeserialize'> {
  return Object.assign(kernel, {
    sketchSerialize: (handle: number): Uint8Array =>
      encodeSketch({ ...kernel.sketchStats(handle), ...kernel.sketchBuckets(handle) }),
    sketchDeserialize: (bytes: Uint8Array): number => kernel.sketchLoad(decodeSketch(bytes)),
  });
}
