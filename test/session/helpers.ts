/** Test helpers for the session layer: a seeded RNG, a fake clock, an event recorder. */
import type { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type {
  TaggedAlert,
  TaggedDrift,
  WindowEvent,
} from '../../src/session/edge-monitor-types.js';
import { seededUniform } from '../../src/stats/random.js';

/** Seeded uniform [0, 1): the code base's one seeded generator (CPython-compatible). */
export const rng = seededUniform;

/** Standard normal by Box–Muller. */
export function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** A clock tests move by hand. */
export function fakeClock(start = 1_700_000_000_000): {
  now: () => number;
  advance(ms: number): void;
} {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Everything a monitor emitted. */
export interface Recorded {
  windows: WindowEvent[];
  alerts: TaggedAlert[];
  drifts: TaggedDrift[];
  errors: unknown[];
}

/** Subscribes to every event of `m`. */
export function record(m: EdgeMonitor): Recorded {
  const r: Recorded = { windows: [], alerts: [], drifts: [], errors: [] };
  m.on('window', (e) => r.windows.push(e));
  m.on('alert', (a) => r.alerts.push(a));
  m.on('drift', (d) => r.drifts.push(d));
  m.on('error', (e) => r.errors.push(e));
  return r;
}

/** A reference table: `x` ~ N(0, 1), `c` in {a, b, c} uniformly. */
export function referenceTable(n: number, seed: number): { x: Float64Array; c: string[] } {
  const u = rng(seed);
  const x = new Float64Array(n);
  const c: string[] = [];
  for (let i = 0; i < n; i++) {
    x[i] = normal(u);
    c.push('abc'[Math.floor(u() * 3)]!);
  }
  return { x, c };
}
