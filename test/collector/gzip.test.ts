/**
 * Content codings at the collector: gzip request bodies on ingest (the body cap
 * holds for the decompressed size: a zip bomb is refused after at most the cap
 * is inflated), other codings refused with 415, and gzip `/metrics` on request.
 */
import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { acceptsGzip } from '../../src/collector/content-coding.js';
import { makeRecord } from '../window/make-record.js';
import type { Collector } from '../../src/collector/server.js';
import { post, start } from './helpers.js';

/** GET with raw (undecoded) bytes back. */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

const gz = (body: unknown): Buffer => gzipSync(Buffer.from(JSON.stringify(body)));

/** POSTs gzip bytes to `/v1/windows`. */
function postGzip(c: Collector, body: Buffer): Promise<Response> {
  return fetch(`${c.url}/v1/windows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: new Uint8Array(body),
  });
}

describe('collector content codings', () => {
  it('stores a gzip-compressed batch like the same batch uncompressed', async () => {
    const c = await start({ rateLimit: false });
    const windows = Array.from({ length: 20 }, (_, i) => makeRecord(i, { deviceId: `d${i % 3}` }));
    const body = gz({ windows });
    const res = await postGzip(c, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 20, duplicates: 0 });
    const again = await post(c, { windows });
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 20 });
    const listed = (await (await fetch(`${c.url}/v1/windows?limit=100`)).json()) as {
      windows: unknown[];
    };
    expect(listed.windows).toHaveLength(20);
  });

  it('refuses a zip bomb with 413 after inflating at most the cap', async () => {
    const c = await start({ maxBodyBytes: 1024 * 1024 });
    // 64 MiB of spaces (64× the cap) compress to ~64 KiB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(128 * 1024);
    const rss = process.memoryUsage().rss;
    const res = await postGzip(c, bomb);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /at most 1048576 bytes after gzip decoding/,
    );
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    expect(c.stats().rejected).toMatchObject({ oversize: 1 });
  });

  it('refuses compressed bytes over the cap before decoding', async () => {
    const c = await start({ maxBodyBytes: 2000 });
    const noise = gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)));
    const res = await postGzip(c, noise);
    expect(res.status).toBe(413);
  });

  it('answers 400 for a corrupt gzip body and 415 for an unknown coding', async () => {
    const c = await start();
    const corrupt = gz({ windows: [makeRecord(1)] }).subarray(0, 30);
    const r1 = await postGzip(c, corrupt);
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { error: string }).error).toMatch(/corrupt/);
    const r2 = await post(c, { windows: [makeRecord(2)] }, { 'content-encoding': 'br' });
    expect(r2.status).toBe(415);
    expect(r2.headers.get('accept-encoding')).toBe('gzip');
    expect(((await r2.json()) as { error: string }).error).toMatch(/gzip or identity, got "br"/);
    expect(c.stats().rejected).toMatchObject({ malformed: 1, content_encoding: 1 });
    expect(c.stats().windows).toBe(0);
  });

  it('serves /metrics gzip-compressed when asked, identical once decoded', async () => {
    const c = await start({ rateLimit: false });
    await post(c, { windows: Array.from({ length: 10 }, (_, i) => makeRecord(i)) });
    const plain = await rawGet(`${c.url}/metrics`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await rawGet(`${c.url}/metrics`, { 'accept-encoding': 'br, gzip;q=0.8' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    const text = gunzipSync(zipped.body).toString('utf8');
    // Only the request counters move between the two scrapes.
    const stable = (t: string): string[] =>
      t.split('\n').filter((l) => !l.startsWith('edgewatch_collector_requests_total'));
    expect(stable(text)).toEqual(stable(plain.body.toString('utf8')));
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    const refused = await rawGet(`${c.url}/metrics`, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('reads Accept-Encoding q-values', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('br, identity')).toBe(false);
  });
});
