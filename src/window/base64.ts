/**
 * Base64 for sketch bytes in JSON. Uses `btoa`/`atob` (present in browsers,
 * workers and Node ≥ 16) so the same code runs everywhere without `Buffer`.
 * Decoding reuses the kernel's decoder (the kernel layer imports nothing above
 * it, so the shared implementation lives there) and adds the typed error.
 */
import { DataError } from '../errors.js';
import { decodeBase64 } from '../kernel/base64.js';

/**
 * Encodes bytes as standard base64 (with padding).
 *
 * @param bytes - the bytes.
 * @returns the base64 text.
 * @example
 * bytesToBase64(new Uint8Array([1, 2, 3])); // => 'AQID'
 * Cost: O(n).
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(s);
}

/**
 * Decodes standard base64.
 *
 * @param text - base64 text.
 * @returns the bytes.
 * @throws DataError when `text` is not valid base64.
 * @example
 * base64ToBytes('AQID'); // => Uint8Array [1, 2, 3]
 * Cost: O(n).
 */
export function base64ToBytes(text: string): Uint8Array {
  try {
    return decodeBase64(text);
  } catch (cause) {
    throw new DataError('expected base64 text, got invalid characters', { cause });
  }
}
