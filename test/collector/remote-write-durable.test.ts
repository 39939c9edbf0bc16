/**
 * Remote write survives `kill -9`: windows accepted while the remote store is
 * down are in the collector's store queue and are sent after a restart; old
 * ones expire and are counted; a redirect is never taken as delivery.
 */
import { describe, expect, it } from 'vitest';
import { type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../src/collector/server.js';
import { RemoteWriter, windowToSeries } from '../../src/collector/remote-write.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { sampleKey, startWriteSink } from './decode-write-request.js';
import { makeRecord } from '../window/make-record.js';
import { killHard, startCollectorCli } from '../support/collector-cli.js';

/** A remote-write receiver collecting the samples it decodes; `status` picks the answer. */
async function receiver(status = 204): Promise<{ server: Server; url: string; samples: string[] }> {
  const samples: string[] = [];
  const sink = await startWriteSink((ts) => samples.push(sampleKey(ts.labels, ts.samples)), status);
  return { ...sink, samples };
}

describe('durable remote-write queue', () => {
  it('windows queued while the store was down are all sent after kill -9 and restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ew-rw-'));
    try {
      const dbPath = join(dir, 'c.db');
      const dead = await receiver();
      const deadUrl = dead.url;
      await new Promise((r) => dead.server.close(r)); // nothing listens there now
      const { child, url } = await startCollectorCli([
        '--port',
        '0',
        '--db',
        dbPath,
        '--remote-write',
        deadUrl,
        '--rate-limit',
        '0',
      ]);
      const recs = Array.from({ length: 100 }, (_, i) => makeRecord(i, { deviceId: `d${i % 7}` }));
      for (let i = 0; i < recs.length; i += 10) {
        const res = await fetch(`${url}/v1/windows`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ windows: recs.slice(i, i + 10) }),
        });
        expect(res.status).toBe(200);
      }
      await killHard(child);

      const live = await receiver();
      const c = await startCollector({
        port: 0,
        dbPath,
        remoteWrite: { url: live.url, intervalMs: 50 },
      });
      try {
        const kernel = createReferenceKernel();
        const expected = new Set(
          recs
            .flatMap((r) => windowToSeries(r, kernel))
            .map((ts) => sampleKey(ts.labels, ts.samples)),
        );
        await expect.poll(() => live.samples.length, { timeout: 20_000 }).toBe(expected.size);
        expect(new Set(live.samples)).toEqual(expected);
        const metrics = await (await fetch(`${c.url}/metrics`)).text();
        expect(metrics).toMatch(
          new RegExp(
            `edgewatch_collector_remote_write_series_total\\{outcome="sent"\\} ${expected.size}\\n`,
          ),
        );
      } finally {
        await c.close();
        await new Promise((r) => live.server.close(r));
      }
      // Delivered windows left the queue: a third start sends nothing.
      const again = await receiver();
      const c3 = await startCollector({
        port: 0,
        dbPath,
        remoteWrite: { url: again.url, intervalMs: 50 },
      });
      await new Promise((r) => setTimeout(r, 300));
      await c3.close();
      await new Promise((r) => again.server.close(r));
      expect(again.samples).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('a redirect is not delivery, windows past maxAgeMs expire, and each outcome is counted', async () => {
    const kernel = createReferenceKernel();
    const moved = await receiver(302);
    const errors: string[] = [];
    const w = new RemoteWriter({ url: moved.url, intervalMs: 60_000 }, kernel, (e) =>
      errors.push((e as Error).message),
    );
    const rec = makeRecord(1);
    const n = windowToSeries(rec, kernel).length;
    w.enqueue(rec);
    await w.flush(true);
    expect(w.stats).toMatchObject({ sentSeries: 0, retriedSeries: n });
    expect(w.pending).toBe(1);
    expect(errors[0]).toMatch(new RegExp(`remote write to ${moved.url} failed \\(302\\)`));
    await w.close();
    await new Promise((r) => moved.server.close(r));

    const ok = await receiver();
    const old = new RemoteWriter(
      { url: ok.url, intervalMs: 60_000, maxAgeMs: 1 },
      kernel,
      () => {},
    );
    const rec2 = makeRecord(2);
    old.enqueue(rec2);
    await new Promise((r) => setTimeout(r, 10));
    await old.flush(true);
    expect(old.stats).toMatchObject({
      sentSeries: 0,
      expiredSeries: windowToSeries(rec2, kernel).length,
    });
    expect(ok.samples).toEqual([]);
    await old.close();
    await new Promise((r) => ok.server.close(r));
  });

  it('a failure names the URL and its cause', async () => {
    const dead = await receiver();
    await new Promise((r) => dead.server.close(r));
    const errors: string[] = [];
    const w = new RemoteWriter(
      { url: dead.url, intervalMs: 60_000 },
      createReferenceKernel(),
      (e) => errors.push((e as Error).message),
    );
    w.enqueue(makeRecord(1));
    await w.flush(true);
    await w.close();
    expect(errors[0]).toBe(
      `remote write to ${dead.url} failed: fetch failed (ECONNREFUSED: connect ECONNREFUSED ${new URL(dead.url).host})`,
    );
  });
});
