import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { snappyDecode, snappyEncode } from '../../src/collector/snappy.js';
import { encodeWriteRequest, type TimeSeries } from '../../src/collector/protobuf.js';
import { DataError } from '../../src/errors.js';

/** Independent protobuf reader for the test (varint, fixed64, length-delimited). */
function readFields(
  b: Uint8Array,
): Array<{ field: number; wire: number; value: bigint | Uint8Array }> {
  const out: Array<{ field: number; wire: number; value: bigint | Uint8Array }> = [];
  let p = 0;
  const varint = (): bigint => {
    let x = 0n;
    let s = 0n;
    for (;;) {
      const c = b[p++]!;
      x |= BigInt(c & 0x7f) << s;
      s += 7n;
      if (c < 0x80) return x;
    }
  };
  while (p < b.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) {
      out.push({ field, wire, value: b.slice(p, p + 8) });
      p += 8;
    } else if (wire === 2) {
      const n = Number(varint());
      out.push({ field, wire, value: b.slice(p, p + n) });
      p += n;
    } else throw new Error(`wire ${wire}`);
  }
  return out;
}
const dec = new TextDecoder();
function decodeWriteRequest(b: Uint8Array): TimeSeries[] {
  return readFields(b).map((ts) => {
    expect(ts.field).toBe(1);
    const labels: Record<string, string> = {};
    const samples: TimeSeries['samples'] = [];
    const names: string[] = [];
    for (const f of readFields(ts.value as Uint8Array)) {
      const inner = readFields(f.value as Uint8Array);
      if (f.field === 1) {
        const name = dec.decode(inner.find((x) => x.field === 1)?.value as Uint8Array);
        labels[name] = dec.decode(
          (inner.find((x) => x.field === 2)?.value as Uint8Array) ?? new Uint8Array(),
        );
        names.push(name);
      } else {
        const v = inner.find((x) => x.field === 1)!.value as Uint8Array;
        const t = inner.find((x) => x.field === 2)?.value as bigint | undefined;
        samples.push({
          value: new DataView(v.buffer, v.byteOffset, 8).getFloat64(0, true),
          timestamp: Number(BigInt.asIntN(64, t ?? 0n)),
        });
      }
    }
    expect(names).toEqual([...names].sort());
    return { labels, samples };
  });
}

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
