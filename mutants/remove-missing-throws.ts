// Bug: ls.remove of a key that is not present throws "no such key" instead of doing nothing.
// Caught by: LS-REMOVE-MISSING (also API-NO-THROW).
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        ls.set(k, toStorageString(value, 'value'));
      },
      remove: (key) => {
        const k = toStorageString(key, 'key');
        if (!ls.delete(k)) throw new Error(`no such key: ${k}`); // BUG: removing a missing key is a no-op
      },
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/remove-missing-throws', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
