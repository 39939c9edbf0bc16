/**
 * The model-lifecycle layer: registry, A/B and shadow tests,
 * feature importance, budgets and resource probes.
 */
export { ModelRegistry } from './model-registry.js';
export type {
  ModelRecord,
  RegisterInput,
  ModelRegistryOptions,
  ModelRegistryEvents,
} from './model-registry.js';
export { modelTag, withModelTag, modelLabels, toWindowModel } from './model-tag.js';
export type { ModelTag, ModelLabels } from './model-tag.js';
export { ABTest } from './ab-test.js';
export type {
  ABArm,
  ABDecision,
  ABReason,
  ABTestEvents,
  ABMetric,
  ABTestOptions,
} from './ab-test.js';
export { ShadowEvaluator } from './shadow.js';
export type { ShadowOptions } from './shadow.js';
export { assignArm, fnv1a32 } from './stable-hash.js';
export { abProportionTest, abWelchTest, quantileDifference } from './two-sample-tests.js';
export type { EffectEstimate, QuantileFn } from './two-sample-tests.js';
export { mixtureLogLikelihoodRatio, msprtPValue, msprtHalfWidth } from './msprt.js';
export { normalQuantile } from '../stats/distributions.js';
export { LatencyHistogram } from './latency-histogram.js';
export { normalizeImportances } from './feature-importance.js';
export type { Importances } from './feature-importance.js';
export { permutationImportance } from './permutation-importance.js';
export type {
  PermutationImportanceOptions,
  PermutationImportanceResult,
  Row,
} from './permutation-importance.js';
export { rankDrift } from './rank-drift.js';
export type { RankedDrift, RankedFeature, TableDriftLike, FeatureDriftLike } from './rank-drift.js';
export { ImportanceTracker, importanceShiftRule, spearman } from './importance-tracker.js';
export type {
  ImportanceChange,
  ImportanceSnapshot,
  ImportanceTrackerOptions,
} from './importance-tracker.js';
export { ResourceMonitor } from './resource-monitor.js';
export type {
  MemoryReading,
  StorageReading,
  Unsupported,
  ResourceMetrics,
  ResourceEnvironment,
  ResourceMonitorOptions,
} from './resource-monitor.js';
export { OverheadMeter } from './overhead-meter.js';
export type { OverheadMetrics } from './overhead-meter.js';
export {
  latencyBudget,
  memoryBudget,
  storageQuotaBudget,
  outboxBacklogBudget,
  overheadBudget,
  budgetRules,
} from './budget-rules.js';
export type { Budgets, BudgetOptions } from './budget-rules.js';
export { deployOnWin } from './deploy-on-win.js';
export type { DeployOnWinOptions } from './deploy-on-win.js';
