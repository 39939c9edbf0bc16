/**
 * HTTP content codings of the collector: request bodies may come gzip-compressed
 * (`Content-Encoding: gzip`), responses are gzip-compressed when the client
 * asks for it (`Accept-Encoding`). The per-request body cap applies to the
 * compressed bytes as they arrive and again to the decompressed bytes, so a
 * small body that inflates without bound (a zip bomb) is refused with 413 after
 * at most the cap has been inflated.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gunzip } from 'node:zlib';
import {
  HttpError,
  readBodyBytes,
  sendPieces,
  writePieces,
  type BodyBudget,
} from './http-helpers.js';

const gunzipAsync = promisify(gunzip);

/** Responses smaller than this go uncompressed (the gzip header and trailer outweigh the gain). */
const MIN_GZIP_BYTES = 1024;

/**
 * Reads a request body and undoes its content coding (identity or gzip).
 *
 * @param req - the request.
 * @param max - the cap, for the bytes received and for the decoded bytes.
 * @param budget - the shared in-flight budget (compressed bytes).
 * @returns the decoded body.
 * @throws HttpError 415 for a coding other than identity or gzip, 413 when the
 *   decoded body exceeds `max`, 400 for a corrupt gzip stream.
 */
export async function readDecodedBody(
  req: IncomingMessage,
  max: number,
  budget: BodyBudget,
): Promise<Buffer> {
  const coding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (coding !== 'identity' && coding !== 'gzip' && coding !== 'x-gzip') {
    req.resume();
    throw new HttpError(
      415,
      `expected Content-Encoding gzip or identity, got ${JSON.stringify(coding)}`,
      undefined,
      { 'accept-encoding': 'gzip' },
    );
  }
  const raw = await readBodyBytes(req, max, budget);
  if (coding === 'identity') return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: max });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new HttpError(
        413,
        `request body too large: expected at most ${max} bytes after gzip decoding`,
      );
    throw new HttpError(400, `expected a gzip body, got a corrupt one: ${(e as Error).message}`);
  }
}

/**
 * Whether an `Accept-Encoding` header accepts gzip (`gzip` or `*`, q > 0).
 *
 * @param header - the request's Accept-Encoding.
 * @returns true when a gzip response is acceptable.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp === undefined ? 1 : Number(qp.slice(2));
    if (name === 'gzip' || name === 'x-gzip') return q > 0;
    if (name === '*') star = q > 0;
  }
  return star;
}

/**
 * Answers with a body given as text pieces ({@link sendPieces}), gzip-compressed
 * as a stream when the client accepts it and the body is large enough to gain
 * from it; the compressor's backpressure is honoured, so a large body is never
 * one buffer.
 *
 * @param req - the request (its Accept-Encoding).
 * @param res - the response.
 * @param status - HTTP status.
 * @param pieces - the body, in order.
 * @param headers - headers (content type).
 * @returns when the body is written (or the client went away).
 */
export async function sendPiecesCoded(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  pieces: readonly string[],
  headers: Record<string, string>,
): Promise<void> {
  let chars = 0;
  for (const p of pieces) chars += p.length;
  if (chars < MIN_GZIP_BYTES || !acceptsGzip(req.headers['accept-encoding'])) {
    await sendPieces(res, status, pieces, { ...headers, vary: 'accept-encoding' });
    return;
  }
  res.writeHead(status, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const gz = createGzip();
  const piped = pipeline(gz, res).catch(() => undefined);
  await writePieces(gz, pieces);
  await piped;
}
