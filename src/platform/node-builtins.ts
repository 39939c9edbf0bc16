/**
 * The one place that loads Node built-in modules (`worker_threads` for the
 * engine worker, `http` for `serveMetrics`, `fs/promises` for the file store).
 *
 * From the sources (tests, the demo's dev server) the specifier is computed so
 * that a browser bundler never tries to resolve a Node builtin. The published
 * package replaces this module through the `#node-builtins` import condition
 * (scripts/build.mjs): under the `node` condition a copy with literal
 * `import('node:…')` calls, everywhere else `node-builtins.browser.ts`, which
 * throws. So a browser bundle never meets a Node builtin or a variable
 * `import()` (webpack would warn "Critical dependency" about it).
 */
import type * as NodeFsPromises from 'node:fs/promises';
import type * as NodeHttp from 'node:http';
import type * as NodeWorkerThreads from 'node:worker_threads';

/** The Node built-in modules edgewatch uses, by specifier. */
export interface NodeBuiltins {
  'node:worker_threads': typeof NodeWorkerThreads;
  'node:http': typeof NodeHttp;
  'node:fs/promises': typeof NodeFsPromises;
}

/** The specifiers {@link importNodeBuiltin} accepts. */
export type NodeBuiltinName = keyof NodeBuiltins;

/**
 * Loads a Node built-in module.
 *
 * @param name - the `node:` specifier.
 * @returns the module namespace.
 * @throws ConfigError in the published package's browser build, where Node
 *   built-ins do not exist.
 * @example
 * const http = await importNodeBuiltin('node:http');
 */
export async function importNodeBuiltin<K extends NodeBuiltinName>(
  name: K,
): Promise<NodeBuiltins[K]> {
  const specifier: string = name;
  return (await import(/* @vite-ignore */ specifier)) as NodeBuiltins[K];
}
