/**
 * The sequential rule behind {@link ABTest}'s `'msprt'` decisions: a paired,
 * symmetry-based normal-mixture test that is exactly valid at every sample,
 * with tied and discrete data, without any normal approximation.
 *
 * Records of the two arms are paired in arrival order (the k-th control record
 * with the k-th candidate record; in shadow mode that is the same input). Each
 * pair gives a "candidate advantage" d:
 * - accuracy: correct(candidate) − correct(control) ∈ {−1, 0, 1};
 * - error: error(control) − error(candidate);
 * - latency: [control > ξ] − [candidate > ξ], with ξ the pooled `quantile`
 *   (default p95) of the calibration pairs — a quantile-exceedance sign test.
 *
 * Under H0 (the two models are exchangeable) every d is symmetric about 0,
 * whatever its distribution: ties and rounding only produce d = 0 or a
 * lattice of values, which changes nothing. For symmetric d and any λ,
 * exp(λS − λ²V/2) with S = Σd, V = Σd² is a supermartingale (cosh x ≤ e^{x²/2};
 * de la Peña 1999), and so is its mixture over λ ~ N(0, 1/ρ):
 *
 *   Λ = sqrt(ρ / (ρ + V)) · exp(S² / (2 (ρ + V))).
 *
 * Ville's inequality gives P(Λ ever ≥ 1/α | H0) ≤ α: the running min(1, 1/Λ)
 * is an always-valid p-value, exact for every n. The first `burnIn` pairs only
 * calibrate ξ and ρ and never enter S and V, so the calibration cannot bias
 * the test. Pairing in arrival order does not look at values, so it keeps
 * validity; with unequal arms the surplus of the larger arm waits in a bounded
 * queue (oldest discarded beyond `maxQueue`, counted in `unpaired`).
 */
import type { ABMetric } from './ab-test-options.js';

/** How the mixture is tuned: the standardised effect δ = E[d] / sd(d) it is most sensitive to. */
export interface PairedSequentialOptions {
  metric: ABMetric;
  /** Type-I error bound. */
  alpha: number;
  /** Pairs used only for calibration (ξ and ρ), ≥ 2. */
  burnIn: number;
  /** Latency: the quantile whose exceedance is compared. */
  quantile: number;
  /** Effect of interest in the metric's units (see ABTestOptions.tau); undefined: the metric's default. */
  tau: number | undefined;
  /** Bound on the unpaired surplus kept per arm (default 65,536). */
  maxQueue?: number;
}

/** Bounded FIFO of numbers. */
class Fifo {
  private buf: Float64Array;
  private head = 0;
  size = 0;
  constructor(private readonly cap: number) {
    this.buf = new Float64Array(Math.min(cap, 64));
  }
  /** @returns whether the oldest value was discarded to make room. */
  push(x: number): boolean {
    let dropped = false;
    if (this.size === this.cap) {
      this.head = (this.head + 1) % this.buf.length;
      this.size--;
      dropped = true;
    } else if (this.size === this.buf.length) {
      const next = new Float64Array(Math.min(this.cap, this.buf.length * 2));
      for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) % this.buf.length]!;
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this.size) % this.buf.length] = x;
    this.size++;
    return dropped;
  }
  shift(): number {
    const x = this.buf[this.head]!;
    this.head = (this.head + 1) % this.buf.length;
    this.size--;
    return x;
  }
}

const MIN_DELTA = 0.01;
const MAX_DELTA = 1;

/** Paired anytime-valid test of "candidate better/worse than control". */
export class PairedSequentialTest {
  /** Pairs formed (calibration included). */
  pairs = 0;
  /** Records discarded from the unpaired queue (still counted in the arm statistics). */
  unpaired = 0;
  /** Σd and Σd² over the test pairs (after calibration). */
  sum = 0;
  sumSq = 0;
  /** Running minimum of 1/Λ. */
  pValue = 1;
  /** Sign of S at the first crossing of 1/α: +1 candidate better, −1 worse, 0 not crossed. */
  crossed: -1 | 0 | 1 = 0;
  /** Latency threshold ξ (NaN until calibrated or for other metrics). */
  threshold = NaN;
  /** Mixture precision ρ (NaN until calibrated). */
  rho = NaN;
  private readonly logBound: number;
  private readonly control: Fifo;
  private readonly candidate: Fifo;
  private calib: { control: number[]; candidate: number[] } | undefined = {
    control: [],
    candidate: [],
  };

  constructor(private readonly o: PairedSequentialOptions) {
    this.logBound = Math.log(1 / o.alpha);
    this.control = new Fifo(o.maxQueue ?? 65_536);
    this.candidate = new Fifo(o.maxQueue ?? 65_536);
  }

  /** Whether calibration is over and the test is running. */
  get calibrated(): boolean {
    return this.calib === undefined;
  }

  /**
   * Adds one record of an arm. O(1) amortised (O(burnIn log burnIn) once, at calibration).
   * @param arm - which arm.
   * @param value - accuracy: 1 correct / 0 wrong; error: the error; latency: ms.
   */
  add(arm: 'control' | 'candidate', value: number): void {
    const mine = arm === 'control' ? this.control : this.candidate;
    const other = arm === 'control' ? this.candidate : this.control;
    if (other.size === 0) {
      if (mine.push(value)) this.unpaired++;
      return;
    }
    const o = other.shift();
    if (arm === 'control') this.pair(value, o);
    else this.pair(o, value);
  }

  private pair(control: number, candidate: number): void {
    this.pairs++;
    const calib = this.calib;
    if (calib) {
      calib.control.push(control);
      calib.candidate.push(candidate);
      if (calib.control.length >= this.o.burnIn) this.calibrate(calib);
      return;
    }
    const d = this.advantage(control, candidate);
    if (d === 0) return;
    this.sum += d;
    this.sumSq += d * d;
    const s = this.rho + this.sumSq;
    const logLambda = 0.5 * Math.log(this.rho / s) + (this.sum * this.sum) / (2 * s);
    const p = Math.exp(-logLambda);
    if (p < this.pValue) this.pValue = Math.min(1, p);
    if (this.crossed === 0 && logLambda >= this.logBound) this.crossed = this.sum > 0 ? 1 : -1;
  }

  private advantage(control: number, candidate: number): number {
    switch (this.o.metric) {
      case 'accuracy':
        return candidate - control;
      case 'error':
        return control - candidate;
      case 'latency':
        return (control > this.threshold ? 1 : 0) - (candidate > this.threshold ? 1 : 0);
    }
  }

  private calibrate(calib: { control: number[]; candidate: number[] }): void {
    const n = calib.control.length;
    const q = this.o.quantile;
    let scale = 0; // the effect of interest in d's units
    if (this.o.metric === 'latency') {
      const pooled = calib.control.concat(calib.candidate).sort((a, b) => a - b);
      const at = (p: number): number => pooled[Math.floor(p * (pooled.length - 1))]!;
      this.threshold = at(q);
      // a quantile shift of tau ms moves the exceedance rate by ≈ f(ξ)·tau (Siddiqui density estimate)
      const tau = this.o.tau ?? 0.1 * this.threshold;
      const h = Math.min(Math.cbrt(1 / pooled.length), q / 2, (1 - q) / 2);
      const spread = at(q + h) - at(q - h);
      scale = spread > 0 ? (2 * h * tau) / spread : NaN;
    }
    let sumSq = 0;
    let errSum = 0;
    let errSq = 0;
    for (let i = 0; i < n; i++) {
      const d = this.advantage(calib.control[i]!, calib.candidate[i]!);
      sumSq += d * d;
      if (this.o.metric === 'error') {
        errSum += calib.control[i]! + calib.candidate[i]!;
        errSq += calib.control[i]! ** 2 + calib.candidate[i]! ** 2;
      }
    }
    if (this.o.metric === 'accuracy') scale = this.o.tau ?? 0.05;
    if (this.o.metric === 'error') {
      const mean = errSum / (2 * n);
      const sd = Math.sqrt(Math.max(0, errSq / (2 * n) - mean * mean));
      scale = this.o.tau ?? 0.2 * sd;
    }
    // per-pair variance of d, floored at one unit-sized discordance over the calibration pairs
    const unit = this.o.metric === 'error' ? Math.max(scale * scale, Number.MIN_VALUE) : 1;
    const variance = Math.max(sumSq / n, unit / n);
    const sd = Math.sqrt(variance);
    const raw = scale / sd;
    const delta =
      Number.isFinite(raw) && raw > 0 ? Math.min(MAX_DELTA, Math.max(MIN_DELTA, raw)) : 0.1;
    // λ ~ N(0, 1/ρ) centred on the optimal λ* = δ / sd: ρ = variance / δ²
    this.rho = variance / (delta * delta);
    this.calib = undefined;
  }
}
