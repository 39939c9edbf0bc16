import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteFromGateway, groupPath, pushToGateway } from '../../src/export/pushgateway.js';
import { PROMETHEUS_CONTENT_TYPE } from '../../src/export/exposition.js';
import { Registry } from '../../src/prometheus/registry.js';
import { Gauge } from '../../src/prometheus/gauge.js';
import { ConfigError, TransportError } from '../../src/errors.js';

describe('groupPath', () => {
  it('encodes job and grouping labels, base64url for values with "/" or empty', () => {
    expect(groupPath('robot')).toBe('/metrics/job/robot');
    expect(groupPath('robot', { instance: 'r 7' })).toBe('/metrics/job/robot/instance/r%207');
    expect(groupPath('robot', { instance: 'a/b' })).toBe(
      `/metrics/job/robot/instance@base64/${Buffer.from('a/b').toString('base64url')}`,
    );
    expect(groupPath('a/b')).toBe(
      `/metrics/job@base64/${Buffer.from('a/b').toString('base64url')}`,
    );
    expect(groupPath('robot', { zone: '' })).toBe('/metrics/job/robot/zone@base64/=');
    // base64url of multibyte text decodes back to the same string
    const v = 'ü/🙂';
    const seg = groupPath('j', { k: v }).split('/').at(-1) as string;
    expect(Buffer.from(seg, 'base64url').toString('utf8')).toBe(v);
  });
  it('rejects an empty job and bad label names', () => {
    expect(() => groupPath('')).toThrow(ConfigError);
    expect(() => groupPath('j', { 'bad-name': 'x' })).toThrow(ConfigError);
    expect(() => groupPath('j', { job: 'x' })).toThrow(ConfigError);
  });
});

describe('pushToGateway against a local HTTP server', () => {
  let server: Server;
  let base = '';
  const seen: { method: string; url: string; type: string | undefined; body: string }[] = [];
  let status = 200;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          type: req.headers['content-type'],
          body,
        });
        res.writeHead(status).end(status >= 400 ? 'bad push' : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const registry = new Registry();
  new Gauge({ name: 'pushed', help: 'p', registry }).set(4);

  it('PUTs (default) and POSTs the text exposition to the group path', async () => {
    seen.length = 0;
    await pushToGateway({
      url: `${base}/`,
      job: 'robot',
      groupingKey: { instance: 'r7' },
      registry,
    });
    await pushToGateway({ url: base, job: 'robot', registry, method: 'POST' });
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['PUT', '/metrics/job/robot/instance/r7'],
      ['POST', '/metrics/job/robot'],
    ]);
    expect(seen[0]?.type).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(seen[0]?.body).toBe(await registry.metrics({ format: 'prometheus' }));
  });

  it('DELETEs a group', async () => {
    seen.length = 0;
    await deleteFromGateway({ url: base, job: 'robot', groupingKey: { instance: 'r7' } });
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['DELETE', '/metrics/job/robot/instance/r7', ''],
    ]);
  });

  it('a non-2xx answer is a TransportError with the status', async () => {
    status = 400;
    try {
      const err = await pushToGateway({ url: base, job: 'robot', registry }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).status).toBe(400);
      expect((err as TransportError).message).toContain('bad push');
    } finally {
      status = 200;
    }
  });

  it('a network error is a TransportError without status; a bad method is a ConfigError', async () => {
    const err = await pushToGateway({ url: 'http://127.0.0.1:1', job: 'robot', registry }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).status).toBeUndefined();
    await expect(
      pushToGateway({ url: base, job: 'robot', registry, method: 'PATCH' as never }),
    ).rejects.toThrow(ConfigError);
  });
});
