/** Test helper: an in-process fake of the collector's ingest endpoint, scripted per request. */
export type Step =
  | number
  | 'network'
  | { status: number; headers?: Record<string, string> }
  | ((ids: string[]) => number);

export interface FakeCall {
  ids: string[];
  keepalive: boolean;
  headers: Record<string, string>;
  status: number | 'network';
}

export function fakeBackend(script: Step[] = []) {
  const stored: string[] = [];
  const seen = new Set<string>();
  const calls: FakeCall[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit): Promise<Response> => {
    const ids = (
      JSON.parse(init.body as string) as { windows: { windowId: string }[] }
    ).windows.map((w) => w.windowId);
    const headers = init.headers as Record<string, string>;
    const step = script.shift() ?? 200;
    if (step === 'network') {
      calls.push({ ids, keepalive: init.keepalive === true, headers, status: 'network' });
      throw new TypeError('fetch failed');
    }
    const status =
      typeof step === 'number' ? step : typeof step === 'function' ? step(ids) : step.status;
    calls.push({ ids, keepalive: init.keepalive === true, headers, status });
    if (status >= 200 && status < 300) {
      for (const id of ids) {
        if (!seen.has(id)) {
          seen.add(id);
          stored.push(id);
        }
      }
    }
    const h = typeof step === 'object' ? step.headers : undefined;
    // 204/205/304 carry no body: `new Response(body, { status: 204 })` throws, which
    // made a scripted 204 look like a network error after the ids were stored.
    const body =
      status === 204 || status === 205 || status === 304
        ? null
        : JSON.stringify(status < 300 ? { accepted: ids.length } : { error: `status ${status}` });
    return new Response(body, { status, headers: h });
  }) as unknown as typeof globalThis.fetch;
  return { fetch: fetchImpl, stored, calls, script };
}
