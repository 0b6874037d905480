/**
 * The change note's "hybrid approach — in-memory + periodic snapshots", done crash-safely: reads and
 * writes go to in-memory maps; every write is also queued as a log record, and the queue is
 * group-committed (one append and one fsync) once the oldest queued write has waited a quarter of
 * the window; when the log outgrows the last snapshot it is compacted into a new one
 * (temporary file, fsync, rename, fsync of the directory) and truncated.
 *
 * Files in `dir`: `hybrid.snapshot` ({ seq, ls, sessions } as JSON) and `hybrid.log` (one JSON line
 * per commit: { seq, ops }). Opening loads the snapshot and replays the log records after its seq,
 * stopping at the first line that does not parse (a commit torn by a power cut). So a crash loses
 * the writes since the last commit, never older ones and never some in the middle.
 *
 * Window: TITAN_HYBRID_WINDOW_MS (default 100); TITAN_HYBRID_DECLARED_MS declares another window
 * than the one kept (to see the check fail); TITAN_HYBRID_COMPACT_BYTES the log size that triggers
 * compaction (default 64 KiB, or twice the live data in UTF-16 bytes if larger).
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation, Storage } from '../spec/contract.js';
import { withConversion, type StringStorage } from '../spec/conversion.js';
import { writeFileDurably } from './file.js';

export const SNAPSHOT_FILE = 'hybrid.snapshot';
export const LOG_FILE = 'hybrid.log';

/** One logged write: set, remove, clear, session set, session delete, session clear. */
export type LogOp = ['s', string, string] | ['r', string] | ['c'] | ['S', string, string, string] | ['D', string, string] | ['C', string];

export interface HybridOptions {
  /** No acknowledged write stays uncommitted longer than this (0: every write is committed before it returns). */
  windowMs: number;
  /** Log bytes that trigger compaction into a snapshot (default 64 KiB, or twice the live data if larger). */
  compactBytes?: number;
}

interface Snapshot {
  seq: number;
  ls: [string, string][];
  sessions: [string, [string, string][]][];
}

export class HybridStore {
  readonly ls = new Map<string, string>();
  readonly sessions = new Map<string, Map<string, string>>();
  /** Records written since open; the seq of the last one committed. */
  protected seq = 0;
  protected pending: { seq: number; op: LogOp }[] = [];
  private firstPendingAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private logFd: number;
  private logBytes = 0;
  /** UTF-16 code units of every live key and value: compaction waits until most of the log is dead. */
  private liveChars = 0;
  private failure: Error | null = null;
  /** A quarter of the window: a late timer, a slow fsync or a client slow to send the next write still commit within it. */
  private readonly intervalMs: number;

  constructor(
    readonly dir: string,
    readonly options: HybridOptions,
  ) {
    this.intervalMs = options.windowMs / 4;
    mkdirSync(dir, { recursive: true });
    this.load();
    const created = !existsSync(join(dir, LOG_FILE));
    this.logFd = openSync(join(dir, LOG_FILE), 'a');
    if (created) this.syncDir();
  }

  private load(): void {
    const snapshotPath = join(this.dir, SNAPSHOT_FILE);
    if (existsSync(snapshotPath)) {
      const text = readFileSync(snapshotPath, 'utf8');
      const snap = JSON.parse(text) as Snapshot;
      this.seq = snap.seq;
      for (const [k, v] of snap.ls) this.apply(['s', k, v]);
      for (const [id, pairs] of snap.sessions) for (const [k, v] of pairs) this.apply(['S', id, k, v]);
    }
    const logPath = join(this.dir, LOG_FILE);
    if (!existsSync(logPath)) return;
    const text = readFileSync(logPath, 'utf8');
    this.logBytes = Buffer.byteLength(text);
    for (const line of text.split('\n')) {
      let record: { seq: number; ops: LogOp[] };
      try {
        record = JSON.parse(line) as { seq: number; ops: LogOp[] };
      } catch {
        break; // the end, or a commit torn by a power cut: nothing after it was acknowledged as committed
      }
      for (const op of record.ops) this.apply(op);
      this.seq = Math.max(this.seq, record.seq);
    }
  }

  apply(op: LogOp): void {
    const size = (k: string, v: string | undefined) => (v === undefined ? 0 : k.length + v.length);
    switch (op[0]) {
      case 's':
        this.liveChars += size(op[1], op[2]) - size(op[1], this.ls.get(op[1]));
        this.ls.set(op[1], op[2]);
        return;
      case 'r':
        this.liveChars -= size(op[1], this.ls.get(op[1]));
        this.ls.delete(op[1]);
        return;
      case 'c':
        for (const [k, v] of this.ls) this.liveChars -= size(k, v);
        this.ls.clear();
        return;
      case 'S': {
        let entries = this.sessions.get(op[1]);
        if (!entries) this.sessions.set(op[1], (entries = new Map()));
        this.liveChars += size(op[2], op[3]) - size(op[2], entries.get(op[2]));
        entries.set(op[2], op[3]);
        return;
      }
      case 'D': {
        const entries = this.sessions.get(op[1]);
        this.liveChars -= size(op[2], entries?.get(op[2]));
        if (entries?.delete(op[2]) && entries.size === 0) this.sessions.delete(op[1]);
        return;
      }
      case 'C':
        for (const [k, v] of this.sessions.get(op[1]) ?? []) this.liveChars -= size(k, v);
        this.sessions.delete(op[1]);
    }
  }

  /** Apply a write in memory and queue it; commit now when the oldest queued write has waited a quarter of the window. */
  write(op: LogOp): void {
    if (this.failure) throw this.failure;
    this.apply(op);
    const now = performance.now();
    if (this.pending.length === 0) this.firstPendingAt = now;
    this.pending.push({ seq: ++this.seq, op });
    if (now - this.firstPendingAt >= this.intervalMs) this.commit(false);
    else if (!this.timer) {
      this.timer = setTimeout(() => this.background(), Math.max(0, this.intervalMs - (now - this.firstPendingAt)));
      this.timer.unref();
    }
  }

  private background(): void {
    this.timer = null;
    try {
      this.commit(false);
    } catch (e) {
      this.failure = e as Error;
    }
  }

  /** The records this commit writes (all queued ones). `final` when closing. */
  protected takeBatch(_final: boolean): { seq: number; op: LogOp }[] {
    const batch = this.pending;
    this.pending = [];
    return batch;
  }

  protected syncLog(fd: number): void {
    fsyncSync(fd);
  }

  /** One append and one fsync for every queued write; compaction when the log has grown. */
  commit(final: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.takeBatch(final);
    if (this.pending.length) this.firstPendingAt = performance.now();
    if (batch.length === 0) return;
    const line = Buffer.from(`${JSON.stringify({ seq: batch[batch.length - 1]!.seq, ops: batch.map((r) => r.op) })}\n`, 'utf8');
    for (let off = 0; off < line.length; ) off += writeSync(this.logFd, line, off, line.length - off);
    this.syncLog(this.logFd);
    this.logBytes += line.length;
    // Compact when the log is mostly overwritten records (it outgrows twice the live data), not after every big write.
    if (this.logBytes > Math.max(this.options.compactBytes ?? 64 << 10, 4 * this.liveChars)) this.compact();
  }

  /** Snapshot everything committed (nothing is pending here), durably, then empty the log. */
  private compact(): void {
    const snap: Snapshot = { seq: this.seq, ls: [...this.ls], sessions: [...this.sessions].map(([id, m]) => [id, [...m]]) };
    const text = JSON.stringify(snap);
    writeFileDurably(this.dir, SNAPSHOT_FILE, text);
    ftruncateSync(this.logFd, 0);
    fsyncSync(this.logFd);
    this.logBytes = 0;
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  close(): void {
    do this.commit(true);
    while (this.pending.length);
    closeSync(this.logFd);
  }

  storage(): Storage {
    const core: StringStorage = {
      ls: {
        get: (key) => this.ls.get(key) ?? null,
        set: (key, value) => this.write(['s', key, value]),
        remove: (key) => void (this.ls.has(key) && this.write(['r', key])),
        clear: () => this.write(['c']),
        keys: () => [...this.ls.keys()],
      },
      session: {
        get: (id, key) => this.sessions.get(id)?.get(key) ?? null,
        set: (id, key, value) => this.write(['S', id, key, value]),
        delete: (id, key) => void (this.sessions.get(id)?.has(key) && this.write(['D', id, key])),
        clear: (id) => void (this.sessions.has(id) && this.write(['C', id])),
      },
      close: () => this.close(),
    };
    return withConversion(core);
  }
}

/** A hybrid store keeping `windowMs`, declaring `declaredWindowMs` (default: the same) and surviving restart, SIGKILL and power loss. */
export function hybridImplementation(options: HybridOptions & { declaredWindowMs?: number; name?: string }, make = (dir: string) => new HybridStore(dir, options)): Implementation {
  return {
    name: options.name ?? `reference/hybrid-${options.windowMs}ms${options.declaredWindowMs !== undefined && options.declaredWindowMs !== options.windowMs ? ` (declared ${options.declaredWindowMs} ms)` : ''}`,
    capabilities: { persistence: { kind: 'bounded', windowMs: options.declaredWindowMs ?? options.windowMs, survives: ['restart', 'sigkill', 'powerloss'] }, sharing: 'isolate' },
    open: ({ dir }) => make(dir).storage(),
  };
}

function envMs(name: string, fallback: number | undefined): number | undefined {
  const text = process.env[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new Error(`reference/hybrid: ${name} must be a number of milliseconds ≥ 0, got ${JSON.stringify(text)}`);
  return n;
}

const windowMs = envMs('TITAN_HYBRID_WINDOW_MS', 100)!;
const hybrid = hybridImplementation({ windowMs, declaredWindowMs: envMs('TITAN_HYBRID_DECLARED_MS', undefined), compactBytes: envMs('TITAN_HYBRID_COMPACT_BYTES', undefined) });
export default hybrid;
