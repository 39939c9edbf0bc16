/**
 * Snapshots of the collector's aggregates, so that a restart replays only the
 * windows stored after the last snapshot instead of every stored window.
 *
 * A snapshot is the aggregator's state (see `AggregatorState`) plus the ingest
 * sequence number it covers, serialized with `node:v8` (maps, sets and typed
 * arrays as they are) and written as one row in the same SQLite database, in
 * one transaction: a `kill -9` leaves either the previous snapshot or the new
 * one, each consistent with its sequence number, so no window is folded twice
 * or missed. A snapshot is a cache of what the windows already say: one that
 * cannot be read (another format, other label caps, a corrupt row) is ignored
 * and every stored window is replayed.
 *
 * SQLite only: with a shared (PostgreSQL) store every collector folds the
 * whole fleet's ingest log itself.
 */
import { deserialize, serialize } from 'node:v8';
import type { AggregatorState, FleetAggregator } from './fleet-aggregator.js';

/** Version of the snapshot body; a snapshot of another version is ignored. */
export const SNAPSHOT_FORMAT = 1;

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

/**
 * Serializes the aggregates.
 *
 * @param agg - the aggregator.
 * @param tally - the counts that go with it.
 * @returns the snapshot's bytes.
 */
export function encodeSnapshot(agg: FleetAggregator, tally: SnapshotTally): Uint8Array {
  const body: SnapshotBody = { format: SNAPSHOT_FORMAT, aggregator: agg.exportState(), ...tally };
  return serialize(body);
}

/**
 * Loads a snapshot into an aggregator.
 *
 * @param agg - a fresh aggregator (its reference profiles are kept).
 * @param bytes - from {@link encodeSnapshot}.
 * @returns the counts stored with it.
 * @throws Error when the snapshot is of another format, taken with other limits, or corrupt
 *   (the aggregator is then unchanged).
 */
export function restoreSnapshot(agg: FleetAggregator, bytes: Uint8Array): SnapshotTally {
  const body = deserialize(bytes) as Partial<SnapshotBody> | null;
  if (body?.format !== SNAPSHOT_FORMAT || body.aggregator === undefined)
    throw new Error(`expected snapshot format ${SNAPSHOT_FORMAT}, got ${String(body?.format)}`);
  agg.importState(body.aggregator);
  return { windows: body.windows ?? 0, invalid: body.invalid ?? 0 };
}
