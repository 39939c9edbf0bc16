// The package as users get it: `npm pack`, unpacked into a fresh project
// (dependencies linked from this repository: offline), then used from a Node
// script, through the collector CLI, and from pages bundled by Vite, webpack 5,
// esbuild and Rollup that run LatencyTracker and DriftDetector in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import webpack from 'webpack';
import { CHROMIUM_ARGS } from '../../vite.config.js';
// @ts-expect-error -- plain ES module script without declarations
import { installConsumer, packPackage } from '../../scripts/pack-consumer.mjs';

let packed: { tarball: string; stage: string; files: { path: string }[] };
let app: string;
let browser: Browser;

/** The page every bundler builds: `workerUrl` given when the bundler emits the worker as an entry of ours. */
function pageSource(workerEntry: boolean): string {
  return `import { createEngine, LatencyTracker, DriftDetector } from 'edgewatch';
const out = document.getElementById('out');
try {
  const engine = await createEngine(${workerEntry ? "{ workerUrl: new URL('./edgewatch-worker.js', import.meta.url) }" : '{}'});
  const t = new LatencyTracker({ engine });
  for (let i = 1; i <= 1000; i++) t.record(i);
  const p = await t.percentiles();
  const ref = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i) * 10);
  const d = new DriftDetector(ref, { engine });
  const same = await d.detect(ref);
  const shifted = await d.detect(ref.map((x) => x + 5));
  out.textContent = JSON.stringify({ mode: engine.mode, kernel: engine.kernel,
    p: { count: p.count, min: p.min, max: p.max, mean: p.mean }, drift: [same.isDrift, shifted.isDrift, shifted.method] });
  engine.close();
} catch (e) {
  out.textContent = JSON.stringify({ error: String(e && e.stack || e) });
}
`;
}

const HTML =
  '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><pre id="out">running</pre><script type="module" src="./main.js"></script></body></html>';

function page(name: string, workerEntry: boolean): { dir: string; out: string } {
  const dir = join(app, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), pageSource(workerEntry));
  writeFileSync(join(dir, 'index.html'), HTML);
  return { dir, out: join(dir, 'out') };
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm', '.map': 'application/json' };

async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent((req.url ?? '/').split('?')[0] as string));
    const file = existsSync(path) && !path.endsWith('/') ? path : join(path, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

/** Opens a built page; returns its result and every console warning/error. */
async function run(out: string): Promise<{ result: Record<string, unknown>; console: string[] }> {
  const { url, server } = await serve(out);
  const context = await browser.newContext();
  const messages: string[] = [];
  try {
    const p = await context.newPage();
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => messages.push(`pageerror: ${String(e)}`));
    await p.goto(url);
    await p.waitForFunction(() => document.getElementById('out')?.textContent !== 'running', null, { timeout: 60_000 });
    return { result: JSON.parse((await p.textContent('#out')) as string) as Record<string, unknown>, console: messages };
  } finally {
    await context.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function expectRightNumbers(result: Record<string, unknown>, mode: string): void {
  expect(result.error).toBeUndefined();
  expect(result).toMatchObject({
    mode,
    kernel: 'wasm',
    p: { count: 1000, min: 1, max: 1000, mean: 500.5 },
    drift: [false, true, expect.any(String)],
  });
}

/** Writes `html` as the page's index.html when given, opens the page: right numbers from the worker engine, a clean console. */
async function expectWorkerPageClean(out: string, html?: string): Promise<void> {
  if (html !== undefined) writeFileSync(join(out, 'index.html'), html);
  const r = await run(out);
  expectRightNumbers(r.result, 'worker');
  expect(r.console).toEqual([]);
}

beforeAll(async () => {
  packed = packPackage() as typeof packed;
  app = installConsumer(packed.tarball) as string;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  rmSync(app, { recursive: true, force: true });
  rmSync(packed.stage, { recursive: true, force: true });
});

describe('from the packed tarball', () => {
  it('holds dist, bin, the wire schemas and package.json, and no sources or tests', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('package.json');
    expect(paths).toContain('schemas/window-record.schema.json');
    expect(paths).toContain('schemas/collector.openapi.json');
    expect(paths).toContain('bin/edgewatch-collector.js');
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/engine/worker.js');
    expect(paths).toContain('dist/engine/sketch-worker.js');
    expect(paths.filter((p) => /^(src|test|assembly|bench|demo)\//.test(p))).toEqual([]);
  });

  it('runs in a Node script: import, require(esm) of the same module, a subpath, a worker_threads engine', () => {
    const code = `
      import { createRequire } from 'node:module';
      const m = await import('edgewatch');
      const t = new m.LatencyTracker();
      for (let i = 1; i <= 1000; i++) t.record(i);
      const p = await t.percentiles();
      const stats = await import('edgewatch/stats');
      const ks = stats.ks2Sample([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
      const required = createRequire(import.meta.url)('edgewatch');
      const engine = await m.getDefaultEngine();
      const schema = createRequire(import.meta.url)('edgewatch/schemas/window-record.schema.json');
      const threaded = await m.createEngine({ mode: 'worker' });
      const wt = new m.LatencyTracker({ engine: threaded });
      for (let i = 1; i <= 1000; i++) wt.record(i);
      const wp = await wt.percentiles();
      console.log(JSON.stringify({ count: p.count, mean: p.mean, ks: ks.statistic, same: required.LatencyTracker === m.LatencyTracker, mode: engine.mode, schema: schema.title, worker: [threaded.mode, threaded.kernel, wp.count] }));
      engine.close();
      await threaded.close();
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out.trim().split('\n').pop() as string)).toEqual({
      count: 1000,
      mean: 500.5,
      ks: 1,
      same: true,
      mode: 'inline',
      schema: 'WindowRecord',
      worker: ['worker', 'wasm', 1000],
    });
  }, 60_000);

  it('runs the collector CLI: --help', () => {
    const r = spawnSync(process.execPath, ['node_modules/edgewatch/bin/edgewatch-collector.js', '--help'], {
      cwd: app,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--port/);
  }, 30_000);

  it('round trip in Node: an EdgeMonitor delivers its windows to the packaged collector', () => {
    const code = `
      const { startCollector } = await import('edgewatch/collector');
      const { EdgeMonitor, WindowStore } = await import('edgewatch');
      const collector = await startCollector({ port: 0, host: '127.0.0.1', dbPath: ':memory:' });
      const store = await WindowStore.open({ backend: 'memory', persist: false });
      const m = await EdgeMonitor.create({
        model: { name: 'perception', version: '3' }, deviceId: 'robot-1', windowCount: 50, store,
        endpoint: { endpoint: collector.url + '/v1/windows', intervalMs: 60000 },
      });
      for (let i = 0; i < 120; i++) m.observe({ features: { x: Math.sin(i) }, prediction: i % 4 === 0 ? 0 : 1, label: 1, latencyMs: 2 + (i % 7) });
      await m.close();
      const windows = (await (await fetch(collector.url + '/v1/windows?limit=100&device=robot-1')).json()).windows;
      const metrics = await (await fetch(collector.url + '/metrics')).text();
      console.log(JSON.stringify({ accepted: collector.stats().accepted, predictions: windows.map((w) => w.counters.predictions).sort(),
        tagged: /model="perception"/.test(metrics) && /model_version="3"/.test(metrics), outbox: (await store.stats()).outbox.count }));
      await store.close();
      await collector.close();
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out.trim().split('\n').pop() as string)).toEqual({ accepted: 3, predictions: [20, 50, 50], tagged: true, outbox: 0 });
  }, 60_000);

  it('Vite (default config): worker emitted, right numbers, clean console', async () => {
    const { dir, out } = page('vite', false);
    await viteBuild({ root: dir, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
    await expectWorkerPageClean(out);
  }, 60_000);

  it('webpack 5 (production): no warnings, worker emitted, right numbers, clean console', async () => {
    const { dir, out } = page('webpack', false);
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      webpack(
        {
          mode: 'production',
          context: dir,
          entry: './main.js',
          output: { path: out, filename: 'main.js', publicPath: 'auto' },
          resolve: { modules: [join(app, 'node_modules'), 'node_modules'] },
          devtool: false,
        },
        (err, s) => (err || s === undefined ? reject(err ?? new Error('no stats')) : resolve(s)),
      ),
    );
    const info = stats.toJson({ all: false, warnings: true, errors: true });
    expect(info.errors ?? []).toEqual([]);
    expect((info.warnings ?? []).map((w) => w.message)).toEqual([]);
    await expectWorkerPageClean(out, HTML.replace('type="module" ', ''));
  }, 90_000);

  it('esbuild with the edgewatch/worker entry and workerUrl: right numbers, clean console', async () => {
    const { dir, out } = page('esbuild', true);
    const result = await esbuild({
      entryPoints: { main: join(dir, 'main.js'), 'edgewatch-worker': 'edgewatch/worker' },
      absWorkingDir: app,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      outdir: out,
      logLevel: 'silent',
    });
    expect(result.warnings).toEqual([]);
    await expectWorkerPageClean(out, HTML);
  }, 60_000);

  it('esbuild with no setup: falls back to the inline engine with one warning and right numbers', async () => {
    const { dir, out } = page('esbuild-plain', false);
    await esbuild({ entryPoints: [join(dir, 'main.js')], absWorkingDir: app, bundle: true, splitting: true, format: 'esm', platform: 'browser', outdir: out, logLevel: 'silent' });
    writeFileSync(join(out, 'index.html'), HTML);
    const r = await run(out);
    expectRightNumbers(r.result, 'inline');
    const ours = r.console.filter((m) => m.includes('edgewatch'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^warning: edgewatch: the engine worker did not start/);
  }, 60_000);

  it('Rollup with node-resolve (browser) and the edgewatch/worker entry: right numbers, clean console', async () => {
    const { dir, out } = page('rollup', true);
    const warnings: string[] = [];
    const bundle = await rollup({
      input: { main: join(dir, 'main.js'), 'edgewatch-worker': join(app, 'node_modules/edgewatch/dist/engine/worker.js') },
      plugins: [nodeResolve({ browser: true, rootDir: app })],
      onwarn: (w) => warnings.push(w.message),
    });
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    expect(warnings).toEqual([]);
    await expectWorkerPageClean(out, HTML);
  }, 60_000);
});
