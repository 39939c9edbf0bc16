/**
 * A minimal protobuf encoder for Prometheus remote-write 1.0's `WriteRequest`
 * (prometheus/prompb/remote.proto and types.proto):
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 *   TimeSeries   { …; repeated Histogram histograms = 4; }   // native histograms
 *   Histogram    { uint64 count_int = 1; double sum = 3; sint32 schema = 4;
 *                  double zero_threshold = 5; uint64 zero_count_int = 6;
 *                  repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9;
 *                  repeated BucketSpan positive_spans = 11; repeated sint64 positive_deltas = 12;
 *                  ResetHint reset_hint = 14; int64 timestamp = 15; }
 *   BucketSpan   { sint32 offset = 1; uint32 length = 2; }
 *
 * Histograms are sent with `reset_hint = GAUGE`: each is one window's
 * distribution, not a cumulative counter.
 */
import type { NativeHistogram, NativeSide } from './native-histogram.js';

/** `Histogram.ResetHint.GAUGE`. */
const RESET_HINT_GAUGE = 3;

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
  /** Native histogram samples, oldest first (a series carries samples or histograms). */
  histograms?: NativeHistogram[];
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

  /** A zigzag-encoded signed varint (sint32 / sint64). */
  sint(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(zigzag(v));
  }

  /** A packed `repeated sint64`. */
  packedSint(field: number, vs: readonly number[]): void {
    if (vs.length === 0) return;
    const inner = new Writer();
    for (const v of vs) inner.varint(zigzag(v));
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

const enc = new TextEncoder();

function zigzag(v: number): bigint {
  const b = BigInt(Math.trunc(v));
  return BigInt.asUintN(64, (b << 1n) ^ (b >> 63n));
}

function writeSide(out: Writer, spansField: number, deltasField: number, side: NativeSide): void {
  for (const sp of side.spans) {
    const w = new Writer();
    w.sint(1, sp.offset);
    w.tag(2, 0);
    w.varint(sp.length);
    out.bytes(spansField, w.finish());
  }
  out.packedSint(deltasField, side.deltas);
}

function encodeHistogram(h: NativeHistogram): Uint8Array {
  const w = new Writer();
  w.tag(1, 0);
  w.varint(h.count);
  w.double(3, h.sum);
  w.sint(4, h.schema);
  w.double(5, h.zeroThreshold);
  w.tag(6, 0);
  w.varint(h.zeroCount);
  writeSide(w, 8, 9, h.negative);
  writeSide(w, 11, 12, h.positive);
  w.tag(14, 0);
  w.varint(RESET_HINT_GAUGE);
  w.int64(15, h.timestamp);
  return w.finish();
}

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
    for (const h of s.histograms ?? []) ts.bytes(4, encodeHistogram(h));
    out.bytes(1, ts.finish());
  }
  return out.finish();
}
