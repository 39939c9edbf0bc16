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
export * from '../stats/two-sample.js';
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
} from '../profile/feature-profiler.js';
export type * from '../profile/profile-types.js';
export { encodeProfile, decodeProfile, profilesToWire } from '../profile/profile-format.js';
export * from '../profile/profile-drift.js';
export { hllEstimate } from '../profile/hyperloglog.js';
export type { TopKSummary, TopKEntry } from '../profile/space-saving.js';
export type { SketchContent } from '../profile/sketch-merge.js';
export * from '../profile/profile-quality.js';
