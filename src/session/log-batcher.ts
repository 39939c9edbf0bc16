/**
 * Batches prediction-log entries so that `observe()` stays O(1): one store
 * write per `LOG_BATCH` predictions (and at every window close), not one
 * IndexedDB transaction per prediction.
 */
import type { PredictionLog } from '../storage/prediction-log.js';
import type { PredictionEntry } from '../window/window-record.js';
import type { Observation } from './edge-monitor-types.js';

/** Entries written to the store in one call. */
export const LOG_BATCH = 256;

/** Buffers entries for the store's prediction log. */
export class LogBatcher {
  private pending: PredictionEntry[] = [];

  /**
   * @param log - the store's prediction log.
   * @param onError - receives write failures.
   */
  constructor(
    private readonly log: PredictionLog,
    private readonly onError: (e: unknown) => void,
  ) {}

  /**
   * Adds one observation as an entry; writes a full batch. O(1) amortized.
   *
   * @param obs - the observation.
   * @param ts - epoch ms.
   */
  add(obs: Observation, ts: number): void {
    const e: PredictionEntry = { ts, output: obs.prediction };
    if (obs.features !== undefined) e.inputs = obs.features;
    if (obs.label !== undefined) e.label = obs.label;
    if (obs.latencyMs !== undefined) e.latencyMs = obs.latencyMs;
    this.pending.push(e);
    if (this.pending.length >= LOG_BATCH) this.write();
  }

  /** Writes what is buffered (the log serializes writes, so a later `drain` sees them). */
  write(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.log.append(batch).catch(this.onError);
  }
}
