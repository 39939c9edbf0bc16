/**
 * Label-free performance estimation and multivariate drift for `EdgeMonitor`:
 * each window, CBPE estimates the model's performance from its scores
 * (`estimated_<metric>`, `_lower`, `_upper` in the window's `performance`),
 * an embedding column (one vector per observation) is tested against
 * reference vectors (MMD, share of drifted components, …; `drift` rows with
 * `source: 'embedding'`), and the numeric feature columns can be tested
 * together (PCA reconstruction error, domain classifier; `source:
 * 'multivariate'`). The statistics run in the multivariate worker
 * (`createMultivariateEngine`: a worker when the monitor's engine runs in
 * one); the caller's thread only buffers vectors.
 */
import { ConfigError, DataError, describeValue } from '../errors.js';
import { optionalFunction } from '../util/options.js';
import type { EngineHandle } from '../engine/client.js';
import {
  createMultivariateEngine,
  type MultivariateEngine,
} from '../engine/multivariate-client.js';
import type {
  MultivariateDriftOptions,
  MultivariateDriftResult,
  MultivariateMethod,
} from '../engine/multivariate-service.js';
import type { CbpeEstimate, CbpeOptions } from '../multivariate/cbpe.js';
import { toMatrix, type Matrix, type Vectors } from '../multivariate/matrix.js';
import type { WindowDrift } from '../window/window-record.js';
import type { Observation } from './edge-monitor-types.js';
import type { FeatureTable } from './feature-buffer.js';

const METHODS: readonly MultivariateMethod[] = ['pca', 'classifier', 'mmd', 'components'];

/** Options of `EdgeMonitorOptions.embedding`: drift of a vector column. */
export interface EmbeddingWatchOptions {
  /** The key in `observe({ features })` that holds the vector (an array or typed array of numbers). */
  column: string;
  /** Reference vectors (e.g. embeddings of the training or holdout set). */
  reference: Vectors;
  /** Tests per window (default `['mmd', 'components']`). */
  methods?: readonly MultivariateMethod[];
  /** Options per method (level, permutations, subsample size, …). */
  options?: Partial<MultivariateDriftOptions>;
}

/** Options of `EdgeMonitorOptions.multivariate`: the numeric feature columns tested together. */
export interface MultivariateFeaturesOptions {
  /** Tests per window (default `['pca']`). */
  methods?: readonly MultivariateMethod[];
  /** Columns used (default: every numeric column of `reference`). */
  columns?: readonly string[];
  /** Options per method. */
  options?: Partial<MultivariateDriftOptions>;
}

/** Options of `EdgeMonitorOptions.estimatePerformance`: CBPE each window. */
export interface CbpeWatchOptions {
  /** The model's scores on a labelled reference (binary: a number per row; multiclass: a probability vector). */
  scores: readonly number[] | Float64Array | readonly ArrayLike<number>[];
  /** The reference's true labels: 0/1, or class indices. */
  labels: ArrayLike<number>;
  /** Calibration, decision threshold, band. */
  options?: CbpeOptions;
  /**
   * The score of one observation (default: its `prediction` when that is a number or a vector).
   * Return undefined to skip the observation.
   */
  score?: (obs: Observation) => number | ArrayLike<number> | undefined;
}

/** The vectors and scores of one closed window. */
export interface MultivariateCapture {
  embedding: Matrix | undefined;
  features: Matrix | undefined;
  scores: number[] | number[][] | undefined;
}

/** What one window's checks produced. */
export interface MultivariateOutcome {
  /** Drift rows (`source: 'embedding'` or `'multivariate'`). */
  drift: WindowDrift[];
  /** `estimated_<metric>`, `estimated_<metric>_lower`, `estimated_<metric>_upper`. */
  performance: Record<string, number>;
  /** The full CBPE estimate, when one was made. */
  estimate: CbpeEstimate | undefined;
  /** Checks that failed, by reason (counted as drops). */
  failed: Record<string, number>;
}

function methodsOption(
  v: unknown,
  dflt: readonly MultivariateMethod[],
  key: string,
): MultivariateMethod[] {
  if (v === undefined) return [...dflt];
  if (
    !Array.isArray(v) ||
    v.length === 0 ||
    v.some((m) => !METHODS.includes(m as MultivariateMethod))
  )
    throw new ConfigError(
      `expected ${key} to be a non-empty array of 'pca', 'classifier', 'mmd', 'components', got ${describeValue(v)}`,
    );
  return [...new Set(v as MultivariateMethod[])];
}

function asMatrix(v: unknown, key: string): Matrix {
  try {
    const { matrix } = toMatrix(v, key);
    if (matrix.rows < 4)
      throw new ConfigError(
        `expected ${key} to hold at least 4 finite vectors, got ${matrix.rows}`,
      );
    return matrix;
  } catch (e) {
    if (e instanceof DataError)
      throw new ConfigError(`expected ${key} to be vectors: ${e.message}`, { cause: e });
    throw e;
  }
}

interface Prepared {
  method: MultivariateMethod;
  id: Promise<number>;
  /** The level (p-value tests) or the share (components) the result is held against. */
  threshold: number;
}

/** Row-wise vectors of a window, bounded. */
class VectorBuffer {
  private data: number[] = [];
  rows = 0;
  constructor(
    readonly dims: number,
    private readonly maxRows: number,
  ) {}
  push(v: unknown): 'stored' | 'full' | 'invalid' {
    if (!(Array.isArray(v) || ArrayBuffer.isView(v))) return 'invalid';
    const a = v as ArrayLike<unknown>;
    if (a.length !== this.dims) return 'invalid';
    for (let i = 0; i < a.length; i++)
      if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) return 'invalid';
    if (this.rows >= this.maxRows) return 'full';
    for (let i = 0; i < a.length; i++) this.data.push(a[i] as number);
    this.rows++;
    return 'stored';
  }
  take(minRows: number): Matrix | undefined {
    const m = { rows: this.rows, cols: this.dims, data: Float64Array.from(this.data) };
    this.data = [];
    this.rows = 0;
    return m.rows >= minRows ? m : undefined;
  }
}

/** The monitor's multivariate checks: buffers on the caller's thread, statistics in the engine. */
export class MultivariateWatch {
  private readonly embeddingColumn: string | undefined;
  private readonly embeddingBuffer: VectorBuffer | undefined;
  private readonly featureColumns: string[];
  private readonly prepared: {
    embedding: Prepared[];
    features: Prepared[];
    cbpe: Promise<number> | undefined;
  };
  private scores: (number | number[])[] = [];
  private readonly score:
    ((obs: Observation) => number | ArrayLike<number> | undefined) | undefined;
  private readonly engine: Promise<MultivariateEngine>;

  private constructor(
    embedding: { column: string; dims: number } | undefined,
    featureColumns: string[],
    score: MultivariateWatch['score'],
    engine: Promise<MultivariateEngine>,
    private readonly maxRows: number,
    prepared: MultivariateWatch['prepared'],
  ) {
    this.embeddingColumn = embedding?.column;
    this.embeddingBuffer = embedding ? new VectorBuffer(embedding.dims, maxRows) : undefined;
    this.featureColumns = featureColumns;
    this.score = score;
    this.engine = engine;
    this.prepared = prepared;
  }

  /**
   * Validates the options and prepares the references in the engine (in the background).
   *
   * @param o - `embedding`, `multivariate` (with the monitor's `reference` table) and `estimatePerformance`.
   * @param engine - the monitor's engine: the statistics get their own worker when it runs in one.
   * @param maxRows - most vectors and scores kept per window.
   * @param onError - receives a failed preparation.
   * @returns the watch, or undefined when nothing is configured.
   * @throws ConfigError for bad options or reference data.
   */
  static create(
    o: {
      embedding?: EmbeddingWatchOptions | undefined;
      multivariate?: MultivariateFeaturesOptions | undefined;
      reference?: Readonly<Record<string, ArrayLike<unknown>>> | undefined;
      estimatePerformance?: CbpeWatchOptions | undefined;
    },
    engine: EngineHandle | undefined,
    maxRows: number,
    onError: (e: unknown) => void,
  ): MultivariateWatch | undefined {
    if (
      o.embedding === undefined &&
      o.multivariate === undefined &&
      o.estimatePerformance === undefined
    )
      return undefined;
    // Its own worker when the monitor's engine runs in one (browsers), else this thread.
    const handle = createMultivariateEngine({
      mode: engine === undefined ? 'auto' : engine.mode === 'worker' ? 'worker' : 'inline',
    });
    handle.catch(onError);
    const plans: {
      target: 'embedding' | 'features';
      method: MultivariateMethod;
      ref: Matrix;
      opts: object;
    }[] = [];
    let embedding: { column: string; dims: number } | undefined;
    if (o.embedding !== undefined) {
      const e = o.embedding;
      if (
        e === null ||
        typeof e !== 'object' ||
        typeof e.column !== 'string' ||
        e.column.length === 0
      )
        throw new ConfigError(
          `expected embedding to be { column, reference }, got ${describeValue(e)}`,
        );
      const ref = asMatrix(e.reference, 'embedding.reference');
      embedding = { column: e.column, dims: ref.cols };
      for (const method of methodsOption(e.methods, ['mmd', 'components'], 'embedding.methods'))
        plans.push({ target: 'embedding', method, ref, opts: e.options?.[method] ?? {} });
    }
    let featureColumns: string[] = [];
    if (o.multivariate !== undefined) {
      const m = o.multivariate;
      if (m === null || typeof m !== 'object')
        throw new ConfigError(`expected multivariate to be an object, got ${describeValue(m)}`);
      if (o.reference === undefined)
        throw new ConfigError('expected a reference table for multivariate, got none');
      const table = o.reference;
      featureColumns =
        m.columns !== undefined
          ? [...m.columns]
          : Object.keys(table).filter((k) => {
              const col = table[k]!;
              return (
                ArrayBuffer.isView(col) ||
                Array.from(col).every((v) => v === null || v === undefined || typeof v === 'number')
              );
            });
      if (featureColumns.length < 2)
        throw new ConfigError(
          `expected multivariate to use at least 2 numeric columns, got ${featureColumns.length}`,
        );
      for (const c of featureColumns)
        if (table[c] === undefined)
          throw new ConfigError(
            `expected multivariate column ${JSON.stringify(c)} in the reference, got none`,
          );
      const n = table[featureColumns[0]!]!.length;
      const rows = Array.from({ length: n }, (_, i) =>
        featureColumns.map((c) => {
          const v = table[c]![i];
          return typeof v === 'number' ? v : NaN;
        }),
      );
      const ref = asMatrix(rows, 'reference (multivariate columns)');
      for (const method of methodsOption(m.methods, ['pca'], 'multivariate.methods'))
        plans.push({ target: 'features', method, ref, opts: m.options?.[method] ?? {} });
    }
    let score: MultivariateWatch['score'];
    let cbpe: { scores: unknown; labels: ArrayLike<number>; options: CbpeOptions } | undefined;
    if (o.estimatePerformance !== undefined) {
      const c = o.estimatePerformance;
      if (c === null || typeof c !== 'object' || c.scores === undefined || c.labels === undefined)
        throw new ConfigError(
          `expected estimatePerformance to be { scores, labels }, got ${describeValue(c)}`,
        );
      optionalFunction('estimatePerformance.score', c.score);
      const n = (c.scores as ArrayLike<unknown>).length;
      if (typeof n !== 'number' || n === 0 || n !== c.labels.length)
        throw new ConfigError(
          `expected estimatePerformance.scores and .labels to be non-empty and of the same length, got ${describeValue(c.scores)} and ${describeValue(c.labels)}`,
        );
      score = c.score ?? ((obs) => obs.prediction as number | ArrayLike<number> | undefined);
      cbpe = { scores: c.scores, labels: c.labels, options: c.options ?? {} };
    }
    const prepare = (p: (typeof plans)[number]): Prepared => {
      const id = handle.then((h) => h.api.prepareDrift(p.method, p.ref, p.opts));
      id.catch(onError);
      const o = p.opts as { alpha?: number; maxShare?: number };
      const threshold = p.method === 'components' ? (o.maxShare ?? 0) : (o.alpha ?? 0.05);
      return { method: p.method, id, threshold };
    };
    let cbpeId: Promise<number> | undefined;
    if (cbpe !== undefined) {
      const { scores, labels, options } = cbpe;
      cbpeId = handle.then((h) => h.api.prepareCbpe(scores, Array.from(labels), options));
      cbpeId.catch(onError);
    }
    return new MultivariateWatch(embedding, featureColumns, score, handle, maxRows, {
      embedding: plans.filter((p) => p.target === 'embedding').map(prepare),
      features: plans.filter((p) => p.target === 'features').map(prepare),
      cbpe: cbpeId,
    });
  }

  /**
   * Buffers one observation's vector and score. O(dims); never throws.
   *
   * @param obs - the observation.
   * @param drop - counts a drop by reason.
   */
  push(obs: Observation, drop: (reason: string) => void): void {
    if (this.embeddingBuffer !== undefined) {
      const v = obs.features?.[this.embeddingColumn!];
      if (v !== undefined) {
        const r = this.embeddingBuffer.push(v);
        if (r === 'invalid') drop('embedding_invalid');
        else if (r === 'full') drop('embedding_buffer_full');
      }
    }
    if (this.score !== undefined) {
      let s: unknown;
      try {
        s = this.score(obs);
      } catch {
        s = null;
      }
      if (s === undefined) return;
      if (typeof s === 'number' && Number.isFinite(s)) this.pushScore(s, drop);
      else if (
        (Array.isArray(s) || ArrayBuffer.isView(s)) &&
        Array.from(s as ArrayLike<unknown>).every(
          (x) => typeof x === 'number' && Number.isFinite(x),
        )
      )
        this.pushScore(Array.from(s as ArrayLike<number>), drop);
      else drop('score_invalid');
    }
  }

  private pushScore(s: number | number[], drop: (reason: string) => void): void {
    if (this.scores.length >= this.maxRows) drop('score_buffer_full');
    else this.scores.push(s);
  }

  /**
   * Hands over the window's vectors and scores and empties the buffers.
   *
   * @param minRows - fewest rows for a check.
   * @param table - the window's feature table (for the multivariate columns), when captured.
   * @returns the capture.
   */
  take(minRows: number, table: FeatureTable | undefined): MultivariateCapture {
    const embedding = this.embeddingBuffer?.take(minRows);
    let features: Matrix | undefined;
    if (this.featureColumns.length > 0 && table !== undefined) {
      const cols = this.featureColumns.map((c) => table[c]);
      if (cols.every((c): c is Float64Array => c instanceof Float64Array)) {
        const n = cols[0]!.length;
        const data = new Float64Array(n * cols.length);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < cols.length; j++) data[i * cols.length + j] = cols[j]![i]!;
        features = { rows: n, cols: cols.length, data };
      }
    }
    const scores =
      this.scores.length >= minRows ? (this.scores as number[] | number[][]) : undefined;
    this.scores = [];
    return { embedding, features, scores };
  }

  /**
   * Runs the window's checks in the engine.
   *
   * @param c - the capture.
   * @returns drift rows, estimated metrics and failures (a failing check is counted, never thrown).
   */
  async run(c: MultivariateCapture): Promise<MultivariateOutcome> {
    const out: MultivariateOutcome = {
      drift: [],
      performance: {},
      estimate: undefined,
      failed: {},
    };
    const fail = (reason: string): void =>
      void (out.failed[reason] = (out.failed[reason] ?? 0) + 1);
    let api: MultivariateEngine['api'];
    try {
      api = (await this.engine).api;
    } catch {
      fail('multivariate_failed');
      return out;
    }
    const check = async (
      plans: Prepared[],
      rows: Matrix | undefined,
      feature: string,
      source: 'embedding' | 'multivariate',
    ) => {
      if (rows === undefined) return;
      for (const p of plans) {
        try {
          const r = await api.compareDrift(await p.id, rows);
          out.drift.push(toDriftRow(r, feature, source, p.threshold));
        } catch {
          fail(`${source}_drift_failed`);
        }
      }
    };
    await check(
      this.prepared.embedding,
      c.embedding,
      this.embeddingColumn ?? 'embedding',
      'embedding',
    );
    await check(this.prepared.features, c.features, 'features', 'multivariate');
    if (this.prepared.cbpe !== undefined && c.scores !== undefined) {
      try {
        const est = await api.estimate(await this.prepared.cbpe, c.scores);
        out.estimate = est;
        for (const [m, e] of Object.entries(est.metrics)) {
          if (Number.isFinite(e.value)) {
            out.performance[`estimated_${m}`] = e.value;
            out.performance[`estimated_${m}_lower`] = e.lower;
            out.performance[`estimated_${m}_upper`] = e.upper;
          }
        }
      } catch {
        fail('estimate_failed');
      }
    }
    return out;
  }

  /**
   * Frees the engine's references. Idempotent.
   *
   * @returns when released.
   */
  async close(): Promise<void> {
    const ids = [...this.prepared.embedding, ...this.prepared.features].map((p) => p.id);
    if (this.prepared.cbpe) ids.push(this.prepared.cbpe);
    this.prepared.embedding = [];
    this.prepared.features = [];
    this.prepared.cbpe = undefined;
    const h = await this.engine.catch(() => undefined);
    if (h === undefined) return;
    for (const id of ids) {
      const n = await id.catch(() => undefined);
      if (n !== undefined) await h.api.release(n).catch(() => undefined);
    }
    h.close();
  }
}

/**
 * A multivariate result as a window drift row: p-value tests hold the p-value against their
 * level; the share of drifted components holds the share against `maxShare`.
 */
function toDriftRow(
  r: MultivariateDriftResult,
  feature: string,
  source: 'embedding' | 'multivariate',
  threshold: number,
): WindowDrift {
  const row: WindowDrift = {
    feature,
    source,
    method: r.method,
    statistic: r.statistic,
    threshold,
    isDrift: r.isDrift,
  };
  if (r.method !== 'components') row.pValue = r.pValue;
  return row;
}
