/**
 * `edgewatch/engine`: the compute engine below the monitors — starting and
 * sharing engines, their awaited API, transferring buffers to a worker, the
 * kernel interface and the sketch's scale and error bound. `createEngine` and
 * `getDefaultEngine` are also exported from `edgewatch`.
 */
export { createEngine, getDefaultEngine, transfer } from '../engine/client.js';
export type { EngineHandle, EngineApi, EngineMode, CreateEngineOptions } from '../engine/client.js';
export type { Engine } from '../engine/engine.js';
export type { SketchSummary } from '../engine/sketch-service.js';
export type { KernelChoice } from '../engine/worker-protocol.js';
export type { AsyncApi } from '../engine/remote-api.js';
export { DEFAULT_SCALE, MIN_SCALE, MAX_SCALE, relativeErrorBound } from '../kernel/kernel.js';
export type { Kernel, SketchStats, SketchBuckets, Moments } from '../kernel/kernel.js';
