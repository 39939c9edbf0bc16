/**
 * Exactly-once storage and complete remote write across `kill -9`: the
 * collector CLI (SQLite store, remote write on) is killed at random moments
 * while concurrent clients upload windows, and restarted each time; the
 * clients retry whatever was not acknowledged, as the Flusher does. At the end
 * every acknowledged window is stored exactly once, nothing else is stored, and
 * every remote-write sample of every window has reached the receiver.
 *
 * Sizes: EW_KILL_WINDOWS (default 20000) windows, EW_KILL_RUNS (default 10) kills.
 */
import { describe, expect, it } from 'vitest';
import { type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { windowToSeries } from '../../src/collector/remote-write.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { PyRandom } from '../../src/stats/random.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { sampleKey, startWriteSink } from '../collector/decode-write-request.js';
import { makeRecord } from '../window/make-record.js';
import { killHard, startCollectorCli, uploadUntilAcked } from '../support/collector-cli.js';

const WINDOWS = Number(process.env.EW_KILL_WINDOWS ?? 20_000);
const KILLS = Number(process.env.EW_KILL_RUNS ?? 10);
const CLIENTS = 8;
const BATCH = 25;

async function startReceiver(): Promise<{ server: Server; url: string; seen: Set<string> }> {
  const seen = new Set<string>();
  const sink = await startWriteSink((ts) => seen.add(sampleKey(ts.labels, ts.samples)));
  return { ...sink, seen };
}

describe('collector under kill -9 with remote write on', () => {
  it(`${KILLS} kills during ${WINDOWS} windows: 0 lost, 0 duplicated, every remote-write sample arrives`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ew-kill-'));
    const receiver = await startReceiver();
    const rng = new PyRandom(20261207);
    const dbPath = join(dir, 'collector.db');
    const args = [
      '--port',
      '0',
      '--db',
      dbPath,
      '--remote-write',
      receiver.url,
      '--rate-limit',
      '0',
      // The windows end in 2023: past the default retention.
      '--retention',
      'off',
    ];
    const records: WindowRecord[] = Array.from({ length: WINDOWS }, (_, i) =>
      makeRecord(i, { deviceId: `device-${i % 97}`, model: `m${i % 3}` }),
    );
    const acked = new Set<string>();
    let current = await startCollectorCli(args);
    let kills = 0;
    let restarts: Promise<void> = Promise.resolve();
    /** Kills the collector at random moments while the clients run, restarting it each time. */
    const killer = async (): Promise<void> => {
      // Spread the kills over the upload: a kill every ~WINDOWS / (KILLS + 1) acknowledged windows.
      while (kills < KILLS) {
        const target = ((kills + 1) * WINDOWS) / (KILLS + 1);
        while (acked.size < target) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, rng.random() * 150));
        let reopen!: () => void;
        restarts = new Promise<void>((r) => (reopen = r));
        await killHard(current.child);
        kills++;
        current = await startCollectorCli(args);
        reopen();
      }
    };

    try {
      const [, attempts] = await Promise.all([
        killer(),
        uploadUntilAcked(
          records,
          { clients: CLIENTS, batch: BATCH },
          () => ({ url: current.url, ready: restarts }),
          (batch) => batch.forEach((r) => acked.add(r.windowId)),
        ),
      ]);
      expect(kills).toBe(KILLS);
      expect(acked.size).toBe(WINDOWS);

      // Every acknowledged window is stored exactly once, and nothing else is.
      const stored: string[] = [];
      let after: number | undefined;
      for (;;) {
        const q = new URLSearchParams({ limit: '1000' });
        if (after !== undefined) q.set('after', String(after));
        const body = (await (await fetch(`${current.url}/v1/windows?${q}`)).json()) as {
          windows: WindowRecord[];
          next?: number;
        };
        stored.push(...body.windows.map((w) => w.windowId));
        if (body.next === undefined || body.windows.length === 0) break;
        after = body.next;
      }
      expect(stored.length).toBe(WINDOWS);
      expect(new Set(stored)).toEqual(acked);

      // Remote write (at least once; a sample sent just before a kill may be sent again).
      const kernel = createReferenceKernel();
      const expected = new Set(
        records
          .flatMap((r) => windowToSeries(r, kernel))
          .map((ts) => sampleKey(ts.labels, ts.samples)),
      );
      await expect
        .poll(() => receiver.seen.size, { timeout: 120_000, interval: 500 })
        .toBe(expected.size);
      expect([...expected].every((k) => receiver.seen.has(k))).toBe(true);
      console.info(
        `[kill e2e] ${kills} kill -9 during ${WINDOWS} windows: ${attempts.sent} uploads, ${attempts.failed} failed and retried; stored ${stored.length} (distinct ${new Set(stored).size}); remote write ${receiver.seen.size}/${expected.size} samples`,
      );
    } finally {
      current.child.kill('SIGKILL');
      await new Promise((r) => receiver.server.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
