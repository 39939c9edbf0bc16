/**
 * The kernel layer: the `Kernel` interface, its two implementations (WASM and the
 * pure-TS reference) and the sketch's byte format. Everything is listed by name.
 */
export type { Kernel, Moments, SketchBuckets, SketchStats } from './kernel.js';
export { DEFAULT_SCALE, MAX_SCALE, MIN_SCALE, relativeErrorBound } from './kernel.js';
export { createReferenceKernel } from './reference/index.js';
export { createWasmKernel } from './wasm-kernel.js';
export { createKernel } from './create-kernel.js';
export {
  decodeSketch,
  encodeSketch,
  indexBounds,
  SKETCH_FORMAT_VERSION,
  SKETCH_MAGIC,
} from './sketch-format.js';
export type { DecodedSide, DecodedSketch } from './sketch-format.js';
