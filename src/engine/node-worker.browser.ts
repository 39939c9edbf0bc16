/**
 * `node-worker.ts` as the published package resolves it outside Node
 * (browsers, Web Workers, bundlers without the `node` condition; see the
 * `#node-worker` import of dist/package.json): a page never starts a
 * `worker_threads` worker (`spawnEngineWorker` checks for Node first), so it
 * carries neither that code nor Comlink's node adapter. Asked anyway, it rejects.
 */
import { KernelError } from '../errors.js';
import type { RawWorker } from './worker-spawn.js';

/**
 * Rejects: there are no `worker_threads` here.
 *
 * @returns never resolves.
 * @throws KernelError always.
 * @example await nodeWorker(); // KernelError in a browser
 */
export function nodeWorker(): Promise<RawWorker> {
  return Promise.reject(
    new KernelError('expected Node.js to start a worker_threads worker, got a browser build of edgewatch'),
  );
}
