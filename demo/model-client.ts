/**
 * The page's handle on the model worker: promise-returning `train` and `predict`.
 */
import type { SoftmaxModel, TrainOptions } from './model.js';
import type { ModelRequest, ModelResponse } from './model-protocol.js';

type Pending = { resolve: (r: ModelResponse) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Talks to `model-worker.ts`. One instance per page. */
export class ModelClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Starts the worker (a module worker, bundled by Vite). */
  constructor() {
    this.worker = new Worker(new URL('./model-worker.ts', import.meta.url), {
      type: 'module',
      name: 'demo-model',
    });
    this.worker.onmessage = (event: MessageEvent<ModelResponse>) => {
      const p = this.pending.get(event.data.id);
      if (p === undefined) return;
      this.pending.delete(event.data.id);
      if (event.data.type === 'error') p.reject(new Error(event.data.message));
      else p.resolve(event.data);
    };
    this.worker.onerror = (event) => {
      const err = new Error(`model worker failed: ${event.message}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  private call(
    req: DistributiveOmit<ModelRequest, 'id'>,
    transfer: Transferable[] = [],
  ): Promise<ModelResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } as ModelRequest, transfer);
    });
  }

  /**
   * Trains a model version in the worker (the rows are copied, the caller keeps them).
   *
   * @returns the model and how long training took in the worker.
   */
  async train(
    version: number,
    rows: Float64Array,
    labels: Int32Array,
    numFeatures: number,
    numClasses: number,
    options?: TrainOptions,
  ): Promise<{ model: SoftmaxModel; trainMs: number }> {
    const r = await this.call({
      type: 'train',
      version,
      rows,
      labels,
      numFeatures,
      numClasses,
      options,
    });
    if (r.type !== 'trained') throw new Error(`expected a trained reply, got ${r.type}`);
    return { model: r.model, trainMs: r.trainMs };
  }

  /**
   * Runs one inference step: every version on the same rows.
   *
   * @returns predicted classes per version, in the order asked, and the first
   *   version's class probabilities (row-major).
   */
  async predict(
    versions: number[],
    rows: Float64Array,
    delayMs: number,
  ): Promise<{ predictions: Int32Array[]; probabilities: Float64Array }> {
    const r = await this.call({ type: 'predict', versions, rows, delayMs });
    if (r.type !== 'predicted') throw new Error(`expected a predicted reply, got ${r.type}`);
    return { predictions: r.predictions, probabilities: r.probabilities };
  }

  /** Frees a model version in the worker. */
  async drop(version: number): Promise<void> {
    await this.call({ type: 'drop', version });
  }

  /** Stops the worker. */
  close(): void {
    this.worker.terminate();
  }
}
