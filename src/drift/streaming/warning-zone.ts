/**
 * The part every detector with a warning zone (DDM, EDDM, HDDM_A, HDDM_W)
 * shares: the drift and warning flags, the seen and dropped counts, dropping
 * values the detector does not take, and River's reset on the update after a
 * drift. A detector supplies what it accepts, one step of its statistic, and
 * how its own state resets.
 */
import type { DriftSignal, StreamingDetector } from './types.js';
import { toBit } from './types.js';

/** Base of the detectors that report a warning zone before drift. */
export abstract class WarningZoneDetector implements StreamingDetector {
  /** Whether the last update detected drift (set by `step`). */
  protected drift = false;
  /** Whether the last update landed in the warning zone (set by `step`). */
  protected warning = false;
  private seenCount = 0;
  private droppedCount = 0;

  get driftDetected(): boolean {
    return this.drift;
  }
  /** Whether the last update landed in the warning zone. */
  get warningDetected(): boolean {
    return this.warning;
  }
  get seen(): number {
    return this.seenCount;
  }
  get dropped(): number {
    return this.droppedCount;
  }

  reset(): void {
    this.resetState();
    this.drift = false;
    this.warning = false;
  }

  /**
   * @param x - an error indicator (1/true = error, 0/false = correct); HDDM_A and HDDM_W also take a value in [0, 1]. Anything else is dropped and counted.
   * @returns drift and warning flags.
   */
  update(x: number | boolean): DriftSignal {
    this.seenCount++;
    const v = this.accept(x);
    if (v === undefined) {
      this.droppedCount++;
      return { drift: false, warning: this.warning };
    }
    if (this.drift) this.reset();
    this.step(v);
    return { drift: this.drift, warning: this.warning };
  }

  /**
   * Reads one input.
   *
   * @param x - the value given to `update`.
   * @returns the number to feed, or undefined to drop it.
   */
  protected abstract accept(x: number | boolean): number | undefined;

  /**
   * Feeds one accepted value and sets `drift` and `warning`.
   *
   * @param v - the value.
   */
  protected abstract step(v: number): void;

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
