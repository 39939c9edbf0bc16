/**
 * The model worker: holds trained model versions and runs training and inference
 * off the page's main thread. A "slow model" is simulated by real busy work here,
 * so the latency the page measures is the latency a user would see.
 */
/// <reference lib="webworker" />
import { predictAll, predictProbaAll, trainSoftmax, type SoftmaxModel } from './model.js';
import type { ModelRequest, ModelResponse } from './model-protocol.js';

const models = new Map<number, SoftmaxModel>();
let jitterState = 12345;

/** Lognormal-ish jitter factor (median 1, right-skewed tail) from a tiny LCG. */
function jitter(): number {
  jitterState = (Math.imul(jitterState, 1664525) + 1013904223) >>> 0;
  const u = (jitterState + 0.5) / 4294967296;
  return Math.exp(0.5 * Math.log(u / (1 - u)) * 0.6);
}

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Deliberate: this is the injected slowness of the model, inside the worker.
  }
}

function reply(msg: ModelResponse, transfer: Transferable[] = []): void {
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);
}

self.onmessage = (event: MessageEvent<ModelRequest>) => {
  const req = event.data;
  try {
    if (req.type === 'train') {
      const t0 = performance.now();
      const model = trainSoftmax(
        req.rows,
        req.labels,
        req.numFeatures,
        req.numClasses,
        req.version,
        req.options,
      );
      models.set(req.version, model);
      reply({ type: 'trained', id: req.id, model, trainMs: performance.now() - t0 });
    } else if (req.type === 'predict') {
      if (req.delayMs > 0) busyWait(req.delayMs * jitter());
      const predictions = req.versions.map((v) => {
        const model = models.get(v);
        if (model === undefined) throw new Error(`expected a trained model version, got ${v}`);
        return predictAll(model, req.rows);
      });
      const probabilities = predictProbaAll(models.get(req.versions[0]!)!, req.rows);
      reply({ type: 'predicted', id: req.id, predictions, probabilities }, [
        ...predictions.map((p) => p.buffer),
        probabilities.buffer,
      ]);
    } else {
      models.delete(req.version);
      reply({ type: 'dropped', id: req.id });
    }
  } catch (err) {
    reply({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) });
  }
};
