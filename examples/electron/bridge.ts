/**
 * The one channel between the renderer and the main process: the renderer's
 * flusher posts its batches through it instead of over HTTP. Types only, plus
 * the channel name, shared by the preload script, the main process and the page.
 */

/** The IPC channel the preload script invokes and the main process handles. */
export const DELIVER_CHANNEL = 'edgewatch:deliver';

/** What the main process answers to one delivered batch (an HTTP-like status). */
export interface DeliverReply {
  status: number;
  body: string;
}

/** What the preload script exposes to the page as `window.edgewatchBridge`. */
export interface EdgewatchBridge {
  /** Hands one batch (`{"windows":[…]}`) to the main process's outbox. */
  deliver(body: string): Promise<DeliverReply>;
}
