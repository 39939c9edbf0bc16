// The published declarations in a user's TypeScript project: `edgewatch`,
// a subpath and `edgewatch/collector` resolve under `node16` and `bundler`
// module resolution, and compile with `lib: ["es2022"]` (no DOM types) and
// `skipLibCheck: false`, as in a Node service or an Electron main process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '../..');
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(root, 'build', 'types-consumer-'));
  const pkg = join(work, 'node_modules', 'edgewatch');
  mkdirSync(pkg, { recursive: true });
  execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { cwd: root, stdio: 'pipe' });
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', join(pkg, 'dist')], {
    cwd: root,
    stdio: 'pipe',
    timeout: 240_000,
  });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  for (const dep of ['comlink', 'idb', 'better-sqlite3', '@types/node', '@types/better-sqlite3', 'undici-types']) {
    const from = join(root, 'node_modules', dep);
    const to = join(work, 'node_modules', dep);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(from, to, 'dir');
  }
  writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(work, 'index.ts'),
    `import { LatencyTracker, DriftDetector, EdgeMonitor, createEngine, type DriftResult } from 'edgewatch';
import { ks2Sample } from 'edgewatch/stats';
import { serveMetrics } from 'edgewatch/prometheus';
import { startCollector } from 'edgewatch/collector';
const t: LatencyTracker = new LatencyTracker();
t.record(1);
const d = new DriftDetector([1, 2, 3]);
const r: Promise<DriftResult> = d.detect([4, 5, 6]);
export { r, EdgeMonitor, createEngine, ks2Sample, serveMetrics, startCollector };
`,
  );
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tsc(module: string, resolution: string): { status: number | null; out: string } {
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module,
        moduleResolution: resolution,
        target: 'es2022',
        lib: ['es2022'],
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ['index.ts'],
    }),
  );
  const run = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

describe('declarations in a Node project without DOM types', () => {
  it.each([
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ])('module %s, moduleResolution %s: compiles with skipLibCheck false', (module, resolution) => {
    const r = tsc(module, resolution);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
