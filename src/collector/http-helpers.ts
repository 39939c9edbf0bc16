/**
 * Small HTTP helpers of the collector: a typed error carrying the status, a
 * size-capped streaming body reader under a shared memory budget, JSON/text
 * responses, query numbers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';

/** An error answered with `status` and a JSON `{ error, details }` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Bytes of request bodies buffered at once over all requests, with a ceiling. */
export class BodyBudget {
  used = 0;
  /** @param max - the ceiling in bytes. */
  constructor(readonly max: number) {}
}

function busy(budget: BodyBudget): HttpError {
  return new HttpError(
    503,
    `collector busy: expected at most ${budget.max} bytes of request bodies in flight`,
    undefined,
    { 'retry-after': '1', connection: 'close' },
  );
}

/**
 * Reads a body of at most `max` bytes; 413 beyond (checked on Content-Length and
 * while streaming), 503 when the shared `budget` is spent. The bytes held count
 * against the budget until the body is read or refused.
 *
 * @param req - the request.
 * @param max - the per-request cap.
 * @param budget - the shared budget.
 * @returns the body as UTF-8 text.
 */
export async function readBody(
  req: IncomingMessage,
  max: number,
  budget: BodyBudget,
): Promise<string> {
  return (await readBodyBytes(req, max, budget)).toString('utf8');
}

/**
 * {@link readBody} as bytes.
 *
 * @param req - the request.
 * @param max - the per-request cap.
 * @param budget - the shared budget.
 * @returns the body.
 */
export function readBodyBytes(
  req: IncomingMessage,
  max: number,
  budget: BodyBudget,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    return Promise.reject(
      new HttpError(
        413,
        `request body too large: expected at most ${max} bytes, got ${declared}`,
        undefined,
        {
          connection: 'close',
        },
      ),
    );
  }
  if (Number.isFinite(declared) && budget.used + declared > budget.max)
    return Promise.reject(busy(budget));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      done = true;
      budget.used -= size;
      req.removeListener('data', onData);
    };
    const fail = (e: unknown): void => {
      if (done) return;
      finish();
      chunks.length = 0;
      req.resume();
      reject(e);
    };
    const onData = (c: Buffer): void => {
      if (done) return;
      size += c.length;
      budget.used += c.length;
      if (size > max)
        fail(
          new HttpError(413, `request body too large: expected at most ${max} bytes`, undefined, {
            connection: 'close',
          }),
        );
      else if (budget.used > budget.max) fail(busy(budget));
      else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (done) return;
      finish();
      resolve(Buffer.concat(chunks));
    });
    // A client that goes away mid-body releases its share at once; it is not a server error.
    // `close` also follows every body read to its end: no error is built for those.
    const aborted = (): void => {
      if (!done) fail(new HttpError(400, 'request aborted'));
    };
    req.on('error', aborted);
    req.on('close', aborted);
  });
}

/**
 * Writes a JSON (objects) or text (strings) response, its length declared
 * (head and body leave in one write, not chunked).
 *
 * @param res - the response.
 * @param status - HTTP status.
 * @param body - the payload.
 * @param headers - extra headers (override the content type).
 */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Pieces are joined into writes of about this many characters. */
const STREAM_WRITE_CHARS = 256 * 1024;

/**
 * Answers with a body given as text pieces ({@link writePieces}). A HEAD
 * request gets the head only.
 *
 * @param res - the response.
 * @param status - the status code.
 * @param pieces - the body, in order.
 * @param headers - response headers (the body is sent chunked).
 * @returns when the body is written (or the client went away).
 */
export async function sendPieces(
  res: ServerResponse,
  status: number,
  pieces: readonly string[],
  headers: Record<string, string>,
): Promise<void> {
  res.writeHead(status, headers);
  if (res.req?.method === 'HEAD') res.end();
  else await writePieces(res, pieces);
}

/**
 * Writes text pieces to a stream in order, then ends it: the pieces are joined
 * into writes of ~256 KiB that wait for the stream to drain, so a large body
 * (a fleet's `/metrics`) is never one string and never holds the event loop
 * for its whole length. Stops when the stream closes (the client went away).
 *
 * @param out - the response, or a compressor piped into it.
 * @param pieces - the body, in order.
 * @returns when the body is written or the stream has closed.
 */
export async function writePieces(out: Writable, pieces: readonly string[]): Promise<void> {
  let batch: string[] = [];
  let chars = 0;
  for (const p of pieces) {
    batch.push(p);
    chars += p.length;
    if (chars < STREAM_WRITE_CHARS) continue;
    if (out.destroyed) return;
    const ok = out.write(batch.join(''));
    batch = [];
    chars = 0;
    if (!ok && !(await drained(out))) return;
  }
  if (!out.destroyed) out.end(batch.join(''));
}

/** Waits for `drain` (true) or `close` (false). */
function drained(out: Writable): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const done = (v: boolean): void => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      resolve(v);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}

/** Parses a numeric query parameter; 400 when not a number. */
export function num(v: string | null, name: string): number | undefined {
  if (v === null) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x))
    throw new HttpError(400, `expected ${name} to be a number, got ${JSON.stringify(v)}`);
  return x;
}
