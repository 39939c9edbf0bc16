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
export { fitIsotonic, fitPlatt, fitCalibration, calibrate } from '../multivariate/calibration.js';
export type { CalibrationMethod, Calibrator } from '../multivariate/calibration.js';
export {
  CBPE_METRICS,
  fitCbpe,
  estimatePerformance,
  realisedPerformance,
} from '../multivariate/cbpe.js';
export type {
  CbpeMetric,
  CbpeOptions,
  CbpeModel,
  EstimatedMetric,
  CbpeEstimate,
} from '../multivariate/cbpe.js';
export { fitPcaDrift, pcaDrift, reconstructionErrors } from '../multivariate/pca.js';
export type {
  PcaDriftOptions,
  PcaDriftModel,
  PcaDriftResult,
  PcaFit,
} from '../multivariate/pca.js';
export {
  prepareDomainClassifier,
  domainClassifierTest,
} from '../multivariate/domain-classifier.js';
export type {
  DomainClassifierOptions,
  DomainClassifierModel,
  DomainClassifierResult,
} from '../multivariate/domain-classifier.js';
export { fitLogistic } from '../multivariate/logistic.js';
export type { LogisticModel } from '../multivariate/logistic.js';
export { prepareMmd, mmdTest, mmd2Unbiased } from '../multivariate/mmd.js';
export type { MmdOptions, MmdModel, MmdResult, RffMap } from '../multivariate/mmd.js';
export { prepareDriftedComponents, driftedComponents } from '../multivariate/drifted-components.js';
export type {
  DriftedComponentsOptions,
  DriftedComponentsModel,
  DriftedComponentsResult,
} from '../multivariate/drifted-components.js';
export { createMultivariateEngine } from '../engine/multivariate-client.js';
export type {
  MultivariateEngine,
  MultivariateEngineOptions,
} from '../engine/multivariate-client.js';
export type { MultivariateService } from '../engine/multivariate-service.js';
export type {
  MultivariateMethod,
  MultivariateDriftOptions,
  MultivariateDriftResults,
  MultivariateDriftResult,
} from '../engine/multivariate-service.js';
export type {
  EmbeddingWatchOptions,
  MultivariateFeaturesOptions,
  CbpeWatchOptions,
} from '../session/multivariate-watch.js';
