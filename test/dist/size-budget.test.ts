// `npm run size` (scripts/size.mjs): Vite production builds of consumer pages
// from the packed package, measured by what Chromium loads. The run must
// exit 1 over budget, count the worker the page starts, and measure only pages
// that worked (each page checks its own numbers).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

interface PageReport {
  result?: Record<string, unknown>;
  error?: string;
  files: { file: string; bytes: number; gzip: number }[];
  total: number;
  budget?: number;
  ok: boolean;
}
interface Output {
  ok: boolean;
  budgets: Record<string, number>;
  pages: Record<string, PageReport>;
}

let run: { status: number | null; out: Output };
beforeAll(() => {
  const r = spawnSync(process.execPath, ['scripts/size.mjs', '--json', '--budget', 'latency=1000'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
  });
  run = { status: r.status, out: JSON.parse(r.stdout) as Output };
}, 250_000);

describe('npm run size', () => {
  it('exits 1 when a page is over its budget, naming that page', () => {
    expect(run.status).toBe(1);
    expect(run.out.ok).toBe(false);
    expect(run.out.budgets).toMatchObject({ latency: 1000 });
    expect(run.out.budgets['edge-monitor']).toBeGreaterThan(0);
    expect(run.out.pages.latency?.ok).toBe(false);
    expect(run.out.pages.latency?.budget).toBe(1000);
  });

  it('measures pages that ran with the right numbers and a clean console', () => {
    const { latency, drift, 'edge-monitor': edge } = run.out.pages;
    expect(latency?.error).toBeUndefined();
    expect(latency?.result).toMatchObject({ count: 1000 });
    expect(drift?.error).toBeUndefined();
    expect(drift?.result).toMatchObject({ method: expect.any(String) });
    expect(edge?.error).toBeUndefined();
    expect((edge?.result?.windows as number) >= 1).toBe(true);
  });

  it('a LatencyTracker page loads the sketch worker only; drift pages the core WASM engine worker only', () => {
    // Vite names a chunk `<name>-<8-character hash>.js`, and the hash may itself contain '-'.
    const workers = (name: string) =>
      run.out.pages[name]?.files.flatMap((f) => /^(assets\/.+)-[\w-]{8}\.js$/.exec(f.file)?.[1] ?? []).filter((n) => n.endsWith('worker'));
    expect(workers('latency')).toEqual(['assets/sketch-worker']);
    // The reference kernel (worker.ts) is only a fallback for a WASM that fails, and the
    // statistics beyond the core (wasm-worker.ts) serve only methods 'auto' never picks:
    // neither is downloaded here.
    expect(workers('drift')).toEqual(['assets/wasm-core-worker']);
    expect(workers('edge-monitor')).toEqual(['assets/wasm-core-worker']);
  });

  it('the sketch codec loads on the page, only where sketches are serialized, and only its encoder there', () => {
    const codec = (name: string) =>
      run.out.pages[name]?.files.flatMap((f) => /^assets\/(sketch-(?:encode|format))-/.exec(f.file)?.[1] ?? []);
    expect(codec('latency')).toEqual([]);
    expect(codec('drift')).toEqual([]);
    // An EdgeMonitor serializes its window sketches: the encoder, not the decoder.
    expect(new Set(codec('edge-monitor'))).toEqual(new Set(['sketch-encode']));
  });

  it('counts every loaded file, the engine worker included', () => {
    for (const page of Object.values(run.out.pages)) {
      expect(page.files.some((f) => f.file === 'index.html')).toBe(true);
      expect(page.files.some((f) => /^assets\/(sketch-|wasm-|wasm-core-)?worker-.*\.js$/.test(f.file))).toBe(true);
      expect(page.total).toBe(page.files.reduce((s, f) => s + f.gzip, 0));
      for (const f of page.files) expect(f.gzip).toBeLessThan(f.bytes + 30);
    }
  });
});
