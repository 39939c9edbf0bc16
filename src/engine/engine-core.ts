/**
 * What every engine has besides drift: the kernel, the sketch service and the
 * probes. {@link Engine} (in-process, drift statistics loaded with it) and
 * {@link WorkerEngine} (the worker's, drift statistics loaded on first use)
 * add their drift service on top; this file imports no statistics, so a
 * bundle holding only the core stays small.
 */
import type { Kernel, SketchKernel } from '../kernel/kernel.js';
import { SketchService, type HandOver } from './sketch-service.js';

/**
 * The engine's kernel, sketches and probes. `K`: the kernel's type; the sketch
 * worker's engine runs on a {@link SketchKernel}, every other on a full {@link Kernel}.
 */
export class EngineCore<K extends SketchKernel = Kernel> {
  /** Exponential-bucket sketches by id. */
  readonly sketches: SketchService;

  /**
   * @param kernel - the kernel that runs the computations.
   * @param handOver - how results leave (a worker passes Comlink's `transfer`; in-process, as they are).
   */
  constructor(
    readonly kernel: K,
    handOver?: HandOver,
  ) {
    this.sketches = new SketchService(kernel, handOver);
  }

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
