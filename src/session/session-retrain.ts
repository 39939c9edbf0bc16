/**
 * The retraining trigger of an `EdgeMonitor` with the `retrain` option, fed
 * each window's drift result. `EdgeMonitor.create` loads this file (and the
 * trigger with it) only when `retrain` is set.
 */
import { RetrainTrigger } from '../retrain/retrain-trigger.js';
import type { TableDriftResult } from '../stats/drift/types.js';
import type { EdgeMonitorOptions } from './edge-monitor-options.js';
import type { FeatureTable } from './feature-buffer.js';

/** A retraining trigger and what feeds it each window's drift result. */
export interface RetrainFeed {
  /** The trigger. */
  trigger: RetrainTrigger<FeatureTable, TableDriftResult>;
  /** Hands the trigger a window's table and the drift result computed on it. Never throws. */
  feed: (table: FeatureTable, drift: TableDriftResult) => void;
}

/**
 * The retraining trigger, when `retrain` is given. Its detector reads the drift
 * result the window already computed for a table, so the trigger never runs a
 * second drift test.
 *
 * @param retrain - the `retrain` option.
 * @param now - the monitor's clock (unless the option has its own).
 * @param onError - receives a failing check.
 * @returns the trigger and its feed, or undefined.
 * @throws ConfigError for bad trigger options.
 * @example createRetrain({ run: retrain, cooldownMs: 3_600_000 }, Date.now, console.error)?.trigger
 */
export function createRetrain(
  retrain: EdgeMonitorOptions['retrain'],
  now: () => number,
  onError: (e: unknown) => void,
): RetrainFeed | undefined {
  if (retrain === undefined) return undefined;
  const driftOf = new WeakMap<FeatureTable, TableDriftResult>();
  const trigger = new RetrainTrigger<FeatureTable, TableDriftResult>({
    ...retrain,
    detector: { detect: (t) => driftOf.get(t) as TableDriftResult },
    now: retrain.now ?? now,
  });
  const feed = (table: FeatureTable, drift: TableDriftResult): void => {
    driftOf.set(table, drift);
    trigger.check(table).catch(onError);
  };
  return { trigger, feed };
}
