import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatExposition,
  negotiateFormat,
  contentTypeFor,
  PROMETHEUS_CONTENT_TYPE,
  OPENMETRICS_CONTENT_TYPE,
} from '../../src/export/exposition.js';
import {
  escapeHelpText,
  escapeHelpOpenMetrics,
  escapeLabelValue,
  formatValue,
} from '../../src/export/prom-escape.js';
import type { MetricFamily } from '../../src/export/prom-model.js';
import { parseExposition } from './parse-exposition.js';

const tricky = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({
    unit: fc.constantFrom('\\', '"', '\n', 'n', 'a', ' ', '\t', '{', '}', ',', '=', 'é', '🙂', '#'),
  }),
);

describe('escaping', () => {
  it('escapes label values: backslash, quote, newline', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(escapeLabelValue('plain')).toBe('plain');
  });
  it('HELP 0.0.4 leaves quotes alone; OpenMetrics escapes them', () => {
    expect(escapeHelpText('say "hi"\\\n')).toBe('say "hi"\\\\\\n');
    expect(escapeHelpOpenMetrics('say "hi"\\\n')).toBe('say \\"hi\\"\\\\\\n');
  });
  it('formats special values as Go ParseFloat reads them', () => {
    expect([NaN, Infinity, -Infinity, 0, -0, 1.5, 1e21, 5e-7].map(formatValue)).toEqual([
      'NaN',
      '+Inf',
      '-Inf',
      '0',
      '0',
      '1.5',
      '1e+21',
      '5e-7',
    ]);
  });
});

describe('formatExposition', () => {
  const families: MetricFamily[] = [
    {
      type: 'counter',
      name: 'jobs_total',
      help: 'Jobs',
      points: [{ labels: { kind: 'a' }, value: 3, created: 1700000000.5 }],
    },
    {
      type: 'gauge',
      name: 'temp_celsius',
      help: 'T',
      unit: 'celsius',
      points: [{ labels: {}, value: -1.5 }],
    },
    {
      type: 'histogram',
      name: 'lat_seconds',
      help: 'L',
      points: [
        {
          labels: { m: 'x' },
          count: 3,
          sum: 2.5,
          buckets: [
            { le: 0.5, count: 1 },
            { le: 1, count: 2 },
            { le: Infinity, count: 3 },
          ],
          created: 1,
        },
      ],
    },
    {
      type: 'summary',
      name: 'q_seconds',
      help: 'Q',
      points: [
        { labels: {}, count: 2, sum: 3, quantiles: [{ quantile: 0.5, value: 1 }], created: 2 },
      ],
    },
  ];

  it('writes text 0.0.4 line by line', () => {
    expect(formatExposition(families, 'prometheus')).toBe(
      [
        '# HELP jobs_total Jobs',
        '# TYPE jobs_total counter',
        'jobs_total{kind="a"} 3',
        '# HELP temp_celsius T',
        '# TYPE temp_celsius gauge',
        'temp_celsius -1.5',
        '# HELP lat_seconds L',
        '# TYPE lat_seconds histogram',
        'lat_seconds_bucket{m="x",le="0.5"} 1',
        'lat_seconds_bucket{m="x",le="1"} 2',
        'lat_seconds_bucket{m="x",le="+Inf"} 3',
        'lat_seconds_count{m="x"} 3',
        'lat_seconds_sum{m="x"} 2.5',
        '# HELP q_seconds Q',
        '# TYPE q_seconds summary',
        'q_seconds{quantile="0.5"} 1',
        'q_seconds_count 2',
        'q_seconds_sum 3',
        '',
      ].join('\n'),
    );
  });

  it('writes OpenMetrics 1.0: counter family without _total, _created, UNIT, # EOF', () => {
    const text = formatExposition(families, 'openmetrics');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain(
      '# TYPE jobs counter\njobs_total{kind="a"} 3\njobs_created{kind="a"} 1700000000.5\n',
    );
    expect(text).toContain('# TYPE temp_celsius gauge\n# UNIT temp_celsius celsius\n');
    expect(text).toContain('lat_seconds_created{m="x"} 1\n');
    expect(text).toContain('q_seconds_created 2\n');
    const parsed = parseExposition(text, 'openmetrics');
    expect(parsed.map((f) => [f.name, f.type])).toEqual([
      ['jobs', 'counter'],
      ['temp_celsius', 'gauge'],
      ['lat_seconds', 'histogram'],
      ['q_seconds', 'summary'],
    ]);
  });

  it('a counter configured without _total still exposes <name>_total', () => {
    const f: MetricFamily[] = [
      { type: 'counter', name: 'requests', help: 'R', points: [{ labels: {}, value: 1 }] },
    ];
    expect(formatExposition(f)).toBe(
      '# HELP requests_total R\n# TYPE requests_total counter\nrequests_total 1\n',
    );
  });

  it('round-trips arbitrary HELP text and label values in both formats (parse back what we print)', () => {
    fc.assert(
      fc.property(tricky, tricky, tricky, fc.double(), (help, v1, v2, value) => {
        const f: MetricFamily[] = [
          { type: 'gauge', name: 'g', help, points: [{ labels: { a: v1, b: v2 }, value }] },
        ];
        for (const format of ['prometheus', 'openmetrics'] as const) {
          const [parsed] = parseExposition(formatExposition(f, format), format);
          expect(parsed?.help).toBe(help);
          expect(parsed?.samples).toHaveLength(1);
          expect(parsed?.samples[0]?.labels).toEqual({ a: v1, b: v2 });
          expect(
            Object.is(parsed?.samples[0]?.value, value === 0 ? 0 : value) ||
              (Number.isNaN(value) && Number.isNaN(parsed?.samples[0]?.value)),
          ).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips HELP text holding a Unicode line separator (U+2028, U+2029)', () => {
    for (const help of ['\u2028', 'a\u2029b'])
      for (const format of ['prometheus', 'openmetrics'] as const) {
        const f: MetricFamily[] = [
          { type: 'gauge', name: 'g', help, points: [{ labels: {}, value: 1 }] },
        ];
        expect(parseExposition(formatExposition(f, format), format)[0]?.help).toBe(help);
      }
  });

  it('the test parser rejects what a wrong writer would produce (guards the round trip)', () => {
    expect(() => parseExposition('# HELP g a\\"b\n', 'prometheus')).toThrow(/invalid escape/);
    expect(() => parseExposition('g{a="x\\t"} 1\n', 'prometheus')).toThrow(/invalid escape/);
    expect(() => parseExposition('g 1\n', 'openmetrics')).toThrow(/EOF/);
  });
});

describe('content negotiation', () => {
  it('answers OpenMetrics when Prometheus asks for it, text otherwise', () => {
    const prom =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    expect(negotiateFormat(prom)).toBe('openmetrics');
    expect(negotiateFormat('text/plain;version=0.0.4')).toBe('prometheus');
    expect(negotiateFormat(undefined)).toBe('prometheus');
    expect(negotiateFormat('application/openmetrics-text;q=0')).toBe('prometheus');
    expect(contentTypeFor('prometheus')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(contentTypeFor('openmetrics')).toBe(OPENMETRICS_CONTENT_TYPE);
  });
});
