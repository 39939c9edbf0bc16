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
  /**
   * In the core statistics (statistic.ts): the methods `'auto'` picks, the
   * count divergences, and those whose code the core carries anyway. The
   * others (and threshold calibration) are in the full set only
   * (full-statistics.ts), which the page's engine worker does not carry.
   */
  core: boolean;
}

const TABLE: Record<DriftMethod, MethodInfo> = {
  ks: { kind: 'test', threshold: 0.05, numeric: true, categorical: false, core: true },
  anderson: { kind: 'test', threshold: 0.05, numeric: true, categorical: false, core: false },
  cramervonmises: { kind: 'test', threshold: 0.05, numeric: true, categorical: false, core: false },
  ttest: { kind: 'test', threshold: 0.05, numeric: true, categorical: false, core: false },
  eppssingleton: { kind: 'test', threshold: 0.05, numeric: true, categorical: false, core: false },
  wasserstein: { kind: 'distance', threshold: 0.1, numeric: true, categorical: false, core: true },
  energy: { kind: 'distance', threshold: 0.1, numeric: true, categorical: false, core: false },
  psi: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true, core: true },
  jensenshannon: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true, core: true },
  kl: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true, core: true },
  hellinger: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true, core: true },
  tvd: { kind: 'distance', threshold: 0.1, numeric: true, categorical: true, core: true },
  chisquare: { kind: 'test', threshold: 0.05, numeric: false, categorical: true, core: true },
  ztest: { kind: 'test', threshold: 0.05, numeric: false, categorical: true, core: true },
  fisher: { kind: 'test', threshold: 0.05, numeric: false, categorical: true, core: false },
  gtest: { kind: 'test', threshold: 0.05, numeric: false, categorical: true, core: true },
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

/**
 * Whether a method is in the core statistics (see the `core` column of the table).
 *
 * @param method - the method.
 * @returns true when the core statistics compute it.
 * @example isCoreMethod('anderson') // => false
 */
export function isCoreMethod(method: DriftMethod): boolean {
  return TABLE[method].core;
}

/**
 * Whether drift options can run on the core statistics: every method they
 * name (top level and per feature, Evidently aliases resolved, `'auto'`
 * included) is core, and none asks for calibration. Options that are not
 * valid count as core: whichever engine prepares them reports the error.
 *
 * @param options - detector options, as given.
 * @returns false when they need the full statistics.
 * @example coreStatisticsSuffice({ method: 'z', features: { x: { calibrate: true } } }) // => false
 */
export function coreStatisticsSuffice(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) return true;
  const features = (options as { features?: unknown }).features;
  const own = typeof features === 'object' && features !== null ? Object.values(features) : [];
  return [options, ...own].every((o: unknown) => {
    if (typeof o !== 'object' || o === null) return true;
    const { method, calibrate } = o as { method?: unknown; calibrate?: unknown };
    if (calibrate) return false;
    if (method === undefined) return true;
    try {
      const m = canonicalMethod(method);
      return m === 'auto' || isCoreMethod(m);
    } catch {
      return true;
    }
  });
}
