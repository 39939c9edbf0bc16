/**
 * The statistics layer: pure functions (distributions, p-values, test
 * statistics, divergences) and the drift core run by the engine.
 */
export { normalCdf, normalSf, normalQuantile, chiSquareSf, studentTSf } from './distributions.js';
export { kolmogorovSf, smirnovSf } from './kolmogorov.js';
export { ksExactPValue, ksSnapStatistic } from './ks-exact.js';
export { ksPValue, KS_MAX_AUTO_N } from './ks-test.js';
export type { KsMode, KsResult } from './ks-test.js';
export {
  ksStatisticSorted,
  wasserstein1Sorted,
  energyDistanceSorted,
  cdfDistanceSorted,
} from './ecdf-distances.js';
export { andersonDarlingSorted } from './anderson-darling.js';
export { cramerVonMisesSorted } from './cramer-von-mises.js';
export { welchFromMoments } from './welch-t-test.js';
export {
  chiSquareGof,
  gTestGof,
  contingencyTest,
  twoProportionZTest,
  fisherExact,
} from './categorical-tests.js';
export type { TestResult } from './categorical-tests.js';
export {
  psiFromCounts,
  klFromCounts,
  jensenShannonFromCounts,
  hellingerFromCounts,
  totalVariationFromCounts,
} from './divergences.js';
export { rejectHypotheses } from './multiple-testing.js';
export { seededUniform, sampleIndices } from './random.js';
export { tsSampleOps, momentsOf, binCountsOf } from './sample-ops.js';
export type { SampleOps, SampleMoments } from './sample-ops.js';
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
} from './two-sample.js';
export type { TwoSampleTest } from './two-sample.js';
