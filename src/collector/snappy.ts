/**
 * Snappy block format, as remote-write requires (`Content-Encoding: snappy`,
 * block format, not framed). The encoder is the reference algorithm: the input
 * is cut into 64 KiB fragments, a hash table of 4-byte sequences finds earlier
 * matches within the fragment, and matches become copy elements (1- or 2-byte
 * offsets), the rest literals. The decoder handles all element types.
 */
import { DataError } from '../errors.js';

function writeVarint(out: Uint8Array, o: number, v: number): number {
  while (v >= 0x80) {
    out[o++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[o++] = v;
  return o;
}

const FRAGMENT = 1 << 16;
const HASH_BITS = 14;
/** Inputs shorter than this are written as one literal (a match needs 4 bytes plus a literal's worth). */
const MIN_COMPRESS = 15;

function load32(a: Uint8Array, i: number): number {
  return (
    ((a[i] as number) |
      ((a[i + 1] as number) << 8) |
      ((a[i + 2] as number) << 16) |
      ((a[i + 3] as number) << 24)) >>>
    0
  );
}

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function emitLiteral(
  input: Uint8Array,
  from: number,
  to: number,
  out: Uint8Array,
  o: number,
): number {
  const n = to - from - 1;
  if (n < 0) return o;
  if (n < 60) out[o++] = n << 2;
  else if (n < 0x100) {
    out[o++] = 60 << 2;
    out[o++] = n;
  } else {
    // A fragment is at most 64 KiB, so two length bytes always suffice.
    out[o++] = 61 << 2;
    out[o++] = n & 0xff;
    out[o++] = n >> 8;
  }
  out.set(input.subarray(from, to), o);
  return o + to - from;
}

function emitCopyAtMost64(out: Uint8Array, o: number, offset: number, len: number): number {
  if (len < 12 && offset < 2048) {
    out[o++] = 1 | ((len - 4) << 2) | ((offset >> 8) << 5);
    out[o++] = offset & 0xff;
  } else {
    out[o++] = 2 | ((len - 1) << 2);
    out[o++] = offset & 0xff;
    out[o++] = offset >> 8;
  }
  return o;
}

function emitCopy(out: Uint8Array, o: number, offset: number, len: number): number {
  // Copies of more than 64 bytes are split so that no piece is shorter than 4.
  while (len >= 68) {
    o = emitCopyAtMost64(out, o, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    o = emitCopyAtMost64(out, o, offset, 60);
    len -= 60;
  }
  return emitCopyAtMost64(out, o, offset, len);
}

function compressFragment(
  input: Uint8Array,
  start: number,
  end: number,
  table: Int32Array,
  out: Uint8Array,
  o: number,
): number {
  if (end - start < MIN_COMPRESS) return emitLiteral(input, start, end, out, o);
  table.fill(-1);
  let ip = start;
  let nextEmit = start;
  const limit = end - 4;
  let skip = 32;
  while (ip <= limit) {
    const v = load32(input, ip);
    const h = hash(v);
    const cand = table[h] as number;
    table[h] = ip;
    if (cand < 0 || load32(input, cand) !== v) {
      // Incompressible stretches are crossed in growing strides.
      ip += skip++ >> 5;
      continue;
    }
    skip = 32;
    o = emitLiteral(input, nextEmit, ip, out, o);
    let len = 4;
    while (ip + len < end && input[cand + len] === input[ip + len]) len++;
    o = emitCopy(out, o, ip - cand, len);
    ip += len;
    nextEmit = ip;
    if (ip - 1 <= limit) table[hash(load32(input, ip - 1))] = ip - 1;
  }
  return emitLiteral(input, nextEmit, end, out, o);
}

/**
 * Compresses bytes as a snappy block.
 *
 * @param input - raw bytes.
 * @returns the snappy block (varint length, then literal and copy elements).
 * @example
 * snappyDecode(snappyEncode(bytes)); // => bytes
 * Cost: O(n) time; a 64 KiB hash table.
 */
export function snappyEncode(input: Uint8Array): Uint8Array {
  // Worst case: every byte a literal, plus tags (the reference's bound).
  const out = new Uint8Array(32 + input.length + Math.ceil(input.length / 6));
  let o = writeVarint(out, 0, input.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let i = 0; i < input.length; i += FRAGMENT)
    o = compressFragment(input, i, Math.min(input.length, i + FRAGMENT), table, out, o);
  return out.slice(0, o);
}

/**
 * Decodes a snappy block (literals and copies).
 *
 * @param input - the block.
 * @returns the raw bytes.
 * @throws DataError on a corrupt block.
 */
export function snappyDecode(input: Uint8Array): Uint8Array {
  let p = 0;
  let len = 0;
  let shift = 1;
  for (;;) {
    if (p >= input.length) throw new DataError('snappy: truncated length');
    const b = input[p++] as number;
    len += (b & 0x7f) * shift;
    shift *= 128;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(len);
  let o = 0;
  const byte = (): number => {
    if (p >= input.length) throw new DataError('snappy: truncated element');
    return input[p++] as number;
  };
  while (p < input.length) {
    const tag = byte();
    const type = tag & 3;
    if (type === 0) {
      let n = tag >> 2;
      if (n >= 60) {
        const k = n - 59;
        n = 0;
        for (let i = 0; i < k; i++) n |= byte() << (8 * i);
      }
      n += 1;
      if (p + n > input.length || o + n > len) throw new DataError('snappy: literal overruns');
      out.set(input.subarray(p, p + n), o);
      p += n;
      o += n;
      continue;
    }
    let n: number;
    let off: number;
    if (type === 1) {
      n = ((tag >> 2) & 7) + 4;
      off = ((tag >> 5) << 8) | byte();
    } else if (type === 2) {
      n = (tag >> 2) + 1;
      off = byte() | (byte() << 8);
    } else {
      n = (tag >> 2) + 1;
      off = (byte() | (byte() << 8) | (byte() << 16) | (byte() << 24)) >>> 0;
    }
    if (off === 0 || off > o || o + n > len) throw new DataError('snappy: bad copy');
    for (let i = 0; i < n; i++, o++) out[o] = out[o - off] as number;
  }
  if (o !== len) throw new DataError(`snappy: expected ${len} bytes, got ${o}`);
  return out;
}
