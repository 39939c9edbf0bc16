/**
 * Decode once: the sketches and profiles of an accepted request are decoded
 * while it is validated, and the fleet aggregates fold that decoded content —
 * they never read the base64 text again (here it is overwritten after
 * validation, and the aggregates still equal those of the untouched windows).
 */
import { describe, expect, it } from 'vitest';
import { FleetAggregator } from '../../src/collector/fleet-aggregator.js';
import { decodedOf, parseIngestBody } from '../../src/collector/ingest.js';
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
});
