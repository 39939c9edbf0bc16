/** The session layer: `EdgeMonitor`, the whole on-device loop in one object. */
export { EdgeMonitor } from './edge-monitor.js';
export { defaultRules, resolveEdgeOptions } from './edge-monitor-options.js';
export type {
  EdgeMonitorOptions,
  EdgeModelOption,
  EdgeEndpointOption,
  EdgeLogger,
  ResolvedEdgeOptions,
} from './edge-monitor-options.js';
export type {
  Observation,
  TaggedAlert,
  TaggedDrift,
  TaggedOutputDrift,
  WindowEvent,
  EdgeMonitorEvents,
} from './edge-monitor-types.js';
export { FeatureBuffer, columnKinds } from './feature-buffer.js';
export type { ColumnKinds, FeatureTable, PushOutcome } from './feature-buffer.js';
export { flattenPerformance, toWindowDrift } from './window-contents.js';
export { finishWindow, tagAlert, MAX_WINDOW_PREDICTIONS } from './finish-window.js';
export type { WindowCapture, FinishContext, AlertEvent } from './finish-window.js';
export type { PredictionReference, OutputDriftOptions } from './output-drift.js';
export type {
  EmbeddingWatchOptions,
  MultivariateFeaturesOptions,
  CbpeWatchOptions,
} from './multivariate-watch.js';
export type { EdgeProfilesOptions, FeatureQuality } from './window-profiles.js';
