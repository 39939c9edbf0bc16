/**
 * Messages between the page and the model worker (types only). The model runs in
 * its own worker so that training and a deliberately slowed model never block the
 * page's main thread.
 */
import type { SoftmaxModel, TrainOptions } from './model.js';

/** Page → worker. */
export type ModelRequest =
  | {
      type: 'train';
      id: number;
      version: number;
      rows: Float64Array;
      labels: Int32Array;
      numFeatures: number;
      numClasses: number;
      options?: TrainOptions;
    }
  | {
      type: 'predict';
      id: number;
      /** Model versions to run on the same rows (active first, then any shadow candidate). */
      versions: number[];
      rows: Float64Array;
      /** Injected extra latency of this inference step, ms (busy work inside the worker). */
      delayMs: number;
    }
  | { type: 'drop'; id: number; version: number };

/** Worker → page. */
export type ModelResponse =
  | { type: 'trained'; id: number; model: SoftmaxModel; trainMs: number }
  | {
      type: 'predicted';
      id: number;
      predictions: Int32Array[];
      /** The active (first) version's class probabilities, row-major. */
      probabilities: Float64Array;
    }
  | { type: 'dropped'; id: number }
  | { type: 'error'; id: number; message: string };
