/**
 * The timing harness: warm-up, several timed runs, median and spread; the row
 * and target records every case returns; the printed tables.
 *
 * Timing is wall clock (`performance.now()`), one run = one call of the work
 * over the whole dataset; the process CPU time of each run is kept beside it (less
 * inflated than wall time when other processes compete for the cores). `global.gc()` runs before each timed run when Node
 * was started with `--expose-gc`, so one run's garbage is not billed to the next.
 */

/** How hard to measure: `quick` for development, `full` for the reported run. */
export interface Budget {
  readonly quick: boolean;
  /** Untimed runs before measuring. */
  readonly warmup: number;
  /** Timed runs (median and min/max over these). */
  readonly runs: number;
  /** Values per dataset (1e6 full, 1e5 quick). */
  readonly n: number;
}

/** Median and spread of a set of run times, in ms. */
export interface Timing {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  /** Median process CPU time (user + system) per run in ms, where measured. */
  readonly cpu?: number;
}

/** One measured line of a case's table. */
export interface Row {
  /** Case name, e.g. 'ingest'. */
  readonly case: string;
  /** Dataset or sub-table, e.g. 'lognormal'. */
  readonly group: string;
  /** What ran, e.g. 'edgewatch wasm (batched)'. */
  readonly name: string;
  /** Our code, a peer, or the physical floor. */
  readonly role: 'edgewatch' | 'peer' | 'floor';
  /** Time per run (absent for rows that only carry figures, e.g. accuracy). */
  readonly timing?: Timing;
  /** Values processed per run (for ns/value). */
  readonly values?: number;
  /** Other figures (errors, bytes, throughput…), printed as extra columns. */
  readonly extra?: Record<string, number | string>;
  /** Caveats (e.g. "timed inside python", "inline, no worker"). */
  readonly note?: string;
}

/** One checked target of the issue. */
export interface Target {
  readonly case: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** A figure the issue asks to report without a numeric target (printed as [info]). */
  readonly info?: boolean;
  /** For a miss: why, and what would close the gap. */
  readonly note?: string;
}

/** What a case returns. */
export interface CaseResult {
  readonly rows: Row[];
  readonly targets: Target[];
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Median of a non-empty list.
 * @param xs - the numbers.
 * @returns the median (mean of the two middle values for even length).
 * @example median([3, 1, 2]) // => 2
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Times `work`: `warmup` untimed calls, then `runs` timed ones. `setup` (untimed)
 * runs before every call and its result is passed to `work` (fresh state per run).
 * @param budget - warm-up and run counts (overridable per call).
 * @param work - the measured work.
 * @param setup - untimed preparation for each call.
 * @returns median and min/max in ms.
 * @example await measure(budget, () => sum(values))
 */
export async function measure<S = void>(
  budget: Pick<Budget, 'warmup' | 'runs'>,
  work: (state: S) => unknown,
  setup?: () => S | Promise<S>,
): Promise<Timing> {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < budget.warmup + budget.runs; i++) {
    const state = setup ? await setup() : (undefined as S);
    gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = work(state);
    if (r instanceof Promise) await r;
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i >= budget.warmup) {
      times.push(dt);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  return timingOf(times, cpu);
}

/**
 * Timing summary of measured times (ms).
 * @param times - at least one time.
 * @param cpu - the CPU time of each run (ms), when measured.
 * @returns median, min, max and count (and the median CPU time).
 * @example timingOf([1, 2, 3]).median // => 2
 */
export function timingOf(times: readonly number[], cpu?: readonly number[]): Timing {
  return {
    median: median(times),
    min: Math.min(...times),
    max: Math.max(...times),
    runs: times.length,
    ...(cpu?.length ? { cpu: median(cpu) } : {}),
  };
}

/**
 * ns per value of a timed row.
 * @param row - a row with timing and values.
 * @returns ns/value, or NaN.
 * @example nsPerValue(row)
 */
export function nsPerValue(row: Row): number {
  return row.timing && row.values ? (row.timing.median * 1e6) / row.values : NaN;
}

/**
 * ns per value of a timed row's fastest run (closest to the uncontended cost on a loaded machine).
 * @param row - a row with timing and values.
 * @returns ns/value of the best run, or NaN.
 * @example bestNsPerValue(row)
 */
export function bestNsPerValue(row: Row): number {
  return row.timing && row.values ? (row.timing.min * 1e6) / row.values : NaN;
}

/**
 * Formats a number compactly (3 significant digits, thousands kept whole).
 * @param x - the number.
 * @returns the text.
 * @example fmt(1234.5) // => '1235'
 */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toPrecision(3);
}

/**
 * Prints one case's rows as tables (one per group), with ratios against the
 * group's first edgewatch row: "×" is peer time / edgewatch time (> 1: we are faster).
 * @param title - the case title.
 * @param rows - its rows.
 * @example printCase('1 ingest', rows)
 */
export function printCase(title: string, rows: readonly Row[]): void {
  console.log(`\n== ${title}`);
  const groups = [...new Set(rows.map((r) => r.group))];
  for (const group of groups) {
    const gr = rows.filter((r) => r.group === group);
    const base = gr.find((r) => r.role === 'edgewatch' && r.timing);
    const extraKeys = [...new Set(gr.flatMap((r) => Object.keys(r.extra ?? {})))];
    const header = [
      '  ' + group,
      'median ms',
      'min–max ms',
      'ns/value',
      '× ew',
      'cpu ms',
      '× ew cpu',
      ...extraKeys,
    ];
    const lines = gr.map((r) => {
      const t = r.timing;
      const ratio = t && base?.timing ? t.median / base.timing.median : NaN;
      return [
        `  ${r.name}${r.note ? ` [${r.note}]` : ''}`,
        t ? fmt(t.median) : '',
        t ? `${fmt(t.min)}–${fmt(t.max)}` : '',
        t && r.values ? fmt(nsPerValue(r)) : '',
        Number.isFinite(ratio) && r !== base ? `${fmt(ratio)}×` : r === base ? '1×' : '',
        t?.cpu !== undefined ? fmt(t.cpu) : '',
        t?.cpu !== undefined && base?.timing?.cpu !== undefined
          ? r === base
            ? '1×'
            : `${fmt(t.cpu / base.timing.cpu)}×`
          : '',
        ...extraKeys.map((k) => {
          const v = r.extra?.[k];
          return v === undefined ? '' : typeof v === 'number' ? fmt(v) : v;
        }),
      ];
    });
    const widths = header.map((h, i) =>
      Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)),
    );
    const row = (cells: string[]): string =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
        .join('  ');
    console.log(row(header));
    for (const l of lines) console.log(row(l));
  }
}

/**
 * Prints the target checklist.
 * @param targets - every case's targets.
 * @example printTargets(targets)
 */
export function printTargets(targets: readonly Target[]): void {
  console.log('\n== targets');
  for (const t of targets) {
    console.log(
      `  [${t.info ? 'info' : t.met ? 'met ' : 'MISS'}] ${t.case}: ${t.target} — measured ${t.measured}${t.note ? ` (${t.note})` : ''}`,
    );
  }
}
