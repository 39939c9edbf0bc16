// dist/ as a consumer's Vite app sees it: a production `vite build` of a page
// that imports dist/index.js must bundle dist/worker.js (found through
// `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`),
// and the built page must run LatencyTracker through that worker in Chromium.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../vite.config.js';

const root = join(import.meta.dirname, '../..');
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(root, 'build', 'vite-consumer-'));
  const dist = join(work, 'dist-lib');
  execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { cwd: root, stdio: 'pipe' });
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', dist, '--no-types'], { cwd: root, stdio: 'pipe' });
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html><html><body><pre id="out">running</pre><script type="module" src="./main.js"></script></body></html>',
  );
  writeFileSync(
    join(app, 'main.js'),
    `import { createEngine, LatencyTracker, KernelError } from '${relative(app, dist)}/index.js';
const results = {};
try {
  for (const kernel of ['wasm', 'reference']) {
    const engine = await createEngine({ mode: 'worker', kernel });
    const t = new LatencyTracker({ engine });
    for (let i = 1; i <= 1000; i++) t.record(i);
    t.record(NaN);
    const stale = await engine.api.sketches.stats(777).then(() => 'no error', (e) => e instanceof KernelError && e.code);
    results[kernel] = { mode: engine.mode, kernel: engine.kernel, p: await t.percentiles(), stale };
    engine.close();
  }
  document.getElementById('out').textContent = JSON.stringify(results);
} catch (e) {
  document.getElementById('out').textContent = JSON.stringify({ error: String(e) });
}
`,
  );
  await build({ root: app, logLevel: 'silent', build: { outDir: join(app, 'out'), emptyOutDir: true } });
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('a Vite production build bundles the worker and runs the engine in Chromium', async () => {
  const app = join(work, 'app');
  const assets = readdirSync(join(app, 'out', 'assets'));
  expect(assets.some((f) => /^worker-.*\.js$/.test(f))).toBe(true);
  const server = await preview({
    root: app,
    logLevel: 'silent',
    build: { outDir: join(app, 'out') },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.resolvedUrls?.local[0] as string);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'running', null, {
      timeout: 60_000,
    });
    const out = JSON.parse((await page.textContent('#out')) as string) as Record<string, Record<string, unknown>>;
    expect(out.error).toBeUndefined();
    for (const kernel of ['wasm', 'reference']) {
      expect(out[kernel]).toMatchObject({
        mode: 'worker',
        kernel,
        stale: 'KERNEL',
        p: { count: 1000, min: 1, max: 1000, mean: 500.5, dropped: 1 },
      });
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}, 120_000);
