/**
 * Statistical behaviour and cost of the multivariate methods (edgewatch/multivariate):
 * false alarms over no-shift windows, power under mean and covariance shifts in
 * 32 and 256 dimensions, CBPE coverage under covariate shift and its failure
 * under concept shift, and the cost of one window. Figures go to bench/README.md
 * and docs/multivariate.md.
 *
 *   node --import tsx bench/multivariate.ts [--trials 200] [--power-trials 50] [--dims 32,256]
 *     [--reference 1000] [--window 200] [--refs 10] [--only fa,power,cbpe,cost]
 *
 * False alarms and power are over `refs` fresh references, trials / refs windows each: a
 * rate measured against one fixed reference is conditional on that reference's own sampling
 * error and varies from reference to reference (PCA: 1–9 of 60 windows at 5 %).
 */
import { estimatePerformance, fitCbpe, realisedPerformance } from '../src/entry/multivariate.js';
import { normalDraws, seededUniform } from '../src/stats/random.js';
import { arg } from './support/args.js';
import { prepareTest, shiftedRows, type WindowTest } from '../test/multivariate/scenarios.js';

const trials = Number(arg('trials', '200'));
const powerTrials = Number(arg('power-trials', '50'));
const dims = arg('dims', '32,256').split(',').map(Number);
const refRows = Number(arg('reference', '1000'));
const winRows = Number(arg('window', '200'));
const only = new Set(arg('only', 'fa,power,cbpe,cost').split(','));
/** References drawn per cell: trials are spread over them, so the rates are not conditional on one reference. */
const refs = Number(arg('refs', '10'));
const alpha = 0.05;

const uniform = seededUniform(20261207);
const z = normalDraws(uniform);

/** Shift of the data: mean along the diagonal with ‖μ‖ = meanNorm; a common factor with loading `factor` on every dimension. */
interface Shift {
  meanNorm: number;
  factor: number;
}
const NONE: Shift = { meanNorm: 0, factor: 0 };

function sample(n: number, d: number, s: Shift): number[][] {
  return shiftedRows(z, n, d, s.meanNorm / Math.sqrt(d), s.factor);
}

type Detector = { name: string; prepare: (ref: number[][]) => WindowTest };
const detectors: Detector[] = [
  { name: 'MMD exact (100 permutations)', prepare: (ref) => prepareTest.mmd(ref, { alpha }) },
  {
    name: 'MMD RFF (256 features)',
    prepare: (ref) => prepareTest.mmd(ref, { alpha, method: 'rff' }),
  },
  { name: 'PCA reconstruction', prepare: (ref) => prepareTest.pca(ref, { alpha }) },
  {
    name: 'Domain classifier (held-out AUC)',
    prepare: (ref) => prepareTest.classifier(ref, { alpha }),
  },
  {
    name: 'Drifted components (KS, Bonferroni)',
    prepare: (ref) => prepareTest.components(ref, { alpha }),
  },
];

function rate(det: Detector, d: number, s: Shift, n: number): number {
  let hits = 0;
  let done = 0;
  for (let r = 0; r < refs; r++) {
    const test = det.prepare(sample(refRows, d, NONE));
    const windows = Math.round(((r + 1) * n) / refs) - Math.round((r * n) / refs);
    for (let t = 0; t < windows; t++, done++) if (test(sample(winRows, d, s))) hits++;
  }
  return hits / done;
}

const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;

if (only.has('fa') || only.has('power')) {
  const shifts: [string, Shift][] = [
    ['mean ‖μ‖ = 0.5', { meanNorm: 0.5, factor: 0 }],
    ['mean ‖μ‖ = 1', { meanNorm: 1, factor: 0 }],
    ['factor 0.2', { meanNorm: 0, factor: 0.2 }],
    ['factor 0.4', { meanNorm: 0, factor: 0.4 }],
  ];
  const header = ['method', 'dims', ...(only.has('fa') ? [`false alarms (${trials} trials)`] : [])];
  if (only.has('power')) header.push(...shifts.map(([n]) => `${n} (${powerTrials})`));
  console.log(
    `reference ${refRows} rows (${refs} drawn per cell), window ${winRows} rows, alpha ${alpha}\n`,
  );
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => ' --- ').join('|')}|`);
  for (const d of dims) {
    for (const det of detectors) {
      const row = [det.name, String(d)];
      if (only.has('fa')) row.push(pct(rate(det, d, NONE, trials)));
      if (only.has('power'))
        for (const [, s] of shifts) row.push(pct(rate(det, d, s, powerTrials)));
      console.log(`| ${row.join(' | ')} |`);
    }
  }
}

if (only.has('cbpe')) {
  // Concept: P(y = 1 | x) = σ(2·(x₁ + x₂ − 0.5)). The model is overconfident: score = σ(4·(x₁ + x₂ − 0.5)).
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const draw = (n: number, mu: number, concept: (x1: number, x2: number) => number) => {
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      const x1 = z() + mu;
      const x2 = z();
      scores.push(sig(4 * (x1 + x2 - 0.5)));
      labels.push(uniform() < concept(x1, x2) ? 1 : 0);
    }
    return { scores, labels };
  };
  const truth = (x1: number, x2: number): number => sig(2 * (x1 + x2 - 0.5));
  const ref = draw(5000, 0, truth);
  for (const calibration of ['isotonic', 'platt'] as const) {
    const model = fitCbpe(ref.scores, ref.labels, { calibration });
    let inside = 0;
    let n = 0;
    let minReal = 1;
    let maxReal = 0;
    let absErr = 0;
    const windows = 100;
    for (let w = 0; w < windows; w++) {
      const mu = -1.5 + (3 * w) / (windows - 1);
      const win = draw(500, mu, truth);
      const est = estimatePerformance(model, win.scores).metrics.accuracy;
      const real = realisedPerformance(model, win.scores, win.labels).accuracy;
      if (real >= est.lower && real <= est.upper) inside++;
      absErr += Math.abs(est.value - real);
      minReal = Math.min(minReal, real);
      maxReal = Math.max(maxReal, real);
      n++;
    }
    console.log(
      `CBPE ${calibration}, covariate shift (x₁ mean −1.5 → +1.5, 100 windows of 500): realised accuracy ${minReal.toFixed(3)}–${maxReal.toFixed(3)}, ` +
        `realised inside the 95 % band in ${inside}/${n} windows, mean |estimate − realised| ${(absErr / n).toFixed(4)}`,
    );
  }
  // Concept shift: the same inputs, the relation flips for x₁ > 0.5 (a new regime the model never saw).
  const model = fitCbpe(ref.scores, ref.labels, { calibration: 'isotonic' });
  const flipped = (x1: number, x2: number): number =>
    x1 > 0.5 ? 1 - truth(x1, x2) : truth(x1, x2);
  let inside = 0;
  let gap = 0;
  for (let w = 0; w < 50; w++) {
    const win = draw(500, 0, flipped);
    const est = estimatePerformance(model, win.scores).metrics.accuracy;
    const real = realisedPerformance(model, win.scores, win.labels).accuracy;
    if (real >= est.lower && real <= est.upper) inside++;
    gap += est.value - real;
  }
  console.log(
    `CBPE isotonic, concept shift (P(y|x) flipped for x₁ > 0.5, 50 windows of 500): realised inside the band in ${inside}/50, mean estimate − realised ${(gap / 50).toFixed(3)}`,
  );
}

if (only.has('cost')) {
  const d = 256;
  const ref = sample(2000, d, NONE);
  const cur = sample(500, d, NONE);
  const time = (label: string, f: () => unknown, reps = 3): void => {
    f();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    console.log(`| ${label} | ${((performance.now() - t0) / reps).toFixed(0)} ms |`);
  };
  console.log('\n| one window: 500 × 256 against a 2,000-row reference | time |\n| --- | --- |');
  const exact = prepareTest.mmd(ref, { maxReference: 2000 });
  time('MMD exact, full reference (2,000), 100 permutations', () => exact(cur));
  const exact1k = prepareTest.mmd(ref);
  time('MMD exact, reference subsampled to 1,000 (default)', () => exact1k(cur));
  const rff = prepareTest.mmd(ref, { maxReference: 2000, method: 'rff' });
  time('MMD RFF (256 features), full reference', () => rff(cur));
  const pca = prepareTest.pca(ref);
  time('PCA reconstruction (5 fold models)', () => pca(cur));
  const dc = prepareTest.classifier(ref);
  time('Domain classifier (reference subsampled to 1,000, half held out)', () => dc(cur));
  const comp = prepareTest.components(ref);
  time('Drifted components (256 KS tests)', () => comp(cur));
  const scores = Array.from({ length: 2000 }, () => uniform());
  const labels = scores.map((p) => (uniform() < p ? 1 : 0));
  const cbpe = fitCbpe(scores, labels);
  time('CBPE binary, 500 rows, 200 draws', () => estimatePerformance(cbpe, scores.slice(0, 500)));
  console.log('\n| one-off preparation | time |\n| --- | --- |');
  time(
    'prepareMmd exact, 2,000 × 256 (reference kernel)',
    () => prepareTest.mmd(ref, { maxReference: 2000 }),
    1,
  );
  time('fitPcaDrift, 2,000 × 256 (whole + 5 fold fits)', () => prepareTest.pca(ref), 1);
}
