// Types for Comlink's Node adapter: the package ships node-adapter.d.ts beside
// node-adapter.mjs, which TypeScript does not pair with a .mjs file.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  /** The subset of a Node `MessagePort` / `Worker` the adapter needs. */
  export interface NodeEndpoint {
    postMessage(message: any, transfer?: any[]): void;
    on(type: string, listener: (...args: any[]) => void): void;
    off(type: string, listener: (...args: any[]) => void): void;
    start?: () => void;
  }
  /** Wraps a Node port or worker as a DOM-style Comlink endpoint. */
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
