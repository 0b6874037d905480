// Bug: a falsy check treats "" as "no value": set(k, "") removes the key and get uses `|| null`.
// Caught by: VAL-EMPTY-STRING.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) || null, // BUG: `||` instead of `??`
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        const v = toStorageString(value, 'value');
        if (!v) ls.delete(k); // BUG: "" is a value, not a delete
        else ls.set(k, v);
      },
      remove: (key) => void ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/empty-value-is-absent', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
