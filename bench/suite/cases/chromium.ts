/**
 * Case `chromium` — the public LatencyTracker in a real Chromium page
 * (playwright-core, Debian's chromium) with the engine in a module Web Worker:
 * cold start (new LatencyTracker() to the first answered quantile: worker spawn
 * + WASM compile, in a fresh page each run), then record() and
 * recordMany(Float64Array) on n values, timed on the page thread (the caller's
 * cost; the worker ingests in parallel) and until flushed.
 *
 * The page (../chromium/page.ts) and the engine's worker scripts (src/engine/
 * sketch-worker.ts, wasm-worker.ts, worker.ts) are bundled with esbuild as a
 * production build would be (minified, lazy chunks split) and served from
 * 127.0.0.1, each worker at the URL the page's `new URL('./<script>.ts',
 * import.meta.url)` names; other paths are 404s. A cold start must fetch the
 * sketch worker only (a fallback to another script fails the case).
 * The page is cross-origin isolated so that its timer resolves 5 µs (100 µs
 * otherwise, too coarse for a 16,384-value slice).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../../vite.config.js';
import type { ColdParts, PageRun } from '../chromium/page.js';
import { defineCase } from '../context.js';
import { median, timingOf } from '../harness.js';
import type { Row } from '../harness.js';

/**
 * Bundles `entry` as a production build would (minified, lazy imports split into
 * chunks): the files by their URL path, the entry as `/<as>`.
 */
async function bundle(entry: string, as: string): Promise<Record<string, string>> {
  const out = await build({
    entryPoints: { main: fileURLToPath(new URL(entry, import.meta.url)) },
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/out',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, string> = {};
  for (const f of out.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    files[name === 'main.js' ? `/${as}` : `/${name}`] = f.text;
  }
  return files;
}

/** The worker scripts served beside the page; the first is the one LatencyTracker starts. */
const WORKER_SCRIPTS = ['sketch-worker', 'wasm-worker', 'worker'] as const;

/**
 * Serves the bundled files and the page's HTML at `/`; any other path is a 404
 * (a worker script the page did not expect must fail, not load the HTML).
 * `requests` lists every path asked for, in order.
 */
async function serve(
  files: Record<string, string>,
): Promise<{ server: Server; base: string; requests: string[] }> {
  const requests: string[] = [];
  // Cross-origin isolated: performance.now() at 5 µs instead of 100 µs resolution.
  const isolated = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  };
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const body = files[url];
    if (body !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript', ...isolated });
      res.end(body);
      return;
    }
    if (url !== '/') {
      res.writeHead(404, isolated);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html', ...isolated });
    res.end(
      '<!doctype html><meta charset="utf-8"><title>edgewatch bench</title><script type="module" src="/page.js"></script>',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    requests,
  };
}

interface Bench {
  coldStart(): Promise<{ ms: number; mode: string; p50: number }>;
  coldParts(): Promise<ColdParts>;
  run(n: number): Promise<PageRun>;
}

/** Case `chromium`. */
export const chromiumCase = defineCase(
  'chromium',
  'chromium: LatencyTracker in a page, engine in a module Worker (page-thread cost)',
  async (ctx, t) => {
    const { budget } = ctx;
    const n = budget.n;
    // Every worker script the page can start, each at the URL its
    // `new URL('./<script>.ts', import.meta.url)` names: LatencyTracker starts the
    // sketch worker, and falls back to the engine worker only when that fails.
    const [page, ...workers] = await Promise.all([
      bundle('../chromium/page.ts', 'page.js'),
      ...WORKER_SCRIPTS.map((w) => bundle(`../../../src/engine/${w}.ts`, `${w}.ts`)),
    ]);
    const { server, base, requests } = await serve(Object.assign({}, page, ...workers));
    const sketchWorker = workers[0] as Record<string, string>;
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--headless'],
    });
    try {
      const open = async () => {
        const p = await browser.newPage();
        await p.goto(base);
        await p.waitForFunction(() => 'edgewatchBench' in globalThis);
        return p;
      };
      // Cold start: a fresh page (and so a fresh worker and WASM compile) per run.
      const cold: number[] = [];
      let mode = '';
      for (let r = 0; r < budget.warmup + budget.runs; r++) {
        const p = await open();
        const from = requests.length;
        const c = await p.evaluate(() =>
          (globalThis as unknown as { edgewatchBench: Bench }).edgewatchBench.coldStart(),
        );
        await p.close();
        if (!(c.p50 > 12 && c.p50 < 13)) throw new Error(`cold start answered p50 ${c.p50}`);
        // Only the sketch worker may start: a fallback would time another path.
        const started = requests.slice(from).filter((u) => u.endsWith('.ts'));
        if (started.join() !== '/sketch-worker.ts')
          throw new Error(`cold start fetched worker scripts ${started.join(', ')}`);
        mode = c.mode;
        if (r >= budget.warmup) cold.push(c.ms);
      }
      // Where a cold start's time goes: its parts, each in a fresh page.
      const parts: ColdParts[] = [];
      for (let r = 0; r < budget.warmup + budget.runs; r++) {
        const p = await open();
        const c = await p.evaluate(() =>
          (globalThis as unknown as { edgewatchBench: Bench }).edgewatchBench.coldParts(),
        );
        await p.close();
        if (r >= budget.warmup) parts.push(c);
      }
      const p = await open();
      const runs: PageRun[] = [];
      for (let r = 0; r < budget.warmup + budget.runs; r++) {
        const one = await p.evaluate(
          (size) => (globalThis as unknown as { edgewatchBench: Bench }).edgewatchBench.run(size),
          n,
        );
        if (one.count !== 2 * n) throw new Error(`page tracker counted ${one.count} of ${2 * n}`);
        if (r >= budget.warmup) runs.push(one);
      }
      await p.close();
      const row = (name: string, ms: number[], extra?: Row['extra'], values = n): Row =>
        t.row({
          group: 'lognormal',
          name,
          role: 'edgewatch',
          timing: timingOf(ms),
          values,
          extra,
          note: `page thread, engine mode ${mode}`,
        });
      row('cold start: new LatencyTracker() → first quantile', cold, undefined, 1);
      const part = (name: string, key: keyof ColdParts): Row =>
        row(
          `  part: ${name}`,
          parts.map((c) => c[key]),
          undefined,
          1,
        );
      part('empty module worker, spawn → first message', 'emptyWorker');
      part('kernel module chunk import (page)', 'kernelImport');
      part('createWasmKernel(): decode + compile + instantiate (page)', 'kernelCreate');
      const sliceNs = median(runs.map((r) => r.recordSliceNs));
      row(
        'LatencyTracker.record() page thread',
        runs.map((r) => r.recordMs),
        {
          'slice ns/value': sliceNs,
        },
      );
      row(
        'LatencyTracker.record() until flushed',
        runs.map((r) => r.recordFlushedMs),
      );
      const many = row(
        'LatencyTracker.recordMany(Float64Array) page thread',
        runs.map((r) => r.manyMs),
      );
      row(
        'LatencyTracker.recordMany(Float64Array) until flushed',
        runs.map((r) => r.manyFlushedMs),
      );
      const coldMs = median(cold);
      const manyNs = ((many.timing?.median ?? NaN) * 1e6) / n;
      t.target(
        {
          target: 'cold start new LatencyTracker() → first quantile ≤ 50 ms (Chromium)',
          measured: `${coldMs.toFixed(1)} ms median (min ${Math.min(...cold).toFixed(1)}; engine ${mode})`,
          met: coldMs <= 50,
          note: `worker spawn + module load + WASM compile + round trips; parts measured alone (median ms): empty module worker ${median(parts.map((c) => c.emptyWorker)).toFixed(1)}, kernel chunk import ${median(parts.map((c) => c.kernelImport)).toFixed(1)}, createWasmKernel ${median(parts.map((c) => c.kernelCreate)).toFixed(1)}; sketch worker bundle ${(Object.entries(sketchWorker).reduce((b, [, t]) => b + t.length, 0) / 1024).toFixed(0)} KiB`,
        },
        {
          target: 'record() ≤ 5 ns/value page-thread cost (Chromium)',
          measured: `${sliceNs.toFixed(2)} ns/value (median ${16_384}-value slice)`,
          met: sliceNs <= 5,
          note: 'a typed-array write per value plus one transferred message per MAX_CHUNK values',
        },
        {
          target: 'recordMany(Float64Array) ≤ 4 ns/value in a Chromium Worker engine',
          measured: `${manyNs.toFixed(2)} ns/value page thread (median run); until flushed ${((median(runs.map((r) => r.manyFlushedMs)) * 1e6) / n).toFixed(2)}`,
          met: manyNs <= 4,
          note: 'validation fused into the copy into pooled staging buffers, one transferred message per MAX_CHUNK values',
        },
      );
    } finally {
      await browser.close();
      server.close();
    }
  },
);
