/**
 * OTLP/HTTP protobuf encoding of an `ExportMetricsServiceRequest` given in the
 * OTLP/JSON shape (`toOtlpRequest`'s output), driven by the field table in
 * `otlp-schema.ts`: fields in field-number order, numeric repeated fields packed,
 * 64-bit integers from decimal strings, proto3 JSON doubles (`"NaN"`,
 * `"Infinity"`) as IEEE doubles. Pure TypeScript: runs in browsers and workers.
 */
import { ProtoWriter, zigzag } from '../util/proto-writer.js';
import { OTLP_METRICS_SCHEMA, type OtlpScalar } from './otlp-schema.js';

const enc = new TextEncoder();

function toBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  throw new TypeError(`expected an integer, got ${JSON.stringify(v)}`);
}

function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

const WIRE: Record<OtlpScalar, number> = {
  string: 2,
  bytes: 2,
  bool: 0,
  uint32: 0,
  int64: 0,
  uint64: 0,
  sint32: 0,
  fixed64: 1,
  sfixed64: 1,
  double: 1,
  enum: 0,
};

function scalarValue(out: ProtoWriter, type: OtlpScalar, v: unknown): void {
  switch (type) {
    case 'double':
      return out.fixed64(toDouble(v), true);
    case 'fixed64':
    case 'sfixed64':
      return out.fixed64(toBig(v), false);
    case 'bool':
      return out.varint(v ? 1n : 0n);
    case 'sint32': {
      return out.varint(zigzag(toBig(v)));
    }
    case 'string':
    case 'bytes': {
      const b =
        type === 'string'
          ? enc.encode(String(v))
          : Uint8Array.from(atob(String(v)), (c) => c.charCodeAt(0));
      out.varint(BigInt(b.length));
      return out.raw(b);
    }
    default:
      return out.varint(toBig(v));
  }
}

function message(json: Record<string, unknown>, name: string): Uint8Array {
  const out = new ProtoWriter();
  const fields = OTLP_METRICS_SCHEMA[name] ?? {};
  for (const no of Object.keys(fields)
    .map(Number)
    .sort((a, b) => a - b)) {
    const [key, type, repeated] = fields[no]!;
    const v = json[key];
    if (v === undefined || v === null) continue;
    const list = repeated ? (v as unknown[]) : [v];
    if (type in OTLP_METRICS_SCHEMA) {
      for (const item of list) {
        const b = message(item as Record<string, unknown>, type);
        out.varint(BigInt((no << 3) | 2));
        out.varint(BigInt(b.length));
        out.raw(b);
      }
      continue;
    }
    const t = type as OtlpScalar;
    if (repeated && WIRE[t] !== 2) {
      if (list.length === 0) continue;
      const inner = new ProtoWriter();
      for (const item of list) scalarValue(inner, t, item);
      const b = inner.finish();
      out.varint(BigInt((no << 3) | 2));
      out.varint(BigInt(b.length));
      out.raw(b);
      continue;
    }
    for (const item of list) {
      out.varint(BigInt((no << 3) | WIRE[t]));
      scalarValue(out, t, item);
    }
  }
  return out.finish();
}

/**
 * Encodes an OTLP/JSON `ExportMetricsServiceRequest` as protobuf.
 *
 * @param request - e.g. `toOtlpRequest`'s result.
 * @returns the protobuf bytes for `Content-Type: application/x-protobuf`.
 * @example
 * const body = encodeOtlpMetricsRequest(toOtlpRequest(await registry.getMetricsAsJSON()));
 */
export function encodeOtlpMetricsRequest(request: Record<string, unknown>): Uint8Array {
  return message(request, 'ExportMetricsServiceRequest');
}
