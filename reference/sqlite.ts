/**
 * A durable SQLite store (better-sqlite3): file `titan.sqlite` in `dir`, one table for local
 * storage and one for sessions keyed by (session_id, key), both WITHOUT ROWID so the primary key
 * is the table. Several processes may open the same file (sharing: 'cluster' on one machine):
 * WAL lets readers run beside the one writer, and busy_timeout makes a writer wait for the lock
 * instead of failing with SQLITE_BUSY.
 *
 * Strings are stored as BLOBs of their UTF-16LE code units: SQLite TEXT is UTF-8 and would
 * replace lone surrogates, while a BLOB keeps every JS string (NUL included) exactly, and BLOB
 * comparison is bytewise, so distinct strings are distinct keys.
 *
 * synchronous=FULL: in WAL mode, NORMAL syncs only at checkpoints, so a power loss can drop
 * transactions that were already acknowledged; FULL syncs the WAL on every commit, which is what
 * capabilities.persistence 'durable' promises ("holds the state after the last completed operation").
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Capabilities, Implementation, Storage } from '../spec/contract.js';
import { withConversion, type StringStorage } from '../spec/conversion.js';

export const SQLITE_FILE = 'titan.sqlite';
/** How long a writer waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

const encode = (s: string): Buffer => Buffer.from(s, 'utf16le');
const decode = (b: Buffer): string => b.toString('utf16le');

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS local_storage (
    key   BLOB NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS session_storage (
    session_id BLOB NOT NULL,
    key        BLOB NOT NULL,
    value      BLOB NOT NULL,
    PRIMARY KEY (session_id, key)
  ) WITHOUT ROWID;
`;

/** The per-connection settings and the schema (idempotent). */
export function prepareConnection(db: Database.Database, synchronous: Synchronous = 'FULL'): void {
  // busy_timeout first: switching to WAL itself needs a lock another process may hold.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  retryWhileBusy(() => db.pragma('journal_mode = WAL'));
  db.pragma(`synchronous = ${synchronous}`);
  // IMMEDIATE takes the write lock up front (waiting in the busy handler); a deferred transaction that
  // reads the schema and then writes can fail at once with SQLITE_BUSY when another connection wrote first.
  retryWhileBusy(() => db.exec(`BEGIN IMMEDIATE; ${SCHEMA} COMMIT;`));
}

/**
 * Several connections opening one new file at once: some lock upgrades (the switch to WAL, WAL
 * recovery) report SQLITE_BUSY without calling the busy handler. Retry them, bounded.
 */
function retryWhileBusy(f: () => unknown): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      f();
      return;
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * FULL (default) syncs the WAL on every commit: durable. NORMAL syncs it only at checkpoints: a commit is in the
 * WAL file before it returns, so a killed process loses nothing, but a power cut may roll back every commit since
 * the last checkpoint, however old: bounded with a zero window for restarts and SIGKILL, power loss not covered.
 */
export type Synchronous = 'FULL' | 'NORMAL';

export function sqlitePersistence(synchronous: Synchronous): Capabilities['persistence'] {
  return synchronous === 'FULL' ? 'durable' : { kind: 'bounded', windowMs: 0, survives: ['restart', 'sigkill'] };
}

export function openSqliteStorage(dir: string, synchronous: Synchronous = 'FULL'): Storage {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, SQLITE_FILE));
  prepareConnection(db, synchronous);

  // Prepared once per connection and reused for every call.
  const q = {
    lsGet: db.prepare<[Buffer], Buffer>('SELECT value FROM local_storage WHERE key = ?').pluck(),
    lsSet: db.prepare<[Buffer, Buffer]>('INSERT INTO local_storage (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    lsRemove: db.prepare<[Buffer]>('DELETE FROM local_storage WHERE key = ?'),
    lsClear: db.prepare('DELETE FROM local_storage'),
    lsKeys: db.prepare<[], Buffer>('SELECT key FROM local_storage').pluck(),
    sesGet: db.prepare<[Buffer, Buffer], Buffer>('SELECT value FROM session_storage WHERE session_id = ? AND key = ?').pluck(),
    sesSet: db.prepare<[Buffer, Buffer, Buffer]>(
      'INSERT INTO session_storage (session_id, key, value) VALUES (?, ?, ?) ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value',
    ),
    sesDelete: db.prepare<[Buffer, Buffer]>('DELETE FROM session_storage WHERE session_id = ? AND key = ?'),
    sesClear: db.prepare<[Buffer]>('DELETE FROM session_storage WHERE session_id = ?'),
  };

  // Each statement runs in its own implicit transaction, so clear() is atomic. Arguments are
  // converted (and possibly rejected) before any statement runs.
  const core: StringStorage = {
    ls: {
      get: (key) => {
        const v = q.lsGet.get(encode(key));
        return v === undefined ? null : decode(v);
      },
      set: (key, value) => {
        const k = encode(key);
        q.lsSet.run(k, encode(value));
      },
      remove: (key) => void q.lsRemove.run(encode(key)),
      clear: () => void q.lsClear.run(),
      keys: () => q.lsKeys.all().map(decode),
    },
    session: {
      get: (id, key) => {
        const sid = encode(id);
        const v = q.sesGet.get(sid, encode(key));
        return v === undefined ? null : decode(v);
      },
      set: (id, key, value) => {
        const sid = encode(id);
        const k = encode(key);
        q.sesSet.run(sid, k, encode(value));
      },
      delete: (id, key) => {
        const sid = encode(id);
        q.sesDelete.run(sid, encode(key));
      },
      clear: (id) => void q.sesClear.run(encode(id)),
    },
    // Every completed statement is already committed and synced; closing checkpoints the WAL.
    close: () => {
      if (db.open) db.close();
    },
  };
  return withConversion(core);
}

export function sqliteImplementation(synchronous: Synchronous): Implementation {
  return {
    name: synchronous === 'FULL' ? 'reference/sqlite' : `reference/sqlite-${synchronous.toLowerCase()}`,
    capabilities: { persistence: sqlitePersistence(synchronous), sharing: 'cluster' },
    open: ({ dir }) => openSqliteStorage(dir, synchronous),
  };
}

const sqlite = sqliteImplementation('FULL');

export default sqlite;
