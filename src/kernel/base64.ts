/**
 * Base64 to bytes with `atob`, which Node ≥ 16, browsers and Web Workers all provide
 * (no Buffer, so the same code runs in every context the kernels load in).
 * @param b64 - standard base64 text.
 * @returns the decoded bytes.
 * @throws DOMException (InvalidCharacterError) on malformed input.
 * @example decodeBase64('AGFzbQ==') // => Uint8Array [0, 97, 115, 109]
 */
export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
