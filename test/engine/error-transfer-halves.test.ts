// The two halves of the error transfer in two realms, as the engine runs them:
// a worker_threads worker with the sending half only, this thread with the
// receiving half only. Classes and codes cross; each side keeps Comlink's
// handler for the direction it does not take over.
import { afterAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { transferHandlers, wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { installErrorReceiver } from '../../src/engine/error-transfer.js';
import { ConfigError, KernelError, TransportError } from '../../src/errors.js';

const comlinkOwn = transferHandlers.get('throw');
installErrorReceiver();
const target = JSON.stringify(new URL('./fixtures/error-sender-worker.ts', import.meta.url).href);
const worker = new Worker(
  `import('tsx/esm/api').then((m) => { m.register(); return import(${target}); });`,
  { eval: true },
);
const remote = wrap<{ fail(kind: string): never }>(
  nodeEndpoint(worker as unknown as Parameters<typeof nodeEndpoint>[0]),
);
afterAll(() => worker.terminate());

const failure = (kind: string): Promise<Error> =>
  Promise.resolve(remote.fail(kind)).then(
    () => new Error('no error'),
    (e: unknown) => e as Error,
  );

describe('installErrorSender in the worker, installErrorReceiver here', () => {
  it('rebuilds the edgewatch class, code and status of an error thrown in the worker', async () => {
    const config = await failure('config');
    expect(config).toBeInstanceOf(ConfigError);
    expect(config.message).toBe('expected a, got b');
    const abort = await failure('abort');
    expect(abort).toBeInstanceOf(KernelError);
    expect((abort as KernelError).code).toBe('KERNEL_ABORT');
    const transport = await failure('transport');
    expect(transport).toBeInstanceOf(TransportError);
    expect((transport as TransportError).status).toBe(503);
    const plain = await failure('plain');
    expect(plain).not.toBeInstanceOf(KernelError);
    expect(plain.message).toBe('plain');
  });

  it("keeps Comlink's serializing for this side's own throws", () => {
    const handler = transferHandlers.get('throw');
    expect(comlinkOwn).toBeDefined();
    expect(handler).not.toBe(comlinkOwn);
    expect(handler?.serialize).toBe(comlinkOwn?.serialize);
    expect(handler?.deserialize).not.toBe(comlinkOwn?.deserialize);
  });
});
