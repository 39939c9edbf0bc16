/** Independent remote-write decoding for tests (not the code under test). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { TimeSeries } from '../../src/collector/protobuf.js';
import { snappyDecode } from '../../src/collector/snappy.js';

/** Independent protobuf reader for the test (varint, fixed64, length-delimited). */
const dec = new TextDecoder();

/** The varint at `p` of `b`, and the offset after it. */
function readVarint(b: Uint8Array, p: number): [bigint, number] {
  let x = 0n;
  let s = 0n;
  for (;;) {
    const c = b[p++]!;
    x |= BigInt(c & 0x7f) << s;
    s += 7n;
    if (c < 0x80) return [x, p];
  }
}

function readFields(
  b: Uint8Array,
): Array<{ field: number; wire: number; value: bigint | Uint8Array }> {
  const out: Array<{ field: number; wire: number; value: bigint | Uint8Array }> = [];
  let p = 0;
  const varint = (): bigint => {
    const [x, next] = readVarint(b, p);
    p = next;
    return x;
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
      } else if (f.field === 4) {
        continue; // native histograms: see decodeHistograms
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

/** A decoded native histogram: Prometheus bucket index → count per side. */
export interface DecodedHistogram {
  labels: Record<string, string>;
  count: number;
  sum: number;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  resetHint: number;
  timestamp: number;
  positive: Map<number, number>;
  negative: Map<number, number>;
}

const unzigzag = (x: bigint): number => Number((x >> 1n) ^ -(x & 1n));
const f64 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);

/** Packed varints of a length-delimited field. */
function packed(b: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let p = 0;
  while (p < b.length) {
    const [x, next] = readVarint(b, p);
    out.push(x);
    p = next;
  }
  return out;
}

/** Spans + deltas (prompb semantics) → absolute counts by bucket index. */
function side(spans: Uint8Array[], deltas: bigint[]): Map<number, number> {
  const out = new Map<number, number>();
  let idx = 0;
  let k = 0;
  let count = 0;
  spans.forEach((sp, n) => {
    const f = readFields(sp);
    const offset = unzigzag((f.find((x) => x.field === 1)?.value as bigint) ?? 0n);
    const length = Number((f.find((x) => x.field === 2)?.value as bigint) ?? 0n);
    idx = n === 0 ? offset : idx + offset;
    for (let j = 0; j < length; j++, idx++) {
      count += unzigzag(deltas[k++]!);
      if (count !== 0) out.set(idx, count);
    }
  });
  expect(k).toBe(deltas.length);
  return out;
}

/** Decodes the native histograms of a `WriteRequest` (independently of the encoder). */
export function decodeHistograms(b: Uint8Array): DecodedHistogram[] {
  const out: DecodedHistogram[] = [];
  for (const ts of readFields(b)) {
    const fields = readFields(ts.value as Uint8Array);
    const labels: Record<string, string> = {};
    for (const f of fields.filter((x) => x.field === 1)) {
      const inner = readFields(f.value as Uint8Array);
      labels[dec.decode(inner.find((x) => x.field === 1)?.value as Uint8Array)] = dec.decode(
        (inner.find((x) => x.field === 2)?.value as Uint8Array) ?? new Uint8Array(),
      );
    }
    for (const h of fields.filter((x) => x.field === 4)) {
      const hf = readFields(h.value as Uint8Array);
      const get = (n: number) => hf.find((x) => x.field === n)?.value;
      const all = (n: number) => hf.filter((x) => x.field === n).map((x) => x.value as Uint8Array);
      const deltas = (n: number) => all(n).flatMap(packed);
      out.push({
        labels,
        count: Number((get(1) as bigint) ?? 0n),
        sum: f64(get(3) as Uint8Array),
        schema: unzigzag((get(4) as bigint) ?? 0n),
        zeroThreshold: f64(get(5) as Uint8Array),
        zeroCount: Number((get(6) as bigint) ?? 0n),
        negative: side(all(8), deltas(9)),
        positive: side(all(11), deltas(12)),
        resetHint: Number((get(14) as bigint) ?? 0n),
        timestamp: Number(BigInt.asIntN(64, (get(15) as bigint) ?? 0n)),
      });
    }
  }
  return out;
}

/** One remote-write sample as comparable text (labels sorted by name). */
export function sampleKey(labels: Record<string, string>, samples: unknown): string {
  return JSON.stringify([Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)), samples]);
}

/**
 * A remote-write receiver on 127.0.0.1: answers every request with `status`
 * (a 3xx with a redirect) and, for a 2xx, hands each decoded series to
 * `onSeries`. `url` is its write endpoint.
 */
export async function startWriteSink(
  onSeries: (ts: TimeSeries) => void,
  status = 204,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (status >= 200 && status < 300)
        for (const ts of decodeWriteRequest(snappyDecode(new Uint8Array(Buffer.concat(chunks)))))
          onSeries(ts);
      res.writeHead(status, status >= 300 && status < 400 ? { location: '/elsewhere' } : {});
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write` };
}
