/**
 * Starting a pure-TypeScript service (the multivariate statistics, the feature
 * profiles) in a worker of its own (browsers by default) or in-process (Node
 * by default, or on request), behind the same awaited API.
 */
import { wrap } from 'comlink';
import { numberOption, oneOfOption, optionsObject } from '../util/options.js';
import { installErrorReceiver } from './error-transfer.js';
import {
  CallGuard,
  closedError,
  createApiProxy,
  inlineInvoke,
  remoteInvoke,
  type AsyncApi,
} from './remote-api.js';
import { isNode, spawnEngineWorker, type WorkerScript } from './worker-spawn.js';

/** The modes a service engine starts in. */
const SERVICE_MODES = ['auto', 'worker', 'inline'] as const;

/** Options of a service engine. */
export interface ServiceEngineOptions {
  /**
   * `'worker'` (its own Web Worker or `worker_threads` worker), `'inline'` (this
   * thread), or `'auto'` (default: a worker in browsers, inline in Node; inline
   * when the worker cannot start).
   */
  readonly mode?: 'auto' | 'worker' | 'inline';
  /** How long to wait for the worker (default 15 000 ms). */
  readonly startTimeoutMs?: number;
}

/** A started service. */
export interface ServiceEngine<S> {
  /** Where the service runs. */
  readonly mode: 'worker' | 'inline';
  /** The service's methods, awaited. */
  readonly api: AsyncApi<S>;
  /** Whether {@link ServiceEngine.close} was called (or the worker died). */
  readonly closed: boolean;
  /** Stops the worker and rejects calls in flight. Idempotent. */
  close(): void;
}

/**
 * Starts a service in its worker script or in-process.
 *
 * @param options - mode and start timeout.
 * @param script - the worker script that serves it.
 * @param load - builds the in-process service (a lazy `import()`, so a page that
 *   uses the worker never downloads the service on its own thread).
 * @returns the handle.
 * @throws ConfigError for bad options; KernelError when `mode: 'worker'` cannot start its worker.
 * @example
 * await startServiceEngine({}, 'profiles', async () => new (await import('./profile-service.js')).ProfileService());
 */
export async function startServiceEngine<S extends object>(
  options: ServiceEngineOptions,
  script: WorkerScript,
  load: () => Promise<S>,
): Promise<ServiceEngine<S>> {
  optionsObject(options);
  const requested = oneOfOption('mode', options.mode ?? 'auto', SERVICE_MODES);
  const timeout = numberOption('startTimeoutMs', options.startTimeoutMs ?? 15_000, {
    above: 0,
    infinite: true,
  });
  const mode =
    requested === 'auto'
      ? isNode() || typeof Worker === 'undefined'
        ? 'inline'
        : 'worker'
      : requested;
  if (mode === 'inline') return startInline<S>((await load()) as S);
  try {
    return await startWorker<S>(timeout, script);
  } catch (error) {
    if (requested === 'worker') throw error;
    return startInline<S>((await load()) as S);
  }
}

function startInline<S extends object>(service: S): ServiceEngine<S> {
  const guard = new CallGuard();
  const invoke = inlineInvoke(service);
  return {
    mode: 'inline',
    api: createApiProxy<S>((path, args) => guard.run(() => invoke(path, args))),
    get closed() {
      return guard.closed;
    },
    close: () => guard.close(),
  };
}

async function startWorker<S>(timeoutMs: number, script: WorkerScript): Promise<ServiceEngine<S>> {
  installErrorReceiver();
  const guard = new CallGuard();
  let stop: () => void = () => {};
  const worker = await spawnEngineWorker(
    'reference',
    timeoutMs,
    (error) => {
      guard.close(error);
      stop();
    },
    undefined,
    script,
  );
  stop = () => worker.terminate();
  const invoke = remoteInvoke(wrap(worker.endpoint));
  return {
    mode: 'worker',
    api: createApiProxy<S>((path, args) => guard.run(() => invoke(path, args))),
    get closed() {
      return guard.closed;
    },
    close: () => {
      guard.close(closedError());
      worker.terminate();
    },
  };
}
