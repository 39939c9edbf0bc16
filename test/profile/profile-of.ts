/** Feature profiles of raw values, for the profile tests: one profiler, fed once, closed. */
import { createReferenceKernel } from '../../src/kernel/index.js';
import {
  CategoricalProfiler,
  NumericProfiler,
  type CategoricalProfile,
  type NumericProfile,
  type ProfileOptions,
} from '../../src/entry/stats.js';

const kernel = createReferenceKernel();

/** The numeric profile of `values` at sketch `scale` (the default scale when omitted), on the reference kernel. */
export function numericProfile(values: unknown[], scale?: number): NumericProfile {
  const p = new NumericProfiler(kernel, scale);
  p.add(values);
  const out = p.profile();
  p.close();
  return out;
}

/** The categorical profile of `values` with `options`. */
export function categoricalProfile(
  values: unknown[],
  options: ProfileOptions = {},
): CategoricalProfile {
  const p = new CategoricalProfiler(options);
  p.add(values);
  return p.profile();
}
