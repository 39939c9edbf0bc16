import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateWindowRecord, WINDOW_LIMITS } from '../../src/window/window-record.js';
import { buildWindowRecord } from '../../src/window/window-sealer.js';
import { randomUuid } from '../../src/util/random-uuid.js';
import { base64ToBytes, bytesToBase64 } from '../../src/window/base64.js';
import { DataError } from '../../src/errors.js';
import { makeRecord } from './make-record.js';

describe('validateWindowRecord', () => {
  it('accepts a well-formed record and its JSON round trip', () => {
    const r = makeRecord(1);
    expect(validateWindowRecord(r)).toEqual([]);
    expect(validateWindowRecord(JSON.parse(JSON.stringify(r)))).toEqual([]);
  });

  const bad: Array<[string, (r: any) => void, RegExp]> = [
    ['not an object', () => undefined, /window: expected an object/],
    ['future schema', (r) => (r.schemaVersion = 99), /schemaVersion/],
    ['bad uuid', (r) => (r.windowId = 'abc'), /windowId: expected a UUID/],
    ['empty device', (r) => (r.deviceId = ''), /deviceId/],
    [
      'long device',
      (r) => (r.deviceId = 'd'.repeat(WINDOW_LIMITS.maxStringLength + 1)),
      /deviceId/,
    ],
    ['model missing', (r) => delete r.model, /model: expected/],
    ['end before start', (r) => (r.end = r.start - 1), /end: expected end >= start/],
    ['NaN start', (r) => (r.start = NaN), /start: expected epoch ms/],
    [
      'sketch not base64',
      (r) => (r.sketches.latency = '%%%%'),
      /sketches.latency: expected base64/,
    ],
    ['counter not finite', (r) => (r.counters.predictions = Infinity), /counters.predictions/],
    ['counter string', (r) => (r.counters.predictions = '3'), /counters.predictions/],
    ['drift not array', (r) => (r.drift = {}), /drift: expected an array/],
    ['drift bad', (r) => (r.drift[0].isDrift = 'yes'), /drift\[0\].isDrift/],
    ['drift source', (r) => (r.drift[0].source = 'label'), /drift\[0\].source/],
    [
      'alert severity',
      (r) => (r.alerts = [{ name: 'a', severity: 'fatal', firedAt: 1 }]),
      /severity/,
    ],
    ['predictions not array', (r) => (r.predictions = 3), /predictions/],
  ];
  it.each(bad)('rejects %s', (_name, mutate, re) => {
    const r: any = makeRecord(2);
    const value = mutate(r) === undefined && _name === 'not an object' ? 'nope' : r;
    const errors = validateWindowRecord(value);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(re);
  });

  it('property: any built record from sane parts validates', () => {
    const name = fc.string({ minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(
        name,
        name,
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.integer({ min: 0, max: 10 ** 7 }),
        fc.dictionary(name, fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), {
          maxKeys: 5,
        }),
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 3 }),
        (device, model, start, dur, counters, sketches) => {
          const rec = buildWindowRecord(
            {
              windowId: randomUuid(),
              deviceId: device,
              model: { name: model, version: '1' },
              start,
              end: start + dur,
            },
            { counters, sketches: Object.fromEntries(sketches.map((b, i) => [`s${i}`, b])) },
          );
          return validateWindowRecord(JSON.parse(JSON.stringify(rec))).length === 0;
        },
      ),
    );
  });
});

describe('base64', () => {
  it('property: matches Node Buffer (independent encoder) and round trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (b) => {
        const text = bytesToBase64(b);
        expect(text).toBe(Buffer.from(b).toString('base64'));
        expect(Array.from(base64ToBytes(text))).toEqual(Array.from(b));
      }),
      { numRuns: 50 },
    );
  });
  it('rejects invalid text with DataError', () => {
    expect(() => base64ToBytes('@@@')).toThrow(DataError);
  });
});
