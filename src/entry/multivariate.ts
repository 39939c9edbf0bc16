/**
 * `edgewatch/multivariate`: label-free performance estimation and drift on
 * whole vectors — CBPE (binary and multiclass, isotonic or Platt
 * calibration) and PCA reconstruction error, domain classifier, MMD and the
 * share of drifted components. Plain synchronous functions for moderate
 * sizes; `createMultivariateEngine()` runs the same functions in a worker of
 * their own, and `EdgeMonitor` runs them there each window.
 */
export { toMatrix } from '../multivariate/matrix.js';
export type { Matrix, Vectors, CheckedMatrix } from '../multivariate/matrix.js';
export * from '../multivariate/calibration.js';
export * from '../multivariate/cbpe.js';
export * from '../multivariate/pca.js';
export * from '../multivariate/domain-classifier.js';
export { fitLogistic } from '../multivariate/logistic.js';
export type { LogisticModel } from '../multivariate/logistic.js';
export * from '../multivariate/mmd.js';
export * from '../multivariate/drifted-components.js';
export * from '../engine/multivariate-client.js';
export type * from '../engine/multivariate-service.js';
export type {
  EmbeddingWatchOptions,
  MultivariateFeaturesOptions,
  CbpeWatchOptions,
} from '../session/multivariate-watch.js';
