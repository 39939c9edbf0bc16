/**
 * A second (and third) browsing agent for the registry race test: a dedicated
 * worker has its own IndexedDB connection and BroadcastChannel, and runs
 * truly concurrently with the page, like another tab.
 */
import { ModelRegistry } from '../../src/lifecycle/model-registry.js';

interface Request {
  id: number;
  op: 'open' | 'register' | 'setActive' | 'remove' | 'active' | 'close';
  db: string;
  version?: string;
  baseline?: Record<string, number>;
}

let registry: ModelRegistry | undefined;

self.onmessage = async (ev: MessageEvent<Request>) => {
  const { id, op, db, version, baseline } = ev.data;
  try {
    let value: unknown;
    if (op === 'open') registry = await ModelRegistry.open({ name: db });
    else if (op === 'register')
      value = (
        await registry!.register({
          name: 'm',
          version: version!,
          ...(baseline ? { baseline } : {}),
        })
      ).baseline;
    else if (op === 'setActive') value = (await registry!.setActive('m', version!)).version;
    else if (op === 'remove') await registry!.remove('m', version!);
    else if (op === 'active') value = registry!.getActive('m')?.version ?? null;
    else if (op === 'close') registry?.close();
    self.postMessage({ id, ok: true, value });
  } catch (error) {
    self.postMessage({ id, ok: false, error: (error as Error).name, message: String(error) });
  }
};
