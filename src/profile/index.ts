/** Feature profiles: mergeable per-window summaries of features, their byte form and comparisons. */
export type {
  CategoricalProfile,
  FeatureProfile,
  NumericProfile,
  ProfileOptions,
} from './profile-types.js';
export {
  CategoricalProfiler,
  NumericProfiler,
  mergeProfiles,
  profileCounts,
} from './feature-profiler.js';
export {
  PROFILE_DEFAULT_HLL,
  PROFILE_DEFAULT_SCALE,
  PROFILE_DEFAULT_TOPK,
  PROFILE_MAX_TOPK,
  resolveProfileOptions,
} from './profile-options.js';
export type { ResolvedProfileOptions } from './profile-options.js';
export {
  PROFILE_FORMAT_VERSION,
  PROFILE_MAGIC,
  PROFILE_MAX_CATEGORY_BYTES,
  decodeProfile,
  encodeProfile,
  profilesToWire,
} from './profile-format.js';
export { compareCategorical, compareNumeric, sketchKs } from './profile-drift.js';
export type {
  CategoricalComparison,
  ChiSquareResult,
  NumericComparison,
  SharedBins,
  SketchKs,
} from './profile-drift.js';
export { hllEstimate, murmur3 } from './hyperloglog.js';
export { mergeTopK, suppressRare, TopKBuilder } from './space-saving.js';
export type { TopKEntry, TopKSummary } from './space-saving.js';
export { downscaleSketch, emptySketch, mergeSketches } from './sketch-merge.js';
export type { SketchContent } from './sketch-merge.js';
export { newCategories, profileQuality } from './profile-quality.js';
export type { ProfileQuality } from './profile-quality.js';
