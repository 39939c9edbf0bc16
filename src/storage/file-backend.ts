/**
 * A file-backed store for Node and Electron's main process: the memory backend
 * plus an atomic snapshot (write to a temporary file, fsync, rename) after every
 * mutation, so a crash leaves either the old or the new state, never a torn one.
 * Meant for outboxes of modest size (the outbox cap bounds it); one process per
 * file. `node:fs` is imported lazily so browser bundles never see it.
 */
import type * as FsPromises from 'node:fs/promises';
import { StorageError } from '../errors.js';
import { importNodeBuiltin } from '../platform/node-builtins.js';
import type { DeadLetter, LogRow, OutboxEntry } from './backend.js';
import { MemoryBackend } from './memory-backend.js';

interface Snapshot {
  version: 1;
  nextSeq: { outbox: number; dead: number; log: number };
  outbox: OutboxEntry[];
  dead: DeadLetter[];
  log: LogRow[];
  meta: [string, unknown][];
}

type Fs = typeof FsPromises;

/** A {@link MemoryBackend} persisted to one JSON file. */
export class FileBackend extends MemoryBackend {
  override readonly kind = 'file' as const;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly fs: Fs,
  ) {
    super();
  }

  /**
   * Opens (or creates) the store file.
   *
   * @param path - file path; its directory is created when missing.
   * @returns the backend, loaded.
   * @throws StorageError when the directory cannot be created, or the file exists but cannot be read or parsed.
   */
  static async open(path: string): Promise<FileBackend> {
    const fs = await importNodeBuiltin('node:fs/promises');
    const b = new FileBackend(path, fs);
    const dir = path.replace(/[\\/][^\\/]*$/, '');
    let text: string | undefined;
    try {
      if (dir !== path && dir !== '') await fs.mkdir(dir, { recursive: true });
      text = await fs.readFile(path, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT')
        throw new StorageError(`cannot open store file ${path}`, 'STORAGE', { cause: e });
    }
    if (text !== undefined) {
      try {
        const s = JSON.parse(text) as Snapshot;
        b.nextSeq = s.nextSeq;
        for (const e of s.outbox) b.outbox.set(e.seq, e);
        for (const d of s.dead) b.dead.set(d.seq, d);
        for (const r of s.log) {
          b.log.set(r.seq, r);
          b.logBytes += r.bytes;
        }
        for (const [k, v] of s.meta) b.meta.set(k, v);
      } catch (e) {
        throw new StorageError(
          `expected a store file written by edgewatch at ${path}, got unparseable content`,
          'STORAGE',
          { cause: e },
        );
      }
    }
    return b;
  }

  protected override persist(): Promise<void> {
    const snap: Snapshot = {
      version: 1,
      nextSeq: { ...this.nextSeq },
      outbox: [...this.outbox.values()],
      dead: [...this.dead.values()],
      log: [...this.log.values()],
      meta: [...this.meta.entries()],
    };
    const text = JSON.stringify(snap);
    // Serialize writes so renames land in mutation order.
    const next = this.writing.then(async () => {
      const tmp = `${this.path}.tmp`;
      const fh = await this.fs.open(tmp, 'w');
      try {
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.fs.rename(tmp, this.path);
    });
    this.writing = next.catch(() => undefined);
    return next.catch((e: unknown) => {
      throw new StorageError(`cannot write store file ${this.path}`, 'STORAGE', { cause: e });
    });
  }

  override async close(): Promise<void> {
    await this.writing;
  }
}
