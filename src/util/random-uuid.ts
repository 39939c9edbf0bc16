/**
 * Random ids (window ids, device ids, leader ids): a v4 UUID from the
 * platform's crypto, in a file of its own so the code that needs only an id
 * does not import the window sealer.
 */

/**
 * Creates a v4 UUID with `crypto.randomUUID` where present, else from
 * `crypto.getRandomValues`.
 *
 * @returns a lowercase UUID string.
 * @example
 * randomUuid(); // => '1b4e28ba-2fa1-4d2b-9e3c-3f8a3b9c0d11'
 */
export function randomUuid(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
