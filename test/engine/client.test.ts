import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, KernelError } from '../../src/errors.js';
import { autoMode, createEngine, getDefaultEngine, transfer } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';

const open: EngineHandle[] = [];
async function start(...args: Parameters<typeof createEngine>): Promise<EngineHandle> {
  const engine = await createEngine(...args);
  open.push(engine);
  return engine;
}
afterEach(() => {
  for (const e of open.splice(0)) e.close();
});

describe.each([
  ['inline', 'inline', 'wasm'],
  ['reference', 'reference', 'reference'],
] as const)('createEngine({ mode: %s })', (mode, expectedMode, expectedKernel) => {
  it('runs sketches through the awaited api', async () => {
    const engine = await start({ mode });
    expect(engine.mode).toBe(expectedMode);
    expect(engine.kernel).toBe(expectedKernel);
    expect(await engine.api.kernelKind()).toBe(expectedKernel);
    const id = await engine.api.sketches.create(7);
    const values = Float64Array.from([1, 2, 3, 4]);
    expect(await engine.api.sketches.record(id, transfer(values, [values.buffer]))).toBe(0);
    const stats = await engine.api.sketches.stats(id);
    expect(stats).toMatchObject({ count: 4, sum: 10, min: 1, max: 4 });
  });

  it('returns Promises and rejects (never throws synchronously) on errors', async () => {
    const engine = await start({ mode });
    const call = engine.api.sketches.stats(12345);
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toSatisfy(
      (e: unknown) => e instanceof KernelError && e.code === 'KERNEL',
    );
    await expect(engine.api.sketches.create(99)).rejects.toBeInstanceOf(ConfigError);
  });

  it('close() is idempotent and later calls reject with ENGINE_CLOSED', async () => {
    const engine = await start({ mode });
    const id = await engine.api.sketches.create();
    expect(engine.closed).toBe(false);
    engine.close();
    engine.close();
    expect(engine.closed).toBe(true);
    const err = await engine.api.sketches.stats(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelError);
    expect((err as KernelError).code).toBe('ENGINE_CLOSED');
  });
});

describe('createEngine options', () => {
  it('auto resolves to inline in Node', async () => {
    expect(autoMode()).toBe('inline');
    const engine = await start();
    expect(engine.mode).toBe('inline');
    expect(engine.fallbackReason).toBeUndefined();
  });

  it.each([
    [{ mode: 'gpu' }, /expected mode to be one of auto, worker, inline, reference, got "gpu"/],
    [{ kernel: 'asm' }, /expected kernel to be one of wasm, reference, auto, got "asm"/],
    [{ startTimeoutMs: -1 }, /expected startTimeoutMs to be a positive number, got -1/],
    [null, /expected an options object, got null/],
  ])('rejects bad options %j with ConfigError', async (options, message) => {
    const err = await createEngine(options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
  });

  it('a method that does not exist rejects with ConfigError', async () => {
    const engine = await start({ mode: 'reference' });
    const api = engine.api as unknown as { nope: { nothing(): Promise<unknown> } };
    await expect(api.nope.nothing()).rejects.toBeInstanceOf(ConfigError);
  });

  it('the api proxy is not thenable (await engine.api yields the proxy)', async () => {
    const engine = await start({ mode: 'reference' });
    expect(await engine.api).toBe(engine.api);
  });
});

describe('getDefaultEngine', () => {
  it('is shared, lazily started, and restarts after close', async () => {
    const [a, b] = await Promise.all([getDefaultEngine(), getDefaultEngine()]);
    expect(a).toBe(b);
    expect(a.mode).toBe('inline');
    a.close();
    const c = await getDefaultEngine();
    expect(c).not.toBe(a);
    expect(c.closed).toBe(false);
    expect(await c.api.ping(7)).toBe(7);
    c.close();
  });
});

describe('transfer', () => {
  it('returns its value unchanged', () => {
    const v = new Float64Array(3);
    expect(transfer(v, [v.buffer])).toBe(v);
  });
});
