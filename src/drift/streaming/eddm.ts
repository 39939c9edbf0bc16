/**
 * EDDM — Early Drift Detection Method (Baena-García et al. 2006), River's
 * defaults and semantics: on an error stream, track the mean p′ and standard
 * deviation s′ of the distance between consecutive errors; remember the
 * largest p′ + 2s′; warn when the current ratio to it falls below `alpha`
 * (0.95) and signal drift below `beta` (0.9), once more than `warmStart`
 * values and errors were seen.
 */
import { ConfigError } from '../../errors.js';
import { numberOptions } from '../../util/options.js';
import { acceptBit, WarningZoneDetector } from './warning-zone.js';
import { WARM_START } from './detector-base.js';

/** Options of {@link EDDM} (River defaults). */
export interface EDDMOptions {
  /** Values and errors before detection starts (default 30). */
  warmStart?: number;
  /** Warning ratio (default 0.95). */
  alpha?: number;
  /** Drift ratio (default 0.9), ≤ alpha. */
  beta?: number;
}

/**
 * EDDM detector on an error stream. O(1) per update.
 *
 * @example
 * const eddm = new EDDM();
 * eddm.update(1); // { drift: false, warning: false }
 */
export class EDDM extends WarningZoneDetector {
  /** The `warmStart` option in effect (after defaults). */
  readonly warmStart: number;
  /** The `alpha` option in effect (after defaults). */
  readonly alpha: number;
  /** The `beta` option in effect (after defaults). */
  readonly beta: number;
  private n = 0;
  private lastError = 0;
  private nErrors = 0;
  private distMean = 0;
  private distM2 = 0;
  private p2sMax = -1;

  /**
   * @param options - warm start, alpha, beta.
   * @throws ConfigError for out-of-range options or alpha < beta.
   */
  constructor(options: EDDMOptions = {}) {
    super();
    const o = numberOptions(
      options,
      {
        warmStart: WARM_START,
        alpha: [0.95, { min: 0, max: 1 }],
        beta: [0.9, { min: 0, max: 1 }],
      },
      'EDDM',
    );
    this.warmStart = o.warmStart;
    this.alpha = o.alpha;
    this.beta = o.beta;
    if (this.alpha < this.beta)
      throw new ConfigError(`alpha: expected alpha ≥ beta (${this.beta}), got ${this.alpha}`);
  }

  protected resetState(): void {
    this.n = 0;
    this.lastError = 0;
    this.nErrors = 0;
    this.distMean = 0;
    this.distM2 = 0;
    this.p2sMax = -1;
  }

  protected accept(x: number | boolean): number | undefined {
    return acceptBit(x);
  }

  protected step(bit: number): void {
    this.n++;
    if (bit === 1) {
      this.nErrors++;
      const dist = this.n - this.lastError;
      const delta = dist - this.distMean;
      this.distMean += delta / this.nErrors;
      this.distM2 += delta * (dist - this.distMean);
      if (this.n > this.warmStart) {
        const variance = this.nErrors > 1 ? this.distM2 / (this.nErrors - 1) : 0;
        const p2s = this.distMean + 2 * Math.sqrt(variance);
        if (p2s > this.p2sMax) this.p2sMax = p2s;
        else if (this.nErrors > this.warmStart) {
          const level = p2s / this.p2sMax;
          if (level < this.beta) this.drift = true;
          else this.warning = level < this.alpha;
        }
      }
      this.lastError = this.n;
    }
  }
}
