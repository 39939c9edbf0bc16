/**
 * Real Chromium pages (playwright-core, Debian chromium), real IndexedDB, a real
 * collector behind a same-origin proxy that delays requests:
 * - a page closed mid-flush, then reopened: every sealed window arrives at the
 *   collector exactly once (repeated 20 times);
 * - three pages of the app: exactly one flushes; closing it hands over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type Collector } from '../../src/collector/server.js';
import { CHROMIUM_ARGS } from '../../vite.config.js';

const ITERATIONS = Number(process.env.EW_CRASH_ITERATIONS ?? 20);
let collector: Collector;
let server: Server;
let base: string;
let browser: Browser;
let context: BrowserContext;
let dir: string;
let bundle = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ew-crash-'));
  const out = await build({
    entryPoints: [join(import.meta.dirname, 'collector-crash.page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0]!.text;
  collector = await startCollector({ port: 0, dbPath: join(dir, 'collector.db') });
  server = createServer((req, res) => {
    if (req.url?.startsWith('/v1/windows') && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // Slow network: 0–120 ms before the collector sees the batch.
        setTimeout(() => {
          fetch(`${collector.url}/v1/windows`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: Buffer.concat(chunks),
          })
            .then(async (r) => {
              res.writeHead(r.status, { 'content-type': 'application/json' });
              res.end(await r.text());
            })
            .catch(() => {
              res.writeHead(502);
              res.end();
            });
        }, Math.random() * 120);
      });
      return;
    }
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/bundle.js"></script>',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--headless'],
  });
  context = await browser.newContext();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openPage(query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/${query}`);
  await page.waitForFunction(() => document.title === 'ready', undefined, {
    timeout: 15_000,
    polling: 50,
  });
  return page;
}

async function storedIds(): Promise<string[]> {
  const ids: string[] = [];
  let after = 0;
  for (let i = 0; i < 100; i++) {
    const r = (await (
      await fetch(`${collector.url}/v1/windows?limit=1000&after=${after}`)
    ).json()) as { windows: { windowId: string }[]; next?: number };
    ids.push(...r.windows.map((w) => w.windowId));
    if (r.next === undefined) break;
    after = r.next;
  }
  return ids;
}

describe('browser outbox against a real collector', () => {
  it(`page closed mid-flush, reopened: every sealed window arrives exactly once (×${ITERATIONS})`, async () => {
    const sealed: string[] = [];
    let pendingAtClose = 0;
    let midFlushCloses = 0;
    let page = await openPage();
    for (let it = 0; it < ITERATIONS; it++) {
      const ids = (await page.evaluate((k) => (window as any).ew.seal(k), 12)) as string[];
      sealed.push(...ids);
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      const have = new Set(await storedIds());
      const pending = ids.filter((id) => !have.has(id)).length;
      pendingAtClose += pending;
      if (pending > 0 && pending < ids.length) midFlushCloses++;
      await page.close(); // pagehide fires: keepalive send without delete; in-flight requests are cut
      page = await openPage(); // reopened: the start-up flush delivers what the closed page left
      await expect
        .poll(() => page.evaluate(() => (window as any).ew.outboxCount()), {
          timeout: 20_000,
          interval: 50,
        })
        .toBe(0);
      const stored = await storedIds();
      expect(stored.length, `iteration ${it}: duplicates stored`).toBe(new Set(stored).size);
      expect(new Set(stored), `iteration ${it}: lost or extra windows`).toEqual(new Set(sealed));
    }
    await page.close();
    const stats = collector.stats();
    console.log(
      `crash e2e: ${ITERATIONS} iterations, ${sealed.length} windows sealed, ${stats.accepted} stored, 0 lost, ` +
        `0 duplicates stored; ${stats.duplicates} resends absorbed by dedup; ${pendingAtClose} windows still undelivered at close; ` +
        `${midFlushCloses} closes caught a flush part-way`,
    );
    expect(stats.accepted).toBe(sealed.length);
    expect(pendingAtClose).toBeGreaterThan(0);
  });

  it('three pages: exactly one leader flushes; closing it hands leadership over', async () => {
    const pages = [
      await openPage('?device=a'),
      await openPage('?device=b'),
      await openPage('?device=c'),
    ];
    const leaders = async (): Promise<boolean[]> =>
      Promise.all(pages.map((p) => p.evaluate(() => (window as any).ew.isLeader() as boolean)));
    await expect
      .poll(async () => (await leaders()).filter(Boolean).length, { timeout: 10_000 })
      .toBe(1);
    const idx = (await leaders()).indexOf(true);
    // A window sealed in a follower page is delivered (by the leader).
    const follower = pages[(idx + 1) % 3]!;
    const [id] = (await follower.evaluate(() => (window as any).ew.seal(1))) as string[];
    await expect
      .poll(async () => (await storedIds()).includes(id!), { timeout: 10_000 })
      .toBe(true);
    await pages[idx]!.close();
    pages.splice(idx, 1);
    await expect
      .poll(async () => (await leaders()).filter(Boolean).length, { timeout: 10_000 })
      .toBe(1);
    for (const p of pages) await p.close();
  });
});
