import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { WindowStore, type WindowStoreOptions } from '../../src/storage/window-store.js';
import { jsonBytes } from '../../src/storage/backend.js';
import { PREDICTION_CSV_COLUMNS } from '../../src/storage/prediction-log.js';
import { MemoryBackend } from '../../src/storage/memory-backend.js';
import type { PredictionEntry } from '../../src/window/window-record.js';
import { ConfigError } from '../../src/errors.js';

let n = 0;

/** A fresh, unpersisted store of its own name on `backend`. */
const openStore = (
  backend: 'memory' | 'indexeddb',
  predictionLog?: WindowStoreOptions['predictionLog'],
) => WindowStore.open({ name: `pl${n++}`, backend, persist: false, predictionLog });

/** Minimal RFC 4180 parser (independent of the writer). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe.each(['memory', 'indexeddb'] as const)('PredictionLog on %s', (backend) => {
  it('keeps the newest maxCount entries and counts evictions', async () => {
    const s = await openStore(backend, { maxCount: 3 });
    for (let i = 0; i < 5; i++) await s.predictionLog.append({ ts: i, output: i });
    expect((await s.predictionLog.list()).map((e) => e.ts)).toEqual([2, 3, 4]);
    await s.predictionLog.append([{ ts: 5 }, { ts: 6 }, { ts: 7 }, { ts: 8 }]);
    expect((await s.predictionLog.list()).map((e) => e.ts)).toEqual([6, 7, 8]);
    expect(await s.drops()).toEqual({ log_evicted: 6 });
    await s.close();
  });

  it('exports NDJSON and CSV that parse back to the entries', async () => {
    const s = await openStore(backend);
    const entries: PredictionEntry[] = [
      { ts: 1, inputs: { a: 1, b: 'x,y' }, output: 0.7, label: 1, latencyMs: 3.5 },
      { ts: 2, output: 'cat "tabby"', label: 'dog\nline' },
      { ts: 3 },
    ];
    await s.predictionLog.append(entries);
    const nd = await s.predictionLog.toNdjson();
    expect(
      nd
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(entries);
    const rows = parseCsv(await s.predictionLog.toCsv());
    expect(rows[0]).toEqual([...PREDICTION_CSV_COLUMNS]);
    expect(rows[1]).toEqual(['1', '3.5', '{"a":1,"b":"x,y"}', '0.7', '1']);
    expect(rows[2]).toEqual(['2', '', '', 'cat "tabby"', 'dog\nline']);
    expect(rows[3]).toEqual(['3', '', '', '', '']);
    expect(await s.predictionLog.drain(2)).toEqual(entries.slice(0, 2));
    expect(await s.predictionLog.list()).toEqual(entries.slice(2));
    await s.close();
  });
});

describe('PredictionLog bounds', () => {
  it('rejects bad bounds', async () => {
    await expect(
      WindowStore.open({ backend: 'memory', predictionLog: { maxCount: 0 } }),
    ).rejects.toThrow(ConfigError);
  });

  it('property: contents equal a model ring bounded by count and bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(fc.record({ ts: fc.nat(), output: fc.string({ maxLength: 30 }) }), {
            minLength: 1,
            maxLength: 4,
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 30, max: 400 }),
        async (batches, maxCount, maxBytes) => {
          const s = await WindowStore.open({
            backend: 'memory',
            persist: false,
            predictionLog: { maxCount, maxBytes },
          });
          let model: PredictionEntry[] = [];
          let dropped = 0;
          for (const b of batches) {
            await s.predictionLog.append(b);
            for (const e of b) {
              if (jsonBytes(e) > maxBytes) {
                dropped++;
                continue;
              }
              model.push(e);
            }
            while (
              model.length > maxCount ||
              model.reduce((a, e) => a + jsonBytes(e), 0) > maxBytes
            ) {
              model = model.slice(1);
              dropped++;
            }
          }
          expect(await s.predictionLog.list()).toEqual(model);
          const d = await s.drops();
          expect((d.log_evicted ?? 0) + (d.log_oversize ?? 0)).toBe(dropped);
          await s.close();
        },
      ),
      {
        numRuns: 60,
        // A batch partly cut by the bounds must take the older stored entries with it.
        examples: [
          [
            [
              [{ ts: 0, output: '' }],
              [
                { ts: 0, output: ' ' },
                { ts: 10000000, output: '' },
              ],
            ],
            2,
            47,
          ],
        ],
      },
    );
  });
});

describe.each(['memory', 'indexeddb'] as const)('PredictionLog at scale on %s', (backend) => {
  it('appends without reading the log: the count and bytes come from a counter', async () => {
    const s = await openStore(backend, { maxCount: 50 });
    const b = (s as unknown as { backend: { logList: unknown; logStats: unknown } }).backend;
    for (let i = 0; i < 60; i++) await s.predictionLog.append({ ts: i });
    const spyList = vi.spyOn(b as { logList: () => unknown }, 'logList');
    const spyStats = vi.spyOn(b as { logStats: () => unknown }, 'logStats');
    for (let i = 60; i < 80; i++) await s.predictionLog.append({ ts: i });
    expect(spyList).not.toHaveBeenCalled();
    expect(spyStats).not.toHaveBeenCalled();
    spyList.mockRestore();
    spyStats.mockRestore();
    expect(await s.predictionLog.size()).toEqual({
      count: 50,
      bytes: 50 * jsonBytes({ ts: 10 }),
    });
    // the counter follows drain and clear
    expect((await s.predictionLog.drain(5)).map((e) => e.ts)).toEqual([30, 31, 32, 33, 34]);
    expect((await s.predictionLog.size()).count).toBe(45);
    await s.predictionLog.clear();
    expect(await s.predictionLog.size()).toEqual({ count: 0, bytes: 0 });
    await s.predictionLog.append({ ts: 1 });
    expect((await s.predictionLog.size()).count).toBe(1);
    await s.close();
  });
});

describe('PredictionLog when the storage quota is full', () => {
  it('evicts the oldest, counts them, and never throws', async () => {
    const one = jsonBytes({ ts: 100, output: 0.5 });
    const backend = new MemoryBackend({ quotaBytes: 40 * one });
    const s = await WindowStore.open({ backend, persist: false });
    for (let i = 100; i < 200; i++) {
      const r = await s.predictionLog.append({ ts: i, output: 0.5 });
      expect(r.dropped).toBe(0);
    }
    const left = await s.predictionLog.list();
    expect(left.length).toBeLessThanOrEqual(40);
    expect(left.at(-1)!.ts).toBe(199);
    // newest kept, oldest gone, in order
    expect(left.map((e) => e.ts)).toEqual(left.map((_, i) => 200 - left.length + i));
    const drops = await s.drops();
    expect(drops.log_quota).toBe(100 - left.length);
    await s.close();
  });

  it('drops and counts a batch that cannot fit even in an empty log', async () => {
    const backend = new MemoryBackend({ quotaBytes: 10 });
    const s = await WindowStore.open({ backend, persist: false });
    const r = await s.predictionLog.append({ ts: 1, output: 'too big for the quota' });
    expect(r).toEqual({ evicted: 0, dropped: 1 });
    expect((await s.drops()).log_quota).toBe(1);
    await s.close();
  });
});

describe('PredictionLog CSV against spreadsheet formula injection', () => {
  it('prefixes text cells that start with = + - @ tab or CR, and leaves numbers alone', async () => {
    const s = await WindowStore.open({ backend: 'memory', persist: false });
    const evil = ['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1', 'plain', '=HYPERLINK("x")'];
    await s.predictionLog.append(evil.map((label, i) => ({ ts: i, label, output: -3 })));
    const rows = parseCsv(await s.predictionLog.toCsv()).slice(1);
    const labelAt = PREDICTION_CSV_COLUMNS.indexOf('label');
    const outAt = PREDICTION_CSV_COLUMNS.indexOf('output');
    expect(rows.map((r) => r[labelAt])).toEqual([
      "'=1+2",
      "'+SUM(A1)",
      "'-2+3",
      "'@cmd",
      "'\t=1",
      "'\r=1",
      'plain',
      '\'=HYPERLINK("x")',
    ]);
    for (const r of rows) expect(r[outAt]).toBe('-3');
    // no cell a spreadsheet would evaluate
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+@\t\r]/);
    await s.close();
  });
});
