/**
 * Where one observation's parts go: latency to the latency sketch, label or
 * id to the performance window, features to the window's buffer — each bad
 * part dropped and counted by reason in the window's tally, never thrown.
 */
import type { LatencyTracker } from '../metrics/latency-tracker.js';
import type { PerformanceMonitor } from '../performance/performance-monitor.js';
import type { Observation } from './edge-monitor-types.js';
import type { FeatureBuffer } from './feature-buffer.js';
import type { OutputDrift } from './output-drift.js';
import type { WindowTally } from './window-tally.js';

/**
 * Routes one observation to its sinks. Never throws; synchronous.
 *
 * @param obs - the observation as given (validated here).
 * @param t - counters and drops of the open window.
 * @param latency - the latency sketch (ms).
 * @param perf - the open performance window.
 * @param buffer - feature rows of the open window, when a reference is set.
 * @param output - predictions of the open window, when a prediction reference is set.
 * @returns false when the observation itself was malformed (dropped as
 *   `observation_invalid`), true when it counted as a prediction.
 * @example routeObservation({ prediction: 1, latencyMs: 4 }, tally, latency, perf, undefined) // => true
 * Cost: O(reference columns).
 */
export function routeObservation(
  obs: Observation,
  t: WindowTally,
  latency: LatencyTracker,
  perf: PerformanceMonitor,
  buffer: FeatureBuffer | undefined,
  output?: OutputDrift,
): boolean {
  if (obs === null || typeof obs !== 'object' || obs.prediction === undefined) {
    t.drop('observation_invalid');
    return false;
  }
  t.predictions++;
  if (output !== undefined) {
    const r = output.push(obs.prediction);
    if (r === 'full') t.drop('output_buffer_full');
    else if (r === 'invalid') t.drop('output_invalid');
  }
  const lat = obs.latencyMs;
  if (typeof lat === 'number' && lat >= 0 && lat < Infinity) latency.record(lat);
  else if (lat !== undefined) t.drop('latency_invalid');
  if (obs.label !== undefined) {
    if (perf.update(obs.prediction, obs.label)) t.count('labelled');
  } else if (obs.id !== undefined) perf.recordPrediction(obs.id, obs.prediction);
  const f = obs.features;
  if (f !== undefined) {
    if (f === null || typeof f !== 'object' || Array.isArray(f)) t.drop('features_invalid');
    else if (buffer !== undefined) {
      const r = buffer.push(f);
      if (!r.stored) t.drop('features_buffer_full');
      t.drop('feature_unknown', r.unknown);
    }
  }
  return true;
}
