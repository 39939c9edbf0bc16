/**
 * A/B and shadow evaluation of a candidate model against the active (control)
 * model, with a decision rule that is safe to check at any time.
 *
 * Decision rules (choose with `rule`):
 * - `'msprt'` (default) — SEQUENTIAL, always valid. Records are paired in
 *   arrival order and a normal-mixture martingale for symmetric differences
 *   (`paired-sequential.ts`) runs on the per-pair candidate advantage; its
 *   running `min(1, 1/Λ)` is an always-valid p-value, exact at every sample
 *   size and with tied or discrete values (rounded latencies, 0/1 outcomes).
 *   `decide()` may be called after every sample; the type-I error is ≤
 *   `alpha`. The first `minSamples` pairs calibrate the test (latency
 *   threshold, mixture scale) and do not count as evidence. The test stops at
 *   the first crossing: `'promote'` if the candidate is better there, `'keep'`
 *   if it is worse. `maxSamples` adds a futility stop (`'keep'` when no
 *   difference is found by then).
 * - `'fixed-horizon'` — the classical test, evaluated ONCE when both arms
 *   reach `horizon`. It refuses to peek: before the horizon `decide()` returns
 *   `'continue'` with `pValue: NaN` and no classical p-value.
 *
 * Evidence reported with every decision (the effect, its interval and the
 * classical statistic): accuracy — two-proportion z-test; regression error —
 * Welch's t-test on per-sample errors; latency — difference of the `quantile`
 * (default p95) read from per-arm relative-error sketches, with the
 * asymptotic quantile variance (`quantileDifference`). The sequential
 * decision compares, per pair, correctness (accuracy), errors (error) or
 * exceedance of the pooled calibration quantile (latency). In shadow mode both
 * arms see the same inputs; the arms are still treated as independent
 * samples, which is conservative when their errors are positively correlated.
 *
 * @example
 * const ab = new ABTest({ metric: 'accuracy', minSamples: 500 });
 * ab.on('decision', (d) => { if (d.decision === 'promote') void registry.setActive('m', '2'); });
 * ab.record('control', pred, actual);
 * ab.record('candidate', pred2, actual);
 * ab.decide(); // { decision: 'promote' | 'keep' | 'continue', pValue, effect, samples, … }
 */
import { TypedEmitter, type PayloadListeners } from '../util/typed-emitter.js';
import { ArmStats } from './arm-stats.js';
import { resolveABOptions } from './ab-test-options.js';
import type { ABTestOptions, ResolvedABOptions } from './ab-test-options.js';
import { assignArm } from './stable-hash.js';
import { abProportionTest, abWelchTest, quantileDifference } from './two-sample-tests.js';
import type { EffectEstimate } from './two-sample-tests.js';
import { msprtHalfWidth } from './msprt.js';
import { PairedSequentialTest } from './paired-sequential.js';
import { normalQuantile } from '../stats/distributions.js';
import type { ABArm, ABDecision, ABTestEvents } from './ab-decision.js';

/** A/B or shadow comparison of a candidate model with the control model. */
export class ABTest {
  /** Resolved options. */
  readonly options: Readonly<ResolvedABOptions>;
  private readonly events: TypedEmitter<PayloadListeners<ABTestEvents>>;
  private arms = { control: new ArmStats(), candidate: new ArmStats() };
  private seq: PairedSequentialTest;
  private final: ABDecision | undefined;
  private droppedCount = 0;
  private ignoredCount = 0;
  private sinceCheck = 0;

  /**
   * @param options - see {@link ABTestOptions}.
   * @throws ConfigError on invalid options ("expected …, got …").
   */
  constructor(options: ABTestOptions) {
    this.options = Object.freeze(resolveABOptions(options));
    const onError = this.options.onError;
    this.events = new TypedEmitter<PayloadListeners<ABTestEvents>>((_event, error) =>
      onError?.(error),
    );
    this.seq = this.newSequentialTest();
  }

  /**
   * Subscribes to `decision` (any terminal decision), `promote` or `keep`.
   * @returns an unsubscribe function.
   */
  on<K extends keyof ABTestEvents>(event: K, fn: (payload: ABTestEvents[K]) => void): () => void {
    return this.events.on(event, fn);
  }

  /**
   * Split mode: the arm a unit belongs to, by a stable hash of (name, unitId).
   * @param unitId - user, device or session id.
   * @returns `'control'` or `'candidate'` — the same for the same id, always.
   */
  assign(unitId: string | number): ABArm {
    return assignArm(String(unitId), this.options.candidateShare, this.options.name);
  }

  /**
   * Records one outcome. Never throws: a bad arm or a NaN/missing value is dropped and counted.
   * accuracy: `pred === actual`; error: |pred − actual| (or squared); latency: `pred` is the latency in ms.
   * O(1) (plus an O(buckets) re-check every `checkEvery` records).
   * @param arm - `'control'` or `'candidate'`.
   * @param pred - the prediction (latency: the latency in ms).
   * @param actual - the ground truth (unused for latency).
   */
  record(arm: ABArm, pred: unknown, actual?: unknown): void {
    const stats = arm === 'control' || arm === 'candidate' ? this.arms[arm] : undefined;
    if (!stats) {
      this.droppedCount++;
      return;
    }
    if (stats.n >= this.options.horizon) {
      this.ignoredCount++;
      return;
    }
    const metric = this.options.metric;
    if (metric === 'accuracy') {
      if (pred == null || actual == null || Number.isNaN(pred) || Number.isNaN(actual)) {
        this.droppedCount++;
        return;
      }
      stats.recordOutcome(pred === actual);
      this.seq.add(arm, pred === actual ? 1 : 0);
    } else if (metric === 'error') {
      if (
        typeof pred !== 'number' ||
        typeof actual !== 'number' ||
        !Number.isFinite(pred) ||
        !Number.isFinite(actual)
      ) {
        this.droppedCount++;
        return;
      }
      const d = pred - actual;
      const e = this.options.errorKind === 'squared' ? d * d : Math.abs(d);
      stats.recordValue(e);
      this.seq.add(arm, e);
    } else {
      if (typeof pred !== 'number' || !Number.isFinite(pred) || pred < 0) {
        this.droppedCount++;
        return;
      }
      stats.recordLatency(pred);
      this.seq.add(arm, pred);
    }
    if (this.options.checkEvery > 0 && ++this.sinceCheck >= this.options.checkEvery) {
      this.sinceCheck = 0;
      this.decide();
    }
  }

  /** Samples per arm so far. */
  get samples(): {
    /** Records accepted for the control arm. */
    control: number;
    /** Records accepted for the candidate arm. */
    candidate: number;
  } {
    return { control: this.arms.control.n, candidate: this.arms.candidate.n };
  }

  /**
   * Evaluates the rule now. Safe to call at any time and as often as wanted
   * (msprt); a terminal decision is final and emitted once.
   * @returns the decision with its evidence. O(1) (latency: O(buckets)).
   */
  decide(): ABDecision {
    if (this.final) return this.final;
    const o = this.options;
    const { control: c, candidate: t } = this.arms;
    const est = this.estimate();
    const values = this.values();
    const base = {
      effect: est.estimate,
      relativeEffect: values.control !== 0 ? est.estimate / values.control : NaN,
      values,
      samples: this.samples,
      metric: o.metric,
      rule: o.rule,
      alpha: o.alpha,
      dropped: this.droppedCount,
      ignored: this.ignoredCount,
      pairs: this.seq.pairs,
      control: o.control,
      candidate: o.candidate,
      at: Date.now(),
    };
    const better = o.metric === 'accuracy' ? est.estimate > 0 : est.estimate < 0;
    const classical = {
      statistic: est.statistic,
      pValue: est.pValue,
      ...(est.df !== undefined ? { df: est.df } : {}),
    };
    const noInterval: [number, number] = [NaN, NaN];
    if (c.n === 0 || t.n === 0) {
      return {
        ...base,
        decision: 'continue',
        reason: 'arm-empty',
        pValue: NaN,
        interval: noInterval,
        classical: undefined,
      };
    }
    if (o.rule === 'fixed-horizon') {
      if (c.n < o.horizon || t.n < o.horizon) {
        return {
          ...base,
          decision: 'continue',
          reason: 'awaiting-horizon',
          pValue: NaN,
          interval: noInterval,
          classical: undefined,
        };
      }
      const z = normalQuantile(1 - o.alpha / 2) * Math.sqrt(est.variance);
      const significant = est.pValue <= o.alpha;
      return this.finish({
        ...base,
        decision: significant && better ? 'promote' : 'keep',
        reason: significant ? 'significant' : 'not-significant',
        pValue: est.pValue,
        interval: [est.estimate - z, est.estimate + z],
        classical: undefined,
      });
    }
    const seq = this.seq;
    if (!seq.calibrated) {
      return {
        ...base,
        decision: 'continue',
        reason: 'below-min-samples',
        pValue: 1,
        interval: noInterval,
        classical,
      };
    }
    const tau = o.tau ?? this.defaultTau();
    const hw = msprtHalfWidth(est.variance, tau * tau, o.alpha);
    const interval: [number, number] = [est.estimate - hw, est.estimate + hw];
    if (seq.crossed !== 0) {
      return this.finish({
        ...base,
        decision: seq.crossed > 0 ? 'promote' : 'keep',
        reason: 'significant',
        pValue: seq.pValue,
        interval,
        classical,
      });
    }
    if (c.n >= o.maxSamples && t.n >= o.maxSamples) {
      return this.finish({
        ...base,
        decision: 'keep',
        reason: 'max-samples',
        pValue: seq.pValue,
        interval,
        classical,
      });
    }
    return {
      ...base,
      decision: 'continue',
      reason: 'not-significant',
      pValue: seq.pValue,
      interval,
      classical,
    };
  }

  /** Starts over: clears both arms, the running p-value and any final decision. */
  reset(): void {
    this.arms = { control: new ArmStats(), candidate: new ArmStats() };
    this.seq = this.newSequentialTest();
    this.final = undefined;
    this.droppedCount = 0;
    this.ignoredCount = 0;
    this.sinceCheck = 0;
  }

  private newSequentialTest(): PairedSequentialTest {
    const o = this.options;
    return new PairedSequentialTest({
      metric: o.metric,
      alpha: o.alpha,
      burnIn: o.minSamples,
      quantile: o.quantile,
      tau: o.tau,
    });
  }

  private finish(d: ABDecision): ABDecision {
    this.final = Object.freeze(d) as ABDecision;
    this.events.emit('decision', this.final);
    this.events.emit(d.decision === 'promote' ? 'promote' : 'keep', this.final);
    return this.final;
  }

  private estimate(): EffectEstimate {
    const { control: c, candidate: t } = this.arms;
    switch (this.options.metric) {
      case 'accuracy':
        return abProportionTest(c.successes, c.n, t.successes, t.n);
      case 'error':
        return abWelchTest(c.moments, t.moments);
      case 'latency':
        return quantileDifference(
          (q) => c.latency.quantile(q),
          c.n,
          (q) => t.latency.quantile(q),
          t.n,
          this.options.quantile,
          c.latency.relativeError,
        );
    }
  }

  private values(): { control: number; candidate: number } {
    const { control: c, candidate: t } = this.arms;
    switch (this.options.metric) {
      case 'accuracy':
        return { control: c.n ? c.successes / c.n : NaN, candidate: t.n ? t.successes / t.n : NaN };
      case 'error':
        return { control: c.n ? c.moments.mean : NaN, candidate: t.n ? t.moments.mean : NaN };
      case 'latency':
        return {
          control: c.latency.quantile(this.options.quantile),
          candidate: t.latency.quantile(this.options.quantile),
        };
    }
  }

  private defaultTau(): number {
    const { control: c, candidate: t } = this.arms;
    if (this.options.metric === 'accuracy') return 0.05;
    if (this.options.metric === 'error') {
      const sd = Math.sqrt((c.moments.m2 + t.moments.m2) / Math.max(1, c.n + t.n - 2));
      return sd > 0 ? 0.2 * sd : 1e-9;
    }
    const q = c.latency.quantile(this.options.quantile);
    return q > 0 ? 0.1 * q : 1e-9;
  }
}

export type { ABMetric, ABTestOptions } from './ab-test-options.js';
export type { ABArm, ABDecision, ABReason, ABTestEvents } from './ab-decision.js';
