/**
 * The "after" store of the change note: pure in-memory maps, volatile, no sharing promised.
 * One Map for local storage and a Map of Maps for sessions, so (id, key) pairs cannot collide.
 */
import type { Implementation, Storage } from '../spec/contract.js';

/** String() conversion with the spec's rejections (VAL-COERCE, VAL-REJECT). */
export function toStorageString(x: unknown, what: string): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'symbol') throw new TypeError(`${what} must be convertible to a string, got a Symbol`);
  try {
    return String(x);
  } catch (e) {
    throw new TypeError(`${what} could not be converted to a string: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function createMemoryStorage(): Storage {
  const ls = new Map<string, string>();
  const sessions = new Map<string, Map<string, string>>();
  return {
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        ls.set(k, toStorageString(value, 'value'));
      },
      remove: (key) => void ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
    session: {
      get: (id, key) => {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        return sessions.get(sid)?.get(k) ?? null;
      },
      set: (id, key, value) => {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        const v = toStorageString(value, 'value');
        let entries = sessions.get(sid);
        if (entries === undefined) sessions.set(sid, (entries = new Map()));
        entries.set(k, v);
      },
      delete: (id, key) => {
        const sid = toStorageString(id, 'session id');
        const k = toStorageString(key, 'key');
        const entries = sessions.get(sid);
        if (entries?.delete(k) && entries.size === 0) sessions.delete(sid);
      },
      clear: (id) => void sessions.delete(toStorageString(id, 'session id')),
    },
  };
}

const memory: Implementation = {
  name: 'reference/memory',
  capabilities: { persistence: 'volatile', sharing: 'isolate' },
  open: () => createMemoryStorage(),
};

export default memory;
