/**
 * Options of {@link ABTest} and their validation ("expected …, got …").
 */
import { ConfigError, describeValue } from '../errors.js';
import {
  nonEmptyString,
  numberOption,
  oneOfOption,
  optionsObject,
  type NumberCheck,
} from '../util/options.js';
import type { ModelTag } from './model-tag.js';

/** A whole number >= `min`. */
const countFrom = (min: number): NumberCheck => ({ integer: true, min });
/** A number in (0, 1). */
const UNIT_OPEN: NumberCheck = { above: 0, below: 1 };

/** What an A/B test compares. */
export type ABMetric = 'accuracy' | 'error' | 'latency';

/** Options of `new ABTest(...)`. */
export interface ABTestOptions {
  /** `'accuracy'` (exact-match rate, higher wins), `'error'` (regression error, lower wins), `'latency'` (ms at `quantile`, lower wins). */
  metric: ABMetric;
  /** Samples each arm needs before any decision (default 100, ≥ 2); msprt: the first this many pairs calibrate the test and are not evidence. */
  minSamples?: number;
  /** Type-I error rate (default 0.05). */
  alpha?: number;
  /** `'shadow'` (both models see every input) or `'split'` (each unit sees one; use `assign`). Default `'shadow'`. */
  mode?: 'shadow' | 'split';
  /** `'msprt'` (default: always-valid, peek as often as you like) or `'fixed-horizon'` (decides once, at `horizon`). */
  rule?: 'msprt' | 'fixed-horizon';
  /** Samples per arm at which the fixed-horizon rule decides (required for it; ≥ minSamples). */
  horizon?: number;
  /** msprt only: when both arms reach this many samples without a significant result, decide `'keep'`. Default: never. */
  maxSamples?: number;
  /**
   * The effect size the msprt rule is tuned to, in the metric's units (validity does not depend on it).
   * It sets the mixture scale once, at the end of calibration: ρ = var(d) / δ² with δ = tau / sd(d)
   * per pair (latency: tau ms turned into an exceedance change through the density at the threshold).
   * Defaults: accuracy 0.05; error 0.2 × the standard deviation of the errors; latency 0.1 × the
   * calibration quantile. The reported `interval` also uses it.
   */
  tau?: number;
  /** Latency quantile compared (default 0.95). */
  quantile?: number;
  /** How `'error'` turns (pred, actual) into an error: `'absolute'` (default) or `'squared'`. */
  errorKind?: 'absolute' | 'squared';
  /** Split mode: fraction of units sent to the candidate (default 0.5). */
  candidateShare?: number;
  /** Experiment name: hash salt and event label (default `'ab'`). */
  name?: string;
  /** Tags of the two models, echoed in every decision. */
  control?: ModelTag;
  /** Tag of the candidate model, echoed in every decision. */
  candidate?: ModelTag;
  /** Re-evaluate automatically every this many records (0 = only on `decide()`; default 10). */
  checkEvery?: number;
  /** Receives errors thrown by event listeners. */
  onError?: (error: unknown) => void;
}

/** Options with defaults applied. */
export interface ResolvedABOptions {
  metric: ABMetric;
  minSamples: number;
  alpha: number;
  mode: 'shadow' | 'split';
  rule: 'msprt' | 'fixed-horizon';
  horizon: number;
  maxSamples: number;
  tau: number | undefined;
  quantile: number;
  errorKind: 'absolute' | 'squared';
  candidateShare: number;
  name: string;
  control: ModelTag | undefined;
  candidate: ModelTag | undefined;
  checkEvery: number;
  onError: ((error: unknown) => void) | undefined;
}

/**
 * Validates and fills in defaults.
 * @param options - user options.
 * @returns resolved options.
 * @throws ConfigError on any invalid option.
 * @example resolveABOptions({ metric: 'accuracy' }).alpha // => 0.05
 */
export function resolveABOptions(options: ABTestOptions): ResolvedABOptions {
  optionsObject(options, 'ABTest');
  const metric = oneOfOption('metric', options.metric, ['accuracy', 'error', 'latency'] as const);
  const minSamples = numberOption('minSamples', options.minSamples ?? 100, countFrom(2));
  const alpha = numberOption('alpha', options.alpha ?? 0.05, UNIT_OPEN);
  const rule = oneOfOption('rule', options.rule ?? 'msprt', ['msprt', 'fixed-horizon'] as const);
  let horizon = Infinity;
  if (rule === 'fixed-horizon') {
    horizon = numberOption(
      'horizon (required by the fixed-horizon rule)',
      options.horizon,
      countFrom(minSamples),
    );
  } else if (options.horizon !== undefined) {
    throw new ConfigError(
      `expected no horizon with rule 'msprt' (it never needs one), got ${describeValue(options.horizon)}`,
    );
  }
  const maxSamples =
    options.maxSamples === undefined
      ? Infinity
      : numberOption('maxSamples', options.maxSamples, countFrom(minSamples));
  if (options.tau !== undefined) numberOption('tau', options.tau, { above: 0 });
  const quantile = numberOption('quantile', options.quantile ?? 0.95, UNIT_OPEN);
  const candidateShare = numberOption('candidateShare', options.candidateShare ?? 0.5, UNIT_OPEN);
  const checkEvery = numberOption('checkEvery', options.checkEvery ?? 10, countFrom(0));
  const name = options.name ?? 'ab';
  nonEmptyString('name', name);
  return {
    metric,
    minSamples,
    alpha,
    mode: oneOfOption('mode', options.mode ?? 'shadow', ['shadow', 'split'] as const),
    rule,
    horizon,
    maxSamples,
    tau: options.tau,
    quantile,
    errorKind: oneOfOption('errorKind', options.errorKind ?? 'absolute', [
      'absolute',
      'squared',
    ] as const),
    candidateShare,
    name,
    control: options.control,
    candidate: options.candidate,
    checkEvery,
    onError: options.onError,
  };
}
