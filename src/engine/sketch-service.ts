// Placeholder: the engine helper (issue 2) replaces this file with the real service.
import type { Kernel } from '../kernel/kernel.js';

export class SketchService {
  constructor(readonly kernel: Kernel) {}
}
