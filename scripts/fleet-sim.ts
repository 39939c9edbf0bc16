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
 * Each device is an `EdgeMonitor` with `profiles` on (the code a device runs: feature
 * buffer, profile service, drift check, latency sketch, default alert rules) on one
 * shared in-process engine, with a clock the simulator sets; its sealed windows are
 * posted in batches, one per minute of history. The reference profiles are a window of
 * the reference rows profiled by a monitor the same way.
 */
import { startCollector } from '../src/collector/server.js';
import { createEngine, type EngineHandle } from '../src/engine/client.js';
import { EdgeMonitor } from '../src/session/edge-monitor.js';
import type { TableValues } from '../src/stats/drift/types.js';
import { PyRandom } from '../src/stats/random.js';
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
  /** Receives each batch of windows before it is posted (tests look at what devices send). */
  onWindows?: (windows: WindowRecord[]) => void;
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
/** Window length of the simulated monitors: windows are sealed by the simulator, never by time. */
const NEVER_MS = 30 * 24 * 3_600_000;

function normal(r: PyRandom, mu: number, sigma: number): number {
  const u1 = r.random();
  const u2 = r.random();
  return mu + sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** One device row: the features and the prediction's latency. */
interface Row {
  features: { speed: number | null; temperature: number; colour: string };
  latencyMs: number;
}

function rowsFor(r: PyRandom, n: number, spec: DeviceSpec | undefined): Row[] {
  const palette = spec?.colours ?? COLOURS;
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const speed = r.random() < 0.01 ? null : normal(r, 12 + (spec?.speedShift ?? 0), 2);
    const temperature = normal(r, 21, 3 * (spec?.tempScale ?? 1));
    const colour = palette[r.randbelow(palette.length)] as string;
    const latencyMs = Math.exp(normal(r, 1.6, 0.35)) * (spec?.slow ?? 1);
    rows.push({ features: { speed, temperature, colour }, latencyMs });
  }
  return rows;
}

function specOf(device: string, drifted: boolean): DeviceSpec | undefined {
  return drifted
    ? ({
        id: device,
        speedShift: 0,
        tempScale: 1,
        colours: COLOURS,
        slow: 1,
        ...DRIFTED_DEVICES[device],
      } as DeviceSpec)
    : undefined;
}

/** The simulated devices: one monitor each, on a clock the simulator sets. */
class Fleet {
  private constructor(
    private readonly monitors: Map<string, EdgeMonitor>,
    private readonly clock: { t: number },
  ) {}

  static async start(
    devices: string[],
    reference: TableValues,
    engine: EngineHandle,
    start: number,
  ): Promise<Fleet> {
    const clock = { t: start };
    const monitors = new Map<string, EdgeMonitor>();
    for (const deviceId of devices)
      monitors.set(
        deviceId,
        await EdgeMonitor.create({
          model: MODEL,
          deviceId,
          reference,
          profiles: { minCategoryCount: 2 },
          engine,
          store: { backend: 'memory', persist: false },
          windowMs: NEVER_MS,
          now: () => clock.t,
        }),
      );
    return new Fleet(monitors, clock);
  }

  /**
   * One window per device ending at `end`: observes the rows inside the window, then seals it.
   * @param end - the windows' end (epoch ms, after the previous windows' end).
   * @param rowsOf - each device's rows.
   * @returns the sealed records.
   */
  async windows(end: number, rowsOf: (device: string) => Row[]): Promise<WindowRecord[]> {
    this.clock.t = end - 1;
    for (const [device, m] of this.monitors)
      for (const row of rowsOf(device))
        m.observe({ features: row.features, prediction: 1, latencyMs: row.latencyMs });
    this.clock.t = end;
    const sealed = await Promise.all([...this.monitors.values()].map((m) => m.sealWindow()));
    return sealed.map((rec) => {
      if (rec === undefined) throw new Error('fleet-sim: expected every device to seal a window');
      return rec;
    });
  }

  async close(): Promise<void> {
    for (const m of this.monitors.values()) await m.close();
  }
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
  const refRows = rowsFor(r, 5000, undefined);
  const reference = {
    speed: refRows.map((row) => row.features.speed),
    temperature: refRows.map((row) => row.features.temperature),
    colour: refRows.map((row) => row.features.colour),
  };
  const minutes = o.backfillMinutes ?? 30;
  const now = Date.now();
  const first = now - (minutes + 1) * 60_000;
  const engine = await createEngine({ mode: 'inline' });
  try {
    // The reference profiles: the reference rows as one window of a monitor.
    const refFleet = await Fleet.start(['reference'], reference, engine, first);
    const [refWindow] = await refFleet.windows(first + 1, () => refRows);
    await refFleet.close();
    await send(o, `/v1/models/${MODEL.name}/${MODEL.version}/reference`, 'PUT', {
      profiles: refWindow?.profiles,
    });
    log(`reference uploaded for ${MODEL.name} ${MODEL.version}`);
    const fleet = await Fleet.start(devices, reference, engine, now - minutes * 60_000 - 60_000);
    try {
      const driftFrom = now - (minutes * 60_000) / 2;
      for (let m = minutes; m >= 1; m--) {
        const end = now - m * 60_000;
        const windows = await fleet.windows(end, (d) =>
          rowsFor(r, n, specOf(d, d in DRIFTED_DEVICES && end >= driftFrom)),
        );
        o.onWindows?.(windows);
        await send(o, '/v1/windows', 'POST', { windows });
      }
      log(`backfilled ${minutes} min x ${devices.length} devices`);
      const stopAt = Date.now() + (o.liveSeconds ?? 0) * 1000;
      while (Date.now() < stopAt) {
        const windows = await fleet.windows(Date.now(), (d) =>
          rowsFor(r, n, specOf(d, d in DRIFTED_DEVICES)),
        );
        o.onWindows?.(windows);
        await send(o, '/v1/windows', 'POST', { windows });
        await new Promise((res) => setTimeout(res, 5000));
      }
    } finally {
      await fleet.close();
    }
  } finally {
    engine.close();
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
