import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, parseRetryAfter, retryDelay } from '../../src/util/backoff.js';
import { batchBody, batchKey, takeBatch } from '../../src/transport/batch.js';
import { jsonBytes, type OutboxEntry } from '../../src/storage/backend.js';
import { makeRecord } from '../window/make-record.js';

/** A retry's attempt number. */
const attempts = fc.nat({ max: 60 });
/** What `Math.random` may return: [0, 1). */
const randomDraws = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoffDelay (full jitter)', () => {
  it('property: stays in [0, min(max, base·2^attempt)] and reaches the ceiling as random → 1', () => {
    fc.assert(
      fc.property(attempts, randomDraws, (attempt, r) => {
        const d = backoffDelay(attempt, { baseMs: 1000, maxMs: 300_000 }, () => r);
        const ceiling = Math.min(300_000, 1000 * 2 ** attempt);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
        expect(d).toBe(Math.floor(r * ceiling));
      }),
    );
  });
  it('has the documented schedule: 1 s, 2 s, 4 s … capped at 5 min', () => {
    const top = (a: number): number => backoffDelay(a, {}, () => 0.999999999);
    expect([0, 1, 2, 8, 9, 20].map(top)).toEqual([999, 1999, 3999, 255_999, 299_999, 299_999]);
  });
});

describe('retryDelay (the one retry policy)', () => {
  it('property: never below the floor, never above the cap, Retry-After wins when given', () => {
    fc.assert(
      fc.property(
        attempts,
        randomDraws,
        fc.option(fc.double({ min: -1e6, max: 1e9, noNaN: true }), { nil: undefined }),
        fc.nat({ max: 5000 }),
        (attempt, r, retryAfter, minMs) => {
          const o = { baseMs: 1000, maxMs: 60_000, minMs, retryAfterCapMs: 120_000 };
          const d = retryDelay(attempt, o, () => r, retryAfter);
          expect(d).toBeGreaterThanOrEqual(minMs);
          expect(d).toBeLessThanOrEqual(Math.max(minMs, 120_000));
          const wanted =
            retryAfter === undefined
              ? backoffDelay(attempt, o, () => r)
              : Math.min(Math.max(0, retryAfter), 120_000);
          expect(d).toBe(Math.max(minMs, wanted));
        },
      ),
    );
  });
  it('Retry-After: 0 and a zero draw wait the default floor of 500 ms', () => {
    expect(retryDelay(0, {}, () => 0, 0)).toBe(500);
    expect(retryDelay(0, {}, () => 0)).toBe(500);
  });
  it('a NaN Retry-After (a clock that answers NaN) falls back to the backoff, never a NaN delay', () => {
    expect(retryDelay(0, { baseMs: 1000 }, () => 0.5, NaN)).toBe(
      retryDelay(0, { baseMs: 1000 }, () => 0.5),
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, ignores junk', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:30 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

function entries(k: number, pad = 0): OutboxEntry[] {
  return Array.from({ length: k }, (_, i) => {
    const record = makeRecord(i, pad ? { pad: (i * 997) % pad } : {});
    return { seq: i + 1, windowId: record.windowId, sealedAt: 0, bytes: jsonBytes(record), record };
  });
}

describe('takeBatch', () => {
  it('property: the longest prefix whose body fits the cap (or one oversize entry)', () => {
    const pool = entries(40, 6000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1024, max: 80_000 }),
        (k, max) => {
          const list = pool.slice(0, k);
          const b = takeBatch(list, max);
          expect(b).toEqual(list.slice(0, b.length));
          if (k === 0) {
            expect(b).toEqual([]);
            return;
          }
          const size = new TextEncoder().encode(batchBody(b)).length;
          expect(b.length).toBeGreaterThanOrEqual(1);
          if (b.length > 1) expect(size).toBeLessThanOrEqual(max);
          if (b.length < k)
            expect(
              new TextEncoder().encode(batchBody(list.slice(0, b.length + 1))).length,
            ).toBeGreaterThan(max);
          expect(JSON.parse(batchBody(b)).windows).toEqual(b.map((e) => e.record));
        },
      ),
    );
  });
});

describe('batchKey', () => {
  it('is stable for the same ids and differs for different ones', () => {
    fc.assert(
      fc.property(fc.array(fc.uuid(), { minLength: 1, maxLength: 5 }), fc.uuid(), (ids, extra) => {
        expect(batchKey(ids)).toBe(batchKey([...ids]));
        expect(batchKey(ids)).toMatch(/^[0-9a-f]{16}$/);
        if (!ids.includes(extra)) expect(batchKey([...ids, extra])).not.toBe(batchKey(ids));
      }),
    );
  });
});
