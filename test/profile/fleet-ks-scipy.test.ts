/**
 * Sketch-based fleet KS against scipy's exact KS on the union of the raw data: each
 * device's values go into its own profile, the profiles are merged, and the merged
 * profile is compared with the reference profile. scipy's statistic must lie in
 * [statistic, statistic + errorBound] for every data set.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareNumeric,
  mergeProfiles,
  type FeatureProfile,
  type NumericProfile,
} from '../../src/entry/stats.js';
import { PyRandom, draw, type DrawSpec } from './fleet-data.js';
import { numericProfile } from './profile-of.js';

interface Case {
  name: string;
  seed: number;
  reference: DrawSpec;
  devices: DrawSpec[];
  ks: number;
  pValue: number;
  firstValues: number[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/fleet/fleet-ks.json', import.meta.url), 'utf8'),
) as { cases: Case[] };
describe('fleet KS from merged sketches vs scipy exact KS on the union', () => {
  it('has at least 10 data sets', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const scale of [4, 5, 7]) {
    it.each(fixture.cases.map((c) => [c.name, c] as const))(
      `scale ${scale}: %s within the stated bound`,
      (_name, c) => {
        const rng = new PyRandom(c.seed);
        const ref = draw(rng, c.reference);
        expect(ref.slice(0, 3)).toEqual(c.firstValues);
        let fleet: FeatureProfile | undefined;
        for (const d of c.devices) {
          const p = numericProfile(draw(rng, d), scale);
          fleet = fleet ? mergeProfiles(fleet, p) : p;
        }
        const cmp = compareNumeric(numericProfile(ref, scale), fleet as NumericProfile);
        expect(cmp.ks.statistic).toBeLessThanOrEqual(c.ks + 1e-12);
        expect(c.ks).toBeLessThanOrEqual(cmp.ks.statistic + cmp.ks.errorBound + 1e-12);
        // the bound is informative for continuous data; integers put whole point
        // masses inside one bucket, which the bound has to cover
        if (c.reference.dist !== 'poisson-ish')
          expect(cmp.ks.errorBound).toBeLessThan(scale === 7 ? 0.01 : scale === 5 ? 0.05 : 0.1);
        console.log(
          `fleet-ks scale=${scale} ${c.name}: scipy=${c.ks.toFixed(5)} sketch=${cmp.ks.statistic.toFixed(5)} bound=${cmp.ks.errorBound.toFixed(5)}`,
        );
      },
    );
  }
});
