/**
 * `AlertRule`: a named condition over a metrics object with a severity, plus
 * Prometheus-style options (`for`, labels) and a cooldown.
 */
import { ConfigError, describeValue } from '../errors.js';
import { SEVERITIES, AlertSeverity } from './severity.js';
import { optionalNumber } from '../util/options.js';
import type { AlertMetrics } from './types.js';

export { AlertSeverity };

/** Options of an {@link AlertRule}. */
export interface AlertRuleOptions {
  /**
   * Milliseconds the condition must hold, evaluation after evaluation, before
   * the alert fires (Prometheus `for`). Until then the alert is `pending`.
   * Default 0: fires on the first evaluation where the condition holds.
   */
  for?: number;
  /**
   * Minimum milliseconds between two `fire` events of this rule. A condition
   * that holds again within the cooldown keeps the alert `pending` until the
   * cooldown has passed. Default 0.
   */
  cooldown?: number;
  /** Human-readable text copied onto every alert of this rule. */
  description?: string;
  /** Static labels copied onto every alert of this rule (routing, dashboards). */
  labels?: Readonly<Record<string, string>>;
}

/**
 * One alert rule: a name, a condition over a metrics object and a severity.
 * Immutable once built.
 *
 * @typeParam M - the metrics object the condition reads (defaults to a loose
 *   record so that `(m) => m.accuracy < 0.85` type-checks).
 * @example
 * ```ts
 * const rule = new AlertRule('p99_slow', (m) => m.p99 > 250, AlertSeverity.WARNING, {
 *   for: 60_000,
 *   cooldown: 600_000,
 *   description: 'p99 latency above 250 ms for a minute',
 * });
 * ```
 */
export class AlertRule<M = AlertMetrics> {
  /** Unique name of the rule inside one {@link AlertSystem}. */
  readonly name: string;
  /**
   * The condition; `true` means "alerting". It must return a boolean: a throw
   * or any other result (a Promise, `'false'`, `1`) is an `error` event and no
   * verdict (the alert neither fires nor resolves).
   */
  readonly condition: (metrics: M) => boolean;
  /** Severity given to every alert of this rule. */
  readonly severity: AlertSeverity;
  /** `for` duration in ms (0 = fire at once). */
  readonly for: number;
  /** Cooldown in ms between two fires (0 = none). */
  readonly cooldown: number;
  /** Description copied onto alerts, if any. */
  readonly description: string | undefined;
  /** Labels copied onto alerts, if any. */
  readonly labels: Readonly<Record<string, string>> | undefined;

  /**
   * @param name - non-empty rule name (the alert's `name`).
   * @param condition - predicate over the metrics passed to `evaluate`.
   * @param severity - one of {@link AlertSeverity} (default `'warning'`).
   * @param options - `for`, `cooldown`, `description`, `labels`.
   * @throws {@link ConfigError} on an empty name, a non-function condition, an
   *   unknown severity or a negative / non-finite duration.
   */
  constructor(
    name: string,
    condition: (metrics: M) => boolean,
    severity: AlertSeverity = AlertSeverity.WARNING,
    options: AlertRuleOptions = {},
  ) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ConfigError(`AlertRule: expected a non-empty name, got ${describeValue(name)}`);
    }
    if (typeof condition !== 'function') {
      throw new ConfigError(
        `AlertRule "${name}": expected condition to be a function, got ${describeValue(condition)}`,
      );
    }
    if (!SEVERITIES.includes(severity)) {
      throw new ConfigError(
        `AlertRule "${name}": expected severity 'info' | 'warning' | 'critical', got ${describeValue(severity)}`,
      );
    }
    this.name = name;
    this.condition = condition;
    this.severity = severity;
    this.for = duration(name, 'for', options.for);
    this.cooldown = duration(name, 'cooldown', options.cooldown);
    if (options.description !== undefined && typeof options.description !== 'string') {
      throw new ConfigError(
        `AlertRule "${name}": expected description to be a string, got ${describeValue(options.description)}`,
      );
    }
    this.description = options.description;
    if (options.labels !== undefined) {
      if (typeof options.labels !== 'object' || options.labels === null) {
        throw new ConfigError(
          `AlertRule "${name}": expected labels to be an object of strings, got ${describeValue(options.labels)}`,
        );
      }
      for (const [k, v] of Object.entries(options.labels)) {
        if (typeof v !== 'string') {
          throw new ConfigError(
            `AlertRule "${name}": expected label "${k}" to be a string, got ${describeValue(v)}`,
          );
        }
      }
      this.labels = Object.freeze({ ...options.labels });
    } else {
      this.labels = undefined;
    }
    Object.freeze(this);
  }
}

const duration = (rule: string, key: string, value: number | undefined): number =>
  optionalNumber(key, value, 0, { min: 0 }, `AlertRule "${rule}"`);
