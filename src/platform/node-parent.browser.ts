/**
 * `node-parent.ts` as the published package resolves it outside Node
 * (browsers, Web Workers, bundlers without the `node` condition). A worker
 * there never asks for a `worker_threads` parent (it checks for Node first);
 * asked anyway, it rejects as the browser's Node built-in loader does.
 */
import type { Endpoint } from 'comlink';
import { importNodeBuiltin } from './node-builtins.browser.js';

/**
 * Rejects: there is no `worker_threads` parent in this environment.
 *
 * @returns never resolves.
 * @throws ConfigError always, as `importNodeBuiltin('node:worker_threads')` does here.
 * @example
 * await nodeParentEndpoint(); // ConfigError in a browser
 */
export function nodeParentEndpoint(): Promise<Endpoint> {
  return importNodeBuiltin('node:worker_threads') as Promise<never>;
}
