import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { RetrainTrigger } from '../../src/retrain/retrain-trigger.js';

describe('RetrainTrigger.webhook', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  });

  it('POSTs the evidence to a real server-side pipeline, retrying a 503 first', async () => {
    const bodies: unknown[] = [];
    const statuses = [503];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        const status = statuses.shift() ?? 202;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ job: 'r-1' }));
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/retrain`;

    const trigger = new RetrainTrigger({
      detector: { detect: async () => ({ isDrift: true, statistic: 0.4 }) },
      run: RetrainTrigger.webhook(url, { backoffMs: 1 }),
      now: () => 42,
    });
    const r = await trigger.check([1, 2, 3]);
    expect(r.outcome).toMatchObject({
      status: 'completed',
      result: { status: 202, attempts: 2, body: { job: 'r-1' } },
    });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual({
      version: 1,
      kind: 'retrain',
      evidence: {
        reason: 'drift',
        triggeredAt: 42,
        drift: { isDrift: true, statistic: 0.4 },
        sampleCount: 3,
      },
    });

    // a pipeline that refuses: the run fails with a TransportError, recorded
    statuses.push(400);
    const again = await new RetrainTrigger({
      run: RetrainTrigger.webhook(url, { retries: 0 }),
    }).trigger();
    expect(again.outcome?.status).toBe('failed');
    expect((again.outcome as { error: unknown }).error).toBeInstanceOf(TransportError);
  });
});
