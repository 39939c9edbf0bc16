// Placeholder: the drift helper (issue 3) replaces this file with the real service.
import type { Kernel } from '../kernel/kernel.js';

export class DriftService {
  constructor(readonly kernel: Kernel) {}
}
