/**
 * The multivariate layer: label-free performance estimation (CBPE with
 * isotonic or Platt calibration) and drift tests on whole vectors (PCA
 * reconstruction error, domain classifier, MMD, share of drifted components).
 * Pure functions on plain data, run by the engine's multivariate service.
 */
export { toMatrix } from './matrix.js';
export type { Matrix, Vectors, CheckedMatrix } from './matrix.js';
export { fitIsotonic, fitPlatt, fitCalibration, calibrate } from './calibration.js';
export type { CalibrationMethod, Calibrator } from './calibration.js';
export { CBPE_METRICS, fitCbpe, estimatePerformance, realisedPerformance } from './cbpe.js';
export type { CbpeMetric, CbpeOptions, CbpeModel, EstimatedMetric, CbpeEstimate } from './cbpe.js';
export { fitPcaDrift, pcaDrift, reconstructionErrors } from './pca.js';
export type { PcaDriftOptions, PcaDriftModel, PcaDriftResult, PcaFit } from './pca.js';
export { prepareDomainClassifier, domainClassifierTest } from './domain-classifier.js';
export type {
  DomainClassifierOptions,
  DomainClassifierModel,
  DomainClassifierResult,
} from './domain-classifier.js';
export { fitLogistic } from './logistic.js';
export type { LogisticModel } from './logistic.js';
export { prepareMmd, mmdTest, mmd2Unbiased } from './mmd.js';
export type { MmdOptions, MmdModel, MmdResult, RffMap } from './mmd.js';
export { prepareDriftedComponents, driftedComponents } from './drifted-components.js';
export type {
  DriftedComponentsOptions,
  DriftedComponentsModel,
  DriftedComponentsResult,
} from './drifted-components.js';
