/**
 * What every engine has besides drift: the kernel, the sketch service and the
 * probes. {@link Engine} (in-process, drift statistics loaded with it) and
 * {@link WorkerEngine} (the worker's, drift statistics loaded on first use)
 * add their drift service on top; this file imports no statistics, so a
 * bundle holding only the core stays small.
 */
import type { Kernel, WorkerSketchKernel } from '../kernel/kernel.js';
import type { SketchService, WorkerSketchService } from './sketch-service.js';

/**
 * The engine's kernel, sketches and probes. `K`: the kernel's type (the sketch
 * worker's engine runs on the sketch half only); `S`: the sketch service, in
 * process a {@link SketchService} (with the byte form), in a worker a
 * {@link WorkerSketchService} (its caller encodes and decodes).
 */
export class EngineCore<
  K extends WorkerSketchKernel | Kernel = Kernel,
  S extends SketchService | WorkerSketchService = SketchService,
> {
  /**
   * @param kernel - the kernel that runs the computations.
   * @param sketches - exponential-bucket sketches by id, on `kernel`.
   */
  constructor(
    readonly kernel: K,
    readonly sketches: S,
  ) {}

  /**
   * Which kernel runs here.
   *
   * @returns `'wasm'` or `'reference'`.
   * @example
   * await engine.api.kernelKind() // => 'wasm'
   */
  kernelKind(): 'wasm' | 'reference' {
    return this.kernel.kind;
  }

  /**
   * Echoes its argument: a round-trip probe for tests and the benchmark.
   *
   * @param value - anything structured-clonable.
   * @returns the same value.
   * @example
   * await engine.api.ping(1) // => 1
   */
  ping<T>(value: T): T {
    return value;
  }
}
