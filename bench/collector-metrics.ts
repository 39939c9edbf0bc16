/**
 * `/metrics` render cost of the collector (not part of the test suite): a fleet
 * aggregator holding DEVICES × MODELS series, each from one window with a
 * latency sketch and FEATURES drift results, then the render (aggregates →
 * exposition text pieces, as `/metrics` writes them) timed RUNS times: the
 * first render (every series new), with no series changed since the previous
 * scrape, with 25 % changed, and after every series received 10 more windows
 * (cost must not grow with stored windows).
 *
 *   node --import tsx bench/collector-metrics.ts [--devices 1000] [--models 20] [--features 10] [--runs 20]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FleetAggregator } from '../src/collector/fleet-aggregator.js';
import { driftResult, makeRecord } from '../test/window/make-record.js';
import { numberArg } from './support/args.js';

const DEVICES = numberArg('devices', 1000);
const MODELS = numberArg('models', 20);
const FEATURES = numberArg('features', 10);
const RUNS = numberArg('runs', 20);

// Background formatting starts at once after a change (the collector waits 1 s).
const agg = new FleetAggregator({ maxDevices: DEVICES, maxModels: MODELS, prerenderDelayMs: 0 });
/** Waits until the background formatting has caught up; returns the longest event-loop stall meanwhile, ms. */
async function settle(): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const pending = (agg as unknown as { unrendered: Set<unknown> }).unrendered;
  while (pending.size > 0) await new Promise((r) => setTimeout(r, 5));
  h.disable();
  return h.max / 1e6;
}
const base = makeRecord(0);
/**
 * Times `runs` renders; `touch` (before each) re-ingests that share of the
 * series (the changes between two scrapes); `background`: the scrape comes
 * after the background formatting caught up (else at once after the changes).
 */
async function time(label: string, touch = 0, background = false): Promise<void> {
  const ms: number[] = [];
  let chars = 0;
  let lines = 0;
  let stall = 0;
  for (let i = 0; i < RUNS; i++) {
    if (touch > 0) ingestShare(touch, 1000 + i);
    if (background) stall = Math.max(stall, await settle());
    const t0 = performance.now();
    const pieces = await agg.exposition('prometheus');
    ms.push(performance.now() - t0);
    chars = pieces.reduce((a, p) => a + p.length, 0);
    if (i === 0) lines = pieces.reduce((a, p) => a + p.split('\n').length - 1, 0);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1);
  console.log(
    `${label}: ${DEVICES} devices x ${MODELS} models x ${FEATURES} features: ${lines} lines, ${(chars / 1e6).toFixed(1)} MB; render p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms (${RUNS} runs)${background ? `; longest event-loop stall during background formatting ${stall.toFixed(1)} ms` : ''}`,
  );
}

/** Ingests one window for every model and the first `share` of the devices. */
function ingestShare(share: number, round: number): void {
  const n = Math.round(share * DEVICES);
  for (let m = 0; m < MODELS; m++) {
    for (let d = 0; d < n; d++) {
      agg.ingest({
        ...base,
        windowId: `${round}-${m}-${d}`,
        deviceId: `device-${d}`,
        end: base.end + round,
        model: { name: `model-${m}`, version: '1' },
        drift: Array.from({ length: FEATURES }, (_, f) => driftResult(`f${f}`)),
      });
    }
  }
}

let t0 = performance.now();
ingestShare(1, 0);
console.log(`ingest of ${DEVICES * MODELS} windows: ${(performance.now() - t0).toFixed(0)} ms`);
t0 = performance.now();
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
await agg.exposition('prometheus');
loop.disable();
(agg as unknown as { unrendered: Set<unknown> }).unrendered.clear();
console.log(
  `first render (every series new): ${(performance.now() - t0).toFixed(0)} ms; longest event-loop stall meanwhile ${(loop.max / 1e6).toFixed(1)} ms`,
);
await time('no series changed since the last scrape');
await time('25 % of series changed, scraped at once', 0.25);
await time('25 % of series changed, scraped after the background formatting', 0.25, true);
t0 = performance.now();
for (let r = 1; r <= 10; r++) ingestShare(1, r);
console.log(
  `ingest of ${10 * DEVICES * MODELS} more windows: ${(performance.now() - t0).toFixed(0)} ms`,
);
await time('11 windows per series, none changed since the last scrape');
