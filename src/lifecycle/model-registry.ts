/**
 * The model registry: which model versions exist on this device, their
 * holdout baselines and training-data reference statistics, and which version
 * of each model is active. Persisted in IndexedDB (`src/storage/model-store.ts`,
 * database `'edgewatch-models'`), in memory where IndexedDB is missing (Node).
 *
 * Reads are synchronous (the registry is small and held in memory after
 * `open`); writes are async and reach storage before they resolve.
 */
import { ConfigError, describeValue } from '../errors.js';
import { openModelStore } from '../storage/model-store.js';
import type { ModelStore, ModelStoreOptions, StoredModel } from '../storage/model-store.js';
import { TypedEmitter, type PayloadListeners } from '../util/typed-emitter.js';
import { modelTag } from './model-tag.js';
import type { ModelTag } from './model-tag.js';

/** A registered model version (frozen). */
export type ModelRecord = Readonly<StoredModel>;

/** What `register` takes. */
export interface RegisterInput {
  name: string;
  version: string;
  baseline?: Record<string, number>;
  metadata?: Record<string, unknown>;
  reference?: unknown;
  /** Epoch ms (default now). */
  createdAt?: number;
  /** Make this the active version (default: only when the model has no active version yet). */
  activate?: boolean;
}

/** Options of {@link ModelRegistry.open}. */
export interface ModelRegistryOptions extends ModelStoreOptions {
  /** A ready store (overrides `name`/`backend`). */
  store?: ModelStore;
}

/** Events of the registry. */
export interface ModelRegistryEvents extends Record<string, unknown> {
  register: ModelRecord;
  activate: { name: string; version: string; previous: string | undefined };
}

const key = (name: string, version: string): string => JSON.stringify([name, version]);

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(`expected ${what} to be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

/** Registry of model versions and the active version of each model. */
export class ModelRegistry {
  private readonly models = new Map<string, ModelRecord>();
  private readonly active = new Map<string, string>();
  private readonly events = new TypedEmitter<PayloadListeners<ModelRegistryEvents>>(
    () => undefined,
  );

  private constructor(private readonly store: ModelStore) {}

  /**
   * Opens the registry and loads what storage holds.
   * @param options - `name` (IndexedDB database, default `'edgewatch-models'`), `backend`, or a ready `store`.
   * @returns the registry.
   * @throws StorageError when storage cannot be opened or read.
   * @example const registry = await ModelRegistry.open();
   */
  static async open(options: ModelRegistryOptions = {}): Promise<ModelRegistry> {
    const store = options.store ?? (await openModelStore(options));
    const registry = new ModelRegistry(store);
    const { models, active } = await store.loadAll();
    for (const m of models) registry.models.set(key(m.name, m.version), freeze(m));
    for (const a of active) registry.active.set(a.name, a.version);
    return registry;
  }

  /** Where the registry persists (`'indexeddb'` or `'memory'`). */
  get storage(): 'indexeddb' | 'memory' {
    return this.store.kind;
  }

  /**
   * Registers a model version.
   * @param input - name, version, baseline metrics, metadata, reference statistics.
   * @returns the stored record.
   * @throws ConfigError on a missing name/version, a non-numeric baseline, or a version already registered.
   * @throws StorageError when it cannot be persisted (nothing changes then).
   * @example await registry.register({ name: 'perception', version: '2', baseline: { accuracy: 0.93 } });
   */
  async register(input: RegisterInput): Promise<ModelRecord> {
    if (typeof input !== 'object' || input === null) {
      throw new ConfigError(`expected a model description object, got ${describeValue(input)}`);
    }
    const name = requireString(input.name, 'name');
    const version = requireString(input.version, 'version');
    if (this.models.has(key(name, version))) {
      throw new ConfigError(
        `expected a new version of model "${name}", got "${version}" which is already registered`,
      );
    }
    if (input.baseline !== undefined) {
      for (const [metric, value] of Object.entries(input.baseline)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new ConfigError(
            `expected baseline.${metric} to be a finite number, got ${describeValue(value)}`,
          );
        }
      }
    }
    const record: StoredModel = {
      name,
      version,
      createdAt: input.createdAt ?? Date.now(),
      ...(input.baseline !== undefined ? { baseline: { ...input.baseline } } : {}),
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      ...(input.reference !== undefined ? { reference: input.reference } : {}),
    };
    await this.store.putModel(record);
    const frozen = freeze(structuredClone(record));
    this.models.set(key(name, version), frozen);
    this.events.emit('register', frozen);
    if (input.activate ?? !this.active.has(name)) await this.setActive(name, version);
    return frozen;
  }

  /**
   * Whether a version is registered.
   * @returns true when `(name, version)` exists.
   */
  has(name: string, version: string): boolean {
    return this.models.has(key(name, version));
  }

  /**
   * A registered version (default: the active one).
   * @param name - model name.
   * @param version - version (omitted: the active version).
   * @returns the record.
   * @throws ConfigError for an unknown model or version, or no active version.
   */
  get(name: string, version?: string): ModelRecord {
    const v = version ?? this.active.get(name);
    const record = v === undefined ? undefined : this.models.get(key(name, v));
    if (!record) throw this.unknown(name, v);
    return record;
  }

  /**
   * The active version's record, or undefined when none is active.
   * @param name - model name.
   */
  getActive(name: string): ModelRecord | undefined {
    const v = this.active.get(name);
    return v === undefined ? undefined : this.models.get(key(name, v));
  }

  /**
   * Makes `version` the active version of `name` (persisted).
   * @returns the record now active.
   * @throws ConfigError for an unknown version; StorageError when it cannot be persisted.
   * @example ab.on('promote', () => void registry.setActive('perception', '2'));
   */
  async setActive(name: string, version: string): Promise<ModelRecord> {
    const record = this.models.get(key(name, version));
    if (!record) throw this.unknown(name, version);
    const previous = this.active.get(name);
    await this.store.putActive(name, version);
    this.active.set(name, version);
    if (previous !== version) this.events.emit('activate', { name, version, previous });
    return record;
  }

  /**
   * Registered versions, oldest first (by `createdAt`, then version).
   * @param name - one model (omitted: all models).
   */
  list(name?: string): ModelRecord[] {
    return [...this.models.values()]
      .filter((m) => name === undefined || m.name === name)
      .sort(
        (a, b) =>
          a.createdAt - b.createdAt ||
          a.name.localeCompare(b.name) ||
          a.version.localeCompare(b.version),
      );
  }

  /**
   * Removes a version that is not active.
   * @throws ConfigError for an unknown or the active version.
   */
  async remove(name: string, version: string): Promise<void> {
    if (!this.models.has(key(name, version))) throw this.unknown(name, version);
    if (this.active.get(name) === version) {
      throw new ConfigError(
        `expected a version of "${name}" that is not active, got the active version "${version}"`,
      );
    }
    await this.store.deleteModel(name, version);
    this.models.delete(key(name, version));
  }

  /**
   * The {@link ModelTag} for a version (default: the active one), for windows, alerts and drift results.
   * @throws ConfigError for an unknown model or version.
   * @example withModelTag(result, registry.tag('perception'))
   */
  tag(name: string, version?: string): ModelTag {
    const record = this.get(name, version);
    return modelTag(record.name, record.version);
  }

  /**
   * Subscribes to `register` or `activate`.
   * @returns an unsubscribe function.
   */
  on<K extends keyof ModelRegistryEvents>(
    event: K,
    fn: (payload: ModelRegistryEvents[K]) => void,
  ): () => void {
    return this.events.on(event, fn);
  }

  /** Closes storage. */
  close(): void {
    this.store.close();
  }

  private unknown(name: string, version: string | undefined): ConfigError {
    const known = this.list(name).map((m) => `"${m.version}"`);
    if (version === undefined) {
      return new ConfigError(
        `expected model "${name}" to have an active version, got none (registered: ${known.join(', ') || 'none'})`,
      );
    }
    return new ConfigError(
      `expected a registered version of model "${name}" (${known.join(', ') || 'none registered'}), got "${version}"`,
    );
  }
}

function freeze(m: StoredModel): ModelRecord {
  if (m.baseline) Object.freeze(m.baseline);
  return Object.freeze(m);
}
