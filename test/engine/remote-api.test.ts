import { describe, expect, it } from 'vitest';
import { ConfigError, KernelError } from '../../src/errors.js';
import { CallGuard, createApiProxy, inlineInvoke } from '../../src/engine/remote-api.js';

describe('CallGuard', () => {
  it('passes results and rejections through while open', async () => {
    const guard = new CallGuard();
    expect(await guard.run(() => Promise.resolve(5))).toBe(5);
    await expect(guard.run(() => Promise.reject(new ConfigError('x')))).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(
      guard.run(() => {
        throw new ConfigError('sync');
      }),
    ).rejects.toThrow('sync');
  });

  it('close() settles calls that would never answer and refuses new ones', async () => {
    const guard = new CallGuard();
    const never = guard.run(() => new Promise<number>(() => {}));
    const reason = new KernelError('engine worker exited unexpectedly with code 1');
    guard.close(reason);
    guard.close(); // idempotent: the first reason stays
    await expect(never).rejects.toBe(reason);
    await expect(guard.run(() => Promise.resolve(1))).rejects.toBe(reason);
    expect(guard.closed).toBe(true);
  });

  it('the default close reason is ENGINE_CLOSED', async () => {
    const guard = new CallGuard();
    guard.close();
    const err = await guard.run(() => Promise.resolve(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelError);
    expect((err as KernelError).code).toBe('ENGINE_CLOSED');
  });
});

describe('createApiProxy + inlineInvoke', () => {
  const target = {
    n: 0,
    svc: {
      add(a: number, b: number): number {
        return a + b;
      },
      boom(): never {
        throw new KernelError('boom', 'KERNEL_ABORT');
      },
    },
    bump(this: { n: number }): number {
      return ++this.n;
    },
  };

  it('records the path, keeps `this`, returns Promises, turns throws into rejections', async () => {
    const api = createApiProxy<typeof target>(inlineInvoke(target));
    expect(await api.svc.add(2, 3)).toBe(5);
    expect(await api.bump()).toBe(1);
    expect(target.n).toBe(1);
    const err = await api.svc.boom().catch((e: unknown) => e);
    expect((err as KernelError).code).toBe('KERNEL_ABORT');
  });

  it('the call runs synchronously inside the call (in-process data is consumed before it returns)', () => {
    const seen: number[] = [];
    const api = createApiProxy<{ take(xs: number[]): void }>(
      inlineInvoke({ take: (xs: number[]) => seen.push(...xs) }),
    );
    const xs = [1, 2];
    void api.take(xs);
    xs[0] = 99;
    expect(seen).toEqual([1, 2]);
  });

  it('unknown paths reject with ConfigError', async () => {
    const api = createApiProxy<Record<string, Record<string, () => Promise<unknown>>>>(
      inlineInvoke(target),
    );
    await expect(api.nothing!.here!()).rejects.toThrow(
      /expected an engine method, got nothing\.here/,
    );
    await expect(api.n!.toFixed!()).rejects.toBeInstanceOf(ConfigError);
  });
});
