// Bug: ls.keys() returns the Map's key iterator instead of an array (a missing Array.from).
// Caught by: API-RESULT-TYPE.
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
      remove: (key) => void ls.delete(toStorageString(key, 'key')),
      clear: () => ls.clear(),
      keys: () => ls.keys() as unknown as string[], // BUG: should be Array.from(ls.keys())
    },
  };
}

const mutant: Implementation = { name: 'mutant/keys-iterator', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
