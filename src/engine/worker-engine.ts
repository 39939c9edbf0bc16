/**
 * The engine a worker exposes: {@link EngineCore} plus a
 * {@link LazyDriftService}, so the worker file carries the kernels and the
 * sketch service but loads the drift statistics only when drift is used.
 * Its API (every call awaited) is the same as {@link Engine}'s.
 */
import { transfer } from 'comlink';
import type { Kernel } from '../kernel/kernel.js';
import type { Engine } from './engine.js';
import { EngineCore } from './engine-core.js';
import { LazyDriftService } from './lazy-drift-service.js';
import type { AsyncApi } from './remote-api.js';

/** The worker's engine object. */
export class WorkerEngine extends EngineCore {
  /** Drift references and comparisons, statistics loaded on the first call. */
  readonly drift: LazyDriftService;

  /**
   * @param kernel - the kernel that runs the computations.
   * @example expose(new WorkerEngine(kernel), endpoint);
   */
  constructor(kernel: Kernel) {
    super(kernel, transfer);
    this.drift = new LazyDriftService(kernel);
  }
}

/** Compile-time check: through the API the worker's engine and {@link Engine} are interchangeable. */
type SameApi = [AsyncApi<WorkerEngine>, AsyncApi<Engine>] extends [
  AsyncApi<Engine>,
  AsyncApi<WorkerEngine>,
]
  ? true
  : never;
const sameApi: SameApi = true;
void sameApi;
