/**
 * `edgewatch/stats`: the statistics behind `DriftDetector` and
 * `PerformanceMonitor` as plain functions — two-sample tests and distances,
 * categorical tests, the method table, windowed AUC and degradation.
 */
export {
  DRIFT_METHODS,
  EVIDENTLY_METHOD_ALIASES,
  defaultThreshold,
  methodKind,
} from '../stats/drift/methods.js';
export type { EvidentlyMethodName } from '../stats/drift/types.js';
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
export { relativeDegradation, METRIC_DIRECTIONS } from '../performance/degradation.js';
export type { MetricDirection } from '../performance/degradation.js';
export { WindowedAuc } from '../performance/windowed-auc.js';
export type { DegradableMetric } from '../performance/types.js';
export {
  NumericProfiler,
  CategoricalProfiler,
  mergeProfiles,
  encodeProfile,
  decodeProfile,
  profilesToWire,
  compareNumeric,
  compareCategorical,
  sketchKs,
  hllEstimate,
  profileQuality,
  newCategories,
} from '../profile/index.js';
export type {
  FeatureProfile,
  NumericProfile,
  CategoricalProfile,
  ProfileOptions,
  NumericComparison,
  CategoricalComparison,
  SketchKs,
  TopKSummary,
  TopKEntry,
  SketchContent,
  SharedBins,
  ProfileQuality,
  ChiSquareResult,
} from '../profile/index.js';
