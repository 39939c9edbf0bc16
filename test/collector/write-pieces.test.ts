// writePieces: the one batching writer behind the collector's plain and gzip
// streamed responses (sendPieces, sendPiecesCoded).
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writePieces } from '../../src/collector/http-helpers.js';

/** A sink that keeps every write and, when `slow`, asks the writer to wait (drain later). */
function sink(slow: boolean): { out: Writable; writes: string[]; ended: () => boolean } {
  const writes: string[] = [];
  let ended = false;
  const out = new Writable({
    highWaterMark: 1024,
    decodeStrings: false,
    write(chunk: string, _enc, cb) {
      writes.push(chunk);
      if (slow) setTimeout(cb, 1);
      else cb();
    },
    final(cb) {
      ended = true;
      cb();
    },
  });
  return { out, writes, ended: () => ended };
}

describe('writePieces', () => {
  it('writes every piece in order, in batches of about 256 K characters, then ends', async () => {
    const pieces = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(200)}\n`);
    const { out, writes, ended } = sink(true);
    await writePieces(out, pieces);
    await new Promise((r) => out.on('finish', r));
    expect(writes.join('')).toBe(pieces.join(''));
    expect(writes.length).toBeGreaterThan(1);
    for (const w of writes.slice(0, -1)) expect(w.length).toBeGreaterThanOrEqual(256 * 1024);
    expect(ended()).toBe(true);
  });

  it('stops, without ending, when the stream closes while it waits for drain', async () => {
    const pieces = Array.from({ length: 3000 }, () => 'y'.repeat(300));
    const { out, writes } = sink(true);
    const done = writePieces(out, pieces);
    out.destroy();
    await done;
    expect(writes.join('').length).toBeLessThan(pieces.join('').length);
  });

  it('writes a short body as one end()', async () => {
    const { out, writes, ended } = sink(false);
    await writePieces(out, ['a', 'b', 'c']);
    await new Promise((r) => out.on('finish', r));
    expect(writes).toEqual(['abc']);
    expect(ended()).toBe(true);
  });
});
