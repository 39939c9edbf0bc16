/**
 * The light side of the monitors' `registry` option: validates `registry` and
 * `labels` synchronously, claims the labels (two monitors of one kind on one
 * registry need distinct labels), and loads the Prometheus exporter
 * (`prom-monitors.ts`: metric families, histograms, exposition helpers) with a
 * dynamic `import()` only when a registry is given. A page whose monitors take
 * no `registry` downloads none of it.
 *
 * The registry waits for pending attachments before each scrape
 * (`Registry.defer`), so a scrape right after constructing a monitor sees it.
 */
import { ConfigError, describeValue } from '../errors.js';
import { claimLabels, releaseLabels } from './label-claims.js';
import { baseLabels } from './prom-monitor-sources.js';
import type { Base, MonitorMetricsOptions } from './prom-monitor-sources.js';

export type { MonitorMetricsOptions };
import type { MonitorExporter } from './prom-monitors.js';
import type { Registry } from '../prometheus/registry.js';

/** A monitor's connection to its registry's exporter (see {@link linkMonitor}). */
export interface MonitorLink {
  /** The exporter once the monitor is attached; undefined before (or after a failed attachment). */
  readonly exporter: MonitorExporter | undefined;
  /**
   * Runs `fn` with the exporter: at once when attached, otherwise after the
   * attachment (the registry's next scrape waits for it). Never throws: a
   * failure goes to the registry's `onError` and is counted.
   */
  run(fn: (exporter: MonitorExporter) => void): void;
  /** Stops exporting the monitor: its labels are free at once, its series leave once attached. Idempotent. */
  unlink(): void;
}

/** What a registry must offer to take monitors (the `Registry` class does). */
function isLinkable(r: unknown): r is Registry {
  const x = r as Partial<Registry> | undefined;
  return typeof x?.registerMetric === 'function' && typeof x.defer === 'function';
}

/**
 * Connects a monitor to the registry of its options. Synchronously: validates
 * `labels` (even without a registry) and `registry`, and claims the labels.
 * Then loads the exporter lazily and calls `attach(exporter, labels)`; the
 * registry's scrapes wait for that.
 *
 * @param options - the monitor's options (`registry`, `labels`).
 * @param kind - the monitor's class name (errors, label claims).
 * @param source - the monitor.
 * @param attach - registers the monitor with the exporter (e.g. `e.addLatency(this, l)`).
 * @returns the link, or undefined without a registry.
 * @throws ConfigError when `registry` is not a Registry, `labels` has other keys
 *   than model, model_version, device or non-string values, or another monitor of
 *   the same kind on that registry has the same labels.
 * @example
 * this.link = linkMonitor(options, 'LatencyTracker', this, (e, l) => e.addLatency(this, l));
 * // later: this.link?.unlink();
 */
export function linkMonitor(
  options: MonitorMetricsOptions,
  kind: string,
  source: object,
  attach: (exporter: MonitorExporter, labels: Record<Base, string>) => void,
): MonitorLink | undefined {
  const { registry, labels = {} } = options;
  baseLabels(labels);
  if (registry === undefined) return undefined;
  if (!isLinkable(registry))
    throw new ConfigError(
      `${kind}: expected registry to be a Registry, got ${describeValue(registry)}`,
    );
  return new Link(registry, kind, source, claimLabels(registry, kind, source, labels), attach);
}

class Link implements MonitorLink {
  exporter: MonitorExporter | undefined;
  private readonly ready: Promise<MonitorExporter | undefined>;
  private unlinked = false;

  constructor(
    private readonly registry: Registry,
    private readonly kind: string,
    private readonly source: object,
    labels: Record<Base, string>,
    attach: (exporter: MonitorExporter, labels: Record<Base, string>) => void,
  ) {
    const attached = import('./prom-monitors.js').then(({ MonitorExporter }) => {
      if (this.unlinked) return undefined;
      const e = MonitorExporter.for(registry);
      attach(e, labels);
      return (this.exporter = e);
    });
    registry.defer(attached, kind);
    this.ready = attached.catch(() => undefined);
  }

  run(fn: (exporter: MonitorExporter) => void): void {
    if (this.exporter) {
      try {
        fn(this.exporter);
      } catch (error) {
        this.registry.defer(Promise.reject(error), this.kind);
      }
      return;
    }
    this.registry.defer(
      this.ready.then((e) => {
        if (e) fn(e);
      }),
      this.kind,
    );
  }

  unlink(): void {
    if (this.unlinked) return;
    this.unlinked = true;
    releaseLabels(this.registry, this.source);
    this.run((e) => e.remove(this.source));
  }
}
