import { describe, expect, it } from 'vitest';
import { IdTable } from '../../src/engine/id-table.js';
import { KernelError } from '../../src/errors.js';

describe('IdTable', () => {
  const table = () => new IdTable<string>((id) => new KernelError(`thing ${String(id)}: unknown`));

  it('never reuses an id, so a stale id is an error, not another caller’s item', () => {
    const t = table();
    const a = t.add('a');
    expect(t.delete(a)).toBe('a');
    const b = t.add('b');
    expect(b).not.toBe(a);
    expect(() => t.get(a)).toThrow(/^thing 1: unknown$/);
    expect(t.get(b)).toBe('b');
  });

  it('delete is idempotent and size counts what is held', () => {
    const t = table();
    const ids = ['x', 'y', 'z'].map((s) => t.add(s));
    expect(t.size).toBe(3);
    expect(t.delete(ids[1]!)).toBe('y');
    expect(t.delete(ids[1]!)).toBeUndefined();
    expect(t.size).toBe(2);
    expect(() => t.get(Number.NaN)).toThrow(KernelError);
  });
});
