/**
 * The engine layer: what `src/engine/` offers (by name, no `export *`).
 * Only this folder knows about Comlink and workers.
 */
export { createEngine, getDefaultEngine, transfer, autoMode } from './client.js';
export type { EngineHandle, EngineApi, EngineMode, CreateEngineOptions } from './client.js';
export type { Engine } from './engine.js';
export type { SketchService, SketchSummary } from './sketch-service.js';
export { checkScale } from '../util/options.js';
export { StagedSketch, checkEngineOption, FIRST_CHUNK, MAX_CHUNK } from './staged-sketch.js';
export type { StagedSketchOptions, SketchContext } from './staged-sketch.js';
export type { AsyncApi } from './remote-api.js';
export type { KernelChoice } from './worker-protocol.js';
export {
  serializeError,
  deserializeError,
  installErrorTransfer,
  installErrorSender,
  installErrorReceiver,
} from './error-transfer.js';
export type { SerializedError } from './error-transfer.js';
