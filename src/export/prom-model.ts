/**
 * The data model between the metric classes and the exporters: one snapshot of a
 * metric family with its points. Types only — the Prometheus text and
 * OpenMetrics writers, the OTLP mapper and the Pushgateway client all read this
 * shape, so nothing in `src/export/` needs the metric classes themselves.
 */

/** The four classic Prometheus metric types. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** Label name → value of one series (already validated and stringified). */
export type Labels = Readonly<Record<string, string>>;

/**
 * Exponential (base-2) bucket layout, structurally the kernel's `SketchBuckets`:
 * positive bucket `offset + i` covers `(base^(offset+i), base^(offset+i+1)]` with
 * `base = 2^(2^-scale)`; the negative side mirrors it for absolute values.
 */
export interface ExponentialBuckets {
  /** Resolution: `base = 2^(2^-scale)`; higher is finer. */
  readonly scale: number;
  /** Values counted as zero (in no bucket). */
  readonly zeroCount: number;
  /** Buckets of the positive values. */
  readonly positive: {
    /** Index of the first bucket in `counts`. */
    readonly offset: number;
    /** Count of each bucket, from index `offset` on. */
    readonly counts: ArrayLike<number>;
  };
  /** Buckets of the negative values, by absolute value. */
  readonly negative: {
    /** Index of the first bucket in `counts`. */
    readonly offset: number;
    /** Count of each bucket, from index `offset` on. */
    readonly counts: ArrayLike<number>;
  };
}

/** A counter series. `created` is the Unix time in seconds the series started. */
export interface CounterPoint {
  readonly labels: Labels;
  readonly value: number;
  readonly created?: number;
}

/** A gauge series. */
export interface GaugePoint {
  readonly labels: Labels;
  readonly value: number;
}

/** One cumulative classic bucket: observations `<= le`. */
export interface CumulativeBucket {
  readonly le: number;
  readonly count: number;
}

/**
 * A histogram series. `buckets` are cumulative, strictly ascending in `le`, and
 * end with `le = +Infinity` whose count equals `count`.
 */
export interface HistogramPoint {
  readonly labels: Labels;
  readonly count: number;
  readonly sum: number;
  readonly buckets: readonly CumulativeBucket[];
  readonly created?: number;
  readonly min?: number;
  readonly max?: number;
  /** Present for sketch-backed histograms: the exact exponential layout (OTLP). */
  readonly exponential?: ExponentialBuckets;
}

/** A summary series: quantiles over the summary's window, cumulative count and sum. */
export interface SummaryPoint {
  readonly labels: Labels;
  readonly count: number;
  readonly sum: number;
  readonly quantiles: readonly { readonly quantile: number; readonly value: number }[];
  readonly created?: number;
}

interface FamilyBase {
  /** Metric name as configured (a counter's may end in `_total`). */
  readonly name: string;
  readonly help: string;
  /** OpenMetrics unit; when set, the family name (without `_total`) ends in `_<unit>`. */
  readonly unit?: string;
}

/** The point type of each metric type. */
interface PointOf {
  counter: CounterPoint;
  gauge: GaugePoint;
  histogram: HistogramPoint;
  summary: SummaryPoint;
}

/** A snapshot of one metric family of type `T`. */
type FamilyOf<T extends MetricType> = FamilyBase & {
  /** The metric type, which selects the shape of `points`. */
  readonly type: T;
  /** One point per series (label set). */
  readonly points: readonly PointOf[T][];
};

/** A snapshot of one metric family. */
export type MetricFamily =
  FamilyOf<'counter'> | FamilyOf<'gauge'> | FamilyOf<'histogram'> | FamilyOf<'summary'>;

/** The family snapshot of a counter. */
export type CounterFamily = FamilyOf<'counter'>;
/** The family snapshot of a gauge. */
export type GaugeFamily = FamilyOf<'gauge'>;
/** The family snapshot of a histogram. */
export type HistogramFamily = FamilyOf<'histogram'>;
/** The family snapshot of a summary. */
export type SummaryFamily = FamilyOf<'summary'>;
