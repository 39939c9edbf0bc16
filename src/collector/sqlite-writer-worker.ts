/**
 * The SQLite writer worker (see `sqlite-writer.ts`): opens its own connection
 * to the collector's file and runs each posted commit as one transaction, a
 * savepoint per request, answering in the order the commits came.
 */
import { parentPort, workerData } from 'node:worker_threads';
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

port.on('message', (msg: WriterRequest | { close: true }) => {
  if ('close' in msg) {
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    const results = db.addRows(unpackBatches(msg), msg.receivedMs).map((r) =>
      // A request's error travels as its message (an error object may not survive cloning).
      'error' in r
        ? { ok: false as const, error: (r.error as Error)?.message ?? String(r.error) }
        : r,
    );
    reply = { id: msg.id, results, lastSeq: db.lastSeq() };
  } catch (e) {
    reply = { id: msg.id, error: (e as Error).message };
  }
  port.postMessage(reply);
});
