/**
 * Snapshots of the collector's aggregates, so that a restart replays only the
 * windows stored after the last snapshot instead of every stored window.
 *
 * A snapshot is the aggregator's state (see `AggregatorState`) plus the ingest
 * sequence number it covers, serialized with `node:v8` (maps, sets and typed
 * arrays as they are) container by container, so that the serializer can yield
 * to the event loop between slices (see {@link encodeSnapshotSliced}), and
 * written as one row in the same SQLite database, in
 * one transaction: a `kill -9` leaves either the previous snapshot or the new
 * one, each consistent with its sequence number, so no window is folded twice
 * or missed. A snapshot is a cache of what the windows already say: one that
 * cannot be read (another format, other label caps, a corrupt row) is ignored
 * and every stored window is replayed.
 *
 * SQLite only: with a shared (PostgreSQL) store every collector folds the
 * whole fleet's ingest log itself.
 */
import { DefaultDeserializer, DefaultSerializer } from 'node:v8';
import type { AggregatorState, FleetAggregator } from './fleet-aggregator.js';

/** Version of the snapshot body; a snapshot of another version is ignored. */
export const SNAPSHOT_FORMAT = 2;
/** The previous body (one `v8.serialize` call), still read. */
const SNAPSHOT_FORMAT_WHOLE = 1;
/** Longest a slice of {@link encodeSnapshotSliced} runs before it yields, ms. */
export const SNAPSHOT_SLICE_MS = 8;

/** What a snapshot holds besides the aggregates. */
export interface SnapshotTally {
  /** Windows folded (the collector's `stats().windows`). */
  windows: number;
  /** Stored rows skipped because they no longer pass the schema. */
  invalid: number;
}

interface SnapshotBody extends SnapshotTally {
  format: number;
  aggregator: AggregatorState;
}

// Node tags of the body: a leaf value written whole, or a container written entry by entry.
const LEAF = 0;
const MAP = 1;
const ARRAY = 2;
const OBJECT = 3;
/** Containers nest at most this deep; deeper ones are leaves. */
const MAX_DEPTH = 16;
/** A value that weighs at most this much (see `weight`) is written whole, as one leaf. */
const LEAF_WEIGHT = 4096;

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * A rough cost of serializing `v` (1 per value, 1 per 64 bytes of a typed
 * array), counted only until it passes `budget`.
 */
function weight(v: unknown, budget: number): number {
  if (v === null || typeof v !== 'object') return 1;
  if (ArrayBuffer.isView(v)) return 1 + (v.byteLength >> 6);
  let w = 1;
  const entries: Iterable<unknown> =
    v instanceof Map
      ? v.values()
      : Array.isArray(v) || v instanceof Set
        ? v
        : isPlain(v)
          ? Object.values(v)
          : [];
  for (const x of entries) {
    w += weight(x, budget - w);
    if (w > budget) break;
  }
  return w;
}

function isLeaf(v: unknown, depth: number): boolean {
  if (depth >= MAX_DEPTH || !(v instanceof Map || Array.isArray(v) || isPlain(v))) return true;
  return weight(v, LEAF_WEIGHT) <= LEAF_WEIGHT;
}

/**
 * Writes `v` as a tree: maps, arrays and plain objects entry by entry (small
 * ones of scalars whole), everything else whole. Yields after each entry.
 */
function* writeNode(s: DefaultSerializer, v: unknown, depth: number): Generator<void> {
  if (isLeaf(v, depth)) {
    s.writeValue(LEAF);
    s.writeValue(v);
    return;
  }
  if (v instanceof Map) {
    s.writeValue(MAP);
    s.writeValue(v.size);
    for (const [k, x] of v) {
      s.writeValue(k);
      yield* writeNode(s, x, depth + 1);
      yield;
    }
  } else if (Array.isArray(v)) {
    s.writeValue(ARRAY);
    s.writeValue(v.length);
    for (const x of v) {
      yield* writeNode(s, x, depth + 1);
      yield;
    }
  } else {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    s.writeValue(OBJECT);
    s.writeValue(keys.length);
    for (const k of keys) {
      s.writeValue(k);
      yield* writeNode(s, o[k], depth + 1);
    }
  }
}

function readNode(d: DefaultDeserializer, depth: number): unknown {
  const tag = d.readValue() as unknown;
  if (tag === LEAF) return d.readValue() as unknown;
  if (depth >= MAX_DEPTH) throw new Error('snapshot nested too deep');
  const n = d.readValue() as unknown;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new Error(`corrupt snapshot: entry count ${String(n)}`);
  if (tag === MAP) {
    const m = new Map<unknown, unknown>();
    for (let i = 0; i < n; i++) m.set(d.readValue(), readNode(d, depth + 1));
    return m;
  }
  if (tag === ARRAY) {
    const a: unknown[] = [];
    for (let i = 0; i < n; i++) a.push(readNode(d, depth + 1));
    return a;
  }
  if (tag === OBJECT) {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = d.readValue() as unknown;
      if (typeof k !== 'string' || k === '__proto__')
        throw new Error(`corrupt snapshot: key ${String(k)}`);
      o[k] = readNode(d, depth + 1);
    }
    return o;
  }
  throw new Error(`corrupt snapshot: tag ${String(tag)}`);
}

function* writeBody(
  s: DefaultSerializer,
  agg: FleetAggregator,
  tally: SnapshotTally,
): Generator<void> {
  s.writeHeader();
  s.writeValue(SNAPSHOT_FORMAT);
  s.writeValue(tally.windows);
  s.writeValue(tally.invalid);
  yield* writeNode(s, agg.exportState(), 0);
}

/**
 * Serializes the aggregates in one go.
 *
 * @param agg - the aggregator.
 * @param tally - the counts that go with it.
 * @returns the snapshot's bytes.
 */
export function encodeSnapshot(agg: FleetAggregator, tally: SnapshotTally): Uint8Array {
  const s = new DefaultSerializer();
  for (const _ of writeBody(s, agg, tally));
  return s.releaseBuffer();
}

/**
 * Serializes the aggregates in slices of at most about `sliceMs`, yielding to
 * the event loop in between (requests are served meanwhile). The aggregator
 * must not fold anything until the promise settles: the caller holds new
 * windows back meanwhile, so the bytes are those of one instant.
 *
 * @param agg - the aggregator.
 * @param tally - the counts that go with it.
 * @param sliceMs - longest slice, ms. Default {@link SNAPSHOT_SLICE_MS}.
 * @returns the same bytes as {@link encodeSnapshot}.
 */
export async function encodeSnapshotSliced(
  agg: FleetAggregator,
  tally: SnapshotTally,
  sliceMs = SNAPSHOT_SLICE_MS,
): Promise<Uint8Array> {
  const s = new DefaultSerializer();
  let start = performance.now();
  for (const _ of writeBody(s, agg, tally)) {
    if (performance.now() - start < sliceMs) continue;
    await new Promise((r) => setImmediate(r));
    start = performance.now();
  }
  return s.releaseBuffer();
}

/**
 * Loads a snapshot into an aggregator.
 *
 * @param agg - a fresh aggregator (its reference profiles are kept).
 * @param bytes - from {@link encodeSnapshot} (or a format-1 body of an earlier version).
 * @returns the counts stored with it.
 * @throws Error when the snapshot is of another format, taken with other limits, or corrupt
 *   (the aggregator is then unchanged).
 */
export function restoreSnapshot(agg: FleetAggregator, bytes: Uint8Array): SnapshotTally {
  const d = new DefaultDeserializer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  d.readHeader();
  const first = d.readValue() as unknown;
  if (first === SNAPSHOT_FORMAT) {
    const windows = d.readValue() as unknown;
    const invalid = d.readValue() as unknown;
    if (typeof windows !== 'number' || typeof invalid !== 'number')
      throw new Error('corrupt snapshot: counts');
    agg.importState(readNode(d, 0) as AggregatorState);
    return { windows, invalid };
  }
  const body = (isPlain(first) ? first : null) as Partial<SnapshotBody> | null;
  if (body?.format !== SNAPSHOT_FORMAT_WHOLE || body.aggregator === undefined)
    throw new Error(
      `expected snapshot format ${SNAPSHOT_FORMAT}, got ${String(body ? body.format : first)}`,
    );
  agg.importState(body.aggregator);
  return { windows: body.windows ?? 0, invalid: body.invalid ?? 0 };
}
