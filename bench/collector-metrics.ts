/**
 * `/metrics` render cost of the collector (not part of the test suite): a fleet
 * aggregator holding DEVICES × MODELS series, each from one window with a
 * latency sketch and FEATURES drift results, then the render (aggregates →
 * families → text exposition) timed RUNS times. Also times the same render
 * after every series received 10 more windows (cost must not grow with stored
 * windows).
 *
 *   node --import tsx bench/collector-metrics.ts [--devices 1000] [--models 20] [--features 10] [--runs 20]
 */
import { FleetAggregator } from '../src/collector/fleet-aggregator.js';
import { formatExposition } from '../src/export/exposition.js';
import { makeRecord } from '../test/window/make-record.js';

function arg(name: string, dflt: string): number {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt);
}
const DEVICES = arg('devices', '1000');
const MODELS = arg('models', '20');
const FEATURES = arg('features', '10');
const RUNS = arg('runs', '20');

const agg = new FleetAggregator({ maxDevices: DEVICES, maxModels: MODELS });
const base = makeRecord(0);
function ingestRound(round: number): void {
  for (let m = 0; m < MODELS; m++) {
    for (let d = 0; d < DEVICES; d++) {
      const r = {
        ...base,
        windowId: `${round}-${m}-${d}`,
        deviceId: `device-${d}`,
        end: base.end + round,
      };
      r.model = { name: `model-${m}`, version: '1' };
      r.drift = Array.from({ length: FEATURES }, (_, f) => ({
        ...base.drift[0]!,
        feature: `f${f}`,
      }));
      agg.ingest(r);
    }
  }
}

function time(label: string): void {
  const ms: number[] = [];
  let bytes = 0;
  let lines = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const text = formatExposition(agg.families(), 'prometheus');
    ms.push(performance.now() - t0);
    bytes = text.length;
    lines = text.split('\n').length;
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1);
  console.log(
    `${label}: ${DEVICES} devices x ${MODELS} models x ${FEATURES} features: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB; render p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms (${RUNS} runs)`,
  );
}

let t0 = performance.now();
ingestRound(0);
console.log(`ingest of ${DEVICES * MODELS} windows: ${(performance.now() - t0).toFixed(0)} ms`);
time('1 window per series');
t0 = performance.now();
for (let r = 1; r <= 10; r++) ingestRound(r);
console.log(
  `ingest of ${10 * DEVICES * MODELS} more windows: ${(performance.now() - t0).toFixed(0)} ms`,
);
time('11 windows per series');
