import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WindowSealer, type WindowSealerOptions } from '../../src/window/window-sealer.js';
import { validateWindowRecord, type WindowRecord } from '../../src/window/window-record.js';
import { ConfigError } from '../../src/errors.js';

const model = { name: 'm', version: '1' };

/** A sealer for device `d` and `model`, with `o` applied. */
const sealer = (o: Partial<WindowSealerOptions>): WindowSealer =>
  new WindowSealer({ deviceId: 'd', model, sink: () => undefined, ...o });

describe('WindowSealer', () => {
  it('rejects bad configuration with ConfigError', () => {
    const sink = (): void => undefined;
    expect(() => new WindowSealer({ deviceId: '', model, sink })).toThrow(/expected deviceId/);
    expect(() => new WindowSealer({ deviceId: 'd', model: {} as never, sink })).toThrow(
      ConfigError,
    );
    expect(() => new WindowSealer({ deviceId: 'd', model, sink, durationMs: 0 })).toThrow(
      /durationMs/,
    );
    expect(() => new WindowSealer({ deviceId: 'd', model, sink, maxCount: 1.5 })).toThrow(
      /maxCount/,
    );
  });

  it('seals by count with contiguous bounds and unique ids', async () => {
    let now = 1000;
    const out: WindowRecord[] = [];
    const s = sealer({
      maxCount: 3,
      sink: (r) => void out.push(r),
      now: () => now,
      collect: () => ({ counters: { n: 3 } }),
    });
    for (let i = 0; i < 9; i++) {
      now += 10;
      await s.count();
    }
    expect(out).toHaveLength(3);
    expect(new Set(out.map((r) => r.windowId)).size).toBe(3);
    expect(out[0]!.start).toBe(1000);
    for (let i = 1; i < 3; i++) expect(out[i]!.start).toBe(out[i - 1]!.end);
    for (const r of out) expect(validateWindowRecord(r)).toEqual([]);
  });

  it('a synchronous burst of count() calls seals once per maxCount (regression)', async () => {
    const out: WindowRecord[] = [];
    const s = sealer({
      maxCount: 3,
      sink: (r) => void out.push(r),
    });
    const pending = [];
    for (let i = 0; i < 9; i++) pending.push(s.count());
    await Promise.all(pending);
    expect(out).toHaveLength(3);
  });

  it('due() follows durationMs', () => {
    let now = 0;
    const s = sealer({
      durationMs: 100,
      now: () => now,
    });
    expect(s.due()).toBe(false);
    now = 100;
    expect(s.due()).toBe(true);
  });

  it('property: concurrent seals are serialized; windows tile time without gaps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 }),
        async (steps) => {
          let now = 0;
          const out: WindowRecord[] = [];
          const s = sealer({
            sink: async (r) => void out.push(r),
            now: () => now,
          });
          const ps = steps.map((d) => {
            now += d;
            return s.seal({});
          });
          await Promise.all(ps);
          expect(out).toHaveLength(steps.length);
          expect(out[0]!.start).toBe(0);
          for (let i = 1; i < out.length; i++) expect(out[i]!.start).toBe(out[i - 1]!.end);
          expect(out[out.length - 1]!.end).toBe(now);
        },
      ),
    );
  });

  it('a failing sink rejects that seal only', async () => {
    let fail = true;
    const s = sealer({
      sink: () => {
        if (fail) throw new Error('disk');
      },
    });
    await expect(s.seal({})).rejects.toThrow('disk');
    fail = false;
    await expect(s.seal({})).resolves.toMatchObject({ deviceId: 'd' });
  });
});
