/**
 * edgewatch — model monitoring inside the process that runs the model.
 * Public entry point. Every export is listed by name (no `export *`).
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

// ---- kernel & engine ----------------------------------------------------------
export { createEngine, getDefaultEngine, transfer } from './engine/client.js';
export type { EngineHandle, EngineApi, EngineMode, CreateEngineOptions } from './engine/client.js';
export type { Engine } from './engine/engine.js';
export type { SketchSummary } from './engine/sketch-service.js';
export type { KernelChoice } from './engine/worker-protocol.js';
export { DEFAULT_SCALE, MIN_SCALE, MAX_SCALE, relativeErrorBound } from './kernel/kernel.js';
export type { Kernel, SketchStats, SketchBuckets, Moments } from './kernel/kernel.js';
export { decodeSketch, encodeSketch } from './kernel/sketch-format.js';
export type { DecodedSketch, DecodedSide } from './kernel/sketch-format.js';

// ---- latency & metrics collector ------------------------------------------------
export { LatencyTracker } from './metrics/latency-tracker.js';
export type {
  LatencyTrackerOptions,
  LatencyPercentiles,
  LatencySnapshot,
} from './metrics/latency-tracker.js';
export { MetricsCollector } from './metrics/metrics-collector.js';
export type {
  MetricsCollectorOptions,
  MetricSummary,
  MetricsSnapshot,
} from './metrics/metrics-collector.js';

// ---- drift ----------------------------------------------------------------------
export {
  DriftDetector,
  ADWIN,
  DDM,
  EDDM,
  HDDM_A,
  HDDM_W,
  KSWIN,
  PageHinkley,
  DRIFT_METHODS,
  EVIDENTLY_METHOD_ALIASES,
  defaultThreshold,
  methodKind,
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
  chiSquareGof,
  gTestGof,
  contingencyTest,
  twoProportionZTest,
  fisherExact,
} from './drift/index.js';
export type {
  DriftDetectorOptions,
  DriftData,
  DetectResult,
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
  PreparedInfo,
  DriftSignal,
  StreamingDetector,
  ADWINOptions,
  DDMOptions,
  EDDMOptions,
  HDDMAOptions,
  HDDMWOptions,
  KSWINOptions,
  PageHinkleyOptions,
  TwoSampleTest,
  KsMode,
  KsResult,
} from './drift/index.js';

// ---- performance, alerts, retraining -------------------------------------------
export {
  PerformanceMonitor,
  relativeDegradation,
  METRIC_DIRECTIONS,
  WindowedAuc,
} from './performance/index.js';
export type {
  Label as ClassLabel,
  PerformanceTask,
  PerformanceMonitorOptions,
  PerformanceMetrics,
  ClassMetrics,
  ConfusionMatrix,
  DegradableMetric,
  MetricDirection,
  PredictionId,
} from './performance/index.js';
export {
  AlertRule,
  AlertSeverity,
  AlertSystem,
  performanceDrop,
  latencyAbove,
  driftDetected,
  outputDriftDetected,
  callbackNotifier,
  webhookNotifier,
} from './alerts/index.js';
export type {
  AlertRuleOptions,
  AlertSystemOptions,
  RuleFactoryOptions,
  PerformanceDropOptions,
  WebhookNotifierOptions,
  WebhookPayload,
  Notifier,
  AlertNotification,
  Alert,
  AlertMetrics,
  AlertState,
  AlertSystemError,
  AlertSystemEvents,
} from './alerts/index.js';
export { RetrainTrigger } from './retrain/index.js';
export type {
  RetrainTriggerOptions,
  AttachFilter,
  DetectorLike,
  DriftVerdict,
  RetrainEvidence,
  RetrainOutcome,
  RetrainReason,
  RetrainSkipReason,
  RetrainCheckResult,
  RetrainTriggerEvents,
} from './retrain/index.js';

// ---- prometheus & OTLP export ----------------------------------------------------
export { Registry, defaultRegistry, register } from './metrics/registry.js';
export type { RegistryOptions, RegistrableMetric } from './metrics/registry.js';
export { Metric, DEFAULT_MAX_SERIES, OVERFLOW_LABEL_VALUE } from './metrics/metric.js';
export type { MetricConfig, LabelValues } from './metrics/metric.js';
export { Counter } from './metrics/counter.js';
export type { CounterConfig, CounterChild } from './metrics/counter.js';
export { Gauge } from './metrics/gauge.js';
export type { GaugeConfig, GaugeChild } from './metrics/gauge.js';
export { Histogram } from './metrics/histogram.js';
export type { HistogramConfig, HistogramChild } from './metrics/histogram.js';
export { Summary, DEFAULT_PERCENTILES } from './metrics/summary.js';
export type { SummaryConfig, SummaryChild } from './metrics/summary.js';
export { DEFAULT_BUCKETS, linearBuckets, exponentialBuckets } from './metrics/prom-buckets.js';
export { classicFromSketch, isSketchEdge } from './metrics/prom-sketch.js';
export { MonitorExporter } from './metrics/prom-monitors.js';
export type {
  MonitorMetricsOptions,
  SourceLabels,
  LatencySource,
  CollectorSource,
  PerformanceSource,
  AlertSource,
  DriftResultLike,
  DriftTableLike,
} from './metrics/prom-monitors.js';
export {
  PROMETHEUS_CONTENT_TYPE,
  OPENMETRICS_CONTENT_TYPE,
  formatExposition,
  negotiateFormat,
  serveMetrics,
  pushToGateway,
  deleteFromGateway,
  toOtlpRequest,
  pushOtlp,
  exponentialHistogramPoint,
  EDGEWATCH_METRICS,
  EDGEWATCH_LABELS,
  LATENCY_BUCKETS_MS,
  MS_PER_SECOND,
} from './export/index.js';
export type {
  MetricFamily,
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  SummaryFamily,
  MetricType,
  ExponentialBuckets,
  ExpositionFormat,
  ServeMetricsOptions,
  MetricsServer,
  PushOptions,
  PushgatewayOptions,
  OtlpOptions,
  PushOtlpOptions,
  EdgewatchMetricKey,
} from './export/index.js';

// ---- storage, transport ----------------------------------------------------------
export { WindowStore, PredictionLog, MemoryBackend, FileBackend, PREDICTION_CSV_COLUMNS } from './storage/index.js';
export { defaultDataDir } from './storage/index.js';
export type {
  WindowStoreOptions,
  WindowStoreStats,
  AppendResult,
  StoreEvent,
  DropReason,
  PredictionLogOptions,
  StoreBackend,
  OutboxEntry,
  DeadLetter,
} from './storage/index.js';
export { Flusher, backoffDelay, parseRetryAfter } from './transport/index.js';
export type {
  FlusherOptions,
  FlusherEvent,
  FlushResult,
  LeaderMode,
  Clock,
} from './transport/index.js';
export {
  WindowSealer,
  buildWindowRecord,
  validateWindowRecord,
  WINDOW_SCHEMA_VERSION,
  bytesToBase64,
  base64ToBytes,
} from './window/index.js';
export type {
  WindowRecord,
  WindowParts,
  WindowSealerOptions,
  WindowDrift,
  WindowAlert,
  PredictionEntry,
} from './window/index.js';

// ---- model lifecycle --------------------------------------------------------------
export {
  ModelRegistry,
  modelTag,
  withModelTag,
  modelLabels,
  toWindowModel,
  ABTest,
  ShadowEvaluator,
  deployOnWin,
  assignArm,
  quantileDifference,
  msprtPValue,
  msprtHalfWidth,
  normalizeImportances,
  permutationImportance,
  rankDrift,
  ImportanceTracker,
  importanceShiftRule,
  ResourceMonitor,
  OverheadMeter,
  latencyBudget,
  memoryBudget,
  storageQuotaBudget,
  outboxBacklogBudget,
  overheadBudget,
  budgetRules,
} from './lifecycle/index.js';
export type {
  ModelRecord,
  RegisterInput,
  ModelRegistryOptions,
  ModelRegistryEvents,
  ModelTag,
  ModelLabels,
  ABArm,
  ABDecision,
  ABReason,
  ABTestEvents,
  ABMetric,
  ABTestOptions,
  ShadowOptions,
  DeployOnWinOptions,
  EffectEstimate,
  QuantileFn,
  Importances,
  PermutationImportanceOptions,
  PermutationImportanceResult,
  RankedDrift,
  RankedFeature,
  ImportanceChange,
  ImportanceSnapshot,
  ImportanceTrackerOptions,
  MemoryReading,
  StorageReading,
  ResourceMetrics,
  ResourceEnvironment,
  ResourceMonitorOptions,
  OverheadMetrics,
  Budgets,
  BudgetOptions,
} from './lifecycle/index.js';
export { openModelStore } from './storage/model-store.js';
export type {
  ModelStore,
  ModelStoreOptions,
  StoredModel,
  StoredActive,
} from './storage/model-store.js';

// ---- session ----------------------------------------------------------------------
export { EdgeMonitor } from './session/index.js';
export type {
  EdgeMonitorOptions,
  EdgeModelOption,
  EdgeEndpointOption,
  EdgeLogger,
  Observation,
  TaggedAlert,
  TaggedDrift,
  TaggedOutputDrift,
  PredictionReference,
  OutputDriftOptions,
  WindowEvent,
  EdgeMonitorEvents,
} from './session/index.js';
