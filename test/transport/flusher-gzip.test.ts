/**
 * The Flusher's gzip compression against a real collector with Node's real
 * `fetch`: every window lands once, the bodies on the wire are gzip members,
 * and they are several times smaller than the JSON they carry.
 */
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher } from '../../src/transport/flusher.js';
import { ConfigError } from '../../src/errors.js';
import { makeRecord } from '../window/make-record.js';
import { start } from '../collector/helpers.js';

/** Real fetch, recording each request's body size and coding. */
function measuringFetch(): {
  fetch: typeof fetch;
  sent: Array<{ bytes: number; decoded: number; coding: string | undefined }>;
} {
  const sent: Array<{ bytes: number; decoded: number; coding: string | undefined }> = [];
  const f = (async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    const body = init.body as string | Uint8Array;
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const decoded = typeof body === 'string' ? bytes : gunzipSync(Buffer.from(body)).length;
    sent.push({ bytes, decoded, coding: headers['content-encoding'] });
    return fetch(url, init);
  }) as typeof fetch;
  return { fetch: f, sent };
}

async function deliver(compression: 'gzip' | 'none') {
  const c = await start({ rateLimit: false });
  const store = await WindowStore.open({ backend: 'memory', persist: false });
  const recs = Array.from({ length: 120 }, (_, i) => makeRecord(i, { deviceId: `d${i % 4}` }));
  for (const r of recs) await store.append(r);
  const m = measuringFetch();
  const f = new Flusher({ store, endpoint: `${c.url}/v1/windows`, fetch: m.fetch, compression });
  const result = await f.flush();
  await f.close();
  await store.close();
  return { c, recs, result, sent: m.sent };
}

describe('Flusher compression', () => {
  it('gzip: all windows stored once, bodies gzip-coded and smaller', async () => {
    const plain = await deliver('none');
    const gz = await deliver('gzip');
    expect(gz.result.delivered).toBe(120);
    expect(gz.c.stats().windows).toBe(120);
    expect(gz.sent.every((s) => s.coding === 'gzip')).toBe(true);
    expect(plain.sent.every((s) => s.coding === undefined)).toBe(true);
    const sum = (xs: typeof gz.sent, k: 'bytes' | 'decoded'): number =>
      xs.reduce((a, s) => a + s[k], 0);
    expect(sum(gz.sent, 'decoded')).toBe(sum(plain.sent, 'bytes'));
    const perPlain = sum(plain.sent, 'bytes') / 120;
    const perGz = sum(gz.sent, 'bytes') / 120;
    console.log(
      `flusher, 120 windows: ${plain.sent.length} requests, ${perPlain.toFixed(0)} B/window plain, ` +
        `${perGz.toFixed(0)} B/window gzip (${gz.sent.length} requests)`,
    );
    expect(perGz).toBeLessThan(perPlain / 4);
  });

  it('refuses an unknown compression with ConfigError', async () => {
    const store = await WindowStore.open({ backend: 'memory', persist: false });
    expect(
      () =>
        new Flusher({
          store,
          endpoint: 'http://127.0.0.1:9/v1/windows',
          compression: 'br' as 'gzip',
        }),
    ).toThrow(ConfigError);
    await store.close();
  });
});
