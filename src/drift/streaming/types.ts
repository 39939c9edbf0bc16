/**
 * Shared shape of the streaming drift detectors (River's semantics): feed one
 * value at a time with `update(x)`; it returns whether drift (and, for the
 * detectors that have one, a warning zone) was detected at this value. After a
 * drift the detector resets itself on the next update, as River does.
 * `update` never throws: non-finite values are dropped and counted.
 */

/** What `update` returns. */
export interface DriftSignal {
  /** Whether this update detected a change. */
  drift: boolean;
  /** Present on detectors with a warning zone (DDM, EDDM, HDDM_A, HDDM_W). */
  warning?: boolean;
}

/** Common surface of the streaming detectors. */
export interface StreamingDetector {
  /** Feeds one value (an error indicator 0/1 for DDM/EDDM/HDDM, any number otherwise). */
  update(x: number | boolean): DriftSignal;
  /** Forgets everything seen so far (options are kept). */
  reset(): void;
  /** Whether the last update detected drift. */
  readonly driftDetected: boolean;
  /** Values seen since construction (including dropped ones). */
  readonly seen: number;
  /** Values dropped because they were not finite numbers (or, for binary detectors, not 0/1). */
  readonly dropped: number;
}

/**
 * Reads a 0/1 error indicator; undefined for anything else (dropped).
 *
 * @param x - a boolean or 0/1.
 * @returns 0, 1 or undefined.
 * @example toBit(true) // => 1
 */
export function toBit(x: unknown): 0 | 1 | undefined {
  if (x === true || x === 1) return 1;
  if (x === false || x === 0) return 0;
  return undefined;
}
