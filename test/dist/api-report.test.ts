// The public surface: the committed API report (api/*.api.md) matches the
// sources, a change to the surface fails the check, and every name of the
// public contract stays importable from `edgewatch` / `edgewatch/collector`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as main from '../../src/index.js';
import * as collector from '../../src/collector/index.js';

const root = join(import.meta.dirname, '../..');
let work: string;

function check(...args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, ['scripts/api-report.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

beforeAll(() => {
  work = mkdtempSync(join(root, 'build', 'api-report-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('API report (npm run api:check)', () => {
  it('matches the committed api/ and fails, naming the export, when the surface differs', () => {
    const ok = check();
    expect(ok.out).toMatch(/entries match api\//);
    expect(ok.status).toBe(0);

    const changed = join(work, 'api');
    cpSync(join(root, 'api'), changed, { recursive: true });
    const file = join(changed, 'edgewatch.api.md');
    // As if the sources had gained an export the report does not list.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n## LatencyTracker \(class\)\n[\s\S]*?```\n[\s\S]*?```\n/, '\n'));
    const bad = check('--api-dir', changed);
    expect(bad.status).toBe(1);
    expect(bad.out).toMatch(/\+ LatencyTracker \(class\)/);
  }, 240_000);
});

describe('the public contract (docs API)', () => {
  it('keeps every contract name importable from edgewatch', () => {
    const names = [
      'createEngine', 'DriftDetector', 'ADWIN', 'PageHinkley', 'DDM', 'KSWIN', 'PerformanceMonitor',
      'AlertSystem', 'AlertRule', 'AlertSeverity', 'MetricsCollector', 'LatencyTracker', 'Registry',
      'Counter', 'Gauge', 'Histogram', 'WindowStore', 'Flusher', 'RetrainTrigger', 'ModelRegistry',
      'ABTest', 'EdgeMonitor', 'encodeSketch', 'decodeSketch', 'ConfigError', 'DataError',
      'KernelError', 'StorageError', 'TransportError', 'EdgewatchError',
    ];
    const missing = names.filter((n) => (main as Record<string, unknown>)[n] === undefined);
    expect(missing).toEqual([]);
    expect(typeof collector.startCollector).toBe('function');
  });

  it('keeps plumbing out of the main entry', () => {
    for (const n of ['backoffDelay', 'MS_PER_SECOND', 'base64ToBytes', 'bytesToBase64', 'parseRetryAfter', 'transfer'])
      expect(n in main, n).toBe(false);
  });
});
