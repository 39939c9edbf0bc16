/**
 * Agreement with scipy on committed fixtures (scripts/gen-drift-fixtures.py):
 * KS statistic exact and p-value within 3% (all three modes), Wasserstein and
 * energy within 1e-6, Anderson–Darling, Cramér–von Mises and Welch within
 * stated tolerances, kstwo.sf, chi-square/G goodness of fit and homogeneity,
 * Fisher and Jensen–Shannon.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { andersonDarlingSorted } from '../../src/stats/anderson-darling.js';
import {
  chiSquareGof,
  contingencyTest,
  fisherExact,
  gTestGof,
  twoProportionZTest,
} from '../../src/stats/categorical-tests.js';
import { cramerVonMisesSorted } from '../../src/stats/cramer-von-mises.js';
import { eppsSingletonSorted } from '../../src/stats/epps-singleton.js';
import { jensenShannonFromCounts } from '../../src/stats/divergences.js';
import {
  energyDistanceSorted,
  ksStatisticSorted,
  wasserstein1Sorted,
} from '../../src/stats/ecdf-distances.js';
import { kolmogorovSf } from '../../src/stats/kolmogorov.js';
import { ksPValue } from '../../src/stats/ks-test.js';
import { momentsOf } from '../../src/stats/sample-ops.js';
import { welchFromMoments } from '../../src/stats/welch-t-test.js';
import { Engine } from '../../src/engine/engine.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import type { DriftMethod, DriftResult } from '../../src/stats/drift/types.js';

const dir = new URL('../fixtures/drift/', import.meta.url);
const load = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'));

interface Pair {
  statistic: number | null;
  pvalue: number | null;
}
interface NumericRow {
  name: string;
  a: number[];
  b: number[];
  ks_auto: Pair;
  ks_exact: Pair;
  ks_asymp: Pair;
  wasserstein: number;
  energy: number;
  std_a: number;
  anderson: Pair | null;
  cvm: Pair;
  cvm_auto: Pair;
  ttest: Pair;
  es: Pair | null;
}
const numeric = load('numeric.json') as NumericRow[];
const sorted = (x: number[]) => Float64Array.from(x).sort();

/** Relative closeness, with an absolute floor for values near 0. */
function close(actual: number, expected: number, rel: number, abs = 1e-12) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    Math.max(abs, rel * Math.abs(expected)),
  );
}

describe('numeric statistics agree with scipy', () => {
  it('covers at least 10 data sets', () => expect(numeric.length).toBeGreaterThanOrEqual(10));
  describe.each(numeric.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const a = sorted(row.a);
    const b = sorted(row.b);
    it('KS statistic equals scipy exact-mode D bit for bit (asymp-mode D within float error); p-values within 3%', () => {
      // One KS statistic everywhere: the kernel's exact integer max|i·m − j·n| / (n·m), rounded once,
      // which is what scipy's exact mode returns; its asymptotic mode subtracts float CDFs.
      const d = ksStatisticSorted(a, b);
      expect(d).toBe(row.ks_exact.statistic);
      for (const mode of ['auto', 'exact', 'asymp'] as const) {
        const ref = row[`ks_${mode}`];
        const r = ksPValue(d, a.length, b.length, mode);
        if (r.mode === 'exact') expect(r.statistic).toBe(ref.statistic);
        else close(r.statistic, ref.statistic as number, 1e-14);
        close(r.pValue, ref.pvalue as number, 0.03, 1e-15);
      }
      expect(ksStatisticSorted(b, a)).toBe(d);
    });
    it('Wasserstein-1 and energy distance within 1e-6', () => {
      close(wasserstein1Sorted(a, b), row.wasserstein, 1e-6, 1e-9);
      close(energyDistanceSorted(a, b), row.energy, 1e-6, 1e-9);
      close(Math.sqrt(momentsOf(a).variance), row.std_a, 1e-9);
    });
    it('Anderson–Darling statistic within 1e-6, p-value within 1e-6 (scipy caps 0.001..0.25)', () => {
      const r = andersonDarlingSorted(a, b);
      if (row.anderson === null || row.anderson.statistic === null) {
        expect(Number.isFinite(r.pValue) || Number.isNaN(r.pValue)).toBe(true);
        return;
      }
      close(r.statistic, row.anderson.statistic, 1e-6, 1e-9);
      close(r.pValue, row.anderson.pvalue as number, 1e-6);
    });
    it('Epps–Singleton statistic and p-value within 1e-8 (NaN where scipy has none)', () => {
      const r = eppsSingletonSorted(a, b);
      if (row.es === null || row.es.statistic === null) {
        expect(r.statistic).toBeNaN();
        return;
      }
      close(r.statistic, row.es.statistic, 1e-8, 1e-10);
      close(r.pValue, row.es.pvalue as number, 1e-8, 1e-15);
    });
    it('Cramér–von Mises statistic within 1e-9, asymptotic p-value within 1e-4 absolute, auto (exact ≤ 20) within 1e-6', () => {
      const r = cramerVonMisesSorted(a, b, 'asymptotic');
      close(r.statistic, row.cvm.statistic as number, 1e-9);
      expect(Math.abs(r.pValue - (row.cvm.pvalue as number))).toBeLessThan(1e-4);
      // 'auto': exact permutation distribution when both sizes ≤ 20 (scipy's rule)
      close(cramerVonMisesSorted(a, b).pValue, row.cvm_auto.pvalue as number, 1e-6, 1e-4);
    });
    it('Welch t statistic and p-value within 1e-6', () => {
      const ma = momentsOf(a);
      const mb = momentsOf(b);
      const r = welchFromMoments(ma.count, ma.mean, ma.variance, mb.count, mb.mean, mb.variance);
      if (row.ttest.statistic === null) return; // scipy gives NaN for constant samples; ours is defined (tested elsewhere)
      close(r.statistic, row.ttest.statistic, 1e-6, 1e-9);
      close(r.pValue, row.ttest.pvalue as number, 1e-6, 1e-15);
    });
  });
});

describe('kstwo.sf (finite-n Kolmogorov distribution)', () => {
  const rows = load('kstwo.json') as { n: number; d: number; sf: number }[];
  it.each(rows.map((r) => [r.n, r.d, r.sf]))('n=%d d=%d', (n, d, sf) => {
    close(kolmogorovSf(n, d), sf, 0.01, 1e-15);
  });
});

describe('categorical tests agree with scipy', () => {
  const cat = load('categorical.json');
  it('chisquare goodness of fit within 1e-6', () => {
    for (const c of cat.chisquare) {
      const r = chiSquareGof(c.observed, c.expected);
      close(r.statistic, c.statistic, 1e-6);
      close(r.pValue, c.pvalue, 1e-6, 1e-15);
    }
  });
  it('G-test (power_divergence log-likelihood) within 1e-6', () => {
    for (const c of cat.gtest) {
      const r = gTestGof(c.observed, c.expected);
      close(r.statistic, c.statistic, 1e-6);
      close(r.pValue, c.pvalue, 1e-6, 1e-15);
    }
  });
  it('2×k homogeneity (chi2_contingency, no correction) Pearson and G within 1e-6', () => {
    for (const c of cat.contingency) {
      const p = contingencyTest(c.reference, c.current, 'pearson');
      close(p.statistic, c.pearson.statistic, 1e-6);
      close(p.pValue, c.pearson.pvalue, 1e-6, 1e-15);
      const g = contingencyTest(c.reference, c.current, 'log-likelihood');
      close(g.statistic, c.loglik.statistic, 1e-6);
      close(g.pValue, c.loglik.pvalue, 1e-6, 1e-15);
      if (c.reference.length === 2) {
        // pooled two-proportion z² equals the 2×2 Pearson statistic
        const z = twoProportionZTest(
          c.reference[0],
          c.reference[0] + c.reference[1],
          c.current[0],
          c.current[0] + c.current[1],
        );
        close(z.pValue, c.pearson.pvalue, 1e-6, 1e-15);
      }
    }
  });
  it('Fisher exact two-sided within 1e-6', () => {
    for (const c of cat.fisher) {
      const [[a, b], [cc, d]] = c.table;
      close(fisherExact(a, b, cc, d).pValue, c.pvalue, 1e-6, 1e-15);
    }
  });
  it('Jensen–Shannon distance within 1e-9', () => {
    for (const c of cat.jensenshannon) close(jensenShannonFromCounts(c.p, c.q), c.distance, 1e-9);
  });
});

describe('the engine drift service agrees with scipy on the same fixtures', () => {
  const engine = new Engine(createReferenceKernel());
  it.each(numeric.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const one = (method: DriftMethod) => {
      const { id } = engine.drift.prepare(row.a, { method });
      const r = engine.drift.compare(id, row.b) as DriftResult;
      engine.drift.release(id);
      return r;
    };
    const ks = one('ks');
    // The kernels return the exact rational h/lcm rounded once: identical to scipy's exact
    // mode; in scipy's asymptotic mode (n > 10 000) scipy keeps float noise of a few ulp.
    const exactMode = Math.max(row.a.length, row.b.length) <= 10_000;
    if (exactMode) expect(ks.statistic).toBe(row.ks_auto.statistic);
    else close(ks.statistic, row.ks_auto.statistic as number, 4 * Number.EPSILON);
    close(ks.pValue as number, row.ks_auto.pvalue as number, 0.03, 1e-15);
    const w = one('wasserstein');
    close(w.distance as number, row.wasserstein, 1e-6, 1e-9);
    close(w.statistic, row.wasserstein / Math.max(row.std_a, 0.001), 1e-6, 1e-9);
    close(one('energy').statistic, row.energy, 1e-6, 1e-9);
    if (row.ttest.pvalue !== null)
      close(one('ttest').pValue as number, row.ttest.pvalue, 1e-6, 1e-15);
    expect(engine.drift.size()).toBe(0);
  });
});
