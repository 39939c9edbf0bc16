/**
 * The last steps of `EdgeMonitor.close()`, after every window is stored: one
 * final forced delivery, then freeing what the monitor holds — in an order
 * where nothing freed is still needed by a later step.
 */
import type { AlertSystem } from '../alerts/alert-system.js';
import type { DriftDetector } from '../drift/drift-detector.js';
import type { LatencyTracker } from '../metrics/latency-tracker.js';
import type { WindowStore } from '../storage/window-store.js';
import type { Flusher } from '../transport/flusher.js';
import type { FeatureTable } from './feature-buffer.js';

/** What a closing monitor releases. */
export interface ReleasableParts {
  /** Flushed once more, then stopped. */
  readonly flusher: Flusher | undefined;
  /** Waited on until its notifiers settle. */
  readonly alerts: AlertSystem;
  /** Its sketches freed. */
  readonly latency: LatencyTracker;
  /** Its reference freed in the engine. */
  readonly detector: DriftDetector<FeatureTable> | undefined;
  /** The output reference, freed in the engine. */
  readonly outputDetector?: DriftDetector<FeatureTable> | undefined;
  /** Closed only when `ownsStore`. */
  readonly store: WindowStore;
}

/**
 * Delivers what is pending, then frees the parts. A failing delivery or
 * dispose goes to `onError`; the remaining steps still run.
 *
 * @param p - the parts.
 * @param ownsStore - whether the monitor opened the store (then it closes it).
 * @param onError - receives delivery and dispose failures.
 * @returns when everything is released.
 * @throws whatever closing the store or the latency tracker throws (as a rejection).
 * @example await releaseParts(monitorParts, true, (e) => console.error(e));
 */
export async function releaseParts(
  p: ReleasableParts,
  ownsStore: boolean,
  onError: (e: unknown) => void,
): Promise<void> {
  if (p.flusher !== undefined) {
    try {
      await p.flusher.flush({ force: true });
    } catch (e) {
      onError(e);
    }
    await p.flusher.stop();
  }
  await p.alerts.settled();
  await p.latency.close();
  await p.detector?.close().catch(onError);
  await p.outputDetector?.close().catch(onError);
  if (ownsStore) await p.store.close();
}
