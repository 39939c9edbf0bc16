// The bundle-size budget (scripts/size.mjs, `npm run size` in CI): it must fail
// over budget, count the worker with its embedded WASM, and keep the drift
// statistics out of what the core page loads eagerly.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

interface FileReport {
  file: string;
  gzip: number;
  counted: boolean;
  in: string;
  modules: { module: string; minified: number }[];
}
interface Report {
  total: number;
  mainEager: number;
  workerAll: number;
  wasmGzip: number;
  files: FileReport[];
}
interface Output {
  target: number;
  budget: number;
  ok: boolean;
  core: Report;
  full: Report;
}

function size(...args: string[]): { status: number | null; out: Output } {
  const run = spawnSync(process.execPath, ['scripts/size.mjs', '--json', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, out: JSON.parse(run.stdout) as Output };
}

let over: { status: number | null; out: Output };
beforeAll(() => {
  over = size('--budget', '1000');
}, 60_000);

describe('npm run size', () => {
  it('exits 1 over budget and 0 within it, for the checked figure', () => {
    expect(over.status).toBe(1);
    expect(over.out.ok).toBe(false);
    expect(over.out.target).toBe(25_000);
    const within = size('--budget', String(over.out.core.total));
    expect(within.status).toBe(0);
    expect(within.out.ok).toBe(true);
  }, 60_000);

  it('counts exactly the files the page and the worker load, WASM included', () => {
    const { core } = over.out;
    const counted = core.files.filter((f) => f.counted);
    expect(core.total).toBe(counted.reduce((s, f) => s + f.gzip, 0));
    const inWorker = counted.filter((f) => f.in.includes('worker')).flatMap((f) => f.modules);
    expect(inWorker.some((m) => m.module === 'src/kernel/generated/kernels-wasm.ts')).toBe(true);
    expect(core.workerAll).toBeGreaterThan(core.wasmGzip);
    expect(core.total).toBeLessThanOrEqual(core.mainEager + core.workerAll);
  });

  it('leaves the drift statistics to a lazy chunk of the worker', () => {
    const eager = over.out.core.files.filter((f) => f.counted).flatMap((f) => f.modules);
    const lazy = over.out.core.files.filter((f) => !f.counted).flatMap((f) => f.modules);
    expect(eager.filter((m) => m.module.startsWith('src/stats/drift/'))).toEqual([]);
    expect(lazy.some((m) => m.module === 'src/stats/drift/prepared.ts')).toBe(true);
  });
});
