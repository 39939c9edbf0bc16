/**
 * Output drift of an `EdgeMonitor`: the model's predictions on its training or
 * holdout run are the reference, and each window's predictions are tested
 * against it by the same `DriftDetector` as the inputs — as a one-column table
 * named `prediction`. Class labels are tested on their shares (chi-square, or
 * Jensen–Shannon for large references; a class never seen in the reference is
 * its own bin), scores on their distribution (KS, or Wasserstein for large
 * references; PSI on request). Labels often come late or never on a device; a
 * shifted prediction mix is visible at once.
 */
import { ConfigError, describeValue } from '../errors.js';
import { DriftDetector } from '../drift/drift-detector.js';
import type { EngineHandle } from '../engine/client.js';
import type { ModelRegistry } from '../lifecycle/model-registry.js';
import type { FeatureDriftOptions } from '../stats/drift/types.js';
import { FeatureBuffer, type FeatureTable } from './feature-buffer.js';

/** Column name of the predictions in the output table and in `WindowDrift.feature`. */
export const OUTPUT_FEATURE = 'prediction';

/**
 * The model's predictions on its reference run: class labels (strings, numbers
 * or booleans) or scores (numbers).
 */
export type PredictionReference = readonly unknown[] | Float64Array | Float32Array;

/** Options of the output drift test. */
export interface OutputDriftOptions extends FeatureDriftOptions {
  /**
   * Treat numeric predictions as class labels (class indices). Default: strings
   * and booleans are classes, numbers are scores.
   */
  classes?: boolean;
}

/** The window's predictions as a table, with the detector of the model they came from. */
export interface OutputCapture {
  detector: DriftDetector<FeatureTable>;
  /** `{ prediction: values }`, when the window holds enough predictions for a test. */
  table: FeatureTable | undefined;
  /** Predictions buffered in the window. */
  rows: number;
}

function isClassLike(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean';
}

/** One model version's output reference and the open window's predictions. */
export class OutputDrift {
  private readonly buffer: FeatureBuffer;

  private constructor(
    readonly detector: DriftDetector<FeatureTable>,
    /** Whether predictions are tested as classes or as scores. */
    readonly kind: 'categorical' | 'numeric',
    maxRows: number,
  ) {
    this.buffer = new FeatureBuffer({ [OUTPUT_FEATURE]: kind }, maxRows);
  }

  /**
   * Prepares the reference in the engine.
   *
   * @param reference - predictions of the reference run.
   * @param options - method, threshold, bins, calibrate, `classes`.
   * @param engine - the engine (default: the shared one).
   * @param maxRows - most predictions buffered per window.
   * @returns the output watch.
   * @throws ConfigError for a reference that is not a non-empty array of labels or
   *   scores, or bad drift options.
   * @example OutputDrift.create(['cat', 'dog', 'cat'], {}, undefined, 10_000).kind // => 'categorical'
   */
  static create(
    reference: PredictionReference,
    options: OutputDriftOptions | undefined,
    engine: EngineHandle | undefined,
    maxRows: number,
  ): OutputDrift {
    const isArray = Array.isArray(reference) || reference instanceof Float64Array;
    if (!isArray && !(reference instanceof Float32Array))
      throw new ConfigError(
        `expected predictionReference to be an array of class labels or scores, got ${describeValue(reference)}`,
      );
    if (reference.length === 0)
      throw new ConfigError(
        'expected predictionReference to hold at least one prediction, got none',
      );
    if (options !== undefined && (options === null || typeof options !== 'object'))
      throw new ConfigError(`expected outputDrift to be an object, got ${describeValue(options)}`);
    const { classes, ...drift } = options ?? {};
    let kind: 'categorical' | 'numeric' = classes === true ? 'categorical' : 'numeric';
    if (kind === 'numeric' && Array.isArray(reference)) {
      for (const v of reference as readonly unknown[]) {
        if (isClassLike(v)) kind = 'categorical';
        else if (v !== null && v !== undefined && typeof v !== 'number')
          throw new ConfigError(
            `expected predictionReference to hold class labels or scores, got ${describeValue(v)}`,
          );
      }
    }
    const column: FeatureTable[string] =
      kind === 'numeric'
        ? Float64Array.from(reference as ArrayLike<unknown>, (v) =>
            typeof v === 'number' && Number.isFinite(v) ? v : NaN,
          )
        : Array.from(reference as ArrayLike<unknown>, (v) =>
            isClassLike(v) || (typeof v === 'number' && Number.isFinite(v)) ? String(v) : null,
          );
    const detector = new DriftDetector<FeatureTable>(
      { [OUTPUT_FEATURE]: column },
      {
        ...drift,
        ...(kind === 'categorical' ? { categorical: [OUTPUT_FEATURE] } : {}),
        ...(engine ? { engine } : {}),
      },
    );
    return new OutputDrift(detector, kind, maxRows);
  }

  /**
   * Buffers one prediction. O(1); never throws.
   *
   * @param prediction - the model's output.
   * @returns `'stored'`, `'full'` (window buffer full) or `'invalid'` (not a
   *   finite score, or not a class label).
   */
  push(prediction: unknown): 'stored' | 'full' | 'invalid' {
    const ok =
      this.kind === 'numeric'
        ? typeof prediction === 'number' && Number.isFinite(prediction)
        : isClassLike(prediction) ||
          (typeof prediction === 'number' && Number.isFinite(prediction));
    if (!ok) return 'invalid';
    return this.buffer.push({ [OUTPUT_FEATURE]: prediction }).stored ? 'stored' : 'full';
  }

  /**
   * Hands over the window's predictions and empties the buffer.
   *
   * @param minRows - fewest predictions for a test (fewer: no table).
   * @returns the capture.
   */
  take(minRows: number): OutputCapture {
    const rows = this.buffer.size;
    const table = this.buffer.take();
    return { detector: this.detector, table: rows >= minRows ? table : undefined, rows };
  }
}

/**
 * The prediction reference a registry stores with a model version: its
 * `metadata.predictionReference`, when it is an array.
 *
 * @param registry - the registry.
 * @param name - model name.
 * @param version - the version.
 * @returns the reference, or undefined.
 * @example await registry.register({ name: 'm', version: '2', metadata: { predictionReference: holdoutPredictions } });
 */
export function registryPredictionReference(
  registry: ModelRegistry,
  name: string,
  version: string,
): PredictionReference | undefined {
  if (!registry.has(name, version)) return undefined;
  const ref = registry.get(name, version).metadata?.predictionReference;
  return Array.isArray(ref) || ref instanceof Float64Array || ref instanceof Float32Array
    ? (ref as PredictionReference)
    : undefined;
}
