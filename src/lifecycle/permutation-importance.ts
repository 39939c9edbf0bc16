/**
 * Permutation importance (Breiman 2001; scikit-learn's
 * `permutation_importance`): how much a model's score drops when one
 * feature's column is shuffled, breaking its link to the label.
 *
 * Runs where the model runs (the `predict` function is yours — call this in
 * the worker that holds the model). It is chunked: `predict` is called on at
 * most `chunkSize` rows at a time and the loop yields to the event loop
 * between chunks, so it never blocks for long. Cost: (1 + features × repeats)
 * × n predictions.
 */
import { ConfigError, DataError, describeValue } from '../errors.js';
import { seededUniform } from '../stats/random.js';

/** A row: an object keyed by feature name, or an array indexed like `features`. */
export type Row = Readonly<Record<string, unknown>> | readonly unknown[];

/** Built-in scores; `higherIsBetter` is implied. */
export type BuiltinScore = 'accuracy' | 'mae' | 'rmse';

/** Options of {@link permutationImportance}. */
export interface PermutationImportanceOptions<R extends Row, O> {
  /** The model on a batch of rows → one output per row (sync or async). */
  predict: (rows: R[]) => readonly O[] | Promise<readonly O[]>;
  /** The labelled window. */
  rows: readonly R[];
  /** The label of each row, in the same order as `rows`. */
  labels: readonly unknown[];
  /** `'accuracy'` (higher is better), `'mae'`/`'rmse'` (lower is better), or `{ score, higherIsBetter }`. */
  metric:
    | BuiltinScore
    | {
        /** Scores a batch of outputs against their labels. */
        score: (outputs: readonly O[], labels: readonly unknown[]) => number;
        /** Whether a higher score is better (so a drop is positive importance). */
        higherIsBetter: boolean;
      };
  /** Feature names (required for array rows; default: keys of the first object row). */
  features?: readonly string[];
  /** Shuffles per feature (default 5). */
  repeats?: number;
  /** Seed of the shuffles (default 1): the same seed gives the same result. */
  seed?: number;
  /** Rows per `predict` call (default 1024). */
  chunkSize?: number;
  /** Aborts between chunks. */
  signal?: AbortSignal;
}

/** Result of {@link permutationImportance}. */
export interface PermutationImportanceResult {
  /** Score of the unshuffled window. */
  baselineScore: number;
  /** Mean score drop per feature (positive = the model relies on it), in the score's units. */
  importances: Record<string, number>;
  /** Standard deviation of the drop over repeats. */
  std: Record<string, number>;
  /** Shuffles per feature that were used. */
  repeats: number;
}

function scoreFn<O>(metric: PermutationImportanceOptions<Row, O>['metric']): {
  score: (o: readonly O[], y: readonly unknown[]) => number;
  higherIsBetter: boolean;
} {
  if (typeof metric === 'object' && metric !== null && typeof metric.score === 'function')
    return metric;
  const num = (o: readonly O[], y: readonly unknown[], f: (d: number) => number): number => {
    let s = 0;
    for (let i = 0; i < o.length; i++) s += f(Number(o[i]) - Number(y[i]));
    return s / o.length;
  };
  switch (metric) {
    case 'accuracy':
      return {
        score: (o, y) => o.filter((v, i) => v === y[i]).length / o.length,
        higherIsBetter: true,
      };
    case 'mae':
      return { score: (o, y) => num(o, y, Math.abs), higherIsBetter: false };
    case 'rmse':
      return { score: (o, y) => Math.sqrt(num(o, y, (d) => d * d)), higherIsBetter: false };
    default:
      throw new ConfigError(
        `expected metric 'accuracy', 'mae', 'rmse' or { score, higherIsBetter }, got ${describeValue(metric)}`,
      );
  }
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Permutation importance of each feature on a labelled window.
 * @param options - see {@link PermutationImportanceOptions}.
 * @returns baseline score, mean drop and its std per feature.
 * @throws ConfigError on bad options; DataError when rows and labels differ in length, the window is
 *   empty, a label is missing or NaN (mae/rmse: not a finite number), or `predict` returns the wrong
 *   number of outputs; the abort reason when `signal` aborts.
 * @example
 * const r = await permutationImportance({ predict, rows, labels, metric: 'accuracy' });
 * r.importances; // { x0: 0.31, x1: 0.002, ... }
 */
export async function permutationImportance<R extends Row, O>(
  options: PermutationImportanceOptions<R, O>,
): Promise<PermutationImportanceResult> {
  const { predict, rows, labels } = options;
  if (typeof predict !== 'function')
    throw new ConfigError(`expected predict to be a function, got ${describeValue(predict)}`);
  if (!Array.isArray(rows) || !Array.isArray(labels))
    throw new ConfigError(
      `expected rows and labels arrays, got ${describeValue(rows)} and ${describeValue(labels)}`,
    );
  if (rows.length === 0) throw new DataError('expected a non-empty labelled window, got 0 rows');
  if (rows.length !== labels.length)
    throw new DataError(`expected one label per row (${rows.length}), got ${labels.length}`);
  const { score, higherIsBetter } = scoreFn(options.metric);
  const numeric = options.metric === 'mae' || options.metric === 'rmse';
  const bad = labels.findIndex((y) =>
    numeric ? typeof y !== 'number' || !Number.isFinite(y) : y == null || Number.isNaN(y),
  );
  if (bad >= 0)
    throw new DataError(
      `expected ${numeric ? 'a finite number' : 'a label'} at labels[${bad}], got ${describeValue(labels[bad])}`,
    );
  const repeats = options.repeats ?? 5;
  const chunkSize = options.chunkSize ?? 1024;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new ConfigError(`expected repeats to be an integer ≥ 1, got ${describeValue(repeats)}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1)
    throw new ConfigError(
      `expected chunkSize to be an integer ≥ 1, got ${describeValue(chunkSize)}`,
    );
  const first = rows[0]!;
  const arrayRows = Array.isArray(first);
  const features = options.features ?? (arrayRows ? undefined : Object.keys(first));
  if (!features || features.length === 0)
    throw new ConfigError('expected feature names (required for array rows), got none');
  if (arrayRows && features.length !== (first as readonly unknown[]).length) {
    throw new ConfigError(
      `expected ${(first as readonly unknown[]).length} feature names for array rows, got ${features.length}`,
    );
  }

  const run = async (batch: R[]): Promise<O[]> => {
    const out: O[] = [];
    for (let i = 0; i < batch.length; i += chunkSize) {
      options.signal?.throwIfAborted();
      const part = batch.slice(i, i + chunkSize);
      const predicted = await predict(part);
      if (!predicted || predicted.length !== part.length) {
        throw new DataError(
          `expected predict to return ${part.length} outputs, got ${describeValue(predicted)}`,
        );
      }
      for (const p of predicted) out.push(p);
      await yieldToLoop();
    }
    return out;
  };
  const drop = (s: number, base: number): number => (higherIsBetter ? base - s : s - base);

  const baselineScore = score(await run([...rows]), labels);
  const random = seededUniform(options.seed ?? 1);
  const importances: Record<string, number> = {};
  const std: Record<string, number> = {};
  const n = rows.length;
  for (let f = 0; f < features.length; f++) {
    const name = features[f]!;
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      const shuffled = rows.map((row, i) => {
        const donor = rows[perm[i]!]!;
        if (arrayRows) {
          const copy = [...(row as readonly unknown[])];
          copy[f] = (donor as readonly unknown[])[f];
          return copy as unknown as R;
        }
        return {
          ...(row as Record<string, unknown>),
          [name]: (donor as Record<string, unknown>)[name],
        } as R;
      });
      drops.push(drop(score(await run(shuffled), labels), baselineScore));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    importances[name] = mean;
    std[name] = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
  }
  return { baselineScore, importances, std, repeats };
}
