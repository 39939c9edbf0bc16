/**
 * `edgewatch/collector`: the Node-only reference backend.
 */
export { startCollector } from './server.js';
export type { Collector } from './server.js';
export type { CollectorOptions } from './options.js';
export { runCollectorCli, parseCollectorArgs } from './cli.js';
export {
  FleetAggregator,
  FLEET_LATENCY_METRIC,
  OVERFLOW_DEVICE,
  LATENCY_SKETCH,
} from './fleet-aggregator.js';
export type { FleetSketchSummary } from './fleet-aggregator.js';
export { WindowDb, loadSqlite } from './window-db.js';
export type { WindowQuery, StoredReference, InsertRow } from './window-db.js';
export { RemoteWriter, windowToSeries } from './remote-write.js';
export type {
  RemoteWriteOptions,
  RemoteWriteQueue,
  QueuedWindow,
  SketchEncoding,
} from './remote-write.js';
export { nativeHistogramFromSketch } from './native-histogram.js';
export type { NativeHistogram, NativeSide, BucketSpan } from './native-histogram.js';
export * from './protobuf.js';
export { snappyEncode, snappyDecode } from './snappy.js';
export { parseIngestBody } from './ingest.js';
export { FleetProfiles } from './fleet-profiles.js';
export type {
  FleetProfileLimits,
  ModelProfiles,
  DeviceProfiles,
  TimelineBucket,
  BucketProfiles,
  ModelVersion,
  MergedRange,
} from './fleet-profiles.js';
export {
  fleetDrift,
  FLEET_FEATURE_DRIFT_METRIC,
  FLEET_DRIFT_SHARE_METRIC,
  FLEET_DRIFTED_DEVICES_METRIC,
} from './fleet-drift.js';
export type {
  FleetDriftReport,
  FeatureDrift,
  DeviceDrift,
  DeviceFeature,
  FleetDriftQuery,
  TimelineStep,
  StepCell,
} from './fleet-drift.js';
