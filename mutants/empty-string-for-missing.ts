// Bug: ls.get returns "" for a missing key (`?? ''`, as a template engine would want), so absence and "" look alike.
// Caught by: LS-GET-MISSING (also VAL-EMPTY-STRING).
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? '', // BUG: should be `?? null`
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

const mutant: Implementation = { name: 'mutant/empty-string-for-missing', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
