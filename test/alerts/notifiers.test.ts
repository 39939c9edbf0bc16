import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertRule } from '../../src/alerts/alert-rule.js';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import { callbackNotifier } from '../../src/alerts/notifiers/callback-notifier.js';
import type { AlertNotification } from '../../src/alerts/notifiers/notifier.js';
import { webhookNotifier } from '../../src/alerts/notifiers/webhook-notifier.js';
import type { AlertSystemError } from '../../src/alerts/types.js';
import { ConfigError, TransportError } from '../../src/errors.js';
import { alertOf } from '../support/alert.js';

interface Received {
  method: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** A real HTTP server on 127.0.0.1 answering with the given statuses in turn (then 200). */
async function startServer(
  statuses: number[],
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method,
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}/hook`, received, server };
}

/** A notification of info alert `x` in `status`. */
function notification(status: 'firing' | 'resolved'): AlertNotification {
  return { status, alert: alertOf({ state: status }) };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('notifiers', () => {
  it('callbackNotifier receives firing and resolved notifications', async () => {
    const got: AlertNotification[] = [];
    const sys = new AlertSystem();
    sys.addRule(new AlertRule('r', (m) => m.on, 'info'));
    const off = sys.addNotifier(callbackNotifier((n) => void got.push(n)));
    sys.evaluate({ on: true });
    sys.evaluate({ on: true });
    sys.evaluate({ on: false });
    await sys.settled();
    expect(got.map((n) => [n.status, n.alert.name, n.alert.state])).toEqual([
      ['firing', 'r', 'firing'],
      ['resolved', 'r', 'resolved'],
    ]);
    off();
    sys.evaluate({ on: true });
    expect(got).toHaveLength(2);
  });

  it('webhookNotifier POSTs JSON to a real server that fails first, retrying with backoff', async () => {
    const { url, received } = await startServer([500, 503]);
    const sys = new AlertSystem({ now: () => 1234 });
    sys.addRule(
      new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, 'critical', {
        labels: { model: 'p' },
      }),
    );
    const errors: AlertSystemError[] = [];
    sys.on('error', (e) => errors.push(e));
    sys.addNotifier(webhookNotifier(url, { retries: 3, backoffMs: 5 }));
    sys.evaluate({ accuracy: 0.82, hist: new Float64Array([1, 2]) });
    await sys.settled();
    expect(errors).toEqual([]);
    expect(received).toHaveLength(3); // two failures, then success
    for (const r of received) {
      expect(r.method).toBe('POST');
      expect(r.contentType).toBe('application/json');
    }
    expect(received[2]!.body).toEqual({
      version: 1,
      status: 'firing',
      alert: {
        name: 'accuracy_drop',
        severity: 'critical',
        firedAt: 1234,
        activeAt: 1234,
        metrics: { accuracy: 0.82, hist: [1, 2] },
        labels: { model: 'p' },
        state: 'firing',
      },
    });
  });

  it('gives up after the retries and reports a TransportError through `error`; a 4xx is not retried', async () => {
    const { url, received } = await startServer([503, 503, 503]);
    const sys = new AlertSystem();
    sys.addRule(new AlertRule('r', () => true));
    const errors: AlertSystemError[] = [];
    sys.on('error', (e) => errors.push(e));
    sys.addNotifier(webhookNotifier(url, { retries: 2, backoffMs: 1 }));
    sys.evaluate({});
    await sys.settled();
    expect(received).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: 'notifier', rule: 'r' });
    expect(errors[0]!.error).toBeInstanceOf(TransportError);
    expect((errors[0]!.error as TransportError).status).toBe(503);

    const bad = await startServer([400]);
    const notifier = webhookNotifier(bad.url, { retries: 5, backoffMs: 1 });
    await expect(notifier.notify(notification('firing'))).rejects.toMatchObject({ status: 400 });
    expect(bad.received).toHaveLength(1);
  });

  it('retries a refused connection (network error) and fails with TransportError', async () => {
    const { url, server } = await startServer([]);
    await new Promise<void>((r) => server.close(() => r()));
    servers.splice(servers.indexOf(server), 1);
    const notifier = webhookNotifier(url, { retries: 1, backoffMs: 1 });
    await expect(notifier.notify(notification('resolved'))).rejects.toBeInstanceOf(TransportError);
  });

  it('sendResolved: false skips resolved notifications', async () => {
    const { url, received } = await startServer([]);
    const sys = new AlertSystem();
    sys.addRule(new AlertRule('r', (m) => m.on));
    sys.addNotifier(webhookNotifier(url, { sendResolved: false }));
    sys.evaluate({ on: true });
    sys.evaluate({ on: false });
    await sys.settled();
    expect(received.map((r) => (r.body as { status: string }).status)).toEqual(['firing']);
  });

  it('rejects bad configuration with ConfigError', () => {
    expect(() => webhookNotifier('not a url')).toThrow(ConfigError);
    expect(() => webhookNotifier('ftp://127.0.0.1/x')).toThrow(ConfigError);
    expect(() => webhookNotifier('http://127.0.0.1/x', { retries: -1 })).toThrow(ConfigError);
    expect(() => webhookNotifier('http://127.0.0.1/x', { retries: 1.5 })).toThrow(ConfigError);
    expect(() => callbackNotifier(1 as never)).toThrow(ConfigError);
  });
});
