/**
 * The SQLite writer worker (see `sqlite-writer.ts`): opens its own connection
 * to the collector's file and runs the posted commits in order; commits that
 * wait together share one transaction (a savepoint per request), and each is
 * answered once that transaction committed.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import {
  unpackBatches,
  type SqliteWriterOptions,
  type WriterReply,
  type WriterRequest,
} from './sqlite-writer.js';
import { WindowDb } from './window-db.js';

const data = workerData as SqliteWriterOptions & { path: string };
const port = parentPort!;
const db = new WindowDb(data.path, {
  synchronous: data.synchronous,
  remoteWriteQueue: data.remoteWriteQueue,
});

/** Most commits merged into one transaction. */
const MAX_MERGED = 256;

/**
 * Runs a posted commit together with every commit already waiting behind it
 * (group commit: one transaction, one fsync), then answers each in order.
 *
 * @returns whether a close request was among them.
 */
function commit(first: WriterRequest): boolean {
  const group = [first];
  let close = false;
  for (let m; group.length < MAX_MERGED && (m = receiveMessageOnPort(port));) {
    const msg = m.message as WriterRequest | { close: true };
    if ('close' in msg) {
      close = true;
      break;
    }
    group.push(msg);
  }
  const batches = group.map(unpackBatches);
  const receivedMs = group.flatMap((req, i) => batches[i]!.map(() => req.receivedMs));
  try {
    const results = db.addRows(batches.flat(), receivedMs).map((r) =>
      // A request's error travels as its message (an error object may not survive cloning).
      'error' in r
        ? { ok: false as const, error: (r.error as Error)?.message ?? String(r.error) }
        : r,
    );
    const lastSeq = db.lastSeq();
    let at = 0;
    for (const req of group) {
      const reply: WriterReply = {
        id: req.id,
        results: results.slice(at, at + req.counts.length),
        lastSeq,
      };
      at += req.counts.length;
      port.postMessage(reply);
    }
  } catch (e) {
    for (const req of group) port.postMessage({ id: req.id, error: (e as Error).message });
  }
  return close;
}

function closeDb(): void {
  db.close();
  port.close();
}

port.on('message', (msg: WriterRequest | { close: true }) => {
  if ('close' in msg) closeDb();
  else if (commit(msg)) closeDb();
});
