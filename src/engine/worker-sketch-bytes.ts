/**
 * The sketch byte form on the caller's side of a worker engine. The worker's
 * sketches move in and out as their content (WorkerSketchService): this file
 * turns `api.sketches.serialize / load / mergeBytes` into those calls and
 * encodes or decodes here, with the encoder (sketch-encode.ts) or the whole
 * codec (sketch-format.ts) loaded by `import()` on first use. A bundler that
 * inlines every `import()` into a worker file (Vite's default `iife` worker
 * format) so leaves the codec out of the worker; a page that never serializes
 * never downloads it, and one that only serializes never downloads the decoder.
 *
 * Calls still leave in the order they were made: while the codec loads, the
 * calls made after a `load` or `mergeBytes` (record batches included) wait
 * behind it.
 */
import { transfer } from 'comlink';
import type { SketchContent } from '../kernel/kernel.js';
import type * as SketchEncode from '../kernel/sketch-encode.js';
import type * as SketchFormat from '../kernel/sketch-format.js';
import type { Invoke } from './remote-api.js';

/** A module loaded on first use: `value` once it has loaded. */
interface Lazy<T> {
  value: T | undefined;
  /** Loads it once; a failed load is tried again on the next call. */
  load(): Promise<T>;
}

function lazy<T>(load: () => Promise<T>): Lazy<T> {
  let loading: Promise<T> | undefined;
  const module: Lazy<T> = {
    value: undefined,
    load: () =>
      (loading ??= load().then(
        (value) => (module.value = value),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      )),
  };
  return module;
}

/** The worker's calls for the byte form's, by name: `[call there, index of the bytes argument]`. */
const CONTENT_CALLS = new Map<string | undefined, readonly [string, number]>([
  ['load', ['loadContent', 0]],
  ['mergeBytes', ['mergeContent', 1]],
]);

/** A worker engine's calls with the byte form handled here, and the order they leave in. */
export interface SketchBytesOnCaller {
  /** Performs one engine call (the byte form's calls encoded or decoded here). */
  readonly invoke: Invoke;
  /**
   * Runs `send` (which posts a message to the worker) now, or once the calls
   * made before it have been sent.
   */
  readonly inOrder: <T>(send: () => Promise<T>) => Promise<T>;
}

/**
 * Wraps the calls into a worker engine so that the byte form is encoded and
 * decoded on this side.
 *
 * @param invoke - calls into the worker.
 * @returns the wrapped calls and the ordering for other messages to the same worker.
 * @example const { invoke, inOrder } = sketchBytesOnCaller(remoteInvoke(wrap(endpoint)));
 */
export function sketchBytesOnCaller(invoke: Invoke): SketchBytesOnCaller {
  /** Settles once every call queued so far has been sent; undefined when none waits. */
  let tail: Promise<void> | undefined;
  const encoder: Lazy<typeof SketchEncode> = lazy(() => import('../kernel/sketch-encode.js'));
  const decoder: Lazy<typeof SketchFormat> = lazy(() => import('../kernel/sketch-format.js'));

  /** Runs `send` after the queued calls and after `ready` (whose failure is the call's). */
  function inOrder<T>(send: () => Promise<T>, ready?: Promise<unknown>): Promise<T> {
    if (tail === undefined && ready === undefined) return send();
    const sent = Promise.all([tail, ready]).then(
      () => {
        try {
          return { result: send() };
        } catch (error) {
          return { result: Promise.reject(error) as Promise<T> };
        }
      },
      (error: unknown) => ({ result: Promise.reject(error) as Promise<T> }),
    );
    const next = sent.then(() => undefined);
    tail = next;
    void next.then(() => {
      if (tail === next) tail = undefined;
    });
    return sent.then(({ result }) => result);
  }

  /** Runs `send` with the decoder, in order: at once when it is loaded, else after it loads. */
  function withDecoder<T>(send: (codec: typeof SketchFormat) => Promise<T>): Promise<T> {
    const loaded = decoder.value;
    if (loaded !== undefined) return inOrder(() => send(loaded));
    return inOrder(() => send(decoder.value as typeof SketchFormat), decoder.load());
  }

  const wrapped: Invoke = (path, args) => {
    if (path.length === 2 && path[0] === 'sketches') {
      if (path[1] === 'serialize') {
        return inOrder(() => invoke(['sketches', 'exportContent'], args)).then(async (content) =>
          (encoder.value ?? (await encoder.load())).encodeSketch(content as SketchContent),
        );
      }
      const call = CONTENT_CALLS.get(path[1]);
      if (call !== undefined) {
        const [there, at] = call;
        return withDecoder((codec) => {
          const content = codec.decodeSketch(args[at] as Uint8Array);
          const sent = args.slice();
          sent[at] = transfer(content, [
            content.positive.counts.buffer,
            content.negative.counts.buffer,
          ]);
          return invoke(['sketches', there], sent);
        });
      }
    }
    return inOrder(() => invoke(path, args));
  };
  return { invoke: wrapped, inOrder };
}
