/**
 * The setup the EdgeMonitor tests share: one real engine (inline WASM kernel)
 * per test file, and every monitor a test opens closed after that test.
 *
 * @example
 * let engine: EngineHandle;
 * const { monitor } = useEdgeMonitors({ engine: (e) => (engine = e) });
 * const m = await monitor({ reference });
 * new DriftDetector(reference, { engine });
 */
import { afterEach } from 'vitest';
import type { EngineHandle } from '../../src/engine/client.js';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type { EdgeMonitorOptions } from '../../src/session/edge-monitor-options.js';
import { useEngine } from './per-file.js';

/** The model every session test monitors unless it says otherwise. */
export const TEST_MODEL = { name: 'perception', version: '1' };

/** What {@link useEdgeMonitors} hands a test file. */
export interface EdgeMonitorSession {
  /** The file's engine (read it inside a test or hook: it is created in `beforeAll`). */
  readonly engine: EngineHandle;
  /**
   * Opens a monitor on the file's engine with an in-memory store, closed after the test.
   *
   * @param overrides - overrides of the defaults (model, device `robot-7`, memory store, the file's defaults).
   */
  monitor(overrides?: Partial<EdgeMonitorOptions>): Promise<EdgeMonitor>;
}

/** Options of {@link useEdgeMonitors}. */
export interface UseEdgeMonitorsOptions {
  /** The file's own defaults, made fresh for every monitor (a new fake clock each time). */
  defaults?: () => Partial<EdgeMonitorOptions>;
  /** Receives the engine once it is created, for the file's own variable. */
  engine?: (engine: EngineHandle) => void;
}

/**
 * Registers the hooks (call at the top level of a test file).
 *
 * @param options - the file's defaults, and where to hand the engine.
 */
export function useEdgeMonitors(options: UseEdgeMonitorsOptions = {}): EdgeMonitorSession {
  const defaults = options.defaults ?? (() => ({}));
  let engine: EngineHandle | undefined;
  const open: EdgeMonitor[] = [];
  useEngine({ mode: 'inline' }, (e) => {
    engine = e;
    options.engine?.(e);
  });
  afterEach(async () => {
    for (const m of open.splice(0)) await m.close();
  });
  const session: EdgeMonitorSession = {
    get engine(): EngineHandle {
      if (!engine) throw new Error('useEdgeMonitors: the engine is created in beforeAll');
      return engine;
    },
    async monitor(overrides = {}) {
      const m = await EdgeMonitor.create({
        model: TEST_MODEL,
        deviceId: 'robot-7',
        engine: session.engine,
        store: { backend: 'memory', persist: false },
        ...defaults(),
        ...overrides,
      });
      open.push(m);
      return m;
    },
  };
  return session;
}
