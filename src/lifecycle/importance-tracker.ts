/**
 * Feature importance tracked over time: a bounded history of normalised
 * importances, how far the latest moved from a baseline, and an alert rule
 * on that movement (a model that starts leaning on other features is worth
 * a look even when accuracy holds).
 */
import { ConfigError, describeValue } from '../errors.js';
import { AlertRule, AlertSeverity } from '../alerts/alert-rule.js';
import type { AlertRuleOptions } from '../alerts/alert-rule.js';
import { normalizeImportances } from './feature-importance.js';
import type { Importances } from './feature-importance.js';

/** One entry of the history. */
export interface ImportanceSnapshot {
  /** Epoch ms. */
  at: number;
  /** Normalised weights (sum 1). */
  weights: Readonly<Importances>;
}

/** How the latest importances differ from the baseline. */
export interface ImportanceChange {
  /** Total variation distance ½ Σ |w − w₀| between latest and baseline weights, in [0, 1]. */
  shift: number;
  /** Spearman rank correlation of latest vs baseline (1 = same order). */
  rankCorrelation: number;
  /** Latest − baseline weight per feature. */
  perFeature: Record<string, number>;
  /** The most important feature is not the same as in the baseline. */
  topChanged: boolean;
}

/** Options of {@link ImportanceTracker}. */
export interface ImportanceTrackerOptions {
  /** The model's features; importances must name exactly these. */
  features: readonly string[];
  /** Baseline: the first recorded importances (default) or given importances. */
  baseline?: Importances;
  /** Snapshots kept (default 100; the oldest after the baseline are dropped). */
  maxHistory?: number;
  /** Clock (default Date.now). */
  now?: () => number;
}

function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/**
 * Spearman rank correlation (average ranks for ties). O(n log n).
 * @returns in [−1, 1]; 1 when both are constant (no order to disagree on), 0 when only one is.
 * @example spearman([1, 2, 3], [10, 20, 30]) // => 1
 */
export function spearman(a: number[], b: number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = ra[i]! - mean;
    const y = rb[i]! - mean;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  if (saa === 0 && sbb === 0) return 1;
  if (saa === 0 || sbb === 0) return 0;
  return sab / Math.sqrt(saa * sbb);
}

/** History of feature importances and their drift from a baseline. */
export class ImportanceTracker {
  private readonly features: readonly string[];
  private readonly maxHistory: number;
  private readonly now: () => number;
  private baselineWeights: Readonly<Importances> | undefined;
  private readonly snapshots: ImportanceSnapshot[] = [];

  /**
   * @param options - features, optional baseline, history size, clock.
   * @throws ConfigError on no features, a bad baseline or a bad maxHistory.
   */
  constructor(options: ImportanceTrackerOptions) {
    if (!Array.isArray(options?.features) || options.features.length === 0) {
      throw new ConfigError(
        `expected a non-empty features array, got ${describeValue(options?.features)}`,
      );
    }
    this.features = [...options.features];
    this.maxHistory = options.maxHistory ?? 100;
    if (!Number.isInteger(this.maxHistory) || this.maxHistory < 1) {
      throw new ConfigError(
        `expected maxHistory to be an integer ≥ 1, got ${describeValue(options.maxHistory)}`,
      );
    }
    this.now = options.now ?? Date.now;
    if (options.baseline)
      this.baselineWeights = Object.freeze(normalizeImportances(options.baseline, this.features));
  }

  /**
   * Records importances (user-given or from `permutationImportance`; negatives are clipped to 0).
   * @param importances - importance per feature.
   * @param at - epoch ms (default now).
   * @returns the change from the baseline after this record.
   * @throws ConfigError when the importances do not name exactly the tracker's features.
   */
  record(importances: Importances, at = this.now()): ImportanceChange {
    const weights = Object.freeze(
      normalizeImportances(importances, this.features, { clipNegative: true }),
    );
    this.baselineWeights ??= weights;
    this.snapshots.push({ at, weights });
    if (this.snapshots.length > this.maxHistory) this.snapshots.shift();
    return this.change();
  }

  /** The history, oldest first. */
  history(): readonly ImportanceSnapshot[] {
    return [...this.snapshots];
  }

  /** The baseline weights (undefined before the first record when none was given). */
  get baseline(): Readonly<Importances> | undefined {
    return this.baselineWeights;
  }

  /**
   * Change of the latest snapshot from the baseline (zero change before any record).
   * @returns shift, rank correlation, per-feature deltas, top-feature change. O(f log f).
   */
  change(): ImportanceChange {
    const latest = this.snapshots[this.snapshots.length - 1]?.weights ?? this.baselineWeights;
    const base = this.baselineWeights;
    if (!latest || !base)
      return { shift: 0, rankCorrelation: 1, perFeature: {}, topChanged: false };
    const perFeature: Record<string, number> = {};
    let tvd = 0;
    for (const f of this.features) {
      perFeature[f] = latest[f]! - base[f]!;
      tvd += Math.abs(perFeature[f]);
    }
    const top = (w: Readonly<Importances>): string =>
      this.features.reduce((best, f) => (w[f]! > w[best]! ? f : best));
    return {
      shift: tvd / 2,
      rankCorrelation: spearman(
        this.features.map((f) => latest[f]!),
        this.features.map((f) => base[f]!),
      ),
      perFeature,
      topChanged: top(latest) !== top(base),
    };
  }

  /**
   * Flat metrics for an `AlertSystem`: `importanceShift`, `importanceRankCorrelation`, `importanceTopChanged` (0/1).
   * @returns the metrics object.
   */
  metrics(): {
    /** {@link ImportanceChange.shift}: total variation distance from the baseline, in [0, 1]. */
    importanceShift: number;
    /** {@link ImportanceChange.rankCorrelation}: Spearman correlation with the baseline. */
    importanceRankCorrelation: number;
    /** {@link ImportanceChange.topChanged} as 1 (changed) or 0. */
    importanceTopChanged: number;
  } {
    const c = this.change();
    return {
      importanceShift: c.shift,
      importanceRankCorrelation: c.rankCorrelation,
      importanceTopChanged: c.topChanged ? 1 : 0,
    };
  }
}

/**
 * Alert rule: fires when `importanceShift` (from {@link ImportanceTracker.metrics}) exceeds `maxShift`.
 * @param maxShift - total-variation threshold in (0, 1] (default 0.2).
 * @param severity - default `'warning'`.
 * @param options - AlertRule options.
 * @returns the rule, named `'feature_importance_shift'`.
 * @throws ConfigError for a threshold outside (0, 1].
 * @example alerts.addRule(importanceShiftRule(0.25));
 */
export function importanceShiftRule(
  maxShift = 0.2,
  severity: AlertSeverity = AlertSeverity.WARNING,
  options: AlertRuleOptions = {},
): AlertRule {
  if (typeof maxShift !== 'number' || !(maxShift > 0 && maxShift <= 1)) {
    throw new ConfigError(`expected maxShift in (0, 1], got ${describeValue(maxShift)}`);
  }
  return new AlertRule(
    'feature_importance_shift',
    (m) => typeof m.importanceShift === 'number' && m.importanceShift > maxShift,
    severity,
    {
      description: `feature importance moved more than ${maxShift} (total variation) from its baseline`,
      ...options,
    },
  );
}
