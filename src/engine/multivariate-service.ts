/**
 * Multivariate references and checks, run in the multivariate worker
 * (multivariate-worker.ts; in-process in Node by default), so the O(n²·d)
 * and O(n·d²) loops never run on the caller's thread: CBPE models, PCA /
 * domain-classifier / MMD / drifted-components references, kept by id. Every method takes and returns
 * structured-clone-safe values.
 */
import { ConfigError, KernelError, describeValue } from '../errors.js';
import { IdTable } from './id-table.js';
import type { CbpeEstimate, CbpeModel, CbpeOptions } from '../multivariate/cbpe.js';
import { estimatePerformance, fitCbpe } from '../multivariate/cbpe.js';
import type {
  DomainClassifierModel,
  DomainClassifierOptions,
  DomainClassifierResult,
} from '../multivariate/domain-classifier.js';
import {
  domainClassifierTest,
  prepareDomainClassifier,
} from '../multivariate/domain-classifier.js';
import type {
  DriftedComponentsModel,
  DriftedComponentsOptions,
  DriftedComponentsResult,
} from '../multivariate/drifted-components.js';
import { driftedComponents, prepareDriftedComponents } from '../multivariate/drifted-components.js';
import type { MmdModel, MmdOptions, MmdResult } from '../multivariate/mmd.js';
import { mmdTest, prepareMmd } from '../multivariate/mmd.js';
import type { PcaDriftModel, PcaDriftOptions, PcaDriftResult } from '../multivariate/pca.js';
import { fitPcaDrift, pcaDrift } from '../multivariate/pca.js';

/** The multivariate drift methods. */
export type MultivariateMethod = 'pca' | 'classifier' | 'mmd' | 'components';

/** Options per method, for `prepareDrift(method, reference, options)` (`createMultivariateEngine().api`). */
export interface MultivariateDriftOptions {
  /** PCA reconstruction error. */
  pca: PcaDriftOptions;
  /** Domain classifier. */
  classifier: DomainClassifierOptions;
  /** Maximum mean discrepancy. */
  mmd: MmdOptions;
  /** Share of drifted components. */
  components: DriftedComponentsOptions;
}

/** Result per method, from `compareDrift(id, current)` (`createMultivariateEngine().api`). */
export interface MultivariateDriftResults {
  /** PCA reconstruction error. */
  pca: PcaDriftResult;
  /** Domain classifier. */
  classifier: DomainClassifierResult;
  /** Maximum mean discrepancy. */
  mmd: MmdResult;
  /** Share of drifted components. */
  components: DriftedComponentsResult;
}

/** A multivariate drift result, whichever the method, tagged with it. */
export type MultivariateDriftResult = {
  [M in MultivariateMethod]: {
    /** The method that produced the result. */
    method: M;
  } & MultivariateDriftResults[M];
}[MultivariateMethod];

type Held =
  | { kind: 'cbpe'; model: CbpeModel }
  | { kind: 'pca'; model: PcaDriftModel }
  | { kind: 'classifier'; model: DomainClassifierModel }
  | { kind: 'mmd'; model: MmdModel }
  | { kind: 'components'; model: DriftedComponentsModel };

/** The engine's multivariate service. */
export class MultivariateService {
  private readonly held = new IdTable<Held>(
    (id) =>
      new KernelError(
        `multivariate ${String(id)}: expected a prepared id, got an unknown or released one`,
      ),
  );

  /**
   * Fits CBPE on labelled reference scores and keeps the model. See {@link fitCbpe}.
   *
   * @param scores - binary scores, or one probability vector per row.
   * @param labels - 0/1, or class indices.
   * @param options - calibration, threshold, band.
   * @returns the id to estimate with.
   * @throws ConfigError, DataError as {@link fitCbpe}.
   * @example const id = await mv.api.prepareCbpe(scores, labels);
   */
  prepareCbpe(scores: unknown, labels: ArrayLike<number>, options: CbpeOptions = {}): number {
    return this.held.add({ kind: 'cbpe', model: fitCbpe(scores, labels, options) });
  }

  /**
   * Estimates a window's performance. See {@link estimatePerformance}.
   *
   * @param id - from {@link MultivariateService.prepareCbpe}.
   * @param scores - the window's scores.
   * @returns the estimate with bands.
   * @throws KernelError for an unknown id or one of another kind; DataError for bad scores.
   * @example (await mv.api.estimate(id, windowScores)).metrics.accuracy.value
   */
  estimate(id: number, scores: unknown): CbpeEstimate {
    const h = this.held.get(id);
    if (h.kind !== 'cbpe') throw wrongKind(id, 'a CBPE model', h.kind);
    return estimatePerformance(h.model, scores);
  }

  /**
   * Prepares a multivariate drift reference.
   *
   * @param method - `'pca'`, `'classifier'`, `'mmd'` or `'components'`.
   * @param reference - the reference vectors.
   * @param options - the method's options.
   * @returns the id to compare against.
   * @throws ConfigError for an unknown method or bad options; DataError for bad vectors.
   * @example const id = await mv.api.prepareDrift('mmd', referenceRows);
   */
  prepareDrift<M extends MultivariateMethod>(
    method: M,
    reference: unknown,
    options: MultivariateDriftOptions[M] = {},
  ): number {
    switch (method) {
      case 'pca':
        return this.held.add({ kind: 'pca', model: fitPcaDrift(reference, options) });
      case 'classifier':
        return this.held.add({
          kind: 'classifier',
          model: prepareDomainClassifier(reference, options),
        });
      case 'mmd':
        return this.held.add({ kind: 'mmd', model: prepareMmd(reference, options) });
      case 'components':
        return this.held.add({
          kind: 'components',
          model: prepareDriftedComponents(reference, options),
        });
      default:
        throw new ConfigError(
          `expected method to be 'pca', 'classifier', 'mmd' or 'components', got ${describeValue(method)}`,
        );
    }
  }

  /**
   * Checks a window against a prepared drift reference.
   *
   * @param id - from {@link MultivariateService.prepareDrift}.
   * @param current - the window's vectors.
   * @returns the method's result, tagged with the method.
   * @throws KernelError for an unknown id or a CBPE id; DataError for bad vectors.
   * @example (await mv.api.compareDrift(id, windowRows)).isDrift
   */
  compareDrift(id: number, current: unknown): MultivariateDriftResult {
    const h = this.held.get(id);
    switch (h.kind) {
      case 'pca':
        return { method: 'pca', ...pcaDrift(h.model, current) };
      case 'classifier':
        return { method: 'classifier', ...domainClassifierTest(h.model, current) };
      case 'mmd':
        return { method: 'mmd', ...mmdTest(h.model, current) };
      case 'components':
        return { method: 'components', ...driftedComponents(h.model, current) };
      default:
        throw wrongKind(id, 'a drift reference', h.kind);
    }
  }

  /**
   * Frees a model or reference. Idempotent.
   *
   * @param id - the id.
   * @example await mv.api.release(id);
   */
  release(id: number): void {
    this.held.delete(id);
  }

  /**
   * Number of models and references held (for leak checks).
   *
   * @returns the count.
   */
  size(): number {
    return this.held.size;
  }
}

function wrongKind(id: number, expected: string, got: string): KernelError {
  return new KernelError(`multivariate ${id}: expected ${expected}, got a ${got} reference`);
}
