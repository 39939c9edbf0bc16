/**
 * Starts the engine worker and runs the handshake (worker-protocol.ts).
 *
 * Browser: a module Web Worker created with the literal
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })` —
 * the pattern Vite, webpack and esbuild recognise to bundle the worker as its
 * own chunk (scripts/build.mjs rewrites the name to `./worker.js` for dist/).
 * Node: a `worker_threads` worker on the same file through Comlink's node
 * adapter; from the TypeScript sources (tests) it runs under tsx.
 *
 * Five more scripts use the same handshake: `multivariate-worker.ts` runs the
 * multivariate statistics and `profile-worker.ts` EdgeMonitor's feature profiles
 * in workers of their own, `sketch-worker.ts` is the engine without drift,
 * `wasm-worker.ts` the engine without the reference kernel and
 * `wasm-core-worker.ts` that engine with the core drift statistics only.
 * An `iife` worker bundle inlines every `import()` it can reach, so keeping code
 * out of a script is what keeps it out of the worker file a page loads.
 */
import type { Endpoint } from 'comlink';
import { KernelError } from '../errors.js';
import { deserializeError } from './error-transfer.js';
import { nodeWorker } from './node-worker.js';
import type {
  HandshakeMessage,
  InitMessage,
  KernelChoice,
  ReadyMessage,
} from './worker-protocol.js';

/**
 * Which worker script to start: the engine (sketches and drift), the engine
 * on the WASM kernel only (wasm-worker.ts), that engine with the core drift
 * statistics only (wasm-core-worker.ts), the engine with the sketches only
 * (sketch-worker.ts), the multivariate statistics or EdgeMonitor's feature profiles.
 */
export type WorkerScript =
  'engine' | 'wasm-engine' | 'wasm-engine-core' | 'sketches' | 'multivariate' | 'profiles';

const SCRIPT_FILES: Record<WorkerScript, string> = {
  engine: 'worker',
  'wasm-engine': 'wasm-worker',
  'wasm-engine-core': 'wasm-core-worker',
  sketches: 'sketch-worker',
  multivariate: 'multivariate-worker',
  profiles: 'profile-worker',
};

/** A worker whose engine answered `ready`. */
export interface SpawnedWorker {
  /** The Comlink endpoint to `wrap`. */
  readonly endpoint: Endpoint;
  /** The worker's `ready` message (which kernel it runs). */
  readonly ready: ReadyMessage;
  /** Stops the worker. Idempotent. */
  terminate(): void;
}

/**
 * True in Node (main thread or worker_threads), false in browsers and Web Workers
 * (an Electron renderer has a `window`, so it counts as a browser).
 *
 * @returns whether Node's APIs are the platform.
 * @example isNode(); // => true under `node`, false in a page
 */
export function isNode(): boolean {
  return (
    typeof process === 'object' &&
    typeof process.versions === 'object' &&
    typeof process.versions.node === 'string' &&
    typeof (globalThis as { window?: unknown }).window === 'undefined' &&
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined'
  );
}

/** A started worker before the handshake (see node-worker.ts for Node's). */
export interface RawWorker {
  readonly endpoint: Endpoint;
  terminate(): void;
  /** Registers the handler for a worker that fails or exits. */
  onFailure(handler: (error: Error) => void): void;
}

/**
 * Each script's bundled worker, written as the literal `new Worker(new URL(…))`
 * that bundlers recognise (one literal per script: a computed URL would not be
 * emitted).
 */
const BUNDLED_WORKERS: Record<WorkerScript, () => Worker> = {
  engine: () =>
    new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: 'edgewatch-engine',
    }),
  'wasm-engine': () =>
    new Worker(new URL('./wasm-worker.ts', import.meta.url), {
      type: 'module',
      name: 'edgewatch-engine-wasm',
    }),
  'wasm-engine-core': () =>
    new Worker(new URL('./wasm-core-worker.ts', import.meta.url), {
      type: 'module',
      name: 'edgewatch-engine-wasm-core',
    }),
  sketches: () =>
    new Worker(new URL('./sketch-worker.ts', import.meta.url), {
      type: 'module',
      name: 'edgewatch-sketches',
    }),
  multivariate: () =>
    new Worker(new URL('./multivariate-worker.ts', import.meta.url), {
      type: 'module',
      name: 'edgewatch-multivariate',
    }),
  profiles: () =>
    new Worker(new URL('./profile-worker.ts', import.meta.url), {
      type: 'module',
      name: 'edgewatch-profiles',
    }),
};

function browserWorker(workerUrl: string | URL | undefined, script: WorkerScript): RawWorker {
  // An explicit URL is for sites that serve the worker themselves (CSP, bundlers
  // that cannot emit it).
  const worker =
    workerUrl !== undefined
      ? new Worker(workerUrl, { type: 'module', name: 'edgewatch-engine' })
      : BUNDLED_WORKERS[script]();
  let handler: (error: Error) => void = () => {};
  worker.addEventListener('error', (event: ErrorEvent) => {
    handler(
      new KernelError(`engine worker failed: ${event.message || 'the worker script did not load'}`),
    );
  });
  worker.addEventListener('messageerror', () => {
    handler(new KernelError('engine worker failed: a message could not be deserialized'));
  });
  return {
    endpoint: worker as unknown as Endpoint,
    terminate: () => worker.terminate(),
    onFailure: (h) => (handler = h),
  };
}

/**
 * Starts the engine worker and waits for its `ready`.
 *
 * @param kernel - which kernel the worker loads.
 * @param timeoutMs - how long to wait for `ready`.
 * @param onFatal - called if the worker fails or exits after `ready`.
 * @param workerUrl - the worker script to start instead of the one next to this module.
 * @param script - which script: the engine (default), the sketch-only engine, the multivariate statistics or the profiles.
 * @returns the ready worker.
 * @throws KernelError when the worker fails to load, its kernel fails, or it times out
 *   (the kernel's own error class and code are kept when it reports one).
 * @example
 * const worker = await spawnEngineWorker('wasm', 15_000, (e) => guard.close(e));
 */
export async function spawnEngineWorker(
  kernel: KernelChoice,
  timeoutMs: number,
  onFatal: (error: Error) => void,
  workerUrl?: string | URL,
  script: WorkerScript = 'engine',
): Promise<SpawnedWorker> {
  // Node's side: the published package resolves it to a stub outside Node
  // (`#node-worker`), so a page's bundle never carries it.
  const raw = isNode()
    ? await nodeWorker(workerUrl, SCRIPT_FILES[script])
    : browserWorker(workerUrl, script);
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const fail = (error: Error): void => {
      clearTimeout(timer);
      raw.endpoint.removeEventListener('message', onMessage as EventListener);
      raw.terminate();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new KernelError(
            `expected the engine worker to start within ${timeoutMs} ms, got no answer`,
          ),
        ),
      timeoutMs,
    );
    const onMessage = (event: MessageEvent): void => {
      const data = event.data as HandshakeMessage | null | undefined;
      if (data === null || typeof data !== 'object') return;
      if (data.edgewatch === 'ready') {
        clearTimeout(timer);
        raw.endpoint.removeEventListener('message', onMessage as EventListener);
        raw.onFailure(onFatal);
        resolve(data);
      } else if (data.edgewatch === 'failed') {
        fail(deserializeError(data.error));
      }
    };
    raw.onFailure(fail);
    raw.endpoint.addEventListener('message', onMessage as EventListener);
    raw.endpoint.start?.();
    const init: InitMessage = { edgewatch: 'init', kernel };
    raw.endpoint.postMessage(init);
  });
  return { endpoint: raw.endpoint, ready, terminate: () => raw.terminate() };
}
