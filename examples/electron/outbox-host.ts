/**
 * The main process's half: one durable file outbox for the whole app and the
 * flusher that delivers it to the collector. Renderer windows arrive as batches
 * through the bridge; they are validated (the renderer is less trusted), stored,
 * and acknowledged only once on disk, so a crash of either process loses nothing.
 * No Electron import: `main.ts` wires it to `ipcMain`, the tests call it directly.
 */
import { Flusher, WindowStore, defaultDataDir } from 'edgewatch';
import { validateWindowRecord } from 'edgewatch/storage';
import type { DeliverReply } from './bridge.js';

/** The running outbox of the main process. */
export interface OutboxHost {
  /** The file store (`<dataDir>/app.outbox.json`). */
  readonly store: WindowStore;
  /** Delivers the store to the collector. */
  readonly flusher: Flusher;
  /** Handles one batch from a renderer. Never throws: failures become a status. */
  receive(body: string): Promise<DeliverReply>;
  /** Delivers once more, then stops the flusher and closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the app's outbox and starts delivering it.
 *
 * @param options - the collector's ingest URL; the data directory (default `defaultDataDir()`).
 * @returns the host.
 */
export async function startOutboxHost(options: {
  endpoint: string;
  dataDir?: string;
  token?: string;
}): Promise<OutboxHost> {
  const dir = options.dataDir ?? defaultDataDir();
  const store = await WindowStore.open({ name: 'edgewatch-app', path: `${dir}/app.outbox.json` });
  const flusher = new Flusher({
    store,
    endpoint: options.endpoint,
    ...(options.token === undefined ? {} : { token: options.token }),
    leader: 'none', // one main process: nothing to elect
  });
  flusher.start();
  const reply = (status: number, body: unknown): DeliverReply => ({
    status,
    body: JSON.stringify(body),
  });
  return {
    store,
    flusher,
    async receive(body) {
      let windows: unknown;
      try {
        windows = (JSON.parse(body) as { windows?: unknown }).windows;
      } catch {
        return reply(400, { error: 'expected a JSON body' });
      }
      if (!Array.isArray(windows)) return reply(400, { error: 'expected { windows: [...] }' });
      const problems = windows.flatMap((w, i) => validateWindowRecord(w).map((p) => `${i}.${p}`));
      if (problems.length > 0) return reply(400, { error: 'invalid window', problems });
      try {
        let stored = 0;
        for (const w of windows) if ((await store.append(w)).stored) stored++;
        flusher.trigger();
        return reply(200, { stored });
      } catch (e) {
        return reply(503, { error: (e as Error).message }); // the renderer retries later
      }
    },
    async close() {
      await flusher.flush({ force: true }).catch(() => undefined);
      await flusher.stop();
      await store.close();
    },
  };
}
