/**
 * Parsing and validation of an ingest request body: `{ "windows": [...] }` or a
 * single window object. The nesting depth is checked on the raw text before
 * `JSON.parse`; every window must pass the strict schema (finite numbers in
 * their domains, no unknown fields) and every sketch must decode with its
 * invariants (count = Σ buckets + zeros, finite sum, min and max), and so must
 * every feature profile (its byte form checked field by field); otherwise the
 * whole request is refused (nothing stored) with the list of problems. Window
 * ids are normalised to lower case, so one window has one id.
 */
import { decodeSketch, type DecodedSketch } from '../kernel/sketch-format.js';
import { decodeProfile } from '../profile/profile-format.js';
import type { FeatureProfile } from '../profile/profile-types.js';
import { base64ToBytes } from '../window/base64.js';
import { validateWindowRecord, type WindowRecord } from '../window/window-record.js';

/** A refused request: HTTP status, message and details. */
export interface IngestError {
  status: 400 | 422;
  error: string;
  details?: string[];
}

/** Deepest nesting of arrays and objects a body may have (a window needs 4; predictions carry a little more). */
export const MAX_JSON_DEPTH = 32;

/**
 * The nesting depth of JSON text, scanned without parsing (strings skipped), stopping early past `limit`.
 *
 * @param text - JSON text (possibly malformed).
 * @param limit - depth beyond which the scan stops.
 * @returns the deepest nesting seen (at most `limit + 1`).
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = stringEnd(text, i);
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Where the string opened by the quote at `open` ends: its closing quote (one
 * not escaped, i.e. preceded by an even run of backslashes), found with
 * `indexOf` rather than char by char (a body is mostly long base64 strings).
 *
 * @returns the index of the closing quote; `text.length` when there is none.
 */
function stringEnd(text: string, open: number): number {
  for (let q = text.indexOf('"', open + 1); q !== -1; q = text.indexOf('"', q + 1)) {
    let k = q - 1;
    while (text.charCodeAt(k) === 0x5c) k--;
    if ((q - 1 - k) % 2 === 0) return q;
  }
  return text.length;
}

/** A window's sketches and profiles as decoded when it was validated, so the aggregates need not decode them again. */
export interface DecodedWindow {
  /** Sketch name → its bytes and their decoded content. */
  sketches: Map<string, { bytes: Uint8Array; sketch: DecodedSketch }>;
  /** Feature → decoded profile. */
  profiles: Map<string, FeatureProfile>;
  /** The window's JSON text as received (stored as is), when it could be cut out of the body. */
  json?: string;
}

const decodedWindows = new WeakMap<WindowRecord, DecodedWindow>();

/**
 * What {@link parseIngestBody} decoded of a window it accepted.
 *
 * @param rec - a window returned by {@link parseIngestBody} (the same object).
 * @returns its decoded sketches and profiles; undefined for a window from elsewhere (a stored row).
 */
export function decodedOf(rec: WindowRecord): DecodedWindow | undefined {
  return decodedWindows.get(rec);
}

function profileProblem(b64: string, into: DecodedWindow, name: string): string | undefined {
  try {
    into.profiles.set(name, decodeProfile(base64ToBytes(b64)));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function sketchProblem(b64: string, into: DecodedWindow, name: string): string | undefined {
  try {
    const bytes = base64ToBytes(b64);
    const d = decodeSketch(bytes);
    if (!Number.isFinite(d.sum)) return `expected a finite sum, got ${d.sum}`;
    into.sketches.set(name, { bytes, sketch: d });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** JSON whitespace: space, tab, line feed, carriage return. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The end of `text.slice(0, end)` with trailing whitespace left out. */
function trimmedEnd(text: string, end: number): number {
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * Where each window's JSON text lies in a body that parsed (scanned, not parsed
 * again): the elements of the top-level `"windows"` array, or the whole body
 * when it is one window.
 *
 * @param text - the body, valid JSON.
 * @param single - the body is one window rather than `{ "windows": [...] }`.
 * @returns [start, end) per window; undefined when the layout is not the plain one
 *   (e.g. `"windows"` spelled with escapes or given twice).
 */
function windowSpans(text: string, single: boolean): [number, number][] | undefined {
  if (single) return [[skipSpace(text, 0), trimmedEnd(text, text.length)]];
  let depth = 0;
  let spans: [number, number][] | undefined;
  let found = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      i = stringEnd(text, i);
      if (depth !== 1 || i - start !== 8 || !text.startsWith('"windows"', start)) continue;
      const colon = skipSpace(text, i + 1);
      if (text.charCodeAt(colon) !== 0x3a) continue;
      const open = skipSpace(text, colon + 1);
      if (text.charCodeAt(open) !== 0x5b || ++found > 1) return undefined;
      spans = [];
      let elementStart = skipSpace(text, open + 1);
      let d = 0;
      for (let j = open + 1; j < text.length; j++) {
        const x = text.charCodeAt(j);
        if (x === 0x22) j = stringEnd(text, j);
        else if (x === 0x7b || x === 0x5b) d++;
        else if (x === 0x7d || x === 0x5d) {
          if (d === 0) {
            if (j > elementStart) spans.push([elementStart, trimmedEnd(text, j)]);
            i = j;
            break;
          }
          d--;
        } else if (x === 0x2c && d === 0) {
          spans.push([elementStart, trimmedEnd(text, j)]);
          elementStart = skipSpace(text, j + 1);
        }
      }
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return spans;
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
):
  | {
      /** The validated windows, in body order. */
      windows: WindowRecord[];
    }
  | IngestError {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return { status: 400, error: `expected JSON nested at most ${MAX_JSON_DEPTH} deep` };
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
  const decoded: DecodedWindow[] = [];
  list.forEach((w, i) => {
    const errs = validateWindowRecord(w);
    for (const e of errs.slice(0, 20)) details.push(`windows[${i}].${e}`);
    if (errs.length === 0) {
      const d: DecodedWindow = { sketches: new Map(), profiles: new Map() };
      decoded.push(d);
      for (const [name, b64] of Object.entries((w as WindowRecord).sketches)) {
        const problem = sketchProblem(b64, d, name);
        if (problem) details.push(`windows[${i}].sketches.${name}: corrupt sketch (${problem})`);
      }
      for (const [name, b64] of Object.entries((w as WindowRecord).profiles ?? {})) {
        const problem = profileProblem(b64, d, name);
        if (problem) details.push(`windows[${i}].profiles.${name}: ${problem}`);
      }
    }
  });
  if (details.length > 0)
    return {
      status: 422,
      error: 'invalid window(s); nothing stored',
      details: details.slice(0, 100),
    };
  const windows = list as WindowRecord[];
  const spans = windowSpans(text, list[0] === body);
  const exact = spans?.length === windows.length;
  windows.forEach((w, i) => {
    const d = decoded[i]!;
    const id = w.windowId.toLowerCase();
    // The received text is stored as is, unless the id had to be normalised.
    if (exact && id === w.windowId) d.json = text.slice(spans[i]![0], spans[i]![1]);
    w.windowId = id;
    decodedWindows.set(w, d);
  });
  return { windows };
}
