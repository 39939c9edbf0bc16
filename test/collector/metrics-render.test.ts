/**
 * The collector's `/metrics` text is formatted once per change of a series set
 * (kept on the state) and in slices that yield to the event loop: it must equal
 * a fresh render of the same aggregates after any sequence of ingests, TTL
 * prunes and scrapes, in both formats, and the HTTP route must stay answerable
 * while a large render is in progress.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FleetAggregator } from '../../src/collector/fleet-aggregator.js';
import { formatExposition } from '../../src/export/exposition.js';
import { startCollector, type Collector } from '../../src/collector/index.js';
import { parseExposition, type ParsedFamily } from '../export/parse-exposition.js';
import { makeRecord } from '../window/make-record.js';

/** Families as a name → sorted sample lines map (family order is not part of the format). */
function canonical(families: ParsedFamily[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of families) {
    out[`${f.name} ${f.type} ${f.help}`] = f.samples
      .map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`)
      .sort();
  }
  return out;
}

const step = fc.oneof(
  fc.record({
    kind: fc.constant('ingest' as const),
    device: fc.integer({ min: 0, max: 4 }),
    model: fc.integer({ min: 0, max: 2 }),
    drifted: fc.boolean(),
    dt: fc.integer({ min: 0, max: 40_000 }),
  }),
  fc.record({ kind: fc.constant('scrape' as const), dt: fc.integer({ min: 0, max: 40_000 }) }),
);

describe('collector /metrics render', () => {
  let collector: Collector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  it('the kept text equals a fresh render after any ingests, prunes and scrapes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('prometheus' as const, 'openmetrics' as const),
        async (steps, format) => {
          const agg = new FleetAggregator({ seriesTtlMs: 60_000, prerenderDelayMs: -1 });
          let now = 1_000;
          let i = 0;
          for (const s of steps) {
            now += s.dt;
            if (s.kind === 'ingest') {
              const r = makeRecord(i++, { deviceId: `d${s.device}`, model: `m${s.model}` });
              r.drift = r.drift.map((d) => ({ ...d, isDrift: s.drifted }));
              agg.ingest(r, now);
            } else {
              await agg.exposition(format, now);
            }
          }
          const kept =
            (await agg.exposition(format, now)).join('') +
            (format === 'openmetrics' ? '# EOF\n' : '');
          const fresh = formatExposition(agg.families(now), format);
          expect(canonical(parseExposition(kept, format))).toEqual(
            canonical(parseExposition(fresh, format)),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a changed series is re-formatted, an unchanged one is not', async () => {
    const agg = new FleetAggregator({ prerenderDelayMs: -1 });
    agg.ingest(makeRecord(1, { deviceId: 'a' }));
    agg.ingest(makeRecord(2, { deviceId: 'b' }));
    await agg.exposition('prometheus');
    const states = [
      ...(agg as unknown as { states: Map<string, { rendered?: string[] }> }).states.values(),
    ];
    const [a, b] = states as [{ rendered?: string[] }, { rendered?: string[] }];
    const keptB = b.rendered;
    expect(a.rendered).toBeDefined();
    agg.ingest(makeRecord(3, { deviceId: 'a' }));
    expect(a.rendered).toBeUndefined();
    await agg.exposition('prometheus');
    expect(b.rendered).toBe(keptB);
    expect(a.rendered!.join('')).toMatch(/edgewatch_predictions_total\{[^}]*device="a"\} 6\n/);
  });

  it('formats changed series in the background, so a scrape finds them ready', async () => {
    const agg = new FleetAggregator({ prerenderDelayMs: 0 });
    for (let d = 0; d < 50; d++) agg.ingest(makeRecord(d, { deviceId: `d${d}` }));
    const pending = (agg as unknown as { unrendered: Set<unknown> }).unrendered;
    expect(pending.size).toBe(50);
    await expect.poll(() => pending.size, { timeout: 5_000 }).toBe(0);
    const states = (agg as unknown as { states: Map<string, { rendered?: string[] }> }).states;
    expect([...states.values()].every((s) => s.rendered !== undefined)).toBe(true);
  });

  it('formats a series that changes with every window in the background at most once per interval', async () => {
    const agg = new FleetAggregator({ prerenderDelayMs: 0, prerenderIntervalMs: 1_000 });
    const states = (agg as unknown as { states: Map<string, { rendered?: string[] }> }).states;
    agg.ingest(makeRecord(1, { deviceId: 'a' }));
    const a = [...states.values()][0]!;
    await expect.poll(() => a.rendered, { timeout: 5_000 }).toBeDefined();
    // Changed again right after its background formatting: it waits for the interval...
    agg.ingest(makeRecord(2, { deviceId: 'a' }));
    const changed = performance.now();
    expect(a.rendered).toBeUndefined();
    // ...while a series never formatted is formatted at once.
    agg.ingest(makeRecord(3, { deviceId: 'b' }));
    const b = [...states.values()][1]!;
    await expect.poll(() => b.rendered, { timeout: 5_000 }).toBeDefined();
    if (performance.now() - changed < 500) expect(a.rendered).toBeUndefined();
    await expect.poll(() => a.rendered, { timeout: 5_000 }).toBeDefined();
    expect(a.rendered!.join('')).toMatch(/edgewatch_predictions_total\{[^}]*device="a"\} 6\n/);
    // A scrape formats whatever is still pending itself.
    agg.ingest(makeRecord(4, { deviceId: 'a' }));
    const text = (await agg.exposition('prometheus')).join('');
    expect(text).toMatch(/edgewatch_predictions_total\{[^}]*device="a"\} 9\n/);
  });

  it('yields to the event loop while it formats a large fleet', async () => {
    const agg = new FleetAggregator({ maxDevices: 5_000, prerenderDelayMs: -1 });
    for (let d = 0; d < 3_000; d++) agg.ingest(makeRecord(d, { deviceId: `d${d}` }));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const pieces = await agg.exposition('prometheus');
    clearInterval(timer);
    expect(pieces.join('').match(/^edgewatch_predictions_total\{/gm)).toHaveLength(3_000);
    // Formatting 3,000 series takes well over one 8 ms slice on any machine.
    expect(ticks).toBeGreaterThan(0);
  });

  it('GET /metrics streams the fleet and the self-metrics, both formats parse', async () => {
    collector = await startCollector({ port: 0, dbPath: ':memory:' });
    const windows = Array.from({ length: 40 }, (_, i) => makeRecord(i, { deviceId: `d${i % 8}` }));
    const post = await fetch(`${collector.url}/v1/windows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ windows }),
    });
    expect(post.status, await post.clone().text()).toBe(200);
    for (const format of ['prometheus', 'openmetrics'] as const) {
      const res = await fetch(`${collector.url}/metrics`, {
        headers: format === 'openmetrics' ? { accept: 'application/openmetrics-text' } : {},
      });
      expect(res.status).toBe(200);
      const families = parseExposition(await res.text(), format);
      const predictions = families.find((f) => f.name.startsWith('edgewatch_predictions'))!;
      expect(predictions.samples).toHaveLength(8);
      expect(families.some((f) => f.name.startsWith('edgewatch_collector_'))).toBe(true);
    }
    const head = await fetch(`${collector.url}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
