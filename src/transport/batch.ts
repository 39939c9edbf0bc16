/**
 * Batching: packs outbox entries, in order, into request bodies of at most
 * `maxBytes` (60 KiB by default, so that a `keepalive` send — capped at 64 KiB
 * in flight per page — always fits), and derives the batch's Idempotency-Key.
 */
import type { OutboxEntry } from '../storage/backend.js';

/** Default batch cap in bytes. */
export const DEFAULT_MAX_BATCH_BYTES = 60 * 1024;

const enc = new TextEncoder();

/**
 * The request body for a batch: `{"windows":[…]}`.
 *
 * @param entries - outbox entries.
 * @returns the JSON text.
 */
export function batchBody(entries: readonly OutboxEntry[]): string {
  return `{"windows":[${entries.map((e) => JSON.stringify(e.record)).join(',')}]}`;
}

/** Bytes of `{"windows":[` + `]}`. */
const OVERHEAD = enc.encode('{"windows":[]}').length;

/**
 * Takes the longest prefix of `entries` whose body fits `maxBytes`. A single
 * entry larger than `maxBytes` is returned alone (it is sent without keepalive).
 *
 * @param entries - outbox entries in order.
 * @param maxBytes - body cap.
 * @returns the prefix (at least one entry when `entries` is not empty).
 * Cost: O(prefix length).
 */
export function takeBatch(
  entries: readonly OutboxEntry[],
  maxBytes = DEFAULT_MAX_BATCH_BYTES,
): OutboxEntry[] {
  const out: OutboxEntry[] = [];
  let size = OVERHEAD;
  for (const e of entries) {
    const add = e.bytes + (out.length > 0 ? 1 : 0);
    if (out.length > 0 && size + add > maxBytes) break;
    out.push(e);
    size += add;
  }
  return out;
}

/**
 * A stable Idempotency-Key for a batch: FNV-1a (64-bit) of its window ids, so
 * a resend of the same windows carries the same key.
 *
 * @param windowIds - the batch's window ids, in order.
 * @returns 16 hex digits.
 * @example
 * batchKey(['a', 'b']) === batchKey(['a', 'b']); // => true
 */
export function batchKey(windowIds: readonly string[]): string {
  let h = 0xcbf29ce484222325n;
  const p = 0x100000001b3n;
  for (const byte of enc.encode(windowIds.join('\n'))) {
    h ^= BigInt(byte);
    h = (h * p) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
