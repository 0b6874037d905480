// Bug: an insertion-ordered key index is kept in an array and keys() returns that array itself, so the caller's
// array changes with later writes and mutating it corrupts later keys() results. Caught by: LS-KEYS-SNAPSHOT.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

function open(): Storage {
  const { session } = createMemoryStorage();
  const ls = new Map<string, string>();
  const order: string[] = [];
  return {
    session,
    ls: {
      get: (key) => ls.get(toStorageString(key, 'key')) ?? null,
      set: (key, value) => {
        const k = toStorageString(key, 'key');
        const v = toStorageString(value, 'value');
        if (!ls.has(k)) order.push(k);
        ls.set(k, v);
      },
      remove: (key) => {
        const k = toStorageString(key, 'key');
        if (ls.delete(k)) order.splice(order.indexOf(k), 1);
      },
      clear: () => {
        ls.clear();
        order.length = 0;
      },
      keys: () => order, // BUG: should return a copy
    },
  };
}

const mutant: Implementation = { name: 'mutant/live-keys-array', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
