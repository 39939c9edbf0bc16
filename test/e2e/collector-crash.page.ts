/**
 * The page the crash and leader e2e tests load (bundled with esbuild by the
 * test): a store, a flusher posting to same-origin `/v1/windows` (proxied to a
 * real collector), and hooks on `window.ew` for the test to drive it.
 */
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher } from '../../src/transport/flusher.js';
import { WindowSealer } from '../../src/window/window-sealer.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';

const kernel = createReferenceKernel();
const store = await WindowStore.open({ name: 'edgewatch-e2e' });
const sealer = new WindowSealer({
  deviceId: `browser-${new URLSearchParams(location.search).get('device') ?? '1'}`,
  model: { name: 'perception', version: '1' },
  sink: async (r) => {
    const res = await store.append(r);
    if (!res.stored) throw new Error(`window not stored: ${res.reason}`);
  },
  collect: () => {
    const h = kernel.sketchCreate();
    kernel.sketchRecord(
      h,
      Float64Array.from({ length: 50 }, () => 1 + Math.random() * 20),
    );
    const bytes = kernel.sketchSerialize(h);
    kernel.sketchFree(h);
    return {
      sketches: { latency: bytes },
      counters: { predictions: 50 },
      performance: { accuracy: 0.9 },
    };
  },
});
const flusher = new Flusher({
  store,
  endpoint: '/v1/windows',
  intervalMs: 100,
  maxBatchBytes: 4096, // several requests per flush: more chances to be cut mid-flush
  backoff: { baseMs: 50, maxMs: 400 },
});
flusher.start();

(window as unknown as { ew: unknown }).ew = {
  async seal(k: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < k; i++) ids.push((await sealer.seal()).windowId);
    return ids;
  },
  async outboxCount(): Promise<number> {
    return (await store.stats()).outbox.count;
  },
  isLeader: (): boolean => flusher.isLeader,
};
document.title = 'ready';
