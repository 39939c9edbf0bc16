import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ModelRegistry } from '../../src/lifecycle/model-registry.js';
import type { RegisterInput } from '../../src/lifecycle/model-registry.js';
import { ConfigError } from '../../src/errors.js';

let n = 0;
const fresh = (): string => `edgewatch-models-shared-${++n}`;

describe.each(['indexeddb', 'file'] as const)(
  'ModelRegistry shared by two registries (%s)',
  (backend) => {
    let dir = '';
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ew-reg-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const open = (name: string): Promise<ModelRegistry> =>
      ModelRegistry.open({ name, backend, dataDir: dir });

    it("a registry opened earlier never overwrites another's newer version", async () => {
      const name = fresh();
      const stale = await open(name);
      const fresher = await open(name);
      await fresher.register({ name: 'm', version: '1', baseline: { accuracy: 0.97 } });
      await expect(
        stale.register({ name: 'm', version: '1', baseline: { accuracy: 0.5 } }),
      ).rejects.toThrow(ConfigError);
      // the failed write reloaded the stale registry: both read the first baseline
      expect(stale.get('m', '1').baseline).toEqual({ accuracy: 0.97 });
      expect(fresher.get('m', '1').baseline).toEqual({ accuracy: 0.97 });
      const third = await open(name);
      expect(third.get('m', '1').baseline).toEqual({ accuracy: 0.97 });
      for (const r of [stale, fresher, third]) r.close();
    });

    it('cannot remove the version another registry activated: no dangling active pointer', async () => {
      const name = fresh();
      const a = await open(name);
      const b = await open(name);
      await a.register({ name: 'm', version: '1' });
      await b.register({ name: 'm', version: '2', activate: true });
      // `a` may not have heard of the activation yet; the store checks, not a's copy
      await expect(a.remove('m', '2')).rejects.toThrow(ConfigError);
      expect(a.get('m').version).toBe('2');
      expect(b.get('m').version).toBe('2');
      await a.remove('m', '1');
      await expect(b.setActive('m', '1')).rejects.toThrow(ConfigError);
      expect(b.get('m').version).toBe('2');
      a.close();
      b.close();
    });

    it('activation in one registry reaches the other (BroadcastChannel) with an activate event', async () => {
      const name = fresh();
      const a = await open(name);
      const b = await open(name);
      await a.register({ name: 'm', version: '1' });
      await a.register({ name: 'm', version: '2' });
      const seen: unknown[] = [];
      b.on('activate', (e) => seen.push(e));
      await a.setActive('m', '2');
      await vi.waitFor(() => expect(b.getActive('m')?.version).toBe('2'), { timeout: 2000 });
      expect(seen).toContainEqual({ name: 'm', version: '2', previous: '1' });
      a.close();
      b.close();
    });
  },
);

describe('ModelRegistry input validation and returned values', () => {
  const bad: [string, unknown][] = [
    ['baseline null', { name: 'm', version: '1', baseline: null }],
    ['baseline a number', { name: 'm', version: '1', baseline: 5 }],
    ['baseline an array', { name: 'm', version: '1', baseline: [0.9] }],
    ['baseline NaN value', { name: 'm', version: '1', baseline: { acc: NaN } }],
    ["createdAt 'yesterday'", { name: 'm', version: '1', createdAt: 'yesterday' }],
    ['createdAt Infinity', { name: 'm', version: '1', createdAt: Infinity }],
    ['metadata a string', { name: 'm', version: '1', metadata: 'x' }],
    ['activate a string', { name: 'm', version: '1', activate: 'yes' }],
    ['version a number', { name: 'm', version: 2 }],
    ['null', null],
  ];
  it.each(bad)('%s is a ConfigError and stores nothing', async (_, input) => {
    const r = await ModelRegistry.open({ backend: 'memory' });
    await expect(r.register(input as RegisterInput)).rejects.toThrow(ConfigError);
    expect(r.list()).toEqual([]);
    r.close();
  });

  it('records are deep-frozen copies: neither the caller nor a reader can change stored state', async () => {
    const r = await ModelRegistry.open({ backend: 'memory' });
    const metadata = { owner: 'team-a', tags: ['x'] };
    const rec = await r.register({ name: 'm', version: '1', baseline: { acc: 0.9 }, metadata });
    metadata.owner = 'changed';
    metadata.tags.push('y');
    expect(r.get('m', '1').metadata).toEqual({ owner: 'team-a', tags: ['x'] });
    expect(Object.isFrozen(rec.metadata)).toBe(true);
    expect(() => {
      (rec.metadata as { owner: string }).owner = 'hacked';
    }).toThrow(TypeError);
    expect(() => {
      (rec.metadata!.tags as string[]).push('z');
    }).toThrow(TypeError);
    expect(() => {
      (rec.baseline as Record<string, number>).acc = 1;
    }).toThrow(TypeError);
    r.close();
  });

  it('close() is idempotent and later writes are ConfigErrors', async () => {
    const r = await ModelRegistry.open({ backend: 'memory' });
    r.close();
    r.close();
    await expect(r.register({ name: 'm', version: '1' })).rejects.toThrow(
      'ModelRegistry is closed',
    );
  });
});

describe('ModelRegistry in Node: durable file store', () => {
  it('a second open() in the same process sees the first one’s versions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ew-reg-'));
    const a = await ModelRegistry.open({ backend: 'file', dataDir: dir });
    expect(a.storage).toBe('file');
    await a.register({ name: 'm', version: '1', baseline: { acc: 0.9 } });
    const b = await ModelRegistry.open({ backend: 'file', dataDir: dir });
    expect(b.get('m').baseline).toEqual({ acc: 0.9 });
    a.close();
    b.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a restart: another process reads back what one process wrote (default directory)', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ew-reg-')), 'not-yet-created');
    const child = join(import.meta.dirname, 'fixtures', 'registry-child.ts');
    const run = async (mode: string): Promise<unknown> => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', child, mode],
        { env: { ...process.env, EDGEWATCH_DATA_DIR: dir } },
      );
      return JSON.parse(stdout.trim().split('\n').at(-1)!);
    };
    expect(await run('write')).toEqual({
      storage: 'file',
      versions: [['7', { accuracy: 0.88 }]],
      active: '7',
    });
    expect(await run('read')).toEqual({
      storage: 'file',
      versions: [['7', { accuracy: 0.88 }]],
      active: '7',
    });
    expect(JSON.parse(await readFile(join(dir, 'edgewatch-models.json'), 'utf8'))).toMatchObject({
      active: { robot: '7' },
    });
    await rm(dir, { recursive: true, force: true });
  }, 30_000);
});
