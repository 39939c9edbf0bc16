/**
 * `schemas/window-record.schema.json` says what `validateWindowRecord` (the
 * collector's door) says: generated records are valid under both, and every
 * mutation is judged alike by both (ajv, JSON Schema 2020-12); its required
 * fields are the TypeScript type's required fields.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020.js';
import {
  validateWindowRecord,
  WINDOW_LIMITS,
  type WindowRecord,
} from '../../src/window/window-record.js';
import { bytesToBase64 } from '../../src/window/base64.js';
import { makeRecord, sketchBytes } from './make-record.js';

const schema = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../schemas/window-record.schema.json', import.meta.url)),
    'utf8',
  ),
) as { required: string[]; properties: Record<string, unknown> };
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
/** Every required field of the type, listed once (the compiler checks completeness). */
const REQUIRED: Record<RequiredKeys<WindowRecord>, true> = {
  schemaVersion: true,
  windowId: true,
  deviceId: true,
  model: true,
  start: true,
  end: true,
  sketches: true,
  counters: true,
  performance: true,
  drift: true,
  alerts: true,
  drops: true,
};

const name = fc.string({ minLength: 1, maxLength: 20 });
const numMap = (min?: number) =>
  fc.dictionary(
    name,
    fc.double({ noNaN: true, noDefaultInfinity: true, ...(min !== undefined ? { min } : {}) }),
    {
      maxKeys: 5,
    },
  );
const record: fc.Arbitrary<WindowRecord> = fc
  .record({
    windowId: fc.uuid(),
    deviceId: name,
    model: fc.record({ name, version: name }),
    start: fc.integer({ min: 0, max: 2 ** 45 }),
    len: fc.integer({ min: 0, max: 3_600_000 }),
    sketches: fc.dictionary(
      name,
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { maxLength: 20 }),
      {
        maxKeys: 3,
      },
    ),
    counters: numMap(0),
    performance: numMap(),
    drops: numMap(0),
    drift: fc.array(
      fc.record(
        {
          feature: name,
          source: fc.constantFrom('feature' as const, 'output' as const),
          method: name,
          statistic: fc.double({ noNaN: true, noDefaultInfinity: true }),
          pValue: fc.double({ min: 0, max: 1, noNaN: true }),
          threshold: fc.double({ noNaN: true, noDefaultInfinity: true }),
          isDrift: fc.boolean(),
        },
        { requiredKeys: ['feature', 'method', 'statistic', 'threshold', 'isDrift'] },
      ),
      { maxLength: 3 },
    ),
    alerts: fc.array(
      fc.record({
        name,
        severity: fc.constantFrom('info' as const, 'warning' as const, 'critical' as const),
        firedAt: fc.integer({ min: 0, max: 2 ** 45 }),
      }),
      { maxLength: 3 },
    ),
    predictions: fc.option(
      fc.array(
        fc.record(
          {
            ts: fc.integer({ min: 0, max: 2 ** 45 }),
            output: fc.jsonValue(),
            latencyMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
          },
          { requiredKeys: ['ts'] },
        ),
        { maxLength: 3 },
      ),
      { nil: undefined },
    ),
  })
  .map(({ len, sketches, predictions, start, ...r }) => {
    const rec: WindowRecord = {
      schemaVersion: 1,
      ...r,
      start,
      end: start + len,
      sketches: Object.fromEntries(
        Object.entries(sketches).map(([k, vs]) => [k, bytesToBase64(sketchBytes(vs))]),
      ),
    };
    if (predictions !== undefined) rec.predictions = predictions;
    return rec;
  });

/** Mutations that break the contract (each alone). */
const mutations: Array<[string, (r: Record<string, unknown>) => void]> = [
  ['missing field', (r) => delete r.counters],
  ['unknown field', (r) => (r.extra = 1)],
  ['schemaVersion 2', (r) => (r.schemaVersion = 2)],
  ['schemaVersion 1.5', (r) => (r.schemaVersion = 1.5)],
  ['bad uuid', (r) => (r.windowId = 'not-a-uuid')],
  ['empty deviceId', (r) => (r.deviceId = '')],
  ['long deviceId', (r) => (r.deviceId = 'x'.repeat(WINDOW_LIMITS.maxStringLength + 1))],
  ['model extra', (r) => ((r.model as Record<string, unknown>).x = 1)],
  ['model version number', (r) => ((r.model as Record<string, unknown>).version = 1)],
  ['negative start', (r) => (r.start = -1)],
  ['string end', (r) => (r.end = '5')],
  ['bad base64', (r) => (r.sketches = { a: 'abc' })],
  ['base64 padding', (r) => (r.sketches = { a: 'A===' })],
  [
    'too many sketches',
    (r) => (r.sketches = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`s${i}`, '']))),
  ],
  ['negative counter', (r) => (r.counters = { predictions: -1 })],
  ['negative drop', (r) => (r.drops = { nan: -0.5 })],
  ['empty counter name', (r) => (r.counters = { '': 1 })],
  ['counter string', (r) => (r.counters = { a: '1' })],
  ['performance array', (r) => (r.performance = [1])],
  ['drift not array', (r) => (r.drift = {})],
  [
    'drift pValue 2',
    (r) =>
      (r.drift = [
        { feature: 'f', method: 'ks', statistic: 1, threshold: 1, isDrift: true, pValue: 2 },
      ]),
  ],
  [
    'drift source',
    (r) =>
      (r.drift = [
        { feature: 'f', method: 'ks', statistic: 1, threshold: 1, isDrift: true, source: 'x' },
      ]),
  ],
  [
    'drift isDrift 1',
    (r) => (r.drift = [{ feature: 'f', method: 'ks', statistic: 1, threshold: 1, isDrift: 1 }]),
  ],
  [
    'drift missing threshold',
    (r) => (r.drift = [{ feature: 'f', method: 'ks', statistic: 1, isDrift: true }]),
  ],
  ['alert severity', (r) => (r.alerts = [{ name: 'a', severity: 'fatal', firedAt: 1 }])],
  ['alert extra', (r) => (r.alerts = [{ name: 'a', severity: 'info', firedAt: 1, x: 1 }])],
  ['prediction without ts', (r) => (r.predictions = [{ output: 1 }])],
  ['prediction negative latency', (r) => (r.predictions = [{ ts: 1, latencyMs: -1 }])],
  ['prediction extra', (r) => (r.predictions = [{ ts: 1, x: 1 }])],
  ['not an object', () => undefined],
];

describe('WindowRecord JSON Schema', () => {
  it('is a strict 2020-12 schema whose required fields are the type’s', () => {
    expect([...schema.required].sort()).toEqual(Object.keys(REQUIRED).sort());
    expect(Object.keys(schema.properties).sort()).toEqual(
      [...Object.keys(REQUIRED), 'predictions', 'profiles'].sort(),
    );
  });

  it('property: generated records are valid under the schema and the validator', () => {
    fc.assert(
      fc.property(record, (r) => {
        const json = JSON.parse(JSON.stringify(r)) as unknown;
        expect(validateWindowRecord(json)).toEqual([]);
        expect(validate(json), ajv.errorsText(validate.errors)).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect(validate(JSON.parse(JSON.stringify(makeRecord(1))))).toBe(true);
  });

  it('property: each contract-breaking mutation is refused by both', () => {
    fc.assert(
      fc.property(record, fc.constantFrom(...mutations), (r, [what, mutate]) => {
        const json = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
        const target = what === 'not an object' ? [json] : json;
        mutate(json);
        expect(validateWindowRecord(target).length, what).toBeGreaterThan(0);
        expect(validate(target), what).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
