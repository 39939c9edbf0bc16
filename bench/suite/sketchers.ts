/**
 * Every quantile sketch of the ingest and accuracy cases behind one adapter:
 * edgewatch (WASM kernel, reference kernel) and the peers (@datadog/sketches-js,
 * hdr-histogram-js in JS and WASM mode, tdigest). All hold latencies in ms;
 * HDR records integer nanoseconds (its values are integers), read back in ms.
 */
import { createRequire } from 'node:module';
import type * as DatadogSketches from '@datadog/sketches-js';
import type * as HdrHistogram from 'hdr-histogram-js';
import type * as TDigestModule from 'tdigest';
import type { Kernel } from '../../src/kernel/kernel.js';
import { DEFAULT_SCALE, relativeErrorBound } from '../../src/kernel/kernel.js';

const require = createRequire(import.meta.url);
// CommonJS peers, loaded the way a Node user would (also used by the merge case).
/** `@datadog/sketches-js`'s DDSketch class. */
export const { DDSketch } = require('@datadog/sketches-js') as typeof DatadogSketches;
/** The hdr-histogram-js module. */
export const hdr = require('hdr-histogram-js') as typeof HdrHistogram;
const { TDigest } = require('tdigest') as typeof TDigestModule;

/** A sketch being filled. */
export interface Built {
  /** Adds a batch (the peer's own per-value API inside, where it has no batch API). */
  ingest(values: Float64Array): void;
  /** The estimate of the q-quantile, in ms. */
  quantile(q: number): number;
  /** Bytes of memory the sketch holds (its own report, or an estimate — see `bytesNote`). */
  bytesHeld(): number;
  /** Bytes of its serialized form, when the library can serialize here. */
  serializedBytes(): number | undefined;
  free(): void;
}

/** A sketch implementation under test. */
export interface Sketcher {
  readonly name: string;
  readonly role: 'edgewatch' | 'peer';
  /** Accuracy setting, in words. */
  readonly setting: string;
  /** Caveats for the table. */
  readonly note?: string;
  /** Timed runs override (slow peers run once). */
  readonly slow?: boolean;
  create(): Built;
}

/** Relative accuracy of the edgewatch default scale (0.27%), also given to DDSketch. */
export const EW_ACCURACY = relativeErrorBound(DEFAULT_SCALE);
/** DDSketch's own default relativeAccuracy (1 %), the "default accuracy" comparison. */
export const DDSKETCH_DEFAULT_ACCURACY = 0.01;

/**
 * edgewatch kernel sketch, fed in batches of `chunk` values (whole array when undefined).
 * @param kernel - WASM or reference kernel.
 * @param name - the row name.
 * @param chunk - batch size per kernel call.
 * @returns the adapter.
 * @example kernelSketcher(wasm, 'edgewatch wasm (1 batch)')
 */
export function kernelSketcher(kernel: Kernel, name: string, chunk?: number): Sketcher {
  return {
    name,
    role: 'edgewatch',
    setting: `scale ${DEFAULT_SCALE} (±${(EW_ACCURACY * 100).toFixed(2)}%)`,
    create() {
      const h = kernel.sketchCreate(DEFAULT_SCALE);
      return {
        ingest(values) {
          if (chunk === undefined) kernel.sketchRecord(h, values);
          else
            for (let i = 0; i < values.length; i += chunk)
              kernel.sketchRecord(h, values.subarray(i, i + chunk));
        },
        quantile: (q) => kernel.sketchQuantiles(h, new Float64Array([q]))[0] as number,
        bytesHeld: () => kernel.sketchByteSize(h),
        serializedBytes: () => kernel.sketchSerialize(h).length,
        free: () => kernel.sketchFree(h),
      };
    },
  };
}

/**
 * `@datadog/sketches-js` DDSketch, by default at edgewatch's relative accuracy
 * (its own default, 1 %, is the second row). Its bytes are estimated from its
 * dense stores (8 B per allocated bin); `toProto()` needs protobufjs, which is
 * not installed here.
 * @param relativeAccuracy - DDSketch's relativeAccuracy.
 * @returns the adapter.
 * @example ddSketcher()
 */
export function ddSketcher(relativeAccuracy = EW_ACCURACY): Sketcher {
  return {
    name:
      relativeAccuracy === EW_ACCURACY
        ? 'ddsketch (@datadog/sketches-js)'
        : `ddsketch (@datadog/sketches-js) at ${relativeAccuracy * 100} %`,
    role: 'peer',
    setting: `relativeAccuracy ${relativeAccuracy.toFixed(4)}`,
    create() {
      const s = new DDSketch({ relativeAccuracy });
      return {
        ingest(values) {
          for (let i = 0; i < values.length; i++) s.accept(values[i] as number);
        },
        quantile: (q) => s.getValueAtQuantile(q),
        bytesHeld: () => {
          const stores = s as unknown as {
            store: { bins: unknown[] };
            negativeStore: { bins: unknown[] };
          };
          return 8 * (stores.store.bins.length + stores.negativeStore.bins.length);
        },
        serializedBytes: () => {
          try {
            return s.toProto().length;
          } catch {
            return undefined;
          }
        },
        free: () => undefined,
      };
    },
  };
}

/**
 * hdr-histogram-js (3 significant digits), JS or WASM mode; values recorded as integer ns.
 * @param wasm - use its WebAssembly build (call {@link initHdrWasm} first).
 * @returns the adapter.
 * @example hdrSketcher(false)
 */
export function hdrSketcher(wasm: boolean): Sketcher {
  return {
    name: `hdr-histogram-js (${wasm ? 'wasm' : 'js'})`,
    role: 'peer',
    setting: '3 significant digits, values as integer ns',
    create() {
      const h = hdr.build({ useWebAssembly: wasm, numberOfSignificantValueDigits: 3 });
      return {
        ingest(values) {
          for (let i = 0; i < values.length; i++)
            h.recordValue(Math.round((values[i] as number) * 1e6));
        },
        quantile: (q) => h.getValueAtPercentile(q * 100) / 1e6,
        bytesHeld: () => h.estimatedFootprintInBytes,
        serializedBytes: () => hdr.encodeIntoCompressedBase64(h).length,
        free: () => h.destroy(),
      };
    },
  };
}

/** Loads hdr-histogram-js's WASM build (once). */
export async function initHdrWasm(): Promise<void> {
  await hdr.initWebAssembly();
}

/**
 * tdigest (delta 0.01, its default). Bytes are estimated as 16 B per centroid
 * (mean + count as f64), a lower bound of its red-black tree.
 * @returns the adapter.
 * @example tdigestSketcher()
 */
export function tdigestSketcher(): Sketcher {
  return {
    name: 'tdigest',
    role: 'peer',
    setting: 'delta 0.01 (default)',
    slow: true,
    create() {
      const t = new TDigest();
      return {
        ingest(values) {
          for (let i = 0; i < values.length; i++) t.push(values[i] as number);
          t.compress();
        },
        quantile: (q) => t.percentile(q),
        bytesHeld: () => 16 * t.size(),
        serializedBytes: () => 16 * t.size(),
        free: () => undefined,
      };
    },
  };
}
