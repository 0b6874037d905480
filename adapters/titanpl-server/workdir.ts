/**
 * A titan-server's working directory: where a file-backed library (the before) reads and writes
 * titan_storage.json and titan_sessions.json, since the server does not chdir. Each server gets an
 * empty one of its own when it starts, in the temp dir (under the CLI, a directory it removes when
 * the run ends, also after a SIGKILL). A directory moved with rename(2) stays the process's cwd,
 * so a server started ahead can later become a store's directory.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class WorkDir {
  /** True once it is a store's directory: the runner owns it then, and it is never removed here. */
  private adopted = false;

  private constructor(private current: string) {}

  static create(): WorkDir {
    return new WorkDir(mkdtempSync(join(tmpdir(), 'titan-server-')));
  }

  /** A store's own directory, used as it is (made if missing). */
  static store(dir: string): WorkDir {
    mkdirSync(dir, { recursive: true });
    const w = new WorkDir(dir);
    w.adopted = true;
    return w;
  }

  get path(): string {
    return this.current;
  }

  /**
   * Become the store directory `dir`, keeping what it holds: its entries move in first, then this
   * directory replaces it. Only for a server that has not touched its storage yet (the before
   * loads its files at the first storage call). Throws EXDEV when `dir` is on another filesystem.
   */
  becomeStore(dir: string): void {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    for (const e of entries) renameSync(join(dir, e), join(this.current, e));
    renameSync(this.current, dir); // dir is empty now (or absent): rename(2) replaces it
    this.current = dir;
    this.adopted = true;
  }

  /** Remove it, unless it became a store's directory. */
  remove(): void {
    if (!this.adopted) rmSync(this.current, { recursive: true, force: true });
  }
}
