// Bug: set deletes the old entry (to move the key to the end of the insertion order) before converting the value,
// so a set rejected with a TypeError has already lost the previous value. Caught by: VAL-REJECT-ATOMIC.
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
        ls.delete(k); // BUG: a mutation before the last conversion that can throw
        ls.set(k, toStorageString(value, 'value'));
      },
      remove: (key) => void ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/set-before-validate', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
