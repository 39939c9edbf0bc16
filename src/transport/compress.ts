/**
 * Request-body compression for the flusher: gzip through the standard
 * `CompressionStream` (browsers, Web Workers, and Node ≥ 18, where it is backed
 * by zlib), so one code path serves every platform without a Node import.
 */

/** Whether this platform can gzip a body (`CompressionStream` present). */
export function canGzip(): boolean {
  return typeof (globalThis as { CompressionStream?: unknown }).CompressionStream === 'function';
}

/**
 * Gzips UTF-8 text.
 *
 * @param text - the body.
 * @returns the gzip member (RFC 1952).
 * @example
 * await gzipText('{"windows":[]}'); // => Uint8Array [0x1f, 0x8b, …]
 */
export async function gzipText(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
