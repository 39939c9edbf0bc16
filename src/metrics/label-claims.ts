/**
 * Label claims: two monitors of one kind on one registry need distinct
 * labels. A claim is taken synchronously when a monitor links (so a duplicate
 * is refused at construction) and freed when it closes.
 */
import { ConfigError } from '../errors.js';
import { baseLabels } from './prom-monitor-sources.js';
import type { Base, SourceLabels } from './prom-monitor-sources.js';

/** Per registry, per monitor kind: the sources and the labels (JSON) they claimed. */
const claims = new WeakMap<object, Map<string, Map<object, string>>>();

/**
 * Validates labels and claims them for `source` among the sources of `kind` on
 * `registry` (re-claiming by the same source is allowed).
 *
 * @param registry - the registry.
 * @param kind - the monitor kind, e.g. `'LatencyTracker'`.
 * @param source - the monitor.
 * @param labels - model, model_version, device.
 * @returns all three labels ("" for missing ones).
 * @throws ConfigError on other label keys, a non-string value, or labels another
 *   source of the same kind already claimed on that registry.
 * @example
 * const l = claimLabels(registry, 'AlertSystem', alerts, { model: 'perception' });
 */
export function claimLabels(
  registry: object,
  kind: string,
  source: object,
  labels: SourceLabels,
): Record<Base, string> {
  const l = baseLabels(labels);
  const key = JSON.stringify(l);
  let kinds = claims.get(registry);
  if (!kinds) claims.set(registry, (kinds = new Map()));
  let taken = kinds.get(kind);
  if (!taken) kinds.set(kind, (taken = new Map()));
  for (const [s, other] of taken) {
    if (s !== source && other === key)
      throw new ConfigError(
        `expected distinct labels for each ${kind} in a registry, got ${key} twice`,
      );
  }
  taken.set(source, key);
  return l;
}

/**
 * Frees every label claim of `source` on `registry` (no-op when it has none).
 *
 * @param registry - the registry.
 * @param source - the monitor.
 */
export function releaseLabels(registry: object, source: object): void {
  for (const taken of claims.get(registry)?.values() ?? []) taken.delete(source);
}
