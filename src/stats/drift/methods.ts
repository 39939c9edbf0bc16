/**
 * The method table: which methods are tests (p-values) and which are
 * distances, their default thresholds (Evidently's defaults), which data they
 * accept, and the `'auto'` rule.
 */
import { ConfigError, describeValue } from '../../errors.js';
import type { DriftMethod, EvidentlyMethodName } from './types.js';

/** How a method decides: tests compare a p-value (drift if p < t), distances a value (drift if d ≥ t). */
export type MethodKind = 'test' | 'distance';

interface MethodInfo {
  kind: MethodKind;
  threshold: number;
  numeric: boolean;
  categorical: boolean;
}

const TABLE: Record<DriftMethod, MethodInfo> = {
  ks: { kind: 'test', threshold: 0.05, numeric: true, categorical: false },
  anderson: { kind: 'test', threshold: 0.05, numeric: true, categorical: false },
  cramervonmises: { kind: 'test', threshold: 0.05, numeric: true, categorical: false },
  ttest: { kind: 'test', threshold: 0.05, numeric: true, categorical: false },
  eppssingleton: { kind: 'test', threshold: 0.05, numeric: true, categorical: false },
  wasserstein: { kind: 'distance', threshold: 0.1, numeric: true, categorical: false },
  energy: { kind: 'distance', threshold: 0.1, numeric: true, categorical: false },
  psi: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true },
  jensenshannon: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true },
  kl: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true },
  hellinger: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true },
  tvd: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true },
  chisquare: { kind: 'test', threshold: 0.05, numeric: false, categorical: true },
  ztest: { kind: 'test', threshold: 0.05, numeric: false, categorical: true },
  fisher: { kind: 'test', threshold: 0.05, numeric: false, categorical: true },
  gtest: { kind: 'test', threshold: 0.05, numeric: false, categorical: true },
};

/** All method names. */
export const DRIFT_METHODS = Object.keys(TABLE) as DriftMethod[];

/**
 * Evidently's stattest names, accepted as aliases of the methods here (same
 * statistic and default threshold).
 */
export const EVIDENTLY_METHOD_ALIASES: Readonly<Record<EvidentlyMethodName, DriftMethod>> = {
  kl_div: 'kl',
  jensenshannon: 'jensenshannon',
  wasserstein: 'wasserstein',
  chisquare: 'chisquare',
  z: 'ztest',
  fisher_exact: 'fisher',
  g_test: 'gtest',
  hellinger: 'hellinger',
  ed: 'energy',
  es: 'eppssingleton',
  t_test: 'ttest',
  anderson: 'anderson',
  cramer_von_mises: 'cramervonmises',
  TVD: 'tvd',
  psi: 'psi',
  ks: 'ks',
};

/**
 * The method a name stands for: a method name, or an Evidently alias.
 *
 * @param name - `'auto'`, a method name or an Evidently alias (`'kl_div'`, `'z'`, `'TVD'`, …).
 * @param where - prefix for the error message (for example `features.x.`).
 * @returns the method, or `'auto'`.
 * @throws ConfigError for an unknown name, listing the valid names.
 * @example canonicalMethod('fisher_exact') // => 'fisher'
 */
export function canonicalMethod(name: unknown, where = ''): DriftMethod | 'auto' {
  if (name === 'auto' || isDriftMethod(name)) return name;
  if (typeof name === 'string' && Object.hasOwn(EVIDENTLY_METHOD_ALIASES, name)) {
    return EVIDENTLY_METHOD_ALIASES[name as EvidentlyMethodName];
  }
  const aliases = Object.keys(EVIDENTLY_METHOD_ALIASES).filter((a) => !isDriftMethod(a));
  throw new ConfigError(
    `${where}method: expected 'auto', one of ${DRIFT_METHODS.join(', ')} or an Evidently name (${aliases.join(', ')}), got ${describeValue(name)}`,
  );
}

/**
 * Whether `name` is a known method.
 *
 * @param name - a candidate.
 * @returns true for a {@link DriftMethod}.
 * @example isDriftMethod('ks') // => true
 */
export function isDriftMethod(name: unknown): name is DriftMethod {
  return typeof name === 'string' && Object.hasOwn(TABLE, name);
}

/**
 * Test or distance.
 *
 * @param method - the method.
 * @returns `'test'` or `'distance'`.
 * @example methodKind('psi') // => 'distance'
 */
export function methodKind(method: DriftMethod): MethodKind {
  return TABLE[method].kind;
}

/**
 * Default threshold of a method (p-value level for tests, distance for distances).
 *
 * @param method - the method.
 * @returns the threshold.
 * @example defaultThreshold('wasserstein') // => 0.1
 */
export function defaultThreshold(method: DriftMethod): number {
  return TABLE[method].threshold;
}

/**
 * Whether a method accepts values of this kind. Numeric values may be taken as
 * categories (counts per distinct value) by categorical methods.
 *
 * @param method - the method.
 * @param kind - the feature's kind.
 * @returns true when allowed.
 * @example methodAccepts('ks', 'categorical') // => false
 */
export function methodAccepts(method: DriftMethod, kind: 'numeric' | 'categorical'): boolean {
  const info = TABLE[method];
  return kind === 'categorical' ? info.categorical : info.numeric || info.categorical;
}

/**
 * Whether a method on numeric data works on the values taken as categories.
 *
 * @param method - the method.
 * @returns true for chisquare, ztest, fisher, gtest.
 * @example treatsNumericAsCategories('chisquare') // => true
 */
export function treatsNumericAsCategories(method: DriftMethod): boolean {
  return !TABLE[method].numeric;
}

/** Effect-size floor of the `'auto'` rule (Evidently's large-sample distance cut). */
export const AUTO_MIN_EFFECT = 0.1;

/**
 * The `'auto'` rule, decided once from the reference: KS for numeric data
 * with > 5 unique values, else chi-square (> 2 categories) or Z-test (≤ 2) —
 * a hypothesis test at every size, so the threshold stays a p-value level.
 * Evidently's `get_default_stattest` switches to distances above 1000 rows;
 * here the large-sample guard is the effect floor {@link AUTO_MIN_EFFECT}.
 *
 * @param kind - the feature's kind.
 * @param uniqueCount - distinct reference values.
 * @returns the method.
 * @example autoMethod('numeric', 480) // => 'ks'
 */
export function autoMethod(kind: 'numeric' | 'categorical', uniqueCount: number): DriftMethod {
  if (kind === 'numeric' && uniqueCount > 5) return 'ks';
  return uniqueCount > 2 ? 'chisquare' : 'ztest';
}
