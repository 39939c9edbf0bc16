import { describe, expect, it } from 'vitest';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import {
  budgetRules,
  latencyBudget,
  memoryBudget,
  outboxBacklogBudget,
  overheadBudget,
  storageQuotaBudget,
} from '../../src/lifecycle/budget-rules.js';
import { ResourceMonitor } from '../../src/lifecycle/resource-monitor.js';
import { OverheadMeter } from '../../src/lifecycle/overhead-meter.js';
import { LatencyHistogram } from '../../src/lifecycle/latency-histogram.js';
import { ConfigError } from '../../src/errors.js';
import { rng } from './helpers.js';

describe('budget rules fire under injected load', () => {
  it('latency p99 over target: quiet under normal load, fires when a slow tail is injected', () => {
    const alerts = new AlertSystem();
    alerts.addRule(latencyBudget(50));
    const r = rng(1);
    const h = new LatencyHistogram();
    for (let i = 0; i < 5000; i++) h.record(5 + 20 * r());
    expect(alerts.evaluate({ p99: h.quantile(0.99) })).toEqual([]);
    for (let i = 0; i < 200; i++) h.record(80 + 40 * r()); // 4 % of requests now take 80–120 ms
    const fired = alerts.evaluate({ p99: h.quantile(0.99) });
    expect(fired).toMatchObject([{ name: 'latency_budget', severity: 'warning' }]);
  });

  it('memory, storage, outbox and overhead budgets fire on injected readings and stay quiet otherwise', async () => {
    const env = {
      performance: { memory: { usedJSHeapSize: 100 * 2 ** 20 } },
      navigator: { storage: { estimate: async () => ({ usage: 10, quota: 100 }) } },
    };
    const monitor = new ResourceMonitor({ env });
    let now = 0;
    const meter = new OverheadMeter({ now: () => now });
    let backlogAge = 1000;
    const alerts = new AlertSystem();
    for (const rule of budgetRules({
      memoryBytes: 200 * 2 ** 20,
      storageUsedFraction: 0.8,
      outboxBacklogAgeMs: 60_000,
      overheadMsPerPrediction: 0.5,
    }))
      alerts.addRule(rule);
    const collect = async () => ({
      ...(await monitor.sample()),
      ...meter.metrics(),
      outboxBacklogAgeMs: backlogAge,
    });

    for (let i = 0; i < 100; i++) {
      meter.prediction();
      meter.measure(() => (now += 0.1));
    }
    expect(alerts.evaluate(await collect())).toEqual([]);

    // inject load: a heap that grew, a nearly full origin, a stuck outbox, a slow monitor
    env.performance.memory.usedJSHeapSize = 300 * 2 ** 20;
    env.navigator.storage.estimate = async () => ({ usage: 95, quota: 100 });
    backlogAge = 10 * 60_000;
    for (let i = 0; i < 100; i++) {
      meter.prediction();
      meter.measure(() => (now += 2));
    }
    const fired = alerts
      .evaluate(await collect())
      .map((a) => a.name)
      .sort();
    expect(fired).toEqual([
      'memory_budget',
      'monitor_overhead_budget',
      'outbox_backlog_budget',
      'storage_quota_budget',
    ]);
  });

  it('a missing or unsupported metric never fires', () => {
    const alerts = new AlertSystem();
    for (const rule of budgetRules({
      latencyP99Ms: 1,
      memoryBytes: 1,
      storageUsedFraction: 0.1,
      outboxBacklogAgeMs: 1,
      overheadMsPerPrediction: 0.001,
    }))
      alerts.addRule(rule);
    expect(alerts.rules).toHaveLength(5);
    expect(
      alerts.evaluate({ unsupported: { memory: 'no API' }, p99: NaN, memoryBytes: undefined }),
    ).toEqual([]);
  });

  it('custom quantile key, severity and options are honoured; bad limits are ConfigErrors', () => {
    const rule = latencyBudget(10, { quantile: 'p95', severity: 'critical', for: 1000 });
    expect(rule).toMatchObject({ name: 'latency_budget', severity: 'critical', for: 1000 });
    expect(rule.condition({ p95: 11 })).toBe(true);
    expect(rule.condition({ p99: 11 })).toBe(false);
    expect(() => latencyBudget(0)).toThrow(ConfigError);
    expect(() => memoryBudget(-1)).toThrow(/expected maxBytes/);
    expect(() => storageQuotaBudget(1.5)).toThrow(ConfigError);
    expect(() => outboxBacklogBudget(NaN)).toThrow(ConfigError);
    expect(() => overheadBudget(Infinity)).toThrow(ConfigError);
  });
});

describe('OverheadMeter', () => {
  it('times sync and async work, including work that throws', async () => {
    let now = 0;
    const meter = new OverheadMeter({ now: () => now });
    expect(meter.measure(() => ((now += 3), 'x'))).toBe('x');
    expect(() =>
      meter.measure(() => {
        now += 2;
        throw new Error('boom');
      }),
    ).toThrow('boom');
    await meter.measureAsync(async () => {
      now += 5;
    });
    meter.add(1);
    meter.add(-5);
    meter.prediction(4);
    meter.prediction(0.5);
    expect(meter.metrics()).toEqual({
      monitorOverheadMs: 11,
      predictions: 4,
      monitorOverheadMsPerPrediction: 11 / 4,
    });
    meter.reset();
    expect(meter.metrics().monitorOverheadMsPerPrediction).toBe(0);
  });
});
