/**
 * Sketch → Prometheus native histogram: every value lands in the bucket
 * Prometheus' own definition gives it (index i holds (base^(i-1), base^i] at
 * the histogram's schema, i = ceil(log_base |v|)), schemas above 8 are merged
 * down, zeros go to the zero bucket; read back by an independent protobuf decoder.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nativeHistogramFromSketch } from '../../src/collector/native-histogram.js';
import { encodeWriteRequest } from '../../src/collector/protobuf.js';
import { decodeSketch } from '../../src/kernel/sketch-format.js';
import { parseCollectorArgs } from '../../src/collector/cli.js';
import { RemoteWriter, classicBounds, windowToSeries } from '../../src/collector/remote-write.js';
import { ConfigError } from '../../src/errors.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { decodeHistograms, decodeWriteRequest } from './decode-write-request.js';
import { makeRecord, sketchBytes } from '../window/make-record.js';

/** Prometheus' bucket of |v| at `schema`: ceil(log2|v| · 2^schema). */
const promIndex = (v: number, schema: number): number =>
  Math.ceil(Math.log2(Math.abs(v)) * 2 ** schema);

/** Encodes one histogram alone and decodes it back. */
function roundTrip(values: number[], scale: number) {
  const h = nativeHistogramFromSketch(decodeSketch(sketchBytes(values, scale)), 1234);
  expect(h).toBeDefined();
  const [back] = decodeHistograms(
    encodeWriteRequest([{ labels: { __name__: 'x' }, samples: [], histograms: [h!] }]),
  );
  return back!;
}

describe('native histograms from sketches', () => {
  it('shifts the index by one: 1.5 at scale 0 is Prometheus bucket 1 = (1, 2]', () => {
    const h = roundTrip([1.5, 1.5, 3], 0);
    expect(h.schema).toBe(0);
    expect([...h.positive]).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(h).toMatchObject({ count: 3, sum: 6, zeroCount: 0, resetHint: 3, timestamp: 1234 });
  });

  it('property: every value is counted in its Prometheus bucket; scales 9–10 merge to schema 8', () => {
    // Values away from bucket edges (a fraction 0.1–0.9 into a bucket, in log space), so that
    // floating-point log2 cannot put a value on the wrong side of an edge.
    const value = (scale: number) =>
      fc
        .tuple(
          fc.integer({ min: -40 * 2 ** Math.max(0, scale), max: 40 * 2 ** Math.max(0, scale) }),
          fc.double({ min: 0.1, max: 0.9, noNaN: true }),
          fc.constantFrom(1, 1, 1, -1, 0),
        )
        .map(([k, f, sign]) => sign * 2 ** ((k + f) * 2 ** -scale));
    const arb = fc
      .integer({ min: -4, max: 10 })
      .chain((scale) =>
        fc.tuple(fc.constant(scale), fc.array(value(scale), { minLength: 1, maxLength: 60 })),
      );
    fc.assert(
      fc.property(arb, ([scale, values]) => {
        const h = roundTrip(values, scale);
        expect(h.schema).toBe(Math.min(scale, 8));
        const want = { positive: new Map<number, number>(), negative: new Map<number, number>() };
        let zeros = 0;
        for (const v of values) {
          if (v === 0) {
            zeros++;
            continue;
          }
          const m = v > 0 ? want.positive : want.negative;
          const i = promIndex(v, h.schema);
          m.set(i, (m.get(i) ?? 0) + 1);
        }
        expect(h.zeroCount).toBe(zeros);
        expect(h.zeroThreshold).toBe(0);
        expect(h.count).toBe(values.length);
        expect(new Map([...h.positive].sort())).toEqual(new Map([...want.positive].sort()));
        expect(new Map([...h.negative].sort())).toEqual(new Map([...want.negative].sort()));
      }),
      { numRuns: 300 },
    );
  });

  it('an empty sketch is no histogram', () => {
    expect(nativeHistogramFromSketch(decodeSketch(sketchBytes([])), 0)).toBeUndefined();
  });

  it('windowToSeries: native mode sends one histogram per sketch, classic mode le buckets', () => {
    const kernel = createReferenceKernel();
    const rec = makeRecord(1, { latency: [0.7, 3, 5, 100] });
    const native = encodeWriteRequest(windowToSeries(rec, kernel, 'native'));
    const hs = decodeHistograms(native);
    expect(hs).toHaveLength(1);
    expect(hs[0]!.labels).toMatchObject({ __name__: 'edgewatch_window_sketch', sketch: 'latency' });
    expect(hs[0]!.timestamp).toBe(rec.end);
    const classic = decodeWriteRequest(encodeWriteRequest(windowToSeries(rec, kernel)));
    const buckets = classic
      .filter((s) => s.labels.__name__ === 'edgewatch_window_sketch_bucket')
      .map((s) => [s.labels.le, s.samples[0]!.value]);
    // Powers of two from 0.5 to 128: exact counts at every bound.
    expect(buckets).toEqual([
      ['0.5', 0],
      ['1', 1],
      ['2', 1],
      ['4', 2],
      ['8', 3],
      ['16', 3],
      ['32', 3],
      ['64', 3],
      ['128', 4],
      ['+Inf', 4],
    ]);
  });

  it('classic bounds cover negatives and zero in ascending order', () => {
    const b = classicBounds(decodeSketch(sketchBytes([-3, 0, 0.3, 9])));
    expect(b).toEqual([...b].sort((x, y) => x - y));
    expect(b).toContain(0);
    expect(b[0]).toBeLessThanOrEqual(-3);
    expect(b[b.length - 1]).toBeGreaterThanOrEqual(9);
  });

  it('--remote-write-sketches picks the encoding; anything else is a ConfigError', () => {
    const url = 'http://127.0.0.1:9090/api/v1/write';
    expect(
      parseCollectorArgs(['--remote-write', url, '--remote-write-sketches', 'native'], {})
        .remoteWrite,
    ).toEqual({ url, sketches: 'native' });
    expect(() =>
      parseCollectorArgs(['--remote-write', url, '--remote-write-sketches', 'nativ'], {}),
    ).toThrow(ConfigError);
    expect(() => parseCollectorArgs(['--remote-write-sketches', 'native'], {})).toThrow(
      /expected --remote-write/,
    );
    expect(
      () =>
        new RemoteWriter({ url, sketches: 'hdr' as 'native' }, createReferenceKernel(), () => {}),
    ).toThrow(ConfigError);
  });
});
