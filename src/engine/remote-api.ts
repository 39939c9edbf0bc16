/**
 * The `api` object of an engine handle: one awaited surface for every mode.
 *
 * In worker mode calls go through a Comlink remote; in-process they call the
 * {@link Engine} directly but still return Promises (so `.then`/`.catch` and
 * rejections behave the same everywhere). A guard in front of both rejects
 * calls after `close()` with `KernelError('ENGINE_CLOSED')` and settles calls
 * still in flight when the engine goes away (a terminated worker never answers).
 */
import { ConfigError, KernelError } from '../errors.js';

/**
 * The awaited view of an object reached across a boundary: every method
 * returns a Promise, nested service objects (`api.sketches`, `api.drift`) are
 * mapped the same way, plain fields are left out. (Comlink's own `Remote<T>`
 * types nested objects as `Promise<T>`, which does not describe path calls
 * such as `api.sketches.record(…)`.)
 */
export type AsyncApi<T> = {
  readonly [
    K in keyof T as T[K] extends (...args: never[]) => unknown ? K : T[K] extends object ? K : never
  ]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : AsyncApi<T[K]>;
};

/** Performs one call: `path` is the property chain, e.g. `['sketches', 'record']`. */
export type Invoke = (path: readonly string[], args: unknown[]) => Promise<unknown>;

/**
 * Tracks calls in flight so that closing the engine rejects them instead of
 * leaving them pending forever.
 */
export class CallGuard {
  private closedReason: Error | undefined;
  private readonly pending = new Set<(error: Error) => void>();

  /** Whether the guard refuses new calls. */
  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /**
   * Runs `call` unless closed.
   *
   * @param call - starts the call and returns its promise.
   * @returns the call's result; rejects with the close reason when closed first.
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    if (this.closedReason !== undefined) return Promise.reject(this.closedReason);
    return new Promise<T>((resolve, reject) => {
      const abort = (error: Error): void => reject(error);
      this.pending.add(abort);
      let started: Promise<T>;
      try {
        started = call();
      } catch (error) {
        this.pending.delete(abort);
        reject(error);
        return;
      }
      started.then(
        (value) => {
          this.pending.delete(abort);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(abort);
          reject(error);
        },
      );
    });
  }

  /**
   * Refuses further calls and rejects those in flight. Idempotent.
   *
   * @param reason - the error calls receive (default `KernelError('ENGINE_CLOSED')`).
   */
  close(reason: Error = closedError()): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    for (const abort of this.pending) abort(reason);
    this.pending.clear();
  }
}

/**
 * The error of a call made after `close()`.
 *
 * @returns a `KernelError` with code `ENGINE_CLOSED`.
 */
export function closedError(): KernelError {
  return new KernelError('expected an open engine, got one that was closed', 'ENGINE_CLOSED');
}

/**
 * Builds a path-recording proxy: `api.a.b(x)` becomes `invoke(['a', 'b'], [x])`.
 * Only method calls are supported (reading a plain property is not).
 *
 * @param invoke - performs a call.
 * @returns the proxy, typed as {@link AsyncApi}.
 */
export function createApiProxy<T>(invoke: Invoke): AsyncApi<T> {
  return makeNode(invoke, []) as AsyncApi<T>;
}

function makeNode(invoke: Invoke, path: readonly string[]): unknown {
  const children = new Map<string, unknown>();
  return new Proxy(function remoteCall() {}, {
    get(_target, prop) {
      // Not thenable: `await engine.api` yields the proxy itself.
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      let child = children.get(prop);
      if (child === undefined) {
        child = makeNode(invoke, [...path, prop]);
        children.set(prop, child);
      }
      return child;
    },
    apply(_target, _thisArg, args: unknown[]) {
      return invoke(path, args);
    },
  });
}

/**
 * Calls into an in-process engine. The method runs synchronously inside the
 * call (so data handed to it is consumed before the call returns); its result
 * or error is delivered as a Promise.
 *
 * @param root - the engine object.
 * @returns an {@link Invoke} over it.
 */
export function inlineInvoke(root: object): Invoke {
  return (path, args) =>
    new Promise((resolve) => {
      let target: unknown = root;
      for (let i = 0; i < path.length - 1 && target !== null && typeof target === 'object'; i++) {
        target = (target as Record<string, unknown>)[path[i] as string];
      }
      const method =
        path.length > 0 && target !== null && typeof target === 'object'
          ? (target as Record<string, unknown>)[path[path.length - 1] as string]
          : undefined;
      if (typeof method !== 'function') {
        throw new ConfigError(`expected an engine method, got ${path.join('.') || '(root)'}`);
      }
      resolve((method as (...a: unknown[]) => unknown).apply(target, args));
    });
}

/**
 * Calls through a Comlink remote by walking the same property path.
 *
 * @param remote - `Comlink.wrap(endpoint)`.
 * @returns an {@link Invoke} over it.
 */
export function remoteInvoke(remote: unknown): Invoke {
  return (path, args) => {
    let target = remote as Record<string, unknown>;
    for (const key of path) target = target[key] as Record<string, unknown>;
    return (target as unknown as (...a: unknown[]) => Promise<unknown>)(...args);
  };
}
