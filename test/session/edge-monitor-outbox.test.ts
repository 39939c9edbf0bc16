/**
 * The outbox an EdgeMonitor picks in Node: a durable file store in the data
 * directory unless told otherwise, announced once through the logger; windows
 * queued before a process is killed are delivered after it restarts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startCollector } from '../../src/collector/index.js';
import { createEngine, type EngineHandle } from '../../src/engine/client.js';
import { ConfigError } from '../../src/errors.js';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type { EdgeMonitorOptions } from '../../src/session/edge-monitor-options.js';
import { defaultOutboxPath } from '../../src/storage/data-dir.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { freePort } from '../e2e/prom-process.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgewatch-outbox-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An inline engine, closed after the test. */
async function inlineEngine(): Promise<EngineHandle> {
  const engine = await createEngine({ mode: 'inline' });
  cleanup.push(() => engine.close());
  return engine;
}

function capturingLogger(): { lines: string[]; logger: NonNullable<EdgeMonitorOptions['logger']> } {
  const lines: string[] = [];
  return {
    lines,
    logger: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) },
  };
}

describe('EdgeMonitor outbox in Node', () => {
  it('defaults to a file store in the data directory and says so once', async () => {
    const dir = join(tempDir(), 'nested', 'data');
    const { lines, logger } = capturingLogger();
    const engine = await inlineEngine();
    const m = await EdgeMonitor.create({
      model: { name: 'arm/grip v2', version: '1' },
      engine,
      dataDir: dir,
      windowCount: 5,
      logger,
    });
    expect(m.store.kind).toBe('file');
    expect(m.store.degraded).toBe(false);
    const path = join(dir, 'arm_grip_v2.outbox.json');
    expect(lines).toEqual([
      `info edgewatch: outbox of "arm/grip v2" is a file store at ${path} (set dataDir, EDGEWATCH_DATA_DIR or store to change)`,
    ]);
    for (let i = 0; i < 5; i++) m.observe({ prediction: 1, label: 1, latencyMs: 2 });
    await m.close();
    const file = JSON.parse(readFileSync(path, 'utf8')) as { outbox: unknown[] };
    expect(file.outbox).toHaveLength(1);
    expect(lines).toHaveLength(1);
  });

  it('uses EDGEWATCH_DATA_DIR when no dataDir is given', async () => {
    const { lines, logger } = capturingLogger();
    const engine = await inlineEngine();
    const m = await EdgeMonitor.create({ model: { name: 'envdir', version: '1' }, engine, logger });
    cleanup.push(() => m.close());
    const path = defaultOutboxPath(process.env.EDGEWATCH_DATA_DIR!, 'envdir');
    expect(lines[0]).toContain(`file store at ${path} `);
    expect(m.store.kind).toBe('file');
  });

  it("keeps memory only when asked (store: 'memory'), with no start-up line", async () => {
    const { lines, logger } = capturingLogger();
    const engine = await inlineEngine();
    const m = await EdgeMonitor.create({
      model: { name: 'mem', version: '1' },
      engine,
      store: 'memory',
      logger,
    });
    cleanup.push(() => m.close());
    expect(m.store.kind).toBe('memory');
    expect(lines).toEqual([]);
  });

  it('rejects a bad dataDir or logger with ConfigError', async () => {
    const model = { name: 'm', version: '1' };
    await expect(EdgeMonitor.create({ model, dataDir: '' })).rejects.toThrow(ConfigError);
    await expect(EdgeMonitor.create({ model, dataDir: 7 as unknown as string })).rejects.toThrow(
      /expected dataDir to be a non-empty directory path, got/,
    );
    await expect(
      EdgeMonitor.create({ model, logger: {} as EdgeMonitorOptions['logger'] }),
    ).rejects.toThrow(/expected logger to have info\(\) and warn\(\) methods/);
  });

  it('names the default file after the model, safely', () => {
    expect(defaultOutboxPath('/data/', 'perception')).toBe('/data/perception.outbox.json');
    expect(defaultOutboxPath('/data', '../etc/passwd')).toBe('/data/__etc_passwd.outbox.json');
    expect(defaultOutboxPath('C:\\robot', 'a')).toBe('C:\\robot\\a.outbox.json');
  });

  it('delivers windows queued before a killed process after it restarts', async () => {
    const dir = tempDir();
    // a port that was free a moment ago: connections to it are refused
    const offline = `http://127.0.0.1:${await freePort()}/v1/windows`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures/outbox-child.ts'), dir, offline],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cleanup.push(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
    });
    const queued = JSON.parse(first) as { ids: string[]; stored: boolean[] };
    expect(queued.stored).toEqual([true, true, true]);
    expect(stderr).toContain(`file store at ${join(dir, 'perception.outbox.json')}`);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const collector = await startCollector({ port: 0, host: '127.0.0.1', dbPath: ':memory:' });
    cleanup.push(() => collector.close());
    const engine = await inlineEngine();
    const { logger } = capturingLogger();
    const m = await EdgeMonitor.create({
      model: { name: 'perception', version: '1' },
      deviceId: 'robot-restart',
      engine,
      dataDir: dir,
      logger,
      endpoint: { endpoint: `${collector.url}/v1/windows`, intervalMs: 600_000 },
    });
    expect((await m.store.stats()).outbox.count).toBe(3);
    await m.close();
    const res = await fetch(`${collector.url}/v1/windows?device=robot-restart&limit=100`);
    const got = ((await res.json()) as { windows: WindowRecord[] }).windows;
    expect(got.map((w) => w.windowId).sort()).toEqual([...queued.ids].sort());
    expect(got.map((w) => w.counters.predictions)).toEqual([10, 10, 10]);
    expect(existsSync(join(dir, 'perception.outbox.json'))).toBe(true);
  });
});
