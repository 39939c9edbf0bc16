// Bundle-size budget: what a browser page downloads to use edgewatch with its
// engine worker — the main entry (everything it imports eagerly), the worker
// file and what it imports, with the WASM embedded — minified with esbuild,
// dependencies (comlink, idb) included, each file gzipped (level 9). Lazy
// chunks the page never loads in worker mode (the in-process engine, the
// reference-kernel fallback) are listed but not counted.
//
// Two measurements (the package is `sideEffects: false`, so a bundler keeps
// only what is imported):
//   core  a page importing { createEngine, LatencyTracker, MetricsCollector }
//   full  a page importing everything the `edgewatch` entry exports
// Exits 1 when the checked one (core by default, full with --full) is over budget.
//
// Flags: --budget <bytes> (default 25000), --full, --json (machine-readable output).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const budget = args.includes('--budget') ? Number(args[args.indexOf('--budget') + 1]) : 25_000;
const asJson = args.includes('--json');

const checkFull = args.includes('--full');
mkdirSync(join(root, 'build'), { recursive: true });
const coreEntry = join(root, 'build/size-core-entry.ts');
writeFileSync(
  coreEntry,
  "export { createEngine, LatencyTracker, MetricsCollector } from '../src/index.js';\n",
);

const reports = {
  core: await measure(coreEntry),
  full: await measure(join(root, 'src/index.ts')),
};
const checked = checkFull ? 'full' : 'core';
const ok = reports[checked].total <= budget;

if (asJson) {
  console.log(JSON.stringify({ budget, checked, ok, ...reports }, null, 2));
} else {
  console.log('size: minified + gzip -9 (esbuild, deps bundled)');
  for (const [name, report] of Object.entries(reports)) print(name, report);
  console.log(
    `size: ${checked} = ${kb(reports[checked].total)} gz — budget ${kb(budget)}: ${ok ? 'OK' : 'OVER BUDGET'}`,
  );
}
process.exit(ok ? 0 : 1);

function kb(n) {
  return `${(n / 1000).toFixed(1)} kB`;
}

/** Builds `mainEntry` + the worker and returns the gzip figures. */
async function measure(mainEntry) {
  const result = await build({
    entryPoints: { index: mainEntry, worker: join(root, 'src/engine/worker.ts') },
    outdir: join(root, 'build/size'),
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
  });

  const outputs = result.metafile.outputs;
  const bytesOf = new Map(result.outputFiles.map((f) => [relative(root, f.path), f.contents]));
  const gz = (name) => gzipSync(bytesOf.get(name) ?? new Uint8Array(0), { level: 9 }).length;

  /** The files loaded when `entry` is imported: itself plus static imports, transitively. */
  function closure(entry) {
    const seen = new Set();
    const visit = (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imp of outputs[file]?.imports ?? []) {
        if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
      }
    };
    visit(entry);
    return seen;
  }

  const entryFile = (name) =>
    Object.keys(outputs).find((f) => outputs[f].entryPoint && f.endsWith(`/${name}.js`));
  const main = closure(entryFile('index'));
  const worker = closure(entryFile('worker'));
  const counted = new Set([...main, ...worker]);
  const total = [...counted].reduce((sum, f) => sum + gz(f), 0);
  const sumGz = (files) => [...files].reduce((s, f) => s + gz(f), 0);
  const wasmPath = join(root, 'build/kernels.wasm');
  const wasm = existsSync(wasmPath) ? readFileSync(wasmPath) : undefined;

  return {
    total,
    mainEager: sumGz(main),
    workerAll: sumGz(worker),
    wasmRaw: wasm?.length,
    wasmGzip: wasm === undefined ? undefined : gzipSync(wasm, { level: 9 }).length,
    files: Object.keys(outputs).map((f) => ({
      file: relative(join(root, 'build/size'), f),
      minified: outputs[f].bytes,
      gzip: gz(f),
      counted: counted.has(f),
      in:
        [main.has(f) ? 'main' : '', worker.has(f) ? 'worker' : ''].filter(Boolean).join('+') ||
        'lazy',
    })),
  };
}

function print(name, report) {
  console.log(`${name}:`);
  for (const f of [...report.files].sort((a, b) => b.gzip - a.gzip)) {
    if (f.gzip < 300 && !f.counted) continue;
    console.log(
      `  ${f.file.padEnd(24)} ${kb(f.minified).padStart(9)} min ${kb(f.gzip).padStart(9)} gz  ${f.in}${f.counted ? '' : ' (not counted)'}`,
    );
  }
  console.log(`  main entry, eager:  ${kb(report.mainEager)} gz`);
  console.log(`  worker + imports:   ${kb(report.workerAll)} gz (WASM embedded as base64)`);
  if (report.wasmRaw !== undefined)
    console.log(`  kernels.wasm alone: ${kb(report.wasmRaw)} raw, ${kb(report.wasmGzip)} gz`);
  console.log(`  total (union):      ${kb(report.total)} gz`);
}
