/**
 * `edgewatch/streaming`: the streaming drift detectors for error or value
 * streams (one `update(x)` per observation). `edgewatch` re-exports the
 * detectors and their types from here (all but the two base classes).
 */
export * from '../drift/streaming/adwin.js';
export * from '../drift/streaming/ddm.js';
export * from '../drift/streaming/eddm.js';
export * from '../drift/streaming/hddm-a.js';
export * from '../drift/streaming/hddm-w.js';
export * from '../drift/streaming/kswin.js';
export * from '../drift/streaming/page-hinkley.js';
export { WarningZoneDetector } from '../drift/streaming/warning-zone.js';
export { StreamingDetectorBase } from '../drift/streaming/detector-base.js';
export type { DriftSignal, StreamingDetector } from '../drift/streaming/types.js';
