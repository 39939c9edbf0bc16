/**
 * `AlertSystem`: evaluates alert rules over metrics snapshots with a
 * Prometheus-style state machine (inactive -> pending -> firing -> resolved),
 * deduplicates firing alerts, and fans fired/resolved alerts out to listeners
 * and notifiers.
 */
import { ConfigError, DataError, closedError, describeValue } from '../errors.js';
import { optionalFunction } from '../util/options.js';
import { linkMonitor } from '../metrics/monitor-link.js';
import type { MonitorLink, MonitorMetricsOptions } from '../metrics/monitor-link.js';
import type { AlertRule } from './alert-rule.js';
import type { Notifier } from './notifiers/notifier.js';
import { TypedEmitter } from '../util/typed-emitter.js';
import type { Alert, AlertMetrics, AlertSystemError, AlertSystemEvents } from './types.js';

/** Options of {@link AlertSystem}. */
export interface AlertSystemOptions extends MonitorMetricsOptions {
  /** Clock in epoch ms (default `Date.now`); inject a fake one in tests. */
  now?: () => number;
  /** Also called for every error event (conditions, listeners, notifiers). */
  onError?: (error: AlertSystemError) => void;
  // `registry`, `labels` (MonitorMetricsOptions): publish `edgewatch_alerts_firing{alert,severity}`
  // (read at scrape time) and `edgewatch_alerts_fired_total{alert,severity}` (counted on `fire`).
}

interface RuleEntry<M> {
  rule: AlertRule<M>;
  /** Start of the current episode (condition held since), when pending or firing. */
  activeAt: number | undefined;
  /** Time of the last `fire` event, for the cooldown. */
  lastFiredAt: number | undefined;
  /** The firing alert, when firing. */
  firing: Alert<M> | undefined;
}

/**
 * Evaluates rules and tracks alert state.
 *
 * `evaluate(metrics)` returns **every alert firing after this evaluation** (a
 * snapshot, like Prometheus' `ALERTS`), so the documented snippet returns the
 * accuracy alert each time it is called while accuracy stays low. The
 * deduplicated, once-per-episode channel is the `fire` event and the notifiers:
 * an alert fires once, stays firing while its condition holds, and emits
 * `resolve` once when it stops holding.
 *
 * A condition that throws is reported through the `error` event and leaves
 * that rule's state unchanged (no verdict); the other rules still run.
 *
 * Cost: `evaluate` is O(rules) plus the conditions.
 *
 * @typeParam M - the metrics object type (default: a loose record).
 * @example
 * ```ts
 * const alerts = new AlertSystem();
 * alerts.addRule(new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, AlertSeverity.CRITICAL));
 * alerts.on('fire', (a) => console.log('fired', a.name));
 * alerts.evaluate({ accuracy: 0.82 });
 * // => [{ name: 'accuracy_drop', severity: 'critical', firedAt: 1764..., metrics: { accuracy: 0.82 }, ... }]
 *
 * // Publish to Prometheus (one series per rule name and severity, capped by the registry's exporter):
 * const published = new AlertSystem({ registry, labels: { model: 'perception' } });
 * await registry.metrics(); // edgewatch_alerts_firing{alert="accuracy_drop",severity="critical",...} 1
 * ```
 */
export class AlertSystem<M = AlertMetrics> {
  private readonly entries = new Map<string, RuleEntry<M>>();
  private readonly notifiers = new Set<Notifier<M>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly emitter: TypedEmitter<AlertSystemEvents<M>>;
  private readonly now: () => number;
  private readonly onError: ((error: AlertSystemError) => void) | undefined;
  private errors = 0;
  private closed = false;
  private readonly link: MonitorLink | undefined;

  /**
   * @param options - `now` (clock), `onError`, `registry` and `labels` (publish the alerts).
   * @throws {@link ConfigError} when `now` or `onError` is not a function, on a bad
   *   registry or labels, or labels another AlertSystem uses in the same registry.
   */
  constructor(options: AlertSystemOptions = {}) {
    this.now = optionalFunction('now', options.now, 'AlertSystem') ?? Date.now;
    this.onError = optionalFunction('onError', options.onError, 'AlertSystem');
    this.emitter = new TypedEmitter<AlertSystemEvents<M>>((event, error) => {
      // A failing error listener is counted but not re-reported (no loop).
      if (event === 'error') this.errors++;
      else this.report({ source: 'listener', error });
    });
    // Fires before the exporter is attached (it loads lazily) are counted here, then handed over.
    const earlier = new Map<string, { name: string; severity: string; count: number }>();
    let off: (() => void) | undefined;
    const link = linkMonitor(options, 'AlertSystem', this, (e, l) => {
      off?.();
      e.addAlerts(this, l, [...earlier.values()]);
    });
    this.link = link;
    if (link)
      off = this.on('fire', (a) => {
        const key = `${a.name}\u0000${a.severity}`;
        const c = earlier.get(key);
        if (c) c.count++;
        else earlier.set(key, { name: a.name, severity: a.severity, count: 1 });
      });
  }

  /**
   * Adds a rule.
   *
   * @param rule - the rule; its name must be unique in this system.
   * @returns this system (chainable).
   * @throws {@link ConfigError} on a duplicate name or a value that is not a rule.
   */
  addRule(rule: AlertRule<M>): this {
    this.assertOpen();
    if (rule === null || typeof rule !== 'object' || typeof rule.condition !== 'function') {
      throw new ConfigError(
        `AlertSystem.addRule: expected an AlertRule, got ${describeValue(rule)}`,
      );
    }
    if (this.entries.has(rule.name)) {
      throw new ConfigError(
        `AlertSystem.addRule: expected a new rule name, got duplicate "${rule.name}"`,
      );
    }
    this.entries.set(rule.name, {
      rule,
      activeAt: undefined,
      lastFiredAt: undefined,
      firing: undefined,
    });
    return this;
  }

  /**
   * Removes a rule. A firing alert of that rule is dropped without a `resolve` event.
   *
   * @param name - the rule's name.
   * @returns whether a rule was removed.
   */
  removeRule(name: string): boolean {
    return this.entries.delete(name);
  }

  /** The rules, in the order they were added. */
  get rules(): readonly AlertRule<M>[] {
    return [...this.entries.values()].map((e) => e.rule);
  }

  /** Errors reported so far (conditions, listeners, notifiers). */
  get errorCount(): number {
    return this.errors;
  }

  /**
   * Evaluates every rule against `metrics` at the current clock time and
   * advances the state machines; emits `fire` / `resolve` and notifies.
   *
   * @param metrics - the metrics snapshot the conditions read.
   * @returns every alert firing after this evaluation (fresh objects, rule order).
   * @example
   * ```ts
   * alerts.evaluate({ accuracy: 0.82 }); // => [{ name: 'accuracy_drop', severity: 'critical', ... }]
   * ```
   */
  evaluate(metrics: M): Alert<M>[] {
    this.assertOpen();
    const t = this.now();
    const out: Alert<M>[] = [];
    for (const entry of this.entries.values()) {
      const { rule } = entry;
      let holds: unknown;
      try {
        holds = rule.condition(metrics);
        if (typeof holds !== 'boolean') throw notBoolean(rule.name, holds);
      } catch (error) {
        this.report({ source: 'condition', rule: rule.name, error });
        if (entry.firing !== undefined) out.push({ ...entry.firing });
        continue;
      }
      if (holds) {
        if (entry.firing !== undefined) {
          entry.firing.metrics = metrics;
        } else {
          entry.activeAt ??= t;
          const forOk = t - entry.activeAt >= rule.for;
          const coolOk = entry.lastFiredAt === undefined || t - entry.lastFiredAt >= rule.cooldown;
          if (forOk && coolOk) this.fire(entry, t, metrics);
        }
      } else {
        if (entry.firing !== undefined) this.resolve(entry, t, metrics);
        entry.activeAt = undefined;
      }
      if (entry.firing !== undefined) out.push({ ...entry.firing });
    }
    return out;
  }

  /** Alerts firing now (fresh objects, rule order). */
  firing(): Alert<M>[] {
    const out: Alert<M>[] = [];
    for (const e of this.entries.values()) if (e.firing !== undefined) out.push({ ...e.firing });
    return out;
  }

  /** Rules whose condition holds but that have not fired yet (`for` or cooldown pending). */
  pending(): {
    /** The rule's name. */
    name: string;
    /** Epoch ms since which its condition holds. */
    activeAt: number;
  }[] {
    const out: { name: string; activeAt: number }[] = [];
    for (const e of this.entries.values()) {
      if (e.firing === undefined && e.activeAt !== undefined)
        out.push({ name: e.rule.name, activeAt: e.activeAt });
    }
    return out;
  }

  /**
   * Subscribes to `fire`, `resolve` or `error`.
   *
   * @param event - the event name.
   * @param fn - the listener (a throwing listener is reported as an `error` event).
   * @returns an unsubscribe function.
   */
  on<K extends keyof AlertSystemEvents<M>>(event: K, fn: AlertSystemEvents<M>[K]): () => void {
    if (typeof fn !== 'function') {
      throw new ConfigError(
        `AlertSystem.on: expected a listener function, got ${describeValue(fn)}`,
      );
    }
    return this.emitter.on(event, fn);
  }

  /**
   * Sends every future `fire` and `resolve` to `notifier` (asynchronously;
   * failures become `error` events with source `notifier`).
   *
   * @param notifier - e.g. `callbackNotifier(fn)` or `webhookNotifier(url)`.
   * @returns a function that removes the notifier.
   * @throws {@link ConfigError} when `notifier.notify` is not a function.
   */
  addNotifier(notifier: Notifier<M>): () => void {
    this.assertOpen();
    if (
      notifier === null ||
      typeof notifier !== 'object' ||
      typeof notifier.notify !== 'function'
    ) {
      throw new ConfigError(
        `AlertSystem.addNotifier: expected { notify }, got ${describeValue(notifier)}`,
      );
    }
    this.notifiers.add(notifier);
    return () => {
      this.notifiers.delete(notifier);
    };
  }

  /**
   * Waits for the notifications in flight, then drops listeners, notifiers and
   * rules and, with `registry`, frees its labels (a new system may take them)
   * and series. Idempotent; `evaluate`, `addRule` and `addNotifier` then throw
   * `ConfigError` code `CLOSED`.
   *
   * @returns when released.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.link?.unlink();
    await this.settled();
    this.emitter.clear();
    this.notifiers.clear();
    this.entries.clear();
  }

  /** `await using alerts = new AlertSystem(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private assertOpen(): void {
    if (this.closed) throw closedError('AlertSystem');
  }

  /** Resolves once every notification in flight has settled (delivered or failed). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private fire(entry: RuleEntry<M>, t: number, metrics: M): void {
    const { rule } = entry;
    const alert: Alert<M> = {
      name: rule.name,
      severity: rule.severity,
      firedAt: t,
      activeAt: entry.activeAt ?? t,
      metrics,
      state: 'firing',
    };
    if (rule.description !== undefined) alert.description = rule.description;
    if (rule.labels !== undefined) alert.labels = rule.labels;
    entry.firing = alert;
    entry.lastFiredAt = t;
    this.emitter.emit('fire', { ...alert });
    this.dispatch('firing', alert);
  }

  private resolve(entry: RuleEntry<M>, t: number, metrics: M): void {
    const alert = entry.firing;
    if (alert === undefined) return;
    entry.firing = undefined;
    const resolved: Alert<M> = { ...alert, metrics, state: 'resolved', resolvedAt: t };
    this.emitter.emit('resolve', { ...resolved });
    this.dispatch('resolved', resolved);
  }

  private dispatch(status: 'firing' | 'resolved', alert: Alert<M>): void {
    for (const notifier of this.notifiers) {
      try {
        const result = notifier.notify({ status, alert: { ...alert } });
        if (result !== undefined && typeof (result as Promise<unknown>).then === 'function') {
          const p = Promise.resolve(result).then(
            () => undefined,
            (error: unknown) => this.report({ source: 'notifier', rule: alert.name, error }),
          );
          this.inflight.add(p);
          void p.finally(() => this.inflight.delete(p));
        }
      } catch (error) {
        this.report({ source: 'notifier', rule: alert.name, error });
      }
    }
  }

  private report(error: AlertSystemError): void {
    this.errors++;
    if (this.onError !== undefined) {
      try {
        this.onError(error);
      } catch {
        // onError itself failed; already counted.
      }
    }
    this.emitter.emit('error', error);
  }
}

/**
 * The error for a condition that returned something other than a boolean. A
 * truthy string or a Promise would otherwise always fire; a rejected Promise
 * is observed here so it never becomes an unhandled rejection.
 */
function notBoolean(rule: string, value: unknown): DataError {
  const thenable =
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { then?: unknown }).then === 'function';
  if (thenable) (value as Promise<unknown>).then(undefined, () => undefined);
  const got = thenable ? 'a Promise (async conditions are not supported)' : describeValue(value);
  return new DataError(`AlertRule "${rule}": expected condition to return a boolean, got ${got}`);
}
