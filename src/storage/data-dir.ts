/**
 * Where edgewatch keeps its files in Node (and Electron's main process) when
 * the caller names no path: the durable outbox of `EdgeMonitor` (which loads
 * this file only in Node, so a page does not download it).
 */
import { ConfigError } from '../errors.js';

interface NodeProcess {
  env: Record<string, string | undefined>;
  platform?: string;
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * The default data directory: `EDGEWATCH_DATA_DIR` when set, else
 * `~/.edgewatch` (the user's home directory from `os.homedir()`). Node only;
 * the directory is not created here (the file store creates it when it opens).
 *
 * @returns an absolute or user-given directory path.
 * @throws ConfigError outside Node, or when no home directory is known and `EDGEWATCH_DATA_DIR` is unset.
 * @example
 * defaultDataDir(); // => '/home/robot/.edgewatch' (or $EDGEWATCH_DATA_DIR)
 */
export function defaultDataDir(): string {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (proc?.env === undefined)
    throw new ConfigError('expected Node (a process with an environment) for a data directory');
  const fromEnv = proc.env.EDGEWATCH_DATA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  // getBuiltinModule keeps `node:os` out of browser bundles (no import statement to follow).
  const os = proc.getBuiltinModule?.('node:os') as { homedir(): string } | undefined;
  const home = os?.homedir() ?? proc.env.HOME ?? proc.env.USERPROFILE;
  if (home === undefined || home === '')
    throw new ConfigError(
      'expected a home directory for ~/.edgewatch, got none: set EDGEWATCH_DATA_DIR or pass store: { path }',
    );
  const sep = proc.platform === 'win32' ? '\\' : '/';
  return `${home.replace(/[\\/]+$/, '')}${sep}.edgewatch`;
}

/**
 * The default outbox file of a model in a data directory.
 *
 * @param dir - the data directory.
 * @param model - the model name (characters unsafe in file names become `_`).
 * @returns `<dir>/<model>.outbox.json`.
 * @example defaultOutboxPath('/data', 'perception') // => '/data/perception.outbox.json'
 */
export function defaultOutboxPath(dir: string, model: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const file = model.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return `${dir.replace(/[\\/]+$/, '')}${sep}${file}.outbox.json`;
}
