/**
 * Decode once: the sketches and profiles of an accepted request are decoded
 * while it is validated, and the fleet aggregates fold that decoded content —
 * they never read the base64 text again (here it is overwritten after
 * validation, and the aggregates still equal those of the untouched windows).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FleetAggregator } from '../../src/collector/fleet-aggregator.js';
import { decodedOf, jsonDepth, parseIngestBody } from '../../src/collector/ingest.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { fleetWindows } from './fleet-windows.js';

describe('collector ingest decodes each sketch and profile once', () => {
  it('the aggregates fold what validation decoded, not the text', () => {
    const windows = fleetWindows(30, 9, 1_700_000_000_000);
    const parsed = parseIngestBody(JSON.stringify({ windows }), 1000);
    if ('error' in parsed) throw new Error(parsed.error);
    const viaText = new FleetAggregator({ prerenderDelayMs: -1 });
    const viaDecoded = new FleetAggregator({ prerenderDelayMs: -1 });
    windows.forEach((w, i) => viaText.ingest(w, 1000 + i));
    parsed.windows.forEach((w, i) => {
      expect(decodedOf(w)?.sketches.size).toBe(Object.keys(w.sketches).length);
      // A second decode of these would be counted as corrupt (or throw).
      for (const k of Object.keys(w.sketches)) w.sketches[k] = 'AAAA';
      for (const k of Object.keys(w.profiles ?? {})) w.profiles![k] = 'AAAA';
      viaDecoded.ingest(w, 1000 + i);
    });
    expect(viaDecoded.sketchErrors.size).toBe(0);
    expect(viaDecoded.profiles.dropped.size).toBe(0);
    expect(viaDecoded.exportState()).toEqual(viaText.exportState());
    // A window that did not come through validation (a stored row) is decoded from its text.
    expect(decodedOf(windows[0]!)).toBeUndefined();
  });

  it('the fleet sketch merge loads the validated sketch; only a stored row is deserialized', () => {
    const kernel = createReferenceKernel();
    let deserialized = 0;
    const counting = new Proxy(kernel, {
      get: (k, name) =>
        name === 'sketchDeserialize'
          ? (bytes: Uint8Array) => (deserialized++, k.sketchDeserialize(bytes))
          : Reflect.get(k, name, k),
    });
    const windows = fleetWindows(10, 3, 1_700_000_000_000);
    const parsed = parseIngestBody(JSON.stringify({ windows }), 1000);
    if ('error' in parsed) throw new Error(parsed.error);
    const agg = new FleetAggregator({ kernel: counting, prerenderDelayMs: -1 });
    parsed.windows.forEach((w, i) => agg.ingest(w, 1000 + i));
    expect(deserialized).toBe(0);
    // A stored row's latency sketch is decoded once for both folds; its other sketches are deserialized.
    agg.ingest(windows[0]!, 2000);
    const others = Object.keys(windows[0]!.sketches).filter((k) => k !== 'latency');
    expect(others.length).toBeGreaterThan(0);
    expect(deserialized).toBe(others.length);
  });
});

describe('collector ingest stores the received JSON text', () => {
  it('property: each window is stored as the text it arrived in, whatever the layout', () => {
    const windows = fleetWindows(4, 3, 1_700_000_000_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(undefined, 0, 1, 2, '\t'),
        fc.boolean(),
        fc.boolean(),
        (n, indent, extraKey, upper) => {
          const list = windows.slice(0, n).map((w) => ({ ...w }));
          if (upper) list[0]!.windowId = list[0]!.windowId.toUpperCase();
          const body = extraKey
            ? { note: { windows: [1, 2] }, windows: list, 'x"y': '[', 'z\\': '\\"]{\\\\' }
            : { windows: list };
          const text = JSON.stringify(body, null, indent);
          const parsed = parseIngestBody(text, 1000);
          if ('error' in parsed) throw new Error(parsed.error);
          parsed.windows.forEach((w, i) => {
            const json = decodedOf(w)?.json;
            if (upper && i === 0) expect(json).toBeUndefined();
            else {
              expect(text).toContain(json);
              expect(JSON.parse(json!)).toEqual(w);
            }
          });
        },
      ),
      { numRuns: 40 },
    );
    const one = JSON.stringify(windows[0], null, 2);
    const single = parseIngestBody(` ${one}\n`, 10);
    if ('error' in single) throw new Error(single.error);
    expect(decodedOf(single.windows[0]!)?.json).toBe(one);
    // "windows" twice: JSON.parse keeps the last; the text is not cut, the window is serialised.
    const twice = `{"windows":[${JSON.stringify(windows[1])}],"windows":[${JSON.stringify(windows[2])}]}`;
    const dup = parseIngestBody(twice, 10);
    if ('error' in dup) throw new Error(dup.error);
    expect(dup.windows[0]!.windowId).toBe(windows[2]!.windowId);
    expect(decodedOf(dup.windows[0]!)?.json).toBeUndefined();
  });
});

describe('collector ingest measures nesting on the text', () => {
  const depthOf = (v: unknown): number =>
    v !== null && typeof v === 'object'
      ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depthOf))
      : 0;
  it('property: jsonDepth is the nesting of the parsed value (strings with quotes, backslashes and brackets skipped), cut past the limit', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 8 }),
        fc.string({ unit: fc.constantFrom('"', '\\', '[', '{', '}', ']', 'a') }),
        fc.integer({ min: 0, max: 10 }),
        (value, s, limit) => {
          const text = JSON.stringify([value, s, { [s]: [s] }]);
          const depth = depthOf(JSON.parse(text));
          expect(jsonDepth(text, 100)).toBe(depth);
          expect(jsonDepth(text, limit)).toBe(Math.min(depth, limit + 1));
        },
      ),
      { numRuns: 300 },
    );
    // Unterminated text (not JSON) is scanned to its end without throwing.
    expect(jsonDepth('[[{"a":"\\"', 32)).toBe(3);
  });
});
