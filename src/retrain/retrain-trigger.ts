/**
 * `RetrainTrigger`: retraining on drift detection as a component — runs a retraining job once on drift (or on a firing alert),
 * never twice within the cooldown, never concurrently, and records outcomes.
 */
import type { PostJsonOptions, PostJsonResult } from '../alerts/notifiers/post-json.js';
import { TypedEmitter } from '../util/typed-emitter.js';
import type { Alert } from '../alerts/types.js';
import { ConfigError, closedError, describeValue } from '../errors.js';
import type {
  DetectorLike,
  DriftVerdict,
  RetrainCheckResult,
  RetrainEvidence,
  RetrainOutcome,
  RetrainReason,
  RetrainSkipReason,
  RetrainTriggerEvents,
} from './types.js';
import {
  resolveTriggerOptions,
  sampleCount,
  type RetrainTriggerOptions,
} from './trigger-options.js';
import { retrainWebhook } from './retrain-webhook.js';
import { alertMatches, type AttachFilter } from './attach-filter.js';
import { runToOutcome } from './run-outcome.js';

export type { RetrainTriggerOptions } from './trigger-options.js';
export type { AttachFilter } from './attach-filter.js';

/**
 * Runs retraining when drift is found or an alert fires.
 *
 * - `check(newData)` runs `detector.detect(newData)`; on `isDrift` it calls
 *   `run(evidence)` and resolves with the outcome.
 * - At most one run at a time: a check or alert arriving during a run is
 *   skipped (`'running'`); two concurrent checks that both see drift start one run.
 * - Cooldown: after a completed run, no run starts within `cooldownMs` of its
 *   start (skip `'cooldown'`, detector not run); after a failed run, within
 *   `failureCooldownMs` (default 0).
 * - A failing `run` is recorded (`status: 'failed'`, with the error), emits
 *   `fail`, and never rejects `check()`; later triggers still run.
 * - With `runTimeoutMs`, a run that has not settled by then is abandoned
 *   (`status: 'timeout'`, `error` and `fail` events) and releases the lock.
 *
 * @typeParam D - the data `check` takes. @typeParam R - the detector's result.
 * @typeParam T - what `run` resolves to.
 * @example
 * ```ts
 * const trigger = new RetrainTrigger({ detector, run: async (evidence) => retrain(evidence), cooldownMs: 3_600_000 });
 * const r = await trigger.check(newData);
 * if (r.outcome?.status === 'completed') deployNewModel();
 * ```
 */
export class RetrainTrigger<D = any, R extends DriftVerdict = DriftVerdict, T = unknown> {
  private readonly detector: DetectorLike<D, R> | undefined;
  private readonly runJob: (evidence: RetrainEvidence<R>) => Promise<T> | T;
  private readonly cooldownMs: number;
  private readonly failureCooldownMs: number;
  private readonly minSamples: number;
  private readonly metricsSource: RetrainTriggerOptions<D, R, T>['metrics'];
  private readonly now: () => number;
  private readonly historySize: number;
  private readonly runTimeoutMs: number | undefined;
  private readonly emitter: TypedEmitter<RetrainTriggerEvents<R, T>>;
  private readonly outcomes: RetrainOutcome<T>[] = [];
  private current: Promise<RetrainOutcome<T>> | undefined;
  private blockedUntil = -Infinity;
  private nextId = 1;
  private closed = false;
  private readonly detachers = new Set<() => void>();

  /**
   * @param options - detector, run, cooldownMs, failureCooldownMs, minSamples, metrics, now, historySize.
   * @throws {@link ConfigError} when `run` is not a function, the detector has
   *   no `detect`, or a number is negative / not finite.
   */
  constructor(options: RetrainTriggerOptions<D, R, T>) {
    const o = resolveTriggerOptions(options);
    this.detector = o.detector;
    this.runJob = o.run;
    this.cooldownMs = o.cooldownMs;
    this.failureCooldownMs = o.failureCooldownMs;
    this.minSamples = o.minSamples;
    this.historySize = o.historySize;
    this.runTimeoutMs = o.runTimeoutMs;
    this.metricsSource = o.metrics;
    this.now = o.now;
    this.emitter = new TypedEmitter<RetrainTriggerEvents<R, T>>((event, error) => {
      if (event !== 'error') this.emitter.emit('error', error);
    });
  }

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Outcomes of past runs, oldest first (at most `historySize`). */
  get history(): readonly RetrainOutcome<T>[] {
    return [...this.outcomes];
  }

  /** The latest finished run, if any. */
  get lastOutcome(): RetrainOutcome<T> | undefined {
    return this.outcomes[this.outcomes.length - 1];
  }

  /**
   * Checks `newData` for drift and retrains when drift is found.
   *
   * @param newData - data in the shape the detector expects.
   * @returns whether a run started, why not, the drift result and the run's outcome.
   *   Never rejects for a failing detector or run (see `skipped` / `outcome`).
   * @throws {@link ConfigError} (as a rejection) when the trigger has no detector.
   */
  async check(newData: D): Promise<RetrainCheckResult<R, T>> {
    this.assertOpen();
    const detector = this.detector;
    if (detector === undefined) {
      throw new ConfigError('RetrainTrigger.check: expected a detector in the options, got none');
    }
    const blocked = this.blocked('drift');
    if (blocked !== undefined) return blocked;
    const count = sampleCount(newData);
    if (count !== undefined && count < this.minSamples)
      return this.skip('insufficient-samples', 'drift');
    let drift: R;
    try {
      drift = await detector.detect(newData);
    } catch (error) {
      this.emitter.emit('error', error);
      return { ...this.skip('detector-error', 'drift'), error };
    }
    if (drift === null || typeof drift !== 'object' || drift.isDrift !== true) {
      return { ...this.skip('no-drift', 'drift'), drift };
    }
    // Re-check: another check or an alert may have started a run while we awaited.
    const again = this.blocked('drift');
    if (again !== undefined) return { ...again, drift };
    const evidence: RetrainEvidence<R> = { reason: 'drift', triggeredAt: this.now(), drift };
    if (count !== undefined) evidence.sampleCount = count;
    return { triggered: true, drift, outcome: await this.start(evidence) };
  }

  /**
   * Retrains because an alert fired (same cooldown and concurrency rules).
   *
   * @param alert - the fired alert.
   * @returns the result; never rejects.
   */
  async onAlert(alert: Alert): Promise<RetrainCheckResult<R, T>> {
    this.assertOpen();
    const blocked = this.blocked('alert');
    if (blocked !== undefined) return blocked;
    return {
      triggered: true,
      outcome: await this.start({ reason: 'alert', triggeredAt: this.now(), alert }),
    };
  }

  /**
   * Retrains now, on demand (same cooldown and concurrency rules).
   *
   * @returns the result; never rejects.
   */
  async trigger(): Promise<RetrainCheckResult<R, T>> {
    this.assertOpen();
    const blocked = this.blocked('manual');
    if (blocked !== undefined) return blocked;
    return {
      triggered: true,
      outcome: await this.start({ reason: 'manual', triggeredAt: this.now() }),
    };
  }

  /**
   * Retrains whenever `alerts` fires an alert that passes `filter`.
   *
   * @param alerts - an `AlertSystem` (anything with `on('fire', fn)` returning an unsubscribe).
   * @param filter - severities and/or rule names to react to.
   * @returns a function that detaches.
   */
  attach(
    alerts: { on(event: 'fire', fn: (alert: Alert) => void): () => void },
    filter: AttachFilter = {},
  ): () => void {
    if (alerts === null || typeof alerts !== 'object' || typeof alerts.on !== 'function') {
      throw new ConfigError(
        `RetrainTrigger.attach: expected an AlertSystem, got ${describeValue(alerts)}`,
      );
    }
    this.assertOpen();
    const off = alerts.on('fire', (alert) => {
      if (alertMatches(alert, filter)) void this.onAlert(alert);
    });
    const detach = (): void => {
      off();
      this.detachers.delete(detach);
    };
    this.detachers.add(detach);
    return detach;
  }

  /**
   * Subscribes to `trigger`, `complete`, `fail`, `skip` or `error`.
   *
   * @returns an unsubscribe function.
   */
  on<K extends keyof RetrainTriggerEvents<R, T>>(
    event: K,
    fn: RetrainTriggerEvents<R, T>[K],
  ): () => void {
    if (typeof fn !== 'function') {
      throw new ConfigError(
        `RetrainTrigger.on: expected a listener function, got ${describeValue(fn)}`,
      );
    }
    return this.emitter.on(event, fn);
  }

  /**
   * Detaches from every `AlertSystem` it was attached to, waits for the run in
   * progress (bounded by `runTimeoutMs` when set), then drops the listeners.
   * Idempotent; `check`, `trigger`, `onAlert` and `attach` then throw
   * `ConfigError` code `CLOSED`.
   *
   * @returns when no run is left.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const detach of [...this.detachers]) detach();
    await this.idle();
    this.emitter.clear();
  }

  /** `await using trigger = new RetrainTrigger(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private assertOpen(): void {
    if (this.closed) throw closedError('RetrainTrigger');
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.current !== undefined) await this.current;
  }

  /**
   * A `run` that POSTs the evidence as JSON to a server-side pipeline (with
   * retry and backoff; see `postJson`). The run completes on a 2xx answer and
   * fails with a `TransportError` otherwise.
   *
   * @param url - http(s) endpoint of the pipeline.
   * @param options - retries, backoffMs, maxBackoffMs, timeoutMs, headers, fetch.
   * @returns the run function.
   * @throws {@link ConfigError} on a bad URL or option.
   * @example
   * ```ts
   * new RetrainTrigger({ detector, run: RetrainTrigger.webhook('https://ml.example/retrain'), cooldownMs: 86_400_000 });
   * ```
   */
  static webhook(
    url: string,
    options: PostJsonOptions = {},
  ): (evidence: RetrainEvidence) => Promise<PostJsonResult> {
    return retrainWebhook(url, options);
  }

  private blocked(cause: RetrainReason): RetrainCheckResult<R, T> | undefined {
    if (this.current !== undefined) return this.skip('running', cause);
    if (this.now() < this.blockedUntil)
      return { ...this.skip('cooldown', cause), retryAt: this.blockedUntil };
    return undefined;
  }

  private skip(reason: RetrainSkipReason, cause: RetrainReason): RetrainCheckResult<R, T> {
    this.emitter.emit('skip', { reason, cause });
    return { triggered: false, skipped: reason };
  }

  /** Starts a run; the caller has checked `blocked()` synchronously before. */
  private start(evidence: RetrainEvidence<R>): Promise<RetrainOutcome<T>> {
    const startedAt = this.now();
    this.blockedUntil = startedAt + this.cooldownMs;
    const id = this.nextId++;
    if (this.metricsSource !== undefined) {
      try {
        const src = this.metricsSource;
        evidence.metrics = typeof src === 'function' ? src() : src.getMetrics();
      } catch (error) {
        this.emitter.emit('error', error);
      }
    }
    const job = (async (): Promise<RetrainOutcome<T>> => {
      // Yield once so that `this.current = job` lands before a synchronous run finishes.
      await undefined;
      this.emitter.emit('trigger', evidence);
      const outcome = await runToOutcome(
        id,
        evidence,
        startedAt,
        this.runJob,
        this.now,
        this.runTimeoutMs,
      );
      if (outcome.status !== 'completed') this.blockedUntil = startedAt + this.failureCooldownMs;
      this.outcomes.push(outcome);
      if (this.outcomes.length > this.historySize) this.outcomes.shift();
      this.current = undefined;
      if (outcome.status === 'timeout') this.emitter.emit('error', outcome.error);
      this.emitter.emit(outcome.status === 'completed' ? 'complete' : 'fail', outcome);
      return outcome;
    })();
    this.current = job;
    return job;
  }
}
