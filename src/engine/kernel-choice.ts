/**
 * Creates the kernel an engine runs on, with the `'auto'` fallback from WASM
 * to the pure-TS reference kernels (e.g. under a CSP without `wasm-unsafe-eval`).
 *
 * The factories are parameters so that the worker can import the kernels
 * statically (one self-contained worker file for any bundler) while the
 * caller's bundle loads them lazily (the WASM stays out of a page that only
 * talks to a worker).
 */
import type { Kernel, WorkerKernel } from '../kernel/kernel.js';
import type { KernelChoice } from './worker-protocol.js';

/** Kernel factories; `K`: in process a {@link Kernel}, in a worker a {@link WorkerKernel}. */
export interface KernelFactories<K extends Kernel | WorkerKernel = Kernel> {
  readonly wasm: () => Promise<K>;
  readonly reference: () => K | Promise<K>;
}

/** A created kernel and, after a fallback, why WASM was not used. */
export interface ChosenKernel<K extends Kernel | WorkerKernel = Kernel> {
  readonly kernel: K;
  readonly fallbackReason?: string | undefined;
}

/**
 * Creates the kernel for `choice`.
 *
 * @param choice - `'wasm'`, `'reference'` or `'auto'` (WASM, else reference).
 * @param factories - how to create each kernel.
 * @returns the kernel, with `fallbackReason` when `'auto'` fell back.
 * @throws KernelError (from the factory) when an explicit `'wasm'` fails.
 * @example
 * const { kernel } = await chooseKernel('auto', { wasm: createWasmKernel, reference: createReferenceKernel });
 */
export async function chooseKernel<K extends Kernel | WorkerKernel>(
  choice: KernelChoice,
  factories: KernelFactories<K>,
): Promise<ChosenKernel<K>> {
  if (choice === 'reference') return { kernel: await factories.reference() };
  if (choice === 'wasm') return { kernel: await factories.wasm() };
  try {
    return { kernel: await factories.wasm() };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { kernel: await factories.reference(), fallbackReason: reason };
  }
}
