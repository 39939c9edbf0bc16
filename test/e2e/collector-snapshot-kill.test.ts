/**
 * Aggregate snapshots across `kill -9`: the collector CLI (SQLite, a snapshot
 * every second) is killed at random moments while clients upload windows and
 * restarted each time, loading its snapshot and replaying the newer rows. At
 * the end its fleet answers (`/metrics`, `/v1/fleet`) equal those of a
 * collector that replays every stored window of a copy of the same database:
 * a kill between a snapshot and later writes (or during a snapshot write)
 * neither counts a window twice nor misses one.
 *
 * Sizes: EW_SNAP_KILL_WINDOWS (default 6000) windows, EW_SNAP_KILL_RUNS (default 6) kills.
 */
import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WindowDb } from '../../src/collector/window-db.js';
import { PyRandom } from '../../src/stats/random.js';
import { fleetWindows } from '../collector/fleet-windows.js';
import { killHard, startCollectorCli, uploadUntilAcked } from '../support/collector-cli.js';

const WINDOWS = Number(process.env.EW_SNAP_KILL_WINDOWS ?? 6000);
const KILLS = Number(process.env.EW_SNAP_KILL_RUNS ?? 6);
const CLIENTS = 4;
const BATCH = 20;

async function fleetAnswers(url: string): Promise<string[]> {
  const metrics = (await (await fetch(`${url}/metrics`)).text())
    .split('\n')
    .filter((l) => !l.includes('edgewatch_collector_'));
  return [metrics.join('\n'), await (await fetch(`${url}/v1/fleet`)).text()];
}

describe('aggregate snapshots under kill -9', () => {
  it(`${KILLS} kills during ${WINDOWS} windows: snapshot + replay = full replay`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ew-snapkill-'));
    const dbPath = join(dir, 'collector.db');
    const args = ['--port', '0', '--db', dbPath, '--rate-limit', '0', '--snapshot-interval', '1'];
    const records = fleetWindows(WINDOWS, 5, Date.now() - 60_000);
    const rng = new PyRandom(20261207);
    let acked = 0;
    let current = await startCollectorCli(args);
    let restarts: Promise<void> = Promise.resolve();
    const lines: string[] = [];

    const killer = async (): Promise<void> => {
      for (let k = 0; k < KILLS; k++) {
        const target = ((k + 1) * WINDOWS) / (KILLS + 1);
        while (acked < target) await new Promise((r) => setTimeout(r, 5));
        // Past the 1 s snapshot interval sometimes, before it other times.
        await new Promise((r) => setTimeout(r, rng.random() * 1500));
        let reopen!: () => void;
        restarts = new Promise<void>((r) => (reopen = r));
        await killHard(current.child);
        current = await startCollectorCli(args);
        lines.push(current.line);
        reopen();
      }
    };
    const others: ChildProcess[] = [];
    try {
      await Promise.all([
        killer(),
        uploadUntilAcked(
          records,
          { clients: CLIENTS, batch: BATCH },
          () => ({ url: current.url, ready: restarts }),
          (batch) => (acked += batch.length),
        ),
      ]);
      expect(acked).toBe(WINDOWS);
      await killHard(current.child);
      const db = new WindowDb(dbPath);
      const snap = db.loadSnapshot();
      const last = db.lastSeq();
      db.close();
      expect(snap?.seq).toBeGreaterThan(0);
      const fullPath = join(dir, 'full.db');
      for (const ext of ['', '-wal', '-shm'])
        if (existsSync(dbPath + ext)) copyFileSync(dbPath + ext, fullPath + ext);
      const restored = await startCollectorCli(args);
      others.push(restored.child);
      const replayed = await startCollectorCli([
        '--port',
        '0',
        '--db',
        fullPath,
        '--snapshot-interval',
        '0',
      ]);
      others.push(replayed.child);
      expect(restored.line).toMatch(new RegExp(`${WINDOWS} windows reloaded`));
      expect(replayed.line).toMatch(new RegExp(`${WINDOWS} windows reloaded`));
      const [got, want] = [await fleetAnswers(restored.url), await fleetAnswers(replayed.url)];
      expect(got).toEqual(want);
      console.info(
        `[snapshot kill e2e] ${KILLS} kill -9 during ${WINDOWS} windows; last snapshot at seq ${snap?.seq} of ${last}; fleet answers equal to a full replay`,
      );
    } finally {
      current.child.kill('SIGKILL');
      for (const c of others) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
