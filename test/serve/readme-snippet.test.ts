/**
 * Runs the README's serving snippet (marked `snippet: serve-predict`) as
 * written, with only its package imports pointed at the sources and its port
 * at 0: POST /predict answers, GET /metrics carries the call, and the monitor
 * received the predictions.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type { WindowEvent } from '../../src/session/edge-monitor-types.js';
import type { ServeMetrics } from '../../src/serve/index.js';

const root = join(import.meta.dirname, '../..');
mkdirSync(join(root, 'build'), { recursive: true });
const dir = mkdtempSync(join(root, 'build', 'readme-snippet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ```ts block after the marker comment. */
function snippet(name: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(`<!-- snippet: ${name} `);
  expect(at, `README marker ${name}`).toBeGreaterThan(0);
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(m).not.toBeNull();
  return m![1] as string;
}

describe('README serving snippet', () => {
  it('serves /predict and /metrics, and feeds the monitor', async () => {
    const src = pathToFileURL(join(root, 'src')).href;
    const code =
      snippet('serve-predict')
        .replace("from 'edgewatch/serve'", `from '${src}/serve/index.ts'`)
        .replace("from 'edgewatch'", `from '${src}/index.ts'`)
        .replace('server.listen(8000,', 'server.listen(0,') +
      '\nexport { server, monitor, serve };\n';
    expect(code).not.toMatch(/from 'edgewatch/);
    const file = join(dir, 'snippet.ts');
    writeFileSync(file, code);
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      server: Server;
      monitor: EdgeMonitor;
      serve: ServeMetrics;
    };
    const { server, monitor, serve } = mod;
    const windows: WindowEvent[] = [];
    monitor.on('window', (w) => windows.push(w));
    if (!server.listening) await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const results: string[] = [];
    for (const x of [0.9, 0.1, 0.7]) {
      const res = await fetch(`${url}/predict`, {
        method: 'POST',
        body: JSON.stringify({ image: [x, 0, 0] }),
      });
      expect(res.status).toBe(200);
      results.push(((await res.json()) as { result: string }).result);
    }
    expect(results).toEqual(['vehicle', 'person', 'vehicle']);
    expect((await fetch(`${url}/other`)).status).toBe(404);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(
      /^edgewatch_http_requests_total\{route="\/predict",method="POST",status="200"\} 3$/m,
    );
    expect(text).toMatch(
      /^edgewatch_http_requests_total\{route="model\.predict",method="CALL",status="200"\} 3$/m,
    );
    expect(text).toMatch(
      /^edgewatch_http_request_duration_seconds_count\{route="\/predict",method="POST"\} 3$/m,
    );
    await new Promise<void>((r) => server.close(() => r()));
    await monitor.close();
    await serve.close();
    expect(windows).toHaveLength(1);
    expect(windows[0]!.record.counters.predictions).toBe(3);
    expect(windows[0]!.latency.count).toBe(3);
  });
});
