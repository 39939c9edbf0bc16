/** Command-line options of the bench scripts: `--name value`. */

/** The value after `--name` on the command line, else `dflt`. */
export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

/** `arg` read as a number. */
export function numberArg(name: string, dflt: number): number {
  return Number(arg(name, String(dflt)));
}

/** Whether the flag `--name` is on the command line. */
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
