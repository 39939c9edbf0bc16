/**
 * OTLP protobuf for `POST /v1/metrics`: a decoder of `ExportMetricsServiceRequest`
 * (opentelemetry-proto `collector/metrics/v1`, `metrics/v1`, `common/v1`,
 * `resource/v1`) into the OTLP/JSON shape (lowerCamelCase names, 64-bit
 * integers as decimal strings), so one mapping (`otlp-ingest.ts`) serves both
 * encodings; and the encoders of the two response messages. Driven by a table of
 * the fields used; unknown fields are skipped as protobuf requires, exemplars
 * are not read. Every length is checked against the bytes left and nesting is
 * bounded, so corrupt input is an {@link OtlpError}, never a crash.
 */
import { OtlpError } from './otlp-ingest.js';
import {
  OTLP_METRICS_SCHEMA as SCHEMA,
  type OtlpField as Field,
  type OtlpScalar as Scalar,
} from '../export/otlp-schema.js';

/** Deepest message nesting read (AnyValue arrays may nest). */
const MAX_DEPTH = 32;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  pos: number;
  constructor(
    readonly b: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }
  varint(): bigint {
    let x = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OtlpError('protobuf: truncated varint');
      const c = this.b[this.pos++] as number;
      x |= BigInt(c & 0x7f) << shift;
      if (c < 0x80) return BigInt.asUintN(64, x);
      shift += 7n;
    }
    throw new OtlpError('protobuf: varint longer than 10 bytes');
  }
  fixed(n: 4 | 8): DataView {
    if (this.pos + n > this.end) throw new OtlpError('protobuf: truncated fixed-width field');
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.pos, n);
    this.pos += n;
    return v;
  }
  bytes(): [number, number] {
    const n = this.varint();
    if (n > BigInt(this.end - this.pos)) throw new OtlpError('protobuf: length beyond the message');
    const start = this.pos;
    this.pos += Number(n);
    return [start, this.pos];
  }
}

function scalar(r: Reader, type: Scalar, wire: number): unknown {
  switch (type) {
    case 'double':
      if (wire !== 1) break;
      return r.fixed(8).getFloat64(0, true);
    case 'fixed64':
      if (wire !== 1) break;
      return r.fixed(8).getBigUint64(0, true).toString();
    case 'sfixed64':
      if (wire !== 1) break;
      return r.fixed(8).getBigInt64(0, true).toString();
    case 'string':
    case 'bytes': {
      if (wire !== 2) break;
      const [s, e] = r.bytes();
      if (type === 'bytes') return Buffer.from(r.b.subarray(s, e)).toString('base64');
      try {
        return utf8.decode(r.b.subarray(s, e));
      } catch {
        throw new OtlpError('protobuf: a string is not valid UTF-8');
      }
    }
    default: {
      if (wire !== 0) break;
      const v = r.varint();
      if (type === 'bool') return v !== 0n;
      if (type === 'uint64') return v.toString();
      if (type === 'int64') return BigInt.asIntN(64, v).toString();
      if (type === 'sint32') return Number((v >> 1n) ^ -(v & 1n));
      return Number(BigInt.asIntN(32, v)); // uint32, enum
    }
  }
  throw new OtlpError(`protobuf: wire type ${wire} for a ${type} field`);
}

function skip(r: Reader, wire: number): void {
  if (wire === 0) r.varint();
  else if (wire === 1) r.fixed(8);
  else if (wire === 2) r.bytes();
  else if (wire === 5) r.fixed(4);
  else throw new OtlpError(`protobuf: unsupported wire type ${wire}`);
}

function message(
  b: Uint8Array,
  start: number,
  end: number,
  name: string,
  depth: number,
): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new OtlpError(`protobuf: nested deeper than ${MAX_DEPTH}`);
  const fields = SCHEMA[name] as Record<number, Field>;
  const out: Record<string, unknown> = {};
  const r = new Reader(b, start, end);
  while (r.pos < end) {
    const tag = r.varint();
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (no === 0) throw new OtlpError('protobuf: field number 0');
    const f = fields[no];
    if (!f) {
      skip(r, wire);
      continue;
    }
    const [key, type, repeated] = f;
    const values: unknown[] = [];
    if (type in SCHEMA) {
      if (wire !== 2) throw new OtlpError(`protobuf: wire type ${wire} for message ${type}`);
      const [s, e] = r.bytes();
      values.push(message(b, s, e, type, depth + 1));
    } else if (repeated && wire === 2 && type !== 'string' && type !== 'bytes') {
      const [s, e] = r.bytes(); // packed
      const inner = new Reader(b, s, e);
      const w = type === 'double' || type === 'fixed64' || type === 'sfixed64' ? 1 : 0;
      while (inner.pos < e) values.push(scalar(inner, type as Scalar, w));
    } else values.push(scalar(r, type as Scalar, wire));
    if (repeated) ((out[key] ??= []) as unknown[]).push(...values);
    else out[key] = values[values.length - 1];
  }
  return out;
}

/**
 * Decodes an `ExportMetricsServiceRequest`.
 *
 * @param bytes - the request body.
 * @returns the request in the OTLP/JSON shape.
 * @throws OtlpError on corrupt protobuf.
 */
export function decodeOtlpMetricsRequest(bytes: Uint8Array): Record<string, unknown> {
  return message(bytes, 0, bytes.length, 'ExportMetricsServiceRequest', 0);
}

function varintBytes(v: number): number[] {
  const out: number[] = [];
  let x = v;
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x = Math.floor(x / 128);
  }
  out.push(x);
  return out;
}

function lenField(no: number, payload: Uint8Array): number[] {
  return [(no << 3) | 2, ...varintBytes(payload.length), ...payload];
}

/**
 * `ExportMetricsServiceResponse`, with `partial_success` when points were rejected.
 *
 * @param rejected - data points not stored.
 * @param message - why.
 * @returns the protobuf bytes (empty for full success).
 */
export function encodeOtlpMetricsResponse(rejected: number, message: string): Uint8Array {
  if (rejected === 0) return new Uint8Array(0);
  const partial = [
    0x08,
    ...varintBytes(rejected),
    ...lenField(2, new TextEncoder().encode(message)),
  ];
  return Uint8Array.from(lenField(1, Uint8Array.from(partial)));
}

/**
 * A `google.rpc.Status` (the body of an OTLP/HTTP protobuf error answer).
 *
 * @param code - gRPC code (3 = INVALID_ARGUMENT).
 * @param message - the reason.
 * @returns the protobuf bytes.
 */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return Uint8Array.from([
    0x08,
    ...varintBytes(code),
    ...lenField(2, new TextEncoder().encode(message)),
  ]);
}
