/**
 * The page: a stand-in model scored in the renderer, watched by the page
 * monitor. `window.edgewatchApp` lets the tests (and the devtools) drive it.
 */
import type { EdgeMonitor } from 'edgewatch';
import { getDefaultEngine } from 'edgewatch';
import type { EdgewatchBridge } from './bridge.js';
import { startPageMonitor } from './page-monitor.js';

declare global {
  interface Window {
    edgewatchBridge: EdgewatchBridge;
    edgewatchApp?: {
      engineMode: string;
      sealed: string[];
      errors: string[];
      predict(n: number): void;
      close(): Promise<void>;
    };
  }
}

const out = document.querySelector('#status') ?? document.body;
const sample = (): number => Math.random() * 2 - 1;
const training = { score: Array.from({ length: 2000 }, sample) };
const monitor: EdgeMonitor = await startPageMonitor(window.edgewatchBridge, training, 200);
const sealed: string[] = [];
const errors: string[] = [];
monitor.on('window', (w) => {
  sealed.push(w.record.windowId);
  out.textContent = `${sealed.length} windows sealed; p99 ${w.latency.p99.toFixed(2)} ms`;
});
monitor.on('error', (e) => errors.push(String((e as Error).message ?? e)));

window.edgewatchApp = {
  engineMode: (await getDefaultEngine()).mode,
  sealed,
  errors,
  predict(n) {
    for (let i = 0; i < n; i++) {
      const score = sample();
      const t0 = performance.now();
      const prediction = score > 0 ? 'spam' : 'ham';
      monitor.observe({
        features: { score },
        prediction,
        label: prediction,
        latencyMs: performance.now() - t0 + 1,
      });
    }
  },
  close: () => monitor.close(),
};
