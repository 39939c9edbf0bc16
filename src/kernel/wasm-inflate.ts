/**
 * Decodes the embedded WebAssembly modules (src/kernel/generated/, written by
 * scripts/build-wasm.mjs): base64 text of the zlib-deflated module. Text keeps
 * the module inside the JavaScript (no asset URL for a bundler or Node to
 * resolve); deflating first makes the served, gzipped text about as small as
 * the module file itself. Inflating uses the platform's `DecompressionStream`
 * (browsers, workers, Node ≥ 18), off the main thread's critical path in a worker.
 */

/**
 * The module bytes of an embedded module.
 *
 * @param base64 - the deflated module, base64-encoded.
 * @param length - the module's length in bytes, checked after inflating.
 * @returns a fresh array holding the module.
 * @throws Error when the text does not inflate to `length` bytes or the platform
 *   lacks `DecompressionStream` (the kernel loader reports it as a KernelError).
 * @example WebAssembly.compile(await inflateWasm(KERNELS_WASM_DEFLATED, 11575));
 */
export async function inflateWasm(
  base64: string,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const packed = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  if (bytes.length !== length) {
    throw new Error(
      `embedded module: expected ${length} bytes after inflating, got ${bytes.length}`,
    );
  }
  return bytes;
}
