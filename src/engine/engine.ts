/**
 * The compute engine: owns sketches and drift references by id and runs the
 * kernels. It lives wherever the kernels live — in the dedicated Web Worker
 * (exposed with Comlink), in a `worker_threads` worker, or in-process.
 *
 * The engine is composed of services, one concept each; through Comlink the
 * caller reaches them as nested properties (`await api.sketches.record(...)`).
 * This class loads the full drift statistics with it (synchronous drift calls,
 * for in-process use); the worker runs {@link WorkerEngine}, the same surface
 * with the statistics loaded on the first drift call.
 */
import type { Kernel } from '../kernel/kernel.js';
import { fullStatistics } from '../stats/drift/full-statistics.js';
import { EngineCore } from './engine-core.js';
import { DriftService } from './drift-service.js';
import { SketchService } from './sketch-service.js';

/** The engine object: what `inline` mode runs in-process (and the API's shape). */
export class Engine extends EngineCore {
  /** Drift references and comparisons (statistics run next to the kernels). */
  readonly drift: DriftService;

  /**
   * @param kernel - the kernel that runs the computations.
   * @example const engine = new Engine(createReferenceKernel());
   */
  constructor(kernel: Kernel) {
    super(kernel, new SketchService(kernel));
    this.drift = new DriftService(kernel, fullStatistics);
  }
}
