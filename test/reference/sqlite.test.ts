import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { implementationProblem } from '../../spec/contract.js';
import sqlite, { BUSY_TIMEOUT_MS, openSqliteStorage, prepareConnection, SQLITE_FILE } from '../../reference/sqlite.js';
import { durableSharedStoreTests, freshDir } from '../helpers/store-suite.js';

const run = promisify(execFile);

describe('reference/sqlite', () => {
  it('is a valid Implementation: durable, shared by processes', () => {
    expect(implementationProblem(sqlite)).toBeNull();
    expect(sqlite.capabilities).toEqual({ persistence: 'durable', sharing: 'cluster' });
  });

  durableSharedStoreTests('sqlite', { open: async (dir) => sqlite.open({ dir }), numRuns: 30 });

  it('uses titan.sqlite in dir with WAL, synchronous=FULL and WITHOUT ROWID tables', () => {
    const dir = freshDir('sqlite');
    const s = openSqliteStorage(dir);
    s.ls.set('k', 'v');
    s.close?.();
    expect(existsSync(join(dir, SQLITE_FILE))).toBe(true);
    const db = new Database(join(dir, SQLITE_FILE), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const sql = (db.prepare("SELECT group_concat(sql, ';') FROM sqlite_schema WHERE type = 'table'").pluck().get() as string).toUpperCase();
      expect(sql.match(/WITHOUT ROWID/g)?.length).toBe(2);
    } finally {
      db.close();
    }
    // synchronous and busy_timeout are per-connection: check them on a connection the store's setup prepared.
    const conn = new Database(join(dir, SQLITE_FILE));
    try {
      prepareConnection(conn);
      expect(conn.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(conn.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    } finally {
      conn.close();
    }
  });

  it('two processes writing the same file both see all the data', async () => {
    const dir = freshDir('sqlite');
    openSqliteStorage(dir).close?.(); // create the schema first so both children only write
    const count = 50;
    const child = (tag: string) =>
      run(process.execPath, [join(import.meta.dirname, '../../adapters/compiled-entry.mjs'), join(import.meta.dirname, '../helpers/sqlite-writer.ts'), dir, tag, String(count)], { timeout: 30_000 });
    const [a, b] = await Promise.all([child('a'), child('b')]);
    // Each child saw at least its own keys; the later one may also see the other's.
    expect(Number(a.stdout)).toBeGreaterThanOrEqual(count);
    expect(Number(b.stdout)).toBeGreaterThanOrEqual(count);
    const s = openSqliteStorage(dir);
    try {
      expect(s.ls.keys()).toHaveLength(2 * count);
      for (const tag of ['a', 'b']) {
        expect(s.ls.get(`${tag}:${count - 1}`)).toBe(`${tag}\u0000${count - 1}\uD800`);
        expect(s.session.get(tag, '0')).toBe(`${tag}:0`);
      }
    } finally {
      s.close?.();
    }
  });
});
