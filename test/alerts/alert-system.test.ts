import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AlertRule, AlertSeverity } from '../../src/alerts/alert-rule.js';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import type { Alert, AlertSystemError } from '../../src/alerts/types.js';
import { ConfigError, DataError } from '../../src/errors.js';

describe('AlertSystem — the documented snippet', () => {
  it('evaluate({ accuracy: 0.82 }) returns the critical accuracy_drop alert', () => {
    const alertSys = new AlertSystem();

    // Add rules
    alertSys.addRule(
      new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, AlertSeverity.CRITICAL),
    );

    // Evaluate
    const before = Date.now();
    const alerts = alertSys.evaluate({ accuracy: 0.82 });
    // [{ name: 'accuracy_drop', severity: 'critical', ... }]
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      name: 'accuracy_drop',
      severity: 'critical',
      metrics: { accuracy: 0.82 },
      state: 'firing',
    });
    expect(alerts[0]!.firedAt).toBeGreaterThanOrEqual(before);
    expect(alerts[0]!.firedAt).toBeLessThanOrEqual(Date.now());
    expect(alertSys.evaluate({ accuracy: 0.9 })).toEqual([]);
    expect(AlertSeverity).toEqual({ INFO: 'info', WARNING: 'warning', CRITICAL: 'critical' });
  });
});

describe('AlertSystem — state machine with a fake clock', () => {
  it('`for`: pending until the condition has held long enough, then fires once, then resolves once', () => {
    let t = 0;
    const sys = new AlertSystem({ now: () => t });
    sys.addRule(
      new AlertRule('slow', (m) => m.p99 > 100, AlertSeverity.WARNING, {
        for: 1000,
        description: 'd',
        labels: { team: 'ml' },
      }),
    );
    const fired: Alert[] = [];
    const resolved: Alert[] = [];
    sys.on('fire', (a) => fired.push(a));
    sys.on('resolve', (a) => resolved.push(a));

    expect(sys.evaluate({ p99: 150 })).toEqual([]);
    expect(sys.pending()).toEqual([{ name: 'slow', activeAt: 0 }]);
    t = 999;
    expect(sys.evaluate({ p99: 150 })).toEqual([]);
    t = 1000;
    const firing = sys.evaluate({ p99: 160 });
    expect(firing).toEqual([
      {
        name: 'slow',
        severity: 'warning',
        firedAt: 1000,
        activeAt: 0,
        metrics: { p99: 160 },
        description: 'd',
        labels: { team: 'ml' },
        state: 'firing',
      },
    ]);
    t = 2000;
    expect(sys.evaluate({ p99: 170 })).toMatchObject([{ firedAt: 1000, metrics: { p99: 170 } }]); // still firing, same episode
    expect(fired).toHaveLength(1); // deduplicated
    t = 2500;
    expect(sys.evaluate({ p99: 50 })).toEqual([]);
    expect(resolved).toEqual([
      expect.objectContaining({ name: 'slow', state: 'resolved', resolvedAt: 2500, firedAt: 1000 }),
    ]);
    expect(sys.firing()).toEqual([]);
  });

  it('a condition that stops holding while pending resets the `for` clock', () => {
    let t = 0;
    const sys = new AlertSystem({ now: () => t });
    sys.addRule(new AlertRule('r', (m) => m.x, 'info', { for: 100 }));
    sys.evaluate({ x: true });
    t = 90;
    sys.evaluate({ x: false });
    t = 150;
    expect(sys.evaluate({ x: true })).toEqual([]);
    t = 249;
    expect(sys.evaluate({ x: true })).toEqual([]);
    t = 250;
    expect(sys.evaluate({ x: true })).toHaveLength(1);
  });

  it('cooldown: no second fire within `cooldown` of the first; fires when it has passed', () => {
    let t = 0;
    const sys = new AlertSystem({ now: () => t });
    sys.addRule(new AlertRule('r', (m) => m.bad, 'critical', { cooldown: 1000 }));
    const fired: number[] = [];
    sys.on('fire', (a) => fired.push(a.firedAt));
    sys.evaluate({ bad: true }); // fires at 0
    t = 10;
    sys.evaluate({ bad: false }); // resolves
    t = 20;
    expect(sys.evaluate({ bad: true })).toEqual([]); // within cooldown: pending
    t = 999;
    expect(sys.evaluate({ bad: true })).toEqual([]);
    t = 1000;
    expect(sys.evaluate({ bad: true })).toMatchObject([{ firedAt: 1000, activeAt: 20 }]);
    expect(fired).toEqual([0, 1000]);
  });

  it('property (cooldown 0): one fire per maximal run of holding evaluations that lasts `for`; one resolve per fired run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.boolean()), {
          minLength: 1,
          maxLength: 60,
        }),
        (forMs, steps) => {
          let t = 0;
          const sys = new AlertSystem({ now: () => t });
          sys.addRule(new AlertRule('r', (m) => m.on, 'info', { for: forMs }));
          const events: [string, number][] = [];
          sys.on('fire', (a) => events.push(['fire', a.firedAt]));
          sys.on('resolve', (a) => events.push(['resolve', a.resolvedAt!]));
          const times: number[] = [];
          for (const [dt, on] of steps) {
            t += dt;
            times.push(t);
            sys.evaluate({ on });
          }
          // reference: split into maximal runs of `true`
          const expected: [string, number][] = [];
          let i = 0;
          while (i < steps.length) {
            if (!steps[i]![1]) {
              i++;
              continue;
            }
            const start = times[i]!;
            let j = i;
            let firedAt: number | undefined;
            while (j < steps.length && steps[j]![1]) {
              if (firedAt === undefined && times[j]! - start >= forMs) firedAt = times[j]!;
              j++;
            }
            if (firedAt !== undefined) {
              expected.push(['fire', firedAt]);
              if (j < steps.length) expected.push(['resolve', times[j]!]);
            }
            i = j;
          }
          expect(events).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('AlertSystem — errors never break evaluate', () => {
  it('a throwing condition is reported through `error` and the other rules still run', () => {
    const errors: AlertSystemError[] = [];
    const sys = new AlertSystem({ onError: (e) => errors.push(e) });
    sys.addRule(
      new AlertRule(
        'broken',
        () => {
          throw new Error('boom');
        },
        'critical',
      ),
    );
    sys.addRule(new AlertRule('low', (m) => m.accuracy < 0.85, 'warning'));
    const viaEvent: AlertSystemError[] = [];
    sys.on('error', (e) => viaEvent.push(e));
    expect(sys.evaluate({ accuracy: 0.5 }).map((a) => a.name)).toEqual(['low']);
    expect(errors).toHaveLength(1);
    expect(viaEvent[0]).toMatchObject({ source: 'condition', rule: 'broken' });
    expect((viaEvent[0]!.error as Error).message).toBe('boom');
    expect(sys.errorCount).toBe(1);
  });

  it('a condition must return a boolean: a Promise, "false", 1, null or undefined is an error and never fires', async () => {
    const returns: unknown[] = [Promise.resolve(false), 'false', 'true', 1, 0, null, undefined, {}];
    for (const value of returns) {
      const sys = new AlertSystem();
      const errors: AlertSystemError[] = [];
      sys.on('error', (e) => errors.push(e));
      const fired: Alert[] = [];
      sys.on('fire', (a) => fired.push(a));
      sys.addRule(new AlertRule('odd', (() => value) as unknown as () => boolean));
      expect(sys.evaluate({ accuracy: 0.5 })).toEqual([]);
      expect(fired).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ source: 'condition', rule: 'odd' });
      expect(errors[0]!.error).toBeInstanceOf(DataError);
      expect((errors[0]!.error as Error).message).toMatch(/expected condition to return a boolean/);
    }
    // An async condition that rejects: reported once, no unhandled rejection.
    const sys = new AlertSystem();
    const errors: AlertSystemError[] = [];
    sys.on('error', (e) => errors.push(e));
    sys.addRule(
      new AlertRule('async', (async () => {
        throw new Error('late');
      }) as unknown as () => boolean),
    );
    expect(sys.evaluate({})).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
    expect((errors[0]!.error as Error).message).toMatch(/a Promise/);
  });

  it('a non-boolean result leaves a firing alert firing (no verdict), like a throw', () => {
    const sys = new AlertSystem();
    let odd = false;
    sys.addRule(new AlertRule('r', ((m: { v: number }) => (odd ? 0 : m.v > 1)) as never));
    sys.evaluate({ v: 2 });
    odd = true;
    expect(sys.evaluate({ v: 0 })).toHaveLength(1);
  });

  it('a throwing condition leaves a firing alert firing (no verdict)', () => {
    const sys = new AlertSystem();
    let explode = false;
    sys.addRule(
      new AlertRule('r', (m) => {
        if (explode) throw new Error('x');
        return m.v > 1;
      }),
    );
    sys.evaluate({ v: 2 });
    explode = true;
    expect(sys.evaluate({ v: 0 })).toHaveLength(1);
  });

  it('a throwing listener is reported and the other listeners still run; unsubscribe works', () => {
    const sys = new AlertSystem();
    sys.addRule(new AlertRule('r', (m) => m.on));
    const seen: string[] = [];
    const errors: AlertSystemError[] = [];
    sys.on('error', (e) => errors.push(e));
    sys.on('fire', () => {
      throw new Error('listener');
    });
    const off = sys.on('fire', (a) => seen.push(a.name));
    sys.evaluate({ on: true });
    expect(seen).toEqual(['r']);
    expect(errors).toMatchObject([{ source: 'listener' }]);
    off();
    sys.evaluate({ on: false });
    sys.evaluate({ on: true });
    expect(seen).toEqual(['r']);
  });

  it('misuse throws ConfigError', () => {
    expect(() => new AlertRule('', () => true)).toThrow(ConfigError);
    expect(() => new AlertRule('x', 5 as never)).toThrow(ConfigError);
    expect(() => new AlertRule('x', () => true, 'fatal' as never)).toThrow(/expected severity/);
    expect(() => new AlertRule('x', () => true, 'info', { for: -1 })).toThrow(ConfigError);
    expect(() => new AlertRule('x', () => true, 'info', { cooldown: NaN })).toThrow(ConfigError);
    expect(() => new AlertRule('x', () => true, 'info', { labels: { a: 1 as never } })).toThrow(
      ConfigError,
    );
    const sys = new AlertSystem();
    sys.addRule(new AlertRule('x', () => true));
    expect(() => sys.addRule(new AlertRule('x', () => true))).toThrow(/duplicate "x"/);
    expect(() => sys.addRule({} as never)).toThrow(ConfigError);
    expect(() => new AlertSystem({ now: 1 as never })).toThrow(ConfigError);
    expect(() => sys.addNotifier({} as never)).toThrow(ConfigError);
    expect(sys.removeRule('x')).toBe(true);
    expect(sys.rules).toEqual([]);
  });
});
