/**
 * Small rolling line charts on uPlot: a fixed number of points per series,
 * redrawn at most once per animation frame.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of a chart. */
export interface SeriesSpec {
  label: string;
  stroke: string;
  dash?: number[];
  width?: number;
}

/** A rolling time-series chart. */
export class RollingChart {
  private readonly plot: uPlot;
  private readonly data: number[][];
  private dirty = false;

  /**
   * @param el - container element (the chart fills its width).
   * @param series - the lines.
   * @param options - y-axis label, fixed y range, history length, value formatter.
   */
  constructor(
    private readonly el: HTMLElement,
    series: SeriesSpec[],
    private readonly options: {
      yLabel: string;
      range?: [number, number];
      history: number;
      fmt?: (v: number) => string;
      height?: number;
    },
  ) {
    this.data = [[], ...series.map(() => [])];
    const fmt = options.fmt ?? ((v: number) => String(v));
    this.plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: options.height ?? 170,
        legend: { live: false },
        cursor: { show: false },
        scales: {
          x: { time: false },
          y: options.range
            ? { range: options.range }
            : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] },
        },
        axes: [
          {
            label: 'seconds',
            size: 36,
            labelSize: 14,
            font: '11px system-ui',
            labelFont: '11px system-ui',
          },
          {
            label: options.yLabel,
            size: 52,
            labelSize: 14,
            font: '11px system-ui',
            labelFont: '11px system-ui',
            values: (_u, vals) => vals.map((v) => fmt(v)),
          },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            width: s.width ?? 2,
            dash: s.dash,
            points: { show: false },
            spanGaps: true,
          })),
        ],
      },
      this.data as uPlot.AlignedData,
      el,
    );
    new ResizeObserver(() => {
      const w = Math.max(200, this.el.clientWidth);
      if (Math.abs(w - this.plot.width) > 2)
        this.plot.setSize({ width: w, height: this.plot.height });
    }).observe(el);
  }

  /** Appends one point per series at `x` (null leaves a gap). */
  push(x: number, ys: Array<number | null>): void {
    this.data[0]!.push(x);
    ys.forEach((y, i) =>
      this.data[i + 1]!.push(y === null || !Number.isFinite(y) ? (null as unknown as number) : y),
    );
    if (this.data[0]!.length > this.options.history) for (const col of this.data) col.shift();
    this.dirty = true;
  }

  /** Redraws if anything changed since the last redraw. */
  redraw(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.plot.setData(this.data as uPlot.AlignedData);
  }
}
