/**
 * The caller's side of an `EdgeMonitor`'s feature profiles: checks the
 * `profiles` option, starts the profile service (src/engine/profile-service.ts:
 * in a worker of its own when the monitor's engine runs in a worker, in-process
 * otherwise), hands it each window's feature columns (numeric buffers
 * transferred, not copied) and receives the encoded profiles and quality
 * figures. It imports nothing the eagerly loaded code holds but the error
 * classes (a module shared with a lazy chunk is split into a chunk of its own,
 * one more download for every page). Loaded only when the `profiles` option is set; it holds no profile
 * code itself, so with a worker none of it runs or loads on the caller's thread.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { EngineHandle } from '../engine/client.js';
import { createProfileEngine, profileWindow } from '../engine/profile-client.js';
import type { ProfileService } from '../engine/profile-service.js';
import type { ServiceEngine } from '../engine/service-client.js';
import { resolveProfileOptions } from '../profile/profile-options.js';
import type { ProfileOptions } from '../profile/profile-types.js';
import type { ProfiledFeature, WindowProfilesResult } from '../profile/window-profiler.js';
import type { ColumnKinds, FeatureTable } from './feature-buffer.js';

export type { FeatureQuality, WindowProfilesResult } from '../profile/window-profiler.js';

/** The `profiles` option of `EdgeMonitor`: which features to profile, and how. */
export interface EdgeProfilesOptions extends ProfileOptions {
  /** Reference columns to profile: a list, or `'all'` (default). */
  features?: readonly string[] | 'all';
}

/** The started profile service and the id of this monitor's profiler in it. */
interface Started {
  service: ServiceEngine<ProfileService>;
  id: number;
}

/** Builds the profiles and quality figures of each window for the chosen features. */
export class WindowProfiles {
  private constructor(
    /** The profiled features. */
    readonly features: readonly string[],
    private readonly started: Promise<Started>,
  ) {}

  /**
   * Validates the option against the reference and starts preparing the
   * profiler (reference ranges and categories) in the profile service; a
   * failure to start surfaces in {@link WindowProfiles.build}.
   *
   * @param options - the `profiles` option.
   * @param reference - the monitor's reference table (required).
   * @param kinds - the reference's column kinds.
   * @param maxFeatures - most features profiled (a window carries at most
   *   `WINDOW_LIMITS.maxProfiles`; passed in so that this lazily loaded module
   *   shares no module with the eagerly loaded code but the error classes).
   * @param engine - the monitor's engine: a worker engine puts the profiles in a
   *   worker too; none: a worker in browsers, in-process in Node.
   * @returns the builder.
   * @throws ConfigError without a reference, for a feature the reference lacks, too
   *   many features (more than `maxFeatures`) or a bad profile option.
   * @example WindowProfiles.create({ features: ['speed'] }, reference, columnKinds(reference), 64)
   */
  static create(
    options: EdgeProfilesOptions,
    reference: Readonly<Record<string, ArrayLike<unknown>>> | undefined,
    kinds: ColumnKinds,
    maxFeatures: number,
    engine?: EngineHandle,
  ): WindowProfiles {
    if (options === null || typeof options !== 'object')
      throw new ConfigError(`expected profiles to be an object, got ${describeValue(options)}`);
    if (reference === undefined)
      throw new ConfigError(
        'profiles: expected a reference table (the profiled features are its columns)',
      );
    const { features = 'all', ...rest } = options;
    resolveProfileOptions(rest);
    if (features !== 'all' && !Array.isArray(features))
      throw new ConfigError(
        `profiles.features: expected 'all' or a list of reference columns, got ${describeValue(features)}`,
      );
    const names = features === 'all' ? Object.keys(kinds) : [...new Set(features)];
    if (names.length > maxFeatures)
      throw new ConfigError(
        `profiles.features: expected at most ${maxFeatures} features, got ${names.length}`,
      );
    const plan: ProfiledFeature[] = [];
    for (const name of names) {
      const kind = Object.hasOwn(kinds, name) ? kinds[name] : undefined;
      const values = Object.hasOwn(reference, name) ? reference[name] : undefined;
      if (kind === undefined || values === undefined)
        throw new ConfigError(
          `profiles.features: ${describeValue(name)} is not a reference column`,
        );
      plan.push({ name, kind, reference: values });
    }
    const mode = engine === undefined ? 'auto' : engine.mode === 'worker' ? 'worker' : 'inline';
    const started = createProfileEngine({ mode }).then(async (service) => {
      try {
        return { service, id: await service.api.prepare(plan, rest) };
      } catch (error) {
        service.close();
        throw error;
      }
    });
    started.catch(() => undefined); // reported by build(), once per window
    return new WindowProfiles(names, started);
  }

  /**
   * Profiles one window in the profile service. The caller's cost is handing the
   * columns over: the numeric columns' buffers are transferred (unusable here
   * afterwards in worker mode), the categorical ones copied by structured clone.
   *
   * @param columns - the window's columns, owned by the caller
   *   (`FeatureBuffer.takeBoth().own`: NaN / null for missing and for values of the wrong type).
   * @param invalid - per column, how many of those were of the wrong type.
   * @returns the profile bytes, the quality figures and their flat performance keys.
   * @throws what starting the service or profiling throws (KernelError, DataError).
   */
  async build(
    columns: FeatureTable,
    invalid: Readonly<Record<string, number>>,
  ): Promise<WindowProfilesResult> {
    const { service, id } = await this.started;
    return profileWindow(service, id, columns, invalid);
  }

  /**
   * Frees the profiler and stops the service. Idempotent; never throws.
   *
   * @returns when done.
   */
  async close(): Promise<void> {
    const s = await this.started.catch(() => undefined);
    if (s === undefined || s.service.closed) return;
    await s.service.api.release(s.id).catch(() => undefined);
    s.service.close();
  }
}
