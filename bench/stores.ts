/**
 * The stores the benchmark knows, each measured through the same `Implementation` contract.
 * `load()` returns what is needed to open the store, or `{ skipped: reason }` when the store
 * cannot run here (module not written yet, native library not fetched, no redis-server…).
 * Module paths go through variables so the type checker does not require files that other
 * people are still writing.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { implementationProblem, type Implementation, type Storage } from '../spec/contract.js';
import type { StoreRole } from './types.js';
import { lsPairs, sessionGroups, type Dataset } from './dataset.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface LoadedStore {
  impl: Implementation;
  /**
   * Makes the `shared` value for one fixture (`impl.createShared()` on the main thread). Called per
   * fixture because a shared store is one store per createShared() result, whatever the dir.
   */
  makeShared?: () => unknown;
  /** False for pseudo-stores that do not keep data (the no-op floor): skip the content check. */
  holdsData?: boolean;
  /**
   * Write a dataset straight into `dir` in the store's own on-disk format, so that `open` loads
   * it (a restart). Used where filling through the API would cost O(n²) file rewrites or one
   * fsync per key. The fixture checks the opened store really holds the dataset.
   */
  seed?: (dir: string, data: Dataset) => void;
  /** How a worker isolate gets the same store: the module whose default export to open, plus environment. */
  worker?: { module: string; env?: Record<string, string> };
  /** Release what load() started (e.g. a redis-server). */
  dispose?: () => Promise<void>;
  /** Conditions that matter for the numbers (fsync policy…). */
  notes?: string;
}

export type LoadResult = LoadedStore | { skipped: string };

export interface StoreEntry {
  id: string;
  label: string;
  role: StoreRole;
  module?: string;
  maxKeys: number;
  capReason?: string;
  load(): Promise<LoadResult>;
}

async function importImplementation(repoPath: string): Promise<Implementation> {
  const mod = (await import(pathToFileURL(join(REPO_ROOT, repoPath)).href)) as { default?: unknown };
  const problem = implementationProblem(mod.default);
  if (problem) throw new Error(`${repoPath}: ${problem}`);
  return mod.default as Implementation;
}

/** Load a module when its file exists; a missing file or a failing import is a skip with the reason. */
async function loadModule(repoPath: string, extra: (impl: Implementation) => Promise<Omit<LoadedStore, 'impl'>> | Omit<LoadedStore, 'impl'> = () => ({})): Promise<LoadResult> {
  if (!existsSync(join(REPO_ROOT, repoPath))) return { skipped: `${repoPath} does not exist (yet)` };
  try {
    const impl = await importImplementation(repoPath);
    return { impl, worker: { module: repoPath }, ...(await extra(impl)) };
  } catch (e) {
    return { skipped: `${repoPath} could not be loaded: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

/** reference/file.ts's format: [key, value] pairs, and [sessionId, pairs] pairs. */
async function fileSeeder(): Promise<(dir: string, data: Dataset) => void> {
  const { LS_FILE, SESSIONS_FILE } = await import('../reference/file.js');
  return (dir, data) => {
    writeFileSync(join(dir, LS_FILE), JSON.stringify(lsPairs(data)));
    writeFileSync(join(dir, SESSIONS_FILE), JSON.stringify(sessionGroups(data)));
  };
}

/** reference/sqlite.ts's schema, filled in one transaction (the store itself commits and syncs per call). */
async function sqliteSeeder(): Promise<(dir: string, data: Dataset) => void> {
  const { openSqliteStorage, SQLITE_FILE } = await import('../reference/sqlite.js');
  const { default: Database } = await import('better-sqlite3');
  const enc = (s: string) => Buffer.from(s, 'utf16le');
  return (dir, data) => {
    const schema = openSqliteStorage(dir); // creates the tables
    void schema.close?.();
    const db = new Database(join(dir, SQLITE_FILE));
    try {
      const ls = db.prepare('INSERT OR REPLACE INTO local_storage (key, value) VALUES (?, ?)');
      const ses = db.prepare('INSERT OR REPLACE INTO session_storage (session_id, key, value) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (const [k, v] of lsPairs(data)) ls.run(enc(k), enc(v));
        for (const [id, pairs] of sessionGroups(data)) for (const [k, v] of pairs) ses.run(enc(id), enc(k), enc(v));
      })();
    } finally {
      db.close();
    }
  };
}

const FILE_CAP = 'every write re-serializes and rewrites the whole file, so cost grows with the store; capped to keep the run short';

export const STORES: StoreEntry[] = [
  {
    id: 'file-faithful',
    label: 'file, truncate+write (original "before")',
    role: 'before',
    module: 'reference/file-faithful.ts',
    maxKeys: 10_000,
    capReason: FILE_CAP,
    load: () => loadModule('reference/file-faithful.ts', async () => ({ seed: await fileSeeder(), notes: 'writeFileSync in place: no fsync (page cache only), not crash-safe' })),
  },
  {
    id: 'file',
    label: 'file, temp+fsync+rename (durable "before")',
    role: 'before',
    module: 'reference/file.ts',
    maxKeys: 10_000,
    capReason: FILE_CAP,
    load: () => loadModule('reference/file.ts', async () => ({ seed: await fileSeeder(), notes: 'fsync of the temp file and of the directory on every write' })),
  },
  {
    id: 'memory',
    label: 'memory (the "after")',
    role: 'after',
    module: 'reference/memory.ts',
    maxKeys: 100_000,
    load: () => loadModule('reference/memory.ts', () => ({ notes: 'volatile; one store per isolate' })),
  },
  {
    id: 'shared',
    label: 'shared memory (one store for all isolates)',
    role: 'alternative',
    module: 'reference/shared.ts',
    maxKeys: 100_000,
    load: () => loadModule('reference/shared.ts', (impl) => ({ makeShared: () => impl.createShared?.(), notes: 'volatile; shared by every isolate of the process' })),
  },
  {
    id: 'titanpl-core',
    label: '@titanpl/core native (RwLock<HashMap> via FFI)',
    role: 'alternative',
    module: 'adapters/titanpl-core/index.ts',
    maxKeys: 100_000,
    load: () =>
      loadModule('adapters/titanpl-core/index.ts', async () => {
        const native = (await import(pathToFileURL(join(REPO_ROOT, 'adapters/titanpl-core/native.ts')).href)) as { loadTitanCore(): { path: string; patched: boolean } };
        const lib = native.loadTitanCore(); // throws with a clear message when .cache/titanpl-core is not fetched
        return { notes: `volatile; process-global; called through koffi FFI (${lib.patched ? 'glibc-weakened copy of ' : ''}libtitan_core.so)` };
      }),
  },
  {
    id: 'sqlite',
    label: 'SQLite (WAL, synchronous=FULL)',
    role: 'alternative',
    module: 'reference/sqlite.ts',
    maxKeys: 100_000,
    load: () => loadModule('reference/sqlite.ts', async () => ({ seed: await sqliteSeeder(), notes: 'durable: WAL synced on every commit (one commit per write)' })),
  },
  {
    id: 'redis',
    label: 'Redis (appendfsync always)',
    role: 'alternative',
    module: 'reference/redis.ts',
    maxKeys: 10_000,
    capReason: 'async over loopback TCP; filling and clear-restores go through the API, capped to keep the run short',
    load: async () => {
      const helper = 'test/helpers/redis-server.ts';
      if (!existsSync(join(REPO_ROOT, 'reference/redis.ts'))) return { skipped: 'reference/redis.ts does not exist (yet)' };
      if (!existsSync(join(REPO_ROOT, helper))) return { skipped: `${helper} does not exist (yet)` };
      const h = (await import(pathToFileURL(join(REPO_ROOT, helper)).href)) as typeof import('../test/helpers/redis-server.js');
      if (h.findRedisServer() === null) return { skipped: 'redis-server is not on PATH (apt-get install -y redis-server)' };
      const server = await h.startRedis({ appendfsync: 'always' });
      const { redisImplementation } = await import('../reference/redis.js');
      return {
        impl: redisImplementation({ url: server.url }),
        worker: { module: 'reference/redis.ts', env: { TITAN_REDIS_URL: server.url } },
        dispose: () => server.stop(),
        notes: `private redis-server on 127.0.0.1, appendonly with appendfsync always; async, each call awaited`,
      };
    },
  },
];

/** Pseudo-stores measured through the same harness: what the harness itself costs, and a bare Map. */
export const FLOORS: { id: string; label: string; open(): Storage }[] = [
  {
    id: 'floor/noop',
    label: 'no-op (harness cost)',
    open: () => ({
      ls: { get: () => null, set: () => {}, remove: () => {}, clear: () => {}, keys: () => [] },
      session: { get: () => null, set: () => {}, delete: () => {}, clear: () => {} },
    }),
  },
  {
    id: 'floor/map',
    label: 'raw Map (no argument conversion)',
    open: () => {
      const ls = new Map<unknown, unknown>();
      const sessions = new Map<unknown, Map<unknown, unknown>>();
      return {
        ls: {
          get: (k) => (ls.get(k) as string | undefined) ?? null,
          set: (k, v) => void ls.set(k, v),
          remove: (k) => void ls.delete(k),
          clear: () => ls.clear(),
          keys: () => Array.from(ls.keys()) as string[],
        },
        session: {
          get: (id, k) => (sessions.get(id)?.get(k) as string | undefined) ?? null,
          set: (id, k, v) => {
            let m = sessions.get(id);
            if (m === undefined) sessions.set(id, (m = new Map()));
            m.set(k, v);
          },
          delete: (id, k) => void sessions.get(id)?.delete(k),
          clear: (id) => void sessions.delete(id),
        },
      };
    },
  },
];
