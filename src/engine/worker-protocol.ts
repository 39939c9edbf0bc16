/**
 * The handshake between the caller and the engine worker (types only).
 *
 * After the handshake the channel carries Comlink's own protocol; these
 * messages are ignored by Comlink (they have no `id`).
 *
 * 1. caller → worker: {@link InitMessage} (which kernel to load).
 * 2. worker → caller: {@link ReadyMessage} once the engine is exposed, or
 *    {@link FailedMessage} when the kernel could not be created.
 */
import type { SerializedError } from './error-transfer.js';

/** Which kernel a worker loads: `'auto'` tries WASM and falls back to the reference kernel. */
export type KernelChoice = 'wasm' | 'reference' | 'auto';

/** caller → worker: start the engine. */
export interface InitMessage {
  readonly edgewatch: 'init';
  readonly kernel: KernelChoice;
}

/** worker → caller: the engine is exposed and answers Comlink calls. */
export interface ReadyMessage {
  readonly edgewatch: 'ready';
  readonly kernel: 'wasm' | 'reference';
  /** Set when `'auto'` fell back to the reference kernel: why WASM failed. */
  readonly fallbackReason?: string | undefined;
}

/** worker → caller: the engine could not start. */
export interface FailedMessage {
  readonly edgewatch: 'failed';
  readonly error: SerializedError;
}

/** Any handshake message. */
export type HandshakeMessage = InitMessage | ReadyMessage | FailedMessage;
