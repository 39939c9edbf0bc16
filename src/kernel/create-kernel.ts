/**
 * One entry point for either kernel.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { Kernel } from './kernel.js';
import { createReferenceKernel } from './reference/reference-kernel.js';
import { createWasmKernel } from './wasm-kernel.js';

/**
 * Creates a kernel of the given kind.
 * @param kind - 'wasm' (AssemblyScript, the default) or 'reference' (pure TypeScript).
 * @returns the kernel.
 * @throws ConfigError for an unknown kind; KernelError when WASM cannot be loaded.
 * @example const k = await createKernel('reference');
 */
export async function createKernel(kind: 'wasm' | 'reference' = 'wasm'): Promise<Kernel> {
  if (kind === 'wasm') return createWasmKernel();
  if (kind === 'reference') return createReferenceKernel();
  throw new ConfigError(`expected kernel kind 'wasm' or 'reference', got ${describeValue(kind)}`);
}
