// Errors across a real Comlink channel (a Node MessageChannel through the node
// adapter): class, code, message and status survive; unknown errors stay Errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { expose, wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import {
  ConfigError,
  DataError,
  EdgewatchError,
  KernelError,
  StorageError,
  TransportError,
} from '../../src/errors.js';
import {
  deserializeError,
  installErrorTransfer,
  serializeError,
} from '../../src/engine/error-transfer.js';

const samples: [string, () => Error][] = [
  ['ConfigError', () => new ConfigError('expected a, got b')],
  ['DataError', () => new DataError('empty sample')],
  ['KernelError KERNEL', () => new KernelError('bad handle')],
  [
    'KernelError KERNEL_ABORT',
    () => new KernelError('abort: bad input at sketch.ts:10:3', 'KERNEL_ABORT'),
  ],
  ['KernelError ENGINE_CLOSED', () => new KernelError('closed', 'ENGINE_CLOSED')],
  ['StorageError quota', () => new StorageError('full', 'STORAGE_QUOTA')],
  ['TransportError', () => new TransportError('503 from backend', 503)],
  ['EdgewatchError', () => new EdgewatchError('odd', 'UNSUPPORTED')],
];

function sameError(a: Error, b: Error): void {
  expect(b.constructor).toBe(a.constructor);
  expect(b.name).toBe(a.name);
  expect(b.message).toBe(a.message);
  expect((b as { code?: unknown }).code).toBe((a as { code?: unknown }).code);
  expect((b as { status?: unknown }).status).toBe((a as { status?: unknown }).status);
}

describe('serializeError / deserializeError', () => {
  it.each(samples)('round-trips %s', (_name, make) => {
    const original = make();
    const copy = deserializeError(structuredClone(serializeError(original)));
    sameError(original, copy);
    expect(copy).toBeInstanceOf(EdgewatchError);
  });

  it('decides the class by instanceof, not by name (minifiers rename classes)', () => {
    // Regression: in a consumer's minified Vite build `new.target.name` is e.g. "t".
    const e = new KernelError('stale id');
    e.name = 't';
    const copy = deserializeError(structuredClone(serializeError(e)));
    expect(copy).toBeInstanceOf(KernelError);
    expect((copy as KernelError).code).toBe('KERNEL');
    expect(copy.name).toBe('t');
    const plain = new Error('x');
    plain.name = 'KernelError';
    expect(deserializeError(serializeError(plain))).not.toBeInstanceOf(KernelError);
  });

  it('keeps a cause chain and plain errors', () => {
    const e = new KernelError('outer', 'KERNEL', { cause: new TypeError('inner') });
    const copy = deserializeError(serializeError(e));
    expect(copy.cause).toBeInstanceOf(Error);
    expect((copy.cause as Error).name).toBe('TypeError');
    expect(deserializeError(serializeError('just a string')).message).toBe('just a string');
  });

  it('any message and code survive (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('KERNEL', 'KERNEL_ABORT', 'ENGINE_CLOSED'),
        (message, code) => {
          const e = new KernelError(message, code as 'KERNEL');
          sameError(e, deserializeError(structuredClone(serializeError(e))));
        },
      ),
    );
  });
});

describe('installErrorTransfer across a Comlink channel', () => {
  it.each(samples)('%s keeps class and code', async (_name, make) => {
    installErrorTransfer();
    installErrorTransfer(); // idempotent
    const { port1, port2 } = new MessageChannel();
    expose(
      {
        fail: () => {
          throw make();
        },
      },
      nodeEndpoint(port1),
    );
    const remote = wrap<{ fail(): void }>(nodeEndpoint(port2));
    try {
      const err = await Promise.resolve(remote.fail()).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err).toBeDefined();
      sameError(make(), err as Error);
    } finally {
      port1.close();
      port2.close();
    }
  });
});
