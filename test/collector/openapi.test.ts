/**
 * `schemas/collector.openapi.json` describes the collector as it answers: every
 * route in routes.ts is documented, and the bodies a real collector returns
 * (success and refusals, windows read back, fleet, health) validate against the
 * documented schemas (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { makeRecord } from '../window/make-record.js';
import { post, start } from './helpers.js';

const read = (p: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(p, import.meta.url)), 'utf8'));
const doc = read('../../schemas/collector.openapi.json') as {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};
const windowSchema = read('../../schemas/window-record.schema.json') as { $id: string };
const BASE = windowSchema.$id.replace('window-record.schema.json', 'collector.openapi.json');

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(windowSchema);
ajv.addSchema({ ...(doc as object), $id: BASE });
function check(name: string, body: unknown): void {
  const v = ajv.getSchema(`${BASE}#/components/schemas/${name}`);
  expect(v, name).toBeDefined();
  expect(v!(body), `${name}: ${ajv.errorsText(v!.errors)}`).toBe(true);
}
function documented(path: string, method: string, status: number): void {
  expect(Object.keys(doc.paths[path]?.[method]?.responses ?? {}), `${method} ${path}`).toContain(
    String(status),
  );
}

describe('collector OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents every route the collector serves', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const src = readFileSync(
      fileURLToPath(new URL('../../src/collector/routes.ts', import.meta.url)),
      'utf8',
    );
    const served = new Set([...src.matchAll(/path === '([^']+)'/g)].map((m) => m[1]!));
    served.delete('/health'); // alias of /healthz
    // Routes matched by a helper rather than a literal path.
    if (src.includes('referencePath(path)')) served.add('/v1/models/{name}/{version}/reference');
    if (src.includes('fleetPageAsset(path)')) served.add('/');
    expect([...served].sort()).toEqual(Object.keys(doc.paths).sort());
  });

  it('bodies of a real collector validate against the documented schemas', async () => {
    const c = await start({ token: 'tok', rateLimit: { perSecond: 1, burst: 2 } });
    const auth = { authorization: 'Bearer tok' };
    const recs = [makeRecord(1, { deviceId: 'a' }), makeRecord(2, { deviceId: 'b' })];
    const answers: Array<[number, unknown]> = [];
    const ingest = async (body: unknown, headers: Record<string, string> = auth) => {
      const res = await post(c, body, headers);
      const json = (await res.json()) as unknown;
      answers.push([res.status, json]);
      documented('/v1/windows', 'post', res.status);
      return res.status;
    };
    expect(await ingest({ windows: recs })).toBe(200);
    check('IngestResult', answers[0]![1]);
    expect(await ingest({ windows: recs }, {})).toBe(401);
    expect(await ingest('{"windows": [')).toBe(400);
    expect(await ingest({ windows: [{ ...recs[0]!, counters: { predictions: 99 } }] })).toBe(409);
    expect(await ingest({ windows: [{ ...recs[0]!, windowId: 'x' }] })).toBe(422);
    expect(await ingest('x', { ...auth, 'content-type': 'text/plain' })).toBe(415);
    expect(await ingest({ windows: [makeRecord(3, { pad: 2_000_000 })] })).toBe(413);
    let limited = 0;
    for (let i = 0; i < 5 && limited === 0; i++)
      if ((await ingest({ windows: [makeRecord(10 + i, { deviceId: 'a' })] })) === 429) limited++;
    expect(limited).toBe(1);
    for (const [status, body] of answers.slice(1)) if (status !== 200) check('Error', body);

    const page = await fetch(`${c.url}/v1/windows?limit=1`, { headers: auth });
    documented('/v1/windows', 'get', page.status);
    const pageBody = (await page.json()) as { next?: number };
    check('WindowPage', pageBody);
    expect(pageBody.next).toBeDefined();
    const fleet = await fetch(`${c.url}/v1/fleet`, { headers: auth });
    check('Fleet', await fleet.json());
    const health = await fetch(`${c.url}/healthz`);
    documented('/healthz', 'get', health.status);
    check('Health', await health.json());
    const metrics = await fetch(`${c.url}/metrics`, { headers: auth });
    documented('/metrics', 'get', metrics.status);
    const types = Object.keys(
      (doc.paths['/metrics']!.get!.responses['200'] as { content: object }).content,
    );
    expect(types).toContain(metrics.headers.get('content-type'));
  });

  it('the schemas can fail: a wrong body is refused', () => {
    const v = ajv.getSchema(`${BASE}#/components/schemas/IngestResult`)!;
    expect(v({ accepted: -1, duplicates: 0 })).toBe(false);
    expect(ajv.getSchema(`${BASE}#/components/schemas/WindowPage`)!({ windows: [{}] })).toBe(false);
  });
});
