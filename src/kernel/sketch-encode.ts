/**
 * The writing half of the sketch's byte form (the format is described in
 * sketch-format.ts, which re-exports the public names here): what a worker
 * engine's caller loads to serialize, without the decoder.
 */
import { KernelError } from '../errors.js';
import { assertScale } from '../util/options.js';
import type { DecodedSide, DecodedSketch } from './sketch-format.js';

/** Magic first byte of a serialized sketch. */
export const SKETCH_MAGIC = 0xe5;
/** Current format version. */
export const SKETCH_FORMAT_VERSION = 1;

/** The largest count the format holds: 2^53 - 1. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Growable byte writer (little-endian floats, LEB128 varints). */
export class Writer {
  bytes = new Uint8Array(64);
  length = 0;
  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b & 0xff;
  }
  f64(x: number): void {
    this.reserve(8);
    new DataView(this.bytes.buffer).setFloat64(this.length, x, true);
    this.length += 8;
  }
  varint(v: number): void {
    let rest = v;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }
  /** @returns the bytes written (a copy). */
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** The sum of a side's counts. */
export function sideTotal(side: DecodedSide): number {
  let t = 0;
  for (let i = 0; i < side.counts.length; i++) t += side.counts[i] as number;
  return t;
}

function writeSide(w: Writer, side: DecodedSide): void {
  let first = 0;
  let last = side.counts.length - 1;
  while (first <= last && side.counts[first] === 0) first++;
  while (last >= first && side.counts[last] === 0) last--;
  if (first > last) {
    w.varint(0);
    w.varint(0);
    return;
  }
  const offset = side.offset + first;
  w.varint(offset >= 0 ? 2 * offset : -2 * offset - 1);
  w.varint(last - first + 1);
  for (let i = first; i <= last; i++) {
    const c = side.counts[i] as number;
    if (!Number.isInteger(c) || c < 0 || c > MAX_SAFE) {
      throw new KernelError(
        `encodeSketch: expected bucket counts as integers in [0, 2^53), got ${c}`,
      );
    }
    w.varint(c);
  }
}

/**
 * Writes a sketch in the byte form above (canonical: sides trimmed). O(buckets).
 * @param s - the sketch content (`version` is ignored: the current version is written).
 * @returns the bytes.
 * @throws ConfigError on an invalid scale; KernelError on non-integer counts or a count/bucket mismatch.
 * @example decodeSketch(encodeSketch(d)) // => equal to d, sides trimmed
 */
export function encodeSketch(s: Omit<DecodedSketch, 'version'> & { version?: number }): Uint8Array {
  assertScale(s.scale);
  for (const [name, v] of [
    ['count', s.count],
    ['zeroCount', s.zeroCount],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > MAX_SAFE)
      throw new KernelError(`encodeSketch: expected ${name} as an integer in [0, 2^53), got ${v}`);
  }
  const total = s.zeroCount + sideTotal(s.positive) + sideTotal(s.negative);
  if (total !== s.count)
    throw new KernelError(
      `encodeSketch: expected count = ${total} (zero + buckets), got ${s.count}`,
    );
  const w = new Writer();
  w.byte(SKETCH_MAGIC);
  w.byte(SKETCH_FORMAT_VERSION);
  w.byte(s.scale & 0xff);
  w.f64(s.sum);
  w.f64(s.min);
  w.f64(s.max);
  w.varint(s.count);
  w.varint(s.zeroCount);
  writeSide(w, s.positive);
  writeSide(w, s.negative);
  return w.bytes.slice(0, w.length);
}
