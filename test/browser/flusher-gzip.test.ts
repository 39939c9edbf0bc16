/** Flusher gzip in Chromium: bodies compressed by the browser's CompressionStream decode to the batch. */
import { describe, expect, it } from 'vitest';
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher } from '../../src/transport/flusher.js';
import { makeRecord } from '../window/make-record.js';

async function gunzip(b: Uint8Array): Promise<string> {
  const s = new Blob([b as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Response(s).text();
}

describe('Flusher gzip in Chromium', () => {
  it('sends gzip bodies (CompressionStream) that decode to every window once', async () => {
    const store = await WindowStore.open({ name: `ew-gzip-${Date.now()}` });
    const recs = Array.from({ length: 40 }, (_, i) => makeRecord(i));
    for (const r of recs) await store.append(r);
    const got: string[] = [];
    let wire = 0;
    let json = 0;
    const fetchImpl = (async (_u: string, init: RequestInit) => {
      const h = init.headers as Record<string, string>;
      expect(h['content-encoding']).toBe('gzip');
      const body = init.body as Uint8Array;
      expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
      const text = await gunzip(body);
      wire += body.length;
      json += new TextEncoder().encode(text).length;
      got.push(
        ...(JSON.parse(text) as { windows: { windowId: string }[] }).windows.map((w) => w.windowId),
      );
      return new Response('{}', { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const f = new Flusher({
      store,
      endpoint: 'http://127.0.0.1:9/v1/windows',
      fetch: fetchImpl,
      compression: 'gzip',
    });
    const r = await f.flush();
    expect(r.delivered).toBe(40);
    expect(got).toEqual(recs.map((x) => x.windowId));
    expect(wire).toBeLessThan(json / 4);
    expect(await store.peek(10)).toEqual([]);
    await f.close();
    await store.close();
  });
});
