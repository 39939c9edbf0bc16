/**
 * `edgewatch/streaming`: the streaming drift detectors for error or value
 * streams (one `update(x)` per observation). `edgewatch` re-exports the
 * detectors and their types from here (all but the two base classes).
 */
export { ADWIN } from '../drift/streaming/adwin.js';
export type { ADWINOptions } from '../drift/streaming/adwin.js';
export { DDM } from '../drift/streaming/ddm.js';
export type { DDMOptions } from '../drift/streaming/ddm.js';
export { EDDM } from '../drift/streaming/eddm.js';
export type { EDDMOptions } from '../drift/streaming/eddm.js';
export { HDDM_A } from '../drift/streaming/hddm-a.js';
export type { HDDMAOptions } from '../drift/streaming/hddm-a.js';
export { HDDM_W } from '../drift/streaming/hddm-w.js';
export type { HDDMWOptions } from '../drift/streaming/hddm-w.js';
export { KSWIN } from '../drift/streaming/kswin.js';
export type { KSWINOptions } from '../drift/streaming/kswin.js';
export { PageHinkley } from '../drift/streaming/page-hinkley.js';
export type { PageHinkleyOptions } from '../drift/streaming/page-hinkley.js';
export { WarningZoneDetector } from '../drift/streaming/warning-zone.js';
export { StreamingDetectorBase } from '../drift/streaming/detector-base.js';
export type { DriftSignal, StreamingDetector } from '../drift/streaming/types.js';
