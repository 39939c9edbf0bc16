/**
 * The drift calls of an engine handle whose worker does not compute every
 * drift statistic (the sketch-only worker, the core engine worker): each
 * `prepare` goes to the core engine worker when its options need only the
 * core statistics (see `coreStatisticsSuffice`), to a full engine worker
 * otherwise, each started on first need. Every later call on a reference id
 * goes to the worker that prepared it: ids from two workers may be equal, so
 * the caller sees ids of its own, mapped here to (worker, id there). `size`
 * sums the workers started.
 */
import { KernelError } from '../errors.js';
import { coreStatisticsSuffice } from '../stats/drift/methods.js';
import { IdTable } from './id-table.js';
import type { Invoke } from './remote-api.js';

/**
 * The error for a drift reference id that is not held (never was, or released).
 *
 * @param id - the id the caller gave.
 * @returns a `KernelError`.
 * @example throw unknownDriftReference(42);
 */
export function unknownDriftReference(id: unknown): KernelError {
  return new KernelError(
    `drift reference ${String(id)}: expected a prepared reference id, got an unknown or released one`,
  );
}

/** An engine worker that may not have started yet. */
interface LazyEngineWorker {
  /** Whether it started (or is starting). */
  readonly started: boolean;
  /** Starts it on the first call; a failed start is tried again on the next. */
  invoke(): Promise<Invoke>;
}

function lazyWorker(start: () => Promise<Invoke>): LazyEngineWorker {
  let starting: Promise<Invoke> | undefined;
  return {
    get started() {
      return starting !== undefined;
    },
    invoke: () =>
      (starting ??= start().catch((error: unknown) => {
        starting = undefined;
        throw error;
      })),
  };
}

/**
 * Routes drift calls (`path` `['drift', call]`) to the core and the full engine worker.
 *
 * @param spawn - starts an engine worker beside the caller's and resolves with its `Invoke`.
 * @param core - the caller's own worker when it is the core engine worker; otherwise
 *   the core engine worker is started with `spawn` on first need.
 * @returns the drift calls' `Invoke`.
 * @example const drift = driftRouter(spawn, undefined); await drift(['drift', 'size'], []);
 */
export function driftRouter(
  spawn: (script: 'wasm-engine-core' | 'wasm-engine') => Promise<Invoke>,
  core: Invoke | undefined,
): Invoke {
  const workers = {
    core: core
      ? { started: true, invoke: () => Promise.resolve(core) }
      : lazyWorker(() => spawn('wasm-engine-core')),
    full: lazyWorker(() => spawn('wasm-engine')),
  };
  const refs = new IdTable<{ worker: LazyEngineWorker; id: number }>(unknownDriftReference);
  return async (path, args) => {
    const call = path[1];
    if (call === 'prepare') {
      const worker = coreStatisticsSuffice(args[1]) ? workers.core : workers.full;
      const prepared = (await (await worker.invoke())(path, args)) as { id: number };
      return { ...prepared, id: refs.add({ worker, id: prepared.id }) };
    }
    if (call === 'size') {
      let total = 0;
      for (const w of [workers.core, workers.full])
        if (w.started) total += (await (await w.invoke())(path, args)) as number;
      return total;
    }
    // Every other call names a reference id first; releasing one not held does nothing.
    const id = args[0] as number;
    const ref = call === 'release' ? refs.delete(id) : refs.get(id);
    if (ref === undefined) return undefined;
    return (await ref.worker.invoke())(path, [ref.id, ...args.slice(1)]);
  };
}
