/**
 * Built-in budget alert rules. Each reads one flat metric from the object
 * given to `AlertSystem.evaluate` — merge the sources into one object:
 *
 * | rule | metric key | source |
 * | --- | --- | --- |
 * | `latency_budget` | `p99` (or the chosen quantile key) | `LatencyTracker.percentiles()` |
 * | `memory_budget` | `memoryBytes` | `ResourceMonitor.sample()` |
 * | `storage_quota_budget` | `storageUsedFraction`, `storageWriteFailures` | `ResourceMonitor.sample()` |
 * | `outbox_backlog_budget` | `outboxBacklogAgeMs` | the window store / flusher (oldest unsent window) |
 * | `monitor_overhead_budget` | `monitorOverheadMsPerPrediction` | `OverheadMeter.metrics()` |
 *
 * A missing or non-finite metric never fires (an unsupported probe is not an incident).
 */
import { ConfigError, describeValue } from '../errors.js';
import { AlertRule, AlertSeverity } from '../alerts/alert-rule.js';
import type { AlertRuleOptions } from '../alerts/alert-rule.js';

/** Common options of the budget rules. */
export interface BudgetOptions extends AlertRuleOptions {
  /** Default `'warning'`. */
  severity?: AlertSeverity;
}

function positive(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      `expected ${what} to be a positive finite number, got ${describeValue(value)}`,
    );
  }
  return value;
}

function above(
  name: string,
  key: string,
  limit: number,
  description: string,
  options: BudgetOptions,
): AlertRule {
  const { severity = AlertSeverity.WARNING, ...rest } = options;
  return new AlertRule(
    name,
    (m) => {
      const v: unknown = m[key];
      return typeof v === 'number' && Number.isFinite(v) && v > limit;
    },
    severity,
    { description, ...rest },
  );
}

/**
 * Inference latency budget: fires when the quantile is over the target.
 * @param targetMs - the budget in ms.
 * @param options - `quantile` metric key (default `'p99'`), severity, AlertRule options.
 * @returns the rule `latency_budget`.
 * @throws ConfigError for a non-positive target.
 * @example alerts.addRule(latencyBudget(50)); alerts.evaluate(await latency.percentiles());
 */
export function latencyBudget(
  targetMs: number,
  options: BudgetOptions & { quantile?: string } = {},
): AlertRule {
  const { quantile = 'p99', ...rest } = options;
  const t = positive(targetMs, 'targetMs');
  return above('latency_budget', quantile, t, `${quantile} inference latency over ${t} ms`, rest);
}

/**
 * Memory budget on `memoryBytes`.
 * @param maxBytes - the budget.
 * @param options - severity, AlertRule options.
 * @returns the rule `memory_budget`.
 * @throws ConfigError for a non-positive budget.
 * @example alerts.addRule(memoryBudget(256 * 2 ** 20));
 */
export function memoryBudget(maxBytes: number, options: BudgetOptions = {}): AlertRule {
  const b = positive(maxBytes, 'maxBytes');
  return above('memory_budget', 'memoryBytes', b, `memory over ${b} bytes`, options);
}

/**
 * Storage quota budget on `storageUsedFraction`, and on `storageWriteFailures` (any failed write fires it).
 * @param maxUsedFraction - in (0, 1] (default 0.8).
 * @param options - severity, AlertRule options.
 * @returns the rule `storage_quota_budget`.
 * @throws ConfigError for a fraction outside (0, 1].
 * @example alerts.addRule(storageQuotaBudget(0.9));
 */
export function storageQuotaBudget(maxUsedFraction = 0.8, options: BudgetOptions = {}): AlertRule {
  const f = positive(maxUsedFraction, 'maxUsedFraction');
  if (f > 1) throw new ConfigError(`expected maxUsedFraction in (0, 1], got ${f}`);
  const { severity = AlertSeverity.WARNING, ...rest } = options;
  const over = (v: unknown, limit: number): boolean =>
    typeof v === 'number' && Number.isFinite(v) && v > limit;
  // the estimate can report room while writes fail: a failed write trips the budget too
  return new AlertRule(
    'storage_quota_budget',
    (m) => over(m.storageUsedFraction, f) || over(m.storageWriteFailures, 0),
    severity,
    {
      description: `storage over ${Math.round(f * 100)}% of quota, or storage writes failing`,
      ...rest,
    },
  );
}

/**
 * Outbox backlog budget on `outboxBacklogAgeMs` (age of the oldest unsent window).
 * @param maxAgeMs - the budget.
 * @param options - severity, AlertRule options.
 * @returns the rule `outbox_backlog_budget`.
 * @throws ConfigError for a non-positive budget.
 * @example alerts.addRule(outboxBacklogBudget(15 * 60_000));
 */
export function outboxBacklogBudget(maxAgeMs: number, options: BudgetOptions = {}): AlertRule {
  const a = positive(maxAgeMs, 'maxAgeMs');
  return above(
    'outbox_backlog_budget',
    'outboxBacklogAgeMs',
    a,
    `oldest unsent window older than ${a} ms`,
    options,
  );
}

/**
 * Monitor overhead budget on `monitorOverheadMsPerPrediction`.
 * @param maxMsPerPrediction - the budget.
 * @param options - severity, AlertRule options.
 * @returns the rule `monitor_overhead_budget`.
 * @throws ConfigError for a non-positive budget.
 * @example alerts.addRule(overheadBudget(0.5));
 */
export function overheadBudget(maxMsPerPrediction: number, options: BudgetOptions = {}): AlertRule {
  const b = positive(maxMsPerPrediction, 'maxMsPerPrediction');
  return above(
    'monitor_overhead_budget',
    'monitorOverheadMsPerPrediction',
    b,
    `edgewatch overhead over ${b} ms per prediction`,
    options,
  );
}

/** Budgets for {@link budgetRules}; each one given adds its rule. */
export interface Budgets {
  /** p99 inference latency limit in ms ({@link latencyBudget}). */
  latencyP99Ms?: number;
  /** Memory limit in bytes ({@link memoryBudget}). */
  memoryBytes?: number;
  /** Storage used / quota limit, in (0, 1] ({@link storageQuotaBudget}). */
  storageUsedFraction?: number;
  /** Age limit in ms of the oldest unsent window ({@link outboxBacklogBudget}). */
  outboxBacklogAgeMs?: number;
  /** Monitor overhead limit in ms per prediction ({@link overheadBudget}). */
  overheadMsPerPrediction?: number;
}

/**
 * The built-in budget rules for the budgets given.
 * @param budgets - which budgets, and their limits.
 * @param options - severity and AlertRule options for all of them.
 * @returns the rules, in the table's order.
 * @throws ConfigError for an invalid limit.
 * @example for (const r of budgetRules({ latencyP99Ms: 50, memoryBytes: 2 ** 28 })) alerts.addRule(r);
 */
export function budgetRules(budgets: Budgets, options: BudgetOptions = {}): AlertRule[] {
  const rules: AlertRule[] = [];
  if (budgets.latencyP99Ms !== undefined) rules.push(latencyBudget(budgets.latencyP99Ms, options));
  if (budgets.memoryBytes !== undefined) rules.push(memoryBudget(budgets.memoryBytes, options));
  if (budgets.storageUsedFraction !== undefined)
    rules.push(storageQuotaBudget(budgets.storageUsedFraction, options));
  if (budgets.outboxBacklogAgeMs !== undefined)
    rules.push(outboxBacklogBudget(budgets.outboxBacklogAgeMs, options));
  if (budgets.overheadMsPerPrediction !== undefined)
    rules.push(overheadBudget(budgets.overheadMsPerPrediction, options));
  return rules;
}
