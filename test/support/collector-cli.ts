/**
 * The collector CLI (bin/edgewatch-collector.js) in a child process, as the
 * kill -9 tests and the collector benches run it: started on the arguments
 * given, ready once its start-up line names the address it listens on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the collector CLI. */
export const collectorBin = fileURLToPath(
  new URL('../../bin/edgewatch-collector.js', import.meta.url),
);

/** A started collector CLI. */
export interface CollectorCli {
  child: ChildProcess;
  /** Base URL it listens on, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Its stdout up to the start-up line, trimmed. */
  line: string;
}

/**
 * Starts the collector CLI with `args`. Rejects when it exits before it
 * listens (with its stderr, unless `stderr: 'inherit'` passes that through)
 * or, with `timeoutMs`, when it does not listen in time. `nodeArgs` go to
 * node before the script (e.g. `--cpu-prof`).
 */
export function startCollectorCli(
  args: readonly string[],
  o: { stderr?: 'pipe' | 'inherit'; timeoutMs?: number; nodeArgs?: readonly string[] } = {},
): Promise<CollectorCli> {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), collectorBin, ...args], {
    stdio: ['ignore', 'pipe', o.stderr ?? 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^;\s]+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, line: out.trim() });
    });
    child.once('exit', (c) => reject(new Error(`collector exited ${c}: ${err}`)));
    if (o.timeoutMs !== undefined)
      setTimeout(() => reject(new Error('collector did not start')), o.timeoutMs).unref();
  });
}

/** `kill -9` and wait for the exit. */
export async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** POSTs windows as JSON to the collector at `url` (`/v1/windows`), given up on after `timeoutMs`. */
export function postWindows(
  url: string,
  windows: unknown[],
  timeoutMs = 10_000,
): Promise<Response> {
  return fetch(`${url}/v1/windows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ windows }),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** Tries and failed tries of {@link uploadUntilAcked}. */
export interface UploadAttempts {
  sent: number;
  failed: number;
}

/**
 * `clients` concurrent clients take `windows` in batches of `batch`, in
 * order, and retry each batch until the collector acknowledges it with a 200,
 * as the Flusher does. Before each try a client reads `collector()`, waits
 * for its `ready` (a restart in progress) and posts to its `url` (the
 * collector's address now); `onAcked` gets every acknowledged batch.
 */
export async function uploadUntilAcked<W>(
  windows: readonly W[],
  { clients, batch }: { clients: number; batch: number },
  collector: () => { url: string; ready: Promise<void> },
  onAcked: (batch: W[]) => void,
): Promise<UploadAttempts> {
  const attempts = { sent: 0, failed: 0 };
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < windows.length) {
      const some = windows.slice(next, next + batch);
      next += batch;
      for (;;) {
        await collector().ready;
        attempts.sent++;
        try {
          const res = await postWindows(collector().url, some);
          await res.arrayBuffer();
          if (res.status === 200) {
            onAcked(some);
            break;
          }
          attempts.failed++;
        } catch {
          attempts.failed++;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return attempts;
}
