// Bug: session.set silently ignores an empty session id (a guard meant for "no session"), so session "" never holds data.
// Caught by: SES-SET-GET (also STR-ROUNDTRIP, SEQ-MODEL).
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { ls } = createMemoryStorage();
  const sessions = new Map<string, Map<string, string>>();
  return {
    ls,
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
        if (sid === '') return; // BUG: "" is a valid session id
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

const mutant: Implementation = { name: 'mutant/session-empty-id-ignored', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
