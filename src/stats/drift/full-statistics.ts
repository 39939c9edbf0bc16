/**
 * The full statistics set: every method and threshold calibration. The
 * methods outside the core (see the `core` column of the method table) are
 * computed here; the core ones by statistic.ts.
 */
import { DataError } from '../../errors.js';
import { andersonDarlingSorted } from '../anderson-darling.js';
import { fisherExact } from '../categorical-tests.js';
import { cramerVonMisesSorted } from '../cramer-von-mises.js';
import { energyDistanceSorted } from '../ecdf-distances.js';
import { eppsSingletonSorted } from '../epps-singleton.js';
import { welchFromMoments } from '../welch-t-test.js';
import { calibrateThreshold } from './calibration.js';
import type { DriftStatistics } from './statistic.js';
import { alignCategories, coreCategoricalStatistic, coreNumericStatistic } from './statistic.js';

/** Every method and calibration: what the in-process engine and the full engine workers compute with. */
export const fullStatistics: DriftStatistics = {
  require() {},
  numeric(method, ref, cur, binned, ops, feature) {
    switch (method) {
      case 'energy':
        return { statistic: energyDistanceSorted(ref.sorted, cur.sorted) };
      case 'anderson': {
        if (ref.sorted.length + cur.sorted.length < 4) {
          throw new DataError(
            `feature "${feature}": anderson needs at least 4 values in total, got ${ref.sorted.length + cur.sorted.length}`,
          );
        }
        const r = andersonDarlingSorted(ref.sorted, cur.sorted);
        return { statistic: r.statistic, pValue: r.pValue };
      }
      case 'cramervonmises': {
        const r = cramerVonMisesSorted(ref.sorted, cur.sorted);
        return { statistic: r.statistic, pValue: r.pValue };
      }
      case 'eppssingleton': {
        const n1 = ref.sorted.length;
        const n2 = cur.sorted.length;
        if (n1 < 5 || n2 < 5) {
          throw new DataError(
            `feature "${feature}": eppssingleton needs at least 5 values on each side, got ${n1} and ${n2}`,
          );
        }
        const r = eppsSingletonSorted(ref.sorted, cur.sorted);
        if (Number.isNaN(r.statistic)) {
          throw new DataError(
            `feature "${feature}": eppssingleton needs a non-zero interquartile range of the pooled values, got 0`,
          );
        }
        return { statistic: r.statistic, pValue: r.pValue };
      }
      case 'ttest': {
        const a = ref.moments;
        const b = cur.moments;
        if (a.count < 2 || b.count < 2) {
          throw new DataError(
            `feature "${feature}": ttest needs at least 2 values on each side, got ${a.count} and ${b.count}`,
          );
        }
        const r = welchFromMoments(a.count, a.mean, a.variance, b.count, b.mean, b.variance);
        return { statistic: r.statistic, pValue: r.pValue };
      }
      default:
        return coreNumericStatistic(method, ref, cur, binned, ops, feature);
    }
  },
  categorical(method, refCounts, curCounts, feature) {
    if (method !== 'fisher') return coreCategoricalStatistic(method, refCounts, curCounts, feature);
    const a = alignCategories(refCounts, curCounts);
    if (a.keys.length > 2) {
      throw new DataError(
        `feature "${feature}": fisher needs at most 2 categories, got ${a.keys.length} (${a.keys.slice(0, 5).join(', ')})`,
      );
    }
    const r = fisherExact(a.ref[0] ?? 0, a.ref[1] ?? 0, a.cur[0] ?? 0, a.cur[1] ?? 0);
    return { statistic: r.statistic, pValue: r.pValue };
  },
  calibrate: (...args) => calibrateThreshold(...args, fullStatistics),
};
