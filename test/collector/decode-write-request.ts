/** Independent remote-write decoding for tests (not the code under test). */
import { expect } from 'vitest';
import type { TimeSeries } from '../../src/collector/protobuf.js';

/** Independent protobuf reader for the test (varint, fixed64, length-delimited). */
const dec = new TextDecoder();
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
/** Decodes a remote-write `WriteRequest` (labels must come sorted). */
export function decodeWriteRequest(b: Uint8Array): TimeSeries[] {
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
