/**
 * The "before" store of the change note, done right: the whole state lives in memory, is loaded
 * from titan_storage.json and titan_sessions.json in `dir` on open, and the corresponding file is
 * rewritten on every write. Unlike the original it writes a temporary file, fsyncs it, renames it
 * over the old one and fsyncs the directory, so a crash leaves either the old or the new file.
 * The faithful truncate-then-write variant lives among the mutants/baselines.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation, Storage } from '../spec/contract.js';
import { withConversion, type StringStorage } from '../spec/conversion.js';

export const LS_FILE = 'titan_storage.json';
export const SESSIONS_FILE = 'titan_sessions.json';

/** Entries are stored as [key, value] pairs, not object properties, so "__proto__" is an ordinary key. */
type Pairs = [string, string][];

function readJson<T>(path: string, empty: T): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw e;
  }
  return JSON.parse(text) as T;
}

/** Replace `path` atomically and durably: temp file, fsync, rename, fsync the directory. */
export function writeFileDurably(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

export function openFileStorage(dir: string, write: (dir: string, name: string, text: string) => void = writeFileDurably): Storage {
  mkdirSync(dir, { recursive: true });
  const ls = new Map<string, string>(readJson<Pairs>(join(dir, LS_FILE), []));
  const sessions = new Map<string, Map<string, string>>(
    readJson<[string, Pairs][]>(join(dir, SESSIONS_FILE), []).map(([id, pairs]) => [id, new Map(pairs)]),
  );
  // JSON.stringify escapes lone surrogates (\udXXX) and NUL, so every JS string survives the file.
  const saveLs = () => write(dir, LS_FILE, JSON.stringify([...ls]));
  const saveSessions = () => write(dir, SESSIONS_FILE, JSON.stringify([...sessions].map(([id, m]) => [id, [...m]])));
  const core: StringStorage = {
    ls: {
      get: (key) => ls.get(key) ?? null,
      set: (key, value) => {
        const k = key;
        ls.set(k, value);
        saveLs();
      },
      remove: (key) => {
        if (ls.delete(key)) saveLs();
      },
      clear: () => {
        ls.clear();
        saveLs();
      },
      keys: () => Array.from(ls.keys()),
    },
    session: {
      get: (id, key) => {
        const sid = id;
        const k = key;
        return sessions.get(sid)?.get(k) ?? null;
      },
      set: (id, key, value) => {
        const sid = id;
        const k = key;
        const v = value;
        let entries = sessions.get(sid);
        if (entries === undefined) sessions.set(sid, (entries = new Map()));
        entries.set(k, v);
        saveSessions();
      },
      delete: (id, key) => {
        const sid = id;
        const k = key;
        const entries = sessions.get(sid);
        if (!entries?.delete(k)) return;
        if (entries.size === 0) sessions.delete(sid);
        saveSessions();
      },
      clear: (id) => {
        if (sessions.delete(id)) saveSessions();
      },
    },
    close: () => {},
  };
  return withConversion(core);
}

const file: Implementation = {
  name: 'reference/file',
  capabilities: { persistence: 'durable', sharing: 'isolate' },
  open: ({ dir }) => openFileStorage(dir),
};

export default file;
