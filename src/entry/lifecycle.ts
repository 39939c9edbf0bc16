/**
 * `edgewatch/lifecycle`: model versions and rollouts — the model registry and
 * its store, model tags, A/B and shadow evaluation, sequential tests, feature
 * importance, resource monitoring and budget rules. `ModelRegistry` and
 * `ABTest` are also exported from `edgewatch`.
 */
export { ModelRegistry } from '../lifecycle/model-registry.js';
export type {
  ModelRecord,
  RegisterInput,
  ModelRegistryOptions,
  ModelRegistryEvents,
} from '../lifecycle/model-registry.js';
export { modelTag, withModelTag, modelLabels, toWindowModel } from '../lifecycle/model-tag.js';
export type { ModelTag, ModelLabels } from '../lifecycle/model-tag.js';
export { ABTest } from '../lifecycle/ab-test.js';
export type {
  ABArm,
  ABDecision,
  ABReason,
  ABTestEvents,
  ABMetric,
  ABTestOptions,
} from '../lifecycle/ab-test.js';
export { ShadowEvaluator } from '../lifecycle/shadow.js';
export type { ShadowOptions } from '../lifecycle/shadow.js';
export { assignArm } from '../lifecycle/stable-hash.js';
export {
  abProportionTest,
  abWelchTest,
  quantileDifference,
} from '../lifecycle/two-sample-tests.js';
export type { EffectEstimate, QuantileFn } from '../lifecycle/two-sample-tests.js';
export { msprtPValue, msprtHalfWidth } from '../lifecycle/msprt.js';
export { normalizeImportances } from '../lifecycle/feature-importance.js';
export type { Importances } from '../lifecycle/feature-importance.js';
export { permutationImportance } from '../lifecycle/permutation-importance.js';
export type {
  PermutationImportanceOptions,
  PermutationImportanceResult,
} from '../lifecycle/permutation-importance.js';
export { rankDrift } from '../lifecycle/rank-drift.js';
export type { RankedDrift, RankedFeature } from '../lifecycle/rank-drift.js';
export { ImportanceTracker, importanceShiftRule } from '../lifecycle/importance-tracker.js';
export type {
  ImportanceChange,
  ImportanceSnapshot,
  ImportanceTrackerOptions,
} from '../lifecycle/importance-tracker.js';
export { ResourceMonitor } from '../lifecycle/resource-monitor.js';
export type {
  MemoryReading,
  StorageReading,
  ResourceMetrics,
  ResourceEnvironment,
  ResourceMonitorOptions,
} from '../lifecycle/resource-monitor.js';
export { OverheadMeter } from '../lifecycle/overhead-meter.js';
export type { OverheadMetrics } from '../lifecycle/overhead-meter.js';
export {
  latencyBudget,
  memoryBudget,
  storageQuotaBudget,
  outboxBacklogBudget,
  overheadBudget,
  budgetRules,
} from '../lifecycle/budget-rules.js';
export type { Budgets, BudgetOptions } from '../lifecycle/budget-rules.js';
export { deployOnWin } from '../lifecycle/deploy-on-win.js';
export type { DeployOnWinOptions } from '../lifecycle/deploy-on-win.js';
export { openModelStore } from '../storage/model-store.js';
export type {
  ModelStore,
  ModelStoreOptions,
  ModelSnapshot,
  StoredModel,
  StoredActive,
} from '../storage/model-store.js';
