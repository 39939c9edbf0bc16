/** Types for snappyjs (a test-only reference implementation without its own types). */
declare module 'snappyjs' {
  /** Compresses to a snappy block. */
  export function compress(input: Uint8Array): Uint8Array;
  /** Decompresses a snappy block. */
  export function uncompress(input: Uint8Array): Uint8Array;
  const SnappyJS: { compress: typeof compress; uncompress: typeof uncompress };
  export default SnappyJS;
}
