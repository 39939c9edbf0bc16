// The built package in plain Node 20 (not through Vite): build dist into a temp
// folder, then a child `node` process imports dist/index.js and drives
// LatencyTracker in-process and through a worker_threads worker (dist/worker.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { relativeErrorBound } from '../../src/kernel/kernel.js';

const root = join(import.meta.dirname, '../..');
let outdir: string;

beforeAll(() => {
  // Inside the repository so that the child resolves comlink/idb from node_modules.
  outdir = mkdtempSync(join(root, 'build', 'dist-test-'));
  execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { cwd: root, stdio: 'pipe' });
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir, '--no-types'], {
    cwd: root,
    stdio: 'pipe',
    timeout: 120_000,
  });
}, 150_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Runs an ES module snippet in a fresh Node process; returns its JSON output. */
function runNode(code: string): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

describe('dist/', () => {
  it('has the entry files package.json exports point at, and the worker as its own file', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string> | string>;
    };
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === 'string') continue;
      for (const [condition, file] of Object.entries(target)) {
        if (condition === 'types') continue;
        expect(file).toMatch(/^\.\/dist\//);
        expect(existsSync(join(outdir, file.replace('./dist/', '')))).toBe(true);
      }
    }
    const spawn = readFileSync(join(outdir, 'engine/worker-spawn.js'), 'utf8');
    // The literal pattern bundlers recognise, pointing at the built worker.
    for (const script of ['worker', 'wasm-worker', 'wasm-core-worker', 'sketch-worker', 'multivariate-worker']) {
      expect(spawn).toMatch(new RegExp(`new Worker\\(new URL\\("\\./${script}\\.js", import\\.meta\\.url\\), \\{\\s*type: "module"`));
      expect(existsSync(join(outdir, `engine/${script}.js`))).toBe(true);
    }
    // One module per source module, each with its source map; no TypeScript
    // paths left; each WASM module (the full one, the engine workers', the sketch-only one)
    // embedded in exactly one file.
    const files = readdirSync(outdir, { recursive: true }).map(String).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(100);
    for (const f of files.filter((x) => x !== 'platform/node-builtins.js'))
      expect(existsSync(join(outdir, `${f}.map`)), f).toBe(true);
    const all = files.map((f) => readFileSync(join(outdir, f), 'utf8'));
    expect(all.some((s) => /"\.\/(sketch-|multivariate-)?worker\.ts"/.test(s))).toBe(false);
    expect(all.filter((s) => /\bKERNELS_WASM_DEFLATED =/.test(s)).length).toBe(1);
    expect(all.filter((s) => s.includes('SKETCH_KERNELS_WASM_DEFLATED =')).length).toBe(1);
    expect(all.filter((s) => s.includes('DRIFT_KERNELS_WASM_DEFLATED =')).length).toBe(1);
  });

  it('resolves Node built-ins through the #node-builtins condition, with no variable import()', () => {
    const files = readdirSync(outdir, { recursive: true }).map(String).filter((f) => f.endsWith('.js'));
    const variable = files.filter((f) =>
      /\bimport\(\s*(?:\/\*[^*]*\*\/\s*)?(?:[A-Za-z_]|\$(?!\{))/.test(readFileSync(join(outdir, f), 'utf8')),
    );
    // The tsx bootstrap string in worker-spawn is evaluated only from sources.
    expect(variable).toEqual([]);
    const literalNode = files.filter((f) => /import\(\s*["']node:/.test(readFileSync(join(outdir, f), 'utf8')));
    expect(literalNode).toEqual(['platform/node-builtins.js']);
    const url = pathToFileURL(join(outdir, 'index.js')).href;
    const browserVariant = pathToFileURL(join(outdir, 'platform/node-builtins.browser.js')).href;
    const out = runNode(`
      const m = await import(${JSON.stringify(url)});
      const b = await import(${JSON.stringify(browserVariant)});
      const err = await b.importNodeBuiltin('node:http').then(() => 'no error', (e) => [e instanceof m.ConfigError, e.message]);
      console.log(JSON.stringify({ err }));
    `) as { err: [boolean, string] };
    expect(out.err[0]).toBe(true);
    expect(out.err[1]).toMatch(/Node\.js runtime for node:http/);
  });

  it("keeps Comlink's node adapter to the modules behind the #node-parent and #node-worker conditions", () => {
    const files = readdirSync(outdir, { recursive: true }).map(String).filter((f) => f.endsWith('.js'));
    const adapter = files.filter((f) => readFileSync(join(outdir, f), 'utf8').includes('node-adapter.mjs'));
    expect(adapter.sort()).toEqual(['engine/node-worker.js', 'platform/node-parent.js']);
    expect(readFileSync(join(outdir, 'engine/worker-endpoint.js'), 'utf8')).toContain('"#node-parent"');
    const spawn = readFileSync(join(outdir, 'engine/worker-spawn.js'), 'utf8');
    expect(spawn).toContain('from "#node-worker"');
    expect(spawn).not.toContain('./node-worker.js');
  });

  // Each Node-only module behind an import condition: the map, and a browser stub that
  // rejects with a typed error and imports nothing of Node's.
  it.each([
    ['#node-parent', 'platform/node-parent', 'nodeParentEndpoint', 'ConfigError', /Node\.js runtime for node:worker_threads/],
    ['#node-worker', 'engine/node-worker', 'nodeWorker', 'KernelError', /^expected Node\.js to start a worker_threads worker/],
  ] as const)('%s resolves to %s.js under node, to a stub elsewhere', (condition, module, fn, errorClass, message) => {
    const dist = JSON.parse(readFileSync(join(outdir, 'package.json'), 'utf8')) as {
      imports: Record<string, Record<string, string>>;
    };
    expect(dist.imports[condition]).toEqual({ node: `./${module}.js`, default: `./${module}.browser.js` });
    const stub = readFileSync(join(outdir, `${module}.browser.js`), 'utf8');
    expect(stub).not.toContain('node-adapter');
    const url = pathToFileURL(join(outdir, 'index.js')).href;
    const browserVariant = pathToFileURL(join(outdir, `${module}.browser.js`)).href;
    const out = runNode(`
      const m = await import(${JSON.stringify(url)});
      const b = await import(${JSON.stringify(browserVariant)});
      const err = await b.${fn}().then(() => 'no error', (e) => [e instanceof m.${errorClass}, e.message]);
      console.log(JSON.stringify({ err }));
    `) as { err: [boolean, string] };
    expect(out.err[0]).toBe(true);
    expect(out.err[1]).toMatch(message);
  });

  it('runs LatencyTracker in Node 20 inline and in worker_threads mode', () => {
    const url = pathToFileURL(join(outdir, 'index.js')).href;
    const result = runNode(`
      const m = await import(${JSON.stringify(url)});
      const out = {};
      for (const mode of ['inline', 'worker', 'reference']) {
        const engine = await m.createEngine({ mode });
        const t = new m.LatencyTracker({ engine });
        for (let i = 1; i <= 20000; i++) t.record(i / 20);
        t.record(NaN); t.record(-1);
        const closedCode = await (async () => { const e2 = await m.createEngine({ mode }); e2.close(); e2.close();
          try { await e2.api.ping(1); return 'no error'; } catch (e) { return e instanceof m.KernelError ? e.code : String(e); } })();
        const stale = await engine.api.sketches.stats(424242).then(() => 'no error', (e) => [e.constructor.name, e instanceof m.KernelError, e.code]);
        out[mode] = { mode: engine.mode, kernel: engine.kernel, p: await t.percentiles(), closedCode, stale };
        engine.close();
      }
      console.log(JSON.stringify(out));
    `) as Record<string, { mode: string; kernel: string; p: Record<string, number>; closedCode: string; stale: unknown }>;
    const values = Array.from({ length: 20000 }, (_, i) => (i + 1) / 20);
    const bound = relativeErrorBound(7) * (1 + 1e-12);
    expect(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, [v.mode, v.kernel]]))).toEqual({
      inline: ['inline', 'wasm'],
      worker: ['worker', 'wasm'],
      reference: ['reference', 'reference'],
    });
    for (const { p, closedCode, stale } of Object.values(result)) {
      expect(p).toMatchObject({ count: 20000, min: 0.05, max: 1000, dropped: 2 });
      expect(p.mean).toBeCloseTo(500.025, 9);
      for (const [key, q] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99], ['p999', 0.999]] as const) {
        const exact = values[Math.floor(q * (values.length - 1))] as number;
        expect(Math.abs((p[key] as number) - exact)).toBeLessThanOrEqual(bound * exact);
      }
      expect(closedCode).toBe('ENGINE_CLOSED');
      expect(stale).toEqual(['KernelError', true, 'KERNEL']);
    }
    // All three modes run the same sketch: identical estimates.
    expect(result.worker?.p).toEqual(result.inline?.p);
    expect(result.reference?.p).toEqual(result.inline?.p);
  });
  it('publishes a monitor to a Registry through the lazily loaded exporter chunk', () => {
    const url = pathToFileURL(join(outdir, 'index.js')).href;
    const text = runNode(`
      const m = await import(${JSON.stringify(url)});
      const engine = await m.createEngine({ mode: 'inline' });
      const registry = new m.Registry();
      const t = new m.LatencyTracker({ engine, registry, labels: { model: 'perception' } });
      for (let i = 1; i <= 100; i++) t.record(i);
      const text = await registry.metrics();
      engine.close();
      console.log(JSON.stringify(text));
    `) as string;
    expect(text).toMatch(/^edgewatch_prediction_latency_seconds_count\{[^}]*model="perception"[^}]*\} 100$/m);
    expect(text).toMatch(/^edgewatch_prediction_latency_seconds_sum\{[^}]*\} 5\.05$/m);
  });

  it('serves edgewatch/serve from its own entry, which the main entry never loads', () => {
    const url = pathToFileURL(join(outdir, 'serve/index.js')).href;
    const text = runNode(`
      const { ServeMetrics, httpListener } = await import(${JSON.stringify(url)});
      const http = await import('node:http');
      const serve = new ServeMetrics();
      const server = http.createServer(httpListener(serve, (req, res) => res.end('ok')));
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const base = 'http://127.0.0.1:' + server.address().port;
      for (let i = 0; i < 3; i++) await (await fetch(base + '/predict')).text();
      const text = await (await fetch(base + '/metrics')).text();
      server.close();
      console.log(JSON.stringify(text));
    `) as string;
    expect(text).toMatch(/^edgewatch_http_requests_total\{route="\/predict",method="GET",status="200"\} 3$/m);
    // Everything index.js loads, statically or lazily: no serving code.
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file) || !existsSync(join(outdir, file))) return;
      seen.add(file);
      const src = readFileSync(join(outdir, file), 'utf8');
      for (const m of src.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+\.js)["']/g))
        visit(posix.join(posix.dirname(file), m[1] as string));
    };
    visit('index.js');
    expect(seen.size).toBeGreaterThan(10);
    expect([...seen].filter((f) => f.startsWith('serve/'))).toEqual([]);
    for (const f of seen)
      expect(readFileSync(join(outdir, f), 'utf8'), f).not.toMatch(/honoMiddleware|httpListener/);
  });
});
