/** Minimal types for the untyped `tdigest` package (CommonJS), as the benchmark uses it. */
declare module 'tdigest' {
  export class TDigest {
    constructor(delta?: number | false, K?: number, CX?: number);
    push(x: number | number[], n?: number): void;
    percentile(p: number): number;
    compress(): void;
    size(): number;
    toArray(): { mean: number; n: number }[];
  }
}
