/**
 * `edgewatch/multivariate`: label-free performance estimation and drift on
 * whole vectors — CBPE (binary and multiclass, isotonic or Platt
 * calibration) and PCA reconstruction error, domain classifier, MMD and the
 * share of drifted components. Plain synchronous functions for moderate
 * sizes; `createMultivariateEngine()` runs the same functions in a worker of
 * their own, and `EdgeMonitor` runs them there each window.
 */
export {
  toMatrix,
  fitIsotonic,
  fitPlatt,
  fitCalibration,
  calibrate,
  CBPE_METRICS,
  fitCbpe,
  estimatePerformance,
  realisedPerformance,
  fitPcaDrift,
  pcaDrift,
  reconstructionErrors,
  prepareDomainClassifier,
  domainClassifierTest,
  fitLogistic,
  prepareMmd,
  mmdTest,
  mmd2Unbiased,
  prepareDriftedComponents,
  driftedComponents,
} from '../multivariate/index.js';
export type {
  Matrix,
  Vectors,
  CheckedMatrix,
  CalibrationMethod,
  Calibrator,
  CbpeMetric,
  CbpeOptions,
  CbpeModel,
  EstimatedMetric,
  CbpeEstimate,
  PcaDriftOptions,
  PcaDriftModel,
  PcaDriftResult,
  PcaFit,
  DomainClassifierOptions,
  DomainClassifierModel,
  DomainClassifierResult,
  LogisticModel,
  MmdOptions,
  MmdModel,
  MmdResult,
  RffMap,
  DriftedComponentsOptions,
  DriftedComponentsModel,
  DriftedComponentsResult,
} from '../multivariate/index.js';
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
