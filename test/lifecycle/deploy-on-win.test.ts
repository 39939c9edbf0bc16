import { describe, expect, it, vi } from 'vitest';
import { ABTest } from '../../src/lifecycle/ab-test.js';
import { ModelRegistry } from '../../src/lifecycle/model-registry.js';
import { ShadowEvaluator } from '../../src/lifecycle/shadow.js';
import { deployOnWin } from '../../src/lifecycle/deploy-on-win.js';
import { ConfigError } from '../../src/errors.js';
import { gauss, rng } from './helpers.js';

async function setup() {
  const registry = await ModelRegistry.open({ backend: 'memory' });
  await registry.register({ name: 'm', version: '1' });
  await registry.register({ name: 'm', version: '2', activate: false });
  return registry;
}

describe('deployOnWin: a retrained model goes live only after it wins', () => {
  it('better candidate in shadow → promoted → activated', async () => {
    const registry = await setup();
    const ab = new ABTest({ metric: 'error', minSamples: 100, checkEvery: 10 });
    const deployed = new Promise<string>((resolve) =>
      deployOnWin(
        ab,
        registry,
        { model: 'm', modelVersion: '2' },
        { onDeployed: (r) => resolve(r.version) },
      ),
    );
    const shadow = new ShadowEvaluator<number, number>({
      control: (x) => x + 0.5,
      candidate: (x) => x + 0.1,
      test: ab,
    });
    const r = rng(4);
    for (let i = 0; i < 3000 && ab.decide().decision === 'continue'; i++) {
      const x = gauss(r);
      await shadow.predict(x, { actual: x + 0.2 * gauss(r) });
      await shadow.flush();
    }
    expect(ab.decide().decision).toBe('promote');
    await expect(deployed).resolves.toBe('2');
    expect(registry.getActive('m')?.version).toBe('2');
  });

  it('worse candidate → kept, never activated', async () => {
    const registry = await setup();
    const ab = new ABTest({ metric: 'accuracy', minSamples: 100, checkEvery: 10 });
    const onRejected = vi.fn();
    const onDeployed = vi.fn();
    deployOnWin(ab, registry, { model: 'm', modelVersion: '2' }, { onRejected, onDeployed });
    const r = rng(8);
    for (let i = 0; i < 5000 && ab.decide().decision === 'continue'; i++) {
      ab.record('control', r() < 0.9 ? 1 : 0, 1);
      ab.record('candidate', r() < 0.8 ? 1 : 0, 1);
    }
    expect(onRejected).toHaveBeenCalledTimes(1);
    expect(onDeployed).not.toHaveBeenCalled();
    expect(registry.getActive('m')?.version).toBe('1');
  });

  it('an unregistered candidate is a ConfigError', async () => {
    const registry = await setup();
    const ab = new ABTest({ metric: 'accuracy' });
    expect(() => deployOnWin(ab, registry, { model: 'm', modelVersion: '9' })).toThrow(ConfigError);
  });
});
