/**
 * DDM — Drift Detection Method (Gama et al. 2004), with River's defaults and
 * semantics: on a stream of error indicators (1 = error), track the error rate
 * p and s = √(p(1−p)/n); remember p_min, s_min where p + s was smallest; warn
 * when p + s > p_min + 2·s_min and signal drift when p + s > p_min + 3·s_min,
 * after `warmStart` values.
 */
import { numberOptions } from '../../util/options.js';
import { acceptBit, WarningZoneDetector } from './warning-zone.js';
import { WARM_START } from './detector-base.js';

/** Options of {@link DDM} (River defaults). */
export interface DDMOptions {
  /** Values before detection starts (default 30). */
  warmStart?: number;
  /** Warning level in multiples of s_min (default 2). */
  warningThreshold?: number;
  /** Drift level in multiples of s_min (default 3). */
  driftThreshold?: number;
}

/**
 * DDM detector on an error stream. O(1) per update.
 *
 * @example
 * const ddm = new DDM();
 * for (const wrong of errors) if (ddm.update(wrong).drift) retrain();
 */
export class DDM extends WarningZoneDetector {
  /** The `warmStart` option in effect (after defaults). */
  readonly warmStart: number;
  /** The `warningThreshold` option in effect (after defaults). */
  readonly warningThreshold: number;
  /** The `driftThreshold` option in effect (after defaults). */
  readonly driftThreshold: number;
  private n = 0;
  private p = 0;
  private pMin = Infinity;
  private sMin = Infinity;
  private psMin = Infinity;

  /**
   * @param options - warm start and thresholds.
   * @throws ConfigError for out-of-range options.
   */
  constructor(options: DDMOptions = {}) {
    super();
    const o = numberOptions(
      options,
      {
        warmStart: WARM_START,
        warningThreshold: [2, { min: 0, max: 1e6 }],
        driftThreshold: [3, { min: 0, max: 1e6 }],
      },
      'DDM',
    );
    this.warmStart = o.warmStart;
    this.warningThreshold = o.warningThreshold;
    this.driftThreshold = o.driftThreshold;
  }

  protected resetState(): void {
    this.n = 0;
    this.p = 0;
    this.pMin = Infinity;
    this.sMin = Infinity;
    this.psMin = Infinity;
  }

  protected accept(x: number | boolean): number | undefined {
    return acceptBit(x);
  }

  protected step(bit: number): void {
    this.n++;
    this.p += (bit - this.p) / this.n;
    const s = Math.sqrt((this.p * (1 - this.p)) / this.n);
    if (this.n > this.warmStart) {
      if (this.p + s <= this.psMin) {
        this.pMin = this.p;
        this.sMin = s;
        this.psMin = this.p + s;
      }
      this.warning = this.p + s > this.pMin + this.warningThreshold * this.sMin;
      if (this.p + s > this.pMin + this.driftThreshold * this.sMin) {
        this.drift = true;
        this.warning = false;
      }
    }
  }
}
