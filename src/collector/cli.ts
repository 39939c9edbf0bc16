/**
 * The `edgewatch-collector` command line: `--port --host --db --token
 * --remote-write <url> --max-devices <n> --synchronous full|normal`. Stops gracefully on SIGINT/SIGTERM.
 */
import { ConfigError } from '../errors.js';
import { startCollector, type CollectorOptions } from './server.js';

const USAGE = `usage: edgewatch-collector [--port 9464] [--host 127.0.0.1] [--db ./edgewatch.db]
                           [--token <bearer>] [--remote-write <url>] [--max-devices 1000]
                           [--synchronous full|normal]`;

/**
 * Parses command-line arguments.
 *
 * @param argv - arguments after the script name.
 * @returns collector options.
 * @throws ConfigError on an unknown flag or a bad value (message includes usage).
 * @example
 * parseCollectorArgs(['--port', '0', '--db', ':memory:']); // => { port: 0, dbPath: ':memory:' }
 */
export function parseCollectorArgs(argv: readonly string[]): CollectorOptions {
  const o: CollectorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ConfigError(`expected a value after ${name}\n${USAGE}`);
      return v;
    };
    switch (name) {
      case '--port': {
        const v = value();
        o.port = Number(v);
        if (!Number.isInteger(o.port))
          throw new ConfigError(
            `expected --port to be an integer, got ${JSON.stringify(v)}\n${USAGE}`,
          );
        break;
      }
      case '--host':
        o.host = value();
        break;
      case '--db':
        o.dbPath = value();
        break;
      case '--token':
        o.token = value();
        break;
      case '--remote-write':
        o.remoteWrite = { url: value() };
        break;
      case '--synchronous': {
        const v = value();
        if (v !== 'full' && v !== 'normal')
          throw new ConfigError(
            `expected --synchronous full|normal, got ${JSON.stringify(v)}\n${USAGE}`,
          );
        o.synchronous = v;
        break;
      }
      case '--max-devices':
        o.maxDevices = Number(value());
        break;
      default:
        throw new ConfigError(`unknown option ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  return o;
}

/**
 * Runs the collector until SIGINT/SIGTERM.
 *
 * @param argv - arguments after the script name.
 * @returns resolves once the server listens.
 */
export async function runCollectorCli(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseCollectorArgs(argv);
  options.token ??= process.env.EDGEWATCH_TOKEN;
  if (options.token === '') delete options.token;
  options.onError = (e) => console.error('edgewatch-collector:', (e as Error)?.message ?? e);
  const c = await startCollector(options);
  console.log(
    `edgewatch-collector listening on ${c.url} (db ${options.dbPath ?? './edgewatch.db'})`,
  );
  const stop = (sig: string): void => {
    console.log(`edgewatch-collector: ${sig}, shutting down`);
    c.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
