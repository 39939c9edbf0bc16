/**
 * Turns the monitors' results into the wire shapes of a `WindowRecord`:
 * performance metrics as a flat map of numbers, drift results as
 * `WindowDrift` rows. NaN has no place on the wire (the collector refuses it),
 * so undefined metrics are left out rather than invented.
 */
import type { PerformanceMetrics } from '../performance/types.js';
import type { TableDriftResult } from '../stats/drift/types.js';
import type { WindowDrift } from '../window/window-record.js';

/** Cumulative counters of `getMetrics()` that belong in `drops` (as deltas), not in `performance`. */
const CUMULATIVE = new Set(['dropped', 'expiredLabels', 'unmatchedLabels']);

/**
 * Flattens `PerformanceMonitor.getMetrics()` into `name -> number`:
 * top-level numbers as is, `degradation.<metric>` for the relative drops.
 * NaN values and the cumulative counters are left out.
 *
 * @param m - the metrics.
 * @returns the flat map. Cost: O(fields).
 * @example
 * flattenPerformance({ numSamples: 4, dropped: 0, accuracy: 0.75, degradation: { accuracy: 0.1 } });
 * // => { numSamples: 4, accuracy: 0.75, 'degradation.accuracy': 0.1 }
 */
export function flattenPerformance(m: PerformanceMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === 'number' && !Number.isNaN(v) && !CUMULATIVE.has(k)) out[k] = v;
  }
  for (const [k, v] of Object.entries(m.degradation ?? {})) {
    if (typeof v === 'number' && !Number.isNaN(v)) out[`degradation.${k}`] = v;
  }
  return out;
}

/**
 * One `WindowDrift` row per feature of a table result. A feature whose
 * statistic is NaN (nothing comparable) is left out and counted.
 *
 * @param r - the table drift result.
 * @returns the rows and how many were left out. Cost: O(features).
 * @example
 * toWindowDrift(await detector.detect(table)).rows[0]; // => { feature: 'speed', method: 'ks', statistic: 0.4, pValue: 0.001, threshold: 0.05, isDrift: true }
 */
export function toWindowDrift(r: TableDriftResult): { rows: WindowDrift[]; skipped: number } {
  const rows: WindowDrift[] = [];
  let skipped = 0;
  for (const [feature, f] of Object.entries(r.features)) {
    if (Number.isNaN(f.statistic)) {
      skipped++;
      continue;
    }
    const row: WindowDrift = {
      feature,
      method: f.method,
      statistic: f.statistic,
      threshold: f.threshold,
      isDrift: f.isDrift,
    };
    if (typeof f.pValue === 'number' && !Number.isNaN(f.pValue)) row.pValue = f.pValue;
    rows.push(row);
  }
  return { rows, skipped };
}

/**
 * Adds `n` to `map[key]` (creating it), for drop and event counters.
 *
 * @param map - the counters.
 * @param key - the reason.
 * @param n - how many (default 1); nothing happens for 0.
 */
export function bump(map: Record<string, number>, key: string, n = 1): void {
  if (n !== 0) map[key] = (map[key] ?? 0) + n;
}
