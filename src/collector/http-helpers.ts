/**
 * Small HTTP helpers of the collector: a typed error carrying the status, a
 * size-capped body reader, constant-time bearer-token check, query numbers.
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

/** An error answered with `status` and a JSON `{ error, details }` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

/** Reads a body of at most `max` bytes; 413 beyond (checked on Content-Length and while streaming). */
export function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    return Promise.reject(
      new HttpError(413, `request body too large: expected at most ${max} bytes, got ${declared}`),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, `request body too large: expected at most ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Whether `Authorization` carries `Bearer <token>` (constant-time compare). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!.trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses a numeric query parameter; 400 when not a number. */
export function num(v: string | null, name: string): number | undefined {
  if (v === null) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x))
    throw new HttpError(400, `expected ${name} to be a number, got ${JSON.stringify(v)}`);
  return x;
}
