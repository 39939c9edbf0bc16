// What users download: production builds of small consumer pages made with
// Vite (default configuration) from the packed package, opened in Chromium;
// every file the page and its worker load is counted, gzipped (level 9).
//   latency       a page that uses LatencyTracker only (engine worker + WASM)
//   drift         a page that uses DriftDetector on one feature
//   edge-monitor  a page that runs EdgeMonitor (memory outbox, no endpoint)
// Each page checks its own numbers before it reports done, so a page that
// loaded but did not work fails the run instead of being measured.
//
// Exits 1 when a page is over its budget (or fails); targets are reported only.
// Flags: --json, --budget <page>=<bytes> (repeatable; e.g. --budget latency=1000),
//   --modules: also list, for each loaded file, the modules it holds: each module's
//   code as Rollup rendered it (unused code already dropped), minified alone and
//   gzipped alone,
//   --page <name> (repeatable): build only these pages,
//   --app <dir>: measure against a consumer project kept earlier (SIZE_KEEP=1)
//   instead of packing and installing, e.g. after editing its node_modules/edgewatch.
// SIZE_KEEP=1 keeps the consumer project (its builds under <page>/out) and prints where.
import { build, preview } from 'vite';
import { transformSync } from 'esbuild';
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { installConsumer, packPackage, root } from './pack-consumer.mjs';

/**
 * What the pages should load, in bytes gzipped (1 kB = 1000 B): reported beside
 * each page, met or missed (bench/README.md, "Download size").
 */
const TARGETS = { latency: 20_000, 'edge-monitor': 45_000 };
/**
 * The checked budgets: today's figures plus a small margin, so a change that
 * makes a page heavier fails CI while the targets above are still missed.
 * Lower them as the pages shrink; raise them only on purpose.
 */
const BUDGETS = { latency: 20_000, drift: 31_000, 'edge-monitor': 51_900 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const args = process.argv.slice(2);
const asJson = args.includes('--json');
/** `--worker-format es`: Vite's `worker.format` (the default config leaves it 'iife'). */
const workerFormat = args.includes('--worker-format') ? args[args.indexOf('--worker-format') + 1] : undefined;
const withModules = args.includes('--modules');
const only = args.flatMap((a, i) => (a === '--page' ? [args[i + 1]] : []));
const budgets = { ...BUDGETS };
for (let i = 0; i < args.length; i++) {
  if (args[i] !== '--budget') continue;
  const [page, bytes] = String(args[i + 1]).split('=');
  if (!page || !(Number(bytes) > 0)) {
    console.error(`size: expected --budget <page>=<positive bytes>, got ${args[i + 1]}`);
    process.exit(2);
  }
  budgets[page] = Number(bytes);
}

const PAGES = {
  latency: `import { LatencyTracker } from 'edgewatch';
const t = new LatencyTracker();
for (let i = 1; i <= 1000; i++) t.record(i);
const p = await t.percentiles();
if (p.count !== 1000 || p.min !== 1 || p.max !== 1000) throw new Error('wrong percentiles ' + JSON.stringify(p));
done({ count: p.count, p50: p.p50 });`,
  drift: `import { DriftDetector } from 'edgewatch';
const ref = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i) * 10);
const d = new DriftDetector(ref, { threshold: 0.05 });
const same = await d.detect(ref);
const shifted = await d.detect(ref.map((x) => x + 5));
if (same.isDrift || !shifted.isDrift) throw new Error('wrong drift ' + JSON.stringify([same, shifted]));
done({ method: shifted.method, statistic: shifted.statistic });`,
  'edge-monitor': `import { EdgeMonitor } from 'edgewatch';
const m = await EdgeMonitor.create({
  model: { name: 'perception', version: '1' },
  deviceId: 'size-page',
  reference: { x: Float64Array.from({ length: 500 }, (_, i) => Math.cos(i)) },
  store: { backend: 'memory', persist: false },
  windowCount: 100,
});
let windows = 0;
m.on('window', () => windows++);
for (let i = 0; i < 100; i++) m.observe({ features: { x: Math.cos(i * 7) }, prediction: i % 2, label: i % 3 === 0 ? 1 : 0, latencyMs: 5 + (i % 10) });
await m.close();
if (windows < 1) throw new Error('no window sealed');
done({ windows });`,
};

const reuse = args.includes('--app') ? resolve(args[args.indexOf('--app') + 1]) : undefined;
const packed = reuse === undefined ? packPackage() : undefined;
const app = reuse ?? installConsumer(packed.tarball);
const reports = {};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
try {
  for (const [name, code] of Object.entries(PAGES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const dir = join(app, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><pre id="out">running</pre><script type="module" src="./main.js"></script></body></html>',
    );
    const lines = code.split('\n');
    writeFileSync(
      join(dir, 'main.js'),
      `${lines.filter((l) => l.startsWith('import ')).join('\n')}
const done = (r) => { document.getElementById('out').textContent = JSON.stringify({ ok: r }); };
try {
${lines.filter((l) => !l.startsWith('import ')).join('\n')}
} catch (e) { document.getElementById('out').textContent = JSON.stringify({ error: String(e && e.stack || e) }); }
`,
    );
    const outDir = join(dir, 'out');
    const chunks = new Map();
    const collect = moduleCollector(chunks);
    await build({
      root: dir,
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
      ...(withModules ? { plugins: [collect] } : {}),
      worker: {
        ...(workerFormat === undefined ? {} : { format: workerFormat }),
        ...(withModules ? { plugins: () => [collect] } : {}),
      },
    });
    reports[name] = await load(dir, outDir);
    if (withModules) for (const f of reports[name].files) f.modules = breakdown(chunks, f);
  }
} finally {
  await browser.close();
  // A project given with --app is the caller's: left as it is.
  if (reuse === undefined && !process.env.SIZE_KEEP) rmSync(app, { recursive: true, force: true });
  else if (reuse === undefined) console.error(`size: kept ${app}`);
  if (packed !== undefined) rmSync(packed.stage, { recursive: true, force: true });
}

let ok = true;
for (const [name, r] of Object.entries(reports)) {
  r.budget = budgets[name];
  r.target = TARGETS[name];
  r.ok = r.error === undefined && (r.budget === undefined || r.total <= r.budget);
  ok &&= r.ok;
}
if (asJson) {
  const tarball = packed && { size: packed.size, unpackedSize: packed.unpackedSize, files: packed.files.length };
  console.log(JSON.stringify({ ok, budgets, tarball, pages: reports }, null, 2));
} else {
  console.log('size: Vite production builds (default config) of consumer pages from the packed package;');
  console.log('      files Chromium loaded, each gzip -9');
  for (const [name, r] of Object.entries(reports)) {
    console.log(`${name}:${r.error ? ` FAILED: ${r.error}` : ''}`);
    for (const f of r.files) {
      console.log(`  ${f.file.padEnd(40)} ${kb(f.bytes).padStart(9)} ${kb(f.gzip).padStart(9)} gz`);
      for (const m of f.modules ?? [])
        console.log(`      ${m.module.padEnd(50)} ${kb(m.minified).padStart(9)} ${kb(m.gzip).padStart(9)} gz alone`);
    }
    console.log(
      `  loaded: ${kb(r.total)} gz${r.budget === undefined ? '' : `; budget ${kb(r.budget)}: ${r.ok ? 'OK' : 'OVER'}`}` +
        (r.target === undefined ? '' : `; target ${kb(r.target)}: ${r.total <= r.target ? 'met' : 'missed'}`),
    );
  }
  if (packed !== undefined)
    console.log(`tarball: ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked, ${packed.files.length} files`);
}
process.exit(ok ? 0 : 1);

function kb(n) {
  return `${(n / 1000).toFixed(1)} kB`;
}

/**
 * A Vite/Rollup plugin that records, for every chunk written, the modules it
 * holds and their rendered code (used for the `--modules` breakdown).
 *
 * @param {Map<string, Record<string, { code: string | null, renderedLength: number }>>} chunks - filled by file name.
 */
function moduleCollector(chunks) {
  return {
    name: 'size-module-collector',
    generateBundle(_options, bundle) {
      for (const [fileName, out] of Object.entries(bundle)) if (out.type === 'chunk') chunks.set(fileName, out.modules);
    },
  };
}

/**
 * The modules of one loaded file: each module's rendered code minified alone
 * (UTF-8 bytes) and gzipped alone. Gzipped alone a module loses the context the
 * whole file gives it, so the column adds up to more than the file's gzip size;
 * it ranks the modules and says what leaving one out would roughly save.
 */
function breakdown(chunks, file) {
  const modules = chunks.get(file.file);
  if (modules === undefined) return [];
  const rows = Object.entries(modules).map(([id, m]) => {
    let code = m.code ?? '';
    try {
      if (code.trim() !== '') code = transformSync(code, { minify: true, loader: 'js', charset: 'utf8' }).code;
    } catch {
      // Not parseable alone (a fragment of a wrapper): counted unminified.
    }
    const bytes = Buffer.from(code.trim(), 'utf8');
    return { module: moduleName(id), minified: bytes.length, gzip: bytes.length === 0 ? 0 : gzipSync(bytes, { level: 9 }).length };
  });
  return rows.filter((r) => r.minified > 0).sort((a, b) => b.gzip - a.gzip);
}

/** A module id shortened to `edgewatch/<path>`, `<package>/<path>` or the id's tail. */
function moduleName(id) {
  const clean = id.replace(/^\0/, '').replace(/\?.*$/, '');
  const i = clean.lastIndexOf('node_modules/');
  return i >= 0 ? clean.slice(i + 'node_modules/'.length).replace(/^edgewatch\/dist\//, 'edgewatch/') : clean.split('/').slice(-2).join('/');
}

/** Serves `outDir`, opens it in Chromium and returns the files loaded from it with their gzip sizes. */
async function load(dir, outDir) {
  const server = await preview({
    root: dir,
    logLevel: 'silent',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const base = server.resolvedUrls.local[0];
  const context = await browser.newContext();
  const loaded = new Set();
  const errors = [];
  context.on('request', (req) => loaded.add(req.url()));
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(msg.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('worker', (w) => loaded.add(w.url()));
  try {
    await page.goto(base);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'running', null, { timeout: 60_000 });
    const out = JSON.parse(await page.textContent('#out'));
    const files = [...loaded]
      .filter((u) => u.startsWith(base) && !u.startsWith('blob:'))
      .map((u) => new URL(u).pathname.replace(/^\//, '') || 'index.html')
      .map((file) => {
        const bytes = readFileSync(join(outDir, file));
        return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      })
      .sort((a, b) => b.gzip - a.gzip);
    const error = out.error ?? (errors.length > 0 ? `console: ${errors.join(' | ')}` : undefined);
    return { result: out.ok, error, files, total: files.reduce((s, f) => s + f.gzip, 0) };
  } finally {
    await context.close();
    await new Promise((resolve) => server.httpServer.close(() => resolve()));
  }
}
