/**
 * Who may call what: bearer tokens and CORS. The ingest token guards every
 * route that reads or writes stored data (`/v1/windows`, `/v1/fleet`); an
 * optional scrape token also opens `/metrics` (Prometheus' `authorization`
 * scrape setting sends it), which otherwise needs the ingest token when one is
 * set. Tokens are compared as SHA-256 digests with `timingSafeEqual`, so
 * neither their content nor their length leaks through timing. CORS headers
 * are sent only for origins listed in `corsOrigins` (none by default).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a route does with stored data. */
export type AccessKind = 'ingest' | 'read' | 'scrape' | 'open';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * Whether `Authorization` carries `Bearer <token>` (constant-time compare of digests).
 *
 * @param header - the request's Authorization header.
 * @param token - the expected token.
 * @returns true on a match.
 */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return timingSafeEqual(digest(m ? m[1]! : ''), digest(token)) && m !== null;
}

/** The access policy of one collector. */
export class Access {
  private readonly corsOrigins: ReadonlySet<string>;

  /**
   * @param o - `token` guards ingest and reads; `scrapeToken` opens `/metrics`;
   *   `corsOrigins` are the browser origins answered with CORS headers (`*` allows any).
   */
  constructor(
    private readonly o: { token?: string; scrapeToken?: string; corsOrigins?: readonly string[] },
  ) {
    this.corsOrigins = new Set(o.corsOrigins ?? []);
  }

  /** Whether a token is configured. */
  get authenticated(): boolean {
    return this.o.token !== undefined;
  }

  /**
   * Whether the request may use a route of `kind`.
   *
   * @param req - the request.
   * @param kind - what the route does.
   * @returns true when allowed.
   */
  allows(req: IncomingMessage, kind: AccessKind): boolean {
    if (kind === 'open') return true;
    const header = req.headers.authorization;
    if (
      kind === 'scrape' &&
      this.o.scrapeToken !== undefined &&
      tokenMatches(header, this.o.scrapeToken)
    )
      return true;
    if (this.o.token === undefined) return kind !== 'scrape' || this.o.scrapeToken === undefined;
    return tokenMatches(header, this.o.token);
  }

  /**
   * CORS response headers for the request's `Origin` (none unless it is listed).
   *
   * @param req - the request.
   * @returns headers to add.
   */
  corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (this.corsOrigins.has('*')) return { 'access-control-allow-origin': '*' };
    if (origin !== undefined && this.corsOrigins.has(origin))
      return { 'access-control-allow-origin': origin, vary: 'Origin' };
    return {};
  }
}
