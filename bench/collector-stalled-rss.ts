/**
 * Collector memory under stalled uploads (not part of the test suite): a
 * collector in its own process (bin/edgewatch-collector.js, default limits),
 * then CONNECTIONS clients that each declare a 1 MiB body (or stream chunked,
 * with --chunked), send all of it but the last byte, and stall. Prints the
 * collector's RSS (VmRSS from /proc) before, at the peak while the bodies are
 * stalled, and 3, 10 and 30 s after the clients close, with the answers the
 * clients got; WAVES times over (memory freed by one wave must be reused by the
 * next, not added to).
 *
 *   node --import tsx bench/collector-stalled-rss.ts [--connections 1000] [--waves 3] [--chunked]
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { startCollectorCli } from '../test/support/collector-cli.js';
import { flag, numberArg } from './support/args.js';

const CONNECTIONS = numberArg('connections', 1000);
const CHUNKED = flag('chunked');
const BODY = 1024 * 1024 - 1024;

const rssMb = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const { child, url } = await startCollectorCli(['--port', '0', '--db', ':memory:'], {
  stderr: 'inherit',
});
const port = Number(new URL(url).port);
await sleep(500);
const before = rssMb(child.pid!);
const WAVES = numberArg('waves', 3);
const answers = new Map<string, number>();
const chunk = Buffer.alloc(64 * 1024, 0x20);
for (let wave = 1; wave <= WAVES; wave++) {
  const sockets: Socket[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => answers.set('socket error', (answers.get('socket error') ?? 0) + 1));
    s.on('data', (d) => {
      const status = /^HTTP\/1\.1 (\d+)/.exec(d.toString('latin1'))?.[1] ?? 'data';
      answers.set(status, (answers.get(status) ?? 0) + 1);
    });
    s.write(
      `POST /v1/windows HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
        (CHUNKED ? 'transfer-encoding: chunked\r\n\r\n' : `content-length: ${BODY + 1}\r\n\r\n`),
    );
    for (let sent = 0; sent < BODY; sent += chunk.length) {
      const c = chunk.subarray(0, Math.min(chunk.length, BODY - sent));
      s.write(
        CHUNKED
          ? Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')])
          : c,
      );
    }
    sockets.push(s);
    if (i % 50 === 49) await sleep(20);
  }
  let peak = 0;
  for (let t = 0; t < 20; t++) {
    peak = Math.max(peak, rssMb(child.pid!));
    await sleep(250);
  }
  for (const s of sockets) s.destroy();
  const after: string[] = [];
  let waited = 0;
  for (const at of [3, 10, 30]) {
    await sleep((at - waited) * 1000);
    waited = at;
    after.push(`${rssMb(child.pid!).toFixed(0)} MB ${at} s`);
  }
  console.log(
    `wave ${wave}: ${CONNECTIONS} stalled ${CHUNKED ? 'chunked' : 'content-length'} ~1 MiB bodies: collector RSS ${before.toFixed(0)} MB before the first wave, peak ${peak.toFixed(0)} MB; after the clients closed: ${after.join(', ')}; answers so far ${JSON.stringify(Object.fromEntries(answers))}`,
  );
}
child.kill('SIGTERM');
