/**
 * The fault-injection controls: presets and fine sliders, both writing the
 * stream's `Scenario`.
 */
import {
  FEATURES,
  normalScenario,
  type FeatureInjection,
  type FeatureName,
  type Scenario,
} from './sensor-data.js';

const input = (id: string): HTMLInputElement => document.getElementById(id) as HTMLInputElement;
const select = (id: string): HTMLSelectElement => document.getElementById(id) as HTMLSelectElement;

/** Presets by name (the buttons' `data-preset`). */
export const PRESETS: Record<string, (s: Scenario) => void> = {
  drift: (s) => {
    s.features.lidar_intensity.shift = 2.5;
  },
  labels: (s) => {
    s.labelShift = 1;
  },
  slow: (s) => {
    s.latencyMs = 70;
  },
  nan: (s) => {
    s.brokenSensor = 'thermal_c';
    s.nanRate = 0.3;
  },
  reset: () => undefined,
};

/**
 * Wires the controls to a scenario holder.
 *
 * @param get - returns the live scenario.
 * @param set - replaces it.
 * @param changed - called after every change.
 */
export function bindControls(
  get: () => Scenario,
  set: (s: Scenario) => void,
  changed: () => void,
): void {
  const feature = select('feature');
  const broken = select('broken');
  for (const f of FEATURES) {
    feature.add(new Option(f, f));
    broken.add(new Option(f, f));
  }
  feature.value = 'lidar_intensity';
  /** The writer and reader of one injection of the selected feature. */
  const featureField = (key: keyof FeatureInjection) =>
    [
      (s: Scenario, v: number) => (s.features[feature.value as FeatureName][key] = v),
      (s: Scenario) => s.features[feature.value as FeatureName][key],
    ] as const;
  const sigma = (v: number): string => `${v}σ`;
  const percent = (v: number): string => `${Math.round(v * 100)}%`;
  const sliders: Array<
    [
      string,
      string,
      (s: Scenario, v: number) => void,
      (s: Scenario) => number,
      (v: number) => string,
    ]
  > = [
    ['shift', 'shift-out', ...featureField('shift'), sigma],
    ['scale', 'scale-out', ...featureField('scale'), (v: number) => `×${v}`],
    ['noise', 'noise-out', ...featureField('noise'), sigma],
    ['label-shift', 'label-out', (s, v) => (s.labelShift = v), (s) => s.labelShift, percent],
    ['latency', 'latency-out', (s, v) => (s.latencyMs = v), (s) => s.latencyMs, (v) => `${v} ms`],
    ['nan-rate', 'nan-out', (s, v) => (s.nanRate = v), (s) => s.nanRate, percent],
  ];
  const sync = (): void => {
    const s = get();
    for (const [id, out, , read, fmt] of sliders) {
      input(id).value = String(read(s));
      document.getElementById(out)!.textContent = fmt(read(s));
    }
    broken.value = s.brokenSensor ?? '';
  };
  for (const [id, out, write, , fmt] of sliders) {
    input(id).addEventListener('input', () => {
      const v = Number(input(id).value);
      write(get(), v);
      document.getElementById(out)!.textContent = fmt(v);
      changed();
    });
  }
  feature.addEventListener('change', sync);
  broken.addEventListener('change', () => {
    const s = get();
    s.brokenSensor = broken.value === '' ? null : (broken.value as FeatureName);
    if (s.brokenSensor !== null && s.nanRate === 0) s.nanRate = 0.3;
    sync();
    changed();
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
    button.addEventListener('click', () => {
      const preset = PRESETS[button.dataset.preset ?? ''];
      if (preset === undefined) return;
      // Each preset starts from clean sensors, so presets do not pile up.
      const s = normalScenario();
      preset(s);
      set(s);
      sync();
      changed();
    });
  }
  sync();
}
