/**
 * What the multivariate behaviour test and bench/multivariate.ts share: seeded
 * Gaussian rows with a mean shift and a common factor, and each multivariate
 * drift method as `prepare(reference)` returning the window's drift verdict.
 */
import {
  domainClassifierTest,
  driftedComponents,
  fitPcaDrift,
  mmdTest,
  pcaDrift,
  prepareDomainClassifier,
  prepareDriftedComponents,
  prepareMmd,
  type DomainClassifierOptions,
  type DriftedComponentsOptions,
  type MmdOptions,
  type PcaDriftOptions,
} from '../../src/entry/multivariate.js';

/** Whether a window drifted from the reference a test was prepared on. */
export type WindowTest = (window: number[][]) => boolean;

/** The window test of a prepared model `m`. */
function verdict<M>(m: M, test: (m: M, cur: number[][]) => { isDrift: boolean }): WindowTest {
  return (cur) => test(m, cur).isDrift;
}

/** Each method: prepare on a reference, then test windows against it. */
export const prepareTest = {
  mmd: (ref: number[][], o?: MmdOptions) => verdict(prepareMmd(ref, o), mmdTest),
  pca: (ref: number[][], o?: PcaDriftOptions) => verdict(fitPcaDrift(ref, o), pcaDrift),
  classifier: (ref: number[][], o?: DomainClassifierOptions) =>
    verdict(prepareDomainClassifier(ref, o), domainClassifierTest),
  components: (ref: number[][], o?: DriftedComponentsOptions) =>
    verdict(prepareDriftedComponents(ref, o), driftedComponents),
};

/**
 * `n` rows of `d` standard normals from `z`, each value shifted by `shift`,
 * plus a common factor (one draw per row, loading `factor` on every dimension).
 */
export function shiftedRows(
  z: () => number,
  n: number,
  d: number,
  shift = 0,
  factor = 0,
): number[][] {
  return Array.from({ length: n }, () => {
    const f = z() * factor;
    return Array.from({ length: d }, () => z() + shift + f);
  });
}
