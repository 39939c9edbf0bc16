/**
 * The engine a worker exposes: {@link EngineCore} plus a
 * {@link LazyDriftService}, so the worker file carries the kernels and the
 * sketch service but loads the drift statistics only when drift is used.
 * Its API (every call awaited) is {@link Engine}'s, except that sketches move
 * in and out as their content: the caller encodes and decodes the byte form
 * (worker-sketch-bytes.ts).
 */
import { transfer } from 'comlink';
import type { EngineWorkerKernel } from '../kernel/kernel.js';
import type { DriftStatistics } from '../stats/drift/statistic.js';
import type { Engine } from './engine.js';
import { EngineCore } from './engine-core.js';
import { LazyDriftService } from './lazy-drift-service.js';
import type { AsyncApi } from './remote-api.js';
import { WorkerSketchService } from './sketch-service.js';

/** The worker's engine object. */
export class WorkerEngine extends EngineCore<EngineWorkerKernel, WorkerSketchService> {
  /** Drift references and comparisons, statistics loaded on the first call. */
  readonly drift: LazyDriftService;

  /**
   * @param kernel - the kernel that runs the computations.
   * @param statistics - loads the drift statistics set: each worker script names its own
   *   (an `import()` here would put the full set in every worker file).
   * @example expose(new WorkerEngine(kernel, loadFullStatistics), endpoint);
   */
  constructor(kernel: EngineWorkerKernel, statistics: () => Promise<DriftStatistics>) {
    super(kernel, new WorkerSketchService(kernel, transfer));
    this.drift = new LazyDriftService(kernel, statistics);
  }
}

/** The sketch calls that differ: the byte form in process, the content in a worker. */
type ByteCalls =
  'serialize' | 'load' | 'mergeBytes' | 'exportContent' | 'loadContent' | 'mergeContent';
/** An engine's API without those calls. */
type Shared<E extends { sketches: object }> = AsyncApi<Omit<E, 'sketches' | 'kernel'>> & {
  sketches: AsyncApi<Omit<E['sketches'], ByteCalls>>;
};

/** Compile-time check: but for the byte form, the worker's engine and {@link Engine} are interchangeable. */
type SameApi = [Shared<WorkerEngine>, Shared<Engine>] extends [Shared<Engine>, Shared<WorkerEngine>]
  ? true
  : never;
const sameApi: SameApi = true;
void sameApi;
