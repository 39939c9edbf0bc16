/**
 * edgewatch — model monitoring inside the process that runs the model.
 *
 * The main entry holds what a user needs first: the monitors, the engine,
 * Prometheus basics, the outbox and the errors. Everything else is a subpath
 * (see docs/package.md): `edgewatch/stats`, `edgewatch/streaming`,
 * `edgewatch/prometheus`, `edgewatch/lifecycle`, `edgewatch/storage`,
 * `edgewatch/engine`, `edgewatch/worker` and, in Node, `edgewatch/collector`.
 * A module whose every export is public is re-exported whole (`export *`);
 * otherwise the public names are listed. api/*.api.md records the surface
 * (`npm run api:check`), so a new export in a whole-module re-export shows
 * up there.
 */

// ---- errors ---------------------------------------------------------------------
export {
  EdgewatchError,
  ConfigError,
  DataError,
  KernelError,
  StorageError,
  TransportError,
} from './errors.js';
export type { ErrorCode } from './errors.js';

// ---- engine -----------------------------------------------------------------------
export { createEngine, getDefaultEngine } from './engine/client.js';
export type { EngineHandle, EngineApi, EngineMode, CreateEngineOptions } from './engine/client.js';
export type { KernelChoice } from './engine/worker-protocol.js';
export { decodeSketch, encodeSketch } from './kernel/sketch-format.js';
export type { DecodedSketch, DecodedSide } from './kernel/sketch-format.js';

// ---- latency & metrics collector ----------------------------------------------------
export { LatencyTracker } from './metrics/latency-tracker.js';
export type {
  LatencyTrackerOptions,
  LatencyPercentiles,
  LatencySnapshot,
} from './metrics/latency-tracker.js';
export * from './metrics/metrics-collector.js';

// ---- drift ------------------------------------------------------------------------
export * from './drift/drift-detector.js';
export type {
  DriftMethod,
  NumericDriftMethod,
  CategoricalDriftMethod,
  DriftOptions,
  FeatureDriftOptions,
  CalibrationOptions,
  DriftResult,
  TableDriftResult,
  FeatureValues,
  TableValues,
} from './stats/drift/types.js';
export type { PreparedInfo } from './stats/drift/options.js';
export { ADWIN, DDM, EDDM, HDDM_A, HDDM_W, KSWIN, PageHinkley } from './entry/streaming.js';
export type { DriftSignal, StreamingDetector } from './entry/streaming.js';
export type { ADWINOptions, DDMOptions, EDDMOptions, HDDMAOptions } from './entry/streaming.js';
export type { HDDMWOptions, KSWINOptions, PageHinkleyOptions } from './entry/streaming.js';

// ---- performance, alerts, retraining ------------------------------------------------
export { PerformanceMonitor } from './performance/performance-monitor.js';
export type {
  Label as ClassLabel,
  PerformanceTask,
  PerformanceMonitorOptions,
  PerformanceMetrics,
  ClassMetrics,
  ConfusionMatrix,
  DegradableMetric,
} from './performance/types.js';
export type { PredictionId } from './performance/pending-labels.js';
export * from './alerts/alert-rule.js';
export * from './alerts/alert-system.js';
export * from './alerts/rules.js';
export { callbackNotifier } from './alerts/notifiers/callback-notifier.js';
export * from './alerts/notifiers/webhook-notifier.js';
export type { Notifier, AlertNotification } from './alerts/notifiers/notifier.js';
export type * from './alerts/types.js';
export * from './retrain/retrain-trigger.js';
export type * from './retrain/types.js';

// ---- prometheus -------------------------------------------------------------------
export { Registry } from './prometheus/registry.js';
export type { RegistryOptions } from './prometheus/registry.js';
export type { LabelValues } from './prometheus/metric.js';
export * from './prometheus/counter.js';
export * from './prometheus/gauge.js';
export * from './prometheus/histogram.js';
export { Summary } from './prometheus/summary.js';
export type { SummaryConfig, SummaryChild } from './prometheus/summary.js';

// ---- storage, transport -------------------------------------------------------------
// From the module, not the folder index: the index re-exports the IndexedDB
// schema, whose types need the DOM library in a consumer's compile.
export { WindowStore } from './storage/window-store.js';
export type {
  WindowStoreOptions,
  WindowStoreStats,
  StoreEvent,
  DropReason,
} from './storage/window-store.js';
export { defaultDataDir } from './storage/data-dir.js';
export * from './transport/flusher.js';
export type { WindowRecord, WindowDrift, WindowAlert } from './window/window-record.js';

// ---- model lifecycle ----------------------------------------------------------------
export { ModelRegistry } from './lifecycle/model-registry.js';
export type {
  ModelRecord,
  RegisterInput,
  ModelRegistryOptions,
} from './lifecycle/model-registry.js';
export { ABTest } from './lifecycle/ab-test.js';
export type { ABArm, ABDecision, ABMetric, ABTestOptions } from './lifecycle/ab-test.js';

// ---- session ----------------------------------------------------------------------
export { EdgeMonitor } from './session/edge-monitor.js';
export type {
  EdgeMonitorOptions,
  EdgeModelOption,
  EdgeEndpointOption,
  EdgeLogger,
} from './session/edge-monitor-options.js';
export type * from './session/edge-monitor-types.js';
export type { PredictionReference, OutputDriftOptions } from './session/output-drift.js';
export type { EdgeProfilesOptions, FeatureQuality } from './session/window-profiles.js';
