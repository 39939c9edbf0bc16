/**
 * Durable storage of the model registry: IndexedDB (through `idb`) in its own
 * database (`'edgewatch-models'` by default, separate from the window store),
 * or an in-memory store where IndexedDB is missing (Node).
 */
import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase } from 'idb';
import { StorageError } from '../errors.js';

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

/** Persistence behind `ModelRegistry`. */
export interface ModelStore {
  /** Where the registry lives. */
  readonly kind: 'indexeddb' | 'memory';
  /** Everything stored (the registry is small; it is read once at open). */
  loadAll(): Promise<{
    /** Every registered version. */
    models: StoredModel[];
    /** The active version of each model that has one. */
    active: StoredActive[];
  }>;
  /** Adds or replaces one version. */
  putModel(model: StoredModel): Promise<void>;
  /** Removes one version. */
  deleteModel(name: string, version: string): Promise<void>;
  /** Sets (or with `version` undefined, clears) the active version of `name`. */
  putActive(name: string, version: string | undefined): Promise<void>;
  /** Releases the database connection. */
  close(): void;
}

interface ModelDB extends DBSchema {
  models: { key: [string, string]; value: StoredModel };
  active: { key: string; value: StoredActive };
}

function wrap(error: unknown, what: string): StorageError {
  const quota = error instanceof Error && error.name === 'QuotaExceededError';
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(
    `model store: ${what} failed: ${message}`,
    quota ? 'STORAGE_QUOTA' : 'STORAGE',
    { cause: error },
  );
}

class IdbModelStore implements ModelStore {
  readonly kind = 'indexeddb' as const;
  constructor(private readonly db: IDBPDatabase<ModelDB>) {}

  async loadAll(): Promise<{ models: StoredModel[]; active: StoredActive[] }> {
    try {
      const tx = this.db.transaction(['models', 'active'], 'readonly');
      const [models, active] = await Promise.all([
        tx.objectStore('models').getAll(),
        tx.objectStore('active').getAll(),
      ]);
      await tx.done;
      return { models, active };
    } catch (error) {
      throw wrap(error, 'read');
    }
  }

  async putModel(model: StoredModel): Promise<void> {
    try {
      await this.db.put('models', model);
    } catch (error) {
      throw wrap(error, 'write');
    }
  }

  async deleteModel(name: string, version: string): Promise<void> {
    try {
      await this.db.delete('models', [name, version]);
    } catch (error) {
      throw wrap(error, 'delete');
    }
  }

  async putActive(name: string, version: string | undefined): Promise<void> {
    try {
      if (version === undefined) await this.db.delete('active', name);
      else await this.db.put('active', { name, version });
    } catch (error) {
      throw wrap(error, 'write');
    }
  }

  close(): void {
    this.db.close();
  }
}

class MemoryModelStore implements ModelStore {
  readonly kind = 'memory' as const;
  private readonly models = new Map<string, StoredModel>();
  private readonly active = new Map<string, string>();

  async loadAll(): Promise<{ models: StoredModel[]; active: StoredActive[] }> {
    return {
      models: [...this.models.values()].map((m) => structuredClone(m)),
      active: [...this.active].map(([name, version]) => ({ name, version })),
    };
  }

  async putModel(model: StoredModel): Promise<void> {
    try {
      this.models.set(JSON.stringify([model.name, model.version]), structuredClone(model));
    } catch (error) {
      throw wrap(error, 'write');
    }
  }

  async deleteModel(name: string, version: string): Promise<void> {
    this.models.delete(JSON.stringify([name, version]));
  }

  async putActive(name: string, version: string | undefined): Promise<void> {
    if (version === undefined) this.active.delete(name);
    else this.active.set(name, version);
  }

  close(): void {}
}

/** Options of {@link openModelStore}. */
export interface ModelStoreOptions {
  /** IndexedDB database name (default `'edgewatch-models'`). */
  name?: string;
  /** `'auto'` (IndexedDB when `globalThis.indexedDB` exists, else memory), `'indexeddb'` or `'memory'`. */
  backend?: 'auto' | 'indexeddb' | 'memory';
}

/**
 * Opens the model store.
 * @param options - database name and backend.
 * @returns the store.
 * @throws StorageError when IndexedDB is requested but missing, or cannot be opened.
 * @example const store = await openModelStore({ name: 'edgewatch-models' });
 */
export async function openModelStore(options: ModelStoreOptions = {}): Promise<ModelStore> {
  const backend = options.backend ?? 'auto';
  const hasIdb = typeof globalThis.indexedDB !== 'undefined';
  if (backend === 'memory' || (backend === 'auto' && !hasIdb)) return new MemoryModelStore();
  if (!hasIdb)
    throw new StorageError(
      'model store: expected IndexedDB (backend "indexeddb"), got none in this environment',
    );
  try {
    const db = await openDB<ModelDB>(options.name ?? 'edgewatch-models', 1, {
      upgrade(database) {
        database.createObjectStore('models', { keyPath: ['name', 'version'] });
        database.createObjectStore('active', { keyPath: 'name' });
      },
    });
    return new IdbModelStore(db);
  } catch (error) {
    throw wrap(error, 'open');
  }
}
