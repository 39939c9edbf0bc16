/**
 * The compute engine: owns sketches and drift references by id and runs the
 * kernels. It lives wherever the kernels live — in the dedicated Web Worker
 * (exposed with Comlink), in a `worker_threads` worker, or in-process.
 *
 * The engine is composed of services, one concept each; through Comlink the
 * caller reaches them as nested properties (`await api.sketches.record(...)`).
 */
import type { Kernel } from '../kernel/kernel.js';
import { SketchService } from './sketch-service.js';
import { DriftService } from './drift-service.js';

/** The engine object: what a worker exposes and what `inline` mode runs in-process. */
export class Engine {
  /** Exponential-bucket sketches by id. */
  readonly sketches: SketchService;
  /** Drift references and comparisons (statistics run next to the kernels). */
  readonly drift: DriftService;

  constructor(readonly kernel: Kernel) {
    this.sketches = new SketchService(kernel);
    this.drift = new DriftService(kernel);
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
