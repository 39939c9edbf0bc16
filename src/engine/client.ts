/**
 * The caller's side of the engine: start one (`createEngine`), share one
 * (`getDefaultEngine`), and talk to it through `handle.api` with the same
 * awaited surface in every mode.
 *
 * Modes:
 * - `worker`: the engine runs in a dedicated module Web Worker (browser) or a
 *   `worker_threads` worker (Node), reached with Comlink.
 * - `inline`: the engine runs in-process on the WASM kernels.
 * - `reference`: in-process on the pure-TS kernels (no WASM at all).
 * - `auto` (default): `worker` in a browser page; `inline` in Node and inside a
 *   worker. In auto mode a failing WASM kernel falls back to the reference one.
 */
import { transfer as comlinkTransfer, wrap } from 'comlink';
import { ConfigError, describeValue } from '../errors.js';
import { numberOption, oneOfOption, optionalFunction, optionsObject } from '../util/options.js';
import type { Engine } from './engine.js';
import { installErrorReceiver } from './error-transfer.js';
import { chooseKernel } from './kernel-choice.js';
import {
  CallGuard,
  closedError,
  createApiProxy,
  inlineInvoke,
  remoteInvoke,
} from './remote-api.js';
import type { AsyncApi, Invoke } from './remote-api.js';
import { BufferPool, POOL_LIMIT_BYTES, recordSender, type RecordPort } from './record-channel.js';
import { spawnEngineWorker, type SpawnedWorker, type WorkerScript } from './worker-spawn.js';
import { sketchBytesOnCaller } from './worker-sketch-bytes.js';
import type { KernelChoice } from './worker-protocol.js';

/** The engine's surface as the caller sees it: every method awaited (the `kernel` field is not exposed). */
export type EngineApi = AsyncApi<Omit<Engine, 'kernel'>>;

/** Where the engine runs. */
export type EngineMode = 'worker' | 'inline' | 'reference';

/** A started engine. */
export interface EngineHandle {
  /** Where the engine runs. */
  readonly mode: EngineMode;
  /** Which kernels it runs on. */
  readonly kernel: 'wasm' | 'reference';
  /**
   * Set when `auto` fell back: why the worker did not start (the engine then
   * runs inline) and/or why WASM failed (the reference kernels then run).
   */
  readonly fallbackReason: string | undefined;
  /**
   * The engine's methods, awaited: a Comlink remote in worker mode, an
   * in-process object returning Promises otherwise. After `close()` every call
   * rejects with `KernelError('ENGINE_CLOSED')`.
   */
  readonly api: EngineApi;
  /** Whether `close()` was called (or the worker died). */
  readonly closed: boolean;
  /** Stops the engine (terminates a worker) and rejects calls in flight. Idempotent. */
  close(): void;
}

/** Options of {@link createEngine}. */
export interface CreateEngineOptions {
  /** `'auto'` (default), `'worker'`, `'inline'` or `'reference'`. */
  readonly mode?: 'auto' | EngineMode;
  /**
   * Kernel for `worker`/`inline`: `'wasm'` (default for explicit modes) or
   * `'auto'` (WASM, else reference; the default in `auto` mode).
   */
  readonly kernel?: KernelChoice;
  /** How long to wait for a worker to load its kernels (default 15 000 ms). */
  readonly startTimeoutMs?: number;
  /**
   * The engine worker script to start, for sites that serve it themselves: a
   * Content-Security-Policy that allows only listed script URLs, or a bundler
   * that does not emit `new Worker(new URL(…, import.meta.url))` workers
   * (bundle the `edgewatch/worker` export as its own entry and pass its URL).
   * Default: the worker file next to the engine, which Vite, webpack and
   * Rollup-with-a-worker-plugin emit on their own.
   */
  readonly workerUrl?: string | URL;
  /**
   * Called once when `auto` mode could not start the worker and runs the
   * engine inline instead (`fallbackReason` says why). Default: one
   * `console.warn` line. A monitor never fails because of how it was packaged.
   */
  readonly onWarning?: (message: string) => void;
}

const MODES = ['auto', 'worker', 'inline', 'reference'] as const;
const KERNELS = ['wasm', 'reference', 'auto'] as const;

/**
 * The mode `auto` resolves to here: `worker` in a browser page, `inline` in
 * Node and inside any worker.
 *
 * @returns the concrete mode.
 * @example
 * autoMode() // => 'inline' under Node
 */
export function autoMode(): EngineMode {
  const g = globalThis as { window?: unknown; document?: unknown; Worker?: unknown };
  return typeof g.window === 'object' &&
    typeof g.document === 'object' &&
    typeof g.Worker === 'function'
    ? 'worker'
    : 'inline';
}

/**
 * Starts an engine.
 *
 * @param options - mode, kernel, start timeout.
 * @returns the handle; `close()` it when done (a worker keeps running otherwise).
 * @throws ConfigError on bad options; KernelError when the kernels or the worker fail to start.
 * @example
 * const engine = await createEngine({ mode: 'worker' });
 * const id = await engine.api.sketches.create();
 * engine.close();
 */
export function createEngine(options: CreateEngineOptions = {}): Promise<EngineHandle> {
  return startEngine(options, 'engine');
}

/**
 * {@link createEngine} with the worker script to start in worker mode:
 * `'sketches'` starts the sketch-only worker (sketch-worker.ts) and `'engine'`
 * the engine worker without the reference kernel and with the core drift
 * statistics (wasm-core-worker.ts) where they can (the bundled worker, a WASM
 * kernel allowed), the full engine worker (worker.ts) otherwise.
 */
async function startEngine(
  options: CreateEngineOptions,
  script: 'engine' | 'sketches',
): Promise<EngineHandle> {
  optionsObject(options);
  const requested = oneOfOption('mode', options.mode ?? 'auto', MODES);
  const kernelChoice = oneOfOption(
    'kernel',
    options.kernel ?? (requested === 'auto' ? 'auto' : 'wasm'),
    KERNELS,
  );
  const timeout = numberOption('startTimeoutMs', options.startTimeoutMs ?? 15_000, {
    above: 0,
    infinite: true,
  });
  const workerUrl = options.workerUrl;
  if (workerUrl !== undefined && typeof workerUrl !== 'string' && !(workerUrl instanceof URL)) {
    throw new ConfigError(
      `expected workerUrl to be a string or URL, got ${describeValue(workerUrl)}`,
    );
  }
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  optionalFunction('onWarning', onWarning);
  const mode = requested === 'auto' ? autoMode() : requested;
  if (mode === 'worker') {
    // The bundled worker scripts without the reference kernel first (see startWasmWorker).
    const wasmFirst = workerUrl === undefined && kernelChoice !== 'reference';
    const start = (): Promise<EngineHandle> =>
      wasmFirst
        ? startWasmWorker(
            kernelChoice,
            timeout,
            script === 'sketches' ? 'sketches' : 'wasm-engine-core',
          )
        : startWorker(kernelChoice, timeout, workerUrl);
    if (requested === 'worker') return start();
    try {
      return await start();
    } catch (error) {
      const reason = `the engine worker did not start (${(error as Error).message}); running the engine inline on this thread`;
      onWarning(`edgewatch: ${reason}`);
      return startInline('inline', kernelChoice, reason);
    }
  }
  return startInline(mode, kernelChoice, undefined);
}

async function startInline(
  mode: 'inline' | 'reference',
  kernelChoice: KernelChoice,
  workerFailure: string | undefined,
): Promise<EngineHandle> {
  const { kernel, fallbackReason: kernelFallback } = await chooseKernel(
    mode === 'reference' ? 'reference' : kernelChoice,
    {
      wasm: async () => (await import('../kernel/wasm-kernel.js')).createWasmKernel(),
      reference: async () => (await import('../kernel/reference/index.js')).createReferenceKernel(),
    },
  );
  // Loaded lazily: a page that talks to a worker never downloads the engine itself.
  const { Engine } = await import('./engine.js');
  const guard = new CallGuard();
  const engine = new Engine(kernel);
  const invoke = inlineInvoke(engine);
  const reasons = [workerFailure, kernelFallback].filter((r) => r !== undefined);
  const handle: EngineHandle = {
    mode: kernel.kind === 'reference' ? 'reference' : 'inline',
    kernel: kernel.kind,
    fallbackReason: reasons.length > 0 ? reasons.join('; ') : undefined,
    api: createApiProxy<Omit<Engine, 'kernel'>>((path, args) =>
      guard.run(() => invoke(path, args)),
    ),
    get closed() {
      return guard.closed;
    },
    close: () => guard.close(),
  };
  channels.set(handle, {
    recordNow: (id, values, nonNegative) => {
      if (guard.closed) throw closedError();
      return engine.sketches.record(id, values, nonNegative);
    },
  });
  return handle;
}

/**
 * Starts a worker script that runs on the WASM kernel only: the sketch-only
 * worker, or the engine worker without the reference kernel and with the core
 * drift statistics (wasm-core-worker.ts), which keeps the fallback kernel and
 * the rarely used statistics out of the worker file a page downloads. Drift
 * calls go through the drift router (drift-router.ts): to the core engine
 * worker (started on the first `prepare` beside a sketch worker) or, for
 * options that need more, to the WASM engine worker with every statistic
 * (wasm-worker.ts), started on first need. With kernel `'auto'`, a worker
 * that cannot run WASM is replaced by the full engine worker (worker.ts),
 * which falls back to the reference kernel.
 */
async function startWasmWorker(
  kernelChoice: KernelChoice,
  timeoutMs: number,
  script: 'sketches' | 'wasm-engine-core',
): Promise<EngineHandle> {
  try {
    return await startWorker(kernelChoice, timeoutMs, undefined, script);
  } catch (error) {
    if (kernelChoice !== 'auto') throw error;
    return startWorker(kernelChoice, timeoutMs, undefined, 'engine');
  }
}

async function startWorker(
  kernelChoice: KernelChoice,
  timeoutMs: number,
  workerUrl: string | URL | undefined,
  script: WorkerScript = 'engine',
): Promise<EngineHandle> {
  installErrorReceiver();
  const guard = new CallGuard();
  const workers: SpawnedWorker[] = [];
  const stop = (): void => {
    for (const w of workers) w.terminate();
  };
  // A worker died or threw outside a call: settle everything, then make sure all are gone.
  const onFatal = (error: Error): void => {
    guard.close(error);
    stop();
  };
  const worker = await spawnEngineWorker(kernelChoice, timeoutMs, onFatal, workerUrl, script);
  workers.push(worker);
  // The worker has no sketch codec: the byte form is encoded and decoded here, calls kept in order.
  const { invoke: engineInvoke, inOrder } = sketchBytesOnCaller(
    remoteInvoke(wrap(worker.endpoint)),
  );
  // The sketch worker has no drift statistics, the core engine worker only the core ones:
  // their drift calls go through the drift router, which starts the core and the full engine
  // worker beside them when needed (on WASM, which these workers run on, so without the
  // reference kernel). Loaded on the first drift call: a page that only sketches never
  // downloads it.
  let invoke: Invoke = engineInvoke;
  if (script === 'sketches' || script === 'wasm-engine-core') {
    const spawn = (other: WorkerScript): Promise<Invoke> =>
      spawnEngineWorker(kernelChoice, timeoutMs, onFatal, undefined, other).then((spawned) => {
        workers.push(spawned);
        if (guard.closed) stop();
        return remoteInvoke(wrap(spawned.endpoint));
      });
    const core = script === 'sketches' ? undefined : engineInvoke;
    let drift: Promise<Invoke> | undefined;
    invoke = (path, args) => {
      if (path[0] !== 'drift') return engineInvoke(path, args);
      drift ??= import('./drift-router.js').then(
        (m) => m.driftRouter(spawn, core),
        (error: unknown) => {
          drift = undefined;
          throw error;
        },
      );
      return drift.then((route) => route(path, args));
    };
  }
  const pool = new BufferPool(POOL_LIMIT_BYTES);
  const send = recordSender(worker.endpoint as unknown as RecordPort, pool); // Comlink's Endpoint is a RecordPort
  const handle: EngineHandle = {
    mode: 'worker',
    kernel: worker.ready.kernel,
    fallbackReason: worker.ready.fallbackReason,
    api: createApiProxy<Omit<Engine, 'kernel'>>((path, args) =>
      guard.run(() => invoke(path, args)),
    ),
    get closed() {
      return guard.closed;
    },
    close: () => {
      guard.close(closedError());
      stop();
    },
  };
  channels.set(handle, {
    pool,
    record: (id, values) => guard.run(() => inOrder(() => send(id, values))),
  });
  return handle;
}

/**
 * The staging fast path of an engine started by {@link createEngine}. Worker
 * mode (see record-channel.ts): record batches as raw messages, in order with
 * every other call, their buffers transferred there and back into `pool`.
 * In-process: `recordNow` records a caller's array synchronously (the kernel
 * copies it into its memory), so nothing is staged twice.
 */
export interface StagingChannel {
  /** Records `values` (its buffer is transferred) into sketch `id`; resolves with the dropped count. */
  readonly record?: (id: number, values: Float64Array) => Promise<number>;
  /** Emptied staging buffers the worker sent back. */
  readonly pool?: BufferPool;
  /**
   * Records `values` (not modified) into sketch `id` now; returns how many it
   * skipped (non-finite; negatives too with `nonNegative`).
   * @throws KernelError (`ENGINE_CLOSED` after close, or a bad id).
   */
  readonly recordNow?: (id: number, values: Float64Array, nonNegative: boolean) => number;
}

const channels = new WeakMap<EngineHandle, StagingChannel>();

/**
 * The staging channel of an engine started by {@link createEngine} (undefined
 * for other handles, which StagedSketch reaches through `api`).
 *
 * @param handle - the engine.
 * @returns its channel, or undefined.
 * @example
 * stagingChannel(engine)?.pool?.take(512);
 */
export function stagingChannel(handle: EngineHandle): StagingChannel | undefined {
  return channels.get(handle);
}

let defaultPromise: Promise<EngineHandle> | undefined;
let defaultHandle: EngineHandle | undefined;

/**
 * The shared engine every facade uses when given no `engine` option: started
 * lazily in `auto` mode on first use, started again after it was closed.
 *
 * @returns the shared handle.
 * @throws KernelError when it cannot start (the next call tries again).
 * @example
 * const engine = await getDefaultEngine();
 */
export function getDefaultEngine(): Promise<EngineHandle> {
  return sharedEngine('engine');
}

/**
 * The shared engine of {@link getDefaultEngine}, started for what its first
 * user needs: `'sketches'` (latency and metric sketches only) starts the small
 * sketch-only worker in a browser page, and drift calls on that engine start
 * the engine workers with the drift statistics later. Every user gets the same
 * engine whichever started it.
 *
 * @param use - what the caller needs: `'engine'` (everything) or `'sketches'`.
 * @returns the shared handle.
 * @throws KernelError when it cannot start (the next call tries again).
 * @example const engine = await sharedEngine('sketches');
 */
export function sharedEngine(use: 'engine' | 'sketches'): Promise<EngineHandle> {
  if (defaultHandle !== undefined && defaultHandle.closed) {
    defaultHandle = undefined;
    defaultPromise = undefined;
  }
  if (defaultPromise === undefined) {
    const starting = startEngine({}, use).then(
      (handle) => {
        if (defaultPromise === starting) defaultHandle = handle;
        return handle;
      },
      (error: unknown) => {
        if (defaultPromise === starting) defaultPromise = undefined;
        throw error;
      },
    );
    defaultPromise = starting;
  }
  return defaultPromise;
}

/**
 * The shared engine when it has started and is open; never starts it.
 *
 * @returns the handle or undefined.
 * @example runningSharedEngine()?.mode; // => 'worker' once a page's facade has used it
 */
export function runningSharedEngine(): EngineHandle | undefined {
  return defaultHandle !== undefined && !defaultHandle.closed ? defaultHandle : undefined;
}

/**
 * Marks buffers to move (not copy) to the worker with a call's arguments or
 * result: `Comlink.transfer` in worker mode, a no-op in-process. The buffers
 * are unusable by the sender afterwards in worker mode.
 *
 * @param value - the argument or result.
 * @param transferables - its buffers, e.g. `[array.buffer]`.
 * @returns `value`, unchanged.
 * @example
 * await engine.api.sketches.record(id, transfer(batch, [batch.buffer]));
 */
export function transfer<T>(value: T, transferables: ArrayBufferLike[]): T {
  // Typed without the DOM's `Transferable` so the declarations compile in a
  // Node project without DOM types; buffers are what edgewatch transfers.
  return comlinkTransfer(value, transferables as Parameters<typeof comlinkTransfer>[1]);
}
