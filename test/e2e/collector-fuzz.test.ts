/**
 * Fuzzing the collector's ingest with 10,000 generated hostile bodies while a
 * real Prometheus scrapes it: no request is answered 5xx, the process never
 * dies, `/metrics` stays promtool-clean and the scrape target never goes down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startCollector, type Collector } from '../../src/collector/server.js';
import { makeRecord } from '../window/make-record.js';
import { freePort, startProcess, waitFor, type Proc } from './prom-process.js';

let dir: string;
let prom: Proc;
let promUrl: string;
let collector: Collector;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ew-fuzz-'));
  collector = await startCollector({ port: 0, dbPath: join(dir, 'c.db'), rateLimit: false });
  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 5s\n  scrape_timeout: 5s\nscrape_configs:\n  - job_name: edgewatch\n    static_configs:\n      - targets: ['127.0.0.1:${collector.port}']\n`,
  );
  prom = startProcess('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  await waitFor('prometheus ready', async () =>
    (await fetch(`${promUrl}/-/ready`)).ok ? true : undefined,
  );
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function promQuery(q: string): Promise<string | undefined> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
  return body.data.result[0]?.value[1];
}

/** Strings that break naive exposition, keys or parsers. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '"',
    '\\',
    '\n',
    '\u0000',
    '}\n# EOF',
    'a"b\\c\nd',
    '_overflow',
    'x'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
/** Numbers and number-like text that JSON can carry or that survive as raw text. */
const nastyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(-1, -860, 0, 1, 7, -3, 2 ** 53, 1e308, -1e308, 5e-324),
  fc.integer(),
);
const rawNumberText = fc.constantFrom(
  '1e999',
  '-1e999',
  'NaN',
  'Infinity',
  '1e-999',
  '-0',
  '00',
  '1.',
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  nastyNumber,
  fc.constant(null),
  fc.boolean(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Paths into a window that a mutation may replace. */
const PATHS = [
  ['schemaVersion'],
  ['windowId'],
  ['deviceId'],
  ['model'],
  ['model', 'name'],
  ['model', 'version'],
  ['start'],
  ['end'],
  ['sketches'],
  ['sketches', 'latency'],
  ['counters', 'predictions'],
  ['counters'],
  ['performance', 'accuracy'],
  ['performance'],
  ['drift', 0, 'statistic'],
  ['drift', 0, 'pValue'],
  ['drift', 0, 'feature'],
  ['drift', 0, 'threshold'],
  ['drift'],
  ['alerts'],
  ['drops', 'nan'],
  ['predictions'],
  ['extraField'],
] as const;

function setPath(
  obj: Record<string, unknown>,
  path: readonly (string | number)[],
  v: unknown,
): void {
  let o = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Record<string | number, unknown>;
  }
  o[path[path.length - 1]!] = v;
}

const body: fc.Arbitrary<string> = fc.oneof(
  // A window with one to three fields replaced by hostile values.
  fc
    .tuple(
      fc.nat(1000),
      fc.array(fc.tuple(fc.constantFrom(...PATHS), hostileValue), { minLength: 1, maxLength: 3 }),
    )
    .map(([i, muts]) => {
      const r = makeRecord(i) as unknown as Record<string, unknown>;
      for (const [p, v] of muts) setPath(r, p, v);
      return JSON.stringify({ windows: [r] });
    }),
  // Valid windows whose label values are hostile strings (accepted: must be escaped).
  fc
    .tuple(
      fc.nat(1000),
      nasty.filter((s) => s.length > 0 && s.length <= 256),
      nasty.filter((s) => s.length > 0 && s.length <= 256),
    )
    .map(([i, device, feature]) => {
      const r = makeRecord(i, { deviceId: device, model: feature });
      r.drift[0]!.feature = feature;
      return JSON.stringify({ windows: [r] });
    }),
  // Non-finite numbers and odd number text spliced into the raw JSON.
  fc
    .tuple(
      fc.nat(1000),
      fc.constantFrom('"accuracy":0.9', '"statistic":0.1', '"pValue":0.4', '"predictions":3'),
      rawNumberText,
    )
    .map(([i, field, num]) =>
      JSON.stringify({ windows: [makeRecord(i)] }).replace(field, `${field.split(':')[0]}:${num}`),
    ),
  // Deep nesting, truncation, garbage, arbitrary JSON.
  fc.nat({ max: 20_000 }).map((n) => `{"windows":[${'['.repeat(n)}${']'.repeat(n)}]}`),
  fc
    .tuple(fc.nat(1000), fc.nat(3000))
    .map(([i, cut]) => JSON.stringify({ windows: [makeRecord(i)] }).slice(0, cut)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('collector fuzz with a real Prometheus scraping', () => {
  it('10,000 hostile bodies: never 5xx, /metrics promtool-clean, up stays 1', async () => {
    const statuses = new Map<number, number>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await fetch(`${collector.url}/v1/windows`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: text,
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (++n % 2500 === 0) {
          const metrics = await (await fetch(`${collector.url}/metrics`)).text();
          expect(
            execFileSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' }),
          ).toBe('');
        }
        return res.status < 500;
      }),
      { numRuns: Number(process.env.EW_FUZZ_RUNS ?? 10_000) },
    );
    console.info(`[fuzz] statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(n).toBeGreaterThanOrEqual(Number(process.env.EW_FUZZ_RUNS ?? 10_000));
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(
      execFileSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' }),
    ).toBe('');
    // Scrapes after the last body too (at least 4 in all, however fast the run
    // was), then: the target was never down.
    for (let waited = 0; ; waited += 1000) {
      const scrapes = Number(await promQuery('count_over_time(up{job="edgewatch"}[10m])'));
      if (scrapes > 3 || waited >= 60_000) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await new Promise((r) => setTimeout(r, 6000));
    const targets = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as {
      data: { activeTargets: Array<{ lastError: string; lastScrapeDuration: number }> };
    };
    const t = targets.data.activeTargets[0];
    console.info(
      `[fuzz] last scrape ${t?.lastScrapeDuration} s, error ${JSON.stringify(t?.lastError)}`,
    );
    expect(await promQuery('up{job="edgewatch"}'), t?.lastError).toBe('1');
    const failed = await promQuery(
      'count_over_time(up{job="edgewatch"}[10m]) - sum_over_time(up{job="edgewatch"}[10m])',
    );
    console.info(`[fuzz] failed scrapes ${failed}`);
    expect(await promQuery('min_over_time(up{job="edgewatch"}[10m])')).toBe('1');
    expect(Number(await promQuery('count_over_time(up{job="edgewatch"}[10m])'))).toBeGreaterThan(3);
  }, 400_000);
});
