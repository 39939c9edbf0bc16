/**
 * Several collectors on one PostgreSQL database (a real server, one fresh
 * database per test): a window is stored once whichever collector receives it,
 * a reused id is a 409 at any collector, and `GET /v1/windows`, `/v1/fleet` and
 * the fleet families of `/metrics` give the same answer from every collector.
 * Remote-write from the shared queue sends each window once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  startCollector,
  type Collector,
  type CollectorOptions,
} from '../../src/collector/server.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { parseExposition } from '../export/parse-exposition.js';
import { makeRecord } from '../window/make-record.js';
import { postgresMissing, type TestPostgres } from '../support/postgres.js';
import { usePostgres } from '../support/use-postgres.js';
import { NumericProfiler, profilesToWire } from '../../src/entry/stats.js';
import { startWriteSink } from './decode-write-request.js';
import { post } from './helpers.js';

const missing = postgresMissing();
if (missing) console.warn(`collectors on PostgreSQL: skipped: ${missing}`);

let server: TestPostgres | undefined;
let n = 0;
/** URL of the database the last {@link collectors} call created. */
let lastUrl = '';
const open: Collector[] = [];
usePostgres(missing, (s) => (server = s));
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function collectors(count: number, o: CollectorOptions = {}): Promise<Collector[]> {
  const url = await server!.createDatabase(`collectors_${process.pid}_${++n}`);
  lastUrl = url;
  const cs = await Promise.all(
    Array.from({ length: count }, () =>
      startCollector({ port: 0, dbPath: url, rateLimit: false, ...o }),
    ),
  );
  open.push(...cs);
  return cs;
}

async function getJson(c: Collector, path: string): Promise<unknown> {
  const res = await fetch(`${c.url}${path}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** The fleet families of an exposition (the collector's own request counters differ per process). */
async function fleetFamilies(c: Collector): Promise<unknown> {
  const text = await (await fetch(`${c.url}/metrics`)).text();
  return parseExposition(text, 'prometheus').filter(
    (f) => !f.name.startsWith('edgewatch_collector_'),
  );
}

describe.skipIf(missing !== undefined)('collectors sharing a PostgreSQL store', () => {
  it('a window is stored once whichever collector gets it; a reused id is a 409 everywhere', async () => {
    const [a, b, c] = await collectors(3);
    const w = makeRecord(1);
    expect(await (await post(a!, { windows: [w] })).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await (await post(b!, { windows: [w, makeRecord(2)] })).json()).toEqual({
      accepted: 1,
      duplicates: 1,
    });
    const changed = { ...w, counters: { predictions: 42 } };
    const res = await post(c!, { windows: [makeRecord(3), changed] });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { details: string[] }).details).toEqual([
      `windowId ${w.windowId}`,
    ]);
    for (const x of [a, b, c]) {
      const got = (await getJson(x!, '/v1/windows?limit=1000')) as { windows: WindowRecord[] };
      expect(got.windows.length).toBe(2);
    }
  });

  it('/v1/windows, /v1/fleet and the fleet families of /metrics are the same from every collector', async () => {
    const cs = await collectors(3);
    const recs = Array.from({ length: 60 }, (_, i) =>
      makeRecord(i, { deviceId: `robot-${i % 7}`, latency: [1 + (i % 5), 3, 20 + i] }),
    );
    // Windows spread over the collectors, in parallel.
    await Promise.all(
      recs.map((r, i) =>
        post(cs[i % 3]!, { windows: [r] }).then((res) => expect(res.status).toBe(200)),
      ),
    );
    const windows = await Promise.all(cs.map((c) => getJson(c, '/v1/windows?limit=1000')));
    const fleet = await Promise.all(cs.map((c) => getJson(c, '/v1/fleet')));
    const metrics = await Promise.all(cs.map((c) => fleetFamilies(c)));
    expect((windows[0] as { windows: unknown[] }).windows.length).toBe(60);
    expect(windows[1]).toEqual(windows[0]);
    expect(windows[2]).toEqual(windows[0]);
    const sketches = (fleet[0] as { sketches: Array<{ count: number }> }).sketches;
    expect(sketches.reduce((s, k) => s + k.count, 0)).toBe(180);
    expect(fleet[1]).toEqual(fleet[0]);
    expect(fleet[2]).toEqual(fleet[0]);
    expect(metrics[1]).toEqual(metrics[0]);
    expect(metrics[2]).toEqual(metrics[0]);
    // A collector started later rebuilds the same aggregates from the store.
    const late = await startCollector({ port: 0, dbPath: lastUrl });
    open.push(late);
    expect(await getJson(late, '/v1/fleet')).toEqual(fleet[0]);
    expect(late.stats().windows).toBe(60);
  });

  it('remote-write from the shared queue sends every window once across collectors', async () => {
    const received = new Map<string, number>();
    const { server: sink, url: sinkUrl } = await startWriteSink((ts) => {
      if (ts.labels.__name__ !== 'edgewatch_window_received') return;
      const key = `${ts.labels.device}@${ts.samples[0]!.timestamp}`;
      received.set(key, (received.get(key) ?? 0) + 1);
    });
    try {
      const cs = await collectors(3, {
        remoteWrite: { url: sinkUrl, intervalMs: 50 },
      });
      const recs = Array.from({ length: 90 }, (_, i) => makeRecord(i, { deviceId: `d${i % 4}` }));
      await Promise.all(recs.map((r, i) => post(cs[i % 3]!, { windows: [r] })));
      const deadline = Date.now() + 20_000;
      while (received.size < 90 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      for (const c of open.splice(0)) await c.close();
      expect(received.size).toBe(90);
      expect([...received.values()].every((v) => v === 1)).toBe(true);
    } finally {
      sink.close();
    }
  });

  it('a reference put through one collector is served and used by every collector', async () => {
    const [a, b] = await collectors(2);
    const speed = new NumericProfiler();
    speed.add(Array.from({ length: 500 }, (_, i) => 10 + (i % 50) / 10));
    const profiles = profilesToWire({ speed: speed.profile() });
    speed.close();
    const res = await fetch(`${a!.url}/v1/models/perception/1/reference`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profiles }),
    });
    expect(res.status).toBe(200);
    expect(await getJson(b!, '/v1/models/perception/1/reference')).toEqual({
      model: 'perception',
      version: '1',
      profiles,
    });
    // The other collector tests against it (a model version without a reference is a 404).
    const drift = (await getJson(b!, '/v1/fleet/drift?model=perception&version=1')) as {
      model: string;
      features: unknown[];
    };
    expect(drift.model).toBe('perception');
    const none = await fetch(`${b!.url}/v1/fleet/drift?model=perception&version=2`);
    expect(none.status).toBe(404);
  });
});
