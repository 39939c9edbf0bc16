/**
 * `edgewatch/streaming`: the streaming drift detectors for error or value
 * streams (one `update(x)` per observation). The four most used — ADWIN,
 * PageHinkley, DDM, KSWIN — are also exported from `edgewatch`.
 */
export {
  ADWIN,
  DDM,
  EDDM,
  HDDM_A,
  HDDM_W,
  KSWIN,
  PageHinkley,
  WarningZoneDetector,
  StreamingDetectorBase,
} from '../drift/index.js';
export type {
  DriftSignal,
  StreamingDetector,
  ADWINOptions,
  DDMOptions,
  EDDMOptions,
  HDDMAOptions,
  HDDMWOptions,
  KSWINOptions,
  PageHinkleyOptions,
} from '../drift/index.js';
