/**
 * The snappy encoder compresses (not literals only) and is byte-compatible with
 * snappyjs, an independent implementation: each decodes the other's output, and
 * the compressed size of a real remote-write payload is within a few percent.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import SnappyJS from 'snappyjs';
import { snappyDecode, snappyEncode } from '../../src/collector/snappy.js';
import { encodeWriteRequest } from '../../src/collector/protobuf.js';
import { windowToSeries } from '../../src/collector/remote-write.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { makeRecord } from '../window/make-record.js';

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** A remote-write request body as the collector builds it: `n` windows over 7 devices. */
function remoteWritePayload(n: number): Uint8Array {
  const kernel = createReferenceKernel();
  const recs = Array.from({ length: n }, (_, i) => makeRecord(i, { deviceId: `robot-${i % 7}` }));
  return encodeWriteRequest(recs.flatMap((r) => windowToSeries(r, kernel)));
}

describe('snappy compression against snappyjs', () => {
  it('property: snappyjs decodes our blocks and we decode its blocks, byte-exact', () => {
    // Repetitive inputs exercise copies (short and long, 1- and 2-byte offsets).
    const repetitive = fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 3000 }))
      .map(([unit, k]) => {
        const out = new Uint8Array(unit.length * k);
        for (let i = 0; i < k; i++) out.set(unit, i * unit.length);
        return out;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }), repetitive), (b) => {
        const ours = snappyEncode(b);
        expect(same(SnappyJS.uncompress(ours), b)).toBe(true);
        expect(same(snappyDecode(ours), b)).toBe(true);
        expect(same(snappyDecode(SnappyJS.compress(b)), b)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('round trips across 64 KiB fragment edges, copies included', () => {
    for (const n of [65_535, 65_536, 65_537, 200_001]) {
      const b = Uint8Array.from({ length: n }, (_, i) =>
        i % 1000 < 500 ? i % 17 : (i * 2654435761) >>> 24,
      );
      const ours = snappyEncode(b);
      expect(same(SnappyJS.uncompress(ours), b)).toBe(true);
      expect(same(snappyDecode(ours), b)).toBe(true);
      expect(ours.length).toBeLessThan(n);
    }
  });

  it('a real remote-write payload compresses about as well as snappyjs', () => {
    const raw = remoteWritePayload(200);
    const ours = snappyEncode(raw);
    const theirs = SnappyJS.compress(raw);
    expect(same(SnappyJS.uncompress(ours), raw)).toBe(true);
    console.log(
      `remote-write payload ${raw.length} B → edgewatch ${ours.length} B, snappyjs ${theirs.length} B`,
    );
    expect(ours.length).toBeLessThan(raw.length / 4);
    expect(ours.length).toBeLessThanOrEqual(Math.ceil(theirs.length * 1.05));
  });

  it('incompressible input grows by at most the format bound', () => {
    const b = Uint8Array.from(
      { length: 100_000 },
      (_, i) => (Math.imul(i + 1, 2654435761) >>> 13) & 0xff,
    );
    const ours = snappyEncode(b);
    expect(ours.length).toBeLessThanOrEqual(32 + b.length + Math.ceil(b.length / 6));
    expect(same(snappyDecode(ours), b)).toBe(true);
  });
});
