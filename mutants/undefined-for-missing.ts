// Bug: ls.get returns undefined (Map.get's result) for a missing key instead of null.
// Caught by: LS-GET-MISSING (or API-RESULT-TYPE when the harness checks the type first).
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) as string | null, // BUG: missing `?? null`
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        ls.set(k, toStorageString(value, 'value'));
      },
      remove: (key) => void ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => Array.from(ls.keys()),
    },
  };
}

const mutant: Implementation = { name: 'mutant/undefined-for-missing', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
