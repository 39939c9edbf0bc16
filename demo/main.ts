/**
 * The demo page: trains the model, starts the monitoring loop, wires controls and
 * panels, and publishes a read-only summary on `window.__edgewatchDemo` (used by
 * the e2e test; handy in the console).
 */
import { readConfig } from './config.js';
import { bindControls } from './controls.js';
import { SOURCES, createRegistry } from './edgewatch.js';
import type { DemoOutboxStatus } from './outbox.js';
import { observeLongTasks, type LongTask } from './long-tasks.js';
import { ModelClient } from './model-client.js';
import { MonitoringLoop } from './monitoring-loop.js';
import type { RetrainRun } from './retrain-job.js';
import { DemoView } from './view.js';
import type { WindowSummary } from './window-summary.js';

/** What the page publishes on `window.__edgewatchDemo`. */
export interface DemoState {
  ready: boolean;
  speed: 'normal' | 'fast';
  sources: typeof SOURCES;
  longTaskSupported: boolean;
  /** Long tasks seen while the stream runs. */
  longTasks: LongTask[];
  rowsSeen: number;
  windows: number;
  activeVersion: number;
  baseline: number;
  lastWindow: {
    index: number;
    accuracy: number;
    /** CBPE's estimate of this window's accuracy, before its labels arrive. */
    estimate: { value: number; lower: number; upper: number } | null;
    degradation: number;
    drifted: string[];
    methods: string[];
    p99: number;
  } | null;
  alerts: Array<{ kind: 'fire' | 'resolve'; name: string; severity: string; at: number }>;
  retrainRuns: RetrainRun[];
  outbox: DemoOutboxStatus | null;
  errors: string[];
}

declare global {
  interface Window {
    __edgewatchDemo: DemoState;
  }
}

const config = readConfig(location.search);
const state: DemoState = {
  ready: false,
  speed: config.speed,
  sources: SOURCES,
  longTaskSupported: false,
  longTasks: [],
  rowsSeen: 0,
  windows: 0,
  activeVersion: 0,
  baseline: Number.NaN,
  lastWindow: null,
  alerts: [],
  retrainRuns: [],
  outbox: null,
  errors: [],
};
window.__edgewatchDemo = state;

async function main(): Promise<void> {
  const view = new DemoView(config);
  const fail = (message: string): void => {
    state.errors.push(message);
    view.showError(message);
  };
  const model = new ModelClient();
  const registry = await createRegistry();
  const loop = new MonitoringLoop(config, model, registry, {
    onWindow: (s: WindowSummary) => {
      state.windows = s.index + 1;
      state.lastWindow = {
        index: s.index,
        accuracy: s.accuracy,
        estimate: s.estimate ?? null,
        degradation: s.degradation,
        drifted: Object.entries(s.drift?.features ?? {})
          .filter(([, r]) => r.isDrift)
          .map(([f]) => f),
        methods: [...new Set(Object.values(s.drift?.features ?? {}).map((r) => r.method))],
        p99: s.latency.p99,
      };
      view.showWindow(s);
    },
    onAlert: (kind, a) => {
      state.alerts.push({ kind, name: a.name, severity: a.severity, at: Date.now() });
      view.showAlert(kind, a);
    },
    onRetrain: (run) => {
      const i = state.retrainRuns.findIndex((r) => r.id === run.id);
      if (i >= 0) state.retrainRuns[i] = { ...run };
      else state.retrainRuns.push({ ...run });
      view.showRetrain(run);
      view.showRegistry(registry.list());
    },
    onModel: ({ version, baseline }) => {
      state.activeVersion = version;
      state.baseline = baseline;
      view.showModel(version, baseline);
      view.showRegistry(registry.list());
    },
    onError: fail,
  });

  bindControls(
    () => loop.scenario,
    (s) => {
      loop.scenario = s;
    },
    () => view.showInjected(loop.scenario),
  );
  view.showInjected(loop.scenario);
  const pause = document.getElementById('pause') as HTMLButtonElement;
  pause.addEventListener('click', () => {
    if (loop.isRunning) loop.stop();
    else loop.start();
    pause.textContent = loop.isRunning ? 'Pause' : 'Resume';
  });

  await loop.init();
  state.longTaskSupported = observeLongTasks((t) => state.longTasks.push(t));
  loop.start();
  state.ready = true;

  let lastRows = 0;
  let lastAt = performance.now();
  // The page renders at most ~8 times a second, one chart per render: enough to
  // look live, and no frame ever pays for every chart at once.
  let lastDraw = 0;
  const frame = (now: number): void => {
    if (now - lastDraw >= 120) {
      lastDraw = now;
      view.render();
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  setInterval(() => {
    const now = performance.now();
    const rate = ((loop.rowsSeen - lastRows) * 1000) / (now - lastAt);
    lastRows = loop.rowsSeen;
    lastAt = now;
    state.rowsSeen = loop.rowsSeen;
    view.showStats(
      `${loop.isRunning ? 'streaming' : 'paused'} · ${Math.round(rate)} predictions/s · ${loop.windowsClosed} windows`,
    );
    loop.outboxStatus().then(
      (s) => {
        state.outbox = s;
        view.showOutbox(s);
      },
      (err: unknown) => fail(`outbox status failed: ${String(err)}`),
    );
  }, 1000);
}

main().catch((err: unknown) => {
  const message = `demo failed to start: ${err instanceof Error ? err.message : String(err)}`;
  state.errors.push(message);
  console.error(message);
});
