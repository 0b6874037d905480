// Bug: session.get returns undefined for a missing (id, key) (optional chaining without `?? null`).
// Caught by: SES-GET-MISSING (or API-RESULT-TYPE when the harness checks the type first).
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
        return sessions.get(sid)?.get(k) as string | null; // BUG: missing `?? null`
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

const mutant: Implementation = { name: 'mutant/session-undefined-for-missing', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
