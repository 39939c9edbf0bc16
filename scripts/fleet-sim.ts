/**
 * Fleet simulator: 20 simulated devices (3 of them drifted) send windows with feature
 * profiles, latency sketches and alerts to a collector, after uploading the reference
 * profiles. Open the collector's fleet page (`/`) to watch the drifted ones stand out.
 *
 *   npm run fleet                                # starts a collector on :9464 and runs
 *   npm run fleet -- --url http://host:9464 --token T --backfill 30 --live 600
 *
 * `--backfill N` first sends N minutes of history (one window per device per minute;
 * the drifted devices drift from the middle of it), `--live S` then keeps sending one
 * window per device every 5 s for S seconds (0: stop after the backfill).
 * The devices build their profiles with the library's profilers directly (the same
 * code a device runs), not through a full EdgeMonitor.
 */
import { startCollector } from '../src/collector/server.js';
import { createReferenceKernel } from '../src/kernel/index.js';
import {
  CategoricalProfiler,
  NumericProfiler,
  profilesToWire,
  type FeatureProfile,
} from '../src/profile/index.js';
import { PyRandom } from '../src/stats/random.js';
import { bytesToBase64 } from '../src/window/base64.js';
import { randomUuid } from '../src/window/window-sealer.js';
import type { WindowRecord } from '../src/window/window-record.js';

/** Options of {@link runFleetSim}. */
export interface FleetSimOptions {
  url: string;
  token?: string;
  devices?: number;
  backfillMinutes?: number;
  liveSeconds?: number;
  valuesPerWindow?: number;
  seed?: number;
  log?: (line: string) => void;
}

/** How a simulated device behaves. */
interface DeviceSpec {
  id: string;
  /** Added to the speed feature once drifted. */
  speedShift: number;
  /** Multiplies the temperature spread once drifted. */
  tempScale: number;
  /** Category weights once drifted. */
  colours: string[];
  /** Multiplies latency once drifted. */
  slow: number;
}

const MODEL = { name: 'perception', version: '2.1' };
const COLOURS = ['red', 'green', 'blue', 'yellow'];
/** Which devices drift, and how: visible in speed, temperature and colour respectively. */
export const DRIFTED_DEVICES: Record<string, Partial<DeviceSpec>> = {
  'device-04': { speedShift: 3, slow: 1.8 },
  'device-09': { colours: ['red', 'purple', 'purple', 'purple', 'green'] },
  'device-15': { tempScale: 2.5, speedShift: 1 },
};

const kernel = createReferenceKernel();

function normal(r: PyRandom, mu: number, sigma: number): number {
  const u1 = r.random();
  const u2 = r.random();
  return mu + sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

function profilesFor(
  r: PyRandom,
  n: number,
  spec: DeviceSpec | undefined,
): { profiles: Record<string, FeatureProfile>; latency: number[] } {
  const speed = new NumericProfiler(kernel);
  const temp = new NumericProfiler(kernel);
  const colour = new CategoricalProfiler({ minCategoryCount: 2 });
  const s: unknown[] = [];
  const t: unknown[] = [];
  const c: unknown[] = [];
  const latency: number[] = [];
  const palette = spec?.colours ?? COLOURS;
  for (let i = 0; i < n; i++) {
    s.push(r.random() < 0.01 ? null : normal(r, 12 + (spec?.speedShift ?? 0), 2));
    t.push(normal(r, 21, 3 * (spec?.tempScale ?? 1)));
    c.push(palette[r.randbelow(palette.length)]);
    latency.push(Math.exp(normal(r, 1.6, 0.35)) * (spec?.slow ?? 1));
  }
  speed.add(s);
  temp.add(t);
  colour.add(c);
  const profiles = {
    speed: speed.profile(),
    temperature: temp.profile(),
    colour: colour.profile(),
  };
  speed.close();
  temp.close();
  return { profiles, latency };
}

function latencySketch(values: number[]): string {
  const h = kernel.sketchCreate();
  kernel.sketchRecord(h, Float64Array.from(values), true);
  const b = kernel.sketchSerialize(h);
  kernel.sketchFree(h);
  return bytesToBase64(b);
}

function windowFor(
  r: PyRandom,
  device: string,
  end: number,
  drifted: boolean,
  n: number,
): WindowRecord {
  const spec = drifted
    ? ({
        id: device,
        speedShift: 0,
        tempScale: 1,
        colours: COLOURS,
        slow: 1,
        ...DRIFTED_DEVICES[device],
      } as DeviceSpec)
    : undefined;
  const { profiles, latency } = profilesFor(r, n, spec);
  return {
    schemaVersion: 1,
    windowId: randomUuid(),
    deviceId: device,
    model: MODEL,
    start: end - 60_000,
    end,
    sketches: { latency: latencySketch(latency) },
    counters: { predictions: n },
    performance: {},
    drift: [],
    alerts: drifted ? [{ name: 'FeatureDrift', severity: 'warning', firedAt: end }] : [],
    drops: {},
    profiles: profilesToWire(profiles),
  };
}

async function send(
  o: FleetSimOptions,
  path: string,
  method: string,
  body: unknown,
): Promise<void> {
  const r = await fetch(`${o.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${await r.text()}`);
}

/**
 * Uploads the reference, backfills history, then sends live windows.
 * @param o - collector URL, token, sizes.
 * @returns the device ids and the drifted ones.
 */
export async function runFleetSim(
  o: FleetSimOptions,
): Promise<{ devices: string[]; drifted: string[] }> {
  const log = o.log ?? (() => {});
  const r = new PyRandom(o.seed ?? 7);
  const n = o.valuesPerWindow ?? 200;
  const devices = Array.from(
    { length: o.devices ?? 20 },
    (_, i) => `device-${String(i).padStart(2, '0')}`,
  );
  const ref = profilesFor(r, 5000, undefined).profiles;
  await send(o, `/v1/models/${MODEL.name}/${MODEL.version}/reference`, 'PUT', {
    profiles: profilesToWire(ref),
  });
  log(`reference uploaded for ${MODEL.name} ${MODEL.version}`);
  const minutes = o.backfillMinutes ?? 30;
  const now = Date.now();
  const driftFrom = now - (minutes * 60_000) / 2;
  for (let m = minutes; m >= 1; m--) {
    const end = now - m * 60_000;
    const windows = devices.map((d) =>
      windowFor(r, d, end, d in DRIFTED_DEVICES && end >= driftFrom, n),
    );
    await send(o, '/v1/windows', 'POST', { windows });
  }
  log(`backfilled ${minutes} min x ${devices.length} devices`);
  const stopAt = Date.now() + (o.liveSeconds ?? 0) * 1000;
  while (Date.now() < stopAt) {
    const end = Date.now();
    await send(o, '/v1/windows', 'POST', {
      windows: devices.map((d) => windowFor(r, d, end, d in DRIFTED_DEVICES, n)),
    });
    await new Promise((res) => setTimeout(res, 5000));
  }
  return { devices, drifted: Object.keys(DRIFTED_DEVICES) };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  let url = arg('url');
  let close: (() => Promise<void>) | undefined;
  if (!url) {
    const c = await startCollector({
      port: Number(arg('port') ?? 9464),
      host: '127.0.0.1',
      dbPath: ':memory:',
      rateLimit: false,
    });
    url = c.url;
    close = () => c.close();
    console.log(`collector on ${url} (in memory); fleet page: ${url}/`);
  }
  await runFleetSim({
    url,
    ...(arg('token') ? { token: arg('token') as string } : {}),
    backfillMinutes: Number(arg('backfill') ?? 30),
    liveSeconds: Number(arg('live') ?? (close ? 3600 : 0)),
    log: (l) => console.log(l),
  });
  await close?.();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
