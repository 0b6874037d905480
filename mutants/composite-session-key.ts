// Bug: sessions live in one Map keyed by `id + ":" + key`, so session ("a:b", "c") and ("a", "b:c") are the same entry.
// Caught by: SES-ISOLATION.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { ls } = createMemoryStorage();
  const sessions = new Map<string, string>();
  const slot = (id: unknown, key: unknown) => `${toStorageString(id, 'session id')}:${toStorageString(key, 'key')}`;
  return {
    ls,
    session: {
      get: (id, key) => sessions.get(slot(id, key)) ?? null,
      set: (id, key, value) => {
        const k = slot(id, key);
        sessions.set(k, toStorageString(value, 'value'));
      },
      delete: (id, key) => void sessions.delete(slot(id, key)),
      clear: (id) => {
        const prefix = `${toStorageString(id, 'session id')}:`;
        for (const k of [...sessions.keys()]) if (k.startsWith(prefix)) sessions.delete(k);
      },
    },
  };
}

const mutant: Implementation = { name: 'mutant/composite-session-key', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
