/**
 * `edgewatch/lifecycle`: model versions and rollouts — the model registry and
 * its store, model tags, A/B and shadow evaluation, sequential tests, feature
 * importance, resource monitoring and budget rules. `ModelRegistry` and
 * `ABTest` are also exported from `edgewatch`.
 */
export * from '../lifecycle/model-registry.js';
export * from '../lifecycle/model-tag.js';
export * from '../lifecycle/ab-test.js';
export * from '../lifecycle/shadow.js';
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
export * from '../lifecycle/overhead-meter.js';
export * from '../lifecycle/budget-rules.js';
export * from '../lifecycle/deploy-on-win.js';
export * from '../storage/model-store.js';
