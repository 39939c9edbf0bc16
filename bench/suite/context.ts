/**
 * What every case receives: the budget, the two kernels, the shared latency
 * datasets, and the sketches the ingest case built (reused by the accuracy case).
 */
import type { Kernel } from '../../src/kernel/kernel.js';
import type { LatencyData } from './data.js';
import { latencyData } from './data.js';
import type { Budget, CaseResult, Row, Target } from './harness.js';
import type { Built, Sketcher } from './sketchers.js';

/** The shared state of one benchmark run. */
export interface Context {
  readonly budget: Budget;
  readonly wasm: Kernel;
  readonly reference: Kernel;
  /** The sketch adapters of cases 1 and 2, in table order. */
  readonly sketchers: readonly Sketcher[];
  /** Sketches left filled by the ingest case, keyed `dataset/sketcher name`. */
  readonly built: Map<string, Built>;
  /** The lognormal and Pareto latencies (generated on first use). */
  latency(): LatencyData[];
}

/**
 * Creates the context.
 * @param budget - the run budget.
 * @param wasm - the WASM kernel.
 * @param reference - the reference kernel.
 * @param sketchers - the sketch adapters.
 * @returns the context.
 * @example createContext(budget, wasm, ref, sketchers)
 */
export function createContext(
  budget: Budget,
  wasm: Kernel,
  reference: Kernel,
  sketchers: Sketcher[],
): Context {
  let data: LatencyData[] | undefined;
  return {
    budget,
    wasm,
    reference,
    sketchers,
    built: new Map(),
    latency: () => (data ??= latencyData(budget.n)),
  };
}

/** A benchmark case: a name for `--case` and the function that runs it. */
export interface Case {
  readonly name: string;
  readonly title: string;
  run(ctx: Context): Promise<CaseResult>;
}

/** The rows and targets one case fills, each stamped with the case's name. */
export interface CaseTable {
  readonly rows: Row[];
  readonly targets: Target[];
  /** Adds a row of this case and returns it (later rows are compared with it). */
  row(row: Omit<Row, 'case'>): Row;
  /** Adds targets of this case. */
  target(...targets: Omit<Target, 'case'>[]): void;
}

/**
 * Defines a case: `run` fills the case's table, which is what the case returns.
 * @param name - the case name (`--case`, and the `case` of every row and target).
 * @param title - the heading of its table.
 * @param run - measures, adding rows and targets to the table.
 * @returns the case.
 * @example defineCase('merge', 'fleet merges', async (ctx, t) => { t.row({ group, name, role, timing }); })
 */
export function defineCase(
  name: string,
  title: string,
  run: (ctx: Context, table: CaseTable) => Promise<void>,
): Case {
  return {
    name,
    title,
    async run(ctx) {
      const rows: Row[] = [];
      const targets: Target[] = [];
      const table: CaseTable = {
        rows,
        targets,
        row(row) {
          const r: Row = { case: name, ...row };
          rows.push(r);
          return r;
        },
        target(...ts) {
          for (const t of ts) targets.push({ case: name, ...t });
        },
      };
      await run(ctx, table);
      return { rows, targets };
    },
  };
}
