// Bug: ls.clear() also wipes every session (one "clear everything" routine for both namespaces).
// Caught by: LS-CLEAR (also ISO-LS-SESSION).
import type { Implementation, Storage } from '../spec/contract.js';
import { toStorageString } from '../reference/memory.js';

function open(): Storage {
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
      clear: () => {
        ls.clear();
        sessions.clear(); // BUG: sessions are a separate namespace
      },
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

const mutant: Implementation = { name: 'mutant/clear-clears-sessions', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
