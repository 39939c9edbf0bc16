/**
 * The feature profile's compact, versioned byte form (sent base64 in
 * `WindowRecord.profiles`). Documented in docs/fleet.md. All floats little-endian
 * f64; varints are the sketch format's unsigned LEB128.
 *
 * | bytes | field |
 * | --- | --- |
 * | 1 | magic `0xE6` |
 * | 1 | version `1` |
 * | 1 | kind: `1` numeric, `2` categorical |
 * | varint, varint | missing, invalid |
 *
 * Numeric, then: f64 mean, f64 m2, and the sketch in its own format (rest of input).
 *
 * Categorical, then: varint total, varint capacity, varint absentBound, byte HLL
 * precision p, byte HLL mode (`0` dense: 2^p register bytes; `1` sparse: varint n, then
 * n × (varint index gap, byte rank)), varint entries, then per entry: varint UTF-8
 * length, the bytes, varint count, varint error.
 *
 * {@link decodeProfile} checks every field, every bound and the end of input, and
 * throws a {@link DataError} naming the byte and field on anything else.
 */
import { DataError, EdgewatchError } from '../errors.js';
import { bytesToBase64 } from '../window/base64.js';
import { MAX_SCALE } from '../kernel/kernel.js';
import { Reader, Writer, decodeSketch, encodeSketch } from '../kernel/sketch-format.js';
import { HLL_MAX_PRECISION, HLL_MIN_PRECISION } from './hyperloglog.js';
import type { CategoricalProfile, FeatureProfile, NumericProfile } from './profile-types.js';
import { PROFILE_MAX_TOPK } from './profile-options.js';
import type { TopKEntry } from './space-saving.js';

/** Magic first byte of a serialized profile. */
export const PROFILE_MAGIC = 0xe6;
/** Current profile format version. */
export const PROFILE_FORMAT_VERSION = 1;
/** Longest category name, in UTF-8 bytes. */
export const PROFILE_MAX_CATEGORY_BYTES = 256;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function corrupt(message: string): never {
  throw new DataError(`corrupt profile bytes: ${message}`);
}

/**
 * Writes a profile in the byte form above. O(size).
 * @param p - the profile.
 * @returns the bytes.
 * @throws KernelError / ConfigError when the sketch inside is inconsistent.
 * @example decodeProfile(encodeProfile(p)) // => p (sketch sides trimmed)
 */
export function encodeProfile(p: FeatureProfile): Uint8Array {
  const w = new Writer();
  w.byte(PROFILE_MAGIC);
  w.byte(PROFILE_FORMAT_VERSION);
  w.byte(p.kind === 'numeric' ? 1 : 2);
  w.varint(p.missing);
  w.varint(p.invalid);
  if (p.kind === 'numeric') {
    w.f64(p.mean);
    w.f64(p.m2);
    w.raw(encodeSketch(p.sketch));
    return w.result();
  }
  const t = p.topK;
  w.varint(t.total);
  w.varint(t.capacity);
  w.varint(t.absentBound);
  w.byte(p.hllPrecision);
  let nonZero = 0;
  for (const r of p.hll) if (r !== 0) nonZero++;
  if (nonZero * 3 < p.hll.length) {
    w.byte(1);
    w.varint(nonZero);
    let last = -1;
    p.hll.forEach((r, i) => {
      if (r === 0) return;
      w.varint(i - last - 1);
      w.byte(r);
      last = i;
    });
  } else {
    w.byte(0);
    w.raw(p.hll);
  }
  w.varint(t.entries.length);
  for (const e of t.entries) {
    const b = utf8.encode(e.item);
    w.varint(b.length);
    w.raw(b);
    w.varint(e.count);
    w.varint(e.error);
  }
  return w.result();
}

function decodeNumeric(r: Reader, missing: number, invalid: number): NumericProfile {
  const mean = r.f64('mean');
  const m2 = r.f64('m2');
  let sketch;
  try {
    const { version: _v, ...rest } = decodeSketch(r.bytes.subarray(r.pos));
    sketch = rest;
  } catch (e) {
    if (e instanceof EdgewatchError) corrupt(`sketch at byte ${r.pos}: ${e.message}`);
    throw e;
  }
  if (!Number.isFinite(mean) || !Number.isFinite(m2) || m2 < 0)
    corrupt(`expected finite mean and m2 >= 0, got ${mean}, ${m2}`);
  if (sketch.count === 0 && (mean !== 0 || m2 !== 0))
    corrupt(`expected mean = m2 = 0 without values, got ${mean}, ${m2}`);
  if (sketch.count > 0) {
    const slack = 1e-9 * Math.max(Math.abs(sketch.min), Math.abs(sketch.max));
    if (mean < sketch.min - slack || mean > sketch.max + slack)
      corrupt(
        `expected mean within [min, max], got ${mean} outside [${sketch.min}, ${sketch.max}]`,
      );
  }
  if (sketch.scale > MAX_SCALE) corrupt(`expected scale <= ${MAX_SCALE}`);
  return { kind: 'numeric', sketch, missing, invalid, mean, m2 };
}

function decodeHll(r: Reader, p: number): Uint8Array {
  const m = 1 << p;
  const maxRank = 32 - p + 1;
  const mode = r.byte('HLL mode');
  let hll: Uint8Array;
  if (mode === 0) hll = r.take(m, 'HLL registers').slice();
  else if (mode === 1) {
    hll = new Uint8Array(m);
    const n = r.varint('HLL register count');
    if (n > m) corrupt(`expected at most ${m} sparse registers, got ${n}`);
    let i = -1;
    for (let k = 0; k < n; k++) {
      i += r.varint('HLL index gap') + 1;
      if (i >= m) corrupt(`expected HLL index < ${m}, got ${i}`);
      const rank = r.byte('HLL rank');
      if (rank === 0) corrupt(`expected a non-zero sparse HLL rank at index ${i}`);
      hll[i] = rank;
    }
  } else return corrupt(`expected HLL mode 0 or 1, got ${mode}`);
  for (let i = 0; i < m; i++)
    if ((hll[i] as number) > maxRank)
      corrupt(`expected HLL ranks <= ${maxRank}, got ${hll[i]} at register ${i}`);
  return hll;
}

function decodeCategorical(r: Reader, missing: number, invalid: number): CategoricalProfile {
  const total = r.varint('total');
  const capacity = r.varint('capacity');
  if (capacity < 1 || capacity > PROFILE_MAX_TOPK)
    corrupt(`expected capacity in [1, ${PROFILE_MAX_TOPK}], got ${capacity}`);
  const absentBound = r.varint('absentBound');
  if (absentBound > total) corrupt(`expected absentBound <= total ${total}, got ${absentBound}`);
  const p = r.byte('HLL precision');
  if (p < HLL_MIN_PRECISION || p > HLL_MAX_PRECISION)
    corrupt(`expected HLL precision in [${HLL_MIN_PRECISION}, ${HLL_MAX_PRECISION}], got ${p}`);
  const hll = decodeHll(r, p);
  const n = r.varint('entry count');
  if (n > capacity) corrupt(`expected at most ${capacity} entries, got ${n}`);
  const entries: TopKEntry[] = [];
  const seen = new Set<string>();
  let lowerSum = 0;
  for (let k = 0; k < n; k++) {
    const len = r.varint('category length');
    if (len > PROFILE_MAX_CATEGORY_BYTES)
      corrupt(`expected a category of at most ${PROFILE_MAX_CATEGORY_BYTES} bytes, got ${len}`);
    let item: string;
    try {
      item = utf8Strict.decode(r.take(len, 'category'));
    } catch (e) {
      if (e instanceof DataError) throw e;
      return corrupt(`expected UTF-8 category text before byte ${r.pos}`);
    }
    if (seen.has(item)) corrupt(`expected distinct categories, got ${JSON.stringify(item)} twice`);
    seen.add(item);
    const count = r.varint('count');
    const error = r.varint('error');
    if (count < 1 || count > total || error > count)
      corrupt(
        `expected 1 <= count <= total and error <= count for entry ${k}, got ${count}, ${error}`,
      );
    lowerSum += count - error;
    entries.push({ item, count, error });
  }
  if (lowerSum > total) corrupt(`expected entry lower bounds to sum to <= total ${total}`);
  entries.sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  if (r.left !== 0) corrupt(`expected end of input at byte ${r.pos}, got ${r.left} trailing bytes`);
  return {
    kind: 'categorical',
    topK: { capacity, total, absentBound, entries },
    hllPrecision: p,
    hll,
    missing,
    invalid,
  };
}

/**
 * Reads a serialized profile. O(bytes).
 * @param bytes - output of {@link encodeProfile}.
 * @returns the profile.
 * @throws DataError (code 'DATA') naming the byte and field for corrupt, truncated,
 *   inconsistent or unknown-version input.
 * @example decodeProfile(encodeProfile(p)).kind // => p.kind
 */
export function decodeProfile(bytes: Uint8Array): FeatureProfile {
  if (!(bytes instanceof Uint8Array)) corrupt(`expected a Uint8Array, got ${typeof bytes}`);
  const r = new Reader(bytes, corrupt);
  const magic = r.byte('magic');
  if (magic !== PROFILE_MAGIC)
    corrupt(`expected magic 0xe6 at byte 0, got 0x${magic.toString(16)}`);
  const version = r.byte('version');
  if (version !== PROFILE_FORMAT_VERSION)
    corrupt(`expected version ${PROFILE_FORMAT_VERSION}, got ${version}`);
  const kind = r.byte('kind');
  const missing = r.varint('missing');
  const invalid = r.varint('invalid');
  if (kind === 1) return decodeNumeric(r, missing, invalid);
  if (kind === 2) return decodeCategorical(r, missing, invalid);
  return corrupt(`expected kind 1 (numeric) or 2 (categorical), got ${kind}`);
}

/**
 * Profiles in the form `WindowRecord.profiles` and the reference upload carry them.
 * @param profiles - feature → profile.
 * @returns feature → base64 of {@link encodeProfile}.
 * @example profilesToWire({ speed: p }).speed // => '5gEB…'
 */
export function profilesToWire(
  profiles: Readonly<Record<string, FeatureProfile>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [feature, p] of Object.entries(profiles))
    out[feature] = bytesToBase64(encodeProfile(p));
  return out;
}
