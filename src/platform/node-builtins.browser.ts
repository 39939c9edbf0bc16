/**
 * `node-builtins.ts` as the published package resolves it outside Node
 * (browsers, Web Workers, bundlers without the `node` condition): there are no
 * Node built-ins, so asking for one is a configuration error with a clear message.
 */
import { ConfigError } from '../errors.js';
import type { NodeBuiltinName, NodeBuiltins } from './node-builtins.js';

/**
 * Rejects: Node built-ins are not available in this environment.
 *
 * @param name - the `node:` specifier asked for.
 * @returns never resolves.
 * @throws ConfigError always, naming the module.
 * @example
 * await importNodeBuiltin('node:http'); // ConfigError in a browser
 */
export function importNodeBuiltin<K extends NodeBuiltinName>(name: K): Promise<NodeBuiltins[K]> {
  return Promise.reject(
    new ConfigError(
      `expected a Node.js runtime for ${name}, got a browser build of edgewatch (the feature that needs it runs in Node only)`,
    ),
  );
}
