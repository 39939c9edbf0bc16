/**
 * Stream and monitoring settings of the demo, per speed. `?speed=fast` runs the
 * same loop with bigger batches and shorter windows (for the e2e test and for the
 * impatient); the statistics are the same.
 */

/** Everything that sets the pace of the demo. */
export interface DemoConfig {
  speed: 'normal' | 'fast';
  /** Delay between inference steps, ms. */
  tickMs: number;
  /** Rows per inference step (one batched model call). */
  batchSize: number;
  /** Rows per monitoring window (drift test, latency percentiles, one outbox record). */
  windowSize: number;
  /** Rows in the initial training set, and in its holdout. */
  trainSize: number;
  holdoutSize: number;
  /** Fresh labelled rows a retraining run collects (a quarter is held out for the new baseline). */
  retrainSamples: number;
  /** Shadow A/B: predictions per arm before a decision; give up after `shadowMax`. */
  shadowMin: number;
  shadowMax: number;
  /** Retraining cooldown, ms. */
  cooldownMs: number;
  /** Chart history, points. */
  historyPoints: number;
  /** Drift: per-feature KS p-value threshold and drifted share that marks the window. */
  driftThreshold: number;
  driftShare: number;
  /** Output drift: chi-square p-value threshold on the predicted-class shares. */
  outputDriftThreshold: number;
  /**
   * Rows between a prediction and its label (ground truth arrives late: an
   * operator confirms what the robot saw). Accuracy, the shadow A/B test and
   * retraining see a row only once its label has arrived.
   */
  labelDelayRows: number;
  /** Alert thresholds. */
  maxDegradation: number;
  maxP99Ms: number;
  /** How long p99 must stay above `maxP99Ms` before the alert fires, ms. */
  latencyForMs: number;
  maxMissingRate: number;
  /** Collector endpoint and flush interval. */
  endpoint: string;
  flushIntervalMs: number;
}

/**
 * Reads the settings from the page URL (`?speed=fast`, `?collector=http://…`).
 *
 * @param search - `location.search`.
 * @returns the config.
 */
export function readConfig(search: string): DemoConfig {
  const params = new URLSearchParams(search);
  const fast = params.get('speed') === 'fast';
  const collector = params.get('collector') ?? 'http://127.0.0.1:9464';
  return {
    speed: fast ? 'fast' : 'normal',
    tickMs: fast ? 8 : 40,
    batchSize: fast ? 25 : 8,
    windowSize: fast ? 400 : 200,
    trainSize: 3000,
    holdoutSize: 1000,
    retrainSamples: fast ? 1600 : 1200,
    shadowMin: fast ? 400 : 300,
    shadowMax: fast ? 1600 : 1200,
    cooldownMs: fast ? 3000 : 15_000,
    historyPoints: fast ? 240 : 180,
    driftThreshold: 1e-4,
    driftShare: 0.15,
    outputDriftThreshold: 1e-4,
    labelDelayRows: fast ? 400 : 200,
    maxDegradation: 0.1,
    maxP99Ms: 50,
    latencyForMs: fast ? 1000 : 3000,
    maxMissingRate: 0.02,
    endpoint: `${collector.replace(/\/$/, '')}/v1/windows`,
    flushIntervalMs: fast ? 2000 : 10_000,
  };
}
