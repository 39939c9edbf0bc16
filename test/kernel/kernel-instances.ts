// Both kernel implementations, created once when a test file imports this
// module (a file's describe blocks share them), for describe.each.
import type { Kernel } from '../../src/kernel/kernel.js';
import { KERNELS } from './kernels.js';

/** [name, kernel] pairs for describe.each. */
export const KERNEL_INSTANCES: [string, Kernel][] = await Promise.all(
  KERNELS.map(async ([name, make]): Promise<[string, Kernel]> => [name, await make()]),
);
