/**
 * examples/node-robot runs as a robot would run it: its own Node process, a
 * worker_threads engine, a file outbox, alerts on stdout and delivery to a real
 * collector (port 0, in-memory SQLite). The lidar drift it injects halfway is
 * detected and alerted on, and every sealed window reaches the collector.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../src/collector/index.js';
import type { WindowRecord } from '../../src/window/window-record.js';

const repo = join(import.meta.dirname, '../..');
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Runs a script under tsx; resolves with its exit code and stdout lines. */
function run(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => void child.kill('SIGKILL'));
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ code, lines: out.split('\n').filter(Boolean), stderr })),
  );
}

describe('examples/node-robot', () => {
  it('watches the loop in a worker, alerts on the injected drift, delivers every window', async () => {
    const collector = await startCollector({ port: 0, host: '127.0.0.1', dbPath: ':memory:' });
    cleanup.push(() => collector.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'edgewatch-robot-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const r = await run('examples/node-robot/robot.ts', {
      EDGEWATCH_ENDPOINT: `${collector.url}/v1/windows`,
      EDGEWATCH_DATA_DIR: dataDir,
      ROBOT_ID: 'robot-test',
      ROBOT_STEPS: '4000',
      ROBOT_STEP_MS: '0',
      ROBOT_WINDOW: '500',
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const events = r.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const of = (type: string) => events.filter((e) => e.type === type);
    expect(of('log')[0]?.message).toContain(
      `file store at ${join(dataDir, 'perception.outbox.json')}`,
    );
    expect(of('start')[0]).toMatchObject({ engine: 'worker', outbox: 'file' });
    expect(of('error')).toEqual([]);
    const windows = of('window');
    expect(windows.map((w) => w.predictions)).toEqual(Array(8).fill(500));
    // Windows 1-4 are before the miscalibration, 5-8 after it.
    expect(windows.map((w) => w.drift)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    const fired = of('alert').filter((a) => a.state === 'firing');
    expect(fired.map((a) => a.name)).toEqual(expect.arrayContaining(['drift', 'accuracy_drop']));
    expect(fired.every((a) => a.version === '7')).toBe(true);
    expect(of('stop')).toHaveLength(1);

    const res = await fetch(`${collector.url}/v1/windows?device=robot-test&limit=100`);
    const got = ((await res.json()) as { windows: WindowRecord[] }).windows;
    expect(got.map((w) => w.windowId).sort()).toEqual(windows.map((w) => w.id).sort());
  }, 120_000);
});
