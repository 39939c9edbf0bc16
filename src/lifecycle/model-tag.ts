/**
 * Model tags: every window, alert and drift result can carry the model name
 * and version it was measured on, and the collector turns them into the
 * Prometheus labels `model` and `model_version`.
 */
import { nonEmptyString } from '../util/options.js';

/** The model a measurement belongs to. */
export interface ModelTag {
  /** Model name, e.g. `'perception'`. */
  model: string;
  /** Model version, e.g. `'2'`. */
  modelVersion: string;
}

/** Prometheus label names for a {@link ModelTag}. */
export interface ModelLabels {
  /** Model name. */
  model: string;
  /** Model version. */
  model_version: string;
}

/**
 * Builds a validated {@link ModelTag}.
 * @param model - non-empty model name.
 * @param modelVersion - non-empty version.
 * @returns the tag.
 * @throws ConfigError when either is not a non-empty string.
 * @example modelTag('perception', '2') // => { model: 'perception', modelVersion: '2' }
 */
export function modelTag(model: string, modelVersion: string): ModelTag {
  nonEmptyString('model', model);
  nonEmptyString('modelVersion', modelVersion);
  return { model, modelVersion };
}

/**
 * Returns a shallow copy of `value` with the tag's fields added (for windows,
 * fired alerts and drift results).
 * @param value - any object.
 * @param tag - the model tag (omitted: `value` is returned as is).
 * @returns `{ ...value, model, modelVersion }`.
 * @example withModelTag({ isDrift: true }, modelTag('m', '1')) // => { isDrift: true, model: 'm', modelVersion: '1' }
 */
export function withModelTag<T extends object>(
  value: T,
  tag: ModelTag | undefined,
): T & Partial<ModelTag> {
  if (!tag) return value;
  return { ...value, model: tag.model, modelVersion: tag.modelVersion };
}

/**
 * The tag as Prometheus labels (`model`, `model_version`).
 * @param tag - the model tag.
 * @returns the label set.
 * @example modelLabels({ model: 'm', modelVersion: '1' }) // => { model: 'm', model_version: '1' }
 */
export function modelLabels(tag: ModelTag): ModelLabels {
  return { model: tag.model, model_version: tag.modelVersion };
}

/**
 * The tag in the shape a `WindowRecord` carries (`model: { name, version }`, src/window/).
 * @param tag - the model tag.
 * @returns `{ name, version }`.
 * @example toWindowModel({ model: 'm', modelVersion: '1' }) // => { name: 'm', version: '1' }
 */
export function toWindowModel(tag: ModelTag): {
  /** Model name. */
  name: string;
  /** Model version. */
  version: string;
} {
  return { name: tag.model, version: tag.modelVersion };
}
