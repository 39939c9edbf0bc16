/**
 * How an edgewatch worker script reaches its caller under Node: the
 * `worker_threads` parent port, through Comlink's node adapter. The published
 * package resolves this file through the `#node-parent` import condition:
 * Node gets it, browsers and Web Workers get node-parent.browser.ts, so a
 * browser worker carries neither the node adapter nor the Node built-in loader.
 */
import type { Endpoint } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { importNodeBuiltin } from './node-builtins.js';

/**
 * The parent port of a `worker_threads` worker as a Comlink endpoint.
 *
 * @returns the endpoint.
 * @throws Error when not running as a worker.
 * @example
 * listen(await nodeParentEndpoint()); // inside a worker_threads worker
 */
export async function nodeParentEndpoint(): Promise<Endpoint> {
  const threads = await importNodeBuiltin('node:worker_threads');
  if (threads.parentPort === null)
    throw new Error('an edgewatch worker script must run as a worker');
  return nodeEndpoint(threads.parentPort as unknown as Parameters<typeof nodeEndpoint>[0]);
}
