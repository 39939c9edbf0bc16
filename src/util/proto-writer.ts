/**
 * A growable protobuf writer: the wire primitives (varints, tags, fixed64,
 * length-delimited fields) shared by the remote-write and OTLP encoders. Pure
 * TypeScript: runs in browsers, workers and Node.
 */

/** Appends protobuf wire data to a buffer that doubles as it fills. */
export class ProtoWriter {
  private buf: Uint8Array;
  private n = 0;

  /** @param capacity - initial buffer size in bytes. */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  /** An unsigned LEB128 varint of the value's low 64 bits (negative numbers as two's complement). */
  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    this.room(10);
    while (x >= 0x80n) {
      this.buf[this.n++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.n++] = Number(x);
  }

  /** A field key: field number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** Bytes as they are (no key, no length). */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  /** A length-delimited field: key, length, bytes. */
  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.raw(b);
  }

  /** Eight little-endian bytes: an IEEE double (`float`) or a 64-bit integer. No key. */
  fixed64(v: bigint | number, float: boolean): void {
    this.room(8);
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.n, 8);
    if (float) dv.setFloat64(0, v as number, true);
    else dv.setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
    this.n += 8;
  }

  /** A `double` field. */
  double(field: number, v: number): void {
    this.tag(field, 1);
    this.fixed64(v, true);
  }

  /** An `int64` field (the value truncated to an integer). */
  int64(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(BigInt(Math.trunc(v)));
  }

  /** A zigzag-encoded signed varint field (`sint32` / `sint64`). */
  sint(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(zigzag(v));
  }

  /** A packed `repeated sint64` field (nothing for an empty list). */
  packedSint(field: number, vs: readonly number[]): void {
    if (vs.length === 0) return;
    const inner = new ProtoWriter(64);
    for (const v of vs) inner.varint(zigzag(v));
    this.bytes(field, inner.finish());
  }

  /** @returns a copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/**
 * Zigzag encoding of a signed 64-bit integer: 0, −1, 1, −2 … → 0, 1, 2, 3 ….
 *
 * @param v - the integer (a number is truncated toward zero first).
 * @returns its zigzag form.
 * @example zigzag(-1); // => 1n
 */
export function zigzag(v: number | bigint): bigint {
  const x = BigInt.asIntN(64, typeof v === 'number' ? BigInt(Math.trunc(v)) : v);
  return BigInt.asUintN(64, (x << 1n) ^ (x >> 63n));
}
