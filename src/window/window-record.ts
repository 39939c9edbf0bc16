/**
 * The `WindowRecord`: what a device sends to the backend for one closed window.
 * Only summaries by default — serialized sketches, drift results, performance
 * metrics, alerts and drop counters. Raw values appear only in `predictions`,
 * and only when the user turns the prediction log's flushing on.
 *
 * This file is the wire contract shared by the device (storage, transport) and
 * the collector; it has no imports beyond errors so both sides can use it.
 */

/** Current schema version. A collector accepts versions up to this one. */
export const WINDOW_SCHEMA_VERSION = 1;

/** Alert severities carried in a window (same strings as `AlertSeverity`). */
export type WindowAlertSeverity = 'info' | 'warning' | 'critical';

/** One drift result summarized for the wire. */
export interface WindowDrift {
  /** Feature (column) name; `'value'` for a single unnamed feature; `'prediction'` for output drift. */
  feature: string;
  /**
   * What was tested: an input feature (the default when absent), the model's output, the
   * numeric features together (`'multivariate'`) or a vector column (`'embedding'`).
   */
  source?: 'feature' | 'output' | 'multivariate' | 'embedding';
  /** The drift test or distance used (e.g. `'ks'`, `'psi'`). */
  method: string;
  /** The test statistic or distance. */
  statistic: number;
  /** p-value, for hypothesis tests only. */
  pValue?: number;
  /** What the statistic (distances) or p-value (tests) was held against. */
  threshold: number;
  /** Whether the feature drifted in this window. */
  isDrift: boolean;
}

/** One alert fired during the window. */
export interface WindowAlert {
  /** The alert rule's name. */
  name: string;
  /** The rule's severity. */
  severity: WindowAlertSeverity;
  /** Epoch ms. */
  firedAt: number;
}

/** One prediction from the optional prediction log (raw data: off by default). */
export interface PredictionEntry {
  /** Epoch ms. */
  ts: number;
  /** Inputs summary (caller-chosen, small). */
  inputs?: unknown;
  /** The model's output (prediction). */
  output?: unknown;
  /** The ground-truth label, when known. */
  label?: unknown;
  /** Inference latency in milliseconds. */
  latencyMs?: number;
}

/** A closed window, as stored in the outbox and posted to the collector. */
export interface WindowRecord {
  /** Wire schema version of this record (currently 1; a collector accepts versions up to its own). */
  schemaVersion: number;
  /** UUID; the idempotency key of the window everywhere. */
  windowId: string;
  /** The sending device's id (non-empty, at most 256 chars). */
  deviceId: string;
  /** The monitored model. */
  model: {
    /** Model name. */
    name: string;
    /** Model version. */
    version: string;
  };
  /** Window start, epoch ms. */
  start: number;
  /** Window end, epoch ms (`end >= start`). */
  end: number;
  /** Sketch name -> base64 of the kernel's `sketchSerialize` bytes. */
  sketches: Record<string, string>;
  /** Counters accumulated in the window (e.g. `predictions`). */
  counters: Record<string, number>;
  /** Performance metrics at window close (`accuracy`, `mae`, …). */
  performance: Record<string, number>;
  /** Drift results computed at window close (at most 1024). */
  drift: WindowDrift[];
  /** Alerts fired during the window (at most 1024). */
  alerts: WindowAlert[];
  /** Values dropped on the device in this window, by reason. */
  drops: Record<string, number>;
  /** Raw predictions; present only when the prediction log is flushed. */
  predictions?: PredictionEntry[];
  /**
   * Feature profiles of the window (opt-in per feature): feature name -> base64 of the
   * profile byte form (`encodeProfile`; docs/fleet.md). Summaries only, no raw values.
   */
  profiles?: Record<string, string>;
}

/** Bounds the collector enforces (and the device should respect). */
export const WINDOW_LIMITS = {
  maxStringLength: 256,
  maxSketches: 64,
  maxCounters: 256,
  maxDrift: 1024,
  maxAlerts: 1024,
  maxPredictions: 10_000,
  maxProfiles: 64,
  /** Longest base64 text of one profile (48 KiB of bytes). */
  maxProfileChars: 65_536,
} as const;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const SEVERITIES = new Set(['info', 'warning', 'critical']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkName(v: unknown, path: string, errors: string[]): void {
  if (typeof v !== 'string' || v.length === 0 || v.length > WINDOW_LIMITS.maxStringLength) {
    errors.push(
      `${path}: expected a non-empty string of at most ${WINDOW_LIMITS.maxStringLength} chars`,
    );
  }
}

/** Fields a window and its parts may carry; anything else is refused (strict schema). */
const RECORD_KEYS = new Set([
  'schemaVersion',
  'windowId',
  'deviceId',
  'model',
  'start',
  'end',
  'sketches',
  'counters',
  'performance',
  'drift',
  'alerts',
  'drops',
  'predictions',
  'profiles',
]);
const MODEL_KEYS = new Set(['name', 'version']);
const DRIFT_KEYS = new Set([
  'feature',
  'method',
  'statistic',
  'pValue',
  'threshold',
  'isDrift',
  'source',
]);
const DRIFT_SOURCES = new Set(['feature', 'output', 'multivariate', 'embedding']);
const ALERT_KEYS = new Set(['name', 'severity', 'firedAt']);
const PREDICTION_KEYS = new Set(['ts', 'inputs', 'output', 'label', 'latencyMs']);

function checkKeys(
  v: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string,
  errors: string[],
): void {
  for (const k of Object.keys(v)) {
    if (!allowed.has(k)) errors.push(`${path}${JSON.stringify(k).slice(0, 60)}: unknown field`);
  }
}

/**
 * An array of at most `max` objects with only `keys`: each element that is an
 * object goes to `check` with its path (`drift[3]`); anything else is an error.
 */
function checkObjectArray(
  v: unknown,
  path: string,
  max: number,
  keys: ReadonlySet<string>,
  errors: string[],
  check: (item: Record<string, unknown>, at: string) => void,
): void {
  if (!Array.isArray(v) || v.length > max) {
    errors.push(`${path}: expected an array`);
    return;
  }
  v.forEach((item: unknown, i: number) => {
    const at = `${path}[${i}]`;
    if (!isObject(item)) return errors.push(`${at}: expected an object`);
    checkKeys(item, keys, `${at}.`, errors);
    check(item, at);
    return undefined;
  });
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function checkNumberMap(
  v: unknown,
  path: string,
  max: number,
  errors: string[],
  nonNegative: boolean,
): void {
  if (!isObject(v)) {
    errors.push(`${path}: expected an object of numbers`);
    return;
  }
  const keys = Object.keys(v);
  if (keys.length > max)
    errors.push(`${path}: expected at most ${max} entries, got ${keys.length}`);
  for (const k of keys) {
    const x = v[k];
    if (k.length === 0 || k.length > WINDOW_LIMITS.maxStringLength) errors.push(`${path}: bad key`);
    if (!isFiniteNumber(x) || (nonNegative && x < 0)) {
      errors.push(`${path}.${k}: expected a finite number${nonNegative ? ' >= 0' : ''}`);
    }
  }
}

function checkProfiles(v: unknown, errors: string[]): void {
  if (!isObject(v)) {
    errors.push('profiles: expected an object of base64 strings');
    return;
  }
  const keys = Object.keys(v);
  if (keys.length > WINDOW_LIMITS.maxProfiles)
    errors.push(`profiles: expected at most ${WINDOW_LIMITS.maxProfiles}, got ${keys.length}`);
  for (const k of keys) {
    const s = v[k];
    if (k.length === 0 || k.length > WINDOW_LIMITS.maxStringLength)
      errors.push('profiles: bad key');
    if (
      typeof s !== 'string' ||
      s.length === 0 ||
      s.length > WINDOW_LIMITS.maxProfileChars ||
      s.length % 4 !== 0 ||
      !BASE64_RE.test(s)
    )
      errors.push(
        `profiles.${k.slice(0, 60)}: expected base64 of at most ${WINDOW_LIMITS.maxProfileChars} chars`,
      );
  }
}

/**
 * Validates an untrusted value as a {@link WindowRecord}.
 *
 * @param value - parsed JSON.
 * @returns the list of problems, each "path: expected …"; empty when valid.
 * @example
 * validateWindowRecord({}); // => ['schemaVersion: expected an integer in 1..1', ...]
 * Cost: O(size of the record).
 */
export function validateWindowRecord(value: unknown): string[] {
  const errors: string[] = [];
  if (!isObject(value)) return ['window: expected an object'];
  const v = value;
  checkKeys(v, RECORD_KEYS, '', errors);
  if (
    !Number.isInteger(v.schemaVersion) ||
    (v.schemaVersion as number) < 1 ||
    (v.schemaVersion as number) > WINDOW_SCHEMA_VERSION
  ) {
    errors.push(`schemaVersion: expected an integer in 1..${WINDOW_SCHEMA_VERSION}`);
  }
  if (typeof v.windowId !== 'string' || !UUID_RE.test(v.windowId))
    errors.push('windowId: expected a UUID');
  checkName(v.deviceId, 'deviceId', errors);
  if (!isObject(v.model)) errors.push('model: expected { name, version }');
  else {
    checkKeys(v.model, MODEL_KEYS, 'model.', errors);
    checkName(v.model.name, 'model.name', errors);
    checkName(v.model.version, 'model.version', errors);
  }
  const start = v.start;
  const end = v.end;
  if (typeof start !== 'number' || !Number.isFinite(start) || start < 0)
    errors.push('start: expected epoch ms');
  if (typeof end !== 'number' || !Number.isFinite(end) || end < 0)
    errors.push('end: expected epoch ms');
  else if (typeof start === 'number' && end < start) errors.push('end: expected end >= start');
  if (!isObject(v.sketches)) errors.push('sketches: expected an object of base64 strings');
  else {
    const keys = Object.keys(v.sketches);
    if (keys.length > WINDOW_LIMITS.maxSketches)
      errors.push(`sketches: expected at most ${WINDOW_LIMITS.maxSketches}`);
    for (const k of keys) {
      const s = v.sketches[k];
      if (typeof s !== 'string' || s.length % 4 !== 0 || !BASE64_RE.test(s))
        errors.push(`sketches.${k}: expected base64`);
    }
  }
  if (v.profiles !== undefined) checkProfiles(v.profiles, errors);
  checkNumberMap(v.counters, 'counters', WINDOW_LIMITS.maxCounters, errors, true);
  checkNumberMap(v.performance, 'performance', WINDOW_LIMITS.maxCounters, errors, false);
  checkNumberMap(v.drops, 'drops', WINDOW_LIMITS.maxCounters, errors, true);
  checkObjectArray(v.drift, 'drift', WINDOW_LIMITS.maxDrift, DRIFT_KEYS, errors, (d, at) => {
    checkName(d.feature, `${at}.feature`, errors);
    checkName(d.method, `${at}.method`, errors);
    if (!isFiniteNumber(d.statistic)) errors.push(`${at}.statistic: expected a finite number`);
    if (!isFiniteNumber(d.threshold)) errors.push(`${at}.threshold: expected a finite number`);
    if (d.pValue !== undefined && !(isFiniteNumber(d.pValue) && d.pValue >= 0 && d.pValue <= 1))
      errors.push(`${at}.pValue: expected a number in [0, 1]`);
    if (d.source !== undefined && !DRIFT_SOURCES.has(d.source as string))
      errors.push(`${at}.source: expected 'feature', 'output', 'multivariate' or 'embedding'`);
    if (typeof d.isDrift !== 'boolean') errors.push(`${at}.isDrift: expected a boolean`);
  });
  checkObjectArray(v.alerts, 'alerts', WINDOW_LIMITS.maxAlerts, ALERT_KEYS, errors, (a, at) => {
    checkName(a.name, `${at}.name`, errors);
    if (typeof a.severity !== 'string' || !SEVERITIES.has(a.severity))
      errors.push(`${at}.severity: expected info|warning|critical`);
    if (!isFiniteNumber(a.firedAt)) errors.push(`${at}.firedAt: expected epoch ms`);
  });
  if (v.predictions !== undefined) {
    if (!Array.isArray(v.predictions) || v.predictions.length > WINDOW_LIMITS.maxPredictions) {
      errors.push(`predictions: expected an array of at most ${WINDOW_LIMITS.maxPredictions}`);
    } else {
      const bad = v.predictions.findIndex(
        (p: unknown) =>
          !isObject(p) ||
          !isFiniteNumber(p.ts) ||
          (p.latencyMs !== undefined && !(isFiniteNumber(p.latencyMs) && p.latencyMs >= 0)) ||
          Object.keys(p).some((k) => !PREDICTION_KEYS.has(k)),
      );
      if (bad >= 0)
        errors.push(
          `predictions[${bad}]: expected { ts, inputs?, output?, label?, latencyMs? } with finite ts and latencyMs >= 0`,
        );
    }
  }
  return errors;
}
