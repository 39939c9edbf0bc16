import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OrderStatisticTree } from '../../src/performance/order-statistic-tree.js';
import { WindowedAuc } from '../../src/performance/windowed-auc.js';
import { aucRef } from './reference.js';

const key = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.double({ min: -10, max: 10, noNaN: true }),
);

describe('OrderStatisticTree', () => {
  it('rank queries equal counting over a plain array, through inserts and removals', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), key, key), { maxLength: 300 }), (ops) => {
        const t = new OrderStatisticTree();
        const arr: number[] = [];
        for (const [ins, k, q] of ops) {
          if (ins || arr.length === 0) {
            t.insert(k);
            arr.push(k);
          } else {
            const victim = arr[Math.abs(Math.trunc(k * 7)) % arr.length]!;
            expect(t.remove(victim)).toBe(true);
            arr.splice(arr.indexOf(victim), 1);
          }
          expect(t.size).toBe(arr.length);
          expect(t.countLess(q)).toBe(arr.filter((x) => x < q).length);
          expect(t.countEqual(q)).toBe(arr.filter((x) => x === q).length);
          expect(t.countGreater(q)).toBe(arr.filter((x) => x > q).length);
        }
        // removing a key that is absent changes nothing
        expect(t.remove(1e9)).toBe(false);
        expect(t.size).toBe(arr.length);
      }),
      { numRuns: 150 },
    );
  });

  it('handles a sorted insertion order of 100 000 keys (balanced: no stack overflow)', () => {
    const t = new OrderStatisticTree();
    for (let i = 0; i < 100_000; i++) t.insert(i);
    expect(t.countLess(50_000)).toBe(50_000);
    for (let i = 0; i < 100_000; i += 2) t.remove(i);
    expect(t.size).toBe(50_000);
    expect(t.countGreater(89_999)).toBe(5_000);
  });
});

describe('WindowedAuc', () => {
  it('equals the O(n²) pairwise AUC (ties = ½) under random adds and removes', () => {
    const score = fc.oneof(
      fc.integer({ min: 0, max: 10 }).map((i) => i / 10),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), score, fc.constantFrom(0 as const, 1 as const)), {
          maxLength: 200,
        }),
        (ops) => {
          const auc = new WindowedAuc();
          const held: [number, 0 | 1][] = [];
          for (const [add, s, y] of ops) {
            if (add || held.length === 0) {
              auc.add(s, y);
              held.push([s, y]);
            } else {
              const [vs, vy] = held.splice(Math.floor(s * held.length) % held.length, 1)[0]!;
              auc.remove(vs, vy);
            }
            const ref = aucRef(held);
            if (Number.isNaN(ref)) expect(auc.value()).toBeNaN();
            else expect(auc.value()).toBe(ref);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is 0.5 for all-tied scores and 0 for perfectly inverted ones', () => {
    const a = new WindowedAuc();
    a.add(0.3, 1);
    a.add(0.3, 0);
    expect(a.value()).toBe(0.5);
    const b = new WindowedAuc();
    b.add(0.1, 1);
    b.add(0.9, 0);
    expect(b.value()).toBe(0);
    expect(new WindowedAuc().value()).toBeNaN();
  });
});
