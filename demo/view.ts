/**
 * Renders the loop's state into the page's panels (plain DOM, no framework).
 */
import { RollingChart } from './charts.js';
import type { DemoConfig } from './config.js';
import type { TaggedAlert } from '../src/index.js';
import type { DemoOutboxStatus } from './outbox.js';
import { SOURCES } from './edgewatch.js';
import type { RetrainRun } from './retrain-job.js';
import { CLASSES, FEATURES, isNormal, type Scenario } from './sensor-data.js';
import type { WindowSummary } from './window-summary.js';

const $ = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`expected #${id} in index.html, got nothing`);
  return el;
};
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
const ms = (x: number): string =>
  Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : '–';
const time = (epoch: number): string => new Date(epoch).toLocaleTimeString([], { hour12: false });
const pv = (p: number | undefined): string =>
  p === undefined || !Number.isFinite(p)
    ? '–'
    : p < 1e-300
      ? '< 1e-300'
      : p < 1e-4
        ? p.toExponential(1)
        : p.toFixed(4);
const FEATURE_COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2'];
const CLASS_COLORS = ['#64748b', '#dc2626', '#d97706', '#2563eb'];

/** The page's panels. */
export class DemoView {
  private readonly accuracy: RollingChart;
  private readonly drift: RollingChart;
  private readonly latency: RollingChart;
  private readonly predictions: RollingChart;
  private readonly alertItems = new Map<string, HTMLLIElement>();
  private readonly runItems = new Map<number, HTMLLIElement>();
  private latest: WindowSummary | null = null;
  private nextChart = 0;

  constructor(private readonly config: DemoConfig) {
    const h = config.historyPoints;
    this.accuracy = new RollingChart(
      $('chart-accuracy'),
      [
        { label: 'accuracy (labels, a window late)', stroke: '#2563eb' },
        { label: 'estimated now, no labels (CBPE)', stroke: '#9333ea', dash: [4, 3] },
        { label: 'holdout baseline', stroke: '#64748b', dash: [6, 4], width: 1.5 },
        {
          label: `alert line (−${config.maxDegradation * 100}%)`,
          stroke: '#dc2626',
          dash: [2, 4],
          width: 1,
        },
      ],
      { yLabel: 'accuracy', range: [0, 1], history: h, fmt: (v) => `${Math.round(v * 100)}%` },
    );
    this.drift = new RollingChart(
      $('chart-drift'),
      FEATURES.map((f, i) => ({ label: f, stroke: FEATURE_COLORS[i]! })),
      { yLabel: 'KS statistic', range: [0, 1], history: h, fmt: (v) => v.toFixed(1), height: 150 },
    );
    this.latency = new RollingChart(
      $('chart-latency'),
      [
        { label: 'p50', stroke: '#16a34a' },
        { label: 'p95', stroke: '#d97706' },
        { label: 'p99', stroke: '#dc2626' },
      ],
      { yLabel: 'ms', history: h, fmt: (v) => String(Math.round(v * 10) / 10) },
    );
    this.predictions = new RollingChart(
      $('chart-predictions'),
      CLASSES.map((c, i) => ({ label: c, stroke: CLASS_COLORS[i]! })),
      { yLabel: 'share', range: [0, 1], history: h, fmt: (v) => `${Math.round(v * 100)}%` },
    );
    for (const el of document.querySelectorAll<HTMLElement>('[data-src]')) {
      const name = SOURCES[el.dataset.src as keyof typeof SOURCES];
      el.textContent = `edgewatch ${name}`;
    }
    const body = $('drift-rows');
    for (const f of FEATURES) {
      const tr = document.createElement('tr');
      tr.dataset.feature = f;
      tr.innerHTML = `<td>${f}</td><td class="m">–</td><td class="s">–</td><td class="p">–</td><td class="ms">–</td><td class="mi">–</td><td class="st">–</td>`;
      body.append(tr);
    }
  }

  /** Takes a closed window: chart points now (cheap), text at the next {@link render}. */
  showWindow(s: WindowSummary): void {
    this.accuracy.push(s.t, [
      s.accuracy,
      s.estimate?.value ?? null,
      s.baseline,
      s.baseline * (1 - this.config.maxDegradation),
    ]);
    this.latency.push(s.t, [s.latency.p50, s.latency.p95, s.latency.p99]);
    this.predictions.push(s.t, s.predicted);
    this.drift.push(
      s.t,
      FEATURES.map((f) => s.drift?.features[f]?.statistic ?? null),
    );
    this.latest = s;
  }

  /**
   * Brings the page up to date: the latest window's numbers and one chart
   * (round robin), so a frame never pays for every chart at once.
   */
  render(): void {
    const charts = [this.accuracy, this.drift, this.latency, this.predictions];
    charts[this.nextChart]!.redraw();
    this.nextChart = (this.nextChart + 1) % charts.length;
    const s = this.latest;
    if (s === null) return;
    this.latest = null;
    $('acc-now').textContent = pct(s.accuracy);
    $('acc-est').textContent =
      s.estimate === undefined
        ? '–'
        : `${pct(s.estimate.value)} (${pct(s.estimate.lower)}–${pct(s.estimate.upper)})`;
    $('acc-base').textContent = pct(s.baseline);
    const deg = $('acc-deg');
    deg.textContent = Number.isFinite(s.degradation)
      ? `${s.degradation > 0 ? '−' : '+'}${pct(Math.abs(s.degradation))}`
      : '–';
    deg.classList.toggle('bad', s.degradation > 0.1);
    $('lat-p50').textContent = ms(s.latency.p50);
    $('lat-p95').textContent = ms(s.latency.p95);
    $('lat-p99').textContent = ms(s.latency.p99);
    for (const tr of $('drift-rows').querySelectorAll<HTMLTableRowElement>('tr')) {
      const r = s.drift?.features[tr.dataset.feature!];
      if (r === undefined) continue;
      const cells: Array<[string, string]> = [
        ['.m', r.method],
        ['.s', r.statistic.toFixed(3)],
        ['.p', pv(r.pValue)],
        [
          '.ms',
          Number.isFinite(r.meanShift)
            ? `${r.meanShift >= 0 ? '+' : ''}${r.meanShift.toFixed(2)}σ`
            : '–',
        ],
        ['.mi', String(r.missing.current)],
        ['.st', r.isDrift ? 'DRIFT' : 'ok'],
      ];
      for (const [sel, text] of cells) {
        const td = tr.querySelector(sel)!;
        if (td.textContent !== text) td.textContent = text;
      }
      tr.classList.toggle('drifted', r.isDrift);
    }
  }

  /** Lists an alert firing or resolving. */
  showAlert(kind: 'fire' | 'resolve', a: TaggedAlert): void {
    const list = $('alerts');
    list.querySelector('.empty')?.remove();
    let li = this.alertItems.get(a.name);
    if (kind === 'fire' || li === undefined) {
      li = document.createElement('li');
      li.dataset.alert = a.name;
      list.prepend(li);
      this.alertItems.set(a.name, li);
    }
    li.className = `${a.severity} ${kind === 'fire' ? 'firing' : 'resolved'}`;
    li.dataset.state = kind === 'fire' ? 'firing' : 'resolved';
    const when =
      kind === 'fire'
        ? `fired ${time(a.firedAt)}`
        : `fired ${time(a.firedAt)} · resolved ${time(a.resolvedAt ?? Date.now())}`;
    li.innerHTML = `<b>${a.name}</b> <span class="sev">${a.severity}</span> <span class="state">${kind === 'fire' ? 'FIRING' : 'resolved'}</span><br><small>${a.description ?? ''} — ${when}</small>`;
    while (list.children.length > 12) list.lastElementChild!.remove();
  }

  /** Shows a retraining run's progress. */
  showRetrain(run: RetrainRun): void {
    const log = $('retrain-log');
    log.querySelector('.empty')?.remove();
    let li = this.runItems.get(run.id);
    if (li === undefined) {
      li = document.createElement('li');
      log.prepend(li);
      this.runItems.set(run.id, li);
    }
    li.dataset.phase = run.phase;
    li.dataset.version = String(run.candidateVersion);
    const parts = [
      `<b>run #${run.id}</b> (${run.reason}) → candidate v${run.candidateVersion}: <b class="phase">${run.phase}</b>`,
    ];
    if (run.phase === 'collecting') parts.push(`${run.collected}/${run.need} labelled rows`);
    if (run.trainMs !== undefined)
      parts.push(
        `trained in ${run.trainMs.toFixed(0)} ms (worker), holdout ${pct(run.holdoutAccuracy ?? Number.NaN)}`,
      );
    const d = run.decision;
    if (d !== undefined) {
      parts.push(
        `shadow: ${d.samples.candidate} rows/arm, effect ${d.effect >= 0 ? '+' : ''}${pct(d.effect)}, p ${pv(d.pValue)} → ${d.decision}`,
      );
    }
    if (run.error !== undefined) parts.push(`error: ${run.error}`);
    li.innerHTML = parts.join('<br>');
    const order = ['collecting', 'training', 'shadow', 'done'];
    const at = order.indexOf(
      run.phase === 'promoted' || run.phase === 'kept' || run.phase === 'failed'
        ? 'done'
        : run.phase,
    );
    $('pipeline')
      .querySelectorAll<HTMLLIElement>('li')
      .forEach((step, i) => {
        step.className = i < at ? 'past' : i === at ? 'now' : '';
        if (step.dataset.step === 'done')
          step.textContent = at === 3 ? run.phase : 'promote / keep';
      });
  }

  /** Shows the active model. */
  showModel(version: number, baseline: number): void {
    $('model-version').textContent = `v${version}`;
    $('acc-base').textContent = pct(baseline);
  }

  /** Lists the registry's versions. */
  showRegistry(
    versions: Array<{ version: string; active: boolean; accuracy: number | undefined }>,
  ): void {
    $('registry').innerHTML = versions
      .map(
        (v) =>
          `<li class="${v.active ? 'active' : ''}" data-version="${v.version}">v${v.version}${v.active ? ' · active' : ''}<small>holdout ${pct(v.accuracy ?? Number.NaN)}</small></li>`,
      )
      .join('');
  }

  /** Shows the outbox and the connection mode. */
  showOutbox(s: DemoOutboxStatus): void {
    $('ob-queued').textContent = String(s.queued);
    $('ob-sent').textContent = String(s.sent);
    $('ob-dropped').textContent = String(s.dropped);
    $('ob-state').textContent = s.state;
    const badge = $('mode-badge');
    badge.textContent = s.connected
      ? 'collector connected'
      : 'offline — windows queue on the device';
    badge.className = `badge ${s.connected ? 'online' : 'offline'}`;
    badge.dataset.mode = s.connected ? 'online' : 'offline';
  }

  /** Shows rows/s, windows and the running state. */
  showStats(text: string): void {
    $('stream-stats').textContent = text;
  }

  /** Lists what is injected now. */
  showInjected(s: Scenario): void {
    const items: string[] = [];
    for (const f of FEATURES) {
      const inj = s.features[f];
      if (inj.shift !== 0) items.push(`${f}: shift ${inj.shift > 0 ? '+' : ''}${inj.shift}σ`);
      if (inj.scale !== 1) items.push(`${f}: scale ×${inj.scale}`);
      if (inj.noise !== 0) items.push(`${f}: noise ${inj.noise}σ`);
    }
    if (s.labelShift > 0)
      items.push(
        `label shift ${Math.round(s.labelShift * 100)}% toward vehicles (most of them forklifts, new to the model)`,
      );
    if (s.latencyMs > 0) items.push(`model slowed by ${s.latencyMs} ms per step`);
    if (s.brokenSensor !== null && s.nanRate > 0)
      items.push(`${s.brokenSensor}: ${Math.round(s.nanRate * 100)}% NaN`);
    $('injected').innerHTML = isNormal(s)
      ? '<li class="empty">nothing — clean sensors</li>'
      : items.map((t) => `<li>${t}</li>`).join('');
  }

  /** Shows an error (and keeps the page running). */
  showError(message: string): void {
    const panel = $('errors-panel');
    panel.hidden = false;
    const li = document.createElement('li');
    li.textContent = `${time(Date.now())} ${message}`;
    $('errors').prepend(li);
  }
}
