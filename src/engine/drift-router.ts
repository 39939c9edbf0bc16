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
export interface LazyEngineWorker {
  /** Whether it started (or is starting). */
  readonly started: boolean;
  /** Starts it on the first call; a failed start is tried again on the next. */
  invoke(): Promise<Invoke>;
}

/**
 * Routes drift calls (`path` `['drift', call]`) to two engine workers.
 *
 * @param core - the worker with the core drift statistics.
 * @param full - the worker with every drift statistic and calibration.
 * @returns the drift calls' `Invoke`.
 * @example const drift = driftRouter(core, full); await drift(['drift', 'size'], []);
 */
export function driftRouter(core: LazyEngineWorker, full: LazyEngineWorker): Invoke {
  const refs = new IdTable<{ worker: LazyEngineWorker; id: number }>(unknownDriftReference);
  return async (path, args) => {
    const call = path[1];
    if (call === 'prepare') {
      const worker = coreStatisticsSuffice(args[1]) ? core : full;
      const prepared = (await (await worker.invoke())(path, args)) as { id: number };
      return { ...prepared, id: refs.add({ worker, id: prepared.id }) };
    }
    if (call === 'size') {
      let total = 0;
      for (const w of [core, full])
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
