/**
 * What an EdgeMonitor page downloads at start: the parts only some options use
 * (the flusher for `endpoint`, the retraining trigger for `retrain`, the
 * multivariate checks, the feature profiles, the prediction log's batcher, the
 * Node data directory) stay out of the chunks a bundler
 * loads with `EdgeMonitor` (a real esbuild browser bundle), and a monitor that
 * configures them still gets them.
 */
import { describe, expect, it } from 'vitest';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import { eagerAndLazyModules, expectOnlyLazy } from '../support/eager-modules.js';
import { Flusher } from '../../src/transport/flusher.js';
import { RetrainTrigger } from '../../src/retrain/retrain-trigger.js';

describe('EdgeMonitor optional parts', () => {
  it('loads the flusher, the retraining trigger, multivariate checks and profiles only through import()', async () => {
    const split = await eagerAndLazyModules(
      ['src/session/edge-monitor.ts'],
      'edge-monitor-lazy-test',
    );
    expect(split.eager).toContain('src/session/edge-monitor.ts');
    expect(split.eager).toContain('src/alerts/alert-system.ts');
    expectOnlyLazy(split, [
      'src/session/session-flusher.ts',
      'src/session/session-retrain.ts',
      'src/transport/flusher.ts',
      'src/transport/post-batch.ts',
      'src/retrain/retrain-trigger.ts',
      'src/alerts/notifiers/post-json.ts',
      'src/session/multivariate-watch.ts',
      'src/session/window-profiles.ts',
      'src/session/log-batcher.ts',
      'src/storage/data-dir.ts',
    ]);
  });

  it('a monitor given an endpoint and retrain options has its flusher and trigger', async () => {
    const m = await EdgeMonitor.create({
      model: { name: 'lazy', version: '1' },
      deviceId: 'd',
      store: 'memory',
      endpoint: 'http://127.0.0.1:9/v1/windows',
      retrain: { run: () => undefined },
      engine: undefined,
      logger: { info: () => undefined, warn: () => undefined },
    });
    try {
      expect(m.flusher).toBeInstanceOf(Flusher);
      expect(m.retrain).toBeInstanceOf(RetrainTrigger);
    } finally {
      await m.close();
    }
    const plain = await EdgeMonitor.create({
      model: { name: 'lazy', version: '1' },
      store: 'memory',
    });
    expect(plain.flusher).toBeUndefined();
    expect(plain.retrain).toBeUndefined();
    await plain.close();
  });
});
