// The sketch kernels alone: the exports the sketch worker's kernel calls
// (src/kernel/wasm-sketch-kernel.ts), compiled from the same functions as
// index.ts into a smaller module (scripts/build-wasm.mjs builds both), so a
// page that only records latencies and metrics ships no sort, selection or
// drift kernels.
export {
  scratch,
  resultPtr,
  sketchCreate,
  sketchFree,
  sketchReset,
  sketchScale,
  sketchRecord,
  sketchMerge,
  sketchQuantiles,
  sketchStats,
  sketchSide,
  sketchLoadSide,
  sketchLoadStats,
  sketchByteSize,
} from './index';
