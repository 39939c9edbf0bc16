import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistry } from '../../src/lifecycle/model-registry.js';
import { openModelStore } from '../../src/storage/model-store.js';
import {
  withModelTag,
  modelLabels,
  toWindowModel,
  modelTag,
} from '../../src/lifecycle/model-tag.js';
import { ConfigError, StorageError } from '../../src/errors.js';

let dbCounter = 0;
const freshName = (): string => `edgewatch-models-test-${++dbCounter}`;

describe.each(['indexeddb', 'memory'] as const)('ModelRegistry (%s backend)', (backend) => {
  it('registers, activates the first version, lists, reads back', async () => {
    const registry = await ModelRegistry.open({ name: freshName(), backend });
    expect(registry.storage).toBe(backend);
    const v1 = await registry.register({
      name: 'perception',
      version: '1',
      baseline: { accuracy: 0.91 },
      createdAt: 1000,
    });
    const second = () => ({
      name: 'perception',
      version: '2',
      baseline: { accuracy: 0.93 },
      metadata: { run: 'abc' },
      reference: { mean: [1, 2] },
      createdAt: 2000,
    });
    const v2 = await registry.register(second());
    expect(registry.getActive('perception')).toEqual(v1);
    expect(registry.get('perception')).toBe(v1);
    expect(registry.get('perception', '2')).toEqual(second());
    expect(registry.list('perception').map((m) => m.version)).toEqual(['1', '2']);
    expect(Object.isFrozen(v2)).toBe(true);
    await registry.setActive('perception', '2');
    expect(registry.tag('perception')).toEqual({ model: 'perception', modelVersion: '2' });
    registry.close();
  });

  it('unknown model versions are ConfigErrors that name the known versions', async () => {
    const registry = await ModelRegistry.open({ name: freshName(), backend });
    await registry.register({ name: 'm', version: '1' });
    expect(() => registry.get('m', '9')).toThrow(ConfigError);
    expect(() => registry.get('m', '9')).toThrow(
      /expected a registered version of model "m" \("1"\), got "9"/,
    );
    expect(() => registry.get('nope')).toThrow(/active version/);
    await expect(registry.setActive('m', '9')).rejects.toThrow(ConfigError);
    await expect(registry.remove('m', '9')).rejects.toThrow(ConfigError);
    expect(() => registry.tag('m', '3')).toThrow(ConfigError);
    expect(registry.getActive('nope')).toBeUndefined();
    expect(registry.has('m', '1')).toBe(true);
    expect(registry.has('m', '9')).toBe(false);
    registry.close();
  });

  it('rejects duplicates and bad input; refuses to remove the active version', async () => {
    const registry = await ModelRegistry.open({ name: freshName(), backend });
    await registry.register({ name: 'm', version: '1' });
    await expect(registry.register({ name: 'm', version: '1' })).rejects.toThrow(
      /already registered/,
    );
    await expect(registry.register({ name: '', version: '1' })).rejects.toThrow(ConfigError);
    await expect(registry.register({ name: 'm', version: 2 as unknown as string })).rejects.toThrow(
      /expected version/,
    );
    await expect(
      registry.register({ name: 'm', version: '3', baseline: { accuracy: NaN } }),
    ).rejects.toThrow(/baseline.accuracy/);
    await expect(registry.remove('m', '1')).rejects.toThrow(/not active/);
    await registry.register({ name: 'm', version: '2', activate: true });
    await registry.remove('m', '1');
    expect(registry.list().map((m) => m.version)).toEqual(['2']);
    registry.close();
  });

  it("emits 'register' and 'activate'", async () => {
    const registry = await ModelRegistry.open({ name: freshName(), backend });
    const seen: string[] = [];
    registry.on('register', (m) => seen.push(`register ${m.version}`));
    registry.on('activate', (a) => seen.push(`activate ${a.version} (was ${a.previous})`));
    await registry.register({ name: 'm', version: '1' });
    await registry.register({ name: 'm', version: '2' });
    await registry.setActive('m', '2');
    await registry.setActive('m', '2');
    expect(seen).toEqual([
      'register 1',
      'activate 1 (was undefined)',
      'register 2',
      'activate 2 (was 1)',
    ]);
    registry.close();
  });
});

describe('ModelRegistry persistence (fake-indexeddb)', () => {
  it('reopened registry reads back versions and the active version', async () => {
    const name = freshName();
    const a = await ModelRegistry.open({ name });
    expect(a.storage).toBe('indexeddb');
    await a.register({ name: 'm', version: '1', baseline: { mae: 0.2 }, createdAt: 5 });
    await a.register({ name: 'm', version: '2', createdAt: 6, activate: true });
    await a.register({ name: 'other', version: 'x', createdAt: 7 });
    a.close();
    const b = await ModelRegistry.open({ name });
    expect(b.list().map((m) => `${m.name}@${m.version}`)).toEqual(['m@1', 'm@2', 'other@x']);
    expect(b.get('m', '1').baseline).toEqual({ mae: 0.2 });
    expect(b.getActive('m')?.version).toBe('2');
    expect(b.getActive('other')?.version).toBe('x');
    b.close();
  });

  it('a value storage cannot clone is a ConfigError and changes nothing', async () => {
    const registry = await ModelRegistry.open({ name: freshName() });
    await expect(
      registry.register({ name: 'm', version: '1', metadata: { fn: () => 1 } }),
    ).rejects.toThrow(ConfigError);
    expect(registry.has('m', '1')).toBe(false);
    registry.close();
  });

  it("backend 'indexeddb' without IndexedDB is a StorageError; 'auto' in Node is the file store", async () => {
    const saved = globalThis.indexedDB;
    const dir = await mkdtemp(join(tmpdir(), 'ew-models-'));
    vi.stubEnv('EDGEWATCH_DATA_DIR', dir);
    try {
      // @ts-expect-error -- simulate Node without IndexedDB
      delete globalThis.indexedDB;
      await expect(openModelStore({ backend: 'indexeddb' })).rejects.toThrow(StorageError);
      expect((await openModelStore()).kind).toBe('file');
      // opening creates the directory and writes nothing
      expect(await readdir(dir)).toEqual([]);
    } finally {
      globalThis.indexedDB = saved;
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('model tags', () => {
  it('tags results and maps to Prometheus labels', () => {
    const tagged = withModelTag({ isDrift: true }, { model: 'm', modelVersion: '3' });
    expect(tagged).toEqual({ isDrift: true, model: 'm', modelVersion: '3' });
    expect(withModelTag({ a: 1 }, undefined)).toEqual({ a: 1 });
    expect(toWindowModel(modelTag('m', '3'))).toEqual({ name: 'm', version: '3' });
    expect(() => modelTag('', '1')).toThrow(/expected model/);
    expect(() => modelTag('m', '')).toThrow(/expected modelVersion/);
    expect(modelLabels({ model: 'm', modelVersion: '3' })).toEqual({
      model: 'm',
      model_version: '3',
    });
  });
});
