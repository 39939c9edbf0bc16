/**
 * The demo's only door to edgewatch (the public entry, `src/index.ts`): builds
 * each monitor the page uses, with the settings the page states on screen, and
 * narrows each to the few methods the page calls. `SOURCES` names the class
 * behind each panel; the page prints it.
 */
import {
  ABTest,
  AlertRule,
  AlertSystem,
  DriftDetector,
  LatencyTracker,
  ModelRegistry,
  PerformanceMonitor,
  RetrainTrigger,
  type WindowRecord,
} from '../src/index.js';
import { buildWindowRecord, type WindowParts } from '../src/entry/storage.js';
import { createMultivariateEngine, type MultivariateEngine } from '../src/entry/multivariate.js';
import type {
  DemoAlert,
  DemoDecision,
  DemoDriftResult,
  DemoEstimate,
  DemoMetrics,
  DemoPercentiles,
  DemoSeverity,
  DemoTableDrift,
} from './edgewatch-types.js';

/** A table: column name -> values. */
export type Table = Record<string, Float64Array>;

/** Drift detection on a table against a fixed reference. */
export interface DriftPort {
  detect(current: Table): Promise<DemoTableDrift>;
  /** Frees the reference (edgewatch keeps it in its engine). */
  dispose(): Promise<void>;
}
/** Latency of one window: percentiles and the mergeable sketch (the tracker restarts per window). */
export interface LatencyPort {
  recordMany(values: Float64Array): void;
  takeWindow(): Promise<{ percentiles: DemoPercentiles; sketch: Uint8Array }>;
}
/** Sliding-window classification metrics against a holdout baseline. */
export interface PerformancePort {
  update(pred: number, actual: number): void;
  getMetrics(): DemoMetrics;
}
/** Alert rules, evaluation and fire/resolve listeners. */
export interface AlertsPort {
  addRule(
    name: string,
    condition: (m: Record<string, any>) => boolean,
    severity: DemoSeverity,
    options: { description: string; for?: number },
  ): void;
  evaluate(metrics: Record<string, unknown>): DemoAlert[];
  on(event: 'fire' | 'resolve', fn: (a: DemoAlert) => void): void;
  onError(fn: (e: unknown) => void): void;
}
/** Retraining trigger: `check` runs the detector and calls `run` on drift. */
export interface RetrainPort<D> {
  check(data: D): Promise<unknown>;
}
/** Shadow A/B comparison of a candidate model against the active one. */
export interface ABTestPort {
  record(arm: 'control' | 'candidate', pred: number, actual: number): void;
  decide(): DemoDecision;
}
/** The model versions of this page session (edgewatch's `ModelRegistry`). */
export interface RegistryPort {
  register(
    version: number,
    holdoutAccuracy: number,
    metadata: Record<string, unknown>,
  ): Promise<void>;
  activate(version: number): Promise<void>;
  /** Versions, oldest first. */
  list(): Array<{ version: string; active: boolean; accuracy: number | undefined }>;
}

/** The edgewatch classes behind each panel (shown on the page). */
export const SOURCES = {
  latency: 'LatencyTracker',
  drift: 'DriftDetector',
  performance: 'PerformanceMonitor',
  estimate: 'createMultivariateEngine',
  alerts: 'AlertSystem',
  retrain: 'RetrainTrigger',
  abtest: 'ABTest',
  outbox: 'WindowStore + Flusher',
  registry: 'ModelRegistry',
} as const;

/**
 * @param reference - training data by column.
 * @param options - per-feature KS p-value threshold and the drifted share that marks the table.
 * @returns a drift detector against `reference` (prepared in edgewatch's engine worker).
 */
export function createDriftDetector(
  reference: Table,
  options: { threshold: number; driftShare: number },
): DriftPort {
  // KS per feature, explicitly: 'auto' would pick Wasserstein for a reference this
  // big, and the page states the test and its p-value threshold.
  const detector = new DriftDetector(reference, { ...options, method: 'ks' });
  return {
    detect: (current) => detector.detect(current) as Promise<DemoTableDrift>,
    dispose: () => detector.close(),
  };
}

/** Output drift: the window's predicted classes against the active model's holdout predictions. */
export interface OutputDriftPort {
  detect(predicted: Int32Array): Promise<DemoDriftResult>;
  /** Frees the reference (edgewatch keeps it in its engine). */
  dispose(): Promise<void>;
}

/**
 * @param holdoutPredictions - the model's predicted classes on its holdout set.
 * @param threshold - chi-square p-value threshold.
 * @returns output drift on predicted-class shares (chi-square; a class the holdout
 *   never produced is its own bin).
 */
export function createOutputDriftDetector(
  holdoutPredictions: Int32Array,
  threshold: number,
): OutputDriftPort {
  const classes = (p: Int32Array): string[] => Array.from(p, String);
  const detector = new DriftDetector(classes(holdoutPredictions), {
    method: 'chisquare',
    threshold,
  });
  return {
    detect: (predicted) => detector.detect(classes(predicted)) as Promise<DemoDriftResult>,
    dispose: () => detector.close(),
  };
}

/** Accuracy estimated from the model's confidence, before the labels arrive. */
export interface EstimatorPort {
  estimate(probabilities: Float64Array): Promise<DemoEstimate>;
  /** Frees the fitted calibration (edgewatch keeps it in its worker). */
  dispose(): Promise<void>;
}

let multivariate: Promise<MultivariateEngine> | undefined;

/**
 * Fits confidence-based performance estimation (CBPE) on the holdout run: the
 * model's class probabilities there, calibrated against the labels (isotonic).
 * Each window's accuracy is then estimated from its probabilities alone, in
 * edgewatch's multivariate worker.
 *
 * @param probabilities - holdout class probabilities, row-major, `classes` per row.
 * @param labels - holdout labels.
 * @param classes - number of classes.
 * @returns the estimator.
 */
export async function createPerformanceEstimator(
  probabilities: Float64Array,
  labels: Int32Array,
  classes: number,
): Promise<EstimatorPort> {
  multivariate ??= createMultivariateEngine();
  const { api } = await multivariate;
  const matrix = (p: Float64Array) => ({ rows: p.length / classes, cols: classes, data: p });
  const id = await api.prepareCbpe(matrix(probabilities), labels);
  return {
    estimate: async (p) => (await api.estimate(id, matrix(p))).metrics.accuracy,
    dispose: async () => api.release(id),
  };
}

/** @returns a latency tracker read once per window (a fresh sketch per window). */
export function createLatencyTracker(): LatencyPort {
  // Swapped synchronously at window close, so a value recorded after the close
  // lands in the next window, never in a reset gap.
  let tracker = new LatencyTracker({ name: 'latency' });
  return {
    recordMany: (values) => tracker.recordMany(values),
    takeWindow: async () => {
      const old = tracker;
      tracker = new LatencyTracker({ name: 'latency' });
      const snap = await old.snapshot();
      await old.close();
      return { percentiles: snap.percentiles, sketch: snap.sketch };
    },
  };
}

/** @returns a multiclass performance monitor over `windowSize` samples with a holdout `baseline`. */
export function createPerformanceMonitor(
  windowSize: number,
  baseline: { accuracy: number },
): PerformancePort {
  const monitor = new PerformanceMonitor({ windowSize, task: 'multiclass', baseline });
  return {
    update: (pred, actual) => monitor.update(pred, actual),
    getMetrics: () => monitor.getMetrics() as unknown as DemoMetrics,
  };
}

/** @returns an alert system. */
export function createAlerts(): AlertsPort {
  const system = new AlertSystem();
  return {
    addRule: (name, condition, severity, options) =>
      system.addRule(new AlertRule(name, condition, severity, options)),
    evaluate: (metrics) => system.evaluate(metrics) as DemoAlert[],
    on: (event, fn) => {
      system.on(event, fn as (a: unknown) => void);
    },
    onError: (fn) => {
      system.on('error', fn);
    },
  };
}

/** @returns a retraining trigger that runs `run` when `detector` finds drift, at most once per cooldown. */
export function createRetrainTrigger<D>(options: {
  detector: { detect(data: D): Promise<{ isDrift: boolean }> };
  run: (evidence: unknown) => Promise<unknown>;
  cooldownMs: number;
}): RetrainPort<D> {
  return new RetrainTrigger(options);
}

/**
 * @param minSamples - predictions per arm before any decision.
 * @param maxSamples - per arm; no significant win by then means 'keep'.
 * @returns an accuracy A/B test for a shadow candidate.
 */
export function createABTest(minSamples: number, maxSamples: number): ABTestPort {
  // mSPRT (edgewatch's default rule): always valid, so deciding after every step is fine.
  const ab = new ABTest({ metric: 'accuracy', minSamples, maxSamples, mode: 'shadow' });
  return { record: (arm, pred, actual) => ab.record(arm, pred, actual), decide: () => ab.decide() };
}

/**
 * Builds a window record (edgewatch's wire format).
 *
 * @returns the record, ready for the outbox.
 */
export function windowRecord(
  meta: { deviceId: string; modelVersion: number; start: number; end: number },
  parts: WindowParts,
): WindowRecord {
  return buildWindowRecord(
    {
      windowId: crypto.randomUUID(),
      deviceId: meta.deviceId,
      model: { name: 'perception', version: String(meta.modelVersion) },
      start: meta.start,
      end: meta.end,
    },
    parts,
  );
}

/**
 * Opens the model registry. The page trains its model from scratch on every load
 * and keeps the weights in memory, so its registry lives in memory too (an app
 * that persists its models would use the default IndexedDB backend).
 *
 * @returns the registry port.
 */
export async function createRegistry(): Promise<RegistryPort> {
  const registry = await ModelRegistry.open({ name: 'edgewatch-demo-models', backend: 'memory' });
  return {
    register: async (version, holdoutAccuracy, metadata) => {
      await registry.register({
        name: 'perception',
        version: String(version),
        baseline: { accuracy: holdoutAccuracy },
        metadata,
      });
    },
    activate: async (version) => {
      await registry.setActive('perception', String(version));
    },
    list: () => {
      const active = registry.getActive('perception')?.version;
      return registry.list('perception').map((m) => ({
        version: m.version,
        active: m.version === active,
        accuracy: m.baseline?.accuracy,
      }));
    },
  };
}
