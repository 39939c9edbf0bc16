/**
 * The fleet routes' request handling, apart from the HTTP plumbing in `routes.ts`:
 * reading a reference upload (`PUT /v1/models/{name}/{version}/reference`, body
 * `{ "profiles": { feature: base64 } }`, every profile decoded and checked) and the
 * fleet drift query (`GET /v1/fleet/drift?model&version&from&to&alpha&step`).
 */
import type { Kernel } from '../kernel/kernel.js';
import { encodeSketch } from '../kernel/sketch-format.js';
import { decodeProfile } from '../profile/profile-format.js';
import type { FeatureProfile } from '../profile/profile-types.js';
import { base64ToBytes } from '../window/base64.js';
import { WINDOW_LIMITS } from '../window/window-record.js';
import { fleetDrift, MAX_TIMELINE_STEPS, type FleetDriftReport } from './fleet-drift.js';
import { FleetProfiles } from './fleet-profiles.js';
import { HOUR_MS, hourOf, type HourlyAggregate } from './hourly.js';
import { HttpError, num } from './http-helpers.js';

/** Path of the reference route: `/v1/models/{name}/{version}/reference` (segments URL-encoded). */
export const REFERENCE_PATH = /^\/v1\/models\/([^/]+)\/([^/]+)\/reference$/;

function segment(raw: string, what: string): string {
  let v: string;
  try {
    v = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `expected a URL-encoded ${what}, got ${JSON.stringify(raw)}`);
  }
  if (v.length === 0 || v.length > WINDOW_LIMITS.maxStringLength)
    throw new HttpError(
      400,
      `expected ${what} of 1..${WINDOW_LIMITS.maxStringLength} chars, got ${v.length}`,
    );
  return v;
}

/**
 * The model name and version in a reference path.
 * @param path - the URL path.
 * @returns [name, version], or undefined when the path is not a reference path.
 * @throws HttpError 400 on a bad segment.
 */
export function referencePath(path: string): [string, string] | undefined {
  const m = REFERENCE_PATH.exec(path);
  if (!m) return undefined;
  return [segment(m[1]!, 'model name'), segment(m[2]!, 'model version')];
}

/**
 * Parses and checks a reference upload.
 * @param text - the request body.
 * @returns the raw profiles (to store) and the decoded ones.
 * @throws HttpError 400 (malformed JSON) or 422 (shape or a corrupt profile, with details).
 */
export function parseReferenceBody(text: string): {
  raw: Record<string, string>;
  profiles: Map<string, FeatureProfile>;
} {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${(e as Error).message}`);
  }
  const p = (body as { profiles?: unknown } | null)?.profiles;
  if (typeof p !== 'object' || p === null || Array.isArray(p))
    throw new HttpError(422, 'expected { "profiles": { feature: base64 profile } }');
  const entries = Object.entries(p as Record<string, unknown>);
  if (entries.length === 0 || entries.length > WINDOW_LIMITS.maxProfiles)
    throw new HttpError(
      422,
      `expected 1..${WINDOW_LIMITS.maxProfiles} profiles, got ${entries.length}`,
    );
  const details: string[] = [];
  const raw: Record<string, string> = {};
  const profiles = new Map<string, FeatureProfile>();
  for (const [feature, b64] of entries) {
    if (feature.length === 0 || feature.length > WINDOW_LIMITS.maxStringLength) {
      details.push(`profiles: expected feature names of 1..${WINDOW_LIMITS.maxStringLength} chars`);
      continue;
    }
    if (typeof b64 !== 'string' || b64.length > WINDOW_LIMITS.maxProfileChars) {
      details.push(
        `profiles.${feature}: expected base64 of at most ${WINDOW_LIMITS.maxProfileChars} chars`,
      );
      continue;
    }
    try {
      profiles.set(feature, decodeProfile(base64ToBytes(b64)));
      raw[feature] = b64;
    } catch (e) {
      details.push(`profiles.${feature}: ${(e as Error).message}`);
    }
  }
  if (details.length > 0)
    throw new HttpError(422, 'invalid reference profiles; nothing stored', details.slice(0, 100));
  return { raw, profiles };
}

/**
 * Answers a fleet drift query.
 * @param store - the fleet profiles.
 * @param params - the query string.
 * @param nowMs - now (default range: the last hour).
 * @returns the report.
 * @throws HttpError 400 on bad parameters, 404 when the model version has no reference.
 */
export function fleetDriftQuery(
  store: FleetProfiles,
  params: URLSearchParams,
  nowMs: number,
): FleetDriftReport {
  const model = params.get('model');
  const version = params.get('version');
  if (!model || !version) throw new HttpError(400, 'expected model and version query parameters');
  const to = num(params.get('to'), 'to') ?? nowMs + 1;
  const from = num(params.get('from'), 'from') ?? to - 3_600_000;
  if (!(from < to)) throw new HttpError(400, `expected from < to, got ${from} and ${to}`);
  const alpha = num(params.get('alpha'), 'alpha') ?? 0.01;
  if (!(alpha > 0 && alpha < 1)) throw new HttpError(400, `expected alpha in (0, 1), got ${alpha}`);
  let step = num(params.get('step'), 'step');
  if (step !== undefined) {
    if (!(step > 0)) throw new HttpError(400, `expected step > 0, got ${step}`);
    // steps are whole buckets, so no bucket counts in two steps
    step = Math.ceil(step / store.bucketMs) * store.bucketMs;
    if ((to - from) / step > MAX_TIMELINE_STEPS)
      throw new HttpError(
        400,
        `expected at most ${MAX_TIMELINE_STEPS} steps, got ${Math.ceil((to - from) / step)}`,
      );
  }
  const q = { model, version, from, to, alpha, ...(step === undefined ? {} : { step }) };
  const report = fleetDrift(store, q);
  if (!report)
    throw new HttpError(
      404,
      `no reference profiles for ${model} ${version}: PUT /v1/models/{name}/{version}/reference first`,
    );
  return report;
}

/**
 * The profiles that answer a fleet drift or timeline query. Ranges that reach
 * back past the retention, into hours with hourly aggregates, are answered at
 * hour resolution: the aggregates for the hours before the retention boundary
 * (the hour the cutoff falls in), and the in-memory buckets, merged into
 * hours, from there on. Windows past the cutoff not yet moved (the purge runs
 * every `purgeIntervalMs`, once a snapshot covers them) are not in the older part.
 *
 * @param live - the collector's fleet profiles.
 * @param params - the query string (`model`, `version`, `from`, `to`; defaults as the queries').
 * @param nowMs - now.
 * @param retentionMs - the retention (0: none).
 * @param hourlyRange - reads the stored hourly aggregates of a model version.
 * @returns `live`, or a store built for the query.
 */
export async function profilesForRange(
  live: FleetProfiles,
  params: URLSearchParams,
  nowMs: number,
  retentionMs: number,
  hourlyRange:
    | ((model: string, version: string, from: number, to: number) => Promise<HourlyAggregate[]>)
    | undefined,
): Promise<FleetProfiles> {
  const model = params.get('model');
  const version = params.get('version');
  if (retentionMs === 0 || !hourlyRange || !model || !version) return live;
  const to = num(params.get('to'), 'to') ?? nowMs + 1;
  const from = num(params.get('from'), 'from') ?? to - 3_600_000;
  const boundary = hourOf(nowMs - retentionMs);
  if (from >= boundary) return live;
  const old = await hourlyRange(model, version, from, Math.min(to, boundary));
  // Nothing moved out of the range yet: the in-memory buckets hold all there is.
  if (old.length === 0) return live;
  const store = new FleetProfiles({
    bucketMs: HOUR_MS,
    deviceBucketMs: HOUR_MS,
    maxBuckets: Number.MAX_SAFE_INTEGER,
    maxDeviceBuckets: Number.MAX_SAFE_INTEGER,
    maxDevices: Number.MAX_SAFE_INTEGER,
    maxFeatures: Number.MAX_SAFE_INTEGER,
  });
  const reference = live.reference(model, version);
  if (reference) store.setReference(model, version, reference);
  for (const a of old) store.ingestHourly(a);
  if (to > boundary) live.foldRangeInto(store, model, version, boundary, to);
  return store;
}

/** One time bucket of `GET /v1/fleet/timeline`. */
export interface TimelinePoint {
  start: number;
  windows: number;
  devices: number;
  alerts: Record<string, number>;
  /** Latency quantiles (ms) of the fleet-merged sketch; absent without latency. */
  latency?: { count: number; p50: number; p90: number; p99: number };
}

/**
 * Answers `GET /v1/fleet/timeline?model&version&from&to`: per time bucket, windows,
 * devices seen, alerts fired and fleet latency quantiles.
 * @param store - the fleet profiles.
 * @param kernel - for sketch quantiles.
 * @param params - the query string.
 * @param nowMs - now (default range: the last hour).
 * @returns the buckets.
 * @throws HttpError 400 on bad parameters.
 */
export function fleetTimelineQuery(
  store: FleetProfiles,
  kernel: Kernel,
  params: URLSearchParams,
  nowMs: number,
): { model: string; version: string; bucketMs: number; buckets: TimelinePoint[] } {
  const model = params.get('model');
  const version = params.get('version');
  if (!model || !version) throw new HttpError(400, 'expected model and version query parameters');
  const to = num(params.get('to'), 'to') ?? nowMs + 1;
  const from = num(params.get('from'), 'from') ?? to - 3_600_000;
  const qs = new Float64Array([0.5, 0.9, 0.99]);
  const buckets = store.timeline(model, version, from, to).map(([start, b]): TimelinePoint => {
    const point: TimelinePoint = {
      start,
      windows: b.windows,
      devices: b.devices.size,
      alerts: Object.fromEntries(b.alerts),
    };
    if (b.latency && b.latency.count > 0) {
      const h = kernel.sketchDeserialize(encodeSketch(b.latency));
      try {
        const q = kernel.sketchQuantiles(h, qs);
        point.latency = { count: b.latency.count, p50: q[0]!, p90: q[1]!, p99: q[2]! };
      } finally {
        kernel.sketchFree(h);
      }
    }
    return point;
  });
  return { model, version, bucketMs: store.bucketMs, buckets };
}
