import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { snappyDecode, snappyEncode } from '../../src/collector/snappy.js';
import { encodeWriteRequest } from '../../src/collector/protobuf.js';
import { decodeWriteRequest } from './decode-write-request.js';
import { DataError } from '../../src/errors.js';

const dec = new TextDecoder();

describe('snappy', () => {
  it('encodes literals as the format specifies', () => {
    expect(Array.from(snappyEncode(new TextEncoder().encode('abc')))).toEqual([
      3, 0x08, 97, 98, 99,
    ]);
  });
  it('decodes a block with a copy element (spec example)', () => {
    const block = Uint8Array.from([12, 0x0c, 97, 98, 99, 100, 0x11, 0x04]);
    expect(dec.decode(snappyDecode(block))).toBe('abcdabcdabcd');
  });
  it('property: round trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        expect(Buffer.from(snappyDecode(snappyEncode(b))).equals(Buffer.from(b))).toBe(true);
      }),
    );
  });
  it('round trips inputs longer than one 64 KiB literal', () => {
    for (const n of [65_535, 65_536, 65_537, 200_001]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
      expect(Buffer.from(snappyDecode(snappyEncode(b))).equals(Buffer.from(b))).toBe(true);
    }
  });
  it('rejects corrupt blocks with DataError', () => {
    expect(() => snappyDecode(Uint8Array.from([10, 0x08, 1]))).toThrow(DataError);
    expect(() => snappyDecode(Uint8Array.from([4, 0x11, 0x09]))).toThrow(DataError);
  });
});

describe('remote-write protobuf', () => {
  it('property: an independent decoder reads back labels (sorted) and samples', () => {
    const label = fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/);
    const series = fc.record({
      labels: fc.dictionary(label, fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 5 }),
      samples: fc.array(
        fc.record({
          value: fc.double({ noNaN: true }),
          timestamp: fc.integer({ min: -(2 ** 40), max: 2 ** 45 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(series, { maxLength: 6 }), (ts) => {
        const back = decodeWriteRequest(encodeWriteRequest(ts));
        expect(back).toEqual(
          ts.map((s) => ({
            labels: s.labels,
            samples: s.samples.map((x) => ({
              value: Object.is(x.value, -0) ? -0 : x.value,
              timestamp: x.timestamp,
            })),
          })),
        );
      }),
    );
  });
});
