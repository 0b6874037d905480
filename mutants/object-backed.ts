// Bug: local storage is a plain `{}` object (`store[key] = value`): assigning a string to "__proto__" is silently
// ignored, so that key can never be stored or listed. Caught by: STR-PROTO-NAMES.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  let store: Record<string, string> = {}; // BUG: should be a Map (or Object.create(null) with care)
  return {
    session,
    ls: {
      // hasOwn keeps inherited names like "constructor" from leaking out; "__proto__" is still lost on set.
      get: (key) => {
        const k = toStorageString(key, 'key');
        return Object.hasOwn(store, k) ? store[k]! : null;
      },
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        store[k] = toStorageString(value, 'value');
      },
      remove: (key) => void delete store[toStorageString(key, 'key')],
      clear: () => void (store = {}),
      keys: () => Object.keys(store),
    },
  };
}

const mutant: Implementation = { name: 'mutant/object-backed', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
