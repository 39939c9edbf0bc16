/**
 * The edgewatch benchmark runner (`npm run bench`): runs each case
 * side by side with their peers on the same seeded data, prints one table per
 * case with ratios against edgewatch, checks the targets, and writes
 * bench/results.json.
 *
 *   node --expose-gc --import tsx bench/suite/run.ts [--quick] [--case NAME[,NAME]] [--out FILE]
 *
 * --quick: 1e5 values, 1 warm-up + 3 runs (development). Default: 1e6 values,
 * 1 warm-up + 5 runs. Cases: ingest, accuracy, percentiles, drift, worker, merge, chromium.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MAX_CHUNK } from '../../src/engine/staged-sketch.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import { accuracyCase } from './cases/accuracy.js';
import { chromiumCase } from './cases/chromium.js';
import { driftCase } from './cases/drift.js';
import { ingestCase } from './cases/ingest.js';
import { mergeCase } from './cases/merge.js';
import { percentilesCase } from './cases/percentiles.js';
import { workerCase } from './cases/worker.js';
import { createContext } from './context.js';
import type { Case } from './context.js';
import { nsPerValue, printCase, printTargets } from './harness.js';
import type { Budget, Row, Target } from './harness.js';
import {
  DDSKETCH_DEFAULT_ACCURACY,
  ddSketcher,
  hdrSketcher,
  initHdrWasm,
  kernelSketcher,
  tdigestSketcher,
} from './sketchers.js';

const CASES: Case[] = [
  ingestCase,
  accuracyCase,
  percentilesCase,
  driftCase,
  workerCase,
  mergeCase,
  chromiumCase,
];

function parseArgs(argv: string[]): { quick: boolean; cases: Case[]; out: string } {
  let quick = false;
  let names: string[] | undefined;
  let out = fileURLToPath(new URL('../results.json', import.meta.url));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--quick') quick = true;
    else if (a === '--case' || a.startsWith('--case='))
      names = (a === '--case' ? (argv[++i] ?? '') : a.slice(7)).split(',');
    else if (a === '--out') out = argv[++i] ?? out;
    else throw new Error(`unknown argument ${a}; expected --quick, --case NAME[,NAME], --out FILE`);
  }
  const unknown = (names ?? []).filter((n) => !CASES.some((c) => c.name === n));
  if (unknown.length)
    throw new Error(
      `unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}`,
    );
  return { quick, out, cases: names ? CASES.filter((c) => names.includes(c.name)) : CASES };
}

async function main(): Promise<void> {
  const { quick, cases, out } = parseArgs(process.argv.slice(2));
  const budget: Budget = quick
    ? { quick, warmup: 1, runs: 3, n: 100_000 }
    : { quick, warmup: 1, runs: 5, n: 1_000_000 };
  const started = performance.now();
  const env = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadavg: loadavg(),
    gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
    date: new Date().toISOString(),
  };
  console.log(
    `edgewatch bench — ${quick ? 'quick' : 'full'}: n=${budget.n}, ${budget.warmup} warm-up + ${budget.runs} runs; node ${env.node}, ${env.cores} × ${env.cpu}, load ${env.loadavg.map((l) => l.toFixed(1)).join(' ')}${env.gc ? '' : ' (no --expose-gc)'}`,
  );
  const wasm = await createWasmKernel();
  const reference = createReferenceKernel();
  await initHdrWasm();
  const ctx = createContext(budget, wasm, reference, [
    kernelSketcher(wasm, 'edgewatch wasm (1 batch)'),
    kernelSketcher(wasm, `edgewatch wasm (${MAX_CHUNK}-value batches = MAX_CHUNK)`, MAX_CHUNK),
    kernelSketcher(reference, 'edgewatch reference TS (1 batch)'),
    ddSketcher(),
    ddSketcher(DDSKETCH_DEFAULT_ACCURACY),
    hdrSketcher(false),
    hdrSketcher(true),
    tdigestSketcher(),
  ]);
  const rows: Row[] = [];
  const targets: Target[] = [];
  const failures: string[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    try {
      const r = await c.run(ctx);
      printCase(`${c.title} — ${((performance.now() - t0) / 1000).toFixed(1)} s`, r.rows);
      rows.push(...r.rows);
      targets.push(...r.targets);
    } catch (error) {
      failures.push(`${c.name}: ${(error as Error).stack ?? String(error)}`);
      console.error(`\n== ${c.title}: FAILED\n${(error as Error).stack ?? String(error)}`);
    }
  }
  printTargets(targets);
  const seconds = (performance.now() - started) / 1000;
  const checked = targets.filter((t) => !t.info);
  console.log(
    `\n${checked.filter((t) => t.met).length}/${checked.length} targets met; ${seconds.toFixed(0)} s; results in ${out}`,
  );
  writeFileSync(
    out,
    JSON.stringify(
      {
        env,
        budget,
        seconds,
        rows: rows.map((r) => ({ ...r, nsPerValue: nsPerValue(r) })),
        targets,
        failures,
      },
      null,
      2,
    ) + '\n',
  );
  if (failures.length) process.exitCode = 1;
}

await main();
