/**
 * The part every streaming detector shares: the drift flag, the seen and
 * dropped counts, dropping values the detector does not take, and River's
 * reset on the update after a drift. A detector supplies one step of its
 * statistic and how it resets; it may narrow what it accepts.
 */
import type { NumberSpec } from '../../util/options.js';
import type { DriftSignal, StreamingDetector } from './types.js';

/** Observations before a detector may signal (DDM, EDDM `warmStart`; PageHinkley `minInstances`): a whole number, 30 by default. */
export const WARM_START: NumberSpec = [30, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }];

/** HDDM_A's and HDDM_W's two confidence levels, each in (0, 1). */
export const HDDM_CONFIDENCES = {
  driftConfidence: [0.001, { above: 0, below: 1 }],
  warningConfidence: [0.005, { above: 0, below: 1 }],
} as const satisfies Record<string, NumberSpec>;

/** Base of the streaming drift detectors. Not constructed directly. */
export abstract class StreamingDetectorBase implements StreamingDetector {
  /** Whether the last update detected drift (set by `step`). */
  protected drift = false;
  private seenCount = 0;
  private droppedCount = 0;

  get driftDetected(): boolean {
    return this.drift;
  }
  get seen(): number {
    return this.seenCount;
  }
  get dropped(): number {
    return this.droppedCount;
  }

  abstract reset(): void;

  /**
   * @param x - a value; one the detector does not take (a non-finite number, or
   *   for the error-rate detectors anything but an error indicator) is dropped and counted.
   * @returns the drift flag (and the warning flag, for detectors that have one).
   */
  update(x: number | boolean): DriftSignal {
    this.seenCount++;
    const v = this.accept(x);
    if (v === undefined) {
      this.droppedCount++;
      return this.signal(false);
    }
    if (this.drift && this.resetsAfterDrift()) this.reset();
    this.step(v);
    return this.signal(this.drift);
  }

  /**
   * Reads one input: by default a finite number.
   *
   * @param x - the value given to `update`.
   * @returns the number to feed, or undefined to drop it.
   */
  protected accept(x: number | boolean): number | undefined {
    return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
  }

  /** Whether the update after a drift starts afresh (River's default: yes). */
  protected resetsAfterDrift(): boolean {
    return true;
  }

  /**
   * Feeds one accepted value and sets `drift`.
   *
   * @param v - the value.
   */
  protected abstract step(v: number): void;

  /** What `update` returns. */
  protected signal(drift: boolean): DriftSignal {
    return { drift };
  }
}
