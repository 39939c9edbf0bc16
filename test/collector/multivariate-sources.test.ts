/**
 * Windows carrying multivariate and embedding drift rows and CBPE estimates
 * (`estimated_*` performance keys): the record validator and a real collector
 * accept them, `/metrics` exposes them (promtool-clean), and a bad source is refused.
 */
import { describe, expect, it } from 'vitest';
import { validateWindowRecord } from '../../src/window/window-record.js';
import { makeRecord } from '../window/make-record.js';
import { post, promtool, start } from './helpers.js';

function withMultivariate(i: number) {
  const rec = makeRecord(i);
  rec.drift.push(
    {
      feature: 'emb',
      source: 'embedding',
      method: 'mmd',
      statistic: 0.02,
      pValue: 0.01,
      threshold: 0.05,
      isDrift: true,
    },
    {
      feature: 'emb',
      source: 'embedding',
      method: 'components',
      statistic: 0.25,
      threshold: 0,
      isDrift: true,
    },
    {
      feature: 'features',
      source: 'multivariate',
      method: 'pca',
      statistic: 3.1,
      pValue: 0.4,
      threshold: 0.05,
      isDrift: false,
    },
  );
  Object.assign(rec.performance, {
    estimated_accuracy: 0.91,
    estimated_accuracy_lower: 0.88,
    estimated_accuracy_upper: 0.94,
  });
  return rec;
}

describe('multivariate and embedding drift rows at the collector', () => {
  it('validates, ingests and exposes them', async () => {
    const rec = withMultivariate(1);
    expect(validateWindowRecord(rec)).toEqual([]);
    const c = await start();
    expect((await post(c, { windows: [rec] })).status).toBe(200);
    const text = await (await fetch(`${c.url}/metrics`)).text();
    expect(promtool(text)).toBe('');
    expect(text).toMatch(/feature="emb",method="mmd"[^\n]*\} 0\.02/);
    expect(text).toMatch(/feature="features",method="pca"/);
    expect(text).toMatch(/metric="estimated_accuracy_lower"[^\n]*\} 0\.88/);
  });

  it('refuses an unknown source', async () => {
    const rec = withMultivariate(2);
    (rec.drift[1] as unknown as { source: string }).source = 'vectors';
    expect(validateWindowRecord(rec).join('\n')).toMatch(/drift\[1\]\.source/);
    const c = await start();
    expect((await post(c, { windows: [rec] })).status).toBe(422);
  });
});
