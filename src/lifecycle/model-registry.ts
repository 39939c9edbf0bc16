/**
 * The model registry: which model versions exist on this device, their
 * holdout baselines and training-data reference statistics, and which version
 * of each model is active. Persisted in IndexedDB (`src/storage/model-store.ts`,
 * database `'edgewatch-models'`) in browsers, and in a JSON file in the data
 * directory in Node (`EDGEWATCH_DATA_DIR`, else `~/.edgewatch`).
 *
 * Reads are synchronous from a copy held in memory; writes are transactions
 * checked against storage (never against the copy), so another tab's newer
 * state is never overwritten: a conflicting write is a ConfigError and the
 * copy is reloaded. After every write the registry tells the others sharing
 * the store (BroadcastChannel, other tabs and registries of the same name) to
 * reload, so activation reads the same everywhere; `refresh()` reloads on demand.
 * Returned records are deep-frozen copies.
 */
import { ConfigError, closedError, describeValue } from '../errors.js';
import { isPlainObject } from './registry-validation.js';
import { openModelStore } from '../storage/model-store.js';
import type { ModelStore, ModelStoreOptions, StoredModel } from '../storage/model-store.js';
import { TypedEmitter, type PayloadListeners } from '../util/typed-emitter.js';
import { modelTag } from './model-tag.js';
import type { ModelTag } from './model-tag.js';
import { nonEmptyString } from '../util/options.js';

/** A registered model version (frozen). */
export type ModelRecord = Readonly<StoredModel>;

/** What `register` takes. */
export interface RegisterInput {
  /** The model's name (non-empty). */
  name: string;
  /** The version (non-empty; registering an existing one is an error). */
  version: string;
  /** Holdout metrics measured before deployment, finite numbers (e.g. `{ accuracy: 0.93 }`). */
  baseline?: Record<string, number>;
  /** Free-form, structured-cloneable metadata (training run, owner, …); stored as a copy. */
  metadata?: Record<string, unknown>;
  /** Training-data reference statistics (structured-cloneable); stored as a copy. */
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
  /** A model version was registered. */
  register: ModelRecord;
  /** A version became the active one of its model. */
  activate: {
    /** Model name. */
    name: string;
    /** The version now active. */
    version: string;
    /** The version active before, or undefined when none was. */
    previous: string | undefined;
  };
}

const key = (name: string, version: string): string => JSON.stringify([name, version]);

function requireString(value: unknown, what: string): string {
  nonEmptyString(what, value);
  return value;
}

/** Registry of model versions and the active version of each model. */
export class ModelRegistry {
  private models = new Map<string, ModelRecord>();
  private active = new Map<string, string>();
  private readonly events = new TypedEmitter<PayloadListeners<ModelRegistryEvents>>(
    () => undefined,
  );
  private revision = -1;
  private channel: BroadcastChannel | undefined;
  private closed = false;

  private constructor(
    private readonly store: ModelStore,
    channelName: string,
  ) {
    if (typeof BroadcastChannel === 'function') {
      this.channel = new BroadcastChannel(channelName);
      // Node: a listening channel must not keep the process alive
      (this.channel as { unref?: () => void }).unref?.();
      this.channel.onmessage = () => {
        void this.refresh().catch(() => undefined);
      };
    }
  }

  /**
   * Opens the registry and loads what storage holds.
   * @param options - `name` (IndexedDB database, default `'edgewatch-models'`), `backend`, or a ready `store`.
   * @returns the registry.
   * @throws StorageError when storage cannot be opened or read.
   * @example const registry = await ModelRegistry.open();
   */
  static async open(options: ModelRegistryOptions = {}): Promise<ModelRegistry> {
    const store = options.store ?? (await openModelStore(options));
    const registry = new ModelRegistry(
      store,
      `edgewatch-models:${store.kind}:${options.name ?? 'edgewatch-models'}`,
    );
    await registry.refresh();
    return registry;
  }

  /** Where the registry persists (`'indexeddb'`, `'file'` or `'memory'`). */
  get storage(): 'indexeddb' | 'file' | 'memory' {
    return this.store.kind;
  }

  /**
   * Reloads from storage (another tab or registry may have written), emitting
   * `register` for versions new to this registry and `activate` for changed active versions.
   * @throws StorageError when storage cannot be read.
   */
  async refresh(): Promise<void> {
    const snap = await this.store.loadAll();
    if (snap.revision === this.revision) return;
    const first = this.revision < 0;
    const models = new Map<string, ModelRecord>();
    for (const m of snap.models) {
      const k = key(m.name, m.version);
      models.set(k, this.models.get(k) ?? deepFreeze(m));
    }
    const active = new Map(snap.active.map((a) => [a.name, a.version] as const));
    const before = { models: this.models, active: this.active };
    this.models = models;
    this.active = active;
    this.revision = snap.revision;
    if (first) return;
    for (const [k, m] of models) if (!before.models.has(k)) this.events.emit('register', m);
    for (const [name, version] of active) {
      const previous = before.active.get(name);
      if (previous !== version) this.events.emit('activate', { name, version, previous });
    }
  }

  /** Writes, then reloads and tells the other registries on this store. */
  private async write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw closedError('ModelRegistry');
    try {
      return await fn();
    } finally {
      await this.refresh().catch(() => undefined);
      try {
        this.channel?.postMessage('changed');
      } catch {
        // the channel closed meanwhile
      }
    }
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
    const record = validateRegister(input);
    const activate = input.activate === undefined ? 'if-none' : input.activate ? 'always' : 'never';
    await this.write(() => this.store.addModel(record, activate));
    return this.get(record.name, record.version);
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
    requireString(name, 'name');
    requireString(version, 'version');
    if (!this.models.has(key(name, version))) await this.refresh();
    if (!this.models.has(key(name, version))) throw this.unknown(name, version);
    await this.write(() => this.store.putActive(name, version));
    return this.get(name, version);
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
    await this.write(() => this.store.deleteModel(name, version));
  }

  /**
   * The model tag (`{ model, modelVersion }`) for a version (default: the active one), for windows, alerts and drift results.
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

  /** Closes storage and the cross-tab channel. Idempotent; later writes throw ConfigError "ModelRegistry is closed". */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel?.close();
    this.store.close();
  }

  /** Same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
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

/** Freezes a record and everything in it (typed arrays stay as they are: they cannot be frozen). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/**
 * Checks what `register` takes.
 * @throws ConfigError ("expected …, got …") on any bad field.
 */
function validateRegister(input: RegisterInput): StoredModel {
  if (!isPlainObject(input)) {
    throw new ConfigError(`expected a model description object, got ${describeValue(input)}`);
  }
  const name = requireString(input.name, 'name');
  const version = requireString(input.version, 'version');
  if (input.baseline !== undefined) {
    if (!isPlainObject(input.baseline)) {
      throw new ConfigError(
        `expected baseline to be an object of finite numbers, got ${describeValue(input.baseline)}`,
      );
    }
    for (const [metric, value] of Object.entries(input.baseline)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ConfigError(
          `expected baseline.${metric} to be a finite number, got ${describeValue(value)}`,
        );
      }
    }
  }
  if (input.metadata !== undefined && !isPlainObject(input.metadata)) {
    throw new ConfigError(
      `expected metadata to be an object, got ${describeValue(input.metadata)}`,
    );
  }
  const createdAt = input.createdAt ?? Date.now();
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt < 0) {
    throw new ConfigError(
      `expected createdAt to be epoch milliseconds (a finite number ≥ 0), got ${describeValue(input.createdAt)}`,
    );
  }
  if (input.activate !== undefined && typeof input.activate !== 'boolean') {
    throw new ConfigError(
      `expected activate to be a boolean, got ${describeValue(input.activate)}`,
    );
  }
  let copy: Pick<StoredModel, 'metadata' | 'reference'>;
  try {
    copy = structuredClone({ metadata: input.metadata, reference: input.reference });
  } catch (error) {
    throw new ConfigError(
      `expected metadata and reference to be structured-cloneable, got ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    name,
    version,
    createdAt,
    ...(input.baseline !== undefined ? { baseline: { ...input.baseline } } : {}),
    ...(copy.metadata !== undefined ? { metadata: copy.metadata } : {}),
    ...(copy.reference !== undefined ? { reference: copy.reference } : {}),
  };
}
