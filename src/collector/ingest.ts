/**
 * Parsing and validation of an ingest request body: `{ "windows": [...] }` or a
 * single window object. Every window must pass the schema and every sketch
 * must decode; otherwise the whole request is refused (nothing stored) with
 * the list of problems.
 */
import { decodeSketch } from '../kernel/sketch-format.js';
import { base64ToBytes } from '../window/base64.js';
import { validateWindowRecord, type WindowRecord } from '../window/window-record.js';

/** A refused request: HTTP status, message and details. */
export interface IngestError {
  status: 400 | 422;
  error: string;
  details?: string[];
}

/**
 * Parses and validates a request body.
 *
 * @param text - the body (UTF-8 text).
 * @param maxWindows - most windows per request.
 * @returns the windows, or why they were refused.
 */
export function parseIngestBody(
  text: string,
  maxWindows: number,
): { windows: WindowRecord[] } | IngestError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { status: 400, error: `malformed JSON: ${(e as Error).message}` };
  }
  let list: unknown[];
  if (Array.isArray((body as { windows?: unknown })?.windows))
    list = (body as { windows: unknown[] }).windows;
  else if (typeof body === 'object' && body !== null && 'windowId' in body) list = [body];
  else
    return { status: 422, error: 'expected { "windows": [WindowRecord, …] } or one WindowRecord' };
  if (list.length === 0) return { status: 422, error: 'expected at least one window, got none' };
  if (list.length > maxWindows)
    return {
      status: 422,
      error: `expected at most ${maxWindows} windows per request, got ${list.length}`,
    };
  const details: string[] = [];
  list.forEach((w, i) => {
    const errs = validateWindowRecord(w);
    for (const e of errs.slice(0, 20)) details.push(`windows[${i}].${e}`);
    if (errs.length === 0) {
      for (const [name, b64] of Object.entries((w as WindowRecord).sketches)) {
        try {
          decodeSketch(base64ToBytes(b64));
        } catch (e) {
          details.push(`windows[${i}].sketches.${name}: corrupt sketch (${(e as Error).message})`);
        }
      }
    }
  });
  if (details.length > 0)
    return {
      status: 422,
      error: 'invalid window(s); nothing stored',
      details: details.slice(0, 100),
    };
  return { windows: list as WindowRecord[] };
}
