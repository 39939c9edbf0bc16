// ad hoc: same client load as the e2e against one collector process (sqlite or pg url)
import { spawn } from 'node:child_process';
import { makeRecord } from './test/window/make-record.js';
import { freePort } from './test/e2e/prom-process.js';
import { startPostgres } from './test/support/postgres.js';
let db = process.argv[2]!;
const pgs = db === 'pg' ? await startPostgres() : undefined;
if (pgs) db = await pgs.createDatabase('bench');
const N = Number(process.argv[3] ?? 1);
const DEVICES = 24, BATCHES = 25, PER = 10;
const bases: string[] = [];
const kids = [];
for (let i = 0; i < N; i++) {
  const port = await freePort();
  kids.push(spawn(process.execPath, ['bin/edgewatch-collector.js', '--port', String(port), '--db', db, '--rate-limit', '0'], { stdio: 'inherit' }));
  bases.push(`http://127.0.0.1:${port}`);
}
for (const b of bases) for (;;) { try { if ((await fetch(`${b}/healthz`)).ok) break; } catch {} await new Promise(r => setTimeout(r, 200)); }
const lat: number[] = [];
const t0 = performance.now();
await Promise.all(Array.from({ length: DEVICES }, async (_, d) => {
  for (let b = 0; b < BATCHES; b++) {
    const windows = Array.from({ length: PER }, (_, k) => makeRecord(b * PER + k, { deviceId: `device-${d}` }));
    const body = JSON.stringify({ windows });
    const s = performance.now();
    const r = await fetch(`${bases[d % N]}/v1/windows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await r.text();
    if (!r.ok) throw new Error(String(r.status));
    lat.push(performance.now() - s);
  }
}));
const sec = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
console.log(`${db.startsWith('postgres') ? 'pg' : 'sqlite'} x${N}: ${(DEVICES*BATCHES*PER/sec).toFixed(0)} windows/s, p50 ${lat[Math.floor(lat.length/2)]!.toFixed(1)} ms, p99 ${lat[Math.floor(lat.length*0.99)]!.toFixed(1)} ms`);
for (const k of kids) k.kill('SIGKILL');
pgs?.stop();
process.exit(0);
