/**
 * OTLP/HTTP metrics in (`POST /v1/metrics`): an `ExportMetricsServiceRequest`
 * (JSON, or protobuf decoded by `otlp-proto.ts` into the same shape) becomes one
 * window per resource, so that any OpenTelemetry SDK feeds `/metrics`, the
 * fleet aggregate and the store like an edgewatch device.
 *
 * - Resource → window identity: `service.name` → model name, `service.version`
 *   → model version, `device.id` (else `service.instance.id`, else `host.name`)
 *   → device; `unknown` where absent.
 * - Series key: the metric name, plus `{k="v",…}` of the point's attributes.
 * - Gauges and cumulative or non-monotonic sums → `performance` (latest value).
 * - Delta monotonic sums → `counters` (added up window by window).
 * - Delta exponential histograms → `sketches` (scale above 10 merged down to 10;
 *   min/max from the bucket bounds when absent).
 * - What would be a wrong number if stored is counted in the window's `drops`
 *   instead, by reason: cumulative exponential histograms (merging them would
 *   count every value again at each export: export with delta temporality),
 *   explicit-bucket histograms and summaries (no exact sketch), scales below −4,
 *   histograms without a sum, series beyond the window caps.
 *
 * The window id is a hash of the window's content, so an export retried with the
 * same body is a duplicate. Malformed input is a {@link OtlpError} (answered 400).
 */
import { createHash } from 'node:crypto';
import { encodeSketch } from '../kernel/sketch-format.js';
import { MAX_SCALE, MIN_SCALE } from '../kernel/kernel.js';
import { bytesToBase64 } from '../window/base64.js';
import {
  WINDOW_LIMITS,
  WINDOW_SCHEMA_VERSION,
  type WindowRecord,
} from '../window/window-record.js';

/** A malformed OTLP request; the message says what was expected where. */
export class OtlpError extends Error {}

type Json = Record<string, unknown>;

const TEMPORALITY_DELTA = 1;
const TEMPORALITY_CUMULATIVE = 2;

function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new OtlpError(`${where}: expected an object`);
  return v as Json;
}

function arr(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpError(`${where}: expected an array`);
  return v;
}

/** A proto3-JSON 64-bit integer (number or decimal string). */
function u64(v: unknown, where: string, optional = false): number {
  if (v === undefined || v === null) {
    if (optional) return 0;
    throw new OtlpError(`${where}: expected an unsigned integer, got none`);
  }
  const x = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0)
    throw new OtlpError(`${where}: expected an unsigned integer, got ${JSON.stringify(v)}`);
  return x;
}

/** A proto3-JSON double (number, or "NaN"/"Infinity"/"-Infinity"), which must be finite here. */
function finite(v: unknown, where: string): number {
  const x = typeof v === 'string' && /^-?\d/.test(v) ? Number(v) : v;
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new OtlpError(`${where}: expected a finite number, got ${JSON.stringify(v)}`);
  return x;
}

/** Nanoseconds (string or number) → epoch ms. */
function nanosToMs(v: unknown, where: string): number {
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(BigInt(v) / 1_000_000n);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.floor(v / 1e6);
  throw new OtlpError(`${where}: expected nanoseconds since the epoch, got ${JSON.stringify(v)}`);
}

function anyValue(v: unknown, where: string): string {
  const a = obj(v ?? {}, where);
  if (typeof a.stringValue === 'string') return a.stringValue;
  if (typeof a.boolValue === 'boolean') return String(a.boolValue);
  if (a.intValue !== undefined) return String(a.intValue);
  if (a.doubleValue !== undefined) return String(a.doubleValue);
  return JSON.stringify(a.arrayValue ?? a.kvlistValue ?? a.bytesValue ?? '');
}

function attributes(v: unknown, where: string): Array<[string, string]> {
  return arr(v, where).map((kv, i) => {
    const o = obj(kv, `${where}[${i}]`);
    if (typeof o.key !== 'string') throw new OtlpError(`${where}[${i}].key: expected a string`);
    return [o.key, anyValue(o.value, `${where}[${i}].value`)];
  });
}

function seriesKey(name: string, attrs: Array<[string, string]>): string {
  if (attrs.length === 0) return name;
  const sorted = [...attrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${name}{${sorted.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

function clip(s: string | undefined, fallback: string): string {
  const t = (s ?? '').slice(0, WINDOW_LIMITS.maxStringLength);
  return t.length > 0 ? t : fallback;
}

/** Bounds of bucket `i` at `scale`: (2^(i·2^-scale), 2^((i+1)·2^-scale)]. */
function bucketBounds(i: number, scale: number): [number, number] {
  const w = 2 ** -scale;
  return [2 ** (i * w), 2 ** ((i + 1) * w)];
}

interface SideIn {
  offset: number;
  counts: number[];
}

function side(v: unknown, where: string, shift: number): SideIn {
  if (v === undefined || v === null) return { offset: 0, counts: [] };
  const o = obj(v, where);
  const offset = o.offset === undefined ? 0 : Number(o.offset);
  if (!Number.isSafeInteger(offset)) throw new OtlpError(`${where}.offset: expected an integer`);
  const raw = arr(o.bucketCounts, `${where}.bucketCounts`).map((c, i) =>
    u64(c, `${where}.bucketCounts[${i}]`),
  );
  if (shift === 0 || raw.length === 0) return { offset, counts: raw };
  // Merge 2^shift neighbours: bucket i at the finer scale lies in bucket i >> shift.
  const first = Math.floor(offset / 2 ** shift);
  const last = Math.floor((offset + raw.length - 1) / 2 ** shift);
  const counts = new Array<number>(last - first + 1).fill(0);
  raw.forEach((c, j) => {
    const k = Math.floor((offset + j) / 2 ** shift) - first;
    counts[k] = (counts[k] as number) + c;
  });
  return { offset: first, counts };
}

/** An exponential histogram point as sketch bytes, or a drop reason. */
function sketchFromPoint(p: Json, where: string): Uint8Array | string {
  const scaleIn = Number(p.scale ?? 0);
  if (!Number.isInteger(scaleIn) || scaleIn < -10 || scaleIn > 20)
    throw new OtlpError(
      `${where}.scale: expected an integer in [-10, 20], got ${JSON.stringify(p.scale)}`,
    );
  if (scaleIn < MIN_SCALE) return 'otlp_scale';
  const scale = Math.min(scaleIn, MAX_SCALE);
  const shift = scaleIn - scale;
  const count = u64(p.count, `${where}.count`, true);
  const zeroCount = u64(p.zeroCount, `${where}.zeroCount`, true);
  const positive = side(p.positive, `${where}.positive`, shift);
  const negative = side(p.negative, `${where}.negative`, shift);
  const total =
    zeroCount +
    positive.counts.reduce((a, b) => a + b, 0) +
    negative.counts.reduce((a, b) => a + b, 0);
  if (total !== count)
    throw new OtlpError(
      `${where}: expected count = zeroCount + bucket counts = ${total}, got ${count}`,
    );
  if (count > 0 && p.sum === undefined) return 'otlp_no_sum';
  const sum = count === 0 ? 0 : finite(p.sum, `${where}.sum`);
  let min = Infinity;
  let max = -Infinity;
  if (count > 0) {
    const lowest = (): number => {
      const nz =
        negative.counts.length - 1 - [...negative.counts].reverse().findIndex((c) => c > 0);
      if (negative.counts.some((c) => c > 0)) return -bucketBounds(negative.offset + nz, scale)[1];
      if (zeroCount > 0) return 0;
      return bucketBounds(positive.offset + positive.counts.findIndex((c) => c > 0), scale)[0];
    };
    const highest = (): number => {
      if (positive.counts.some((c) => c > 0)) {
        const nz =
          positive.counts.length - 1 - [...positive.counts].reverse().findIndex((c) => c > 0);
        return bucketBounds(positive.offset + nz, scale)[1];
      }
      if (zeroCount > 0) return 0;
      return -bucketBounds(negative.offset + negative.counts.findIndex((c) => c > 0), scale)[0];
    };
    min = p.min !== undefined ? finite(p.min, `${where}.min`) : lowest();
    max = p.max !== undefined ? finite(p.max, `${where}.max`) : highest();
    if (!(min <= max)) throw new OtlpError(`${where}: expected min <= max, got ${min} > ${max}`);
  }
  try {
    return encodeSketch({
      scale,
      count,
      sum,
      min,
      max,
      zeroCount,
      positive: { offset: positive.offset, counts: Float64Array.from(positive.counts) },
      negative: { offset: negative.offset, counts: Float64Array.from(negative.counts) },
    });
  } catch (e) {
    throw new OtlpError(`${where}: ${(e as Error).message}`);
  }
}

function windowId(rec: Omit<WindowRecord, 'windowId'>): string {
  const h = createHash('sha256').update(JSON.stringify(rec)).digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Maps an `ExportMetricsServiceRequest` (OTLP/JSON shape) to windows.
 *
 * @param body - the parsed request.
 * @returns one window per resource with at least one data point, and the number of points read.
 * @throws OtlpError on malformed input (the whole request is refused).
 */
export function otlpToWindows(body: unknown): { windows: WindowRecord[]; points: number } {
  const req = obj(body, 'request');
  const windows: WindowRecord[] = [];
  let points = 0;
  arr(req.resourceMetrics, 'resourceMetrics').forEach((rmv, r) => {
    const rw = `resourceMetrics[${r}]`;
    const rm = obj(rmv, rw);
    const res = Object.fromEntries(
      attributes(
        rm.resource ? obj(rm.resource, `${rw}.resource`).attributes : [],
        `${rw}.resource.attributes`,
      ),
    );
    const counters: Record<string, number> = {};
    const performance: Record<string, number> = {};
    const sketches: Record<string, string> = {};
    const drops: Record<string, number> = {};
    const drop = (reason: string): void => void (drops[reason] = (drops[reason] ?? 0) + 1);
    let start = Infinity;
    let end = 0;
    let n = 0;
    arr(rm.scopeMetrics, `${rw}.scopeMetrics`).forEach((smv, s) => {
      const sw = `${rw}.scopeMetrics[${s}]`;
      arr(obj(smv, sw).metrics, `${sw}.metrics`).forEach((mv, mi) => {
        const mw = `${sw}.metrics[${mi}]`;
        const m = obj(mv, mw);
        if (typeof m.name !== 'string' || m.name.length === 0)
          throw new OtlpError(`${mw}.name: expected a non-empty string`);
        const kinds = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'].filter(
          (k) => m[k] !== undefined && m[k] !== null,
        );
        if (kinds.length !== 1)
          throw new OtlpError(
            `${mw}: expected exactly one of gauge, sum, histogram, exponentialHistogram, summary, got ${kinds.length}`,
          );
        const kind = kinds[0] as string;
        const data = obj(m[kind], `${mw}.${kind}`);
        const temporality = Number(data.aggregationTemporality ?? 0);
        if (
          kind !== 'gauge' &&
          kind !== 'summary' &&
          temporality !== TEMPORALITY_DELTA &&
          temporality !== TEMPORALITY_CUMULATIVE
        )
          throw new OtlpError(
            `${mw}.${kind}.aggregationTemporality: expected 1 (delta) or 2 (cumulative)`,
          );
        arr(data.dataPoints, `${mw}.${kind}.dataPoints`).forEach((pv, pi) => {
          const pw = `${mw}.${kind}.dataPoints[${pi}]`;
          const p = obj(pv, pw);
          const t = nanosToMs(p.timeUnixNano, `${pw}.timeUnixNano`);
          const t0 =
            p.startTimeUnixNano !== undefined
              ? nanosToMs(p.startTimeUnixNano, `${pw}.startTimeUnixNano`)
              : t;
          start = Math.min(start, t0, t);
          end = Math.max(end, t);
          n++;
          const key = seriesKey(
            m.name as string,
            attributes(p.attributes, `${pw}.attributes`),
          ).slice(0, WINDOW_LIMITS.maxStringLength);
          if (kind === 'gauge' || kind === 'sum') {
            const v = finite(p.asDouble ?? p.asInt, `${pw}.asDouble`);
            if (kind === 'sum' && temporality === TEMPORALITY_DELTA && data.isMonotonic === true) {
              if (v < 0) throw new OtlpError(`${pw}: expected a monotonic delta >= 0, got ${v}`);
              if (!(key in counters) && Object.keys(counters).length >= WINDOW_LIMITS.maxCounters)
                return drop('otlp_over_cap');
              counters[key] = (counters[key] ?? 0) + v;
            } else {
              if (
                !(key in performance) &&
                Object.keys(performance).length >= WINDOW_LIMITS.maxCounters
              )
                return drop('otlp_over_cap');
              performance[key] = v;
            }
            return undefined;
          }
          if (kind === 'exponentialHistogram') {
            if (temporality !== TEMPORALITY_DELTA) return drop('otlp_cumulative_histogram');
            const b = sketchFromPoint(p, pw);
            if (typeof b === 'string') return drop(b);
            if (!(key in sketches) && Object.keys(sketches).length >= WINDOW_LIMITS.maxSketches)
              return drop('otlp_over_cap');
            sketches[key] = bytesToBase64(b);
            return undefined;
          }
          return drop(kind === 'histogram' ? 'otlp_explicit_histogram' : 'otlp_summary');
        });
      });
    });
    points += n;
    if (n === 0) return;
    const rec: Omit<WindowRecord, 'windowId'> = {
      schemaVersion: WINDOW_SCHEMA_VERSION,
      deviceId: clip(res['device.id'] ?? res['service.instance.id'] ?? res['host.name'], 'unknown'),
      model: {
        name: clip(res['service.name'], 'unknown_service'),
        version: clip(res['service.version'], 'unknown'),
      },
      start: Math.min(start, end),
      end,
      sketches,
      counters,
      performance,
      drift: [],
      alerts: [],
      drops,
    };
    windows.push({ windowId: windowId(rec), ...rec });
  });
  return { windows, points };
}
