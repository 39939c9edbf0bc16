/**
 * The drift layer: the `DriftDetector` facade, streaming detectors, and the
 * plain two-sample functions (re-exported from the statistics layer).
 */
export { DriftDetector } from './drift-detector.js';
export type { DriftDetectorOptions, DriftData, DetectResult } from './drift-detector.js';
export { ADWIN } from './streaming/adwin.js';
export type { ADWINOptions } from './streaming/adwin.js';
export { WarningZoneDetector } from './streaming/warning-zone.js';
export { StreamingDetectorBase } from './streaming/detector-base.js';
export { DDM } from './streaming/ddm.js';
export type { DDMOptions } from './streaming/ddm.js';
export { EDDM } from './streaming/eddm.js';
export type { EDDMOptions } from './streaming/eddm.js';
export { HDDM_A } from './streaming/hddm-a.js';
export type { HDDMAOptions } from './streaming/hddm-a.js';
export { HDDM_W } from './streaming/hddm-w.js';
export type { HDDMWOptions } from './streaming/hddm-w.js';
export { KSWIN } from './streaming/kswin.js';
export type { KSWINOptions } from './streaming/kswin.js';
export { PageHinkley } from './streaming/page-hinkley.js';
export type { PageHinkleyOptions } from './streaming/page-hinkley.js';
export type { DriftSignal, StreamingDetector } from './streaming/types.js';
export type {
  DriftMethod,
  NumericDriftMethod,
  CategoricalDriftMethod,
  EvidentlyMethodName,
  DriftOptions,
  FeatureDriftOptions,
  CalibrationOptions,
  DriftResult,
  TableDriftResult,
  FeatureValues,
  TableValues,
} from '../stats/drift/types.js';
export type { PreparedInfo } from '../stats/drift/options.js';
export {
  DRIFT_METHODS,
  EVIDENTLY_METHOD_ALIASES,
  defaultThreshold,
  methodKind,
} from '../stats/drift/methods.js';
export {
  ks2Sample,
  wasserstein1,
  energyDistance,
  andersonDarling,
  cramerVonMises,
  welchTTest,
  psi,
  jensenShannon,
  klDivergence,
  hellinger,
  totalVariation,
} from '../stats/two-sample.js';
export type { TwoSampleTest } from '../stats/two-sample.js';
export type { KsMode, KsResult } from '../stats/ks-test.js';
export {
  chiSquareGof,
  gTestGof,
  contingencyTest,
  twoProportionZTest,
  fisherExact,
} from '../stats/categorical-tests.js';
