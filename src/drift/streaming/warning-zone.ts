/**
 * The part every detector with a warning zone (DDM, EDDM, HDDM_A, HDDM_W)
 * shares on top of {@link StreamingDetectorBase}: the warning flag, reported
 * with every update and cleared by `reset`. A detector supplies what it
 * accepts, one step of its statistic, and how its own state resets.
 */
import { StreamingDetectorBase } from './detector-base.js';
import type { DriftSignal } from './types.js';
import { toBit } from './types.js';

/** Base of the detectors that report a warning zone before drift. */
export abstract class WarningZoneDetector extends StreamingDetectorBase {
  /** Whether the last update landed in the warning zone (set by `step`). */
  protected warning = false;

  /** Whether the last update landed in the warning zone. */
  get warningDetected(): boolean {
    return this.warning;
  }

  reset(): void {
    this.resetState();
    this.drift = false;
    this.warning = false;
  }

  protected override signal(drift: boolean): DriftSignal {
    return { drift, warning: this.warning };
  }

  /**
   * Reads one input.
   *
   * @param x - the value given to `update`.
   * @returns the number to feed, or undefined to drop it.
   */
  protected abstract override accept(x: number | boolean): number | undefined;

  /**
   * Feeds one accepted value and sets `drift` and `warning`.
   *
   * @param v - the value.
   */
  protected abstract override step(v: number): void;

  /** Forgets the detector's own statistics (the flags are reset by `reset`). */
  protected abstract resetState(): void;
}

/**
 * Accepts a 0/1 error indicator (or a boolean).
 *
 * @param x - the input.
 * @returns 0, 1 or undefined (dropped).
 * @example acceptBit(true) // => 1
 */
export function acceptBit(x: number | boolean): number | undefined {
  return toBit(x);
}

/**
 * Accepts an error indicator (boolean, 0/1) or a value in [0, 1].
 *
 * @param x - the input.
 * @returns the value, or undefined (dropped).
 * @example acceptUnit(0.25) // => 0.25
 */
export function acceptUnit(x: number | boolean): number | undefined {
  const v = typeof x === 'boolean' ? toBit(x) : x;
  return typeof v === 'number' && v >= 0 && v <= 1 ? v : undefined;
}
