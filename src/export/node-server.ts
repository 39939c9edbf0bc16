/**
 * A tiny `/metrics` endpoint on Node's `http` module, for Electron main
 * processes, robot consoles and tests. `node:http` is imported dynamically (by
 * a computed specifier) so browser bundles never pull it in.
 */
import { ConfigError, describeValue } from '../errors.js';
import { numberOption } from '../util/options.js';
import { importNodeBuiltin } from '../platform/node-builtins.js';
import { contentTypeFor, negotiateFormat } from './exposition.js';
import type { ExpositionFormat } from './exposition.js';

/** Anything that yields an exposition in either format (a `Registry`). */
export interface MetricsSource {
  metrics(options?: { format?: ExpositionFormat }): Promise<string>;
}

/** Options of {@link serveMetrics}. */
export interface ServeMetricsOptions {
  /** The registry to expose. */
  registry: MetricsSource;
  /** Port (default 9464; 0 picks a free one). */
  port?: number;
  /** Interface (default `127.0.0.1`; use `0.0.0.0` deliberately). */
  host?: string;
  /** Path (default `/metrics`). */
  path?: string;
  /** Fixed format, or `'negotiate'` (default): OpenMetrics when the scraper's Accept asks for it. */
  format?: ExpositionFormat | 'negotiate';
  /** Receives errors while producing the exposition (the request gets a 500). */
  onError?: (error: unknown) => void;
}

/** A running metrics server. */
export interface MetricsServer {
  /** The port it listens on. */
  readonly port: number;
  /** Full URL of the metrics path, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** Stops listening and closes open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves the registry's exposition on `GET /metrics` (HEAD too); 404 for other
 * paths, 405 for other methods. Node only.
 *
 * @param options - registry, port, host, path, format, onError.
 * @returns the server's port, url and `close`.
 * @throws ConfigError on bad options; the listen error (e.g. EADDRINUSE) when the port is taken.
 * @example
 * const server = await serveMetrics({ registry, port: 0 });
 * await fetch(server.url); // the exposition
 * await server.close();
 */
export async function serveMetrics(options: ServeMetricsOptions): Promise<MetricsServer> {
  const {
    registry,
    port = 9464,
    host = '127.0.0.1',
    path = '/metrics',
    format = 'negotiate',
    onError,
  } = options;
  if (typeof registry?.metrics !== 'function')
    throw new ConfigError(
      `expected registry with a metrics() method, got ${describeValue(registry)}`,
    );
  numberOption('port', port, { min: 0, max: 65535, integer: true });
  if (!path.startsWith('/'))
    throw new ConfigError(`expected path to start with "/", got ${describeValue(path)}`);
  const http = await importNodeBuiltin('node:http');
  const server = http.createServer((req, res) => {
    const reqPath = (req.url ?? '/').split('?')[0];
    if (reqPath !== path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('method not allowed\n');
      return;
    }
    const chosen: ExpositionFormat =
      format === 'negotiate' ? negotiateFormat(req.headers.accept) : format;
    registry.metrics({ format: chosen }).then(
      (text) => {
        res.writeHead(200, { 'content-type': contentTypeFor(chosen) });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        onError?.(error);
        res
          .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          .end('error producing metrics\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    port: actualPort,
    url: `http://${urlHost}:${actualPort}${path}`,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
