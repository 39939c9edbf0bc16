/** The pure-TypeScript kernels: what `src/kernel/reference/` offers. */
export { createReferenceKernel } from './reference-kernel.js';
export { bucketIndex, bucketRepresentative } from './bucket-index.js';
export { binCounts } from './binning.js';
export { sortF64 } from './radix-sort.js';
export { selectF64 } from './select.js';
export { moments } from './moments.js';
export { ksStatisticSorted, wasserstein1Sorted } from './ecdf-distances.js';
