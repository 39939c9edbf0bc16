/**
 * A/A and power simulations of ABTest's sequential rule (α = 0.05): latency
 * rounded to 0.1 ms and 1 ms, continuous latency, accuracy and error, with
 * decide() after every sample or every 20. Usage:
 *   npx tsx bench/ab-aa.ts [runs=2000] [maxSamples=1000] [powerRuns=300] [part=all|aa|power]
 * Prints a markdown table; figures are recorded in bench/README.md.
 */
import { ABTest } from '../src/lifecycle/ab-test.js';
import type { ABMetric } from '../src/lifecycle/ab-test.js';

function rng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r: () => number): number =>
  Math.sqrt(-2 * Math.log(r() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * r());

interface Scenario {
  name: string;
  metric: ABMetric;
  /** One draw of (pred, actual) for an arm; `better` marks the candidate under H1. */
  draw: (r: () => number, better: boolean) => [unknown, unknown];
}

const round = (x: number, step: number): number => (step > 0 ? Math.round(x / step) * step : x);
// latencies around 2 ms (lognormal, σ 0.5): at 0.1 ms and 1 ms resolution most values are tied
const latency =
  (step: number, effect: number): Scenario['draw'] =>
  (r, better) => [round(2 * Math.exp(0.5 * gauss(r)) * (better ? 1 - effect : 1), step), undefined];

export function scenarios(effect: number): Scenario[] {
  return [
    { name: 'latency, 0.1 ms resolution', metric: 'latency', draw: latency(0.1, effect) },
    { name: 'latency, 1 ms resolution', metric: 'latency', draw: latency(1, effect) },
    { name: 'latency, continuous', metric: 'latency', draw: latency(0, effect) },
    {
      name: 'accuracy 0.90',
      metric: 'accuracy',
      draw: (r, better) => [r() < 0.9 + (better ? effect / 3 : 0) ? 1 : 0, 1],
    },
    {
      name: 'error, |N(0,1)| rounded to 0.1',
      metric: 'error',
      draw: (r, better) => [round(gauss(r) * (better ? 1 - effect : 1), 0.1), 0],
    },
  ];
}

export interface Rates {
  falseOrWrong: number;
  promote: number;
  medianSamples: number;
}

export function run(s: Scenario, effect: number, runs: number, max: number, look: number): Rates {
  let bad = 0;
  let promote = 0;
  const stopped: number[] = [];
  for (let k = 0; k < runs; k++) {
    const r = rng(7919 * k + 17);
    const ab = new ABTest({ metric: s.metric, minSamples: 100, maxSamples: max, checkEvery: 0 });
    let d = ab.decide();
    for (let i = 1; i <= max && d.decision === 'continue'; i++) {
      ab.record('control', ...s.draw(r, false));
      ab.record('candidate', ...s.draw(r, effect > 0));
      if (i % look === 0 || i === max) d = ab.decide();
    }
    if (d.reason === 'significant' && (effect === 0 || d.decision === 'keep')) bad++;
    if (d.decision === 'promote') promote++;
    if (d.reason === 'significant') stopped.push(d.samples.control);
  }
  stopped.sort((a, b) => a - b);
  return {
    falseOrWrong: bad / runs,
    promote: promote / runs,
    medianSamples: stopped.length ? stopped[Math.floor(stopped.length / 2)]! : NaN,
  };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const runs = Number(process.argv[2] ?? 2000);
  const max = Number(process.argv[3] ?? 1000);
  const part = process.argv[5] ?? 'all';
  const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
  if (part !== 'power') {
    console.log(`A/A, α 0.05, ${runs} runs, maxSamples ${max} per arm, minSamples 100`);
    console.log('| scenario | decide() every sample | every 20 samples |');
    console.log('| --- | --- | --- |');
    for (const s of scenarios(0)) {
      const a = run(s, 0, runs, max, 1);
      const b = run(s, 0, runs, max, 20);
      console.log(`| ${s.name} | ${pct(a.falseOrWrong)} | ${pct(b.falseOrWrong)} |`);
    }
  }
  if (part === 'aa') process.exit(0);
  const powerRuns = Number(process.argv[4] ?? 300);
  const effect = 0.15;
  console.log(
    `\nPower: candidate 15 % faster (latency), +5 points (accuracy), 15 % smaller errors; decide() every sample, ${powerRuns} runs`,
  );
  console.log(
    '| scenario | promoted | wrong-direction decisions | median samples per arm at decision |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const s of scenarios(effect)) {
    const a = run(s, effect, powerRuns, max, 1);
    console.log(`| ${s.name} | ${pct(a.promote)} | ${pct(a.falseOrWrong)} | ${a.medianSamples} |`);
  }
}
