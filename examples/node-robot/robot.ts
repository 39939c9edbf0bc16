/**
 * A robot's perception loop watched by edgewatch, as it would run on the
 * robot's console: the statistics run in a `worker_threads` engine, windows
 * wait in a durable file outbox (they survive a restart), alerts are printed on
 * stdout as JSON lines, and windows are delivered to the collector.
 *
 * Run: `npx edgewatch-collector` in one terminal, then
 * `node --import tsx examples/node-robot/robot.ts` (from the repository) in another.
 * Environment: EDGEWATCH_ENDPOINT (collector ingest URL), EDGEWATCH_DATA_DIR
 * (outbox directory), ROBOT_STEPS, ROBOT_STEP_MS, ROBOT_WINDOW, ROBOT_DRIFT_AT.
 */
import { EdgeMonitor, createEngine } from 'edgewatch';

const env = process.env;
const endpoint = env.EDGEWATCH_ENDPOINT ?? 'http://127.0.0.1:9464/v1/windows';
const steps = Number(env.ROBOT_STEPS ?? 60_000);
const stepMs = Number(env.ROBOT_STEP_MS ?? 10); // 100 Hz
const windowCount = Number(env.ROBOT_WINDOW ?? 1000);
const driftAt = Number(env.ROBOT_DRIFT_AT ?? steps / 2);

/** A lidar distance (m) the robot sees, and the speed it drives at. */
function sense(): { distance: number; speed: number } {
  return { distance: 0.5 + 9.5 * Math.random(), speed: 0.2 + 1.5 * Math.random() };
}

/** The perception model: stop when an obstacle is within braking distance. */
function predict(row: { distance: number; speed: number }): 'stop' | 'go' {
  return row.distance < 1 + row.speed ? 'stop' : 'go';
}

const print = (event: Record<string, unknown>): void => console.log(JSON.stringify(event));

// The training inputs the model was validated on: the drift reference.
const training = Array.from({ length: 2000 }, sense);
const engine = await createEngine({ mode: 'worker' });
const monitor = await EdgeMonitor.create({
  model: { name: 'perception', version: '7' },
  deviceId: env.ROBOT_ID ?? 'robot-1',
  engine,
  reference: {
    distance: training.map((r) => r.distance),
    speed: training.map((r) => r.speed),
  },
  // A drift test runs on every window, so a strict p-value keeps false alarms rare.
  drift: { method: 'ks', threshold: 1e-4 },
  baseline: { accuracy: 0.99 },
  windowCount,
  endpoint: { endpoint, intervalMs: 10_000 },
  logger: {
    info: (m) => print({ type: 'log', message: m }),
    warn: (m) => print({ type: 'warn', message: m }),
  },
});
print({ type: 'start', engine: engine.mode, endpoint, outbox: monitor.store.kind });
monitor.on('alert', (a) =>
  print({
    type: 'alert',
    name: a.name,
    state: a.state,
    severity: a.severity,
    version: a.labels.model_version,
  }),
);
monitor.on('window', (w) =>
  print({
    type: 'window',
    id: w.record.windowId,
    predictions: w.record.counters.predictions,
    accuracy: w.metrics.accuracy,
    drift: w.drift?.isDrift ?? false,
    p99Ms: w.latency.p99,
  }),
);
monitor.on('error', (e) => print({ type: 'error', message: (e as Error).message }));

let stopping = false;
const stop = (): void => void (stopping = true);
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

for (let i = 0; i < steps && !stopping; i++) {
  const truth = sense();
  // Halfway through, the lidar loses its calibration: it reads 1.5 m too far.
  const seen = i >= driftAt ? { ...truth, distance: truth.distance + 1.5 } : truth;
  const t0 = performance.now();
  const prediction = predict(seen);
  const latencyMs = performance.now() - t0 + 2 + Math.random();
  monitor.observe({ features: seen, prediction, label: predict(truth), latencyMs });
  if (stepMs > 0) await new Promise((r) => setTimeout(r, stepMs));
  else if (i % 250 === 0) await new Promise((r) => setImmediate(r));
}

await monitor.close(); // seals the last window and delivers what the collector has not got
await engine.close();
print({ type: 'stop' });
