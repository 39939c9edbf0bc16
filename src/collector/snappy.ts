/**
 * Snappy block format, as remote-write requires (`Content-Encoding: snappy`,
 * block format, not framed). The encoder writes literal-only blocks — valid
 * snappy that every decoder accepts; remote-write payloads are small and
 * compression is not the point here. The decoder handles all element types and
 * exists for tests and tooling.
 */
import { DataError } from '../errors.js';

function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/**
 * Encodes bytes as a snappy block of literals.
 *
 * @param input - raw bytes.
 * @returns the snappy block (varint length, then literal elements of ≤ 64 KiB).
 * @example
 * snappyDecode(snappyEncode(bytes)); // => bytes
 * Cost: O(n).
 */
export function snappyEncode(input: Uint8Array): Uint8Array {
  const head: number[] = [];
  writeVarint(head, input.length);
  const parts: Uint8Array[] = [Uint8Array.from(head)];
  let total = head.length;
  for (let i = 0; i < input.length; i += 65536) {
    const chunk = input.subarray(i, Math.min(input.length, i + 65536));
    const n = chunk.length - 1;
    let tag: number[];
    if (n < 60) tag = [n << 2];
    else if (n < 0x100) tag = [60 << 2, n];
    else tag = [61 << 2, n & 0xff, n >> 8];
    parts.push(Uint8Array.from(tag), chunk);
    total += tag.length + chunk.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
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
