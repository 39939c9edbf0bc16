// The engine workers' kernels: the sketch exports and the batch kernels the
// drift statistics use (sort, moments, bins, KS, Wasserstein-1), without
// exact selection (`selectF64`), which only the in-process kernel offers.
// Compiled from the same functions as index.ts (scripts/build-wasm.mjs builds
// all three modules).
export * from './sketch-entry';
export { binCounts, sortF64, moments, ksStatisticSorted, wasserstein1Sorted } from './index';
