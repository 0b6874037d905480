// Bug: session entries are kept in the local-storage Map under a "session:" prefix, so ls.keys() lists them,
// ls.get can read them and ls.clear removes them. Caught by: ISO-LS-SESSION (also LS-KEYS-SET, LS-CLEAR).
import type { Implementation, Storage } from '../spec/contract.js';
import { toStorageString } from '../reference/memory.js';

/** JSON-encoding the pair keeps (id, key) unambiguous; only the namespace is shared. */
const sessionSlot = (id: string, key: string) => `session:${JSON.stringify([id, key])}`;
/** Every slot of session `id` starts with this: `session:["<id>",`. */
const sessionPrefix = (id: string) => `session:${JSON.stringify([id]).slice(0, -1)},`;

function open(): Storage {
  const all = new Map<string, string>(); // BUG: one Map for both namespaces
  return {
    ls: {
      get: (key) => all.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        all.set(k, toStorageString(value, 'value'));
      },
      remove: (key) => void all.delete(toStorageString(key, 'key')),
      clear: () => all.clear(),
      keys: () => Array.from(all.keys()),
    },
    session: {
      get: (id, key) => all.get(sessionSlot(toStorageString(id, 'session id'), toStorageString(key, 'key'))) ?? null,
      set: (id, key, value) => {
        const slot = sessionSlot(toStorageString(id, 'session id'), toStorageString(key, 'key'));
        all.set(slot, toStorageString(value, 'value'));
      },
      delete: (id, key) => void all.delete(sessionSlot(toStorageString(id, 'session id'), toStorageString(key, 'key'))),
      clear: (id) => {
        const prefix = sessionPrefix(toStorageString(id, 'session id'));
        for (const k of [...all.keys()]) if (k.startsWith(prefix)) all.delete(k);
      },
    },
  };
}

const mutant: Implementation = { name: 'mutant/shared-namespace', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
