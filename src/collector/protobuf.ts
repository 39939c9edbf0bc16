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
import { ProtoWriter } from '../util/proto-writer.js';
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

const enc = new TextEncoder();

function writeSide(
  out: ProtoWriter,
  spansField: number,
  deltasField: number,
  side: NativeSide,
): void {
  for (const sp of side.spans) {
    const w = new ProtoWriter();
    w.sint(1, sp.offset);
    w.tag(2, 0);
    w.varint(sp.length);
    out.bytes(spansField, w.finish());
  }
  out.packedSint(deltasField, side.deltas);
}

function encodeHistogram(h: NativeHistogram): Uint8Array {
  const w = new ProtoWriter();
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
  const out = new ProtoWriter(4096);
  for (const s of series) {
    const ts = new ProtoWriter();
    for (const name of Object.keys(s.labels).sort()) {
      const l = new ProtoWriter();
      l.bytes(1, enc.encode(name));
      l.bytes(2, enc.encode(s.labels[name] ?? ''));
      ts.bytes(1, l.finish());
    }
    for (const p of s.samples) {
      const sm = new ProtoWriter();
      sm.double(1, p.value);
      sm.int64(2, p.timestamp);
      ts.bytes(2, sm.finish());
    }
    for (const h of s.histograms ?? []) ts.bytes(4, encodeHistogram(h));
    out.bytes(1, ts.finish());
  }
  return out.finish();
}
