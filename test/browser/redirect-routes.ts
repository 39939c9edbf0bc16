/**
 * Test-only routes on the browser project's Vite server, so a page can meet
 * real HTTP redirects from its own origin:
 * - `POST /__ew/redirect/<code>` answers `<code>` with `Location: /__ew/sink`;
 * - `/__ew/sink` records the method and body length and answers 200 `{}`;
 * - `GET /__ew/sink-log` returns the records (and clears them).
 */
import type { Plugin } from 'vite';

/** @returns the Vite plugin serving the routes. */
export function redirectTestRoutes(): Plugin {
  let log: Array<{ method: string; bytes: number }> = [];
  return {
    name: 'edgewatch-test-redirects',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url ?? '';
        if (url === '/__ew/sink-log') {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(log));
          log = [];
          return;
        }
        const m = /^\/__ew\/redirect\/(\d{3})$/.exec(url);
        if (m) {
          req.resume();
          res.statusCode = Number(m[1]);
          res.setHeader('location', '/__ew/sink');
          res.end();
          return;
        }
        if (url === '/__ew/sink') {
          let bytes = 0;
          req.on('data', (c: Buffer) => (bytes += c.length));
          req.on('end', () => {
            log.push({ method: req.method ?? '', bytes });
            res.setHeader('content-type', 'application/json');
            res.end('{}');
          });
          return;
        }
        next();
      });
    },
  };
}
