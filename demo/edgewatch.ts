/**
 * The edgewatch pieces the page uses beside its `EdgeMonitor` (monitor.ts): the
 * model registry, the shadow A/B test (retrain-job.ts) and the label-free
 * accuracy estimate (CBPE). `SOURCES` names the edgewatch classes behind each
 * panel; the page prints them.
 */
import { ModelRegistry } from '../src/index.js';
import { createMultivariateEngine, type MultivariateEngine } from '../src/entry/multivariate.js';

/** Accuracy estimated without labels (CBPE) for one window, with its 95 % band. */
export interface DemoEstimate {
  value: number;
  lower: number;
  upper: number;
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
  latency: 'EdgeMonitor + LatencyTracker',
  drift: 'EdgeMonitor + DriftDetector',
  performance: 'EdgeMonitor + PerformanceMonitor',
  estimate: 'createMultivariateEngine',
  alerts: 'EdgeMonitor + AlertSystem',
  retrain: 'EdgeMonitor + RetrainTrigger',
  abtest: 'ABTest',
  outbox: 'EdgeMonitor + WindowStore + Flusher',
  registry: 'ModelRegistry',
} as const;

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
