/**
 * A minimal protobuf encoder for Prometheus remote-write 1.0's `WriteRequest`
 * (prometheus/prompb/remote.proto and types.proto):
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 */

/** One remote-write series: labels (with `__name__`) and samples. */
export interface TimeSeries {
  /** Label name → value, including `__name__`. */
  labels: Record<string, string>;
  /** The samples, oldest first. */
  samples: Array<{
    /** The sample value. */
    value: number;
    /** Sample time, epoch ms. */
    timestamp: number;
  }>;
}

class Writer {
  private buf = new Uint8Array(1024);
  private n = 0;

  private ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (x >= 0x80n) {
      this.buf[this.n++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.n++] = Number(x);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  double(field: number, v: number): void {
    this.tag(field, 1);
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.n, 8).setFloat64(0, v, true);
    this.n += 8;
  }

  int64(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(BigInt(Math.trunc(v)));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

const enc = new TextEncoder();

/**
 * Encodes a remote-write `WriteRequest`. Labels are written sorted by name,
 * as the protocol requires.
 *
 * @param series - the series.
 * @returns the protobuf bytes (not yet snappy-compressed).
 * @example
 * encodeWriteRequest([{ labels: { __name__: 'up' }, samples: [{ value: 1, timestamp: Date.now() }] }]);
 * Cost: O(total labels + samples).
 */
export function encodeWriteRequest(series: readonly TimeSeries[]): Uint8Array {
  const out = new Writer();
  for (const s of series) {
    const ts = new Writer();
    for (const name of Object.keys(s.labels).sort()) {
      const l = new Writer();
      l.bytes(1, enc.encode(name));
      l.bytes(2, enc.encode(s.labels[name] ?? ''));
      ts.bytes(1, l.finish());
    }
    for (const p of s.samples) {
      const sm = new Writer();
      sm.double(1, p.value);
      sm.int64(2, p.timestamp);
      ts.bytes(2, sm.finish());
    }
    out.bytes(1, ts.finish());
  }
  return out.finish();
}
