/**
 * examples/electron without Electron (its install downloads a binary): the same
 * code runs as a Node "main process" (outbox-host.ts: file store + flusher to a
 * real collector) and a Chromium "renderer" (the page served by Vite: the page
 * monitor with its engine in a Web Worker and an IndexedDB outbox). The preload
 * bridge is played by `page.exposeFunction`, Playwright's IPC into the page:
 * the page sees the same `window.edgewatchBridge.deliver(body)` and the main side
 * runs the same handler `ipcMain` would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { startCollector, type Collector } from '../../src/collector/index.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { startOutboxHost, type OutboxHost } from '../../examples/electron/outbox-host.js';
import { CHROMIUM_ARGS } from '../../vite.config.js';

const repo = join(import.meta.dirname, '../..');
const example = join(repo, 'examples/electron');
let collector: Collector;
let host: OutboxHost;
let server: ViteDevServer;
let browser: Browser;
let page: Page;
let dataDir: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  collector = await startCollector({ port: 0, host: '127.0.0.1', dbPath: ':memory:' });
  dataDir = mkdtempSync(join(tmpdir(), 'edgewatch-electron-'));
  host = await startOutboxHost({ endpoint: `${collector.url}/v1/windows`, dataDir });
  server = await createServer({
    configFile: false,
    root: example,
    cacheDir: join(repo, 'node_modules/.vite-electron-example'),
    resolve: { alias: { edgewatch: join(repo, 'src/index.ts') } },
    server: { port: 0, host: '127.0.0.1', hmr: false, watch: null, fs: { allow: [repo] } },
    optimizeDeps: { include: ['comlink', 'idb'] },
    worker: { format: 'es' },
    logLevel: 'warn',
  });
  await server.listen();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} @ ${m.location().url}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.exposeFunction('__edgewatchDeliver', (body: string) => host.receive(body));
  await page.addInitScript(() => {
    const w = window as unknown as {
      edgewatchBridge: unknown;
      __edgewatchDeliver: (b: string) => Promise<unknown>;
    };
    w.edgewatchBridge = { deliver: (body: string) => w.__edgewatchDeliver(body) };
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await host?.close();
  await collector?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('examples/electron (Node main + Chromium renderer)', () => {
  it('renderer windows travel through the bridge into the main outbox file and on to the collector', async () => {
    await page.goto(server.resolvedUrls!.local[0]!);
    await page.waitForFunction(() => window.edgewatchApp !== undefined, undefined, {
      timeout: 60_000,
    });
    expect(await page.evaluate(() => window.edgewatchApp!.engineMode)).toBe('worker');
    await page.evaluate(() => window.edgewatchApp!.predict(1000));
    await page.evaluate(() => window.edgewatchApp!.close());
    const sealed = await page.evaluate(() => window.edgewatchApp!.sealed);
    expect(await page.evaluate(() => window.edgewatchApp!.errors)).toEqual([]);
    expect(sealed).toHaveLength(5);
    expect(existsSync(join(dataDir, 'app.outbox.json'))).toBe(true);

    await host.flusher.flush({ force: true });
    const res = await fetch(`${collector.url}/v1/windows?device=desktop-app&limit=100`);
    const got = ((await res.json()) as { windows: WindowRecord[] }).windows;
    expect(got.map((w) => w.windowId).sort()).toEqual([...sealed].sort());
    expect(got.every((w) => w.model.name === 'classifier' && w.counters.predictions === 200)).toBe(
      true,
    );
    expect((await host.store.stats()).outbox.count).toBe(0);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('the main side refuses a malformed batch with 400 and stores nothing', async () => {
    const before = (await host.store.stats()).outbox.count;
    const bad = await host.receive('{"windows":[{"windowId":1}]}');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'invalid window' });
    expect((await host.receive('not json')).status).toBe(400);
    expect((await host.store.stats()).outbox.count).toBe(before);
  });
});
