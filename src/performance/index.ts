/** Performance layer: the sliding-window performance monitor and its statistics. */
export { PerformanceMonitor } from './performance-monitor.js';
export { relativeDegradation, METRIC_DIRECTIONS } from './degradation.js';
export type { MetricDirection } from './degradation.js';
export { WindowedAuc } from './windowed-auc.js';
export { OrderStatisticTree } from './order-statistic-tree.js';
export type { PredictionId } from './pending-labels.js';
export type {
  Label,
  PerformanceTask,
  PerformanceMonitorOptions,
  PerformanceMetrics,
  ClassMetrics,
  ConfusionMatrix,
  DegradableMetric,
} from './types.js';
