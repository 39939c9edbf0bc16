/**
 * Durable storage of the model registry: IndexedDB (through `idb`) in its own
 * database (`'edgewatch-models'` by default, separate from the window store),
 * a JSON file in Node (`<data dir>/<name>.json`, the directory of the outbox),
 * or memory when asked.
 *
 * Every write is one transaction that checks its precondition against what is
 * stored — not against a cached copy — and bumps a revision: a version is
 * added only if absent (never overwritten), activated only if present, and
 * removed only if not active. So a registry opened earlier in another tab (or
 * process) can never overwrite a newer baseline or leave a dangling active
 * pointer; it gets a ConfigError and reloads.
 */
import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase } from 'idb';
import type * as FsPromises from 'node:fs/promises';
import { ConfigError, StorageError } from '../errors.js';
import { defaultDataDir } from './data-dir.js';
import { importNodeBuiltin } from '../platform/node-builtins.js';

/** A registered model version as stored. */
export interface StoredModel {
  /** The model's name. */
  name: string;
  /** The version. */
  version: string;
  /** Holdout metrics measured before deployment (e.g. `{ accuracy: 0.93 }`). */
  baseline?: Record<string, number>;
  /** Free-form, structured-cloneable metadata (training run, owner, …). */
  metadata?: Record<string, unknown>;
  /** Training-data reference statistics (structured-cloneable). */
  reference?: unknown;
  /** Epoch ms. */
  createdAt: number;
}

/** Which version of a model is active. */
export interface StoredActive {
  /** The model's name. */
  name: string;
  /** Its active version. */
  version: string;
}

/** Everything the store holds. */
export interface ModelSnapshot {
  /** Every stored model version. */
  models: StoredModel[];
  /** The active version of each model that has one. */
  active: StoredActive[];
  /** Bumped by every write (any tab or process sharing the store). */
  revision: number;
}

/** Persistence behind `ModelRegistry`: every method is one atomic transaction. */
export interface ModelStore {
  /** Where the registry lives. */
  readonly kind: 'indexeddb' | 'memory' | 'file';
  /** Everything stored (the registry is small; it is read at open and after changes). */
  loadAll(): Promise<ModelSnapshot>;
  /**
   * Adds a version, and activates it when `activate` is `'always'`, or `'if-none'` and the model has no active version.
   * @throws ConfigError when the version exists already (it is never overwritten).
   */
  addModel(model: StoredModel, activate: 'always' | 'if-none' | 'never'): Promise<void>;
  /**
   * Removes a version.
   * @throws ConfigError when it is unknown or active.
   */
  deleteModel(name: string, version: string): Promise<void>;
  /**
   * Makes `version` the active version of `name`.
   * @returns the version active before.
   * @throws ConfigError when the version is not stored.
   */
  putActive(name: string, version: string): Promise<string | undefined>;
  /** Closes the store: releases the IndexedDB connection (nothing to release for the memory and file stores). */
  close(): void;
}

interface ModelDB extends DBSchema {
  models: { key: [string, string]; value: StoredModel };
  active: { key: string; value: StoredActive };
  meta: { key: string; value: { key: string; value: number } };
}

function wrap(error: unknown, what: string): StorageError | ConfigError {
  if (error instanceof ConfigError || error instanceof StorageError) return error;
  const quota = error instanceof Error && error.name === 'QuotaExceededError';
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(
    `model store: ${what} failed: ${message}`,
    quota ? 'STORAGE_QUOTA' : 'STORAGE',
    { cause: error },
  );
}

const duplicate = (name: string, version: string): ConfigError =>
  new ConfigError(
    `expected a new version of model "${name}", got "${version}" which is already registered`,
  );
const missing = (name: string, version: string): ConfigError =>
  new ConfigError(`expected a registered version of model "${name}", got "${version}"`);
const activeOne = (name: string, version: string): ConfigError =>
  new ConfigError(
    `expected a version of "${name}" that is not active, got the active version "${version}"`,
  );

class IdbModelStore implements ModelStore {
  readonly kind = 'indexeddb' as const;
  constructor(private readonly db: IDBPDatabase<ModelDB>) {}

  async loadAll(): Promise<ModelSnapshot> {
    try {
      const tx = this.db.transaction(['models', 'active', 'meta'], 'readonly');
      const [models, active, rev] = await Promise.all([
        tx.objectStore('models').getAll(),
        tx.objectStore('active').getAll(),
        tx.objectStore('meta').get('revision'),
      ]);
      await tx.done;
      return { models, active, revision: rev?.value ?? 0 };
    } catch (error) {
      throw wrap(error, 'read');
    }
  }

  /** One readwrite transaction over all stores; IndexedDB runs them one at a time across tabs. */
  private async write<T>(
    what: string,
    fn: (tx: ReturnType<IdbModelStore['tx']>) => Promise<T>,
  ): Promise<T> {
    const tx = this.tx();
    try {
      const result = await fn(tx);
      const rev = await tx.objectStore('meta').get('revision');
      await tx.objectStore('meta').put({ key: 'revision', value: (rev?.value ?? 0) + 1 });
      await tx.done;
      return result;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already finished
      }
      await tx.done.catch(() => undefined);
      throw wrap(error, what);
    }
  }

  private tx() {
    return this.db.transaction(['models', 'active', 'meta'], 'readwrite', {
      durability: 'strict',
    });
  }

  addModel(model: StoredModel, activate: 'always' | 'if-none' | 'never'): Promise<void> {
    return this.write('write', async (tx) => {
      const models = tx.objectStore('models');
      if (await models.getKey([model.name, model.version]))
        throw duplicate(model.name, model.version);
      await models.add(model);
      const active = tx.objectStore('active');
      if (activate === 'always' || (activate === 'if-none' && !(await active.get(model.name))))
        await active.put({ name: model.name, version: model.version });
    });
  }

  deleteModel(name: string, version: string): Promise<void> {
    return this.write('delete', async (tx) => {
      if (!(await tx.objectStore('models').getKey([name, version]))) throw missing(name, version);
      if ((await tx.objectStore('active').get(name))?.version === version)
        throw activeOne(name, version);
      await tx.objectStore('models').delete([name, version]);
    });
  }

  putActive(name: string, version: string): Promise<string | undefined> {
    return this.write('write', async (tx) => {
      if (!(await tx.objectStore('models').getKey([name, version]))) throw missing(name, version);
      const previous = (await tx.objectStore('active').get(name))?.version;
      await tx.objectStore('active').put({ name, version });
      return previous;
    });
  }

  close(): void {
    this.db.close();
  }
}

/** The store's content as a plain object (memory and file stores). */
interface State {
  models: Record<string, StoredModel>;
  active: Record<string, string>;
  revision: number;
}

const stateKey = (name: string, version: string): string => JSON.stringify([name, version]);

/** The checks and changes of each write on a plain state, shared by the memory and file stores. */
const ops = {
  add(state: State, model: StoredModel, activate: 'always' | 'if-none' | 'never'): void {
    const k = stateKey(model.name, model.version);
    if (state.models[k]) throw duplicate(model.name, model.version);
    state.models[k] = model;
    if (activate === 'always' || (activate === 'if-none' && !(model.name in state.active)))
      state.active[model.name] = model.version;
  },
  delete(state: State, name: string, version: string): void {
    const k = stateKey(name, version);
    if (!state.models[k]) throw missing(name, version);
    if (state.active[name] === version) throw activeOne(name, version);
    delete state.models[k];
  },
  activate(state: State, name: string, version: string): string | undefined {
    if (!state.models[stateKey(name, version)]) throw missing(name, version);
    const previous = state.active[name];
    state.active[name] = version;
    return previous;
  },
};

function snapshot(state: State): ModelSnapshot {
  return structuredClone({
    models: Object.values(state.models),
    active: Object.entries(state.active).map(([name, version]) => ({ name, version })),
    revision: state.revision,
  });
}

/** A store over a state that `load`/`save` read and write; writes run one at a time. */
abstract class StateModelStore implements ModelStore {
  abstract readonly kind: 'memory' | 'file';
  private chain: Promise<unknown> = Promise.resolve();
  protected abstract load(): Promise<State>;
  protected abstract save(state: State): Promise<void>;

  protected serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private change<T>(what: string, fn: (state: State) => T): Promise<T> {
    return this.serial(async () => {
      const state = await this.load();
      let result: T;
      try {
        result = fn(state);
        state.revision++;
        await this.save(structuredClone(state));
      } catch (error) {
        throw wrap(error, what);
      }
      return result;
    });
  }

  loadAll(): Promise<ModelSnapshot> {
    return this.serial(async () => snapshot(await this.load()));
  }

  addModel(model: StoredModel, activate: 'always' | 'if-none' | 'never'): Promise<void> {
    return this.change('write', (s) => ops.add(s, model, activate));
  }

  deleteModel(name: string, version: string): Promise<void> {
    return this.change('delete', (s) => ops.delete(s, name, version));
  }

  putActive(name: string, version: string): Promise<string | undefined> {
    return this.change('write', (s) => ops.activate(s, name, version));
  }

  close(): void {}
}

class MemoryModelStore extends StateModelStore {
  readonly kind = 'memory' as const;
  private state: State = { models: {}, active: {}, revision: 0 };
  protected async load(): Promise<State> {
    return structuredClone(this.state);
  }
  protected async save(state: State): Promise<void> {
    this.state = state;
  }
}

type Fs = typeof FsPromises;

/** Writes to one file, per path, run one at a time within this process. */
const fileChains = new Map<string, Promise<unknown>>();

/**
 * A JSON file, rewritten atomically (temporary file, fsync, rename) on every
 * write. Registries of one process sharing the path see each other's writes
 * (each write re-reads the file). Separate processes writing the same file at
 * the same moment are not locked against each other.
 */
class FileModelStore extends StateModelStore {
  readonly kind = 'file' as const;
  constructor(
    readonly path: string,
    private readonly fs: Fs,
  ) {
    super();
  }

  protected override serial<T>(fn: () => Promise<T>): Promise<T> {
    const prev = fileChains.get(this.path) ?? Promise.resolve();
    const p = prev.then(fn, fn);
    fileChains.set(
      this.path,
      p.catch(() => undefined),
    );
    return p;
  }

  protected async load(): Promise<State> {
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT')
        return { models: {}, active: {}, revision: 0 };
      throw new StorageError(`model store: cannot read ${this.path}`, 'STORAGE', { cause: error });
    }
    try {
      const s = JSON.parse(text) as State;
      if (typeof s !== 'object' || s === null || typeof s.models !== 'object')
        throw new Error('shape');
      return { models: s.models, active: s.active ?? {}, revision: s.revision ?? 0 };
    } catch (error) {
      throw new StorageError(
        `model store: expected a registry file written by edgewatch at ${this.path}, got unparseable content`,
        'STORAGE',
        { cause: error },
      );
    }
  }

  protected async save(state: State): Promise<void> {
    const tmp = `${this.path}.tmp`;
    const fh = await this.fs.open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(state), 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.fs.rename(tmp, this.path);
  }
}

/** Options of {@link openModelStore}. */
export interface ModelStoreOptions {
  /** Database name (IndexedDB) or file name without `.json` (Node). Default `'edgewatch-models'`. */
  name?: string;
  /**
   * `'auto'` (IndexedDB when `globalThis.indexedDB` exists, else a file in Node, else memory),
   * `'indexeddb'`, `'file'` or `'memory'`.
   */
  backend?: 'auto' | 'indexeddb' | 'file' | 'memory';
  /** File store: the directory (default `defaultDataDir()`: `EDGEWATCH_DATA_DIR`, else `~/.edgewatch`); created if absent. */
  dataDir?: string;
}

async function openFileStore(options: ModelStoreOptions): Promise<FileModelStore> {
  let fs: Fs;
  try {
    fs = await importNodeBuiltin('node:fs/promises');
  } catch (error) {
    throw new StorageError(
      'model store: expected Node file system access (backend "file")',
      'STORAGE',
      {
        cause: error,
      },
    );
  }
  const dir = (options.dataDir ?? defaultDataDir()).replace(/[\\/]+$/, '');
  const name = options.name ?? 'edgewatch-models';
  if (!/^[\w.-]+$/.test(name))
    throw new ConfigError(`expected a file-safe registry name ([A-Za-z0-9_.-]), got "${name}"`);
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    throw new StorageError(`model store: cannot create ${dir}`, 'STORAGE', { cause: error });
  }
  const store = new FileModelStore(`${dir}/${name}.json`, fs);
  await store.loadAll();
  return store;
}

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
  'string';

/**
 * Opens the model store.
 * @param options - name, backend and (file) directory.
 * @returns the store.
 * @throws StorageError when the requested backend is missing or cannot be opened or read.
 * @example const store = await openModelStore({ name: 'edgewatch-models' });
 */
export async function openModelStore(options: ModelStoreOptions = {}): Promise<ModelStore> {
  const backend = options.backend ?? 'auto';
  const hasIdb = typeof globalThis.indexedDB !== 'undefined';
  if (backend === 'memory') return new MemoryModelStore();
  if (backend === 'file' || (backend === 'auto' && !hasIdb && isNode()))
    return openFileStore(options);
  if (backend === 'auto' && !hasIdb) return new MemoryModelStore();
  if (!hasIdb)
    throw new StorageError(
      'model store: expected IndexedDB (backend "indexeddb"), got none in this environment',
    );
  try {
    const db = await openDB<ModelDB>(options.name ?? 'edgewatch-models', 2, {
      upgrade(database) {
        // additive steps: a version-1 database keeps its models and active versions
        if (!database.objectStoreNames.contains('models'))
          database.createObjectStore('models', { keyPath: ['name', 'version'] });
        if (!database.objectStoreNames.contains('active'))
          database.createObjectStore('active', { keyPath: 'name' });
        if (!database.objectStoreNames.contains('meta'))
          database.createObjectStore('meta', { keyPath: 'key' });
      },
      blocking() {
        // another tab needs a newer schema: let it upgrade
        db.close();
      },
    });
    return new IdbModelStore(db);
  } catch (error) {
    throw wrap(error, 'open');
  }
}
