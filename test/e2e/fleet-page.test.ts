/**
 * The fleet page in real Chromium against a real collector fed by the fleet simulator
 * (20 devices, 3 drifted): the page asks for the token, then shows the latency and
 * device charts (uPlot), the drift heat map and the drifted subgroup — exactly the
 * simulator's drifted devices. Saves fleet-page.png (see screenshots.ts).
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../src/collector/server.js';
import { CHROMIUM_ARGS } from '../../vite.config.js';
import { DRIFTED_DEVICES, runFleetSim } from '../../scripts/fleet-sim.js';
import { screenshotPath } from './screenshots.js';

let collector: Collector;
let browser: Browser;

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    host: '127.0.0.1',
    dbPath: ':memory:',
    token: 'fleet-token',
    rateLimit: false,
  });
  await runFleetSim({
    url: collector.url,
    token: 'fleet-token',
    backfillMinutes: 30,
    liveSeconds: 0,
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--headless'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe('fleet page', () => {
  it('asks for the token, then picks out the drifted devices', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${collector.url}/`);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    expect(await page.textContent('#status')).toMatch(/needs a token/);
    await page.fill('#token', 'fleet-token');
    await page.click('#apply');
    await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, {
      timeout: 20_000,
    });
    expect(await page.evaluate(() => sessionStorage.getItem('edgewatch-token'))).toBe(
      'fleet-token',
    );
    const drifted = await page.$$eval('#drifted-devices tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(drifted.sort()).toEqual(Object.keys(DRIFTED_DEVICES).sort());
    expect(await page.$$eval('.uplot', (els) => els.length)).toBe(2);
    const features = await page.$$eval('#features tbody tr', (rows) =>
      rows.map((r) => [r.children[0]?.textContent, r.children[9]?.textContent]),
    );
    expect(features.map((f) => f[0]).sort()).toEqual(['colour', 'speed', 'temperature']);
    expect(await page.textContent('#summary')).toMatch(/20\s*devices/);
    // the heat map has drawn cells (not blank)
    const inked = await page.evaluate(() => {
      const c = document.getElementById('heatmap') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(10_000);
    await page.screenshot({ path: screenshotPath('fleet-page'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
